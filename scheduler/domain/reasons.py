"""Why a title is left out of a plan: claims as data, each one checkable fact.

A :class:`Reason` is what ``unscheduled.csv`` says of a title that could shoot on
its own but did not make the plan. It is built from *claims*: each claim is one
fact of the plan and the scenario (an actor shoots another title on those days,
every 医院 set of a base is booked that day and by whom, no crew that shoots the
genre is free, dropping these titles lets it in …), kept as a frozen dataclass so
that :mod:`scheduler.check.reasons` can check it against the plan independently
of the code that found it, and rendered in the producer's words by ``text()``:
names and ids of actors, crews and bases, ``MM-DD`` dates, 《title》.

Dates are calendar dates, not day numbers, so a claim reads the same outside
the solver. ``Reason.proven`` tells a plan proven priority-optimal (the title
cannot get in without giving up at least its own priority) from one only found
in the time given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Who = Literal["actor", "crew"]
WHO_ZH: dict[str, str] = {"actor": "主演", "crew": "剧组"}

MAX_CREWS_NAMED = 3
"""A crew clause names at most this many crews, then says how many more."""


def month_day(when: date) -> str:
    """``when`` as a producer writes it: ``12-05``."""
    return f"{when.month:02d}-{when.day:02d}"


def day_spans(days: Iterable[date]) -> str:
    """Dates as runs: ``12-03–12-04、12-07``."""
    ordered = sorted(set(days))
    runs: list[tuple[date, date]] = []
    for when in ordered:
        if runs and when - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], when)
        else:
            runs.append((when, when))
    return "、".join(month_day(a) if a == b else f"{month_day(a)}–{month_day(b)}" for a, b in runs)


@dataclass(frozen=True, order=True)
class Holder:
    """A title of the plan that holds a resource, with its priority."""

    title_id: str
    name: str
    priority: int

    def text(self) -> str:
        return f"《{self.title_id} {self.name}》"


def _holders_text(holders: Iterable[Holder]) -> str:
    return "、".join(h.text() for h in holders)


@dataclass(frozen=True)
class DayHolders:
    """The titles that hold a resource on one day."""

    day: date
    holders: tuple[Holder, ...]


MAX_PARTS = 4
"""A clause lists at most this many runs of days (or titles of one actor), then how many in all."""


def _runs_of_holders(days: Iterable[DayHolders]) -> list[tuple[str, tuple[str, ...]]]:
    """Consecutive days held by the same titles, as (``12-14–12-15``, title ids)."""
    runs: list[tuple[date, date, tuple[str, ...]]] = []
    for d in sorted(days, key=lambda d: d.day):
        ids = tuple(h.title_id for h in d.holders)
        if runs and runs[-1][2] == ids and d.day - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], d.day, ids)
        else:
            runs.append((d.day, d.day, ids))
    return [
        (month_day(a) if a == b else f"{month_day(a)}–{month_day(b)}", ids) for a, b, ids in runs
    ]


def _some(parts: list[str]) -> str:
    more = len(parts) - MAX_PARTS
    return "，".join(parts[:MAX_PARTS]) + (f" 等 {len(parts)} 段" if more > 0 else "")


# -- who: an actor or a crew ------------------------------------------------


@dataclass(frozen=True)
class Unavailable:
    """The actor or crew is unavailable (unavailable.csv) on ``days``."""

    who: Who
    who_id: str
    who_name: str
    days: tuple[date, ...]

    def text(self) -> str:
        who = f"{WHO_ZH[self.who]} {self.who_name}（{self.who_id}）"
        return f"{who}{day_spans(self.days)} 请假/不可用"

    def resources(self) -> tuple[str, ...]:
        return (f"{self.who} {self.who_id}",)


@dataclass(frozen=True)
class Busy:
    """The actor (in its cast) or crew shoots ``holder`` on each of ``days``."""

    who: Who
    who_id: str
    who_name: str
    holder: Holder
    days: tuple[date, ...]

    def text(self) -> str:
        return (
            f"{WHO_ZH[self.who]} {self.who_name}（{self.who_id}）"
            f"{day_spans(self.days)} 在拍{self.holder.text()}"
        )

    def resources(self) -> tuple[str, ...]:
        return (f"{self.who} {self.who_id}",)


@dataclass(frozen=True)
class TravelTooShort:
    """The actor or crew shoots ``holder`` in ``holder_city`` on ``holder_day``: too close
    to shoot the left-out title in ``city`` from any of ``starts`` for ``length`` days.

    Too close: fewer free days between the two than the travel days, in the
    direction of time (rule 7).
    """

    who: Who
    who_id: str
    who_name: str
    holder: Holder
    holder_day: date
    holder_city: str
    city: str
    starts: tuple[date, ...]
    length: int

    def text(self) -> str:
        return (
            f"{WHO_ZH[self.who]} {self.who_name}（{self.who_id}）{month_day(self.holder_day)} "
            f"在{self.holder_city}拍{self.holder.text()}，来不及转场到{self.city}"
            f"（{day_spans(self.starts)} 开机）"
        )

    def resources(self) -> tuple[str, ...]:
        return (f"{self.who} {self.who_id}",)


@dataclass(frozen=True)
class RestDue:
    """The crew shoots every day of ``before`` and ``after`` (for ``holders``): with the
    left-out title's ``length`` days from ``start`` between them it would shoot more than
    ``max_days_in_row`` days in a row (rule 9)."""

    crew_id: str
    crew_name: str
    max_days_in_row: int
    start: date
    length: int
    before: tuple[date, ...]
    after: tuple[date, ...]
    holders: tuple[Holder, ...]

    def text(self) -> str:
        run = len(self.before) + self.length + len(self.after)
        held = f"（前后在拍{_holders_text(self.holders)}）" if self.holders else ""
        return (
            f"剧组 {self.crew_name}（{self.crew_id}）{month_day(self.start)} 开机将连拍 {run} 天"
            f"{held}，超过连拍上限 {self.max_days_in_row} 天"
        )

    def resources(self) -> tuple[str, ...]:
        return (f"crew {self.crew_id}",)


CrewFact = Unavailable | Busy | TravelTooShort | RestDue
"""One reason a crew cannot shoot the left-out title from some first day."""


@dataclass(frozen=True)
class CrewBlocked:
    """Why one crew cannot shoot the left-out title: each fact blocks some first days."""

    crew_id: str
    crew_name: str
    facts: tuple[CrewFact, ...]

    def text(self) -> str:
        kinds = []
        for fact in self.facts:
            if isinstance(fact, Unavailable):
                kinds.append(f"{day_spans(fact.days)} 请假")
            elif isinstance(fact, Busy):
                kinds.append(f"在拍{fact.holder.text()}")
            elif isinstance(fact, TravelTooShort):
                kinds.append(f"{fact.holder_city}转场")
            else:
                kinds.append("连拍上限")
        return f"{self.crew_name}" + (f" {'、'.join(dict.fromkeys(kinds))}" if kinds else "")


@dataclass(frozen=True)
class NoCrewFree:
    """No crew that can shoot ``genre`` (or only the pinned crew) can shoot ``length`` days
    in ``city`` from any of ``starts``: every such crew is listed with facts that block
    each of those first days."""

    genre: str
    city: str
    length: int
    starts: tuple[date, ...]
    crews: tuple[CrewBlocked, ...]
    pinned_crew: bool = False

    def text(self) -> str:
        first = min(self.starts)
        last = max(self.starts) + timedelta(days=self.length - 1)
        who = "钉住的剧组" if self.pinned_crew else f"会拍{self.genre}的剧组"
        contiguous = len(self.starts) == (max(self.starts) - first).days + 1
        if contiguous:
            head = f"没有{who}在 {month_day(first)}–{month_day(last)} 内连续空闲 {self.length} 天"
        else:
            head = f"{day_spans(self.starts)} 开机都没有{who}连续空闲 {self.length} 天"
        named = [c.text() for c in self.crews[:MAX_CREWS_NAMED]]
        more = len(self.crews) - MAX_CREWS_NAMED
        tail = "；".join(named) + (f" 等 {len(self.crews)} 个剧组" if more > 0 else "")
        return f"{head}（{self.city}；{tail}）" if tail else f"{head}（{self.city}）"

    def resources(self) -> tuple[str, ...]:
        return tuple(f"crew {c.crew_id}" for c in self.crews)


# -- sets and bases ---------------------------------------------------------


@dataclass(frozen=True)
class SetTypeFull:
    """On each listed day every ``set_type`` set of the base is booked by the day's holders
    or unavailable."""

    base_id: str
    base_name: str
    set_type: str
    days: tuple[DayHolders, ...]

    def text(self) -> str:
        parts = [
            f"{span} 被 {'、'.join(ids)} 占用" if ids else f"{span} 停用"
            for span, ids in _runs_of_holders(self.days)
        ]
        return f"{self.base_id} {self.base_name}无空闲{self.set_type}棚：{_some(parts)}"

    def resources(self) -> tuple[str, ...]:
        return (f"base {self.base_id}", f"set type {self.set_type}")


@dataclass(frozen=True)
class BaseFull:
    """On each listed day the base hosts its ``max_crews`` titles, the day's holders (rule 6)."""

    base_id: str
    base_name: str
    max_crews: int
    days: tuple[DayHolders, ...]

    def text(self) -> str:
        parts = [f"{span} {'、'.join(ids)}" for span, ids in _runs_of_holders(self.days)]
        return f"{self.base_id} {self.base_name}已满 {self.max_crews} 个剧组：{_some(parts)}"

    def resources(self) -> tuple[str, ...]:
        return (f"base {self.base_id}",)


# -- what would let it in -----------------------------------------------------


@dataclass(frozen=True)
class Displace:
    """Dropping ``removed`` (Σ priority below the title's) and shooting the title as
    ``shoots`` gives a plan that keeps every rule; ``removed`` empty: it fits as it is."""

    title_id: str
    priority: int
    removed: tuple[Holder, ...]
    shoots: tuple[tuple[date, str, str, str], ...]
    """(date, base id, set id, crew id) of each shoot day of the title."""
    base_name: str
    crew_name: str
    scenes: tuple[tuple[str, ...], ...] = ()
    """Scene ids of each shoot day, for a title with a scene breakdown (else empty)."""

    def shoot_scenes(self, day: int) -> tuple[str, ...]:
        """Scene ids of the ``day``-th shoot (counted from 0)."""
        return self.scenes[day] if self.scenes else ()

    @property
    def gain(self) -> int:
        """Σ priority the plan gains by the swap."""
        return self.priority - sum(h.priority for h in self.removed)

    def text(self) -> str:
        first = min(s[0] for s in self.shoots)
        where = f"{month_day(first)} 起在{self.base_name}由{self.crew_name}拍"
        if not self.removed:
            return f"不挪任何剧目即可排入（{where}），总优先级 +{self.gain}"
        names = "、".join(f"{h.title_id}《{h.name}》（优先级 {h.priority}）" for h in self.removed)
        return f"挪走 {names}即可排入（{where}），总优先级 +{self.gain}"

    def resources(self) -> tuple[str, ...]:
        return tuple(f"title {h.title_id}" for h in self.removed) or (f"base {self.shoots[0][1]}",)


Claim = (
    Unavailable | Busy | TravelTooShort | RestDue | NoCrewFree | SetTypeFull | BaseFull | Displace
)
"""One checkable fact in a reason."""


@dataclass(frozen=True)
class Reason:
    """Why ``title_id`` is not in the plan, as claims; ``text`` goes into the plan.

    ``proven``: the plan's priority is proven optimal, so getting the title in costs at
    least its own priority elsewhere; otherwise the search only found nothing in its time.
    ``others`` counts placements that none of the claims named covers (blocked otherwise).
    """

    title_id: str
    priority: int
    claims: tuple[Claim, ...]
    proven: bool
    others: int = 0

    @property
    def blockers(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if not isinstance(c, Displace))

    @property
    def displacement(self) -> Displace | None:
        return next((c for c in self.claims if isinstance(c, Displace)), None)

    def names_resource(self) -> bool:
        """Whether some claim names an actor, crew, base, set type or title that blocks it."""
        return any(c.resources() for c in self.claims)

    def text(self) -> str:
        if self.proven:
            head = f"已证最优：排入它须让出不低于其优先级 {self.priority} 的其他剧目"
        else:
            head = "在给定时间内未找到不减总优先级的排法"
        clauses = _clauses(self.blockers)
        if self.others:
            clauses.append(f"另有 {self.others} 种排法被其他冲突挡住")
        body = f"。本方案中：{'；'.join(clauses)}" if clauses else ""
        move = self.displacement
        tail = f"。{move.text()}" if move is not None else ""
        return head + body + tail


def _clauses(claims: Iterable[Claim]) -> list[str]:
    """One clause per claim, those of one actor or crew in a row joined after its name."""
    clauses: list[list[str]] = []
    last_who: tuple[str, str] | None = None
    for claim in claims:
        who = _who_of(claim)
        text = claim.text()
        if who is not None and who == last_who:
            prefix = f"{WHO_ZH[who[0]]} {getattr(claim, 'who_name', '')}（{who[1]}）"
            clauses[-1].append(text.removeprefix(prefix).strip())
        else:
            clauses.append([text])
        last_who = who
    return [_some(parts) for parts in clauses]


def _who_of(claim: Claim) -> tuple[str, str] | None:
    if isinstance(claim, (Unavailable, Busy, TravelTooShort)):
        return claim.who, claim.who_id
    return None
