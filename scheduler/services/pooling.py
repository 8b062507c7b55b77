"""The pooling dividend (区域协同): what sharing crews and actors between cities is worth.

A cluster whose bases lie in several cities is planned once per pooling policy —
each city alone (crews and actors only in their home city), all cities pooled
(anyone anywhere, travel days apply, rule 7), or groups of cities in between —
with the same seed and time limit, every plan checked (:func:`plan_scenario`). A pin
that no plan can keep under a policy (a crew pinned to a base outside its city group)
is dropped for that policy and said in the report.
A plan of finer groups keeps the rules of coarser ones (a plan of the cities alone
is also a plan of the cities pooled), so each policy starts from the best plan of
the policies already planned that its own rules accept: the pooled plan is never
worse than the plan of the cities alone.

:func:`plan_pooling` returns a :class:`PoolingReport`: per policy the titles, the
priority, the cost and titles per month, and per city the titles, priority, cost,
set utilisation, idle set-days and crews; and the dividend of pooling over the
cities alone. ``report.to_json()`` is what ``python -m scheduler pooling --out``
writes.

>>> report = plan_pooling(scenario, time_limit=60)          # doctest: +SKIP
>>> report.dividend.titles_per_month                         # doctest: +SKIP
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from scheduler.check.bookings import actor_bookings
from scheduler.check.checker import check_plan
from scheduler.domain.model import Scenario
from scheduler.domain.money import format_cny
from scheduler.domain.plan import Plan
from scheduler.domain.pooling import (
    pins_against_groups,
    policy_groups,
    policy_name,
    with_pooling,
)
from scheduler.domain.sweep import ALONE, POOLED, PoolingPolicy
from scheduler.services.planning import PlanOutcome, plan_scenario
from solver.result import Progress, ProgressCallback
from solver.status import SolveStatus

__all__ = [
    "CityFigures",
    "Dividend",
    "PolicyResult",
    "PoolingReport",
    "PoolingStep",
    "city_figures",
    "plan_pooling",
    "policy_label",
]

RATIO_DIGITS = 4


@dataclass(frozen=True)
class CityFigures:
    """One city under one policy: what its bases shot, what it cost, what stood idle.

    A title counts in the city of its base. ``cost`` is the day rates of the sets and
    crews of the shoots at its bases and of the actors those titles book.
    ``crews_from_elsewhere`` are crews used there whose home base is in another city.
    """

    city: str
    titles: int
    priority: int
    cost: int
    titles_per_30_days: float
    booked_set_days: int
    available_set_days: int
    crews_used: int
    crews_from_elsewhere: int

    @property
    def idle_set_days(self) -> int:
        """Available set-days nobody booked."""
        return self.available_set_days - self.booked_set_days

    @property
    def set_utilisation(self) -> float:
        """Booked / available set-days, 0..1 (0 when nothing is available)."""
        if not self.available_set_days:
            return 0.0
        return round(self.booked_set_days / self.available_set_days, RATIO_DIGITS)

    def to_json(self) -> dict[str, Any]:
        return {
            "titles": self.titles,
            "priority": self.priority,
            "cost": self.cost,
            "titles_per_30_days": self.titles_per_30_days,
            "set_utilisation": self.set_utilisation,
            "booked_set_days": self.booked_set_days,
            "available_set_days": self.available_set_days,
            "idle_set_days": self.idle_set_days,
            "crews_used": self.crews_used,
            "crews_from_elsewhere": self.crews_from_elsewhere,
        }


@dataclass(frozen=True)
class PolicyResult:
    """One policy planned: its groups of cities, the checked plan and the figures."""

    name: str
    groups: tuple[tuple[str, ...], ...]
    outcome: PlanOutcome
    by_city: tuple[CityFigures, ...]
    seconds: float
    unpinned: dict[str, str] = field(default_factory=dict)
    """Pinned titles whose pin no plan can keep under this policy (rule 11), with why:
    planned here without their pin."""
    hinted_by: str = ""
    """The policy whose plan was offered as this one's start (blank: none); the solve
    starts from it when it schedules at least the greedy plan's priority."""

    @property
    def ok(self) -> bool:
        """Whether the checker confirmed the plan (rules 1–11)."""
        return self.outcome.ok

    @property
    def kpis(self) -> dict[str, Any]:
        return dict(self.outcome.kpis)

    @property
    def scheduled_titles(self) -> int:
        return int(self.outcome.kpis["scheduled_titles"])

    @property
    def priority_scheduled(self) -> int:
        return int(self.outcome.kpis["priority_scheduled"])

    @property
    def cost(self) -> int:
        return int(self.outcome.kpis["cost"])

    @property
    def titles_per_30_days(self) -> float:
        return float(self.outcome.kpis["titles_per_30_days"])

    @property
    def set_utilisation(self) -> float:
        return float(self.outcome.kpis["set_utilisation"])

    @property
    def idle_set_days(self) -> int:
        return sum(city.idle_set_days for city in self.by_city)

    def to_json(self) -> dict[str, Any]:
        kpis = self.outcome.kpis
        return {
            "groups": [list(group) for group in self.groups],
            "status": self.outcome.status.value,
            "checked": self.ok,
            "scheduled_titles": self.scheduled_titles,
            "unscheduled_titles": int(kpis["unscheduled_titles"]),
            "priority_scheduled": self.priority_scheduled,
            "priority_bound": kpis.get("priority_bound"),
            "cost": self.cost,
            "titles_per_30_days": self.titles_per_30_days,
            "set_utilisation": self.set_utilisation,
            "idle_set_days": self.idle_set_days,
            "solve_seconds": round(self.seconds, 3),
            "hinted_by": self.hinted_by or None,
            "unpinned": dict(self.unpinned),
            "problems": list(self.outcome.problems),
            "by_city": {city.city: city.to_json() for city in self.by_city},
        }


def policy_label(name: str) -> str:
    """How a policy is named to people, Chinese first: ``各城独立 alone`` …"""
    if name == ALONE:
        return "各城独立 alone"
    if name == POOLED:
        return "区域协同 pooled"
    return f"分组协同 {name}"


@dataclass(frozen=True)
class Dividend:
    """What ``compared`` gains over ``reference`` (by default: pooled over alone).

    ``share`` is the gain in titles per month as a share of the reference's
    (``None`` when the reference finishes no title).
    """

    reference: str
    compared: str
    titles_per_month: float
    share: float | None
    scheduled_titles: int
    priority: int
    cost: int

    def sentence(self, proven: bool = True) -> str:
        """The dividend in words, Chinese then English, only what the figures say.

        ``proven``: whether both plans' priority is proven optimal; if not, the
        sentence says the difference may come partly from the time limit.
        """
        zh_what = (
            "区域协同（共享剧组和演员）"
            if self.compared == POOLED
            else policy_label(self.compared).split(" ")[0]
        )
        zh_base = "各城独立" if self.reference == ALONE else policy_label(self.reference)
        en_what, en_base = self.compared, self.reference
        gain = self.titles_per_month
        if gain > 0:
            share = "" if self.share is None else f"（+{self.share:.1%}）"
            zh = f"{zh_what}比{zh_base}每月多排 {gain:g} 部剧{share}"
            en_share = "" if self.share is None else f" (+{self.share:.1%})"
            en = f"{en_what} finishes {gain:g} more titles a month than {en_base}{en_share}"
        elif gain < 0:
            share = "" if self.share is None else f"（{self.share:.1%}）"
            zh = f"{zh_what}比{zh_base}每月少排 {-gain:g} 部剧{share}"
            en_share = "" if self.share is None else f" ({self.share:.1%})"
            en = f"{en_what} finishes {-gain:g} fewer titles a month than {en_base}{en_share}"
        else:
            zh = f"{zh_what}与{zh_base}每月排的剧一样多"
            en = f"{en_what} finishes as many titles a month as {en_base}"
        zh += f"，总优先级 {self.priority:+d}"
        en += f", total priority {self.priority:+d}"
        if self.cost > 0:
            zh += f"，成本多 {format_cny(self.cost)}"
            en += f", costing {format_cny(self.cost)} more"
        elif self.cost < 0:
            zh += f"，成本少 {format_cny(-self.cost)}"
            en += f", costing {format_cny(-self.cost)} less"
        else:
            zh += "，成本相同"
            en += ", at the same cost"
        if not proven:
            zh += "（两个方案未都证得最优，差异可能部分来自求解时限）"
            en += " (not both plans proven optimal: part of the difference may be the time limit)"
        return f"{zh}。/ {en}."

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "compared": self.compared,
            "titles_per_month": self.titles_per_month,
            "share": self.share,
            "scheduled_titles": self.scheduled_titles,
            "priority": self.priority,
            "cost": self.cost,
        }


@dataclass(frozen=True)
class PoolingReport:
    """Every policy planned for one scenario, in the order asked, and the dividend."""

    scenario_name: str
    cities: tuple[str, ...]
    time_limit: float
    seed: int
    workers: int
    policies: dict[str, PolicyResult] = field(default_factory=dict)
    stopped: bool = False
    """Whether the planning was stopped: the policy under way kept its best plan so far, and
    policies not yet started are missing."""

    @property
    def ok(self) -> bool:
        """Whether every policy planned has a checked plan."""
        return all(result.ok for result in self.policies.values())

    @property
    def dividend(self) -> Dividend | None:
        """Pooled over alone, when both were planned."""
        return self.dividend_of(POOLED, ALONE)

    def dividend_of(self, compared: str, reference: str = ALONE) -> Dividend | None:
        """What policy ``compared`` gains over policy ``reference``, when both were planned."""
        if compared not in self.policies or reference not in self.policies:
            return None
        a, b = self.policies[reference], self.policies[compared]
        gain = round(b.titles_per_30_days - a.titles_per_30_days, 2)
        share = round(gain / a.titles_per_30_days, RATIO_DIGITS) if a.titles_per_30_days else None
        return Dividend(
            reference=reference,
            compared=compared,
            titles_per_month=gain,
            share=share,
            scheduled_titles=b.scheduled_titles - a.scheduled_titles,
            priority=b.priority_scheduled - a.priority_scheduled,
            cost=b.cost - a.cost,
        )

    def proven(self, *names: str) -> bool:
        """Whether the plans of ``names`` all have their priority proven optimal."""
        return all(self.policies[name].outcome.status is SolveStatus.OPTIMAL for name in names)

    def dividend_sentence(self) -> str:
        """Pooled over alone in words (:meth:`Dividend.sentence`); blank without both."""
        dividend = self.dividend
        if dividend is None:
            return ""
        return dividend.sentence(self.proven(ALONE, POOLED))

    def to_json(self) -> dict[str, Any]:
        """``{"scenario", "cities", "settings", "policies": {name: …}, "dividend": … | null}``."""
        dividend = self.dividend
        return {
            "scenario": self.scenario_name,
            "cities": list(self.cities),
            "settings": {
                "time_limit": self.time_limit,
                "seed": self.seed,
                "workers": self.workers,
            },
            "stopped": self.stopped,
            "policies": {name: result.to_json() for name, result in self.policies.items()},
            "dividend": None
            if dividend is None
            else {**dividend.to_json(), "sentence": self.dividend_sentence()},
        }


@dataclass(frozen=True)
class PoolingStep:
    """Where :func:`plan_pooling` is: policy ``number`` of ``total`` and its solver's progress."""

    policy: str
    number: int
    total: int
    progress: Progress | None = None


# -- figures per city ----------------------------------------------------------------


def city_figures(scenario: Scenario, plan: Plan) -> tuple[CityFigures, ...]:
    """The figures of every city of ``scenario`` (sorted) in ``plan``."""
    city_of_base = {base.base_id: base.city for base in scenario.bases}
    home = scenario.crew_home_city
    city_of_title: dict[str, str] = {}
    last_day: dict[str, int] = {}
    booked: set[tuple[str, int]] = set()
    cost: dict[str, int] = defaultdict(int)
    crews: dict[str, set[str]] = defaultdict(set)
    for shoot in plan.shoots:
        city = city_of_base.get(shoot.base_id, "")
        city_of_title.setdefault(shoot.title_id, city)
        day = scenario.day_index(shoot.date)
        last_day[shoot.title_id] = max(day, last_day.get(shoot.title_id, day))
        booked.add((shoot.set_id, day))
        film_set = scenario.set_by_id.get(shoot.set_id)
        crew = scenario.crew_by_id.get(shoot.crew_id)
        cost[city] += (film_set.day_rate if film_set else 0) + (crew.day_rate if crew else 0)
        crews[city].add(shoot.crew_id)
    for booking in actor_bookings(scenario, plan):
        actor = scenario.actor_by_id.get(booking.actor_id)
        if actor is not None:
            cost[city_of_title.get(booking.title_id, "")] += actor.day_rate * len(booking.dates)
    available: dict[str, int] = defaultdict(int)
    used: dict[str, int] = defaultdict(int)
    for film_set in scenario.sets:
        city = city_of_base[film_set.base_id]
        closed = scenario.unavailable_days("set", film_set.set_id)
        for day in range(scenario.days):
            if day not in closed:
                available[city] += 1
                used[city] += (film_set.set_id, day) in booked
    titles: dict[str, list[str]] = defaultdict(list)
    for title_id, city in city_of_title.items():
        if title_id in scenario.title_by_id:
            titles[city].append(title_id)
    figures = []
    for city in scenario.cities:
        here = titles[city]
        finished = sum(1 for t in here if 0 <= last_day[t] < scenario.days)
        figures.append(
            CityFigures(
                city=city,
                titles=len(here),
                priority=sum(scenario.title_by_id[t].priority for t in here),
                cost=cost[city],
                titles_per_30_days=round(finished * 30 / scenario.days, 2),
                booked_set_days=used[city],
                available_set_days=available[city],
                crews_used=len(crews[city]),
                crews_from_elsewhere=sum(1 for c in crews[city] if home.get(c, city) != city),
            )
        )
    return tuple(figures)


# -- planning ---------------------------------------------------------------------


def _finest_first(
    scenario: Scenario, policies: Sequence[PoolingPolicy]
) -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
    """``(name, groups)`` of each policy, validated, most groups first (alone before pooled).

    Raises ValueError for an unknown policy word, a city no base is in, or two policies
    of one name.
    """
    named: dict[str, tuple[tuple[str, ...], ...]] = {}
    for policy in policies:
        name = policy_name(policy)
        if name in named:
            raise ValueError(f"协同方式 {name} 重复 the pooling policy {name} is given twice")
        named[name] = policy_groups(scenario, policy)

    def group_count(groups: tuple[tuple[str, ...], ...]) -> int:
        if not groups:
            return 1
        listed = {city for group in groups for city in group}
        return len(groups) + sum(1 for city in scenario.cities if city not in listed)

    return sorted(named.items(), key=lambda item: -group_count(item[1]))


def plan_pooling(
    scenario: Scenario,
    *,
    policies: Sequence[PoolingPolicy] = (ALONE, POOLED),
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    progress: Callable[[PoolingStep], None] | None = None,
    stop: threading.Event | None = None,
) -> PoolingReport:
    """Plan ``scenario`` once per pooling policy and compare them.

    Parameters
    ----------
    scenario
        A cluster whose bases lie in one or more cities (its own ``pooling`` is replaced).
    policies
        ``"alone"``, ``"pooled"`` or groups of cities
        (:data:`scheduler.domain.sweep.PoolingPolicy`). They are planned finest first
        (most groups), each with its own ``time_limit``, each starting from the best
        checked plan so far that keeps its rules.
    time_limit, seed, workers
        Of each solve (:func:`scheduler.services.planning.plan_scenario`).
    progress
        Called with a :class:`PoolingStep` when a policy starts and on each of its
        solver's improving solutions.
    stop
        When set, the solve under way returns its best plan and no further policy starts.

    Raises
    ------
    ValueError
        A policy names a city no base is in, a city twice, or is an unknown word.
    """
    order = _finest_first(scenario, policies)
    results: dict[str, PolicyResult] = {}
    for number, (name, groups) in enumerate(order, start=1):
        if stop is not None and stop.is_set():
            break
        planned = with_pooling(scenario, groups)
        unpinned = pins_against_groups(planned)
        if unpinned:
            planned = replace(
                planned, pins=tuple(p for p in planned.pins if p.title_id not in unpinned)
            )
        hint_name, hint = _best_start(planned, results)

        step = PoolingStep(name, number, len(order))
        if progress is not None:
            progress(step)
        started = time.monotonic()
        outcome = plan_scenario(
            planned,
            time_limit=time_limit,
            seed=seed,
            workers=workers,
            progress=None if progress is None else _forward(progress, step),
            stop=stop,
            hint=hint,
        )
        results[name] = PolicyResult(
            name=name,
            groups=groups,
            outcome=outcome,
            by_city=city_figures(planned, outcome.plan),
            seconds=time.monotonic() - started,
            hinted_by=hint_name if hint is not None else "",
            unpinned=unpinned,
        )
    asked = [policy_name(policy) for policy in policies]
    return PoolingReport(
        scenario_name=scenario.name,
        cities=scenario.cities,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        policies={name: results[name] for name in asked if name in results},
        stopped=stop is not None and stop.is_set(),
    )


def _forward(report: Callable[[PoolingStep], None], step: PoolingStep) -> ProgressCallback:
    """A solver progress callback that reports ``step`` with the solver's progress."""

    def forward(progress: Progress) -> None:
        report(replace(step, progress=progress))

    return forward


def _best_start(scenario: Scenario, results: dict[str, PolicyResult]) -> tuple[str, Plan | None]:
    """The checked plan of most priority so far that keeps ``scenario``'s rules, by name."""
    best: tuple[int, str, Plan] | None = None
    for name, result in results.items():
        if not result.ok or (best is not None and result.priority_scheduled <= best[0]):
            continue
        if not check_plan(scenario, result.outcome.plan):
            best = (result.priority_scheduled, name, result.outcome.plan)
    return ("", None) if best is None else (best[1], best[2])
