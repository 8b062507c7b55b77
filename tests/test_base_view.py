"""The base manager's screen: one base, one calendar week, free set-days by set type."""

from __future__ import annotations

from datetime import date

import pytest

from scheduler.app import base_view as b
from scheduler.app import utilisation as u
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.weeks import Week, calendar_weeks
from tests.factories import dec

# The tutorial's base B2 (郑东新区短剧产业园) has S3 医院 and S4 办公室; its week runs Tue
# 12-01 … Mon 12-07: calendar week 49 is 12-01~12-06, week 50 is Mon 12-07 alone.


def two_titles() -> Plan:
    """T2 on S3 医院 12-01 … 12-02 (C2), T6 on S4 办公室 12-06 … 12-07 (C2)."""
    return Plan(
        (
            Shoot("T2", dec(1), "B2", "S3", "C2"),
            Shoot("T2", dec(2), "B2", "S3", "C2"),
            Shoot("T6", dec(6), "B2", "S4", "C2"),
            Shoot("T6", dec(7), "B2", "S4", "C2"),
        ),
        {},
    )


def week_tables(tutorial: Scenario, index: int) -> tuple[Week, object]:
    weeks = b.weeks_of(tutorial)
    grid = b.week_grid(u.base_grid(tutorial, two_titles(), "B2"), weeks[index])
    return weeks[index], b.free_by_set_type(grid, weeks[index])


def test_free_set_days_are_open_and_unbooked_in_the_week(tutorial: Scenario) -> None:
    week, free = week_tables(tutorial, 0)
    rows = free.set_index("set_type")
    # 医院 S3: 6 open, booked 12-01 and 12-02 -> free 12-03 … 12-06
    assert rows.loc["医院", ["sets", "open", "booked", "free", "closed"]].tolist() == [
        1,
        6,
        2,
        4,
        0,
    ]
    assert rows.loc["医院", "free_days"] == "S3 12-03、12-04、12-05、12-06"
    # 办公室 S4: booked 12-06 only
    assert rows.loc["办公室", "free"] == 5
    sentence = b.base_week(tutorial, "B2", free, week).sentence()
    assert sentence.startswith(
        "郑东新区短剧产业园（B2） 第49周 12-01~12-06：2 个场景、12 个开放棚日"
    )
    assert "已订 3，不影响现排期可出租 9，停用 0" in sentence


def test_a_set_free_all_week_says_so_and_a_booked_one_is_not_free(tutorial: Scenario) -> None:
    _week, free = week_tables(tutorial, 1)  # Mon 12-07: S4 booked by T6, S3 free
    rows = free.set_index("set_type")
    assert rows.loc["医院", "free_days"] == "S3 整周"
    assert rows.loc["办公室", ["booked", "free", "free_days"]].tolist() == [1, 0, ""]


def test_a_closed_set_is_neither_free_nor_booked(tutorial: Scenario) -> None:
    from dataclasses import replace

    from scheduler.domain.model import Unavailability

    closed = replace(tutorial, unavailable=(Unavailability("set", "S3", dec(3), dec(4)),))
    weeks = b.weeks_of(closed)
    grid = b.week_grid(u.base_grid(closed, two_titles(), "B2"), weeks[0])
    rows = b.free_by_set_type(grid, weeks[0]).set_index("set_type")
    assert rows.loc["医院", ["open", "booked", "free", "closed"]].tolist() == [4, 2, 2, 2]


def test_the_week_asked_about_first_is_next_week() -> None:
    weeks = calendar_weeks(date(2026, 12, 1), 31)
    assert weeks[b.default_week(weeks, date(2026, 12, 4))].label == "第50周 12-07~12-13"
    assert weeks[b.default_week(weeks, date(2026, 12, 30))].label == "第53周 12-28~12-31"
    assert b.default_week(weeks, date(2027, 3, 1)) == 0  # after the horizon: its first week


def test_the_bound_table_takes_its_base_and_week_only() -> None:
    import pandas as pd

    idle = pd.DataFrame(
        {
            "基地": ["B2 郑东新区短剧产业园", "B2 郑东新区短剧产业园", "B1 金水"],
            "场景类型": ["医院", "医院", "医院"],
            "周": ["第49周 12-01~12-06", "第50周 12-07~12-07", "第49周 12-01~12-06"],
            "开放棚日": [6, 1, 6],
            "无需求闲置": [2, 0, 1],
            "产能上界允许出租": [4, 1, 3],
        }
    )
    week = calendar_weeks(date(2026, 12, 1), 7)[0]
    bound = b.bound_by_set_type(idle, "B2", week)
    assert bound.to_dict("records") == [
        {"set_type": "医院", "open": 6, "unusable": 2, "sellable": 4}
    ]


def test_today_is_the_producers_day_not_the_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler.domain.local_time import local_today

    monkeypatch.setenv("SHOOTPLAN_TZ", "Etc/GMT-14")  # UTC+14: always a day ahead of UTC−12
    ahead = local_today()
    monkeypatch.setenv("SHOOTPLAN_TZ", "Etc/GMT+12")
    assert local_today() < ahead
