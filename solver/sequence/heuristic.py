"""A good order fast: the first upper bound of the exact search, and its answer when time runs out.

A greedy pass shoots next the scene whose waiting now plus the bound on
waiting afterwards is lowest; moving single scenes to better places then
improves the order until no move helps (or a few passes have been made).
"""

from __future__ import annotations

import time

from solver.sequence.bits import SumTable, UnionTable
from solver.sequence.bound import OnLocationBound
from solver.sequence.reduction import ReducedProblem

MAX_PASSES = 8


class OrderCost:
    """The waiting cost of an order of merged scenes, in one pass over it."""

    def __init__(self, problem: ReducedProblem) -> None:
        self.durations = problem.durations
        self.actors = problem.actors
        self.pay = SumTable(problem.costs)

    def __call__(self, order: list[int]) -> int:
        actors = self.actors
        needed_from = [0] * (len(order) + 1)
        for position in range(len(order) - 1, -1, -1):
            needed_from[position] = needed_from[position + 1] | actors[order[position]]
        arrived = 0
        waiting = 0
        for position, scene in enumerate(order):
            # on location and idle: arrived earlier, needed now or later, not in this scene
            idle = arrived & needed_from[position] & ~actors[scene]
            waiting += self.durations[scene] * self.pay(idle)
            arrived |= actors[scene]
        return waiting


def greedy_order(problem: ReducedProblem, bound: OnLocationBound) -> list[int]:
    """Scenes one at a time, each the one with the lowest waiting now plus bound afterwards."""
    actors = problem.actors
    needs = UnionTable(actors)
    pay = SumTable(problem.costs)
    everything = (1 << problem.scene_count) - 1
    remaining = everything
    order: list[int] = []
    while remaining:
        on_location = needs(remaining) & needs(everything ^ remaining)
        best: tuple[int, int] | None = None
        for scene in range(problem.scene_count):
            if not remaining >> scene & 1:
                continue
            after = remaining ^ (1 << scene)
            estimate = problem.durations[scene] * pay(on_location & ~actors[scene]) + bound(
                after, needs(after) & needs(everything ^ after)
            )
            if best is None or estimate < best[0]:
                best = (estimate, scene)
        assert best is not None
        order.append(best[1])
        remaining ^= 1 << best[1]
    return order


def improve_order(
    order: list[int], cost_of: OrderCost, deadline: float | None
) -> tuple[list[int], int]:
    """Move one scene at a time to a place that lowers the cost, until no move does (or
    ``deadline``, a :func:`time.perf_counter` reading, passes)."""
    best = cost_of(order)
    for _ in range(MAX_PASSES):
        improved = False
        for source in range(len(order)):
            if deadline is not None and time.perf_counter() > deadline:
                return order, best
            scene = order[source]
            rest = order[:source] + order[source + 1 :]
            for target in range(len(order)):
                if target == source:
                    continue
                candidate = [*rest[:target], scene, *rest[target:]]
                cost = cost_of(candidate)
                if cost < best:
                    order, best, improved = candidate, cost, True
                    break
        if not improved:
            break
    return order, best


def good_order(
    problem: ReducedProblem, bound: OnLocationBound, deadline: float | None = None
) -> tuple[list[int], int]:
    """A greedy order of the merged scenes, improved by moving scenes; with its waiting cost."""
    if problem.scene_count == 0:
        return [], 0
    return improve_order(greedy_order(problem, bound), OrderCost(problem), deadline)
