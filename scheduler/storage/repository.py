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
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, delete, distinct, func, insert, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, SQLModel, col, select

from scheduler.domain.changes import Change, published_titles
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.domain.storable import MAX_KEY_LENGTH, storage_problems, text_problem
from scheduler.storage.convert import (
    Record,
    change_records,
    changes_from_records,
    content_records,
    from_json,
    plan_from_rows,
    plan_records,
    scenario_from_rows,
    scenario_settings,
    to_json,
    with_keys,
)
from scheduler.storage.engine import READ_ONLY
from scheduler.storage.errors import (
    DuplicateNameError,
    NotFoundError,
    StaleScenarioError,
    StorageError,
    UnstorableScenarioError,
    database_error,
)
from scheduler.storage.rows import (
    CONTENT_ROWS,
    BaseRow,
    PlanRow,
    PlanShootRow,
    PlanUnscheduledRow,
    PublicationRow,
    PublishedShootRow,
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


@dataclass(frozen=True)
class PublicationInfo:
    """A publication: who sent which plan's shoots up to which date, and when.

    ``plan_id`` is ``None`` once the plan it was copied from is deleted; the
    published shoots stay as they were sent. ``scenario_version`` is the version
    the plan was made (and checked) for.
    """

    publication_id: int
    scenario_id: int
    plan_id: int | None
    plan_label: str
    scenario_version: int
    until: dt.date
    published_by: str
    published_at: dt.datetime
    title_count: int
    shoot_count: int


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
    def _transaction(self, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        ``write=False``: a read, which on SQLite takes no write lock, so readers
        never queue behind writers. A raw driver error (locked, out of range …)
        comes out as a :class:`StorageError` in Chinese; an ``IntegrityError``
        stays as it is for the callers that turn it into a name clash.
        """
        bind = self.engine if write else self.engine.execution_options(**{READ_ONLY: True})
        try:
            with Session(bind, expire_on_commit=False) as session, session.begin():
                yield session
        except IntegrityError:
            raise
        except (DBAPIError, OverflowError) as error:
            raise database_error(error) from error

    def _reading(self) -> AbstractContextManager[Session]:
        return self._transaction(write=False)

    # -- scenarios ------------------------------------------------------------

    def create(self, scenario: Scenario) -> ScenarioInfo:
        """Store a new scenario under its name, at version 1.

        Raises
        ------
        DuplicateNameError
            A stored scenario already has that name.
        """
        _check_storable(scenario)
        try:
            with self._transaction() as session:
                scenario_id = self._add(session, scenario)
                return self._infos(session, scenario_id)[0]
        except IntegrityError as error:
            raise self._name_clash(scenario.name, error) from error

    def list(self) -> builtins.list[ScenarioInfo]:
        """Every stored scenario, by name."""
        with self._reading() as session:
            return self._infos(session)

    def find(self, name: str) -> ScenarioInfo | None:
        """The stored scenario called ``name``, or ``None``."""
        with self._reading() as session:
            scenario_id = self._id_of(session, name)
            return None if scenario_id is None else self._infos(session, scenario_id)[0]

    def info(self, scenario_id: int) -> ScenarioInfo:
        """What the list of scenarios shows about one scenario."""
        with self._reading() as session:
            infos = self._infos(session, scenario_id)
        if not infos:
            raise NotFoundError("scenario", scenario_id)
        return infos[0]

    def load(self, scenario_id: int) -> tuple[Scenario, int]:
        """The stored scenario and its version (pass the version back to :meth:`save`)."""
        with self._reading() as session:
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
        _check_storable(scenario)
        try:
            with self._transaction() as session:
                return self._replace(session, scenario_id, scenario, expected_version)
        except IntegrityError as error:
            raise self._name_clash(scenario.name, error) from error

    def save_with_plan(
        self,
        scenario_id: int,
        scenario: Scenario,
        expected_version: int,
        plan: Plan,
        kpis: Mapping[str, Any],
        label: str = "",
        changes: Sequence[Change] | None = None,
    ) -> tuple[int, int]:
        """Replace the stored scenario and store a plan for its new version, in one transaction.

        What :meth:`save` then :meth:`save_plan` do, except that either both are
        stored or neither is: a scenario changed together with its plan (a rush
        title accepted with the option's plan) is never left without it. Returns
        the new version and the plan id.

        Raises
        ------
        StaleScenarioError
            The stored version is not ``expected_version``. Nothing is written.
        DuplicateNameError
            ``scenario.name`` belongs to another stored scenario.
        NotFoundError
            No scenario has that id.
        """
        _check_storable(scenario)
        try:
            with self._transaction() as session:
                version = self._replace(session, scenario_id, scenario, expected_version)
                plan_id = self._add_plan(session, scenario_id, version, plan, kpis, label, changes)
                return version, plan_id
        except IntegrityError as error:
            raise self._name_clash(scenario.name, error) from error

    def clone(self, scenario_id: int, new_name: str) -> ScenarioInfo:
        """Store a copy of a scenario under ``new_name`` (version 1, no plans), for what-ifs."""
        _check_name(new_name)
        try:
            with self._transaction() as session:
                scenario, _version = self._read(session, scenario_id)
                copy = replace(scenario, name=new_name)
                _check_storable(copy)
                copy_id = self._add(session, copy)
                return self._infos(session, copy_id)[0]
        except IntegrityError as error:
            raise self._name_clash(new_name, error) from error

    def rename(self, scenario_id: int, new_name: str) -> ScenarioInfo:
        """Give a stored scenario a new name; this is a change, so its version goes up."""
        _check_name(new_name)
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
        changes: Sequence[Change] | None = None,
    ) -> int:
        """Store a plan made for ``scenario_version`` of a scenario; return the plan id.

        ``changes``: a re-plan's change list (变更单) against the plan it revised,
        stored with the plan in the same transaction (``None``: not a re-plan).
        """
        with self._transaction() as session:
            return self._add_plan(
                session, scenario_id, scenario_version, plan, kpis, label, changes
            )

    def list_plans(self, scenario_id: int) -> builtins.list[PlanInfo]:
        """The stored plans of a scenario, oldest first."""
        with self._reading() as session:
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
        with self._reading() as session:
            row = session.get(PlanRow, plan_id)
            if row is None:
                raise NotFoundError("plan", plan_id)
            shoots = self._shoot_rows(session, plan_id)
            unscheduled = session.exec(
                select(PlanUnscheduledRow)
                .where(col(PlanUnscheduledRow.plan_id) == plan_id)
                .order_by(col(PlanUnscheduledRow.position))
            ).all()
            return plan_from_rows(shoots, unscheduled), from_json(row.kpis), _plan_info(row)

    def load_changes(self, plan_id: int) -> builtins.list[Change] | None:
        """A stored re-plan's change list (变更单); ``None`` for a plan that was no re-plan."""
        with self._reading() as session:
            row = session.get(PlanRow, plan_id)
            if row is None:
                raise NotFoundError("plan", plan_id)
            return changes_from_records(row.changes)

    def delete_plan(self, plan_id: int) -> None:
        """Delete one stored plan; publications copied from it keep their shoots."""
        with self._transaction() as session:
            deleted = session.exec(
                delete(PlanRow)
                .where(col(PlanRow.id) == plan_id)
                .execution_options(synchronize_session=False)
            )
            if deleted.rowcount != 1:
                raise NotFoundError("plan", plan_id)

    # -- publications ---------------------------------------------------------

    def create_publication(
        self, scenario_id: int, plan_id: int, until: dt.date, published_by: str
    ) -> PublicationInfo:
        """Publish a stored plan of the scenario up to ``until``: copy its shoots, once.

        Every shoot of each title that shoots on or before ``until`` is copied
        (:func:`scheduler.domain.changes.published_titles`), so a title is published
        whole. There is no update: publishing again makes a new publication.

        Raises
        ------
        NotFoundError
            No such scenario or plan.
        StorageError
            The plan belongs to another scenario.
        """
        with self._transaction() as session:
            if session.get(ScenarioRow, scenario_id) is None:
                raise NotFoundError("scenario", scenario_id)
            plan_row = session.get(PlanRow, plan_id)
            if plan_row is None:
                raise NotFoundError("plan", plan_id)
            if plan_row.scenario_id != scenario_id:
                raise StorageError(
                    f"方案 #{plan_id} 不属于场景 {scenario_id}，不能在此发布",
                    f"plan #{plan_id} belongs to another scenario than {scenario_id}",
                )
            plan = plan_from_rows(self._shoot_rows(session, plan_id))
            titles = published_titles(plan, until)
            row = PublicationRow(
                scenario_id=scenario_id,
                plan_id=plan_id,
                plan_label=plan_row.label,
                scenario_version=plan_row.scenario_version,
                until=until,
                published_by=published_by,
                published_at=_now(),
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            kept = [s for s in plan.shoots if s.title_id in titles]
            shoots, _unscheduled = plan_records(row.id, Plan(tuple(kept)))
            for record in shoots:
                record["publication_id"] = record.pop("plan_id")
            insert_rows(session, PublishedShootRow, shoots)
            return self._publication_infos(session, publication_id=row.id)[0]

    def list_publications(self, scenario_id: int) -> builtins.list[PublicationInfo]:
        """The scenario's publications, oldest first."""
        with self._reading() as session:
            if session.get(ScenarioRow, scenario_id) is None:
                raise NotFoundError("scenario", scenario_id)
            return self._publication_infos(session, scenario_id=scenario_id)

    def load_publication(self, publication_id: int) -> tuple[Plan, PublicationInfo]:
        """The published shoots (as a plan that leaves nothing out) and the publication."""
        with self._reading() as session:
            infos = self._publication_infos(session, publication_id=publication_id)
            if not infos:
                raise NotFoundError("publication", publication_id)
            shoots = session.exec(
                select(PublishedShootRow)
                .where(col(PublishedShootRow.publication_id) == publication_id)
                .order_by(col(PublishedShootRow.position))
            ).all()
            return plan_from_rows(shoots), infos[0]

    # -- inside a transaction ---------------------------------------------------

    def _shoot_rows(self, session: Session, plan_id: int) -> Sequence[PlanShootRow]:
        return session.exec(
            select(PlanShootRow)
            .where(col(PlanShootRow.plan_id) == plan_id)
            .order_by(col(PlanShootRow.position))
        ).all()

    def _publication_infos(
        self,
        session: Session,
        *,
        scenario_id: int | None = None,
        publication_id: int | None = None,
    ) -> builtins.list[PublicationInfo]:
        """Publications with their title and shoot counts, oldest first."""
        counts = (
            select(
                col(PublishedShootRow.publication_id),
                func.count(distinct(col(PublishedShootRow.title_id))).label("titles"),
                func.count().label("shoots"),
            )
            .group_by(col(PublishedShootRow.publication_id))
            .subquery()
        )
        query = (
            select(
                PublicationRow,
                func.coalesce(counts.c.titles, 0),
                func.coalesce(counts.c.shoots, 0),
            )
            .outerjoin(counts, counts.c.publication_id == PublicationRow.id)
            .order_by(col(PublicationRow.id))
        )
        if scenario_id is not None:
            query = query.where(col(PublicationRow.scenario_id) == scenario_id)
        if publication_id is not None:
            query = query.where(col(PublicationRow.id) == publication_id)
        return [
            PublicationInfo(
                publication_id=row.id or 0,
                scenario_id=row.scenario_id,
                plan_id=row.plan_id,
                plan_label=row.plan_label,
                scenario_version=row.scenario_version,
                until=row.until,
                published_by=row.published_by,
                published_at=_aware(row.published_at),
                title_count=int(titles),
                shoot_count=int(shoots),
            )
            for row, titles, shoots in session.exec(query).all()
        ]

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

    def _replace(
        self, session: Session, scenario_id: int, scenario: Scenario, expected_version: int
    ) -> int:
        """Replace a stored scenario's settings and content in ``session``; its new version."""
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

    def _add_plan(
        self,
        session: Session,
        scenario_id: int,
        scenario_version: int,
        plan: Plan,
        kpis: Mapping[str, Any],
        label: str,
        changes: Sequence[Change] | None,
    ) -> int:
        """Store a plan with its shoots, reasons and change list in ``session``; its id."""
        if session.get(ScenarioRow, scenario_id) is None:
            raise NotFoundError("scenario", scenario_id)
        row = PlanRow(
            scenario_id=scenario_id,
            scenario_version=scenario_version,
            created_at=_now(),
            label=label,
            status=str(kpis.get("status", "")),
            kpis=to_json(kpis),
            changes=change_records(changes),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        shoots, unscheduled = plan_records(row.id, plan)
        insert_rows(session, PlanShootRow, shoots)
        insert_rows(session, PlanUnscheduledRow, unscheduled)
        return row.id

    def _read(self, session: Session, scenario_id: int) -> tuple[Scenario, int]:
        # FOR SHARE (PostgreSQL) keeps a save from landing between the reads
        # below; on SQLite (WAL) one transaction reads one snapshot.
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
        with self._reading() as session:
            taken = self._id_of(session, name) is not None
        return DuplicateNameError(name) if taken else database_error(error)


def _check_storable(scenario: Scenario) -> None:
    """Refuse, before any write, a scenario holding values the database cannot store."""
    problems = storage_problems(scenario)
    if problems:
        raise UnstorableScenarioError(problems)


def _check_name(name: str) -> None:
    found = text_problem(name, MAX_KEY_LENGTH)
    if found:
        en, zh = found
        raise StorageError(f"场景名称{zh}", f"the scenario name {en}")


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
