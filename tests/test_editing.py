"""The Inputs page's tables: a scenario as editor frames, and edited frames back.

Tests come in pairs: an edit that keeps the rules gives a new scenario with
the change; an edit that breaks one gives a problem naming the sheet, the row
the editor shows (numbered from 1) and the column.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from scheduler.app.editing import (
    CHOICE_LABELS,
    DATE_DTYPE,
    KIND_LABELS,
    SHEET_TITLES,
    EditCheck,
    SheetProblem,
    check_edits,
    column_label,
    edited_settings,
    editor_frames,
    id_choices,
    kind_code,
    typed_dates,
)
from scheduler.domain.model import UNAVAILABLE_KINDS, Pin, Scenario, Unavailability
from scheduler.io.tables import SHEETS, scenario_settings
from scheduler.io.validation import load_scenario
from tests.factories import SAMPLES, scene_scenario, tiny_scenario

MONTH = SAMPLES / "zhengzhou-month"


def check(scenario: Scenario, frames: dict[str, pd.DataFrame]) -> EditCheck:
    return check_edits(frames, scenario_settings(scenario))


def only_problem(result: EditCheck) -> SheetProblem:
    assert result.scenario is None
    found = [problem for problems in result.problems.values() for problem in problems]
    assert len(found) == 1, [problem.format() for problem in found]
    return found[0]


# -- frames -----------------------------------------------------------------------------


def test_unedited_frames_give_back_the_same_scenario() -> None:
    scenario = tiny_scenario()
    result = check(scenario, editor_frames(scenario))
    assert result.ok and result.scenario == scenario


def test_unedited_month_sample_gives_back_the_same_scenario() -> None:
    scenario = load_scenario(MONTH)
    frames = editor_frames(scenario)
    assert len(frames["titles"]) == 460
    assert len(frames["scenes"]) == sum(len(title.scenes) for title in scenario.titles) == 3687
    assert check(scenario, frames).scenario == scenario


def test_frames_are_typed_numbered_from_1_and_keep_extra_columns() -> None:
    frames = editor_frames(tiny_scenario())
    assert list(frames) == [spec.name for spec in SHEETS] == list(SHEET_TITLES)
    crews = frames["crews"]
    assert list(crews.index) == [1, 2]
    assert str(crews["day_rate"].dtype) == "Int64"
    assert crews.loc[1, "max_days_in_row"] == 6 and pd.isna(crews.loc[2, "max_days_in_row"])
    assert frames["titles"].loc[1, "due_date"] == date(2026, 12, 10)
    assert list(frames["titles"].columns)[-1] == "platform"
    assert frames["pins"].loc[1, "crew_id"] == ""
    assert column_label("day_rate") == "日价 day_rate"
    assert column_label("platform") == "platform"


# -- pairs: crews' day rate --------------------------------------------------------------


def test_a_new_crew_day_rate_is_taken() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["crews"].loc[2, "day_rate"] = 15000
    result = check(scenario, frames)
    assert result.scenario is not None
    assert result.scenario.crew_by_id["C02"].day_rate == 15000
    assert result.scenario.crew_by_id["C01"] == scenario.crew_by_id["C01"]


def test_a_negative_crew_day_rate_names_crews_row_2_day_rate() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["crews"].loc[2, "day_rate"] = -1
    problem = only_problem(check(scenario, frames))
    assert (problem.sheet, problem.row, problem.column) == ("crews", 2, "day_rate")
    assert problem.format().startswith("第 2 行 row 2 · 日价 day_rate: ")
    assert "（-1 " in problem.format()  # the English message in brackets


# -- pairs: titles' dates ---------------------------------------------------------------


def test_a_later_due_date_is_taken() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["titles"].loc[3, "due_date"] = date(2026, 12, 20)
    result = check(scenario, frames)
    assert result.scenario is not None
    assert result.scenario.title_by_id["T03"].due_date == date(2026, 12, 20)


def test_a_due_date_before_earliest_start_names_titles_row_3() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["titles"].loc[3, "due_date"] = date(2026, 12, 2)  # T03 may start 12-03
    problem = only_problem(check(scenario, frames))
    assert (problem.sheet, problem.row, problem.column) == ("titles", 3, "due_date")


# -- pairs: outages (rows added) -------------------------------------------------------------


def add_row(frame: pd.DataFrame, **cells: object) -> pd.DataFrame:
    """A row added at the end as the editor adds it: the next number, blanks as None."""
    row = pd.DataFrame([{column: cells.get(column) for column in frame.columns}])
    row.index = pd.Index([int(frame.index.max()) + 1 if len(frame) else 1])
    return pd.concat([frame, row])


def test_a_crew_made_unavailable_for_three_days_is_taken() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["unavailable"] = add_row(
        frames["unavailable"],
        kind="crew",
        id="C01",
        from_date=date(2026, 12, 3),
        to_date=date(2026, 12, 5),
    )
    result = check(scenario, frames)
    assert result.scenario is not None
    assert result.scenario.unavailable[-1] == Unavailability(
        "crew", "C01", date(2026, 12, 3), date(2026, 12, 5)
    )


def test_an_outage_of_an_unknown_crew_names_unavailable_row_2_id() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["unavailable"] = add_row(
        frames["unavailable"], kind="crew", id="C09", from_date="2026-12-03", to_date="2026-12-05"
    )
    problem = only_problem(check(scenario, frames))
    assert (problem.sheet, problem.row, problem.column) == ("unavailable", 2, "id")


def test_an_added_row_left_half_blank_names_its_missing_cells() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["actors"] = add_row(frames["actors"], actor_id="A04", name="新演员")
    problem = only_problem(check(scenario, frames))
    assert (problem.sheet, problem.row, problem.column) == ("actors", 4, "day_rate")


def test_an_added_row_left_all_blank_is_skipped() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["actors"] = add_row(frames["actors"])
    assert check(scenario, frames).scenario == scenario


# -- dates: the ISO date typed is the date stored --------------------------------------------


def test_date_columns_hold_dates_even_in_a_sheet_without_rows() -> None:
    scenario = replace(tiny_scenario(), unavailable=())
    frames = editor_frames(scenario)
    assert frames["unavailable"].empty
    assert frames["unavailable"]["from_date"].dtype == DATE_DTYPE  # the editor parses dates
    assert frames["titles"]["due_date"].dtype == DATE_DTYPE
    assert frames["titles"].loc[1, "due_date"] == date(2026, 12, 10)


def test_a_date_typed_as_2026_12_03_is_stored_as_2026_12_03() -> None:
    scenario = replace(tiny_scenario(), unavailable=())
    frames = editor_frames(scenario)
    frames["unavailable"] = add_row(
        frames["unavailable"],
        kind="actor",
        id="A01",
        from_date=date(2026, 12, 3),
        to_date=date(2026, 12, 3),
    )
    assert frames["unavailable"].loc[1, "from_date"] == date(2026, 12, 3)  # stays that date
    result = check(scenario, frames)
    assert result.scenario is not None
    assert result.scenario.unavailable == (
        Unavailability("actor", "A01", date(2026, 12, 3), date(2026, 12, 3)),
    )


def test_a_date_the_browser_misread_is_named_and_not_stored() -> None:
    scenario = replace(tiny_scenario(), unavailable=())
    frames = editor_frames(scenario)
    frames["unavailable"] = add_row(
        frames["unavailable"],
        kind="actor",
        id="A01",
        from_date="+061203-02-02",  # 2026-12-03 typed into an mm/dd/yyyy editor
        to_date=date(2026, 12, 3),
    )
    problem = only_problem(check(scenario, frames))
    assert (problem.sheet, problem.row, problem.column) == ("unavailable", 1, "from_date")


def test_a_date_column_widened_by_a_blank_row_is_typed_again() -> None:
    frames = editor_frames(replace(tiny_scenario(), unavailable=()))
    widened = frames["unavailable"].astype(object)
    widened.loc[1] = {"kind": "actor", "id": "A01", "from_date": None, "to_date": "2026-12-03"}
    typed = typed_dates(widened)
    assert typed["from_date"].dtype == DATE_DTYPE
    assert pd.isna(typed.loc[1, "from_date"]) and typed.loc[1, "to_date"] == date(2026, 12, 3)
    assert typed_dates(frames["unavailable"]) is frames["unavailable"]


# -- pairs: kinds and ids picked by name ------------------------------------------------------


def test_kinds_are_offered_in_chinese_and_map_to_the_codes() -> None:
    assert set(KIND_LABELS) == set(UNAVAILABLE_KINDS)
    assert KIND_LABELS["actor"].startswith("演员")
    assert [kind_code(label) for label in KIND_LABELS.values()] == list(KIND_LABELS)
    assert [kind_code(word) for word in ("演员", "剧组", "场景", "基地")] == [
        "actor",
        "crew",
        "set",
        "base",
    ]


def test_the_outage_id_column_offers_every_resource_by_name() -> None:
    frames = editor_frames(tiny_scenario())
    offered = id_choices("unavailable", frames)["id"]
    assert offered["A01"] == "A01 张雨桐"
    assert offered["C02"] == "C02 李导剧组"
    assert offered["B01"] == "B01 郑州影视基地"
    assert offered["S03"] == "S03 古装宫殿 B02"
    pins = id_choices("pins", frames)
    assert set(pins) == {"title_id", "base_id", "crew_id"}
    assert pins["crew_id"]["C01"] == "C01 王导剧组"
    assert id_choices("crews", frames) == {}


def test_an_outage_picked_in_chinese_by_name_is_stored_with_the_codes() -> None:
    scenario = replace(tiny_scenario(), unavailable=())
    frames = editor_frames(scenario)
    frames["unavailable"] = add_row(
        frames["unavailable"],
        kind="演员 actor",
        id="A01 张雨桐",  # a picker's label
        from_date=date(2026, 12, 3),
        to_date=date(2026, 12, 4),
    )
    frames["unavailable"] = add_row(
        frames["unavailable"],
        kind="剧组",
        id="李导剧组",  # the name typed
        from_date=date(2026, 12, 5),
        to_date=date(2026, 12, 5),
    )
    result = check(scenario, frames)
    assert result.scenario is not None
    assert result.scenario.unavailable == (
        Unavailability("actor", "A01", date(2026, 12, 3), date(2026, 12, 4)),
        Unavailability("crew", "C02", date(2026, 12, 5), date(2026, 12, 5)),
    )


def test_an_outage_of_a_name_nobody_carries_names_unavailable_id() -> None:
    scenario = replace(tiny_scenario(), unavailable=())
    frames = editor_frames(scenario)
    frames["unavailable"] = add_row(
        frames["unavailable"],
        kind="演员 actor",
        id="邵强宇",  # not an actor of this scenario
        from_date=date(2026, 12, 3),
        to_date=date(2026, 12, 4),
    )
    problem = only_problem(check(scenario, frames))
    assert (problem.sheet, problem.row, problem.column) == ("unavailable", 1, "id")


def test_a_pin_picked_by_names_is_stored_with_the_ids() -> None:
    scenario = replace(tiny_scenario(), pins=())
    frames = editor_frames(scenario)
    title = scenario.titles[0]
    frames["pins"] = add_row(
        frames["pins"], title_id=f"{title.title_id} {title.name}", crew_id="王导剧组"
    )
    result = check(scenario, frames)
    assert result.scenario is not None
    assert result.scenario.pins == (Pin(title.title_id, crew_id="C01"),)


# -- pairs: deleted rows -------------------------------------------------------------------


def test_deleting_the_pin_frees_the_title() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["pins"] = frames["pins"].drop(index=1)
    result = check(scenario, frames)
    assert result.scenario == replace(scenario, pins=())


def test_deleting_an_actor_in_a_cast_names_the_title_row_by_its_editor_number() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["actors"] = frames["actors"].drop(index=3)  # A03, T02's cast
    frames["titles"] = frames["titles"].drop(index=1)  # T01 gone too: T02 stays row 2
    frames["title_needs"] = frames["title_needs"].drop(index=[1, 2])
    problem = only_problem(check(scenario, frames))
    assert (problem.sheet, problem.row, problem.column) == ("titles", 2, "cast")


# -- pairs: settings ------------------------------------------------------------------------


def settings_of(scenario: Scenario, **changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "name": scenario.name,
        "start_date": scenario.start_date,
        "days": scenario.days,
        "parallel_shoots_per_day": scenario.targets.parallel_shoots_per_day,
        "titles_per_month": scenario.targets.titles_per_month,
    }
    fields.update(changes)
    return edited_settings(scenario, **fields)  # type: ignore[arg-type]


def test_new_settings_are_taken_and_unknown_settings_kept() -> None:
    scenario = replace(tiny_scenario(), settings_extra={"备注": "试拍"})
    settings = settings_of(scenario, name="郑州 1月", days=21, titles_per_month=500)
    result = check_edits(editor_frames(scenario), settings)
    assert result.scenario is not None
    assert (result.scenario.name, result.scenario.days) == ("郑州 1月", 21)
    assert result.scenario.targets.titles_per_month == 500
    assert result.scenario.settings_extra == {"备注": "试拍"}


@pytest.mark.parametrize(
    ("changes", "column"),
    [({"name": " "}, "name"), ({"days": None}, "days"), ({"days": 0}, "days")],
)
def test_bad_settings_are_named_under_the_settings(
    changes: dict[str, object], column: str
) -> None:
    scenario = tiny_scenario()
    result = check_edits(editor_frames(scenario), settings_of(scenario, **changes))
    problem = only_problem(result)
    assert (problem.sheet, problem.row, problem.column) == ("scenario", 0, column)
    assert problem.format().startswith(problem.column_label + ": ")


def test_problems_in_several_sheets_are_all_reported_at_once() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["crews"].loc[1, "home_base_id"] = "B09"
    frames["sets"].loc[4, "set_type"] = "太空站"  # nobody else needs it: fine
    frames["title_needs"].loc[6, "days"] = 0
    frames["travel"].loc[1, "days"] = -2
    result = check_edits(frames, settings_of(scenario, name=""))
    assert {
        sheet: [(p.row, p.column) for p in found] for sheet, found in result.problems.items()
    } == {
        "scenario": [(0, "name")],
        "crews": [(1, "home_base_id")],
        "title_needs": [(6, "days")],
        "travel": [(1, "days")],
    }
    assert result.problem_count == 4


def test_a_duplicate_names_its_first_row_as_the_editor_numbers_it() -> None:
    scenario = tiny_scenario()
    frames = editor_frames(scenario)
    frames["crews"].loc[2, "crew_id"] = "C01"
    problem = only_problem(check(scenario, frames))
    assert (problem.sheet, problem.row, problem.column) == ("crews", 2, "crew_id")
    assert "首次出现在第 1 行" in problem.message_zh  # the editor's row 1, the file's line 2


def test_day_minutes_are_taken_and_bad_ones_named_under_the_settings() -> None:
    scenario = tiny_scenario()  # no scenes: the working minutes change no needs
    result = check_edits(editor_frames(scenario), settings_of(scenario, day_minutes=600))
    assert result.scenario == replace(scenario, day_minutes=600)
    problem = only_problem(
        check_edits(editor_frames(scenario), settings_of(scenario, day_minutes=30))
    )
    assert (problem.sheet, problem.row, problem.column) == ("scenario", 0, "day_minutes")
    assert problem.format().startswith("每天工作分钟数 day minutes: ")


# -- pairs: scenes ----------------------------------------------------------------------------


def test_the_scene_sheet_is_typed_and_headed_in_chinese() -> None:
    frames = editor_frames(scene_scenario())
    scenes = frames["scenes"]
    assert list(scenes.index) == [1, 2, 3, 4, 5]
    assert str(scenes["minutes"].dtype) == "Int64" and scenes.loc[1, "minutes"] == 600
    assert scenes.loc[2, "cast"] == "A01;A09" and scenes.loc[5, "day_night"] == "夜"
    assert [column_label(str(column), "scenes") for column in scenes.columns] == [
        "剧目编号 title_id",
        "场次 scene_id",
        "场景类型 set_type",
        "时长（分钟） minutes",
        "演员 cast",
        "日/夜 day_night",
        "内/外 int_ext",
        "内容 description",
    ]
    assert column_label("cast", "titles") == "主演 cast"  # a title's cast is its leads
    assert SHEET_TITLES["scenes"] == "场次表 Scenes"


def test_unedited_scenes_give_back_the_same_scenario() -> None:
    scenario = scene_scenario()
    assert check(scenario, editor_frames(scenario)).scenario == scenario


def test_a_scene_longer_within_its_day_is_taken() -> None:
    scenario = scene_scenario()
    frames = editor_frames(scenario)
    frames["scenes"].loc[3, "minutes"] = 400  # T01's only 医院 scene: still one day
    frames["scenes"].loc[3, "description"] = "病房里两人和解，窗外下雪"
    result = check(scenario, frames)
    assert result.scenario is not None
    scene = result.scenario.title_by_id["T01"].scenes[2]
    assert (scene.minutes, scene.description) == (400, "病房里两人和解，窗外下雪")
    assert result.scenario.title_by_id["T01"].needs == scenario.title_by_id["T01"].needs


def test_a_scene_shorter_so_its_title_needs_a_day_less_names_the_needs_row() -> None:
    scenario = scene_scenario()
    frames = editor_frames(scenario)
    # T01's 办公室 scenes 600 + 500 minutes take two days; 600 + 100 fit in one
    frames["scenes"].loc[2, "minutes"] = 100
    problem = only_problem(check(scenario, frames))
    assert (problem.sheet, problem.row, problem.column) == ("title_needs", 1, "days")
    assert "scenes.csv rows 1–2 pack into 1 day of 办公室" in problem.message
    assert "title_needs.csv" in problem.message_zh


def test_a_scene_with_the_title_needs_row_deleted_too_is_taken() -> None:
    scenario = scene_scenario()
    frames = editor_frames(scenario)
    frames["scenes"].loc[2, "minutes"] = 100
    frames["title_needs"] = frames["title_needs"].drop(index=[1, 2])  # T01: from its scenes
    result = check(scenario, frames)
    assert result.scenario is not None
    assert [(n.set_type, n.days) for n in result.scenario.title_by_id["T01"].needs] == [
        ("办公室", 1),
        ("医院", 1),
    ]


def test_scenes_pick_titles_by_name_and_words_from_a_list() -> None:
    scenario = scene_scenario()
    frames = editor_frames(scenario)
    assert id_choices("scenes", frames)["title_id"]["T03"] == "T03 闪婚后大佬宠我上天"
    assert CHOICE_LABELS["day_night"] == {"日": "日 day", "夜": "夜 night"}
    assert CHOICE_LABELS["int_ext"] == {"内": "内 interior", "外": "外 exterior"}
    frames["scenes"].loc[5, "title_id"] = "闪婚后大佬宠我上天"  # typed by name: still T03
    assert check(scenario, frames).scenario == scenario


def test_a_scene_word_not_in_the_list_names_scenes_day_night() -> None:
    scenario = scene_scenario()
    frames = editor_frames(scenario)
    frames["scenes"].loc[4, "day_night"] = "黄昏"
    problem = only_problem(check(scenario, frames))
    assert (problem.sheet, problem.row, problem.column) == ("scenes", 4, "day_night")
    assert problem.format().startswith("第 4 行 row 4 · 日/夜 day_night: ")
