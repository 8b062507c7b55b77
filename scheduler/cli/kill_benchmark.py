"""Outputs written whole: solves and saves killed (SIGKILL) at seeded moments while they write.

Usage::

    python -m scheduler.cli.kill_benchmark --solves 20 --saves 50 --seed 12

Killed solves: an output folder is first given an old plan (one ``OLD`` shoot,
its KPIs marked ``"run": "old"``), then ``python -m scheduler solve SCENARIO
--out FOLDER`` runs with ``SHOOTPLAN_PLAN_WRITE_PAUSE`` seconds after each
file it writes (``--pause``), and is killed at a seeded random moment of the
writing (from its first temporary folder on, within four pauses). The folder
must then hold the complete old set of files or the complete new one: a plan
whose KPIs count its own shoots and titles left out, with no old shoot beside
new KPIs or the reverse. The next write to the folder must leave no temporary
sibling behind (the killed writers' are removed).

Killed saves: a SQLite database holds the scenario (SCENARIO, then the same
with every title renamed); a child process saves the other version, and is
killed at a seeded moment within 1.2 times a measured save's length after it
starts saving. The database must then pass ``PRAGMA integrity_check`` and hold
the old version whole (same version number) or the new one whole (version +1).

Prints the counts of each outcome and the mixed or inconsistent ones; exits 1
if there is any, else 0.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan, Shoot
from scheduler.io.plan_io import WRITE_HOOK, read_plan, write_plan
from scheduler.io.tables import write_scenario
from scheduler.samples.generate import sample_or_scenario
from scheduler.storage import ScenarioStore, get_engine

REPO = Path(__file__).resolve().parents[2]
OLD = Plan((Shoot("OLD", date(2026, 12, 1), "B01", "S01", "C01"),), {"X1": "旧", "X2": "旧"})
OLD_KPIS = {"shoots": 1, "unscheduled_titles": 2, "run": "old"}
"""The old plan each killed solve would replace, and its KPIs (marked as the old run's)."""


@dataclass
class Tally:
    """Outcomes of one kind of killed write, and what was wrong with the bad ones."""

    counts: dict[str, int] = field(default_factory=dict)
    bad: list[str] = field(default_factory=list)

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1

    def shown(self) -> str:
        return ", ".join(f"{name} {count}" for name, count in sorted(self.counts.items()))


# -- killed solves -------------------------------------------------------------------------


def folder_state(folder: Path) -> str:
    """``"old"`` or ``"new"``: the complete set ``folder`` holds; else what is mixed in it."""
    try:
        plan, kpis = read_plan(folder)
    except (ScenarioError, OSError) as error:
        return f"unreadable: {str(error).splitlines()[0]}"
    if kpis is None:
        return "mixed: no kpis.json"
    old = any(shoot.title_id == "OLD" for shoot in plan.shoots)
    if old != (kpis.get("run") == "old"):
        return "mixed: plan.csv of one run, kpis.json of the other"
    counts = (kpis.get("shoots"), kpis.get("unscheduled_titles"))
    if counts != (len(plan.shoots), len(plan.unscheduled)):
        return f"mixed: KPIs count {counts}, files hold {len(plan.shoots), len(plan.unscheduled)}"
    return "old" if old else "new"


def _temporaries(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.tmp-*")) + sorted(
        out.parent.glob(f".{out.name}.old-*")
    )


def _writing(out: Path) -> bool:
    """Whether the solve has begun writing: a temporary sibling exists, or the folder changed."""
    if _temporaries(out):
        return True
    try:
        return "OLD" not in (out / "plan.csv").read_text(encoding="utf-8")
    except OSError:
        return True


def killed_solve(scenario_dir: Path, out: Path, args: argparse.Namespace, delay: float) -> str:
    """Write the old plan to ``out``, start a solve into it, kill it ``delay`` s into writing."""
    write_plan(out, OLD, OLD_KPIS)
    if _temporaries(out):
        return "mixed: a killed writer's temporary folder survived the next write"
    command = [sys.executable, "-m", "scheduler", "solve", str(scenario_dir), "--out", str(out)]
    process = subprocess.Popen(
        [*command, "--time-limit", str(args.time_limit)],
        cwd=REPO,
        env={**os.environ, WRITE_HOOK: str(args.pause)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while not _writing(out) and process.poll() is None:
        time.sleep(0.002)
    time.sleep(delay)
    finished = process.poll() is not None
    process.send_signal(signal.SIGKILL)
    process.wait()
    state = folder_state(out)
    return state if state not in ("old", "new") or not finished else f"{state} (finished)"


def run_solves(scenario: Scenario, work: Path, args: argparse.Namespace) -> Tally:
    """``args.solves`` killed solves into one folder; the tally of the states left."""
    scenario_dir = work / "scenario"
    write_scenario(scenario, scenario_dir)
    out = work / "out"
    rng = random.Random(args.seed)
    tally = Tally()
    for number in range(1, args.solves + 1):
        delay = rng.uniform(0.0, 4 * args.pause)
        state = killed_solve(scenario_dir, out, args, delay)
        tally.add(state.split(":")[0])
        if state.startswith(("mixed", "unreadable")):
            tally.bad.append(f"solve {number} (killed {delay:.3f} s into writing): {state}")
        print(f"solve {number:2d}: killed {delay:.3f} s into writing → {state}", flush=True)
    write_plan(out, OLD, OLD_KPIS)
    if _temporaries(out):
        tally.add("mixed")
        tally.bad.append(f"temporary folders left after the last write: {_temporaries(out)}")
    return tally


# -- killed saves --------------------------------------------------------------------------


def scenario_versions(scenario: Scenario) -> tuple[Scenario, Scenario]:
    """The two versions saved in turn: ``scenario`` and the same with every title renamed."""
    renamed = tuple(replace(title, name=f"{title.name}·乙") for title in scenario.titles)
    return scenario, replace(scenario, titles=renamed)


def save_child(url: str, scenario_id: int, version: int, which: int, source: str) -> None:
    """In the child process: save version ``which`` over stored ``version``, saying when."""
    store = ScenarioStore(get_engine(url))
    scenario = scenario_versions(sample_or_scenario(source))[which]
    print("saving", flush=True)
    store.save(scenario_id, scenario, version)
    print("saved", flush=True)


def _integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def _save_process(url: str, state: tuple[int, int, int], source: str) -> subprocess.Popen[str]:
    """A child saving the other version over ``state`` (id, version, which of the two)."""
    scenario_id, version, which = state
    code = (
        "from scheduler.cli.kill_benchmark import save_child; "
        f"save_child({url!r}, {scenario_id}, {version}, {1 - which}, {source!r})"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def timed_save(url: str, state: tuple[int, int, int], source: str) -> float:
    """Seconds a child takes from starting to save to having saved (it is not killed)."""
    process = _save_process(url, state, source)
    assert process.stdout is not None
    with process.stdout:
        said = process.stdout.readline().strip()
        started = time.monotonic()
        done = process.stdout.readline().strip()
        seconds = time.monotonic() - started
    if process.wait() != 0 or (said, done) != ("saving", "saved"):
        raise RuntimeError(f"a save that was not killed failed (exit {process.returncode})")
    return seconds


def killed_save(url: str, state: tuple[int, int, int], delay: float, source: str) -> str:
    """Kill a child saving the other version over ``state`` ``delay`` s after it starts saving;
    say whether it had finished first."""
    process = _save_process(url, state, source)
    assert process.stdout is not None
    with process.stdout:
        said = process.stdout.readline().strip()
        if said == "saving":
            time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        rest = process.stdout.read()
    if said != "saving":
        return "child failed before saving"
    return "finished" if "saved" in rest else "killed"


def stored_state(
    url: str, db: Path, versions: tuple[Scenario, Scenario], state: tuple[int, int, int]
) -> tuple[str, tuple[int, int, int]]:
    """``"old"`` or ``"new"`` and the state now stored, or what is inconsistent."""
    scenario_id, version, which = state
    integrity = _integrity(db)
    if integrity != "ok":
        return f"inconsistent: integrity_check says {integrity}", state
    engine = get_engine(url)
    try:
        scenario, stored = ScenarioStore(engine).load(scenario_id)
    finally:
        engine.dispose()
    if (scenario, stored) == (versions[which], version):
        return "old", state
    if (scenario, stored) == (versions[1 - which], version + 1):
        return "new", (scenario_id, version + 1, 1 - which)
    return f"inconsistent: version {stored}, content of neither version {version} nor +1", state


def run_saves(source: str, scenario: Scenario, work: Path, args: argparse.Namespace) -> Tally:
    """``args.saves`` killed saves to one SQLite file; the tally of what it holds after each."""
    versions = scenario_versions(scenario)
    db = work / "kill.db"
    url = f"sqlite:///{db}"
    engine = get_engine(url)
    try:
        info = ScenarioStore(engine).create(versions[0])
    finally:
        engine.dispose()
    state = (info.scenario_id, 1, 0)
    tally = Tally()
    times = []
    for _ in range(3):  # how long a child's save takes here, and a check that saves work
        times.append(timed_save(url, state, source))
        found, state = stored_state(url, db, versions, state)
        if found != "new":
            tally.bad.append(f"a save that was not killed left: {found}")
    seconds = sorted(times)[1]
    print(f"one save of {scenario.name} takes {seconds:.3f} s here (median of 3)", flush=True)
    rng = random.Random(args.seed + 1)
    for number in range(1, args.saves + 1):
        delay = rng.uniform(0.0, 1.2 * seconds)
        how = killed_save(url, state, delay, source)
        found, state = stored_state(url, db, versions, state)
        tally.add(found.split(":")[0] + (" (finished)" if how == "finished" else ""))
        if found.startswith("inconsistent") or how.startswith("child failed"):
            tally.bad.append(f"save {number} ({how}, {delay:.3f} s): {found}")
        print(f"save {number:2d}: killed {delay:.3f} s into saving ({how}) → {found}", flush=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.cli.kill_benchmark", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--scenario", default="tutorial", help="sample kind or scenario folder solved"
    )
    parser.add_argument(
        "--save-scenario", default="zhengzhou-month", help="sample kind or folder saved"
    )
    parser.add_argument("--solves", type=int, default=20, help="killed solves")
    parser.add_argument("--saves", type=int, default=50, help="killed saves (0: none)")
    parser.add_argument("--pause", type=float, default=0.15, help="seconds after each file")
    parser.add_argument("--time-limit", type=float, default=2.0, help="of each solve")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="shootplan-kill-") as temporary:
        work = Path(temporary)
        solves = run_solves(sample_or_scenario(args.scenario), work, args)
        saves = Tally()
        if args.saves:
            saves = run_saves(
                args.save_scenario, sample_or_scenario(args.save_scenario), work, args
            )
    print(f"\nkilled solves: {args.solves} — {solves.shown()}")
    if args.saves:
        print(f"killed saves: {args.saves} — {saves.shown()}")
    for line in solves.bad + saves.bad:
        print(f"BAD {line}")
    mixed = solves.counts.get("mixed", 0) + solves.counts.get("unreadable", 0)
    inconsistent = len(saves.bad)
    print(f"mixed output folders: {mixed}; inconsistent databases: {inconsistent}")
    return 1 if mixed or inconsistent else 0


if __name__ == "__main__":
    raise SystemExit(main())
