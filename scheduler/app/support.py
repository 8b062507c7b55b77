"""What the Streamlit app needs from the package, kept free of Streamlit so it can be tested.

The app's pages only lay out the screen; opening the store, loading the
built-in samples and shaping tables for display happen here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from scheduler.domain.errors import ScenarioError
from scheduler.domain.local_time import local_time
from scheduler.storage import DuplicateNameError, ScenarioInfo, ScenarioStore, get_engine

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_ROOT = REPO_ROOT / "sample_data"
SAMPLE_SCENARIOS: tuple[str, ...] = ("zhengzhou-month", "tutorial")
"""Sample folders imported into an empty database, first the one the app opens on."""

SCENARIO_COLUMNS: tuple[str, ...] = (
    "名称 name",
    "版本 version",
    "剧目数 titles",
    "基地数 bases",
    "更新时间 updated",
)


def open_store(url: str | None = None) -> ScenarioStore:
    """The scenario store on ``url`` (default: ``DATABASE_URL`` or ``data/shootplan.db``)."""
    return ScenarioStore(get_engine(url))


def ensure_sample_loaded(store: ScenarioStore, sample_root: Path | None = None) -> list[str]:
    """Import the built-in sample scenarios if the database holds none; return their names.

    A sample folder that is missing or invalid is skipped with a warning, so
    the app still starts; a name another session imported first is skipped too.
    """
    if store.list():
        return []
    from scheduler.io.validation import load_scenario

    root = SAMPLE_ROOT if sample_root is None else sample_root
    imported: list[str] = []
    for folder in SAMPLE_SCENARIOS:
        path = root / folder
        if not path.is_dir():
            log.warning("sample scenario %s not found; skipped", path)
            continue
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            log.warning("sample scenario %s is invalid; skipped:\n%s", path, error)
            continue
        try:
            store.create(scenario)
        except DuplicateNameError:
            continue
        imported.append(scenario.name)
    return imported


def scenario_rows(infos: Sequence[ScenarioInfo]) -> list[dict[str, object]]:
    """The list of scenarios as table rows, Chinese column names first, Beijing time."""
    return [
        dict(
            zip(
                SCENARIO_COLUMNS,
                (
                    info.name,
                    info.version,
                    info.title_count,
                    info.base_count,
                    local_time(info.updated_at),
                ),
                strict=True,
            )
        )
        for info in infos
    ]
