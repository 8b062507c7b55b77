"""Validation: every rule family reports exactly where and what, in English and Chinese.

Each test writes the valid ``tiny_scenario()`` as a CSV folder, breaks one
thing and asserts the exact ``file:row:column: message`` lines. Line numbers
follow the layout in the docstring of :func:`factories.tiny_scenario`.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.cli.main import main
from scheduler.domain.errors import Problem, ScenarioError
from scheduler.io.tables import (
    SHEETS,
    read_tables,
    scenario_to_tables,
    write_scenario,
    write_tables,
)
from scheduler.io.validation import build_scenario, load_scenario, split_list, tables_from_frames
from tests.factories import scenario_frames, tiny_scenario

REPO = Path(__file__).resolve().parents[1]

# -- helpers ------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The tiny scenario (4 titles) written as a valid CSV folder."""
    path = tmp_path / "tiny"
    write_scenario(tiny_scenario(), path)
    return path


def read_rows(folder: Path, sheet: str) -> list[list[str]]:
    with (folder / f"{sheet}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(folder: Path, sheet: str, rows: list[list[str]]) -> None:
    with (folder / f"{sheet}.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(folder: Path, sheet: str, line: int, column: str, value: str) -> None:
    """Overwrite one cell; ``line`` counts the header as line 1, as problems do."""
    rows = read_rows(folder, sheet)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(folder, sheet, rows)


def append_row(folder: Path, sheet: str, cells: list[str]) -> None:
    write_rows(folder, sheet, [*read_rows(folder, sheet), cells])


def edit_settings(folder: Path, old: str, new: str) -> None:
    path = folder / "scenario.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(path: Path) -> list[str]:
    """The formatted problems of an invalid scenario; each must also have a Chinese message."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    for problem in caught.value.problems:
        assert problem.message_zh, f"no Chinese message for {problem}"
    return [str(problem) for problem in caught.value.problems]


# -- valid input --------------------------------------------------------------------


def test_the_tiny_scenario_loads_unchanged(folder: Path) -> None:
    assert load_scenario(folder) == tiny_scenario()


def test_optional_files_may_be_absent(folder: Path) -> None:
    for sheet in ("unavailable", "travel", "pins"):
        (folder / f"{sheet}.csv").unlink()
    scenario = load_scenario(folder)
    assert (scenario.unavailable, scenario.travel, scenario.pins) == ((), (), ())


def test_targets_default_to_20_and_400_when_absent(folder: Path) -> None:
    edit_settings(folder, "\n[targets]\nparallel_shoots_per_day = 2\ntitles_per_month = 8\n", "\n")
    targets = load_scenario(folder).targets
    assert (targets.parallel_shoots_per_day, targets.titles_per_month) == (20, 400)


def test_unknown_settings_are_kept(folder: Path) -> None:
    edit_settings(folder, "days = 14\n", 'days = 14\nowner = "统筹部"\n')
    assert load_scenario(folder).settings_extra == {"owner": "统筹部"}


def test_unknown_columns_are_kept_in_extra_in_column_order(folder: Path) -> None:
    rows = read_rows(folder, "sets")
    rows[0] += ["面积", "备注"]
    for row, (area, note) in zip(
        rows[1:], [("200", "临街"), ("", ""), ("500", ""), ("80", "")], strict=True
    ):
        row += [area, note]
    write_rows(folder, "sets", rows)
    scenario = load_scenario(folder)
    assert list(scenario.sets[0].extra.items()) == [("面积", "200"), ("备注", "临街")]
    assert scenario.titles[1].extra == {"platform": "快手"}


def test_lists_split_on_semicolons_and_drop_blanks(folder: Path) -> None:
    set_cell(folder, "crews", 3, "genres", " 古装 ; ;悬疑 ")
    set_cell(folder, "titles", 2, "cast", "A01；A02;")
    scenario = load_scenario(folder)
    assert scenario.crews[1].genres == ("古装", "悬疑")
    assert scenario.titles[0].cast == ("A01", "A02")
    assert split_list("") == ()


def test_blank_pin_fields_are_free(folder: Path) -> None:
    write_rows(
        folder, "pins", [["title_id", "start_date", "base_id", "crew_id"], ["T01", "", "", ""]]
    )
    pin = load_scenario(folder).pins[0]
    assert (pin.title_id, pin.start_date, pin.base_id, pin.crew_id) == ("T01", None, None, None)


def test_whole_yuan_may_be_written_with_a_zero_decimal(folder: Path) -> None:
    set_cell(folder, "sets", 2, "day_rate", "1500.0")
    assert load_scenario(folder).sets[0].day_rate == 1500


def test_blank_rows_are_skipped_and_lines_still_count_them(folder: Path) -> None:
    rows = read_rows(folder, "titles")
    rows.insert(2, [])  # a blank line 3; T02 moves to line 4
    rows[3][rows[0].index("priority")] = "0"
    write_rows(folder, "titles", rows)
    assert problems(folder) == [
        "titles.csv:4:priority: 0 is less than 1; expected an integer 1…1,000",
    ]


# -- files and columns --------------------------------------------------------------


def test_missing_required_file(folder: Path) -> None:
    (folder / "titles.csv").unlink()
    assert problems(folder) == [
        "titles.csv:0:*: missing required file; expected titles.csv with columns "
        "title_id, name, genre, priority, earliest_start, due_date",
    ]


def test_missing_settings_file(folder: Path) -> None:
    (folder / "scenario.toml").unlink()
    assert problems(folder) == [
        "scenario.toml:0:*: missing required file; expected scenario.toml with name, "
        "start_date, days",
    ]


def test_a_file_that_is_not_utf8(folder: Path) -> None:
    path = folder / "actors.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    assert problems(folder) == [
        "actors.csv:0:*: cannot be read: not UTF-8 text (invalid continuation byte at byte 27); "
        "expected a CSV saved as UTF-8",
    ]


def test_missing_required_column(folder: Path) -> None:
    rows = read_rows(folder, "bases")
    write_rows(folder, "bases", [row[:2] + row[3:] for row in rows])  # drop city
    assert problems(folder) == [
        "bases.csv:1:city: missing required column; expected a column city in the header",
    ]


def test_a_column_named_twice(folder: Path) -> None:
    rows = read_rows(folder, "actors")
    write_rows(folder, "actors", [[*row, row[1]] for row in rows])
    assert problems(folder) == [
        "actors.csv:1:name: column appears 2 times in the header; expected each column once",
    ]


def test_a_row_with_more_cells_than_the_header(folder: Path) -> None:
    rows = read_rows(folder, "actors")
    rows[2] += ["多余", "x"]
    write_rows(folder, "actors", rows)
    assert problems(folder) == [
        "actors.csv:3:*: the row has cells past the last column (多余;x); expected at most "
        "3 cells, one per header column",
    ]


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    path = tmp_path / "nowhere"
    assert problems(path) == [
        f"{path}:0:*: does not exist; expected a scenario folder or .xlsx workbook",
    ]


def test_a_path_that_is_a_csv_file(folder: Path) -> None:
    path = folder / "titles.csv"
    assert problems(path) == [
        f"{path}:0:*: is a file; expected a scenario folder or .xlsx workbook",
    ]


def test_a_workbook_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    assert problems(path) == [
        f"{path}:0:*: cannot be read (File is not a zip file); expected an .xlsx workbook",
    ]


# -- settings -----------------------------------------------------------------------


def test_settings_missing_keys(folder: Path) -> None:
    (folder / "scenario.toml").write_text("[targets]\ntitles_per_month = 400\n", encoding="utf-8")
    assert problems(folder) == [
        'scenario.toml:0:name: missing; expected name = "郑州基地群 12月"',
        "scenario.toml:0:start_date: missing; expected start_date = 2026-12-01",
        "scenario.toml:0:days: missing; expected days = 31",
    ]


def test_settings_bad_values(folder: Path) -> None:
    edit_settings(folder, 'name = "郑州开封基地群 测试"', "name = 12")
    edit_settings(folder, "start_date = 2026-12-01", 'start_date = "01/12/2026"')
    edit_settings(folder, "days = 14", "days = 0")
    assert problems(folder) == [
        "scenario.toml:1:name: 12 is not text; expected a name in quotes such as "
        '"郑州基地群 12月"',
        "scenario.toml:2:start_date: 01/12/2026 is not a date; expected YYYY-MM-DD such as "
        "2026-12-01",
        "scenario.toml:3:days: 0 is less than 1; expected days 1…366 (at most a year)",
    ]


def test_settings_days_must_be_whole(folder: Path) -> None:
    edit_settings(folder, "days = 14", "days = 14.5")
    assert problems(folder) == [
        "scenario.toml:3:days: 14.5 is not a whole number; expected days 1…366 (at most a year)",
    ]


def test_settings_targets_positive_and_known(folder: Path) -> None:
    edit_settings(folder, "titles_per_month = 8", "titles_per_month = 0\ntitles_per_week = 100")
    assert problems(folder) == [
        "scenario.toml:7:targets.titles_per_month: 0 is less than 1; "
        "expected an integer 1…1,000,000",
        "scenario.toml:8:targets.titles_per_week: unknown target; expected "
        "parallel_shoots_per_day or titles_per_month",
    ]


def test_settings_that_are_not_toml(folder: Path) -> None:
    edit_settings(folder, "days = 14", "days = ")
    assert problems(folder) == [
        "scenario.toml:3:*: is not valid TOML (Invalid value (at line 3, column 8)); "
        "expected key = value lines",
    ]


# -- ids and references -------------------------------------------------------------


def test_empty_id(folder: Path) -> None:
    set_cell(folder, "sets", 3, "set_id", "")
    assert problems(folder) == ["sets.csv:3:set_id: is empty; expected a unique set id"]


def test_duplicate_id_names_the_first_line(folder: Path) -> None:
    set_cell(folder, "crews", 3, "crew_id", "C01")
    assert problems(folder) == [
        "crews.csv:3:crew_id: C01 is used again; first on line 2, expected each crew_id once",
    ]


@pytest.mark.parametrize(
    ("sheet", "line", "column", "value", "expected"),
    [
        (
            "sets", 4, "base_id", "B09",
            "sets.csv:4:base_id: B09 is not in bases.csv; expected a base_id listed there",
        ),
        (
            "crews", 2, "home_base_id", "B03",
            "crews.csv:2:home_base_id: B03 is not in bases.csv; expected a base_id listed there",
        ),
        (
            "titles", 3, "cast", "A03;A09",
            "titles.csv:3:cast: A09 is not in actors.csv; expected actor_ids listed there, "
            "separated by ;",
        ),
        (
            "pins", 2, "base_id", "B01x",
            "pins.csv:2:base_id: B01x is not in bases.csv; expected a base_id listed there",
        ),
        (
            "pins", 2, "crew_id", "C03",
            "pins.csv:2:crew_id: C03 is not in crews.csv; expected a crew_id listed there",
        ),
        (
            "unavailable", 2, "kind", "crew",
            "unavailable.csv:2:id: A01 is not in crews.csv; expected a crew_id listed there, "
            "as kind is crew",
        ),
        (
            "unavailable", 2, "id", "S09",
            "unavailable.csv:2:id: S09 is not in actors.csv; expected an actor_id listed there, "
            "as kind is actor",
        ),
    ],
)  # fmt: skip
def test_unknown_reference(
    folder: Path, sheet: str, line: int, column: str, value: str, expected: str
) -> None:
    set_cell(folder, sheet, line, column, value)
    assert problems(folder) == [expected]


def test_unknown_title_in_title_needs_and_pins(folder: Path) -> None:
    append_row(folder, "title_needs", ["T09", "办公室", "1"])
    set_cell(folder, "pins", 2, "title_id", "T9")
    assert problems(folder) == [
        "title_needs.csv:8:title_id: T09 is not in titles.csv; expected a title_id listed there",
        "pins.csv:2:title_id: T9 is not in titles.csv; expected a title_id listed there",
    ]


def test_cast_names_an_actor_twice(folder: Path) -> None:
    set_cell(folder, "titles", 2, "cast", "A01;A02;A01")
    assert problems(folder) == [
        "titles.csv:2:cast: A01 is listed twice; expected each actor once",
    ]


# -- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "01/12/2026",
            "titles.csv:3:earliest_start: 01/12/2026 is not a date; expected YYYY-MM-DD",
        ),
        (
            "2026-02-30",
            "titles.csv:3:earliest_start: 2026-02-30 is not a date; expected YYYY-MM-DD",
        ),
        ("20261201", "titles.csv:3:earliest_start: 20261201 is not a date; expected YYYY-MM-DD"),
        ("", "titles.csv:3:earliest_start: is empty; expected a date YYYY-MM-DD"),
    ],
)
def test_bad_date(folder: Path, value: str, expected: str) -> None:
    set_cell(folder, "titles", 3, "earliest_start", value)
    assert problems(folder) == [expected]


def test_bad_pin_start_date(folder: Path) -> None:
    set_cell(folder, "pins", 2, "start_date", "12月2日")
    assert problems(folder) == [
        "pins.csv:2:start_date: 12月2日 is not a date; expected YYYY-MM-DD",
    ]


def test_due_date_before_earliest_start(folder: Path) -> None:
    set_cell(folder, "titles", 5, "due_date", "2026-12-03")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    (problem,) = caught.value.problems
    assert str(problem) == "titles.csv:5:due_date: 2026-12-03 is before earliest_start 2026-12-05"
    assert problem.message_zh == "截止日期 2026-12-03 早于最早开拍日 2026-12-05"


def test_unavailable_from_date_after_to_date(folder: Path) -> None:
    set_cell(folder, "unavailable", 2, "to_date", "2026-12-07")
    assert problems(folder) == [
        "unavailable.csv:2:to_date: 2026-12-07 is before from_date 2026-12-08",
    ]


# -- whole numbers -------------------------------------------------------------------

YUAN = "expected whole yuan 0…10,000,000"
PER_BASE = "expected an integer 1…1,000, or blank for no limit"
IN_ROW = "expected an integer 1…366, or blank for no limit"


@pytest.mark.parametrize(
    ("sheet", "line", "column", "value", "message"),
    [
        ("sets", 2, "day_rate", "1500.5", f"1500.5 is not a whole number; {YUAN}"),
        ("sets", 2, "day_rate", "abc", f"abc is not a whole number; {YUAN}"),
        ("sets", 2, "day_rate", "-3", f"-3 is less than 0; {YUAN}"),
        ("sets", 2, "day_rate", "", f"is empty; {YUAN}"),
        ("crews", 3, "day_rate", "1万", f"1万 is not a whole number; {YUAN}"),
        ("actors", 4, "day_rate", "-1", f"-1 is less than 0; {YUAN}"),
        ("titles", 2, "priority", "0", "0 is less than 1; expected an integer 1…1,000"),
        ("titles", 2, "priority", "高", "高 is not a whole number; expected an integer 1…1,000"),
        ("bases", 2, "max_crews", "0", f"0 is less than 1; {PER_BASE}"),
        ("crews", 2, "max_days_in_row", "0", f"0 is less than 1; {IN_ROW}"),
        ("title_needs", 3, "days", "0", "0 is less than 1; expected whole set-days 1…366"),
        ("title_needs", 3, "days", "-2", "-2 is less than 1; expected whole set-days 1…366"),
        (
            "title_needs",
            3,
            "days",
            "1.5",
            "1.5 is not a whole number; expected whole set-days 1…366",
        ),
        ("travel", 2, "days", "-1", "-1 is less than 0; expected whole days 0…366"),
    ],
)
def test_bad_whole_number(
    folder: Path, sheet: str, line: int, column: str, value: str, message: str
) -> None:
    set_cell(folder, sheet, line, column, value)
    assert problems(folder) == [f"{sheet}.csv:{line}:{column}: {message}"]


def test_blank_limits_mean_no_limit_and_zero_travel_is_allowed(folder: Path) -> None:
    set_cell(folder, "bases", 2, "max_crews", "")
    set_cell(folder, "crews", 2, "max_days_in_row", "")
    set_cell(folder, "travel", 2, "days", "0")
    scenario = load_scenario(folder)
    assert scenario.bases[0].max_crews is None
    assert scenario.crews[0].max_days_in_row is None
    assert scenario.travel[0].days == 0


# -- kinds, set types and repeated rows ----------------------------------------------


def test_unknown_unavailable_kind(folder: Path) -> None:
    set_cell(folder, "unavailable", 2, "kind", "studio")
    assert problems(folder) == [
        "unavailable.csv:2:kind: studio is not a kind; expected one of set, crew, actor, base",
    ]


def test_set_type_that_no_base_has(folder: Path) -> None:
    set_cell(folder, "title_needs", 7, "set_type", "医院")
    assert problems(folder) == [
        "title_needs.csv:7:set_type: 医院 is a set type no base has; expected one of the set "
        "types in sets.csv: 别墅, 办公室, 古装宫殿",
    ]


def test_title_needs_lists_a_set_type_twice(folder: Path) -> None:
    append_row(folder, "title_needs", ["T01", "办公室", "1"])
    assert problems(folder) == [
        "title_needs.csv:8:set_type: 办公室 is listed again for title T01; first on line 2, "
        "expected one row per title and set type",
    ]


def test_title_without_needs(folder: Path) -> None:
    write_rows(folder, "title_needs", read_rows(folder, "title_needs")[:-1])  # drop T04
    assert problems(folder) == [
        "titles.csv:5:title_id: T04 has no rows in title_needs.csv; expected at least one set "
        "type with its days",
    ]


def test_title_pinned_twice(folder: Path) -> None:
    append_row(folder, "pins", ["T02", "", "", "C02"])
    assert problems(folder) == [
        "pins.csv:3:title_id: T02 is pinned again; first on line 2, expected one pin row "
        "per title",
    ]


def test_travel_pair_listed_twice(folder: Path) -> None:
    append_row(folder, "travel", ["郑州", "开封", "1"])
    assert problems(folder) == [
        "travel.csv:3:to_city: 郑州 → 开封 is listed again; first on line 2, expected one row "
        "per pair of cities",
    ]


# -- all problems at once ------------------------------------------------------------

SIX_PROBLEMS_IN_CSV = [
    "scenario.toml:3:days: 0 is less than 1; expected days 1…366 (at most a year)",
    "bases.csv:3:max_crews: x is not a whole number; expected an integer 1…1,000, or blank for no "
    "limit",
    "sets.csv:5:base_id: B09 is not in bases.csv; expected a base_id listed there",
    "crews.csv:2:day_rate: -1 is less than 0; expected whole yuan 0…10,000,000",
    "titles.csv:4:due_date: 2026-12-01 is before earliest_start 2026-12-03",
    "title_needs.csv:6:days: 0 is less than 1; expected whole set-days 1…366",
]


def break_six_ways(folder: Path) -> None:
    """Break six files, last file first, so that sorting is tested too."""
    set_cell(folder, "title_needs", 6, "days", "0")
    set_cell(folder, "titles", 4, "due_date", "2026-12-01")
    set_cell(folder, "crews", 2, "day_rate", "-1")
    set_cell(folder, "sets", 5, "base_id", "B09")
    set_cell(folder, "bases", 3, "max_crews", "x")
    edit_settings(folder, "days = 14", "days = 0")


def test_six_problems_in_six_files_are_all_reported_in_file_order(folder: Path) -> None:
    break_six_ways(folder)
    assert problems(folder) == SIX_PROBLEMS_IN_CSV


def test_six_problems_in_a_workbook_name_sheet_row_and_column(folder: Path) -> None:
    break_six_ways(folder)
    workbook = folder.parent / "broken.xlsx"
    write_tables(read_tables(folder), workbook)
    # In the workbook the settings are rows of the sheet "scenario": days is on row 4.
    expected = [
        "scenario:4:days: 0 is less than 1; expected days 1…366 (at most a year)",
        *(line.replace(".csv:", ":", 1) for line in SIX_PROBLEMS_IN_CSV[1:]),
    ]
    expected[2] = "sets:5:base_id: B09 is not in bases; expected a base_id listed there"
    assert problems(workbook) == expected


def test_a_missing_sheet_in_a_workbook(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "tiny.xlsx"
    write_scenario(tiny_scenario(), path)
    workbook = load_workbook(path)
    del workbook["actors"]
    workbook.save(path)
    assert problems(path) == [
        "actors:0:*: missing required sheet; expected a sheet actors with columns "
        "actor_id, name, day_rate",
    ]


TRICKY_CELLS = ["", " ", "0", "-1", "1.5", "abc", "2026-13-01", "T01", "B01", "A01;A01", "医院",
                "set", "__overflow__", "；", "1e3", "NaN"]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from([spec.name for spec in SHEETS]),
            st.integers(0, 6),
            st.integers(0, 8),
            st.sampled_from(TRICKY_CELLS) | st.text(max_size=4),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_bad_cells_give_problems_in_file_order_never_a_crash(
    edits: list[tuple[str, int, int, str]],
) -> None:
    tables = scenario_to_tables(tiny_scenario())
    for sheet, row_index, column_index, text in edits:
        table = tables.tables[sheet]
        if table.rows:
            row = table.rows[row_index % len(table.rows)]
            row[table.columns[column_index % len(table.columns)]] = text
    try:
        build_scenario(tables)
    except ScenarioError as error:
        found = list(error.problems)
        assert found, "an error must list at least one problem"
        order = [spec.name + ".csv" for spec in SHEETS]
        ranks = [(order.index(problem.file), problem.row) for problem in found]
        assert ranks == sorted(ranks)
        assert all(problem.message and problem.message_zh for problem in found)


# -- the editors' DataFrames ------------------------------------------------------------


def test_edited_frames_build_the_same_scenario() -> None:
    scenario = tiny_scenario()
    frames = scenario_frames(scenario)
    frames["bases"]["max_crews"] = frames["bases"]["max_crews"].astype(float)  # 2.0 and NaN
    settings = {
        "name": scenario.name,
        "start_date": scenario.start_date,
        "days": scenario.days,
        "targets": {"parallel_shoots_per_day": 2, "titles_per_month": 8},
    }
    assert build_scenario(tables_from_frames(frames, settings)) == scenario


def test_edited_frames_report_problems_by_file_and_line() -> None:
    scenario = tiny_scenario()
    frames = scenario_frames(scenario)
    frames["titles"].loc[1, "priority"] = -1
    empty_row = pd.DataFrame(
        [[None] * len(frames["actors"].columns)], columns=frames["actors"].columns
    )
    frames["actors"] = pd.concat([frames["actors"], empty_row], ignore_index=True)  # skipped
    settings = {"name": scenario.name, "start_date": "2026-12-01", "days": 14}
    with pytest.raises(ScenarioError) as caught:
        build_scenario(tables_from_frames(frames, settings))
    assert [str(p) for p in caught.value.problems] == [
        "titles.csv:3:priority: -1 is less than 1; expected an integer 1…1,000",
    ]


# -- the command line --------------------------------------------------------------


def test_cli_validate_valid_exits_0(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(folder)]) == 0
    assert capsys.readouterr().out == (
        "有效 / valid — 郑州开封基地群 测试: 14 days from 2026-12-01, 2 bases, 4 sets, "
        "2 crews, 3 actors, 4 titles\n"
    )


def test_cli_validate_invalid_lists_every_problem_and_exits_1(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_six_ways(folder)
    assert main(["validate", str(folder), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert out == (
        "\n".join(SIX_PROBLEMS_IN_CSV)
        + "\n\n6 个问题 / 6 problem(s): 场景无效 / the scenario is invalid\n"
    )


def test_cli_validate_speaks_chinese_by_default(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cell(folder, "titles", 5, "due_date", "2026-12-03")
    assert main(["validate", str(folder)]) == 1
    first_line = capsys.readouterr().out.splitlines()[0]
    assert first_line == (
        "titles.csv:5:due_date: 截止日期 2026-12-03 早于最早开拍日 2026-12-05"
        "（2026-12-03 is before earliest_start 2026-12-05）"
    )


def test_sample_data_validates() -> None:
    sample = REPO / "sample_data" / "zhengzhou-month"
    if not sample.exists():
        pytest.skip("sample_data/zhengzhou-month has not been generated yet")
    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "validate", str(sample)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("有效 / valid")


# -- limits: what the solver can plan and the database can store (issue 12) --------------


def test_a_horizon_of_a_year_is_kept(folder: Path) -> None:
    edit_settings(folder, "days = 14", "days = 366")
    assert load_scenario(folder).days == 366


def test_a_horizon_of_a_hundred_million_days_is_refused(folder: Path) -> None:
    edit_settings(folder, "days = 14", "days = 100000000")
    assert problems(folder) == [
        "scenario.toml:3:days: 100000000 is more than 366; expected days 1…366 (at most a year)",
    ]


def test_a_start_in_year_9999_is_refused(folder: Path) -> None:
    edit_settings(folder, "start_date = 2026-12-01", "start_date = 9999-12-01")
    assert problems(folder)[0] == (
        "scenario.toml:2:start_date: 9999-12-01 is outside 2000-01-01…2099-12-31; "
        "expected a date in those years"
    )


def test_a_date_in_year_9999_in_a_file_is_refused(folder: Path) -> None:
    set_cell(folder, "titles", 2, "due_date", "9999-12-31")
    assert problems(folder) == [
        "titles.csv:2:due_date: 9999-12-31 is outside 2000-01-01…2099-12-31; "
        "expected a date in those years",
    ]


def test_a_day_rate_of_ten_million_is_kept(folder: Path) -> None:
    set_cell(folder, "sets", 2, "day_rate", "10000000")
    assert load_scenario(folder).sets[0].day_rate == 10_000_000


def test_a_day_rate_above_ten_million_is_refused(folder: Path) -> None:
    set_cell(folder, "sets", 2, "day_rate", "2147483648")
    assert problems(folder) == [
        "sets.csv:2:day_rate: 2147483648 is more than 10,000,000; "
        "expected whole yuan 0…10,000,000",
    ]


def test_a_pin_inside_its_title_window_is_kept(folder: Path) -> None:
    set_cell(folder, "pins", 2, "start_date", "2026-12-10")  # T02: 3 days, due 12-12
    assert load_scenario(folder).pins[0].start_date == date(2026, 12, 10)


def test_a_pin_that_leaves_no_room_for_the_shoot_is_refused(folder: Path) -> None:
    set_cell(folder, "pins", 2, "start_date", "2026-12-11")
    assert problems(folder) == [
        "pins.csv:2:start_date: 2026-12-11 is outside title T02's window; its 3-day shoot "
        "must start 2026-12-01…2026-12-10",
    ]


def test_a_pin_before_the_horizon_is_refused(folder: Path) -> None:
    set_cell(folder, "titles", 3, "earliest_start", "2026-11-20")
    set_cell(folder, "pins", 2, "start_date", "2026-11-25")
    assert problems(folder) == [
        "pins.csv:2:start_date: 2026-11-25 is outside title T02's window; its 3-day shoot "
        "must start 2026-12-01…2026-12-10",
    ]


def test_an_id_of_200_characters_is_kept(folder: Path) -> None:
    set_cell(folder, "actors", 2, "actor_id", "A" * 200)
    set_cell(folder, "titles", 2, "cast", f"{'A' * 200};A02")
    set_cell(folder, "unavailable", 2, "id", "A" * 200)
    assert load_scenario(folder).actors[0].actor_id == "A" * 200


def test_text_the_database_cannot_store_is_refused_at_its_cell(folder: Path) -> None:
    set_cell(folder, "actors", 2, "actor_id", "A" * 201)
    set_cell(folder, "titles", 2, "cast", f"{'A' * 201};A02")
    set_cell(folder, "crews", 2, "name", "王导\x00剧组")
    found = problems(folder)
    assert (
        "crews.csv:2:name: contains a NUL byte (\\x00), which the database cannot store; "
        "remove it" in found
    )
    assert "actors.csv:2:actor_id: is 201 characters long; expected at most 200" in found
    assert (
        "titles.csv:2:cast: has an item that is 201 characters long; expected at most 200" in found
    )


def test_settings_the_database_can_store_are_kept(folder: Path) -> None:
    edit_settings(folder, "days = 14\n", "days = 14\nbig = 9223372036854775807\n")
    assert load_scenario(folder).settings_extra["big"] == 2**63 - 1  # JSON keeps 64 bits


def test_settings_the_database_cannot_store_are_refused(folder: Path) -> None:
    edit_settings(folder, "days = 14\n", 'days = 14\nx = nan\nnote = "a\\u0000b"\n')
    found = problems(folder)
    assert found[0] == "scenario.toml:4:x: setting x is nan; expected a finite number"
    assert found[1].startswith("scenario.toml:5:note: setting note contains a NUL byte")


# -- dates as Excel, WPS and people write them (issue 13) ---------------------------------


@pytest.mark.parametrize("written", ["2026/12/3", "2026-12-3", "2026.12.3", "2026年12月3日"])
def test_a_date_written_as_people_write_it_is_read_as_that_date(
    folder: Path, written: str
) -> None:
    set_cell(folder, "titles", 2, "earliest_start", written)
    notes: list[Problem] = []
    assert load_scenario(folder, notes).titles[0].earliest_start == date(2026, 12, 3)
    (note,) = notes
    assert (note.file, note.row, note.column) == ("titles.csv", 2, "earliest_start")
    assert f"（如 {written}），已按日期读入" in note.message_zh


@pytest.mark.parametrize("written", ["2026/13/3", "2026/2/30", "12/3/2026", "2026年12月"])
def test_a_date_that_is_no_date_in_any_form_is_still_a_problem(folder: Path, written: str) -> None:
    set_cell(folder, "titles", 2, "earliest_start", written)
    assert problems(folder) == [
        f"titles.csv:2:earliest_start: {written} is not a date; expected YYYY-MM-DD",
    ]


def test_iso_dates_give_no_note(folder: Path) -> None:
    notes: list[Problem] = []
    load_scenario(folder, notes)
    assert notes == []


def test_many_dates_written_one_way_make_one_note_naming_their_lines(folder: Path) -> None:
    for line in (2, 3, 4, 5):
        rows = read_rows(folder, "titles")
        y, m, d = rows[line - 1][rows[0].index("due_date")].split("-")
        set_cell(folder, "titles", line, "due_date", f"{y}/{int(m)}/{int(d)}")
    notes: list[Problem] = []
    load_scenario(folder, notes)
    assert [note.format("zh") for note in notes] == [
        "titles.csv:2:due_date: 4 个日期（第 2–5 行）用 / 分隔（如 2026/12/10），"
        "已按日期读入，存为 2026-12-10 这样的格式"
    ]


def test_excel_date_cells_are_read_as_dates(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "场景.xlsx"
    write_scenario(tiny_scenario(), path)
    book = load_workbook(path)
    sheet = book["titles"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(2, header.index("earliest_start") + 1).value = date(2026, 12, 3)
    book.save(path)
    assert load_scenario(path).titles[0].earliest_start == date(2026, 12, 3)


def test_a_tab_inside_a_name_is_kept(folder: Path) -> None:
    set_cell(folder, "titles", 2, "name", "总裁的\t契约新娘")
    assert load_scenario(folder).titles[0].name == "总裁的\t契约新娘"


@pytest.mark.parametrize(("character", "shown"), [("\x0b", "\\x0b"), ("\x85", "\\x85")])
def test_a_control_character_is_refused_in_one_line(
    folder: Path, character: str, shown: str
) -> None:
    set_cell(folder, "titles", 2, "title_id", f"T{character}01")
    found = problems(folder)
    assert f"titles.csv:2:title_id: contains a control character ({shown}); remove it" in found
    assert all(len(line.splitlines()) == 1 for line in found)
