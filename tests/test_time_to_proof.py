"""Time to proof: the second at which Σ priority was proven optimal, or ``None``.

In pairs: a solve that proves its priority reports a moment no later than its
end (and before the search that goes on after, for cost or in neighbourhoods);
a solve stopped before any proof reports ``None`` with status ``feasible``.

The small case (4 days, one office set, one crew): T1 (priority 5) and T2
(priority 1) each need the set on both of days 0–1, so only one fits and the
optimum is 5, T1 alone. The LP bound sees it (x1 + x2 ≤ 1 on the set, bound 5);
the trivial bound, every title's priority, is 6.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import solver.slate.solve as slate_solve
from scheduler.check.checker import check_plan
from scheduler.domain.model import Scenario
from scheduler.io.validation import load_scenario
from scheduler.services.solve_jobs import kpi_line
from solver.result import Phase, Progress
from solver.slate.proof import ProofClock
from solver.slate.solve import solve
from solver.status import SolveStatus
from tests.factories import small_scenario, small_title

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = load_scenario(REPO / "sample_data" / "tutorial")
MONTH = REPO / "sample_data" / "zhengzhou-month"
BOTH_OFFICE_DAYS = (("办公室", 2),)


def one_of_two() -> Scenario:
    """T1 (5) and T2 (1) both need the one office set on days 0–1: only one fits."""
    return small_scenario(
        (
            small_title("T1", 5, last=1, needs=BOTH_OFFICE_DAYS),
            small_title("T2", 1, last=1, needs=BOTH_OFFICE_DAYS),
        ),
        days=4,
    )


# -- the clock ---------------------------------------------------------------------------


def test_the_proof_is_the_later_of_the_best_plan_and_the_bound_it_meets() -> None:
    # plan 4 at 1 s, bound 6 at 2 s, plan 5 at 3 s; then a bound of 5 that its process
    # had at 2.5 s is read: proven at 3 s, when plan 5 was in hand and bound 5 known.
    clock = ProofClock(started=100.0)
    clock.plan(4, at=101.0)
    clock.bound(6, at=102.0)
    clock.plan(5, at=103.0)
    assert clock.proven_at() is None
    clock.bound(5, at=102.5)
    clock.plan(5, at=104.0)  # the same priority again later changes nothing
    assert clock.proven_at() == pytest.approx(3.0)


def test_a_plan_below_every_bound_is_not_proven() -> None:
    # plan 5 at 1 s, bounds 7 then 6: the plan never meets a bound.
    clock = ProofClock(started=100.0)
    clock.plan(5, at=101.0)
    clock.bound(7, at=101.5)
    clock.bound(6, at=102.0)
    assert clock.proven_at() is None


# -- fresh solve, exact model --------------------------------------------------------------


def test_the_tutorial_is_proven_in_phase_1_before_its_cost_phase() -> None:
    # CP-SAT proves priority 17 (all 6 titles) in phase 1; phase 2 then lowers cost.
    # The proof comes no later than the first cost-phase report.
    reports: list[Progress] = []

    def report(progress: Progress) -> None:
        reports.append(progress)

    result = solve(TUTORIAL, checker=check_plan, time_limit=10.0, progress=report)
    assert result.status is SolveStatus.OPTIMAL and result.priority_scheduled == 17
    proven = result.priority_proven_seconds
    assert proven is not None and 0 <= proven <= result.solve_seconds
    cost_phase = [p.elapsed for p in reports if p.phase is Phase.COST]
    assert cost_phase and proven <= min(cost_phase)
    assert "priority proven optimal at" in result.summary()


def test_the_tutorial_stopped_before_its_search_is_not_proven() -> None:
    # The stop flag is set before the solve: CP-SAT stops at its first solution (the
    # greedy hint, 14) with its bound still 60, so nothing is proven.
    stop = threading.Event()
    stop.set()
    result = solve(TUTORIAL, checker=check_plan, time_limit=10.0, stop=stop)
    assert result.status is SolveStatus.FEASIBLE
    assert result.priority_proven_seconds is None
    assert "proven optimal" not in result.summary()


def test_the_month_in_3_seconds_is_not_proven() -> None:
    # 3 s on the month (460 titles): phase 1 stops far below its bound (1292 is proven
    # only after tens of seconds); feasible, and no proof time.
    result = solve(load_scenario(MONTH), checker=check_plan, time_limit=3.0)
    assert result.status is SolveStatus.FEASIBLE
    assert result.priority_proven_seconds is None


# -- neighbourhood search only, and a re-plan: the LP bound meets the incumbent --------------


def test_neighbourhood_search_is_proven_when_the_lp_bound_arrives_not_at_its_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # With the exact model off, the search starts from greedy's T1 (priority 5) and
    # searches neighbourhoods to the limit; the trivial bound is 6, so the proof is the
    # LP bound's 5, about a second in, seconds before the search ends.
    monkeypatch.setattr(slate_solve, "EXACT_MAX_TITLE_CREW_PAIRS", 0)
    started = time.monotonic()
    result = solve(one_of_two(), checker=check_plan, time_limit=6.0)
    assert result.status is SolveStatus.OPTIMAL and result.priority_bound == 5
    proven = result.priority_proven_seconds
    assert proven is not None and 0 < proven < result.solve_seconds - 1.0
    assert result.solve_seconds <= time.monotonic() - started


def test_neighbourhood_search_stopped_before_the_lp_bound_is_not_proven(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Stopped at once: greedy's 5 against the trivial bound 6; the LP bound's process
    # has not started answering (spawning it alone takes longer).
    monkeypatch.setattr(slate_solve, "EXACT_MAX_TITLE_CREW_PAIRS", 0)
    stop = threading.Event()
    stop.set()
    result = solve(one_of_two(), checker=check_plan, time_limit=6.0, stop=stop)
    assert result.status is SolveStatus.FEASIBLE and result.priority_scheduled == 5
    assert result.priority_proven_seconds is None


def test_a_re_plan_is_proven_when_the_lp_bound_meets_its_plan() -> None:
    # Revising the plan of T1 alone: T1 keeps every rule, T2 still cannot fit, and the
    # re-plan searches for it until its limit; the LP bound (5) proves T1 optimal long
    # before that.
    scenario = one_of_two()
    fresh = solve(scenario, checker=check_plan, time_limit=5.0)
    assert fresh.plan.scheduled_title_ids == {"T1"}
    revised = solve(scenario, checker=check_plan, time_limit=6.0, reference=fresh.plan)
    assert revised.status is SolveStatus.OPTIMAL and revised.priority_scheduled == 5
    proven = revised.priority_proven_seconds
    assert proven is not None and 0 < proven < revised.solve_seconds - 1.0


def test_a_re_plan_stopped_before_the_lp_bound_is_not_proven() -> None:
    # The same re-plan stopped at once: T1 kept, no bound yet, so nothing is proven.
    scenario = one_of_two()
    t1_only = solve(scenario, checker=check_plan, time_limit=5.0).plan
    stop = threading.Event()
    stop.set()
    revised = solve(scenario, checker=check_plan, time_limit=6.0, reference=t1_only, stop=stop)
    assert revised.status is SolveStatus.FEASIBLE and revised.priority_scheduled == 5
    assert revised.priority_proven_seconds is None


# -- the Plan page's summary line ----------------------------------------------------------


def test_the_plan_pages_line_says_when_priority_was_proven() -> None:
    kpis = {"status": "optimal", "priority_scheduled": 17, "priority_bound": 17}
    line = kpi_line({**kpis, "priority_proven_seconds": 0.047})
    assert "上界 bound 17，已证最优于 0.05 s proven optimal at 0.05 s" in line


def test_the_plan_pages_line_of_an_unproven_plan_says_no_time() -> None:
    line = kpi_line({"status": "feasible", "priority_scheduled": 14, "priority_bound": 17})
    assert "已证最优" not in line and "上界 bound 17）" in line
