"""A plan folder is replaced whole: ``solve`` killed (SIGKILL) at seeded random moments while
it writes leaves the folder with the complete old set of files or the complete new one, never
a new plan.csv beside the old kpis.json; a folder holding other files is not replaced."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from scheduler.domain.changes import Change
from scheduler.domain.plan import Plan, Shoot
from scheduler.io.plan_io import WRITE_HOOK, read_plan, temporary_prefix, write_plan
from tests.factories import dead_pid

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "sample_data" / "tutorial"
OLD = Plan((Shoot("OLD", date(2026, 12, 1), "B01", "S01", "C01"),), {"X1": "旧", "X2": "旧"})
OLD_KPIS = {"shoots": 1, "unscheduled_titles": 2, "run": "old"}


def consistent(directory: Path) -> str:
    """``'old'`` or ``'new'``: which complete set ``directory`` holds (asserts it is one)."""
    plan, kpis = read_plan(directory)
    assert kpis is not None, sorted(os.listdir(directory))
    assert kpis["shoots"] == len(plan.shoots), (kpis, len(plan.shoots))
    assert kpis["unscheduled_titles"] == len(plan.unscheduled)
    old = any(s.title_id == "OLD" for s in plan.shoots)
    assert old == (kpis.get("run") == "old")
    return "old" if old else "new"


def writing(parent: Path, out: Path) -> bool:
    """Whether the write has begun: a temporary folder beside ``out``, or ``out`` changed."""
    if list(parent.glob(".out.tmp-*")):
        return True
    try:
        return "OLD" not in (out / "plan.csv").read_text(encoding="utf-8")
    except OSError:
        return True


def test_solve_killed_while_writing_leaves_old_or_new_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    environment = {**os.environ, WRITE_HOOK: "0.15"}  # each file takes 0.15 s
    rng = random.Random(12)
    seen = []
    started = time.monotonic()
    while time.monotonic() - started < 20 and len(seen) < 8:
        write_plan(out, OLD, OLD_KPIS)
        command = [sys.executable, "-m", "scheduler", "solve", str(TUTORIAL), "--out", str(out)]
        process = subprocess.Popen(
            [*command, "--time-limit", "2"],
            cwd=REPO,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while not writing(tmp_path, out) and process.poll() is None:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.6))  # the three files take 0.45 s
        process.send_signal(signal.SIGKILL)
        process.wait()
        seen.append(consistent(out))
    assert len(seen) >= 4
    assert "old" in seen  # killed mid-write at least once: the old set survived whole
    write_plan(out, OLD, OLD_KPIS)
    subprocess.run([*command, "--time-limit", "2"], cwd=REPO, check=True, capture_output=True)
    assert consistent(out) == "new"
    assert list(tmp_path.glob(".out.*")) == []  # the killed writers' folders went too


def test_changes_are_written_with_the_plan_and_a_stale_list_goes(tmp_path: Path) -> None:
    change = Change("T1", "moved", "12-01", "12-02", "=场景停用")
    write_plan(tmp_path / "out", OLD, OLD_KPIS, changes=[change])
    text = (tmp_path / "out" / "changes.csv").read_text(encoding="utf-8")
    assert "'=场景停用" in text
    write_plan(tmp_path / "out", OLD, OLD_KPIS)
    assert not (tmp_path / "out" / "changes.csv").exists()


def test_a_folder_with_other_files_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="不属于排期方案"):
        write_plan(tmp_path, OLD, OLD_KPIS)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "plan.csv").exists()


def leftover(out: Path, kind: str, pid: int, tail: str = "abc123") -> Path:
    """A temporary sibling of ``out`` as writer ``pid`` would leave it, holding half a plan."""
    folder = out.parent / f"{temporary_prefix(out, kind, pid)}{tail}"
    folder.mkdir()
    (folder / "plan.csv").write_text("title_id,date,base_id,set_id,crew_id\n", encoding="utf-8")
    return folder


def test_live_writers_and_other_folders_keep_their_temporary_folders(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        kept = [
            leftover(out, "tmp", os.getpid()),  # this process, another thread writing
            leftover(out, "tmp", sleeper.pid),  # a live concurrent writer
            leftover(out, "old", dead_pid()),  # out absent: the last complete plan
            leftover(tmp_path / "other", "tmp", dead_pid()),  # another folder's
        ]
        (tmp_path / ".out.tmp-k3j4h5g6").mkdir()  # no pid in its name: cannot tell
        kept.append(tmp_path / ".out.tmp-k3j4h5g6")
        write_plan(out, OLD, OLD_KPIS)
        assert all(folder.is_dir() for folder in kept)
        assert consistent(out) == "old"
    finally:
        sleeper.kill()
        sleeper.wait()


def test_dead_writers_temporary_folders_go_on_the_next_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_plan(out, OLD, OLD_KPIS)
    stale = [leftover(out, "tmp", dead_pid()), leftover(out, "old", dead_pid(), "x")]
    write_plan(out, OLD, OLD_KPIS)
    assert [folder for folder in stale if folder.exists()] == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]
    assert consistent(out) == "old"
