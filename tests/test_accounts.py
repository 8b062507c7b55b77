"""Accounts, roles, password hashes and the audit trail (issue 17), on SQLite and PostgreSQL.

The storage tests' fixtures (:mod:`tests.storage_fixtures`): a migrated, emptied
database per test, or an empty one for the migration.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from scheduler.cli.main import main
from scheduler.domain.accounts import (
    FAILED_LOGIN_WINDOW,
    LONGEST_LOGIN_DELAY,
    SESSION_IDLE,
    SESSION_LONGEST,
    Account,
    Action,
    Role,
    SignedIn,
    expired,
    login_delay,
    may,
    parse_role,
    sees_base,
)
from scheduler.services import accounts as accounts_service
from scheduler.services.accounts import (
    authenticate,
    create_account,
    hash_password,
    verify_password,
)
from scheduler.storage import (
    DuplicateAccountError,
    LastHeadError,
    NotFoundError,
    ScenarioStore,
    get_engine,
)
from scheduler.storage.engine import create_database_engine, upgrade
from scheduler.storage.rows import metadata
from tests.test_sweep_storage import downgrade_to

PASSWORD = "片场-2026-ok"
CHANGES = (Action.IMPORT, Action.SAVE, Action.SOLVE, Action.STOP, Action.PUBLISH, Action.DELETE)

# -- permission table ---------------------------------------------------------------


@pytest.mark.parametrize("action", list(Action))
def test_head_may_do_everything(action: Action) -> None:
    assert may(Role.HEAD, action)


@pytest.mark.parametrize("action", [*CHANGES, Action.EXPORT, Action.LOGIN, Action.DOWNLOAD])
def test_producer_may_edit_solve_publish(action: Action) -> None:
    assert may(Role.PRODUCER, action)


def test_producer_may_not_manage_users() -> None:
    assert not may(Role.PRODUCER, Action.USERS)


@pytest.mark.parametrize("role", [Role.BASE_MANAGER, Role.VIEWER])
@pytest.mark.parametrize("action", [Action.LOGIN, Action.DOWNLOAD])
def test_read_only_roles_may_log_in_and_download(role: Role, action: Action) -> None:
    assert may(role, action)


@pytest.mark.parametrize("role", [Role.BASE_MANAGER, Role.VIEWER])
@pytest.mark.parametrize("action", [*CHANGES, Action.EXPORT, Action.USERS])
def test_read_only_roles_change_nothing(role: Role, action: Action) -> None:
    assert not may(role, action)


def test_roles_have_chinese_labels_first() -> None:
    assert [role.label for role in Role] == [
        "统筹 producer",
        "基地负责人 base_manager",
        "制片主管 head",
        "只读 viewer",
    ]
    assert parse_role("统筹") is Role.PRODUCER
    assert parse_role("base_manager") is Role.BASE_MANAGER


def test_unknown_role_is_refused_naming_the_roles() -> None:
    with pytest.raises(ValueError, match=r"unknown role 'boss'.*制片主管 head"):
        parse_role("boss")


def test_base_manager_with_bases_is_an_account() -> None:
    assert Account("李四", Role.BASE_MANAGER, ("B01",)).bases == ("B01",)


def test_base_manager_without_bases_is_refused() -> None:
    with pytest.raises(ValueError, match="至少指定一个基地"):
        Account("李四", Role.BASE_MANAGER)


def test_other_roles_with_bases_are_refused() -> None:
    with pytest.raises(ValueError, match="只有基地负责人可指定基地"):
        Account("王五", Role.VIEWER, ("B01",))


# -- password hashing ---------------------------------------------------------------


def test_the_right_password_verifies() -> None:
    hashed = hash_password(PASSWORD)
    assert hashed != PASSWORD
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, PASSWORD)


def test_a_wrong_password_or_a_bad_hash_is_false() -> None:
    hashed = hash_password(PASSWORD)
    assert not verify_password(hashed, PASSWORD + "x")
    assert not verify_password("not-a-hash", PASSWORD)
    assert not verify_password("", PASSWORD)


# -- accounts and audit in storage ------------------------------------------------


def test_a_created_account_logs_in_and_leaves_one_ok_row(store: ScenarioStore) -> None:
    create_account(store, "张三", Role.BASE_MANAGER, ["B01", "B02"], PASSWORD)

    account = authenticate(store, "张三", PASSWORD)

    assert account == Account("张三", Role.BASE_MANAGER, ("B01", "B02"))
    events = store.audit_events()
    assert [(e.user_name, e.action, e.ok) for e in events] == [("张三", Action.LOGIN, True)]
    stored = store.account("张三")
    assert stored is not None and stored.password_hash != PASSWORD


def test_a_wrong_password_is_refused_and_leaves_one_failed_row(store: ScenarioStore) -> None:
    create_account(store, "张三", Role.PRODUCER, [], PASSWORD)

    assert authenticate(store, "张三", "wrong-password") is None
    assert authenticate(store, "nobody", PASSWORD) is None

    events = store.audit_events(action=Action.LOGIN)
    assert [(e.user_name, e.ok, e.detail) for e in events] == [
        ("张三", False, "wrong password"),
        ("nobody", False, "no such account"),
    ]


def test_a_disabled_account_is_refused_with_the_right_password(store: ScenarioStore) -> None:
    store.add_account(Account("赵六", Role.VIEWER, disabled=True), hash_password(PASSWORD))

    assert authenticate(store, "赵六", PASSWORD) is None

    (event,) = store.audit_events(user="赵六")
    assert (event.ok, event.detail) == (False, "account disabled")


# -- failed logins slow down; wrong names take as long as wrong passwords ------------


def test_failed_logins_slow_the_next_tries_down(store: ScenarioStore) -> None:
    create_account(store, "张三", Role.PRODUCER, [], PASSWORD)
    waits: list[float] = []

    for _ in range(4):
        authenticate(store, "张三", "wrong-password", sleep=waits.append)

    assert waits == [0.0, 1.0, 2.0, 4.0]


def test_a_good_login_ends_the_slow_down(store: ScenarioStore) -> None:
    create_account(store, "张三", Role.PRODUCER, [], PASSWORD)
    waits: list[float] = []
    for _ in range(3):
        authenticate(store, "张三", "wrong-password", sleep=waits.append)

    assert authenticate(store, "张三", PASSWORD, sleep=waits.append) is not None
    authenticate(store, "张三", "wrong-password", sleep=waits.append)

    assert waits[-2:] == [4.0, 0.0]


def test_old_failures_no_longer_slow_down(store: ScenarioStore) -> None:
    create_account(store, "张三", Role.PRODUCER, [], PASSWORD)
    for _ in range(3):
        authenticate(store, "张三", "wrong-password", sleep=lambda _: None)
    later = dt.datetime.now(dt.UTC) + FAILED_LOGIN_WINDOW + dt.timedelta(seconds=1)
    waits: list[float] = []

    authenticate(store, "张三", "wrong-password", sleep=waits.append, now=lambda: later)

    assert waits == [0.0]


def test_an_unknown_name_is_slowed_down_like_a_known_one(store: ScenarioStore) -> None:
    waits: list[float] = []
    for _ in range(3):
        authenticate(store, "nobody", "wrong-password", sleep=waits.append)
    assert waits == [0.0, 1.0, 2.0]


def test_an_unknown_name_checks_a_hash_like_a_wrong_password(
    store: ScenarioStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_account(store, "张三", Role.PRODUCER, [], PASSWORD)
    checked: list[str] = []
    real = accounts_service.verify_password

    def counting(password_hash: str, password: str) -> bool:
        checked.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(accounts_service, "verify_password", counting)
    authenticate(store, "张三", "wrong-password", sleep=lambda _: None)
    authenticate(store, "nobody", "wrong-password", sleep=lambda _: None)

    assert len(checked) == 2
    assert all(h.startswith("$argon2id$") for h in checked)


def test_the_delay_doubles_and_stops_at_its_longest() -> None:
    assert [login_delay(n) for n in range(4)] == [0.0, 1.0, 2.0, 4.0]
    assert login_delay(50) == LONGEST_LOGIN_DELAY


# -- sessions expire ----------------------------------------------------------------

START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def test_a_session_in_use_has_not_expired() -> None:
    session = SignedIn(Account("张三", Role.PRODUCER), START, START + dt.timedelta(hours=5))
    assert not expired(session, START + dt.timedelta(hours=5, minutes=59))


def test_a_session_unused_for_an_hour_has_expired() -> None:
    session = SignedIn(Account("张三", Role.PRODUCER), START, START)
    assert expired(session, START + SESSION_IDLE)


def test_a_busy_session_expires_after_a_working_day() -> None:
    now = START + SESSION_LONGEST
    session = SignedIn(Account("张三", Role.PRODUCER), START, now - dt.timedelta(minutes=1))
    assert expired(session, now)


# -- which bases' bookings an account sees --------------------------------------------


def test_a_base_manager_sees_their_own_base() -> None:
    assert sees_base(Account("刘基地", Role.BASE_MANAGER, ("B01",)), "B01")


def test_a_base_manager_does_not_see_another_base() -> None:
    assert not sees_base(Account("刘基地", Role.BASE_MANAGER, ("B01",)), "B02")


@pytest.mark.parametrize("role", [Role.PRODUCER, Role.HEAD, Role.VIEWER])
def test_other_roles_see_every_base(role: Role) -> None:
    assert sees_base(Account("王", role), "B02")


def test_bad_account_input_lists_every_problem(store: ScenarioStore) -> None:
    with pytest.raises(ValueError) as caught:
        create_account(store, "   ", Role.VIEWER, [], "short")
    message = str(caught.value)
    assert "账号名 name" in message and "密码 password" in message
    with pytest.raises(ValueError, match="at most 64"):
        create_account(store, "x" * 65, Role.VIEWER, [], PASSWORD)
    assert store.list_accounts() == []


def test_a_second_account_of_the_same_name_is_refused(store: ScenarioStore) -> None:
    create_account(store, "张三", Role.VIEWER, [], PASSWORD)
    with pytest.raises(DuplicateAccountError, match="张三"):
        create_account(store, "张三", Role.HEAD, [], PASSWORD)
    assert [s.account.role for s in store.list_accounts()] == [Role.VIEWER]


def test_a_new_password_replaces_the_old(store: ScenarioStore) -> None:
    create_account(store, "张三", Role.VIEWER, [], PASSWORD)
    store.set_password("张三", hash_password("new-password-1"))
    assert authenticate(store, "张三", "new-password-1") is not None
    assert authenticate(store, "张三", PASSWORD) is None
    with pytest.raises(NotFoundError):
        store.set_password("nobody", hash_password(PASSWORD))


def test_audit_events_filter_by_user_action_and_time(store: ScenarioStore) -> None:
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    store.add_audit("张三", Action.SOLVE, True, scenario_id=3, scenario_version=2, plan_id=7)
    store.add_audit("李四", Action.PUBLISH, False, detail="refused")
    after = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)

    (solve,) = store.audit_events(user="张三")
    assert (solve.action, solve.scenario_id, solve.scenario_version, solve.plan_id) == (
        Action.SOLVE,
        3,
        2,
        7,
    )
    assert [e.user_name for e in store.audit_events(action=Action.PUBLISH)] == ["李四"]
    assert len(store.audit_events(since=before, until=after)) == 2
    assert store.audit_events(since=after) == []
    assert store.audit_events(until=before) == []


# -- migration 0008 -------------------------------------------------------------------


def test_0008_adds_the_account_tables_and_removes_them_again(empty_db_url: str) -> None:
    tables = {"user_account", "audit_event"}
    engine: Engine = create_database_engine(empty_db_url)
    try:
        upgrade(engine, "0007")
        assert not tables & set(inspect(engine).get_table_names())
    finally:
        engine.dispose()

    reopened = get_engine(empty_db_url)
    try:
        store = ScenarioStore(reopened)
        create_account(store, "张三", Role.HEAD, [], PASSWORD)
        assert tables <= set(inspect(reopened).get_table_names())
        with reopened.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        downgrade_to(reopened, "0007")
        assert not tables & set(inspect(reopened).get_table_names())
    finally:
        reopened.dispose()


# -- command line ---------------------------------------------------------------------


def test_users_add_and_list(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["users", "--database-url", db_url]
    assert (
        main(
            [
                *base,
                "add",
                "李四",
                "--role",
                "base_manager",
                "--bases",
                "B01;B02",
                "--password",
                PASSWORD,
            ]
        )
        == 0
    )
    assert "已创建账号" in capsys.readouterr().out

    assert main([*base, "list"]) == 0
    out = capsys.readouterr().out
    assert "李四" in out and "基地负责人 base_manager" in out and "B01;B02" in out


def test_users_add_refuses_bad_input(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["users", "--database-url", db_url]
    assert main([*base, "add", "李四", "--role", "base_manager", "--password", PASSWORD]) == 1
    assert "至少指定一个基地" in capsys.readouterr().err
    assert main([*base, "add", "李四", "--role", "boss", "--password", PASSWORD]) == 1
    assert "未知角色" in capsys.readouterr().err
    assert main([*base, "list"]) == 0
    assert "没有账号" in capsys.readouterr().out


def test_users_add_asks_twice_and_refuses_a_mismatch(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["users", "--database-url", db_url, "add", "王五", "--role", "viewer"]) == 1
    assert "不一致" in capsys.readouterr().err
    assert ScenarioStore(get_engine(db_url)).list_accounts() == []


def test_users_add_asks_twice_and_stores_a_match(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["users", "--database-url", db_url, "add", "王五", "--role", "只读"]) == 0
    store = ScenarioStore(get_engine(db_url))
    assert authenticate(store, "王五", PASSWORD) == Account("王五", Role.VIEWER)


def test_users_add_leaves_one_users_row_naming_the_console(db_url: str) -> None:
    assert (
        main(
            [
                "users",
                "--database-url",
                db_url,
                "add",
                "王五",
                "--role",
                "viewer",
                "--password",
                PASSWORD,
            ]
        )
        == 0
    )
    (event,) = ScenarioStore(get_engine(db_url)).audit_events()
    assert (event.action, event.ok, event.detail) == (Action.USERS, True, "create 王五 viewer")
    assert event.user_name.startswith("命令行 command line")
    assert PASSWORD not in event.detail


def test_users_password_resets_the_password(db_url: str) -> None:
    base = ["users", "--database-url", db_url]
    main([*base, "add", "王五", "--role", "viewer", "--password", PASSWORD])
    assert main([*base, "password", "王五", "--password", "another-pass-1"]) == 0
    store = ScenarioStore(get_engine(db_url))
    assert authenticate(store, "王五", "another-pass-1") is not None
    assert [e.detail for e in store.audit_events(action=Action.USERS)][-1] == "password 王五"


def test_users_password_refuses_a_short_password_and_keeps_the_old(db_url: str) -> None:
    base = ["users", "--database-url", db_url]
    main([*base, "add", "王五", "--role", "viewer", "--password", PASSWORD])
    assert main([*base, "password", "王五", "--password", "short"]) == 1
    assert authenticate(ScenarioStore(get_engine(db_url)), "王五", PASSWORD) is not None


def test_users_set_changes_role_and_disables(db_url: str) -> None:
    base = ["users", "--database-url", db_url]
    main([*base, "add", "李四", "--role", "producer", "--password", PASSWORD])
    assert main([*base, "set", "李四", "--role", "base_manager", "--bases", "B03"]) == 0
    assert main([*base, "set", "李四", "--disable"]) == 0
    stored = ScenarioStore(get_engine(db_url)).account("李四")
    assert stored is not None
    assert stored.account == Account("李四", Role.BASE_MANAGER, ("B03",), disabled=True)


def test_users_set_refuses_a_base_manager_without_bases(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["users", "--database-url", db_url]
    main([*base, "add", "李四", "--role", "producer", "--password", PASSWORD])
    assert main([*base, "set", "李四", "--role", "base_manager"]) == 1
    assert "至少指定一个基地" in capsys.readouterr().err
    stored = ScenarioStore(get_engine(db_url)).account("李四")
    assert stored is not None and stored.account.role is Role.PRODUCER


# -- never without an enabled head, checked under a lock in storage --------------------


def test_the_store_demotes_a_head_while_another_head_is_left(store: ScenarioStore) -> None:
    create_account(store, "周主管", Role.HEAD, [], PASSWORD)
    create_account(store, "钱主管", Role.HEAD, [], PASSWORD)
    store.update_account(Account("周主管", Role.PRODUCER), keep_a_head=True)
    stored = store.account("周主管")
    assert stored is not None and stored.account.role is Role.PRODUCER


def test_the_store_refuses_to_disable_the_last_enabled_head(store: ScenarioStore) -> None:
    create_account(store, "周主管", Role.HEAD, [], PASSWORD)
    create_account(store, "钱主管", Role.HEAD, [], PASSWORD)
    store.update_account(Account("钱主管", Role.HEAD, disabled=True), keep_a_head=True)
    with pytest.raises(LastHeadError):
        store.update_account(Account("周主管", Role.HEAD, disabled=True), keep_a_head=True)
    stored = store.account("周主管")
    assert stored is not None and not stored.account.disabled


def test_two_heads_demoting_each_other_at_once_leave_one_head(store: ScenarioStore) -> None:
    """PostgreSQL: the second change waits for the first one's lock, then sees it and refuses."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite lets one writer at a time in anyway)")
    create_account(store, "周主管", Role.HEAD, [], PASSWORD)
    create_account(store, "钱主管", Role.HEAD, [], PASSWORD)
    outcome: list[str] = []

    def second() -> None:
        try:
            store.update_account(Account("钱主管", Role.HEAD, disabled=True), keep_a_head=True)
            outcome.append("changed")
        except LastHeadError:
            outcome.append("refused")

    with store.engine.connect() as first:
        change = first.begin()
        heads = "SELECT name FROM user_account WHERE role = 'head' AND NOT disabled FOR UPDATE"
        assert len(first.execute(text(heads)).all()) == 2
        waiting = threading.Thread(target=second)
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive(), "the second change waits for the first one's lock"
        first.execute(text("UPDATE user_account SET disabled = true WHERE name = '周主管'"))
        change.commit()
        waiting.join(10)

    assert outcome == ["refused"]
    enabled = [s.account.name for s in store.list_accounts() if not s.account.disabled]
    assert enabled == ["钱主管"]
