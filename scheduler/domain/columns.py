"""The scenario's columns as people read them: one Chinese label per column name.

Messages about a cell (validation, storage) and the app's editors name a column
by its file name and this label (``day_rate`` 日价); :func:`column_zh` also knows the
one column that means something else in one sheet (a scene's ``cast`` is 演员, leads and
supporting, where a title's is 主演).
"""

from __future__ import annotations

__all__ = ["COLUMN_ZH", "SHEET_COLUMN_ZH", "column_zh"]

COLUMN_ZH: dict[str, str] = {
    "base_id": "基地编号",
    "name": "名称",
    "city": "城市",
    "max_crews": "同日最多剧组数",
    "set_id": "场景编号",
    "set_type": "场景类型",
    "day_rate": "日价",
    "crew_id": "剧组编号",
    "home_base_id": "常驻基地",
    "genres": "可拍题材",
    "max_days_in_row": "最多连拍天数",
    "actor_id": "演员编号",
    "home_city": "常驻城市",
    "title_id": "剧目编号",
    "genre": "题材",
    "priority": "优先级",
    "earliest_start": "最早开拍日",
    "due_date": "截止日期",
    "cast": "主演",
    "days": "天数",
    "kind": "类型",
    "id": "编号",
    "from_date": "开始日期",
    "to_date": "结束日期",
    "note": "备注",
    "from_city": "出发城市",
    "to_city": "到达城市",
    "start_date": "开拍日期",
    "scene_id": "场次",
    "minutes": "时长（分钟）",
    "day_night": "日/夜",
    "int_ext": "内/外",
    "description": "内容",
}
"""Chinese label of each known column, for messages and the app's editors."""

SHEET_COLUMN_ZH: dict[tuple[str, str], str] = {("scenes", "cast"): "演员"}
"""Labels of a column in one sheet where it means something else than elsewhere."""


def column_zh(column: str, sheet: str = "") -> str:
    """The Chinese label of ``column`` (in ``sheet``, if given); the name itself if unknown."""
    return SHEET_COLUMN_ZH.get((sheet, column)) or COLUMN_ZH.get(column, column)
