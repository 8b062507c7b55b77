"""The pages grey out what the signed-in role may not do (issue 17), in streamlit.testing.

A viewer (只读) sees the Plan page's solve, publish and pin buttons, the Inputs page's save
and the Scenarios page's clone, rename, delete and import greyed out, each saying 「无权限」;
a producer (统筹) has them all. A running solve's progress line names who started it, and
only they (or a head) may press its stop. Greying out is a courtesy: the server-side check
behind each button is tested in tests/test_permissions.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from scheduler.domain.accounts import Account, Role
from scheduler.services import solve_jobs
from scheduler.storage import ScenarioInfo, ScenarioStore
from solver.slate.greedy import greedy_plan
from tests.app_pages import APP
from tests.factories import held_work, signed_in, stored_account
from ui.current import SCENARIO_KEY, SIGNED_IN_KEY

Database = tuple[ScenarioStore, ScenarioInfo]

PLAN_BUTTONS = ("plan_solve", "plan_publish", "plan_pin")
SCENARIO_BUTTONS = ("scenarios_clone", "scenarios_rename", "scenarios_delete", "scenarios_import")


@pytest.fixture
def planned(tutorial_db: Database) -> Iterator[Database]:
    """The tutorial with a stored plan, and a head (accounts exist: every visit logs in)."""
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    store.save_plan(info.scenario_id, version, greedy_plan(scenario), {"status": "feasible"})
    stored_account(store, "周主管", Role.HEAD)
    yield store, info
    solve_jobs.forget_job()


def open_as(info: ScenarioInfo, account: Account, page: str) -> AppTest:
    """Run the app on ``page`` (a file of ui/views) as ``account``, signed in just now."""
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.session_state[SCENARIO_KEY] = info.scenario_id
    app.session_state[SIGNED_IN_KEY] = signed_in(account)
    app.switch_page(f"views/{page}")
    app.run()
    assert not app.exception, app.exception
    return app


def greyed(app: AppTest, keys: tuple[str, ...]) -> dict[str, bool]:
    return {key: app.button(key=key).disabled for key in keys}


def test_a_viewer_sees_solve_publish_and_pin_greyed_out_saying_why(planned: Database) -> None:
    store, info = planned
    app = open_as(info, stored_account(store, "赵只读", Role.VIEWER), "plan.py")
    assert greyed(app, PLAN_BUTTONS) == dict.fromkeys(PLAN_BUTTONS, True)
    assert all("无权限" in app.button(key=key).help for key in PLAN_BUTTONS)


def test_a_producer_may_solve_publish_and_pin(planned: Database) -> None:
    store, info = planned
    app = open_as(info, stored_account(store, "王统筹", Role.PRODUCER), "plan.py")
    assert greyed(app, PLAN_BUTTONS) == dict.fromkeys(PLAN_BUTTONS, False)
    assert app.text_input(key="plan_publish_who").value == "王统筹"  # publishes as themself


def test_a_viewer_cannot_save_inputs_and_a_producer_can(planned: Database) -> None:
    store, info = planned
    viewer = open_as(info, stored_account(store, "赵只读", Role.VIEWER), "inputs.py")
    producer = open_as(info, stored_account(store, "王统筹", Role.PRODUCER), "inputs.py")
    assert viewer.button(key="inputs_save").disabled
    assert "无权限" in viewer.button(key="inputs_save").help
    assert not producer.button(key="inputs_save").disabled


def test_a_viewer_cannot_change_scenarios_and_a_producer_can(planned: Database) -> None:
    store, info = planned
    viewer = open_as(info, stored_account(store, "赵只读", Role.VIEWER), "scenarios.py")
    producer = open_as(info, stored_account(store, "王统筹", Role.PRODUCER), "scenarios.py")
    assert greyed(viewer, SCENARIO_BUTTONS) == dict.fromkeys(SCENARIO_BUTTONS, True)
    assert greyed(producer, SCENARIO_BUTTONS) == dict.fromkeys(SCENARIO_BUTTONS, False)


def test_a_running_solve_names_its_owner_and_only_they_or_a_head_may_stop_it(
    planned: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, info = planned
    owner = stored_account(store, "张三", Role.PRODUCER)
    monkeypatch.setattr("scheduler.services.planning.plan_scenario", held_work(None))
    job = solve_jobs.start_solve(
        store, owner, info.scenario_id, store.load(info.scenario_id)[0], scenario_id=1, version=1
    )
    assert job.running

    other = open_as(info, stored_account(store, "李四", Role.PRODUCER), "plan.py")
    own = open_as(info, owner, "plan.py")
    head = open_as(info, stored_account(store, "钱主管", Role.HEAD), "plan.py")

    [progress] = other.get("progress")
    assert "由 张三（统筹）发起" in progress.proto.text
    assert other.button(key="plan_stop").disabled
    assert "只有发起人 张三" in other.button(key="plan_stop").help
    assert other.button(key="plan_solve").disabled  # one solve per scenario at a time
    assert not own.button(key="plan_stop").disabled
    assert not head.button(key="plan_stop").disabled
    own.button(key="plan_stop").click().run()
    assert job.wait(10) and job.stopping
    [stop] = [(e.user_name, e.ok) for e in store.audit_events() if e.action.value == "stop"]
    assert stop == ("张三", True)
