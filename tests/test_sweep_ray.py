"""Sweeps on a real local Ray: every run planned, checked and stored; failures, stop, revise.

One local Ray (``ray.init(num_cpus=2)``) serves the whole module, so a run of
1 CP-SAT worker gets 2 slots. The runs plan the tutorial (6 titles, proven
optimal in a fraction of a second) with 2 s limits; the stop test plans the
sample month, whose runs go on until they are cancelled.
"""

from __future__ import annotations

import csv
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import ray

from scheduler.check.checker import check_plan
from scheduler.cli.main import main
from scheduler.domain import variations
from scheduler.domain.model import Scenario
from scheduler.domain.sweep import Variant
from scheduler.io.validation import load_scenario
from scheduler.services.sweep_jobs import forget_sweep_job, start_sweep_job
from scheduler.services.sweeps import RunReport, RunState, SweepResult, run_sweep
from scheduler.storage import ScenarioStore, get_engine
from tests.factories import (
    SAMPLES,
    SWEEPS,
    sweep_of,
    tutorial_whatifs,
    unknown_cast_scenario,
    write_sweep_file,
)


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    """A real Ray on this machine with 2 CPUs, for the whole module."""
    if ray.is_initialized():
        ray.shutdown()
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=100 * 1024 * 1024,
        log_to_driver=False,
    )
    yield
    ray.shutdown()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScenarioStore]:
    engine = get_engine(f"sqlite:///{tmp_path / 'sweeps.db'}")
    yield ScenarioStore(engine)
    engine.dispose()


def states(result: SweepResult) -> dict[str, str]:
    return {run.key: run.state.value for run in result.runs}


# -- a whole sweep ------------------------------------------------------------------------


def test_every_run_is_planned_checked_and_stored_with_its_variant_and_seed(
    tutorial: Scenario, store: ScenarioStore
) -> None:
    sweep = tutorial_whatifs()
    seen: list[RunReport] = []

    result = run_sweep(sweep, tutorial, store=store, source="name = 'x'", progress=seen.append)

    # 3 variants × 2 seeds, reference variant first
    assert [run.key for run in result.runs] == [
        "现状#0", "现状#1", "加1个剧组#0", "加1个剧组#1", "B2停两天#0", "B2停两天#1",
    ]  # fmt: skip
    assert result.ok and set(states(result).values()) == {"done"}
    # each run went queued → running → done, in that order
    for key in states(result):
        assert [r.state.value for r in seen if r.key == key] == ["queued", "running", "done"]
    for run in result.runs:
        assert run.plan_id is not None and run.scenario_id is not None
        plan, kpis, info = store.load_plan(run.plan_id)
        scenario, _version = store.load(info.scenario_id)
        assert scenario.name == f"测试扫描 · {run.variant}"
        assert info.label == f"{run.variant} · 种子{run.seed}"
        assert kpis["seed"] == run.seed
        assert kpis["sweep"] == {
            "sweep_id": result.sweep_id,
            "sweep": "测试扫描",
            "variant": run.variant,
            "seed": run.seed,
            "reference": run.variant == "现状",
            "revises": None,
        }
        assert check_plan(scenario, plan) == []  # the stored plan, checked again
        assert run.solve_seconds is not None and run.overhead_seconds is not None
        assert run.wall_seconds == pytest.approx(run.solve_seconds + run.overhead_seconds)
        assert run.overhead_seconds < 2.0
    # the closure is in the variant's stored scenario, not in the others
    closed = {r.variant: store.load(r.scenario_id)[0] for r in result.runs if r.scenario_id}
    assert any(u.resource_id == "B2" for u in closed["B2停两天"].unavailable)
    assert not any(u.resource_id == "B2" for u in closed["现状"].unavailable)
    assert len(closed["加1个剧组"].crews) == len(tutorial.crews) + 1
    # the sweep and its runs, as stored
    (info,) = store.list_sweeps()
    assert (info.name, info.state, info.run_count, info.done_count) == ("测试扫描", "done", 6, 6)
    assert info.source == "name = 'x'" and info.base_scenario == "../tutorial"
    stored = store.sweep_runs(info.sweep_id)
    assert [(r.variant, r.seed, r.state) for r in stored] == [
        (run.variant, run.seed, "done") for run in result.runs
    ]
    assert [r.plan_id for r in stored] == [run.plan_id for run in result.runs]
    assert "差异超出求解波动" in result.summary()  # B2 closed loses titles beyond any noise


def test_a_sweep_run_again_stores_its_scenarios_under_free_names(
    tutorial: Scenario, store: ScenarioStore
) -> None:
    sweep = sweep_of(seeds=(0,), time_limit=2.0)

    first = run_sweep(sweep, tutorial, store=store)
    second = run_sweep(sweep, tutorial, store=store)

    names = [store.info(r.scenario_id).name for r in (*first.runs, *second.runs) if r.scenario_id]
    assert names == ["测试扫描 · 现状", "测试扫描 · 现状 #2"]
    assert [info.sweep_id for info in store.list_sweeps()] == [second.sweep_id, first.sweep_id]


def test_without_a_store_nothing_is_stored_and_every_plan_is_kept(tutorial: Scenario) -> None:
    result = run_sweep(tutorial_whatifs(seeds=(3,)), tutorial)

    assert result.ok and result.sweep_id is None
    assert all(run.plan is not None and run.plan_id is None for run in result.runs)
    assert [run.kpis["seed"] for run in result.runs] == [3, 3, 3]


# -- failures -------------------------------------------------------------------------------


def test_a_run_that_raises_in_its_task_fails_and_the_others_finish(
    tutorial: Scenario, store: ScenarioStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied = variations.apply_variant

    def broken_for_one(scenario: Scenario, variant: Variant) -> Scenario:
        changed = applied(scenario, variant)
        return unknown_cast_scenario(changed) if variant.name == "加1个剧组" else changed

    monkeypatch.setattr(variations, "apply_variant", broken_for_one)

    result = run_sweep(tutorial_whatifs(), tutorial, store=store)

    assert states(result) == {
        "现状#0": "done", "现状#1": "done",
        "加1个剧组#0": "failed", "加1个剧组#1": "failed",
        "B2停两天#0": "done", "B2停两天#1": "done",
    }  # fmt: skip
    for run in result.failed:
        assert run.error == "KeyError: 'A_GONE'" and run.plan_id is None
    assert not result.ok and result.state == "failed"
    (info,) = store.list_sweeps()
    assert (info.state, info.done_count, info.failed_count) == ("failed", 4, 2)
    stored = {(r.variant, r.seed): r for r in store.sweep_runs(info.sweep_id)}
    assert stored["加1个剧组", 0].state == "failed"
    assert stored["加1个剧组", 0].error == "KeyError: 'A_GONE'"
    assert "失败 failed" in result.summary() and "A_GONE" in result.summary()


def test_a_variant_that_does_not_apply_fails_its_runs_and_the_others_finish(
    tutorial: Scenario,
) -> None:
    sweep = sweep_of(Variant("现状"), Variant("减5个剧组", crews=-5), seeds=(0, 1), time_limit=2.0)

    result = run_sweep(sweep, tutorial)

    assert states(result) == {
        "现状#0": "done", "现状#1": "done", "减5个剧组#0": "failed", "减5个剧组#1": "failed",
    }  # fmt: skip
    assert all("方案无法应用" in run.error and "crews" in run.error for run in result.failed)


# -- revising the reference plan ------------------------------------------------------------


def test_revise_runs_revise_the_reference_plan_of_their_seed(
    tutorial: Scenario, store: ScenarioStore
) -> None:
    result = run_sweep(tutorial_whatifs(revise=True), tutorial, store=store)

    assert result.ok
    by_key = {run.key: run for run in result.runs}
    for run in result.runs:
        assert run.revises == (None if run.variant == "现状" else "现状")
        assert run.kpis["sweep"]["revises"] == run.revises
        changes = store.load_changes(run.plan_id or 0)
        assert (changes is None) == (run.variant == "现状")  # a change list only when revising
    for seed in (0, 1):
        reference = by_key[f"现状#{seed}"].plan
        assert reference is not None
        # one more crew breaks nothing: the revised plan keeps the reference plan whole
        added = by_key[f"加1个剧组#{seed}"]
        assert added.changes == () and added.plan is not None
        assert sorted(added.plan.shoots) == sorted(reference.shoots)
        # closing B2 moves or drops exactly the titles that shot at B2 on 12-02 … 12-03
        closed = by_key[f"B2停两天#{seed}"]
        broken = {
            s.title_id for s in reference.shoots if s.base_id == "B2" and s.date.day in (2, 3)
        }
        assert broken and {change.title_id for change in closed.changes} >= broken


def test_a_run_whose_reference_failed_fails_saying_so(
    tutorial: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied = variations.apply_variant

    def broken_reference(scenario: Scenario, variant: Variant) -> Scenario:
        changed = applied(scenario, variant)
        return unknown_cast_scenario(changed) if variant.name == "现状" else changed

    monkeypatch.setattr(variations, "apply_variant", broken_reference)

    result = run_sweep(tutorial_whatifs(revise=True, seeds=(0,)), tutorial)

    assert states(result) == {"现状#0": "failed", "加1个剧组#0": "failed", "B2停两天#0": "failed"}
    revising = [run for run in result.failed if run.revises]
    assert len(revising) == 2
    for run in revising:
        assert run.error.startswith("参照运行「现状 · 种子0」失败，无法在其方案上修改")
        assert "KeyError: 'A_GONE'" in run.error


# -- stop --------------------------------------------------------------------------------


def test_stop_keeps_what_finished_and_stops_the_rest(
    tutorial: Scenario, store: ScenarioStore
) -> None:
    stop = threading.Event()

    def stop_at_first_done(report: RunReport) -> None:
        if report.state is RunState.DONE:
            stop.set()

    result = run_sweep(
        tutorial_whatifs(), tutorial, store=store, progress=stop_at_first_done, stop=stop
    )

    assert result.stopped and result.state == "stopped"
    assert len(result.done) >= 1 and len(result.of(RunState.STOPPED)) >= 3
    assert len(result.done) + len(result.of(RunState.STOPPED)) == 6
    assert all(run.plan_id is not None for run in result.done)
    (info,) = store.list_sweeps()
    assert info.state == "stopped"
    assert [r.state for r in store.sweep_runs(info.sweep_id)] == [
        run.state.value for run in result.runs
    ]


def test_stop_cancels_runs_that_are_solving() -> None:
    month = load_scenario(SAMPLES / "zhengzhou-month")
    sweep = sweep_of(seeds=(0, 1, 2), time_limit=120.0)  # would take 3 × 120 s / 2 slots
    stop = threading.Event()
    timer = threading.Timer(3.0, stop.set)
    timer.start()
    started = time.monotonic()

    result = run_sweep(sweep, month, stop=stop)

    timer.cancel()
    assert time.monotonic() - started < 30
    assert states(result) == {"现状#0": "stopped", "现状#1": "stopped", "现状#2": "stopped"}
    # two were handed to Ray (they have a wall time), the third was still queued
    assert sorted(run.wall_seconds is not None for run in result.runs) == [False, True, True]
    # Ray is free again: the next sweep runs at once
    assert run_sweep(sweep_of(seeds=(0,), time_limit=2.0), load_scenario(SAMPLES / "tutorial")).ok


# -- the background job --------------------------------------------------------------------


def test_a_sweep_job_reports_every_run_and_ends_with_the_result(
    tutorial: Scenario, store: ScenarioStore
) -> None:
    forget_sweep_job()
    job = start_sweep_job("tutorial", tutorial_whatifs(), tutorial, store=store)
    assert len(job.runs()) == 6  # every run is listed from the start

    assert job.wait(60)

    assert job.error is None and job.result is not None and job.result.ok
    assert [run.state for run in job.runs()] == [RunState.DONE] * 6
    assert job.sweep_id == job.result.sweep_id is not None
    assert job.counts()[RunState.DONE] == 6
    assert job.progress_line().startswith("运行 6 次 runs：排队 0 · 运行中 0 · 完成 6")
    forget_sweep_job()


def test_a_stopped_sweep_job_ends_with_the_runs_it_finished(tutorial: Scenario) -> None:
    forget_sweep_job()
    job = start_sweep_job("stopped", tutorial_whatifs(seeds=(0, 1, 2, 3)), tutorial)
    job.stop()

    assert job.wait(60)

    assert job.result is not None and job.result.stopped
    assert job.counts()[RunState.STOPPED] >= 1
    forget_sweep_job()


# -- the command ------------------------------------------------------------------------------


def test_the_sweep_command_writes_runs_plans_and_ranges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    out = tmp_path / "out"
    source = SWEEPS / "tutorial-quick.toml"

    code = main(["sweep", str(source), "--out", str(out), "--database", url])

    printed = capsys.readouterr().out
    assert code == 0, printed
    with (out / "runs.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6 and {row["state"] for row in rows} == {"done"}
    assert all(row["plan_id"] and float(row["overhead_seconds"]) >= 0 for row in rows)
    for row in rows:
        folder = out / row["variant"] / f"seed{row['seed']}"
        kpis = json.loads((folder / "kpis.json").read_text(encoding="utf-8"))
        assert kpis["sweep"]["variant"] == row["variant"] and kpis["seed"] == int(row["seed"])
        assert (folder / "plan.csv").is_file()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["runs"], summary["done"], summary["reference"]) == (6, 6, "现状")
    assert summary["variants"]["B2停两天"]["verdicts"]["priority_scheduled"]["verdict"] == "real"
    finished = [line for line in printed.splitlines() if line.startswith("[")]
    assert len(finished) == 6 and all("完成 done" in line for line in finished)
    assert "差异超出求解波动" in printed  # the table of ranges


def test_the_sweep_command_runs_a_sweep_of_a_stored_scenario(
    tmp_path: Path, tutorial: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = ScenarioStore(get_engine(url))
    base = store.create(replace(tutorial, name="已存的教程"))
    path = write_sweep_file(
        tmp_path,
        """
        name = "存库的扫描"
        scenario = "已存的教程"
        seeds = [0]
        time_limit = 2
        [[variant]]
        name = "现状"
        """,
    )

    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--database", url])

    assert code == 0, capsys.readouterr().out
    (info,) = store.list_sweeps()
    assert info.base_scenario_id == base.scenario_id and info.base_scenario == "已存的教程"
    assert 'name = "存库的扫描"' in info.source


def test_the_sweep_command_lists_every_problem_of_a_bad_sweep_and_runs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    path = write_sweep_file(
        tmp_path,
        f"""
        name = "坏的扫描"
        scenario = "{SAMPLES / "tutorial"}"
        time_limit = 2
        [[variant]]
        name = "停不存在的基地"
        close = [{{ base = "B9", from = 2026-12-02, to = 2026-12-03 }}]
        [[variant]]
        name = "减5个剧组"
        crews = -5
        """,
    )

    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--database", url])

    printed = capsys.readouterr().out
    assert code == 1
    assert "variant[1].close[1].base" in printed and "variant[2].crews" in printed
    assert "2 个问题 / 2 problem(s)" in printed
    assert not (tmp_path / "out").exists()
    assert ScenarioStore(get_engine(url)).list_sweeps() == []
