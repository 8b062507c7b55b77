"""A base manager's login cannot change anything, nor read which titles or crews book another
base's sets, through any page or download (issue 17).

The office (:func:`tests.factories.base_manager_scenario`) has two bases: 甲地 BJ, the base
manager's, and 乙地 BY, booked by a title, a crew and an actor whose names and ids are found
nowhere else. Every page of ``ui/views`` is run in AppTest as the base manager and everything
it renders (text, tables, chart JSON, pickers, metrics) is searched for them; a producer on
the pages that show bookings finds them, so the search can fail. Every download of the
export page is made as each of the two (as the browser would on a click) and read back.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import streamlit as st
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from scheduler.app import visibility
from scheduler.app.support import open_store
from scheduler.check.kpis import compute_kpis
from scheduler.domain.accounts import Account, Action, Role, SignedIn
from scheduler.services.accounts import NotPermittedError, acting, create_account
from scheduler.storage import ScenarioInfo, ScenarioStore
from tests.app_pages import APP, Made
from tests.factories import base_manager_scenario
from ui.current import SCENARIO_KEY, SIGNED_IN_KEY

PAGES = sorted(path.name for path in (APP.parent / "views").glob("*.py"))
"""Every page file, whether or not a base manager's menu lists it."""

OTHER_BASE = ("TYI7", "乙地秘密剧", "CYI7", "乙地王导组", "AYI7", "乙地秘密演员")
"""Who books 乙地 BY only: the title, its crew and its cast, by id and by name."""
LEFT_OUT = ("TLEFT7", "未排秘密剧")
"""The title no base books (only files of the whole plan name it)."""
OWN_BASE = ("甲地公开剧", "甲地张导组")
"""Who books 甲地 BJ, the base manager's base."""

SHOWS_OTHER_BASE = ("base.py", "export.py", "inputs.py", "plan.py", "utilisation.py")
"""The pages that name 乙地's title or crew to a producer (base.py once BY is picked)."""

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
"""Every download the export page offers (the base and utilisation pages offer none)."""
OWN_BASE_DOWNLOADS = ("dl_base_xlsx", "dl_bases_xlsx")
"""The downloads a base manager is offered: the booking sheets of their own bases."""


@dataclass(frozen=True)
class Office:
    """The stored two-base scenario, its plan, and a base manager of BJ and a producer."""

    store: ScenarioStore
    info: ScenarioInfo
    plan_id: int
    manager: Account
    producer: Account


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Office:
    """A fresh SQLite database with :func:`base_manager_scenario`, its plan and two accounts."""
    url = f"sqlite:///{tmp_path}/office.db"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    store = open_store(url)
    scenario, plan = base_manager_scenario()
    info = store.create(scenario)
    kpis = compute_kpis(scenario, plan, status="feasible", priority_bound=None, solve_seconds=0)
    plan_id = store.save_plan(info.scenario_id, info.version, plan, kpis, "基准")
    manager = create_account(store, "甲地经理", Role.BASE_MANAGER, ["BJ"], "password-of-bj")
    producer = create_account(store, "统筹小王", Role.PRODUCER, [], "password-of-all")
    return Office(store, info, plan_id, manager, producer)


def open_as(office: Office, account: Account, page: str, **picked: object) -> AppTest:
    """Run the app on ``page`` signed in as ``account``; ``picked`` sets pickers by key first."""
    app = AppTest.from_file(str(APP), default_timeout=30)
    now = dt.datetime.now(dt.UTC)
    app.session_state[SCENARIO_KEY] = office.info.scenario_id
    app.session_state[SIGNED_IN_KEY] = SignedIn(account, since=now, last_seen=now)
    app.switch_page(f"views/{page}")
    app.run()
    assert not app.exception, app.exception
    if picked:
        for key, value in picked.items():
            app.selectbox(key=key).set_value(value)
        app.run()
        assert not app.exception, app.exception
    return app


def _texts(node: Any) -> Iterator[str]:
    kind = getattr(node, "type", "")
    proto = getattr(node, "proto", None)
    if kind in ("arrow_data_frame", "table"):
        frame = node.value
        yield " ".join(map(str, frame.columns)) + "\n" + frame.to_csv(index=False)
    elif kind == "plotly_chart":
        yield json.dumps(json.loads(proto.spec), ensure_ascii=False)  # hovers, labels, data
    elif proto is not None:
        yield text_format.MessageToString(proto, as_utf8=True)  # text, options, metrics, help
    for child in getattr(node, "children", {}).values():
        yield from _texts(child)


def shown(app: AppTest) -> str:
    """Everything the run rendered, main area and sidebar, as text."""
    return "\n".join(_texts(app._tree))


def named(text: str, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if name in text]


def file_text(file_name: str, content: bytes | str) -> str:
    """What a downloaded file says: CSV text, every cell, sheet name and page header of a
    workbook, every file of a zip. A PDF's text is glyph numbers, not characters: ``""``."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if file_name.endswith(".csv"):
        return data.decode("utf-8-sig")
    if file_name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data))
        parts = []
        for sheet in book.worksheets:
            parts += [sheet.title, str(sheet.oddHeader.left.text)]
            parts += [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
        return "\n".join(parts)
    if file_name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                member + "\n" + file_text(member, archive.read(member))
                for member in archive.namelist()
            )
    assert file_name.endswith(".pdf"), file_name
    assert data.startswith(b"%PDF")
    return ""


def download(app: AppTest, made_files: dict[str, Made], key: str) -> Made:
    """The file behind the download button ``key`` of the last run."""
    (button,) = [b for b in app.get("download_button") if b.key == key]
    return made_files[button.proto.deferred_file_id]


def downloads_of(office: Office, account: Account) -> list[tuple[str, bool]]:
    return [
        (event.detail, event.ok)
        for event in office.store.audit_events(user=account.name, action=Action.DOWNLOAD)
    ]


# -- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_a_base_manager_reads_no_booking_of_another_base_on_any_page(
    office: Office, page: str
) -> None:
    app = open_as(office, office.manager, page)
    assert named(shown(app), OTHER_BASE + LEFT_OUT) == []


@pytest.mark.parametrize("page", SHOWS_OTHER_BASE)
def test_a_producer_reads_who_books_the_other_base_on_the_same_page(
    office: Office, page: str
) -> None:
    # 第49周, the week of the shoots
    picked: dict[str, object] = {"base_view_base": "BY", "base_view_week": 0}
    if page != "base.py":
        picked = {}
    app = open_as(office, office.producer, page, **picked)
    assert named(shown(app), OTHER_BASE)


def test_the_base_page_offers_a_base_manager_their_own_bases_with_the_plans_figures(
    office: Office,
) -> None:
    app = open_as(office, office.manager, "base.py", base_view_week=0)  # 第49周: the shoots
    assert app.title[0].value == "基地视图 Base manager"
    assert app.selectbox(key="base_view_base").options == ["甲地影视基地（BJ）"]
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["已排/未排 titles"] == "2 / 1"
    assert metrics["拍摄场次 shoots"] == "4"
    # the manager's own base shows who books it
    assert named(shown(app), OWN_BASE) == list(OWN_BASE)


def test_the_base_page_offers_a_producer_every_base(office: Office) -> None:
    app = open_as(office, office.producer, "base.py")
    options = app.selectbox(key="base_view_base").options
    assert options == ["甲地影视基地（BJ）", "乙地影视基地（BY）"]


def test_utilisation_lists_a_base_managers_crews_only(office: Office) -> None:
    app = open_as(office, office.manager, "utilisation.py")
    crews = json.loads(app.get("plotly_chart")[-1].proto.spec)["data"][0]["y"]
    assert crews == ["甲地张导组（CJIA7）"]
    # the KPIs and every base's booked / available counts stay
    assert {metric.label for metric in app.metric} >= {
        "已排/未排 titles",
        "场景利用率 set utilisation",
    }
    heatmap = json.loads(app.get("plotly_chart")[0].proto.spec)["data"][0]
    assert heatmap["y"] == ["甲地影视基地", "乙地影视基地"]


def test_utilisation_lists_every_crew_for_a_producer(office: Office) -> None:
    app = open_as(office, office.producer, "utilisation.py")
    crews = json.loads(app.get("plotly_chart")[-1].proto.spec)["data"][0]["y"]
    assert sorted(crews) == ["乙地王导组（CYI7）", "甲地张导组（CJIA7）"]


def test_export_offers_a_base_manager_their_booking_sheets_only_and_says_why(
    office: Office,
) -> None:
    app = open_as(office, office.manager, "export.py")
    assert {button.key for button in app.get("download_button")} == set(OWN_BASE_DOWNLOADS)
    assert app.selectbox(key="export_base").options == ["甲地影视基地（BJ）"]
    assert any("不提供" in message.value for message in app.info)


@pytest.mark.parametrize("role", [Role.PRODUCER, Role.VIEWER])
def test_export_offers_every_file_to_a_role_that_sees_every_base(
    office: Office, role: Role
) -> None:
    account = create_account(office.store, f"看全部的{role.value}", role, [], "password-of-all")
    app = open_as(office, account, "export.py")
    assert {button.key for button in app.get("download_button")} == set(DOWNLOADS)
    assert not any("不提供" in message.value for message in app.info)


# -- downloads -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", DOWNLOADS)
def test_a_producers_download_names_the_other_base_and_is_audited(
    office: Office, made_files: dict[str, Made], key: str
) -> None:
    app = open_as(
        office,
        office.producer,
        "export.py",
        export_crew="CYI7",
        export_base="BY",
        call_sheet_crew="CYI7",
    )
    made = download(app, made_files, key)
    text = file_text(made.file_name, made.make())
    if not made.file_name.endswith(".pdf"):
        assert named(text, OTHER_BASE + LEFT_OUT)
    assert downloads_of(office, office.producer) == [(made.file_name, True)]


@pytest.mark.parametrize("key", DOWNLOADS)
def test_a_base_managers_download_names_no_other_base_even_if_a_page_offered_it(
    office: Office, made_files: dict[str, Made], key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page that offered every file by mistake: the files are still made (or refused) on
    # the server as the signed-in base manager.
    with monkeypatch.context() as mistake:
        mistake.setattr(visibility, "sees_whole_plan", lambda *_: True)
        app = open_as(office, office.manager, "export.py")
    made = download(app, made_files, key)
    if key in OWN_BASE_DOWNLOADS:
        text = file_text(made.file_name, made.make())
        assert named(text, OTHER_BASE + LEFT_OUT) == []
        assert named(text, OWN_BASE) == list(OWN_BASE)
        assert downloads_of(office, office.manager) == [(made.file_name, True)]
    else:
        with pytest.raises(NotPermittedError, match="只能看自己基地"):
            made.make()
        [(detail, ok)] = downloads_of(office, office.manager)
        assert not ok and detail.startswith(made.file_name) and "无权限" in detail


# -- changes -------------------------------------------------------------------------------

CHANGES = [action for action in Action if action not in (Action.LOGIN, Action.DOWNLOAD)]


@pytest.mark.parametrize("action", CHANGES, ids=lambda action: action.value)
def test_a_base_manager_changes_nothing(store: ScenarioStore, action: Action) -> None:
    scenario, plan = base_manager_scenario()
    info = store.create(scenario)
    manager = Account("甲地经理", Role.BASE_MANAGER, ("BJ",))
    with pytest.raises(NotPermittedError), acting(store, manager, action):
        store.save(info.scenario_id, scenario, info.version)
        store.save_plan(info.scenario_id, info.version, plan, {})
    assert store.info(info.scenario_id).version == info.version
    assert store.list_plans(info.scenario_id) == []
    (row,) = store.audit_events(user=manager.name)
    assert (row.action, row.ok) == (action, False)


def test_a_producer_saves_what_a_base_manager_may_not(store: ScenarioStore) -> None:
    scenario, plan = base_manager_scenario()
    info = store.create(scenario)
    producer = Account("统筹小王", Role.PRODUCER)
    with acting(store, producer, Action.SOLVE):
        store.save_plan(info.scenario_id, info.version, plan, {})
    assert len(store.list_plans(info.scenario_id)) == 1
