"""Files made from a plan, ready to send: plan.csv, the plan workbook, per-crew daily schedules
and per-base booking sheets (排期表).

Every function returns the file's bytes (or the table it is made of), so the
app can offer them for download and tests can read them back. Headers are
``"中文 English"``; ``plan.csv`` and ``unscheduled.csv`` keep the SPEC's columns
exactly, as :func:`scheduler.io.plan_io.write_plan` writes them. Every text cell of every
file goes through :func:`scheduler.domain.cells.spreadsheet_cell`, so a name such as
``=HYPERLINK(…)`` is text, never a live formula. Streamlit-free.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from scheduler.domain.cells import spreadsheet_cell
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan, Shoot
from scheduler.io.plan_io import PLAN_COLUMNS, plan_csv_text, unscheduled_csv_text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"

PLAN_SHEET = "排期 plan"
UNSCHEDULED_SHEET = "未排 unscheduled"
KPI_SHEET = "KPI"
DAILY_SHEET = "每日 daily"
ALL_CREWS_SHEET = "全部 all crews"

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
CLOSED_CELL = "停用 closed"

CREW_SCHEDULE_COLUMNS: tuple[str, ...] = (
    "剧组编号 crew id",
    "剧组 crew",
    "日期 date",
    "星期 weekday",
    "基地 base",
    "场景 set",
    "场景类型 set type",
    "剧目编号 title id",
    "剧目 title",
    "演员 cast",
)
KPI_MEANINGS: dict[str, str] = {
    "status": "求解状态",
    "scheduled_titles": "已排剧目数",
    "unscheduled_titles": "未排剧目数",
    "shoots": "拍摄场次（剧目×天）",
    "priority_scheduled": "已排剧目优先级之和",
    "priority_bound": "优先级之和的已证明上界",
    "cost": "总成本（元）",
    "cost_split": "成本构成（元）：场景 / 剧组 / 演员",
    "parallel_shoots": "每日并行拍摄数",
    "titles_finished": "周期内完成的剧目数",
    "titles_per_30_days": "每30天完成剧目数",
    "targets": "目标",
    "target_gaps": "与目标的差距",
    "set_utilisation": "场景利用率（已订/可用场景天）",
    "set_utilisation_by_base": "各基地场景利用率",
    "set_utilisation_by_set_type": "各场景类型利用率",
    "set_utilisation_by_day": "每日场景利用率",
    "set_utilisation_by_week": "每周场景利用率",
    "idle_set_days": "闲置场景天：基地.场景类型.周",
    "crew_utilisation": "剧组利用率（拍摄天/可用天）",
    "crew_utilisation_by_crew": "各剧组利用率",
    "solve_seconds": "求解用时（秒）",
}
"""Chinese meaning of each top-level KPI key, for the KPI sheet."""

BOOKING_INDEX_COLUMNS: tuple[str, ...] = ("场景 set", "场景类型 set type")


def _sorted_shoots(plan: Plan) -> list[Shoot]:
    """Day by day, then base and set: the order of plan.csv."""
    return sorted(plan.shoots, key=lambda s: (s.date, s.base_id, s.set_id, s.title_id, s.crew_id))


def plan_csv(plan: Plan) -> bytes:
    """``plan.csv`` as the SPEC says: per shoot title_id, date, base_id, set_id, crew_id."""
    return plan_csv_text(plan).encode("utf-8")


def unscheduled_csv(plan: Plan) -> bytes:
    """``unscheduled.csv``: title_id and the reason it is left out."""
    return unscheduled_csv_text(plan).encode("utf-8")


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (and header) neutralised against spreadsheet formulas."""
    safe = frame.map(spreadsheet_cell)
    safe.columns = [spreadsheet_cell(column) for column in frame.columns]
    return safe


def day_label(when: date) -> str:
    """A date as a column header people read: ``'12-01 周二'``."""
    return f"{when:%m-%d} {WEEKDAYS[when.weekday()]}"


def _cast_names(scenario: Scenario, title_id: str) -> str:
    title = scenario.title_by_id.get(title_id)
    if title is None:
        return ""
    return "、".join(
        scenario.actor_by_id[a].name if a in scenario.actor_by_id else a for a in title.cast
    )


def _name(by_id: Mapping[str, Any], key: str) -> str:
    item = by_id.get(key)
    return str(item.name) if item is not None else key


def plan_table(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """The plan's shoots in plan.csv order: the SPEC's columns, then names people read."""
    rows = [
        {
            "title_id": s.title_id,
            "date": s.date.isoformat(),
            "base_id": s.base_id,
            "set_id": s.set_id,
            "crew_id": s.crew_id,
            "剧目 title": _name(scenario.title_by_id, s.title_id),
            "基地 base": _name(scenario.base_by_id, s.base_id),
            "场景类型 set type": (
                scenario.set_by_id[s.set_id].set_type if s.set_id in scenario.set_by_id else ""
            ),
            "剧组 crew": _name(scenario.crew_by_id, s.crew_id),
            "演员 cast": _cast_names(scenario, s.title_id),
        }
        for s in _sorted_shoots(plan)
    ]
    columns = [*PLAN_COLUMNS, "剧目 title", "基地 base", "场景类型 set type", "剧组 crew"]
    return pd.DataFrame(rows, columns=[*columns, "演员 cast"])


def unscheduled_table(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Titles left out: title_id, name, priority and the reason."""
    rows = [
        {
            "title_id": title_id,
            "剧目 title": _name(scenario.title_by_id, title_id),
            "优先级 priority": (
                scenario.title_by_id[title_id].priority
                if title_id in scenario.title_by_id
                else None
            ),
            "reason": reason,
        }
        for title_id, reason in plan.unscheduled.items()
    ]
    return pd.DataFrame(rows, columns=["title_id", "剧目 title", "优先级 priority", "reason"])


def kpi_table(kpis: Mapping[str, Any]) -> pd.DataFrame:
    """Every KPI as a row of ``指标 KPI``, ``值 value``, ``说明 meaning``; nested keys dotted.

    The per-day lists (``dates``, ``parallel_shoots_per_day``) are left to
    :func:`daily_table`; other lists become one ``; ``-joined cell.
    """
    rows: list[tuple[str, Any]] = []

    def add(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                add(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list | tuple):
            rows.append((prefix, "; ".join(str(item) for item in value)))
        else:
            rows.append((prefix, value))

    add("", {k: v for k, v in kpis.items() if k not in ("dates", "parallel_shoots_per_day")})
    meanings = [KPI_MEANINGS.get(key.split(".")[0], "") for key, _ in rows]
    frame = pd.DataFrame(rows, columns=["指标 KPI", "值 value"])
    frame["说明 meaning"] = meanings
    return frame


def daily_table(kpis: Mapping[str, Any]) -> pd.DataFrame:
    """Per day: parallel shoots, the target and set utilisation."""
    dates = list(kpis.get("dates", []))
    target = kpis.get("targets", {}).get("parallel_shoots_per_day")
    by_day = kpis.get("set_utilisation_by_day", {})
    return pd.DataFrame(
        {
            "日期 date": dates,
            "并行拍摄 parallel shoots": list(kpis.get("parallel_shoots_per_day", [])),
            "目标 target": [target] * len(dates),
            "场景利用率 set utilisation": [by_day.get(when) for when in dates],
        }
    )


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_names(wanted: Iterable[str]) -> list[str]:
    """Excel-safe sheet names: no ``[]:*?/\\``, at most 31 characters, unique."""
    names: list[str] = []
    for name in wanted:
        base = _BAD_SHEET_CHARS.sub("_", name).strip()[:31] or "sheet"
        candidate, n = base, 2
        while candidate.lower() in (existing.lower() for existing in names):
            suffix = f"~{n}"
            candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(candidate)
    return names


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)  # CJK is two columns wide


def _workbook(sheets: Mapping[str, pd.DataFrame], frozen_columns: int = 0) -> bytes:
    """An .xlsx with one sheet per frame: header row frozen, columns sized to their content."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, shown in zip(_sheet_names(sheets), sheets.values(), strict=True):
            frame = safe_frame(shown)
            frame.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, frozen_columns))
            sheet = writer.sheets[name]
            for number, column in enumerate(frame.columns, start=1):
                cells = [column, *frame[column].head(500).tolist()]
                width = min(60, max(_width(cell) for cell in cells) + 2)
                sheet.column_dimensions[get_column_letter(number)].width = width
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":  # no formula leaves the app
                        cell.data_type = "s"
    return buffer.getvalue()


def plan_workbook(scenario: Scenario, plan: Plan, kpis: Mapping[str, Any]) -> bytes:
    """The plan as .xlsx: sheets 排期 plan, 未排 unscheduled, KPI and 每日 daily."""
    return _workbook(
        {
            PLAN_SHEET: plan_table(scenario, plan),
            UNSCHEDULED_SHEET: unscheduled_table(scenario, plan),
            KPI_SHEET: kpi_table(kpis),
            DAILY_SHEET: daily_table(kpis),
        }
    )


def crew_schedule(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Every crew's daily schedule in one long table, grouped by crew (file order), then by date.

    Returns
    -------
    DataFrame
        Columns :data:`CREW_SCHEDULE_COLUMNS`: crew, date, weekday, base, set,
        set type, title and cast (names), one row per shoot.
    """
    crew_order = {crew.crew_id: number for number, crew in enumerate(scenario.crews)}
    shoots = sorted(
        plan.shoots,
        key=lambda s: (crew_order.get(s.crew_id, len(crew_order)), s.crew_id, s.date, s.set_id),
    )
    rows = [
        (
            s.crew_id,
            _name(scenario.crew_by_id, s.crew_id),
            s.date.isoformat(),
            WEEKDAYS[s.date.weekday()],
            _name(scenario.base_by_id, s.base_id),
            s.set_id,
            scenario.set_by_id[s.set_id].set_type if s.set_id in scenario.set_by_id else "",
            s.title_id,
            _name(scenario.title_by_id, s.title_id),
            _cast_names(scenario, s.title_id),
        )
        for s in shoots
    ]
    return pd.DataFrame(rows, columns=list(CREW_SCHEDULE_COLUMNS))


def crew_schedule_csv(scenario: Scenario, plan: Plan, crew_id: str) -> bytes:
    """One crew's daily schedule as CSV, with the byte-order mark Excel needs to show Chinese."""
    schedule = crew_schedule(scenario, plan)
    own = schedule[schedule["剧组编号 crew id"] == crew_id]
    return safe_frame(own).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def crew_schedule_workbook(scenario: Scenario, plan: Plan) -> bytes:
    """Per-crew daily schedules as .xlsx: a long sheet of all crews, then one sheet per crew.

    A crew's sheet is named ``'C01 王导剧组'`` and holds only its own shoots;
    crews without shoots get no sheet.
    """
    schedule = crew_schedule(scenario, plan)
    sheets = {ALL_CREWS_SHEET: schedule}
    for crew_id, rows in schedule.groupby("剧组编号 crew id", sort=False):
        name = _name(scenario.crew_by_id, str(crew_id))
        sheets[f"{crew_id} {name}"] = rows.reset_index(drop=True)
    return _workbook(sheets)


def booking_sheet(scenario: Scenario, plan: Plan, base_id: str) -> pd.DataFrame:
    """One base's booking sheet (排期表): a row per set, a column per horizon day.

    Returns
    -------
    DataFrame
        ``场景 set``, ``场景类型 set type``, then one column per day headed by
        :func:`day_label`; a booked cell reads ``'title / crew'`` (names), a
        closed one :data:`CLOSED_CELL`, an idle one is empty.
    """
    booked = {(s.set_id, s.date): s for s in plan.shoots if s.base_id == base_id}
    rows = []
    for film_set in scenario.sets:
        if film_set.base_id != base_id:
            continue
        closed = scenario.unavailable_days("set", film_set.set_id)
        row = {"场景 set": film_set.set_id, "场景类型 set type": film_set.set_type}
        for day, when in enumerate(scenario.dates):
            shoot = booked.get((film_set.set_id, when))
            if shoot is not None:
                title = _name(scenario.title_by_id, shoot.title_id)
                cell = f"{title} / {_name(scenario.crew_by_id, shoot.crew_id)}"
            else:
                cell = CLOSED_CELL if day in closed else ""
            row[day_label(when)] = cell
        rows.append(row)
    columns = [*BOOKING_INDEX_COLUMNS, *(day_label(when) for when in scenario.dates)]
    return pd.DataFrame(rows, columns=columns)


def booking_workbook(scenario: Scenario, plan: Plan, base_ids: Sequence[str] = ()) -> bytes:
    """Booking sheets as .xlsx, a sheet per base (``'B01 郑州影视基地'``); all bases by default."""
    chosen = list(base_ids) or [base.base_id for base in scenario.bases]
    sheets = {
        f"{base_id} {_name(scenario.base_by_id, base_id)}": booking_sheet(scenario, plan, base_id)
        for base_id in chosen
    }
    return _workbook(sheets, frozen_columns=len(BOOKING_INDEX_COLUMNS))


def file_name(scenario_name: str, what: str, plan_id: int, extension: str) -> str:
    """A download's file name, e.g. ``'郑州基地群 12月_排期_方案12.xlsx'`` (no path separators)."""
    safe = re.sub(r'[\\/:*?"<>|]+', "_", scenario_name).strip() or "scenario"
    return f"{safe}_{what}_方案{plan_id}.{extension}"
