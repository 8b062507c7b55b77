"""Fitting a rush title (插单) into a plan: where it could go, and what would have to move.

A producer handed a rush order wants to know, before anything is re-planned,
where the new title could shoot and what that costs: which planned titles move
(every one is a phone call), which would be dropped, and what the plan gains in
priority and pays in CNY. :func:`fit_title` answers with the best few
*options*, each a base, a crew and a first shoot day for the new title:

1. the new title's own placements come from :mod:`solver.slate.candidates` (its
   window, bases with its set types, open sets, free cast and crews);
2. for each placement and crew, the planned titles in the way are found on a
   :class:`Board` of the plan: the same crew or cast member on a shoot day or too
   close to travel (rules 4 and 7), the crew's days in a row (rule 9), the base
   at its ``max_crews`` (rule 6), no free set of the day's type (rule 4);
3. each title in the way is re-placed where the plan (without it, with the new
   title) still has room, keeping its crew, base and start as far as it can;
   one that finds no room is dropped;
4. the options are ranked by Δ priority (most first), then fewest titles
   moved, then Δ cost (cheapest first); every option's whole plan is checked
   by the independent checker, and one it rejects is not offered;
5. what the one-step search leaves of the fit's ``seconds`` goes to *chains*:
   an option that drops a title is solved again with the rush title fixed
   where it is — the dropped titles, the titles the option moved, the titles
   holding the dropped titles' best spots and those around them
   (:func:`solver.slate.revise.around`) are freed in one CP-SAT sub-model of
   the re-plan (:class:`solver.slate.lns.LargeNeighbourhoodSearch` with a
   :class:`solver.slate.changes.Reference` of the earlier plan: most priority,
   then fewest titles changed, then cheapest). A plan with more priority (a
   dropped title back in because others moved to make room) becomes the
   option, with its moves and Δs against the earlier plan, once the checker
   passes it; then options are ranked again. At most ``max_chains`` sub-models.

Every other title of the plan keeps its shoots exactly (sets included);
published titles never move. Options are searched level by level — first
those moving nobody, then one title, then two … — and the one-step search
stops once no later level can beat the options found, or after
``max_evaluations`` options were worked out.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from scheduler.domain.model import Crew, FilmSet, Scenario, Title
from scheduler.domain.plan import Plan, Shoot
from solver.result import PlanChecker
from solver.slate.candidates import DEFAULT_MAX_ORDERS, TitleCandidates, enumerate_candidates
from solver.slate.changes import Reference, same_shoot
from solver.slate.choices import Choice, Placement
from solver.slate.cpsat.model import choices_of_plan, open_sets_of_pool
from solver.slate.lns import LargeNeighbourhoodSearch
from solver.slate.revise import around
from solver.slate.solve import plan_cost

DEFAULT_OPTIONS = 5
"""Options a producer is shown."""

DEFAULT_MAX_EVALUATIONS = 400
"""Most options worked out one step at a time (titles in the way re-placed) before that stops."""

DEFAULT_SECONDS = 3.5
"""Wall time of a whole fit; what the one-step search leaves goes to chains of moves."""

DEFAULT_MAX_CHAINS = 6
"""Most chain searches (CP-SAT sub-models) per fit, whatever time is left."""

CHAIN_MOVE_SECONDS = 1.0
"""Most search time of one chain's sub-model (building it comes on top)."""

CHAIN_MIN_SECONDS = 0.4
"""A chain search starts only with at least this much of the fit's time left."""

CHAIN_MAX_TITLES = 40
"""Most titles one chain search frees."""

CHAIN_SPOTS = 4
"""Best spots of each dropped title whose holders a chain search frees."""

CHAIN_SEED = 0
CHAIN_WORKERS = 1
"""One CP-SAT worker with a fixed seed: a sub-model solved in time gives the same plan."""


@dataclass(frozen=True)
class Move:
    """A planned title an option moves: ``before`` → ``after`` (``None``: dropped)."""

    title_id: str
    before: Choice
    after: Choice | None

    @property
    def dropped(self) -> bool:
        return self.after is None


@dataclass(frozen=True)
class FitOption:
    """One way to fit the rush title: its base, crew and start, and what it changes.

    ``plan`` is the whole plan with the rush title in (checked); ``moves`` are the
    planned titles whose day, crew or base changed, or that were dropped;
    ``delta_priority`` and ``delta_cost`` compare ``plan`` with the earlier plan
    (Σ priority scheduled, and cost in CNY by the SPEC's formula). ``chained``:
    the plan came from a chain search (titles moved to make room for a dropped one).
    """

    title_id: str
    choice: Choice
    start: date
    moves: tuple[Move, ...]
    delta_priority: int
    delta_cost: int
    plan: Plan
    chained: bool = False

    @property
    def base_id(self) -> str:
        return self.choice.placement.base_id

    @property
    def crew_id(self) -> str:
        return self.choice.crew_id

    @property
    def dropped(self) -> tuple[str, ...]:
        """Titles the option drops from the plan."""
        return tuple(m.title_id for m in self.moves if m.dropped)

    def rank(self) -> tuple[int, int, int, date, str, str]:
        """Most priority first, then fewest titles moved, then cheapest, then earliest."""
        return (
            -self.delta_priority,
            len(self.moves),
            self.delta_cost,
            self.start,
            self.base_id,
            self.crew_id,
        )


@dataclass(frozen=True)
class FitResult:
    """The options found (best first) and, when fewer than asked, why (Chinese).

    ``tried`` counts the (base, crew, start) combinations the rush title could
    take on its own; ``evaluated`` those worked out; ``rejected`` those the
    checker refused; ``chains`` the chain searches run and ``chains_improved``
    those that gave an option more priority.
    """

    options: tuple[FitOption, ...]
    shortfall: str | None = None
    tried: int = 0
    evaluated: int = 0
    rejected: int = 0
    chains: int = 0
    chains_improved: int = 0


# -- the board: what the plan's titles hold, day by day ------------------------------------


@dataclass
class Board:
    """Who and what the plan's titles hold each day: sets, base places, crews and actors.

    Titles are added and removed as an option is worked out; the board always
    describes one plan that keeps rules 4, 6, 7 and 9 if it did when built.
    """

    scenario: Scenario
    shoots: dict[str, tuple[Shoot, ...]] = field(default_factory=dict)
    choices: dict[str, Choice] = field(default_factory=dict)
    crew_days: dict[str, dict[int, tuple[str, str]]] = field(default_factory=dict)
    actor_days: dict[str, dict[int, tuple[str, str]]] = field(default_factory=dict)
    base_titles: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    pool_titles: dict[tuple[str, str, int], set[str]] = field(default_factory=dict)
    set_user: dict[tuple[str, int], str] = field(default_factory=dict)
    _open: dict[tuple[str, str, int], list[FilmSet]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # the most travel days between two cities: how far a clash can reach (1 by default)
        self.reach = max([1, *(row.days for row in self.scenario.travel)])

    @classmethod
    def of_plan(cls, scenario: Scenario, plan: Plan) -> Board:
        """The board of every scheduled title of ``plan`` (a plan that keeps the rules)."""
        board = cls(scenario)
        choices = choices_of_plan(scenario, plan)
        by_title: dict[str, list[Shoot]] = defaultdict(list)
        for shoot in plan.shoots:
            by_title[shoot.title_id].append(shoot)
        for title_id, shoots in by_title.items():
            board.add(title_id, choices[title_id], tuple(sorted(shoots)))
        return board

    def add(self, title_id: str, choice: Choice, shoots: tuple[Shoot, ...]) -> None:
        """Put a title on the board with its choice and its shoots (sets booked)."""
        p = choice.placement
        self.shoots[title_id] = shoots
        self.choices[title_id] = choice
        for day, actor_id in p.actor_days():
            self.actor_days.setdefault(actor_id, {})[day] = (title_id, p.city)
        for day, set_type in p.set_type_by_day():
            self.crew_days.setdefault(choice.crew_id, {})[day] = (title_id, p.city)
            self.base_titles.setdefault((p.base_id, day), set()).add(title_id)
            self.pool_titles.setdefault((p.base_id, set_type, day), set()).add(title_id)
        for shoot in shoots:
            self.set_user[(shoot.set_id, self.scenario.day_index(shoot.date))] = title_id

    def remove(self, title_id: str) -> tuple[Choice, tuple[Shoot, ...]]:
        """Take a title off the board; its choice and shoots, to put it back."""
        choice = self.choices.pop(title_id)
        shoots = self.shoots.pop(title_id)
        p = choice.placement
        for day, actor_id in p.actor_days():
            del self.actor_days[actor_id][day]
        for day, set_type in p.set_type_by_day():
            del self.crew_days[choice.crew_id][day]
            self.base_titles[(p.base_id, day)].discard(title_id)
            self.pool_titles[(p.base_id, set_type, day)].discard(title_id)
        for shoot in shoots:
            del self.set_user[(shoot.set_id, self.scenario.day_index(shoot.date))]
        return choice, shoots

    def open_sets(self, base_id: str, set_type: str, day: int) -> list[FilmSet]:
        """Open sets of one type at one base on one day, cheapest first (looked up once)."""
        key = (base_id, set_type, day)
        found = self._open.get(key)
        if found is None:
            found = self._open[key] = open_sets_of_pool(self.scenario, base_id, set_type, day)
        return found

    def plan(self, unscheduled: Mapping[str, str]) -> Plan:
        """The plan the board describes, with ``unscheduled`` as its reasons."""
        shoots = sorted(s for title_shoots in self.shoots.values() for s in title_shoots)
        return Plan(tuple(shoots), dict(unscheduled))

    # -- who is in the way ---------------------------------------------------------------

    def person_clashes(
        self, days: Mapping[int, tuple[str, str]], city: str, first: int, last: int
    ) -> set[str]:
        """Titles of one crew or actor (``days``) clashing with shooting ``first`` … ``last``.

        Rule 4: it shoots one title a day; rule 7: between shoots in two cities
        the free days are at least the travel days.
        """
        return {title_id for title_id, _ in self._person_clashes(days, city, first, last)}

    def _person_clashes(
        self, days: Mapping[int, tuple[str, str]], city: str, first: int, last: int
    ) -> Iterator[tuple[str, int]]:
        if not days:
            return
        reach = self.reach
        for day in range(max(0, first - reach - 1), last + reach + 2):
            held = days.get(day)
            if held is None:
                continue
            title_id, other = held
            if first <= day <= last:
                yield title_id, day
            elif other != city:
                # free days between the two shoots, against the travel days they need
                if day < first:
                    free, need = first - day - 1, self.scenario.travel_days(other, city)
                else:
                    free, need = day - last - 1, self.scenario.travel_days(city, other)
                if free < need:
                    yield title_id, day

    def person_free(
        self, days: Mapping[int, tuple[str, str]], city: str, first: int, last: int
    ) -> bool:
        """Whether a crew or actor (``days``) may shoot ``first`` … ``last`` in ``city``."""
        return next(self._person_clashes(days, city, first, last), None) is None

    def run_clashes(self, crew: Crew, first: int, last: int, leaving: set[str]) -> set[str] | None:
        """Titles to move so that ``crew`` keeps its days in a row (rule 9); None: it cannot.

        Rule 9: a crew with max_days_in_row = n never shoots more than n
        consecutive dates. Only the run through ``first`` … ``last`` changes; the
        title right before it or right after it (or both) makes way, whichever
        gives up less priority.
        """
        limit = crew.max_days_in_row
        if limit is None:
            return set()
        if last - first + 1 > limit:
            return None
        days = self.crew_days.get(crew.crew_id, {})

        def run(start: int, step: int) -> tuple[int, str | None]:
            count, day, neighbour = 0, start, None
            while (held := days.get(day)) is not None and held[0] not in leaving:
                neighbour = neighbour or held[0]
                count, day = count + 1, day + step
            return count, neighbour

        before, earlier = run(first - 1, -1)
        after, later = run(last + 1, 1)
        length = last - first + 1
        if before + length + after <= limit:
            return set()
        ways = []
        if earlier is not None and length + after <= limit:
            ways.append({earlier})
        if later is not None and before + length <= limit:
            ways.append({later})
        ways.append({t for t in (earlier, later) if t is not None})
        return min(ways, key=lambda way: (self.priority_of(way), len(way), sorted(way)))

    def room_clashes(self, placement: Placement, leaving: set[str]) -> set[str]:
        """Titles to move so that each shoot day has a free set of its type and a base place.

        Rule 4: a set hosts one shoot a day; rule 6: a base hosts at most
        max_crews titles a day. Where a day lacks either, the title there that
        gives up least priority (shooting most of those days) makes way.
        """
        p = placement
        cap = self.scenario.base_by_id[p.base_id].max_crews
        out: set[str] = set()
        for day, set_type in p.set_type_by_day():
            open_count = len(self.open_sets(p.base_id, set_type, day))
            users = self.pool_titles.get((p.base_id, set_type, day), set()) - leaving - out
            if len(users) >= open_count:
                out.add(self._weakest(users, p))
            if cap is not None:
                here = self.base_titles.get((p.base_id, day), set()) - leaving - out
                if len(here) >= cap:
                    out.add(self._weakest(here, p))
        return out

    def in_the_way(self, title: Title, placement: Placement, crew: Crew) -> frozenset[str] | None:
        """The planned titles that must make way for ``title`` at ``placement`` with ``crew``.

        ``None`` when no moving makes room (the shoot is longer than the crew's
        days in a row).
        """
        p = placement
        out = self.person_clashes(
            self.crew_days.get(crew.crew_id, {}), p.city, p.start, p.last_day
        )
        for actor_id, (first, last) in p.actor_spans().items():
            days = self.actor_days.get(actor_id, {})
            out |= self.person_clashes(days, p.city, first, last)
        run = self.run_clashes(crew, p.start, p.last_day, out)
        if run is None:
            return None
        out |= run
        out |= self.room_clashes(p, out)
        out.discard(title.title_id)
        return frozenset(out)

    def fits(self, title: Title, placement: Placement, crew: Crew) -> bool:
        """Whether ``title`` fits at ``placement`` with ``crew`` with nothing moving."""
        p = placement
        if not self.person_free(self.crew_days.get(crew.crew_id, {}), p.city, p.start, p.last_day):
            return False
        if not all(
            self.person_free(self.actor_days.get(a, {}), p.city, first, last)
            for a, (first, last) in p.actor_spans().items()
        ):
            return False
        return self.room_free(p) and self.run_clashes(crew, p.start, p.last_day, set()) == set()

    def room_free(self, placement: Placement) -> bool:
        """Whether each shoot day has a free set of its type and a place at the base."""
        p = placement
        cap = self.scenario.base_by_id[p.base_id].max_crews
        for day, set_type in p.set_type_by_day():
            users = self.pool_titles.get((p.base_id, set_type, day), ())
            if len(users) >= len(self.open_sets(p.base_id, set_type, day)):
                return False
            if cap is not None and len(self.base_titles.get((p.base_id, day), ())) >= cap:
                return False
        return True

    def book_sets(self, title_id: str, choice: Choice) -> tuple[Shoot, ...]:
        """Shoots of ``choice`` on free sets: yesterday's set where it can, else the cheapest."""
        p = choice.placement
        shoots: list[Shoot] = []
        yesterday: FilmSet | None = None
        for offset, (day, set_type) in enumerate(p.set_type_by_day()):
            free = [
                s
                for s in self.open_sets(p.base_id, set_type, day)
                if (s.set_id, day) not in self.set_user
            ]
            film_set = yesterday if yesterday in free else free[0]
            shoots.append(
                Shoot(
                    title_id,
                    self.scenario.date_of(day),
                    p.base_id,
                    film_set.set_id,
                    choice.crew_id,
                    p.scenes[offset] if p.scenes else (),
                )
            )
            yesterday = film_set
        return tuple(shoots)

    def priority_of(self, title_ids: Iterable[str]) -> int:
        """Σ priority of ``title_ids``."""
        return sum(self.scenario.title_by_id[t].priority for t in title_ids)

    def _weakest(self, title_ids: set[str], placement: Placement) -> str:
        """The title giving up least priority, shooting most of ``placement``'s days."""
        days = set(placement.days())

        def overlap(title_id: str) -> int:
            return len(days.intersection(self.choices[title_id].placement.days()))

        return min(
            title_ids,
            key=lambda t: (self.scenario.title_by_id[t].priority, -overlap(t), t),
        )


# -- the search ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Try:
    """A (base, crew, start) of the rush title: its best set-type order, who is in the way."""

    choice: Choice
    in_the_way: frozenset[str]
    given_up: int

    def order(self) -> tuple[int, int, int, str, str]:
        p = self.choice.placement
        return (len(self.in_the_way), self.given_up, p.start, p.base_id, self.choice.crew_id)


@dataclass(frozen=True)
class _Draft:
    """A try worked out on the board, before its whole plan is built and checked.

    ``leaving`` are the planned titles taken off the board (in the way);
    ``entering`` the rush title and each of them re-placed, with the shoots
    booked for them. Every other title keeps its shoots.
    """

    choice: Choice
    start: date
    leaving: frozenset[str]
    entering: Mapping[str, tuple[Choice, tuple[Shoot, ...]]]
    moves: tuple[Move, ...]
    unscheduled: Mapping[str, str]
    delta_priority: int
    delta_cost: int

    @property
    def key(self) -> tuple[str, str, int]:
        return _key(self.choice)

    @property
    def dropped(self) -> tuple[str, ...]:
        return tuple(m.title_id for m in self.moves if m.dropped)

    def rank(self) -> tuple[int, int, int, date, str, str]:
        """As :meth:`FitOption.rank`."""
        p = self.choice.placement
        return (
            -self.delta_priority,
            len(self.moves),
            self.delta_cost,
            self.start,
            p.base_id,
            self.choice.crew_id,
        )


def _key(choice: Choice) -> tuple[str, str, int]:
    """An option's (base, crew, start day): no two options share one."""
    return (choice.placement.base_id, choice.crew_id, choice.placement.start)


def fit_title(
    scenario: Scenario,
    plan: Plan,
    title: Title,
    checker: PlanChecker,
    options: int = DEFAULT_OPTIONS,
    *,
    max_orders: int = DEFAULT_MAX_ORDERS,
    max_evaluations: int = DEFAULT_MAX_EVALUATIONS,
    published: frozenset[str] = frozenset(),
    seconds: float = DEFAULT_SECONDS,
    max_chains: int = DEFAULT_MAX_CHAINS,
) -> FitResult:
    """The best ``options`` ways to fit ``title`` into ``plan``, best first.

    Parameters
    ----------
    scenario
        The scenario with the rush title already in it.
    plan
        The earlier plan (without the rush title); every title of it stays as it
        is unless an option moves it.
    title
        The rush title.
    checker
        The independent plan checker; an option whose plan it rejects is not offered.
    options
        How many options to return at most; each has its own (base, crew, start).
    max_orders
        Most set-type orders tried per start (see :mod:`solver.slate.candidates`).
    max_evaluations
        Most options worked out one step at a time before that search stops.
    published
        Titles of ``plan`` already sent out: no option moves or drops them.
    seconds
        Wall time of the whole fit: what the one-step search leaves of it goes
        to chains of moves for options that drop a title (none when 0).
    max_chains
        Most chain searches (one CP-SAT sub-model each), however much time is left.
    """
    deadline = time.monotonic() + seconds
    pending = {**plan.unscheduled, title.title_id: "插单待排 rush title, not placed yet"}
    base_plan = Plan(plan.shoots, pending)
    if title.title_id in plan.scheduled_title_ids:
        return FitResult((), f"剧目 {title.title_id} 已在方案中，不是新的插单")
    breaches = checker(scenario, base_plan)
    if breaches:
        first = breaches[0].message_zh
        return FitResult(
            (),
            f"原方案在当前场景下有 {len(breaches)} 处违反规则（如：{first}），"
            "请先重新排期或修改方案",
        )
    found = enumerate_candidates(scenario, max_orders, title_ids=[title.title_id])
    own = found.by_title[title.title_id]
    if not own.possible:
        return FitResult((), f"剧目自身无法排入：{own.reason}")
    search = _Search(scenario, plan, title, checker, max_orders, published)
    return search.run(own, options, max_evaluations, deadline, max_chains)


class _Search:
    """One rush title's options against one plan."""

    def __init__(
        self,
        scenario: Scenario,
        plan: Plan,
        title: Title,
        checker: PlanChecker,
        max_orders: int,
        published: frozenset[str] = frozenset(),
    ) -> None:
        self.scenario = scenario
        self.published = published
        self.plan = plan
        self.title = title
        self.checker = checker
        self.max_orders = max_orders
        self.board = Board.of_plan(scenario, plan)
        self.original = dict(self.board.choices)
        self.old_cost = plan_cost(scenario, plan)
        self._candidates: dict[str, TitleCandidates] = {}
        self._pairs: dict[tuple[str, Choice], list[tuple[Placement, str]]] = {}
        self._verdicts: dict[tuple[str, str, int], bool] = {}
        self._options: dict[tuple[str, str, int], FitOption] = {}
        self.chains_run = 0
        self.chains_improved = 0

    def run(
        self,
        own: TitleCandidates,
        wanted: int,
        max_evaluations: int,
        deadline: float,
        max_chains: int,
    ) -> FitResult:
        tries = self.tries(own)
        drafts: list[_Draft] = []
        chosen: list[FitOption] = []
        stopped_early = False
        for level, group in groupby(tries, key=lambda t: len(t.in_the_way)):
            for attempt in group:
                if len(drafts) >= max_evaluations:
                    stopped_early = True
                    break
                drafts.append(self.work_out(attempt))
            chosen = self.choose(drafts, wanted)
            if stopped_early or self.unbeatable(chosen, wanted, level):
                break
        chosen = self.chain(chosen, drafts, wanted, deadline, max_chains)
        rejected = sum(1 for ok in self._verdicts.values() if not ok)
        shortfall = None
        if len(chosen) < wanted:
            cap = max_evaluations if stopped_early else None
            shortfall = self.shortfall(len(chosen), wanted, len(tries), rejected, cap)
        return FitResult(
            tuple(chosen),
            shortfall,
            len(tries),
            len(drafts),
            rejected,
            self.chains_run,
            self.chains_improved,
        )

    def tries(self, own: TitleCandidates) -> list[_Try]:
        """Every (base, crew, start) of the rush title, its best order; fewest in the way first."""
        crews_at: dict[tuple[int, str], list[str]] = defaultdict(list)
        for option in own.crew_options:
            crews_at[(option.start, option.city)].append(option.crew_id)
        best: dict[tuple[str, str, int], _Try] = {}
        for p in own.placements:
            for crew_id in crews_at[(p.start, p.city)]:
                crew = self.scenario.crew_by_id[crew_id]
                in_the_way = self.board.in_the_way(self.title, p, crew)
                if in_the_way is None or in_the_way & self.published:
                    continue  # no room, or only by moving a title already sent out
                attempt = _Try(Choice(p, crew_id), in_the_way, self.board.priority_of(in_the_way))
                key = (p.base_id, crew_id, p.start)
                kept = best.get(key)
                if kept is None or attempt.order() < kept.order():
                    best[key] = attempt
        return sorted(best.values(), key=_Try.order)

    def work_out(self, attempt: _Try) -> _Draft:
        """One try: titles in the way re-placed or dropped, what enters and leaves, its Δs."""
        board = self.board
        taken = {t: board.remove(t) for t in sorted(attempt.in_the_way)}
        new_id = self.title.title_id
        entering = {new_id: (attempt.choice, board.book_sets(new_id, attempt.choice))}
        board.add(new_id, *entering[new_id])
        moves: list[Move] = []
        unscheduled = {k: v for k, v in self.plan.unscheduled.items() if k != new_id}
        by_weight = sorted(taken, key=lambda t: (-self.scenario.title_by_id[t].priority, t))
        for title_id in by_weight:
            before = taken[title_id][0]
            after = self.re_place(title_id, before)
            if after is None:
                moves.append(Move(title_id, before, None))
                unscheduled[title_id] = self.made_way()
                continue
            entering[title_id] = (after, board.book_sets(title_id, after))
            board.add(title_id, *entering[title_id])
            if not same_shoot(before, after):
                moves.append(Move(title_id, before, after))
        # back to the earlier plan for the next try
        for title_id in entering:
            board.remove(title_id)
        for title_id, (choice, shoots) in taken.items():
            board.add(title_id, choice, shoots)
        dropped = sum(self.scenario.title_by_id[m.title_id].priority for m in moves if m.dropped)
        # the plan's cost is a sum over shoots: only the shoots that change count
        added = Plan(tuple(s for _, shoots in entering.values() for s in shoots), {})
        removed = Plan(tuple(s for _, shoots in taken.values() for s in shoots), {})
        return _Draft(
            choice=attempt.choice,
            start=self.scenario.date_of(attempt.choice.placement.start),
            leaving=frozenset(taken),
            entering=entering,
            moves=tuple(sorted(moves, key=lambda m: m.title_id)),
            unscheduled=unscheduled,
            delta_priority=self.title.priority - dropped,
            delta_cost=plan_cost(self.scenario, added) - plan_cost(self.scenario, removed),
        )

    def made_way(self) -> str:
        """Why a planned title an option drops is left out (Chinese first)."""
        return (
            f"为插单「{self.title.name}」让出档期，未能另排 "
            f"(made way for rush title {self.title.title_id}, no other room found)"
        )

    def re_place(self, title_id: str, before: Choice) -> Choice | None:
        """Where a title in the way can go on the board, nothing else moving; None: nowhere.

        Its own crew, base and start are kept as far as they can be; then the
        start nearest the old one.
        """
        title = self.scenario.title_by_id[title_id]
        board = self.board
        cast_free: dict[tuple[int, str, tuple[frozenset[str], ...]], bool] = {}
        crew_free: dict[tuple[str, int, str], bool] = {}
        for p, crew_id in self.pairs(title_id, before):
            # who is free is asked once per start, city and booking; the sets per placement
            spot = (p.start, p.city, p.booked)
            if spot not in cast_free:
                cast_free[spot] = all(
                    board.person_free(board.actor_days.get(a, {}), p.city, first, last)
                    for a, (first, last) in p.actor_spans().items()
                )
            if not cast_free[spot]:
                continue
            key = (crew_id, p.start, p.city)
            if key not in crew_free:
                days = board.crew_days.get(crew_id, {})
                crew_free[key] = board.person_free(days, p.city, p.start, p.last_day)
            if crew_free[key] and board.fits(title, p, self.scenario.crew_by_id[crew_id]):
                return Choice(p, crew_id)
        return None

    def pairs(self, title_id: str, before: Choice) -> list[tuple[Placement, str]]:
        """A title's (placement, crew) pairs, nearest ``before`` first (sorted once per title)."""
        key = (title_id, before)
        found = self._pairs.get(key)
        if found is not None:
            return found
        own = self.candidates(title_id)
        old = before.placement
        crews_at: dict[tuple[int, str], list[str]] = defaultdict(list)
        for option in own.crew_options:
            crews_at[(option.start, option.city)].append(option.crew_id)
        pairs = [(p, crew_id) for p in own.placements for crew_id in crews_at[(p.start, p.city)]]
        pairs.sort(
            key=lambda pair: (
                pair[1] != before.crew_id,
                pair[0].base_id != old.base_id,
                abs(pair[0].start - old.start),
                pair[0].start,
                pair[0].base_id,
                pair[1],
                pair[0].set_types,
            )
        )
        self._pairs[key] = pairs
        return pairs

    def candidates(self, title_id: str) -> TitleCandidates:
        """A title's own placements and crews (its window, sets, closed days), once."""
        if title_id not in self._candidates:
            found = enumerate_candidates(self.scenario, self.max_orders, title_ids=[title_id])
            self._candidates[title_id] = found.by_title[title_id]
        return self._candidates[title_id]

    def choose(self, drafts: Sequence[_Draft], wanted: int) -> list[FitOption]:
        """The best ``wanted`` options whose plan the checker confirms."""
        chosen: list[FitOption] = []
        for draft in sorted(drafts, key=_Draft.rank):
            if len(chosen) == wanted:
                break
            option = self.confirmed(draft)
            if option is not None:
                chosen.append(option)
        return chosen

    def confirmed(self, draft: _Draft) -> FitOption | None:
        """The draft's option with its whole plan, if the checker passes that plan (asked once)."""
        key = draft.key
        if key not in self._verdicts:
            shoots = [s for s in self.plan.shoots if s.title_id not in draft.leaving]
            shoots += [s for _, entered in draft.entering.values() for s in entered]
            option = FitOption(
                title_id=self.title.title_id,
                choice=draft.choice,
                start=draft.start,
                moves=draft.moves,
                delta_priority=draft.delta_priority,
                delta_cost=draft.delta_cost,
                plan=Plan(tuple(sorted(shoots)), dict(draft.unscheduled)),
            )
            self._verdicts[key] = not self.checker(self.scenario, option.plan)
            if self._verdicts[key]:
                self._options[key] = option
        return self._options.get(key)

    def unbeatable(self, chosen: Sequence[FitOption], wanted: int, level: int) -> bool:
        """Whether options moving more than ``level`` titles can no longer enter ``chosen``.

        Such an option gains at most the rush title's priority and moves more
        titles, so it ranks after any option that gains it all moving ``level`` or fewer.
        """
        return len(chosen) == wanted and all(
            o.delta_priority == self.title.priority and len(o.moves) <= level for o in chosen
        )

    # -- chains of moves ------------------------------------------------------------------

    def chain(
        self,
        chosen: list[FitOption],
        drafts: Sequence[_Draft],
        wanted: int,
        deadline: float,
        max_chains: int,
    ) -> list[FitOption]:
        """The options after chains of moves were searched for those that drop a title, best first.

        The options chosen come first (best first), then the other drafts that
        drop a title (best first) while they could still enter the best
        ``wanted``. Each gets one sub-model (:meth:`chained`) until ``max_chains``
        were run or ``deadline`` (a ``time.monotonic`` time) is near.
        """
        best = {_key(o.choice): o for o in chosen}
        # every option chosen came from a draft: the drafts hold each plan's exact choices
        ranked = sorted((d for d in drafts if d.dropped), key=_Draft.rank)
        queue = [d for d in ranked if d.key in best] + [d for d in ranked if d.key not in best]
        for draft in queue:
            if self.chains_run >= max_chains or deadline - time.monotonic() < CHAIN_MIN_SECONDS:
                break
            if draft.key not in best and not self.could_enter(best.values(), wanted):
                break  # the drafts come best first: no later one can enter either
            choices = self.choices_of_draft(draft)
            option = self.chained(draft.choice, choices, draft.dropped, deadline)
            kept = best.get(draft.key)
            if option is not None and (kept is None or option.rank() < kept.rank()):
                best[draft.key] = option
                self.chains_improved += 1
        return sorted(best.values(), key=FitOption.rank)[:wanted]

    def could_enter(self, options: Iterable[FitOption], wanted: int) -> bool:
        """Whether an option gaining the rush title's whole priority could enter ``options``."""
        ranked = sorted(options, key=FitOption.rank)
        return len(ranked) < wanted or ranked[wanted - 1].delta_priority < self.title.priority

    def choices_of_draft(self, draft: _Draft) -> dict[str, Choice]:
        """Every scheduled title's choice in a draft's plan."""
        choices = {t: c for t, c in self.original.items() if t not in draft.leaving}
        choices.update({t: choice for t, (choice, _) in draft.entering.items()})
        return choices

    def chained(
        self,
        choice: Choice,
        choices: Mapping[str, Choice],
        dropped: Sequence[str],
        deadline: float,
    ) -> FitOption | None:
        """The option's plan with the dropped titles back in by moving others, if CP-SAT finds one.

        The rush title keeps ``choice`` and published titles stay; the dropped
        titles, the titles the option moved and the titles around them
        (:meth:`neighbourhood`) are solved again for the most priority, then the
        fewest titles changed against the earlier plan, then the least cost. The
        plan found must pass the checker.
        """
        self.chains_run += 1
        reference = Reference(self.original, self.published & self.original.keys())
        search = LargeNeighbourhoodSearch(
            self.scenario,
            choices,
            seed=CHAIN_SEED,
            workers=CHAIN_WORKERS,
            max_orders=self.max_orders,
            reference=reference,
        )
        freed = self.neighbourhood(choices, dropped)
        left = deadline - time.monotonic()
        outcome = search.move(freed, min(CHAIN_MOVE_SECONDS, left), deadline=deadline)
        found = outcome.choices
        if found is None or found.get(self.title.title_id) != choice:
            return None
        option = self.option_of(choice, found)
        if option.delta_priority <= self.title.priority - self.board.priority_of(dropped):
            return None  # no title back in: a plan of equal priority is not a better option
        if self.checker(self.scenario, option.plan):
            return None
        return option

    def neighbourhood(self, choices: Mapping[str, Choice], dropped: Sequence[str]) -> list[str]:
        """The titles a chain search frees: the dropped ones, those in their way, those around.

        Most :data:`CHAIN_MAX_TITLES`. In the way: the titles holding the dropped
        titles' best spots on the option's plan (fewest and least priority in the
        way first, :data:`CHAIN_SPOTS` per title); around: as a re-plan frees
        (:func:`solver.slate.revise.around`). Never the rush title or a published one.
        """
        rush_id = self.title.title_id
        fixed = self.published | {rush_id}
        moved = [t for t, c in choices.items() if t in self.original and c != self.original[t]]
        kept = {t: c for t, c in choices.items() if t not in fixed}
        blocking = self.blocking(choices, dropped, fixed)
        near = around(self.scenario, kept, dropped, frozenset(fixed))
        freed = list(dict.fromkeys([*dropped, *moved, *blocking, *near]))
        return [t for t in freed if t not in fixed][:CHAIN_MAX_TITLES]

    def blocking(
        self, choices: Mapping[str, Choice], dropped: Sequence[str], fixed: frozenset[str]
    ) -> list[str]:
        """Titles in the way of the dropped titles' best spots, on the board of ``choices``."""
        found: list[str] = []
        with self.board_of(choices) as board:
            for title_id in dropped:
                title = self.scenario.title_by_id[title_id]
                spots: dict[frozenset[str], int] = {}
                for p, crew_id in self.pairs(title_id, self.original[title_id]):
                    way = board.in_the_way(title, p, self.scenario.crew_by_id[crew_id])
                    if way is not None and not way & fixed:
                        spots.setdefault(way, board.priority_of(way))
                best = sorted(spots, key=lambda w: (len(w), spots[w], sorted(w)))[:CHAIN_SPOTS]
                found += sorted({t for way in best for t in way})
        return found

    @contextmanager
    def board_of(self, choices: Mapping[str, Choice]) -> Iterator[Board]:
        """The board holding the plan of ``choices`` inside the ``with``; the earlier plan after.

        Titles whose choice is the earlier plan's keep their shoots; the others
        are booked again, by title id.
        """
        board = self.board
        changed = [t for t in sorted(board.choices) if choices.get(t) != board.choices[t]]
        leaving = {t: board.remove(t) for t in changed}
        entering: list[str] = []
        try:
            for title_id in sorted(t for t in choices if t not in board.choices):
                choice = choices[title_id]
                board.add(title_id, choice, board.book_sets(title_id, choice))
                entering.append(title_id)
            yield board
        finally:
            for title_id in entering:
                board.remove(title_id)
            for title_id, (choice, shoots) in leaving.items():
                board.add(title_id, choice, shoots)

    def option_of(self, choice: Choice, choices: Mapping[str, Choice]) -> FitOption:
        """The option of a whole plan's ``choices``: its moves against the earlier plan, its Δs."""
        moves: list[Move] = []
        unscheduled = {k: v for k, v in self.plan.unscheduled.items() if k != self.title.title_id}
        for title_id, before in self.original.items():
            after = choices.get(title_id)
            if after is None:
                moves.append(Move(title_id, before, None))
                unscheduled[title_id] = self.made_way()
            elif not same_shoot(before, after):
                moves.append(Move(title_id, before, after))
        with self.board_of(choices) as board:
            plan = board.plan(unscheduled)
        delta = self.board.priority_of(choices) - self.board.priority_of(self.original)
        return FitOption(
            title_id=self.title.title_id,
            choice=choice,
            start=self.scenario.date_of(choice.placement.start),
            moves=tuple(sorted(moves, key=lambda m: m.title_id)),
            delta_priority=delta,
            delta_cost=plan_cost(self.scenario, plan) - self.old_cost,
            plan=plan,
            chained=True,
        )

    def shortfall(
        self, found: int, wanted: int, tried: int, rejected: int, cap: int | None
    ) -> str:
        """Why fewer than ``wanted`` options came out, in Chinese."""
        why: list[str] = []
        if tried < wanted:
            why.append(f"剧目在可拍期内只有 {tried} 种（基地、剧组、开机日）组合可行")
        if rejected:
            why.append(f"{rejected} 个方案未通过独立检查，已剔除")
        if cap is not None:
            why.append(f"已算满 {cap} 个方案的评估上限")
        if not why:
            why.append("其余组合挪动后仍违反规则")
        return f"只找到 {found} 个方案（要 {wanted} 个）：" + "；".join(why)
