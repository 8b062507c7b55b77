"""The 用户 Users page in streamlit.testing, on the tutorial's database (bases B1, B2).

A head creates, changes, disables and re-passwords accounts through the page, each change
one ``users`` audit row; a form's problems are all shown at once and nothing is stored;
while no account exists the page makes the first one, a head, and then the session must
log in; the last enabled head cannot disable themselves; only a head is given the page.
The rules themselves are tested, on SQLite and PostgreSQL, in ``test_users_view.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Widget

from scheduler.app import users_view as view
from scheduler.domain.accounts import Account, Action, Role
from scheduler.services.accounts import authenticate
from scheduler.storage import ScenarioInfo, ScenarioStore
from tests.app_pages import APP
from tests.factories import ACCOUNT_PASSWORD, signed_in, stored_account
from ui.current import SCENARIO_KEY, SIGNED_IN_KEY

PAGE = Path(APP).parent / "views" / "users.py"
PASSWORD = "新账号-密码-2026"


def open_users(
    store: ScenarioStore, info: ScenarioInfo, account: Account | None, script: Path = APP
) -> AppTest:
    """The page as ``account`` (``None``: the local user, while no account exists)."""
    app = AppTest.from_file(str(script), default_timeout=30)
    app.session_state[SCENARIO_KEY] = info.scenario_id
    if account is not None:
        app.session_state[SIGNED_IN_KEY] = signed_in(account)
    if script == APP:
        app.switch_page("views/users.py")
    return ran(app)


def ran(app: AppTest | Widget) -> AppTest:
    """Run the app (after a widget's change: ``ran(app.button(key=…).click())``)."""
    tested = app.run()
    assert not tested.exception, [e.value for e in tested.exception]
    return tested


def fill_new(app: AppTest, name: str, password: str = PASSWORD, again: str | None = None) -> None:
    app.text_input(key="users_new_name_0").input(name)
    app.text_input(key="users_new_pw_0").input(password)
    app.text_input(key="users_new_again_0").input(password if again is None else again)


def users_rows(store: ScenarioStore) -> list[tuple[str, bool, str]]:
    return [(e.user_name, e.ok, e.detail) for e in store.audit_events(action=Action.USERS)]


@pytest.fixture
def head(tutorial_db: tuple[ScenarioStore, ScenarioInfo]) -> Account:
    store, _ = tutorial_db
    return stored_account(store, "王主管")


def test_a_head_creates_a_producer_on_the_page(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], head: Account
) -> None:
    store, info = tutorial_db
    app = open_users(store, info, head)
    assert app.title[0].value == "用户 Users"

    fill_new(app, "张三")
    app.selectbox(key="users_new_role_0").set_value(Role.PRODUCER)
    ran(app.button(key="users_create").click())

    assert "已创建账号" in app.success[0].value
    assert authenticate(store, "张三", PASSWORD) == Account("张三", Role.PRODUCER)
    assert users_rows(store) == [("王主管", True, "create 张三 producer")]
    assert app.dataframe[0].value["账号 name"].tolist() == ["张三", "王主管"]


def test_a_base_manager_gets_picked_and_typed_bases(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], head: Account
) -> None:
    store, info = tutorial_db
    app = open_users(store, info, head)

    fill_new(app, "李四")
    app.selectbox(key="users_new_role_0").set_value(Role.BASE_MANAGER)
    app.multiselect(key="users_new_bases_0").set_value(["B2"])
    app.text_input(key="users_new_typed_0").input("B09")
    ran(app.button(key="users_create").click())

    assert authenticate(store, "李四", PASSWORD) == Account(
        "李四", Role.BASE_MANAGER, ("B2", "B09")
    )


def test_every_problem_of_the_form_is_shown_and_nothing_stored(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], head: Account
) -> None:
    store, info = tutorial_db
    app = open_users(store, info, head)

    fill_new(app, "   ", password="short", again="other")
    ran(app.button(key="users_create").click())

    (error,) = app.error
    assert "账号名 name" in error.value
    assert "至少 8 个字符" in error.value
    assert "两次输入的密码不一致" in error.value
    assert [stored.account.name for stored in store.list_accounts()] == ["王主管"]
    assert [(who, ok) for who, ok, _ in users_rows(store)] == [("王主管", False)]


def test_the_first_account_is_a_head_and_then_the_session_logs_in(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo],
) -> None:
    store, info = tutorial_db
    app = open_users(store, info, None)
    assert app.info[0].value == view.FIRST_ACCOUNT_NOTE
    assert app.selectbox(key="users_new_role_0").options == [Role.HEAD.label]

    fill_new(app, "王主管")
    ran(app.button(key="users_create").click())

    assert authenticate(store, "王主管", PASSWORD) == Account("王主管", Role.HEAD)
    assert users_rows(store) == [("本机用户 local", True, "create 王主管 head")]
    assert "用户 Users" not in [title.value for title in app.title], "the login takes over"


def test_the_last_head_cannot_disable_themselves_on_the_page(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], head: Account
) -> None:
    store, info = tutorial_db
    app = open_users(store, info, head)

    ran(app.button(key="users_disable_0").click())

    assert "最后一个启用的制片主管" in app.error[0].value
    assert authenticate(store, "王主管", ACCOUNT_PASSWORD) is not None


def test_a_head_disables_a_producer_on_the_page(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], head: Account
) -> None:
    store, info = tutorial_db
    stored_account(store, "张三", Role.PRODUCER)
    app = open_users(store, info, head)

    app.selectbox(key="users_chosen").set_value("张三")
    ran(app.button(key="users_disable_0").click())

    assert "已停用" in app.success[0].value
    assert authenticate(store, "张三", ACCOUNT_PASSWORD) is None
    assert users_rows(store) == [("王主管", True, "disable 张三")]


def test_a_head_changes_a_role_and_resets_a_password_on_the_page(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], head: Account
) -> None:
    store, info = tutorial_db
    stored_account(store, "张三", Role.PRODUCER)
    app = open_users(store, info, head)
    app.selectbox(key="users_chosen").set_value("张三")
    app.selectbox(key="users_role_张三_0").set_value(Role.VIEWER)
    ran(app.button(key="users_save").click())

    app.text_input(key="users_pw_张三_1").input(PASSWORD)
    app.text_input(key="users_again_张三_1").input(PASSWORD)
    ran(app.button(key="users_reset").click())

    assert authenticate(store, "张三", PASSWORD) == Account("张三", Role.VIEWER)
    assert users_rows(store) == [
        ("王主管", True, "role 张三 producer→viewer"),
        ("王主管", True, "password 张三"),
    ]
    for event in store.audit_events():
        assert PASSWORD not in event.detail


def test_a_producer_is_not_given_the_page(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], head: Account
) -> None:
    store, info = tutorial_db
    producer = stored_account(store, "张三", Role.PRODUCER)
    app = open_users(store, info, producer)
    assert "用户 Users" not in [title.value for title in app.title]


def test_the_page_itself_refuses_a_producer(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], head: Account
) -> None:
    store, info = tutorial_db
    producer = stored_account(store, "张三", Role.PRODUCER)
    app = open_users(store, info, producer, script=PAGE)  # the page run on its own
    assert app.error[0].value == view.NOT_PERMITTED_NOTE
    assert not app.get("text_input")
