"""Calendar weeks: Monday–Sunday with ISO numbers, the horizon's days only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from scheduler.domain.weeks import calendar_weeks, week_index_of_days
from solver.capacity.model import calendar_buckets
from tests.factories import tiny_scenario


def test_a_horizon_from_a_monday_is_whole_weeks() -> None:
    weeks = calendar_weeks(date(2026, 12, 7), 14)
    assert [(w.number, len(w)) for w in weeks] == [(50, 7), (51, 7)]
    assert [w.first.weekday() for w in weeks] == [0, 0]  # both begin on a Monday
    assert weeks[0].label == "第50周 12-07~12-13"


def test_a_horizon_from_a_tuesday_begins_with_the_rest_of_its_week() -> None:
    weeks = calendar_weeks(date(2026, 12, 1), 10)
    assert [(w.label, w.first_day, w.last_day) for w in weeks] == [
        ("第49周 12-01~12-06", 0, 5),
        ("第50周 12-07~12-10", 6, 9),
    ]
    assert week_index_of_days(weeks) == [0] * 6 + [1] * 4


def test_weeks_across_the_new_year_take_the_iso_year_of_their_monday() -> None:
    weeks = calendar_weeks(date(2026, 12, 28), 14)
    assert [(w.iso_year, w.number, w.first.isoformat()) for w in weeks] == [
        (2026, 53, "2026-12-28"),  # 2026 has 53 ISO weeks: 1 January 2026 was a Thursday
        (2027, 1, "2027-01-04"),
    ]


def test_capacity_week_buckets_are_the_calendar_weeks() -> None:
    scenario = replace(tiny_scenario(), start_date=date(2026, 12, 1), days=14)
    buckets = [(b.first, b.last) for b in calendar_buckets(scenario)]
    weeks = calendar_weeks(scenario.start_date, scenario.days)
    assert buckets == [(w.first_day, w.last_day) for w in weeks] == [(0, 5), (6, 12), (13, 13)]


def test_capacity_buckets_of_other_lengths_run_from_the_start() -> None:
    scenario = replace(tiny_scenario(), start_date=date(2026, 12, 1), days=14)
    assert [(b.first, b.last) for b in calendar_buckets(scenario, 5)] == [
        (0, 4),
        (5, 9),
        (10, 13),
    ]


def test_a_horizon_across_two_iso_years_names_the_year_in_each_label() -> None:
    weeks = calendar_weeks(date(2027, 12, 27), 14)  # Mon 12-27 … Sun 2028-01-09
    assert [w.label for w in weeks] == ["2027年第52周 12-27~01-02", "2028年第1周 01-03~01-09"]


def test_a_horizon_inside_one_iso_year_names_no_year() -> None:
    assert calendar_weeks(date(2027, 12, 6), 14)[0].label == "第49周 12-06~12-12"
