"""演员日程表 DOOD (Day-out-of-Days): codes per actor and day, totals, the cost of holding and the
workbook, on :func:`tests.factories.dood_scenario` (a plan the checker accepts; days 0–7 are
12-01 … 12-08). Rules come in pairs: a case that codes a day one way, and one that does not."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime

import openpyxl
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.app.dood import (
    ACTORS_SHEET,
    LEGEND_SHEET,
    TITLES_SHEET,
    actor_dood,
    dood_totals,
    dood_workbook,
    engagements,
    legend,
    planned_titles,
    title_dood,
)
from scheduler.app.exports import day_label
from scheduler.domain.model import Actor
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.scenes import Scene
from tests.factories import breakdown_title, day, dood_scenario, small_scenario

DAYS = [day_label(day(n)) for n in range(8)]


def codes(frame: pd.DataFrame, title_id: str, actor_id: str) -> list[str]:
    """The row's day cells, day 0 first."""
    row = frame[
        (frame["剧目编号 title id"] == title_id) & (frame["演员编号 actor id"] == actor_id)
    ]
    assert len(row) == 1, (title_id, actor_id)
    return [str(row.iloc[0][label]) for label in DAYS]


def test_an_actor_in_days_1_and_3_of_a_4_day_title_is_held_between():
    # rule 10: A1 has scenes on days 0 and 2 of T1 → booked day 1 too, without a scene
    frame = title_dood(*dood_scenario())
    assert codes(frame, "T1", "A1")[:4] == ["SW", "H", "WF", ""]


def test_an_actor_with_a_scene_every_day_is_never_held():
    frame = title_dood(*dood_scenario())
    assert codes(frame, "T1", "A3")[:4] == ["SW", "W", "W", "WF"]


def test_an_actor_of_one_day_is_swf_and_free_on_the_others():
    frame = title_dood(*dood_scenario())
    assert codes(frame, "T1", "A2") == ["", "SWF", "", "", "", "", "", ""]


def test_a_title_without_scenes_works_its_whole_cast_every_shoot_day():
    frame = title_dood(*dood_scenario())
    assert codes(frame, "T2", "A4") == ["", "W", "W", "", "", "", "", ""]
    assert codes(frame, "T2", "A5")[1:3] == ["W", "W"]
    assert codes(frame, "T4", "A4")[4] == "W"


def test_travel_days_precede_a_title_in_another_city_up_to_the_travel_days():
    # 郑州 → 开封 takes 2 days: A3 (free on 4 and 5) travels both; A5, free from day 3,
    # travels only days 4 and 5
    frame = title_dood(*dood_scenario())
    assert codes(frame, "T3", "A3") == ["", "", "", "", "T", "T", "SWF", ""]
    assert codes(frame, "T3", "A5") == ["", "", "", "", "T", "T", "SWF", ""]


def test_no_travel_before_a_title_in_the_same_city():
    # A4: T2 in 郑州 on days 1–2, T4 in 郑州 on day 4 — day 3 is a day off, not travel
    frame = title_dood(*dood_scenario())
    assert codes(frame, "T4", "A4") == ["", "", "", "", "W", "", "", ""]


def test_travel_fills_only_the_free_days_there_are():
    # T3 moved to day 5: A3 finished T1 on day 3, so only day 4 is free for the 2-day trip
    scenario, plan = dood_scenario()
    shoots = tuple(replace(s, date=day(5)) if s.title_id == "T3" else s for s in plan.shoots)
    frame = title_dood(scenario, Plan(shoots))
    assert codes(frame, "T3", "A3") == ["", "", "", "", "T", "SWF", "", ""]


def test_totals_and_the_cost_of_holding():
    frame = title_dood(*dood_scenario())
    a1 = frame[frame["演员编号 actor id"] == "A1"].iloc[0]
    assert (a1["工作 worked"], a1["待命 held"], a1["路程 travel"]) == (2, 1, 0)
    assert (a1["日薪 day rate"], a1["待命成本 hold cost"]) == (1000, 1000)
    actors = actor_dood(*dood_scenario()).set_index("演员编号 actor id")
    assert actors.loc[
        "A3", ["剧目数 titles", "工作 worked", "待命 held", "路程 travel"]
    ].tolist() == [
        2,
        5,
        0,
        2,
    ]
    assert actors.loc["A1", "待命成本 hold cost"] == 1000
    assert actors.loc["A3", "待命成本 hold cost"] == 0
    assert dood_totals(*dood_scenario()) == {
        "工作 worked": 2 + 4 + 1 + 2 + 2 + 1 + 1 + 1,
        "待命 held": 1,
        "路程 travel": 4,
        "待命成本 hold cost": 1000,
    }


def test_per_actor_cells_name_the_title():
    actors = actor_dood(*dood_scenario()).set_index("演员编号 actor id")
    assert [actors.loc["A3", label] for label in DAYS] == [
        "SW：T1",
        "W：T1",
        "W：T1",
        "WF：T1",
        "T：T3",
        "T：T3",
        "SWF：T3",
        "",
    ]
    assert list(actors.index) == ["A1", "A2", "A3", "A4", "A5"]


def test_one_titles_table_spans_its_travel_and_shoot_days():
    frame = title_dood(*dood_scenario(), "T3")
    assert list(frame["演员编号 actor id"]) == ["A3", "A5"]
    assert list(frame.columns[-3:]) == DAYS[4:7]
    assert planned_titles(*dood_scenario()) == {
        "T1": "《剧目T1》（T1）",
        "T2": "《剧目T2》（T2）",
        "T3": "《剧目T3》（T3）",
        "T4": "《剧目T4》（T4）",
    }


def test_codes_follow_the_plans_scene_order_not_the_files():
    # the plan shoots s3 on day 1 and s2 on day 2: A1 now works days 0–1 and is never held
    scenario, plan = dood_scenario()
    swap = {"s2": ("s3",), "s3": ("s2",)}
    shoots = tuple(
        replace(s, scenes=swap.get(s.scenes[0], s.scenes)) if s.title_id == "T1" else s
        for s in plan.shoots
    )
    frame = title_dood(scenario, Plan(shoots))
    assert codes(frame, "T1", "A1")[:4] == ["SW", "WF", "", ""]
    assert codes(frame, "T1", "A2")[:4] == ["", "", "SWF", ""]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sets(st.sampled_from(["A1", "A2", "A3"])), min_size=1, max_size=6))
def test_booked_days_are_exactly_those_scenario_books_by_day(day_casts: list[set[str]]):
    """Whatever the scenes' casts, worked and held days are :meth:`Scenario.booked_by_day`'s
    booking of the plan's days (every scene fills its own day, so the order is 0, 1, …)."""
    scenes = [
        Scene("T1", f"s{n}", "办公室", 400, tuple(sorted(c))) for n, c in enumerate(day_casts)
    ]
    title = breakdown_title("T1", "剧目T1", "都市", scenes, cast=())
    scenario = small_scenario(
        [title], days=8, actors=tuple(Actor(a, a, 100) for a in ("A1", "A2", "A3"))
    )
    plan = Plan(
        tuple(Shoot("T1", day(n), "B1", "S1", "C1", (f"s{n}",)) for n in range(len(scenes)))
    )
    booked = scenario.booked_by_day(title, tuple(range(len(scenes))))
    found = {e.actor_id: e for e in engagements(scenario, plan)}
    for n, cast in enumerate(booked):
        assert {a for a, e in found.items() if e.codes.get(day(n), "") != ""} == set(cast)
        working = {a for a, e in found.items() if e.codes.get(day(n)) not in (None, "H")}
        assert working == day_casts[n]


def test_workbook_has_date_headers_codes_and_a_legend():
    scenario, plan = dood_scenario()
    book = openpyxl.load_workbook(io.BytesIO(dood_workbook(scenario, plan, 2)))
    assert book.sheetnames == [TITLES_SHEET, ACTORS_SHEET, LEGEND_SHEET]
    titles = book[TITLES_SHEET]
    header = [cell.value for cell in titles[1]]
    assert header[:4] == ["剧目编号 title id", "剧目 title", "演员编号 actor id", "演员 actor"]
    days = header[-8:]
    assert days == [datetime(2026, 12, n) for n in range(1, 9)]
    assert titles.cell(row=1, column=len(header)).number_format == "mm-dd"
    first = [cell.value for cell in titles[3]]  # under the weekday row: T1 / A1
    assert first[:4] == ["T1", "剧目T1", "A1", "演员1"]
    assert first[-8:-4] == ["SW", "H", "WF", None]
    assert first[8] == 1000  # 待命成本 hold cost
    legend_rows = [tuple(cell.value for cell in row) for row in book[LEGEND_SHEET].iter_rows()]
    assert [row[0] for row in legend_rows[1:]] == ["SW", "W", "WF", "SWF", "H", "T", "（空白）"]
    assert len(legend()) == 7


def test_workbook_writes_a_name_beginning_with_a_formula_character_as_text():
    scenario, plan = dood_scenario()
    actors = (replace(scenario.actors[0], name="=1+1"), *scenario.actors[1:])
    titles = (replace(scenario.titles[0], name="@剧目"), *scenario.titles[1:])
    book = openpyxl.load_workbook(
        io.BytesIO(dood_workbook(replace(scenario, actors=actors, titles=titles), plan))
    )
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    first = [cell.value for cell in book[TITLES_SHEET][3]]
    assert first[1:4] == ["'@剧目", "A1", "'=1+1"]
    assert book[ACTORS_SHEET]["B3"].value == "'=1+1"
    assert book[ACTORS_SHEET]["B4"].value == "演员2"  # a plain name is left alone
