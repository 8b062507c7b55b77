"""The solver's one status vocabulary: how good an answer is known to be."""

from __future__ import annotations

from enum import StrEnum


class SolveStatus(StrEnum):
    """How good the plan is known to be (the SPEC's kpis.json ``status``).

    The LP and MILP models of :mod:`solver.capacity` answer in the same words:
    ``optimal`` and ``infeasible`` are proven, ``feasible`` is a solution the
    solver stopped on before proving it best (its time limit or gap), and
    ``error`` means no solution at all and no proof (time ran out first, or
    the solver failed).
    """

    OPTIMAL = "optimal"
    """priority_scheduled is proven the most any plan can reach."""
    FEASIBLE = "feasible"
    """A plan that keeps every rule; better ones may exist (see priority_bound)."""
    INFEASIBLE = "infeasible"
    """No plan keeps every rule: the pins contradict each other or the rules."""
    ERROR = "error"
    """Something went wrong (a checker violation, no plan in time); see ``problems``."""

    @property
    def proven(self) -> bool:
        """Whether the solver proved its answer: the optimum, or that there is none."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)
