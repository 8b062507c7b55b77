"""What an account may see of a plan: the one place that decides it (issue 17).

A base manager (基地负责人) sees which titles and crews book the sets of their own bases
only (:func:`scheduler.domain.accounts.sees_base`). At every other base a set-day reads
booked or free — :data:`HIDDEN_BOOKING` or empty — with no title, crew or cast. Every other
role sees every base. The base, utilisation and export pages and their downloads take what
they show of a plan's bookings from here:

- :func:`visible_bases` — the bases whose bookings the account sees (the base picker);
- :func:`base_grid` and :func:`booking_sheet` — one base's sets by day, names left out
  where the account may not see them;
- :func:`booking_workbook` — booking sheets of the account's own bases, refused for others;
- :func:`crew_utilisation` — crews that shoot at the account's bases only;
- :func:`whole_plan_only` — a file that spans every base (plan.csv, crew schedules, call
  sheets, the actors' DOOD), refused unless the account sees every base of the plan.

A refusal is a :class:`HiddenBookingsError`, a
:class:`~scheduler.services.accounts.NotPermittedError`: made inside
:func:`~scheduler.services.accounts.acting`, it leaves a failed audit row. Streamlit-free.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import pandas as pd

from scheduler.app import exports
from scheduler.app import utilisation as u
from scheduler.domain.accounts import Account, Action, sees_base
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.services.accounts import NotPermittedError

__all__ = [
    "HIDDEN_BOOKING",
    "HiddenBookingsError",
    "base_grid",
    "booking_sheet",
    "booking_workbook",
    "crew_utilisation",
    "plan_bases",
    "sees_whole_plan",
    "visible_bases",
    "visible_crews",
    "whole_plan_only",
]

HIDDEN_BOOKING = "已订 booked"
"""A booked set-day of a base whose bookings the account may not see."""

NAME_COLUMNS = ("title_id", "title", "crew_id", "crew", "cast")
"""The columns of :func:`scheduler.app.utilisation.base_grid` that say who books a set-day."""

Made = TypeVar("Made")


class HiddenBookingsError(NotPermittedError):
    """The account may not see who books some base the file or table would show."""

    def __init__(self, account: Account, what: str) -> None:
        super().__init__(account, Action.DOWNLOAD)
        own = "、".join(account.bases) or "—"
        self.args = (
            f"无权限：{account.role.label} {account.name} 只能看自己基地（{own}）的预订，"
            f"不能取得{what} / not permitted: {account.name} sees the bookings of "
            f"{own} only, not {what}",
        )


def visible_bases(account: Account, scenario: Scenario) -> tuple[str, ...]:
    """The scenario's bases whose bookings ``account`` may see, in file order."""
    return tuple(b.base_id for b in scenario.bases if sees_base(account, b.base_id))


def plan_bases(scenario: Scenario, plan: Plan) -> tuple[str, ...]:
    """Every base the scenario or the plan names: the scenario's in file order, then any
    base only an older plan still books."""
    named = [b.base_id for b in scenario.bases]
    return tuple(dict.fromkeys([*named, *(shoot.base_id for shoot in plan.shoots)]))


def sees_whole_plan(account: Account, scenario: Scenario, plan: Plan) -> bool:
    """Whether ``account`` may see who books every base of the plan (all but base managers)."""
    return all(sees_base(account, base_id) for base_id in plan_bases(scenario, plan))


def visible_crews(account: Account, scenario: Scenario, plan: Plan) -> frozenset[str]:
    """The crews ``account`` may see by name: every crew when it sees the whole plan, else
    those with a shoot at one of its bases."""
    if sees_whole_plan(account, scenario, plan):
        return frozenset(crew.crew_id for crew in scenario.crews) | {
            shoot.crew_id for shoot in plan.shoots
        }
    return frozenset(shoot.crew_id for shoot in plan.shoots if sees_base(account, shoot.base_id))


def base_grid(account: Account, scenario: Scenario, plan: Plan, base_id: str) -> pd.DataFrame:
    """:func:`scheduler.app.utilisation.base_grid` of ``base_id`` as ``account`` may see it:
    at a base not its own, a booked set-day keeps its state and loses title, crew and cast."""
    grid = u.base_grid(scenario, plan, base_id)
    if sees_base(account, base_id):
        return grid
    return grid.assign(**dict.fromkeys(NAME_COLUMNS, ""))


def booking_sheet(account: Account, scenario: Scenario, plan: Plan, base_id: str) -> pd.DataFrame:
    """:func:`scheduler.app.exports.booking_sheet` of ``base_id`` as ``account`` may see it:
    at a base not its own, a booked cell reads :data:`HIDDEN_BOOKING` instead of title / crew."""
    sheet = exports.booking_sheet(scenario, plan, base_id)
    if sees_base(account, base_id):
        return sheet
    days = [column for column in sheet.columns if column not in exports.BOOKING_INDEX_COLUMNS]
    for column in days:
        cells = sheet[column]
        booked = (cells != "") & (cells != exports.CLOSED_CELL)
        sheet[column] = cells.where(~booked, HIDDEN_BOOKING)
    return sheet


def booking_workbook(
    account: Account,
    scenario: Scenario,
    plan: Plan,
    base_ids: Sequence[str] = (),
    plan_id: int | None = None,
) -> bytes:
    """:func:`scheduler.app.exports.booking_workbook` of ``base_ids`` — by default every base
    ``account`` may see.

    Raises
    ------
    HiddenBookingsError
        One of ``base_ids`` is a base whose bookings ``account`` may not see, or it sees none.
    """
    hidden = [base_id for base_id in base_ids if not sees_base(account, base_id)]
    if hidden:
        raise HiddenBookingsError(account, f"基地 {'、'.join(hidden)} 的排期表 booking sheets")
    chosen = list(base_ids) or list(visible_bases(account, scenario))
    if not chosen:
        raise HiddenBookingsError(account, "其他基地的排期表 other bases' booking sheets")
    return exports.booking_workbook(scenario, plan, chosen, plan_id)


def crew_utilisation(
    account: Account, scenario: Scenario, plan: Plan, kpis: Mapping[str, Any]
) -> pd.DataFrame:
    """:func:`scheduler.app.utilisation.crew_utilisation_frame`, only the crews ``account``
    may see (:func:`visible_crews`)."""
    frame = u.crew_utilisation_frame(kpis, scenario)
    if sees_whole_plan(account, scenario, plan):
        return frame
    seen = visible_crews(account, scenario, plan)
    return frame[frame["crew_id"].isin(seen)].reset_index(drop=True)


def whole_plan_only(
    account: Account, scenario: Scenario, plan: Plan, what: str, make: Callable[[], Made]
) -> Callable[[], Made]:
    """``make`` checked first: the file ``what`` spans every base, so it is made only for an
    account that sees the whole plan (:func:`sees_whole_plan`).

    The returned callable raises :class:`HiddenBookingsError` for any other account,
    before ``make`` runs.
    """

    def checked() -> Made:
        if not sees_whole_plan(account, scenario, plan):
            raise HiddenBookingsError(account, what)
        return make()

    return checked
