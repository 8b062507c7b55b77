"""The 插单 Rush-title section in Streamlit's AppTest, on the tutorial with a stored plan.

The section is drawn by a small script (the Plan page's pickers, then
:func:`ui.views.fit.fit_section`), against a fresh SQLite file.
"""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from scheduler.check.checker import check_plan
from scheduler.storage import ScenarioInfo, ScenarioStore
from solver.slate.greedy import greedy_plan
from ui.current import SCENARIO_KEY


def section_script() -> None:
    """The scenario and plan pickers of the Plan page, then the rush-title section."""
    from ui.current import pick_plan, pick_scenario
    from ui.views.fit import fit_section

    current = pick_scenario()
    assert current is not None
    fit_section(current, pick_plan(current))


def open_section(store: ScenarioStore, info: ScenarioInfo) -> AppTest:
    scenario, version = store.load(info.scenario_id)
    plan = greedy_plan(scenario)
    store.save_plan(info.scenario_id, version, plan, {"status": "feasible"}, "greedy")
    at = AppTest.from_function(section_script, default_timeout=30)
    at.session_state[SCENARIO_KEY] = info.scenario_id
    at.run()
    assert not at.exception, at.exception
    return at


def shown_tables(at: AppTest) -> list[pd.DataFrame]:
    """The read-only tables of the section (the options), not the needs editor."""
    return [table.value for table in at.dataframe if table.editing_mode == "read_only"]


def press(at: AppTest, key: str) -> None:
    at.button(key=key).click()
    at.run()
    assert not at.exception, at.exception


def test_the_section_finds_options_and_accepting_one_stores_a_checked_plan(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo],
) -> None:
    store, info = tutorial_db
    at = open_section(store, info)
    assert at.subheader[0].value == "插单 Rush title"
    at.text_input(key="fit_name").set_value("急单：总裁的替身")
    at.selectbox(key="fit_genre").set_value("都市")
    at.multiselect(key="fit_cast").set_value(["A4"])
    at.session_state["fit_needs"] = {
        "edited_rows": {0: {"场景类型 set type": "办公室", "天数 days": 1}},
        "added_rows": [],
        "deleted_rows": [],
    }
    press(at, "fit_find")
    [options] = shown_tables(at)
    assert 1 <= len(options) <= 5
    assert list(options["方案 option"]) == list(range(1, len(options) + 1))
    assert at.radio(key="fit_pick").value == 0

    press(at, "fit_accept")
    scenario, version = store.load(info.scenario_id)
    assert version == info.version + 1
    [added] = [t for t in scenario.titles if t.name == "急单：总裁的替身"]
    assert added.cast == ("A4",) and added.days_by_set_type() == {"办公室": 1}
    newest = store.list_plans(info.scenario_id)[-1]
    assert newest.label.startswith("插单 fitted") and newest.scenario_version == version
    plan, _kpis, _info = store.load_plan(newest.plan_id)
    assert check_plan(scenario, plan) == []
    assert any(f"#{newest.plan_id}" in s.value for s in at.success)


def test_a_bad_rush_title_lists_its_problems_and_offers_nothing(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo],
) -> None:
    store, info = tutorial_db
    at = open_section(store, info)
    at.text_input(key="fit_name").set_value(" ")
    at.session_state["fit_needs"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    press(at, "fit_find")
    problems = " ".join(m.value for m in at.markdown)
    assert "name" in problems and "needs" in problems
    assert shown_tables(at) == []
    assert len(store.list_plans(info.scenario_id)) == 1
