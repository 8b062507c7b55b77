"""Capacity reports in the background: a job ends with the report or with what went wrong,
one job runs per key, and the last report of a key is kept while the next one computes."""

from __future__ import annotations

import threading

import pytest

import scheduler.services.capacity_report
from scheduler.domain.model import Scenario
from scheduler.services import capacity_jobs
from scheduler.services.candidates import default_candidates
from scheduler.services.capacity_jobs import (
    CapacityInputs,
    job_for,
    last_report,
    progress_line,
    start_job,
)

KEY = (1, 1)


pytestmark = pytest.mark.usefixtures("no_capacity_jobs_left")


@pytest.fixture
def inputs(tutorial: Scenario) -> CapacityInputs:
    return CapacityInputs(tuple(default_candidates(tutorial)), 30, 2, None)


def hold(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """From now on capacity_report waits for the event, then raises: a job runs, then fails."""
    release = threading.Event()

    def slow(*args: object, **kwargs: object) -> None:
        release.wait(30)
        raise RuntimeError("求解器不见了")

    monkeypatch.setattr(scheduler.services.capacity_report, "capacity_report", slow)
    return release


def test_a_job_ends_with_the_report_of_its_inputs(
    tutorial: Scenario, inputs: CapacityInputs
) -> None:
    job = start_job(KEY, tutorial, inputs)
    assert job_for(KEY) is job
    assert job.wait(60)
    assert not job.running and job.error is None
    assert job.report is not None and job.report.answer.priority_bound == 17
    assert last_report(KEY) is job and job.inputs == inputs
    assert progress_line(job).startswith("计算中… 已用 ")


def test_a_failing_job_says_why_and_the_last_report_is_kept(
    tutorial: Scenario, inputs: CapacityInputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = start_job(KEY, tutorial, inputs)
    assert first.wait(60) and first.report is not None
    release = hold(monkeypatch)
    again = start_job(KEY, tutorial, inputs)
    assert job_for(KEY) is again and again.running
    assert last_report(KEY) is first, "the last report shows while the next one computes"
    release.set()
    assert again.wait(30)
    assert again.error == "RuntimeError: 求解器不见了" and again.report is None
    assert last_report(KEY) is first, "and after it failed"


def test_one_job_runs_per_key(
    tutorial: Scenario, inputs: CapacityInputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = hold(monkeypatch)
    job = start_job(KEY, tutorial, inputs)
    assert job.running and progress_line(job) == "计算中… 已用 0 秒 / computing the capacity… 0 s"
    with pytest.raises(RuntimeError, match="still running"):
        start_job(KEY, tutorial, inputs)
    assert job_for(KEY) is job
    other = start_job((1, 2), tutorial, inputs)  # another version computes meanwhile
    release.set()
    assert job.wait(30) and other.wait(30)
    assert last_report(KEY) is None, "a failed job reports nothing"


def test_only_the_keys_used_last_are_kept(
    tutorial: Scenario, inputs: CapacityInputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(capacity_jobs.REGISTRY, "kept", 2)
    monkeypatch.setattr(scheduler.services.capacity_report, "capacity_report", lambda *a, **k: 0)
    for version in (1, 2, 3):
        job = start_job((1, version), tutorial, inputs)
        assert job.wait(30)
    assert job_for((1, 1)) is None
    assert job_for((1, 2)) is not None and job_for((1, 3)) is not None
