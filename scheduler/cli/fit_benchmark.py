"""How fast rush titles (插单) fit into a plan: seeded rush titles, seconds for their options.

Usage::

    python -m scheduler solve sample_data/zhengzhou-month --out /tmp/fit-plan --time-limit 30
    python -m scheduler.cli.fit_benchmark /tmp/fit-plan --count 5 --seed 1

Each rush title is wanted in the busy days around a shoot of the plan, picked by
the seed: set types of that shoot's base, 1–4 days, a window of its length plus
0–2 days, a crew genre, and one actor of the planned title (so the actor is busy
then) — :func:`scheduler.cli.disruption_benchmark.rush_title`. Prints a Markdown
row per title — seconds for its options, options found, the best option's Δ
priority, titles it moves and drops, chain searches run (improved / run) and
options that came from one — then a median row, the most seconds and the
machine's load average (the 5 s target is for the max).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
from pathlib import Path

from scheduler.cli.disruption_benchmark import rush_title
from scheduler.io.plan_io import read_plan
from scheduler.io.validation import load_scenario
from scheduler.services.fitting import fit_rush_title
from solver.slate.fit import DEFAULT_SECONDS

DEFAULT_SCENARIO = Path(__file__).resolve().parents[2] / "sample_data" / "zhengzhou-month"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.cli.fit_benchmark", description=__doc__.splitlines()[0]
    )
    parser.add_argument("plan_dir", help="folder of a plan of the scenario (as solve writes)")
    parser.add_argument("--scenario", default=str(DEFAULT_SCENARIO), help="the plan's scenario")
    parser.add_argument("--count", type=int, default=5, help="how many rush titles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--options", type=int, default=5, help="options asked per title")
    parser.add_argument(
        "--seconds", type=float, default=DEFAULT_SECONDS, help="time budget of each fit"
    )
    args = parser.parse_args(argv)

    scenario = load_scenario(Path(args.scenario))
    plan, _kpis = read_plan(Path(args.plan_dir))
    print(f"{scenario.summary()}; plan: {len(plan.scheduled_title_ids)} titles scheduled")
    columns: tuple[str, ...] = ("rush title", "needs", "window", "p", "seconds", "options")
    columns += ("best Δ priority", "moved", "dropped", "chains improved/run", "chained options")
    print("| " + " | ".join(columns) + " |")
    print("|" + " --- |" * len(columns))
    rows: list[tuple[float, int, int | None, int | None, int | None]] = []
    for index in range(args.count):
        rng = random.Random(args.seed * 1000 + index)
        title = rush_title(scenario, rng.choice(plan.shoots), rng, f"R{index + 1:03d}")
        outcome = fit_rush_title(scenario, plan, title, args.options, seconds=args.seconds)
        best = outcome.options[0] if outcome.options else None
        moved = None if best is None else len(best.moves) - len(best.dropped)
        dropped = None if best is None else len(best.dropped)
        delta = None if best is None else best.delta_priority
        rows.append((outcome.seconds, len(outcome.options), delta, moved, dropped))
        needs = "+".join(f"{n.set_type}{n.days}" for n in title.needs)
        window = f"{title.earliest_start:%m-%d}–{title.due_date:%m-%d}"
        cells = [
            f"{title.title_id} {title.genre} cast {','.join(title.cast) or '–'}",
            needs,
            window,
            str(title.priority),
            f"{outcome.seconds:.2f}",
            str(len(outcome.options)),
            "–" if delta is None else f"{delta:+d}",
            "–" if moved is None else str(moved),
            "–" if dropped is None else str(dropped),
            f"{outcome.chains_improved}/{outcome.chains}",
            str(sum(o.chained for o in outcome.options)),
        ]
        print("| " + " | ".join(cells) + " |")
    print("| " + " | ".join(_median_row(rows)) + " | | |")
    seconds = [row[0] for row in rows]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\nmedian {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s "
        f"for {args.options} options, over {args.count} rush titles (seed {args.seed}); "
        f"load average {load} on {os.cpu_count()} cores"
    )
    return 0


def _median_row(rows: list[tuple[float, int, int | None, int | None, int | None]]) -> list[str]:
    """The median of each figure over the titles (those with an option, for the best's)."""

    def median(values: list[int | None], signed: bool = False) -> str:
        known = [v for v in values if v is not None]
        if not known:
            return "–"
        found = statistics.median(known)
        return f"{found:+g}" if signed else f"{found:g}"

    return [
        "median",
        "",
        "",
        "",
        f"{statistics.median(r[0] for r in rows):.2f}",
        median([r[1] for r in rows]),
        median([r[2] for r in rows], signed=True),
        median([r[3] for r in rows]),
        median([r[4] for r in rows]),
    ]


if __name__ == "__main__":
    raise SystemExit(main())
