"""When a solve proved its Σ priority optimal: the moment a plan in hand met a proven bound.

The solve learns of plans (the greedy plan, CP-SAT's solutions, neighbourhood moves) and
of upper bounds on Σ priority (CP-SAT's best bound, the priority of every title that can
shoot, the LP bound's child process) at different moments. The priority is proven
optimal from the first moment a plan in hand has at least the priority of a bound
proven by then. Plans only get better and bounds only get tighter, so that moment is
the later of the two at which the best plan and the best bound were first reached.
"""

from __future__ import annotations

import threading
import time


class ProofClock:
    """The best plan's priority and the best proven bound, each with when it was first reached.

    Parameters
    ----------
    started
        The solve's start (a ``time.monotonic`` time); :meth:`proven_at` counts from it.

    Callers report only bounds that are proven for the scenario being solved, and
    only priorities of plans that keep every rule; CP-SAT's callbacks report from its
    search threads, hence the lock.
    """

    def __init__(self, started: float) -> None:
        self.started = started
        self._lock = threading.Lock()
        self._priority: tuple[int, float] | None = None
        self._bound: tuple[int, float] | None = None

    def plan(self, priority: int, at: float | None = None) -> None:
        """A plan of ``priority`` is in hand since ``at`` (monotonic; default now)."""
        found = (priority, time.monotonic() if at is None else at)
        with self._lock:
            best = self._priority
            if best is None or priority > best[0] or (priority == best[0] and found[1] < best[1]):
                self._priority = found

    def bound(self, bound: int, at: float | None = None) -> None:
        """No plan has more priority than ``bound``, proven since ``at`` (monotonic; or now)."""
        found = (bound, time.monotonic() if at is None else at)
        with self._lock:
            best = self._bound
            if best is None or bound < best[0] or (bound == best[0] and found[1] < best[1]):
                self._bound = found

    def proven_at(self) -> float | None:
        """Seconds from the start at which the priority was proven optimal, or ``None``."""
        with self._lock:
            priority, bound = self._priority, self._bound
        if priority is None or bound is None or priority[0] < bound[0]:
            return None
        return max(priority[1], bound[1]) - self.started
