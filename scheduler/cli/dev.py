"""Developer commands: look inside the solver's models on a sample or a scenario.

    python -m scheduler.cli.dev bound zhengzhou-month --integer --time-limit 30
    python -m scheduler.cli.dev capacity-model cluster-x10
    python -m scheduler.cli.dev exact tutorial --compare
    python -m scheduler.cli.dev revise zhengzhou-month --time-limit 30

SCENARIO is a sample kind (generated with ``--seed``) or a scenario folder or
workbook. These live with the command line, not inside the solver's modules, so
that no library module imports a sample generator.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from scheduler.check.checker import check_plan
from scheduler.domain.model import Unavailability
from scheduler.samples.generate import sample_or_scenario
from solver.capacity.bound import priority_upper_bound, shoot_option_counts
from solver.capacity.exact_milp import exact_priority_optimum
from solver.capacity.lp import ROUNDING_SLACK, solve_lp
from solver.capacity.model import WEEK, CapacityModel, Objective
from solver.slate.revise import titles_moved
from solver.slate.solve import solve


def bound(args: argparse.Namespace) -> int:
    """Print the day-indexed LP (or MIP) bound of a sample or scenario."""
    scenario = sample_or_scenario(args.scenario, seed=args.seed)
    total = sum(t.priority for t in scenario.titles)
    print(scenario.summary())
    print(f"total priority {total}, {sum(shoot_option_counts(scenario))} shoot options")
    result = priority_upper_bound(
        scenario, time_limit=args.time_limit, integer=args.integer, solver=args.solver
    )
    print("no bound proven" if result is None else result.summary())
    return 0


def capacity_model(args: argparse.Namespace) -> int:
    """Print the capacity model's size and bounds for a sample or scenario."""
    scenario = sample_or_scenario(args.scenario, seed=args.seed)
    started = time.perf_counter()
    model = CapacityModel(scenario, bucket_days=args.bucket_days)
    columns, rows = model.size
    print(
        f"{scenario.summary()}\n{columns} columns × {rows} rows, built in "
        f"{time.perf_counter() - started:.1f} s"
    )
    objectives: tuple[Objective, ...] = ("priority", "titles")
    for objective in objectives:
        model.set_objective(objective)
        solution = solve_lp(model.problem, solver=args.solver)
        value = solution.objective
        shown = "–" if value is None else f"{math.floor(value + ROUNDING_SLACK)} (LP {value:.2f})"
        print(f"{objective} bound {shown}, {solution.status_text}, {solution.seconds:.1f} s")
    return 0


def exact(args: argparse.Namespace) -> int:
    """Print the exact MILP optimum of a sample or scenario (and CP-SAT's, with --compare)."""
    scenario = sample_or_scenario(args.scenario, seed=args.seed)
    print(scenario.summary())
    result = exact_priority_optimum(scenario, solver=args.solver, time_limit=args.time_limit)
    print(result.summary())
    print("scheduled:", " ".join(sorted(result.scheduled)) or "–")
    if args.compare:
        plan = solve(scenario, time_limit=args.time_limit, workers=1, checker=check_plan)
        print("CP-SAT:", plan.summary())
    return 0


def revise(args: argparse.Namespace) -> int:
    """Plan a sample, take its busiest crew off three days, then revise and plan afresh."""
    scenario = sample_or_scenario(args.scenario, seed=args.seed)
    before = solve(scenario, time_limit=args.time_limit, checker=check_plan)
    busiest = max(
        {s.crew_id for s in before.plan.shoots},
        key=lambda c: sum(1 for s in before.plan.shoots if s.crew_id == c),
    )
    first = scenario.start_date + timedelta(days=args.first_day)
    off = Unavailability("crew", busiest, first, first + timedelta(days=2), "请假三天")
    changed = replace(scenario, unavailable=(*scenario.unavailable, off))
    print(f"{scenario.name}: plan priority {before.priority_scheduled}; {busiest} off {first} +2")
    for how, reference in (("revise", before.plan), ("afresh", None)):
        started = time.monotonic()
        result = solve(
            changed, time_limit=args.time_limit, reference=reference, checker=check_plan
        )
        print(
            f"{how}: {result.status.value}, priority {result.priority_scheduled}, "
            f"{len(titles_moved(scenario, before.plan, result.plan))} titles moved, "
            f"{time.monotonic() - started:.1f} s"
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the developer command and run it."""
    parser = argparse.ArgumentParser(prog="python -m scheduler.cli.dev", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, run: object, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("scenario", help="sample kind or scenario folder / .xlsx")
        sub.add_argument("--seed", type=int, default=2026, help="generator seed")
        sub.set_defaults(run=run)
        return sub

    sub = command("bound", bound, "the day-indexed LP bound")
    sub.add_argument("--time-limit", type=float, default=10.0)
    sub.add_argument("--integer", action="store_true", help="also run the MIP")
    sub.add_argument("--solver", choices=["highs", "cbc"], default=None)

    sub = command("capacity-model", capacity_model, "the capacity model's size and bounds")
    sub.add_argument("--bucket-days", type=int, default=WEEK)
    sub.add_argument("--solver", choices=["highs", "cbc"], default="highs")

    sub = command("exact", exact, "the exact day-indexed MILP")
    sub.add_argument("--time-limit", type=float, default=60.0)
    sub.add_argument("--solver", choices=["highs", "cbc"], default="highs")
    sub.add_argument("--compare", action="store_true", help="also solve with CP-SAT")

    sub = command("revise", revise, "revise a plan after an outage, against planning afresh")
    sub.add_argument("--time-limit", type=float, default=30.0)
    sub.add_argument("--first-day", type=int, default=10, help="first day the crew is off")

    args = parser.parse_args(argv)
    run = args.run
    assert callable(run)
    return int(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
