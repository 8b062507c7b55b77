"""``python -m scheduler db …``: scenarios stored in the database.

Kept apart from :mod:`scheduler.cli.main` so that ``validate`` and friends do not
import SQLAlchemy; the storage package is imported only when a ``db`` command runs.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scheduler.domain.accounts import Action, AuditNote
from scheduler.domain.errors import ScenarioError

if TYPE_CHECKING:
    from scheduler.storage import ScenarioInfo, ScenarioStore


def _open_store(args: argparse.Namespace) -> ScenarioStore:
    from scheduler.storage import ScenarioStore, get_engine

    return ScenarioStore(get_engine(args.database_url))


def _find(store: ScenarioStore, name: str) -> ScenarioInfo:
    from scheduler.storage import NotFoundError

    info = store.find(name)
    if info is None:
        raise NotFoundError("scenario", name)
    return info


def console_note(action: Action, **target: Any) -> AuditNote:
    """The audit row of a command that changes the database, in the console user's name."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "?"
    return AuditNote(f"命令行 command line ({who})", action, **target)


def _cmd_import(args: argparse.Namespace) -> int:
    from scheduler.io.validation import load_scenario

    try:
        scenario = load_scenario(Path(args.scenario))
    except ScenarioError as error:
        print(error.format("both"))
        count = len(error.problems)
        print(f"\n{count} 个问题 / {count} problem(s): 未导入 / nothing was stored")
        return 1
    if args.name:
        scenario = replace(scenario, name=args.name)
    store = _open_store(args)
    existing = store.find(scenario.name)
    if existing is not None and args.replace:
        with store.audited(console_note(Action.SAVE, detail=f"replace from {args.scenario}")):
            version = store.save(existing.scenario_id, scenario, existing.version)
        print(
            f"已替换 / replaced「{scenario.name}」→ 版本 version {version}: {scenario.summary()}"
        )
        return 0
    with store.audited(console_note(Action.IMPORT, detail=str(args.scenario))):
        info = store.create(scenario)
    print(f"已导入 / imported「{info.name}」(id {info.scenario_id}): {scenario.summary()}")
    return 0


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def text_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(value) for value in row] for row in [header, *rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
        for row in cells
    )


def _cmd_list(args: argparse.Namespace) -> int:
    store = _open_store(args)
    infos = store.list()
    print(f"数据库 / database: {store.engine.url.render_as_string(hide_password=True)}")
    if not infos:
        print("没有已保存的场景 / no scenarios stored")
        return 0
    header = ["id", "名称 name", "版本 version", "剧目 titles", "基地 bases", "更新 updated"]
    rows = [
        [
            info.scenario_id,
            info.name,
            info.version,
            info.title_count,
            info.base_count,
            f"{info.updated_at.astimezone():%Y-%m-%d %H:%M}",
        ]
        for info in infos
    ]
    print(text_table(header, rows))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from scheduler.io.tables import write_scenario

    store = _open_store(args)
    info = _find(store, args.name)
    scenario, version = store.load(info.scenario_id)
    note = console_note(
        Action.EXPORT, scenario_id=info.scenario_id, scenario_version=version, detail=args.path
    )
    with store.audited(note):
        write_scenario(scenario, Path(args.path))
    print(f"已导出 / exported「{info.name}」版本 version {version} → {args.path}")
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    store = _open_store(args)
    info = _find(store, args.name)
    with store.audited(console_note(Action.DELETE, detail=info.name)):
        store.delete(info.scenario_id)
    print(f"已删除 / deleted「{info.name}」及其排期方案 / and its plans")
    return 0


def _run_db(args: argparse.Namespace) -> int:
    """Run one ``db`` command; storage errors are reported, not raised (exit 1)."""
    from scheduler.storage import DuplicateNameError, StorageError

    try:
        code: int = args.db_run(args)
    except DuplicateNameError as error:
        print(error.format("both"), file=sys.stderr)
        print(
            "（用 --replace 替换它，或用 --name 另取名 / use --replace or --name）",
            file=sys.stderr,
        )
        return 1
    except StorageError as error:
        print(error.format("both"), file=sys.stderr)
        return 1
    return code


def add_db_commands(commands: Any) -> None:
    """Add ``db import|list|export|delete`` to the command line's subparsers."""
    url_help = "database URL; default: env DATABASE_URL, else data/shootplan.db in this folder"
    db = commands.add_parser(
        "db", help="scenarios stored in the database (SQLite file, or PostgreSQL by DATABASE_URL)"
    )
    db.add_argument("--database-url", default=None, help=url_help)
    db.set_defaults(run=_run_db)
    # Also accepted after the subcommand; SUPPRESS keeps it from erasing the one given before.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database-url", default=argparse.SUPPRESS, help=url_help)
    db_commands = db.add_subparsers(dest="db_command", required=True)

    importing = db_commands.add_parser(
        "import",
        parents=[common],
        help="validate a scenario folder or .xlsx and store it (exit 1 if invalid)",
    )
    importing.add_argument("scenario", help="scenario folder or .xlsx workbook")
    importing.add_argument("--name", help="store under this name instead of the one in the file")
    importing.add_argument(
        "--replace", action="store_true", help="replace a stored scenario of the same name"
    )
    importing.set_defaults(db_run=_cmd_import)

    listing = db_commands.add_parser("list", parents=[common], help="list stored scenarios")
    listing.set_defaults(db_run=_cmd_list)

    export = db_commands.add_parser(
        "export", parents=[common], help="write a stored scenario to a folder or .xlsx"
    )
    export.add_argument("name", help="name of the stored scenario")
    export.add_argument("path", help="folder, or a path ending in .xlsx")
    export.set_defaults(db_run=_cmd_export)

    deleting = db_commands.add_parser(
        "delete", parents=[common], help="delete a stored scenario and its plans"
    )
    deleting.add_argument("name", help="name of the stored scenario")
    deleting.set_defaults(db_run=_cmd_delete)
