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
from tests.factories import (
    dec,
    outage,
    shoot_plan,
    shoot_run,
    small_crew,
    small_scenario,
    small_title,
    two_base_plan,
    two_base_scenario,
)


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


# -- defaults: the reference and the plans compared with it ------------------------


def _stored(store: ScenarioStore, scenario_id: int, version: int, label: str) -> int:
    """A stored plan of ``two_base_plan`` (its KPIs do not matter to the choice)."""
    return store.save_plan(scenario_id, version, two_base_plan(), {"status": "feasible"}, label)


def test_the_reference_is_the_current_scenarios_newest_plan_not_a_clones(tmp_path: Path) -> None:
    store = ScenarioStore(get_engine(f"sqlite:///{tmp_path}/c.db"))
    original = store.create(two_base_scenario(name="原始"))
    older = _stored(store, original.scenario_id, 1, "旧")
    newest = _stored(store, original.scenario_id, 1, "新")
    clones = [store.clone(original.scenario_id, f"克隆{n}") for n in range(4)]
    clone_plans = [_stored(store, c.scenario_id, 1, "") for c in clones]  # all newer than `newest`
    choices = c.plan_choices(store)
    reference = c.default_reference(choices, original.scenario_id)
    assert reference is not None and reference.plan.plan_id == newest
    others = [choice.plan.plan_id for choice in c.default_others(choices, reference)]
    # the newest plan of each other scenario, newest first, at most 3; not the older original
    assert others == clone_plans[::-1][:3]
    assert older not in others
    assert [x.plan.plan_id for x in c.default_choices(choices, original.scenario_id)] == [
        newest,
        *others,
    ]


def test_without_other_scenarios_the_next_plan_of_the_same_one_is_compared(
    tmp_path: Path,
) -> None:
    store = ScenarioStore(get_engine(f"sqlite:///{tmp_path}/c.db"))
    info = store.create(two_base_scenario())
    one, two = (_stored(store, info.scenario_id, 1, label) for label in ("一", "二"))
    choices = c.plan_choices(store)
    reference = c.default_reference(choices, info.scenario_id)
    assert reference is not None and reference.plan.plan_id == two
    assert [x.plan.plan_id for x in c.default_others(choices, reference)] == [one]


def test_a_scenario_without_plans_takes_the_newest_plan_as_reference(tmp_path: Path) -> None:
    store = ScenarioStore(get_engine(f"sqlite:///{tmp_path}/c.db"))
    info = store.create(two_base_scenario())
    empty = store.clone(info.scenario_id, "空")
    plan = _stored(store, info.scenario_id, 1, "")
    reference = c.default_reference(c.plan_choices(store), empty.scenario_id)
    assert reference is not None and reference.plan.plan_id == plan
    assert c.default_reference([], empty.scenario_id) is None


# -- fitting several plans: short names, value and Δ in one cell --------------------


def test_short_names_and_their_legend() -> None:
    names = ["教程 · #1", "教程 C1 休三天 · #2 C1 休三天", "教程 加急 · #3"]
    assert list(c.short_names(names).values()) == ["基准", "方案1", "方案2"]
    legend = c.plan_legend(names)
    assert legend[c.PLAN_COLUMN].tolist() == names
    assert legend[c.SHORT_COLUMN].tolist() == ["基准", "方案1", "方案2"]


def test_compact_kpis_hold_value_and_delta_in_one_cell(tutorial: Scenario) -> None:
    scenes = tutorial.scene_days("T4")[0].scene_ids
    more = Plan((*REFERENCE.shoots, Shoot("T4", dec(3), "B1", "S2", "C2", scenes)))
    a, b = kpis_of(tutorial, REFERENCE), kpis_of(tutorial, more)
    numbers = c.compare_kpis({"基准": a, "方案1": b, "方案2": a, "方案3": b})
    table = c.compact(numbers, [c.KPI_COLUMN], ["基准", "方案1", "方案2", "方案3"])
    # six columns whatever the names' length: KPI, four plans, better
    assert list(table.columns) == [
        c.KPI_COLUMN,
        "基准",
        "方案1",
        "方案2",
        "方案3",
        c.BETTER_COLUMN,
    ]
    shoots = table.set_index(c.KPI_COLUMN).loc["拍摄场次 shoots"]
    assert shoots["基准"] == "4"  # the reference shows its value alone
    assert shoots["方案1"] == "5（+1）"
    assert shoots["方案2"] == "4（±0）"
    cost = table.set_index(c.KPI_COLUMN).loc["成本 cost (CNY)", "方案1"]
    assert cost.endswith("（+3.5万）")  # S2 3500 + C2 26000 + A4 4000 + A6 1000 = 34,500
    bound = table.set_index(c.KPI_COLUMN).loc["优先级上界 priority bound", "方案1"]
    assert bound == "–（–）"  # no bound in either plan: missing, not zero


def test_a_negative_delta_reads_with_a_minus_sign() -> None:
    assert c.value_with_delta(1248, -7) == "1,248（−7）"
    assert c.value_with_delta(82.35, 1.2) == "82.35（+1.20）"


def test_costs_of_10_wan_and_more_read_in_wan() -> None:
    # 19,564,400 CNY is 1,956.4万; a Δ of 64,800 is +6.5万, one of 2,600 stays whole
    assert c.value_with_delta(19_564_400, 64_800) == "1,956.4万（+6.5万）"
    assert c.value_with_delta(19_502_200, 2_600) == "1,950.2万（+2,600）"
    assert c.value_with_delta(18_917_600, -582_000) == "1,891.8万（−58.2万）"
    assert c.value_with_delta(99_999, 1) == "99,999（+1）"  # under 10万: whole


# -- forced changes against reshuffles -----------------------------------------------


def by_title(changes) -> dict[str, tuple[str, str]]:
    return {
        row[c.CHANGE_COLUMNS[0]]: (row[c.KIND_COLUMN], row[c.WHY_COLUMN])
        for _, row in changes.iterrows()
    }


def test_a_title_on_a_closed_base_is_a_forced_change_with_the_rule() -> None:
    # B1 closed on 12-01: T2 (B1, 12-01) must move; T1 (B2) keeps every rule but moved too
    before = two_base_scenario()
    after = two_base_scenario(unavailable=(outage("base", "B1", 0),))
    reference = two_base_plan()
    replanned = shoot_plan(
        shoot_run("T1", 3, "B2", ["S2", "S2"], "C2"),
        shoot_run("T2", 3, "B1", ["S1"], "C1"),
        shoot_run("T3", 2, "B1", ["S1"], "C1"),
    )
    changes = c.what_if_changes(reference, replanned, before, after)
    found = by_title(changes)
    assert found["T2"][0] == c.FORCED
    assert "规则5" in found["T2"][1] and "B1" in found["T2"][1]
    assert found["T1"] == (c.RESHUFFLE, c.RESHUFFLE_WHY)
    assert "T3" not in found  # unchanged
    assert changes[c.KIND_COLUMN].tolist()[0] == c.FORCED  # forced first, though T1 comes first
    assert c.what_if_counts(changes) == {c.FORCED: 1, c.NEW: 0, c.DROPPED: 0, c.RESHUFFLE: 1}
    main, reshuffles = c.split_reshuffles(changes)
    assert set(main[c.CHANGE_COLUMNS[0]]) == {"T2"}
    assert set(reshuffles[c.CHANGE_COLUMNS[0]]) == {"T1"}


def test_the_same_move_without_the_closure_is_a_reshuffle() -> None:
    scenario = two_base_scenario()
    replanned = shoot_plan(
        shoot_run("T1", 1, "B2", ["S2", "S2"], "C2"),
        shoot_run("T2", 3, "B1", ["S1"], "C1"),
        shoot_run("T3", 2, "B1", ["S1"], "C1"),
    )
    changes = c.what_if_changes(two_base_plan(), replanned, scenario, scenario)
    assert by_title(changes) == {"T2": (c.RESHUFFLE, c.RESHUFFLE_WHY)}
    assert c.what_if_counts(changes)[c.FORCED] == 0


def test_a_crew_that_is_gone_forces_its_titles_and_names_it() -> None:
    before = two_base_scenario()
    after = two_base_scenario(crews=(small_crew("C2", home_base_id="B2"),))
    replanned = shoot_plan(
        shoot_run("T1", 1, "B2", ["S2", "S2"], "C2"),
        shoot_run("T2", 3, "B1", ["S1"], "C2"),
        unscheduled={"T3": "没有空闲剧组"},
    )
    changes = c.what_if_changes(two_base_plan(), replanned, before, after)
    found = by_title(changes)
    assert found["T2"][0] == c.FORCED and "C1" in found["T2"][1]
    # a dropped title stays dropped, with the rule its old placement breaks as the reason
    assert found["T3"][0] == c.DROPPED and "C1" in found["T3"][1]
    assert c.what_if_counts(changes) == {c.FORCED: 1, c.NEW: 0, c.DROPPED: 1, c.RESHUFFLE: 0}


def test_a_fault_the_reference_already_had_does_not_force_a_move() -> None:
    # the stored scenario is newer than the plan: C1 is off 12-01 in BOTH scenarios, so T2's
    # fault is not the what-if's doing; the what-if (B2 closed 12-05) changes nothing for T2
    off = outage("crew", "C1", 0)
    before = two_base_scenario(unavailable=(off,))
    after = two_base_scenario(unavailable=(off, outage("base", "B2", 4)))
    replanned = shoot_plan(
        shoot_run("T1", 1, "B2", ["S2", "S2"], "C2"),
        shoot_run("T2", 4, "B1", ["S1"], "C1"),
        shoot_run("T3", 2, "B1", ["S1"], "C1"),
    )
    changes = c.what_if_changes(two_base_plan(), replanned, before, after)
    assert by_title(changes)["T2"][0] == c.RESHUFFLE


def test_a_rush_title_newly_scheduled_stays_new() -> None:
    before = two_base_scenario()
    after = two_base_scenario(titles=(*before.titles, small_title("R1", 3, last=4)))
    replanned = Plan((*two_base_plan().shoots, *shoot_run("R1", 4, "B1", ["S1"], "C1")))
    changes = c.what_if_changes(two_base_plan(), replanned, before, after)
    assert by_title(changes) == {"R1": (c.NEW, "")}


def test_clones_with_the_references_bases_come_before_other_samples(tmp_path: Path) -> None:
    store = ScenarioStore(get_engine(f"sqlite:///{tmp_path}/c.db"))
    original = store.create(two_base_scenario(name="原始"))
    reference = _stored(store, original.scenario_id, 1, "")
    clone = store.clone(original.scenario_id, "克隆")
    clone_plan = _stored(store, clone.scenario_id, 1, "")
    # another sample with one base, planned after the clone: newer, yet not its what-if
    one_base = store.create(small_scenario([small_title("T1")], name="别的样例"))
    other = store.save_plan(one_base.scenario_id, 1, Plan((), {"T1": "未排"}), {}, "")
    choices = c.plan_choices(store)
    first = c.default_reference(choices, original.scenario_id)
    assert first is not None and first.plan.plan_id == reference
    assert [x.plan.plan_id for x in c.default_others(choices, first)] == [clone_plan, other]
