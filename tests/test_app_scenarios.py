"""The 场景 Scenarios page, driven by Streamlit's AppTest on a temporary SQLite database."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import TextInput

from scheduler.app.support import open_store
from scheduler.io.scenario_files import scenario_to_xlsx_bytes, scenario_to_zip_bytes
from scheduler.storage import ScenarioStore
from tests.factories import tiny_scenario, zip_bytes
from ui.current import SCENARIO_KEY

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
MONTH_NAME = "郑州基地群 2026年12月"
TUTORIAL_NAME = "教程：两个基地一周"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/t.db"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()  # cached scenarios are keyed by id and version, not by database
    yield url
    st.cache_data.clear()


@pytest.fixture
def page(database: str) -> AppTest:
    """The app opened on the Scenarios page (its default), samples loaded."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def store_of(url: str) -> ScenarioStore:
    return open_store(url)


def names(url: str) -> list[str]:
    return sorted(info.name for info in store_of(url).list())


def choose(at: AppTest, name: str) -> None:
    box = at.selectbox(key="scenarios_chosen")
    box.select_index(next(i for i, label in enumerate(box.options) if name in label)).run()


def text_input(at: AppTest, label: str) -> TextInput:
    return next(box for box in at.text_input if box.label == label)


def test_the_page_lists_the_samples(page: AppTest) -> None:
    assert page.title[0].value == "场景 Scenarios"
    table = page.dataframe[0].value
    assert sorted(table["名称 name"]) == sorted([MONTH_NAME, TUTORIAL_NAME])
    month = table[table["名称 name"] == MONTH_NAME].iloc[0]
    assert (month["版本 version"], month["剧目数 titles"], month["基地数 bases"]) == (1, 460, 12)
    downloads = [button.proto.label for button in page.get("download_button")]
    assert downloads == ["下载 .xlsx 工作簿 Workbook", "下载 CSV 文件夹 .zip"]


def test_clone_makes_a_second_scenario_and_opens_it(page: AppTest, database: str) -> None:
    choose(page, MONTH_NAME)
    clone_name = text_input(page, "复制为 Clone as")
    assert clone_name.value == f"{MONTH_NAME} 副本"
    clone_name.set_value("郑州 多一个剧组").run()
    page.button(key="scenarios_clone").click().run()
    assert not page.exception
    assert names(database) == sorted([MONTH_NAME, TUTORIAL_NAME, "郑州 多一个剧组"])
    copy = store_of(database).find("郑州 多一个剧组")
    assert copy is not None and copy.title_count == 460 and copy.version == 1
    assert page.session_state[SCENARIO_KEY] == copy.scenario_id
    assert "已复制" in page.success[0].value


def test_a_duplicate_name_is_said_not_raised(page: AppTest, database: str) -> None:
    choose(page, MONTH_NAME)
    text_input(page, "新名称 New name").set_value(TUTORIAL_NAME).run()
    page.button(key="scenarios_rename").click().run()
    assert not page.exception
    assert f"已有名为「{TUTORIAL_NAME}」的场景" in page.error[0].value
    assert names(database) == sorted([MONTH_NAME, TUTORIAL_NAME])


def test_rename_changes_the_name_and_version(page: AppTest, database: str) -> None:
    choose(page, TUTORIAL_NAME)
    text_input(page, "新名称 New name").set_value("教程 改").run()
    page.button(key="scenarios_rename").click().run()
    renamed = store_of(database).find("教程 改")
    assert renamed is not None and renamed.version == 2


def test_delete_asks_first_then_deletes(page: AppTest, database: str) -> None:
    choose(page, TUTORIAL_NAME)
    page.button(key="scenarios_delete").click().run()
    assert "此操作无法撤销" in page.warning[0].value
    assert names(database) == sorted([MONTH_NAME, TUTORIAL_NAME])  # not yet
    page.button(key="scenarios_delete_cancel").click().run()
    assert not page.main.warning  # the sidebar may warn of local mode
    page.button(key="scenarios_delete").click().run()
    page.button(key="scenarios_delete_confirm").click().run()
    assert not page.exception
    assert names(database) == [MONTH_NAME]
    assert list(page.dataframe[0].value["名称 name"]) == [MONTH_NAME]


def broken_workbook() -> bytes:
    workbook = load_workbook(io.BytesIO(scenario_to_xlsx_bytes(tiny_scenario())))
    workbook["titles"]["D3"] = -1  # priority of T02
    workbook["crews"]["C2"] = "B99"  # home base of C01
    workbook["sets"]["D5"] = "很贵"  # day rate of S04
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_broken_workbook_lists_every_problem_and_stores_nothing(
    page: AppTest, database: str
) -> None:
    page.file_uploader[0].set_value(("坏的.xlsx", broken_workbook(), XLSX)).run()
    page.button(key="scenarios_import").click().run()
    assert not page.exception
    assert "有 3 个问题，未导入任何内容" in page.error[0].value
    assert page.code[0].value.splitlines() == [
        "sets:5:day_rate: 日价 很贵 不是整数，应为0…10,000,000 的整数（元）"
        "（很贵 is not a whole number; expected whole yuan 0…10,000,000）",
        "crews:2:home_base_id: 常驻基地 B99 不在 bases 中，应为其中已有的基地编号"
        "（B99 is not in bases; expected a base_id listed there）",
        "titles:3:priority: 优先级 -1 小于 1，应为1…1,000 的整数"
        "（-1 is less than 1; expected an integer 1…1,000）",
    ]
    assert names(database) == sorted([MONTH_NAME, TUTORIAL_NAME])


def test_a_valid_zip_is_imported_under_the_name_given_and_opened(
    page: AppTest, database: str
) -> None:
    data = scenario_to_zip_bytes(tiny_scenario(), "小场景")
    page.file_uploader[0].set_value(("小场景.zip", data, "application/zip")).run()
    page.text_input(key="scenarios_import_name").set_value("小场景 导入").run()
    page.button(key="scenarios_import").click().run()
    assert not page.exception and not page.error
    imported = store_of(database).find("小场景 导入")
    assert imported is not None and imported.title_count == 4
    assert page.session_state[SCENARIO_KEY] == imported.scenario_id
    assert "已导入「小场景 导入」" in page.success[0].value
    assert page.text_input(key="scenarios_import_name").value == ""


def test_dates_written_with_slashes_are_imported_and_the_page_says_so(
    page: AppTest, database: str
) -> None:
    data = scenario_to_zip_bytes(tiny_scenario(), "斜杠日期")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    titles = files["斜杠日期/titles.csv"].decode("utf-8")
    files["斜杠日期/titles.csv"] = titles.replace("2026-12-", "2026/12/").encode("utf-8")
    page.file_uploader[0].set_value(("斜杠.zip", zip_bytes(files), "application/zip")).run()
    page.button(key="scenarios_import").click().run()
    assert not page.exception and not page.error
    said = page.success[0].value.replace("\\", "")
    assert "titles.csv:2:earliest_start: 4 个日期（第 2–5 行）用 / 分隔" in said
    imported = store_of(database).find("郑州开封基地群 测试")
    assert imported is not None and imported.title_count == 4
