"""The benchmark family (issue 14): each kind valid and of its stated shape, seeded, runnable.

Sizes: month-size instances (~450 titles; ~110 for long-titles) are generated
in well under a second each; two ×10 instances (~4,500 titles) about a second
each; the benchmark run is one small instance (2 bases, 4 crews, ~70 titles)
at a 2 s limit, with the baseline where it is present.
"""

from __future__ import annotations

import json
import statistics
from functools import cache
from pathlib import Path

import pytest

from scheduler.cli.benchmark import BASELINE
from scheduler.cli.benchmark import main as benchmark
from scheduler.domain.model import Scenario
from scheduler.io.tables import write_scenario
from scheduler.io.validation import load_scenario
from scheduler.samples.family import (
    BASE_KINDS,
    FAMILY_KINDS,
    generate_family,
    generate_family_with_reference,
    is_core,
)
from scheduler.samples.generate import SET_TYPES, generate
from tests.test_generate import files_of

CORE_KINDS = [kind for kind in BASE_KINDS if is_core(kind)]


@cache
def instance(kind: str, seed: int = 1) -> Scenario:
    return generate_family(kind, seed)


def lengths(scenario: Scenario) -> set[int]:
    return {sum(need.days for need in title.needs) for title in scenario.titles}


def spare_days(scenario: Scenario) -> float:
    """Mean days of a title's window beyond its shoot days."""
    return statistics.mean(
        (t.due_date - t.earliest_start).days + 1 - sum(n.days for n in t.needs)
        for t in scenario.titles
    )


def mean_cast(scenario: Scenario) -> float:
    return statistics.mean(len(title.cast) for title in scenario.titles)


def uses_rules_beyond_core(scenario: Scenario) -> dict[str, bool]:
    """Which of the rules the pooled baseline refuses the scenario uses."""
    return {
        "genres": any(crew.genres for crew in scenario.crews),
        "days in a row": any(crew.max_days_in_row for crew in scenario.crews),
        "base caps": any(base.max_crews for base in scenario.bases),
        "several cities": len({base.city for base in scenario.bases}) > 1,
        "travel": bool(scenario.travel),
        "outages": bool(scenario.unavailable),
        "pins": bool(scenario.pins),
    }


# -- valid, seeded ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", BASE_KINDS)
def test_each_kind_round_trips_through_its_files(kind: str, tmp_path: Path) -> None:
    # write_scenario then load_scenario validates every rule of the input spec
    write_scenario(instance(kind), tmp_path)
    assert load_scenario(tmp_path) == instance(kind)


@pytest.mark.parametrize("kind", BASE_KINDS)
def test_same_seed_same_scenario_other_seed_another(kind: str, tmp_path: Path) -> None:
    write_scenario(instance(kind, 1), tmp_path / "first")
    write_scenario(generate_family(kind, 1), tmp_path / "again")
    write_scenario(instance(kind, 2), tmp_path / "other")
    first, again, other = (files_of(tmp_path / n) for n in ("first", "again", "other"))
    assert first == again
    assert first["titles.csv"] != other["titles.csv"]
    assert first["title_needs.csv"] != other["title_needs.csv"]


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown family kind 'medium-titles'"):
        generate_family("medium-titles", 1)


def test_the_family_leaves_the_committed_samples_alone() -> None:
    # the family's recipe fields default to the samples' draws (test_generate compares bytes)
    assert generate("zhengzhou-month").name == "郑州基地群 2026年12月"
    assert not set(FAMILY_KINDS) & {"tutorial", "zhengzhou-month", "zhengzhou-full", "cluster-x10"}


# -- month size and the stated shape ------------------------------------------------------


@pytest.mark.parametrize("kind", BASE_KINDS)
def test_month_size(kind: str) -> None:
    scenario = instance(kind)
    assert scenario.days == 31
    assert len(scenario.bases) == 12
    assert len(scenario.crews) == 24
    assert 55 <= len(scenario.actors) <= 64
    assert 50 <= len(scenario.sets) <= 100
    # long titles take ~4× the crew-days: the same crews hold ~100 of them
    assert (90 if kind == "long-titles" else 400) <= len(scenario.titles) <= 520


def test_short_titles_shoot_one_or_two_days_long_ones_five_to_eight() -> None:
    for seed in (1, 2, 3):
        assert lengths(instance("short-titles", seed)) == {1, 2}
        assert lengths(instance("long-titles", seed)) == {5, 6, 7, 8}
    assert lengths(instance("tight-windows")) == {1, 2, 3}  # the core month's


def test_tight_windows_leave_about_a_day_loose_ones_about_two_weeks() -> None:
    assert spare_days(instance("tight-windows")) < 2
    assert spare_days(instance("loose-windows")) > 10
    assert 4 < spare_days(instance("short-titles")) < 8


def test_shared_cast_meets_in_many_titles_separate_casts_in_few() -> None:
    def titles_per_lead(scenario: Scenario) -> float:
        return sum(len(t.cast) for t in scenario.titles) / len(scenario.actors)

    shared, separate = instance("shared-cast"), instance("separate-casts")
    assert mean_cast(shared) > 2.4 > 1.3 > mean_cast(separate)
    assert titles_per_lead(shared) > 1.8 * titles_per_lead(separate)


def test_scarce_sets_build_the_popular_types_rarely() -> None:
    popular = ("办公室", "别墅", "医院", "古装宫殿", "酒店套房")

    def popular_share(scenario: Scenario) -> float:
        return sum(s.set_type in popular for s in scenario.sets) / len(scenario.sets)

    scarce, plentiful = instance("scarce-sets"), instance("plentiful-sets")
    assert len(scarce.sets) < 65 < 85 < len(plentiful.sets)
    assert popular_share(scarce) < 0.2 < popular_share(plentiful)
    assert {s.set_type for s in plentiful.sets} == set(SET_TYPES)


@pytest.mark.parametrize("kind", CORE_KINDS)
def test_core_kinds_use_no_rule_beyond_the_core(kind: str) -> None:
    used = uses_rules_beyond_core(instance(kind))
    assert not any(used.values()), used


def test_full_rules_use_all_nine_rules() -> None:
    for seed in (1, 2, 3):
        used = uses_rules_beyond_core(instance("full-rules", seed))
        assert all(used.values()), used
        assert {b.city for b in instance("full-rules", seed).bases} == {"郑州", "开封", "洛阳"}


def test_reference_plan_passes_the_checker() -> None:
    from scheduler.check.checker import check_plan

    for kind in ("long-titles", "tight-windows", "full-rules"):
        scenario, reference = generate_family_with_reference(kind, 3)
        assert check_plan(scenario, reference) == []


@pytest.mark.parametrize("kind", ["short-titles-x10", "full-rules-x10"])
def test_x10_is_ten_months(kind: str) -> None:
    scenario = generate_family(kind, 1)
    assert len(scenario.bases) == 120 and len(scenario.crews) == 240
    assert 4000 <= len(scenario.titles) <= 5200
    assert is_core(kind) == (len({b.city for b in scenario.bases}) == 1)


# -- the benchmark runs the family -------------------------------------------------------


def test_benchmark_runs_one_small_instance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows_file = tmp_path / "rows.json"
    argv = ["--family", "short-titles", "--seeds", "1", "--size", "small"]
    argv += ["--time-limit", "2", "--json", str(rows_file)]
    if not BASELINE.exists():
        argv.append("--no-baseline")
    assert benchmark(argv) == 0
    out = capsys.readouterr().out
    assert "| short-titles | 1 |" in out
    assert "median × greedy" in out
    (row,) = json.loads(rows_file.read_text())
    assert row["solver_violations"] == 0
    assert row["solver"] >= row["greedy"] > 0
    assert row["bound"] is None or row["bound"] >= row["solver"]
    if BASELINE.exists():
        assert row["baseline_violations"] == 0 and row["baseline"] > 0
