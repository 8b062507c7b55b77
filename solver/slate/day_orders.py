"""Day orders: in which order a title shoots its days, and whom each day books.

A title without scenes needs set-days by type in any order (rule 2) and books
its whole cast every day; its orders are the set-type orders of
:func:`solver.slate.candidates.set_type_orders`. A title with a scene
breakdown shoots its packed scene days (:meth:`Scenario.scene_days`) in some
order, and each actor is booked from their first to their last day with a
scene (rule 10), so the order decides what the cast costs and on which days
each actor is taken. Its orders are the cheapest few found by the exact
sequencer (:func:`solver.sequence.best_orders`, holding cost at the actors' day
rates), chosen so that every set type starts one of them where it can: the
slate then picks among them as it picks among set-type orders.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scheduler.domain.model import Scenario, Title
from scheduler.domain.plan import Shoot
from scheduler.domain.scenes import SceneDay, booked_cast, days_in_order
from solver.sequence import TalentProblem, best_orders
from solver.slate.choices import Placement

SCENE_ORDERS_SEARCHED = 4
"""The sequencer ranks this many times ``max_orders`` orders before the diverse few are
picked: enough that the cheapest order starting with each set type is usually among them."""

LONGEST_RANKED = 10
"""Titles of more scene days than this keep their file order and its reverse only: the
exact k-best sequencer is for a title's handful of days, not for a whole script."""


@dataclass(frozen=True, slots=True)
class DayOrder:
    """One order of a title's shoot days: set type, scenes and actors booked, per day."""

    set_types: tuple[str, ...]
    booked: tuple[frozenset[str], ...]
    scenes: tuple[tuple[str, ...], ...] = ()

    def placement(self, title_id: str, base_id: str, city: str, start: int) -> Placement:
        """The placement of this order at a base from ``start``."""
        return Placement(title_id, base_id, city, start, self.set_types, self.booked, self.scenes)


def plain_order(title: Title, set_types: Sequence[str]) -> DayOrder:
    """A title without scenes shooting ``set_types`` in order, its whole cast every day."""
    cast = frozenset(title.cast)
    return DayOrder(tuple(set_types), (cast,) * len(set_types))


def scene_order(days: Sequence[SceneDay]) -> DayOrder:
    """Scene days shot in the given order, each actor booked from first to last scene day."""
    return DayOrder(
        tuple(day.set_type for day in days),
        booked_cast([day.cast for day in days]),
        tuple(day.scene_ids for day in days),
    )


def order_count(days: Sequence[SceneDay]) -> int:
    """Distinct orders of the days, telling apart only days of another set type or cast."""
    kinds = Counter((day.set_type, day.cast) for day in days)
    count = math.factorial(len(days))
    for repeats in kinds.values():
        count //= math.factorial(repeats)
    return count


def scene_orders(
    scenario: Scenario, title: Title, max_orders: int
) -> tuple[tuple[DayOrder, ...], bool]:
    """The title's scene-day orders the slate may choose among, and whether more exist.

    The cheapest order first, then the cheapest starting with each other set
    type, then the next cheapest; reversals cost the same and are kept
    (another set type starts them).
    """
    days = scenario.scene_days(title.title_id)
    actors = sorted({a for day in days for a in day.cast})
    index = {actor_id: i for i, actor_id in enumerate(actors)}
    if len(days) > LONGEST_RANKED:
        ranked: list[tuple[int, ...]] = [
            tuple(range(len(days))),
            tuple(reversed(range(len(days)))),
        ]
    else:
        problem = TalentProblem(
            durations=(1,) * len(days),
            costs=tuple(scenario.actor_by_id[a].day_rate for a in actors),
            scene_actors=tuple(frozenset(index[a] for a in day.cast) for day in days),
        )
        wanted = min(SCENE_ORDERS_SEARCHED * max_orders, math.factorial(len(days)))
        ranked = [order for order, _cost in best_orders(problem, wanted)]
    picked = _diverse([scene_order([days[i] for i in order]) for order in ranked], max_orders)
    return tuple(picked), order_count(days) > len(picked)


def _diverse(ranked: Iterable[DayOrder], most: int) -> list[DayOrder]:
    """At most ``most`` orders that book differently: the first, the first starting with
    each other set type, then the rest in rank order (orders of the same set types and
    bookings differ only in which scenes go first: the cheapest of them stands for all)."""
    by_booking: dict[tuple[tuple[str, ...], tuple[frozenset[str], ...]], DayOrder] = {}
    for order in ranked:
        by_booking.setdefault((order.set_types, order.booked), order)
    unique = list(by_booking.values())
    picked = unique[:1]
    for order in unique:
        if len(picked) >= most:
            break
        if order.set_types[0] not in {p.set_types[0] for p in picked}:
            picked.append(order)
    for order in unique:
        if len(picked) >= most:
            break
        if order not in picked:
            picked.append(order)
    return picked


def pinned_scene_order(scenario: Scenario, title: Title) -> DayOrder | None:
    """The order of the title's scene days that its pin fixes (rule 8: the pin's
    ``scene_order``, each day's scenes in that order); ``None`` when no pin fixes one, or
    when the pinned order is no order of the title's packed days (validation refuses it)."""
    pin = scenario.pin_by_title.get(title.title_id)
    if pin is None or not pin.scene_order or not title.scenes:
        return None
    days = days_in_order(scenario.scene_days(title.title_id), pin.scene_order)
    return None if days is None else scene_order(days)


def order_for_set_types(scenario: Scenario, title: Title, set_types: Sequence[str]) -> DayOrder:
    """An order of the title's days that shoots ``set_types`` day by day (a multiset of its
    needs): the pinned order if it does, else the cheapest ranked one that does, else its
    scene days of each type in packed order."""
    if not title.scenes:
        return plain_order(title, set_types)
    wanted = tuple(set_types)
    pinned = pinned_scene_order(scenario, title)
    if pinned is not None and pinned.set_types == wanted:
        return pinned
    ranked, _capped = scene_orders(scenario, title, 1)
    if ranked and ranked[0].set_types == wanted:
        return ranked[0]
    by_type: dict[str, list[SceneDay]] = {}
    for day in scenario.scene_days(title.title_id):
        by_type.setdefault(day.set_type, []).append(day)
    return scene_order([by_type[set_type].pop(0) for set_type in wanted])


def placement_of_shoots(scenario: Scenario, shoots: Sequence[Shoot]) -> Placement:
    """The placement of one title's shoots as a plan has them (scenes as the plan lists them)."""
    ordered = sorted(shoots)
    first = ordered[0]
    title = scenario.title_by_id[first.title_id]
    set_types = tuple(scenario.set_by_id[s.set_id].set_type for s in ordered)
    if title.scenes:
        cast_of = {scene.scene_id: scene.cast for scene in title.scenes}
        day_casts = [frozenset(a for sc in s.scenes for a in cast_of.get(sc, ())) for s in ordered]
        booked = booked_cast(day_casts)
        scenes = tuple(s.scenes for s in ordered)
    else:
        booked, scenes = (frozenset(title.cast),) * len(ordered), ()
    return Placement(
        first.title_id,
        first.base_id,
        scenario.city_of_base(first.base_id),
        scenario.day_index(first.date),
        set_types,
        booked,
        scenes,
    )
