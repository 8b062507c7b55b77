"""Actors only on their days: ``python -m scheduler.cli.scene_benchmark [SCENARIO] --runs 3``.

SCENARIO (default the zhengzhou-month sample, which has a scene breakdown) is
planned twice per seed with the same time limit:

- **whole title**: every title books its whole cast — leads and supporting
  actors of all its scenes — on every shoot day (the rule before scene
  breakdowns; the scenes are taken away, the needs stay);
- **scene days**: rule 10, each actor booked from their first to their last
  scene day.

Each plan is checked against the scenario it was planned for. Printed per run:
titles scheduled, Σ priority, the bound, actor-days booked, actor hold days and
what holding them costs, the plan's cost; then the medians and the gain of
scene days over whole title. Last, the sequencer's time: the day orders the
slate chooses among (:func:`solver.slate.day_orders.scene_orders`) and the
exact cheapest order of every title's days (:func:`solver.sequence.sequence`),
for every title with scenes, in all.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from scheduler.check.bookings import actor_bookings
from scheduler.check.checker import check_plan
from scheduler.check.kpis import compute_kpis
from scheduler.domain.model import Scenario
from scheduler.samples.generate import sample_or_scenario
from solver.sequence import TalentProblem, sequence
from solver.slate.day_orders import scene_orders
from solver.slate.solve import solve


@dataclass(frozen=True)
class Run:
    """One plan of one booking rule."""

    booking: str
    seed: int
    titles: int
    priority: int
    bound: int | None
    actor_days: int
    hold_days: int
    hold_cost: int
    cost: int
    violations: int
    seconds: float


def whole_title(scenario: Scenario) -> Scenario:
    """``scenario`` with every title booking its whole cast on every shoot day."""
    titles = tuple(replace(t, cast=t.actors, scenes=()) for t in scenario.titles)
    return replace(scenario, titles=titles)


def plan_once(scenario: Scenario, booking: str, seed: int, time_limit: float) -> Run:
    """Solve, check and measure one plan."""
    started = time.monotonic()
    result = solve(scenario, checker=check_plan, time_limit=time_limit, seed=seed)
    seconds = time.monotonic() - started
    bookings = actor_bookings(scenario, result.plan)
    rate = {a.actor_id: a.day_rate for a in scenario.actors}
    kpis = compute_kpis(
        scenario,
        result.plan,
        status=result.status.value,
        priority_bound=result.priority_bound,
        solve_seconds=seconds,
    )
    return Run(
        booking,
        seed,
        len(result.plan.scheduled_title_ids),
        result.priority_scheduled,
        result.priority_bound,
        sum(len(b.dates) for b in bookings),
        sum(len(b.held) for b in bookings),
        sum(len(b.held) * rate[b.actor_id] for b in bookings),
        int(kpis["cost"]),
        len(check_plan(scenario, result.plan)),
        seconds,
    )


@dataclass(frozen=True)
class Sequencing:
    """What sequencing every title with scenes took."""

    titles: int
    orders_seconds: float
    """The slate's day orders of every title, in all."""
    exact_seconds: float
    """The exact cheapest order of every title's days, in all."""
    slowest_title: float
    """The slowest title: its day orders and its exact order."""
    proven: int


def sequencing_seconds(scenario: Scenario, max_orders: int = 6) -> Sequencing:
    """Time the day orders the slate chooses among and the exact cheapest order, per title."""
    titles = [t for t in scenario.titles if t.scenes]
    per_title: list[float] = []
    for title in titles:
        started = time.perf_counter()
        scene_orders(scenario, title, max_orders)
        per_title.append(time.perf_counter() - started)
    orders_seconds = sum(per_title)
    proven = 0
    exact_seconds = 0.0
    for number, title in enumerate(titles):
        started = time.perf_counter()
        days = scenario.scene_days(title.title_id)
        actors = sorted({a for day in days for a in day.cast})
        index = {a: i for i, a in enumerate(actors)}
        problem = TalentProblem(
            durations=(1,) * len(days),
            costs=tuple(scenario.actor_by_id[a].day_rate for a in actors),
            scene_actors=tuple(frozenset(index[a] for a in day.cast) for day in days),
        )
        proven += sequence(problem).proven
        took = time.perf_counter() - started
        exact_seconds += took
        per_title[number] += took
    return Sequencing(
        len(titles), orders_seconds, exact_seconds, max(per_title, default=0), proven
    )


def _row(run: Run) -> str:
    bound = "–" if run.bound is None else str(run.bound)
    checked = "passes" if run.violations == 0 else f"{run.violations} violations"
    return (
        f"| {run.booking} | {run.seed} | {run.titles} | {run.priority} | {bound} | "
        f"{run.actor_days:,} | {run.hold_days:,} | {run.hold_cost:,} | {run.cost:,} | "
        f"{run.seconds:.1f} | {checked} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.cli.scene_benchmark", description=__doc__
    )
    parser.add_argument("scenario", nargs="?", default="zhengzhou-month")
    parser.add_argument("--seed", type=int, default=2026, help="generator seed of a sample")
    parser.add_argument("--runs", type=int, default=1, help="solver seeds 0 … runs-1")
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args(argv)
    scenario = sample_or_scenario(args.scenario, args.seed)
    with_scenes = sum(1 for t in scenario.titles if t.scenes)
    print(f"{scenario.summary()}; {with_scenes} titles with scenes")
    print(
        "\n| booking | seed | titles | Σ priority | bound | actor-days | hold days | "
        "hold cost (CNY) | cost (CNY) | seconds | checker |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    runs: list[Run] = []
    for seed in range(args.runs):
        for booking, planned in (("whole title", whole_title(scenario)), ("scene days", scenario)):
            run = plan_once(planned, booking, seed, args.time_limit)
            runs.append(run)
            print(_row(run), flush=True)
    medians = {}
    for booking in ("whole title", "scene days"):
        mine = [r for r in runs if r.booking == booking]
        medians[booking] = (
            statistics.median(r.titles for r in mine),
            statistics.median(r.priority for r in mine),
            statistics.median(r.cost for r in mine),
        )
        titles, priority, cost = medians[booking]
        print(f"\nmedian, {booking}: {titles:g} titles, Σ priority {priority:g}, cost {cost:,.0f}")
    gain = medians["scene days"][1] - medians["whole title"][1]
    ratio = medians["scene days"][1] / medians["whole title"][1]
    print(f"gain of scene days: Σ priority {gain:+g} ({ratio:.3f} ×)")
    seq = sequencing_seconds(scenario)
    print(
        f"sequencing {seq.titles} titles: day orders for the slate {seq.orders_seconds:.2f} s "
        f"in all; exact cheapest order of every title's days {seq.exact_seconds:.2f} s in all, "
        f"{seq.proven} proven; slowest title {seq.slowest_title * 1000:.1f} ms"
    )
    return 0 if all(r.violations == 0 for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
