"""The 批量推演 Sweeps page in streamlit.testing, and its view-model.

On the tutorial (2 bases B1, B2, 6 titles, 12-01 … 12-07, proven optimal in well under a
second): the builder previews variants × seeds runs and a grid fills the table; bad rows
are refused with every problem named by row and column, and 开始 stays off. A sweep of
现状, 加1个剧组 and B2停两天 × seeds 0, 1 (2 s, 1 worker a run) runs on a real local Ray
started inside this process: every run done, stored, and the results name 加1个剧组
within solver noise (6 titles either way) and B2停两天 beyond it (two days of B2 closed:
fewer titles on every seed). A variant that cannot apply fails its runs, named, while the
others finish; Ray that cannot start is said; 停止 marks every run stopped.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import scheduler.services.sweep_jobs as sweep_jobs
from scheduler.app import sweep_view as view
from scheduler.app.sweep_results import TABLE_COLUMNS
from scheduler.domain.noise import BEYOND_NOISE_WORDS, NOISE_WORDS
from scheduler.domain.sweep import BaseClosure, Variant
from scheduler.io.sweep_file import sweep_from_toml, sweep_to_toml
from scheduler.io.validation import load_scenario
from scheduler.services.sweeps import RunReport, RunState, SweepError, SweepResult
from scheduler.storage import ScenarioInfo, ScenarioStore, SweepRunInfo
from tests.app_pages import APP, TUTORIAL
from tests.factories import sweep_kpis, tutorial_whatifs
from ui.current import SCENARIO_KEY

SWEEP_SECONDS = 60
VARIANT, VERDICT = TABLE_COLUMNS[0], TABLE_COLUMNS[-1]


@pytest.fixture(scope="module", autouse=True)
def ray_ends_with_the_module() -> Iterator[None]:
    """Ray started here (by the first sweep) is shut down after the last test."""
    yield
    import ray

    if ray.is_initialized():
        ray.shutdown()


@pytest.fixture(autouse=True)
def no_sweep_jobs_left() -> Iterator[None]:
    """Each test starts and ends without sweep jobs (they are kept across sessions)."""
    sweep_jobs.forget_sweep_job()
    yield
    sweep_jobs.forget_sweep_job()


def open_page(info: ScenarioInfo, table: pd.DataFrame | None = None) -> AppTest:
    """The page on ``info``, its variants table set to ``table`` before the first run."""
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.session_state[SCENARIO_KEY] = info.scenario_id
    if table is not None:
        app.session_state[f"sweep_variants_{info.scenario_id}"] = table
        app.session_state[f"sweep_variants_round_{info.scenario_id}"] = 0
    app.switch_page("views/sweep.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def whatif_table() -> pd.DataFrame:
    """现状, 加1个剧组 and B2停两天 (12-02 … 12-03) as the variants table."""
    return view.variants_frame(load_scenario(TUTORIAL), tutorial_whatifs().variants)


def quick(app: AppTest, seeds: int = 2) -> AppTest:
    """``seeds`` seeds, 2 s and 1 worker a run."""
    app.number_input(key="sweep_seeds").set_value(seeds)
    app.number_input(key="sweep_time_limit").set_value(2.0)
    return app.number_input(key="sweep_workers").set_value(1).run()


def previews(app: AppTest) -> list[str]:
    return [i.value for i in app.info if str(i.value).startswith("预览")]


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def finish(app: AppTest, info: ScenarioInfo) -> AppTest:
    """Wait for the sweep of ``info`` to end, then rerun the page."""
    job = sweep_jobs.sweep_job_for(info.scenario_id)
    assert job is not None, "开始 starts a sweep job for the scenario"
    assert job.wait(SWEEP_SECONDS), "the sweep did not end in time"
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


# -- the page --------------------------------------------------------------------------------


def test_the_builder_previews_the_runs_and_a_grid_fills_the_table(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo],
) -> None:
    _store, info = tutorial_db
    app = open_page(info)
    assert app.title[0].value == "批量推演 Sweeps"
    # a first visit: 现状 and 加1个剧组, three seeds
    (preview,) = previews(app)
    assert preview.startswith("预览：共 6 次运行（2 个变体 × 3 个种子）"), preview
    assert "估计用时" in preview
    assert not app.error and not app.button(key="sweep_start").disabled

    app.number_input(key="sweep_seeds").set_value(2).run()
    assert previews(app)[0].startswith("预览：共 4 次运行（2 个变体 × 2 个种子）")

    # crews +1, +2 × B1, B2 closed in turn (no rush axis) = 4 variants, and 现状
    app.number_input(key="sweep_grid_crews").set_value(2)
    app.multiselect(key="sweep_grid_bases").select("B1").select("B2").run()
    app.button(key="sweep_grid_fill").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert previews(app)[0].startswith("预览：共 10 次运行（5 个变体 × 2 个种子）")
    assert app.selectbox(key=f"sweep_reference_{info.scenario_id}").options == [
        "现状",
        "加1个剧组 × B1停12-01…12-07",
        "加1个剧组 × B2停12-01…12-07",
        "加2个剧组 × B1停12-01…12-07",
        "加2个剧组 × B2停12-01…12-07",
    ]
    assert app.get("download_button"), "the sweep file can be downloaded"


def test_bad_rows_are_refused_with_every_problem_named(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo],
) -> None:
    _store, info = tutorial_db
    bad = pd.DataFrame(
        [
            {view.NAME: "现状"},
            {view.NAME: None, view.CREWS: 1},
            {view.NAME: "停B9", view.BASE: "B9", view.FROM: date(2026, 12, 2)},
            {view.NAME: "减三组", view.CREWS: -3},
            {view.NAME: "现状", view.RUSH: 2},
            {
                view.NAME: "十一月",
                view.BASE: "B1 郑州金水影视基地",
                view.FROM: date(2026, 11, 2),
                view.TO: date(2026, 12, 3),
            },
        ],
        columns=list(view.VARIANT_COLUMNS),
    )
    app = open_page(info, bad)
    (error,) = app.error
    shown = error.value.replace("\\", "")  # Markdown escapes taken out
    assert "有 6 个问题" in shown, shown
    for named in (
        "第 2 行 · 变体 name：变体名称为空",
        "第 3 行（停B9） · 停用基地 base closed：基地 B9 不在场景中，应为 B1、B2 之一",
        "第 3 行（停B9） · 停用止 to：停用基地缺少结束日",
        "第 4 行（减三组） · 加减剧组 crews ±k：减少 3 个剧组",
        "第 5 行（现状） · 变体 name：与第 1 行重名",
        "第 6 行（十一月） · 停用起 from：日期 2026-11-02 不在排期范围",
    ):
        assert named in shown, f"{named!r} not in {shown!r}"
    assert app.button(key="sweep_start").disabled, "开始 stays off until the rows are fixed"
    assert not previews(app)


def test_a_tiny_sweep_runs_to_the_end_and_says_what_is_noise(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo],
) -> None:
    store, info = tutorial_db
    app = quick(open_page(info, whatif_table()))
    assert previews(app)[0].startswith("预览：共 6 次运行（3 个变体 × 2 个种子）")
    app.button(key="sweep_start").click().run()
    assert not app.exception, [e.value for e in app.exception]
    finish(app, info)

    assert metrics(app)["完成 done"] == "6", metrics(app)
    assert not app.error, [e.value for e in app.error]
    (stored,) = store.list_sweeps()
    assert stored.state == "done" and stored.done_count == 6
    assert app.selectbox(key="sweep_history").value == stored.sweep_id, "the new sweep shows"
    (table,) = (t.value for t in app.table)
    assert list(table[VARIANT]) == ["现状", "加1个剧组", "B2停两天"]
    verdicts = dict(zip(table[VARIANT], table[VERDICT], strict=True))
    assert verdicts["现状"] == "基准 reference"
    assert verdicts["加1个剧组"].startswith(f"剧目 {NOISE_WORDS}"), verdicts
    assert verdicts["B2停两天"].startswith(f"剧目 {BEYOND_NOISE_WORDS}"), verdicts
    assert len(app.get("plotly_chart")) == 1
    assert len(app.get("download_button")) == 3  # the built sweep's file, the stored one, runs
    runs = store.sweep_runs(stored.sweep_id)
    assert all(run.state == "done" and run.plan_id is not None for run in runs)

    # another reference: the other two are judged against B2停两天
    app.selectbox(key=f"sweep_result_reference_{stored.sweep_id}").set_value("B2停两天").run()
    table = app.table[0].value
    assert table[VARIANT].iloc[0] == "B2停两天"
    assert table[VERDICT].iloc[0] == "基准 reference"


def test_a_variant_that_cannot_apply_fails_its_runs_and_the_others_finish(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scenario lost base B2 after the page checked the sweep (another user's edit):
    the variant closing B2 fails both its runs with the reason; 现状 finishes."""
    store, info = tutorial_db
    real = sweep_jobs.run_sweep

    def without_b2(sweep: Any, scenario: Any, **options: Any) -> SweepResult:
        closed = Variant(
            "B2停两天", closures=(BaseClosure("B9", date(2026, 12, 2), date(2026, 12, 3)),)
        )
        changed = replace(sweep, variants=(sweep.variants[0], closed))
        return real(changed, scenario, **options)

    monkeypatch.setattr(sweep_jobs, "run_sweep", without_b2)
    table = whatif_table().drop(index=1).reset_index(drop=True)  # 现状 and B2停两天
    app = quick(open_page(info, table))
    app.button(key="sweep_start").click().run()
    finish(app, info)

    shown = metrics(app)
    assert shown["完成 done"] == "2" and shown["失败 failed"] == "2", shown
    errors = [e.value for e in app.error]
    for seed in (0, 1):
        line = next((e for e in errors if e.startswith(f"「B2停两天 · 种子{seed}」失败")), None)
        assert line is not None and "B9" in line, errors
    (table,) = (t.value for t in app.table)
    assert list(table[VARIANT]) == ["现状", "B2停两天"], "both variants are listed"
    assert "没有结果" in table[VERDICT].iloc[1]
    (stored,) = store.list_sweeps()
    assert stored.state == "failed" and stored.failed_count == 2


def test_ray_that_cannot_start_is_said_and_nothing_runs(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    _store, info = tutorial_db

    def no_ray(_address: str | None = None) -> str:
        raise SweepError("无法在本机启动 Ray：端口被占用", "Ray could not start: port taken")

    import ray

    if ray.is_initialized():  # from an earlier test: this one starts with no Ray
        ray.shutdown()
    monkeypatch.setattr(view, "connect_ray", no_ray)
    monkeypatch.setattr(sweep_jobs, "run_sweep", pytest.fail)  # no sweep may start
    app = quick(open_page(info))
    app.button(key="sweep_start").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert sweep_jobs.sweep_job_for(info.scenario_id) is None
    assert any(
        "批量推演未能运行" in e.value and "无法在本机启动 Ray：端口被占用" in e.value
        for e in app.error
    ), [e.value for e in app.error]


def test_more_workers_a_run_than_any_node_has_is_said(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo],
) -> None:
    """Ray on this machine has os.cpu_count() CPUs: a run needing one more never starts."""
    _store, info = tutorial_db
    app = quick(open_page(info))
    too_many = (os.cpu_count() or 1) + 1
    app.number_input(key="sweep_workers").set_value(too_many).run()
    assert any(f"本机只有 {too_many - 1} 个" in w.value for w in app.warning), "the preview warns"
    app.button(key="sweep_start").click().run()
    finish(app, info)
    assert any(
        "批量推演未能运行" in e.value and f"每次运行需要 {too_many} 个 CPU" in e.value
        for e in app.error
    ), [e.value for e in app.error]


def test_stop_marks_the_runs_stopped(
    tutorial_db: tuple[ScenarioStore, ScenarioInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    """停止 while the sweep is starting: no run is handed to Ray, every run is stopped."""
    store, info = tutorial_db
    real = sweep_jobs.run_sweep
    started = threading.Event()

    def waits_for_stop(*args: Any, **options: Any) -> SweepResult:
        started.set()
        assert options["stop"].wait(SWEEP_SECONDS), "停止 sets the job's stop event"
        return real(*args, **options)

    monkeypatch.setattr(sweep_jobs, "run_sweep", waits_for_stop)
    app = quick(open_page(info))
    app.button(key="sweep_start").click().run()
    assert started.wait(10)
    app.run()
    assert metrics(app)["排队 queued"] == "4", metrics(app)
    assert app.button(key="sweep_start").disabled and not app.button(key="sweep_stop").disabled
    app.button(key="sweep_stop").click().run()
    finish(app, info)

    shown = metrics(app)
    assert shown["已停止 stopped"] == "4" and shown["完成 done"] == "0", shown
    runs = next(frame.value for frame in app.dataframe if "状态 state" in frame.value.columns)
    assert set(runs["状态 state"]) == {RunState.STOPPED.words}
    (stored,) = store.list_sweeps()
    assert stored.state == "stopped"
    assert {run.state for run in store.sweep_runs(stored.sweep_id)} == {"stopped"}
    assert any("还没有完成的运行" in i.value for i in app.info)


# -- the view-model ----------------------------------------------------------------------------


def test_a_grid_is_crews_times_bases_times_rush_after_the_status_quo() -> None:
    scenario = load_scenario(TUTORIAL)
    first, last = date(2026, 12, 2), date(2026, 12, 3)
    grid = view.grid_variants(scenario, 2, ["B1", "B2 郑东新区短剧产业园"], first, last, 5)
    assert len(grid) == 1 + 2 * 2 * 2
    assert grid[0] == Variant("现状")
    assert grid[1].name == "加1个剧组 × B1停12-02…12-03"
    assert grid[2].name == "加1个剧组 × B1停12-02…12-03 × 急单5部"
    assert grid[-1].closures == (BaseClosure("B2", first, last),)
    assert view.grid_variants(scenario, 0, [], first, last, 0) == [Variant("现状")]
    assert [v.name for v in view.grid_variants(scenario, 0, [], first, last, 5)] == [
        "现状",
        "急单5部",
    ]


def test_the_table_round_trips_a_sweep_through_its_file() -> None:
    """Kept: the table of the tutorial's what-ifs builds the sweep its file reads back."""
    scenario = load_scenario(TUTORIAL)
    table = whatif_table()
    table.loc[1, view.TARGET] = 3
    table.loc[1, view.POOLING] = "各城独立 alone"
    form = view.SweepForm("测试扫描", seeds=2, time_limit=2.0, reference="加1个剧组")
    built = view.build_sweep(form, table, scenario, scenario.name)
    assert built.ok and built.run_count == 6, built.problems
    sweep = built.sweep
    assert sweep is not None
    assert sweep.variants[1].targets == {"parallel_shoots_per_day": 3}
    assert sweep.variants[1].pooling == "alone"
    assert sweep.reference == "加1个剧组" and sweep.seeds == (0, 1)
    assert sweep_from_toml(sweep_to_toml(sweep)) == sweep


def test_a_closure_without_its_dates_is_refused() -> None:
    """Broken: a base with no dates, and dates with no base; a blank row is skipped."""
    scenario = load_scenario(TUTORIAL)
    table = pd.DataFrame(
        [
            {view.NAME: "停B2", view.BASE: "B2 郑东新区短剧产业园"},
            {view.NAME: "停谁", view.FROM: date(2026, 12, 2), view.TO: date(2026, 12, 2)},
            {},
            {view.NAME: "半组", view.CREWS: 1.5},
        ],
        columns=list(view.VARIANT_COLUMNS),
    )
    built = view.build_sweep(view.SweepForm(" "), table, scenario, scenario.name)
    assert built.sweep is None
    assert built.problems == (
        "名称 name：批量推演名称为空，请填写",
        "第 1 行（停B2） · 停用起 from：停用基地缺少开始日，请填日期（如 2026-12-01）",
        "第 1 行（停B2） · 停用止 to：停用基地缺少结束日，请填日期（如 2026-12-01）",
        "第 2 行（停谁） · 停用基地 base closed：填了停用日期却没有选基地，请选基地或清空日期",
        "第 4 行（半组） · 加减剧组 crews ±k：剧组增减为 1.5，应为整数",
    )


def test_the_preview_counts_waves_of_runs_on_this_machine() -> None:
    sweep = tutorial_whatifs(seeds=(0, 1, 2), time_limit=30.0, workers=1)  # 9 runs
    text, warning = view.preview_text(sweep, cpus=2, address="")
    assert text.startswith("预览：共 9 次运行（3 个变体 × 3 个种子）")
    assert "同时运行 2 次，估计用时 2 分 30 秒" in text and not warning  # 5 waves × 30 s
    text, warning = view.preview_text(replace(sweep, workers=4), cpus=2, address="")
    assert "本机只有 2 个" in warning
    text, _ = view.preview_text(sweep, cpus=2, address="10.0.0.5:6379")
    assert "Ray 集群 10.0.0.5:6379" in text


def test_the_run_table_and_csv_show_kpis_of_done_runs_only() -> None:
    done = RunReport(
        "现状",
        0,
        RunState.DONE,
        reference=True,
        kpis=sweep_kpis(
            "现状",
            0,
            scheduled_titles=6,
            unscheduled_titles=0,
            priority_scheduled=17,
            priority_bound=17,
            cost=414_000,
        ),
        solve_seconds=0.42,
        wall_seconds=0.5,
        overhead_seconds=0.08,
        plan_id=3,
    )
    failed = RunReport("加1个剧组", 0, RunState.FAILED, error="KeyError: 'A_GONE'")
    table = view.run_table([done, failed])
    assert list(table.columns) == list(view.RUN_COLUMNS)
    assert list(table.iloc[0])[:5] == ["现状", 0, "完成 done", "6/6", 17]
    assert table.iloc[1]["状态 state"] == "失败 failed" and table.iloc[1]["已排剧目 titles"] == ""
    assert view.failed_lines([done, failed]) == [
        "「加1个剧组 · 种子0」失败 failed：KeyError: 'A_GONE'"
    ]
    lines = view.runs_csv([done, failed]).splitlines()
    assert lines[1] == "现状,0,done,6,17,17,414000,0.420,0.500,0.080,3,"
    assert lines[2] == "加1个剧组,0,failed,,,,,,,,,KeyError: 'A_GONE'"


def test_stored_runs_take_their_kpis_and_reference_from_their_plans() -> None:
    def stored(variant: str, seed: int, state: str, plan_id: int | None) -> SweepRunInfo:
        return SweepRunInfo(1, 1, 0, variant, seed, None, plan_id, state, "", 1.0, 1.2, 0.2)

    kpis = {7: sweep_kpis("现状", 0, reference=True, scheduled_titles=6)}
    reports = view.stored_reports(
        [stored("现状", 0, "done", 7), stored("加1个剧组", 0, "stopped", None)], kpis
    )
    assert [(r.variant, r.state, r.reference) for r in reports] == [
        ("现状", RunState.DONE, True),
        ("加1个剧组", RunState.STOPPED, False),
    ]
    assert reports[0].kpis["scheduled_titles"] == 6 and reports[0].plan_id == 7
    results = view.results_of_runs(reports)
    assert results is not None and results.reference == "现状"
    assert view.results_of_runs(reports[1:]) is None, "no run done: no results"
