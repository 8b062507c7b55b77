"""Pooling comparisons run in the background, so the app stays responsive meanwhile.

A :class:`PoolingJob` runs :func:`scheduler.services.pooling.plan_pooling` (one solve per
policy, a minute each by default) on a daemon thread; the page polls it and shows which
policy is being planned and its best priority so far, then the report, or what went wrong.
The stop button ends the solve under way with its best plan and starts no further policy.

Jobs live in a module-level registry keyed by what the page chooses (the scenario id and
version): one job per key (:func:`start_job`, :func:`job_for`), and the last report
computed under each key (:func:`last_report`), kept while a new job runs or after it fails.
The app plans as its user with :func:`start_pooling`: checked, one ``solve`` row in the
audit trail (failed if the comparison raises), and the progress line names them; only they
or a head may stop it (:func:`scheduler.services.background.stop_job`).

>>> inputs = PoolingInputs(("alone", "pooled"), 60.0, 0, 2)          # doctest: +SKIP
>>> job = start_job((7, 3), scenario, inputs)                        # doctest: +SKIP
>>> job.wait(180) and job.report.dividend_sentence()                 # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scheduler.domain.accounts import Account
from scheduler.domain.model import Scenario
from scheduler.domain.pooling import policy_name
from scheduler.domain.sweep import PoolingPolicy
from scheduler.services.background import BackgroundJob, JobRegistry, owner_words, start_owned
from scheduler.services.pooling import PoolingReport, PoolingStep, plan_pooling, policy_label

if TYPE_CHECKING:
    from scheduler.storage import ScenarioStore

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
    "start_pooling",
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
    label = "区域协同 pooling"

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


def start_pooling(
    store: ScenarioStore,
    account: Account,
    key: Hashable,
    scenario: Scenario,
    inputs: PoolingInputs,
    *,
    scenario_id: int | None = None,
    scenario_version: int | None = None,
) -> PoolingJob:
    """Start the comparison as ``account``, kept under ``key``: one ``solve`` row.

    The row (naming the policies) is written when the comparison ends, failed if it
    raised; a refused role or a job already running under ``key`` leaves a failed row
    and starts nothing.

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not solve.
    RuntimeError
        A job under ``key`` is still running (stop it or wait).
    """
    policies = "、".join(policy_label(policy_name(policy)) for policy in inputs.policies)
    return start_owned(
        REGISTRY,
        key,
        lambda: PoolingJob(scenario, inputs),
        store,
        account,
        scenario_id=scenario_id,
        scenario_version=scenario_version,
        detail=f"{PoolingJob.label}：{policies} · {inputs.time_limit:g}s",
    )


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
        owner = f" · {words}" if (words := owner_words(job)) else ""
        return f"准备中… 已用 {seconds} 秒 / starting… {seconds} s{owner}"
    label = policy_label(step.policy)
    objective = step.progress.objective if step.progress is not None else None
    best = best_en = ""
    if objective is not None and objective == objective:  # NaN: no plan yet
        best = f"，当前优先级 {objective:,.0f}"
        best_en = f", priority so far {objective:,.0f}"
    stopping = "（正在停止 stopping）" if job.stopping else ""
    owner = f" · {words}" if (words := owner_words(job)) else ""
    return (
        f"规划中 第 {step.number}/{step.total} 个：{label}，已用 {seconds} 秒{best}{stopping} / "
        f"planning {step.number} of {step.total}: {step.policy}, {seconds} s{best_en}{owner}"
    )
