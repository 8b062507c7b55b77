"""The login gate in streamlit.testing (issue 17): the local user while no account exists,
the login form alone once one does, sessions that expire or end when the account is
disabled, the 退出登录 button, single sign-on's mapping, and navigation by role — a page
not in the role's menu does not run, whatever the link asks for."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from scheduler.app import access
from scheduler.domain.accounts import Account, Action, Role, SignedIn
from scheduler.storage import ScenarioInfo, ScenarioStore
from tests.app_pages import APP
from tests.factories import ACCOUNT_PASSWORD, aged_session, signed_in, stored_account
from ui import login
from ui.current import SCENARIO_KEY, SIGNED_IN_KEY

Database = tuple[ScenarioStore, ScenarioInfo]

TITLES = {screen.file: screen.title for screen in access.screens_for(Role.HEAD)}
LOGIN_TITLE = "ShootPlan 短剧排期"
SSO_SETTINGS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-secret",
    "client_id": "shootplan",
    "client_secret": "secret",
    "server_metadata_url": "https://id.example.cn/.well-known/openid-configuration",
}


def open_app(
    info: ScenarioInfo,
    session: SignedIn | None = None,
    page: str | None = None,
    *,
    sso_user: dict[str, object] | None = None,
) -> AppTest:
    """Run the app as ``session`` (none: a fresh visit), asking for ``page`` of ui/views."""
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.session_state[SCENARIO_KEY] = info.scenario_id
    if session is not None:
        app.session_state[SIGNED_IN_KEY] = session
    if sso_user is not None:
        app.secrets["auth"] = SSO_SETTINGS
        app.user = sso_user
    if page is not None:
        app.switch_page(f"views/{page}")
    return app.run()


def titles(app: AppTest) -> list[str]:
    return [title.value for title in app.title]


def button(app: AppTest, label: str) -> object:
    return next(button for button in app.button if button.label == label)


def log_in(app: AppTest, name: str, password: str) -> AppTest:
    """Fill the login form and press 登录."""
    app.text_input[0].input(name)
    app.text_input[1].input(password)
    button(app, "登录 Log in").click()  # type: ignore[attr-defined]
    return app.run()


def shows_login_form_only(app: AppTest) -> bool:
    """The login form and nothing of the app: no page title, no sidebar."""
    labels = [field.label for field in app.text_input]
    return (
        titles(app) == [LOGIN_TITLE]
        and labels == ["账号 Account", "密码 Password"]
        and len(app.sidebar) == 0
    )


# -- no account yet: the local user ------------------------------------------------------


def test_without_accounts_the_app_opens_for_the_local_user(tutorial_db: Database) -> None:
    _, info = tutorial_db
    app = open_app(info)
    assert not app.exception
    assert titles(app) == ["场景 Scenarios"]
    warning = app.sidebar.warning[0].value
    assert (
        "还没有账号" in warning and "任何人都可以修改一切" in warning and "用户 Users" in warning
    )
    # the local user is a head: the accounts page is in the menu and runs
    assert titles(app.switch_page("views/users.py").run()) == ["用户 Users"]


def test_with_an_account_a_visit_shows_the_login_form_and_nothing_else(
    tutorial_db: Database,
) -> None:
    store, info = tutorial_db
    stored_account(store, "张三", Role.PRODUCER)
    app = open_app(info)
    assert not app.exception
    assert shows_login_form_only(app)
    # a link to a page does not get past the form either
    assert shows_login_form_only(open_app(info, page="plan.py"))


# -- the login form -------------------------------------------------------------------


def test_a_wrong_password_says_so_and_signs_nobody_in(tutorial_db: Database) -> None:
    store, info = tutorial_db
    stored_account(store, "张三", Role.PRODUCER)
    app = log_in(open_app(info), "张三", "not-the-password")
    assert not app.exception
    assert [error.value for error in app.error] == [access.WRONG_LOGIN]
    assert "账号或密码错误" in app.error[0].value
    assert SIGNED_IN_KEY not in app.session_state
    assert shows_login_form_only(app)
    assert [(e.user_name, e.ok) for e in store.audit_events(action=Action.LOGIN)] == [
        ("张三", False)
    ]


def test_the_right_password_signs_in_and_the_sidebar_says_who(tutorial_db: Database) -> None:
    store, info = tutorial_db
    stored_account(store, "张三", Role.PRODUCER)
    app = log_in(open_app(info), "张三", ACCOUNT_PASSWORD)
    assert not app.exception
    assert titles(app) == ["场景 Scenarios"]
    assert app.session_state[SIGNED_IN_KEY].account == Account("张三", Role.PRODUCER)
    assert "张三 · 统筹 producer" in app.sidebar.caption[0].value
    assert [(e.user_name, e.ok) for e in store.audit_events(action=Action.LOGIN)] == [
        ("张三", True)
    ]


def test_a_link_asked_for_before_login_opens_after_it(tutorial_db: Database) -> None:
    store, info = tutorial_db
    stored_account(store, "张三", Role.PRODUCER)
    app = log_in(open_app(info, page="plan.py"), "张三", ACCOUNT_PASSWORD)
    assert titles(app) == ["排期 Plan"]


def test_a_link_the_role_does_not_see_opens_its_home_after_login(tutorial_db: Database) -> None:
    store, info = tutorial_db
    stored_account(store, "李四", Role.BASE_MANAGER, ("B2",))
    app = log_in(open_app(info, page="plan.py"), "李四", ACCOUNT_PASSWORD)
    assert titles(app) == ["基地视图 Base manager"]


# -- sessions -----------------------------------------------------------------------------


def test_a_session_in_use_goes_on_and_is_seen_again(tutorial_db: Database) -> None:
    store, info = tutorial_db
    session = aged_session(
        stored_account(store, "张三", Role.PRODUCER),
        logged_in_ago=dt.timedelta(hours=3),
        unused_for=dt.timedelta(minutes=50),
    )
    app = open_app(info, session)
    assert titles(app) == ["场景 Scenarios"]
    assert app.session_state[SIGNED_IN_KEY].last_seen > session.last_seen


@pytest.mark.parametrize(
    ("logged_in_ago", "unused_for"),
    [(dt.timedelta(hours=2), dt.timedelta(minutes=61)), (dt.timedelta(hours=13), dt.timedelta())],
    ids=["idle an hour", "older than a working day"],
)
def test_an_expired_session_shows_the_login_form_again(
    tutorial_db: Database, logged_in_ago: dt.timedelta, unused_for: dt.timedelta
) -> None:
    store, info = tutorial_db
    account = stored_account(store, "张三", Role.PRODUCER)
    app = open_app(info, aged_session(account, logged_in_ago=logged_in_ago, unused_for=unused_for))
    assert not app.exception
    assert shows_login_form_only(app)
    assert "登录已过期，请重新登录" in app.warning[0].value
    assert SIGNED_IN_KEY not in app.session_state


def test_an_account_disabled_mid_session_is_signed_out(tutorial_db: Database) -> None:
    store, info = tutorial_db
    account = stored_account(store, "张三", Role.PRODUCER)
    app = open_app(info, signed_in(account))
    assert titles(app) == ["场景 Scenarios"]
    store.update_account(replace(account, disabled=True))
    app.run()
    assert shows_login_form_only(app)
    assert app.warning[0].value == access.ACCOUNT_GONE


def test_a_role_changed_mid_session_takes_effect_at_once(tutorial_db: Database) -> None:
    store, info = tutorial_db
    account = stored_account(store, "张三", Role.PRODUCER)
    app = open_app(info, signed_in(account), "plan.py")
    assert titles(app) == ["排期 Plan"]
    store.update_account(Account("张三", Role.BASE_MANAGER, ("B2",)))
    app.run()
    assert titles(app) == ["基地视图 Base manager"]
    assert "基地 bases B2" in app.sidebar.caption[0].value


def test_logout_ends_the_session_and_forgets_it(tutorial_db: Database) -> None:
    store, info = tutorial_db
    app = open_app(info, signed_in(stored_account(store, "张三", Role.PRODUCER)))
    button(app, "退出登录 Logout").click()  # type: ignore[attr-defined]
    app.run()
    assert shows_login_form_only(app)
    assert SIGNED_IN_KEY not in app.session_state
    assert SCENARIO_KEY not in app.session_state


# -- navigation by role: a page not in the menu does not run --------------------------------

NOT_FOR_BASE_MANAGERS = [
    "scenarios.py",
    "inputs.py",
    "plan.py",
    "stripboard.py",
    "capacity.py",
    "pooling.py",
    "whatif.py",
    "sweep.py",
    "users.py",
    "audit.py",
]


@pytest.mark.parametrize("page", NOT_FOR_BASE_MANAGERS)
def test_a_base_manager_asking_for_another_page_gets_the_base_page(
    tutorial_db: Database, page: str
) -> None:
    store, info = tutorial_db
    manager = stored_account(store, "李四", Role.BASE_MANAGER, ("B2",))
    app = open_app(info, signed_in(manager), page)
    assert not app.exception
    assert TITLES[page] not in titles(app)
    assert titles(app) == ["基地视图 Base manager"]


@pytest.mark.parametrize("page", ["utilisation.py", "base.py", "export.py"])
def test_a_base_manager_opens_their_three_pages(tutorial_db: Database, page: str) -> None:
    store, info = tutorial_db
    manager = stored_account(store, "李四", Role.BASE_MANAGER, ("B2",))
    assert titles(open_app(info, signed_in(manager), page)) == [TITLES[page]]


@pytest.mark.parametrize(
    ("role", "page"),
    [(Role.VIEWER, "users.py"), (Role.PRODUCER, "audit.py"), (Role.PRODUCER, "users.py")],
)
def test_only_a_head_opens_users_and_audit_refused(
    tutorial_db: Database, role: Role, page: str
) -> None:
    store, info = tutorial_db
    app = open_app(info, signed_in(stored_account(store, "王五", role)), page)
    assert not app.exception
    assert titles(app) == ["场景 Scenarios"]  # the role's home, not the page asked for


@pytest.mark.parametrize("page", ["users.py", "audit.py"])
def test_only_a_head_opens_users_and_audit_allowed(tutorial_db: Database, page: str) -> None:
    store, info = tutorial_db
    app = open_app(info, signed_in(stored_account(store, "赵六", Role.HEAD)), page)
    assert titles(app)[:1] == [TITLES[page]]


# -- single sign-on ---------------------------------------------------------------------------


def test_single_sign_on_maps_the_providers_user_to_their_account(
    tutorial_db: Database,
) -> None:
    store, info = tutorial_db
    stored_account(store, "ls@studio.cn", Role.BASE_MANAGER, ("B2",))
    app = open_app(info, sso_user={"is_logged_in": True, "email": "LS@studio.cn"})
    assert not app.exception
    assert titles(app) == ["基地视图 Base manager"]
    assert app.session_state[SIGNED_IN_KEY].account.name == "ls@studio.cn"


def test_single_sign_on_without_an_account_is_refused_and_audited(
    tutorial_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(login, "authlib_installed", lambda: True)
    store, info = tutorial_db
    stored_account(store, "张三", Role.HEAD)
    app = open_app(info, sso_user={"is_logged_in": True, "email": "nobody@studio.cn"})
    assert not app.exception
    assert titles(app) == [LOGIN_TITLE]
    assert "nobody@studio.cn" in app.warning[0].value and "没有账号" in app.warning[0].value
    assert SIGNED_IN_KEY not in app.session_state
    labels = [button.label for button in app.button]
    assert "单点登录 Single sign-on" in labels
    assert "退出单点登录 Sign out of single sign-on" in labels
    rows = store.audit_events(action=Action.LOGIN)
    assert [(row.user_name, row.ok) for row in rows] == [("nobody@studio.cn", False)]
    # the refusal is recorded once per visit, not on every rerun of it
    app.run()
    assert len(store.audit_events(action=Action.LOGIN)) == 1


def test_the_login_form_offers_single_sign_on_only_when_configured(
    tutorial_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(login, "authlib_installed", lambda: True)
    store, info = tutorial_db
    stored_account(store, "张三", Role.HEAD)
    plain = [button.label for button in open_app(info).button]
    assert "单点登录 Single sign-on" not in plain
    with_sso = open_app(info, sso_user={"email": "test@example.com"})  # not logged in
    assert "单点登录 Single sign-on" in [button.label for button in with_sso.button]


def test_single_sign_on_without_authlib_says_how_to_install_it(
    tutorial_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(login, "authlib_installed", lambda: False)
    store, info = tutorial_db
    stored_account(store, "张三", Role.HEAD)
    app = open_app(info, sso_user={"email": "test@example.com"})
    assert "单点登录 Single sign-on" not in [button.label for button in app.button]
    assert "pip install Authlib" in app.error[0].value
