"""Run a sweep on Ray: every variant × seed is one Ray task, and every finished run is stored.

A :class:`~scheduler.domain.sweep.Sweep` expands into runs
(:func:`~scheduler.domain.sweep.expand`). :func:`run_sweep` applies each variant
to the base scenario (:func:`~scheduler.domain.variations.apply_variant`), puts
each variant's scenario in Ray's object store once, and hands the runs to Ray,
each as a task that reserves as many CPUs as its CP-SAT workers — so Ray never
runs more search workers than the machine (or the cluster) has CPUs. A task
receives plain data: the scenario as its frozen domain dataclasses (pure values,
no solver object; pickled exactly, so the task plans the very scenario the
driver built, without re-validating it) and, for a run that revises, the
reference run's result by its ``ObjectRef`` (Ray hands it over when it is
ready). The task builds its own model through
:func:`~scheduler.services.planning.plan_scenario`, whose independent checker
runs in the task, and returns plain data: the plan's rows, KPIs, the checker's
verdict and four timestamps.

The driver keeps as many runs with Ray as there are slots (the cluster's CPUs
÷ CPUs per run), so a run is *running* from the moment it is handed to Ray,
and its *wall* time — handed over to result in hand — less its solve is what
Ray cost: the *overhead*. It collects results with ``ray.wait`` and reports
each run as it goes queued → running → done / failed / stopped. A run that
raises, or whose plan the checker rejects, fails with its error; the others
finish. Setting the ``stop`` event cancels the runs with Ray (``ray.cancel``),
marks them and the queued ones stopped, and returns what finished.

With a store, the sweep, each variant's scenario (「<sweep> · <variant>」) and
every finished run's plan (「<variant> · 种子<seed>」, ``kpis["sweep"]`` naming
the sweep, variant and seed) are stored as they happen.

Ray starts on this machine by default (:func:`connect_ray`: ``ray.init()`` with no
dashboard and a small object store, nothing to set up); ``RAY_ADDRESS`` or an
``address`` joins a cluster, as Ray users expect.

>>> result = run_sweep(sweep, scenario, store=store)      # doctest: +SKIP
>>> print(result.summary())                               # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import logging
import os
import socket
import statistics
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, Any

from scheduler.domain.changes import Change
from scheduler.domain.model import Scenario
from scheduler.domain.money import format_cny
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.sweep import Sweep, SweepRun, expand
from scheduler.services.planning import plan_digest, plan_scenario

if TYPE_CHECKING:
    from scheduler.domain.noise import NoiseReport
    from scheduler.storage import ScenarioStore

__all__ = [
    "OBJECT_STORE_BYTES",
    "RunReport",
    "RunState",
    "SweepError",
    "SweepResult",
    "connect_ray",
    "plan_from_data",
    "plan_run",
    "plan_to_data",
    "run_label",
    "run_sweep",
    "sweep_slots",
    "variant_scenario_name",
]

log = logging.getLogger(__name__)

OBJECT_STORE_BYTES = 256 * 1024 * 1024
"""Object store of the local Ray: scenarios (under 1 MB each) and plans need little."""
POLL_SECONDS = 0.2
"""How often the driver looks at the stop flag while runs are with Ray."""


class SweepError(Exception):
    """The sweep cannot run at all (no Ray, no node big enough); said in Chinese and English."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh}（{message_en}）")


class RunState(Enum):
    """Where a run of a sweep is."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STOPPED = "stopped"

    @property
    def words(self) -> str:
        """The state as the app and the command line say it, Chinese first."""
        return {
            RunState.QUEUED: "排队 queued",
            RunState.RUNNING: "运行中 running",
            RunState.DONE: "完成 done",
            RunState.FAILED: "失败 failed",
            RunState.STOPPED: "已停止 stopped",
        }[self]

    @property
    def ended(self) -> bool:
        """Whether the run will not change any more."""
        return self in (RunState.DONE, RunState.FAILED, RunState.STOPPED)


def run_label(variant: str, seed: int) -> str:
    """How a run's stored plan is labelled: 「<variant> · 种子<seed>」."""
    return f"{variant} · 种子{seed}"


def variant_scenario_name(sweep: str, variant: str) -> str:
    """The name a variant's scenario is stored under: 「<sweep> · <variant>」."""
    return f"{sweep} · {variant}"


@dataclass(frozen=True)
class RunReport:
    """One run of a sweep as it stands: its state and, once done, its plan and KPIs.

    The progress callback of :func:`run_sweep` gets one on every change of state.
    ``wall_seconds`` is from handing the run to Ray to its result in hand;
    ``solve_seconds`` the time :func:`~scheduler.services.planning.plan_scenario`
    took in the task (solve, check and KPIs); ``overhead_seconds`` the difference:
    what running it on Ray cost. ``scenario_id``, ``plan_id`` and ``run_id`` are
    the stored variant scenario, plan and run (``None`` without a store).
    """

    variant: str
    seed: int
    state: RunState
    reference: bool = False
    revises: str | None = None
    kpis: Mapping[str, Any] = field(default_factory=dict)
    plan: Plan | None = None
    changes: tuple[Change, ...] = ()
    error: str = ""
    solve_seconds: float | None = None
    wall_seconds: float | None = None
    overhead_seconds: float | None = None
    sweep_id: int | None = None
    scenario_id: int | None = None
    plan_id: int | None = None
    run_id: int | None = None

    @property
    def key(self) -> str:
        """``variant#seed``, as :attr:`scheduler.domain.sweep.SweepRun.key`."""
        return f"{self.variant}#{self.seed}"

    @property
    def label(self) -> str:
        """「<variant> · 种子<seed>」."""
        return run_label(self.variant, self.seed)

    @property
    def line(self) -> str:
        """The run in one line for a terminal or a progress list, Chinese first."""
        head = f"{self.state.words:<14} {self.label}"
        if self.state is RunState.DONE:
            kpis = self.kpis
            scheduled = kpis.get("scheduled_titles", 0)
            total = scheduled + kpis.get("unscheduled_titles", 0)
            bound = kpis.get("priority_bound")
            parts = [
                f"已排 scheduled {scheduled}/{total} 部",
                f"优先级 priority {kpis.get('priority_scheduled', 0)}"
                f"（上界 bound {'–' if bound is None else bound}）",
                f"成本 cost {format_cny(kpis.get('cost', 0))}",
                f"求解 solve {_seconds(self.solve_seconds)}",
                f"开销 overhead {_seconds(self.overhead_seconds)}",
            ]
            if self.plan_id is not None:
                parts.append(f"方案 plan #{self.plan_id}")
            return f"{head}  " + " · ".join(parts)
        if self.error:
            return f"{head}  {self.error}"
        return head


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


@dataclass(frozen=True)
class SweepResult:
    """Every run of a sweep, in the order of :func:`~scheduler.domain.sweep.expand`, and its
    seconds.

    ``wall_seconds`` is the whole of :func:`run_sweep` (Ray's start, storing the
    variants' scenarios, every run); ``startup_seconds`` the part before the first
    run was handed to Ray. ``slots`` is how many runs Ray could run at once.
    """

    sweep: Sweep
    runs: tuple[RunReport, ...]
    wall_seconds: float
    startup_seconds: float
    slots: int
    where: str
    """Where Ray ran: ``"local"`` or the cluster's address."""
    sweep_id: int | None = None
    stopped: bool = False

    def of(self, state: RunState) -> tuple[RunReport, ...]:
        """The runs in ``state``."""
        return tuple(run for run in self.runs if run.state is state)

    @property
    def done(self) -> tuple[RunReport, ...]:
        """The runs that finished with a checked plan."""
        return self.of(RunState.DONE)

    @property
    def failed(self) -> tuple[RunReport, ...]:
        """The runs that failed (each with its error)."""
        return self.of(RunState.FAILED)

    @property
    def ok(self) -> bool:
        """Whether every run finished with a plan the checker confirmed."""
        return bool(self.runs) and len(self.done) == len(self.runs)

    @property
    def state(self) -> str:
        """The sweep's state as stored: done, stopped, or failed (some run failed)."""
        if self.ok:
            return "done"
        return "stopped" if self.stopped else "failed"

    @property
    def ideal_seconds(self) -> float:
        """Runs × time limit ÷ slots: the wall time if Ray cost nothing."""
        return len(self.runs) * self.sweep.time_limit / max(1, self.slots)

    @property
    def overheads(self) -> list[float]:
        """The overhead seconds of every finished run."""
        return [r.overhead_seconds for r in self.done if r.overhead_seconds is not None]

    def kpis_by_variant(self) -> dict[str, list[Mapping[str, Any]]]:
        """The KPIs of the finished runs by variant (every variant, reference first)."""
        grouped: dict[str, list[Mapping[str, Any]]] = {}
        for run in self.runs:
            grouped.setdefault(run.variant, [])
            if run.state is RunState.DONE:
                grouped[run.variant].append(run.kpis)
        return grouped

    def noise(self) -> NoiseReport:
        """Each KPI's range over seeds per variant, judged against the reference variant."""
        from scheduler.domain.noise import judge

        return judge(self.kpis_by_variant(), self.sweep.reference_variant.name)

    def headline(self) -> str:
        """The sweep in two or three lines, Chinese first: runs by state, seconds, overhead."""
        counts = {state: len(self.of(state)) for state in RunState}
        lines = [
            f"批量推演 sweep「{self.sweep.name}」：{len(self.runs)} 次运行 runs — "
            f"完成 done {counts[RunState.DONE]}，失败 failed {counts[RunState.FAILED]}，"
            f"已停止 stopped {counts[RunState.STOPPED]}",
            f"用时 wall {self.wall_seconds:.1f} s（启动 startup {self.startup_seconds:.1f} s）"
            f" · 同时运行 slots {self.slots} · 理想 ideal {self.ideal_seconds:.1f} s · "
            f"比值 ratio {self.wall_seconds / self.ideal_seconds:.2f} · Ray {self.where}",
        ]
        overheads = self.overheads
        if overheads:
            lines.append(
                f"每次运行的 Ray 开销 overhead per run：中位 median "
                f"{statistics.median(overheads):.2f} s，最大 max {max(overheads):.2f} s"
            )
        return "\n".join(lines)

    def summary(self) -> str:
        """:meth:`headline`, then each variant's ranges over seeds and the failed runs."""
        lines = [self.headline()]
        if self.done:
            report = self.noise()
            for name, ranges in report.variants.items():
                if not ranges.n:
                    continue
                cells = [
                    f"{ranges.ranges[kpi].text}"
                    for kpi in ("scheduled_titles", "priority_scheduled", "cost")
                ]
                verdict = report.verdicts.get(name, {}).get("priority_scheduled")
                judged = "参照 reference" if verdict is None else verdict.short
                lines.append(
                    f"  {name}（{ranges.n} 个种子 seeds）已排 {cells[0]} · 优先级 {cells[1]} · "
                    f"成本 {cells[2]} · {ranges.bound_text} · {judged}"
                )
        for run in self.failed:
            lines.append(f"  {run.line}")
        return "\n".join(lines)


# -- plain data in and out of a Ray task ---------------------------------------------------


RUNS_CSV_COLUMNS: tuple[str, ...] = (
    "variant",
    "seed",
    "state",
    "scheduled_titles",
    "priority_scheduled",
    "priority_bound",
    "cost",
    "solve_seconds",
    "wall_seconds",
    "overhead_seconds",
    "plan_id",
    "error",
)
"""The columns of runs.csv, as the sweep command writes it and the page downloads it."""


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def runs_csv(runs: Sequence[RunReport]) -> str:
    """runs.csv: :data:`RUNS_CSV_COLUMNS`, one row per run in the given order; KPIs once done."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RUNS_CSV_COLUMNS)
    for run in runs:
        kpis = run.kpis if run.state is RunState.DONE else {}
        values = {
            "variant": run.variant,
            "seed": run.seed,
            "state": run.state.value,
            "scheduled_titles": kpis.get("scheduled_titles"),
            "priority_scheduled": kpis.get("priority_scheduled"),
            "priority_bound": kpis.get("priority_bound"),
            "cost": kpis.get("cost"),
            "solve_seconds": run.solve_seconds,
            "wall_seconds": run.wall_seconds,
            "overhead_seconds": run.overhead_seconds,
            "plan_id": run.plan_id,
            "error": run.error,
        }
        writer.writerow([_csv_cell(values[column]) for column in RUNS_CSV_COLUMNS])
    return out.getvalue()


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """A plan as plain rows (dicts of text), as plan.csv and unscheduled.csv hold it."""
    return {
        "shoots": [
            {
                "title_id": s.title_id,
                "date": s.date.isoformat(),
                "base_id": s.base_id,
                "set_id": s.set_id,
                "crew_id": s.crew_id,
                "scenes": list(s.scenes),
            }
            for s in plan.shoots
        ],
        "unscheduled": dict(plan.unscheduled),
    }


def plan_from_data(data: Mapping[str, Any]) -> Plan:
    """The plan :func:`plan_to_data` wrote."""
    return Plan(
        tuple(
            Shoot(
                row["title_id"],
                date.fromisoformat(row["date"]),
                row["base_id"],
                row["set_id"],
                row["crew_id"],
                tuple(row.get("scenes", ())),
            )
            for row in data["shoots"]
        ),
        dict(data["unscheduled"]),
    )


def plan_run(
    scenario: Scenario,
    seed: int,
    time_limit: float,
    workers: int,
    reference: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Plan one run of a sweep and return plain data: what a Ray task runs.

    Parameters
    ----------
    scenario
        The variant's scenario.
    seed, time_limit, workers
        Passed to :func:`~scheduler.services.planning.plan_scenario`.
    reference
        For a run that revises: what this function returned for the reference
        variant's run of the same seed; its plan is revised with fewest changes.

    Returns
    -------
    dict
        ``ok`` (the checker confirmed the plan), ``error``, ``plan`` (rows, see
        :func:`plan_to_data`), ``kpis``, ``violations`` (text), ``checked_digest``,
        ``changes`` (a re-plan's change list, else ``None``) and ``times``
        (``task_start``, ``solve_start``, ``solve_end``, ``task_end``, seconds since
        the epoch on the worker's clock).

    Raises
    ------
    ValueError
        ``reference`` holds no checked plan to revise.
    """
    task_start = time.time()
    reference_plan = None
    if reference is not None:
        if not reference.get("ok"):
            raise ValueError(
                "参照运行没有通过检查的方案，无法在其上修改 / the reference run has no "
                f"checked plan to revise: {reference.get('error', '')}"
            )
        reference_plan = plan_from_data(reference["plan"])
    solve_start = time.time()
    outcome = plan_scenario(
        scenario, time_limit=time_limit, seed=seed, workers=workers, reference=reference_plan
    )
    solve_end = time.time()
    violations = [v.format("both") for v in outcome.violations]
    error = ""
    if not outcome.ok:
        first = violations[0] if violations else "; ".join(outcome.result.problems)
        error = (
            f"方案未通过独立检查（状态 {outcome.status.value}，{len(violations)} 处违规）/ "
            f"the checker did not confirm the plan: {first}"
        )
    return {
        "ok": outcome.ok,
        "error": error,
        "plan": plan_to_data(outcome.plan),
        "kpis": dict(outcome.kpis),
        "violations": violations,
        "checked_digest": outcome.checked_digest,
        "changes": None if reference is None else [asdict(c) for c in outcome.changes],
        "times": {
            "task_start": task_start,
            "solve_start": solve_start,
            "solve_end": solve_end,
            "task_end": time.time(),
        },
    }


# -- Ray --------------------------------------------------------------------------------


def _start_ray(address: str | None = None) -> str:
    """Start Ray on this machine, or join a cluster; where it runs (``"local"`` or the address).

    Already connected (an earlier sweep of this process, or a test's ``ray.init``):
    that connection is used as it is. Else ``address``, or ``RAY_ADDRESS`` when set,
    joins a running cluster (``ray start --head`` on one machine); without either,
    a local Ray starts with every CPU of this machine, no dashboard and a
    :data:`OBJECT_STORE_BYTES` object store.

    Raises
    ------
    SweepError
        Ray could not start or reach the cluster.
    """
    global _connected
    import ray

    if ray.is_initialized():
        return _where()
    _connected = None
    address = address or os.environ.get("RAY_ADDRESS", "").strip() or None
    if address:
        _check_listening(address)
    try:
        if address:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(
                include_dashboard=False,
                object_store_memory=OBJECT_STORE_BYTES,
                log_to_driver=False,
                logging_level=logging.WARNING,
            )
    except Exception as error:  # ConnectionError, RuntimeError, Ray's own: said, not raised raw
        if not address:
            raise SweepError(
                f"无法在本机启动 Ray：{error}", f"Ray could not start on this machine: {error}"
            ) from error
        raise SweepError(
            f"无法连接 Ray 集群 {address}：{error}。请确认集群已用 ray start --head 启动、"
            "地址和端口无误；若集群启用了令牌认证，请在本机设置 RAY_AUTH_MODE=token 并使用"
            "与集群相同的令牌（~/.ray/auth_token 或 RAY_AUTH_TOKEN）",
            f"cannot reach the Ray cluster at {address}: {error}. Check that it was started "
            "with ray start --head and the address and port; if it uses token "
            "authentication, set RAY_AUTH_MODE=token here with the cluster's token "
            "(~/.ray/auth_token or RAY_AUTH_TOKEN)",
        ) from error
    _connected = (_gcs_address(), address or "local")
    return _connected[1]


# -- Ray that outlives a sweep's thread ----------------------------------------------------

RAY_START_SECONDS = 180.0
"""How long :func:`connect_ray` waits for Ray to start or answer."""

_keeper_lock = threading.Lock()
_keeper: dict[str, Any] = {}
"""``where``: where the Ray the keeper thread started runs; ``thread``: that thread."""


def connect_ray(address: str | None = None) -> str:
    """Start Ray (or join the cluster) on a thread that lives as long as the app; where it runs.

    Ray ties the processes it starts on this machine to the *thread* that started
    them: Linux kills them when that thread ends (``prctl(PR_SET_PDEATHSIG)``). A sweep
    job's thread ends with its sweep, so a Ray it started would die with it, and the
    next sweep would find it gone — and Ray then ends the whole process (the app).
    So Ray starts once, on a daemon thread that never ends, and every sweep uses it.
    A Ray already connected (an earlier sweep, a test's ``ray.init``) is used as it is.
    How it starts or which cluster it joins: :func:`_start_ray`.

    Raises
    ------
    SweepError
        Ray could not start or be reached (in :data:`RAY_START_SECONDS`).
    """
    import ray

    with _keeper_lock:
        if ray.is_initialized():
            return str(_keeper.get("where") or "connected")
        started = threading.Event()
        outcome: dict[str, Any] = {}

        def keep() -> None:
            try:
                outcome["where"] = _start_ray(address)
            except SweepError as error:
                outcome["error"] = error
            except Exception as error:  # Ray's own failures, said as a sweep error
                outcome["error"] = SweepError(
                    f"无法启动 Ray：{error}", f"Ray could not start: {error}"
                )
            started.set()
            if "where" in outcome:
                threading.Event().wait()  # never returns: Ray's processes live with this thread

        thread = threading.Thread(target=keep, name="shootplan-ray-keeper", daemon=True)
        thread.start()
        if not started.wait(RAY_START_SECONDS):
            raise SweepError(
                f"Ray 在 {RAY_START_SECONDS:.0f} 秒内没有启动",
                f"Ray did not start in {RAY_START_SECONDS:.0f} s",
            )
        if "error" in outcome:
            raise outcome["error"]
        _keeper.update(where=outcome["where"], thread=thread)
        return str(outcome["where"])


def _check_listening(address: str, seconds: float = 5.0) -> None:
    """Refuse at once an address ``host:port`` where nothing listens (Ray would retry for
    minutes); other forms (``auto``, ``ray://…``) are left to Ray."""
    host, colon, port = address.rpartition(":")
    if not colon or not host or "/" in address or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=seconds).close()
    except OSError as error:
        raise SweepError(
            f"无法连接 Ray 集群 {address}：该地址没有服务在监听（{error}）。请确认集群已用 "
            "ray start --head 启动，地址和端口无误",
            f"cannot reach the Ray cluster at {address}: nothing listens there ({error}). "
            "Check that it was started with ray start --head and the address and port",
        ) from error


_connected: tuple[str, str] | None = None
"""The Ray :func:`connect_ray` last started or joined: its GCS address and how it is said."""


def _where() -> str:
    """Where the Ray this process is connected to runs, as :func:`connect_ray` says it."""
    address = _gcs_address()
    if _connected is not None and _connected[0] == address:
        return _connected[1]
    return f"connected {address or '?'}"


def _gcs_address() -> str:
    import ray

    return str(getattr(ray.get_runtime_context(), "gcs_address", "") or "")


def sweep_slots(workers: int) -> int:
    """How many runs of ``workers`` CPUs Ray can run at once: the cluster's CPUs ÷ ``workers``.

    Raises
    ------
    SweepError
        No node of the cluster has ``workers`` CPUs, so Ray could never start a run.
    """
    import ray

    nodes = [node for node in ray.nodes() if node.get("Alive")]
    largest = max((node.get("Resources", {}).get("CPU", 0.0) for node in nodes), default=0.0)
    if largest < workers:
        raise SweepError(
            f"每次运行需要 {workers} 个 CPU（workers），但 Ray 集群最大的节点只有 {largest:g} 个；"
            "请把 workers 调小",
            f"each run needs {workers} CPU(s) (workers) but the largest node of the Ray "
            f"cluster has {largest:g}; lower workers",
        )
    total = ray.cluster_resources().get("CPU", 0.0)
    return max(1, int(total // workers))


def warm_up() -> int:
    """Nothing: a Ray task of this module makes its worker import the planning code."""
    return os.getpid()


@cache
def _remote_warm_up() -> Any:
    import ray

    return ray.remote(max_retries=0)(warm_up)


def _wait_warm(warming: Sequence[Any], timeout: float = 120.0) -> None:
    """Wait until the workers have imported the planning code; a worker that could not
    is left to fail the run it gets, where its error is reported."""
    import ray

    ready, pending = ray.wait(list(warming), num_returns=len(warming), timeout=timeout)
    for ref in ready:
        try:
            ray.get(ref)
        except Exception as error:
            log.warning("a Ray worker did not warm up: %s", _error_text(error))
    for ref in pending:
        ray.cancel(ref, force=True)


@cache
def _remote_plan_run() -> Any:
    """:func:`plan_run` as a Ray task; a crashed run is not retried (it is reported)."""
    import ray

    return ray.remote(max_retries=0)(plan_run)


# -- the driver -----------------------------------------------------------------------------


@dataclass
class _Run:
    """A run being driven: its place in the sweep and what Ray and the store know of it."""

    run: SweepRun
    reference: bool
    report: RunReport
    ref: Any = None
    """Its ObjectRef while with Ray, and after (a revising run's argument)."""
    submitted: float = 0.0


class _Driver:
    """One call of :func:`run_sweep`: the runs, the store and the progress callback."""

    def __init__(
        self,
        sweep: Sweep,
        store: ScenarioStore | None,
        progress: Callable[[RunReport], None] | None,
    ) -> None:
        self.sweep = sweep
        self.store = store
        self.progress = progress
        self.sweep_id: int | None = None
        reference = sweep.reference_variant.name
        self.runs = {
            run.key: _Run(
                run,
                run.variant.name == reference,
                RunReport(
                    run.variant.name,
                    run.seed,
                    RunState.QUEUED,
                    reference=run.variant.name == reference,
                    revises=run.revises,
                ),
            )
            for run in expand(sweep)
        }
        self.scenarios: dict[str, Scenario] = {}
        self.scenario_ids: dict[str, int] = {}
        self.variant_errors: dict[str, str] = {}

    # -- state and storage --------------------------------------------------------

    def set(self, run: _Run, **changes: Any) -> None:
        """Change the run's report, store what changed, and tell the callback."""
        report = replace(run.report, **changes)
        if self.store is not None and report.run_id is not None:
            report = self._stored(run, report)
        run.report = report
        self.announce(run)

    def announce(self, run: _Run) -> None:
        """Tell the progress callback how the run stands."""
        if self.progress is None:
            return
        try:
            self.progress(run.report)
        except Exception:  # a page's callback must not stop the sweep
            log.exception("sweep progress callback failed on %s", run.report.key)

    def _stored(self, run: _Run, report: RunReport) -> RunReport:
        """Write the report's state to the database; a failure to store fails the run."""
        from scheduler.storage import StorageError

        assert self.store is not None and report.run_id is not None
        times = {
            "solve_seconds": report.solve_seconds,
            "wall_seconds": report.wall_seconds,
            "overhead_seconds": report.overhead_seconds,
        }
        try:
            if report.state is RunState.DONE and report.plan is not None:
                scenario_id = self.scenario_ids[report.variant]
                plan_id = self.store.save_sweep_plan(
                    report.run_id,
                    scenario_id,
                    1,
                    report.plan,
                    report.kpis,
                    report.label,
                    report.changes if run.run.revises else None,
                    **times,
                )
                return replace(report, plan_id=plan_id, scenario_id=scenario_id)
            self.store.update_sweep_run(
                report.run_id,
                report.state.value,
                error=report.error,
                solve_seconds=report.solve_seconds,
                wall_seconds=report.wall_seconds,
                overhead_seconds=report.overhead_seconds,
            )
        except StorageError as error:
            log.warning("sweep run %s not stored: %s", report.key, error)
            failed = replace(
                report, state=RunState.FAILED, error=f"未能存入数据库 / not stored: {error}"
            )
            try:
                self.store.update_sweep_run(report.run_id, "failed", error=failed.error)
            except StorageError:
                log.exception("sweep run %s: its failure could not be stored either", report.key)
            return failed
        return report

    def prepare(self, scenario: Scenario, source: str, base_scenario_id: int | None) -> None:
        """Apply every variant; store the sweep, the variants' scenarios and the runs."""
        from scheduler.domain.variations import apply_variant

        for variant in self.sweep.variants:
            try:
                changed = apply_variant(scenario, variant)
            except ValueError as error:
                self.variant_errors[variant.name] = f"方案无法应用 / does not apply: {error}"
                continue
            name = variant_scenario_name(self.sweep.name, variant.name)
            self.scenarios[variant.name] = replace(changed, name=name)
        if self.store is None:
            return
        info = self.store.create_sweep(
            self.sweep.name,
            source,
            base_scenario=self.sweep.scenario,
            base_scenario_id=base_scenario_id,
        )
        self.sweep_id = info.sweep_id
        for name, changed in list(self.scenarios.items()):
            try:
                stored = self._store_scenario(name, changed)
            except Exception as error:  # e.g. a name or value the database refuses
                self.variant_errors[name] = f"场景未能存入数据库 / scenario not stored: {error}"
                del self.scenarios[name]
                continue
            self.scenarios[name] = stored
        for run in self.runs.values():
            name = run.run.variant.name
            run_id = self.store.add_sweep_run(
                self.sweep_id,
                name,
                run.run.seed,
                scenario_id=self.scenario_ids.get(name),
            )
            run.report = replace(run.report, run_id=run_id, sweep_id=self.sweep_id)

    def _store_scenario(self, variant: str, scenario: Scenario) -> Scenario:
        """Store the variant's scenario under its name, or the first free 「name #n」."""
        from scheduler.storage import DuplicateNameError

        assert self.store is not None
        for number in range(1, 1000):
            name = scenario.name if number == 1 else f"{scenario.name} #{number}"
            if self.store.find(name) is not None:
                continue
            named = replace(scenario, name=name)
            try:
                info = self.store.create(named)
            except DuplicateNameError:  # taken meanwhile by another writer
                continue
            self.scenario_ids[variant] = info.scenario_id
            return named
        raise RuntimeError(f"no free name for {scenario.name!r} (tried #2 … #999)")

    # -- the runs ------------------------------------------------------------------

    def sweep_fields(self, run: _Run) -> dict[str, Any]:
        """What ``kpis["sweep"]`` says about a run."""
        return {
            "sweep_id": self.sweep_id,
            "sweep": self.sweep.name,
            "variant": run.run.variant.name,
            "seed": run.run.seed,
            "reference": run.reference,
            "revises": run.run.revises,
        }

    def finish(self, run: _Run, data: Mapping[str, Any], received: float) -> None:
        """Take a task's result: done with its checked plan, or failed with the reason."""
        times = data["times"]
        solve = times["solve_end"] - times["solve_start"]
        wall = received - run.submitted
        timing = {
            "solve_seconds": solve,
            "wall_seconds": wall,
            "overhead_seconds": max(0.0, wall - solve),
        }
        kpis = {**data["kpis"], "sweep": self.sweep_fields(run)}
        plan = plan_from_data(data["plan"])
        if not data["ok"]:
            self.set(run, state=RunState.FAILED, error=data["error"], kpis=kpis, **timing)
            return
        if data["checked_digest"] != plan_digest(plan):
            # the rows that came back are not the plan the checker confirmed
            self.set(
                run,
                state=RunState.FAILED,
                error="返回的方案与检查过的方案不一致 / the plan returned is not the one checked",
                **timing,
            )
            return
        changes = tuple(Change(**row) for row in data["changes"] or ())
        self.set(run, state=RunState.DONE, kpis=kpis, plan=plan, changes=changes, **timing)

    def fail(self, run: _Run, error: str, received: float | None = None) -> None:
        wall = None if received is None or not run.submitted else received - run.submitted
        self.set(run, state=RunState.FAILED, error=error, wall_seconds=wall)

    def reference_of(self, run: _Run) -> _Run | None:
        if run.run.revises is None:
            return None
        return self.runs[f"{run.run.revises}#{run.run.seed}"]


def _error_text(error: BaseException) -> str:
    """What went wrong in a task, in one line: the original exception, not Ray's wrapper."""
    cause = getattr(error, "cause", None)
    shown = cause if isinstance(cause, BaseException) else error
    text = str(shown).strip().splitlines()
    return f"{type(shown).__name__}: {text[-1] if text else ''}".rstrip(": ")


def run_sweep(
    sweep: Sweep,
    scenario: Scenario,
    *,
    store: ScenarioStore | None = None,
    source: str = "",
    base_scenario_id: int | None = None,
    progress: Callable[[RunReport], None] | None = None,
    stop: threading.Event | None = None,
    address: str | None = None,
    run_timeout: float | None = None,
) -> SweepResult:
    """Run every variant × seed of ``sweep`` on Ray; store each finished run if ``store``.

    Parameters
    ----------
    sweep
        The sweep; its runs are :func:`~scheduler.domain.sweep.expand`'s.
    scenario
        The base scenario (validated) the variants change.
    store
        Where to store the sweep (``source``: its TOML text; ``base_scenario_id``: the
        stored base scenario, if it is one), each variant's scenario and every
        finished run's plan. ``None`` stores nothing.
    progress
        Called with a :class:`RunReport` whenever a run changes state (first every
        run as queued), from the calling thread.
    stop
        Set it (from any thread) to cancel the runs still with Ray and those queued;
        they are marked stopped and what finished is returned.
    address
        A Ray cluster to join (else ``RAY_ADDRESS``, else Ray on this machine); see
        :func:`connect_ray`.
    run_timeout
        Seconds a run may stay with Ray before it is cancelled and failed; default
        three time limits plus two minutes.

    Raises
    ------
    SweepError
        Ray cannot start or be reached, or no node has ``sweep.workers`` CPUs.
    """
    import ray

    started = time.monotonic()
    stop = stop or threading.Event()
    where = connect_ray(address)
    slots = sweep_slots(sweep.workers)
    driver = _Driver(sweep, store, progress)
    # Ray's workers import the planning code while the driver prepares the variants,
    # so the first runs start at once and no run's overhead is an import
    warming = [_remote_warm_up().options(num_cpus=sweep.workers).remote() for _ in range(slots)]
    driver.prepare(scenario, source, base_scenario_id)
    _wait_warm(warming)
    for run in driver.runs.values():
        driver.announce(run)  # every run as queued, ids and all
    for run in driver.runs.values():
        error = driver.variant_errors.get(run.run.variant.name)
        if error:
            driver.fail(run, error)
    scenario_refs = {name: ray.put(changed) for name, changed in driver.scenarios.items()}
    task = _remote_plan_run().options(num_cpus=sweep.workers)
    timeout = run_timeout or 3 * sweep.time_limit + 120
    queued = [run for run in driver.runs.values() if run.report.state is RunState.QUEUED]
    with_ray: dict[Any, _Run] = {}
    first_submitted: float | None = None

    while (queued or with_ray) and not stop.is_set():
        # hand runs to Ray while a slot is free; a revising run waits for its reference
        for run in list(queued):
            if len(with_ray) >= slots:
                break
            reference = driver.reference_of(run)
            if reference is not None and not reference.report.state.ended:
                continue
            queued.remove(run)
            if reference is not None and reference.report.state is not RunState.DONE:
                if reference.report.state is RunState.STOPPED:
                    driver.set(run, state=RunState.STOPPED)
                else:
                    driver.fail(
                        run,
                        f"参照运行「{reference.report.label}」失败，无法在其方案上修改 / "
                        f"the reference run {reference.report.label} failed, so there is no "
                        f"plan to revise: {reference.report.error}",
                    )
                continue
            args = [scenario_refs[run.run.variant.name], run.run.seed, sweep.time_limit]
            args.append(sweep.workers)
            if reference is not None:
                args.append(reference.ref)  # Ray resolves it to the reference's result
            run.submitted = time.time()
            first_submitted = first_submitted or time.monotonic()
            run.ref = task.remote(*args)
            with_ray[run.ref] = run
            driver.set(run, state=RunState.RUNNING)
        if not with_ray:
            stop.wait(POLL_SECONDS)  # nothing with Ray: a revising run waits for its reference
            continue
        ready, _ = ray.wait(list(with_ray), num_returns=1, timeout=POLL_SECONDS)
        for ref in ready:
            run = with_ray.pop(ref)
            try:
                data = ray.get(ref)
            except Exception as error:  # the task raised, or its worker died
                driver.fail(run, _error_text(error), time.time())
            else:
                driver.finish(run, data, time.time())
        now = time.time()
        for ref, run in list(with_ray.items()):
            if now - run.submitted > timeout:
                ray.cancel(ref, force=True)
                del with_ray[ref]
                driver.fail(
                    run,
                    f"运行超过 {timeout:.0f} 秒仍未结束，已取消 / still running after "
                    f"{timeout:.0f} s, cancelled",
                    now,
                )

    stopped = bool(queued or with_ray)
    if stopped:
        _stop_all(driver, queued, with_ray)
    result = SweepResult(
        sweep=sweep,
        runs=tuple(run.report for run in driver.runs.values()),
        wall_seconds=time.monotonic() - started,
        startup_seconds=(first_submitted or time.monotonic()) - started,
        slots=slots,
        where=where,
        sweep_id=driver.sweep_id,
        stopped=stopped,
    )
    if store is not None and driver.sweep_id is not None:
        store.update_sweep(driver.sweep_id, result.state)
    return result


def _stop_all(driver: _Driver, queued: Sequence[_Run], with_ray: dict[Any, _Run]) -> None:
    """Keep what finished meanwhile; cancel the rest with Ray and mark every other run stopped."""
    import ray

    if with_ray:
        ready, _ = ray.wait(list(with_ray), num_returns=len(with_ray), timeout=0)
        for ref in ready:
            run = with_ray.pop(ref)
            try:
                driver.finish(run, ray.get(ref), time.time())
            except Exception as error:
                driver.fail(run, _error_text(error), time.time())
    for ref in with_ray:
        ray.cancel(ref, force=True)
    now = time.time()
    for run in with_ray.values():
        driver.set(run, state=RunState.STOPPED, wall_seconds=now - run.submitted)
    for run in queued:
        driver.set(run, state=RunState.STOPPED)
