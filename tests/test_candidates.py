"""Candidate additions read from the app's table: a good table is kept, bad rows are named.

On the tiny scenario (:func:`tests.factories.tiny_scenario`), whose default candidates
are rows 1 … 5 of the table: one more 别墅 (row 1) and 办公室 set at B01, one more 办公室
and 古装宫殿 set at B02, and up to four new crews. Each broken case breaks one thing and
asserts the row and column the problem names, as the editor numbers its rows. Actor-day
rows buy out A01's days off (12-08 … 12-09): kept with and without dates; an unknown actor,
an actor with no day off, bad dates and actor columns on a set row are named all at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from scheduler.app.capacity import editor_candidates, problem_line
from scheduler.app.rows import row_text
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.services.candidates import (
    Candidate,
    RowProblem,
    candidate_table,
    candidates_frame,
    checked_candidates,
    default_candidates,
    load_candidates,
    whole_number,
)
from tests.factories import dec, tiny_scenario

LAST_ROW = 5


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return tiny_scenario()


@pytest.fixture
def table(tiny: Scenario) -> pd.DataFrame:
    return candidate_table(tiny)


def edited(table: pd.DataFrame, row: int, **cells: Any) -> pd.DataFrame:
    """The table with cells of one row (numbered as the editor shows it) changed."""
    table = table.astype(object)
    for column, value in cells.items():
        table.at[row, column] = value
    return table


def added(table: pd.DataFrame, *rows: dict[Any, Any]) -> pd.DataFrame:
    """The table with rows added at its end, numbered on from its last row."""
    new = pd.DataFrame(
        list(rows),
        columns=table.columns,
        index=pd.RangeIndex(len(table) + 1, len(table) + 1 + len(rows)),
    )
    return pd.concat([table.astype(object), new.astype(object)])


def where(problems: list[RowProblem]) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in problems]


# -- the table as shown ---------------------------------------------------------------------


def test_the_table_shows_the_default_candidates_in_the_producers_words(
    table: pd.DataFrame,
) -> None:
    assert list(table.index) == [1, 2, 3, 4, 5]
    assert table["kind"].tolist() == ["棚", "棚", "棚", "棚", "剧组"]
    assert table.loc[1, "base_id"] == "B01 郑州影视基地"
    assert table.loc[4, "set_type"] == "古装宫殿"
    assert table["set_type"].isna().tolist() == [False] * 4 + [True]  # a crew has none


def test_the_shown_table_is_kept_as_the_default_candidates(
    tiny: Scenario, table: pd.DataFrame
) -> None:
    assert checked_candidates(table, tiny) == (default_candidates(tiny), [])


def test_the_shown_table_is_kept_with_edits_as_the_editor_returns_them(
    tiny: Scenario, table: pd.DataFrame
) -> None:
    # a number cell after an edit is a float, a base may be typed as its id, and a row
    # added but left blank is no candidate
    changed = added(edited(table, 2, day_rate=6500.0, base_id="B01"), {})
    candidates, problems = checked_candidates(changed, tiny)
    assert problems == []
    assert candidates[1] == Candidate("set", "B01", "办公室", 6500, 2)
    assert len(candidates) == len(default_candidates(tiny))


def test_an_added_row_is_kept_as_one_more_candidate(tiny: Scenario, table: pd.DataFrame) -> None:
    row = {"kind": "棚", "base_id": "B02 开封清明上河园基地", "set_type": "别墅"}
    changed = added(table, {**row, "day_rate": 4000, "max_count": 1})
    candidates, problems = checked_candidates(changed, tiny)
    assert problems == []
    assert candidates[-1] == Candidate("set", "B02", "别墅", 4000, 1)


# -- bad rows, named by row and column ------------------------------------------------------


def test_a_negative_day_rate_is_named_at_its_row_and_column(
    tiny: Scenario, table: pd.DataFrame
) -> None:
    candidates, problems = checked_candidates(edited(table, 1, day_rate=-5), tiny)
    assert candidates == []
    assert where(problems) == [(1, "day_rate")]
    assert problems[0].message_zh == "-5 不可用；应为 ≥ 0 的整数"
    assert problems[0].message == "-5 is not allowed; expected an integer ≥ 0"


def test_an_unknown_base_is_named_at_its_row_and_column(
    tiny: Scenario, table: pd.DataFrame
) -> None:
    _, problems = checked_candidates(edited(table, 3, base_id="B99"), tiny)
    assert where(problems) == [(3, "base_id")]
    assert problems[0].message_zh == "未知基地“B99”；应为场景中已有的基地编号"


def test_a_part_count_quotes_what_was_typed(tiny: Scenario, table: pd.DataFrame) -> None:
    _, problems = checked_candidates(edited(table, 2, max_count=1.5), tiny)
    assert where(problems) == [(2, "max_count")]
    assert problems[0].message_zh == "1.5 不可用；应为 ≥ 0 的整数"
    assert whole_number(1500.0) == 1500 and whole_number(1.5) == 1.5


def test_an_unknown_kind_and_a_set_without_type_are_named(
    tiny: Scenario, table: pd.DataFrame
) -> None:
    changed = edited(edited(table, 2, kind="机器人"), 4, set_type=None)
    _, problems = checked_candidates(changed, tiny)
    assert where(problems) == [(2, "kind"), (4, "set_type")]
    assert problems[0].message_zh.startswith("“机器人”不是可追加的类型")


def test_the_same_addition_twice_is_named_as_a_whole_row(
    tiny: Scenario, table: pd.DataFrame
) -> None:
    again = table.loc[1].to_dict()
    _, problems = checked_candidates(added(table, again), tiny)
    assert where(problems) == [(6, "*")]
    assert problems[0].message_zh.endswith("行重复；每种追加只写一行")


def test_every_bad_row_is_named_at_once_with_rows_as_the_editor_shows_them(
    tiny: Scenario, table: pd.DataFrame
) -> None:
    # rows 1 and 3 broken, an added blank row skipped, an added row with a bad rate
    changed = added(
        edited(edited(table, 1, day_rate=-5), 3, base_id="B99"),
        {},
        {"kind": "剧组", "base_id": "B01 郑州影视基地", "day_rate": "贵", "max_count": 1},
    )
    candidates, lines = editor_candidates(changed, tiny, LAST_ROW)
    assert candidates == []
    assert lines == [
        "第 1 行 row 1 · 日租（元/天）day rate：-5 不可用；应为 ≥ 0 的整数"
        "（-5 is not allowed; expected an integer ≥ 0）",
        "第 3 行 row 3 · 基地 base：未知基地“B99”；应为场景中已有的基地编号"
        "（unknown base 'B99'; expected the id of a base of the scenario）",
        "新增第 2 行 new row 2 · 日租（元/天）day rate：“贵”不是整数；应为 ≥ 0 的整数"
        "（'贵' is not a whole number; expected an integer ≥ 0）",
    ]


def test_a_whole_row_problem_names_no_column() -> None:
    problem = RowProblem(2, "*", "与第 2 行重复；每种追加只写一行", "the same addition")
    assert problem_line(problem, LAST_ROW) == (
        "第 2 行 row 2 · 整行 whole row：与第 2 行重复；每种追加只写一行（the same addition）"
    )


# -- one row_text for every editor ----------------------------------------------------------


def test_row_text_in_a_sentence_and_in_a_row_column() -> None:
    assert row_text(3, LAST_ROW) == "第 3 行 row 3"
    assert row_text(3, LAST_ROW, in_column=True) == "3"
    assert row_text(7, LAST_ROW) == "新增第 2 行 new row 2"
    assert row_text(7, LAST_ROW, in_column=True) == "新增第 2 行 new row 2"
    assert row_text(0, LAST_ROW) == row_text(0, LAST_ROW, in_column=True) == ""


# -- actor days ------------------------------------------------------------------------------

ACTOR_ROW = {"kind": "演员档期", "actor_id": "A01 张雨桐", "day_rate": 6000, "max_count": 2}
"""Buying out A01's days off in the tiny scenario (12-08 … 12-09, 请假)."""


def test_an_actor_day_row_is_kept_as_a_buy_out_of_the_actors_days_off(
    tiny: Scenario, table: pd.DataFrame
) -> None:
    candidates, problems = checked_candidates(added(table, ACTOR_ROW), tiny)
    assert problems == []
    assert candidates[-1] == Candidate("actor", "", "", 6000, 2, actor_id="A01")
    assert candidates[-1].label({}, {"A01": "张雨桐"}) == "买断演员档期 张雨桐（A01）"
    assert candidates[-1].cost(days=14, count=2) == 12000  # per day bought, not per horizon


def test_an_actor_day_row_with_dates_keeps_them(tiny: Scenario, table: pd.DataFrame) -> None:
    dated = {**ACTOR_ROW, "from_date": date(2026, 12, 9), "to_date": "2026/12/10"}
    candidates, problems = checked_candidates(added(table, dated), tiny)
    assert problems == []
    assert (candidates[-1].from_date, candidates[-1].to_date) == (dec(9), dec(10))


def test_every_bad_actor_day_row_is_named_at_once(tiny: Scenario, table: pd.DataFrame) -> None:
    # row 6: an unknown actor; row 7: A02 has no day off, nothing to buy; row 8: a date
    # outside the horizon and one that is no date; row 9: to_date before from_date;
    # row 1: an actor on a set row
    changed = added(
        edited(table, 1, actor_id="A01 张雨桐"),
        {**ACTOR_ROW, "actor_id": "A99"},
        {**ACTOR_ROW, "actor_id": "A02 刘子轩"},
        {**ACTOR_ROW, "from_date": "2027-01-05", "to_date": "下周"},
        {**ACTOR_ROW, "from_date": dec(9), "to_date": dec(8)},
    )
    candidates, problems = checked_candidates(changed, tiny)
    assert candidates == []
    assert where(problems) == [
        (1, "actor_id"),
        (6, "actor_id"),
        (7, "actor_id"),
        (8, "from_date"),
        (8, "to_date"),
        (9, "to_date"),
    ]
    by_row = {p.row: p for p in problems}
    assert by_row[6].message_zh == "未知演员“A99”；应为场景中已有的演员编号"
    assert "没有停用日" in by_row[7].message_zh and "A02" in by_row[7].message
    assert by_row[9].message_zh.startswith("2026-12-08 早于开始日 2026-12-09")


def test_an_actor_day_file_round_trips(tiny: Scenario, tmp_path: Path) -> None:
    wanted = [
        Candidate("set", "B01", "办公室", 3000, 1),
        Candidate("actor", "", "", 6000, 2, actor_id="A01", from_date=dec(8)),
    ]
    path = tmp_path / "candidates.csv"
    candidates_frame(wanted).to_csv(path, index=False)
    assert "actor_id,day_rate,max_count,from_date,to_date" in path.read_text(encoding="utf-8")
    assert load_candidates(path, tiny) == wanted


def test_an_actor_day_row_in_a_file_is_named_at_its_line(tiny: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "candidates.csv"
    path.write_text(
        "kind,base_id,set_type,day_rate,max_count,actor_id\nactor,,,6000,2,A01\nactor,,,6000,2,\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        load_candidates(path, tiny)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("candidates.csv", 3, "actor_id")
