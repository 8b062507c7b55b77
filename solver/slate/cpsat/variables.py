"""Decision variables of the slate model, in typed containers.

Every variable is a 0/1 CP-SAT variable:

- per title: ``scheduled``; one ``chosen`` per candidate placement (base, start,
  set-type order); one ``chosen`` per crew option (crew, start, city); one
  ``chosen`` per (start, city) that links the two ("the title starts on this
  day in this city");
- per set and day: ``booked``, for sets that some placement could use that
  day and only on days the set is open; sets of one type at one base are
  interchangeable, so the model books them as a pool, cheapest first, and
  the set of each shoot is chosen after solving;
- per crew, city and day: ``shooting`` (the crew shoots some title there that
  day); per actor, city and day the same, but only for actors whose titles
  could shoot in more than one city (travel needs it, nothing else does).

Crews that no rule tells apart may be pooled (:mod:`solver.slate.crew_pools`): a
crew option then names the pool by its ``pool_id``, and per pool and day one
``booked`` per crew of the pool, cheapest first, counts the pool's titles that day
(the crew of each title is picked after solving).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.domain.model import FilmSet, Scenario, Title
from solver.slate.candidates import Candidates
from solver.slate.choices import CrewOption, Placement
from solver.slate.crew_pools import CrewPool, CrewPools
from solver.slate.residual import Residual

BoolVar = cp_model.IntVar


@dataclass(frozen=True, slots=True)
class PlacementVar:
    """1 when the title shoots this placement."""

    placement: Placement
    chosen: BoolVar


@dataclass(frozen=True, slots=True)
class CrewVar:
    """1 when this crew shoots the title from ``option.start`` in ``option.city``."""

    option: CrewOption
    chosen: BoolVar


@dataclass(frozen=True, slots=True)
class StartVar:
    """1 when the title's first shoot day is ``start`` at a base in ``city``."""

    start: int
    city: str
    length: int
    chosen: BoolVar

    def covers(self, day: int) -> bool:
        return self.start <= day < self.start + self.length


@dataclass(frozen=True, slots=True)
class ActorSpanVar:
    """1 when a title with scenes books ``actor_id`` in ``city`` on days ``first`` … ``last``.

    It is the sum of ``placements``: the title's placements whose order of scene
    days books the actor just so (rule 10). An actor in every scene of the title
    is booked on all its days whatever the order and has none: the title's start
    variables count them.
    """

    actor_id: str
    city: str
    first: int
    last: int
    chosen: BoolVar
    placements: tuple[BoolVar, ...]


@dataclass
class TitleVars:
    """The variables of one title that has at least one placement."""

    title: Title
    pinned: bool
    scheduled: BoolVar
    placements: list[PlacementVar]
    crews: list[CrewVar]
    starts: list[StartVar]
    actor_spans: list[ActorSpanVar] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SetDayVar:
    """1 when the set is booked on ``day`` (it hosts a shoot)."""

    film_set: FilmSet
    day: int
    booked: BoolVar


@dataclass
class SetPoolDay:
    """The open sets of one type at one base on one day, cheapest first."""

    base_id: str
    set_type: str
    day: int
    sets: list[SetDayVar]


@dataclass
class CrewPoolDay:
    """The crews of one pool on one day, cheapest first: ``booked[i]`` when i + 1 of them shoot."""

    pool: CrewPool
    day: int
    booked: list[BoolVar]


@dataclass(frozen=True, slots=True)
class PresenceVar:
    """1 when the crew or actor ``who`` shoots in ``city`` on ``day``."""

    who: str
    city: str
    day: int
    shooting: BoolVar


@dataclass
class Variables:
    """All decision variables, grouped the way the constraints read them."""

    titles: dict[str, TitleVars]
    set_pools: dict[tuple[str, str, int], SetPoolDay]
    crew_presence: dict[str, list[PresenceVar]]
    actor_presence: dict[str, list[PresenceVar]]
    counts: dict[str, int] = field(default_factory=dict)
    residual: Residual | None = None
    """Bookings of the titles kept fixed (large-neighbourhood search), or ``None``."""
    crew_pool_days: dict[tuple[str, int], CrewPoolDay] = field(default_factory=dict)
    """Per pool of several crews and day, its crews' bookings (crew options name the pool)."""
    pools: CrewPools | None = None
    """The crew pools the crew options name, or ``None`` when every option names a crew."""

    def pooled(self, crew_id: str) -> bool:
        """Whether crew options naming ``crew_id`` stand for a pool of several crews."""
        return self.pools is not None and self.pools.pool_of(crew_id).size > 1

    def all_placements(self) -> Iterator[PlacementVar]:
        for title_vars in self.titles.values():
            yield from title_vars.placements

    def all_crews(self) -> Iterator[CrewVar]:
        for title_vars in self.titles.values():
            yield from title_vars.crews

    def all_set_days(self) -> Iterator[SetDayVar]:
        for pool in self.set_pools.values():
            yield from pool.sets


def make_variables(
    model: cp_model.CpModel,
    scenario: Scenario,
    candidates: Candidates,
    residual: Residual | None = None,
    pools: CrewPools | None = None,
) -> Variables:
    """Create the model's variables for every possible title, set-day, crew-day and actor-day.

    With a ``residual``, the cheapest open sets of each pool that fixed titles
    book are left out of the pool. With ``pools``, crew options of a pool of
    several crews become one option of the pool per start and city.
    """
    new = model.new_bool_var
    titles: dict[str, TitleVars] = {}
    pool_keys: set[tuple[str, str, int]] = set()
    for title_id, found in candidates.by_title.items():
        if not found.possible:
            continue
        length = found.title.shoot_days
        placements = []
        starts: dict[tuple[int, str], StartVar] = {}
        for p in found.placements:
            placements.append(PlacementVar(p, new("")))
            if (p.start, p.city) not in starts:
                starts[(p.start, p.city)] = StartVar(p.start, p.city, length, new(""))
            for day, set_type in p.set_type_by_day():
                pool_keys.add((p.base_id, set_type, day))
        titles[title_id] = TitleVars(
            title=found.title,
            pinned=found.pinned,
            scheduled=new(""),
            placements=placements,
            crews=[CrewVar(o, new("")) for o in _pooled_options(found.crew_options, pools)],
            starts=list(starts.values()),
            actor_spans=_actor_spans(model, scenario, found.title, placements),
        )

    set_pools: dict[tuple[str, str, int], SetPoolDay] = {}
    for base_id, set_type, day in sorted(pool_keys):
        open_sets = sorted(
            (
                s
                for s in scenario.sets_at(base_id, set_type)
                if day not in scenario.unavailable_days("set", s.set_id)
            ),
            key=lambda s: (s.day_rate, s.set_id),
        )
        if residual is not None:
            open_sets = open_sets[residual.pool_taken.get((base_id, set_type, day), 0) :]
        set_pools[(base_id, set_type, day)] = SetPoolDay(
            base_id, set_type, day, [SetDayVar(s, day, new("")) for s in open_sets]
        )

    crew_keys: dict[str, set[tuple[str, int]]] = {}
    actor_keys: dict[str, set[tuple[str, int]]] = {}
    for title_vars in titles.values():
        length = title_vars.title.shoot_days
        for crew_var in title_vars.crews:
            o = crew_var.option
            keys = crew_keys.setdefault(o.crew_id, set())
            keys.update((o.city, d) for d in range(o.start, o.start + length))
        for span in title_vars.actor_spans:
            keys = actor_keys.setdefault(span.actor_id, set())
            keys.update((span.city, d) for d in range(span.first, span.last + 1))
        for actor_id in scenario.cast_every_day(title_vars.title):
            keys = actor_keys.setdefault(actor_id, set())
            for start in title_vars.starts:
                keys.update((start.city, d) for d in range(start.start, start.start + length))
    crew_presence = {
        crew_id: [PresenceVar(crew_id, city, day, new("")) for city, day in sorted(keys)]
        for crew_id, keys in sorted(crew_keys.items())
        if pools is None or pools.pool_of(crew_id).size == 1
    }
    crew_pool_days = {
        (pool_id, day): CrewPoolDay(pool, day, [new("") for _ in pool.crews])
        for pool_id, keys in sorted(crew_keys.items())
        if pools is not None and (pool := pools.pool_of(pool_id)).size > 1
        for day in sorted({day for _city, day in keys})
    }
    # actors need a presence only for travel, so only when they could shoot in two cities
    actor_presence = {
        actor_id: [PresenceVar(actor_id, city, day, new("")) for city, day in sorted(keys)]
        for actor_id, keys in sorted(actor_keys.items())
        if len({city for city, _ in keys}) > 1
    }

    variables = Variables(
        titles,
        set_pools,
        crew_presence,
        actor_presence,
        residual=residual,
        crew_pool_days=crew_pool_days,
        pools=pools,
    )
    variables.counts = {
        "titles": len(titles),
        "placements": sum(len(t.placements) for t in titles.values()),
        "crew options": sum(len(t.crews) for t in titles.values()),
        "starts": sum(len(t.starts) for t in titles.values()),
        "set-days": sum(len(p.sets) for p in set_pools.values()),
        "crew-days": sum(len(v) for v in crew_presence.values())
        + sum(len(d.booked) for d in crew_pool_days.values()),
        "actor-days": sum(len(v) for v in actor_presence.values()),
    }
    return variables


def _actor_spans(
    model: cp_model.CpModel, scenario: Scenario, title: Title, placements: list[PlacementVar]
) -> list[ActorSpanVar]:
    """One variable per actor, city and booked days that some placement of a title with
    scenes books (actors in every scene left out: they are booked every day)."""
    if not title.scenes:
        return []
    every_day = set(scenario.cast_every_day(title))
    groups: dict[tuple[str, str, int, int], list[BoolVar]] = {}
    for pv in placements:
        p = pv.placement
        for actor_id, (first, last) in p.actor_spans().items():
            if actor_id not in every_day:
                groups.setdefault((actor_id, p.city, first, last), []).append(pv.chosen)
    return [
        ActorSpanVar(actor_id, city, first, last, model.new_bool_var(""), tuple(chosen))
        for (actor_id, city, first, last), chosen in sorted(groups.items())
    ]


def _pooled_options(options: tuple[CrewOption, ...], pools: CrewPools | None) -> list[CrewOption]:
    """The crew options, those of a pool of several crews as one per start and city."""
    if pools is None:
        return list(options)
    seen: dict[CrewOption, None] = {}
    for o in options:
        pool = pools.pool_of(o.crew_id)
        if pool.size > 1:
            o = CrewOption(o.title_id, pool.pool_id, o.start, o.city)
        seen.setdefault(o)
    return list(seen)


def name_variables(variables: Variables) -> None:
    """Name every variable after what it decides, so that a model dump reads in words.

    Costs a few microseconds a variable; meant for small models and debugging.
    """
    for title_id, t in variables.titles.items():
        t.scheduled.name = f"scheduled[{title_id}]"
        for pv in t.placements:
            p = pv.placement
            pv.chosen.name = f"place[{title_id}@{p.base_id} d{p.start} {'>'.join(p.set_types)}]"
        for cv in t.crews:
            o = cv.option
            cv.chosen.name = f"crew[{title_id} {o.crew_id} d{o.start} {o.city}]"
        for sv in t.starts:
            sv.chosen.name = f"start[{title_id} d{sv.start} {sv.city}]"
    for set_day in variables.all_set_days():
        set_day.booked.name = f"booked[{set_day.film_set.set_id} d{set_day.day}]"
    for (pool_id, day), pool_day in variables.crew_pool_days.items():
        for crew, booked in zip(pool_day.pool.crews, pool_day.booked, strict=True):
            booked.name = f"crew_of_pool[{pool_id} {crew.crew_id} d{day}]"
    for kind, presence in (("crew", variables.crew_presence), ("actor", variables.actor_presence)):
        for rows in presence.values():
            for row in rows:
                row.shooting.name = f"{kind}_in[{row.who} {row.city} d{row.day}]"
