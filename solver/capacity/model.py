"""The capacity model: how much the bases can shoot, in day or week buckets.

A linear relaxation of the slate, coarse enough to solve in seconds for a
cluster of 120 bases and fine enough to say where capacity binds. For every
title it keeps how much of it is scheduled (0 … 1) and how many of its shoot
days, and set-days of each type, fall in each bucket (a week by default);
which day, which set and which crew are dropped. Each family of rows below is
a rule every real plan keeps, so every plan is a solution of the model and its
optimum bounds what a plan can schedule:

- a title shoots its needed set-days, only inside its window and on days its
  cast is free (rule 1, 5);
- titles that can only shoot at a group of bases share the group's open sets
  of each type, bucket by bucket and over every run of days that holds whole
  windows (rules 2, 4, 5);
- a base hosts at most ``max_crews`` titles a day (rule 6);
- the titles of a group of genres shoot no more days than the crews able to
  shoot them can work, rest days included (rules 3, 4, 5, 9);
- an actor shoots at most one title a day (rule 4);
- pinned titles are scheduled, at their pinned start and base (rule 8).

Travel (rule 7) and the order of days inside a title are dropped.

The model also carries one integer column per *candidate addition* — a set of
a type at a base, or a crew, hired for the whole horizon at a day rate; or days
of an actor bought out of another commitment (days unavailable.csv closes),
paid per day bought, spread over the weeks by one column per week
(``actor_days_A012_w2``). They are fixed at zero for the bound; the expansion
questions let them move. Because every capacity row is linear in the
additions, a row's dual or a candidate's reduced cost says what one more unit
is worth.

``python -m scheduler.cli.dev capacity-model zhengzhou-month`` prints the figures of a sample.
"""

from __future__ import annotations

import math
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Literal

import pulp

from scheduler.domain.model import Crew, Scenario, Title
from scheduler.domain.weeks import calendar_weeks
from solver.calendar import Calendar, crew_work_days
from solver.capacity.groups import genre_groups, host_groups
from solver.capacity.lp import ROUNDING_SLACK, CapacitySolver, pulp_name, solve_lp

Objective = Literal["priority", "titles"]
Goal = Literal[
    "priority", "titles", "shoot_days", "cost", "sold", "titles_then_cost", "rush", "others"
]
CandidateKind = Literal["set", "crew", "actor"]

WEEK = 7

NEW_CREW_NAME = "新剧组"

CHEAP_FIRST = 0.01
"""Titles that every candidate at its ``max_count`` weighs in ``titles_then_cost``."""

NO_BUDGET = 1e12
"""The budget row's right-hand side while no budget is asked."""

BUYOUT_RATE_FACTOR = 2
"""A suggested actor-day candidate's price: this many times the actor's day rate a day
bought out of another commitment (a buy-out costs more than a day's work)."""


# -- the question ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """An addition the company could make.

    ``kind`` is ``"set"`` (one more set of ``set_type`` at ``base_id``), ``"crew"``
    (one more crew able to shoot every genre; ``base_id`` is its home base and
    does not bind it) — both paid ``day_rate`` every day of the horizon, at most
    ``max_count`` of them — or ``"actor"``: days of ``actor_id`` bought out of
    another commitment, i.e. days unavailable.csv closes for the actor, between
    ``from_date`` and ``to_date`` (``None``: the horizon's ends), ``day_rate``
    for each day bought and at most ``max_count`` days.
    """

    kind: CandidateKind
    base_id: str
    set_type: str
    day_rate: int
    max_count: int = 2
    actor_id: str = ""
    from_date: date | None = None
    to_date: date | None = None

    @property
    def key(self) -> str:
        """A stable id: ``set:B03:医院``, ``crew:B01`` or ``actor:A012``."""
        if self.kind == "set":
            return f"set:{self.base_id}:{self.set_type}"
        if self.kind == "actor":
            return f"actor:{self.actor_id}"
        return f"crew:{self.base_id}"

    @property
    def unit(self) -> str:
        """What ``max_count`` and a step's count count: ``天`` (actor days) or ``个``."""
        return "天" if self.kind == "actor" else "个"

    def label(
        self,
        base_names: Mapping[str, str] | None = None,
        actor_names: Mapping[str, str] | None = None,
    ) -> str:
        """What a producer calls it: ``B03 郑州影视城 · 医院 棚``, ``新剧组`` or
        ``买断演员档期 邵强宇（A012）``."""
        if self.kind == "actor":
            name = (actor_names or {}).get(self.actor_id)
            who = f"{name}（{self.actor_id}）" if name else self.actor_id
            dates = ""
            if self.from_date is not None or self.to_date is not None:
                first = "" if self.from_date is None else f"{self.from_date:%m-%d}"
                last = "" if self.to_date is None else f"{self.to_date:%m-%d}"
                dates = f" {first}–{last}"
            return f"买断演员档期 {who}{dates}"
        base = self.base_id
        if base_names and base in base_names:
            base = f"{base} {base_names[base]}"
        if self.kind == "set":
            return f"{base} · {self.set_type} 棚"
        return NEW_CREW_NAME

    def cost(self, days: int, count: int = 1) -> int:
        """Rent for ``count`` of it over ``days`` days; for actor days, ``count`` days bought."""
        if self.kind == "actor":
            return self.day_rate * count
        return self.day_rate * days * count


def days_to_buy(scenario: Scenario, candidate: Candidate) -> frozenset[int]:
    """Days an actor-day candidate can buy: the actor's closed days inside its dates.

    Empty for a set or crew, and for an actor with no day off in those dates.
    """
    if candidate.kind != "actor":
        return frozenset()
    first, last = 0, scenario.days - 1
    if candidate.from_date is not None:
        first = scenario.day_index(candidate.from_date)
    if candidate.to_date is not None:
        last = scenario.day_index(candidate.to_date)
    closed = scenario.unavailable_days("actor", candidate.actor_id)
    return frozenset(d for d in closed if first <= d <= last)


def actor_day_candidates(
    scenario: Scenario, actor_ids: Iterable[str], factor: int = BUYOUT_RATE_FACTOR
) -> list[Candidate]:
    """Buying out each actor's closed days, at ``factor`` × the actor's day rate a day.

    One candidate per actor of ``actor_ids`` that has days off in the horizon, able
    to buy all of them; actors without (nothing to buy) and unknown ids are skipped.
    """
    found: list[Candidate] = []
    for actor_id in dict.fromkeys(actor_ids):
        actor = scenario.actor_by_id.get(actor_id)
        if actor is None:
            continue
        candidate = Candidate("actor", "", "", factor * actor.day_rate, 0, actor_id=actor_id)
        days = len(days_to_buy(scenario, candidate))
        if days:
            found.append(replace(candidate, max_count=days))
    return found


def default_candidates(
    scenario: Scenario, max_count: int = 2, actors: Iterable[str] = ()
) -> list[Candidate]:
    """One more set of every type a base already has, one more crew, and days of ``actors``.

    Prices are the median day rate of that type at that base (of crews for a
    crew), as a base manager would quote from the scenario; ``actors`` (those that
    bind, say) get :func:`actor_day_candidates`.
    """
    candidates: list[Candidate] = []
    for (base_id, set_type), film_sets in sorted(scenario.sets_by_base_and_type.items()):
        rate = int(statistics.median(s.day_rate for s in film_sets))
        candidates.append(Candidate("set", base_id, set_type, rate, max_count))
    if scenario.crews:
        rate = int(statistics.median(c.day_rate for c in scenario.crews))
        home = scenario.crews[0].home_base_id
        # crews come in more than sets: a producer hires several at once
        crews = max(max_count * 2, len(scenario.crews) // 2)
        candidates.append(Candidate("crew", home, "", rate, crews))
    candidates += actor_day_candidates(scenario, actors)
    return candidates


@dataclass(frozen=True, slots=True)
class Bucket:
    """Days ``first`` … ``last`` (day numbers, inclusive)."""

    index: int
    first: int
    last: int

    @property
    def days(self) -> range:
        return range(self.first, self.last + 1)

    def __len__(self) -> int:
        return self.last - self.first + 1


def make_buckets(horizon: int, bucket_days: int = WEEK) -> list[Bucket]:
    """Consecutive buckets of ``bucket_days`` days; the last one may be shorter."""
    return [
        Bucket(i, first, min(first + bucket_days, horizon) - 1)
        for i, first in enumerate(range(0, horizon, bucket_days))
    ]


def calendar_buckets(scenario: Scenario, bucket_days: int = WEEK) -> list[Bucket]:
    """Week buckets are the horizon's calendar weeks (Monday–Sunday,
    :func:`scheduler.domain.weeks.calendar_weeks`); buckets of another length run from the
    start date."""
    if bucket_days != WEEK:
        return make_buckets(scenario.days, bucket_days)
    weeks = calendar_weeks(scenario.start_date, scenario.days)
    return [Bucket(week.index, week.first_day, week.last_day) for week in weeks]


# -- what the model can see of the scenario ---------------------------------------------


@dataclass(slots=True)
class _TitleColumns:
    """A title's columns: how much of it is scheduled, and its days per bucket."""

    title: Title
    first: int
    last: int
    hosts: frozenset[str]
    scheduled: pulp.LpVariable
    # shoot_days[bucket index]: its shoot days in that bucket
    shoot_days: dict[int, pulp.LpVariable] = field(default_factory=dict)
    # set_days[(set type, bucket index)]: its set-days of a type in a bucket
    set_days: dict[tuple[str, int], pulp.LpVariable | pulp.LpAffineExpression] = field(
        default_factory=dict
    )
    # free_days[bucket index]: days today's crews and its cast are free (the columns'
    # upper bounds also count days only a hired crew, or a bought actor-day, would free)
    free_days: defaultdict[int, int] = field(default_factory=lambda: defaultdict(int))
    # hire_days[bucket index]: days its cast is free but only a hired crew is
    hire_days: defaultdict[int, int] = field(default_factory=lambda: defaultdict(int))
    # cast members some of whose closed days in its window a candidate could buy
    actors_to_buy: tuple[str, ...] = ()
    # no run of days to shoot it unless a crew is hired / an actor-day bought / either
    only_if_hiring: bool = False
    only_if_buying: bool = False
    only_if_either: bool = False


def _free_days(
    scenario: Scenario,
    calendar: Calendar,
    title: Title,
    crews_can_be_added: bool,
    days_bought: Mapping[str, frozenset[int]] | None = None,
) -> list[int]:
    """Days of the title's window on which its whole cast and some able crew are free.

    With ``crews_can_be_added`` a crew that could be hired (free every day, any
    genre) counts too, unless the title is pinned to a crew; the crew rows
    keep the title at zero until one is hired. ``days_bought``: closed days of
    actors that candidates could buy, counted as free (the actor rows and the
    title's bucket rows keep them at zero until bought).
    """
    first, last = scenario.title_window(title)
    crews = [c for c in scenario.crews if c.can_shoot(title.genre)]
    pin = scenario.pin_by_title.get(title.title_id)
    if pin is not None and pin.crew_id is not None:
        crews = [c for c in crews if c.crew_id == pin.crew_id]
        crews_can_be_added = False
    bought = days_bought or {}
    free = []
    for day in range(first, last + 1):
        if any(
            day in calendar.actor_closed.get(a, frozenset())
            and day not in bought.get(a, frozenset())
            for a in scenario.cast_every_day(title)
        ):
            continue
        if not crews_can_be_added and all(day in calendar.crew_closed[c.crew_id] for c in crews):
            continue
        free.append(day)
    return free


def _has_run(days: Sequence[int], length: int) -> bool:
    """Whether ``days`` (sorted) hold ``length`` consecutive days."""
    run, previous = 0, None
    for day in days:
        run = run + 1 if previous is not None and day == previous + 1 else 1
        if run >= length:
            return True
        previous = day
    return length <= 0


# -- the model -----------------------------------------------------------------------------


class CapacityModel:
    """The capacity LP of one scenario, with candidate additions as columns.

    Build once, then :meth:`solve` with either objective; the additions are
    fixed at zero until :meth:`allow_additions` lets them move.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        bucket_days: int = WEEK,
        candidates: Sequence[Candidate] = (),
        new_crew_days_in_row: int | None = None,
        rush: Iterable[str] = (),
    ) -> None:
        self.scenario = scenario
        # titles of a rush order (急单) among the scenario's, asked about apart from the others
        self.rush = frozenset(rush)
        self.buckets = calendar_buckets(scenario, bucket_days)
        self.bucket_of_day = [bucket.index for bucket in self.buckets for _ in bucket.days]
        self.calendar = Calendar(scenario)
        self.candidates = list(candidates)
        self.problem = pulp.LpProblem("capacity", pulp.LpMaximize)
        self.feasible = True
        # rows by family, for bottlenecks: name -> (family, subject ids, bucket or run)
        self.row_meaning: dict[str, RowMeaning] = {}
        self.added: dict[str, pulp.LpVariable] = {
            c.key: self.problem.add_variable(
                pulp_name("add", c.key), lowBound=0, upBound=0, cat=pulp.LpInteger
            )
            for c in self.candidates
        }
        # days_bought[actor]: the actor's closed days a candidate may buy;
        # bought[(actor, bucket index)]: days of them bought in that bucket
        self.days_bought: dict[str, frozenset[int]] = {
            c.actor_id: days_to_buy(scenario, c)
            for c in self.candidates
            if c.kind == "actor" and c.max_count > 0
        }
        self.bought: dict[tuple[str, int], pulp.LpVariable] = {}
        for actor_id, days in sorted(self.days_bought.items()):
            for bucket in self.buckets:
                count = sum(1 for d in bucket.days if d in days)
                if count:
                    self.bought[(actor_id, bucket.index)] = self.problem.add_variable(
                        pulp_name("actor_days", actor_id, f"w{bucket.index}"),
                        lowBound=0,
                        upBound=count,
                    )
        self._new_crew = Crew(
            "NEW", NEW_CREW_NAME, "", 0, genres=(), max_days_in_row=new_crew_days_in_row
        )
        self.titles: dict[str, _TitleColumns] = {}
        self._objectives: dict[str, pulp.LpAffineExpression] = {}
        self._add_title_columns()
        # sold[(base, set type, bucket)]: set-days rented out; 0 except when asking what is idle
        self.sold: dict[tuple[str, str, int], pulp.LpVariable] = {
            (base_id, set_type, bucket.index): self.problem.add_variable(
                pulp_name("sold", base_id, set_type, f"b{bucket.index}"), lowBound=0, upBound=0
            )
            for base_id, set_type in sorted(scenario.sets_by_base_and_type)
            for bucket in self.buckets
        }
        self._build()
        self.targets = self._question_rows()

    # -- columns ---------------------------------------------------------------------

    def _add_title_columns(self) -> None:
        scenario, calendar = self.scenario, self.calendar
        hiring = any(c.kind == "crew" and c.max_count > 0 for c in self.candidates)
        for title in scenario.titles:
            tid = title.title_id
            needs = title.days_by_set_type()
            pin = scenario.pin_by_title.get(tid)
            hosts = frozenset(calendar.bases_for(title))
            # free: days a crew of today's could shoot it; free_hiring: also a crew hired;
            # free_buying: also actor-days bought; free_all: both
            free = _free_days(scenario, calendar, title, False)
            free_hiring = _free_days(scenario, calendar, title, hiring) if hiring else free
            to_buy = {
                a: self.days_bought[a]
                for a in scenario.cast_every_day(title)
                if a in self.days_bought
            }
            free_buying, free_all = free, free_hiring
            if to_buy:
                free_buying = _free_days(scenario, calendar, title, False, to_buy)
                free_all = _free_days(scenario, calendar, title, hiring, to_buy)
            if pin is not None and pin.start_date is not None:
                start = scenario.day_index(pin.start_date)
                pinned_days = set(range(start, start + title.shoot_days))
                free = [d for d in free if d in pinned_days]
                free_hiring = [d for d in free_hiring if d in pinned_days]
                free_buying = [d for d in free_buying if d in pinned_days]
                free_all = [d for d in free_all if d in pinned_days]
            first, last = scenario.title_window(title)
            scheduled = self.problem.add_variable(
                pulp_name("scheduled", tid), lowBound=0, upBound=1
            )
            columns = _TitleColumns(title, first, last, hosts, scheduled)
            self.titles[tid] = columns
            if not hosts or not _has_run(free_all, title.shoot_days):
                scheduled.upBound = 0
                if pin is not None and not _has_run(free, title.shoot_days):
                    self.feasible = False
                continue
            length = title.shoot_days
            columns.only_if_hiring = not _has_run(free_buying, length)
            columns.only_if_buying = not _has_run(free_hiring, length)
            columns.only_if_either = not (
                _has_run(free, length) or columns.only_if_hiring or columns.only_if_buying
            )
            columns.actors_to_buy = tuple(to_buy)
            for day in free:
                columns.free_days[self.bucket_of_day[day]] += 1
            for day in set(free_hiring).difference(free):
                columns.hire_days[self.bucket_of_day[day]] += 1
            free_in: dict[int, int] = defaultdict(int)
            for day in free_all:
                free_in[self.bucket_of_day[day]] += 1
            for k, count in sorted(free_in.items()):
                columns.shoot_days[k] = self.problem.add_variable(
                    pulp_name("shoot_days", tid, f"b{k}"), lowBound=0, upBound=count
                )
                if len(needs) == 1:
                    (set_type,) = needs
                    columns.set_days[(set_type, k)] = columns.shoot_days[k]
                else:
                    for set_type in needs:
                        columns.set_days[(set_type, k)] = self.problem.add_variable(
                            pulp_name("set_days", tid, set_type, f"b{k}"), lowBound=0
                        )

    # -- rows ------------------------------------------------------------------------

    def _question_rows(self) -> dict[str, pulp.LpConstraint]:
        """Rows the questions switch on by changing their right-hand side.

        Built inert (``≥ 0``, ``≤`` a huge budget), so the bound is unchanged:
        titles and shoot days at least a target, additions within a budget,
        priority kept at least a level.
        """
        rows = {
            "titles": self.objective("titles") >= 0,
            "shoot_days": self.objective("shoot_days") >= 0,
            "budget": self.objective("cost") <= NO_BUDGET,
            "priority": self.objective("priority") >= 0,
            # keeps every sold column in the model even where no set row counts it
            "sold": self.objective("sold") >= 0,
        }
        if self.rush:
            rows["rush"] = self.objective("rush") >= 0
            rows["others"] = self.objective("others") >= 0
        for name, row in rows.items():
            self.problem.addConstraint(row, pulp_name("question", name))
        return rows

    def _sold(
        self, group: Iterable[str], set_type: str, first: int, last: int
    ) -> list[pulp.LpVariable]:
        """Sold set-days of a type in a group, in buckets that overlap ``first`` … ``last``."""
        return [
            self.sold[(base_id, set_type, bucket.index)]
            for base_id in group
            if (base_id, set_type) in self.calendar.open_sets
            for bucket in self.buckets
            if bucket.first <= last and first <= bucket.last
        ]

    def _build(self) -> None:
        # the objective is set by solve(); rows only
        for family in (
            self.actor_days_bought_within_the_purchase,
            self.title_shoots_its_days,
            self.pinned_titles_shoot,
            self.sets_host_one_shoot_a_day,
            self.bases_host_at_most_max_crews,
            self.crews_shoot_within_their_days,
            self.actors_shoot_one_title_a_day,
        ):
            family()

    def _add(
        self, expression: pulp.LpAffineExpression | pulp.LpConstraint, meaning: RowMeaning
    ) -> None:
        name = pulp_name(meaning.family, *meaning.subject, meaning.first, meaning.last)
        self.problem.addConstraint(expression, name)
        self.row_meaning[name] = meaning

    def actor_days_bought_within_the_purchase(self) -> None:
        """An actor's days bought, over all weeks, are at most the days the candidate buys.

        Each week's column is also at most the actor's closed days in that week
        (its upper bound): only a day the actor is away can be bought back.
        """
        by_actor: dict[str, list[pulp.LpVariable]] = defaultdict(list)
        for (actor_id, _), column in self.bought.items():
            by_actor[actor_id].append(column)
        for candidate in self.candidates:
            columns = by_actor.get(candidate.actor_id) if candidate.kind == "actor" else None
            if columns:
                self.problem.addConstraint(
                    pulp.lpSum(columns) <= self.added[candidate.key],
                    pulp_name("actor_days", candidate.actor_id),
                )

    def title_shoots_its_days(self) -> None:
        """Rule 1: a scheduled title shoots all its days, and each set type its set-days.

        Its shoot days fall in its window on days its cast and a crew are free
        (the columns' upper bounds); a bucket holds no more of its days than
        it has such days; each day uses one set of a needed type. Days on
        which only a hired crew would be free, and titles only a hired crew
        could shoot, open up only when a crew is hired; days a cast member is
        away, and titles that have no run of days without such days, open up
        only as far as that actor's days are bought; so the bound without
        additions does not depend on the candidates.
        """
        hired = [self.added[c.key] for c in self.candidates if c.kind == "crew"]
        for tid, columns in self.titles.items():
            if not columns.shoot_days:
                continue
            length = columns.title.shoot_days
            self.problem.addConstraint(
                pulp.lpSum(columns.shoot_days.values()) == length * columns.scheduled,
                pulp_name("shoot_days", tid),
            )
            # its days of the actors' days off that could be bought, in the weeks it may shoot
            bought_for_it = [
                self.bought[(a, k)]
                for a in columns.actors_to_buy
                for k in columns.shoot_days
                if (a, k) in self.bought
            ]
            if columns.only_if_hiring:
                self.problem.addConstraint(
                    columns.scheduled <= pulp.lpSum(hired), pulp_name("needs_a_hired_crew", tid)
                )
            if columns.only_if_buying:
                self.problem.addConstraint(
                    columns.scheduled <= pulp.lpSum(bought_for_it),
                    pulp_name("needs_bought_actor_days", tid),
                )
            if columns.only_if_either:
                self.problem.addConstraint(
                    columns.scheduled <= pulp.lpSum(hired) + pulp.lpSum(bought_for_it),
                    pulp_name("needs_a_hire_or_bought_days", tid),
                )
            for k, days in columns.shoot_days.items():
                free, upper = columns.free_days[k], int(days.upBound or 0)
                if upper > free:  # days only a hired crew, or a bought actor-day, frees
                    # a day a cast member is away is used only if one of them is bought
                    bought = [
                        self.bought[(a, k)] for a in columns.actors_to_buy if (a, k) in self.bought
                    ]
                    self.problem.addConstraint(
                        days
                        <= free * columns.scheduled
                        + columns.hire_days[k] * pulp.lpSum(hired)
                        + pulp.lpSum(bought),
                        pulp_name("in_bucket", tid, f"b{k}"),
                    )
                elif upper < length:
                    self.problem.addConstraint(
                        days <= upper * columns.scheduled, pulp_name("in_bucket", tid, f"b{k}")
                    )
            needs = columns.title.days_by_set_type()
            if len(needs) == 1:
                continue
            for k, days in columns.shoot_days.items():
                self.problem.addConstraint(
                    pulp.lpSum(columns.set_days[(t, k)] for t in needs) == days,
                    pulp_name("one_set_a_day", tid, f"b{k}"),
                )
            for set_type, need in needs.items():
                self.problem.addConstraint(
                    pulp.lpSum(columns.set_days[(set_type, k)] for k in columns.shoot_days)
                    == need * columns.scheduled,
                    pulp_name("set_days", tid, set_type),
                )
                for k in columns.shoot_days:
                    self.problem.addConstraint(
                        columns.set_days[(set_type, k)] <= need * columns.scheduled,
                        pulp_name("set_days_cap", tid, set_type, f"b{k}"),
                    )

    def pinned_titles_shoot(self) -> None:
        """Rule 8: a pinned title is scheduled (its base and start pins are in its columns)."""
        for tid in self.scenario.pin_by_title:
            columns = self.titles.get(tid)
            if columns is None or not columns.shoot_days:
                self.feasible = False
                continue
            self.problem.addConstraint(columns.scheduled == 1, pulp_name("pinned", tid))

    def _host_groups(self) -> list[frozenset[str]]:
        """Groups of bases that are exactly where some title can shoot."""
        return host_groups(c.hosts for c in self.titles.values() if c.shoot_days)

    def _inside(self, group: frozenset[str]) -> list[_TitleColumns]:
        return [c for c in self.titles.values() if c.shoot_days and c.hosts <= group]

    def _group_set_days(self, group: frozenset[str], set_type: str, first: int, last: int) -> int:
        """Open set-days of a type in a group of bases on ``first`` … ``last``."""
        return sum(self.calendar.set_days(b, set_type, first, last) for b in group)

    def _set_additions(
        self, group: frozenset[str], set_type: str, first: int, last: int
    ) -> list[tuple[pulp.LpVariable, int]]:
        """Added sets of a type in a group, each open the days its base is open."""
        return [
            (self.added[c.key], self.calendar.base_days(c.base_id, first, last))
            for c in self.candidates
            if c.kind == "set" and c.set_type == set_type and c.base_id in group
        ]

    def sets_host_one_shoot_a_day(self) -> None:
        """Rules 2, 4, 5: titles that can only shoot in a group of bases share its open sets.

        In every bucket, and over every run of days that holds whole windows
        of such titles, the set-days of a type they use are at most the
        group's open set-days of that type (plus added sets).
        """
        calendar = self.calendar
        for group in self._host_groups():
            inside = self._inside(group)
            set_types = sorted({t for c in inside for t in c.title.days_by_set_type()})
            for set_type in set_types:
                users = [c for c in inside if set_type in c.title.days_by_set_type()]
                for bucket in self.buckets:
                    used = [
                        c.set_days[(set_type, bucket.index)]
                        for c in users
                        if (set_type, bucket.index) in c.set_days
                    ]
                    cap = sum(
                        calendar.set_days(b, set_type, bucket.first, bucket.last) for b in group
                    )
                    added = self._set_additions(group, set_type, bucket.first, bucket.last)
                    if not used:
                        continue  # kept even when it cannot bind: selling set-days makes it bind
                    sold = self._sold(group, set_type, bucket.first, bucket.last)
                    self._add(
                        pulp.lpSum(used) + pulp.lpSum(sold) - pulp.lpSum(n * d for n, d in added)
                        <= cap,
                        RowMeaning("sets", (set_type, *sorted(group)), bucket.first, bucket.last),
                    )
                self._window_rows(
                    "sets_window",
                    (set_type, *sorted(group)),
                    [(c, c.title.days_by_set_type()[set_type]) for c in users],
                    partial(self._group_set_days, group, set_type),
                    partial(self._set_additions, group, set_type),
                    partial(self._sold, group, set_type),
                )

    def _window_rows(
        self,
        family: str,
        subject: tuple[str, ...],
        demand: Sequence[tuple[_TitleColumns, int]],
        capacity: Callable[[int, int], int],
        additions: Callable[[int, int], list[tuple[pulp.LpVariable, int]]],
        sold: Callable[[int, int], list[pulp.LpVariable]] | None = None,
        inside_run: Callable[[int, int], pulp.LpAffineExpression] | None = None,
    ) -> None:
        """Titles whose windows lie inside a run of days fit the run's capacity.

        For every run from some title's first day to some title's last day:
        Σ (days of that title) × scheduled ≤ capacity of the run. Added only
        where the titles inside could overflow it. ``inside_run`` gives the
        left-hand side as an expression of fewer terms, where one is kept.
        """
        # demand by window, so that a run's demand is a sum over window cells
        cells: dict[tuple[int, int], list[tuple[_TitleColumns, int]]] = defaultdict(list)
        for columns, days in demand:
            cells[(columns.first, columns.last)].append((columns, days))
        totals = {window: sum(days for _, days in group) for window, group in cells.items()}
        firsts = sorted({first for first, _ in cells})
        lasts = sorted({last for _, last in cells})
        for first in firsts:
            for last in lasts:
                if last < first:
                    continue
                windows = [w for w in cells if first <= w[0] and w[1] <= last]
                if sum(len(cells[w]) for w in windows) < 2:
                    continue
                cap = capacity(first, last)
                if sum(totals[w] for w in windows) <= cap:
                    continue
                if inside_run is None:
                    inside = [item for w in windows for item in cells[w]]
                    used = pulp.lpSum(days * c.scheduled for c, days in inside)
                else:
                    used = inside_run(first, last)
                added = additions(first, last)
                rented_out = [] if sold is None else sold(first, last)
                self._add(
                    used + pulp.lpSum(rented_out) - pulp.lpSum(n * d for n, d in added) <= cap,
                    RowMeaning(family, subject, first, last),
                )

    def bases_host_at_most_max_crews(self) -> None:
        """Rule 6: titles that can only shoot in a group of bases fit its bases' daily limits.

        Counted only for groups with a ``max_crews`` base; elsewhere the set
        rows are at least as strong.
        """
        calendar, scenario = self.calendar, self.scenario
        for group in self._host_groups():
            if all(scenario.base_by_id[b].max_crews is None for b in group):
                continue
            inside = self._inside(group)
            for bucket in self.buckets:
                shooting = [
                    c.shoot_days[bucket.index] for c in inside if bucket.index in c.shoot_days
                ]
                cap = sum(calendar.base_title_days(b, bucket.first, bucket.last) for b in group)
                added = [
                    (self.added[c.key], calendar.base_days(c.base_id, bucket.first, bucket.last))
                    for c in self.candidates
                    if c.kind == "set"
                    and c.base_id in group
                    and scenario.base_by_id[c.base_id].max_crews is None
                ]
                if not shooting or len(shooting) * len(bucket) <= cap:
                    continue
                self._add(
                    pulp.lpSum(shooting) - pulp.lpSum(n * d for n, d in added) <= cap,
                    RowMeaning("base_days", tuple(sorted(group)), bucket.first, bucket.last),
                )

    def crews_shoot_within_their_days(self) -> None:
        """Rules 3, 4, 5, 9: titles of a group of genres shoot no more days than its crews can.

        For every group of genres, in every bucket, over the horizon and over
        every run that holds whole windows: the shoot days of titles of those
        genres are at most the days the crews able to shoot one of them can
        work (free days less forced rest days), plus added crews.
        """
        scenario, calendar = self.scenario, self.calendar
        crew_candidates = [c for c in self.candidates if c.kind == "crew"]
        genres = sorted({c.title.genre for c in self.titles.values() if c.shoot_days})

        def additions(first: int, last: int) -> list[tuple[pulp.LpVariable, int]]:
            days = crew_work_days(self._new_crew, frozenset(), first, last)
            return [(self.added[c.key], days) for c in crew_candidates]

        # groups of genres overlap: their rows sum per-genre totals, not every title again
        genre_days = _GenreDays(self)
        for group in genre_groups(scenario, genres):
            crews = [c for c in scenario.crews if any(c.can_shoot(g) for g in group)]
            titles = [c for c in self.titles.values() if c.shoot_days and c.title.genre in group]
            subject = tuple(group)

            # crews with the same closed days and rest rule work alike: count them once
            alike = Counter((calendar.crew_closed[c.crew_id], c.max_days_in_row) for c in crews)
            examples = {(calendar.crew_closed[c.crew_id], c.max_days_in_row): c for c in crews}

            def capacity(
                first: int,
                last: int,
                alike: Counter[tuple[frozenset[int], int | None]] = alike,
                examples: dict[tuple[frozenset[int], int | None], Crew] = examples,
            ) -> int:
                return sum(
                    count * calendar.crew_days(examples[kind], first, last)
                    for kind, count in alike.items()
                )

            for bucket in self.buckets:
                shooting = [
                    c.shoot_days[bucket.index] for c in titles if bucket.index in c.shoot_days
                ]
                cap = capacity(bucket.first, bucket.last)
                if not shooting or (not crew_candidates and len(shooting) * len(bucket) <= cap):
                    continue
                self._add(
                    pulp.lpSum(genre_days.in_bucket(g, bucket.index) for g in group)
                    - pulp.lpSum(n * d for n, d in additions(bucket.first, bucket.last))
                    <= cap,
                    RowMeaning("crews", subject, bucket.first, bucket.last),
                )
            self._window_rows(
                "crews_window",
                subject,
                [(c, c.title.shoot_days) for c in titles],
                capacity,
                additions,
                inside_run=partial(genre_days.group_run, group),
            )

    def actors_shoot_one_title_a_day(self) -> None:
        """Rule 4: an actor shoots at most one title a day.

        In every bucket, and over every run that holds whole windows of the
        actor's titles, their shoot days are at most the actor's free days,
        plus the days of theirs bought in the weeks the run touches.
        """
        calendar = self.calendar

        def bought_in(actor_id: str, first: int, last: int) -> list[tuple[pulp.LpVariable, int]]:
            # whole weeks: a week's bought days may lie outside the run, so this may only
            # overcount what a run gains, and the model stays a relaxation
            return [
                (self.bought[(actor_id, b.index)], 1)
                for b in self.buckets
                if (actor_id, b.index) in self.bought and b.first <= last and first <= b.last
            ]

        titles_of: dict[str, list[_TitleColumns]] = defaultdict(list)
        for columns in self.titles.values():
            if columns.shoot_days:
                for actor_id in self.scenario.cast_every_day(columns.title):
                    titles_of[actor_id].append(columns)
        for actor_id, titles in sorted(titles_of.items()):
            for bucket in self.buckets:
                shooting = [
                    c.shoot_days[bucket.index] for c in titles if bucket.index in c.shoot_days
                ]
                cap = calendar.actor_days(actor_id, bucket.first, bucket.last)
                if len(shooting) < 2:
                    continue
                added = self.bought.get((actor_id, bucket.index))
                self._add(
                    pulp.lpSum(shooting) - (0 if added is None else added) <= cap,
                    RowMeaning("actor", (actor_id,), bucket.first, bucket.last),
                )
            self._window_rows(
                "actor_window",
                (actor_id,),
                [(c, c.title.shoot_days) for c in titles],
                partial(calendar.actor_days, actor_id),
                partial(bought_in, actor_id),
            )

    # -- solving ---------------------------------------------------------------------

    def objective(self, kind: Goal) -> pulp.LpAffineExpression:
        """What a question maximises or minimises, as an expression over the columns.

        ``priority``: Σ priority of scheduled titles; ``titles``: how many
        titles; ``shoot_days``: their shoot days; ``cost``: rent of the
        additions over the horizon (actor days: their price); ``sold``: set-days
        rented out; ``rush`` and ``others``: how many titles of the rush order,
        and of the rest.
        """
        if kind not in self._objectives:
            titles = self.titles.values()
            days = self.scenario.days
            self._objectives[kind] = {
                "priority": lambda: pulp.lpSum(c.title.priority * c.scheduled for c in titles),
                "titles": lambda: pulp.lpSum(c.scheduled for c in titles),
                "shoot_days": lambda: pulp.lpSum(v for c in titles for v in c.shoot_days.values()),
                "cost": lambda: pulp.lpSum(
                    c.cost(days) * self.added[c.key] for c in self.candidates
                ),
                "sold": lambda: pulp.lpSum(self.sold.values()),
                "rush": lambda: pulp.lpSum(
                    c.scheduled for c in titles if c.title.title_id in self.rush
                ),
                "others": lambda: pulp.lpSum(
                    c.scheduled for c in titles if c.title.title_id not in self.rush
                ),
                # the most titles, and of those the cheapest: every candidate at its
                # max_count together weighs a hundredth of a title
                "titles_then_cost": lambda: (
                    self.objective("titles")
                    - CHEAP_FIRST / max(1.0, self._full_cost()) * self.objective("cost")
                ),
            }[kind]()
        return self._objectives[kind]

    def _full_cost(self) -> float:
        """Rent of every candidate at its ``max_count`` over the horizon."""
        return float(sum(c.cost(self.scenario.days, c.max_count) for c in self.candidates))

    def set_objective(self, objective: Objective) -> None:
        """Maximise Σ priority (``priority``) or the number of titles (``titles``)."""
        self.problem.setObjective(self.objective(objective))
        self.problem.sense = pulp.LpMaximize

    @property
    def size(self) -> tuple[int, int]:
        """Columns and rows."""
        return len(self.problem.variables()), self.problem.numConstraints()


class _GenreDays:
    """Shoot days of one genre's titles, as columns that rows over groups of genres share.

    ``in_bucket(g, k)``: the genre's shoot days in bucket ``k``;
    ``inside_run(g, first, last)``: days × scheduled of its titles whose windows lie
    inside ``first`` … ``last``, by inclusion–exclusion over window cells
    (each run's column is its own cell plus two smaller runs less their overlap),
    so a row over a group of genres has a few terms, not every title.
    """

    def __init__(self, model: CapacityModel) -> None:
        self.model = model
        self.titles: dict[str, list[_TitleColumns]] = defaultdict(list)
        for columns in model.titles.values():
            if columns.shoot_days:
                self.titles[columns.title.genre].append(columns)
        self.cells: dict[tuple[str, int, int], list[_TitleColumns]] = defaultdict(list)
        for genre, titles in self.titles.items():
            for columns in titles:
                self.cells[(genre, columns.first, columns.last)].append(columns)
        self._bucket: dict[tuple[str, int], pulp.LpVariable] = {}
        self._run: dict[tuple[str, int, int], pulp.LpVariable] = {}

    def _column(
        self, name: tuple[object, ...], defined_as: pulp.LpAffineExpression
    ) -> pulp.LpVariable:
        problem = self.model.problem
        column = problem.add_variable(pulp_name(*name))
        problem.addConstraint(column == defined_as, pulp_name(*name, "is"))
        return column

    def in_bucket(self, genre: str, k: int) -> pulp.LpVariable:
        if (genre, k) not in self._bucket:
            days = [c.shoot_days[k] for c in self.titles[genre] if k in c.shoot_days]
            self._bucket[(genre, k)] = self._column(
                ("genre_days", genre, f"b{k}"), pulp.lpSum(days)
            )
        return self._bucket[(genre, k)]

    def group_run(self, genres: Sequence[str], first: int, last: int) -> pulp.LpAffineExpression:
        """``inside_run`` summed over a group of genres."""
        return pulp.lpSum(self.inside_run(g, first, last) for g in genres)

    def inside_run(self, genre: str, first: int, last: int) -> pulp.LpAffineExpression:
        if first > last:
            return pulp.LpAffineExpression()
        key = (genre, first, last)
        if key not in self._run:
            own = pulp.lpSum(c.title.shoot_days * c.scheduled for c in self.cells.get(key, ()))
            self._run[key] = self._column(
                ("genre_run", genre, f"d{first}", f"d{last}"),
                own
                + self.inside_run(genre, first + 1, last)
                + self.inside_run(genre, first, last - 1)
                - self.inside_run(genre, first + 1, last - 1),
            )
        return pulp.LpAffineExpression(self._run[key])


@dataclass(frozen=True, slots=True)
class RowMeaning:
    """What a capacity row stands for: its family, whom it is about, which days."""

    family: str
    subject: tuple[str, ...]
    first: int
    last: int


# -- solving -----------------------------------------------------------------------------


def capacity_priority_bound(
    scenario: Scenario, *, bucket_days: int = WEEK, solver: CapacitySolver = "highs"
) -> tuple[int | None, str]:
    """The capacity model's bound on Σ priority of scheduled titles, and a line for the log.

    ``None`` when nothing was proven (pins that cannot all be kept, or a solver failure).
    """
    started = time.perf_counter()
    model = CapacityModel(scenario, bucket_days=bucket_days)
    if not model.feasible:
        return None, "capacity model: the pins cannot all be kept"
    model.set_objective("priority")
    solution = solve_lp(model.problem, solver=solver)
    if solution.objective is None or not solution.proven:
        return None, f"capacity model: {solution.status_text}"
    bound = max(0, math.floor(solution.objective + ROUNDING_SLACK))
    columns, rows = model.size
    summary = (
        f"priority bound {bound} (capacity-{solver}; LP {solution.objective:.2f}), "
        f"{columns} columns × {rows} rows, {time.perf_counter() - started:.1f} s"
    )
    return bound, summary
