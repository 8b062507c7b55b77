"""The 用户 Users page's view-model and the services under it, on SQLite and PostgreSQL.

Every change is made as someone: a head may, a producer may not (refused on the server, a
failed ``users`` row, nothing stored). The first account must be a head, and the last
enabled head can be neither disabled nor demoted — otherwise nobody could manage users.
Each change leaves exactly one audit row saying what changed, never the password.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scheduler.app import users_view as view
from scheduler.domain.accounts import LOCAL_USER, Account, Action, Role
from scheduler.domain.model import Base
from scheduler.services.accounts import (
    AccountChangeError,
    AccountGoneError,
    NotPermittedError,
    authenticate,
)
from scheduler.storage import AuditEvent, ScenarioStore
from tests.factories import ACCOUNT_PASSWORD, stored_account

NEW_PASSWORD = "新密码-绝不外泄-42"


def rows(store: ScenarioStore) -> list[tuple[str, bool, str]]:
    """The ``users`` rows of the trail: who, ok, detail."""
    return [(e.user_name, e.ok, e.detail) for e in store.audit_events(action=Action.USERS)]


def stored(store: ScenarioStore, name: str) -> Account:
    """The account called ``name`` as stored now."""
    found = store.account(name)
    assert found is not None, name
    return found.account


def producer_form(
    name: str = "张三", password: str = NEW_PASSWORD, again: str | None = None
) -> view.NewAccount:
    """The New account form for a producer, the password typed twice alike unless ``again``."""
    return view.NewAccount(
        name, Role.PRODUCER, password=password, again=password if again is None else again
    )


# -- who may manage users ---------------------------------------------------------------


def test_a_head_creates_a_producer_with_one_row(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")

    message = view.create(store, head, producer_form())

    assert "张三" in message and "统筹 producer" in message
    assert stored(store, "张三") == Account("张三", Role.PRODUCER)
    assert rows(store) == [("王主管", True, "create 张三 producer")]
    assert authenticate(store, "张三", NEW_PASSWORD) == Account("张三", Role.PRODUCER)


def test_a_producer_is_refused_on_the_server_with_a_failed_row(store: ScenarioStore) -> None:
    stored_account(store, "王主管")
    producer = stored_account(store, "李统筹", Role.PRODUCER)

    with pytest.raises(NotPermittedError, match="not permitted"):
        view.create(store, producer, producer_form())

    assert store.account("张三") is None
    [(who, ok, detail)] = rows(store)
    assert (who, ok) == ("李统筹", False)
    assert "not permitted" in detail


@pytest.mark.parametrize(
    "change",
    [
        lambda store, actor: view.change(store, actor, "王主管", Role.VIEWER),
        lambda store, actor: view.set_disabled(store, actor, "王主管", True),
        lambda store, actor: view.reset_password(
            store, actor, "王主管", NEW_PASSWORD, NEW_PASSWORD
        ),
    ],
    ids=["role", "disable", "password"],
)
def test_a_producer_changes_no_account(
    store: ScenarioStore, change: Callable[[ScenarioStore, Account], str]
) -> None:
    stored_account(store, "王主管")
    producer = stored_account(store, "李统筹", Role.PRODUCER)

    with pytest.raises(NotPermittedError):
        change(store, producer)

    assert stored(store, "王主管") == Account("王主管", Role.HEAD)
    assert authenticate(store, "王主管", ACCOUNT_PASSWORD) is not None
    assert [(who, ok) for who, ok, _ in rows(store)] == [("李统筹", False)]


def test_a_head_demoted_since_logging_in_is_refused(store: ScenarioStore) -> None:
    stored_account(store, "王主管")
    was_head = stored_account(store, "赵主管")
    view.change(store, Account("王主管", Role.HEAD), "赵主管", Role.PRODUCER)

    with pytest.raises(NotPermittedError):
        view.create(store, was_head, producer_form())  # the session still says head

    assert store.account("张三") is None
    assert rows(store)[-1][:2] == ("赵主管", False)


def test_a_disabled_head_is_refused(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")
    gone = stored_account(store, "赵主管")
    view.set_disabled(store, head, "赵主管", True)

    with pytest.raises(AccountGoneError, match="disabled or gone"):
        view.create(store, gone, producer_form())

    assert store.account("张三") is None
    assert rows(store)[-1][:2] == ("赵主管", False)


def test_the_local_user_is_refused_once_an_account_exists(store: ScenarioStore) -> None:
    stored_account(store, "王主管")

    with pytest.raises(AccountGoneError):
        view.create(store, LOCAL_USER, producer_form())

    assert store.account("张三") is None


# -- the first account is a head ----------------------------------------------------------


def test_the_first_account_may_be_a_head(store: ScenarioStore) -> None:
    assert view.first_account(store)
    form = view.NewAccount("王主管", Role.HEAD, password=NEW_PASSWORD, again=NEW_PASSWORD)

    view.create(store, LOCAL_USER, form)

    assert not view.first_account(store)
    assert rows(store) == [(LOCAL_USER.name, True, "create 王主管 head")]


def test_the_first_account_may_not_be_a_producer(store: ScenarioStore) -> None:
    with pytest.raises(AccountChangeError) as refused:
        view.create(store, LOCAL_USER, producer_form())

    assert refused.value.problems == [
        "角色 role: 第一个账号必须是制片主管 the first account must be a 制片主管 head, "
        "not 统筹 producer"
    ]
    assert store.list_accounts() == []
    [(who, ok, detail)] = rows(store)
    assert (who, ok) == (LOCAL_USER.name, False)
    assert detail.startswith("create 张三 producer — 角色 role: 第一个账号必须是制片主管")


# -- the last enabled head ----------------------------------------------------------------


def test_a_head_may_disable_themselves_while_another_head_is_enabled(
    store: ScenarioStore,
) -> None:
    head = stored_account(store, "王主管")
    stored_account(store, "赵主管")

    view.set_disabled(store, head, "王主管", True)

    assert stored(store, "王主管").disabled
    assert rows(store) == [("王主管", True, "disable 王主管")]


def test_the_last_enabled_head_may_not_disable_themselves(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")
    stored_account(store, "赵主管")
    view.set_disabled(store, head, "赵主管", True)  # 赵 disabled: 王 is the last enabled head

    with pytest.raises(AccountChangeError, match="last enabled head"):
        view.set_disabled(store, head, "王主管", True)

    assert not stored(store, "王主管").disabled
    assert rows(store)[-1][:2] == ("王主管", False)
    assert rows(store)[-1][2].startswith("disable 王主管 — 「王主管」是最后一个启用的制片主管")


def test_a_head_may_demote_themselves_while_another_head_is_enabled(
    store: ScenarioStore,
) -> None:
    head = stored_account(store, "王主管")
    stored_account(store, "赵主管")

    view.change(store, head, "王主管", Role.PRODUCER)

    assert stored(store, "王主管").role is Role.PRODUCER
    assert rows(store) == [("王主管", True, "role 王主管 head→producer")]


def test_the_last_enabled_head_may_not_demote_themselves(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")
    stored_account(store, "李统筹", Role.PRODUCER)

    with pytest.raises(AccountChangeError, match="last enabled head"):
        view.change(store, head, "王主管", Role.BASE_MANAGER, ["B01"])

    assert stored(store, "王主管").role is Role.HEAD
    assert rows(store)[-1][:2] == ("王主管", False)


# -- role, bases, enabling, passwords ---------------------------------------------------------


def test_a_base_manager_gets_picked_and_typed_bases_and_others_none() -> None:
    assert view.chosen_bases(Role.BASE_MANAGER, ["B1"], "B07；B08, B1") == ("B1", "B07", "B08")
    assert view.chosen_bases(Role.PRODUCER, ["B1"], "B07") == ()


def test_a_role_change_names_old_and_new_role_and_bases(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")
    stored_account(store, "张三", Role.PRODUCER)

    view.change(store, head, "张三", Role.BASE_MANAGER, ["B1"], "B07")

    assert stored(store, "张三").bases == ("B1", "B07")
    assert rows(store) == [
        ("王主管", True, "role 张三 producer→base_manager; bases 张三 -→B1;B07")
    ]


def test_a_base_manager_without_bases_is_refused(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")
    stored_account(store, "张三", Role.PRODUCER)

    with pytest.raises(AccountChangeError, match="基地负责人须至少指定一个基地"):
        view.change(store, head, "张三", Role.BASE_MANAGER)

    assert stored(store, "张三").role is Role.PRODUCER


def test_a_disabled_account_is_enabled_again(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")
    stored_account(store, "张三", Role.PRODUCER)
    view.set_disabled(store, head, "张三", True)
    assert authenticate(store, "张三", ACCOUNT_PASSWORD) is None

    view.set_disabled(store, head, "张三", False)

    assert authenticate(store, "张三", ACCOUNT_PASSWORD) is not None
    assert [detail for _, _, detail in rows(store)] == ["disable 张三", "enable 张三"]


def test_a_reset_password_replaces_the_old_one(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")
    stored_account(store, "张三", Role.PRODUCER)

    view.reset_password(store, head, "张三", NEW_PASSWORD, NEW_PASSWORD)

    assert authenticate(store, "张三", NEW_PASSWORD) is not None
    assert authenticate(store, "张三", ACCOUNT_PASSWORD) is None
    assert rows(store) == [("王主管", True, "password 张三")]


def test_a_password_typed_differently_twice_is_refused(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")
    stored_account(store, "张三", Role.PRODUCER)

    with pytest.raises(AccountChangeError, match="两次输入的密码不一致"):
        view.reset_password(store, head, "张三", NEW_PASSWORD, NEW_PASSWORD + "x")

    assert authenticate(store, "张三", ACCOUNT_PASSWORD) is not None
    assert rows(store)[-1][:2] == ("王主管", False)


def test_every_problem_of_a_new_account_is_named_at_once(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")
    form = view.NewAccount(" ", Role.BASE_MANAGER, password="short", again="shorter")

    with pytest.raises(AccountChangeError) as refused:
        view.create(store, head, form)

    words = "\n".join(refused.value.problems)
    assert len(refused.value.problems) == 4, words
    assert "账号名 name" in words and "至少 8 个字符" in words and "两次输入的密码不一致" in words
    assert "基地负责人须至少指定一个基地" in words
    assert [stored.account.name for stored in store.list_accounts()] == ["王主管"]


def test_a_taken_name_is_refused(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")
    stored_account(store, "张三", Role.VIEWER)

    with pytest.raises(AccountChangeError, match="已有名为「张三」的账号"):
        view.create(store, head, producer_form())

    assert stored(store, "张三").role is Role.VIEWER


def test_no_password_reaches_the_audit_trail(store: ScenarioStore) -> None:
    head = stored_account(store, "王主管")
    view.create(store, head, producer_form())
    view.reset_password(store, head, "张三", NEW_PASSWORD + "2", NEW_PASSWORD + "2")
    with pytest.raises(AccountChangeError):
        view.reset_password(store, head, "张三", NEW_PASSWORD + "3", NEW_PASSWORD + "4")
    with pytest.raises(AccountChangeError):
        view.create(store, head, producer_form("李四", password="pw-bad", again="pw-bad"))

    events: list[AuditEvent] = store.audit_events()
    assert len(events) == 4
    for event in events:
        for secret in (NEW_PASSWORD, "pw-bad"):
            assert secret not in event.detail, event


# -- what the page shows ------------------------------------------------------------------


def test_the_account_table_names_role_bases_and_state(store: ScenarioStore) -> None:
    stored_account(store, "王主管")
    stored_account(store, "李四", Role.BASE_MANAGER, ["B1", "B2"])
    head = Account("王主管", Role.HEAD)
    view.set_disabled(store, head, "李四", True)

    table = view.account_table(store.list_accounts())

    assert list(table.columns) == list(view.ACCOUNT_COLUMNS)
    assert table[["账号 name", "角色 role", "基地 bases", "状态 status"]].values.tolist() == [
        ["李四", "基地负责人 base_manager", "B1;B2", view.DISABLED],
        ["王主管", "制片主管 head", "", view.ENABLED],
    ]


def test_the_base_picker_keeps_bases_of_other_scenarios() -> None:
    bases = [Base("B1", "甲基地", "郑州")]

    assert view.base_options(bases, ["B1", "B9"]) == {
        "B1": "甲基地（B1）",
        "B9": "B9（其他场景 other scenario）",
    }
