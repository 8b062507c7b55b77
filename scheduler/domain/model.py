"""Problem data: the validated, immutable scenario that every other part reads.

A :class:`Scenario` is built only by :func:`scheduler.io.validation.build_scenario`
(from files, a workbook, the database or the app's editors) or by the sample
generator, so code that receives one may trust it: ids are unique, every
reference resolves, dates are ordered. Look-ups that the solver and the checker
need (sets by base and type, closed days per resource, travel days between
cities, day indices) are computed once and cached on the instance.

Days are counted from the first day of the horizon: day 0 is ``start_date``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Literal

from scheduler.domain.scenes import (
    DEFAULT_DAY_MINUTES,
    Scene,
    SceneDay,
    booked_cast,
    pack_scene_days,
)

UnavailableKind = Literal["set", "crew", "actor", "base"]
UNAVAILABLE_KINDS: tuple[UnavailableKind, ...] = ("set", "crew", "actor", "base")

Extra = Mapping[str, str]
"""Unknown extra columns of a row, kept so that writing back loses nothing."""


@dataclass(frozen=True)
class Targets:
    """What the company aims for: shoots running in parallel and titles a month."""

    parallel_shoots_per_day: int = 20
    titles_per_month: int = 400


@dataclass(frozen=True)
class Base:
    """A shooting base (基地): a site with sets, in a city.

    ``max_crews`` caps how many titles may shoot at the base on one day;
    ``None`` means no cap.
    """

    base_id: str
    name: str
    city: str
    max_crews: int | None = None
    extra: Extra = field(default_factory=dict)


@dataclass(frozen=True)
class FilmSet:
    """One bookable set (场景/棚) at a base, of one set type, rented by the day."""

    set_id: str
    base_id: str
    set_type: str
    day_rate: int
    extra: Extra = field(default_factory=dict)


@dataclass(frozen=True)
class Crew:
    """A director-led crew (剧组) that shoots one title at a time.

    ``genres`` empty means the crew shoots any genre. ``max_days_in_row`` is the
    most consecutive shooting days before a rest day; ``None`` means no limit.
    """

    crew_id: str
    name: str
    home_base_id: str
    day_rate: int
    genres: tuple[str, ...] = ()
    max_days_in_row: int | None = None
    extra: Extra = field(default_factory=dict)

    def can_shoot(self, genre: str) -> bool:
        """Whether the crew's genres include ``genre`` (or the crew shoots any)."""
        return not self.genres or genre in self.genres


@dataclass(frozen=True)
class Actor:
    """A lead actor (演员), shared between titles, in at most one shoot a day.

    ``home_city`` is the city the actor works from when cities plan apart
    (``Scenario.pooling``); blank means the actor may work in any city (a star flown in).
    """

    actor_id: str
    name: str
    day_rate: int
    extra: Extra = field(default_factory=dict)
    home_city: str = ""


@dataclass(frozen=True)
class Need:
    """Set-days of one set type that a title needs (one row of title_needs.csv)."""

    set_type: str
    days: int
    extra: Extra = field(default_factory=dict)


@dataclass(frozen=True)
class Title:
    """A micro-drama (剧目) to shoot.

    It may shoot on ``earliest_start`` … ``due_date`` inclusive; it needs
    ``needs`` set-days by set type (in any order) and one crew for all of them.
    Without ``scenes`` its whole ``cast`` is booked on every shoot day; with a
    scene breakdown its needs come from the scenes packed into days and each
    actor is booked only from their first to their last day with a scene
    (:meth:`Scenario.booked_by_day`).
    """

    title_id: str
    name: str
    genre: str
    priority: int
    earliest_start: date
    due_date: date
    needs: tuple[Need, ...]
    cast: tuple[str, ...] = ()
    extra: Extra = field(default_factory=dict)
    scenes: tuple[Scene, ...] = ()

    @property
    def has_scenes(self) -> bool:
        return bool(self.scenes)

    @cached_property
    def actors(self) -> tuple[str, ...]:
        """Every actor the title books on some day: its cast, then the rest of its scenes' cast."""
        seen = dict.fromkeys(self.cast)
        for scene in self.scenes:
            seen.update(dict.fromkeys(scene.cast))
        return tuple(seen)

    @property
    def shoot_days(self) -> int:
        """Length of the shoot: the sum of the needed set-days."""
        return sum(need.days for need in self.needs)

    def days_by_set_type(self) -> dict[str, int]:
        """Needed set-days per set type."""
        result: dict[str, int] = {}
        for need in self.needs:
            result[need.set_type] = result.get(need.set_type, 0) + need.days
        return result


@dataclass(frozen=True)
class Unavailability:
    """A set, crew, actor or base that cannot be booked from ``from_date`` to ``to_date``."""

    kind: UnavailableKind
    resource_id: str
    from_date: date
    to_date: date
    note: str = ""
    extra: Extra = field(default_factory=dict)


@dataclass(frozen=True)
class Travel:
    """Free days a crew or actor needs between shooting in one city and the next."""

    from_city: str
    to_city: str
    days: int
    extra: Extra = field(default_factory=dict)


@dataclass(frozen=True)
class Pin:
    """Decisions fixed for a title (a published week, a re-plan); ``None`` is free.

    ``scene_order`` (empty: free) is a title's scene ids in shooting order: it fixes the order
    of its packed scene days and of the scenes inside each day (each day's scenes together).
    """

    title_id: str
    start_date: date | None = None
    base_id: str | None = None
    crew_id: str | None = None
    scene_order: tuple[str, ...] = ()
    extra: Extra = field(default_factory=dict)

    @property
    def fixes_anything(self) -> bool:
        """Whether a field is filled: a row with only the title id fixes nothing (rule 8)."""
        fields = (self.start_date, self.base_id, self.crew_id)
        return any(v is not None for v in fields) or bool(self.scene_order)


@dataclass(frozen=True)
class Scenario:
    """Everything the planner knows about one planning question.

    The horizon is ``days`` days from ``start_date``. Unavailability, travel and
    pins may be empty. ``settings_extra`` keeps unknown keys of scenario.toml.
    """

    name: str
    start_date: date
    days: int
    bases: tuple[Base, ...]
    sets: tuple[FilmSet, ...]
    crews: tuple[Crew, ...]
    actors: tuple[Actor, ...]
    titles: tuple[Title, ...]
    unavailable: tuple[Unavailability, ...] = ()
    travel: tuple[Travel, ...] = ()
    pins: tuple[Pin, ...] = ()
    targets: Targets = field(default_factory=Targets)
    settings_extra: Mapping[str, object] = field(default_factory=dict)
    day_minutes: int = DEFAULT_DAY_MINUTES
    """Working minutes of a shoot day, into which a title's scenes are packed."""
    pooling: tuple[tuple[str, ...], ...] = ()
    """Groups of cities that share crews and actors (rule 11); ``()``: every city shares.

    A city listed in no group is a group of its own.
    """

    # -- calendar ---------------------------------------------------------

    @property
    def end_date(self) -> date:
        """Last day of the horizon (inclusive)."""
        return self.start_date + timedelta(days=self.days - 1)

    @cached_property
    def dates(self) -> tuple[date, ...]:
        """Every date of the horizon, day 0 first."""
        return tuple(self.start_date + timedelta(days=d) for d in range(self.days))

    def day_index(self, when: date) -> int:
        """Day number of ``when`` (may be negative or past the horizon)."""
        return (when - self.start_date).days

    def date_of(self, day: int) -> date:
        """Date of day number ``day``."""
        return self.start_date + timedelta(days=day)

    def title_window(self, title: Title) -> tuple[int, int]:
        """First and last day the title may shoot on, clipped to the horizon.

        The window is empty (first > last) when it misses the horizon.
        """
        first = max(0, self.day_index(title.earliest_start))
        last = min(self.days - 1, self.day_index(title.due_date))
        return first, last

    # -- look-ups by id ---------------------------------------------------

    @cached_property
    def base_by_id(self) -> dict[str, Base]:
        return {base.base_id: base for base in self.bases}

    @cached_property
    def set_by_id(self) -> dict[str, FilmSet]:
        return {film_set.set_id: film_set for film_set in self.sets}

    @cached_property
    def crew_by_id(self) -> dict[str, Crew]:
        return {crew.crew_id: crew for crew in self.crews}

    @cached_property
    def actor_by_id(self) -> dict[str, Actor]:
        return {actor.actor_id: actor for actor in self.actors}

    @cached_property
    def title_by_id(self) -> dict[str, Title]:
        return {title.title_id: title for title in self.titles}

    @cached_property
    def pin_by_title(self) -> dict[str, Pin]:
        """Pins that fix something, by title; a pins.csv row with no field filled is left out."""
        return {pin.title_id: pin for pin in self.pins if pin.fixes_anything}

    @cached_property
    def set_types(self) -> tuple[str, ...]:
        """Every set type that some base has, sorted."""
        return tuple(sorted({film_set.set_type for film_set in self.sets}))

    @cached_property
    def sets_by_base_and_type(self) -> dict[tuple[str, str], tuple[FilmSet, ...]]:
        """Sets of each (base_id, set_type), in file order."""
        grouped: dict[tuple[str, str], list[FilmSet]] = {}
        for film_set in self.sets:
            grouped.setdefault((film_set.base_id, film_set.set_type), []).append(film_set)
        return {key: tuple(value) for key, value in grouped.items()}

    def sets_at(self, base_id: str, set_type: str) -> tuple[FilmSet, ...]:
        """Sets of one type at one base (empty if the base has none)."""
        return self.sets_by_base_and_type.get((base_id, set_type), ())

    # -- scenes -----------------------------------------------------------

    @cached_property
    def scene_days_by_title(self) -> dict[str, tuple[SceneDay, ...]]:
        """Packed shoot days of every title with scenes (:func:`pack_scene_days`)."""
        return {
            t.title_id: pack_scene_days(t.scenes, self.day_minutes)
            for t in self.titles
            if t.scenes
        }

    def scene_days(self, title_id: str) -> tuple[SceneDay, ...]:
        """The title's scenes packed into shoot days (empty for a title without scenes)."""
        return self.scene_days_by_title.get(title_id, ())

    @cached_property
    def _cast_every_day(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        for title in self.titles:
            days = self.scene_days(title.title_id)
            if days:
                found[title.title_id] = tuple(
                    a for a in title.actors if all(a in day.cast for day in days)
                )
        return found

    def cast_every_day(self, title: Title) -> tuple[str, ...]:
        """Actors every plan books on every shoot day of ``title``: its whole cast without
        scenes; with scenes, those in a scene of every packed day (rule 10: a day shoots one
        packed day, so they are booked on all of them whatever the order)."""
        if not title.scenes:
            return title.cast
        return self._cast_every_day.get(title.title_id, ())

    def booked_by_day(self, title: Title, order: Sequence[int] = ()) -> tuple[frozenset[str], ...]:
        """Actors booked on each shoot day of ``title``.

        Without scenes: its whole cast every day. With scenes, its scene days
        shot in ``order`` (indices into :meth:`scene_days`; file order when
        empty): each actor from their first to their last day with a scene.
        """
        days = self.scene_days(title.title_id)
        if not days:
            return (frozenset(title.cast),) * title.shoot_days
        chosen = order or range(len(days))
        return booked_cast([days[i].cast for i in chosen])

    def city_of_base(self, base_id: str) -> str:
        return self.base_by_id[base_id].city

    # -- availability -----------------------------------------------------

    @cached_property
    def _closed_days(self) -> dict[tuple[str, str], frozenset[int]]:
        """Closed day numbers inside the horizon per (kind, id); a closed base closes its sets."""
        closed: dict[tuple[str, str], set[int]] = {}
        for outage in self.unavailable:
            first = max(0, self.day_index(outage.from_date))
            last = min(self.days - 1, self.day_index(outage.to_date))
            days = closed.setdefault((outage.kind, outage.resource_id), set())
            days.update(range(first, last + 1))
        for film_set in self.sets:
            base_days = closed.get(("base", film_set.base_id))
            if base_days:
                closed.setdefault(("set", film_set.set_id), set()).update(base_days)
        return {key: frozenset(days) for key, days in closed.items()}

    def unavailable_days(self, kind: UnavailableKind, resource_id: str) -> frozenset[int]:
        """Day numbers on which the resource cannot be booked.

        For a set this includes the days its base is closed.
        """
        return self._closed_days.get((kind, resource_id), frozenset())

    # -- travel -----------------------------------------------------------

    @cached_property
    def _travel_table(self) -> dict[tuple[str, str], int]:
        table: dict[tuple[str, str], int] = {}
        for row in self.travel:
            table[(row.from_city, row.to_city)] = row.days
        return table

    def travel_days(self, from_city: str, to_city: str) -> int:
        """Free days needed between shooting in ``from_city`` and then in ``to_city``.

        A listed pair is used as given; if only the reverse direction is
        listed, that is used (travel is symmetric unless both are listed).
        Unlisted: 0 within a city, 1 between cities.
        """
        table = self._travel_table
        if (from_city, to_city) in table:
            return table[(from_city, to_city)]
        if (to_city, from_city) in table:
            return table[(to_city, from_city)]
        return 0 if from_city == to_city else 1

    @cached_property
    def cities(self) -> tuple[str, ...]:
        """Cities that have a base, sorted."""
        return tuple(sorted({base.city for base in self.bases}))

    # -- pooling (rule 11) ------------------------------------------------

    @cached_property
    def city_groups(self) -> dict[str, int]:
        """Number of the pooling group of each city, ``{}`` when every city shares.

        Cities of one group share crews and actors; a city of a base listed in no
        group of ``pooling`` is a group of its own.
        """
        if not self.pooling:
            return {}
        found: dict[str, int] = {}
        for number, group in enumerate(self.pooling):
            for city in group:
                found.setdefault(city, number)
        for city in self.cities:
            found.setdefault(city, len(self.pooling) + len(found))
        return found

    def same_group(self, city: str, other: str) -> bool:
        """Whether two cities share crews and actors (always, when every city shares)."""
        if not self.pooling or city == other:
            return True
        groups = self.city_groups
        return city in groups and groups.get(city) == groups.get(other)

    @cached_property
    def crew_home_city(self) -> dict[str, str]:
        """City of each crew's home base (blank for a home base not in the scenario)."""
        bases = self.base_by_id
        return {
            crew.crew_id: bases[crew.home_base_id].city if crew.home_base_id in bases else ""
            for crew in self.crews
        }

    def summary(self) -> str:
        """One line saying how big the scenario is."""
        return (
            f"{self.name}: {self.days} days from {self.start_date.isoformat()}, "
            f"{len(self.bases)} bases, {len(self.sets)} sets, {len(self.crews)} crews, "
            f"{len(self.actors)} actors, {len(self.titles)} titles"
        )
