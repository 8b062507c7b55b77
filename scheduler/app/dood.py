"""演员日程表 Day-out-of-Days (DOOD): each actor's days, title by title, over the horizon.

Codes, per actor and day (:data:`CODES`):

- ``SW`` 首日, ``W`` 工作, ``WF`` 末日, ``SWF`` 单日: days with one of the actor's scenes in
  the title — the first, the ones between, the last, or the only one;
- ``H`` 待命: booked between the first and the last such day without a scene (rule 10);
- ``T`` 路程: free days just before the actor's next title in another city, as many as
  :meth:`Scenario.travel_days` between the two cities (and as the free days allow);
- blank: a day off (休).

A title without scenes books its whole cast on every shoot day, and every one is ``W``. The
days follow the plan exactly as rule 10 books them: each day's scenes are the plan's
``Shoot.scenes``, its working cast those scenes' cast, and the booked days
:func:`scheduler.domain.scenes.booked_cast` of them (:mod:`scheduler.app.shoot_days`).

Totals per actor: days worked, held and travelled, and the cost of holding (the actor's
day rate × held days). Travel days count for the title travelled to. Streamlit-free.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pandas as pd
from openpyxl.styles import PatternFill

from scheduler.app.exports import PageHeading, Sheet, day_label, sheets_workbook
from scheduler.app.shoot_days import ShootDay, shoot_days_by_title
from scheduler.domain.model import Scenario, Title
from scheduler.domain.plan import Plan

WORK, START, FINISH, SINGLE, HOLD, TRAVEL = "W", "SW", "WF", "SWF", "H", "T"
WORK_CODES = frozenset({WORK, START, FINISH, SINGLE})

CODES: dict[str, tuple[str, str]] = {
    START: ("首日", "start work: the actor's first day with a scene in the title"),
    WORK: ("工作", "work: a day with one of the actor's scenes (every shoot day without scenes)"),
    FINISH: ("末日", "work finish: the actor's last day with a scene in the title"),
    SINGLE: ("单日", "start-work-finish: the actor's one day in the title"),
    HOLD: ("待命", "hold: booked between the first and last scene day, without a scene"),
    TRAVEL: ("路程", "travel: free days before the next title in another city"),
    "": ("休", "day off"),
}
"""Code → (Chinese word, English meaning), in the order the legend lists them."""

FILLS = {
    START: PatternFill("solid", fgColor="C6EFCE"),
    WORK: PatternFill("solid", fgColor="C6EFCE"),
    FINISH: PatternFill("solid", fgColor="C6EFCE"),
    SINGLE: PatternFill("solid", fgColor="C6EFCE"),
    HOLD: PatternFill("solid", fgColor="FFEB9C"),
    TRAVEL: PatternFill("solid", fgColor="DDEBF7"),
}

TITLE_COLUMNS: tuple[str, ...] = (
    "剧目编号 title id",
    "剧目 title",
    "演员编号 actor id",
    "演员 actor",
)
ACTOR_COLUMNS: tuple[str, ...] = ("演员编号 actor id", "演员 actor", "剧目数 titles")
TOTAL_COLUMNS: tuple[str, ...] = (
    "工作 worked",
    "待命 held",
    "路程 travel",
    "日薪 day rate",
    "待命成本 hold cost",
)
LEGEND_COLUMNS: tuple[str, ...] = ("代码 code", "含义 meaning", "说明 English")

TITLES_SHEET = "按剧目 by title"
ACTORS_SHEET = "按演员 by actor"
LEGEND_SHEET = "图例 legend"


@dataclass(frozen=True)
class Engagement:
    """One actor in one title: a code per day (travel into the title included)."""

    title_id: str
    actor_id: str
    codes: Mapping[date, str]

    def count(self, codes: frozenset[str] | str, days: Sequence[date] | None = None) -> int:
        """Days with one of ``codes``, among ``days`` when given."""
        wanted = frozenset({codes}) if isinstance(codes, str) else codes
        inside = self.codes if days is None else {d: self.codes.get(d, "") for d in days}
        return sum(1 for code in inside.values() if code in wanted)

    @property
    def booked(self) -> list[date]:
        """Days the title books the actor (worked or held), in order."""
        return sorted(d for d, code in self.codes.items() if code != TRAVEL)


def _codes(title: Title, actor_id: str, days: Sequence[ShootDay]) -> dict[date, str]:
    """The actor's codes in ``title``: W for every booked day without scenes; SW … WF with."""
    codes: dict[date, str] = {}
    working = [d.shoot.date for d in days if actor_id in d.working]
    for day in days:
        if actor_id not in day.booked:
            continue
        when = day.shoot.date
        if not title.has_scenes:
            codes[when] = WORK
        elif actor_id not in day.working:
            codes[when] = HOLD
        elif len(working) == 1:
            codes[when] = SINGLE
        elif when == working[0]:
            codes[when] = START
        elif when == working[-1]:
            codes[when] = FINISH
        else:
            codes[when] = WORK
    return codes


def engagements(scenario: Scenario, plan: Plan) -> list[Engagement]:
    """Every actor's engagement in every planned title, titles in file order, then actors in
    the title's order; travel days (``T``) added before each next title in another city."""
    days = shoot_days_by_title(scenario, plan)
    found: list[Engagement] = []
    city: dict[tuple[str, date], str] = {}
    for title in scenario.titles:
        title_days = days.get(title.title_id)
        if not title_days:
            continue
        for day in title_days:
            base = scenario.base_by_id.get(day.shoot.base_id)
            city[(title.title_id, day.shoot.date)] = base.city if base else day.shoot.base_id
        for actor_id in title.actors:
            codes = _codes(title, actor_id, title_days)
            if codes:
                found.append(Engagement(title.title_id, actor_id, codes))

    by_actor: dict[str, list[Engagement]] = defaultdict(list)
    for engagement in found:
        by_actor[engagement.actor_id].append(engagement)
    travelled: dict[int, dict[date, str]] = {}
    for own in by_actor.values():
        own.sort(key=lambda e: e.booked[0])
        taken = {d for e in own for d in e.booked}
        for before, after in pairwise(own):
            last, first = before.booked[-1], after.booked[0]
            need = scenario.travel_days(
                city[(before.title_id, last)], city[(after.title_id, first)]
            )
            for back in range(1, need + 1):
                when = first - timedelta(days=back)
                if when <= last or when in taken:
                    break
                travelled.setdefault(id(after), {})[when] = TRAVEL
    return [
        Engagement(e.title_id, e.actor_id, {**travelled[id(e)], **e.codes})
        if id(e) in travelled
        else e
        for e in found
    ]


# -- tables ---------------------------------------------------------------------------------


def _name(by_id: Mapping[str, Any], key: str) -> str:
    item = by_id.get(key)
    return str(item.name) if item is not None else key


def _totals(scenario: Scenario, engaged: Sequence[Engagement]) -> dict[str, int]:
    """Worked, held and travel days inside the horizon, the day rate and the cost of holding."""
    days = scenario.dates
    actor = scenario.actor_by_id.get(engaged[0].actor_id)
    rate = actor.day_rate if actor else 0
    held = sum(e.count(HOLD, days) for e in engaged)
    return dict(
        zip(
            TOTAL_COLUMNS,
            (
                sum(e.count(WORK_CODES, days) for e in engaged),
                held,
                sum(e.count(TRAVEL, days) for e in engaged),
                rate,
                rate * held,
            ),
            strict=True,
        )
    )


def title_dood(scenario: Scenario, plan: Plan, title_id: str | None = None) -> pd.DataFrame:
    """The DOOD by title: a row per actor of each planned title, a column per day.

    Columns :data:`TITLE_COLUMNS`, :data:`TOTAL_COLUMNS`, then one per day headed by
    :func:`scheduler.app.exports.day_label` holding a code of :data:`CODES` (blank: 休).
    All titles over the whole horizon; one title (``title_id``) over its own days, from its
    first travel or shoot day to its last shoot day.
    """
    chosen = [e for e in engagements(scenario, plan) if title_id in (None, e.title_id)]
    dates: Sequence[date] = scenario.dates
    if title_id is not None and chosen:
        horizon = set(scenario.dates)
        used = [d for e in chosen for d in e.codes if d in horizon]
        dates = [d for d in scenario.dates if min(used) <= d <= max(used)] if used else []
    rows = []
    for e in chosen:
        row: dict[str, Any] = dict(
            zip(
                TITLE_COLUMNS,
                (
                    e.title_id,
                    _name(scenario.title_by_id, e.title_id),
                    e.actor_id,
                    _name(scenario.actor_by_id, e.actor_id),
                ),
                strict=True,
            )
        )
        row.update(_totals(scenario, [e]))
        row.update({day_label(d): e.codes.get(d, "") for d in dates})
        rows.append(row)
    columns = [*TITLE_COLUMNS, *TOTAL_COLUMNS, *(day_label(d) for d in dates)]
    return pd.DataFrame(rows, columns=columns)


def actor_dood(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """The DOOD by actor across titles: a row per actor booked in the plan, a column per day.

    A day cell is ``'code：title_id'`` (``'SW：T01'``, ``'T：T02'`` travelling to T02), blank
    on a day off; totals add up every title. Actors in the order of actors.csv.
    """
    by_actor: dict[str, list[Engagement]] = defaultdict(list)
    for e in engagements(scenario, plan):
        by_actor[e.actor_id].append(e)
    order = [a.actor_id for a in scenario.actors if a.actor_id in by_actor]
    order += sorted(set(by_actor) - set(order))
    rows = []
    for actor_id in order:
        engaged = by_actor[actor_id]
        cells: dict[date, str] = {}
        for e in engaged:
            for when, code in e.codes.items():
                text = f"{code}：{e.title_id}"
                cells[when] = f"{cells[when]}；{text}" if when in cells else text
        row: dict[str, Any] = {
            ACTOR_COLUMNS[0]: actor_id,
            ACTOR_COLUMNS[1]: _name(scenario.actor_by_id, actor_id),
            ACTOR_COLUMNS[2]: len({e.title_id for e in engaged}),
        }
        row.update(_totals(scenario, engaged))
        row.update({day_label(d): cells.get(d, "") for d in scenario.dates})
        rows.append(row)
    columns = [*ACTOR_COLUMNS, *TOTAL_COLUMNS, *(day_label(d) for d in scenario.dates)]
    return pd.DataFrame(rows, columns=columns)


def dood_totals(scenario: Scenario, plan: Plan) -> dict[str, int]:
    """Every actor together: :data:`TOTAL_COLUMNS` without the day rate."""
    found = engagements(scenario, plan)
    days = scenario.dates
    rates = {a.actor_id: a.day_rate for a in scenario.actors}
    return {
        TOTAL_COLUMNS[0]: sum(e.count(WORK_CODES, days) for e in found),
        TOTAL_COLUMNS[1]: sum(e.count(HOLD, days) for e in found),
        TOTAL_COLUMNS[2]: sum(e.count(TRAVEL, days) for e in found),
        TOTAL_COLUMNS[4]: sum(rates.get(e.actor_id, 0) * e.count(HOLD, days) for e in found),
    }


def planned_titles(scenario: Scenario, plan: Plan) -> dict[str, str]:
    """Titles with a shoot in the plan (file order) → ``'《name》（id）'``, for a picker."""
    planned = plan.scheduled_title_ids
    return {
        t.title_id: f"《{t.name}》（{t.title_id}）"
        for t in scenario.titles
        if t.title_id in planned
    }


def legend_text() -> str:
    """The codes in one line: ``'SW 首日 · W 工作 · … · 空白 休'``."""
    return " · ".join(f"{code or '空白'} {word}" for code, (word, _meaning) in CODES.items())


def legend() -> pd.DataFrame:
    """The codes with their Chinese word and English meaning."""
    rows = [(code or "（空白）", word, meaning) for code, (word, meaning) in CODES.items()]
    return pd.DataFrame(rows, columns=list(LEGEND_COLUMNS))


def dood_workbook(scenario: Scenario, plan: Plan, plan_id: int | None = None) -> bytes:
    """The DOOD as .xlsx: 按剧目 by title, 按演员 by actor (day headers are date cells, codes
    shaded) and 图例 legend."""
    sheets = [
        Sheet(
            TITLES_SHEET,
            title_dood(scenario, plan),
            frozen_columns=len(TITLE_COLUMNS),
            days=scenario.dates,
            fills=FILLS,
        ),
        Sheet(
            ACTORS_SHEET,
            actor_dood(scenario, plan),
            frozen_columns=2,
            days=scenario.dates,
            fills=FILLS,
        ),
        Sheet(LEGEND_SHEET, legend()),
    ]
    return sheets_workbook(sheets, PageHeading(scenario.name, "演员日程表 DOOD", plan_id))
