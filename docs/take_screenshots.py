"""Regenerate ``docs/screenshots/*.png``: every page of the app in Debian's headless Chromium.

Run from the repository root (needs ``chromium`` and ``fonts-noto-cjk``)::

    python docs/take_screenshots.py            # month solves of 30 s each
    python docs/take_screenshots.py --time-limit 60

It starts the app on a fresh SQLite file (the samples are imported as on a
first start) and walks through what the README's "done when" asks of a new
user: solve the Zhengzhou month on 排期, clone it, make a crew unavailable
for three days in the clone (through the store API), solve the clone by revising
the month's plan (only what the outage breaks moves), then
look at 产能 and 基地视图, compare both plans on 对比 and open 导出. One PNG per page,
the whole page high; the live progress line of a running solve gets its own. Last,
every page of the menu at 1500 × 950 and 1280 × 800 is checked for a horizontal scroll
bar on the main content and for exceptions (one line each; exit 1 if any), and saved
at 1280 × 800 in ``docs/screenshots/1280x800/``.

产能规划 is shown on a second what-if, the month with eight crews lent out for the
whole month (so crews bind and the page has additions to propose), planned through the
store API, with a budget typed in. ``--only capacity`` takes that screenshot alone,
without the solves in the browser::

    python docs/take_screenshots.py --only capacity

批量推演 Sweeps is shown at 1280 px wide on a tiny sweep of the tutorial (现状 and B2 closed
its first week, two seeds of 3 s each, on a Ray the app starts): ``sweep.png``, or alone::

    python docs/take_screenshots.py --only sweep
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "tests"))

from browser_support import (  # noqa: E402
    MONTH_NAME,
    TUTORIAL_NAME,
    StreamlitApp,
    browser_problem,
    chromium_page,
    go_to,
    open_page,
    pick_scenario,
    run_tutorial_sweep,
    running_app,
    wait_until_idle,
)

from scheduler.app.support import open_store  # noqa: E402
from scheduler.domain.model import Unavailability  # noqa: E402
from scheduler.services.planning import plan_scenario, save_outcome  # noqa: E402
from scheduler.storage import ScenarioStore  # noqa: E402

OUT = REPO_ROOT / "docs" / "screenshots"
WIDTH = 1500
SIZES = ((1500, 950), (1280, 800))
"""Window sizes every page must fit without a horizontal scroll bar on the main content."""
CLONE_NAME = "郑州 12月 · 剧组停工三天 what-if"
OUTAGE_DAYS = 3
CAPACITY_NAME = "郑州 12月 · 8 个剧组整月外借 what-if"
CREWS_LENT = 8
CAPACITY_BUDGET_WAN = 200
MAX_HEIGHT = 5000


def page_height(page: Any) -> int:
    """Height of the page's content: Streamlit scrolls inside its main section, not the body."""
    return int(
        page.evaluate(
            """() => Math.max(
                document.scrollingElement.scrollHeight,
                ...Array.from(document.querySelectorAll(
                    '[data-testid="stMain"], [data-testid="stAppViewContainer"],'
                    + ' [data-testid="stMainBlockContainer"]'
                )).map(el => el.scrollHeight))"""
        )
    )


def shoot(page: Any, name: str, width: int = WIDTH) -> Path:
    """Screenshot the whole page (window grown to its content) as ``docs/screenshots/name.png``,
    ``width`` pixels wide."""
    page.mouse.click(5, 5)  # no focused widget, no open menu
    page.mouse.move(0, 0)  # no hover label over a chart
    for _ in range(3):  # charts re-lay out when the window grows; measure again
        height = min(MAX_HEIGHT, max(900, page_height(page) + 40))
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(700)
        if abs(page_height(page) + 40 - height) < 20 or height == MAX_HEIGHT:
            break
    wait_until_idle(page)
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": WIDTH, "height": 1000})
    print(f"  {path.relative_to(REPO_ROOT)}  ({height} px high)")
    return path


def solve_on_plan_page(
    page: Any, app: StreamlitApp, time_limit: int, progress: str = "", revise: bool = False
) -> None:
    """Press 开始排期 with ``time_limit`` seconds and wait for the Gantt chart of the result.

    With ``progress`` set, a screenshot of the live progress line is taken a few seconds in.
    With ``revise``, the solve revises the newest stored plan (the page's default choice)
    instead of planning afresh.
    """
    go_to(page, "排期 Plan")
    if revise:
        page.get_by_text("在已有方案上修改").first.click()
        wait_until_idle(page)
    limit = page.get_by_label("时限（秒）Time limit (s)")
    limit.fill(str(time_limit))
    limit.press("Enter")
    wait_until_idle(page)
    plots_before = page.locator(".js-plotly-plot").count()
    started = time.monotonic()
    page.get_by_role("button", name="开始排期 Solve").click()
    page.wait_for_selector('[data-testid="stProgress"]', timeout=30_000)  # the solve runs
    if progress:
        page.wait_for_timeout(6_000)
        shoot(page, progress)
    deadline = time.monotonic() + time_limit + 120
    while time.monotonic() < deadline:
        done = page.get_by_text("排期完成").count() > 0
        if done and page.locator(".js-plotly-plot").count() >= max(1, plots_before):
            break
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"the Plan page raised an error:\n{app.log()}")
        page.wait_for_timeout(1000)
    else:
        raise TimeoutError(f"no plan {time_limit + 120} s after pressing Solve:\n{app.log()}")
    wait_until_idle(page, timeout=60)
    print(f"  solved in the browser in {time.monotonic() - started:.0f} s")


def make_what_if(store: ScenarioStore) -> tuple[str, date, date]:
    """Clone the month as :data:`CLONE_NAME`; its busiest crew is off three days in the first week.

    Returns the crew id and the outage's first and last date.
    """
    month = store.find(MONTH_NAME)
    if month is None:
        raise RuntimeError(f"the sample {MONTH_NAME!r} is not in the database")
    plans = store.list_plans(month.scenario_id)
    if not plans:
        raise RuntimeError("the month has no plan to take the busiest crew from")
    plan, _, _ = store.load_plan(plans[-1].plan_id)
    scenario, _ = store.load(month.scenario_id)
    first = scenario.start_date + timedelta(days=2)
    last = first + timedelta(days=OUTAGE_DAYS - 1)
    busy = Counter(shoot.crew_id for shoot in plan.shoots if first <= shoot.date <= last)
    crew_id = busy.most_common(1)[0][0]

    clone = store.clone(month.scenario_id, CLONE_NAME)
    scenario, version = store.load(clone.scenario_id)
    outage = Unavailability("crew", crew_id, first, last, note="请假三天 / off for three days")
    store.save(
        clone.scenario_id, replace(scenario, unavailable=(*scenario.unavailable, outage)), version
    )
    return crew_id, first, last


def compare_two_plans(page: Any) -> None:
    """On 对比, see that the page preselected two plans (the month's and the what-if's)."""
    if not page.get_by_text("指标对比 KPIs side by side").count():
        shown = page.locator('[data-testid="stMain"]').inner_text()[:600]
        raise RuntimeError(f"对比 did not preselect two plans; it shows:\n{shown}")


def make_capacity_what_if(store: ScenarioStore, time_limit: int) -> str:
    """Clone the month as :data:`CAPACITY_NAME`, its last eight crews off all month; plan it.

    The plan is made through the store API (``time_limit`` seconds), so the page can show
    it as a share of the bound. Returns the clone's name.
    """
    month = store.find(MONTH_NAME)
    if month is None:
        raise RuntimeError(f"the sample {MONTH_NAME!r} is not in the database")
    clone = store.clone(month.scenario_id, CAPACITY_NAME)
    scenario, version = store.load(clone.scenario_id)
    last = scenario.start_date + timedelta(days=scenario.days - 1)
    lent = tuple(
        Unavailability("crew", crew.crew_id, scenario.start_date, last, note="外借 / lent out")
        for crew in scenario.crews[-CREWS_LENT:]
    )
    scenario = replace(scenario, unavailable=(*scenario.unavailable, *lent))
    version = store.save(clone.scenario_id, scenario, version)
    outcome = plan_scenario(scenario, time_limit=time_limit)
    save_outcome(store, clone.scenario_id, version, outcome, f"排期 {time_limit}s")
    return CAPACITY_NAME


def capacity_screen(page: Any, app: StreamlitApp, database: Path, time_limit: int) -> None:
    """产能规划 on the crews-lent-out what-if, with a budget: compute and shoot ``4b_capacity``."""
    print(f"what-if: {CREWS_LENT} crews lent out; planning it ({time_limit} s)…")
    name = make_capacity_what_if(open_store(f"sqlite:///{database}"), time_limit)
    go_to(page, "场景 Scenarios")  # a rerun: the sidebar now lists the clone
    pick_scenario(page, name)
    go_to(page, "产能规划 Capacity planning")
    budget = page.get_by_role("spinbutton", name="预算（万元）budget (10k CNY)")
    budget.fill(str(CAPACITY_BUDGET_WAN))
    budget.press("Enter")
    wait_until_idle(page)
    page.get_by_role("button", name="计算 Compute").click()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
    wait_until_idle(page, timeout=120)
    if page.locator('[data-testid="stException"]').count():
        raise RuntimeError(f"the Capacity page raised an error:\n{app.log()}")
    shoot(page, "4b_capacity")


def sweep_screen(page: Any, app: StreamlitApp) -> None:
    """批量推演 on the tutorial at 1280 px: 现状 and B2 closed its first week, two seeds of
    3 s each, run on Ray; shoot ``sweep`` with the results table and chart."""
    print("sweep: the tutorial, 2 variants × 2 seeds…")
    go_to(page, "场景 Scenarios")
    pick_scenario(page, TUTORIAL_NAME)
    go_to(page, "批量推演 Sweeps")
    page.set_viewport_size({"width": 1280, "height": 1000})
    run_tutorial_sweep(page, closed_base="B2", seeds=2, seconds=3)
    if page.locator('[data-testid="stException"]').count():
        raise RuntimeError(f"the Sweeps page raised an error:\n{app.log()}")
    shoot(page, "sweep", width=1280)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", type=int, default=30, help="seconds per month solve")
    parser.add_argument(
        "--only",
        choices=["capacity", "sweep"],
        default=None,
        help="take only this page's screenshot (capacity: 4b_capacity.png, no browser solves; "
        "sweep: sweep.png, a tiny sweep of the tutorial)",
    )
    args = parser.parse_args(argv)
    problem = browser_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shootplan-shots-") as tmp:
        database = Path(tmp) / "screens.db"
        log = Path(tmp) / "streamlit.log"
        with running_app(database, log) as app, chromium_page(WIDTH, 1000) as page:
            open_page(page, app, "")  # the first start imports the samples
            pick_scenario(page, MONTH_NAME)  # waits until they are in
            if args.only == "capacity":
                capacity_screen(page, app, database, min(args.time_limit, 20))
                return check_log(app)
            if args.only == "sweep":
                sweep_screen(page, app)
                return check_log(app)
            shoot(page, "1_scenarios")
            go_to(page, "输入 Inputs")
            shoot(page, "2_inputs")

            print(f"solving {MONTH_NAME} ({args.time_limit} s)…")
            solve_on_plan_page(page, app, args.time_limit, progress="3_plan_solving")
            shoot(page, "3_plan")

            crew_id, first, last = make_what_if(open_store(f"sqlite:///{database}"))
            print(f"what-if: crew {crew_id} off {first}…{last}; solving {CLONE_NAME}…")
            go_to(page, "场景 Scenarios")  # a rerun: the sidebar now lists the clone
            pick_scenario(page, CLONE_NAME)
            solve_on_plan_page(page, app, args.time_limit, revise=True)
            shoot(page, "3_plan_what_if")

            go_to(page, "产能 Utilisation")
            shoot(page, "4_utilisation")
            go_to(page, "对比 What-if")
            compare_two_plans(page)
            shoot(page, "5_whatif")
            go_to(page, "导出 Export")
            shoot(page, "6_export")
            capacity_screen(page, app, database, min(args.time_limit, 20))
            go_to(page, "场景 Scenarios")
            pick_scenario(page, MONTH_NAME)
            go_to(page, "基地视图 Base manager")
            shoot(page, "4c_base")
            sweep_screen(page, app)
            page.set_viewport_size({"width": WIDTH, "height": 1000})
            print("layout at 1500 × 950 and 1280 × 800:")
            failed = layout_check(page, app)
            return check_log(app) or int(failed > 0)


def overflow(page: Any) -> int:
    """How many pixels the main content is wider than its window (0: no horizontal scroll)."""
    return int(
        page.evaluate(
            """() => {
                const main = document.querySelector('[data-testid="stMain"]');
                const body = document.scrollingElement;
                return Math.max(main.scrollWidth - main.clientWidth,
                                body.scrollWidth - body.clientWidth);
            }"""
        )
    )


def layout_check(page: Any, app: StreamlitApp) -> int:
    """Every page of the menu at each of :data:`SIZES`: no horizontal scroll, no exception.

    Prints one line per page and size and saves the window at 1280 × 800 as
    ``docs/screenshots/1280x800/<page>.png``; returns the number of pages that failed.
    """
    links = page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    titles = [text.split("\n")[-1].strip() for text in links]
    small = OUT / "1280x800"
    small.mkdir(parents=True, exist_ok=True)
    failed = 0
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for number, title in enumerate(titles, start=1):
            go_to(page, title)
            wait_until_idle(page, timeout=60)
            page.wait_for_timeout(800)
            wider = overflow(page)
            errors = page.locator('[data-testid="stException"]').count()
            ok = wider <= 0 and errors == 0
            failed += not ok
            print(
                f"  {width}×{height} {title}: {'ok' if ok else 'FAILED'} "
                f"(wider by {max(wider, 0)} px, {errors} exceptions)"
            )
            if (width, height) == SIZES[1]:
                page.screenshot(path=str(small / f"{number}_{title.split()[-1].lower()}.png"))
    page.set_viewport_size({"width": WIDTH, "height": 1000})
    return failed


def check_log(app: StreamlitApp) -> int:
    """1 (and the lines) if the app logged an error, else 0."""
    errors = [line for line in app.log().splitlines() if "Traceback" in line or "Error" in line]
    if errors:
        print("the app logged errors:\n" + "\n".join(errors), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
