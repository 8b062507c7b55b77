"""Solving a PuLP model again and again, and reading what the solver proved.

:func:`solve_lp` solves once (HiGHS through highspy, or PuLP's CBC) and
reads the solver's own status: a run stopped at its time limit is never
"proven", whatever PuLP's status says. :class:`LpSession` keeps a HiGHS
model loaded and re-solves it as bounds, costs and a few rows change, from
the last basis where that pays.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulp

from solver.capacity.bound import highs_banner_hidden

CapacitySolver = Literal["highs", "cbc"]

ROUNDING_SLACK = 1e-6
"""Added before rounding an optimum down, for the solver's tolerances."""

WARM_START_MAX_SWING = 4
"""Units the additions' bounds may move in all (lower and upper, summed) for a re-solve to
start from the last basis; beyond it HiGHS starts afresh."""


@dataclass(frozen=True)
class LpSolution:
    """One solve of the capacity model, read from the solver's own status.

    ``proven`` is True only when the solver proved the optimum (an LP solved
    to optimality, or a MIP closed to its gap); a run stopped by the time
    limit is not proven, whatever PuLP's status says.
    """

    objective: float | None
    proven: bool
    status: str
    seconds: float
    mip_gap: float | None = None
    values: Mapping[str, float] = field(default_factory=dict)
    duals: Mapping[str, float] = field(default_factory=dict)
    reduced: Mapping[str, float] = field(default_factory=dict)


def solve_lp(
    problem: pulp.LpProblem,
    *,
    solver: CapacitySolver = "highs",
    integer: bool = False,
    time_limit: float = 30.0,
    gap: float = 1e-4,
    presolve: bool = True,
    interior_point: bool = False,
) -> LpSolution:
    """Solve ``problem`` (a maximisation) and say what was proven.

    With ``integer`` the integer columns stay integer (a MIP); otherwise the
    LP relaxation is solved and duals and reduced costs come back.
    ``interior_point`` solves the LP by HiGHS's interior point method (then
    crossover), much faster than simplex on a highly degenerate objective.
    """
    started = time.perf_counter()
    if solver == "highs":
        return _solve_highs(problem, integer, time_limit, gap, started, presolve, interior_point)
    return _solve_cbc(problem, integer, time_limit, gap, started)


def _solve_highs(
    problem: pulp.LpProblem,
    integer: bool,
    time_limit: float,
    gap: float,
    started: float,
    presolve: bool = True,
    interior_point: bool = False,
) -> LpSolution:
    import highspy

    options: dict[str, object] = {"msg": False, "timeLimit": max(time_limit, 0.1), "mip": integer}
    if integer:
        options["gapRel"] = gap
    if not presolve:
        options["presolve"] = "off"
    if interior_point and not integer:
        options["solver"] = "ipm"
    command = pulp.HiGHS(**options)
    with highs_banner_hidden():
        problem.solve(command)
    highs = problem.solverModel
    status = highs.getModelStatus()
    seconds = time.perf_counter() - started
    if status == highspy.HighsModelStatus.kInfeasible:
        return LpSolution(None, True, "infeasible", seconds)
    info = highs.getInfo()
    proven = status == highspy.HighsModelStatus.kOptimal
    mip_gap = float(info.mip_gap) if integer else None
    if integer and mip_gap is not None and mip_gap > gap + 1e-9:
        proven = False
    objective = _objective_value(problem) if info.primal_solution_status == 2 else None
    if objective is None:
        return LpSolution(None, False, highs.modelStatusToString(status), seconds, mip_gap)
    return LpSolution(
        objective,
        proven,
        "optimal" if proven else highs.modelStatusToString(status),
        seconds,
        mip_gap,
        *_read_solution(problem, duals=not integer, highs=True),
    )


def _solve_cbc(
    problem: pulp.LpProblem, integer: bool, time_limit: float, gap: float, started: float
) -> LpSolution:
    with warnings.catch_warnings():
        # PuLP 3.3 marks its bundled CBC as deprecated for 4.0; it is the fallback
        # that needs no install
        warnings.simplefilter("ignore", DeprecationWarning)
        command = pulp.PULP_CBC_CMD(
            mip=integer, msg=False, timeLimit=max(time_limit, 1), gapRel=gap if integer else None
        )
    status = problem.solve(command)
    seconds = time.perf_counter() - started
    # CBC stopped by its time limit before any solution also says "Infeasible"; only the
    # solution status tells a proof of infeasibility from that
    if pulp.LpStatus[status] == "Infeasible" and problem.sol_status == pulp.LpSolutionInfeasible:
        return LpSolution(None, True, "infeasible", seconds)
    # a CBC run stopped at its limit still reports "Optimal"; its solution status does not
    proven = problem.sol_status == pulp.LpSolutionOptimal
    if problem.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        return LpSolution(None, False, pulp.LpStatus[status], seconds)
    return LpSolution(
        _objective_value(problem),
        proven,
        "optimal" if proven else "stopped",
        seconds,
        None,
        *_read_solution(problem, duals=not integer, highs=False),
    )


def _objective_value(problem: pulp.LpProblem) -> float:
    return float(pulp.value(problem.objective) or 0.0)


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
        status = highs.getModelStatus()
        seconds = time.perf_counter() - started
        if status == highspy.HighsModelStatus.kInfeasible:
            return LpSolution(None, True, "infeasible", seconds)
        info = highs.getInfo()
        proven = status == highspy.HighsModelStatus.kOptimal
        mip_gap = float(info.mip_gap) if integer else None
        if integer and mip_gap is not None and mip_gap > gap + 1e-9:
            proven = False
        if info.primal_solution_status != 2:
            return LpSolution(None, False, highs.modelStatusToString(status), seconds, mip_gap)
        solution = highs.getSolution()
        values = dict(zip((v.name for v in columns), solution.col_value, strict=True))
        value = sign * float(info.objective_function_value)
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
            proven,
            "optimal" if proven else highs.modelStatusToString(status),
            seconds,
            mip_gap,
            values,
            duals,
            reduced,
        )
