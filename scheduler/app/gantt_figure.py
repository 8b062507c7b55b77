"""The Plan page's Gantt figures, built from the rows of :mod:`scheduler.app.gantt`.

What the figure shows, so that it reads without hovering:

- a label in every bar wide enough for one — the longest of the row table's ``text``,
  ``label_name``, ``label_id`` that fits the bar at the opening zoom (:func:`bar_labels`);
- one colour per base or crew, stable per id, from :mod:`scheduler.app.palette`, with a legend;
- weekends shaded, and per row the days its set (its base closed included), crew or actor is
  unavailable, hatched grey;
- a red line for today when today is on the chart;
- the date axis at the top of charts taller than :data:`TALL_PX`, repeated at the bottom;
- a week picker (calendar weeks Mon–Sun with ISO numbers, from :mod:`scheduler.domain.weeks`,
  and 全部 all); a range of more than
  :data:`WEEK_VIEW_DAYS` days opens on one week (today's, else the first).

It is fast on big plans: one horizontal ``go.Bar`` trace per colour (bars drawn as ``base`` =
start, ``x`` = length in ms), not a ``px.timeline`` of every bar.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from scheduler.app.palette import looks_for
from scheduler.domain.model import Scenario, UnavailableKind
from scheduler.domain.weeks import Week, calendar_weeks

__all__ = [
    "CHART_WIDTH_PX",
    "HOVER",
    "TALL_PX",
    "WEEK_VIEW_DAYS",
    "bar_labels",
    "closed_spans",
    "gantt_figure",
    "opening_range",
    "text_width",
    "weeks_of",
]

DAY_MS = 86_400_000
ROW_HEIGHT = 26
"""Pixels per chart row: enough for a Chinese label at :data:`FONT_SIZE`."""
FONT_SIZE = 12
"""Bar labels' font size in px; plotly hides a label that would need less than :data:`MIN_FONT`."""
MIN_FONT = 9
CHART_WIDTH_PX = 1100
"""The chart's width on the page at a 1500-px window (wide layout, sidebar open)."""
TALL_PX = 600
"""Charts taller than this show the date axis at the top as well as at the bottom."""
WEEK_VIEW_DAYS = 14
"""A date range longer than this opens zoomed to one calendar week."""
MAX_LABELS = 1500
"""More labels than this (a browser draws about one a millisecond): only the bars of the
opening week keep theirs."""
LABEL_PADDING_PX = 8
"""Room a bar leaves around its label (both sides together)."""

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

LEGEND_TITLES = {
    "crew": "基地 Base",
    "set": "剧组 Crew",
    "title": "基地 Base",
    "actor": "剧组 Crew",
}
COLOUR_KINDS = {"crew": "base", "set": "crew", "title": "base", "actor": "crew"}
"""What a view's bars are coloured by (the ``group_id`` of its rows)."""
CLOSED_KINDS: dict[str, UnavailableKind] = {"set": "set", "crew": "crew", "actor": "actor"}
"""The resource whose unavailable days a view shades on its rows (a set's include its base's)."""
CLOSED_NAME = "停用/不可用 closed"
WEEKDAYS = "一二三四五六日"
DAILY_TICKS_DAYS = 45
"""Ranges up to this many days get a date tick every day, longer ones every Monday."""
SIDE_LEGEND_GROUPS = 30
"""More colour groups than this: the legend goes down the right side instead of on top."""
MIN_PLOT_PX = 110
AXIS_PX = 36
MENU_PX = 40
LEGEND_LINE_PX = 29
WEEKEND_FILL = "rgba(120, 120, 120, 0.10)"
CLOSED_FILL = "rgba(90, 90, 90, 0.30)"
TODAY_COLOUR = "#D00000"


@lru_cache(maxsize=65_536)
def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimated width in px of ``text`` at font ``size``: a Chinese (wide) character is one em,
    any other character 0.62 em (digits and Latin letters of the default sans-serif fonts are
    0.5–0.6 em; the estimate errs wide, so a label that is drawn fits)."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.62 for ch in text)
    return ems * size


def bar_labels(candidates: Sequence[Sequence[str]], widths_px: Iterable[float]) -> list[str]:
    """Per bar, the first of its candidate labels (longest first) that fits its width, else ''.

    Parameters
    ----------
    candidates
        One sequence of label columns (e.g. ``text``, ``label_name``, ``label_id``), each with
        one label per bar.
    widths_px
        Each bar's width in px at the opening zoom.
    """
    labels = []
    for width, options in zip(widths_px, zip(*candidates, strict=True), strict=True):
        room = width - LABEL_PADDING_PX
        labels.append(next((o for o in options if o and text_width(o) <= room), ""))
    return labels


def weeks_of(first: date, last: date) -> list[Week]:
    """The calendar weeks (Mon–Sun, ISO numbers) of ``first`` … ``last``, each holding only the
    range's days of its week, as every page, KPI and export counts them."""
    return calendar_weeks(first, (last - first).days + 1)


def opening_range(first: date, last: date, today: date | None = None) -> tuple[date, date]:
    """The dates the chart opens on: all of ``first`` … ``last`` when that is at most
    :data:`WEEK_VIEW_DAYS` days, else one calendar week — today's when today is in the range,
    else the first (only the range's days of it)."""
    if (last - first).days + 1 <= WEEK_VIEW_DAYS:
        return first, last
    anchor = today if today is not None and first <= today <= last else first
    week = next(w for w in weeks_of(first, last) if w.first <= anchor <= w.last)
    return week.first, week.last


def closed_spans(
    scenario: Scenario, view: str, row_ids: Iterable[str], first: date, last: date
) -> list[tuple[str, date, date]]:
    """Per row, the runs of days (row id, first, last inclusive) in ``first`` … ``last`` on which
    the row's resource cannot be booked: a set (its base's closed days too), a crew or an
    actor; none for title rows."""
    kind = CLOSED_KINDS.get(view)
    if kind is None:
        return []
    lo = max(0, scenario.day_index(first))
    hi = min(scenario.days - 1, scenario.day_index(last))
    spans = []
    for row_id in row_ids:
        days = sorted(d for d in scenario.unavailable_days(kind, row_id) if lo <= d <= hi)
        runs: list[list[int]] = []
        for day in days:
            if runs and day == runs[-1][1] + 1:
                runs[-1][1] = day
            else:
                runs.append([day, day])
        spans += [(row_id, scenario.date_of(a), scenario.date_of(b)) for a, b in runs]
    return spans


def _group_keys(scenario: Scenario, view: str, rows: pd.DataFrame) -> list[str]:
    """Every id of the view's colour kind (the scenario's and any the rows name), for looks."""
    if COLOUR_KINDS[view] == "crew":
        known = {crew.crew_id for crew in scenario.crews}
    else:
        known = {base.base_id for base in scenario.bases}
    return sorted(known | set(rows["group_id"]))


def _iso(day: date) -> str:
    """A day as plotly reads a date: its midnight, ``2026-12-07``."""
    return day.isoformat()


def _bar_traces(
    rows: pd.DataFrame, scenario: Scenario, view: str, labels: list[str]
) -> list[go.Bar]:
    """One horizontal bar trace per colour group, in id order (so the legend is sorted)."""
    looks = looks_for(_group_keys(scenario, view, rows))
    starts = rows["start"].dt.strftime("%Y-%m-%d").to_numpy()
    lengths = ((rows["finish"] - rows["start"]).dt.days * DAY_MS).to_numpy()
    custom = rows[HOVER_COLUMNS].astype(str).to_numpy()
    row_labels = rows["row"].to_numpy()
    text = np.asarray(labels, dtype=object)
    traces = []
    positions = rows.groupby("group_id", sort=True).indices
    names = dict(zip(rows["group_id"], rows["group"], strict=True))
    for group_id, where in positions.items():
        look = looks[str(group_id)]
        marker: dict[str, object] = {"color": look.colour, "line": {"color": "white", "width": 1}}
        if look.pattern:
            # a light, sparse hatch: the label over it must stay readable
            marker["pattern"] = {
                "shape": look.pattern,
                "fgcolor": "white",
                "fgopacity": 0.5,
                "size": 10,
                "solidity": 0.15,
            }
        if look.outline:
            marker["line"] = {"color": look.outline, "width": 1.5}
        traces.append(
            go.Bar(
                name=str(names[group_id]),
                legendgroup=str(group_id),
                orientation="h",
                base=starts[where],
                x=lengths[where],
                y=row_labels[where],
                text=text[where],
                customdata=custom[where],
                hovertemplate=HOVER,
                marker=marker,
                textposition="inside",
                insidetextanchor="middle",
                textfont={"size": FONT_SIZE, "shadow": "auto" if look.pattern else "none"},
                cliponaxis=True,
            )
        )
    return traces


def _closed_trace(
    rows: pd.DataFrame, scenario: Scenario, view: str, first: date, last: date
) -> go.Bar | None:
    """Hatched grey bars over the days each row's resource is closed or off (None if none)."""
    row_of = rows.drop_duplicates("row_id").set_index("row_id")["row"]
    spans = closed_spans(scenario, view, row_of.index, first, last)
    if not spans:
        return None
    return go.Bar(
        name=CLOSED_NAME,
        orientation="h",
        base=[_iso(start) for _, start, _ in spans],
        x=[((end - start).days + 1) * DAY_MS for _, start, end in spans],
        y=[row_of[row_id] for row_id, _, _ in spans],
        customdata=[f"{start:%m-%d}～{end:%m-%d}" for _, start, end in spans],
        hovertemplate="停用/不可用 closed：%{customdata}<extra></extra>",
        marker={
            "color": CLOSED_FILL,
            "pattern": {"shape": "x", "fgcolor": "rgba(60, 60, 60, 0.6)", "size": 6},
        },
        width=1.0,
    )


def _calendar_shapes(first: date, last: date) -> list[dict[str, object]]:
    """A shaded band over the Saturday and Sunday of every week of the range, and a thin line
    at the start of every week."""
    shapes: list[dict[str, object]] = []
    for week in weeks_of(first, last):
        days = (week.first + timedelta(days=n) for n in range(len(week)))
        weekend = [day for day in days if day.weekday() >= 5]
        if weekend:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": _iso(weekend[0]),
                    "x1": _iso(weekend[-1] + timedelta(days=1)),
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": WEEKEND_FILL,
                    "line": {"width": 0},
                    "layer": "below",
                    "name": "weekend",
                }
            )
        if week.first.weekday() == 0:
            shapes.append(
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": _iso(week.first),
                    "x1": _iso(week.first),
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#9A9A9A", "width": 1},
                    "layer": "below",
                    "name": "week",
                }
            )
    return shapes


def _today_marks(today: date, lift_px: int) -> tuple[dict[str, object], dict[str, object]]:
    """A red dashed line at the start of today's column, and 今天 above the plot."""
    line = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": _iso(today),
        "x1": _iso(today),
        "y0": 0,
        "y1": 1,
        "line": {"color": TODAY_COLOUR, "width": 2, "dash": "dash"},
        "layer": "above",
        "name": "today",
    }
    note = {
        "x": _iso(today),
        "xref": "x",
        "y": 1,
        "yref": "paper",
        "yanchor": "bottom",
        "yshift": lift_px,
        "text": "今天 today",
        "showarrow": False,
        "font": {"color": TODAY_COLOUR, "size": 11},
    }
    return line, note


def _week_menu(first: date, last: date, opening: tuple[date, date], y: float) -> dict[str, object]:
    """A drop-down of 全部 all and the calendar weeks (Mon–Sun) the range touches, showing
    the ``opening`` range as chosen, its top at ``y`` (paper: 1 is the top of the plot).

    Anchored by its top, not its bottom: a chart drawn in a hidden tab measures the menu as
    0 px high, and a bottom-anchored menu then hangs down over the axis."""
    end = _iso(last + timedelta(days=1))
    buttons = [
        {
            "label": "全部日期 all dates",
            "method": "relayout",
            "args": [{"xaxis.range": [_iso(first), end]}],
        }
    ]
    active = 0
    for week in weeks_of(first, last):
        if (week.first, week.last) == opening:
            active = len(buttons)
        buttons.append(
            {
                "label": week.label,
                "method": "relayout",
                "args": [{"xaxis.range": [_iso(week.first), _iso(week.last + timedelta(days=1))]}],
            }
        )
    return {
        "type": "dropdown",
        "buttons": buttons,
        "x": 0,
        "xanchor": "left",
        "y": y,
        "yanchor": "top",
        "showactive": True,
        "active": active,
        "font": {"size": 12},
        "name": "weeks",
    }


def _day_ticks(first: date, last: date) -> dict[str, object]:
    """Date-axis ticks in the middle of each day's column: ``12-07`` over ``周一``; Mondays
    only past :data:`DAILY_TICKS_DAYS` days."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if len(days) > DAILY_TICKS_DAYS:
        days = [d for d in days if d.weekday() == 0]
    return {
        "tickmode": "array",
        "tickvals": [f"{d.isoformat()} 12:00" for d in days],
        "ticktext": [f"{d:%m-%d}<br>周{WEEKDAYS[d.weekday()]}" for d in days],
    }


def _legend_height(names: Sequence[str], title: str, width_px: float) -> int:
    """Pixels a horizontal legend of ``names`` takes when wrapped to ``width_px``."""
    lines, used = 1, text_width(title) + 16
    for name in names:
        entry = text_width(name) + 68  # symbol and gaps, as plotly draws them
        if used + entry > width_px:
            lines, used = lines + 1, 0.0
        used += entry
    return 10 + LEGEND_LINE_PX * lines


def gantt_figure(
    rows: pd.DataFrame,
    view: str,
    scenario: Scenario,
    first: date | None = None,
    last: date | None = None,
    *,
    today: date | None = None,
    chart_width: int = CHART_WIDTH_PX,
) -> go.Figure:
    """A Gantt chart of ``rows`` (a ``scheduler.app.gantt.rows_by_*`` table of ``view``).

    Parameters
    ----------
    rows
        One bar per row; columns of :data:`scheduler.app.gantt.ROW_COLUMNS` and the hover's.
    view
        ``crew``, ``set``, ``title`` or ``actor``: names the legend and the closed days shaded.
    scenario
        Gives the colour of every base and crew and the unavailable days.
    first, last
        The dates on the axis (inclusive); the scenario's horizon by default.
    today
        Drawn as a line when it falls inside ``first`` … ``last``.
    chart_width
        The figure's width in px on the page, for deciding which labels fit.
    """
    first = first or scenario.start_date
    last = last or scenario.end_date
    order = list(dict.fromkeys(rows["row"]))
    groups = rows.drop_duplicates("group_id").sort_values("group_id")["group"].tolist()
    side_legend = len(groups) > SIDE_LEGEND_GROUPS
    legend_px = 0.0
    if side_legend:
        legend_px = max((text_width(g) for g in groups), default=0) + 60
    label_px = min(0.4 * chart_width, max((text_width(r) for r in order), default=0) + 12)
    plot_px = max(200.0, chart_width - label_px - legend_px - 30)

    open_first, open_last = opening_range(first, last, today)
    shown_days = (open_last - open_first).days + 1
    widths = (rows["finish"] - rows["start"]).dt.days.to_numpy() * (plot_px / shown_days)
    candidates = [rows[column].tolist() for column in ("text", "label_name", "label_id")]
    labels = bar_labels(candidates, widths)
    if sum(1 for label in labels if label) > MAX_LABELS:
        # a browser takes ~1 ms a label: past the budget only the opening dates' bars get one
        shown = (rows["finish"] > pd.Timestamp(open_first)) & (
            rows["start"] <= pd.Timestamp(open_last)
        )
        labels = [label if keep else "" for label, keep in zip(labels, shown, strict=True)]

    traces: list[go.Bar | go.Scatter] = []
    closed = _closed_trace(rows, scenario, view, first, last)
    if closed is not None:
        traces.append(closed)
    traces += _bar_traces(rows, scenario, view, labels)

    rows_px = ROW_HEIGHT * len(order)
    tall = rows_px > TALL_PX
    axis_px = AXIS_PX if tall else 0  # the top axis sits between the menu and the plot
    title = LEGEND_TITLES.get(view, "")
    top_legend_px = 0 if side_legend else _legend_height(groups, title, chart_width - 20)
    top_px = top_legend_px + MENU_PX + axis_px
    bottom_px = AXIS_PX + 10
    plot_height = max(rows_px, MIN_PLOT_PX)
    menu_y = 1 + (axis_px + MENU_PX - 4) / plot_height  # just under the legend
    shapes = _calendar_shapes(first, last)
    notes = []
    if today is not None and first <= today <= last:
        line, note = _today_marks(today, axis_px)
        shapes.append(line)
        notes.append(note)
    axis = {
        "type": "date",
        "range": [_iso(open_first), _iso(open_last + timedelta(days=1))],
        **_day_ticks(first, last),
        "showgrid": False,
        "minor": {"dtick": DAY_MS, "tick0": _iso(first), "showgrid": True, "gridcolor": "#E3E3E3"},
        "side": "top" if tall else "bottom",
        "ticks": "",
        "tickfont": {"size": 11},
        "fixedrange": False,
    }
    legend: dict[str, object] = {
        "title": {"text": title},
        "groupclick": "toggleitem",
        "font": {"size": 12},
    }
    if side_legend:
        legend |= {"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"}
    else:
        legend |= {"orientation": "h", "xref": "container", "x": 0.01, "yref": "container"}
        legend |= {"y": 1, "yanchor": "top"}
    layout: dict[str, object] = {
        "template": "plotly_white",
        "barmode": "overlay",
        "bargap": 0.12,
        "height": plot_height + top_px + bottom_px,
        "margin": {"l": 10, "r": 10, "t": top_px, "b": bottom_px},
        "xaxis": axis,
        "yaxis": {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": order,
            "range": [len(order) - 0.5, -0.5],  # the first row on top
            "automargin": True,
            "title": None,
            "tickfont": {"size": 12},
        },
        "legend": legend,
        "uniformtext": {"minsize": MIN_FONT, "mode": "hide"},
        "shapes": shapes,
        "annotations": notes,
        "updatemenus": [_week_menu(first, last, (open_first, open_last), menu_y)],
        "hoverlabel": {"align": "left"},
    }
    if tall:
        # the same dates again at the bottom, moving with the top axis
        bottom = {key: value for key, value in axis.items() if key != "range"}
        layout["xaxis2"] = {**bottom, "side": "bottom", "matches": "x", "overlaying": "x"}
        traces.append(
            go.Scatter(
                x=[_iso(first)],
                y=order[:1],
                xaxis="x2",
                mode="markers",
                marker={"opacity": 0},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    return go.Figure(data=traces, layout=layout)
