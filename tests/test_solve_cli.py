"""``python -m scheduler solve`` and :mod:`scheduler.services.planning` on the tutorial and
the month.

The tutorial (7 days, 6 titles) has one best plan, priority 17, found by hand
in its README; the solver proves it in well under a second, so a 10 s limit
is never reached. The Ctrl-C test uses the Zhengzhou month, which runs long
enough to be interrupted while CP-SAT searches.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from scheduler.cli.main import main
from scheduler.domain.plan import Plan, Shoot
from scheduler.io.plan_io import read_plan
from scheduler.io.validation import load_scenario
from scheduler.services.planning import UncheckedPlanError, plan_scenario, save_outcome
from scheduler.storage import ScenarioStore, get_engine
from solver.result import SolveResult
from solver.status import SolveStatus

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "sample_data" / "tutorial"
MONTH = REPO / "sample_data" / "zhengzhou-month"
TUTORIAL_NAME = "教程：两个基地一周"

SPEC_KPI_KEYS = {
    "status",
    "scheduled_titles",
    "unscheduled_titles",
    "priority_scheduled",
    "priority_bound",
    "cost",
    "parallel_shoots_per_day",
    "titles_per_30_days",
    "set_utilisation",
    "solve_seconds",
    "priority_proven_seconds",
}
PLANNING_KPI_KEYS = {"greedy_priority_scheduled", "gap", "seed", "time_limit"}


def solve_args(scenario: Path, out: Path, *extra: str, time_limit: int = 10) -> list[str]:
    return ["solve", str(scenario), "--out", str(out), "--time-limit", str(time_limit), *extra]


def sorted_plan(plan: Plan) -> tuple[list[Shoot], dict[str, str]]:
    return sorted(plan.shoots), dict(plan.unscheduled)


def test_solve_writes_the_tutorial_plan_that_check_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "方案"

    assert main(solve_args(TUTORIAL, out)) == 0

    printed = capsys.readouterr()
    plan, kpis = read_plan(out)
    assert kpis is not None
    assert set(kpis) >= SPEC_KPI_KEYS | PLANNING_KPI_KEYS
    # the README's hand-made optimum: all 6 titles, priority 17, 414,400 CNY (tutorial README)
    assert kpis["status"] == "optimal"
    assert (kpis["scheduled_titles"], kpis["priority_scheduled"], kpis["priority_bound"]) == (
        6,
        17,
        17,
    )
    assert kpis["cost"] == 414_400  # 399,400 before its scenes brought supporting actors
    assert kpis["gap"] == 0.0
    assert kpis["greedy_priority_scheduled"] == 14  # the greedy misses T3 (README)
    assert (kpis["seed"], kpis["time_limit"]) == (0, 10.0)
    assert len(plan.shoots) == 12 and plan.unscheduled == {}
    assert "最优 optimal" in printed.out
    assert "优先级合计 Σ priority: 17 / 上界 bound 17，差距 gap 0.0%" in printed.out
    assert "成本 cost: 414,400 元 CNY" in printed.out
    assert "上界 bound" in printed.err  # the progress lines
    # proven in phase 1, then the cost phase: the proof comes before the end
    proven = kpis["priority_proven_seconds"]
    assert proven is not None and 0 <= proven <= kpis["solve_seconds"]
    assert f"已证最优于 {proven:.2f} s / priority proven optimal at {proven:.2f} s" in printed.out

    checked = subprocess.run(
        [sys.executable, "-m", "scheduler", "check", str(TUTORIAL), str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout
    assert "ok: the plan keeps rules 1-11 (6 titles, 12 shoots)" in checked.stdout


def test_solve_save_stores_the_plan_with_the_scenario_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'shootplan.db'}"
    save = ["--save", "--database-url", url, "--label", "周一排期"]

    # first run: the scenario is not stored yet, so it is imported, then the plan saved
    assert main(solve_args(TUTORIAL, tmp_path / "一", *save)) == 0
    assert "已导入 / imported" in capsys.readouterr().out
    # second run: found by name, not imported again
    assert main(solve_args(TUTORIAL, tmp_path / "二", *save)) == 0
    assert "imported" not in capsys.readouterr().out

    engine = get_engine(url)
    try:
        store = ScenarioStore(engine)
        (info,) = store.list()
        assert (info.name, info.version) == (TUTORIAL_NAME, 1)
        plans = store.list_plans(info.scenario_id)
        assert [(p.scenario_version, p.label, p.status) for p in plans] == [
            (1, "周一排期", "optimal"),
            (1, "周一排期", "optimal"),
        ]
        stored_plan, stored_kpis, _info = store.load_plan(plans[0].plan_id)
        trail = [(e.action.value, e.scenario_id, e.plan_id) for e in store.audit_events()]
        assert trail == [
            ("import", info.scenario_id, None),
            ("solve", info.scenario_id, plans[0].plan_id),
            ("solve", info.scenario_id, plans[1].plan_id),
        ]
    finally:
        engine.dispose()
    written_plan, written_kpis = read_plan(tmp_path / "一")
    assert sorted_plan(stored_plan) == sorted_plan(written_plan)
    assert stored_kpis == written_kpis


def test_solve_save_refuses_a_stored_scenario_of_that_name_with_other_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'shootplan.db'}"
    assert main(["db", "import", str(TUTORIAL), "--database-url", url]) == 0
    edited = tmp_path / "教程改"
    shutil.copytree(TUTORIAL, edited)
    titles = edited / "titles.csv"
    titles.write_text(titles.read_text(encoding="utf-8").replace(",5,", ",4,", 1), "utf-8")
    capsys.readouterr()

    code = main(solve_args(edited, tmp_path / "方案", "--save", "--database-url", url))

    assert code == 1
    assert "--replace" in capsys.readouterr().err
    assert not (tmp_path / "方案").exists()  # refused before solving
    engine = get_engine(url)
    try:
        store = ScenarioStore(engine)
        (info,) = store.list()
        assert store.list_plans(info.scenario_id) == []
    finally:
        engine.dispose()


def test_solve_lists_every_problem_of_an_invalid_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "坏的"
    shutil.copytree(TUTORIAL, broken)
    titles = broken / "titles.csv"
    # T2 (line 3) due before its earliest start; T6 (line 7) cast names nobody
    text = titles.read_text(encoding="utf-8")
    text = text.replace("2026-12-01,2026-12-03,A3", "2026-12-05,2026-12-03,A3")
    text = text.replace("2026-12-04,2026-12-07,A4", "2026-12-04,2026-12-07,A9")
    titles.write_text(text, encoding="utf-8")

    assert main(solve_args(broken, tmp_path / "方案")) == 1

    out = capsys.readouterr().out
    assert "titles.csv:3:due_date" in out
    assert "titles.csv:7:cast" in out
    assert "2 个问题 / 2 problem(s)" in out
    assert not (tmp_path / "方案").exists()


def broken_result(plan: Plan) -> SolveResult:
    return SolveResult(plan, SolveStatus.OPTIMAL, 17, 17, 0.1)


def test_a_plan_the_checker_rejects_is_an_error_and_is_neither_written_nor_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A "solver" that claims optimal but shoots T2 (2 days of 医院) on one day
    # only (rule 1: days; rule 2: set types), without its scenes (rule 10), and
    # forgets the other titles (rule 1).
    bad = Plan((Shoot("T2", date(2026, 12, 2), "B2", "S3", "C1"),), {})
    monkeypatch.setattr("scheduler.services.planning.solve", lambda *_a, **_k: broken_result(bad))
    scenario = load_scenario(TUTORIAL)

    outcome = plan_scenario(scenario, time_limit=1)

    assert outcome.status is SolveStatus.ERROR and not outcome.ok
    assert {v.rule for v in outcome.violations} == {1, 2, 10}
    assert outcome.kpis["status"] == "error"
    with pytest.raises(UncheckedPlanError):
        save_outcome(ScenarioStore(get_engine("sqlite://")), 1, 1, outcome)

    assert main(solve_args(TUTORIAL, tmp_path / "方案")) == 1
    out = capsys.readouterr().out
    assert "T1 is neither scheduled nor listed as unscheduled" in out
    assert "nothing written" in out
    assert not (tmp_path / "方案").exists()


def test_save_outcome_refuses_a_plan_swapped_in_after_the_check() -> None:
    scenario = load_scenario(TUTORIAL)
    outcome = plan_scenario(scenario, time_limit=10, workers=1)
    assert outcome.ok
    engine = get_engine("sqlite://")
    try:
        store = ScenarioStore(engine)
        info = store.create(scenario)
        swapped = replace(outcome, plan=Plan((), {t.title_id: "?" for t in scenario.titles}))
        assert not swapped.checked
        with pytest.raises(UncheckedPlanError):
            save_outcome(store, info.scenario_id, 1, swapped)
        assert store.list_plans(info.scenario_id) == []

        plan_id = save_outcome(store, info.scenario_id, 1, outcome, "原样")
        stored, kpis, plan_info = store.load_plan(plan_id)
    finally:
        engine.dispose()
    assert sorted_plan(stored) == sorted_plan(outcome.plan)
    assert kpis == json.loads(json.dumps(outcome.kpis))
    assert (plan_info.label, plan_info.status) == ("原样", "optimal")


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_stops_the_solve_and_writes_the_best_plan_so_far(tmp_path: Path) -> None:
    # The month's 60 s limit is never reached: Ctrl-C comes about 3 s into the
    # solve, when CP-SAT is searching (its first solution comes at ~6 s) and has
    # its own SIGINT handler installed. The plan so far (here the greedy
    # fallback) must be checked and written at once, and the process must not abort.
    out = tmp_path / "方案"
    solving = subprocess.Popen(
        [sys.executable, "-m", "scheduler", *solve_args(MONTH, out, time_limit=60)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert solving.stderr is not None
        assert "求解 / solving" in solving.stderr.readline()
        time.sleep(3)
        solving.send_signal(signal.SIGINT)
        printed, stderr = solving.communicate(timeout=20)
    finally:
        if solving.poll() is None:
            solving.kill()
            solving.wait()
    assert solving.returncode == 0, stderr
    assert "收到 Ctrl-C" in stderr
    _plan, kpis = read_plan(out)
    assert kpis is not None
    assert kpis["solve_seconds"] < 20
    # stopped 3 s in, long before the month's priority can be proven
    assert kpis["status"] == "feasible" and kpis["priority_proven_seconds"] is None
    assert "已证最优" not in printed
    assert main(["check", str(MONTH), str(out)]) == 0


def test_pins_that_can_all_be_kept_are_solved_and_written(tmp_path: Path) -> None:
    pinned = tmp_path / "锁定"
    shutil.copytree(TUTORIAL, pinned)
    (pinned / "pins.csv").write_text("title_id,start_date\nT1,2026-12-01\n", encoding="utf-8")
    assert main(solve_args(pinned, tmp_path / "方案")) == 0
    plan, _ = read_plan(tmp_path / "方案")
    assert plan.shoots_of("T1")[0].date == date(2026, 12, 1)


def test_pins_that_cannot_all_be_kept_exit_1_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # T1 and T3 share actor A1: both pinned to start on 12-01 cannot both be kept.
    pinned = tmp_path / "锁定"
    shutil.copytree(TUTORIAL, pinned)
    pins = "title_id,start_date\nT1,2026-12-01\nT3,2026-12-01\n"
    (pinned / "pins.csv").write_text(pins, encoding="utf-8")
    assert main(solve_args(pinned, tmp_path / "方案")) == 1
    out = capsys.readouterr().out
    assert "无解 infeasible" in out and "nothing written" in out
    assert "T1" in out and "T3" in out  # the pins at fault are named
    assert not (tmp_path / "方案").exists()
