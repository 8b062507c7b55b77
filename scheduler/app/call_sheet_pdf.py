"""A call sheet as PDF: A4 portrait, Chinese text in an embedded CJK font (fpdf2).

The font is one installed on the machine: Noto Sans CJK SC from the Debian package
``fonts-noto-cjk`` when present (its ``.ttc`` collection, CFF outlines, embedded as a subset),
else any font ``fc-list :lang=zh`` names. fpdf2 ≥ 2.8.6 embeds both CFF-outlined OpenType
faces and a face of a TrueType collection; reportlab embeds neither. When no Chinese font is
found, :class:`CjkFontMissing` says in Chinese and English which package to install.

One face only, no bold face: fpdf2 reads a CJK face in about half a second per document (it
subsets the parsed font in place, so one parsed face cannot serve two documents) and a day's
.zip makes a PDF per crew. Titles are set off by size and a stroked outline (:func:`_bold`),
table headings and labels by shading. Streamlit-free.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, TextMode, XPos, YPos
from fpdf.fonts import FontFace

from scheduler.app.call_sheets import NO_SCENES, Break, CallSheet, clock

FONT_PACKAGE = "fonts-noto-cjk"
"""The Debian package whose font the PDFs embed."""
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
NOTO_SC = 2
"""Noto Sans CJK's face for simplified Chinese in its collections (JP, KR, SC, TC, HK …)."""

FAMILY = "cjk"
PAGE_WIDTH = 186.0
"""Millimetres between the margins of an A4 page (210 − 2 × 12)."""
MARGIN = 12.0
LABEL_FILL = (242, 242, 242)
SECTION_FILL = (221, 235, 247)
HOLD_FILL = (242, 242, 242)


class CjkFontMissing(RuntimeError):
    """No Chinese font is installed for the PDF to embed."""

    def __init__(self) -> None:
        super().__init__(
            f"找不到可嵌入 PDF 的中文字体：请安装 Debian 软件包 {FONT_PACKAGE}"
            f"（sudo apt-get install {FONT_PACKAGE}）。"
            f" No Chinese font to embed in the PDF: install the Debian package {FONT_PACKAGE}"
            f" (sudo apt-get install {FONT_PACKAGE})."
        )


@dataclass(frozen=True)
class FontFile:
    """One face of a font file: ``index`` picks it from a collection (``.ttc``)."""

    path: Path
    index: int = 0


def _fc_list() -> list[tuple[FontFile, str, str]]:
    """Fonts covering Chinese as fontconfig lists them: (face, family, style)."""
    if shutil.which("fc-list") is None:
        return []
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "-f", "%{file}\t%{index}\t%{family[0]}\t%{style[0]}\n"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in listed.splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[1].isdigit() and Path(parts[0]).is_file():
            fonts.append((FontFile(Path(parts[0]), int(parts[1])), parts[2], parts[3]))
    return fonts


def _installed_cjk_fonts() -> FontFile | None:
    """Noto Sans CJK SC where Debian puts it, else the best regular face fontconfig lists."""
    noto = NOTO_DIR / "NotoSansCJK-Regular.ttc"
    if noto.is_file():
        return FontFile(noto, NOTO_SC)
    fonts = [
        (face, family, style)
        for face, family, style in _fc_list()
        if face.path.suffix.lower() in (".ttf", ".otf", ".ttc", ".otc")
    ]

    def rank(item: tuple[FontFile, str, str]) -> tuple[int, int, int]:
        _face, family, _style = item
        return ("Mono" in family, "SC" not in family and "CN" not in family, "Sans" not in family)

    regulars = sorted((f for f in fonts if f[2] in ("Regular", "Book", "Medium")), key=rank)
    if not regulars:
        regulars = sorted(fonts, key=rank)
    if not regulars:
        return None
    return regulars[0][0]


@lru_cache(maxsize=1)
def cjk_font() -> FontFile:
    """The installed Chinese font the PDFs embed.

    Raises
    ------
    CjkFontMissing
        When none is installed.
    """
    found = _installed_cjk_fonts()
    if found is None:
        raise CjkFontMissing()
    return found


def font_problem() -> str | None:
    """Why no PDF can be made (the font is missing), or ``None`` when it can."""
    try:
        cjk_font()
    except CjkFontMissing as missing:
        return str(missing)
    return None


class _Document(FPDF):
    """A4 pages with the sheet's name on top of every page after the first, page numbers below."""

    def __init__(self, running_head: str, foot: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_head = running_head
        self.foot = foot
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=14)
        font = cjk_font()
        self.add_font(FAMILY, "", str(font.path), collection_font_number=font.index)

    def fitted(self, text: str, width: float) -> str:
        """``text`` cut short with ``…`` to fit ``width`` millimetres in the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(f"{text}…") > width:
            text = text[:-1]
        return f"{text}…"

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(FAMILY, "", 8)
            self.set_text_color(90)
            head = self.fitted(self.running_head, PAGE_WIDTH)
            self.cell(PAGE_WIDTH, 5, head, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0)
            self.ln(1)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90)
        foot = self.fitted(self.foot, PAGE_WIDTH - 40)
        self.cell(PAGE_WIDTH, 5, f"{foot}　第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")
        self.set_text_color(0)


@contextmanager
def _bold(pdf: FPDF) -> Iterator[None]:
    """Text drawn with a thin outline, as bold as a bold face, without a second font.

    In a local graphics state (``q … Q``): fpdf2 leaves a text mode set by a cell in force
    for the cells after it.
    """
    with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.2):
        yield


def _section(pdf: FPDF, title: str) -> None:
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 10.5)
    pdf.set_fill_color(*SECTION_FILL)
    with _bold(pdf):
        pdf.cell(PAGE_WIDTH, 7, f" {title}", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_fill_color(255)  # tables fill their cells with the current colour
    pdf.ln(1)
    pdf.set_font(FAMILY, "", 9)


def _info(pdf: FPDF, sheet: CallSheet) -> None:
    meal = sheet.meal
    label = FontFace(emphasis="", fill_color=LABEL_FILL)
    pairs: list[tuple[tuple[str, str], tuple[str, str] | None]] = [
        (
            ("剧目 title", f"《{sheet.title_name}》（{sheet.title_id}）"),
            ("拍摄日", sheet.day_text),
        ),
        (("日期 date", sheet.date.isoformat()), ("星期", sheet.weekday)),
        (
            ("剧组 crew", f"{sheet.crew_name}（{sheet.crew_id}）"),
            ("基地 base", f"{sheet.base_name}（{sheet.base_id}）"),
        ),
        (("地址 address", sheet.address_text), None),
        (("场景 sets", sheet.sets_text), None),
        (("集合 crew call", clock(sheet.crew_call)), ("开机 first shot", clock(sheet.first_shot))),
        (
            ("预计收工 wrap", clock(sheet.wrap)),
            ("午饭 meal", f"{clock(meal.start)}–{clock(meal.end)}" if meal else "—"),
        ),
    ]
    pdf.set_font(FAMILY, "", 9.5)
    with pdf.table(
        col_widths=(26, 67, 26, 67),
        width=PAGE_WIDTH,
        first_row_as_headings=False,
        text_align="LEFT",
        line_height=5.5,
        padding=(1, 1.5),
    ) as table:
        for (left_label, left_value), right in pairs:
            row = table.row()
            row.cell(left_label, style=label)
            if right is None:
                row.cell(left_value, colspan=3)
            else:
                row.cell(left_value)
                row.cell(right[0], style=label)
                row.cell(right[1])


def _scenes(pdf: FPDF, sheet: CallSheet) -> None:
    _section(pdf, "场次 Scenes（按拍摄顺序 in shooting order）")
    headings = (
        "场次",
        "开始",
        "结束",
        "内/外",
        "日/夜",
        "分钟",
        "场景",
        "内容 description",
        "演员 cast",
    )
    hold = FontFace(fill_color=HOLD_FILL)
    with pdf.table(
        col_widths=(17, 12, 12, 10, 10, 11, 18, 56, 40),
        width=PAGE_WIDTH,
        text_align="LEFT",
        line_height=4.8,
        padding=(1, 1),
        headings_style=FontFace(emphasis="", fill_color=LABEL_FILL),
    ) as table:
        heading = table.row()
        for text in headings:
            heading.cell(text)
        if not sheet.has_scenes:
            text = (
                f"{NO_SCENES}：全组演员全天待拍（开机 {clock(sheet.first_shot)}，"
                f"预计收工 {clock(sheet.wrap)}）"
            )
            table.row().cell(text, colspan=len(headings))
            return
        for item in sheet.timetable:
            row = table.row()
            if isinstance(item, Break):
                row.cell(item.label, style=hold)
                row.cell(clock(item.start), style=hold)
                row.cell(clock(item.end), style=hold)
                row.cell("", style=hold, colspan=2)
                row.cell(str(item.end - item.start), style=hold)
                row.cell("午饭 / 休整 meal break", style=hold, colspan=3)
                continue
            scene = item.scene
            for text in (
                scene.scene_id,
                clock(item.start),
                clock(item.end),
                scene.int_ext,
                scene.day_night,
                str(scene.minutes),
                scene.set_type,
                scene.description,
                "、".join(item.cast),
            ):
                row.cell(text)


def _cast(pdf: FPDF, sheet: CallSheet) -> None:
    _section(pdf, "演员 Cast（化妆 = 开始化妆，到场 = 到现场）")
    hold = FontFace(fill_color=HOLD_FILL)
    with pdf.table(
        col_widths=(38, 15, 15, 15, 15, 12, 42, 34),
        width=PAGE_WIDTH,
        text_align="LEFT",
        line_height=4.8,
        padding=(1, 1),
        headings_style=FontFace(emphasis="", fill_color=LABEL_FILL),
        cell_fill_mode=TableCellFillMode.NONE,
    ) as table:
        heading = table.row()
        for text in (
            "演员 actor",
            "化妆",
            "到场",
            "首场",
            "完成",
            "场数",
            "场次 scenes",
            "备注 note",
        ):
            heading.cell(text)
        for actor in sheet.cast:
            row = table.row()
            name = f"{actor.name}（{actor.actor_id}）"
            if actor.held:
                row.cell(name, style=hold)
                row.cell("", style=hold, colspan=6)
                row.cell("待命：本日无戏，不到场", style=hold)
                continue
            times = (actor.makeup, actor.on_set, actor.first, actor.done)
            row.cell(name)
            for minutes in times:
                row.cell(clock(minutes) if minutes is not None else "")
            row.cell(str(len(actor.scene_ids)) if sheet.has_scenes else "")
            row.cell("、".join(actor.scene_ids))
            row.cell("" if sheet.has_scenes else "全天 whole day")
        if not sheet.cast:
            table.row().cell("本日无演员 no cast", colspan=8)


def _next_day(pdf: FPDF, sheet: CallSheet) -> None:
    _section(pdf, "次日 Next day")
    label = FontFace(emphasis="", fill_color=LABEL_FILL)
    with pdf.table(
        col_widths=(38, 148),
        width=PAGE_WIDTH,
        first_row_as_headings=False,
        text_align="LEFT",
        line_height=4.8,
        padding=(1, 1.5),
    ) as table:
        for name, text in sheet.next_day_lines():
            row = table.row()
            row.cell(name, style=label)
            row.cell(text)


def call_sheet_pdf(sheet: CallSheet, plan_id: int | None = None) -> bytes:
    """The call sheet as an A4 PDF with an embedded Chinese font.

    Raises
    ------
    CjkFontMissing
        When no Chinese font is installed (see :data:`FONT_PACKAGE`).
    """
    plan = f" · 方案{plan_id}" if plan_id is not None else ""
    when = sheet.date.isoformat()
    head = f"通告单《{sheet.title_name}》{sheet.day_text}　{when}　{sheet.crew_name}"
    pdf = _Document(f"{head}（续）", f"{sheet.scenario_name}{plan} · 通告单")
    pdf.set_title(f"通告单 {sheet.date.isoformat()} {sheet.crew_name}《{sheet.title_name}》")
    pdf.set_creator("ShootPlan")
    pdf.add_page()

    with _bold(pdf):
        pdf.set_font(FAMILY, "", 16)
        title = f"通告单 CALL SHEET　《{sheet.title_name}》"
        pdf.multi_cell(PAGE_WIDTH, 8, title, align="L", new_x=XPos.LMARGIN)
        pdf.set_font(FAMILY, "", 11.5)
        pdf.multi_cell(
            PAGE_WIDTH,
            6.5,
            f"{sheet.day_text}　{when} {sheet.weekday}　{sheet.crew_name}（{sheet.crew_id}）",
            align="L",
            new_x=XPos.LMARGIN,
        )
    pdf.ln(2)
    _info(pdf, sheet)
    _scenes(pdf, sheet)
    _cast(pdf, sheet)
    _next_day(pdf, sheet)
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 8)
    pdf.set_text_color(90)
    pdf.multi_cell(PAGE_WIDTH, 4.2, sheet.settings.summary(), align="L", new_x=XPos.LMARGIN)
    return bytes(pdf.output())
