"""The scenario and plan the user is working on, shared by every page.

The choice lives in ``st.session_state`` (keys :data:`SCENARIO_KEY` and
:data:`PLAN_KEY`), so it survives moving between pages. The sidebar picker is
drawn by :func:`pick_scenario`; pages that show a plan call :func:`pick_plan`.
Everything else a page needs comes from ``scheduler/`` through these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import streamlit as st

from scheduler.app.support import local_time
from scheduler.domain.accounts import LOCAL_USER, Account, SignedIn, expired
from scheduler.domain.changes import Change
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.services.accounts import accounts_exist
from scheduler.storage import PlanInfo, ScenarioInfo, ScenarioStore
from ui.resources import scenario_store

SCENARIO_KEY = "current_scenario_id"
PLAN_KEY = "current_plan_id"
SIGNED_IN_KEY = "signed_in"  # a SignedIn, set by the login screen


def user() -> Account:
    """Who uses this session: the signed-in account, or the local user while no account exists.

    Every action a page takes goes through :func:`scheduler.services.accounts.acting`
    with this account, which checks the role on the server and leaves the audit row.
    Without a login while accounts exist the page stops (the app shows the login form);
    an expired session reruns the app, which asks to log in again. The app's entry
    (``ui/login.py``) re-reads the account from the store on every run, so a role
    changed meanwhile is the one returned here.
    """
    session = st.session_state.get(SIGNED_IN_KEY)
    if isinstance(session, SignedIn):
        if not expired(session, dt.datetime.now(dt.UTC)):
            return session.account
        # A fragment's rerun skips the app's login gate: rerun the whole app, whose gate
        # signs the expired session out and shows the login form.
        st.rerun()
    if not accounts_exist(scenario_store()):
        return LOCAL_USER
    st.stop()


@dataclass(frozen=True)
class Current:
    """The scenario being worked on: its list entry, content and stored version."""

    info: ScenarioInfo
    scenario: Scenario
    version: int
    store: ScenarioStore


@dataclass(frozen=True)
class CurrentPlan:
    """A stored plan of the current scenario with its KPIs."""

    info: PlanInfo
    plan: Plan
    kpis: dict[str, Any]


def plan_label(info: PlanInfo) -> str:
    """How a stored plan is named in pickers: id, label, status, scenario version, time."""
    label = f" {info.label}" if info.label else ""
    return (
        f"#{info.plan_id}{label} · {info.status} · 场景版本 v{info.scenario_version} · "
        f"{local_time(info.created_at)}"
    )


def pick_scenario() -> Current | None:
    """The sidebar's scenario picker; the chosen scenario (None when the database is empty)."""
    store = scenario_store()
    infos = store.list()
    if not infos:
        st.sidebar.info("还没有场景 / no scenarios yet")
        return None
    ids = [info.scenario_id for info in infos]
    # Re-assigning the key keeps the choice when the user moves to another page:
    # Streamlit drops a widget's state once a page without that widget ran.
    kept = st.session_state.get(SCENARIO_KEY)
    # first visit: the scenario stored first (the Zhengzhou month sample on a new database)
    st.session_state[SCENARIO_KEY] = kept if kept in ids else min(ids)
    by_id = {info.scenario_id: info for info in infos}
    chosen = st.sidebar.selectbox(
        "当前场景 Scenario",
        ids,
        key=SCENARIO_KEY,
        format_func=lambda i: f"{by_id[i].name}（v{by_id[i].version}）",
    )
    info = by_id[chosen]
    scenario, version = _load(store, info.scenario_id, info.version)
    return Current(info, scenario, version, store)


def pick_plan(current: Current, label: str = "方案 Plan") -> CurrentPlan | None:
    """A picker of the current scenario's stored plans, newest first; None if there are none."""
    infos = list(reversed(current.store.list_plans(current.info.scenario_id)))
    if not infos:
        return None
    ids = [info.plan_id for info in infos]
    kept = st.session_state.get(PLAN_KEY)  # kept across pages, as in pick_scenario
    st.session_state[PLAN_KEY] = kept if kept in ids else ids[0]
    by_id = {info.plan_id: info for info in infos}
    chosen = st.selectbox(label, ids, key=PLAN_KEY, format_func=lambda i: plan_label(by_id[i]))
    plan, kpis, info = load_plan(current.store, chosen)
    return CurrentPlan(info, plan, kpis)


def load_plan(store: ScenarioStore, plan_id: int) -> tuple[Plan, dict[str, Any], PlanInfo]:
    """A stored plan (cached: stored plans never change)."""
    return _load_plan(store, plan_id)


def load_changes(store: ScenarioStore, plan_id: int) -> list[Change] | None:
    """A stored re-plan's change list, ``None`` for a fresh plan (cached: plans never change)."""
    return _load_changes(store, plan_id)


@st.cache_data(show_spinner=False, max_entries=16)
def _load_changes(_store: ScenarioStore, plan_id: int) -> list[Change] | None:
    return _store.load_changes(plan_id)


@st.cache_data(show_spinner="读取场景 / loading the scenario…", max_entries=8)
def _load_cached(_store: ScenarioStore, scenario_id: int, version: int) -> tuple[Scenario, int]:
    return _store.load(scenario_id)


def _load(store: ScenarioStore, scenario_id: int, version: int) -> tuple[Scenario, int]:
    # the version is part of the cache key: a saved edit is a new version, loaded afresh
    return _load_cached(store, scenario_id, version)


@st.cache_data(show_spinner="读取方案 / loading the plan…", max_entries=16)
def _load_plan(_store: ScenarioStore, plan_id: int) -> tuple[Plan, dict[str, Any], PlanInfo]:
    return _store.load_plan(plan_id)


def require_plan() -> tuple[Current, CurrentPlan]:
    """The current scenario and a chosen plan of it; without either the page stops with a hint."""
    current = pick_scenario()
    if current is None:
        st.info("还没有场景：请先在「场景 Scenarios」页导入。/ No scenario yet: import one first.")
        st.stop()
    chosen = pick_plan(current)
    if chosen is None:
        st.info(
            "这个场景还没有排期方案：请先在「排期 Plan」页排期。"
            " / No plan for this scenario yet: make one on the Plan page."
        )
        st.stop()
    return current, chosen
