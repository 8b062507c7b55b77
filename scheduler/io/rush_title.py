"""A rush title (插单) as a row: ``TITLE.csv`` or the Plan page's form, checked against a scenario.

The row has the columns of titles.csv plus ``needs``, the set-days it needs
as ``set_type:days;…`` (``医院:2;别墅:1``; full-width ``：`` and ``；`` work too)::

    title_id,name,genre,priority,earliest_start,due_date,cast,needs
    R001,闪婚后他真香,甜宠,3,2026-12-05,2026-12-12,A037,别墅:2;办公室:1

The row is checked by the scenario's own rules (:mod:`scheduler.io.validation`:
filled cells, dates, priority, cast in actors.csv, set types some base has),
and by what a rush title adds: its id is new to the scenario and its window
leaves room for its shoot inside the horizon. Every problem comes at once, at
``TITLE.csv:row:column``.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from scheduler.domain.columns import COLUMN_ZH
from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.model import Need, Scenario, Title
from scheduler.io.tables import SHEET_BY_NAME, Table, scenario_to_tables
from scheduler.io.validation import (
    OVERFLOW,
    find_problems,
    parse_date,
    parse_whole,
    split_list,
)

NEEDS = "needs"
"""The column of set-days needed, ``set_type:days;…``."""

RUSH_COLUMNS: tuple[str, ...] = (*SHEET_BY_NAME["titles"].columns, NEEDS)
"""The columns of TITLE.csv, in order (cast optional)."""

_REQUIRED = (*SHEET_BY_NAME["titles"].required, NEEDS)

NEEDS_EXAMPLE = "医院:2;别墅:1"


def read_rush_title(path: Path, scenario: Scenario) -> Title:
    """The rush title in ``path`` (one row), checked against ``scenario``.

    Raises
    ------
    ScenarioError
        Every problem, at ``<file name>:row:column``.
    """
    path = Path(path)
    label = path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(
            [
                Problem(
                    label,
                    0,
                    "*",
                    f"cannot be read ({error}); expected a CSV saved as UTF-8",
                    f"无法读取（{error}），应为 UTF-8 编码的 CSV",
                )
            ]
        ) from error
    header = [cell.strip() for cell in lines[0]] if lines else []
    rows: list[dict[str, str]] = []
    for cells in lines[1:]:
        if not any(cell.strip() for cell in cells):
            rows.append({})  # keeps line numbers true
            continue
        row = {column: "" for column in header}
        row.update(zip(header, (cell.strip() for cell in cells), strict=False))
        if len(cells) > len(header):
            row[OVERFLOW] = ";".join(cells[len(header) :])
        rows.append(row)
    return rush_title_from_rows(scenario, header, rows, label)


def rush_title_from_row(scenario: Scenario, row: Mapping[str, str], label: str) -> Title:
    """The rush title of one row of cells (the Plan page's form), checked against ``scenario``.

    Problems name ``label`` and row 2, as if the row stood under a header.
    """
    cells = {column: str(value).strip() for column, value in row.items()}
    return rush_title_from_rows(scenario, list(cells), [cells], label)


def rush_title_from_rows(
    scenario: Scenario, header: Sequence[str], rows: Sequence[Mapping[str, str]], label: str
) -> Title:
    """The one rush title among ``rows`` (row ``i`` on line ``i + 2``), checked.

    Raises
    ------
    ScenarioError
        Every problem, at ``label:row:column``.
    """
    problems = _header_problems(header, label)
    filled = [(Table.line_of(i), dict(row)) for i, row in enumerate(rows) if row]
    if not problems:
        if not filled:
            problems.append(
                Problem(
                    label,
                    2,
                    "*",
                    "holds no title; expected one row under the header",
                    "没有剧目，表头下应有一行插单剧目",
                )
            )
        for line, _row in filled[1:]:
            problems.append(
                Problem(
                    label,
                    line,
                    "*",
                    "is a second title; expected one rush title per file",
                    "多出一部剧目，每个文件只放一部插单剧目",
                )
            )
        if filled:
            problems.extend(_row_problems(scenario, *filled[0], label))
    if problems:
        raise ScenarioError(sorted(problems, key=lambda p: (p.row, _column_rank(p.column))))
    return _title(filled[0][1])


def title_row(title: Title) -> dict[str, str]:
    """The cells of ``title`` as a TITLE.csv row (extra columns last)."""
    return {
        "title_id": title.title_id,
        "name": title.name,
        "genre": title.genre,
        "priority": str(title.priority),
        "earliest_start": title.earliest_start.isoformat(),
        "due_date": title.due_date.isoformat(),
        "cast": ";".join(title.cast),
        NEEDS: ";".join(f"{need.set_type}:{need.days}" for need in title.needs),
        **title.extra,
    }


def with_rush_title(scenario: Scenario, title: Title) -> Scenario:
    """``scenario`` with ``title`` added last among its titles."""
    return replace(scenario, titles=(*scenario.titles, title))


def next_rush_id(scenario: Scenario) -> str:
    """A title id the scenario does not use yet: ``R001``, ``R002`` …"""
    taken = set(scenario.title_by_id)
    number = 1
    while f"R{number:03d}" in taken:
        number += 1
    return f"R{number:03d}"


# -- checks -----------------------------------------------------------------------------


def _header_problems(header: Sequence[str], label: str) -> list[Problem]:
    """The header names every required column, each once."""
    problems = []
    for column in _REQUIRED:
        if column not in header:
            example = f"（如 {NEEDS_EXAMPLE}）" if column == NEEDS else ""
            problems.append(
                Problem(
                    label,
                    1,
                    column,
                    f"missing required column; expected {', '.join(RUSH_COLUMNS)}",
                    f"缺少必需列 {column}{example}；应有列 {'、'.join(RUSH_COLUMNS)}",
                )
            )
    for column in dict.fromkeys(header):
        if header.count(column) > 1:
            problems.append(
                Problem(
                    label,
                    1,
                    column,
                    f"column appears {header.count(column)} times; expected each column once",
                    f"列 {column} 出现了 {header.count(column)} 次，每列只应出现一次",
                )
            )
    return problems


def _parse_needs(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``set_type:days`` items of the needs cell, and what is wrong with the cell (en, zh)."""
    items: list[tuple[str, str]] = []
    wrong: list[tuple[str, str]] = []
    if not text.strip():
        wrong.append(
            (
                f"is empty; expected set_type:days;… such as {NEEDS_EXAMPLE}",
                f"场景需求为空，应写成 场景类型:天数;…，如 {NEEDS_EXAMPLE}",
            )
        )
    for item in split_list(text):
        set_type, colon, days = item.replace("：", ":").partition(":")
        if not colon or not set_type.strip():
            wrong.append(
                (
                    f"{item} is not set_type:days; expected such as {NEEDS_EXAMPLE}",
                    f"{item} 不是 场景类型:天数 的写法，应如 {NEEDS_EXAMPLE}",
                )
            )
            continue
        items.append((set_type.strip(), days.strip()))
    return items, wrong


def _row_problems(
    scenario: Scenario, line: int, row: Mapping[str, str], label: str
) -> list[Problem]:
    """Every problem of the rush title's row: the scenario's rules, then a rush title's."""
    problems: list[Problem] = []
    if OVERFLOW in row:
        problems.append(
            Problem(
                label,
                line,
                "*",
                f"the row has cells past the last column ({row[OVERFLOW]}); "
                "expected one cell per header column",
                f"该行超出表头的列数，多出的内容：{row[OVERFLOW]}",
            )
        )
    items, wrong = _parse_needs(row.get(NEEDS, ""))
    problems.extend(Problem(label, line, NEEDS, en, zh) for en, zh in wrong)
    problems.extend(_scenario_rule_problems(scenario, line, row, items, label))
    problems.extend(_rush_problems(scenario, line, row, items, label))
    return problems


def _scenario_rule_problems(
    scenario: Scenario,
    line: int,
    row: Mapping[str, str],
    items: Sequence[tuple[str, str]],
    label: str,
) -> list[Problem]:
    """The scenario's own rules for a titles.csv row and its title_needs.csv rows.

    The row stands as the only title, its needs as the only title_needs rows,
    beside the scenario's other sheets; what validation says of those two
    sheets is said of the rush title's row.
    """
    tables = scenario_to_tables(scenario)
    titles_spec = SHEET_BY_NAME["titles"]
    title_row = {column: row.get(column, "") for column in titles_spec.columns}
    tables.tables["titles"] = Table("titles", list(titles_spec.columns), [title_row])
    need_rows = [
        {"title_id": row.get("title_id", ""), "set_type": set_type, "days": days}
        for set_type, days in items
    ]
    tables.tables["title_needs"] = Table(
        "title_needs", ["title_id", "set_type", "days"], need_rows
    )
    tables.tables.pop("scenes", None)  # the other titles' scenes: not the rush title's business
    titles_label, needs_label = tables.label("titles"), tables.label("title_needs")
    problems: list[Problem] = []
    for problem in find_problems(tables):
        if problem.file == titles_label and problem.row == Table.line_of(0):
            if problem.column == "title_id" and "has no rows in" in problem.message:
                continue  # an empty or unreadable needs cell, said once on its own column
            problems.append(replace(problem, file=label, row=line))
        elif problem.file == needs_label and problem.row >= Table.line_of(0):
            set_type, days = items[problem.row - Table.line_of(0)]
            item = f"{set_type}:{days}"
            problems.append(
                Problem(
                    label,
                    line,
                    NEEDS,
                    f"{item}: {problem.message}",
                    f"{item}：{problem.message_zh or problem.message}",
                )
            )
    return problems


def _rush_problems(
    scenario: Scenario,
    line: int,
    row: Mapping[str, str],
    items: Sequence[tuple[str, str]],
    label: str,
) -> list[Problem]:
    """A rush title's own rules: a new id, and a window with room inside the horizon."""
    problems: list[Problem] = []
    title_id = row.get("title_id", "")
    if title_id in scenario.title_by_id:
        name = scenario.title_by_id[title_id].name
        problems.append(
            Problem(
                label,
                line,
                "title_id",
                f"{title_id} is already a title of the scenario ({name}); expected a new id",
                f"剧目编号 {title_id} 已被场景中的剧目「{name}」使用，插单应使用新编号",
            )
        )
    first, last = parse_date(row.get("earliest_start", "")), parse_date(row.get("due_date", ""))
    horizon = f"{scenario.start_date.isoformat()} … {scenario.end_date.isoformat()}"
    outside = [
        (column, when)
        for column, when in (("earliest_start", first), ("due_date", last))
        if when is not None and not scenario.start_date <= when <= scenario.end_date
    ]
    before = last is not None and last < scenario.start_date
    after = first is not None and first > scenario.end_date
    if before or after:
        for column, when in outside:
            problems.append(
                Problem(
                    label,
                    line,
                    column,
                    f"{when.isoformat()} is outside the horizon {horizon}; "
                    "expected a window that meets it",
                    f"{_zh(column)} {when.isoformat()} 不在排期范围 {horizon} 内",
                )
            )
        return problems
    counts = [parse_whole(days) for _, days in items]
    if first is None or last is None or last < first or not counts:
        return problems  # said by the scenario's rules
    if all(n is not None and n >= 1 for n in counts):
        length = sum(n for n in counts if n is not None)
        inside = (min(last, scenario.end_date) - max(first, scenario.start_date)).days + 1
        if inside < length:
            problems.append(
                Problem(
                    label,
                    line,
                    "due_date",
                    f"the window leaves {inside} day(s) inside the horizon {horizon}; "
                    f"expected at least the {length} shoot days the needs add up to",
                    f"可拍期在排期范围 {horizon} 内只有 {inside} 天，"
                    f"不够场景需求合计的 {length} 天",
                )
            )
    return problems


def _zh(column: str) -> str:
    return COLUMN_ZH.get(column, column)


def _column_rank(column: str) -> int:
    return RUSH_COLUMNS.index(column) if column in RUSH_COLUMNS else -1


# -- building -----------------------------------------------------------------------------


def _title(row: Mapping[str, str]) -> Title:
    """The Title of a row that passed every check."""
    items, _ = _parse_needs(row[NEEDS])
    needs: dict[str, int] = {}
    for set_type, days in items:
        needs[set_type] = needs.get(set_type, 0) + (parse_whole(days) or 0)
    priority, first, last = (
        parse_whole(row["priority"]),
        parse_date(row["earliest_start"]),
        parse_date(row["due_date"]),
    )
    assert priority is not None and first is not None and last is not None, "checked"
    extra = {c: v for c, v in row.items() if c not in RUSH_COLUMNS and c != OVERFLOW}
    return Title(
        title_id=row["title_id"],
        name=row["name"],
        genre=row["genre"],
        priority=priority,
        earliest_start=first,
        due_date=last,
        needs=tuple(Need(set_type, days) for set_type, days in needs.items()),
        cast=split_list(row.get("cast", "")),
        extra=extra,
    )
