"""The scenario store: scenarios and their plans in the database, as model dataclasses.

Every method that writes is one transaction, so a failure halfway leaves the
database as it was. Saves are optimistic: a caller loads a scenario with its
version and saves against that version; if someone saved in between, the save
is refused with :class:`StaleScenarioError` instead of overwriting their work.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, delete, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.storage.convert import (
    Record,
    content_records,
    from_json,
    plan_from_rows,
    plan_records,
    scenario_from_rows,
    scenario_settings,
    to_json,
    with_keys,
)
from scheduler.storage.errors import DuplicateNameError, NotFoundError, StaleScenarioError
from scheduler.storage.rows import (
    CONTENT_ROWS,
    BaseRow,
    PlanRow,
    PlanShootRow,
    PlanUnscheduledRow,
    ScenarioRow,
    TitleRow,
)


@dataclass(frozen=True)
class ScenarioInfo:
    """A stored scenario as the list of scenarios shows it."""

    scenario_id: int
    name: str
    version: int
    title_count: int
    base_count: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class PlanInfo:
    """A stored plan as the list of plans shows it; ``status`` is the KPI status."""

    plan_id: int
    scenario_id: int
    scenario_version: int
    created_at: dt.datetime
    label: str
    status: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite forgets the time zone; everything is stored in UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _column(row_class: type[SQLModel], name: str) -> Any:
    return getattr(row_class, name)


def insert_rows(session: Session, row_class: type[SQLModel], records: Sequence[Record]) -> None:
    """Insert ``records`` into ``row_class``'s table in one bulk statement."""
    if records:
        session.exec(insert(row_class), params=records)


class ScenarioStore:
    """Scenarios and plans kept in one database.

    Parameters
    ----------
    engine
        From :func:`scheduler.storage.get_engine` (schema already migrated).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    # -- scenarios ------------------------------------------------------------

    def create(self, scenario: Scenario) -> ScenarioInfo:
        """Store a new scenario under its name, at version 1.

        Raises
        ------
        DuplicateNameError
            A stored scenario already has that name.
        """
        try:
            with self._transaction() as session:
                scenario_id = self._add(session, scenario)
                return self._infos(session, scenario_id)[0]
        except IntegrityError as error:
            raise self._name_clash(scenario.name, error) from error

    def list(self) -> builtins.list[ScenarioInfo]:
        """Every stored scenario, by name."""
        with self._transaction() as session:
            return self._infos(session)

    def find(self, name: str) -> ScenarioInfo | None:
        """The stored scenario called ``name``, or ``None``."""
        with self._transaction() as session:
            scenario_id = self._id_of(session, name)
            return None if scenario_id is None else self._infos(session, scenario_id)[0]

    def info(self, scenario_id: int) -> ScenarioInfo:
        """What the list of scenarios shows about one scenario."""
        with self._transaction() as session:
            infos = self._infos(session, scenario_id)
        if not infos:
            raise NotFoundError("scenario", scenario_id)
        return infos[0]

    def load(self, scenario_id: int) -> tuple[Scenario, int]:
        """The stored scenario and its version (pass the version back to :meth:`save`)."""
        with self._transaction() as session:
            return self._read(session, scenario_id)

    def save(self, scenario_id: int, scenario: Scenario, expected_version: int) -> int:
        """Replace the stored scenario (name included) and return its new version.

        Raises
        ------
        StaleScenarioError
            The stored version is not ``expected_version``: someone saved in
            between. Nothing is written.
        DuplicateNameError
            ``scenario.name`` belongs to another stored scenario.
        NotFoundError
            No scenario has that id.
        """
        try:
            with self._transaction() as session:
                other = self._id_of(session, scenario.name)
                if other is not None and other != scenario_id:
                    raise DuplicateNameError(scenario.name)
                # One conditional UPDATE both checks and bumps the version, so of
                # two concurrent saves against the same version exactly one wins;
                # it also locks the row until the new content is in.
                bumped = session.exec(
                    update(ScenarioRow)
                    .where(
                        col(ScenarioRow.id) == scenario_id,
                        col(ScenarioRow.version) == expected_version,
                    )
                    .values(
                        **scenario_settings(scenario),
                        version=col(ScenarioRow.version) + 1,
                        updated_at=_now(),
                    )
                    .execution_options(synchronize_session=False)
                )
                if bumped.rowcount != 1:
                    raise self._stale_or_missing(session, scenario_id, expected_version)
                self._delete_content(session, scenario_id)
                self._insert_content(session, scenario_id, scenario)
                return expected_version + 1
        except IntegrityError as error:
            raise self._name_clash(scenario.name, error) from error

    def clone(self, scenario_id: int, new_name: str) -> ScenarioInfo:
        """Store a copy of a scenario under ``new_name`` (version 1, no plans), for what-ifs."""
        try:
            with self._transaction() as session:
                scenario, _version = self._read(session, scenario_id)
                copy_id = self._add(session, replace(scenario, name=new_name))
                return self._infos(session, copy_id)[0]
        except IntegrityError as error:
            raise self._name_clash(new_name, error) from error

    def rename(self, scenario_id: int, new_name: str) -> ScenarioInfo:
        """Give a stored scenario a new name; this is a change, so its version goes up."""
        try:
            with self._transaction() as session:
                other = self._id_of(session, new_name)
                if other is not None and other != scenario_id:
                    raise DuplicateNameError(new_name)
                renamed = session.exec(
                    update(ScenarioRow)
                    .where(col(ScenarioRow.id) == scenario_id)
                    .values(
                        name=new_name,
                        version=col(ScenarioRow.version) + 1,
                        updated_at=_now(),
                    )
                    .execution_options(synchronize_session=False)
                )
                if renamed.rowcount != 1:
                    raise NotFoundError("scenario", scenario_id)
                return self._infos(session, scenario_id)[0]
        except IntegrityError as error:
            raise self._name_clash(new_name, error) from error

    def delete(self, scenario_id: int) -> None:
        """Delete a scenario with all its content and plans."""
        with self._transaction() as session:
            deleted = session.exec(
                delete(ScenarioRow)
                .where(col(ScenarioRow.id) == scenario_id)
                .execution_options(synchronize_session=False)
            )
            if deleted.rowcount != 1:
                raise NotFoundError("scenario", scenario_id)

    # -- plans ----------------------------------------------------------------

    def save_plan(
        self,
        scenario_id: int,
        scenario_version: int,
        plan: Plan,
        kpis: Mapping[str, Any],
        label: str = "",
    ) -> int:
        """Store a plan made for ``scenario_version`` of a scenario; return the plan id."""
        with self._transaction() as session:
            if session.get(ScenarioRow, scenario_id) is None:
                raise NotFoundError("scenario", scenario_id)
            row = PlanRow(
                scenario_id=scenario_id,
                scenario_version=scenario_version,
                created_at=_now(),
                label=label,
                status=str(kpis.get("status", "")),
                kpis=to_json(kpis),
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            shoots, unscheduled = plan_records(row.id, plan)
            insert_rows(session, PlanShootRow, shoots)
            insert_rows(session, PlanUnscheduledRow, unscheduled)
            return row.id

    def list_plans(self, scenario_id: int) -> builtins.list[PlanInfo]:
        """The stored plans of a scenario, oldest first."""
        with self._transaction() as session:
            if session.get(ScenarioRow, scenario_id) is None:
                raise NotFoundError("scenario", scenario_id)
            rows = session.exec(
                select(PlanRow)
                .where(col(PlanRow.scenario_id) == scenario_id)
                .order_by(col(PlanRow.id))
            ).all()
            return [_plan_info(row) for row in rows]

    def load_plan(self, plan_id: int) -> tuple[Plan, dict[str, Any], PlanInfo]:
        """A stored plan, its KPIs and what the list of plans shows about it."""
        with self._transaction() as session:
            row = session.get(PlanRow, plan_id)
            if row is None:
                raise NotFoundError("plan", plan_id)
            shoots = session.exec(
                select(PlanShootRow)
                .where(col(PlanShootRow.plan_id) == plan_id)
                .order_by(col(PlanShootRow.position))
            ).all()
            unscheduled = session.exec(
                select(PlanUnscheduledRow)
                .where(col(PlanUnscheduledRow.plan_id) == plan_id)
                .order_by(col(PlanUnscheduledRow.position))
            ).all()
            return plan_from_rows(shoots, unscheduled), from_json(row.kpis), _plan_info(row)

    def delete_plan(self, plan_id: int) -> None:
        """Delete one stored plan."""
        with self._transaction() as session:
            deleted = session.exec(
                delete(PlanRow)
                .where(col(PlanRow.id) == plan_id)
                .execution_options(synchronize_session=False)
            )
            if deleted.rowcount != 1:
                raise NotFoundError("plan", plan_id)

    # -- inside a transaction ---------------------------------------------------

    def _add(self, session: Session, scenario: Scenario) -> int:
        """Insert a new scenario row and its content; return its id."""
        if self._id_of(session, scenario.name) is not None:
            raise DuplicateNameError(scenario.name)
        now = _now()
        row = ScenarioRow(**scenario_settings(scenario), version=1, created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        assert row.id is not None
        self._insert_content(session, row.id, scenario)
        return row.id

    def _read(self, session: Session, scenario_id: int) -> tuple[Scenario, int]:
        # FOR SHARE (PostgreSQL) keeps a save from landing between the reads
        # below; SQLite's BEGIN IMMEDIATE already serialises them.
        row = session.exec(
            select(ScenarioRow)
            .where(col(ScenarioRow.id) == scenario_id)
            .with_for_update(read=True)
        ).first()
        if row is None:
            raise NotFoundError("scenario", scenario_id)
        content = {
            row_class: session.exec(
                select(row_class)
                .where(_column(row_class, "scenario_id") == scenario_id)
                .order_by(_column(row_class, "position"))
            ).all()
            for row_class in CONTENT_ROWS
        }
        return scenario_from_rows(row, content), row.version

    def _insert_content(self, session: Session, scenario_id: int, scenario: Scenario) -> None:
        for row_class, records in content_records(scenario_id, scenario).items():
            insert_rows(session, row_class, with_keys(scenario_id, records))

    def _delete_content(self, session: Session, scenario_id: int) -> None:
        for row_class in reversed(CONTENT_ROWS):  # children before parents
            session.exec(
                delete(row_class)
                .where(_column(row_class, "scenario_id") == scenario_id)
                .execution_options(synchronize_session=False)
            )

    def _id_of(self, session: Session, name: str) -> int | None:
        return session.exec(select(ScenarioRow.id).where(col(ScenarioRow.name) == name)).first()

    def _infos(
        self, session: Session, scenario_id: int | None = None
    ) -> builtins.list[ScenarioInfo]:
        """Scenario infos with their counts, by name; only ``scenario_id`` if given."""
        titles = (
            select(col(TitleRow.scenario_id), func.count().label("n"))
            .group_by(col(TitleRow.scenario_id))
            .subquery()
        )
        bases = (
            select(col(BaseRow.scenario_id), func.count().label("n"))
            .group_by(col(BaseRow.scenario_id))
            .subquery()
        )
        query = (
            select(
                ScenarioRow,
                func.coalesce(titles.c.n, 0),
                func.coalesce(bases.c.n, 0),
            )
            .outerjoin(titles, titles.c.scenario_id == ScenarioRow.id)
            .outerjoin(bases, bases.c.scenario_id == ScenarioRow.id)
            .order_by(col(ScenarioRow.name), col(ScenarioRow.id))
        )
        if scenario_id is not None:
            query = query.where(col(ScenarioRow.id) == scenario_id)
        return [
            ScenarioInfo(
                scenario_id=row.id or 0,
                name=row.name,
                version=row.version,
                title_count=int(title_count),
                base_count=int(base_count),
                created_at=_aware(row.created_at),
                updated_at=_aware(row.updated_at),
            )
            for row, title_count, base_count in session.exec(query).all()
        ]

    def _stale_or_missing(
        self, session: Session, scenario_id: int, expected_version: int
    ) -> Exception:
        row = session.get(ScenarioRow, scenario_id)
        if row is None:
            return NotFoundError("scenario", scenario_id)
        return StaleScenarioError(row.name, expected_version, row.version, _aware(row.updated_at))

    def _name_clash(self, name: str, error: IntegrityError) -> Exception:
        """A duplicate-name error if ``name`` is now taken (a concurrent write), else ``error``."""
        with self._transaction() as session:
            taken = self._id_of(session, name) is not None
        return DuplicateNameError(name) if taken else error


def _plan_info(row: PlanRow) -> PlanInfo:
    assert row.id is not None
    return PlanInfo(
        plan_id=row.id,
        scenario_id=row.scenario_id,
        scenario_version=row.scenario_version,
        created_at=_aware(row.created_at),
        label=row.label,
        status=row.status,
    )
