"""Time the capacity planner: ``python -m scheduler.cli.capacity_benchmark KIND --runs 3``.

KIND is a sample kind (generated with ``--seed``) or a scenario folder or
``.xlsx``. Each run asks every question of
:func:`solver.capacity.questions.plan_capacity` on a fresh model — bound,
bottlenecks, expansion (with ``--budget``, the budget question too) and idle
capacity — and prints the seconds of each part, the bounds, and the peak
memory of the process; with ``--runs 3`` also the median run by total time.
Issue 5's targets: bound, bottlenecks and expansion within 5 s on
zhengzhou-month and 60 s on cluster-x10.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Sequence
from dataclasses import replace

from scheduler.samples.generate import sample_or_scenario
from solver.capacity.lp import CapacitySolver
from solver.capacity.questions import CapacityAnswer, plan_capacity

PARTS = ("build", "bound", "bottlenecks", "expansion", "idle", "total")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _expansion(answer: CapacityAnswer) -> str:
    """The expansion in a few words: what it adds, at what cost, whether it reaches the targets."""
    expansion = answer.expansion
    assert expansion is not None
    adds = ", ".join(f"{s.candidate.key}×{s.count}" for s in expansion.steps) or "nothing"
    met = "met" if expansion.met else "not reachable"
    return f"{adds}; {expansion.total_cost:,} CNY; {met}; {expansion.status_text}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.cli.capacity_benchmark", description=__doc__
    )
    parser.add_argument("scenario", help="sample kind or scenario folder / .xlsx")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--budget", type=int, default=1_000_000, help="yuan (default 1,000,000)")
    parser.add_argument("--solver", choices=["highs", "cbc"], default="highs")
    parser.add_argument("--titles-per-month", type=float, default=None, help="target")
    parser.add_argument("--parallel-shoots", type=float, default=None, help="target")
    parser.add_argument(
        "--crews-away",
        type=int,
        default=0,
        help="take this many crews (none that a pin names) out: a what-if that needs additions",
    )
    args = parser.parse_args(argv)
    solver: CapacitySolver = args.solver
    scenario = sample_or_scenario(args.scenario, args.seed)
    if args.crews_away:
        pinned = {p.crew_id for p in scenario.pins}
        away = [c.crew_id for c in scenario.crews if c.crew_id not in pinned][: args.crews_away]
        scenario = replace(
            scenario, crews=tuple(c for c in scenario.crews if c.crew_id not in away)
        )
    print(scenario.summary())
    print(
        "| run | "
        + " | ".join(f"{p} s" for p in PARTS)
        + " | priority bound | titles bound | expansion |"
    )
    print("| --- " * (len(PARTS) + 4) + "|")
    totals: list[tuple[float, str]] = []
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        answer = plan_capacity(
            scenario,
            budget=args.budget,
            solver=solver,
            target_titles_per_month=args.titles_per_month,
            target_parallel_shoots=args.parallel_shoots,
        )
        wall = time.perf_counter() - started
        seconds = {**answer.seconds, "total": wall}
        row = (
            f"| {run} | "
            + " | ".join(f"{seconds.get(p, 0.0):.2f}" for p in PARTS)
            + f" | {answer.priority_bound} | {answer.titles_bound} |"
            + (f" {_expansion(answer)} |" if answer.expansion else "")
        )
        print(row, flush=True)
        totals.append((wall, row.replace(f"| {run} |", "| median |", 1)))
    if args.runs > 1:
        totals.sort()
        print(totals[len(totals) // 2][1])
        print(f"median total {statistics.median(t for t, _ in totals):.2f} s")
    print(f"peak memory: {_peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
