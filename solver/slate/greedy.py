"""The greedy baseline: what a coordinator does in a spreadsheet.

Titles are taken one at a time — pinned titles first, then by priority (high
first), due date (early first) and title id — and each is put at the EARLIEST
start day on which one crew, one base with free sets of every needed set type
and its whole cast are free on consecutive days inside its window. A title
that fits nowhere is left out with a reason a producer understands. Nothing
is ever moved once placed, which is what makes it a baseline: fast, always
keeping the rules, and beaten by the solver. It also serves as the solver's
warm start.

Every resource keeps its booked and closed days as a bitmask (bit ``d`` is
day ``d`` of the horizon), so "free on days s … s+n-1" is a couple of integer
operations and the ×10 cluster plans in about a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations, groupby, permutations

from scheduler.domain.model import Crew, FilmSet, Scenario, Title, UnavailableKind
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.pooling import actor_may_shoot_in
from solver.slate.candidates import cast_city_reason
from solver.slate.day_orders import order_for_set_types, pinned_scene_order

ANY_GENRE_BREADTH = 10_000
"""Genre breadth of a crew that shoots any genre: such crews are used last."""


# -- day masks ----------------------------------------------------------------


def _days_mask(first: int, last: int) -> int:
    """Mask of the days first … last (empty if first > last)."""
    if first > last:
        return 0
    return ((1 << (last - first + 1)) - 1) << first


def _run_starts(free: int, length: int) -> int:
    """Days d such that d, d+1, …, d+length-1 are all free."""
    starts = free
    for shift in range(1, length):
        starts &= free >> shift
    return starts


def _days_of(mask: int) -> Iterator[int]:
    """The days set in ``mask``, earliest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _busy_run_before(busy: int, day: int) -> int:
    """How many days in a row the mask is busy just before ``day``."""
    count = 0
    day -= 1
    while day >= 0 and busy >> day & 1:
        count += 1
        day -= 1
    return count


def _busy_run_after(busy: int, day: int) -> int:
    """How many days in a row the mask is busy just after ``day``."""
    count = 0
    day += 1
    while busy >> day & 1:
        count += 1
        day += 1
    return count


# -- the booking board ----------------------------------------------------------


@dataclass(frozen=True)
class _Stay:
    """Days a crew or actor is booked in one city for one title."""

    first: int
    last: int
    city: str


@dataclass
class _Board:
    """Booked and closed days of every set, crew, actor and base, as day masks.

    ``type_free[(base, set_type)]`` holds the days on which at least one set of
    that type at that base is neither booked nor closed; it is kept current as
    shoots are booked.
    """

    scenario: Scenario
    horizon: int = 0
    set_busy: dict[str, int] = field(default_factory=dict)
    set_closed: dict[str, int] = field(default_factory=dict)
    crew_busy: dict[str, int] = field(default_factory=dict)
    crew_closed: dict[str, int] = field(default_factory=dict)
    actor_busy: dict[str, int] = field(default_factory=dict)
    actor_closed: dict[str, int] = field(default_factory=dict)
    base_closed: dict[str, int] = field(default_factory=dict)
    base_full: dict[str, int] = field(default_factory=dict)
    base_load: dict[str, list[int]] = field(default_factory=dict)
    type_free: dict[tuple[str, str], int] = field(default_factory=dict)
    crew_stays: dict[str, list[_Stay]] = field(default_factory=dict)
    actor_stays: dict[str, list[_Stay]] = field(default_factory=dict)
    crew_runs: dict[str, dict[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        s = self.scenario
        self.horizon = _days_mask(0, s.days - 1)

        def closed(kind: UnavailableKind, resource_id: str) -> int:
            mask = 0
            for day in s.unavailable_days(kind, resource_id):
                mask |= 1 << day
            return mask

        for film_set in s.sets:
            self.set_busy[film_set.set_id] = 0
            self.set_closed[film_set.set_id] = closed("set", film_set.set_id)
        for crew in s.crews:
            self.crew_busy[crew.crew_id] = 0
            self.crew_closed[crew.crew_id] = closed("crew", crew.crew_id)
            self.crew_stays[crew.crew_id] = []
        for actor in s.actors:
            self.actor_busy[actor.actor_id] = 0
            self.actor_closed[actor.actor_id] = closed("actor", actor.actor_id)
            self.actor_stays[actor.actor_id] = []
        for base in s.bases:
            self.base_closed[base.base_id] = closed("base", base.base_id)
            # a cap of 0 closes the base to shooting altogether
            self.base_full[base.base_id] = self.horizon if base.max_crews == 0 else 0
            self.base_load[base.base_id] = [0] * s.days
        for base_id, set_type in s.sets_by_base_and_type:
            self._refresh_type(base_id, set_type)

    # -- what is free ------------------------------------------------------

    def set_free(self, set_id: str) -> int:
        return self.horizon & ~(self.set_busy[set_id] | self.set_closed[set_id])

    def crew_free(self, crew_id: str) -> int:
        return self.horizon & ~(self.crew_busy[crew_id] | self.crew_closed[crew_id])

    def crew_run_starts(self, crew_id: str, length: int) -> int:
        """Days from which the crew is free ``length`` days in a row (cached until booked)."""
        runs = self.crew_runs.setdefault(crew_id, {})
        if length not in runs:
            runs[length] = _run_starts(self.crew_free(crew_id), length)
        return runs[length]

    def actor_free(self, actor_id: str) -> int:
        return self.horizon & ~(self.actor_busy[actor_id] | self.actor_closed[actor_id])

    def base_open(self, base_id: str) -> int:
        """Days the base is open and below its max_crews."""
        return self.horizon & ~(self.base_closed[base_id] | self.base_full[base_id])

    def _refresh_type(self, base_id: str, set_type: str) -> None:
        free = 0
        for film_set in self.scenario.sets_at(base_id, set_type):
            free |= self.set_free(film_set.set_id)
        self.type_free[(base_id, set_type)] = free

    # -- rules that look at neighbouring titles ------------------------------

    def travel_ok(self, stays: Iterable[_Stay], first: int, last: int, city: str) -> bool:
        """Rule 7: between this stay and every other stay of the same crew or actor
        in another city, the free days are at least the travel days (earlier and
        later titles alike)."""
        for stay in stays:
            if stay.city == city:
                continue
            if stay.last < first:
                gap = first - stay.last - 1
                need = self.scenario.travel_days(stay.city, city)
            else:
                gap = stay.first - last - 1
                need = self.scenario.travel_days(city, stay.city)
            if gap < need:
                return False
        return True

    def crew_rests_ok(self, crew: Crew, first: int, last: int) -> bool:
        """Rule 9: with this title added, the crew's run of shooting days (its
        neighbouring titles included) is at most max_days_in_row."""
        if crew.max_days_in_row is None:
            return True
        busy = self.crew_busy[crew.crew_id]
        run = _busy_run_before(busy, first) + (last - first + 1) + _busy_run_after(busy, last)
        return run <= crew.max_days_in_row

    # -- booking -------------------------------------------------------------

    def book(
        self,
        crew: Crew,
        base_id: str,
        day_sets: list[FilmSet],
        first: int,
        booked: Sequence[frozenset[str]],
    ) -> None:
        """Mark the title's days as booked for its crew, sets and base, and each actor's
        booked days (``booked[i]`` on day ``first + i``, rule 10)."""
        last = first + len(day_sets) - 1
        days = _days_mask(first, last)
        city = self.scenario.city_of_base(base_id)
        self.crew_busy[crew.crew_id] |= days
        self.crew_runs.pop(crew.crew_id, None)
        self.crew_stays[crew.crew_id].append(_Stay(first, last, city))
        spans: dict[str, tuple[int, int]] = {}
        for offset, actors in enumerate(booked):
            for actor_id in actors:
                spans[actor_id] = (spans.get(actor_id, (offset, offset))[0], offset)
        for actor_id, (since, until) in spans.items():
            self.actor_busy[actor_id] |= _days_mask(first + since, first + until)
            self.actor_stays[actor_id].append(_Stay(first + since, first + until, city))
        cap = self.scenario.base_by_id[base_id].max_crews
        load = self.base_load[base_id]
        for offset, film_set in enumerate(day_sets):
            day = first + offset
            self.set_busy[film_set.set_id] |= 1 << day
            load[day] += 1
            if cap is not None and load[day] >= cap:
                self.base_full[base_id] |= 1 << day
        for set_type in {film_set.set_type for film_set in day_sets}:
            self._refresh_type(base_id, set_type)


# -- one title's options ----------------------------------------------------------


@dataclass(frozen=True)
class _Placement:
    """Where and when a title goes: the key orders candidates, smallest best."""

    key: tuple[int, int, str, str]
    first: int
    crew: Crew
    base_id: str
    day_sets: list[FilmSet]


def _genre_breadth(crew: Crew) -> int:
    """How many genres the crew shoots; crews that shoot anything count as widest."""
    return len(crew.genres) if crew.genres else ANY_GENRE_BREADTH


def _hall_ok(type_masks: list[tuple[int, int]], window: int) -> bool:
    """Whether each needed set type can get its set-days inside ``window``.

    ``type_masks`` holds (days with a free set of the type, days needed). By
    Hall's theorem the days can be shared out exactly when every group of
    types together has at least as many free days in the window as it needs.
    """
    for size in range(1, len(type_masks) + 1):
        for group in combinations(type_masks, size):
            free = 0
            need = 0
            for mask, days in group:
                free |= mask
                need += days
            if (free & window).bit_count() < need:
                return False
    return True


@dataclass(frozen=True)
class Group:
    """Crews that shoot only at these bases (all in one city): a slice of a big cluster."""

    city: str
    base_ids: tuple[str, ...]
    crew_ids: frozenset[str]


class _Greedy:
    """Places titles one by one on a :class:`_Board`; see the module docstring.

    With ``groups``, a title not pinned goes only to a crew and a base of the same
    group (see :func:`greedy_plan`); without, each city is one group of every crew.
    """

    def __init__(self, scenario: Scenario, groups: Sequence[Group] | None = None) -> None:
        self.scenario = scenario
        self.board = _Board(scenario)
        self.bases_by_city: dict[str, list[str]] = {}
        for base in scenario.bases:
            self.bases_by_city.setdefault(base.city, []).append(base.base_id)
        self.groups = list(groups) if groups is not None else None
        self.bases_with_type: dict[str, set[str]] = {}
        for film_set in scenario.sets:
            self.bases_with_type.setdefault(film_set.set_type, set()).add(film_set.base_id)
        self.cheapest = {
            key: min(s.day_rate for s in sets)
            for key, sets in scenario.sets_by_base_and_type.items()
        }
        # crews of each genre, best first: narrow genres, then cheap (see best_at)
        self.crews_by_genre: dict[str, list[Crew]] = {}
        self.pinned_orders: dict[str, tuple[str, ...]] = {}  # see pinned_types

    # -- order -----------------------------------------------------------------

    def planning_order(self) -> list[Title]:
        """Pinned titles first; then priority high first, due date early first, title id."""
        pinned = self.scenario.pin_by_title
        return sorted(
            self.scenario.titles,
            key=lambda t: (t.title_id not in pinned, -t.priority, t.due_date, t.title_id),
        )

    # -- the title's fixed options ---------------------------------------------

    def candidate_bases(self, title: Title) -> list[str]:
        """Rule 2: bases that have at least one set of every needed set type."""
        pin = self.scenario.pin_by_title.get(title.title_id)
        bases = [b.base_id for b in self.scenario.bases]
        if pin is not None and pin.base_id is not None:
            bases = [pin.base_id]
        for set_type in title.days_by_set_type():
            having = self.bases_with_type.get(set_type, set())
            bases = [base_id for base_id in bases if base_id in having]
        return bases

    def candidate_crews(self, title: Title) -> list[Crew]:
        """Rules 3 and 9: crews that shoot the genre and may shoot this many days in a row.

        They come best first: narrow genres (generalists stay free for titles
        only they can shoot), then the lower day rate, then the crew id.
        """
        pin = self.scenario.pin_by_title.get(title.title_id)
        if pin is not None and pin.crew_id is not None:
            crews = [self.scenario.crew_by_id[pin.crew_id]]
            crews = [crew for crew in crews if crew.can_shoot(title.genre)]
        else:
            if title.genre not in self.crews_by_genre:
                self.crews_by_genre[title.genre] = sorted(
                    (crew for crew in self.scenario.crews if crew.can_shoot(title.genre)),
                    key=lambda crew: (_genre_breadth(crew), crew.day_rate, crew.crew_id),
                )
            crews = self.crews_by_genre[title.genre]
        length = title.shoot_days
        return [c for c in crews if c.max_days_in_row is None or c.max_days_in_row >= length]

    def within_city_groups(
        self, title: Title, bases: list[str], crews: list[Crew]
    ) -> tuple[list[str], list[Crew]] | str:
        """Rule 11: bases in cities where the whole cast may work, and crews whose home
        group has one of them; or why there are none."""
        s = self.scenario
        cast = [s.actor_by_id[a] for a in title.actors]
        kept_before = bases
        bases = [
            b for b in bases if all(actor_may_shoot_in(s, a, s.base_by_id[b].city) for a in cast)
        ]
        if not bases:
            pin = s.pin_by_title.get(title.title_id)
            pinned = pin is not None and pin.base_id is not None
            return cast_city_reason(
                s,
                cast,
                [s.base_by_id[b] for b in kept_before],
                "+".join(title.days_by_set_type()),
                pinned,
            )
        cities = {s.base_by_id[b].city for b in bases}
        crews = [
            c
            for c in crews
            if any(s.same_group(s.crew_home_city[c.crew_id], city) for city in cities)
        ]
        if not crews:
            return f"{'、'.join(sorted(cities))}所在的城市组里没有{self._crew_text(title)}"
        return bases, crews

    def start_days(self, title: Title) -> int:
        """Rules 1 and 8: start days that keep the whole shoot inside the window (and the pin)."""
        first, last = self.scenario.title_window(title)
        starts = _days_mask(first, last - title.shoot_days + 1)
        pin = self.scenario.pin_by_title.get(title.title_id)
        if pin is not None and pin.start_date is not None:
            pinned = self.scenario.day_index(pin.start_date)
            starts &= 1 << pinned if pinned >= 0 else 0
        return starts

    # -- placing -----------------------------------------------------------------

    def place(self, title: Title) -> _Placement | str:
        """The placement at the earliest feasible start, or why there is none."""
        length = title.shoot_days
        needs = title.days_by_set_type()
        board = self.board
        starts = self.start_days(title)
        bases = self.candidate_bases(title)
        crews = self.candidate_crews(title)
        if not starts or not bases or not crews:
            return self.explain_static(title, starts, bases, crews)
        if self.scenario.pooling:
            kept = self.within_city_groups(title, bases, crews)
            if isinstance(kept, str):
                return kept
            bases, crews = kept

        # every actor free over the whole shoot: whatever order of its days is chosen, an
        # actor with scenes is then free on their booked days (rule 10)
        cast_starts = starts
        for actor_id in title.actors:
            cast_starts &= _run_starts(board.actor_free(actor_id), length)
        crew_starts = {
            crew.crew_id: board.crew_run_starts(crew.crew_id, length) & starts for crew in crews
        }
        base_starts: dict[str, int] = {}
        for base_id in bases:
            any_type = 0
            for set_type in needs:
                any_type |= board.type_free[(base_id, set_type)]
            base_starts[base_id] = (
                _run_starts(board.base_open(base_id) & any_type, length) & starts
            )

        any_crew = 0
        for mask in crew_starts.values():
            any_crew |= mask
        any_base = 0
        for mask in base_starts.values():
            any_base |= mask
        failures: set[str] = set()
        for first in _days_of(cast_starts & any_crew & any_base):
            placement = self.best_at(title, first, crews, crew_starts, base_starts, failures)
            if placement is not None:
                return placement
        return self.explain_busy(title, starts, cast_starts, any_crew, any_base, failures)

    def best_at(
        self,
        title: Title,
        first: int,
        crews: list[Crew],
        crew_starts: dict[str, int],
        base_starts: dict[str, int],
        failures: set[str],
    ) -> _Placement | None:
        """The best crew and base for a shoot starting on ``first``, or None.

        Among feasible pairs, prefer crews with narrow genres (generalists stay
        free for titles only they can shoot), then the cheaper shoot (set plus
        crew day rates), then ids for a stable answer.
        """
        board = self.board
        length = title.shoot_days
        last = first + length - 1
        window = _days_mask(first, last)
        bit = 1 << first
        needs = title.days_by_set_type()
        best: _Placement | None = None
        pinned = title.title_id in self.scenario.pin_by_title
        groups: list[tuple[str, Sequence[str], list[Crew]]]
        if self.groups is None or pinned:
            groups = [(city, bases, crews) for city, bases in self.bases_by_city.items()]
        else:
            groups = [
                (g.city, g.base_ids, [c for c in crews if c.crew_id in g.crew_ids])
                for g in self.groups
            ]
        for city, city_bases, group_crews in groups:
            open_bases = [b for b in city_bases if base_starts.get(b, 0) & bit]
            if not open_bases:
                continue
            if self.scenario.pooling:  # rule 11: crews of the city's group only
                home = self.scenario.crew_home_city
                group_crews = [
                    c for c in group_crews if self.scenario.same_group(home[c.crew_id], city)
                ]
                if not group_crews:
                    continue
            far = [
                actor_id
                for actor_id in title.actors
                if not board.travel_ok(board.actor_stays[actor_id], first, last, city)
            ]
            if far:
                failures.update(f"actor_travel:{actor_id}" for actor_id in far)
                continue
            crew = self.first_crew(group_crews, crew_starts, first, last, city, failures)
            if crew is None:
                continue
            breadth = _genre_breadth(crew)
            crew_cost = crew.day_rate * length
            # cheapest-looking bases first; stop once even their list price loses
            for floor, base_id in sorted((self.set_floor(b, needs), b) for b in open_bases):
                if best is not None and (breadth, crew_cost + floor) > best.key[:2]:
                    break
                if len(needs) > 1:
                    type_masks = [(board.type_free[(base_id, t)], n) for t, n in needs.items()]
                    if not _hall_ok(type_masks, window):
                        failures.add("sets")
                        continue
                pinned_types = self.pinned_types(title)
                if pinned_types:  # a pinned scene order fixes the set type of each day
                    day_sets = self.sets_in_order(base_id, pinned_types, first)
                    if day_sets is None:
                        failures.add("sets")
                        continue
                else:
                    day_sets = self.choose_sets(base_id, needs, first)
                if day_sets is None:  # pragma: no cover - Hall's condition guarantees a choice
                    continue
                key = (
                    breadth,
                    crew_cost + sum(s.day_rate for s in day_sets),
                    base_id,
                    crew.crew_id,
                )
                if best is None or key < best.key:
                    best = _Placement(key, first, crew, base_id, day_sets)
        return best

    def first_crew(
        self,
        crews: list[Crew],
        crew_starts: dict[str, int],
        first: int,
        last: int,
        city: str,
        failures: set[str],
    ) -> Crew | None:
        """The first crew (they come best first) free from ``first`` that keeps rules 7 and 9."""
        board = self.board
        bit = 1 << first
        for crew in crews:
            if not crew_starts[crew.crew_id] & bit:
                continue
            if not board.crew_rests_ok(crew, first, last):
                failures.add("crew_rest")
            elif not board.travel_ok(board.crew_stays[crew.crew_id], first, last, city):
                failures.add("crew_travel")
            else:
                return crew
        return None

    def set_floor(self, base_id: str, needs: dict[str, int]) -> int:
        """The least the title's sets can cost at the base: its cheapest set of each type."""
        return sum(days * self.cheapest[(base_id, t)] for t, days in needs.items())

    def pinned_types(self, title: Title) -> tuple[str, ...]:
        """Rule 8: the set type of each day that the title's pinned scene order fixes, or ()."""
        if title.title_id not in self.pinned_orders:
            order = pinned_scene_order(self.scenario, title)
            self.pinned_orders[title.title_id] = () if order is None else order.set_types
        return self.pinned_orders[title.title_id]

    def sets_in_order(
        self, base_id: str, set_types: Sequence[str], first: int
    ) -> list[FilmSet] | None:
        """Sets for shoot days of the given set types, day by day: one set for each run of
        days of one type where possible."""
        day_sets: list[FilmSet] = []
        day = first
        for set_type, run in groupby(set_types):
            days = len(list(run))
            block = self.sets_for_block(base_id, set_type, day, days)
            if block is None:
                return None
            day_sets.extend(block)
            day += days
        return day_sets

    def choose_sets(self, base_id: str, needs: dict[str, int], first: int) -> list[FilmSet] | None:
        """Sets for each shoot day: a set type order, then the cheapest free sets.

        Orders that keep each set type's days together come first (the crew
        moves set as seldom as possible); among those the cheapest wins, and
        a set free on all of its type's days is preferred to switching sets.
        Only when no grouped order fits are the types interleaved.
        """
        best: tuple[int, list[FilmSet]] | None = None
        for order in permutations(sorted(needs)):
            day_sets: list[FilmSet] = []
            day = first
            for set_type in order:
                block = self.sets_for_block(base_id, set_type, day, needs[set_type])
                if block is None:
                    break
                day_sets.extend(block)
                day += needs[set_type]
            else:
                cost = sum(s.day_rate for s in day_sets)
                if best is None or cost < best[0]:
                    best = (cost, day_sets)
        if best is not None:
            return best[1]
        return self.interleaved_sets(base_id, needs, first)

    def sets_for_block(
        self, base_id: str, set_type: str, first: int, days: int
    ) -> list[FilmSet] | None:
        """Sets of one type for ``days`` days from ``first``: one set for all if possible."""
        board = self.board
        sets = sorted(self.scenario.sets_at(base_id, set_type), key=lambda s: s.day_rate)
        block = _days_mask(first, first + days - 1)
        for film_set in sets:
            if board.set_free(film_set.set_id) & block == block:
                return [film_set] * days
        chosen: list[FilmSet] = []
        for day in range(first, first + days):
            free = [s for s in sets if board.set_free(s.set_id) >> day & 1]
            if not free:
                return None
            chosen.append(free[0])
        return chosen

    def interleaved_sets(
        self, base_id: str, needs: dict[str, int], first: int
    ) -> list[FilmSet] | None:
        """Share the shoot days out between set types by augmenting paths (bipartite matching)."""
        board = self.board
        length = sum(needs.values())
        slots = [t for t in sorted(needs) for _ in range(needs[t])]
        free_types = [
            {t for t in needs if board.type_free[(base_id, t)] >> (first + offset) & 1}
            for offset in range(length)
        ]
        slot_of_day: list[int | None] = [None] * length
        day_of_slot: list[int | None] = [None] * length

        def augment(offset: int, seen: set[int]) -> bool:
            for slot, set_type in enumerate(slots):
                if set_type not in free_types[offset] or slot in seen:
                    continue
                seen.add(slot)
                other = day_of_slot[slot]
                if other is None or augment(other, seen):
                    day_of_slot[slot] = offset
                    slot_of_day[offset] = slot
                    return True
            return False

        for offset in range(length):
            if not augment(offset, set()):
                return None
        day_sets: list[FilmSet] = []
        for offset, slot in enumerate(slot_of_day):
            assert slot is not None
            block = self.sets_for_block(base_id, slots[slot], first + offset, 1)
            assert block is not None
            day_sets.extend(block)
        return day_sets

    # -- reasons ---------------------------------------------------------------

    def _md(self, day: int) -> str:
        return self.scenario.date_of(day).strftime("%m-%d")

    def _window_text(self, title: Title) -> str:
        first, last = self.scenario.title_window(title)
        if first == last:
            return f"{self._md(first)} 当天"
        return f"{self._md(first)} 至 {self._md(last)} 之间"

    def _set_text(self, title: Title) -> str:
        return "、".join(title.days_by_set_type()) + "场景"

    def _crew_text(self, title: Title) -> str:
        pin = self.scenario.pin_by_title.get(title.title_id)
        if pin is not None and pin.crew_id is not None:
            return f"指定剧组{self.scenario.crew_by_id[pin.crew_id].name}"
        return f"可拍{title.genre}剧的剧组"

    def _base_text(self, title: Title) -> str:
        pin = self.scenario.pin_by_title.get(title.title_id)
        if pin is not None and pin.base_id is not None:
            return f"指定基地{self.scenario.base_by_id[pin.base_id].name}的"
        return ""

    def _actor_names(self, actor_ids: Iterable[str]) -> str:
        return "、".join(self.scenario.actor_by_id[a].name for a in actor_ids)

    def explain_static(
        self, title: Title, starts: int, bases: list[str], crews: list[Crew]
    ) -> str:
        """Why a title cannot go anywhere, whatever else is booked."""
        s = self.scenario
        length = title.shoot_days
        first, last = s.title_window(title)
        pin = s.pin_by_title.get(title.title_id)
        if first > last:
            return (
                f"可拍期 {title.earliest_start:%m-%d} 至 {title.due_date:%m-%d} "
                f"不在排期范围 {self._md(0)} 至 {self._md(s.days - 1)} 内"
            )
        if not starts:
            if pin is not None and pin.start_date is not None:
                return (
                    f"指定开机日 {pin.start_date:%m-%d} 拍 {length} 天，"
                    f"超出可拍期 {self._md(first)} 至 {self._md(last)}"
                )
            return (
                f"可拍期 {self._md(first)} 至 {self._md(last)} 只有 {last - first + 1} 天，"
                f"不够拍 {length} 天"
            )
        if not bases:
            if pin is not None and pin.base_id is not None:
                return f"{self._base_text(title)}场景不全：需要{self._set_text(title)}"
            return f"没有一个基地同时有{self._set_text(title)}"
        if pin is not None and pin.crew_id is not None:
            crew = s.crew_by_id[pin.crew_id]
            if not crew.can_shoot(title.genre):
                return f"指定剧组{crew.name}不拍{title.genre}剧"
            return f"指定剧组{crew.name}最多连拍 {crew.max_days_in_row} 天，本剧要连拍 {length} 天"
        if any(c.can_shoot(title.genre) for c in s.crews):
            return f"可拍{title.genre}剧的剧组最多连拍不到 {length} 天"
        return f"没有可拍{title.genre}剧的剧组"

    def explain_busy(
        self,
        title: Title,
        starts: int,
        cast_starts: int,
        crew_starts: int,
        base_starts: int,
        failures: set[str],
    ) -> str:
        """Why every start day of the window is blocked by what is already booked.

        Names the single resource that is never free if there is one, else the
        pair (or all three) that are never free together, else the rule about
        neighbouring titles (travel, rest days) that blocked the remaining days.
        """
        board = self.board
        length = title.shoot_days
        window = self._window_text(title)
        run = f"连续 {length} 天" if length > 1 else ""
        if not cast_starts:
            alone = [
                a for a in title.actors if not _run_starts(board.actor_free(a), length) & starts
            ]
            if alone:
                return f"演员{self._actor_names(alone)}在 {window}没有{run}空档"
            return f"演员{self._actor_names(title.actors)}在 {window}没有共同的{run}空档"
        sets = f"{self._base_text(title)}{run}空闲的{self._set_text(title)}"
        crew = f"{run}空闲的{self._crew_text(title)}"
        if not base_starts:
            return f"{window}没有{sets}"
        if not crew_starts:
            return f"{window}没有{crew}"
        cast = f"演员{self._actor_names(title.actors)}" if title.actors else ""
        if not base_starts & crew_starts:
            return f"{window}没有同时空闲的{self._set_text(title)}和{self._crew_text(title)}"
        if not base_starts & crew_starts & cast_starts:
            return (
                f"{window}没有{self._set_text(title)}、{self._crew_text(title)}"
                f"和{cast}同时空闲的日子"
            )
        blocked = []
        if "crew_travel" in failures:
            blocked.append("空闲剧组在外地拍摄，转场间隔天数不够")
        far = [a for a in title.actors if f"actor_travel:{a}" in failures]
        if far:
            blocked.append(f"演员{self._actor_names(far)}在外地拍摄，转场间隔天数不够")
        if "crew_rest" in failures:
            blocked.append("空闲剧组已到连拍天数上限、需要休息")
        if "sets" in failures:
            blocked.append("同一基地凑不齐所需场景")
        if not blocked:  # pragma: no cover - the masks and the checks agree
            blocked.append("没有同时空闲的场景、剧组和演员")
        return f"{window}剧组、场景和演员都有空的日子里，" + "；".join(blocked)


def greedy_plan(scenario: Scenario, groups: Sequence[Group] | None = None) -> Plan:
    """Plan every title greedily at its earliest feasible start; never move a placed title.

    Keeps every rule of the spec (rule 11 too: crews and actors stay in their city
    group); titles that fit nowhere are returned in ``Plan.unscheduled`` with a
    reason in Chinese. With ``groups``, each crew shoots only at its group's bases
    (pinned titles excepted): the start the solver splits a big cluster from (see
    :mod:`solver.slate.slices`).
    """
    greedy = _Greedy(scenario, groups)
    shoots: list[Shoot] = []
    unscheduled: dict[str, str] = {}
    for title in greedy.planning_order():
        placement = greedy.place(title)
        if isinstance(placement, str):
            unscheduled[title.title_id] = placement
            continue
        order = order_for_set_types(scenario, title, [s.set_type for s in placement.day_sets])
        greedy.board.book(
            placement.crew, placement.base_id, placement.day_sets, placement.first, order.booked
        )
        for offset, film_set in enumerate(placement.day_sets):
            shoots.append(
                Shoot(
                    title_id=title.title_id,
                    date=scenario.date_of(placement.first + offset),
                    base_id=placement.base_id,
                    set_id=film_set.set_id,
                    crew_id=placement.crew.crew_id,
                    scenes=order.scenes[offset] if order.scenes else (),
                )
            )
    ordered = {
        t.title_id: unscheduled[t.title_id] for t in scenario.titles if t.title_id in unscheduled
    }
    return Plan(shoots=tuple(sorted(shoots)), unscheduled=ordered)
