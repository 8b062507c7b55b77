"""The 审计 Audit trail page in streamlit.testing, and its view-model on SQLite and PostgreSQL.

The trail of :func:`tests.factories.write_audit_trail`: four rows around the Beijing
midnight that starts 2026-03-02 (16:00 UTC). Filters by user, action, failed only and local
dates keep the right rows, newest first; a day runs from its local midnight, so the row at
23:59 belongs to the day before. The CSV export holds the filtered rows (formulas quoted),
readable by Excel (UTF-8 with a byte-order mark), and leaves one 导出 export row. Only a head
reads the trail.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from scheduler.app import audit_view as view
from scheduler.domain.accounts import Account, Action, Role
from scheduler.storage import AuditEvent, ScenarioInfo, ScenarioStore
from tests.app_pages import APP, Made
from tests.factories import (
    AUDIT_DAY,
    signed_in,
    storage_scenario,
    stored_account,
    write_audit_trail,
)
from ui.current import SCENARIO_KEY, SIGNED_IN_KEY

PAGE = Path(APP).parent / "views" / "audit.py"
BEFORE = AUDIT_DAY - dt.timedelta(days=1)
USER, ACTION, DETAIL = "用户 user", "操作 action", "详情 detail"


@pytest.fixture(autouse=True)
def beijing_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOOTPLAN_TZ", "Asia/Shanghai")


# -- the view-model, on SQLite and PostgreSQL ------------------------------------------------


@pytest.fixture
def trail(store: ScenarioStore) -> tuple[ScenarioStore, int]:
    """The store holding a scenario and the four rows of the trail."""
    info = store.create(storage_scenario())
    write_audit_trail(store, info.scenario_id)
    return store, info.scenario_id


def details(store: ScenarioStore, **chosen: Any) -> list[str]:
    """The filtered rows' details, newest first."""
    return [event.detail for event in view.audit_events(store, view.AuditFilter(**chosen))]


def test_a_local_day_starts_at_its_local_midnight(trail: tuple[ScenarioStore, int]) -> None:
    store, _ = trail
    # 00:00 Beijing on 03-02 is 16:00 UTC on 03-01: the 23:59 login is the day before
    assert details(store, first_day=AUDIT_DAY, last_day=AUDIT_DAY) == [
        "无权限 not permitted",
        "=1+1",
        "",
    ]
    assert details(store, first_day=BEFORE, last_day=BEFORE) == ["wrong password"]


def test_the_filters_keep_a_user_an_action_or_failures(trail: tuple[ScenarioStore, int]) -> None:
    store, _ = trail
    assert details(store, user="李四") == ["无权限 not permitted"]
    assert details(store, action=Action.LOGIN) == ["", "wrong password"]
    assert details(store, outcome=view.Outcome.FAILED) == [
        "无权限 not permitted",
        "wrong password",
    ]
    assert details(store, outcome=view.Outcome.OK) == ["=1+1", ""]
    assert details(store, user="张三", action=Action.SAVE) == ["=1+1"]


def test_a_last_day_before_the_first_is_refused() -> None:
    chosen = view.AuditFilter(first_day=AUDIT_DAY, last_day=BEFORE)
    assert view.date_problems(chosen) == [
        "日期 dates: 开始 2026-03-02 晚于结束 2026-03-01"
        " / the first day 2026-03-02 is after the last day 2026-03-01"
    ]
    assert view.date_problems(view.AuditFilter(first_day=BEFORE, last_day=AUDIT_DAY)) == []


def test_the_table_names_scenarios_and_deleted_ones(trail: tuple[ScenarioStore, int]) -> None:
    store, scenario_id = trail
    events = view.audit_events(store, view.AuditFilter(first_day=AUDIT_DAY, last_day=AUDIT_DAY))
    table = view.audit_table(events, view.scenario_names(store))
    name = store.info(scenario_id).name
    deleted, saved, login = table.values.tolist()
    assert deleted == [
        "2026-03-02 11:00:00", "李四", "删除 delete", view.FAILED,
        "#999（已删除 deleted）", None, 7, "无权限 not permitted",
    ]  # fmt: skip
    assert saved == [
        "2026-03-02 10:00:00", "张三", "保存 save", view.SUCCEEDED,
        f"{name}（#{scenario_id}）", 2, None, "=1+1",
    ]  # fmt: skip
    assert login == [
        "2026-03-02 00:00:00",
        "张三",
        "登录 login",
        view.SUCCEEDED,
        "",
        None,
        None,
        "",
    ]


def test_the_user_filter_offers_accounts_and_names_tried(trail: tuple[ScenarioStore, int]) -> None:
    store, _ = trail
    stored_account(store, "王主管")
    names = view.user_options(store, store.audit_events())
    assert names == sorted(["李四", "张三", "王主管", "本机用户 local"])


# -- the page --------------------------------------------------------------------------------


@pytest.fixture
def office(tutorial_db: tuple[ScenarioStore, ScenarioInfo]) -> tuple[ScenarioStore, Account]:
    """The tutorial's database with the trail's rows and a head, 王主管."""
    store, info = tutorial_db
    write_audit_trail(store, info.scenario_id)
    return store, stored_account(store, "王主管")


def open_trail(store: ScenarioStore, account: Account, script: str = str(APP)) -> AppTest:
    """The page as ``account``, over 03-01 … 03-02 (the whole trail)."""
    app = AppTest.from_file(script, default_timeout=30)
    app.session_state[SCENARIO_KEY] = store.list()[0].scenario_id
    app.session_state[SIGNED_IN_KEY] = signed_in(account)
    if script == str(APP):
        app.switch_page("views/audit.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    if account.role is Role.HEAD:
        app.date_input(key="audit_first_day").set_value(BEFORE)
        app.date_input(key="audit_last_day").set_value(AUDIT_DAY).run()
        assert not app.exception, [e.value for e in app.exception]
    return app


def shown(app: AppTest, column: str = DETAIL) -> list[Any]:
    return app.dataframe[0].value[column].tolist()


def count(app: AppTest) -> str:
    return next(c.value for c in app.caption if str(c.value).startswith("共"))


def test_the_head_reads_the_whole_trail_newest_first(
    office: tuple[ScenarioStore, Account],
) -> None:
    store, head = office
    app = open_trail(store, head)
    assert app.title[0].value == "审计 Audit trail"
    assert shown(app) == ["无权限 not permitted", "=1+1", "", "wrong password"]
    assert count(app).startswith("共 4 条记录")


def test_the_page_filters_by_user_action_failures_and_date(
    office: tuple[ScenarioStore, Account],
) -> None:
    store, head = office
    app = open_trail(store, head)

    app.selectbox(key="audit_user").set_value("张三").run()
    assert shown(app, USER) == ["张三"] * 3
    app.selectbox(key="audit_action").set_value(Action.LOGIN).run()
    assert shown(app, ACTION) == ["登录 login"] * 2
    app.radio(key="audit_outcome").set_value(view.Outcome.FAILED).run()
    assert shown(app) == ["wrong password"]
    app.date_input(key="audit_first_day").set_value(AUDIT_DAY).run()
    assert shown(app) == []
    assert count(app).startswith("共 0 条记录")


def test_the_page_refuses_dates_the_wrong_way_round(
    office: tuple[ScenarioStore, Account],
) -> None:
    store, head = office
    app = open_trail(store, head)
    app.date_input(key="audit_first_day").set_value(AUDIT_DAY)
    app.date_input(key="audit_last_day").set_value(BEFORE).run()
    assert "晚于结束" in app.error[0].value
    assert not app.dataframe


def test_the_csv_export_holds_the_filtered_rows_and_leaves_one_row(
    office: tuple[ScenarioStore, Account], made_files: dict[str, Made]
) -> None:
    store, head = office
    app = open_trail(store, head)
    app.selectbox(key="audit_user").set_value("张三").run()
    (button,) = [b for b in app.get("download_button") if b.key == "audit_csv"]
    made = made_files[button.proto.deferred_file_id]

    data = made.make()

    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so Excel reads UTF-8"
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(view.AUDIT_COLUMNS)
    assert [line.split(",")[1] for line in lines[1:]] == ["张三"] * 3
    assert ",'=1+1" in lines[1], "a formula leaves as text"
    [export] = store.audit_events(action=Action.EXPORT)
    assert (export.user_name, export.ok, export.detail) == ("王主管", True, made.file_name)
    assert made.file_name == "审计_2026-03-01_2026-03-02.csv"


def test_the_xlsx_export_holds_the_filtered_rows(
    office: tuple[ScenarioStore, Account], made_files: dict[str, Made]
) -> None:
    store, head = office
    app = open_trail(store, head)
    app.radio(key="audit_outcome").set_value(view.Outcome.FAILED).run()
    (button,) = [b for b in app.get("download_button") if b.key == "audit_xlsx"]

    sheet = load_workbook(io.BytesIO(made_files[button.proto.deferred_file_id].make())).active

    assert sheet is not None
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["李四", "张三"]
    assert len(store.audit_events(action=Action.EXPORT)) == 1


def test_a_producer_is_not_offered_the_trail(office: tuple[ScenarioStore, Account]) -> None:
    store, _ = office
    producer = stored_account(store, "李统筹", Role.PRODUCER)
    app = open_trail(store, producer)
    assert "审计 Audit trail" not in [title.value for title in app.title]
    assert not [b for b in app.get("download_button") if b.key == "audit_csv"]


def test_the_page_itself_refuses_a_producer(office: tuple[ScenarioStore, Account]) -> None:
    store, _ = office
    producer = stored_account(store, "李统筹", Role.PRODUCER)
    app = open_trail(store, producer, script=str(PAGE))  # the page run on its own
    assert app.error[0].value == view.NOT_PERMITTED_NOTE
    assert not app.dataframe
    assert not app.get("download_button")


def test_a_row_naming_no_version_or_plan_shows_empty_cells_not_none() -> None:
    table = view.audit_table(
        [
            AuditEvent(
                1,
                dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC),
                "张三",
                Action.LOGIN,
                True,
                None,
                None,
                None,
                "",
            ),
            AuditEvent(
                2,
                dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC),
                "张三",
                Action.SOLVE,
                True,
                1,
                3,
                7,
                "",
            ),
        ],
        {1: "郑州 12 月"},
    )
    shown = view.on_screen(table)
    assert list(shown.iloc[0][["版本 version", "方案 plan"]]) == ["", ""]
    assert list(shown.iloc[1][["版本 version", "方案 plan"]]) == [3, 7]
