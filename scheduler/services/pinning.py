"""Pin a title's crew, base, start or scene order into the scenario, for the next solve.

A pin (SPEC rule 8) fixes what a producer has agreed on — a published week,
a crew already booked, the order of a title's scenes on the stripboard — so that
a re-plan keeps it. :func:`pin_from_plan` copies the chosen decisions of one
scheduled title from a plan into the scenario's pins; :func:`unpin` drops a
title's pin. :func:`pin_scene_order` fixes the order in which a title with scenes
shoots them (its packed days, and the scenes inside each day) and
:func:`unpin_scene_order` frees it again, leaving the pin's other fields. Each
returns a new :class:`~scheduler.domain.model.Scenario`; storing it (with the
version check) is the caller's part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from scheduler.domain.model import Pin, Scenario
from scheduler.domain.plan import Plan
from scheduler.domain.scenes import days_in_order

__all__ = ["PinError", "pin_from_plan", "pin_scene_order", "unpin", "unpin_scene_order"]


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
        scene_order=old.scene_order if old else (),  # pinned on the stripboard: kept
        extra=old.extra if old else {},
    )
    return _with_pin(scenario, old, pin)


def _with_pin(scenario: Scenario, old: Pin | None, pin: Pin | None) -> Scenario:
    """``scenario`` with ``old`` replaced by ``pin`` in its place in pins.csv (``old``
    ``None``: ``pin`` added last; ``pin`` ``None``: ``old`` dropped)."""
    if old is None:
        return scenario if pin is None else replace(scenario, pins=(*scenario.pins, pin))
    pins = (p if p is not old else pin for p in scenario.pins)
    return replace(scenario, pins=tuple(p for p in pins if p is not None))


def pin_scene_order(scenario: Scenario, title_id: str, scene_order: Sequence[str]) -> Scenario:
    """The scenario with ``title_id``'s scenes pinned to be shot in ``scene_order``.

    The order fixes the order of the title's packed scene days and of the scenes inside
    each day; the pin's other fields (crew, base, start) stay as they are.

    Raises
    ------
    PinError
        The title is not in the scenario or has no scenes, or ``scene_order`` is not its
        scenes, each once, with each packed day's scenes next to each other.
    """
    title = scenario.title_by_id.get(title_id)
    if title is None:
        raise PinError(f"场景中没有剧目 {title_id}", f"the scenario has no title {title_id!r}")
    if not title.scenes:
        raise PinError(
            f"剧目 {title_id} 没有录入场次，无法锁定场次顺序",
            f"title {title_id!r} has no scenes, so there is no scene order to pin",
        )
    order = tuple(scene_order)
    if days_in_order(scenario.scene_days(title_id), order) is None:
        raise PinError(
            f"{';'.join(order)} 不是剧目 {title_id} 各场次各一次、同一拍摄日的场次相邻的顺序",
            f"{';'.join(order)} is not an order of title {title_id!r}'s scenes, each once, "
            "with each packed day's scenes next to each other",
        )
    old = next((p for p in scenario.pins if p.title_id == title_id), None)
    pin = replace(old, scene_order=order) if old else Pin(title_id, scene_order=order)
    return _with_pin(scenario, old, pin)


def unpin_scene_order(scenario: Scenario, title_id: str) -> Scenario:
    """The scenario with ``title_id``'s scene order free again; a pin that then fixes
    nothing (and holds no extra columns) is dropped.

    Raises
    ------
    PinError
        The title's scene order is not pinned.
    """
    old = next((p for p in scenario.pins if p.title_id == title_id and p.scene_order), None)
    if old is None:
        raise PinError(
            f"剧目 {title_id} 没有锁定场次顺序",
            f"title {title_id!r} has no pinned scene order",
        )
    pin = replace(old, scene_order=())
    return _with_pin(scenario, old, pin if pin.fixes_anything or pin.extra else None)


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
