"""``best_orders``: the few cheapest orders of a short shoot, for the slate to choose among.

A dynamic programme over the set of remaining scenes keeps, for each set,
the ``k`` cheapest ways to shoot it (each way its first scene and which of
the next set's ways follows); every order is one path through the sets, so
the ``k`` cheapest paths from all scenes to none are the ``k`` cheapest
orders. There is no merging and no pruning here: every order stays in the
running, which limits it to a dozen scenes (4,096 sets).

An order and its reverse cost the same, so the answer lists mirror pairs.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator

from solver.sequence.bits import SumTable, UnionTable
from solver.sequence.talent import TalentProblem

MAX_SCENES = 12

# waiting cost, first scene, index into the following set's list of ways
Way = tuple[int, int, int]


def best_orders(problem: TalentProblem, k: int) -> tuple[tuple[tuple[int, ...], int], ...]:
    """The ``k`` cheapest distinct orders with their total costs, cheapest first; ties in
    the order of the scene numbers, so the answer is the start of all orders sorted by
    (cost, order). Fewer when there are fewer orders.

    Raises
    ------
    ValueError
        More than 12 scenes, or ``k`` negative.
    """
    scene_count = problem.scene_count
    if scene_count > MAX_SCENES:
        raise ValueError(
            f"best_orders takes at most {MAX_SCENES} scenes; this problem has {scene_count}"
        )
    if k < 0:
        raise ValueError(f"k is {k}; expected 0 or more")
    if k == 0:
        return ()
    actors = [sum(1 << a for a in needed) for needed in problem.scene_actors]
    needs = UnionTable(actors)
    pay = SumTable(problem.costs)
    everything = (1 << scene_count) - 1
    ways: list[list[Way]] = [[(0, -1, 0)]] + [[] for _ in range(everything)]
    for remaining in range(1, everything + 1):  # a set's subsets come before it
        on_location = needs(remaining) & needs(everything ^ remaining)
        streams = [
            _ways_starting_with(
                scene,
                problem.durations[scene] * pay(on_location & ~actors[scene]),
                ways[remaining ^ (1 << scene)],
            )
            for scene in range(scene_count)
            if remaining >> scene & 1
        ]
        ways[remaining] = list(itertools.islice(heapq.merge(*streams), k))
    working = problem.working_cost
    return tuple(
        (_order(ways, everything, index), working + waiting)
        for index, (waiting, _, _) in enumerate(ways[everything])
    )


def _ways_starting_with(scene: int, step: int, following: list[Way]) -> Iterator[Way]:
    """The ways that shoot ``scene`` first, cheapest first: its waiting plus each way after."""
    for index, (waiting, _, _) in enumerate(following):
        yield step + waiting, scene, index


def _order(ways: list[list[Way]], everything: int, index: int) -> tuple[int, ...]:
    """The scenes of way ``index`` of the full set, followed from set to set."""
    order = []
    remaining = everything
    while remaining:
        _, scene, index = ways[remaining][index]
        order.append(scene)
        remaining ^= 1 << scene
    return tuple(order)
