"""Candidate additions: the sets, crews and actor days the capacity planner may add.

Candidates come from the scenario (:func:`default_candidates`: one more set of every
type a base has, one more crew, at the scenario's prices; :func:`suggested_candidates`
adds days of the actors whose days bind, bought out of their other commitments), from
a ``candidates.csv`` the user edits (:func:`load_candidates`: ``kind, base_id,
set_type, day_rate, max_count`` and, for actor days, ``actor_id, from_date, to_date``)
or from the app's candidate table (:func:`candidate_table` to show,
:func:`checked_candidates` to read back). Every problem names its row and column, all
at once.

>>> suggestions = suggested_candidates(scenario)                       # doctest: +SKIP
>>> table = candidate_table(scenario, suggestions.candidates)          # doctest: +SKIP
>>> candidates, problems = checked_candidates(table, scenario)         # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pulp

from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.model import Scenario
from scheduler.io.validation import parse_date
from solver.capacity.lp import CapacitySolver
from solver.capacity.model import (
    BUYOUT_RATE_FACTOR,
    Candidate,
    actor_day_candidates,
    days_to_buy,
    default_candidates,
)
from solver.capacity.questions import BindingActor, binding_actors

__all__ = [
    "ACTOR_COLUMNS",
    "BUYOUT_RATE_FACTOR",
    "CANDIDATES_FILE",
    "CANDIDATE_COLUMNS",
    "CANDIDATE_KINDS",
    "KIND_SHOWN",
    "TABLE_COLUMNS",
    "BindingActor",
    "Candidate",
    "RowProblem",
    "Suggestions",
    "actor_labels",
    "base_labels",
    "candidate_table",
    "candidates_frame",
    "checked_candidates",
    "default_candidates",
    "default_solver",
    "load_candidates",
    "read_candidates",
    "suggested_candidates",
    "whole_number",
]

CANDIDATE_COLUMNS = ("kind", "base_id", "set_type", "day_rate", "max_count")
"""Columns every candidates.csv has."""
ACTOR_COLUMNS = ("actor_id", "from_date", "to_date")
"""Optional columns, for actor days: whose, and the dates a buy-out may cover (blank: the
horizon's ends)."""
TABLE_COLUMNS = (*CANDIDATE_COLUMNS[:3], "actor_id", *CANDIDATE_COLUMNS[3:], *ACTOR_COLUMNS[1:])
"""Columns of the app's candidate table, in the order shown."""
CANDIDATE_KINDS = {
    "set": "set",
    "crew": "crew",
    "actor": "actor",
    "棚": "set",
    "场景": "set",
    "剧组": "crew",
    "演员": "actor",
    "演员档期": "actor",
    "买断演员档期": "actor",
}
KIND_SHOWN = {"set": "棚", "crew": "剧组", "actor": "演员档期"}
"""A kind as the app's candidate table shows it."""

CANDIDATES_FILE = "候选追加"
"""What problems of the app's candidate table name as their file."""

NUMBER_COLUMNS = ("day_rate", "max_count")


# -- files and rows ----------------------------------------------------------------------


def candidates_frame(candidates: Sequence[Candidate]) -> pd.DataFrame:
    """Candidates as an editable table (English column names, as in the CSV).

    Columns :data:`TABLE_COLUMNS`; the dates are dates (``NaT`` when blank).
    """
    frame = pd.DataFrame(
        [
            {
                "kind": c.kind,
                "base_id": c.base_id,
                "set_type": c.set_type,
                "actor_id": c.actor_id,
                "day_rate": c.day_rate,
                "max_count": c.max_count,
                "from_date": c.from_date,
                "to_date": c.to_date,
            }
            for c in candidates
        ],
        columns=list(TABLE_COLUMNS),
    )
    for column in ACTOR_COLUMNS[1:]:
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def _blank(value: object) -> bool:
    """An empty cell: ``None``, NaN, NaT or blank text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):  # a list or another value pandas cannot judge
        return False


def _cell_text(value: object) -> str:
    """A cell as text; a date cell (the app's date column) as its ISO date."""
    if _blank(value):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_candidates(
    rows: Sequence[Mapping[str, Any]], scenario: Scenario, file: str = "candidates.csv"
) -> list[Candidate]:
    """Candidates from table rows, every problem named at ``file:row:column``.

    Row numbers count the header as line 1, as in the scenario files. An actor-day
    row (kind ``actor``) names an actor of the scenario in ``actor_id`` whose days off
    (unavailable.csv) fall, at least one, between ``from_date`` and ``to_date``;
    ``day_rate`` is then paid per day bought and ``max_count`` is the most days.

    Raises
    ------
    ScenarioError
        With every problem found, when any row is wrong.
    """
    problems: list[Problem] = []
    candidates: list[Candidate] = []
    seen: dict[str, int] = {}
    horizon = f"{scenario.start_date.isoformat()} … {scenario.end_date.isoformat()}"
    for line, row in enumerate(rows, start=2):

        def text(column: str, row: Mapping[str, Any] = row) -> str:
            return _cell_text(row.get(column))

        def problem(column: str, message: str, message_zh: str, line: int = line) -> None:
            problems.append(Problem(file, line, column, message, message_zh))

        def whole(column: str, low: int) -> int | None:
            raw = text(column)
            try:
                value = int(float(raw))
            except (ValueError, OverflowError):
                problem(
                    column,
                    f"{raw!r} is not a whole number; expected an integer ≥ {low}",
                    f"“{raw}”不是整数；应为 ≥ {low} 的整数",
                )
                return None
            if value < low or value != float(raw):
                problem(
                    column,
                    f"{raw} is not allowed; expected an integer ≥ {low}",
                    f"{raw} 不可用；应为 ≥ {low} 的整数",
                )
                return None
            return value

        def day(column: str) -> tuple[bool, date | None]:
            """(whether the cell is good, its date or None when blank)."""
            raw = text(column)
            if not raw:
                return True, None
            when = parse_date(raw)
            if when is None:
                problem(
                    column,
                    f"{raw!r} is not a date; expected YYYY-MM-DD or blank",
                    f"“{raw}”不是日期；应为 YYYY-MM-DD 或留空",
                )
                return False, None
            if not scenario.start_date <= when <= scenario.end_date:
                problem(
                    column,
                    f"{when.isoformat()} is outside the horizon {horizon}; expected a date "
                    "inside it or blank",
                    f"{when.isoformat()} 不在排期范围 {horizon} 内；应为范围内的日期或留空",
                )
                return False, None
            return True, when

        kind = CANDIDATE_KINDS.get(text("kind"))
        if kind is None:
            problem(
                "kind",
                f"{text('kind')!r} is not a kind of addition; expected set, crew or actor",
                f"“{text('kind')}”不是可追加的类型；"
                "应为 set（棚）、crew（剧组）或 actor（演员档期）",
            )
        base_id = text("base_id")
        if kind == "set" and not base_id:
            problem(
                "base_id",
                "empty; a set addition needs the base it is added to",
                "为空；追加棚需要写明加在哪个基地",
            )
        elif kind != "actor" and base_id and base_id not in scenario.base_by_id:
            problem(
                "base_id",
                f"unknown base {base_id!r}; expected the id of a base of the scenario",
                f"未知基地“{base_id}”；应为场景中已有的基地编号",
            )
        set_type = text("set_type")
        if kind == "set" and not set_type:
            problem(
                "set_type",
                "empty; a set addition needs its set type",
                "为空；追加棚需要写明场景类型",
            )
        actor_id = text("actor_id")
        dates_good = True
        from_date = to_date = None
        if kind == "actor":
            if not actor_id:
                problem(
                    "actor_id",
                    "empty; an actor-day addition needs the actor whose days are bought",
                    "为空；买断演员档期需要写明是哪位演员",
                )
            elif actor_id not in scenario.actor_by_id:
                problem(
                    "actor_id",
                    f"unknown actor {actor_id!r}; expected the id of an actor of the scenario",
                    f"未知演员“{actor_id}”；应为场景中已有的演员编号",
                )
            good_from, from_date = day("from_date")
            good_to, to_date = day("to_date")
            dates_good = good_from and good_to
            if dates_good and from_date and to_date and to_date < from_date:
                problem(
                    "to_date",
                    f"{to_date.isoformat()} is before from_date {from_date.isoformat()}; "
                    "expected to_date ≥ from_date",
                    f"{to_date.isoformat()} 早于开始日 {from_date.isoformat()}；"
                    "结束日应不早于开始日",
                )
                dates_good = False
        else:
            for column in ACTOR_COLUMNS:
                if text(column):
                    problem(
                        column,
                        f"{text(column)!r} given for a {kind or 'row'} addition; expected "
                        "blank (only an actor-day addition names an actor and dates)",
                        f"追加{KIND_SHOWN.get(kind or '', '')}不填此列；"
                        "只有买断演员档期才写演员和日期",
                    )
        day_rate = whole("day_rate", 0)
        max_count = whole("max_count", 0)
        if kind is None or day_rate is None or max_count is None:
            continue
        if kind == "crew":
            set_type = ""
            base_id = base_id or (scenario.bases[0].base_id if scenario.bases else "")
        if kind == "actor":
            if actor_id not in scenario.actor_by_id or not dates_good:
                continue
            base_id = set_type = ""
        candidate = Candidate(
            kind,  # type: ignore[arg-type]
            base_id,
            set_type,
            day_rate,
            max_count,
            actor_id=actor_id if kind == "actor" else "",
            from_date=from_date,
            to_date=to_date,
        )
        if kind == "actor" and not days_to_buy(scenario, candidate):
            first = from_date or scenario.start_date
            last = to_date or scenario.end_date
            problem(
                "from_date" if from_date or to_date else "actor_id",
                f"{actor_id} has no day off (unavailable.csv, kind actor) between "
                f"{first.isoformat()} and {last.isoformat()}, so there is nothing to buy "
                "out; expected an actor who is away on some of those days",
                f"演员 {actor_id} 在 {first:%m-%d}–{last:%m-%d} 没有停用日（unavailable.csv"
                "，kind=actor），没有档期可买断；应为这段时间有停用日的演员",
            )
            continue
        if candidate.key in seen:
            problem(
                "*",
                f"the same addition as line {seen[candidate.key]}; expected each once",
                f"与第 {seen[candidate.key]} 行重复；每种追加只写一行",
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


def actor_labels(scenario: Scenario) -> dict[str, str]:
    """``A012`` → ``A012 邵强宇``: what the candidate table's actor column shows."""
    return {a.actor_id: f"{a.actor_id} {a.name}" for a in scenario.actors}


def candidate_table(
    scenario: Scenario, candidates: Sequence[Candidate] | None = None
) -> pd.DataFrame:
    """Candidates (the scenario's defaults when ``None``) as the app's table shows them,
    rows numbered from 1.

    Kinds read 棚, 剧组 or 演员档期; bases and actors are named (:func:`base_labels`,
    :func:`actor_labels`); what a kind does not use is blank.
    """
    frame = candidates_frame(default_candidates(scenario) if candidates is None else candidates)
    bases, actors = base_labels(scenario), actor_labels(scenario)
    frame["kind"] = frame["kind"].map(KIND_SHOWN)
    frame["base_id"] = frame["base_id"].map(lambda base_id: bases.get(base_id, base_id))
    frame["actor_id"] = frame["actor_id"].map(lambda actor_id: actors.get(actor_id, actor_id))
    for column in ("base_id", "set_type", "actor_id"):
        frame[column] = frame[column].replace("", None)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


@dataclass(frozen=True)
class Suggestions:
    """The candidates a capacity question starts from, and why actor days are among them.

    ``candidates``: a buy-out of the closed days of each binding actor who has some,
    then :func:`default_candidates`; ``binding_actors``: every actor whose days bind
    (those with ``days_to_buy == 0`` have nothing to buy out).
    """

    candidates: tuple[Candidate, ...]
    binding_actors: tuple[BindingActor, ...]


def default_solver() -> CapacitySolver:
    """HiGHS when highspy is installed, else CBC."""
    return "highs" if pulp.HiGHS().available() else "cbc"


def suggested_candidates(
    scenario: Scenario, *, solver: CapacitySolver | None = None
) -> Suggestions:
    """The default candidates and, for every actor whose days bind, buying out their days off.

    Binding actors are those whose rows in the capacity model have a positive dual
    (:func:`solver.capacity.questions.binding_actors`, one LP solve); each gets a
    candidate for all its closed days at :data:`BUYOUT_RATE_FACTOR` × its day rate.
    """
    binding = binding_actors(scenario, solver=solver or default_solver())
    actors = [b.actor_id for b in binding if b.days_to_buy]
    # the buy-outs first: a table of dozens of sets would hide them at its end
    buy_outs = actor_day_candidates(scenario, actors)
    return Suggestions((*buy_outs, *default_candidates(scenario)), tuple(binding))


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
    actor_ids = {label: actor_id for actor_id, label in actor_labels(scenario).items()}
    blank = table.apply(lambda row: all(_blank(v) for v in row), axis=1)
    kept = table[~blank] if len(table) else table
    rows = [
        {
            **row,
            "base_id": ids.get(str(row.get("base_id")), row.get("base_id")),
            "actor_id": actor_ids.get(str(row.get("actor_id")), row.get("actor_id")),
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
