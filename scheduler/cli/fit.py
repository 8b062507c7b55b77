"""``python -m scheduler fit``: where a rush title (插单) could go in an earlier plan.

Reads the scenario, the plan folder as ``solve`` wrote it and TITLE.csv (the
columns of titles.csv plus ``needs`` as ``set_type:days;…``); prints the best
options as a table — 方案, 基地, 剧组, 开机, Δ优先级, Δ成本, 挪动的剧目 — or,
with ``--json``, as JSON with the seconds the search took. Exit 1 with every
problem when the scenario, the plan or TITLE.csv is bad, or when no option exists.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scheduler.cli.solve import add_lang_argument, iso_date
from scheduler.domain.errors import ScenarioError

if TYPE_CHECKING:
    from scheduler.services.fitting import FitOutcome


def _cmd_fit(args: argparse.Namespace) -> int:
    from scheduler.domain.changes import published_titles
    from scheduler.io.plan_io import read_plan
    from scheduler.io.rush_title import read_rush_title
    from scheduler.io.validation import load_scenario
    from scheduler.services.fitting import fit_rush_title, outcome_json

    try:
        scenario = load_scenario(Path(args.scenario))
        plan, _kpis = read_plan(Path(args.plan_dir))
        title = read_rush_title(Path(args.title), scenario)
    except ScenarioError as error:
        print(error.format(args.lang))
        count = len(error.problems)
        print(f"\n{count} 个问题 / {count} problem(s): 输入无效 / invalid input")
        return 1
    outcome = fit_rush_title(
        scenario,
        plan,
        title,
        args.options,
        label=Path(args.title).name,
        published=published_titles(plan, args.published_until),
    )
    if args.json:
        print(json.dumps(outcome_json(outcome), ensure_ascii=False, indent=2))
    else:
        _print_table(outcome)
    return 0 if outcome.options else 1


def _print_table(outcome: FitOutcome) -> None:
    from scheduler.services.fitting import move_text

    scenario, title = outcome.scenario, outcome.title
    print(
        f"插单 rush title: {title.title_id} {title.name}（{title.genre}，优先级 {title.priority}，"
        f"{title.shoot_days} 天，{title.earliest_start:%m-%d}–{title.due_date:%m-%d}）"
    )
    header = ("方案", "基地", "剧组", "开机", "Δ优先级", "Δ成本", "挪动的剧目")
    rows = []
    for rank, option in enumerate(outcome.options, 1):
        moved = "；".join(move_text(scenario, m) for m in option.moves) or "无 none"
        rows.append(
            (
                str(rank),
                f"{option.base_id} {scenario.base_by_id[option.base_id].name}",
                f"{option.crew_id} {scenario.crew_by_id[option.crew_id].name}",
                f"{option.start:%m-%d}",
                f"{option.delta_priority:+d}",
                f"{option.delta_cost:+,} 元",
                moved,
            )
        )
    print("\t".join(header))
    for row in rows:
        print("\t".join(row))
    if outcome.shortfall:
        print(outcome.shortfall)
    print(
        f"用时 {outcome.seconds:.2f} s；组合 {outcome.tried} 个，评估 {outcome.evaluated} 个"
        f" / {outcome.seconds:.2f} s, {outcome.tried} combinations, {outcome.evaluated} worked out"
    )


def add_fit_command(commands: Any) -> None:
    """Add ``fit`` to the command line's subparsers."""
    fit = commands.add_parser(
        "fit",
        help="where a rush title could go in a plan: the best options and what each moves",
    )
    fit.add_argument("scenario", help="the scenario folder or .xlsx workbook")
    fit.add_argument("plan_dir", help="folder of the plan (plan.csv as solve writes)")
    fit.add_argument(
        "title", help="TITLE.csv: the columns of titles.csv plus needs (set_type:days;…)"
    )
    fit.add_argument("--options", type=int, default=5, help="how many options (default 5)")
    fit.add_argument("--json", action="store_true", help="print the options as JSON")
    fit.add_argument(
        "--published-until",
        type=iso_date,
        default=None,
        help="titles of the plan shooting on or before this date are published: never moved",
    )
    add_lang_argument(fit)
    fit.set_defaults(run=_cmd_fit)
