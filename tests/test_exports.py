"""Export files read back: plan.csv as the SPEC says, the plan workbook, per-crew schedules and
per-base booking sheets — every shoot once, each crew only its own, booked cells name title and
crew; and, opened with openpyxl as a spreadsheet opens them, every workbook ready to send on:
dates are date cells, headers bold and frozen, A4 landscape one page wide with the header rows
on every page, the crews' days off shown, the KPI sheet a summary with its details on further
sheets, weeks calendar weeks. Tutorial scenario (B1: S1 办公室, S2 别墅; B2: S3 医院, S4 办公室;
C1, C2; Tue 12-01 … Mon 12-07) solved by plan_scenario (12 shoots of 6 titles), plus hand-made
plans."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.app import exports as e
from scheduler.domain.model import Scenario, Unavailability
from scheduler.domain.plan import Plan, Shoot
from scheduler.io.plan_io import PLAN_COLUMNS, PLAN_FILE, SCENES_COLUMN, read_plan, write_plan
from scheduler.services.planning import PlanOutcome, plan_scenario


@pytest.fixture(scope="module")
def solved(tutorial: Scenario) -> PlanOutcome:
    outcome = plan_scenario(tutorial, time_limit=5)
    assert outcome.ok and len(outcome.plan.shoots) == 12
    return outcome


@pytest.fixture(scope="module")
def books(tutorial: Scenario, solved: PlanOutcome) -> dict[str, openpyxl.Workbook]:
    """The three workbooks of plan 7, opened as a spreadsheet opens them."""
    data = {
        "plan": e.plan_workbook(tutorial, solved.plan, solved.kpis, plan_id=7),
        "crews": e.crew_schedule_workbook(tutorial, solved.plan, plan_id=7),
        "bases": e.booking_workbook(tutorial, solved.plan, plan_id=7),
    }
    return {name: openpyxl.load_workbook(io.BytesIO(book)) for name, book in data.items()}


def shoot_keys(shoots) -> Counter:
    return Counter(
        (s.title_id, s.date.isoformat(), s.base_id, s.set_id, s.crew_id) for s in shoots
    )


def sheets(data: bytes, header: int | list[int] = 0) -> dict[str, pd.DataFrame]:
    return pd.read_excel(
        io.BytesIO(data), sheet_name=None, dtype=str, keep_default_na=False, header=header
    )


def column(sheet: Worksheet, name: str, header_rows: int = 1) -> list:
    """The cells of the column headed ``name`` below the header rows."""
    headers = [cell.value for cell in sheet[1]]
    letter = openpyxl.utils.get_column_letter(headers.index(name) + 1)
    return list(sheet[letter][header_rows:])


# -- CSV ------------------------------------------------------------------------------------


def test_plan_csv_is_what_write_plan_writes(solved: PlanOutcome, tmp_path: Path) -> None:
    data = e.plan_csv(solved.plan)
    write_plan(tmp_path / "written", solved.plan)
    assert data == (tmp_path / "written" / PLAN_FILE).read_bytes()
    (tmp_path / "read").mkdir()
    (tmp_path / "read" / PLAN_FILE).write_bytes(data)
    plan, _ = read_plan(tmp_path / "read")
    assert shoot_keys(plan.shoots) == shoot_keys(solved.plan.shoots)
    # the tutorial has a scene breakdown, so the scenes of each day come last
    assert data.decode("utf-8").splitlines()[0] == ",".join((*PLAN_COLUMNS, SCENES_COLUMN))


def test_unscheduled_csv_keeps_the_reasons() -> None:
    plan = Plan((), {"T3": "no 医院 set free, 12-01~12-02"})
    frame = pd.read_csv(io.BytesIO(e.unscheduled_csv(plan)))
    assert frame.to_dict("records") == [
        {"title_id": "T3", "reason": "no 医院 set free, 12-01~12-02"}
    ]


def test_one_crew_csv_has_only_that_crew_and_every_day(
    tutorial: Scenario, solved: PlanOutcome
) -> None:
    data = e.crew_schedule_csv(tutorial, solved.plan, "C2")
    assert data.startswith("\ufeff".encode())  # Excel reads the Chinese right
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert set(frame["剧组编号 crew id"]) == {"C2"}
    shoots = frame[frame["安排 duty"] == e.SHOOT_DAY]
    assert len(shoots) == sum(1 for s in solved.plan.shoots if s.crew_id == "C2")
    assert frame["日期 date"].tolist() == [when.isoformat() for when in tutorial.dates]


# -- the plan workbook ----------------------------------------------------------------------


def test_plan_workbook_has_the_plan_the_summary_and_its_details(
    tutorial: Scenario, solved: PlanOutcome
) -> None:
    plan = Plan(solved.plan.shoots[2:], {"T9": "试验 test reason"})
    book = sheets(e.plan_workbook(tutorial, plan, solved.kpis))
    assert list(book) == [
        e.PLAN_SHEET,
        e.UNSCHEDULED_SHEET,
        e.KPI_SHEET,
        e.DAILY_SHEET,
        e.WEEKLY_SHEET,
        e.IDLE_SHEET,
        e.BASES_SHEET,
        e.CREWS_SHEET,
    ]
    rows = book[e.PLAN_SHEET]
    assert list(rows.columns[:5]) == list(PLAN_COLUMNS)
    rows["date"] = [when[:10] for when in rows["date"]]  # pandas reads a date cell as a time
    read = Counter(tuple(r) for r in rows[list(PLAN_COLUMNS)].itertuples(index=False))
    assert read == shoot_keys(plan.shoots)  # every shoot exactly once
    assert book[e.UNSCHEDULED_SHEET]["reason"].tolist() == ["试验 test reason"]
    assert len(book[e.DAILY_SHEET]) == tutorial.days
    assert len(book[e.CREWS_SHEET]) == len(tutorial.crews)
    assert book[e.BASES_SHEET]["基地编号 base id"].tolist() == ["B1", "B2"]


def test_plan_dates_are_date_cells(books: dict[str, openpyxl.Workbook]) -> None:
    for sheet_name, name in (
        (e.PLAN_SHEET, "date"),
        (e.DAILY_SHEET, "日期 date"),
        (e.WEEKLY_SHEET, "起 from"),
        (e.WEEKLY_SHEET, "止 to"),
    ):
        cells = column(books["plan"][sheet_name], name)
        assert cells and all(cell.is_date for cell in cells), (sheet_name, name)
        assert {cell.number_format for cell in cells} == {e.DATE_FORMAT}
        assert all(isinstance(cell.value, datetime) for cell in cells)
    first = column(books["plan"][e.DAILY_SHEET], "日期 date")[0]
    assert first.value.date() == date(2026, 12, 1)


def test_unscheduled_window_is_dates_and_the_reason_text(tutorial: Scenario) -> None:
    data = e.plan_workbook(tutorial, Plan((), {"T3": "no 医院"}), {})
    sheet = openpyxl.load_workbook(io.BytesIO(data))[e.UNSCHEDULED_SHEET]
    (start,) = column(sheet, "最早开拍 earliest start")
    (due,) = column(sheet, "截止 due")
    assert start.is_date and start.value.date() == date(2026, 12, 1)
    assert due.is_date and due.value.date() == date(2026, 12, 2)
    (reason,) = column(sheet, "reason")
    assert reason.data_type == "s" and not reason.is_date


def kpi_sheet(data: bytes) -> dict[str, tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))[e.KPI_SHEET]
    assert [cell.value for cell in sheet[1]] == list(e.KPI_COLUMNS)
    return {row[3].value: row for row in sheet.iter_rows(min_row=2)}  # by the kpis.json key


def test_kpi_sheet_is_a_summary_with_chinese_labels(
    tutorial: Scenario, solved: PlanOutcome
) -> None:
    kpis = solved.kpis
    rows = kpi_sheet(e.plan_workbook(tutorial, solved.plan, kpis))
    labels = " ".join(row[0].value for row in rows.values())
    for label in ("状态", "已排剧目", "未排剧目", "优先级合计", "优先级上界", "成本（¥）"):
        assert label in labels
    for label in ("场景利用率", "每30天完成剧目", "每日并行拍摄 最少", "每日并行拍摄 平均"):
        assert label in labels
    assert len(rows) < 40  # a page to read, not a dump of every key
    assert not any("idle_set_days" in key or "by_" in key for key in rows)
    assert rows["scheduled_titles"][1].value == kpis["scheduled_titles"]
    assert rows["cost"][1].value == kpis["cost"]
    assert rows["cost"][1].number_format == e.COUNT_FORMAT  # ¥ 1,234,567
    assert rows["cost_split.sets"][1].value == kpis["cost_split"]["sets"]
    assert rows["set_utilisation"][1].number_format == e.PERCENT_FORMAT  # 25.4%
    assert rows["parallel_shoots.mean"][1].number_format == e.DECIMAL_FORMAT
    assert rows["status"][1].value == e.STATUS_LABELS[kpis["status"]]
    target = kpis["targets"]["parallel_shoots_per_day"]
    assert f"目标 {target} 场/天" in rows["parallel_shoots.mean"][2].value


@pytest.mark.parametrize(
    ("per_30", "shown"),
    [(421.94, 422), (421.5, 422), (421.49, 421), (400.0, 400)],  # whole titles, half up
)
def test_titles_per_30_days_are_whole_titles(
    tutorial: Scenario, per_30: float, shown: int
) -> None:
    kpis = {"titles_per_30_days": per_30, "targets": {"titles_per_month": 400}}
    row = kpi_sheet(e.plan_workbook(tutorial, Plan(), kpis))["titles_per_30_days"]
    assert row[1].value == shown and isinstance(row[1].value, int)
    assert row[1].number_format == e.COUNT_FORMAT
    assert row[2].value == (
        "目标 400 部/月，" + (f"差 {400 - shown} 部" if shown < 400 else "已达标")
    )


def test_kpi_share_of_the_bound_needs_a_bound(tutorial: Scenario) -> None:
    # kept: a bound of 200 for 150 scheduled is a share of 75.0 %
    rows = kpi_sheet(
        e.plan_workbook(tutorial, Plan(), {"priority_scheduled": 150, "priority_bound": 200})
    )
    share = rows["priority_scheduled/priority_bound"][1]
    assert share.value == 0.75 and share.number_format == e.PERCENT_FORMAT
    assert rows["priority_scheduled"][2].value == "上界 200"
    # broken: no bound proven, no share and the note says so
    rows = kpi_sheet(
        e.plan_workbook(tutorial, Plan(), {"priority_scheduled": 150, "priority_bound": None})
    )
    assert "priority_scheduled/priority_bound" not in rows
    assert rows["priority_scheduled"][2].value == "无已证明的上界"


def test_kpi_sheet_lists_problems_only_when_there_are_some(tutorial: Scenario) -> None:
    clean = kpi_sheet(e.plan_workbook(tutorial, Plan(), {"problems": []}))
    assert "problems" not in clean
    rows = kpi_sheet(e.plan_workbook(tutorial, Plan(), {"problems": ["规则 4：S1 12-01 两场"]}))
    assert rows["problems"][1].value == 1 and rows["problems"][2].value == "规则 4：S1 12-01 两场"


def test_idle_sheet_is_base_by_set_type_by_calendar_week(
    tutorial: Scenario, solved: PlanOutcome, books: dict[str, openpyxl.Workbook]
) -> None:
    sheet = books["plan"][e.IDLE_SHEET]
    header = [cell.value for cell in sheet[1]]
    # Tue 12-01 … Sun 12-06 is ISO week 49, Mon 12-07 begins week 50
    weeks = ["第49周 12-01~12-06", "第50周 12-07~12-07"]
    assert header == ["基地编号 base id", "基地 base", "场景类型 set type", *weeks, "合计 total"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[:3] for row in rows[:-1]] == [
        ["B1", "郑州金水影视基地", "别墅"],
        ["B1", "郑州金水影视基地", "办公室"],
        ["B2", "郑东新区短剧产业园", "办公室"],
        ["B2", "郑东新区短剧产业园", "医院"],
    ]  # bases in file order, set types sorted
    total = rows[-1]
    assert total[0] == "合计 total"
    kpi_idle = sum(
        days
        for types in solved.kpis["idle_set_days"].values()
        for weeks_of in types.values()
        for days in weeks_of.values()
    )
    assert total[-1] == kpi_idle  # the same idle set-days as the KPIs, bucketed by calendar week
    assert all(row[-1] == sum(row[3:-1]) for row in rows)
    assert all(cell.number_format == e.COUNT_FORMAT for cell in sheet[2][3:])


def test_weekly_sheet_counts_every_shoot_once(
    solved: PlanOutcome, books: dict[str, openpyxl.Workbook]
) -> None:
    sheet = books["plan"][e.WEEKLY_SHEET]
    shoots = [cell.value for cell in column(sheet, "拍摄场次 shoots")]
    assert sum(shoots) == len(solved.plan.shoots)
    assert [cell.value for cell in column(sheet, "天数 days")] == [6, 1]
    utilisation = column(sheet, "场景利用率 set utilisation")
    assert {cell.number_format for cell in utilisation} == {e.PERCENT_FORMAT}


# -- crew schedules -------------------------------------------------------------------------


def test_crew_schedule_has_every_crew_on_every_day(
    tutorial: Scenario, solved: PlanOutcome
) -> None:
    schedule = e.crew_schedule(tutorial, solved.plan)
    assert len(schedule) == len(tutorial.crews) * tutorial.days  # one shoot a day at most
    shoots = schedule[schedule["安排 duty"] == e.SHOOT_DAY]
    pairs = Counter(zip(shoots["剧目编号 title id"], shoots["日期 date"], strict=True))
    assert pairs == Counter((s.title_id, s.date) for s in solved.plan.shoots)
    crews = schedule["剧组编号 crew id"].tolist()
    assert crews == sorted(crews)  # grouped by crew (C1's days first), by date within a crew
    for _crew, days in schedule.groupby("剧组编号 crew id"):
        assert days["日期 date"].tolist() == list(tutorial.dates)


def test_crew_schedule_names_base_set_title_and_cast(tutorial: Scenario) -> None:
    plan = Plan((Shoot("T1", date(2026, 12, 1), "B1", "S1", "C1"),))
    row = e.crew_schedule(tutorial, plan).iloc[0].to_dict()
    assert row == {
        "剧组编号 crew id": "C1",
        "剧组 crew": "张导剧组",
        "日期 date": date(2026, 12, 1),
        "星期 weekday": "周二",
        "安排 duty": "拍摄",
        "基地 base": "郑州金水影视基地",
        "场景 set": "S1",
        "场景类型 set type": "办公室",
        "剧目编号 title id": "T1",
        "剧目 title": "闪婚后霸总他真香了",
        "演员 cast": "林婉儿、陈子轩",
        "备注 note": "",
    }


def test_a_crew_day_without_a_shoot_is_a_day_off_or_unavailable_with_its_note(
    tutorial: Scenario,
) -> None:
    off = Unavailability("crew", "C1", date(2026, 12, 3), date(2026, 12, 4), note="导演请假")
    scenario = replace(tutorial, unavailable=(off,))
    plan = Plan((Shoot("T1", date(2026, 12, 1), "B1", "S1", "C1"),))
    c1 = e.crew_schedule(scenario, plan).set_index("日期 date")
    c1 = c1[c1["剧组编号 crew id"] == "C1"]
    assert c1.loc[date(2026, 12, 1), "安排 duty"] == "拍摄"
    # kept: 12-02 has no shoot and C1 is available — a day off, no note
    assert c1.loc[date(2026, 12, 2), ["安排 duty", "备注 note"]].tolist() == ["休息", ""]
    # broken: 12-03 and 12-04 C1 is unavailable — said so, with the note of unavailable.csv
    for when in (date(2026, 12, 3), date(2026, 12, 4)):
        assert c1.loc[when, ["安排 duty", "备注 note"]].tolist() == ["不可用", "导演请假"]
    assert c1.loc[date(2026, 12, 5), "安排 duty"] == "休息"
    grid = e.crew_grid(scenario, plan).set_index("剧组编号 crew id")
    assert grid.loc["C1", "12-01 周二"] == "闪婚后霸总他真香了"
    assert grid.loc["C1", "12-02 周三"] == "休息"
    assert grid.loc["C1", "12-03 周四"] == "不可用：导演请假"


def test_crew_workbook_shows_days_off_as_dates(
    tutorial: Scenario, solved: PlanOutcome, books: dict[str, openpyxl.Workbook]
) -> None:
    book = books["crews"]
    assert book.sheetnames == [e.CREW_GRID_SHEET, e.ALL_CREWS_SHEET, "C1 张导剧组", "C2 李导剧组"]
    for crew_id, name in (("C1", "C1 张导剧组"), ("C2", "C2 李导剧组")):
        sheet = book[name]
        assert {cell.value for cell in column(sheet, "剧组编号 crew id")} == {crew_id}
        dates = column(sheet, "日期 date")
        assert all(cell.is_date and cell.number_format == e.DATE_FORMAT for cell in dates)
        assert [cell.value.date() for cell in dates] == list(tutorial.dates)
        duties = Counter(cell.value for cell in column(sheet, "安排 duty"))
        shoot_days = len({s.date for s in solved.plan.shoots if s.crew_id == crew_id})
        assert duties == Counter({"拍摄": shoot_days, "休息": tutorial.days - shoot_days})
    grid = book[e.CREW_GRID_SHEET]
    assert [cell.value for cell in grid["A"][2:]] == ["C1", "C2"]
    assert all(cell.is_date for cell in grid[1][2:])  # a date cell heads each day
    assert [cell.value for cell in grid[2][2:4]] == ["周二", "周三"]


# -- booking sheets -------------------------------------------------------------------------


def test_booking_sheet_cell_names_title_and_crew(tutorial: Scenario) -> None:
    closed = replace(
        tutorial, unavailable=(Unavailability("set", "S2", date(2026, 12, 7), date(2026, 12, 7)),)
    )
    plan = Plan((Shoot("T1", date(2026, 12, 1), "B1", "S1", "C1"),))
    b1 = e.booking_sheet(closed, plan, "B1").set_index("场景 set")
    assert list(b1.columns[:2]) == ["场景类型 set type", "12-01 周二"]
    assert len(b1.columns) == 1 + tutorial.days
    assert b1.loc["S1", "12-01 周二"] == "闪婚后霸总他真香了 / 张导剧组"
    assert b1.loc["S1", "12-02 周三"] == ""  # idle
    assert b1.loc["S2", "12-07 周一"] == e.CLOSED_CELL
    b2 = e.booking_sheet(closed, plan, "B2")
    assert set(b2["场景 set"]) == {"S3", "S4"}
    assert not b2.iloc[:, 2:].map(bool).to_numpy().any()  # nothing booked at B2

    sheet = openpyxl.load_workbook(io.BytesIO(e.booking_workbook(closed, plan)))[
        "B1 郑州金水影视基地"
    ]
    assert [cell.value for cell in sheet[1][:2]] == ["场景 set", "场景类型 set type"]
    heads = sheet[1][2:]
    assert all(cell.is_date for cell in heads)  # the day columns are headed by real dates
    assert [cell.value.date() for cell in heads] == list(tutorial.dates)
    assert [cell.value for cell in sheet[2][2:]] == [
        "周二",
        "周三",
        "周四",
        "周五",
        "周六",
        "周日",
        "周一",
    ]
    assert sheet["C3"].value == "闪婚后霸总他真香了 / 张导剧组"
    assert sheet["I4"].value == e.CLOSED_CELL and sheet["I4"].fill.fgColor.rgb.endswith("D9D9D9")
    assert sheet["G1"].fill.fgColor.rgb.endswith("FCE4D6")  # Saturday 12-05 shaded


def test_booking_sheet_books_every_shoot_once(tutorial: Scenario, solved: PlanOutcome) -> None:
    cells = []
    for base in tutorial.bases:
        sheet = e.booking_sheet(tutorial, solved.plan, base.base_id)
        cells += [v for v in sheet.iloc[:, 2:].to_numpy().ravel() if v]
    assert len(cells) == len(solved.plan.shoots)


# -- every workbook: header, print set-up, widths, names ------------------------------------


HEADER_ROWS = {"plan": 1, "crews": 1, "bases": 2}


def test_every_sheet_has_a_bold_frozen_header(books: dict[str, openpyxl.Workbook]) -> None:
    for kind, book in books.items():
        for sheet in book.worksheets:
            rows = 2 if kind == "bases" or sheet.title == e.CREW_GRID_SHEET else 1
            assert sheet.freeze_panes is not None, sheet.title
            assert sheet.freeze_panes.endswith(str(rows + 1)), sheet.title
            assert all(cell.font.bold for cell in sheet[1] if cell.value is not None)
            assert not any(cell.font.bold for cell in sheet[rows + 1])
    assert books["bases"]["B1 郑州金水影视基地"].freeze_panes == "C3"  # and the set columns
    assert books["plan"][e.PLAN_SHEET].freeze_panes == "B2"  # and the title id


def test_every_sheet_prints_a4_landscape_one_page_wide_with_its_header(
    books: dict[str, openpyxl.Workbook],
) -> None:
    for kind, book in books.items():
        for sheet in book.worksheets:
            rows = 2 if kind == "bases" or sheet.title == e.CREW_GRID_SHEET else 1
            setup = sheet.page_setup
            assert setup.orientation == "landscape", sheet.title
            assert str(setup.paperSize) == sheet.PAPERSIZE_A4  # read back as 9, the constant "9"
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
            assert sheet.print_title_rows == f"$1:${rows}"
            assert "教程：两个基地一周 · 方案7" in sheet.oddHeader.left.text
            assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text


def test_columns_fit_their_content_and_chinese_counts_double(
    books: dict[str, openpyxl.Workbook],
) -> None:
    sheet = books["plan"][e.PLAN_SHEET]
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}
    # 闪婚后霸总他真香了: 9 characters, 18 columns wide; crew_id C1 is short
    assert widths["剧目 title"] >= 18
    assert widths["crew_id"] < widths["剧组 crew"]
    assert widths["date"] >= len("2026-12-01")
    assert all(width <= e.MAX_WIDTH for width in widths.values())


def test_long_text_wraps_in_a_taller_row(tutorial: Scenario) -> None:
    reason = "没有空闲的医院棚" * 20  # 320 columns wide: 7 lines of 50 each
    endless = "无" * 2000  # more than a row can show: the row stops growing at MAX_LINES
    data = e.plan_workbook(tutorial, Plan((), {"T3": reason, "T4": endless}), {})
    sheet = openpyxl.load_workbook(io.BytesIO(data))[e.UNSCHEDULED_SHEET]
    first, _ = column(sheet, "reason")
    assert sheet.column_dimensions[first.column_letter].width == e.MAX_WIDTH
    assert first.alignment.wrap_text
    assert sheet.row_dimensions[2].height == e.LINE_HEIGHT * 7
    assert sheet.row_dimensions[3].height == e.LINE_HEIGHT * e.MAX_LINES
    title, _ = column(sheet, "剧目 title")
    assert not title.alignment.wrap_text  # short text stays on one line
    assert title.alignment.vertical == "top"  # beside wrapped text it starts at the top


def test_a_long_header_wraps_over_a_narrow_column(tutorial: Scenario) -> None:
    data = e.plan_workbook(tutorial, Plan((), {"T3": "no 医院"}), {})
    sheet = openpyxl.load_workbook(io.BytesIO(data))[e.UNSCHEDULED_SHEET]
    (start,) = column(sheet, "最早开拍 earliest start")  # 24 columns over a 10-wide date
    assert sheet.column_dimensions[start.column_letter].width == e.HEADER_WIDTH + 2
    assert sheet[1][0].alignment.wrap_text and sheet.row_dimensions[1].height > e.LINE_HEIGHT


def test_sheet_names_are_safe_and_unique() -> None:
    names = e._sheet_names(["a/b:c", "x" * 40, "x" * 40, "A/B:C"])
    assert names[0] == "a_b_c"
    assert all(len(name) <= 31 for name in names)
    assert len({name.lower() for name in names}) == 4


def test_file_names_carry_scenario_plan_and_date() -> None:
    made = date(2026, 12, 4)
    assert e.file_name("郑州基地群 12月", "排期", 3, "xlsx", made) == (
        "郑州基地群12月_方案3_排期_2026-12-04.xlsx"
    )
    assert e.file_name("郑州基地群 12月", "plan", 3, "csv", made) == (
        "郑州基地群12月_方案3_plan_2026-12-04.csv"
    )
    # a stored time is UTC; the date is Beijing's: 17:00 UTC on 12-03 is 01:00 on 12-04
    stored = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    assert e.file_name("月", "排期", 3, "xlsx", stored).endswith("_2026-12-04.xlsx")


@pytest.mark.parametrize(
    ("scenario_name", "expected"),
    [
        ("郑州/开封 12月", "郑州_开封12月_方案7_排期_2026-12-04.xlsx"),  # no path separators
        ('a\\b:c*d?e"f<g>h|i', "a_b_c_d_e_f_g_h_i_方案7_排期_2026-12-04.xlsx"),
        ("Zhengzhou Dec. ", "Zhengzhou-Dec_方案7_排期_2026-12-04.xlsx"),  # no trailing dot
        ("tab\there\n", "tab_here_方案7_排期_2026-12-04.xlsx"),  # no control characters
        ("***", "scenario_方案7_排期_2026-12-04.xlsx"),
    ],
)
def test_file_names_are_safe_on_windows(scenario_name: str, expected: str) -> None:
    name = e.file_name(scenario_name, "排期", 7, "xlsx", date(2026, 12, 4))
    assert name == expected
    assert not set(name) & set('\\/:*?"<>|') and name.isprintable()


@pytest.mark.parametrize(("proven", "shown"), [(0.052, 0.052), (None, "未证明 not proven")])
def test_the_moment_priority_was_proven_is_a_figure_in_seconds(
    proven: float | None, shown: object
) -> None:
    (row,) = [r for r in e.kpi_rows({"priority_proven_seconds": proven})]
    assert (row.value, row.label) == (shown, "证明最优用时（秒） priority proven at")
    assert row.number_format == ("0.000" if proven is not None else None)
