"""Input that cannot hurt (issue 12): bombs refused fast and small, nothing lost in silence.

Each bomb is unpacked in a fresh child process, whose peak resident memory (VmHWM of its
own address space, which an exec starts afresh — unlike ru_maxrss, which a child inherits
from the forking test process) and time are measured.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.domain.errors import ScenarioError
from scheduler.io.scenario_files import scenario_from_upload, scenario_to_xlsx_bytes
from scheduler.io.tables import archive_entry_chunks, write_scenario
from scheduler.io.validation import load_scenario, parse_whole
from tests.factories import flag_zip, lying_zip, tiny_scenario, zip_bytes

_PEAK = """
def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
"""

_MEASURE = (
    _PEAK
    + """
import json, sys, time
from scheduler.domain.errors import ScenarioError
from scheduler.io.scenario_files import scenario_from_upload

data = open(sys.argv[1], "rb").read()
idle = peak_kb()
start = time.perf_counter()
try:
    scenario_from_upload("", data, "bomb")
    lines = []
except ScenarioError as error:
    lines = [problem.format("zh") for problem in error.problems]
seconds = time.perf_counter() - start
peak = peak_kb()
print(json.dumps({"seconds": seconds, "mb": (peak - idle) / 1024, "lines": lines[:200],
                  "count": len(lines)}))
"""
)


def measured(data: bytes, tmp_path: Path, what: str) -> dict[str, object]:
    """Seconds, MB above idle and the problems of uploading ``data``, in a child process;
    printed (``pytest -s``) as the figures BENCHMARKS.md records."""
    path = tmp_path / "bomb.bin"
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    print(
        f"\n{what}: {len(data):,} bytes uploaded, refused in {result['seconds']:.2f} s, "
        f"peak +{result['mb']:.0f} MB above idle, {result['count']} problem lines"
    )
    return result


def test_the_meter_sees_what_a_child_allocates() -> None:
    """The peak is the child's own: 400 MB touched there shows, the test process's does not."""
    held = bytearray(500 * 2**20)  # this process grows; a child's meter must not see it
    touch = "idle = peak_kb(); block = bytearray(400 * 2**20); print((peak_kb() - idle) / 1024)"
    done = subprocess.run(
        [sys.executable, "-c", _PEAK + touch], capture_output=True, text=True, check=True
    )
    assert 390 < float(done.stdout) < 450
    idle = subprocess.run(
        [sys.executable, "-c", _PEAK + "print(peak_kb() / 1024)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(idle.stdout) < 200 < len(held) / 2**20


def folder_files(tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / "folder"
    write_scenario(tiny_scenario(), folder)
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def zh_lines(caught: pytest.ExceptionInfo[ScenarioError]) -> list[str]:
    return [problem.format("zh") for problem in caught.value.problems]


# -- bombs ----------------------------------------------------------------------------


def test_50_mb_of_rows_in_a_small_zip_is_read_bounded_and_reported_in_few_lines(
    tmp_path: Path,
) -> None:
    files = folder_files(tmp_path)
    rows = b"T0001,\xe5\x8c\xbb\xe9\x99\xa2,1\n" * (50 * 2**20 // 17)
    files["title_needs.csv"] = b"title_id,set_type,days\n" + rows
    result = measured(zip_bytes(files), tmp_path, "50 MB of rows in a small zip")
    assert result["seconds"] < 2 and result["mb"] < 300  # type: ignore[operator]
    lines = result["lines"]
    assert isinstance(lines, list) and len(lines) < 100
    assert all(len(line) <= 300 and "\n" not in line for line in lines)
    assert any("另有" in line and "处同类问题" in line for line in lines)
    assert any("超过 50,000 行" in line for line in lines)


def test_a_zip_whose_header_lies_about_its_size_is_refused_fast(tmp_path: Path) -> None:
    data = lying_zip("titles.csv", b"\0" * 2**30, 1000)
    result = measured(data, tmp_path, "a zip header claiming 1,000 bytes for 1 GiB")
    assert result["seconds"] < 2 and result["mb"] < 300  # type: ignore[operator]
    assert "1,000" in str(result["lines"])


def test_a_zip_of_190_mb_under_the_cap_is_read_within_memory(tmp_path: Path) -> None:
    files = folder_files(tmp_path)
    files["title_needs.csv"] = b"title_id,set_type,days\n" + b"T0001,x,1\n" * (190 * 2**20 // 10)
    result = measured(zip_bytes(files), tmp_path, "190 MB of rows under the 200 MB cap")
    assert result["mb"] < 300 and result["seconds"] < 4  # type: ignore[operator]


def test_a_workbook_of_300_mb_of_sheet_xml_is_refused_before_openpyxl(tmp_path: Path) -> None:
    row = b'<row><c t="inlineStr"><is><t>T0001</t></is></c></row>'
    sheet = (
        b"<worksheet><sheetData>" + row * (300 * 2**20 // len(row)) + b"</sheetData></worksheet>"
    )
    data = zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": sheet})
    result = measured(data, tmp_path, "a workbook of 300 MB of sheet XML")
    assert result["seconds"] < 2 and result["mb"] < 300  # type: ignore[operator]
    assert "100 MB" in str(result["lines"])


# -- archives refused by name ---------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (flag_zip("titles.csv", b"x", flag_bits=1), "已加密"),
        (flag_zip("titles.csv", b"x", method=9), "Deflate64"),
        (zip_bytes({"../titles.csv": b"x"}), "含 .."),
        (zip_bytes({"/etc/titles.csv": b"x"}), "绝对路径"),
        (zip_bytes({"a/titles.csv": b"x", "a/inner.zip": b"PK"}), "压缩包里的压缩包"),
    ],
)
def test_unsafe_entries_are_refused_by_name(data: bytes, said: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_upload("", data, "bad.zip")
    assert said in zh_lines(caught)[0]


def test_a_zip_with_an_entry_twice_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("titles.csv", b"a")
        with pytest.warns(UserWarning):
            archive.writestr("titles.csv", b"b")
    with pytest.raises(ScenarioError) as caught:
        scenario_from_upload("", buffer.getvalue(), "dup.zip")
    assert "titles.csv 出现了两次" in zh_lines(caught)[0]


def test_a_zip_of_5000_folders_gets_one_short_message(tmp_path: Path) -> None:
    data = zip_bytes({f"f{n}/titles.csv": b"title_id\n" for n in range(5000)})
    with pytest.raises(ScenarioError) as caught:
        scenario_from_upload("", data, "many.zip")
    (line,) = zh_lines(caught)
    assert len(line) <= 300 and "4,990" in line


# -- stray quotes, line numbers, long cells ---------------------------------------------


def test_a_quoted_comma_in_a_name_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    write_scenario(tiny_scenario(), folder)
    path = folder / "crews.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = '"陶导,剧组"'
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert load_scenario(folder).crews[0].name == "陶导,剧组"


def test_a_stray_quote_is_reported_at_its_line_not_swallowing_rows(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    write_scenario(tiny_scenario(), folder)
    path = folder / "crews.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",", ',"', 3)  # a stray quote on line 3
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert any(
        line.startswith("crews.csv:3:") and "多余的引号" in line for line in zh_lines(caught)
    )


def test_a_quoted_line_break_does_not_shift_later_rows(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    write_scenario(tiny_scenario(), folder)
    path = folder / "sets.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    first[2] = '"两\n行"'
    lines[1] = ",".join(first)
    last = lines[-1].split(",")
    last[3] = "很贵"
    lines[-1] = ",".join(last)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    found = zh_lines(caught)
    assert any(line.startswith("sets.csv:2:set_type:") for line in found)
    assert any(line.startswith(f"sets.csv:{len(lines) + 1}:day_rate:") for line in found)


def first_actor_with(tmp_path: Path, column: int, value: str) -> Path:
    """The tiny scenario as a folder, with column ``column`` of actors.csv's first row set to
    ``value``."""
    folder = tmp_path / "s"
    write_scenario(tiny_scenario(), folder)
    path = folder / "actors.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[column] = value
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_cell_of_200_000_characters_is_reported_at_its_cell_and_the_rest_checked(
    tmp_path: Path,
) -> None:
    folder = first_actor_with(tmp_path, 1, "长" * 200_000)
    titles = folder / "titles.csv"
    titles.write_text(titles.read_text(encoding="utf-8").replace(",2026-12-10", ",十日", 1))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    found = zh_lines(caught)
    assert any(line.startswith("actors.csv:2:name:") and "200,000" in line for line in found)
    assert any(line.startswith("titles.csv:") for line in found)
    assert all(len(line) <= 300 and "\n" not in line for line in found)


# -- crashes that become messages ------------------------------------------------------


def test_a_number_of_5000_digits_is_not_a_whole_number_not_a_crash(tmp_path: Path) -> None:
    assert parse_whole("9" * 5000) is None
    folder = first_actor_with(tmp_path, 2, "9" * 5000)
    settings = folder / "scenario.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + "big = " + "9" * 5000 + "\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert all(len(line) <= 300 for line in zh_lines(caught))


def test_a_settings_sheet_with_targets_as_a_value_and_as_a_table_is_reported() -> None:
    workbook = load_workbook(io.BytesIO(scenario_to_xlsx_bytes(tiny_scenario())))
    sheet = workbook["scenario"]
    sheet.insert_rows(2)
    sheet["A2"], sheet["B2"] = "targets", 5
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ScenarioError) as caught:
        scenario_from_upload("", buffer.getvalue(), "t.xlsx")
    assert any(line.startswith("scenario:") for line in zh_lines(caught))


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
@pytest.mark.parametrize("kind", ["rows", "random"])
def test_a_legal_entry_of_several_megabytes_unpacks_whole(method: int, kind: str) -> None:
    # 6 MB of rows inflate 1 MB at a time from far fewer compressed bytes: the last
    # chunks come out of zlib after all input is read, and must not be lost
    rng = random.Random(7)
    content = (
        b"".join(f"T{n:05d},医院,{n % 9 + 1}\n".encode() for n in range(400_000))
        if kind == "rows"
        else rng.randbytes(3 * 1024 * 1024)
    )
    data = zip_bytes({"titles.csv": content}, method)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entry = archive.getinfo("titles.csv")
    assert b"".join(archive_entry_chunks(io.BytesIO(data), entry)) == content
