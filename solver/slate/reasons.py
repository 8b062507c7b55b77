"""Say why a title that could shoot on its own was left out of the final plan.

For a left-out title, each of its placements (a base, a first day, an order of set
types; :mod:`solver.slate.candidates` enumerates them for the title alone) is
looked at against the final plan, and what blocks it is found: a cast member
shooting another title those days or too close to travel, every set of a day's
type at the base booked, the base full, no crew of the genre free. The blockers
that block most placements (earliest first, at most :data:`MAX_CLAUSES`) become the
claims of a :class:`scheduler.domain.reasons.Reason`.

Then a displacement is looked for: a placement and crew whose only conflicts are
titles of lower total priority than this one. It is claimed only once the plan
checker handed in (:class:`solver.result.PlanChecker`) accepts the plan without
those titles and with this one at that placement. A proven-optimal plan has none,
so none is searched for there.

The plan's shoots are indexed by day once; each title's blockers are cached by
(first day, city), (base, set type, day) and (base, day), so the month's ~70
left-out titles take well under two seconds.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from scheduler.domain.model import Scenario, Title
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.reasons import (
    BaseFull,
    Busy,
    Claim,
    CrewBlocked,
    CrewFact,
    DayHolders,
    Displace,
    Holder,
    NoCrewFree,
    Reason,
    RestDue,
    SetTypeFull,
    TravelTooShort,
    Unavailable,
    Who,
)
from solver.result import PlanChecker
from solver.slate.candidates import Candidates, TitleCandidates
from solver.slate.choices import Placement
from solver.slate.day_orders import placement_of_shoots

MAX_CLAUSES = 3
"""A reason names at most this many blockers, so that it stays readable."""

DISPLACEMENT_TRIES = 3
"""Displacements checked per title, cheapest first, before giving up on one."""

REASON_SECONDS = 2.0
"""Time the displacement checks of one plan may take in all."""


# -- the plan, indexed once --------------------------------------------------


@dataclass
class _PlanIndex:
    """The final plan's shoots by who and day: who holds what."""

    scenario: Scenario
    plan: Plan
    city_of: dict[str, str] = field(default_factory=dict)
    on_day: dict[tuple[Who, str], dict[int, str]] = field(default_factory=dict)
    set_on: dict[tuple[str, int], str] = field(default_factory=dict)
    base_on: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        scenario = self.scenario
        on_day: dict[tuple[Who, str], dict[int, str]] = defaultdict(dict)
        base_on: dict[tuple[str, int], list[str]] = defaultdict(list)
        by_title: dict[str, list[Shoot]] = defaultdict(list)
        for shoot in self.plan.shoots:
            day = scenario.day_index(shoot.date)
            self.city_of[shoot.title_id] = scenario.city_of_base(shoot.base_id)
            self.set_on[(shoot.set_id, day)] = shoot.title_id
            base_on[(shoot.base_id, day)].append(shoot.title_id)
            on_day[("crew", shoot.crew_id)][day] = shoot.title_id
            by_title[shoot.title_id].append(shoot)
        for title_id, shoots in by_title.items():
            # an actor is taken on the days the title books them (rule 10)
            for day, actor_id in placement_of_shoots(scenario, shoots).actor_days():
                on_day[("actor", actor_id)][day] = title_id
        self.on_day = dict(on_day)
        self.base_on = dict(base_on)
        travel = [t.days for t in scenario.travel]
        self.max_travel = max([1, *travel])

    def holder(self, title_id: str) -> Holder:
        title = self.scenario.title_by_id[title_id]
        return Holder(title_id, title.name, title.priority)


# -- blockers of one title ---------------------------------------------------


@dataclass(frozen=True)
class _Atom:
    """One blocker of a placement.

    ``key`` says which claim it merges into; ``needs_all`` holders must all go for it
    to clear (an actor's or crew's other title), else any one of them (a set, a base
    place); ``freeable`` is false when no dropping clears it (an outage).
    """

    key: tuple[object, ...]
    day: int
    holders: frozenset[str]
    needs_all: bool
    freeable: bool = True


@dataclass
class _CrewAnswer:
    """What keeps one crew from one (first day, city): facts, holders, and whether freeable."""

    facts: list[CrewFact]
    holders: frozenset[str]
    freeable: bool

    @property
    def free(self) -> bool:
        return not self.facts


class _TitleReasons:
    """The blockers of every placement of one left-out title, and the claims they make."""

    def __init__(self, index: _PlanIndex, found: TitleCandidates) -> None:
        self.index = index
        self.scenario = index.scenario
        self.title: Title = found.title
        self.found = found
        self.length = found.title.shoot_days
        pin = self.scenario.pin_by_title.get(self.title.title_id)
        self.pinned_crew = pin is not None and pin.crew_id is not None
        if pin is not None and pin.crew_id is not None:
            self.crews = [self.scenario.crew_by_id[pin.crew_id]]
        else:
            self.crews = [c for c in self.scenario.crews if c.can_shoot(self.title.genre)]
        self.crew_options: dict[tuple[int, str], list[str]] = defaultdict(list)
        for option in found.crew_options:
            self.crew_options[(option.start, option.city)].append(option.crew_id)
        self._cast: dict[tuple[int, str, tuple[frozenset[str], ...]], list[_Atom]] = {}
        self._crew: dict[tuple[str, int, str], _CrewAnswer] = {}
        self._sets: dict[tuple[str, str, int], _Atom | None] = {}
        self._base: dict[tuple[str, int], _Atom | None] = {}
        # claim payloads gathered while atoms are made
        self.busy_days: dict[tuple[object, ...], set[int]] = defaultdict(set)
        self.travel_starts: dict[tuple[object, ...], set[int]] = defaultdict(set)
        self.crew_blocked: dict[str, dict[int, list[tuple[str, list[CrewFact]]]]] = defaultdict(
            dict
        )

    # -- who: cast and crews ---------------------------------------------------

    def _who_clashes(
        self, who: Who, who_id: str, start: int, city: str, last: int | None = None
    ) -> list[tuple[tuple[object, ...], int, str]]:
        """(claim key, day, holder) of each shoot of ``who`` that blocks days ``start`` …
        ``last`` (the whole title by default) in ``city``.

        A shoot on one of those days blocks (rule 4); one in another city too close
        before or after blocks (rule 7).
        """
        days = self.index.on_day.get((who, who_id))
        if not days:
            return []
        if last is None:
            last = start + self.length - 1
        found: list[tuple[tuple[object, ...], int, str]] = []
        for day in range(start, last + 1):
            holder = days.get(day)
            if holder is not None:
                found.append((("busy", who, who_id, holder), day, holder))
        reach = self.index.max_travel
        travel = self.scenario.travel_days
        for day in range(max(0, start - reach - 1), start):
            holder = days.get(day)
            if holder is None:
                continue
            other = self.index.city_of[holder]
            if other != city and start - day - 1 < travel(other, city):
                found.append((("travel", who, who_id, holder, day, city), day, holder))
        for day in range(last + 1, min(self.scenario.days, last + reach + 2)):
            holder = days.get(day)
            if holder is None:
                continue
            other = self.index.city_of[holder]
            if other != city and day - last - 1 < travel(city, other):
                found.append((("travel", who, who_id, holder, day, city), day, holder))
        return found

    def cast_atoms(self, placement: Placement) -> list[_Atom]:
        start, city = placement.start, placement.city
        key = (start, city, placement.booked)
        if key not in self._cast:
            atoms = []
            for actor_id, (first, last) in placement.actor_spans().items():
                # one clause per actor: its other titles and its travel, on its booked days
                clashes = self._who_clashes("actor", actor_id, first, city, last)
                for claim_key, day, holder in clashes:
                    if claim_key[0] == "busy":
                        self.busy_days[claim_key].add(day)
                    else:
                        self.travel_starts[claim_key].add(start)
                    atom = _Atom(("cast", actor_id), day, frozenset({holder}), needs_all=True)
                    atoms.append(atom)
            self._cast[key] = atoms
        return self._cast[key]

    def crew_answer(self, crew_id: str, start: int, city: str) -> _CrewAnswer:
        key = (crew_id, start, city)
        found = self._crew.get(key)
        if found is not None:
            return found
        scenario, index = self.scenario, self.index
        crew = scenario.crew_by_id[crew_id]
        last = start + self.length - 1
        facts: list[CrewFact] = []
        holders: set[str] = set()
        freeable = True
        closed = scenario.unavailable_days("crew", crew_id)
        off = tuple(scenario.date_of(d) for d in range(start, last + 1) if d in closed)
        if off:
            facts.append(Unavailable("crew", crew_id, crew.name, off))
            freeable = False
        clashes = self._who_clashes("crew", crew_id, start, city)
        busy: dict[str, list[int]] = defaultdict(list)
        for claim_key, day, holder in clashes:
            holders.add(holder)
            if claim_key[0] == "busy":
                busy[holder].append(day)
            else:
                facts.append(self._travel_fact(claim_key, start))
        for holder, days in busy.items():
            dates = tuple(scenario.date_of(d) for d in days)
            facts.append(Busy("crew", crew_id, crew.name, index.holder(holder), dates))
        if not facts and crew.max_days_in_row is not None:
            rest = self._rest_fact(crew_id, start)
            if rest is not None:
                facts.append(rest)
                holders.update(h.title_id for h in rest.holders)
                freeable = freeable and bool(rest.holders)
        found = _CrewAnswer(facts, frozenset(holders), freeable)
        self._crew[key] = found
        return found

    def _travel_fact(self, claim_key: tuple[object, ...], start: int) -> TravelTooShort:
        _, who, who_id, holder, day, city = claim_key
        assert isinstance(who_id, str) and isinstance(holder, str) and isinstance(day, int)
        assert isinstance(city, str) and who in ("actor", "crew")
        scenario = self.scenario
        name = (
            scenario.actor_by_id[who_id].name
            if who == "actor"
            else scenario.crew_by_id[who_id].name
        )
        return TravelTooShort(
            "actor" if who == "actor" else "crew",
            who_id,
            name,
            self.index.holder(holder),
            scenario.date_of(day),
            self.index.city_of[holder],
            city,
            (scenario.date_of(start),),
            self.length,
        )

    def _rest_fact(self, crew_id: str, start: int) -> RestDue | None:
        """The crew's shoots just before and after would make too long a run (rule 9)."""
        scenario = self.scenario
        crew = scenario.crew_by_id[crew_id]
        limit = crew.max_days_in_row
        assert limit is not None
        days = self.index.on_day.get(("crew", crew_id), {})
        last = start + self.length - 1
        before = []
        day = start - 1
        while day in days:
            before.append(day)
            day -= 1
        after = []
        day = last + 1
        while day in days:
            after.append(day)
            day += 1
        if len(before) + self.length + len(after) <= limit:
            return None
        holders = sorted({days[d] for d in (*before, *after)})
        return RestDue(
            crew_id,
            crew.name,
            limit,
            scenario.date_of(start),
            self.length,
            tuple(scenario.date_of(d) for d in sorted(before)),
            tuple(scenario.date_of(d) for d in after),
            tuple(self.index.holder(h) for h in holders),
        )

    def crew_atom(self, start: int, city: str) -> _Atom | None:
        """Every crew of the genre blocked from ``start`` in ``city``: one atom, else none."""
        answers = []
        home = self.scenario.crew_home_city
        for crew in self.crews:
            if not self.scenario.same_group(home[crew.crew_id], city):
                continue  # rule 11: the crew does not shoot in this city's group
            # a crew without an option here is closed on some day of the shoot (an
            # Unavailable fact); one free by this account leaves the crews unclaimed
            answer = self.crew_answer(crew.crew_id, start, city)
            if answer.free:
                return None
            answers.append((crew.crew_id, answer))
        self.crew_blocked[city][start] = [(c, a.facts) for c, a in answers]
        holders = frozenset(h for _, a in answers for h in a.holders)
        return _Atom(("crew", city), start, holders, needs_all=False, freeable=False)

    # -- sets and bases ----------------------------------------------------------

    def set_atom(self, base_id: str, set_type: str, day: int) -> _Atom | None:
        key = (base_id, set_type, day)
        if key not in self._sets:
            holders = set()
            atom: _Atom | None = None
            for film_set in self.scenario.sets_at(base_id, set_type):
                if day in self.scenario.unavailable_days("set", film_set.set_id):
                    continue
                holder = self.index.set_on.get((film_set.set_id, day))
                if holder is None:
                    break
                holders.add(holder)
            else:
                atom = _Atom(("set", base_id, set_type), day, frozenset(holders), False)
            self._sets[key] = atom
        return self._sets[key]

    def base_atom(self, base_id: str, day: int) -> _Atom | None:
        key = (base_id, day)
        if key not in self._base:
            cap = self.scenario.base_by_id[base_id].max_crews
            titles = self.index.base_on.get(key, [])
            atom = None
            if cap is not None and len(set(titles)) >= cap:
                atom = _Atom(("base", base_id), day, frozenset(titles), needs_all=False)
            self._base[key] = atom
        return self._base[key]

    def placement_atoms(self, placement: Placement) -> list[_Atom]:
        atoms = list(self.cast_atoms(placement))
        for day, set_type in placement.set_type_by_day():
            found = self.set_atom(placement.base_id, set_type, day)
            if found is not None:
                atoms.append(found)
        for day in placement.days():
            base = self.base_atom(placement.base_id, day)
            if base is not None:
                atoms.append(base)
        crew = self.crew_atom(placement.start, placement.city)
        if crew is not None:
            atoms.append(crew)
        return atoms

    # -- claims ------------------------------------------------------------------

    def blocker_claims(self, atoms_of: list[list[_Atom]]) -> tuple[list[Claim], int]:
        """The claims of the blockers that block most placements (earliest first), and how
        many placements none of them blocks."""
        covers: dict[tuple[object, ...], set[int]] = defaultdict(set)
        first_day: dict[tuple[object, ...], int] = {}
        days_of: dict[tuple[object, ...], dict[int, set[str]]] = defaultdict(dict)
        for i, atoms in enumerate(atoms_of):
            for atom in atoms:
                covers[atom.key].add(i)
                first_day[atom.key] = min(first_day.get(atom.key, atom.day), atom.day)
                if atom.key[0] in ("set", "base"):
                    days_of[atom.key].setdefault(atom.day, set()).update(atom.holders)
        left = set(range(len(atoms_of)))
        chosen: list[tuple[object, ...]] = []
        while left and len(chosen) < MAX_CLAUSES:
            best = max(
                (k for k in covers if k not in chosen),
                key=lambda k: (len(covers[k] & left), -first_day[k]),
                default=None,
            )
            if best is None or not covers[best] & left:
                break
            chosen.append(best)
            left -= covers[best]
        chosen.sort(key=lambda k: first_day[k])
        claims: list[Claim] = []
        for key in chosen:
            claims.extend(self._claims_of(key, days_of.get(key, {})))
        return claims, len(left)

    def _claims_of(self, key: tuple[object, ...], days: Mapping[int, set[str]]) -> list[Claim]:
        scenario = self.scenario
        kind = key[0]
        date_of = scenario.date_of
        if kind == "cast":
            _, actor_id = key
            assert isinstance(actor_id, str)
            return self._cast_claims(actor_id)
        if kind == "set":
            _, base_id, set_type = key
            assert isinstance(base_id, str) and isinstance(set_type, str)
            return [
                SetTypeFull(
                    base_id,
                    scenario.base_by_id[base_id].name,
                    set_type,
                    self._day_holders(days),
                )
            ]
        if kind == "base":
            _, base_id = key
            assert isinstance(base_id, str)
            base = scenario.base_by_id[base_id]
            assert base.max_crews is not None
            return [BaseFull(base_id, base.name, base.max_crews, self._day_holders(days))]
        _, city = key
        assert isinstance(city, str)
        by_start = self.crew_blocked[city]
        per_crew: dict[str, dict[CrewFact, None]] = defaultdict(dict)
        for answers in by_start.values():
            for crew_id, crew_facts in answers:
                for crew_fact in crew_facts:
                    per_crew[crew_id][crew_fact] = None
        crews = tuple(
            CrewBlocked(c.crew_id, c.name, tuple(_merged(per_crew[c.crew_id]))) for c in self.crews
        )
        return [
            NoCrewFree(
                self.title.genre,
                city,
                self.length,
                tuple(date_of(s) for s in sorted(by_start)),
                crews,
                self.pinned_crew,
            )
        ]

    def _cast_claims(self, actor_id: str) -> list[Claim]:
        """The cast member's days off in the window, the titles it shoots, its travel clashes."""
        scenario, index = self.scenario, self.index
        date_of = scenario.date_of
        actor = scenario.actor_by_id[actor_id]
        first, last = scenario.title_window(self.title)
        closed = scenario.unavailable_days("actor", actor_id)
        off = tuple(date_of(d) for d in range(first, last + 1) if d in closed)
        found: list[tuple[int, Claim]] = []
        if off:
            found.append(
                (scenario.day_index(off[0]), Unavailable("actor", actor_id, actor.name, off))
            )
        for key, days in self.busy_days.items():
            if key[2] != actor_id:
                continue
            holder = index.holder(str(key[3]))
            dates = tuple(date_of(d) for d in sorted(days))
            found.append((min(days), Busy("actor", actor_id, actor.name, holder, dates)))
        for key, starts in self.travel_starts.items():
            if key[2] != actor_id:
                continue
            fact = self._travel_fact(key, min(starts))
            fact = replace(fact, starts=tuple(date_of(d) for d in sorted(starts)))
            found.append((scenario.day_index(fact.holder_day), fact))
        return [claim for _, claim in sorted(found, key=lambda f: f[0])]

    def _day_holders(self, days: Mapping[int, set[str]]) -> tuple[DayHolders, ...]:
        return tuple(
            DayHolders(
                self.scenario.date_of(day),
                tuple(self.index.holder(t) for t in sorted(days[day])),
            )
            for day in sorted(days)
        )


def _merged(facts: Iterable[CrewFact]) -> list[CrewFact]:
    """One fact per crew outage and per title it shoots, days joined; others as they are."""
    off: dict[tuple[str, str], set[date]] = {}
    busy: dict[tuple[str, str, Holder], set[date]] = {}
    rest: list[CrewFact] = []
    for fact in facts:
        if isinstance(fact, Unavailable):
            off.setdefault((fact.who_id, fact.who_name), set()).update(fact.days)
        elif isinstance(fact, Busy):
            busy.setdefault((fact.who_id, fact.who_name, fact.holder), set()).update(fact.days)
        else:
            rest.append(fact)
    merged: list[CrewFact] = [
        Unavailable("crew", crew_id, name, tuple(sorted(days)))
        for (crew_id, name), days in off.items()
    ]
    merged += [
        Busy("crew", crew_id, name, holder, tuple(sorted(days)))
        for (crew_id, name, holder), days in busy.items()
    ]
    return merged + rest


# -- displacement --------------------------------------------------------------


@dataclass(frozen=True, order=True)
class _Swap:
    cost: int
    removed_count: int
    start: int
    placement: Placement = field(compare=False)
    crew_id: str = field(compare=False)
    removed: frozenset[str] = field(compare=False)


def _swaps(reasons: _TitleReasons, atoms_of: list[list[_Atom]]) -> list[_Swap]:
    """Placements and crews whose conflicts are titles of lower Σ priority, cheapest first."""
    scenario = reasons.scenario
    priority = reasons.title.priority
    prio = {t.title_id: t.priority for t in scenario.titles}
    found: list[_Swap] = []
    for placement, atoms in zip(reasons.found.placements, atoms_of, strict=True):
        must: set[str] = set()
        freeable = True
        for atom in atoms:
            if atom.key[0] == "crew":
                continue  # the crew is chosen below
            if not atom.freeable:
                freeable = False
                break
            if atom.needs_all:
                must |= atom.holders
        if not freeable:
            continue
        for atom in atoms:
            if atom.key[0] != "crew" and not atom.needs_all and not atom.holders & must:
                must.add(min(atom.holders, key=lambda t: (prio[t], t)))
        base_cost = sum(prio[t] for t in must)
        if base_cost >= priority:
            continue
        for crew_id in reasons.crew_options.get((placement.start, placement.city), ()):
            answer = reasons.crew_answer(crew_id, placement.start, placement.city)
            if not answer.freeable:
                continue
            removed = must | answer.holders
            cost = sum(prio[t] for t in removed)
            if cost < priority:
                found.append(
                    _Swap(
                        cost, len(removed), placement.start, placement, crew_id, frozenset(removed)
                    )
                )
    found.sort()
    return found


def _swap_shoots(index: _PlanIndex, swap: _Swap) -> list[Shoot] | None:
    """The title's shoots at the swap's placement, each on the cheapest set left free."""
    scenario = index.scenario
    placement = swap.placement
    shoots = []
    for offset, (day, set_type) in enumerate(placement.set_type_by_day()):
        free = [
            s
            for s in scenario.sets_at(placement.base_id, set_type)
            if day not in scenario.unavailable_days("set", s.set_id)
            and index.set_on.get((s.set_id, day)) in (None, *swap.removed)
        ]
        if not free:
            return None
        film_set = min(free, key=lambda s: (s.day_rate, s.set_id))
        shoots.append(
            Shoot(
                placement.title_id,
                scenario.date_of(day),
                placement.base_id,
                film_set.set_id,
                swap.crew_id,
                placement.scenes[offset] if placement.scenes else (),
            )
        )
    return shoots


def _verified(index: _PlanIndex, checker: PlanChecker, swap: _Swap) -> Displace | None:
    """The swap as a claim, if the plan checker accepts the plan it makes."""
    scenario = index.scenario
    shoots = _swap_shoots(index, swap)
    if shoots is None:
        return None
    kept = [s for s in index.plan.shoots if s.title_id not in swap.removed]
    scheduled = {s.title_id for s in kept} | {swap.placement.title_id}
    plan = Plan(
        tuple(sorted([*kept, *shoots])),
        {t.title_id: "—" for t in scenario.titles if t.title_id not in scheduled},
    )
    if checker(scenario, plan):
        return None
    title = scenario.title_by_id[swap.placement.title_id]
    return Displace(
        title.title_id,
        title.priority,
        tuple(sorted((index.holder(t) for t in swap.removed), key=lambda h: h.title_id)),
        tuple((s.date, s.base_id, s.set_id, s.crew_id) for s in shoots),
        scenario.base_by_id[swap.placement.base_id].name,
        scenario.crew_by_id[swap.crew_id].name,
        swap.placement.scenes,
    )


# -- the whole plan ------------------------------------------------------------


def explain_unscheduled(
    scenario: Scenario,
    plan: Plan,
    candidates: Candidates,
    *,
    proven: bool,
    checker: PlanChecker,
    seconds: float = REASON_SECONDS,
) -> dict[str, Reason]:
    """A reason for every title of ``candidates`` that could shoot alone but is not in ``plan``.

    Parameters
    ----------
    candidates
        The titles' placements on their own (no residual), as the solve enumerated them;
        titles impossible alone keep the candidates' own reason and get none here.
    proven
        Whether the plan's Σ priority is proven optimal: the reasons say so, and no
        displacement is searched for (none can exist).
    checker
        Judges each displacement before it is claimed.
    seconds
        Time the displacement checks may take in all; titles past it get none.
    """
    index = _PlanIndex(scenario, plan)
    scheduled = plan.scheduled_title_ids
    until = time.monotonic() + seconds
    found: dict[str, Reason] = {}
    for title_id, title_candidates in candidates.by_title.items():
        if title_id in scheduled or not title_candidates.possible:
            continue
        reasons = _TitleReasons(index, title_candidates)
        atoms_of = [reasons.placement_atoms(p) for p in title_candidates.placements]
        claims, others = reasons.blocker_claims(atoms_of)
        if not proven:
            for swap in _swaps(reasons, atoms_of)[:DISPLACEMENT_TRIES]:
                if time.monotonic() > until:
                    break
                move = _verified(index, checker, swap)
                if move is not None:
                    claims.append(move)
                    break
        title = title_candidates.title
        found[title_id] = Reason(title_id, title.priority, tuple(claims), proven, others)
    return found


def take_free_room(
    scenario: Scenario, plan: Plan, reasons: Mapping[str, Reason], checker: PlanChecker
) -> tuple[Plan, list[str]]:
    """``plan`` with every left-out title that fits without moving anything put in; their ids.

    The reasons offer such a title as a displacement that removes nothing, each
    checked against ``plan`` on its own. Taken highest priority first, one is kept
    only while the checker accepts the plan with it (two may want the same room).
    """
    free = sorted(
        (r.displacement for r in reasons.values()
         if r.displacement is not None and not r.displacement.removed),
        key=lambda d: (-d.priority, d.title_id),
    )  # fmt: skip
    taken: list[str] = []
    for move in free:
        shoots = tuple(
            Shoot(move.title_id, *shoot, move.shoot_scenes(i))
            for i, shoot in enumerate(move.shoots)
        )
        with_it = replace(plan, shoots=(*plan.shoots, *shoots))
        scheduled = with_it.scheduled_title_ids
        left_out = {t.title_id: "" for t in scenario.titles if t.title_id not in scheduled}
        if not checker(scenario, replace(with_it, unscheduled=left_out)):
            plan = with_it
            taken.append(move.title_id)
    unscheduled = {t: why for t, why in plan.unscheduled.items() if t not in taken}
    return replace(plan, unscheduled=unscheduled), taken
