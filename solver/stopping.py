"""Stopping a CP-SAT search from another thread when the user's stop flag is set."""

from __future__ import annotations

import threading
from collections.abc import Callable

from ortools.sat.python import cp_model


class StopWatch:
    """Stops the solver from another thread as soon as the stop flag is set.

    ``hopeless``, when given, is asked every 50 ms too: it says the search is
    not worth continuing (see :mod:`solver.slate.solve`, phase 1).
    """

    def __init__(
        self,
        solver: cp_model.CpSolver,
        stop: threading.Event | None,
        hopeless: Callable[[], bool] | None = None,
    ) -> None:
        self.solver = solver
        self.stop = stop
        self.hopeless = hopeless
        self.done = threading.Event()
        self.thread: threading.Thread | None = None

    def __enter__(self) -> StopWatch:
        if self.stop is not None or self.hopeless is not None:
            self.thread = threading.Thread(target=self._watch, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        if self.thread is not None:
            self.thread.join()

    def _watch(self) -> None:
        while not self.done.wait(0.05):
            stopped = self.stop is not None and self.stop.is_set()
            if stopped or (self.hopeless is not None and self.hopeless()):
                self.solver.stop_search()
                return
