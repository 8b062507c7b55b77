"""What the 审计 Audit trail page shows, kept free of Streamlit so it can be tested.

The head (制片主管, whoever may :attr:`~scheduler.domain.accounts.Action.USERS`) reads the
trail filtered by :class:`AuditFilter` — user, action, succeeded or failed, and a range of
local dates (the store keeps UTC; a local day runs from its midnight in the display time
zone, :mod:`scheduler.domain.local_time`) — newest first, as :func:`audit_table`, and takes
the same rows out as CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese) or .xlsx.
Every text cell leaving the app is neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

import pandas as pd

from scheduler.app.exports import Sheet, safe_frame, sheets_workbook
from scheduler.domain.accounts import LOCAL_USER, Account, Action, may
from scheduler.domain.local_time import display_timezone
from scheduler.services.accounts import ACTION_LABELS
from scheduler.storage import AuditEvent, ScenarioStore

AUDIT_COLUMNS = (
    "时间 time",
    "用户 user",
    "操作 action",
    "结果 result",
    "场景 scenario",
    "版本 version",
    "方案 plan",
    "详情 detail",
)
SUCCEEDED = "成功 ok"
FAILED = "失败 failed"
DEFAULT_DAYS = 30
"""The page opens on the trail of the last this many days, today included."""

NOT_PERMITTED_NOTE = "只有制片主管可以查看审计记录 / only a head (制片主管) reads the audit trail"


class Outcome(Enum):
    """Which rows the 结果 result filter keeps."""

    ALL = "全部 all"
    OK = "仅成功 succeeded only"
    FAILED = "仅失败 failed only"


@dataclass(frozen=True)
class AuditFilter:
    """Which rows of the trail to show: ``None`` for any user, action or date bound.

    ``first_day`` and ``last_day`` are local dates, both included.
    """

    user: str | None = None
    action: Action | None = None
    outcome: Outcome = Outcome.ALL
    first_day: dt.date | None = None
    last_day: dt.date | None = None

    def keeps(self, event: AuditEvent) -> bool:
        """Whether ``event`` passes the user, action and outcome filters (dates aside)."""
        if self.user is not None and event.user_name != self.user:
            return False
        if self.action is not None and event.action is not self.action:
            return False
        if self.outcome is Outcome.OK:
            return event.ok
        if self.outcome is Outcome.FAILED:
            return not event.ok
        return True


def may_read(account: Account) -> bool:
    """Whether ``account`` may read the audit trail: who may manage users (the head)."""
    return may(account.role, Action.USERS)


def default_days(today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates the page opens on: the last :data:`DEFAULT_DAYS` days up to ``today``."""
    return today - dt.timedelta(days=DEFAULT_DAYS - 1), today


def day_start(day: dt.date) -> dt.datetime:
    """The moment the local ``day`` begins (its midnight in the display time zone)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=display_timezone())


def date_problems(chosen: AuditFilter) -> list[str]:
    """Why the filter's dates cannot be used, Chinese first; empty when they can."""
    if chosen.first_day and chosen.last_day and chosen.first_day > chosen.last_day:
        return [
            f"日期 dates: 开始 {chosen.first_day} 晚于结束 {chosen.last_day}"
            f" / the first day {chosen.first_day} is after the last day {chosen.last_day}"
        ]
    return []


def events_in_days(store: ScenarioStore, chosen: AuditFilter) -> list[AuditEvent]:
    """Every row of the filter's dates, whatever the other filters, oldest first."""
    since = None if chosen.first_day is None else day_start(chosen.first_day)
    until = None
    if chosen.last_day is not None:
        until = day_start(chosen.last_day + dt.timedelta(days=1))
    return store.audit_events(since=since, until=until)


def filtered(events: Iterable[AuditEvent], chosen: AuditFilter) -> list[AuditEvent]:
    """The rows ``chosen`` keeps, newest first."""
    kept = [event for event in events if chosen.keeps(event)]
    kept.sort(key=lambda event: (event.at, event.event_id), reverse=True)
    return kept


def audit_events(store: ScenarioStore, chosen: AuditFilter) -> list[AuditEvent]:
    """The rows of the trail ``chosen`` keeps, newest first."""
    return filtered(events_in_days(store, chosen), chosen)


def user_options(store: ScenarioStore, events: Iterable[AuditEvent]) -> list[str]:
    """Names to filter by: every account, the local user and every name in ``events``.

    The events' names include logins tried with names that have no account.
    """
    names = {stored.account.name for stored in store.list_accounts()}
    names.add(LOCAL_USER.name)
    names.update(event.user_name for event in events)
    return sorted(names)


def action_label(action: Action) -> str:
    """The action as the trail names it, Chinese first (``保存 save``)."""
    return ACTION_LABELS[action]


def scenario_label(scenario_id: int | None, names: Mapping[int, str]) -> str:
    """The scenario as a row names it: its name and id, or the id of a deleted one."""
    if scenario_id is None:
        return ""
    name = names.get(scenario_id)
    return f"#{scenario_id}（已删除 deleted）" if name is None else f"{name}（#{scenario_id}）"


def moment_text(moment: dt.datetime) -> str:
    """A row's time in the display time zone, to the second."""
    return f"{moment.astimezone(display_timezone()):%Y-%m-%d %H:%M:%S}"


def audit_table(events: Sequence[AuditEvent], names: Mapping[int, str]) -> pd.DataFrame:
    """The rows as the page and the exports show them, in the order given.

    ``names``: the stored scenarios' names by id (a deleted scenario shows its id only).
    Version and plan are empty (``None``) when the row names none.
    """
    rows = [
        (
            moment_text(event.at),
            event.user_name,
            action_label(event.action),
            SUCCEEDED if event.ok else FAILED,
            scenario_label(event.scenario_id, names),
            event.scenario_version,
            event.plan_id,
            event.detail,
        )
        for event in events
    ]
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS), dtype=object)


def on_screen(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the page shows it: a row naming no version or plan shows empty cells."""
    return table.astype(object).where(table.notna(), "")


def scenario_names(store: ScenarioStore) -> dict[int, str]:
    """The stored scenarios' names by id."""
    return {info.scenario_id: info.name for info in store.list()}


def audit_csv(table: pd.DataFrame) -> bytes:
    """``table`` as CSV in UTF-8 with a byte-order mark, every text cell formula-safe."""
    return safe_frame(table).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def audit_workbook(table: pd.DataFrame) -> bytes:
    """``table`` as an .xlsx of one sheet, ids as plain numbers, every text cell formula-safe."""
    plain = {"版本 version": "0", "方案 plan": "0"}
    return sheets_workbook([Sheet("审计 audit", table, formats=plain)])


def export_name(chosen: AuditFilter, extension: str, today: dt.date) -> str:
    """The export's file name: ``审计_FIRST_LAST.csv`` (``all`` for an open bound)."""
    first = chosen.first_day.isoformat() if chosen.first_day else "all"
    last = (chosen.last_day or today).isoformat()
    return f"审计_{first}_{last}.{extension}"


def export_rows(store: ScenarioStore, chosen: AuditFilter) -> pd.DataFrame:
    """The rows ``chosen`` keeps as they are when the export is made, newest first."""
    return audit_table(audit_events(store, chosen), scenario_names(store))


def export_csv(store: ScenarioStore, chosen: AuditFilter) -> bytes:
    """The CSV export of the rows ``chosen`` keeps (:func:`audit_csv`)."""
    return audit_csv(export_rows(store, chosen))


def export_workbook(store: ScenarioStore, chosen: AuditFilter) -> bytes:
    """The .xlsx export of the rows ``chosen`` keeps (:func:`audit_workbook`)."""
    return audit_workbook(export_rows(store, chosen))
