"""The 产能 Utilisation page in streamlit.testing: loads with a stored plan of the tutorial
(KPI cards, heatmap, idle set-days by the week picked, parallel shoots) and says what to
do when the scenario has no plan yet."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scheduler.services.planning import plan_scenario, save_outcome
from scheduler.storage import ScenarioInfo
from tests.app_pages import open_page as open_app_page


def open_page(info: ScenarioInfo) -> AppTest:
    return open_app_page(info, "utilisation.py")


def test_utilisation_page_shows_kpis_and_charts_of_a_stored_plan(tutorial_db) -> None:
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    outcome = plan_scenario(scenario, time_limit=5)
    save_outcome(store, info.scenario_id, version, outcome, "基准")

    app = open_page(info)

    assert not app.exception
    assert app.title[0].value == "产能 Utilisation"
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["已排/未排 titles"] == "6 / 0"
    assert metrics["优先级 priority / 上界 bound"].startswith("17")  # Σ priority of all 6
    assert "并行/天 最少 min parallel" in metrics
    assert len(app.get("plotly_chart")) == 4  # heatmap, idle, parallel, crews
    assert [tab.label for tab in app.tabs][:2] == ["基地 × 日期 Bases by day", "闲置 Idle sets"]
    # the idle table obeys the week picker: all weeks, then week 50 alone
    weeks = ["第49周 12-01~12-06", "第50周 12-07~12-07"]
    assert [c for c in app.dataframe[0].value.columns if "周" in c] == weeks
    app.selectbox(key="util_week").set_value(weeks[1]).run()
    assert not app.exception
    assert [c for c in app.dataframe[0].value.columns if "周" in c] == weeks[1:]


def test_utilisation_page_without_a_plan_says_where_to_make_one(tutorial_db) -> None:
    _store, info = tutorial_db
    app = open_page(info)
    assert not app.exception
    assert any("排期 Plan" in message.value for message in app.info)
    assert not app.metric
