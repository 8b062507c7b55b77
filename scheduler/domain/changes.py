"""The change list (变更单): what a re-plan changed against the earlier plan, and why.

A row per title whose day, crew or base changed, that was dropped or newly
scheduled, ready to send to crews and bases. A set change inside one base is
not a change (the base's pool of that set type is booked cheapest first).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from scheduler.domain.plan import Plan, Shoot

CHANGE_COLUMNS = ("title_id", "what", "before", "after", "why")
"""Columns of changes.csv."""


@dataclass(frozen=True)
class Change:
    """One changed title: what changed, before → after, and why (Chinese first)."""

    title_id: str
    what: str
    before: str
    after: str
    why: str


def published_titles(plan: Plan, until: date | None) -> frozenset[str]:
    """Titles of ``plan`` with a shoot on or before ``until`` (none without a date)."""
    if until is None:
        return frozenset()
    return frozenset(s.title_id for s in plan.shoots if s.date <= until)


def _shoot_text(shoots: tuple[Shoot, ...]) -> str:
    """``12-05–12-07 B03 C12``: the days, base and crew of one title's shoots."""
    first, last = shoots[0].date, shoots[-1].date
    days = f"{first:%m-%d}" if first == last else f"{first:%m-%d}–{last:%m-%d}"
    bases = "/".join(sorted({s.base_id for s in shoots}))
    crews = "/".join(sorted({s.crew_id for s in shoots}))
    return f"{days} {bases} {crews}"


def _key(shoots: tuple[Shoot, ...]) -> tuple[object, ...]:
    return (
        tuple(s.date for s in shoots),
        {s.base_id for s in shoots},
        {s.crew_id for s in shoots},
    )


def change_list(
    before: Plan,
    after: Plan,
    broken: Mapping[str, str],
    published: frozenset[str] = frozenset(),
) -> list[Change]:
    """Every title ``after`` schedules differently from ``before``, in title order.

    ``broken`` gives the titles of ``before`` that no longer kept every rule and
    why; ``published`` the titles whose shoots were published: a change to one of
    them is marked as needing approval (需审批).
    """
    gained = sorted(
        t for t in after.scheduled_title_ids if t not in before.scheduled_title_ids or t in broken
    )
    gained_text = "、".join(gained)
    changes: list[Change] = []
    for title_id in sorted(before.scheduled_title_ids | after.scheduled_title_ids):
        old, new = before.shoots_of(title_id), after.shoots_of(title_id)
        if old and new and _key(old) == _key(new):
            continue
        what = _what(old, new)
        if title_id in broken:
            why = f"原安排不再可行：{broken[title_id]}"
            if not new:
                why += f"；未能重新排入：{after.unscheduled.get(title_id, '')}"
        elif not old:
            why = "新排入（此前未排）"
        elif gained:
            why = f"调整以排入或保住 {gained_text}"
        else:
            why = "调整排期"
        if title_id in published:
            why = f"已发布，需审批：{why}"
        before_text = _shoot_text(old) if old else "未排 unscheduled"
        after_text = _shoot_text(new) if new else "未排 unscheduled"
        changes.append(Change(title_id, what, before_text, after_text, why))
    return changes


def _what(old: tuple[Shoot, ...], new: tuple[Shoot, ...]) -> str:
    """What changed, in the producer's words: 日期、剧组、基地, or 取消排期 / 新排入."""
    if not new:
        return "取消排期 dropped"
    if not old:
        return "新排入 added"
    parts = []
    if tuple(s.date for s in old) != tuple(s.date for s in new):
        parts.append("日期 days")
    if {s.crew_id for s in old} != {s.crew_id for s in new}:
        parts.append("剧组 crew")
    if {s.base_id for s in old} != {s.base_id for s in new}:
        parts.append("基地 base")
    return "、".join(parts)
