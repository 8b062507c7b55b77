"""``python -m scheduler revise``: re-plan an earlier plan after a change, fewest changes.

Reads the (changed) scenario and the earlier plan folder as ``solve`` wrote it;
writes the new plan folder with ``changes.csv``, the change list (变更单):
title_id, what changed, before, after, why. With ``--published-until``, the
earlier plan's titles that shoot on or before that date count as published:
they never move unless a rule now breaks them, and then their row says it
needs approval (需审批).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from scheduler.cli.solve import (
    add_lang_argument,
    add_search_arguments,
    iso_date,
    no_plan_to_write,
    print_progress,
)
from scheduler.domain.errors import ScenarioError


def _cmd_revise(args: argparse.Namespace) -> int:
    from scheduler.domain.changes import published_titles
    from scheduler.io.plan_io import read_plan, write_plan
    from scheduler.io.validation import load_scenario
    from scheduler.services.planning import plan_scenario

    try:
        scenario = load_scenario(Path(args.scenario))
        earlier, _kpis = read_plan(Path(args.plan_dir))
    except ScenarioError as error:
        print(error.format(args.lang))
        count = len(error.problems)
        print(f"\n{count} 个问题 / {count} problem(s): 输入无效，未修改 / invalid, not revised")
        return 1
    published = published_titles(earlier, args.published_until)
    outcome = plan_scenario(
        scenario,
        time_limit=args.time_limit,
        seed=args.seed,
        workers=args.workers,
        progress=print_progress,
        reference=earlier,
        published=published,
    )
    if not outcome.ok:
        for violation in outcome.violations:
            print(violation.format(args.lang))
        for problem in outcome.result.problems:
            print(problem)
        print(f"状态 status: 出错 error — 未写入 {args.out} / nothing written to {args.out}")
        return 1
    refused = no_plan_to_write(outcome, args.out)
    if refused:
        print(refused)
        return 1
    out = Path(args.out)
    try:
        write_plan(out, outcome.plan, outcome.kpis, changes=outcome.changes)
    except OSError as error:
        print(error)
        return 1
    kpis = outcome.kpis
    approval = sum(1 for c in outcome.changes if c.why.startswith("已发布"))
    print(
        f"状态 status: {outcome.status.value}；"
        f"优先级合计 Σ priority {kpis['priority_scheduled']}；"
        f"已排 scheduled {kpis['scheduled_titles']} / {len(scenario.titles)}\n"
        f"原方案不再可行的剧目 broken titles: {len(outcome.result.broken)}；"
        f"变更 changed titles: {len(outcome.changes)}"
        f"（已发布需审批 published, need approval: {approval}）；"
        f"已发布 published: {len(published)}\n"
        f"已写入 / wrote: {out} (plan.csv, unscheduled.csv, kpis.json, changes.csv)"
    )
    return 0


def add_revise_command(commands: Any) -> None:
    """Add ``revise`` to the command line's subparsers."""
    revise = commands.add_parser(
        "revise",
        help="re-plan an earlier plan with fewest changes; writes the plan and changes.csv",
    )
    revise.add_argument("scenario", help="the (changed) scenario folder or .xlsx workbook")
    revise.add_argument("plan_dir", help="folder of the earlier plan (plan.csv as solve writes)")
    revise.add_argument("--out", required=True, help="folder to write the new plan into")
    add_search_arguments(revise, default_seconds=15.0)
    revise.add_argument(
        "--published-until",
        type=iso_date,
        default=None,
        help="titles of the earlier plan shooting on or before this date are published",
    )
    add_lang_argument(revise)
    revise.set_defaults(run=_cmd_revise)
