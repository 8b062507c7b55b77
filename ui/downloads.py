"""Download buttons whose file is made on the server when clicked, as the signed-in user.

The file is built only after :func:`scheduler.services.accounts.acting` checked the
user's role (so a refused user gets no bytes, whatever the browser sends) and leaves one
audit row per download. The button is greyed out for a role that may not take it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from scheduler.domain.accounts import Action, SignedIn, may
from scheduler.services.accounts import ACTION_LABELS
from scheduler.services.downloads import take_out
from ui.current import SIGNED_IN_KEY, user
from ui.resources import scenario_store

Contents = bytes | str


def download_button(
    label: str,
    make: Callable[[], Contents],
    *,
    file_name: str,
    mime: str,
    action: Action = Action.DOWNLOAD,
    scenario_id: int | None = None,
    scenario_version: int | None = None,
    plan_id: int | None = None,
    container: Any = None,
    **options: Any,
) -> None:
    """A download button whose contents ``make()`` builds on click, checked and audited.

    ``action``: :attr:`Action.DOWNLOAD` for sheets made from a plan (call and booking
    sheets, the plan's tables), :attr:`Action.EXPORT` for the scenario's own data and
    reports taken out of ShootPlan. The audit row names the file.
    """
    account = user()
    session = st.session_state.get(SIGNED_IN_KEY)  # None in local mode
    store = scenario_store()
    allowed = may(account.role, action)

    def contents() -> Contents:
        return take_out(
            store,
            account,
            action,
            make,
            file_name=file_name,
            scenario_id=scenario_id,
            scenario_version=scenario_version,
            plan_id=plan_id,
            session=session if isinstance(session, SignedIn) else None,
        )

    if not allowed:
        options["help"] = f"无权限 not permitted: {account.role.label} · {ACTION_LABELS[action]}"
    (container or st).download_button(
        label,
        data=contents,
        file_name=file_name,
        mime=mime,
        disabled=not allowed,
        on_click="ignore",
        **options,
    )
