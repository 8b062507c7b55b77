"""``python -m scheduler solve``: plan a scenario, write the plan folder, optionally store it.

Kept apart from :mod:`scheduler.cli.main` so that ``validate`` and ``check`` do not
import OR-Tools; the solver (and, with ``--save``, the database) is imported
only when ``solve`` runs.

The solve runs on a worker thread while the main thread waits, so Ctrl-C
reaches Python at once: the first sets the stop flag and the best plan so
far is checked and written; a second aborts without writing anything.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scheduler.domain import figures
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from solver.result import Phase, Progress

if TYPE_CHECKING:
    from scheduler.services.planning import PlanOutcome
    from scheduler.storage import ScenarioStore

STATUS_ZH = {"optimal": "最优", "feasible": "可行", "infeasible": "无解", "error": "出错"}


def positive_float(text: str) -> float:
    value = float(text)
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


def print_progress(progress: Progress) -> None:
    """Prints one line to stderr per improving solution the solver reports.

    A bound the solver does not know is NaN.
    """
    bound = progress.bound
    shown = "–" if math.isnan(bound) else f"{bound:,.0f}"
    if progress.phase is Phase.COST:
        text = f"降成本 cost phase: 目标 objective {progress.objective:,.0f}（下界 bound {shown}）"
    else:
        text = f"优先级合计 Σ priority {progress.objective:.0f} / 上界 bound {shown}"
    print(f"  [{progress.elapsed:6.1f}s] {text}", file=sys.stderr, flush=True)


def _on_ctrl_c(stop: threading.Event) -> None:
    """First Ctrl-C: set the stop flag; a second one aborts."""
    if stop.is_set():
        raise KeyboardInterrupt
    stop.set()
    print(
        "\n收到 Ctrl-C：停止求解，写出目前最好的方案（再按一次放弃）/ "
        "Ctrl-C: stopping, the best plan so far will be written (press again to abort)",
        file=sys.stderr,
        flush=True,
    )


def _wait_for(worker: threading.Thread, stop: threading.Event) -> None:
    """Start ``worker`` and wait for it, turning Ctrl-C into the stop flag.

    CP-SAT installs its own SIGINT handler during a search and keeps it in a
    thread-local, so a Ctrl-C landing on any thread but the searching one
    aborts the process (``std::bad_function_call``), and afterwards SIGINT is
    left at the default action. Where the platform allows, SIGINT is therefore
    blocked in every thread (the worker and the solver's threads inherit the
    mask) and taken here with ``sigtimedwait``, so no handler ever runs.
    Elsewhere a Python handler is installed for the wait.
    """
    on_main = threading.current_thread() is threading.main_thread()
    if not on_main:  # signals belong to the main thread (e.g. the app runs us elsewhere)
        worker.start()
        worker.join()
        return
    previous = signal.getsignal(signal.SIGINT)
    if hasattr(signal, "sigtimedwait") and hasattr(signal, "pthread_sigmask"):
        old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            worker.start()
            while worker.is_alive():
                if signal.sigtimedwait({signal.SIGINT}, 0.2) is not None:
                    _on_ctrl_c(stop)
        finally:
            while signal.sigtimedwait({signal.SIGINT}, 0) is not None:
                pass  # a Ctrl-C pressed as the solve ended: nothing left to stop
            if previous is not None:
                signal.signal(signal.SIGINT, previous)  # the solver may have reset it
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        return
    signal.signal(signal.SIGINT, lambda _signum, _frame: _on_ctrl_c(stop))
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.2)  # a timed join lets the handler run
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _solve_interruptibly(scenario: Scenario, args: argparse.Namespace) -> PlanOutcome:
    """:func:`plan_scenario` on a worker thread; the first Ctrl-C sets the stop flag.

    Raises
    ------
    KeyboardInterrupt
        On a second Ctrl-C.
    """
    from scheduler.services.planning import plan_scenario

    stop = threading.Event()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["outcome"] = plan_scenario(
                scenario,
                time_limit=args.time_limit,
                seed=args.seed,
                workers=args.workers,
                progress=print_progress,
                stop=stop,
            )
        except BaseException as error:  # handed to the main thread, which re-raises it
            box["error"] = error

    worker = threading.Thread(target=work, name="shootplan-solve", daemon=True)
    try:
        _wait_for(worker, stop)
    except KeyboardInterrupt:
        stop.set()  # the worker is a daemon; let it stop searching while we exit
        raise
    if "error" in box:
        raise box["error"]
    outcome: PlanOutcome = box["outcome"]
    return outcome


def _stored_scenario(store: ScenarioStore, scenario: Scenario, source: str) -> tuple[int, int]:
    """Id and version of the stored scenario of this name, importing it if absent.

    Raises
    ------
    StorageError
        A stored scenario of that name has other content, so the plan would
        be filed under a scenario it was not made from. Nothing is written.
    """
    from scheduler.cli.db import console_note
    from scheduler.domain.accounts import Action
    from scheduler.storage import StorageError

    info = store.find(scenario.name)
    if info is None:
        with store.audited(console_note(Action.IMPORT, detail=source)):
            info = store.create(scenario)
        print(f"已导入 / imported「{info.name}」(id {info.scenario_id}, 版本 version 1)")
        return info.scenario_id, info.version
    stored, version = store.load(info.scenario_id)
    if stored != scenario:
        raise StorageError(
            f"数据库中的场景「{scenario.name}」（版本 {version}）与 {source} 内容不同，"
            f"不能把 {source} 的排期存到它名下；请先用 python -m scheduler db import {source} "
            "--replace 更新数据库，或在 scenario.toml 里改名",
            f"the stored scenario {scenario.name!r} (version {version}) differs from {source}, "
            f"so a plan of {source} cannot be stored under it; update it first with "
            f"python -m scheduler db import {source} --replace, or rename it in scenario.toml",
        )
    return info.scenario_id, version


def _summary(outcome: PlanOutcome, out: Path, scenario: Scenario) -> str:
    """The plan in a few lines, Chinese then English on each."""
    kpis = outcome.kpis
    status = outcome.status.value
    bound = kpis["priority_bound"]
    gap = kpis["gap"]
    greedy = kpis["greedy_priority_scheduled"]
    priority = f"优先级合计 Σ priority: {kpis['priority_scheduled']}"
    priority += " / 上界 bound " + ("–" if bound is None else str(bound))
    if gap is not None:
        priority += f"，差距 gap {gap:.1%}"
    if greedy is not None:
        priority += f"（贪心基线 greedy {greedy}）"
    proven = kpis.get("priority_proven_seconds")
    if proven is not None:
        at = f"{proven:.{2 if proven < 1 else 1}f} s"  # a tutorial proves in hundredths
        priority += f"，已证最优于 {at} / priority proven optimal at {at}"
    parallel = kpis["parallel_shoots"]
    targets = kpis["targets"]
    lines = [
        f"状态 status: {STATUS_ZH.get(status, status)} {status}",
        f"已排剧目 titles scheduled: {kpis['scheduled_titles']} / {len(scenario.titles)}"
        f"（未排 unscheduled {kpis['unscheduled_titles']}）",
        priority,
        f"成本 cost: {kpis['cost']:,} 元 CNY",
        f"并行拍摄 parallel shoots/day: 最少 min {parallel['min']}，平均 mean {parallel['mean']}"
        f" / 目标 target {targets['parallel_shoots_per_day']}",
        f"每 30 天完成剧目 titles per 30 days: {figures.titles(kpis['titles_per_30_days'])}"
        f" / 目标 target {targets['titles_per_month']}",
        f"用时 solve time: {kpis['solve_seconds']:.1f} s（时限 limit {kpis['time_limit']:g} s，"
        f"种子 seed {kpis['seed']}）",
    ]
    lines += [f"  {problem}" for problem in outcome.result.problems]
    lines.append(f"已写入 / wrote: {out} (plan.csv, unscheduled.csv, kpis.json)")
    return "\n".join(lines)


def no_plan_to_write(outcome: PlanOutcome, out: object) -> str | None:
    """Why a checked outcome is not written (its pins cannot all be kept), else ``None``.

    An infeasible scenario has no plan: writing its empty one would replace the
    folder's last plan with nothing, so the command says which pins conflict and exits 1.
    """
    if outcome.status.value != "infeasible":
        return None
    lines = [f"  {problem}" for problem in outcome.result.problems]
    lines.append(
        f"状态 status: 无解 infeasible — 锁定项无法同时保持，未写入 {out} / "
        f"the pins cannot all be kept; nothing written to {out}"
    )
    return "\n".join(lines)


def _cmd_solve(args: argparse.Namespace) -> int:
    from scheduler.io.validation import load_scenario

    try:
        scenario = load_scenario(Path(args.scenario))
    except ScenarioError as error:
        print(error.format(args.lang))
        count = len(error.problems)
        print(f"\n{count} 个问题 / {count} problem(s): 场景无效，未求解 / invalid, not solved")
        return 1

    store: ScenarioStore | None = None
    stored: tuple[int, int] | None = None
    if args.save:
        # before the solve, so a wrong database or name fails in seconds, not after the limit
        from scheduler.storage import ScenarioStore, StorageError, get_engine

        try:
            store = ScenarioStore(get_engine(args.database_url))
            stored = _stored_scenario(store, scenario, args.scenario)
        except StorageError as error:
            print(error.format("both"), file=sys.stderr)
            return 1

    print(
        f"求解 / solving {scenario.summary()}; 时限 time limit {args.time_limit:g} s "
        "(Ctrl-C 提前停止并写出目前最好的方案 / stops early and writes the best plan so far)",
        file=sys.stderr,
        flush=True,
    )
    try:
        outcome = _solve_interruptibly(scenario, args)
    except KeyboardInterrupt:
        print("已放弃，未写入任何文件 / aborted, nothing written", file=sys.stderr)
        return 130

    if not outcome.ok:
        for violation in outcome.violations:
            print(violation.format(args.lang))
        for problem in outcome.result.problems:
            print(problem)
        print(
            f"状态 status: 出错 error — 排期未通过检查或未算出，未写入 {args.out} / "
            f"the plan was not confirmed or not found; nothing written to {args.out}"
        )
        return 1

    refused = no_plan_to_write(outcome, args.out)
    if refused:
        print(refused)
        return 1

    from scheduler.io.plan_io import write_plan

    out = Path(args.out)
    try:
        write_plan(out, outcome.plan, outcome.kpis)
    except OSError as error:
        print(error)
        return 1
    print(_summary(outcome, out, scenario))
    if store is not None and stored is not None:
        from scheduler.cli.db import console_note
        from scheduler.domain.accounts import Action
        from scheduler.services.planning import save_outcome

        scenario_id, version = stored
        with store.audited(console_note(Action.SOLVE, scenario_id=scenario_id)):
            plan_id = save_outcome(store, scenario_id, version, outcome, args.label)
        print(
            f"已保存 / saved: 排期方案 plan {plan_id}"
            f"（场景「{scenario.name}」版本 version {version}）"
        )
    return 0


def iso_date(text: str) -> dt.date:
    """An argparse type: a date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text} is not a date YYYY-MM-DD") from error


def add_lang_argument(parser: argparse.ArgumentParser) -> None:
    """``--lang``: the language of a command's messages (Chinese, English or both)."""
    parser.add_argument(
        "--lang", choices=["zh", "en", "both"], default="both", help="language of the messages"
    )


def add_search_arguments(parser: argparse.ArgumentParser, default_seconds: float) -> None:
    """``--time-limit``, ``--seed`` and ``--workers``, as every planning command takes them."""
    parser.add_argument(
        "--time-limit",
        type=positive_float,
        default=default_seconds,
        help=f"wall-clock seconds for the solve (default {default_seconds:g})",
    )
    parser.add_argument("--seed", type=int, default=0, help="the solver's random seed (default 0)")
    parser.add_argument(
        "--workers", type=positive_int, default=2, help="solver search workers (default 2)"
    )


def add_solve_command(commands: Any) -> None:
    """Add ``solve`` to the command line's subparsers."""
    solve = commands.add_parser(
        "solve",
        help="plan a scenario: write plan.csv, unscheduled.csv and kpis.json (exit 1 on error)",
    )
    solve.add_argument("scenario", help="scenario folder or .xlsx workbook")
    solve.add_argument("--out", required=True, help="folder to write the plan into")
    add_search_arguments(solve, default_seconds=60.0)
    solve.add_argument(
        "--save",
        action="store_true",
        help="also store the plan in the database, with the scenario (imported if absent)",
    )
    solve.add_argument("--label", default="", help="label of the stored plan (with --save)")
    solve.add_argument(
        "--database-url",
        default=None,
        help="database URL for --save; default: env DATABASE_URL, else data/shootplan.db",
    )
    add_lang_argument(solve)
    solve.set_defaults(run=_cmd_solve)
