"""The 产能规划 Capacity planning page in streamlit.testing.

On the Zhengzhou month (the app's default scenario): nothing is computed until 计算; then
the report computes in the background (计算中… meanwhile), the bound is the one
:func:`scheduler.services.capacity_report.capacity_report` computes, and reruns do not
compute it again. A candidate row with a bad day rate and one with an unknown base are
both named, by row and column as the editor shows them, and nothing is computed. On the
month with only 20 of its 24 crews the scenario's targets need nothing, and raised
targets need new crews. On the tutorial with a stored plan, the plan is a share of the
bound and its free set-days are shown beside the bound's; a computation that fails says
so, and the last report stays. On the month with its most binding actor with days off
(A054 away a week) the candidates offer buying those days, a budget buys them, a rush
order is answered, and both idle figures are labelled.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import scheduler.services.capacity_report
from scheduler.app.capacity import IDLE_TABLE_PLAN_FREE
from scheduler.app.support import open_store
from scheduler.app.utilisation import set_days_by_base_day
from scheduler.domain.model import Unavailability
from scheduler.io.validation import load_scenario
from scheduler.services.candidates import default_candidates
from scheduler.services.capacity_jobs import job_for
from scheduler.services.capacity_report import (
    BOUND_SELLABLE_LABEL,
    IDLE_DIFFERENCE,
    PLAN_FREE_LABEL,
    capacity_report,
)
from scheduler.services.planning import plan_scenario, save_outcome
from scheduler.storage import ScenarioInfo, ScenarioStore
from tests.app_pages import open_page as open_app_page
from tests.factories import SAMPLES

CREWS_KEPT = 20
REPORT_SECONDS = 120


pytestmark = pytest.mark.usefixtures("no_capacity_jobs_left")


@pytest.fixture
def month_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[ScenarioStore, ScenarioInfo]:
    """A fresh SQLite database holding only the Zhengzhou month (460 titles, 24 crews)."""
    url = f"sqlite:///{tmp_path}/app.db"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    store = open_store(url)
    return store, store.create(load_scenario(SAMPLES / "zhengzhou-month"))


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every report the page computes (each job looks capacity_report up when it starts)."""
    made: list[object] = []

    def counted(
        *args: object, **kwargs: object
    ) -> scheduler.services.capacity_report.CapacityReport:
        report = capacity_report(*args, **kwargs)  # type: ignore[arg-type]
        made.append(report)
        return report

    monkeypatch.setattr(scheduler.services.capacity_report, "capacity_report", counted)
    return made


def open_page(info: ScenarioInfo) -> AppTest:
    app = open_app_page(info, "capacity.py")
    assert not app.exception, [e.value for e in app.exception]
    return app


def prefix(info: ScenarioInfo, version: int = 1) -> str:
    return f"capacity_{info.scenario_id}_v{version}"


def press_compute(app: AppTest) -> None:
    app.button(key="capacity_compute").click().run()
    assert not app.exception, [e.value for e in app.exception]


def compute(app: AppTest, info: ScenarioInfo, version: int = 1) -> None:
    """Press 计算, wait for the background job, rerun: the page shows how it ended."""
    press_compute(app)
    job = job_for((info.scenario_id, version))
    assert job is not None, "计算 starts a job for the scenario version"
    assert job.wait(REPORT_SECONDS)
    app.run()
    assert not app.exception, [e.value for e in app.exception]


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def text(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_the_month_shows_the_bound_capacity_report_computes(
    month_db: tuple[ScenarioStore, ScenarioInfo], reports: list[object]
) -> None:
    store, info = month_db
    scenario, _ = store.load(info.scenario_id)
    app = open_page(info)
    assert app.title[0].value == "产能规划 Capacity planning"
    assert not app.metric and not reports, "nothing is computed before 计算"
    editor = app.data_editor[0].value
    assert len(editor) == len(default_candidates(scenario))
    assert list(editor.index[:2]) == [1, 2]  # rows numbered as in the problems
    assert set(editor["kind"]) == {"棚", "剧组"}
    assert app.number_input(key=f"{prefix(info)}_titles").value == 400
    assert app.number_input(key=f"{prefix(info)}_parallel").value == 20

    press_compute(app)
    assert any("计算中" in info.value for info in app.info), "the progress line shows"
    assert app.button(key="capacity_compute").disabled, "one job at a time"
    job = job_for((info.scenario_id, 1))
    assert job is not None and job.wait(REPORT_SECONDS)
    app.run()
    expected = capacity_report(scenario).answer
    shown = metrics(app)
    assert shown["优先级上界 priority bound"] == f"{expected.priority_bound:,}"
    assert shown["剧目数上界 titles bound"] == f"{expected.titles_bound} 部"
    assert shown["当前方案/上界 plan/bound"] == "–"  # no plan stored yet
    assert app.button(key="capacity_compute").label == "重新计算 Re-compute"
    assert "现有产能已能达标，无需追加" in text(app)
    assert "演员" in text(app)  # the month's bottlenecks are actors' diaries
    assert len(app.get("plotly_chart")) == 3  # weeks, idle heatmap, idle per base
    assert len(reports) == 1

    app.run()  # a rerun (any widget) shows the kept report, not as out of date
    assert len(reports) == 1
    assert metrics(app) == shown
    assert not app.info


def test_bad_candidate_rows_are_named_and_nothing_is_computed(
    month_db: tuple[ScenarioStore, ScenarioInfo], reports: list[object]
) -> None:
    _store, info = month_db
    app = open_page(info)
    app.session_state[f"{prefix(info)}_candidates"] = {
        "edited_rows": {0: {"day_rate": -5}, 2: {"base_id": "B99"}},
        "added_rows": [{}],  # an empty row the user added and left: ignored
        "deleted_rows": [],
    }
    app.run()
    press_compute(app)
    (error,) = app.error
    assert "2 个问题" in error.value
    assert "第 1 行 row 1 · 日租（元/天）day rate：-5 不可用" in error.value
    assert "第 3 行 row 3 · 基地 base：未知基地“B99”" in error.value
    assert not reports and not app.metric
    assert job_for((info.scenario_id, 1)) is None


def test_raised_targets_need_new_crews(month_db: tuple[ScenarioStore, ScenarioInfo]) -> None:
    store, month = month_db
    scenario, _ = store.load(month.scenario_id)
    fewer = store.create(
        replace(scenario, name="郑州 12月 · 20 个剧组", crews=scenario.crews[:CREWS_KEPT])
    )
    app = open_page(fewer)
    compute(app, fewer)
    assert "现有产能已能达标，无需追加" in text(app)

    app.number_input(key=f"{prefix(fewer)}_titles").set_value(420)
    app.number_input(key=f"{prefix(fewer)}_parallel").set_value(22).run()
    assert any("点「重新计算」" in info.value for info in app.info)  # the report is stale
    compute(app, fewer)
    assert "目标：每月 420 部、日均 22.0 场并行拍摄" in text(app)
    steps = next(table.value for table in app.dataframe if "数量" in table.value.columns)
    assert steps["追加"].tolist() == ["新剧组"] and steps["数量"].iloc[0] > 0
    assert steps["累计每月部数"].iloc[-1] > 425  # more than 20 crews shoot
    assert len(app.get("plotly_chart")) == 4  # and the titles-against-cost chart


def test_a_stored_plan_is_shown_as_a_share_of_the_bound(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo],
) -> None:
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    outcome = plan_scenario(scenario, time_limit=5)
    save_outcome(store, info.scenario_id, version, outcome, "基准")
    app = open_page(info)
    compute(app, info)
    shown = metrics(app)
    assert shown["优先级上界 priority bound"] == "17"  # all six titles fit
    assert shown["当前方案/上界 plan/bound"] == "100.0%"
    assert "达到上界的 100.0%" in "\n".join(c.value for c in app.caption)
    # the set-days the plan leaves free, counted the utilisation page's way
    days = set_days_by_base_day(scenario, outcome.plan)
    free = int((days["available"] - days["booked"]).sum())
    assert shown[PLAN_FREE_LABEL] == f"{free:,}"
    idle = next(t.value for t in app.dataframe if IDLE_TABLE_PLAN_FREE in t.value.columns)
    assert idle[IDLE_TABLE_PLAN_FREE].sum() == free


def test_a_failed_computation_is_shown_and_the_last_report_kept(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    _store, info = tutorial_db
    app = open_page(info)
    compute(app, info)
    assert metrics(app)["优先级上界 priority bound"] == "17"

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("求解器不见了 the solver is gone")

    monkeypatch.setattr(scheduler.services.capacity_report, "capacity_report", broken)
    compute(app, info)
    (error,) = app.error
    assert "产能计算出错" in error.value and "RuntimeError: 求解器不见了" in error.value
    assert metrics(app)["优先级上界 priority bound"] == "17", "the last report is still shown"
    assert app.button(key="capacity_compute").label == "重新计算 Re-compute"


A054_AWAY = Unavailability("actor", "A054", date(2026, 12, 14), date(2026, 12, 20), "外地宣传")
"""The month's most binding actor away a week: seven days a buy-out could free."""


def test_a_binding_actors_days_off_are_offered_and_bought(
    month_db: tuple[ScenarioStore, ScenarioInfo],
) -> None:
    store, month = month_db
    scenario, _ = store.load(month.scenario_id)
    away = store.create(
        replace(scenario, name="郑州 12月 · 邵磊航外地宣传一周", unavailable=(A054_AWAY,))
    )
    app = open_page(away)
    editor = app.data_editor[0].value
    offered = editor[editor["kind"] == "演员档期"]
    rate = 2 * scenario.actor_by_id["A054"].day_rate
    assert offered[["actor_id", "day_rate", "max_count"]].values.tolist() == [
        ["A054 邵磊航", rate, 7]
    ]
    note = "\n".join(c.value for c in app.caption)
    assert "档期卡住产能的演员" in note and "邵磊航（A054）有停用日" in note
    assert "整个排期都没有停用日" in note  # the month's other binding actors

    app.number_input(key=f"{prefix(away)}_budget").set_value(100.0)
    app.number_input(key=f"{prefix(away)}_rush").set_value(10).run()
    compute(app, away)
    shown = text(app)
    assert "买断演员档期 邵磊航（A054） 7 天" in shown  # the budget buys the week back
    assert "急单 10 部（R001–R010" in shown
    assert "演员 邵磊航（A054）：停用 7 天，已列为候选「买断演员档期」" in shown
    cards = metrics(app)
    assert cards[PLAN_FREE_LABEL] == "–"  # no plan stored to compare with
    assert cards[BOUND_SELLABLE_LABEL] != "–"
    assert IDLE_DIFFERENCE in [c.value for c in app.caption]
