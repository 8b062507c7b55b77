"""An action of the signed-in user whose failed audit row says what was tried and why it failed.

:func:`scheduler.services.accounts.acting` writes a failed row with the detail it was given
(the file, the scenario renamed …), or with the error when it was given none. The changes
the pages make name what they do, so :func:`acting_as` adds the error's first line after
that: ``改名 rename 「郑州」(#3) → 郑州2 — 名称不能为空（the name cannot be empty）``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from scheduler.domain.accounts import Account, Action, AuditNote
from scheduler.services.accounts import acting
from scheduler.storage import ScenarioStore

__all__ = ["acting_as", "first_line", "joined"]

LONGEST_REASON = 400
"""An error is cut to this many characters in an audit row."""


def first_line(error: BaseException | str) -> str:
    """What a failed row says about ``error`` (or its text): its first line, cut, or its type."""
    text = str(error).strip()
    if not text:
        return "" if isinstance(error, str) else type(error).__name__
    return text.splitlines()[0][:LONGEST_REASON]


def joined(*parts: str, between: str = " — ") -> str:
    """The non-empty ``parts``, joined."""
    return between.join(part for part in parts if part)


@contextmanager
def acting_as(
    store: ScenarioStore,
    account: Account,
    action: Action,
    *,
    scenario_id: int | None = None,
    scenario_version: int | None = None,
    plan_id: int | None = None,
    detail: str = "",
) -> Iterator[AuditNote]:
    """:func:`~scheduler.services.accounts.acting`, whose failed row adds why to ``detail``.

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The account's role may not take ``action`` (a failed row is recorded).
    """
    with acting(
        store,
        account,
        action,
        scenario_id=scenario_id,
        scenario_version=scenario_version,
        plan_id=plan_id,
        detail=detail,
    ) as note:
        try:
            yield note
        except Exception as error:
            note.detail = joined(note.detail, first_line(error))
            raise
