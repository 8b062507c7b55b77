"""The plan: which title shoots where, with whom and when.

A :class:`Plan` is what every solver returns and what the checker, the KPIs,
storage and the app read. It holds one :class:`Shoot` per title per shoot day
and, for every title left out, a reason a producer understands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, order=True)
class Shoot:
    """One title shooting on one day: one crew on one set of one base (a row of plan.csv).

    ``scenes`` lists the scene ids shot that day, in shooting order, for a title
    with a scene breakdown; it is empty for a title without scenes.
    """

    title_id: str
    date: date
    base_id: str
    set_id: str
    crew_id: str
    scenes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """Shoots of the scheduled titles and the reason each other title is not scheduled."""

    shoots: tuple[Shoot, ...] = ()
    unscheduled: Mapping[str, str] = field(default_factory=dict)

    @property
    def scheduled_title_ids(self) -> frozenset[str]:
        return frozenset(shoot.title_id for shoot in self.shoots)

    def shoots_of(self, title_id: str) -> tuple[Shoot, ...]:
        """The title's shoots in date order."""
        return tuple(sorted(s for s in self.shoots if s.title_id == title_id))
