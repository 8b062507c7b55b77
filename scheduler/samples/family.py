"""The benchmark family: months that differ where real months differ (issue 14).

Each kind is the core-rules Zhengzhou month (12 bases in one city, ~70 sets,
24 crews, 60 actors, 31 days, crews that shoot any genre, no outages, no base
caps, no travel, no pins, no days-in-row) pushed to one end of one axis a
producer knows:

========================  ===============================================================
kind                      what differs from the core month
========================  ===============================================================
``short-titles``          every title shoots 1–2 days (60 % one day)
``long-titles``           every title shoots 5–8 days, as traffic dramas take; so the
                          month holds ~100 titles, not ~450: crews and days are the same
``loose-windows``         windows reach up to 14 days before and after the planted days
``tight-windows``         windows reach at most 1 day each side, often none
``shared-cast``           a quarter of the leads are stars asked for 10× as often, and a
                          title has 2–4 leads: the same faces in many titles
``separate-casts``        no stars and 1–2 leads a title: casts rarely meet
``scarce-sets``           4–6 sets a base and the popular types (别墅, 医院, 古装宫殿,
                          办公室, 酒店套房) built rarely: ~60 sets, the popular ones binding
``plentiful-sets``        7–9 sets a base, every type as common: ~95 sets
``full-rules``            all nine rules: genres, three cities (郑州, 开封, 洛阳) with
                          travel, outages, base max_crews, crews' days in a row, pins
========================  ===============================================================

Every kind has a ``-x10`` variant: ten times the bases, crews, actors and
targets, like ``cluster-x10`` (a core kind's ×10 stays in one city, so the
baseline accepts it). ``generate_family(kind, seed)`` is deterministic and
built like the samples (:mod:`scheduler.samples.generate`): around a hidden
reference plan that keeps every rule, so each instance's targets are
reachable. Instances are generated on the fly, not committed; ``size="small"``
gives a 2-base, 4-crew version of a kind for tests.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from scheduler.domain.model import Scenario, Targets
from scheduler.domain.plan import Plan
from scheduler.samples.generate import (
    HENAN_TRAVEL,
    RECIPES,
    SET_SUPPLY,
    SET_TYPES,
    Recipe,
    _Sampler,
)

Size = Literal["month", "small"]
SIZES: tuple[Size, ...] = ("month", "small")

_CORE_MONTH = replace(
    RECIPES["zhengzhou-month"],
    name="郑州基地群 2026年12月",
    actors=60,
    genre_crews=0.0,  # core rules: every crew shoots every genre
    supporting_actors=0,  # and no scene breakdowns: the family measures the planner as before
)

_POPULAR = ("办公室", "别墅", "医院", "古装宫殿", "酒店套房")

_KIND_RECIPES: dict[str, tuple[str, Recipe]] = {
    "short-titles": (
        "短剧目（1–2 天）",
        replace(_CORE_MONTH, lengths=((1, 2), (3, 2))),
    ),
    "long-titles": (
        "长剧目（5–8 天）",
        replace(_CORE_MONTH, lengths=((5, 6, 7, 8), (4, 3, 2, 1)), extra=12),
    ),
    "loose-windows": ("宽松档期", replace(_CORE_MONTH, slack=14)),
    "tight-windows": ("紧档期", replace(_CORE_MONTH, slack=1, min_spare=0)),
    "shared-cast": (
        "主演高度共用",
        replace(_CORE_MONTH, star_share=0.25, star_weight=10, cast_sizes=((2, 3, 4), (4, 4, 2))),
    ),
    "separate-casts": (
        "主演少有交集",
        replace(_CORE_MONTH, star_share=0.0, cast_sizes=((1, 2), (4, 1))),
    ),
    "scarce-sets": (
        "热门场景稀缺",
        replace(
            _CORE_MONTH,
            sets_per_base=(4, 6),
            set_supply={t: (1 if t in _POPULAR else 7) for t in SET_TYPES},
        ),
    ),
    "plentiful-sets": (
        "场景充裕",
        replace(_CORE_MONTH, sets_per_base=(7, 9), set_supply=dict.fromkeys(SET_SUPPLY, 5)),
    ),
    "full-rules": (
        "全规则·三城",
        replace(RECIPES["zhengzhou-full"], name="郑州·开封·洛阳基地群 2026年12月"),
    ),
}

BASE_KINDS: tuple[str, ...] = tuple(_KIND_RECIPES)
FAMILY_KINDS: tuple[str, ...] = BASE_KINDS + tuple(f"{kind}-x10" for kind in BASE_KINDS)


def is_core(kind: str) -> bool:
    """Whether ``kind`` keeps to the core rules (so the pooled baseline accepts it)."""
    return not _recipe_of(kind).full_rules


def _x10(recipe: Recipe) -> Recipe:
    """Ten times the bases, crews, actors and targets, as ``cluster-x10`` is of the month."""
    if recipe.full_rules:
        return replace(
            RECIPES["cluster-x10"],
            name=recipe.name.replace("基地群", "基地群×10"),
            travel=HENAN_TRAVEL,
        )
    return replace(
        recipe,
        name=recipe.name.replace("基地群", "基地群×10"),
        cities=tuple((city, 10 * count) for city, count in recipe.cities),
        crews=10 * recipe.crews,
        actors=10 * recipe.actors,
        targets=Targets(
            parallel_shoots_per_day=10 * recipe.targets.parallel_shoots_per_day,
            titles_per_month=10 * recipe.targets.titles_per_month,
        ),
        busy_extra=(3, 14),
        extra=recipe.extra * 25 // 3,
    )


def _small(recipe: Recipe) -> Recipe:
    """Two bases (three cities of one base when full-rules), four crews: a test-sized month."""
    cities = tuple((city, 1) for city, _ in recipe.cities) if recipe.full_rules else (("郑州", 2),)
    return replace(
        recipe,
        cities=cities,
        crews=4,
        actors=12,
        targets=Targets(parallel_shoots_per_day=3, titles_per_month=60),
        busy_extra=(0, 0),
        extra=max(2, recipe.extra // 6),
        outages={k: min(n, 1) for k, n in recipe.outages.items()},
        pins=min(recipe.pins, 1),
    )


def _recipe_of(kind: str) -> Recipe:
    base = kind.removesuffix("-x10")
    if base not in _KIND_RECIPES:
        raise ValueError(
            f"unknown family kind {kind!r}; expected one of {', '.join(FAMILY_KINDS)}"
        )
    recipe = _KIND_RECIPES[base][1]
    return _x10(recipe) if kind.endswith("-x10") else recipe


def generate_family_with_reference(
    kind: str, seed: int, size: Size = "month"
) -> tuple[Scenario, Plan]:
    """Instance ``seed`` of family ``kind`` and the reference plan it was built around."""
    recipe = _recipe_of(kind)
    if size == "small":
        recipe = _small(recipe)
    label = _KIND_RECIPES[kind.removesuffix("-x10")][0]
    recipe = replace(recipe, name=f"{recipe.name}·{label}（基准族 {kind} 第 {seed} 例）")
    return _Sampler(recipe, seed).build()


def generate_family(kind: str, seed: int, size: Size = "month") -> Scenario:
    """Instance ``seed`` of family ``kind``: the same (kind, seed, size), the same scenario."""
    return generate_family_with_reference(kind, seed, size)[0]
