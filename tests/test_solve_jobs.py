"""Background solves: a job finishes with a checked plan and progress, stops early on request,
reports errors, saves its plan once, and the registry keeps one running job per key."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from scheduler.app.support import open_store
from scheduler.domain.model import Scenario
from scheduler.io.validation import load_scenario
from scheduler.services.solve_jobs import (
    SolveJob,
    default_time_limit,
    forget_job,
    job_for,
    kpi_line,
    progress_line,
    save_job_plan,
    start_job,
)
from scheduler.storage import ScenarioStore
from solver.result import Phase, Progress
from tests.factories import SAMPLES


@pytest.fixture
def store(tmp_path: Path) -> ScenarioStore:
    return open_store(f"sqlite:///{tmp_path}/jobs.db")


@pytest.fixture(autouse=True)
def no_jobs_left() -> Iterator[None]:
    yield
    forget_job()


def test_a_tutorial_job_finishes_with_a_checked_plan_and_progress(tutorial: Scenario) -> None:
    job = start_job("tutorial", tutorial, time_limit=5)
    assert job_for("tutorial") is job
    assert job.wait(30), "the tutorial solves in a fraction of a second"
    assert not job.running and job.error is None
    outcome = job.outcome
    assert outcome is not None and outcome.ok
    assert outcome.kpis["priority_scheduled"] == 17  # the tutorial's hand-made optimum
    points = job.progress()
    assert points, "the solver reports its improving plans"
    assert job.latest() == points[-1]
    assert [p.elapsed for p in points] == sorted(p.elapsed for p in points)
    priority = [p for p in points if p.phase is Phase.PRIORITY]
    assert priority and max(p.objective for p in priority) == 17
    assert "17" in kpi_line(outcome.kpis) and "最优" in kpi_line(outcome.kpis)
    assert job.elapsed < 5


def test_stop_returns_the_best_plan_so_far_within_seconds() -> None:
    month = load_scenario(SAMPLES / "zhengzhou-month")
    job = start_job("month", month, time_limit=30)
    time.sleep(3)
    assert job.running
    stopped_at = time.monotonic()
    job.stop()
    # the model of the month takes a few seconds to build; the search stops as soon as it starts
    assert job.wait(15), "a stopped solve ends within seconds"
    waited = time.monotonic() - stopped_at
    assert waited < 15 and job.elapsed < 20
    assert job.stopping and job.error is None
    outcome = job.outcome
    assert outcome is not None and outcome.ok, outcome and outcome.problems
    assert outcome.kpis["scheduled_titles"] > 300


def test_a_failing_solve_is_reported_as_an_error(
    tutorial: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("solver exploded")

    monkeypatch.setattr("scheduler.services.planning.plan_scenario", broken)
    job = start_job("broken", tutorial, time_limit=5)
    assert job.wait(10)
    assert job.outcome is None
    assert job.error == "RuntimeError: solver exploded"


def test_a_running_key_refuses_a_second_job_until_it_ends(tutorial: Scenario) -> None:
    month = load_scenario(SAMPLES / "zhengzhou-month")
    first = start_job("busy", month, time_limit=30)
    with pytest.raises(RuntimeError, match="still running"):
        start_job("busy", tutorial, time_limit=5)
    forget_job("busy")  # stops it
    assert job_for("busy") is None
    assert first.stopping and first.wait(20)
    second = start_job("busy", tutorial, time_limit=5)
    assert job_for("busy") is second and second.wait(30)


def test_the_plan_is_saved_once_and_only_when_checked(
    tutorial: Scenario, store: ScenarioStore
) -> None:
    info = store.create(tutorial)
    job = start_job("save", tutorial, scenario_id=info.scenario_id, version=1, time_limit=5)
    assert job.wait(30)
    plan_id = save_job_plan(job, store, "排期 5s")
    assert plan_id is not None
    assert save_job_plan(job, store, "again") == plan_id  # a second rerun stores nothing new
    plans = store.list_plans(info.scenario_id)
    assert [p.plan_id for p in plans] == [plan_id]
    assert plans[0].label == "排期 5s" and plans[0].scenario_version == 1

    unchecked = SolveJob(tutorial, scenario_id=info.scenario_id, version=1)
    assert job.outcome is not None
    unchecked._outcome = replace(job.outcome, checked_digest="")  # as if the checker never ran
    assert save_job_plan(unchecked, store) is None
    assert len(store.list_plans(info.scenario_id)) == 1


def test_a_job_without_a_stored_scenario_cannot_save(
    tutorial: Scenario, store: ScenarioStore
) -> None:
    job = SolveJob(tutorial)
    with pytest.raises(ValueError, match="scenario_id"):
        save_job_plan(job, store)


def test_the_progress_line_follows_the_solvers_phase(tutorial: Scenario) -> None:
    job = SolveJob(tutorial, time_limit=30)
    assert "尚无方案" in progress_line(job)
    job._on_progress(Progress(0.5, 12.0, 17.0, Phase.PRIORITY))
    job._on_progress(Progress(0.8, 14.0, math.nan, Phase.PRIORITY))  # LNS knows no bound
    assert "14" in progress_line(job) and "–" in progress_line(job)
    assert "降成本" not in progress_line(job)
    job._on_progress(Progress(1.2, 300_000.0, 290_000.0, Phase.COST))
    assert "降成本" in progress_line(job) and "¥300,000" in progress_line(job)
    assert [p.phase for p in job.progress()] == [Phase.PRIORITY, Phase.PRIORITY, Phase.COST]


def test_month_size_scenarios_get_a_longer_default_time_limit(tutorial: Scenario) -> None:
    assert default_time_limit(tutorial) == 30
    assert default_time_limit(replace(tutorial, days=31)) == 60
