"""Round trips: a scenario written as CSV or .xlsx and read back is the same scenario."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from scheduler.domain.model import Scenario
from scheduler.io.tables import SHEETS, read_tables, write_scenario, write_tables
from scheduler.io.validation import load_scenario
from tests.factories import file_scenarios, scene_scenario, tiny_scenario

SHEET_FILES = ["scenario.toml", *(f"{spec.name}.csv" for spec in SHEETS)]
TINY_FILES = [name for name in SHEET_FILES if name != "scenes.csv"]
"""The tiny scenario has rows in every sheet but scenes (it has no scene breakdown)."""


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# -- the tiny scenario ------------------------------------------------------------------


def test_csv_folder_round_trip(tmp_path: Path) -> None:
    write_scenario(tiny_scenario(), tmp_path / "tiny")
    assert load_scenario(tmp_path / "tiny") == tiny_scenario()


def test_workbook_round_trip(tmp_path: Path) -> None:
    write_scenario(tiny_scenario(), tmp_path / "tiny.xlsx")
    assert load_scenario(tmp_path / "tiny.xlsx") == tiny_scenario()


def test_csv_to_workbook_to_csv_keeps_every_byte(tmp_path: Path) -> None:
    write_scenario(tiny_scenario(), tmp_path / "first")
    write_tables(read_tables(tmp_path / "first"), tmp_path / "tiny.xlsx")
    write_tables(read_tables(tmp_path / "tiny.xlsx"), tmp_path / "second")
    first = folder_bytes(tmp_path / "first")
    # an optional file without rows is not written; the workbook holds its sheet, header
    # only, and writing that back leaves the file absent again
    assert sorted(first) == sorted(TINY_FILES)
    assert read_tables(tmp_path / "tiny.xlsx").tables["scenes"].rows == []
    assert folder_bytes(tmp_path / "second") == first


def test_a_scene_breakdown_keeps_every_byte_through_a_workbook(tmp_path: Path) -> None:
    write_scenario(scene_scenario(), tmp_path / "first")
    write_tables(read_tables(tmp_path / "first"), tmp_path / "scenes.xlsx")
    write_tables(read_tables(tmp_path / "scenes.xlsx"), tmp_path / "second")
    first = folder_bytes(tmp_path / "first")
    assert "scenes.csv" in first
    assert folder_bytes(tmp_path / "second") == first
    assert load_scenario(tmp_path / "second") == scene_scenario()


def test_unknown_columns_survive_both_formats(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    write_scenario(tiny_scenario(), folder)
    # A producer's own columns: one in the middle of bases.csv, one at the end of sets.csv.
    bases = folder / "bases.csv"
    bases.write_text(
        "base_id,name,联系人,city,max_crews\n"
        "B01,郑州影视基地,赵经理,郑州,2\n"
        "B02,开封清明上河园基地,,开封,\n",
        encoding="utf-8",
    )
    sets = folder / "sets.csv"
    lines = sets.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",面积㎡", *(line + f",{100 * n}" for n, line in enumerate(lines[1:], 1))]
    sets.write_text("\n".join(lines) + "\n", encoding="utf-8")

    scenario = load_scenario(folder)
    assert scenario.bases[0].extra == {"联系人": "赵经理"}
    assert scenario.bases[1].extra == {"联系人": ""}
    assert [film_set.extra["面积㎡"] for film_set in scenario.sets] == ["100", "200", "300", "400"]

    # Raw sheets keep the column where it stood, through a workbook and back.
    write_tables(read_tables(folder), tmp_path / "copy.xlsx")
    write_tables(read_tables(tmp_path / "copy.xlsx"), tmp_path / "copy")
    assert folder_bytes(tmp_path / "copy") == folder_bytes(folder)

    # The scenario keeps the values (extra columns are written after the known ones).
    write_scenario(scenario, tmp_path / "again.xlsx")
    assert load_scenario(tmp_path / "again.xlsx") == scenario


def test_extra_settings_with_lists_survive_both_formats(tmp_path: Path) -> None:
    # TOML allows arrays in scenario.toml; the workbook keeps them as TOML text.
    scenario = replace(tiny_scenario(), settings_extra={"标签": ["甲", "乙"], "版本": 3})
    for target in (tmp_path / "folder", tmp_path / "book.xlsx"):
        write_scenario(scenario, target)
        assert load_scenario(target) == scenario


def test_csv_files_with_a_byte_order_mark_read(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    write_scenario(tiny_scenario(), folder)
    for path in folder.iterdir():
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as Excel's "CSV UTF-8" saves
    assert load_scenario(folder) == tiny_scenario()


# -- random small scenarios ---------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(file_scenarios())
def test_random_scenarios_round_trip_through_csv_and_xlsx(scenario: Scenario) -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder, workbook = Path(temp) / "csv", Path(temp) / "scenario.xlsx"
        write_scenario(scenario, folder)
        assert load_scenario(folder) == scenario
        write_scenario(scenario, workbook)
        assert load_scenario(workbook) == scenario
        write_tables(read_tables(workbook), Path(temp) / "again")
        assert folder_bytes(Path(temp) / "again") == folder_bytes(folder)
