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
    from scheduler.domain.accounts import parse_role
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
    try:
        account = create_account(store, args.name, role, bases, password)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    where = f"，基地 bases {';'.join(account.bases)}" if account.bases else ""
    print(f"已创建账号 / created account「{account.name}」: {account.role.label}{where}")
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
    """Add ``users add|list`` to the command line's subparsers."""
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

    listing = users_commands.add_parser("list", parents=[common], help="list accounts")
    listing.set_defaults(users_run=_cmd_list)
