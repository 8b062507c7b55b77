"""The base manager's screen (基地视图): one base, one calendar week, every set by day.

A base manager (基地负责人) asks "what is free at my base next week, by set type, and
what can I rent out". Two figures answer, and they mean different things (the same two
labels as on the capacity page, :data:`~scheduler.services.capacity_report.IDLE_DIFFERENCE`):

- **不影响现排期可出租 sellable without breaking the current plan** — set-days the
  chosen plan leaves open. Renting one out breaks nothing in the current plan: no
  shoot of it uses that set on that day.
- **产能上界允许出租 sellable as the capacity bound allows** — set-days the capacity
  bound (:mod:`scheduler.services.capacity_report`) can give up without lowering the
  most priority *any* plan could reach. That is a fact about the capacity, not about
  the current plan: renting them may mean re-planning titles that use them now.

Every table here is computed from the plan's :func:`~scheduler.app.utilisation.base_grid`
restricted to one :class:`~scheduler.domain.weeks.Week`; Streamlit-free.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from scheduler.app.utilisation import BOOKED, CLOSED, IDLE, KpiCard
from scheduler.domain.figures import percent
from scheduler.domain.model import Scenario
from scheduler.domain.weeks import Week, calendar_weeks
from scheduler.services.capacity_report import (
    BOUND_SELLABLE,
    BOUND_SELLABLE_LABEL,
    PLAN_FREE,
    PLAN_FREE_LABEL,
)

__all__ = [
    "FREE_COLUMNS",
    "BaseWeek",
    "base_week",
    "bound_by_set_type",
    "default_week",
    "free_by_set_type",
    "plan_cards",
    "week_grid",
    "weeks_of",
]

FREE_COLUMNS: dict[str, str] = {
    "set_type": "场景类型 set type",
    "sets": "场景数 sets",
    "open": "开放棚日 open",
    "booked": "已订 booked",
    "free": PLAN_FREE_LABEL,
    "closed": "停用 closed",
    "free_days": "空闲的场景与日期 free sets and dates",
}
"""Headers of :func:`free_by_set_type`, as people read them."""


def plan_cards(kpis: Mapping[str, Any], base_id: str) -> list[KpiCard]:
    """The chosen plan in four figures, as the base page heads it: titles planned, shoots,
    set utilisation of every base and of ``base_id`` over the horizon.

    Parameters
    ----------
    kpis
        :func:`scheduler.check.kpis.compute_kpis` output (as stored with the plan).
    base_id
        The base the page shows.
    """
    scheduled = int(kpis.get("scheduled_titles", 0))
    unscheduled = int(kpis.get("unscheduled_titles", 0))
    by_base = kpis.get("set_utilisation_by_base", {})
    mine = by_base.get(base_id)
    return [
        KpiCard(
            "已排/未排 titles",
            f"{scheduled} / {unscheduled}",
            help="已排剧目 / 未排剧目 (scheduled / unscheduled titles), 全部基地 all bases",
        ),
        KpiCard(
            "拍摄场次 shoots",
            f"{int(kpis.get('shoots', 0)):,}",
            help="剧目 × 天，全部基地 (title-days at every base)",
        ),
        KpiCard(
            "场景利用率 set utilisation",
            percent(float(kpis.get("set_utilisation", 0.0))),
            help="全部基地：已订场景天 / 可用场景天 (all bases: booked / available set-days)",
        ),
        KpiCard(
            f"本基地利用率 {base_id} utilisation",
            "–" if mine is None else percent(float(mine)),
            help="本基地整个周期：已订场景天 / 可用场景天 (this base, whole horizon)",
        ),
    ]


def weeks_of(scenario: Scenario) -> list[Week]:
    """The scenario's calendar weeks (Mon–Sun), in order."""
    return calendar_weeks(scenario.start_date, scenario.days)


def default_week(weeks: Sequence[Week], today: date) -> int:
    """The week a base manager asks about first: next week, else this week, else the first."""
    for week in weeks:
        if week.first > today and week.first.weekday() == 0:
            return week.index
    for week in weeks:
        if week.first <= today <= week.last:
            return week.index
    return 0


def week_grid(grid: pd.DataFrame, week: Week) -> pd.DataFrame:
    """The rows of a :func:`~scheduler.app.utilisation.base_grid` that fall in ``week``."""
    first, last = week.first.isoformat(), week.last.isoformat()
    return grid[(grid["date"] >= first) & (grid["date"] <= last)].reset_index(drop=True)


def _dates_text(dates: list[str], week: Week) -> str:
    if len(dates) == len(week):
        return "整周"
    return "、".join(day[5:] for day in dates)


def free_by_set_type(grid: pd.DataFrame, week: Week) -> pd.DataFrame:
    """Per set type of one week's grid: sets, open, booked, free and closed set-days, and
    which sets are free on which dates (``S13 12-08、12-09；S14 整周``)."""
    rows = []
    for set_type, cells in grid.groupby("set_type", sort=False):
        states = cells["state"]
        free = cells[states == IDLE]
        per_set = [
            f"{set_id} {_dates_text(sorted(days['date']), week)}"
            for set_id, days in free.groupby("set_id", sort=False)
        ]
        rows.append(
            {
                "set_type": set_type,
                "sets": cells["set_id"].nunique(),
                "open": int((states != CLOSED).sum()),
                "booked": int((states == BOOKED).sum()),
                "free": len(free),
                "closed": int((states == CLOSED).sum()),
                "free_days": "；".join(per_set),
            }
        )
    return pd.DataFrame(rows, columns=list(FREE_COLUMNS))


@dataclass(frozen=True)
class BaseWeek:
    """One base's week in figures, as the sentence above its tables says them."""

    base: str
    week: Week
    sets: int
    open: int
    booked: int
    free: int
    closed: int

    def sentence(self) -> str:
        """「郑州影视基地（B01） 第50周 12-07~12-13：6 个场景、42 个开放棚日，已订 30，…」"""
        return (
            f"{self.base} {self.week.label}：{self.sets} 个场景、{self.open} 个开放棚日，"
            f"已订 {self.booked}，{PLAN_FREE} {self.free}，"
            f"停用 {self.closed}。"
        )


def base_week(scenario: Scenario, base_id: str, free: pd.DataFrame, week: Week) -> BaseWeek:
    """The totals of a :func:`free_by_set_type` table for the sentence."""
    base = scenario.base_by_id.get(base_id)
    name = f"{base.name}（{base_id}）" if base else base_id
    return BaseWeek(
        name,
        week,
        int(free["sets"].sum()),
        int(free["open"].sum()),
        int(free["booked"].sum()),
        int(free["free"].sum()),
        int(free["closed"].sum()),
    )


BOUND_COLUMNS: dict[str, str] = {
    "set_type": "场景类型 set type",
    "open": "开放棚日 open",
    "unusable": "无剧目能用 no title can use",
    "sellable": f"{BOUND_SELLABLE_LABEL}（可能需重排）",
}


def bound_by_set_type(idle: pd.DataFrame, base_id: str, week: Week) -> pd.DataFrame:
    """The capacity report's idle cells of one base and week, by set type.

    ``idle`` is :meth:`CapacityReport.idle_frame` (columns 基地, 场景类型, 周, 开放棚日,
    无需求闲置, 产能上界允许出租); its weeks are calendar weeks labelled as :class:`Week` is.
    """
    mine = idle[idle["基地"].str.split(" ").str[0].eq(base_id) & idle["周"].eq(week.label)]
    frame = pd.DataFrame(
        {
            "set_type": mine["场景类型"],
            "open": mine["开放棚日"],
            "unusable": mine["无需求闲置"],
            "sellable": mine[BOUND_SELLABLE],
        }
    )
    return frame.reset_index(drop=True)
