"""Plan a scenario: the one call the command line and the app make.

:func:`plan_scenario` runs the solver, then the independent checker on the
plan it returns, then the KPIs. The solver checks its own plan too, but the
SPEC wants every plan confirmed by the checker before it is shown or saved,
whichever solver made it and whatever it says about itself, so the check is
made here again. A plan the checker rejects gets status ``error`` and its
violations; :func:`save_outcome` refuses it, and refuses any plan that did
not come through :func:`plan_scenario`'s check.

>>> outcome = plan_scenario(scenario, time_limit=30)      # doctest: +SKIP
>>> if outcome.ok:                                        # doctest: +SKIP
...     save_outcome(store, scenario_id, version, outcome, "周一排期")
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scheduler.check.checker import Violation, check_plan
from scheduler.check.kpis import compute_kpis
from scheduler.domain.changes import Change, change_list
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from solver.result import ProgressCallback, SolveResult
from solver.slate.solve import solve
from solver.status import SolveStatus

if TYPE_CHECKING:
    from scheduler.storage import ScenarioStore

__all__ = [
    "PlanOutcome",
    "UncheckedPlanError",
    "plan_digest",
    "plan_scenario",
    "save_outcome",
]


def plan_digest(plan: Plan) -> str:
    """A fingerprint of the plan's shoots and reasons, independent of their order."""
    shoots = sorted(
        (s.title_id, s.date.isoformat(), s.base_id, s.set_id, s.crew_id) for s in plan.shoots
    )
    reasons = sorted(plan.unscheduled.items())
    return hashlib.sha256(repr((shoots, reasons)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PlanOutcome:
    """A plan with the checker's verdict and its KPIs: what is shown, written and saved.

    ``status`` is the solver's, unless the checker found a violation: then it is
    ``error`` and ``violations`` lists them. ``result`` is the solver's own
    account (log, problems, model size). ``checked_digest`` is the
    :func:`plan_digest` of the plan the checker confirmed; it is empty when no
    checker confirmed one, so a plan swapped in afterwards is not taken as checked.
    """

    plan: Plan
    kpis: Mapping[str, Any]
    status: SolveStatus
    violations: tuple[Violation, ...]
    result: SolveResult
    checked_digest: str = ""
    changes: tuple[Change, ...] = ()
    """In a re-plan: the change list (变更单) against the earlier plan."""

    @property
    def checked(self) -> bool:
        """Whether the checker confirmed exactly this plan."""
        return bool(self.checked_digest) and self.checked_digest == plan_digest(self.plan)

    @property
    def ok(self) -> bool:
        """Whether the plan may be shown, written and saved."""
        return self.status is not SolveStatus.ERROR and not self.violations and self.checked

    @property
    def problems(self) -> tuple[str, ...]:
        """What the solver said went wrong, then every violation, in English."""
        return (*self.result.problems, *(v.message for v in self.violations))


class UncheckedPlanError(ValueError):
    """A plan the checker did not confirm was about to be saved."""

    def __init__(self, status: str, violations: int) -> None:
        self.message_zh = f"排期方案未通过独立检查（状态 {status}，{violations} 处违规），不能保存"
        self.message_en = (
            f"the plan was not confirmed by the checker (status {status}, "
            f"{violations} violation(s)); it cannot be saved"
        )
        super().__init__(f"{self.message_zh}（{self.message_en}）")


def _violations(scenario: Scenario, plan: Plan, status: SolveStatus) -> tuple[Violation, ...]:
    """The checker's violations that make the plan unusable.

    ``infeasible`` means the pins cannot all be kept, so its plan is empty and
    leaves the pinned titles out: rule 8's "pinned but not scheduled" is the
    infeasibility itself there, not a fault of the plan.
    """
    found = check_plan(scenario, plan)
    if status is SolveStatus.INFEASIBLE and not plan.shoots:
        found = [v for v in found if not (v.rule == 8 and v.title_id in scenario.pin_by_title)]
    return tuple(found)


def _gap(priority: int, bound: int | None) -> float | None:
    """Share of the bound not reached, 4 decimals; ``None`` without a positive bound."""
    if bound is None or bound <= 0:
        return None
    return round((bound - priority) / bound, 4)


def plan_scenario(
    scenario: Scenario,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    reference: Plan | None = None,
    published: frozenset[str] = frozenset(),
    hint: Plan | None = None,
) -> PlanOutcome:
    """Solve ``scenario``, check the plan independently and compute its KPIs.

    Parameters
    ----------
    scenario
        The planning question (validated).
    time_limit
        Wall-clock seconds for the solve, model building included.
    seed, workers
        The solver's random seed and number of search workers.
    progress
        Called with a :class:`solver.result.Progress` (elapsed seconds, objective,
        bound and the solver's phase) on every improving solution, from the solver's thread.
    stop
        Set it (from any thread) to stop the search and get the best plan so far.
    reference
        An earlier plan to revise: its titles that still keep every rule stay as
        they are unless moving them lets more priority in, fewest changes second
        (see :mod:`solver.slate.revise`); ``outcome.changes`` is the change list.
    published
        Titles of ``reference`` whose shoots were published: never moved unless a
        rule now breaks them (then their row of the change list asks for approval).
    hint
        A plan to start from (a warm start, e.g. the plan of the cities alone for
        the cities pooled): used when the checker accepts it for ``scenario``; the
        plan returned then schedules at least its priority. Ignored with ``reference``.

    Returns
    -------
    PlanOutcome
        The plan, its KPIs (every SPEC key plus ``greedy_priority_scheduled``,
        ``gap``, ``seed``, ``time_limit``, ``workers`` and ``problems``), the
        status and the checker's violations.
    """
    result = solve(
        scenario,
        checker=check_plan,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        progress=progress,
        stop=stop,
        reference=reference,
        published=published,
        hint=hint,
    )
    plan = result.plan
    violations = _violations(scenario, plan, result.status)
    status = SolveStatus.ERROR if violations else result.status
    kpis = compute_kpis(
        scenario,
        plan,
        status=status.value,
        priority_bound=result.priority_bound,
        solve_seconds=result.solve_seconds,
        # a plan the checker rejects proves nothing
        priority_proven_seconds=None if violations else result.priority_proven_seconds,
    )
    kpis["greedy_priority_scheduled"] = result.greedy_priority
    kpis["gap"] = _gap(kpis["priority_scheduled"], result.priority_bound)
    kpis["seed"] = seed
    kpis["time_limit"] = time_limit
    kpis["workers"] = workers
    kpis["problems"] = [*result.problems, *(v.message for v in violations)]
    return PlanOutcome(
        plan=plan,
        kpis=kpis,
        status=status,
        violations=violations,
        result=result,
        checked_digest="" if violations else plan_digest(plan),
        changes=()
        if reference is None
        else tuple(change_list(reference, plan, result.broken, published)),
    )


def save_outcome(
    store: ScenarioStore,
    scenario_id: int,
    scenario_version: int,
    outcome: PlanOutcome,
    label: str = "",
) -> int:
    """Store a checked plan with the scenario version it was made from; return the plan id.

    Raises
    ------
    UncheckedPlanError
        The outcome's status is ``error``, the checker found violations, or
        the plan is not the one the checker confirmed. Nothing is stored.
    """
    if not outcome.ok:
        raise UncheckedPlanError(outcome.status.value, len(outcome.violations))
    return store.save_plan(scenario_id, scenario_version, outcome.plan, outcome.kpis, label)
