"""What the database can store: the one place that says which values a scenario may carry.

PostgreSQL refuses a NUL byte in text, an integer outside signed 32 bits in an
``INTEGER`` column and ``NaN`` or infinity in JSON; SQLite refuses integers past
64 bits. :func:`storage_problems` finds every such value of a scenario at once,
before anything is written, as :class:`~scheduler.domain.errors.Problem` s at
``file:row:column`` (the file and line the value has when the scenario is written
as files, ShootPlan's order) and naming the row's id, so the importer can refuse
the scenario and the store can refuse to save it, never half-saving it.

Both :mod:`scheduler.io` (validation) and :mod:`scheduler.storage` use it; the
limits follow the schema of :mod:`scheduler.storage.rows`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import fields
from typing import Any, get_args, get_origin, get_type_hints

from scheduler.domain.columns import COLUMN_ZH
from scheduler.domain.errors import Problem
from scheduler.domain.model import (
    Actor,
    Base,
    Crew,
    FilmSet,
    Need,
    Pin,
    Scenario,
    Title,
    Travel,
    Unavailability,
)
from scheduler.domain.scenes import Scene

INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
"""Every whole-number column is ``INTEGER``: signed 32 bits on PostgreSQL."""

JSON_INT_MIN = -(2**63)
JSON_INT_MAX = 2**63 - 1
"""Whole numbers in settings and extra columns (JSON): what SQLite's JSON keeps exactly."""

MAX_KEY_LENGTH = 200
"""Ids and the scenario name are indexed: PostgreSQL caps an index entry at 2,704 bytes."""

MAX_TEXT_LENGTH = 2000
"""Any other text: names, cities, notes, extra columns, settings."""

MAX_SHOWN = 40
"""A value quoted in a message is cut to this many characters."""

SETTINGS_FILE = "scenario.toml"

Label = Callable[[str], str]


def file_label(sheet: str) -> str:
    """``titles`` → ``titles.csv``, ``scenario`` → ``scenario.toml`` (a scenario folder)."""
    return SETTINGS_FILE if sheet == "scenario" else f"{sheet}.csv"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else f"{text[: MAX_SHOWN - 1]}…"


def text_problem(value: object, limit: int = MAX_TEXT_LENGTH) -> tuple[str, str] | None:
    """Why ``value`` cannot be stored as text, ``(english, chinese)``; ``None`` if it can."""
    if not isinstance(value, str):
        return (
            f"is {_shown(value)}; expected text",
            f"为 {_shown(value)}，应为文字",
        )
    if "\x00" in value:
        return (
            "contains a NUL byte (\\x00), which the database cannot store; remove it",
            "含有空字符（NUL，\\x00），数据库无法保存；请删除它",
        )
    if len(value) > limit:
        return (
            f"is {len(value)} characters long; expected at most {limit}",
            f"长 {len(value)} 个字符，最多 {limit} 个",
        )
    return None


def integer_problem(
    value: object, low: int = INT_MIN, high: int = INT_MAX
) -> tuple[str, str] | None:
    """Why ``value`` cannot be stored as a whole number, ``(english, chinese)``, or ``None``."""
    if not isinstance(value, int) or isinstance(value, bool):
        return (
            f"is {_shown(value)}; expected a whole number",
            f"为 {_shown(value)}，应为整数",
        )
    if not low <= value <= high:
        return (
            f"is {_shown(value)}, outside what the database stores ({low}…{high})",
            f"为 {_shown(value)}，超出数据库可存的整数范围（{low}…{high}）",
        )
    return None


def json_problems(value: object, path: str = "") -> Iterator[tuple[str, str, str]]:
    """Every value inside ``value`` that cannot be stored as JSON: ``(path, english, chinese)``.

    Storable: text, whole numbers within 64 bits, finite numbers, true/false,
    nothing, dates and times, and lists and tables of these with text keys.
    """
    if value is None or isinstance(value, bool | dt.date | dt.time):
        return
    if isinstance(value, str):
        found = text_problem(value)
        if found:
            yield path, *found
    elif isinstance(value, int):
        found = integer_problem(value, JSON_INT_MIN, JSON_INT_MAX)
        if found:
            yield path, *found
    elif isinstance(value, float):
        if not math.isfinite(value):
            yield (
                path,
                f"is {value}; expected a finite number",
                f"为 {value}，应为有限的数（不可为 nan 或 inf）",
            )
    elif isinstance(value, Mapping):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str):
                yield inner, f"key {_shown(key)} is not text", f"键 {_shown(key)} 不是文字"
                continue
            found = text_problem(key, MAX_KEY_LENGTH)
            if found:
                yield inner, f"the key {found[0]}", f"键{found[1]}"
            yield from json_problems(item, inner)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from json_problems(item, f"{path}[{index}]")
    else:
        yield (
            path,
            f"is {_shown(value)} ({type(value).__name__}), which cannot be stored",
            f"为 {_shown(value)}（{type(value).__name__}），无法保存",
        )


_SHEET_ROWS: dict[str, type] = {
    "bases": Base,
    "sets": FilmSet,
    "crews": Crew,
    "actors": Actor,
    "titles": Title,
    "title_needs": Need,
    "unavailable": Unavailability,
    "travel": Travel,
    "pins": Pin,
    "scenes": Scene,
}
"""The row class of each sheet; its fields are the sheet's columns (``resource_id`` is ``id``)."""

_COLUMN_OF_FIELD = {"resource_id": "id"}
# extra: JSON (json_problems); needs and scenes: rows of their own sheets
_NOT_COLUMNS = frozenset({"extra", "needs", "scenes"})


def _field_kind(name: str, hint: Any) -> str:
    """How a field is stored, from its type: key, text, int, date or list, ``?`` if optional."""
    arguments = get_args(hint)
    optional = type(None) in arguments
    if optional:
        hint = next(argument for argument in arguments if argument is not type(None))
    if hint is int:
        kind = "int"
    elif hint is dt.date:
        kind = "date"
    elif get_origin(hint) is tuple:
        kind = "list"
    else:  # str, or a Literal of words
        kind = "key" if name.endswith("_id") else "text"
    return f"{kind}?" if optional else kind


def _sheet_fields(row_class: type) -> tuple[tuple[str, str, str, str], ...]:
    """``(field, column, kind, Chinese name)`` of every stored field of a row class."""
    hints = get_type_hints(row_class)
    found = []
    for row_field in fields(row_class):
        if row_field.name in _NOT_COLUMNS:
            continue
        column = _COLUMN_OF_FIELD.get(row_field.name, row_field.name)
        kind = _field_kind(row_field.name, hints[row_field.name])
        found.append((row_field.name, column, kind, COLUMN_ZH.get(column, column)))
    return tuple(found)


_FIELDS = {sheet: _sheet_fields(row_class) for sheet, row_class in _SHEET_ROWS.items()}
"""What :func:`storage_problems` checks in each row, derived from the row classes."""

_ROW_ZH = {
    "bases": "基地",
    "sets": "场景",
    "crews": "剧组",
    "actors": "演员",
    "titles": "剧目",
    "title_needs": "剧目需求",
    "unavailable": "不可用记录",
    "travel": "转场记录",
    "pins": "锁定",
    "scenes": "场次",
}
_ROW_EN = {
    "bases": "base",
    "sets": "set",
    "crews": "crew",
    "actors": "actor",
    "titles": "title",
    "title_needs": "need of title",
    "unavailable": "unavailability of",
    "travel": "travel from",
    "pins": "pin of title",
    "scenes": "scene",
}


def _value_problem(kind: str, value: object) -> tuple[str, str] | None:
    optional = kind.endswith("?")
    if optional and value is None:
        return None
    kind = kind.rstrip("?")
    if kind == "key":
        return text_problem(value, MAX_KEY_LENGTH)
    if kind == "text":
        return text_problem(value)
    if kind == "int":
        return integer_problem(value)
    if kind == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return None
        return f"is {_shown(value)}; expected a date", f"为 {_shown(value)}，应为日期"
    if not isinstance(value, tuple | list):
        return f"is {_shown(value)}; expected a list", f"为 {_shown(value)}，应为列表"
    for item in value:
        found = text_problem(item, MAX_KEY_LENGTH)
        if found:
            return f"has {_shown(item)}, which {found[0]}", f"中的 {_shown(item)} {found[1]}"
    return None


def _rows(scenario: Scenario) -> Iterator[tuple[str, int, str, object]]:
    """``(sheet, index, id, row)`` of every row, in the order ShootPlan writes them."""
    sheets: dict[str, tuple[Any, ...]] = {
        "bases": scenario.bases,
        "sets": scenario.sets,
        "crews": scenario.crews,
        "actors": scenario.actors,
        "titles": scenario.titles,
    }
    ids = {"bases": "base_id", "sets": "set_id", "crews": "crew_id", "actors": "actor_id"}
    ids["titles"] = "title_id"
    for sheet, rows in sheets.items():
        for index, row in enumerate(rows):
            yield sheet, index, str(getattr(row, ids[sheet], "")), row
    index = 0
    for title in scenario.titles:
        for need in title.needs:
            yield "title_needs", index, str(title.title_id), need
            index += 1
    for index, outage in enumerate(scenario.unavailable):
        yield "unavailable", index, f"{outage.kind} {outage.resource_id}", outage
    for index, travel in enumerate(scenario.travel):
        yield "travel", index, f"{travel.from_city}→{travel.to_city}", travel
    for index, pin in enumerate(scenario.pins):
        yield "pins", index, str(pin.title_id), pin
    index = 0
    for title in scenario.titles:
        for scene in title.scenes:
            yield "scenes", index, f"{title.title_id} {scene.scene_id}", scene
            index += 1


def storage_problems(scenario: Scenario, label: Label = file_label) -> list[Problem]:
    """Every value of ``scenario`` the database cannot store; empty when it can store it all.

    A problem names the file (``label(sheet)``: ``titles.csv``, or a workbook's
    ``titles`` when the importer passes its own), the line the row has when the
    scenario is written as files (header = line 1), the column, and the row's id
    in the message. A setting names its dotted key as the column, at line 0.
    Problems come settings first, then sheet by sheet, in row and column order.
    """
    problems: list[Problem] = []
    settings = label("scenario")

    def setting(key: str, en: str, zh: str, what_zh: str) -> None:
        problems.append(Problem(settings, 0, key, f"setting {key} {en}", f"设置 {what_zh}{zh}"))

    for key, value, what_zh in (
        ("name", scenario.name, "场景名称"),
        ("start_date", scenario.start_date, "开始日期"),
        ("days", scenario.days, "天数"),
        ("day_minutes", scenario.day_minutes, "每天工作分钟数"),
        (
            "targets.parallel_shoots_per_day",
            scenario.targets.parallel_shoots_per_day,
            "同时开拍数",
        ),
        ("targets.titles_per_month", scenario.targets.titles_per_month, "每月剧目数"),
    ):
        kind = {"name": "key", "start_date": "date"}.get(key, "int")
        found = _value_problem(kind, value)
        if found:
            setting(key, *found, what_zh)
    for path, en, zh in json_problems(dict(scenario.settings_extra)):
        setting(path, en, zh, path)
    for path, en, zh in json_problems([list(group) for group in scenario.pooling], "pooling"):
        setting(path, en, zh, "协同城市组 ")

    for sheet, index, row_id, row in _rows(scenario):
        where = label(sheet)
        line = index + 2
        who_en = f"{_ROW_EN[sheet]} {_shown(row_id)[1:-1]}"
        who_zh = f"{_ROW_ZH[sheet]} {_shown(row_id)[1:-1]} 的"
        for field, column, kind, what_zh in _FIELDS[sheet]:
            found = _value_problem(kind, getattr(row, field, None))
            if found:
                en, zh = found
                problems.append(
                    Problem(
                        where, line, column, f"{who_en}: {column} {en}", f"{who_zh}{what_zh}{zh}"
                    )
                )
        for path, en, zh in json_problems(dict(getattr(row, "extra", {}))):
            problems.append(
                Problem(where, line, path, f"{who_en}: {path} {en}", f"{who_zh}{path}{zh}")
            )
    return problems
