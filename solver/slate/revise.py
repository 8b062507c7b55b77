"""Revising a plan after a change: keep what still works, re-plan only what broke.

A producer who has sent out a plan and then learns that a crew is off for
three days wants the titles that crew can no longer shoot moved, and the
rest left alone: every changed title is a phone call. Solving the changed
scenario from scratch finds about as much priority but moves hundreds of
titles. So a revision:

1. keeps every title of the old plan whose shoots still keep all nine rules
   in the changed scenario (titles, crews, bases and sets that still exist,
   days inside the horizon, no rule broken — asked of the independent
   checker, title by title, until what is kept is clean);
2. re-plans the titles it had to drop, with every title the old plan left
   out, and the kept titles around them (:func:`around`: those sharing their
   cast, crews that could shoot them, bases with their set types, in their
   window) with the exact model, whose objective is the most priority, then
   the most of the broken titles kept, then the fewest changed titles
   (:mod:`solver.slate.changes`);
3. while a broken title is still left out, escalates with the same objective: frees
   the chain of its actors' titles, each where the one before could go, up to
   :data:`CHAIN_DAYS` away (:func:`cast_chain`: a busy actor's back-to-back titles
   make room only by all moving), then the titles booking the set types it needs
   (:func:`sharing_sets`), then twice as many titles around it; then keeps searching
   neighbourhoods of the titles still left out.

A broken title is dropped only when keeping it costs priority: between a plan
that drops it and one of the same priority that keeps it by dropping others,
the re-plan keeps it (the producer re-plans to save what broke).

Published titles that still keep every rule never move. Kept titles keep
their crew, base and days unless moving them lets more priority in; their sets
are assigned again from their pools, cheapest first, as in every plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from scheduler.domain.model import Pin, Scenario
from scheduler.domain.plan import Plan, Shoot
from solver.result import PlanChecker
from solver.slate.changes import same_shoot
from solver.slate.choices import Choice
from solver.slate.cpsat.model import choices_of_plan


@dataclass(frozen=True)
class Repaired:
    """What survives of an old plan in a changed scenario.

    ``kept`` holds the choices of titles that still keep every rule;
    ``dropped`` says, for each title the old plan scheduled and the revision
    must move, why (Chinese first).
    """

    kept: dict[str, Choice]
    dropped: dict[str, str]


def repair(scenario: Scenario, plan: Plan, checker: PlanChecker) -> Repaired:
    """What of ``plan`` still keeps the rules in ``scenario``, and why the rest does not.

    ``checker`` judges which titles still keep every rule (the solver does not judge itself).
    """
    dropped: dict[str, str] = {}
    by_title: dict[str, list[Shoot]] = {}
    for shoot in plan.shoots:
        by_title.setdefault(shoot.title_id, []).append(shoot)
    shoots: list[Shoot] = []
    for title_id, title_shoots in by_title.items():
        reason = _missing(scenario, title_shoots)
        if reason is None:
            shoots.extend(title_shoots)
        else:
            dropped[title_id] = reason
    current = Plan(tuple(shoots), {})
    # each round drops at least one title, so this ends
    while faults := [
        v for v in checker(scenario, current) if v.title_id in current.scheduled_title_ids
    ]:
        for fault in faults:
            dropped.setdefault(fault.title_id, f"{fault.message_zh}（{fault.message}）")
        current = Plan(tuple(s for s in current.shoots if s.title_id not in dropped), {})
    return Repaired(choices_of_plan(scenario, current), dropped)


def _missing(scenario: Scenario, shoots: list[Shoot]) -> str | None:
    """Why these shoots of one title cannot stand in ``scenario`` at all, or None."""
    title_id = shoots[0].title_id
    if title_id not in scenario.title_by_id:
        return "剧目已不在场景中（title no longer in the scenario）"
    first, last = scenario.dates[0], scenario.dates[-1]
    for shoot in shoots:
        if shoot.crew_id not in scenario.crew_by_id:
            return f"剧组 {shoot.crew_id} 已不在场景中（crew no longer in the scenario）"
        if shoot.base_id not in scenario.base_by_id:
            return f"基地 {shoot.base_id} 已不在场景中（base no longer in the scenario）"
        if shoot.set_id not in scenario.set_by_id:
            return f"场景 {shoot.set_id} 已不在场景中（set no longer in the scenario）"
        if not first <= shoot.date <= last:
            return f"{shoot.date} 不在排期范围内（outside the horizon）"
    return None


AROUND_MAX_TITLES = 60
"""Most kept titles the first re-plan move frees around the titles that broke."""

AROUND_WIDEST = 240
"""Most kept titles a re-plan move frees once the narrower moves were proven not to keep
every broken title (doubling from :data:`AROUND_MAX_TITLES`)."""

AROUND_DAYS = 2
"""Days either side of a broken title's window in which kept titles count as around it."""


def pin_published(
    scenario: Scenario, kept: Mapping[str, Choice], published: frozenset[str]
) -> Scenario:
    """``scenario`` with every published title that still keeps the rules pinned where it is.

    A re-plan that falls back to planning afresh still may not move what was sent
    out: each such title keeps its start, base and crew (rule 8); a title the
    producer pinned already keeps the producer's pin.
    """
    pinned = set(scenario.pin_by_title)
    pins = tuple(
        Pin(t, scenario.date_of(c.placement.start), c.placement.base_id, c.crew_id)
        for t, c in sorted(kept.items())
        if t in published and t not in pinned
    )
    return replace(scenario, pins=(*scenario.pins, *pins)) if pins else scenario


def around(
    scenario: Scenario,
    kept: Mapping[str, Choice],
    moving: Sequence[str],
    fixed: frozenset[str] = frozenset(),
    limit: int = AROUND_MAX_TITLES,
) -> list[str]:
    """Kept titles that could make room for ``moving`` titles, closest ties first.

    A kept title is around a moving one when it shoots within the moving title's
    window (± :data:`AROUND_DAYS`) and shares an actor (first), or has a crew that
    can shoot the moving title's genre (then), or shoots at a base that has a set
    type the moving title needs (last). At most ``limit``; titles in ``fixed``
    (published) are never offered.
    """
    ranked: dict[str, int] = {}
    for title_id in moving:
        title = scenario.title_by_id[title_id]
        first, last = scenario.title_window(title)
        first, last = first - AROUND_DAYS, last + AROUND_DAYS
        cast = set(title.actors)
        needs = set(title.days_by_set_type())
        for other, choice in kept.items():
            p = choice.placement
            if other in fixed or p.last_day < first or p.start > last:
                continue
            if cast & set(scenario.title_by_id[other].actors):
                rank = 0
            elif scenario.crew_by_id[choice.crew_id].can_shoot(title.genre):
                rank = 1
            elif any(scenario.sets_at(p.base_id, set_type) for set_type in needs):
                rank = 2
            else:
                continue
            ranked[other] = min(rank, ranked.get(other, rank))
    ordered = sorted(ranked, key=lambda t: (ranked[t], t))
    return ordered[:limit]


CHAIN_DAYS = 12
"""Days either side of a broken title's window over which :func:`cast_chain` follows actors:
a busy actor's titles can be booked back to back for ten days and more, and room for one of
them is made only by moving them all (month, actor A045 off 12-27–12-28)."""

CHAIN_MAX_TITLES = 60
"""Most kept titles a chain move frees (:func:`cast_chain`), beside the around titles."""

SETS_MAX_TITLES = 90
"""Most kept titles a move over the set pools frees (:func:`sharing_sets`)."""


def _days_apart(first: int, last: int, start: int, end: int) -> int:
    """Days between the spans ``first``–``last`` and ``start``–``end`` (0 when they overlap)."""
    return max(0, first - end, start - last)


def cast_chain(
    scenario: Scenario,
    kept: Mapping[str, Choice],
    moving: Sequence[str],
    fixed: frozenset[str] = frozenset(),
    limit: int = CHAIN_MAX_TITLES,
) -> list[str]:
    """Kept titles linked to ``moving`` titles by a chain of shared actors, nearest in time first.

    A kept title is linked to a moving or linked title when they share an actor and it
    shoots where that title could go (its window ± :data:`AROUND_DAYS`), within
    :data:`CHAIN_DAYS` of the moving title's window: freeing the chain lets each title
    take the days of the next. Ordered by days from that window, then by links, then id;
    at most ``limit``; titles in ``fixed`` (published) are never offered.
    """
    by_actor: dict[str, list[str]] = {}
    for other in kept:
        if other not in fixed:
            for actor in scenario.title_by_id[other].actors:
                by_actor.setdefault(actor, []).append(other)
    best: dict[str, tuple[int, int]] = {}
    for title_id in moving:
        origin = scenario.title_window(scenario.title_by_id[title_id])
        reached = {title_id}
        frontier = [title_id]
        links = 0
        while frontier:
            links += 1
            following: list[str] = []
            for current in frontier:
                title = scenario.title_by_id[current]
                first, last = scenario.title_window(title)
                for actor in title.actors:
                    for other in by_actor.get(actor, ()):
                        p = kept[other].placement
                        apart = _days_apart(*origin, p.start, p.last_day)
                        if (
                            other in reached
                            or apart > CHAIN_DAYS
                            or _days_apart(first, last, p.start, p.last_day) > AROUND_DAYS
                        ):
                            continue
                        reached.add(other)
                        following.append(other)
                        best[other] = min(best.get(other, (apart, links)), (apart, links))
            frontier = following
    return sorted(best, key=lambda t: (best[t], t))[:limit]


def sharing_sets(
    scenario: Scenario,
    kept: Mapping[str, Choice],
    moving: Sequence[str],
    fixed: frozenset[str] = frozenset(),
    limit: int = AROUND_MAX_TITLES,
) -> list[str]:
    """Kept titles booking a set type that ``moving`` titles need, then those whose crew
    could shoot them, nearest in time first.

    A kept title qualifies when it shoots within a moving title's window (±
    :data:`AROUND_DAYS`) on a set of a type that title needs (first), or with a crew that
    can shoot its genre (then); each group by days from the window, then id. At most
    ``limit``; titles in ``fixed`` (published) are never offered.
    """
    ranked: dict[str, tuple[int, int]] = {}
    for title_id in moving:
        title = scenario.title_by_id[title_id]
        window = scenario.title_window(title)
        needs = set(title.days_by_set_type())
        for other, choice in kept.items():
            p = choice.placement
            apart = _days_apart(*window, p.start, p.last_day)
            if other in fixed or apart > AROUND_DAYS:
                continue
            if needs & set(p.set_types):
                rank = (0, apart)
            elif scenario.crew_by_id[choice.crew_id].can_shoot(title.genre):
                rank = (1, apart)
            else:
                continue
            ranked[other] = min(rank, ranked.get(other, rank))
    return sorted(ranked, key=lambda t: (ranked[t], t))[:limit]


# -- the figures of BENCHMARKS.md: revise against plan afresh --------------------------


def titles_moved(scenario: Scenario, before: Plan, after: Plan) -> set[str]:
    """Titles whose crew, base or days differ between two plans, or that only one holds."""
    old, new = choices_of_plan(scenario, before), choices_of_plan(scenario, after)
    changed = {t for t in old.keys() & new.keys() if not same_shoot(old[t], new[t])}
    return changed | (old.keys() ^ new.keys())
