"""The 区域协同 Pooling page in streamlit.testing.

On the three-city scenario of :func:`factories.pooling_scenario` (C1 in 郑州, C2 in 开封,
T2's actor in 洛阳 where no crew lives): nothing is planned until 开始; then both policies
are planned in the background with the policy under way shown, and the page shows the
dividend — 3 titles in 10 days alone, 4 pooled: +3 titles a month, +33.3% — the table per
policy and per city, and the download. Groups naming a city no base is in are refused
before anything is planned. 停止 stops the planning and the page says so.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import scheduler.services.pooling_jobs as pooling_jobs
from scheduler.app.support import open_store
from scheduler.services.pooling import PoolingReport, plan_pooling
from scheduler.storage import ScenarioInfo, ScenarioStore
from tests.app_pages import open_page as open_app_page
from tests.factories import pooling_scenario

PLAN_SECONDS = 60


@pytest.fixture(autouse=True)
def no_pooling_jobs_left() -> Iterator[None]:
    """The test starts and ends without pooling jobs (they are kept across sessions)."""
    pooling_jobs.forget_job()
    yield
    pooling_jobs.forget_job()


@pytest.fixture
def cities_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[ScenarioStore, ScenarioInfo]:
    """A fresh SQLite database holding only the three-city pooling scenario."""
    url = f"sqlite:///{tmp_path}/app.db"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    store = open_store(url)
    return store, store.create(pooling_scenario())


def open_page(info: ScenarioInfo) -> AppTest:
    app = open_app_page(info, "pooling.py")
    assert not app.exception, [e.value for e in app.exception]
    return app


def quick(app: AppTest) -> None:
    """Two seconds and one worker per policy: the scenario is proven in well under that."""
    app.number_input(key="pooling_time_limit").set_value(2.0)
    app.number_input(key="pooling_workers").set_value(1).run()


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def test_both_policies_are_planned_and_the_dividend_is_shown(
    cities_db: tuple[ScenarioStore, ScenarioInfo],
) -> None:
    _store, info = cities_db
    app = open_page(info)
    assert app.title[0].value == "区域协同 Pooling"
    assert not app.metric and not app.dataframe, "nothing is planned before 开始"
    assert any("开始" in i.value for i in app.info)
    quick(app)

    app.button(key="pooling_start").click().run()
    assert not app.exception, [e.value for e in app.exception]
    job = pooling_jobs.job_for((info.scenario_id, 1))
    assert job is not None, "开始 starts a job for the scenario version"
    assert job.wait(PLAN_SECONDS)
    app.run()
    assert not app.exception, [e.value for e in app.exception]

    shown = metrics(app)
    assert shown["每月多排 extra titles / month"] == "+3 部"
    assert shown["相对增幅 share"] == "+33.3%"
    assert shown["总优先级 priority"] == "+2"
    (success,) = app.success
    words = "区域协同（共享剧组和演员）比各城独立每月多排 3 部剧（+33.3%）"
    assert success.value.startswith(words)
    by_policy, by_city = (frame.value for frame in app.dataframe)
    assert list(by_policy["协同方式 policy"]) == ["各城独立 alone", "区域协同 pooled"]
    assert list(by_policy["已排剧目 scheduled titles"]) == [3, 4]
    assert list(by_policy["状态 status"]) == ["已证最优 optimal", "已证最优 optimal"]
    assert len(by_city) == 6  # three cities × two policies
    luoyang = by_city[by_city["城市 city"] == "洛阳"]
    assert list(luoyang["闲置棚天 idle set-days"]) == [10, 10]  # nobody shoots in 洛阳
    assert len(app.get("plotly_chart")) == 1
    assert app.get("download_button")

    app.run()  # a rerun shows the kept report, not as out of date
    assert metrics(app) == shown and not app.info


def test_groups_naming_a_city_without_a_base_are_refused(
    cities_db: tuple[ScenarioStore, ScenarioInfo],
) -> None:
    _store, info = cities_db
    app = open_page(info)
    app.text_input(key="pooling_groups").input("郑州,北京").run()
    (error,) = app.error
    assert "'北京'" in error.value and "没有基地" in error.value
    assert app.button(key="pooling_start").disabled
    app.checkbox(key="pooling_alone").uncheck()
    app.checkbox(key="pooling_pooled").uncheck()
    app.text_input(key="pooling_groups").input("").run()
    assert "请至少选一种协同方式" in app.error[0].value


def test_stop_ends_the_planning_and_the_page_says_so(
    cities_db: tuple[ScenarioStore, ScenarioInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    _store, info = cities_db
    started = threading.Event()

    def waits_for_stop(*args: Any, **kwargs: Any) -> PoolingReport:
        started.set()
        stop = kwargs["stop"]
        assert stop.wait(PLAN_SECONDS), "the stop button sets the job's stop event"
        return plan_pooling(*args, **kwargs)  # stopped before the first policy: none planned

    monkeypatch.setattr(pooling_jobs, "plan_pooling", waits_for_stop)
    app = open_page(info)
    quick(app)
    app.button(key="pooling_start").click().run()
    assert started.wait(10)
    app.run()
    assert any("准备中" in i.value or "规划中" in i.value for i in app.info), "progress shows"
    assert app.button(key="pooling_start").disabled
    app.button(key="pooling_stop").click().run()
    job = pooling_jobs.job_for((info.scenario_id, 1))
    assert job is not None and job.wait(PLAN_SECONDS)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("已停止" in w.value for w in app.warning)
    assert "规划被停止，两种方式没有都排完" in app.success[0].value
