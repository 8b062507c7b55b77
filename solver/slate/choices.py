"""What the slate scheduler decides for a title: a placement, a crew option, a choice.

Plain values shared by the candidate enumeration, the residual of fixed titles
and the CP-SAT model, kept in a module of their own so that none of those
imports another in a circle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Placement:
    """A title shooting at one base from ``start`` with ``set_types[i]`` on day ``start + i``.

    ``booked[i]`` are the actors the title books on day ``start + i`` (rule 10: its
    whole cast every day without scenes; with scenes, each actor from their first
    to their last scene day) and ``scenes[i]`` the scene ids shot that day (empty
    for a title without scenes).
    """

    title_id: str
    base_id: str
    city: str
    start: int
    set_types: tuple[str, ...]
    booked: tuple[frozenset[str], ...] = ()
    scenes: tuple[tuple[str, ...], ...] = ()

    @property
    def length(self) -> int:
        """Number of shoot days."""
        return len(self.set_types)

    @property
    def last_day(self) -> int:
        """Day number of the last shoot day."""
        return self.start + len(self.set_types) - 1

    def days(self) -> range:
        """Day numbers of the shoot days."""
        return range(self.start, self.start + len(self.set_types))

    def set_type_by_day(self) -> Iterator[tuple[int, str]]:
        """``(day, set type)`` for every shoot day."""
        for offset, set_type in enumerate(self.set_types):
            yield self.start + offset, set_type

    def actor_days(self) -> Iterator[tuple[int, str]]:
        """``(day, actor)`` for every actor booked on every shoot day."""
        for offset, actors in enumerate(self.booked):
            for actor_id in actors:
                yield self.start + offset, actor_id

    def actor_spans(self) -> dict[str, tuple[int, int]]:
        """First and last day each booked actor is booked (their days are consecutive)."""
        spans: dict[str, tuple[int, int]] = {}
        for day, actor_id in self.actor_days():
            first = spans.get(actor_id, (day, day))[0]
            spans[actor_id] = (first, day)
        return spans

    def actor_day_count(self) -> int:
        """Actor-days booked (what the cast costs, by day rate)."""
        return sum(len(actors) for actors in self.booked)


@dataclass(frozen=True, slots=True)
class CrewOption:
    """A crew free to shoot a title from ``start`` for its whole length, in ``city``."""

    title_id: str
    crew_id: str
    start: int
    city: str


@dataclass(frozen=True, slots=True)
class Choice:
    """What the plan gives one scheduled title: a placement and a crew."""

    placement: Placement
    crew_id: str
