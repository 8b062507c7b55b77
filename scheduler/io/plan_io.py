"""A plan as a folder: ``plan.csv``, ``unscheduled.csv`` and ``kpis.json``.

``plan.csv`` has one row per shoot (title_id, date, base_id, set_id, crew_id and,
when a title of the plan has a scene breakdown, ``scenes``: the scene ids shot that
day, ``;``-separated in shooting order, blank for a title without scenes), sorted
by date, base and set so that a producer reads it day by day;
``unscheduled.csv`` has title_id and reason; ``kpis.json`` holds the KPIs
(UTF-8, Chinese kept as is); a re-plan adds ``changes.csv``. The folder is
written whole: every file goes into a temporary sibling folder, which then
takes the folder's place, so a reader (or a write killed half-way) sees
either the complete old set of files or the complete new one. Text cells
are neutralised against spreadsheet formulas (:mod:`scheduler.domain.cells`)
and restored on reading. Reading reports every problem at once as
``file:row:column: message`` in a :class:`PlanError`; unknown extra columns
are ignored. Whether the plan keeps the rules is the checker's business,
not this module's.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import hashlib
import io
import json
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from scheduler.domain.cells import restore_cell, spreadsheet_text
from scheduler.domain.changes import CHANGE_COLUMNS, Change
from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.plan import Plan, Shoot

PLAN_FILE = "plan.csv"
UNSCHEDULED_FILE = "unscheduled.csv"
CHANGES_FILE = "changes.csv"
KPIS_FILE = "kpis.json"

PLAN_COLUMNS = ("title_id", "date", "base_id", "set_id", "crew_id")
"""The columns every plan.csv has."""
SCENES_COLUMN = "scenes"
"""The optional column of plan.csv: a day's scene ids, ``;``-separated, in shooting order."""
UNSCHEDULED_COLUMNS = ("title_id", "reason")


class PlanError(ScenarioError):
    """A plan folder could not be read; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        super().__init__(problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        self.args = (f"{len(self.problems)} problem(s) in the plan:\n{lines}",)


PLAN_FILES = frozenset({PLAN_FILE, UNSCHEDULED_FILE, CHANGES_FILE, KPIS_FILE})
"""The files a plan folder is made of; a folder holding anything else is not replaced."""

WRITE_HOOK = "SHOOTPLAN_PLAN_WRITE_PAUSE"
"""Environment variable (tests only): seconds to pause after each file written, so that a
test can kill a write half-way."""


def _csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([spreadsheet_text(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def plan_csv_text(plan: Plan) -> str:
    """``plan.csv``'s text: a row per shoot, sorted by date, base, set, title and crew.

    The ``scenes`` column is written when some shoot of the plan has scenes, then on
    every row (blank for a title without scenes); a plan without any is written as
    before scene breakdowns existed.
    """
    shoots = sorted(
        plan.shoots, key=lambda s: (s.date, s.base_id, s.set_id, s.title_id, s.crew_id)
    )
    rows = [[s.title_id, s.date.isoformat(), s.base_id, s.set_id, s.crew_id] for s in shoots]
    if not any(s.scenes for s in shoots):
        return _csv_text(PLAN_COLUMNS, rows)
    for row, shoot in zip(rows, shoots, strict=True):
        row.append(";".join(shoot.scenes))
    return _csv_text((*PLAN_COLUMNS, SCENES_COLUMN), rows)


def unscheduled_csv_text(plan: Plan) -> str:
    """``unscheduled.csv``'s text: title_id and reason of each title left out."""
    return _csv_text(UNSCHEDULED_COLUMNS, list(plan.unscheduled.items()))


def changes_csv_text(changes: Sequence[Change]) -> str:
    """``changes.csv``'s text: the change list of a re-plan."""
    rows = [(c.title_id, c.what, c.before, c.after, c.why) for c in changes]
    return _csv_text(CHANGE_COLUMNS, rows)


def _write_synced(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    pause = os.environ.get(WRITE_HOOK)
    if pause:
        import time

        time.sleep(float(pause))


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system can fsync a folder
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); ``False`` where that is unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(done == 0)


_TEMPORARY_KINDS = ("tmp", "old")
"""A writer's temporary siblings: ``.NAME.tmp-PID.HOST-*`` (the new set being written) and
``.NAME.old-PID.HOST-*`` (the old set moved aside where folders cannot be swapped)."""


def _host_tag() -> str:
    """Eight hex digits naming this machine, so a writer on another one is never judged dead."""
    return hashlib.sha1(socket.gethostname().encode("utf-8")).hexdigest()[:8]


def temporary_prefix(directory: Path, kind: str, pid: int | None = None) -> str:
    """Prefix of a writer's temporary sibling of ``directory``: name, kind, pid and host.

    ``kind`` is ``"tmp"`` or ``"old"``; ``pid`` defaults to this process's.
    """
    assert kind in _TEMPORARY_KINDS, kind
    return f".{directory.name}.{kind}-{os.getpid() if pid is None else pid}.{_host_tag()}-"


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine (``True`` when that cannot be told)."""
    if os.name == "nt":  # os.kill(pid, 0) would not just ask there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, run by someone else
        return True
    return True


def _stale_siblings(directory: Path) -> list[Path]:
    """Temporary siblings of ``directory`` left by writers of this machine that died.

    Only names this module makes are considered, only with this machine's tag
    and a pid no process has; a live writer's folder is never among them. An
    ``.old-`` folder counts only while ``directory`` exists (else it is the last
    complete plan, kept for whoever repairs it).
    """
    pattern = re.compile(
        rf"\.{re.escape(directory.name)}\.(tmp|old)-([0-9]+)\.{_host_tag()}-[^/]+"
    )
    stale: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in directory.parent.iterdir():
            found = pattern.fullmatch(entry.name)
            if found is None or _pid_alive(int(found.group(2))):
                continue
            if found.group(1) == "old" and not directory.is_dir():
                continue
            stale.append(entry)
    return stale


def remove_stale_siblings(directory: Path) -> list[Path]:
    """Remove the temporary siblings of ``directory`` that dead writers left; return them."""
    stale = _stale_siblings(Path(directory).absolute())
    for entry in stale:
        shutil.rmtree(entry, ignore_errors=True)
    return stale


def _replace_folder(new: Path, directory: Path) -> None:
    """Put the complete folder ``new`` where ``directory`` is, the old one never half-replaced."""
    if not directory.exists():
        new.rename(directory)
    elif _exchange(new, directory):
        shutil.rmtree(new)  # now the old folder
    else:
        prefix = temporary_prefix(directory, "old")
        old = Path(tempfile.mkdtemp(prefix=prefix, dir=directory.parent))
        old.rmdir()
        directory.rename(old)
        new.rename(directory)
        shutil.rmtree(old)
    _sync_folder(directory.parent)


def write_plan(
    directory: Path,
    plan: Plan,
    kpis: Mapping[str, Any] | None = None,
    changes: Sequence[Change] | None = None,
) -> None:
    """Write ``plan`` (with ``kpis`` and ``changes`` if given) as the folder ``directory``.

    The files are written and synced in a temporary sibling folder, which then
    replaces ``directory`` whole; a stale ``kpis.json`` or ``changes.csv`` thus
    never survives, so the folder never pairs a plan with another plan's numbers.
    The sibling's name carries the writer's pid, and temporary siblings that
    writers killed half-way left behind are removed first
    (:func:`remove_stale_siblings`).

    Raises
    ------
    FileExistsError
        If ``directory`` holds files that are not a plan's (it is left as it was).
    """
    directory = Path(directory).absolute()
    if directory.is_dir():
        foreign = sorted(
            entry.name for entry in directory.iterdir() if entry.name not in PLAN_FILES
        )
        if foreign:
            listed = "、".join(foreign[:5])
            raise FileExistsError(
                f"输出文件夹 {directory} 中有不属于排期方案的文件（{listed}），未写入；"
                f"请换一个新文件夹 / {directory} holds files that are not a plan's "
                f"({', '.join(foreign[:5])}); nothing written, choose a new folder"
            )
    elif directory.exists():
        raise FileExistsError(
            f"{directory} 是文件而不是文件夹，未写入 / {directory} is a file, not a folder"
        )
    directory.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_siblings(directory)
    prefix = temporary_prefix(directory, "tmp")
    new = Path(tempfile.mkdtemp(prefix=prefix, dir=directory.parent))
    try:
        _write_synced(new / PLAN_FILE, plan_csv_text(plan))
        _write_synced(new / UNSCHEDULED_FILE, unscheduled_csv_text(plan))
        if changes is not None:
            _write_synced(new / CHANGES_FILE, changes_csv_text(changes))
        if kpis is not None:
            text = json.dumps(kpis, ensure_ascii=False, indent=2) + "\n"
            _write_synced(new / KPIS_FILE, text)
        new.chmod(0o777 & ~_umask())
        _sync_folder(new)
        _replace_folder(new, directory)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _read_rows(
    path: Path, columns: tuple[str, ...], problems: list[Problem]
) -> list[tuple[int, dict[str, str]]] | None:
    """(line number, row) pairs of a CSV file, or ``None`` if its header lacks a column."""
    name = path.name
    try:
        # utf-8-sig accepts the byte-order mark that Excel writes into "CSV UTF-8".
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    except UnicodeDecodeError as error:
        problems.append(
            Problem(
                name,
                0,
                "*",
                f"not UTF-8 text ({error.reason}); save it as CSV UTF-8",
                "不是 UTF-8 文本；请另存为 CSV UTF-8",
            )
        )
        return None
    header = [cell.strip() for cell in lines[0]] if lines else []
    missing = [column for column in columns if column not in header]
    for column in missing:
        expected = ", ".join(columns)
        problems.append(
            Problem(
                name,
                1,
                column,
                f"missing column {column}; expected columns {expected}",
                f"缺少列 {column}；应有列 {expected}",
            )
        )
    if missing:
        return None
    rows: list[tuple[int, dict[str, str]]] = []
    for line, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append(
                Problem(
                    name,
                    line,
                    "*",
                    f"{len(cells)} cells but {len(header)} columns; quote cells holding commas",
                    f"有 {len(cells)} 个单元格，但只有 {len(header)} 列；含逗号的单元格请加引号",
                )
            )
            continue
        cells = cells + [""] * (len(header) - len(cells))
        rows.append(
            (
                line,
                {
                    column: restore_cell(cell.strip())
                    for column, cell in zip(header, cells, strict=True)
                },
            )
        )
    return rows


def _read_shoots(path: Path, problems: list[Problem]) -> list[Shoot]:
    rows = _read_rows(path, PLAN_COLUMNS, problems)
    shoots: list[Shoot] = []
    for line, row in rows or ():
        ok = True
        for column in ("title_id", "base_id", "set_id", "crew_id"):
            if not row[column]:
                ok = False
                problems.append(
                    Problem(
                        PLAN_FILE,
                        line,
                        column,
                        f"empty; expected a {column[:-3]} id",
                        f"为空；应填写 {column}",
                    )
                )
        try:
            when = date.fromisoformat(row["date"])
        except ValueError:
            ok = False
            problems.append(
                Problem(
                    PLAN_FILE,
                    line,
                    "date",
                    f"{row['date']!r} is not a date; expected YYYY-MM-DD",
                    f"“{row['date']}”不是日期；应为 YYYY-MM-DD",
                )
            )
        if ok:
            listed = row.get(SCENES_COLUMN, "").replace("；", ";").split(";")
            scenes = (item.strip() for item in listed)
            shoots.append(
                Shoot(
                    row["title_id"],
                    when,
                    row["base_id"],
                    row["set_id"],
                    row["crew_id"],
                    tuple(scene for scene in scenes if scene),
                )
            )
    return shoots


def _read_unscheduled(path: Path, problems: list[Problem]) -> dict[str, str]:
    rows = _read_rows(path, UNSCHEDULED_COLUMNS, problems)
    reasons: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for line, row in rows or ():
        title_id = row["title_id"]
        if not title_id:
            problems.append(
                Problem(
                    UNSCHEDULED_FILE,
                    line,
                    "title_id",
                    "empty; expected a title id",
                    "为空；应填写剧目编号",
                )
            )
        elif title_id in reasons:
            where = first_line[title_id]
            problems.append(
                Problem(
                    UNSCHEDULED_FILE,
                    line,
                    "title_id",
                    f"{title_id} is listed again (first on line {where}); list it once",
                    f"{title_id} 重复（首次在第 {where} 行）；只能列一次",
                )
            )
        else:
            reasons[title_id] = row["reason"]
            first_line[title_id] = line
    return reasons


def _read_kpis(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        kpis = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        problems.append(
            Problem(KPIS_FILE, 0, "*", f"not UTF-8 text ({error.reason})", "不是 UTF-8 文本")
        )
        return None
    except json.JSONDecodeError as error:
        problems.append(
            Problem(
                KPIS_FILE,
                error.lineno,
                "*",
                f"not valid JSON: {error.msg}",
                f"不是有效的 JSON：{error.msg}",
            )
        )
        return None
    if not isinstance(kpis, dict):
        problems.append(
            Problem(
                KPIS_FILE,
                1,
                "*",
                "expected a JSON object {…} of KPIs",
                "应为 KPI 的 JSON 对象 {…}",
            )
        )
        return None
    return kpis


def read_plan(directory: Path) -> tuple[Plan, dict[str, Any] | None]:
    """Read a plan folder written by :func:`write_plan`.

    ``unscheduled.csv`` and ``kpis.json`` may be absent (no titles left out,
    no KPIs: ``None``); ``plan.csv`` must be there.

    Raises
    ------
    PlanError
        With every problem found, as ``file:row:column: message``.
    """
    directory = Path(directory)
    problems: list[Problem] = []
    shoots: list[Shoot] = []
    plan_path = directory / PLAN_FILE
    if plan_path.is_file():
        shoots = _read_shoots(plan_path, problems)
    else:
        problems.append(
            Problem(
                PLAN_FILE,
                0,
                "*",
                f"missing: no {PLAN_FILE} in {directory}",
                f"缺少文件：{directory} 中没有 {PLAN_FILE}",
            )
        )
    unscheduled: dict[str, str] = {}
    if (directory / UNSCHEDULED_FILE).is_file():
        unscheduled = _read_unscheduled(directory / UNSCHEDULED_FILE, problems)
    kpis = None
    if (directory / KPIS_FILE).is_file():
        kpis = _read_kpis(directory / KPIS_FILE, problems)
    if problems:
        raise PlanError(problems)
    return Plan(tuple(shoots), unscheduled), kpis
