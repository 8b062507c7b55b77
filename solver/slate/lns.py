"""Large-neighbourhood search over the exact slate model.

The search keeps an incumbent plan (a :class:`Choice` per scheduled title).
Each move frees a *neighbourhood* of titles — scheduled ones and unscheduled
ones that could take their place — keeps every other title fixed, and solves
the exact model for the freed titles only: the fixed titles become residual
capacity (:class:`solver.slate.residual.Residual`), candidates are enumerated only
for the freed titles, and the constraint families are the exact model's.
The sub-model is hinted with the incumbent, so it can always give back what
was there; a move is accepted when Σ priority rises, or stays and cost falls.

Neighbourhood size adapts: it grows after a sub-model solved to optimality
(there was room to look wider) and shrinks after one that ran out of time.
Neighbourhoods that improved recently are picked more often.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from ortools.sat.python import cp_model

from scheduler.domain.model import Scenario
from scheduler.domain.pooling import actor_may_shoot_in
from solver.result import PlanChecker
from solver.slate.candidates import (
    DEFAULT_MAX_ORDERS,
    Candidates,
    TitleCandidates,
    Within,
    enumerate_candidates,
    set_type_orders,
)
from solver.slate.changes import Reference
from solver.slate.choices import Choice
from solver.slate.cpsat.model import SlateModel, choices_cost, plan_from_choices
from solver.slate.cpsat.objective import (
    maximise_priority,
    maximise_priority_then_cheapest,
    maximise_priority_then_fewest_changes,
)
from solver.slate.crew_pools import crew_pools
from solver.slate.greedy import Group
from solver.slate.residual import Residual
from solver.stopping import StopWatch

LOCAL_EXTRA = 8
"""Crews and bases offered beyond the freed titles' own in a local sub-model."""

MIN_SIZE = 6
MAX_SIZE = 300
"""Bounds on the number of titles a neighbourhood frees."""


@dataclass
class Incumbent:
    """The best plan so far, as choices, with its Σ priority, changes and cost (CNY).

    ``changes`` is what it costs against a re-plan's :class:`solver.slate.changes.Reference`
    (:meth:`~solver.slate.changes.Reference.penalty`: broken titles left out, then titles
    moved or dropped; 0 without one).
    """

    scenario: Scenario
    choices: dict[str, Choice]
    reference: Reference | None = None
    priority: int = 0
    changes: int = 0
    cost: int = 0

    def __post_init__(self) -> None:
        self.priority = sum(self.scenario.title_by_id[t].priority for t in self.choices)
        self.changes = 0 if self.reference is None else self.reference.penalty(self.choices)
        self.cost = choices_cost(self.scenario, self.choices)

    def better_than(self, priority: int, cost: int, changes: int = 0) -> bool:
        """Whether a plan beats this one: more priority, else a smaller penalty, else cheaper."""
        return (-priority, changes, cost) < (-self.priority, self.changes, self.cost)


@dataclass
class SearchState:
    """What neighbourhoods read: the incumbent and quick look-ups of the scenario."""

    scenario: Scenario
    incumbent: Incumbent
    frozen: frozenset[str]
    """Scheduled titles the sub-models cannot represent (a set-type order beyond
    ``max_orders``); they stay as they are."""

    def scheduled(self) -> list[str]:
        return [t for t in self.incumbent.choices if t not in self.frozen]

    def unscheduled(self) -> list[str]:
        return [
            t.title_id for t in self.scenario.titles if t.title_id not in self.incumbent.choices
        ]

    def shoot_span(self, title_id: str) -> tuple[int, int]:
        p = self.incumbent.choices[title_id].placement
        return p.start, p.last_day

    def window(self, title_id: str) -> tuple[int, int]:
        return self.scenario.title_window(self.scenario.title_by_id[title_id])


class Neighbourhood(Protocol):
    """Picks the titles one move frees (at most ``size`` of them)."""

    name: str

    def pick(self, state: SearchState, size: int, rng: random.Random) -> list[str]: ...


def _fill(
    scheduled: Sequence[str],
    unscheduled: Sequence[str],
    state: SearchState,
    size: int,
    rng: random.Random,
) -> list[str]:
    """Up to ``size`` titles: scheduled ones at random, unscheduled ones by noisy priority.

    About a third of the places go to unscheduled titles when there are any, so
    that each move both reshuffles the plan and tries to fit something new.
    """
    by_id = state.scenario.title_by_id
    waiting = sorted(unscheduled, key=lambda t: -by_id[t].priority * rng.uniform(0.5, 1.5))
    placed = list(scheduled)
    rng.shuffle(placed)
    room_for_waiting = min(len(waiting), max(1, size // 3))
    chosen = placed[: size - room_for_waiting]
    chosen += waiting[: size - len(chosen)]
    return chosen


def _overlaps(span: tuple[int, int], first: int, last: int) -> bool:
    return span[0] <= last and first <= span[1]


@dataclass
class TimeWindowInCity:
    """Titles shooting in one city for a few days, and unscheduled titles that could shoot then."""

    name: str = "time window × city"

    def pick(self, state: SearchState, size: int, rng: random.Random) -> list[str]:
        scenario = state.scenario
        city = rng.choice(scenario.cities)
        in_city = [
            t for t in state.scheduled() if state.incumbent.choices[t].placement.city == city
        ]
        # a window about wide enough to hold `size` titles of the city
        per_day = max(1.0, len(in_city) * 5 / max(1, scenario.days))
        width = max(3, min(scenario.days, round(size * 0.7 * 5 / per_day)))
        first = rng.randrange(0, max(1, scenario.days - width + 1))
        last = first + width - 1
        scheduled = [t for t in in_city if _overlaps(state.shoot_span(t), first, last)]
        unscheduled = [t for t in state.unscheduled() if _overlaps(state.window(t), first, last)]
        return _fill(scheduled, unscheduled, state, size, rng)


@dataclass
class BaseGroup:
    """Every title at a few bases of one city, and unscheduled titles of the same days."""

    name: str = "bases"

    def pick(self, state: SearchState, size: int, rng: random.Random) -> list[str]:
        scenario = state.scenario
        city = rng.choice(scenario.cities)
        bases = [b.base_id for b in scenario.bases if b.city == city]
        chosen_bases = set(rng.sample(bases, min(len(bases), rng.randint(1, 3))))
        scheduled = [
            t
            for t in state.scheduled()
            if state.incumbent.choices[t].placement.base_id in chosen_bases
        ]
        rng.shuffle(scheduled)
        scheduled = scheduled[: max(1, size * 2 // 3)]
        if scheduled:
            first = min(state.shoot_span(t)[0] for t in scheduled)
            last = max(state.shoot_span(t)[1] for t in scheduled)
        else:
            first, last = 0, scenario.days - 1
        unscheduled = [t for t in state.unscheduled() if _overlaps(state.window(t), first, last)]
        return _fill(scheduled, unscheduled, state, size, rng)


@dataclass
class AroundUnscheduled:
    """An unscheduled title of high priority, its cast's titles, and whole crews' timelines.

    The crews are a few that can shoot the title's genre; all their titles near the
    title's window are freed together, so the sub-model can repack their days and
    make room (freeing scattered titles of many crews leaves no crew a free run).
    """

    name: str = "crews and cast of an unscheduled title"

    def pick(self, state: SearchState, size: int, rng: random.Random) -> list[str]:
        scenario = state.scenario
        waiting = state.unscheduled()
        if not waiting:
            return RandomTitles().pick(state, size, rng)
        weights = [scenario.title_by_id[t].priority ** 2 for t in waiting]
        target = scenario.title_by_id[rng.choices(waiting, weights)[0]]
        first, last = scenario.title_window(target)
        first, last = first - 3, last + 3
        cast = set(target.actors)
        by_crew: dict[str, list[str]] = {}
        sharing: list[str] = []
        for t in state.scheduled():
            if not _overlaps(state.shoot_span(t), first, last):
                continue
            if cast & set(scenario.title_by_id[t].actors):
                sharing.append(t)
            else:
                by_crew.setdefault(state.incumbent.choices[t].crew_id, []).append(t)
        crews = [c.crew_id for c in scenario.crews if c.can_shoot(target.genre)]
        if scenario.pooling:  # rule 11: crews that may shoot where the target's cast may
            actors = [scenario.actor_by_id[a] for a in target.actors]
            cities = [
                city
                for city in scenario.cities
                if all(actor_may_shoot_in(scenario, a, city) for a in actors)
            ]
            home = scenario.crew_home_city
            crews = [c for c in crews if any(scenario.same_group(home[c], x) for x in cities)]
        rng.shuffle(crews)
        scheduled = list(sharing)
        chosen_crews = []
        for crew_id in crews:
            if len(scheduled) >= size * 2 // 3:
                break
            scheduled += by_crew.get(crew_id, [])
            chosen_crews.append(scenario.crew_by_id[crew_id])
        others = [
            t
            for t in waiting
            if t != target.title_id
            and _overlaps(state.window(t), first, last)
            and any(c.can_shoot(scenario.title_by_id[t].genre) for c in chosen_crews)
        ]
        rng.shuffle(scheduled)
        return [target.title_id, *_fill(scheduled, others, state, size - 1, rng)]


@dataclass
class RandomTitles:
    """Titles picked at random, scheduled or not."""

    name: str = "random"

    def pick(self, state: SearchState, size: int, rng: random.Random) -> list[str]:
        return _fill(state.scheduled(), state.unscheduled(), state, size, rng)


NEIGHBOURHOODS: tuple[Neighbourhood, ...] = (
    TimeWindowInCity(),
    BaseGroup(),
    AroundUnscheduled(),
    RandomTitles(),
)


@dataclass
class MoveOutcome:
    """What one neighbourhood's sub-model gave."""

    choices: dict[str, Choice] | None
    proven: bool


@dataclass
class LnsStats:
    """Counts of the search, for the solve log."""

    moves: int = 0
    improvements: int = 0
    by_neighbourhood: dict[str, list[int]] = field(default_factory=dict)

    def summary(self) -> str:
        parts = ", ".join(
            f"{name} {won}/{tried}" for name, (won, tried) in self.by_neighbourhood.items()
        )
        return f"{self.moves} moves, {self.improvements} improving ({parts})"


class LargeNeighbourhoodSearch:
    """Improve an incumbent plan by re-solving neighbourhoods of it with the exact model.

    Parameters
    ----------
    scenario
        The planning question.
    choices
        The starting plan as choices (a checked plan).
    seed
        Seed of the neighbourhood picks and of CP-SAT.
    workers
        CP-SAT workers per sub-model.
    max_orders
        Set-type orders per title, as in the exact model.
    checker
        When given, the independent plan checker runs after every accepted move
        (tests, debugging).
    local
        Sub-models offer freed titles only the crews and bases of the freed scheduled
        titles and a few others at random (big scenarios: every title could go to
        any of 240 crews and 120 bases, which makes a sub-model of even 40 titles
        too big to solve in seconds).
    cheapest
        Sub-models minimise cost among plans of equal priority. Without, they
        maximise priority only (and stop as soon as that is proven), and a
        cheaper plan of equal priority is still accepted when one turns up.
    reference
        A re-plan's earlier plan (:class:`solver.slate.changes.Reference`): sub-models
        maximise priority, then keep the most of it unchanged, and a move is accepted
        for more priority, else fewer changes, else less cost. Its published titles
        stay fixed.
    """

    def __init__(
        self,
        scenario: Scenario,
        choices: Mapping[str, Choice],
        *,
        seed: int = 0,
        workers: int = 2,
        max_orders: int = DEFAULT_MAX_ORDERS,
        checker: PlanChecker | None = None,
        cheapest: bool = False,
        local: bool = False,
        neighbourhoods: Sequence[Neighbourhood] = NEIGHBOURHOODS,
        reference: Reference | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.workers = workers
        self.max_orders = max_orders
        self.checker = checker
        self.cheapest = cheapest
        self.local = local
        self.neighbourhoods = list(neighbourhoods)
        self.rng = random.Random(seed)
        self.reference = reference
        frozen = frozenset(
            t
            for t, c in choices.items()
            if c.placement.set_types
            not in set_type_orders(scenario.title_by_id[t].days_by_set_type(), max_orders)
        )
        if reference is not None:
            frozen |= reference.published & choices.keys()
        incumbent = Incumbent(scenario, dict(choices), reference)
        self.state = SearchState(scenario, incumbent, frozen)
        self.size = float(max(MIN_SIZE, min(40, len(scenario.titles) // 4)))
        self.scores = {n.name: 1.0 for n in self.neighbourhoods}
        self.stats = LnsStats()

    @property
    def incumbent(self) -> Incumbent:
        return self.state.incumbent

    def run(
        self,
        deadline: float,
        *,
        stop: threading.Event | None = None,
        on_improvement: Callable[[Incumbent], None] | None = None,
        move_seconds: float = 3.0,
    ) -> Incumbent:
        """Make moves until ``deadline`` (a ``time.monotonic`` time) or ``stop``; the best plan."""
        while not (stop is not None and stop.is_set()):
            left = deadline - time.monotonic()
            if left < 0.3:
                break
            neighbourhood = self._pick_neighbourhood()
            freed = neighbourhood.pick(self.state, round(self.size), self.rng)
            if not freed:
                continue
            outcome = self.move(freed, min(move_seconds, left), stop, deadline=deadline)
            improved = outcome.choices is not None
            if improved and outcome.choices is not None:
                self.accept(outcome.choices)
                if on_improvement is not None:
                    on_improvement(self.incumbent)
            self._learn(neighbourhood.name, improved, outcome.proven)
        return self.incumbent

    def move(
        self,
        freed: Sequence[str],
        seconds: float,
        stop: threading.Event | None = None,
        within: Within | None = None,
        deadline: float | None = None,
    ) -> MoveOutcome:
        """Re-solve the ``freed`` titles around the fixed rest; new choices if they are better.

        With ``within``, the freed titles may use only those crews and bases.
        ``seconds`` is the sub-model's search time; building it comes on top, but
        the search ends by ``deadline`` (a ``time.monotonic`` time) if one is given.
        """
        choices = self.incumbent.choices
        freed_set = {t for t in freed if t not in self.state.frozen}
        fixed = {t: c for t, c in choices.items() if t not in freed_set}
        residual = Residual.of_fixed(self.scenario, fixed)
        candidates = enumerate_candidates(
            self.scenario,
            self.max_orders,
            title_ids=sorted(freed_set),
            residual=residual,
            within=within,
        )
        if self.local and within is None:
            candidates = self._near(candidates, [choices[t] for t in freed_set if t in choices])
        # a re-plan counts a title's crew kept or changed, so its crews stay apart
        pools = None
        if self.reference is None:
            crew_ids = {o.crew_id for c in candidates.by_title.values() for o in c.crew_options}
            days = {
                d for c in candidates.by_title.values() for p in c.placements for d in p.days()
            }
            pools = crew_pools(self.scenario, residual, crew_ids, days)
        slate = SlateModel(self.scenario, candidates, residual=residual, pools=pools)
        if not slate.variables.titles:
            return MoveOutcome(None, True)
        if self.reference is not None:
            maximise_priority_then_fewest_changes(slate.model, slate.variables, self.reference)
        elif self.cheapest:
            maximise_priority_then_cheapest(slate.model, self.scenario, slate.variables)
        else:
            maximise_priority(slate.model, slate.variables)
        slate.set_hint(slate.values_for({t: choices[t] for t in freed_set if t in choices}))
        solver = cp_model.CpSolver()
        # Ctrl-C belongs to the caller (CLI, app): CP-SAT's own handler aborts off the main thread
        solver.parameters.catch_sigint_signal = False
        if deadline is not None:
            seconds = min(seconds, deadline - time.monotonic())
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.rng.randrange(1 << 30)
        solver.parameters.symmetry_level = 0
        if not self.cheapest and self.reference is None:
            # priority alone is a weighted Max-SAT: core-based search proves it fastest
            solver.parameters.subsolvers.append("core")
        with StopWatch(solver, stop):
            status = solver.solve(slate.model)
        proven = status == cp_model.OPTIMAL
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return MoveOutcome(None, proven)
        found = slate.choices_from_values(list(solver.response_proto.solution))
        new_choices = {**fixed, **found}
        priority = sum(self.scenario.title_by_id[t].priority for t in new_choices)
        if priority < self.incumbent.priority:
            return MoveOutcome(None, proven)
        cost = choices_cost(self.scenario, new_choices)
        changes = 0 if self.reference is None else self.reference.penalty(new_choices)
        if not self.incumbent.better_than(priority, cost, changes):
            return MoveOutcome(None, proven)
        return MoveOutcome(new_choices, proven)

    def move_group(
        self,
        group: Group,
        seconds: float,
        stop: threading.Event | None = None,
        deadline: float | None = None,
    ) -> MoveOutcome:
        """Re-plan one slice of a cluster: its crews' titles and every unscheduled title.

        Titles the group's crews shoot at the group's bases are freed, with every
        title not scheduled; they may use only the group's crews and bases. The
        rest of the plan (other groups, and pinned titles) is fixed and leaves
        its residual: actors' days and travel, sets and base caps.
        """
        crews, bases = group.crew_ids, frozenset(group.base_ids)
        freed = [
            t
            for t, c in self.incumbent.choices.items()
            if c.crew_id in crews and c.placement.base_id in bases
        ]
        freed += self.state.unscheduled()
        return self.move(freed, seconds, stop, Within(crews, bases), deadline)

    def _near(self, candidates: Candidates, freed_choices: Sequence[Choice]) -> Candidates:
        """Candidates restricted to the freed titles' crews and bases and a few more."""
        if not freed_choices:
            return candidates
        all_crews = [c.crew_id for c in self.scenario.crews]
        all_bases = [b.base_id for b in self.scenario.bases]
        crews = {c.crew_id for c in freed_choices}
        crews |= set(self.rng.sample(all_crews, min(LOCAL_EXTRA, len(all_crews))))
        bases = {c.placement.base_id for c in freed_choices}
        bases |= set(self.rng.sample(all_bases, min(LOCAL_EXTRA, len(all_bases))))
        by_title: dict[str, TitleCandidates] = {}
        for title_id, found in candidates.by_title.items():
            if found.pinned:  # a pinned title keeps every way it has to shoot
                by_title[title_id] = found
                continue
            crew_options = tuple(o for o in found.crew_options if o.crew_id in crews)
            starts = {(o.start, o.city) for o in crew_options}
            placements = tuple(
                p for p in found.placements if p.base_id in bases and (p.start, p.city) in starts
            )
            starts = {(p.start, p.city) for p in placements}
            crew_options = tuple(o for o in crew_options if (o.start, o.city) in starts)
            by_title[title_id] = replace(
                found,
                placements=placements,
                crew_options=crew_options,
                reason=found.reason or (None if placements else "不在本次邻域的剧组和基地内"),
            )
        return Candidates(by_title, candidates.max_orders)

    # -- bookkeeping -----------------------------------------------------------

    def accept(self, choices: dict[str, Choice]) -> None:
        if self.checker is not None:
            waiting = {t.title_id: "" for t in self.scenario.titles if t.title_id not in choices}
            plan = plan_from_choices(self.scenario, choices, waiting)
            violations = self.checker(self.scenario, plan)
            assert not violations, [v.message for v in violations[:5]]
        self.state.incumbent = Incumbent(self.scenario, choices, self.reference)

    def _pick_neighbourhood(self) -> Neighbourhood:
        weights = [0.2 + self.scores[n.name] for n in self.neighbourhoods]
        return self.rng.choices(self.neighbourhoods, weights)[0]

    def _learn(self, name: str, improved: bool, proven: bool) -> None:
        """Adapt: favour neighbourhoods that improve; grow after proofs, shrink after timeouts."""
        self.stats.moves += 1
        self.stats.improvements += improved
        won_tried = self.stats.by_neighbourhood.setdefault(name, [0, 0])
        won_tried[0] += improved
        won_tried[1] += 1
        self.scores[name] = 0.8 * self.scores[name] + 0.2 * (1.0 if improved else 0.0)
        factor = 1.1 if proven else 0.85
        self.size = min(MAX_SIZE, max(MIN_SIZE, self.size * factor))
