"""The slate with scene breakdowns: actors booked only on their days (rule 10), in pairs.

:func:`tests.factories.scene_scenario` has two titles sharing the supporting
actor A09 in one scene each; :func:`squeezed` gives them the same three days,
so that booking A09 on every day of both titles could shoot only one of them.
"""

from __future__ import annotations

from dataclasses import replace

from scheduler.check.checker import check_plan
from scheduler.domain.model import Scenario
from solver.slate.candidates import enumerate_candidates
from solver.slate.choices import Choice
from solver.slate.cpsat.model import plan_from_choices
from solver.slate.day_orders import placement_of_shoots, scene_orders
from solver.slate.greedy import greedy_plan
from solver.slate.solve import solve
from tests.factories import dec as d
from tests.factories import scene_scenario


def squeezed(whole_title: bool = False) -> Scenario:
    """Both titles must shoot inside 12-01 … 12-03; ``whole_title``: A09 in every scene."""
    sc = scene_scenario()
    titles = []
    for title in sc.titles:
        scenes = title.scenes
        if whole_title:
            scenes = tuple(replace(s, cast=tuple({*s.cast, "A09"})) for s in scenes)
        titles.append(replace(title, due_date=d(3), scenes=scenes))
    return replace(sc, titles=tuple(titles))


def test_two_titles_share_an_actor_on_different_days_of_them() -> None:
    sc = squeezed()
    result = solve(sc, checker=check_plan, time_limit=10)
    assert check_plan(sc, result.plan) == []
    assert result.plan.scheduled_title_ids == {"T01", "T03"}
    with_a09 = _a09_scenes(sc)
    a09 = [s.date for s in result.plan.shoots if with_a09 & {(s.title_id, i) for i in s.scenes}]
    assert len(a09) == len(set(a09)) == 2  # one day in each title, never the same day


def test_an_actor_in_every_scene_books_the_whole_title() -> None:
    sc = squeezed(whole_title=True)
    result = solve(sc, checker=check_plan, time_limit=10)
    assert check_plan(sc, result.plan) == []
    assert result.plan.scheduled_title_ids == {"T01"}  # the higher priority; T03 overlaps
    assert result.priority_scheduled == 3


def _a09_scenes(sc: Scenario) -> set[tuple[str, str]]:
    return {(t.title_id, s.scene_id) for t in sc.titles for s in t.scenes if "A09" in s.cast}


def test_every_shoot_of_a_scene_title_lists_its_scenes() -> None:
    sc = scene_scenario()
    result = solve(sc, checker=check_plan, time_limit=10)
    assert check_plan(sc, result.plan) == []
    for title in sc.titles:
        shot = [sid for s in result.plan.shoots_of(title.title_id) for sid in s.scenes]
        assert sorted(shot) == sorted(s.scene_id for s in title.scenes)


def test_the_greedy_plan_keeps_rule_10() -> None:
    for sc in (scene_scenario(), squeezed(), squeezed(whole_title=True)):
        plan = greedy_plan(sc)
        assert check_plan(sc, plan) == []
        assert all(s.scenes for s in plan.shoots)


def test_the_cheapest_order_comes_first_and_costs_least() -> None:
    sc = scene_scenario()
    title = sc.title_by_id["T01"]
    orders, capped = scene_orders(sc, title, 6)
    assert not capped  # three days: all 6 orders, at most 6 kinds
    costs = [sum(sc.actor_by_id[a].day_rate for day in o.booked for a in day) for o in orders]
    assert costs[0] == min(costs)
    # A09 in the middle day of three would cost the same as at either end: one day
    assert all(sum("A09" in day for day in o.booked) == 1 for o in orders)


def test_a_placement_read_back_from_its_shoots_is_the_same() -> None:
    sc = scene_scenario()
    found = enumerate_candidates(sc).by_title["T01"]
    for placement in found.placements[:10]:
        plan = plan_from_choices(sc, {"T01": Choice(placement, "C01")}, {})
        assert placement_of_shoots(sc, plan.shoots) == placement
