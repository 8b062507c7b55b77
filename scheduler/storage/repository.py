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
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, case, delete, distinct, func, insert, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, SQLModel, col, select

from scheduler.domain.accounts import Account, Action, AuditNote, Role, first_line, joined
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
    DuplicateAccountError,
    DuplicateNameError,
    LastHeadError,
    NotFoundError,
    StaleScenarioError,
    StorageError,
    UnstorableScenarioError,
    database_error,
)
from scheduler.storage.rows import (
    CONTENT_ROWS,
    AuditEventRow,
    BaseRow,
    PlanRow,
    PlanShootRow,
    PlanUnscheduledRow,
    PublicationRow,
    PublishedShootRow,
    ScenarioRow,
    SweepRow,
    SweepRunRow,
    TitleRow,
    UserAccountRow,
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


@dataclass(frozen=True)
class SweepInfo:
    """A stored sweep as the list of sweeps shows it, with how many runs are in each state.

    ``state``: running, done (every run finished checked), failed (some run
    failed) or stopped. ``source`` is the sweep file's TOML text; ``base_scenario``
    what it names as its base (a path or a stored name), ``base_scenario_id`` the
    stored scenario that was, if any.
    """

    sweep_id: int
    name: str
    source: str
    base_scenario: str
    base_scenario_id: int | None
    created_at: dt.datetime
    state: str
    run_count: int
    done_count: int
    failed_count: int


@dataclass(frozen=True)
class SweepRunInfo:
    """One stored run of a sweep: a variant and seed, its state, scenario, plan and seconds.

    ``state``: queued, running, done, failed or stopped. ``plan_id`` is set once the
    run is done (and cleared if the plan is deleted); ``error`` says why a run failed.
    ``overhead_seconds`` is the run's wall time less its solve: what running it on
    Ray cost.
    """

    run_id: int
    sweep_id: int
    position: int
    variant: str
    seed: int
    scenario_id: int | None
    plan_id: int | None
    state: str
    error: str
    solve_seconds: float | None
    wall_seconds: float | None
    overhead_seconds: float | None


@dataclass(frozen=True)
class StoredAccount:
    """A stored account: the account itself, its password hash and when it was made."""

    account: Account
    password_hash: str
    created_at: dt.datetime


@dataclass(frozen=True)
class AuditEvent:
    """One row of the audit trail: when, who, what, whether it succeeded, on what."""

    event_id: int
    at: dt.datetime
    user_name: str
    action: Action
    ok: bool
    scenario_id: int | None
    scenario_version: int | None
    plan_id: int | None
    detail: str


SWEEP_STATES = ("running", "done", "failed", "stopped")
"""What a stored sweep's ``state`` may be."""
SWEEP_RUN_STATES = ("queued", "running", "done", "failed", "stopped")
"""What a stored run's ``state`` may be."""


@dataclass
class _Pending:
    """The audited action running on this thread and whether its row is written."""

    note: AuditNote
    written: bool = False


_ACTING: ContextVar[_Pending | None] = ContextVar("shootplan_audited_action", default=None)


def _learn(**fields: int | None) -> None:
    """Tell the audited action running here (if any) its scenario, version or plan."""
    pending = _ACTING.get()
    if pending is not None:
        pending.note.learn(**fields)


def _audit_row(note: AuditNote, ok: bool) -> AuditEventRow:
    return AuditEventRow(
        at=_now(),
        user_name=note.user_name,
        action=note.action.value,
        ok=ok,
        scenario_id=note.scenario_id,
        scenario_version=note.scenario_version,
        plan_id=note.plan_id,
        detail=note.detail,
    )


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
        pending = _ACTING.get() if write else None
        if pending is not None and pending.written:
            pending = None  # one row per action: its first change carries it
        try:
            with Session(bind, expire_on_commit=False) as session, session.begin():
                yield session
                if pending is not None:
                    session.add(_audit_row(pending.note, ok=True))
            if pending is not None:
                pending.written = True
        except IntegrityError:
            raise
        except (DBAPIError, OverflowError) as error:
            raise database_error(error) from error

    def _reading(self) -> AbstractContextManager[Session]:
        return self._transaction(write=False)

    @contextmanager
    def audited(self, note: AuditNote) -> Iterator[AuditNote]:
        """Run one audited action: exactly one audit row, whatever happens inside.

        The row is written in the same transaction as the action's first change, so
        the change and its row are stored together or not at all. An action that
        changes nothing gets its row on its own at the end; an action that raises
        before any change gets a failed row (``ok`` false, the error's first line after
        ``detail``) and
        the error goes on. Works on the thread that entered it.
        """
        pending = _Pending(note)
        token = _ACTING.set(pending)
        try:
            yield note
        except BaseException as error:
            _ACTING.reset(token)
            if not pending.written:
                note.detail = joined(note.detail, first_line(error))  # what was tried, why not
                self._write_audit(_audit_row(note, ok=False))
            raise
        _ACTING.reset(token)
        if not pending.written:
            self._write_audit(_audit_row(note, ok=True))

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
                info = self._infos(session, scenario_id)[0]
                _learn(scenario_id=scenario_id, scenario_version=info.version)
                return info
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
            _learn(scenario_id=scenario_id)

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

    def plan_kpis(self, plan_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The KPIs of the stored plans among ``plan_ids`` (ids not stored are left out),
        read without their shoots."""
        with self._reading() as session:
            rows = session.exec(
                select(PlanRow.id, PlanRow.kpis).where(col(PlanRow.id).in_(list(plan_ids)))
            ).all()
            return {int(plan_id): from_json(kpis) for plan_id, kpis in rows if plan_id is not None}

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
            _learn(plan_id=plan_id)

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
            _learn(
                scenario_id=scenario_id,
                scenario_version=plan_row.scenario_version,
                plan_id=plan_id,
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

    # -- sweeps ------------------------------------------------------------------

    def create_sweep(
        self,
        name: str,
        source: str = "",
        *,
        base_scenario: str = "",
        base_scenario_id: int | None = None,
        state: str = "running",
    ) -> SweepInfo:
        """Store a new sweep (no runs yet): its name, TOML text and base scenario.

        Raises
        ------
        ValueError
            ``state`` is not one of :data:`SWEEP_STATES`.
        NotFoundError
            ``base_scenario_id`` names no stored scenario.
        """
        _check_state(state, SWEEP_STATES, "sweep")
        with self._transaction() as session:
            if base_scenario_id is not None and session.get(ScenarioRow, base_scenario_id) is None:
                raise NotFoundError("scenario", base_scenario_id)
            row = SweepRow(
                name=name,
                source=source,
                base_scenario=base_scenario,
                base_scenario_id=base_scenario_id,
                created_at=_now(),
                state=state,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            return self._sweep_infos(session, row.id)[0]

    def update_sweep(self, sweep_id: int, state: str) -> None:
        """Set a stored sweep's state (:data:`SWEEP_STATES`)."""
        _check_state(state, SWEEP_STATES, "sweep")
        with self._transaction() as session:
            row = session.get(SweepRow, sweep_id)
            if row is None:
                raise NotFoundError("sweep", sweep_id)
            row.state = state
            session.add(row)

    def add_sweep_run(
        self,
        sweep_id: int,
        variant: str,
        seed: int,
        *,
        scenario_id: int | None = None,
        state: str = "queued",
        error: str = "",
    ) -> int:
        """Store one run of a sweep (a variant and a seed); return the run's id.

        Runs come back from :meth:`sweep_runs` in the order they were added.

        Raises
        ------
        NotFoundError
            No such sweep, or ``scenario_id`` names no stored scenario.
        StorageError
            The sweep already has a run of this variant and seed.
        """
        _check_state(state, SWEEP_RUN_STATES, "run")
        try:
            with self._transaction() as session:
                if session.get(SweepRow, sweep_id) is None:
                    raise NotFoundError("sweep", sweep_id)
                if scenario_id is not None and session.get(ScenarioRow, scenario_id) is None:
                    raise NotFoundError("scenario", scenario_id)
                position = session.exec(
                    select(func.count())
                    .select_from(SweepRunRow)
                    .where(col(SweepRunRow.sweep_id) == sweep_id)
                ).one()
                row = SweepRunRow(
                    sweep_id=sweep_id,
                    position=int(position),
                    variant=variant,
                    seed=seed,
                    scenario_id=scenario_id,
                    state=state,
                    error=error,
                )
                session.add(row)
                session.flush()
                assert row.id is not None
                return row.id
        except IntegrityError as error_:
            raise StorageError(
                f"运行 {variant} · 种子{seed} 已在 sweep #{sweep_id} 中",
                f"sweep #{sweep_id} already has a run of variant {variant!r} with seed {seed}",
            ) from error_

    def update_sweep_run(
        self,
        run_id: int,
        state: str,
        *,
        error: str | None = None,
        plan_id: int | None = None,
        solve_seconds: float | None = None,
        wall_seconds: float | None = None,
        overhead_seconds: float | None = None,
    ) -> None:
        """Set a stored run's state, and each other field given (``None`` leaves it as it is)."""
        _check_state(state, SWEEP_RUN_STATES, "run")
        with self._transaction() as session:
            self._update_run(
                session,
                run_id,
                state=state,
                error=error,
                plan_id=plan_id,
                solve_seconds=solve_seconds,
                wall_seconds=wall_seconds,
                overhead_seconds=overhead_seconds,
            )

    def save_sweep_plan(
        self,
        run_id: int,
        scenario_id: int,
        scenario_version: int,
        plan: Plan,
        kpis: Mapping[str, Any],
        label: str = "",
        changes: Sequence[Change] | None = None,
        *,
        solve_seconds: float | None = None,
        wall_seconds: float | None = None,
        overhead_seconds: float | None = None,
    ) -> int:
        """Store a run's checked plan and mark the run done with it, in one transaction.

        What :meth:`save_plan` then :meth:`update_sweep_run` do, except that a run is
        never marked done without its plan nor a plan stored for a run left running.
        The caller makes sure the checker confirmed the plan. Returns the plan id.
        """
        with self._transaction() as session:
            plan_id = self._add_plan(
                session, scenario_id, scenario_version, plan, kpis, label, changes
            )
            self._update_run(
                session,
                run_id,
                state="done",
                error="",
                plan_id=plan_id,
                solve_seconds=solve_seconds,
                wall_seconds=wall_seconds,
                overhead_seconds=overhead_seconds,
            )
            return plan_id

    def list_sweeps(self) -> builtins.list[SweepInfo]:
        """Every stored sweep, newest first."""
        with self._reading() as session:
            return self._sweep_infos(session)

    def sweep_info(self, sweep_id: int) -> SweepInfo:
        """What the list of sweeps shows about one sweep."""
        with self._reading() as session:
            infos = self._sweep_infos(session, sweep_id)
        if not infos:
            raise NotFoundError("sweep", sweep_id)
        return infos[0]

    def sweep_runs(self, sweep_id: int) -> builtins.list[SweepRunInfo]:
        """The runs of a stored sweep, in the order they were added."""
        with self._reading() as session:
            if session.get(SweepRow, sweep_id) is None:
                raise NotFoundError("sweep", sweep_id)
            rows = session.exec(
                select(SweepRunRow)
                .where(col(SweepRunRow.sweep_id) == sweep_id)
                .order_by(col(SweepRunRow.position), col(SweepRunRow.id))
            ).all()
            return [_run_info(row) for row in rows]

    def delete_sweep(self, sweep_id: int) -> None:
        """Delete a stored sweep and its runs; the runs' scenarios and plans stay."""
        with self._transaction() as session:
            deleted = session.exec(
                delete(SweepRow)
                .where(col(SweepRow.id) == sweep_id)
                .execution_options(synchronize_session=False)
            )
            if deleted.rowcount != 1:
                raise NotFoundError("sweep", sweep_id)

    # -- inside a transaction ---------------------------------------------------

    # -- accounts and audit ----------------------------------------------------

    def add_account(self, account: Account, password_hash: str) -> StoredAccount:
        """Store a new account with its (already hashed) password.

        Raises
        ------
        DuplicateAccountError
            An account of that name is already stored.
        """
        row = UserAccountRow(
            name=account.name,
            password_hash=password_hash,
            role=account.role.value,
            bases=list(account.bases),
            disabled=account.disabled,
            created_at=_now(),
        )
        try:
            with self._transaction() as session:
                session.add(row)
        except IntegrityError as error:
            raise DuplicateAccountError(account.name) from error
        return _stored_account(row)

    def account(self, name: str) -> StoredAccount | None:
        """The stored account called ``name``, or ``None``."""
        with self._reading() as session:
            row = session.exec(
                select(UserAccountRow).where(col(UserAccountRow.name) == name)
            ).first()
            return None if row is None else _stored_account(row)

    def list_accounts(self) -> builtins.list[StoredAccount]:
        """Every stored account, by name."""
        with self._reading() as session:
            rows = session.exec(select(UserAccountRow).order_by(col(UserAccountRow.name))).all()
            return [_stored_account(row) for row in rows]

    def update_account(self, account: Account, keep_a_head: bool = False) -> StoredAccount:
        """Replace the role, bases and disabled flag of the stored account of that name.

        ``keep_a_head``: refuse a change that leaves no enabled head. The enabled heads are
        locked first (``FOR UPDATE``), so two heads demoting each other at once cannot
        both succeed.

        Raises
        ------
        NotFoundError
            No account has that name.
        LastHeadError
            ``keep_a_head`` and no other head would be left enabled. Nothing is changed.
        """
        with self._transaction() as session:
            heads = session.exec(
                select(col(UserAccountRow.name))
                .where(
                    col(UserAccountRow.role) == Role.HEAD.value,
                    col(UserAccountRow.disabled).is_(False),
                )
                .with_for_update()
            ).all()
            still_head = account.role is Role.HEAD and not account.disabled
            if keep_a_head and not still_head and set(heads) <= {account.name} and heads:
                raise LastHeadError(account.name)
            changed = session.exec(
                update(UserAccountRow)
                .where(col(UserAccountRow.name) == account.name)
                .values(
                    role=account.role.value,
                    bases=list(account.bases),
                    disabled=account.disabled,
                )
                .execution_options(synchronize_session=False)
            )
            if changed.rowcount != 1:
                raise NotFoundError("account", account.name)
            row = session.exec(
                select(UserAccountRow).where(col(UserAccountRow.name) == account.name)
            ).one()
            return _stored_account(row)

    def set_password(self, name: str, password_hash: str) -> None:
        """Replace the password hash of the account called ``name``.

        Raises
        ------
        NotFoundError
            No account has that name.
        """
        with self._transaction() as session:
            changed = session.exec(
                update(UserAccountRow)
                .where(col(UserAccountRow.name) == name)
                .values(password_hash=password_hash)
                .execution_options(synchronize_session=False)
            )
            if changed.rowcount != 1:
                raise NotFoundError("account", name)

    def add_audit(
        self,
        user_name: str,
        action: Action,
        ok: bool,
        *,
        scenario_id: int | None = None,
        scenario_version: int | None = None,
        plan_id: int | None = None,
        detail: str = "",
    ) -> AuditEvent:
        """Record one audited action, now."""
        note = AuditNote(user_name, action, scenario_id, scenario_version, plan_id, detail)
        return self._write_audit(_audit_row(note, ok))

    def _write_audit(self, row: AuditEventRow) -> AuditEvent:
        """Store one audit row in a transaction of its own (no audited action's row)."""
        token = _ACTING.set(None)
        try:
            with self._transaction() as session:
                session.add(row)
        finally:
            _ACTING.reset(token)
        return _audit_event(row)

    def failed_logins(self, name: str, since: dt.datetime) -> int:
        """Failed logins to ``name`` since ``since`` and after its latest successful one."""
        with self._reading() as session:
            last_ok = session.exec(
                select(func.max(col(AuditEventRow.at))).where(
                    col(AuditEventRow.user_name) == name,
                    col(AuditEventRow.action) == Action.LOGIN.value,
                    col(AuditEventRow.ok),
                )
            ).one()
            start = _aware(since) if last_ok is None else max(_aware(since), _aware(last_ok))
            count = session.exec(
                select(func.count()).where(
                    col(AuditEventRow.user_name) == name,
                    col(AuditEventRow.action) == Action.LOGIN.value,
                    col(AuditEventRow.ok).is_(False),
                    col(AuditEventRow.at) > start,
                )
            ).one()
            return int(count)

    def audit_events(
        self,
        *,
        user: str | None = None,
        action: Action | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> builtins.list[AuditEvent]:
        """The audit trail, oldest first, filtered by user, action and ``since <= at < until``."""
        query = select(AuditEventRow)
        if user is not None:
            query = query.where(col(AuditEventRow.user_name) == user)
        if action is not None:
            query = query.where(col(AuditEventRow.action) == action.value)
        if since is not None:
            query = query.where(col(AuditEventRow.at) >= _aware(since))
        if until is not None:
            query = query.where(col(AuditEventRow.at) < _aware(until))
        with self._reading() as session:
            rows = session.exec(query.order_by(col(AuditEventRow.at), col(AuditEventRow.id))).all()
            return [_audit_event(row) for row in rows]

    def _update_run(self, session: Session, run_id: int, **fields: Any) -> None:
        """Set the run's fields that are not ``None``."""
        row = session.get(SweepRunRow, run_id)
        if row is None:
            raise NotFoundError("sweep run", run_id)
        for name, value in fields.items():
            if value is not None:
                setattr(row, name, value)
        session.add(row)

    def _sweep_infos(
        self, session: Session, sweep_id: int | None = None
    ) -> builtins.list[SweepInfo]:
        """Sweep infos with their run counts, newest first; only ``sweep_id`` if given."""
        runs = (
            select(
                col(SweepRunRow.sweep_id),
                func.count().label("runs"),
                func.sum(case((col(SweepRunRow.state) == "done", 1), else_=0)).label("done"),
                func.sum(case((col(SweepRunRow.state) == "failed", 1), else_=0)).label("failed"),
            )
            .group_by(col(SweepRunRow.sweep_id))
            .subquery()
        )
        query = (
            select(
                SweepRow,
                func.coalesce(runs.c.runs, 0),
                func.coalesce(runs.c.done, 0),
                func.coalesce(runs.c.failed, 0),
            )
            .outerjoin(runs, runs.c.sweep_id == SweepRow.id)
            .order_by(col(SweepRow.id).desc())
        )
        if sweep_id is not None:
            query = query.where(col(SweepRow.id) == sweep_id)
        return [
            SweepInfo(
                sweep_id=row.id or 0,
                name=row.name,
                source=row.source,
                base_scenario=row.base_scenario,
                base_scenario_id=row.base_scenario_id,
                created_at=_aware(row.created_at),
                state=row.state,
                run_count=int(count),
                done_count=int(done),
                failed_count=int(failed),
            )
            for row, count, done, failed in session.exec(query).all()
        ]

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
        _learn(scenario_id=row.id, scenario_version=1)
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
        _learn(scenario_id=scenario_id, scenario_version=expected_version + 1)
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
        _learn(scenario_id=scenario_id, scenario_version=scenario_version, plan_id=row.id)
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


def _check_state(state: str, states: Sequence[str], what: str) -> None:
    if state not in states:
        raise ValueError(f"{what} state {state!r} is none of {', '.join(states)}")


def _stored_account(row: UserAccountRow) -> StoredAccount:
    account = Account(
        name=row.name, role=Role(row.role), bases=tuple(row.bases), disabled=row.disabled
    )
    return StoredAccount(account, row.password_hash, _aware(row.created_at))


def _audit_event(row: AuditEventRow) -> AuditEvent:
    assert row.id is not None
    return AuditEvent(
        event_id=row.id,
        at=_aware(row.at),
        user_name=row.user_name,
        action=Action(row.action),
        ok=row.ok,
        scenario_id=row.scenario_id,
        scenario_version=row.scenario_version,
        plan_id=row.plan_id,
        detail=row.detail,
    )


def _run_info(row: SweepRunRow) -> SweepRunInfo:
    assert row.id is not None
    return SweepRunInfo(
        run_id=row.id,
        sweep_id=row.sweep_id,
        position=row.position,
        variant=row.variant,
        seed=row.seed,
        scenario_id=row.scenario_id,
        plan_id=row.plan_id,
        state=row.state,
        error=row.error,
        solve_seconds=row.solve_seconds,
        wall_seconds=row.wall_seconds,
        overhead_seconds=row.overhead_seconds,
    )


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
