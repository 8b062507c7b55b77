"""The fact check of reasons: is every claim of an unscheduled title's reason true?

Shares nothing with the solver code that made the reasons: it reads the
scenario's rows (unavailable.csv straight, not a derived calendar) and the
plan's shoots, and for each claim of :mod:`scheduler.domain.reasons` re-derives
the fact it states — the actor really is off those days; the holder really
shoots those days with that actor in its cast; every set of that type at that
base is booked by the named titles or unavailable; the base is at max_crews
with those titles; every crew that can shoot the genre is kept from every
first day claimed; the plan without the displaced titles and with this one
passes :func:`scheduler.check.checker.check_plan`. One function per claim kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from scheduler.check.bookings import actor_bookings
from scheduler.check.checker import check_plan
from scheduler.domain.model import Scenario, Title
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.reasons import (
    BaseFull,
    Busy,
    Claim,
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
)


@dataclass(frozen=True)
class ClaimFailure:
    """A claim of ``title_id``'s reason that the plan and the scenario do not bear out."""

    title_id: str
    claim: Claim
    why: str

    def __str__(self) -> str:
        return f"{self.title_id}: {self.why} — {self.claim.text()}"


class _Facts:
    """The plan's shoots by title, day, set and base; outages by resource."""

    def __init__(self, scenario: Scenario, plan: Plan) -> None:
        self.scenario = scenario
        self.plan = plan
        self.shoot_on: dict[tuple[str, date], Shoot] = {}
        self.set_on: dict[tuple[str, date], set[str]] = defaultdict(set)
        self.base_on: dict[tuple[str, date], set[str]] = defaultdict(set)
        self.crew_on: dict[tuple[str, date], set[str]] = defaultdict(set)
        for shoot in plan.shoots:
            self.shoot_on[(shoot.title_id, shoot.date)] = shoot
            self.set_on[(shoot.set_id, shoot.date)].add(shoot.title_id)
            self.base_on[(shoot.base_id, shoot.date)].add(shoot.title_id)
            self.crew_on[(shoot.crew_id, shoot.date)].add(shoot.title_id)
        self.outages: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
        for row in scenario.unavailable:
            self.outages[(row.kind, row.resource_id)].append((row.from_date, row.to_date))
        self.actor_on: set[tuple[str, str, date]] = {
            (b.actor_id, b.title_id, when)
            for b in actor_bookings(scenario, plan)
            for when in b.dates
        }
        self.scheduled = plan.scheduled_title_ids

    def off(self, kind: str, resource_id: str, when: date) -> bool:
        return any(a <= when <= b for a, b in self.outages.get((kind, resource_id), ()))

    def set_off(self, set_id: str, when: date) -> bool:
        base_id = self.scenario.set_by_id[set_id].base_id
        return self.off("set", set_id, when) or self.off("base", base_id, when)

    def shoots_with(self, who: str, who_id: str, title_id: str, when: date) -> Shoot | None:
        """The shoot of ``title_id`` on ``when`` if ``who`` is in it (its crew, or an actor
        it books that day: rule 10)."""
        shoot = self.shoot_on.get((title_id, when))
        if shoot is None:
            return None
        if who == "crew":
            return shoot if shoot.crew_id == who_id else None
        return shoot if (who_id, title_id, when) in self.actor_on else None


def _holder_problem(facts: _Facts, holder: Holder) -> str | None:
    title = facts.scenario.title_by_id.get(holder.title_id)
    if title is None:
        return f"剧目 {holder.title_id} 不存在"
    if (title.name, title.priority) != (holder.name, holder.priority):
        return f"剧目 {holder.title_id} 的名称或优先级与场景不符"
    if holder.title_id not in facts.scheduled:
        return f"剧目 {holder.title_id} 不在方案中"
    return None


def _who_problem(facts: _Facts, who: str, who_id: str, who_name: str) -> str | None:
    known: Mapping[str, object] = (
        facts.scenario.actor_by_id if who == "actor" else facts.scenario.crew_by_id
    )
    found = known.get(who_id)
    if found is None:
        return f"{who} {who_id} 不存在"
    if getattr(found, "name", None) != who_name:
        return f"{who} {who_id} 的名字不是 {who_name}"
    return None


# -- one function per claim kind -------------------------------------------------


def _unavailable(facts: _Facts, claim: Unavailable, title: Title) -> str | None:
    """The actor or crew has an unavailable.csv row covering each claimed day."""
    problem = _who_problem(facts, claim.who, claim.who_id, claim.who_name)
    if problem or not claim.days:
        return problem or "没有列出日期"
    for when in claim.days:
        if not facts.off(claim.who, claim.who_id, when):
            return f"{claim.who} {claim.who_id} 在 {when} 并未停用"
    return None


def _busy(facts: _Facts, claim: Busy, title: Title) -> str | None:
    """The holder shoots on each claimed day, with the actor in its cast or the crew."""
    problem = _who_problem(facts, claim.who, claim.who_id, claim.who_name)
    problem = problem or _holder_problem(facts, claim.holder)
    if problem or not claim.days:
        return problem or "没有列出日期"
    for when in claim.days:
        if facts.shoots_with(claim.who, claim.who_id, claim.holder.title_id, when) is None:
            return f"{claim.holder.title_id} 在 {when} 没有 {claim.who} {claim.who_id} 的拍摄"
    return None


def _too_close(facts: _Facts, claim: TravelTooShort, start: date, length: int) -> bool:
    """Whether a shoot in ``claim.city`` from ``start`` is too close to the holder's day."""
    end = start + timedelta(days=length - 1)
    travel = facts.scenario.travel_days
    if claim.holder_day < start:
        return (start - claim.holder_day).days - 1 < travel(claim.holder_city, claim.city)
    if claim.holder_day > end:
        return (claim.holder_day - end).days - 1 < travel(claim.city, claim.holder_city)
    return False


def _travel(facts: _Facts, claim: TravelTooShort, title: Title) -> str | None:
    """The holder shoots with the actor or crew in ``holder_city`` on ``holder_day``, and
    each claimed first day leaves fewer free days than the travel between the cities."""
    problem = _who_problem(facts, claim.who, claim.who_id, claim.who_name)
    problem = problem or _holder_problem(facts, claim.holder)
    if problem:
        return problem
    shoot = facts.shoots_with(claim.who, claim.who_id, claim.holder.title_id, claim.holder_day)
    if shoot is None:
        return f"{claim.holder.title_id} 在 {claim.holder_day} 没有 {claim.who_id} 的拍摄"
    if facts.scenario.city_of_base(shoot.base_id) != claim.holder_city:
        return f"{claim.holder.title_id} 不在 {claim.holder_city} 拍摄"
    if claim.city not in facts.scenario.cities or claim.city == claim.holder_city:
        return f"{claim.city} 不是另一个有基地的城市"
    for start in claim.starts:
        if not _too_close(facts, claim, start, claim.length):
            return f"{start} 开机与 {claim.holder_day} 之间的空档够转场"
    return None


def _rest(facts: _Facts, claim: RestDue, title: Title) -> str | None:
    """The crew shoots the days just before and after (the holders' shoots), and with the
    title's days between they make a run longer than its max_days_in_row."""
    crew = facts.scenario.crew_by_id.get(claim.crew_id)
    if crew is None or crew.name != claim.crew_name:
        return f"剧组 {claim.crew_id}（{claim.crew_name}）不存在"
    if crew.max_days_in_row != claim.max_days_in_row:
        return f"剧组 {claim.crew_id} 的连拍上限不是 {claim.max_days_in_row}"
    before = [claim.start - timedelta(days=i) for i in range(len(claim.before), 0, -1)]
    after = [claim.start + timedelta(days=claim.length + i) for i in range(len(claim.after))]
    if list(claim.before) != before or list(claim.after) != after:
        return "前后连拍的日子与开机日不相接"
    holders: set[str] = set()
    for when in (*before, *after):
        titles = facts.crew_on.get((claim.crew_id, when), set())
        if not titles:
            return f"剧组 {claim.crew_id} 在 {when} 没有拍摄"
        holders |= titles
    if holders != {h.title_id for h in claim.holders}:
        return f"前后在拍的是 {'、'.join(sorted(holders))}"
    for holder in claim.holders:
        problem = _holder_problem(facts, holder)
        if problem:
            return problem
    if len(before) + claim.length + len(after) <= claim.max_days_in_row:
        return "连拍天数没有超过上限"
    return None


def _blocks(facts: _Facts, fact: CrewFact, start: date, length: int) -> bool:
    """Whether ``fact`` keeps its crew from shooting ``length`` days from ``start``."""
    end = start + timedelta(days=length - 1)
    if isinstance(fact, (Unavailable, Busy)):
        return any(start <= d <= end for d in fact.days)
    if isinstance(fact, TravelTooShort):
        return _too_close(facts, fact, start, length)
    return fact.start == start and fact.length == length


def _no_crew_free(facts: _Facts, claim: NoCrewFree, title: Title) -> str | None:
    """Every crew that can shoot the genre (the pinned crew, if pinned) is listed, each
    listed fact is true, and on every claimed first day each crew has a fact that blocks it."""
    scenario = facts.scenario
    if claim.genre != title.genre or claim.length != title.shoot_days or not claim.starts:
        return "题材、天数或开机日与剧目不符"
    pin = scenario.pin_by_title.get(title.title_id)
    if claim.pinned_crew:
        if pin is None or pin.crew_id is None:
            return "剧目没有钉住剧组"
        expected = {pin.crew_id}
    else:
        expected = {c.crew_id for c in scenario.crews if c.can_shoot(title.genre)}
    listed = {c.crew_id for c in claim.crews}
    if listed != expected:
        return f"能拍的剧组是 {'、'.join(sorted(expected))}"
    for crew in claim.crews:
        for fact in crew.facts:
            who = getattr(fact, "who_id", getattr(fact, "crew_id", None))
            if who != crew.crew_id or getattr(fact, "who", "crew") != "crew":
                return f"剧组 {crew.crew_id} 名下的事实说的是别人"
            if isinstance(fact, TravelTooShort) and fact.city != claim.city:
                return "转场事实的城市与剧组不空的城市不符"
            problem = _check_one(facts, fact, title)
            if problem:
                return f"剧组 {crew.crew_id}：{problem}"
        for start in claim.starts:
            if not any(_blocks(facts, fact, start, claim.length) for fact in crew.facts):
                return f"剧组 {crew.crew_id} 在 {start} 开机连拍 {claim.length} 天并无冲突"
    return None


def _day_holders_problem(facts: _Facts, days: Iterable[DayHolders]) -> str | None:
    for day in days:
        for holder in day.holders:
            problem = _holder_problem(facts, holder)
            if problem:
                return problem
    return None


def _set_type_full(facts: _Facts, claim: SetTypeFull, title: Title) -> str | None:
    """On each claimed day every set of that type at the base is booked by exactly the
    named titles, or unavailable."""
    scenario = facts.scenario
    base = scenario.base_by_id.get(claim.base_id)
    if base is None or base.name != claim.base_name:
        return f"基地 {claim.base_id}（{claim.base_name}）不存在"
    film_sets = [
        s for s in scenario.sets if s.base_id == claim.base_id and s.set_type == claim.set_type
    ]
    if not film_sets or not claim.days:
        return f"基地 {claim.base_id} 没有{claim.set_type}棚"
    problem = _day_holders_problem(facts, claim.days)
    if problem:
        return problem
    for day in claim.days:
        booked: set[str] = set()
        for film_set in film_sets:
            titles = facts.set_on.get((film_set.set_id, day.day), set())
            if not titles and not facts.set_off(film_set.set_id, day.day):
                return f"{film_set.set_id} 在 {day.day} 空闲"
            booked |= titles
        if booked != {h.title_id for h in day.holders}:
            return f"{day.day} 占用的是 {'、'.join(sorted(booked)) or '（无）'}"
    return None


def _base_full(facts: _Facts, claim: BaseFull, title: Title) -> str | None:
    """On each claimed day the base hosts exactly the named titles, at least max_crews."""
    base = facts.scenario.base_by_id.get(claim.base_id)
    if base is None or base.name != claim.base_name:
        return f"基地 {claim.base_id}（{claim.base_name}）不存在"
    if base.max_crews is None or base.max_crews != claim.max_crews or not claim.days:
        return f"基地 {claim.base_id} 的剧组上限不是 {claim.max_crews}"
    problem = _day_holders_problem(facts, claim.days)
    if problem:
        return problem
    for day in claim.days:
        titles = facts.base_on.get((claim.base_id, day.day), set())
        if titles != {h.title_id for h in day.holders}:
            return f"{day.day} 在基地拍的是 {'、'.join(sorted(titles)) or '（无）'}"
        if len(titles) < base.max_crews:
            return f"{day.day} 基地只有 {len(titles)} 部剧，未满"
    return None


def _displace(facts: _Facts, claim: Displace, title: Title) -> str | None:
    """The removed titles are in the plan with less Σ priority than the title, and the
    plan without them, with the title's claimed shoots, keeps rules 1–11."""
    if claim.title_id != title.title_id or claim.priority != title.priority:
        return "挪动说的不是这部剧"
    for holder in claim.removed:
        problem = _holder_problem(facts, holder)
        if problem:
            return problem
    if sum(h.priority for h in claim.removed) >= title.priority:
        return "挪走的剧目优先级之和不低于本剧"
    if not claim.shoots:
        return "没有给出拍摄安排"
    gone = {h.title_id for h in claim.removed}
    kept = [s for s in facts.plan.shoots if s.title_id not in gone]
    added = [
        Shoot(title.title_id, d, b, s, c, claim.shoot_scenes(i))
        for i, (d, b, s, c) in enumerate(claim.shoots)
    ]
    scheduled = {s.title_id for s in kept} | {title.title_id}
    unscheduled = {t.title_id: "—" for t in facts.scenario.titles if t.title_id not in scheduled}
    broken = check_plan(facts.scenario, Plan(tuple(sorted([*kept, *added])), unscheduled))
    if broken:
        return f"挪动后的方案违反规则：{broken[0].message_zh}"
    return None


_CHECKS: dict[type, Callable[[_Facts, object, Title], str | None]] = {
    Unavailable: _unavailable,  # type: ignore[dict-item]
    Busy: _busy,  # type: ignore[dict-item]
    TravelTooShort: _travel,  # type: ignore[dict-item]
    RestDue: _rest,  # type: ignore[dict-item]
    NoCrewFree: _no_crew_free,  # type: ignore[dict-item]
    SetTypeFull: _set_type_full,  # type: ignore[dict-item]
    BaseFull: _base_full,  # type: ignore[dict-item]
    Displace: _displace,  # type: ignore[dict-item]
}


def _check_one(facts: _Facts, claim: object, title: Title) -> str | None:
    return _CHECKS[type(claim)](facts, claim, title)


def check_reasons(
    scenario: Scenario, plan: Plan, reasons: Mapping[str, Reason]
) -> list[ClaimFailure]:
    """Every claim of ``reasons`` that ``scenario`` and ``plan`` do not bear out, with why.

    A reason of a title that is in the plan fails as a whole (on its first claim).
    """
    facts = _Facts(scenario, plan)
    failures: list[ClaimFailure] = []
    for title_id, reason in reasons.items():
        title = scenario.title_by_id.get(title_id)
        if title is None or title_id in facts.scheduled:
            for claim in reason.claims[:1]:
                failures.append(ClaimFailure(title_id, claim, "剧目不存在或已在方案中"))
            continue
        for claim in reason.claims:
            why = _check_one(facts, claim, title)
            if why is not None:
                failures.append(ClaimFailure(title_id, claim, why))
    return failures


def claim_count(reasons: Mapping[str, Reason]) -> int:
    """Claims in ``reasons`` (a crew clause is one claim, whatever it lists)."""
    return sum(len(r.claims) for r in reasons.values())
