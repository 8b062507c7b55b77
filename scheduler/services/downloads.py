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

from collections.abc import Callable

from scheduler.domain.accounts import Account, Action
from scheduler.services.actions import acting_as
from scheduler.storage import ScenarioStore

__all__ = ["take_out"]

Contents = bytes | str


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
) -> Contents:
    """The file ``make()`` builds, made as ``account``'s ``action`` (export or download).

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not take ``action``; ``make`` is never called.
    ValueError
        ``action`` is neither export nor download.
    """
    if action not in (Action.EXPORT, Action.DOWNLOAD):
        raise ValueError(f"a file is taken out by export or download, not {action.value}")
    with acting_as(
        store,
        account,
        action,
        scenario_id=scenario_id,
        scenario_version=scenario_version,
        plan_id=plan_id,
        detail=file_name,
    ):
        return make()
