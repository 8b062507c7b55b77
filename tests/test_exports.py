"""Export files read back: plan.csv as the SPEC says, the plan workbook, per-crew schedules and
per-base booking sheets — every shoot once, each crew only its own, booked cells name title and
crew. Tutorial scenario solved by plan_scenario (12 shoots of 6 titles), plus hand-made plans."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scheduler.app import exports as e
from scheduler.domain.model import Scenario, Unavailability
from scheduler.domain.plan import Plan, Shoot
from scheduler.io.plan_io import PLAN_COLUMNS, PLAN_FILE, read_plan, write_plan
from scheduler.services.planning import PlanOutcome, plan_scenario


@pytest.fixture(scope="module")
def solved(tutorial: Scenario) -> PlanOutcome:
    outcome = plan_scenario(tutorial, time_limit=5)
    assert outcome.ok and len(outcome.plan.shoots) == 12
    return outcome


def shoot_keys(shoots) -> Counter:
    return Counter(
        (s.title_id, s.date.isoformat(), s.base_id, s.set_id, s.crew_id) for s in shoots
    )


def sheets(data: bytes) -> dict[str, pd.DataFrame]:
    return pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, keep_default_na=False)


def test_plan_csv_is_what_write_plan_writes(solved: PlanOutcome, tmp_path: Path) -> None:
    data = e.plan_csv(solved.plan)
    write_plan(tmp_path / "written", solved.plan)
    assert data == (tmp_path / "written" / PLAN_FILE).read_bytes()
    (tmp_path / "read").mkdir()
    (tmp_path / "read" / PLAN_FILE).write_bytes(data)
    plan, _ = read_plan(tmp_path / "read")
    assert shoot_keys(plan.shoots) == shoot_keys(solved.plan.shoots)
    assert data.decode("utf-8").splitlines()[0] == ",".join(PLAN_COLUMNS)


def test_unscheduled_csv_keeps_the_reasons() -> None:
    plan = Plan((), {"T3": "no 医院 set free, 12-01~12-02"})
    frame = pd.read_csv(io.BytesIO(e.unscheduled_csv(plan)))
    assert frame.to_dict("records") == [
        {"title_id": "T3", "reason": "no 医院 set free, 12-01~12-02"}
    ]


def test_plan_workbook_has_plan_unscheduled_and_kpi_sheets(
    tutorial: Scenario, solved: PlanOutcome
) -> None:
    plan = Plan(solved.plan.shoots[2:], {"T9": "试验 test reason"})
    book = sheets(e.plan_workbook(tutorial, plan, solved.kpis))
    assert list(book) == [e.PLAN_SHEET, e.UNSCHEDULED_SHEET, e.KPI_SHEET, e.DAILY_SHEET]
    rows = book[e.PLAN_SHEET]
    assert list(rows.columns[:5]) == list(PLAN_COLUMNS)
    read = Counter(tuple(r) for r in rows[list(PLAN_COLUMNS)].itertuples(index=False))
    assert read == shoot_keys(plan.shoots)  # every shoot exactly once
    assert book[e.UNSCHEDULED_SHEET]["reason"].tolist() == ["试验 test reason"]
    kpi = book[e.KPI_SHEET].set_index("指标 KPI")["值 value"]
    assert kpi["cost"] == str(solved.kpis["cost"])
    assert kpi["cost_split.sets"] == str(solved.kpis["cost_split"]["sets"])
    daily = book[e.DAILY_SHEET]
    assert len(daily) == tutorial.days


def test_every_shoot_is_in_the_crew_schedule_once(tutorial: Scenario, solved: PlanOutcome) -> None:
    book = sheets(e.crew_schedule_workbook(tutorial, solved.plan))
    everyone = book[e.ALL_CREWS_SHEET]
    assert len(everyone) == len(solved.plan.shoots)
    pairs = Counter(zip(everyone["剧目编号 title id"], everyone["日期 date"], strict=True))
    assert pairs == Counter((s.title_id, s.date.isoformat()) for s in solved.plan.shoots)
    # grouped by crew (C1's rows first), by date within a crew
    crews = everyone["剧组编号 crew id"].tolist()
    assert crews == sorted(crews)


def test_a_crew_sheet_holds_only_its_own_shoots(tutorial: Scenario, solved: PlanOutcome) -> None:
    book = sheets(e.crew_schedule_workbook(tutorial, solved.plan))
    assert set(book) == {e.ALL_CREWS_SHEET, "C1 张导剧组", "C2 李导剧组"}
    for crew_id, sheet in (("C1", "C1 张导剧组"), ("C2", "C2 李导剧组")):
        rows = book[sheet]
        assert set(rows["剧组编号 crew id"]) == {crew_id}
        assert len(rows) == sum(1 for s in solved.plan.shoots if s.crew_id == crew_id)
        assert rows["日期 date"].tolist() == sorted(rows["日期 date"])


def test_crew_schedule_names_base_set_title_and_cast(tutorial: Scenario) -> None:
    plan = Plan((Shoot("T1", date(2026, 12, 1), "B1", "S1", "C1"),))
    row = e.crew_schedule(tutorial, plan).iloc[0].to_dict()
    assert row == {
        "剧组编号 crew id": "C1",
        "剧组 crew": "张导剧组",
        "日期 date": "2026-12-01",
        "星期 weekday": "周二",
        "基地 base": "郑州金水影视基地",
        "场景 set": "S1",
        "场景类型 set type": "办公室",
        "剧目编号 title id": "T1",
        "剧目 title": "闪婚后霸总他真香了",
        "演员 cast": "林婉儿、陈子轩",
    }


def test_booking_sheet_cell_names_title_and_crew(tutorial: Scenario) -> None:
    closed = replace(
        tutorial, unavailable=(Unavailability("set", "S2", date(2026, 12, 7), date(2026, 12, 7)),)
    )
    plan = Plan((Shoot("T1", date(2026, 12, 1), "B1", "S1", "C1"),))
    book = sheets(e.booking_workbook(closed, plan))
    assert list(book) == ["B1 郑州金水影视基地", "B2 郑东新区短剧产业园"]
    b1 = book["B1 郑州金水影视基地"].set_index("场景 set")
    assert list(b1.columns[:2]) == ["场景类型 set type", "12-01 周二"]
    assert len(b1.columns) == 1 + tutorial.days
    assert b1.loc["S1", "12-01 周二"] == "闪婚后霸总他真香了 / 张导剧组"
    assert b1.loc["S1", "12-02 周三"] == ""  # idle
    assert b1.loc["S2", "12-07 周一"] == e.CLOSED_CELL
    b2 = book["B2 郑东新区短剧产业园"]
    assert set(b2["场景 set"]) == {"S3", "S4"}
    assert not b2.iloc[:, 2:].map(bool).to_numpy().any()  # nothing booked at B2


def test_booking_sheet_books_every_shoot_once(tutorial: Scenario, solved: PlanOutcome) -> None:
    cells = []
    for base in tutorial.bases:
        sheet = e.booking_sheet(tutorial, solved.plan, base.base_id)
        cells += [v for v in sheet.iloc[:, 2:].to_numpy().ravel() if v]
    assert len(cells) == len(solved.plan.shoots)


def test_workbook_freezes_the_header_and_sizes_columns(tutorial: Scenario) -> None:
    data = e.booking_workbook(tutorial, Plan(), ["B1"])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["B1 郑州金水影视基地"]
    assert sheet.freeze_panes == "C2"  # header row and the set columns stay in view
    assert sheet.column_dimensions["A"].width >= len("场景 set")


def test_sheet_names_are_safe_and_unique() -> None:
    names = e._sheet_names(["a/b:c", "x" * 40, "x" * 40, "A/B:C"])
    assert names[0] == "a_b_c"
    assert all(len(name) <= 31 for name in names)
    assert len({name.lower() for name in names}) == 4


def test_file_names_have_no_path_separators() -> None:
    assert e.file_name("郑州/开封 12月", "排期", 7, "xlsx") == "郑州_开封 12月_排期_方案7.xlsx"


def test_one_crew_csv_has_only_that_crew(tutorial: Scenario, solved: PlanOutcome) -> None:
    data = e.crew_schedule_csv(tutorial, solved.plan, "C2")
    assert data.startswith("\ufeff".encode())  # Excel reads the Chinese right
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert set(frame["剧组编号 crew id"]) == {"C2"}
    assert len(frame) == sum(1 for s in solved.plan.shoots if s.crew_id == "C2")
