"""Scenario sheets as raw text tables: the file layout, reading and writing.

A scenario travels as a folder of CSV files plus ``scenario.toml``, or as one
``.xlsx`` workbook whose sheet names are the file names without ``.csv`` (the
settings then sit in a sheet ``scenario`` with columns ``key`` and ``value``).
The optional sheet ``scenes`` is the script breakdown (场次表); a title with
scenes writes its title_needs rows too (they agree with its packed scenes), so
the file stays readable by whatever reads title_needs alone.
This module moves cells between those files and :class:`ScenarioTables`
without judging them; :mod:`scheduler.io.validation` turns tables into a
:class:`~scheduler.domain.model.Scenario` and reports every problem.
"""

from __future__ import annotations

import csv
import io
import json
import re
import struct
import tomllib
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Literal

from scheduler.domain.cells import QUOTE, restore_cell, spreadsheet_cell, spreadsheet_text
from scheduler.domain.model import Scenario
from scheduler.domain.scenes import DEFAULT_DAY_MINUTES

SETTINGS_FILE = "scenario.toml"
SETTINGS_SHEET = "scenario"

MAX_ROWS = 50_000
"""Most rows read from one sheet; a sheet with more is reported at the first row not read."""

MAX_COLUMNS = 200
"""Most cells read from one row (header included); the rest of a longer row is reported."""

MAX_CELLS = 1_000_000
"""Most cells read from all sheets of a scenario together (a guard on memory)."""

MAX_TEXT_CHARS = 50_000_000
"""Most characters read from all sheets of a scenario together (a guard on memory)."""

MAX_CELL_CHARS = 10_000
"""Longest cell kept; a longer one is reported at its ``file:row:column``."""

MAX_LINE_CHARS = 1_000_000
"""Longest physical line of a CSV file read, and longest field the csv module builds."""

MAX_SETTINGS_BYTES = 1_000_000
"""Largest scenario.toml read."""

MAX_WORKBOOK_BYTES = 100 * 1024 * 1024
"""Largest total unpacked size of the parts of an ``.xlsx`` workbook (a guard against bombs)."""

# The csv module's own limit (131,072 characters) would make a long cell end the whole file;
# raised once so that a long cell is reported at its place and the reading goes on.
csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_CHARS))


@dataclass(frozen=True)
class SheetSpec:
    """The columns of one scenario sheet."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    required_file: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("bases", ("base_id", "name", "city"), ("max_crews",)),
    SheetSpec("sets", ("set_id", "base_id", "set_type", "day_rate")),
    SheetSpec(
        "crews",
        ("crew_id", "name", "home_base_id", "day_rate"),
        ("genres", "max_days_in_row"),
    ),
    SheetSpec("actors", ("actor_id", "name", "day_rate"), ("home_city",)),
    SheetSpec(
        "titles",
        ("title_id", "name", "genre", "priority", "earliest_start", "due_date"),
        ("cast",),
    ),
    SheetSpec("title_needs", ("title_id", "set_type", "days")),
    SheetSpec("unavailable", ("kind", "id", "from_date", "to_date"), ("note",), False),
    SheetSpec("travel", ("from_city", "to_city", "days"), (), False),
    SheetSpec("pins", ("title_id",), ("start_date", "base_id", "crew_id", "scene_order"), False),
    SheetSpec(
        "scenes",
        ("title_id", "scene_id", "set_type", "minutes"),
        ("cast", "day_night", "int_ext", "description"),
        False,
    ),
)
SHEET_BY_NAME = {sheet.name: sheet for sheet in SHEETS}

Source = Literal["folder", "xlsx", "editor"]


@dataclass
class Table:
    """One sheet as text: ``rows[i]`` stands on line ``lines[i]``, else ``i + 2``.

    A reader fills ``lines`` with the physical line on which each row begins,
    so a cell holding a quoted line break does not shift the rows after it;
    sheets built in memory leave it empty (line 1 is the header).
    """

    name: str
    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list, compare=False)

    @staticmethod
    def line_of(index: int) -> int:
        """Line number in the file of row ``index`` (0-based) when no line is recorded."""
        return index + 2

    def row_line(self, index: int) -> int:
        """Line number in the file on which row ``index`` (0-based) begins."""
        return self.lines[index] if index < len(self.lines) else index + 2


@dataclass(frozen=True)
class ReadProblem:
    """Something a reader could not take as it stands, at ``sheet:row:column``."""

    sheet: str
    row: int
    column: str
    message: str
    message_zh: str


class UnreadableArchive(ValueError):
    """An archive (a ``.zip`` upload or an ``.xlsx`` workbook) refused before unpacking it."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


@dataclass
class ScenarioTables:
    """A scenario's cells before validation.

    ``settings`` is scenario.toml as parsed (``None`` if it could not be read);
    ``settings_lines`` maps a dotted key (``targets.titles_per_month``) to its
    line; ``tables`` holds the sheets that exist. ``source`` decides how
    problems name their file: ``titles.csv`` for a folder, ``titles`` for a
    workbook sheet.
    """

    source: Source
    settings: dict[str, object] | None
    tables: dict[str, Table]
    settings_lines: dict[str, int] = field(default_factory=dict)
    settings_error: str | None = None
    file_errors: dict[str, str] = field(default_factory=dict)
    """Sheets whose file exists but could not be read (e.g. not UTF-8), with the reason."""
    read_problems: list[ReadProblem] = field(default_factory=list)
    """Rows and cells a reader refused or cut short (line breaks, long cells, limits)."""

    def label(self, sheet: str) -> str:
        """How problems name the sheet: file name for folders, sheet name for workbooks."""
        if sheet == SETTINGS_SHEET:
            return SETTINGS_SHEET if self.source == "xlsx" else SETTINGS_FILE
        return sheet if self.source == "xlsx" else f"{sheet}.csv"


# -- Scenario -> tables -------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _table(
    name: str,
    records: Iterable[tuple[dict[str, object], dict[str, str]]],
    blank_dropped: Iterable[str] = (),
) -> Table:
    """Build a sheet from (known fields, extra columns) pairs, keeping extra columns last;
    the optional columns ``blank_dropped`` are left out when no row fills them."""
    spec = SHEET_BY_NAME[name]
    records = list(records)
    columns = [
        column
        for column in spec.columns
        if column not in blank_dropped or any(_text(known.get(column)) for known, _ in records)
    ]
    written = tuple(columns)
    rows: list[dict[str, str]] = []
    for known, extra in records:
        row = {column: _text(known.get(column)) for column in written}
        for column, value in extra.items():
            if column not in columns:
                columns.append(column)
            row[column] = value
        rows.append(row)
    for row in rows:
        for column in columns:
            row.setdefault(column, "")
    return Table(name, columns, rows)


def scenario_settings(scenario: Scenario) -> dict[str, object]:
    """The content of scenario.toml for ``scenario`` (``day_minutes`` only where it is not the
    default 720, ``[pooling]`` only where cities plan apart, so a scenario that keeps the
    defaults writes what it always wrote)."""
    settings: dict[str, object] = {
        "name": scenario.name,
        "start_date": scenario.start_date,
        "days": scenario.days,
    }
    if scenario.day_minutes != DEFAULT_DAY_MINUTES:
        settings["day_minutes"] = scenario.day_minutes
    settings["targets"] = {
        "parallel_shoots_per_day": scenario.targets.parallel_shoots_per_day,
        "titles_per_month": scenario.targets.titles_per_month,
    }
    if scenario.pooling:
        alone = tuple((city,) for city in scenario.cities)
        settings["pooling"] = (
            {"policy": "alone"}
            if scenario.pooling == alone
            else {"groups": [list(group) for group in scenario.pooling]}
        )
    for key, value in scenario.settings_extra.items():
        settings.setdefault(key, value)
    return settings


def scenario_to_tables(scenario: Scenario, source: Source = "folder") -> ScenarioTables:
    """Every sheet of ``scenario`` as text, ready to write or to edit."""
    s = scenario
    tables = [
        _table(
            "bases",
            (
                (
                    {
                        "base_id": b.base_id,
                        "name": b.name,
                        "city": b.city,
                        "max_crews": b.max_crews,
                    },
                    dict(b.extra),
                )
                for b in s.bases
            ),
        ),
        _table(
            "sets",
            (
                (
                    {
                        "set_id": x.set_id,
                        "base_id": x.base_id,
                        "set_type": x.set_type,
                        "day_rate": x.day_rate,
                    },
                    dict(x.extra),
                )
                for x in s.sets
            ),
        ),
        _table(
            "crews",
            (
                (
                    {
                        "crew_id": c.crew_id,
                        "name": c.name,
                        "home_base_id": c.home_base_id,
                        "genres": ";".join(c.genres),
                        "day_rate": c.day_rate,
                        "max_days_in_row": c.max_days_in_row,
                    },
                    dict(c.extra),
                )
                for c in s.crews
            ),
        ),
        _table(
            "actors",
            (
                (
                    {
                        "actor_id": a.actor_id,
                        "name": a.name,
                        "day_rate": a.day_rate,
                        "home_city": a.home_city,
                    },
                    dict(a.extra),
                )
                for a in s.actors
            ),
            blank_dropped=("home_city",),
        ),
        _table(
            "titles",
            (
                (
                    {
                        "title_id": t.title_id,
                        "name": t.name,
                        "genre": t.genre,
                        "priority": t.priority,
                        "earliest_start": t.earliest_start,
                        "due_date": t.due_date,
                        "cast": ";".join(t.cast),
                    },
                    dict(t.extra),
                )
                for t in s.titles
            ),
        ),
        _table(
            "title_needs",
            (
                ({"title_id": t.title_id, "set_type": n.set_type, "days": n.days}, dict(n.extra))
                for t in s.titles
                for n in t.needs
            ),
        ),
        _table(
            "unavailable",
            (
                (
                    {
                        "kind": u.kind,
                        "id": u.resource_id,
                        "from_date": u.from_date,
                        "to_date": u.to_date,
                        "note": u.note,
                    },
                    dict(u.extra),
                )
                for u in s.unavailable
            ),
        ),
        _table(
            "travel",
            (
                ({"from_city": t.from_city, "to_city": t.to_city, "days": t.days}, dict(t.extra))
                for t in s.travel
            ),
        ),
        _table(
            "pins",
            (
                (
                    {
                        "title_id": p.title_id,
                        "start_date": p.start_date,
                        "base_id": p.base_id,
                        "crew_id": p.crew_id,
                        "scene_order": ";".join(p.scene_order),
                    },
                    dict(p.extra),
                )
                for p in s.pins
            ),
            # a scenario without a pinned scene order writes pins.csv as it always did
            blank_dropped=("scene_order",),
        ),
        _table(
            "scenes",
            (
                (
                    {
                        "title_id": c.title_id,
                        "scene_id": c.scene_id,
                        "set_type": c.set_type,
                        "minutes": c.minutes,
                        "cast": ";".join(c.cast),
                        "day_night": c.day_night,
                        "int_ext": c.int_ext,
                        "description": c.description,
                    },
                    dict(c.extra),
                )
                for t in s.titles
                for c in t.scenes
            ),
        ),
    ]
    return ScenarioTables(
        source=source,
        settings=scenario_settings(scenario),
        tables={table.name: table for table in tables},
    )


# -- writing ----------------------------------------------------------------


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _toml_key(key: str) -> str:
    # A bare TOML key is ASCII letters, digits, - and _; anything else (备注) must be quoted.
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def settings_to_toml(settings: dict[str, object]) -> str:
    """scenario.toml text: plain keys first, then one ``[table]`` per mapping."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, object]]] = []
    for key, value in settings.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for name, table in tables:
        lines.append("")
        lines.append(f"[{_toml_key(name)}]")
        lines.extend(f"{_toml_key(key)} = {_toml_value(value)}" for key, value in table.items())
    return "\n".join(lines) + "\n"


def table_to_csv(table: Table) -> str:
    """One sheet as CSV text (UTF-8, header row, ``\\n`` line ends).

    Every cell, header included, goes through
    :func:`~scheduler.domain.cells.spreadsheet_text`, so a name such as
    ``=HYPERLINK(…)`` opens as text; the readers restore it.
    """
    buffer = io.StringIO()
    columns = [spreadsheet_text(column) for column in table.columns]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(
        {spreadsheet_text(column): spreadsheet_cell(value) for column, value in row.items()}
        for row in table.rows
    )
    return buffer.getvalue()


def write_tables(tables: ScenarioTables, path: Path) -> None:
    """Write sheets to a folder of CSVs, or to a workbook if ``path`` ends in ``.xlsx``.

    Optional sheets with no rows are left out of a folder (an absent optional
    file means the same) but kept, header only, in a workbook.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        _write_workbook(tables, path)
        return
    path.mkdir(parents=True, exist_ok=True)
    (path / SETTINGS_FILE).write_text(settings_to_toml(tables.settings or {}), encoding="utf-8")
    for spec in SHEETS:
        table = tables.tables.get(spec.name)
        target = path / f"{spec.name}.csv"
        if table is None or (not table.rows and not spec.required_file):
            target.unlink(missing_ok=True)
            continue
        target.write_text(table_to_csv(table), encoding="utf-8")


def _flatten_settings(settings: dict[str, object], prefix: str = "") -> list[tuple[str, object]]:
    items: list[tuple[str, object]] = []
    for key, value in settings.items():
        if isinstance(value, dict):
            items.extend(_flatten_settings(value, f"{prefix}{key}."))
        else:
            items.append((f"{prefix}{key}", value))
    return items


def _workbook_setting(value: object) -> object:
    """A settings value as a workbook cell: dates as ISO text, lists as TOML arrays."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return _toml_value(value)
    return value


NUMBER_COLUMNS = frozenset(
    {
        ("bases", "max_crews"),
        ("sets", "day_rate"),
        ("crews", "day_rate"),
        ("crews", "max_days_in_row"),
        ("actors", "day_rate"),
        ("titles", "priority"),
        ("title_needs", "days"),
        ("travel", "days"),
        ("scenes", "minutes"),
    }
)
"""(sheet, column) pairs written to a workbook as numeric cells when they hold a whole number."""

_WORKBOOK_WHOLE = re.compile(r"0|-?[1-9][0-9]{0,14}")
"""A whole number a workbook keeps exactly and reads back as the same text."""


def _sheet_cell(sheet: str, column: str, text: str) -> object:
    """A cell as the workbook gets it: a number in a numeric column, else neutralised text."""
    if (sheet, column) in NUMBER_COLUMNS and _WORKBOOK_WHOLE.fullmatch(text):
        return int(text)
    return spreadsheet_cell(text)


def _write_workbook(tables: ScenarioTables, path: Path) -> None:
    """Write the sheets as a workbook; no text cell is stored as a formula."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SETTINGS_SHEET
    sheet.append(["key", "value"])
    for key, value in _flatten_settings(tables.settings or {}):
        sheet.append([spreadsheet_text(key), spreadsheet_cell(_workbook_setting(value))])
    for spec in SHEETS:
        table = tables.tables.get(spec.name) or Table(spec.name, list(spec.columns))
        sheet = workbook.create_sheet(spec.name)
        sheet.append([spreadsheet_text(column) for column in table.columns])
        for row in table.rows:
            sheet.append(
                [_sheet_cell(spec.name, column, row.get(column, "")) for column in table.columns]
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def write_scenario(scenario: Scenario, path: Path) -> None:
    """Write ``scenario`` as a CSV folder, or as a workbook if ``path`` ends in ``.xlsx``."""
    source: Source = "xlsx" if Path(path).suffix.lower() == ".xlsx" else "folder"
    write_tables(scenario_to_tables(scenario, source), path)


# -- reading ----------------------------------------------------------------


def _settings_lines(text: str) -> dict[str, int]:
    """Line number of each ``key =`` in TOML text, dotted under its ``[table]``."""
    lines: dict[str, int] = {}
    prefix = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            prefix = line.strip("[] ") + "."
        elif "=" in line and not line.startswith("#"):
            key = line.split("=", 1)[0].strip().strip('"')
            lines.setdefault(prefix + key, number)
    return lines


@dataclass
class _Budget:
    """What is left of the cells and characters a scenario may hold, shared by its sheets."""

    cells: int = MAX_CELLS
    chars: int = MAX_TEXT_CHARS
    spent: bool = False


def _too_much(sheet: str, row: int) -> ReadProblem:
    return ReadProblem(
        sheet,
        row,
        "*",
        f"the scenario holds more than {MAX_CELLS:,} cells or {MAX_TEXT_CHARS:,} characters; "
        "the rest was not read, expected a scenario's tables",
        f"场景的表格超过 {MAX_CELLS:,} 格或 {MAX_TEXT_CHARS:,} 个字符，从这里起未读取；"
        "应为一个场景的表格",
    )


def _physical_lines(
    handle: IO[str], sheet: str, problems: list[ReadProblem], budget: _Budget
) -> Iterator[str]:
    """The lines of a CSV file, none longer than :data:`MAX_LINE_CHARS`.

    A longer line is reported at its number and read as a blank line, so the
    lines after it keep their numbers; reading stops when ``budget`` runs out.
    """
    number = 0
    while True:
        line = handle.readline(MAX_LINE_CHARS)
        if not line:
            return
        number += 1
        if len(line) >= MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            rest = line
            while rest and not rest.endswith(("\n", "\r")):
                rest = handle.readline(MAX_LINE_CHARS)
            problems.append(
                ReadProblem(
                    sheet,
                    number,
                    "*",
                    f"line is longer than {MAX_LINE_CHARS:,} characters and was not read; "
                    "expected one row of cells",
                    f"这一行超过 {MAX_LINE_CHARS:,} 个字符，未读取；应为一行表格",
                )
            )
            line = "\n"
        budget.chars -= len(line)
        if budget.chars < 0:
            if not budget.spent:
                problems.append(_too_much(sheet, number))
            budget.spent = True
            return
        yield line


def _cell_problems(
    sheet: str,
    first: int,
    last: int,
    columns: list[str],
    cells: list[str],
    problems: list[ReadProblem],
    *,
    line_breaks: bool,
) -> list[str]:
    """``cells`` with each too-long cell cut short; each such cell, and each line break, said."""
    kept = cells
    broken = False
    for index, cell in enumerate(cells):
        column = columns[index] if index < len(columns) else "*"
        if line_breaks and not broken and ("\n" in cell or "\r" in cell):
            broken = True  # one stray quote: say it once, at the cell where it starts
            problems.append(
                ReadProblem(
                    sheet,
                    first,
                    column,
                    f'holds a line break (lines {first}–{last}): probably a stray quote " that '
                    "joins the lines after it into this cell; expected no line break in a cell",
                    f'含换行（第 {first}–{last} 行）：可能是多余的引号 " 把后面的行并进了这一格；'
                    "单元格内不应有换行",
                )
            )
        if len(cell) > MAX_CELL_CHARS:
            if kept is cells:
                kept = list(cells)
            kept[index] = cell[:MAX_CELL_CHARS]
            problems.append(
                ReadProblem(
                    sheet,
                    first,
                    column,
                    f"holds {len(cell):,} characters; expected at most {MAX_CELL_CHARS:,}",
                    f"这一格有 {len(cell):,} 个字符，最多应为 {MAX_CELL_CHARS:,} 个",
                )
            )
    return kept


def _too_many_columns(sheet: str, row: int, count: int) -> ReadProblem:
    return ReadProblem(
        sheet,
        row,
        "*",
        f"has {count:,} cells; only the first {MAX_COLUMNS} were read",
        f"这一行有 {count:,} 格，只读取了前 {MAX_COLUMNS} 格",
    )


def _too_many_rows(sheet: str, row: int) -> ReadProblem:
    return ReadProblem(
        sheet,
        row,
        "*",
        f"the sheet has more than {MAX_ROWS:,} rows; the rest was not read",
        f"这张表超过 {MAX_ROWS:,} 行，从这里起未读取",
    )


class _Rows:
    """A sheet being read, row by row, within the limits."""

    def __init__(self, sheet: str, problems: list[ReadProblem], budget: _Budget) -> None:
        self.sheet = sheet
        self.problems = problems
        self.budget = budget
        self.table: Table | None = None
        self.blank_lines: list[int] = []  # blank rows not yet kept (trailing ones are not)

    def header(self, line: int, cells: list[str], last: int, *, line_breaks: bool) -> None:
        if len(cells) > MAX_COLUMNS:
            self.problems.append(_too_many_columns(self.sheet, line, len(cells)))
            cells = cells[:MAX_COLUMNS]
        cells = _cell_problems(
            self.sheet, line, last, [], cells, self.problems, line_breaks=line_breaks
        )
        self.budget.cells -= len(cells)
        self.table = Table(self.sheet, [restore_cell(cell.strip()) for cell in cells])

    def add(self, line: int, cells: list[str], last: int, *, line_breaks: bool) -> bool:
        """Keep one row; ``False`` when the sheet or the scenario is full (said at ``line``)."""
        table = self.table
        assert table is not None, "the header comes first"
        if not any(cell.strip() for cell in cells):
            self.blank_lines.append(line)
            return True
        if len(table.rows) + len(self.blank_lines) >= MAX_ROWS:
            self.problems.append(_too_many_rows(self.sheet, line))
            return False
        self.budget.cells -= len(cells)
        if self.budget.cells < 0:
            if not self.budget.spent:
                self.problems.append(_too_much(self.sheet, line))
            self.budget.spent = True
            return False
        for blank in self.blank_lines:
            table.rows.append({})  # keep line numbers true; validation skips blank rows
            table.lines.append(blank)
        self.blank_lines.clear()
        if len(cells) > MAX_COLUMNS:
            self.problems.append(_too_many_columns(self.sheet, line, len(cells)))
            cells = cells[:MAX_COLUMNS]
        columns = table.columns
        cells = _cell_problems(
            self.sheet, line, last, columns, cells, self.problems, line_breaks=line_breaks
        )
        row = {column: "" for column in columns}
        for column, cell in zip(columns, cells, strict=False):
            row[column] = restore_cell(cell.strip())  # the writers' quote undone
        if len(cells) > len(columns):
            row["__overflow__"] = ";".join(cells[len(columns) :])
        table.rows.append(row)
        table.lines.append(line)
        return True

    def finish(self, *, keep_blank: bool) -> Table:
        table = self.table or Table(self.sheet, [])
        if keep_blank:
            for blank in self.blank_lines:
                table.rows.append({})
                table.lines.append(blank)
        return table


def _read_csv(path: Path, name: str, problems: list[ReadProblem], budget: _Budget) -> Table:
    """One CSV sheet, each row numbered by the physical line it begins on.

    No scenario file has a cell that spans lines, so a cell holding a line
    break is reported where it begins: it is nearly always a stray quote that
    swallowed the rows after it.
    """
    sheet_rows = _Rows(name, problems, budget)
    # utf-8-sig accepts the byte-order mark that Excel writes into "CSV UTF-8".
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(_physical_lines(handle, name, problems, budget))
        while True:
            first = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                problems.append(
                    ReadProblem(
                        name,
                        first,
                        "*",
                        f"cannot be read ({error}); expected cells separated by commas",
                        f"无法读取（{error}），应为用逗号分隔的单元格",
                    )
                )
                if sheet_rows.table is None:
                    sheet_rows.header(first, [], first, line_breaks=True)
                continue
            last = reader.line_num
            if sheet_rows.table is None:
                sheet_rows.header(first, cells, last, line_breaks=True)
            elif not sheet_rows.add(first, cells, last, line_breaks=True):
                break
    return sheet_rows.finish(keep_blank=True)


def read_folder(path: Path) -> ScenarioTables:
    """Read scenario.toml and every ``<sheet>.csv`` present in a folder."""
    settings: dict[str, object] | None = None
    settings_error: str | None = None
    settings_lines: dict[str, int] = {}
    toml_path = path / SETTINGS_FILE
    if toml_path.exists():
        if toml_path.stat().st_size > MAX_SETTINGS_BYTES:
            settings_error = f"larger than {MAX_SETTINGS_BYTES:,} bytes"
        else:
            try:
                text = toml_path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as error:
                settings_error = f"not UTF-8 text ({error.reason} at byte {error.start})"
            else:
                settings_lines = _settings_lines(text)
                try:
                    settings = dict(tomllib.loads(text))
                except ValueError as error:  # TOMLDecodeError, or a number of 5,000 digits
                    settings_error = str(error)
    tables: dict[str, Table] = {}
    file_errors: dict[str, str] = {}
    problems: list[ReadProblem] = []
    budget = _Budget()
    for spec in SHEETS:
        csv_path = path / f"{spec.name}.csv"
        if csv_path.exists():
            # Excel on Chinese Windows saves "CSV" as GBK; report it instead of crashing.
            try:
                tables[spec.name] = _read_csv(csv_path, spec.name, problems, budget)
            except UnicodeDecodeError as error:
                file_errors[spec.name] = f"not UTF-8 text ({error.reason} at byte {error.start})"
    return ScenarioTables(
        "folder", settings, tables, settings_lines, settings_error, file_errors, problems
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _settings_value(value: object) -> object:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(QUOTE):
            return restore_cell(text)  # quoted by the writer: text, whatever it looks like
        if text.startswith("["):
            try:
                return tomllib.loads(f"value = {text}")["value"]
            except ValueError:  # TOMLDecodeError, or a number of 5,000 digits
                return text
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return int(text)
        except ValueError:
            return text
    return value


# -- archives (a workbook is a zip) -------------------------------------------------

_LOCAL_HEADER = b"PK\x03\x04"
_CHUNK = 1024 * 1024
COMPRESSION_NAMES = {
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
    9: "Deflate64",
    10: "PKWARE DCL Implode",
    93: "Zstandard",
    98: "PPMd",
    99: "AES",
}
"""Compression methods seen in the wild that are refused by name (only Stored and Deflate read)."""


def archive_entry_refusal(entry: zipfile.ZipInfo) -> tuple[str, str] | None:
    """Why ``entry`` of an archive is refused, in English and Chinese, or ``None``.

    Absolute paths, ``..``, symbolic links, encryption and compression other
    than Stored and Deflate are refused: none of them belongs in a scenario.
    """
    name = entry.filename
    shown = name if len(name) <= 80 else name[:80] + "…"
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return f"entry {shown} has an absolute path", f"条目 {shown} 是绝对路径"
    if ".." in parts:
        return f"entry {shown} climbs out with ..", f"条目 {shown} 含 ..，指向压缩包之外"
    if (entry.external_attr >> 16) & 0o170000 == 0o120000:
        return f"entry {shown} is a symbolic link", f"条目 {shown} 是符号链接"
    if entry.flag_bits & 0x1:
        return f"entry {shown} is encrypted", f"条目 {shown} 已加密（设了密码）"
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        method = COMPRESSION_NAMES.get(entry.compress_type, f"method {entry.compress_type}")
        return (
            f"entry {shown} is compressed with {method}; expected Deflate",
            f"条目 {shown} 使用 {method} 压缩，不支持，应为普通的 Deflate 压缩",
        )
    return None


def archive_entry_chunks(handle: IO[bytes], entry: zipfile.ZipInfo) -> Iterator[bytes]:
    """The unpacked bytes of ``entry``, at most 1 MB at a time, never more than it declares.

    The data is inflated here rather than by :mod:`zipfile`, so that the bytes
    actually unpacked are counted: an entry that unpacks to more (or less)
    than its declared size, or whose CRC is wrong, raises
    :class:`zipfile.BadZipFile` as soon as that is known.
    """
    handle.seek(entry.header_offset)
    header = handle.read(30)
    if len(header) < 30 or not header.startswith(_LOCAL_HEADER):
        raise zipfile.BadZipFile(f"entry {entry.filename} has no local header")
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    handle.seek(entry.header_offset + 30 + name_length + extra_length)
    left = entry.compress_size
    declared = entry.file_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if entry.compress_type else None
    unpacked = 0
    crc = 0
    while True:
        if inflater is not None and inflater.eof:
            break
        if inflater is not None and inflater.unconsumed_tail:
            data = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        elif left > 0:
            raw = handle.read(min(left, _CHUNK))
            if not raw:
                raise zipfile.BadZipFile(f"entry {entry.filename} is cut short")
            left -= len(raw)
            data = raw if inflater is None else inflater.decompress(raw, _CHUNK)
        elif inflater is not None:
            # all input read, yet zlib may still hold output that did not fit in the last chunk
            data = inflater.decompress(b"", _CHUNK)
            if not data:
                break
        else:
            break
        unpacked += len(data)
        if unpacked > declared:
            raise zipfile.BadZipFile(
                f"entry {entry.filename} unpacks to more than the {declared:,} bytes it declares"
            )
        crc = zlib.crc32(data, crc)
        if data:
            yield data
    if unpacked != declared or crc != entry.CRC:
        raise zipfile.BadZipFile(
            f"entry {entry.filename} unpacks to {unpacked:,} bytes, not the {declared:,} "
            "it declares, or its CRC is wrong"
        )


def check_workbook_parts(handle: IO[bytes]) -> None:
    """Refuse a workbook whose parts are unsafe to hand to openpyxl, before it reads them.

    Every part is checked by name (see :func:`archive_entry_refusal`), their
    declared sizes together must stay within :data:`MAX_WORKBOOK_BYTES`, and
    each is unpacked once, counted, to prove the declared size true.

    Raises
    ------
    UnreadableArchive
        Saying which part, and why.
    zipfile.BadZipFile
        If the file is not a zip, or a part's size or CRC lies.
    """
    with zipfile.ZipFile(handle) as archive:
        entries = archive.infolist()
    names: set[str] = set()
    for entry in entries:
        refusal = archive_entry_refusal(entry)
        if refusal is not None:
            raise UnreadableArchive(*refusal)
        if entry.filename in names:
            raise UnreadableArchive(
                f"part {entry.filename[:80]} appears twice",
                f"工作簿中的 {entry.filename[:80]} 出现了两次",
            )
        names.add(entry.filename)
    declared = sum(entry.file_size for entry in entries)
    if declared > MAX_WORKBOOK_BYTES:
        raise UnreadableArchive(
            f"unpacks to {declared:,} bytes, more than {MAX_WORKBOOK_BYTES // 2**20} MB; "
            "expected a scenario workbook",
            f"工作簿解压后有 {declared:,} 字节，超过 {MAX_WORKBOOK_BYTES // 2**20} MB，"
            "应为一个场景的工作簿",
        )
    for entry in entries:
        for _ in archive_entry_chunks(handle, entry):
            pass


def _settings_from_rows(
    rows: Iterator[tuple[object, ...]],
    problems: list[ReadProblem],
    settings_lines: dict[str, int],
) -> dict[str, object]:
    """The ``scenario`` sheet's ``key | value`` rows as nested settings (``targets.x``)."""
    settings: dict[str, object] = {}
    next(rows, None)
    for line, cells in enumerate(rows, start=2):
        if line > MAX_ROWS:
            problems.append(_too_many_rows(SETTINGS_SHEET, line))
            break
        if not cells or cells[0] is None:
            continue
        key = restore_cell(str(cells[0]).strip())[:MAX_CELL_CHARS]
        value = _settings_value(cells[1] if len(cells) > 1 else None)
        *parents, leaf = key.split(".")
        node = settings
        dotted = ""
        for parent in parents:
            dotted = f"{dotted}{parent}"
            child = node.setdefault(parent, {})
            if not isinstance(child, dict):
                first = settings_lines.get(dotted, 0)
                problems.append(
                    ReadProblem(
                        SETTINGS_SHEET,
                        line,
                        "key",
                        f"{key[:80]} puts a key under {dotted}, which line {first} sets as a "
                        "value; expected either one value or keys under it",
                        f"{key[:80]} 把键放在 {dotted} 之下，但第 {first} 行已把 {dotted} "
                        "设为一个值；二者只能取其一",
                    )
                )
                break
            node = child
            dotted += "."
        else:
            settings_lines[key] = line
            node[leaf] = value
    return settings


def read_workbook(path: Path) -> ScenarioTables:
    """Read the sheets of a scenario workbook; settings come from the ``scenario`` sheet.

    Raises
    ------
    UnreadableArchive, zipfile.BadZipFile
        If its parts are unsafe to unpack (see :func:`check_workbook_parts`).
    """
    from openpyxl import load_workbook

    with Path(path).open("rb") as handle:
        check_workbook_parts(handle)
    workbook = load_workbook(path, read_only=True, data_only=True)
    settings: dict[str, object] | None = None
    settings_lines: dict[str, int] = {}
    tables: dict[str, Table] = {}
    problems: list[ReadProblem] = []
    budget = _Budget()
    try:
        if SETTINGS_SHEET in workbook.sheetnames:
            rows = workbook[SETTINGS_SHEET].iter_rows(values_only=True, max_col=2)
            settings = _settings_from_rows(rows, problems, settings_lines)
        for spec in SHEETS:
            if spec.name not in workbook.sheetnames:
                continue
            sheet_rows = _Rows(spec.name, problems, budget)
            cells_of = workbook[spec.name].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
            header = [_cell_text(cell) for cell in next(cells_of, ())]
            while header and not header[-1]:
                header.pop()
            sheet_rows.header(1, header, 1, line_breaks=False)
            for line, cells in enumerate(cells_of, start=2):
                texts = [_cell_text(cell) for cell in cells]
                while texts and not texts[-1]:
                    texts.pop()  # empty cells past the last filled one are formatting
                if not sheet_rows.add(line, texts, line, line_breaks=False):
                    break
            # trailing empty rows are formatting, not data
            tables[spec.name] = sheet_rows.finish(keep_blank=False)
    finally:
        workbook.close()
    return ScenarioTables("xlsx", settings, tables, settings_lines, read_problems=problems)


def read_tables(path: Path) -> ScenarioTables:
    """Read a scenario folder or ``.xlsx`` workbook as text tables."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path)
    return read_folder(path)
