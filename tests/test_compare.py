"""What-if comparison, in pairs: the same plan twice shows no change; a moved title is listed
with exactly what moved. Tutorial scenario (B1: S1, S2; B2: S3, S4; crews C1, C2)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from scheduler.app import compare as c
from scheduler.check.kpis import compute_kpis
from scheduler.domain.model import Need, Scenario, Title
from scheduler.domain.plan import Plan, Shoot
from scheduler.services.planning import plan_scenario, save_outcome
from scheduler.storage import ScenarioStore, get_engine
from tests.factories import dec, shoot_run


def shoots_t1(crew: str = "C1", first: int = 1) -> list[Shoot]:
    """T1 (办公室 + 别墅) at B1: S1 on 12-``first``, S2 the day after."""
    return shoot_run("T1", first, "B1", ["S1", "S2"], crew)


def shoots_t2(base: str = "B2", sets: tuple[str, str] = ("S3", "S3")) -> list[Shoot]:
    """T2 (医院 × 2) by C2 on 12-01 and 12-02."""
    return shoot_run("T2", 1, base, sets, "C2")


REFERENCE = Plan((*shoots_t1(), *shoots_t2()), {"T3": "no 医院 set free 12-01~12-02"})


def kinds(changes) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for title_id, kind in zip(changes["剧目编号 title id"], changes["变化 change"], strict=True):
        found.setdefault(title_id, []).append(kind)
    return found


# -- changed titles -------------------------------------------------------------


def test_the_same_plan_has_no_changed_titles(tutorial: Scenario) -> None:
    changes = c.changed_titles(REFERENCE, REFERENCE, tutorial, tutorial)
    assert changes.empty
    assert list(changes.columns) == list(c.CHANGE_COLUMNS)


def test_a_title_moved_in_time_is_listed_with_its_dates_only(tutorial: Scenario) -> None:
    moved = Plan((*shoots_t1(first=4), *shoots_t2()), REFERENCE.unscheduled)
    changes = c.changed_titles(REFERENCE, moved, tutorial, tutorial)
    assert kinds(changes) == {"T1": [c.DATES]}
    row = changes.iloc[0]
    assert (row["之前 before"], row["之后 after"]) == ("12-01~12-02", "12-04~12-05")
    assert row["剧目 title"] == "闪婚后霸总他真香了"


def test_a_title_given_another_crew_is_listed_with_its_crew_only(tutorial: Scenario) -> None:
    other_crew = Plan((*shoots_t1(crew="C2"), *shoots_t2()), REFERENCE.unscheduled)
    changes = c.changed_titles(REFERENCE, other_crew, tutorial, tutorial)
    assert kinds(changes) == {"T1": [c.CREW]}
    row = changes.iloc[0]
    assert (row["之前 before"], row["之后 after"]) == ("张导剧组（C1）", "李导剧组（C2）")


def test_a_title_moved_to_another_base_is_listed_with_its_base_only(tutorial: Scenario) -> None:
    # T2 needs 医院: only B2 has one, so the "other base" is made up; compare reads ids only.
    elsewhere = Plan((*shoots_t1(), *shoots_t2(base="B1", sets=("S1", "S1"))))
    changes = c.changed_titles(REFERENCE, elsewhere, tutorial, tutorial)
    assert kinds(changes) == {"T2": [c.BASE]}
    assert changes.iloc[0]["之后 after"] == "郑州金水影视基地（B1）"


def test_a_change_of_set_within_the_base_is_not_a_move(tutorial: Scenario) -> None:
    other_set = Plan((*shoots_t1(), *shoots_t2(sets=("S3", "S4"))), REFERENCE.unscheduled)
    assert c.changed_titles(REFERENCE, other_set, tutorial, tutorial).empty


def test_crew_and_dates_both_changed_give_two_rows(tutorial: Scenario) -> None:
    both = Plan((*shoots_t1(crew="C2", first=5), *shoots_t2()))
    assert kinds(c.changed_titles(REFERENCE, both, tutorial, tutorial)) == {
        "T1": [c.CREW, c.DATES]
    }


def test_titles_dropped_and_newly_scheduled(tutorial: Scenario) -> None:
    t3 = (Shoot("T3", dec(1), "B2", "S4", "C1"), Shoot("T3", dec(2), "B2", "S3", "C1"))
    swapped = Plan((*shoots_t1(first=3), *t3), {"T2": "C2 休假 off"})
    changes = c.changed_titles(REFERENCE, swapped, tutorial, tutorial)
    assert kinds(changes) == {"T1": [c.DATES], "T2": [c.DROPPED], "T3": [c.NEW]}
    by_title = changes.set_index("剧目编号 title id")
    assert by_title.loc["T2", "之后 after"] == "C2 休假 off"
    assert (
        by_title.loc["T2", "之前 before"]
        == "李导剧组（C2） · 郑东新区短剧产业园（B2） · 12-01~12-02"
    )
    assert by_title.loc["T3", "之前 before"] == "no 医院 set free 12-01~12-02"
    assert c.change_counts(changes) == {c.CREW: 0, c.BASE: 0, c.DATES: 1, c.NEW: 1, c.DROPPED: 1}


def test_a_rush_title_only_the_other_scenario_has(tutorial: Scenario) -> None:
    rush = Title("R1", "加急：总裁的契约新娘", "甜宠", 3, dec(1), dec(7), (Need("办公室", 1),))
    rushed = replace(tutorial, titles=(*tutorial.titles, rush))
    plan_b = Plan((*REFERENCE.shoots, Shoot("R1", dec(3), "B1", "S1", "C1")))
    changes = c.changed_titles(REFERENCE, plan_b, tutorial, rushed)
    assert kinds(changes) == {"R1": [c.NEW]}
    assert changes.iloc[0]["之前 before"] == "不在该场景中 not in this scenario"
    assert changes.iloc[0]["之后 after"].endswith("12-03")


# -- KPIs and utilisation by base -------------------------------------------------


def kpis_of(scenario: Scenario, plan: Plan) -> dict:
    return compute_kpis(scenario, plan, status="feasible", priority_bound=None, solve_seconds=0)


def test_the_same_kpis_have_zero_deltas(tutorial: Scenario) -> None:
    kpis = kpis_of(tutorial, REFERENCE)
    table = c.compare_kpis({"A": kpis, "B": kpis})
    assert list(table.columns) == [c.KPI_COLUMN, "A", "B", "Δ B", c.BETTER_COLUMN]
    deltas = table.set_index(c.KPI_COLUMN)["Δ B"]
    assert math.isnan(deltas.pop("优先级上界 priority bound"))  # no bound in either plan
    assert (deltas == 0).all()


def test_kpi_deltas_are_against_the_first_plan(tutorial: Scenario) -> None:
    scenes = tutorial.scene_days("T4")[0].scene_ids  # one of T4's packed days, with A4
    more = Plan((*REFERENCE.shoots, Shoot("T4", dec(3), "B1", "S2", "C2", scenes)))
    a, b = kpis_of(tutorial, REFERENCE), kpis_of(tutorial, more)
    table = c.compare_kpis({"A": a, "B": b, "A again": a}).set_index(c.KPI_COLUMN)
    cost = table.loc["成本 cost (CNY)"]
    # one more shoot of T4: set S2 3500 + crew C2 26000 + actors A4 4000 and A6 1000,
    # both in that day's scenes
    assert cost["Δ B"] == 3500 + 26000 + 4000 + 1000
    assert cost["Δ A again"] == 0
    assert cost[c.BETTER_COLUMN] == c.LOWER
    assert table.loc["拍摄场次 shoots", "Δ B"] == 1
    assert table.loc["场景利用率 % set utilisation", "A"] == round(a["set_utilisation"] * 100, 2)


def test_utilisation_by_base_delta(tutorial: Scenario) -> None:
    more = Plan((*REFERENCE.shoots, Shoot("T4", dec(3), "B1", "S2", "C2")))
    names = {b.base_id: b.name for b in tutorial.bases}
    table = c.utilisation_by_base_delta(
        {"A": kpis_of(tutorial, REFERENCE), "B": kpis_of(tutorial, more)}, names
    ).set_index(c.BASE_ID_COLUMN)
    # B1: 2 of 14 set-days booked, then 3 of 14; B2 unchanged
    assert table.loc["B1", "A"] == round(2 / 14 * 100, 2)
    assert table.loc["B1", "Δ B"] == round(round(3 / 14 * 100, 2) - round(2 / 14 * 100, 2), 2)
    assert table.loc["B2", "Δ B"] == 0
    assert table.loc["B1", c.BASE_COLUMN] == "郑州金水影视基地"


def test_a_base_missing_from_one_plan_is_blank_not_zero() -> None:
    a = {"set_utilisation_by_base": {"B1": 0.5}}
    b = {"set_utilisation_by_base": {"B1": 0.25, "B3": 0.1}}
    table = c.utilisation_by_base_delta({"A": a, "B": b}).set_index(c.BASE_ID_COLUMN)
    assert table.loc["B1", "Δ B"] == -25.0
    assert math.isnan(table.loc["B3", "A"]) and math.isnan(table.loc["B3", "Δ B"])
    assert table.loc["B3", c.BASE_COLUMN] == "B3"


# -- stored plans to choose from ---------------------------------------------------


def test_plan_choices_span_scenarios_newest_first(tutorial: Scenario, tmp_path: Path) -> None:
    store = ScenarioStore(get_engine(f"sqlite:///{tmp_path}/c.db"))
    first = store.create(tutorial)
    clone = store.clone(first.scenario_id, "教程 C1 休三天")
    outcome = plan_scenario(tutorial, time_limit=5)
    one = save_outcome(store, first.scenario_id, first.version, outcome, "基准")
    two = save_outcome(store, clone.scenario_id, clone.version, outcome)
    choices = c.plan_choices(store)
    assert [choice.plan.plan_id for choice in choices] == [two, one]
    assert choices[0].label == f"教程 C1 休三天 · #{two}"
    assert choices[1].label == f"{tutorial.name} · #{one} 基准"
    assert "optimal" in choices[1].long_label


def test_parallel_shoots_by_plan_is_one_row_per_plan_and_day(tutorial: Scenario) -> None:
    later = Plan((*shoots_t1(first=4), *shoots_t2()))
    frame = c.parallel_shoots_by_plan(
        {"A": kpis_of(tutorial, REFERENCE), "B": kpis_of(tutorial, later)}
    )
    assert len(frame) == 2 * 7
    b = frame[frame["plan"] == "B"]["shoots"].tolist()
    assert b == [1, 1, 0, 1, 1, 0, 0]  # T2 on 12-01/02, T1 on 12-04/05


def test_plans_of_two_scenarios_load_with_their_own_scenario(
    tutorial: Scenario, tmp_path: Path
) -> None:
    store = ScenarioStore(get_engine(f"sqlite:///{tmp_path}/c.db"))
    first = store.create(tutorial)
    clone = store.clone(first.scenario_id, "教程 加急")
    rush = Title("R1", "加急：总裁的契约新娘", "甜宠", 3, dec(1), dec(7), (Need("办公室", 1),))
    version = store.save(
        clone.scenario_id, replace(tutorial, name="教程 加急", titles=(*tutorial.titles, rush)), 1
    )
    rushed, _ = store.load(clone.scenario_id)
    base = save_outcome(store, first.scenario_id, 1, plan_scenario(tutorial, time_limit=5))
    other = save_outcome(store, clone.scenario_id, version, plan_scenario(rushed, time_limit=5))
    choices = c.plan_choices(store)
    # the current scenario has one plan: the two newest of all are compared, older first
    picked = c.default_choices(choices, first.scenario_id)
    assert [choice.plan.plan_id for choice in picked] == [base, other]
    compared = c.load_compared(store, picked)
    assert [len(p.scenario.titles) for p in compared] == [6, 7]
    assert compared[1].kpis["status"] == "optimal"
    changes = c.changed_titles(compared[0].plan, compared[1].plan, *(p.scenario for p in compared))
    assert kinds(changes)["R1"] == [c.NEW]  # an office day fits in the tutorial's free week
