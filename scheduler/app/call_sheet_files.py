"""Call sheet files: one crew's sheet as .xlsx (:func:`call_sheet_workbook`) or PDF
(:func:`scheduler.app.call_sheet_pdf.call_sheet_pdf`), and every crew's of a day as one .zip.

The workbook is one A4 portrait sheet printed one page wide, its banner row (title, day,
date, crew) repeated on every printed page; the date is a date cell (``yyyy-mm-dd``), times
are time cells (``hh:mm``) and every text cell goes through
:func:`scheduler.domain.cells.spreadsheet_cell`, so a name beginning with ``=`` stays text.
Streamlit-free.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.app.call_sheet_pdf import call_sheet_pdf
from scheduler.app.call_sheets import (
    HOLD,
    NO_SCENES,
    REST,
    WEEKDAYS,
    Break,
    CallSheet,
    clock,
    clock_time,
    day_call_sheets,
)
from scheduler.app.exports import DATE_FORMAT, XLSX_MIME, file_name
from scheduler.domain.cells import spreadsheet_cell
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan

__all__ = [
    "PDF_MIME",
    "XLSX_MIME",
    "ZIP_MIME",
    "call_sheet_file_name",
    "call_sheet_pdf",
    "call_sheet_workbook",
    "day_zip",
    "day_zip_name",
]

PDF_MIME = "application/pdf"
ZIP_MIME = "application/zip"
TIME_FORMAT = "hh:mm"

COLUMNS = (
    ("场次 scene", 18),
    ("开始 start", 9),
    ("结束 end", 9),
    ("内/外", 7),
    ("日/夜", 7),
    ("分钟 min", 8),
    ("场景类型 set type", 12),
    ("内容 description", 30),
    ("演员 cast", 20),
)
"""The scene table's columns and widths (characters); the other blocks share the grid."""
CAST_COLUMNS = (
    "演员 actor",
    "化妆 make-up",
    "到场 on set",
    "首场 first",
    "完成 done",
    "场数 scenes",
    "场次 scene ids",
    "",
    "备注 note",
)
LAST = len(COLUMNS)

BANNER_FONT = Font(size=14, bold=True)
BOLD = Font(bold=True)
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
HOLD_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE_HEIGHT = 15
WRAP = Alignment(wrap_text=True, vertical="top")

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)  # CJK is two columns wide


class _Writer:
    """Rows of the call sheet, top to bottom, on a grid of :data:`COLUMNS`."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 0

    def cell(self, column: int, value: Any, number_format: str | None = None) -> None:
        cell = self.sheet.cell(row=self.row, column=column, value=spreadsheet_cell(value))
        if cell.data_type == "f":  # no formula leaves the app
            cell.data_type = "s"
        if number_format:
            cell.number_format = number_format
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT

    def time(self, column: int, minutes: int | None) -> None:
        if minutes is None:
            return
        shown = clock_time(minutes)
        self.cell(column, shown if shown is not None else clock(minutes), TIME_FORMAT)

    def merge(self, first: int, last: int) -> None:
        if last > first:
            self.sheet.merge_cells(
                start_row=self.row, end_row=self.row, start_column=first, end_column=last
            )

    def next(self) -> None:
        self.row += 1

    def fit_height(self, texts: Sequence[tuple[int, int, str]]) -> None:
        """Grow the row for wrapped text: (first column, last column, text) of its cells."""
        lines = 1
        for first, last, text in texts:
            room = sum(COLUMNS[n - 1][1] for n in range(first, last + 1)) - 1
            lines = max(lines, math.ceil(_width(text) / max(room, 1)))
        for column in range(1, LAST + 1):
            self.sheet.cell(row=self.row, column=column).alignment = WRAP
        if lines > 1:
            self.sheet.row_dimensions[self.row].height = LINE_HEIGHT * min(lines, 20)

    def box(self, first: int = 1, last: int = LAST) -> None:
        for column in range(first, last + 1):
            self.sheet.cell(row=self.row, column=column).border = BOX

    def section(self, title: str) -> None:
        self.next()
        self.next()
        self.cell(1, title)
        self.merge(1, LAST)
        for column in range(1, LAST + 1):
            cell = self.sheet.cell(row=self.row, column=column)
            cell.font = BOLD
            cell.fill = SECTION_FILL

    def header(self, labels: Sequence[str]) -> None:
        self.next()
        for column, label in enumerate(labels, 1):
            if label:
                self.cell(column, label)
            cell = self.sheet.cell(row=self.row, column=column)
            cell.font = BOLD
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        self.box()

    def pair(
        self, label: str, value: Any, last: int = LAST, number_format: str | None = None
    ) -> None:
        """A label in column A, its value from B to ``last``."""
        self.cell(1, label)
        self.sheet.cell(row=self.row, column=1).font = BOLD
        if isinstance(value, int) and number_format == TIME_FORMAT:
            self.time(2, value)
        else:
            self.cell(2, value, number_format)
        self.merge(2, last)


def _banner(sheet: CallSheet) -> str:
    return (
        f"通告单 CALL SHEET《{sheet.title_name}》 {sheet.day_text}  "
        f"{sheet.date.isoformat()} {sheet.weekday}  {sheet.crew_name}（{sheet.crew_id}）"
    )


def _info(out: _Writer, sheet: CallSheet) -> None:
    """The head: two label/value pairs a row; the address and the sets on rows of their own."""
    meal = sheet.meal
    rows: list[tuple[tuple[str, Any, str | None], tuple[str, Any, str | None] | None]] = [
        (
            ("剧目 title", f"《{sheet.title_name}》（{sheet.title_id}）", None),
            ("拍摄日 shoot day", sheet.day_text, None),
        ),
        (("日期 date", sheet.date, DATE_FORMAT), ("星期 weekday", sheet.weekday, None)),
        (
            ("剧组 crew", f"{sheet.crew_name}（{sheet.crew_id}）", None),
            ("基地 base", f"{sheet.base_name}（{sheet.base_id}）", None),
        ),
        (("地址 address", sheet.address_text, None), None),
        (("场景 sets", sheet.sets_text, None), None),
        (
            ("集合 crew call", sheet.crew_call, TIME_FORMAT),
            ("开机 first shot", sheet.first_shot, TIME_FORMAT),
        ),
        (
            ("预计收工 est. wrap", sheet.wrap, TIME_FORMAT),
            ("午饭 meal", f"{clock(meal.start)}–{clock(meal.end)}" if meal else "—", None),
        ),
    ]
    for left, right in rows:
        out.next()
        label, value, number_format = left
        out.pair(label, value, 6 if right else LAST, number_format)
        if right is not None:
            label, value, number_format = right
            out.cell(7, label)
            out.sheet.cell(row=out.row, column=7).font = BOLD
            if number_format == TIME_FORMAT:
                out.time(8, value)
            else:
                out.cell(8, value, number_format)
            out.merge(8, LAST)
        out.fit_height([(2, 6 if right else LAST, str(value))])


def _scenes(out: _Writer, sheet: CallSheet) -> None:
    out.section("场次 Scenes（按拍摄顺序 in shooting order）")
    out.header([label for label, _width in COLUMNS])
    if not sheet.has_scenes:
        out.next()
        text = (
            f"{NO_SCENES}：全组演员全天待拍（开机 {clock(sheet.first_shot)}，"
            f"预计收工 {clock(sheet.wrap)}）"
        )
        out.cell(1, text)
        out.merge(1, LAST)
        out.fit_height([(1, LAST, text)])
        out.box()
        return
    for item in sheet.timetable:
        out.next()
        if isinstance(item, Break):
            out.cell(1, f"{item.label} meal")
            out.time(2, item.start)
            out.time(3, item.end)
            out.cell(6, item.end - item.start)
            for column in range(1, LAST + 1):
                out.sheet.cell(row=out.row, column=column).fill = HOLD_FILL
            out.box()
            continue
        scene = item.scene
        out.cell(1, scene.scene_id)
        out.time(2, item.start)
        out.time(3, item.end)
        out.cell(4, scene.int_ext)
        out.cell(5, scene.day_night)
        out.cell(6, scene.minutes)
        out.cell(7, scene.set_type)
        out.cell(8, scene.description)
        cast = "、".join(item.cast)
        out.cell(9, cast)
        out.fit_height([(8, 8, scene.description), (9, 9, cast), (1, 1, scene.scene_id)])
        out.box()


def _cast(out: _Writer, sheet: CallSheet) -> None:
    out.section("演员 Cast（化妆 = 首场前化妆时间，到场 = 到现场时间）")
    out.header(CAST_COLUMNS)
    for actor in sheet.cast:
        out.next()
        name = f"{actor.name}（{actor.actor_id}）"
        out.cell(1, name)
        if actor.held:
            note = f"{HOLD}：本日无戏，不到场 hold"
            for column in range(1, LAST + 1):
                out.sheet.cell(row=out.row, column=column).fill = HOLD_FILL
        else:
            out.time(2, actor.makeup)
            out.time(3, actor.on_set)
            out.time(4, actor.first)
            out.time(5, actor.done)
            note = "" if sheet.has_scenes else "全天 whole day"
        if sheet.has_scenes and not actor.held:
            out.cell(6, len(actor.scene_ids))
        ids = "、".join(actor.scene_ids)
        out.cell(7, ids)
        out.merge(7, 8)
        out.cell(9, note)
        out.fit_height([(1, 1, name), (7, 8, ids), (9, 9, note)])
        out.box()
    if not sheet.cast:
        out.next()
        out.cell(1, "本日无演员 no cast")
        out.merge(1, LAST)


def _next_day(out: _Writer, sheet: CallSheet) -> None:
    out.section("次日 Next day")
    nxt = sheet.next_day
    for label, text in sheet.next_day_lines():
        out.next()
        if nxt is not None and label.startswith("下一拍摄日"):
            out.pair(label, nxt.when, 2, DATE_FORMAT)
            out.cell(3, WEEKDAYS[nxt.when.weekday()])
        elif nxt is not None and label.startswith("集合"):
            out.pair(label, nxt.crew_call, 2, TIME_FORMAT)
        else:
            out.pair(label, text)
            out.fit_height([(2, LAST, text)])


def _print_setup(ws: Worksheet, sheet: CallSheet, plan_id: int | None) -> None:
    """A4 portrait, one page wide, the banner row on every page, margins for the header."""
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.print_title_rows = "1:1"
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins  # inches
    margins.left = margins.right = 0.4
    margins.top = margins.bottom = 0.7
    margins.header = margins.footer = 0.3
    plan = f" · 方案{plan_id}" if plan_id is not None else ""
    heading = f"{sheet.scenario_name}{plan} · 通告单"[:120].replace("&", "&&")
    ws.oddHeader.left.text = heading
    ws.oddHeader.right.text = f"{sheet.date.isoformat()} {sheet.crew_id}".replace("&", "&&")
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.right.text = "打印于 &D"


def call_sheet_workbook(sheet: CallSheet, plan_id: int | None = None) -> bytes:
    """The call sheet as an .xlsx of one sheet, ready to print on A4."""
    book = Workbook()
    ws = book.active
    assert ws is not None, "a new workbook has a sheet"
    ws.title = _BAD_SHEET_CHARS.sub("_", f"通告单 {sheet.crew_id}")[:31]
    for number, (_label, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(number)].width = width
    out = _Writer(ws)
    out.next()
    out.cell(1, _banner(sheet))
    out.merge(1, LAST)
    ws.cell(row=1, column=1).font = BANNER_FONT
    ws.cell(row=1, column=1).alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = 2 * LINE_HEIGHT + 6 if _width(_banner(sheet)) > 110 else 24
    _info(out, sheet)
    _scenes(out, sheet)
    _cast(out, sheet)
    _next_day(out, sheet)
    out.next()
    out.next()
    out.pair("说明 notes", sheet.settings.summary())
    out.fit_height([(2, LAST, sheet.settings.summary())])
    _print_setup(ws, sheet, plan_id)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- file names and the day's zip ----------------------------------------------------------


def call_sheet_file_name(sheet: CallSheet, plan_id: int, extension: str) -> str:
    """``'郑州基地群12月_方案3_通告单_C1_张导剧组_2026-12-03.xlsx'``: scenario, plan, crew, day."""
    what = f"通告单_{sheet.crew_id}_{sheet.crew_name}"
    return file_name(sheet.scenario_name, what, plan_id, extension, sheet.date)


def day_zip_name(scenario: Scenario, plan_id: int, when: date) -> str:
    """The day's .zip: ``'郑州基地群12月_方案3_通告单_全部剧组_2026-12-03.zip'``."""
    return file_name(scenario.name, "通告单_全部剧组", plan_id, "zip", when)


def day_zip(scenario: Scenario, plan: Plan, when: date, plan_id: int) -> bytes:
    """Every crew's call sheet of ``when`` as .xlsx and PDF, in one .zip.

    A day without shoots gives a zip holding only ``休息.txt``.

    Raises
    ------
    CjkFontMissing
        When no Chinese font is installed for the PDFs
        (:class:`scheduler.app.call_sheet_pdf.CjkFontMissing`).
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        sheets = day_call_sheets(scenario, plan, when)
        used: set[str] = set()
        for sheet in sheets:
            for extension, content in (
                ("xlsx", call_sheet_workbook(sheet, plan_id)),
                ("pdf", call_sheet_pdf(sheet, plan_id)),
            ):
                name = call_sheet_file_name(sheet, plan_id, extension)
                if name in used:  # a crew with two shoots that day (a plan the checker refuses)
                    name = name.replace(f".{extension}", f"_{sheet.title_id}.{extension}")
                used.add(name)
                archive.writestr(name, content)
        if not sheets:
            archive.writestr(f"{REST}.txt", f"{when.isoformat()} 没有拍摄 no shoots\n")
    return buffer.getvalue()
