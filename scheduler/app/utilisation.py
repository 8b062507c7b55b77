"""What the Utilisation page shows, as plain tables: KPI cards, set-days by base and day, the
base manager's grid of sets by day, idle set-days and parallel shoots against the target.

Streamlit-free. Frames use short English column names (``base_id``, ``date`` …) that charts
read; :func:`labelled` renames them to the ``"中文 English"`` headers people see. Words as in
:mod:`scheduler.check.kpis`: a set-day is *available* unless the set or its base is closed
that day, *booked* if a shoot uses it, *idle* if available and not booked, *closed*
otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from scheduler.domain.figures import percent, whole
from scheduler.domain.model import Scenario
from scheduler.domain.money import format_cny
from scheduler.domain.plan import Plan, Shoot

BOOKED = "booked"
IDLE = "idle"
CLOSED = "closed"
STATE_LABELS: dict[str, str] = {BOOKED: "已订 booked", IDLE: "闲置 idle", CLOSED: "停用 closed"}

COLUMN_LABELS: dict[str, str] = {
    "base_id": "基地编号 base id",
    "base": "基地 base",
    "date": "日期 date",
    "booked": "已订 booked",
    "available": "可用 available",
    "idle": "闲置 idle",
    "closed": "停用 closed",
    "utilisation": "利用率 utilisation",
    "set_id": "场景编号 set id",
    "set_type": "场景类型 set type",
    "set": "场景 set",
    "state": "状态 state",
    "title_id": "剧目编号 title id",
    "title": "剧目 title",
    "crew_id": "剧组编号 crew id",
    "crew": "剧组 crew",
    "cast": "演员 cast",
    "week": "周 week",
    "idle_set_days": "闲置场景天 idle set-days",
    "shoots": "并行拍摄 parallel shoots",
    "target": "目标 target",
    "total": "合计 total",
}

COST_PARTS: dict[str, str] = {"sets": "场景 sets", "crews": "剧组 crews", "actors": "演员 actors"}

DeltaColor = Literal["normal", "inverse", "off"]


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its known columns renamed to ``"中文 English"`` headers."""
    return frame.rename(columns=COLUMN_LABELS)


@dataclass(frozen=True)
class KpiCard:
    """One ``st.metric`` card: a label, its value, how far from the target and a tooltip."""

    label: str
    value: str
    delta: str | None = None
    delta_color: DeltaColor = "normal"
    help: str | None = None
    delta_arrow: Literal["auto", "off"] = "auto"


def kpi_cards(kpis: Mapping[str, Any]) -> list[KpiCard]:
    """The KPI cards of a plan against the scenario's targets.

    Parameters
    ----------
    kpis
        :func:`scheduler.check.kpis.compute_kpis` output (as stored with the plan).

    Returns
    -------
    list of KpiCard
        Parallel shoots per day (min and mean vs target), titles per 30 days vs
        target, set and crew utilisation, cost with its split, priority vs bound.
    """
    targets = kpis.get("targets", {})
    parallel_target = int(targets.get("parallel_shoots_per_day", 0))
    titles_target = int(targets.get("titles_per_month", 0))
    parallel = kpis.get("parallel_shoots", {})
    low, mean = int(parallel.get("min", 0)), float(parallel.get("mean", 0.0))
    per_30 = float(kpis.get("titles_per_30_days", 0.0))
    gaps = kpis.get("target_gaps", {})
    split = kpis.get("cost_split", {})
    cost = int(kpis.get("cost", 0))
    priority = int(kpis.get("priority_scheduled", 0))
    bound = kpis.get("priority_bound")

    split_text = "；".join(
        f"{name} {format_cny(int(split.get(key, 0)))}（¥{int(split.get(key, 0)):,}）"
        for key, name in COST_PARTS.items()
    )
    if bound is None:
        priority_value, priority_delta = f"{priority}", None
        priority_help = "没有已证明的上界 / no proven bound"
    else:
        priority_value = f"{priority} / {int(bound)}"
        missing = priority - int(bound)
        priority_delta = f"{missing:+d} vs 上界 bound" if missing else "最优 optimal"
        priority_help = "已排剧目优先级之和 / 已证明的上界 (Σ priority scheduled / proven bound)"
    return [
        KpiCard(
            "并行/天 最少 min parallel",
            f"{low}",
            f"{low - parallel_target:+d} vs 目标 {parallel_target}",
            help=f"{gaps.get('days_below_parallel_target', 0)} 天低于目标 / days below target",
        ),
        KpiCard(
            "并行/天 平均 mean parallel",
            f"{mean:.1f}",
            f"{mean - parallel_target:+.1f} vs 目标 {parallel_target}",
            help=f"最多 max {parallel.get('max', 0)}",
        ),
        KpiCard(
            "每30天剧目 titles / 30 days",
            f"{whole(per_30):,}",
            f"{whole(per_30) - titles_target:+,} vs 目标 {titles_target:,}",
            help=f"周期内完成 finished in the horizon: {kpis.get('titles_finished', 0)}",
        ),
        KpiCard(
            "场景利用率 set utilisation",
            percent(float(kpis.get("set_utilisation", 0.0))),
            help="已订场景天 / 可用场景天 (booked / available set-days)",
        ),
        KpiCard(
            "剧组利用率 crew utilisation",
            percent(float(kpis.get("crew_utilisation", 0.0))),
            help="剧组拍摄天 / 可用剧组天 (crew shoot-days / available crew-days)",
        ),
        KpiCard("成本 cost", format_cny(cost), f"¥{cost:,}", "off", split_text, "off"),
        KpiCard(
            "已排/未排 titles",
            f"{kpis.get('scheduled_titles', 0)} / {kpis.get('unscheduled_titles', 0)}",
            help="已排剧目 / 未排剧目 (scheduled / unscheduled titles)",
        ),
        KpiCard(
            "优先级 priority / 上界 bound",
            priority_value,
            priority_delta,
            "off" if priority_delta == "最优 optimal" else "normal",
            help=priority_help,
        ),
    ]


def _open_days(scenario: Scenario, set_id: str) -> frozenset[int]:
    return frozenset(range(scenario.days)) - scenario.unavailable_days("set", set_id)


def _shoots_by_set_day(scenario: Scenario, plan: Plan) -> dict[tuple[str, int], Shoot]:
    """The shoot on each (set, horizon day), leaving out those off the horizon or unknown sets."""
    found: dict[tuple[str, int], Shoot] = {}
    for shoot in plan.shoots:
        day = scenario.day_index(shoot.date)
        if 0 <= day < scenario.days and shoot.set_id in scenario.set_by_id:
            found[(shoot.set_id, day)] = shoot
    return found


def set_days_by_base_day(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Booked and available set-days of every base on every horizon day.

    Returns
    -------
    DataFrame
        One row per base and day, bases in file order: ``base_id``, ``base``
        (name), ``date`` (ISO), ``booked``, ``available`` and ``utilisation``
        (booked / available; NaN when the base has nothing available that day).
    """
    booked = _shoots_by_set_day(scenario, plan)
    counts: dict[tuple[str, int], list[int]] = {
        (base.base_id, day): [0, 0] for base in scenario.bases for day in range(scenario.days)
    }
    for film_set in scenario.sets:
        for day in _open_days(scenario, film_set.set_id):
            tally = counts[(film_set.base_id, day)]
            tally[0] += int((film_set.set_id, day) in booked)
            tally[1] += 1
    rows = [
        {
            "base_id": base_id,
            "base": scenario.base_by_id[base_id].name,
            "date": scenario.date_of(day).isoformat(),
            "booked": used,
            "available": available,
            "utilisation": round(used / available, 4) if available else float("nan"),
        }
        for (base_id, day), (used, available) in counts.items()
    ]
    return pd.DataFrame(
        rows, columns=["base_id", "base", "date", "booked", "available", "utilisation"]
    )


def _base_name(scenario: Scenario, base_id: str) -> str:
    base = scenario.base_by_id.get(base_id)
    return base.name if base else base_id


def _crew_name(scenario: Scenario, crew_id: str) -> str:
    crew = scenario.crew_by_id.get(crew_id)
    return crew.name if crew else crew_id


def _names(scenario: Scenario, actor_ids: tuple[str, ...]) -> str:
    return "、".join(
        scenario.actor_by_id[a].name if a in scenario.actor_by_id else a for a in actor_ids
    )


def base_grid(scenario: Scenario, plan: Plan, base_id: str) -> pd.DataFrame:
    """The base manager's view: each set of one base on each horizon day.

    Parameters
    ----------
    scenario, plan
        The plan and the scenario it was made for.
    base_id
        The base to show.

    Returns
    -------
    DataFrame
        One row per set and day, sets in file order: ``set_id``, ``set_type``,
        ``set`` (``"S1 办公室"``), ``date`` (ISO), ``state`` (``booked``,
        ``idle`` or ``closed``), and for a booked set-day ``title_id``,
        ``title``, ``crew_id``, ``crew`` and ``cast`` (names; empty otherwise).

    Raises
    ------
    KeyError
        ``base_id`` is not a base of the scenario.
    """
    if base_id not in scenario.base_by_id:
        raise KeyError(f"no base {base_id!r} in the scenario")
    booked = _shoots_by_set_day(scenario, plan)
    rows = []
    for film_set in scenario.sets:
        if film_set.base_id != base_id:
            continue
        closed = scenario.unavailable_days("set", film_set.set_id)
        for day in range(scenario.days):
            shoot = booked.get((film_set.set_id, day))
            state = CLOSED if day in closed else BOOKED if shoot else IDLE
            row = {
                "set_id": film_set.set_id,
                "set_type": film_set.set_type,
                "set": f"{film_set.set_id} {film_set.set_type}",
                "date": scenario.date_of(day).isoformat(),
                "state": state,
                "title_id": "",
                "title": "",
                "crew_id": "",
                "crew": "",
                "cast": "",
            }
            if shoot is not None and state == BOOKED:
                title = scenario.title_by_id.get(shoot.title_id)
                crew = scenario.crew_by_id.get(shoot.crew_id)
                row |= {
                    "title_id": shoot.title_id,
                    "title": title.name if title else shoot.title_id,
                    "crew_id": shoot.crew_id,
                    "crew": crew.name if crew else shoot.crew_id,
                    "cast": _names(scenario, title.cast) if title else "",
                }
            rows.append(row)
    columns = ["set_id", "set_type", "set", "date", "state"]
    columns += ["title_id", "title", "crew_id", "crew", "cast"]
    return pd.DataFrame(rows, columns=columns)


def base_summary(grid: pd.DataFrame) -> pd.DataFrame:
    """Booked, idle and closed days per set type of a :func:`base_grid`, with utilisation.

    Returns
    -------
    DataFrame
        One row per set type: ``set_type``, ``booked``, ``idle``, ``closed`` and
        ``utilisation`` (booked / (booked + idle), 0 when nothing is open).
    """
    counts = (
        grid.groupby(["set_type", "state"]).size().unstack(fill_value=0)
        if not grid.empty
        else pd.DataFrame()
    )
    counts = counts.reindex(columns=[BOOKED, IDLE, CLOSED], fill_value=0).reset_index()
    counts.columns.name = None
    if "set_type" not in counts:
        counts["set_type"] = pd.Series(dtype=str)
    open_days = counts[BOOKED] + counts[IDLE]
    counts["utilisation"] = (counts[BOOKED] / open_days.where(open_days > 0)).fillna(0.0).round(4)
    return counts[["set_type", BOOKED, IDLE, CLOSED, "utilisation"]]


def idle_set_days_frame(kpis: Mapping[str, Any], scenario: Scenario) -> pd.DataFrame:
    """The KPIs' ``idle_set_days`` as a long table.

    Returns
    -------
    DataFrame
        One row per base, set type and week: ``base_id``, ``base`` (name, or
        the id for a base the scenario no longer has), ``set_type``, ``week``
        (``'12-01~12-07'``) and ``idle_set_days``.
    """
    rows = [
        {
            "base_id": base_id,
            "base": _base_name(scenario, base_id),
            "set_type": set_type,
            "week": week,
            "idle_set_days": int(days),
        }
        for base_id, by_type in kpis.get("idle_set_days", {}).items()
        for set_type, by_week in by_type.items()
        for week, days in by_week.items()
    ]
    return pd.DataFrame(rows, columns=["base_id", "base", "set_type", "week", "idle_set_days"])


def idle_set_days_table(idle: pd.DataFrame) -> pd.DataFrame:
    """An :func:`idle_set_days_frame` as base × set type rows, one column per week and a total."""
    if idle.empty:
        return pd.DataFrame(columns=["base", "set_type", "total"])
    weeks = list(dict.fromkeys(idle["week"]))
    table = idle.pivot_table(
        index=["base", "set_type"],
        columns="week",
        values="idle_set_days",
        aggfunc="sum",
        sort=False,
    ).reindex(columns=weeks)
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index()


def parallel_shoots_frame(kpis: Mapping[str, Any]) -> pd.DataFrame:
    """Parallel shoots per day against the target.

    Returns
    -------
    DataFrame
        ``date`` (ISO), ``shoots``, ``target`` and ``below`` (fewer than the target).
    """
    target = int(kpis.get("targets", {}).get("parallel_shoots_per_day", 0))
    frame = pd.DataFrame(
        {
            "date": list(kpis.get("dates", [])),
            "shoots": list(kpis.get("parallel_shoots_per_day", [])),
        }
    )
    frame["target"] = target
    frame["below"] = frame["shoots"] < target
    return frame


def crew_utilisation_frame(kpis: Mapping[str, Any], scenario: Scenario) -> pd.DataFrame:
    """Crew utilisation per crew, lowest first: ``crew_id``, ``crew`` (name), ``utilisation``."""
    rows = [
        {
            "crew_id": crew_id,
            "crew": _crew_name(scenario, crew_id),
            "utilisation": float(ratio),
        }
        for crew_id, ratio in kpis.get("crew_utilisation_by_crew", {}).items()
    ]
    frame = pd.DataFrame(rows, columns=["crew_id", "crew", "utilisation"])
    return frame.sort_values("utilisation", kind="stable").reset_index(drop=True)
