"""Ray started by a sweep outlives the thread that ran the sweep.

On Linux, Ray ties the processes it starts to the thread that started them. The
app runs each sweep on a thread of its own; if that thread started Ray, Ray died
with it and the next sweep ended the whole process. :func:`connect_ray` starts Ray
on a thread that never ends, so sweep after sweep, each on its own thread, runs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import ray

from scheduler.io.validation import load_scenario
from scheduler.services.sweeps import SweepResult, run_sweep
from tests.factories import SAMPLES, tutorial_whatifs


@pytest.fixture
def no_ray_yet() -> Iterator[None]:
    if ray.is_initialized():
        ray.shutdown()
    yield
    ray.shutdown()


def test_two_sweeps_each_on_a_thread_that_ends_both_finish(no_ray_yet: None) -> None:
    tutorial = load_scenario(SAMPLES / "tutorial")
    results: list[SweepResult] = []
    for seed in (0, 1):
        thread = threading.Thread(
            target=lambda seed=seed: results.append(
                run_sweep(tutorial_whatifs(seeds=(seed,)), tutorial)
            )
        )
        thread.start()
        thread.join(timeout=300)
        assert not thread.is_alive()

    assert len(results) == 2
    assert all(result.ok for result in results), [r.summary() for r in results]
