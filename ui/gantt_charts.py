"""Plotly timeline figures of a plan, from the rows of :mod:`scheduler.app.gantt`."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

ROW_HEIGHT = 22
"""Pixels per chart row: enough for a Chinese label at the default font."""

HOVER = (
    "<b>%{customdata[0]}</b><br>"
    "剧组 Crew：%{customdata[1]}<br>"
    "基地 Base：%{customdata[2]}<br>"
    "场景 Set：%{customdata[3]}<br>"
    "演员 Cast：%{customdata[4]}<br>"
    "日期 Dates：%{customdata[5]}（%{customdata[6]} 天 days）"
    "<extra>%{customdata[7]}</extra>"
)
HOVER_COLUMNS = ["title", "crew", "base", "set", "cast", "dates", "days", "genre"]

PALETTE = px.colors.qualitative.Dark24 + px.colors.qualitative.Light24
"""48 distinct colours: every crew of a 24-crew company and every base get their own."""

LEGEND_TITLES = {
    "crew": "基地 Base",
    "set": "剧组 Crew",
    "title": "基地 Base",
    "actor": "剧组 Crew",
}


def gantt_figure(
    rows: pd.DataFrame,
    view: str,
    first: date | None = None,
    last: date | None = None,
) -> go.Figure:
    """A timeline of ``rows`` (a ``scheduler.app.gantt.rows_by_*`` table), one bar per row of it.

    ``view`` names the legend; ``first`` … ``last`` (inclusive) fix the date axis.
    """
    order = list(dict.fromkeys(rows["row"]))
    groups = sorted(rows["group"].unique())
    figure = px.timeline(
        rows,
        x_start="start",
        x_end="finish",
        y="row",
        color="group",
        text="text",
        custom_data=HOVER_COLUMNS,
        category_orders={"row": order, "group": groups},
        color_discrete_sequence=PALETTE,
    )
    figure.update_traces(
        hovertemplate=HOVER, textposition="inside", insidetextanchor="middle", cliponaxis=True
    )
    figure.update_yaxes(title=None, automargin=True)  # px lists the first row on top
    # one tick a day, its label centred on the day's column (a bar ends at the next midnight)
    figure.update_xaxes(
        title=None, tickformat="%m-%d", dtick=86_400_000, ticklabelmode="period", showgrid=True
    )
    if first is not None and last is not None:
        figure.update_xaxes(range=[pd.Timestamp(first), pd.Timestamp(last + timedelta(days=1))])
    figure.update_layout(
        height=max(260, ROW_HEIGHT * len(order) + 120),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend_title_text=LEGEND_TITLES.get(view, ""),
        uniformtext={"minsize": 8, "mode": "hide"},
        bargap=0.15,
    )
    return figure
