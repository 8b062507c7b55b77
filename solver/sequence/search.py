"""The exact search: a dynamic programme over the set of scenes still to shoot, best first.

The state is the set ``Q`` of remaining (merged) scenes. Who is on location
follows from it: ``o(Q)``, the actors who have acted and still have a scene
in ``Q``. Shooting scene ``s`` next costs ``d(s) · c(o(Q) minus a(s))`` in
waiting, whatever order the finished scenes were shot in; so the least cost
of the remaining scenes depends on ``Q`` alone (Garcia de la Banda, Stuckey
& Chu, INFORMS J. Computing 23(1), 2011).

States are taken best first (A*): the lowest cost so far plus
:class:`~solver.sequence.bound.OnLocationBound` for the rest. The first
time the empty set comes first, its cost is the least possible; states
whose estimate reaches the upper bound (a good order found beforehand) are
never opened, and if none is left the upper bound was optimal. The two
dominance rules of :class:`Dominance` prune moves that some optimal order
does without.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass

from solver.sequence.bits import MemberTable, SumTable, UnionTable
from solver.sequence.bound import OnLocationBound
from solver.sequence.reduction import ReducedProblem

# How many states to open between looks at the clock.
CLOCK_EVERY = 64


@dataclass(frozen=True)
class SearchOutcome:
    """What the search found, in merged scenes and waiting cost.

    ``order`` is an order cheaper than the upper bound, or ``None`` when none
    was found. ``finished`` says the search ran to its end, so ``order`` (or,
    without one, the upper bound's order) is optimal. ``lower_bound`` bounds
    the waiting of every order from below; ``opened`` counts the states
    expanded.
    """

    order: tuple[int, ...] | None
    waiting: int | None
    finished: bool
    lower_bound: int
    opened: int


class Dominance:
    """The two rules that let the search skip moves some optimal order never makes.

    Both are dominance rules of the dynamic-programming literature on talent
    scheduling (Garcia de la Banda, Stuckey & Chu 2011; the DIDP model of
    Kuroiwa & Beck uses the same two); ``tests/test_sequencer.py`` checks the
    search with them against every order of random small instances.
    """

    def __init__(self, problem: ReducedProblem) -> None:
        actors = problem.actors
        self.actors = actors
        self.scene_with_actors = {mask: scene for scene, mask in enumerate(actors)}
        # scene -> mask of the scenes whose actors strictly include its actors
        self.wider = tuple(
            sum(
                1 << other
                for other, wide in enumerate(actors)
                if other != scene and mask & ~wide == 0
            )
            for scene, mask in enumerate(actors)
        )

    def forced(self, remaining: int, on_location: int) -> int | None:
        """A remaining scene that needs exactly the actors on location is shot next.

        It makes nobody wait, and shooting it earlier only lets some of its
        actors leave sooner.
        """
        scene = self.scene_with_actors.get(on_location)
        if scene is not None and remaining >> scene & 1:
            return scene
        return None

    def put_off(self, scene: int, remaining: int, on_location: int) -> bool:
        """Scene ``s`` is not shot next while a remaining scene ``t`` needs all its actors
        and otherwise only actors already on location: ``t`` goes before ``s``."""
        wider = self.wider[scene] & remaining
        if not wider:
            return False
        allowed = self.actors[scene] | on_location
        actors = self.actors
        other = 0
        while wider:
            if wider & 1 and actors[other] & ~allowed == 0:
                return True
            wider >>= 1
            other += 1
        return False


def least_waiting(
    problem: ReducedProblem,
    bound: OnLocationBound,
    upper_bound: int,
    deadline: float | None,
) -> SearchOutcome:
    """The order of the merged scenes with the least waiting, if it is below ``upper_bound``.

    Stops at ``deadline`` (a :func:`time.perf_counter` reading) if given.
    """
    scene_count = problem.scene_count
    durations = problem.durations
    actors = problem.actors
    needs = UnionTable(actors)
    pay = SumTable(problem.costs)
    scenes_of = MemberTable(scene_count)
    rules = Dominance(problem)
    everything = (1 << scene_count) - 1

    cost_so_far = {everything: 0}
    came_from: dict[int, int] = {}
    bounds: dict[int, int] = {}  # remaining -> bound on the waiting still to come
    done: set[int] = set()
    # (lowest possible total, scenes left, remaining, cost so far): fewer scenes left first on ties
    frontier = [(0, scene_count, everything, 0)]
    opened = 0
    while frontier:
        if deadline is not None and opened % CLOCK_EVERY == 0 and time.perf_counter() > deadline:
            return SearchOutcome(None, None, False, min(frontier[0][0], upper_bound), opened)
        estimate, left, remaining, so_far = heapq.heappop(frontier)
        if so_far != cost_so_far[remaining] or remaining in done:
            continue  # reached more cheaply since, or already opened at this cost
        if not remaining:
            return SearchOutcome(_path(came_from, everything), so_far, True, so_far, opened)
        done.add(remaining)
        opened += 1
        arrived = needs(everything ^ remaining)
        on_location = needs(remaining) & arrived
        forced = rules.forced(remaining, on_location)
        moves = (
            [forced]
            if forced is not None
            else [
                scene
                for scene in scenes_of(remaining)
                if not rules.put_off(scene, remaining, on_location)
            ]
        )
        for scene in moves:
            after = remaining ^ (1 << scene)
            cost = so_far + durations[scene] * pay(on_location & ~actors[scene])
            if cost >= cost_so_far.get(after, upper_bound):
                continue
            still = bounds.get(after)
            if still is None:
                still = bound(after, needs(after) & (arrived | actors[scene]))
                bounds[after] = still
            # never below the parent's estimate: that bounds every order through it
            lowest = max(estimate, cost + still)
            if lowest >= upper_bound:
                continue
            cost_so_far[after] = cost
            came_from[after] = remaining
            done.discard(after)
            heapq.heappush(frontier, (lowest, left - 1, after, cost))
    return SearchOutcome(None, None, True, upper_bound, opened)


def _path(came_from: dict[int, int], everything: int) -> tuple[int, ...]:
    """The scenes in shooting order along the recorded best way from all scenes to none."""
    order: list[int] = []
    remaining = 0
    while remaining != everything:
        before = came_from[remaining]
        order.append((before ^ remaining).bit_length() - 1)
        remaining = before
    return tuple(reversed(order))
