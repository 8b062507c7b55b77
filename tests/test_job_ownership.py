"""A solve belongs to the user who started it (issue 17).

Every page that shows a job names its owner; only the owner or a head may stop it, and each
try leaves one ``stop`` row; a finished solve leaves exactly one ``solve`` row, its owner's,
in the transaction of its stored plan (naming it) whichever session stores it, or a failed
one when it ends without a checked plan. The same holds for capacity reports, pooling
comparisons and sweeps. Jobs hold (:func:`tests.factories.held_work`) until stopped, so a
refused stop can be seen to leave the job running. On SQLite and PostgreSQL (``store``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

import scheduler.services.capacity_report
from scheduler.domain.accounts import Account, Action, Role
from scheduler.domain.model import Scenario
from scheduler.services import capacity_jobs, pooling_jobs, solve_jobs, sweep_jobs
from scheduler.services.accounts import NotPermittedError
from scheduler.services.background import BackgroundJob, NotOwnerError, may_stop, stop_job
from scheduler.services.candidates import default_candidates
from scheduler.services.planning import PlanOutcome, plan_scenario
from scheduler.storage import ScenarioStore
from tests.factories import account_of, held_work, publish_scenario, sweep_of

OWNER = account_of(Role.PRODUCER, "张三")
OTHER = account_of(Role.PRODUCER, "李四")
HEAD = account_of(Role.HEAD)
VIEWER = account_of(Role.VIEWER)


@pytest.fixture(scope="module")
def outcome() -> PlanOutcome:
    """The checked plan of :func:`publish_scenario` (two one-day titles), solved once."""
    found = plan_scenario(publish_scenario(), time_limit=5)
    assert found.ok, found.problems
    return found


@pytest.fixture
def scenario_id(store: ScenarioStore) -> int:
    return store.create(publish_scenario()).scenario_id


@pytest.fixture(autouse=True)
def no_jobs_left() -> Iterator[None]:
    yield
    solve_jobs.forget_job()
    capacity_jobs.forget_job()
    pooling_jobs.forget_job()
    sweep_jobs.forget_sweep_job()


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at the end: a held capacity report (which cannot be stopped) returns."""
    event = threading.Event()
    yield event
    event.set()


# -- starting each kind of job, held until stopped ---------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How to start one kind of job as a user, its work held until stopped."""

    name: str
    start: Callable[[ScenarioStore, Account, int, pytest.MonkeyPatch, threading.Event], Any]


def start_solve(
    store: ScenarioStore,
    account: Account,
    scenario_id: int,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> BackgroundJob[Any]:
    monkeypatch.setattr("scheduler.services.planning.plan_scenario", held_work(None))
    return solve_jobs.start_solve(
        store, account, scenario_id, publish_scenario(), scenario_id=scenario_id, version=1
    )


def start_capacity(
    store: ScenarioStore,
    account: Account,
    scenario_id: int,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> BackgroundJob[Any]:
    monkeypatch.setattr(
        scheduler.services.capacity_report, "capacity_report", held_work(None, release)
    )
    scenario = publish_scenario()
    inputs = capacity_jobs.CapacityInputs(tuple(default_candidates(scenario)), 30, 1, None)
    return capacity_jobs.start_capacity(
        store, account, (scenario_id, 1), scenario, inputs, scenario_id=scenario_id
    )


def start_pooling(
    store: ScenarioStore,
    account: Account,
    scenario_id: int,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> BackgroundJob[Any]:
    monkeypatch.setattr(pooling_jobs, "plan_pooling", held_work(None))
    inputs = pooling_jobs.PoolingInputs(("alone", "pooled"), 5.0, 0, 1)
    return pooling_jobs.start_pooling(
        store, account, (scenario_id, 1), publish_scenario(), inputs, scenario_id=scenario_id
    )


def start_sweep(
    store: ScenarioStore,
    account: Account,
    scenario_id: int,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> BackgroundJob[Any]:
    monkeypatch.setattr(sweep_jobs, "run_sweep", held_work(None))
    return sweep_jobs.start_sweep(
        store,
        account,
        scenario_id,
        sweep_of(name="人手推演"),
        publish_scenario(),
        base_scenario_id=scenario_id,
    )


KINDS = [
    Kind("solve", start_solve),
    Kind("capacity", start_capacity),
    Kind("pooling", start_pooling),
    Kind("sweep", start_sweep),
]


def progress_of(job: BackgroundJob[Any]) -> str:
    """The progress line the job's page shows."""
    if isinstance(job, solve_jobs.SolveJob):
        return solve_jobs.progress_line(job)
    if isinstance(job, capacity_jobs.CapacityJob):
        return capacity_jobs.progress_line(job)
    if isinstance(job, pooling_jobs.PoolingJob):
        return pooling_jobs.progress_line(job)
    assert isinstance(job, sweep_jobs.SweepJob)
    return job.progress_line()


def stop_rows(store: ScenarioStore) -> list[tuple[str, bool]]:
    return [(event.user_name, event.ok) for event in store.audit_events(action=Action.STOP)]


# -- who may stop -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_the_owner_stops_their_own_job_with_one_stop_row(
    kind: Kind,
    store: ScenarioStore,
    scenario_id: int,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> None:
    job = kind.start(store, OWNER, scenario_id, monkeypatch, release)
    assert job.owner == OWNER and job.running

    stop_job(store, job, OWNER, scenario_id=scenario_id)

    [event] = store.audit_events(action=Action.STOP)
    assert (event.user_name, event.ok, event.scenario_id) == ("张三", True, scenario_id)
    assert f"#{job.job_id}" in event.detail and "张三" in event.detail
    if kind.name != "capacity":  # a capacity report cannot be stopped: it runs out
        assert job.wait(10), "a stopped job ends"


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_another_producer_may_not_stop_it_and_it_runs_on(
    kind: Kind,
    store: ScenarioStore,
    scenario_id: int,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> None:
    job = kind.start(store, OWNER, scenario_id, monkeypatch, release)
    assert not may_stop(OTHER, job)

    with pytest.raises(NotOwnerError, match="张三"):
        stop_job(store, job, OTHER, scenario_id=scenario_id)

    assert stop_rows(store) == [("李四", False)]
    assert not job.wait(0.3), "the job runs on"
    assert job.running and not getattr(job, "stopping", False)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_head_stops_anyones_job(
    kind: Kind,
    store: ScenarioStore,
    scenario_id: int,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> None:
    job = kind.start(store, OWNER, scenario_id, monkeypatch, release)
    assert may_stop(HEAD, job)

    stop_job(store, job, HEAD, scenario_id=scenario_id)

    assert stop_rows(store) == [("周主管", True)]
    if kind.name != "capacity":
        assert job.wait(10)


def test_a_viewer_may_not_stop_even_a_job_without_an_owner(
    store: ScenarioStore, scenario_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("scheduler.services.planning.plan_scenario", held_work(None))
    job = solve_jobs.start_job(scenario_id, publish_scenario())  # started without a user
    assert job.owner is None and may_stop(OTHER, job)

    with pytest.raises(NotPermittedError):
        stop_job(store, job, VIEWER)

    assert stop_rows(store) == [("赵只读", False)]
    assert job.running
    stop_job(store, job, OTHER)  # any producer may stop a job nobody owns
    assert job.wait(10)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_the_progress_line_names_the_owner(
    kind: Kind,
    store: ScenarioStore,
    scenario_id: int,
    monkeypatch: pytest.MonkeyPatch,
    release: threading.Event,
) -> None:
    job = kind.start(store, OWNER, scenario_id, monkeypatch, release)
    assert progress_of(job).endswith("由 张三（统筹）发起 / started by 张三 (producer)")
    stop_job(store, job, OWNER)
    other = solve_jobs.SolveJob(publish_scenario())  # a job nobody started names nobody
    assert "发起" not in solve_jobs.progress_line(other)


# -- a solve's one row ----------------------------------------------------------------------------


def test_a_finished_solve_leaves_one_row_naming_its_plan_whoever_stores_it(
    store: ScenarioStore, scenario_id: int
) -> None:
    job = solve_jobs.start_solve(
        store,
        OWNER,
        scenario_id,
        publish_scenario(),
        scenario_id=scenario_id,
        version=1,
        time_limit=5,
        detail="全新排期 fresh · 5s",
    )
    assert solve_jobs.save_job_plan(job, store) is None, "nothing to store while it runs"
    assert job.wait(30)
    saved: list[int | None] = []
    # another session's rerun stores it first: on a thread of its own, as its script runs
    other_session = threading.Thread(
        target=lambda: saved.append(solve_jobs.save_job_plan(job, store))
    )
    other_session.start()
    other_session.join(30)

    [plan_id] = saved
    assert plan_id is not None
    assert solve_jobs.save_job_plan(job, store) == plan_id  # the owner's rerun: the same plan
    [event] = store.audit_events()
    assert (event.user_name, event.action, event.ok) == ("张三", Action.SOLVE, True)
    assert (event.scenario_id, event.scenario_version, event.plan_id) == (scenario_id, 1, plan_id)
    assert event.detail == "全新排期 fresh · 5s"
    assert [info.plan_id for info in store.list_plans(scenario_id)] == [plan_id]


def test_a_solve_with_a_label_stores_its_plan_with_no_page_open(
    store: ScenarioStore, scenario_id: int
) -> None:
    job = solve_jobs.start_solve(
        store,
        OWNER,
        scenario_id,
        publish_scenario(),
        label=lambda ended: f"无人值守 unattended · stopped={ended.stopping}",
        scenario_id=scenario_id,
        version=1,
        time_limit=5,
    )
    assert job.wait(30)
    job._thread.join(30)  # the job stores its plan on its own thread after it ends

    [info] = store.list_plans(scenario_id)
    assert info.label == "无人值守 unattended · stopped=False"
    [event] = store.audit_events()
    assert (event.user_name, event.action, event.ok, event.plan_id) == (
        "张三",
        Action.SOLVE,
        True,
        info.plan_id,
    )
    assert solve_jobs.save_job_plan(job, store) == info.plan_id  # a page later: the same plan


def test_a_solve_without_a_label_waits_for_a_page_to_store_it(
    store: ScenarioStore, scenario_id: int
) -> None:
    job = solve_jobs.start_solve(
        store,
        OWNER,
        scenario_id,
        publish_scenario(),
        scenario_id=scenario_id,
        version=1,
        time_limit=5,
    )
    assert job.wait(30)
    job._thread.join(30)
    assert store.list_plans(scenario_id) == []
    assert store.audit_events() == []


def test_a_solve_that_fails_leaves_one_failed_row_and_no_plan(
    store: ScenarioStore, scenario_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("求解器不见了")

    monkeypatch.setattr("scheduler.services.planning.plan_scenario", broken)
    job = solve_jobs.start_solve(
        store, OWNER, scenario_id, publish_scenario(), scenario_id=scenario_id, version=1
    )
    assert job.wait(10)

    assert solve_jobs.save_job_plan(job, store) is None
    assert solve_jobs.save_job_plan(job, store) is None  # every rerun asks; one row
    [event] = store.audit_events()
    assert (event.user_name, event.action, event.ok) == ("张三", Action.SOLVE, False)
    assert "求解器不见了" in event.detail
    assert store.list_plans(scenario_id) == []


def test_a_solve_whose_plan_the_checker_rejects_leaves_a_failed_row(
    store: ScenarioStore,
    scenario_id: int,
    outcome: PlanOutcome,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dataclasses import replace

    unchecked = replace(outcome, checked_digest="")  # as if the checker never confirmed it
    monkeypatch.setattr("scheduler.services.planning.plan_scenario", held_work(unchecked))
    job = solve_jobs.start_solve(
        store, OWNER, scenario_id, publish_scenario(), scenario_id=scenario_id, version=1
    )
    job.stop()
    assert job.wait(10)

    assert solve_jobs.save_job_plan(job, store) is None
    [event] = store.audit_events()
    assert (event.action, event.ok) == (Action.SOLVE, False)
    assert "未通过独立检查" in event.detail and "已停止 stopped" in event.detail
    assert store.list_plans(scenario_id) == []


def test_a_plan_the_database_refuses_leaves_one_failed_row(
    store: ScenarioStore, scenario_id: int, outcome: PlanOutcome, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("scheduler.services.planning.plan_scenario", held_work(outcome))
    job = solve_jobs.start_solve(
        store, OWNER, scenario_id, publish_scenario(), scenario_id=scenario_id, version=1
    )
    store.delete(scenario_id)  # meanwhile, outside any action: no row
    job.stop()
    assert job.wait(10)

    for _rerun in range(2):
        with pytest.raises(Exception, match="scenario"):
            solve_jobs.save_job_plan(job, store)
    [event] = store.audit_events()
    assert (event.user_name, event.action, event.ok) == ("张三", Action.SOLVE, False)


def test_a_refused_start_leaves_a_failed_row_and_starts_nothing(
    store: ScenarioStore, scenario_id: int
) -> None:
    with pytest.raises(NotPermittedError):
        solve_jobs.start_solve(
            store, VIEWER, scenario_id, publish_scenario(), scenario_id=scenario_id, version=1
        )
    assert solve_jobs.job_for(scenario_id) is None
    [event] = store.audit_events()
    assert (event.user_name, event.action, event.ok) == ("赵只读", Action.SOLVE, False)
    assert event.scenario_id == scenario_id


def test_a_second_start_while_one_runs_is_a_failed_row_and_the_first_runs_on(
    store: ScenarioStore, scenario_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("scheduler.services.planning.plan_scenario", held_work(None))
    first = solve_jobs.start_solve(
        store, OWNER, scenario_id, publish_scenario(), scenario_id=scenario_id, version=1
    )
    with pytest.raises(RuntimeError, match="仍在运行"):
        solve_jobs.start_solve(
            store, OTHER, scenario_id, publish_scenario(), scenario_id=scenario_id, version=1
        )
    assert solve_jobs.job_for(scenario_id) is first and first.owner == OWNER
    [event] = store.audit_events()
    assert (event.user_name, event.action, event.ok) == ("李四", Action.SOLVE, False)
    assert "仍在运行" in event.detail


# -- the other jobs' one row ----------------------------------------------------------------------


def test_a_capacity_report_leaves_one_row_when_done_and_a_failed_one_when_it_raises(
    store: ScenarioStore, scenario_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario: Scenario = publish_scenario()
    inputs = capacity_jobs.CapacityInputs(tuple(default_candidates(scenario)), 30, 1, None)
    monkeypatch.setattr(scheduler.services.capacity_report, "capacity_report", held_work("报告"))
    done = capacity_jobs.start_capacity(
        store, OWNER, "done", scenario, inputs, scenario_id=scenario_id, scenario_version=1
    )
    assert done.wait(10) and done.report == "报告"

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("容量模型出错")

    monkeypatch.setattr(scheduler.services.capacity_report, "capacity_report", broken)
    failed = capacity_jobs.start_capacity(store, OWNER, "failed", scenario, inputs)
    assert failed.wait(10) and failed.error is not None

    rows = [(e.user_name, e.action, e.ok, e.scenario_id) for e in store.audit_events()]
    assert rows == [("张三", Action.SOLVE, True, scenario_id), ("张三", Action.SOLVE, False, None)]
    assert "容量模型出错" in store.audit_events()[1].detail


def test_a_sweeps_row_is_stored_with_the_sweep(
    store: ScenarioStore, scenario_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stores_the_sweep(*args: object, **kwargs: Any) -> None:
        kwargs["store"].create_sweep("人手推演", "", base_scenario_id=scenario_id)
        raise RuntimeError("Ray 不见了")  # after the sweep was stored: its row stays ok

    monkeypatch.setattr(sweep_jobs, "run_sweep", stores_the_sweep)
    job = sweep_jobs.start_sweep(
        store,
        OWNER,
        scenario_id,
        sweep_of(name="人手推演"),
        publish_scenario(),
        base_scenario_id=scenario_id,
    )
    assert job.wait(10) and job.error is not None

    [event] = store.audit_events()
    assert (event.user_name, event.action, event.ok) == ("张三", Action.SOLVE, True)
    assert event.scenario_id == scenario_id and "人手推演" in event.detail
    assert [info.name for info in store.list_sweeps()] == ["人手推演"]
