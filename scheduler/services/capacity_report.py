"""The capacity report: the capacity planner's answers in a base manager's words.

:func:`capacity_report` asks :func:`solver.capacity.questions.plan_capacity`
every question and turns the answers into Chinese sentences, tables for the
app and a JSON document for ``python -m scheduler capacity``. Candidate
additions come from the scenario or a ``candidates.csv`` the user edits: see
:mod:`scheduler.services.candidates` (its readers are importable from here too).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from scheduler.domain import figures
from scheduler.domain.model import Scenario
from scheduler.domain.money import format_cny
from solver.capacity.lp import CapacitySolver
from solver.capacity.model import WEEK, Bucket, Candidate, default_candidates
from solver.capacity.questions import (
    Binding,
    CandidateGain,
    CapacityAnswer,
    Step,
    plan_capacity,
)

GAIN_SHOWN = 0.05
"""Gains below this many titles a month are reported as none."""


# -- the report ------------------------------------------------------------------------


def week_label(scenario: Scenario, bucket: Bucket) -> str:
    """``第50周 12-07~12-13`` (a calendar week, ISO number), else the dates ``12-07~12-20``."""
    first, last = scenario.date_of(bucket.first), scenario.date_of(bucket.last)
    days = f"{first:%m-%d}~{last:%m-%d}"
    if first.isocalendar()[:2] == last.isocalendar()[:2]:
        return f"第{first.isocalendar().week}周 {days}"
    return days


def _days_label(scenario: Scenario, first: int, last: int) -> str:
    if first == last:
        return scenario.date_of(first).strftime("%m-%d")
    return f"{scenario.date_of(first):%m-%d}–{scenario.date_of(last):%m-%d}"


def _base_list(scenario: Scenario, base_ids: Sequence[str], most: int = 3) -> str:
    names = [f"{b} {scenario.base_by_id[b].name}" for b in base_ids[:most]]
    more = f" 等 {len(base_ids)} 个基地" if len(base_ids) > most else ""
    return "、".join(names) + more


def binding_sentence(scenario: Scenario, binding: Binding) -> str:
    """One binding row as a sentence: what is full, when, and what one more unit is worth."""
    meaning = binding.meaning
    days = _days_label(scenario, meaning.first, meaning.last)
    worth = f"每多 1 个{{unit}}，约可多拍 {binding.value:.2f} 部"
    family = meaning.family
    if family in ("sets", "sets_window"):
        set_type, *bases = meaning.subject
        return (
            f"{days}：{_base_list(scenario, bases)}的「{set_type}」棚已排满"
            f"（{worth.format(unit='棚日')}）"
        )
    if family in ("crews", "crews_window"):
        genres = set(meaning.subject)
        every = {t.genre for t in scenario.titles}
        who = "所有剧组" if genres >= every else f"能拍「{'/'.join(meaning.subject)}」的剧组"
        return f"{days}：{who}已排满（{worth.format(unit='剧组日')}）"
    if family in ("actor", "actor_window"):
        (actor_id,) = meaning.subject
        actor = scenario.actor_by_id.get(actor_id)
        name = f"{actor.name}（{actor_id}）" if actor else actor_id
        return (
            f"{days}：演员 {name} 的档期排满，他/她的剧目加起来超过可拍天数"
            f"（{worth.format(unit='档期日')}）"
        )
    if family == "base_days":
        return (
            f"{days}：{_base_list(scenario, list(meaning.subject))}每天可开工的剧组数已到上限"
            f"（{worth.format(unit='剧组日')}）"
        )
    return f"{days}：{family} {'/'.join(meaning.subject)}（{worth.format(unit='单位')}）"


def per_month(scenario: Scenario, titles: float) -> float:
    """Titles over the horizon, scaled to 30 days (as the titles_per_30_days KPI)."""
    return titles * 30 / scenario.days if scenario.days else 0.0


def gain_sentence(scenario: Scenario, gain: CandidateGain, base_names: Mapping[str, str]) -> str:
    """``再加 1 个 B03 … 医院 棚（¥3,000/天），每月约多拍 4.0 部``."""
    candidate = gain.candidate
    value = gain.gain if gain.gain is not None else gain.estimate
    monthly = per_month(scenario, value)
    what = candidate.label(base_names)
    price = f"{format_cny(candidate.day_rate)}/天"
    if monthly < GAIN_SHOWN:
        return f"再加 1 个 {what}（{price}）：不会多拍（瓶颈不在这里）"
    how = "约" if gain.gain is not None else "最多约"
    return f"再加 1 个 {what}（{price}），每月{how}多拍 {monthly:.1f} 部"


@dataclass(frozen=True)
class CapacityReport:
    """The capacity planner's answers for one scenario, ready to print, save or draw."""

    scenario: Scenario
    answer: CapacityAnswer
    plan_priority: int | None = None

    @property
    def base_names(self) -> dict[str, str]:
        return {b.base_id: b.name for b in self.scenario.bases}

    # headline ---------------------------------------------------------------------

    def headline(self) -> list[str]:
        """The bound, the titles a month, and the plan as a share of the bound."""
        a, s = self.answer, self.scenario
        if not a.pins_can_be_kept:
            return ["钉住的剧目排不进去：没有任何排期能满足所有钉住（先在「排期」页查看冲突）"]
        if a.priority_bound is None or a.titles_bound is None:
            return [f"求解器（{a.solver}）没有在时限内证明上界，本次没有结论；请重新计算"]
        lines = [
            f"优先级上界 {a.priority_bound}（全部剧目合计 {a.total_priority}）："
            "任何排期排进的优先级之和都不会超过它",
            f"剧目数上界 {a.titles_bound} 部 / {s.days} 天"
            f"（折合每月 {figures.titles(per_month(s, a.titles_bound))}；"
            f"共 {a.total_titles} 部待拍）",
        ]
        if self.plan_priority is not None and a.priority_bound > 0:
            share = self.plan_priority / a.priority_bound
            lines.append(f"当前排期优先级 {self.plan_priority}，达到上界的 {share:.1%}")
        return lines

    def bottleneck_sentences(self) -> list[str]:
        return [binding_sentence(self.scenario, b) for b in self.answer.bindings]

    def gain_sentences(self, most: int = 8) -> list[str]:
        """What one more of each of the best candidates would add; one line when none adds."""
        s = self.scenario
        useful = [
            g
            for g in self.answer.gains[:most]
            if per_month(s, g.gain if g.gain is not None else g.estimate) >= GAIN_SHOWN
        ]
        if not useful:
            return [
                "单独再加任何一个候选棚或剧组都不会多拍：瓶颈在上面列出的演员档期、交期或订单量"
            ]
        return [gain_sentence(s, g, self.base_names) for g in useful]

    def expansion_sentences(self) -> list[str]:
        """What the expansion found, as a base manager would read it."""
        e, s = self.answer.expansion, self.scenario
        if e is None:
            return []
        target = (
            f"目标：每月 {figures.titles(per_month(s, e.target_titles))}、"
            f"日均 {e.target_shoot_days / s.days:.1f} 场并行拍摄"
        )
        now = (
            f"现有产能上限：每月 {figures.titles(per_month(s, e.baseline_titles))}、"
            f"日均 {e.baseline_shoot_days / s.days:.1f} 场"
        )
        if not e.steps and e.met:
            return [target, now, "现有产能已能达标，无需追加"]
        lines = [target, now]
        for number, step in enumerate(e.steps, start=1):
            lines.append(self.step_sentence(number, step))
        if e.steps:
            lines.append(f"合计追加费用 {format_cny(e.total_cost)}")
        if not e.met:
            reach_titles = per_month(s, e.reachable_titles or 0.0)
            reach_days = (e.reachable_shoot_days or 0.0) / s.days
            lines.append(
                f"即使加满所有候选也达不到目标：最多每月 {figures.titles(reach_titles)}、"
                f"日均 {reach_days:.1f} 场（剧目数、交期或演员档期不够，需要更多订单或放宽交期）"
            )
        if not e.proven:
            lines.append(f"（求解器未证明费用最低：{e.status_text}）")
        return lines

    def step_sentence(self, number: int, step: Step) -> str:
        s = self.scenario
        return (
            f"{number}. {step.candidate.label(self.base_names)} ×{step.count}"
            f"（{format_cny(step.cost)}）→ "
            f"每月 {figures.titles(per_month(s, step.titles_after))}、"
            f"日均 {step.shoot_days_after / s.days:.1f} 场"
        )

    def budget_sentences(self) -> list[str]:
        b, s = self.answer.budget, self.scenario
        if b is None:
            return []
        if not b.steps:
            return [
                f"预算 {format_cny(b.budget)}：追加任何候选都不会多拍"
                f"（每月仍约 {figures.titles(per_month(s, b.baseline_titles))}）"
            ]
        lines = [
            f"预算 {format_cny(b.budget)}：花 {format_cny(b.cost)}，"
            f"每月 {figures.whole(per_month(s, b.baseline_titles)):,} → "
            f"{figures.titles(per_month(s, b.titles))}"
        ]
        lines += [self.step_sentence(n, step) for n, step in enumerate(b.steps, start=1)]
        return lines

    def sellable_sentence(self) -> str:
        """What the per-base sellable figures mean, and what all bases can sell at once."""
        a = self.answer
        together = f"所有基地同时出租，合计最多 {a.sellable_together:,} 棚日"
        if a.sellable_alone:
            return (
                f"每个基地的「上界可让出」是它单独出租（其他基地不出租）时不降低优先级上界的棚日"
                "（按容量上界，不是当前方案：出租后可能需要重排）；"
                f"{together}"
            )
        return (
            f"基地较多，每个基地的「上界可让出」是{together}时分到它的份额"
            "（按容量上界，不是当前方案：出租后可能需要重排）"
        )

    # tables ------------------------------------------------------------------------

    def idle_frame(self) -> pd.DataFrame:
        """Idle set-days by base × set type × week (Chinese headers)."""
        rows = [
            {
                "基地": f"{c.base_id} {self.base_names.get(c.base_id, '')}",
                "场景类型": c.set_type,
                "周": week_label(self.scenario, c.bucket),
                "开放棚日": c.open_days,
                "无需求闲置": c.unusable,
                "上界可让出": c.sellable,
            }
            for c in self.answer.idle
        ]
        return pd.DataFrame(
            rows, columns=["基地", "场景类型", "周", "开放棚日", "无需求闲置", "上界可让出"]
        )

    def sellable_by_base(self) -> pd.DataFrame:
        """Per base: open set-days, set-days nobody can use, and sellable set-days."""
        totals = _idle_by_base(self.answer)
        rows = [
            {
                "基地": f"{base_id} {self.base_names.get(base_id, '')}",
                "开放棚日": open_days,
                "无需求闲置": unusable,
                "上界可让出": sellable,
                "上界可让出占比": sellable / open_days if open_days else 0.0,
            }
            for base_id, (open_days, unusable, sellable) in totals.items()
        ]
        return pd.DataFrame(
            rows, columns=["基地", "开放棚日", "无需求闲置", "上界可让出", "上界可让出占比"]
        )

    def loads_frame(self) -> pd.DataFrame:
        """Per week: what the bases could shoot and what the bound's solution shoots."""
        return pd.DataFrame(
            [
                {
                    "周": week_label(self.scenario, load.bucket),
                    "开放棚日": load.open_set_days,
                    "剧组可拍日": load.crew_days,
                    "需求拍摄日": load.demand_days,
                    "上界拍摄日": round(load.shoot_days, 1),
                    "日均并行": round(load.shoot_days / len(load.bucket), 1),
                }
                for load in self.answer.loads
            ]
        )

    def steps_frame(self, steps: Sequence[Step]) -> pd.DataFrame:
        """Additions in the order they are taken, with the totals after each (money in 万元)."""
        s = self.scenario
        cumulative = 0
        rows = []
        for step in steps:
            cumulative += step.cost
            rows.append(
                {
                    "追加": step.candidate.label(self.base_names),
                    "数量": step.count,
                    "费用（万元）": step.cost / 10_000,
                    "累计费用（万元）": cumulative / 10_000,
                    "累计每月部数": figures.whole(per_month(s, step.titles_after)),
                    "日均场数": round(step.shoot_days_after / s.days, 1),
                }
            )
        return pd.DataFrame(rows)

    def gains_frame(self) -> pd.DataFrame:
        s = self.scenario
        return pd.DataFrame(
            [
                {
                    "追加": g.candidate.label(self.base_names),
                    "日租": g.candidate.day_rate,
                    "每月多拍（估计）": round(per_month(s, g.estimate), 1),
                    "每月多拍（重算）": None if g.gain is None else round(per_month(s, g.gain), 1),
                }
                for g in self.answer.gains
            ]
        )

    # JSON --------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (``priority_bound`` and ``titles_bound`` first)."""
        a, s = self.answer, self.scenario
        expansion = a.expansion
        budget = a.budget
        return {
            "priority_bound": a.priority_bound,
            "titles_bound": a.titles_bound,
            "titles_per_30_days_bound": None
            if a.titles_bound is None
            else round(per_month(s, a.titles_bound), 1),
            "proven": a.proven,
            "scenario": a.scenario_name,
            "days": a.days,
            "bucket_days": a.bucket_days,
            "solver": a.solver,
            "total_priority": a.total_priority,
            "total_titles": a.total_titles,
            "plan_priority": self.plan_priority,
            "plan_share_of_bound": None
            if self.plan_priority is None or not a.priority_bound
            else round(self.plan_priority / a.priority_bound, 4),
            "model": {"columns": a.columns, "rows": a.rows},
            "seconds": {k: round(v, 3) for k, v in a.seconds.items()},
            "headline": self.headline(),
            "weeks": [
                {
                    "week": week_label(s, load.bucket),
                    "open_set_days": load.open_set_days,
                    "crew_days": load.crew_days,
                    "demand_days": load.demand_days,
                    "shoot_days": round(load.shoot_days, 2),
                }
                for load in a.loads
            ],
            "bottlenecks": [
                {
                    "family": b.meaning.family,
                    "subject": list(b.meaning.subject),
                    "from": s.date_of(b.meaning.first).isoformat(),
                    "to": s.date_of(b.meaning.last).isoformat(),
                    "titles_per_unit": round(b.value, 4),
                    "sentence": binding_sentence(s, b),
                }
                for b in a.bindings
            ],
            "candidate_gains": [
                {
                    "candidate": g.candidate.key,
                    "day_rate": g.candidate.day_rate,
                    "estimate_titles": round(g.estimate, 3),
                    "gain_titles": None if g.gain is None else round(g.gain, 3),
                    "sentence": gain_sentence(s, g, self.base_names),
                }
                for g in a.gains
            ],
            "expansion": None
            if expansion is None
            else {
                "target_titles": round(expansion.target_titles, 2),
                "target_shoot_days": round(expansion.target_shoot_days, 2),
                "baseline_titles": round(expansion.baseline_titles, 2),
                "baseline_shoot_days": round(expansion.baseline_shoot_days, 2),
                "reachable_titles": expansion.reachable_titles,
                "reachable_shoot_days": expansion.reachable_shoot_days,
                "met": expansion.met,
                "proven": expansion.proven,
                "status": expansion.status_text,
                "total_cost": expansion.total_cost,
                "steps": [_step_json(step) for step in expansion.steps],
                "sentences": self.expansion_sentences(),
            },
            "budget": None
            if budget is None
            else {
                "budget": budget.budget,
                "cost": budget.cost,
                "titles": round(budget.titles, 2),
                "baseline_titles": round(budget.baseline_titles, 2),
                "proven": budget.proven,
                "status": budget.status_text,
                "steps": [_step_json(step) for step in budget.steps],
                "sentences": self.budget_sentences(),
            },
            "idle": [
                {
                    "base_id": c.base_id,
                    "set_type": c.set_type,
                    "week": week_label(s, c.bucket),
                    "open_set_days": c.open_days,
                    "unusable": c.unusable,
                    "sellable": c.sellable,
                }
                for c in a.idle
            ],
            "sellable_together": a.sellable_together,
            "sellable_each_base_alone": a.sellable_alone,
            "sellable_by_base": {
                base_id: sellable for base_id, (_, _, sellable) in _idle_by_base(a).items()
            },
        }

    def text(self) -> str:
        """The report as the command line prints it."""
        parts = ["【产能上界】", *self.headline(), "", "【每周产能】"]
        parts += [
            f"{row['周']}：开放棚日 {row['开放棚日']}，剧组可拍日 {row['剧组可拍日']}，"
            f"需求 {row['需求拍摄日']}，上界拍摄 {row['上界拍摄日']}（日均 {row['日均并行']} 场）"
            for row in self.loads_frame().to_dict("records")
        ]
        parts += ["", "【瓶颈】"]
        parts += self.bottleneck_sentences() or ["没有约束卡住：上界等于全部剧目"]
        parts += ["", "【追加一个会怎样】", *self.gain_sentences()]
        parts += ["", "【达标所需最省追加】", *self.expansion_sentences()]
        if self.answer.budget is not None:
            parts += ["", "【按预算】", *self.budget_sentences()]
        parts += ["", "【上界可让出（棚日）】", self.sellable_sentence()]
        for row in self.sellable_by_base().to_dict("records"):
            parts.append(
                f"{row['基地']}：开放 {row['开放棚日']}，上界可让出 {row['上界可让出']}"
                f"（{figures.percent(row['上界可让出占比'])}），其中无人需要 {row['无需求闲置']}"
            )
        seconds = self.answer.seconds.get("total", 0.0)
        size = f"{self.answer.columns} 列 × {self.answer.rows} 行"
        parts += ["", f"容量模型 {size}，{self.answer.solver}，{seconds:.1f} 秒"]
        return "\n".join(parts)


def _step_json(step: Step) -> dict[str, Any]:
    return {
        "candidate": step.candidate.key,
        "count": step.count,
        "cost": step.cost,
        "titles_after": round(step.titles_after, 2),
        "shoot_days_after": round(step.shoot_days_after, 2),
    }


def _idle_by_base(answer: CapacityAnswer) -> dict[str, tuple[int, int, int]]:
    """Per base id, in id order: open, unusable and sellable set-days summed over its cells."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for cell in answer.idle:
        row = totals[cell.base_id]
        row[0] += cell.open_days
        row[1] += cell.unusable
        row[2] += cell.sellable
    return {base_id: (a, b, c) for base_id, (a, b, c) in sorted(totals.items())}


def capacity_report(
    scenario: Scenario,
    *,
    candidates: Sequence[Candidate] | None = None,
    target_titles_per_month: float | None = None,
    target_parallel_shoots: float | None = None,
    budget: int | None = None,
    plan_priority: int | None = None,
    bucket_days: int = WEEK,
    solver: CapacitySolver | None = None,
) -> CapacityReport:
    """Ask the capacity planner every question of ``scenario`` and word the answers.

    ``solver`` defaults to HiGHS when highspy is installed, else CBC.
    """
    if solver is None:
        solver = _default_solver()
    answer = plan_capacity(
        scenario,
        candidates=default_candidates(scenario) if candidates is None else candidates,
        target_titles_per_month=target_titles_per_month,
        target_parallel_shoots=target_parallel_shoots,
        budget=budget,
        bucket_days=bucket_days,
        solver=solver,
    )
    return CapacityReport(scenario, answer, plan_priority)


def _default_solver() -> CapacitySolver:
    import pulp

    return "highs" if pulp.HiGHS().available() else "cbc"
