"""Solve a scenario with the exact CP-SAT slate model and large-neighbourhood search.

Which search runs depends on the size:

- small and medium scenarios (at most :data:`EXACT_MAX_TITLE_CREW_PAIRS` title ×
  crew pairs) build the exact model, with crews that no rule tells apart pooled
  (:mod:`solver.slate.crew_pools`). Phase 1 maximises the priority scheduled
  (CP-SAT's best bound, with the LP bound of :mod:`solver.capacity.bound` when it is
  ready, is reported as ``priority_bound``). When phase 1 proves its plan
  optimal, phase 2 keeps that priority and minimises cost, then finishing
  early. Otherwise the time phase 1 leaves goes to large-neighbourhood search
  (:mod:`solver.slate.lns`) from its plan, which also lowers cost among plans of
  equal priority;
- big scenarios (cluster-x10: 13 M variables just for the exact model) search
  neighbourhoods only, from the greedy plan.

The greedy plan, when :mod:`solver.slate.greedy` is there, is the first hint; a
plan handed in as ``hint`` (checked, e.g. the plan of the cities alone for the cities
pooled) replaces it when it schedules at least as much priority, and the solve then
never returns less priority than the hint. The returned plan is checked by the plan
checker the caller hands in (services pass :func:`scheduler.check.checker.check_plan`);
a plan that fails it is never returned as good (status ``error``).
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection

from ortools.sat.python import cp_model

from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.reasons import Reason
from solver.result import ModelSize, Phase, PlanChecker, Progress, ProgressCallback, SolveResult
from solver.slate.candidates import DEFAULT_MAX_ORDERS, Candidates, enumerate_candidates
from solver.slate.changes import Reference
from solver.slate.choices import Choice
from solver.slate.cpsat.constraints import CONSTRAINT_FAMILIES, pinned_titles_are_scheduled
from solver.slate.cpsat.model import (
    SlateModel,
    choices_cost,
    choices_of_plan,
    plan_from_choices,
)
from solver.slate.cpsat.objective import (
    finish_weight,
    maximise_priority,
    minimise_cost_then_finish,
)
from solver.slate.crew_pools import crew_pools
from solver.slate.day_orders import placement_of_shoots
from solver.slate.greedy import Group, greedy_plan
from solver.slate.lns import AroundUnscheduled, Incumbent, LargeNeighbourhoodSearch, MoveOutcome
from solver.slate.proof import ProofClock
from solver.slate.reasons import REASON_SECONDS, explain_unscheduled, take_free_room
from solver.slate.revise import (
    AROUND_MAX_TITLES,
    AROUND_WIDEST,
    SETS_MAX_TITLES,
    Repaired,
    around,
    cast_chain,
    pin_published,
    repair,
    sharing_sets,
)
from solver.slate.slices import make_groups, search_slices
from solver.status import SolveStatus
from solver.stopping import StopWatch

PHASE_1_SHARE = 0.7
"""Share of the time left after building that goes to maximising priority."""

STALL_SHARE = 0.15
STALL_MIN_SECONDS = 4.0
"""Phase 1 hands over to neighbourhood search once it has found no better plan for this
share of its time (at least this many seconds): core search gains most in its first
seconds and then stalls (Zhengzhou month, 60 s: 1269 at 14 s, 1271 at 42 s), while
neighbourhood search from its plan still climbs (1271 → 1287 in the 15 s left)."""

WEAK_BOUND_RATIO = 1.5
WEAK_BOUND_SHARE = 0.25
"""Phase 1 gives up after this share of its time while CP-SAT's bound is still above this
multiple of the priority of every title that can shoot (or it has no plan yet): its
relaxation sees nothing of the rules that bind and its search stalls (Zhengzhou full
rules, travel between three cities: bound 7,895 for 1,290 possible, 1087 after 20 s from
greedy's 1084), while large-neighbourhood search from the plan keeps improving (1134 in
40 s). On one city the bound is tight (1,307) and core search gains most."""

LNS_MIN_SECONDS = 4.0
"""Large-neighbourhood search runs only with at least this much time left."""

EXACT_MAX_TITLE_CREW_PAIRS = 60_000
"""Scenarios with more title × crew pairs skip the exact model (too big to build in
time: cluster-x10 has 1.1 M pairs, 13 M variables) and search neighbourhoods only."""

LNS_COST_SHARE = 0.15
"""Share of the neighbourhood search's time whose sub-models also minimise cost; before,
they maximise priority alone, which core-based search proves quickly (Zhengzhou full
rules, 60 s from greedy: 1182 against 1134 with cost in every sub-model)."""

SLICES_COST_SHARE = 0.05
"""The same share when a cluster is searched by slices: every group round still gains
priority (cluster-x10, 300 s: +20 in a last 24 s round, where the 42 s of cost-only
moves gained 6), and a plan with more titles matters more than a cheaper one."""

LP_BOUND_MAX_SECONDS = 15.0

DAY_LP_MAX_TITLES = 1500
"""Above this many titles only the capacity model's bound is computed: the day-indexed LP
of :mod:`solver.capacity.bound` takes minutes on a cluster of 4,578 titles."""
"""The LP bound runs beside the search for at most this long (and a tenth of the limit)."""

FINISH_SECONDS_PER_TITLE = 0.002
"""Time kept back per title in the neighbourhood-only search for reasons and the checker."""

CORE_SEARCH_WORKERS = 3
"""Up to this many workers, phase 1 runs CP-SAT's core-based search instead of its LP search.

Maximising Σ priority over 0/1 titles is a weighted Max-SAT, where core-based
search finds both better plans and better bounds than the default LP-based
search (Zhengzhou month, 60 s on 2 workers: priority 1271–1274 against
1222–1237, same bound); CP-SAT's large-neighbourhood searches still run
interleaved. With more workers CP-SAT's own portfolio includes core search.
"""

RESERVE_SECONDS = 0.25
RESERVE_SHARE = 0.01
"""Time kept back for reading the solution and checking the plan, plus a share of the
limit: CP-SAT overruns its own limit by up to half a second while presolving."""

WIDEN_MIN_SECONDS = 2.0
"""Least time left for a re-plan to try a wider move around titles it could not keep."""

REASON_SHARE = 0.05
"""Share of the limit (at most :data:`solver.slate.reasons.REASON_SECONDS`) kept back for
the reasons of the titles left out, so that a solve with them still ends by its limit
(month, 15 s: 15.3–16.1 s before, the reasons' displacement checks coming on top)."""

REVISE_FIRST_SHARE = 0.6
"""Share of a re-plan's time for its first move (the broken titles, every title left out and
the kept titles around the broken ones); the rest searches neighbourhoods of titles still
left out."""

PHASE_2_MIN_SECONDS = 3.0
"""Phase 2 runs only with at least this much time (plus the build time, a proxy for
presolve) left; shorter, it ends in presolve without a plan and is just waiting."""


def solve(
    scenario: Scenario,
    *,
    checker: PlanChecker,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    max_orders: int = DEFAULT_MAX_ORDERS,
    warm_start: bool = True,
    reference: Plan | None = None,
    published: frozenset[str] = frozenset(),
    hint: Plan | None = None,
) -> SolveResult:
    """Plan ``scenario``: most priority first, then cheapest, then earliest.

    Parameters
    ----------
    scenario
        The planning question.
    checker
        The independent plan checker (:class:`solver.result.PlanChecker`): it judges
        the greedy hint, the kept titles of a revision and the plan returned.
    time_limit
        Wall-clock seconds for the whole solve, model building included.
    seed, workers
        CP-SAT's random seed and number of search workers.
    progress
        Called with a :class:`solver.result.Progress` (elapsed seconds, objective, bound,
        phase) on every improving solution.
    stop
        When set, the search stops and the best plan so far is returned.
    max_orders
        Most set-type orders enumerated per title (see :mod:`solver.slate.candidates`).
    warm_start
        Hint the greedy plan (when :mod:`solver.slate.greedy` exists).
    reference
        An earlier plan to revise rather than plan afresh (:mod:`solver.slate.revise`):
        its titles that still keep every rule stay as they are unless moving them
        lets more priority in (fewest changes second), and the others, with the
        titles it left out, are planned again. The result's ``broken`` says which
        titles of ``reference`` broke a rule, and why.
    published
        Titles of ``reference`` whose shoots were published: kept exactly as they
        are unless a rule now breaks them.
    hint
        A plan to start from (a warm start): used when the checker accepts it for
        ``scenario`` and it schedules at least the greedy plan's priority; the
        solve then returns at least its priority (the hint itself if the search
        ends below it). Ignored with ``reference``.
    """
    run = _Run(scenario, checker, time_limit, seed, workers, progress, stop)
    try:
        if reference is not None:
            return run.revise(reference, max_orders, published)
        run.hint = run.checked_hint(hint)
        return run.at_least_hint(run.solve(max_orders, warm_start), max_orders)
    finally:
        run.close()


@dataclass
class _Phase:
    """What one CP-SAT run gave."""

    values: list[int] | None
    objective: int | None
    bound: int | None
    proven: bool
    infeasible: bool


class _Run:
    """One call of :func:`solve`: its clock, its log and its settings."""

    def __init__(
        self,
        scenario: Scenario,
        checker: PlanChecker,
        time_limit: float,
        seed: int,
        workers: int,
        progress: ProgressCallback | None,
        stop: threading.Event | None,
    ) -> None:
        self.scenario = scenario
        self.checker = checker
        self.started = time.monotonic()
        self.deadline = self.started + time_limit
        self.reasons_reserve = min(REASON_SECONDS, REASON_SHARE * time_limit)
        self.reserve = RESERVE_SECONDS + RESERVE_SHARE * time_limit + self.reasons_reserve
        self.seed = seed
        self.workers = workers
        self.progress = progress
        self.stop = stop
        self.lines: list[str] = []
        self.proof = ProofClock(self.started)
        self.lp_bound = _LpBound.start(self, min(LP_BOUND_MAX_SECONDS, 0.1 * time_limit))
        self.hint: tuple[Plan, int] | None = None
        """A checked plan handed in to start from, with its priority."""
        self.greedy_priority: int | None = None
        """The greedy plan's priority, reported as the result's ``greedy_priority``."""

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def close(self) -> None:
        """Release what runs beside the search (the LP bound's process)."""
        if self.lp_bound is not None:
            self.lp_bound.close()

    def log(self, line: str) -> None:
        self.lines.append(f"[{self.elapsed():6.2f}s] {line}")

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    # -- the phases ----------------------------------------------------------

    def solve(self, max_orders: int, warm_start: bool) -> SolveResult:
        pairs = len(self.scenario.titles) * len(self.scenario.crews)
        if pairs > EXACT_MAX_TITLE_CREW_PAIRS:
            self.log(f"{pairs} title × crew pairs: neighbourhood search only")
            return self._solve_by_lns(max_orders)
        pools = crew_pools(self.scenario)
        candidates = enumerate_candidates(self.scenario, max_orders)
        self.log(f"candidates: {candidates.summary()}")
        if candidates.contradictory_pins:
            problems = tuple(
                f"钉住的剧目 {t} 排不进去：{reason}"
                for t, reason in candidates.contradictory_pins.items()
            )
            return self._infeasible(candidates, problems, ModelSize())

        slate = SlateModel(self.scenario, candidates, pools=pools)
        variables, constraints = slate.size
        size = ModelSize(
            variables,
            constraints,
            candidates.placement_count,
            candidates.crew_option_count,
            self.elapsed(),
        )
        self.log(
            f"model: {variables} variables, {constraints} constraints "
            f"({', '.join(f'{v} {k}' for k, v in slate.variables.counts.items())}); "
            f"crews in {pools.count} pools "
            f"({', '.join(str(p.size) for p in pools.shared()) or 'none shared'})"
        )

        greedy, greedy_priority = self._start(warm_start)
        if greedy is not None:
            choices, unmatched = slate.choices_from_plan(greedy)
            slate.set_hint(slate.values_for(choices))
            self.log(
                f"start: priority {greedy_priority}, {len(choices)} titles hinted, "
                f"{len(unmatched)} not matching any placement"
            )

        maximise_priority(slate.model, slate.variables)
        phase_2_needs = PHASE_2_MIN_SECONDS + size.build_seconds + self.reserve
        left = self.deadline - time.monotonic()
        now, searching = time.monotonic(), left - self.reserve
        # too short a limit for two useful phases: all of it goes to priority
        share = PHASE_1_SHARE if searching * (1 - PHASE_1_SHARE) >= phase_2_needs else 1.0
        phase_1_until = now + searching * share
        # with a warm start, what phase 1 leaves goes to neighbourhood search, not phase 2
        lns_until = self.deadline - self.reserve if warm_start else phase_1_until
        possible = sum(c.title.priority for c in candidates.by_title.values() if c.possible)
        # CP-SAT proves only over the set-type orders it was given; where a title's orders
        # were capped its proof and bound say nothing of the full problem
        exact = not any(c.orders_capped for c in candidates.by_title.values())
        if exact:
            self.proof.bound(possible)
        first = self._run_phase(
            slate,
            "phase 1 (priority)",
            phase_1_until,
            Phase.PRIORITY,
            weak_bound=WEAK_BOUND_RATIO * possible if lns_until > phase_1_until else None,
            stall=lns_until > phase_1_until,
            proves=exact,
        )
        if first.infeasible:
            return self._infeasible(candidates, self._conflicting_pins(candidates), size)
        searches = lns_until - time.monotonic() >= LNS_MIN_SECONDS and not self.stopped()
        if first.values is None or first.objective is None:
            if greedy is None or greedy_priority is None or not searches:
                cpsat_bound = _clamp(first.bound, candidates) if exact else None
                return self._fallback(candidates, greedy, greedy_priority, cpsat_bound, size)
            # no CP-SAT plan yet: the neighbourhood search starts from the greedy plan
            values = slate.values_for(slate.choices_from_plan(greedy)[0])
            priority = greedy_priority
        else:
            values, priority = first.values, first.objective
        choices = slate.choices_from_values(values)
        proven_by_cpsat = first.proven and exact
        if exact:
            bound = priority if first.proven else self._bound(_clamp(first.bound, candidates))
        else:
            bound = self._bound(sum(t.priority for t in self.scenario.titles))
        if not proven_by_cpsat and priority < (bound or priority + 1) and searches:
            choices = self._lns(choices, max_orders, bound, lns_until)
            values = slate.values_for(choices)
            priority = sum(self.scenario.title_by_id[t].priority for t in choices)

        if self.stopped() or self.deadline - time.monotonic() < phase_2_needs:
            self.log("phase 2 skipped: stopped, searched neighbourhoods or too little time left")
        else:
            minimise_cost_then_finish(slate.model, self.scenario, slate.variables, priority)
            slate.set_hint(values)
            second = self._run_phase(
                slate, "phase 2 (cost, then finish)", self.deadline - self.reserve, Phase.COST
            )
            if second.values is not None:
                before = choices_cost(self.scenario, choices)
                choices = slate.choices_from_values(second.values)
                after = choices_cost(self.scenario, choices)
                self.log(f"phase 2: cost {before:,} → {after:,} CNY")

        proven = proven_by_cpsat or priority == bound
        status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
        plan, reasons = self._explained(candidates, choices, proven)
        return self._finish(plan, status, priority, bound, self.greedy_priority, size, reasons)

    def _run_phase(
        self,
        slate: SlateModel,
        name: str,
        until: float,
        phase: Phase,
        weak_bound: float | None = None,
        stall: bool = False,
        proves: bool = False,
    ) -> _Phase:
        """One CP-SAT run on the whole model until ``until`` (a ``time.monotonic`` time).

        ``phase`` says what the model's objective is: a priority phase runs core-based
        search (see :data:`CORE_SEARCH_WORKERS`), and its progress reports say which.
        With ``weak_bound``, the run gives up early while its bound stays above it
        (see :data:`WEAK_BOUND_RATIO`); with ``stall``, once it has found nothing
        better for a while (see :data:`STALL_SHARE`). With ``proves``, the run's bound
        holds for the whole scenario and goes to the proof clock with its plans.
        """
        started = time.monotonic()
        limit = max(0.01, until - started)
        solver = cp_model.CpSolver()
        # Ctrl-C belongs to the caller (CLI, app): CP-SAT's own handler aborts off the main thread
        solver.parameters.catch_sigint_signal = False
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.seed
        # symmetry breaking in presolve may fix variables against the hint; the hint matters more
        solver.parameters.symmetry_level = 0
        if phase is Phase.PRIORITY and self.workers <= CORE_SEARCH_WORKERS:
            solver.parameters.subsolvers.append("core")
        # phase 2 minimises cost × weight + finish days; progress reports the cost part
        scale = 1 if phase is Phase.PRIORITY else finish_weight(slate.variables)
        callback = _Callback(self, name, phase, scale, proves)
        hopeless = None
        if weak_bound is not None or stall:
            solver.best_bound_callback = callback.on_bound
            give_up_at = started + WEAK_BOUND_SHARE * limit
            patience = max(STALL_MIN_SECONDS, STALL_SHARE * limit)

            def hopeless() -> bool:
                now = time.monotonic()
                if weak_bound is not None and now > give_up_at:
                    bound = callback.bound
                    if bound is None or bound > weak_bound:
                        return True
                last = callback.last_solution_at
                return stall and last is not None and now - last > patience

        with StopWatch(solver, self.stop, hopeless):
            status = solver.solve(slate.model, callback)
        response = solver.response_proto
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        outcome = _Phase(
            values=list(response.solution) if found else None,
            objective=round(solver.objective_value) if found else None,
            bound=_floor_bound(solver) if found else None,
            proven=status == cp_model.OPTIMAL,
            infeasible=status == cp_model.INFEASIBLE,
        )
        if phase is Phase.PRIORITY and outcome.objective is not None:
            self.proof.plan(outcome.objective)
            if proves and outcome.bound is not None:
                # CP-SAT ends its search as soon as it proves: the proof is this moment
                self.proof.bound(outcome.objective if outcome.proven else outcome.bound)
        self.log(
            f"{name}: {solver.status_name(status)} in {solver.wall_time:.2f}s of {limit:.2f}s, "
            f"objective {outcome.objective}, bound {solver.best_objective_bound:.0f}, "
            f"{callback.solutions} solutions"
        )
        return outcome

    # -- large-neighbourhood search -------------------------------------------

    def _lns(
        self,
        choices: Mapping[str, Choice],
        max_orders: int,
        bound: int | None,
        until: float,
        local: bool = False,
        groups: Sequence[Group] = (),
    ) -> dict[str, Choice]:
        """Improve ``choices`` by large-neighbourhood search until ``until`` (monotonic).

        With ``groups`` (a cluster split by :func:`solver.slate.slices.make_groups`), the
        search re-plans whole groups first (:func:`solver.slate.slices.search_slices`).
        """
        search = LargeNeighbourhoodSearch(
            self.scenario,
            choices,
            seed=self.seed,
            workers=self.workers,
            max_orders=max_orders,
            local=local,
        )
        self.log(f"lns: from priority {search.incumbent.priority}, cost {search.incumbent.cost:,}")
        best = float(bound) if bound is not None else float("nan")
        self.proof.plan(search.incumbent.priority)

        def report(incumbent: Incumbent) -> None:
            self.proof.plan(incumbent.priority)
            if self.progress is not None:
                self.progress(Progress(self.elapsed(), incumbent.priority, best, Phase.PRIORITY))

        # priority first (the search's own objective), then a last stretch for cost
        share = SLICES_COST_SHARE if groups else LNS_COST_SHARE
        cost_from = until - share * (until - time.monotonic())
        if groups:
            search_slices(
                search, groups, cost_from, stop=self.stop, on_improvement=report, log=self.log
            )
        search.run(cost_from, stop=self.stop, on_improvement=report)
        self.log(f"lns: priority {search.incumbent.priority}; {search.stats.summary()}")
        search.cheapest = True
        found = search.run(until, stop=self.stop, on_improvement=report)
        self.log(f"lns: priority {found.priority}, cost {found.cost:,}; {search.stats.summary()}")
        return found.choices

    def _solve_by_lns(self, max_orders: int) -> SolveResult:
        """Search by slices and neighbourhoods, for scenarios too big for the exact model.

        The start is the greedy rule with each crew kept to a group of bases
        (:mod:`solver.slate.slices`); the groups are then re-planned exactly one by one.
        Should the search end below the plain greedy plan (a very short limit),
        the greedy plan is returned.
        """
        greedy, greedy_priority = self._start(True)
        groups = make_groups(self.scenario)
        sliced: Plan | None = greedy_plan(self.scenario, groups)
        if sliced is not None and self._check(sliced):
            self.log("greedy plan by groups breaks a rule; starting from the plain greedy plan")
            sliced, groups = greedy, []
        if self.hint is not None and sliced is not None and greedy is self.hint[0]:
            by_groups = sum(
                self.scenario.title_by_id[t].priority for t in sliced.scheduled_title_ids
            )
            if by_groups < self.hint[1]:
                self.log(f"slices: the hint ({self.hint[1]}) beats greedy by groups ({by_groups})")
                sliced = greedy
        start = {} if sliced is None else choices_of_plan(self.scenario, sliced)
        self.log(f"slices: {len(groups)} groups of bases with their own crews")
        bound = self._bound(sum(t.priority for t in self.scenario.titles))
        finish = self.reserve + FINISH_SECONDS_PER_TITLE * len(self.scenario.titles)
        choices = self._lns(
            start, max_orders, bound, self.deadline - finish, local=True, groups=groups
        )
        priority = sum(self.scenario.title_by_id[t].priority for t in choices)
        if greedy is not None and greedy_priority is not None and priority < greedy_priority:
            self.log(f"search ended at {priority}, below its start's {greedy_priority}: the start")
            choices, priority = choices_of_plan(self.scenario, greedy), greedy_priority
        waiting = [t.title_id for t in self.scenario.titles if t.title_id not in choices]
        candidates = enumerate_candidates(self.scenario, max_orders, title_ids=waiting)
        bound = self._bound(bound)
        proven = priority == bound
        plan, reasons = self._explained(candidates, choices, proven)
        status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
        return self._finish(
            plan, status, priority, bound, self.greedy_priority, ModelSize(), reasons
        )

    def revise(self, reference: Plan, max_orders: int, published: frozenset[str]) -> SolveResult:
        """Keep what still works of ``reference``; re-plan the rest with fewest changes."""
        repaired = repair(self.scenario, reference, self.checker)
        self.log(
            f"revise: {len(repaired.kept)} titles still keep every rule, "
            f"{len(repaired.dropped)} broke one"
        )
        for title_id, reason in list(repaired.dropped.items())[:20]:
            self.log(f"revise: {title_id} must move — {reason}")
        broke = [t for t in repaired.dropped if t in self.scenario.title_by_id]
        keep = Reference(repaired.kept, published & repaired.kept.keys(), frozenset(broke))
        search = LargeNeighbourhoodSearch(
            self.scenario, repaired.kept, seed=self.seed, workers=self.workers,
            max_orders=max_orders, neighbourhoods=(AroundUnscheduled(),), reference=keep,
        )  # fmt: skip
        waiting = search.state.unscheduled()
        if len(waiting) * len(self.scenario.crews) > EXACT_MAX_TITLE_CREW_PAIRS:
            self.log(f"revise: {len(waiting)} titles to re-plan is too many; planning afresh")
            return self._afresh_keeping(repaired, keep.published, max_orders)
        finish = self.reserve + FINISH_SECONDS_PER_TITLE * len(self.scenario.titles)
        until = self.deadline - finish
        # room is made around the titles that broke and the titles new since the reference
        earlier = reference.scheduled_title_ids | reference.unscheduled.keys()
        new = [t.title_id for t in self.scenario.titles if t.title_id not in earlier]
        freed = [*waiting, *around(self.scenario, repaired.kept, [*broke, *new], keep.published)]
        first_seconds = REVISE_FIRST_SHARE * (until - time.monotonic())
        self.proof.plan(search.incumbent.priority)
        outcome = self._free(search, freed, first_seconds, until)
        self.log(
            f"revise: first move frees {len(freed)} titles: priority "
            f"{search.incumbent.priority}, {len(keep.lost(search.incumbent.choices))} broken "
            f"left out, {len(keep.changed(search.incumbent.choices))} changed, "
            f"proven {outcome.proven}"
        )
        self._follow_chains([*broke, *new], search, keep.published, until)
        self._widen_around([*broke, *new], search, outcome.proven, keep.published, until)
        if until - time.monotonic() >= 1.0 and search.state.unscheduled():
            search.run(until, stop=self.stop, on_improvement=lambda i: self.proof.plan(i.priority))
            self.log(f"revise: lns {search.stats.summary()}")
        choices = search.incumbent.choices
        pinned_out = [t for t in self.scenario.pin_by_title if t not in choices]
        if pinned_out:
            self.log(f"revise: pinned titles {pinned_out} do not fit; planning afresh")
            return self._afresh_keeping(repaired, keep.published, max_orders)
        priority = search.incumbent.priority
        if self.progress is not None:
            self.progress(Progress(self.elapsed(), priority, float("nan"), Phase.PRIORITY))
        still_waiting = [t.title_id for t in self.scenario.titles if t.title_id not in choices]
        candidates = enumerate_candidates(self.scenario, max_orders, title_ids=still_waiting)
        bound = self._bound(None)
        proven = bound is not None and priority == bound
        self.log(
            f"revise: priority {priority}, {len(choices)} titles, "
            f"{len(keep.changed(choices))} kept titles changed"
        )
        plan, reasons = self._explained(candidates, choices, proven)
        status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
        result = self._finish(plan, status, priority, bound, None, ModelSize(), reasons)
        return replace(result, broken=repaired.dropped)

    def _follow_chains(
        self,
        affected: Sequence[str],
        search: LargeNeighbourhoodSearch,
        published: frozenset[str],
        until: float,
    ) -> None:
        """Escalate for affected titles the first move left out, while time is left: free
        the chains of their actors' titles (:func:`solver.slate.revise.cast_chain`) with
        titles around them, then the titles booking the set types they need
        (:func:`solver.slate.revise.sharing_sets`)."""
        s = self.scenario

        def actors(kept: Mapping[str, Choice], out: list[str]) -> list[str]:
            chain = cast_chain(s, kept, out, published)
            return [*chain, *around(s, kept, out, published, AROUND_MAX_TITLES // 2)]

        def set_pools(kept: Mapping[str, Choice], out: list[str]) -> list[str]:
            return sharing_sets(s, kept, out, published, SETS_MAX_TITLES)

        for name, pick in (("shared actors", actors), ("set pools", set_pools)):
            out = [t for t in affected if t not in search.incumbent.choices]
            left = until - time.monotonic()
            if not out or left < WIDEN_MIN_SECONDS:
                return
            freed = [*search.state.unscheduled(), *pick(search.incumbent.choices, out)]
            outcome = self._free(search, freed, REVISE_FIRST_SHARE * left, until)
            self.log(
                f"revise: {len(out)} affected titles still out; a move by {name} freeing "
                f"{len(freed)} titles: priority {search.incumbent.priority}, "
                f"{sum(t not in search.incumbent.choices for t in out)} of them out, "
                f"proven {outcome.proven}"
            )

    def _widen_around(
        self,
        affected: Sequence[str],
        search: LargeNeighbourhoodSearch,
        proven: bool,
        published: frozenset[str],
        until: float,
    ) -> None:
        """Free twice as many titles around the affected ones still left out, while the
        narrower move was proven (nothing more to find in it) and time is left."""
        limit = AROUND_MAX_TITLES
        while proven and limit < AROUND_WIDEST:
            out = [t for t in affected if t not in search.incumbent.choices]
            left = until - time.monotonic()
            if not out or left < WIDEN_MIN_SECONDS:
                return
            limit *= 2
            kept = search.incumbent.choices
            freed = [
                *search.state.unscheduled(),
                *around(self.scenario, kept, out, published, limit),
            ]
            outcome = self._free(search, freed, REVISE_FIRST_SHARE * left, until)
            proven = outcome.proven
            self.log(
                f"revise: {len(out)} affected titles still out; a move freeing {len(freed)} "
                f"titles: priority {search.incumbent.priority}, proven {proven}"
            )

    def _free(
        self, search: LargeNeighbourhoodSearch, freed: list[str], seconds: float, until: float
    ) -> MoveOutcome:
        """Re-plan the ``freed`` titles for up to ``seconds``; keep the result if it is better."""
        outcome = search.move(freed, seconds, self.stop, deadline=until)
        if outcome.choices is not None:
            search.accept(outcome.choices)
            self.proof.plan(search.incumbent.priority)
        return outcome

    def _afresh_keeping(
        self, repaired: Repaired, published: frozenset[str], max_orders: int
    ) -> SolveResult:
        """Plan afresh, the published titles that still keep the rules pinned where they are."""
        self.scenario = pin_published(self.scenario, repaired.kept, published)
        # the re-plan's plans need not keep the new pins; its bounds (the LP's) still hold
        self.proof = ProofClock(self.started)
        return replace(self.solve(max_orders, True), broken=repaired.dropped)

    def _bound(self, bound: int | None) -> int | None:
        """The lower of ``bound`` and the LP bound (:mod:`solver.capacity.bound`) once ready."""
        if bound is not None:
            self.proof.bound(bound)
        found = self.lp_bound.result() if self.lp_bound is not None else None
        if found is None:
            return bound
        if self.lp_bound is not None and self.lp_bound.ready_at is not None:
            self.proof.bound(found, self.lp_bound.ready_at)
        self.log(f"LP bound: {found}")
        return found if bound is None else min(bound, found)

    # -- outcomes ------------------------------------------------------------

    def _finish(
        self,
        plan: Plan,
        status: SolveStatus,
        priority: int,
        bound: int | None,
        greedy_priority: int | None,
        size: ModelSize,
        reasons: Mapping[str, Reason] | None = None,
    ) -> SolveResult:
        in_plan = sum(self.scenario.title_by_id[t].priority for t in plan.scheduled_title_ids)
        if in_plan != priority:  # titles put in after the search (take_free_room)
            self.log(f"priority {priority} → {in_plan} with the titles put in after the search")
            priority = in_plan
        problems = tuple(self._check(plan))
        if problems:
            status = SolveStatus.ERROR
            self.log(f"checker: {len(problems)} violation(s); the plan is not to be used")
        cost = plan_cost(self.scenario, plan)
        proven_at = self.proof.proven_at() if status is SolveStatus.OPTIMAL else None
        if status is SolveStatus.OPTIMAL and proven_at is None:
            # not expected (every proof a status rests on is on the clock); the end is still true
            self.log("proof clock: optimal without a recorded proof; timed at the end")
            proven_at = self.elapsed()
        self.log(
            f"done: {status.value}, priority {priority}, bound {bound}, cost {cost}, "
            f"priority proven at {'–' if proven_at is None else f'{proven_at:.2f}s'}"
        )
        return SolveResult(
            plan=plan,
            status=status,
            priority_scheduled=priority,
            priority_bound=bound,
            priority_proven_seconds=proven_at,
            solve_seconds=self.elapsed(),
            cost=cost,
            greedy_priority=greedy_priority,
            model_size=size,
            problems=problems,
            log=tuple(self.lines),
            reasons=dict(reasons or {}),
        )

    def _fallback(
        self,
        candidates: Candidates,
        greedy_plan: Plan | None,
        greedy_priority: int | None,
        bound: int | None,
        size: ModelSize,
    ) -> SolveResult:
        """No CP-SAT plan in time (or stopped first): the greedy plan, else the empty plan.

        The empty plan keeps every rule unless a title is pinned; then there is no
        plan to give and the status is ``error``.
        """
        if greedy_plan is not None and greedy_priority is not None:
            self.log("no CP-SAT solution in time; returning the plan it started from")
            plan, explained = self._explained_plan(candidates, greedy_plan, False)
            return self._finish(
                plan,
                SolveStatus.FEASIBLE,
                greedy_priority,
                bound,
                self.greedy_priority,
                size,
                explained,
            )
        reasons = dict(candidates.impossible)
        for title in self.scenario.titles:
            reasons.setdefault(title.title_id, "求解在找到方案前被停止或超时，未排期")
        if not self.scenario.pin_by_title:
            self.log("no CP-SAT solution in time; returning the empty plan")
            return self._finish(Plan((), reasons), SolveStatus.FEASIBLE, 0, bound, None, size)
        result = self._finish(Plan((), reasons), SolveStatus.ERROR, 0, bound, None, size)
        return _with_problems(
            result, ("时限内没有算出任何方案（no plan found in the time limit）",)
        )

    def _infeasible(
        self, candidates: Candidates, problems: Sequence[str], size: ModelSize
    ) -> SolveResult:
        """The pins cannot all be kept: no plan, and which pins are at fault."""
        for problem in problems:
            self.log(f"infeasible: {problem}")
        reasons = dict(candidates.impossible)
        for title in self.scenario.titles:
            reasons.setdefault(title.title_id, "钉住的安排互相冲突，整个方案无解，未排期")
        return SolveResult(
            plan=Plan((), reasons),
            status=SolveStatus.INFEASIBLE,
            priority_scheduled=0,
            priority_bound=None,
            solve_seconds=self.elapsed(),
            model_size=size,
            problems=tuple(problems),
            log=tuple(self.lines),
        )

    def _conflicting_pins(self, candidates: Candidates) -> list[str]:
        """Which pinned titles cannot be scheduled together (a small infeasible core)."""
        families = [f for f in CONSTRAINT_FAMILIES if f is not pinned_titles_are_scheduled]
        slate = SlateModel(self.scenario, candidates, families)
        pinned = {t: v.scheduled for t, v in slate.variables.titles.items() if v.pinned}
        slate.model.add_assumptions(list(pinned.values()))
        solver = cp_model.CpSolver()
        # Ctrl-C belongs to the caller (CLI, app): CP-SAT's own handler aborts off the main thread
        solver.parameters.catch_sigint_signal = False
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(1.0, self.deadline - time.monotonic())
        if solver.solve(slate.model) != cp_model.INFEASIBLE:
            return ["钉住的剧目无法同时排下（未能在时限内找出是哪几部）"]
        core = set(solver.sufficient_assumptions_for_infeasibility())
        titles = [t for t, v in pinned.items() if v.index in core]
        names = "、".join(f"{t} {self.scenario.title_by_id[t].name}" for t in titles)
        return [f"这些钉住的剧目无法同时排下（演员、剧组、场景或基地冲突）：{names}"]

    # -- helpers -------------------------------------------------------------

    def _greedy(self, warm_start: bool) -> tuple[Plan | None, int | None]:
        if not warm_start:
            return None, None
        plan = greedy_plan(self.scenario)
        if self._check(plan):
            self.log("greedy plan breaks a rule; not used as a hint")
            return None, None
        priority = sum(self.scenario.title_by_id[t].priority for t in plan.scheduled_title_ids)
        self.proof.plan(priority)
        return plan, priority

    def _start(self, warm_start: bool) -> tuple[Plan | None, int | None]:
        """The plan the search starts from: the greedy plan, or the hint when it schedules
        at least as much priority (see :func:`solve`)."""
        greedy, priority = self._greedy(warm_start)
        self.greedy_priority = priority
        if self.hint is not None and (priority is None or self.hint[1] >= priority):
            self.log(f"hint: priority {self.hint[1]} (greedy {priority}); the search starts there")
            return self.hint
        return greedy, priority

    def checked_hint(self, hint: Plan | None) -> tuple[Plan, int] | None:
        """``hint`` with its priority when the checker accepts it for this scenario."""
        if hint is None:
            return None
        problems = self._check(hint)
        if problems:
            self.log(f"hint breaks {len(problems)} rule(s), e.g. {problems[0]}; not used")
            return None
        priority = sum(self.scenario.title_by_id[t].priority for t in hint.scheduled_title_ids)
        self.proof.plan(priority)
        return hint, priority

    def at_least_hint(self, result: SolveResult, max_orders: int) -> SolveResult:
        """``result``, or the hint when the search ended below the hint's priority or
        with a plan the checker refused."""
        if self.hint is None or result.status is SolveStatus.INFEASIBLE:
            return result
        hint, priority = self.hint
        if result.status is not SolveStatus.ERROR and result.priority_scheduled >= priority:
            return result
        self.log(f"search ended at {result.priority_scheduled}, below the hint's {priority}")
        waiting = [
            t.title_id for t in self.scenario.titles if t.title_id not in hint.scheduled_title_ids
        ]
        candidates = enumerate_candidates(self.scenario, max_orders, title_ids=waiting)
        plan, reasons = self._explained_plan(candidates, hint, False)
        bound = result.priority_bound
        status = (
            SolveStatus.OPTIMAL
            if bound is not None and priority >= bound
            else SolveStatus.FEASIBLE
        )
        return self._finish(
            plan, status, priority, bound, self.greedy_priority, result.model_size, reasons
        )

    def _check(self, plan: Plan) -> list[str]:
        return [violation.message for violation in self.checker(self.scenario, plan)]

    def _explained(
        self, candidates: Candidates, choices: Mapping[str, Choice], proven: bool
    ) -> tuple[Plan, dict[str, Reason]]:
        """The plan of ``choices`` with a reason for every title left out.

        A title that cannot shoot even alone keeps the candidates' reason; any other
        gets what blocks it in this plan (:mod:`solver.slate.reasons`), with a
        displacement the checker accepted where one was found.
        """
        return self._explained_plan(
            candidates, plan_from_choices(self.scenario, choices, {}), proven
        )

    def _explained_plan(
        self, candidates: Candidates, plan: Plan, proven: bool
    ) -> tuple[Plan, dict[str, Reason]]:
        """``plan`` with a reason for every title left out (see :meth:`_explained`).

        A left-out title that the reasons find fits as the plan stands is put in (see
        :func:`solver.slate.reasons.take_free_room`), and the reasons are found again for the rest.
        """
        started = time.monotonic()
        # a stopped solve returns at once: no time for checking displacements
        left = self.deadline - time.monotonic() - RESERVE_SECONDS
        seconds = 0.0 if self.stopped() else max(0.0, min(self.reasons_reserve, left))
        explained = explain_unscheduled(
            self.scenario, plan, candidates, proven=proven, checker=self.checker, seconds=seconds
        )
        filled, taken = take_free_room(self.scenario, plan, explained, self.checker)
        if taken:
            self.log(f"reasons: {', '.join(taken)} fit as the plan stands; put in")
            plan = filled
            explained = explain_unscheduled(
                self.scenario, plan, candidates, proven=proven, checker=self.checker,
                seconds=seconds,
            )  # fmt: skip
        unscheduled: dict[str, str] = {}
        for title in self.scenario.titles:
            t = title.title_id
            if t in plan.scheduled_title_ids:
                continue
            found = explained.get(t)
            alone = candidates.by_title[t].reason or plan.unscheduled.get(t, "")
            unscheduled[t] = found.text() if found is not None else alone
        moves = sum(1 for r in explained.values() if r.displacement is not None)
        self.log(
            f"reasons: {len(explained)} titles left out that could shoot alone, "
            f"{moves} displacements checked and offered, {time.monotonic() - started:.2f}s"
        )
        return replace(plan, unscheduled=unscheduled), explained


class _LpBound:
    """The LP bound (:mod:`solver.capacity.bound`), computed in a child process during the search.

    A process, not a thread: HiGHS keeps C++ threads of its own, and its banner
    is kept off standard output by redirecting the whole process's descriptor;
    in a child neither touches the caller, and a solve that ends early (time,
    Ctrl-C, the stop button) can end the child instead of leaving HiGHS
    running at interpreter exit, which aborts the process.
    """

    def __init__(self, run: _Run, seconds: float) -> None:
        self.run = run
        self.value: int | None = None
        self.ready_at: float | None = None
        """When the child had the bound (``time.monotonic``; the clock is the machine's)."""
        context = multiprocessing.get_context("spawn")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_lp_bound_in_child, args=(run.scenario, seconds, sender), daemon=True
        )
        self.process.start()
        sender.close()

    @classmethod
    def start(cls, run: _Run, seconds: float) -> _LpBound | None:
        return cls(run, seconds)

    def result(self) -> int | None:
        """The bound if it is ready (never waits)."""
        if self.value is None and not self.receiver.closed and self.receiver.poll():
            now = time.monotonic()
            try:
                found, summary, sent = self.receiver.recv()
            except (EOFError, OSError):
                found, summary, sent = None, "the LP process ended without a bound", now
            self.receiver.close()
            self.value = found
            self.ready_at = min(sent, now)
            self.run.log(f"LP bound: {summary} (ready at {self.ready_at - self.run.started:.2f}s)")
        return self.value

    def close(self) -> None:
        """End the child if it is still working; the search no longer needs it."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(timeout=5)
        if not self.receiver.closed:
            self.receiver.close()


def _lp_bound_in_child(scenario: Scenario, seconds: float, sender: Connection) -> None:
    """Body of the LP bound's child process: compute, send (bound, summary, when), exit."""
    # Ctrl-C goes to the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from solver.capacity.bound import priority_upper_bound
    from solver.capacity.model import capacity_priority_bound

    started = time.monotonic()
    try:
        # the week-bucketed capacity model first: seconds even for a cluster of 120 bases
        bound, summary = capacity_priority_bound(scenario)
        if len(scenario.titles) <= DAY_LP_MAX_TITLES:
            left = seconds - (time.monotonic() - started)
            found = priority_upper_bound(scenario, time_limit=max(left, 1.0))
            if found is not None and (bound is None or found.bound <= bound):
                bound, summary = found.bound, found.summary()
    except Exception as error:  # a failed bound must never lose the plan
        sender.send((None, f"failed: {error!r}", time.monotonic()))
        return
    sender.send((bound, summary if bound is not None else "not proven in time", time.monotonic()))


class _Callback(cp_model.CpSolverSolutionCallback):
    """Reports improving solutions to the log and the progress callback; honours the stop flag."""

    def __init__(self, run: _Run, name: str, phase: Phase, scale: int, proves: bool) -> None:
        super().__init__()
        self.scale = scale
        self.proves = proves
        self.run = run
        self.name = name
        self.phase = phase
        self.solutions = 0
        self.bound: float | None = None
        self.last_solution_at: float | None = None

    def on_bound(self, bound: float) -> None:
        """CP-SAT's best bound improved (called from its search threads)."""
        self.bound = bound / self.scale

    def on_solution_callback(self) -> None:
        self.solutions += 1
        self.last_solution_at = time.monotonic()
        objective = self.objective_value // self.scale
        bound = self.best_objective_bound // self.scale
        self.run.log(f"{self.name}: solution {objective:.0f}, bound {bound:.0f}")
        if self.phase is Phase.PRIORITY:
            self.run.proof.plan(round(objective))
            if self.proves:
                self.run.proof.bound(int(self.best_objective_bound + 1e-6))
        if self.run.progress is not None:
            self.run.progress(Progress(self.run.elapsed(), objective, bound, self.phase))
        if self.run.stopped():
            self.stop_search()


def plan_cost(scenario: Scenario, plan: Plan) -> int:
    """Σ set and crew day_rate per shoot + Σ actor day_rate per booked actor-day (CNY)."""
    total = 0
    by_title: dict[str, list[Shoot]] = defaultdict(list)
    for shoot in plan.shoots:
        total += scenario.set_by_id[shoot.set_id].day_rate
        total += scenario.crew_by_id[shoot.crew_id].day_rate
        by_title[shoot.title_id].append(shoot)
    for shoots in by_title.values():
        placement = placement_of_shoots(scenario, shoots)
        total += sum(scenario.actor_by_id[a].day_rate for _day, a in placement.actor_days())
    return total


def _clamp(bound: int | None, candidates: Candidates) -> int | None:
    """CP-SAT's bound, or the priority of every title that could shoot at all if that is lower."""
    possible = sum(c.title.priority for c in candidates.by_title.values() if c.possible)
    return possible if bound is None else min(bound, possible)


def _floor_bound(solver: cp_model.CpSolver) -> int:
    return int(solver.best_objective_bound + 1e-6)


def _with_problems(result: SolveResult, problems: Sequence[str]) -> SolveResult:
    from dataclasses import replace

    return replace(result, problems=(*result.problems, *problems))
