"""Whatever plan_scenario returns on a random valid scenario, the independent checker accepts.

The scenarios (:func:`tests.factories.random_scenarios`) are small (2–3 bases
in 1–2 cities, 2–5 sets, 1–3 crews, 2–4 actors, 2–6 titles over 7–14 days from
2026-12-01) with random windows, needs, casts, outages, travel days, crew genres
and days-in-a-row limits, and sometimes a pin copied from the greedy plan, so
that at least one plan keeps every pin. Hypothesis runs derandomized, so a
failure repeats; the solver runs on one worker with a fixed seed for the same
reason.

Then the two edge cases the app must survive: nothing can shoot at all, and
pins that contradict each other.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings

from scheduler.check.checker import check_plan
from scheduler.domain.model import (
    Actor,
    Base,
    Crew,
    FilmSet,
    Need,
    Pin,
    Scenario,
    Title,
    Unavailability,
)
from scheduler.io.tables import scenario_to_tables
from scheduler.io.validation import find_problems
from scheduler.services.planning import plan_scenario
from solver.slate.greedy import greedy_plan
from solver.status import SolveStatus
from tests.factories import day, priority_of, random_scenarios, small_scenario

TIME_LIMIT = 2.0


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(random_scenarios())
def test_every_plan_passes_the_checker_and_beats_the_greedy(scenario: Scenario) -> None:
    assert find_problems(scenario_to_tables(scenario)) == []  # the generator makes valid input

    outcome = plan_scenario(scenario, time_limit=TIME_LIMIT, seed=0, workers=1)

    # a pin copied from a valid plan can be kept, so the answer is a plan, not "infeasible"
    assert outcome.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE), outcome.problems
    assert outcome.ok
    assert check_plan(scenario, outcome.plan) == []
    kpis = outcome.kpis
    assert kpis["priority_scheduled"] == outcome.result.priority_scheduled
    assert kpis["priority_scheduled"] >= priority_of(scenario, greedy_plan(scenario))
    if kpis["priority_bound"] is not None:
        assert kpis["priority_bound"] >= kpis["priority_scheduled"]
    if outcome.status is SolveStatus.OPTIMAL:
        assert kpis["priority_bound"] == kpis["priority_scheduled"]
        assert kpis["gap"] in (0.0, None)


def two_titles(**changes: object) -> Scenario:
    """One week at one base with two 办公室 sets and two crews; T1 needs 林婉儿, T2 陈子轩.

    Each title needs 办公室 for 2 days anywhere in the week; alone, both fit easily.
    """
    scenario = small_scenario(
        (
            Title("T1", "闪婚后霸总他真香了", "甜宠", 5, day(0), day(6), (Need("办公室", 2),),
                  cast=("A1",)),
            Title("T2", "神医下山", "都市", 4, day(0), day(6), (Need("办公室", 2),),
                  cast=("A2",)),
        ),
        name="两部剧",
        days=7,
        bases=(Base("B1", "郑州金水影视基地", "郑州"),),
        sets=(FilmSet("S1", "B1", "办公室", 1500), FilmSet("S2", "B1", "办公室", 1200)),
        crews=(Crew("C1", "张导剧组", "B1", 20000), Crew("C2", "李导剧组", "B1", 26000)),
        actors=(Actor("A1", "林婉儿", 3000), Actor("A2", "陈子轩", 2500)),
    )  # fmt: skip
    return replace(scenario, **changes)  # type: ignore[arg-type]


def test_nothing_can_shoot_gives_an_empty_plan_with_every_title_explained() -> None:
    # Each title's only actor is away the whole week, so no title has a single
    # possible start: the only plan is the empty one, and it is optimal.
    scenario = two_titles(
        unavailable=(
            Unavailability("actor", "A1", day(0), day(6), note="外地拍戏"),
            Unavailability("actor", "A2", day(0), day(6), note="外地拍戏"),
        )
    )

    outcome = plan_scenario(scenario, time_limit=TIME_LIMIT, workers=1)

    assert outcome.ok
    assert outcome.status is SolveStatus.OPTIMAL
    assert outcome.plan.shoots == ()
    assert set(outcome.plan.unscheduled) == {"T1", "T2"}
    assert "林婉儿" in outcome.plan.unscheduled["T1"]
    assert "陈子轩" in outcome.plan.unscheduled["T2"]
    assert outcome.kpis["priority_scheduled"] == 0
    assert outcome.kpis["priority_bound"] == 0
    assert check_plan(scenario, outcome.plan) == []


def test_two_titles_pinned_to_one_crew_on_one_day_are_reported_as_conflicting_pins() -> None:
    # Both titles pinned to crew C1 from 12-03: a crew shoots one title a day
    # (rule 4), so the pins cannot both be kept. Each pin alone is possible, so
    # it is the model, not the candidate filter, that finds the conflict; solve.py
    # then answers "infeasible" with the empty plan and names the pinned titles.
    scenario = two_titles(
        pins=(
            Pin("T1", start_date=day(2), crew_id="C1"),
            Pin("T2", start_date=day(2), crew_id="C1"),
        )
    )

    outcome = plan_scenario(scenario, time_limit=TIME_LIMIT, workers=1)

    assert outcome.status is SolveStatus.INFEASIBLE
    assert outcome.ok  # an honest "no plan keeps these pins" may be written and saved
    assert outcome.violations == ()
    assert outcome.plan.shoots == ()
    assert set(outcome.plan.unscheduled) == {"T1", "T2"}
    assert all("钉住" in reason for reason in outcome.plan.unscheduled.values())
    (problem,) = outcome.result.problems
    assert "T1" in problem and "T2" in problem
    assert outcome.kpis["status"] == "infeasible"
    assert outcome.kpis["problems"] == [problem]
    # the checker still sees the pinned titles left out; that is what infeasible means
    assert {v.rule for v in check_plan(scenario, outcome.plan)} == {8}
