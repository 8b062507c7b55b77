"""Files taken out of ShootPlan — exports and downloads — made only for a role that may.

:func:`take_out` checks the role on the server first, then makes the file, leaving one
row in the audit trail that names it (failed, with no file made, when the role may not or
making it raises). ``export`` is for the scenario's own data and reports (the scenario
workbook, the audit trail, capacity, pooling and sweep files), ``download`` for sheets
made from a plan (call and booking sheets, the plan's tables, a change list). The app's
download buttons (:mod:`ui.downloads`) make their file through it when clicked.

>>> data = take_out(store, account, Action.EXPORT, lambda: xlsx_of(scenario),
...                 file_name="郑州.xlsx", scenario_id=3)                   # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from scheduler.domain.accounts import Account, Action, SignedIn, expired
from scheduler.services.accounts import acting, current_account
from scheduler.storage import ScenarioStore

__all__ = ["SessionEndedError", "take_out"]

Contents = bytes | str


class SessionEndedError(PermissionError):
    """The session a file was asked for in has expired, or its account is gone or disabled."""


def take_out(
    store: ScenarioStore,
    account: Account,
    action: Action,
    make: Callable[[], Contents],
    *,
    file_name: str,
    scenario_id: int | None = None,
    scenario_version: int | None = None,
    plan_id: int | None = None,
    session: SignedIn | None = None,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> Contents:
    """The file ``make()`` builds, made as ``account``'s ``action`` (export or download).

    The account is read again when the file is asked for (a button may have been drawn
    long before its click): its role as stored now decides, and a ``session`` that has
    expired since, or an account disabled or deleted since, gets no file.

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not take ``action``; ``make`` is never called.
    SessionEndedError
        The session expired, or the account is gone or disabled; ``make`` is never called.
    ValueError
        ``action`` is neither export nor download.
    """
    if action not in (Action.EXPORT, Action.DOWNLOAD):
        raise ValueError(f"a file is taken out by export or download, not {action.value}")
    now_account = current_account(store, account.name)
    with acting(
        store,
        account if now_account is None else now_account,
        action,
        scenario_id=scenario_id,
        scenario_version=scenario_version,
        plan_id=plan_id,
        detail=file_name,
    ):
        if now_account is None:
            raise SessionEndedError(
                "账号已停用或删除，已退出登录 / the account is disabled or deleted"
            )
        if session is not None and expired(session, now()):
            raise SessionEndedError("登录已过期，请重新登录 / the session has expired")
        return make()
