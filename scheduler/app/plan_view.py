"""What the 排期 Plan page says about the plans it shows, kept free of Streamlit.

A stored plan is named by how it was made (全新排期 fresh, 修改 revised, 插单 fitted), the
scenario version it was made for and when (:func:`plan_name`); the page warns when the
plan shown was made for another version than the current one (:func:`stale_plan_warning`);
its messages belong to one plan and show only with it (:class:`PlanMessage`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from scheduler.domain.local_time import display_timezone

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
