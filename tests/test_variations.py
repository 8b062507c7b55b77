"""What a sweep's variant does to a scenario: each kind of change kept and broken.

Each change is checked on a few rows whose result is reasoned in a comment; a
changed scenario is also written out as tables and validated again, so a
variant never makes a scenario the importer would refuse.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from scheduler.check.checker import check_plan
from scheduler.domain.model import Crew, Pin, Scenario, Targets
from scheduler.domain.sweep import ALONE, POOLED, BaseClosure, Variant
from scheduler.domain.variations import (
    CLOSURE_NOTE,
    apply_variant,
    change_words,
    rush_order,
    variant_faults,
)
from scheduler.io.tables import scenario_to_tables
from scheduler.io.validation import build_scenario
from solver.slate.greedy import greedy_plan
from tests.factories import (
    checker_scenario,
    dec,
    outage,
    pooling_scenario,
    scene_scenario,
    shoot_plan,
    shoot_run,
    small_crew,
)


def revalidated(scenario: Scenario) -> Scenario:
    """``scenario`` written as tables and read back through validation (raises if refused)."""
    return build_scenario(scenario_to_tables(scenario))


# -- crews +k --------------------------------------------------------------------------


def test_added_crews_copy_the_crews_in_file_order_with_new_ids_and_names() -> None:
    # checker_scenario has C01 (any genre, B01), C02 (古装, B02), C03 (都市;甜宠, B01):
    # +4 copies them in order and starts again at C01, so the mix stays the scenario's
    s = checker_scenario()
    changed = apply_variant(s, Variant("加4个剧组", crews=4))
    added = changed.crews[3:]
    assert [c.crew_id for c in added] == ["C_ADD1", "C_ADD2", "C_ADD3", "C_ADD4"]
    assert [c.name for c in added] == [
        "加派剧组1（照 张导组）",
        "加派剧组2（照 李导组）",
        "加派剧组3（照 王导组）",
        "加派剧组4（照 张导组）",
    ]
    models = [s.crews[0], s.crews[1], s.crews[2], s.crews[0]]
    for crew, model in zip(added, models, strict=True):
        assert (crew.home_base_id, crew.genres, crew.day_rate) == (
            model.home_base_id,
            model.genres,
            model.day_rate,
        )
    assert changed.crews[:3] == s.crews
    assert revalidated(changed) == changed


def test_added_crew_ids_skip_ids_the_scenario_has() -> None:
    s = checker_scenario(crews=(*checker_scenario().crews, small_crew("C_ADD1")))
    changed = apply_variant(s, Variant("加2个剧组", crews=2))
    assert [c.crew_id for c in changed.crews[4:]] == ["C_ADD2", "C_ADD3"]


def test_adding_crews_to_a_scenario_without_crews_is_refused() -> None:
    s = checker_scenario(crews=())
    with pytest.raises(ValueError, match=r"crews: .* has no crew to copy"):
        apply_variant(s, Variant("加1个剧组", crews=1))


# -- crews −k --------------------------------------------------------------------------


def test_removed_crews_are_the_last_free_of_pins_with_their_outages() -> None:
    # C03 is pinned to T03, so −1 removes C02 (the last crew no pin fixes), and C02's
    # unavailability row goes with it; C01's stays
    s = checker_scenario(
        pins=(Pin("T03", crew_id="C03"),),
        unavailable=(outage("crew", "C02", 1, 2), outage("crew", "C01", 3)),
    )
    changed = apply_variant(s, Variant("减1个剧组", crews=-1))
    assert [c.crew_id for c in changed.crews] == ["C01", "C03"]
    assert [u.resource_id for u in changed.unavailable] == ["C01"]
    assert revalidated(changed) == changed


def test_removing_more_crews_than_pins_leave_free_is_refused() -> None:
    # 3 crews, C03 pinned: at most 2 may go
    s = checker_scenario(pins=(Pin("T03", crew_id="C03"),))
    assert len(apply_variant(s, Variant("减2个剧组", crews=-2)).crews) == 1
    with pytest.raises(ValueError, match=r"crews: -3: only 2 of 3 crew\(s\) are free of pins"):
        apply_variant(s, Variant("减3个剧组", crews=-3))


# -- base closures ---------------------------------------------------------------------


def test_a_closure_closes_the_base_and_a_plan_using_it_breaks_rule_5() -> None:
    # B01 closed 12-04 … 12-06: T01 shot there on 12-04 … 12-06 breaks rule 5 (three days);
    # the same shoots on 12-01 … 12-03 keep every rule
    s = checker_scenario()
    closure = BaseClosure("B01", dec(4), dec(6))
    changed = apply_variant(s, Variant("B01停三天", closures=(closure,)))
    row = changed.unavailable[-1]
    assert (row.kind, row.resource_id, row.note) == ("base", "B01", CLOSURE_NOTE)
    assert changed.unavailable_days("set", "S01") == frozenset({3, 4, 5})
    others = {"T02": "未排", "T03": "未排"}
    inside = shoot_plan(
        shoot_run("T01", 4, "B01", ["S01", "S03", "S02"], "C01"), unscheduled=others
    )
    outside = shoot_plan(
        shoot_run("T01", 1, "B01", ["S01", "S03", "S02"], "C01"), unscheduled=others
    )
    assert check_plan(s, inside) == []  # the base scenario has no closure
    assert [v.rule for v in check_plan(changed, inside)] == [5, 5, 5]
    assert check_plan(changed, outside) == []
    assert revalidated(changed) == changed


def test_a_closure_of_an_unknown_base_or_outside_the_horizon_is_refused() -> None:
    s = checker_scenario()  # 12-01 … 12-10
    with pytest.raises(ValueError, match=r"close\[1\]\.base: B09 is not a base"):
        apply_variant(s, Variant("B09停", closures=(BaseClosure("B09", dec(2), dec(3)),)))
    with pytest.raises(ValueError, match=r"close\[1\]\.to: 2026-12-11 is outside the horizon"):
        apply_variant(s, Variant("B01停", closures=(BaseClosure("B01", dec(9), dec(11)),)))


# -- rush order ------------------------------------------------------------------------


def test_a_rush_order_copies_titles_with_new_ids_top_priority_and_windows_that_fit() -> None:
    s = checker_scenario()  # priorities 3, 2, 1; shoots of 3, 2 and 2 days; 10 days
    rush = rush_order(s, 12, seed=7)
    assert [t.title_id for t in rush] == [f"R{n:03d}" for n in range(1, 13)]
    by_name = {t.name: t for t in s.titles}
    for number, title in enumerate(rush, 1):
        prefix, _, original = title.name.partition("·")
        assert prefix == f"急单{number}"
        model = by_name[original]
        assert (title.genre, title.needs, title.cast) == (model.genre, model.needs, model.cast)
        assert title.priority == 3  # the scenario's highest
        first, last = s.day_index(title.earliest_start), s.day_index(title.due_date)
        assert 0 <= first < 5  # the first half of the 10 days
        window = last - first + 1
        assert window >= title.shoot_days  # the shoot fits its window …
        assert last <= s.days - 1  # … inside the horizon
        # 2–5 spare days after the shoot unless the horizon cuts them
        assert window - title.shoot_days in {2, 3, 4, 5} or last == s.days - 1
    changed = apply_variant(s, Variant("急单12部", rush_titles=12))
    assert len(changed.titles) == 15 and changed.titles[:3] == s.titles
    assert revalidated(changed) == changed


def test_a_rush_order_is_the_same_for_the_same_seed_and_differs_between_seeds() -> None:
    s = checker_scenario()
    assert rush_order(s, 20, seed=1) == rush_order(s, 20, seed=1)
    assert rush_order(s, 20, seed=1) != rush_order(s, 20, seed=2)
    # a variant's rush order does not depend on the solver's seed: it is drawn with seed 0
    variant = Variant("急单5部", rush_titles=5)
    assert apply_variant(s, variant).titles[3:] == rush_order(s, 5)


def test_rush_titles_copy_scenes_under_their_own_id_and_validate() -> None:
    s = scene_scenario()
    rush = rush_order(s, 4, seed=3)
    for title in rush:
        assert title.scenes and {scene.title_id for scene in title.scenes} == {title.title_id}
    changed = apply_variant(s, Variant("急单4部", rush_titles=4))
    model = {t.name: t for t in s.titles}[changed.titles[2].name.partition("·")[2]]
    assert [d.scene_ids for d in changed.scene_days(changed.titles[2].title_id)] == [
        d.scene_ids for d in s.scene_days(model.title_id)
    ]
    assert revalidated(changed) == changed


def test_rush_ids_skip_ids_the_scenario_has() -> None:
    s = checker_scenario()
    taken = replace(s.titles[0], title_id="R001", name="已有的R001")
    s = replace(s, titles=(*s.titles, taken))
    assert [t.title_id for t in rush_order(s, 2)] == ["R002", "R003"]


def test_a_rush_order_with_no_title_that_fits_the_horizon_is_refused() -> None:
    # both titles need 3 days; a 2-day horizon holds neither
    s = checker_scenario(days=2, titles=checker_scenario().titles[:1])
    with pytest.raises(ValueError, match="no title whose shoot fits"):
        rush_order(s, 1)
    with pytest.raises(ValueError, match="negative"):
        rush_order(checker_scenario(), -1)
    assert rush_order(checker_scenario(), 0) == ()


def test_a_rush_order_can_be_planned_and_the_plan_keeps_every_rule() -> None:
    changed = apply_variant(checker_scenario(), Variant("急单6部", rush_titles=6))
    plan = greedy_plan(changed)
    assert plan.scheduled_title_ids & {t.title_id for t in changed.titles[3:]}
    assert check_plan(changed, plan) == []


# -- targets ---------------------------------------------------------------------------


def test_targets_override_the_named_keys_only() -> None:
    s = checker_scenario()  # targets 3 a day, 9 a month
    changed = apply_variant(s, Variant("目标5", targets={"parallel_shoots_per_day": 5}))
    assert changed.targets == Targets(parallel_shoots_per_day=5, titles_per_month=9)


def test_an_unknown_target_or_a_bad_value_is_refused() -> None:
    s = checker_scenario()
    with pytest.raises(ValueError, match=r"targets\.shoots_per_week: shoots_per_week is not"):
        apply_variant(s, Variant("坏目标", targets={"shoots_per_week": 5}))
    with pytest.raises(ValueError, match=r"targets\.titles_per_month: 0 is not a whole number"):
        apply_variant(s, Variant("坏目标", targets={"titles_per_month": 0}))


# -- pooling ---------------------------------------------------------------------------


def test_pooling_alone_keeps_each_crew_in_its_city_by_the_checker() -> None:
    # 郑州's C1 shooting T4 at 开封's B2: fine pooled, a rule 11 violation with each city alone
    s = pooling_scenario()
    alone = apply_variant(s, Variant("各城独立", pooling=ALONE))
    assert sorted(alone.pooling) == sorted([("洛阳",), ("开封",), ("郑州",)])  # a group per city
    others = {"T1": "未排", "T2": "未排", "T3": "未排"}
    away = shoot_plan(shoot_run("T4", 1, "B2", ["S2", "S2"], "C1"), unscheduled=others)
    home = shoot_plan(shoot_run("T4", 1, "B1", ["S1", "S1"], "C1"), unscheduled=others)
    assert check_plan(apply_variant(s, Variant("共享", pooling=POOLED)), away) == []
    assert {v.rule for v in check_plan(alone, away)} == {11}
    assert check_plan(alone, home) == []


def test_pooling_groups_apply_and_unknown_cities_are_refused() -> None:
    s = pooling_scenario()
    grouped = apply_variant(s, Variant("郑汴协同", pooling=(("郑州", "开封"), ("洛阳",))))
    assert grouped.same_group("郑州", "开封") and not grouped.same_group("郑州", "洛阳")
    assert apply_variant(s, Variant("现状")).pooling == s.pooling
    with pytest.raises(ValueError, match=r"pooling: .*'上海'.* has no base"):
        apply_variant(s, Variant("上海", pooling=(("郑州", "上海"),)))
    with pytest.raises(ValueError, match="pooling: 'sometimes' is not a pooling policy"):
        apply_variant(s, Variant("坏", pooling="sometimes"))


# -- the whole variant -----------------------------------------------------------------


def test_a_variant_names_the_scenario_and_a_base_variant_changes_nothing_else() -> None:
    s = checker_scenario()
    same = apply_variant(s, Variant("现状"))
    assert same.name == "郑州横店 检查器测试 · 现状"
    assert replace(same, name=s.name) == s


def test_a_variant_combines_its_changes() -> None:
    s = checker_scenario()
    variant = Variant(
        "加2个剧组接急单",
        crews=2,
        closures=(BaseClosure("B02", dec(1), dec(2)),),
        rush_titles=3,
        targets={"titles_per_month": 12},
    )
    changed = apply_variant(s, variant)
    assert (len(changed.crews), len(changed.titles)) == (5, 6)
    assert changed.unavailable_days("base", "B02") == frozenset({0, 1})
    assert changed.targets.titles_per_month == 12
    assert revalidated(changed) == changed


def test_every_fault_of_a_variant_is_named_at_once() -> None:
    s = checker_scenario()
    variant = Variant(
        "全错",
        crews=-5,
        closures=(BaseClosure("B09", dec(1), dec(1)), BaseClosure("B01", dec(1), dec(20))),
        rush_titles=-1,
        targets={"nope": 1},
        pooling=(("上海",),),
    )
    keys = [fault.key for fault in variant_faults(s, variant)]
    assert keys == [
        "crews",
        "close[1].base",
        "close[2].to",
        "rush_titles",
        "targets.nope",
        "pooling",
    ]
    assert variant_faults(s, Variant("加1个剧组", crews=1)) == []
    with pytest.raises(ValueError) as raised:
        apply_variant(s, variant)
    assert "close[2].to" in str(raised.value) and "targets.nope" in str(raised.value)


def test_change_words_name_what_a_variant_changes() -> None:
    closure = BaseClosure("B01", dec(7), dec(13))
    assert change_words(Variant("")) == "现状"
    assert change_words(Variant("", crews=2, closures=(closure,), rush_titles=30)) == (
        "加2个剧组 × B01停12-07…12-13 × 急单30部"
    )
    assert change_words(Variant("", crews=-1, pooling=(("郑州", "开封"), ("洛阳",)))) == (
        "减1个剧组 × 城市分组 郑州+开封/洛阳"
    )
    assert change_words(Variant("", targets={"parallel_shoots_per_day": 22})) == "日并行目标22"


def test_an_added_crew_can_shoot_and_the_plan_keeps_every_rule() -> None:
    # one crew and two titles wanting the same two days: only with a second crew do both shoot
    s = checker_scenario(
        crews=(Crew("C01", "张导组", "B01", 6000),),
        titles=tuple(
            replace(t, earliest_start=dec(1), due_date=dec(1) + timedelta(days=2))
            for t in checker_scenario().titles
            if t.title_id in {"T01", "T03"}
        ),
    )
    assert len(greedy_plan(s).scheduled_title_ids) == 1
    more = apply_variant(s, Variant("加1个剧组", crews=1))
    plan = greedy_plan(more)
    assert plan.scheduled_title_ids == {"T01", "T03"}
    assert check_plan(more, plan) == []
