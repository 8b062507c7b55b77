"""What the 用户 Users page shows and does, kept free of Streamlit so it can be tested.

The page lists the accounts (:func:`account_table`), creates one (:class:`NewAccount`,
:func:`create`), changes an account's role and bases (:func:`change`), disables or enables
it (:func:`set_disabled`) and resets its password (:func:`reset_password`). Each change goes
through :mod:`scheduler.services.accounts` as the signed-in user, which checks on the server
that they may manage users (制片主管 head only), keeps the first-account and last-head rules
and leaves one ``users`` audit row; a refused change raises
:class:`~scheduler.services.accounts.AccountChangeError` naming every problem, or
:class:`~scheduler.services.accounts.NotPermittedError`.

Bases are picked from the current scenario's bases or typed (bases of other scenarios,
``B07;B08``); they count for a 基地负责人 base manager only and are dropped for other roles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from scheduler.domain.accounts import Account, Action, Role, may
from scheduler.domain.local_time import local_time
from scheduler.domain.model import Base
from scheduler.services.accounts import (
    accounts_exist,
    add_account_as,
    change_account_as,
    reset_password_as,
    set_disabled_as,
)
from scheduler.storage import ScenarioStore, StoredAccount

ACCOUNT_COLUMNS = ("账号 name", "角色 role", "基地 bases", "状态 status", "创建时间 created")
ENABLED = "启用 enabled"
DISABLED = "停用 disabled"
ROLES = tuple(Role)
"""The roles in the order the pickers list them."""

FIRST_ACCOUNT_NOTE = (
    "还没有账号：现在任何能打开本应用的人都以「本机用户」身份使用全部功能。"
    "第一个账号必须是制片主管（head），创建后每次访问都要登录，本页面也需要重新登录。"
    " / No accounts yet: whoever opens the app uses everything as the local user. The first"
    " account must be a head (制片主管); once it exists every visit logs in, this one too."
)
NOT_PERMITTED_NOTE = "只有制片主管可以管理用户 / only a head (制片主管) manages users"

_BASE_SEPARATORS = re.compile(r"[;,；，、\s]+")


def may_manage(account: Account) -> bool:
    """Whether ``account`` may use the page (the services check again on every change)."""
    return may(account.role, Action.USERS)


def first_account(store: ScenarioStore) -> bool:
    """Whether the next account is the first (then it must be a head)."""
    return not accounts_exist(store)


def account_table(stored: Sequence[StoredAccount]) -> pd.DataFrame:
    """The accounts as the page lists them: name, role, bases, enabled or not, created."""
    rows = [
        (
            item.account.name,
            item.account.role.label,
            ";".join(item.account.bases),
            DISABLED if item.account.disabled else ENABLED,
            local_time(item.created_at),
        )
        for item in stored
    ]
    return pd.DataFrame(rows, columns=list(ACCOUNT_COLUMNS))


def base_options(bases: Iterable[Base], kept: Sequence[str] = ()) -> dict[str, str]:
    """Bases to pick, id → label: the scenario's bases, then ``kept`` ones it lacks.

    ``kept`` are the bases an account has already; one the scenario lacks is marked as
    being of another scenario, so the picker can show it chosen.
    """
    options = {base.base_id: f"{base.name}（{base.base_id}）" for base in bases}
    for base_id in kept:
        options.setdefault(base_id, f"{base_id}（其他场景 other scenario）")
    return options


def typed_bases(text: str) -> list[str]:
    """Base ids typed by hand: separated by ``;`` ``,`` ``、`` or spaces (half or full width)."""
    return [part for part in _BASE_SEPARATORS.split(text) if part]


def chosen_bases(role: Role, picked: Sequence[str], typed: str) -> tuple[str, ...]:
    """The bases an account of ``role`` gets: picked and typed, each once; none but for
    a base manager (other roles see every base)."""
    if role is not Role.BASE_MANAGER:
        return ()
    return tuple(dict.fromkeys([*picked, *typed_bases(typed)]))


def _bases_words(account: Account) -> str:
    return f"，基地 bases {';'.join(account.bases)}" if account.bases else ""


@dataclass(frozen=True)
class NewAccount:
    """The 新建账号 New account form as filled in."""

    name: str
    role: Role
    picked: Sequence[str] = ()
    typed: str = ""
    password: str = ""
    again: str = ""


def create(store: ScenarioStore, actor: Account, form: NewAccount) -> str:
    """Create the account of ``form`` as ``actor``; what to tell the user.

    Raises
    ------
    NotPermittedError
        ``actor`` may not manage users.
    AccountChangeError
        Every problem of the form (name, role, bases, password typed twice, first account
        a head); nothing was stored.
    """
    account = add_account_as(
        store,
        actor,
        form.name.strip(),
        form.role,
        chosen_bases(form.role, form.picked, form.typed),
        form.password,
        again=form.again,
    )
    role = f"{account.role.label}{_bases_words(account)}"
    return f"已创建账号 created account「{account.name}」：{role}"


def change(
    store: ScenarioStore,
    actor: Account,
    name: str,
    role: Role,
    picked: Sequence[str] = (),
    typed: str = "",
) -> str:
    """Give the account ``name`` a new role and bases as ``actor``; what to tell the user.

    Raises
    ------
    NotPermittedError
        ``actor`` may not manage users.
    AccountChangeError
        Bases wrong for the role, or the change would leave no enabled head.
    """
    account = change_account_as(store, actor, name, role, chosen_bases(role, picked, typed))
    return f"已保存 saved「{account.name}」：{account.role.label}{_bases_words(account)}"


def set_disabled(store: ScenarioStore, actor: Account, name: str, disabled: bool) -> str:
    """Disable or enable the account ``name`` as ``actor``; what to tell the user.

    Raises
    ------
    NotPermittedError
        ``actor`` may not manage users.
    AccountChangeError
        Disabling it would leave no enabled head.
    """
    account = set_disabled_as(store, actor, name, disabled)
    if account.disabled:
        return f"已停用 disabled「{account.name}」：不能再登录 can no longer log in"
    return f"已启用 enabled「{account.name}」：可以登录 can log in again"


def reset_password(
    store: ScenarioStore, actor: Account, name: str, password: str, again: str
) -> str:
    """Give the account ``name`` a new password as ``actor``; what to tell the user.

    Raises
    ------
    NotPermittedError
        ``actor`` may not manage users.
    AccountChangeError
        The password is too short or the two differ.
    """
    reset_password_as(store, actor, name, password, again=again)
    return f"已重设密码 password reset for「{name}」"
