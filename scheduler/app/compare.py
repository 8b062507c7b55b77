"""What-if comparison of stored plans: KPIs side by side, titles that moved, utilisation by base.

Plans may belong to different scenarios (a clone with a crew off for three
days, a base closed for a week, a rush order): each is read with its own
scenario for names. The first plan named is the reference; every Δ is
"this plan minus the first". Plans are named in tables by short names
(基准, 方案1, 方案2 …, :func:`short_names`) with a legend of their full names,
and each cell holds value and Δ together (``1270（+3）``), so that four plans
fit a screen 1280 px wide.

A title the what-if moved is a 必要变动 forced change when its reference
placement breaks a rule of the compared plan's scenario (the independent
checker says which), else a 重排 reshuffle: it could have stayed, and the
solver moved it anyway (:func:`what_if_changes`). Streamlit-free.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from scheduler.app.support import local_time
from scheduler.check.checker import check_plan
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan, Shoot
from scheduler.storage import PlanInfo, ScenarioInfo, ScenarioStore

CREW = "剧组 crew"
BASE = "基地 base"
DATES = "日期 dates"
NEW = "新排入 newly scheduled"
DROPPED = "未排 dropped"
CHANGE_KINDS: tuple[str, ...] = (CREW, BASE, DATES, NEW, DROPPED)
"""What :func:`changed_titles` says changed, in the order it lists them."""

CHANGE_COLUMNS: tuple[str, ...] = (
    "剧目编号 title id",
    "剧目 title",
    "变化 change",
    "之前 before",
    "之后 after",
)

KPI_COLUMN = "指标 KPI"
BASE_ID_COLUMN = "基地编号 base id"
BASE_COLUMN = "基地 base"
BETTER_COLUMN = "更好 better"
HIGHER, LOWER = "高 higher", "低 lower"


def _get(*path: str) -> Callable[[Mapping[str, Any]], float]:
    def read(kpis: Mapping[str, Any]) -> float:
        value: Any = kpis
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        return float("nan") if value is None else float(value)

    return read


def _percent(key: str) -> Callable[[Mapping[str, Any]], float]:
    def read(kpis: Mapping[str, Any]) -> float:
        return round(_get(key)(kpis) * 100, 2)

    return read


KPI_ROWS: tuple[tuple[str, Callable[[Mapping[str, Any]], float], str], ...] = (
    ("已排剧目 scheduled titles", _get("scheduled_titles"), HIGHER),
    ("未排剧目 unscheduled titles", _get("unscheduled_titles"), LOWER),
    ("优先级 priority scheduled", _get("priority_scheduled"), HIGHER),
    ("优先级上界 priority bound", _get("priority_bound"), HIGHER),
    ("每日并行 最少 parallel/day min", _get("parallel_shoots", "min"), HIGHER),
    ("每日并行 平均 parallel/day mean", _get("parallel_shoots", "mean"), HIGHER),
    ("低于目标天数 days below target", _get("target_gaps", "days_below_parallel_target"), LOWER),
    ("每30天剧目 titles / 30 days", _get("titles_per_30_days"), HIGHER),
    ("场景利用率 % set utilisation", _percent("set_utilisation"), HIGHER),
    ("剧组利用率 % crew utilisation", _percent("crew_utilisation"), HIGHER),
    ("成本 cost (CNY)", _get("cost"), LOWER),
    ("场景成本 set cost (CNY)", _get("cost_split", "sets"), LOWER),
    ("剧组成本 crew cost (CNY)", _get("cost_split", "crews"), LOWER),
    ("演员成本 actor cost (CNY)", _get("cost_split", "actors"), LOWER),
    ("拍摄场次 shoots", _get("shoots"), HIGHER),
    ("求解秒数 solve seconds", _get("solve_seconds"), LOWER),
)
"""(label, how to read it from the KPIs, which way is better) for every compared KPI."""


def delta_label(name: str) -> str:
    """Header of the column of differences of plan ``name`` to the first plan."""
    return f"Δ {name}"


@dataclass(frozen=True)
class PlanChoice:
    """A stored plan offered for comparison, with the scenario it belongs to."""

    plan: PlanInfo
    scenario: ScenarioInfo

    @property
    def label(self) -> str:
        """How the plan is named in the picker and in column headers (unique: has the plan id)."""
        text = f"{self.scenario.name} · #{self.plan.plan_id}"
        return f"{text} {self.plan.label}" if self.plan.label else text

    @property
    def long_label(self) -> str:
        """The label with status, scenario version and time, for the picker."""
        return (
            f"{self.label} · {self.plan.status} · v{self.plan.scenario_version} · "
            f"{local_time(self.plan.created_at)}"
        )


def plan_choices(store: ScenarioStore) -> list[PlanChoice]:
    """Every stored plan of every scenario, newest first."""
    choices = [
        PlanChoice(plan, info)
        for info in store.list()
        for plan in store.list_plans(info.scenario_id)
    ]
    return sorted(choices, key=lambda choice: choice.plan.plan_id, reverse=True)


@dataclass(frozen=True)
class ComparedPlan:
    """A stored plan read for comparison: its name, the plan, its KPIs and its scenario."""

    name: str
    plan: Plan
    kpis: Mapping[str, Any]
    scenario: Scenario


def load_compared(store: ScenarioStore, choices: Sequence[PlanChoice]) -> list[ComparedPlan]:
    """Read the chosen plans with their KPIs and scenarios (each scenario read once), in order.

    The scenario is the stored one, which may be newer than the version the
    plan was made for; it supplies the names of titles, crews and bases.
    """
    scenarios: dict[int, Scenario] = {}
    compared = []
    for choice in choices:
        scenario_id = choice.scenario.scenario_id
        if scenario_id not in scenarios:
            scenarios[scenario_id] = store.load(scenario_id)[0]
        plan, kpis, _info = store.load_plan(choice.plan.plan_id)
        compared.append(ComparedPlan(choice.label, plan, kpis, scenarios[scenario_id]))
    return compared


MAX_DEFAULT_OTHERS = 3
"""At most this many plans are compared with the reference by default."""


def default_reference(choices: Sequence[PlanChoice], scenario_id: int) -> PlanChoice | None:
    """The reference offered first: the newest plan of the current scenario (the original
    the user works on, not a clone), else the newest plan of any; ``None`` without plans.

    ``choices`` are newest first, as :func:`plan_choices` gives them.
    """
    own = [choice for choice in choices if choice.scenario.scenario_id == scenario_id]
    first = own or list(choices)
    return first[0] if first else None


def default_others(choices: Sequence[PlanChoice], reference: PlanChoice) -> list[PlanChoice]:
    """The plans compared with ``reference`` first: the newest plan of each other scenario,
    newest first, at most :data:`MAX_DEFAULT_OTHERS`; without other scenarios' plans, the
    newest other plan of the reference's scenario.

    Scenarios with as many bases as the reference's come first (its what-if clones have
    its bases; another sample does not), then the rest.
    """
    others = [choice for choice in choices if choice.plan.plan_id != reference.plan.plan_id]
    newest: dict[int, PlanChoice] = {}
    for choice in others:
        if choice.scenario.scenario_id != reference.scenario.scenario_id:
            newest.setdefault(choice.scenario.scenario_id, choice)
    bases = reference.scenario.base_count
    alike = [choice for choice in newest.values() if choice.scenario.base_count == bases]
    unlike = [choice for choice in newest.values() if choice.scenario.base_count != bases]
    picked = [*alike, *unlike][:MAX_DEFAULT_OTHERS]
    return picked or others[:1]


def default_choices(choices: Sequence[PlanChoice], scenario_id: int) -> list[PlanChoice]:
    """What to compare first: :func:`default_reference`, then :func:`default_others`."""
    reference = default_reference(choices, scenario_id)
    return [] if reference is None else [reference, *default_others(choices, reference)]


REFERENCE_SHORT = "基准"


def short_names(names: Sequence[str]) -> dict[str, str]:
    """Full plan name → its short name in tables: ``基准`` first, then ``方案1``, ``方案2`` …"""
    return {
        name: REFERENCE_SHORT if number == 0 else f"方案{number}"
        for number, name in enumerate(names)
    }


SHORT_COLUMN = "简称 short"
PLAN_COLUMN = "方案 plan"


def plan_legend(names: Sequence[str]) -> pd.DataFrame:
    """The legend of :func:`short_names`: ``简称 short`` and ``方案 plan`` (the full name)."""
    rows = [(short, name) for name, short in short_names(names).items()]
    return pd.DataFrame(rows, columns=[SHORT_COLUMN, PLAN_COLUMN])


def compare_kpis(named_kpis: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """KPIs of several plans side by side, with each plan's difference to the first.

    Parameters
    ----------
    named_kpis
        Plan name → its KPIs (:func:`scheduler.check.kpis.compute_kpis` output), in
        the order to show; the first is the reference.

    Returns
    -------
    DataFrame
        One row per KPI of :data:`KPI_ROWS`: ``指标 KPI``, one column per plan,
        then ``Δ name`` for every plan after the first, and ``更好 better``
        (whether higher or lower is better). Missing values (no bound) are NaN.
    """
    names = list(named_kpis)
    rows = []
    for label, read, better in KPI_ROWS:
        values = [read(named_kpis[name]) for name in names]
        row: dict[str, Any] = {KPI_COLUMN: label}
        row |= dict(zip(names, values, strict=True))
        row |= {
            delta_label(name): value - values[0]
            for name, value in zip(names[1:], values[1:], strict=True)
        }
        row[BETTER_COLUMN] = better
        rows.append(row)
    columns = [KPI_COLUMN, *names, *(delta_label(name) for name in names[1:]), BETTER_COLUMN]
    return pd.DataFrame(rows, columns=columns)


def number_text(value: float, signed: bool = False) -> str:
    """A table number as people read it: thousands separators, at most 2 decimals, ``–`` if
    missing; ``signed`` puts ``+`` on positive values and ``±0`` on zero."""
    if value != value:
        return "–"
    if signed and value == 0:
        return "±0"
    digits = 0 if float(value).is_integer() else 2
    return f"{value:{'+' if signed else ''},.{digits}f}".replace("-", "−")


TEN_THOUSAND = 10_000
"""万: amounts of 10万 and more are said in 万 (``1,956.4万``), as people read money."""


def _amount_text(value: float, signed: bool = False) -> str:
    """``number_text``, but 10万 and more in 万 with one decimal (a cost: ``1,956.4万``)."""
    if value == value and abs(value) >= 10 * TEN_THOUSAND:
        text = f"{value / TEN_THOUSAND:{'+' if signed else ''},.1f}万"
        return text.replace("-", "−")
    return number_text(value, signed)


def value_with_delta(value: float, delta: float | None) -> str:
    """One cell: the value and, for a plan after the reference, its Δ: ``1,270（+3）``.

    Values of 10万 and more are in 万 (``1,956.4万（+6.5万）``; a Δ under 1万 stays whole,
    ``（+2,600）``), so that a cost fits its column.
    """
    if delta is None:
        return _amount_text(value)
    if value == value and abs(value) >= 10 * TEN_THOUSAND and abs(delta) >= TEN_THOUSAND:
        change = f"{delta / TEN_THOUSAND:+,.1f}万".replace("-", "−")
    else:
        change = number_text(delta, signed=True)
    return f"{_amount_text(value)}（{change}）"


def compact(table: pd.DataFrame, key_columns: Sequence[str], names: Sequence[str]) -> pd.DataFrame:
    """A :func:`compare_kpis` or :func:`utilisation_by_base_delta` table with one text column
    per plan, named by :func:`short_names`, holding value and Δ together (``1,270（+3）``).

    ``key_columns`` are kept as they are (the KPI, or the base id and name), then come the
    plans' columns, then :data:`BETTER_COLUMN` if the table has it.
    """
    short = short_names(names)
    out = table[list(key_columns)].copy()
    for number, name in enumerate(names):
        deltas = table[delta_label(name)] if number else None
        out[short[name]] = [
            value_with_delta(value, None if deltas is None else deltas.iloc[row])
            for row, value in enumerate(table[name])
        ]
    if BETTER_COLUMN in table.columns:
        out[BETTER_COLUMN] = table[BETTER_COLUMN]
    return out


def _days_text(dates: Sequence[date]) -> str:
    """Shoot dates as ``'12-02~12-04'`` (consecutive) or ``'12-02、12-05'``."""
    ordered = sorted(set(dates))
    if not ordered:
        return ""
    first, last = ordered[0], ordered[-1]
    if (last - first).days == len(ordered) - 1:
        return f"{first:%m-%d}" if first == last else f"{first:%m-%d}~{last:%m-%d}"
    return "、".join(f"{when:%m-%d}" for when in ordered)


def _named(ids: Sequence[str], names: Mapping[str, str]) -> str:
    return "、".join(f"{names[i]}（{i}）" if i in names else i for i in sorted(set(ids)))


@dataclass(frozen=True)
class _Placement:
    crew: str
    base: str
    dates: str

    @property
    def text(self) -> str:
        return f"{self.crew} · {self.base} · {self.dates}"


def _placements(plan: Plan, scenario: Scenario) -> dict[str, _Placement]:
    shoots: dict[str, list[Shoot]] = {}
    for shoot in plan.shoots:
        shoots.setdefault(shoot.title_id, []).append(shoot)
    crews = {crew.crew_id: crew.name for crew in scenario.crews}
    bases = {base.base_id: base.name for base in scenario.bases}
    return {
        title_id: _Placement(
            _named([s.crew_id for s in rows], crews),
            _named([s.base_id for s in rows], bases),
            _days_text([s.date for s in rows]),
        )
        for title_id, rows in shoots.items()
    }


def _left_out(title_id: str, plan: Plan, scenario: Scenario) -> str:
    if title_id not in scenario.title_by_id:
        return "不在该场景中 not in this scenario"
    return plan.unscheduled.get(title_id) or "未排 unscheduled"


def changed_titles(
    plan_a: Plan, plan_b: Plan, scenario_a: Scenario, scenario_b: Scenario
) -> pd.DataFrame:
    """The titles whose crew, base or dates differ from plan a to plan b.

    Parameters
    ----------
    plan_a, plan_b
        The reference plan and the plan compared with it.
    scenario_a, scenario_b
        The scenarios they were made for (names of titles, crews and bases).

    Returns
    -------
    DataFrame
        Columns :data:`CHANGE_COLUMNS`: one row per title and change — crew,
        base, dates (each with before → after), newly scheduled (before: why it
        was left out) or dropped (after: the reason plan b gives). Titles in
        plan b's title order, then titles only plan a knows; a title whose
        shoots only moved between sets of the same base on the same days is not listed.
    """
    before = _placements(plan_a, scenario_a)
    after = _placements(plan_b, scenario_b)
    order = [t.title_id for t in scenario_b.titles]
    order += [t.title_id for t in scenario_a.titles if t.title_id not in scenario_b.title_by_id]
    order += sorted((before.keys() | after.keys()) - set(order))
    rows: list[tuple[str, str, str, str, str]] = []
    for title_id in order:
        title = scenario_b.title_by_id.get(title_id) or scenario_a.title_by_id.get(title_id)
        name = title.name if title else title_id
        old, new = before.get(title_id), after.get(title_id)
        if old is None and new is None:
            continue
        if old is None:
            assert new is not None
            why = _left_out(title_id, plan_a, scenario_a)
            rows.append((title_id, name, NEW, why, new.text))
        elif new is None:
            rows.append(
                (title_id, name, DROPPED, old.text, _left_out(title_id, plan_b, scenario_b))
            )
        else:
            for kind, was, now in (
                (CREW, old.crew, new.crew),
                (BASE, old.base, new.base),
                (DATES, old.dates, new.dates),
            ):
                if was != now:
                    rows.append((title_id, name, kind, was, now))
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


def change_counts(changes: pd.DataFrame) -> dict[str, int]:
    """How many titles of a :func:`changed_titles` table had each kind of change."""
    counts = changes.groupby("变化 change")["剧目编号 title id"].nunique()
    return {kind: int(counts.get(kind, 0)) for kind in CHANGE_KINDS}


FORCED = "必要变动 forced"
RESHUFFLE = "重排 reshuffle"
WHAT_IF_KINDS: tuple[str, ...] = (FORCED, NEW, DROPPED, RESHUFFLE)
"""Kinds of :func:`what_if_changes`, in the order it lists and counts them: forced first."""
KIND_COLUMN = "类别 kind"
WHY_COLUMN = "原因 why"
WHAT_IF_COLUMNS: tuple[str, ...] = (
    CHANGE_COLUMNS[0],
    CHANGE_COLUMNS[1],
    KIND_COLUMN,
    WHY_COLUMN,
    *CHANGE_COLUMNS[2:],
)
RESHUFFLE_WHY = "原安排仍可行 old placement keeps every rule"
MOST_REASONS = 2
"""A forced change names at most this many broken rules, then how many more."""


def broken_placements(plan_a: Plan, scenario_a: Scenario, scenario_b: Scenario) -> dict[str, str]:
    """Titles whose placement in ``plan_a`` breaks a rule of ``scenario_b`` that it keeps in
    ``scenario_a``, with the rules.

    The whole reference plan is read against the compared scenario by the
    independent checker (:func:`scheduler.check.checker.check_plan`): a base
    closed on its days, a crew that is gone, an actor now unavailable, a base
    allowed fewer crews. A fault the plan has in its own scenario too (a plan
    made for an older version of it) is not the what-if's doing and is left
    out, as are titles the reference plan does not place. Returns title id → the
    checker's words (Chinese), at most :data:`MOST_REASONS` and how many more.
    """
    placed = {shoot.title_id for shoot in plan_a.shoots}
    already = set(check_plan(scenario_a, plan_a))
    found: dict[str, list[str]] = {}
    for violation in check_plan(scenario_b, plan_a):
        if violation.title_id in placed and violation not in already:
            found.setdefault(violation.title_id, []).append(violation.message_zh)
    reasons = {}
    for title_id, messages in found.items():
        unique = list(dict.fromkeys(messages))
        text = "；".join(unique[:MOST_REASONS])
        more = len(unique) - MOST_REASONS
        reasons[title_id] = f"{text}（另 {more} 处）" if more > 0 else text
    return reasons


def what_if_changes(
    plan_a: Plan, plan_b: Plan, scenario_a: Scenario, scenario_b: Scenario
) -> pd.DataFrame:
    """:func:`changed_titles`, each title sorted into what the what-if forced and what it
    merely reshuffled.

    A title placed in both plans whose crew, base or dates differ is a
    :data:`FORCED` change when its placement in ``plan_a`` breaks a rule of
    ``scenario_b`` that it kept in ``scenario_a`` (:func:`broken_placements`; the rule is
    the ``原因 why``), else a
    :data:`RESHUFFLE`: the old placement still keeps every rule and the solver
    moved it anyway. Newly scheduled and dropped titles keep their kind (a
    dropped title's ``原因 why`` is the rule its old placement breaks, if any).

    Returns
    -------
    DataFrame
        Columns :data:`WHAT_IF_COLUMNS`, rows by kind in :data:`WHAT_IF_KINDS`
        order (forced first), titles within a kind as :func:`changed_titles` lists them.
    """
    changes = changed_titles(plan_a, plan_b, scenario_a, scenario_b)
    broken = broken_placements(plan_a, scenario_a, scenario_b) if not changes.empty else {}
    kinds, whys = [], []
    for title_id, change in zip(changes[CHANGE_COLUMNS[0]], changes["变化 change"], strict=True):
        reason = broken.get(title_id, "")
        if change in (NEW, DROPPED):
            kinds.append(change)
            whys.append(reason)
        elif reason:
            kinds.append(FORCED)
            whys.append(reason)
        else:
            kinds.append(RESHUFFLE)
            whys.append(RESHUFFLE_WHY)
    table = changes.assign(**{KIND_COLUMN: kinds, WHY_COLUMN: whys})[list(WHAT_IF_COLUMNS)]
    rank = {kind: number for number, kind in enumerate(WHAT_IF_KINDS)}
    order = sorted(range(len(table)), key=lambda row: (rank[kinds[row]], row))
    return table.iloc[order].reset_index(drop=True)


def split_reshuffles(changes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A :func:`what_if_changes` table as (forced, new and dropped rows; reshuffle rows)."""
    reshuffled = changes[KIND_COLUMN] == RESHUFFLE
    return changes[~reshuffled], changes[reshuffled]


def what_if_counts(changes: pd.DataFrame) -> dict[str, int]:
    """How many titles of a :func:`what_if_changes` table are of each kind, forced first."""
    counts = changes.groupby(KIND_COLUMN)[CHANGE_COLUMNS[0]].nunique()
    return {kind: int(counts.get(kind, 0)) for kind in WHAT_IF_KINDS}


SINGLE_SOLVE_NOTE = (
    "每个方案只求解了一次：差异可能只是求解波动。用 Sweep 按多个种子求解，"
    "才能判断差异是否真实。 / Each plan is one solve: a difference may be solver noise."
    " A sweep with several seeds tells which differences are real."
)

REVISE_NOTE = (
    "重排多，是因为每个 What-if 都是重新求解：在 Sweep 文件里写 `revise = true`，"
    "What-if 就在基准方案上以最少改动修改，重排会很少。"
    " / Many reshuffles come from planning each what-if afresh: a sweep with"
    " `revise = true` plans what-ifs as revisions of the reference with fewest changes."
)


def utilisation_by_base_delta(
    named_kpis: Mapping[str, Mapping[str, Any]], base_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Set utilisation (%) of every base in each plan, with each plan's difference to the first.

    Parameters
    ----------
    named_kpis
        Plan name → its KPIs, the reference first (as for :func:`compare_kpis`).
    base_names
        Base id → name, for the ``基地 base`` column (the id where missing).

    Returns
    -------
    DataFrame
        One row per base found in any plan's ``set_utilisation_by_base`` (first
        plan's order first): ``基地编号 base id``, ``基地 base``, one column per
        plan (percent, NaN where the plan's scenario lacks the base) and
        ``Δ name`` for every plan after the first (percentage points).
    """
    names = list(named_kpis)
    by_plan = {name: named_kpis[name].get("set_utilisation_by_base", {}) for name in names}
    base_ids = list(dict.fromkeys(b for name in names for b in by_plan[name]))
    labels = base_names or {}
    rows = []
    for base_id in base_ids:
        values = [
            round(float(by_plan[name][base_id]) * 100, 2)
            if base_id in by_plan[name]
            else float("nan")
            for name in names
        ]
        row: dict[str, Any] = {
            "基地编号 base id": base_id,
            "基地 base": labels.get(base_id, base_id),
        }
        row |= dict(zip(names, values, strict=True))
        row |= {
            delta_label(name): round(value - values[0], 2)
            for name, value in zip(names[1:], values[1:], strict=True)
        }
        rows.append(row)
    columns = [BASE_ID_COLUMN, BASE_COLUMN, *names, *(delta_label(n) for n in names[1:])]
    return pd.DataFrame(rows, columns=columns)


def parallel_shoots_by_plan(named_kpis: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Parallel shoots per day of every plan, as a long table: ``plan``, ``date``, ``shoots``."""
    rows = [
        {"plan": name, "date": when, "shoots": int(count)}
        for name, kpis in named_kpis.items()
        for when, count in zip(
            kpis.get("dates", []), kpis.get("parallel_shoots_per_day", []), strict=True
        )
    ]
    return pd.DataFrame(rows, columns=["plan", "date", "shoots"])
