"""Plotly figures of the Utilisation and What-if pages, drawn from the tables that
:mod:`scheduler.app.utilisation` and :mod:`scheduler.app.compare` make. No data is computed here
beyond pivoting a table into a chart's grid."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from pandas.io.formats.style import Styler

from scheduler.app.compare import BETTER_COLUMN, HIGHER, KPI_COLUMN, delta_label
from scheduler.app.palette import looks_for
from scheduler.app.utilisation import BOOKED, CLOSED, IDLE, STATE_LABELS

BOOKED_COLOUR = "#2e7d32"
IDLE_COLOUR = "#e0e0e0"
CLOSED_COLOUR = "#616161"
BELOW_COLOUR = "#ef6c00"
AT_TARGET_COLOUR = "#1565c0"


def _height(rows: int, per_row: int = 28, extra: int = 140) -> int:
    return max(260, rows * per_row + extra)


def base_day_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Booked / available sets by base × day, coloured by utilisation, each cell labelled ``b/a``.

    ``frame`` is :func:`scheduler.app.utilisation.set_days_by_base_day`.
    """
    bases = list(dict.fromkeys(frame["base"]))
    dates = list(dict.fromkeys(frame["date"]))
    grid = frame.pivot(index="base", columns="date", values="utilisation").reindex(bases)[dates]
    booked = frame.pivot(index="base", columns="date", values="booked").reindex(bases)[dates]
    available = frame.pivot(index="base", columns="date", values="available").reindex(bases)[dates]
    text = booked.astype(int).astype(str) + "/" + available.astype(int).astype(str)
    figure = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[d[5:] for d in dates],
            y=bases,
            text=text.to_numpy(),
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=1,
            colorbar={"title": "利用率", "tickformat": ".0%"},
            hovertemplate="%{y} · %{x}<br>已订/可用 booked/available: %{text}"
            "<br>利用率 utilisation: %{z:.1%}<extra></extra>",
        )
    )
    figure.update_layout(
        height=_height(len(bases)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"autorange": "reversed"},
        xaxis={"title": "日期 date", "type": "category"},
    )
    return figure


def idle_bars(idle: pd.DataFrame) -> go.Figure:
    """Idle set-days per base, stacked by set type (``idle`` from ``idle_set_days_frame``)."""
    totals = idle.groupby(["base", "set_type"], sort=False, as_index=False)["idle_set_days"].sum()
    looks = looks_for(totals["set_type"])  # 12 set types, 12 distinct colours (not 10 reused)
    figure = px.bar(
        totals,
        x="base",
        y="idle_set_days",
        color="set_type",
        color_discrete_map={set_type: look.colour for set_type, look in looks.items()},
        labels={
            "base": "基地 base",
            "idle_set_days": "闲置场景天 idle set-days",
            "set_type": "场景类型",
        },
    )
    figure.update_layout(height=420, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return figure


STATE_CODES = {CLOSED: 0, IDLE: 1, BOOKED: 2}


def base_grid_figure(grid: pd.DataFrame) -> go.Figure:
    """The base manager's grid: a row per set, a column per day; booked cells show the title.

    ``grid`` is :func:`scheduler.app.utilisation.base_grid`; hovering a cell shows
    the title, crew and cast booked there, or that the set is idle or closed.
    """
    sets = list(dict.fromkeys(grid["set"]))
    dates = list(dict.fromkeys(grid["date"]))
    table = grid.assign(code=grid["state"].map(STATE_CODES), label=grid["state"].map(STATE_LABELS))

    def cells(column: str) -> pd.DataFrame:
        return table.pivot(index="set", columns="date", values=column).reindex(sets)[dates]

    titles = cells("title")
    hover = cells("label") + "<br>" + titles + "<br>" + cells("crew") + "<br>" + cells("cast")
    # a month leaves room for two characters a cell; hovering shows the whole title
    room = 6 if len(dates) <= 14 else 2
    short = titles.map(lambda name: name if len(name) <= room else name[: room - 1] + "…")
    figure = go.Figure(
        go.Heatmap(
            z=cells("code").to_numpy(),
            x=[d[5:] for d in dates],
            y=sets,
            text=short.to_numpy(),
            customdata=hover.to_numpy(),
            texttemplate="%{text}",
            textfont={"size": 10},
            zmin=0,
            zmax=2,
            colorscale=[
                [0.0, CLOSED_COLOUR],
                [1 / 3, CLOSED_COLOUR],
                [1 / 3, IDLE_COLOUR],
                [2 / 3, IDLE_COLOUR],
                [2 / 3, BOOKED_COLOUR],
                [1.0, BOOKED_COLOUR],
            ],
            showscale=False,
            xgap=1,
            ygap=1,
            hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>",
        )
    )
    figure.update_layout(
        height=_height(len(sets), per_row=30),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"title": "日期 date", "type": "category"},
    )
    return figure


def parallel_shoots_chart(frame: pd.DataFrame) -> go.Figure:
    """Parallel shoots per day as bars (orange below target) with the target as a line."""
    colours = [BELOW_COLOUR if below else AT_TARGET_COLOUR for below in frame["below"]]
    figure = go.Figure(
        go.Bar(
            x=frame["date"],
            y=frame["shoots"],
            marker_color=colours,
            name="并行拍摄 parallel shoots",
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    if len(frame):
        target = int(frame["target"].iloc[0])
        figure.add_hline(
            y=target,
            line_dash="dash",
            line_color="#c62828",
            annotation_text=f"目标 target {target}",
            annotation_position="top right",
        )
    figure.update_layout(
        height=340,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"title": "剧目数 titles"},
        xaxis={"title": "日期 date"},
    )
    return figure


def crew_utilisation_chart(frame: pd.DataFrame) -> go.Figure:
    """Crew utilisation per crew, horizontal bars, lowest at the top."""
    labels = frame["crew"] + "（" + frame["crew_id"] + "）"
    figure = go.Figure(
        go.Bar(
            x=frame["utilisation"],
            y=labels,
            orientation="h",
            marker_color=AT_TARGET_COLOUR,
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    figure.update_layout(
        height=_height(len(frame), per_row=20),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"title": "剧组利用率 crew utilisation", "tickformat": ".0%", "range": [0, 1]},
        yaxis={"autorange": "reversed", "type": "category"},
    )
    return figure


def utilisation_delta_chart(table: pd.DataFrame, delta_columns: list[str]) -> go.Figure:
    """Δ set utilisation (percentage points) per base, one bar group per compared plan.

    ``table`` is :func:`scheduler.app.compare.utilisation_by_base_delta`.
    """
    figure = go.Figure(
        [
            go.Bar(
                x=table["基地 base"],
                y=table[column],
                name=column,
                hovertemplate="%{x}: %{y:+.1f} pp<extra></extra>",
            )
            for column in delta_columns
        ]
    )
    figure.add_hline(y=0, line_color="#9e9e9e")
    figure.update_layout(
        barmode="group",
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"title": "Δ 场景利用率 (百分点 pp)"},
        legend={"orientation": "h", "y": -0.3},
    )
    return figure


def parallel_compare_chart(frame: pd.DataFrame, target: int | None) -> go.Figure:
    """Parallel shoots per day of several plans as lines, with the target.

    ``frame`` is :func:`scheduler.app.compare.parallel_shoots_by_plan`.
    """
    figure = px.line(
        frame,
        x="date",
        y="shoots",
        color="plan",
        markers=True,
        labels={"date": "日期 date", "shoots": "并行拍摄 parallel shoots", "plan": "方案 plan"},
    )
    if target is not None:
        figure.add_hline(y=target, line_dash="dash", line_color="#c62828")
    figure.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.3},
    )
    figure.update_xaxes(tickformat="%m-%d")  # as on every other chart, not "Dec 6 2026"
    return figure


def _number(value: float, signed: bool = False) -> str:
    if pd.isna(value):
        return "–"
    digits = 0 if float(value).is_integer() else 2
    return f"{value:{'+' if signed else ''},.{digits}f}"


def style_kpi_table(table: pd.DataFrame) -> Styler:
    """A :func:`scheduler.app.compare.compare_kpis` table for reading: numbers with thousands
    separators (``–`` where missing) and each Δ green where it is better than the
    reference, red where worse."""
    numbers = [c for c in table.columns if c not in (KPI_COLUMN, BETTER_COLUMN)]
    deltas = [c for c in numbers if c.startswith("Δ ")]
    shown = table.astype({column: object for column in numbers})
    for column in numbers:
        shown[column] = [_number(v, signed=column in deltas) for v in table[column]]

    def colour(row: pd.Series) -> list[str]:
        sign = 1 if table.at[row.name, BETTER_COLUMN] == HIGHER else -1
        styles = []
        for column in row.index:
            value = _as_float(table.at[row.name, column])
            if column in deltas and value is not None and value != 0:
                styles.append(f"color: {'#2e7d32' if value * sign > 0 else '#c62828'}")
            else:
                styles.append("")
        return styles

    return shown.style.apply(colour, axis=1)


def _as_float(value: object) -> float | None:
    """A table cell as a number, or None when it is empty or not a number."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN is missing


def style_compact_table(shown: pd.DataFrame, numbers: pd.DataFrame) -> Styler:
    """A :func:`scheduler.app.compare.compact` table (value and Δ in one cell) coloured like
    :func:`style_kpi_table`: a plan's cell green where its Δ in ``numbers`` (the table it was
    made from) is better than the reference, red where worse. Without a ``更好 better`` column
    (utilisation by base) higher is better."""

    def colour(row: pd.Series) -> list[str]:
        better = numbers.at[row.name, BETTER_COLUMN] if BETTER_COLUMN in numbers else HIGHER
        sign = 1 if better == HIGHER else -1
        styles = []
        for column in row.index:
            delta = delta_label(column)
            value = _as_float(numbers.at[row.name, delta]) if delta in numbers else None
            if value is not None and value != 0:
                styles.append(f"color: {'#2e7d32' if value * sign > 0 else '#c62828'}")
            else:
                styles.append("")
        return styles

    return shown.style.apply(colour, axis=1)
