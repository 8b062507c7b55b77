"""What a re-plan should keep: the earlier plan's titles, each weighted by what a change costs.

A producer who re-plans after a disruption has already told crews, actors and
bases where to be. Every title whose day, crew or base changes is a phone
call, and a title whose shoots were *published* (sent out as final) costs
most. A :class:`Reference` holds the earlier plan's choices of the titles that
still keep every rule, and a weight per title; the re-plan's second objective
(after priority) is the least total weight of changed titles.

A set change inside the same base is not a change: sets of one type at one
base are a pool the plan books cheapest first (SPEC, rule 3), and neither the
crew nor the base is told anything new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from solver.slate.choices import Choice

CHANGE_WEIGHT = 1
"""What moving (or dropping) one planned, unpublished title costs in the second objective."""

PUBLISHED_WEIGHT = 10
"""What moving one published title would cost. Published titles that still keep every
rule are not moved at all (they stay fixed); the weight orders what is left among
titles the re-plan may touch, should a caller free published ones."""


def same_shoot(before: Choice, after: Choice) -> bool:
    """Whether a title keeps its crew, its base, its first day and its length."""
    b, a = before.placement, after.placement
    return (before.crew_id, b.base_id, b.start, b.length) == (
        after.crew_id,
        a.base_id,
        a.start,
        a.length,
    )


@dataclass(frozen=True)
class Reference:
    """The choices a re-plan should keep, and which of them were published.

    ``choices`` are the earlier plan's titles that still keep every rule in the
    changed scenario; ``published`` those of them whose shoots were published.
    """

    choices: Mapping[str, Choice]
    published: frozenset[str] = field(default_factory=frozenset)

    def weight(self, title_id: str) -> int:
        """What changing this title costs (0 for a title the reference does not hold)."""
        if title_id not in self.choices:
            return 0
        return PUBLISHED_WEIGHT if title_id in self.published else CHANGE_WEIGHT

    def changed(self, choices: Mapping[str, Choice]) -> list[str]:
        """Titles of the reference that ``choices`` move or drop."""
        return [
            t
            for t, before in self.choices.items()
            if t not in choices or not same_shoot(before, choices[t])
        ]

    def penalty(self, choices: Mapping[str, Choice]) -> int:
        """Σ weight of the titles of the reference that ``choices`` move or drop."""
        return sum(self.weight(t) for t in self.changed(choices))
