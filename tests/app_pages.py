"""What the page tests share: a fresh database holding only the tutorial, opening a page,
and catching the files its download buttons make on click (:func:`made_files`).

Page tests run the whole app (``ui/app.py``) in Streamlit's AppTest against a
temporary SQLite file named by ``DATABASE_URL``, so they never touch the
developer's ``data/shootplan.db``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from scheduler.app.support import open_store
from scheduler.io.validation import load_scenario
from scheduler.storage import ScenarioInfo, ScenarioStore
from tests.factories import SAMPLES
from ui.current import SCENARIO_KEY

APP = Path(__file__).resolve().parents[1] / "ui" / "app.py"
TUTORIAL = SAMPLES / "tutorial"


@pytest.fixture
def tutorial_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[ScenarioStore, ScenarioInfo]:
    """A fresh SQLite database holding only the tutorial, which the app opens on."""
    url = f"sqlite:///{tmp_path}/app.db"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()  # scenario loads are keyed by id, which repeats across databases
    st.cache_resource.clear()
    store = open_store(url)
    return store, store.create(load_scenario(TUTORIAL))


def open_page(info: ScenarioInfo, page: str) -> AppTest:
    """Run the app on ``page`` (a file of ``ui/views``) with ``info`` as the current scenario."""
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.session_state[SCENARIO_KEY] = info.scenario_id
    app.switch_page(f"views/{page}")
    return app.run()


@dataclass(frozen=True)
class Made:
    """A download as registered on the page: its maker (the browser's click) and file name."""

    make: Callable[[], bytes | str]
    file_name: str


@pytest.fixture
def made_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, Made]:
    """Every file a page registers for download on click, by its id (``deferred_file_id``)."""
    kept: dict[str, Made] = {}
    register = MediaFileManager.add_deferred

    def keep(
        self: MediaFileManager,
        data_callable: Callable[[], Any],
        mimetype: str | None,
        coordinates: str,
        file_name: str | None = None,
        *,
        element_id: str = "",
    ) -> str:
        file_id = register(
            self, data_callable, mimetype, coordinates, file_name, element_id=element_id
        )
        kept[file_id] = Made(data_callable, file_name or "")
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return kept
