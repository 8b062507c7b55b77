"""What a solve returns: the plan, an honest status and the figures to judge it by."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.domain.reasons import Reason
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
    ``None`` when the solver proved nothing). ``priority_proven_seconds`` is the
    second of the solve (from its start, as ``solve_seconds``) at which a plan in
    hand first met a proven bound, so that Σ priority was proven optimal; ``None``
    unless the status is ``optimal``. ``problems`` explains an
    ``infeasible`` or ``error`` status in words; ``log`` is the solve's own
    account, one line per event.
    """

    plan: Plan
    status: SolveStatus
    priority_scheduled: int
    priority_bound: int | None
    solve_seconds: float
    priority_proven_seconds: float | None = None
    cost: int | None = None
    greedy_priority: int | None = None
    model_size: ModelSize = field(default_factory=ModelSize)
    problems: tuple[str, ...] = ()
    log: tuple[str, ...] = ()
    broken: Mapping[str, str] = field(default_factory=dict)
    """In a re-plan: titles of the earlier plan that no longer kept every rule, and why."""
    reasons: Mapping[str, Reason] = field(default_factory=dict)
    """Claims behind the reason of each title that could shoot alone but was left out
    (:mod:`solver.slate.reasons`); its text is the plan's ``unscheduled`` entry."""

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
        proven = self.priority_proven_seconds
        digits = 2 if proven is not None and proven < 1 else 1  # a tutorial proves in hundredths
        at = "" if proven is None else f", priority proven optimal at {proven:.{digits}f} s"
        return (
            f"{self.status.value}: {scheduled} titles scheduled, priority "
            f"{self.priority_scheduled} / bound {bound}{gap}{cost}{at}, "
            f"{self.solve_seconds:.1f} s"
        )


class Phase(StrEnum):
    """What a progress report's objective and bound measure."""

    PRIORITY = "priority"
    """Σ priority scheduled and its upper bound (maximised)."""
    COST = "cost"
    """The plan's cost in CNY and its lower bound, once the priority is settled (minimised)."""


@dataclass(frozen=True)
class Progress:
    """One improving plan, as the solver reports it while it searches.

    ``bound`` is NaN when the phase has proved none yet.
    """

    elapsed: float
    objective: float
    bound: float
    phase: Phase


class ProgressCallback(Protocol):
    """Called on every improving plan (from the solver's threads)."""

    def __call__(self, progress: Progress) -> None: ...


class RuleBreach(Protocol):
    """One rule a plan breaks, as the plan checker reports it."""

    @property
    def title_id(self) -> str: ...

    @property
    def message(self) -> str: ...

    @property
    def message_zh(self) -> str: ...


class PlanChecker(Protocol):
    """The independent plan checker, handed in by the caller: every rule ``plan`` breaks.

    The solver never imports the checker (it shares no code with the models it
    checks); services pass :func:`scheduler.check.checker.check_plan`. An empty
    answer means the plan keeps every rule.
    """

    def __call__(self, scenario: Scenario, plan: Plan) -> Sequence[RuleBreach]: ...
