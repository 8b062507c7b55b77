"""Re-plan with fewest changes against planning afresh, over seeded disruptions.

Usage::

    python -m scheduler.cli.disruption_benchmark zhengzhou-month --plan-seconds 60 \\
        --time-limit 15 --count 20

From one plan of SCENARIO (``--plan-seconds``), each seeded disruption — an actor
off 1–3 days, a crew off 3 days, a set broken 2 days, a base closed 1 day, a
rush title, in turn, each hitting a resource the plan uses — is re-planned with
fewest changes (``revise``) and, for comparison, afresh, both with
``--time-limit``. Prints a Markdown row per disruption: titles it affects (the
ones it breaks; for a rush title, the rush title), of those kept and dropped,
other titles moved, Δ priority against the original plan, wall time; then
medians. Where a re-plan drops an affected title, a fresh solve of
``--long-seconds`` tells whether any plan found keeps it. With ``--plan-dir`` the
original plan is kept in (or read from) that folder, so a case can be re-run; with
``--outage KIND:ID:FROM:TO`` (repeatable) an outage of one's own choosing is added after
the seeded ones (``--count 0`` for those alone).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from scheduler.check.checker import check_plan
from scheduler.domain.model import Need, Scenario, Title, Unavailability, UnavailableKind
from scheduler.domain.plan import Plan, Shoot
from scheduler.io.plan_io import read_plan, write_plan
from scheduler.samples.generate import sample_or_scenario
from solver.slate.revise import repair, titles_moved
from solver.slate.solve import solve

Kind = Literal[UnavailableKind, "rush"]
KINDS: tuple[Kind, ...] = ("actor", "crew", "set", "base", "rush")
DAYS = {"crew": (3, 3), "set": (2, 2), "base": (1, 1), "actor": (1, 3)}
OUTAGE_KINDS: dict[str, UnavailableKind] = {
    "actor": "actor", "crew": "crew", "set": "set", "base": "base"
}  # fmt: skip
RUSH_PRIORITY = (3, 5)
"""A rush order comes from a platform that pays for it: priority 3 to 5 of the sample's 1 to 5."""


def disruption(scenario: Scenario, plan: Plan, index: int, seed: int) -> Unavailability | Title:
    """The ``index``-th disruption: a resource the plan uses off for a few of its shoot days, or
    a rush title."""
    rng = random.Random(seed * 1000 + index)
    kind = KINDS[index % len(KINDS)]
    shoots = sorted(plan.shoots)  # the same disruptions for a plan solved or read back
    shoot = rng.choice(shoots)
    if kind == "rush":
        return rush_title(scenario, shoot, rng, f"R{index + 1:03d}")
    if kind == "actor":
        cast = scenario.title_by_id[shoot.title_id].cast
        while not cast:
            shoot = rng.choice(shoots)
            cast = scenario.title_by_id[shoot.title_id].cast
        resource = rng.choice(cast)
    else:
        resource = {"crew": shoot.crew_id, "set": shoot.set_id, "base": shoot.base_id}[kind]
    low, high = DAYS[kind]
    days = rng.randint(low, high)
    last = min(shoot.date + timedelta(days=days - 1), scenario.dates[-1])
    return Unavailability(kind, resource, shoot.date, last, "benchmark")


def rush_title(scenario: Scenario, shoot: Shoot, rng: random.Random, title_id: str) -> Title:
    """A new title wanted in the busy days around ``shoot``: set types of its base, a crew's
    genre, one actor of a planned title, a window of its length plus 0–2 days."""
    have = sorted({s.set_type for s in scenario.sets if s.base_id == shoot.base_id})
    days = rng.randint(1, 4)
    types = rng.sample(have, min(len(have), rng.randint(1, 2)))
    split = [1] * len(types)
    for _ in range(days - len(types)):
        split[rng.randrange(len(split))] += 1
    needs = tuple(Need(t, n) for t, n in zip(types, split, strict=True))
    length = sum(split)
    genres = sorted({g for c in scenario.crews for g in c.genres})
    neighbour = scenario.title_by_id[shoot.title_id]
    first = shoot.date
    last = min(first + timedelta(days=length - 1 + rng.randint(0, 2)), scenario.dates[-1])
    if (last - first).days + 1 < length:  # near the horizon's end: start earlier
        first = last - timedelta(days=length - 1)
    return Title(
        title_id,
        f"加急·{neighbour.name}番外",
        rng.choice(genres) if genres else neighbour.genre,
        rng.randint(*RUSH_PRIORITY),
        first,
        last,
        needs,
        neighbour.cast[:1],
    )


def outage_argument(text: str) -> Unavailability:
    """``KIND:ID:FROM:TO`` (ISO dates) as an outage, e.g. ``actor:A045:2026-12-27:2026-12-28``."""
    kind, resource_id, first, last = text.split(":")
    if kind not in OUTAGE_KINDS:
        raise argparse.ArgumentTypeError(f"kind {kind!r}: one of {', '.join(OUTAGE_KINDS)}")
    return Unavailability(
        OUTAGE_KINDS[kind],
        resource_id,
        date.fromisoformat(first),
        date.fromisoformat(last),
        "benchmark",
    )


def _changed(scenario: Scenario, change: Unavailability | Title) -> Scenario:
    if isinstance(change, Title):
        return replace(scenario, titles=(*scenario.titles, change))
    return replace(scenario, unavailable=(*scenario.unavailable, change))


def _describe(change: Unavailability | Title) -> str:
    if isinstance(change, Title):
        days = f"{change.earliest_start:%m-%d}–{change.due_date:%m-%d}"
        needs = "+".join(f"{n.set_type}{n.days}" for n in change.needs)
        return f"rush {change.title_id} p{change.priority} {needs} {days}"
    days = f"{change.from_date:%m-%d}–{change.to_date:%m-%d}"
    return f"{change.kind} {change.resource_id} {days}"


def _priority(scenario: Scenario, plan: Plan) -> int:
    return sum(scenario.title_by_id[t].priority for t in plan.scheduled_title_ids)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", help="sample kind or scenario folder")
    parser.add_argument("--plan-seconds", type=float, default=60.0)
    parser.add_argument("--time-limit", type=float, default=15.0)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0, help="seed of the disruptions")
    parser.add_argument(
        "--plan-dir",
        type=Path,
        help="the original plan's folder: read if it holds plan.csv, else written there "
        "(to re-run the same disruptions on the same plan)",
    )
    parser.add_argument(
        "--long-seconds",
        type=float,
        default=300.0,
        help="fresh solve on each case where the re-plan drops an affected title",
    )
    parser.add_argument(
        "--outage",
        type=outage_argument,
        action="append",
        default=[],
        metavar="KIND:ID:FROM:TO",
        help="an outage to add after the seeded ones, e.g. actor:A045:2026-12-27:2026-12-28",
    )
    args = parser.parse_args(argv)

    scenario = sample_or_scenario(args.scenario)
    if args.plan_dir is not None and (args.plan_dir / "plan.csv").exists():
        original = read_plan(args.plan_dir)[0]
    else:
        original = solve(scenario, checker=check_plan, time_limit=args.plan_seconds).plan
        if args.plan_dir is not None:
            write_plan(args.plan_dir, original)
    base = _priority(scenario, original)
    print(f"original plan: priority {base}, {len(original.scheduled_title_ids)} titles")
    print(
        "| # | disruption | broken | kept | dropped | others moved (revise / afresh) "
        "| Δ priority (revise / afresh) | s (revise / afresh) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    long_check: list[tuple[int, Scenario, set[str], Plan, Plan]] = []
    rows = []
    changes = [disruption(scenario, original, i, args.seed) for i in range(args.count)]
    for index, change in enumerate([*changes, *args.outage]):
        changed = _changed(scenario, change)
        if isinstance(change, Title):
            affected = {change.title_id}
        else:
            affected = set(repair(changed, original, check_plan).dropped)
        runs = []
        for reference in (original, None):
            started = time.monotonic()
            result = solve(
                changed, checker=check_plan, time_limit=args.time_limit, reference=reference
            )
            assert check_plan(changed, result.plan) == [], "a re-plan broke a rule"
            seconds = time.monotonic() - started
            moved = titles_moved(scenario, original, result.plan) - affected
            runs.append((result.plan, len(moved), _priority(changed, result.plan) - base, seconds))
        (revised, moved_r, delta_r, sec_r), (fresh, moved_f, delta_f, sec_f) = runs
        dropped = affected - revised.scheduled_title_ids
        print(
            f"| {index + 1} | {_describe(change)} | {len(affected)} "
            f"| {len(affected) - len(dropped)} | {len(dropped)} "
            f"| {moved_r} / {moved_f} | {delta_r:+d} / {delta_f:+d} | {sec_r:.1f} / {sec_f:.1f} |",
            flush=True,
        )
        rows.append((moved_r, moved_f, delta_r, delta_f, sec_r))
        if dropped:
            long_check.append((index + 1, changed, dropped, fresh, revised))
    print(
        f"\nmedian: others moved {statistics.median(r[0] for r in rows)} (revise) / "
        f"{statistics.median(r[1] for r in rows)} (afresh); "
        f"Δ priority {statistics.median(r[2] for r in rows):+} / "
        f"{statistics.median(r[3] for r in rows):+}; "
        f"longest revise {max(r[4] for r in rows):.1f} s"
    )
    for number, changed, dropped, fresh, revised in long_check:
        for title_id in sorted(dropped):
            print(f"#{number} {title_id}: {revised.unscheduled.get(title_id, '')}")
        result = solve(changed, checker=check_plan, time_limit=args.long_seconds)
        kept_long = sorted(dropped & result.plan.scheduled_title_ids)
        kept_fresh = sorted(dropped & fresh.scheduled_title_ids)
        print(
            f"#{number}: re-plan dropped {', '.join(sorted(dropped))}; afresh "
            f"{args.time_limit:g} s keeps {kept_fresh or 'none'}; afresh {args.long_seconds:g} s "
            f"keeps {kept_long or 'none'} ({result.summary()})"
        )
    if not long_check:
        print("no re-plan dropped an affected title")


if __name__ == "__main__":
    main()
