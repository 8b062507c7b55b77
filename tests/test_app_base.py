"""The 基地视图 Base manager page in streamlit.testing: one base and one calendar week of a
stored tutorial plan, free set-days by set type, and the capacity bound only once computed
and labelled as the bound's."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scheduler.services.candidates import default_candidates
from scheduler.services.capacity_jobs import CapacityInputs, forget_job, start_job
from scheduler.services.planning import plan_scenario, save_outcome
from scheduler.storage import ScenarioInfo, ScenarioStore
from tests.app_pages import open_page as open_app_page


def planned(tutorial_db: tuple[ScenarioStore, ScenarioInfo]) -> AppTest:
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    outcome = plan_scenario(scenario, time_limit=5)
    save_outcome(store, info.scenario_id, version, outcome, "基准")
    app = open_app_page(info, "base.py")
    app.selectbox(key="base_view_base").set_value("B2")
    return app.selectbox(key="base_view_week").set_value(0).run()  # 第49周 12-01~12-06


def test_a_base_week_shows_its_sets_free_days_and_bookings(tutorial_db) -> None:
    app = planned(tutorial_db)
    assert not app.exception
    assert app.title[0].value == "基地视图 Base manager"
    sentence = next(m.value for m in app.markdown if "个开放棚日" in m.value).replace("\\", "")
    assert "郑东新区短剧产业园（B2） 第49周 12-01~12-06" in sentence
    free = app.dataframe[0].value
    assert sorted(free["场景类型 set type"]) == ["办公室", "医院"]
    assert free["开放棚日 open"].sum() == 12  # two sets × six days
    assert len(app.get("plotly_chart")) == 1
    # without a capacity report the bound is not guessed: the page says where to compute it
    assert any("产能规划" in message.value for message in app.info)


def test_the_bound_shows_once_computed_and_says_it_is_the_bound(tutorial_db) -> None:
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    key = (info.scenario_id, version)
    inputs = CapacityInputs(tuple(default_candidates(scenario)), 30, 2, None)
    try:
        assert start_job(key, scenario, inputs).wait(60)
        app = planned(tutorial_db)
        assert not app.exception
        bound = app.dataframe[-1].value
        assert (
            "产能上界允许出租 sellable as the capacity bound allows（可能需重排）" in bound.columns
        )
        assert sorted(bound["场景类型 set type"]) == ["办公室", "医院"]
        assert any("不是当前方案" in caption.value for caption in app.caption)
    finally:
        forget_job(key)
