"""What the 批量推演 Sweeps page shows, kept free of Streamlit so it can be tested.

The page has three parts. *Build*: the form (name, seeds, seconds and CP-SAT
workers per run, revise or not, the reference variant) and the table of
variants the user edits — one row a variant: 加减剧组 crews ±k, 停用基地 a base
closed from/to, 急单 rush titles, 目标 a parallel-shoots target and 协同 the
pooling policy — which :func:`build_sweep` turns into a
:class:`~scheduler.domain.sweep.Sweep` or lists every problem at once, in
Chinese, by row and column (:func:`grid_variants` fills the table with
"crews 1…k × each base closed in turn × rush or not"). *Run*: the preview
(:func:`preview_text`), the run table (:func:`run_table`) and the counts by
state while the sweep runs on Ray (:mod:`scheduler.services.sweep_jobs`).
*Results*: the stored sweeps for the 「历史 Sweeps」 picker, each one's runs
and its :class:`~scheduler.app.sweep_results.SweepResults`, and the downloads
(the sweep file, runs.csv).
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from scheduler.app.sweep_results import SweepResults, results_from_runs
from scheduler.domain.errors import Problem
from scheduler.domain.local_time import local_time
from scheduler.domain.model import Scenario
from scheduler.domain.money import format_cny
from scheduler.domain.storable import MAX_KEY_LENGTH, text_problem
from scheduler.domain.sweep import ALONE, POOLED, BaseClosure, PoolingPolicy, Sweep, Variant
from scheduler.domain.variations import MAX_TARGET, change_words
from scheduler.io.sweep_file import (
    MAX_CREW_CHANGE,
    MAX_RUNS,
    MAX_RUSH_TITLES,
    MAX_TIME_LIMIT,
    MAX_WORKERS,
    check_against,
)
from scheduler.services.sweeps import RunReport, RunState, connect_ray, runs_csv
from scheduler.storage import SweepInfo, SweepRunInfo

__all__ = [
    "BASE",
    "CREWS",
    "FROM",
    "MAX_SEEDS",
    "NAME",
    "POOLING",
    "POOLING_CHOICES",
    "RUN_COLUMNS",
    "RUN_HEADERS",
    "RUSH",
    "TARGET",
    "TO",
    "VARIANT_COLUMNS",
    "VARIANT_HEADERS",
    "BuiltSweep",
    "SweepForm",
    "base_label",
    "base_options",
    "build_sweep",
    "connect_ray",
    "count_cards",
    "default_variants",
    "duration_text",
    "failed_lines",
    "grid_variants",
    "local_slots",
    "preview_text",
    "results_of_runs",
    "run_table",
    "runs_csv",
    "stored_reports",
    "stored_sweep_label",
    "sweep_file_name",
    "variants_frame",
]

# -- the variants table -----------------------------------------------------------------

NAME = "变体 name"
CREWS = "加减剧组 crews ±k"
BASE = "停用基地 base closed"
FROM = "停用起 from"
TO = "停用止 to"
RUSH = "急单 rush titles"
TARGET = "目标 parallel target"
POOLING = "协同 pooling"
VARIANT_COLUMNS: tuple[str, ...] = (NAME, CREWS, BASE, FROM, TO, RUSH, TARGET, POOLING)
"""Columns of the variants table the user edits, Chinese first."""

VARIANT_HEADERS: Mapping[str, tuple[str, str, int]] = {
    NAME: ("变体", "变体名称 / a name for the what-if", 160),
    CREWS: ("剧组±", "+k 照现有剧组加派 k 个，−k 减去最后 k 个 / crews ±k", 70),
    BASE: ("停用基地", "整个基地（所有棚）在起止日内停用 / base closed, all its sets", 150),
    FROM: ("停用起", "停用第一天 / closed from", 78),
    TO: ("停用止", "停用最后一天 / closed to", 78),
    RUSH: ("急单", "急单部数：照现有剧目加一批最高优先级的剧目 / rush titles", 62),
    TARGET: ("目标", "日并行拍摄目标；留空按场景 / parallel shoots a day target", 62),
    POOLING: ("协同", "共享：各城共用剧组和演员；各城独立：只在本城；留空按场景 / pooling", 104),
}
"""How the variants table shows each column at 1280 px: short label, English help, pixels."""

POOLING_CHOICES: Mapping[str, PoolingPolicy] = {
    "共享 pooled": POOLED,
    "各城独立 alone": ALONE,
}
"""The 协同 cell's choices and the policy each means; a blank cell keeps the scenario's own."""

MAX_SEEDS = 10
"""The page offers 1 … 10 seeds (the sweep file allows more)."""

_COLUMN_OF_KEY = (
    ("crews", CREWS),
    ("close", BASE),
    ("rush_titles", RUSH),
    ("targets", TARGET),
    ("pooling", POOLING),
)
_CLOSE_KEY = re.compile(r"^close\[\d+\]\.(base|from|to)")


def base_label(scenario: Scenario, base_id: str) -> str:
    """A base as the 停用基地 cell shows it: ``B06 郑州惠济黄河影视基地`` (the id if unknown)."""
    base = scenario.base_by_id.get(base_id)
    return base_id if base is None else f"{base_id} {base.name}"


def base_options(scenario: Scenario) -> list[str]:
    """Every base of the scenario as the 停用基地 cell offers it, in file order."""
    return [base_label(scenario, base.base_id) for base in scenario.bases]


def _pooling_label(policy: PoolingPolicy | None) -> str | None:
    if policy is None:
        return None
    for label, known in POOLING_CHOICES.items():
        if policy == known:
            return label
    return None


def variants_frame(scenario: Scenario, variants: Sequence[Variant]) -> pd.DataFrame:
    """The variants table holding ``variants``, one row each (a row shows one closure; groups
    of cities show as blank 协同)."""
    rows = []
    for variant in variants:
        closure = variant.closures[0] if variant.closures else None
        target = variant.targets.get("parallel_shoots_per_day")
        rows.append(
            {
                NAME: variant.name,
                CREWS: variant.crews,
                BASE: None if closure is None else base_label(scenario, closure.base_id),
                FROM: None if closure is None else closure.from_date,
                TO: None if closure is None else closure.to_date,
                RUSH: variant.rush_titles,
                TARGET: target,
                POOLING: _pooling_label(variant.pooling),
            }
        )
    frame = pd.DataFrame(rows, columns=list(VARIANT_COLUMNS))
    for column in (CREWS, RUSH, TARGET):
        frame[column] = frame[column].astype("Int64")
    for column in (NAME, BASE, FROM, TO, POOLING):
        frame[column] = frame[column].astype(object)
    return frame


def default_variants() -> list[Variant]:
    """What the table holds on a first visit: 现状 (the reference) and 加1个剧组."""
    return [Variant("现状"), Variant("加1个剧组", crews=1)]


def first_week(scenario: Scenario) -> tuple[date, date]:
    """The grid's default closure: the horizon's first seven days (fewer if it is shorter)."""
    return scenario.start_date, min(scenario.start_date + timedelta(days=6), scenario.end_date)


def grid_variants(
    scenario: Scenario,
    crews: int,
    bases: Sequence[str],
    closed_from: date,
    closed_to: date,
    rush_titles: int,
) -> list[Variant]:
    """现状 and every combination of the axes, each named by its changes.

    Axes: crews +1 … +``crews`` (none when 0); each base of ``bases`` (ids or
    :func:`base_label` s) closed ``closed_from`` … ``closed_to`` in turn (none when
    empty); a rush order of ``rush_titles`` or not (none when 0). ``crews=5``, three
    bases and 30 rush titles make 5 × 3 × 2 = 30 variants after 现状.
    """
    axes: list[list[dict[str, Any]]] = []
    if crews > 0:
        axes.append([{"crews": k} for k in range(1, crews + 1)])
    if bases:
        axes.append(
            [
                {"closures": (BaseClosure(_base_id(base), closed_from, closed_to),)}
                for base in bases
            ]
        )
    if rush_titles > 0:
        axes.append([{"rush_titles": 0}, {"rush_titles": rush_titles}])
    variants = [Variant("现状")]
    if not axes:
        return variants
    for combination in itertools.product(*axes):
        changes: dict[str, Any] = {}
        for part in combination:
            changes.update(part)
        unnamed = replace(Variant(""), **changes)
        if unnamed.is_base:
            continue  # the rush axis' "no" with no other axis: 现状 again
        variants.append(replace(unnamed, name=change_words(unnamed)))
    return variants


def _base_id(label: str) -> str:
    """The base id of a 停用基地 cell (``B06 郑州惠济…`` → ``B06``)."""
    return label.strip().split(" ", 1)[0]


# -- from the form and the table to a sweep -----------------------------------------------


@dataclass(frozen=True)
class SweepForm:
    """The builder's fields besides the variants table."""

    name: str
    seeds: int = 3
    time_limit: float = 30.0
    workers: int = 1
    revise: bool = False
    reference: str = ""
    """The reference variant's name; blank: the first row."""


@dataclass(frozen=True)
class BuiltSweep:
    """The sweep the builder describes, or ``None`` with every problem (Chinese, by row)."""

    sweep: Sweep | None
    problems: tuple[str, ...] = ()
    rows: Mapping[str, int] = field(default_factory=dict)
    """Variant name → its row in the table (from 1)."""

    @property
    def ok(self) -> bool:
        """Whether the sweep can run."""
        return self.sweep is not None and not self.problems

    @property
    def run_count(self) -> int:
        """Variants × seeds (0 without a sweep)."""
        if self.sweep is None:
            return 0
        return len(self.sweep.variants) * len(self.sweep.seeds)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _whole(value: object) -> int | None:
    """A table cell as a whole number, ``None`` when it is not one (blank is not checked here)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    if hasattr(value, "item"):  # a numpy number
        return _whole(value.item())
    return None


def _day(value: object) -> date | None:
    """A table cell as a date (a date, a timestamp or ISO text), ``None`` when it is not one."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


class _Row:
    """One row of the variants table being read; its problems name the row and column."""

    def __init__(self, number: int, cells: Mapping[str, object], problems: list[str]) -> None:
        self.number = number
        self.cells = cells
        self.problems = problems
        self.before = len(problems)
        name = cells.get(NAME)
        self.name = "" if _blank(name) else str(name).strip()

    def add(self, column: str, message: str) -> None:
        who = f"（{self.name}）" if self.name else ""
        self.problems.append(f"第 {self.number} 行{who} · {column}：{message}")

    @property
    def failed(self) -> bool:
        return len(self.problems) > self.before

    def whole(self, column: str, low: int, high: int, what: str) -> int | None:
        value = self.cells.get(column)
        if _blank(value):
            return None
        number = _whole(value)
        if number is None:
            self.add(column, f"{what}为 {value!r}，应为整数")
        elif not low <= number <= high:
            self.add(column, f"{what} {number:,} 超出 {low:,} 到 {high:,} 的范围")
            number = None
        return number


def _read_row(row: _Row, scenario: Scenario) -> Variant | None:
    """The variant of one row, or ``None`` when a cell has a problem (reported)."""
    if not row.name:
        row.add(NAME, "变体名称为空，请填写（如「加1个剧组」）")
    else:
        found = text_problem(row.name, MAX_KEY_LENGTH)
        if found is None and re.search(r"[\x00-\x1f\x7f]", row.name):
            found = ("", "含有换行等控制字符，应为一行文字")
        if found is not None:
            row.add(NAME, f"变体名称{found[1]}")
    crews = row.whole(CREWS, -MAX_CREW_CHANGE, MAX_CREW_CHANGE, "剧组增减") or 0
    rush = row.whole(RUSH, 0, MAX_RUSH_TITLES, "急单部数") or 0
    target = row.whole(TARGET, 1, MAX_TARGET, "日并行目标")
    closures = _read_closure(row, scenario)
    pooling_cell = row.cells.get(POOLING)
    pooling: PoolingPolicy | None = None
    if not _blank(pooling_cell):
        label = str(pooling_cell).strip()
        if label not in POOLING_CHOICES:
            row.add(
                POOLING,
                f"「{label}」不是协同方式，应为 {'、'.join(POOLING_CHOICES)} 或留空（按场景设定）",
            )
        else:
            pooling = POOLING_CHOICES[label]
    if row.failed:
        return None
    return Variant(
        name=row.name,
        crews=crews,
        closures=closures,
        rush_titles=rush,
        targets={} if target is None else {"parallel_shoots_per_day": target},
        pooling=pooling,
    )


def _read_closure(row: _Row, scenario: Scenario) -> tuple[BaseClosure, ...]:
    """The row's closure: a base with both dates, or nothing when all three are blank."""
    base_cell, from_cell, to_cell = (row.cells.get(c) for c in (BASE, FROM, TO))
    if _blank(base_cell) and _blank(from_cell) and _blank(to_cell):
        return ()
    base_id = None if _blank(base_cell) else _base_id(str(base_cell))
    if base_id is None:
        row.add(BASE, "填了停用日期却没有选基地，请选基地或清空日期")
    elif base_id not in scenario.base_by_id:
        known = "、".join(scenario.base_by_id)
        row.add(BASE, f"基地 {base_id} 不在场景中，应为 {known} 之一")
    days = {}
    for column, cell, what in ((FROM, from_cell, "开始日"), (TO, to_cell, "结束日")):
        if _blank(cell):
            row.add(
                column, f"停用基地缺少{what}，请填日期（如 {scenario.start_date.isoformat()}）"
            )
            continue
        day = _day(cell)
        if day is None:
            row.add(column, f"{what}为 {cell!r}，应为日期（如 {scenario.start_date.isoformat()}）")
        days[column] = day
    if row.failed or base_id is None or days.get(FROM) is None or days.get(TO) is None:
        return ()
    first, last = days[FROM], days[TO]
    assert first is not None and last is not None
    return (BaseClosure(base_id, first, last),)


def _rows(table: pd.DataFrame | Sequence[Mapping[str, object]]) -> list[Mapping[str, object]]:
    if isinstance(table, pd.DataFrame):
        return [
            dict(zip(table.columns, values, strict=True)) for values in table.itertuples(False)
        ]
    return [dict(row) for row in table]


def _fit_problem(problem: Problem, rows: Sequence[int]) -> str:
    """A :func:`check_against` problem at ``variant[i].key`` said at its row and column."""
    found = re.match(r"^variant\[(\d+)\]\.?(.*)$", problem.column)
    if not found:
        return problem.message_zh or problem.message
    number = rows[int(found.group(1)) - 1]
    key = found.group(2)
    column = "整行 whole row"
    closing = _CLOSE_KEY.match(key)
    if closing:
        column = {"base": BASE, "from": FROM, "to": TO}[closing.group(1)]
    else:
        for prefix, label in _COLUMN_OF_KEY:
            if key.startswith(prefix):
                column = label
    message = problem.message_zh or problem.message
    name = re.match(r"^方案「(.*?)」[：:]?", message)
    who = f"（{name.group(1)}）" if name else ""
    text = message[name.end() :] if name else message
    return f"第 {number} 行{who} · {column}：{text}"


def _row_of(problem: str) -> int:
    """The row a problem names (0 for the form's fields), to list problems in table order."""
    found = re.match(r"^第 (\d+) 行", problem)
    return int(found.group(1)) if found else 0


def build_sweep(
    form: SweepForm,
    table: pd.DataFrame | Sequence[Mapping[str, object]],
    scenario: Scenario,
    scenario_name: str,
    *,
    check: bool = True,
) -> BuiltSweep:
    """The sweep the builder describes, or every problem at once.

    Parameters
    ----------
    form
        The builder's fields.
    table
        The variants table (:data:`VARIANT_COLUMNS`); rows left wholly blank are skipped.
    scenario
        The base scenario the variants change.
    scenario_name
        How the sweep names its base: the stored scenario's name.
    check
        Also check each variant against ``scenario``
        (:func:`scheduler.io.sweep_file.check_against`: unknown bases, dates outside
        the horizon, more crews removed than there are, a changed scenario that does
        not validate). About 0.2 s a variant on a month of 460 titles.

    Returns
    -------
    BuiltSweep
        The sweep, or ``None`` with each problem as 「第 2 行（加1个剧组）· 列：问题」.
    """
    problems: list[str] = []
    found = text_problem(form.name, MAX_KEY_LENGTH)
    if found is None and not form.name.strip():
        found = ("", "为空，请填写")
    if found is None and re.search(r"[\x00-\x1f\x7f]", form.name):
        found = ("", "含有换行等控制字符，应为一行文字")
    if found is not None:
        problems.append(f"名称 name：批量推演名称{found[1]}")
    if not 1 <= form.seeds <= MAX_SEEDS:
        problems.append(f"种子数 seeds：{form.seeds} 超出 1 到 {MAX_SEEDS} 的范围")
    if not (math.isfinite(form.time_limit) and 0 < form.time_limit <= MAX_TIME_LIMIT):
        problems.append(
            f"每次秒数 time limit：{form.time_limit:g} 应大于 0 且不超过 {MAX_TIME_LIMIT:,.0f} 秒"
        )
    if not 1 <= form.workers <= MAX_WORKERS:
        problems.append(f"每次线程 workers：{form.workers} 超出 1 到 {MAX_WORKERS} 的范围")

    variants: list[Variant] = []
    rows: dict[str, int] = {}
    for number, cells in enumerate(_rows(table), 1):
        if all(_blank(cells.get(column)) or cells.get(column) == 0 for column in VARIANT_COLUMNS):
            continue
        row = _Row(number, cells, problems)
        variant = _read_row(row, scenario)
        if row.name and row.name in rows:
            row.add(NAME, f"与第 {rows[row.name]} 行重名，每个变体名称只能用一次")
            continue
        if row.name:
            rows[row.name] = number
        if variant is not None:
            variants.append(variant)
    if not rows:
        problems.append("变体表 variants：表中没有变体，至少需要一行（第一行通常是「现状」）")
    reference = form.reference.strip()
    if reference and reference not in rows:
        problems.append(
            f"基准变体 reference：「{reference}」不在变体表中，"
            f"应为 {'、'.join(rows) or '表中的变体'} 之一"
        )
    runs = len(rows) * form.seeds
    if runs > MAX_RUNS:
        problems.append(
            f"运行次数 runs：{len(rows)} 个变体 × {form.seeds} 个种子共 {runs:,} 次，"
            f"最多 {MAX_RUNS:,} 次"
        )
    sweep = Sweep(
        name=form.name.strip(),
        scenario=scenario_name,
        variants=tuple(variants),
        seeds=tuple(range(max(1, min(form.seeds, MAX_SEEDS)))),
        time_limit=float(form.time_limit),
        workers=int(form.workers),
        reference=reference if reference in rows else "",
        revise=bool(form.revise),
    )
    if check and variants:
        places = [rows[variant.name] for variant in variants]
        problems.extend(_fit_problem(p, places) for p in check_against(sweep, scenario))
    if problems:
        return BuiltSweep(None, tuple(sorted(problems, key=_row_of)), rows)
    return BuiltSweep(sweep, (), rows)


def sweep_file_name(sweep: Sweep) -> str:
    """The download's file name: the sweep's name made safe, ``.toml``."""
    safe = re.sub(r'[\x00-\x1f/\\:*?"<>|\s]+', "_", sweep.name).strip("._") or "sweep"
    return f"{safe}.toml"


# -- the preview ----------------------------------------------------------------------------


def local_slots(workers: int, cpus: int | None = None) -> int:
    """How many runs of ``workers`` CPUs this machine runs at once (Ray on this machine)."""
    cpus = cpus if cpus is not None else os.cpu_count() or 1
    return max(1, cpus // max(1, workers))


def duration_text(seconds: float, english: bool = False) -> str:
    """``45 秒``, ``6 分 0 秒``, ``1 小时 12 分`` (``45 s``, ``6 min 0 s``, ``1 h 12 min``)."""
    seconds = max(0, round(seconds))
    hour, minute, second = ("h", "min", "s") if english else ("小时", "分", "秒")
    if seconds < 60:
        return f"{seconds} {second}"
    if seconds < 3600:
        return f"{seconds // 60} {minute} {seconds % 60} {second}"
    return f"{seconds // 3600} {hour} {seconds % 3600 // 60} {minute}"


def preview_text(
    sweep: Sweep, cpus: int | None = None, address: str | None = None
) -> tuple[str, str]:
    """The preview line and a warning (blank when none), Chinese first.

    Runs × time limit ÷ slots (runs at once: this machine's CPUs ÷ workers per run,
    in whole waves), every run using its whole time limit; a run proven optimal
    earlier ends earlier. On a cluster (``address``, else ``RAY_ADDRESS``) the slots
    are the cluster's, not known before it is reached.
    """
    address = address if address is not None else os.environ.get("RAY_ADDRESS", "").strip()
    variants, seeds = len(sweep.variants), len(sweep.seeds)
    runs = variants * seeds
    head = (
        f"预览：共 {runs} 次运行（{variants} 个变体 × {seeds} 个种子），"
        f"每次最多 {sweep.time_limit:g} 秒、{sweep.workers} 个 CP-SAT 线程"
    )
    if address:
        return (
            f"{head}；在 Ray 集群 {address} 上运行，估计用时取决于集群的 CPU 数"
            f"（{runs} × {sweep.time_limit:g} 秒 ÷ 同时运行数）"
            f" / {runs} runs on the Ray cluster at {address}",
            "",
        )
    cpus = cpus if cpus is not None else os.cpu_count() or 1
    slots = local_slots(sweep.workers, cpus)
    seconds = math.ceil(runs / slots) * sweep.time_limit
    text = (
        f"{head}；本机 {cpus} 个 CPU，同时运行 {slots} 次，估计用时 {duration_text(seconds)}"
        "（已证最优的运行会提前结束）"
        f" / {runs} runs, {slots} at a time: about {duration_text(seconds, english=True)} at most"
    )
    warning = ""
    if sweep.workers > cpus:
        warning = (
            f"每次运行要 {sweep.workers} 个 CPU，本机只有 {cpus} 个：Ray 无法开始运行，"
            "请调小线程数"
            f" / each run needs {sweep.workers} CPUs, this machine has {cpus}"
        )
    return text, warning


# -- the runs -------------------------------------------------------------------------------

RUN_COLUMNS: tuple[str, ...] = (
    "变体 variant",
    "种子 seed",
    "状态 state",
    "已排剧目 titles",
    "优先级 priority",
    "上界 bound",
    "成本 cost",
    "求解秒 solve s",
    "总秒 wall s",
    "错误 error",
)
"""Columns of the run table, Chinese first."""

RUN_HEADERS: Mapping[str, tuple[str, str, int]] = {
    RUN_COLUMNS[0]: ("变体", "变体 / variant", 170),
    RUN_COLUMNS[1]: ("种子", "随机种子 / seed", 44),
    RUN_COLUMNS[2]: ("状态", "状态 / state", 96),
    RUN_COLUMNS[3]: ("已排剧目", "已排剧目 / 全部剧目 · scheduled / all titles", 70),
    RUN_COLUMNS[4]: ("优先级", "已排剧目的优先级之和 / priority scheduled", 56),
    RUN_COLUMNS[5]: ("上界", "已证明的优先级上界 / proven priority bound", 48),
    RUN_COLUMNS[6]: ("成本", "成本 / cost", 76),
    RUN_COLUMNS[7]: ("求解秒", "Ray 任务里求解、检查用的秒数 / solve seconds", 56),
    RUN_COLUMNS[8]: ("总秒", "交给 Ray 到拿到结果的秒数 / wall seconds", 50),
    RUN_COLUMNS[9]: ("错误", "运行失败的原因 / why the run failed", 150),
}
"""How the run table shows each column at 1280 px: short label, English help, pixels."""


def _kpi(report: RunReport, key: str) -> Any:
    return report.kpis.get(key) if report.state is RunState.DONE else None


def run_table(runs: Sequence[RunReport]) -> pd.DataFrame:
    """One row per run in the sweep's order: :data:`RUN_COLUMNS`; KPIs once a run is done."""
    rows = []
    for run in runs:
        scheduled, cost = _kpi(run, "scheduled_titles"), _kpi(run, "cost")
        total = None if scheduled is None else scheduled + run.kpis.get("unscheduled_titles", 0)
        rows.append(
            (
                run.variant,
                run.seed,
                run.state.words,
                "" if scheduled is None else f"{scheduled}/{total}",
                _kpi(run, "priority_scheduled"),
                _kpi(run, "priority_bound"),
                "" if cost is None else format_cny(cost),
                None if run.solve_seconds is None else round(run.solve_seconds, 1),
                None if run.wall_seconds is None else round(run.wall_seconds, 1),
                run.error,
            )
        )
    frame = pd.DataFrame(rows, columns=list(RUN_COLUMNS))
    for column in ("优先级 priority", "上界 bound"):
        frame[column] = frame[column].astype("Int64")
    return frame


def count_cards(counts: Mapping[RunState, int]) -> list[tuple[str, int]]:
    """The runs by state, every state in order: ``[("排队 queued", 4), …]``."""
    return [(state.words, counts.get(state, 0)) for state in RunState]


def failed_lines(runs: Sequence[RunReport]) -> list[str]:
    """Each failed run and why: 「加1个剧组 · 种子0」失败：…."""
    return [
        f"「{run.label}」失败 failed：{run.error or '未说明原因 no reason given'}"
        for run in runs
        if run.state is RunState.FAILED
    ]


def results_of_runs(
    runs: Sequence[RunReport], reference: str | None = None, name: str = ""
) -> SweepResults | None:
    """The results of the runs done so far (every variant listed, reference first), or
    ``None`` when none is done. ``reference``: the variant compared with, else the runs'."""
    if not any(run.state is RunState.DONE for run in runs):
        return None
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    marked = next((run.variant for run in runs if run.reference), None)
    for run in runs:
        grouped.setdefault(run.variant, [])
        if run.state is RunState.DONE:
            grouped[run.variant].append({**run.kpis, "seed": run.seed, "plan_id": run.plan_id})
    chosen = reference if reference in grouped else marked
    return results_from_runs(grouped, chosen, name)


# -- stored sweeps ----------------------------------------------------------------------------

_SWEEP_STATES = {
    "running": "运行中 running",
    "done": "完成 done",
    "failed": "有失败 failed",
    "stopped": "已停止 stopped",
}


def stored_sweep_label(info: SweepInfo) -> str:
    """How the 「历史 Sweeps」 picker names a stored sweep."""
    state = _SWEEP_STATES.get(info.state, info.state)
    return (
        f"#{info.sweep_id} {info.name} · {state} · 完成 {info.done_count}/{info.run_count} 次"
        f" · {local_time(info.created_at)}"
    )


def stored_reports(
    runs: Sequence[SweepRunInfo], kpis_by_plan: Mapping[int, Mapping[str, Any]]
) -> list[RunReport]:
    """A stored sweep's runs as run reports (KPIs from their stored plans), in its order.

    A stored run does not keep which variant was the reference: a run is marked so
    when its plan's ``kpis["sweep"]["reference"]`` says it.
    """
    reports = []
    for run in runs:
        kpis = kpis_by_plan.get(run.plan_id, {}) if run.plan_id is not None else {}
        found = kpis.get("sweep")
        entry: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        try:
            state = RunState(run.state)
        except ValueError:
            state = RunState.FAILED
        reports.append(
            RunReport(
                run.variant,
                run.seed,
                state,
                reference=bool(entry.get("reference")),
                revises=entry.get("revises"),
                kpis=dict(kpis),
                error=run.error,
                solve_seconds=run.solve_seconds,
                wall_seconds=run.wall_seconds,
                overhead_seconds=run.overhead_seconds,
                sweep_id=run.sweep_id,
                scenario_id=run.scenario_id,
                plan_id=run.plan_id,
                run_id=run.run_id,
            )
        )
    return reports
