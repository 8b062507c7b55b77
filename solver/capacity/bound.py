"""A proven upper bound on the priority any plan can schedule, from a relaxation.

The relaxation keeps, for every title, the choice of a base and a first shoot
day (one at most; exactly one when pinned) and counts, day by day, what the
shoots use:

- sets of each type at each base (rules 2, 4, 5), with the order of set types
  inside a title relaxed to its convex hull (each shoot day one set, each type
  its needed set-days), which is exact in the LP;
- each actor in at most one title a day (rule 4; closed days are filtered);
- each base at most ``max_crews`` titles a day (rule 6);
- crews as a pool (rules 3, 4, 5, 9): for every group of genres, the titles of
  those genres shooting on a day are at most the crews free that day that can
  shoot one of them, and over any run of days at most the days those crews can
  work without breaking their ``max_days_in_row``;
- pins (rule 8): a pinned title is scheduled, at its pinned start and base,
  by a crew that can shoot it.

Which crew shoots which title, travel (rule 7) and where crews may go (rule 11) are
dropped; a title's bases are only those in cities its whole cast may work in (rule 11).
Every plan that keeps the rules is a solution of the relaxation, so its optimum,
rounded down (priorities are integers), bounds ``priority_scheduled``. The
LP solves in well under a second on a month; the MIP, given time, closes
most of the LP's gap and HiGHS's proven dual bound is used.

Run ``python -m scheduler.cli.dev bound zhengzhou-month --integer --time-limit 30`` for
the figures of one sample.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pulp

from scheduler.domain.model import Scenario, Title
from scheduler.domain.pooling import actor_may_shoot_in
from solver.calendar import Calendar
from solver.capacity.groups import genre_groups, host_groups
from solver.capacity.lp import ROUNDING_SLACK, CapacitySolver, pulp_name, solve_lp
from solver.status import SolveStatus


@dataclass(frozen=True)
class BoundResult:
    """A proven upper bound on Σ priority of scheduled titles.

    ``bound`` is the bound itself; ``lp_value`` the optimum of the LP
    relaxation (before rounding; ``bound`` may be lower when the MIP proved
    more). ``method`` says how it was proven (``lp-highs``, ``mip-highs``,
    ``lp-cbc``); ``columns`` and ``rows`` give the relaxation's size.
    """

    bound: int
    lp_value: float
    seconds: float
    method: str
    columns: int
    rows: int

    def summary(self) -> str:
        """One line for a log or a benchmark."""
        return (
            f"priority bound {self.bound} ({self.method}; LP {self.lp_value:.2f}), "
            f"{self.columns} columns × {self.rows} rows, {self.seconds:.1f} s"
        )


# -- where each title could shoot ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShootOption:
    """A title shooting on ``length`` consecutive days from ``start``, at one of ``base_ids``.

    ``set_types`` lists, per shoot day, the needed set types with an open set
    that day at one of those bases.
    """

    title: Title
    start: int
    base_ids: tuple[str, ...]
    set_types: tuple[tuple[str, ...], ...]

    @property
    def length(self) -> int:
        return len(self.set_types)

    def days(self) -> range:
        return range(self.start, self.start + self.length)


def shoot_options(scenario: Scenario, title: Title, calendar: Calendar) -> list[ShootOption]:
    """Every first day on which ``title`` could shoot, with the bases that could host it.

    Kept: inside the window and horizon (rule 1); a base with every needed set
    type, open sets enough to give each shoot day one set of a needed type and
    each type its set-days (rules 2, 5); the cast free every day (rule 5); a
    crew that can shoot the genre free every day (rules 3, 5); the pinned
    start, base and crew (rule 8); bases only in cities where the whole cast may
    work (rule 11; which crew goes where is relaxed, so the bound stays an upper
    bound whatever the pooling).
    """
    length = title.shoot_days
    first, last = scenario.title_window(title)
    if length <= 0 or last - first + 1 < length:
        return []
    pin = scenario.pin_by_title.get(title.title_id)
    starts = range(first, last - length + 2)
    if pin is not None and pin.start_date is not None:
        pinned = scenario.day_index(pin.start_date)
        starts = range(pinned, pinned + 1) if pinned in starts else range(0)
    crews = [c for c in scenario.crews if c.can_shoot(title.genre)]
    if pin is not None and pin.crew_id is not None:
        crews = [c for c in crews if c.crew_id == pin.crew_id]
    needs = title.days_by_set_type()
    bases = calendar.bases_for(title)
    if scenario.pooling and title.actors:  # rule 11: only where the whole cast may work
        cast = [scenario.actor_by_id[a] for a in title.actors]
        bases = [
            b
            for b in bases
            if all(actor_may_shoot_in(scenario, a, scenario.city_of_base(b)) for a in cast)
        ]
    options: list[ShootOption] = []
    for start in starts:
        if any(calendar.actor_run[a][start] < length for a in scenario.cast_every_day(title)):
            continue
        if not any(calendar.crew_run[c.crew_id][start] >= length for c in crews):
            continue
        hosts: list[str] = []
        open_types: list[set[str]] = [set() for _ in range(length)]
        for base_id in bases:
            at_base = [
                tuple(t for t in needs if calendar.open_sets[(base_id, t)][day] > 0)
                for day in range(start, start + length)
            ]
            if _types_fit(needs, at_base):
                hosts.append(base_id)
                for on_day, types in zip(open_types, at_base, strict=True):
                    on_day.update(types)
        if hosts:
            set_types = tuple(tuple(t for t in needs if t in on_day) for on_day in open_types)
            options.append(ShootOption(title, start, tuple(hosts), set_types))
    return options


def _types_fit(needs: dict[str, int], open_by_day: Sequence[tuple[str, ...]]) -> bool:
    """Whether shoot days can be given set types so that each type gets its set-days.

    Hall's condition of the day–type transportation problem: every group of
    types needs no more set-days than there are days on which one of them is open.
    """
    types = list(needs)
    for size in range(1, len(types) + 1):
        for group in itertools.combinations(types, size):
            days_open = sum(1 for open_types in open_by_day if set(group) & set(open_types))
            if sum(needs[t] for t in group) > days_open:
                return False
    return True


# -- crew pool capacities ------------------------------------------------------------


def _longest_that_overflow(longest_first: list[Title], days: int, most: int) -> list[Title]:
    """The longest titles, as many as keep any ``most + 1`` of them longer than ``days``."""
    for size in range(len(longest_first), most, -1):
        shortest = longest_first[size - most - 1 : size]
        if sum(t.shoot_days for t in shortest) > days:
            return longest_first[:size]
    return []


MOST_IN_A_RUN = (1, 2)
"""Right-hand sides of the actor run rows; larger ones are nearly implied by the day rows."""


# -- the relaxation ------------------------------------------------------------------


class _Relaxation:
    """The bound's LP or MIP, built family by family (see the module docstring)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.calendar = Calendar(scenario)
        self.problem = pulp.LpProblem("priority_bound", pulp.LpMaximize)
        self.feasible = True
        self.options: dict[str, list[tuple[ShootOption, pulp.LpVariable]]] = {}
        # hosts[title]: every base that could host the title on some start
        self.hosts: dict[str, frozenset[str]] = {}
        for title in scenario.titles:
            found = shoot_options(scenario, title, self.calendar)
            self.options[title.title_id] = [
                (option, self._variable("shoot", title.title_id, f"d{option.start}"))
                for option in found
            ]
            self.hosts[title.title_id] = frozenset(b for o in found for b in o.base_ids)
        # shooting[(title, day)]: the title's options that shoot that day
        self.shooting: dict[tuple[str, int], list[pulp.LpVariable]] = defaultdict(list)
        for title_id, options in self.options.items():
            for option, chosen in options:
                for day in option.days():
                    self.shooting[(title_id, day)].append(chosen)

    def _variable(self, *name: object) -> pulp.LpVariable:
        """A 0/1 decision; the LP solve relaxes it, the MIP solve keeps it."""
        return self.problem.add_variable(pulp_name(*name), cat=pulp.LpBinary)

    def build(self) -> None:
        # objective first: each family below only adds constraints
        self.problem += pulp.lpSum(
            option.title.priority * chosen
            for options in self.options.values()
            for option, chosen in options
        )
        for family in (
            self.title_shoots_at_most_once,
            self.pinned_titles_shoot,
            self.sets_host_one_shoot_a_day,
            self.bases_host_what_they_can,
            self.actor_in_one_title_a_day,
            self.actor_fits_titles_in_a_window,
            self.crews_shoot_within_their_days,
            self.pinned_crew_shoots_one_title_a_day,
        ):
            family()

    def _add(self, constraint: pulp.LpConstraint, *name: object) -> None:
        self.problem.addConstraint(constraint, pulp_name(*name))

    def title_shoots_at_most_once(self) -> None:
        """Rule 1: a title shoots from one first day, or not at all."""
        for title_id, options in self.options.items():
            if options and title_id not in self.scenario.pin_by_title:
                self._add(pulp.lpSum(v for _, v in options) <= 1, "one_start", title_id)

    def pinned_titles_shoot(self) -> None:
        """Rule 8: a pinned title is scheduled (start, base and crew pins are in its options)."""
        for title_id in self.scenario.pin_by_title:
            options = self.options.get(title_id, [])
            if not options:
                self.feasible = False
                continue
            self._add(pulp.lpSum(v for _, v in options) == 1, "pinned", title_id)

    def _host_groups(self) -> list[frozenset[str]]:
        """Groups of bases that are exactly where some title can shoot, largest first."""
        return host_groups(self.hosts.values())

    def _group_label(self, group: frozenset[str]) -> str:
        """``all``, the base ids of a small group, or the group's number and size."""
        if len(group) == len(self.scenario.bases):
            return "all"
        if len(group) <= 3:
            return "+".join(sorted(group))
        return f"group{self._host_groups().index(group)}_{len(group)}bases"

    def sets_host_one_shoot_a_day(self) -> None:
        """Rules 2 and 4: titles that can only shoot at a group of bases share its open sets.

        For every group of bases that is exactly where some title can shoot,
        the shoots of a set type on a day by titles that can only shoot in the
        group are at most the group's open sets of that type (Hall's condition
        of assigning shoots to sets). A title with one set type uses it every
        shoot day; a title with several spreads its set-days over its shoot
        days: one set a day, each type its needed days, a type only on days it
        is open (the convex hull of the orders of set types).
        """
        use: dict[tuple[str, str, int], list[pulp.LpVariable]] = defaultdict(list)
        for title_id, options in self.options.items():
            for option, chosen in options:
                needs = option.title.days_by_set_type()
                if len(needs) == 1:
                    (set_type,) = needs
                    for day in option.days():
                        use[(title_id, set_type, day)].append(chosen)
                    continue
                self._spread_set_days(option, chosen, use)
        types_of: dict[str, set[str]] = defaultdict(set)
        for title_id, set_type, _ in use:
            types_of[title_id].add(set_type)
        open_sets = self.calendar.open_sets
        for group in self._host_groups():
            inside = [t for t, hosts in self.hosts.items() if hosts and hosts <= group]
            set_types = sorted({s for t in inside for s in types_of[t]})
            for set_type, day in itertools.product(set_types, range(self.scenario.days)):
                shots = [v for t in inside for v in use.get((t, set_type, day), ())]
                capacity = sum(open_sets.get((b, set_type), [0] * (day + 1))[day] for b in group)
                if len({t for t in inside if (t, set_type, day) in use}) > capacity:
                    self._add(
                        pulp.lpSum(shots) <= capacity,
                        "sets",
                        self._group_label(group),
                        set_type,
                        f"d{day}",
                    )

    def _spread_set_days(
        self,
        option: ShootOption,
        chosen: pulp.LpVariable,
        use: dict[tuple[str, str, int], list[pulp.LpVariable]],
    ) -> None:
        """Set-days of a title with several set types, as fractions of shoot days."""
        title_id = option.title.title_id
        prefix = ("type", title_id, f"d{option.start}")
        by_type: dict[str, list[pulp.LpVariable]] = defaultdict(list)
        for day, open_types in zip(option.days(), option.set_types, strict=True):
            on_day = []
            for set_type in open_types:
                shot = self._variable(*prefix, set_type, f"d{day}")
                on_day.append(shot)
                by_type[set_type].append(shot)
                use[(title_id, set_type, day)].append(shot)
            self._add(pulp.lpSum(on_day) == chosen, *prefix, "one_set", f"d{day}")
        for set_type, days in option.title.days_by_set_type().items():
            self._add(pulp.lpSum(by_type[set_type]) == days * chosen, *prefix, set_type)

    def actor_fits_titles_in_a_window(self) -> None:
        """Rule 4 strengthened: an actor's titles that must shoot inside a run of days fit it.

        Among the titles of an actor whose windows lie inside a run of ``k``
        days, take the longest ones as long as any ``r + 1`` of them are more
        than ``k`` days together: at most ``r`` of those shoot. The day rows
        let an LP shoot half of a 2-day title and all of a 1-day title on two
        days; this row (r = 1) does not.
        """
        scenario = self.scenario
        titles_of: dict[str, list[Title]] = defaultdict(list)
        for title in scenario.titles:
            if self.options[title.title_id]:
                for actor_id in self.scenario.cast_every_day(title):
                    titles_of[actor_id].append(title)
        for actor_id, titles in sorted(titles_of.items()):
            windows = {t.title_id: scenario.title_window(t) for t in titles}
            longest_first = sorted(titles, key=lambda t: -t.shoot_days)
            firsts = sorted({first for first, _ in windows.values()})
            lasts = sorted({last for _, last in windows.values()})
            for first, last in itertools.product(firsts, lasts):
                days = last - first + 1
                inside = [
                    t
                    for t in longest_first
                    if first <= windows[t.title_id][0] and windows[t.title_id][1] <= last
                ]
                for most in MOST_IN_A_RUN:
                    group = _longest_that_overflow(inside, days, most)
                    if len(group) > most:
                        shooting = [v for t in group for _, v in self.options[t.title_id]]
                        self._add(
                            pulp.lpSum(shooting) <= most,
                            "actor_fits",
                            actor_id,
                            f"d{first}",
                            f"d{last}",
                            f"at_most{most}",
                        )

    def bases_host_what_they_can(self) -> None:
        """Rules 4 and 6: titles that can only shoot at a group of bases fit its bases' days.

        A base hosts at most ``max_crews`` titles a day, and never more than
        it has open sets.
        """
        calendar = self.calendar
        for group in self._host_groups():
            inside = [t for t, hosts in self.hosts.items() if hosts and hosts <= group]
            for day in range(self.scenario.days):
                capacity = sum(calendar.base_title_days(b, day, day) for b in group)
                shooting = [v for t in inside for v in self.shooting.get((t, day), ())]
                if len({t for t in inside if (t, day) in self.shooting}) > capacity:
                    self._add(
                        pulp.lpSum(shooting) <= capacity,
                        "base_cap",
                        self._group_label(group),
                        f"d{day}",
                    )

    def actor_in_one_title_a_day(self) -> None:
        """Rule 4: an actor appears in at most one title a day."""
        titles_of: dict[str, list[str]] = defaultdict(list)
        for title in self.scenario.titles:
            for actor_id in self.scenario.cast_every_day(title):
                titles_of[actor_id].append(title.title_id)
        for actor_id, title_ids in titles_of.items():
            for day in range(self.scenario.days):
                shooting = [v for t in title_ids for v in self.shooting.get((t, day), ())]
                if len({t for t in title_ids if (t, day) in self.shooting}) > 1:
                    self._add(pulp.lpSum(shooting) <= 1, "actor", actor_id, f"d{day}")

    def crews_shoot_within_their_days(self) -> None:
        """Rules 3, 4, 5, 9 pooled: titles of a genre group shoot no more than its crews can.

        For every group of genres and every run of days, the shoot days of
        titles of those genres are at most the days the crews able to shoot
        one of them can work in the run: free days, less the rest days their
        ``max_days_in_row`` forces. One-day runs are Hall's condition of the
        day's title–crew matching; longer runs add only where rest days bite.
        """
        scenario = self.scenario
        horizon = scenario.days
        genres = sorted({t.genre for t in scenario.titles if self.options[t.title_id]})
        # shot_days[(genre, d)]: shoot days of the genre's titles on days 0 … d, so
        # that a run of days costs two terms per genre, not one per day
        shot_days: dict[tuple[str, int], pulp.LpVariable] = {}
        for genre in genres:
            titles = [t.title_id for t in scenario.titles if t.genre == genre]
            for day in range(horizon):
                shot_days[(genre, day)] = self.problem.add_variable(
                    pulp_name("shot_days", genre, f"d{day}"), lowBound=0
                )
                shooting = [v for t in titles for v in self.shooting.get((t, day), ())]
                before = shot_days[(genre, day - 1)] if day else 0
                self._add(
                    shot_days[(genre, day)] == before + pulp.lpSum(shooting),
                    "shot_days",
                    genre,
                    f"d{day}",
                )
        calendar = self.calendar
        for group in genre_groups(scenario, genres):
            crews = [c for c in scenario.crews if any(c.can_shoot(g) for g in group)]
            label = "+".join(group)
            # work[(first, last)]: crew-days the group's crews can shoot in the run
            work = {
                (first, last): sum(calendar.crew_days(c, first, last) for c in crews)
                for first in range(horizon)
                for last in range(first, horizon)
            }
            for (first, last), cap in work.items():
                if any(
                    work[(first, cut)] + work[(cut + 1, last)] <= cap for cut in range(first, last)
                ):
                    continue  # implied by two shorter runs
                demand = pulp.lpSum(
                    shot_days[(g, last)] - (shot_days[(g, first - 1)] if first else 0)
                    for g in group
                )
                self._add(demand <= cap, "crew_days", label, f"d{first}", f"d{last}")

    def pinned_crew_shoots_one_title_a_day(self) -> None:
        """Rules 4 and 8: titles pinned to one crew shoot on different days."""
        pinned_to: dict[str, list[str]] = defaultdict(list)
        for pin in self.scenario.pins:
            if pin.crew_id is not None:
                pinned_to[pin.crew_id].append(pin.title_id)
        for crew_id, title_ids in sorted(pinned_to.items()):
            if len(title_ids) < 2:
                continue
            for day in range(self.scenario.days):
                shooting = [v for t in title_ids for v in self.shooting.get((t, day), ())]
                if len(shooting) > 1:
                    self._add(pulp.lpSum(shooting) <= 1, "pinned_crew", crew_id, f"d{day}")


# -- solving -------------------------------------------------------------------------


def priority_upper_bound(
    scenario: Scenario,
    *,
    time_limit: float = 10.0,
    integer: bool = False,
    solver: CapacitySolver | None = None,
) -> BoundResult | None:
    """A proven upper bound on Σ priority of the titles any plan can schedule.

    Parameters
    ----------
    scenario
        The planning question.
    time_limit
        Wall-clock seconds for the solver (building the relaxation comes on top).
    integer
        Also solve the relaxation as a MIP with HiGHS in the time left after
        the LP, and use HiGHS's proven dual bound when it is lower.
    solver
        ``"highs"`` (the default when highspy is installed) or ``"cbc"``; CBC
        solves the LP only.

    Returns
    -------
    BoundResult or None
        ``None`` when nothing was proven: the LP did not finish in time, or
        the pins cannot all be kept (then no plan exists at all).
    """
    started = time.perf_counter()
    if solver is None:
        solver = "highs" if pulp.HiGHS().available() else "cbc"
    relaxation = _Relaxation(scenario)
    relaxation.build()
    if not relaxation.feasible:
        return None
    problem = relaxation.problem
    columns, rows = len(problem.variables()), problem.numConstraints()
    # interior point then crossover: several times faster than simplex on these LPs,
    # which are highly degenerate (many titles tie on every day)
    lp = solve_lp(problem, solver=solver, time_limit=time_limit, interior_point=True)
    method = f"lp-{solver}"
    # only a proven optimum bounds anything: a time-limited LP gives no bound
    if lp.objective is None or lp.status is not SolveStatus.OPTIMAL:
        return None
    lp_value = lp.objective
    bound = math.floor(lp_value + ROUNDING_SLACK)
    time_left = time_limit - (time.perf_counter() - started)
    if integer and solver == "highs" and time_left > 0:
        mip_bound = _mip_bound(problem, time_left)
        if mip_bound is not None and math.floor(mip_bound + ROUNDING_SLACK) <= bound:
            bound = math.floor(mip_bound + ROUNDING_SLACK)
            method = "mip-highs"
    return BoundResult(
        bound=max(bound, 0),
        lp_value=lp_value,
        seconds=time.perf_counter() - started,
        method=method,
        columns=columns,
        rows=rows,
    )


def _mip_bound(problem: pulp.LpProblem, time_limit: float) -> float | None:
    """HiGHS's proven dual bound on the MIP, also when stopped at the time limit."""
    # only the bound matters, not a solution; HiGHS's own gap
    mip = solve_lp(problem, integer=True, time_limit=time_limit, gap=None, bound_only=True)
    if mip.status is SolveStatus.INFEASIBLE:
        return 0.0
    return mip.bound


def shoot_option_counts(scenario: Scenario) -> Iterator[int]:
    """How many first days (with their bases) each title could shoot on, title by title."""
    calendar = Calendar(scenario)
    for title in scenario.titles:
        yield len(shoot_options(scenario, title, calendar))
