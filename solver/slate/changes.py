"""What a re-plan should keep: the earlier plan's titles, each weighted by what a change costs.

A producer who re-plans after a disruption has already told crews, actors and
bases where to be. Every title whose day, crew or base changes is a phone
call, and a title whose shoots were *published* (sent out as final) costs
most: those are not moved at all unless a rule breaks them. A :class:`Reference`
holds the earlier plan's choices of the titles that still keep every rule, and
the titles the disruption broke; after priority, a re-plan keeps as many of the
broken titles as it can (the producer re-plans to save them), then changes the
fewest of the others.

A set change inside the same base is not a change: sets of one type at one
base are a pool the plan books cheapest first (SPEC, rule 3), and neither the
crew nor the base is told anything new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from solver.slate.choices import Choice


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
    changed scenario; ``published`` those of them whose shoots were published
    (the search keeps them fixed); ``broken`` the earlier plan's titles that broke
    a rule and must move (a re-plan drops as few of them as it can).
    """

    choices: Mapping[str, Choice]
    published: frozenset[str] = field(default_factory=frozenset)
    broken: frozenset[str] = field(default_factory=frozenset)

    def changed(self, choices: Mapping[str, Choice]) -> list[str]:
        """Titles of the reference that ``choices`` move or drop."""
        return [
            t
            for t, before in self.choices.items()
            if t not in choices or not same_shoot(before, choices[t])
        ]

    def lost(self, choices: Mapping[str, Choice]) -> list[str]:
        """Broken titles that ``choices`` leave out."""
        return sorted(t for t in self.broken if t not in choices)

    def penalty(self, choices: Mapping[str, Choice]) -> int:
        """What ``choices`` cost against the reference: each broken title left out weighs
        more than every change together, then one per title of the reference moved or
        dropped."""
        return len(self.lost(choices)) * (1 + len(self.choices)) + len(self.changed(choices))
