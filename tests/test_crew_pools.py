"""Crew pools: crews that no rule tells apart are one pool in the exact model.

The pooled model must keep exactly the plans the per-crew model keeps: the same
best priority on every instance, and plans the independent checker accepts once
the crews are assigned.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.check.checker import check_plan
from scheduler.domain.model import Base, Crew, FilmSet, Pin, Scenario
from solver.slate.candidates import enumerate_candidates
from solver.slate.choices import Choice, Placement
from solver.slate.cpsat.model import SlateModel
from solver.slate.cpsat.objective import maximise_priority
from solver.slate.crew_pools import CrewPools, assign_crews, crew_pools
from solver.slate.residual import Residual
from tests.factories import outage, pooled_crews_scenario, small_crew, small_title
from tests.factories import small_scenario as scenario

ONE_CITY = (Base("B1", "金水基地", "郑州"),)
TWO_CITIES = (Base("B1", "金水基地", "郑州"), Base("B2", "开封基地", "开封"))


def pool_sizes(pools: CrewPools) -> dict[str, int]:
    return {crew_id: pool.size for crew_id, pool in pools.by_crew.items()}


# -- which crews are pooled ------------------------------------------------------------------


def test_crews_alike_in_every_rule_are_one_pool() -> None:
    # Same genres, same outage, no days-in-a-row limit, one city: only the day rate
    # differs, and the pool lists the cheapest first.
    crews = [
        small_crew("C1", ("都市",), day_rate=300),
        small_crew("C2", ("都市",), day_rate=100),
        small_crew("C3", ("都市",), day_rate=200),
    ]
    s = scenario(
        [small_title("T1")],
        crews=crews,
        unavailable=[outage("crew", c.crew_id, 1) for c in crews],
    )
    pool = crew_pools(s).pool_of("C1")
    assert [c.crew_id for c in pool.crews] == ["C2", "C3", "C1"]
    assert pool.pool_id == "C2"


def test_a_rule_that_tells_crews_apart_keeps_them_alone() -> None:
    # C2 shoots other genres, C3 is off a day, C4 rests after 3 days, C5 is pinned:
    # each is its own pool; only C1 and C6 are alike.
    s = scenario(
        [small_title("T1")],
        crews=[
            small_crew("C1"),
            small_crew("C2", ("古装",)),
            small_crew("C3"),
            small_crew("C4", max_days_in_row=3),
            small_crew("C5"),
            small_crew("C6"),
        ],
        unavailable=[outage("crew", "C3", 0)],
        pins=[Pin("T1", crew_id="C5")],
    )
    assert pool_sizes(crew_pools(s)) == {"C1": 2, "C2": 1, "C3": 1, "C4": 1, "C5": 1, "C6": 2}


def test_crews_that_could_travel_are_never_pooled() -> None:
    # Two cities: travel days tie a crew to where it shot last, so no crew is pooled.
    s = scenario(
        [small_title("T1")],
        bases=TWO_CITIES,
        sets=[FilmSet("S1", "B1", "办公室", 1), FilmSet("S2", "B2", "办公室", 1)],
        crews=[small_crew("C1"), small_crew("C2")],
    )
    assert pool_sizes(crew_pools(s)) == {"C1": 1, "C2": 1}


def test_crews_a_neighbourhood_keeps_busy_alike_pool() -> None:
    # In a neighbourhood, fixed titles hold C1 and C2 on day 0 and nothing else holds C3
    # or C4: C1 with C2 and C3 with C4 are free alike, so each pair is a pool.
    s = scenario(
        [small_title(t) for t in ("T1", "T2")],
        crews=[small_crew(c) for c in ("C1", "C2", "C3", "C4")],
    )
    fixed = {t: Choice(placement(t, 0, 1), c) for t, c in (("T1", "C1"), ("T2", "C2"))}
    pools = crew_pools(s, Residual.of_fixed(s, fixed))
    assert {c: [m.crew_id for m in p.crews] for c, p in pools.by_crew.items()} == {
        "C1": ["C1", "C2"],
        "C2": ["C1", "C2"],
        "C3": ["C3", "C4"],
        "C4": ["C3", "C4"],
    }


def test_crews_a_neighbourhood_keeps_busy_on_other_days_stay_apart() -> None:
    # C1 is held on day 0, C2 on day 1: a title on day 1 could take C1 but not C2, so
    # counting them as two alike crews would be wrong. C3 and C4 are free alike, but C4
    # is not among the crews the neighbourhood may use, so C3 pools with nobody.
    s = scenario(
        [small_title(t) for t in ("T1", "T2")],
        crews=[small_crew(c) for c in ("C1", "C2", "C3", "C4")],
    )
    fixed = {"T1": Choice(placement("T1", 0, 1), "C1"), "T2": Choice(placement("T2", 1, 1), "C2")}
    pools = crew_pools(s, Residual.of_fixed(s, fixed), crew_ids={"C1", "C2", "C3"})
    assert pool_sizes(pools) == {"C1": 1, "C2": 1, "C3": 1, "C4": 1}


def test_crews_busy_apart_only_where_no_title_of_the_model_shoots_pool() -> None:
    # C1 is held on day 0 and C2 on day 1, but the titles of this model can shoot on days
    # 3–5 only: there the two are free alike, so they are one pool.
    s = scenario(
        [small_title(t) for t in ("T1", "T2")],
        days=6,
        crews=[small_crew(c) for c in ("C1", "C2")],
    )
    fixed = {"T1": Choice(placement("T1", 0, 1), "C1"), "T2": Choice(placement("T2", 1, 1), "C2")}
    residual = Residual.of_fixed(s, fixed)
    assert pool_sizes(crew_pools(s, residual, days={3, 4, 5})) == {"C1": 2, "C2": 2}
    assert pool_sizes(crew_pools(s, residual, days={1, 2, 3})) == {"C1": 1, "C2": 1}


# -- the pool's count keeps rule 4 -------------------------------------------------------


def pooled_solve(s: Scenario) -> tuple[int, dict[str, Choice]]:
    slate = SlateModel(s, enumerate_candidates(s), pools=crew_pools(s))
    maximise_priority(slate.model, slate.variables)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(slate.model) == cp_model.OPTIMAL
    return round(solver.objective_value), slate.choices_from_values(
        list(solver.response_proto.solution)
    )


def three_overlapping_titles(crews: list[Crew]) -> Scenario:
    # Three one-day titles on a one-day horizon, three sets: only the crews limit them.
    return scenario(
        [small_title(f"T{i}", priority=i, last=0) for i in (1, 2, 3)],
        days=1,
        sets=[FilmSet(f"S{i}", "B1", "办公室", 1) for i in (1, 2, 3)],
        crews=crews,
    )


def test_a_pool_of_three_shoots_three_titles_a_day() -> None:
    s = three_overlapping_titles([small_crew("C1"), small_crew("C2"), small_crew("C3")])
    priority, choices = pooled_solve(s)
    assert priority == 6
    assert sorted(c.crew_id for c in choices.values()) == ["C1", "C2", "C3"]


def test_a_pool_of_two_never_shoots_three_titles_a_day() -> None:
    # Two crews: the two dearest titles (priority 3 + 2), on different crews.
    s = three_overlapping_titles([small_crew("C1"), small_crew("C2")])
    priority, choices = pooled_solve(s)
    assert priority == 5
    assert set(choices) == {"T2", "T3"}
    assert sorted(c.crew_id for c in choices.values()) == ["C1", "C2"]


def test_pooled_and_per_crew_models_reach_the_same_priority() -> None:
    # The pool is exact: on 40 random instances the best priority is the same with and
    # without it, and the pooled plan, crews assigned, keeps every rule.
    pooled_somewhere = 0
    for seed in range(40):
        s = pooled_crews_scenario(seed)
        candidates = enumerate_candidates(s)
        best = []
        for pools in (None, crew_pools(s)):
            slate = SlateModel(s, candidates, pools=pools)
            maximise_priority(slate.model, slate.variables)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            assert solver.solve(slate.model) == cp_model.OPTIMAL, seed
            best.append(round(solver.objective_value))
            choices = slate.choices_from_values(list(solver.response_proto.solution))
            left_out = {t.title_id: "未排" for t in s.titles if t.title_id not in choices}
            plan = slate.plan_for(choices, left_out)
            assert check_plan(s, plan) == [], seed
        assert best[0] == best[1], seed
        pooled_somewhere += crew_pools(s).count < len(s.crews)
    assert pooled_somewhere >= 20


# -- assigning the crews after solving ---------------------------------------------------


def placement(title_id: str, start: int, length: int) -> Placement:
    return Placement(title_id, "B1", "郑州", start, ("办公室",) * length)


def test_assignment_gives_overlapping_titles_different_crews_and_the_long_one_the_cheap_crew() -> (
    None
):
    # T1 (days 0-3) and T2 (day 2) overlap; T3 (day 5) follows. The cheap crew C1 takes
    # T1 and T3 (5 days), the dear C2 only T2: 5 × 100 + 1 × 900.
    crews = [small_crew("C1", day_rate=100), small_crew("C2", day_rate=900)]
    s = scenario([small_title(t) for t in ("T1", "T2", "T3")], days=6, crews=crews)
    pools = crew_pools(s)
    choices = {
        "T2": Choice(placement("T2", 2, 1), "C1"),
        "T1": Choice(placement("T1", 0, 4), "C1"),
        "T3": Choice(placement("T3", 5, 1), "C1"),
    }
    crew_of = {t: c.crew_id for t, c in assign_crews(choices, pools).items()}
    assert crew_of == {"T1": "C1", "T2": "C2", "T3": "C1"}


def test_assignment_refuses_more_overlapping_titles_than_crews() -> None:
    crews = [small_crew("C1"), small_crew("C2")]
    s = scenario([small_title(t) for t in ("T1", "T2", "T3")], days=2, crews=crews)
    choices = {t: Choice(placement(t, 0, 2), "C1") for t in ("T1", "T2", "T3")}
    try:
        assign_crews(choices, crew_pools(s))
    except ValueError as error:
        assert "more titles" in str(error)
    else:
        raise AssertionError("three overlapping titles were given two crews")
