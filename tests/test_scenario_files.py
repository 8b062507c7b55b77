"""Uploads and downloads of whole scenarios: .zip of a CSV folder and .xlsx, as bytes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.io.scenario_files import (
    scenario_from_upload,
    scenario_to_xlsx_bytes,
    scenario_to_zip_bytes,
)
from scheduler.io.tables import write_scenario
from scheduler.io.validation import load_scenario
from tests.factories import SAMPLES, tiny_scenario

MONTH = SAMPLES / "zhengzhou-month"


@pytest.fixture(scope="module")
def month() -> Scenario:
    return load_scenario(MONTH)


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def folder_files(scenario: Scenario, tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / "folder"
    write_scenario(scenario, folder)
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def problems_of(error: pytest.ExceptionInfo[ScenarioError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


# -- round trips ----------------------------------------------------------------------


def test_month_round_trips_through_xlsx_bytes(month: Scenario) -> None:
    data = scenario_to_xlsx_bytes(month)
    assert data[:2] == b"PK"
    assert scenario_from_upload("", data, "month.xlsx") == month


def test_month_round_trips_through_zip_bytes(month: Scenario) -> None:
    data = scenario_to_zip_bytes(month, "郑州12月")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # nested one level, as zipping a folder makes it; optional empty sheets left out
        assert sorted(archive.namelist())[0] == "郑州12月/actors.csv"
    assert scenario_from_upload("", data, "month.zip") == month


def test_a_zip_with_the_files_at_its_top_reads(tmp_path: Path) -> None:
    scenario = tiny_scenario()
    assert scenario_from_upload("", zip_of(folder_files(scenario, tmp_path))) == scenario


def test_a_name_given_replaces_the_settings_name(tmp_path: Path) -> None:
    scenario = tiny_scenario()
    data = scenario_to_xlsx_bytes(scenario)
    assert scenario_from_upload(" 新名字 ", data) == replace(scenario, name="新名字")
    assert scenario_from_upload("  ", data) == scenario


def test_macos_resource_forks_and_other_files_are_ignored(tmp_path: Path) -> None:
    scenario = tiny_scenario()
    files = {f"场景/{name}": content for name, content in folder_files(scenario, tmp_path).items()}
    files["__MACOSX/场景/._titles.csv"] = b"\x00\x05\x16\x07 not csv"
    files["场景/README.txt"] = b"notes"
    assert scenario_from_upload("", zip_of(files)) == scenario


# -- problems -------------------------------------------------------------------------


def test_a_broken_workbook_lists_every_problem_by_sheet_row_and_column() -> None:
    workbook = load_workbook(io.BytesIO(scenario_to_xlsx_bytes(tiny_scenario())))
    workbook["titles"]["D3"] = -1  # T02's priority (column D), on line 3
    workbook["crews"]["C2"] = "B99"  # C01's home_base_id
    workbook["sets"]["D5"] = "很贵"  # S04's day_rate
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ScenarioError) as caught:
        scenario_from_upload("坏的", buffer.getvalue(), "bad.xlsx")
    assert problems_of(caught) == [
        "sets:5:day_rate: 很贵 is not a whole number; expected whole yuan 0…10,000,000",
        "crews:2:home_base_id: B99 is not in bases; expected a base_id listed there",
        "titles:3:priority: -1 is less than 1; expected an integer 1…1,000",
    ]


def test_a_broken_zip_lists_every_problem_by_file_row_and_column(tmp_path: Path) -> None:
    files = folder_files(tiny_scenario(), tmp_path)
    files["titles.csv"] = files["titles.csv"].replace(
        b"2026-12-01,2026-12-10", "2026-12-01,12月10日".encode()
    )
    files["actors.csv"] = files["actors.csv"].replace(b"A02,", b"A01,")
    del files["bases.csv"]
    data = zip_of({f"输入/{name}": content for name, content in files.items()})
    with pytest.raises(ScenarioError) as caught:
        scenario_from_upload("", data, "bad.zip")
    assert [problem.split(" ")[0] for problem in problems_of(caught)] == [
        "bases.csv:0:*:",
        "actors.csv:3:actor_id:",  # A01 again
        "titles.csv:2:due_date:",
        "titles.csv:2:cast:",  # A02 is gone
        "titles.csv:4:cast:",
    ]
    assert "12月10日 is not a date" in str(caught.value)


def test_a_file_that_is_neither_zip_nor_xlsx_is_refused_clearly() -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_upload("", "title_id,name\nT1,某剧\n".encode(), "titles.csv")
    assert problems_of(caught) == [
        "titles.csv:0:*: is neither a .zip of a scenario's CSV files nor an .xlsx workbook; "
        "expected one of them"
    ]
    assert "既不是场景 CSV 文件的 .zip 压缩包" in caught.value.problems[0].message_zh


def test_an_old_xls_workbook_is_refused_with_what_to_do() -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_upload("", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧.xls")
    assert "save it as .xlsx" in problems_of(caught)[0]


def test_a_zip_without_scenario_files_is_refused() -> None:
    data = zip_of({"photos/a.jpg": b"\xff\xd8", "deep/down/here/titles.csv": b"title_id\n"})
    with pytest.raises(ScenarioError) as caught:
        scenario_from_upload("", data, "photos.zip")
    assert problems_of(caught)[0].startswith("photos.zip:0:*: holds no scenario files")


def test_a_zip_of_two_scenarios_is_refused(tmp_path: Path) -> None:
    files = folder_files(tiny_scenario(), tmp_path)
    data = zip_of({**{f"a/{k}": v for k, v in files.items()}, "b/titles.csv": files["titles.csv"]})
    with pytest.raises(ScenarioError) as caught:
        scenario_from_upload("", data, "two.zip")
    assert "several folders (a, b)" in problems_of(caught)[0]


def test_a_damaged_workbook_is_refused_not_crashed() -> None:
    data = zip_of({"xl/workbook.xml": b"<not really>", "[Content_Types].xml": b""})
    with pytest.raises(ScenarioError) as caught:
        scenario_from_upload("", data, "broken.xlsx")
    assert problems_of(caught)[0].startswith("broken.xlsx:0:*: cannot be read")
