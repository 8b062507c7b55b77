"""The audit trail's mechanics: one row per action, in the change's transaction (issue 17).

On SQLite and PostgreSQL (:mod:`tests.storage_fixtures`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from scheduler.domain.accounts import SESSION_IDLE, Account, Action, AuditNote, Role, SignedIn
from scheduler.services.accounts import NotPermittedError, acting
from scheduler.services.downloads import SessionEndedError, take_out
from scheduler.services.scenarios import refuse_invalid_save
from scheduler.storage import DuplicateNameError, ScenarioStore, StaleScenarioError
from tests.factories import storage_plan, storage_scenario, stored_account

PRODUCER = Account("王统筹", Role.PRODUCER)
VIEWER = Account("赵只读", Role.VIEWER)


def test_a_change_and_its_row_are_stored_together(store: ScenarioStore) -> None:
    with acting(store, PRODUCER, Action.IMPORT) as note:
        info = store.create(storage_scenario())
    [event] = store.audit_events()
    assert (event.user_name, event.action, event.ok) == ("王统筹", Action.IMPORT, True)
    assert (event.scenario_id, event.scenario_version) == (info.scenario_id, 1)
    assert note.scenario_id == info.scenario_id


def test_a_plan_saved_in_an_action_names_the_plan(store: ScenarioStore) -> None:
    info = store.create(storage_scenario())
    with acting(store, PRODUCER, Action.SOLVE, scenario_id=info.scenario_id):
        plan_id = store.save_plan(info.scenario_id, 1, storage_plan(), {"status": "FEASIBLE"})
    [event] = store.audit_events()
    assert (event.action, event.plan_id, event.scenario_version) == (Action.SOLVE, plan_id, 1)


def test_an_action_with_two_changes_leaves_one_row(store: ScenarioStore) -> None:
    info = store.create(storage_scenario())
    with acting(store, PRODUCER, Action.SOLVE, scenario_id=info.scenario_id):
        store.save_plan(info.scenario_id, 1, storage_plan(), {})
        store.save_plan(info.scenario_id, 1, storage_plan(), {})
    assert len(store.audit_events()) == 1


def test_an_action_that_changes_nothing_still_leaves_its_row(store: ScenarioStore) -> None:
    with acting(store, PRODUCER, Action.EXPORT, detail="plan.xlsx"):
        pass
    [event] = store.audit_events()
    assert (event.action, event.ok, event.detail) == (Action.EXPORT, True, "plan.xlsx")


def test_a_failed_change_leaves_a_failed_row_and_no_change(store: ScenarioStore) -> None:
    store.create(storage_scenario())
    with pytest.raises(DuplicateNameError), acting(store, PRODUCER, Action.IMPORT):
        store.create(storage_scenario())  # same name: refused inside the transaction
    [event] = store.audit_events()
    assert (event.action, event.ok) == (Action.IMPORT, False)
    assert event.detail
    assert len(store.list()) == 1


def test_a_refused_role_leaves_a_failed_row_and_runs_nothing(store: ScenarioStore) -> None:
    ran = False
    with pytest.raises(NotPermittedError), acting(store, VIEWER, Action.SAVE):
        ran = True
    assert not ran
    [event] = store.audit_events()
    assert (event.user_name, event.action, event.ok) == ("赵只读", Action.SAVE, False)
    assert "not permitted" in event.detail


def test_writes_outside_an_action_leave_no_row(store: ScenarioStore) -> None:
    store.create(storage_scenario())
    assert store.audit_events() == []


def test_the_row_is_rolled_back_with_its_change(store: ScenarioStore) -> None:
    info = store.create(storage_scenario())
    note = AuditNote("王统筹", Action.SAVE, scenario_id=info.scenario_id)
    with pytest.raises(StaleScenarioError), store.audited(note):
        store.save(info.scenario_id, storage_scenario(), expected_version=7)  # stale
    [event] = store.audit_events()
    assert not event.ok
    assert store.info(info.scenario_id).version == 1


def test_a_save_the_editor_refused_leaves_one_failed_row_and_no_change(
    store: ScenarioStore,
) -> None:
    info = store.create(storage_scenario())
    refuse_invalid_save(store, PRODUCER, info.scenario_id, 1, problem_count=3)
    [event] = store.audit_events()
    assert (event.action, event.ok, event.scenario_id) == (Action.SAVE, False, info.scenario_id)
    assert "3 problem(s)" in event.detail
    assert store.info(info.scenario_id).version == 1


# -- a file asked for long after its button was drawn -------------------------------


def test_a_download_in_a_live_session_is_made(store: ScenarioStore) -> None:
    account = stored_account(store, "王统筹", Role.PRODUCER)
    now = dt.datetime.now(dt.UTC)
    session = SignedIn(account, since=now, last_seen=now)
    data = take_out(
        store, account, Action.DOWNLOAD, lambda: "plan", file_name="plan.csv", session=session
    )
    assert data == "plan"
    assert [(e.action, e.ok) for e in store.audit_events()] == [(Action.DOWNLOAD, True)]


def test_a_download_after_the_session_expired_is_refused(store: ScenarioStore) -> None:
    account = stored_account(store, "王统筹", Role.PRODUCER)
    drawn = dt.datetime.now(dt.UTC) - SESSION_IDLE - dt.timedelta(minutes=1)
    session = SignedIn(account, since=drawn, last_seen=drawn)
    with pytest.raises(SessionEndedError):
        take_out(
            store, account, Action.DOWNLOAD, pytest.fail, file_name="plan.csv", session=session
        )
    [event] = store.audit_events()
    assert (event.action, event.ok) == (Action.DOWNLOAD, False)
    assert "登录已过期" in event.detail


def test_a_download_after_the_account_was_disabled_is_refused(store: ScenarioStore) -> None:
    account = stored_account(store, "王统筹", Role.PRODUCER)
    store.update_account(replace(account, disabled=True))
    with pytest.raises(SessionEndedError):
        take_out(store, account, Action.EXPORT, pytest.fail, file_name="郑州.xlsx")
    [event] = store.audit_events()
    assert not event.ok and "停用" in event.detail


def test_an_export_after_the_role_was_lowered_is_refused(store: ScenarioStore) -> None:
    account = stored_account(store, "王统筹", Role.PRODUCER)
    store.update_account(replace(account, role=Role.VIEWER))
    with pytest.raises(NotPermittedError):
        take_out(store, account, Action.EXPORT, pytest.fail, file_name="郑州.xlsx")
    [event] = store.audit_events()
    assert not event.ok
