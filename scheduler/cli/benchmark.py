"""Measure the CP-SAT slate model against the greedy baseline on one scenario.

Usage::

    python -m scheduler.cli.benchmark zhengzhou-month --time-limit 60 --workers 2
    python -m scheduler.cli.benchmark /tmp/zhengzhou-full --time-limit 60
    python -m scheduler.cli.benchmark cluster-x10 --time-limit 300
    python -m scheduler.cli.benchmark zhengzhou-full --time-limit 60 --runs 3

SCENARIO is a sample kind (generated with ``--seed``) or a scenario folder or
workbook. Prints model size, build time, priority scheduled against greedy's,
the proven bound and gap, wall time and peak memory — the figures the issue
asks for, as a Markdown table: priority, ratio to greedy, bound, gap, cost, wall
time, peak memory (``ru_maxrss``, the whole process) and parallel shoots per day
(min / mean); ``--runs 3`` solves with three seeds and adds the median run.
``--build-only`` stops after building the exact model.

The benchmark family (issue 14)::

    python -m scheduler.cli.benchmark --family short-titles,long-titles --seeds 1 2 --time-limit 60
    python -m scheduler.cli.benchmark --family all --seeds 1 2 3 --time-limit 60 --json rows.json

``--family KIND[,KIND…]`` (kinds of :mod:`scheduler.samples.family`, or ``all``)
generates each (kind, seed) instance on the fly, writes it to a temporary
folder and plans it there; one row per instance: greedy, the solver at the
limit, its bound and gap, wall time and peak memory, and for core-rules
kinds the pooled baseline (``../shared/baselines/pooled_cpsat.py``) at the
same limit; then the median ratios per kind. The issue asks for ``python -m
solver.benchmark``, but the import layers forbid the solver importing the
generator, so the family runs from here. The solver and the baseline run
*one after the other*, each as its own process with both cores to itself (2
workers each): concurrently with one worker each would measure a solver
that nobody runs. Peak memory is that process's ``ru_maxrss`` (the solver's
child also loads the scenario and runs greedy). Every plan, the solver's and
the baseline's, goes through the project's checker; a plan that fails is
flagged in the row. ``--size small`` shrinks each kind to 2 bases and 4
crews (for tests).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from scheduler.check.checker import check_plan
from scheduler.domain.model import Scenario
from scheduler.io.plan_io import read_plan
from scheduler.io.tables import write_scenario
from scheduler.io.validation import load_scenario
from scheduler.samples.family import BASE_KINDS, FAMILY_KINDS, SIZES, generate_family, is_core
from scheduler.samples.generate import sample_or_scenario
from solver.result import SolveResult
from solver.slate.candidates import DEFAULT_MAX_ORDERS, enumerate_candidates
from solver.slate.solve import solve

BASELINE = Path(__file__).resolve().parents[3] / "shared" / "baselines" / "pooled_cpsat.py"


def _peak_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _priority(scenario: Scenario, title_ids: frozenset[str]) -> int:
    return sum(scenario.title_by_id[t].priority for t in title_ids)


def _parallel_shoots(scenario: Scenario, result: SolveResult) -> list[int]:
    """Titles shooting on each day of the horizon."""
    per_day = [0] * scenario.days
    for shoot in result.plan.shoots:
        day = scenario.day_index(shoot.date)
        if 0 <= day < scenario.days:
            per_day[day] += 1
    return per_day


def _row(
    scenario: Scenario, result: SolveResult, greedy_priority: int | None, wall: float
) -> dict[str, str]:
    """The issue's figures of one run, formatted."""
    ratio = "–" if not greedy_priority else f"{result.priority_scheduled / greedy_priority:.3f}"
    gap = "–" if result.gap is None else f"{result.gap:.1%}"
    parallel = _parallel_shoots(scenario, result)
    return {
        "status": result.status.value,
        "priority": str(result.priority_scheduled),
        "greedy": str(greedy_priority or "–"),
        "ratio": ratio,
        "bound": str(result.priority_bound if result.priority_bound is not None else "–"),
        "gap": gap,
        "cost CNY": f"{result.cost:,}" if result.cost is not None else "–",
        "wall s": f"{wall:.1f}",
        "peak MB": f"{_peak_mb():.0f}",
        "parallel min": str(min(parallel, default=0)),
        "parallel mean": f"{sum(parallel) / max(1, len(parallel)):.1f}",
    }


def _print_table(rows: list[dict[str, str]], with_median: bool) -> None:
    """A Markdown table, one row per run, and the run of median priority."""
    if with_median:
        ordered = sorted(rows, key=lambda r: int(r["priority"]))
        rows = [*rows, {**ordered[len(ordered) // 2], "status": "median"}]
    header = list(rows[0])
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(" --- " for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row[h] for h in header) + " |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scheduler.cli.benchmark", description=__doc__)
    parser.add_argument("scenario", nargs="?", help="sample kind or scenario folder / .xlsx")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--solver-seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=1, help="solves with seeds solver-seed, +1, …")
    parser.add_argument("--max-orders", type=int, default=DEFAULT_MAX_ORDERS)
    parser.add_argument("--build-only", action="store_true", help="build the model, do not solve")
    parser.add_argument("--log", action="store_true", help="print the solve log")
    family_args(parser)
    args = parser.parse_args(argv)
    if args.family:
        return run_family(args)
    if args.scenario is None:
        parser.error("give a SCENARIO or --family KIND[,KIND…]")

    scenario = sample_or_scenario(args.scenario, args.seed)
    print(scenario.summary())
    print(f"peak memory after loading: {_peak_mb():.0f} MB")

    if args.build_only:
        from solver.slate.cpsat.model import SlateModel

        started = time.monotonic()
        candidates = enumerate_candidates(scenario, args.max_orders)
        enumerated = time.monotonic() - started
        print(f"candidates in {enumerated:.1f}s: {candidates.summary()}")
        slate = SlateModel(scenario, candidates)
        variables, constraints = slate.size
        print(
            f"model built in {time.monotonic() - started:.1f}s: {variables} variables, "
            f"{constraints} constraints; {slate.variables.counts}"
        )
        print(f"peak memory: {_peak_mb():.0f} MB")
        return 0

    greedy_priority = None
    try:
        from solver.slate.greedy import greedy_plan
    except ImportError:
        pass
    else:
        started = time.monotonic()
        greedy = greedy_plan(scenario)
        greedy_priority = _priority(scenario, greedy.scheduled_title_ids)
        print(
            f"greedy: priority {greedy_priority}, {len(greedy.scheduled_title_ids)} titles, "
            f"{time.monotonic() - started:.1f}s"
        )

    rows: list[dict[str, str]] = []
    walls: list[float] = []
    for run in range(args.runs):
        started = time.monotonic()
        result = solve(
            scenario,
            checker=check_plan,
            time_limit=args.time_limit,
            seed=args.solver_seed + run,
            workers=args.workers,
            max_orders=args.max_orders,
        )
        wall = time.monotonic() - started
        walls.append(wall)
        if args.log:
            print("\n".join(result.log))
        size = result.model_size
        if size.variables:
            print(
                f"model: {size.variables} variables, {size.constraints} constraints, "
                f"{size.placements} placements, {size.crew_options} crew options, "
                f"built in {size.build_seconds:.1f}s"
            )
        print(f"cp-sat (seed {args.solver_seed + run}): {result.summary()}")
        for problem in result.problems[:10]:
            print(f"problem: {problem}")
        rows.append(_row(scenario, result, greedy_priority, wall))
    print(f"all titles' priority: {sum(t.priority for t in scenario.titles)}")
    _print_table(rows, args.runs > 1)
    return 0


@dataclass
class FamilyRow:
    """One family instance: the solver's figures and, for a core-rules kind, the baseline's.

    ``*_violations`` count the checker's findings on that plan (``None``: no
    plan to check); ``baseline_note`` says why there is no baseline figure.
    """

    kind: str
    seed: int
    titles: int
    greedy: int
    solver: int
    solver_titles: int
    status: str
    bound: int | None
    gap: float | None
    solver_seconds: float
    solver_peak_mb: float
    solver_violations: int
    proven_seconds: float | None = None
    """When the solver proved its priority optimal (``priority_proven_seconds``), or ``None``."""
    baseline: int | None = None
    baseline_titles: int | None = None
    baseline_status: str = ""
    baseline_bound: float | None = None
    baseline_seconds: float | None = None
    baseline_peak_mb: float | None = None
    baseline_violations: int | None = None
    baseline_note: str = ""
    load_before: float = 0.0
    """The machine's 1-minute load average when the instance started: others' work skews it."""

    @property
    def vs_greedy(self) -> float | None:
        return self.solver / self.greedy if self.greedy else None

    @property
    def vs_baseline(self) -> float | None:
        return self.solver / self.baseline if self.baseline else None

    def line(self) -> str:
        """A progress line for the log of a long run."""
        baseline = "" if self.baseline is None else f", baseline {self.baseline}"
        return (
            f"greedy {self.greedy}, solver {self.solver} ({self.status}, bound {self.bound}, "
            f"{self.solver_seconds:.1f} s, {self.solver_peak_mb:.0f} MB){baseline}"
            f"{', ' + self.baseline_note if self.baseline_note else ''}; load {self.load_before}"
        )


def _solve_child(
    folder: str, time_limit: float, seed: int, workers: int, max_orders: int
) -> dict[str, object]:
    """Greedy and the solver on the scenario in ``folder``, in a fresh process (its own peak)."""
    from solver.slate.greedy import greedy_plan

    scenario = load_scenario(Path(folder))
    greedy = greedy_plan(scenario)
    started = time.monotonic()
    result = solve(
        scenario,
        checker=check_plan,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        max_orders=max_orders,
    )
    wall = time.monotonic() - started
    violations = check_plan(scenario, result.plan)
    return {
        "titles": len(scenario.titles),
        "greedy": _priority(scenario, greedy.scheduled_title_ids),
        "solver": result.priority_scheduled,
        "solver_titles": len(result.plan.scheduled_title_ids),
        "status": result.status.value,
        "bound": result.priority_bound,
        "gap": result.gap,
        "solver_seconds": round(wall, 1),
        "solver_peak_mb": round(_peak_mb()),
        "solver_violations": len(violations) + len(result.problems),
        "proven_seconds": result.priority_proven_seconds,
    }


def _run_baseline(
    scenario: Scenario, folder: Path, baseline: Path, time_limit: float
) -> dict[str, object]:
    """The pooled baseline as its own process on ``folder``; its plan through the checker."""
    out = folder.parent / f"{folder.name}-baseline"
    with (folder.parent / f"{folder.name}-baseline.log").open("w") as log:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, str(baseline), str(folder), str(out), "--time", str(time_limit)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
    if process.returncode != 0:
        said = (folder.parent / f"{folder.name}-baseline.log").read_text().strip().splitlines()
        return {"baseline_note": f"baseline exit {process.returncode}: {said[-1:] or ''}"}
    plan, kpis = read_plan(out)
    violations = check_plan(scenario, plan)
    bound = (kpis or {}).get("priority_bound")
    return {
        "baseline": _priority(scenario, plan.scheduled_title_ids),
        "baseline_titles": len(plan.scheduled_title_ids),
        "baseline_status": str((kpis or {}).get("status", "")),
        "baseline_bound": float(bound) if isinstance(bound, int | float) else None,
        "baseline_seconds": round(wall, 1),
        "baseline_peak_mb": round(usage.ru_maxrss / 1024),
        "baseline_violations": len(violations),
        "baseline_note": f"baseline plan fails the checker: {violations[0]}" if violations else "",
    }


def _child_main(connection: Connection, job: Callable[..., object], *job_args: object) -> None:
    connection.send(job(*job_args))
    connection.close()


def _in_child(job: Callable[..., dict[str, object]], *job_args: object) -> dict[str, object]:
    """``job(*job_args)`` in a fresh spawned process (not a pool's: the solver starts its own)."""
    spawn = multiprocessing.get_context("spawn")
    receiving, sending = spawn.Pipe(duplex=False)
    child = spawn.Process(target=_child_main, args=(sending, job, *job_args))
    child.start()
    sending.close()
    try:
        figures = receiving.recv()
    except EOFError:
        child.join()
        raise RuntimeError(f"the solve process died (exit {child.exitcode})") from None
    child.join()
    return figures


def run_instance(kind: str, seed: int, args: argparse.Namespace, folder: Path) -> FamilyRow:
    """Generate (kind, seed), write it, solve it in a child process, then the baseline.

    One after the other, never side by side: each gets both cores.
    """
    load_before = round(os.getloadavg()[0], 2)
    write_scenario(generate_family(kind, seed, args.size), folder)
    scenario = load_scenario(folder)  # what both solvers read: the files round trip
    figures = _in_child(
        _solve_child, str(folder), args.time_limit, args.solver_seed, args.workers, args.max_orders
    )
    row = FamilyRow(kind=kind, seed=seed, load_before=load_before, **figures)  # type: ignore[arg-type]
    if args.no_baseline:
        row.baseline_note = "baseline not run (--no-baseline)"
    elif not is_core(kind):
        row.baseline_note = "full rules: the baseline refuses them"
    elif not args.baseline.exists():
        row.baseline_note = f"no baseline at {args.baseline}"
    else:
        for key, value in _run_baseline(scenario, folder, args.baseline, args.time_limit).items():
            setattr(row, key, value)
    return row


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def family_table(rows: Sequence[FamilyRow]) -> str:
    """One Markdown row per instance."""
    header = [
        "kind", "seed", "titles", "greedy", "solver", "× greedy", "baseline", "× baseline",
        "bound", "gap", "proven at s", "solver s", "solver MB", "baseline s", "baseline MB",
        "checker",
    ]  # fmt: skip
    body = []
    for r in rows:
        faults = []
        if r.solver_violations:
            faults.append(f"solver plan: {r.solver_violations} faults")
        if r.baseline_violations:
            faults.append(f"baseline plan: {r.baseline_violations} faults")
        checked = "; ".join(faults) or ("both pass" if r.baseline_violations == 0 else "passes")
        body.append(
            [
                r.kind, str(r.seed), str(r.titles), str(r.greedy), str(r.solver),
                _ratio(r.vs_greedy), "–" if r.baseline is None else str(r.baseline),
                _ratio(r.vs_baseline), "–" if r.bound is None else str(r.bound),
                "–" if r.gap is None else f"{r.gap:.1%}",
                "–" if r.proven_seconds is None else f"{r.proven_seconds:.1f}",
                f"{r.solver_seconds:.1f}",
                f"{r.solver_peak_mb:.0f}",
                "–" if r.baseline_seconds is None else f"{r.baseline_seconds:.1f}",
                "–" if r.baseline_peak_mb is None else f"{r.baseline_peak_mb:.0f}", checked,
            ]
        )  # fmt: skip
    return _markdown(header, body)


def _median(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def median_table(rows: Sequence[FamilyRow]) -> str:
    """Per kind: the median and the lowest ratios, the median gap, wall time and the peak."""
    header = [
        "kind", "instances", "median × greedy", "min × greedy", "median × baseline",
        "min × baseline", "median gap", "median solver s", "max solver MB",
    ]  # fmt: skip
    body = []
    for kind in dict.fromkeys(r.kind for r in rows):
        mine = [r for r in rows if r.kind == kind]
        greedy = [r.vs_greedy for r in mine if r.vs_greedy is not None]
        baseline = [r.vs_baseline for r in mine if r.vs_baseline is not None]
        gap = _median([r.gap for r in mine])
        body.append(
            [
                kind, str(len(mine)), _ratio(_median(greedy)), _ratio(min(greedy, default=None)),
                _ratio(_median(baseline)), _ratio(min(baseline, default=None)),
                "–" if gap is None else f"{gap:.1%}",
                f"{statistics.median(r.solver_seconds for r in mine):.1f}",
                f"{max(r.solver_peak_mb for r in mine):.0f}",
            ]
        )  # fmt: skip
    return _markdown(header, body)


def family_args(parser: argparse.ArgumentParser) -> None:
    """The options of a family run."""
    group = parser.add_argument_group("benchmark family (issue 14)")
    group.add_argument("--family", help="KIND[,KIND…] of scheduler.samples.family, or 'all'")
    group.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3], help="instances")
    group.add_argument("--size", choices=SIZES, default="month", help="'small' for tests")
    group.add_argument("--baseline", type=Path, default=BASELINE, help="pooled_cpsat.py")
    group.add_argument("--no-baseline", action="store_true", help="the solver only")
    group.add_argument("--json", type=Path, help="keep the raw rows in this file")


def run_family(args: argparse.Namespace) -> int:
    """Plan every (kind, seed) of the family; print the rows and the medians per kind."""
    kinds = list(BASE_KINDS) if args.family == "all" else args.family.split(",")
    for kind in kinds:
        if kind not in FAMILY_KINDS:
            raise SystemExit(
                f"unknown family kind {kind!r}; expected one of {', '.join(FAMILY_KINDS)}"
            )
    rows: list[FamilyRow] = []
    with tempfile.TemporaryDirectory(prefix="family-") as work:
        for kind in kinds:
            for seed in args.seeds:
                folder = Path(work) / f"{kind}-{seed}"
                row = run_instance(kind, seed, args, folder)
                rows.append(row)
                print(f"{kind} seed {seed}: {row.line()}", flush=True)
                if args.json:  # kept after every instance: a long run that stops keeps its rows
                    args.json.write_text(
                        json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1)
                    )
    print()
    print(family_table(rows))
    print()
    print(median_table(rows))
    failed = [r for r in rows if r.solver_violations or r.baseline_violations]
    return 1 if any(r.solver_violations for r in failed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
