"""Preprocessing: the smaller problem the search works on, and the way back to the scenes.

Two rules of Garcia de la Banda, Stuckey & Chu (2011) shrink the problem
without changing which orders are best:

- an actor who can never wait — in one scene only, or in every scene — costs
  the same in every order, so is left out of the search;
- scenes that need the same actors (after the first rule) are shot together
  in some optimal order, so they become one scene, lasting as long as all of
  them together. Scenes left with no actor at all are shot first: nobody is
  on location yet, so nobody waits.

Actor sets become bit masks (bit ``i`` for the ``i``-th kept actor) so that
the search can take unions and intersections with one operation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from solver.sequence.talent import TalentProblem


@dataclass(frozen=True)
class ReducedProblem:
    """The problem after preprocessing, with what it takes to recover an order of the scenes.

    ``durations[j]`` and ``actors[j]`` (a mask of kept actors) describe merged
    scene ``j``, which stands for the original scenes ``members[j]``; ``costs``
    are the day rates of the kept actors. ``lead`` are the original scenes that
    need no kept actor, shot first. ``working_cost`` is what every order pays
    for the days actors act; the search adds only waiting.
    """

    durations: tuple[int, ...]
    costs: tuple[int, ...]
    actors: tuple[int, ...]
    members: tuple[tuple[int, ...], ...]
    lead: tuple[int, ...]
    working_cost: int

    @property
    def scene_count(self) -> int:
        return len(self.durations)

    def scenes_in_order(self, order: Sequence[int]) -> tuple[int, ...]:
        """The original scenes for an order of the merged ones: the lead scenes, then each
        merged scene's members in their original order."""
        scenes = list(self.lead)
        for merged in order:
            scenes.extend(self.members[merged])
        return tuple(scenes)


def reduce_problem(problem: TalentProblem) -> ReducedProblem:
    """The problem without actors who never wait, with scenes of the same actors merged."""
    scene_count = problem.scene_count
    appearances = [0] * problem.actor_count
    for needed in problem.scene_actors:
        for actor in needed:
            appearances[actor] += 1
    kept = [
        actor
        for actor, count in enumerate(appearances)
        if 1 < count < scene_count and problem.costs[actor] > 0
    ]
    bit = {actor: 1 << position for position, actor in enumerate(kept)}
    groups: dict[int, list[int]] = {}
    for scene, needed in enumerate(problem.scene_actors):
        mask = sum(bit[a] for a in needed if a in bit)
        groups.setdefault(mask, []).append(scene)
    lead = tuple(groups.pop(0, []))
    masks = list(groups)
    return ReducedProblem(
        durations=tuple(sum(problem.durations[s] for s in groups[mask]) for mask in masks),
        costs=tuple(problem.costs[a] for a in kept),
        actors=tuple(masks),
        members=tuple(tuple(groups[mask]) for mask in masks),
        lead=lead,
        working_cost=problem.working_cost,
    )
