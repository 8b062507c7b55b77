"""``sequence``: the order of the scenes with the lowest total cost, proven when time allows.

The parts, in the order they run:

1. :func:`~solver.sequence.reduction.reduce_problem` leaves out actors who
   never wait and merges scenes that need the same actors;
2. :func:`~solver.sequence.heuristic.good_order` finds a good order, whose
   cost is the upper bound of
3. :func:`~solver.sequence.search.least_waiting`, the exact best-first
   dynamic programme, which either finds a cheaper order, proves there is
   none, or stops at the time limit;
4. the order is turned back into the original scenes and its cost is
   recomputed by :meth:`TalentProblem.cost`, which shares no code with the
   search.
"""

from __future__ import annotations

import time

from solver.sequence.bound import OnLocationBound
from solver.sequence.heuristic import good_order
from solver.sequence.reduction import reduce_problem
from solver.sequence.search import least_waiting
from solver.sequence.talent import SequenceResult, TalentProblem


def sequence(problem: TalentProblem, *, time_limit: float | None = None) -> SequenceResult:
    """The order of the scenes with the lowest total cost; ``proven`` unless the time limit
    (seconds) stopped the search first, in which case the best order found is returned.

    The real films of the literature (up to 28 scenes, 8 actors) take well under a second
    and random 20-scene, 20-actor instances a few seconds, but the work grows exponentially
    with the number of scenes: give a time limit when the shoot is long.

    Raises
    ------
    ValueError
        ``time_limit`` is negative.
    RuntimeError
        The recomputed cost of the order differs from the search's: a bug.
    """
    if time_limit is not None and not time_limit >= 0:
        raise ValueError(f"time_limit is {time_limit}; expected a number of seconds ≥ 0")
    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
    reduced = reduce_problem(problem)
    bound = OnLocationBound(reduced)
    first_order, first_waiting = good_order(reduced, bound, deadline)
    if first_waiting == 0:  # nobody waits: nothing can be cheaper
        found, waiting, proven, lowest = first_order, 0, True, 0
    else:
        outcome = least_waiting(reduced, bound, first_waiting, deadline)
        proven, lowest = outcome.finished, outcome.lower_bound
        if outcome.order is None or outcome.waiting is None:
            found, waiting = first_order, first_waiting
        else:
            found, waiting = list(outcome.order), outcome.waiting
    order = reduced.scenes_in_order(found)
    cost = problem.cost(order)
    if cost != reduced.working_cost + waiting:
        raise RuntimeError(
            f"the search costed order {order} at {reduced.working_cost + waiting}, "
            f"but it costs {cost}"
        )
    return SequenceResult(
        order=order,
        cost=cost,
        proven=proven,
        seconds=time.perf_counter() - started,
        lower_bound=cost if proven else reduced.working_cost + lowest,
    )
