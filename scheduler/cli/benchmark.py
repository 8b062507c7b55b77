"""Measure the CP-SAT slate model against the greedy baseline on one scenario.

Usage::

    python -m scheduler.cli.benchmark zhengzhou-month --time-limit 60 --workers 2
    python -m scheduler.cli.benchmark /tmp/zhengzhou-full --time-limit 60
    python -m scheduler.cli.benchmark cluster-x10 --time-limit 300
    python -m scheduler.cli.benchmark zhengzhou-full --time-limit 60 --runs 3

SCENARIO is a sample kind (generated with ``--seed``) or a scenario folder or
workbook. Prints model size, build time, priority scheduled against greedy's,
the proven bound and gap, wall time and peak memory — the figures the issue
asks for, as a Markdown table: priority, ratio to greedy, bound, gap, cost, wall
time, peak memory (``ru_maxrss``, the whole process) and parallel shoots per day
(min / mean); ``--runs 3`` solves with three seeds and adds the median run.
``--build-only`` stops after building the exact model.
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Sequence

from scheduler.check.checker import check_plan
from scheduler.domain.model import Scenario
from scheduler.samples.generate import sample_or_scenario
from solver.result import SolveResult
from solver.slate.candidates import DEFAULT_MAX_ORDERS, enumerate_candidates
from solver.slate.solve import solve


def _peak_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _priority(scenario: Scenario, title_ids: frozenset[str]) -> int:
    return sum(scenario.title_by_id[t].priority for t in title_ids)


def _parallel_shoots(scenario: Scenario, result: SolveResult) -> list[int]:
    """Titles shooting on each day of the horizon."""
    per_day = [0] * scenario.days
    for shoot in result.plan.shoots:
        day = scenario.day_index(shoot.date)
        if 0 <= day < scenario.days:
            per_day[day] += 1
    return per_day


def _row(
    scenario: Scenario, result: SolveResult, greedy_priority: int | None, wall: float
) -> dict[str, str]:
    """The issue's figures of one run, formatted."""
    ratio = "–" if not greedy_priority else f"{result.priority_scheduled / greedy_priority:.3f}"
    gap = "–" if result.gap is None else f"{result.gap:.1%}"
    parallel = _parallel_shoots(scenario, result)
    return {
        "status": result.status.value,
        "priority": str(result.priority_scheduled),
        "greedy": str(greedy_priority or "–"),
        "ratio": ratio,
        "bound": str(result.priority_bound if result.priority_bound is not None else "–"),
        "gap": gap,
        "cost CNY": f"{result.cost:,}" if result.cost is not None else "–",
        "wall s": f"{wall:.1f}",
        "peak MB": f"{_peak_mb():.0f}",
        "parallel min": str(min(parallel, default=0)),
        "parallel mean": f"{sum(parallel) / max(1, len(parallel)):.1f}",
    }


def _print_table(rows: list[dict[str, str]], with_median: bool) -> None:
    """A Markdown table, one row per run, and the run of median priority."""
    if with_median:
        ordered = sorted(rows, key=lambda r: int(r["priority"]))
        rows = [*rows, {**ordered[len(ordered) // 2], "status": "median"}]
    header = list(rows[0])
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(" --- " for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row[h] for h in header) + " |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scheduler.cli.benchmark", description=__doc__)
    parser.add_argument("scenario", help="sample kind or scenario folder / .xlsx")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--solver-seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=1, help="solves with seeds solver-seed, +1, …")
    parser.add_argument("--max-orders", type=int, default=DEFAULT_MAX_ORDERS)
    parser.add_argument("--build-only", action="store_true", help="build the model, do not solve")
    parser.add_argument("--log", action="store_true", help="print the solve log")
    args = parser.parse_args(argv)

    scenario = sample_or_scenario(args.scenario, args.seed)
    print(scenario.summary())
    print(f"peak memory after loading: {_peak_mb():.0f} MB")

    if args.build_only:
        from solver.slate.cpsat.model import SlateModel

        started = time.monotonic()
        candidates = enumerate_candidates(scenario, args.max_orders)
        enumerated = time.monotonic() - started
        print(f"candidates in {enumerated:.1f}s: {candidates.summary()}")
        slate = SlateModel(scenario, candidates)
        variables, constraints = slate.size
        print(
            f"model built in {time.monotonic() - started:.1f}s: {variables} variables, "
            f"{constraints} constraints; {slate.variables.counts}"
        )
        print(f"peak memory: {_peak_mb():.0f} MB")
        return 0

    greedy_priority = None
    try:
        from solver.slate.greedy import greedy_plan
    except ImportError:
        pass
    else:
        started = time.monotonic()
        greedy = greedy_plan(scenario)
        greedy_priority = _priority(scenario, greedy.scheduled_title_ids)
        print(
            f"greedy: priority {greedy_priority}, {len(greedy.scheduled_title_ids)} titles, "
            f"{time.monotonic() - started:.1f}s"
        )

    rows: list[dict[str, str]] = []
    walls: list[float] = []
    for run in range(args.runs):
        started = time.monotonic()
        result = solve(
            scenario,
            checker=check_plan,
            time_limit=args.time_limit,
            seed=args.solver_seed + run,
            workers=args.workers,
            max_orders=args.max_orders,
        )
        wall = time.monotonic() - started
        walls.append(wall)
        if args.log:
            print("\n".join(result.log))
        size = result.model_size
        if size.variables:
            print(
                f"model: {size.variables} variables, {size.constraints} constraints, "
                f"{size.placements} placements, {size.crew_options} crew options, "
                f"built in {size.build_seconds:.1f}s"
            )
        print(f"cp-sat (seed {args.solver_seed + run}): {result.summary()}")
        for problem in result.problems[:10]:
            print(f"problem: {problem}")
        rows.append(_row(scenario, result, greedy_priority, wall))
    print(f"all titles' priority: {sum(t.priority for t in scenario.titles)}")
    _print_table(rows, args.runs > 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
