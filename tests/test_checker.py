"""The independent plan checker: one pair of tests per rule (kept / broken).

Every test starts from one small scenario (3 titles, 2 bases in 2 cities:
:func:`tests.factories.checker_scenario`) and the valid plan ``BASELINE``, then
changes one thing. The comments say why the
plan keeps or breaks the rule, so that the expected answer can be checked by
hand.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scheduler.check.checker import Violation, check, check_plan
from scheduler.cli.main import main
from scheduler.domain.model import Base, Pin, Scenario, Travel, Unavailability
from scheduler.domain.plan import Plan
from scheduler.io.plan_io import PLAN_FILE, PlanError, read_plan, write_plan
from scheduler.io.tables import write_scenario
from tests.factories import big_month
from tests.factories import checker_scenario as scenario
from tests.factories import dec as d
from tests.factories import shoot_plan as plan
from tests.factories import shoot_run as run


def with_title(sc: Scenario, title_id: str, **changes: Any) -> Scenario:
    """``sc`` with one title changed."""
    titles = tuple(replace(t, **changes) if t.title_id == title_id else t for t in sc.titles)
    return replace(sc, titles=titles)


T01 = run("T01", 1, "B01", ["S01", "S01", "S02"], "C01")
T02 = run("T02", 1, "B02", ["S04", "S04"], "C02")
T03 = run("T03", 1, "B01", ["S03", "S03"], "C03")


# Every title has its own crew, sets and actor, at the base of its set types.
BASELINE = plan(T01, T02, T03)


def only(violations: list[Violation]) -> Violation:
    assert len(violations) == 1, "\n".join(v.message for v in violations)
    return violations[0]


def assert_one(
    violations: list[Violation], rule: int, title_id: str, resource: str, when: date | None
) -> Violation:
    v = only(violations)
    assert (v.rule, v.title_id, v.resource, v.date) == (rule, title_id, resource, when), v
    assert v.message.startswith(f"rule {rule}: ")
    assert v.message_zh.startswith(f"规则{rule}：")
    return v


def test_baseline_keeps_every_rule() -> None:
    report = check(scenario(), BASELINE)
    assert report.ok and report.violations == ()
    assert report.scheduled_titles == 3 and report.shoots == 7
    assert "ok" in report.summary() and "通过" in report.summary()


# -- rule 1: exact, consecutive days inside the window and horizon ---------


def test_rule_1_kept_when_shoots_start_on_the_earliest_start() -> None:
    # T01 may start 12-02 and shoots 12-02 … 12-04: inside its window.
    sc = with_title(scenario(), "T01", earliest_start=d(2))
    assert check_plan(sc, plan(run("T01", 2, "B01", ["S01", "S01", "S02"], "C01"), T02, T03)) == []


def test_rule_1_broken_by_a_shoot_before_the_earliest_start() -> None:
    # T01 may start 12-02 but the baseline starts it on 12-01.
    sc = with_title(scenario(), "T01", earliest_start=d(2))
    v = assert_one(check_plan(sc, BASELINE), 1, "T01", "", d(1))
    assert "before its earliest start 2026-12-02" in v.message


def test_rule_1_broken_by_a_gap_names_the_missing_day() -> None:
    # T01 shoots 12-01, 12-02 and 12-04: three days, but 12-03 is skipped.
    t01 = run("T01", 1, "B01", ["S01", "S01"], "C01") + run("T01", 4, "B01", ["S02"], "C01")
    v = assert_one(check_plan(scenario(), plan(t01, T02, T03)), 1, "T01", "", d(3))
    assert "consecutive" in v.message


def test_rule_1_broken_by_a_shoot_after_the_due_date_or_outside_the_horizon() -> None:
    # T01 is due 12-02 but shoots to 12-03; T03 shoots 12-10 … 12-11, past the horizon.
    sc = with_title(scenario(), "T01", due_date=d(2))
    sc = with_title(sc, "T03", due_date=d(12))
    broken = plan(T01, T02, run("T03", 10, "B01", ["S03", "S03"], "C03"))
    found = {(v.rule, v.title_id, v.date) for v in check_plan(sc, broken)}
    assert found == {(1, "T01", d(3)), (1, "T03", d(11))}


def test_rule_1_broken_by_too_few_days_also_misses_a_set_type() -> None:
    # T01 drops its 医院 day: 2 days instead of 3 (rule 1) and no 医院 set-day (rule 2).
    found = check_plan(scenario(), plan(T01[:2], T02, T03))
    assert [(v.rule, v.title_id, v.resource, v.date) for v in found] == [
        (1, "T01", "", None),
        (2, "T01", "set type 医院", None),
    ]
    assert "shoots on 2 day(s); needs 3" in found[0].message


def test_rule_1_broken_by_an_unknown_crew() -> None:
    # C99 is in no crews.csv; T01 then also has two crews (rule 3).
    t01 = [T01[0], replace(T01[1], crew_id="C99"), T01[2]]
    found = check_plan(scenario(), plan(t01, T02, T03))
    assert [(v.rule, v.resource, v.date) for v in found] == [
        (1, "crew C99", d(2)),
        (3, "crew C99", d(2)),
    ]


def test_rule_1_every_title_is_scheduled_or_listed_unscheduled_but_not_both() -> None:
    # T03 left out with a reason: fine. Left out silently, or listed while scheduled: not.
    reason = {"T03": "12-01 至 12-10 没有空闲的办公室场景"}
    assert check_plan(scenario(), plan(T01, T02, unscheduled=reason)) == []
    assert_one(check_plan(scenario(), plan(T01, T02)), 1, "T03", "", None)
    v = assert_one(
        check_plan(scenario(), plan(T01, T02, T03, unscheduled=reason)), 1, "T03", "", None
    )
    assert "also listed as unscheduled" in v.message


# -- rule 2: one base, sets of that base, set types as needed ---------------


def test_rule_2_kept_with_another_set_of_the_same_type() -> None:
    # T01 may use S03 instead of S01 for its second 办公室 day (S03 is free on 12-03).
    t01 = run("T01", 1, "B01", ["S01", "S02", "S03"], "C01")
    assert check_plan(scenario(), plan(t01, T02, T03)) == []


def test_rule_2_broken_by_a_set_of_another_base() -> None:
    # On 12-02 T01 books S05, an 办公室 set of B02, while its shoot says base B01.
    t01 = [T01[0], replace(T01[1], set_id="S05"), T01[2]]
    v = assert_one(check_plan(scenario(), plan(t01, T02, T03)), 2, "T01", "set S05", d(2))
    assert "belongs to base B02" in v.message


def test_rule_2_broken_by_a_second_base() -> None:
    # On 12-02 T01 shoots at B02 (set S05, 办公室): two bases for one title.
    t01 = [T01[0], replace(T01[1], base_id="B02", set_id="S05"), T01[2]]
    assert_one(check_plan(scenario(), plan(t01, T02, T03)), 2, "T01", "base B02", d(2))


def test_rule_2_broken_by_wrong_set_types() -> None:
    # T01 shoots 办公室 three times and 医院 never: both types are off by one.
    t01 = run("T01", 1, "B01", ["S01", "S01", "S01"], "C01")
    found = check_plan(scenario(), plan(t01, T02, T03))
    assert [(v.rule, v.resource, v.date) for v in found] == [
        (2, "set type 办公室", None),
        (2, "set type 医院", None),
    ]
    assert "uses 办公室 sets on 3 day(s); needs 2" in found[0].message


# -- rule 3: one crew that shoots the title's genre --------------------------


def test_rule_3_kept_by_a_crew_of_that_genre() -> None:
    # C03 shoots 都市;甜宠 and takes T01 (都市) on 12-04 … 12-06, after T03.
    t01 = run("T01", 4, "B01", ["S01", "S01", "S02"], "C03")
    assert check_plan(scenario(), plan(t01, T02, T03)) == []


def test_rule_3_broken_by_a_crew_of_other_genres() -> None:
    # C03 (都市;甜宠) takes T02 (古装) at 东阳 on 12-04 … 12-05; one free day covers travel.
    t02 = run("T02", 4, "B02", ["S04", "S04"], "C03")
    v = assert_one(check_plan(scenario(), plan(T01, t02, T03)), 3, "T02", "crew C03", None)
    assert "not the genre 古装" in v.message


def test_rule_3_broken_by_a_second_crew() -> None:
    # C03 is free on 12-03 and shoots T01's last day: two crews on one title.
    t01 = [T01[0], T01[1], replace(T01[2], crew_id="C03")]
    v = assert_one(check_plan(scenario(), plan(t01, T02, T03)), 3, "T01", "crew C03", d(3))
    assert "2 crews (C01, C03)" in v.message


# -- rule 4: a set, crew and actor once a day --------------------------------


def test_rule_4_kept_when_a_crew_and_an_actor_shoot_titles_back_to_back() -> None:
    # C01 and A01 do T01 on 12-01 … 12-03, then T03 on 12-04 … 12-05 at the same base.
    sc = with_title(scenario(), "T03", cast=("A01",))
    assert check_plan(sc, plan(T01, T02, run("T03", 4, "B01", ["S03", "S03"], "C01"))) == []


def test_rule_4_broken_by_a_set_booked_twice() -> None:
    # T03 uses S01 on 12-01, when T01 is already on S01.
    t03 = run("T03", 1, "B01", ["S01", "S03"], "C03")
    v = assert_one(check_plan(scenario(), plan(T01, T02, t03)), 4, "T01", "set S01", d(1))
    assert v.message == "rule 4: set S01 hosts 2 shoots on 2026-12-01 (T01, T03); at most 1"


def test_rule_4_broken_by_a_crew_on_two_titles() -> None:
    # C01 starts T03 on 12-03, T01's last day.
    t03 = run("T03", 3, "B01", ["S03", "S03"], "C01")
    v = assert_one(check_plan(scenario(), plan(T01, T02, t03)), 4, "T01", "crew C01", d(3))
    assert v.message == "rule 4: crew C01 shoots 2 titles on 2026-12-03 (T01, T03); at most 1"
    assert v.message_zh == "规则4：剧组 C01 在 2026-12-03 拍摄 2 部剧（T01、T03）；最多 1 部"


def test_rule_4_broken_by_an_actor_in_two_titles() -> None:
    # A01 plays in T01 (12-01 … 12-03) and in T03, which C03 shoots 12-03 … 12-04.
    sc = with_title(scenario(), "T03", cast=("A01",))
    t03 = run("T03", 3, "B01", ["S03", "S03"], "C03")
    assert_one(check_plan(sc, plan(T01, T02, t03)), 4, "T01", "actor A01", d(3))


# -- rule 5: nothing booked when unavailable ---------------------------------


def test_rule_5_kept_around_unavailable_days() -> None:
    # C01 is away 12-05 … 12-06 and S01 is broken on 12-04; the baseline uses neither then.
    sc = scenario(
        unavailable=(
            Unavailability("crew", "C01", d(5), d(6), note="导演请假"),
            Unavailability("set", "S01", d(4), d(4), note="维修"),
        )
    )
    assert check_plan(sc, BASELINE) == []


def test_rule_5_broken_by_a_crew_on_leave() -> None:
    # C01 is away on 12-02, T01's second day.
    sc = scenario(unavailable=(Unavailability("crew", "C01", d(2), d(2)),))
    v = assert_one(check_plan(sc, BASELINE), 5, "T01", "crew C01", d(2))
    assert "unavailable on 2026-12-02" in v.message


def test_rule_5_broken_by_a_closed_base_names_the_base() -> None:
    # B02 closes on 12-02, T02's second day there; its set S04 is closed with it.
    sc = scenario(unavailable=(Unavailability("base", "B02", d(2), d(3)),))
    assert_one(check_plan(sc, BASELINE), 5, "T02", "base B02", d(2))


def test_rule_5_broken_by_a_sick_actor() -> None:
    # A03, T03's cast, is ill on 12-01.
    sc = scenario(unavailable=(Unavailability("actor", "A03", d(1), d(1), note="生病"),))
    assert_one(check_plan(sc, BASELINE), 5, "T03", "actor A03", d(1))


# -- rule 6: base crew limit --------------------------------------------------


def test_rule_6_kept_at_the_limit() -> None:
    # B01 takes 2 titles a day; T01 and T03 share 12-01 … 12-02 there.
    sc = scenario(bases=(Base("B01", "郑州影视基地", "郑州", max_crews=2), scenario().bases[1]))
    assert check_plan(sc, BASELINE) == []


def test_rule_6_broken_over_the_limit() -> None:
    # B01 takes 1 title a day; T03 starts on 12-03, T01's last day there.
    sc = scenario(bases=(Base("B01", "郑州影视基地", "郑州", max_crews=1), scenario().bases[1]))
    kept = plan(T01, T02, run("T03", 4, "B01", ["S03", "S03"], "C03"))
    assert check_plan(sc, kept) == []
    broken = plan(T01, T02, run("T03", 3, "B01", ["S03", "S03"], "C03"))
    v = assert_one(check_plan(sc, broken), 6, "T01", "base B01", d(3))
    assert "hosts 2 titles on 2026-12-03 (T01, T03); at most 1" in v.message


# -- rule 7: travel days between cities --------------------------------------


def test_rule_7_kept_with_the_listed_travel_days() -> None:
    # 郑州 → 东阳 takes 2 free days; C01 ends T01 on 12-03 and starts T02 on 12-06.
    sc = scenario(travel=(Travel("郑州", "东阳", 2),))
    assert check_plan(sc, plan(T01, run("T02", 6, "B02", ["S04", "S04"], "C01"), T03)) == []


def test_rule_7_broken_by_a_crew_without_travel_days() -> None:
    # Same, but C01 starts T02 on 12-05: 1 free day, 2 needed.
    sc = scenario(travel=(Travel("郑州", "东阳", 2),))
    broken = plan(T01, run("T02", 5, "B02", ["S04", "S04"], "C01"), T03)
    v = assert_one(check_plan(sc, broken), 7, "T02", "crew C01", d(5))
    assert "1 free day(s)" in v.message and "needs 2" in v.message


def test_rule_7_broken_by_an_actor_without_travel_days() -> None:
    # A01 ends T01 in 郑州 on 12-03 and starts T02 in 东阳 on 12-04: 0 free days, 1 needed
    # (unlisted pair of cities). C02 shoots T02, so only the actor travels.
    sc = with_title(scenario(), "T02", cast=("A01",))
    broken = plan(T01, run("T02", 4, "B02", ["S04", "S04"], "C02"), T03)
    assert_one(check_plan(sc, broken), 7, "T02", "actor A01", d(4))
    kept = plan(T01, run("T02", 5, "B02", ["S04", "S04"], "C02"), T03)
    assert check_plan(sc, kept) == []


# -- rule 8: pins -------------------------------------------------------------


def test_rule_8_kept_pins() -> None:
    # T01 is pinned to start 12-01 at B01 with C01, as in the baseline.
    sc = scenario(pins=(Pin("T01", start_date=d(1), base_id="B01", crew_id="C01"),))
    assert check_plan(sc, BASELINE) == []


def test_rule_8_broken_start_date() -> None:
    # T01 is pinned to start 12-02; the baseline starts it 12-01.
    sc = scenario(pins=(Pin("T01", start_date=d(2)),))
    assert_one(check_plan(sc, BASELINE), 8, "T01", "", d(1))


def test_rule_8_broken_crew() -> None:
    # T01 is pinned to crew C03; the baseline has C01 shoot it.
    sc = scenario(pins=(Pin("T01", crew_id="C03"),))
    assert_one(check_plan(sc, BASELINE), 8, "T01", "crew C01", d(1))


def test_rule_8_broken_by_leaving_a_pinned_title_out() -> None:
    # T03 is pinned to B01 but left unscheduled (with a reason, so rule 1 is kept).
    sc = scenario(pins=(Pin("T03", base_id="B01"),))
    v = assert_one(check_plan(sc, plan(T01, T02, unscheduled={"T03": "无"})), 8, "T03", "", None)
    assert "not scheduled" in v.message


# -- rule 9: crew days in a row -----------------------------------------------


def test_rule_9_kept_with_a_rest_day() -> None:
    # C01 may shoot 3 days in a row: T01 12-01 … 12-03, rest 12-04, T03 12-05 … 12-06.
    sc = scenario(crews=(replace(scenario().crews[0], max_days_in_row=3), *scenario().crews[1:]))
    assert check_plan(sc, plan(T01, T02, run("T03", 5, "B01", ["S03", "S03"], "C01"))) == []


def test_rule_9_broken_by_titles_back_to_back() -> None:
    # Without the rest day C01 shoots 12-01 … 12-05: 5 days in a row; 12-04 is the 4th.
    sc = scenario(crews=(replace(scenario().crews[0], max_days_in_row=3), *scenario().crews[1:]))
    broken = plan(T01, T02, run("T03", 4, "B01", ["S03", "S03"], "C01"))
    v = assert_one(check_plan(sc, broken), 9, "T03", "crew C01", d(4))
    assert "5 days in a row" in v.message and "at most 3" in v.message


# -- report, speed ------------------------------------------------------------


def test_report_summary_counts_violations_by_rule() -> None:
    sc = scenario(unavailable=(Unavailability("crew", "C01", d(1), d(2)),))
    report = check(sc, BASELINE)
    assert not report.ok and report.by_rule() == {5: 2}
    assert "rule 5 ×2" in report.summary() and "规则5 ×2" in report.summary()
    assert report.violations[0].format("both").splitlines()[0].startswith("规则5：")


def test_checker_is_fast_on_a_month_of_4600_titles() -> None:
    sc, big = big_month()
    assert len(sc.titles) > 4500 and len(big.shoots) == 7000
    started = time.perf_counter()
    assert check_plan(sc, big) == []
    assert time.perf_counter() - started < 2.0
    # one title given a second set on its first day is found among them
    broken = Plan((*big.shoots, replace(big.shoots[0], set_id="S001")), {})
    assert {v.rule for v in check_plan(sc, broken)} == {1, 2, 4}


# -- plan folders ---------------------------------------------------------------


def test_plan_folder_round_trip(tmp_path: Path) -> None:
    reasons = {"T03": "12-01 至 12-10 没有空闲的办公室场景, 剧组已满"}
    kpis = {"status": "feasible", "cost": 12345, "set_utilisation_by_base": {"B01": 0.5}}
    original = plan(T03, T01, T02, unscheduled=reasons)
    write_plan(tmp_path, original, kpis)
    back, back_kpis = read_plan(tmp_path)
    assert sorted(back.shoots) == sorted(original.shoots)
    assert dict(back.unscheduled) == reasons and back_kpis == kpis
    lines = (tmp_path / PLAN_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "title_id,date,base_id,set_id,crew_id"
    # sorted by date, then base, then set
    assert lines[1:4] == [
        "T01,2026-12-01,B01,S01,C01",
        "T03,2026-12-01,B01,S03,C03",
        "T02,2026-12-01,B02,S04,C02",
    ]
    assert '"cost": 12345' in (tmp_path / "kpis.json").read_text(encoding="utf-8")


def test_plan_folder_without_kpis_reads_none(tmp_path: Path) -> None:
    write_plan(tmp_path, BASELINE, {"status": "feasible"})
    write_plan(tmp_path, BASELINE)  # a stale kpis.json must not survive
    back, kpis = read_plan(tmp_path)
    assert sorted(back.shoots) == sorted(BASELINE.shoots) and kpis is None


def test_plan_folder_reports_every_problem_at_file_row_column(tmp_path: Path) -> None:
    (tmp_path / "plan.csv").write_text(
        "title_id,date,base_id,set_id,crew_id,note\n"
        "T01,2026-12-01,B01,S01,C01,ok\n"
        "T01,2026-12-32,B01,S01,C01,\n"
        ",2026-12-03,B01,S02,C01,\n",
        encoding="utf-8",
    )
    (tmp_path / "unscheduled.csv").write_text("title_id\nT03\nT03\n", encoding="utf-8")
    (tmp_path / "kpis.json").write_text('{\n  "status": \n}', encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        read_plan(tmp_path)
    where = [f"{p.file}:{p.row}:{p.column}" for p in caught.value.problems]
    assert where == [
        "plan.csv:3:date",
        "plan.csv:4:title_id",
        "unscheduled.csv:1:reason",
        "kpis.json:3:*",
    ]
    text = str(caught.value)
    assert "plan.csv:3:date: '2026-12-32' is not a date; expected YYYY-MM-DD" in text
    assert "unscheduled.csv:1:reason: missing column reason" in text


def test_plan_folder_missing_plan_csv(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as caught:
        read_plan(tmp_path)
    assert [(p.file, p.row) for p in caught.value.problems] == [("plan.csv", 0)]


# -- the check command --------------------------------------------------------


def test_cli_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sc = scenario(unavailable=(Unavailability("actor", "A03", d(1), d(1), note="生病"),))
    write_scenario(sc, tmp_path / "scenario")
    kept = plan(T01, T02, run("T03", 2, "B01", ["S03", "S03"], "C03"))
    write_plan(tmp_path / "good", kept)
    write_plan(tmp_path / "bad", BASELINE)

    assert main(["check", str(tmp_path / "scenario"), str(tmp_path / "good")]) == 0
    assert "ok: the plan keeps rules 1-11" in capsys.readouterr().out

    assert main(["check", str(tmp_path / "scenario"), str(tmp_path / "bad")]) == 1
    out = capsys.readouterr().out
    assert "规则5：演员 A03 在 2026-12-01 不可用" in out
    assert "rule 5: actor A03 is unavailable on 2026-12-01 but booked for T03" in out
    assert "failed: 1 violation(s)" in out

    assert main(["check", str(tmp_path / "scenario"), str(tmp_path / "missing")]) == 1
    assert "plan.csv:0:*" in capsys.readouterr().out
