"""``python -m scheduler capacity`` and its report: what a base manager reads.

:mod:`scheduler.services.capacity_report` makes the report and
:mod:`scheduler.services.candidates` reads the candidates file.

The month sample has sets to spare and actors that bind: its bound (1294,
455 titles) leaves room for the targets (400 a month, 20 a day), so nothing
needs adding; with 14 of its 24 crews and two thirds of its sets, crews
bind and the cheapest expansion hires crews.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from scheduler.cli.main import main
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.io.plan_io import write_plan
from scheduler.io.validation import load_scenario
from scheduler.services.candidates import (
    candidates_frame,
    default_candidates,
    load_candidates,
    read_candidates,
)
from scheduler.services.capacity_report import binding_sentence, capacity_report
from solver.slate.greedy import greedy_plan
from tests.factories import SAMPLES

MONTH = SAMPLES / "zhengzhou-month"


@pytest.fixture(scope="module")
def month() -> Scenario:
    return load_scenario(MONTH)


@pytest.fixture(scope="module")
def short_of_crews(month: Scenario) -> Scenario:
    """The month with 14 crews and two thirds of its sets: crews bind."""
    sets = tuple(s for i, s in enumerate(month.sets) if i % 3)
    return replace(month, crews=month.crews[:14], sets=sets)


# -- the command ---------------------------------------------------------------------------


def test_capacity_command_writes_the_json_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "capacity.json"
    assert main(["capacity", str(MONTH), "--out", str(out), "--budget", "500000"]) == 0
    printed = capsys.readouterr().out
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["priority_bound"] == 1294
    assert report["titles_bound"] == 455
    assert report["proven"] is True
    assert "优先级上界 1294" in printed
    assert "【瓶颈】" in printed and "演员" in printed
    assert report["expansion"]["steps"] == []  # the targets are met already
    assert report["budget"]["budget"] == 500000
    assert sum(report["sellable_by_base"].values()) > 0


def test_capacity_command_reports_a_plan_as_a_share_of_the_bound(
    tmp_path: Path, month: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = greedy_plan(month)
    assert plan is not None
    write_plan(tmp_path / "plan", plan)
    out = tmp_path / "capacity.json"
    assert main(["capacity", str(MONTH), "--plan", str(tmp_path / "plan"), "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    priority = sum(month.title_by_id[t].priority for t in plan.scheduled_title_ids)
    assert report["plan_priority"] == priority <= report["priority_bound"]
    assert report["plan_share_of_bound"] == round(priority / 1294, 4)
    assert "达到上界的" in capsys.readouterr().out


def test_capacity_command_names_every_bad_candidate_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    candidates = tmp_path / "candidates.csv"
    candidates.write_text(
        "kind,base_id,set_type,day_rate,max_count\n"
        "set,B03,医院,3000,2\n"
        "set,B99,医院,3000,2\n"
        "robot,B01,,100,1\n"
        "crew,B01,,-5,3\n",
        encoding="utf-8",
    )
    code = main(["capacity", str(MONTH), "--candidates", str(candidates), "--lang", "en"])
    printed = capsys.readouterr().out
    assert code == 1
    assert "candidates.csv:3:base_id" in printed
    assert "candidates.csv:4:kind" in printed
    assert "candidates.csv:5:day_rate" in printed
    assert "candidates.csv:2" not in printed  # the good row is not blamed
    assert "优先级上界" not in printed  # nothing computed


def test_candidates_round_trip_through_their_table(month: Scenario, tmp_path: Path) -> None:
    defaults = default_candidates(month)
    frame = candidates_frame(defaults)
    assert read_candidates(frame.to_dict("records"), month) == defaults
    path = tmp_path / "candidates.csv"
    frame.to_csv(path, index=False)
    assert load_candidates(path, month) == defaults


def test_a_candidates_file_without_its_columns_is_refused(month: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "candidates.csv"
    path.write_text("kind,base_id\nset,B01\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_candidates(path, month)
    assert {p.column for p in caught.value.problems} == {"set_type", "day_rate", "max_count"}


# -- the report ----------------------------------------------------------------------------


def test_crews_short_the_report_hires_crews(short_of_crews: Scenario) -> None:
    report = capacity_report(short_of_crews, budget=800_000)
    expansion = report.answer.expansion
    assert expansion is not None and expansion.steps
    assert expansion.steps[0].candidate.kind == "crew"
    assert any("剧组" in line for line in report.bottleneck_sentences())
    assert "合计追加费用" in "\n".join(report.expansion_sentences())
    budget = report.answer.budget
    assert budget is not None and budget.cost <= 800_000
    assert budget.titles > budget.baseline_titles
    assert report.gain_sentences()[0].startswith("再加 1 个 新剧组")


def test_unreachable_targets_say_so(month: Scenario) -> None:
    # 600 titles a month is more than the 460 titles of the month's slate
    report = capacity_report(month, target_titles_per_month=600)
    expansion = report.answer.expansion
    assert expansion is not None and not expansion.met
    assert any("达不到目标" in line for line in report.expansion_sentences())


def test_binding_sentences_name_the_actor_and_the_days(month: Scenario) -> None:
    report = capacity_report(month)
    binding = report.answer.bindings[0]
    sentence = binding_sentence(month, binding)
    (actor_id,) = binding.meaning.subject
    assert month.actor_by_id[actor_id].name in sentence
    assert "12-" in sentence


def test_idle_tables_add_up(month: Scenario) -> None:
    report = capacity_report(month)
    idle = report.idle_frame()
    by_base = report.sellable_by_base()
    assert idle["产能上界允许出租"].sum() == by_base["产能上界允许出租"].sum()
    assert (idle["无需求闲置"] <= idle["产能上界允许出租"]).all()
    assert (idle["产能上界允许出租"] <= idle["开放棚日"]).all()
    assert idle["开放棚日"].sum() == sum(len(month.dates) for _ in month.sets) - sum(
        len(month.unavailable_days("set", s.set_id)) for s in month.sets
    )


def test_each_base_alone_sells_at_least_what_all_sell_together(month: Scenario) -> None:
    # asked alone a base may sell what, all selling at once, others would; never less
    answer = capacity_report(month).answer
    assert answer.sellable_alone  # 12 bases: each asked alone
    alone = sum(cell.sellable for cell in answer.idle)
    assert 0 < answer.sellable_together <= alone
    assert max(cell.sellable for cell in answer.idle) <= max(c.open_days for c in answer.idle)
    assert "单独出租" in capacity_report(month).sellable_sentence()
