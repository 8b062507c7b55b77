"""The talent scheduling problem (CSPLib prob039): its data, its cost and the answer's shape.

Scene ``j`` takes ``durations[j]`` days and needs the actors ``scene_actors[j]``;
actor ``i`` is paid ``costs[i]`` a day from the first day of their first scene
to the last day of their last one, waiting days included. An order of the
scenes fixes every actor's first and last day, hence the total cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class TalentProblem:
    """Scenes to shoot one after another, and the actors each one needs.

    ``durations[j]`` is the days scene ``j`` takes, ``costs[i]`` what actor
    ``i`` is paid a day, ``scene_actors[j]`` the actors (indices into
    ``costs``) scene ``j`` needs; ``names``, when given, names each scene.

    Raises
    ------
    ValueError
        The lengths disagree, a duration or a cost is negative or not a whole
        number, or a scene names an actor that does not exist.
    """

    durations: tuple[int, ...]
    costs: tuple[int, ...]
    scene_actors: tuple[frozenset[int], ...]
    names: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        scenes = len(self.durations)
        if len(self.scene_actors) != scenes:
            raise ValueError(
                f"scene_actors has {len(self.scene_actors)} scenes; expected {scenes}, "
                "one per duration"
            )
        if self.names is not None and len(self.names) != scenes:
            raise ValueError(f"names has {len(self.names)} entries; expected {scenes}")
        for what, values in (("durations", self.durations), ("costs", self.costs)):
            for index, value in enumerate(values):
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"{what}[{index}] is {value!r}; expected a whole number ≥ 0")
        actors = len(self.costs)
        for scene, needed in enumerate(self.scene_actors):
            wrong = sorted(a for a in needed if not (isinstance(a, int) and 0 <= a < actors))
            if wrong:
                raise ValueError(
                    f"scene_actors[{scene}] names actor(s) {wrong}; expected 0 to {actors - 1}"
                )

    @property
    def scene_count(self) -> int:
        return len(self.durations)

    @property
    def actor_count(self) -> int:
        return len(self.costs)

    @property
    def working_cost(self) -> int:
        """Pay for the days the actors act: the part of the cost that no order changes."""
        return sum(
            days * sum(self.costs[a] for a in needed)
            for days, needed in zip(self.durations, self.scene_actors, strict=True)
        )

    def cost(self, order: Sequence[int]) -> int:
        """Total pay when the scenes are shot in ``order``: each actor's day rate times the days
        from the start of their first scene to the end of their last.

        Raises
        ------
        ValueError
            ``order`` is not an order of all the scenes, each once.
        """
        if sorted(order) != list(range(self.scene_count)):
            raise ValueError(
                f"order {list(order)} is not an order of the scenes 0 to {self.scene_count - 1}, "
                "each once"
            )
        first_day: dict[int, int] = {}
        last_day: dict[int, int] = {}
        day = 0
        for scene in order:
            for actor in self.scene_actors[scene]:
                first_day.setdefault(actor, day)
                last_day[actor] = day + self.durations[scene]
            day += self.durations[scene]
        return sum(self.costs[a] * (last_day[a] - first_day[a]) for a in first_day)

    def idle_cost(self, order: Sequence[int]) -> int:
        """What the actors are paid for waiting on location in ``order``: total minus working."""
        return self.cost(order) - self.working_cost


@dataclass(frozen=True)
class SequenceResult:
    """The best order found: its total cost and whether the search proved it the lowest.

    ``order`` holds scene indices as in the problem; ``lower_bound`` is a proven
    lower bound on the total cost of any order (``cost`` itself when
    ``proven``); ``seconds`` is wall-clock time.
    """

    order: tuple[int, ...]
    cost: int
    proven: bool
    seconds: float
    lower_bound: int

    def summary(self) -> str:
        """One line a producer or a benchmark log can read."""
        state = "proven optimal" if self.proven else f"not proven, lower bound {self.lower_bound}"
        return f"cost {self.cost} ({state}), {len(self.order)} scenes, {self.seconds:.2f} s"
