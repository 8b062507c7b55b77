"""The 对比 What-if page in streamlit.testing: the reference is picked (the current scenario's
newest plan by default), three plans and more fit in short-named columns, titles the what-if
forced to move are counted apart from reshuffles, and runs of a sweep show their ranges over
seeds with the noise verdict; with fewer than two plans it explains how to make them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from scheduler.app import compare, sweep_results
from scheduler.check.kpis import compute_kpis
from scheduler.domain.model import Scenario, Unavailability
from scheduler.domain.noise import BEYOND_NOISE_WORDS, NOISE_WORDS
from scheduler.domain.plan import Plan
from scheduler.services.planning import plan_scenario, save_outcome
from scheduler.storage import ScenarioInfo, ScenarioStore
from tests.app_pages import open_page as open_app_page
from tests.factories import (
    outage,
    shoot_plan,
    shoot_run,
    sweep_kpis,
    two_base_plan,
    two_base_scenario,
)


def open_page(info: ScenarioInfo) -> AppTest:
    return open_app_page(info, "whatif.py")


def table_with(app: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe on the page with ``column``."""
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def store_plan(
    store: ScenarioStore, info: ScenarioInfo, scenario: Scenario, plan: Plan, **kpis: Any
) -> int:
    """Store ``plan`` with its computed KPIs, ``kpis`` laid over them."""
    computed = compute_kpis(
        scenario, plan, status="feasible", priority_bound=None, solve_seconds=0
    )
    return store.save_plan(info.scenario_id, info.version, plan, computed | kpis)


def clone_with(store: ScenarioStore, info: ScenarioInfo, name: str, **changes: Any) -> Any:
    """A clone of ``info``'s scenario named ``name`` with ``changes``; (info, scenario)."""
    clone = store.clone(info.scenario_id, name)
    scenario = replace(store.load(info.scenario_id)[0], name=name, **changes)
    version = store.save(clone.scenario_id, scenario, clone.version)
    return replace(clone, version=version), scenario


def test_two_plans_show_kpi_deltas_and_moved_titles(tutorial_db) -> None:
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    outcome = plan_scenario(scenario, time_limit=5)
    base = save_outcome(store, info.scenario_id, version, outcome)
    # what-if: 张导剧组 C1 off 12-01…12-03, in a clone of the scenario
    clone = store.clone(info.scenario_id, "教程 C1 休三天")
    off = Unavailability("crew", "C1", date(2026, 12, 1), date(2026, 12, 3), "休假")
    changed = replace(scenario, name=clone.name, unavailable=(off,))
    new_version = store.save(clone.scenario_id, changed, clone.version)
    what_if = save_outcome(
        store, clone.scenario_id, new_version, plan_scenario(changed, time_limit=5), "C1 休三天"
    )

    app = open_page(info)

    assert not app.exception
    # the reference is the current scenario's plan, not the newer clone's
    assert app.selectbox(key=f"whatif_reference_{info.scenario_id}").value == base
    assert app.multiselect(key=f"whatif_plans_{base}").value == [what_if]
    legend = table_with(app, compare.SHORT_COLUMN)
    assert legend[compare.PLAN_COLUMN].tolist()[1] == f"教程 C1 休三天 · #{what_if} C1 休三天"
    kpis = table_with(app, compare.KPI_COLUMN)
    assert list(kpis.columns) == [compare.KPI_COLUMN, "基准", "方案1", compare.BETTER_COLUMN]
    assert len(kpis) == len(compare.KPI_ROWS)
    assert kpis["方案1"].str.contains("（").all()  # value and Δ in one cell
    # C1 shoots in the first three days of the base plan, so with C1 off something must move
    assert any(s.crew_id == "C1" and s.date.day <= 3 for s in outcome.plan.shoots)
    counts = metrics(app)
    assert int(counts[compare.FORCED]) >= 1
    changes = table_with(app, compare.KIND_COLUMN)
    forced = changes[changes[compare.KIND_COLUMN] == compare.FORCED]
    assert forced[compare.WHY_COLUMN].str.contains("C1").all()
    by_base = table_with(app, compare.BASE_ID_COLUMN)
    assert set(by_base[compare.BASE_ID_COLUMN]) == {"B1", "B2"}
    assert len(app.get("plotly_chart")) == 2
    assert any(caption.value == compare.SINGLE_SOLVE_NOTE for caption in app.caption)


def test_the_same_plan_twice_shows_no_changes(tutorial_db) -> None:
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    outcome = plan_scenario(scenario, time_limit=5)
    save_outcome(store, info.scenario_id, version, outcome, "一")
    save_outcome(store, info.scenario_id, version, outcome, "二")

    app = open_page(info)

    assert not app.exception
    assert any("完全相同" in message.value for message in app.success)
    kpis = table_with(app, compare.KPI_COLUMN)
    deltas = {cell[cell.index("（") :] for cell in kpis["方案1"]}
    assert deltas <= {"（±0）", "（–）"}  # no change, or nothing to compare (no bound)
    assert "（±0）" in deltas


def test_with_one_plan_the_page_explains_how_to_get_two(tutorial_db) -> None:
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    save_outcome(store, info.scenario_id, version, plan_scenario(scenario, time_limit=5))

    app = open_page(info)

    assert not app.exception
    assert any("至少需要两个" in message.value for message in app.info)
    assert not app.dataframe


def three_what_ifs(store: ScenarioStore) -> tuple[ScenarioInfo, list[int]]:
    """The two-base scenario with its plan, and three clones each with one plan:
    ids of the original's plan, then the clones' plans."""
    scenario = two_base_scenario(name="两基地")
    info = store.create(scenario)
    ids = [store_plan(store, info, scenario, two_base_plan())]
    for name, moved_to in (("B1停一天", 3), ("B2停一天", 4), ("晚一天", 2)):
        clone, changed = clone_with(store, info, name)
        plan = shoot_plan(
            shoot_run("T1", 1, "B2", ["S2", "S2"], "C2"),
            shoot_run("T2", moved_to, "B1", ["S1"], "C1"),
            shoot_run("T3", 2 if moved_to != 2 else 3, "B1", ["S1"], "C1"),
        )
        ids.append(store_plan(store, clone, changed, plan))
    return info, ids


def test_three_plans_fit_as_short_columns_with_a_legend(tutorial_db) -> None:
    store, _ = tutorial_db
    info, (original, *clones) = three_what_ifs(store)

    app = open_page(info)

    assert not app.exception
    assert app.selectbox(key=f"whatif_reference_{info.scenario_id}").value == original
    assert app.multiselect(key=f"whatif_plans_{original}").value == clones[::-1]
    kpis = table_with(app, compare.KPI_COLUMN)
    # KPI, four plans and "better": six narrow columns, not one column and one Δ per plan
    assert list(kpis.columns) == [
        compare.KPI_COLUMN,
        "基准",
        "方案1",
        "方案2",
        "方案3",
        compare.BETTER_COLUMN,
    ]
    legend = table_with(app, compare.SHORT_COLUMN)
    assert legend[compare.SHORT_COLUMN].tolist() == ["基准", "方案1", "方案2", "方案3"]
    assert legend[compare.PLAN_COLUMN].str.startswith("晚一天").tolist()[1]


def test_the_user_picks_another_reference(tutorial_db) -> None:
    store, _ = tutorial_db
    info, (original, *clones) = three_what_ifs(store)
    app = open_page(info)

    app.selectbox(key=f"whatif_reference_{info.scenario_id}").set_value(clones[0]).run()

    assert not app.exception
    picked = app.multiselect(key=f"whatif_plans_{clones[0]}").value
    assert clones[0] not in picked
    assert original in picked  # the original's scenario is now an "other" scenario
    legend = table_with(app, compare.SHORT_COLUMN)
    assert legend[compare.PLAN_COLUMN].tolist()[0].startswith("B1停一天")


def test_forced_changes_and_reshuffles_are_counted_apart(tutorial_db) -> None:
    store, _ = tutorial_db
    scenario = two_base_scenario(name="两基地")
    info = store.create(scenario)
    store_plan(store, info, scenario, two_base_plan())
    # what-if: B1 closed 12-01. T2 (B1, 12-01) is forced to move; T1 (B2) moved by choice
    clone, closed = clone_with(store, info, "B1停一天", unavailable=(outage("base", "B1", 0),))
    replanned = shoot_plan(
        shoot_run("T1", 3, "B2", ["S2", "S2"], "C2"),
        shoot_run("T2", 3, "B1", ["S1"], "C1"),
        shoot_run("T3", 2, "B1", ["S1"], "C1"),
    )
    store_plan(store, clone, closed, replanned)

    app = open_page(info)

    assert not app.exception
    counts = metrics(app)
    assert (counts[compare.FORCED], counts[compare.RESHUFFLE]) == ("1", "1")
    assert next(iter(counts)) == compare.FORCED  # forced first
    main = table_with(app, compare.KIND_COLUMN)
    assert main[compare.KIND_COLUMN].tolist() == [compare.FORCED]
    assert "规则5" in main[compare.WHY_COLUMN].iloc[0]
    # the reshuffle is behind an expander, with its own table
    (expander,) = [e for e in app.expander if compare.RESHUFFLE.split()[0] in e.label]
    (reshuffled,) = [frame.value for frame in expander.dataframe]
    assert reshuffled[compare.CHANGE_COLUMNS[0]].tolist() == ["T1"]
    assert any("revise = true" in caption.value for caption in app.caption)


def test_runs_of_a_sweep_show_ranges_over_seeds_and_the_noise_words(tutorial_db) -> None:
    store, _ = tutorial_db
    scenario = two_base_scenario(name="扫描 · 现状")
    info = store.create(scenario)
    plan = two_base_plan()
    # 现状 1250…1262 titles; 加1个剧组 1248…1258 (overlaps: noise); 加3个剧组 1280…1290 (not)
    for seed, titles in enumerate((1255, 1250, 1262)):
        run = sweep_kpis("现状", seed, reference=True, scheduled_titles=titles)
        store_plan(store, info, scenario, plan, **run)
    for name, values in (("加1个剧组", (1248, 1258, 1253)), ("加3个剧组", (1280, 1290, 1285))):
        clone, changed = clone_with(store, info, f"扫描 · {name}")
        for seed, titles in enumerate(values):
            store_plan(
                store, clone, changed, plan, **sweep_kpis(name, seed, scheduled_titles=titles)
            )

    app = open_page(info)

    assert not app.exception
    assert any("按变体" in header.value for header in app.subheader)
    (table,) = [t.value for t in app.table if sweep_results.VERDICT in t.value.columns]
    table = table.set_index(sweep_results.VARIANT)
    assert table.index.tolist() == ["现状", "加1个剧组", "加3个剧组"]
    assert table.loc["现状", sweep_results.TITLES] == "1250–1262（中位 1255）"
    assert table.loc["加1个剧组", sweep_results.VERDICT].startswith(f"剧目 {NOISE_WORDS}")
    assert table.loc["加3个剧组", sweep_results.VERDICT].startswith(
        f"剧目 {BEYOND_NOISE_WORDS} +30"
    )
    words = "\n".join(block.value for block in app.markdown)
    assert NOISE_WORDS in words and BEYOND_NOISE_WORDS in words
    assert len(app.get("plotly_chart")) == 3  # parallel shoots, the sweep chart, by base
