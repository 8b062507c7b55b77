"""Sweeps that run in the background, so the app stays responsive while Ray plans the runs.

A :class:`SweepJob` runs :func:`scheduler.services.sweeps.run_sweep` on a daemon
thread. The page reads every run as it stands (:meth:`SweepJob.runs`: queued,
running, done with its KPIs, failed with its error, stopped), a one-line
summary (:meth:`SweepJob.progress_line`), and may stop it: runs still with Ray
are cancelled, queued ones never start, and the finished ones stay stored.
When the job ends, :attr:`SweepJob.result` is the
:class:`~scheduler.services.sweeps.SweepResult`; with a store, every finished
run is already a stored plan (``kpis["sweep"]`` names its variant and seed)
and :attr:`SweepJob.sweep_id` the stored sweep.

Streamlit reruns the page script on every click, so jobs live in a module-level
registry keyed by what the page chooses (e.g. the base scenario's id):
:func:`start_sweep_job`, :func:`sweep_job_for` and :func:`forget_sweep_job`. The app
runs a sweep as its user with :func:`start_sweep`: checked, one ``solve`` row in the
audit trail (in the transaction that stores the sweep; failed if it never got that
far), and the progress line names them; only they or a head may stop it
(:func:`scheduler.services.background.stop_job`).

>>> job = start_sweep_job(7, sweep, scenario, store=store)   # doctest: +SKIP
>>> job.progress_line()                                      # doctest: +SKIP
'运行 6 次 runs：完成 2 · 运行中 2 · 排队 2 · 失败 0 · 已停止 0 · 用时 41 s'
>>> job.stop()                                               # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from scheduler.domain.accounts import Account
from scheduler.domain.model import Scenario
from scheduler.domain.sweep import Sweep, expand
from scheduler.services.background import BackgroundJob, JobRegistry, owner_words, start_owned
from scheduler.services.sweeps import RunReport, RunState, SweepResult, run_sweep

if TYPE_CHECKING:
    from scheduler.storage import ScenarioStore

__all__ = [
    "SweepJob",
    "forget_sweep_job",
    "start_sweep",
    "start_sweep_job",
    "sweep_job_for",
]


class SweepJob(BackgroundJob[SweepResult]):
    """One sweep on a background thread; every method may be called from any thread.

    Parameters
    ----------
    sweep
        The sweep to run (its runs: :func:`~scheduler.domain.sweep.expand`).
    scenario
        The base scenario (validated) its variants change.
    store, source, base_scenario_id, address
        Passed to :func:`~scheduler.services.sweeps.run_sweep`: where to store the sweep
        and its runs (``None``: nowhere), the sweep's TOML text, the stored base
        scenario's id, and a Ray cluster to join (default: ``RAY_ADDRESS``, else Ray
        on this machine).
    """

    name = "sweep"
    label = "批量推演 sweep"

    def __init__(
        self,
        sweep: Sweep,
        scenario: Scenario,
        *,
        store: ScenarioStore | None = None,
        source: str = "",
        base_scenario_id: int | None = None,
        address: str | None = None,
    ) -> None:
        super().__init__()
        self.sweep = sweep
        self.scenario = scenario
        self.store = store
        self.source = source
        self.base_scenario_id = base_scenario_id
        self.address = address
        self._stop = threading.Event()
        reference = sweep.reference_variant.name
        self._runs: dict[str, RunReport] = {
            run.key: RunReport(
                run.variant.name,
                run.seed,
                RunState.QUEUED,
                reference=run.variant.name == reference,
                revises=run.revises,
            )
            for run in expand(sweep)
        }
        self._sweep_id: int | None = None

    def stop(self) -> None:
        """Stop the sweep: cancel the runs with Ray, never start the queued ones."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stop.is_set()

    @property
    def sweep_id(self) -> int | None:
        """The stored sweep's id, once stored (``None`` without a store)."""
        with self._lock:
            return self._sweep_id

    def runs(self) -> list[RunReport]:
        """Every run as it stands, in the sweep's order (reference variant first)."""
        with self._lock:
            return list(self._runs.values())

    def counts(self) -> dict[RunState, int]:
        """How many runs are in each state."""
        counts = dict.fromkeys(RunState, 0)
        for run in self.runs():
            counts[run.state] += 1
        return counts

    def progress_line(self) -> str:
        """The live progress line: runs by state and the seconds so far, Chinese first."""
        counts = self.counts()
        total = sum(counts.values())
        parts = [f"{state.words.split()[0]} {counts[state]}" for state in RunState]
        head = f"运行 {total} 次 runs：" + " · ".join(parts) + f" · 用时 {self.elapsed:.0f} s"
        if self.stopping and self.running:
            head += " · 正在停止 stopping"
        if words := owner_words(self):
            head += f" · {words}"
        return head

    def _on_progress(self, report: RunReport) -> None:
        """The sweep's progress callback (called from the job's thread)."""
        with self._lock:
            self._runs[report.key] = report
            if report.sweep_id is not None:
                self._sweep_id = report.sweep_id

    def work(self) -> SweepResult:
        result = run_sweep(
            self.sweep,
            self.scenario,
            store=self.store,
            source=self.source,
            base_scenario_id=self.base_scenario_id,
            progress=self._on_progress,
            stop=self._stop,
            address=self.address,
        )
        with self._lock:
            self._runs = {run.key: run for run in result.runs}
            self._sweep_id = result.sweep_id
        return result


# -- the registry ----------------------------------------------------------------

_registry: JobRegistry[SweepJob] = JobRegistry("a sweep", kept=20)


def start_sweep_job(key: Hashable, sweep: Sweep, scenario: Scenario, **options: Any) -> SweepJob:
    """Start a sweep of ``scenario`` kept under ``key``; ``options`` go to :class:`SweepJob`.

    Raises
    ------
    RuntimeError
        A sweep under ``key`` is still running (stop it or wait).
    """
    return _registry.start(key, lambda: SweepJob(sweep, scenario, **options))


def start_sweep(
    store: ScenarioStore,
    account: Account,
    key: Hashable,
    sweep: Sweep,
    scenario: Scenario,
    *,
    connect: Callable[[], object] | None = None,
    **options: Any,
) -> SweepJob:
    """Start a sweep as ``account``, kept under ``key`` and stored in ``store``: one ``solve`` row.

    ``connect()`` (e.g. starting Ray on a thread that outlives the sweep) runs after the
    role check; ``options`` go to :class:`SweepJob`. The row, naming the sweep and its
    runs, is stored with the sweep (failed if the sweep raised before it was stored); a
    refused role, ``connect`` raising or a sweep already running under ``key`` leaves a
    failed row and starts nothing.

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not solve.
    scheduler.services.sweeps.SweepError
        ``connect()`` could not reach Ray.
    RuntimeError
        A sweep under ``key`` is still running (stop it or wait).
    """
    runs = len(expand(sweep))
    return start_owned(
        _registry,
        key,
        lambda: SweepJob(sweep, scenario, store=store, **options),
        store,
        account,
        scenario_id=options.get("base_scenario_id"),
        detail=f"{SweepJob.label}「{sweep.name}」{runs} 次 runs",
        before=connect,
    )


def sweep_job_for(key: Hashable) -> SweepJob | None:
    """The latest sweep started under ``key`` (running or ended), or None."""
    return _registry.latest(key)


def forget_sweep_job(key: Hashable | None = None) -> None:
    """Drop the sweep under ``key`` (every sweep when None), stopping it if it runs."""
    _registry.forget(key)
