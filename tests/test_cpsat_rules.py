"""The CP-SAT slate model, rule by rule: one instance that keeps the rule, one that breaks it.

Every instance has 2–6 titles on a horizon of a few days, built from the model
classes; the comment above each test reasons out the expected answer. A test
that "keeps" a rule asserts the optimal plan; a test that "breaks" it fixes
decisions that cannot all hold (pins) or leaves a title no way to shoot, and
asserts an infeasible status or the title unscheduled with its reason. Every
returned plan also passes the independent checker (``solve`` runs it, so an
``error`` status would fail the test).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from scheduler.check.checker import check_plan
from scheduler.domain.model import (
    Actor,
    Base,
    Crew,
    FilmSet,
    Pin,
    Scenario,
    Title,
    Travel,
    Unavailability,
)
from scheduler.samples.generate import generate, generate_with_reference
from solver.result import Phase, Progress, SolveResult
from solver.slate.candidates import enumerate_candidates, set_type_orders
from solver.slate.solve import solve
from solver.status import SolveStatus
from tests.factories import day, days_of
from tests.factories import small_scenario as scenario
from tests.factories import small_title as title


def run(s: Scenario) -> SolveResult:
    result = solve(s, checker=check_plan, time_limit=10.0, workers=1, warm_start=False)
    assert result.status is not SolveStatus.ERROR, result.problems
    return result


# -- rule 1: exact, consecutive days inside the window -------------------------------------


def test_rule_1_keeps_window_and_length() -> None:
    # T1 needs 2 days and may shoot only on days 1..2 of a 4-day horizon, so the one
    # plan is days 1 and 2.
    s = scenario([title("T1", first=1, last=2, needs=[("办公室", 2)])], days=4)
    result = run(s)
    assert result.status is SolveStatus.OPTIMAL
    assert days_of(result.plan, "T1") == [1, 2]


def test_rule_1_breaks_when_window_too_short() -> None:
    # T1 needs 3 consecutive days but its window is 2 days: unscheduled, and the reason
    # says so; pinning it anyway contradicts the rule: infeasible.
    t1 = title("T1", first=0, last=1, needs=[("办公室", 3)])
    result = run(scenario([t1], days=3))
    assert result.plan.shoots == ()
    assert "不够连拍 3 天" in result.plan.unscheduled["T1"]
    pinned = run(scenario([t1], days=3, pins=[Pin("T1", start_date=day(0))]))
    assert pinned.status is SolveStatus.INFEASIBLE


# -- rule 2: one base, set types match the needs -------------------------------------------


def test_rule_2_keeps_one_base_with_every_type() -> None:
    # B1 has only 办公室; B2 has 办公室 and 医院. T1 needs one day of each, so it shoots
    # both days at B2, one day on each type.
    s = scenario(
        [title("T1", needs=[("办公室", 1), ("医院", 1)])],
        bases=[Base("B1", "金水基地", "郑州"), Base("B2", "二七基地", "郑州")],
        sets=[
            FilmSet("S1", "B1", "办公室", 500),
            FilmSet("S2", "B2", "办公室", 1000),
            FilmSet("S3", "B2", "医院", 1000),
        ],
    )
    result = run(s)
    shoots = result.plan.shoots_of("T1")
    assert {shoot.base_id for shoot in shoots} == {"B2"}
    assert sorted(shoot.set_id for shoot in shoots) == ["S2", "S3"]


def test_rule_2_breaks_when_no_base_has_every_type() -> None:
    # 办公室 is at B1 and 医院 at B2 only: no base can host T1, whose reason names both.
    s = scenario(
        [title("T1", needs=[("办公室", 1), ("医院", 1)])],
        bases=[Base("B1", "金水基地", "郑州"), Base("B2", "二七基地", "郑州")],
        sets=[FilmSet("S1", "B1", "办公室", 500), FilmSet("S2", "B2", "医院", 1000)],
    )
    result = run(s)
    assert result.plan.shoots == ()
    assert result.plan.unscheduled["T1"] == "没有基地同时有 办公室+医院 场景"


def test_set_type_orders_enumerate_then_cap_at_blocks() -> None:
    # 办公室×2 + 医院×1 has 3 distinct orders; with a cap of 2 only block orders remain.
    assert len(set_type_orders({"办公室": 2, "医院": 1}, 6)) == 3
    assert set_type_orders({"办公室": 2, "医院": 1}, 2) == (
        ("办公室", "办公室", "医院"),
        ("医院", "办公室", "办公室"),
    )


# -- rule 3: one crew that can shoot the genre ---------------------------------------------


def test_rule_3_keeps_one_crew_of_the_genre() -> None:
    # C1 shoots only 都市 and is cheaper; T1 is 古装, so C2 shoots both of its days.
    s = scenario(
        [title("T1", genre="古装", needs=[("办公室", 2)])],
        crews=[
            Crew("C1", "张导剧组", "B1", 5000, genres=("都市",)),
            Crew("C2", "李导剧组", "B1", 9000, genres=("古装",)),
        ],
    )
    result = run(s)
    assert {shoot.crew_id for shoot in result.plan.shoots} == {"C2"}
    assert len(result.plan.shoots) == 2


def test_rule_3_breaks_when_the_pinned_crew_lacks_the_genre() -> None:
    # Pinning the 都市-only crew on a 古装 title cannot be kept: infeasible, with the reason.
    s = scenario(
        [title("T1", genre="古装")],
        crews=[Crew("C1", "张导剧组", "B1", 5000, genres=("都市",))],
        pins=[Pin("T1", crew_id="C1")],
    )
    result = run(s)
    assert result.status is SolveStatus.INFEASIBLE
    assert "不能拍 古装" in result.problems[0]


# -- rule 4: a set, a crew, an actor in one shoot a day ------------------------------------


def test_rule_4_set_keeps_one_shoot_a_day() -> None:
    # One 办公室 set and a 1-day horizon; two crews could shoot both titles, but the set
    # hosts one shoot: only T2 (priority 3) is scheduled.
    s = scenario(
        [title("T1", priority=2), title("T2", priority=3)],
        days=1,
        crews=[Crew("C1", "张导剧组", "B1", 1), Crew("C2", "李导剧组", "B1", 1)],
    )
    result = run(s)
    assert result.status is SolveStatus.OPTIMAL
    assert result.plan.scheduled_title_ids == {"T2"}
    assert result.priority_scheduled == 3
    # the reason names the set type held, the day and the title holding it
    assert "已证最优" in result.plan.unscheduled["T1"]
    assert "无空闲办公室棚：12-01 被 T2 占用" in result.plan.unscheduled["T1"]


def test_rule_4_set_breaks_when_pinned_to_the_same_day() -> None:
    # Both titles pinned to day 0 need the one set that day: infeasible, both named.
    s = scenario(
        [title("T1"), title("T2")],
        crews=[Crew("C1", "张导剧组", "B1", 1), Crew("C2", "李导剧组", "B1", 1)],
        pins=[Pin("T1", start_date=day(0)), Pin("T2", start_date=day(0))],
    )
    result = run(s)
    assert result.status is SolveStatus.INFEASIBLE
    assert "T1" in result.problems[0] and "T2" in result.problems[0]


def test_rule_4_crew_keeps_one_title_a_day() -> None:
    # Two sets but one crew on a 1-day horizon: only T1 (priority 5) is scheduled.
    s = scenario(
        [title("T1", priority=5), title("T2", priority=4)],
        days=1,
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B1", "办公室", 1)],
    )
    result = run(s)
    assert result.plan.scheduled_title_ids == {"T1"}


def test_rule_4_crew_breaks_when_pinned_to_overlap() -> None:
    # The one crew pinned to both titles on overlapping days (T1 days 0-1, T2 day 1).
    s = scenario(
        [title("T1", needs=[("办公室", 2)]), title("T2")],
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B1", "办公室", 1)],
        pins=[Pin("T1", start_date=day(0)), Pin("T2", start_date=day(1))],
    )
    assert run(s).status is SolveStatus.INFEASIBLE


def test_rule_4_actor_keeps_one_title_a_day() -> None:
    # Two sets, two crews, a 1-day horizon; 王磊 leads both titles, so only the higher
    # priority one (T2) is scheduled.
    s = scenario(
        [title("T1", priority=1, cast=["A1"]), title("T2", priority=2, cast=["A1"])],
        days=1,
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B1", "办公室", 1)],
        crews=[Crew("C1", "张导剧组", "B1", 1), Crew("C2", "李导剧组", "B1", 1)],
        actors=[Actor("A1", "王磊", 1000)],
    )
    result = run(s)
    assert result.status is SolveStatus.OPTIMAL
    assert result.plan.scheduled_title_ids == {"T2"}


def test_rule_4_actor_breaks_when_pinned_to_the_same_day() -> None:
    s = scenario(
        [title("T1", cast=["A1"]), title("T2", cast=["A1"])],
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B1", "办公室", 1)],
        crews=[Crew("C1", "张导剧组", "B1", 1), Crew("C2", "李导剧组", "B1", 1)],
        actors=[Actor("A1", "王磊", 1000)],
        pins=[Pin("T1", start_date=day(2)), Pin("T2", start_date=day(2))],
    )
    assert run(s).status is SolveStatus.INFEASIBLE


# -- rule 5: nothing booked when unavailable -----------------------------------------------


def test_rule_5_keeps_clear_of_outages() -> None:
    # The set is closed on day 0, the crew on day 1, the actor on day 2: T1 (1 day,
    # window days 0..3) can only shoot on day 3.
    s = scenario(
        [title("T1", first=0, last=3, cast=["A1"])],
        days=4,
        actors=[Actor("A1", "王磊", 1000)],
        unavailable=[
            Unavailability("set", "S1", day(0), day(0)),
            Unavailability("crew", "C1", day(1), day(1)),
            Unavailability("actor", "A1", day(2), day(2)),
        ],
    )
    assert days_of(run(s).plan, "T1") == [3]


def test_rule_5_breaks_when_the_actor_is_away_all_window() -> None:
    # 王磊 is away on days 0..2, the whole window: T1 is unscheduled and the reason names him.
    s = scenario(
        [title("T1", last=2, cast=["A1"])],
        actors=[Actor("A1", "王磊", 1000)],
        unavailable=[Unavailability("actor", "A1", day(0), day(2))],
    )
    result = run(s)
    assert result.plan.shoots == ()
    assert "演员 王磊" in result.plan.unscheduled["T1"]


def test_rule_5_breaks_when_the_base_is_closed() -> None:
    s = scenario(
        [title("T1")],
        unavailable=[Unavailability("base", "B1", day(0), day(2))],
    )
    result = run(s)
    assert result.plan.shoots == ()
    assert "停用" in result.plan.unscheduled["T1"]


# -- rule 6: base crew limit ---------------------------------------------------------------


def test_rule_6_keeps_max_crews() -> None:
    # B1 has two sets and two crews but takes one title a day; 1-day horizon: only T2.
    s = scenario(
        [title("T1", priority=1), title("T2", priority=2)],
        days=1,
        bases=[Base("B1", "金水基地", "郑州", max_crews=1)],
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B1", "办公室", 1)],
        crews=[Crew("C1", "张导剧组", "B1", 1), Crew("C2", "李导剧组", "B1", 1)],
    )
    result = run(s)
    assert result.status is SolveStatus.OPTIMAL
    assert result.plan.scheduled_title_ids == {"T2"}


def test_rule_6_breaks_when_pinned_over_the_cap() -> None:
    s = scenario(
        [title("T1"), title("T2")],
        bases=[Base("B1", "金水基地", "郑州", max_crews=1)],
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B1", "办公室", 1)],
        crews=[Crew("C1", "张导剧组", "B1", 1), Crew("C2", "李导剧组", "B1", 1)],
        pins=[Pin("T1", start_date=day(1)), Pin("T2", start_date=day(1))],
    )
    assert run(s).status is SolveStatus.INFEASIBLE


# -- rule 7: travel days between cities ----------------------------------------------------


def two_cities(
    titles: Sequence[Title],
    pins: Sequence[Pin],
    crews: Sequence[Crew] = (Crew("C1", "张导剧组", "B1", 1),),
    actors: Sequence[Actor] = (),
) -> Scenario:
    """B1 in 郑州 and B2 in 开封, one 办公室 set each, one free day to travel between them."""
    return scenario(
        titles,
        bases=[Base("B1", "金水基地", "郑州"), Base("B2", "清明上河园", "开封")],
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B2", "办公室", 1)],
        travel=[Travel("郑州", "开封", 1)],
        crews=crews,
        actors=actors,
        pins=pins,
    )


def test_rule_7_keeps_a_free_day_to_travel() -> None:
    # One crew; T1 can shoot only in 郑州 (pinned to B1) on day 0; T2 only in 开封 (B2)
    # on days 1..2. One free day is needed to travel, so T2 shoots on day 2, not day 1.
    s = two_cities(
        [title("T1", priority=2, last=0), title("T2", priority=1, first=1, last=2)],
        pins=[Pin("T1", base_id="B1"), Pin("T2", base_id="B2")],
    )
    result = run(s)
    assert days_of(result.plan, "T1") == [0]
    assert days_of(result.plan, "T2") == [2]


def test_rule_7_actor_keeps_a_free_day_to_travel() -> None:
    # Two crews, but 王磊 leads both titles: the same free day is needed for the actor.
    s = two_cities(
        [title("T1", last=0, cast=["A1"]), title("T2", first=1, last=2, cast=["A1"])],
        pins=[Pin("T1", base_id="B1"), Pin("T2", base_id="B2")],
        crews=[Crew("C1", "张导剧组", "B1", 1), Crew("C2", "李导剧组", "B2", 1)],
        actors=[Actor("A1", "王磊", 1000)],
    )
    assert days_of(run(s).plan, "T2") == [2]


def test_rule_7_breaks_when_pinned_without_travel_time() -> None:
    # The same, with T2 pinned to day 1: no free day to travel, infeasible.
    s = two_cities(
        [title("T1", last=0), title("T2", first=1, last=2)],
        pins=[Pin("T1", base_id="B1"), Pin("T2", start_date=day(1), base_id="B2")],
    )
    assert run(s).status is SolveStatus.INFEASIBLE


# -- rule 8: pins kept ---------------------------------------------------------------------


def test_rule_8_keeps_pins() -> None:
    # Unpinned, T1 would shoot on day 0 at the cheaper B1 with the cheaper C1; the pin
    # asks for day 2 at B2 with C2, and the plan keeps all three.
    s = scenario(
        [title("T1")],
        bases=[Base("B1", "金水基地", "郑州"), Base("B2", "二七基地", "郑州")],
        sets=[FilmSet("S1", "B1", "办公室", 100), FilmSet("S2", "B2", "办公室", 900)],
        crews=[Crew("C1", "张导剧组", "B1", 100), Crew("C2", "李导剧组", "B1", 900)],
        pins=[Pin("T1", start_date=day(2), base_id="B2", crew_id="C2")],
    )
    (shoot,) = run(s).plan.shoots
    assert (shoot.date, shoot.base_id, shoot.crew_id) == (day(2), "B2", "C2")


def test_rule_8_breaks_when_the_pinned_base_lacks_a_type() -> None:
    s = scenario(
        [title("T1", needs=[("医院", 1)])],
        bases=[Base("B1", "金水基地", "郑州"), Base("B2", "二七基地", "郑州")],
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B2", "医院", 1)],
        pins=[Pin("T1", base_id="B1")],
    )
    result = run(s)
    assert result.status is SolveStatus.INFEASIBLE
    assert "钉住的基地 金水基地 没有 医院 场景" in result.problems[0]


# -- rule 9: crew days in a row ------------------------------------------------------------


def test_rule_9_keeps_a_rest_day() -> None:
    # C1 shoots at most 2 days in a row. Three 1-day titles on a 4-day horizon, two sets:
    # all three fit only with a rest day, so the crew never shoots 3 days running.
    s = scenario(
        [title("T1"), title("T2"), title("T3")],
        days=4,
        crews=[Crew("C1", "张导剧组", "B1", 1, max_days_in_row=2)],
    )
    result = run(s)
    assert len(result.plan.scheduled_title_ids) == 3
    shot = sorted(d for t in ("T1", "T2", "T3") for d in days_of(result.plan, t))
    assert shot not in ([0, 1, 2], [1, 2, 3])


def test_rule_9_breaks_when_pinned_three_days_running() -> None:
    # Without pins, a 3-day horizon holds only two of the three (priorities 3 and 2);
    # pinning all three on days 0, 1, 2 is infeasible.
    crews = [Crew("C1", "张导剧组", "B1", 1, max_days_in_row=2)]
    titles = [title("T1", priority=3), title("T2", priority=2), title("T3", priority=1)]
    result = run(scenario(titles, crews=crews))
    assert result.plan.scheduled_title_ids == {"T1", "T2"}
    pins = [Pin(f"T{n}", start_date=day(n - 1)) for n in (1, 2, 3)]
    assert run(scenario(titles, crews=crews, pins=pins)).status is SolveStatus.INFEASIBLE


# -- objective: cost, then finishing early ---------------------------------------------------


def test_cheapest_set_and_crew_then_earliest_day() -> None:
    # Two interchangeable sets and crews with different rates: the plan books the cheaper
    # of each; with equal cost on every day, T1 shoots on day 0 (finish early).
    s = scenario(
        [title("T1")],
        sets=[FilmSet("S1", "B1", "办公室", 900), FilmSet("S2", "B1", "办公室", 300)],
        crews=[Crew("C1", "张导剧组", "B1", 900), Crew("C2", "李导剧组", "B1", 300)],
    )
    result = run(s)
    (shoot,) = result.plan.shoots
    assert (shoot.set_id, shoot.crew_id, shoot.date) == ("S2", "C2", day(0))
    assert result.cost == 600


def test_candidates_explain_every_impossible_title() -> None:
    s = scenario(
        [title("T1", genre="古装"), title("T2", needs=[("别墅", 1)])],
        crews=[Crew("C1", "张导剧组", "B1", 1, genres=("都市",))],
    )
    impossible = enumerate_candidates(s).impossible
    assert impossible == {"T1": "没有能拍 古装 的剧组", "T2": "没有基地同时有 别墅 场景"}


# -- the solve loop: stop flag, progress, the tutorial ---------------------------------------


def test_stop_flag_returns_the_best_plan_so_far() -> None:
    stop = threading.Event()
    stop.set()
    s = scenario([title("T1"), title("T2")])
    result = solve(s, checker=check_plan, time_limit=10.0, stop=stop, warm_start=False)
    assert result.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert result.solve_seconds < 5.0


def test_stop_flag_interrupts_a_long_solve() -> None:
    # Zhengzhou month with a 60 s limit, stopped after 3 s: the solve returns within a
    # second or so with a checked plan at least as good as the greedy warm start.
    month = generate("zhengzhou-month")
    stop = threading.Event()
    timer = threading.Timer(3.0, stop.set)
    timer.start()
    started = time.monotonic()
    result = solve(month, checker=check_plan, time_limit=60.0, stop=stop)
    timer.cancel()
    assert time.monotonic() - started < 8.0
    assert result.status is SolveStatus.FEASIBLE
    if result.greedy_priority is not None:
        assert result.priority_scheduled >= result.greedy_priority


def test_progress_is_reported() -> None:
    seen: list[Progress] = []
    s = scenario([title("T1", priority=2), title("T2")])
    solve(s, checker=check_plan, time_limit=10.0, progress=seen.append)
    assert seen and seen[0].elapsed >= 0.0


def test_progress_reports_say_their_phase(tutorial: Scenario) -> None:
    # the tutorial is proven optimal at once (priority 17), so phase 2 then lowers its cost:
    # every priority report comes before every cost report, and the last cost report is
    # the plan's cost in CNY
    seen: list[Progress] = []
    result = solve(tutorial, checker=check_plan, time_limit=10.0, workers=1, progress=seen.append)
    phases = [p.phase for p in seen]
    assert Phase.PRIORITY in phases and Phase.COST in phases, result.log
    assert phases == sorted(phases, key=[Phase.PRIORITY, Phase.COST].index)
    assert all(p.objective <= 17 for p in seen if p.phase is Phase.PRIORITY)
    assert [p.objective for p in seen if p.phase is Phase.COST][-1] == result.cost


def test_tutorial_is_proven_optimal_fast() -> None:
    tutorial = generate("tutorial")
    started = time.monotonic()
    result = solve(tutorial, checker=check_plan, time_limit=5.0)
    assert time.monotonic() - started < 5.0
    assert result.status is SolveStatus.OPTIMAL, result.log
    # the tutorial is built so that all six titles fit (one way only)
    assert result.plan.scheduled_title_ids == {t.title_id for t in tutorial.titles}
    assert result.priority_bound == result.priority_scheduled


def test_reference_plans_fit_the_model() -> None:
    # The generator builds each sample around a hidden reference plan that keeps every rule.
    # Every one of its titles must be one of the model's candidates (same base, start,
    # set-type order and crew), and on the tutorial the plan, fixed variable by variable,
    # must satisfy every constraint of the model.
    from ortools.sat.python import cp_model

    from solver.slate.cpsat.model import SlateModel

    for kind in ("zhengzhou-month", "tutorial"):
        s, reference = generate_with_reference(kind)
        slate = SlateModel(s, enumerate_candidates(s))
        choices, unmatched = slate.choices_from_plan(reference)
        assert unmatched == [], kind
        assert set(choices) == set(reference.scheduled_title_ids)
    for index, value in enumerate(slate.values_for(choices)):
        slate.model.add(slate.model.get_bool_var_from_proto_index(index) == value)
    assert cp_model.CpSolver().solve(slate.model) == cp_model.OPTIMAL
