"""Pooling comparisons run in the background, so the app stays responsive meanwhile.

A :class:`PoolingJob` runs :func:`scheduler.services.pooling.plan_pooling` (one solve per
policy, a minute each by default) on a daemon thread; the page polls it and shows which
policy is being planned and its best priority so far, then the report, or what went wrong.
The stop button ends the solve under way with its best plan and starts no further policy.

Jobs live in a module-level registry keyed by what the page chooses (the scenario id and
version): one job per key (:func:`start_job`, :func:`job_for`), and the last report
computed under each key (:func:`last_report`), kept while a new job runs or after it fails.

>>> inputs = PoolingInputs(("alone", "pooled"), 60.0, 0, 2)          # doctest: +SKIP
>>> job = start_job((7, 3), scenario, inputs)                        # doctest: +SKIP
>>> job.wait(180) and job.report.dividend_sentence()                 # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass

from scheduler.domain.model import Scenario
from scheduler.domain.sweep import PoolingPolicy
from scheduler.services.background import BackgroundJob, JobRegistry
from scheduler.services.pooling import PoolingReport, PoolingStep, plan_pooling, policy_label

__all__ = [
    "KEPT_KEYS",
    "REGISTRY",
    "PoolingInputs",
    "PoolingJob",
    "forget_job",
    "job_for",
    "last_report",
    "progress_line",
    "start_job",
]

KEPT_KEYS = 16
"""Keys (scenario versions) whose last job and report the registry keeps."""


@dataclass(frozen=True)
class PoolingInputs:
    """What a comparison is planned with: shown beside it, compared with the page's inputs."""

    policies: tuple[PoolingPolicy, ...]
    time_limit: float
    seed: int
    workers: int


class PoolingJob(BackgroundJob[PoolingReport]):
    """One pooling comparison of a scenario, planned on a background thread."""

    name = "pooling"

    def __init__(self, scenario: Scenario, inputs: PoolingInputs) -> None:
        super().__init__()
        self.scenario = scenario
        self.inputs = inputs
        self._stop = threading.Event()
        self._step: PoolingStep | None = None

    @property
    def report(self) -> PoolingReport | None:
        """The report, once planned."""
        return self.result

    @property
    def step(self) -> PoolingStep | None:
        """The policy being planned and its solver's last progress, once it has started."""
        return self._step

    @property
    def stopping(self) -> bool:
        """Whether the stop button was pressed."""
        return self._stop.is_set()

    def stop(self) -> None:
        self._stop.set()

    def _on_step(self, step: PoolingStep) -> None:
        self._step = step

    def work(self) -> PoolingReport:
        inputs = self.inputs
        return plan_pooling(
            self.scenario,
            policies=inputs.policies,
            time_limit=inputs.time_limit,
            seed=inputs.seed,
            workers=inputs.workers,
            progress=self._on_step,
            stop=self._stop,
        )


# -- the registry ----------------------------------------------------------------

REGISTRY: JobRegistry[PoolingJob] = JobRegistry("a pooling comparison", kept=KEPT_KEYS)


def start_job(key: Hashable, scenario: Scenario, inputs: PoolingInputs) -> PoolingJob:
    """Start planning ``scenario`` under each policy of ``inputs``, kept under ``key``.

    Raises
    ------
    RuntimeError
        A job under ``key`` is still running (stop it or wait).
    """
    return REGISTRY.start(key, lambda: PoolingJob(scenario, inputs))


def job_for(key: Hashable) -> PoolingJob | None:
    """The latest job started under ``key`` (running or ended), or None."""
    return REGISTRY.latest(key)


def last_report(key: Hashable) -> PoolingJob | None:
    """The newest job under ``key`` that ended with a report, or None."""
    return REGISTRY.last_finished(key)


def forget_job(key: Hashable | None = None) -> None:
    """Drop the job and report under ``key`` (every one when None); a running job is stopped."""
    REGISTRY.forget(key)


# -- words for the page ----------------------------------------------------------


def progress_line(job: PoolingJob) -> str:
    """``规划中 第 1/2 个：各城独立 alone，已用 12 秒，当前优先级 1,020 / planning 1 of 2 …``."""
    seconds = f"{job.elapsed:.0f}"
    step = job.step
    if step is None:
        return f"准备中… 已用 {seconds} 秒 / starting… {seconds} s"
    label = policy_label(step.policy)
    objective = step.progress.objective if step.progress is not None else None
    best = best_en = ""
    if objective is not None and objective == objective:  # NaN: no plan yet
        best = f"，当前优先级 {objective:,.0f}"
        best_en = f", priority so far {objective:,.0f}"
    stopping = "（正在停止 stopping）" if job.stopping else ""
    return (
        f"规划中 第 {step.number}/{step.total} 个：{label}，已用 {seconds} 秒{best}{stopping} / "
        f"planning {step.number} of {step.total}: {step.policy}, {seconds} s{best_en}"
    )
