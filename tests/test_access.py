"""Who sees which screen, the login form's logic, sessions and single sign-on's mapping
(scheduler/app/access.py, issue 17); the store-backed ones on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from scheduler.app import access
from scheduler.domain.accounts import (
    SESSION_IDLE,
    SESSION_LONGEST,
    Account,
    Action,
    Role,
    SignedIn,
)
from scheduler.storage import ScenarioStore
from tests.factories import ACCOUNT_PASSWORD, stored_account

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
PLANNING_PATHS = [
    "scenarios",
    "inputs",
    "plan",
    "stripboard",
    "utilisation",
    "base",
    "capacity",
    "pooling",
    "whatif",
    "sweep",
    "export",
]


def no_wait(_seconds: float) -> None:
    """The login slow-down, skipped (its length is tested in test_accounts)."""


def login_rows(store: ScenarioStore) -> list[tuple[str, bool, str]]:
    return [
        (event.user_name, event.ok, event.detail)
        for event in store.audit_events(action=Action.LOGIN)
    ]


# -- screens by role ------------------------------------------------------------------


def test_a_head_sees_every_screen_and_users_and_audit() -> None:
    paths = [screen.url_path for screen in access.screens_for(Role.HEAD)]
    assert paths == [*PLANNING_PATHS, "users", "audit"]
    titles = [screen.title for screen in access.screens_for(Role.HEAD)][-2:]
    assert titles == ["用户 Users", "审计 Audit trail"]


@pytest.mark.parametrize("role", [Role.PRODUCER, Role.VIEWER])
def test_producers_and_viewers_see_the_planning_screens_not_users_or_audit(role: Role) -> None:
    assert [screen.url_path for screen in access.screens_for(role)] == PLANNING_PATHS


def test_a_base_manager_sees_only_base_utilisation_and_export() -> None:
    paths = [screen.url_path for screen in access.screens_for(Role.BASE_MANAGER)]
    assert paths == ["utilisation", "base", "export"]


def test_each_role_opens_on_a_screen_it_sees() -> None:
    for role in Role:
        assert access.home_for(role) in access.screens_for(role)
    assert access.home_for(Role.BASE_MANAGER) is access.BASE
    assert access.home_for(Role.PRODUCER) is access.SCENARIOS


def test_every_screen_has_its_file_in_ui_views() -> None:
    views = Path(__file__).resolve().parents[1] / "ui" / "views"
    for screen in access.screens_for(Role.HEAD):
        assert (views / screen.file).is_file(), screen


# -- who am I -------------------------------------------------------------------------


def test_the_sidebar_names_a_base_managers_bases() -> None:
    line = access.who_line(Account("李四", Role.BASE_MANAGER, ("B01", "B02")))
    assert line == "李四 · 基地负责人 base_manager · 基地 bases B01、B02"


def test_the_sidebar_names_no_bases_for_a_producer() -> None:
    assert access.who_line(Account("张三", Role.PRODUCER)) == "张三 · 统筹 producer"


# -- the login form ---------------------------------------------------------------------


def test_the_right_password_starts_a_session_now(store: ScenarioStore) -> None:
    stored_account(store, "张三", Role.PRODUCER)
    result = access.log_in(store, " 张三 ", ACCOUNT_PASSWORD, NOW, sleep=no_wait)
    assert result.session == SignedIn(Account("张三", Role.PRODUCER), NOW, NOW)
    assert login_rows(store) == [("张三", True, "")]


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(
    store: ScenarioStore,
) -> None:
    stored_account(store, "张三", Role.PRODUCER)
    wrong_password = access.log_in(store, "张三", "not-the-password", NOW, sleep=no_wait)
    unknown_name = access.log_in(store, "王五", ACCOUNT_PASSWORD, NOW, sleep=no_wait)
    assert wrong_password == unknown_name == access.LoginResult(None, access.WRONG_LOGIN)
    assert "账号或密码错误" in access.WRONG_LOGIN
    assert [(name, ok) for name, ok, _ in login_rows(store)] == [("张三", False), ("王五", False)]


def test_a_disabled_account_cannot_log_in(store: ScenarioStore) -> None:
    account = stored_account(store, "张三", Role.PRODUCER)
    store.update_account(replace(account, disabled=True))
    result = access.log_in(store, "张三", ACCOUNT_PASSWORD, NOW, sleep=no_wait)
    assert result == access.LoginResult(None, access.WRONG_LOGIN)


def test_an_empty_field_is_not_a_try(store: ScenarioStore) -> None:
    stored_account(store, "张三", Role.PRODUCER)
    assert access.log_in(store, "张三", "", NOW).message == access.EMPTY_LOGIN
    assert access.log_in(store, "  ", ACCOUNT_PASSWORD, NOW).message == access.EMPTY_LOGIN
    assert login_rows(store) == []


def test_a_failed_try_slows_the_next_one_down(store: ScenarioStore) -> None:
    stored_account(store, "张三", Role.PRODUCER)
    waits: list[float] = []
    now = dt.datetime.now(dt.UTC)  # the audit rows the slow-down counts are stamped now
    access.log_in(store, "张三", "not-the-password", now, sleep=waits.append)
    access.log_in(store, "张三", ACCOUNT_PASSWORD, now, sleep=waits.append)
    assert waits == [0.0, 1.0]


# -- sessions ---------------------------------------------------------------------------


def test_a_session_in_use_goes_on_and_is_seen_now(store: ScenarioStore) -> None:
    account = stored_account(store, "张三", Role.PRODUCER)
    session = SignedIn(account, NOW - dt.timedelta(hours=3), NOW - dt.timedelta(minutes=59))
    checked = access.check_session(store, session, NOW)
    assert checked == access.LoginResult(SignedIn(account, session.since, NOW))


def test_a_session_unused_for_an_hour_is_over(store: ScenarioStore) -> None:
    account = stored_account(store, "张三", Role.PRODUCER)
    session = SignedIn(account, NOW - SESSION_IDLE, NOW - SESSION_IDLE)
    assert access.check_session(store, session, NOW) == access.LoginResult(
        None, access.SESSION_EXPIRED
    )
    assert "登录已过期，请重新登录" in access.SESSION_EXPIRED


def test_a_session_older_than_a_working_day_is_over_however_busy(store: ScenarioStore) -> None:
    account = stored_account(store, "张三", Role.PRODUCER)
    session = SignedIn(account, NOW - SESSION_LONGEST, NOW - dt.timedelta(minutes=1))
    assert access.check_session(store, session, NOW).session is None


def test_a_role_changed_meanwhile_takes_effect_at_once(store: ScenarioStore) -> None:
    account = stored_account(store, "张三", Role.PRODUCER)
    store.update_account(Account("张三", Role.BASE_MANAGER, ("B02",)))
    checked = access.check_session(store, SignedIn(account, NOW, NOW), NOW)
    assert checked.session is not None
    assert checked.session.account == Account("张三", Role.BASE_MANAGER, ("B02",))


def test_a_disabled_account_is_signed_out(store: ScenarioStore) -> None:
    account = stored_account(store, "张三", Role.PRODUCER)
    store.update_account(replace(account, disabled=True))
    checked = access.check_session(store, SignedIn(account, NOW, NOW), NOW)
    assert checked == access.LoginResult(None, access.ACCOUNT_GONE)


def test_an_account_no_longer_stored_is_signed_out(store: ScenarioStore) -> None:
    stored_account(store, "张三", Role.HEAD)
    gone = Account("王五", Role.PRODUCER)
    assert access.check_session(store, SignedIn(gone, NOW, NOW), NOW).session is None


# -- single sign-on: the provider's user mapped to an account ------------------------------


def claims(**fields: object) -> dict[str, object]:
    """``st.user`` as the provider fills it for a logged-in user."""
    return {"is_logged_in": True, **fields}


def test_claims_of_a_logged_in_user_give_email_name_and_sign_in_time() -> None:
    identity = access.identity_from(
        claims(email=" ZS@Studio.cn ", name="张三", iat=int(NOW.timestamp()))
    )
    assert identity == access.Identity("ZS@Studio.cn", "张三", NOW)


def test_claims_without_a_login_give_no_identity() -> None:
    # AppTest's default st.user has an e-mail but no login: it must not count
    assert access.identity_from({"email": "test@example.com"}) is None
    assert access.identity_from({"is_logged_in": False, "email": "a@b.cn"}) is None


def test_the_email_names_the_account_whatever_its_case(store: ScenarioStore) -> None:
    stored_account(store, "zs@studio.cn", Role.PRODUCER)
    found = access.sso_account(store, access.Identity("ZS@Studio.cn", "张三"))
    assert found == Account("zs@studio.cn", Role.PRODUCER)


def test_without_an_email_match_the_providers_name_must_match_exactly(
    store: ScenarioStore,
) -> None:
    stored_account(store, "张三", Role.PRODUCER)
    assert access.sso_account(store, access.Identity("zs@studio.cn", "张三")) is not None
    assert access.sso_account(store, access.Identity("zs@studio.cn", "张 三")) is None


def test_two_accounts_differing_only_in_case_match_neither(store: ScenarioStore) -> None:
    stored_account(store, "zs@studio.cn", Role.PRODUCER)
    stored_account(store, "ZS@studio.cn", Role.HEAD)
    assert access.sso_account(store, access.Identity("Zs@Studio.cn", "")) is None


def test_single_sign_on_with_an_account_starts_a_session_and_is_audited(
    store: ScenarioStore,
) -> None:
    stored_account(store, "zs@studio.cn", Role.VIEWER)
    signed = NOW - dt.timedelta(hours=2)
    result = access.sso_sign_in(store, access.Identity("zs@studio.cn", "张三", signed), NOW)
    assert result.session == SignedIn(Account("zs@studio.cn", Role.VIEWER), signed, NOW)
    assert login_rows(store) == [("zs@studio.cn", True, access.SSO_DETAIL)]


def test_single_sign_on_without_an_account_is_refused_and_audited(
    store: ScenarioStore,
) -> None:
    stored_account(store, "zs@studio.cn", Role.VIEWER)
    result = access.sso_sign_in(store, access.Identity("ls@studio.cn", "李四"), NOW)
    assert result.session is None
    assert "ls@studio.cn" in result.message and "没有账号" in result.message
    assert login_rows(store) == [
        ("ls@studio.cn", False, f"{access.SSO_DETAIL}: no matching account")
    ]


def test_single_sign_on_to_a_disabled_account_is_refused(store: ScenarioStore) -> None:
    account = stored_account(store, "zs@studio.cn", Role.VIEWER)
    store.update_account(replace(account, disabled=True))
    result = access.sso_sign_in(store, access.Identity("zs@studio.cn", ""), NOW)
    assert result.session is None
    assert login_rows(store) == [("zs@studio.cn", False, f"{access.SSO_DETAIL}: account disabled")]


def test_a_provider_sign_in_older_than_a_working_day_must_be_renewed(
    store: ScenarioStore,
) -> None:
    stored_account(store, "zs@studio.cn", Role.VIEWER)
    old = access.Identity("zs@studio.cn", "", NOW - SESSION_LONGEST)
    assert access.sso_sign_in(store, old, NOW) == access.LoginResult(None, access.SESSION_EXPIRED)
    assert login_rows(store) == []


def test_sso_needs_authlib_and_the_shared_settings() -> None:
    settings = {"redirect_uri": "https://plan.example.cn/oauth2callback", "cookie_secret": "s"}
    assert access.sso_setup_problem(settings, authlib_installed=True) == ""
    assert "pip install Authlib" in access.sso_setup_problem(settings, authlib_installed=False)
    assert "cookie_secret" in access.sso_setup_problem(
        {"redirect_uri": "https://plan.example.cn/oauth2callback"}, authlib_installed=True
    )
