"""Gantt rows of a plan: blocks cover every shoot once, split where a shoot run breaks; views,
filters, and the month plan drawn in well under the issue's 2 s."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from scheduler.app import gantt
from scheduler.domain.model import Pin, Scenario
from scheduler.domain.plan import Plan, Shoot
from scheduler.io.validation import load_scenario
from solver.slate.greedy import greedy_plan
from tests.factories import SAMPLES, day
from ui.gantt_charts import gantt_figure


@pytest.fixture(scope="module")
def month() -> tuple[Scenario, Plan]:
    scenario = load_scenario(SAMPLES / "zhengzhou-month")
    return scenario, greedy_plan(scenario)


def shoots_of_blocks(blocks: pd.DataFrame) -> list[tuple[str, date, str, str, str]]:
    """Every (title, date, base, set, crew) a block covers, once per day of it."""
    covered = []
    for row in blocks.itertuples():
        for n in range(row.days):
            when = (row.start + pd.Timedelta(days=n)).date()
            covered.append((row.title_id, when, row.base_id, row.set_id, row.crew_id))
    return covered


def as_rows(plan: Plan) -> list[tuple[str, date, str, str, str]]:
    return [(s.title_id, s.date, s.base_id, s.set_id, s.crew_id) for s in plan.shoots]


def test_every_shoot_of_the_month_plan_is_in_exactly_one_block(
    month: tuple[Scenario, Plan],
) -> None:
    scenario, plan = month
    blocks = gantt.shoot_blocks(scenario, plan)
    assert len(blocks) < len(plan.shoots)  # multi-day blocks were merged
    assert sorted(shoots_of_blocks(blocks)) == sorted(as_rows(plan))
    assert (blocks["finish"] - blocks["start"]).dt.days.tolist() == blocks["days"].tolist()


def test_a_block_splits_where_days_are_not_contiguous_or_the_set_changes(
    tutorial: Scenario,
) -> None:
    # T6 on S1 on days 0, 1 and 3 (a gap): two blocks; T1 on S1 then S2 on days 4, 5: two
    # blocks although the days are contiguous; T2 on S3 on days 1, 2: one block
    plan = Plan(
        shoots=(
            Shoot("T6", day(0), "B1", "S1", "C1"),
            Shoot("T6", day(1), "B1", "S1", "C1"),
            Shoot("T6", day(3), "B1", "S1", "C1"),
            Shoot("T1", day(4), "B1", "S1", "C1"),
            Shoot("T1", day(5), "B1", "S2", "C1"),
            Shoot("T2", day(2), "B2", "S3", "C2"),
            Shoot("T2", day(1), "B2", "S3", "C2"),
        )
    )
    blocks = gantt.shoot_blocks(tutorial, plan)
    spans = sorted(
        (r.title_id, r.set_id, r.start.date(), r.finish.date(), r.days)
        for r in blocks.itertuples()
    )
    assert spans == [
        ("T1", "S1", day(4), day(5), 1),
        ("T1", "S2", day(5), day(6), 1),
        ("T2", "S3", day(1), day(3), 2),
        ("T6", "S1", day(0), day(2), 2),
        ("T6", "S1", day(3), day(4), 1),
    ]
    assert sorted(shoots_of_blocks(blocks)) == sorted(as_rows(plan))


def test_blocks_carry_chinese_names_cast_and_pins(tutorial: Scenario) -> None:
    pinned = replace(tutorial, pins=(Pin("T1", crew_id="C1"),))
    plan = Plan(
        shoots=(Shoot("T1", day(3), "B1", "S1", "C1"), Shoot("T2", day(1), "B2", "S3", "C1"))
    )
    blocks = gantt.shoot_blocks(pinned, plan).set_index("title_id")
    t1 = blocks.loc["T1"]
    assert t1["title"] == "T1 闪婚后霸总他真香了"
    assert t1["crew"] == "C1 张导剧组"
    assert t1["base"] == "B1 郑州金水影视基地"
    assert t1["set"] == "S1 办公室"
    assert t1["cast"] == "林婉儿、陈子轩"
    assert t1["dates"] == "12-04"
    assert bool(t1["pinned"]) and not bool(blocks.loc["T2", "pinned"])
    crew_rows = gantt.rows_by_crew(gantt.shoot_blocks(pinned, plan))
    t1_bar = crew_rows.set_index("title_id").loc["T1"]
    assert t1_bar["text"] == "【钉】T1 闪婚后霸总他真香了"
    assert t1_bar["dates"] == "12-04"  # one day: no range


def test_views_give_one_bar_per_title_per_crew_and_per_cast_member(
    month: tuple[Scenario, Plan],
) -> None:
    scenario, plan = month
    blocks = gantt.shoot_blocks(scenario, plan)
    scheduled = plan.scheduled_title_ids
    by_crew = gantt.rows_by_crew(blocks)
    assert sorted(by_crew["title_id"]) == sorted(scheduled)
    assert by_crew["days"].sum() == len(plan.shoots)
    by_actor = gantt.rows_by_actor(scenario, blocks)
    assert len(by_actor) == sum(len(scenario.title_by_id[t].cast) for t in scheduled)
    by_set = gantt.rows_by_set(blocks)
    assert len(by_set) == len(blocks) and by_set["row"].str.contains(" · ").all()
    by_title = gantt.rows_by_title(blocks)
    assert by_title["row"].nunique() == len(scheduled)
    first_starts = by_title.groupby("row", sort=False)["start"].min()
    assert first_starts.is_monotonic_increasing  # rows in start order


def test_filters_keep_only_the_chosen_bases_crews_genres_and_dates(
    month: tuple[Scenario, Plan],
) -> None:
    scenario, plan = month
    blocks = gantt.shoot_blocks(scenario, plan)
    base = blocks["base_id"].iloc[0]
    crew = blocks["crew_id"].iloc[0]
    genre = blocks["genre"].iloc[0]
    assert set(gantt.filter_blocks(blocks, bases=[base])["base_id"]) == {base}
    assert set(gantt.filter_blocks(blocks, crews=[crew])["crew_id"]) == {crew}
    assert set(gantt.filter_blocks(blocks, genres=[genre])["genre"]) == {genre}
    week = gantt.filter_blocks(blocks, first=day(7), last=day(13))
    assert len(week) > 0
    assert (week["finish"] > pd.Timestamp(day(7))).all()
    assert (week["start"] <= pd.Timestamp(day(13))).all()
    assert len(gantt.filter_blocks(blocks)) == len(blocks)
    both = gantt.filter_blocks(blocks, bases=[base], crews=[crew])
    assert ((both["base_id"] == base) & (both["crew_id"] == crew)).all()


def test_unscheduled_table_lists_every_left_out_title_with_its_reason(
    month: tuple[Scenario, Plan],
) -> None:
    scenario, plan = month
    table = gantt.unscheduled_table(scenario, plan)
    assert len(table) == len(plan.unscheduled) > 0
    assert table["原因 reason"].str.len().gt(0).all()
    assert table["优先级 priority"].is_monotonic_decreasing


def test_empty_plan_gives_empty_rows(tutorial: Scenario) -> None:
    blocks = gantt.shoot_blocks(tutorial, Plan())
    assert blocks.empty and list(blocks.columns) == list(gantt.BLOCK_COLUMNS)
    assert gantt.rows_by_crew(blocks).empty
    assert gantt.rows_by_actor(tutorial, blocks).empty


def test_month_gantt_rows_and_figures_build_in_under_two_seconds(
    month: tuple[Scenario, Plan],
) -> None:
    scenario, plan = month
    gantt_figure(gantt.rows_by_set(gantt.shoot_blocks(scenario, plan)), "set")  # plotly warm-up
    started = time.perf_counter()
    blocks = gantt.shoot_blocks(scenario, plan)
    views = {
        "crew": gantt.rows_by_crew(blocks),
        "set": gantt.rows_by_set(blocks),
        "title": gantt.rows_by_title(blocks),
        "actor": gantt.rows_by_actor(scenario, blocks),
    }
    figures = {
        view: gantt_figure(rows, view, scenario.start_date, scenario.end_date)
        for view, rows in views.items()
    }
    seconds = time.perf_counter() - started
    assert seconds < 2.0, f"the month's four Gantt charts took {seconds:.2f} s"
    bars = sum(len(trace.base) for trace in figures["set"].data)
    assert bars == len(blocks)
    hover = figures["crew"].data[0].hovertemplate
    assert "剧组 Crew" in hover and "演员 Cast" in hover and "场景 Set" in hover
