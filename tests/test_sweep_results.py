"""The sweep results view-model: a row per variant with ranges over seeds and the verdict, and
the chart of titles and priority against cost, from stored plans or plain KPI mappings."""

from __future__ import annotations

import pytest

from scheduler.app import sweep_results as sr
from scheduler.domain.noise import BEYOND_NOISE_WORDS, NOISE_WORDS, ONE_SEED_WORDS
from tests.factories import sweep_kpis


def run(variant: str, seed: int, titles: int, priority: int, cost: int, **more: object) -> dict:
    return sweep_kpis(
        variant,
        seed,
        scheduled_titles=titles,
        priority_scheduled=priority,
        cost=cost,
        **more,
    )


def month_plans() -> dict[int, dict]:
    """Stored plans of one sweep: 现状 (reference) and two what-ifs, three seeds each.

    加1个剧组 overlaps 现状 on titles (1248…1258 against 1250…1262): noise;
    加3个剧组 lies above it (1280…1290): real. Plan 99 is no sweep run.
    """
    plans = {
        1: run("现状", 0, 1255, 3000, 1_200_000, reference=True, priority_bound=3100),
        2: run("现状", 1, 1250, 2990, 1_210_000, reference=True, priority_bound=3094),
        3: run("现状", 2, 1262, 3010, 1_190_000, reference=True),
        4: run("加1个剧组", 0, 1248, 2995, 1_300_000, priority_bound=3200),
        5: run("加1个剧组", 1, 1258, 3005, 1_310_000),
        6: run("加1个剧组", 2, 1253, 3001, 1_305_000),
        7: run("加3个剧组", 0, 1280, 3100, 1_500_000),
        8: run("加3个剧组", 1, 1290, 3110, 1_520_000),
        9: run("加3个剧组", 2, 1285, 3105, 1_510_000),
    }
    plans[99] = {"scheduled_titles": 1, "cost": 1}
    return plans


def test_the_table_has_a_row_per_variant_reference_first() -> None:
    results = sr.results_from_plans(month_plans())
    table = results.table()
    assert list(table.columns) == list(sr.TABLE_COLUMNS)
    assert table[sr.VARIANT].tolist() == ["现状", "加1个剧组", "加3个剧组"]
    assert table[sr.SEEDS].tolist() == [3, 3, 3]
    row = table.set_index(sr.VARIANT).loc["现状"]
    assert row[sr.TITLES] == "1250–1262（中位 1255）"
    assert row[sr.BOUND] == "3094"  # the least bound over seeds
    assert row[sr.COST] == "119.0 万元–121.0 万元"
    assert row[sr.VERDICT] == sr.REFERENCE_MARK
    assert table.set_index(sr.VARIANT).loc["加3个剧组", sr.BOUND] == "—"  # none proven


def test_a_variant_inside_the_reference_range_is_called_noise() -> None:
    verdict = sr.results_from_plans(month_plans()).verdict_text("加1个剧组")
    assert verdict.startswith(f"剧目 {NOISE_WORDS}")
    assert "优先级 " + NOISE_WORDS in verdict
    assert "上界 3200" in verdict  # the bound beside the priority verdict


def test_a_variant_outside_the_reference_range_is_not_noise() -> None:
    verdict = sr.results_from_plans(month_plans()).verdict_text("加3个剧组")
    assert verdict.startswith(f"剧目 {BEYOND_NOISE_WORDS} +30")
    assert NOISE_WORDS not in verdict
    assert "无已证上界" in verdict


def test_one_seed_per_variant_cannot_be_judged() -> None:
    results = sr.results_from_runs(
        {"现状": [run("现状", 0, 10, 10, 100)], "加1个剧组": [run("加1个剧组", 0, 20, 20, 200)]}
    )
    assert ONE_SEED_WORDS in results.verdict_text("加1个剧组")
    assert BEYOND_NOISE_WORDS not in results.verdict_text("加1个剧组")


def test_the_picked_reference_variant_overrides_the_sweeps_mark() -> None:
    results = sr.results_from_plans(month_plans(), reference="加3个剧组")
    assert results.reference == "加3个剧组"
    assert results.table()[sr.VARIANT].tolist()[0] == "加3个剧组"
    # a reference that is not a variant of the sweep (a plan from elsewhere) falls back
    assert sr.results_from_plans(month_plans(), reference="别处").reference == "现状"


def test_plain_runs_take_the_first_variant_as_reference() -> None:
    results = sr.results_from_runs(
        {"a": [{"seed": 0, "scheduled_titles": 1}], "b": [{"seed": 0, "scheduled_titles": 2}]}
    )
    assert results.reference == "a"
    assert results.table()[sr.VARIANT].tolist() == ["a", "b"]


def test_the_figure_has_a_point_per_run_and_a_ranged_median_per_variant() -> None:
    results = sr.results_from_plans(month_plans())
    figure = results.figure()
    runs = [t for t in figure.data if t.marker.size == 7]
    medians = [t for t in figure.data if t.marker.symbol == "diamond"]
    assert sum(len(t.x) for t in runs) == 2 * 9  # nine runs, on the titles and priority charts
    assert len(medians) == 2 * 3  # one per variant on each
    first = next(t for t in medians if t.name == "加3个剧组" and t.yaxis == "y")
    # titles 1280, 1285, 1290: median 1285, error bars down 5 and up 5
    assert (first.y[0], first.error_y.arrayminus[0], first.error_y.array[0]) == (1285, 5, 5)
    assert figure.layout.xaxis2.title.text == "成本 cost (CNY)"
    assert [t.name for t in medians if t.showlegend] == ["现状", "加1个剧组", "加3个剧组"]


def test_points_name_the_plan_of_each_run() -> None:
    points = sr.results_from_plans(month_plans()).points()
    assert list(points.columns) == list(sr.POINT_COLUMNS)
    assert sorted(points["plan_id"]) == list(range(1, 10))


def test_plans_of_two_sweeps_must_name_one() -> None:
    plans = month_plans() | {10: sweep_kpis("x", 0, sweep="另一个", sweep_id=2)}
    assert sr.sweeps_of(plans.values()) == {1: "测试扫描", 2: "另一个"}
    with pytest.raises(ValueError, match="several sweeps"):
        sr.results_from_plans(plans)
    assert sr.results_from_plans(plans, sweep_id=2).runs.keys() == {"x"}


def test_plans_of_no_sweep_are_an_error() -> None:
    with pytest.raises(ValueError, match="no stored plan is a run of sweep"):
        sr.results_from_plans({1: {"scheduled_titles": 3}})


def test_variant_of_a_plan() -> None:
    assert sr.variant_of(sweep_kpis("加1个剧组", 0), 1) == "加1个剧组"
    assert sr.variant_of(sweep_kpis("加1个剧组", 0), 2) is None
    assert sr.variant_of({"scheduled_titles": 1}, 1) is None
