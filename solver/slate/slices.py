"""Slices of a big cluster: groups of bases in one city, each with its own crews.

A cluster of 120 bases and 240 crews is too big for the exact model, and
neighbourhoods of a few dozen titles improve it only slowly. A producer would
split it: each group of about a dozen bases in one city gets its own crews,
and the groups share only the actors. Planned that way (the greedy rule with
:class:`solver.slate.greedy.Group`), every group is a month-sized question the
exact model answers well, and the groups are re-solved one after another
with everything else fixed (:meth:`solver.slate.lns.LargeNeighbourhoodSearch.move_group`),
first alone and then neighbouring groups of a city in pairs.

Crews are dealt to the groups of their home base's city, so a crew keeps
shooting near home; within a city they are dealt round-robin after sorting by
the genres they shoot, so that each group gets a mix of specialists and
generalists. A city with more crews than bases needs keeps them all. Where cities
plan apart (rule 11) a crew is dealt only to a city of its home group.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

from scheduler.domain.model import Scenario
from solver.slate.greedy import Group
from solver.slate.lns import Incumbent, LargeNeighbourhoodSearch

BASES_PER_GROUP = 12
"""About this many bases per group: the size of the Zhengzhou month, which the exact
model plans well inside a minute."""


def make_groups(scenario: Scenario, bases_per_group: int = BASES_PER_GROUP) -> list[Group]:
    """Split each city's bases into groups of about ``bases_per_group``; deal out the crews.

    Crews go to their home base's city in proportion to the city's sets:
    a crew whose home city already has its share goes to the city that is
    shortest of crews.
    """
    bases_by_city: dict[str, list[str]] = defaultdict(list)
    for base in scenario.bases:
        bases_by_city[base.city].append(base.base_id)
    sets_in_city: dict[str, int] = defaultdict(int)
    for film_set in scenario.sets:
        sets_in_city[scenario.base_by_id[film_set.base_id].city] += 1
    total_sets = sum(sets_in_city.values()) or 1

    # crews per city: in proportion to its sets, home city first
    crews = len(scenario.crews)
    share = {city: round(crews * sets_in_city[city] / total_sets) for city in bases_by_city}
    crews_by_city: dict[str, list[str]] = defaultdict(list)
    spill: list[str] = []
    for crew in sorted(scenario.crews, key=lambda c: (len(c.genres) or 99, c.genres, c.crew_id)):
        home = scenario.base_by_id[crew.home_base_id].city if crew.home_base_id else ""
        if home in share and len(crews_by_city[home]) < share[home]:
            crews_by_city[home].append(crew.crew_id)
        else:
            spill.append(crew.crew_id)
    home_of = scenario.crew_home_city
    for crew_id in spill:
        # rule 11: a crew goes only to a city of its home group (any city when all are pooled)
        cities = [c for c in share if scenario.same_group(home_of[crew_id], c)] or [
            home_of[crew_id]
        ]
        city = max(cities, key=lambda c: (share.get(c, 0) - len(crews_by_city[c]), c))
        crews_by_city[city].append(crew_id)

    groups: list[Group] = []
    for city, base_ids in bases_by_city.items():
        count = max(1, round(len(base_ids) / bases_per_group))
        bases = [base_ids[i::count] for i in range(count)]
        dealt = [crews_by_city[city][i::count] for i in range(count)]
        for group_bases, group_crews in zip(bases, dealt, strict=True):
            groups.append(Group(city, tuple(group_bases), frozenset(group_crews)))
    return groups


MOVE_SECONDS = 30.0
"""Most seconds one group's sub-model may take (a dozen bases prove optimal in 2–20 s)."""

MIN_MOVE_SECONDS = 2.0
"""Least seconds a group's sub-model gets (less, and it rarely gets past presolve)."""


def merged(first: Group, second: Group) -> Group:
    """Two groups of one city as one: their crews may now shoot at either's bases."""
    return Group(first.city, first.base_ids + second.base_ids, first.crew_ids | second.crew_ids)


def rounds(groups: Sequence[Group]) -> Iterator[list[Group]]:
    """The groups to re-plan, round after round: alone, then neighbours in pairs.

    Round 0 re-plans each group alone; later rounds merge neighbouring groups of
    a city in pairs, shifting the pairing each round, so that crews can cross
    between groups and titles can move to where there is room.
    """
    by_city: dict[str, list[Group]] = defaultdict(list)
    for group in groups:
        by_city[group.city].append(group)
    yield list(groups)
    shift = 0
    while True:
        paired: list[Group] = []
        for city_groups in by_city.values():
            count = len(city_groups)
            if count == 1:
                paired.append(city_groups[0])
                continue
            starts = range(shift % 2, count - 1 + shift % 2, 2) if count > 2 else [0]
            for i in starts:
                paired.append(merged(city_groups[i % count], city_groups[(i + 1) % count]))
        yield paired
        shift += 1


def search_slices(
    search: LargeNeighbourhoodSearch,
    groups: Sequence[Group],
    deadline: float,
    *,
    stop: threading.Event | None = None,
    on_improvement: Callable[[Incumbent], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> Incumbent:
    """Re-plan the groups one at a time, round after round, until ``deadline`` (monotonic).

    Stops early after a round in which no group improved (every later round
    would be the same as one already tried) and returns the best plan.
    """
    last_improved = -1
    for number, round_groups in enumerate(rounds(groups)):
        if number - last_improved > 2:
            break
        for done, group in enumerate(round_groups):
            left = deadline - time.monotonic()
            if left < 1.0 or (stop is not None and stop.is_set()):
                if log is not None:
                    log(f"slices: round {number} stopped after {done} groups")
                return search.incumbent
            # a fair share of what is left, so a short limit still reaches every group
            share = max(MIN_MOVE_SECONDS, left / (len(round_groups) - done))
            seconds = min(MOVE_SECONDS, share, left)
            outcome = search.move_group(group, seconds, stop, deadline)
            if outcome.choices is not None:
                search.accept(outcome.choices)
                last_improved = number
                if on_improvement is not None:
                    on_improvement(search.incumbent)
        if log is not None:
            priority = search.incumbent.priority
            log(f"slices: round {number} ({len(round_groups)} groups) → priority {priority}")
    return search.incumbent
