"""The sample generator: deterministic, the stated sizes, targets reachable, samples never drift.

Sizes: tutorial 6 titles; the Zhengzhou month ~450 titles; the ×10 cluster
~4,500 titles (generated twice here, about 2 s each).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from scheduler.check.checker import check_plan
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.io.tables import write_scenario
from scheduler.io.validation import load_scenario
from scheduler.samples.generate import KINDS, generate, generate_with_reference
from solver.slate.greedy import greedy_plan
from tests.factories import SAMPLES


@cache
def sample(kind: str) -> tuple[Scenario, Plan]:
    """Each kind is generated once per test run (the ×10 cluster takes a couple of seconds)."""
    return generate_with_reference(kind, seed=2026)


def files_of(folder: Path) -> dict[str, bytes]:
    """The scenario files of a folder (a README beside them is not part of the scenario)."""
    return {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.suffix in (".csv", ".toml")
    }


def shoots_per_day(scenario: Scenario, plan: Plan) -> list[int]:
    titles_on: dict[date, set[str]] = {when: set() for when in scenario.dates}
    for shoot in plan.shoots:
        titles_on[shoot.date].add(shoot.title_id)
    return [len(titles_on[when]) for when in scenario.dates]


# -- deterministic ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_writes_the_same_bytes(kind: str, tmp_path: Path) -> None:
    write_scenario(sample(kind)[0], tmp_path / "first")
    write_scenario(generate(kind, seed=2026), tmp_path / "second")
    first, second = files_of(tmp_path / "first"), files_of(tmp_path / "second")
    assert list(first) == list(second)
    for name in first:
        assert first[name] == second[name], f"{kind}/{name} differs between two runs"


@pytest.mark.parametrize("kind", ["zhengzhou-month", "zhengzhou-full"])
def test_another_seed_gives_another_scenario(kind: str, tmp_path: Path) -> None:
    write_scenario(sample(kind)[0], tmp_path / "a")
    write_scenario(generate(kind, seed=7), tmp_path / "b")
    for name in ("sets.csv", "crews.csv", "actors.csv", "titles.csv", "title_needs.csv"):
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes()


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sample kind 'paris'"):
        generate("paris")


# -- the committed samples ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_committed_sample_equals_what_the_generator_writes(kind: str, tmp_path: Path) -> None:
    # If this fails after a deliberate change to the generator, regenerate with
    # the commands in sample_data/README.md and commit the folders.
    write_scenario(sample(kind)[0], tmp_path / kind)
    assert files_of(SAMPLES / kind) == files_of(tmp_path / kind)


@pytest.mark.parametrize("kind", KINDS)
def test_committed_sample_is_a_valid_scenario(kind: str) -> None:
    assert load_scenario(SAMPLES / kind).summary() == sample(kind)[0].summary()


# -- sizes ------------------------------------------------------------------------------


def mean_shoot_days(scenario: Scenario) -> float:
    return sum(t.shoot_days for t in scenario.titles) / len(scenario.titles)


def test_tutorial_size() -> None:
    s = sample("tutorial")[0]
    # 8 actors: the 4 leads and 4 supporting actors of the scene breakdown
    assert (s.days, len(s.bases), len(s.sets), len(s.crews), len(s.actors), len(s.titles)) == (
        7,
        2,
        4,
        2,
        8,
        6,
    )


def test_zhengzhou_month_size() -> None:
    s = sample("zhengzhou-month")[0]
    assert (s.start_date, s.days) == (date(2026, 12, 1), 31)
    assert len(s.bases) == 12 and s.cities == ("郑州",)
    assert 60 <= len(s.sets) <= 80
    assert len(s.set_types) == 12
    assert len(s.crews) == 24
    assert 0 < sum(1 for crew in s.crews if crew.genres) < 24  # genres for some crews
    assert len(s.actors) >= 60
    assert 420 <= len(s.titles) <= 490
    assert 1.4 <= mean_shoot_days(s) <= 1.6
    assert {t.shoot_days for t in s.titles} == {1, 2, 3}
    assert {t.priority for t in s.titles} == {1, 2, 3, 4, 5}
    assert all(1 <= len(t.cast) <= 3 for t in s.titles)
    windows = [(t.due_date - t.earliest_start).days + 1 for t in s.titles]
    assert min(windows) >= 3 and max(windows) <= 15  # a few days to two weeks
    assert (s.targets.parallel_shoots_per_day, s.targets.titles_per_month) == (20, 400)
    assert not (s.unavailable or s.travel or s.pins)  # base-level rules only


def test_zhengzhou_full_uses_every_rule() -> None:
    s = sample("zhengzhou-full")[0]
    assert len(s.bases) == 12 and s.cities == ("开封", "洛阳", "郑州")
    assert 60 <= len(s.sets) <= 80 and len(s.crews) == 24 and len(s.actors) >= 60
    assert 420 <= len(s.titles) <= 490
    assert 1.4 <= mean_shoot_days(s) <= 1.6
    assert sum(1 for crew in s.crews if crew.genres) >= 12
    assert any(crew.max_days_in_row for crew in s.crews)
    assert any(base.max_crews for base in s.bases)
    assert len(s.travel) == 3
    assert Counter(u.kind for u in s.unavailable).keys() == {"set", "crew", "actor", "base"}
    assert 2 <= len(s.pins) <= 5


def test_cluster_x10_size() -> None:
    s = sample("cluster-x10")[0]
    assert (len(s.bases), len(s.crews), len(s.actors)) == (120, 240, 600)
    assert 4300 <= len(s.titles) <= 4800
    assert 1.4 <= mean_shoot_days(s) <= 1.6
    assert (s.targets.parallel_shoots_per_day, s.targets.titles_per_month) == (200, 4000)
    assert s.unavailable and s.travel and s.pins


def test_popular_set_types_are_scarcer_than_their_demand() -> None:
    # In the month, 别墅 and 办公室 are asked for on more than 80 % of their
    # set-days; the least popular types on less than 30 %.
    s = sample("zhengzhou-month")[0]
    supply = Counter(film_set.set_type for film_set in s.sets)
    demand: Counter[str] = Counter()
    for t in s.titles:
        demand.update(t.days_by_set_type())
    load = {set_type: demand[set_type] / (supply[set_type] * s.days) for set_type in supply}
    assert load["别墅"] > 0.8 and load["办公室"] > 0.8
    assert min(load.values()) < 0.3


# -- calibration: reachable with a good plan, not with the greedy ------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_reference_plan_keeps_every_rule(kind: str) -> None:
    scenario, reference = sample(kind)
    assert [str(v) for v in check_plan(scenario, reference)] == []


@pytest.mark.parametrize("kind", ["zhengzhou-month", "zhengzhou-full", "cluster-x10"])
def test_targets_are_reachable_by_the_reference_plan(kind: str) -> None:
    scenario, reference = sample(kind)
    targets = scenario.targets
    assert min(shoots_per_day(scenario, reference)) >= targets.parallel_shoots_per_day
    assert len(reference.scheduled_title_ids) >= targets.titles_per_month


@pytest.mark.parametrize("kind", ["zhengzhou-month", "zhengzhou-full"])
def test_greedy_falls_short_of_the_targets(kind: str) -> None:
    # The calibration the samples exist for: the greedy misses 20 a day on many
    # days and stays under 400 titles, so a solver has something to win.
    scenario = sample(kind)[0]
    plan = greedy_plan(scenario)
    per_day = shoots_per_day(scenario, plan)
    target = scenario.targets.parallel_shoots_per_day
    assert sum(1 for count in per_day if count < target) >= 10
    assert len(plan.scheduled_title_ids) < scenario.targets.titles_per_month


def test_tutorial_reference_is_the_best_plan() -> None:
    scenario, best = sample("tutorial")
    assert best.scheduled_title_ids == {t.title_id for t in scenario.titles}
    greedy = greedy_plan(scenario)
    priority = {t.title_id: t.priority for t in scenario.titles}
    assert sum(priority[t] for t in greedy.scheduled_title_ids) == 14
    assert sum(priority[t] for t in best.scheduled_title_ids) == 17
