"""Solves that run in the background, so the app stays responsive while the solver works.

A :class:`SolveJob` runs :func:`scheduler.services.planning.plan_scenario` on a daemon
thread. The page reads its progress (one point per improving plan), may stop
it (the solver then returns the best plan so far, checked as always) and,
when it ends, saves its plan once with :func:`save_job_plan` — only a plan
the checker confirmed.

Streamlit reruns the page script on every click, so jobs live in a
module-level registry keyed by what the page chooses (the scenario id):
:func:`start_job` and :func:`job_for`.

>>> job = start_job(7, scenario, scenario_id=7, version=3, time_limit=30)  # doctest: +SKIP
>>> job.latest()                                                          # doctest: +SKIP
Progress(elapsed=1.2, objective=1250.0, bound=1292.0, phase=<Phase.PRIORITY: 'priority'>)
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from solver.result import Phase, Progress

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
]

MONTH_TITLES = 200
"""From this many titles (or a horizon of four weeks) a scenario is month-size."""

STATUS_ZH = {"optimal": "最优", "feasible": "可行", "infeasible": "无解", "error": "出错"}


def default_time_limit(scenario: Scenario) -> int:
    """Seconds a solve gets unless the user says otherwise: 60 when month-size, else 30."""
    month_size = len(scenario.titles) >= MONTH_TITLES or scenario.days >= 28
    return 60 if month_size else 30


_job_ids = itertools.count(1)


class SolveJob:
    """One solve of a scenario on a background thread.

    Parameters
    ----------
    scenario
        The validated scenario to plan.
    scenario_id, version
        Where it is stored and which version it is: the saved plan records them.
    time_limit, seed, workers, reference
        Passed to :func:`scheduler.services.planning.plan_scenario` (``reference``: an
        earlier plan to revise, keeping what still works).

    Every property may be read from any thread while the solve runs.
    """

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
    ) -> None:
        self.job_id = next(_job_ids)
        self.reference = reference
        self.scenario = scenario
        self.scenario_id = scenario_id
        self.version = version
        self.time_limit = time_limit
        self.seed = seed
        self.workers = workers
        self.total_priority = sum(title.priority for title in scenario.titles)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._points: list[Progress] = []
        self._outcome: PlanOutcome | None = None
        self._error: str | None = None
        self._saved_plan_id: int | None = None
        self._started: float | None = None
        self._ended: float | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"shootplan-solve-{self.job_id}", daemon=True
        )

    # -- control ---------------------------------------------------------------

    def start(self) -> SolveJob:
        """Start the solve; return the job."""
        self._started = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the solver to stop; it returns the best plan so far (checked) shortly after."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the solve ends (at most ``timeout`` seconds); whether it has ended."""
        return self._done.wait(timeout)

    # -- state -----------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the solve has started and not yet ended."""
        return self._started is not None and not self._done.is_set()

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stop.is_set()

    @property
    def elapsed(self) -> float:
        """Seconds since the start (until the end, once ended)."""
        if self._started is None:
            return 0.0
        end = self._ended if self._ended is not None else time.monotonic()
        return end - self._started

    @property
    def outcome(self) -> PlanOutcome | None:
        """The checked plan and KPIs, once the solve has ended without an exception."""
        with self._lock:
            return self._outcome

    @property
    def error(self) -> str | None:
        """What went wrong, when the solve raised instead of returning."""
        with self._lock:
            return self._error

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

    # -- the thread ------------------------------------------------------------

    def _on_progress(self, progress: Progress) -> None:
        """The solver's progress callback (called from its threads)."""
        with self._lock:
            self._points.append(progress)

    def _run(self) -> None:
        from scheduler.services.planning import plan_scenario

        try:
            outcome = plan_scenario(
                self.scenario,
                time_limit=self.time_limit,
                seed=self.seed,
                workers=self.workers,
                progress=self._on_progress,
                stop=self._stop,
                reference=self.reference,
            )
        except Exception as error:  # shown on the page; the app itself keeps running
            with self._lock:
                self._error = f"{type(error).__name__}: {error}"
        else:
            with self._lock:
                self._outcome = outcome
        finally:
            self._ended = time.monotonic()
            self._done.set()


def save_job_plan(job: SolveJob, store: ScenarioStore, label: str = "") -> int | None:
    """Store the job's plan once, if the checker confirmed it; its plan id, else None.

    Later calls (other reruns, other sessions) return the same id without
    storing again. Nothing is stored while the job runs, after an error or
    for an unchecked plan (see :func:`scheduler.services.planning.save_outcome`).

    Raises
    ------
    ValueError
        The job was made without a ``scenario_id`` and ``version``.
    scheduler.storage.StorageError
        The database refused (e.g. the scenario was deleted meanwhile).
    """
    from scheduler.services.planning import save_outcome

    if job.scenario_id is None or job.version is None:
        raise ValueError("the job has no scenario_id and version to save its plan under")
    with job._lock:  # one save, however many reruns ask at once
        if job._saved_plan_id is not None:
            return job._saved_plan_id
        outcome = job._outcome
        if outcome is None or not outcome.ok:
            return None
        plan_id = save_outcome(store, job.scenario_id, job.version, outcome, label)
        job._saved_plan_id = plan_id
        return plan_id


# -- the registry ----------------------------------------------------------------

_jobs: dict[Hashable, SolveJob] = {}
_jobs_lock = threading.Lock()


def start_job(key: Hashable, scenario: Scenario, **options: Any) -> SolveJob:
    """Start a solve of ``scenario`` kept under ``key``; ``options`` go to :class:`SolveJob`.

    Raises
    ------
    RuntimeError
        A job under ``key`` is still running (stop it or wait).
    """
    with _jobs_lock:
        previous = _jobs.get(key)
        if previous is not None and previous.running:
            raise RuntimeError(f"a solve under {key!r} is still running")
        job = SolveJob(scenario, **options)
        _jobs[key] = job
    return job.start()


def job_for(key: Hashable) -> SolveJob | None:
    """The latest job started under ``key`` (running or ended), or None."""
    with _jobs_lock:
        return _jobs.get(key)


def forget_job(key: Hashable | None = None) -> None:
    """Drop the job under ``key`` (every job when None), stopping it if it runs."""
    with _jobs_lock:
        keys = list(_jobs) if key is None else [key]
        for each in keys:
            job = _jobs.pop(each, None)
            if job is not None:
                job.stop()


# -- words for the page ----------------------------------------------------------


def progress_line(job: SolveJob) -> str:
    """The live progress line: elapsed seconds, objective and bound, Chinese first."""
    point = job.latest()
    head = f"用时 {job.elapsed:.0f} / {job.time_limit:g} 秒 s"
    if point is None:
        return f"{head} · 建模求解中，尚无方案 / building and searching, no plan yet"
    bound = "–" if math.isnan(point.bound) else f"{point.bound:,.0f}"
    if point.phase is Phase.COST:
        return (
            f"{head} · 降成本 cost phase：成本 cost ¥{point.objective:,.0f}（下界 bound ¥{bound}）"
        )
    return f"{head} · 优先级合计 Σ priority {point.objective:,.0f}（上界 bound {bound}）"


def kpi_line(kpis: Mapping[str, Any]) -> str:
    """One line summing up a plan's KPIs for a producer, Chinese first."""
    status = str(kpis.get("status", ""))
    scheduled = kpis.get("scheduled_titles", 0)
    total = scheduled + kpis.get("unscheduled_titles", 0)
    bound = kpis.get("priority_bound")
    shown_bound = "–" if bound is None else f"{bound}"
    parallel = kpis.get("parallel_shoots", {})
    target = kpis.get("targets", {}).get("parallel_shoots_per_day")
    parts = [
        f"状态 {STATUS_ZH.get(status, status)} {status}",
        f"已排 scheduled {scheduled}/{total} 部",
        f"优先级 priority {kpis.get('priority_scheduled', 0)}（上界 bound {shown_bound}）",
        f"成本 cost ¥{kpis.get('cost', 0):,}",
        f"日均并行 parallel/day {parallel.get('mean', 0):.1f}"
        + (f"（目标 target {target}）" if target is not None else ""),
        f"月产 titles/30 days {kpis.get('titles_per_30_days', 0):g}",
        f"场景利用率 set use {kpis.get('set_utilisation', 0):.0%}",
    ]
    return " · ".join(parts)
