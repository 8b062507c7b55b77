"""The change list (变更单) and ``python -m scheduler revise``.

Pairs: an unchanged title has no row (kept), a title whose days, crew or base
changed has one naming what changed (broken); a title that broke a rule says
why, and a published one asks for approval. The command writes the new plan,
which the checker accepts, and changes.csv.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from scheduler.check.checker import check_plan
from scheduler.cli.main import main
from scheduler.domain.changes import CHANGE_COLUMNS, change_list, published_titles
from scheduler.io.plan_io import read_plan
from scheduler.io.validation import load_scenario
from tests.factories import SAMPLES, dec, shoot_plan, shoot_run


def test_an_unchanged_title_has_no_row() -> None:
    plan = shoot_plan(shoot_run("T1", 2, "B1", ["S1", "S2"], "C1"))
    assert change_list(plan, plan, {}) == []


def test_a_title_on_other_days_crew_and_base_has_one_row_naming_each() -> None:
    before = shoot_plan(shoot_run("T1", 2, "B1", ["S1", "S2"], "C1"))
    after = shoot_plan(shoot_run("T1", 4, "B2", ["S7", "S8"], "C2"))
    [row] = change_list(before, after, {})
    assert (row.title_id, row.before, row.after) == (
        "T1",
        "12-02–12-03 B1 C1",
        "12-04–12-05 B2 C2",
    )
    assert row.what == "日期 days、剧组 crew、基地 base"


def test_a_set_change_inside_one_base_is_not_a_change() -> None:
    before = shoot_plan(shoot_run("T1", 2, "B1", ["S1", "S2"], "C1"))
    after = shoot_plan(shoot_run("T1", 2, "B1", ["S3", "S4"], "C1"))
    assert change_list(before, after, {}) == []


def test_a_broken_published_title_says_why_and_asks_for_approval() -> None:
    before = shoot_plan(
        shoot_run("T1", 2, "B1", ["S1"], "C1"), shoot_run("T2", 5, "B1", ["S1"], "C1")
    )
    after = shoot_plan(shoot_run("T2", 5, "B1", ["S1"], "C1"), unscheduled={"T1": "没有空闲剧组"})
    published = published_titles(before, dec(3))
    assert published == {"T1"}
    [row] = change_list(before, after, {"T1": "剧组 C1 12-02 请假"}, published)
    assert row.what == "取消排期 dropped"
    assert row.why.startswith("已发布，需审批：")
    assert "剧组 C1 12-02 请假" in row.why and "没有空闲剧组" in row.why


def test_revise_writes_a_checked_plan_and_the_change_list(tmp_path: Path) -> None:
    scenario_dir = tmp_path / "scenario"
    shutil.copytree(SAMPLES / "tutorial", scenario_dir)
    assert (
        main(["solve", str(scenario_dir), "--out", str(tmp_path / "before"), "--time-limit", "5"])
        == 0
    )
    before, _ = read_plan(tmp_path / "before")
    first = before.shoots_of(before.shoots[0].title_id)[0]
    (scenario_dir / "unavailable.csv").write_text(
        f"kind,id,from_date,to_date,note\ncrew,{first.crew_id},{first.date},{first.date},请假\n",
        encoding="utf-8",
    )
    out = tmp_path / "after"
    args = ["revise", str(scenario_dir), str(tmp_path / "before"), "--out", str(out)]
    assert main([*args, "--time-limit", "5", "--published-until", str(first.date)]) == 0
    changed = load_scenario(scenario_dir)
    after, _ = read_plan(out)
    assert check_plan(changed, after) == []
    with (out / "changes.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CHANGE_COLUMNS
    by_title = {row["title_id"]: row for row in rows}
    assert first.title_id in by_title  # the title the outage broke is listed
    assert first.crew_id in by_title[first.title_id]["why"]
    # published titles that keep every rule do not move
    published = published_titles(before, first.date) - {first.title_id}
    assert not published & by_title.keys()


def test_revise_refuses_a_date_that_is_not_iso(tmp_path: Path) -> None:
    args = ["revise", str(SAMPLES / "tutorial"), str(tmp_path), "--out", str(tmp_path / "o")]
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--published-until", "12/03/2026"])
    assert exit_.value.code == 2
