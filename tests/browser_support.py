"""Run the Streamlit app on a local port and drive it in Debian's headless Chromium.

Shared by ``tests/test_browser.py`` and ``docs/take_screenshots.py``. The app
runs as ``streamlit run ui/app.py`` in a child process from the repository
root, on its own SQLite file, so the built-in samples are imported fresh.
Playwright drives the system's ``/usr/bin/chromium`` (``executable_path``):
Playwright's own browser download does not work everywhere, and is never used.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import IO, Any

REPO_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("SHOOTPLAN_CHROMIUM", "/usr/bin/chromium"))
INSTALL_HINT = "sudo apt-get install -y chromium fonts-noto-cjk"
TUTORIAL_NAME = "教程：两个基地一周"
MONTH_NAME = "郑州基地群 2026年12月"
APP_START_SECONDS = 90.0
BUSY_MARKS = ("stStatusWidget", "stSkeleton", "stSpinner")
"""Elements Streamlit shows while a script runs or a cached function computes."""


def browser_problem() -> str | None:
    """Why the browser test cannot run here (Chromium or the CJK fonts missing), or None."""
    if not CHROMIUM.exists():
        return (
            f"Chromium not found at {CHROMIUM}. Install Debian's browser and Chinese fonts: "
            f"`{INSTALL_HINT}` (or set SHOOTPLAN_SKIP_BROWSER=1 to skip the browser test)."
        )
    fc_list = shutil.which("fc-list")
    if fc_list is not None:
        fonts = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
        ).stdout
        if not fonts.strip():
            return (
                "No Chinese font installed: Chromium would draw Chinese as empty boxes. "
                f"Install it: `{INSTALL_HINT}`."
            )
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


class StreamlitApp:
    """``streamlit run ui/app.py`` in a child process; :meth:`stop` ends it and its children."""

    def __init__(self, database: Path, log_path: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = os.environ | {
            "DATABASE_URL": f"sqlite:///{database}",
            "PYTHONUNBUFFERED": "1",
        }
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "ui/app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ]
        self._log: IO[bytes] = log_path.open("wb")
        # its own process group: the solver's child processes are ended with it
        self.process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, timeout: float = APP_START_SECONDS) -> None:
        """Return once the app answers its health check; raise with its log if it does not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with code {self.process.returncode}:\n{self.log()}"
                )
            if _healthy(self.url):
                return
            time.sleep(0.3)
        raise RuntimeError(
            f"streamlit did not answer on {self.url} in {timeout:.0f} s:\n{self.log()}"
        )

    def log(self) -> str:
        """What the app printed so far."""
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """End the app and every process it started (SIGTERM, then SIGKILL after 10 s)."""
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        # the group's stragglers too (a solve's LP-bound child, a hung app)
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log.close()


@contextmanager
def running_app(database: Path, log_path: Path) -> Iterator[StreamlitApp]:
    """The app, started and answering, on ``database``; stopped on exit whatever happens."""
    app = StreamlitApp(database, log_path)
    try:
        app.wait_until_up()
        yield app
    finally:
        app.stop()


@contextmanager
def chromium_page(width: int = 1440, height: int = 1000) -> Iterator[Any]:
    """A Playwright page in Debian's headless Chromium, Chinese locale, Beijing time."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True
        )
        try:
            context = browser.new_context(
                viewport={"width": width, "height": height},
                locale="zh-CN",
                timezone_id="Asia/Shanghai",
            )
            page = context.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


def wait_until_idle(page: Any, timeout: float = 60.0) -> None:
    """Wait until Streamlit has finished the current script run (no 'running' indicator)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    quiet_since: float | None = None
    busy: list[str] = []
    while time.monotonic() < deadline:
        busy = [name for name in BUSY_MARKS if page.locator(f'[data-testid="{name}"]').count()]
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 0.8:
            return
        page.wait_for_timeout(200)
    raise TimeoutError(f"the app was still busy after {timeout:.0f} s (last seen: {busy})")


def open_page(page: Any, app: StreamlitApp, url_path: str = "", timeout: float = 120) -> None:
    """Open a page by its url path ('' = the first page) in a new session, and wait for it.

    The first visit imports the samples into the new database: seconds on an idle machine.
    """
    page.goto(f"{app.url}/{url_path}")
    # Nothing shows until the app's entry has passed its login gate (on a fresh server it
    # first imports the samples): wait for the page's title (every page and the login
    # form have one) before waiting for the run to end.
    page.locator("h1").first.wait_for(timeout=timeout * 1000)
    wait_until_idle(page, timeout)


def go_to(page: Any, title: str) -> None:
    """Move to another page through the sidebar menu (same session, so the same scenario)."""
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title).first.click()
    page.wait_for_timeout(300)
    wait_until_idle(page)


def current_scenario(page: Any) -> str:
    """What the sidebar's 当前场景 picker shows."""
    combo = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="当前场景")
    return str(combo.input_value())


def pick_scenario(page: Any, name: str) -> None:
    """Choose a scenario in the sidebar's 当前场景 picker."""
    combo = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="当前场景")
    if name in combo.input_value():
        return
    combo.click()
    page.get_by_role("option").filter(has_text=name).first.click()
    wait_until_idle(page)
    if name not in combo.input_value():
        shown = combo.input_value()
        raise AssertionError(f"scenario {name!r} not chosen: the picker shows {shown!r}")


def main_text(page: Any) -> str:
    """Everything the main area shows as text."""
    return str(page.locator('[data-testid="stMain"]').inner_text())


def table_rows(page: Any, header: str) -> list[list[str]]:
    """The rows (header first) of the st.table that has a column ``header``, as cell texts."""
    table = page.locator('[data-testid="stTable"] table').filter(has_text=header).first
    return [
        [str(cell).strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in table.locator("tr").all()
    ]


def _open_cell_editor(page: Any, x: float, y: float, ready: str, tries: int = 4) -> None:
    """Select the grid cell at (x, y) and open its editor (Enter) until ``ready`` shows.

    A rerun after the previous edit may swallow the first click, hence the retries.
    """
    for _attempt in range(tries):
        page.mouse.move(x, y)
        page.wait_for_timeout(200)
        page.mouse.click(x, y)
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        try:
            page.wait_for_selector(ready, timeout=2000)
            return
        except Exception:  # Playwright's TimeoutError: try again
            page.keyboard.press("Escape")
            wait_until_idle(page)
    raise AssertionError(f"the cell at ({x:.0f}, {y:.0f}) opened no editor showing {ready!r}")


OUTAGE_COLUMNS = {"kind": 168, "id": 320, "from_date": 501, "to_date": 714}
"""Where each column of the 不可用 Outages editor is, in pixels from the grid's left edge,
in the 1440-pixel-wide window of :func:`chromium_page` (the grid sizes columns by label)."""
ROW_MIDDLE = 54
"""Pixels from the grid's top to the middle of its first row (under the header)."""


def add_outage(page: Any, kind_label: str, name: str, when: date) -> None:
    """On the 输入 Inputs page, add an outage row: the kind and the resource picked by
    their Chinese labels, both dates typed; the page then shows the row as edited."""
    page.get_by_role("tab", name="不可用 Outages").click()
    grid = page.locator('[data-testid="stDataFrame"]').filter(has_text="类型 kind").first
    box = grid.bounding_box()
    assert box is not None, "the outage editor is not on screen"
    x, y = box["x"], box["y"] + ROW_MIDDLE
    # a click on the empty row under the table adds a row and opens its kind picker
    page.mouse.click(x + OUTAGE_COLUMNS["kind"], y)
    page.get_by_role("option").filter(has_text=kind_label).first.click()
    wait_until_idle(page)
    _open_cell_editor(page, x + OUTAGE_COLUMNS["id"], y, f'[role="option"]:has-text("{name}")')
    page.get_by_role("option").filter(has_text=name).first.click()
    wait_until_idle(page)
    for column in ("from_date", "to_date"):
        _type_date(page, grid, x + OUTAGE_COLUMNS[column], y, when)
    # every cell took: the page lists no problem left under the editor
    problems = page.get_by_text("修正后才能保存")
    assert problems.count() == 0, f"the outage row is not complete: {_cells(grid)}"


def _cells(grid: Any) -> list[str]:
    """The texts of a data grid's cells (from the table it keeps for screen readers)."""
    return [str(text) for text in grid.locator('[role="gridcell"]').all_text_contents()]


def _type_date(page: Any, grid: Any, x: float, y: float, when: date, tries: int = 3) -> None:
    """Type ``when`` into the date cell at (x, y); again if the grid did not keep it.

    A rerun may land between typing and committing; the cell then stays empty.
    """
    for _attempt in range(tries):
        before = _cells(grid).count(when.isoformat())
        _open_cell_editor(page, x, y, 'input[type="date"]:focus')
        page.locator('input[type="date"]:focus').fill(when.isoformat())
        page.keyboard.press("Enter")
        wait_until_idle(page)
        if _cells(grid).count(when.isoformat()) > before:
            return
    raise AssertionError(f"the date cell at ({x:.0f}, {y:.0f}) did not keep {when}")


SWEEP_SECONDS = 120.0
"""How long a tiny sweep of the tutorial may take in the browser (Ray starts first)."""


def run_tutorial_sweep(
    page: Any, closed_base: str = "B2", seeds: int = 2, seconds: int = 3
) -> None:
    """On 批量推演 Sweeps (the tutorial current): build 现状 and ``closed_base`` closed its
    first week with the grid, ``seeds`` seeds of ``seconds`` each, run it, and wait for the
    results table and its chart."""

    def number(label: str, value: int) -> None:
        box = page.get_by_role("spinbutton", name=label)
        box.fill(str(value))
        box.press("Enter")
        wait_until_idle(page)

    number("种子数 seeds", seeds)
    number("每次秒数 seconds per run", seconds)
    page.get_by_text("网格生成 Grid").first.click()
    wait_until_idle(page)
    number("加剧组最多 k（0：不加）crews up to", 0)
    page.get_by_role("combobox", name="轮流停用的基地 bases closed in turn").click()
    page.get_by_role("option").filter(has_text=closed_base).first.click()
    page.keyboard.press("Escape")
    wait_until_idle(page)
    page.get_by_role("button", name="生成变体表 Fill the table").click()
    wait_until_idle(page)
    page.get_by_text(f"预览：共 {2 * seeds} 次运行（2 个变体 × {seeds} 个种子）").wait_for()
    page.get_by_role("button", name="开始 Run").click()
    table = page.locator('[data-testid="stTable"]').filter(has_text="判断 verdict")
    table.wait_for(timeout=SWEEP_SECONDS * 1000)
    wait_until_idle(page, timeout=SWEEP_SECONDS)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
