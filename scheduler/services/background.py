"""Work that runs in the background while the app stays responsive: jobs and their registry.

A :class:`BackgroundJob` runs its :meth:`~BackgroundJob.work` on a daemon thread; the
page polls it (``running``, ``elapsed``) and shows its result or what went wrong.
Streamlit reruns the page script on every click, so jobs live in a module-level
:class:`JobRegistry` keyed by what the page chooses (a scenario id, or id and
version): one job per key at a time, and the last job that ended with a result,
kept while a newer one runs or after it failed. Solves
(:mod:`scheduler.services.solve_jobs`) and capacity reports
(:mod:`scheduler.services.capacity_jobs`) are both such jobs.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, Self, TypeVar

__all__ = ["BackgroundJob", "JobRegistry"]

log = logging.getLogger(__name__)

Result = TypeVar("Result")
Job = TypeVar("Job", bound="BackgroundJob[Any]")

_job_ids = itertools.count(1)


class BackgroundJob(Generic[Result]):
    """One piece of work on a daemon thread; every property may be read from any thread.

    Subclasses say what the work is in :meth:`work`; an exception it raises is
    kept as :attr:`error` (and logged), never lost, and the app keeps running.
    """

    name = "job"
    """What the thread is called (``shootplan-<name>-<id>``) and the log says."""

    def __init__(self) -> None:
        self.job_id = next(_job_ids)
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._result: Result | None = None
        self._error: str | None = None
        self._started: float | None = None
        self._ended: float | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"shootplan-{self.name}-{self.job_id}", daemon=True
        )

    def work(self) -> Result:
        """The work itself, run on the job's thread."""
        raise NotImplementedError

    def start(self) -> Self:
        """Start the work; return the job."""
        self._started = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the work to stop early; work that cannot stop runs out."""

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the work ends (at most ``timeout`` seconds); whether it has ended."""
        return self._done.wait(timeout)

    @property
    def running(self) -> bool:
        """Whether the job has started and not yet ended."""
        return self._started is not None and not self._done.is_set()

    @property
    def elapsed(self) -> float:
        """Seconds since the start (until the end, once ended)."""
        if self._started is None:
            return 0.0
        end = self._ended if self._ended is not None else time.monotonic()
        return end - self._started

    @property
    def result(self) -> Result | None:
        """What the work returned, once it has ended without an exception."""
        with self._lock:
            return self._result

    @property
    def error(self) -> str | None:
        """What went wrong, when the work raised instead of returning."""
        with self._lock:
            return self._error

    def _run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # shown on the page; the app itself keeps running
            log.exception("%s %d failed", self.name, self.job_id)
            with self._lock:
                self._error = f"{type(error).__name__}: {error}"
        else:
            with self._lock:
                self._result = result
        finally:
            self._ended = time.monotonic()
            self._done.set()


class JobRegistry(Generic[Job]):
    """The jobs of one kind, by key: at most one running per key.

    Parameters
    ----------
    kind
        What the jobs are, in the error a second start under a running key raises.
    kept
        Keep at most this many keys, dropping those used longest ago (never a
        running job); None keeps them all.
    """

    def __init__(self, kind: str, kept: int | None = None) -> None:
        self.kind = kind
        self.kept = kept
        self._jobs: dict[Hashable, Job] = {}
        self._finished: dict[Hashable, Job] = {}  # the job before _jobs[key], with a result
        self._lock = threading.Lock()

    def start(self, key: Hashable, make: Callable[[], Job]) -> Job:
        """Start the job ``make()`` builds, kept under ``key``.

        Raises
        ------
        RuntimeError
            A job under ``key`` is still running (stop it or wait).
        """
        with self._lock:
            previous = self._jobs.pop(key, None)
            if previous is not None:
                if previous.running:
                    self._jobs[key] = previous
                    raise RuntimeError(f"{self.kind} under {key!r} is still running")
                if previous.result is not None:
                    self._finished[key] = previous
            job = make()
            self._jobs[key] = job  # the newest key last
            self._forget_oldest()
        job.start()
        return job

    def latest(self, key: Hashable) -> Job | None:
        """The latest job started under ``key`` (running or ended), or None."""
        with self._lock:
            return self._jobs.get(key)

    def last_finished(self, key: Hashable) -> Job | None:
        """The newest job under ``key`` that ended with a result, or None."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and not job.running and job.result is not None:
                return job
            return self._finished.get(key)

    def forget(self, key: Hashable | None = None) -> None:
        """Drop the jobs under ``key`` (every key when None), asking a running one to stop."""
        with self._lock:
            keys = list(self._jobs.keys() | self._finished.keys()) if key is None else [key]
            for each in keys:
                self._finished.pop(each, None)
                job = self._jobs.pop(each, None)
                if job is not None:
                    job.stop()

    def _forget_oldest(self) -> None:
        if self.kept is None:
            return
        excess = len(self._jobs) - self.kept
        if excess <= 0:
            return
        for key in [k for k, job in self._jobs.items() if not job.running][:excess]:
            self._jobs.pop(key, None)
            self._finished.pop(key, None)
