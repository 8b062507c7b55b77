"""The results of a sweep by variant over seeds: a table with the noise verdicts and a chart.

Each variant of a sweep is planned with several seeds; :mod:`scheduler.domain.noise`
takes each KPI's range over them and says whether a variant's difference to the
reference is within that noise. This module lays it out for the compare page (and
the sweep page): :meth:`SweepResults.table`, one row per variant, Chinese first,
and :meth:`SweepResults.figure`, titles and priority against cost, one point per
run, each variant's range over seeds drawn as error bars around its median.

Input is either stored plans whose KPIs carry ``kpis["sweep"] = {"sweep_id",
"sweep", "variant", "seed", "reference"}`` (:func:`results_from_plans`) or a plain
mapping variant → KPI mappings (:func:`results_from_runs`). Streamlit-free.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from scheduler.app.palette import looks_for
from scheduler.domain.money import format_cny
from scheduler.domain.noise import NoiseReport, judge, seed_of

__all__ = [
    "POINT_COLUMNS",
    "TABLE_COLUMNS",
    "SweepResults",
    "results_from_plans",
    "results_from_runs",
    "sweeps_of",
    "variant_of",
]

VARIANT = "变体 variant"
SEEDS = "种子数 seeds"
TITLES = "已排剧目 titles 最少–最多（中位）"
PRIORITY = "优先级 priority 最少–最多（中位）"
BOUND = "上界 bound"
COST = "成本 cost 范围"
VERDICT = "判断 verdict（对比基准 vs reference）"
TABLE_COLUMNS: tuple[str, ...] = (VARIANT, SEEDS, TITLES, PRIORITY, BOUND, COST, VERDICT)
"""Columns of :meth:`SweepResults.table`."""

POINT_COLUMNS: tuple[str, ...] = (
    "variant",
    "seed",
    "plan_id",
    "scheduled_titles",
    "priority_scheduled",
    "cost",
)
"""Columns of :meth:`SweepResults.points`: one row per run."""

JUDGED: tuple[tuple[str, str], ...] = (
    ("scheduled_titles", "剧目"),
    ("priority_scheduled", "优先级"),
    ("cost", "成本"),
)
"""The KPIs the verdict cell speaks of, with their short Chinese names."""

REFERENCE_MARK = "基准 reference"


@dataclass(frozen=True)
class SweepResults:
    """Runs of a sweep grouped by variant, with their ranges over seeds and verdicts."""

    name: str
    """The sweep's name (blank when the runs came without one)."""
    runs: Mapping[str, Sequence[Mapping[str, Any]]]
    """Variant → the KPI mappings of its runs, in the order the variants were met."""
    report: NoiseReport

    @property
    def reference(self) -> str:
        """The variant the others are compared with."""
        return self.report.reference

    def table(self) -> pd.DataFrame:
        """One row per variant (the reference first): :data:`TABLE_COLUMNS`, as text."""
        rows = []
        for variant in self._order():
            ranges = self.report.variants[variant]
            cost = ranges.ranges["cost"]
            cost_text = (
                "—"
                if not cost.n
                else format_cny(cost.min)
                if cost.min == cost.max
                else f"{format_cny(cost.min)}–{format_cny(cost.max)}"
            )
            rows.append(
                {
                    VARIANT: variant,
                    SEEDS: ranges.n,
                    TITLES: ranges.ranges["scheduled_titles"].text,
                    PRIORITY: ranges.ranges["priority_scheduled"].text,
                    BOUND: "—" if ranges.bound is None else str(ranges.bound),
                    COST: cost_text,
                    VERDICT: self.verdict_text(variant),
                }
            )
        return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))

    def verdict_text(self, variant: str) -> str:
        """The verdict cell of one variant: titles, priority (with its bound) and cost."""
        if variant == self.reference:
            return REFERENCE_MARK
        verdicts = self.report.verdicts[variant]
        return "；".join(f"{name} {verdicts[kpi].short}" for kpi, name in JUDGED)

    def sentences(self) -> list[str]:
        """One full sentence per variant and judged KPI, for a page or a report."""
        return self.report.lines(tuple(kpi for kpi, _ in JUDGED))

    def points(self) -> pd.DataFrame:
        """Every run: :data:`POINT_COLUMNS` (``plan_id`` where the run is a stored plan)."""
        rows = [
            {
                "variant": variant,
                "seed": seed_of(kpis),
                "plan_id": kpis.get("plan_id"),
                "scheduled_titles": kpis.get("scheduled_titles"),
                "priority_scheduled": kpis.get("priority_scheduled"),
                "cost": kpis.get("cost"),
            }
            for variant in self._order()
            for kpis in self.runs[variant]
        ]
        return pd.DataFrame(rows, columns=list(POINT_COLUMNS))

    def figure(self) -> go.Figure:
        """Titles (top) and priority (bottom) against cost: a faint point per run and, per
        variant, its median with error bars spanning the range over seeds, one colour each."""
        figure = make_subplots(
            rows=2,
            cols=1,
            shared_xaxes=True,
            vertical_spacing=0.08,
            subplot_titles=("已排剧目 scheduled titles", "优先级 priority scheduled"),
        )
        order = self._order()
        looks = looks_for(order)
        points = self.points()
        for variant in order:
            colour = looks[variant].colour
            ranges = self.report.variants[variant]
            runs = points[points["variant"] == variant]
            cost = ranges.ranges["cost"]
            for row, kpi in ((1, "scheduled_titles"), (2, "priority_scheduled")):
                kept = runs.dropna(subset=[kpi, "cost"])
                figure.add_trace(
                    go.Scatter(
                        x=kept["cost"],
                        y=kept[kpi],
                        mode="markers",
                        marker={"color": colour, "size": 7, "opacity": 0.45},
                        name=variant,
                        legendgroup=variant,
                        showlegend=False,
                        customdata=kept["seed"],
                        hovertemplate=f"{variant} · 种子 seed %{{customdata}}<br>"
                        "成本 cost ¥%{x:,.0f}<br>%{y}<extra></extra>",
                    ),
                    row=row,
                    col=1,
                )
                span = ranges.ranges[kpi]
                if not (span.n and cost.n):
                    continue
                figure.add_trace(
                    go.Scatter(
                        x=[cost.median],
                        y=[span.median],
                        mode="markers",
                        marker={"color": colour, "size": 12, "symbol": "diamond"},
                        error_x=_error(cost.median, cost.min, cost.max, colour),
                        error_y=_error(span.median, span.min, span.max, colour),
                        name=variant,
                        legendgroup=variant,
                        showlegend=row == 1,
                        hovertemplate=f"{variant}（{span.n} 个种子 seeds）<br>"
                        f"中位 median %{{y}}，范围 range {span.min:g}–{span.max:g}<br>"
                        f"成本 cost {format_cny(cost.min)}–{format_cny(cost.max)}<extra></extra>",
                    ),
                    row=row,
                    col=1,
                )
        figure.update_xaxes(title_text="成本 cost (CNY)", tickformat=",.0f", row=2, col=1)
        figure.update_yaxes(title_text="部 titles", row=1, col=1)
        figure.update_yaxes(title_text="优先级 priority", row=2, col=1)
        figure.update_layout(
            height=620,
            margin={"l": 10, "r": 10, "t": 40, "b": 10},
            legend={"orientation": "h", "y": -0.15, "title": {"text": "变体 variant"}},
        )
        return figure

    def _order(self) -> list[str]:
        """The reference first, then the other variants as met."""
        return [self.reference, *(v for v in self.runs if v != self.reference)]


def _error(median: float, low: float, high: float, colour: str) -> dict[str, Any]:
    """Asymmetric error bars from the median to the least and greatest value."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [high - median],
        "arrayminus": [median - low],
        "color": colour,
        "thickness": 1.5,
        "width": 6,
    }


def results_from_runs(
    runs: Mapping[str, Sequence[Mapping[str, Any]]], reference: str | None = None, name: str = ""
) -> SweepResults:
    """Results from a plain mapping variant → KPI mappings (each with ``"seed"``).

    The reference is ``reference`` or else the first variant; ``ValueError`` when
    there are no runs or the reference is not among them.
    """
    grouped = {variant: list(kpis) for variant, kpis in runs.items()}
    return SweepResults(name, grouped, judge(grouped, reference))


def _run_of(kpis: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """``kpis["sweep"]`` when the KPIs are a sweep run's (it names a variant), else ``None``."""
    sweep = kpis.get("sweep")
    if isinstance(sweep, Mapping) and sweep.get("variant") is not None:
        return sweep
    return None


def sweeps_of(kpis_of_plans: Iterable[Mapping[str, Any]]) -> dict[Any, str]:
    """The sweeps these plans' KPIs say they are runs of: sweep id → name, in the order met."""
    found: dict[Any, str] = {}
    for kpis in kpis_of_plans:
        run = _run_of(kpis)
        if run is not None:
            found.setdefault(run.get("sweep_id"), str(run.get("sweep") or ""))
    return found


def variant_of(kpis: Mapping[str, Any], sweep_id: Any) -> str | None:
    """The variant a plan is a run of in sweep ``sweep_id``, or ``None`` (not a run of it)."""
    run = _run_of(kpis)
    if run is None or run.get("sweep_id") != sweep_id:
        return None
    return str(run["variant"])


def results_from_plans(
    kpis_by_plan: Mapping[int, Mapping[str, Any]],
    sweep_id: Any = None,
    reference: str | None = None,
) -> SweepResults:
    """Results from stored plans (plan id → KPIs) that are runs of one sweep.

    Parameters
    ----------
    kpis_by_plan
        Plan id → its KPIs; plans without ``kpis["sweep"]``, or of another sweep
        than ``sweep_id``, are left out.
    sweep_id
        The sweep to take; ``None`` when the plans are runs of a single sweep.
    reference
        The reference variant when it is one of the sweep's; else the variant
        whose runs are marked ``"reference": true``, else the first met.

    Raises
    ------
    ValueError
        When no plan is a run of the sweep, or ``sweep_id`` is ``None`` and the
        plans belong to several sweeps (their names are given).
    """
    sweeps = sweeps_of(kpis_by_plan.values())
    if sweep_id is None:
        if len(sweeps) > 1:
            names = "、".join(f"{name}（{key}）" for key, name in sweeps.items())
            raise ValueError(f"the plans are runs of several sweeps, name one: {names}")
        sweep_id = next(iter(sweeps), None)
    if sweep_id not in sweeps:
        raise ValueError(f"no stored plan is a run of sweep {sweep_id!r}")
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    marked = None
    for plan_id, kpis in sorted(kpis_by_plan.items()):
        variant = variant_of(kpis, sweep_id)
        if variant is None:
            continue
        grouped.setdefault(variant, []).append({**kpis, "plan_id": plan_id})
        if marked is None and kpis["sweep"].get("reference"):
            marked = variant
    chosen = reference if reference in grouped else marked
    return SweepResults(sweeps[sweep_id], grouped, judge(grouped, chosen))
