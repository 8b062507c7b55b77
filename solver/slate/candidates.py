"""Candidate placements: every way a title could shoot, before any solver runs.

A *placement* is a base, a first shoot day and the set type of each shoot
day. A *crew option* is a crew that could shoot the title from a first day in
a city. Both are pre-filtered here so that the solver model only ever sees
choices that keep rules 1, 2, 3, 5 and the pinned fields of rule 8 on their
own: the shoot lies inside the title's window and the horizon, the base has
every needed set type, on every shoot day a set of that day's type is open
(rule 5 for sets and bases), the base is not capped at zero crews, every cast
member is free every day (rule 5 for actors), some crew with the genre is
free every day (rules 3 and 5 for crews), and a pin's start, base, crew and
scene order are respected (a pinned scene order is the title's one day order).
Where cities plan apart (rule 11, ``Scenario.pooling``), a base is kept only in a
city where the whole cast may work, and a crew option only in a city of the crew's
home group; a placement no crew of its city's group can take is dropped.

When a title has no placement left, :func:`enumerate_candidates` says why in
words a producer understands (in Chinese), from the first filter that left
nothing.

The order of set types inside a title is free (rule 2), so a title with
needs 办公室×2 + 医院×1 could shoot 办公室-办公室-医院, 办公室-医院-办公室 or
医院-办公室-办公室. All distinct orders are enumerated while there are at most
``max_orders`` of them; beyond that only orders that shoot each set type in
one block are kept (a producer's habit anyway: fewer set changes), at most
``max_orders`` of them, which makes the model exact only up to that choice.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from scheduler.domain.model import Actor, Base, Scenario, Title
from scheduler.domain.pooling import actor_may_shoot_in, city_group
from solver.calendar import Calendar
from solver.slate.choices import CrewOption, Placement
from solver.slate.day_orders import DayOrder, pinned_scene_order, plain_order, scene_orders
from solver.slate.residual import Residual

DEFAULT_MAX_ORDERS = 6


@dataclass(frozen=True)
class TitleCandidates:
    """Everything a title could be given, or why it can be given nothing.

    ``reason`` is ``None`` when there is at least one placement (then there is
    also at least one crew option for its start and city).
    """

    title: Title
    placements: tuple[Placement, ...]
    crew_options: tuple[CrewOption, ...]
    reason: str | None
    pinned: bool
    orders_capped: bool = False

    @property
    def possible(self) -> bool:
        return bool(self.placements)


@dataclass(frozen=True)
class Within:
    """The crews and bases a neighbourhood may use."""

    crew_ids: frozenset[str]
    base_ids: frozenset[str]


@dataclass(frozen=True)
class Candidates:
    """Candidates of every title, in the scenario's title order."""

    by_title: dict[str, TitleCandidates]
    max_orders: int

    @property
    def placement_count(self) -> int:
        return sum(len(c.placements) for c in self.by_title.values())

    @property
    def crew_option_count(self) -> int:
        return sum(len(c.crew_options) for c in self.by_title.values())

    @property
    def impossible(self) -> dict[str, str]:
        """Reason of every title that no plan can schedule."""
        return {t: c.reason for t, c in self.by_title.items() if c.reason is not None}

    @property
    def contradictory_pins(self) -> dict[str, str]:
        """Reason of every pinned title that no plan can schedule (the pins cannot all be kept)."""
        return {t: c.reason for t, c in self.by_title.items() if c.pinned and c.reason is not None}

    def summary(self) -> str:
        capped = sum(1 for c in self.by_title.values() if c.orders_capped)
        return (
            f"{len(self.by_title)} titles, {len(self.impossible)} impossible, "
            f"{self.placement_count} placements, {self.crew_option_count} crew options, "
            f"{capped} titles with set-type orders capped at {self.max_orders}"
        )


# -- set-type orders ---------------------------------------------------------


def set_type_orders(days_by_type: dict[str, int], max_orders: int) -> tuple[tuple[str, ...], ...]:
    """Orders of set types over the shoot days, at most ``max_orders`` of them.

    All distinct orders of the multiset when there are few enough; otherwise
    orders that keep each set type in one block, rotations first so that every
    type is shot first in one of them.
    """
    types = sorted(days_by_type)
    if _multinomial(days_by_type) <= max_orders:
        return tuple(_distinct_orders(days_by_type, types))
    rotations = [types[i:] + types[:i] for i in range(len(types))]
    block_orders: list[list[str]] = list(rotations)
    for order in itertools.permutations(types):
        if len(block_orders) >= max_orders:
            break
        if list(order) not in block_orders:
            block_orders.append(list(order))
    return tuple(
        tuple(t for t in order for _ in range(days_by_type[t]))
        for order in block_orders[:max_orders]
    )


def _offset_spans(order: DayOrder) -> list[tuple[str, int, int]]:
    """``(actor, first offset, last offset)`` of every actor the order books."""
    spans: dict[str, tuple[int, int]] = {}
    for offset, actors in enumerate(order.booked):
        for actor_id in actors:
            spans[actor_id] = (spans.get(actor_id, (offset, offset))[0], offset)
    return [(a, first, last) for a, (first, last) in sorted(spans.items())]


def _multinomial(days_by_type: dict[str, int]) -> int:
    total, result = 0, 1
    for days in days_by_type.values():
        for i in range(1, days + 1):
            total += 1
            result = result * total // i
    return result


def _distinct_orders(
    days_by_type: dict[str, int], types: Sequence[str]
) -> Iterator[tuple[str, ...]]:
    left = dict(days_by_type)
    length = sum(left.values())
    prefix: list[str] = []

    def extend() -> Iterator[tuple[str, ...]]:
        if len(prefix) == length:
            yield tuple(prefix)
            return
        for set_type in types:
            if left[set_type]:
                left[set_type] -= 1
                prefix.append(set_type)
                yield from extend()
                prefix.pop()
                left[set_type] += 1

    yield from extend()


# -- the filter --------------------------------------------------------------


def _md(day: date) -> str:
    return f"{day.month:02d}-{day.day:02d}"


def enumerate_candidates(
    scenario: Scenario,
    max_orders: int = DEFAULT_MAX_ORDERS,
    *,
    title_ids: Iterable[str] | None = None,
    residual: Residual | None = None,
    within: Within | None = None,
) -> Candidates:
    """Pre-filtered placements and crew options of every title, with a reason where none.

    Parameters
    ----------
    title_ids
        Enumerate only these titles (the freed titles of a neighbourhood); all by default.
    residual
        Bookings of fixed titles: their sets, base places, crew and actor days (with
        the travel days around them) are not free for the enumerated titles.
    within
        Only these crews and bases (a slice of a big cluster); pinned titles keep
        every crew and base their pin allows.
    """
    # the residual's sets, base places, crew and actor days are not open
    calendar = Calendar(scenario, residual)
    crew_runs = calendar.crew_run
    actor_runs = calendar.actor_run
    titles = (
        scenario.titles
        if title_ids is None
        else [scenario.title_by_id[t] for t in dict.fromkeys(title_ids)]
    )
    by_title = {
        title.title_id: _title_candidates(
            scenario, calendar, crew_runs, actor_runs, title, max_orders, within
        )
        for title in titles
    }
    if residual is not None:
        by_title = {t: _without_travel_clashes(found, residual) for t, found in by_title.items()}
    return Candidates(by_title=by_title, max_orders=max_orders)


def _without_travel_clashes(found: TitleCandidates, residual: Residual) -> TitleCandidates:
    """Drop choices that leave a crew or actor no time to travel to or from a fixed title."""
    if not found.possible:
        return found
    length = found.title.shoot_days
    # an actor is taken from their first to their last booked day (rule 10)
    placements = tuple(
        p
        for p in found.placements
        if not any(
            residual.clashes("actor", a, p.city, first, last)
            for a, (first, last) in p.actor_spans().items()
        )
    )
    placed = {(p.start, p.city) for p in placements}
    crew_options = tuple(
        o
        for o in found.crew_options
        if (o.start, o.city) in placed
        and not residual.clashes("crew", o.crew_id, o.city, o.start, o.start + length - 1)
    )
    crewed = {(o.start, o.city) for o in crew_options}
    placements = tuple(p for p in placements if (p.start, p.city) in crewed)
    reason = None if placements else "与固定剧目的剧组、主演档期或转场时间冲突"
    return TitleCandidates(
        found.title,
        placements,
        crew_options if placements else (),
        reason,
        found.pinned,
        found.orders_capped,
    )


def cast_city_reason(
    scenario: Scenario,
    cast: Sequence[Actor],
    bases: Sequence[Base],
    needed_words: str,
    pinned_base: bool,
) -> str:
    """Why no base is left once the cast may work only in their city groups (rule 11)."""

    def homes(actors: Iterable[Actor]) -> str:
        return "、".join(f"{a.name}（{city_group(scenario, a.home_city)}）" for a in actors)

    if pinned_base:
        base = bases[0]
        away = [a for a in cast if not actor_may_shoot_in(scenario, a, base.city)]
        return f"钉住的基地 {base.name} 在{base.city}，不在演员 {homes(away)} 的常驻城市组"
    cities = [c for c in scenario.cities if all(actor_may_shoot_in(scenario, a, c) for a in cast)]
    if not cities:
        with_home = homes(a for a in cast if a.home_city)
        return f"演员常驻的城市组不同，没有一个城市他们都能去：{with_home}"
    return f"演员都能去的 {'、'.join(cities)} 没有可用的基地同时有 {needed_words} 场景"


def _title_candidates(
    scenario: Scenario,
    calendar: Calendar,
    crew_runs: dict[str, list[int]],
    actor_runs: dict[str, list[int]],
    title: Title,
    max_orders: int,
    within: Within | None = None,
) -> TitleCandidates:
    pin = scenario.pin_by_title.get(title.title_id)
    if pin is not None:
        within = None
    length = title.shoot_days
    first, last = scenario.title_window(title)
    window = calendar.span(first, last) if first <= last else ""

    def none(reason: str, capped: bool = False) -> TitleCandidates:
        return TitleCandidates(title, (), (), reason, pin is not None, orders_capped=capped)

    if length <= 0:
        return none("没有需要拍的场景天数")
    if first > last:
        return none(
            f"可拍期 {_md(title.earliest_start)}–{_md(title.due_date)} 不在排期范围 "
            f"{calendar.span(0, scenario.days - 1)} 内"
        )
    if last - first + 1 < length:
        return none(f"可拍期 {window} 只有 {last - first + 1} 天，不够连拍 {length} 天")
    starts = list(range(first, last - length + 2))
    if pin is not None and pin.start_date is not None:
        pinned_start = scenario.day_index(pin.start_date)
        if pinned_start not in starts:
            return none(
                f"钉住的开机日 {_md(pin.start_date)} 不行：连拍 {length} 天须在 {window} 内"
            )
        starts = [pinned_start]

    # rule 2: bases with every needed set type (and not capped at zero)
    days_by_type = title.days_by_set_type()
    needed = frozenset(days_by_type)
    needed_words = "+".join(days_by_type)
    bases = [b for b in scenario.bases if needed <= calendar.types_at.get(b.base_id, frozenset())]
    if within is not None:
        bases = [b for b in bases if b.base_id in within.base_ids]
    if pin is not None and pin.base_id is not None:
        pinned_base = scenario.base_by_id[pin.base_id]
        if pinned_base not in bases:
            have = calendar.types_at.get(pin.base_id, frozenset())
            missing = "+".join(sorted(needed - have))
            return none(f"钉住的基地 {pinned_base.name} 没有 {missing} 场景")
        bases = [pinned_base]
    if not bases:
        return none(f"没有基地同时有 {needed_words} 场景")
    if scenario.pooling and title.actors:
        # rule 11, actors: only cities where the whole cast may work
        cast = [scenario.actor_by_id[a] for a in title.actors]
        allowed = [b for b in bases if all(actor_may_shoot_in(scenario, a, b.city) for a in cast)]
        if not allowed:
            return none(cast_city_reason(scenario, cast, bases, needed_words, pin is not None))
        bases = allowed
    open_bases = [b for b in bases if b.max_crews is None or b.max_crews > 0]
    if not open_bases:
        base_names = "、".join(b.name for b in bases)
        return none(f"有 {needed_words} 场景的基地（{base_names}）不接剧组（剧组上限为 0）")

    # the orders of the shoot days: set types by day and whom each day books
    orders: tuple[DayOrder, ...]
    if title.scenes and pin is not None and pin.scene_order:
        pinned_order = pinned_scene_order(scenario, title)
        if pinned_order is None:
            return none("钉住的场次顺序不是本剧目按场次表排出的拍摄日的顺序")
        orders, capped = (pinned_order,), False
    elif title.scenes:
        orders, capped = scene_orders(scenario, title, max_orders)
    else:
        orders = tuple(plain_order(title, o) for o in set_type_orders(days_by_type, max_orders))
        capped = _multinomial(days_by_type) > len(orders)

    # rule 5, actors: every actor free on every day the order books them (rule 10)
    spans = [_offset_spans(order) for order in orders]
    blocked_by: dict[str, int] = {}
    cast_starts = []
    orders_at: dict[int, list[DayOrder]] = {}
    for start in starts:
        free_orders = [
            order
            for order, span in zip(orders, spans, strict=True)
            if all(actor_runs[a][start + f] > last - f for a, f, last in span)
        ]
        if free_orders:
            cast_starts.append(start)
            orders_at[start] = free_orders
            continue
        blockers = {
            a for span in spans for a, f, last in span if actor_runs[a][start + f] <= last - f
        }
        for actor_id in blockers:
            blocked_by[actor_id] = blocked_by.get(actor_id, 0) + 1
    if not cast_starts:
        names = [
            scenario.actor_by_id[a].name
            for a in title.actors
            if blocked_by.get(a, 0) == len(starts)
        ]
        together = "、".join(scenario.actor_by_id[a].name for a in blocked_by)
        if title.scenes:
            # with scenes an actor is needed only from their first to their last scene day
            if names:
                return none(f"演员 {'、'.join(names)} 在 {window} 内没有戏份所需的连续档期")
            return none(f"演员 {together} 的档期在 {window} 内按任一拍摄顺序都凑不齐")
        if names:
            return none(f"演员 {'、'.join(names)} 在 {window} 内没有连续 {length} 天档期")
        return none(f"主演 {together} 的档期在 {window} 内凑不齐连续 {length} 天")

    # rule 3 and rule 5, crews: the genre and free on every shoot day
    crews = [c for c in scenario.crews if c.can_shoot(title.genre)]
    if within is not None:
        crews = [c for c in crews if c.crew_id in within.crew_ids]
    if pin is not None and pin.crew_id is not None:
        pinned_crew = scenario.crew_by_id[pin.crew_id]
        if pinned_crew not in crews:
            return none(f"钉住的剧组 {pinned_crew.name} 不能拍 {title.genre}")
        crews = [pinned_crew]
    if not crews:
        return none(f"没有能拍 {title.genre} 的剧组")
    crews_at: dict[int, list[str]] = {}
    for start in starts:
        free = [c.crew_id for c in crews if crew_runs[c.crew_id][start] >= length]
        if free:
            crews_at[start] = free
    if not crews_at:
        who = "钉住的剧组" if pin is not None and pin.crew_id is not None else "能拍的剧组"
        return none(f"{who}（{title.genre}）在 {window} 内都没有连续 {length} 天空档")
    person_starts = [s for s in cast_starts if s in crews_at]
    if not person_starts:
        return none(f"主演有档期的日子里，没有能拍 {title.genre} 的剧组连续 {length} 天空闲")

    # rule 5, sets and bases: on each shoot day a set of that day's type is open
    placements: list[Placement] = []
    for base in open_bases:
        pools = {t: calendar.open_sets[(base.base_id, t)] for t in needed}
        full = calendar.base_full.get(base.base_id, frozenset())
        for start in person_starts:
            if full and any(d in full for d in range(start, start + length)):
                continue
            for order in orders_at[start]:
                if all(pools[t][start + i] > 0 for i, t in enumerate(order.set_types)):
                    placements.append(
                        order.placement(title.title_id, base.base_id, base.city, start)
                    )
    if not placements:
        return none(
            f"{window} 内没有基地能连续 {length} 天提供 {needed_words} 场景（场景或基地停用）",
            capped,
        )

    cities_at: dict[int, set[str]] = {}
    for placement in placements:
        cities_at.setdefault(placement.start, set()).add(placement.city)
    crew_options = tuple(
        CrewOption(title.title_id, crew_id, start, city)
        for start in sorted(cities_at)
        for city in sorted(cities_at[start])
        for crew_id in crews_at[start]
        if scenario.same_group(scenario.crew_home_city[crew_id], city)  # rule 11, crews
    )
    if scenario.pooling:
        crewed = {(option.start, option.city) for option in crew_options}
        placements = [p for p in placements if (p.start, p.city) in crewed]
        if not placements:
            cities = "、".join(sorted({city for found in cities_at.values() for city in found}))
            return none(
                f"{window} 内有空档、能拍 {title.genre} 的剧组都不在 {cities} 所在的城市组"
                "（各城剧组只在本城市组拍摄）",
                capped,
            )
    return TitleCandidates(
        title, tuple(placements), crew_options, None, pin is not None, orders_capped=capped
    )
