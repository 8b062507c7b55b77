"""Files made from a plan, ready to send: plan.csv, the plan workbook, per-crew daily schedules
and per-base booking sheets (排期表).

Every function returns the file's bytes (or the table it is made of), so the
app can offer them for download and tests can read them back. Headers are
``"中文 English"``; ``plan.csv`` and ``unscheduled.csv`` keep the SPEC's columns
exactly, as :func:`scheduler.io.plan_io.write_plan` writes them. Every text cell of every
file goes through :func:`scheduler.domain.cells.spreadsheet_cell`, so a name such as
``=HYPERLINK(…)`` is text, never a live formula. Streamlit-free.

Every workbook is made to be printed and sent on: dates are date cells shown as
``yyyy-mm-dd`` (:data:`DATE_FORMAT`; the weekday stands in its own column or header row),
counts and money carry thousands separators, ratios one decimal of a percent; the header
rows are bold, frozen and repeated on every printed page; columns are as wide as their
content (a Chinese character counts two); pages are A4 landscape, one page wide, with the
scenario, the plan number and the page number in the page header and footer.

Weeks are calendar weeks, Monday to Sunday, named by their ISO week number and the horizon
days they hold: ``'第50周 12-07~12-13'`` (:mod:`scheduler.domain.weeks`).
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeGuard

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.domain.cells import spreadsheet_cell
from scheduler.domain.figures import whole
from scheduler.domain.local_time import display_timezone
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.weeks import Week, calendar_weeks
from scheduler.io.plan_io import PLAN_COLUMNS, plan_csv_text, unscheduled_csv_text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"

PLAN_SHEET = "排期 plan"
UNSCHEDULED_SHEET = "未排 unscheduled"
KPI_SHEET = "KPI"
DAILY_SHEET = "每日 daily"
WEEKLY_SHEET = "每周 weekly"
IDLE_SHEET = "闲置 idle"
BASES_SHEET = "各基地 bases"
CREWS_SHEET = "各剧组 crews"
ALL_CREWS_SHEET = "全部 all crews"
CREW_GRID_SHEET = "总览 overview"

DATE_FORMAT = "yyyy-mm-dd"
"""Number format of every date cell: ISO, as in plan.csv, read the same in every locale."""
DAY_HEADER_FORMAT = "mm-dd"
"""Number format of the date cells heading a day column (the weekday is in the row below)."""
COUNT_FORMAT = "#,##0"
"""Whole titles, shoots, days and yuan, with thousands separators."""
PERCENT_FORMAT = "0.0%"
"""A ratio 0..1 as a percentage with one decimal."""
DECIMAL_FORMAT = "#,##0.0"
"""A mean or a number of seconds: one decimal."""

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
CLOSED_CELL = "停用 closed"
SHOOT_DAY = "拍摄"
DAY_OFF = "休息"
UNAVAILABLE_DAY = "不可用"

CREW_SCHEDULE_COLUMNS: tuple[str, ...] = (
    "剧组编号 crew id",
    "剧组 crew",
    "日期 date",
    "星期 weekday",
    "安排 duty",
    "基地 base",
    "场景 set",
    "场景类型 set type",
    "剧目编号 title id",
    "剧目 title",
    "演员 cast",
    "备注 note",
)
BOOKING_INDEX_COLUMNS: tuple[str, ...] = ("场景 set", "场景类型 set type")
CREW_GRID_INDEX_COLUMNS: tuple[str, ...] = ("剧组编号 crew id", "剧组 crew")

STATUS_LABELS: dict[str, str] = {
    "optimal": "最优（已证明） optimal",
    "feasible": "可行，未证最优 feasible",
    "infeasible": "无可行方案 infeasible",
    "error": "出错 error",
}

HEADER_FONT = Font(name="Calibri", size=11, bold=True)  # the body font, bold
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WEEKEND_FILL = PatternFill("solid", fgColor="FCE4D6")
CLOSED_FILL = PatternFill("solid", fgColor="D9D9D9")
DAY_OFF_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_BORDER = Border(bottom=Side(style="thin"))
MAX_WIDTH = 50
"""Widest text column (characters; Chinese counts two); longer text wraps."""
DAY_COLUMN_WIDTH = 14
"""Widest day column of a grid: its cells wrap, so a month still prints one page wide."""
HEADER_WIDTH = 12
"""A column narrower than its header is at least this wide; the header wraps."""
LINE_HEIGHT = 15
"""Points per text line of a row whose cells wrap."""
MAX_LINES = 20
"""Lines a wrapped row grows to at most (Excel's tallest row holds 27)."""
FILL_RATIO = 1.0
"""Share of a wrapped column's width a line fills. Chinese breaks anywhere and is drawn a
little narrower than two digits, so a full line is a fair, not too short, estimate."""


# -- CSV files -----------------------------------------------------------------------------


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


# -- words and small helpers --------------------------------------------------------------


def day_label(when: date) -> str:
    """A date as a column header people read: ``'12-01 周二'``."""
    return f"{when:%m-%d} {WEEKDAYS[when.weekday()]}"


def _week_of(weeks: Sequence[Week]) -> dict[date, Week]:
    return {
        week.first.fromordinal(ordinal): week
        for week in weeks
        for ordinal in range(week.first.toordinal(), week.last.toordinal() + 1)
    }


def _sorted_shoots(plan: Plan) -> list[Shoot]:
    """Day by day, then base and set: the order of plan.csv."""
    return sorted(plan.shoots, key=lambda s: (s.date, s.base_id, s.set_id, s.title_id, s.crew_id))


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


def _set_type(scenario: Scenario, set_id: str) -> str:
    film_set = scenario.set_by_id.get(set_id)
    return film_set.set_type if film_set is not None else ""


# -- the plan ------------------------------------------------------------------------------


def plan_table(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """The plan's shoots in plan.csv order: the SPEC's columns, then names people read.

    ``date`` holds :class:`datetime.date` values.
    """
    rows = [
        {
            "title_id": s.title_id,
            "date": s.date,
            "base_id": s.base_id,
            "set_id": s.set_id,
            "crew_id": s.crew_id,
            "星期 weekday": WEEKDAYS[s.date.weekday()],
            "剧目 title": _name(scenario.title_by_id, s.title_id),
            "基地 base": _name(scenario.base_by_id, s.base_id),
            "场景类型 set type": _set_type(scenario, s.set_id),
            "剧组 crew": _name(scenario.crew_by_id, s.crew_id),
            "演员 cast": _cast_names(scenario, s.title_id),
        }
        for s in _sorted_shoots(plan)
    ]
    columns = [*PLAN_COLUMNS, "星期 weekday", "剧目 title", "基地 base", "场景类型 set type"]
    return pd.DataFrame(rows, columns=[*columns, "剧组 crew", "演员 cast"])


def unscheduled_table(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Titles left out: title_id, name, priority, window (dates) and the reason."""
    rows = []
    for title_id, reason in plan.unscheduled.items():
        title = scenario.title_by_id.get(title_id)
        rows.append(
            {
                "title_id": title_id,
                "剧目 title": _name(scenario.title_by_id, title_id),
                "优先级 priority": title.priority if title else None,
                "最早开拍 earliest start": title.earliest_start if title else None,
                "截止 due": title.due_date if title else None,
                "reason": reason,
            }
        )
    columns = ["title_id", "剧目 title", "优先级 priority", "最早开拍 earliest start", "截止 due"]
    return pd.DataFrame(rows, columns=[*columns, "reason"])


# -- KPI summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiRow:
    """One headline figure: its kpis.json key, value, Chinese label, note and number format."""

    key: str
    value: Any
    label: str
    note: str = ""
    number_format: str | None = None


KPI_COLUMNS: tuple[str, ...] = ("指标 KPI", "值 value", "说明 note", "代号 key")
"""The KPI sheet's columns: what a producer reads first, the kpis.json key last."""

DETAIL_KEYS = frozenset(
    {
        "dates",
        "parallel_shoots_per_day",
        "set_utilisation_by_base",
        "set_utilisation_by_set_type",
        "set_utilisation_by_day",
        "set_utilisation_by_week",
        "idle_set_days",
        "crew_utilisation_by_crew",
    }
)
"""KPIs shown on the detail sheets (每日, 每周, 闲置, 各基地, 各剧组), not on the summary."""


SOLVER_KPIS: dict[str, tuple[str, str | None, str]] = {
    "greedy_priority_scheduled": ("贪心初解优先级 greedy start", COUNT_FORMAT, "求解起点"),
    "gap": ("距上界 gap", PERCENT_FORMAT, "（上界 − 优先级合计）÷ 上界"),
    "seed": ("随机种子 seed", None, ""),
    "time_limit": ("时限（秒） time limit", COUNT_FORMAT, ""),
    "workers": ("求解线程 workers", None, ""),
}
"""What the solve adds to the SPEC's KPIs (:func:`scheduler.services.planning.plan_scenario`):
label, number format and note."""


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def kpi_rows(kpis: Mapping[str, Any]) -> list[KpiRow]:
    """The KPI sheet: one row per headline figure present in ``kpis``, in a producer's order.

    Counts and yuan are whole numbers with thousands separators, ratios percentages
    with one decimal, titles per 30 days a whole number (half up). Known nested
    figures get a row per part (``cost_split.sets``, ``parallel_shoots.min`` …); the
    per-day, per-week, per-base and per-crew figures are left to the detail sheets;
    any other plain key is listed under its own name.
    """
    rows: list[KpiRow] = []
    get = kpis.get
    targets, gaps = (
        value if isinstance(value := get(key), Mapping) else {}
        for key in ("targets", "target_gaps")
    )

    def count(key: str, value: Any, label: str, note: str = "") -> None:
        rows.append(KpiRow(key, value, label, note, COUNT_FORMAT if _number(value) else None))

    def share(key: str, value: Any, label: str, note: str = "") -> None:
        rows.append(KpiRow(key, value, label, note, PERCENT_FORMAT if _number(value) else None))

    for key, value in kpis.items():
        if key == "status":
            rows.append(KpiRow(key, STATUS_LABELS.get(str(value), value), "状态 status"))
        elif key == "scheduled_titles":
            left_out = get("unscheduled_titles", 0)
            both = _number(value) and _number(left_out)
            note = f"共 {value + left_out:,} 部剧目" if both else ""
            count(key, value, "已排剧目 scheduled titles", note)
        elif key == "unscheduled_titles":
            count(key, value, "未排剧目 unscheduled titles", "原因见「未排 unscheduled」页")
        elif key == "shoots":
            count(key, value, "拍摄场次 shoots", "剧目 × 天")
        elif key == "priority_scheduled":
            bound = get("priority_bound")
            note = f"上界 {bound:,}" if _number(bound) else "无已证明的上界"
            count(key, value, "优先级合计 priority scheduled", note)
            if _number(bound) and _number(value) and bound > 0:
                share(
                    "priority_scheduled/priority_bound",
                    value / bound,
                    "占上界 share of the bound",
                    "优先级合计 ÷ 上界",
                )
        elif key == "priority_bound":
            note = "求解器证明的上界：任何方案都超不过" if value is not None else "未证明上界"
            count(key, value, "优先级上界 priority bound", note)
        elif key == "cost":
            count(key, value, "成本（¥） cost", "场景租金 + 剧组 + 演员日薪")
        elif key == "cost_split" and isinstance(value, Mapping):
            parts = {"sets": "场景租金", "crews": "剧组日薪", "actors": "演员日薪"}
            for part, amount in value.items():
                label = f"　其中 {parts.get(str(part), part)}（¥） {part}"
                count(f"{key}.{part}", amount, label)
        elif key == "set_utilisation":
            share(key, value, "场景利用率 set utilisation", "已订场景天 ÷ 可用场景天")
        elif key == "crew_utilisation":
            share(key, value, "剧组利用率 crew utilisation", "拍摄天 ÷ 剧组可用天")
        elif key == "titles_finished":
            count(key, value, "周期内完成剧目 titles finished", "最后一天拍摄在周期内")
        elif key == "titles_per_30_days":
            target = targets.get("titles_per_month")
            shown = whole(value) if _number(value) else value
            note = ""
            if _number(target) and _number(value):
                missing = max(0, target - whole(value))
                note = f"目标 {target:,} 部/月，" + (f"差 {missing:,} 部" if missing else "已达标")
            count(key, shown, "每30天完成剧目 titles per 30 days", note)
        elif key == "parallel_shoots" and isinstance(value, Mapping):
            target = targets.get("parallel_shoots_per_day")
            below = gaps.get("days_below_parallel_target")
            names = {"min": "最少 min", "mean": "平均 mean", "max": "最多 max"}
            for part, amount in value.items():
                note = ""
                if part == "mean" and _number(target):
                    note = f"目标 {target:,} 场/天"
                    note += f"，{below:,} 天低于目标" if _number(below) else ""
                label = f"每日并行拍摄 {names.get(str(part), part)}"
                fmt = DECIMAL_FORMAT if part == "mean" else COUNT_FORMAT
                rows.append(KpiRow(f"{key}.{part}", amount, label, note, fmt))
        elif key == "targets" and isinstance(value, Mapping):
            names = {
                "parallel_shoots_per_day": "目标：每日并行拍摄 target parallel shoots",
                "titles_per_month": "目标：每月完成剧目 target titles a month",
            }
            for part, amount in value.items():
                count(f"{key}.{part}", amount, names.get(str(part), f"目标 {part}"))
        elif key == "target_gaps" and isinstance(value, Mapping):
            names = {
                "days_below_parallel_target": "低于并行目标的天数 days below target",
                "parallel_shortfall": "并行缺口合计（场） parallel shortfall",
                "titles_per_30_days_gap": "每月剧目缺口 titles a month missing",
            }
            for part, amount in value.items():
                shown = whole(amount) if part == "titles_per_30_days_gap" else amount
                count(f"{key}.{part}", shown, names.get(str(part), f"差距 {part}"))
        elif key == "solve_seconds":
            seconds = DECIMAL_FORMAT if _number(value) else None
            rows.append(KpiRow(key, value, "求解用时（秒） solve seconds", "", seconds))
        elif key == "priority_proven_seconds":
            seconds = "0.000" if _number(value) else None
            shown = value if value is not None else "未证明 not proven"
            label = "证明最优用时（秒） priority proven at"
            rows.append(KpiRow(key, shown, label, "优先级合计被证明最优的时刻", seconds))
        elif key in SOLVER_KPIS:
            label, number_format, note = SOLVER_KPIS[key]
            rows.append(KpiRow(key, value, label, note, number_format if _number(value) else None))
        elif key == "problems" and isinstance(value, list | tuple):
            if value:  # a clean plan has none: no row
                note = "；".join(str(problem) for problem in value[:3])
                note += f" …（另有 {len(value) - 3} 条）" if len(value) > 3 else ""
                count(key, len(value), "问题 problems", note)
        elif key in DETAIL_KEYS or isinstance(value, Mapping | list | tuple):
            continue  # per day, week, base or crew: on the detail sheets
        else:  # a KPI this version does not know: shown under its own name
            rows.append(KpiRow(key, value, key, "", COUNT_FORMAT if _number(value) else None))
    return rows


def kpi_table(kpis: Mapping[str, Any]) -> pd.DataFrame:
    """:func:`kpi_rows` as a table of :data:`KPI_COLUMNS`."""
    rows = [(row.label, row.value, row.note, row.key) for row in kpi_rows(kpis)]
    return pd.DataFrame(rows, columns=list(KPI_COLUMNS))


def daily_table(kpis: Mapping[str, Any]) -> pd.DataFrame:
    """Per day: date, weekday, parallel shoots, the target, the shortfall and set utilisation."""
    dates = [date.fromisoformat(str(when)) for when in kpis.get("dates", [])]
    target = kpis.get("targets", {}).get("parallel_shoots_per_day")
    by_day = kpis.get("set_utilisation_by_day", {})
    parallel = list(kpis.get("parallel_shoots_per_day", []))
    parallel += [None] * (len(dates) - len(parallel))
    return pd.DataFrame(
        {
            "日期 date": dates,
            "星期 weekday": [WEEKDAYS[when.weekday()] for when in dates],
            "并行拍摄 parallel shoots": parallel[: len(dates)],
            "目标 target": [target] * len(dates),
            "差 shortfall": [
                max(0, target - n) if _number(target) and _number(n) else None
                for n in parallel[: len(dates)]
            ],
            "场景利用率 set utilisation": [by_day.get(when.isoformat()) for when in dates],
        }
    )


@dataclass
class _SetDays:
    """Booked and available set-days of one group (a base, a set type, a week …)."""

    booked: int = 0
    available: int = 0

    @property
    def idle(self) -> int:
        return self.available - self.booked

    @property
    def utilisation(self) -> float:
        return self.booked / self.available if self.available else 0.0


@dataclass
class _Tally:
    """Set-days of a plan counted once per set and horizon day, as the KPIs count them."""

    weeks: list[Week]
    by_base: dict[str, _SetDays] = field(default_factory=lambda: defaultdict(_SetDays))
    by_week: dict[str, _SetDays] = field(default_factory=lambda: defaultdict(_SetDays))
    idle: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)


def _tally(scenario: Scenario, plan: Plan) -> _Tally:
    weeks = calendar_weeks(scenario.start_date, scenario.days)
    week_of = _week_of(weeks)
    booked = {(s.set_id, s.date) for s in plan.shoots}
    tally = _Tally(weeks)
    for film_set in scenario.sets:
        closed = scenario.unavailable_days("set", film_set.set_id)
        idle = tally.idle.setdefault((film_set.base_id, film_set.set_type), Counter())
        for day, when in enumerate(scenario.dates):
            if day in closed:
                continue
            used = int((film_set.set_id, when) in booked)
            label = week_of[when].label
            for group in (tally.by_base[film_set.base_id], tally.by_week[label]):
                group.booked += used
                group.available += 1
            idle[label] += 1 - used
    return tally


def weekly_table(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Per calendar week: days, shoots, mean parallel shoots, set utilisation, idle set-days."""
    tally = _tally(scenario, plan)
    titles_on: dict[date, set[str]] = defaultdict(set)
    for shoot in plan.shoots:
        titles_on[shoot.date].add(shoot.title_id)
    rows = []
    for week in tally.weeks:
        days = (week.last - week.first).days + 1
        shoots = sum(
            len(titles_on[when]) for when in scenario.dates if week.first <= when <= week.last
        )
        set_days = tally.by_week[week.label]
        rows.append(
            {
                "周 week": week.label,
                "起 from": week.first,
                "止 to": week.last,
                "天数 days": days,
                "拍摄场次 shoots": shoots,
                "日均并行 mean parallel shoots": shoots / days,
                "场景利用率 set utilisation": set_days.utilisation,
                "闲置场景天 idle set-days": set_days.idle,
            }
        )
    columns = ["周 week", "起 from", "止 to", "天数 days", "拍摄场次 shoots"]
    extra = ["日均并行 mean parallel shoots", "场景利用率 set utilisation"]
    extra.append("闲置场景天 idle set-days")
    return pd.DataFrame(rows, columns=[*columns, *extra])


def idle_table(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Idle set-days (available, not booked) per base × set type, a column per calendar week.

    Rows in the bases' file order, set types sorted; the last column is the total,
    the last row the total of each week.
    """
    tally = _tally(scenario, plan)
    labels = [week.label for week in tally.weeks]
    base_order = {base.base_id: number for number, base in enumerate(scenario.bases)}
    rows = []
    for base_id, set_type in sorted(tally.idle, key=lambda k: (base_order.get(k[0], 0), k)):
        idle = tally.idle[(base_id, set_type)]
        row: dict[str, Any] = {
            "基地编号 base id": base_id,
            "基地 base": _name(scenario.base_by_id, base_id),
            "场景类型 set type": set_type,
        }
        row.update({label: idle[label] for label in labels})
        row["合计 total"] = sum(idle.values())
        rows.append(row)
    total: dict[str, Any] = {"基地编号 base id": "合计 total", "基地 base": ""}
    total["场景类型 set type"] = ""
    for label in [*labels, "合计 total"]:
        total[label] = sum(row[label] for row in rows)
    columns = ["基地编号 base id", "基地 base", "场景类型 set type", *labels, "合计 total"]
    return pd.DataFrame([*rows, total], columns=columns)


def base_table(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Per base: sets, available, booked and idle set-days, and utilisation."""
    tally = _tally(scenario, plan)
    sets = Counter(film_set.base_id for film_set in scenario.sets)
    rows = [
        {
            "基地编号 base id": base.base_id,
            "基地 base": base.name,
            "城市 city": base.city,
            "场景数 sets": sets[base.base_id],
            "可用场景天 available set-days": tally.by_base[base.base_id].available,
            "已订场景天 booked set-days": tally.by_base[base.base_id].booked,
            "闲置场景天 idle set-days": tally.by_base[base.base_id].idle,
            "场景利用率 set utilisation": tally.by_base[base.base_id].utilisation,
        }
        for base in scenario.bases
    ]
    columns = ["基地编号 base id", "基地 base", "城市 city", "场景数 sets"]
    extra = ["可用场景天 available set-days", "已订场景天 booked set-days"]
    extra += ["闲置场景天 idle set-days", "场景利用率 set utilisation"]
    return pd.DataFrame(rows, columns=[*columns, *extra])


def crew_table(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Per crew: titles, shoot days, days off, unavailable days and utilisation."""
    rows = []
    for crew in scenario.crews:
        closed = scenario.unavailable_days("crew", crew.crew_id)
        own = [s for s in plan.shoots if s.crew_id == crew.crew_id]
        shoot_days = {scenario.day_index(s.date) for s in own} & set(range(scenario.days))
        available = scenario.days - len(closed)
        used = len(shoot_days - closed)
        rows.append(
            {
                "剧组编号 crew id": crew.crew_id,
                "剧组 crew": crew.name,
                "剧目 titles": len({s.title_id for s in own}),
                "拍摄天 shoot days": len(shoot_days),
                "休息天 days off": scenario.days - len(shoot_days | closed),
                "不可用天 unavailable days": len(closed),
                "剧组利用率 crew utilisation": used / available if available else 0.0,
            }
        )
    columns = ["剧组编号 crew id", "剧组 crew", "剧目 titles", "拍摄天 shoot days"]
    extra = ["休息天 days off", "不可用天 unavailable days", "剧组利用率 crew utilisation"]
    return pd.DataFrame(rows, columns=[*columns, *extra])


# -- crew schedules ------------------------------------------------------------------------


def _unavailable_notes(scenario: Scenario, crew_id: str) -> dict[date, str]:
    """The crew's unavailable dates with their notes (``；``-joined where outages overlap)."""
    notes: dict[date, list[str]] = {}
    for outage in scenario.unavailable:
        if outage.kind != "crew" or outage.resource_id != crew_id:
            continue
        for ordinal in range(outage.from_date.toordinal(), outage.to_date.toordinal() + 1):
            texts = notes.setdefault(date.fromordinal(ordinal), [])
            if outage.note and outage.note not in texts:
                texts.append(outage.note)
    return {when: "；".join(texts) for when, texts in notes.items()}


def crew_schedule(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Every crew's daily schedule in one long table: one row per crew per horizon day.

    Crews in file order, days in order. A shoot day (安排 ``拍摄``) names base, set,
    set type, title and cast; a day without a shoot reads ``休息`` (day off), or
    ``不可用`` with the note of ``unavailable.csv`` when the crew is unavailable.

    Returns
    -------
    DataFrame
        Columns :data:`CREW_SCHEDULE_COLUMNS`; ``日期 date`` holds :class:`datetime.date`.
    """
    by_crew: dict[str, list[Shoot]] = defaultdict(list)
    for shoot in sorted(plan.shoots, key=lambda s: (s.date, s.set_id)):
        by_crew[shoot.crew_id].append(shoot)
    crew_ids = [crew.crew_id for crew in scenario.crews]
    crew_ids += sorted(set(by_crew) - set(crew_ids))  # a plan naming a crew the scenario lacks
    rows = []
    for crew_id in crew_ids:
        crew_name = _name(scenario.crew_by_id, crew_id)
        unavailable = _unavailable_notes(scenario, crew_id)
        shoots_on: dict[date, list[Shoot]] = defaultdict(list)
        for shoot in by_crew[crew_id]:
            shoots_on[shoot.date].append(shoot)
        for when in sorted(set(scenario.dates) | set(shoots_on)):
            start = (crew_id, crew_name, when, WEEKDAYS[when.weekday()])
            for s in shoots_on.get(when, []):
                rows.append(
                    (
                        *start,
                        SHOOT_DAY,
                        _name(scenario.base_by_id, s.base_id),
                        s.set_id,
                        _set_type(scenario, s.set_id),
                        s.title_id,
                        _name(scenario.title_by_id, s.title_id),
                        _cast_names(scenario, s.title_id),
                        "",
                    )
                )
            if when not in shoots_on:
                duty = UNAVAILABLE_DAY if when in unavailable else DAY_OFF
                rows.append((*start, duty, "", "", "", "", "", "", unavailable.get(when, "")))
    return pd.DataFrame(rows, columns=list(CREW_SCHEDULE_COLUMNS))


def crew_grid(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """All crews at a glance: a row per crew, a column per horizon day (:func:`day_label`).

    A cell names the title shot that day, else ``休息`` or ``不可用：note``.
    """
    schedule = crew_schedule(scenario, plan)
    rows: dict[str, dict[str, Any]] = {}
    for row in schedule.itertuples(index=False):
        crew_id, crew_name, when, _weekday, duty = row[:5]
        cells = rows.setdefault(crew_id, {"剧组编号 crew id": crew_id, "剧组 crew": crew_name})
        if duty == SHOOT_DAY:
            text = str(row[9])
        elif duty == UNAVAILABLE_DAY:
            text = f"{UNAVAILABLE_DAY}：{row[11]}" if row[11] else UNAVAILABLE_DAY
        else:
            text = DAY_OFF
        label = day_label(when)
        cells[label] = f"{cells[label]}；{text}" if label in cells else text
    columns = [*CREW_GRID_INDEX_COLUMNS, *(day_label(when) for when in scenario.dates)]
    return pd.DataFrame(list(rows.values()), columns=columns).fillna("")


def crew_schedule_csv(scenario: Scenario, plan: Plan, crew_id: str) -> bytes:
    """One crew's daily schedule as CSV, with the byte-order mark Excel needs to show Chinese."""
    schedule = crew_schedule(scenario, plan)
    own = schedule[schedule["剧组编号 crew id"] == crew_id].copy()
    own["日期 date"] = [when.isoformat() for when in own["日期 date"]]
    return safe_frame(own).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


# -- booking sheets ------------------------------------------------------------------------


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


# -- writing workbooks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a table under one header row, or two for a day grid.

    ``formats`` gives a column's number format (one for all rows, or one per row);
    dates and whole numbers get :data:`DATE_FORMAT` and :data:`COUNT_FORMAT` unless
    told otherwise. A grid (``days``) heads its day columns with date cells and the
    weekday in a second header row, its cells wrapping in narrow columns.
    """

    name: str
    frame: pd.DataFrame
    formats: Mapping[str, str | Sequence[str | None]] = field(default_factory=dict)
    frozen_columns: int = 0
    days: Sequence[date] = ()
    fills: Mapping[str, PatternFill] = field(default_factory=dict)
    """Cell text → fill, for the states of a grid (closed, day off …)."""


@dataclass(frozen=True)
class PageHeading:
    """What every printed page says at its top: the scenario, the plan and what the file is."""

    scenario: str
    what: str
    plan_id: int | None = None

    def text(self) -> str:
        plan = f" · 方案{self.plan_id}" if self.plan_id is not None else ""
        text = f"{self.scenario}{plan} · {self.what}"[:120]
        return text.replace("&", "&&")  # & starts a header code


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


def _shown(value: Any, number_format: str | None) -> str:
    """Roughly the text a spreadsheet shows for ``value``: what sizes its column."""
    if isinstance(value, date):
        return "0000-00-00" if number_format in (None, DATE_FORMAT) else "00-00"
    if _number(value):
        if number_format == PERCENT_FORMAT:
            return f"{value:.1%}"
        if number_format == DECIMAL_FORMAT:
            return f"{value:,.1f}"
        return f"{value:,.0f}" if number_format == COUNT_FORMAT else str(value)
    return "" if value is None else str(value)


def _plain(value: Any) -> Any:
    """A cell value openpyxl writes as people expect: no NaN, no numpy scalars, text quoted."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str | date):  # numpy scalar
        value = value.item()
    return spreadsheet_cell(value)


def _default_format(value: Any) -> str | None:
    if isinstance(value, datetime):
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, int) and not isinstance(value, bool):
        return COUNT_FORMAT
    return None


def _print_setup(sheet: Worksheet, header_rows: int, heading: PageHeading | None) -> None:
    """A4 landscape, one page wide, header rows on every page, page header and footer."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.print_title_rows = f"1:{header_rows}"
    sheet.print_options.gridLines = True
    margins = sheet.page_margins  # inches; the page header and footer sit in the top and bottom
    margins.left = margins.right = 0.4
    margins.top = margins.bottom = 0.8
    margins.header = margins.footer = 0.3
    if heading is not None:
        sheet.oddHeader.left.text = heading.text()
        sheet.oddHeader.right.text = "&A"  # the sheet's name
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.right.text = "打印于 &D"


def _write_sheet(sheet: Worksheet, table: Sheet, heading: PageHeading | None) -> None:
    """``table`` into ``sheet``: typed cells, bold frozen header, fitted columns, print set-up."""
    frame = table.frame
    columns = [str(column) for column in frame.columns]
    day_columns = len(table.days)
    index_columns = len(columns) - day_columns
    header_rows = 2 if day_columns else 1

    headers: list[Any] = columns[:index_columns] + list(table.days)
    sheet.append([_plain(value) for value in headers])
    if day_columns:
        sheet.append([None] * index_columns + [WEEKDAYS[when.weekday()] for when in table.days])

    formats: list[list[str | None]] = []
    for column in columns:
        given = table.formats.get(column)
        if given is None or isinstance(given, str):
            formats.append([given] * len(frame))
        else:
            formats.append(list(given))
    for number, values in enumerate(frame.itertuples(index=False, name=None)):
        row = [_plain(value) for value in values]
        sheet.append(row)
        for place, value in enumerate(row):
            number_format = formats[place][number] or _default_format(value)
            cell = sheet.cell(row=number + header_rows + 1, column=place + 1)
            if cell.data_type == "f":  # no formula leaves the app
                cell.data_type = "s"
            if number_format:
                cell.number_format = number_format
            if table.fills and isinstance(value, str):
                fill = table.fills.get(value.split("：")[0])
                if fill is not None:
                    cell.fill = fill

    for row in sheet.iter_rows(min_row=1, max_row=header_rows):
        for cell in row:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if cell.data_type == "f":
                cell.data_type = "s"
    for number, when in enumerate(table.days):
        for row_number in range(1, header_rows + 1):
            cell = sheet.cell(row=row_number, column=index_columns + number + 1)
            cell.alignment = Alignment(horizontal="center")
            if row_number == 1:
                cell.number_format = DAY_HEADER_FORMAT
            if when.weekday() >= 5:
                cell.fill = WEEKEND_FILL
    for cell in sheet[header_rows]:
        cell.border = HEADER_BORDER
    if day_columns:  # an index column's name spans both header rows
        for number in range(1, index_columns + 1):
            sheet.merge_cells(start_row=1, end_row=2, start_column=number, end_column=number)

    lines = [1] * len(frame)  # text lines each data row needs, for its height
    header_lines = 1
    for number, column in enumerate(columns):
        shown = [
            _shown(_plain(value), formats[number][row] or _default_format(value))
            for row, value in enumerate(frame[frame.columns[number]])
        ]
        is_day = number >= index_columns
        content = max((_width(text) for text in shown), default=0)
        header = _width("00-00 周一" if is_day else column)
        # a long header wraps over its content's width rather than widen the column alone
        width = max(content, min(header, max(content, HEADER_WIDTH))) + 2
        widest = DAY_COLUMN_WIDTH if is_day else MAX_WIDTH
        letter = get_column_letter(number + 1)
        sheet.column_dimensions[letter].width = min(widest, width)
        if header + 2 > width and not is_day:
            header_lines = max(header_lines, math.ceil(header / ((width - 2) * FILL_RATIO)))
        if width > widest:  # long text wraps inside its column instead of running on
            for place, cell in enumerate(sheet[letter][header_rows:]):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                needed = math.ceil(_width(shown[place]) / (widest * FILL_RATIO))
                lines[place] = max(lines[place], min(MAX_LINES, needed))
    if header_lines > 1 and not day_columns:
        sheet.row_dimensions[1].height = LINE_HEIGHT * min(MAX_LINES, header_lines)
    for place, count in enumerate(lines):
        if count > 1:  # spreadsheets do not grow a row for wrapped text by themselves
            sheet.row_dimensions[header_rows + 1 + place].height = LINE_HEIGHT * count
            for cell in sheet[header_rows + 1 + place]:
                if not cell.alignment.wrap_text:
                    cell.alignment = Alignment(vertical="top")

    first_free = f"{get_column_letter(table.frozen_columns + 1)}{header_rows + 1}"
    sheet.freeze_panes = first_free
    if not day_columns and len(frame) and columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    _print_setup(sheet, header_rows, heading)


def sheets_workbook(sheets: Sequence[Sheet], heading: PageHeading | None = None) -> bytes:
    """An .xlsx of ``sheets`` in order, each written by :func:`_write_sheet`."""
    book = Workbook()
    for blank in book.worksheets:  # the one a new workbook starts with
        book.remove(blank)
    for name, table in zip(_sheet_names(s.name for s in sheets), sheets, strict=True):
        _write_sheet(book.create_sheet(name), table, heading)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_workbook(
    scenario: Scenario, plan: Plan, kpis: Mapping[str, Any], plan_id: int | None = None
) -> bytes:
    """The plan as .xlsx: 排期, 未排, the KPI summary and its details.

    Sheets: 排期 plan (a row per shoot), 未排 unscheduled, KPI (the headline
    figures, :func:`kpi_rows`), 每日 daily, 每周 weekly (calendar weeks), 闲置 idle
    (base × set type × week), 各基地 bases and 各剧组 crews.
    """
    kpi = kpi_rows(kpis)
    sheets = [
        Sheet(PLAN_SHEET, plan_table(scenario, plan), frozen_columns=1),
        Sheet(UNSCHEDULED_SHEET, unscheduled_table(scenario, plan), frozen_columns=1),
        Sheet(
            KPI_SHEET,
            kpi_table(kpis),
            formats={"值 value": [row.number_format for row in kpi]},
        ),
        Sheet(
            DAILY_SHEET,
            daily_table(kpis),
            formats={"场景利用率 set utilisation": PERCENT_FORMAT},
            frozen_columns=1,
        ),
        Sheet(
            WEEKLY_SHEET,
            weekly_table(scenario, plan),
            formats={
                "日均并行 mean parallel shoots": DECIMAL_FORMAT,
                "场景利用率 set utilisation": PERCENT_FORMAT,
            },
            frozen_columns=1,
        ),
        Sheet(IDLE_SHEET, idle_table(scenario, plan), frozen_columns=3),
        Sheet(
            BASES_SHEET,
            base_table(scenario, plan),
            formats={"场景利用率 set utilisation": PERCENT_FORMAT},
            frozen_columns=2,
        ),
        Sheet(
            CREWS_SHEET,
            crew_table(scenario, plan),
            formats={"剧组利用率 crew utilisation": PERCENT_FORMAT},
            frozen_columns=2,
        ),
    ]
    return sheets_workbook(sheets, PageHeading(scenario.name, "排期 plan", plan_id))


CREW_FILLS = {UNAVAILABLE_DAY: CLOSED_FILL, DAY_OFF: DAY_OFF_FILL}


def crew_schedule_workbook(scenario: Scenario, plan: Plan, plan_id: int | None = None) -> bytes:
    """Crew daily schedules as .xlsx: an overview, all crews' days, then a sheet per crew.

    总览 overview is a crew × day grid (:func:`crew_grid`); 全部 all crews the long
    table of :func:`crew_schedule`; a crew's sheet, named ``'C01 王导剧组'``, holds
    its own days only — every horizon day, days off and unavailable days included.
    """
    schedule = crew_schedule(scenario, plan)
    sheets = [
        Sheet(
            CREW_GRID_SHEET,
            crew_grid(scenario, plan),
            frozen_columns=len(CREW_GRID_INDEX_COLUMNS),
            days=scenario.dates,
            fills=CREW_FILLS,
        ),
        Sheet(ALL_CREWS_SHEET, schedule, frozen_columns=2, fills=CREW_FILLS),
    ]
    for crew_id, rows in schedule.groupby("剧组编号 crew id", sort=False):
        name = _name(scenario.crew_by_id, str(crew_id))
        own = rows.reset_index(drop=True)
        sheets.append(Sheet(f"{crew_id} {name}", own, frozen_columns=2, fills=CREW_FILLS))
    return sheets_workbook(sheets, PageHeading(scenario.name, "剧组日程 crew schedules", plan_id))


def booking_workbook(
    scenario: Scenario, plan: Plan, base_ids: Sequence[str] = (), plan_id: int | None = None
) -> bytes:
    """Booking sheets as .xlsx, a sheet per base (``'B01 郑州影视基地'``); all bases by default.

    Each is :func:`booking_sheet` under two header rows: the day's date (a date
    cell) and its weekday; weekends are shaded in the header, closed sets grey.
    """
    chosen = list(base_ids) or [base.base_id for base in scenario.bases]
    sheets = [
        Sheet(
            f"{base_id} {_name(scenario.base_by_id, base_id)}",
            booking_sheet(scenario, plan, base_id),
            frozen_columns=len(BOOKING_INDEX_COLUMNS),
            days=scenario.dates,
            fills={CLOSED_CELL: CLOSED_FILL},
        )
        for base_id in chosen
    ]
    heading = PageHeading(scenario.name, "基地排期表 booking sheets", plan_id)
    return sheets_workbook(sheets, heading)


# -- file names ----------------------------------------------------------------------------

_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_CJK = r"[\u2e80-\uffff]"


def _name_part(text: str, limit: int = 60) -> str:
    """``text`` fit for a Windows file name: no ``\\ / : * ? " < > |``, no control characters.

    Spaces next to Chinese go (``'郑州基地群 12月'`` → ``'郑州基地群12月'``), others become ``-``.
    """
    text = _UNSAFE_IN_NAMES.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(rf"(?<={_CJK}) | (?={_CJK})", "", text).replace(" ", "-")
    return text[:limit].strip(". _")


def file_name(
    scenario_name: str, what: str, plan_id: int, extension: str, made: date | None = None
) -> str:
    """A download's file name: scenario, plan number, what it is and the plan's date.

    ``file_name('郑州基地群 12月', '排期', 3, 'xlsx', date(2026, 12, 4))`` is
    ``'郑州基地群12月_方案3_排期_2026-12-04.xlsx'``; a :class:`datetime` is taken in the
    display time zone (北京时间). Safe on Windows: no ``\\ / : * ? " < > |``, no control
    characters, no part ending in a dot or space.
    """
    if isinstance(made, datetime):
        aware = made if made.tzinfo is not None else made.replace(tzinfo=UTC)  # as stored
        made = aware.astimezone(display_timezone()).date()
    parts = [_name_part(scenario_name) or "scenario", f"方案{plan_id}", _name_part(what)]
    if made is not None:
        parts.append(made.isoformat())
    stem = "_".join(part for part in parts if part)  # never a bare device name such as CON
    return f"{stem}.{_name_part(extension, 10) or 'dat'}"
