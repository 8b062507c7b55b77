"""``python -m scheduler capacity SCENARIO``: the capacity planner's report.

Prints the bound, the week-by-week capacity, the bottlenecks (and which binding
actors' days off could be bought out), what one more set, crew or bought actor-day
would add, the cheapest additions that reach the targets (and, with ``--budget``, the
most titles for a budget; with ``--rush N``, what it takes to shoot a rush order of N
titles too) and the idle set-days — with ``--plan``, also those the plan leaves free;
with ``--out FILE`` also writes it as JSON (``priority_bound``, ``titles_bound`` …).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scheduler.cli.solve import add_lang_argument
from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan


def _cmd_capacity(args: argparse.Namespace) -> int:
    from scheduler.io.validation import load_scenario
    from scheduler.services.candidates import load_candidates
    from scheduler.services.capacity_report import capacity_report

    try:
        scenario = load_scenario(Path(args.scenario))
        candidates = (
            None if args.candidates is None else load_candidates(Path(args.candidates), scenario)
        )
        plan = None if args.plan is None else _checked_plan(scenario, Path(args.plan))
    except ScenarioError as error:
        print(error.format(args.lang), file=sys.stdout)
        count = len(error.problems)
        print(f"\n{count} 个问题 / {count} problem(s): 无法计算产能 / cannot plan capacity")
        return 1
    report = capacity_report(
        scenario,
        candidates=candidates,
        target_titles_per_month=args.titles_per_month,
        target_parallel_shoots=args.parallel_shoots,
        budget=args.budget,
        plan_priority=None if plan is None else _plan_priority(scenario, plan),
        bucket_days=args.bucket_days,
        solver=args.solver,
        rush_titles=args.rush,
        plan=plan,
    )
    print(report.text())
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(f"\n已写出 / wrote {out}")
    return 0 if report.answer.priority_bound is not None else 1


def _checked_plan(scenario: Scenario, directory: Path) -> Plan:
    """The plan of a plan folder, once the rules 1–11 check accepts it."""
    from scheduler.check.checker import check
    from scheduler.io.plan_io import read_plan

    plan, _ = read_plan(directory)
    report = check(scenario, plan)
    if not report.ok:
        raise ScenarioError(
            Problem("plan.csv", 0, f"rule {v.rule}", v.message, v.message_zh)
            for v in report.violations
        )
    return plan


def _plan_priority(scenario: Scenario, plan: Plan) -> int:
    """Σ priority of the titles a plan schedules."""
    by_id = scenario.title_by_id
    return sum(by_id[t].priority for t in plan.scheduled_title_ids if t in by_id)


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative; expected 0 or more")
    return value


def add_capacity_command(commands: Any) -> None:
    """Add ``capacity`` to the command line's subparsers."""
    capacity = commands.add_parser(
        "capacity",
        help="capacity report: bound, bottlenecks, cheapest additions, idle set-days",
    )
    capacity.add_argument("scenario", help="scenario folder or .xlsx workbook")
    capacity.add_argument("--out", default=None, help="also write the report as JSON to FILE")
    capacity.add_argument(
        "--candidates",
        default=None,
        help="CSV of additions (kind,base_id,set_type,day_rate,max_count[,actor_id,from_date,"
        "to_date]; kind set, crew or actor); default: one more set of each type each base has, "
        "crews, at the scenario's prices, and buying out the days off of binding actors",
    )
    capacity.add_argument(
        "--budget",
        type=_non_negative_int,
        default=None,
        help="also: the most titles for this many yuan",
    )
    capacity.add_argument(
        "--rush",
        type=_non_negative_int,
        default=0,
        help="also: what it takes to shoot a rush order of this many titles too",
    )
    capacity.add_argument(
        "--titles-per-month", type=float, default=None, help="target (default: scenario.toml)"
    )
    capacity.add_argument(
        "--parallel-shoots", type=float, default=None, help="target (default: scenario.toml)"
    )
    capacity.add_argument(
        "--plan",
        default=None,
        help="a plan folder: its priority as a share of the bound, and the set-days it leaves "
        "free (sellable without breaking it)",
    )
    capacity.add_argument(
        "--bucket-days", type=int, default=7, help="days per bucket of the model (default 7)"
    )
    capacity.add_argument("--solver", choices=["highs", "cbc"], default=None)
    add_lang_argument(capacity)
    capacity.set_defaults(run=_cmd_capacity)
