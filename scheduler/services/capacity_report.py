"""The capacity report: the capacity planner's answers in a base manager's words.

:func:`capacity_report` asks :func:`solver.capacity.questions.plan_capacity`
every question and turns the answers into Chinese sentences, tables for the
app and a JSON document for ``python -m scheduler capacity``. Candidate
additions come from the scenario (with buy-outs of binding actors' days off) or a
``candidates.csv`` the user edits: see :mod:`scheduler.services.candidates`.

Idle set-days are said two ways, each under its own label (:data:`PLAN_FREE_LABEL`,
:data:`BOUND_SELLABLE_LABEL`, and :data:`IDLE_DIFFERENCE` says how they differ): what
a base can rent out without breaking the current plan (a fact of a stored plan,
:func:`plan_free_set_days`), and what the capacity bound allows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from scheduler.domain import figures
from scheduler.domain.model import Scenario
from scheduler.domain.money import format_cny
from scheduler.domain.plan import Plan
from scheduler.domain.variations import rush_order
from scheduler.services.candidates import default_solver, suggested_candidates
from solver.capacity.lp import ROUNDING_SLACK, CapacitySolver
from solver.capacity.model import WEEK, Bucket, Candidate
from solver.capacity.questions import (
    Binding,
    BindingActor,
    CandidateGain,
    CapacityAnswer,
    RushAnswer,
    Step,
    plan_capacity,
)

GAIN_SHOWN = 0.05
"""Gains below this many titles a month are reported as none."""

PLAN_FREE = "不影响现排期可出租"
BOUND_SELLABLE = "产能上界允许出租"
PLAN_FREE_LABEL = f"{PLAN_FREE} sellable without breaking the current plan"
BOUND_SELLABLE_LABEL = f"{BOUND_SELLABLE} sellable as the capacity bound allows"
IDLE_DIFFERENCE = (
    f"「{PLAN_FREE}」是当前方案没订、也没停用的棚日，租出去现排期一场不动；"
    f"「{BOUND_SELLABLE}」是租出去后产能上界（任何排期能排进的最高优先级）不降的棚日，"
    "可能要重排正用着它们的剧目，而当前方案空着的棚日里也可能有上界要用来多排剧目的。"
    " / Sellable without breaking the current plan: set-days the plan leaves open and "
    "unbooked, renting them moves no shoot. Sellable as the capacity bound allows: renting "
    "them keeps the bound on priority, but may need titles re-planned."
)
"""One line on how the two idle figures differ, for every place that shows both."""

ACTORS_LISTED = 8
"""Binding actors named one by one; the rest are counted."""


def whole_titles(value: float | None) -> int:
    """An LP's titles rounded down, as a bound says them (22.5 → at most 22)."""
    return max(0, math.floor((value or 0.0) + ROUNDING_SLACK))


def plan_free_set_days(
    scenario: Scenario, plan: Plan, buckets: Sequence[Bucket]
) -> dict[tuple[str, str, int], int]:
    """Set-days the plan leaves free, by (base, set type, bucket index).

    A set-day is free when the set (and its base) is open that day and no shoot of
    the plan uses it: renting it out breaks nothing in the plan. Shoots off the
    horizon or at sets the scenario lacks are not counted; a bucket listed twice
    counts once.
    """
    booked = {
        (shoot.set_id, scenario.day_index(shoot.date))
        for shoot in plan.shoots
        if shoot.set_id in scenario.set_by_id
    }
    free: dict[tuple[str, str, int], int] = defaultdict(int)
    once = {bucket.index: bucket for bucket in buckets}.values()
    for film_set in scenario.sets:
        closed = scenario.unavailable_days("set", film_set.set_id)
        for bucket in once:
            free[(film_set.base_id, film_set.set_type, bucket.index)] += sum(
                1 for d in bucket.days if d not in closed and (film_set.set_id, d) not in booked
            )
    return dict(free)


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
        away = sum(
            1
            for d in scenario.unavailable_days("actor", actor_id)
            if meaning.first <= d <= meaning.last
        )
        remedy = (
            f"这段时间有 {away} 天停用，可买断档期"
            if away
            else "这段时间没有停用日，买不到档期：只能换角、放宽交期或少接他/她的戏"
        )
        return (
            f"{days}：演员 {name} 的档期排满，他/她的剧目加起来超过可拍天数"
            f"（{worth.format(unit='档期日')}；{remedy}）"
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


def actor_names(scenario: Scenario) -> dict[str, str]:
    """Actor id → name, for candidates' labels."""
    return {a.actor_id: a.name for a in scenario.actors}


def gain_sentence(scenario: Scenario, gain: CandidateGain, base_names: Mapping[str, str]) -> str:
    """``再加 1 个 B03 … 医院 棚（¥3,000/天），每月约多拍 4.0 部``; for actor days
    ``再买 1 天 买断演员档期 邵强宇（A012）（¥11,000/天），…``."""
    candidate = gain.candidate
    value = gain.gain if gain.gain is not None else gain.estimate
    monthly = per_month(scenario, value)
    what = candidate.label(base_names, actor_names(scenario))
    price = f"{format_cny(candidate.day_rate)}/天"
    one = "再买 1 天" if candidate.kind == "actor" else "再加 1 个"
    if monthly < GAIN_SHOWN:
        return f"{one} {what}（{price}）：不会多拍（瓶颈不在这里）"
    how = "约" if gain.gain is not None else "最多约"
    return f"{one} {what}（{price}），每月{how}多拍 {monthly:.1f} 部"


@dataclass(frozen=True)
class CapacityReport:
    """The capacity planner's answers for one scenario, ready to print, save or draw."""

    scenario: Scenario
    answer: CapacityAnswer
    plan_priority: int | None = None
    plan_free: Mapping[tuple[str, str, int], int] | None = None
    """Set-days the compared plan leaves free by (base, set type, bucket index)
    (:func:`plan_free_set_days`); ``None`` without a plan to compare."""

    @property
    def base_names(self) -> dict[str, str]:
        return {b.base_id: b.name for b in self.scenario.bases}

    def with_plan(self, plan: Plan | None, priority: int | None) -> CapacityReport:
        """The report compared with a stored plan of the same scenario (``None``: none)."""
        if plan is None:
            return replace(self, plan_priority=priority, plan_free=None)
        buckets = sorted({c.bucket for c in self.answer.idle}, key=lambda b: b.index)
        free = plan_free_set_days(self.scenario, plan, buckets)
        return replace(self, plan_priority=priority, plan_free=free)

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
            kinds = "棚、剧组或演员档期" if self._buys_actor_days else "棚或剧组"
            return [
                f"单独再加任何一个候选{kinds}都不会多拍：瓶颈在上面列出的演员档期、交期或订单量"
            ]
        return [gain_sentence(s, g, self.base_names) for g in useful]

    @property
    def _buys_actor_days(self) -> bool:
        return any(c.kind == "actor" for c in self.answer.candidates)

    def actor_day_sentences(self) -> list[str]:
        """The binding actors: whose days off can be bought out, and who has none to buy."""
        a = self.answer
        if not a.binding_actors:
            return []
        offered = {c.actor_id: c for c in a.candidates if c.kind == "actor"}
        lines = []
        for binding in a.binding_actors[:ACTORS_LISTED]:
            lines.append(self._actor_day_sentence(binding, offered.get(binding.actor_id)))
        if len(a.binding_actors) > ACTORS_LISTED:
            lines.append(f"另有 {len(a.binding_actors) - ACTORS_LISTED} 位演员的档期也卡住")
        return lines

    def _actor_day_sentence(self, binding: BindingActor, offered: Candidate | None) -> str:
        actor = self.scenario.actor_by_id.get(binding.actor_id)
        who = f"演员 {actor.name}（{binding.actor_id}）" if actor else f"演员 {binding.actor_id}"
        worth = f"每多 1 天约可多拍 {binding.value:.2f} 部"
        if offered is not None and offered.max_count > 0:
            return (
                f"{who}：停用 {binding.days_to_buy} 天，已列为候选「买断演员档期」"
                f"（{format_cny(offered.day_rate)}/天，最多 {offered.max_count} 天；{worth}）"
            )
        if binding.days_to_buy:
            return (
                f"{who}：停用 {binding.days_to_buy} 天，可在候选追加里加一行「演员档期」买断"
                f"（{worth}）"
            )
        return (
            f"{who}：整个排期都没有停用日，没有档期可买断——他/她的剧目加起来超过可拍天数，"
            "加钱也买不到；只能换角、放宽交期或少接他/她的戏"
        )

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

    def step_label(self, step: Step) -> str:
        """``B03 … · 医院 棚 ×2`` or ``买断演员档期 邵强宇（A012） 3 天``."""
        label = step.candidate.label(self.base_names, actor_names(self.scenario))
        if step.candidate.kind == "actor":
            return f"{label} {step.count} 天"
        return f"{label} ×{step.count}"

    def step_sentence(self, number: int, step: Step) -> str:
        s = self.scenario
        return (
            f"{number}. {self.step_label(step)}"
            f"（{format_cny(step.cost)}）→ "
            f"每月 {figures.titles(per_month(s, step.titles_after))}、"
            f"日均 {step.shoot_days_after / s.days:.1f} 场"
        )

    def rush_sentences(self) -> list[str]:
        """What it takes to shoot the rush order too, as a head of production reads it."""
        r = self.answer.rush
        if r is None:
            return []
        lines = [
            f"急单 {r.count} 部（{_id_span(r.title_ids)}，照现有剧目生成）："
            f"不减少原有剧目（产能上界 {whole_titles(r.baseline_titles)} 部）的前提下，"
            f"现有产能最多还能再接 {whole_titles(r.fit_now)} 部"
        ]
        if r.met and not r.steps:
            return [*lines, "现有产能已能接下全部急单，无需追加"]
        for number, step in enumerate(r.steps, start=1):
            lines.append(
                f"{number}. {self.step_label(step)}（{format_cny(step.cost)}）→ "
                f"最多可接急单 {whole_titles(step.titles_after)} 部"
            )
        if r.steps:
            lines.append(f"合计追加费用 {format_cny(r.total_cost)}")
        if not r.met and not self.answer.candidates:
            lines.append("没有候选追加可选：再多的急单排不进")
        elif not r.met:
            lines.append(
                f"即使加满所有候选，最多也只能接 {whole_titles(r.reachable)} 部急单："
                "其余的靠这些候选追加排不进"
            )
        if not r.proven:
            lines.append(f"（求解器未证明费用最低：{r.status_text}）")
        return lines

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
        """What the per-base bound figures mean, and what all bases can sell at once."""
        a = self.answer
        together = f"所有基地同时出租，合计最多 {a.sellable_together:,} 棚日"
        if a.sellable_alone:
            return (
                f"每个基地的「{BOUND_SELLABLE}」是它单独出租（其他基地不出租）时"
                "不降低优先级上界的棚日（按容量上界，不是当前方案：出租后可能需要重排）；"
                f"{together}"
            )
        return (
            f"基地较多，每个基地的「{BOUND_SELLABLE}」是{together}时分到它的份额"
            "（按容量上界，不是当前方案：出租后可能需要重排）"
        )

    @property
    def plan_free_total(self) -> int | None:
        """Set-days the compared plan leaves free, all bases; ``None`` without a plan."""
        return None if self.plan_free is None else sum(self.plan_free.values())

    # tables ------------------------------------------------------------------------

    def idle_frame(self) -> pd.DataFrame:
        """Idle set-days by base × set type × week (Chinese headers); with a compared
        plan also what it leaves free (:data:`PLAN_FREE`)."""
        free = self.plan_free
        rows = [
            {
                "基地": f"{c.base_id} {self.base_names.get(c.base_id, '')}",
                "场景类型": c.set_type,
                "周": week_label(self.scenario, c.bucket),
                "开放棚日": c.open_days,
                "无需求闲置": c.unusable,
                PLAN_FREE: None
                if free is None
                else free.get((c.base_id, c.set_type, c.bucket.index), 0),
                BOUND_SELLABLE: c.sellable,
            }
            for c in self.answer.idle
        ]
        columns = ["基地", "场景类型", "周", "开放棚日", "无需求闲置", PLAN_FREE, BOUND_SELLABLE]
        if free is None:
            columns.remove(PLAN_FREE)
        return pd.DataFrame(rows, columns=columns)

    def sellable_by_base(self) -> pd.DataFrame:
        """Per base: open set-days, set-days nobody can use, what the compared plan leaves
        free (only with a plan) and what the bound allows to sell."""
        totals = _idle_by_base(self.answer)
        free_by_base: dict[str, int] = defaultdict(int)
        for (base_id, _, _), days in (self.plan_free or {}).items():
            free_by_base[base_id] += days
        rows = [
            {
                "基地": f"{base_id} {self.base_names.get(base_id, '')}",
                "开放棚日": open_days,
                "无需求闲置": unusable,
                PLAN_FREE: free_by_base.get(base_id, 0),
                BOUND_SELLABLE: sellable,
                f"{BOUND_SELLABLE}占比": sellable / open_days if open_days else 0.0,
            }
            for base_id, (open_days, unusable, sellable) in totals.items()
        ]
        columns = [
            "基地",
            "开放棚日",
            "无需求闲置",
            PLAN_FREE,
            BOUND_SELLABLE,
            f"{BOUND_SELLABLE}占比",
        ]
        if self.plan_free is None:
            columns.remove(PLAN_FREE)
        return pd.DataFrame(rows, columns=columns)

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
                    "追加": step.candidate.label(self.base_names, actor_names(s)),
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
                    "追加": g.candidate.label(self.base_names, actor_names(s)),
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
            "binding_actors": [
                {
                    "actor_id": b.actor_id,
                    "titles_per_day": round(b.value, 4),
                    "days_to_buy": b.days_to_buy,
                }
                for b in a.binding_actors
            ],
            "actor_days": self.actor_day_sentences(),
            "rush": None if a.rush is None else _rush_json(a.rush, self.rush_sentences()),
            "idle_labels": {"plan_free": PLAN_FREE_LABEL, "sellable": BOUND_SELLABLE_LABEL},
            "idle": [
                {
                    "base_id": c.base_id,
                    "set_type": c.set_type,
                    "week": week_label(s, c.bucket),
                    "open_set_days": c.open_days,
                    "unusable": c.unusable,
                    "sellable": c.sellable,
                    "plan_free": None
                    if self.plan_free is None
                    else self.plan_free.get((c.base_id, c.set_type, c.bucket.index), 0),
                }
                for c in a.idle
            ],
            "sellable_together": a.sellable_together,
            "sellable_each_base_alone": a.sellable_alone,
            "sellable_by_base": {
                base_id: sellable for base_id, (_, _, sellable) in _idle_by_base(a).items()
            },
            "plan_free_together": self.plan_free_total,
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
        if self.answer.binding_actors:
            parts += ["", "【演员档期】", *self.actor_day_sentences()]
        parts += ["", "【追加一个会怎样】", *self.gain_sentences()]
        parts += ["", "【达标所需最省追加】", *self.expansion_sentences()]
        if self.answer.budget is not None:
            parts += ["", "【按预算】", *self.budget_sentences()]
        if self.answer.rush is not None:
            parts += ["", "【急单】", *self.rush_sentences()]
        parts += ["", "【闲置棚日可出租】", IDLE_DIFFERENCE, self.sellable_sentence()]
        if self.plan_free is None:
            parts.append(f"（「{PLAN_FREE}」要对照一个方案：加 --plan 方案文件夹）")
        for row in self.sellable_by_base().to_dict("records"):
            plan = "" if self.plan_free is None else f"{PLAN_FREE} {row[PLAN_FREE]}，"
            parts.append(
                f"{row['基地']}：开放 {row['开放棚日']}，{plan}"
                f"{BOUND_SELLABLE} {row[BOUND_SELLABLE]}"
                f"（{figures.percent(row[f'{BOUND_SELLABLE}占比'])}），"
                f"其中无人需要 {row['无需求闲置']}"
            )
        seconds = self.answer.seconds.get("total", 0.0)
        size = f"{self.answer.columns} 列 × {self.answer.rows} 行"
        parts += ["", f"容量模型 {size}，{self.answer.solver}，{seconds:.1f} 秒"]
        return "\n".join(parts)


def _id_span(ids: Sequence[str]) -> str:
    """``R001–R030``, or the one id."""
    if not ids:
        return ""
    return ids[0] if len(ids) == 1 else f"{ids[0]}–{ids[-1]}"


def _rush_json(rush: RushAnswer, sentences: list[str]) -> dict[str, Any]:
    return {
        "count": rush.count,
        "title_ids": list(rush.title_ids),
        "baseline_titles": round(rush.baseline_titles, 2),
        "fit_now": round(rush.fit_now, 2),
        "reachable": None if rush.reachable is None else round(rush.reachable, 2),
        "met": rush.met,
        "proven": rush.proven,
        "status": rush.status_text,
        "total_cost": rush.total_cost,
        "steps": [_step_json(step) for step in rush.steps],
        "sentences": sentences,
    }


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
    rush_titles: int = 0,
    plan: Plan | None = None,
) -> CapacityReport:
    """Ask the capacity planner every question of ``scenario`` and word the answers.

    ``candidates`` default to :func:`~scheduler.services.candidates.suggested_candidates`
    (sets, crews, and buy-outs of binding actors' days off). ``rush_titles``: also ask
    what it takes to shoot a rush order of that many titles
    (:func:`scheduler.domain.variations.rush_order`, seed 0). ``plan``: a stored plan of
    the scenario, whose free set-days are reported beside the bound's.
    ``solver`` defaults to HiGHS when highspy is installed, else CBC.
    """
    if solver is None:
        solver = default_solver()
    if candidates is None:
        candidates = suggested_candidates(scenario, solver=solver).candidates
    answer = plan_capacity(
        scenario,
        candidates=candidates,
        target_titles_per_month=target_titles_per_month,
        target_parallel_shoots=target_parallel_shoots,
        budget=budget,
        rush=rush_order(scenario, rush_titles) if rush_titles else (),
        bucket_days=bucket_days,
        solver=solver,
    )
    report = CapacityReport(scenario, answer, plan_priority)
    return report if plan is None else report.with_plan(plan, plan_priority)
