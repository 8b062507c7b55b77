"""Work that runs in the background while the app stays responsive: jobs and their registry.

A :class:`BackgroundJob` runs its :meth:`~BackgroundJob.work` on a daemon thread; the
page polls it (``running``, ``elapsed``) and shows its result or what went wrong.
Streamlit reruns the page script on every click, so jobs live in a module-level
:class:`JobRegistry` keyed by what the page chooses (a scenario id, or id and
version): one job per key at a time, and the last job that ended with a result,
kept while a newer one runs or after it failed. Solves
(:mod:`scheduler.services.solve_jobs`) and capacity reports
(:mod:`scheduler.services.capacity_jobs`) are both such jobs.

A job started from the app belongs to the user who started it (:func:`start_owned`):
its :attr:`~BackgroundJob.owner` is named on every page that shows it
(:func:`owner_words`), only the owner or a head may stop it (:func:`stop_job`), and
starting and stopping are checked and audited like every other action.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from scheduler.domain.accounts import (
    ROLE_LABELS,
    Account,
    Action,
    AuditNote,
    Role,
    first_line,
    joined,
    may,
)
from scheduler.services.accounts import ACTION_LABELS, NotPermittedError, acting

if TYPE_CHECKING:
    from scheduler.storage import ScenarioStore

__all__ = [
    "BackgroundJob",
    "JobRegistry",
    "NotOwnerError",
    "may_stop",
    "owner_words",
    "start_owned",
    "stop_job",
    "stop_refusal",
]

log = logging.getLogger(__name__)

Result = TypeVar("Result")
Job = TypeVar("Job", bound="BackgroundJob[Any]")

_job_ids = itertools.count(1)


class BackgroundJob(Generic[Result]):
    """One piece of work on a daemon thread; every property may be read from any thread.

    Subclasses say what the work is in :meth:`work`; an exception it raises is
    kept as :attr:`error` (and logged), never lost, and the app keeps running.
    """

    name = "job"
    """What the thread is called (``shootplan-<name>-<id>``) and the log says."""
    label = "计算 job"
    """What the job is in the audit trail and in messages, Chinese first."""

    owner: Account | None
    """Who started the job (:func:`start_owned`); None for a job started without a user."""

    def __init__(self) -> None:
        self.owner = None
        self._audit: tuple[ScenarioStore, AuditNote] | None = None
        self.job_id = next(_job_ids)
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._result: Result | None = None
        self._error: str | None = None
        self._started: float | None = None
        self._ended: float | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"shootplan-{self.name}-{self.job_id}", daemon=True
        )

    def work(self) -> Result:
        """The work itself, run on the job's thread."""
        raise NotImplementedError

    def start(self) -> Self:
        """Start the work; return the job."""
        self._started = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the work to stop early; work that cannot stop runs out."""

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the work ends (at most ``timeout`` seconds); whether it has ended."""
        return self._done.wait(timeout)

    @property
    def running(self) -> bool:
        """Whether the job has started and not yet ended."""
        return self._started is not None and not self._done.is_set()

    @property
    def elapsed(self) -> float:
        """Seconds since the start (until the end, once ended)."""
        if self._started is None:
            return 0.0
        end = self._ended if self._ended is not None else time.monotonic()
        return end - self._started

    @property
    def result(self) -> Result | None:
        """What the work returned, once it has ended without an exception."""
        with self._lock:
            return self._result

    @property
    def error(self) -> str | None:
        """What went wrong, when the work raised instead of returning."""
        with self._lock:
            return self._error

    def _audited_work(self) -> Result:
        """The work, as one audited action of its owner when :func:`start_owned` said so.

        The row is written with the work's first change, or at its end (failed if it raised).
        """
        if self._audit is None:
            return self.work()
        store, note = self._audit
        with store.audited(note):  # a failed row says why, after what the job was
            return self.work()

    def _run(self) -> None:
        try:
            result = self._audited_work()
        except Exception as error:  # shown on the page; the app itself keeps running
            log.exception("%s %d failed", self.name, self.job_id)
            with self._lock:
                self._error = f"{type(error).__name__}: {error}"
        else:
            with self._lock:
                self._result = result
        finally:
            self._ended = time.monotonic()
            self._done.set()
        self.settle()

    def settle(self) -> None:
        """What the job does on its own thread once it has ended (nothing by default)."""


class JobRegistry(Generic[Job]):
    """The jobs of one kind, by key: at most one running per key.

    Parameters
    ----------
    kind
        What the jobs are, in the error a second start under a running key raises.
    kept
        Keep at most this many keys, dropping those used longest ago (never a
        running job); None keeps them all.
    """

    def __init__(self, kind: str, kept: int | None = None) -> None:
        self.kind = kind
        self.kept = kept
        self._jobs: dict[Hashable, Job] = {}
        self._finished: dict[Hashable, Job] = {}  # the job before _jobs[key], with a result
        self._lock = threading.Lock()

    def start(self, key: Hashable, make: Callable[[], Job]) -> Job:
        """Start the job ``make()`` builds, kept under ``key``.

        Raises
        ------
        RuntimeError
            A job under ``key`` is still running (stop it or wait).
        """
        with self._lock:
            previous = self._jobs.pop(key, None)
            if previous is not None:
                if previous.running:
                    self._jobs[key] = previous
                    raise RuntimeError(
                        f"仍在运行，请先停止或等它结束 / "
                        f"{self.kind} under {key!r} is still running"
                    )
                if previous.result is not None:
                    self._finished[key] = previous
            job = make()
            self._jobs[key] = job  # the newest key last
            self._forget_oldest()
        job.start()
        return job

    def latest(self, key: Hashable) -> Job | None:
        """The latest job started under ``key`` (running or ended), or None."""
        with self._lock:
            return self._jobs.get(key)

    def last_finished(self, key: Hashable) -> Job | None:
        """The newest job under ``key`` that ended with a result, or None."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and not job.running and job.result is not None:
                return job
            return self._finished.get(key)

    def forget(self, key: Hashable | None = None) -> None:
        """Drop the jobs under ``key`` (every key when None), asking a running one to stop."""
        with self._lock:
            keys = list(self._jobs.keys() | self._finished.keys()) if key is None else [key]
            for each in keys:
                self._finished.pop(each, None)
                job = self._jobs.pop(each, None)
                if job is not None:
                    job.stop()

    def _forget_oldest(self) -> None:
        if self.kept is None:
            return
        excess = len(self._jobs) - self.kept
        if excess <= 0:
            return
        for key in [k for k, job in self._jobs.items() if not job.running][:excess]:
            self._jobs.pop(key, None)
            self._finished.pop(key, None)


# -- jobs as their owner's actions -----------------------------------------------


class NotOwnerError(NotPermittedError):
    """Only the job's owner or a head may stop it; nothing was stopped."""

    def __init__(self, account: Account, owner: Account) -> None:
        self.account = account
        self.action = Action.STOP
        self.owner = owner
        PermissionError.__init__(
            self,
            f"无权限：只有发起人 {owner.name} 或{ROLE_LABELS[Role.HEAD]}可以停止 / not permitted: "
            f"only its owner {owner.name} or a head may stop it, not {account.name}",
        )


def owner_words(job: BackgroundJob[Any]) -> str:
    """``由 张三（统筹）发起 / started by 张三 (producer)``; empty for a job without an owner."""
    owner = job.owner
    if owner is None:
        return ""
    role = owner.role
    return f"由 {owner.name}（{ROLE_LABELS[role]}）发起 / started by {owner.name} ({role.value})"


def may_stop(account: Account, job: BackgroundJob[Any]) -> bool:
    """Whether ``account`` may stop ``job``: its role may stop, and it is the owner or a head."""
    if not may(account.role, Action.STOP):
        return False
    owner = job.owner
    return owner is None or owner.name == account.name or account.role is Role.HEAD


def stop_refusal(account: Account, job: BackgroundJob[Any]) -> str | None:
    """Why ``account`` may not stop ``job`` (a button's help text), or None if it may."""
    if may_stop(account, job):
        return None
    if not may(account.role, Action.STOP):
        return f"无权限 not permitted: {account.role.label} · {ACTION_LABELS[Action.STOP]}"
    assert job.owner is not None  # a job without an owner: every role that stops may
    return str(NotOwnerError(account, job.owner))


def _job_words(job: BackgroundJob[Any]) -> str:
    """``排期 solve #3, 由 张三 发起``: what a stop's audit row names."""
    owner = "" if job.owner is None else f", 由 {job.owner.name} 发起 started by {job.owner.name}"
    return f"{job.label} #{job.job_id}{owner}"


def stop_job(
    store: ScenarioStore,
    job: BackgroundJob[Any],
    account: Account,
    *,
    scenario_id: int | None = None,
    scenario_version: int | None = None,
) -> None:
    """Stop ``job`` as ``account``, leaving one ``stop`` row in the audit trail.

    Raises
    ------
    NotPermittedError
        The role may not stop, or (:class:`NotOwnerError`) the account is neither the
        job's owner nor a head. A failed row is recorded and the job runs on.
    """
    detail = _job_words(job)
    with acting(
        store,
        account,
        Action.STOP,
        scenario_id=scenario_id,
        scenario_version=scenario_version,
        detail=detail,
    ):
        if not may_stop(account, job):
            assert job.owner is not None  # may_stop allows every stopping role otherwise
            raise NotOwnerError(account, job.owner)
        job.stop()


def start_owned(
    registry: JobRegistry[Job],
    key: Hashable,
    make: Callable[[], Job],
    store: ScenarioStore,
    account: Account,
    *,
    scenario_id: int | None = None,
    scenario_version: int | None = None,
    detail: str = "",
    recorded_by_job: bool = True,
    before: Callable[[], object] | None = None,
) -> Job:
    """Start the job ``make()`` builds under ``key`` as ``account``'s ``solve``: one audit row.

    The role is checked first: a refusal leaves a failed row and starts nothing.
    ``before()`` (e.g. connecting to Ray) runs next; it or a job already running under
    ``key`` raising leaves a failed row. Otherwise the job's row is written by its own
    thread, with the work's first change or at its end (failed if the work raises), or,
    with ``recorded_by_job=False``, by whoever settles the job (a solve: its saved plan).

    Raises
    ------
    NotPermittedError
        The role may not solve.
    RuntimeError
        A job under ``key`` is still running (stop it or wait).
    """
    note = AuditNote(account.name, Action.SOLVE, scenario_id, scenario_version, None, detail)
    if not may(account.role, Action.SOLVE):
        with acting(
            store,
            account,
            Action.SOLVE,
            scenario_id=scenario_id,
            scenario_version=scenario_version,
            detail=detail,
        ):
            pass  # refused before the block: a failed row, NotPermittedError raised

    def owned() -> Job:
        job = make()
        job.owner = account
        if recorded_by_job:
            job._audit = (store, note)
        return job

    try:
        if before is not None:
            before()
        return registry.start(key, owned)
    except Exception as error:
        store.add_audit(
            account.name,
            Action.SOLVE,
            False,
            scenario_id=scenario_id,
            scenario_version=scenario_version,
            detail=joined(detail, first_line(error)),
        )
        raise
