"""Ranges over seeds and the noise verdict (scheduler.domain.noise), in pairs per rule."""

from __future__ import annotations

import math

import pytest

from scheduler.domain.noise import (
    BEYOND_NOISE_WORDS,
    NOISE_WORDS,
    ONE_SEED_WORDS,
    Verdict,
    format_difference,
    judge,
    runs_by_variant,
    variant_ranges,
)
from tests.factories import sweep_kpis


def _runs(titles: list[int], **extra: list[float | None]) -> list[dict[str, object]]:
    """One KPI mapping per seed 0, 1, …: ``scheduled_titles`` from ``titles``, more by key."""
    return [
        {"seed": seed, "scheduled_titles": value} | {k: v[seed] for k, v in extra.items()}
        for seed, value in enumerate(titles)
    ]


def test_range_over_seeds_has_min_median_max_values_and_seeds() -> None:
    # seeds given out of order are put in seed order; the median of 1250, 1255, 1262 is 1255
    runs: list[dict[str, int | None]] = [
        {"seed": 2, "scheduled_titles": 1262, "priority_bound": 1300},
        {"seed": 0, "scheduled_titles": 1255, "priority_bound": 1294},
        {"seed": 1, "scheduled_titles": 1250, "priority_bound": None},
    ]
    ranges = variant_ranges("现状", runs)
    titles = ranges.ranges["scheduled_titles"]
    assert (titles.min, titles.median, titles.max, titles.n) == (1250, 1255, 1262, 3)
    assert titles.values == (1255, 1250, 1262)
    assert ranges.seeds == (0, 1, 2)
    assert ranges.bound == 1294  # the least bound over seeds: the best proof
    assert titles.text == "1250–1262（中位 1255）"


def test_seed_is_read_from_the_sweep_entry_too() -> None:
    ranges = variant_ranges("x", [sweep_kpis("x", 7, scheduled_titles=3)])
    assert ranges.seeds == (7,)


def test_overlapping_ranges_are_called_noise() -> None:
    # the case: one more crew 1248 against 1255, seeds spread both ways
    report = judge({"现状": _runs([1255, 1250, 1262]), "加1个剧组": _runs([1248, 1258, 1253])})
    verdict = report.verdicts["加1个剧组"]["scheduled_titles"]
    assert verdict.verdict is Verdict.NOISE
    assert verdict.difference == 1253 - 1255
    assert verdict.short.startswith(NOISE_WORDS)
    assert "中位数差 −2" in verdict.short
    assert BEYOND_NOISE_WORDS not in verdict.text


def test_separate_ranges_are_not_noise_and_say_the_signed_difference() -> None:
    # 1270..1280 lies wholly above 1250..1262: the medians differ by 1275 − 1255 = +20
    report = judge({"现状": _runs([1255, 1250, 1262]), "加2个剧组": _runs([1270, 1280, 1275])})
    verdict = report.verdicts["加2个剧组"]["scheduled_titles"]
    assert verdict.verdict is Verdict.REAL
    assert verdict.short == f"{BEYOND_NOISE_WORDS} +20"
    assert NOISE_WORDS not in verdict.text


def test_a_worse_variant_beyond_noise_gets_a_minus_sign() -> None:
    report = judge({"现状": _runs([1255, 1250]), "停基地": _runs([1200, 1210])})
    verdict = report.verdicts["停基地"]["scheduled_titles"]
    assert verdict.verdict is Verdict.REAL
    assert verdict.short == f"{BEYOND_NOISE_WORDS} −47.5"


def test_touching_ranges_count_as_overlapping() -> None:
    # closed intervals [1250, 1255] and [1255, 1260] share 1255: noise, not a difference
    report = judge({"a": _runs([1250, 1255]), "b": _runs([1255, 1260])})
    assert report.verdicts["b"]["scheduled_titles"].verdict is Verdict.NOISE


def test_ranges_one_apart_do_not_overlap() -> None:
    report = judge({"a": _runs([1250, 1255]), "b": _runs([1256, 1260])})
    assert report.verdicts["b"]["scheduled_titles"].verdict is Verdict.REAL


def test_ties_are_noise_with_no_difference() -> None:
    report = judge({"a": _runs([1255, 1255, 1255]), "b": _runs([1255, 1255, 1255])})
    verdict = report.verdicts["b"]["scheduled_titles"]
    assert verdict.verdict is Verdict.NOISE
    assert verdict.difference == 0
    assert "中位数差 ±0" in verdict.short


def test_one_seed_on_either_side_cannot_be_judged() -> None:
    # values far apart, yet one seed gives no range: the verdict must not claim a difference
    one_here = judge({"a": _runs([1250, 1255]), "b": _runs([1400])})
    one_there = judge({"a": _runs([1250]), "b": _runs([1400, 1410])})
    for report in (one_here, one_there):
        verdict = report.verdicts["b"]["scheduled_titles"]
        assert verdict.verdict is Verdict.ONE_SEED
        assert verdict.words == ONE_SEED_WORDS
        assert BEYOND_NOISE_WORDS not in verdict.text


def test_two_seeds_each_can_be_judged() -> None:
    report = judge({"a": _runs([1250, 1251]), "b": _runs([1400, 1410])})
    assert report.verdicts["b"]["scheduled_titles"].verdict is Verdict.REAL


def test_the_bound_stands_beside_the_priority_verdict() -> None:
    report = judge(
        {
            "现状": _runs([1, 1], priority_scheduled=[1250, 1260], priority_bound=[1300, 1310]),
            "加1个剧组": _runs(
                [1, 1], priority_scheduled=[1255, 1262], priority_bound=[1294, None]
            ),
        }
    )
    verdict = report.verdicts["加1个剧组"]["priority_scheduled"]
    assert verdict.verdict is Verdict.NOISE
    assert verdict.short == f"{NOISE_WORDS}（中位数差 +3.5，上界 1294）"


def test_a_missing_bound_is_said_as_none_proven() -> None:
    report = judge(
        {
            "a": _runs([1, 1], priority_scheduled=[10, 11]),
            "b": _runs([1, 1], priority_scheduled=[20, 21], priority_bound=[None, None]),
        }
    )
    assert report.variants["b"].bound is None
    verdict = report.verdicts["b"]["priority_scheduled"]
    assert verdict.short == f"{BEYOND_NOISE_WORDS} +10（无已证上界）"
    assert "上界 " not in verdict.short


def test_a_kpi_no_run_has_is_no_data_not_noise() -> None:
    report = judge({"a": _runs([1, 2]), "b": _runs([1, 2])})
    verdict = report.verdicts["b"]["cost"]
    assert verdict.verdict is Verdict.NO_DATA
    assert math.isnan(verdict.difference)


def test_cost_and_utilisation_differences_read_as_money_and_points() -> None:
    assert format_difference("cost", 8500) == "+¥8,500"
    assert format_difference("cost", -125_000) == "−12.5 万元"
    assert format_difference("set_utilisation", 0.012) == "+1.2 个百分点"


def test_the_reference_is_the_first_variant_unless_named() -> None:
    runs = {"a": _runs([1, 2]), "b": _runs([3, 4]), "c": _runs([5, 6])}
    assert judge(runs).reference == "a"
    assert set(judge(runs).verdicts) == {"b", "c"}
    assert set(judge(runs, "c").verdicts) == {"a", "b"}


def test_an_unknown_reference_is_named() -> None:
    with pytest.raises(ValueError, match="'z' is not among the variants: a、b"):
        judge({"a": _runs([1]), "b": _runs([2])}, "z")


def test_no_variants_is_an_error() -> None:
    with pytest.raises(ValueError, match="no variants"):
        judge({})


def test_runs_are_grouped_by_their_sweep_variant_with_the_reference_marked() -> None:
    kpis = [
        sweep_kpis("加1个剧组", 0),
        sweep_kpis("现状", 0, reference=True),
        sweep_kpis("加1个剧组", 1),
        {"scheduled_titles": 5},  # not a sweep run
    ]
    grouped, reference = runs_by_variant(kpis)
    assert list(grouped) == ["加1个剧组", "现状"]
    assert [len(v) for v in grouped.values()] == [2, 1]
    assert reference == "现状"


def test_runs_without_a_reference_mark_have_none() -> None:
    _, reference = runs_by_variant([sweep_kpis("a", 0), sweep_kpis("b", 0)])
    assert reference is None


def test_report_lines_name_variant_reference_and_verdict() -> None:
    report = judge({"现状": _runs([1250, 1255]), "加1个剧组": _runs([1252, 1254])})
    (titles, priority) = report.lines()
    assert titles.startswith("加1个剧组 对比 vs 现状 · 已排剧目 scheduled titles：")
    assert NOISE_WORDS in titles
    assert "没有结果" in priority  # no priority in these runs


def test_a_variant_whose_runs_all_failed_has_no_data_and_no_seeds() -> None:
    report = judge({"现状": _runs([1250, 1255]), "停基地": []})
    assert report.variants["停基地"].n == 0
    assert report.verdicts["停基地"]["scheduled_titles"].verdict is Verdict.NO_DATA
    assert report.variants["停基地"].bound_text == "无已证上界"


def test_runs_without_a_seed_still_count() -> None:
    ranges = variant_ranges("x", [{"scheduled_titles": 3}, {"scheduled_titles": 5}])
    assert ranges.seeds == (None, None)
    assert ranges.ranges["scheduled_titles"].n == 2
