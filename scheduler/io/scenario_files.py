"""Whole scenarios as file contents, for the app's upload and download buttons.

A scenario arrives as the bytes of an ``.xlsx`` workbook or of a ``.zip``
holding a scenario's CSV folder (its files at the top of the zip or inside one
folder, as zipping a folder makes them); it leaves as ``.xlsx`` or ``.zip``
bytes. Reading and writing go through :mod:`scheduler.io.tables` in a temporary
directory and validation through :mod:`scheduler.io.validation`, so an upload
gives the same scenario, or the same ``file:row:column`` problems, as the
files on disk would.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.model import Scenario
from scheduler.io.tables import (
    SETTINGS_FILE,
    SHEETS,
    UnreadableArchive,
    archive_entry_chunks,
    archive_entry_refusal,
    check_workbook_parts,
    read_tables,
    write_scenario,
)
from scheduler.io.validation import bounded_problem, build_scenario

SCENARIO_FILES = frozenset({SETTINGS_FILE, *(f"{spec.name}.csv" for spec in SHEETS)})
"""The file names a scenario folder may hold; anything else in a zip is ignored."""

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""Largest total size of the scenario files in an uploaded zip (a guard against zip bombs).

Checked on the sizes the zip declares before unpacking, and again on the bytes
actually unpacked while unpacking (a declared size may lie)."""

MAX_LISTED = 10
"""Most entries or folders named in one message; the rest are counted."""

NESTED_ARCHIVES = (".zip", ".xlsx", ".xlsm", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz")
"""Endings of archives inside an uploaded zip, which are refused rather than opened."""

_XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (.xls)


def _upload_problem(where: str, message: str, message_zh: str) -> ScenarioError:
    return ScenarioError([bounded_problem(where, 0, "*", message, message_zh)])


def _listed(names: list[str], separator: str) -> str:
    shown = separator.join(name[:60] for name in names[:MAX_LISTED])
    more = len(names) - MAX_LISTED
    return f"{shown}{separator}… (+{more:,})" if more > 0 else shown


def scenario_from_upload(
    name: str, data: bytes, filename: str = "upload", notes: list[Problem] | None = None
) -> Scenario:
    """The scenario in an uploaded ``.xlsx`` workbook or ``.zip`` of a CSV folder.

    Parameters
    ----------
    name
        Name to store the scenario under; blank keeps the name in its settings.
    data
        The uploaded file's bytes; the kind is told from the content, not the name.
    filename
        The uploaded file's name, used where a problem concerns the whole file.
    notes
        When given, receives what was read generously (dates as ``2026/12/1``), as
        :func:`~scheduler.io.validation.reading_notes` says it.

    Raises
    ------
    ScenarioError
        Listing every problem: each at ``file:row:column`` (``sheet:row:column``
        for a workbook), or one naming the upload if it is neither kind, is
        refused (see :func:`_check_entries`) or cannot be read.
    """
    if data.startswith(_XLS_MAGIC):
        raise _upload_problem(
            filename,
            "is an old .xls workbook; save it as .xlsx (Excel workbook) and upload again",
            "这是旧版 .xls 工作簿，请另存为 .xlsx（Excel 工作簿）后重新上传",
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _upload_problem(
            filename,
            "is neither a .zip of a scenario's CSV files nor an .xlsx workbook; "
            "expected one of them",
            "既不是场景 CSV 文件的 .zip 压缩包，也不是 .xlsx 工作簿，应为二者之一",
        )
    with tempfile.TemporaryDirectory(prefix="shootplan-upload-") as temporary:
        folder = Path(temporary)
        expected = ("a .zip of UTF-8 CSV files", "UTF-8 编码 CSV 文件的 .zip 压缩包")
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    expected = ("an .xlsx workbook", ".xlsx 工作簿")
                    check_workbook_parts(io.BytesIO(data))
                    path = folder / "upload.xlsx"
                    path.write_bytes(data)
                else:
                    path = _unpack_scenario_folder(archive, data, folder, filename)
            tables = read_tables(path)
        except ScenarioError:
            raise  # the zip's own problems, already said
        except UnreadableArchive as error:
            raise _upload_problem(
                filename,
                f"is refused: {error.message}; expected {expected[0]}",
                f"已拒绝：{error.message_zh}；应为{expected[1]}",
            ) from error
        except (
            zipfile.BadZipFile,
            csv.Error,
            OSError,
            KeyError,
            ValueError,
            EOFError,
            SyntaxError,
            NotImplementedError,
            RuntimeError,
        ) as error:
            # openpyxl and zipfile raise these for damaged files (SyntaxError: broken XML);
            # zipfile NotImplementedError and RuntimeError for compression and encryption.
            raise _upload_problem(
                filename,
                f"cannot be read ({error}); expected {expected[0]}",
                f"无法读取（{error}），应为{expected[1]}",
            ) from error
    if name.strip() and tables.settings is not None:
        tables.settings["name"] = name.strip()
    return build_scenario(tables, notes)


def _check_entries(archive: zipfile.ZipFile, filename: str) -> None:
    """Refuse a zip holding anything that has no place in a scenario folder.

    Absolute paths, ``..``, symbolic links, encrypted entries, compression
    other than Deflate, an entry name given twice and archives inside the
    archive are each refused by the entry's name, all at once.
    """
    refusals: list[tuple[str, str]] = []
    seen: set[str] = set()
    for entry in archive.infolist():
        refusal = archive_entry_refusal(entry)
        shown = entry.filename if len(entry.filename) <= 80 else entry.filename[:80] + "…"
        if refusal is None and entry.filename in seen:
            refusal = (f"entry {shown} appears twice", f"条目 {shown} 出现了两次")
        if refusal is None and entry.filename.lower().endswith(NESTED_ARCHIVES):
            refusal = (
                f"entry {shown} is an archive inside the archive",
                f"条目 {shown} 是压缩包里的压缩包，不会解开",
            )
        seen.add(entry.filename)
        if refusal is not None:
            refusals.append(refusal)
    if refusals:
        more = len(refusals) - MAX_LISTED
        problems = [
            bounded_problem(filename, 0, "*", f"is refused: {en}", f"已拒绝：{zh}")
            for en, zh in refusals[:MAX_LISTED]
        ]
        if more > 0:
            problems.append(
                bounded_problem(
                    filename,
                    0,
                    "*",
                    f"… and {more:,} more entries refused",
                    f"… 另有 {more:,} 个条目被拒绝",
                )
            )
        raise ScenarioError(problems)


def _unpack_scenario_folder(
    archive: zipfile.ZipFile, data: bytes, folder: Path, filename: str
) -> Path:
    """Write the scenario files of ``archive`` into ``folder``; return that folder.

    The files may sit at the top of the zip or inside one folder. Only the
    known scenario file names are written, under their bare names, so no
    entry can land outside ``folder``; no more than :data:`MAX_UNPACKED_BYTES`
    is written, counted as it is unpacked.
    """
    _check_entries(archive, filename)
    found: dict[PurePosixPath, list[zipfile.ZipInfo]] = {}
    for entry in archive.infolist():
        path = PurePosixPath(entry.filename)
        if entry.is_dir() or path.name not in SCENARIO_FILES or "__MACOSX" in path.parts:
            continue  # __MACOSX holds the Finder's resource forks, not data
        found.setdefault(path.parent, []).append(entry)
    top_levels = [parent for parent in found if len(parent.parts) <= 1]
    if not top_levels:
        expected = ", ".join(sorted(SCENARIO_FILES))
        raise _upload_problem(
            filename,
            f"holds no scenario files at its top or in one folder; expected {expected}",
            f"压缩包顶层或其中一个文件夹里没有场景文件，应包含 {expected}",
        )
    if len(top_levels) > 1:
        names = [str(parent) or "/" for parent in sorted(top_levels)]
        raise _upload_problem(
            filename,
            f"holds scenario files in several folders ({_listed(names, ', ')}); "
            "expected one scenario",
            f"压缩包的多个文件夹（{_listed(names, '、')}）里都有场景文件，应只包含一个场景",
        )
    entries = found[top_levels[0]]
    too_big = _upload_problem(
        filename,
        f"unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB; expected a scenario's CSV files",
        f"解压后超过 {MAX_UNPACKED_BYTES // 2**20} MB，应为一个场景的 CSV 文件",
    )
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise too_big
    unpacked = 0
    source = io.BytesIO(data)
    for entry in entries:
        with (folder / PurePosixPath(entry.filename).name).open("wb") as target:
            for chunk in archive_entry_chunks(source, entry):
                unpacked += len(chunk)
                if unpacked > MAX_UNPACKED_BYTES:
                    raise too_big
                target.write(chunk)
    return folder


def scenario_to_xlsx_bytes(scenario: Scenario) -> bytes:
    """``scenario`` as the bytes of an ``.xlsx`` workbook (one sheet per file, settings first)."""
    with tempfile.TemporaryDirectory(prefix="shootplan-export-") as temporary:
        path = Path(temporary) / "scenario.xlsx"
        write_scenario(scenario, path)
        return path.read_bytes()


def scenario_to_zip_bytes(scenario: Scenario, folder: str = "scenario") -> bytes:
    """``scenario`` as the bytes of a ``.zip`` holding its CSV folder, named ``folder``."""
    with tempfile.TemporaryDirectory(prefix="shootplan-export-") as temporary:
        path = Path(temporary) / "scenario"
        write_scenario(scenario, path)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(path.iterdir()):
                archive.write(file, f"{folder}/{file.name}")
        return buffer.getvalue()
