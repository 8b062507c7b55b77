"""Solve a scenario, then fact-check the reason of every title left out.

Usage::

    python -m scheduler.cli.reasons_check sample_data/zhengzhou-month --time-limit 30
    python -m scheduler.cli.reasons_check zhengzhou-month --seed 7 --time-limit 30

SCENARIO is a scenario folder or workbook, or a sample kind generated with
``--seed``. Prints the titles left out, how many of their reasons name no
resource, the claims checked and failed (:mod:`scheduler.check.reasons`), the
displacements offered and verified, the time to build the reasons again on the
final plan, and a few reasons as examples.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import replace

from scheduler.check.checker import check_plan
from scheduler.check.reasons import check_reasons, claim_count
from scheduler.domain.reasons import Displace
from scheduler.samples.generate import sample_or_scenario
from solver.slate.candidates import enumerate_candidates
from solver.slate.reasons import explain_unscheduled
from solver.slate.solve import solve
from solver.status import SolveStatus

EXAMPLES = 5


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.cli.reasons_check", description=__doc__
    )
    parser.add_argument("scenario", help="scenario folder / .xlsx, or a sample kind")
    parser.add_argument("--time-limit", type=float, default=30.0, help="solve seconds")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed of a sample kind")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    scenario = sample_or_scenario(args.scenario, args.seed)
    print(scenario.summary())
    result = solve(scenario, checker=check_plan, time_limit=args.time_limit, workers=args.workers)
    print(f"solve: {result.summary()}")
    plan, reasons = result.plan, result.reasons
    failures = check_reasons(scenario, plan, reasons)
    nameless = [t for t, r in reasons.items() if not r.names_resource()]
    moves = {t: r.displacement for t, r in reasons.items() if r.displacement is not None}
    failed_titles = {f.title_id for f in failures}
    verified = [
        t
        for t, move in moves.items()
        if not any(f.title_id == t and isinstance(f.claim, Displace) for f in failures)
    ]

    # the reasons once more on the final plan, timed apart from the solve
    candidates = enumerate_candidates(scenario)
    started = time.monotonic()
    explain_unscheduled(
        scenario,
        replace(plan, unscheduled={}),
        candidates,
        proven=result.status is SolveStatus.OPTIMAL,
        checker=check_plan,
    )
    build = time.monotonic() - started

    alone = len(plan.unscheduled) - len(reasons)
    print(f"unscheduled titles: {len(plan.unscheduled)}")
    print(f"  with claims (could shoot alone): {len(reasons)}")
    print(f"  impossible alone (candidates' reason kept): {alone}")
    print(f"reasons naming no resource: {len(nameless)} {sorted(nameless)[:10]}")
    print(f"claims checked: {claim_count(reasons)}")
    print(f"claims failed: {len(failures)} (titles {len(failed_titles)})")
    for failure in failures[:10]:
        print(f"  {failure}")
    print(f"displacements offered: {len(moves)}, verified by the fact check: {len(verified)}")
    print(f"reason build time: {build:.2f} s for {len(reasons)} titles")
    print("examples:")
    # one reason per kind of leading blocker first, those with a displacement before them
    by_kind: dict[str, str] = {}
    for title_id in sorted(reasons, key=lambda t: (reasons[t].displacement is None, t)):
        blockers = reasons[title_id].blockers
        kind = type(blockers[0]).__name__ if blockers else "none"
        by_kind.setdefault(kind, title_id)
    shown = [*by_kind.values(), *sorted(set(reasons) - set(by_kind.values()))]
    for title_id in shown[:EXAMPLES]:
        print(f"  {title_id}: {plan.unscheduled[title_id]}")
    return 1 if failures or nameless else 0


if __name__ == "__main__":
    raise SystemExit(main())
