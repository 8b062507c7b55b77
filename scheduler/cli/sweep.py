"""``python -m scheduler sweep SWEEP.toml --out DIR``: plan every what-if of a sweep file on Ray.

Reads and checks the sweep file (every problem at once, exit 1) and its base
scenario — a folder or .xlsx relative to the sweep file, or the name of a
stored scenario — then runs each variant × seed as a Ray task
(:func:`scheduler.services.sweeps.run_sweep`): on this machine by default, on a
cluster when ``RAY_ADDRESS`` or ``--address`` names one. Every finished run is
stored in the database (the app's: ``DATABASE_URL``, else ``data/shootplan.db``)
as a plan of its variant's scenario, and one line per finished run is printed.

DIR gets ``runs.csv`` (one row per run), ``<variant>/seed<N>/`` (each finished
run's plan folder, as ``solve`` writes it), and ``summary.json`` (the seconds
and each variant's KPI ranges over seeds, judged against the reference
variant); the ranges are printed as a table. Exit 0 when every run finished
with a checked plan, 1 when some failed or were stopped (what finished is still
written). The first Ctrl-C stops the sweep (finished runs are kept and written),
a second aborts.

Kept apart from :mod:`scheduler.cli.main` so that the other commands do not import Ray.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import statistics
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from scheduler.domain.errors import Lang, Problem, ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.sweep import Sweep

if TYPE_CHECKING:
    from scheduler.services.sweeps import RunReport, SweepResult
    from scheduler.storage import ScenarioStore

TABLE_KPIS = ("scheduled_titles", "priority_scheduled", "cost")
"""The KPIs whose ranges over seeds the printed table shows."""
_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]')


@dataclass(frozen=True)
class SweepInput:
    """A checked sweep, its base scenario and where it came from, ready to run."""

    sweep: Sweep
    scenario: Scenario
    source: str
    """The sweep file's text."""
    base_scenario_id: int | None
    """The stored scenario the sweep names, when it names one rather than a path."""


def _problems(problems: Sequence[Problem], lang: Lang, what: str) -> None:
    for problem in problems:
        print(problem.format(lang))
    count = len(problems)
    print(f"\n{count} 个问题 / {count} problem(s): {what}")


def read_sweep_input(path: Path, store: ScenarioStore, lang: Lang = "both") -> SweepInput | None:
    """Read and check the sweep file and its base scenario; print every problem, else ``None``.

    The base scenario is the path the sweep names (relative to the sweep file), or
    else the stored scenario of that name.
    """
    from scheduler.io.sweep_file import check_against, read_sweep, scenario_path
    from scheduler.io.validation import load_scenario

    try:
        sweep = read_sweep(path)
    except ScenarioError as error:
        _problems(error.problems, lang, "批量推演文件无效 / the sweep file is invalid")
        return None
    base_scenario_id = None
    where = scenario_path(sweep, path)
    if where is not None:
        try:
            scenario = load_scenario(where)
        except ScenarioError as error:
            _problems(error.problems, lang, f"基础场景 {where} 无效 / base scenario invalid")
            return None
    else:
        info = store.find(sweep.scenario)
        if info is None:
            print(
                f"{path.name}:scenario: 「{sweep.scenario}」既不是相对 {path.name} 的场景文件夹或 "
                f".xlsx，也不是数据库里已保存的场景名称 / is neither a scenario folder or .xlsx "
                f"relative to {path.name} nor the name of a stored scenario "
                f"({store.engine.url.render_as_string(hide_password=True)})"
            )
            return None
        scenario, _version = store.load(info.scenario_id)
        base_scenario_id = info.scenario_id
    problems = check_against(sweep, scenario, label=path.name)
    if problems:
        _problems(problems, lang, "批量推演与基础场景不符 / the sweep does not fit its scenario")
        return None
    source = path.read_text(encoding="utf-8-sig")
    return SweepInput(sweep, scenario, source, base_scenario_id)


@contextmanager
def ctrl_c_stops(stop: threading.Event) -> Iterator[None]:
    """While inside, the first Ctrl-C sets ``stop`` and a second one aborts (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_ctrl_c(_signum: int, _frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print(
            "\n收到 Ctrl-C：停止批量推演，保留已完成的运行（再按一次放弃）/ Ctrl-C: stopping the "
            "sweep, finished runs are kept (press again to abort)",
            file=sys.stderr,
            flush=True,
        )

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def printing_progress(total: int) -> Callable[[RunReport], None]:
    """A progress callback printing one line per ended run (stdout) and per start (stderr)."""
    ended = 0

    def show(report: RunReport) -> None:
        nonlocal ended
        if report.state.ended:
            ended += 1
            print(f"[{ended}/{total}] {report.line}", flush=True)
        elif report.state.value == "running":
            print(f"  … {report.line}", file=sys.stderr, flush=True)

    return show


# -- writing DIR ------------------------------------------------------------------------


def folder_name(variant: str) -> str:
    """A variant's name as a folder name: path separators and characters that Windows
    refuses become ``_``."""
    name = _UNSAFE.sub("_", variant).strip(" .")
    return name or "_"


def variant_folders(variants: Sequence[str]) -> dict[str, str]:
    """A distinct folder name per variant (``_2``, ``_3`` … where two names look alike)."""
    folders: dict[str, str] = {}
    taken: set[str] = set()
    for variant in variants:
        name = base = folder_name(variant)
        number = 1
        while name.casefold() in taken:
            number += 1
            name = f"{base}_{number}"
        taken.add(name.casefold())
        folders[variant] = name
    return folders


def summary_data(result: SweepResult) -> dict[str, Any]:
    """summary.json: the sweep's counts and seconds, and each variant's ranges and verdicts."""
    overheads = result.overheads
    data: dict[str, Any] = {
        "sweep": result.sweep.name,
        "sweep_id": result.sweep_id,
        "scenario": result.sweep.scenario,
        "ray": result.where,
        "runs": len(result.runs),
        "done": len(result.done),
        "failed": len(result.failed),
        "stopped": len(result.runs) - len(result.done) - len(result.failed),
        "time_limit": result.sweep.time_limit,
        "workers": result.sweep.workers,
        "slots": result.slots,
        "wall_seconds": round(result.wall_seconds, 3),
        "startup_seconds": round(result.startup_seconds, 3),
        "ideal_seconds": round(result.ideal_seconds, 3),
        "overhead_seconds": {
            "median": round(statistics.median(overheads), 3) if overheads else None,
            "max": round(max(overheads), 3) if overheads else None,
        },
        "reference": result.sweep.reference_variant.name,
        "variants": {},
    }
    report = result.noise()
    for name, ranges in report.variants.items():
        verdicts = report.verdicts.get(name, {})
        data["variants"][name] = {
            "seeds": [seed for seed in ranges.seeds if seed is not None],
            "priority_bound": ranges.bound,
            "ranges": {
                kpi: {
                    "min": None if not r.values else r.min,
                    "max": None if not r.values else r.max,
                    "median": None if not r.values else r.median,
                    "values": list(r.values),
                }
                for kpi, r in ranges.ranges.items()
            },
            "verdicts": {
                kpi: {
                    "verdict": v.verdict.value,
                    "words": v.words,
                    "difference": None if v.difference != v.difference else v.difference,
                }
                for kpi, v in verdicts.items()
            },
        }
    return data


def ranges_table(result: SweepResult) -> tuple[list[str], list[list[str]]]:
    """The printed table: per variant, its seeds, the ranges over seeds and the verdict."""
    report = result.noise()
    header = [
        "方案 variant",
        "种子 seeds",
        "已排剧目 titles",
        "优先级 priority",
        "成本 cost",
        "上界 bound",
        f"对比「{report.reference}」vs reference",
    ]
    rows = []
    for name, ranges in report.variants.items():
        verdict = report.verdicts.get(name, {}).get("priority_scheduled")
        rows.append(
            [
                name,
                str(ranges.n),
                *(ranges.ranges[kpi].text for kpi in TABLE_KPIS),
                ranges.bound_text,
                "参照 reference" if verdict is None else verdict.short,
            ]
        )
    return header, rows


def write_outputs(result: SweepResult, out: Path) -> list[str]:
    """Write runs.csv, each finished run's plan folder and summary.json into ``out``;
    return the problems met (a plan folder that could not be written)."""
    from scheduler.io.plan_io import write_plan
    from scheduler.services.sweeps import runs_csv

    out.mkdir(parents=True, exist_ok=True)
    problems = []
    folders = variant_folders([variant.name for variant in result.sweep.variants])
    for run in result.done:
        assert run.plan is not None
        folder = out / folders[run.variant] / f"seed{run.seed}"
        changes = run.changes if run.revises else None
        try:
            write_plan(folder, run.plan, dict(run.kpis), changes)
        except OSError as error:
            problems.append(f"{folder}: {error}")
    (out / "runs.csv").write_text(runs_csv(result.runs), encoding="utf-8")
    summary = json.dumps(summary_data(result), ensure_ascii=False, indent=2) + "\n"
    (out / "summary.json").write_text(summary, encoding="utf-8")
    return problems


# -- the command ------------------------------------------------------------------------


def _cmd_sweep(args: argparse.Namespace) -> int:
    from scheduler.cli.db import text_table
    from scheduler.services.sweeps import SweepError, run_sweep
    from scheduler.storage import ScenarioStore, StorageError, get_engine

    path = Path(args.sweep)
    try:
        store = ScenarioStore(get_engine(args.database_url))
        given = read_sweep_input(path, store, cast(Lang, args.lang))
    except StorageError as error:
        print(error.format("both"), file=sys.stderr)
        return 1
    if given is None:
        return 1
    sweep = given.sweep
    runs = len(sweep.variants) * len(sweep.seeds)
    print(
        f"批量推演 sweep「{sweep.name}」：{len(sweep.variants)} 个方案 variants × "
        f"{len(sweep.seeds)} 个种子 seeds = {runs} 次运行 runs，每次 {sweep.time_limit:g} s、"
        f"{sweep.workers} 个 CP-SAT worker（Ctrl-C 停止并保留已完成的 / stops, keeping "
        "what finished）",
        file=sys.stderr,
        flush=True,
    )
    stop = threading.Event()
    try:
        with ctrl_c_stops(stop):
            result = run_sweep(
                sweep,
                given.scenario,
                store=store,
                source=given.source,
                base_scenario_id=given.base_scenario_id,
                progress=printing_progress(runs),
                stop=stop,
                address=args.address,
            )
    except SweepError as error:
        print(error, file=sys.stderr)
        return 1
    except StorageError as error:
        print(error.format("both"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已放弃 / aborted; 已完成的运行已存入数据库 / finished runs are stored")
        return 130
    out = Path(args.out)
    problems = write_outputs(result, out)
    print()
    print(result.headline())
    header, rows = ranges_table(result)
    print(text_table(header, rows))
    for problem in problems:
        print(problem)
    database = store.engine.url.render_as_string(hide_password=True)
    print(
        f"已写入 / wrote: {out} (runs.csv, summary.json, <方案 variant>/seed<N>/)；"
        f"已存入 / stored in {database}"
        + ("" if result.sweep_id is None else f"（sweep #{result.sweep_id}）")
    )
    return 0 if result.ok and not problems else 1


def add_sweep_command(commands: Any) -> None:
    """Add ``sweep SWEEP.toml --out DIR`` to the command line's subparsers."""
    sweep = commands.add_parser(
        "sweep",
        help="plan every variant × seed of a sweep file on Ray (this machine, or the cluster "
        "RAY_ADDRESS names); store every run; write DIR (exit 1 if a run failed)",
    )
    sweep.add_argument("sweep", help="sweep file (.toml), see sample_data/sweeps/")
    sweep.add_argument("--out", required=True, help="folder for runs.csv, summary.json and plans")
    sweep.add_argument(
        "--database",
        "--database-url",
        dest="database_url",
        default=None,
        help="database URL; default: env DATABASE_URL, else data/shootplan.db in this folder",
    )
    sweep.add_argument(
        "--address",
        default=None,
        help="Ray cluster to run on (e.g. 10.0.0.5:6379); default: env RAY_ADDRESS, "
        "else Ray on this machine",
    )
    sweep.add_argument(
        "--lang", choices=["zh", "en", "both"], default="both", help="language of the problems"
    )
    sweep.set_defaults(run=_cmd_sweep)
