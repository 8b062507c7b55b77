"""A plan as a folder: ``plan.csv``, ``unscheduled.csv`` and ``kpis.json``.

``plan.csv`` has one row per shoot (title_id, date, base_id, set_id, crew_id),
sorted by date, base and set so that a producer reads it day by day;
``unscheduled.csv`` has title_id and reason; ``kpis.json`` holds the KPIs
(UTF-8, Chinese kept as is). Reading reports every problem at once as
``file:row:column: message`` in a :class:`PlanError`; unknown extra columns
are ignored. Whether the plan keeps the rules is the checker's business,
not this module's.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from scheduler.domain.changes import CHANGE_COLUMNS, Change
from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.plan import Plan, Shoot

PLAN_FILE = "plan.csv"
UNSCHEDULED_FILE = "unscheduled.csv"
CHANGES_FILE = "changes.csv"
KPIS_FILE = "kpis.json"

PLAN_COLUMNS = ("title_id", "date", "base_id", "set_id", "crew_id")
UNSCHEDULED_COLUMNS = ("title_id", "reason")


class PlanError(ScenarioError):
    """A plan folder could not be read; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        super().__init__(problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        self.args = (f"{len(self.problems)} problem(s) in the plan:\n{lines}",)


def _csv_text(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def write_plan(directory: Path, plan: Plan, kpis: Mapping[str, Any] | None = None) -> None:
    """Write ``plan`` (and ``kpis`` if given) into ``directory``, creating it if needed.

    A stale ``kpis.json`` is removed when no KPIs are given, so the folder
    never pairs a plan with another plan's numbers.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    shoots = sorted(
        plan.shoots, key=lambda s: (s.date, s.base_id, s.set_id, s.title_id, s.crew_id)
    )
    rows = [(s.title_id, s.date.isoformat(), s.base_id, s.set_id, s.crew_id) for s in shoots]
    (directory / PLAN_FILE).write_text(_csv_text(PLAN_COLUMNS, rows), encoding="utf-8")
    reasons = [(title_id, reason) for title_id, reason in plan.unscheduled.items()]
    (directory / UNSCHEDULED_FILE).write_text(
        _csv_text(UNSCHEDULED_COLUMNS, reasons), encoding="utf-8"
    )
    kpis_path = directory / KPIS_FILE
    if kpis is None:
        kpis_path.unlink(missing_ok=True)
    else:
        text = json.dumps(kpis, ensure_ascii=False, indent=2) + "\n"
        kpis_path.write_text(text, encoding="utf-8")


def write_changes(directory: Path, changes: Sequence[Change]) -> None:
    """Write ``changes.csv`` (the change list of a re-plan) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = [(c.title_id, c.what, c.before, c.after, c.why) for c in changes]
    (directory / CHANGES_FILE).write_text(_csv_text(CHANGE_COLUMNS, rows), encoding="utf-8")


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
            (line, {column: cell.strip() for column, cell in zip(header, cells, strict=True)})
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
            shoots.append(
                Shoot(row["title_id"], when, row["base_id"], row["set_id"], row["crew_id"])
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
