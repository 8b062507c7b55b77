"""The independent plan checker: does a plan keep rules 1–11 of the SPEC?

This module shares no code with any solver model (it never imports from
``solver``). It reads only the scenario's plain look-ups (ids, windows, day
rates, travel days) and re-derives every rule from the SPEC wording, so that a
bug in a solver cannot hide itself here. One function per rule, each with the
rule in plain words; :func:`check_plan` runs them in rule order.

Every :class:`Violation` names the rule, the title, the resource and the day
at fault, with the actual and the required amounts, in English and Chinese::

    rule 4: crew C03 shoots 2 titles on 2026-12-04 (T011, T042); at most 1

Shoots are indexed once by title, set, crew, actor and base per day, so a
plan of a few thousand titles checks in well under a second.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from itertools import pairwise

from scheduler.check.bookings import ActorBooking, actor_bookings
from scheduler.domain.errors import Lang
from scheduler.domain.model import Scenario, Title
from scheduler.domain.plan import Plan, Shoot

RULE_NAMES: dict[int, tuple[str, str]] = {
    # short English and Chinese names of the rules, for summaries and the app
    1: ("exact, consecutive days inside the window", "天数准确、连续、在时间窗内"),
    2: ("one base, matching set types", "同一基地、场景类型相符"),
    3: ("one crew that can shoot the genre", "同一剧组且能拍该题材"),
    4: ("one shoot per set, crew and actor a day", "场景、剧组、演员每天只排一部"),
    5: ("nothing booked when unavailable", "不可用时不排"),
    6: ("base crew limit", "基地同日剧组上限"),
    7: ("travel days between cities", "跨城转场天数"),
    8: ("pins kept", "锁定项保持"),
    9: ("crew days in a row", "剧组连续拍摄天数"),
    10: ("scenes shot once, actors booked on their days", "场次各拍一次、演员按场次到组"),
    11: ("crews and actors stay in their city group", "剧组和演员只在本城市组内拍摄"),
}


@dataclass(frozen=True)
class Violation:
    """One broken rule: which title, on which resource and day, and by how much.

    ``resource`` reads like ``'crew C03'``, ``'set S12'``, ``'actor A07'``,
    ``'base B02'`` or ``'set type 医院'``; it is ``''`` when the title as a whole
    is at fault. ``date`` is ``None`` when the fault has no single day.
    """

    rule: int
    title_id: str
    resource: str
    date: date | None
    message: str
    message_zh: str

    def format(self, lang: Lang = "both") -> str:
        """The violation in the chosen language (``both``: Chinese, then English)."""
        if lang == "zh":
            return self.message_zh
        if lang == "en":
            return self.message
        return f"{self.message_zh}\n  {self.message}"

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class CheckReport:
    """The checker's verdict on one plan: every violation, in rule order."""

    violations: tuple[Violation, ...]
    scheduled_titles: int
    shoots: int

    @property
    def ok(self) -> bool:
        """Whether the plan keeps every rule."""
        return not self.violations

    def by_rule(self) -> dict[int, int]:
        """Number of violations per broken rule."""
        return dict(sorted(Counter(v.rule for v in self.violations).items()))

    def summary(self) -> str:
        """One line in Chinese and English: passed, or how many violations of which rules."""
        size = f"{self.scheduled_titles} titles, {self.shoots} shoots"
        size_zh = f"{self.scheduled_titles} 部剧，{self.shoots} 个拍摄日"
        if self.ok:
            return (
                f"通过：规则 1-11 全部满足（{size_zh}） / ok: the plan keeps rules 1-11 ({size})"
            )
        counts = self.by_rule()
        zh = "，".join(f"规则{rule} ×{n}" for rule, n in counts.items())
        en = ", ".join(f"rule {rule} ×{n}" for rule, n in counts.items())
        total = len(self.violations)
        return (
            f"未通过：{total} 处违规（{zh}；{size_zh}） / "
            f"failed: {total} violation(s) ({en}; {size})"
        )


# -- indexes ----------------------------------------------------------------


@dataclass
class _Index:
    """Shoots grouped once by title, resource and day, shared by the rule functions."""

    scenario: Scenario
    plan: Plan
    by_title: dict[str, list[Shoot]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        grouped: dict[str, list[Shoot]] = defaultdict(list)
        for shoot in self.plan.shoots:
            grouped[shoot.title_id].append(shoot)
        self.by_title = {title_id: sorted(shoots) for title_id, shoots in grouped.items()}

    @cached_property
    def known_titles(self) -> dict[str, list[Shoot]]:
        """Shoots of titles the scenario knows, in date order."""
        titles = self.scenario.title_by_id
        return {t: shoots for t, shoots in self.by_title.items() if t in titles}

    def _titles_per_day(
        self, resource: Callable[[Shoot], str]
    ) -> dict[tuple[str, date], set[str]]:
        found: dict[tuple[str, date], set[str]] = defaultdict(set)
        for shoot in self.plan.shoots:
            found[(resource(shoot), shoot.date)].add(shoot.title_id)
        return found

    @cached_property
    def titles_by_crew_day(self) -> dict[tuple[str, date], set[str]]:
        """Titles each crew shoots on each day it shoots."""
        return self._titles_per_day(lambda shoot: shoot.crew_id)

    @cached_property
    def actor_bookings(self) -> list[ActorBooking]:
        """Each actor's booked dates in each scheduled title (rule 10)."""
        known = Plan(tuple(s for t in self.known_titles.values() for s in t))
        return actor_bookings(self.scenario, known)

    @cached_property
    def titles_by_base_day(self) -> dict[tuple[str, date], set[str]]:
        """Titles shooting at each base on each day."""
        return self._titles_per_day(lambda shoot: shoot.base_id)

    def city_of_title(self, title_id: str) -> str | None:
        """City of the base of the title's first shoot (``None`` if that base is unknown)."""
        base = self.scenario.base_by_id.get(self.known_titles[title_id][0].base_id)
        return base.city if base else None


def _day(when: date) -> str:
    return when.isoformat()


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(sorted(ids))


def _ids_zh(ids: Iterable[str]) -> str:
    return "、".join(sorted(ids))


KIND_ZH = {"base": "基地", "set": "场景", "crew": "剧组", "actor": "演员"}


class _Found(list[Violation]):
    """Violations of one rule; :meth:`add` puts the ``rule N:`` prefix on both messages."""

    def __init__(self, rule: int) -> None:
        super().__init__()
        self.rule = rule

    def add(self, title_id: str, resource: str, when: date | None, en: str, zh: str) -> None:
        n = self.rule
        self.append(Violation(n, title_id, resource, when, f"rule {n}: {en}", f"规则{n}：{zh}"))


# -- rule 1 -----------------------------------------------------------------


def _rule_1_days(index: _Index) -> list[Violation]:
    """Rule 1: a scheduled title shoots exactly its needed days, on consecutive dates,
    all inside [earliest_start, due_date] and inside the horizon.

    Also: every shoot names a known title, base, set and crew; no title is both
    scheduled and listed unscheduled; every title is one or the other.
    """
    scenario, plan = index.scenario, index.plan
    found = _Found(1)
    for shoot in plan.shoots:
        t, when = shoot.title_id, shoot.date
        where, where_zh = f"the shoot of {t} on {_day(when)}", f"{_day(when)} 的 {t} 拍摄"
        if t not in scenario.title_by_id:
            found.add(t, "", when, f"{where} names an unknown title", f"{where_zh}的剧目不存在")
        for kind, resource_id, known in (
            ("base", shoot.base_id, scenario.base_by_id),
            ("set", shoot.set_id, scenario.set_by_id),
            ("crew", shoot.crew_id, scenario.crew_by_id),
        ):
            if resource_id not in known:
                en = f"{where} names an unknown {kind} {resource_id}"
                zh = f"{where_zh}引用了不存在的{KIND_ZH[kind]} {resource_id}"
                found.add(t, f"{kind} {resource_id}", when, en, zh)

    scheduled = set(index.by_title)
    for t in plan.unscheduled:
        if t not in scenario.title_by_id:
            en, zh = (
                f"unscheduled.csv lists an unknown title {t}",
                f"未排期清单中的剧目 {t} 不存在",
            )
            found.add(t, "", None, en, zh)
        elif t in scheduled:
            en = f"title {t} is scheduled and also listed as unscheduled"
            found.add(t, "", None, en, f"剧目 {t} 既已排期又列为未排期")
    for title in scenario.titles:
        t = title.title_id
        if t not in scheduled and t not in plan.unscheduled:
            en = f"title {t} is neither scheduled nor listed as unscheduled"
            found.add(t, "", None, en, f"剧目 {t} 既未排期也未列入未排期清单")

    first_day, last_day = scenario.start_date, scenario.end_date
    for t, shoots in index.known_titles.items():
        title = scenario.title_by_id[t]
        kept = (
            len(shoots) == title.shoot_days
            and max(first_day, title.earliest_start) <= shoots[0].date
            and shoots[-1].date <= min(last_day, title.due_date)
            and all((b.date - a.date).days == 1 for a, b in pairwise(shoots))
        )
        if kept:
            continue  # the common case, without building messages
        for when_, en, zh in _title_day_faults(scenario, title, shoots):
            found.add(t, "", when_, en, zh)
    return found


def _title_day_faults(
    scenario: Scenario, title: Title, shoots: list[Shoot]
) -> Iterable[tuple[date | None, str, str]]:
    """(date, English, Chinese) for each way one title's shoot days break rule 1."""
    t = title.title_id
    per_day = Counter(shoot.date for shoot in shoots)
    for when, count in sorted(per_day.items()):
        if count > 1:
            en = f"title {t} has {count} shoots on {_day(when)}; at most 1 a day"
            yield when, en, f"剧目 {t} 在 {_day(when)} 有 {count} 个拍摄；每天最多 1 个"
    days = sorted(per_day)
    if len(days) != title.shoot_days:
        en = f"title {t} shoots on {len(days)} day(s); needs {title.shoot_days}"
        yield None, en, f"剧目 {t} 拍摄 {len(days)} 天；需要 {title.shoot_days} 天"
    for before, after in pairwise(days):
        if (after - before).days > 1:
            gap = before + timedelta(days=1)
            between = f"{_day(before)} … {_day(after)}"
            en = f"title {t} does not shoot on {_day(gap)} ({between}); days must be consecutive"
            zh = f"剧目 {t} 在 {_day(gap)} 未拍摄（{between}）；拍摄日必须连续"
            yield gap, en, zh
    horizon = f"{_day(scenario.start_date)} … {_day(scenario.end_date)}"
    limits = (
        ([d for d in days if not scenario.start_date <= d <= scenario.end_date],
         f"outside the horizon {horizon}", f"超出排期范围 {horizon}"),
        ([d for d in days if d < title.earliest_start],
         f"before its earliest start {_day(title.earliest_start)}",
         f"早于最早开机日 {_day(title.earliest_start)}"),
        ([d for d in days if d > title.due_date],
         f"after its due date {_day(title.due_date)}", f"晚于截止日 {_day(title.due_date)}"),
    )  # fmt: skip
    for bad, why, why_zh in limits:
        if bad:
            more = f" and {len(bad) - 1} more day(s)" if len(bad) > 1 else ""
            more_zh = f"（另有 {len(bad) - 1} 天）" if len(bad) > 1 else ""
            en = f"title {t} shoots on {_day(bad[0])}{more}, {why}"
            yield bad[0], en, f"剧目 {t} 在 {_day(bad[0])} 拍摄{more_zh}，{why_zh}"


# -- rule 2 -----------------------------------------------------------------


def _rule_2_base_and_sets(index: _Index) -> list[Violation]:
    """Rule 2: all of a title's shoots are at one base; each uses a set of that base,
    and the set types used match title_needs exactly (as a multiset of set-days).
    """
    scenario = index.scenario
    found = _Found(2)
    for t, shoots in index.known_titles.items():
        other = [s for s in shoots if s.base_id != shoots[0].base_id]
        if other:
            bases = {s.base_id for s in shoots}
            en = f"title {t} shoots at {len(bases)} bases ({_ids(bases)}); at most 1"
            zh = f"剧目 {t} 在 {len(bases)} 个基地拍摄（{_ids_zh(bases)}）；只能 1 个"
            found.add(t, f"base {other[0].base_id}", other[0].date, en, zh)
        used: Counter[str] = Counter()
        for shoot in shoots:
            film_set = scenario.set_by_id.get(shoot.set_id)
            if film_set is None:
                continue  # an unknown set is a rule 1 violation
            used[film_set.set_type] += 1
            if film_set.base_id != shoot.base_id:
                en = (
                    f"set {shoot.set_id} used by {t} on {_day(shoot.date)} belongs to base "
                    f"{film_set.base_id}, not to the shoot's base {shoot.base_id}"
                )
                zh = (
                    f"{_day(shoot.date)} {t} 使用的场景 {shoot.set_id} 属于基地 "
                    f"{film_set.base_id}，不属于拍摄基地 {shoot.base_id}"
                )
                found.add(t, f"set {shoot.set_id}", shoot.date, en, zh)
        needed = scenario.title_by_id[t].days_by_set_type()
        for set_type in sorted(set(needed) | set(used)):
            have, need = used.get(set_type, 0), needed.get(set_type, 0)
            if have != need:
                en = f"title {t} uses {set_type} sets on {have} day(s); needs {need}"
                zh = f"剧目 {t} 使用{set_type}场景 {have} 天；需要 {need} 天"
                found.add(t, f"set type {set_type}", None, en, zh)
    return found


# -- rule 3 -----------------------------------------------------------------


def _rule_3_one_crew(index: _Index) -> list[Violation]:
    """Rule 3: one crew shoots all of a title, and the crew's genres include the
    title's genre (or the crew's genres are blank).
    """
    scenario = index.scenario
    found = _Found(3)
    for t, shoots in index.known_titles.items():
        title = scenario.title_by_id[t]
        other = [s for s in shoots if s.crew_id != shoots[0].crew_id]
        if other:
            crews = {s.crew_id for s in shoots}
            en = f"title {t} is shot by {len(crews)} crews ({_ids(crews)}); at most 1"
            zh = f"剧目 {t} 由 {len(crews)} 个剧组拍摄（{_ids_zh(crews)}）；只能 1 个"
            found.add(t, f"crew {other[0].crew_id}", other[0].date, en, zh)
        for crew_id in dict.fromkeys(s.crew_id for s in shoots):
            crew = scenario.crew_by_id.get(crew_id)
            if crew is None or not crew.genres or title.genre in crew.genres:
                continue
            en = (
                f"crew {crew_id} shoots {'; '.join(crew.genres)}, "
                f"not the genre {title.genre} of title {t}"
            )
            zh = f"剧组 {crew_id} 只拍{'、'.join(crew.genres)}，不拍剧目 {t} 的题材{title.genre}"
            found.add(t, f"crew {crew_id}", None, en, zh)
    return found


# -- rule 4 -----------------------------------------------------------------


def _rule_4_one_a_day(index: _Index) -> list[Violation]:
    """Rule 4: a set hosts at most one shoot a day; a crew shoots at most one title
    a day; an actor is booked by at most one title a day (rule 10 says which days).
    """
    found = _Found(4)
    shoots_on_set: dict[tuple[str, date], list[str]] = defaultdict(list)
    for shoot in index.plan.shoots:
        shoots_on_set[(shoot.set_id, shoot.date)].append(shoot.title_id)
    titles_of_actor: dict[tuple[str, date], set[str]] = defaultdict(set)
    for booking in index.actor_bookings:
        for when in booking.dates:
            titles_of_actor[(booking.actor_id, when)].add(booking.title_id)
    busy: tuple[tuple[str, Mapping[tuple[str, date], Collection[str]], str, str, str], ...] = (
        ("set", shoots_on_set, "hosts {n} shoots", "有 {n} 个拍摄", "个"),
        ("crew", index.titles_by_crew_day, "shoots {n} titles", "拍摄 {n} 部剧", "部"),
        ("actor", titles_of_actor, "appears in {n} titles", "出演 {n} 部剧", "部"),
    )
    for kind, per_day, what, what_zh, unit_zh in busy:
        # sort only the clashes: the many kept resource-days need no order
        clashes = sorted((key, titles) for key, titles in per_day.items() if len(titles) > 1)
        for (resource_id, when), titles in clashes:
            n = len(titles)
            en = f"{kind} {resource_id} {what.format(n=n)} on {_day(when)} ({_ids(titles)})"
            en += "; at most 1"
            zh = (
                f"{KIND_ZH[kind]} {resource_id} 在 {_day(when)} {what_zh.format(n=n)}"
                f"（{_ids_zh(titles)}）；最多 1 {unit_zh}"
            )
            found.add(min(titles), f"{kind} {resource_id}", when, en, zh)
    return found


# -- rule 5 -----------------------------------------------------------------


def _rule_5_availability(index: _Index) -> list[Violation]:
    """Rule 5: nothing is booked on a date when its set, the set's base, the crew
    or an actor booked that day (rule 10) is unavailable.
    """
    scenario = index.scenario
    found = _Found(5)
    # Read straight from unavailable.csv rows, by date, so that no derived table is trusted.
    closed: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    for outage in scenario.unavailable:
        closed[(outage.kind, outage.resource_id)].append((outage.from_date, outage.to_date))
    if not closed:
        return found
    actors_on: dict[tuple[str, date], list[str]] = defaultdict(list)
    for booking in index.actor_bookings:
        for booked_on in booking.dates:
            actors_on[(booking.title_id, booked_on)].append(booking.actor_id)
    for shoot in sorted(index.plan.shoots):
        film_set = scenario.set_by_id.get(shoot.set_id)
        booked = [("base", shoot.base_id)]
        if film_set is not None and film_set.base_id != shoot.base_id:
            booked.append(("base", film_set.base_id))  # a closed base closes all its sets
        booked += [("set", shoot.set_id), ("crew", shoot.crew_id)]
        booked += [("actor", a) for a in sorted(actors_on.get((shoot.title_id, shoot.date), ()))]
        for kind, resource_id in booked:
            ranges = closed.get((kind, resource_id), ())
            if not any(start <= shoot.date <= end for start, end in ranges):
                continue
            t, when = shoot.title_id, _day(shoot.date)
            en = f"{kind} {resource_id} is unavailable on {when} but booked for {t}"
            zh = f"{KIND_ZH[kind]} {resource_id} 在 {when} 不可用，却排给了 {t}"
            found.add(t, f"{kind} {resource_id}", shoot.date, en, zh)
    return found


# -- rule 6 -----------------------------------------------------------------


def _rule_6_base_capacity(index: _Index) -> list[Violation]:
    """Rule 6: a base hosts at most max_crews titles a day (blank: no limit)."""
    scenario = index.scenario
    found = _Found(6)
    caps = {base.base_id: base.max_crews for base in scenario.bases if base.max_crews is not None}
    over = [
        (key, titles)
        for key, titles in index.titles_by_base_day.items()
        if key[0] in caps and len(titles) > caps[key[0]]
    ]
    for (base_id, when), titles in sorted(over):
        n, cap = len(titles), caps[base_id]
        en = f"base {base_id} hosts {n} titles on {_day(when)} ({_ids(titles)}); at most {cap}"
        zh = f"基地 {base_id} 在 {_day(when)} 有 {n} 部剧拍摄（{_ids_zh(titles)}）；最多 {cap} 部"
        found.add(min(titles), f"base {base_id}", when, en, zh)
    return found


# -- rule 7 -----------------------------------------------------------------


def _rule_7_travel(index: _Index) -> list[Violation]:
    """Rule 7: between two titles of the same crew, or of the same actor, shot in
    different cities, the free days between them are at least the travel days.

    A title's city is its base's city; a crew is there on the title's shoot
    days, an actor on the days the title books them (rule 10); each crew's and
    actor's titles are taken in time order and every consecutive pair is checked.
    """
    scenario = index.scenario
    cities: dict[str, str] = {}
    for t in index.known_titles:
        city = index.city_of_title(t)
        if city is not None:
            cities[t] = city
    spans: dict[tuple[str, str], dict[str, tuple[date, date]]] = defaultdict(dict)
    for t in cities:
        shoots = index.known_titles[t]
        for shoot in shoots:
            spans[("crew", shoot.crew_id)][t] = (shoots[0].date, shoots[-1].date)
    for booking in index.actor_bookings:
        if booking.title_id in cities and booking.dates:
            span = (booking.dates[0], booking.dates[-1])
            spans[("actor", booking.actor_id)][booking.title_id] = span

    found = _Found(7)
    for (kind, resource_id), span_of in sorted(spans.items()):
        ordered = sorted(span_of, key=lambda t: (span_of[t][0], span_of[t][1], t))
        for before, after in pairwise(ordered):
            end, from_city = span_of[before][1], cities[before]
            start, to_city = span_of[after][0], cities[after]
            if from_city == to_city:
                continue
            free = (start - end).days - 1
            need = scenario.travel_days(from_city, to_city)
            if free >= need:
                continue
            en = (
                f"{kind} {resource_id} has {free} free day(s) between {before} "
                f"({from_city}, ends {_day(end)}) and {after} ({to_city}, starts "
                f"{_day(start)}); needs {need} to travel {from_city}→{to_city}"
            )
            zh = (
                f"{KIND_ZH[kind]} {resource_id} 在 {before}（{from_city}，{_day(end)} 结束）"
                f"与 {after}（{to_city}，{_day(start)} 开始）之间只空 {free} 天；"
                f"{from_city}→{to_city} 转场需要 {need} 天"
            )
            found.add(after, f"{kind} {resource_id}", start, en, zh)
    return found


# -- rule 8 -----------------------------------------------------------------


def _scene_list(scene_ids: Sequence[str], most: int = 12) -> str:
    """Scene ids as a ``;`` list, cut after ``most`` with ``…``."""
    return ";".join(scene_ids[:most]) + (";…" if len(scene_ids) > most else "")


def _rule_8_pins(index: _Index) -> list[Violation]:
    """Rule 8: pins are kept: a pinned start date is the title's first shoot date,
    a pinned base hosts all its shoots, a pinned crew shoots all of it, a pinned scene
    order is the title's scenes as its shoot days list them, day by day; a title
    with any pinned field is scheduled.
    """
    scenario = index.scenario
    found = _Found(8)
    for pin in scenario.pins:
        t = pin.title_id
        pinned = {
            "start": _day(pin.start_date) if pin.start_date else None,
            "base": pin.base_id,
            "crew": pin.crew_id,
            "scene order": _scene_list(pin.scene_order) if pin.scene_order else None,
        }
        what = ", ".join(f"{name} {value}" for name, value in pinned.items() if value)
        if t not in scenario.title_by_id or not what:
            continue
        shoots = index.known_titles.get(t)
        if not shoots:
            en = f"title {t} is pinned ({what}) but not scheduled"
            found.add(t, "", pin.start_date, en, f"剧目 {t} 已锁定（{what}），却未排期")
            continue
        first = shoots[0].date
        if pin.start_date is not None and first != pin.start_date:
            pinned_day = _day(pin.start_date)
            en = f"title {t} starts on {_day(first)}; pinned to start on {pinned_day}"
            zh = f"剧目 {t} 于 {_day(first)} 开机；锁定开机日为 {pinned_day}"
            found.add(t, "", first, en, zh)
        for kind, pinned_id in (("base", pin.base_id), ("crew", pin.crew_id)):
            if pinned_id is None:
                continue
            off = [s for s in shoots if getattr(s, f"{kind}_id") != pinned_id]
            if off:
                actual, when = getattr(off[0], f"{kind}_id"), _day(off[0].date)
                en = f"title {t} uses {kind} {actual} on {when}; pinned to {kind} {pinned_id}"
                zh = (
                    f"剧目 {t} 在 {when} 使用{KIND_ZH[kind]} {actual}；"
                    f"锁定{KIND_ZH[kind]}为 {pinned_id}"
                )
                found.add(t, f"{kind} {actual}", off[0].date, en, zh)
        # the shoots are in date order: their scenes, day by day, are the order shot
        dates = [shoot.date for shoot in shoots for _ in shoot.scenes]
        shot = [scene_id for shoot in shoots for scene_id in shoot.scenes]
        if pin.scene_order and shot != list(pin.scene_order):
            pairs = zip(shot, pin.scene_order, strict=False)
            differ = next((n for n, (a, b) in enumerate(pairs) if a != b), None)
            place = min(len(shot), len(pin.scene_order)) if differ is None else differ
            order, wanted = _scene_list(shot), _scene_list(pin.scene_order)
            en = (
                f"title {t} shoots its scenes in the order {order}; pinned to {wanted} "
                f"(they differ from scene number {place + 1} on)"
            )
            zh = f"剧目 {t} 的拍摄顺序为 {order}；锁定顺序为 {wanted}（自第 {place + 1} 场起不同）"
            found.add(t, "", dates[place] if place < len(dates) else None, en, zh)
    return found


# -- rule 9 -----------------------------------------------------------------


def _rule_9_days_in_row(index: _Index) -> list[Violation]:
    """Rule 9: a crew with max_days_in_row = n never shoots on more than n
    consecutive dates; shoots of different titles count together.
    """
    scenario = index.scenario
    found = _Found(9)
    crew_days = index.titles_by_crew_day
    dates_of: dict[str, list[date]] = defaultdict(list)
    for crew_id, when in crew_days:
        dates_of[crew_id].append(when)
    for crew_id, dates in sorted(dates_of.items()):
        crew = scenario.crew_by_id.get(crew_id)
        if crew is None or crew.max_days_in_row is None:
            continue
        limit = crew.max_days_in_row
        runs: list[list[date]] = []
        for when in sorted(dates):
            if runs and (when - runs[-1][-1]).days == 1:
                runs[-1].append(when)
            else:
                runs.append([when])
        for run in runs:
            if len(run) <= limit:
                continue
            first_over = run[limit]
            span = f"{_day(run[0])} … {_day(run[-1])}"
            en = f"crew {crew_id} shoots {len(run)} days in a row ({span}); at most {limit}"
            zh = f"剧组 {crew_id} 连续拍摄 {len(run)} 天（{span}）；最多 {limit} 天"
            found.add(min(crew_days[(crew_id, first_over)]), f"crew {crew_id}", first_over, en, zh)
    return found


# -- rule 10 ----------------------------------------------------------------


def _rule_10_scenes(index: _Index) -> list[Violation]:
    """Rule 10: a title with scenes shoots each scene exactly once, every shoot day at
    least one; a day's scenes are of its set's type, last at most day_minutes and are
    one of the title's packed days (scenes.csv packed as the SPEC says, in any order);
    a title without scenes lists none.

    (Its actors' booked days — first to last scene day — are read by rules 4, 5, 7.)
    """
    scenario = index.scenario
    found = _Found(10)
    limit = scenario.day_minutes
    for t, shoots in index.known_titles.items():
        title = scenario.title_by_id[t]
        if not title.scenes:
            for shoot in shoots:
                if shoot.scenes:
                    when = _day(shoot.date)
                    en = f"title {t} has no scene breakdown but lists scenes on {when}"
                    zh = f"剧目 {t} 未录入场次，却在 {when} 列出了场次"
                    found.add(t, "", shoot.date, en, zh)
            continue
        scene_by_id = {scene.scene_id: scene for scene in title.scenes}
        packed = {frozenset(day.scene_ids) for day in scenario.scene_days(t)}
        times: Counter[str] = Counter()
        for shoot in shoots:
            when = _day(shoot.date)
            times.update(shoot.scenes)
            if shoot.scenes and frozenset(shoot.scenes) not in packed:
                listed = ";".join(shoot.scenes)
                en = (
                    f"title {t} shoots scenes {listed} on {when}, not one of its packed days "
                    "(scenes.csv packed into days as the SPEC says)"
                )
                zh = f"剧目 {t} 在 {when} 拍摄场次 {listed}，不是按场次表排好的某一个拍摄日"
                found.add(t, "", shoot.date, en, zh)
            if not shoot.scenes:
                en = f"title {t} shoots no scene on {when}; every shoot day shoots one"
                found.add(
                    t, "", shoot.date, en, f"剧目 {t} 在 {when} 没有安排场次；每个拍摄日至少一场"
                )
            film_set = scenario.set_by_id.get(shoot.set_id)
            minutes = 0
            for scene_id in shoot.scenes:
                scene = scene_by_id.get(scene_id)
                if scene is None:
                    en = f"title {t} shoots an unknown scene {scene_id} on {when}"
                    found.add(
                        t, "", shoot.date, en, f"剧目 {t} 在 {when} 的场次 {scene_id} 不存在"
                    )
                    continue
                minutes += scene.minutes
                if film_set is not None and scene.set_type != film_set.set_type:
                    en = (
                        f"scene {scene_id} of {t} needs a {scene.set_type} set; on {when} it is "
                        f"shot on {shoot.set_id}, a {film_set.set_type} set"
                    )
                    zh = (
                        f"剧目 {t} 的场次 {scene_id} 需要{scene.set_type}场景；{when} 却在"
                        f"{film_set.set_type}场景 {shoot.set_id} 拍摄"
                    )
                    found.add(t, f"set {shoot.set_id}", shoot.date, en, zh)
            if minutes > limit:
                en = f"title {t} shoots {minutes} minutes of scenes on {when}; at most {limit}"
                zh = f"剧目 {t} 在 {when} 安排了 {minutes} 分钟的场次；每天最多 {limit} 分钟"
                found.add(t, "", shoot.date, en, zh)
        for scene in title.scenes:
            n = times.get(scene.scene_id, 0)
            if n != 1:
                en = f"title {t} shoots scene {scene.scene_id} {n} time(s); exactly 1"
                zh = f"剧目 {t} 的场次 {scene.scene_id} 拍了 {n} 次；应恰好 1 次"
                found.add(t, "", None, en, zh)
    return found


# -- rule 11 ----------------------------------------------------------------


def _rule_11_city_groups(index: _Index) -> list[Violation]:
    """Rule 11: when the scenario has pooling groups, a crew shoots only at bases in its
    home city's group, and an actor appears only in titles shot at bases in their home
    city's group.

    A crew's home city is its home base's city; an actor without a home city may
    work anywhere; a city listed in no group is a group of its own. The groups are
    read from ``Scenario.pooling`` as given.
    """
    scenario = index.scenario
    found = _Found(11)
    if not scenario.pooling:
        return found
    group_of: dict[str, frozenset[str]] = {}
    for listed in scenario.pooling:
        for city in listed:
            group_of.setdefault(city, frozenset(listed))

    def group(city: str) -> frozenset[str]:
        return group_of.get(city, frozenset({city}))

    def shown(city: str) -> str:
        return "+".join(sorted(group(city)))

    bases = scenario.base_by_id
    for t, shoots in index.known_titles.items():
        for crew_id, base_id in dict.fromkeys((s.crew_id, s.base_id) for s in shoots):
            crew, base = scenario.crew_by_id.get(crew_id), bases.get(base_id)
            home_base = bases.get(crew.home_base_id) if crew is not None else None
            if base is None or home_base is None or base.city in group(home_base.city):
                continue  # unknown ids are rule 1's
            home = home_base.city
            first = next(s.date for s in shoots if (s.crew_id, s.base_id) == (crew_id, base_id))
            en = (
                f"crew {crew_id} (home {home}, group {shown(home)}) shoots title {t} at base "
                f"{base_id} in {base.city}; a crew shoots only in its home city's group"
            )
            zh = (
                f"剧组 {crew_id}（常驻{home}，城市组 {shown(home)}）在{base.city}的基地 {base_id} "
                f"拍剧目 {t}；剧组只能在本城市组内拍摄"
            )
            found.add(t, f"crew {crew_id}", first, en, zh)
    base_on: dict[tuple[str, date], str] = {
        (s.title_id, s.date): s.base_id for s in index.plan.shoots
    }
    for booking in index.actor_bookings:
        actor = scenario.actor_by_id.get(booking.actor_id)
        if actor is None or not actor.home_city:
            continue
        home, t = actor.home_city, booking.title_id
        for base_id in dict.fromkeys(base_on[(t, when)] for when in booking.dates):
            base = bases.get(base_id)
            if base is None or base.city in group(home):
                continue
            first = next(d for d in booking.dates if base_on[(t, d)] == base_id)
            en = (
                f"actor {actor.actor_id} (home {home}, group {shown(home)}) appears in title "
                f"{t} at base {base_id} in {base.city}; an actor works only in their home "
                "city's group"
            )
            zh = (
                f"演员 {actor.actor_id}（常驻{home}，城市组 {shown(home)}）出演在{base.city}"
                f"的基地 {base_id} 拍摄的剧目 {t}；演员只能在本城市组内拍摄"
            )
            found.add(t, f"actor {actor.actor_id}", first, en, zh)
    return found


# -- entry points -------------------------------------------------------------

RULES: tuple[Callable[[_Index], list[Violation]], ...] = (
    _rule_1_days,
    _rule_2_base_and_sets,
    _rule_3_one_crew,
    _rule_4_one_a_day,
    _rule_5_availability,
    _rule_6_base_capacity,
    _rule_7_travel,
    _rule_8_pins,
    _rule_9_days_in_row,
    _rule_10_scenes,
    _rule_11_city_groups,
)


def check_plan(scenario: Scenario, plan: Plan) -> list[Violation]:
    """Every violation of rules 1–11 by ``plan``, in rule order (empty: the plan is valid)."""
    index = _Index(scenario, plan)
    violations: list[Violation] = []
    for rule in RULES:
        violations.extend(rule(index))
    return violations


def check(scenario: Scenario, plan: Plan) -> CheckReport:
    """Check ``plan`` against rules 1–11 and wrap the verdict in a :class:`CheckReport`."""
    violations = check_plan(scenario, plan)
    scheduled = len({shoot.title_id for shoot in plan.shoots})
    return CheckReport(tuple(violations), scheduled, len(plan.shoots))
