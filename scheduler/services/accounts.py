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
from scheduler.storage import DuplicateAccountError, ScenarioStore

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
        with store.audited(note):  # the row: what was tried, then the refusal
            raise NotPermittedError(account, action)
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


# -- managing accounts: the 用户 Users page ----------------------------------------------

MAX_DETAIL_LENGTH = 500
"""An audit row's detail is cut to this many characters."""


class AccountChangeError(ValueError):
    """A change to the accounts is refused; ``problems`` lists every reason, Chinese first.

    Nothing was stored; the audit row of the attempt is a failed one naming the reasons.
    """

    def __init__(self, what: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{what}:\n" + "\n".join(self.problems))


class AccountGoneError(NotPermittedError):
    """The acting account is disabled or gone (or the local user once accounts exist)."""

    def __init__(self, account: Account) -> None:
        self.account = account
        self.action = Action.USERS
        PermissionError.__init__(
            self,
            f"无权限：账号「{account.name}」已停用或不存在，请重新登录"
            f" / not permitted: the account {account.name!r} is disabled or gone; log in again",
        )


def _cut(text: str) -> str:
    return text if len(text) <= MAX_DETAIL_LENGTH else text[: MAX_DETAIL_LENGTH - 1] + "…"


@contextmanager
def _managing(store: ScenarioStore, actor: Account, detail: str) -> Iterator[AuditNote]:
    """Change the accounts as ``actor`` *as stored now*: role checked, exactly one audit row.

    The actor is read again first, so a head demoted or disabled since logging in (or the
    local user once an account exists) is refused. A refused change's row names the reasons.
    """
    now = current_account(store, actor.name)
    with acting(store, now or actor, Action.USERS, detail=_cut(detail)) as note:
        if now is None:
            note.detail = _cut(f"{detail} — 账号已停用或不存在 account disabled or gone")
            raise AccountGoneError(actor)
        try:
            yield note
        except AccountChangeError as error:
            note.detail = _cut(f"{detail} — {'; '.join(error.problems)}")
            raise


def _clean_bases(bases: Sequence[str]) -> tuple[str, ...]:
    """The bases named, blanks dropped, each once, in the order given."""
    return tuple(dict.fromkeys(base.strip() for base in bases if base.strip()))


def _same_twice(password: str, again: str | None) -> list[str]:
    if again is not None and again != password:
        return ["密码 password: 两次输入的密码不一致 the two passwords differ"]
    return []


def _no_head_left(store: ScenarioStore, before: Account, after: Account) -> list[str]:
    """Why ``before`` may not become ``after``: it would leave no enabled head."""

    def manages_users(account: Account) -> bool:
        return account.role is Role.HEAD and not account.disabled

    if not manages_users(before) or manages_users(after):
        return []
    others = [
        stored.account
        for stored in store.list_accounts()
        if stored.account.name != before.name and manages_users(stored.account)
    ]
    if others:
        return []
    return [
        f"「{before.name}」是最后一个启用的制片主管，不能停用或改为其他角色，否则无人能管理用户；"
        f"请先把另一个账号设为制片主管 / {before.name!r} is the last enabled head: disabling "
        "or demoting it would leave nobody to manage users; make another account a head first"
    ]


def _bases_problems(role: Role, bases: Sequence[str]) -> list[str]:
    """Why ``role`` cannot have ``bases``: a base manager names some, other roles none."""
    if role is Role.BASE_MANAGER and not bases:
        return [f"基地 bases: 基地负责人须至少指定一个基地 a {role.label} names at least one base"]
    if role is not Role.BASE_MANAGER and bases:
        return [
            f"基地 bases: 只有基地负责人可指定基地 only a base_manager names bases, "
            f"not {role.label}"
        ]
    return []


def new_account_problems(
    store: ScenarioStore,
    name: str,
    role: Role,
    bases: Sequence[str],
    password: str,
    again: str | None = None,
) -> list[str]:
    """Every reason the account cannot be created, Chinese first; empty when it can.

    Besides :func:`account_problems`: the local user's name is reserved, the name must be
    free, a base manager names bases and no other role does, and while no account exists
    the first one must be a head (制片主管) — otherwise nobody could manage users.
    """
    problems = account_problems(name, role, password) + _same_twice(password, again)
    if name == LOCAL_USER.name:
        problems.append(f"账号名 name: 「{LOCAL_USER.name}」是保留名 is reserved")
    elif name.strip() and store.account(name) is not None:
        problems.append(f"账号名 name: 已有名为「{name}」的账号 an account named {name!r} exists")
    if isinstance(role, Role):
        problems += _bases_problems(role, _clean_bases(bases))
        if role is not Role.HEAD and not accounts_exist(store):
            problems.append(
                f"角色 role: 第一个账号必须是制片主管 the first account must be a "
                f"{Role.HEAD.label}, not {role.label}"
            )
    return problems


def add_account_as(
    store: ScenarioStore,
    actor: Account,
    name: str,
    role: Role,
    bases: Sequence[str],
    password: str,
    *,
    again: str | None = None,
) -> Account:
    """Create an account as ``actor`` (a head): checked, stored, one ``users`` audit row.

    ``again`` is the password typed a second time (``None``: not asked). The row says
    ``create NAME ROLE [BASES]``, never the password.

    Raises
    ------
    NotPermittedError
        ``actor`` may not manage users (or is disabled or gone).
    AccountChangeError
        Every problem of :func:`new_account_problems`; nothing was stored.
    """
    clean = _clean_bases(bases)
    detail = f"create {name} {getattr(role, 'value', role)}" + (
        f" {';'.join(clean)}" if clean else ""
    )
    with _managing(store, actor, detail):
        problems = new_account_problems(store, name, role, clean, password, again)
        if problems:
            raise AccountChangeError("无法创建账号 cannot create the account", problems)
        account = Account(name=name, role=role, bases=clean)
        try:
            store.add_account(account, hash_password(password))
        except DuplicateAccountError as error:  # created by someone else a moment ago
            raise AccountChangeError(
                "无法创建账号 cannot create the account",
                [f"账号名 name: 已有名为「{name}」的账号 an account named {name!r} exists"],
            ) from error
    return account


def _stored_or_refused(store: ScenarioStore, name: str, what: str) -> Account:
    stored = store.account(name)
    if stored is None:
        raise AccountChangeError(
            what, [f"账号 account: 没有名为「{name}」的账号 no account {name!r}"]
        )
    return stored.account


def _change(store: ScenarioStore, before: Account, after: Account, what: str) -> Account:
    """Store ``after`` in place of ``before`` unless that leaves no enabled head."""
    problems = _no_head_left(store, before, after)
    if problems:
        raise AccountChangeError(what, problems)
    if after != before:
        store.update_account(after, keep_a_head=True)  # the final word, under a lock
    return after


def change_account_as(
    store: ScenarioStore, actor: Account, name: str, role: Role, bases: Sequence[str]
) -> Account:
    """Give the account ``name`` a new role and bases, as ``actor`` (a head); one audit row.

    The row says ``role NAME OLD→NEW`` and/or ``bases NAME OLD→NEW`` (``-`` for none).

    Raises
    ------
    NotPermittedError
        ``actor`` may not manage users (or is disabled or gone).
    AccountChangeError
        No such account, bases wrong for the role, or it would leave no enabled head.
    """
    what = "无法修改账号 cannot change the account"
    clean = _clean_bases(bases)
    stored = store.account(name)
    changes = []
    if stored is None or stored.account.role is not role:
        old = "?" if stored is None else stored.account.role.value
        changes.append(f"role {name} {old}→{role.value}")
    if stored is None or stored.account.bases != clean:
        old = "?" if stored is None else ";".join(stored.account.bases) or "-"
        changes.append(f"bases {name} {old}→{';'.join(clean) or '-'}")
    with _managing(store, actor, "; ".join(changes) or f"unchanged {name}"):
        before = _stored_or_refused(store, name, what)
        problems = _bases_problems(role, clean)
        if problems:
            raise AccountChangeError(what, problems)
        after = Account(name=name, role=role, bases=clean, disabled=before.disabled)
        return _change(store, before, after, what)


def set_disabled_as(store: ScenarioStore, actor: Account, name: str, disabled: bool) -> Account:
    """Disable (or enable again) the account ``name`` as ``actor`` (a head); one audit row.

    A disabled account cannot log in; its sessions end on their next page (see
    :func:`current_account`). The row says ``disable NAME`` or ``enable NAME``.

    Raises
    ------
    NotPermittedError
        ``actor`` may not manage users (or is disabled or gone).
    AccountChangeError
        No such account, or disabling it would leave no enabled head.
    """
    what = "无法停用账号 cannot disable the account" if disabled else "无法启用账号 cannot enable"
    with _managing(store, actor, f"{'disable' if disabled else 'enable'} {name}"):
        before = _stored_or_refused(store, name, what)
        after = Account(name=name, role=before.role, bases=before.bases, disabled=disabled)
        return _change(store, before, after, what)


def reset_password_as(
    store: ScenarioStore, actor: Account, name: str, password: str, *, again: str | None = None
) -> None:
    """Give the account ``name`` a new password as ``actor`` (a head); one audit row.

    The row says ``password NAME``, never the password.

    Raises
    ------
    NotPermittedError
        ``actor`` may not manage users (or is disabled or gone).
    AccountChangeError
        No such account, or the password is too short or typed differently twice.
    """
    what = "无法重设密码 cannot reset the password"
    with _managing(store, actor, f"password {name}"):
        problems = []
        if store.account(name) is None:
            problems.append(f"账号 account: 没有名为「{name}」的账号 no account {name!r}")
        if len(password) < MIN_PASSWORD_LENGTH:
            problems.append(
                f"密码 password: 至少 {MIN_PASSWORD_LENGTH} 个字符 at least "
                f"{MIN_PASSWORD_LENGTH} characters, got {len(password)}"
            )
        problems += _same_twice(password, again)
        if problems:
            raise AccountChangeError(what, problems)
        store.set_password(name, hash_password(password))
