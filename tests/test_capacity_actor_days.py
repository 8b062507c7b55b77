"""Capacity what-ifs that reach the bottleneck (issue 16): actor days, a rush order, and
idle set-days shown two ways.

1. Actor-day candidates, in pairs on :func:`tests.factories.actor_days_scenario` (A1, in
   T1 and T2 of 2 days each, is free 2 of the 6 days; A2, in T3, is away one day it does
   not need): buying A1's days raises the titles (kept); a budget below two days, or
   buying A2's, buys nothing (broken). The bound without additions never moves.
2. A rush order on :func:`tests.factories.rush_scenario` (one 医院 set, 3 days, T1 uses
   one): two copies of T1 fit as it is, four need one more set.
3. The two idle figures on :func:`tests.factories.two_idle_scenario` with
   :func:`tests.factories.two_idle_plan`, reasoned by hand at the test.
4. Suggestions: the binding actor with days off gets a buy-out candidate at twice its day
   rate; an actor free every day is named with nothing to buy.
5. On random small scenarios: the candidates fixed at zero leave the bound as it is, and
   every actor's days off all bought allow at least what the scenario without those days
   off allows (so the model stays a relaxation of every plan that buys them).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduler.check.checker import check
from scheduler.domain.model import Scenario
from scheduler.services.candidates import suggested_candidates
from scheduler.services.capacity_report import (
    BOUND_SELLABLE,
    PLAN_FREE,
    capacity_report,
    plan_free_set_days,
)
from solver.capacity.lp import CapacitySolver
from solver.capacity.model import Candidate, CapacityModel, actor_day_candidates, days_to_buy
from solver.capacity.questions import BudgetAnswer, _Planner, binding_actors, plan_capacity
from tests.factories import (
    actor_away_scenario,
    actor_days_scenario,
    dec,
    outage,
    rush_scenario,
    small_title,
    two_idle_plan,
    two_idle_scenario,
)

SOLVERS = pytest.mark.parametrize("solver", ["highs", "cbc"])

BUY_A1 = Candidate("actor", "", "", 3000, 4, actor_id="A1")
"""A1's four days off (12-03 … 12-06) at 3000 a day."""
BUY_A2 = Candidate("actor", "", "", 3000, 1, actor_id="A2")
"""A2's one day off (12-06): T3 does not need it."""


def budget_answer(
    scenario: Scenario, candidates: list[Candidate], budget: int, solver: CapacitySolver
) -> BudgetAnswer:
    answer = plan_capacity(scenario, candidates=candidates, budget=budget, solver=solver)
    assert answer.budget is not None
    return answer.budget


# -- 1. actor days in the capacity model --------------------------------------------------


@SOLVERS
def test_buying_a_binding_actors_days_raises_the_titles(solver: CapacitySolver) -> None:
    # A1 has 2 free days for T1 + T2 (4 actor-days): 2 titles with T3. Two days bought
    # (6000) give A1 4 days: T1, T2 and T3 all shoot. The budget buys no more than that.
    bought = budget_answer(actor_days_scenario(), [BUY_A1], 10**6, solver)
    assert bought.baseline_titles == pytest.approx(2)
    assert bought.titles == pytest.approx(3)
    assert [(step.candidate, step.count) for step in bought.steps] == [(BUY_A1, 2)]
    assert bought.cost == 6000


@SOLVERS
def test_a_budget_below_one_day_buys_nothing(solver: CapacitySolver) -> None:
    # a day costs 3000: with 2999 nothing can be bought, the titles stay at 2
    bought = budget_answer(actor_days_scenario(), [BUY_A1], 2999, solver)
    assert bought.titles == pytest.approx(2)
    assert bought.steps == () and bought.cost == 0


@SOLVERS
def test_buying_an_actor_who_does_not_bind_buys_nothing(solver: CapacitySolver) -> None:
    # A2's day off (12-06) is a day T3 never needs: buying it adds no title
    bought = budget_answer(actor_days_scenario(), [BUY_A2], 10**6, solver)
    assert bought.titles == pytest.approx(2)
    assert bought.steps == () and bought.cost == 0


def test_one_more_day_of_a_binding_actor_is_worth_half_a_title() -> None:
    # each title needs 2 of A1's days: one more day is half a title (the LP's measure);
    # one more day of A2 is worth nothing
    answer = plan_capacity(actor_days_scenario(), candidates=[BUY_A1, BUY_A2])
    gains = {g.candidate.key: g for g in answer.gains}
    assert gains["actor:A1"].gain == pytest.approx(0.5)
    assert gains["actor:A2"].estimate == pytest.approx(0)
    # the binding actor is named with the days a buy-out could free
    assert [(b.actor_id, b.days_to_buy) for b in answer.binding_actors] == [("A1", 4)]
    assert answer.binding_actors[0].value == pytest.approx(0.5)


def test_actor_day_candidates_leave_the_bound_unchanged() -> None:
    # fixed at zero for the bound, the candidates' columns and rows change nothing
    plain = plan_capacity(actor_days_scenario(), candidates=[])
    offered = plan_capacity(actor_days_scenario(), candidates=[BUY_A1, BUY_A2])
    assert (offered.priority_bound, offered.titles_bound) == (2, 2)
    assert (plain.priority_bound, plain.titles_bound) == (2, 2)


def test_actor_days_are_named_columns_bounded_by_the_days_off_of_each_week() -> None:
    # 12-01 … 12-06 is one calendar week: A1's 4 days off there, A2's 1
    model = CapacityModel(actor_days_scenario(), candidates=[BUY_A1, BUY_A2])
    columns = {v.name: v for v in model.problem.variables()}
    assert columns["actor_days_A1_w0"].upBound == 4
    assert columns["actor_days_A2_w0"].upBound == 1
    for name in ("actor_days_A1", "actor_days_A2"):  # Σ of the weeks ≤ the days bought
        assert model.problem.get_constraint_by_name(name) is not None


def test_a_buy_out_covers_only_the_days_off_inside_its_dates() -> None:
    s = actor_days_scenario()
    assert days_to_buy(s, BUY_A1) == {2, 3, 4, 5}
    dated = Candidate("actor", "", "", 3000, 4, actor_id="A1", from_date=dec(5), to_date=dec(6))
    assert days_to_buy(s, dated) == {4, 5}
    # before A1's days off: nothing to buy
    early = Candidate("actor", "", "", 3000, 4, actor_id="A1", to_date=dec(2))
    assert days_to_buy(s, early) == frozenset()


@SOLVERS
def test_bought_days_inside_the_dates_are_enough(solver: CapacitySolver) -> None:
    # 12-05 … 12-06 (days 4, 5): T2 shoots them back to back
    dated = Candidate("actor", "", "", 3000, 4, actor_id="A1", from_date=dec(5), to_date=dec(6))
    bought = budget_answer(actor_days_scenario(), [dated], 10**6, solver)
    assert bought.titles == pytest.approx(3) and bought.cost == 6000


# -- 2. a rush order ------------------------------------------------------------------------


def test_a_rush_order_that_fits_needs_nothing() -> None:
    # two copies of T1 (1 医院 day each) fit on the 2 set-days T1 leaves
    report = capacity_report(rush_scenario(), rush_titles=2)
    rush = report.answer.rush
    assert rush is not None
    assert rush.title_ids == ("R001", "R002")
    assert rush.baseline_titles == pytest.approx(1)
    assert rush.fit_now == pytest.approx(2)
    assert rush.met and rush.steps == () and rush.total_cost == 0
    assert "现有产能已能接下全部急单，无需追加" in report.rush_sentences()


def test_a_rush_order_beyond_the_sets_needs_one_more_set() -> None:
    # four copies need 4 set-days beside T1's one: 5 of the 3 there are. One more 医院 set
    # (1000 a day, 3000 for the horizon) gives 6; two crews have 6 days, enough for 5
    report = capacity_report(rush_scenario(), rush_titles=4)
    rush = report.answer.rush
    assert rush is not None
    assert rush.fit_now == pytest.approx(2)
    assert rush.met
    assert [(step.candidate.key, step.count) for step in rush.steps] == [("set:B1:医院", 1)]
    assert rush.total_cost == 3000
    assert rush.steps[-1].titles_after == pytest.approx(4)
    text = "\n".join(report.rush_sentences())
    assert "急单 4 部（R001–R004" in text and "现有产能最多还能再接 2 部" in text
    assert "合计追加费用" in text
    assert report.to_json()["rush"]["total_cost"] == 3000


def test_a_rush_order_beyond_the_sets_without_candidates_is_not_met() -> None:
    # the same four copies with nothing to add: two fit, the answer says so and buys nothing
    report = capacity_report(rush_scenario(), candidates=[], rush_titles=4)
    rush = report.answer.rush
    assert rush is not None
    assert not rush.met and rush.steps == () and rush.total_cost == 0
    assert rush.reachable == pytest.approx(2)
    assert report.rush_sentences()[-1] == "没有候选追加可选：再多的急单排不进"


def test_without_a_rush_order_there_is_no_rush_answer() -> None:
    report = capacity_report(rush_scenario())
    assert report.answer.rush is None and report.rush_sentences() == []


# -- 3. idle set-days two ways --------------------------------------------------------------


def test_the_two_idle_figures_on_a_tiny_instance() -> None:
    # The plan books S1 (B1) all six days — T2 on 12-01 … 12-05, T1 on 12-06 — and
    # leaves B2 empty, T3 out:
    #   without breaking the plan: B1 6 − 6 = 0, B2 6 − 0 = 6.
    # The bound schedules all three (11 of 12 set-days), so a base renting alone keeps
    # 11 set-days at the other and its own: each base can rent 12 − 11 = 1.
    # B1: the bound allows more (renting needs T1 moved to B2); B2: the plan's idle days
    # are mostly days the bound needs for T3.
    scenario, plan = two_idle_scenario(), two_idle_plan()
    assert check(scenario, plan).ok
    report = capacity_report(scenario, candidates=[], plan=plan, plan_priority=2)
    by_base = report.sellable_by_base().set_index("基地")
    assert by_base.loc["B1 金水基地", [PLAN_FREE, BOUND_SELLABLE]].tolist() == [0, 1]
    assert by_base.loc["B2 惠济基地", [PLAN_FREE, BOUND_SELLABLE]].tolist() == [6, 1]
    assert report.plan_free_total == 6
    idle = report.to_json()["idle"]
    assert {(c["base_id"], c["plan_free"], c["sellable"]) for c in idle} == {
        ("B1", 0, 1),
        ("B2", 6, 1),
    }


def test_without_a_plan_only_the_bound_is_shown() -> None:
    report = capacity_report(two_idle_scenario(), candidates=[])
    assert PLAN_FREE not in report.sellable_by_base()
    assert PLAN_FREE not in report.idle_frame()
    assert report.plan_free_total is None
    assert report.to_json()["idle"][0]["plan_free"] is None
    assert "要对照一个方案" in report.text()


def test_a_closed_set_day_is_not_free_in_the_plan() -> None:
    # S2 closed on 12-02: B2 has 5 open set-days, all free in the plan
    scenario = replace(two_idle_scenario(), unavailable=(outage("set", "S2", 1),))
    report = capacity_report(scenario, candidates=[])
    free = plan_free_set_days(scenario, two_idle_plan(), [c.bucket for c in report.answer.idle])
    assert free == {("B1", "医院", 0): 0, ("B2", "医院", 0): 5}


# -- 4. suggestions -------------------------------------------------------------------------


def test_the_binding_actor_with_days_off_is_suggested_at_twice_the_day_rate() -> None:
    suggestions = suggested_candidates(actor_days_scenario())
    actors = [c for c in suggestions.candidates if c.kind == "actor"]
    assert actors == [Candidate("actor", "", "", 2000, 4, actor_id="A1")]
    assert [b.actor_id for b in suggestions.binding_actors] == ["A1"]


def test_a_binding_actor_free_every_day_is_named_with_nothing_to_buy() -> None:
    # A1 is free every day, but T1 and T2 (2 days each, both with A1) share 12-01 … 12-03:
    # 4 actor-days in 3 days, so A1 binds — and no money buys a fourth day
    tight = replace(
        actor_days_scenario(),
        titles=(
            small_title("T1", 1, 0, 2, (("医院", 2),), cast=("A1",)),
            small_title("T2", 1, 0, 2, (("医院", 2),), cast=("A1",)),
        ),
        unavailable=(),
    )
    found = binding_actors(tight)
    assert [(b.actor_id, b.days_to_buy) for b in found] == [("A1", 0)]
    suggestions = suggested_candidates(tight)
    assert not [c for c in suggestions.candidates if c.kind == "actor"]
    report = capacity_report(tight)
    assert any("没有档期可买断" in line for line in report.actor_day_sentences())
    assert any("买不到档期" in line for line in report.bottleneck_sentences())


# -- 5. random small scenarios --------------------------------------------------------------


def most_titles(scenario: Scenario, candidates: list[Candidate], bought: bool) -> float:
    """The LP's most titles, every candidate at zero or (``bought``) at its most."""
    planner = _Planner(CapacityModel(scenario, candidates=candidates), "highs")
    planner.fix_additions({c.key: c.max_count for c in candidates} if bought else {})
    return planner.maximise("titles").objective or 0.0


@pytest.mark.parametrize("seed", range(40))
def test_bought_days_off_allow_what_no_days_off_would(seed: int) -> None:
    s = actor_away_scenario(seed)
    buy = actor_day_candidates(s, [a.actor_id for a in s.actors])
    assert buy, "some actor is away"
    never_away = replace(s, unavailable=tuple(u for u in s.unavailable if u.kind != "actor"))
    if not CapacityModel(s).feasible or not CapacityModel(never_away).feasible:
        pytest.skip("pins no plan keeps")
    assert most_titles(s, buy, bought=False) == pytest.approx(most_titles(s, [], bought=False))
    assert most_titles(s, buy, bought=True) >= most_titles(never_away, [], bought=False) - 1e-6
