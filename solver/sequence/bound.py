"""A lower bound on the waiting still to pay, from the actors already on location.

An actor already on location stays until their last remaining scene, so
their pay from now on is their day rate times the day that scene ends. Share
each remaining scene's days among the on-location actors it needs, in
proportion to their day rates; each actor then becomes one job of a single
machine whose weight is the day rate, and the total weighted finishing time
is lowest when the jobs go in order of days per unit of weight (Smith's
rule). That total, less a correction for the shared scenes and less the pay
for the days these actors act, bounds their waiting from below (Garcia de la
Banda, Stuckey & Chu, INFORMS J. Computing 23(1), 2011, section 4). Actors
not yet on location may wait too, so the bound is never above the truth.
"""

from __future__ import annotations

import math

from solver.sequence.bits import MemberTable
from solver.sequence.reduction import ReducedProblem

# The bound is a sum of fractions computed in floating point; a value that is a
# whole number in exact arithmetic may come out a hair above it, and rounding
# it up would then claim one more than is proven.
ROUNDING_SLACK = 1e-6


class OnLocationBound:
    """Lower bounds on the waiting cost of ordering the remaining scenes, given who is on location.

    Calling it with ``(remaining, on_location)`` — a mask of merged scenes and a
    mask of actors who have acted and still have a remaining scene — returns a
    whole number no larger than the least waiting any order of the remaining
    scenes can cost.
    """

    def __init__(self, problem: ReducedProblem) -> None:
        self.durations = problem.durations
        self.costs = problem.costs
        self.actors = problem.actors
        self.scene_slots = max(problem.scene_count, 1)
        self.scene_chunks = MemberTable(problem.scene_count).chunks
        self.actors_of = MemberTable(len(problem.costs))
        # scene + slots × its actors on location -> (days per unit of pay, correction, actors)
        self.shares: dict[int, tuple[float, float, list[int]]] = {}
        # actors on location -> those actors, by position
        self.present: dict[int, list[int]] = {}

    def _share(self, key: int) -> tuple[float, float, list[int]]:
        """How a scene splits among the on-location actors it needs (both read from ``key``)."""
        present, scene = divmod(key, self.scene_slots)
        actors = self.actors_of(present)
        pay = sum(self.costs[a] for a in actors)
        squares = sum(self.costs[a] ** 2 for a in actors)
        days = self.durations[scene]
        share = (days / pay, days * (pay + squares / pay) / 2, actors)
        self.shares[key] = share
        return share

    def __call__(self, remaining: int, on_location: int) -> int:
        if not on_location:
            return 0
        actors = self.actors
        slots = self.scene_slots
        shares = self.shares
        days_per_pay = [0.0] * len(self.costs)
        correction = 0.0
        for start, table in self.scene_chunks:
            for scene in table[(remaining >> start) & 0xFF]:
                present = actors[scene] & on_location
                if present:
                    key = present * slots + scene
                    share = shares.get(key) or self._share(key)
                    correction += share[1]
                    per_pay = share[0]
                    for actor in share[2]:
                        days_per_pay[actor] += per_pay
        present_actors = self.present.get(on_location)
        if present_actors is None:
            present_actors = self.present[on_location] = self.actors_of(on_location)
        finish = 0.0
        total = 0.0
        costs = self.costs
        for actor in sorted(present_actors, key=days_per_pay.__getitem__):
            finish += days_per_pay[actor] * costs[actor]
            total += costs[actor] * finish
        return max(0, math.ceil(total - correction - ROUNDING_SLACK))
