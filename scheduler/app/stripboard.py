"""顺场表 Stripboard: a title's scenes as strips, one per scene, grouped into its shoot days.

The board of a title with scenes (:func:`stripboard`) lists its shoot days in shooting
order, each opened by a day-break strip 「第 X 天 / 共 N 天 · 日期 · 场景类型 · 合计 NNN 分钟」
and followed by one strip per scene: 场次, 内/外, 日/夜, 场景类型, 时长, 内容 and one column per
actor of the title — :data:`MARK` where the actor is in the scene, and :data:`HOLD` on the
day-break of a day the actor is held (booked between their first and last scene day without
a scene, rule 10). A strip is coloured by its set type's hue (the charts' colour,
:func:`scheduler.app.palette.looks_for`), light for a day scene (日) and dark for a night
scene (夜). Under the board: the actors' days and the cost of the order, booked actor-days ×
day rate, with its hold days.

Which order a board shows (:func:`shown_order`): the plan's (its ``Shoot.scenes``, day by
day) when a plan is shown and schedules the title; else the order pinned for the title
(pins.csv ``scene_order``); else the sequencer's cheapest. The board is built from plain
data — the scenario and the days as :class:`BoardDay` — and drawn as an HTML table
(:func:`board_html`, every text escaped). Streamlit-free.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import pandas as pd

from scheduler.app.exports import day_label
from scheduler.app.palette import looks_for
from scheduler.app.shoot_days import title_shoot_days
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.domain.scenes import Scene, booked_cast, days_in_order

__all__ = [
    "HOLD",
    "MARK",
    "ActorColumn",
    "BoardDay",
    "Comparison",
    "DayBreak",
    "ShownOrder",
    "Strip",
    "Stripboard",
    "board_caption",
    "board_html",
    "compare",
    "cost_line",
    "order_days",
    "orders_table",
    "pin_text",
    "pinned_order",
    "plan_days",
    "shown_order",
    "source_text",
    "source_word",
    "stripboard",
    "title_choices",
]

MARK = "●"
"""An actor's mark on a strip: the actor is in the scene."""
HOLD = "待命"
"""An actor held that day: booked between their first and last scene day without a scene."""

SCENE_COLUMNS: tuple[str, ...] = ("场次", "内/外", "日/夜", "场景类型", "时长", "内容")
"""The columns of a strip before the cast columns."""

DAY_TINT = 0.78
"""A day scene's strip: the set type's colour this far towards white."""
NIGHT_SHADE = 0.45
"""A night scene's strip: the set type's colour this far towards black (further for a bright
hue, until white text on it has a WCAG contrast of at least 4.5)."""
WHITE_TEXT_LUMINANCE = 1.05 / 4.5 - 0.05
"""The lightest fill on which white text keeps a contrast of 4.5 (WCAG AA)."""
BREAK_FILL, BREAK_INK = "#000000", "#FFFFFF"
HOLD_FILL, HOLD_INK = "#FFE082", "#5D4200"
FOOT_FILL = "#ECEFF1"

Source = Literal["plan", "pinned", "cheapest"]


# -- which days, in which order ------------------------------------------------------------


@dataclass(frozen=True)
class BoardDay:
    """One shoot day on the board: its scenes in shooting order, and the plan's date and set
    (``None`` and ``""`` for an order not planned yet)."""

    set_type: str
    scenes: tuple[Scene, ...]
    date: date | None = None
    set_id: str = ""


@dataclass(frozen=True)
class ShownOrder:
    """The days a board shows, where their order comes from, and why the plan's order is not
    shown when a plan is (``note``, empty otherwise)."""

    days: tuple[BoardDay, ...]
    source: Source
    note: str = ""

    @property
    def scene_ids(self) -> tuple[str, ...]:
        return tuple(scene.scene_id for day in self.days for scene in day.scenes)


def order_days(
    scenario: Scenario, title_id: str, scene_ids: Sequence[str]
) -> tuple[BoardDay, ...]:
    """The title's packed days in the order ``scene_ids`` shoots them, undated.

    Raises
    ------
    ValueError
        ``scene_ids`` is not the title's scenes, each once, each day's together.
    """
    days = days_in_order(scenario.scene_days(title_id), scene_ids)
    if days is None:
        raise ValueError(
            f"{';'.join(scene_ids)} is not an order of {title_id}'s packed days / "
            f"不是剧目 {title_id} 拍摄日的顺序"
        )
    return tuple(BoardDay(day.set_type, day.scenes) for day in days)


def plan_days(scenario: Scenario, plan: Plan, title_id: str) -> tuple[BoardDay, ...] | None:
    """The title's shoot days as ``plan`` has them (dates, sets, scenes in shooting order);
    ``None`` when the plan does not schedule the title or its days are not the title's packed
    days (the scenes changed after the plan was made)."""
    title = scenario.title_by_id[title_id]
    shoots = plan.shoots_of(title_id)
    if not shoots:
        return None
    try:
        planned = title_shoot_days(title, list(shoots))
    except ValueError:  # a scene the title no longer has
        return None
    packed = sorted(sorted(day.scene_ids) for day in scenario.scene_days(title_id))
    shot = sorted(sorted(scene.scene_id for scene in day.scenes) for day in planned)
    if shot != packed:
        return None
    return tuple(
        BoardDay(
            day.scenes[0].set_type,
            day.scenes,
            day.shoot.date,
            day.shoot.set_id,
        )
        for day in planned
    )


def shown_order(
    scenario: Scenario,
    title_id: str,
    plan: Plan | None,
    cheapest: Sequence[str],
    plan_id: int | None = None,
) -> ShownOrder:
    """The order a board shows: the plan's, else the pinned one, else ``cheapest`` (scene ids
    in the sequencer's cheapest order)."""
    note = ""
    if plan is not None:
        planned = plan_days(scenario, plan, title_id)
        if planned is not None:
            return ShownOrder(planned, "plan")
        named = f"方案 #{plan_id}" if plan_id is not None else "方案"
        note = (
            f"{named} 未排此剧目"
            if not plan.shoots_of(title_id)
            else f"{named} 中此剧目的场次与当前场次表不符（排期后场次表改过）"
        )
    pin = scenario.pin_by_title.get(title_id)
    if pin is not None and pin.scene_order:
        try:
            return ShownOrder(order_days(scenario, title_id, pin.scene_order), "pinned", note)
        except ValueError:
            pass  # validation refuses such a pin; show the cheapest instead
    return ShownOrder(order_days(scenario, title_id, cheapest), "cheapest", note)


def source_text(shown: ShownOrder, plan_id: int | None = None) -> str:
    """Where the order shown comes from, in words."""
    if shown.source == "plan":
        return f"方案 #{plan_id} 的顺序" if plan_id is not None else "方案的顺序"
    if shown.source == "pinned":
        return "已锁定的顺序（下次排期按此顺序）"
    return "求解器算出的最省顺序"


def pinned_order(scenario: Scenario, title_id: str) -> tuple[str, ...]:
    """The scene order pinned for the title (empty: the order is free)."""
    pin = scenario.pin_by_title.get(title_id)
    return pin.scene_order if pin is not None else ()


def pin_text(pinned: Sequence[str], shown: Sequence[str]) -> str:
    """Whether the order shown is the one pinned for the next solve."""
    if not pinned:
        return "未锁定：下次排期在几个最省的顺序中选 / not pinned"
    if tuple(pinned) == tuple(shown):
        return "已锁定此顺序：下次排期按此顺序拍 / pinned: the next solve keeps this order"
    return (
        f"已锁定另一顺序（{';'.join(pinned)}）；锁定此顺序将替换它"
        " / another order is pinned; pinning this one replaces it"
    )


def board_caption(board: Stripboard, shown: ShownOrder, plan_id: int | None = None) -> str:
    """What the board shows — the order shown, or the sequencer's cheapest — and its cost."""
    if board.scene_order == shown.scene_ids:
        what = source_text(shown, plan_id)
    else:
        what = "求解器算出的最省顺序"
    return f"{what} · {cost_line(board)}"


def source_word(shown: ShownOrder, plan_id: int | None = None) -> str:
    """Where the order shown comes from, in a word or two: 方案 #3, 已锁定, 最省."""
    if shown.source == "plan":
        return f"方案 #{plan_id}" if plan_id is not None else "方案"
    return "已锁定" if shown.source == "pinned" else "最省"


def title_choices(scenario: Scenario, plan: Plan | None = None) -> dict[str, str]:
    """Titles with scenes, id → label 「T0001 证人的秘密（5 场 · 1 天 · 12-03 起）」; a title
    the plan does not schedule says 未排 (no plan: the label has no date)."""
    choices = {}
    for title in scenario.titles:
        if not title.scenes:
            continue
        days = len(scenario.scene_days(title.title_id))
        words = [f"{len(title.scenes)} 场", f"{days} 天"]
        if plan is not None:
            shoots = plan.shoots_of(title.title_id)
            words.append(f"{min(s.date for s in shoots):%m-%d} 起" if shoots else "未排")
        pin = scenario.pin_by_title.get(title.title_id)
        if pin is not None and pin.scene_order:
            words.append("已锁定顺序")
        choices[title.title_id] = f"{title.title_id} {title.name}（{' · '.join(words)}）"
    return choices


# -- the board -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorColumn:
    """One cast column: the actor, their day rate, and their days in the order shown."""

    actor_id: str
    name: str
    day_rate: int
    worked: int
    held: int

    @property
    def booked(self) -> int:
        return self.worked + self.held

    @property
    def cost(self) -> int:
        return self.booked * self.day_rate

    @property
    def hold_cost(self) -> int:
        return self.held * self.day_rate


@dataclass(frozen=True)
class DayBreak:
    """The strip that opens a shoot day; ``held`` has :data:`HOLD` for each actor column held
    that day, else ``""``."""

    number: int
    of: int
    date: date | None
    set_type: str
    set_id: str
    minutes: int
    held: tuple[str, ...]

    @property
    def text(self) -> str:
        """「第 1 天 / 共 3 天 · 12-03 周四 · 办公室（S01）· 合计 600 分钟」 (undated: no date)."""
        words = [f"第 {self.number} 天 / 共 {self.of} 天"]
        if self.date is not None:
            words.append(day_label(self.date))
        words.append(f"{self.set_type}（{self.set_id}）" if self.set_id else self.set_type)
        words.append(f"合计 {self.minutes} 分钟")
        return " · ".join(words)


@dataclass(frozen=True)
class Strip:
    """One scene's strip; ``marks`` has :data:`MARK` for each actor column in the scene."""

    scene: Scene
    marks: tuple[str, ...]
    fill: str
    ink: str

    @property
    def cells(self) -> tuple[str, ...]:
        """The scene's cells, as :data:`SCENE_COLUMNS` name them."""
        s = self.scene
        return (s.scene_id, s.int_ext, s.day_night, s.set_type, f"{s.minutes} 分", s.description)


@dataclass(frozen=True)
class Stripboard:
    """A title's board: the cast columns and the rows, day breaks and strips, in order."""

    title_id: str
    title_name: str
    actors: tuple[ActorColumn, ...]
    rows: tuple[DayBreak | Strip, ...]

    @property
    def day_breaks(self) -> tuple[DayBreak, ...]:
        return tuple(row for row in self.rows if isinstance(row, DayBreak))

    @property
    def strips(self) -> tuple[Strip, ...]:
        return tuple(row for row in self.rows if isinstance(row, Strip))

    @property
    def scene_order(self) -> tuple[str, ...]:
        """The scene ids in the board's order (what 锁定此顺序 pins)."""
        return tuple(strip.scene.scene_id for strip in self.strips)

    @property
    def minutes_per_day(self) -> tuple[int, ...]:
        return tuple(day.minutes for day in self.day_breaks)

    @property
    def cost(self) -> int:
        """The actors' cost of the order: booked actor-days × day rate."""
        return sum(actor.cost for actor in self.actors)

    @property
    def hold_days(self) -> int:
        return sum(actor.held for actor in self.actors)

    @property
    def hold_cost(self) -> int:
        return sum(actor.hold_cost for actor in self.actors)


def stripboard(scenario: Scenario, title_id: str, days: Sequence[BoardDay]) -> Stripboard:
    """The board of ``title_id`` shooting ``days`` in this order."""
    title = scenario.title_by_id[title_id]
    actors = title.actors
    working = [frozenset(a for scene in day.scenes for a in scene.cast) for day in days]
    booked = booked_cast(working)
    looks = _strip_looks(scenario)
    rows: list[DayBreak | Strip] = []
    for number, (day, works, books) in enumerate(zip(days, working, booked, strict=True), 1):
        held = tuple(HOLD if a in books - works else "" for a in actors)
        minutes = sum(scene.minutes for scene in day.scenes)
        rows.append(DayBreak(number, len(days), day.date, day.set_type, day.set_id, minutes, held))
        for scene in day.scenes:
            fill, ink = looks.get((scene.set_type, scene.day_night)) or UNKNOWN_LOOKS.get(
                scene.day_night, UNKNOWN_LOOKS["日"]
            )
            marks = tuple(MARK if a in scene.cast else "" for a in actors)
            rows.append(Strip(scene, marks, fill, ink))
    columns = []
    for actor_id in actors:
        actor = scenario.actor_by_id.get(actor_id)
        worked = sum(actor_id in works for works in working)
        waiting = sum(actor_id in books for books in booked) - worked
        name = actor.name if actor else actor_id
        rate = actor.day_rate if actor else 0
        columns.append(ActorColumn(actor_id, name, rate, worked, waiting))
    return Stripboard(title_id, title.name, tuple(columns), tuple(rows))


def cost_line(board: Stripboard) -> str:
    """「演员成本 ¥12,000：订 9 人日 × 日薪，其中待命 2 人日 ¥1,600」."""
    booked = sum(actor.booked for actor in board.actors)
    line = f"演员成本 ¥{board.cost:,}：订 {booked} 人日 × 日薪"
    if board.hold_days:
        return f"{line}，其中待命 {board.hold_days} 人日 ¥{board.hold_cost:,}"
    return f"{line}，无人待命"


# -- re-sequencing -------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """The order shown beside the sequencer's cheapest: both costs, and whether the cheapest
    is proven (then no order costs less)."""

    current: int
    cheapest: int
    proven: bool
    lower_bound: int

    @property
    def saving(self) -> int:
        return self.current - self.cheapest

    @property
    def proof_text(self) -> str:
        """「已证最省」 only when proven, else 「未证最省，下界 ¥9,000」 with the proven bound."""
        if self.proven:
            return "已证最省"
        return f"未证最省，下界 ¥{self.lower_bound:,}"

    @property
    def verdict(self) -> str:
        if self.saving > 0:
            return f"按最省顺序可省 ¥{self.saving:,}"
        if self.proven:
            return "当前顺序已是最省（已证）"
        return "当前顺序与找到的最省顺序一样省"


def compare(current: Stripboard, cheapest: int, proven: bool, lower_bound: int) -> Comparison:
    """``current``'s cost beside the cheapest order's."""
    return Comparison(current.cost, cheapest, proven, lower_bound)


def orders_table(
    scenario: Scenario, title_id: str, orders: Sequence[tuple[Sequence[str], int]]
) -> pd.DataFrame:
    """Orders (scene ids, cost) one per row: the days' set types and scenes, and the cost."""
    records = []
    for number, (scene_ids, cost) in enumerate(orders, 1):
        days = order_days(scenario, title_id, scene_ids)
        records.append(
            {
                "#": number,
                "拍摄日 days": " → ".join(day.set_type for day in days),
                "场次 scenes": " | ".join(
                    ";".join(scene.scene_id for scene in day.scenes) for day in days
                ),
                "演员成本 cost": f"¥{cost:,}",
            }
        )
    return pd.DataFrame.from_records(
        records, columns=["#", "拍摄日 days", "场次 scenes", "演员成本 cost"]
    )


# -- drawing -------------------------------------------------------------------------------


def _mix(colour: str, towards: str, share: float) -> str:
    """``colour`` moved ``share`` of the way to ``towards`` (both ``#RRGGBB``)."""
    parts = [
        round(int(colour[i : i + 2], 16) * (1 - share) + int(towards[i : i + 2], 16) * share)
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{part:02X}" for part in parts)


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else float(((c + 0.055) / 1.055) ** 2.4)

    r, g, b = (linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink_on(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill`` (the higher WCAG contrast)."""
    light = _luminance(fill)
    return "#111111" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#FFFFFF"


def _strip_looks(scenario: Scenario) -> dict[tuple[str, str], tuple[str, str]]:
    """(set type, 日/夜) → (fill, ink): the set type's hue, light by day and dark by night."""
    colours: dict[tuple[str, str], tuple[str, str]] = {}
    for set_type, look in looks_for(scenario.set_types).items():
        day = _mix(look.colour, "#FFFFFF", DAY_TINT)
        night = _mix(look.colour, "#000000", NIGHT_SHADE)
        share = NIGHT_SHADE
        while _luminance(night) > WHITE_TEXT_LUMINANCE:  # a bright hue: darker, for white text
            share += 0.05
            night = _mix(look.colour, "#000000", share)
        colours[(set_type, "日")] = (day, ink_on(day))
        colours[(set_type, "夜")] = (night, ink_on(night))
    return colours


UNKNOWN_LOOKS = {"日": ("#E0E0E0", "#111111"), "夜": ("#424242", "#FFFFFF")}
"""The strips of a set type no set has (a scenario being edited): grey."""


_CELL = "padding:4px 8px;border-bottom:1px solid rgba(0,0,0,0.12);vertical-align:top;"
_NARROW = "white-space:nowrap;"
_BREAK = "padding:6px 8px;border-top:6px solid transparent;background-clip:padding-box;"


def _td(text: str, style: str = "", attributes: str = "") -> str:
    return f'<td style="{_CELL}{style}"{attributes}>{html.escape(text)}</td>'


def board_html(board: Stripboard) -> str:
    """The board as an HTML table (inline styles; every text escaped), with a legend of the
    strips' colours above it and the actors' days and cost below it."""
    head = "".join(
        f'<th style="{_CELL}{_NARROW}text-align:left;">{html.escape(name)}</th>'
        for name in SCENE_COLUMNS
    ) + "".join(
        f'<th style="{_CELL}{_NARROW}text-align:center;" title="{html.escape(a.actor_id)}">'
        f"{html.escape(a.name)}<br><span style='font-weight:normal;font-size:11px;opacity:0.7'>"
        f"{html.escape(a.actor_id)}</span></th>"
        for a in board.actors
    )
    body = []
    for row in board.rows:
        if isinstance(row, DayBreak):
            # a gap above, black, bold: the day break stands apart from the night strips
            strip = f"{_BREAK}background:{BREAK_FILL};color:{BREAK_INK};font-weight:600;"
            cells = [_td(row.text, strip + _NARROW, f' colspan="{len(SCENE_COLUMNS)}"')]
            cells += [
                _td(
                    held,
                    f"{_BREAK}background:{HOLD_FILL if held else BREAK_FILL};"
                    f"color:{HOLD_INK};text-align:center;font-weight:600;{_NARROW}",
                )
                for held in row.held
            ]
            body.append(f'<tr data-kind="day-break">{"".join(cells)}</tr>')
            continue
        colour = f"background:{row.fill};color:{row.ink};"
        widths = ("", "", "", _NARROW, _NARROW + "text-align:right;", "min-width:11em;")
        cells = [
            _td(text, colour + (_NARROW if n < 3 else "") + widths[n])
            for n, text in enumerate(row.cells)
        ]
        cells += [_td(mark, colour + "text-align:center;") for mark in row.marks]
        body.append(f'<tr data-kind="strip">{"".join(cells)}</tr>')
    foot = [
        _td(
            f"共 {len(board.day_breaks)} 天 · {len(board.strips)} 场 · "
            f"{sum(board.minutes_per_day)} 分钟 · {cost_line(board)}",
            f"background:{FOOT_FILL};font-weight:600;",
            f' colspan="{len(SCENE_COLUMNS)}"',
        )
    ]
    foot += [
        _td(
            f"{a.worked} 天" + (f" · 待命 {a.held}" if a.held else ""),
            f"background:{FOOT_FILL};text-align:center;{_NARROW}",
        )
        for a in board.actors
    ]
    table = (
        '<table style="border-collapse:collapse;width:100%;font-size:14px;line-height:1.45;">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
        f"<tfoot><tr>{''.join(foot)}</tr></tfoot></table>"
    )
    return (
        f'<div data-testid="stripboard">{_legend(board)}'
        f'<div style="overflow-x:auto;">{table}</div></div>'
    )


def _legend(board: Stripboard) -> str:
    """Chips of the strip colours on the board: set type and 日/夜."""
    seen = dict.fromkeys(
        (s.scene.set_type, s.scene.day_night, s.fill, s.ink) for s in board.strips
    )
    chips = [
        f'<span style="display:inline-block;margin:0 6px 6px 0;padding:2px 10px;'
        f'border-radius:4px;background:{fill};color:{ink};">'
        f"{html.escape(set_type)} {html.escape(day_night)}</span>"
        for set_type, day_night, fill, ink in sorted(seen)
    ]
    chips.append(
        f'<span style="display:inline-block;margin:0 6px 6px 0;padding:2px 10px;'
        f'border-radius:4px;background:{HOLD_FILL};color:{HOLD_INK};">{HOLD}</span>'
    )
    chips.append(f'<span style="opacity:0.75">{MARK} 有戏 in the scene</span>')
    return f'<div style="margin-bottom:6px;font-size:13px;">{"".join(chips)}</div>'
