"""Pin a title's crew, base or start from a plan into the scenario, for the next solve.

A pin (SPEC rule 8) fixes what a producer has agreed on — a published week,
a crew already booked — so that a re-plan keeps it. :func:`pin_from_plan`
copies the chosen decisions of one scheduled title from a plan into the
scenario's pins; :func:`unpin` drops a title's pin. Both return a new
:class:`~scheduler.domain.model.Scenario`; storing it (with the version check) is
the caller's part.
"""

from __future__ import annotations

from dataclasses import replace

from scheduler.domain.model import Pin, Scenario
from scheduler.domain.plan import Plan

__all__ = ["PinError", "pin_from_plan", "unpin"]


class PinError(ValueError):
    """A pin that cannot be made from the plan; the message is Chinese, then English."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh}（{message_en}）")


def pin_from_plan(
    scenario: Scenario,
    plan: Plan,
    title_id: str,
    crew: bool = True,
    base: bool = True,
    start: bool = False,
) -> Scenario:
    """The scenario with ``title_id`` pinned to its crew, base and/or start date in ``plan``.

    An existing pin of the title is replaced (a decision not chosen is left free).

    Parameters
    ----------
    scenario
        The scenario to pin in (the current version, not necessarily the one
        the plan was made from).
    plan
        A plan that schedules ``title_id``.
    title_id
        The title to pin.
    crew, base, start
        Which of the title's decisions in the plan to fix.

    Raises
    ------
    PinError
        Nothing chosen to pin; the title is not in the scenario or not
        scheduled in the plan; or the plan's crew or base is no longer in the scenario.
    """
    if not (crew or base or start):
        raise PinError(
            "请至少选择剧组、基地或开机日之一来钉住",
            "choose at least one of crew, base or start to pin",
        )
    if title_id not in scenario.title_by_id:
        raise PinError(f"场景中没有剧目 {title_id}", f"the scenario has no title {title_id!r}")
    shoots = plan.shoots_of(title_id)
    if not shoots:
        raise PinError(
            f"剧目 {title_id} 不在这个排期方案里（未排上），无法从方案钉住",
            f"title {title_id!r} is not scheduled in the plan, so there is nothing to pin",
        )
    first = shoots[0]
    if crew and first.crew_id not in scenario.crew_by_id:
        raise PinError(
            f"方案中的剧组 {first.crew_id} 已不在场景中",
            f"the plan's crew {first.crew_id!r} is no longer in the scenario",
        )
    if base and first.base_id not in scenario.base_by_id:
        raise PinError(
            f"方案中的基地 {first.base_id} 已不在场景中",
            f"the plan's base {first.base_id!r} is no longer in the scenario",
        )
    old = next((p for p in scenario.pins if p.title_id == title_id), None)
    pin = Pin(
        title_id,
        start_date=first.date if start else None,
        base_id=first.base_id if base else None,
        crew_id=first.crew_id if crew else None,
        extra=old.extra if old else {},
    )
    if old is None:
        return replace(scenario, pins=(*scenario.pins, pin))
    # the replaced pin keeps its place in pins.csv
    return replace(scenario, pins=tuple(pin if p is old else p for p in scenario.pins))


def unpin(scenario: Scenario, title_id: str) -> Scenario:
    """The scenario without ``title_id``'s pin.

    Raises
    ------
    PinError
        The title is not pinned.
    """
    if title_id not in scenario.pin_by_title:
        raise PinError(f"剧目 {title_id} 没有钉住", f"title {title_id!r} is not pinned")
    return replace(scenario, pins=tuple(p for p in scenario.pins if p.title_id != title_id))
