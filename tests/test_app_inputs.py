"""The 输入 Inputs page, driven by Streamlit's AppTest on a temporary SQLite database.

Cell edits are seeded the way AppTest allows: the editor's edit state
(edited_rows, added_rows, deleted_rows) is assigned under its key before a run,
which is what the browser sends when a cell is changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Tab

from scheduler.app.support import open_store
from scheduler.domain.model import Unavailability
from scheduler.storage import ScenarioStore
from ui.current import SCENARIO_KEY

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
TUTORIAL_NAME = "教程：两个基地一周"
MONTH_NAME = "郑州基地群 2026年12月"
SCENES_TAB = 9
TITLE_NEEDS_TAB = 5


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ScenarioStore]:
    url = f"sqlite:///{tmp_path}/t.db"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()  # cached scenarios are keyed by id and version, not by database
    yield open_store(url)
    st.cache_data.clear()


@pytest.fixture
def page(store: ScenarioStore) -> AppTest:
    """The Inputs page on the tutorial sample (2 crews, small and quick)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()  # loads the samples
    tutorial = store.find(TUTORIAL_NAME)
    assert tutorial is not None
    at.session_state[SCENARIO_KEY] = tutorial.scenario_id
    at.switch_page("views/inputs.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tutorial_id(store: ScenarioStore) -> int:
    info = store.find(TUTORIAL_NAME)
    assert info is not None
    return info.scenario_id


def editor(at: AppTest, sheet: str) -> str:
    """The key of a sheet's editor as the page drew it last."""
    return next(e.key for e in at.data_editor if e.key and e.key.endswith(f"_editor_{sheet}"))


def edit(
    at: AppTest,
    sheet: str,
    edited: dict[int, dict[str, object]] | None = None,
    added: list[dict[str, object]] | None = None,
    deleted: list[int] | None = None,
) -> None:
    """Seed an editor's edits (row positions from 0, as the browser sends them)."""
    at.session_state[editor(at, sheet)] = {
        "edited_rows": edited or {},
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }


def columns(at: AppTest, sheet: str) -> dict[str, dict[str, object]]:
    """The column configuration a sheet's editor was drawn with, by column name."""
    drawn = next(e for e in at.data_editor if e.key == editor(at, sheet))
    found: dict[str, dict[str, object]] = json.loads(drawn.proto.columns)
    return found


def picker(at: AppTest, sheet: str, column: str) -> dict[str, str]:
    """What a choice column of a sheet's editor offers: stored value → label shown."""
    config = columns(at, sheet)[column]["type_config"]
    assert isinstance(config, dict)
    assert config["type"] == "selectbox"
    return {option["value"]: option["label"] for option in config["options"]}


def status(at: AppTest) -> str:
    return next(c.value for c in at.caption if "版本 v" in c.value)


def problem_table(tab: Tab) -> pd.DataFrame:
    """The problems listed under a tab's editor (the one read-only table in it)."""
    return next(table for table in tab.dataframe if table.editing_mode == "read_only").value


def save(at: AppTest) -> None:
    at.button(key="inputs_save").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_page_shows_every_table_in_a_tab(page: AppTest) -> None:
    assert page.title[0].value == "输入 Inputs"
    assert [tab.label for tab in page.tabs] == [
        "基地 Bases",
        "场景/棚 Sets",
        "剧组 Crews",
        "演员 Actors",
        "剧目 Titles",
        "剧目场景需求 Title needs",
        "不可用 Outages",
        "转场 Travel",
        "锁定 Pins",
        "场次表 Scenes",
    ]
    assert [e.editing_mode for e in page.data_editor] == ["dynamic"] * 10
    crews = page.data_editor[2].value
    assert list(crews.index) == [1, 2] and crews.loc[1, "day_rate"] == 20000
    assert page.text_input[0].value == TUTORIAL_NAME
    assert status(page).startswith(":material/check_circle: 版本 v1")
    assert not page.error


def test_a_crew_day_rate_edit_is_saved_as_the_next_version(
    page: AppTest, store: ScenarioStore
) -> None:
    edit(page, "crews", {0: {"day_rate": 21500}})
    page.run()
    assert status(page).startswith(":material/edit: 版本 v1 有未保存的修改")
    save(page)
    scenario, version = store.load(tutorial_id(store))
    assert version == 2
    assert scenario.crew_by_id["C1"].day_rate == 21500
    assert scenario.crew_by_id["C2"].day_rate == 26000
    assert page.success[0].value == "已保存为版本 v2 / saved as version 2"
    assert status(page).startswith(":material/check_circle: 版本 v2")
    assert page.data_editor[2].value.loc[1, "day_rate"] == 21500


def test_a_crew_made_unavailable_for_three_days_is_saved(
    page: AppTest, store: ScenarioStore
) -> None:
    added = {"kind": "crew", "id": "C1", "from_date": "2026-12-03", "to_date": "2026-12-05"}
    edit(page, "unavailable", added=[added])
    save(page)
    scenario, version = store.load(tutorial_id(store))
    assert version == 2
    assert scenario.unavailable == (
        Unavailability("crew", "C1", date(2026, 12, 3), date(2026, 12, 5)),
    )


def test_a_broken_edit_is_shown_beside_its_table_and_nothing_is_saved(
    page: AppTest, store: ScenarioStore
) -> None:
    edit(page, "titles", {1: {"priority": 0}})
    edit(page, "crews", {1: {"home_base_id": "B9"}})
    save(page)
    assert "有 2 个问题，未保存任何内容" in page.error[0].value  # at the top, by the button
    crews_tab, titles_tab = page.tabs[2], page.tabs[4]
    assert crews_tab.error[0].value.startswith("1 个问题")
    crew_problems = problem_table(crews_tab)
    assert list(crew_problems["行 row"]) == ["2"]
    assert list(crew_problems["列 column"]) == ["常驻基地 home_base_id"]
    assert "B9" in crew_problems["问题 problem"][0]
    title_problems = problem_table(titles_tab)
    assert (title_problems["行 row"][0], title_problems["列 column"][0]) == (
        "2",
        "优先级 priority",
    )
    assert store.load(tutorial_id(store))[1] == 1
    assert "2 个问题" in status(page)


def test_a_problem_in_an_added_row_is_named_as_a_new_row(page: AppTest) -> None:
    added = {"kind": "crew", "id": "C1", "from_date": "2026-12-05", "to_date": "2026-12-03"}
    edit(page, "unavailable", added=[added])
    page.run()
    problems = problem_table(page.tabs[6])
    assert list(problems["行 row"]) == ["新增第 1 行 new row 1"]
    assert list(problems["列 column"]) == ["结束日期 to_date"]


def test_a_stale_save_is_refused_and_the_edits_stay(page: AppTest, store: ScenarioStore) -> None:
    scenario_id = tutorial_id(store)
    edit(page, "crews", {1: {"day_rate": 30000}})
    page.run()
    # someone else saves in between
    stored, version = store.load(scenario_id)
    theirs = replace(stored, crews=(replace(stored.crews[0], day_rate=1), *stored.crews[1:]))
    store.save(scenario_id, theirs, version)
    page.run()
    assert "数据库中已有更新的版本 v2" in page.warning[0].value
    save(page)
    assert "已被他人保存为版本 2" in page.error[0].value
    assert "nothing was saved" in page.error[0].value
    assert store.load(scenario_id) == (theirs, 2)
    # the user's edit is still on screen, and still unsaved
    assert page.session_state[editor(page, "crews")]["edited_rows"] == {1: {"day_rate": 30000}}
    assert status(page).startswith(":material/edit: 版本 v1")
    page.button(key="inputs_reload").click().run()
    assert status(page).startswith(":material/check_circle: 版本 v2")
    assert page.data_editor[2].value.loc[1, "day_rate"] == 1


def test_edits_survive_a_visit_to_another_page(page: AppTest, store: ScenarioStore) -> None:
    scenario_id = tutorial_id(store)
    edit(page, "crews", {0: {"day_rate": 19999}})
    page.text_input[0].set_value("教程 调价").run()
    page.switch_page("views/scenarios.py").run()
    page.switch_page("views/inputs.py").run()
    assert status(page).startswith(":material/edit: 版本 v1 有未保存的修改")
    assert page.text_input[0].value == "教程 调价"
    save(page)
    scenario, version = store.load(scenario_id)
    assert (scenario.name, scenario.crew_by_id["C1"].day_rate, version) == ("教程 调价", 19999, 2)


def test_nothing_changed_saves_nothing(page: AppTest, store: ScenarioStore) -> None:
    save(page)
    assert "没有修改" in page.info[0].value
    assert store.load(tutorial_id(store))[1] == 1


def test_the_outage_editor_offers_kinds_in_chinese_and_every_resource_by_name(
    page: AppTest,
) -> None:
    assert picker(page, "unavailable", "kind") == {
        "actor": "演员 actor",
        "crew": "剧组 crew",
        "set": "场景/棚 set",
        "base": "基地 base",
    }
    ids = picker(page, "unavailable", "id")
    assert ids["A1"] == "A1 林婉儿" and ids["C2"] == "C2 李导剧组"
    assert ids["S3"] == "S3 医院 B2" and ids["B1"] == "B1 郑州金水影视基地"
    assert picker(page, "pins", "title_id")["T2"] == "T2 神医下山"
    assert picker(page, "pins", "crew_id") == {"C1": "C1 张导剧组", "C2": "C2 李导剧组"}
    assert set(picker(page, "pins", "base_id")) == {"B1", "B2"}


def test_an_outage_added_by_picking_a_name_is_saved_with_the_actor_id(
    page: AppTest, store: ScenarioStore
) -> None:
    # the browser sends the picked option's value, the id behind the label shown
    kind = next(
        code for code, label in picker(page, "unavailable", "kind").items() if "演员" in label
    )
    actor = next(i for i, label in picker(page, "unavailable", "id").items() if "苏晴" in label)
    added = {"kind": kind, "id": actor, "from_date": "2026-12-03", "to_date": "2026-12-04"}
    edit(page, "unavailable", added=[added])
    save(page)
    scenario, version = store.load(tutorial_id(store))
    assert version == 2
    assert scenario.unavailable == (
        Unavailability("actor", "A3", date(2026, 12, 3), date(2026, 12, 4)),
    )


def test_an_outage_typed_in_chinese_by_name_is_saved_with_the_codes(
    page: AppTest, store: ScenarioStore
) -> None:
    added = {"kind": "演员", "id": "苏晴", "from_date": "2026-12-03", "to_date": "2026-12-03"}
    edit(page, "unavailable", added=[added])
    save(page)
    scenario, _version = store.load(tutorial_id(store))
    assert scenario.unavailable == (
        Unavailability("actor", "A3", date(2026, 12, 3), date(2026, 12, 3)),
    )


def test_an_outage_of_a_name_nobody_carries_is_named_and_not_saved(
    page: AppTest, store: ScenarioStore
) -> None:
    added = {"kind": "actor", "id": "邵强宇", "from_date": "2026-12-03", "to_date": "2026-12-03"}
    edit(page, "unavailable", added=[added])
    save(page)
    problems = problem_table(page.tabs[6])
    assert list(problems["列 column"]) == ["编号 id"]
    assert store.load(tutorial_id(store))[1] == 1


def test_a_date_typed_as_2026_12_03_is_stored_as_2026_12_03(
    page: AppTest, store: ScenarioStore
) -> None:
    added = {"kind": "crew", "id": "C2", "from_date": "2026-12-03", "to_date": "2026-12-03"}
    edit(page, "unavailable", added=[added])
    page.run()
    assert not page.tabs[6].error
    save(page)
    scenario, _version = store.load(tutorial_id(store))
    assert scenario.unavailable == (
        Unavailability("crew", "C2", date(2026, 12, 3), date(2026, 12, 3)),
    )
    shown = next(e for e in page.data_editor if e.key == editor(page, "unavailable")).value
    assert shown.loc[1, "from_date"] == date(2026, 12, 3)


def test_a_date_the_browser_misread_is_not_stored(page: AppTest, store: ScenarioStore) -> None:
    # 2026-12-03 typed into an mm/dd/yyyy date editor came back as year 61203
    added = {"kind": "crew", "id": "C2", "from_date": "+061203-02-02", "to_date": "2026-12-03"}
    edit(page, "unavailable", added=[added])
    save(page)
    problems = problem_table(page.tabs[6])
    assert list(problems["列 column"]) == ["开始日期 from_date"]
    assert store.load(tutorial_id(store))[1] == 1


# -- the scene breakdown (场次表) -----------------------------------------------------------


def test_the_scenes_tab_shows_the_months_scenes_with_chinese_headers(
    store: ScenarioStore,
) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()  # loads the samples
    month = store.find(MONTH_NAME)
    assert month is not None
    at.session_state[SCENARIO_KEY] = month.scenario_id
    at.switch_page("views/inputs.py").run()
    assert not at.exception, [e.value for e in at.exception]
    scenario, _version = store.load(month.scenario_id)
    assert at.tabs[SCENES_TAB].label == "场次表 Scenes"
    scenes = next(e for e in at.data_editor if e.key == editor(at, "scenes")).value
    assert len(scenes) == sum(len(title.scenes) for title in scenario.titles) == 3687
    first = scenario.titles[0].scenes[0]
    assert (scenes.loc[1, "scene_id"], scenes.loc[1, "minutes"]) == (
        first.scene_id,
        first.minutes,
    )
    headers = {column: config["label"] for column, config in columns(at, "scenes").items()}
    assert [headers[column] for column in scenes.columns] == [
        "剧目编号 title_id",
        "场次 scene_id",
        "场景类型 set_type",
        "时长（分钟） minutes",
        "演员 cast",
        "日/夜 day_night",
        "内/外 int_ext",
        "内容 description",
    ]
    assert picker(at, "scenes", "day_night") == {"日": "日 day", "夜": "夜 night"}
    day_minutes = f"inputs_{month.scenario_id}_v1_g0_setting_day_minutes"
    assert at.number_input(key=day_minutes).value == 720
    assert status(at).startswith(":material/check_circle: 版本 v1")  # unedited: unchanged
    # a save of another sheet keeps every scene
    edit(at, "crews", {0: {"day_rate": 1}})
    save(at)
    crews = (replace(scenario.crews[0], day_rate=1), *scenario.crews[1:])
    assert store.load(month.scenario_id) == (replace(scenario, crews=crews), 2)


def test_a_scene_edit_that_breaks_its_titles_needs_is_named_and_nothing_is_saved(
    page: AppTest, store: ScenarioStore
) -> None:
    # T1's 办公室 scenes (rows 1, 6–9) take 710 of a day's 720 minutes: 4-2 at 100 makes two days
    edit(page, "scenes", {8: {"minutes": 100}})
    save(page)
    assert "有 1 个问题，未保存任何内容" in page.error[0].value
    problems = problem_table(page.tabs[TITLE_NEEDS_TAB])
    assert (problems["行 row"][0], problems["列 column"][0]) == ("1", "天数 days")
    assert "scenes.csv 第 1, 6–9 行" in problems["问题 problem"][0]
    assert "pack into 2 days of 办公室" in problems["问题 problem"][0]
    assert store.load(tutorial_id(store))[1] == 1
    assert status(page).startswith(":material/warning: 版本 v1")


def test_a_scene_edit_within_its_day_is_saved_and_reloads_equal(
    page: AppTest, store: ScenarioStore
) -> None:
    scenario_id = tutorial_id(store)
    stored, _version = store.load(scenario_id)
    edit(page, "scenes", {8: {"minutes": 65, "day_night": "日"}})  # 715 of 720 minutes
    save(page)
    scenario, version = store.load(scenario_id)
    t1 = stored.title_by_id["T1"]
    scenes = (*t1.scenes[:8], replace(t1.scenes[8], minutes=65, day_night="日"), *t1.scenes[9:])
    titles = tuple(replace(t, scenes=scenes) if t is t1 else t for t in stored.titles)
    assert (scenario, version) == (replace(stored, titles=titles), 2)
    assert status(page).startswith(":material/check_circle: 版本 v2")
    shown = next(e for e in page.data_editor if e.key == editor(page, "scenes")).value
    assert (shown.loc[9, "scene_id"], shown.loc[9, "minutes"]) == ("4-2", 65)
