"""The database tables, one SQLModel class per entity of a scenario, and the stored plans.

Every content table is keyed by the scenario id plus the entity's own id
(``base_id``, ``set_id`` …), or by the row's ``position`` where a sheet has no
id (unavailability, travel). ``position`` is the row's place in its sheet, so
rows come back in file order; ``extra`` holds unknown extra columns.
References that validation already guarantees (a crew's home base, a pin's
base and crew, a title's or a scene's cast) are not foreign keys; containment is
(a set in its base, a need, a scene and a pin of their title), and every row goes
when its scenario goes.

These classes never leave :mod:`scheduler.storage`: the repository converts
them to and from :mod:`scheduler.domain.model` dataclasses. A change here needs a new
Alembic revision in ``scheduler/migrations/versions``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from scheduler.domain.scenes import DEFAULT_DAY_MINUTES

# Named constraints make future migrations possible on SQLite (batch mode
# must name what it drops) and keep the names equal on both databases.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = SQLModel.metadata


def _scenario_fk() -> Any:
    return Field(foreign_key="scenario.id", ondelete="CASCADE", primary_key=True)


def _extra() -> Any:
    return Field(default_factory=dict, sa_type=JSON, nullable=False)


def _id_list() -> Any:
    """A JSON list of ids; rows stored before the column existed hold the empty list."""
    return Field(
        default_factory=list,
        sa_type=JSON,
        nullable=False,
        sa_column_kwargs={"server_default": "[]"},
    )


class ScenarioRow(SQLModel, table=True):
    """One stored scenario: its settings (scenario.toml) and its version."""

    __tablename__ = "scenario"
    # AUTOINCREMENT on SQLite: a deleted scenario's id is never given to a new one,
    # so a stale id in an open app page cannot reach someone else's scenario.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String, unique=True, nullable=False)
    start_date: dt.date
    days: int
    parallel_shoots_per_day: int
    titles_per_month: int
    day_minutes: int = Field(
        default=DEFAULT_DAY_MINUTES,
        sa_column_kwargs={"server_default": str(DEFAULT_DAY_MINUTES)},
    )
    """Working minutes of a shoot day (scenario.toml's ``day_minutes``)."""
    pooling: list[list[str]] = _id_list()
    """Groups of cities that share crews and actors (scenario.toml's ``[pooling]``);
    the empty list: every city shares."""
    settings_extra: dict[str, Any] = _extra()
    version: int = 1
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    updated_at: dt.datetime = Field(sa_type=DateTime(timezone=True), nullable=False)


class BaseRow(SQLModel, table=True):
    """A shooting base (bases.csv)."""

    __tablename__ = "base"

    scenario_id: int = _scenario_fk()
    base_id: str = Field(sa_type=String, primary_key=True)
    position: int
    name: str = Field(sa_type=String)
    city: str = Field(sa_type=String)
    max_crews: int | None = None
    extra: dict[str, Any] = _extra()


class FilmSetRow(SQLModel, table=True):
    """A bookable set at a base (sets.csv)."""

    __tablename__ = "film_set"
    __table_args__ = (
        ForeignKeyConstraint(
            ["scenario_id", "base_id"], ["base.scenario_id", "base.base_id"], ondelete="CASCADE"
        ),
        # Without it PostgreSQL scans every set of the scenario for each base deleted.
        Index("ix_film_set_scenario_id_base_id", "scenario_id", "base_id"),
    )

    scenario_id: int = _scenario_fk()
    set_id: str = Field(sa_type=String, primary_key=True)
    position: int
    base_id: str = Field(sa_type=String)
    set_type: str = Field(sa_type=String)
    day_rate: int
    extra: dict[str, Any] = _extra()


class CrewRow(SQLModel, table=True):
    """A crew (crews.csv); ``genres`` is a JSON list, empty for any genre."""

    __tablename__ = "crew"

    scenario_id: int = _scenario_fk()
    crew_id: str = Field(sa_type=String, primary_key=True)
    position: int
    name: str = Field(sa_type=String)
    home_base_id: str = Field(sa_type=String)
    day_rate: int
    genres: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    max_days_in_row: int | None = None
    extra: dict[str, Any] = _extra()


class ActorRow(SQLModel, table=True):
    """A lead actor (actors.csv); ``home_city`` blank: the actor works in any city."""

    __tablename__ = "actor"

    scenario_id: int = _scenario_fk()
    actor_id: str = Field(sa_type=String, primary_key=True)
    position: int
    name: str = Field(sa_type=String)
    day_rate: int
    home_city: str = Field(default="", sa_type=String, sa_column_kwargs={"server_default": ""})
    """City the actor works from when cities plan apart; blank: any city."""
    extra: dict[str, Any] = _extra()


class TitleRow(SQLModel, table=True):
    """A title to shoot (titles.csv); ``cast`` is a JSON list of actor ids in file order."""

    __tablename__ = "title"

    scenario_id: int = _scenario_fk()
    title_id: str = Field(sa_type=String, primary_key=True)
    position: int
    name: str = Field(sa_type=String)
    genre: str = Field(sa_type=String)
    priority: int
    earliest_start: dt.date
    due_date: dt.date
    cast: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    extra: dict[str, Any] = _extra()


class TitleNeedRow(SQLModel, table=True):
    """Set-days of one set type that a title needs (title_needs.csv).

    Keyed by position because a sheet may list the same set type twice for a title.
    """

    __tablename__ = "title_need"
    __table_args__ = (
        ForeignKeyConstraint(
            ["scenario_id", "title_id"],
            ["title.scenario_id", "title.title_id"],
            ondelete="CASCADE",
        ),
        # Without it PostgreSQL scans every need of the scenario for each title
        # deleted: a save of a 4,000-title scenario took seconds.
        Index("ix_title_need_scenario_id_title_id", "scenario_id", "title_id"),
    )

    scenario_id: int = _scenario_fk()
    position: int = Field(primary_key=True)
    title_id: str = Field(sa_type=String)
    set_type: str = Field(sa_type=String)
    days: int
    extra: dict[str, Any] = _extra()


class SceneRow(SQLModel, table=True):
    """One scene of a title's script breakdown (scenes.csv); ``cast`` is a JSON list of actor
    ids in file order, leads and supporting.

    Keyed by position (the row's place in scenes.csv), like the needs: the order of a
    title's scenes is the order they were given in.
    """

    __tablename__ = "scene"
    __table_args__ = (
        ForeignKeyConstraint(
            ["scenario_id", "title_id"],
            ["title.scenario_id", "title.title_id"],
            ondelete="CASCADE",
        ),
        # as for the needs: deleting a title must not scan every scene of the scenario
        Index("ix_scene_scenario_id_title_id", "scenario_id", "title_id"),
    )

    scenario_id: int = _scenario_fk()
    position: int = Field(primary_key=True)
    title_id: str = Field(sa_type=String)
    scene_id: str = Field(sa_type=String)
    set_type: str = Field(sa_type=String)
    minutes: int
    cast: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    day_night: str = Field(sa_type=String)
    int_ext: str = Field(sa_type=String)
    description: str = Field(default="", sa_type=String)
    extra: dict[str, Any] = _extra()


class UnavailabilityRow(SQLModel, table=True):
    """A set, crew, actor or base closed for some dates (unavailable.csv)."""

    __tablename__ = "unavailability"

    scenario_id: int = _scenario_fk()
    position: int = Field(primary_key=True)
    kind: str = Field(sa_type=String)
    resource_id: str = Field(sa_type=String)
    from_date: dt.date
    to_date: dt.date
    note: str = Field(default="", sa_type=String)
    extra: dict[str, Any] = _extra()


class TravelRow(SQLModel, table=True):
    """Free days between shooting in two cities (travel.csv)."""

    __tablename__ = "travel"

    scenario_id: int = _scenario_fk()
    position: int = Field(primary_key=True)
    from_city: str = Field(sa_type=String)
    to_city: str = Field(sa_type=String)
    days: int
    extra: dict[str, Any] = _extra()


class PinRow(SQLModel, table=True):
    """What is fixed for a title (pins.csv); ``None`` fields are free."""

    __tablename__ = "pin"
    __table_args__ = (
        ForeignKeyConstraint(
            ["scenario_id", "title_id"],
            ["title.scenario_id", "title.title_id"],
            ondelete="CASCADE",
        ),
    )

    scenario_id: int = _scenario_fk()
    title_id: str = Field(sa_type=String, primary_key=True)
    position: int
    start_date: dt.date | None = None
    base_id: str | None = Field(default=None, sa_type=String)
    crew_id: str | None = Field(default=None, sa_type=String)
    scene_order: list[str] = _id_list()
    """The title's scene ids in pinned shooting order; empty: the order is free."""
    extra: dict[str, Any] = _extra()


class PlanRow(SQLModel, table=True):
    """A stored plan for one version of a scenario, with its KPIs."""

    __tablename__ = "plan"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", ondelete="CASCADE", index=True)
    scenario_version: int
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    label: str = Field(default="", sa_type=String)
    status: str = Field(default="", sa_type=String)
    kpis: dict[str, Any] = _extra()
    changes: list[dict[str, str]] | None = Field(default=None, sa_type=JSON, nullable=True)
    """A re-plan's change list (变更单) against the plan it revised; ``None`` for a fresh plan."""


class PlanShootRow(SQLModel, table=True):
    """One shoot of a stored plan (a row of plan.csv)."""

    __tablename__ = "plan_shoot"

    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE", primary_key=True)
    title_id: str = Field(sa_type=String, primary_key=True)
    date: dt.date = Field(primary_key=True)
    position: int
    base_id: str = Field(sa_type=String)
    set_id: str = Field(sa_type=String)
    crew_id: str = Field(sa_type=String)
    scenes: list[str] = _id_list()
    """The scene ids shot that day, in shooting order (empty for a title without scenes)."""


class PlanUnscheduledRow(SQLModel, table=True):
    """A title a stored plan leaves out, and why (a row of unscheduled.csv)."""

    __tablename__ = "plan_unscheduled"

    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE", primary_key=True)
    title_id: str = Field(sa_type=String, primary_key=True)
    position: int
    reason: str = Field(sa_type=String)


class PublicationRow(SQLModel, table=True):
    """A publication: a plan's shoots up to a date, sent out to crews, as they were sent.

    Never updated: a new publication is a new row. ``plan_id`` names the plan the
    shoots were copied from; it becomes ``NULL`` if that plan is deleted, and the
    copied shoots (:class:`PublishedShootRow`) stay as they were published.
    """

    __tablename__ = "publication"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="scenario.id", ondelete="CASCADE", index=True)
    # indexed: deleting a plan looks up the publications that name it
    plan_id: int | None = Field(
        default=None, foreign_key="plan.id", ondelete="SET NULL", index=True, nullable=True
    )
    plan_label: str = Field(default="", sa_type=String)
    scenario_version: int
    until: dt.date
    published_by: str = Field(sa_type=String)
    published_at: dt.datetime = Field(sa_type=DateTime(timezone=True), nullable=False)


class PublishedShootRow(SQLModel, table=True):
    """One published shoot: a copy of a shoot of the plan as it was when published."""

    __tablename__ = "published_shoot"

    publication_id: int = Field(foreign_key="publication.id", ondelete="CASCADE", primary_key=True)
    title_id: str = Field(sa_type=String, primary_key=True)
    date: dt.date = Field(primary_key=True)
    position: int
    base_id: str = Field(sa_type=String)
    set_id: str = Field(sa_type=String)
    crew_id: str = Field(sa_type=String)
    scenes: list[str] = _id_list()
    """The scene ids shot that day, as published."""


class SweepRow(SQLModel, table=True):
    """A sweep: the sweep file as it was run, the base scenario it varied, and how it went.

    ``state``: running, done (every run finished checked), failed (some run failed)
    or stopped. ``base_scenario`` is what the file names (a path or a stored name);
    ``base_scenario_id`` the stored scenario it was, if any (``NULL`` once deleted).
    """

    __tablename__ = "sweep"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String)
    source: str = Field(default="", sa_type=String)
    """The sweep file's TOML text."""
    base_scenario: str = Field(default="", sa_type=String)
    base_scenario_id: int | None = Field(
        default=None, foreign_key="scenario.id", ondelete="SET NULL", index=True, nullable=True
    )
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    state: str = Field(sa_type=String)


class SweepRunRow(SQLModel, table=True):
    """One run of a sweep: a variant planned with a seed, its state, plan and timings.

    ``state``: queued, running, done, failed or stopped. ``scenario_id`` is the
    variant's stored scenario, ``plan_id`` the run's stored plan (``NULL`` until
    done, and once either is deleted; the run's record stays).
    """

    __tablename__ = "sweep_run"
    __table_args__ = (
        UniqueConstraint("sweep_id", "variant", "seed"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    sweep_id: int = Field(foreign_key="sweep.id", ondelete="CASCADE")
    position: int
    variant: str = Field(sa_type=String)
    seed: int
    # indexed: deleting a scenario or a plan looks up the runs that name it
    scenario_id: int | None = Field(
        default=None, foreign_key="scenario.id", ondelete="SET NULL", index=True, nullable=True
    )
    plan_id: int | None = Field(
        default=None, foreign_key="plan.id", ondelete="SET NULL", index=True, nullable=True
    )
    state: str = Field(sa_type=String)
    error: str = Field(default="", sa_type=String)
    solve_seconds: float | None = None
    wall_seconds: float | None = None
    overhead_seconds: float | None = None


class UserAccountRow(SQLModel, table=True):
    """A user account: unique name, argon2 password hash, role, bases (JSON list), disabled."""

    __tablename__ = "user_account"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String, unique=True)
    password_hash: str = Field(sa_type=String)
    role: str = Field(sa_type=String)
    bases: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    disabled: bool = False
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=True), nullable=False)


class AuditEventRow(SQLModel, table=True):
    """One audited action: who, when, what, whether it succeeded, and on which scenario/plan.

    No foreign keys: the trail outlives deleted scenarios, plans and accounts.
    """

    __tablename__ = "audit_event"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_type=DateTime(timezone=True), nullable=False, index=True)
    user_name: str = Field(sa_type=String, index=True)
    action: str = Field(sa_type=String)
    ok: bool
    scenario_id: int | None = None
    scenario_version: int | None = None
    plan_id: int | None = None
    detail: str = Field(default="", sa_type=String)


CONTENT_ROWS: tuple[type[SQLModel], ...] = (
    BaseRow,
    FilmSetRow,
    CrewRow,
    ActorRow,
    TitleRow,
    TitleNeedRow,
    SceneRow,
    UnavailabilityRow,
    TravelRow,
    PinRow,
)
"""A scenario's content tables, parents before children (insert in this order, delete reversed)."""
