"""Time the Plan page's Gantt charts: ``python -m scheduler.app.gantt_benchmark SCENARIO=PLAN …``.

Each argument is a scenario folder or ``.xlsx`` and a plan folder as ``python -m scheduler
solve`` writes it. For each view (crew, set, title, actor) it builds the figure ``--runs`` times
as the Plan page does — shoot blocks, the view's rows, the figure — and prints the median and
the slowest build, then the seconds to turn the figure into the JSON the browser gets.
Issue 13's targets: a month plan's figure ≤ 1 s, a ×10 plan's ≤ 2 s.

It lives beside the view-models it times (``scheduler.cli`` may not import ``scheduler.app``),
so it takes plans from folders rather than planning them itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from scheduler.app import gantt
from scheduler.app.gantt_figure import gantt_figure
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.io.plan_io import read_plan
from scheduler.io.validation import load_scenario

VIEWS: dict[str, Callable[[Scenario, pd.DataFrame], pd.DataFrame]] = {
    "crew": lambda _, blocks: gantt.rows_by_crew(blocks),
    "set": lambda _, blocks: gantt.rows_by_set(blocks),
    "title": lambda _, blocks: gantt.rows_by_title(blocks),
    "actor": gantt.rows_by_actor,
}
TARGET_SECONDS = {"month": 1.0, "x10": 2.0}


def build(
    scenario: Scenario, plan: Plan, view: str, today: date
) -> tuple[pd.DataFrame, go.Figure]:
    """What the Plan page does for one tab: blocks, the view's rows, the figure."""
    rows = VIEWS[view](scenario, gantt.shoot_blocks(scenario, plan))
    return rows, gantt_figure(rows, view, scenario, today=today)


def _case(text: str) -> tuple[Scenario, Plan, str]:
    name, _, plan_dir = text.partition("=")
    if not plan_dir:
        raise SystemExit(f"{text}: expected SCENARIO=PLAN_DIR")
    plan, _ = read_plan(Path(plan_dir))
    return load_scenario(Path(name)), plan, f"{Path(name).name} ({plan_dir})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.app.gantt_benchmark", description=__doc__
    )
    parser.add_argument("cases", nargs="+", help="SCENARIO=PLAN_DIR")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(
        "| plan | shoots | view | bars | rows | labelled | traces | build s (median) | max s "
        "| JSON s | target |"
    )
    print("| --- " * 11 + "|")
    slowest: dict[str, float] = {}
    for text in args.cases:
        scenario, plan, label = _case(text)
        today = scenario.start_date + timedelta(
            days=7
        )  # a day inside the horizon, never the clock
        target = TARGET_SECONDS["x10" if len(plan.shoots) > 2_000 else "month"]
        build(scenario, plan, "set", today)  # warm-up: imports, plotly's validators
        for view in VIEWS:
            seconds = []
            for _ in range(args.runs):
                started = time.perf_counter()
                rows, figure = build(scenario, plan, view, today)
                seconds.append(time.perf_counter() - started)
            started = time.perf_counter()
            figure.to_json()
            json_seconds = time.perf_counter() - started
            bars = [t for t in figure.data if t.type == "bar" and t.legendgroup]
            labelled = sum(1 for t in bars for x in t.text if x)
            median = statistics.median(seconds)
            slowest[label] = max(slowest.get(label, 0.0), median)
            print(
                f"| {label} | {len(plan.shoots)} | {view} | {len(rows)} | {rows['row'].nunique()} "
                f"| {labelled} | {len(figure.data)} | {median:.3f} | {max(seconds):.3f} "
                f"| {json_seconds:.3f} | ≤ {target:g} s {'✓' if median <= target else '✗'} |",
                flush=True,
            )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"median of {args.runs} builds per view; load average {load} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
