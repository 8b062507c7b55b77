"""An exact day-indexed MILP of the whole SPEC, to cross-check the CP-SAT scheduler.

Only for small scenarios (a handful of titles, crews and sets over one or two
weeks): it has a variable per title, base, crew and first day, and one per
title, set and day. Only the window, the crew's genres and the pins decide
which variables exist; every other rule is a family of named rows one can
read, and the optimum of Σ priority is proven by HiGHS or CBC on their own:

- ``start[title, base, crew, day]`` (binary): the title shoots its whole
  length from ``day`` at ``base`` with ``crew``. Only first days whose shoot
  lies inside the title's window and the horizon (rule 1), crews whose genres
  allow the title (rule 3) and the pinned start, base and crew (rule 8) get one;
- ``set[title, set, day]`` (binary): the title uses ``set`` on ``day``;
- ``scheduled[title]`` (binary): Σ start of the title, the objective's term.

A title shooting at a base on a day is the sum of its start variables that
cover the day, so "busy" indicators of crews, actors and bases per day (and
per city, for travel) are sums of start variables, not extra columns. The set
types used per day are free (rule 2: order free), which the CP-SAT model
only enumerates up to :data:`solver.slate.candidates.DEFAULT_MAX_ORDERS` orders.

Run ``python -m scheduler.cli.dev exact tutorial`` (or a scenario folder) to print
the optimum; ``--compare`` also runs the CP-SAT scheduler.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import pulp

from scheduler.domain.model import Scenario, Title
from scheduler.domain.plan import Plan, Shoot
from solver.capacity.lp import CapacitySolver, pulp_name, solve_lp
from solver.status import SolveStatus


@dataclass(frozen=True)
class ExactResult:
    """What the exact MILP proved about a scenario.

    ``priority`` is the proven optimum of Σ priority of scheduled titles, or
    ``None`` when the solver proved none (``status`` ``infeasible``: the pins
    cannot all be kept; ``feasible``: time ran out with a plan, ``error``:
    with none). ``scheduled`` and ``plan`` are the solver's best plan, also
    when not proven (empty when it has none). ``columns`` and ``rows`` give
    the model's size.
    """

    priority: int | None
    status: SolveStatus
    scheduled: frozenset[str]
    seconds: float
    columns: int
    rows: int
    solver: CapacitySolver = "highs"
    plan: Plan | None = None

    def summary(self) -> str:
        """One line for a log or a test failure."""
        value = "–" if self.priority is None else str(self.priority)
        status = self.status.value if self.status.proven else "not proven"
        return (
            f"exact MILP ({self.solver}): {status}, priority {value}, "
            f"{len(self.scheduled)} titles, {self.columns} columns × {self.rows} rows, "
            f"{self.seconds:.1f} s"
        )


# -- variables -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Start:
    """``title`` shoots all its days from ``day`` at ``base_id`` (in ``city``) with ``crew_id``."""

    title: Title
    base_id: str
    city: str
    crew_id: str
    day: int
    chosen: pulp.LpVariable

    def days(self) -> range:
        return range(self.day, self.day + self.title.shoot_days)


@dataclass(frozen=True, slots=True)
class SetDay:
    """``title_id`` uses ``set_id`` (at ``base_id``, of ``set_type``) on ``day``."""

    title_id: str
    set_id: str
    base_id: str
    set_type: str
    day: int
    used: pulp.LpVariable


_ByDay = dict[tuple[str, int], list[pulp.LpVariable]]
"""Start variables keeping one crew, actor or base busy on one day, by (id, day)."""


class _Shooting:
    """Start variables grouped by who or what they keep busy on each day they cover."""

    def __init__(self, scenario: Scenario, starts: Sequence[Start]) -> None:
        self.title_at_base: dict[tuple[str, str, int], list[pulp.LpVariable]] = defaultdict(list)
        self.crew: _ByDay = defaultdict(list)
        self.crew_in_city: dict[tuple[str, str, int], list[pulp.LpVariable]] = defaultdict(list)
        self.actor: _ByDay = defaultdict(list)
        self.actor_in_city: dict[tuple[str, str, int], list[pulp.LpVariable]] = defaultdict(list)
        self.base: _ByDay = defaultdict(list)
        for start in starts:
            title_id, chosen = start.title.title_id, start.chosen
            for day in start.days():
                self.title_at_base[(title_id, start.base_id, day)].append(chosen)
                self.crew[(start.crew_id, day)].append(chosen)
                self.crew_in_city[(start.crew_id, start.city, day)].append(chosen)
                self.base[(start.base_id, day)].append(chosen)
                for actor_id in start.title.cast:
                    self.actor[(actor_id, day)].append(chosen)
                    self.actor_in_city[(actor_id, start.city, day)].append(chosen)


# -- the model -----------------------------------------------------------------------


class ExactModel:
    """The day-indexed MILP, built family by family (see the module docstring)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.problem = pulp.LpProblem("exact_priority", pulp.LpMaximize)
        self._names: set[str] = set()
        self.scheduled = {
            t.title_id: self._variable("scheduled", t.title_id) for t in scenario.titles
        }
        self.starts = [start for title in scenario.titles for start in self._starts_of(title)]
        self.set_days = self._set_days()
        self.shooting = _Shooting(scenario, self.starts)

    # -- variables -------------------------------------------------------------------

    def _variable(self, *name: object) -> pulp.LpVariable:
        return self.problem.add_variable(self._unique(pulp_name(*name)), cat=pulp.LpBinary)

    def _unique(self, name: str) -> str:
        """``name``, or with a suffix when two ids sanitise to the same name."""
        candidate, n = name, 1
        while candidate in self._names:
            n += 1
            candidate = f"{name}_{n}"
        self._names.add(candidate)
        return candidate

    def _starts_of(self, title: Title) -> list[Start]:
        """A start variable per base, able crew and first day, inside window and pins."""
        scenario = self.scenario
        first, last = scenario.title_window(title)
        days = range(first, last - title.shoot_days + 2)
        bases, crews = scenario.bases, [c for c in scenario.crews if c.can_shoot(title.genre)]
        pin = scenario.pin_by_title.get(title.title_id)
        if pin is not None:
            if pin.start_date is not None:
                pinned = scenario.day_index(pin.start_date)
                days = range(pinned, pinned + 1) if pinned in days else range(0)
            if pin.base_id is not None:
                bases = tuple(b for b in bases if b.base_id == pin.base_id)
            if pin.crew_id is not None:
                crews = [c for c in crews if c.crew_id == pin.crew_id]
        return [
            Start(
                title,
                base.base_id,
                base.city,
                crew.crew_id,
                day,
                self._variable("start", title.title_id, base.base_id, crew.crew_id, f"d{day}"),
            )
            for base in bases
            for crew in crews
            for day in days
        ]

    def _set_days(self) -> list[SetDay]:
        """A set variable per title, set of a needed type at a base it may start at, window day."""
        scenario = self.scenario
        bases_of: dict[str, set[str]] = defaultdict(set)
        for start in self.starts:
            bases_of[start.title.title_id].add(start.base_id)
        found: list[SetDay] = []
        for title in scenario.titles:
            first, last = scenario.title_window(title)
            needs = title.days_by_set_type()
            for film_set in scenario.sets:
                if film_set.set_type not in needs:
                    continue
                if film_set.base_id not in bases_of[title.title_id]:
                    continue
                for day in range(first, last + 1):
                    used = self._variable("set", title.title_id, film_set.set_id, f"d{day}")
                    found.append(
                        SetDay(
                            title.title_id,
                            film_set.set_id,
                            film_set.base_id,
                            film_set.set_type,
                            day,
                            used,
                        )
                    )
        return found

    # -- families --------------------------------------------------------------------

    def build(self) -> None:
        # objective first: each family below only adds rows
        self.problem += pulp.lpSum(
            self.scenario.title_by_id[t].priority * v for t, v in self.scheduled.items()
        )
        families: tuple[Callable[[], None], ...] = (
            self.title_shoots_at_most_once,
            self.pinned_titles_are_scheduled,
            self.one_set_each_shoot_day,
            self.set_types_match_needs,
            self.set_hosts_one_shoot_a_day,
            self.crew_shoots_one_title_a_day,
            self.actor_in_one_title_a_day,
            self.nothing_booked_when_unavailable,
            self.base_hosts_at_most_max_crews,
            self.travel_between_cities,
            self.crew_rests_after_max_days_in_row,
        )
        for family in families:
            family()

    def _add(self, constraint: pulp.LpConstraint, *name: object) -> None:
        self.problem.addConstraint(constraint, self._unique(pulp_name(*name)))

    def title_shoots_at_most_once(self) -> None:
        """Rule 1: a title is scheduled at most once, from one start, base and crew."""
        starts_of: dict[str, list[pulp.LpVariable]] = defaultdict(list)
        for start in self.starts:
            starts_of[start.title.title_id].append(start.chosen)
        for title_id, scheduled in self.scheduled.items():
            self._add(pulp.lpSum(starts_of[title_id]) == scheduled, "once", title_id)

    def pinned_titles_are_scheduled(self) -> None:
        """Rule 8: a title with a filled pin field is scheduled (the fields: by its starts)."""
        for pin in self.scenario.pins:
            if not pin.fixes_anything:
                continue  # a pin row with no field filled fixes nothing
            self._add(self.scheduled[pin.title_id] == 1, "pinned", pin.title_id)

    def one_set_each_shoot_day(self) -> None:
        """Rule 2: on each of its shoot days a title uses one set of its base, else none."""
        used_at: dict[tuple[str, str, int], list[pulp.LpVariable]] = defaultdict(list)
        for set_day in self.set_days:
            used_at[(set_day.title_id, set_day.base_id, set_day.day)].append(set_day.used)
        shooting = self.shooting.title_at_base
        for key in sorted(set(used_at) | set(shooting)):
            title_id, base_id, day = key
            self._add(
                pulp.lpSum(used_at.get(key, ())) == pulp.lpSum(shooting.get(key, ())),
                "one_set",
                title_id,
                base_id,
                f"d{day}",
            )

    def set_types_match_needs(self) -> None:
        """Rule 2: a scheduled title uses sets of each type on exactly its needed days."""
        used_of: dict[tuple[str, str], list[pulp.LpVariable]] = defaultdict(list)
        for set_day in self.set_days:
            used_of[(set_day.title_id, set_day.set_type)].append(set_day.used)
        for title in self.scenario.titles:
            scheduled = self.scheduled[title.title_id]
            for set_type, days in sorted(title.days_by_set_type().items()):
                self._add(
                    pulp.lpSum(used_of.get((title.title_id, set_type), ())) == days * scheduled,
                    "needs",
                    title.title_id,
                    set_type,
                )

    def set_hosts_one_shoot_a_day(self) -> None:
        """Rule 4: a set hosts at most one shoot a day."""
        users: dict[tuple[str, int], list[pulp.LpVariable]] = defaultdict(list)
        for set_day in self.set_days:
            users[(set_day.set_id, set_day.day)].append(set_day.used)
        for (set_id, day), used in sorted(users.items()):
            if len(used) > 1:
                self._add(pulp.lpSum(used) <= 1, "set", set_id, f"d{day}")

    def crew_shoots_one_title_a_day(self) -> None:
        """Rule 4: a crew shoots at most one title a day."""
        for (crew_id, day), shooting in sorted(self.shooting.crew.items()):
            if len(shooting) > 1:
                self._add(pulp.lpSum(shooting) <= 1, "crew", crew_id, f"d{day}")

    def actor_in_one_title_a_day(self) -> None:
        """Rule 4: an actor appears in at most one title a day."""
        for (actor_id, day), shooting in sorted(self.shooting.actor.items()):
            if len(shooting) > 1:
                self._add(pulp.lpSum(shooting) <= 1, "actor", actor_id, f"d{day}")

    def nothing_booked_when_unavailable(self) -> None:
        """Rule 5: nothing is booked when its set, base, crew or a cast member is unavailable.

        A closed base closes all its sets (``Scenario.unavailable_days`` of a
        set includes its base's days), and no title shoots at it either.
        """
        scenario = self.scenario
        for set_day in self.set_days:
            if set_day.day in scenario.unavailable_days("set", set_day.set_id):
                self._add(
                    set_day.used == 0,
                    "closed_set",
                    set_day.title_id,
                    set_day.set_id,
                    f"d{set_day.day}",
                )
        closed_groups: tuple[tuple[Literal["base", "crew", "actor"], _ByDay], ...] = (
            ("base", self.shooting.base),
            ("crew", self.shooting.crew),
            ("actor", self.shooting.actor),
        )
        for kind, shooting in closed_groups:
            for (resource_id, day), starts in sorted(shooting.items()):
                if day in scenario.unavailable_days(kind, resource_id):
                    self._add(pulp.lpSum(starts) == 0, "closed", kind, resource_id, f"d{day}")

    def base_hosts_at_most_max_crews(self) -> None:
        """Rule 6: a base hosts at most max_crews titles a day."""
        for (base_id, day), shooting in sorted(self.shooting.base.items()):
            cap = self.scenario.base_by_id[base_id].max_crews
            if cap is not None and len(shooting) > cap:
                self._add(pulp.lpSum(shooting) <= cap, "max_crews", base_id, f"d{day}")

    def travel_between_cities(self) -> None:
        """Rule 7: a crew or actor shooting in one city, then in another, has the travel days free.

        Shooting in city k on day d and in city k' ≠ k on any of d + 1 … d +
        travel_days(k, k') cannot both happen. A crew's (an actor's) titles
        never overlap in days (rule 4), so this is the same as asking it of
        every two of its titles: the last day of the first and the first of
        the second are the closest pair of days.
        """
        scenario = self.scenario
        for kind, in_city in (
            ("crew", self.shooting.crew_in_city),
            ("actor", self.shooting.actor_in_city),
        ):
            by_who: dict[str, dict[tuple[str, int], list[pulp.LpVariable]]] = defaultdict(dict)
            for (who, city, day), shooting in in_city.items():
                by_who[who][(city, day)] = shooting
            for who, at in sorted(by_who.items()):
                cities = sorted({city for city, _ in at})
                for (city, day), here in sorted(at.items()):
                    for other_city in cities:
                        if other_city == city:
                            continue
                        travel = scenario.travel_days(city, other_city)
                        for later in range(day + 1, day + travel + 1):
                            there = at.get((other_city, later))
                            if there is None:
                                continue
                            self._add(
                                pulp.lpSum(here) + pulp.lpSum(there) <= 1,
                                "travel",
                                kind,
                                who,
                                city,
                                f"d{day}",
                                other_city,
                                f"d{later}",
                            )

    def crew_rests_after_max_days_in_row(self) -> None:
        """Rule 9: a crew with max_days_in_row = n shoots on at most n of any n + 1 days in a row.

        Shoots of different titles count together.
        """
        scenario = self.scenario
        for crew in scenario.crews:
            limit = crew.max_days_in_row
            if limit is None:
                continue
            for first in range(scenario.days - limit):
                window = [
                    v
                    for day in range(first, first + limit + 1)
                    for v in self.shooting.crew.get((crew.crew_id, day), ())
                ]
                if len(window) > limit:
                    self._add(pulp.lpSum(window) <= limit, "in_row", crew.crew_id, f"d{first}")

    # -- reading the solution --------------------------------------------------------

    def plan(self) -> Plan:
        """The plan of the variables' current values (after a solve that found one)."""
        scenario = self.scenario
        set_on = {(s.title_id, s.day): s.set_id for s in self.set_days if _is_one(s.used.value())}
        shoots = [
            Shoot(
                start.title.title_id,
                scenario.date_of(day),
                start.base_id,
                set_on.get((start.title.title_id, day), ""),
                start.crew_id,
            )
            for start in self.starts
            if _is_one(start.chosen.value())
            for day in start.days()
        ]
        scheduled = {shoot.title_id for shoot in shoots}
        unscheduled = {
            t.title_id: "exact MILP: not in the optimum"
            for t in scenario.titles
            if t.title_id not in scheduled
        }
        return Plan(tuple(sorted(shoots)), unscheduled)


def _is_one(value: float | None) -> bool:
    return value is not None and value > 0.5


# -- solving -------------------------------------------------------------------------


def exact_priority_optimum(
    scenario: Scenario, *, solver: CapacitySolver = "highs", time_limit: float = 60.0
) -> ExactResult:
    """The proven optimum of Σ priority of scheduled titles, by the exact MILP.

    Parameters
    ----------
    scenario
        A small planning question (the model grows with titles × bases × crews × days).
    solver
        ``"highs"`` (through highspy) or ``"cbc"`` (PuLP's bundled binary).
    time_limit
        Wall-clock seconds for the solver; building the model comes on top.

    Returns
    -------
    ExactResult
        ``status`` is ``optimal`` only when the solver itself says it proved
        the optimum (HiGHS: model status optimal and its dual bound rounds to
        the plan's priority; CBC: an optimal solution, not one stopped at the
        time limit; see :func:`solver.capacity.lp.solve_lp`).
    """
    with_scenes = [t.title_id for t in scenario.titles if t.scenes]
    if with_scenes:
        # rule 10 books an actor by the order of a title's scene days, which this model
        # (one start per title, the cast on every day) does not choose
        raise ValueError(
            f"the exact MILP does not model scene breakdowns (titles {', '.join(with_scenes)})"
        )
    started = time.perf_counter()
    model = ExactModel(scenario)
    model.build()
    problem = model.problem
    columns, rows = len(problem.variables()), problem.numConstraints()
    # the solvers' own gaps; priorities are whole, so HiGHS's optimum is proven once
    # its dual bound rounds down onto the plan
    solution = solve_lp(
        problem,
        solver=solver,
        integer=True,
        time_limit=time_limit,
        gap=None,
        whole_objective=True,
    )
    status = solution.status
    plan = model.plan() if solution.objective is not None else None
    scheduled = frozenset() if plan is None else plan.scheduled_title_ids
    priority = sum(scenario.title_by_id[t].priority for t in scheduled)
    if status is SolveStatus.OPTIMAL:
        objective = pulp.value(problem.objective) or 0.0
        if abs(objective - priority) > 0.5:
            raise RuntimeError(
                f"exact MILP: objective {objective} but the plan's titles sum to {priority}"
            )
    return ExactResult(
        priority=priority if status is SolveStatus.OPTIMAL else None,
        status=status,
        scheduled=scheduled,
        seconds=time.perf_counter() - started,
        columns=columns,
        rows=rows,
        solver=solver,
        plan=plan,
    )
