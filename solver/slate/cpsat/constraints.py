"""Constraint families of the slate model, one function per rule of the SPEC.

Each function reads the scenario and the variables and adds one family to the
model. Rules 1, 2, 3 and 5 are mostly kept by the candidate filter
(:mod:`solver.slate.candidates`): a placement only exists when the title fits its
window, the base has its set types, a set of each day's type is open and the
cast and some crew with the genre are free. What is left for the model is
that the choices fit together.

In a neighbourhood of large-neighbourhood search the model holds only the
freed titles; the fixed ones are the constants of ``variables.residual``,
which each family counts against its rule (the candidate filter already
drops most clashes with them; the families make sure of the rest).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.domain.model import Scenario
from solver.slate.cpsat.variables import BoolVar, PresenceVar, Variables

ConstraintFamily = Callable[[cp_model.CpModel, Scenario, Variables], None]


def one_placement_and_one_crew_per_title(
    model: cp_model.CpModel, scenario: Scenario, variables: Variables
) -> None:
    """Rules 1–3: a scheduled title gets exactly one placement and one crew, starting together.

    A placement fixes the base, the consecutive shoot days and the set type of
    each day; a crew option fixes the crew. Both name a first day and a city,
    and the title's start variable for that day and city ties them: it is 1
    exactly when one placement and one crew with that start and city are.
    """
    for title_vars in variables.titles.values():
        places_at: dict[tuple[int, str], list[BoolVar]] = defaultdict(list)
        for pv in title_vars.placements:
            places_at[(pv.placement.start, pv.placement.city)].append(pv.chosen)
        crews_at: dict[tuple[int, str], list[BoolVar]] = defaultdict(list)
        for cv in title_vars.crews:
            crews_at[(cv.option.start, cv.option.city)].append(cv.chosen)
        for start in title_vars.starts:
            key = (start.start, start.city)
            model.add(cp_model.LinearExpr.sum(places_at[key]) == start.chosen)
            model.add(cp_model.LinearExpr.sum(crews_at[key]) == start.chosen)
        starts = [start.chosen for start in title_vars.starts]
        model.add_at_most_one(starts)
        model.add(cp_model.LinearExpr.sum(starts) == title_vars.scheduled)


def pinned_titles_are_scheduled(
    model: cp_model.CpModel, scenario: Scenario, variables: Variables
) -> None:
    """Rule 8: a pinned title is scheduled (its pinned start, base and crew: by the filter)."""
    for title_vars in variables.titles.values():
        if title_vars.pinned:
            model.add(title_vars.scheduled == 1)


def set_hosts_one_shoot_a_day(
    model: cp_model.CpModel, scenario: Scenario, variables: Variables
) -> None:
    """Rule 4 (sets): a set hosts at most one shoot a day.

    Sets of one type at one base are interchangeable, so they are booked as a
    pool: on each day the number of booked open sets equals the number of
    titles shooting that type at that base. The cheapest open sets are booked
    first, which removes equivalent solutions without losing a better one.
    """
    users: dict[tuple[str, str, int], list[BoolVar]] = defaultdict(list)
    for pv in variables.all_placements():
        p = pv.placement
        for day, set_type in p.set_type_by_day():
            users[(p.base_id, set_type, day)].append(pv.chosen)
    for key, pool in variables.set_pools.items():
        booked = [set_day.booked for set_day in pool.sets]
        model.add(cp_model.LinearExpr.sum(booked) == cp_model.LinearExpr.sum(users[key]))
        for cheaper, dearer in itertools.pairwise(booked):
            model.add_implication(dearer, cheaper)


def base_hosts_at_most_max_crews(
    model: cp_model.CpModel, scenario: Scenario, variables: Variables
) -> None:
    """Rule 6: a base hosts at most max_crews titles a day.

    Every shoot books exactly one set, so the titles at a base on a day are
    its booked sets that day. Only days where the cap could bind get a
    constraint.
    """
    residual = variables.residual
    booked_at: dict[tuple[str, int], list[BoolVar]] = defaultdict(list)
    for pool in variables.set_pools.values():
        booked_at[(pool.base_id, pool.day)].extend(s.booked for s in pool.sets)
    for (base_id, day), booked in booked_at.items():
        # fixed titles at the base that day use part of the cap
        cap = (
            scenario.base_by_id[base_id].max_crews
            if residual is None
            else residual.cap_left(base_id, day)
        )
        if cap is not None and cap < len(booked):
            model.add(cp_model.LinearExpr.sum(booked) <= max(cap, 0))


def crew_shoots_one_title_a_day(
    model: cp_model.CpModel, scenario: Scenario, variables: Variables
) -> None:
    """Rule 4 (crews): a crew shoots at most one title a day.

    The crew's presence in a city on a day is the number of its chosen crew
    options covering that day there; presences are 0/1 and at most one city a
    day, so at most one title a day. A day that a fixed title gives the crew
    is taken.

    A pool of k interchangeable crews (:mod:`solver.slate.crew_pools`) shoots at most
    k titles a day: its titles' options covering the day equal its booked crews,
    which are booked cheapest first.
    """
    residual = variables.residual
    covering: dict[tuple[str, str, int], list[BoolVar]] = defaultdict(list)
    for title_vars in variables.titles.values():
        length = title_vars.title.shoot_days
        for cv in title_vars.crews:
            o = cv.option
            for day in range(o.start, o.start + length):
                covering[(o.crew_id, o.city, day)].append(cv.chosen)
    for crew_id, presence in variables.crew_presence.items():
        for row in presence:
            terms = covering[(crew_id, row.city, row.day)]
            model.add(cp_model.LinearExpr.sum(terms) == row.shooting)
            if residual is not None and row.day in residual.busy_days("crew", crew_id):
                model.add(row.shooting == 0)
        _one_city_a_day(model, presence)
    by_pool_day: dict[tuple[str, int], list[BoolVar]] = defaultdict(list)
    for (crew_id, _city, day), terms in covering.items():
        if (crew_id, day) in variables.crew_pool_days:
            by_pool_day[(crew_id, day)].extend(terms)
    for key, pool_day in variables.crew_pool_days.items():
        model.add(
            cp_model.LinearExpr.sum(by_pool_day[key]) == cp_model.LinearExpr.sum(pool_day.booked)
        )
        for cheaper, dearer in itertools.pairwise(pool_day.booked):
            model.add_implication(dearer, cheaper)


def actor_in_one_title_a_day(
    model: cp_model.CpModel, scenario: Scenario, variables: Variables
) -> None:
    """Rule 4 (actors): an actor is booked by at most one title a day.

    Counted over the start variables of the titles that book the actor on every
    shoot day, and over the actor-span variables of titles with scenes that book
    them on some days only (rule 10: the order of the scene days decides; each
    span is the sum of the placements that book the actor so); for an actor whose
    titles could shoot in several cities the count is split by city into
    presences, which travel (rule 7) reads. A day that a fixed title gives the
    actor is taken.
    """
    residual = variables.residual
    covering: dict[tuple[str, str, int], list[BoolVar]] = defaultdict(list)
    for title_vars in variables.titles.values():
        for span in title_vars.actor_spans:
            model.add(span.chosen == cp_model.LinearExpr.sum(list(span.placements)))
            for day in range(span.first, span.last + 1):
                covering[(span.actor_id, span.city, day)].append(span.chosen)
        for actor_id in scenario.cast_every_day(title_vars.title):
            for start in title_vars.starts:
                for day in range(start.start, start.start + start.length):
                    covering[(actor_id, start.city, day)].append(start.chosen)
    by_actor_day: dict[tuple[str, int], list[BoolVar]] = defaultdict(list)
    for (actor_id, _city, day), terms in covering.items():
        if residual is not None and day in residual.busy_days("actor", actor_id):
            for term in terms:
                model.add(term == 0)
        if actor_id not in variables.actor_presence:
            by_actor_day[(actor_id, day)].extend(terms)
    for terms in by_actor_day.values():
        if len(terms) > 1:
            model.add_at_most_one(terms)
    for actor_id, presence in variables.actor_presence.items():
        for row in presence:
            terms = covering[(actor_id, row.city, row.day)]
            model.add(cp_model.LinearExpr.sum(terms) == row.shooting)
        _one_city_a_day(model, presence)


def _one_city_a_day(model: cp_model.CpModel, presence: list[PresenceVar]) -> None:
    by_day: dict[int, list[BoolVar]] = defaultdict(list)
    for row in presence:
        by_day[row.day].append(row.shooting)
    for rows in by_day.values():
        if len(rows) > 1:
            model.add_at_most_one(rows)


def travel_between_cities(
    model: cp_model.CpModel, scenario: Scenario, variables: Variables
) -> None:
    """Rule 7: between shoots of a crew or actor in two cities lie at least the travel days.

    "At least t free days" means: after shooting in city k on day d, the crew
    or actor may shoot in city k' ≠ k on day d + t + 1 at the earliest, so
    shooting in k on d and in k' on any of d + 1 … d + t is forbidden. Fixed
    titles' shoots count the same way: a day too close to one of them is taken.
    """
    residual = variables.residual
    if residual is not None:
        for kind, table in (
            ("crew", variables.crew_presence),
            ("actor", variables.actor_presence),
        ):
            for presence in table.values():
                for row in presence:
                    if residual.blocked_mask(kind, row.who, row.city) >> row.day & 1:
                        model.add(row.shooting == 0)
    for presence in (*variables.crew_presence.values(), *variables.actor_presence.values()):
        at = {(row.city, row.day): row.shooting for row in presence}
        cities = sorted({row.city for row in presence})
        if len(cities) < 2:
            continue
        for row in presence:
            for city in cities:
                if city == row.city:
                    continue
                travel = scenario.travel_days(row.city, city)
                for later in range(row.day + 1, row.day + travel + 1):
                    other = at.get((city, later))
                    if other is not None:
                        model.add_bool_or([~row.shooting, ~other])


def crew_rests_after_max_days_in_row(
    model: cp_model.CpModel, scenario: Scenario, variables: Variables
) -> None:
    """Rule 9: a crew with max_days_in_row = n shoots on at most n of any n + 1 consecutive days.

    Shoots of different titles count together, fixed titles' shoots included.
    """
    residual = variables.residual
    for crew_id, presence in variables.crew_presence.items():
        limit = scenario.crew_by_id[crew_id].max_days_in_row
        if limit is None:
            continue
        fixed_days = set() if residual is None else set(residual.busy_days("crew", crew_id))
        by_day: dict[int, list[BoolVar]] = defaultdict(list)
        for row in presence:
            by_day[row.day].append(row.shooting)
        for first in range(scenario.days - limit):
            days = range(first, first + limit + 1)
            window = [v for day in days for v in by_day.get(day, ())]
            left = limit - sum(1 for day in days if day in fixed_days)
            if window and len(window) > left:
                model.add(cp_model.LinearExpr.sum(window) <= max(left, 0))


CONSTRAINT_FAMILIES: tuple[ConstraintFamily, ...] = (
    one_placement_and_one_crew_per_title,
    pinned_titles_are_scheduled,
    set_hosts_one_shoot_a_day,
    base_hosts_at_most_max_crews,
    crew_shoots_one_title_a_day,
    actor_in_one_title_a_day,
    travel_between_cities,
    crew_rests_after_max_days_in_row,
)
"""Every family, in rule order; the order does not change the model."""
