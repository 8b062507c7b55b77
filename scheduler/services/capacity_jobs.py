"""Capacity reports computed in the background, so the app stays responsive meanwhile.

A :class:`CapacityJob` runs :func:`scheduler.services.capacity_report.capacity_report`
(seconds on a month) on a daemon thread; the page polls it, shows 计算中… with the
seconds so far, then the report, or what went wrong.

Streamlit reruns the page script on every click, so jobs live in a module-level
registry keyed by what the page chooses (the scenario id and version): one job per
key (:func:`start_job`, :func:`job_for`), and the last report computed under each key
(:func:`last_report`), kept while a new job runs or after it fails, so reruns and
visits to other pages show it without computing again. The registry
(:class:`scheduler.services.background.JobRegistry`) keeps the :data:`KEPT_KEYS` keys used last.
The app computes as its user with :func:`start_capacity`: checked, one ``solve`` row in the
audit trail (failed if the report cannot be computed), and the progress line names them.

>>> inputs = CapacityInputs(tuple(candidates), 400, 20, None)       # doctest: +SKIP
>>> job = start_job((7, 3), scenario, inputs)                       # doctest: +SKIP
>>> job.wait(60) and job.report.headline()                          # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scheduler.domain.accounts import Account
from scheduler.domain.model import Scenario
from scheduler.services.background import BackgroundJob, JobRegistry, owner_words, start_owned
from scheduler.services.candidates import Candidate

if TYPE_CHECKING:
    from scheduler.services.capacity_report import CapacityReport
    from scheduler.storage import ScenarioStore

__all__ = [
    "KEPT_KEYS",
    "REGISTRY",
    "CapacityInputs",
    "CapacityJob",
    "forget_job",
    "job_for",
    "last_report",
    "progress_line",
    "start_capacity",
    "start_job",
]

log = logging.getLogger(__name__)

KEPT_KEYS = 16
"""Keys (scenario versions) whose last job and report the registry keeps."""


@dataclass(frozen=True)
class CapacityInputs:
    """What a report is computed with: shown beside it, and compared with the page's inputs.

    ``budget`` is in yuan (None: no budget question); ``rush_titles``: the size of a rush
    order to ask about (0: none).
    """

    candidates: tuple[Candidate, ...]
    titles_per_month: int
    parallel_shoots: int
    budget: int | None
    rush_titles: int = 0


class CapacityJob(BackgroundJob["CapacityReport"]):
    """One capacity report of a scenario, computed on a background thread.

    Every property may be read from any thread while the report is computed.
    """

    name = "capacity"
    label = "产能报告 capacity report"

    def __init__(self, scenario: Scenario, inputs: CapacityInputs) -> None:
        super().__init__()
        self.scenario = scenario
        self.inputs = inputs

    @property
    def report(self) -> CapacityReport | None:
        """The report, once computed."""
        return self.result

    def work(self) -> CapacityReport:
        # looked up at each run, so a replaced capacity_report (tests count them) is used
        from scheduler.services import capacity_report as reports

        inputs = self.inputs
        return reports.capacity_report(
            self.scenario,
            candidates=list(inputs.candidates),
            target_titles_per_month=inputs.titles_per_month,
            target_parallel_shoots=inputs.parallel_shoots,
            budget=inputs.budget,
            rush_titles=inputs.rush_titles,
        )


# -- the registry ----------------------------------------------------------------

REGISTRY: JobRegistry[CapacityJob] = JobRegistry("a capacity report", kept=KEPT_KEYS)


def start_job(key: Hashable, scenario: Scenario, inputs: CapacityInputs) -> CapacityJob:
    """Start computing the report of ``scenario`` with ``inputs``, kept under ``key``.

    Raises
    ------
    RuntimeError
        A job under ``key`` is still running (wait for it).
    """
    return REGISTRY.start(key, lambda: CapacityJob(scenario, inputs))


def start_capacity(
    store: ScenarioStore,
    account: Account,
    key: Hashable,
    scenario: Scenario,
    inputs: CapacityInputs,
    *,
    scenario_id: int | None = None,
    scenario_version: int | None = None,
) -> CapacityJob:
    """Start computing the report as ``account``, kept under ``key``: one ``solve`` row.

    The row is written when the report is done (failed if it raised); a refused role or
    a job already running under ``key`` leaves a failed row and starts nothing.

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not solve.
    RuntimeError
        A job under ``key`` is still running (wait for it).
    """
    return start_owned(
        REGISTRY,
        key,
        lambda: CapacityJob(scenario, inputs),
        store,
        account,
        scenario_id=scenario_id,
        scenario_version=scenario_version,
        detail=CapacityJob.label,
    )


def job_for(key: Hashable) -> CapacityJob | None:
    """The latest job started under ``key`` (running or ended), or None."""
    return REGISTRY.latest(key)


def last_report(key: Hashable) -> CapacityJob | None:
    """The newest job under ``key`` that ended with a report (its report and inputs), or None."""
    return REGISTRY.last_finished(key)


def forget_job(key: Hashable | None = None) -> None:
    """Drop the job and report under ``key`` (every one when None); a running job runs out."""
    REGISTRY.forget(key)


# -- words for the page ----------------------------------------------------------


def progress_line(job: CapacityJob) -> str:
    """``计算中… 已用 3 秒 / computing the capacity… 3 s``, then who started it."""
    seconds = f"{job.elapsed:.0f}"
    owner = f" · {words}" if (words := owner_words(job)) else ""
    return f"计算中… 已用 {seconds} 秒 / computing the capacity… {seconds} s{owner}"
