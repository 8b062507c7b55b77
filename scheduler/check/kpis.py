"""KPIs of a plan, computed from the scenario and the plan alone.

No solver is consulted: the same plan gives the same numbers whichever solver
made it (the solver only reports its ``status``, ``priority_bound``,
``priority_proven_seconds`` and ``solve_seconds``). The result is plain JSON:
string keys, nested dicts, lists, numbers and strings; ratios are rounded to 4
decimals.

Words: a *set-day* is one set on one horizon day; it is *available* unless the
set or its base is unavailable that day, *booked* if a shoot uses it, *idle*
if available and not booked. A *crew-day* likewise. Weeks are calendar weeks,
Monday–Sunday (:mod:`scheduler.domain.weeks`; the first and last may be shorter),
labelled ``'第49周 12-01~12-06'``.

Keys
----
status : str
    ``"optimal"``, ``"feasible"``, ``"infeasible"`` or ``"error"``, as the solver says.
scheduled_titles, unscheduled_titles : int
    Titles of the scenario with shoots in the plan, and the rest.
shoots : int
    Rows of plan.csv (one title on one day).
priority_scheduled : int
    Σ priority of the scheduled titles (objective 1).
priority_bound : int or null
    The solver's proven upper bound on ``priority_scheduled``.
cost : int
    ``cost_split`` summed (CNY).
cost_split : {"sets": int, "crews": int, "actors": int}
    Σ set day_rate per shoot; Σ crew day_rate per shoot; Σ day_rate of each
    actor per day the plan books them (rule 10: every shoot day of a title without
    scenes; first to last scene day, holds included, of a title with them).
dates : list of str
    The horizon's ISO dates; ``parallel_shoots_per_day[i]`` is for ``dates[i]``.
parallel_shoots_per_day : list of int
    Titles shooting on each horizon day.
parallel_shoots : {"min": int, "mean": float, "max": int}
    Over the horizon days.
titles_finished : int
    Titles whose last shoot is inside the horizon.
titles_per_30_days : float
    ``titles_finished × 30 / days``, 2 decimals.
targets : {"parallel_shoots_per_day": int, "titles_per_month": int}
    The scenario's targets.
target_gaps : dict
    ``days_below_parallel_target`` (days with fewer parallel shoots than the
    target), ``parallel_shortfall`` (Σ over days of the shoots missing to the
    target) and ``titles_per_30_days_gap`` (titles a month missing, ≥ 0).
set_utilisation : float
    Booked set-days / available set-days, 0..1 (0 when nothing is available).
set_utilisation_by_base, set_utilisation_by_set_type : {id or type: float}
    The same ratio over the sets of one base, or of one set type.
set_utilisation_by_day : {ISO date: float}
    The same ratio over the sets on one day.
set_utilisation_by_week : {week label: float}
    The same ratio over the set-days of one week.
idle_set_days : {base_id: {set_type: {week label: int}}}
    Available set-days nobody booked: what a base manager could still sell.
crew_utilisation : float
    Crew shoot-days / available crew-days, 0..1.
crew_utilisation_by_crew : {crew_id: float}
    The same ratio per crew.
solve_seconds : float
    Wall time of the solve, as measured by the caller.
priority_proven_seconds : float or null
    Second of the solve (counted as ``solve_seconds``) at which ``priority_scheduled``
    was proven optimal — a plan in hand met the proven bound — or null when it was
    not; a solve that goes on lowering cost after has it below ``solve_seconds``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from scheduler.check.bookings import actor_bookings
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.domain.weeks import calendar_weeks, week_index_of_days

RATIO_DIGITS = 4


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, RATIO_DIGITS) if whole else 0.0


def week_labels(scenario: Scenario) -> list[str]:
    """Labels of the horizon's calendar weeks (Mon–Sun), e.g. ``'第50周 12-07~12-13'``."""
    return [week.label for week in calendar_weeks(scenario.start_date, scenario.days)]


def _cost_split(scenario: Scenario, plan: Plan) -> dict[str, int]:
    """Day rates of the sets and crews of each shoot and of the actors on their booked days."""
    sets = crews = actors = 0
    for shoot in plan.shoots:
        film_set = scenario.set_by_id.get(shoot.set_id)
        crew = scenario.crew_by_id.get(shoot.crew_id)
        sets += film_set.day_rate if film_set else 0
        crews += crew.day_rate if crew else 0
    for booking in actor_bookings(scenario, plan):
        actor = scenario.actor_by_id.get(booking.actor_id)
        actors += actor.day_rate * len(booking.dates) if actor else 0
    return {"sets": sets, "crews": crews, "actors": actors}


def _utilisation(
    booked: Iterable[tuple[str, int]], available: dict[str, frozenset[int]]
) -> tuple[int, int]:
    """(booked available days, available days) summed over the given resources."""
    used = sum(1 for resource_id, day in booked if day in available.get(resource_id, ()))
    return used, sum(len(days) for days in available.values())


def compute_kpis(
    scenario: Scenario,
    plan: Plan,
    *,
    status: str,
    priority_bound: int | None,
    solve_seconds: float,
    priority_proven_seconds: float | None = None,
) -> dict[str, Any]:
    """Every KPI of ``plan`` (see the module docstring for the keys)."""
    horizon = range(scenario.days)
    weeks = week_labels(scenario)
    week_of_day = week_index_of_days(calendar_weeks(scenario.start_date, scenario.days))

    titles_on_day: list[set[str]] = [set() for _ in horizon]
    booked_sets: set[tuple[str, int]] = set()
    crew_days: set[tuple[str, int]] = set()
    last_shoot: dict[str, int] = {}
    for shoot in plan.shoots:
        day = scenario.day_index(shoot.date)
        if shoot.title_id in scenario.title_by_id:
            last_shoot[shoot.title_id] = max(day, last_shoot.get(shoot.title_id, day))
        if 0 <= day < scenario.days:
            titles_on_day[day].add(shoot.title_id)
            booked_sets.add((shoot.set_id, day))
            crew_days.add((shoot.crew_id, day))

    set_open = {
        s.set_id: frozenset(horizon) - scenario.unavailable_days("set", s.set_id)
        for s in scenario.sets
    }
    crew_open = {
        c.crew_id: frozenset(horizon) - scenario.unavailable_days("crew", c.crew_id)
        for c in scenario.crews
    }

    # booked / available set-days, tallied once per set and day into each view
    tallies: dict[str, dict[str, list[int]]] = {
        view: defaultdict(lambda: [0, 0]) for view in ("base", "set_type", "day", "week")
    }
    idle: dict[str, dict[str, dict[str, int]]] = {}
    for film_set in scenario.sets:
        idle_weeks = idle.setdefault(film_set.base_id, {}).setdefault(
            film_set.set_type, dict.fromkeys(weeks, 0)
        )
        for day in sorted(set_open[film_set.set_id]):
            used = int((film_set.set_id, day) in booked_sets)
            week = weeks[week_of_day[day]]
            for view, key in (
                ("base", film_set.base_id),
                ("set_type", film_set.set_type),
                ("day", scenario.date_of(day).isoformat()),
                ("week", week),
            ):
                tallies[view][key][0] += used
                tallies[view][key][1] += 1
            idle_weeks[week] += 1 - used

    def by(view: str, keys: Iterable[str]) -> dict[str, float]:
        return {key: _ratio(*tallies[view].get(key, [0, 0])) for key in keys}

    crew_used = Counter(crew_id for crew_id, day in crew_days if day in crew_open.get(crew_id, ()))

    parallel = [len(titles) for titles in titles_on_day]
    cost_split = _cost_split(scenario, plan)
    scheduled = [t for t in scenario.titles if t.title_id in last_shoot]
    finished = sum(1 for day in last_shoot.values() if 0 <= day < scenario.days)
    per_30 = round(finished * 30 / scenario.days, 2) if scenario.days else 0.0
    target = scenario.targets
    return {
        "status": status,
        "scheduled_titles": len(scheduled),
        "unscheduled_titles": len(scenario.titles) - len(scheduled),
        "shoots": len(plan.shoots),
        "priority_scheduled": sum(t.priority for t in scheduled),
        "priority_bound": priority_bound,
        "cost": sum(cost_split.values()),
        "cost_split": cost_split,
        "dates": [when.isoformat() for when in scenario.dates],
        "parallel_shoots_per_day": parallel,
        "parallel_shoots": {
            "min": min(parallel, default=0),
            "mean": round(sum(parallel) / len(parallel), 2) if parallel else 0.0,
            "max": max(parallel, default=0),
        },
        "titles_finished": finished,
        "titles_per_30_days": per_30,
        "targets": {
            "parallel_shoots_per_day": target.parallel_shoots_per_day,
            "titles_per_month": target.titles_per_month,
        },
        "target_gaps": {
            "days_below_parallel_target": sum(
                1 for n in parallel if n < target.parallel_shoots_per_day
            ),
            "parallel_shortfall": sum(
                max(0, target.parallel_shoots_per_day - n) for n in parallel
            ),
            "titles_per_30_days_gap": round(max(0.0, target.titles_per_month - per_30), 2),
        },
        "set_utilisation": _ratio(*_utilisation(booked_sets, set_open)),
        "set_utilisation_by_base": by("base", (b.base_id for b in scenario.bases)),
        "set_utilisation_by_set_type": by("set_type", scenario.set_types),
        "set_utilisation_by_day": by("day", (when.isoformat() for when in scenario.dates)),
        "set_utilisation_by_week": by("week", weeks),
        "idle_set_days": idle,
        "crew_utilisation": _ratio(*_utilisation(crew_days, crew_open)),
        "crew_utilisation_by_crew": {
            crew_id: _ratio(crew_used[crew_id], len(days)) for crew_id, days in crew_open.items()
        },
        "solve_seconds": round(solve_seconds, 3),
        "priority_proven_seconds": None
        if priority_proven_seconds is None
        else round(priority_proven_seconds, 3),
    }
