"""KPIs of one tiny plan, every number worked out by hand in the comments."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from scheduler.check.checker import check_plan
from scheduler.check.kpis import compute_kpis, week_labels
from scheduler.domain.model import (
    Actor,
    Base,
    Crew,
    FilmSet,
    Need,
    Scenario,
    Targets,
    Title,
    Unavailability,
)
from scheduler.domain.plan import Plan, Shoot
from tests.factories import dec as d

# 10 days, Tue 12-01 … Thu 12-10: calendar week 49 is 12-01~12-06 (Tue–Sun, 6 days), week 50
# is 12-07~12-10 (Mon–Thu, 4 days).
# Available set-days: S01 10; S02 8 (broken 12-09 … 12-10); S03 9 (base B02 shut 12-08) = 27.
# Available crew-days: C01 10; C02 8 (away 12-01 … 12-02) = 18.
SCENARIO = Scenario(
    name="KPI 小样",
    start_date=d(1),
    days=10,
    bases=(Base("B01", "郑州影视基地", "郑州"), Base("B02", "横店影视城", "东阳")),
    sets=(
        FilmSet("S01", "B01", "办公室", 800),
        FilmSet("S02", "B01", "医院", 1200),
        FilmSet("S03", "B02", "古装宫殿", 3000),
    ),
    crews=(Crew("C01", "张导组", "B01", 6000), Crew("C02", "李导组", "B02", 5000)),
    actors=(Actor("A01", "刘思雨", 3000), Actor("A02", "陈浩然", 2500)),
    titles=(
        Title("T01", "霸道总裁的契约新娘", "都市", 3, d(1), d(10),
              (Need("办公室", 2), Need("医院", 1)), cast=("A01", "A02")),
        Title("T02", "深宫凤华录", "古装", 2, d(1), d(10), (Need("古装宫殿", 2),)),
        Title("T03", "闪婚后大佬宠我上天", "甜宠", 1, d(1), d(10), (Need("办公室", 1),)),
    ),
    unavailable=(
        Unavailability("set", "S02", d(9), d(10), note="维修"),
        Unavailability("base", "B02", d(8), d(8), note="停电"),
        Unavailability("crew", "C02", d(1), d(2)),
    ),
    targets=Targets(parallel_shoots_per_day=2, titles_per_month=6),
)  # fmt: skip

# T01 by C01 at B01: 12-01 S01, 12-02 S01, 12-03 S02. T02 by C02 at B02: 12-03 … 12-04 on S03.
PLAN = Plan(
    (
        Shoot("T01", d(1), "B01", "S01", "C01"),
        Shoot("T01", d(2), "B01", "S01", "C01"),
        Shoot("T01", d(3), "B01", "S02", "C01"),
        Shoot("T02", d(3), "B02", "S03", "C02"),
        Shoot("T02", d(4), "B02", "S03", "C02"),
    ),
    {"T03": "没有空闲的剧组"},
)


W49, W50 = "第49周 12-01~12-06", "第50周 12-07~12-10"


@pytest.fixture(scope="module")
def kpis() -> dict[str, object]:
    assert check_plan(SCENARIO, PLAN) == []  # the example is a valid plan
    return compute_kpis(SCENARIO, PLAN, status="optimal", priority_bound=5, solve_seconds=1.23456)


def test_counts_and_pass_through(kpis: dict[str, object]) -> None:
    # T01 (priority 3) and T02 (2) are scheduled; T03 is not.
    assert kpis["status"] == "optimal" and kpis["priority_bound"] == 5
    assert kpis["solve_seconds"] == 1.235
    assert (kpis["scheduled_titles"], kpis["unscheduled_titles"], kpis["shoots"]) == (2, 1, 5)
    assert kpis["priority_scheduled"] == 5


def test_proof_time_passes_through_rounded_like_solve_seconds() -> None:
    # A solve that proved its priority at 0.31234 s and ended at 1.23456 s (cost after).
    kpis = compute_kpis(
        SCENARIO,
        PLAN,
        status="optimal",
        priority_bound=5,
        solve_seconds=1.23456,
        priority_proven_seconds=0.31234,
    )
    assert (kpis["priority_proven_seconds"], kpis["solve_seconds"]) == (0.312, 1.235)


def test_no_proof_time_is_null(kpis: dict[str, object]) -> None:
    # The fixture's solver said nothing of a proof time: the key is there, null.
    assert "priority_proven_seconds" in kpis and kpis["priority_proven_seconds"] is None


def test_cost_split(kpis: dict[str, object]) -> None:
    # sets: S01 800 × 2 + S02 1200 + S03 3000 × 2 = 8,800
    # crews: C01 6000 × 3 + C02 5000 × 2 = 28,000
    # actors: T01's cast A01 3000 + A02 2500, on 3 days = 16,500; T02 has no cast
    assert kpis["cost_split"] == {"sets": 8800, "crews": 28000, "actors": 16500}
    assert kpis["cost"] == 53300


def test_parallel_shoots_and_targets(kpis: dict[str, object]) -> None:
    # T01 on 12-01 … 12-03, T02 on 12-03 … 12-04.
    assert kpis["parallel_shoots_per_day"] == [1, 1, 2, 1, 0, 0, 0, 0, 0, 0]
    assert kpis["parallel_shoots"] == {"min": 0, "mean": 0.5, "max": 2}
    assert kpis["dates"] == [d(day).isoformat() for day in range(1, 11)]
    # Target 2 a day: 9 days below it, short by 1 + 1 + 0 + 1 + 2 × 6 = 15 shoots.
    # 2 titles finish in 10 days = 6.0 per 30 days, which meets the target of 6.
    assert kpis["titles_finished"] == 2 and kpis["titles_per_30_days"] == 6.0
    assert kpis["targets"] == {"parallel_shoots_per_day": 2, "titles_per_month": 6}
    assert kpis["target_gaps"] == {
        "days_below_parallel_target": 9,
        "parallel_shortfall": 15,
        "titles_per_30_days_gap": 0.0,
    }


def test_set_utilisation(kpis: dict[str, object]) -> None:
    # 5 booked set-days of 27 available.
    assert kpis["set_utilisation"] == pytest.approx(5 / 27, abs=1e-4)
    # B01: 3 of 10 + 8; B02: 2 of 9.
    assert kpis["set_utilisation_by_base"] == {"B01": 0.1667, "B02": 0.2222}
    # 办公室 2 of 10; 医院 1 of 8; 古装宫殿 2 of 9 (sorted by set type).
    assert kpis["set_utilisation_by_set_type"] == {
        "办公室": 0.2,
        "医院": 0.125,
        "古装宫殿": 0.2222,
    }
    by_day = kpis["set_utilisation_by_day"]
    assert isinstance(by_day, dict)
    # 3 sets open on 12-01 … 12-07; 12-03 has 2 of them booked; 12-08 … 12-10 nothing booked.
    assert list(by_day.values()) == [0.3333, 0.3333, 0.6667, 0.3333, 0, 0, 0, 0, 0, 0]
    # Week 49: 5 of 18. Week 50: 0 of 4 (S01) + 2 (S02 on 12-07 … 12-08) + 3 (S03, shut 12-08).
    assert kpis["set_utilisation_by_week"] == {W49: 0.2778, W50: 0.0}


def test_idle_set_days_by_base_type_and_week(kpis: dict[str, object]) -> None:
    # Available minus booked: S01 6 − 2 and 4 − 0; S02 6 − 1 and 2 − 0; S03 6 − 2 and 3 − 0.
    assert kpis["idle_set_days"] == {
        "B01": {"办公室": {W49: 4, W50: 4}, "医院": {W49: 5, W50: 2}},
        "B02": {"古装宫殿": {W49: 4, W50: 3}},
    }


def test_crew_utilisation(kpis: dict[str, object]) -> None:
    # C01 3 of 10; C02 2 of 8; together 5 of 18.
    assert kpis["crew_utilisation_by_crew"] == {"C01": 0.3, "C02": 0.25}
    assert kpis["crew_utilisation"] == 0.2778


def test_kpis_are_plain_json(kpis: dict[str, object]) -> None:
    text = json.dumps(kpis, ensure_ascii=False)
    assert json.loads(text) == kpis
    for key in (
        "status", "scheduled_titles", "unscheduled_titles", "priority_scheduled",
        "priority_bound", "cost", "parallel_shoots_per_day", "titles_per_30_days",
        "set_utilisation", "solve_seconds",
    ):  # fmt: skip
        assert key in kpis  # the keys the SPEC promises


def test_empty_plan_and_unknown_bound() -> None:
    # Nothing booked: zero cost and use, every available set-day idle, no bound known.
    kpis = compute_kpis(
        SCENARIO, Plan(), status="infeasible", priority_bound=None, solve_seconds=0
    )
    assert kpis["priority_bound"] is None and kpis["cost"] == 0
    assert kpis["set_utilisation"] == 0.0 and kpis["titles_per_30_days"] == 0.0
    assert kpis["idle_set_days"]["B02"] == {"古装宫殿": {W49: 6, W50: 3}}


def test_weeks_of_a_31_day_month_are_calendar_weeks() -> None:
    # December 2026 starts on a Tuesday; 2026 has 53 ISO weeks (1 January was a Thursday).
    month = replace(SCENARIO, days=31)
    assert week_labels(month) == [
        "第49周 12-01~12-06", "第50周 12-07~12-13", "第51周 12-14~12-20",
        "第52周 12-21~12-27", "第53周 12-28~12-31",
    ]  # fmt: skip


def test_a_horizon_from_a_monday_starts_with_a_whole_week() -> None:
    from_monday = replace(SCENARIO, start_date=d(7), days=8)
    assert week_labels(from_monday) == ["第50周 12-07~12-13", "第51周 12-14~12-14"]
