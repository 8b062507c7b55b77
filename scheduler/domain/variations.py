"""What a sweep's variant does to the scenario: one small function per kind of change.

:func:`apply_variant` applies a :class:`~scheduler.domain.sweep.Variant` in a
fixed order — crews, base closures, the rush order, targets, then the pooling
policy (last, so that it also governs the added crews and titles) — and names
the result 「<scenario> · <variant>」. :func:`variant_faults` lists at once
everything in a variant that the scenario cannot take (an unknown base, dates
outside the horizon, more crews to remove than can go, an unknown city), for
the sweep file's checker to report; :func:`apply_variant` raises on the same.

Every change is seeded or fixed: nothing here reads the clock.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta

from scheduler.domain.model import Crew, Scenario, Targets, Title, Unavailability
from scheduler.domain.pooling import groups_problems, with_pooling
from scheduler.domain.sweep import ALONE, POOLED, BaseClosure, PoolingPolicy, Variant

CLOSURE_NOTE = "What-if 停用"
"""The note on every base closure a variant adds."""

ADDED_CREW_PREFIX = "C_ADD"
"""Ids of added crews: ``C_ADD1``, ``C_ADD2`` … (skipping ids the scenario has)."""

RUSH_PREFIX = "R"
"""Ids of rush-order titles: ``R001``, ``R002`` … (skipping ids the scenario has)."""

RUSH_SLACK_DAYS = (2, 5)
"""A rush title's window is its shoot plus this many spare days (drawn, inclusive)."""

TARGET_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Targets))
"""The keys a variant's ``targets`` may override."""

MAX_TARGET = 1_000_000
"""A target is a whole number 1 … this (as in scenario.toml)."""


@dataclass(frozen=True)
class VariantFault:
    """Something in a variant that the scenario cannot take.

    ``key`` is the key path inside the variant (``crews``, ``close[2].base``,
    ``pooling``); the messages say what is wrong and what was expected.
    """

    key: str
    message: str
    message_zh: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


def apply_variant(scenario: Scenario, variant: Variant) -> Scenario:
    """``scenario`` as the variant changes it, named 「<scenario name> · <variant name>」.

    Raises
    ------
    ValueError
        Naming every fault of the variant against the scenario (see :func:`variant_faults`).
    """
    faults = variant_faults(scenario, variant)
    if faults:
        listed = "; ".join(str(fault) for fault in faults)
        raise ValueError(f"variant {variant.name!r} does not fit {scenario.name!r}: {listed}")
    changed = with_crew_change(scenario, variant.crews)
    changed = with_closures(changed, variant.closures)
    if variant.rush_titles:
        rush = rush_order(changed, variant.rush_titles)
        changed = replace(changed, titles=(*changed.titles, *rush))
    changed = with_targets(changed, variant.targets)
    if variant.pooling is not None:
        changed = with_pooling(changed, variant.pooling)
    return replace(changed, name=f"{scenario.name} · {variant.name}")


# -- crews ------------------------------------------------------------------------------


def with_crew_change(scenario: Scenario, change: int) -> Scenario:
    """Crews +k are k copies of the crews in file order (cycling), −k removes the last k
    crews that no pin fixes; 0 changes nothing."""
    if change > 0:
        return with_added_crews(scenario, change)
    if change < 0:
        return without_crews(scenario, -change)
    return scenario


def with_added_crews(scenario: Scenario, count: int) -> Scenario:
    """``count`` new crews, each a copy of the next existing crew in file order (cycling), so
    the mix of genres and home bases stays the scenario's; ids ``C_ADD1`` … and names
    「加派剧组1（照 胡导剧组）」.

    Raises
    ------
    ValueError
        When the scenario has no crew to copy.
    """
    if count > 0 and not scenario.crews:
        raise ValueError(f"crews: {scenario.name!r} has no crew to copy; expected at least one")
    taken = set(scenario.crew_by_id)
    added: list[Crew] = []
    number = 0
    for index in range(count):
        model = scenario.crews[index % len(scenario.crews)]
        number += 1
        while f"{ADDED_CREW_PREFIX}{number}" in taken:
            number += 1
        added.append(
            Crew(
                crew_id=f"{ADDED_CREW_PREFIX}{number}",
                name=f"加派剧组{index + 1}（照 {model.name}）",
                home_base_id=model.home_base_id,
                day_rate=model.day_rate,
                genres=model.genres,
                max_days_in_row=model.max_days_in_row,
            )
        )
    return replace(scenario, crews=(*scenario.crews, *added))


def removable_crews(scenario: Scenario) -> tuple[Crew, ...]:
    """Crews that no pin fixes, in file order: those a variant may remove."""
    pinned = {pin.crew_id for pin in scenario.pin_by_title.values() if pin.crew_id}
    return tuple(crew for crew in scenario.crews if crew.crew_id not in pinned)


def without_crews(scenario: Scenario, count: int) -> Scenario:
    """The last ``count`` crews in file order that no pin fixes are removed, with their
    unavailability rows.

    Raises
    ------
    ValueError
        When fewer than ``count`` crews are free of pins.
    """
    free = removable_crews(scenario)
    if count > len(free):
        raise ValueError(
            f"crews: cannot remove {count} crew(s) from {scenario.name!r}; "
            f"expected at most {len(free)} (crews no pin fixes)"
        )
    gone = {crew.crew_id for crew in free[len(free) - count :]} if count else set()
    return replace(
        scenario,
        crews=tuple(crew for crew in scenario.crews if crew.crew_id not in gone),
        unavailable=tuple(
            row
            for row in scenario.unavailable
            if not (row.kind == "crew" and row.resource_id in gone)
        ),
    )


# -- base closures ----------------------------------------------------------------------


def with_closures(scenario: Scenario, closures: Sequence[BaseClosure]) -> Scenario:
    """Each closure closes its base (all its sets) on its dates: an unavailability row of
    kind ``base`` noted 「What-if 停用」.

    Raises
    ------
    ValueError
        Naming a closure of an unknown base or with dates outside the horizon.
    """
    faults = closure_faults(scenario, closures)
    if faults:
        raise ValueError("; ".join(str(fault) for fault in faults))
    added = tuple(
        Unavailability("base", closure.base_id, closure.from_date, closure.to_date, CLOSURE_NOTE)
        for closure in closures
    )
    return replace(scenario, unavailable=(*scenario.unavailable, *added))


def closure_faults(scenario: Scenario, closures: Sequence[BaseClosure]) -> list[VariantFault]:
    """Closures of a base the scenario lacks, or with dates outside its horizon or reversed."""
    faults: list[VariantFault] = []
    horizon = f"{scenario.start_date.isoformat()} … {scenario.end_date.isoformat()}"
    for number, closure in enumerate(closures, 1):
        where = f"close[{number}]"
        if closure.base_id not in scenario.base_by_id:
            known = ", ".join(scenario.base_by_id) or "none"
            faults.append(
                VariantFault(
                    f"{where}.base",
                    f"{closure.base_id} is not a base of the scenario; expected one of {known}",
                    f"基地 {closure.base_id} 不在场景中，"
                    f"应为 {'、'.join(scenario.base_by_id)} 之一",
                )
            )
        for key, when in (("from", closure.from_date), ("to", closure.to_date)):
            if not scenario.start_date <= when <= scenario.end_date:
                faults.append(
                    VariantFault(
                        f"{where}.{key}",
                        f"{when.isoformat()} is outside the horizon {horizon}; "
                        "expected a date inside it",
                        f"日期 {when.isoformat()} 不在排期范围 {horizon} 内",
                    )
                )
        if closure.to_date < closure.from_date:
            faults.append(
                VariantFault(
                    f"{where}.to",
                    f"{closure.to_date.isoformat()} is before from "
                    f"{closure.from_date.isoformat()}; expected to ≥ from",
                    f"停用结束日 {closure.to_date.isoformat()} 早于开始日 "
                    f"{closure.from_date.isoformat()}",
                )
            )
    return faults


# -- rush order -------------------------------------------------------------------------


def rush_order(scenario: Scenario, count: int, seed: int = 0) -> tuple[Title, ...]:
    """A rush order (急单) of ``count`` new titles modelled on the scenario's own titles.

    Each is a copy of a title drawn (seeded, never the clock) from those whose shoot fits
    the horizon — its genre, needs, cast and scenes — with id ``R001`` …, name
    「急单N·<original name>」, the scenario's highest priority, an earliest start in the
    first half of the horizon and a due date 2–5 spare days after its shoot (clipped to
    the horizon), so the window always holds the shoot.

    Raises
    ------
    ValueError
        When ``count`` is negative, or no title's shoot fits the horizon.
    """
    if count < 0:
        raise ValueError(f"rush_titles: {count} is negative; expected 0 or more")
    if count == 0:
        return ()
    models = [title for title in scenario.titles if 1 <= title.shoot_days <= scenario.days]
    if not models:
        raise ValueError(
            f"rush_titles: {scenario.name!r} has no title whose shoot fits its "
            f"{scenario.days}-day horizon to model a rush order on"
        )
    rng = random.Random(seed)
    priority = max(title.priority for title in scenario.titles)
    half = max(1, (scenario.days + 1) // 2)
    taken = set(scenario.title_by_id)
    number = 0
    rush: list[Title] = []
    for index in range(1, count + 1):
        model = rng.choice(models)
        number += 1
        while f"{RUSH_PREFIX}{number:03d}" in taken:
            number += 1
        title_id = f"{RUSH_PREFIX}{number:03d}"
        length = model.shoot_days
        start = rng.randrange(0, min(half, scenario.days - length + 1))
        slack = rng.randint(*RUSH_SLACK_DAYS)
        first = scenario.date_of(start)
        due = min(first + timedelta(days=length - 1 + slack), scenario.end_date)
        rush.append(_rush_copy(model, title_id, f"急单{index}·{model.name}", priority, first, due))
    return tuple(rush)


def _rush_copy(
    model: Title, title_id: str, name: str, priority: int, first: date, due: date
) -> Title:
    """``model`` as a new title: its genre, needs, cast and scenes under a new id and window."""
    return Title(
        title_id=title_id,
        name=name,
        genre=model.genre,
        priority=priority,
        earliest_start=first,
        due_date=due,
        needs=model.needs,
        cast=model.cast,
        scenes=tuple(replace(scene, title_id=title_id) for scene in model.scenes),
    )


# -- targets ----------------------------------------------------------------------------


def with_targets(scenario: Scenario, targets: Mapping[str, int]) -> Scenario:
    """The named targets replace the scenario's; the others stay.

    Raises
    ------
    ValueError
        Naming an unknown target key or a value outside 1 … 1,000,000.
    """
    faults = target_faults(targets)
    if faults:
        raise ValueError("; ".join(str(fault) for fault in faults))
    if not targets:
        return scenario
    return replace(scenario, targets=replace(scenario.targets, **dict(targets)))


def target_faults(targets: Mapping[str, object]) -> list[VariantFault]:
    """Target keys that Targets lacks and values that are not whole numbers 1 … 1,000,000."""
    faults: list[VariantFault] = []
    for key, value in targets.items():
        if key not in TARGET_KEYS:
            faults.append(
                VariantFault(
                    f"targets.{key}",
                    f"{key} is not a target; expected one of {', '.join(TARGET_KEYS)}",
                    f"{key} 不是目标项，应为 {'、'.join(TARGET_KEYS)} 之一",
                )
            )
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TARGET:
            faults.append(
                VariantFault(
                    f"targets.{key}",
                    f"{value!r} is not a whole number 1 … {MAX_TARGET:,}; expected one",
                    f"{value!r} 不是 1 到 {MAX_TARGET:,} 之间的整数",
                )
            )
    return faults


# -- pooling ----------------------------------------------------------------------------


def pooling_faults(scenario: Scenario, policy: PoolingPolicy) -> list[VariantFault]:
    """A policy word other than ``alone``/``pooled``, or groups that name a city without a
    base, name a city twice or hold an empty group."""
    if isinstance(policy, str):
        if policy in (ALONE, POOLED):
            return []
        return [
            VariantFault(
                "pooling",
                f"{policy!r} is not a pooling policy; expected {ALONE!r}, {POOLED!r} "
                "or groups of cities",
                f"{policy!r} 不是协同方式，"
                f"应为 {ALONE}（各城独立）、{POOLED}（跨城共享）或城市分组",
            )
        ]
    return [VariantFault("pooling", en, zh) for en, zh in groups_problems(policy, scenario.cities)]


# -- words ------------------------------------------------------------------------------


_TARGET_WORDS = {
    "parallel_shoots_per_day": "日并行目标{}",
    "titles_per_month": "月目标{}部",
}


def pooling_words(policy: PoolingPolicy) -> str:
    """The policy in a producer's words: 各城独立, 跨城共享, or the groups 郑州+开封/洛阳."""
    if policy == ALONE:
        return "各城独立"
    if policy == POOLED:
        return "跨城共享"
    return "城市分组 " + "/".join("+".join(group) for group in policy)


def change_words(variant: Variant) -> str:
    """What the variant changes, in words joined by ` × ` (a grid variant's name):
    ``加1个剧组 × B01停12-07…12-13 × 急单30部``; 「现状」 when it changes nothing."""
    words: list[str] = []
    if variant.crews > 0:
        words.append(f"加{variant.crews}个剧组")
    elif variant.crews < 0:
        words.append(f"减{-variant.crews}个剧组")
    if variant.closures:
        words.append(
            "、".join(
                f"{c.base_id}停{c.from_date:%m-%d}…{c.to_date:%m-%d}" for c in variant.closures
            )
        )
    if variant.rush_titles:
        words.append(f"急单{variant.rush_titles}部")
    for key, value in variant.targets.items():
        words.append(_TARGET_WORDS.get(key, key + "={}").format(value))
    if variant.pooling is not None:
        words.append(pooling_words(variant.pooling))
    return " × ".join(words) or "现状"


# -- the whole variant ------------------------------------------------------------------


def variant_faults(scenario: Scenario, variant: Variant) -> list[VariantFault]:
    """Everything in ``variant`` that ``scenario`` cannot take, all at once: crews to copy
    or remove, closures, the rush order, targets and pooling."""
    faults: list[VariantFault] = []
    if variant.crews > 0 and not scenario.crews:
        faults.append(
            VariantFault(
                "crews",
                f"+{variant.crews}: the scenario has no crew to copy; expected at least one",
                f"加派 {variant.crews} 个剧组：场景中没有可照着复制的剧组",
            )
        )
    free = len(removable_crews(scenario))
    if -variant.crews > free:
        faults.append(
            VariantFault(
                "crews",
                f"{variant.crews}: only {free} of {len(scenario.crews)} crew(s) are free of pins; "
                f"expected to remove at most {free}",
                f"减少 {-variant.crews} 个剧组：{len(scenario.crews)} 个剧组中只有 {free} 个"
                "未被锁定，最多减少这么多",
            )
        )
    faults.extend(closure_faults(scenario, variant.closures))
    if variant.rush_titles < 0:
        faults.append(
            VariantFault(
                "rush_titles",
                f"{variant.rush_titles} is negative; expected 0 or more",
                f"急单数 {variant.rush_titles} 为负数，应为 0 或以上",
            )
        )
    elif variant.rush_titles and not any(
        1 <= title.shoot_days <= scenario.days for title in scenario.titles
    ):
        faults.append(
            VariantFault(
                "rush_titles",
                f"the scenario has no title whose shoot fits its {scenario.days}-day horizon "
                "to model a rush order on",
                f"场景中没有拍摄天数放得进 {scenario.days} 天排期的剧目，无法照着生成急单",
            )
        )
    faults.extend(target_faults(variant.targets))
    if variant.pooling is not None:
        faults.extend(pooling_faults(scenario, variant.pooling))
    return faults


__all__: Sequence[str] = (
    "CLOSURE_NOTE",
    "TARGET_KEYS",
    "VariantFault",
    "apply_variant",
    "change_words",
    "closure_faults",
    "pooling_faults",
    "pooling_words",
    "removable_crews",
    "rush_order",
    "target_faults",
    "variant_faults",
    "with_added_crews",
    "with_closures",
    "with_crew_change",
    "with_targets",
    "without_crews",
)
