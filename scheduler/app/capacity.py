"""What the 产能规划 Capacity planning page shows, kept free of Streamlit so it can be tested.

The candidate table's headers and problems (rows named as the editor numbers them),
the budget in 万元, the metric cards, the binding actors above the candidates, the
per-base idle table with both sellable figures labelled, the weekly targets and the
report's download.
Candidates are read by :mod:`scheduler.services.candidates`; reports are computed in
the background by :mod:`scheduler.services.capacity_jobs`.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

import pandas as pd

from scheduler.app.rows import row_text
from scheduler.domain import figures
from scheduler.domain.model import Scenario
from scheduler.services.candidates import (
    BUYOUT_RATE_FACTOR,
    Candidate,
    RowProblem,
    Suggestions,
    checked_candidates,
)
from scheduler.services.capacity_report import (
    BOUND_SELLABLE,
    BOUND_SELLABLE_LABEL,
    PLAN_FREE,
    PLAN_FREE_LABEL,
    CapacityReport,
    per_month,
)

__all__ = [
    "COLUMN_LABELS",
    "IDLE_TABLE_BOUND",
    "IDLE_TABLE_PLAN_FREE",
    "WAN",
    "MetricCard",
    "binding_actors_note",
    "budget_yuan",
    "bullet_markdown",
    "editor_candidates",
    "idle_by_base_table",
    "metric_cards",
    "problem_line",
    "report_file_name",
    "report_json",
    "weekly_targets",
]

COLUMN_LABELS = {
    "kind": "类型 kind",
    "base_id": "基地 base",
    "set_type": "场景类型 set type",
    "actor_id": "演员 actor",
    "day_rate": "日租（元/天）day rate",
    "max_count": "最多追加 at most",
    "from_date": "买断起 from",
    "to_date": "买断止 to",
}
"""The candidate table's headers, Chinese first."""

WAN = 10_000
"""Yuan in one 万元, the unit the budget is typed in."""


# -- the inputs ------------------------------------------------------------------------


def editor_candidates(
    edited: pd.DataFrame, scenario: Scenario, last_row: int
) -> tuple[list[Candidate], list[str]]:
    """The edited table's candidates, or every problem as a line naming row and column.

    ``last_row`` is the last row number the editor was drawn with (rows after it are new).
    """
    candidates, problems = checked_candidates(edited, scenario)
    return candidates, [problem_line(problem, last_row) for problem in problems]


def problem_line(problem: RowProblem, last_row: int) -> str:
    """``第 3 行 row 3 · 日租（元/天）day rate：…`` — row numbers as the editor shows them."""
    column = "整行 whole row" if problem.column == "*" else COLUMN_LABELS.get(problem.column, "")
    return (
        f"{row_text(problem.row, last_row)} · {column}：{problem.message_zh}（{problem.message}）"
    )


def budget_yuan(wan: float | None) -> int | None:
    """A budget typed in 万元, in yuan (None: no budget)."""
    return None if wan is None else round(wan * WAN)


# -- the report ------------------------------------------------------------------------


class MetricCard(NamedTuple):
    """One card above the report: label, value, the note under it and its help."""

    label: str
    value: str
    note: str
    help: str


def metric_cards(report: CapacityReport) -> list[MetricCard]:
    """The bound, titles a month, the plan's share of the bound, and the sellable set-days
    both ways: without breaking the compared plan, and as the bound allows."""
    answer, scenario = report.answer, report.scenario
    by_base = report.sellable_by_base()
    sellable, open_days = answer.sellable_together, int(by_base["开放棚日"].sum())
    free = report.plan_free_total
    free_note = "还没有可比的方案" if free is None else ""
    if free is not None and open_days:
        free_note = f"占开放棚日 {figures.percent(free / open_days)}"
    share = (
        f"{report.plan_priority / answer.priority_bound:.1%}"
        if report.plan_priority is not None and answer.priority_bound
        else "–"
    )
    return [
        MetricCard(
            "优先级上界 priority bound",
            f"{answer.priority_bound:,}",
            f"全部剧目合计 {answer.total_priority:,}",
            "任何排期排进的优先级之和都不会超过它 / no plan can schedule more priority",
        ),
        MetricCard(
            "剧目数上界 titles bound",
            f"{answer.titles_bound} 部",
            f"折合每月 {figures.titles(per_month(scenario, answer.titles_bound or 0))} · "
            f"共 {answer.total_titles} 部待拍",
            f"{scenario.days} 天内最多能拍完的剧目数 / titles in {scenario.days} days at most",
        ),
        MetricCard(
            "当前方案/上界 plan/bound",
            share,
            "还没有可比的方案"
            if report.plan_priority is None
            else f"方案优先级 {report.plan_priority:,}",
            "所选方案排进的优先级占上界的比例 / the chosen plan's priority over the bound",
        ),
        MetricCard(
            PLAN_FREE_LABEL,
            "–" if free is None else f"{free:,}",
            free_note,
            "所选方案没订、也没停用的棚日：租出去现排期一场不动 / set-days the chosen plan "
            "leaves open and unbooked: renting them moves no shoot",
        ),
        MetricCard(
            BOUND_SELLABLE_LABEL,
            f"{sellable:,}",
            f"占开放棚日 {figures.percent(sellable / open_days)}" if open_days else "",
            "所有基地同时出租这些棚日也不会降低优先级上界（可能要重排）/ all bases renting "
            "these out at once keep the bound (titles may need re-planning)",
        ),
    ]


IDLE_TABLE_PLAN_FREE = f"{PLAN_FREE} without breaking the plan"
IDLE_TABLE_BOUND = f"{BOUND_SELLABLE} as the bound allows"
"""The per-base idle table's headers of the two figures: the Chinese labels in full, the
English shortened so that the table fits the page (the cards above carry them in full)."""


def idle_by_base_table(report: CapacityReport) -> pd.DataFrame:
    """Per base the two sellable figures side by side, each under its label.

    Without a compared plan the first reads ``None`` (shown blank).
    """
    by_base = report.sellable_by_base()
    free = by_base[PLAN_FREE] if PLAN_FREE in by_base else [None] * len(by_base)
    return pd.DataFrame(
        {
            "基地 base": by_base["基地"],
            "开放棚日 open": by_base["开放棚日"],
            IDLE_TABLE_PLAN_FREE: free,
            IDLE_TABLE_BOUND: by_base[BOUND_SELLABLE],
            "其中无人需要 unusable": by_base["无需求闲置"],
        }
    )


def binding_actors_note(suggestions: Suggestions, scenario: Scenario) -> str | None:
    """Above the candidates: which actors' days bind, whose days off are offered for a
    buy-out, and who has none to buy; ``None`` when no actor binds."""
    binding = suggestions.binding_actors
    if not binding:
        return None

    def names(ids: list[str]) -> str:
        shown = [
            f"{scenario.actor_by_id[a].name}（{a}）" if a in scenario.actor_by_id else a
            for a in ids[:5]
        ]
        return "、".join(shown) + (f" 等 {len(ids)} 位" if len(ids) > 5 else "")

    offered = [b.actor_id for b in binding if b.days_to_buy]
    none = [b.actor_id for b in binding if not b.days_to_buy]
    parts = [f"档期卡住产能的演员 binding actors：{names([b.actor_id for b in binding])}。 "]
    if offered:
        parts.append(
            f"{names(offered)}有停用日，已列为「演员档期」候选（列在表首；买断价默认为日薪的 "
            f"{BUYOUT_RATE_FACTOR} 倍，可改）/ their days off are offered for a buy-out. "
        )
    if none:
        parts.append(
            f"{names(none)}整个排期都没有停用日，没有档期可买断：加钱也买不到，"
            "只能换角、放宽交期或少接他/她的戏 / free every day: nothing to buy out."
        )
    return "".join(parts)


def bullet_markdown(lines: list[str]) -> str:
    """Sentences as a Markdown list; a step's number (``1. 新剧组 ×4…``) stays text."""
    return "\n".join("- " + re.sub(r"^(\d+)\.", r"\1\\.", line) for line in lines)


def weekly_targets(report: CapacityReport, parallel_shoots: int) -> list[int]:
    """The target shoot-days of each week: parallel shoots a day × the week's days."""
    return [parallel_shoots * len(load.bucket) for load in report.answer.loads]


def report_file_name(scenario: Scenario) -> str:
    """``郑州基地群 2026年12月_产能规划.json``, characters a file name cannot hold replaced."""
    name = re.sub(r'[\\/:*?"<>|]+', "_", scenario.name).strip() or "scenario"
    return f"{name}_产能规划.json"


def report_json(report: CapacityReport) -> str:
    """The report as the JSON document the page offers for download."""
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)
