"""The groups the capacity relaxations pool over: bases titles share, genres crews share.

Both the day-indexed bound (:mod:`solver.capacity.bound`) and the capacity
model (:mod:`solver.capacity.model`) write Hall's condition once per group:
the titles that can only shoot inside a group of bases share its sets, and
the titles of a group of genres share the crews able to shoot one of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from scheduler.domain.model import Scenario


def host_groups(hosts: Iterable[frozenset[str]]) -> list[frozenset[str]]:
    """Groups of bases that are exactly where some title can shoot, largest first.

    ``hosts`` gives, title by title, the bases that could host it; a title
    that no base can host makes no group.
    """
    groups = {bases for bases in hosts if bases}
    return sorted(groups, key=lambda g: (-len(g), sorted(g)))


def genre_groups(scenario: Scenario, genres: Iterable[str]) -> list[tuple[str, ...]]:
    """Groups of genres whose Hall condition on crews is not implied by a larger group.

    A group is kept only when adding any other genre would bring in more crews;
    otherwise the larger group's constraint is at least as strong.
    """
    genres = sorted(set(genres))
    able = {g: frozenset(c.crew_id for c in scenario.crews if c.can_shoot(g)) for g in genres}
    groups: list[tuple[str, ...]] = []
    for size in range(1, len(genres) + 1):
        for group in itertools.combinations(genres, size):
            crews = frozenset().union(*(able[g] for g in group))
            if all(not able[g] <= crews for g in genres if g not in group):
                groups.append(group)
    return groups
