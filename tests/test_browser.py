"""The app in a real browser: ``streamlit run ui/app.py`` driven by Debian's headless Chromium.

Each test starts the app as a child process on a free port, on a fresh SQLite
file (so the built-in samples are imported as on a first start), and stops it
in the fixture's finalizer. Chromium is the system's ``/usr/bin/chromium``
driven by Playwright; without it (or without Chinese fonts) the tests fail and
say how to install them. ``SHOOTPLAN_SKIP_BROWSER=1`` skips them on a machine
without Chromium; CI never sets it.

The solve uses the tutorial scenario (6 titles, 7 days), which the solver
proves optimal in well under a second, so the test waits for the app, not
for the solver.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    MONTH_NAME,
    REPO_ROOT,
    TUTORIAL_NAME,
    StreamlitApp,
    add_outage,
    browser_problem,
    chromium_page,
    current_scenario,
    go_to,
    main_text,
    open_page,
    pick_scenario,
    run_tutorial_sweep,
    running_app,
    table_rows,
    wait_until_idle,
)

from scheduler.io.validation import load_scenario
from scheduler.services.capacity_report import capacity_report
from scheduler.storage import ScenarioStore, get_engine

pytestmark = pytest.mark.browser

PAGE_TITLES = (
    "场景 Scenarios",
    "输入 Inputs",
    "排期 Plan",
    "顺场表 Stripboard",
    "产能 Utilisation",
    "基地视图 Base manager",
    "产能规划 Capacity planning",
    "区域协同 Pooling",
    "对比 What-if",
    "批量推演 Sweeps",
    "导出 Export",
    # no account exists: the local user is a head, who also sees the accounts and the trail
    "用户 Users",
    "审计 Audit trail",
)
SOLVE_SECONDS = 90


DATABASE = "e2e.db"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[StreamlitApp]:
    """The app on a fresh SQLite database, answering on a free port; stopped afterwards."""
    if os.environ.get("SHOOTPLAN_SKIP_BROWSER") == "1":
        pytest.skip("SHOOTPLAN_SKIP_BROWSER=1: browser tests skipped")
    problem = browser_problem()
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    with running_app(tmp_path / DATABASE, tmp_path / "streamlit.log") as running:
        yield running


@pytest.fixture
def page(app: StreamlitApp) -> Iterator[Any]:
    """A Chromium tab (1440 × 1000, zh-CN)."""
    with chromium_page() as tab:
        yield tab


def nav_labels(page: Any) -> list[str]:
    """The sidebar's page links as shown, icons dropped."""
    texts = page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    return [text.split("\n")[-1].strip() for text in texts]


def test_a_deep_link_shows_the_chinese_navigation(app: StreamlitApp, page: Any) -> None:
    """The first request to a fresh server is /plan (a bookmark): the menu is still the app's.

    With the page files in a folder called ``pages`` next to ``app.py``, Streamlit
    ran such a first request in its old multipage mode: a menu of file names
    ("app", "plan", …). The pages now live in ``ui/views``; this keeps it so.
    """
    open_page(page, app, "plan")
    labels = nav_labels(page)
    assert labels == list(PAGE_TITLES), f"the sidebar menu shows {labels}"
    assert page.locator("h1").first.inner_text().startswith("排期 Plan")


def test_solve_in_the_browser_shows_the_gantt_chart(
    app: StreamlitApp, page: Any, tmp_path: Path
) -> None:
    """Choose the tutorial on 场景, move to 排期 through the menu, solve: a Chinese Gantt chart.

    The app opens on the month sample, so the tutorial is a choice the move to
    another page must keep.
    """
    open_page(page, app, "")
    assert MONTH_NAME in current_scenario(page), "the app opens on the month sample"
    pick_scenario(page, TUTORIAL_NAME)
    go_to(page, "排期 Plan")
    assert TUTORIAL_NAME in current_scenario(page), "the sidebar forgot the chosen scenario"
    assert page.locator(".js-plotly-plot").count() == 0, "a fresh database has no plan yet"

    page.get_by_role("button", name="开始排期 Solve").click()
    page.wait_for_selector(".js-plotly-plot", timeout=SOLVE_SECONDS * 1000)
    wait_until_idle(page, timeout=SOLVE_SECONDS)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=10_000)

    shot = tmp_path / "plan.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000, "the screenshot is (nearly) blank"

    assert not page.locator('[data-testid="stException"]').count(), app.log()
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "排期完成" in main, main[:500]
    assert "最优 optimal" in main, "the tutorial solves to its proven optimum"
    chart = page.locator(".js-plotly-plot").first.inner_text()
    assert any("\u4e00" <= char <= "\u9fff" for char in chart), (
        f"no Chinese in the Gantt chart's labels: {chart[:200]!r}"
    )
    assert TUTORIAL_NAME in current_scenario(page)

    # the base manager's screen on the new plan: pick a week, the sentence and grid follow
    go_to(page, "基地视图 Base manager")
    week = page.get_by_role("combobox", name="周 Week（周一至周日 Mon–Sun）")
    week.click()
    page.get_by_role("option").filter(has_text="第49周 12-01~12-06").first.click()
    wait_until_idle(page)
    assert not page.locator('[data-testid="stException"]').count(), app.log()
    main = main_text(page)
    assert "第49周 12-01~12-06：" in main and "个开放棚日" in main, main[:500]
    assert page.locator(".js-plotly-plot").count() == 1  # the sets × days grid


def test_capacity_page_computes_the_bound_in_chinese(app: StreamlitApp, page: Any) -> None:
    """产能规划 on the month (the scenario the app opens on): 计算 computes in the background
    (计算中… meanwhile, seconds at most) and then draws the bound and the weekly and
    idle-capacity charts, with Chinese labels."""
    open_page(page, app, "capacity")
    assert MONTH_NAME in current_scenario(page)
    assert page.locator(".js-plotly-plot").count() == 0, "nothing is computed before 计算"

    page.get_by_role("button", name="计算 Compute").click()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    wait_until_idle(page, timeout=60)

    assert not page.locator('[data-testid="stException"]').count(), app.log()
    bound = capacity_report(load_scenario(REPO_ROOT / "sample_data" / "zhengzhou-month"))
    metric = page.locator('[data-testid="stMetric"]').first.inner_text()
    assert "优先级上界" in metric and f"{bound.answer.priority_bound:,}" in metric, metric
    assert page.locator(".js-plotly-plot").count() == 3
    weekly = page.locator(".js-plotly-plot").first.inner_text()
    assert "第49周" in weekly and "开放棚日" in weekly, weekly[:300]  # Tue 12-01 … Sun 12-06
    assert page.get_by_role("button", name="重新计算 Re-compute").count() == 1


def solve_on_the_page(page: Any, seconds: int, plan_id: int) -> None:
    """Set the time limit, press 开始排期 and wait until the page shows plan ``plan_id`` saved."""
    limit = page.get_by_role("spinbutton", name="时限")
    limit.fill(str(seconds))
    limit.press("Enter")
    wait_until_idle(page)
    page.get_by_role("button", name="开始排期 Solve").click()
    saved = page.get_by_text(f"排期完成，已保存为方案 #{plan_id}")
    saved.wait_for(timeout=SOLVE_SECONDS * 1000)
    wait_until_idle(page, timeout=SOLVE_SECONDS)


def test_an_outage_picked_by_name_and_a_re_plan_show_the_change_list(
    app: StreamlitApp, page: Any, tmp_path: Path
) -> None:
    """Plan the tutorial and publish it (as 张三); on 输入 add an outage for the actor of a
    published title on its first day, picking 演员 and the actor by name; save; on 排期
    revise the plan (在已有方案上修改): the 变更单 lists that title for approval."""
    open_page(page, app, "")
    pick_scenario(page, TUTORIAL_NAME)
    go_to(page, "排期 Plan")
    solve_on_the_page(page, seconds=5, plan_id=1)
    who = page.get_by_label("发布人")
    who.fill("张三")
    who.press("Enter")
    wait_until_idle(page)
    page.get_by_role("button", name="发布方案").click()
    # the click's rerun may start after a first look finds the page idle: wait for its words
    page.get_by_text("已发布至 12-07 · 方案 #1 · 由 张三 于 ").wait_for(timeout=30_000)
    wait_until_idle(page)

    # the title to break, and its actor, as the app stored them
    engine = get_engine(f"sqlite:///{tmp_path / DATABASE}")
    try:
        store = ScenarioStore(engine)
        found = store.find(TUTORIAL_NAME)
        assert found is not None
        scenario, _version = store.load(found.scenario_id)
        plan = store.load_plan(store.list_plans(found.scenario_id)[-1].plan_id)[0]
    finally:
        engine.dispose()
    title = scenario.title_by_id[min(plan.scheduled_title_ids)]
    first_day = plan.shoots_of(title.title_id)[0].date
    actor = next(a for a in scenario.actors if a.actor_id == title.cast[0])

    go_to(page, "输入 Inputs")
    add_outage(page, "演员", actor.name, first_day)
    page.get_by_role("button", name="保存 Save").click()
    page.get_by_text("已保存为版本 v2").wait_for(timeout=30_000)
    wait_until_idle(page)

    go_to(page, "排期 Plan")
    mode = page.locator('[data-testid="stRadioGroup"] label').filter(has_text="在已有方案上修改")
    mode.click()
    page.get_by_text("要修改的方案 Plan to revise").wait_for(timeout=30_000)
    wait_until_idle(page)
    solve_on_the_page(page, seconds=5, plan_id=2)

    assert not page.locator('[data-testid="stException"]').count(), app.log()
    shown = main_text(page)
    assert "变更单 Change list（" in shown and "需审批" in shown, shown[:1500]
    rows = table_rows(page, "原安排")
    assert rows[0] == ["剧目", "变更", "原安排", "新安排", "原因"], rows[0]
    row = next((r for r in rows if r[0] == f"{title.title_id} {title.name}"), None)
    assert row is not None, f"{title.title_id} is not in the change list: {rows}"
    assert row[4].startswith("已发布，需审批：原安排不再可行"), row
    assert actor.actor_id in row[4], row
    assert page.get_by_role("button", name="下载变更单").count() == 1
    shot = tmp_path / "plan_change_list.png"
    page.set_viewport_size({"width": 1440, "height": 1500})  # the list and the publish control
    wait_until_idle(page)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000, "the screenshot is (nearly) blank"


def test_the_stripboard_shows_a_titles_strips_in_chinese(
    app: StreamlitApp, page: Any, tmp_path: Path
) -> None:
    """顺场表 on the month (the scenario the app opens on): pick a three-day title, see its
    day breaks and strips, and 重新排序 shows the proven cheapest cost beside the current one."""
    open_page(page, app, "stripboard")
    assert MONTH_NAME in current_scenario(page)
    assert page.locator("h1").first.inner_text().startswith("顺场表 Stripboard")
    combo = page.get_by_role("combobox", name="剧目 Title")
    combo.click()
    combo.fill("T0332")
    page.get_by_role("option").filter(has_text="T0332").first.click()
    wait_until_idle(page)
    page.get_by_role("button", name="重新排序 Re-sequence").click()
    page.get_by_text("最省顺序 Cheapest（已证最省）").wait_for(timeout=30_000)
    wait_until_idle(page)

    assert not page.locator('[data-testid="stException"]').count(), app.log()
    strips = page.locator('tr[data-kind="strip"]')
    assert strips.count() == 14, "T0332 has 14 scenes"
    assert strips.first.is_visible()
    breaks = page.locator('tr[data-kind="day-break"]').all_inner_texts()
    assert [text.split("·")[0].strip() for text in breaks] == [
        "第 1 天 / 共 3 天",
        "第 2 天 / 共 3 天",
        "第 3 天 / 共 3 天",
    ]
    assert all("豪车内景" in text and "合计" in text and "分钟" in text for text in breaks)
    shot = tmp_path / "stripboard.png"
    page.set_viewport_size({"width": 1440, "height": 1700})  # the comparison and the board
    wait_until_idle(page)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000, "the screenshot is (nearly) blank"


def test_a_sweep_built_and_run_in_the_browser_shows_the_noise_verdict(
    app: StreamlitApp, page: Any, tmp_path: Path
) -> None:
    """批量推演 on the tutorial at 1280 px: the grid builds 现状 and B2 closed its first week,
    two seeds of 3 s each run on Ray (started by the app), and the results table says per
    variant whether the difference is beyond solver noise, beside the chart."""
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_page(page, app, "")
    pick_scenario(page, TUTORIAL_NAME)
    go_to(page, "批量推演 Sweeps")
    assert page.locator("h1").first.inner_text().startswith("批量推演 Sweeps")
    run_tutorial_sweep(page, closed_base="B2", seeds=2, seconds=3)

    assert not page.locator('[data-testid="stException"]').count(), app.log()
    rows = table_rows(page, "判断 verdict")
    assert [row[0] for row in rows[1:]] == ["现状", "B2停12-01…12-07"], rows
    assert rows[1][-1] == "基准 reference", rows[1]
    assert "差异" in rows[2][-1], rows[2]  # 差异超出求解波动 / 差异在求解波动范围内
    assert "完成 done" in main_text(page)
    assert "Choose an option" not in main_text(page), "the reference picker lost its default"
    chart = page.locator(".js-plotly-plot").first.inner_text()
    assert "已排剧目" in chart and "成本" in chart, chart[:300]
    wider = page.evaluate(
        """() => { const main = document.querySelector('[data-testid="stMain"]');
                   return main.scrollWidth - main.clientWidth; }"""
    )
    assert wider <= 0, f"the page is {wider} px wider than the 1280 px window"
    shot = tmp_path / "sweep.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000, "the screenshot is (nearly) blank"
