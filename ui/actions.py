"""What every page does around an action the signed-in user takes.

A button for an action the user's role may not take is greyed out, its help saying
「无权限 …」 (:func:`allowed`; a job's stop button: :func:`stop_allowed`). That is only a
courtesy: the action itself goes through a service function taking the account
(:func:`ui.current.user`), which checks the role again on the server and leaves the
audit row. A refusal or a failure is shown on the page, never raised
(:func:`show_error`, :data:`ACTION_ERRORS`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from scheduler.app.text import markdown_text as md
from scheduler.domain.accounts import Account, Action, may
from scheduler.services.accounts import ACTION_LABELS, NotPermittedError
from scheduler.services.background import BackgroundJob, stop_refusal
from scheduler.storage import StorageError
from ui.current import user

ACTION_ERRORS = (NotPermittedError, StorageError)
"""What an action may end with that the page shows instead of raising."""


def refusal(action: Action, account: Account | None = None) -> str | None:
    """``无权限 not permitted: 只读 viewer · 保存 save`` if the role may not take ``action``."""
    account = account or user()
    if may(account.role, action):
        return None
    return f"无权限 not permitted: {account.role.label} · {ACTION_LABELS[action]}"


def allowed(
    action: Action,
    *,
    account: Account | None = None,
    disabled: bool = False,
    help: str | None = None,
) -> dict[str, Any]:
    """A button's ``disabled`` and ``help`` for ``action``: greyed out with why, if refused.

    ``disabled`` and ``help``: the button's own, for a role that may take the action.
    """
    refused = refusal(action, account)
    if refused is not None:
        return {"disabled": True, "help": refused}
    return {"disabled": disabled, "help": help}


def stop_allowed(
    job: BackgroundJob[Any] | None, *, account: Account | None = None
) -> dict[str, Any]:
    """A stop button's ``disabled`` and ``help``: greyed out unless ``job`` runs and the user
    is its owner or a head (then the help says who may stop it)."""
    if job is None or not job.running:
        return {"disabled": True, "help": None}
    refused = stop_refusal(account or user(), job)
    return {"disabled": refused is not None, "help": refused}


def error_text(error: Exception) -> str:
    """How the page says an action was refused or failed (Markdown-safe)."""
    if isinstance(error, StorageError):
        return md(error.format())
    return md(str(error))


def show_error(error: Exception, where: Any = None) -> None:
    """Show a refused or failed action as an error (in ``where``, else in place)."""
    (where or st).error(error_text(error))
