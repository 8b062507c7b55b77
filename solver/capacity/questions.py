"""The capacity planner's questions, asked of :class:`solver.capacity.model.CapacityModel`.

- **bound**: the most priority, and the most titles, any plan can schedule;
- **bottlenecks**: the rows that bind (their duals) and what one more unit of
  each candidate addition would add (estimated from reduced costs, then
  measured by re-solving the best few);
- **expansion**: the cheapest additions that reach the targets (titles a
  month, parallel shoots a day), as a MIP over the additions, listed in the
  order that gains most first; and the other way round, with a budget, the
  most titles;
- **idle**: set-days nobody's demand can use, and set-days that could be sold
  without lowering the priority bound, by base × set type × bucket;
- **binding actors**: actors whose days bind (their rows' duals), and how many
  closed days of theirs a buy-out could free (:func:`binding_actors`);
- **rush order**: what it takes to also shoot N more titles (急单), keeping the
  titles the scenario allows without them (:class:`RushAnswer`).

Everything is measured in the model's relaxation, so gains are what capacity
allows, not a promise of a plan: the scheduler decides what is really shot.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from scheduler.domain.model import Scenario, Title
from solver.capacity.lp import ROUNDING_SLACK, CapacitySolver, LpSession, LpSolution, solve_lp
from solver.capacity.model import (
    NO_BUDGET,
    WEEK,
    Bucket,
    Candidate,
    CapacityModel,
    Goal,
    RowMeaning,
    default_candidates,
)
from solver.status import SolveStatus

TOP_CANDIDATES = 8
"""Candidates whose gain is measured by re-solving (the rest are estimated)."""

ALONE_MAX_BASES = 40
"""Up to this many bases each is asked alone what it can sell (one re-solve each, about
0.3 s on a cluster of 120); beyond, each gets its share of selling all at once."""

TOP_BOTTLENECKS = 12
"""Binding rows reported."""

MIP_TIME_LIMIT = 20.0
"""Seconds for each expansion MIP."""

MIP_GAP = 1e-3
"""Relative gap at which the expansion MIP counts as solved: 0.1 % of its cost."""

BUDGET_GAP = 1e-6
"""Relative gap of the budget MIP: well under the hundredth of a title its cost weighs."""

DUAL_TOLERANCE = 1e-6

GAIN_SLACK = 1e-4
"""Titles or shoot days a target row may fall short by: the LP's tolerances, not a title."""


# -- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Binding:
    """A capacity row that binds: one more unit of it would add ``value`` titles."""

    meaning: RowMeaning
    value: float


@dataclass(frozen=True)
class CandidateGain:
    """What one more unit of a candidate would add, in titles over the horizon.

    ``estimate`` is the LP's reduced cost (an optimistic first-order figure);
    ``gain`` the measured re-solve, or ``None`` when it was not re-solved.
    """

    candidate: Candidate
    estimate: float
    gain: float | None


@dataclass(frozen=True)
class Step:
    """One addition of the expansion, in the order that gains most first.

    ``titles_after`` and ``shoot_days_after``: the most titles, and the most
    shoot days, the model allows with this and every earlier step.
    """

    candidate: Candidate
    count: int
    cost: int
    titles_after: float
    shoot_days_after: float


@dataclass(frozen=True)
class Expansion:
    """The cheapest additions that reach the targets (or as near as the candidates go).

    ``target_titles`` and ``target_shoot_days`` are over the horizon;
    ``reachable_*`` what all candidates together allow; ``met`` whether the
    targets were reached by the chosen additions (``reachable_*`` is ``None``
    when nothing had to be added); ``proven`` whether
    the MIP proved the cost minimal; ``status_text`` the MIP's status for the
    report (see :attr:`solver.capacity.lp.LpSolution.status_text`).
    """

    target_titles: float
    target_shoot_days: float
    baseline_titles: float
    baseline_shoot_days: float
    reachable_titles: float | None
    reachable_shoot_days: float | None
    steps: tuple[Step, ...]
    total_cost: int
    met: bool
    proven: bool
    status: SolveStatus
    seconds: float
    status_text: str


@dataclass(frozen=True)
class BudgetAnswer:
    """With ``budget`` yuan, the additions that allow the most titles.

    ``status_text``: the MIP's status for the report (see
    :attr:`solver.capacity.lp.LpSolution.status_text`).
    """

    budget: int
    steps: tuple[Step, ...]
    cost: int
    titles: float
    baseline_titles: float
    proven: bool
    status: SolveStatus
    status_text: str


@dataclass(frozen=True)
class IdleCell:
    """Set-days of one type at one base in one bucket.

    ``open_days``: open set-days; ``unusable``: set-days no title's window,
    cast and crews could ever use; ``sellable``: set-days the base could rent
    out, the other bases renting out nothing, without lowering the priority
    bound (at least ``unusable``; with more than ``ALONE_MAX_BASES`` bases,
    its share of what all bases can rent out at once).
    """

    base_id: str
    set_type: str
    bucket: Bucket
    open_days: int
    unusable: int
    sellable: int


@dataclass(frozen=True)
class BindingActor:
    """An actor whose days bind: one more free day would add up to ``value`` titles.

    ``value`` is the largest dual of the actor's rows (a week or a run of days);
    ``days_to_buy`` the actor's closed days in the horizon (unavailable.csv), which a
    buy-out could free — 0 when the actor is free every day and there is nothing to buy.
    """

    actor_id: str
    value: float
    days_to_buy: int


@dataclass(frozen=True)
class RushAnswer:
    """What it takes to also shoot a rush order (急单) of ``count`` titles.

    ``baseline_titles``: the most titles of the scenario without the order (the
    model's optimum), kept in every answer; ``fit_now``: rush titles that fit on top
    with today's capacity; ``reachable``: with every candidate added (``None`` when
    nothing had to be added); ``steps`` and ``total_cost``: the cheapest additions for
    all of them, or for as many as the candidates allow, each step's ``titles_after``
    counting rush titles; ``met``: all ``count`` fit with those additions; ``proven``
    and ``status_text``: the MIP's status.
    """

    count: int
    title_ids: tuple[str, ...]
    baseline_titles: float
    fit_now: float
    reachable: float | None
    steps: tuple[Step, ...]
    total_cost: int
    met: bool
    proven: bool
    status: SolveStatus
    status_text: str
    seconds: float


@dataclass(frozen=True)
class BucketLoad:
    """How much a bucket could shoot and how much the bound's solution shoots in it."""

    bucket: Bucket
    open_set_days: int
    crew_days: int
    demand_days: int
    shoot_days: float


@dataclass(frozen=True)
class CapacityAnswer:
    """Every answer of the capacity planner for one scenario.

    The bounds are ``None`` when nothing was proven: the pins cannot all be
    kept (``pins_can_be_kept`` False; then no plan exists), or the solver
    stopped before proving its optimum. ``sellable_together``: set-days all
    bases can rent out at once keeping the priority bound; ``sellable_alone``:
    whether each idle cell's ``sellable`` is its base's when asked alone;
    ``binding_actors``: every actor whose days bind, most valuable first; ``rush``:
    the rush-order question, when one was asked.
    """

    scenario_name: str
    days: int
    bucket_days: int
    solver: str
    priority_bound: int | None
    titles_bound: int | None
    priority_lp: float | None
    titles_lp: float | None
    proven: bool
    total_priority: int
    total_titles: int
    columns: int
    rows: int
    loads: tuple[BucketLoad, ...]
    bindings: tuple[Binding, ...]
    gains: tuple[CandidateGain, ...]
    expansion: Expansion | None
    budget: BudgetAnswer | None
    idle: tuple[IdleCell, ...]
    candidates: tuple[Candidate, ...]
    seconds: dict[str, float] = field(default_factory=dict)
    pins_can_be_kept: bool = True
    sellable_together: int = 0
    sellable_alone: bool = True
    binding_actors: tuple[BindingActor, ...] = ()
    rush: RushAnswer | None = None


# -- asking --------------------------------------------------------------------------------


class _Planner:
    """Asks the questions of one model, re-solving with the additions moved."""

    def __init__(self, model: CapacityModel, solver: CapacitySolver) -> None:
        self.model = model
        self.solver = solver
        # one session per goal, so that each re-solve starts from its own last basis
        self.sessions: dict[tuple[Goal, bool], LpSession] = {}

    def session(self, goal: Goal, integer: bool = False) -> LpSession:
        key = (goal, integer)
        if key not in self.sessions:
            loaded = next(iter(self.sessions.values()), None)
            self.sessions[key] = LpSession(
                self.model.problem,
                self.solver,
                question_rows=list(self.model.targets.values()),
                integer_columns=list(self.model.added.values()),
                # the most shoot days ties across thousands of titles: simplex crawls
                interior_point=goal == "shoot_days",
                like=loaded,
            )
        return self.sessions[key]

    # additions ------------------------------------------------------------------------

    def fix_additions(self, counts: Mapping[str, int]) -> None:
        """Fix every candidate's column at its count (0 when absent)."""
        for key, column in self.model.added.items():
            column.lowBound = column.upBound = counts.get(key, 0)

    def free_additions(self) -> None:
        """Let every candidate's column range over 0 … its ``max_count``."""
        for candidate in self.model.candidates:
            column = self.model.added[candidate.key]
            column.lowBound, column.upBound = 0, candidate.max_count

    def maximise(self, goal: Goal) -> LpSolution:
        """The LP optimum of ``goal`` under the current additions and question rows."""
        return self.session(goal).solve(self.model.objective(goal))

    def titles_with(self, counts: Mapping[str, int], goal: Goal = "titles") -> tuple[float, float]:
        """The most titles (of ``goal``: all, or the rush order's), and the most shoot
        days, the LP allows with these additions."""
        self.fix_additions(counts)
        titles = self.maximise(goal).objective or 0.0
        shoot_days = self.maximise("shoot_days").objective or 0.0
        return titles, shoot_days

    def most_shoot_days_with(self, titles: float) -> float:
        """The most shoot days with at least ``titles`` titles scheduled (current additions)."""
        self._ask("titles", titles - ROUNDING_SLACK)
        found = self.maximise("shoot_days").objective
        self._ask("titles", 0)
        return -1.0 if found is None else found

    def cost(self, counts: Mapping[str, int]) -> int:
        days = self.model.scenario.days
        return sum(c.cost(days, counts.get(c.key, 0)) for c in self.model.candidates)

    def _mip(self, goal: Goal, *, maximise: bool, gap: float = MIP_GAP) -> LpSolution:
        """The MIP over the additions (free within their counts) for ``goal``.

        HiGHS's presolve has been seen to call a feasible expansion MIP
        infeasible when a target row sits exactly on a fractional optimum;
        an "infeasible" is checked again without presolve.
        """
        session = self.session(goal, integer=True)
        objective = self.model.objective(goal)
        solution = session.solve(
            objective, maximise=maximise, integer=True, time_limit=MIP_TIME_LIMIT, gap=gap
        )
        if solution.status is SolveStatus.INFEASIBLE and self.solver == "highs":
            solution = session.solve(
                objective,
                maximise=maximise,
                integer=True,
                time_limit=MIP_TIME_LIMIT,
                gap=gap,
                presolve=False,
            )
        return solution

    def _ask(self, row: str, value: float) -> None:
        """Switch a question row on (or back off with its inert value)."""
        self.model.targets[row].changeRHS(value)

    def _counts(self, solution: LpSolution) -> dict[str, int]:
        counts = {
            key: round(solution.values.get(column.name, 0.0))
            for key, column in self.model.added.items()
        }
        return {key: count for key, count in counts.items() if count > 0}

    # questions ------------------------------------------------------------------------

    def bindings(self, solution: LpSolution) -> list[Binding]:
        """Rows whose dual is positive, most valuable first."""
        found = [
            Binding(meaning, solution.duals.get(name, 0.0))
            for name, meaning in self.model.row_meaning.items()
            if solution.duals.get(name, 0.0) > DUAL_TOLERANCE
        ]
        found.sort(key=lambda b: -b.value)
        return found[:TOP_BOTTLENECKS]

    def gains(self, solution: LpSolution, baseline: float) -> list[CandidateGain]:
        """Each candidate's reduced cost, and a re-solve of the best few."""
        estimates = [
            (c, max(0.0, solution.reduced.get(self.model.added[c.key].name, 0.0)))
            for c in self.model.candidates
        ]
        estimates.sort(key=lambda item: -item[1])
        gains: list[CandidateGain] = []
        for rank, (candidate, estimate) in enumerate(estimates):
            gain = None
            if rank < TOP_CANDIDATES and estimate > DUAL_TOLERANCE:
                self.fix_additions({candidate.key: 1})
                gain = max(0.0, (self.maximise("titles").objective or 0.0) - baseline)
            gains.append(CandidateGain(candidate, estimate, gain))
        self.fix_additions({})
        gains.sort(key=lambda g: (-(g.gain or 0.0), -g.estimate))
        return gains

    def ranked_steps(self, counts: Mapping[str, int], goal: Goal = "titles") -> list[Step]:
        """The chosen additions, most titles (of ``goal``) per yuan first, with the totals
        after each."""
        model = self.model
        by_key = {c.key: c for c in model.candidates}
        self.fix_additions({})
        baseline = self.maximise(goal).objective or 0.0
        alone = []
        for key, count in counts.items():
            self.fix_additions({key: count})
            titles = self.maximise(goal).objective or 0.0
            cost = by_key[key].cost(model.scenario.days, count)
            alone.append((-(titles - baseline) / max(cost, 1), key, count, cost))
        alone.sort()
        steps: list[Step] = []
        so_far: dict[str, int] = {}
        for _, key, count, cost in alone:
            so_far[key] = count
            titles, shoot_days = self.titles_with(so_far, goal)
            steps.append(Step(by_key[key], count, cost, titles, shoot_days))
        self.fix_additions({})
        return steps

    def expansion(self, target_titles: float, target_shoot_days: float) -> Expansion:
        """The cheapest additions that reach both targets (clamped to what can be reached)."""
        started = time.perf_counter()
        model = self.model
        baseline_titles, baseline_days = self.titles_with({})
        if (
            baseline_titles >= target_titles - ROUNDING_SLACK
            and baseline_days >= target_shoot_days - ROUNDING_SLACK
            # each target alone is within reach; both at once?
            and self.most_shoot_days_with(target_titles) >= target_shoot_days - ROUNDING_SLACK
        ):
            return Expansion(
                target_titles,
                target_shoot_days,
                baseline_titles,
                baseline_days,
                None,
                None,
                (),
                0,
                met=True,
                proven=True,
                status=SolveStatus.OPTIMAL,
                seconds=time.perf_counter() - started,
                status_text=SolveStatus.OPTIMAL.value,
            )
        reachable_titles, reachable_days = self.titles_with(
            {c.key: c.max_count for c in model.candidates}
        )
        want_titles = min(target_titles, reachable_titles)
        # both at once: the most shoot days every candidate allows with that many titles
        reachable_days = min(reachable_days, self.most_shoot_days_with(want_titles))
        want_days = min(target_shoot_days, reachable_days)
        self.fix_additions({})
        self._ask("titles", want_titles - GAIN_SLACK)
        self._ask("shoot_days", want_days - GAIN_SLACK)
        self.free_additions()
        solution = self._mip("cost", maximise=False)
        self._ask("titles", 0)
        self._ask("shoot_days", 0)
        counts = self._counts(solution) if solution.objective is not None else {}
        steps = self.ranked_steps(counts) if counts else []
        return Expansion(
            target_titles,
            target_shoot_days,
            baseline_titles,
            baseline_days,
            reachable_titles,
            reachable_days,
            tuple(steps),
            self.cost(counts),
            met=solution.objective is not None
            and want_titles >= target_titles - ROUNDING_SLACK
            and want_days >= target_shoot_days - ROUNDING_SLACK,
            proven=solution.proven,
            status=solution.status,
            seconds=time.perf_counter() - started,
            status_text=solution.status_text,
        )

    def budget(self, budget: int) -> BudgetAnswer:
        """With ``budget`` yuan of additions, the most titles."""
        baseline_titles, _ = self.titles_with({})
        self.free_additions()
        self._ask("budget", budget)
        # a finer gap than the expansion's: the cost only breaks ties between equal titles
        solution = self._mip("titles_then_cost", maximise=True, gap=BUDGET_GAP)
        self._ask("budget", NO_BUDGET)
        counts = self._counts(solution) if solution.objective is not None else {}
        steps = self.ranked_steps(counts) if counts else []
        self.fix_additions({})
        return BudgetAnswer(
            budget,
            tuple(steps),
            self.cost(counts),
            steps[-1].titles_after if steps else baseline_titles,
            baseline_titles,
            solution.proven,
            solution.status,
            solution.status_text,
        )

    def rush_order(self, count: int) -> RushAnswer:
        """The cheapest additions that let the rush titles shoot too, the others kept.

        The others keep the most titles they reach without the order; the order
        gets as many of its ``count`` titles as every candidate together allows.
        """
        started = time.perf_counter()
        model = self.model
        self.fix_additions({})
        baseline = self.maximise("others").objective or 0.0
        self._ask("others", baseline - ROUNDING_SLACK)
        fit_now = self.maximise("rush").objective or 0.0
        title_ids = tuple(sorted(model.rush))

        def answer(
            reachable: float | None,
            steps: Sequence[Step],
            cost: int,
            met: bool,
            solved: LpSolution,
        ) -> RushAnswer:
            self._ask("rush", 0)
            self._ask("others", 0)
            self.fix_additions({})
            return RushAnswer(
                count,
                title_ids,
                baseline,
                fit_now,
                reachable,
                tuple(steps),
                cost,
                met,
                solved.proven,
                solved.status,
                solved.status_text,
                time.perf_counter() - started,
            )

        if fit_now >= count - ROUNDING_SLACK:
            done = LpSolution(0.0, SolveStatus.OPTIMAL, 0.0)
            return answer(None, (), 0, True, done)
        self.fix_additions({c.key: c.max_count for c in model.candidates})
        reachable = self.maximise("rush").objective or 0.0
        if reachable <= fit_now + GAIN_SLACK:  # no candidate lets one more in: no MIP to ask
            done = LpSolution(0.0, SolveStatus.OPTIMAL, 0.0)
            return answer(reachable, (), 0, False, done)
        want = min(float(count), reachable)
        self.fix_additions({})
        self._ask("rush", want - GAIN_SLACK)
        self.free_additions()
        solution = self._mip("cost", maximise=False)
        self._ask("rush", 0)  # the steps are measured with the others kept, the order free
        counts = self._counts(solution) if solution.objective is not None else {}
        steps = self.ranked_steps(counts, "rush") if counts else []
        met = solution.objective is not None and want >= count - ROUNDING_SLACK
        return answer(reachable, steps, self.cost(counts), met, solution)

    def idle(self, priority_lp: float) -> tuple[list[IdleCell], int, bool]:
        """Set-days nobody can use, and set-days each base could sell keeping the priority bound.

        Each base is asked alone (the others sell nothing): what one base
        manager can rent out. Asked all at once, the bases share what can go;
        the second value is that total. Above ``ALONE_MAX_BASES`` bases each
        base gets its share of the sale all at once instead (third value False).
        """
        model = self.model
        calendar = model.calendar
        scenario = model.scenario
        self.fix_additions({})
        # set-days of each (base, type, bucket) that titles could use at most
        potential: dict[tuple[str, str, int], int] = {}
        for columns in model.titles.values():
            needs = columns.title.days_by_set_type()
            for k, days in columns.shoot_days.items():
                free = int(days.upBound or 0)
                for base_id in columns.hosts:
                    for set_type, need in needs.items():
                        key = (base_id, set_type, k)
                        potential[key] = potential.get(key, 0) + min(need, free)
        cells: dict[str, list[tuple[str, Bucket, int, int]]] = defaultdict(list)
        for base_id, set_type in sorted(scenario.sets_by_base_and_type):
            for bucket in model.buckets:
                open_days = calendar.set_days(base_id, set_type, bucket.first, bucket.last)
                unusable = max(0, open_days - potential.get((base_id, set_type, bucket.index), 0))
                cells[base_id].append((set_type, bucket, open_days, unusable))

        def offer(base_ids: set[str]) -> LpSolution:
            # the same objective every time (all sold set-days); bounds say who may sell
            for (base_id, set_type, k), column in model.sold.items():
                open_days = calendar.set_days(
                    base_id, set_type, model.buckets[k].first, model.buckets[k].last
                )
                column.upBound = open_days if base_id in base_ids else 0
            return self.maximise("sold")

        self._ask("priority", priority_lp - 1e-6)
        together = offer(set(cells))
        each_alone = len(cells) <= ALONE_MAX_BASES
        idle = []
        for base_id, base_cells in cells.items():
            alone = offer({base_id}) if each_alone else together
            for set_type, bucket, open_days, unusable in base_cells:
                column = model.sold[(base_id, set_type, bucket.index)]
                sold = math.floor(alone.values.get(column.name, 0.0) + ROUNDING_SLACK)
                idle.append(
                    IdleCell(base_id, set_type, bucket, open_days, unusable, max(unusable, sold))
                )
        self._ask("priority", 0)
        for column in model.sold.values():
            column.upBound = 0
        return idle, math.floor((together.objective or 0.0) + ROUNDING_SLACK), each_alone

    def binding_actors(self, solution: LpSolution) -> list[BindingActor]:
        """Actors with a binding row, most valuable first (ties by id)."""
        return _binding_actors(self.model, solution)

    def loads(self, solution: LpSolution) -> list[BucketLoad]:
        """Per bucket: open set-days, crew-days, demand and the bound's shoot days."""
        model, scenario, calendar = self.model, self.model.scenario, self.model.calendar
        loads = []
        for bucket in model.buckets:
            open_set_days = sum(
                calendar.set_days(b, t, bucket.first, bucket.last)
                for (b, t) in scenario.sets_by_base_and_type
            )
            crew_days = sum(
                calendar.crew_days(c, bucket.first, bucket.last) for c in scenario.crews
            )
            in_bucket = [
                c.shoot_days[bucket.index]
                for c in model.titles.values()
                if bucket.index in c.shoot_days
            ]
            demand = sum(int(v.upBound or 0) for v in in_bucket)
            shot = sum(solution.values.get(v.name, 0.0) for v in in_bucket)
            loads.append(BucketLoad(bucket, open_set_days, crew_days, demand, shot))
        return loads


def _binding_actors(model: CapacityModel, solution: LpSolution) -> list[BindingActor]:
    best: dict[str, float] = {}
    for name, meaning in model.row_meaning.items():
        if meaning.family not in ("actor", "actor_window"):
            continue
        dual = solution.duals.get(name, 0.0)
        if dual > DUAL_TOLERANCE:
            (actor_id,) = meaning.subject
            best[actor_id] = max(best.get(actor_id, 0.0), dual)
    scenario = model.scenario
    found = [
        BindingActor(actor_id, value, len(scenario.unavailable_days("actor", actor_id)))
        for actor_id, value in best.items()
    ]
    found.sort(key=lambda b: (-b.value, b.actor_id))
    return found


def binding_actors(
    scenario: Scenario, *, bucket_days: int = WEEK, solver: CapacitySolver = "highs"
) -> list[BindingActor]:
    """Actors whose days bind the most titles ``scenario`` allows, most valuable first.

    One LP solve of the capacity model without additions (half a second on a month,
    a few seconds on a cluster of 120 bases); empty when nothing was proven.
    """
    model = CapacityModel(scenario, bucket_days=bucket_days)
    if not model.feasible:
        return []
    model.set_objective("titles")
    solution = solve_lp(model.problem, solver=solver)
    if solution.objective is None or not solution.proven:
        return []
    return _binding_actors(model, solution)


def rush_order_capacity(
    scenario: Scenario,
    rush: Sequence[Title],
    *,
    candidates: Sequence[Candidate] | None = None,
    bucket_days: int = WEEK,
    solver: CapacitySolver = "highs",
) -> RushAnswer | None:
    """What it takes to also shoot the ``rush`` titles (new ids) in ``scenario``.

    A model of the scenario with the rush titles added; ``None`` when its pins
    cannot all be kept.
    """
    if candidates is None:
        candidates = default_candidates(scenario)
    with_rush = replace(scenario, titles=(*scenario.titles, *rush))
    model = CapacityModel(
        with_rush,
        bucket_days=bucket_days,
        candidates=candidates,
        rush=(t.title_id for t in rush),
    )
    if not model.feasible:
        return None
    return _Planner(model, solver).rush_order(len(rush))


def plan_capacity(
    scenario: Scenario,
    *,
    candidates: Sequence[Candidate] | None = None,
    target_titles_per_month: float | None = None,
    target_parallel_shoots: float | None = None,
    budget: int | None = None,
    rush: Sequence[Title] = (),
    bucket_days: int = WEEK,
    solver: CapacitySolver = "highs",
) -> CapacityAnswer:
    """Ask every capacity question of ``scenario``.

    Parameters
    ----------
    candidates
        Additions the expansion may choose from; the default is one more set
        of every type each base has and one more crew, at the scenario's prices.
    target_titles_per_month, target_parallel_shoots
        The targets; the scenario's own when ``None``. Titles a month are
        scaled to the horizon (× days / 30); parallel shoots are a daily average.
    budget
        Also answer "with this many yuan, the most titles".
    rush
        Also answer "what does it take to shoot these rush titles too"
        (:func:`rush_order_capacity`; the other answers are of ``scenario`` alone).
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    if candidates is None:
        candidates = default_candidates(scenario)
    model = CapacityModel(scenario, bucket_days=bucket_days, candidates=candidates)
    seconds["build"] = time.perf_counter() - started
    columns, rows = model.size
    planner = _Planner(model, solver)
    total_priority = sum(t.priority for t in scenario.titles)
    if not model.feasible:
        return CapacityAnswer(
            scenario.name,
            scenario.days,
            bucket_days,
            solver,
            None,
            None,
            None,
            None,
            False,
            total_priority,
            len(scenario.titles),
            columns,
            rows,
            (),
            (),
            (),
            None,
            None,
            (),
            tuple(candidates),
            seconds,
            pins_can_be_kept=False,
        )
    mark = time.perf_counter()
    planner.fix_additions({})
    by_priority = planner.maximise("priority")
    by_titles = planner.maximise("titles")
    seconds["bound"] = time.perf_counter() - mark

    def floor(solution: LpSolution) -> int | None:
        """The optimum rounded down; only a proven optimum bounds anything."""
        if solution.objective is None or not solution.proven:
            return None
        return max(0, math.floor(solution.objective + ROUNDING_SLACK))

    mark = time.perf_counter()
    baseline = by_titles.objective or 0.0
    bindings = planner.bindings(by_titles)
    actors = planner.binding_actors(by_titles)
    loads = planner.loads(by_titles)
    gains = planner.gains(by_titles, baseline)
    seconds["bottlenecks"] = time.perf_counter() - mark

    mark = time.perf_counter()
    targets = scenario.targets
    per_month = target_titles_per_month or targets.titles_per_month
    parallel = target_parallel_shoots or targets.parallel_shoots_per_day
    expansion = planner.expansion(per_month * scenario.days / 30, parallel * scenario.days)
    budget_answer = planner.budget(budget) if budget is not None else None
    seconds["expansion"] = time.perf_counter() - mark

    mark = time.perf_counter()
    idle, sellable_together, sellable_alone = planner.idle(by_priority.objective or 0.0)
    seconds["idle"] = time.perf_counter() - mark

    rush_answer = None
    if rush:
        mark = time.perf_counter()
        rush_answer = rush_order_capacity(
            scenario, rush, candidates=candidates, bucket_days=bucket_days, solver=solver
        )
        seconds["rush"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - started
    return CapacityAnswer(
        scenario_name=scenario.name,
        days=scenario.days,
        bucket_days=bucket_days,
        solver=solver,
        priority_bound=floor(by_priority),
        titles_bound=floor(by_titles),
        priority_lp=by_priority.objective,
        titles_lp=by_titles.objective,
        proven=by_priority.proven and by_titles.proven,
        total_priority=total_priority,
        total_titles=len(scenario.titles),
        columns=columns,
        rows=rows,
        loads=tuple(loads),
        bindings=tuple(bindings),
        gains=tuple(gains),
        expansion=expansion,
        budget=budget_answer,
        idle=tuple(idle),
        sellable_together=sellable_together,
        sellable_alone=sellable_alone,
        candidates=tuple(candidates),
        seconds=seconds,
        binding_actors=tuple(actors),
        rush=rush_answer,
    )
