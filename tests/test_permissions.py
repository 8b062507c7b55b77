"""Every action checked on the server and audited, for every role (issue 17).

For each action the pages take — import, save (the Inputs page, a clone, a rename, a pin),
solve (a plan, a capacity report, a pooling comparison, a sweep), stop, publish, delete,
export and download — and each role, through the very service function the page calls:
a role that may (:func:`scheduler.domain.accounts.may`) gets the change stored and one ok
row; a role that may not gets ``NotPermittedError``, nothing changed, and one failed row.
The world: :func:`tests.factories.publish_scenario` stored (version 1) with
:func:`tests.factories.publish_plan`. On SQLite and PostgreSQL (``store``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import pytest

import scheduler.services.capacity_report
from scheduler.app import fitting
from scheduler.app.change_view import change_csv
from scheduler.domain.accounts import Account, Action, Role, may
from scheduler.domain.changes import Change
from scheduler.io.scenario_files import scenario_to_xlsx_bytes
from scheduler.services import capacity_jobs, pooling_jobs, solve_jobs, sweep_jobs
from scheduler.services.accounts import NotPermittedError, hash_password
from scheduler.services.background import stop_job
from scheduler.services.candidates import default_candidates
from scheduler.services.downloads import take_out
from scheduler.services.pinning import pin_from_plan
from scheduler.services.publishing import publish_as
from scheduler.services.scenarios import (
    clone_scenario,
    delete_scenario,
    import_scenario,
    rename_scenario,
    save_scenario,
)
from scheduler.storage import ScenarioStore
from solver.slate.greedy import greedy_plan
from tests.factories import (
    ACCOUNT_PASSWORD,
    SAMPLES,
    account_of,
    dec,
    held_work,
    publish_plan,
    publish_scenario,
)
from tests.factories import sweep_of as make_sweep

NAME = "发布测试"  # publish_scenario's name


@dataclass
class World:
    """The stored scenario and plan an action works on, and what it made."""

    store: ScenarioStore
    monkeypatch: pytest.MonkeyPatch
    scenario_id: int
    plan_id: int
    made: list[str] = field(default_factory=list)
    job: Any = None


@pytest.fixture
def world(store: ScenarioStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    info = store.create(publish_scenario())
    plan_id = store.save_plan(info.scenario_id, 1, publish_plan(), {}, "第一版")
    yield World(store, monkeypatch, info.scenario_id, plan_id)
    solve_jobs.forget_job()
    capacity_jobs.forget_job()
    pooling_jobs.forget_job()
    sweep_jobs.forget_sweep_job()


# -- each action as its page takes it, and whether its change was stored -------------------


def importing(world: World, account: Account) -> object:
    data = scenario_to_xlsx_bytes(replace(publish_scenario(), name="导入的场景"))
    return import_scenario(world.store, account, data, "导入的场景.xlsx")


def saving(world: World, account: Account) -> object:
    edited = replace(publish_scenario(), days=3)
    return save_scenario(world.store, account, world.scenario_id, edited, 1, "改天数")


def pinning(world: World, account: Account) -> object:
    pinned = pin_from_plan(publish_scenario(), publish_plan(), "T1")
    return save_scenario(world.store, account, world.scenario_id, pinned, 1, "钉住 T1")


def cloning(world: World, account: Account) -> object:
    return clone_scenario(world.store, account, world.scenario_id, f"{NAME} 副本")


def renaming(world: World, account: Account) -> object:
    return rename_scenario(world.store, account, world.scenario_id, f"{NAME} 新名")


def solving(world: World, account: Account) -> object:
    job = solve_jobs.start_solve(
        world.store,
        account,
        world.scenario_id,
        publish_scenario(),
        scenario_id=world.scenario_id,
        version=1,
        time_limit=5,
    )
    assert job.wait(30)
    return solve_jobs.save_job_plan(job, world.store)


def computing_capacity(world: World, account: Account) -> object:
    world.monkeypatch.setattr(
        scheduler.services.capacity_report, "capacity_report", lambda *a, **k: "报告"
    )
    scenario = publish_scenario()
    inputs = capacity_jobs.CapacityInputs(tuple(default_candidates(scenario)), 30, 1, None)
    job = capacity_jobs.start_capacity(
        world.store, account, (world.scenario_id, 1), scenario, inputs
    )
    assert job.wait(10)
    return job


def comparing_pooling(world: World, account: Account) -> object:
    world.monkeypatch.setattr(pooling_jobs, "plan_pooling", lambda *a, **k: "对比")
    inputs = pooling_jobs.PoolingInputs(("alone", "pooled"), 5.0, 0, 1)
    job = pooling_jobs.start_pooling(
        world.store, account, (world.scenario_id, 1), publish_scenario(), inputs
    )
    assert job.wait(10)
    return job


def sweeping(world: World, account: Account) -> object:
    def stores_the_sweep(*args: object, **kwargs: Any) -> None:
        kwargs["store"].create_sweep("人手推演", "", base_scenario_id=world.scenario_id)

    world.monkeypatch.setattr(sweep_jobs, "run_sweep", stores_the_sweep)
    connected: list[bool] = []
    job = sweep_jobs.start_sweep(
        world.store,
        account,
        world.scenario_id,
        make_sweep(name="人手推演"),
        publish_scenario(),
        connect=lambda: connected.append(True),
        base_scenario_id=world.scenario_id,
    )
    assert connected == [True]  # Ray is reached only once the role may
    assert job.wait(10)
    return job


def stopping(world: World, account: Account) -> object:
    # a role that may solve stops its own solve; another tries a head's
    owner = account if may(account.role, Action.SOLVE) else account_of(Role.HEAD, "钱主管")
    world.monkeypatch.setattr("scheduler.services.planning.plan_scenario", held_work(None))
    world.job = solve_jobs.start_solve(
        world.store, owner, world.scenario_id, publish_scenario(), scenario_id=world.scenario_id
    )
    try:
        return stop_job(world.store, world.job, account, scenario_id=world.scenario_id)
    finally:
        assert world.job.running or world.job.stopping


def publishing(world: World, account: Account) -> object:
    return publish_as(world.store, account, world.scenario_id, world.plan_id, dec(1))


def deleting(world: World, account: Account) -> object:
    return delete_scenario(world.store, account, world.scenario_id)


def stored(world: World, account: Account) -> Account:
    """``account``, stored if it is not yet: a file is made only for a stored account."""
    if world.store.account(account.name) is None:
        world.store.add_account(account, hash_password(ACCOUNT_PASSWORD))
    return account


def exporting(world: World, account: Account) -> object:
    def workbook() -> bytes:
        world.made.append(f"{NAME}.xlsx")
        return scenario_to_xlsx_bytes(publish_scenario())

    return take_out(
        world.store,
        stored(world, account),
        Action.EXPORT,
        workbook,
        file_name=f"{NAME}.xlsx",
        scenario_id=world.scenario_id,
    )


def downloading(world: World, account: Account) -> object:
    changes = [Change("T1", "日期 days", "12-01 B1 C1", "12-02 B1 C1", "请假")]

    def change_list() -> bytes:
        world.made.append("变更单.csv")
        return change_csv(publish_scenario(), changes)

    return take_out(
        world.store,
        stored(world, account),
        Action.DOWNLOAD,
        change_list,
        file_name="变更单.csv",
        scenario_id=world.scenario_id,
        plan_id=world.plan_id,
    )


@dataclass(frozen=True)
class Case:
    """One action as a page takes it, and whether its change is stored (or made)."""

    name: str
    action: Action
    act: Callable[[World, Account], object]
    changed: Callable[[World], bool]


def version_of(world: World) -> int:
    return world.store.info(world.scenario_id).version


CASES = [
    Case("import", Action.IMPORT, importing, lambda w: w.store.find("导入的场景") is not None),
    Case("save", Action.SAVE, saving, lambda w: version_of(w) == 2),
    Case("pin", Action.SAVE, pinning, lambda w: bool(w.store.load(w.scenario_id)[0].pins)),
    Case("clone", Action.SAVE, cloning, lambda w: w.store.find(f"{NAME} 副本") is not None),
    Case("rename", Action.SAVE, renaming, lambda w: w.store.find(f"{NAME} 新名") is not None),
    Case("solve", Action.SOLVE, solving, lambda w: len(w.store.list_plans(w.scenario_id)) == 2),
    Case(
        "capacity",
        Action.SOLVE,
        computing_capacity,
        lambda w: capacity_jobs.job_for((w.scenario_id, 1)) is not None,
    ),
    Case(
        "pooling",
        Action.SOLVE,
        comparing_pooling,
        lambda w: pooling_jobs.job_for((w.scenario_id, 1)) is not None,
    ),
    Case("sweep", Action.SOLVE, sweeping, lambda w: bool(w.store.list_sweeps())),
    Case("stop", Action.STOP, stopping, lambda w: bool(w.job.stopping)),
    Case(
        "publish",
        Action.PUBLISH,
        publishing,
        lambda w: bool(w.store.list_publications(w.scenario_id)),
    ),
    Case("delete", Action.DELETE, deleting, lambda w: w.store.find(NAME) is None),
    Case("export", Action.EXPORT, exporting, lambda w: bool(w.made)),
    Case("download", Action.DOWNLOAD, downloading, lambda w: bool(w.made)),
]


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_an_allowed_action_is_stored_with_one_row_and_a_refused_one_changes_nothing(
    case: Case, role: Role, world: World
) -> None:
    account = account_of(role)
    if may(role, case.action):
        case.act(world, account)
        assert case.changed(world), f"{account.name} ({role.value}) may {case.name}"
        ok = True
    else:
        with pytest.raises(NotPermittedError):
            case.act(world, account)
        assert not case.changed(world), f"a refused {case.name} changed something"
        ok = False
    [event] = world.store.audit_events()  # exactly one row, whatever happened
    assert (event.user_name, event.action, event.ok) == (account.name, case.action, ok)
    if not ok:
        assert "无权限" in event.detail


# -- what an allowed action's row says ------------------------------------------------------------


def test_a_publication_carries_the_accounts_name_unless_another_is_typed(world: World) -> None:
    producer = account_of(Role.PRODUCER)
    first = publish_as(world.store, producer, world.scenario_id, world.plan_id, dec(1))
    typed = publish_as(world.store, producer, world.scenario_id, world.plan_id, dec(2), "张三")
    assert (first.published_by, typed.published_by) == ("王统筹", "张三")
    rows = world.store.audit_events(action=Action.PUBLISH)
    assert [(e.user_name, e.plan_id, e.scenario_version) for e in rows] == [
        ("王统筹", world.plan_id, 1),
        ("王统筹", world.plan_id, 1),
    ]


def test_a_clone_is_a_save_of_the_new_scenario_saying_whose_copy_it_is(world: World) -> None:
    copy = clone_scenario(world.store, account_of(Role.PRODUCER), world.scenario_id, "副本")
    [event] = world.store.audit_events()
    assert (event.action, event.scenario_id, event.scenario_version) == (
        Action.SAVE,
        copy.scenario_id,
        1,
    )
    assert event.detail == f"复制自 clone of 「{NAME}」(#{world.scenario_id})"


def test_a_stale_save_is_a_failed_row_and_stores_nothing(world: World) -> None:
    producer = account_of(Role.PRODUCER)
    save_scenario(world.store, producer, world.scenario_id, replace(publish_scenario(), days=3), 1)
    with pytest.raises(Exception, match=r"v2|version 2"):
        save_scenario(
            world.store, producer, world.scenario_id, replace(publish_scenario(), days=4), 1
        )
    assert world.store.load(world.scenario_id)[0].days == 3
    assert [(e.ok, e.scenario_version) for e in world.store.audit_events()] == [
        (True, 2),
        (False, 1),
    ]


def test_a_blank_name_is_refused_by_the_server_with_a_failed_row(world: World) -> None:
    with pytest.raises(Exception, match="名称不能为空"):
        rename_scenario(world.store, account_of(Role.HEAD), world.scenario_id, "  ")
    assert world.store.find(NAME) is not None
    [event] = world.store.audit_events()
    assert not event.ok and "名称不能为空" in event.detail


def test_an_import_with_problems_is_a_failed_row_and_stores_nothing(world: World) -> None:
    with pytest.raises(Exception, match=r"不是|neither|not"):
        import_scenario(world.store, account_of(Role.PRODUCER), b"not a workbook", "坏文件.xlsx")
    assert [info.name for info in world.store.list()] == [NAME]
    [event] = world.store.audit_events()
    assert (event.action, event.ok) == (Action.IMPORT, False)


# -- the rush title (插单): finding options is a solve, accepting one a save ----------------------


@pytest.fixture
def tutorial_world(store: ScenarioStore) -> tuple[ScenarioStore, int, int]:
    """The tutorial stored with its greedy plan (which a rush title can be fitted into)."""
    from scheduler.io.validation import load_scenario

    scenario = load_scenario(SAMPLES / "tutorial")
    info = store.create(scenario)
    plan_id = store.save_plan(info.scenario_id, 1, greedy_plan(scenario), {}, "greedy")
    return store, info.scenario_id, plan_id


def rush_row(store: ScenarioStore, scenario_id: int) -> dict[str, str]:
    scenario = store.load(scenario_id)[0]
    form = fitting.RushForm(
        name="急单：总裁的替身",
        genre="都市",
        priority=3,
        earliest_start=scenario.start_date,
        due_date=scenario.end_date,
        cast=(),
        needs=pd.DataFrame({fitting.SET_TYPE: ["办公室"], fitting.DAYS: [1]}),
    )
    return fitting.form_row(scenario, form)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_a_rush_title_is_found_as_a_solve_and_accepted_as_a_save(
    role: Role, tutorial_world: tuple[ScenarioStore, int, int]
) -> None:
    store, scenario_id, plan_id = tutorial_world
    scenario = store.load(scenario_id)[0]
    plan = store.load_plan(plan_id)[0]
    account = account_of(role)
    head = account_of(Role.HEAD)
    where = {"scenario_id": scenario_id, "version": 1, "plan_id": plan_id}
    row = rush_row(store, scenario_id)

    if may(role, Action.SOLVE):
        outcome = fitting.find_options(store, account, scenario, plan, row, **where)
    else:
        with pytest.raises(NotPermittedError):
            fitting.find_options(store, account, scenario, plan, row, **where)
        outcome = fitting.find_options(store, head, scenario, plan, row, **where)
    assert outcome.options

    if may(role, Action.SAVE):
        accepted = fitting.accept(store, account, scenario_id, 1, outcome, 0)
        assert store.info(scenario_id).version == 2 == accepted.scenario_version
    else:
        with pytest.raises(NotPermittedError):
            fitting.accept(store, account, scenario_id, 1, outcome, 0)
        assert store.info(scenario_id).version == 1
        assert len(store.list_plans(scenario_id)) == 1
    rows = [(e.user_name, e.action, e.ok) for e in store.audit_events(user=account.name)]
    allowed = may(role, Action.SAVE)
    assert rows == [(account.name, Action.SOLVE, allowed), (account.name, Action.SAVE, allowed)]
    if allowed:
        saved = store.audit_events(action=Action.SAVE)[0]
        assert saved.plan_id == accepted.plan_id and saved.scenario_version == 2


def test_held_work_holds_until_its_job_is_stopped() -> None:
    """The stand-in work holds: a refused stop's test whose job ended anyway could not fail."""
    stop = threading.Event()
    finished: list[object] = []
    worker = threading.Thread(target=lambda: finished.append(held_work("x")(stop=stop)))
    worker.start()
    worker.join(0.2)
    assert not finished
    stop.set()
    worker.join(5)
    assert finished == ["x"]
