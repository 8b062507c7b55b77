"""The change list (变更单) of a re-plan as the 排期 Plan page shows and downloads it.

One row per changed title: 剧目 (id and name), 变更 (what changed), 原安排 and 新安排
(days, base, crew), 原因 (why; published titles ask for approval). The CSV is
UTF-8 with a byte-order mark, so Excel opens the Chinese as Chinese. Streamlit-free.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from scheduler.domain.changes import CHANGE_COLUMNS, Change
from scheduler.domain.model import Scenario

CHANGE_HEADERS: dict[str, str] = {
    "title_id": "剧目",
    "what": "变更",
    "before": "原安排",
    "after": "新安排",
    "why": "原因",
}
"""The change list's Chinese column headers, by :data:`CHANGE_COLUMNS`."""

APPROVAL_MARK = "已发布，需审批"
"""How the reason of a changed published title begins."""


def title_text(scenario: Scenario, title_id: str) -> str:
    """``T1 闪婚后霸总他真香了``, or the id alone for a title no longer in the scenario."""
    title = scenario.title_by_id.get(title_id)
    return title_id if title is None else f"{title_id} {title.name}"


def change_table(scenario: Scenario, changes: Sequence[Change]) -> pd.DataFrame:
    """The change list with Chinese headers, titles named, in the list's order."""
    rows = [
        {
            CHANGE_HEADERS[column]: (
                title_text(scenario, change.title_id)
                if column == "title_id"
                else getattr(change, column)
            )
            for column in CHANGE_COLUMNS
        }
        for change in changes
    ]
    return pd.DataFrame(rows, columns=[CHANGE_HEADERS[c] for c in CHANGE_COLUMNS])


def change_csv(scenario: Scenario, changes: Sequence[Change]) -> bytes:
    """The change list as a CSV file Excel opens with its Chinese intact (UTF-8 with BOM)."""
    return change_table(scenario, changes).to_csv(index=False).encode("utf-8-sig")


def change_file_name(plan_id: int) -> str:
    """The downloaded file's name: ``变更单_方案12.csv``."""
    return f"变更单_方案{plan_id}.csv"


def needs_approval(changes: Sequence[Change]) -> int:
    """How many changed titles were published (each needs approval)."""
    return sum(1 for change in changes if change.why.startswith(APPROVAL_MARK))


def change_summary(changes: Sequence[Change]) -> str:
    """One line over the table: how many titles changed, how many need approval."""
    if not changes:
        return "没有变更：每部剧都按原安排 / nothing changed"
    approval = needs_approval(changes)
    line = f"{len(changes)} 部剧有变更 / {len(changes)} title(s) changed"
    if approval:
        line += f"；其中 {approval} 部已发布，需审批 / {approval} published, need approval"
    return line
