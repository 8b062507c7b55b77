"""Who a plan books on which day, read from the plan and the scenario alone (rule 10).

A title without scenes books its whole cast on every shoot day. A title with a
scene breakdown books each actor from the first to the last of its shoot days
that shoots one of the actor's scenes (as plan.csv's ``scenes`` column says),
hold days between included. The checker, the KPIs and the reports read actor
bookings from here and nowhere else, so they agree on what a plan costs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from scheduler.domain.model import Scenario, Title
from scheduler.domain.plan import Plan, Shoot


@dataclass(frozen=True)
class ActorBooking:
    """One actor in one title: the dates booked and, of those, the dates with a scene."""

    actor_id: str
    title_id: str
    dates: tuple[date, ...]
    working: tuple[date, ...]

    @property
    def held(self) -> tuple[date, ...]:
        """Booked dates without a scene of the actor (hold days, 待命)."""
        working = set(self.working)
        return tuple(d for d in self.dates if d not in working)


def title_bookings(title: Title, shoots: Iterable[Shoot]) -> list[ActorBooking]:
    """The actor bookings of one title's shoots (rule 10; unknown scene ids book nobody)."""
    ordered = sorted(shoots)
    dates = [shoot.date for shoot in ordered]
    if not title.scenes:
        return [ActorBooking(a, title.title_id, tuple(dates), tuple(dates)) for a in title.cast]
    cast_of = {scene.scene_id: scene.cast for scene in title.scenes}
    working: dict[str, list[date]] = {}
    for shoot in ordered:
        for scene_id in shoot.scenes:
            for actor_id in cast_of.get(scene_id, ()):
                days = working.setdefault(actor_id, [])
                if not days or days[-1] != shoot.date:
                    days.append(shoot.date)
    bookings = []
    for actor_id, days in working.items():
        booked = tuple(d for d in dates if days[0] <= d <= days[-1])
        bookings.append(ActorBooking(actor_id, title.title_id, booked, tuple(days)))
    return bookings


def actor_bookings(scenario: Scenario, plan: Plan) -> list[ActorBooking]:
    """Every actor booking of ``plan``, title by title (titles the scenario lacks are skipped)."""
    by_title: dict[str, list[Shoot]] = {}
    for shoot in plan.shoots:
        by_title.setdefault(shoot.title_id, []).append(shoot)
    bookings: list[ActorBooking] = []
    for title_id, shoots in by_title.items():
        title = scenario.title_by_id.get(title_id)
        if title is not None:
            bookings.extend(title_bookings(title, shoots))
    return bookings
