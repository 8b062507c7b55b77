"""Plotly figures of the 产能规划 Capacity planning page, drawn from the tables of
:class:`scheduler.services.capacity_report.CapacityReport`. No data is computed here beyond
pivoting a table into a chart's grid."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from scheduler.domain import figures
from scheduler.services.capacity_report import (
    BOUND_SELLABLE,
    BOUND_SELLABLE_LABEL,
    PLAN_FREE,
    PLAN_FREE_LABEL,
)

OPEN_COLOUR = "#b0bec5"
CREW_COLOUR = "#5c6bc0"
DEMAND_COLOUR = "#ffb74d"
BOUND_COLOUR = "#2e7d32"
TARGET_COLOUR = "#c62828"
UNUSABLE_COLOUR = "#9e9e9e"
SELLABLE_COLOUR = "#43a047"
PLAN_FREE_COLOUR = "#1e88e5"

ROW_HEIGHT = 26
"""Pixels per base in the per-base charts: enough for a Chinese base name."""

MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
LEGEND_BELOW = {"orientation": "h", "y": -0.18, "x": 0}


def _height(rows: int, extra: int = 150) -> int:
    return max(300, rows * ROW_HEIGHT + extra)


def weekly_capacity_chart(loads: pd.DataFrame, target_shoot_days: Sequence[float]) -> go.Figure:
    """Per week: open set-days, crew days, shoot days in demand and the bound's shoot days.

    ``loads`` is :meth:`CapacityReport.loads_frame`; ``target_shoot_days`` is the target
    of parallel shoots × the week's days, one per row, drawn as a dashed line.
    """
    series = (
        ("开放棚日", "开放棚日 open set-days", OPEN_COLOUR),
        ("剧组可拍日", "剧组可拍日 crew days", CREW_COLOUR),
        ("需求拍摄日", "需求拍摄日 shoot days in demand", DEMAND_COLOUR),
        ("上界拍摄日", "上界拍摄日 shoot days at the bound", BOUND_COLOUR),
    )
    figure = go.Figure(
        [
            go.Bar(
                x=loads["周"],
                y=loads[column],
                name=name,
                marker_color=colour,
                text=loads[column].round(0).astype(int),
                textposition="inside",
                insidetextanchor="end",
                textangle=0,
                textfont={"size": 11},
                hovertemplate=f"%{{x}}<br>{name}: %{{y:,.1f}}<extra></extra>",
            )
            for column, name, colour in series
        ]
    )
    figure.add_trace(
        go.Scatter(
            x=loads["周"],
            y=list(target_shoot_days),
            name="目标拍摄日 target shoot days",
            mode="lines+markers",
            line={"color": TARGET_COLOUR, "dash": "dash"},
            customdata=loads["日均并行"],
            hovertemplate="%{x}<br>目标 target: %{y:,.0f}<extra></extra>",
        )
    )
    top = max([*loads[[c for c, _, _ in series]].max().tolist(), *target_shoot_days, 1])
    figure.update_layout(
        barmode="group",
        height=420,
        margin=MARGIN,
        legend=LEGEND_BELOW,
        yaxis={"title": "天数 days（棚日 / 剧组日 / 拍摄日）", "range": [0, top * 1.12]},
        xaxis={"type": "category"},
    )
    return figure


def expansion_chart(steps: pd.DataFrame, baseline: float, target: float) -> go.Figure:
    """Titles a month after each cumulative addition against the money spent, with the target.

    ``steps`` has the columns ``累计费用（万元）`` and ``累计每月部数`` and ``追加``, one row
    per step in the order the additions are taken; ``baseline`` is today's titles a month.
    """
    costs = [0.0, *steps["累计费用（万元）"].tolist()]
    titles = [baseline, *steps["累计每月部数"].tolist()]
    labels = ["现有 today", *steps["追加"].tolist()]
    figure = go.Figure(
        go.Scatter(
            x=costs,
            y=titles,
            mode="lines+markers+text",
            line={"color": BOUND_COLOUR},
            marker={"size": 9},
            text=[f"{figures.whole(t):,}" for t in titles],
            textposition=["top right", *["top left"] * (len(titles) - 1)],
            customdata=labels,
            name="每月部数 titles / month",
            hovertemplate="%{customdata}<br>累计 %{x:,.1f} 万元 → 每月 %{y:.0f} 部<extra></extra>",
        )
    )
    figure.add_hline(
        y=target,
        line_dash="dash",
        line_color=TARGET_COLOUR,
        annotation_text=f"目标 target {figures.whole(target):,}",
        annotation_position="bottom right",
    )
    low = min([*titles, target])
    high = max([*titles, target])
    pad = max(2.0, (high - low) * 0.15)
    figure.update_layout(
        height=340,
        margin=MARGIN,
        showlegend=False,
        xaxis={"title": "累计追加费用（万元）cumulative cost (10k CNY)", "rangemode": "tozero"},
        yaxis={"title": "每月剧目数 titles / month", "range": [low - pad, high + pad]},
    )
    return figure


def sellable_heatmap(idle: pd.DataFrame) -> go.Figure:
    """Sellable idle set-days by base × week, each cell labelled ``sellable/open`` and
    coloured by the sellable share of the open set-days (weeks and bases differ in size).

    ``idle`` is :meth:`CapacityReport.idle_frame` (summed over set types here).
    """
    bases = list(dict.fromkeys(idle["基地"]))
    weeks = list(dict.fromkeys(idle["周"]))
    totals = idle.groupby(["基地", "周"], sort=False)[["开放棚日", BOUND_SELLABLE]].sum()
    sellable = totals[BOUND_SELLABLE].unstack().reindex(index=bases, columns=weeks).fillna(0)
    open_days = totals["开放棚日"].unstack().reindex(index=bases, columns=weeks).fillna(0)
    share = (sellable / open_days.where(open_days > 0)).fillna(0)
    text = sellable.astype(int).astype(str) + "/" + open_days.astype(int).astype(str)
    figure = go.Figure(
        go.Heatmap(
            z=share.to_numpy(),
            # 第49周 over its first and last date: a week's label fits a narrow column
            x=[week.replace(" ", "<br>", 1).replace("~", "<br>", 1) for week in weeks],
            y=bases,
            text=text.to_numpy(),
            texttemplate="%{text}",
            colorscale="Greens",
            zmin=0,
            zmax=1,
            colorbar={"title": f"{BOUND_SELLABLE}占比", "tickformat": ".1%"},
            xgap=1,
            ygap=1,
            hovertemplate=f"%{{y}} · %{{x}}<br>{BOUND_SELLABLE}/开放 sellable/open: %{{text}} 棚日"
            "（%{z:.1%}）<extra></extra>",
        )
    )
    figure.update_layout(
        height=_height(len(bases)),
        margin=MARGIN,
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"type": "category", "side": "top", "tickangle": 0},
    )
    return figure


def sellable_by_base_chart(by_base: pd.DataFrame) -> go.Figure:
    """Sellable idle set-days per base, two ways side by side: what the compared plan
    leaves free (when the table has it) and what the capacity bound allows.

    ``by_base`` is :meth:`CapacityReport.sellable_by_base`; bases keep its order, top down.
    """
    hover = (
        "%{y}<br>%{fullData.name}: %{x} 棚日"
        "<br>开放 open %{customdata[0]} · 无人需要 no title can use %{customdata[1]}"
        "<extra></extra>"
    )
    custom = by_base[["开放棚日", "无需求闲置"]].to_numpy()
    series = [(BOUND_SELLABLE, BOUND_SELLABLE_LABEL, SELLABLE_COLOUR)]
    if PLAN_FREE in by_base:
        series.insert(0, (PLAN_FREE, PLAN_FREE_LABEL, PLAN_FREE_COLOUR))
    figure = go.Figure(
        [
            go.Bar(
                y=by_base["基地"],
                x=by_base[column],
                orientation="h",
                name=name,
                marker_color=colour,
                customdata=custom,
                text=by_base[column],
                textposition="outside",
                hovertemplate=hover,
            )
            for column, name, colour in series
        ]
    )
    top = max([float(by_base[column].max()) for column, _, _ in series if len(by_base)] or [1.0])
    figure.update_layout(
        barmode="group",
        height=_height(len(by_base) * len(series)),
        margin=MARGIN,
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        xaxis={"title": "可出租棚日 sellable set-days", "range": [0, max(top, 1.0) * 1.25]},
        yaxis={"autorange": "reversed", "type": "category"},
    )
    return figure
