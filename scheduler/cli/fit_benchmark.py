"""How fast rush titles (插单) fit into a plan: seeded rush titles, seconds for their options.

Usage::

    python -m scheduler solve sample_data/zhengzhou-month --out /tmp/fit-plan --time-limit 30
    python -m scheduler.cli.fit_benchmark /tmp/fit-plan --count 5 --seed 1

Each rush title is wanted in the busy days around a shoot of the plan, picked by
the seed: set types of that shoot's base, 1–4 days, a window of its length plus
0–2 days, a crew genre, and one actor of the planned title (so the actor is busy
then) — :func:`scheduler.cli.disruption_benchmark.rush_title`. Prints a Markdown
row per title — seconds for its options, options found, the best option's Δ
priority, titles it moves and drops — then the median and the most seconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
from pathlib import Path

from scheduler.cli.disruption_benchmark import rush_title
from scheduler.io.plan_io import read_plan
from scheduler.io.validation import load_scenario
from scheduler.services.fitting import fit_rush_title

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
    args = parser.parse_args(argv)

    scenario = load_scenario(Path(args.scenario))
    plan, _kpis = read_plan(Path(args.plan_dir))
    print(f"{scenario.summary()}; plan: {len(plan.scheduled_title_ids)} titles scheduled")
    columns = ("rush title", "needs", "window", "p", "seconds", "options", "best Δ priority")
    print("| " + " | ".join((*columns, "moved", "dropped")) + " |")
    print("|" + " --- |" * (len(columns) + 2))
    seconds: list[float] = []
    for index in range(args.count):
        rng = random.Random(args.seed * 1000 + index)
        title = rush_title(scenario, rng.choice(plan.shoots), rng, f"R{index + 1:03d}")
        outcome = fit_rush_title(scenario, plan, title, args.options)
        seconds.append(outcome.seconds)
        best = outcome.options[0] if outcome.options else None
        needs = "+".join(f"{n.set_type}{n.days}" for n in title.needs)
        window = f"{title.earliest_start:%m-%d}–{title.due_date:%m-%d}"
        cells = [
            f"{title.title_id} {title.genre} cast {','.join(title.cast) or '–'}",
            needs,
            window,
            str(title.priority),
            f"{outcome.seconds:.2f}",
            str(len(outcome.options)),
            "–" if best is None else f"{best.delta_priority:+d}",
            "–" if best is None else str(len(best.moves) - len(best.dropped)),
            "–" if best is None else str(len(best.dropped)),
        ]
        print("| " + " | ".join(cells) + " |")
    print(
        f"\nmedian {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s "
        f"for {args.options} options, over {args.count} rush titles (seed {args.seed})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
