"""Scene breakdowns as input (issue 15): scenes.csv, day_minutes and plan.csv's scenes column.

Each rule comes as a pair: the scene scenario kept as it is loads, the same with
one thing broken gives exactly the ``file:row:column: message`` lines. The
scenario is :func:`factories.scene_scenario` written as CSV; its rows land on
these lines (header = line 1):

- scenes: T01 1 办公室 600 [A01] (2), T01 2 办公室 500 [A01, A09] 夜 (3), T01 3 医院 300
  [A01] (4), T03 1 办公室 400 [A03, A09] (5), T03 2 医院 500 [A03] 夜 外 (6)
- title_needs: T01 办公室 2 (2), T01 医院 1 (3), T03 办公室 1 (4), T03 医院 1 (5)
- titles: T01 cast A01 (2), T03 cast A03 (3); actors A01, A03, A09; sets 办公室 and 医院
- scenario.toml: name (1), start_date (2), days = 10 (3); no day_minutes (720)
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from scheduler.domain.model import Need, Scenario
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.scenes import Scene
from scheduler.io.plan_io import PLAN_COLUMNS, PLAN_FILE, read_plan, write_plan
from scheduler.io.tables import read_tables, scenario_settings, write_scenario, write_tables
from scheduler.io.validation import build_scenario, load_scenario, tables_from_frames
from tests.factories import dec, scenario_frames, scene_scenario
from tests.test_validation import (
    append_row,
    edit_settings,
    problems,
    read_rows,
    set_cell,
    write_rows,
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The scene scenario (two titles with scenes) written as a valid CSV folder."""
    path = tmp_path / "scenes"
    write_scenario(scene_scenario(), path)
    return path


def drop_rows(folder: Path, sheet: str, *lines: int) -> None:
    """Remove the rows on ``lines`` (header = line 1) from a sheet."""
    rows = read_rows(folder, sheet)
    write_rows(folder, sheet, [row for line, row in enumerate(rows, 1) if line not in lines])


# -- valid input and round trips ------------------------------------------------------


def test_a_scenario_with_scenes_loads_unchanged(folder: Path) -> None:
    scenario = load_scenario(folder)
    assert scenario == scene_scenario()
    t01 = scenario.title_by_id["T01"]
    assert [scene.scene_id for scene in t01.scenes] == ["1", "2", "3"]
    assert t01.needs == (Need("办公室", 2), Need("医院", 1))
    assert t01.actors == ("A01", "A09")


def test_a_workbook_keeps_the_scenes_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "scenes.xlsx"
    write_scenario(scene_scenario(), path)
    assert "scenes" in load_workbook(path, read_only=True).sheetnames
    assert load_scenario(path) == scene_scenario()


def test_csv_to_workbook_to_csv_keeps_scenes_csv_byte_for_byte(folder: Path) -> None:
    write_tables(read_tables(folder), folder.parent / "copy.xlsx")
    write_tables(read_tables(folder.parent / "copy.xlsx"), folder.parent / "copy")
    for name in ("scenes.csv", "title_needs.csv", "scenario.toml"):
        assert (folder.parent / "copy" / name).read_bytes() == (folder / name).read_bytes()


def test_a_title_without_scenes_writes_no_scenes_file(tmp_path: Path) -> None:
    without = replace(
        scene_scenario(),
        titles=tuple(replace(t, scenes=()) for t in scene_scenario().titles),
    )
    write_scenario(without, tmp_path / "plain")
    assert not (tmp_path / "plain" / "scenes.csv").exists()
    assert load_scenario(tmp_path / "plain") == without


def test_scenes_alone_give_a_title_its_needs(folder: Path) -> None:
    drop_rows(folder, "title_needs", 2, 3)  # T01 keeps only its scenes
    scenario = load_scenario(folder)
    assert scenario.title_by_id["T01"].needs == (Need("办公室", 2), Need("医院", 1))
    assert scenario == scene_scenario()


def test_read_write_read_of_a_title_with_scenes_alone_is_equal(folder: Path) -> None:
    # Decision: a title's needs are written to title_needs.csv whether they came from
    # its rows there or from its scenes alone (the Scenario does not say which); the
    # rows written agree with the scenes, so reading them back gives the same scenario.
    drop_rows(folder, "title_needs", 2, 3)
    first = load_scenario(folder)
    write_scenario(first, folder.parent / "again")
    assert read_rows(folder.parent / "again", "title_needs")[1:3] == [
        ["T01", "办公室", "2"],
        ["T01", "医院", "1"],
    ]
    assert load_scenario(folder.parent / "again") == first
    write_scenario(first, folder.parent / "again.xlsx")
    assert load_scenario(folder.parent / "again.xlsx") == first


def test_title_needs_extra_columns_stay_with_a_title_with_scenes(folder: Path) -> None:
    rows = read_rows(folder, "title_needs")
    write_rows(
        folder,
        "title_needs",
        [[*rows[0], "备注"], [*rows[1], "夜戏多"], *([*row, ""] for row in rows[2:])],
    )
    scenario = load_scenario(folder)
    assert scenario.title_by_id["T01"].needs[0] == Need("办公室", 2, {"备注": "夜戏多"})
    write_scenario(scenario, folder.parent / "again")
    assert load_scenario(folder.parent / "again") == scenario


def test_scene_extra_columns_are_kept(folder: Path) -> None:
    rows = read_rows(folder, "scenes")
    write_rows(folder, "scenes", [[*rows[0], "道具"], [*rows[1], "辞职信"], *rows[2:]])
    scenario = load_scenario(folder)
    assert scenario.title_by_id["T01"].scenes[0].extra == {"道具": "辞职信"}
    assert scenario.title_by_id["T03"].scenes[0].extra == {"道具": ""}
    write_scenario(scenario, folder.parent / "again.xlsx")
    assert load_scenario(folder.parent / "again.xlsx") == scenario


def test_scenes_of_titles_may_interleave_and_keep_their_order(folder: Path) -> None:
    rows = read_rows(folder, "scenes")
    write_rows(folder, "scenes", [rows[0], rows[4], rows[1], rows[5], rows[2], rows[3]])
    scenario = load_scenario(folder)
    assert scenario == scene_scenario()  # each title's scenes in file order


def test_only_the_required_scene_columns_mean_day_and_interior(folder: Path) -> None:
    rows = read_rows(folder, "scenes")
    write_rows(folder, "scenes", [row[:4] for row in rows])
    # with no cast in the scenes, titles.csv's cast would be booked on no day: said
    assert problems(folder)[0].startswith("titles.csv:2:cast: A01 appears in none of T01's")
    set_cell(folder, "titles", 2, "cast", "")
    set_cell(folder, "titles", 3, "cast", "")
    scene = load_scenario(folder).title_by_id["T03"].scenes[1]
    assert (scene.cast, scene.day_night, scene.int_ext, scene.description) == ((), "日", "内", "")


def test_blank_day_night_and_int_ext_mean_day_and_interior(folder: Path) -> None:
    set_cell(folder, "scenes", 6, "day_night", "")
    set_cell(folder, "scenes", 6, "int_ext", "")
    scene = load_scenario(folder).title_by_id["T03"].scenes[1]
    assert (scene.day_night, scene.int_ext) == ("日", "内")


def test_edited_tables_with_scenes_build_the_same_scenario() -> None:
    scenario = scene_scenario()
    frames = scenario_frames(scenario)
    assert "scenes" in frames
    tables = tables_from_frames(frames, scenario_settings(scenario))
    assert build_scenario(tables) == scenario


# -- day_minutes ----------------------------------------------------------------------


def test_day_minutes_is_written_only_when_not_720(tmp_path: Path) -> None:
    write_scenario(scene_scenario(), tmp_path / "default")
    assert "day_minutes" not in (tmp_path / "default" / "scenario.toml").read_text("utf-8")
    shorter = replace(scene_scenario(), day_minutes=600)
    for target in (tmp_path / "short", tmp_path / "short.xlsx"):
        write_scenario(shorter, target)
        loaded = load_scenario(target)
        assert loaded == shorter
        assert (loaded.day_minutes, loaded.settings_extra) == (600, {})
    assert "day_minutes = 600" in (tmp_path / "short" / "scenario.toml").read_text("utf-8")


def test_day_minutes_720_written_out_is_the_default(folder: Path) -> None:
    edit_settings(folder, "days = 10\n", "days = 10\nday_minutes = 720\n")
    assert load_scenario(folder) == scene_scenario()


def test_day_minutes_out_of_range(folder: Path) -> None:
    edit_settings(folder, "days = 10\n", "days = 10\nday_minutes = 59\n")
    assert problems(folder) == [
        "scenario.toml:4:day_minutes: 59 is less than 60; expected the working minutes of a "
        "shoot day, 60…1,440 (default 720)",
    ]
    edit_settings(folder, "day_minutes = 59", "day_minutes = 1441")
    assert problems(folder) == [
        "scenario.toml:4:day_minutes: 1441 is more than 1,440; expected the working minutes of "
        "a shoot day, 60…1,440 (default 720)",
    ]
    edit_settings(folder, "day_minutes = 1441", 'day_minutes = "十二小时"')
    assert problems(folder) == [
        "scenario.toml:4:day_minutes: 十二小时 is not a whole number; expected the working "
        "minutes of a shoot day, 60…1,440 (default 720)",
    ]


def test_day_minutes_decide_how_scenes_pack(folder: Path) -> None:
    # 1,200 minutes a day: T01's 办公室 scenes (600 + 500) fit one day, not two
    edit_settings(folder, "days = 10\n", "days = 10\nday_minutes = 1200\n")
    assert problems(folder) == [
        "title_needs.csv:2:days: T01 needs 2 days of 办公室 here, but its scenes in scenes.csv "
        "rows 2–3 pack into 1 day of 办公室 (1200 minutes a day); expected 1, or no "
        "title_needs.csv rows for T01",
    ]
    drop_rows(folder, "title_needs", 2, 3)
    scenario = load_scenario(folder)
    assert scenario.day_minutes == 1200
    assert scenario.title_by_id["T01"].needs == (Need("办公室", 1), Need("医院", 1))


# -- each rule: a pair ------------------------------------------------------------------


def test_scenes_missing_a_required_column(folder: Path) -> None:
    rows = read_rows(folder, "scenes")
    write_rows(folder, "scenes", [row[:3] + row[4:] for row in rows])  # drop minutes
    assert problems(folder) == [
        "scenes.csv:1:minutes: missing required column; expected a column minutes in the header",
    ]


def test_scene_of_an_unknown_title(folder: Path) -> None:
    append_row(folder, "scenes", ["T09", "1", "办公室", "60", "", "", "", ""])
    assert problems(folder) == [
        "scenes.csv:7:title_id: T09 is not in titles.csv; expected a title_id listed there",
    ]


def test_blank_ids_and_set_type(folder: Path) -> None:
    append_row(folder, "scenes", ["", "", "", "60", "", "", "", ""])
    assert problems(folder) == [
        "scenes.csv:7:title_id: is empty; expected a title_id from titles",
        "scenes.csv:7:scene_id: is empty; expected a scene id, unique within its title, "
        "such as 1-1",
        "scenes.csv:7:set_type: is empty; expected a set type such as 办公室",
    ]


def test_scene_listed_twice_in_a_title(folder: Path) -> None:
    # the same scene id in another title is fine: T01 and T03 both have a scene 1
    append_row(folder, "scenes", ["T01", "2", "医院", "60", "A01", "", "", ""])
    assert problems(folder) == [
        "scenes.csv:7:scene_id: scene 2 of title T01 is listed again; first on line 3, "
        "expected each scene_id once within its title",
    ]


def test_scene_id_holding_a_semicolon(folder: Path) -> None:
    set_cell(folder, "scenes", 4, "scene_id", "3;4")
    set_cell(folder, "scenes", 6, "scene_id", "2；3")
    assert problems(folder) == [
        "scenes.csv:4:scene_id: 3;4 contains ;, which separates scene ids in plan.csv; "
        "expected an id without it, such as 1-1",
        "scenes.csv:6:scene_id: 2；3 contains ;, which separates scene ids in plan.csv; "
        "expected an id without it, such as 1-1",
    ]


def test_scene_cast_of_unknown_actors_and_actors_listed_twice(folder: Path) -> None:
    set_cell(folder, "scenes", 3, "cast", "A01;A77;A01")
    assert problems(folder) == [
        "scenes.csv:3:cast: A77 is not in actors.csv; expected actor_ids listed there, "
        "separated by ;",
        "scenes.csv:3:cast: A01 is listed twice; expected each actor once",
    ]


def test_scene_at_a_set_type_no_base_has(folder: Path) -> None:
    set_cell(folder, "scenes", 4, "set_type", "手术室")
    # said once: the title's days cannot be told, so title_needs is not compared
    assert problems(folder) == [
        "scenes.csv:4:set_type: 手术室 is a set type no base has; expected one of the set "
        "types in sets.csv: 办公室, 医院",
    ]


def test_scene_minutes_must_be_whole_and_within_a_day(folder: Path) -> None:
    set_cell(folder, "scenes", 2, "minutes", "6.5")
    set_cell(folder, "scenes", 3, "minutes", "")
    set_cell(folder, "scenes", 4, "minutes", "0")
    set_cell(folder, "scenes", 6, "minutes", "721")
    assert problems(folder) == [
        "scenes.csv:2:minutes: 6.5 is not a whole number; expected whole minutes of shooting "
        "1…720",
        "scenes.csv:3:minutes: is empty; expected whole minutes of shooting 1…720",
        "scenes.csv:4:minutes: 0 is less than 1; expected whole minutes of shooting 1…720",
        "scenes.csv:6:minutes: 721 is more than the 720 working minutes of a day "
        "(day_minutes); a scene is shot within one day, expected whole minutes of shooting "
        "1…720",
    ]


def test_scene_minutes_up_to_a_whole_day_are_kept(folder: Path) -> None:
    set_cell(folder, "scenes", 4, "minutes", "720")
    set_cell(folder, "scenes", 6, "minutes", "500.0")
    scenario = load_scenario(folder)
    assert [s.minutes for s in scenario.title_by_id["T01"].scenes] == [600, 500, 720]
    assert scenario.title_by_id["T03"].scenes[1].minutes == 500


def test_scene_day_night_and_int_ext_words(folder: Path) -> None:
    set_cell(folder, "scenes", 2, "day_night", "晚上")
    set_cell(folder, "scenes", 6, "int_ext", "室外")
    assert problems(folder) == [
        "scenes.csv:2:day_night: 晚上 is not 日 (day) or 夜 (night); expected one of them, "
        "or blank for 日",
        "scenes.csv:6:int_ext: 室外 is not 内 (interior) or 外 (exterior); expected one of "
        "them, or blank for 内",
    ]


def test_scene_text_limits_and_control_characters(folder: Path) -> None:
    set_cell(folder, "scenes", 2, "description", "长" * 2001)
    set_cell(folder, "scenes", 3, "scene_id", "场" * 201)
    set_cell(folder, "scenes", 5, "description", "面试\x0b当天")
    assert problems(folder) == [
        "scenes.csv:2:description: is 2001 characters long; expected at most 2000",
        "scenes.csv:3:scene_id: is 201 characters long; expected at most 200",
        "scenes.csv:5:description: contains a control character (\\x0b); remove it",
    ]


def test_chinese_messages_name_the_scene_columns(folder: Path) -> None:
    from scheduler.domain.errors import ScenarioError

    set_cell(folder, "scenes", 2, "day_night", "晚上")
    set_cell(folder, "scenes", 5, "cast", "A03;A03")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert [problem.format("zh") for problem in caught.value.problems] == [
        "scenes.csv:2:day_night: 日/夜 晚上 无效，应为 日 或 夜，留空即为 日",
        "scenes.csv:5:cast: 演员 A03 重复出现，每位演员只应列一次",
    ]


# -- title_needs and scenes together -----------------------------------------------------


def test_title_needs_giving_other_days_than_the_scenes(folder: Path) -> None:
    set_cell(folder, "title_needs", 2, "days", "3")
    assert problems(folder) == [
        "title_needs.csv:2:days: T01 needs 3 days of 办公室 here, but its scenes in scenes.csv "
        "rows 2–3 pack into 2 days of 办公室 (720 minutes a day); expected 2, or no "
        "title_needs.csv rows for T01",
    ]


def test_title_needs_naming_a_set_type_without_scenes(folder: Path) -> None:
    drop_rows(folder, "scenes", 6)  # T03 keeps only its 办公室 scene
    assert problems(folder) == [
        "title_needs.csv:5:set_type: T03 has no 医院 scene in scenes.csv (its scenes: row 5); "
        "expected only the set types of its scenes: 办公室",
    ]


def test_title_needs_leaving_out_a_set_type_of_the_scenes(folder: Path) -> None:
    drop_rows(folder, "title_needs", 3)  # T01 lists 办公室 only
    assert problems(folder) == [
        "scenes.csv:4:set_type: T01's 医院 scenes (row 4) pack into 1 day, but no "
        "title_needs.csv row of T01 (row 2) is 医院; expected a row T01,医院,1 there, or no "
        "title_needs.csv rows for T01",
    ]


def test_a_title_with_neither_needs_nor_scenes(folder: Path) -> None:
    drop_rows(folder, "title_needs", 4, 5)
    drop_rows(folder, "scenes", 5, 6)
    assert problems(folder) == [
        "titles.csv:3:title_id: T03 has no rows in title_needs.csv nor in scenes.csv; "
        "expected at least one set type with its days, or its scenes",
    ]


def test_title_cast_must_play_in_its_scenes(folder: Path) -> None:
    set_cell(folder, "titles", 3, "cast", "A03;A09")  # A09 plays in T03's scene 1: kept
    assert load_scenario(folder).title_by_id["T03"].cast == ("A03", "A09")
    set_cell(folder, "titles", 3, "cast", "A03;A01")
    assert problems(folder) == [
        "titles.csv:3:cast: A01 appears in none of T03's scenes (scenes.csv rows 5–6); "
        "expected the cast of a title with scenes to be actors of its scenes",
    ]


def test_a_pin_leaves_room_for_the_days_the_scenes_pack_into(folder: Path) -> None:
    drop_rows(folder, "title_needs", 2, 3)  # T01: three days, from its scenes alone
    write_rows(folder, "pins", [["title_id", "start_date"], ["T01", "2026-12-08"]])
    assert load_scenario(folder).pins[0].start_date == dec(8)
    set_cell(folder, "pins", 2, "start_date", "2026-12-09")
    assert problems(folder) == [
        "pins.csv:2:start_date: 2026-12-09 is outside title T01's window; its 3-day shoot "
        "must start 2026-12-01…2026-12-08",
    ]


def test_scenes_of_a_set_type_needing_more_than_a_year(folder: Path) -> None:
    rows = read_rows(folder, "scenes")
    extra = [["T03", f"9-{n}", "办公室", "720", "A03", "", "", ""] for n in range(400)]
    write_rows(folder, "scenes", [*rows, *extra])
    # said once: title_needs is not compared with days no title can shoot
    assert problems(folder) == [
        "scenes.csv:5:set_type: T03's 办公室 scenes (rows 5, 7–406) need at least 401 days of "
        "720 minutes; expected at most 366 days of a set type",
    ]


def test_a_long_breakdown_is_read_in_linear_time(folder: Path) -> None:
    # 20,000 five-minute scenes of one title: packing them one by one against the whole
    # list (quadratic) took minutes; read and checked they take well under a few seconds
    rows = read_rows(folder, "scenes")
    extra = [["T01", f"9-{n}", "医院", "5", "A01", "", "", ""] for n in range(20_000)]
    write_rows(folder, "scenes", [*rows, *extra])
    drop_rows(folder, "title_needs", 2, 3)
    started = time.perf_counter()
    scenario = load_scenario(folder)
    assert time.perf_counter() - started < 10
    assert scenario.title_by_id["T01"].needs == (Need("办公室", 2), Need("医院", 140))


def test_every_problem_at_once_in_file_order(folder: Path) -> None:
    set_cell(folder, "titles", 2, "cast", "A01;A03")
    set_cell(folder, "title_needs", 5, "days", "2")
    set_cell(folder, "scenes", 3, "cast", "A01;A10")
    set_cell(folder, "scenes", 4, "day_night", "黄昏")
    append_row(folder, "scenes", ["T03", "1", "医院", "15", "", "", "", ""])
    assert problems(folder) == [
        "titles.csv:2:cast: A03 appears in none of T01's scenes (scenes.csv rows 2–4); "
        "expected the cast of a title with scenes to be actors of its scenes",
        "title_needs.csv:5:days: T03 needs 2 days of 医院 here, but its scenes in scenes.csv "
        "rows 6–7 pack into 1 day of 医院 (720 minutes a day); expected 1, or no "
        "title_needs.csv rows for T03",
        "scenes.csv:3:cast: A10 is not in actors.csv; expected actor_ids listed there, "
        "separated by ;",
        "scenes.csv:4:day_night: 黄昏 is not 日 (day) or 夜 (night); expected one of them, or "
        "blank for 日",
        "scenes.csv:7:scene_id: scene 1 of title T03 is listed again; first on line 5, "
        "expected each scene_id once within its title",
    ]


def test_a_workbook_names_the_scenes_sheet_row_and_column(folder: Path) -> None:
    from openpyxl import load_workbook

    path = folder.parent / "broken.xlsx"
    write_tables(read_tables(folder), path)
    book = load_workbook(path)
    sheet = book["scenes"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=3, column=header.index("minutes") + 1, value="半天")
    sheet.cell(row=6, column=header.index("int_ext") + 1, value="里")
    book.save(path)
    assert problems(path) == [
        "scenes:3:minutes: 半天 is not a whole number; expected whole minutes of shooting 1…720",
        "scenes:6:int_ext: 里 is not 内 (interior) or 外 (exterior); expected one of them, or "
        "blank for 内",
    ]


# -- plan.csv's scenes column ------------------------------------------------------------


def scene_plan() -> Plan:
    """T01 on 12-01 … 12-03 (scenes 1 | 2 | 3) and a title without scenes on 12-01."""
    return Plan(
        (
            Shoot("T01", dec(1), "B01", "S01", "C01", ("1",)),
            Shoot("T01", dec(2), "B01", "S03", "C01", ("2",)),
            Shoot("T01", dec(3), "B01", "S02", "C01", ("3",)),
            Shoot("T02", dec(1), "B01", "S03", "C03"),
        ),
        {"T03": "没有空闲剧组"},
    )


def test_plan_csv_lists_each_days_scenes_and_reads_them_back(tmp_path: Path) -> None:
    two_scenes = Shoot("T05", date(2026, 12, 4), "B01", "S01", "C03", ("1-1", "2-3"))
    plan = replace(scene_plan(), shoots=(*scene_plan().shoots, two_scenes))
    write_plan(tmp_path, plan)
    lines = (tmp_path / PLAN_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "title_id,date,base_id,set_id,crew_id,scenes"
    assert lines[1:3] == ["T01,2026-12-01,B01,S01,C01,1", "T02,2026-12-01,B01,S03,C03,"]
    assert lines[-1] == "T05,2026-12-04,B01,S01,C03,1-1;2-3"
    back, _kpis = read_plan(tmp_path)
    assert sorted(back.shoots) == sorted(plan.shoots)


def test_a_plan_without_scenes_writes_plan_csv_as_before(tmp_path: Path) -> None:
    plain = Plan(tuple(replace(s, scenes=()) for s in scene_plan().shoots))
    write_plan(tmp_path, plain)
    lines = (tmp_path / PLAN_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(PLAN_COLUMNS)
    assert lines[1] == "T01,2026-12-01,B01,S01,C01"


def test_an_old_plan_csv_without_the_scenes_column_reads(tmp_path: Path) -> None:
    (tmp_path / PLAN_FILE).write_text(
        "title_id,date,base_id,set_id,crew_id\nT01,2026-12-01,B01,S01,C01\n", encoding="utf-8"
    )
    plan, _kpis = read_plan(tmp_path)
    assert plan.shoots == (Shoot("T01", dec(1), "B01", "S01", "C01"),)


def test_plan_csv_scenes_may_be_separated_by_a_full_width_semicolon(tmp_path: Path) -> None:
    (tmp_path / PLAN_FILE).write_text(
        "title_id,date,base_id,set_id,crew_id,scenes\nT01,2026-12-01,B01,S01,C01, 1；2 ;\n",
        encoding="utf-8",
    )
    plan, _kpis = read_plan(tmp_path)
    assert plan.shoots[0].scenes == ("1", "2")


# -- the rush title beside scenes -----------------------------------------------------------


def test_a_rush_title_is_checked_beside_titles_with_scenes(tmp_path: Path) -> None:
    from scheduler.io.rush_title import read_rush_title
    from tests.factories import rush_row, write_rush_title

    row = rush_row(title_id="T09", needs="医院:1", cast="A09")
    title = read_rush_title(write_rush_title(tmp_path / "插单.csv", row), scene_scenario())
    assert (title.title_id, title.needs, title.scenes) == ("T09", (Need("医院", 1),), ())


def test_scene_scenario_is_the_documented_layout() -> None:
    # the docstring's line numbers hold as long as the factory does
    scenario: Scenario = scene_scenario()
    rows = [(s.title_id, s.scene_id) for t in scenario.titles for s in t.scenes]
    assert rows == [("T01", "1"), ("T01", "2"), ("T01", "3"), ("T03", "1"), ("T03", "2")]
    assert isinstance(scenario.titles[0].scenes[0], Scene)
