"""A sweep on a Ray cluster reached by its address: a head started with ``ray start --head``.

The head runs in its own process group (``--block``), with 2 CPUs, token
authentication (Ray's default where a token exists) and its own temporary
folder; ``python -m scheduler sweep … --address`` runs in a child process, as
a user would run it, so this module never connects the test process to the
head and the local Ray of :mod:`tests.test_sweep_ray` is left alone. Teardown
ends that head's process group only — never ``ray stop``, which would stop
every Ray on the machine.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scheduler.storage import ScenarioStore, get_engine
from tests.factories import SWEEPS

RAY = Path(sys.executable).with_name("ray")
REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ray_env() -> dict[str, str]:
    """This process's environment with token authentication on, as the head has it."""
    env = {key: value for key, value in os.environ.items() if key != "RAY_ADDRESS"}
    env["RAY_AUTH_MODE"] = "token"
    return env


def head_is_up(address: str, env: dict[str, str]) -> bool:
    done = subprocess.run(
        [str(RAY), "status", "--address", address],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode == 0


@pytest.fixture(scope="module")
def head() -> Iterator[str]:
    """The address of a Ray head started with ``ray start --head`` on a free port."""
    env = ray_env()
    # token authentication needs a token; Ray makes one (~/.ray/auth_token) if there is none
    subprocess.run(
        [str(RAY), "get-auth-token", "--generate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=60,
    )
    port = free_port()
    temp = tempfile.mkdtemp(prefix="rayh", dir="/tmp")  # short: Ray's socket paths must be
    command = [
        str(RAY), "start", "--head", "--port", str(port), "--num-cpus", "2",
        "--disable-usage-stats", "--include-dashboard=false", "--block",
        "--object-store-memory", str(100 * 1024 * 1024), "--temp-dir", temp,
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: the teardown ends it alone
    )
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not head_is_up(address, env):
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"ray start --head did not come up at {address}:\n{output}")
            time.sleep(1)
        yield address
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)  # it drains for up to 30 s; nothing of it is needed now
        with contextlib.suppress(ProcessLookupError):  # the whole group may be gone already
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        shutil.rmtree(temp, ignore_errors=True)


@pytest.mark.parametrize("given_by", ["--address", "RAY_ADDRESS"])
def test_a_sweep_runs_on_the_head_given_by_its_address(
    head: str, given_by: str, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'cluster.db'}"
    out = tmp_path / "out"
    command = [sys.executable, "-m", "scheduler", "sweep", str(SWEEPS / "tutorial-quick.toml")]
    command += ["--out", str(out), "--database", url]
    env = ray_env()
    if given_by == "--address":
        command += ["--address", head]
    else:
        env["RAY_ADDRESS"] = head  # as Ray users run a driver on a cluster

    done = subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["ray"] == head  # ran on the head, not on a Ray of its own
    assert (summary["runs"], summary["done"], summary["slots"]) == (6, 6, 2)
    with (out / "runs.csv").open(encoding="utf-8") as handle:
        assert {row["state"] for row in csv.DictReader(handle)} == {"done"}
    store = ScenarioStore(get_engine(url))
    (info,) = store.list_sweeps()
    assert (info.state, info.done_count) == ("done", 6)


def test_a_wrong_address_is_said_plainly(tmp_path: Path) -> None:
    closed = f"127.0.0.1:{free_port()}"  # nothing listens there
    command = [sys.executable, "-m", "scheduler", "sweep", str(SWEEPS / "tutorial-quick.toml")]
    command += ["--out", str(tmp_path / "out"), "--database", f"sqlite:///{tmp_path / 'x.db'}"]
    command += ["--address", closed]

    done = subprocess.run(
        command, env=ray_env(), cwd=tmp_path, capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 1
    assert f"无法连接 Ray 集群 {closed}" in done.stderr
    assert not (tmp_path / "out").exists()
