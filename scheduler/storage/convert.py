"""Scenario and plan dataclasses to table rows and back: the storage boundary.

Rows go in as plain dicts (one per table row, for bulk inserts) and come out
as SQLModel objects; nothing outside :mod:`scheduler.storage` sees either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, cast

from sqlmodel import SQLModel

from scheduler.domain.changes import CHANGE_COLUMNS, Change
from scheduler.domain.model import (
    Actor,
    Base,
    Crew,
    FilmSet,
    Need,
    Pin,
    Scenario,
    Targets,
    Title,
    Travel,
    Unavailability,
    UnavailableKind,
)
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.scenes import Scene
from scheduler.storage.rows import (
    ActorRow,
    BaseRow,
    CrewRow,
    FilmSetRow,
    PinRow,
    PlanShootRow,
    PlanUnscheduledRow,
    PublishedShootRow,
    ScenarioRow,
    SceneRow,
    TitleNeedRow,
    TitleRow,
    TravelRow,
    UnavailabilityRow,
)

Record = dict[str, Any]
RowT = TypeVar("RowT", bound=SQLModel)

# -- JSON for settings and KPIs ----------------------------------------------

# scenario.toml may hold dates and times, which JSON has not; they are kept as
# one-key objects so that a stored scenario loads back equal.
_TAGS: tuple[tuple[str, type], ...] = (
    ("$datetime", dt.datetime),
    ("$date", dt.date),
    ("$time", dt.time),
)


_ESCAPE = "$dict"
"""Wraps a table of the user's whose one key is a tag (``[meta] "$date" = "zzz"``), so that
it loads back as the table it was, not as a date."""
_TAG_KEYS = frozenset({tag for tag, _kind in _TAGS} | {_ESCAPE})


def to_json(value: object) -> Any:
    """``value`` with dates, times, tuples and mappings made JSON-ready."""
    for tag, kind in _TAGS:
        if isinstance(value, kind):
            return {tag: cast(dt.date | dt.time, value).isoformat()}
    if isinstance(value, Mapping):
        mapping = {str(key): to_json(item) for key, item in value.items()}
        if len(mapping) == 1 and next(iter(mapping)) in _TAG_KEYS:
            return {_ESCAPE: mapping}
        return mapping
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value


_PARSERS: dict[str, Any] = {
    "$datetime": dt.datetime.fromisoformat,
    "$date": dt.date.fromisoformat,
    "$time": dt.time.fromisoformat,
}


def from_json(value: Any) -> Any:
    """Undo :func:`to_json`.

    A tag whose text does not parse (``{"$date": "zzz"}``, stored by a ShootPlan
    that did not yet escape the user's own tables) is kept as the table it is,
    so one odd setting never makes the scenario impossible to load.
    """
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, item),) = value.items()
            if key == _ESCAPE and isinstance(item, dict):
                return {inner: from_json(part) for inner, part in item.items()}
            parse = _PARSERS.get(key)
            if parse is not None and isinstance(item, str):
                try:
                    return parse(item)
                except ValueError:
                    return {key: item}
        return {key: from_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [from_json(item) for item in value]
    return value


# -- Scenario -> rows ---------------------------------------------------------


def scenario_settings(scenario: Scenario) -> Record:
    """The scenario row's settings columns (everything but id, version and times)."""
    return {
        "name": scenario.name,
        "start_date": scenario.start_date,
        "days": scenario.days,
        "parallel_shoots_per_day": scenario.targets.parallel_shoots_per_day,
        "titles_per_month": scenario.targets.titles_per_month,
        "day_minutes": scenario.day_minutes,
        "pooling": [list(group) for group in scenario.pooling],
        "settings_extra": to_json(scenario.settings_extra),
    }


def content_records(scenario_id: int, scenario: Scenario) -> dict[type[SQLModel], list[Record]]:
    """Every content row of ``scenario``, by table, parents first, ``position`` in file order."""
    s = scenario
    needs = [(title, need) for title in s.titles for need in title.needs]
    scenes = [scene for title in s.titles for scene in title.scenes]
    return {
        BaseRow: [
            {
                "base_id": b.base_id,
                "name": b.name,
                "city": b.city,
                "max_crews": b.max_crews,
                "extra": dict(b.extra),
            }
            for b in s.bases
        ],
        FilmSetRow: [
            {
                "set_id": x.set_id,
                "base_id": x.base_id,
                "set_type": x.set_type,
                "day_rate": x.day_rate,
                "extra": dict(x.extra),
            }
            for x in s.sets
        ],
        CrewRow: [
            {
                "crew_id": c.crew_id,
                "name": c.name,
                "home_base_id": c.home_base_id,
                "day_rate": c.day_rate,
                "genres": list(c.genres),
                "max_days_in_row": c.max_days_in_row,
                "extra": dict(c.extra),
            }
            for c in s.crews
        ],
        ActorRow: [
            {
                "actor_id": a.actor_id,
                "name": a.name,
                "day_rate": a.day_rate,
                "home_city": a.home_city,
                "extra": dict(a.extra),
            }
            for a in s.actors
        ],
        TitleRow: [
            {
                "title_id": t.title_id,
                "name": t.name,
                "genre": t.genre,
                "priority": t.priority,
                "earliest_start": t.earliest_start,
                "due_date": t.due_date,
                "cast": list(t.cast),
                "extra": dict(t.extra),
            }
            for t in s.titles
        ],
        TitleNeedRow: [
            {
                "title_id": t.title_id,
                "set_type": n.set_type,
                "days": n.days,
                "extra": dict(n.extra),
            }
            for t, n in needs
        ],
        SceneRow: [
            {
                "title_id": c.title_id,
                "scene_id": c.scene_id,
                "set_type": c.set_type,
                "minutes": c.minutes,
                "cast": list(c.cast),
                "day_night": c.day_night,
                "int_ext": c.int_ext,
                "description": c.description,
                "extra": dict(c.extra),
            }
            for c in scenes
        ],
        UnavailabilityRow: [
            {
                "kind": u.kind,
                "resource_id": u.resource_id,
                "from_date": u.from_date,
                "to_date": u.to_date,
                "note": u.note,
                "extra": dict(u.extra),
            }
            for u in s.unavailable
        ],
        TravelRow: [
            {
                "from_city": t.from_city,
                "to_city": t.to_city,
                "days": t.days,
                "extra": dict(t.extra),
            }
            for t in s.travel
        ],
        PinRow: [
            {
                "title_id": p.title_id,
                "start_date": p.start_date,
                "base_id": p.base_id,
                "crew_id": p.crew_id,
                "scene_order": list(p.scene_order),
                "extra": dict(p.extra),
            }
            for p in s.pins
        ],
    }


def with_keys(scenario_id: int, records: Sequence[Record]) -> list[Record]:
    """``records`` with the scenario id and their ``position`` (0-based, file order)."""
    return [
        {"scenario_id": scenario_id, "position": position, **record}
        for position, record in enumerate(records)
    ]


# -- rows -> Scenario ---------------------------------------------------------


def scenario_from_rows(
    row: ScenarioRow,
    content: Mapping[type[SQLModel], Sequence[SQLModel]],
) -> Scenario:
    """Rebuild the scenario from its row and its content rows (each in position order)."""

    def rows_of(kind: type[RowT]) -> list[RowT]:
        return cast(list[RowT], list(content.get(kind, ())))

    needs_by_title: dict[str, list[Need]] = {}
    for need in rows_of(TitleNeedRow):
        needs_by_title.setdefault(need.title_id, []).append(
            Need(set_type=need.set_type, days=need.days, extra=dict(need.extra))
        )
    scenes_by_title: dict[str, list[Scene]] = {}
    for scene in rows_of(SceneRow):
        scenes_by_title.setdefault(scene.title_id, []).append(
            Scene(
                title_id=scene.title_id,
                scene_id=scene.scene_id,
                set_type=scene.set_type,
                minutes=scene.minutes,
                cast=tuple(scene.cast),
                day_night=scene.day_night,
                int_ext=scene.int_ext,
                description=scene.description,
                extra=dict(scene.extra),
            )
        )
    return Scenario(
        name=row.name,
        start_date=row.start_date,
        days=row.days,
        targets=Targets(
            parallel_shoots_per_day=row.parallel_shoots_per_day,
            titles_per_month=row.titles_per_month,
        ),
        settings_extra=from_json(row.settings_extra),
        day_minutes=row.day_minutes,
        pooling=tuple(tuple(group) for group in row.pooling),
        bases=tuple(
            Base(
                base_id=b.base_id,
                name=b.name,
                city=b.city,
                max_crews=b.max_crews,
                extra=dict(b.extra),
            )
            for b in rows_of(BaseRow)
        ),
        sets=tuple(
            FilmSet(
                set_id=x.set_id,
                base_id=x.base_id,
                set_type=x.set_type,
                day_rate=x.day_rate,
                extra=dict(x.extra),
            )
            for x in rows_of(FilmSetRow)
        ),
        crews=tuple(
            Crew(
                crew_id=c.crew_id,
                name=c.name,
                home_base_id=c.home_base_id,
                day_rate=c.day_rate,
                genres=tuple(c.genres),
                max_days_in_row=c.max_days_in_row,
                extra=dict(c.extra),
            )
            for c in rows_of(CrewRow)
        ),
        actors=tuple(
            Actor(
                actor_id=a.actor_id,
                name=a.name,
                day_rate=a.day_rate,
                extra=dict(a.extra),
                home_city=a.home_city,
            )
            for a in rows_of(ActorRow)
        ),
        titles=tuple(
            Title(
                title_id=t.title_id,
                name=t.name,
                genre=t.genre,
                priority=t.priority,
                earliest_start=t.earliest_start,
                due_date=t.due_date,
                needs=tuple(needs_by_title.get(t.title_id, ())),
                cast=tuple(t.cast),
                extra=dict(t.extra),
                scenes=tuple(scenes_by_title.get(t.title_id, ())),
            )
            for t in rows_of(TitleRow)
        ),
        unavailable=tuple(
            Unavailability(
                kind=cast(UnavailableKind, u.kind),
                resource_id=u.resource_id,
                from_date=u.from_date,
                to_date=u.to_date,
                note=u.note,
                extra=dict(u.extra),
            )
            for u in rows_of(UnavailabilityRow)
        ),
        travel=tuple(
            Travel(from_city=t.from_city, to_city=t.to_city, days=t.days, extra=dict(t.extra))
            for t in rows_of(TravelRow)
        ),
        pins=tuple(
            Pin(
                title_id=p.title_id,
                start_date=p.start_date,
                base_id=p.base_id,
                crew_id=p.crew_id,
                scene_order=tuple(p.scene_order),
                extra=dict(p.extra),
            )
            for p in rows_of(PinRow)
        ),
    )


# -- plans --------------------------------------------------------------------


def plan_records(plan_id: int, plan: Plan) -> tuple[list[Record], list[Record]]:
    """Shoot rows and unscheduled rows of ``plan``, in the plan's order."""
    shoots = [
        {
            "plan_id": plan_id,
            "position": position,
            "title_id": s.title_id,
            "date": s.date,
            "base_id": s.base_id,
            "set_id": s.set_id,
            "crew_id": s.crew_id,
            "scenes": list(s.scenes),
        }
        for position, s in enumerate(plan.shoots)
    ]
    unscheduled = [
        {"plan_id": plan_id, "position": position, "title_id": title_id, "reason": reason}
        for position, (title_id, reason) in enumerate(plan.unscheduled.items())
    ]
    return shoots, unscheduled


def plan_from_rows(
    shoots: Sequence[PlanShootRow | PublishedShootRow],
    unscheduled: Sequence[PlanUnscheduledRow] = (),
) -> Plan:
    """Rebuild a plan from its rows (each in position order)."""
    return Plan(
        shoots=tuple(
            Shoot(
                title_id=s.title_id,
                date=s.date,
                base_id=s.base_id,
                set_id=s.set_id,
                crew_id=s.crew_id,
                scenes=tuple(s.scenes),
            )
            for s in shoots
        ),
        unscheduled={u.title_id: u.reason for u in unscheduled},
    )


# -- change lists ---------------------------------------------------------------


def change_records(changes: Sequence[Change] | None) -> list[dict[str, str]] | None:
    """A change list as the plan row's JSON: one object per change, keyed by column."""
    if changes is None:
        return None
    return [{column: getattr(c, column) for column in CHANGE_COLUMNS} for c in changes]


def changes_from_records(records: Sequence[Mapping[str, str]] | None) -> list[Change] | None:
    """Undo :func:`change_records`."""
    if records is None:
        return None
    return [
        Change(**{column: str(record.get(column, "")) for column in CHANGE_COLUMNS})
        for record in records
    ]
