"""Accounts: argon2 password hashes, creating accounts, and logging in with an audit row.

>>> store = ScenarioStore(get_engine())                                    # doctest: +SKIP
>>> create_account(store, "张三", Role.PRODUCER, (), "long-enough")        # doctest: +SKIP
>>> authenticate(store, "张三", "long-enough")                             # doctest: +SKIP
Account(name='张三', role=<Role.PRODUCER: 'producer'>, bases=(), disabled=False)
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error, InvalidHashError

from scheduler.domain.accounts import (
    FAILED_LOGIN_WINDOW,
    LOCAL_USER,
    Account,
    Action,
    AuditNote,
    Role,
    login_delay,
    may,
)
from scheduler.storage import ScenarioStore

MAX_NAME_LENGTH = 64
"""Longest account name, in characters."""
MIN_PASSWORD_LENGTH = 8
"""Shortest password, in characters."""

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted: two calls give two hashes)."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; a wrong password or a bad hash → False."""
    try:
        return _HASHER.verify(password_hash, password)
    except (Argon2Error, InvalidHashError, ValueError, TypeError):
        return False


def account_problems(name: str, role: object, password: str) -> list[str]:
    """Every reason an account cannot be made from these, Chinese first; empty when fine."""
    problems: list[str] = []
    if not name.strip():
        problems.append("账号名 name: 不能为空或只有空白 must not be empty or only whitespace")
    elif len(name) > MAX_NAME_LENGTH:
        problems.append(
            f"账号名 name: 最多 {MAX_NAME_LENGTH} 个字符 at most {MAX_NAME_LENGTH} characters, "
            f"got {len(name)}"
        )
    if not isinstance(role, Role):
        problems.append(f"角色 role: 未知角色 unknown role {role!r}")
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            f"密码 password: 至少 {MIN_PASSWORD_LENGTH} 个字符 at least "
            f"{MIN_PASSWORD_LENGTH} characters, got {len(password)}"
        )
    return problems


def create_account(
    store: ScenarioStore, name: str, role: Role, bases: Sequence[str], password: str
) -> Account:
    """Check and store a new account with the argon2 hash of ``password``.

    Raises
    ------
    ValueError
        Name, role, password or bases are wrong; the message lists every problem.
    DuplicateAccountError
        An account of that name exists already.
    """
    problems = account_problems(name, role, password)
    clean_bases = tuple(base.strip() for base in bases if base.strip())
    if not problems:
        try:
            account = Account(name=name, role=role, bases=clean_bases)
        except ValueError as error:
            problems.append(str(error))
    if problems:
        raise ValueError("无法创建账号 cannot create the account:\n" + "\n".join(problems))
    store.add_account(account, hash_password(password))
    return account


_UNKNOWN_ACCOUNT_HASH = hash_password("no account has this password")
"""Checked against for a name with no account, so that its answer takes as long."""


def authenticate(
    store: ScenarioStore,
    name: str,
    password: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> Account | None:
    """The account if ``password`` is right and it is not disabled, else ``None``.

    Every attempt leaves one ``login`` row in the audit trail, ``ok`` or not. Failed
    tries slow the next ones down: before checking, the attempt waits
    :func:`~scheduler.domain.accounts.login_delay` of the name's recent failures
    (whether or not the account exists). A name with no account is checked against a
    stand-in hash, so a wrong name answers as slowly as a wrong password.
    """
    sleep(login_delay(store.failed_logins(name, now() - FAILED_LOGIN_WINDOW)))
    stored = store.account(name)
    if stored is None:
        verify_password(_UNKNOWN_ACCOUNT_HASH, password)
        ok, detail = False, "no such account"
    elif stored.account.disabled:
        verify_password(stored.password_hash, password)
        ok, detail = False, "account disabled"
    elif not verify_password(stored.password_hash, password):
        ok, detail = False, "wrong password"
    else:
        ok, detail = True, ""
    store.add_audit(name, Action.LOGIN, ok, detail=detail)
    return stored.account if ok and stored is not None else None


class NotPermittedError(PermissionError):
    """The user's role may not take the action; nothing was changed."""

    def __init__(self, account: Account, action: Action) -> None:
        self.account = account
        self.action = action
        super().__init__(
            f"无权限：{account.role.label} 不能执行「{ACTION_LABELS[action]}」"
            f" / not permitted: {account.name} ({account.role.value}) may not {action.value}"
        )


ACTION_LABELS = {
    Action.LOGIN: "登录 login",
    Action.IMPORT: "导入 import",
    Action.SAVE: "保存 save",
    Action.SOLVE: "排期 solve",
    Action.STOP: "停止 stop",
    Action.PUBLISH: "发布 publish",
    Action.DELETE: "删除 delete",
    Action.EXPORT: "导出 export",
    Action.DOWNLOAD: "下载 download",
    Action.USERS: "管理用户 users",
}
"""How the audit trail and the messages name each action."""


@contextmanager
def acting(
    store: ScenarioStore,
    account: Account,
    action: Action,
    *,
    scenario_id: int | None = None,
    scenario_version: int | None = None,
    plan_id: int | None = None,
    detail: str = "",
) -> Iterator[AuditNote]:
    """Take ``action`` as ``account``: check the role, then leave exactly one audit row.

    Everything the block stores carries the row in its first transaction (see
    :meth:`ScenarioStore.audited`); a refusal or an error leaves a failed row and
    changes nothing.

    Raises
    ------
    NotPermittedError
        The account's role may not take ``action`` (a failed row is recorded).
    """
    note = AuditNote(account.name, action, scenario_id, scenario_version, plan_id, detail)
    if not may(account.role, action):
        refusal = NotPermittedError(account, action)
        note.detail = "无权限 not permitted"
        with store.audited(note):
            raise refusal
    with store.audited(note):
        yield note


def accounts_exist(store: ScenarioStore) -> bool:
    """Whether any account is stored (then every visit logs in)."""
    return bool(store.list_accounts())


def current_account(store: ScenarioStore, name: str) -> Account | None:
    """The stored account of a signed-in name as it is now; None once deleted or disabled."""
    if name == LOCAL_USER.name and not accounts_exist(store):
        return LOCAL_USER
    stored = store.account(name)
    if stored is None or stored.account.disabled:
        return None
    return stored.account
