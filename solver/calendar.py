"""The calendar of a scenario: what is open, and who is free, on each day of the horizon.

The slate's candidate placements (:mod:`solver.slate.candidates`), the
day-indexed bound (:mod:`solver.capacity.bound`) and the week-bucketed
capacity model (:mod:`solver.capacity.model`) all read this one account of
closed days, so that they never disagree on when a set, a base, a crew or an
actor can work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import cached_property
from typing import Literal, Protocol

from scheduler.domain.model import Crew, Scenario, Title


class Bookings(Protocol):
    """What titles already placed take from the calendar (the fixed titles of a re-plan).

    :class:`solver.slate.residual.Residual` is one: the sets of each pool they
    book a day, the days their crews and actors shoot, and how many more
    titles a base may host a day.
    """

    @property
    def pool_taken(self) -> Mapping[tuple[str, str, int], int]:
        """Sets of ``(base, set type)`` booked on ``day``, by ``(base, set type, day)``."""
        ...

    def busy_days(self, kind: str, who: str) -> Iterable[int]:
        """Days the crew or actor ``who`` already shoots."""
        ...

    def cap_left(self, base_id: str, day: int) -> int | None:
        """Titles the base may still host on ``day`` (``None``: it has no cap)."""
        ...


def crew_work_days(crew: Crew, closed: frozenset[int], first: int, last: int) -> int:
    """Most days ``crew`` can shoot on ``first`` … ``last`` (closed days and rest days kept).

    A free run of ``m`` days holds at most ``m - m // (n + 1)`` shoot days
    when the crew rests after ``n`` days in a row.
    """
    total, run = 0, 0
    for day in range(first, last + 2):
        if day <= last and day not in closed:
            run += 1
            continue
        limit = crew.max_days_in_row
        total += run if limit is None else run - run // (limit + 1)
        run = 0
    return total


def _month_day(day: date) -> str:
    return f"{day.month:02d}-{day.day:02d}"


class Calendar:
    """What is open, and who is free, on each day of the horizon.

    The production office's wall calendar of one scenario: how many sets of
    each type are open at each base every day (a set is closed on its own
    days off and on its base's), the days each crew and actor cannot work,
    and from those the runs of free days, the days a crew can shoot with its
    rest days kept, and the titles a base can host. Days are numbered from
    the first day of the horizon (0).

    Given ``booked`` (titles already placed, kept as they are), what they
    book is not open: their sets, their crews' and actors' shoot days, and
    the days they fill a base up to its ``max_crews`` (``base_full``).
    """

    def __init__(self, scenario: Scenario, booked: Bookings | None = None) -> None:
        self.scenario = scenario
        horizon = range(scenario.days)
        # open_sets[(base, type)][day]: sets of that type open at the base that day
        self.open_sets: dict[tuple[str, str], list[int]] = {}
        for key, film_sets in scenario.sets_by_base_and_type.items():
            counts = [0] * scenario.days
            for film_set in film_sets:
                closed = scenario.unavailable_days("set", film_set.set_id)
                for day in horizon:
                    if day not in closed:
                        counts[day] += 1
            if booked is not None:
                for day in horizon:
                    counts[day] -= booked.pool_taken.get((key[0], key[1], day), 0)
            self.open_sets[key] = counts
        self.crew_closed: dict[str, frozenset[int]] = {
            c.crew_id: self._closed(booked, "crew", c.crew_id) for c in scenario.crews
        }
        self.actor_closed: dict[str, frozenset[int]] = {
            a.actor_id: self._closed(booked, "actor", a.actor_id) for a in scenario.actors
        }
        # base_full[base]: days on which booked titles fill the base's cap (rule 6)
        self.base_full: dict[str, frozenset[int]] = {}
        if booked is not None:
            for base in scenario.bases:
                caps = {d: booked.cap_left(base.base_id, d) for d in horizon}
                full = {d for d, left in caps.items() if left is not None and left <= 0}
                self.base_full[base.base_id] = frozenset(full)
        # crews with the same closed days and rest rule work the same days: cache by those
        self._crew_days: dict[tuple[frozenset[int], int | None, int, int], int] = {}

    def _closed(
        self, booked: Bookings | None, kind: Literal["crew", "actor"], who: str
    ) -> frozenset[int]:
        days = self.scenario.unavailable_days(kind, who)
        if booked is None:
            return days
        return days | frozenset(booked.busy_days(kind, who))

    # -- sets and bases --------------------------------------------------------------

    @cached_property
    def open_at_base(self) -> dict[str, list[int]]:
        """``open_at_base[base][day]``: sets of any type open at the base that day."""
        days = self.scenario.days
        found = {b.base_id: [0] * days for b in self.scenario.bases}
        for (base_id, _), counts in self.open_sets.items():
            for day, count in enumerate(counts):
                found[base_id][day] += count
        return found

    @cached_property
    def base_open(self) -> dict[str, list[bool]]:
        """``base_open[base][day]``: whether the base itself is open that day."""
        scenario = self.scenario
        return {
            b.base_id: [
                d not in scenario.unavailable_days("base", b.base_id) for d in range(scenario.days)
            ]
            for b in scenario.bases
        }

    @cached_property
    def types_at(self) -> dict[str, frozenset[str]]:
        """The set types each base has (open or not)."""
        found: dict[str, frozenset[str]] = {}
        for base_id, set_type in self.scenario.sets_by_base_and_type:
            found[base_id] = found.get(base_id, frozenset()) | {set_type}
        return found

    def bases_for(self, title: Title) -> list[str]:
        """Bases that could host ``title``, in the scenario's order.

        A base with every set type the title needs that takes crews at all
        (``max_crews`` ≠ 0), and only the pinned base of a title pinned to one.
        """
        pin = self.scenario.pin_by_title.get(title.title_id)
        needs = title.days_by_set_type()
        return [
            b.base_id
            for b in self.scenario.bases
            if b.max_crews != 0
            and (pin is None or pin.base_id is None or pin.base_id == b.base_id)
            and all((b.base_id, t) in self.open_sets for t in needs)
        ]

    def set_days(self, base_id: str, set_type: str, first: int, last: int) -> int:
        """Open set-days of one type at one base on days ``first`` … ``last``."""
        counts = self.open_sets.get((base_id, set_type))
        return 0 if counts is None else sum(counts[first : last + 1])

    def base_days(self, base_id: str, first: int, last: int) -> int:
        """Days the base is open on ``first`` … ``last`` (an added set works on those)."""
        return sum(self.base_open[base_id][first : last + 1])

    def base_title_days(self, base_id: str, first: int, last: int) -> int:
        """Most title-days the base can host on ``first`` … ``last`` (rule 6 and its open sets)."""
        cap = self.scenario.base_by_id[base_id].max_crews
        open_sets = self.open_at_base[base_id][first : last + 1]
        return sum(open_sets) if cap is None else sum(min(cap, n) for n in open_sets)

    # -- crews and actors ------------------------------------------------------------

    def free_run(self, closed: frozenset[int]) -> list[int]:
        """``run[d]``: consecutive free days from day ``d`` on, given the ``closed`` days."""
        run = [0] * (self.scenario.days + 1)
        for day in range(self.scenario.days - 1, -1, -1):
            run[day] = 0 if day in closed else run[day + 1] + 1
        return run

    @cached_property
    def crew_run(self) -> dict[str, list[int]]:
        """``crew_run[crew][d]``: consecutive days the crew is free from day ``d`` on."""
        return {crew_id: self.free_run(closed) for crew_id, closed in self.crew_closed.items()}

    @cached_property
    def actor_run(self) -> dict[str, list[int]]:
        """``actor_run[actor][d]``: consecutive days the actor is free from day ``d`` on."""
        return {actor_id: self.free_run(closed) for actor_id, closed in self.actor_closed.items()}

    def crew_days(self, crew: Crew, first: int, last: int) -> int:
        """Days ``crew`` can shoot on ``first`` … ``last``, rest days kept."""
        key = (self.crew_closed[crew.crew_id], crew.max_days_in_row, first, last)
        days = self._crew_days.get(key)
        if days is None:
            days = self._crew_days[key] = crew_work_days(crew, key[0], first, last)
        return days

    def actor_days(self, actor_id: str, first: int, last: int) -> int:
        """Days the actor is free on ``first`` … ``last``."""
        closed = self.actor_closed.get(actor_id, frozenset())
        return sum(1 for day in range(first, last + 1) if day not in closed)

    # -- words -----------------------------------------------------------------------

    def span(self, first: int, last: int) -> str:
        """Days ``first`` … ``last`` as a producer writes them: ``12-01–12-07``."""
        date_of = self.scenario.date_of
        return f"{_month_day(date_of(first))}–{_month_day(date_of(last))}"
