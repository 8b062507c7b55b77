"""Slices of a big cluster: groups of bases with their own crews, re-planned one at a time.

The groups must split the bases and crews exactly (no crew in two groups, no
base left out); the greedy rule by groups keeps each crew at its group's
bases (and without groups it does not, which is why the option exists); a
group's move uses only its crews and bases and never loses priority; the
solve that uses slices keeps every rule and never falls below the greedy plan.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings

from scheduler.check.checker import check_plan
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from solver.slate import solve as solve_module
from solver.slate.cpsat.model import choices_of_plan
from solver.slate.greedy import Group, greedy_plan
from solver.slate.lns import LargeNeighbourhoodSearch
from solver.slate.slices import make_groups, rounds, search_slices
from solver.status import SolveStatus
from tests.factories import priority_of, random_scenarios


def crews_off_their_group(scenario: Scenario, plan: Plan, groups: list[Group]) -> list[str]:
    """Shoots (not of pinned titles) whose crew is not a crew of the base's group."""
    group_of_base = {b: g for g in groups for b in g.base_ids}
    return [
        f"{s.title_id} {s.crew_id}@{s.base_id}"
        for s in plan.shoots
        if s.title_id not in scenario.pin_by_title
        and s.crew_id not in group_of_base[s.base_id].crew_ids
    ]


def test_groups_split_bases_and_crews_exactly_and_stay_in_one_city(
    zhengzhou_full: Scenario,
) -> None:
    groups = make_groups(zhengzhou_full, bases_per_group=3)
    bases = Counter(b for g in groups for b in g.base_ids)
    crews = Counter(c for g in groups for c in g.crew_ids)
    assert bases == Counter(b.base_id for b in zhengzhou_full.bases)
    assert crews == Counter(c.crew_id for c in zhengzhou_full.crews)
    for group in groups:
        assert {zhengzhou_full.base_by_id[b].city for b in group.base_ids} == {group.city}
        assert group.crew_ids, "every group has crews of its own"
    # 6 bases in 郑州 and 3 each in 开封 and 洛阳, about 3 a group
    assert Counter(g.city for g in groups) == {"郑州": 2, "开封": 1, "洛阳": 1}


def test_greedy_by_groups_keeps_each_crew_at_its_groups_bases(zhengzhou_full: Scenario) -> None:
    groups = make_groups(zhengzhou_full, bases_per_group=3)
    plan = greedy_plan(zhengzhou_full, groups)
    assert check_plan(zhengzhou_full, plan) == []
    assert crews_off_their_group(zhengzhou_full, plan, groups) == []
    # pinned titles keep their pins, whatever the groups
    for pin in zhengzhou_full.pins:
        if pin.title_id in plan.scheduled_title_ids and pin.crew_id is not None:
            assert {s.crew_id for s in plan.shoots_of(pin.title_id)} == {pin.crew_id}


def test_greedy_without_groups_sends_crews_across_groups(zhengzhou_full: Scenario) -> None:
    # The plain coordinator's rule takes the first free crew anywhere in the city,
    # so crews do cross the groups: the restriction above is the option's doing.
    groups = make_groups(zhengzhou_full, bases_per_group=3)
    plan = greedy_plan(zhengzhou_full)
    assert crews_off_their_group(zhengzhou_full, plan, groups) != []


def test_rounds_start_alone_then_pair_neighbours_of_one_city(zhengzhou_full: Scenario) -> None:
    groups = make_groups(zhengzhou_full, bases_per_group=2)  # 郑州 3 groups, 开封 2, 洛阳 2
    schedule = rounds(groups)
    assert next(schedule) == groups
    for _ in range(2):
        paired = next(schedule)
        for group in paired:
            assert {zhengzhou_full.base_by_id[b].city for b in group.base_ids} == {group.city}
        # each merged group is two of the originals, whole
        assert all(len(g.base_ids) > max(len(o.base_ids) for o in groups) / 2 for g in paired)
        assert any(len(g.crew_ids) > max(len(o.crew_ids) for o in groups) for g in paired)


def test_a_group_move_uses_only_its_crews_and_bases_and_never_loses(
    zhengzhou_full: Scenario,
) -> None:
    groups = make_groups(zhengzhou_full, bases_per_group=3)
    start = choices_of_plan(zhengzhou_full, greedy_plan(zhengzhou_full, groups))
    search = LargeNeighbourhoodSearch(zhengzhou_full, start, workers=2, checker=check_plan)
    before = dict(search.incumbent.choices)
    group = groups[0]
    outcome = search.move_group(group, seconds=5.0)
    if outcome.choices is None:  # nothing better: the plan stays as it was
        return
    assert sum(zhengzhou_full.title_by_id[t].priority for t in outcome.choices) >= (
        search.incumbent.priority
    )
    for title_id, choice in outcome.choices.items():
        if before.get(title_id) != choice:  # moved or newly scheduled
            assert choice.crew_id in group.crew_ids
            assert choice.placement.base_id in group.base_ids


def test_search_by_slices_climbs_from_the_greedy_by_groups(zhengzhou_full: Scenario) -> None:
    groups = make_groups(zhengzhou_full, bases_per_group=6)
    start = choices_of_plan(zhengzhou_full, greedy_plan(zhengzhou_full, groups))
    search = LargeNeighbourhoodSearch(zhengzhou_full, start, workers=2, checker=check_plan)
    first = search.incumbent.priority
    found = search_slices(search, groups, time.monotonic() + 15.0)
    assert found.priority > first


def test_solve_by_slices_keeps_every_rule_and_beats_greedy(
    zhengzhou_full: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Forced onto the path cluster-x10 takes (too big for the exact model).
    monkeypatch.setattr(solve_module, "EXACT_MAX_TITLE_CREW_PAIRS", 0)
    result = solve_module.solve(zhengzhou_full, checker=check_plan, time_limit=15.0)
    assert result.status is SolveStatus.FEASIBLE, result.problems
    assert check_plan(zhengzhou_full, result.plan) == []
    assert result.greedy_priority is not None
    assert result.priority_scheduled > result.greedy_priority
    assert any("slices: round 0" in line for line in result.log), result.log


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(random_scenarios())
def test_slice_path_on_random_scenarios_passes_the_checker_and_beats_the_greedy(
    scenario: Scenario,
) -> None:
    original = solve_module.EXACT_MAX_TITLE_CREW_PAIRS
    solve_module.EXACT_MAX_TITLE_CREW_PAIRS = 0
    try:
        result = solve_module.solve(scenario, checker=check_plan, time_limit=2.0, workers=1)
    finally:
        solve_module.EXACT_MAX_TITLE_CREW_PAIRS = original
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE), result.problems
    assert check_plan(scenario, result.plan) == []
    assert result.priority_scheduled >= priority_of(scenario, greedy_plan(scenario))
