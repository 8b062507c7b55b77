"""One SQLite file, many app processes: writers wait their turn, readers never wait, nothing lost.

Six processes start together on one database file, three rounds: four writers
each save versions of their own scenario while two readers load every scenario.
Each process opens the database as the app does (:func:`get_engine`, which
migrates a database that is behind), so the first round also starts six
processes on a file that has no schema yet.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from dataclasses import replace
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from scheduler.io.validation import load_scenario
from scheduler.storage import ScenarioStore, get_engine
from tests.factories import SAMPLES

WRITERS = 4
READERS = 2
ROUNDS = 3
SAVES = 6
"""Versions each writer saves per round, each of the month sample (460 titles)."""


def _writer(url: str, index: int, start: Event, results: Any) -> None:
    try:
        month = load_scenario(SAMPLES / "zhengzhou-month")
        start.wait(30)
        store = ScenarioStore(get_engine(url))
        name = f"写入者 {index}"
        info = store.find(name) or store.create(replace(month, name=name))
        saved = []
        for _ in range(SAVES):
            scenario, version = store.load(info.scenario_id)
            edited = replace(scenario, days=version + 1)  # the version it was saved from
            saved.append(store.save(info.scenario_id, edited, version))
        results.put(("ok", name, saved))
    except Exception:
        results.put(("error", f"writer {index}", traceback.format_exc()))


def _reader(url: str, index: int, start: Event, stop: Event, results: Any) -> None:
    try:
        start.wait(30)
        store = ScenarioStore(get_engine(url))
        loads = 0
        while not stop.is_set() or loads == 0:
            for info in store.list():
                store.load(info.scenario_id)
                loads += 1
            time.sleep(0.02)
        results.put(("read", f"reader {index}", loads))
    except Exception:
        results.put(("error", f"reader {index}", traceback.format_exc()))


def test_four_writers_and_two_readers_on_one_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    context = multiprocessing.get_context("spawn")
    versions: dict[str, list[int]] = {}
    errors: list[str] = []
    for _round in range(ROUNDS):
        start, stop, results = context.Event(), context.Event(), context.Queue()
        writers = [
            context.Process(target=_writer, args=(url, i, start, results)) for i in range(WRITERS)
        ]
        readers = [
            context.Process(target=_reader, args=(url, i, start, stop, results))
            for i in range(READERS)
        ]
        for process in writers + readers:
            process.start()
        time.sleep(1.0)  # every process imported and waiting: start them together
        start.set()
        outcomes = [results.get(timeout=50) for _ in writers]
        stop.set()
        outcomes += [results.get(timeout=50) for _ in readers]
        for process in writers + readers:
            process.join(timeout=20)
        for kind, who, value in outcomes:
            if kind == "error":
                errors.append(f"{who}: {value}")
            elif kind == "ok":
                versions.setdefault(who, []).extend(value)

    assert errors == [], "\n".join(errors)
    store = ScenarioStore(get_engine(url))
    for name, saved in versions.items():
        info = store.find(name)
        assert info is not None
        # every save is there: versions 2 … 1 + all saves, each saved once, none lost
        assert sorted(saved) == list(range(2, 2 + ROUNDS * SAVES)), name
        scenario, version = store.load(info.scenario_id)
        assert version == 1 + ROUNDS * SAVES
        assert scenario.days == version  # the last save's content, not an earlier one
    assert len(versions) == WRITERS
