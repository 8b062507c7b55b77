"""Scenario sheets as raw text tables: the file layout, reading and writing.

A scenario travels as a folder of CSV files plus ``scenario.toml``, or as one
``.xlsx`` workbook whose sheet names are the file names without ``.csv`` (the
settings then sit in a sheet ``scenario`` with columns ``key`` and ``value``).
This module moves cells between those files and :class:`ScenarioTables`
without judging them; :mod:`scheduler.io.validation` turns tables into a
:class:`~scheduler.domain.model.Scenario` and reports every problem.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from scheduler.domain.model import Scenario

SETTINGS_FILE = "scenario.toml"
SETTINGS_SHEET = "scenario"


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
    SheetSpec("actors", ("actor_id", "name", "day_rate")),
    SheetSpec(
        "titles",
        ("title_id", "name", "genre", "priority", "earliest_start", "due_date"),
        ("cast",),
    ),
    SheetSpec("title_needs", ("title_id", "set_type", "days")),
    SheetSpec("unavailable", ("kind", "id", "from_date", "to_date"), ("note",), False),
    SheetSpec("travel", ("from_city", "to_city", "days"), (), False),
    SheetSpec("pins", ("title_id",), ("start_date", "base_id", "crew_id"), False),
)
SHEET_BY_NAME = {sheet.name: sheet for sheet in SHEETS}

Source = Literal["folder", "xlsx", "editor"]


@dataclass
class Table:
    """One sheet as text: ``rows[i]`` stands on line ``i + 2`` (line 1 is the header)."""

    name: str
    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)

    @staticmethod
    def line_of(index: int) -> int:
        """Line number in the file of row ``index`` (0-based)."""
        return index + 2


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


def _table(name: str, records: Iterable[tuple[dict[str, object], dict[str, str]]]) -> Table:
    """Build a sheet from (known fields, extra columns) pairs, keeping extra columns last."""
    spec = SHEET_BY_NAME[name]
    columns = list(spec.columns)
    rows: list[dict[str, str]] = []
    for known, extra in records:
        row = {column: _text(known.get(column)) for column in spec.columns}
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
    """The content of scenario.toml for ``scenario``."""
    settings: dict[str, object] = {
        "name": scenario.name,
        "start_date": scenario.start_date,
        "days": scenario.days,
        "targets": {
            "parallel_shoots_per_day": scenario.targets.parallel_shoots_per_day,
            "titles_per_month": scenario.targets.titles_per_month,
        },
    }
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
                ({"actor_id": a.actor_id, "name": a.name, "day_rate": a.day_rate}, dict(a.extra))
                for a in s.actors
            ),
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
                    },
                    dict(p.extra),
                )
                for p in s.pins
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
    """One sheet as CSV text (UTF-8, header row, ``\\n`` line ends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table.rows)
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


def _write_workbook(tables: ScenarioTables, path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SETTINGS_SHEET
    sheet.append(["key", "value"])
    for key, value in _flatten_settings(tables.settings or {}):
        sheet.append([key, _workbook_setting(value)])
    for spec in SHEETS:
        table = tables.tables.get(spec.name) or Table(spec.name, list(spec.columns))
        sheet = workbook.create_sheet(spec.name)
        sheet.append(table.columns)
        for row in table.rows:
            sheet.append([row.get(column, "") for column in table.columns])
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


def _read_csv(path: Path, name: str) -> Table:
    # utf-8-sig accepts the byte-order mark that Excel writes into "CSV UTF-8".
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        columns = [column.strip() for column in header]
        rows: list[dict[str, str]] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                rows.append({})  # keep line numbers true; validation skips blank rows
                continue
            row = {column: "" for column in columns}
            for column, cell in zip(columns, cells, strict=False):
                row[column] = cell.strip()
            if len(cells) > len(columns):
                row["__overflow__"] = ";".join(cells[len(columns) :])
            rows.append(row)
    return Table(name, columns, rows)


def read_folder(path: Path) -> ScenarioTables:
    """Read scenario.toml and every ``<sheet>.csv`` present in a folder."""
    settings: dict[str, object] | None = None
    settings_error: str | None = None
    settings_lines: dict[str, int] = {}
    toml_path = path / SETTINGS_FILE
    if toml_path.exists():
        try:
            text = toml_path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            settings_error = f"not UTF-8 text ({error.reason} at byte {error.start})"
        else:
            settings_lines = _settings_lines(text)
            try:
                settings = dict(tomllib.loads(text))
            except tomllib.TOMLDecodeError as error:
                settings_error = str(error)
    tables: dict[str, Table] = {}
    file_errors: dict[str, str] = {}
    for spec in SHEETS:
        csv_path = path / f"{spec.name}.csv"
        if csv_path.exists():
            # Excel on Chinese Windows saves "CSV" as GBK; report it instead of crashing.
            try:
                tables[spec.name] = _read_csv(csv_path, spec.name)
            except UnicodeDecodeError as error:
                file_errors[spec.name] = f"not UTF-8 text ({error.reason} at byte {error.start})"
    return ScenarioTables("folder", settings, tables, settings_lines, settings_error, file_errors)


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
        if text.startswith("["):
            try:
                return tomllib.loads(f"value = {text}")["value"]
            except tomllib.TOMLDecodeError:
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


def read_workbook(path: Path) -> ScenarioTables:
    """Read the sheets of a scenario workbook; settings come from the ``scenario`` sheet."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    settings: dict[str, object] | None = None
    settings_lines: dict[str, int] = {}
    tables: dict[str, Table] = {}
    try:
        if SETTINGS_SHEET in workbook.sheetnames:
            settings = {}
            rows = workbook[SETTINGS_SHEET].iter_rows(values_only=True)
            next(rows, None)
            for line, cells in enumerate(rows, start=2):
                if not cells or cells[0] is None:
                    continue
                key = str(cells[0]).strip()
                value = _settings_value(cells[1] if len(cells) > 1 else None)
                settings_lines[key] = line
                *parents, leaf = key.split(".")
                node = settings
                for parent in parents:
                    child = node.setdefault(parent, {})
                    assert isinstance(child, dict)
                    node = child
                node[leaf] = value
        for spec in SHEETS:
            if spec.name not in workbook.sheetnames:
                continue
            sheet_rows = workbook[spec.name].iter_rows(values_only=True)
            header = next(sheet_rows, ())
            columns = [_cell_text(cell) for cell in header]
            while columns and not columns[-1]:
                columns.pop()
            table = Table(spec.name, columns)
            for cells in sheet_rows:
                texts = [_cell_text(cell) for cell in cells]
                if not any(texts):
                    table.rows.append({})
                    continue
                row = {column: "" for column in columns}
                for column, text in zip(columns, texts, strict=False):
                    row[column] = text
                overflow = [text for text in texts[len(columns) :] if text]
                if overflow:
                    row["__overflow__"] = ";".join(overflow)
                table.rows.append(row)
            while table.rows and not table.rows[-1]:
                table.rows.pop()  # trailing empty rows are formatting, not data
            tables[spec.name] = table
    finally:
        workbook.close()
    return ScenarioTables("xlsx", settings, tables, settings_lines)


def read_tables(path: Path) -> ScenarioTables:
    """Read a scenario folder or ``.xlsx`` workbook as text tables."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path)
    return read_folder(path)
