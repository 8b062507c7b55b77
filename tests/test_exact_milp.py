"""Cross-checks: the exact day-indexed MILP, HiGHS against CBC, and against the CP-SAT scheduler.

On the tutorial, the tiny factory scenario and small seeded random scenarios,
HiGHS and CBC prove the same optimum of the MILP and CP-SAT proves the same
priority; every plan the MILP returns passes the independent checker. Then
pairs per rule on 1–3 titles (kept / broken) with the optimum reasoned in a
comment, pins that contradict each other, and a time-limited run that PuLP
would call "Optimal" but that proved nothing.

One place where CP-SAT does not reach the SPEC's optimum is kept as a strict
``xfail`` test (it turns into a failure once CP-SAT is fixed), so that the
disagreement stays visible: a title whose set types must interleave. CP-SAT
then must not claim the optimum either (tested). A pin row with no field
filled fixes nothing, in all three.
"""

from __future__ import annotations

import random
from dataclasses import replace
from functools import partial

import pytest

from scheduler.check.checker import check_plan
from scheduler.domain.model import (
    Actor,
    Base,
    Crew,
    FilmSet,
    Pin,
    Scenario,
    Travel,
    Unavailability,
)
from scheduler.io.tables import scenario_to_tables
from scheduler.io.validation import find_problems
from solver.capacity.exact_milp import ExactResult, exact_priority_optimum
from solver.capacity.lp import CapacitySolver
from solver.result import SolveResult
from solver.slate.solve import solve
from solver.status import SolveStatus
from tests.factories import day, random_scenario, small_scenario, small_title, tiny_scenario

# the MILP's titles default to a three-day window; its scenarios are the small ones
title = partial(small_title, last=2)
scenario = small_scenario
SOLVERS: tuple[CapacitySolver, ...] = ("highs", "cbc")
SET_TYPES = ("办公室", "别墅", "医院")


def milp(s: Scenario, solver: CapacitySolver = "highs", time_limit: float = 20.0) -> ExactResult:
    """The MILP's optimum; whatever plan it returns passes the independent checker."""
    result = exact_priority_optimum(s, solver=solver, time_limit=time_limit)
    if result.plan is not None:
        assert check_plan(s, result.plan) == [], result.summary()
    return result


def cpsat(s: Scenario) -> SolveResult:
    result = solve(s, checker=check_plan, time_limit=20.0, workers=1)
    assert result.status is not SolveStatus.ERROR, result.problems
    return result


def optimum(s: Scenario, time_limit: float = 20.0) -> int | None:
    """The MILP optimum, the same by HiGHS and by CBC (``None``: infeasible)."""
    highs, cbc = milp(s, "highs", time_limit), milp(s, "cbc", time_limit)
    assert highs.status == cbc.status, (highs.summary(), cbc.summary())
    assert highs.status.proven, highs.summary()
    assert highs.priority == cbc.priority, (highs.summary(), cbc.summary())
    return highs.priority


def assert_all_agree(s: Scenario) -> int:
    """HiGHS, CBC and CP-SAT prove the same optimum of Σ priority; returns it."""
    best = optimum(s)
    result = cpsat(s)
    assert result.status is SolveStatus.OPTIMAL, result.summary()
    assert result.priority_scheduled == best, (best, result.summary())
    return best


# -- the optimum agrees ------------------------------------------------------------------


def test_tutorial(tutorial: Scenario) -> None:
    # the MILP books a title's cast on every day, so the tutorial is taken without its
    # scene breakdown; every title fits in the tutorial week: 5 + 4 + 3 + 2 + 2 + 1
    plain = replace(tutorial, titles=tuple(replace(t, scenes=()) for t in tutorial.titles))
    assert assert_all_agree(plain) == 17


def test_scene_breakdowns_are_refused(tutorial: Scenario) -> None:
    with pytest.raises(ValueError, match="scene breakdowns"):
        exact_priority_optimum(tutorial)


def test_tiny_scenario() -> None:
    assert assert_all_agree(tiny_scenario()) == sum(t.priority for t in tiny_scenario().titles)


@pytest.mark.parametrize("seed", range(16))
def test_random_small_scenarios(seed: int) -> None:
    s = random_scenario(seed)
    assert find_problems(scenario_to_tables(s)) == []  # the builder makes valid input
    assert_all_agree(s)


@pytest.mark.parametrize("seed", [10, 12, 16, 26])
def test_random_larger_scenarios(seed: int) -> None:
    # 10–18 titles crowding 3–5 sets: about half of the total priority fits
    s = random_scenario(seed, titles=(10, 18))
    assert find_problems(scenario_to_tables(s)) == []
    assert_all_agree(s)


# -- rules, kept and broken --------------------------------------------------------------


def two_cities(travel_days: int, *, same_actor: bool) -> Scenario:
    """T1 (priority 3) on days 0–1 at B1 in 郑州, T2 (priority 2) on day 3 at B2 in 开封.

    Day 2 is the one free day between them. With ``same_actor`` both star A1 and
    each has its own crew; otherwise no cast and C1 is the only crew.
    """
    crews = [Crew("C1", "张导剧组", "B1", 1)]
    if same_actor:
        crews.append(Crew("C2", "李导剧组", "B2", 1))
    cast = ["A1"] if same_actor else []
    return scenario(
        [
            title("T1", priority=3, first=0, last=1, needs=[("办公室", 2)], cast=cast),
            title("T2", priority=2, first=3, last=3, needs=[("医院", 1)], cast=cast),
        ],
        days=4,
        bases=[Base("B1", "金水基地", "郑州"), Base("B2", "清明上河园", "开封")],
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B2", "医院", 1)],
        crews=crews,
        actors=[Actor("A1", "王磊", 1)] if same_actor else [],
        travel=[Travel("郑州", "开封", travel_days)],
    )


@pytest.mark.parametrize("same_actor", [False, True], ids=["crew", "actor"])
def test_rule_7_travel_kept_and_broken(same_actor: bool) -> None:
    # One free day is enough for 1 travel day: both titles, 3 + 2. Two travel days do
    # not fit in it: the optimum drops by the smaller priority, to 3.
    assert assert_all_agree(two_cities(1, same_actor=same_actor)) == 5
    assert assert_all_agree(two_cities(2, same_actor=same_actor)) == 3


def test_rule_7_counts_every_two_titles_not_only_neighbours() -> None:
    # A1 stars in T1 (郑州, day 0), T2 (开封, day 1), T3 (洛阳, day 2), each pinned to
    # its city. 郑州→开封 and 开封→洛阳 need no free day, but 郑州→洛阳 needs 5 and
    # T1 and T3 have one free day between them: the pins cannot all be kept.
    bases = [Base("B1", "金水基地", "郑州"), Base("B2", "清明上河园", "开封")]
    bases.append(Base("B3", "洛阳基地", "洛阳"))
    s = scenario(
        [title(f"T{n}", first=n - 1, last=n - 1, cast=["A1"]) for n in (1, 2, 3)],
        bases=bases,
        sets=[FilmSet(f"S{n}", f"B{n}", "办公室", 1) for n in (1, 2, 3)],
        crews=[Crew(f"C{n}", f"剧组{n}", "B1", 1) for n in (1, 2, 3)],
        actors=[Actor("A1", "王磊", 1)],
        travel=[Travel("郑州", "开封", 0), Travel("开封", "洛阳", 0), Travel("郑州", "洛阳", 5)],
        pins=[Pin(f"T{n}", base_id=f"B{n}") for n in (1, 2, 3)],
    )
    assert optimum(s) is None
    assert cpsat(s).status is SolveStatus.INFEASIBLE


def in_a_row(limit: int) -> Scenario:
    """C1, the only crew, with ``limit`` days in a row; T1 (3) on days 0–1, T2 (2) on day 2."""
    return scenario(
        [
            title("T1", priority=3, first=0, last=1, needs=[("办公室", 2)]),
            title("T2", priority=2, first=2, last=2),
        ],
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B1", "办公室", 1)],
        crews=[Crew("C1", "张导剧组", "B1", 1, max_days_in_row=limit)],
    )


def test_rule_9_days_in_row_kept_and_broken() -> None:
    # Both titles make C1 shoot three days running: allowed at 3 (priority 5), not at
    # 2, where only the higher priority T1 is left.
    assert assert_all_agree(in_a_row(3)) == 5
    assert assert_all_agree(in_a_row(2)) == 3


def capped(max_crews: int | None) -> Scenario:
    """One day, B1 with two sets and two crews, capped at ``max_crews``; T1 (3), T2 (2)."""
    return scenario(
        [title("T1", priority=3, last=0), title("T2", priority=2, last=0)],
        days=1,
        bases=[Base("B1", "金水基地", "郑州", max_crews=max_crews)],
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B1", "办公室", 1)],
        crews=[Crew("C1", "张导剧组", "B1", 1), Crew("C2", "李导剧组", "B1", 1)],
    )


def test_rule_6_max_crews_kept_and_broken() -> None:
    # Uncapped or capped at 2 both titles shoot; at 1 only T1; at 0 nothing.
    assert assert_all_agree(capped(None)) == 5
    assert assert_all_agree(capped(2)) == 5
    assert assert_all_agree(capped(1)) == 3
    assert assert_all_agree(capped(0)) == 0


def test_rule_5_closed_base_closes_its_sets() -> None:
    # T1 can shoot only on day 0 at B1; B1 closed that day leaves nothing, while the
    # same outage on day 1 changes nothing.
    t1 = title("T1", priority=3, last=0)
    for closed_day, best in ((1, 3), (0, 0)):
        outage = Unavailability("base", "B1", day(closed_day), day(closed_day))
        assert assert_all_agree(scenario([t1], days=2, unavailable=[outage])) == best


def test_rule_8_pin_forces_a_lower_priority_title() -> None:
    # One set, one day: free, T1 (3) shoots; T2 (1) pinned takes the day instead.
    titles = [title("T1", priority=3, last=0), title("T2", priority=1, last=0)]
    assert assert_all_agree(scenario(titles, days=1)) == 3
    assert assert_all_agree(scenario(titles, days=1, pins=[Pin("T2", base_id="B1")])) == 1


def test_contradictory_pins_are_infeasible() -> None:
    # T1 and T2 both pinned to crew C1 on day 0: a crew shoots one title a day.
    s = scenario(
        [title("T1"), title("T2")],
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B1", "办公室", 1)],
        crews=[Crew("C1", "张导剧组", "B1", 1), Crew("C2", "李导剧组", "B1", 1)],
        pins=[Pin("T1", day(0), crew_id="C1"), Pin("T2", day(0), crew_id="C1")],
    )
    for solver in SOLVERS:
        result = milp(s, solver)
        assert (result.status, result.priority, result.plan) == ("infeasible", None, None)
    assert cpsat(s).status is SolveStatus.INFEASIBLE


# -- where CP-SAT falls short of the SPEC ------------------------------------------------


def interleaved() -> Scenario:
    """T1 (3) needs 办公室 ×2 and 医院 ×3 on days 0–4; the 办公室 set is open on days 1 and 3 only.

    The only plan is 医院 办公室 医院 办公室 医院: set types interleaved.
    """
    closed = [Unavailability("set", "S1", day(n), day(n)) for n in (0, 2, 4)]
    return scenario(
        [title("T1", priority=3, last=4, needs=[("办公室", 2), ("医院", 3)])],
        days=5,
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B1", "医院", 1)],
        unavailable=closed,
    )


def test_set_types_interleave() -> None:
    # Rule 2 leaves the order of set types free; the MILP finds the one plan.
    assert optimum(interleaved()) == 3


@pytest.mark.xfail(
    strict=True,
    reason="CP-SAT enumerates at most DEFAULT_MAX_ORDERS (6) set-type orders, block orders "
    "beyond that (10 here), so it misses the interleaved plan (it no longer calls 0 optimal)",
)
def test_cpsat_finds_interleaved_set_types() -> None:
    assert cpsat(interleaved()).priority_scheduled == 3


def test_cpsat_claims_no_optimum_over_capped_orders() -> None:
    # It misses the interleaved plan, but it must not call 0 optimal nor bound it by 0.
    result = cpsat(interleaved())
    assert result.status != "optimal"
    assert result.priority_bound is None or result.priority_bound >= 3


def blank_pin() -> Scenario:
    """One set, one day: T1 (2), T2 (1) with a pin row that fills no field."""
    titles = [title("T1", priority=2, last=0), title("T2", priority=1, last=0)]
    return scenario(titles, days=1, pins=[Pin("T2")])


def test_blank_pin_row_fixes_nothing() -> None:
    # SPEC: "each filled field is fixed"; the checker's rule 8 asks scheduling only of a
    # title with a filled field. So T1 takes the day.
    assert optimum(blank_pin()) == 2


def test_cpsat_ignores_a_blank_pin_row() -> None:
    assert cpsat(blank_pin()).priority_scheduled == 2


# -- the solver's own status -------------------------------------------------------------


def crowded() -> Scenario:
    """30 titles for 5 crews and 9 sets at 3 bases over 14 days; 23 of them fit (priority 131).

    To prove it HiGHS needs about 3 s, CBC 11 s and CP-SAT (one worker) one to two minutes.
    """
    rng = random.Random(1)
    bases = (
        Base("B1", "金水基地", "郑州", max_crews=3),
        Base("B2", "二七基地", "郑州", max_crews=2),
        Base("B3", "清明上河园", "开封"),
    )
    sets = tuple(
        FilmSet(f"S{i}", rng.choice(bases).base_id, SET_TYPES[i % 3], 100) for i in range(9)
    )
    crews = tuple(
        Crew(f"C{i}", f"剧组{i}", "B1", 1, max_days_in_row=rng.choice((None, 3, 4)))
        for i in range(5)
    )
    actors = tuple(Actor(f"A{i}", f"演员{i}", 1) for i in range(6))
    titles = []
    for i in range(30):
        first = rng.randint(0, 11)
        last = min(13, first + rng.randint(2, 6))
        types = rng.sample(SET_TYPES, rng.randint(1, 2))
        needs = [(t, rng.randint(1, 2)) for t in types]
        cast = rng.sample([a.actor_id for a in actors], rng.randint(0, 2))
        titles.append(small_title(f"T{i}", rng.randint(1, 9), first, last, needs, cast))
    return scenario(
        titles,
        days=14,
        bases=bases,
        sets=sets,
        crews=crews,
        actors=actors,
        travel=[Travel("郑州", "开封", 2)],
    )


@pytest.mark.parametrize("solver", SOLVERS)
def test_time_limit_is_not_proven_optimal(solver: CapacitySolver) -> None:
    # Stopped long before the proof (PuLP itself says "Optimal" once it has a plan):
    # no optimum is claimed, and a plan found on the way still keeps the rules.
    s = crowded()
    result = exact_priority_optimum(s, solver=solver, time_limit=0.3)
    assert (result.status.proven, result.priority) == (False, None)
    if result.plan is not None:
        assert check_plan(s, result.plan) == []


def test_crowded_highs_and_cbc_agree() -> None:
    # the largest scenario here: 2,217 columns × 1,330 rows; room for a loaded machine
    assert optimum(crowded(), time_limit=120.0) == 131


@pytest.mark.benchmark
def test_crowded_cpsat_agrees() -> None:
    # off by default: CP-SAT on one worker needs one to two minutes to prove 131
    result = solve(crowded(), checker=check_plan, time_limit=180.0, workers=1)
    assert result.status is SolveStatus.OPTIMAL, result.summary()
    assert result.priority_scheduled == 131
