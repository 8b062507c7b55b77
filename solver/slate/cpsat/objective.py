"""The objective, in the SPEC's order: priority first, then cost, then finishing early.

The solve runs in phases (see :mod:`solver.slate.solve`): phase 1 maximises
:func:`priority_scheduled`; phase 2 keeps it at least at phase 1's value and
minimises :func:`cost` with :func:`finish_days` as a tie-break.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain.model import Scenario
from solver.slate.changes import Reference
from solver.slate.cpsat.variables import Variables


def priority_scheduled(variables: Variables) -> cp_model.LinearExpr:
    """Σ priority of the scheduled titles."""
    titles = list(variables.titles.values())
    return cp_model.LinearExpr.weighted_sum(
        [t.scheduled for t in titles], [t.title.priority for t in titles]
    )


def cost(scenario: Scenario, variables: Variables) -> cp_model.LinearExpr:
    """Σ set day_rate per booked set-day + Σ crew and actor day_rate per shoot day (CNY).

    A pool of interchangeable crews is costed at its cheapest crews each day: a lower
    bound on its cost, since the crews dealt after solving may cost more.
    """
    terms: list[cp_model.IntVar] = []
    rates: list[int] = []
    for set_day in variables.all_set_days():
        terms.append(set_day.booked)
        rates.append(set_day.film_set.day_rate)
    for title_vars in variables.titles.values():
        length = title_vars.title.shoot_days
        for cv in title_vars.crews:
            if variables.pooled(cv.option.crew_id):
                continue  # costed by the pool's crews booked each day, below
            terms.append(cv.chosen)
            rates.append(scenario.crew_by_id[cv.option.crew_id].day_rate * length)
        # the order of its scene days decides how long some actors are booked (rule 10)
        for span in title_vars.actor_spans:
            terms.append(span.chosen)
            rates.append(
                scenario.actor_by_id[span.actor_id].day_rate * (span.last - span.first + 1)
            )
        every_day = scenario.cast_every_day(title_vars.title)
        cast_rate = sum(scenario.actor_by_id[a].day_rate for a in every_day)
        if cast_rate:
            terms.append(title_vars.scheduled)
            rates.append(cast_rate * length)
    for pool_day in variables.crew_pool_days.values():
        terms.extend(pool_day.booked)
        rates.extend(crew.day_rate for crew in pool_day.pool.crews)
    return cp_model.LinearExpr.weighted_sum(terms, rates)


def finish_days(variables: Variables) -> cp_model.LinearExpr:
    """Σ over scheduled titles of the day after their last shoot (day numbers from 0)."""
    terms: list[cp_model.IntVar] = []
    ends: list[int] = []
    for title_vars in variables.titles.values():
        for start in title_vars.starts:
            terms.append(start.chosen)
            ends.append(start.start + start.length)
    return cp_model.LinearExpr.weighted_sum(terms, ends)


def finish_weight(variables: Variables) -> int:
    """A weight on cost larger than any Σ finish days, so that finishing early only breaks ties."""
    return 1 + sum(
        max((s.start + s.length for s in t.starts), default=0) for t in variables.titles.values()
    )


def maximise_priority(model: cp_model.CpModel, variables: Variables) -> None:
    """Phase 1: schedule the most priority."""
    model.maximize(priority_scheduled(variables))


def minimise_cost_then_finish(
    model: cp_model.CpModel, scenario: Scenario, variables: Variables, priority_floor: int
) -> None:
    """Phase 2: keep at least ``priority_floor`` scheduled, then cheapest, then earliest."""
    model.add(priority_scheduled(variables) >= priority_floor)
    model.minimize(finish_weight(variables) * cost(scenario, variables) + finish_days(variables))


def cost_ceiling(scenario: Scenario, variables: Variables) -> int:
    """More than the cost of any plan of the model's titles: each title at its dearest."""
    set_rate = max((s.day_rate for s in scenario.sets), default=0)
    crew_rate = max((c.day_rate for c in scenario.crews), default=0)
    total = 1
    for title_vars in variables.titles.values():
        title = title_vars.title
        cast_rate = sum(scenario.actor_by_id[a].day_rate for a in title.actors)
        total += title.shoot_days * (set_rate + crew_rate + cast_rate)
    return total


def maximise_priority_then_cheapest(
    model: cp_model.CpModel, scenario: Scenario, variables: Variables
) -> None:
    """One objective for a neighbourhood: the most priority, and among equals the cheapest."""
    weight = cost_ceiling(scenario, variables)
    model.maximize(weight * priority_scheduled(variables) - cost(scenario, variables))


def kept_unchanged(
    model: cp_model.CpModel, variables: Variables, reference: Reference
) -> list[cp_model.IntVar]:
    """Per title of ``reference`` in the model, a 0/1 "keeps its crew, base and days".

    The literal can be 1 only when a placement at the old base from the old first
    day and a crew option of the old crew from that day are both chosen; a title
    whose old shoot the model no longer offers gets none (it changes anyway).
    """
    literals: list[cp_model.IntVar] = []
    for title_id, title_vars in variables.titles.items():
        before = reference.choices.get(title_id)
        if before is None:
            continue
        old = before.placement
        places = [
            pv.chosen
            for pv in title_vars.placements
            if (pv.placement.base_id, pv.placement.start, pv.placement.length)
            == (old.base_id, old.start, old.length)
        ]
        crews = [
            cv.chosen
            for cv in title_vars.crews
            if (cv.option.crew_id, cv.option.start) == (before.crew_id, old.start)
        ]
        if not places or not crews:
            continue
        unchanged = model.new_bool_var(f"unchanged[{title_id}]")
        model.add(unchanged <= sum(places))
        model.add(unchanged <= sum(crews))
        literals.append(unchanged)
    return literals


def maximise_priority_then_fewest_changes(
    model: cp_model.CpModel, variables: Variables, reference: Reference
) -> None:
    """One objective for a re-plan: the most priority, then the most broken titles kept,
    then the fewest changes.

    Each broken title kept weighs more than all titles that could stay unchanged,
    and priority more than all of those together, so no saving of changes pays for
    a broken title dropped, and neither pays for a lost point of priority. Cost
    is not in the objective: the search takes a cheaper plan only among plans of
    equal priority and changes (:meth:`solver.slate.lns.Incumbent.better_than`).
    """
    literals = kept_unchanged(model, variables, reference)
    broken = [v.scheduled for t, v in variables.titles.items() if t in reference.broken]
    unchanged = 1 + len(literals)
    model.maximize(
        unchanged * (1 + len(broken)) * priority_scheduled(variables)
        + unchanged * sum(broken)
        + sum(literals)
    )
