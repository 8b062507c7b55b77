"""Time a sweep on Ray: ``python -m scheduler.cli.sweep_benchmark SWEEP.toml``.

Runs the sweep as ``python -m scheduler sweep`` does (Ray on this machine, or the
cluster ``RAY_ADDRESS`` / ``--address`` names), storing into a fresh SQLite file
unless ``--database`` says otherwise, and prints each run, then:

- runs and the wall seconds of the whole sweep (Ray's start and storing included);
- the ideal: runs × time limit ÷ slots, where slots = the cluster's CPUs ÷ the CP-SAT
  workers per run — the wall time if Ray and storing cost nothing — and the ratio
  wall ÷ ideal (issue 16's target: ≤ 1.15 for 24 runs of the sample month);
- the overhead per run: its wall (handed to Ray → result in hand) less its solve
  (target ≤ 2 s), median and max;
- whether every plan was checked: each finished run's plan is loaded back from the
  database with its variant's stored scenario and checked again (rules 1–11) here.

``--json FILE`` writes the figures as JSON. Exit 0 when every run finished and every
plan passed the check again, else 1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scheduler.check.checker import check_plan
from scheduler.cli.sweep import ctrl_c_stops, printing_progress, read_sweep_input
from scheduler.services.sweeps import SweepError, SweepResult, run_sweep
from scheduler.storage import ScenarioStore, get_engine

TARGET_RATIO = 1.15
"""Issue 16: a sweep's wall time at most 1.15 × the ideal."""
TARGET_OVERHEAD_SECONDS = 2.0
"""Issue 16: Ray's overhead per run (start to result, less the solve) at most 2 s."""


def recheck(result: SweepResult, store: ScenarioStore) -> tuple[int, list[str]]:
    """Check every finished run's stored plan against its stored scenario again.

    Returns how many plans were checked and what was wrong (a violation, or a
    finished run without a stored plan).
    """
    checked, problems = 0, []
    for run in result.done:
        if run.plan_id is None:
            problems.append(f"{run.label}: 完成但未存储方案 / done but no plan stored")
            continue
        plan, _kpis, info = store.load_plan(run.plan_id)
        scenario, _version = store.load(info.scenario_id)
        violations = check_plan(scenario, plan)
        checked += 1
        problems.extend(f"{run.label}: {v.format('both')}" for v in violations)
    return checked, problems


def figures(result: SweepResult, checked: int, problems: Sequence[str]) -> dict[str, Any]:
    """The benchmark's figures, as printed and as ``--json`` writes them."""
    overheads = result.overheads
    ratio = result.wall_seconds / result.ideal_seconds
    return {
        "sweep": result.sweep.name,
        "runs": len(result.runs),
        "done": len(result.done),
        "failed": len(result.failed),
        "time_limit": result.sweep.time_limit,
        "workers": result.sweep.workers,
        "slots": result.slots,
        "ray": result.where,
        "wall_seconds": round(result.wall_seconds, 2),
        "startup_seconds": round(result.startup_seconds, 2),
        "ideal_seconds": round(result.ideal_seconds, 2),
        "ratio": round(ratio, 3),
        "overhead_median_seconds": round(statistics.median(overheads), 3) if overheads else None,
        "overhead_max_seconds": round(max(overheads), 3) if overheads else None,
        "solve_median_seconds": round(
            statistics.median(r.solve_seconds for r in result.done if r.solve_seconds), 2
        )
        if result.done
        else None,
        "plans_checked": checked,
        "check_problems": list(problems),
        "every_plan_checked": checked == len(result.runs) and not problems,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.cli.sweep_benchmark",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "sweep", help="sweep file (.toml), e.g. sample_data/sweeps/month-whatifs.toml"
    )
    parser.add_argument(
        "--address", default=None, help="Ray cluster (default: RAY_ADDRESS, else local)"
    )
    parser.add_argument(
        "--database", default=None, help="database URL (default: a fresh temporary SQLite file)"
    )
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="sweep-benchmark-") as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'benchmark.db'}"
        store = ScenarioStore(get_engine(url))
        given = read_sweep_input(Path(args.sweep), store)
        if given is None:
            return 1
        runs = len(given.sweep.variants) * len(given.sweep.seeds)
        stop = threading.Event()
        try:
            with ctrl_c_stops(stop):
                result = run_sweep(
                    given.sweep,
                    given.scenario,
                    store=store,
                    source=given.source,
                    base_scenario_id=given.base_scenario_id,
                    progress=printing_progress(runs),
                    stop=stop,
                    address=args.address,
                )
        except SweepError as error:
            print(error, file=sys.stderr)
            return 1
        checked, problems = recheck(result, store)
        store.engine.dispose()
    found = figures(result, checked, problems)
    ratio_ok = found["ratio"] <= TARGET_RATIO
    overhead = found["overhead_max_seconds"]
    print()
    print(f"sweep: {found['sweep']} · Ray {found['ray']} · slots {found['slots']}")
    print(f"runs: {found['runs']} (done {found['done']}, failed {found['failed']})")
    print(
        f"wall: {found['wall_seconds']:.1f} s (startup {found['startup_seconds']:.1f} s) · "
        f"ideal {found['runs']} × {found['time_limit']:g} s / {found['slots']} = "
        f"{found['ideal_seconds']:.1f} s · ratio {found['ratio']:.3f} "
        f"(target ≤ {TARGET_RATIO}: {'met' if ratio_ok else 'not met'})"
    )
    if overhead is not None:
        print(
            f"overhead per run: median {found['overhead_median_seconds']:.3f} s, "
            f"max {overhead:.3f} s (target ≤ {TARGET_OVERHEAD_SECONDS:g} s: "
            f"{'met' if overhead <= TARGET_OVERHEAD_SECONDS else 'not met'}) · "
            f"solve median {found['solve_median_seconds']:.2f} s"
        )
    print(
        f"every plan checked: {'yes' if found['every_plan_checked'] else 'no'} "
        f"({checked} of {found['runs']} plans re-checked from the database)"
    )
    for problem in problems[:20]:
        print(f"  {problem}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(found, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return 0 if found["every_plan_checked"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
