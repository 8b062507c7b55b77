"""What the 排期 Plan page says about the plans it shows, kept free of Streamlit.

A stored plan is named by how it was made (全新排期 fresh, 修改 revised, 插单 fitted), the
scenario version it was made for and when (:func:`plan_name`); the page warns when the
plan shown was made for another version than the current one (:func:`stale_plan_warning`);
its messages belong to one plan and show only with it (:class:`PlanMessage`). The
publish control says what was published last (:func:`publication_line`); a re-plan
from the page revises around it (:func:`revision_inputs`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from scheduler.domain.local_time import display_timezone
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.services.publishing import Publication, latest_publication, revision_reference
from scheduler.storage import PublicationInfo, ScenarioStore

PlanMode = Literal["fresh", "revised", "fitted"]

MODE_WORDS: dict[PlanMode, str] = {
    "fresh": "全新排期 fresh",
    "revised": "修改 revised",
    "fitted": "插单 fitted",
}
"""How a plan was made, Chinese first, as its name begins."""


def plan_name(
    mode: PlanMode,
    scenario_version: int | None,
    made_at: datetime,
    time_limit: float,
    *,
    stopped: bool = False,
) -> str:
    """A stored plan's name: ``修改 revised · 场景 v3 · 12-03 09:14 · 30s``.

    ``made_at`` is shown in the display time zone (Beijing time unless set otherwise);
    a solve stopped by the user says so at the end.
    """
    parts = [MODE_WORDS[mode]]
    if scenario_version is not None:
        parts.append(f"场景 v{scenario_version}")
    parts.append(f"{made_at.astimezone(display_timezone()):%m-%d %H:%M}")
    parts.append(f"{time_limit:g}s")
    if stopped:
        parts.append("已停止 stopped")
    return " · ".join(parts)


def solve_detail(reference_id: int | None, time_limit: float) -> str:
    """What a solve's audit row says about it: ``修改 revised 方案 #3 · 30s``."""
    mode = (
        MODE_WORDS["fresh"]
        if reference_id is None
        else f"{MODE_WORDS['revised']} 方案 #{reference_id}"
    )
    return f"{mode} · {time_limit:g}s"


def stale_plan_warning(plan_version: int, current_version: int) -> str | None:
    """The warning for a plan made for another scenario version than the current one."""
    if plan_version == current_version:
        return None
    return (
        f"此方案是按场景版本 v{plan_version} 排出的，当前场景已是 v{current_version}："
        "其后的修改（如请假、锁定）没有算进去。请重新排期，或选「在已有方案上修改」。"
        f" / This plan was made for scenario version {plan_version}; the scenario is now at "
        f"version {current_version}, and the changes since are not in it. Plan again, or "
        "revise this plan."
    )


@dataclass(frozen=True)
class PlanMessage:
    """A message about one stored plan (saved, pinned…), shown only while that plan is."""

    plan_id: int
    text: str

    def for_plan(self, plan_id: int) -> str | None:
        """The text if ``plan_id`` is the plan this message belongs to, else None."""
        return self.text if plan_id == self.plan_id else None


def saved_message(plan_id: int) -> PlanMessage:
    """The message for a solve's plan once stored."""
    return PlanMessage(
        plan_id, f"排期完成，已保存为方案 #{plan_id} / done, saved as plan #{plan_id}"
    )


# -- publishing --------------------------------------------------------------------

PUBLISH_WEEK = 7
"""Days from the start that the publish date offers first: the first week."""


def publication_line(info: PublicationInfo) -> str:
    """``已发布至 12-07 · 方案 #3 · 由 张三 于 12-03 09:14 发布 · 4 部剧``."""
    plan = "原方案已删除" if info.plan_id is None else f"方案 #{info.plan_id}"
    when = f"{info.published_at.astimezone(display_timezone()):%m-%d %H:%M}"
    return (
        f"已发布至 {info.until:%m-%d} · {plan} · 由 {info.published_by} 于 {when} 发布 · "
        f"{info.title_count} 部剧"
    )


def default_until(scenario: Scenario, publication: Publication | None) -> date:
    """The publish date offered: the last publication's, else the end of the first week."""
    if publication is not None:
        return publication.info.until
    return min(scenario.end_date, scenario.start_date + timedelta(days=PUBLISH_WEEK - 1))


def published_message(info: PublicationInfo) -> PlanMessage:
    """The message, shown with the published plan, once a plan is published."""
    assert info.plan_id is not None  # just published from it
    return PlanMessage(
        info.plan_id,
        f"已发布至 {info.until:%m-%d}：{info.title_count} 部剧、{info.shoot_count} 个拍摄日 "
        f"/ published until {info.until:%m-%d}: {info.title_count} title(s)",
    )


def afresh_warning(publication: Publication | None) -> str | None:
    """Said under 全部重排 when something is published: a fresh plan does not keep it."""
    if publication is None:
        return None
    return (
        f"已发布至 {publication.info.until:%m-%d} 的 {publication.info.title_count} 部剧："
        "全部重排不会保留它们的安排；要保留，请选「在已有方案上修改」。"
        " / A fresh plan does not keep the published shoots: revise a plan to keep them."
    )


def revision_inputs(
    store: ScenarioStore, scenario_id: int, scenario: Scenario, plan: Plan
) -> tuple[Plan, frozenset[str]]:
    """What a re-plan of ``plan`` gets: the plan with the newest publication's shoots in it
    and the published titles (:func:`scheduler.services.publishing.revision_reference`)."""
    return revision_reference(scenario, plan, latest_publication(store, scenario_id))


BIG_PLAN_SHOOTS = 2_000
"""From this many shoots a plan's Gantt charts open on one base: a browser draws the ×10
plan's 5,400 shoots in 5–8 s per view, one base's in well under a second."""


def opening_bases(scenario: Scenario, plan: Plan) -> list[str]:
    """The bases the Gantt filter starts with: every base (none picked) for a plan a browser
    draws quickly, else the base with the most shoots, so a big plan is drawn base by base."""
    if len(plan.shoots) < BIG_PLAN_SHOOTS:
        return []
    busiest = Counter(shoot.base_id for shoot in plan.shoots).most_common(1)
    return [busiest[0][0]] if busiest and busiest[0][0] in scenario.base_by_id else []


def big_plan_note(scenario: Scenario, plan: Plan) -> str | None:
    """What the Gantt filter's opening base means for a big plan, else ``None``."""
    bases = opening_bases(scenario, plan)
    if not bases:
        return None
    base = scenario.base_by_id[bases[0]]
    return (
        f"方案较大（{len(plan.shoots):,} 场拍摄），甘特图先画拍摄最多的基地 "
        f"{base.name}（{base.base_id}）；在「基地」里加选，或清空看全部（浏览器绘制会慢一些）。"
        " A big plan opens on its busiest base; add bases or clear the filter to see all."
    )
