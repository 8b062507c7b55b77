"""Call sheets (通告单): what a crew's sheet says, read back from its .xlsx and PDF, and the day's
.zip. The scenario is :func:`tests.factories.call_sheet_scenario` (a plan the checker accepts):
times below are reasoned from its scenes' minutes and the default settings (crew call 07:00,
first shot 08:00, reset 10, meal 60, make-up 60 / 古装 90, on set 15)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.app import call_sheet_pdf
from scheduler.app.call_sheet_files import call_sheet_workbook, day_zip
from scheduler.app.call_sheets import (
    NO_SCENES,
    Break,
    CallSheetSettings,
    call_sheet,
    call_sheet_settings,
    cast_frame,
    clock,
    day_call_sheets,
    scene_times,
    timetable_frame,
)
from scheduler.app.shoot_days import shoot_scenes
from scheduler.domain.plan import Plan, Shoot
from tests.factories import call_sheet_scenario, day


def sheet_of(crew_id: str, n: int, **settings: Any) -> Any:
    scenario, plan = call_sheet_scenario()
    if settings:
        scenario = replace(scenario, settings_extra={"call_sheet": settings})
    return call_sheet(scenario, plan, crew_id, day(n))


def workbook(crew_id: str, n: int) -> Worksheet:
    book = openpyxl.load_workbook(io.BytesIO(call_sheet_workbook(sheet_of(crew_id, n), 3)))
    sheet = book.active
    assert sheet is not None
    return sheet


def value_after(sheet: Worksheet, label: str) -> Any:
    """The cell right of the first cell whose text begins with ``label``."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(label):
                return sheet.cell(row=cell.row, column=cell.column + 1).value
    raise AssertionError(f"no cell begins with {label!r}")


def rows_below(sheet: Worksheet, heading: str, header: bool = True) -> list[tuple[Any, ...]]:
    """The rows of the section ``heading`` (under its header row), up to a blank row."""
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    start = next(n for n, row in enumerate(rows) if str(row[0]).startswith(heading))
    start += 2 if header else 1
    found = []
    for row in rows[start:]:
        if all(value is None for value in row):
            break
        found.append(row)
    return found


# -- the workbook ------------------------------------------------------------------------------


def test_xlsx_has_the_date_as_a_date_cell_and_the_scenes_in_the_plans_order_with_start_times():
    sheet = workbook("C01", 1)
    when = value_after(sheet, "日期 date")
    assert isinstance(when, datetime) and when.date() == date(2026, 12, 2)
    assert value_after(sheet, "拍摄日") == "第 1 天 / 共 3 天"
    assert value_after(sheet, "剧目 title") == "《总裁的契约新娘》（T01）"
    assert value_after(sheet, "集合 crew call") == time(7, 0)
    assert value_after(sheet, "开机 first shot") == time(8, 0)
    assert value_after(sheet, "预计收工") == time(18, 10)
    assert value_after(sheet, "午饭 meal") == "14:10–15:10"
    assert value_after(sheet, "场景 sets") == "S01 办公室"
    # the plan shoots 2, 1, 3 (not the file's order); scene 1 runs over noon: the meal follows
    scenes = rows_below(sheet, "场次 Scenes")
    assert [(row[0], row[1], row[2]) for row in scenes] == [
        ("2", time(8, 0), time(10, 0)),
        ("1", time(10, 10), time(14, 10)),
        ("午饭 meal", time(14, 10), time(15, 10)),
        ("3", time(15, 10), time(18, 10)),
    ]
    assert scenes[0][3:] == ("内", "日", 120, "办公室", "王总来访，撞见两人争吵", "林婉清、王总")
    assert scenes[3][3:6] == ("内", "夜", 180)


def test_day_numbers_count_the_titles_shoot_days_in_the_plan():
    assert sheet_of("C01", 2).day_text == "第 2 天 / 共 3 天"
    assert sheet_of("C01", 3).day_text == "第 3 天 / 共 3 天"
    assert sheet_of("C02", 2).day_text == "第 2 天 / 共 2 天"
    assert value_after(workbook("C02", 1), "拍摄日") == "第 1 天 / 共 2 天"


def test_make_up_call_is_90_minutes_before_the_first_scene_in_a_costume_title_60_otherwise():
    # 都市 T01 on 12-02: 陈子轩 first in scene 1 at 10:10 → make-up 09:10, on set 09:55
    cast = rows_below(workbook("C01", 1), "演员 Cast")
    assert cast[1][:5] == ("陈子轩（A02）", time(9, 10), time(9, 55), time(10, 10), time(18, 10))
    assert cast[0][:3] == ("林婉清（A01）", time(7, 0), time(7, 45))
    # 古装 T02 on 12-02: 沈清秋 first at 08:00 → 06:30; 萧景琰 first in scene 2 at 15:40 → 14:10
    cast = rows_below(workbook("C02", 1), "演员 Cast")
    assert cast[0][:4] == ("沈清秋（A05）", time(6, 30), time(7, 45), time(8, 0))
    assert cast[1][:4] == ("萧景琰（A06）", time(14, 10), time(15, 25), time(15, 40))


def test_an_actor_held_that_day_is_listed_as_hold_without_a_call_and_a_working_one_is_called():
    # rule 10: 林婉清 works 12-02 and 12-04, so T01 books her on 12-03 without a scene
    sheet = sheet_of("C01", 2)
    held = {a.actor_id: a for a in sheet.cast}
    assert held["A01"].held and held["A01"].makeup is None and held["A01"].on_set is None
    assert not held["A03"].held and held["A03"].makeup == 7 * 60
    assert "A04" not in held  # booked only on 12-02, her one day
    rows = rows_below(workbook("C01", 2), "演员 Cast")
    assert rows[0][0] == "林婉清（A01）" and rows[0][1] is None
    assert str(rows[0][8]).startswith("待命")
    assert list(cast_frame(sheet)["备注 note"]) == ["待命（本日无戏）", "", ""]


def test_next_day_names_the_crews_next_shoot_or_says_it_rests():
    # 12-02 → 12-03, the same title
    lines = rows_below(workbook("C01", 1), "次日 Next day", header=False)
    assert lines[0][:3] == ("下一拍摄日 next shoot", datetime(2026, 12, 3), "周四")
    assert [line[:2] for line in lines[1:]] == [
        ("剧目 title", "《总裁的契约新娘》（T01）"),
        ("基地 base", "郑州影视基地"),
        ("集合 crew call", time(7, 0)),
        ("首场 first scenes", "5 内/日 男主向闺蜜打听女主下落；4 内/日 闺蜜在茶水间八卦"),
    ]
    # 12-04 → rests 12-05, then T03 (no scenes) on 12-06
    lines = rows_below(workbook("C01", 3), "次日 Next day", header=False)
    assert [line[:2] for line in lines] == [
        ("次日 next day", "休息（12-05，共 1 天）"),
        ("下一拍摄日 next shoot", datetime(2026, 12, 6)),
        ("剧目 title", "《闪婚后傅少宠上天》（T03）"),
        ("基地 base", "郑州影视基地"),
        ("集合 crew call", time(7, 0)),
        ("首场 first scenes", NO_SCENES),
    ]
    # 12-07: nothing later in the plan
    lines = rows_below(workbook("C01", 6), "次日 Next day", header=False)
    assert [line[:2] for line in lines] == [("次日 next day", "休息（计划内本剧组无后续拍摄）")]
    assert sheet_of("C01", 6).next_day is None


def test_a_title_without_scenes_calls_its_cast_for_the_whole_day():
    sheet = sheet_of("C01", 5)
    assert not sheet.has_scenes and sheet.scenes == ()
    assert sheet.meal == Break("午饭", 12 * 60, 13 * 60)
    assert sheet.wrap == 8 * 60 + 720 + 60  # day_minutes from the first shot, and the meal
    [actor] = sheet.cast
    assert (actor.actor_id, actor.makeup, actor.on_set) == ("A06", 7 * 60, 7 * 60 + 45)
    rows = rows_below(workbook("C01", 5), "场次 Scenes")
    assert len(rows) == 1 and str(rows[0][0]).startswith(NO_SCENES)


def test_address_comes_from_bases_csv_else_the_city_and_base_name():
    assert value_after(workbook("C01", 1), "地址 address") == "郑州市中原区建设西路 1 号"
    fallback = value_after(workbook("C02", 1), "地址 address")
    assert fallback == "开封 开封清明上河园基地（未录入详细地址）"


def test_workbook_prints_on_a4_one_page_wide_with_the_banner_row_on_every_page():
    sheet = workbook("C01", 1)
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_margins.left == sheet.page_margins.right == 0.4
    assert str(sheet["A1"].value).startswith(
        "通告单 CALL SHEET《总裁的契约新娘》 第 1 天 / 共 3 天"
    )


def test_text_beginning_with_a_formula_character_is_written_as_text():
    scenario, plan = call_sheet_scenario()
    title = scenario.title_by_id["T01"]
    evil = '=HYPERLINK("http://evil.example/","点击")'
    scenes = tuple(replace(s, description="+1" if s.scene_id == "2" else s.description)
                   for s in title.scenes)  # fmt: skip
    scenario = replace(
        scenario,
        titles=(replace(title, name=evil, scenes=scenes), *scenario.titles[1:]),
        actors=(replace(scenario.actors[0], name="@林"), *scenario.actors[1:]),
    )
    book = openpyxl.load_workbook(
        io.BytesIO(call_sheet_workbook(call_sheet(scenario, plan, "C01", day(1))))
    )
    sheet = book.active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert value_after(sheet, "剧目 title") == f"《{evil}》（T01）"  # not at the start: as is
    assert rows_below(sheet, "场次 Scenes")[0][7] == "'+1"
    assert rows_below(sheet, "演员 Cast")[0][0] == "'@林（A01）"
    assert rows_below(sheet, "场次 Scenes")[1][7] == "总裁办公室：女主递交辞职信"  # kept


# -- times --------------------------------------------------------------------------------------


def test_meal_follows_the_scene_running_at_noon():
    # 08:00–11:00, 11:10–12:30 crosses noon → meal 12:30–13:30 → 13:30–14:00
    times = scene_times(CallSheetSettings(), [180, 80, 30])
    assert times == [(480, 660), (670, 750), Break("午饭", 750, 810), (810, 840)]


def test_meal_comes_before_a_scene_the_reset_would_start_after_noon():
    # 08:00–11:55; the reset would start the next at 12:05: the meal takes its place
    times = scene_times(CallSheetSettings(), [235, 30])
    assert times == [(480, 715), Break("午饭", 715, 775), (775, 805)]


def test_no_meal_when_the_scene_running_at_noon_is_the_last_or_the_day_starts_after_noon():
    assert scene_times(CallSheetSettings(), [100, 300]) == [(480, 580), (590, 890)]
    late = CallSheetSettings(crew_call=13 * 60)
    assert scene_times(late, [60, 60]) == [(840, 900), (910, 970)]


def test_times_outside_the_day_say_which_day():
    assert [clock(m) for m in (-30, 0, 7 * 60 + 5, 24 * 60 + 70)] == [
        "前日 23:30",
        "00:00",
        "07:05",
        "次日 01:10",
    ]


def test_settings_of_scenario_toml_change_the_times():
    sheet = sheet_of("C02", 1, crew_call="06:30", costume_makeup_minutes=120, reset_minutes=0)
    assert (sheet.crew_call, sheet.first_shot) == (390, 450)
    frame = timetable_frame(sheet)
    assert list(frame["开始 start"]) == ["07:30", "14:10", "15:10"]  # 400 min, meal, 200 min
    assert sheet.cast[0].makeup == 450 - 120
    assert call_sheet_settings(call_sheet_scenario()[0]) == CallSheetSettings()


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ({"crew_call": "7点"}, "crew_call"),
        ({"meal_after": "25:00"}, "meal_after"),
        ({"reset_minutes": -5}, "reset_minutes"),
        ({"makeup_minutes": "sixty"}, "makeup_minutes"),
        ({"crew_cal": "07:00"}, "crew_cal"),
    ],
)
def test_bad_settings_are_refused_naming_the_key(settings: dict[str, Any], key: str):
    scenario, _plan = call_sheet_scenario()
    with pytest.raises(ValueError, match=rf"\[call_sheet\] {key}"):
        call_sheet_settings(replace(scenario, settings_extra={"call_sheet": settings}))


def test_a_crew_without_a_shoot_that_day_or_an_unknown_scene_is_refused():
    scenario, plan = call_sheet_scenario()
    with pytest.raises(ValueError, match="C02 does not shoot on 2026-12-06"):
        call_sheet(scenario, plan, "C02", day(5))
    wrong = Shoot("T01", day(1), "B01", "S01", "C01", ("2", "99"))
    with pytest.raises(ValueError, match="scene\\(s\\) 99"):
        shoot_scenes(scenario.title_by_id["T01"], wrong)


# -- PDF and the day's zip ----------------------------------------------------------------------


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return "".join(text.split())  # pdftotext drops or adds spaces around Chinese


def test_pdf_embeds_a_chinese_font_and_holds_the_sheets_text(tmp_path: Path):
    pdf = call_sheet_pdf.call_sheet_pdf(sheet_of("C01", 1), 3)
    assert pdf.startswith(b"%PDF")
    assert b"/FontFile" in pdf  # embedded, not named for the reader to find
    text = pdf_text(pdf, tmp_path)
    for shown in (
        "通告单",
        "《总裁的契约新娘》",
        "第 1 天 / 共 3 天",
        "2026-12-02",
        "郑州市中原区建设西路 1 号",
        "王总来访，撞见两人争吵",
        "林婉清（A01）",
        "14:10",
        "2026-12-03",
    ):
        assert "".join(shown.split()) in text, shown


def test_pdf_of_a_title_without_scenes_says_so(tmp_path: Path):
    text = pdf_text(call_sheet_pdf.call_sheet_pdf(sheet_of("C01", 5)), tmp_path)
    assert NO_SCENES in text and "萧景琰（A06）" in text


def test_missing_font_is_a_clear_chinese_and_english_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(call_sheet_pdf, "_installed_cjk_fonts", lambda: None)
    call_sheet_pdf.cjk_font.cache_clear()
    try:
        with pytest.raises(call_sheet_pdf.CjkFontMissing, match="fonts-noto-cjk") as missing:
            call_sheet_pdf.call_sheet_pdf(sheet_of("C01", 1))
        assert "中文字体" in str(missing.value) and "No Chinese font" in str(missing.value)
        assert call_sheet_pdf.font_problem() == str(missing.value)
    finally:
        call_sheet_pdf.cjk_font.cache_clear()
    monkeypatch.undo()
    assert call_sheet_pdf.font_problem() is None


def test_days_zip_holds_an_xlsx_and_a_pdf_per_crew_of_the_day():
    scenario, plan = call_sheet_scenario()
    with zipfile.ZipFile(io.BytesIO(day_zip(scenario, plan, day(1), 3))) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(
            f"郑州开封通告单测试_方案3_通告单_{crew}_2026-12-02.{extension}"
            for crew in ("C01_张导组", "C02_李导组")
            for extension in ("xlsx", "pdf")
        )
        for name in names:
            content = archive.read(name)
            if name.endswith(".pdf"):
                assert content.startswith(b"%PDF")
            else:
                sheet = openpyxl.load_workbook(io.BytesIO(content)).active
                assert sheet is not None
                crew = "张导组（C01）" if "C01" in name else "李导组（C02）"
                assert value_after(sheet, "剧组 crew") == crew


def test_days_zip_of_a_day_without_shoots_says_so():
    scenario, plan = call_sheet_scenario()
    with zipfile.ZipFile(io.BytesIO(day_zip(scenario, plan, day(4), 3))) as archive:
        assert archive.namelist() == ["休息.txt"]
    assert day_call_sheets(scenario, Plan(), day(1)) == []


# -- the Export page ------------------------------------------------------------------------


def test_export_page_offers_call_sheets_and_the_dood(tutorial_db: Any) -> None:
    from scheduler.check.kpis import compute_kpis
    from tests.app_pages import open_page

    store, _tutorial = tutorial_db
    scenario, plan = call_sheet_scenario()
    info = store.create(scenario)
    stored, version = store.load(info.scenario_id)
    kpis = compute_kpis(stored, plan, status="feasible", priority_bound=None, solve_seconds=0.0)
    store.save_plan(info.scenario_id, version, plan, kpis)

    app = open_page(info, "export.py")

    assert not app.exception
    keys = {button.key for button in app.get("download_button")}
    assert {
        "dl_call_sheet_xlsx",
        "dl_call_sheet_pdf",
        "dl_call_sheets_zip",
        "dl_dood_xlsx",
    } <= keys
    assert app.date_input(key="call_sheet_date").value == date(2026, 12, 2)  # the first shoot
    assert app.selectbox(key="call_sheet_crew").options == [
        "张导组（C01）·《总裁的契约新娘》",
        "李导组（C02）·《穿越之凤鸣九天》",
    ]
    frames = [frame.value for frame in app.dataframe]
    timetable = next(f for f in frames if "开始 start" in f.columns)
    assert list(timetable["场次 scene"]) == ["2", "1", "午饭", "3"]
    assert list(timetable["开始 start"]) == ["08:00", "10:10", "14:10", "15:10"]

    app.selectbox(key="call_sheet_crew").set_value("C02").run()
    assert not app.exception
    cast = next(f.value for f in app.dataframe if "化妆 make-up" in f.value.columns)
    assert list(cast["化妆 make-up"]) == ["06:30", "14:10"]

    app.date_input(key="call_sheet_date").set_value(date(2026, 12, 5)).run()
    assert not app.exception
    assert any("没有拍摄" in message.value for message in app.info)

    app.selectbox(key="dood_title").set_value("T01").run()
    dood = next(f.value for f in app.dataframe if "待命成本 hold cost" in f.value.columns)
    a01 = dood[dood["演员编号 actor id"] == "A01"].iloc[0]
    assert (a01["12-02 周三"], a01["12-03 周四"], a01["12-04 周五"]) == ("SW", "H", "WF")
