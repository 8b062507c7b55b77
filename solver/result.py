"""What a solve returns: the plan, an honest status and the figures to judge it by."""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.domain.plan import Plan
from solver.status import SolveStatus


@dataclass(frozen=True)
class ModelSize:
    """How big the CP-SAT model was and how long it took to build."""

    variables: int = 0
    constraints: int = 0
    placements: int = 0
    crew_options: int = 0
    build_seconds: float = 0.0


@dataclass(frozen=True)
class SolveResult:
    """The outcome of :func:`solver.slate.solve.solve`.

    ``priority_bound`` is a proven upper bound on ``priority_scheduled`` (or
    ``None`` when the solver proved nothing). ``problems`` explains an
    ``infeasible`` or ``error`` status in words; ``log`` is the solve's own
    account, one line per event.
    """

    plan: Plan
    status: SolveStatus
    priority_scheduled: int
    priority_bound: int | None
    solve_seconds: float
    cost: int | None = None
    greedy_priority: int | None = None
    model_size: ModelSize = field(default_factory=ModelSize)
    problems: tuple[str, ...] = ()
    log: tuple[str, ...] = ()

    @property
    def gap(self) -> float | None:
        """Relative distance of priority_scheduled from the bound (0 when proven)."""
        if self.priority_bound is None or self.priority_bound <= 0:
            return None
        return (self.priority_bound - self.priority_scheduled) / self.priority_bound

    def summary(self) -> str:
        """One line a producer or a benchmark log can read."""
        scheduled = len(self.plan.scheduled_title_ids)
        bound = "–" if self.priority_bound is None else str(self.priority_bound)
        gap = "" if self.gap is None else f" (gap {self.gap:.1%})"
        cost = "" if self.cost is None else f", cost {self.cost:,} CNY"
        return (
            f"{self.status.value}: {scheduled} titles scheduled, priority "
            f"{self.priority_scheduled} / bound {bound}{gap}{cost}, {self.solve_seconds:.1f} s"
        )


def reports_cost(objective: float, bound: float, total_priority: int) -> bool:
    """Whether a progress report comes from the cost phase rather than a priority phase.

    Priority phases maximise (objective ≤ bound, a NaN bound compares false);
    the cost phase minimises a number larger than any priority total. Callers
    keep it once seen: the cost phase is the last.
    """
    return objective > bound or objective > total_priority
