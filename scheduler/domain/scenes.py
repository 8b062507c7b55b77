"""The script breakdown (场次表): a title's scenes, packed into shoot days.

A title with scenes gets its set-type days from them: the scenes of one set
type are packed into days of at most the scenario's working minutes
(:data:`DEFAULT_DAY_MINUTES` unless scenario.toml says ``day_minutes``), the
longest scene first into the first day with room (first-fit decreasing). Each
day is shot at one set, so it holds scenes of one set type only.

Booking follows the scenes: an actor of such a title is booked from the first
to the last of its shoot days that has one of the actor's scenes, hold days in
between included (:func:`booked_cast`), not on every day of the title.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

DEFAULT_DAY_MINUTES = 720
"""A shoot day's working minutes when scenario.toml does not say (12 hours)."""

DAY_NIGHT = ("日", "夜")
"""How a scene is lit: 日 day, 夜 night."""

INT_EXT = ("内", "外")
"""Where a scene is shot: 内 interior, 外 exterior."""


@dataclass(frozen=True)
class Scene:
    """One scene (场) of a title: shot at one set type, with its cast, in ``minutes``."""

    title_id: str
    scene_id: str
    set_type: str
    minutes: int
    cast: tuple[str, ...] = ()
    day_night: str = "日"
    int_ext: str = "内"
    description: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SceneDay:
    """A shoot day's scenes as packed: all of one set type, within the working minutes."""

    set_type: str
    scenes: tuple[Scene, ...]

    @property
    def minutes(self) -> int:
        return sum(scene.minutes for scene in self.scenes)

    @property
    def cast(self) -> frozenset[str]:
        """Every actor in one of the day's scenes."""
        return frozenset(actor for scene in self.scenes for actor in scene.cast)

    @property
    def scene_ids(self) -> tuple[str, ...]:
        return tuple(scene.scene_id for scene in self.scenes)


def pack_scene_days(scenes: Sequence[Scene], day_minutes: int) -> tuple[SceneDay, ...]:
    """Scenes in shoot days: per set type (first seen first), longest first into the first
    day with room; a scene longer than a day gets a day of its own (validation refuses it)."""
    by_type: dict[str, list[Scene]] = {}
    for scene in scenes:
        by_type.setdefault(scene.set_type, []).append(scene)
    days: list[SceneDay] = []
    for set_type, typed in by_type.items():
        bins: list[list[tuple[int, Scene]]] = []  # (place in file, scene)
        room: list[int] = []
        # stable: file order breaks ties; places, not list.index, keep this linear per bin
        for place, scene in sorted(enumerate(typed), key=lambda pair: -pair[1].minutes):
            for index, left in enumerate(room):
                if scene.minutes <= left:
                    bins[index].append((place, scene))
                    room[index] -= scene.minutes
                    break
            else:
                bins.append([(place, scene)])
                room.append(day_minutes - scene.minutes)
        for packed in bins:
            in_file_order = tuple(scene for _, scene in sorted(packed, key=lambda pair: pair[0]))
            days.append(SceneDay(set_type, in_file_order))
    return tuple(days)


def days_by_set_type(days: Iterable[SceneDay]) -> dict[str, int]:
    """Shoot days per set type of packed scene days."""
    counts: dict[str, int] = {}
    for day in days:
        counts[day.set_type] = counts.get(day.set_type, 0) + 1
    return counts


def booked_cast(day_casts: Sequence[frozenset[str]]) -> tuple[frozenset[str], ...]:
    """Actors booked on each shoot day: from an actor's first day with a scene to the last,
    the days between (hold days) included."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for index, cast in enumerate(day_casts):
        for actor in cast:
            first.setdefault(actor, index)
            last[actor] = index
    return tuple(
        frozenset(a for a in first if first[a] <= index <= last[a])
        for index in range(len(day_casts))
    )


def days_in_order(
    days: Sequence[SceneDay], scene_order: Sequence[str]
) -> tuple[SceneDay, ...] | None:
    """The packed ``days`` as ``scene_order`` shoots them: the days in the order their scenes
    come, each day's scenes in that order. ``None`` when ``scene_order`` is not the days' scenes,
    each once, with each day's scenes next to each other (a pinned scene order, rule 8)."""
    day_of: dict[str, int] = {}
    for index, day in enumerate(days):
        for scene in day.scenes:
            day_of[scene.scene_id] = index
    if len(scene_order) != len(day_of) or set(scene_order) != set(day_of):
        return None
    ordered: list[SceneDay] = []
    seen: set[int] = set()
    for place, scene_id in enumerate(scene_order):
        index = day_of[scene_id]
        if place and day_of[scene_order[place - 1]] == index:
            continue
        if index in seen:  # the day came before and was left: its scenes are split
            return None
        seen.add(index)
        size = len(days[index].scenes)
        run = scene_order[place : place + size]
        by_id = {scene.scene_id: scene for scene in days[index].scenes}
        if set(run) != set(by_id):
            return None
        ordered.append(SceneDay(days[index].set_type, tuple(by_id[s] for s in run)))
    return tuple(ordered)
