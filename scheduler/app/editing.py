"""A scenario as the app's table editors hold it, and edited tables back into a scenario.

The Inputs page shows each sheet of :data:`scheduler.io.tables.SHEETS` in a table
editor. :func:`editor_frames` gives one DataFrame per sheet with typed cells
(whole numbers as nullable integers, dates as ``datetime.date`` in a typed date
column, the rest as text, extra columns kept) and rows numbered from 1, as the
editor shows them. The outage, pin and scene sheets pick kinds, words and ids by name
(:data:`CHOICE_LABELS`, :func:`id_choices`); :func:`resolve_choices` maps what was
picked or typed back to the stored codes.
:func:`check_edits` runs the edited frames and settings through the same
validation as files (:mod:`scheduler.io.validation`) and returns either the new
:class:`~scheduler.domain.model.Scenario` or every problem, grouped by sheet and
naming the editor's row and column; a message that names other rows (a duplicate's
first row, the scenes a title's needs disagree with) numbers them as the editor does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

import pandas as pd
import pyarrow as pa

from scheduler.domain.columns import column_zh
from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.model import UNAVAILABLE_KINDS, Scenario
from scheduler.domain.scenes import DAY_NIGHT, INT_EXT
from scheduler.io.tables import (
    SETTINGS_SHEET,
    SHEETS,
    ScenarioTables,
    scenario_settings,
    scenario_to_tables,
)
from scheduler.io.validation import (
    KIND_SHEET,
    build_scenario,
    parse_date,
    tables_from_frames,
)

SHEET_TITLES: dict[str, str] = {
    "bases": "基地 Bases",
    "sets": "场景/棚 Sets",
    "crews": "剧组 Crews",
    "actors": "演员 Actors",
    "titles": "剧目 Titles",
    "title_needs": "剧目场景需求 Title needs",
    "unavailable": "不可用 Outages",
    "travel": "转场 Travel",
    "pins": "锁定 Pins",
    "scenes": "场次表 Scenes",
}
"""Tab title of each sheet, Chinese first, in the order of SHEETS."""

SETTINGS_TITLE = "场景设置 Settings"

SETTING_LABELS: dict[str, str] = {
    "name": "场景名称 name",
    "start_date": "开始日期 start date",
    "days": "天数 days",
    "day_minutes": "每天工作分钟数 day minutes",
    "targets": "目标 targets",
    "targets.parallel_shoots_per_day": "每日并行拍摄目标 parallel shoots per day",
    "targets.titles_per_month": "每月剧目目标 titles per month",
}
"""Label of each scenario setting, as the Inputs page shows it."""

WHOLE_COLUMNS = frozenset(
    {"day_rate", "priority", "days", "max_crews", "max_days_in_row", "minutes"}
)
"""Columns of whole numbers (blank allowed where the SPEC makes them optional)."""

DATE_COLUMNS = frozenset({"earliest_start", "due_date", "from_date", "to_date", "start_date"})
"""Columns of ISO dates."""

ColumnKind = Literal["whole", "date", "text"]

DATE_DTYPE = pd.ArrowDtype(pa.date32())
"""The dtype of date columns: ``datetime.date`` cells, blank as ``pd.NA``.

A typed column (not ``object``) lets the table editor parse every edit as a date,
even in a sheet with no rows yet; an ``object`` column of an empty sheet would keep
whatever text the browser sent (e.g. ``+061203-02-02``).
"""

KIND_LABELS: dict[str, str] = {
    "actor": "演员 actor",
    "crew": "剧组 crew",
    "set": "场景/棚 set",
    "base": "基地 base",
}
"""The choices of the outage sheet's ``kind`` column, Chinese first; stored as the code."""
assert set(KIND_LABELS) == set(UNAVAILABLE_KINDS)

SCENE_WORD_LABELS: dict[str, dict[str, str]] = {
    "day_night": {"日": "日 day", "夜": "夜 night"},
    "int_ext": {"内": "内 interior", "外": "外 exterior"},
}
"""The choices of the scene sheet's ``day_night`` and ``int_ext`` columns; stored as the word."""
assert tuple(SCENE_WORD_LABELS["day_night"]) == DAY_NIGHT
assert tuple(SCENE_WORD_LABELS["int_ext"]) == INT_EXT

CHOICE_LABELS: dict[str, dict[str, str]] = {"kind": KIND_LABELS, **SCENE_WORD_LABELS}
"""Columns whose cells are picked from a fixed list: stored value → label shown."""

_KIND_WORDS: dict[str, str] = {
    **{label: code for code, label in KIND_LABELS.items()},
    **{label.split()[0]: code for code, label in KIND_LABELS.items()},
    "场景": "set",
    "棚": "set",
    **{code: code for code in KIND_LABELS},
}

"""Where the resources of each outage kind are listed: sheet and id column."""


def column_kind(column: str) -> ColumnKind:
    """What an editor cell of ``column`` holds: a whole number, a date or text."""
    if column in WHOLE_COLUMNS:
        return "whole"
    if column in DATE_COLUMNS:
        return "date"
    return "text"


def column_label(column: str, sheet: str = "") -> str:
    """An editor header: the Chinese name and the file's column name (``日价 day_rate``).

    ``sheet`` tells a column that means something else in one sheet (a scene's ``cast``
    is 演员, a title's 主演).
    """
    zh = column_zh(column, sheet)
    return column if zh == column else f"{zh} {column}"


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        kind = column_kind(str(column))
        if kind == "whole":
            frame[column] = pd.array(
                [None if text == "" else int(text) for text in frame[column]], dtype="Int64"
            )
        elif kind == "date":
            frame[column] = pd.Series(
                [parse_date(text) for text in frame[column]], index=frame.index, dtype=DATE_DTYPE
            )
    return frame


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    return None


def typed_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its date columns back in :data:`DATE_DTYPE` (a copy if any changed).

    pandas widens a date column to another dtype when a row of blank dates is added;
    an editor handed that frame would no longer parse what is typed as dates.
    """
    loose = [
        column
        for column in frame.columns
        if column_kind(str(column)) == "date" and frame[column].dtype != DATE_DTYPE
    ]
    if not loose:
        return frame
    frame = frame.copy()
    for column in loose:
        frame[column] = pd.Series(
            [_as_date(value) for value in frame[column]], index=frame.index, dtype=DATE_DTYPE
        )
    return frame


def editor_frames(scenario: Scenario) -> dict[str, pd.DataFrame]:
    """Every sheet of ``scenario`` as a typed DataFrame for an editor, rows numbered from 1.

    Empty optional sheets come with their columns and no rows, so rows can be added.
    """
    frames: dict[str, pd.DataFrame] = {}
    for name, table in scenario_to_tables(scenario).tables.items():
        frame = pd.DataFrame(table.rows, columns=table.columns, dtype=object)
        frame.index = pd.RangeIndex(1, len(frame) + 1)
        frames[name] = _typed(frame)
    return frames


def kind_code(text: object) -> object:
    """The stored code of an outage kind given as a choice or a word (``演员`` → ``actor``).

    Anything else is returned unchanged, for validation to report.
    """
    if isinstance(text, str):
        return _KIND_WORDS.get(text.strip(), text)
    return text


def _text(value: object) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value).strip()


def _labels(frame: pd.DataFrame | None, id_column: str) -> dict[str, str]:
    """``id → "A004 邵强宇"`` for the rows of a resource sheet (sets: id, type and base)."""
    if frame is None or id_column not in frame.columns:
        return {}
    labels: dict[str, str] = {}
    for _, row in frame.iterrows():
        resource_id = _text(row[id_column])
        if not resource_id or resource_id in labels:
            continue
        if "name" in frame.columns:
            words = [_text(row["name"])]
        else:  # sets have no name: their type and base say which one
            words = [_text(row.get("set_type")), _text(row.get("base_id"))]
        labels[resource_id] = " ".join([resource_id, *(word for word in words if word)])
    return labels


def resource_labels(frames: Mapping[str, pd.DataFrame], kind: str) -> dict[str, str]:
    """``id → label`` of every resource of one outage kind in ``frames`` (as edited)."""
    sheet, id_column = KIND_SHEET[kind]
    return _labels(frames.get(sheet), id_column)


def id_choices(sheet: str, frames: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    """The id columns of ``sheet`` picked by name: column → ``{id: "A004 邵强宇"}``.

    The outage sheet's ``id`` column holds ids of every kind, so it offers every actor,
    crew, set and base; the pins sheet offers titles, bases and crews; the scene sheet
    offers titles. Other sheets: none.
    """
    if sheet == "unavailable":
        every: dict[str, str] = {}
        for kind in KIND_LABELS:
            for resource_id, label in resource_labels(frames, kind).items():
                every.setdefault(resource_id, label)
        return {"id": every}
    if sheet == "pins":
        return {
            "title_id": _labels(frames.get("titles"), "title_id"),
            "base_id": resource_labels(frames, "base"),
            "crew_id": resource_labels(frames, "crew"),
        }
    if sheet == "scenes":
        return {"title_id": _labels(frames.get("titles"), "title_id")}
    return {}


def _picked_id(value: object, labels: Mapping[str, str]) -> object:
    """An id typed as its label (``A004 邵强宇``) or its unique name (``邵强宇``) → the id."""
    text = _text(value)
    if not text or text in labels:
        return value
    matches = [
        resource_id
        for resource_id, label in labels.items()
        if text == label or text == label.removeprefix(resource_id).strip()
    ]
    return matches[0] if len(matches) == 1 else value


def _column(frame: pd.DataFrame, values: Iterable[object]) -> pd.Series:
    return pd.Series(list(values), index=frame.index, dtype=object)


def resolve_choices(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``frames`` with the outage, pin and scene sheets' choices as the stored codes.

    A kind given in Chinese becomes its code; an id given by its label or by a name
    that only one resource (of the row's kind, if known) carries becomes the id.
    Typed ids and everything else are left as they are.
    """
    resolved = dict(frames)
    outages = frames.get("unavailable")
    if outages is not None and {"kind", "id"} <= set(outages.columns):
        outages = outages.copy()
        outages["kind"] = _column(outages, (kind_code(kind) for kind in outages["kind"]))
        every = id_choices("unavailable", frames)["id"]
        by_kind = {kind: resource_labels(frames, kind) for kind in KIND_LABELS}
        outages["id"] = _column(
            outages,
            (
                _picked_id(value, by_kind.get(str(kind), every))
                for kind, value in zip(outages["kind"], outages["id"], strict=True)
            ),
        )
        resolved["unavailable"] = outages
    for sheet in ("pins", "scenes"):
        frame = frames.get(sheet)
        if frame is None:
            continue
        frame = frame.copy()
        for column, labels in id_choices(sheet, frames).items():
            if column in frame.columns:
                frame[column] = _column(
                    frame, (_picked_id(value, labels) for value in frame[column])
                )
        resolved[sheet] = frame
    return resolved


def edited_settings(
    scenario: Scenario,
    *,
    name: str,
    start_date: date | None,
    days: int | None,
    parallel_shoots_per_day: int | None,
    titles_per_month: int | None,
    day_minutes: int | None = None,
) -> dict[str, object]:
    """The settings of ``scenario`` with the fields the Inputs page edits replaced.

    Unknown settings of the scenario are kept. ``None`` leaves a field out, so
    that validation reports it as missing (``day_minutes``: keeps the scenario's).
    """
    settings = scenario_settings(scenario)
    settings["name"] = name
    settings["start_date"] = start_date
    settings["days"] = days
    if day_minutes is not None:
        settings["day_minutes"] = day_minutes
    targets = settings["targets"]
    assert isinstance(targets, dict)
    targets = dict(targets)
    targets["parallel_shoots_per_day"] = parallel_shoots_per_day
    targets["titles_per_month"] = titles_per_month
    settings["targets"] = {key: value for key, value in targets.items() if value is not None}
    return {key: value for key, value in settings.items() if value is not None}


@dataclass(frozen=True)
class SheetProblem:
    """One problem in an editor: the sheet, the editor's row (0: the whole sheet), the column."""

    sheet: str
    row: int
    column: str
    message_zh: str
    message: str

    @property
    def column_label(self) -> str:
        """The column as the editor's header names it (``*``: the whole row or sheet)."""
        if self.sheet == SETTINGS_SHEET:
            return SETTING_LABELS.get(self.column, self.column)
        return column_label(self.column, self.sheet)

    def format(self) -> str:
        """``第 3 行 row 3 · 优先级 priority: 中文（English）``."""
        where = [f"第 {self.row} 行 row {self.row}"] if self.row else []
        if self.column != "*":
            where.append(self.column_label)
        place = " · ".join(where)
        text = f"{self.message_zh}（{self.message}）" if self.message_zh else self.message
        return f"{place}: {text}" if place else text


@dataclass(frozen=True)
class EditCheck:
    """The outcome of checking edited tables: the new scenario, or the problems by sheet."""

    scenario: Scenario | None
    problems: dict[str, list[SheetProblem]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.scenario is not None

    @property
    def problem_count(self) -> int:
        return sum(len(found) for found in self.problems.values())


def editor_rows(frame: pd.DataFrame) -> list[int]:
    """The number the editor shows for each row of ``frame``: its index (a row the editor
    could not number gets the number after the row before it)."""
    rows: list[int] = []
    for label in frame.index:
        try:
            rows.append(int(label))
        except (TypeError, ValueError):
            rows.append(rows[-1] + 1 if rows else 1)
    return rows


def problems_by_sheet(
    problems: list[Problem] | tuple[Problem, ...],
) -> dict[str, list[SheetProblem]]:
    """Problems from validating edited frames (rows numbered as :func:`check_edits` numbers
    them: as the editor shows them), by sheet; settings problems go under ``"scenario"``."""
    labels = ScenarioTables("editor", None, {})
    sheet_of = {labels.label(spec.name): spec.name for spec in SHEETS}
    sheet_of[labels.label(SETTINGS_SHEET)] = SETTINGS_SHEET
    grouped: dict[str, list[SheetProblem]] = {}
    for problem in problems:
        sheet = sheet_of.get(problem.file, problem.file)
        row = 0 if sheet == SETTINGS_SHEET else problem.row
        grouped.setdefault(sheet, []).append(
            SheetProblem(sheet, row, problem.column, problem.message_zh, problem.message)
        )
    return grouped


def check_edits(frames: Mapping[str, pd.DataFrame], settings: Mapping[str, object]) -> EditCheck:
    """Validate edited sheets and settings together, as one scenario.

    Parameters
    ----------
    frames
        The editors' DataFrames by sheet name (as from :func:`editor_frames`,
        after editing); a sheet left out counts as an absent file.
    settings
        scenario.toml as a mapping (see :func:`edited_settings`).

    Returns
    -------
    EditCheck
        The new scenario if every rule holds, otherwise every problem by sheet.
    """
    resolved = resolve_choices(frames)
    tables = tables_from_frames(resolved, settings, source="editor")
    for sheet, table in tables.tables.items():
        # validation names a row by its line; an editor row's line is the number the editor
        # shows, so a message citing other rows (a duplicate's first row, the scenes a
        # title's needs disagree with) cites them as the user sees them
        table.lines = editor_rows(resolved[sheet])
    try:
        scenario = build_scenario(tables)
    except ScenarioError as error:
        return EditCheck(None, problems_by_sheet(error.problems))
    return EditCheck(scenario)
