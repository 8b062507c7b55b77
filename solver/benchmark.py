"""Measure the CP-SAT slate model against the greedy baseline on one scenario.

Usage::

    python -m solver.benchmark zhengzhou-month --time-limit 60 --workers 2
    python -m solver.benchmark /tmp/zhengzhou-full --time-limit 60
    python -m solver.benchmark cluster-x10 --build-only

SCENARIO is a sample kind (generated with ``--seed``) or a scenario folder or
workbook. Prints model size, build time, priority scheduled against greedy's,
the proven bound and gap, wall time and peak memory — the figures the issue
asks for. ``--build-only`` stops after building the model (for sizes that
cannot be solved yet).
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Sequence
from pathlib import Path

from scheduler.model import Scenario
from solver.placements import DEFAULT_MAX_ORDERS, enumerate_candidates
from solver.solve import solve


def _load(name: str, seed: int) -> Scenario:
    from scheduler.generate import KINDS, generate

    if name in KINDS:
        return generate(name, seed=seed)
    from scheduler.validation import load_scenario

    return load_scenario(Path(name))


def _peak_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _priority(scenario: Scenario, title_ids: frozenset[str]) -> int:
    return sum(scenario.title_by_id[t].priority for t in title_ids)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m solver.benchmark", description=__doc__)
    parser.add_argument("scenario", help="sample kind or scenario folder / .xlsx")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--solver-seed", type=int, default=0)
    parser.add_argument("--max-orders", type=int, default=DEFAULT_MAX_ORDERS)
    parser.add_argument("--build-only", action="store_true", help="build the model, do not solve")
    parser.add_argument("--log", action="store_true", help="print the solve log")
    args = parser.parse_args(argv)

    scenario = _load(args.scenario, args.seed)
    print(scenario.summary())
    print(f"peak memory after loading: {_peak_mb():.0f} MB")

    if args.build_only:
        from solver.cpsat.model import SlateModel

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
        from solver.greedy import greedy_plan
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

    started = time.monotonic()
    result = solve(
        scenario,
        time_limit=args.time_limit,
        seed=args.solver_seed,
        workers=args.workers,
        max_orders=args.max_orders,
    )
    wall = time.monotonic() - started
    if args.log:
        print("\n".join(result.log))
    size = result.model_size
    total = sum(t.priority for t in scenario.titles)
    print(
        f"model: {size.variables} variables, {size.constraints} constraints, "
        f"{size.placements} placements, {size.crew_options} crew options, "
        f"built in {size.build_seconds:.1f}s"
    )
    print(f"cp-sat: {result.summary()}")
    print(f"all titles' priority: {total}")
    if greedy_priority:
        print(f"ratio to greedy: {result.priority_scheduled / greedy_priority:.3f}")
    print(f"wall time: {wall:.1f}s, peak memory: {_peak_mb():.0f} MB")
    for problem in result.problems[:10]:
        print(f"problem: {problem}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
