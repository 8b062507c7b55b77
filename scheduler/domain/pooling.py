"""Pooling (区域协同): which cities share crews and actors, and who may work where.

A cluster of bases in several cities may plan each city alone (its crews and
actors work only in their home city), all cities pooled (anyone works anywhere,
travel days apply, rule 7) or groups of cities in between. The scenario carries
the groups (:attr:`~scheduler.domain.model.Scenario.pooling`, ``()`` = pooled);
:func:`with_pooling` sets them from a :data:`~scheduler.domain.sweep.PoolingPolicy`,
and the look-ups here say what rule 11 allows. A crew's home city is the city
of its home base; an actor's is ``Actor.home_city`` (blank: any city).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from scheduler.domain.model import Actor, Base, Crew, Scenario
from scheduler.domain.sweep import ALONE, POOLED, PoolingPolicy

__all__ = [
    "actor_may_shoot_in",
    "city_group",
    "crew_may_shoot_at",
    "groups_problems",
    "parse_groups",
    "pins_against_groups",
    "policy_groups",
    "policy_name",
    "with_pooling",
]


def groups_problems(
    groups: Sequence[Sequence[str]], cities: Sequence[str]
) -> list[tuple[str, str]]:
    """What is wrong with pooling ``groups`` for a scenario whose bases are in ``cities``.

    Each problem is ``(english, chinese)``: a city no base is in, a city in two
    groups, an empty group. Empty when the groups are valid.
    """
    known = set(cities)
    listed = ", ".join(cities) or "none"
    problems: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, group in enumerate(groups, start=1):
        if not group:
            problems.append(
                (
                    f"group {number} lists no city; expected one or more cities",
                    f"第 {number} 组没有城市，每组应列出至少一个城市",
                )
            )
        for city in group:
            if city not in known:
                problems.append(
                    (
                        f"city {city!r} of group {number} has no base; expected one of {listed}",
                        f"第 {number} 组的城市 {city!r} 没有基地，应为 {'、'.join(cities)} 之一",
                    )
                )
            elif seen.get(city) == number:
                problems.append(
                    (
                        f"city {city!r} is listed twice in group {number}; expected it once",
                        f"城市 {city!r} 在第 {number} 组中出现两次，只应列一次",
                    )
                )
            elif city in seen:
                problems.append(
                    (
                        f"city {city!r} is in group {seen[city]} and group {number}; "
                        "expected each city in one group at most",
                        f"城市 {city!r} 同时在第 {seen[city]} 组和第 {number} 组，"
                        "每个城市最多属于一组",
                    )
                )
            seen.setdefault(city, number)
    return problems


def parse_groups(text: str) -> tuple[tuple[str, ...], ...]:
    """Groups typed as ``"郑州,开封;洛阳"`` → ``(("郑州", "开封"), ("洛阳",))``.

    ``;`` separates groups and ``,`` cities (their full-width forms ``；`` ``，`` and ``、``
    too); blanks are dropped. Not validated: see :func:`policy_groups`.
    """
    text = text.replace("；", ";").replace("，", ",").replace("、", ",")
    groups = []
    for part in text.split(";"):
        cities = tuple(city.strip() for city in part.split(",") if city.strip())
        if cities:
            groups.append(cities)
    return tuple(groups)


def policy_groups(scenario: Scenario, policy: PoolingPolicy) -> tuple[tuple[str, ...], ...]:
    """The groups of cities ``policy`` means for ``scenario``.

    ``"pooled"`` → ``()`` (every city shares); ``"alone"`` → each city of the
    bases its own group; explicit groups → as given.

    Raises
    ------
    ValueError
        For an unknown policy word or groups naming a city no base is in, a city
        in two groups or an empty group (every problem named).
    """
    if isinstance(policy, str):
        if policy == POOLED:
            return ()
        if policy == ALONE:
            return tuple((city,) for city in scenario.cities)
        raise ValueError(
            f"未知的协同方式 {policy!r} unknown pooling policy {policy!r}; "
            f"expected {POOLED!r}, {ALONE!r} or groups of cities"
        )
    groups = tuple(tuple(group) for group in policy)
    problems = groups_problems(groups, scenario.cities)
    if problems:
        raise ValueError("; ".join(f"{zh} {en}" for en, zh in problems))
    return groups


def with_pooling(scenario: Scenario, policy: PoolingPolicy) -> Scenario:
    """``scenario`` with the pooling groups of ``policy`` (see :func:`policy_groups`)."""
    return replace(scenario, pooling=policy_groups(scenario, policy))


def policy_name(policy: PoolingPolicy) -> str:
    """A short name of a policy: ``pooled``, ``alone`` or ``郑州+开封|洛阳``."""
    if isinstance(policy, str):
        return policy
    if not policy:
        return POOLED  # no groups: every city shares
    return "|".join("+".join(group) for group in policy)


def city_group(scenario: Scenario, city: str) -> str:
    """The cities ``city`` shares crews and actors with, itself included, joined by ``+``.

    Every city of the scenario when all cities are pooled.
    """
    if not scenario.pooling:
        return "+".join(scenario.cities)
    groups = scenario.city_groups
    members = [c for c, n in groups.items() if city in groups and n == groups[city]]
    return "+".join(members or [city])


def pins_against_groups(scenario: Scenario) -> dict[str, str]:
    """Pinned titles whose pin no plan can keep under the scenario's pooling (rule 11).

    A pinned base in a city the pinned crew or the cast may not work in; a pinned crew
    whose group has no city the cast may work in; a cast with no city they may all work
    in. The value says why, Chinese first. Empty when every city is pooled.
    """
    if not scenario.pooling:
        return {}
    found: dict[str, str] = {}
    for pin in scenario.pins:
        title = scenario.title_by_id.get(pin.title_id)
        if title is None or not pin.fixes_anything:
            continue
        cast = [scenario.actor_by_id[a] for a in title.actors if a in scenario.actor_by_id]
        cities = [
            c for c in scenario.cities if all(actor_may_shoot_in(scenario, a, c) for a in cast)
        ]
        crew = scenario.crew_by_id.get(pin.crew_id or "")
        if crew is not None:
            home = scenario.crew_home_city.get(crew.crew_id, "")
            cities = [c for c in cities if scenario.same_group(home, c)]
        base = scenario.base_by_id.get(pin.base_id or "")
        if base is not None:
            cities = [c for c in cities if c == base.city]
        if cities:
            continue
        where = f"基地 {base.base_id}（{base.city}）" if base is not None else ""
        who = (
            f"剧组 {crew.crew_id}（常驻{scenario.crew_home_city.get(crew.crew_id, '')}）"
            if crew
            else ""
        )
        homes = "、".join(f"{a.actor_id}（{a.home_city}）" for a in cast if a.home_city)
        parts = [part for part in (where, who, f"演员 {homes}" if homes else "") if part]
        found[title.title_id] = (
            f"钉住的安排与城市分组冲突：{'，'.join(parts)} 不在同一城市组 "
            f"(the pin of {title.title_id} breaks rule 11 under these city groups)"
        )
    return found


def crew_may_shoot_at(scenario: Scenario, crew: Crew, base: Base) -> bool:
    """Rule 11 for a crew: whether ``base`` is in the group of the crew's home city."""
    return scenario.same_group(scenario.crew_home_city.get(crew.crew_id, ""), base.city)


def actor_may_shoot_in(scenario: Scenario, actor: Actor, city: str) -> bool:
    """Rule 11 for an actor: whether ``city`` is in the group of the actor's home city.

    An actor without a home city may shoot in any city.
    """
    return not actor.home_city or scenario.same_group(actor.home_city, city)
