"""Crews that no rule tells apart, pooled so that the exact model does not either.

Two crews are interchangeable when every rule treats them alike: they shoot the
same genres (rule 3), are unavailable on the same days (rule 5), have no limit
on days in a row (rule 9) and no pin names either (rule 8), and no crew ever
travels (rule 7: every base lies in one city). In the exact model a title then
chooses a *pool* and a start, and each day at most as many of the pool's titles
shoot as it has crews. That count is all the rules ask: titles of one pool are
intervals of days, and intervals whose overlap never exceeds k can always be
shared out among k identical crews (an interval graph is coloured by its largest
clique), so the pooled model keeps exactly the plans the per-crew model keeps,
without its k! copies of each one. The crew of each title is picked after
solving (:func:`assign_crews`).

Crews of one pool differ only in day rate. The model costs a pool's day as its
cheapest crews (a lower bound on what the assignment can reach); the assignment
then gives the cheapest crews as many shoot days as the intervals allow.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.domain.model import Crew, Scenario
from solver.slate.choices import Choice
from solver.slate.residual import Residual

ASSIGN_SECONDS = 2.0
"""Most time for the exact crew assignment of all pools, when the caller's deadline leaves
that much; beyond it the assignment dealt by start stands."""


@dataclass(frozen=True)
class CrewPool:
    """Interchangeable crews, cheapest first; ``pool_id`` is the first one's id."""

    crews: tuple[Crew, ...]

    @property
    def pool_id(self) -> str:
        return self.crews[0].crew_id

    @property
    def size(self) -> int:
        return len(self.crews)


@dataclass(frozen=True)
class CrewPools:
    """The pools of a scenario, by the id of each crew in them (pools of one crew included)."""

    by_crew: dict[str, CrewPool]

    def pool_of(self, crew_id: str) -> CrewPool:
        return self.by_crew[crew_id]

    @property
    def count(self) -> int:
        """Number of pools, those of one crew included."""
        return len({p.pool_id for p in self.by_crew.values()})

    def shared(self) -> list[CrewPool]:
        """Pools of more than one crew, by pool id."""
        seen = {p.pool_id: p for p in self.by_crew.values() if p.size > 1}
        return [seen[k] for k in sorted(seen)]


def crew_pools(
    scenario: Scenario,
    residual: Residual | None = None,
    crew_ids: Collection[str] | None = None,
    days: Collection[int] | None = None,
) -> CrewPools:
    """Group the crews that every rule treats alike (see the module's docstring).

    Where crews could travel (bases in more than one city) every crew is a pool of
    its own: travel days tie each crew to where it shot last. With a ``residual``
    (titles kept fixed), crews pool only with crews that the fixed titles keep busy
    on the same days: on the days left they are free alike, so the count still
    holds. With ``crew_ids``, only those crews pool (the crews a neighbourhood may use).
    With ``days`` (every day on which some title of the model could shoot), crews need
    to be alike on those days only: no title of the model sees the others.
    """
    one_city = len({b.city for b in scenario.bases}) <= 1
    pinned = {p.crew_id for p in scenario.pin_by_title.values() if p.crew_id is not None}
    groups: dict[tuple[object, ...], list[Crew]] = defaultdict(list)
    for crew in scenario.crews:
        alone = (
            not one_city
            or crew.max_days_in_row is not None
            or crew.crew_id in pinned
            or (crew_ids is not None and crew.crew_id not in crew_ids)
        )
        off = set(scenario.unavailable_days("crew", crew.crew_id))
        if residual is not None:
            off.update(residual.busy_days("crew", crew.crew_id))
        seen = frozenset(off if days is None else off.intersection(days))
        key: tuple[object, ...] = (crew.crew_id,) if alone else (frozenset(crew.genres), seen)
        groups[key].append(crew)
    by_crew: dict[str, CrewPool] = {}
    for members in groups.values():
        pool = CrewPool(tuple(sorted(members, key=lambda c: (c.day_rate, c.crew_id))))
        for crew in members:
            by_crew[crew.crew_id] = pool
    return CrewPools(by_crew)


def assign_crews(
    scenario: Scenario,
    choices: Mapping[str, Choice],
    pools: CrewPools,
    seconds: float = ASSIGN_SECONDS,
) -> dict[str, Choice]:
    """Give every title whose choice names a pool one crew of that pool, cheapest overall.

    ``choices`` name a pool by its ``pool_id``; titles of pools of one crew keep it.
    Each pool's titles are first dealt in order of start to the cheapest crew free
    from that day (a free crew always exists while the pool's daily count holds),
    then a small exact model moves shoot days to cheaper crews within ``seconds`` (for
    all pools together; 0 keeps the dealt crews).

    Raises ``ValueError`` if a pool's titles overlap on more days than it has crews.
    """
    by_pool: dict[str, list[str]] = defaultdict(list)
    for title_id, choice in choices.items():
        if pools.pool_of(choice.crew_id).size > 1:
            by_pool[choice.crew_id].append(title_id)
    assigned = dict(choices)
    until = time.monotonic() + seconds
    for pool_id, title_ids in by_pool.items():
        pool = pools.pool_of(pool_id)
        mine = {t: choices[t] for t in title_ids}
        crew_of = _deal(pool, mine)
        crew_of = _cheapest(scenario, pool, mine, crew_of, until - time.monotonic())
        for title_id, crew_id in crew_of.items():
            assigned[title_id] = Choice(choices[title_id].placement, crew_id)
    return assigned


def _deal(pool: CrewPool, choices: Mapping[str, Choice]) -> dict[str, str]:
    """Titles in order of start (longest first), each to the cheapest crew free from then."""
    free_from = {c.crew_id: 0 for c in pool.crews}
    crew_of: dict[str, str] = {}
    for title_id in sorted(
        choices, key=lambda t: (choices[t].placement.start, -choices[t].placement.length, t)
    ):
        p = choices[title_id].placement
        crew_id = next((c.crew_id for c in pool.crews if free_from[c.crew_id] <= p.start), None)
        if crew_id is None:
            raise ValueError(f"pool {pool.pool_id}: more titles on day {p.start} than crews")
        crew_of[title_id] = crew_id
        free_from[crew_id] = p.start + p.length
    return crew_of


def _cheapest(
    scenario: Scenario,
    pool: CrewPool,
    choices: Mapping[str, Choice],
    start: dict[str, str],
    seconds: float,
) -> dict[str, str]:
    """Re-assign the pool's titles to crews at least cost (one crew a day each)."""
    rates = {c.crew_id for c in pool.crews}
    if len({scenario.crew_by_id[c].day_rate for c in rates}) <= 1 or seconds <= 0:
        return start
    model = cp_model.CpModel()
    x: dict[tuple[str, str], cp_model.IntVar] = {}
    covering: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for title_id, choice in choices.items():
        p = choice.placement
        row = []
        for crew in pool.crews:
            v = model.new_bool_var("")
            x[(title_id, crew.crew_id)] = v
            row.append(v)
            for day in p.days():
                covering[(crew.crew_id, day)].append(v)
            model.add_hint(v, start[title_id] == crew.crew_id)
        model.add_exactly_one(row)
    for terms in covering.values():
        if len(terms) > 1:
            model.add_at_most_one(terms)
    model.minimize(
        cp_model.LinearExpr.weighted_sum(
            list(x.values()),
            [
                scenario.crew_by_id[crew_id].day_rate * choices[title_id].placement.length
                for title_id, crew_id in x
            ],
        )
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    solver.parameters.catch_sigint_signal = False
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start
    return {
        title_id: next(c.crew_id for c in pool.crews if solver.value(x[(title_id, c.crew_id)]))
        for title_id in choices
    }
