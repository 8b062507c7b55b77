"""``python -m scheduler users …``: accounts who may log in (issue 17).

Storage and argon2 are imported only when a ``users`` command runs.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scheduler.storage import ScenarioStore


def _open_store(args: argparse.Namespace) -> ScenarioStore:
    from scheduler.storage import ScenarioStore, get_engine

    return ScenarioStore(get_engine(args.database_url))


def _ask_password() -> str | None:
    """The password typed twice, or ``None`` (after saying so) when the two differ."""
    first = getpass.getpass("密码 password: ")
    second = getpass.getpass("再输一次 again: ")
    if first != second:
        print(
            "两次输入的密码不一致 / the two passwords differ: 未创建 / nothing was stored",
            file=sys.stderr,
        )
        return None
    return first


def _cmd_add(args: argparse.Namespace) -> int:
    from scheduler.cli.db import console_note
    from scheduler.domain.accounts import Action, parse_role
    from scheduler.services.accounts import create_account

    try:
        role = parse_role(args.role)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    bases = [base for base in (args.bases or "").split(";") if base.strip()]
    password = args.password if args.password is not None else _ask_password()
    if password is None:
        return 1
    store = _open_store(args)
    note = console_note(Action.USERS, detail=f"create {args.name} {role.value}")
    try:
        with store.audited(note):
            account = create_account(store, args.name, role, bases, password)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    where = f"，基地 bases {';'.join(account.bases)}" if account.bases else ""
    print(f"已创建账号 / created account「{account.name}」: {account.role.label}{where}")
    return 0


def _cmd_password(args: argparse.Namespace) -> int:
    from scheduler.cli.db import console_note
    from scheduler.domain.accounts import Action
    from scheduler.services.accounts import MIN_PASSWORD_LENGTH, hash_password

    store = _open_store(args)
    if store.account(args.name) is None:
        print(f"没有账号 / no account「{args.name}」", file=sys.stderr)
        return 1
    password = args.password if args.password is not None else _ask_password()
    if password is None:
        return 1
    if len(password) < MIN_PASSWORD_LENGTH:
        print(
            f"密码 password: 至少 {MIN_PASSWORD_LENGTH} 个字符 at least "
            f"{MIN_PASSWORD_LENGTH} characters: 未修改 / nothing was changed",
            file=sys.stderr,
        )
        return 1
    with store.audited(console_note(Action.USERS, detail=f"password {args.name}")):
        store.set_password(args.name, hash_password(password))
    print(f"已重设密码 / password reset for「{args.name}」")
    return 0


def _cmd_set(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from scheduler.cli.db import console_note
    from scheduler.domain.accounts import Account, Action, Role, parse_role

    store = _open_store(args)
    stored = store.account(args.name)
    if stored is None:
        print(f"没有账号 / no account「{args.name}」", file=sys.stderr)
        return 1
    old = stored.account
    try:
        role = old.role if args.role is None else parse_role(args.role)
        bases = (
            old.bases
            if args.bases is None
            else tuple(base.strip() for base in args.bases.split(";") if base.strip())
        )
        if args.role is not None and args.bases is None and role is not old.role:
            bases = () if role is not Role.BASE_MANAGER else old.bases
        disabled = old.disabled if args.disabled is None else args.disabled
        new = replace(old, role=role, bases=bases, disabled=disabled)
        Account(new.name, new.role, new.bases, new.disabled)  # checks role and bases
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    detail = f"set {old.name}: {old.role.value}→{new.role.value}"
    detail += f", bases {';'.join(new.bases) or '-'}, disabled {new.disabled}"
    with store.audited(console_note(Action.USERS, detail=detail)):
        store.update_account(new)
    state = "停用 disabled" if new.disabled else "可用 enabled"
    where = f"，基地 bases {';'.join(new.bases)}" if new.bases else ""
    print(f"已修改账号 / updated account「{new.name}」: {new.role.label}{where}，{state}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from scheduler.cli.db import text_table

    store = _open_store(args)
    stored = store.list_accounts()
    print(f"数据库 / database: {store.engine.url.render_as_string(hide_password=True)}")
    if not stored:
        print("没有账号 / no accounts")
        return 0
    header = ["账号 name", "角色 role", "基地 bases", "停用 disabled", "创建 created"]
    rows = [
        [
            item.account.name,
            item.account.role.label,
            ";".join(item.account.bases) or "-",
            "是 yes" if item.account.disabled else "否 no",
            f"{item.created_at.astimezone():%Y-%m-%d %H:%M}",
        ]
        for item in stored
    ]
    print(text_table(header, rows))
    return 0


def _run_users(args: argparse.Namespace) -> int:
    """Run one ``users`` command; storage errors are reported, not raised (exit 1)."""
    from scheduler.storage import StorageError

    try:
        code: int = args.users_run(args)
    except StorageError as error:
        print(error.format("both"), file=sys.stderr)
        return 1
    return code


def add_users_command(commands: Any) -> None:
    """Add ``users add|password|set|list`` to the command line's subparsers.

    Changes made here are audited under 命令行 command line (the console's user name).
    """
    url_help = "database URL; default: env DATABASE_URL, else data/shootplan.db in this folder"
    users = commands.add_parser("users", help="accounts who may log in (账号)")
    users.add_argument("--database-url", default=None, help=url_help)
    users.set_defaults(run=_run_users)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database-url", default=argparse.SUPPRESS, help=url_help)
    users_commands = users.add_subparsers(dest="users_command", required=True)

    adding = users_commands.add_parser("add", parents=[common], help="create an account")
    adding.add_argument("name", help="account name (1-64 characters)")
    adding.add_argument(
        "--role",
        required=True,
        help="producer 统筹, base_manager 基地负责人, head 制片主管, viewer 只读",
    )
    adding.add_argument("--bases", default=None, help='base managers only: "B01;B02"')
    adding.add_argument("--password", default=None, help="asked for twice when not given")
    adding.set_defaults(users_run=_cmd_add)

    resetting = users_commands.add_parser(
        "password", parents=[common], help="reset an account's password"
    )
    resetting.add_argument("name", help="account name")
    resetting.add_argument("--password", default=None, help="asked for twice when not given")
    resetting.set_defaults(users_run=_cmd_password)

    setting = users_commands.add_parser(
        "set", parents=[common], help="change an account's role, bases, or disable it"
    )
    setting.add_argument("name", help="account name")
    setting.add_argument("--role", default=None, help="new role (as for add)")
    setting.add_argument("--bases", default=None, help='base managers only: "B01;B02"')
    on_off = setting.add_mutually_exclusive_group()
    on_off.add_argument("--disable", dest="disabled", action="store_true", default=None)
    on_off.add_argument("--enable", dest="disabled", action="store_false")
    setting.set_defaults(users_run=_cmd_set)

    listing = users_commands.add_parser("list", parents=[common], help="list accounts")
    listing.set_defaults(users_run=_cmd_list)
