"""The samples' scene breakdowns: the tutorial and the Zhengzhou month, 6 and 460 titles.

Each title's scenes pack into exactly its needs (so the committed title_needs.csv
agree with scenes.csv and the benchmarks keep their titles), its leads play on
every packed day, supporting actors (配角) are cheaper actors shared by titles,
and the reference plans name the scenes each day shoots. zhengzhou-full and
cluster-x10 have no scenes.
"""

from __future__ import annotations

import random
from collections import Counter
from functools import cache
from itertools import pairwise

import pytest

from scheduler.domain.model import Need, Scenario
from scheduler.domain.plan import Plan
from scheduler.domain.scenes import DAY_NIGHT, INT_EXT, days_by_set_type, pack_scene_days
from scheduler.io.validation import load_scenario
from scheduler.samples.family import generate_family
from scheduler.samples.generate import generate_with_reference
from scheduler.samples.scene_breakdown import Role, draw_scenes, shoot_day_scenes
from tests.factories import SAMPLES

WITH_SCENES = ("tutorial", "zhengzhou-month")


@cache
def sample(kind: str) -> tuple[Scenario, Plan]:
    return generate_with_reference(kind, seed=2026)


@pytest.mark.parametrize("kind", WITH_SCENES)
def test_every_title_has_scenes_that_pack_into_its_needs(kind: str) -> None:
    scenario, _plan = sample(kind)
    for title in scenario.titles:
        assert title.scenes, title.title_id
        packed = days_by_set_type(pack_scene_days(title.scenes, scenario.day_minutes))
        assert list(packed.items()) == [(n.set_type, n.days) for n in title.needs]


@pytest.mark.parametrize("kind", WITH_SCENES)
def test_the_committed_sample_is_the_generated_one_scenes_and_all(kind: str) -> None:
    # validation compares the committed title_needs.csv with the packed scenes.csv
    assert load_scenario(SAMPLES / kind) == sample(kind)[0]


@pytest.mark.parametrize("kind", WITH_SCENES)
def test_leads_play_on_every_shoot_day_and_in_most_scenes(kind: str) -> None:
    scenario, _plan = sample(kind)
    in_scenes = total = 0
    for title in scenario.titles:
        for day in scenario.scene_days(title.title_id):
            assert set(title.cast) <= day.cast, (title.title_id, day.scene_ids)
        in_scenes += sum(any(a in scene.cast for a in title.cast) for scene in title.scenes)
        total += len(title.scenes)
    assert in_scenes == total  # every scene has a lead in it


@pytest.mark.parametrize("kind", WITH_SCENES)
def test_supporting_actors_are_cheaper_and_shared(kind: str) -> None:
    scenario, _plan = sample(kind)
    leads = {a for title in scenario.titles for a in title.cast}
    supporting = {a.actor_id for a in scenario.actors} - leads
    assert supporting
    titles_of = Counter(a for t in scenario.titles for a in t.actors if a not in t.cast)
    assert set(titles_of) == supporting  # each plays somewhere
    assert sum(1 for n in titles_of.values() if n >= 2) >= len(supporting) // 2
    rate = {a.actor_id: a.day_rate for a in scenario.actors}
    assert max(rate[a] for a in supporting) < min(rate[a] for a in leads)


@pytest.mark.parametrize("kind", WITH_SCENES)
def test_scenes_read_like_a_breakdown(kind: str) -> None:
    scenario, _plan = sample(kind)
    scenes = [scene for title in scenario.titles for scene in title.scenes]
    assert all(20 <= scene.minutes <= 240 for scene in scenes)
    assert {scene.day_night for scene in scenes} == set(DAY_NIGHT)
    assert {scene.int_ext for scene in scenes} == set(INT_EXT)
    assert all(scene.description and scene.scene_id.count("-") == 1 for scene in scenes)
    street = [scene.int_ext for scene in scenes if scene.set_type == "街道"]
    assert set(street) <= {"外"}


@pytest.mark.parametrize("kind", WITH_SCENES)
def test_the_reference_plan_names_each_days_scenes(kind: str) -> None:
    scenario, plan = sample(kind)
    type_of = {film_set.set_id: film_set.set_type for film_set in scenario.sets}
    for title_id in plan.scheduled_title_ids:
        shoots = plan.shoots_of(title_id)
        title = scenario.title_by_id[title_id]
        shot = [scene for shoot in shoots for scene in shoot.scenes]
        assert sorted(shot) == sorted(scene.scene_id for scene in title.scenes)
        by_id = {scene.scene_id: scene for scene in title.scenes}
        for shoot in shoots:
            assert {by_id[s].set_type for s in shoot.scenes} == {type_of[shoot.set_id]}


def test_the_tutorial_supporting_actors_never_meet_themselves() -> None:
    # each supporting actor's titles have windows that never overlap, so they change
    # no plan of the tutorial, only its cost
    scenario, _plan = sample("tutorial")
    for actor in ("A5", "A6", "A7", "A8"):
        windows = sorted(
            (t.earliest_start, t.due_date) for t in scenario.titles if actor in t.actors
        )
        assert all(a[1] < b[0] for a, b in pairwise(windows)), actor


@pytest.mark.parametrize("kind", ["zhengzhou-full", "cluster-x10"])
def test_the_full_rules_samples_have_no_scenes(kind: str) -> None:
    scenario = load_scenario(SAMPLES / kind)
    assert not any(title.scenes for title in scenario.titles)
    assert not (SAMPLES / kind / "scenes.csv").exists()


def test_the_benchmark_family_has_no_scenes() -> None:
    scenario = generate_family("short-titles", seed=1, size="small")
    assert not any(title.scenes for title in scenario.titles)


# -- the breakdown drawer ------------------------------------------------------------------


def test_drawn_scenes_pack_into_exactly_the_needs_for_any_seed() -> None:
    needs = (Need("别墅", 3), Need("办公室", 1), Need("医院", 2))
    leads = (Role("A1", "林晚"), Role("A2", "顾总"), Role("A3", "苏念"))
    supporting = (Role("A8", "管家老陈"), Role("A9", "秘书小周"))
    for seed in range(30):
        scenes = draw_scenes(random.Random(seed), "T1", "甜宠", needs, leads, supporting)
        packed = days_by_set_type(pack_scene_days(scenes, 720))
        assert list(packed.items()) == [("别墅", 3), ("办公室", 1), ("医院", 2)]
        cast = {a for scene in scenes for a in scene.cast}
        assert cast == {"A1", "A2", "A3", "A8", "A9"}
        assert len({scene.scene_id for scene in scenes}) == len(scenes)


def test_shoot_days_take_the_packed_days_of_their_set_type_in_order() -> None:
    scenes = draw_scenes(
        random.Random(3), "T1", "都市", (Need("办公室", 2), Need("街道", 1)), (Role("A1", "林晚"),)
    )
    days = pack_scene_days(scenes, 720)
    shot = shoot_day_scenes(days, ["办公室", "街道", "办公室"])
    assert shot == [days[0].scene_ids, days[2].scene_ids, days[1].scene_ids]
