"""场次排序 Sequencing: the orders of a title's scene days and what the actors cost in each.

A title with scenes shoots its packed days (:meth:`Scenario.scene_days`) in some order, and
each actor is booked from their first to their last day with a scene, hold days included
(rule 10), so the order decides the actors' cost. :func:`title_orders` asks the exact
sequencer (:func:`solver.sequence.sequence`, talent scheduling with the actors' day rates)
for the cheapest order, proven unless the time limit stopped it, and lists the few orders
the slate chooses among when it plans the title (:func:`solver.slate.day_orders.scene_orders`),
each with its cost. The stripboard (:mod:`scheduler.app.stripboard`) shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.domain.model import Scenario
from scheduler.domain.scenes import SceneDay
from solver.sequence import TalentProblem, sequence
from solver.slate.candidates import DEFAULT_MAX_ORDERS
from solver.slate.day_orders import scene_orders

__all__ = ["SEQUENCE_SECONDS", "CostedOrder", "TitleOrders", "title_orders"]

SEQUENCE_SECONDS = 10.0
"""Time limit of one title's search: a short shoot is proven in milliseconds."""


@dataclass(frozen=True)
class CostedOrder:
    """One order of a title's packed scene days and the actors' cost in it.

    ``days`` are indices into :meth:`Scenario.scene_days`; ``scene_ids`` the scenes in
    shooting order (each day's in packed order); ``cost`` the booked actor-days × day rate.
    """

    days: tuple[int, ...]
    scene_ids: tuple[str, ...]
    cost: int


@dataclass(frozen=True)
class TitleOrders:
    """The cheapest order of a title's scene days, whether it is proven, and the slate's orders.

    ``lower_bound`` is a proven lower bound on any order's cost (``cheapest.cost`` when
    ``proven``); ``slate`` holds the orders the slate chooses among, cheapest first, and
    ``more`` says whether other orders (costing no less than the cheapest) exist.
    """

    title_id: str
    cheapest: CostedOrder
    proven: bool
    lower_bound: int
    seconds: float
    slate: tuple[CostedOrder, ...]
    more: bool


def _problem(scenario: Scenario, days: tuple[SceneDay, ...]) -> TalentProblem:
    """The days as talent scheduling: each day one scene of one day, its actors' day rates."""
    actors = sorted({actor for day in days for actor in day.cast})
    index = {actor_id: i for i, actor_id in enumerate(actors)}
    return TalentProblem(
        durations=(1,) * len(days),
        costs=tuple(scenario.actor_by_id[a].day_rate for a in actors),
        scene_actors=tuple(frozenset(index[a] for a in day.cast) for day in days),
    )


def title_orders(
    scenario: Scenario,
    title_id: str,
    *,
    time_limit: float = SEQUENCE_SECONDS,
    max_orders: int = DEFAULT_MAX_ORDERS,
) -> TitleOrders:
    """The cheapest order of ``title_id``'s scene days (proven when the search finished in
    ``time_limit`` seconds) and the ``max_orders`` orders the slate chooses among.

    Raises
    ------
    ValueError
        The title is not in the scenario or has no scenes.
    """
    title = scenario.title_by_id.get(title_id)
    if title is None or not title.scenes:
        raise ValueError(
            f"title {title_id!r} has no scenes to sequence / 剧目 {title_id} 没有场次"
        )
    days = scenario.scene_days(title_id)
    problem = _problem(scenario, days)

    def costed(order: tuple[int, ...]) -> CostedOrder:
        scene_ids = tuple(scene_id for i in order for scene_id in days[i].scene_ids)
        return CostedOrder(order, scene_ids, problem.cost(order))

    found = sequence(problem, time_limit=time_limit)
    day_of = {day.scene_ids: i for i, day in enumerate(days)}
    ranked, more = scene_orders(scenario, title, max_orders)
    slate = sorted(
        (costed(tuple(day_of[scenes] for scenes in order.scenes)) for order in ranked),
        key=lambda order: order.cost,
    )
    return TitleOrders(
        title_id=title_id,
        cheapest=costed(found.order),
        proven=found.proven,
        lower_bound=found.lower_bound,
        seconds=found.seconds,
        slate=tuple(slate),
        more=more,
    )
