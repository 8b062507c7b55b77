"""Solving the capacity side's PuLP models, and reading what the solver proved.

Every LP and MILP of :mod:`solver.capacity` is solved here. :func:`solve_lp`
solves once (HiGHS through highspy, or PuLP's CBC) and reads the solver's own
status into :class:`solver.status.SolveStatus`: a run stopped at its time
limit is never "proven", whatever PuLP's status says, and a time-limited LP
gives no bound. :class:`LpSession` keeps a HiGHS model loaded and re-solves
it as bounds, costs and a few rows change, from the last basis where that pays.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulp

from solver.status import SolveStatus

CapacitySolver = Literal["highs", "cbc"]

ROUNDING_SLACK = 1e-6
"""Added before rounding an optimum or a bound down, for the solver's tolerances."""

WARM_START_MAX_SWING = 4
"""Units the additions' bounds may move in all (lower and upper, summed) for a re-solve to
start from the last basis; beyond it HiGHS starts afresh."""

SHORTEST_TIME_LIMIT = 0.1
"""Seconds a solver is given at the least, whatever time is left."""


def pulp_name(*parts: object) -> str:
    """A constraint or variable name PuLP and the MPS format accept."""
    text = "_".join(str(p) for p in parts)
    return "".join(ch if ch.isalnum() or ch in "_." else "_" for ch in text)


@contextlib.contextmanager
def highs_banner_hidden() -> Iterator[None]:
    """Keep HiGHS's start-up banner off standard output.

    HiGHS prints it from C++ when PuLP creates the solver, before ``msg=False``
    takes effect, and it would land in the middle of the CLI's report.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


@dataclass(frozen=True)
class LpSolution:
    """One solve of an LP or MILP, read from the solver's own status.

    ``status`` is ``optimal`` only when the solver proved the optimum (an LP
    solved to optimality, or a MIP closed to its gap) and ``infeasible`` only
    when it proved there is no solution; a run stopped by the time limit is
    ``feasible`` with the solution it has, or ``error`` with none, whatever
    PuLP's status says. ``bound``: for a MIP, the solver's proven bound on the
    objective (HiGHS's dual bound), also when stopped early. ``said``: when
    nothing was proven, how the solver put it (HiGHS's model status such as
    "Time limit reached", CBC's "stopped" or PuLP's "Not Solved").
    """

    objective: float | None
    status: SolveStatus
    seconds: float
    mip_gap: float | None = None
    values: Mapping[str, float] = field(default_factory=dict)
    duals: Mapping[str, float] = field(default_factory=dict)
    reduced: Mapping[str, float] = field(default_factory=dict)
    bound: float | None = None
    said: str = ""

    @property
    def proven(self) -> bool:
        """Whether the solver proved its answer (the optimum, or that there is none)."""
        return self.status.proven

    @property
    def status_text(self) -> str:
        """The status for a report: ``optimal``, ``infeasible``, or the solver's own words."""
        return self.said or self.status.value


def solve_lp(
    problem: pulp.LpProblem,
    *,
    solver: CapacitySolver = "highs",
    integer: bool = False,
    time_limit: float = 30.0,
    gap: float | None = 1e-4,
    presolve: bool = True,
    interior_point: bool = False,
    whole_objective: bool = False,
    bound_only: bool = False,
) -> LpSolution:
    """Solve ``problem`` and say what was proven.

    Parameters
    ----------
    integer
        Keep the integer columns integer (a MIP); otherwise the LP relaxation
        is solved and duals and reduced costs come back.
    gap
        Relative gap at which a MIP counts as solved; ``None`` leaves the
        solver's own default.
    interior_point
        Solve the LP by HiGHS's interior point method (then crossover), much
        faster than simplex on a highly degenerate objective.
    whole_objective
        The objective only takes whole values (Σ priority): a HiGHS MIP is
        proven once its proven bound rounds down onto the best solution,
        whatever the relative gap.
    bound_only
        Only the MIP's proven bound matters: HiGHS skips its primal heuristics,
        which would take half the time.
    """
    started = time.perf_counter()
    time_limit = max(time_limit, SHORTEST_TIME_LIMIT)
    if solver == "highs":
        return _solve_highs(
            problem,
            integer,
            time_limit,
            gap,
            started,
            presolve=presolve,
            interior_point=interior_point,
            whole_objective=whole_objective,
            bound_only=bound_only,
        )
    return _solve_cbc(problem, integer, time_limit, gap, started)


@dataclass(frozen=True)
class _Outcome:
    """What a solver run proved, before its solution is read."""

    status: SolveStatus
    said: str = ""
    mip_gap: float | None = None
    bound: float | None = None

    @property
    def found(self) -> bool:
        """Whether there is a solution to read."""
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def _highs_outcome(
    highs: Any, *, integer: bool, gap: float | None, maximise: bool, whole_objective: bool
) -> _Outcome:
    """Read HiGHS's own model status: PuLP calls a time-limited run "Optimal"."""
    import highspy

    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return _Outcome(SolveStatus.INFEASIBLE)
    info = highs.getInfo()
    # HiGHS minimises: PuLP, and LpSession, hand it the negated objective of a maximisation
    sign = -1.0 if maximise else 1.0
    mip_gap = float(info.mip_gap) if integer else None
    bound = None
    if integer and math.isfinite(float(info.mip_dual_bound)):
        bound = sign * float(info.mip_dual_bound)
    found = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    proven = status == highspy.HighsModelStatus.kOptimal
    if integer and whole_objective:
        # the optimum is proven when the bound rounds down onto the best solution
        best = sign * float(info.objective_function_value)
        proven = (
            proven
            and found
            and bound is not None
            and math.floor(bound + ROUNDING_SLACK) <= round(best)
        )
    elif integer and gap is not None and mip_gap is not None and mip_gap > gap + 1e-9:
        proven = False
    words = highs.modelStatusToString(status)
    if not found:
        return _Outcome(SolveStatus.ERROR, words, mip_gap, bound)
    if proven:
        return _Outcome(SolveStatus.OPTIMAL, "", mip_gap, bound)
    return _Outcome(SolveStatus.FEASIBLE, words, mip_gap, bound)


def _solve_highs(
    problem: pulp.LpProblem,
    integer: bool,
    time_limit: float,
    gap: float | None,
    started: float,
    *,
    presolve: bool,
    interior_point: bool,
    whole_objective: bool,
    bound_only: bool,
) -> LpSolution:
    options: dict[str, object] = {"msg": False, "timeLimit": time_limit, "mip": integer}
    if integer and gap is not None:
        options["gapRel"] = gap
    if not presolve:
        options["presolve"] = "off"
    if interior_point and not integer:
        options["solver"] = "ipm"
    if integer and bound_only:
        options.update(
            mip_heuristic_effort=0.0,
            mip_heuristic_run_feasibility_jump=False,
            mip_heuristic_run_rins=False,
            mip_heuristic_run_rens=False,
        )
    command = pulp.HiGHS(**options)
    with highs_banner_hidden():
        problem.solve(command)
    outcome = _highs_outcome(
        problem.solverModel,
        integer=integer,
        gap=gap,
        maximise=problem.sense == pulp.LpMaximize,
        whole_objective=whole_objective,
    )
    return _solution(problem, outcome, integer, started, highs=True)


def _solve_cbc(
    problem: pulp.LpProblem, integer: bool, time_limit: float, gap: float | None, started: float
) -> LpSolution:
    with warnings.catch_warnings():
        # PuLP 3.3 marks its bundled CBC as deprecated for 4.0; it is the fallback
        # that needs no install
        warnings.simplefilter("ignore", DeprecationWarning)
        command = pulp.PULP_CBC_CMD(
            mip=integer, msg=False, timeLimit=time_limit, gapRel=gap if integer else None
        )
        status = pulp.LpStatus[problem.solve(command)]
    # CBC stopped by its time limit before any solution also says "Infeasible"; only the
    # solution status tells a proof of infeasibility from that
    if status == "Infeasible" and problem.sol_status == pulp.LpSolutionInfeasible:
        outcome = _Outcome(SolveStatus.INFEASIBLE)
    elif problem.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        outcome = _Outcome(SolveStatus.ERROR, status)
    # a CBC run stopped at its limit still reports "Optimal"; its solution status does not
    elif problem.sol_status == pulp.LpSolutionOptimal:
        outcome = _Outcome(SolveStatus.OPTIMAL)
    else:
        outcome = _Outcome(SolveStatus.FEASIBLE, "stopped")
    return _solution(problem, outcome, integer, started, highs=False)


def _solution(
    problem: pulp.LpProblem, outcome: _Outcome, integer: bool, started: float, *, highs: bool
) -> LpSolution:
    """The solve's outcome with PuLP's copy of the solution, when there is one."""
    seconds = time.perf_counter() - started
    if not outcome.found:
        return LpSolution(
            None, outcome.status, seconds, outcome.mip_gap, bound=outcome.bound, said=outcome.said
        )
    return LpSolution(
        float(pulp.value(problem.objective) or 0.0),
        outcome.status,
        seconds,
        outcome.mip_gap,
        *_read_solution(problem, duals=not integer, highs=highs),
        bound=outcome.bound,
        said=outcome.said,
    )


def _read_solution(
    problem: pulp.LpProblem, *, duals: bool, highs: bool
) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Column values, and for an LP the rows' duals and columns' reduced costs.

    Signs are turned to the maximisation: a ≤ row's dual is what one more unit
    of its right-hand side would add to the objective.
    """
    values = {v.name: float(v.varValue or 0.0) for v in problem.variables()}
    if not duals:
        return values, {}, {}
    # PuLP hands HiGHS the negated objective of a maximisation; CBC's duals are the max's own
    flip = -1.0 if highs else 1.0
    row_duals = {name: flip * float(row.pi or 0.0) for name, row in problem._constraints.items()}
    reduced = {v.name: flip * float(v.dj or 0.0) for v in problem.variables()}
    return values, row_duals, reduced


class LpSession:
    """Solves one PuLP problem again and again as its bounds, objective and question rows change.

    The first solve goes through PuLP (or, given ``like``, copies that
    session's loaded model); with HiGHS the model then stays loaded in HiGHS
    and each later solve only sends what changed (column bounds and costs,
    the question rows' bounds, which additions are integer), so a re-solve
    starts from the last basis instead of rebuilding. With CBC every solve
    goes through PuLP.
    """

    def __init__(
        self,
        problem: pulp.LpProblem,
        solver: CapacitySolver,
        question_rows: Sequence[pulp.LpConstraint] = (),
        integer_columns: Sequence[pulp.LpVariable] = (),
        interior_point: bool = False,
        like: LpSession | None = None,
    ) -> None:
        self.problem = problem
        self.like = like
        self.interior_point = interior_point
        self.solver = solver
        self.question_rows = list(question_rows)
        self.integer_columns = list(integer_columns)
        self._columns: list[pulp.LpVariable] | None = None
        self._highs: Any = None
        self._position: dict[str, int] = {}
        self._row_position: dict[str, int] = {}
        self._last_goal: tuple[tuple[str, float], ...] = ()
        self._last_integer = False
        self._last_additions: list[tuple[float, float]] | None = None

    def solve(
        self,
        objective: pulp.LpAffineExpression,
        *,
        maximise: bool = True,
        integer: bool = False,
        time_limit: float = 30.0,
        gap: float = 1e-4,
        presolve: bool = True,
    ) -> LpSolution:
        """Optimise ``objective`` under the problem's current bounds; read what was proven."""
        if self.solver == "highs" and self._columns is None and self.like is not None:
            self._copy_model(self.like)
        if self.solver == "cbc" or self._columns is None:
            self.problem.setObjective(objective)
            self.problem.sense = pulp.LpMaximize if maximise else pulp.LpMinimize
            solution = solve_lp(
                self.problem,
                solver=self.solver,
                integer=integer,
                time_limit=time_limit,
                gap=gap,
                presolve=presolve,
                interior_point=self.interior_point,
            )
            if self.solver == "highs" and not integer:
                # keep this session's HiGHS model: another session may solve the same problem
                self._highs = self.problem.solverModel
                # a copy, with this model's own positions: PuLP's list grows and is re-sorted,
                # and another session's build renumbers every column's ``index``
                self._columns = list(self.problem.variables())
                self._position = {v.name: i for i, v in enumerate(self._columns)}
                self._row_position = {name: i for i, name in enumerate(self.problem._constraints)}
                self._last_goal = tuple(sorted((v.name, c) for v, c in objective.items()))
            return solution
        return self._resolve_highs(objective, maximise, integer, time_limit, gap, presolve)

    def _copy_model(self, other: LpSession) -> None:
        """Start from a copy of ``other``'s loaded HiGHS model instead of a PuLP build.

        PuLP builds the model column by column in Python (seconds for a
        cluster); HiGHS copies a loaded one at once.
        """
        if other._highs is None or other._columns is None:
            return
        import highspy

        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.passModel(other._highs.getModel())
        self._highs = highs
        self._columns = list(other._columns)
        self._position = dict(other._position)
        self._row_position = dict(other._row_position)
        self._last_goal = ()  # never solved: the first solve starts afresh

    def _resolve_highs(
        self,
        objective: pulp.LpAffineExpression,
        maximise: bool,
        integer: bool,
        time_limit: float,
        gap: float,
        presolve: bool,
    ) -> LpSolution:
        import highspy
        import numpy as np

        started = time.perf_counter()
        columns = self._columns
        assert columns is not None
        highs = self._highs
        count = len(columns)
        index = np.arange(count, dtype=np.int32)
        inf = highspy.kHighsInf
        lower = np.array(
            [-inf if v.lowBound is None else v.lowBound for v in columns], dtype=float
        )
        upper = np.array([inf if v.upBound is None else v.upBound for v in columns], dtype=float)
        highs.changeColsBounds(count, index, lower, upper)
        sign = -1.0 if maximise else 1.0  # HiGHS minimises
        costs = np.zeros(count)
        for column, coefficient in objective.items():
            at = self._position.get(column.name)
            if at is not None:  # a column in no row and not in the model: nothing limits it
                costs[at] = sign * coefficient
        highs.changeColsCost(count, index, costs)
        highs.changeObjectiveOffset(sign * float(objective.constant))
        for row in self.question_rows:
            low, high = row.getLb(), row.getUb()
            highs.changeRowBounds(
                self._row_position[row.name],
                -inf if low is None else low,
                inf if high is None else high,
            )
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        for column in self.integer_columns:
            if column.name in self._position:
                highs.changeColIntegrality(self._position[column.name], kind)
        # a new objective starts afresh (presolve pays off); new bounds re-start from the
        # last basis, which takes milliseconds
        goal = tuple(sorted((v.name, c) for v, c in objective.items()))
        # a basis far from the new additions is worse than none: a swing of many units
        # (all candidates at once, then none) has cost minutes of dual simplex
        additions = [(v.lowBound or 0.0, v.upBound or 0.0) for v in self.integer_columns]
        swing = sum(
            abs(low - last_low) + abs(high - last_high)
            for (low, high), (last_low, last_high) in zip(
                additions, self._last_additions or additions, strict=True
            )
        )
        self._last_additions = additions
        afresh = (
            goal != self._last_goal
            or integer
            or self._last_integer
            or swing > WARM_START_MAX_SWING
        )
        if afresh:
            highs.clearSolver()
        # interior point for a fresh degenerate LP; simplex re-starts from the last basis
        highs.setOptionValue("solver", "ipm" if afresh and self.interior_point else "simplex")
        self._last_goal, self._last_integer = goal, integer
        # HiGHS counts its time limit from the first run of this model, not this one
        highs.setOptionValue("time_limit", highs.getRunTime() + max(float(time_limit), 0.1))
        highs.setOptionValue("mip_rel_gap", gap)
        highs.setOptionValue("presolve", "on" if presolve else "off")
        with highs_banner_hidden():
            highs.run()
        outcome = _highs_outcome(
            highs, integer=integer, gap=gap, maximise=maximise, whole_objective=False
        )
        seconds = time.perf_counter() - started
        if not outcome.found:
            return LpSolution(
                None,
                outcome.status,
                seconds,
                outcome.mip_gap,
                bound=outcome.bound,
                said=outcome.said,
            )
        solution = highs.getSolution()
        values = dict(zip((v.name for v in columns), solution.col_value, strict=True))
        value = sign * float(highs.getInfo().objective_function_value)
        duals: dict[str, float] = {}
        reduced: dict[str, float] = {}
        if not integer:
            # a ≤ row's dual, turned to the maximisation: what one more unit adds
            row_duals = solution.row_dual
            duals = {name: sign * float(row_duals[at]) for name, at in self._row_position.items()}
            reduced = {
                v.name: sign * float(d) for v, d in zip(columns, solution.col_dual, strict=True)
            }
        return LpSolution(
            value,
            outcome.status,
            seconds,
            outcome.mip_gap,
            values,
            duals,
            reduced,
            bound=outcome.bound,
            said=outcome.said,
        )
