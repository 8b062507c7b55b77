"""Pinning a title's crew, base or start from a plan, in pairs: kept by the next solve / refused.

The tutorial's greedy plan differs from its unique optimum (README of
sample_data/tutorial): greedy has 神医下山 (T2) with 李导剧组 C2 and 闪婚后霸总
(T1) starting 12-01, the optimum has T2 with C1 and T1 from 12-04, and greedy
leaves 消失的新娘 (T3) out. So a pin taken from the greedy plan is only kept by
the next solve if the solver honours it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from scheduler.domain.model import Pin, Scenario
from scheduler.domain.plan import Plan
from scheduler.services.pinning import PinError, pin_from_plan, unpin
from scheduler.services.planning import plan_scenario
from solver.slate.greedy import greedy_plan


@pytest.fixture(scope="module")
def greedy(tutorial: Scenario) -> Plan:
    plan = greedy_plan(tutorial)
    # the premises of this file: greedy's choices differ from the optimum's
    t1, t2 = plan.shoots_of("T1"), plan.shoots_of("T2")
    assert t1[0].date == date(2026, 12, 1) and t2[0].crew_id == "C2"
    assert "T3" in plan.unscheduled
    return plan


def test_pinned_crew_and_base_are_kept_by_the_next_solve(tutorial: Scenario, greedy: Plan) -> None:
    # T2 shoots with C2 at B2 in greedy; the unpinned optimum gives it C1
    pinned = pin_from_plan(tutorial, greedy, "T2", crew=True, base=True)
    assert pinned.pin_by_title["T2"] == Pin("T2", start_date=None, base_id="B2", crew_id="C2")
    outcome = plan_scenario(pinned, time_limit=5)
    assert outcome.ok
    shoots = outcome.plan.shoots_of("T2")
    assert shoots and {(s.crew_id, s.base_id) for s in shoots} == {("C2", "B2")}


def test_pinned_start_is_kept_by_the_next_solve(tutorial: Scenario, greedy: Plan) -> None:
    # T1 starts 12-01 in greedy, 12-04 in the optimum (林婉儿 is needed by T3 on 12-01…02)
    pinned = pin_from_plan(tutorial, greedy, "T1", crew=False, base=False, start=True)
    assert pinned.pin_by_title["T1"] == Pin("T1", start_date=date(2026, 12, 1))
    outcome = plan_scenario(pinned, time_limit=5)
    assert outcome.ok
    assert outcome.plan.shoots_of("T1")[0].date == date(2026, 12, 1)
    assert "T3" in outcome.plan.unscheduled  # the price of the pin


def test_pin_of_a_title_not_in_the_plan_is_refused(tutorial: Scenario, greedy: Plan) -> None:
    with pytest.raises(PinError, match=r"T3.*not scheduled in the plan"):
        pin_from_plan(tutorial, greedy, "T3")


def test_pin_of_an_unknown_title_is_refused(tutorial: Scenario, greedy: Plan) -> None:
    with pytest.raises(PinError, match="no title 'T99'"):
        pin_from_plan(tutorial, greedy, "T99")


def test_pin_with_nothing_chosen_is_refused(tutorial: Scenario, greedy: Plan) -> None:
    with pytest.raises(PinError, match="choose at least one"):
        pin_from_plan(tutorial, greedy, "T1", crew=False, base=False, start=False)


def test_pin_of_a_crew_gone_from_the_scenario_is_refused(tutorial: Scenario, greedy: Plan) -> None:
    without_c2 = replace(tutorial, crews=tuple(c for c in tutorial.crews if c.crew_id != "C2"))
    with pytest.raises(PinError, match="crew 'C2' is no longer in the scenario"):
        pin_from_plan(without_c2, greedy, "T2", crew=True, base=False)
    # the base alone can still be pinned
    assert pin_from_plan(without_c2, greedy, "T2", crew=False).pin_by_title["T2"].base_id == "B2"


def test_a_new_pin_replaces_the_titles_old_pin_in_place(tutorial: Scenario, greedy: Plan) -> None:
    first = pin_from_plan(tutorial, greedy, "T1", crew=True, base=False)
    both = pin_from_plan(first, greedy, "T2")
    again = pin_from_plan(both, greedy, "T1", crew=False, base=True, start=True)
    assert [p.title_id for p in again.pins] == ["T1", "T2"]
    assert again.pin_by_title["T1"] == Pin("T1", start_date=date(2026, 12, 1), base_id="B1")
    assert tutorial.pins == ()  # scenarios are immutable: the original is untouched


def test_unpin_drops_the_pin_and_refuses_a_title_not_pinned(
    tutorial: Scenario, greedy: Plan
) -> None:
    pinned = pin_from_plan(tutorial, greedy, "T2")
    assert unpin(pinned, "T2").pins == ()
    with pytest.raises(PinError, match="not pinned"):
        unpin(pinned, "T1")
