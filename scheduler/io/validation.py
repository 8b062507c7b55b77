"""From raw sheets to a trusted :class:`~scheduler.domain.model.Scenario`, or every problem
at once.

:func:`build_scenario` runs one small check per family of rules (each states
its rule in its docstring), collects every :class:`~scheduler.domain.errors.Problem`
at ``file:row:column`` with an English and a Chinese message, and raises one
:class:`~scheduler.domain.errors.ScenarioError` in file order. Only input that passes
every check is turned into a Scenario, so nothing is ever half-loaded.

The same code serves the CSV folder, the ``.xlsx`` workbook and the app's
editors (:func:`tables_from_frames`).
"""

from __future__ import annotations

import csv
import math
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from scheduler.domain.columns import COLUMN_ZH, SHEET_COLUMN_ZH
from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.model import (
    UNAVAILABLE_KINDS,
    Actor,
    Base,
    Crew,
    FilmSet,
    Need,
    Pin,
    Scenario,
    Targets,
    Title,
    Travel,
    Unavailability,
    UnavailableKind,
)
from scheduler.domain.pooling import groups_problems
from scheduler.domain.scenes import (
    DAY_NIGHT,
    DEFAULT_DAY_MINUTES,
    INT_EXT,
    Scene,
    days_by_set_type,
    pack_scene_days,
)
from scheduler.domain.storable import (
    MAX_KEY_LENGTH,
    json_problems,
    storage_problems,
    text_problem,
)
from scheduler.io.tables import (
    SETTINGS_FILE,
    SETTINGS_SHEET,
    SHEET_BY_NAME,
    SHEETS,
    ScenarioTables,
    Source,
    Table,
    UnreadableArchive,
    read_tables,
)

if TYPE_CHECKING:
    import pandas as pd

OVERFLOW = "__overflow__"
"""Key under which a reader keeps the cells of a row that go past the header."""

KIND_SHEET: dict[str, tuple[str, str]] = {
    "set": ("sets", "set_id"),
    "crew": ("crews", "crew_id"),
    "actor": ("actors", "actor_id"),
    "base": ("bases", "base_id"),
}
"""Which sheet and id column an ``unavailable.csv`` row of each kind points at."""

MAX_HORIZON_DAYS = 366
"""The longest horizon, and the most days of any count in a sheet: the solver indexes days."""

FIRST_DATE = date(2000, 1, 1)
LAST_DATE = date(2099, 12, 31)
"""Every date of a scenario lies in these years (date arithmetic past 9999 overflows)."""
_YEARS = f"{FIRST_DATE.isoformat()}…{LAST_DATE.isoformat()}"

MAX_DAY_RATE = 10_000_000
"""¥10 million a day: above any set, crew or actor, low enough that costs stay exact."""

MAX_PRIORITY = 1_000
MAX_CREWS_AT_BASE = 1_000
MAX_TARGET = 1_000_000

TARGET_DEFAULTS: dict[str, int] = {
    "parallel_shoots_per_day": Targets.parallel_shoots_per_day,
    "titles_per_month": Targets.titles_per_month,
}

MIN_DAY_MINUTES = 60
MAX_DAY_MINUTES = 1440
"""scenario.toml's ``day_minutes``: an hour at least, the whole day at most."""

_PIN_COLUMN_ZH = {"scene_order": "锁定场次顺序"}
"""Chinese names of the pins.csv columns that no other sheet has."""


def _zh(column: str) -> str:
    return COLUMN_ZH.get(column) or _PIN_COLUMN_ZH.get(column, column)


def _zh_in(sheet: str, column: str) -> str:
    return SHEET_COLUMN_ZH.get((sheet, column)) or _zh(column)


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


# -- reading cells -------------------------------------------------------------

_WHOLE = re.compile(r"[+-]?[0-9]{1,18}(\.0*)?")
"""A whole number of at most 18 digits: more is no count or price, and ``int`` of 4,300
digits or more raises instead of answering."""
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_FORMS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})"), "with /", "用 / 分隔"),
    (re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"), "without leading zeros", "月日未补零"),
    (re.compile(r"([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})"), "with .", "用 . 分隔"),
    (
        re.compile(r"([0-9]{4}) ?年 ?([0-9]{1,2}) ?月 ?([0-9]{1,2}) ?[日号]"),
        "as 年月日",
        "写作年月日",
    ),
)
"""Dates as Excel, WPS and people write them besides ISO: 2026/12/1, 2026-12-1, 2026.12.1,
2026年12月1日. Each is read as the date it means; the scenario stores it as ISO."""


def parse_whole(text: str) -> int | None:
    """``"1500"`` or ``"1500.0"`` as 1500; ``None`` for ``"1500.5"``, ``"abc"`` or ``""``."""
    text = text.strip()
    if not _WHOLE.fullmatch(text):
        return None
    return int(text.split(".")[0])


def parse_date(text: str) -> date | None:
    """The date ``text`` means: ISO ``2026-12-01``, or one of the :data:`_DATE_FORMS`
    (``2026/12/1``, ``2026-12-1``, ``2026.12.1``, ``2026年12月1日``); ``None`` otherwise."""
    text = text.strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    for pattern, _, _ in _DATE_FORMS:
        found = pattern.fullmatch(text)
        if found:
            try:
                return date(*(int(part) for part in found.groups()))
            except ValueError:
                return None
    return None


def date_form(text: str) -> tuple[str, str] | None:
    """How a non-ISO date is written, ``(english, chinese)``; ``None`` for ISO or no date."""
    text = text.strip()
    if _ISO_DATE.fullmatch(text):
        return None
    for pattern, english, chinese in _DATE_FORMS:
        if pattern.fullmatch(text):
            return (english, chinese) if parse_date(text) is not None else None
    return None


def split_list(text: str) -> tuple[str, ...]:
    """A ``;`` list cell (the full-width ``；`` too) as its non-blank items."""
    items = (item.strip() for item in text.replace("；", ";").split(";"))
    return tuple(item for item in items if item)


def _setting_whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return parse_whole(value)
    return None


def _setting_date(value: object) -> date | None:
    if isinstance(value, datetime):
        midnight = value.time() == time() and value.tzinfo is None
        return value.date() if midnight else None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    return None


def _show(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# -- the report ---------------------------------------------------------------

MAX_MESSAGE_CHARS = 300
"""Longest ``file:row:column: message`` line in one language."""

MAX_PROBLEMS_OF_A_KIND = 20
"""Problems of one kind (one check, one file, one column) listed before a count of the rest."""

MAX_PROBLEMS = 1_000
"""Problems listed in all before a count of the rest."""

_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
"""Every character :meth:`str.splitlines` breaks a line at."""


def one_line(where: str, message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``message`` on one line, cut in its middle so that ``where: message`` fits ``limit``.

    The middle goes, not the end: the echoed cell sits in the middle of a
    message and what was expected at its end.
    """
    text = _LINE_BREAKS.sub(" ⏎ ", message)
    room = limit - len(where) - 2
    if len(text) <= room:
        return text
    room = max(room, 20)
    head = room * 2 // 5
    tail = room - head - 1
    return f"{text[:head]}…{text[len(text) - tail :]}"


def bounded_problem(file: str, row: int, column: str, message: str, message_zh: str) -> Problem:
    """A :class:`Problem` whose lines are each one line of at most :data:`MAX_MESSAGE_CHARS`."""
    file = one_line("", file, 100)
    column = one_line("", column, 60)
    where = f"{file}:{row}:{column}"
    return Problem(file, row, column, one_line(where, message), one_line(where, message_zh))


@dataclass
class _Report:
    """The sheets under check and the problems found in them so far.

    Only the first :data:`MAX_PROBLEMS_OF_A_KIND` problems of a kind are kept
    (and :data:`MAX_PROBLEMS` in all); the rest are counted and said in one
    problem each, 「… 另有 N 处同类问题」.
    """

    tables: ScenarioTables
    problems: list[Problem] = field(default_factory=list)
    _ids: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    kind: str = ""
    _of_kind: dict[tuple[str, str, str], int] = field(default_factory=dict)
    _first_left_out: dict[tuple[str, str, str], int] = field(default_factory=dict)
    _left_out: int = 0
    _scenes: dict[str, _TitleScenes] | None = None

    def add(self, sheet: str, row: int, column: str, message: str, message_zh: str) -> None:
        label = self.tables.label(sheet)
        key = (label, column, self.kind)
        count = self._of_kind.get(key, 0) + 1
        self._of_kind[key] = count
        if count > MAX_PROBLEMS_OF_A_KIND:
            self._first_left_out.setdefault(key, row)
            return
        if len(self.problems) >= MAX_PROBLEMS:
            self._left_out += 1
            return
        self.problems.append(bounded_problem(label, row, column, message, message_zh))

    def counted(self) -> list[Problem]:
        """The problems kept, then one per kind that had more, saying how many more."""
        problems = list(self.problems)
        for key, row in self._first_left_out.items():
            label, column, _ = key
            more = self._of_kind[key] - MAX_PROBLEMS_OF_A_KIND
            problems.append(
                Problem(
                    label,
                    row,
                    column,
                    f"… and {more:,} more problems like the ones above",
                    f"… 另有 {more:,} 处同类问题",
                )
            )
        if self._left_out:
            label = problems[-1].file if problems else self.tables.label(SETTINGS_SHEET)
            problems.append(
                Problem(
                    label,
                    problems[-1].row if problems else 0,
                    "*",
                    f"… and {self._left_out:,} more problems not listed",
                    f"… 另有 {self._left_out:,} 处问题未列出",
                )
            )
        return problems

    def label(self, sheet: str) -> str:
        return self.tables.label(sheet)

    def has(self, sheet: str, *columns: str) -> bool:
        """Whether the sheet was read and has all ``columns`` (else checks on them are moot)."""
        table = self.tables.tables.get(sheet)
        return table is not None and all(column in table.columns for column in columns)

    def rows(self, sheet: str) -> Iterator[tuple[int, dict[str, str]]]:
        """``(line, row)`` for every non-blank row of the sheet, if it was read."""
        table = self.tables.tables.get(sheet)
        if table is None:
            return
        for index, row in enumerate(table.rows):
            if row:
                yield table.row_line(index), row

    def cells(self, sheet: str, column: str) -> Iterator[tuple[int, str]]:
        """``(line, text)`` of one column in every non-blank row, if the column exists."""
        if not self.has(sheet, column):
            return
        for line, row in self.rows(sheet):
            yield line, row.get(column, "")

    def ids(self, sheet: str, column: str) -> frozenset[str]:
        """The filled-in values of a column (computed once: checks only read the tables)."""
        key = (sheet, column)
        if key not in self._ids:
            self._ids[key] = frozenset(text for _, text in self.cells(sheet, column) if text)
        return self._ids[key]

    def setting_line(self, key: str) -> int:
        return self.tables.settings_lines.get(key, 0)

    def title_scenes(self) -> dict[str, _TitleScenes]:
        """The scenes.csv rows of each title they name, in file order (read once)."""
        if self._scenes is None:
            self._scenes = _read_title_scenes(self)
        return self._scenes


@dataclass
class _TitleScenes:
    """One title's rows in scenes.csv: their lines, and the scenes read from them.

    ``complete`` is whether every row reads as a scene (a set type some base has,
    minutes a whole number within the day): only then can the title's days be packed.
    """

    lines: list[int] = field(default_factory=list)
    scenes: list[Scene] = field(default_factory=list)
    complete: bool = True
    all_lines: list[int] = field(default_factory=list)
    """Lines of every row of the title, read whole or not."""
    actors: set[str] = field(default_factory=set)
    """Everyone in the cast of one of its rows, read whole or not."""

    def lines_of(self, set_type: str) -> list[int]:
        """Lines of the title's scenes of ``set_type``."""
        return [
            line
            for line, scene in zip(self.lines, self.scenes, strict=True)
            if scene.set_type == set_type
        ]


def _read_title_scenes(report: _Report) -> dict[str, _TitleScenes]:
    if not report.has("scenes", "title_id", "scene_id", "set_type", "minutes"):
        return {}
    longest = _day_minutes(report.tables.settings) or MAX_DAY_MINUTES
    set_types = report.ids("sets", "set_type") if report.has("sets", "set_type") else None
    found: dict[str, _TitleScenes] = {}
    for line, row in report.rows("scenes"):
        title_id = row.get("title_id", "")
        if not title_id:
            continue
        entry = found.setdefault(title_id, _TitleScenes())
        cast = split_list(row.get("cast", ""))
        entry.all_lines.append(line)
        entry.actors.update(cast)
        minutes = parse_whole(row.get("minutes", ""))
        set_type = row.get("set_type", "")
        shot_somewhere = bool(set_type) and (set_types is None or set_type in set_types)
        if minutes is None or not 1 <= minutes <= longest or not shot_somewhere:
            entry.complete = False
            continue
        entry.lines.append(line)
        entry.scenes.append(Scene(title_id, row.get("scene_id", ""), set_type, minutes, cast))
    return found


def _day_minutes(settings: Mapping[str, object] | None) -> int | None:
    """scenario.toml's day_minutes (the default when absent), ``None`` when it is wrong."""
    value = (settings or {}).get("day_minutes")
    if value is None:
        return DEFAULT_DAY_MINUTES
    minutes = _setting_whole(value)
    if minutes is None or not MIN_DAY_MINUTES <= minutes <= MAX_DAY_MINUTES:
        return None
    return minutes


def _packed_days(scenes: Sequence[Scene], day_minutes: int) -> dict[str, int]:
    """Shoot days per set type (first seen first) that ``scenes`` pack into.

    A set type whose minutes alone need more than :data:`MAX_HORIZON_DAYS` days is
    counted, not packed: packing tens of thousands of long scenes one by one is slow.
    """
    by_type: dict[str, list[Scene]] = {}
    for scene in scenes:
        by_type.setdefault(scene.set_type, []).append(scene)
    days: dict[str, int] = {}
    for set_type, typed in by_type.items():
        total = sum(scene.minutes for scene in typed)
        if total > MAX_HORIZON_DAYS * day_minutes:
            days[set_type] = -(-total // day_minutes)
        else:
            days[set_type] = len(pack_scene_days(typed, day_minutes))
    return days


def _line_list(lines: Sequence[int], most: int = 4) -> str:
    """Line numbers as ranges: ``12–19``, ``3, 5, 8–9``; after ``most`` ranges, ``…``."""
    ranges: list[tuple[int, int]] = []
    for line in sorted(set(lines)):
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], line)
        else:
            ranges.append((line, line))
    shown = [str(a) if a == b else f"{a}–{b}" for a, b in ranges[:most]]
    return ", ".join(shown) + (", …" if len(ranges) > most else "")


def _rows_en(lines: Sequence[int]) -> str:
    """``row 4`` or ``rows 2–3, 5``."""
    return f"{'row' if len(set(lines)) == 1 else 'rows'} {_line_list(lines)}"


def _days_en(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


# -- checks, one per family of rules -----------------------------------------------


def _check_reading(report: _Report) -> None:
    """Each row and cell was read as it stands: no line break, no cell too long, no limit hit."""
    for problem in report.tables.read_problems:
        report.kind = f"reading:{problem.message[:12]}"
        report.add(problem.sheet, problem.row, problem.column, problem.message, problem.message_zh)


def _check_required_files(report: _Report) -> None:
    """Every required file (scenario.toml and six sheets) is present and readable."""
    tables = report.tables
    workbook = tables.source == "xlsx"
    if tables.settings is None and tables.settings_error is None:
        if workbook:
            en = "missing required sheet; expected a sheet scenario with columns key, value"
            zh = "缺少必需的工作表 scenario，应有 key、value 两列"
        else:
            en = f"missing required file; expected {SETTINGS_FILE} with name, start_date, days"
            zh = f"缺少必需文件 {SETTINGS_FILE}，应包含 name、start_date、days"
        report.add(SETTINGS_SHEET, 0, "*", en, zh)
    for spec in SHEETS:
        error = tables.file_errors.get(spec.name)
        if error is not None:
            report.add(
                spec.name,
                0,
                "*",
                f"cannot be read: {error}; expected a CSV saved as UTF-8",
                f"无法读取：{error}；应保存为 UTF-8 编码的 CSV（Excel 中选择“CSV UTF-8”）",
            )
            continue
        if spec.name in tables.tables or not spec.required_file:
            continue
        columns = ", ".join(spec.required)
        if workbook:
            en = f"missing required sheet; expected a sheet {spec.name} with columns {columns}"
            zh = f"缺少必需的工作表 {spec.name}，应包含列 {columns}"
        else:
            en = f"missing required file; expected {spec.name}.csv with columns {columns}"
            zh = f"缺少必需文件 {spec.name}.csv，应包含列 {columns}"
        report.add(spec.name, 0, "*", en, zh)


def _check_columns(report: _Report) -> None:
    """Each sheet's header (line 1) names every required column, each column once."""
    for spec in SHEETS:
        table = report.tables.tables.get(spec.name)
        if table is None:
            continue
        for column in spec.required:
            if column not in table.columns:
                report.add(
                    spec.name,
                    1,
                    column,
                    f"missing required column; expected a column {column} in the header",
                    f"缺少必需列 {column}（{_zh(column)}），应写在表头中",
                )
        seen: set[str] = set()
        for column in table.columns:
            if column in seen:
                count = table.columns.count(column)
                report.add(
                    spec.name,
                    1,
                    column,
                    f"column appears {count} times in the header; expected each column once",
                    f"表头中列 {column} 出现了 {count} 次，每列只应出现一次",
                )
            seen.add(column)


def _check_settings(report: _Report) -> None:
    """scenario.toml gives name (text), start_date (a date) and days (an integer ≥ 1);
    day_minutes, if given, is a whole number of minutes 60…1,440."""
    tables = report.tables
    if tables.settings_error is not None:
        found = re.search(r"line (\d+)", tables.settings_error)
        report.add(
            SETTINGS_SHEET,
            int(found.group(1)) if found else 0,
            "*",
            f"is not valid TOML ({tables.settings_error}); expected key = value lines",
            f"不是有效的 TOML（{tables.settings_error}），应为 key = value 格式的行",
        )
        return
    settings = tables.settings
    if settings is None:
        return  # reported as a missing file
    examples = {"name": '"郑州基地群 12月"', "start_date": "2026-12-01", "days": "31"}
    for key, example in examples.items():
        if settings.get(key) is None:
            report.add(
                SETTINGS_SHEET,
                0,
                key,
                f"missing; expected {key} = {example}",
                f"缺少 {key}，应写成 {key} = {example}",
            )
    line = report.setting_line
    name = settings.get("name")
    if isinstance(name, str) and not name.strip():
        report.add(
            SETTINGS_SHEET,
            line("name"),
            "name",
            f"is empty; expected a name such as {examples['name']}",
            f"名称为空，应为文字，如 {examples['name']}",
        )
    elif name is not None and not isinstance(name, str):
        report.add(
            SETTINGS_SHEET,
            line("name"),
            "name",
            f"{_show(name)} is not text; expected a name in quotes such as {examples['name']}",
            f"名称 {_show(name)} 不是文字，应加引号，如 {examples['name']}",
        )
    if settings.get("start_date") is not None:
        start = _setting_date(settings["start_date"])
        shown = _show(settings["start_date"])
        if start is None:
            report.add(
                SETTINGS_SHEET,
                line("start_date"),
                "start_date",
                f"{shown} is not a date; expected YYYY-MM-DD such as 2026-12-01",
                f"开始日期 {shown} 不是有效日期，应为 YYYY-MM-DD 格式，如 2026-12-01",
            )
        elif not FIRST_DATE <= start <= LAST_DATE:
            report.add(
                SETTINGS_SHEET,
                line("start_date"),
                "start_date",
                f"{shown} is outside {_YEARS}; expected a date in those years",
                f"开始日期 {shown} 不在 {_YEARS} 之内",
            )
    if settings.get("days") is not None:
        _check_setting_whole(
            report,
            "days",
            settings["days"],
            (1, MAX_HORIZON_DAYS),
            f"days 1…{MAX_HORIZON_DAYS} (at most a year)",
            f"1…{MAX_HORIZON_DAYS} 的整数天数（最长一年）",
        )
    if settings.get("day_minutes") is not None:
        _check_setting_whole(
            report,
            "day_minutes",
            settings["day_minutes"],
            (MIN_DAY_MINUTES, MAX_DAY_MINUTES),
            f"the working minutes of a shoot day, {MIN_DAY_MINUTES}…{MAX_DAY_MINUTES:,} "
            f"(default {DEFAULT_DAY_MINUTES})",
            f"{MIN_DAY_MINUTES}…{MAX_DAY_MINUTES:,} 的整数（每个拍摄日的工作分钟数，"
            f"默认 {DEFAULT_DAY_MINUTES}）",
        )


def _check_setting_whole(
    report: _Report,
    key: str,
    value: object,
    bounds: tuple[int, int],
    expected: str,
    expected_zh: str,
) -> None:
    number = _setting_whole(value)
    shown = _show(value)
    low, high = bounds
    if number is None:
        report.add(
            SETTINGS_SHEET,
            report.setting_line(key),
            key,
            f"{shown} is not a whole number; expected {expected}",
            f"{key} 的值 {shown} 不是整数，应为{expected_zh}",
        )
    elif number < low:
        report.add(
            SETTINGS_SHEET,
            report.setting_line(key),
            key,
            f"{shown} is less than {low}; expected {expected}",
            f"{key} 的值 {shown} 小于 {low}，应为{expected_zh}",
        )
    elif number > high:
        report.add(
            SETTINGS_SHEET,
            report.setting_line(key),
            key,
            f"{shown} is more than {high:,}; expected {expected}",
            f"{key} 的值 {shown} 大于 {high:,}，应为{expected_zh}",
        )


def _check_targets(report: _Report) -> None:
    """[targets] is optional; its keys are the two known targets, each an integer ≥ 1."""
    settings = report.tables.settings
    if settings is None or "targets" not in settings:
        return
    targets = settings["targets"]
    if not isinstance(targets, dict):
        report.add(
            SETTINGS_SHEET,
            report.setting_line("targets"),
            "targets",
            f"{_show(targets)} is not a table; expected [targets] with "
            "parallel_shoots_per_day and titles_per_month",
            "targets 应为一个表 [targets]，包含 parallel_shoots_per_day 和 titles_per_month",
        )
        return
    known = " or ".join(TARGET_DEFAULTS)
    for key, value in targets.items():
        dotted = f"targets.{key}"
        if key not in TARGET_DEFAULTS:
            report.add(
                SETTINGS_SHEET,
                report.setting_line(dotted),
                dotted,
                f"unknown target; expected {known}",
                f"未知的目标 {key}，应为 {known.replace(' or ', ' 或 ')}",
            )
            continue
        _check_setting_whole(
            report,
            dotted,
            value,
            (1, MAX_TARGET),
            f"an integer 1…{MAX_TARGET:,}",
            f"1…{MAX_TARGET:,} 的整数",
        )


POOLING_POLICIES = ("alone", "pooled")
"""The words scenario.toml's ``[pooling] policy`` may hold."""

_POOLING_EXAMPLE = '[pooling] groups = [["郑州", "开封"], ["洛阳"]] or policy = "alone"'


def _base_cities(report: _Report) -> list[str] | None:
    """Cities some base is in (sorted), ``None`` when bases.csv has no city column."""
    if not report.has("bases", "city"):
        return None
    return sorted(report.ids("bases", "city"))


def _check_pooling(report: _Report) -> None:
    """[pooling] is optional: ``groups``, lists of cities some base is in, each city in one
    group at most, or ``policy`` = "alone" or "pooled" — not both."""
    settings = report.tables.settings
    if settings is None or "pooling" not in settings:
        return
    pooling = settings["pooling"]
    line = report.setting_line
    if not isinstance(pooling, dict):
        report.add(
            SETTINGS_SHEET,
            line("pooling"),
            "pooling",
            f"{_show(pooling)} is not a table; expected {_POOLING_EXAMPLE}",
            f"pooling 应为一个表，如 {_POOLING_EXAMPLE}",
        )
        return
    for key in pooling:
        if key not in ("groups", "policy"):
            report.add(
                SETTINGS_SHEET,
                line(f"pooling.{key}"),
                f"pooling.{key}",
                "unknown key; expected groups or policy",
                f"未知的键 {key}，应为 groups 或 policy",
            )
    if "groups" in pooling and "policy" in pooling:
        report.add(
            SETTINGS_SHEET,
            line("pooling.policy"),
            "pooling.policy",
            "is given with pooling.groups; expected one of the two",
            "pooling.policy 与 pooling.groups 只能写一个",
        )
    if "policy" in pooling and pooling["policy"] not in POOLING_POLICIES:
        report.add(
            SETTINGS_SHEET,
            line("pooling.policy"),
            "pooling.policy",
            f'{_show(pooling["policy"])} is not a policy; expected "alone" (each city plans '
            'alone) or "pooled" (all cities share crews and actors)',
            f'协同方式 {_show(pooling["policy"])} 无效，应为 "alone"（各城独立）或 '
            '"pooled"（所有城市共享剧组和演员）',
        )
    if "groups" not in pooling:
        return
    groups = pooling["groups"]
    where = line("pooling.groups")
    if not isinstance(groups, list) or not all(
        isinstance(group, list) and all(isinstance(city, str) for city in group)
        for group in groups
    ):
        report.add(
            SETTINGS_SHEET,
            where,
            "pooling.groups",
            f"{_show(groups)} is not a list of lists of cities; expected {_POOLING_EXAMPLE}",
            f"{_show(groups)} 不是城市组的列表，应写成 {_POOLING_EXAMPLE}",
        )
        return
    cities = _base_cities(report)
    if cities is None:
        return  # bases.csv without a city column is reported; its cities are unknown
    for en, zh in groups_problems(groups, cities):
        report.add(SETTINGS_SHEET, where, "pooling.groups", en, zh)


def _check_home_cities(report: _Report) -> None:
    """An actor's home_city, if given, is a city some base is in."""
    cities = _base_cities(report)
    if cities is None:
        return
    known = set(cities)
    where = report.label("bases")
    for line, text in report.cells("actors", "home_city"):
        if text and text not in known:
            report.add(
                "actors",
                line,
                "home_city",
                f"{text} is not the city of any base in {where}; expected one of "
                f"{', '.join(cities)}, or blank for an actor who works in any city",
                f"常驻城市 {text} 不是 {where} 中任何基地所在的城市，应为 {'、'.join(cities)} "
                "之一，或留空（可在任何城市拍摄）",
            )


def _check_overflow(report: _Report) -> None:
    """A row has no more cells than its header has columns."""
    for spec in SHEETS:
        table = report.tables.tables.get(spec.name)
        if table is None:
            continue
        for line, row in report.rows(spec.name):
            if OVERFLOW in row:
                count = len(table.columns)
                report.add(
                    spec.name,
                    line,
                    "*",
                    f"the row has cells past the last column ({row[OVERFLOW]}); "
                    f"expected at most {count} cells, one per header column",
                    f"该行超出表头的列数，多出的内容：{row[OVERFLOW]}；应最多 {count} 个单元格",
                )


_FILLED: dict[tuple[str, str], tuple[str, str]] = {
    ("bases", "base_id"): ("a unique base id", "唯一的基地编号"),
    ("bases", "name"): ("the base's name", "基地名称"),
    ("bases", "city"): ("the base's city", "基地所在城市"),
    ("sets", "set_id"): ("a unique set id", "唯一的场景编号"),
    ("sets", "base_id"): ("a base_id from bases", "bases 中的基地编号"),
    ("sets", "set_type"): ("a set type such as 办公室", "场景类型，如 办公室"),
    ("crews", "crew_id"): ("a unique crew id", "唯一的剧组编号"),
    ("crews", "name"): ("the crew's name", "剧组名称"),
    ("crews", "home_base_id"): ("a base_id from bases", "bases 中的基地编号"),
    ("actors", "actor_id"): ("a unique actor id", "唯一的演员编号"),
    ("actors", "name"): ("the actor's name", "演员姓名"),
    ("titles", "title_id"): ("a unique title id", "唯一的剧目编号"),
    ("titles", "name"): ("the title's name", "剧目名称"),
    ("titles", "genre"): ("the title's genre such as 都市", "剧目题材，如 都市"),
    ("title_needs", "title_id"): ("a title_id from titles", "titles 中的剧目编号"),
    ("title_needs", "set_type"): ("a set type such as 办公室", "场景类型，如 办公室"),
    ("unavailable", "kind"): ("one of set, crew, actor, base", "set、crew、actor、base 之一"),
    ("unavailable", "id"): (
        "the id of the set, crew, actor or base",
        "场景、剧组、演员或基地的编号",
    ),
    ("travel", "from_city"): ("a city", "城市"),
    ("travel", "to_city"): ("a city", "城市"),
    ("pins", "title_id"): ("a title_id from titles", "titles 中的剧目编号"),
    ("scenes", "title_id"): ("a title_id from titles", "titles 中的剧目编号"),
    ("scenes", "scene_id"): (
        "a scene id, unique within its title, such as 1-1",
        "场次编号（同一剧目内唯一），如 1-1",
    ),
    ("scenes", "set_type"): ("a set type such as 办公室", "场景类型，如 办公室"),
}
"""Required text cells that must not be blank, with what belongs there."""


def _check_filled(report: _Report) -> None:
    """Ids, names and other required text cells are not empty."""
    for (sheet, column), (what, what_zh) in _FILLED.items():
        for line, text in report.cells(sheet, column):
            if not text:
                report.add(
                    sheet,
                    line,
                    column,
                    f"is empty; expected {what}",
                    f"{_zh(column)}为空，应填写{what_zh}",
                )


_ID_COLUMNS = (
    ("bases", "base_id"),
    ("sets", "set_id"),
    ("crews", "crew_id"),
    ("actors", "actor_id"),
    ("titles", "title_id"),
)


def _check_unique_ids(report: _Report) -> None:
    """An id appears once in its file."""
    for sheet, column in _ID_COLUMNS:
        first_line: dict[str, int] = {}
        for line, text in report.cells(sheet, column):
            if not text:
                continue
            if text in first_line:
                report.add(
                    sheet,
                    line,
                    column,
                    f"{text} is used again; first on line {first_line[text]}, "
                    f"expected each {column} once",
                    f"{_zh(column)} {text} 重复，首次出现在第 {first_line[text]} 行；编号须唯一",
                )
            else:
                first_line[text] = line


@dataclass(frozen=True)
class _DateColumn:
    sheet: str
    column: str
    blank_ok: bool = False


_DATES = (
    _DateColumn("titles", "earliest_start"),
    _DateColumn("titles", "due_date"),
    _DateColumn("unavailable", "from_date"),
    _DateColumn("unavailable", "to_date"),
    _DateColumn("pins", "start_date", blank_ok=True),
)


def _check_dates(report: _Report) -> None:
    """Dates are ISO YYYY-MM-DD in 2000–2099; only a pin's start_date may be blank."""
    for spec in _DATES:
        for line, text in report.cells(spec.sheet, spec.column):
            if not text:
                if not spec.blank_ok:
                    report.add(
                        spec.sheet,
                        line,
                        spec.column,
                        "is empty; expected a date YYYY-MM-DD",
                        f"{_zh(spec.column)}为空，应为 YYYY-MM-DD 格式的日期",
                    )
                continue
            when = parse_date(text)
            if when is None:
                report.add(
                    spec.sheet,
                    line,
                    spec.column,
                    f"{text} is not a date; expected YYYY-MM-DD",
                    f"{_zh(spec.column)} {text} 不是有效日期，应为 YYYY-MM-DD 格式",
                )
            elif not FIRST_DATE <= when <= LAST_DATE:
                report.add(
                    spec.sheet,
                    line,
                    spec.column,
                    f"{text} is outside {_YEARS}; expected a date in those years",
                    f"{_zh(spec.column)} {text} 不在 {_YEARS} 之内",
                )


def _check_date_order(report: _Report) -> None:
    """A title is due on or after its earliest start; an outage ends on or after it starts."""
    pairs = (("titles", "earliest_start", "due_date"), ("unavailable", "from_date", "to_date"))
    for sheet, first_column, last_column in pairs:
        if not report.has(sheet, first_column, last_column):
            continue
        for line, row in report.rows(sheet):
            first = parse_date(row.get(first_column, ""))
            last = parse_date(row.get(last_column, ""))
            if first is not None and last is not None and last < first:
                report.add(
                    sheet,
                    line,
                    last_column,
                    f"{last.isoformat()} is before {first_column} {first.isoformat()}",
                    f"{_zh(last_column)} {last.isoformat()} 早于{_zh(first_column)} "
                    f"{first.isoformat()}",
                )


@dataclass(frozen=True)
class _WholeColumn:
    sheet: str
    column: str
    minimum: int
    maximum: int
    expected: str
    expected_zh: str
    blank_ok: bool = False


_WHOLE_NUMBERS = (
    _WholeColumn(
        "bases",
        "max_crews",
        1,
        MAX_CREWS_AT_BASE,
        f"an integer 1…{MAX_CREWS_AT_BASE:,}, or blank for no limit",
        f"1…{MAX_CREWS_AT_BASE:,} 的整数，留空表示不限",
        blank_ok=True,
    ),
    _WholeColumn(
        "sets",
        "day_rate",
        0,
        MAX_DAY_RATE,
        f"whole yuan 0…{MAX_DAY_RATE:,}",
        f"0…{MAX_DAY_RATE:,} 的整数（元）",
    ),
    _WholeColumn(
        "crews",
        "day_rate",
        0,
        MAX_DAY_RATE,
        f"whole yuan 0…{MAX_DAY_RATE:,}",
        f"0…{MAX_DAY_RATE:,} 的整数（元）",
    ),
    _WholeColumn(
        "crews",
        "max_days_in_row",
        1,
        MAX_HORIZON_DAYS,
        f"an integer 1…{MAX_HORIZON_DAYS}, or blank for no limit",
        f"1…{MAX_HORIZON_DAYS} 的整数，留空表示不限",
        blank_ok=True,
    ),
    _WholeColumn(
        "actors",
        "day_rate",
        0,
        MAX_DAY_RATE,
        f"whole yuan 0…{MAX_DAY_RATE:,}",
        f"0…{MAX_DAY_RATE:,} 的整数（元）",
    ),
    _WholeColumn(
        "titles",
        "priority",
        1,
        MAX_PRIORITY,
        f"an integer 1…{MAX_PRIORITY:,}",
        f"1…{MAX_PRIORITY:,} 的整数",
    ),
    _WholeColumn(
        "title_needs",
        "days",
        1,
        MAX_HORIZON_DAYS,
        f"whole set-days 1…{MAX_HORIZON_DAYS}",
        f"1…{MAX_HORIZON_DAYS} 的整数（场景天数）",
    ),
    _WholeColumn(
        "travel",
        "days",
        0,
        MAX_HORIZON_DAYS,
        f"whole days 0…{MAX_HORIZON_DAYS}",
        f"0…{MAX_HORIZON_DAYS} 的整数（天）",
    ),
)


def _check_whole_numbers(report: _Report) -> None:
    """Counts and prices are whole numbers within their range (1500.0 is 1500)."""
    for spec in _WHOLE_NUMBERS:
        label_zh = _zh(spec.column)
        for line, text in report.cells(spec.sheet, spec.column):
            if not text:
                if not spec.blank_ok:
                    report.add(
                        spec.sheet,
                        line,
                        spec.column,
                        f"is empty; expected {spec.expected}",
                        f"{label_zh}为空，应为{spec.expected_zh}",
                    )
                continue
            number = parse_whole(text)
            if number is None:
                report.add(
                    spec.sheet,
                    line,
                    spec.column,
                    f"{text} is not a whole number; expected {spec.expected}",
                    f"{label_zh} {text} 不是整数，应为{spec.expected_zh}",
                )
            elif number < spec.minimum:
                report.add(
                    spec.sheet,
                    line,
                    spec.column,
                    f"{text} is less than {spec.minimum}; expected {spec.expected}",
                    f"{label_zh} {text} 小于 {spec.minimum}，应为{spec.expected_zh}",
                )
            elif number > spec.maximum:
                report.add(
                    spec.sheet,
                    line,
                    spec.column,
                    f"{text} is more than {spec.maximum:,}; expected {spec.expected}",
                    f"{label_zh} {text} 大于 {spec.maximum:,}，应为{spec.expected_zh}",
                )


def _check_kinds(report: _Report) -> None:
    """An unavailable row's kind is set, crew, actor or base."""
    kinds = ", ".join(UNAVAILABLE_KINDS)
    for line, text in report.cells("unavailable", "kind"):
        if text and text not in UNAVAILABLE_KINDS:
            report.add(
                "unavailable",
                line,
                "kind",
                f"{text} is not a kind; expected one of {kinds}",
                f"类型 {text} 无效，应为 {'、'.join(UNAVAILABLE_KINDS)} 之一",
            )


_REFERENCES = (
    ("sets", "base_id", "bases", "base_id"),
    ("crews", "home_base_id", "bases", "base_id"),
    ("title_needs", "title_id", "titles", "title_id"),
    ("pins", "title_id", "titles", "title_id"),
    ("pins", "base_id", "bases", "base_id"),
    ("pins", "crew_id", "crews", "crew_id"),
    ("scenes", "title_id", "titles", "title_id"),
)
"""(sheet, column) cells that name an id of (target sheet, target column)."""


def _unknown_id(
    report: _Report,
    sheet: str,
    line: int,
    column: str,
    value: str,
    target: str,
    target_column: str,
    why: tuple[str, str] = ("", ""),
) -> None:
    where = report.label(target)
    because, because_zh = why
    report.add(
        sheet,
        line,
        column,
        f"{value} is not in {where}; expected {_a(target_column)} listed there{because}",
        f"{_zh(column)} {value} 不在 {where} 中{because_zh}，应为其中已有的{_zh(target_column)}",
    )


def _check_references(report: _Report) -> None:
    """Every base, crew and title that a row names exists in its own file."""
    for sheet, column, target, target_column in _REFERENCES:
        if not report.has(target, target_column):
            continue  # the missing target is reported; don't flag every reference to it
        known = report.ids(target, target_column)
        for line, text in report.cells(sheet, column):
            if text and text not in known:
                _unknown_id(report, sheet, line, column, text, target, target_column)


def _check_unavailable_ids(report: _Report) -> None:
    """An unavailable row's id exists in the file of its kind (a crew id in crews, …)."""
    if not report.has("unavailable", "kind", "id"):
        return
    for line, row in report.rows("unavailable"):
        kind, resource_id = row.get("kind", ""), row.get("id", "")
        if kind not in KIND_SHEET or not resource_id:
            continue
        target, target_column = KIND_SHEET[kind]
        known = report.ids(target, target_column)
        if report.has(target, target_column) and resource_id not in known:
            why = (f", as kind is {kind}", f"（类型为 {kind}）")
            _unknown_id(report, "unavailable", line, "id", resource_id, target, target_column, why)


def _check_cast(report: _Report) -> None:
    """A title's cast and a scene's cast name actors from actors.csv, each once."""
    check_known = report.has("actors", "actor_id")
    known = report.ids("actors", "actor_id")
    where = report.label("actors")
    for sheet in ("titles", "scenes"):
        who = _zh_in(sheet, "cast")
        for line, text in report.cells(sheet, "cast"):
            seen: set[str] = set()
            for actor_id in split_list(text):
                if actor_id in seen:
                    report.add(
                        sheet,
                        line,
                        "cast",
                        f"{actor_id} is listed twice; expected each actor once",
                        f"{who} {actor_id} 重复出现，每位演员只应列一次",
                    )
                    continue
                seen.add(actor_id)
                if check_known and actor_id not in known:
                    report.add(
                        sheet,
                        line,
                        "cast",
                        f"{actor_id} is not in {where}; expected actor_ids listed there, "
                        "separated by ;",
                        f"{who} {actor_id} 不在 {where} 中，应为其中已有的演员编号，用 ; 分隔",
                    )


def _check_set_types(report: _Report) -> None:
    """Every set type a title needs, or a scene is shot at, is the type of at least one set
    at some base."""
    if not report.has("sets", "set_type"):
        return
    known = report.ids("sets", "set_type")
    types = sorted(known)
    where = report.label("sets")
    listed = ", ".join(types) if types else "none"
    for sheet in ("title_needs", "scenes"):
        for line, text in report.cells(sheet, "set_type"):
            if text and text not in known:
                report.add(
                    sheet,
                    line,
                    "set_type",
                    f"{text} is a set type no base has; expected one of the set types in "
                    f"{where}: {listed}",
                    f"场景类型 {text} 在所有基地都没有，应为 {where} 中已有的类型："
                    f"{'、'.join(types)}",
                )


def _check_repeated_rows(report: _Report) -> None:
    """A title lists each set type once, each scene once, is pinned at most once; a city pair
    has one travel row."""
    for line, first, (title_id, set_type) in _repeats(
        report, "title_needs", "title_id", "set_type"
    ):
        report.add(
            "title_needs",
            line,
            "set_type",
            f"{set_type} is listed again for title {title_id}; first on line {first}, "
            "expected one row per title and set type",
            f"剧目 {title_id} 的场景类型 {set_type} 重复，首次出现在第 {first} 行；"
            "每个剧目的每种场景类型只占一行",
        )
    for line, first, (title_id,) in _repeats(report, "pins", "title_id"):
        report.add(
            "pins",
            line,
            "title_id",
            f"{title_id} is pinned again; first on line {first}, expected one pin row per title",
            f"剧目 {title_id} 重复锁定，首次出现在第 {first} 行；每个剧目只能有一行锁定",
        )
    for line, first, (from_city, to_city) in _repeats(report, "travel", "from_city", "to_city"):
        report.add(
            "travel",
            line,
            "to_city",
            f"{from_city} → {to_city} is listed again; first on line {first}, "
            "expected one row per pair of cities",
            f"{from_city} → {to_city} 重复，首次出现在第 {first} 行；每对城市只占一行",
        )
    for line, first, (title_id, scene_id) in _repeats(report, "scenes", "title_id", "scene_id"):
        report.add(
            "scenes",
            line,
            "scene_id",
            f"scene {scene_id} of title {title_id} is listed again; first on line {first}, "
            "expected each scene_id once within its title",
            f"剧目 {title_id} 的场次 {scene_id} 重复，首次出现在第 {first} 行；"
            "同一剧目内场次编号须唯一",
        )


def _repeats(report: _Report, sheet: str, *key: str) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """``(line, first line, key values)`` of rows whose filled-in key was seen before."""
    if not report.has(sheet, *key):
        return
    first_line: dict[tuple[str, ...], int] = {}
    for line, row in report.rows(sheet):
        values = tuple(row.get(column, "") for column in key)
        if not all(values):
            continue
        if values in first_line:
            yield line, first_line[values], values
        else:
            first_line[values] = line


def _horizon(settings: Mapping[str, object] | None) -> tuple[int, int] | None:
    """First and last day (ordinals) of a valid horizon, else ``None``."""
    if settings is None:
        return None
    start = _setting_date(settings.get("start_date"))
    days = _setting_whole(settings.get("days"))
    if start is None or days is None or not FIRST_DATE <= start <= LAST_DATE:
        return None
    if not 1 <= days <= MAX_HORIZON_DAYS:
        return None
    return start.toordinal(), start.toordinal() + days - 1


def _check_pin_windows(report: _Report) -> None:
    """A pinned start leaves room for the title's whole shoot inside its window and the horizon
    (a title with scenes shoots the days its scenes pack into)."""
    if not report.has("pins", "title_id", "start_date"):
        return
    windows: dict[str, tuple[int, int]] = {}
    for _, row in report.rows("titles"):
        earliest = parse_date(row.get("earliest_start", ""))
        due = parse_date(row.get("due_date", ""))
        if earliest is not None and due is not None:
            windows.setdefault(row.get("title_id", ""), (earliest.toordinal(), due.toordinal()))
    lengths: dict[str, int] = {}
    for _, row in report.rows("title_needs"):
        days = parse_whole(row.get("days", ""))
        if days is not None and 1 <= days <= MAX_HORIZON_DAYS:
            title_id = row.get("title_id", "")
            lengths[title_id] = lengths.get(title_id, 0) + days
    day_minutes = _day_minutes(report.tables.settings)
    for title_id, found in report.title_scenes().items():
        lengths.pop(title_id, None)
        if found.complete and day_minutes is not None:
            lengths[title_id] = sum(_packed_days(found.scenes, day_minutes).values())
    horizon = _horizon(report.tables.settings)
    for line, row in report.rows("pins"):
        title_id = row.get("title_id", "")
        start = parse_date(row.get("start_date", ""))
        if start is None or title_id not in windows or title_id not in lengths:
            continue
        first, last = windows[title_id]
        if horizon is not None:
            first, last = max(first, horizon[0]), min(last, horizon[1])
        length = lengths[title_id]
        latest = last - length + 1
        if first <= start.toordinal() <= latest:
            continue
        pinned = start.isoformat()
        if latest < first:
            en = (
                f"{pinned} cannot be kept: title {title_id}'s {length}-day shoot has no room "
                "in its window inside the horizon; expected a window (and horizon) that fits it"
            )
            zh = (
                f"锁定开拍日 {pinned} 无法保持：剧目 {title_id} 需连拍 {length} 天，"
                "其可拍期（在排期范围内）容不下；应放宽可拍期或排期范围"
            )
        else:
            since = date.fromordinal(first).isoformat()
            until = date.fromordinal(latest).isoformat()
            en = (
                f"{pinned} is outside title {title_id}'s window; its {length}-day shoot "
                f"must start {since}…{until}"
            )
            zh = (
                f"锁定开拍日 {pinned} 不在剧目 {title_id} 的可拍期内：连拍 {length} 天，"
                f"应在 {since} 至 {until} 之间开拍"
            )
        report.add("pins", line, "start_date", en, zh)


_LIST_COLUMNS = frozenset({"genres", "cast", "scene_order"})
"""Columns holding a ``;`` list of ids or words: each item is stored as an id."""


def _is_key(column: str) -> bool:
    return column == "id" or column.endswith("_id")


def _check_storable(report: _Report) -> None:
    """Every cell is text the database can store: no NUL byte; ids and list items at most
    200 characters, other text at most 2,000; headers are ids too."""
    for spec in SHEETS:
        table = report.tables.tables.get(spec.name)
        if table is None:
            continue
        for column in table.columns:
            found = text_problem(column, MAX_KEY_LENGTH)
            if found:
                report.add(spec.name, 1, "*", f"a column name {found[0]}", f"列名{found[1]}")
        for line, row in report.rows(spec.name):
            for column, text in row.items():
                if column == OVERFLOW or not text:
                    continue
                found = _cell_storage_problem(column, text)
                if found:
                    zh = f"{_zh_in(spec.name, column)}{found[1]}"
                    report.add(spec.name, line, column, found[0], zh)


def _cell_storage_problem(column: str, text: str) -> tuple[str, str] | None:
    if _is_key(column):
        return text_problem(text, MAX_KEY_LENGTH)
    found = text_problem(text)
    if found or column not in _LIST_COLUMNS:
        return found
    for item in split_list(text):
        found = text_problem(item, MAX_KEY_LENGTH)
        if found:
            return f"has an item that {found[0]}", f"中有一项{found[1]}"
    return None


_CONTROL = re.compile(r"[\x01-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters no name, id or note holds (a tab is kept; NUL is a storage problem)."""


def _check_control_characters(report: _Report) -> None:
    """Cells hold printable text: no control character such as \\x0b or \\x85."""
    for spec in SHEETS:
        for line, row in report.rows(spec.name):
            for column, text in row.items():
                found = _CONTROL.search(text) if column != OVERFLOW else None
                if found:
                    shown = repr(found.group())[1:-1]
                    report.add(
                        spec.name,
                        line,
                        column,
                        f"contains a control character ({shown}); remove it",
                        f"{_zh_in(spec.name, column)}含有控制字符（{shown}），请删除",
                    )


def _check_storable_settings(report: _Report) -> None:
    """Every setting is a value the database can store: text without NUL, a name of at most
    200 characters, whole numbers within 64 bits, finite numbers."""
    settings = report.tables.settings
    if settings is None:
        return
    name = settings.get("name")
    if isinstance(name, str):
        found = text_problem(name, MAX_KEY_LENGTH)
        if found:
            report.add(
                SETTINGS_SHEET,
                report.setting_line("name"),
                "name",
                f"name {found[0]}",
                f"名称{found[1]}",
            )
    known = {"name", "start_date", "days", "day_minutes", "targets", "pooling"}
    extra = {key: value for key, value in settings.items() if key not in known}
    for path, en, zh in json_problems(extra):
        line = report.setting_line(path.split("[")[0])
        report.add(SETTINGS_SHEET, line, path, f"setting {path} {en}", f"设置 {path} {zh}")


def _check_titles_have_needs(report: _Report) -> None:
    """Every title has at least one row in title_needs.csv or in scenes.csv."""
    if not report.has("title_needs", "title_id"):
        return
    needed = report.ids("title_needs", "title_id") | set(report.title_scenes())
    where = report.label("title_needs")
    scenes = report.label("scenes")
    with_scenes = report.has("scenes", "title_id")
    for line, text in report.cells("titles", "title_id"):
        if not text or text in needed:
            continue
        if with_scenes:  # the producer breaks titles down into scenes: say both ways
            en = (
                f"{text} has no rows in {where} nor in {scenes}; expected at least one set "
                "type with its days, or its scenes"
            )
            zh = (
                f"剧目 {text} 在 {where} 和 {scenes} 中都没有任何行，"
                "应至少列出一种场景类型及天数，或列出它的场次"
            )
        else:
            en = f"{text} has no rows in {where}; expected at least one set type with its days"
            zh = f"剧目 {text} 在 {where} 中没有任何行，应至少列出一种场景类型及天数"
        report.add("titles", line, "title_id", en, zh)


def _check_scene_ids(report: _Report) -> None:
    """A scene_id holds no ``;``: plan.csv lists a day's scene ids separated by it."""
    for line, text in report.cells("scenes", "scene_id"):
        if ";" in text or "；" in text:
            report.add(
                "scenes",
                line,
                "scene_id",
                f"{text} contains ;, which separates scene ids in plan.csv; expected an id "
                "without it, such as 1-1",
                f"场次编号 {text} 含有分号；plan.csv 用 ; 分隔场次编号，应去掉分号，如 1-1",
            )


def _check_scene_minutes(report: _Report) -> None:
    """A scene lasts a whole number of minutes, 1 … day_minutes: it is shot within one day."""
    longest = _day_minutes(report.tables.settings) or MAX_DAY_MINUTES
    expected = f"whole minutes of shooting 1…{longest:,}"
    expected_zh = f"1…{longest:,} 的整数（拍摄分钟数）"
    for line, text in report.cells("scenes", "minutes"):
        number = parse_whole(text) if text else None
        if not text:
            en, zh = f"is empty; expected {expected}", f"时长为空，应为{expected_zh}"
        elif number is None:
            en = f"{text} is not a whole number; expected {expected}"
            zh = f"时长 {text} 不是整数，应为{expected_zh}"
        elif number < 1:
            en = f"{text} is less than 1; expected {expected}"
            zh = f"时长 {text} 小于 1，应为{expected_zh}"
        elif number > longest:
            en = (
                f"{text} is more than the {longest:,} working minutes of a day (day_minutes); "
                f"a scene is shot within one day, expected {expected}"
            )
            zh = (
                f"时长 {text} 超过每天的工作分钟数 {longest:,}（day_minutes）；"
                f"一场戏须在一天内拍完，应为{expected_zh}"
            )
        else:
            continue
        report.add("scenes", line, "minutes", en, zh)


def _check_scene_words(report: _Report) -> None:
    """A scene's day_night is 日 or 夜 and its int_ext 内 or 外; blank means 日 and 内."""
    meanings = (
        ("day_night", DAY_NIGHT, "日 (day) or 夜 (night)", "日 或 夜"),
        ("int_ext", INT_EXT, "内 (interior) or 外 (exterior)", "内 或 外"),
    )
    for column, words, meaning, meaning_zh in meanings:
        for line, text in report.cells("scenes", column):
            if text and text not in words:
                report.add(
                    "scenes",
                    line,
                    column,
                    f"{text} is not {meaning}; expected one of them, or blank for {words[0]}",
                    f"{_zh(column)} {text} 无效，应为 {meaning_zh}，留空即为 {words[0]}",
                )


def _check_needs_match_scenes(report: _Report) -> None:
    """A title's scenes pack into at most 366 days of a set type; where the title also has
    title_needs rows, they give exactly the days its scenes of each set type pack into."""
    day_minutes = _day_minutes(report.tables.settings)
    if day_minutes is None or not report.has("title_needs", "title_id", "set_type", "days"):
        return
    needs_rows: dict[str, list[tuple[int, str, int | None]]] = {}
    for line, row in report.rows("title_needs"):
        days = parse_whole(row.get("days", ""))
        valid = days if days is not None and 1 <= days <= MAX_HORIZON_DAYS else None
        needs_rows.setdefault(row.get("title_id", ""), []).append(
            (line, row.get("set_type", ""), valid)
        )
    titles = report.ids("titles", "title_id")
    scenes_label, needs_label = report.label("scenes"), report.label("title_needs")
    for title_id, found in report.title_scenes().items():
        if not found.complete or title_id not in titles:
            continue  # the rows' own problems are said; their days cannot be told
        packed = _packed_days(found.scenes, day_minutes)
        too_long = False
        for set_type, days in packed.items():
            if days > MAX_HORIZON_DAYS:
                too_long = True
                lines = found.lines_of(set_type)
                report.add(
                    "scenes",
                    lines[0],
                    "set_type",
                    f"{title_id}'s {set_type} scenes ({_rows_en(lines)}) need at least {days} "
                    f"days of {day_minutes} minutes; expected at most {MAX_HORIZON_DAYS} days "
                    "of a set type",
                    f"剧目 {title_id} 的{set_type}场次（第 {_line_list(lines)} 行）按每天 "
                    f"{day_minutes} 分钟至少需要 {days} 天；每种场景类型最多 "
                    f"{MAX_HORIZON_DAYS} 天",
                )
        rows = needs_rows.get(title_id)
        if not rows or too_long:
            continue  # needs come from the scenes alone, or cannot be told
        needs_lines = [line for line, _, _ in rows]
        listed: set[str] = set()
        for line, set_type, days in rows:
            if not set_type or set_type in listed:
                continue  # a blank or repeated set type is said on its own
            listed.add(set_type)
            if set_type not in packed:
                types = ", ".join(packed)
                report.add(
                    "title_needs",
                    line,
                    "set_type",
                    f"{title_id} has no {set_type} scene in {scenes_label} (its scenes: "
                    f"{_rows_en(found.lines)}); expected only the set types of its scenes: "
                    f"{types}",
                    f"剧目 {title_id} 在 {scenes_label} 中没有{set_type}的场次（其场次在第 "
                    f"{_line_list(found.lines)} 行），应只列其场次的场景类型：{'、'.join(packed)}",
                )
            elif days is not None and days != packed[set_type]:
                of_type = found.lines_of(set_type)
                want = packed[set_type]
                report.add(
                    "title_needs",
                    line,
                    "days",
                    f"{title_id} needs {_days_en(days)} of {set_type} here, but its scenes in "
                    f"{scenes_label} {_rows_en(of_type)} pack into {_days_en(want)} of "
                    f"{set_type} ({day_minutes} minutes a day); expected {want}, or no "
                    f"{needs_label} rows for {title_id}",
                    f"剧目 {title_id} 此处需要{set_type} {days} 天，但它在 {scenes_label} 第 "
                    f"{_line_list(of_type)} 行的场次按每天 {day_minutes} 分钟排成{set_type} "
                    f"{want} 天；应为 {want}，或删去它在 {needs_label} 中的行",
                )
        for set_type, days in packed.items():
            if set_type in listed:
                continue
            lines = found.lines_of(set_type)
            report.add(
                "scenes",
                lines[0],
                "set_type",
                f"{title_id}'s {set_type} scenes ({_rows_en(lines)}) pack into {_days_en(days)}, "
                f"but no {needs_label} row of {title_id} ({_rows_en(needs_lines)}) is "
                f"{set_type}; expected a row {title_id},{set_type},{days} there, or no "
                f"{needs_label} rows for {title_id}",
                f"剧目 {title_id} 的{set_type}场次（第 {_line_list(lines)} 行）排成 {days} 天，"
                f"但 {needs_label} 第 {_line_list(needs_lines)} 行没有{set_type}；应补一行 "
                f"{title_id},{set_type},{days}，或删去它在 {needs_label} 中的行",
            )


def _check_cast_in_scenes(report: _Report) -> None:
    """A title with scenes lists in titles.csv's cast only actors who appear in its scenes."""
    scenes = report.title_scenes()
    where = report.label("scenes")
    known = report.ids("actors", "actor_id")
    for line, row in report.rows("titles"):
        title_id = row.get("title_id", "")
        found = scenes.get(title_id)
        if found is None:
            continue
        for actor_id in dict.fromkeys(split_list(row.get("cast", ""))):
            if actor_id in known and actor_id not in found.actors:  # unknown ones are said
                rows = found.all_lines
                report.add(
                    "titles",
                    line,
                    "cast",
                    f"{actor_id} appears in none of {title_id}'s scenes ({where} "
                    f"{_rows_en(rows)}); expected the cast of a title with scenes to be actors "
                    "of its scenes",
                    f"主演 {actor_id} 不在剧目 {title_id} 的任何场次中（{where} 第 "
                    f"{_line_list(rows)} 行）；有场次表的剧目，主演应为其场次中的演员",
                )


def _ids_shown(ids: Sequence[str], most: int = 8) -> str:
    """Scene ids as a ``;`` list, cut after ``most`` with ``…``."""
    return ";".join(ids[:most]) + (";…" if len(ids) > most else "")


def _check_pin_scene_orders(report: _Report) -> None:
    """A pinned scene_order is given only for a title with scenes and lists each of its
    scenes once, with the scenes of each packed day next to each other (it fixes the order
    of the days and of the scenes inside each day)."""
    if not report.has("pins", "title_id", "scene_order"):
        return
    titles = report.ids("titles", "title_id")
    scenes_of = report.title_scenes()
    where = report.label("scenes")
    day_minutes = _day_minutes(report.tables.settings)
    for line, row in report.rows("pins"):
        title_id = row.get("title_id", "")
        order = split_list(row.get("scene_order", ""))
        if not order or title_id not in titles:
            continue  # an unknown title is said by _check_references
        found = scenes_of.get(title_id)
        if found is None:
            report.add(
                "pins",
                line,
                "scene_order",
                f"{title_id} has no scenes in {where}; a scene_order is only for a title with "
                "scenes, expected it blank",
                f"剧目 {title_id} 在 {where} 中没有场次；只有录入场次的剧目才能锁定场次顺序，"
                "应留空",
            )
            continue
        if not found.complete:
            continue  # its rows' own problems are said; its days cannot be told
        ids = [scene.scene_id for scene in found.scenes]
        known = set(ids)
        seen: set[str] = set()
        wrong = False
        for scene_id in order:
            if scene_id in seen:
                wrong = True
                report.add(
                    "pins",
                    line,
                    "scene_order",
                    f"scene {scene_id} is listed twice; expected each scene of {title_id} once",
                    f"场次 {scene_id} 重复出现；剧目 {title_id} 的每个场次只应列一次",
                )
            elif scene_id not in known:
                wrong = True
                report.add(
                    "pins",
                    line,
                    "scene_order",
                    f"{scene_id} is not a scene of {title_id} in {where}; expected its scene "
                    f"ids: {_ids_shown(ids)}",
                    f"{scene_id} 不是剧目 {title_id} 在 {where} 中的场次；应为其场次编号："
                    f"{_ids_shown(ids)}",
                )
            seen.add(scene_id)
        missing = [scene_id for scene_id in ids if scene_id not in seen]
        if missing:
            report.add(
                "pins",
                line,
                "scene_order",
                f"scene(s) {_ids_shown(missing)} of {title_id} are missing; expected every scene "
                "of the title once, in shooting order",
                f"缺少剧目 {title_id} 的场次 {_ids_shown(missing)}；"
                "应按拍摄顺序列出该剧目的每个场次各一次",
            )
        if wrong or missing or day_minutes is None:
            continue
        place = {scene_id: index for index, scene_id in enumerate(order)}
        for day in pack_scene_days(found.scenes, day_minutes):
            spots = sorted(place[scene_id] for scene_id in day.scene_ids)
            if spots[-1] - spots[0] + 1 == len(spots):
                continue
            together = [order[spot] for spot in spots]
            inside = set(spots)
            between = [order[i] for i in range(spots[0], spots[-1]) if i not in inside]
            report.add(
                "pins",
                line,
                "scene_order",
                f"scenes {_ids_shown(together)} are shot on one day ({day.set_type}, "
                f"{day.minutes} minutes packed) but the order puts {_ids_shown(between)} between "
                "them; expected the scenes of each packed day next to each other",
                f"场次 {_ids_shown(together)} 排在同一个拍摄日（{day.set_type}，共 {day.minutes} "
                f"分钟），顺序中却被 {_ids_shown(between)} 隔开；同一天的场次须相邻",
            )


_CHECKS: tuple[Callable[[_Report], None], ...] = (
    _check_reading,
    _check_required_files,
    _check_columns,
    _check_settings,
    _check_targets,
    _check_pooling,
    _check_overflow,
    _check_filled,
    _check_unique_ids,
    _check_dates,
    _check_date_order,
    _check_whole_numbers,
    _check_kinds,
    _check_references,
    _check_unavailable_ids,
    _check_cast,
    _check_home_cities,
    _check_set_types,
    _check_repeated_rows,
    _check_titles_have_needs,
    _check_scene_ids,
    _check_scene_minutes,
    _check_scene_words,
    _check_needs_match_scenes,
    _check_cast_in_scenes,
    _check_pin_windows,
    _check_pin_scene_orders,
    _check_storable,
    _check_control_characters,
    _check_storable_settings,
)
"""Every family of rules. Order only breaks ties between problems on the same cell."""


def find_problems(tables: ScenarioTables) -> list[Problem]:
    """Every problem in ``tables``, in file order (settings, then SHEETS; row; column)."""
    report = _Report(tables)
    for check in _CHECKS:
        report.kind = check.__name__
        check(report)
    return sorted(report.counted(), key=_file_order(tables))


def _file_order(tables: ScenarioTables) -> Callable[[Problem], tuple[int, int, int]]:
    file_rank = {tables.label(SETTINGS_SHEET): 0}
    column_rank: dict[str, dict[str, int]] = {}
    for rank, spec in enumerate(SHEETS, start=1):
        label = tables.label(spec.name)
        file_rank[label] = rank
        table = tables.tables.get(spec.name)
        present = table.columns if table is not None else []
        # Columns missing from the header sort after those present, in spec order.
        order = list(dict.fromkeys([*present, *spec.columns]))
        column_rank[label] = {column: index for index, column in enumerate(order)}

    def key(problem: Problem) -> tuple[int, int, int]:
        ranks = column_rank.get(problem.file, {})
        column = -1 if problem.column == "*" else ranks.get(problem.column, len(ranks))
        return file_rank.get(problem.file, len(file_rank)), problem.row, column

    return key


# -- building the scenario from checked tables --------------------------------------


def _extra(table: Table, row: Mapping[str, str]) -> dict[str, str]:
    known = SHEET_BY_NAME[table.name].columns
    return {
        column: row.get(column, "")
        for column in table.columns
        if column not in known and column != OVERFLOW
    }


def _sheet(tables: ScenarioTables, name: str) -> Iterator[tuple[Table, dict[str, str]]]:
    table = tables.tables.get(name)
    if table is None:
        return
    for row in table.rows:
        if row:
            yield table, row


def _whole(text: str) -> int:
    number = parse_whole(text)
    assert number is not None, "checked by _check_whole_numbers"
    return number


def _optional_whole(text: str) -> int | None:
    return parse_whole(text) if text else None


def _date(text: str) -> date:
    when = parse_date(text)
    assert when is not None, "checked by _check_dates"
    return when


def _build(tables: ScenarioTables) -> Scenario:
    """The Scenario of tables that passed every check."""
    settings = dict(tables.settings or {})
    start_date = _setting_date(settings.pop("start_date"))
    days = _setting_whole(settings.pop("days"))
    assert start_date is not None and days is not None, "checked by _check_settings"
    name = str(settings.pop("name")).strip()
    day_minutes = _setting_whole(settings.pop("day_minutes", DEFAULT_DAY_MINUTES))
    assert day_minutes is not None, "checked by _check_settings"
    pooling = _pooling_groups(settings.pop("pooling", {}), tables)
    raw_targets = settings.pop("targets", {})
    assert isinstance(raw_targets, dict)
    targets = Targets(
        **{
            key: _setting_whole(raw_targets.get(key, default)) or default
            for key, default in TARGET_DEFAULTS.items()
        }
    )

    needs: dict[str, list[Need]] = {}
    for table, row in _sheet(tables, "title_needs"):
        need = Need(row["set_type"], _whole(row["days"]), _extra(table, row))
        needs.setdefault(row["title_id"], []).append(need)
    scenes: dict[str, list[Scene]] = {}
    for table, row in _sheet(tables, "scenes"):
        scene = Scene(
            title_id=row["title_id"],
            scene_id=row["scene_id"],
            set_type=row["set_type"],
            minutes=_whole(row["minutes"]),
            cast=split_list(row.get("cast", "")),
            day_night=row.get("day_night") or DAY_NIGHT[0],
            int_ext=row.get("int_ext") or INT_EXT[0],
            description=row.get("description", ""),
            extra=_extra(table, row),
        )
        scenes.setdefault(row["title_id"], []).append(scene)

    return Scenario(
        name=name,
        start_date=start_date,
        days=days,
        bases=tuple(
            Base(
                row["base_id"],
                row["name"],
                row["city"],
                _optional_whole(row.get("max_crews", "")),
                _extra(table, row),
            )
            for table, row in _sheet(tables, "bases")
        ),
        sets=tuple(
            FilmSet(
                row["set_id"],
                row["base_id"],
                row["set_type"],
                _whole(row["day_rate"]),
                _extra(table, row),
            )
            for table, row in _sheet(tables, "sets")
        ),
        crews=tuple(
            Crew(
                crew_id=row["crew_id"],
                name=row["name"],
                home_base_id=row["home_base_id"],
                day_rate=_whole(row["day_rate"]),
                genres=split_list(row.get("genres", "")),
                max_days_in_row=_optional_whole(row.get("max_days_in_row", "")),
                extra=_extra(table, row),
            )
            for table, row in _sheet(tables, "crews")
        ),
        actors=tuple(
            Actor(
                row["actor_id"],
                row["name"],
                _whole(row["day_rate"]),
                _extra(table, row),
                home_city=row.get("home_city", ""),
            )
            for table, row in _sheet(tables, "actors")
        ),
        titles=tuple(
            Title(
                title_id=row["title_id"],
                name=row["name"],
                genre=row["genre"],
                priority=_whole(row["priority"]),
                earliest_start=_date(row["earliest_start"]),
                due_date=_date(row["due_date"]),
                needs=_title_needs(
                    needs.get(row["title_id"], []), scenes.get(row["title_id"], []), day_minutes
                ),
                cast=split_list(row.get("cast", "")),
                extra=_extra(table, row),
                scenes=tuple(scenes.get(row["title_id"], ())),
            )
            for table, row in _sheet(tables, "titles")
        ),
        unavailable=tuple(
            Unavailability(
                kind=_kind(row["kind"]),
                resource_id=row["id"],
                from_date=_date(row["from_date"]),
                to_date=_date(row["to_date"]),
                note=row.get("note", ""),
                extra=_extra(table, row),
            )
            for table, row in _sheet(tables, "unavailable")
        ),
        travel=tuple(
            Travel(row["from_city"], row["to_city"], _whole(row["days"]), _extra(table, row))
            for table, row in _sheet(tables, "travel")
        ),
        pins=tuple(
            Pin(
                title_id=row["title_id"],
                start_date=parse_date(row.get("start_date", "")),
                base_id=row.get("base_id") or None,
                crew_id=row.get("crew_id") or None,
                scene_order=split_list(row.get("scene_order", "")),
                extra=_extra(table, row),
            )
            for table, row in _sheet(tables, "pins")
        ),
        targets=targets,
        settings_extra=settings,
        day_minutes=day_minutes,
        pooling=pooling,
    )


def _pooling_groups(pooling: object, tables: ScenarioTables) -> tuple[tuple[str, ...], ...]:
    """The groups of cities of a checked ``[pooling]`` table (``()``: every city shares)."""
    assert isinstance(pooling, dict), "checked by _check_pooling"
    if pooling.get("policy") == "alone":
        bases = tables.tables.get("bases")
        cities = sorted({row["city"] for row in bases.rows if row}) if bases else []
        return tuple((city,) for city in cities)
    return tuple(tuple(group) for group in pooling.get("groups", ()))


def _title_needs(given: list[Need], scenes: list[Scene], day_minutes: int) -> tuple[Need, ...]:
    """A title's needs: its title_needs rows, or for a title with scenes the days they pack
    into per set type, first seen first (keeping the extra columns of rows that were given)."""
    if not scenes:
        return tuple(given)
    extra = {need.set_type: need.extra for need in given}
    packed = days_by_set_type(pack_scene_days(scenes, day_minutes))
    return tuple(Need(set_type, n, extra.get(set_type, {})) for set_type, n in packed.items())


def _kind(text: str) -> UnavailableKind:
    for kind in UNAVAILABLE_KINDS:
        if kind == text:
            return kind
    raise AssertionError("checked by _check_kinds")


# -- notes: what was read generously --------------------------------------------------


def _lines_text(lines: list[int]) -> str:
    return str(lines[0]) if len(lines) == 1 else f"{lines[0]}–{lines[-1]}"


def reading_notes(tables: ScenarioTables) -> list[Problem]:
    """Dates written other than ISO, read as the date they mean: one note per file, column
    and way of writing, naming its first line and the lines it spans, with an example."""
    found: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
    chinese: dict[str, str] = {}
    report = _Report(tables)
    for spec in _DATES:
        for line, text in report.cells(spec.sheet, spec.column):
            form = date_form(text)
            if form is not None:
                found.setdefault((spec.sheet, spec.column, form[0]), []).append((line, text))
                chinese[form[0]] = form[1]
    notes = []
    for (sheet, column, english), cells in found.items():
        lines = sorted(line for line, _ in cells)
        example = cells[0][1]
        iso = parse_date(example)
        assert iso is not None, "date_form said it is a date"
        notes.append(
            bounded_problem(
                tables.label(sheet),
                lines[0],
                column,
                f"{len(cells):,} dates ({'line' if len(lines) == 1 else 'lines'} "
                f"{_lines_text(lines)}) written {english} "
                f"(such as {example}) were read as the dates they mean, kept as "
                f"{iso.isoformat()}",
                f"{len(cells):,} 个日期（第 {_lines_text(lines)} 行）{chinese[english]}"
                f"（如 {example}），已按日期读入，存为 {iso.isoformat()} 这样的格式",
            )
        )
    return notes


# -- public entry points -------------------------------------------------------------


def build_scenario(tables: ScenarioTables, notes: list[Problem] | None = None) -> Scenario:
    """Check every sheet and the settings, then build the Scenario.

    ``notes``, when given, receives the :func:`reading_notes` of a scenario that loads:
    what was read generously (dates as 2026/12/1), for the caller to show.

    Raises
    ------
    ScenarioError
        Listing every problem found, in file order, if there is any.
    """
    problems = find_problems(tables)
    if problems:
        raise ScenarioError(problems)
    scenario = _build(tables)
    unstorable = storage_problems(scenario, label=tables.label)
    if unstorable:  # checked cell by cell above; this guards the built values themselves
        raise ScenarioError(unstorable)
    if notes is not None:
        notes.extend(reading_notes(tables))
    return scenario


def load_scenario(path: Path, notes: list[Problem] | None = None) -> Scenario:
    """Read and check a scenario folder or ``.xlsx`` workbook (``notes`` as in
    :func:`build_scenario`).

    Raises
    ------
    ScenarioError
        If the path cannot be read as a scenario or the scenario has problems.
    """
    path = Path(path)
    where = str(path)
    if not path.exists():
        raise ScenarioError(
            [
                Problem(
                    where,
                    0,
                    "*",
                    "does not exist; expected a scenario folder or .xlsx workbook",
                    "路径不存在，应为场景文件夹或 .xlsx 工作簿",
                )
            ]
        )
    is_workbook = path.suffix.lower() == ".xlsx"
    if path.is_file() and not is_workbook:
        raise ScenarioError(
            [
                Problem(
                    where,
                    0,
                    "*",
                    "is a file; expected a scenario folder or .xlsx workbook",
                    "这是一个文件，应为场景文件夹或 .xlsx 工作簿",
                )
            ]
        )
    try:
        tables = read_tables(path)
    except UnreadableArchive as error:
        raise ScenarioError(
            [
                bounded_problem(
                    where,
                    0,
                    "*",
                    f"cannot be read: {error.message}",
                    f"无法读取：{error.message_zh}",
                )
            ]
        ) from error
    except (zipfile.BadZipFile, csv.Error, OSError, KeyError, ValueError) as error:
        # openpyxl raises these for a file that is not a real workbook; csv for NUL bytes.
        expected = "an .xlsx workbook" if is_workbook else "a folder of UTF-8 CSV files"
        expected_zh = ".xlsx 工作簿" if is_workbook else "UTF-8 编码的 CSV 文件夹"
        raise ScenarioError(
            [
                Problem(
                    where,
                    0,
                    "*",
                    f"cannot be read ({error}); expected {expected}",
                    f"无法读取（{error}），应为{expected_zh}",
                )
            ]
        ) from error
    return build_scenario(tables, notes)


def _frame_cell(value: object) -> str:
    """One editor cell as stripped text: missing → "", 1500.0 → "1500", a date → ISO."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    # pandas' missing markers (pd.NA, pd.NaT) print like this.
    return "" if text in {"<NA>", "NaT", "nan"} else text


def tables_from_frames(
    frames: Mapping[str, pd.DataFrame],
    settings: Mapping[str, object],
    source: Source = "editor",
) -> ScenarioTables:
    """Sheets edited as DataFrames (keyed by sheet name), ready for :func:`build_scenario`.

    Cells become stripped text and missing values become ``""``; rows with
    every cell blank are skipped by validation, like blank lines in a CSV.
    Frames for unknown sheet names are ignored.
    """
    tables: dict[str, Table] = {}
    for spec in SHEETS:
        frame = frames.get(spec.name)
        if frame is None:
            continue
        columns = [str(column).strip() for column in frame.columns]
        table = Table(spec.name, columns)
        for values in frame.itertuples(index=False, name=None):
            texts = [_frame_cell(value) for value in values]
            table.rows.append(dict(zip(columns, texts, strict=True)) if any(texts) else {})
        tables[spec.name] = table
    return ScenarioTables(source, dict(settings), tables)
