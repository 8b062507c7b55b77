"""The 对比 What-if page in streamlit.testing: two stored plans (the tutorial, and a clone with
crew C1 off for three days) give a KPI table with deltas, the titles that moved and the
utilisation difference by base; with fewer than two plans it explains how to make them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from streamlit.testing.v1 import AppTest

from scheduler.app import compare
from scheduler.domain.model import Unavailability
from scheduler.services.planning import plan_scenario, save_outcome
from scheduler.storage import ScenarioInfo
from tests.app_pages import open_page as open_app_page


def open_page(info: ScenarioInfo) -> AppTest:
    return open_app_page(info, "whatif.py")


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
    picked = app.multiselect(key="whatif_plans")
    assert picked.value == [base, what_if]  # older first: the reference
    kpis = app.dataframe[0].value
    what_if_name = f"教程 C1 休三天 · #{what_if} C1 休三天"
    assert compare.delta_label(what_if_name) in kpis.columns
    assert len(kpis) == len(compare.KPI_ROWS)
    changes = app.dataframe[1].value
    # C1 shoots in the first three days of the base plan, so with C1 off something moves
    assert any(s.crew_id == "C1" and s.date.day <= 3 for s in outcome.plan.shoots)
    assert not changes.empty
    assert set(changes["变化 change"]) <= set(compare.CHANGE_KINDS)
    by_base = app.dataframe[2].value
    assert set(by_base["基地编号 base id"]) == {"B1", "B2"}
    assert len(app.get("plotly_chart")) == 2


def test_the_same_plan_twice_shows_no_changes(tutorial_db) -> None:
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    outcome = plan_scenario(scenario, time_limit=5)
    save_outcome(store, info.scenario_id, version, outcome, "一")
    save_outcome(store, info.scenario_id, version, outcome, "二")

    app = open_page(info)

    assert not app.exception
    assert any("完全相同" in message.value for message in app.success)
    kpis = app.dataframe[0].value
    delta = next(column for column in kpis.columns if column.startswith("Δ "))
    assert set(kpis[delta]) <= {"+0", "–"}  # no change, or nothing to compare (no bound)
    assert "+0" in set(kpis[delta])


def test_with_one_plan_the_page_explains_how_to_get_two(tutorial_db) -> None:
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    save_outcome(store, info.scenario_id, version, plan_scenario(scenario, time_limit=5))

    app = open_page(info)

    assert not app.exception
    assert any("至少需要两个" in message.value for message in app.info)
    assert not app.dataframe
