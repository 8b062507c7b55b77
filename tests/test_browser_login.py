"""Logging in, in a real browser (issue 17): ``streamlit run ui/app.py`` on a database that
holds accounts, driven by Debian's headless Chromium (see ``tests/browser_support.py``).

The database is made before the app starts: the tutorial with one stored plan, a
producer and a base manager of B2 (the tutorial's second base, so that a base page
showing every base would open on B1). Each test is a new browser session, so it starts
at the login form. Screenshots of the login form and of the base manager's view go to
``/tmp/shots/`` (``SHOOTPLAN_SHOTS`` elsewhere).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    StreamlitApp,
    browser_problem,
    chromium_page,
    go_to,
    main_text,
    open_page,
    running_app,
    wait_until_idle,
)

from scheduler.app.access import screens_for
from scheduler.domain.accounts import Role
from scheduler.io.validation import load_scenario
from scheduler.services.planning import plan_scenario, save_outcome
from scheduler.storage import ScenarioStore, get_engine
from tests.factories import ACCOUNT_PASSWORD, SAMPLES, stored_account

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SHOOTPLAN_SHOTS", "/tmp/shots"))
PRODUCER = "张三"
MANAGER = "李四"
MANAGER_BASE = "B2"


def _database(path: Path) -> None:
    """The tutorial with one plan, and the two accounts, stored before the app starts."""
    engine = get_engine(f"sqlite:///{path}")
    try:
        store = ScenarioStore(engine)
        info = store.create(load_scenario(SAMPLES / "tutorial"))
        scenario, version = store.load(info.scenario_id)
        save_outcome(store, info.scenario_id, version, plan_scenario(scenario, time_limit=5))
        stored_account(store, PRODUCER, Role.PRODUCER)
        stored_account(store, MANAGER, Role.BASE_MANAGER, (MANAGER_BASE,))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitApp]:
    """The app on a database with accounts, answering on a free port; stopped afterwards."""
    if os.environ.get("SHOOTPLAN_SKIP_BROWSER") == "1":
        pytest.skip("SHOOTPLAN_SKIP_BROWSER=1: browser tests skipped")
    problem = browser_problem()
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    folder = tmp_path_factory.mktemp("login")
    _database(folder / "accounts.db")
    with running_app(folder / "accounts.db", folder / "streamlit.log") as running:
        yield running


@pytest.fixture
def page(app: StreamlitApp) -> Iterator[Any]:
    """A Chromium tab (1440 × 1000, zh-CN): a new session, so nobody is signed in."""
    with chromium_page() as tab:
        yield tab


def nav_labels(page: Any) -> list[str]:
    """The sidebar's page links as shown, icons dropped."""
    texts = page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    return [text.split("\n")[-1].strip() for text in texts]


def log_in(page: Any, name: str, password: str) -> None:
    """Fill the login form, press 登录, and wait for the app's answer."""
    page.get_by_label("账号 Account").wait_for()  # drawn a moment after the form's frame
    page.get_by_label("账号 Account").fill(name)
    page.get_by_label("密码 Password").fill(password)
    page.get_by_role("button", name="登录 Log in").click()
    page.wait_for_timeout(300)
    wait_until_idle(page)


def shoot(page: Any, name: str) -> Path:
    """A PNG of the window in :data:`SHOTS`; fails when (nearly) blank."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / name
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000, f"{shot} is (nearly) blank"
    return shot


def test_a_producer_logs_in_and_sees_the_planning_screens(app: StreamlitApp, page: Any) -> None:
    """A bookmark to 排期 shows the login form alone (no "page not found"); a wrong
    password is refused without saying which part was wrong; the right one opens the
    bookmarked page with the producer's menu; 退出登录 returns to the form."""
    open_page(page, app, "plan")
    page.get_by_label("密码 Password").wait_for()
    assert nav_labels(page) == [], "the login form shows no menu"
    assert page.locator("h1").first.inner_text().startswith("ShootPlan 短剧排期")
    assert page.get_by_text("Page not found").count() == 0
    shoot(page, "login.png")

    log_in(page, PRODUCER, "not-the-password")
    assert "账号或密码错误" in main_text(page)
    assert nav_labels(page) == []

    log_in(page, PRODUCER, ACCOUNT_PASSWORD)
    assert not page.locator('[data-testid="stException"]').count(), app.log()
    assert page.locator("h1").first.inner_text().startswith("排期 Plan")
    labels = nav_labels(page)
    assert labels == [screen.title for screen in screens_for(Role.PRODUCER)], labels
    assert "排期 Plan" in labels and "输入 Inputs" in labels
    assert "用户 Users" not in labels and "审计 Audit trail" not in labels
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert f"{PRODUCER} · 统筹 producer" in sidebar, sidebar[:300]

    go_to(page, "输入 Inputs")
    assert page.locator("h1").first.inner_text().startswith("输入 Inputs")

    page.get_by_role("button", name="退出登录 Logout").click()
    page.get_by_label("账号 Account").wait_for()
    assert nav_labels(page) == []


def test_a_base_manager_sees_only_their_three_screens_and_their_base(
    app: StreamlitApp, page: Any
) -> None:
    """A base manager who follows a link to 排期 lands on 基地视图 instead, showing their
    own base; the menu has 产能, 基地视图 and 导出 only."""
    open_page(page, app, "plan")
    log_in(page, MANAGER, ACCOUNT_PASSWORD)
    assert not page.locator('[data-testid="stException"]').count(), app.log()
    assert nav_labels(page) == ["产能 Utilisation", "基地视图 Base manager", "导出 Export"]
    assert page.locator("h1").first.inner_text().startswith("基地视图 Base manager")
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert f"基地 bases {MANAGER_BASE}" in sidebar, sidebar[:300]
    base = page.get_by_role("combobox", name="基地 Base").input_value()
    assert f"（{MANAGER_BASE}）" in base, f"the base page opened on {base!r}"
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    wait_until_idle(page)
    shoot(page, "base_manager.png")
