"""Residual capacity: what the fixed titles of a plan leave for the titles being re-planned.

Large-neighbourhood search (:mod:`solver.slate.lns`) frees a few titles and keeps
every other title's choice. The kept titles become constants: the sets they
book, the days (and cities) their crews and actors shoot, the titles they put
at each base. A :class:`Residual` holds those constants so that candidate
enumeration and every constraint family read one account of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from scheduler.domain.model import Scenario
from solver.slate.choices import Choice


@dataclass
class Residual:
    """Bookings of the fixed titles.

    ``pool_taken[(base, set type, day)]`` sets of the pool that fixed titles
    book (the cheapest ones, as the model books them); ``base_taken[(base,
    day)]`` titles shooting at the base; ``crew_days[crew][day]`` and
    ``actor_days[actor][day]`` the city the crew or actor shoots in that day.
    """

    scenario: Scenario
    pool_taken: dict[tuple[str, str, int], int] = field(default_factory=dict)
    base_taken: dict[tuple[str, int], int] = field(default_factory=dict)
    crew_days: dict[str, dict[int, str]] = field(default_factory=dict)
    actor_days: dict[str, dict[int, str]] = field(default_factory=dict)
    _blocked: dict[tuple[str, str, str], int] = field(default_factory=dict, repr=False)

    @classmethod
    def of_fixed(cls, scenario: Scenario, fixed: Mapping[str, Choice]) -> Residual:
        """The residual left by the titles in ``fixed`` (title id -> its choice)."""
        pool_taken: dict[tuple[str, str, int], int] = defaultdict(int)
        base_taken: dict[tuple[str, int], int] = defaultdict(int)
        crew_days: dict[str, dict[int, str]] = defaultdict(dict)
        actor_days: dict[str, dict[int, str]] = defaultdict(dict)
        for choice in fixed.values():
            p = choice.placement
            for day, set_type in p.set_type_by_day():
                pool_taken[(p.base_id, set_type, day)] += 1
                base_taken[(p.base_id, day)] += 1
                crew_days[choice.crew_id][day] = p.city
            for day, actor_id in p.actor_days():
                actor_days[actor_id][day] = p.city
        return cls(scenario, dict(pool_taken), dict(base_taken), dict(crew_days), dict(actor_days))

    def cap_left(self, base_id: str, day: int) -> int | None:
        """Titles the base may still host on ``day`` (``None``: no cap)."""
        cap = self.scenario.base_by_id[base_id].max_crews
        return None if cap is None else cap - self.base_taken.get((base_id, day), 0)

    def busy_days(self, kind: str, who: str) -> dict[int, str]:
        """Days (with their city) that fixed titles give the crew or actor ``who``."""
        table = self.crew_days if kind == "crew" else self.actor_days
        return table.get(who, {})

    def blocked_mask(self, kind: str, who: str, city: str) -> int:
        """Bit d set when ``who`` may not shoot in ``city`` on day d because of fixed titles.

        Blocked are the days the crew or actor already shoots (rule 4) and the
        days too close to a fixed shoot in another city to travel (rule 7).
        """
        key = (kind, who, city)
        found = self._blocked.get(key)
        if found is not None:
            return found
        mask = 0
        for day, other in self.busy_days(kind, who).items():
            mask |= 1 << day
            if other == city:
                continue
            # a shoot in `city` after `day` needs travel(other, city) free days between
            after = self.scenario.travel_days(other, city)
            for later in range(day + 1, min(day + after + 1, self.scenario.days)):
                mask |= 1 << later
            # a shoot in `city` before `day` needs travel(city, other) free days between
            before = self.scenario.travel_days(city, other)
            for earlier in range(max(0, day - before), day):
                mask |= 1 << earlier
        self._blocked[key] = mask
        return mask

    def clashes(self, kind: str, who: str, city: str, first: int, last: int) -> bool:
        """Whether shooting days ``first`` … ``last`` in ``city`` clash with fixed titles."""
        span = ((1 << (last - first + 1)) - 1) << first
        return bool(self.blocked_mask(kind, who, city) & span)
