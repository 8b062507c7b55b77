"""Accounts: argon2 password hashes, creating accounts, and logging in with an audit row.

>>> store = ScenarioStore(get_engine())                                    # doctest: +SKIP
>>> create_account(store, "张三", Role.PRODUCER, (), "long-enough")        # doctest: +SKIP
>>> authenticate(store, "张三", "long-enough")                             # doctest: +SKIP
Account(name='张三', role=<Role.PRODUCER: 'producer'>, bases=(), disabled=False)
"""

from __future__ import annotations

from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error, InvalidHashError

from scheduler.domain.accounts import Account, Action, Role
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


def authenticate(store: ScenarioStore, name: str, password: str) -> Account | None:
    """The account if ``password`` is right and it is not disabled, else ``None``.

    Every attempt leaves one ``login`` row in the audit trail, ``ok`` or not.
    """
    stored = store.account(name)
    if stored is None:
        ok, detail = False, "no such account"
    elif stored.account.disabled:
        ok, detail = False, "account disabled"
    elif not verify_password(stored.password_hash, password):
        ok, detail = False, "wrong password"
    else:
        ok, detail = True, ""
    store.add_audit(name, Action.LOGIN, ok, detail=detail)
    return stored.account if ok and stored is not None else None
