"""Candidate additions: the sets and crews the capacity planner may add, read and checked.

Candidates come from the scenario (:func:`default_candidates`: one more set of every
type a base has, one more crew, at the scenario's prices), from a ``candidates.csv``
the user edits (:func:`load_candidates`: ``kind, base_id, set_type, day_rate,
max_count``) or from the app's candidate table (:func:`candidate_table` to show,
:func:`checked_candidates` to read back). Every problem names its row and column.

>>> table = candidate_table(scenario)                        # doctest: +SKIP
>>> candidates, problems = checked_candidates(table, scenario)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.model import Scenario
from solver.capacity.model import Candidate, default_candidates

__all__ = [
    "CANDIDATES_FILE",
    "CANDIDATE_COLUMNS",
    "CANDIDATE_KINDS",
    "KIND_SHOWN",
    "Candidate",
    "RowProblem",
    "base_labels",
    "candidate_table",
    "candidates_frame",
    "checked_candidates",
    "default_candidates",
    "load_candidates",
    "read_candidates",
    "whole_number",
]

CANDIDATE_COLUMNS = ("kind", "base_id", "set_type", "day_rate", "max_count")
CANDIDATE_KINDS = {"set": "set", "crew": "crew", "棚": "set", "场景": "set", "剧组": "crew"}
KIND_SHOWN = {"set": "棚", "crew": "剧组"}
"""A kind as the app's candidate table shows it."""

CANDIDATES_FILE = "候选追加"
"""What problems of the app's candidate table name as their file."""

NUMBER_COLUMNS = ("day_rate", "max_count")


# -- files and rows ----------------------------------------------------------------------


def candidates_frame(candidates: Sequence[Candidate]) -> pd.DataFrame:
    """Candidates as an editable table (English column names, as in the CSV)."""
    return pd.DataFrame(
        [
            {
                "kind": c.kind,
                "base_id": c.base_id,
                "set_type": c.set_type,
                "day_rate": c.day_rate,
                "max_count": c.max_count,
            }
            for c in candidates
        ],
        columns=list(CANDIDATE_COLUMNS),
    )


def read_candidates(
    rows: Sequence[Mapping[str, Any]], scenario: Scenario, file: str = "candidates.csv"
) -> list[Candidate]:
    """Candidates from table rows, every problem named at ``file:row:column``.

    Row numbers count the header as line 1, as in the scenario files.

    Raises
    ------
    ScenarioError
        With every problem found, when any row is wrong.
    """
    problems: list[Problem] = []
    candidates: list[Candidate] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):

        def text(column: str, row: Mapping[str, Any] = row) -> str:
            value = row.get(column)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return ""
            return str(value).strip()

        def whole(column: str, low: int, line: int = line) -> int | None:
            raw = text(column)
            try:
                value = int(float(raw))
            except ValueError:
                problems.append(
                    Problem(
                        file,
                        line,
                        column,
                        f"{raw!r} is not a whole number; expected an integer ≥ {low}",
                        f"“{raw}”不是整数；应为 ≥ {low} 的整数",
                    )
                )
                return None
            if value < low or value != float(raw):
                problems.append(
                    Problem(
                        file,
                        line,
                        column,
                        f"{raw} is not allowed; expected an integer ≥ {low}",
                        f"{raw} 不可用；应为 ≥ {low} 的整数",
                    )
                )
                return None
            return value

        kind = CANDIDATE_KINDS.get(text("kind"))
        if kind is None:
            problems.append(
                Problem(
                    file,
                    line,
                    "kind",
                    f"{text('kind')!r} is not a kind of addition; expected set or crew",
                    f"“{text('kind')}”不是可追加的类型；应为 set（棚）或 crew（剧组）",
                )
            )
        base_id = text("base_id")
        if kind == "set" and not base_id:
            problems.append(
                Problem(
                    file,
                    line,
                    "base_id",
                    "empty; a set addition needs the base it is added to",
                    "为空；追加棚需要写明加在哪个基地",
                )
            )
        elif base_id and base_id not in scenario.base_by_id:
            problems.append(
                Problem(
                    file,
                    line,
                    "base_id",
                    f"unknown base {base_id!r}; expected the id of a base of the scenario",
                    f"未知基地“{base_id}”；应为场景中已有的基地编号",
                )
            )
        set_type = text("set_type")
        if kind == "set" and not set_type:
            problems.append(
                Problem(
                    file,
                    line,
                    "set_type",
                    "empty; a set addition needs its set type",
                    "为空；追加棚需要写明场景类型",
                )
            )
        day_rate = whole("day_rate", 0)
        max_count = whole("max_count", 0)
        if kind is None or day_rate is None or max_count is None:
            continue
        if kind == "crew":
            set_type = ""
            base_id = base_id or (scenario.bases[0].base_id if scenario.bases else "")
        candidate = Candidate(kind, base_id, set_type, day_rate, max_count)  # type: ignore[arg-type]
        if candidate.key in seen:
            problems.append(
                Problem(
                    file,
                    line,
                    "*",
                    f"the same addition as line {seen[candidate.key]}; expected each once",
                    f"与第 {seen[candidate.key]} 行重复；每种追加只写一行",
                )
            )
            continue
        seen[candidate.key] = line
        candidates.append(candidate)
    if problems:
        raise ScenarioError(problems)
    return candidates


def load_candidates(path: Path, scenario: Scenario) -> list[Candidate]:
    """Candidates from a CSV file (UTF-8, header row); see :func:`read_candidates`."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CANDIDATE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ScenarioError(
            [
                Problem(
                    path.name,
                    1,
                    column,
                    f"missing column {column}; expected {', '.join(CANDIDATE_COLUMNS)}",
                    f"缺少列 {column}；应有 {', '.join(CANDIDATE_COLUMNS)}",
                )
                for column in missing
            ]
        )
    return read_candidates(list(reader), scenario, path.name)


# -- the app's candidate table -----------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """One problem of the candidate table, at the table's row number (0: no row).

    ``column`` is a column of :data:`CANDIDATE_COLUMNS` (``*``: the whole row).
    """

    row: int
    column: str
    message_zh: str
    message: str


def base_labels(scenario: Scenario) -> dict[str, str]:
    """``B01`` → ``B01 郑州金水影视基地``: what the candidate table's base column shows."""
    return {b.base_id: f"{b.base_id} {b.name}" for b in scenario.bases}


def candidate_table(scenario: Scenario) -> pd.DataFrame:
    """The scenario's default candidates as the app's table shows them, rows numbered from 1.

    Kinds read 棚 or 剧组, bases are named (:func:`base_labels`), a crew's set type is blank.
    """
    frame = candidates_frame(default_candidates(scenario))
    labels = base_labels(scenario)
    frame["kind"] = frame["kind"].map(KIND_SHOWN)
    frame["base_id"] = frame["base_id"].map(lambda base_id: labels.get(base_id, base_id))
    frame["set_type"] = frame["set_type"].replace("", None)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def whole_number(value: object) -> object:
    """``1500.0`` (a number column after an edit) as ``1500``, so messages quote what was typed."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def checked_candidates(
    table: pd.DataFrame, scenario: Scenario
) -> tuple[list[Candidate], list[RowProblem]]:
    """The table's rows as candidates, or every problem at the table's row and column.

    ``table`` is shaped as :func:`candidate_table` (bases as ids or as labelled there);
    rows left wholly blank (an added row not filled in) are skipped. Problems name a
    row by the table's row number.
    """
    ids = {label: base_id for base_id, label in base_labels(scenario).items()}
    blank = table.apply(lambda row: all(pd.isna(v) or str(v).strip() == "" for v in row), axis=1)
    kept = table[~blank] if len(table) else table
    rows = [
        {
            **row,
            "base_id": ids.get(str(row.get("base_id")), row.get("base_id")),
            **{column: whole_number(row.get(column)) for column in NUMBER_COLUMNS},
        }
        for row in kept.to_dict("records")
    ]
    try:
        return read_candidates(rows, scenario, CANDIDATES_FILE), []
    except ScenarioError as error:
        return [], [
            RowProblem(_row_number(kept.index, p.row), p.column, p.message_zh, p.message)
            for p in error.problems
        ]


def _row_number(index: pd.Index, line: int) -> int:
    """The table's number of the row at file ``line`` (the header is line 1); 0 for none."""
    if line < 2 or line - 2 >= len(index):
        return 0
    try:
        return int(index[line - 2])
    except (TypeError, ValueError):  # a row label the table could not number
        return line - 1
