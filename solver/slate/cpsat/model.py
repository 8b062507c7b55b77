"""The slate model composed from its parts, and the translation between choices and plans.

A :class:`Choice` (a title's placement and crew) is the only thing the model
decides that a plan needs; everything else (set bookings, presences, starts)
follows from the choices. So hints are built from choices (a greedy plan,
an earlier solution) and plans are read back as choices, with the actual set
of each shoot picked afterwards from the pool of its base and type.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from scheduler.domain.model import FilmSet, Scenario
from scheduler.domain.plan import Plan, Shoot
from solver.slate.candidates import Candidates
from solver.slate.choices import Choice
from solver.slate.cpsat.constraints import CONSTRAINT_FAMILIES, ConstraintFamily
from solver.slate.cpsat.variables import Variables, make_variables, name_variables
from solver.slate.crew_pools import CrewPools, assign_crews
from solver.slate.day_orders import placement_of_shoots
from solver.slate.residual import Residual


class SlateModel:
    """The exact time-indexed CP-SAT model of one scenario (without an objective yet).

    Parameters
    ----------
    scenario
        The planning question.
    candidates
        Pre-filtered placements and crew options of every title.
    families
        Constraint families to add, in order; all rules by default.
    readable_names
        Name every variable after what it decides (for small models and debugging).
    residual
        Bookings of titles kept fixed: the model then holds only the titles of
        ``candidates`` and fits them around the fixed ones (a neighbourhood of
        :mod:`solver.slate.lns`).
    pools
        Crews that no rule tells apart (:func:`solver.slate.crew_pools.crew_pools`,
        made with the same ``residual``): the model chooses a pool per title and the
        crews are assigned when a solution is read back.
    """

    def __init__(
        self,
        scenario: Scenario,
        candidates: Candidates,
        families: Sequence[ConstraintFamily] = CONSTRAINT_FAMILIES,
        readable_names: bool = False,
        residual: Residual | None = None,
        pools: CrewPools | None = None,
    ) -> None:
        self.scenario = scenario
        self.candidates = candidates
        self.model = cp_model.CpModel()
        self.variables: Variables = make_variables(
            self.model, scenario, candidates, residual, pools
        )
        if readable_names:
            name_variables(self.variables)
        for family in families:
            family(self.model, scenario, self.variables)

    @property
    def size(self) -> tuple[int, int]:
        """Number of variables and constraints."""
        proto = self.model.proto
        return len(proto.variables), len(proto.constraints)

    # -- choices -> variable values -------------------------------------------

    def values_for(self, choices: Mapping[str, Choice]) -> list[int]:
        """A value for every variable of the model that carries out ``choices``.

        Titles not in ``choices`` are unscheduled. Set bookings take the
        cheapest open sets of each pool, as the model requires.
        """
        values = [0] * len(self.model.proto.variables)
        used: dict[tuple[str, str, int], int] = defaultdict(int)
        pool_used: dict[tuple[str, int], int] = defaultdict(int)
        crew_at: set[tuple[str, str, int]] = set()
        pools = self.variables.pools
        actor_at: set[tuple[str, str, int]] = set()
        for title_id, choice in choices.items():
            title_vars = self.variables.titles.get(title_id)
            if title_vars is None:
                continue
            p = choice.placement
            # a crew of a pool of several is hinted as its pool
            crew_id = choice.crew_id if pools is None else pools.pool_of(choice.crew_id).pool_id
            values[title_vars.scheduled.index] = 1
            for pv in title_vars.placements:
                if pv.placement == p:
                    values[pv.chosen.index] = 1
            for cv in title_vars.crews:
                o = cv.option
                if o.crew_id == crew_id and o.start == p.start and o.city == p.city:
                    values[cv.chosen.index] = 1
            for start in title_vars.starts:
                if start.start == p.start and start.city == p.city:
                    values[start.chosen.index] = 1
            for day, set_type in p.set_type_by_day():
                used[(p.base_id, set_type, day)] += 1
                crew_at.add((crew_id, p.city, day))
                pool_used[(crew_id, day)] += 1
            for day, actor_id in p.actor_days():
                actor_at.add((actor_id, p.city, day))
        for title_vars in self.variables.titles.values():
            for span in title_vars.actor_spans:
                values[span.chosen.index] = int(any(values[v.index] for v in span.placements))
        for key, count in used.items():
            for set_day in self.variables.set_pools[key].sets[:count]:
                values[set_day.booked.index] = 1
        for pool_key, pool_day in self.variables.crew_pool_days.items():
            for booked in pool_day.booked[: pool_used.get(pool_key, 0)]:
                values[booked.index] = 1
        for crew_rows in self.variables.crew_presence.values():
            for row in crew_rows:
                if (row.who, row.city, row.day) in crew_at:
                    values[row.shooting.index] = 1
        for actor_rows in self.variables.actor_presence.values():
            for row in actor_rows:
                if (row.who, row.city, row.day) in actor_at:
                    values[row.shooting.index] = 1
        return values

    def set_hint(self, values: Sequence[int]) -> None:
        """Hint every variable with ``values`` (indexed like the model's variables)."""
        self.model.clear_hints()
        if not values:
            return
        # add_hint marks the hint as present in the proto; bulk-extending the rest is fast
        first = self.model.get_bool_var_from_proto_index(0)
        self.model.add_hint(first, values[0])
        hint = self.model.proto.solution_hint
        hint.vars.extend(range(1, len(values)))
        hint.values.extend(values[1:])

    # -- plans and solutions -> choices ---------------------------------------

    def choices_from_values(self, values: Sequence[int]) -> dict[str, Choice]:
        """The choices carried by a solution (``values`` indexed like the variables).

        Titles given a pool of crews get one of its crews
        (:func:`solver.slate.crew_pools.assign_crews`).
        """
        choices: dict[str, Choice] = {}
        for title_id, title_vars in self.variables.titles.items():
            placement = next(
                (pv.placement for pv in title_vars.placements if values[pv.chosen.index]), None
            )
            crew = next((cv.option for cv in title_vars.crews if values[cv.chosen.index]), None)
            if placement is not None and crew is not None:
                choices[title_id] = Choice(placement, crew.crew_id)
        if self.variables.pools is not None:
            return assign_crews(choices, self.variables.pools)
        return choices

    def choices_from_plan(self, plan: Plan) -> tuple[dict[str, Choice], list[str]]:
        """Choices of another solver's plan, and the titles whose shoots match no placement."""
        shoots_by_title: dict[str, list[Shoot]] = defaultdict(list)
        for shoot in plan.shoots:
            shoots_by_title[shoot.title_id].append(shoot)
        choices: dict[str, Choice] = {}
        unmatched: list[str] = []
        for title_id, shoots in shoots_by_title.items():
            wanted = placement_of_shoots(self.scenario, shoots)
            title_vars = self.variables.titles.get(title_id)
            crew_ids = {s.crew_id for s in shoots}
            if (
                title_vars is None
                or len(crew_ids) != 1
                or not any(pv.placement == wanted for pv in title_vars.placements)
            ):
                unmatched.append(title_id)
                continue
            choices[title_id] = Choice(wanted, crew_ids.pop())
        return choices, unmatched

    # -- choices -> plan ------------------------------------------------------

    def plan_for(self, choices: Mapping[str, Choice], unscheduled: Mapping[str, str]) -> Plan:
        """The plan of ``choices``, each shoot on a set of its pool; ``unscheduled`` as given."""
        return plan_from_choices(self.scenario, choices, unscheduled)


def open_sets_of_pool(scenario: Scenario, base_id: str, set_type: str, day: int) -> list[FilmSet]:
    """The open sets of one type at one base on one day, cheapest first (as the model books)."""
    return sorted(
        (
            s
            for s in scenario.sets_at(base_id, set_type)
            if day not in scenario.unavailable_days("set", s.set_id)
        ),
        key=lambda s: (s.day_rate, s.set_id),
    )


def plan_from_choices(
    scenario: Scenario, choices: Mapping[str, Choice], unscheduled: Mapping[str, str]
) -> Plan:
    """The plan of ``choices``, each shoot on a set of its pool; ``unscheduled`` as given."""
    sets_of = _assign_sets(scenario, choices)
    shoots = []
    for title_id, choice in choices.items():
        p = choice.placement
        for offset, day in enumerate(p.days()):
            shoots.append(
                Shoot(
                    title_id,
                    scenario.date_of(day),
                    p.base_id,
                    sets_of[(title_id, day)].set_id,
                    choice.crew_id,
                    p.scenes[offset] if p.scenes else (),
                )
            )
    return Plan(shoots=tuple(sorted(shoots)), unscheduled=dict(unscheduled))


def choices_cost(scenario: Scenario, choices: Mapping[str, Choice]) -> int:
    """Cost of the plan of ``choices`` in CNY: each pool books its cheapest open sets."""
    users: dict[tuple[str, str, int], int] = defaultdict(int)
    total = 0
    for choice in choices.values():
        p = choice.placement
        total += scenario.crew_by_id[choice.crew_id].day_rate * p.length
        total += sum(scenario.actor_by_id[a].day_rate for _day, a in p.actor_days())
        for day, set_type in p.set_type_by_day():
            users[(p.base_id, set_type, day)] += 1
    for (base_id, set_type, day), count in users.items():
        open_sets = open_sets_of_pool(scenario, base_id, set_type, day)
        total += sum(s.day_rate for s in open_sets[:count])
    return total


def choices_of_plan(scenario: Scenario, plan: Plan) -> dict[str, Choice]:
    """The choice of every scheduled title of a plan that keeps the rules."""
    shoots_by_title: dict[str, list[Shoot]] = defaultdict(list)
    for shoot in plan.shoots:
        shoots_by_title[shoot.title_id].append(shoot)
    choices: dict[str, Choice] = {}
    for title_id, shoots in shoots_by_title.items():
        shoots.sort()
        choices[title_id] = Choice(placement_of_shoots(scenario, shoots), shoots[0].crew_id)
    return choices


def _assign_sets(
    scenario: Scenario, choices: Mapping[str, Choice]
) -> dict[tuple[str, int], FilmSet]:
    """The set of every shoot: the cheapest open sets of its pool, yesterday's set if it can.

    A pool with n shoots on a day books its n cheapest open sets (what the
    model costed). Among sets of equal day rate the choice is free, so a title
    that shot on a set of the same pool yesterday keeps it when it can.
    """
    users: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for title_id, choice in choices.items():
        p = choice.placement
        for day, set_type in p.set_type_by_day():
            users[(p.base_id, set_type, day)].append(title_id)
    assigned: dict[tuple[str, int], FilmSet] = {}
    for key in sorted(users, key=lambda k: k[2]):
        _base_id, _set_type, day = key
        titles = sorted(users[key])
        open_sets = open_sets_of_pool(scenario, *key)
        booked = open_sets[: len(titles)]
        rate_limit = booked[-1].day_rate
        keep: dict[str, FilmSet] = {}
        for title_id in titles:
            yesterday = assigned.get((title_id, day - 1))
            if yesterday is None or yesterday not in open_sets or yesterday in keep.values():
                continue
            if yesterday in booked:
                keep[title_id] = yesterday
            elif yesterday.day_rate <= rate_limit:
                # swap for a booked set of the same rate that nobody keeps
                spare = next(
                    (
                        s
                        for s in reversed(booked)
                        if s.day_rate == yesterday.day_rate and s not in keep.values()
                    ),
                    None,
                )
                if spare is not None:
                    booked[booked.index(spare)] = yesterday
                    keep[title_id] = yesterday
        free = [s for s in booked if s not in keep.values()]
        for title_id in titles:
            assigned[(title_id, day)] = keep[title_id] if title_id in keep else free.pop(0)
    return assigned
