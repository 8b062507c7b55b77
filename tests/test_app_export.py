"""The 导出 Export page in streamlit.testing: with a stored plan it offers plan.csv,
unscheduled.csv, the plan workbook, crew schedules (days off included) and booking sheets for
download, named by scenario, plan number and date (what the files hold and their names are
tested in test_exports.py); without a plan it says where to make one."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scheduler.services.planning import plan_scenario, save_outcome
from scheduler.storage import ScenarioInfo
from tests.app_pages import open_page as open_app_page

DOWNLOADS = (
    "dl_plan_csv",
    "dl_unscheduled_csv",
    "dl_plan_xlsx",
    "dl_crew_csv",
    "dl_crews_xlsx",
    "dl_base_xlsx",
    "dl_bases_xlsx",
    "dl_call_sheet_xlsx",
    "dl_call_sheet_pdf",
    "dl_call_sheets_zip",
    "dl_dood_xlsx",
)


def open_page(info: ScenarioInfo) -> AppTest:
    return open_app_page(info, "export.py")


def download_keys(app: AppTest) -> set[str]:
    return {button.key for button in app.get("download_button") if button.key}


def test_export_page_offers_every_file_of_a_stored_plan(tutorial_db) -> None:
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    outcome = plan_scenario(scenario, time_limit=5)
    save_outcome(store, info.scenario_id, version, outcome)

    app = open_page(info)

    assert not app.exception
    assert app.title[0].value == "导出 Export"
    assert download_keys(app) == set(DOWNLOADS)
    # the crew preview shows only the chosen crew: its shoots and its days off, day by day
    app.selectbox(key="export_crew").set_value("C2").run()
    assert not app.exception
    preview = app.dataframe[0].value
    assert set(preview["剧组编号 crew id"]) == {"C2"}
    assert len(preview) == scenario.days
    shoots = preview[preview["安排 duty"] == "拍摄"]
    assert len(shoots) == sum(1 for s in outcome.plan.shoots if s.crew_id == "C2")
    assert set(preview["安排 duty"]) <= {"拍摄", "休息"}
    booking = app.dataframe[1].value
    assert list(booking["场景 set"]) == ["S1", "S2"]  # B1 first


def test_export_page_without_a_plan_says_where_to_make_one(tutorial_db) -> None:
    _store, info = tutorial_db
    app = open_page(info)
    assert not app.exception
    assert any("排期 Plan" in message.value for message in app.info)
    assert not download_keys(app)
