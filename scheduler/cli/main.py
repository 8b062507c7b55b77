"""The command line: ``python -m scheduler COMMAND …``.

Each command is a small function that parses nothing itself and calls into
the package; ``main`` returns the exit code (0 success, 1 invalid input or a
broken rule, 2 usage errors).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from scheduler.cli.capacity import add_capacity_command
from scheduler.cli.db import add_db_commands
from scheduler.cli.fit import add_fit_command
from scheduler.cli.pooling import add_pooling_command
from scheduler.cli.revise import add_revise_command
from scheduler.cli.sequence import add_sequence_command
from scheduler.cli.solve import add_lang_argument, add_solve_command
from scheduler.cli.sweep import add_sweep_command
from scheduler.cli.users import add_users_command
from scheduler.domain.errors import Problem, ScenarioError


def _cmd_validate(args: argparse.Namespace) -> int:
    from scheduler.io.validation import load_scenario

    notes: list[Problem] = []
    try:
        scenario = load_scenario(Path(args.scenario), notes)
    except ScenarioError as error:
        print(error.format(args.lang), file=sys.stdout)
        count = len(error.problems)
        print(f"\n{count} 个问题 / {count} problem(s): 场景无效 / the scenario is invalid")
        return 1
    for note in notes:
        print(f"注意 / note: {note.format(args.lang)}")
    print(f"有效 / valid — {scenario.summary()}")
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    from scheduler.io.tables import write_scenario
    from scheduler.samples.generate import KINDS, generate

    if args.kind not in KINDS:
        print(f"unknown kind {args.kind!r}; expected one of {', '.join(KINDS)}", file=sys.stderr)
        return 2
    scenario = generate(args.kind, seed=args.seed)
    write_scenario(scenario, Path(args.out))
    print(f"wrote {args.out}: {scenario.summary()}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from scheduler.check.checker import check
    from scheduler.io.plan_io import read_plan
    from scheduler.io.validation import load_scenario

    try:
        scenario = load_scenario(Path(args.scenario))
        plan, _kpis = read_plan(Path(args.plan))
    except ScenarioError as error:
        print(error.format(args.lang), file=sys.stdout)
        count = len(error.problems)
        print(f"\n{count} 个问题 / {count} problem(s): 无法检查 / cannot check")
        return 1
    report = check(scenario, plan)
    for violation in report.violations:
        print(violation.format(args.lang))
    print(report.summary())
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler",
        description="ShootPlan 短剧排期 — plan micro-drama shoots across shooting bases.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser(
        "validate", help="check a scenario folder or .xlsx; list every problem (exit 1)"
    )
    validate.add_argument("scenario", help="scenario folder or .xlsx workbook")
    add_lang_argument(validate)
    validate.set_defaults(run=_cmd_validate)

    gen = commands.add_parser("generate", help="write a seeded sample scenario")
    gen.add_argument("kind", help="tutorial, zhengzhou-month, zhengzhou-full or cluster-x10")
    gen.add_argument("--seed", type=int, default=2026)
    gen.add_argument("--out", required=True, help="folder (or .xlsx) to write")
    gen.set_defaults(run=_cmd_generate)

    add_solve_command(commands)
    add_revise_command(commands)
    add_fit_command(commands)

    check = commands.add_parser("check", help="check a plan folder against rules 1-11 (exit 1)")
    check.add_argument("scenario", help="scenario folder or .xlsx workbook")
    check.add_argument("plan", help="plan folder holding plan.csv, unscheduled.csv, kpis.json")
    add_lang_argument(check)
    check.set_defaults(run=_cmd_check)

    add_capacity_command(commands)
    add_pooling_command(commands)
    add_sequence_command(commands)
    add_sweep_command(commands)

    add_db_commands(commands)
    add_users_command(commands)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code
