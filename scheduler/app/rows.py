"""Rows of the app's table editors, as the editor numbers them (shared by every page).

An editor numbers the rows it was drawn with from 1; rows the user added since have
no number yet, so they are counted after the last numbered row.
"""

from __future__ import annotations

__all__ = ["row_text"]


def row_text(row: int, last_row: int, *, in_column: bool = False) -> str:
    """A row as the editor shows it: ``第 3 行 row 3`` (``3`` in a 行 row column).

    Rows past ``last_row`` (added since the editor was drawn) read ``新增第 1 行 new row 1``;
    row 0 (the whole table, no row) is blank.
    """
    if row <= 0:
        return ""
    if row > last_row:
        return f"新增第 {row - last_row} 行 new row {row - last_row}"
    return str(row) if in_column else f"第 {row} 行 row {row}"
