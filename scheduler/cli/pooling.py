"""``python -m scheduler pooling SCENARIO``: the pooling dividend (区域协同) of a cluster.

Plans the scenario with each city alone (crews and actors only in their home city),
with every city pooled (crews and actors shared, travel days apply) and, with
``--groups "郑州,开封;洛阳"``, with those groups of cities in between; each plan is
checked (rules 1–11). Prints a table per policy and per city and the dividend in
words; ``--out FILE.json`` also writes
``{"policies": {"alone": {…}, "pooled": {…}, …}, "dividend": {…}}``.
Exit 0 when every plan is checked, 1 on invalid input or a plan the checker refused.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scheduler.cli.solve import add_lang_argument, add_search_arguments
from scheduler.domain.errors import ScenarioError
from scheduler.domain.money import format_cny
from scheduler.domain.pooling import parse_groups
from scheduler.domain.sweep import ALONE, POOLED, PoolingPolicy

if TYPE_CHECKING:
    from scheduler.services.pooling import PoolingStep

DEFAULT_SECONDS = 60.0
"""Seconds of each policy's solve unless ``--time-limit`` says otherwise."""


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(value) for value in row] for row in [header, *rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
        for row in cells
    )


def _say_step(step: PoolingStep) -> None:
    """Print the policy being planned when it starts."""
    from scheduler.services.pooling import policy_label

    if step.progress is None:
        label = policy_label(step.policy)
        print(f"规划中 planning {step.number}/{step.total}: {label}", flush=True)


def _cmd_pooling(args: argparse.Namespace) -> int:
    from scheduler.io.validation import load_scenario
    from scheduler.services.pooling import plan_pooling, policy_label

    try:
        scenario = load_scenario(Path(args.scenario))
    except ScenarioError as error:
        print(error.format(args.lang), file=sys.stdout)
        count = len(error.problems)
        print(f"\n{count} 个问题 / {count} problem(s): 无法比较协同方式 / cannot compare pooling")
        return 1
    policies: list[PoolingPolicy] = [ALONE]
    if args.groups:
        policies.append(parse_groups(args.groups))
    policies.append(POOLED)
    print(f"{scenario.summary()}; 城市 cities: {'、'.join(scenario.cities)}")
    try:
        report = plan_pooling(
            scenario,
            policies=policies,
            time_limit=args.time_limit,
            seed=args.seed,
            workers=args.workers,
            progress=_say_step,
        )
    except ValueError as error:
        print(f"--groups: {error}", file=sys.stdout)
        return 1

    header = [
        "协同方式 policy",
        "已排剧目 scheduled titles",
        "每月剧目 titles/30 days",
        "总优先级 priority",
        "成本 cost",
        "场景利用率 set use",
        "闲置棚天 idle set-days",
        "状态 status",
    ]
    rows = [
        [
            policy_label(name),
            result.scheduled_titles,
            f"{result.titles_per_30_days:g}",
            result.priority_scheduled,
            format_cny(result.cost),
            f"{result.set_utilisation:.1%}",
            result.idle_set_days,
            result.outcome.status.value if result.ok else "error（未通过检查 not checked）",
        ]
        for name, result in report.policies.items()
    ]
    print()
    print(_table(header, rows))
    for name, result in report.policies.items():
        print(f"\n{policy_label(name)} — 各城 by city")
        city_rows = [
            [
                city.city,
                city.titles,
                f"{city.titles_per_30_days:g}",
                city.priority,
                format_cny(city.cost),
                f"{city.set_utilisation:.1%}",
                city.idle_set_days,
                f"{city.crews_used}（外地 {city.crews_from_elsewhere}）",
            ]
            for city in result.by_city
        ]
        city_header = [
            "城市 city",
            "剧目 titles",
            "每月剧目 titles/30 days",
            "优先级 priority",
            "成本 cost",
            "场景利用率 set use",
            "闲置棚天 idle set-days",
            "剧组 crews (from elsewhere)",
        ]
        print(_table(city_header, city_rows))
        for problem in result.outcome.problems:
            print(f"  问题 problem: {problem}")
    sentence = report.dividend_sentence()
    if sentence:
        print(f"\n协同红利 pooling dividend: {sentence}")
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(f"\n已写出 / wrote {out}")
    return 0 if report.ok else 1


def add_pooling_command(commands: Any) -> None:
    """Add ``pooling`` to the command line's subparsers."""
    pooling = commands.add_parser(
        "pooling",
        help="the pooling dividend: plan each city alone and all cities pooled, and compare",
    )
    pooling.add_argument("scenario", help="scenario folder or .xlsx workbook")
    add_search_arguments(pooling, default_seconds=DEFAULT_SECONDS)
    pooling.add_argument(
        "--groups",
        default="",
        help='also plan these groups of cities sharing crews and actors: "郑州,开封;洛阳"',
    )
    pooling.add_argument("--out", default=None, help="also write the comparison as JSON to FILE")
    add_lang_argument(pooling)
    pooling.set_defaults(run=_cmd_pooling)
