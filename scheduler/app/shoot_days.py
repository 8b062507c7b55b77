"""A title's shoot days as the plan has them: the scenes shot, who works and who is booked.

The call sheets (:mod:`scheduler.app.call_sheets`) and the Day-out-of-Days report
(:mod:`scheduler.app.dood`) read the plan through this module only, so both follow rule 10
the same way: a day's scenes are the plan's ``Shoot.scenes`` in shooting order, the actors
working that day are those scenes' cast, and an actor is booked from the first to the last of
the title's days with one of their scenes (:func:`scheduler.domain.scenes.booked_cast`, as
:meth:`Scenario.booked_by_day` books them). A title without scenes works its whole cast on
every shoot day. Streamlit-free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from scheduler.domain.model import Scenario, Title
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.scenes import Scene, booked_cast


@dataclass(frozen=True)
class ShootDay:
    """One shoot of a title: its day number in the title's shoot, the scenes and the cast.

    ``working`` are the actors with a scene that day (a title without scenes: its
    whole cast); ``booked`` adds those held between their first and last scene day.
    """

    shoot: Shoot
    number: int
    """1 for the title's first shoot day."""
    of: int
    """The title's shoot days in the plan."""
    scenes: tuple[Scene, ...]
    working: frozenset[str]
    booked: frozenset[str]

    @property
    def held(self) -> frozenset[str]:
        """Actors booked without a scene that day (hold days, rule 10)."""
        return self.booked - self.working


def shoot_scenes(title: Title, shoot: Shoot) -> tuple[Scene, ...]:
    """The scenes ``shoot`` shoots, in its order.

    Raises
    ------
    ValueError
        When the shoot names a scene the title does not have.
    """
    by_id = {scene.scene_id: scene for scene in title.scenes}
    unknown = [scene_id for scene_id in shoot.scenes if scene_id not in by_id]
    if unknown:
        raise ValueError(
            f"plan: {shoot.title_id} on {shoot.date.isoformat()} names scene(s) "
            f"{', '.join(unknown)}, which {title.title_id} does not have / "
            f"排期中 {shoot.title_id} {shoot.date.isoformat()} 的场次 {'、'.join(unknown)} "
            "不在该剧目的场次表里"
        )
    return tuple(by_id[scene_id] for scene_id in shoot.scenes)


def title_shoot_days(title: Title, shoots: list[Shoot]) -> list[ShootDay]:
    """``shoots`` of ``title`` (any order) as shoot days in date order."""
    ordered = sorted(shoots, key=lambda s: (s.date, s.set_id))
    scenes = [shoot_scenes(title, shoot) for shoot in ordered]
    if title.has_scenes:
        working = [frozenset(a for scene in day for a in scene.cast) for day in scenes]
        booked = list(booked_cast(working))
    else:
        working = booked = [frozenset(title.cast)] * len(ordered)
    return [
        ShootDay(shoot, number, len(ordered), day_scenes, works, books)
        for number, (shoot, day_scenes, works, books) in enumerate(
            zip(ordered, scenes, working, booked, strict=True), 1
        )
    ]


def shoot_days_by_title(scenario: Scenario, plan: Plan) -> Mapping[str, list[ShootDay]]:
    """Every planned title's shoot days (titles the scenario lacks are left out)."""
    by_title: dict[str, list[Shoot]] = defaultdict(list)
    for shoot in plan.shoots:
        by_title[shoot.title_id].append(shoot)
    return {
        title_id: title_shoot_days(scenario.title_by_id[title_id], shoots)
        for title_id, shoots in by_title.items()
        if title_id in scenario.title_by_id
    }
