"""Gantt rows of a plan: the tables behind the Plan page's timeline charts.

The unit is a *shoot block*: one title shooting on one set (so with one crew
at one base) over consecutive days. :func:`shoot_blocks` turns a plan's
shoots into blocks in one pass; each view then says which chart row (the
``row`` column) and colour (``group``) a bar gets:

- :func:`rows_by_crew` — one bar per title on its crew's row, coloured by base;
- :func:`rows_by_set` — base → set rows, one bar per block, coloured by crew;
- :func:`rows_by_title` — one row per title, one bar per set block, coloured by base;
- :func:`rows_by_actor` — one row per cast member, one bar per title, coloured by crew.

``start`` is the first shoot day and ``finish`` the day after the last (a
bar covers whole days). Labels are Chinese names with ids; a plan made from
an older version of the scenario still renders (unknown ids show as ids).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import pandas as pd

from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan, Shoot

__all__ = [
    "BLOCK_COLUMNS",
    "PIN_MARK",
    "ROW_COLUMNS",
    "VIEWS",
    "base_label",
    "crew_label",
    "filter_blocks",
    "pins_table",
    "rows_by_actor",
    "rows_by_crew",
    "rows_by_set",
    "rows_by_title",
    "shoot_blocks",
    "title_label",
    "unscheduled_heading",
    "unscheduled_table",
]

BLOCK_COLUMNS: tuple[str, ...] = (
    "title_id",
    "title",
    "title_name",
    "genre",
    "priority",
    "crew_id",
    "crew",
    "base_id",
    "base",
    "set_id",
    "set",
    "set_type",
    "actor_ids",
    "cast",
    "start",
    "finish",
    "days",
    "dates",
    "pinned",
)
"""Columns of :func:`shoot_blocks`; ``title``, ``crew``, ``base``, ``set`` are display labels."""

PIN_MARK = "【钉】"
"""Marks a pinned title in bar labels and tables (CJK, so it renders wherever Chinese does)."""


def title_label(scenario: Scenario, title_id: str) -> str:
    """``T1 闪婚后霸总他真香了``: the title's id and name (the id alone if unknown)."""
    title = scenario.title_by_id.get(title_id)
    return f"{title_id} {title.name}" if title else title_id


def crew_label(scenario: Scenario, crew_id: str) -> str:
    """``C1 张导剧组``: the crew's id and name."""
    crew = scenario.crew_by_id.get(crew_id)
    return f"{crew_id} {crew.name}" if crew else crew_id


def base_label(scenario: Scenario, base_id: str) -> str:
    """``B1 郑州金水影视基地``: the base's id and name."""
    base = scenario.base_by_id.get(base_id)
    return f"{base_id} {base.name}" if base else base_id


def _set_label(scenario: Scenario, set_id: str) -> str:
    film_set = scenario.set_by_id.get(set_id)
    return f"{set_id} {film_set.set_type}" if film_set else set_id


def _dates_text(first: date, last: date) -> str:
    if first == last:
        return f"{first:%m-%d}"
    return f"{first:%m-%d}～{last:%m-%d}"


def _runs(shoots: Iterable[Shoot]) -> list[list[Shoot]]:
    """Shoots grouped into runs of one title on one set over consecutive days."""
    ordered = sorted(shoots, key=lambda s: (s.title_id, s.set_id, s.date))
    runs: list[list[Shoot]] = []
    for shoot in ordered:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and (last.title_id, last.set_id, last.crew_id, last.base_id)
            == (shoot.title_id, shoot.set_id, shoot.crew_id, shoot.base_id)
            and shoot.date - last.date == timedelta(days=1)
        ):
            runs[-1].append(shoot)
        else:
            runs.append([shoot])
    return runs


def shoot_blocks(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """One row per shoot block: a title on one set, crew and base over consecutive days.

    Parameters
    ----------
    scenario
        Gives the names (titles, crews, bases, sets, actors) and the pins.
    plan
        The plan to draw.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BLOCK_COLUMNS`, sorted by start, then title and set.
        ``pinned`` says whether the scenario pins the title (for the next solve).
    """
    pinned = set(scenario.pin_by_title)
    actor_names = {actor.actor_id: actor.name for actor in scenario.actors}
    records = []
    for run in _runs(plan.shoots):
        first, last = run[0], run[-1]
        title = scenario.title_by_id.get(first.title_id)
        cast = title.cast if title else ()
        film_set = scenario.set_by_id.get(first.set_id)
        records.append(
            (
                first.title_id,
                title_label(scenario, first.title_id),
                title.name if title else "",
                title.genre if title else "",
                title.priority if title else 0,
                first.crew_id,
                crew_label(scenario, first.crew_id),
                first.base_id,
                base_label(scenario, first.base_id),
                first.set_id,
                _set_label(scenario, first.set_id),
                film_set.set_type if film_set else "",
                cast,
                "、".join(actor_names.get(a, a) for a in cast),
                first.date,
                last.date + timedelta(days=1),
                len(run),
                _dates_text(first.date, last.date),
                first.title_id in pinned,
            )
        )
    blocks = pd.DataFrame.from_records(records, columns=list(BLOCK_COLUMNS))
    blocks["start"] = pd.to_datetime(blocks["start"])
    blocks["finish"] = pd.to_datetime(blocks["finish"])
    blocks["priority"] = blocks["priority"].astype("int64")
    blocks["days"] = blocks["days"].astype("int64")
    blocks["pinned"] = blocks["pinned"].astype(bool)
    return blocks.sort_values(["start", "title_id", "set_id"], ignore_index=True)


def filter_blocks(
    blocks: pd.DataFrame,
    *,
    bases: Sequence[str] = (),
    crews: Sequence[str] = (),
    genres: Sequence[str] = (),
    first: date | None = None,
    last: date | None = None,
) -> pd.DataFrame:
    """The blocks at the chosen bases, of the chosen crews and genres, touching the dates.

    An empty choice keeps everything; ``first`` … ``last`` (inclusive) keeps
    blocks with at least one shoot day in the range.
    """
    keep = pd.Series(True, index=blocks.index)
    if bases:
        keep &= blocks["base_id"].isin(list(bases))
    if crews:
        keep &= blocks["crew_id"].isin(list(crews))
    if genres:
        keep &= blocks["genre"].isin(list(genres))
    if first is not None:
        keep &= blocks["finish"] > pd.Timestamp(first)
    if last is not None:
        keep &= blocks["start"] <= pd.Timestamp(last)
    return blocks[keep].reset_index(drop=True)


def _bar_text(blocks: pd.DataFrame, text: pd.Series) -> pd.Series:
    """Bar labels, pinned titles marked with :data:`PIN_MARK`."""
    return text.where(~blocks["pinned"], PIN_MARK + text)


def _title_labels(rows: pd.DataFrame) -> pd.DataFrame:
    """Bar labels of title bars, longest first: ``T1 名字``, then ``名字``, then ``T1``."""
    return rows.assign(
        text=_bar_text(rows, rows["title"]),
        label_name=_bar_text(rows, rows["title_name"]),
        label_id=_bar_text(rows, rows["title_id"]),
    )


def _title_spans(blocks: pd.DataFrame) -> pd.DataFrame:
    """One row per title: its blocks merged (a scheduled title shoots on consecutive days)."""
    if blocks.empty:
        return blocks.assign(sets=pd.Series(dtype=str))
    ordered = blocks.sort_values(["title_id", "start"])
    spans = ordered.groupby("title_id", sort=False).agg(
        title=("title", "first"),
        title_name=("title_name", "first"),
        genre=("genre", "first"),
        priority=("priority", "first"),
        crew_id=("crew_id", "first"),
        crew=("crew", "first"),
        base_id=("base_id", "first"),
        base=("base", "first"),
        actor_ids=("actor_ids", "first"),
        cast=("cast", "first"),
        start=("start", "min"),
        finish=("finish", "max"),
        days=("days", "sum"),
        pinned=("pinned", "first"),
        sets=("set", "、".join),
    )
    spans = spans.reset_index()
    spans["set"] = spans["sets"]
    first_text = spans["start"].dt.strftime("%m-%d")
    last_text = (spans["finish"] - pd.Timedelta(days=1)).dt.strftime("%m-%d")
    spans["dates"] = first_text.where(spans["days"] == 1, first_text + "～" + last_text)
    return spans


def rows_by_crew(blocks: pd.DataFrame) -> pd.DataFrame:
    """Crew rows (剧组): one bar per title the crew shoots, coloured by base."""
    spans = _title_labels(_title_spans(blocks))
    spans["row"] = spans["crew"]
    spans["row_id"] = spans["crew_id"]
    spans["group"] = spans["base"]
    spans["group_id"] = spans["base_id"]
    return spans.sort_values(["crew_id", "start"], ignore_index=True)


def rows_by_set(blocks: pd.DataFrame) -> pd.DataFrame:
    """Base → set rows (基地/场景): one bar per shoot block, coloured by crew."""
    rows = _title_labels(blocks)
    rows["row"] = rows["base"] + " · " + rows["set"]
    rows["row_id"] = rows["set_id"]
    rows["group"] = rows["crew"]
    rows["group_id"] = rows["crew_id"]
    return rows.sort_values(["base_id", "set_id", "start"], ignore_index=True)


def rows_by_title(blocks: pd.DataFrame) -> pd.DataFrame:
    """Title rows (剧目): one bar per set block, coloured by base; rows in start order.

    A bar's label is its set (``S1 办公室``, else the set type, else the set id).
    """
    rows = blocks.copy()
    rows["row"] = rows["title"].where(~rows["pinned"], PIN_MARK + rows["title"])
    rows["row_id"] = rows["title_id"]
    rows["group"] = rows["base"]
    rows["group_id"] = rows["base_id"]
    rows["text"] = rows["set"]
    rows["label_name"] = rows["set_type"]
    rows["label_id"] = rows["set_id"]
    first_start = rows.groupby("title_id")["start"].transform("min")
    rows = rows.assign(_first=first_start)
    rows = rows.sort_values(["_first", "title_id", "start"], ignore_index=True)
    return rows.drop(columns="_first")


def rows_by_actor(scenario: Scenario, blocks: pd.DataFrame) -> pd.DataFrame:
    """Actor rows (演员): one bar per title the actor is cast in, coloured by crew."""
    spans = _title_spans(blocks)
    spans = spans[spans["actor_ids"].map(len) > 0]
    rows = spans.explode("actor_ids").rename(columns={"actor_ids": "actor_id"})
    rows = _title_labels(rows)
    names = {actor.actor_id: actor.name for actor in scenario.actors}
    rows["row"] = rows["actor_id"].map(lambda a: f"{a} {names.get(a, '')}".strip())
    rows["row_id"] = rows["actor_id"]
    rows["group"] = rows["crew"]
    rows["group_id"] = rows["crew_id"]
    return rows.sort_values(["actor_id", "start"], ignore_index=True)


ROW_COLUMNS: tuple[str, ...] = (
    "row",
    "row_id",
    "group",
    "group_id",
    "text",
    "label_name",
    "label_id",
)
"""Columns every ``rows_by_*`` table adds to its bars: the chart row (a label and the id of
the crew, set, title or actor), the colour group (a label and a base or crew id) and the bar
labels, longest first (the chart shows the longest that fits the bar)."""


VIEWS = {
    "crew": "剧组 Crews",
    "set": "基地/场景 Bases → sets",
    "title": "剧目 Titles",
    "actor": "演员 Actors",
}
"""The Gantt views, keyed as the ``rows_by_*`` functions, with their tab labels."""


def unscheduled_table(
    scenario: Scenario,
    plan: Plan,
    genres: Sequence[str] = (),
    first: date | None = None,
    last: date | None = None,
) -> pd.DataFrame:
    """The titles the plan leaves out with the reason, highest priority first (Chinese headers).

    The Gantt filters that apply to a title with no shoots apply here too: only ``genres``
    (all if empty), and only titles whose window meets ``first`` … ``last``.
    """
    pinned = set(scenario.pin_by_title)
    records = []
    for title_id, reason in plan.unscheduled.items():
        title = scenario.title_by_id.get(title_id)
        if title is not None and genres and title.genre not in genres:
            continue
        if title is not None and first is not None and title.due_date < first:
            continue
        if title is not None and last is not None and title.earliest_start > last:
            continue
        records.append(
            {
                "剧目 title": title_label(scenario, title_id),
                "题材 genre": title.genre if title else "",
                "优先级 priority": title.priority if title else 0,
                "可拍期 window": (
                    f"{title.earliest_start:%m-%d}～{title.due_date:%m-%d}" if title else ""
                ),
                "拍摄天数 days": title.shoot_days if title else 0,
                "钉住 pinned": PIN_MARK if title_id in pinned else "",
                "原因 reason": reason,
            }
        )
    table = pd.DataFrame.from_records(
        records,
        columns=[
            "剧目 title",
            "题材 genre",
            "优先级 priority",
            "可拍期 window",
            "拍摄天数 days",
            "钉住 pinned",
            "原因 reason",
        ],
    )
    return table.sort_values(
        ["优先级 priority", "剧目 title"], ascending=[False, True]
    ).reset_index(drop=True)


def unscheduled_heading(shown: int, total: int) -> str:
    """The heading with the count, and the count of all when filters hide some."""
    count = f"{shown}" if shown == total else f"{shown} / {total}，按筛选 filtered"
    return f"未排上的剧目 Unscheduled titles（{count}）"


def pins_table(scenario: Scenario) -> pd.DataFrame:
    """The scenario's pins, one row per pinned title, with names (Chinese headers)."""
    records = [
        {
            "剧目 title": title_label(scenario, pin.title_id),
            "剧组 crew": crew_label(scenario, pin.crew_id) if pin.crew_id else "",
            "基地 base": base_label(scenario, pin.base_id) if pin.base_id else "",
            "开机日 start": pin.start_date.isoformat() if pin.start_date else "",
            "场次顺序 scene order": ";".join(pin.scene_order),
        }
        for pin in scenario.pins
    ]
    columns = ["剧目 title", "剧组 crew", "基地 base", "开机日 start", "场次顺序 scene order"]
    return pd.DataFrame.from_records(records, columns=columns)
