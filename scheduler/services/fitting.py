"""Fit a rush title (插单) into a stored plan: the call the command line and the app make.

:func:`fit_rush_title` checks the rush title against the scenario (as TITLE.csv
would be checked), adds it, and asks :func:`solver.slate.fit.fit_title` for the
best options, each confirmed by the independent checker; it times the search.
:func:`accept_option` stores the scenario with the rush title (a new version)
and the option's plan, checked once more, under that version, in one transaction.

>>> outcome = fit_rush_title(scenario, plan, title)               # doctest: +SKIP
>>> accept_option(store, scenario_id, version, outcome, outcome.options[0],
...               lambda v: f"插单 v{v}")                            # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scheduler.check.checker import check_plan
from scheduler.check.kpis import compute_kpis
from scheduler.domain.model import Scenario, Title
from scheduler.domain.plan import Plan
from scheduler.io.rush_title import rush_title_from_row, title_row, with_rush_title
from scheduler.services.planning import UncheckedPlanError
from solver.slate.choices import Choice
from solver.slate.fit import DEFAULT_OPTIONS, DEFAULT_SECONDS, FitOption, Move, fit_title

if TYPE_CHECKING:
    from scheduler.storage import ScenarioStore

__all__ = [
    "AcceptedFit",
    "FitOption",
    "FitOutcome",
    "Move",
    "accept_option",
    "choice_text",
    "fit_rush_title",
    "move_text",
    "outcome_json",
]


@dataclass(frozen=True)
class FitOutcome:
    """The options for one rush title against one plan, best first.

    ``scenario`` is the scenario with the rush title in it; ``plan`` the earlier
    plan. Every option's plan passed the checker. ``shortfall`` says, in
    Chinese, why there are fewer options than asked (``None`` if there are
    not). ``seconds`` is the wall time of the search; ``chains`` the chain
    searches it ran (titles moved to make room for a dropped one) and
    ``chains_improved`` those that gave an option more priority.
    """

    scenario: Scenario
    plan: Plan
    title: Title
    options: tuple[FitOption, ...]
    shortfall: str | None
    seconds: float
    tried: int = 0
    evaluated: int = 0
    chains: int = 0
    chains_improved: int = 0


@dataclass(frozen=True)
class AcceptedFit:
    """What accepting an option stored: the scenario's new version and the plan's id."""

    scenario_version: int
    plan_id: int


def fit_rush_title(
    scenario: Scenario,
    plan: Plan,
    rush_title: Title,
    options: int = DEFAULT_OPTIONS,
    *,
    label: str = "插单 rush title",
    published: frozenset[str] = frozenset(),
    seconds: float = DEFAULT_SECONDS,
) -> FitOutcome:
    """The best ``options`` ways to fit ``rush_title`` into ``plan``.

    Titles in ``published`` (already sent out) are never moved or dropped.
    ``seconds`` bounds the search (see :func:`solver.slate.fit.fit_title`).

    Raises
    ------
    scheduler.domain.errors.ScenarioError
        The rush title breaks a rule of the scenario (an unknown actor, a set
        type no base has, a window outside the horizon, an id already used),
        every problem at ``label:row:column``.
    """
    title = rush_title_from_row(scenario, title_row(rush_title), label)
    with_title = with_rush_title(scenario, title)
    started = time.perf_counter()
    found = fit_title(
        with_title, plan, title, check_plan, options, published=published, seconds=seconds
    )
    return FitOutcome(
        scenario=with_title,
        plan=plan,
        title=title,
        options=found.options,
        shortfall=found.shortfall,
        seconds=time.perf_counter() - started,
        tried=found.tried,
        evaluated=found.evaluated,
        chains=found.chains,
        chains_improved=found.chains_improved,
    )


def option_kpis(outcome: FitOutcome, option: FitOption) -> dict[str, Any]:
    """The KPIs of an option's plan, with what the fit changed (Δs, moved titles)."""
    kpis = compute_kpis(
        outcome.scenario,
        option.plan,
        status="feasible",
        priority_bound=None,
        solve_seconds=outcome.seconds,
    )
    kpis["fit"] = option_json(outcome.scenario, option)
    return kpis


def accept_option(
    store: ScenarioStore,
    scenario_id: int,
    scenario_version: int,
    outcome: FitOutcome,
    option: FitOption,
    label: Callable[[int], str],
) -> AcceptedFit:
    """Store the scenario with the rush title and the option's plan; the new version and plan id.

    Both are stored in one transaction (:meth:`ScenarioStore.save_with_plan`), or
    neither is. ``scenario_version`` is the stored version the fit was made on
    (the save refuses if someone saved in between); ``label`` names the stored
    plan from the scenario's new version.

    Raises
    ------
    UncheckedPlanError
        The checker finds a broken rule in the option's plan; nothing is stored.
    scheduler.storage.StorageError
        The store refused (a stale version, the scenario deleted meanwhile).
    """
    if option not in outcome.options:
        raise ValueError("the option is not one of this outcome's options")
    violations = check_plan(outcome.scenario, option.plan)
    if violations:
        raise UncheckedPlanError("error", len(violations))
    # a save bumps the version by one; the scenario and the plan go in one transaction
    new_version = scenario_version + 1
    kpis = option_kpis(outcome, option)
    version, plan_id = store.save_with_plan(
        scenario_id, outcome.scenario, scenario_version, option.plan, kpis, label(new_version)
    )
    return AcceptedFit(version, plan_id)


# -- words and JSON -----------------------------------------------------------------------


def choice_text(scenario: Scenario, choice: Choice) -> str:
    """``12-08–12-09 B06 C21``: the days, base and crew of a choice."""
    p = choice.placement
    first, last = scenario.date_of(p.start), scenario.date_of(p.last_day)
    days = f"{first:%m-%d}" if first == last else f"{first:%m-%d}–{last:%m-%d}"
    return f"{days} {p.base_id} {choice.crew_id}"


def move_text(scenario: Scenario, move: Move) -> str:
    """``T0162 剧名 12-08 B06 C21 → 12-09 B06 C03``, or ``… 取消排期`` for a dropped title."""
    name = scenario.title_by_id[move.title_id].name
    before = choice_text(scenario, move.before)
    after = "取消排期 dropped" if move.after is None else choice_text(scenario, move.after)
    return f"{move.title_id} {name} {before} → {after}"


def _choice_json(scenario: Scenario, choice: Choice | None) -> dict[str, Any] | None:
    if choice is None:
        return None
    p = choice.placement
    return {
        "start": scenario.date_of(p.start).isoformat(),
        "end": scenario.date_of(p.last_day).isoformat(),
        "base_id": p.base_id,
        "crew_id": choice.crew_id,
    }


def option_json(scenario: Scenario, option: FitOption) -> dict[str, Any]:
    """One option as JSON: where the rush title goes, the Δs and the moved titles."""
    placed = _choice_json(scenario, option.choice)
    assert placed is not None
    return {
        **placed,
        "base": scenario.base_by_id[option.base_id].name,
        "crew": scenario.crew_by_id[option.crew_id].name,
        "delta_priority": option.delta_priority,
        "delta_cost": option.delta_cost,
        "chained": option.chained,
        "moved": [
            {
                "title_id": m.title_id,
                "name": scenario.title_by_id[m.title_id].name,
                "before": _choice_json(scenario, m.before),
                "after": _choice_json(scenario, m.after),
            }
            for m in option.moves
        ],
    }


def outcome_json(outcome: FitOutcome) -> Mapping[str, Any]:
    """The outcome as JSON: the rush title, the seconds, the options and any shortfall."""
    return {
        "title": title_row(outcome.title),
        "seconds": round(outcome.seconds, 3),
        "tried": outcome.tried,
        "evaluated": outcome.evaluated,
        "chains": outcome.chains,
        "shortfall": outcome.shortfall,
        "options": [
            {"option": rank, **option_json(outcome.scenario, option)}
            for rank, option in enumerate(outcome.options, 1)
        ],
    }
