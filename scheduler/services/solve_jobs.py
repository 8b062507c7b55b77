"""Solves that run in the background, so the app stays responsive while the solver works.

A :class:`SolveJob` runs :func:`scheduler.services.planning.plan_scenario` on a daemon
thread. The page reads its progress (one point per improving plan), may stop
it (the solver then returns the best plan so far, checked as always) and,
when it ends, saves its plan once with :func:`save_job_plan` — only a plan
the checker confirmed.

Streamlit reruns the page script on every click, so jobs live in a
module-level registry keyed by what the page chooses (the scenario id):
:func:`start_job` and :func:`job_for`. The app starts a solve as its user with
:func:`start_solve`: the solve is theirs (others see who runs it, and only they or a
head may stop it), and its one ``solve`` row in the audit trail is theirs too, written
with the stored plan by whichever session saves it, or failed when the solve ends
without a checked plan.

>>> job = start_job(7, scenario, scenario_id=7, version=3, time_limit=30)  # doctest: +SKIP
>>> job.latest()                                                          # doctest: +SKIP
Progress(elapsed=1.2, objective=1250.0, bound=1292.0, phase=<Phase.PRIORITY: 'priority'>)
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any

from scheduler.domain import figures
from scheduler.domain.accounts import Account, Action, AuditNote, first_line, joined
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.services.background import BackgroundJob, JobRegistry, owner_words, start_owned
from solver.result import Phase, Progress

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from scheduler.services.planning import PlanOutcome
    from scheduler.storage import ScenarioStore

__all__ = [
    "SolveJob",
    "default_time_limit",
    "forget_job",
    "job_for",
    "kpi_line",
    "progress_line",
    "save_job_plan",
    "start_job",
    "start_solve",
]

MONTH_TITLES = 200
"""From this many titles (or a horizon of four weeks) a scenario is month-size."""

STATUS_ZH = {"optimal": "最优", "feasible": "可行", "infeasible": "无解", "error": "出错"}


def default_time_limit(scenario: Scenario) -> int:
    """Seconds a solve gets unless the user says otherwise: 60 when month-size, else 30."""
    month_size = len(scenario.titles) >= MONTH_TITLES or scenario.days >= 28
    return 60 if month_size else 30


class SolveJob(BackgroundJob["PlanOutcome"]):
    """One solve of a scenario on a background thread.

    Parameters
    ----------
    scenario
        The validated scenario to plan.
    scenario_id, version
        Where it is stored and which version it is: the saved plan records them.
    time_limit, seed, workers, reference, published
        Passed to :func:`scheduler.services.planning.plan_scenario` (``reference``: an
        earlier plan to revise, keeping what still works; ``published``: its titles
        sent out, never moved unless broken, see :mod:`scheduler.services.publishing`).

    Every property may be read from any thread while the solve runs.
    """

    name = "solve"
    label = "排期 solve"

    def __init__(
        self,
        scenario: Scenario,
        *,
        scenario_id: int | None = None,
        version: int | None = None,
        time_limit: float = 30.0,
        seed: int = 0,
        workers: int = 2,
        reference: Plan | None = None,
        published: frozenset[str] = frozenset(),
        detail: str = "",
    ) -> None:
        super().__init__()
        self.detail = detail
        """What the solve's audit row says about it (e.g. ``修改 revised · 30s``)."""
        self.reference = reference
        self.published = published
        self.scenario = scenario
        self.scenario_id = scenario_id
        self.version = version
        self.time_limit = time_limit
        self.seed = seed
        self.workers = workers
        self.total_priority = sum(title.priority for title in scenario.titles)
        self._stop = threading.Event()
        self._points: list[Progress] = []
        self._saved_plan_id: int | None = None
        self._settled = False  # its audit row written (or it has no owner to write one for)
        self._save_error: Exception | None = None  # why storing its plan failed, once
        self._keep: tuple[ScenarioStore, Callable[[SolveJob], str]] | None = None

    def keep_when_done(self, store: ScenarioStore, label: Callable[[SolveJob], str]) -> None:
        """Store the plan (and write the solve's row) on the job's own thread when it ends.

        So a solve is stored and audited even when no page is open to see it end;
        ``label`` names the plan from the ended job (e.g. whether it was stopped).
        Set before :meth:`start`.
        """
        self._keep = (store, label)

    def settle(self) -> None:
        if self._keep is None or self.scenario_id is None or self.version is None:
            return
        store, label = self._keep
        try:
            save_job_plan(self, store, label(self))
        except Exception:  # kept in the job: the page says it when it asks for the plan
            log.exception("solve %d: storing its plan failed", self.job_id)

    def stop(self) -> None:
        """Ask the solver to stop; it returns the best plan so far (checked) shortly after."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stop.is_set()

    @property
    def outcome(self) -> PlanOutcome | None:
        """The checked plan and KPIs, once the solve has ended without an exception."""
        return self.result

    @property
    def saved_plan_id(self) -> int | None:
        """Id of the stored plan, once :func:`save_job_plan` saved it."""
        with self._lock:
            return self._saved_plan_id

    def progress(self) -> list[Progress]:
        """Every improving plan reported so far, oldest first (a copy)."""
        with self._lock:
            return list(self._points)

    def latest(self) -> Progress | None:
        """The newest progress point, or None before the first plan."""
        with self._lock:
            return self._points[-1] if self._points else None

    def _on_progress(self, progress: Progress) -> None:
        """The solver's progress callback (called from its threads)."""
        with self._lock:
            self._points.append(progress)

    def work(self) -> PlanOutcome:
        from scheduler.services.planning import plan_scenario

        return plan_scenario(
            self.scenario,
            time_limit=self.time_limit,
            seed=self.seed,
            workers=self.workers,
            progress=self._on_progress,
            stop=self._stop,
            reference=self.reference,
            published=self.published,
        )


def save_job_plan(job: SolveJob, store: ScenarioStore, label: str = "") -> int | None:
    """Store the job's plan once, if the checker confirmed it; its plan id, else None.

    A re-plan's change list (变更单) is stored with its plan, in the same transaction.
    Later calls (other reruns, other sessions) return the same id without storing
    again. Nothing is stored while the job runs, after an error or for an unchecked
    plan (the guard of :func:`scheduler.services.planning.save_outcome`).

    A solve with an owner (:func:`start_solve`) leaves exactly one ``solve`` row, the
    owner's whichever session calls this first once it has ended: in the transaction of
    its stored plan (naming the plan), or failed when it ended with an error or a plan
    the checker rejected, or when the database refused the plan.

    Raises
    ------
    ValueError
        The job was made without a ``scenario_id`` and ``version``.
    scheduler.storage.StorageError
        The database refused (e.g. the scenario was deleted meanwhile); later calls
        raise the same error without trying again.
    """
    if job.scenario_id is None or job.version is None:
        raise ValueError("the job has no scenario_id and version to save its plan under")
    with job._lock:  # one save, however many reruns ask at once
        if job._saved_plan_id is not None:
            return job._saved_plan_id
        if job._save_error is not None:
            raise job._save_error
        if not job._done.is_set():
            return None  # still running: nothing to save or record yet
        note = _solve_note(job)
        outcome = job._result
        if outcome is None or not outcome.ok:
            if note is not None and not job._settled:
                job._settled = True
                note.detail = joined(note.detail, _failure(job))
                store.add_audit(
                    note.user_name,
                    Action.SOLVE,
                    False,
                    scenario_id=note.scenario_id,
                    scenario_version=note.scenario_version,
                    detail=note.detail,
                )
            return None
        # outcome.ok is save_outcome's guard: only the plan the checker confirmed
        try:
            if note is None:
                plan_id = _store_plan(job, store, outcome, label)
            else:
                with store.audited(note):  # the owner's row, in the plan's transaction
                    plan_id = _store_plan(job, store, outcome, label)
        except Exception as error:
            job._settled = True
            job._save_error = error
            raise
        job._settled = True
        job._saved_plan_id = plan_id
        return plan_id


def _store_plan(job: SolveJob, store: ScenarioStore, outcome: PlanOutcome, label: str) -> int:
    assert job.scenario_id is not None and job.version is not None
    return store.save_plan(
        job.scenario_id,
        job.version,
        outcome.plan,
        outcome.kpis,
        label,
        changes=None if job.reference is None else outcome.changes,
    )


def _solve_note(job: SolveJob) -> AuditNote | None:
    """The owner's ``solve`` row for the job, or None for a job without an owner."""
    if job.owner is None:
        return None
    stopped = "已停止 stopped" if job.stopping else ""
    return AuditNote(
        job.owner.name,
        Action.SOLVE,
        scenario_id=job.scenario_id,
        scenario_version=job.version,
        detail=joined(job.detail, stopped, between=" · "),
    )


def _failure(job: SolveJob) -> str:
    """Why a finished solve stored no plan, for its failed audit row."""
    if job._error is not None:
        return f"排期出错 the solve failed: {first_line(job._error)}"
    outcome = job._result
    status = "" if outcome is None else f"（{outcome.status.value}）"
    return f"方案未通过独立检查 the checker rejected the plan{status}"


# -- the registry ----------------------------------------------------------------

_registry: JobRegistry[SolveJob] = JobRegistry("a solve")


def start_job(key: Hashable, scenario: Scenario, **options: Any) -> SolveJob:
    """Start a solve of ``scenario`` kept under ``key``; ``options`` go to :class:`SolveJob`.

    Raises
    ------
    RuntimeError
        A job under ``key`` is still running (stop it or wait).
    """
    return _registry.start(key, lambda: SolveJob(scenario, **options))


def start_solve(
    store: ScenarioStore,
    account: Account,
    key: Hashable,
    scenario: Scenario,
    label: Callable[[SolveJob], str] | None = None,
    **options: Any,
) -> SolveJob:
    """Start a solve as ``account``, kept under ``key``: it is theirs, and audited.

    ``label``: when given, the job stores its checked plan under this name on its own
    thread as soon as it ends (:meth:`SolveJob.keep_when_done`), whether or not a page
    is open to see it.

    ``options`` go to :class:`SolveJob` (``scenario_id`` and ``version`` are needed to
    save its plan). A refused role or a solve already running under ``key`` leaves a
    failed ``solve`` row and starts nothing; otherwise :func:`save_job_plan` writes the
    solve's row, the owner's, once it has ended.

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not solve.
    RuntimeError
        A job under ``key`` is still running (stop it or wait).
    """
    return start_owned(
        _registry,
        key,
        lambda: _solve_job(store, scenario, label, options),
        store,
        account,
        scenario_id=options.get("scenario_id"),
        scenario_version=options.get("version"),
        detail=str(options.get("detail", "")),
        recorded_by_job=False,
    )


def _solve_job(
    store: ScenarioStore,
    scenario: Scenario,
    label: Callable[[SolveJob], str] | None,
    options: dict[str, Any],
) -> SolveJob:
    job = SolveJob(scenario, **options)
    if label is not None:
        job.keep_when_done(store, label)
    return job


def job_for(key: Hashable) -> SolveJob | None:
    """The latest job started under ``key`` (running or ended), or None."""
    return _registry.latest(key)


def forget_job(key: Hashable | None = None) -> None:
    """Drop the job under ``key`` (every job when None), stopping it if it runs."""
    _registry.forget(key)


# -- words for the page ----------------------------------------------------------


def progress_line(job: SolveJob) -> str:
    """The live progress line: elapsed seconds, objective and bound, who started it."""
    point = job.latest()
    head = f"用时 {job.elapsed:.0f} / {job.time_limit:g} 秒 s"
    owner = f" · {words}" if (words := owner_words(job)) else ""
    if point is None:
        return f"{head} · 建模求解中，尚无方案 / building and searching, no plan yet{owner}"
    bound = "–" if math.isnan(point.bound) else f"{point.bound:,.0f}"
    if point.phase is Phase.COST:
        return (
            f"{head} · 降成本 cost phase：成本 cost ¥{point.objective:,.0f}"
            f"（下界 bound ¥{bound}）{owner}"
        )
    return f"{head} · 优先级合计 Σ priority {point.objective:,.0f}（上界 bound {bound}）{owner}"


def kpi_line(kpis: Mapping[str, Any]) -> str:
    """One line summing up a plan's KPIs for a producer, Chinese first."""
    status = str(kpis.get("status", ""))
    scheduled = kpis.get("scheduled_titles", 0)
    total = scheduled + kpis.get("unscheduled_titles", 0)
    bound = kpis.get("priority_bound")
    shown_bound = "–" if bound is None else f"{bound}"
    proven = kpis.get("priority_proven_seconds")
    at = "" if proven is None else f"{proven:.{2 if proven < 1 else 1}f} s"
    proof = at and f"，已证最优于 {at} proven optimal at {at}"
    parallel = kpis.get("parallel_shoots", {})
    target = kpis.get("targets", {}).get("parallel_shoots_per_day")
    parts = [
        f"状态 {STATUS_ZH.get(status, status)} {status}",
        f"已排 scheduled {scheduled}/{total} 部",
        f"优先级 priority {kpis.get('priority_scheduled', 0)}（上界 bound {shown_bound}{proof}）",
        f"成本 cost ¥{kpis.get('cost', 0):,}",
        f"日均并行 parallel/day {parallel.get('mean', 0):.1f}"
        + (f"（目标 target {target}）" if target is not None else ""),
        f"每30天剧目 titles/30 days {figures.titles(kpis.get('titles_per_30_days', 0))}",
        f"场景利用率 set use {figures.percent(kpis.get('set_utilisation', 0))}",
    ]
    return " · ".join(parts)
