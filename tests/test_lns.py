"""Large-neighbourhood search: fixed titles are residual capacity, moves never worsen the plan.

The small cases fix one title and free another, then assert where the freed
title may go (kept) or that it cannot go anywhere (broken), reasoned in the
comment above each test.
"""

from __future__ import annotations

import itertools
import time

from scheduler.check.checker import check_plan
from scheduler.domain.model import Base, FilmSet, Scenario, Travel
from solver.slate.choices import Choice, Placement
from solver.slate.cpsat.model import choices_of_plan
from solver.slate.lns import Incumbent, LargeNeighbourhoodSearch
from solver.slate.solve import solve
from solver.status import SolveStatus
from tests.factories import small_scenario, small_title

ZHENGZHOU = Base("B1", "金水基地", "郑州")
KAIFENG = Base("B2", "开封基地", "开封")
TWO_OFFICE_DAYS = (("办公室", 2),)


def two_titles(t2_last: int, *, travel: int | None = None) -> Scenario:
    """T1 and T2 (2 办公室 days each) share the one crew C1; T1 shoots at B1 (郑州) on days
    0–1, T2 anywhere it can on days 0 … ``t2_last``; with ``travel``, B2 in 开封 too."""
    bases = (ZHENGZHOU,) if travel is None else (ZHENGZHOU, KAIFENG)
    sets = tuple(FilmSet(f"S{b.base_id}", b.base_id, "办公室", 1000) for b in bases)
    return small_scenario(
        (
            small_title("T1", 5, last=1, needs=TWO_OFFICE_DAYS),
            small_title("T2", last=t2_last, needs=TWO_OFFICE_DAYS),
        ),
        days=8,
        bases=bases,
        sets=sets,
        travel=() if travel is None else (Travel("郑州", "开封", travel),),
    )


def t1_fixed_on_days_0_1() -> dict[str, Choice]:
    return {"T1": Choice(Placement("T1", "B1", "郑州", 0, ("办公室", "办公室")), "C1")}


def test_fixed_title_keeps_its_crew_days() -> None:
    # T1 is fixed on days 0–1 with the only crew and the only set; freed T2 (2 days,
    # window 0–3) can only shoot on days 2–3.
    lns = LargeNeighbourhoodSearch(two_titles(3), t1_fixed_on_days_0_1(), workers=1)
    outcome = lns.move(["T2"], 2.0)
    assert outcome.choices is not None
    assert outcome.choices["T1"] == t1_fixed_on_days_0_1()["T1"]
    assert outcome.choices["T2"].placement.start == 2


def test_fixed_title_blocks_a_freed_title_that_only_fits_its_days() -> None:
    # T2's window is days 0–1, exactly T1's fixed days: no room, the move finds nothing.
    lns = LargeNeighbourhoodSearch(two_titles(1), t1_fixed_on_days_0_1(), workers=1)
    assert lns.move(["T2"], 2.0).choices is None
    assert set(lns.incumbent.choices) == {"T1"}


def test_fixed_title_keeps_travel_days() -> None:
    # Both bases have an office set, so the only clash is the crew. T1 is fixed in 郑州 on
    # days 0–1; travel 郑州 → 开封 is 3 days. T2 (1 day, window 0–7) goes to B1 on day 2
    # (same city, no travel) rather than 开封, where day 5 would be the earliest.
    s = two_titles(7, travel=3)
    s = Scenario(**{**s.__dict__, "titles": (s.titles[0], small_title("T2", last=7))})
    lns = LargeNeighbourhoodSearch(s, t1_fixed_on_days_0_1(), workers=1)
    outcome = lns.move(["T2"], 2.0)
    assert outcome.choices is not None
    placement = outcome.choices["T2"].placement
    assert (placement.city == "开封" and placement.start >= 5) or placement.start >= 2


def test_fixed_title_blocks_travel_too_short_for_the_window() -> None:
    # Only B2 (开封) has an office set for T2 now, and T2's window is days 0–3; with the
    # crew in 郑州 on days 0–1 and 3 travel days it could start on day 5 at the earliest.
    s = two_titles(3, travel=3)
    only_b2_for_t2 = Scenario(
        **{
            **s.__dict__,
            "sets": (FilmSet("SB1", "B1", "办公室", 1000), FilmSet("SB2", "B2", "医院", 1000)),
            "titles": (s.titles[0], small_title("T2", last=3, needs=[("医院", 1)])),
        }
    )
    lns = LargeNeighbourhoodSearch(only_b2_for_t2, t1_fixed_on_days_0_1(), workers=1)
    assert lns.move(["T2"], 2.0).choices is None


def test_lns_never_worsens_the_incumbent(zhengzhou_full: Scenario) -> None:
    # From the greedy plan, every accepted move has more priority, or as much for less
    # cost; the checker runs after each of them.
    from solver.slate.greedy import greedy_plan

    start = choices_of_plan(zhengzhou_full, greedy_plan(zhengzhou_full))
    lns = LargeNeighbourhoodSearch(zhengzhou_full, start, workers=2, checker=check_plan)
    seen: list[tuple[int, int]] = [(lns.incumbent.priority, lns.incumbent.cost)]

    def record(incumbent: Incumbent) -> None:
        seen.append((incumbent.priority, incumbent.cost))

    lns.run(time.monotonic() + 6.0, on_improvement=record, move_seconds=1.5)
    for (before_priority, before_cost), (priority, cost) in itertools.pairwise(seen):
        assert priority > before_priority or (priority == before_priority and cost < before_cost)
    assert lns.stats.moves > 0


def test_solve_on_the_full_rules_passes_the_checker(zhengzhou_full: Scenario) -> None:
    result = solve(zhengzhou_full, checker=check_plan, time_limit=12.0)
    assert result.status is SolveStatus.FEASIBLE, result.problems
    assert check_plan(zhengzhou_full, result.plan) == []
    assert result.greedy_priority is not None
    assert result.priority_scheduled >= result.greedy_priority
