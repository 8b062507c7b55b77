"""Things the pages share across reruns and sessions: the scenario store."""

from __future__ import annotations

import streamlit as st

from scheduler.app.support import ensure_sample_loaded, open_store
from scheduler.storage import ScenarioStore, database_url


@st.cache_resource(show_spinner="打开数据库 / opening the database…")
def _store_at(url: str) -> ScenarioStore:
    store = open_store(url)
    ensure_sample_loaded(store)
    return store


def scenario_store() -> ScenarioStore:
    """The store on ``DATABASE_URL`` (or the default SQLite file), opened once per process."""
    return _store_at(database_url())
