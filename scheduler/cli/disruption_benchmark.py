"""Re-plan with fewest changes against planning afresh, over seeded disruptions.

Usage::

    python -m scheduler.cli.disruption_benchmark zhengzhou-month --plan-seconds 60 \\
        --time-limit 15 --count 20

From one plan of SCENARIO (``--plan-seconds``), each seeded disruption — an actor
off 1–3 days, a crew off 3 days, a set broken 2 days, a base closed 1 day, in
turn, each hitting a resource the plan uses — is re-planned with fewest changes
(``revise``) and, for comparison, afresh, both with ``--time-limit``. Prints a
Markdown row per disruption: titles it breaks, of those kept and dropped, other
titles moved, Δ priority against the original plan, wall time; then medians.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from dataclasses import replace
from datetime import timedelta

from scheduler.check.checker import check_plan
from scheduler.domain.model import Scenario, Unavailability, UnavailableKind
from scheduler.domain.plan import Plan
from scheduler.samples.generate import sample_or_scenario
from solver.slate.revise import repair, titles_moved
from solver.slate.solve import solve

KINDS: tuple[UnavailableKind, ...] = ("actor", "crew", "set", "base")
DAYS = {"crew": (3, 3), "set": (2, 2), "base": (1, 1), "actor": (1, 3)}


def disruption(scenario: Scenario, plan: Plan, index: int, seed: int) -> Unavailability:
    """The ``index``-th disruption: a resource the plan uses, off for a few of its shoot days."""
    rng = random.Random(seed * 1000 + index)
    kind = KINDS[index % len(KINDS)]
    shoot = rng.choice(plan.shoots)
    if kind == "actor":
        cast = scenario.title_by_id[shoot.title_id].cast
        while not cast:
            shoot = rng.choice(plan.shoots)
            cast = scenario.title_by_id[shoot.title_id].cast
        resource = rng.choice(cast)
    else:
        resource = {"crew": shoot.crew_id, "set": shoot.set_id, "base": shoot.base_id}[kind]
    low, high = DAYS[kind]
    days = rng.randint(low, high)
    last = min(shoot.date + timedelta(days=days - 1), scenario.dates[-1])
    return Unavailability(kind, resource, shoot.date, last, "benchmark")


def _priority(scenario: Scenario, plan: Plan) -> int:
    return sum(scenario.title_by_id[t].priority for t in plan.scheduled_title_ids)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", help="sample kind or scenario folder")
    parser.add_argument("--plan-seconds", type=float, default=60.0)
    parser.add_argument("--time-limit", type=float, default=15.0)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0, help="seed of the disruptions")
    args = parser.parse_args(argv)

    scenario = sample_or_scenario(args.scenario)
    original = solve(scenario, checker=check_plan, time_limit=args.plan_seconds).plan
    base = _priority(scenario, original)
    print(f"original plan: priority {base}, {len(original.scheduled_title_ids)} titles")
    print(
        "| # | disruption | broken | kept | dropped | others moved (revise / afresh) "
        "| Δ priority (revise / afresh) | s (revise / afresh) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    rows = []
    for index in range(args.count):
        outage = disruption(scenario, original, index, args.seed)
        changed = replace(scenario, unavailable=(*scenario.unavailable, outage))
        broken = set(repair(changed, original, check_plan).dropped)
        runs = []
        for reference in (original, None):
            started = time.monotonic()
            result = solve(
                changed, checker=check_plan, time_limit=args.time_limit, reference=reference
            )
            assert check_plan(changed, result.plan) == [], "a re-plan broke a rule"
            seconds = time.monotonic() - started
            moved = titles_moved(scenario, original, result.plan) - broken
            runs.append((result.plan, len(moved), _priority(changed, result.plan) - base, seconds))
        (revised, moved_r, delta_r, sec_r), (_fresh, moved_f, delta_f, sec_f) = runs
        kept = len(broken & revised.scheduled_title_ids)
        days = f"{outage.from_date:%m-%d}–{outage.to_date:%m-%d}"
        what = f"{outage.kind} {outage.resource_id} {days}"
        print(
            f"| {index + 1} | {what} | {len(broken)} | {kept} | {len(broken) - kept} "
            f"| {moved_r} / {moved_f} | {delta_r:+d} / {delta_f:+d} | {sec_r:.1f} / {sec_f:.1f} |",
            flush=True,
        )
        rows.append((moved_r, moved_f, delta_r, delta_f, sec_r))
    print(
        f"\nmedian: others moved {statistics.median(r[0] for r in rows)} (revise) / "
        f"{statistics.median(r[1] for r in rows)} (afresh); "
        f"Δ priority {statistics.median(r[2] for r in rows):+} / "
        f"{statistics.median(r[3] for r in rows):+}; "
        f"longest revise {max(r[4] for r in rows):.1f} s"
    )


if __name__ == "__main__":
    main()
