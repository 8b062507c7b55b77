"""The Utilisation page's tables: set-days by base and day, the base manager's grid, idle
set-days, KPI cards — on the tutorial (2 bases × 2 sets, 7 days) with hand-made plans."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from scheduler.app import utilisation as u
from scheduler.check.kpis import compute_kpis
from scheduler.domain.model import Scenario, Unavailability
from scheduler.domain.money import format_cny
from scheduler.domain.plan import Plan, Shoot
from scheduler.services.planning import plan_scenario
from tests.factories import dec, shoot_plan, shoot_run


def two_titles() -> Plan:
    """T1 at B1 (S1 on 12-01, S2 on 12-02) by C1; T2 at B2 on S3, 12-01 and 12-02, by C2."""
    return shoot_plan(
        shoot_run("T1", 1, "B1", ["S1", "S2"], "C1"),
        shoot_run("T2", 1, "B2", ["S3", "S3"], "C2"),
        unscheduled={"T3": "no 医院 set free", "T4": "x", "T5": "x", "T6": "x"},
    )


def kpis_of(scenario: Scenario, plan: Plan, bound: int | None = None) -> dict:
    return compute_kpis(scenario, plan, status="feasible", priority_bound=bound, solve_seconds=0)


def cell(frame, **where):  # one row of a long frame, by column values
    mask = True
    for column, value in where.items():
        mask = mask & (frame[column] == value)
    rows = frame[mask]
    assert len(rows) == 1, where
    return rows.iloc[0]


def test_set_days_by_base_day_counts_booked_and_available_sets(tutorial: Scenario) -> None:
    frame = u.set_days_by_base_day(tutorial, two_titles())
    assert len(frame) == 2 * 7  # every base on every day, even with nothing booked
    # 12-01: B1 books S1 of its 2 sets, B2 books S3 of its 2; 12-03: nothing booked.
    assert cell(frame, base_id="B1", date="2026-12-01")[["booked", "available"]].tolist() == [1, 2]
    assert cell(frame, base_id="B2", date="2026-12-02")["utilisation"] == 0.5
    assert cell(frame, base_id="B1", date="2026-12-03")["booked"] == 0
    assert cell(frame, base_id="B1", date="2026-12-01")["base"] == "郑州金水影视基地"


def test_a_closed_base_has_nothing_available(tutorial: Scenario) -> None:
    closed = replace(tutorial, unavailable=(Unavailability("base", "B2", dec(3), dec(4)),))
    frame = u.set_days_by_base_day(closed, two_titles())
    row = cell(frame, base_id="B2", date="2026-12-03")
    assert (row["booked"], row["available"]) == (0, 0)
    assert math.isnan(row["utilisation"])
    assert cell(frame, base_id="B2", date="2026-12-05")["available"] == 2


def test_base_day_totals_agree_with_the_kpis_on_a_solver_plan(tutorial: Scenario) -> None:
    outcome = plan_scenario(tutorial, time_limit=5)
    assert outcome.ok
    frame = u.set_days_by_base_day(tutorial, outcome.plan)
    totals = frame.groupby("base_id")[["booked", "available"]].sum()
    for base_id, ratio in outcome.kpis["set_utilisation_by_base"].items():
        booked, available = totals.loc[base_id]
        assert round(booked / available, 4) == ratio
    assert frame["booked"].sum() == len(outcome.plan.shoots)


def test_base_grid_shows_who_books_each_set_day(tutorial: Scenario) -> None:
    grid = u.base_grid(tutorial, two_titles(), "B1")
    assert len(grid) == 2 * 7  # S1 and S2 on 7 days; B2's sets are not in it
    assert set(grid["set_id"]) == {"S1", "S2"}
    booked = cell(grid, set_id="S1", date="2026-12-01")
    assert booked["state"] == u.BOOKED
    assert (booked["title"], booked["crew"]) == ("闪婚后霸总他真香了", "张导剧组")
    assert booked["cast"] == "林婉儿、陈子轩"
    idle = cell(grid, set_id="S1", date="2026-12-02")  # T1 moved to S2 that day
    assert idle["state"] == u.IDLE and idle["title"] == ""
    assert cell(grid, set_id="S2", date="2026-12-02")["title_id"] == "T1"


def test_base_grid_marks_closed_set_days_closed_even_if_booked(tutorial: Scenario) -> None:
    closed = replace(tutorial, unavailable=(Unavailability("set", "S1", dec(1), dec(1)),))
    grid = u.base_grid(closed, two_titles(), "B1")
    assert cell(grid, set_id="S1", date="2026-12-01")["state"] == u.CLOSED
    assert cell(grid, set_id="S1", date="2026-12-02")["state"] == u.IDLE
    summary = u.base_summary(grid).set_index("set_type")
    # 办公室 = S1: closed 12-01, idle the other 6 days; 别墅 = S2: booked 12-02, idle 6.
    assert summary.loc["办公室", ["booked", "idle", "closed"]].tolist() == [0, 6, 1]
    assert summary.loc["别墅", ["booked", "idle", "closed"]].tolist() == [1, 6, 0]
    assert summary.loc["别墅", "utilisation"] == round(1 / 7, 4)


def test_base_grid_refuses_an_unknown_base(tutorial: Scenario) -> None:
    with pytest.raises(KeyError, match="B9"):
        u.base_grid(tutorial, two_titles(), "B9")


def test_idle_set_days_are_available_minus_booked(tutorial: Scenario) -> None:
    plan = two_titles()
    idle = u.idle_set_days_frame(kpis_of(tutorial, plan), tutorial)
    per_base = idle.groupby("base_id")["idle_set_days"].sum()
    # each base: 2 sets × 7 days = 14 available; 2 booked each
    assert per_base.to_dict() == {"B1": 12, "B2": 12}
    table = u.idle_set_days_table(idle)
    # the tutorial's week runs Tue 12-01 … Mon 12-07: calendar weeks 49 and 50
    weeks = ["第49周 12-01~12-06", "第50周 12-07~12-07"]
    assert list(table.columns) == ["base", "set_type", *weeks, "total"]
    row = table[(table["base"] == "郑东新区短剧产业园") & (table["set_type"] == "医院")]
    assert row["total"].tolist() == [5]  # S3 booked on 12-01 and 12-02
    assert row[weeks].values.tolist() == [[4, 1]]


def test_kpi_cards_measure_against_the_targets(tutorial: Scenario) -> None:
    kpis = kpis_of(tutorial, two_titles(), bound=9)
    cards = {card.label: card for card in u.kpi_cards(kpis)}
    # tutorial target: 2 parallel shoots a day; the plan has 2 on 12-01/02, 0 after
    low = cards["并行/天 最少 min parallel"]
    assert (low.value, low.delta) == ("0", "-2 vs 目标 2")
    mean = cards["并行/天 平均 mean parallel"]
    assert mean.value == f"{4 / 7:.1f}"
    priority = cards["优先级 priority / 上界 bound"]
    assert priority.value == "9 / 9"  # T1 (5) + T2 (4)
    assert priority.delta == "最优 optimal"
    cost = cards["成本 cost"]
    assert cost.delta == f"¥{kpis['cost']:,}"
    assert "场景 sets" in (cost.help or "")


def test_kpi_cards_without_a_bound_show_no_delta(tutorial: Scenario) -> None:
    cards = {card.label: card for card in u.kpi_cards(kpis_of(tutorial, two_titles()))}
    assert cards["优先级 priority / 上界 bound"].delta is None
    below = u.kpi_cards(kpis_of(tutorial, two_titles(), bound=14))[-1]
    assert below.delta == "-5 vs 上界 bound"


def test_format_cny_uses_wan_above_ten_thousand() -> None:
    assert format_cny(8500) == "¥8,500"
    assert format_cny(1_234_567) == "123.5 万元"
    assert format_cny(206_217_000) == "20,621.7 万元"


def test_parallel_shoots_against_the_target(tutorial: Scenario) -> None:
    frame = u.parallel_shoots_frame(kpis_of(tutorial, two_titles()))
    assert frame["shoots"].tolist() == [2, 2, 0, 0, 0, 0, 0]
    assert frame["below"].tolist() == [False, False, True, True, True, True, True]
    assert set(frame["target"]) == {2}


def test_crew_utilisation_lowest_first(tutorial: Scenario) -> None:
    plan = Plan((*two_titles().shoots, Shoot("T4", dec(3), "B1", "S2", "C2")))
    frame = u.crew_utilisation_frame(kpis_of(tutorial, plan), tutorial)
    assert frame["crew_id"].tolist() == ["C1", "C2"]  # C1 2 days, C2 3 days of 7
    assert frame["utilisation"].tolist() == [round(2 / 7, 4), round(3 / 7, 4)]
    assert u.labelled(frame).columns[1] == "剧组 crew"


def test_twelve_set_types_get_twelve_colours_on_the_idle_chart() -> None:
    import pandas as pd

    from ui.kpi_charts import idle_bars

    types = [f"类型{n:02d}" for n in range(12)]
    idle = pd.DataFrame(
        {"base": ["郑州影视基地"] * 12, "set_type": types, "idle_set_days": range(1, 13)}
    )
    colours = [trace.marker.color for trace in idle_bars(idle).data]
    assert len(colours) == 12 and len(set(colours)) == 12  # plotly's default cycles after 10
