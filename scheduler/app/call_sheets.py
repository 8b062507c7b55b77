"""通告单 Call sheets: what one crew shoots on one day, when, where and with whom.

A :class:`CallSheet` is made for each shoot of a day (:func:`day_call_sheets`; one crew
shoots one title a day): the title, 第 X 天 / 共 N 天 of its shoot, the date, the base and
its address, the sets booked, the crew call, first shot and estimated wrap, the scenes in the
plan's shooting order (``Shoot.scenes``) with estimated start times, the cast with a make-up
call and an on-set call per actor, and the crew's next shoot day in brief (or 「休息」).
Actors held that day (booked between their first and last scene day without a scene, rule 10)
are listed as 待命, without a call. A title without scenes calls its whole cast for the first
shot and says 「本剧目未录入场次」. The files are made by :mod:`scheduler.app.call_sheet_files`.

Times are estimates from the scenes' minutes and settings a 统筹 may change in the
``[call_sheet]`` table of scenario.toml (:func:`call_sheet_settings`); the defaults:

============================== ========= ==========================================================
key                            default   meaning
============================== ========= ==========================================================
``crew_call``                  ``07:00`` 剧组集合 crew call
``first_shot_after_minutes``   60        开机 first shot, minutes after the crew call
``reset_minutes``              10        换场 reset between two scenes
``meal_after``                 ``12:00`` 午饭 the meal follows the scene running at this time
``meal_minutes``               60        午饭 the meal break
``makeup_minutes``             60        化妆 make-up call, minutes before an actor's first scene
``costume_makeup_minutes``     90        the same for a title of a costume genre
``costume_genres``             ``古装``    genres (a ``;`` list) that take the longer make-up
``on_set_minutes``             15        到场 on-set call, minutes before an actor's first scene
============================== ========= ==========================================================

The first scene starts at the first shot, each next one ``reset_minutes`` after the one
before ends. The meal break follows the first scene that ends at or after ``meal_after``
(or, when the reset carries the next scene past it, comes before that scene) and replaces
that reset; there is none when the first shot is at or after ``meal_after``, nor when the
scene running at ``meal_after`` is the day's last (the day wraps instead). The estimated
wrap is the end of the last scene. A title without scenes works the scenario's
``day_minutes`` from the first shot, with the meal at ``meal_after`` inside them.
Streamlit-free.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

import pandas as pd

from scheduler.app.shoot_days import ShootDay, shoot_days_by_title
from scheduler.domain.model import Scenario
from scheduler.domain.plan import Plan
from scheduler.domain.scenes import Scene

SETTINGS_TABLE = "call_sheet"
"""The table of scenario.toml (kept in ``Scenario.settings_extra``) holding the settings."""

NO_SCENES = "本剧目未录入场次"
"""What a call sheet of a title without a scene breakdown says instead of a scene list."""
REST = "休息"
"""The next day of a crew with no later shoot in the plan."""
HOLD = "待命"
"""An actor booked without a scene that day: held, not called."""
MEAL = "午饭"
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
NEXT_SCENES = 3
"""Scenes of the next shoot day named in brief."""

DAY = 24 * 60

TIMETABLE_COLUMNS = (
    "场次 scene",
    "开始 start",
    "结束 end",
    "内/外",
    "日/夜",
    "分钟 min",
    "内容 description",
    "演员 cast",
)
CAST_COLUMNS = (
    "演员 actor",
    "演员编号 actor id",
    "化妆 make-up",
    "到场 on set",
    "场次 scenes",
    "备注 note",
)


@dataclass(frozen=True)
class CallSheetSettings:
    """The times a call sheet is estimated with, in minutes (clock times: after midnight)."""

    crew_call: int = 7 * 60
    first_shot_after: int = 60
    reset: int = 10
    meal_after: int = 12 * 60
    meal: int = 60
    makeup: int = 60
    costume_makeup: int = 90
    costume_genres: tuple[str, ...] = ("古装",)
    on_set: int = 15

    @property
    def first_shot(self) -> int:
        return self.crew_call + self.first_shot_after

    def makeup_for(self, genre: str) -> int:
        """Minutes of make-up before an actor's first scene in a title of ``genre``."""
        return self.costume_makeup if genre in self.costume_genres else self.makeup

    def summary(self) -> str:
        """The settings in one line, as a call sheet prints them."""
        costume = "、".join(self.costume_genres) or "无"
        return (
            f"时间为估算（scenario.toml [{SETTINGS_TABLE}]）：集合 {clock(self.crew_call)}，"
            f"集合后 {self.first_shot_after} 分钟开机，换场 {self.reset} 分钟，"
            f"午饭 {self.meal} 分钟（{clock(self.meal_after)} 所在场次之后），"
            f"化妆提前 {self.makeup} 分钟（{costume} {self.costume_makeup} 分钟），"
            f"到场提前 {self.on_set} 分钟。"
        )


_CLOCK_KEYS = ("crew_call", "meal_after")
_MINUTE_KEYS = {
    "first_shot_after_minutes": "first_shot_after",
    "reset_minutes": "reset",
    "meal_minutes": "meal",
    "makeup_minutes": "makeup",
    "costume_makeup_minutes": "costume_makeup",
    "on_set_minutes": "on_set",
}
SETTING_KEYS: tuple[str, ...] = (*_CLOCK_KEYS, *_MINUTE_KEYS, "costume_genres")
"""The keys the ``[call_sheet]`` table may hold."""
_CLOCK = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*$")


def _setting_error(key: str, value: object, expected: str, expected_zh: str) -> ValueError:
    where = f"scenario.toml [{SETTINGS_TABLE}] {key}"
    return ValueError(f"{where}: {value!r} {expected} / {where}：{value!r} {expected_zh}")


def _clock_setting(key: str, value: object) -> int:
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    found = _CLOCK.match(value) if isinstance(value, str) else None
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise _setting_error(
            key,
            value,
            "is not a time; expected HH:MM such as 07:00",
            "不是时刻，应写成 HH:MM，如 07:00",
        )
    return int(found[1]) * 60 + int(found[2])


def _minutes_setting(key: str, value: object) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= DAY:
        raise _setting_error(
            key,
            value,
            "is not minutes; expected a whole number 0…1440",
            "不是分钟数，应为 0…1440 的整数",
        )
    return value


def _genres_setting(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        items: Sequence[object] = value.split(";")
    elif isinstance(value, list | tuple):
        items = value
    else:
        raise _setting_error(
            "costume_genres",
            value,
            "is not a list of genres; expected text such as 古装;仙侠",
            "不是题材列表，应写成 古装;仙侠 这样的文字",
        )
    return tuple(str(item).strip() for item in items if str(item).strip())


def call_sheet_settings(scenario: Scenario) -> CallSheetSettings:
    """The ``[call_sheet]`` settings of ``scenario``; a key left out takes its default.

    Raises
    ------
    ValueError
        Naming the key, when the table holds an unknown key or a value that is not
        a time (``HH:MM``), a number of minutes (0…1440) or a list of genres.
    """
    table = scenario.settings_extra.get(SETTINGS_TABLE, {})
    if not isinstance(table, Mapping):
        raise _setting_error(
            "",
            table,
            "is not a table; expected [call_sheet] with keys",
            "不是表，应为 [call_sheet] 加若干键",
        )
    unknown = sorted(str(key) for key in table if key not in SETTING_KEYS)
    if unknown:
        raise _setting_error(
            unknown[0],
            table[unknown[0]],
            f"is not a known key; expected one of {', '.join(SETTING_KEYS)}",
            f"不是可用的键，可用：{'、'.join(SETTING_KEYS)}",
        )
    values: dict[str, Any] = {}
    for key in _CLOCK_KEYS:
        if key in table:
            values[key] = _clock_setting(key, table[key])
    for key, name in _MINUTE_KEYS.items():
        if key in table:
            values[name] = _minutes_setting(key, table[key])
    if "costume_genres" in table:
        values["costume_genres"] = _genres_setting(table["costume_genres"])
    return CallSheetSettings(**values)


# -- the call sheet ------------------------------------------------------------------------


def clock(minutes: int) -> str:
    """A time of day as ``'07:30'``; past midnight ``'次日 01:10'``, before it ``'前日 23:30'``."""
    shown = f"{minutes % DAY // 60:02d}:{minutes % 60:02d}"
    if minutes < 0:
        return f"前日 {shown}"
    return shown if minutes < DAY else f"次日 {shown}"


def clock_time(minutes: int) -> time | None:
    """The time of day as :class:`datetime.time`; ``None`` past midnight."""
    return time(minutes // 60, minutes % 60) if 0 <= minutes < DAY else None


@dataclass(frozen=True)
class SceneCall:
    """One scene of the day with its estimated start and end and its cast's names."""

    scene: Scene
    start: int
    end: int
    cast: tuple[str, ...]


@dataclass(frozen=True)
class Break:
    """A break in the day's timetable (the meal)."""

    label: str
    start: int
    end: int


@dataclass(frozen=True)
class ActorCall:
    """One actor of the day: calls and scenes, or held (待命) without a call.

    Times are ``None`` for a held actor.
    """

    actor_id: str
    name: str
    makeup: int | None
    on_set: int | None
    first: int | None
    done: int | None
    scene_ids: tuple[str, ...] = ()

    @property
    def held(self) -> bool:
        return self.first is None


@dataclass(frozen=True)
class NextDay:
    """The crew's next shoot day in brief; ``rest`` are the days off before it."""

    when: date
    title_id: str
    title_name: str
    base_name: str
    crew_call: int
    first_scenes: tuple[str, ...]
    rest: tuple[date, ...] = ()


@dataclass(frozen=True)
class CallSheet:
    """One crew's shoot day, as its call sheet (通告单) says it."""

    scenario_name: str
    date: date
    crew_id: str
    crew_name: str
    title_id: str
    title_name: str
    genre: str
    day_number: int
    days: int
    base_id: str
    base_name: str
    address: str
    address_given: bool
    """False when bases.csv has no ``address`` for the base: ``address`` is its city and name."""
    sets: tuple[tuple[str, str], ...]
    """(set id, set type) booked that day."""
    crew_call: int
    first_shot: int
    wrap: int
    has_scenes: bool
    timetable: tuple[SceneCall | Break, ...]
    cast: tuple[ActorCall, ...]
    next_day: NextDay | None
    settings: CallSheetSettings = field(default_factory=CallSheetSettings)

    @property
    def scenes(self) -> tuple[SceneCall, ...]:
        return tuple(item for item in self.timetable if isinstance(item, SceneCall))

    @property
    def meal(self) -> Break | None:
        return next((item for item in self.timetable if isinstance(item, Break)), None)

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.date.weekday()]

    @property
    def day_text(self) -> str:
        """``'第 3 天 / 共 5 天'``."""
        return f"第 {self.day_number} 天 / 共 {self.days} 天"

    @property
    def sets_text(self) -> str:
        return "、".join(f"{set_id} {set_type}" for set_id, set_type in self.sets)

    @property
    def address_text(self) -> str:
        return self.address if self.address_given else f"{self.address}（未录入详细地址）"

    def next_day_lines(self) -> list[tuple[str, str]]:
        """The next day in brief as (label, text) lines; 「休息」 when nothing follows."""
        nxt = self.next_day
        if nxt is None:
            return [("次日 next day", f"{REST}（计划内本剧组无后续拍摄）")]
        lines: list[tuple[str, str]] = []
        if nxt.rest:
            span = f"{nxt.rest[0]:%m-%d}" + (
                f" 至 {nxt.rest[-1]:%m-%d}" if len(nxt.rest) > 1 else ""
            )
            lines.append(("次日 next day", f"{REST}（{span}，共 {len(nxt.rest)} 天）"))
        lines += [
            ("下一拍摄日 next shoot", f"{nxt.when.isoformat()} {WEEKDAYS[nxt.when.weekday()]}"),
            ("剧目 title", f"《{nxt.title_name}》（{nxt.title_id}）"),
            ("基地 base", nxt.base_name),
            ("集合 crew call", clock(nxt.crew_call)),
            ("首场 first scenes", "；".join(nxt.first_scenes) or NO_SCENES),
        ]
        return lines


def scene_times(
    settings: CallSheetSettings, minutes: Sequence[int]
) -> list[tuple[int, int] | Break]:
    """Start and end of scenes of ``minutes`` shot in order from the first shot, with the meal
    break where it falls (the rules of the module docstring)."""
    items: list[tuple[int, int] | Break] = []
    cursor = settings.first_shot
    meal_due = settings.first_shot < settings.meal_after
    for number, length in enumerate(minutes):
        if number:
            if meal_due and cursor + settings.reset >= settings.meal_after:
                items.append(Break(MEAL, cursor, cursor + settings.meal))
                cursor += settings.meal
                meal_due = False
            else:
                cursor += settings.reset
        items.append((cursor, cursor + length))
        cursor += length
        if meal_due and cursor >= settings.meal_after and number < len(minutes) - 1:
            items.append(Break(MEAL, cursor, cursor + settings.meal))
            cursor += settings.meal - settings.reset  # the meal replaces the reset
            meal_due = False
    return items


def _names(scenario: Scenario, actor_ids: Sequence[str]) -> tuple[str, ...]:
    by_id = scenario.actor_by_id
    return tuple(by_id[a].name if a in by_id else a for a in actor_ids)


def _scene_brief(scene: Scene) -> str:
    text = f"{scene.scene_id} {scene.int_ext}/{scene.day_night}"
    return f"{text} {scene.description}".strip() if scene.description else text


def _cast_calls(
    scenario: Scenario,
    day: ShootDay,
    settings: CallSheetSettings,
    genre: str,
    scenes: Sequence[SceneCall],
    whole_day: tuple[int, int],
) -> tuple[ActorCall, ...]:
    """Each actor of the day in the title's cast order: calls from their first scene."""
    title = scenario.title_by_id[day.shoot.title_id]
    makeup = settings.makeup_for(genre)
    calls = []
    for actor_id, name in zip(title.actors, _names(scenario, title.actors), strict=True):
        if actor_id not in day.booked:
            continue
        if not title.has_scenes:
            first, done = whole_day
            ids: tuple[str, ...] = ()
        else:
            own = [s for s in scenes if actor_id in s.scene.cast]
            if not own:
                calls.append(ActorCall(actor_id, name, None, None, None, None))
                continue
            first, done = own[0].start, own[-1].end
            ids = tuple(s.scene.scene_id for s in own)
        calls.append(
            ActorCall(actor_id, name, first - makeup, first - settings.on_set, first, done, ids)
        )
    return tuple(calls)


def _next_day(
    scenario: Scenario,
    plan: Plan,
    days: Mapping[str, list[ShootDay]],
    crew_id: str,
    when: date,
    settings: CallSheetSettings,
) -> NextDay | None:
    later = [s for s in plan.shoots if s.crew_id == crew_id and s.date > when]
    if not later:
        return None
    shoot = min(later, key=lambda s: (s.date, s.set_id))
    day = next(d for d in days.get(shoot.title_id, []) if d.shoot == shoot)
    title = scenario.title_by_id[shoot.title_id]
    base = scenario.base_by_id.get(shoot.base_id)
    rest = tuple(date.fromordinal(n) for n in range(when.toordinal() + 1, shoot.date.toordinal()))
    return NextDay(
        shoot.date,
        title.title_id,
        title.name,
        base.name if base else shoot.base_id,
        settings.crew_call,
        tuple(_scene_brief(scene) for scene in day.scenes[:NEXT_SCENES]),
        rest,
    )


def _call_sheet(
    scenario: Scenario,
    plan: Plan,
    days: Mapping[str, list[ShootDay]],
    day: ShootDay,
    settings: CallSheetSettings,
) -> CallSheet:
    shoot = day.shoot
    title = scenario.title_by_id[shoot.title_id]
    crew = scenario.crew_by_id.get(shoot.crew_id)
    base = scenario.base_by_id.get(shoot.base_id)
    address = str(base.extra.get("address", "")).strip() if base else ""
    film_set = scenario.set_by_id.get(shoot.set_id)
    timetable: list[SceneCall | Break] = []
    if title.has_scenes:
        times = iter(scene_times(settings, [scene.minutes for scene in day.scenes]))
        scenes = iter(day.scenes)
        for item in times:
            if isinstance(item, Break):
                timetable.append(item)
            else:
                scene = next(scenes)
                timetable.append(SceneCall(scene, *item, _names(scenario, scene.cast)))
        wrap = timetable[-1].end if timetable else settings.first_shot
    else:
        start, wrap = settings.first_shot, settings.first_shot + scenario.day_minutes
        if start < settings.meal_after < wrap:
            timetable.append(Break(MEAL, settings.meal_after, settings.meal_after + settings.meal))
            wrap += settings.meal
    scene_calls = [item for item in timetable if isinstance(item, SceneCall)]
    cast = _cast_calls(
        scenario, day, settings, title.genre, scene_calls, (settings.first_shot, wrap)
    )
    return CallSheet(
        scenario_name=scenario.name,
        date=shoot.date,
        crew_id=shoot.crew_id,
        crew_name=crew.name if crew else shoot.crew_id,
        title_id=title.title_id,
        title_name=title.name,
        genre=title.genre,
        day_number=day.number,
        days=day.of,
        base_id=shoot.base_id,
        base_name=base.name if base else shoot.base_id,
        address=address or (f"{base.city} {base.name}" if base else shoot.base_id),
        address_given=bool(address),
        sets=((shoot.set_id, film_set.set_type if film_set else ""),),
        crew_call=settings.crew_call,
        first_shot=settings.first_shot,
        wrap=wrap,
        has_scenes=title.has_scenes,
        timetable=tuple(timetable),
        cast=cast,
        next_day=_next_day(scenario, plan, days, shoot.crew_id, shoot.date, settings),
        settings=settings,
    )


def day_call_sheets(scenario: Scenario, plan: Plan, when: date) -> list[CallSheet]:
    """A call sheet per shoot on ``when``, crews in the scenario's file order.

    Raises
    ------
    ValueError
        When the ``[call_sheet]`` settings are bad, or a shoot names a scene its title
        does not have.
    """
    settings = call_sheet_settings(scenario)
    days = shoot_days_by_title(scenario, plan)
    crew_order = {crew.crew_id: n for n, crew in enumerate(scenario.crews)}
    today = sorted(
        (d for title_days in days.values() for d in title_days if d.shoot.date == when),
        key=lambda d: (crew_order.get(d.shoot.crew_id, len(crew_order)), d.shoot),
    )
    return [_call_sheet(scenario, plan, days, day, settings) for day in today]


def call_sheet(scenario: Scenario, plan: Plan, crew_id: str, when: date) -> CallSheet:
    """The call sheet of ``crew_id`` on ``when``.

    Raises
    ------
    ValueError
        When the crew does not shoot that day (and as :func:`day_call_sheets`).
    """
    for sheet in day_call_sheets(scenario, plan, when):
        if sheet.crew_id == crew_id:
            return sheet
    raise ValueError(
        f"crew {crew_id} does not shoot on {when.isoformat()} / "
        f"剧组 {crew_id} 在 {when.isoformat()} 没有拍摄"
    )


# -- what the page offers -----------------------------------------------------------------


def shoot_dates(plan: Plan) -> list[date]:
    """Dates on which the plan shoots anything, in order."""
    return sorted({shoot.date for shoot in plan.shoots})


def crews_on(scenario: Scenario, plan: Plan, when: date) -> dict[str, str]:
    """Crews shooting on ``when`` (file order) → a label: ``'张导剧组（C1）·《…》'``."""
    titles = {s.crew_id: s.title_id for s in plan.shoots if s.date == when}
    labels = {}
    for crew in scenario.crews:
        if crew.crew_id in titles:
            title = scenario.title_by_id.get(titles[crew.crew_id])
            name = title.name if title else titles[crew.crew_id]
            labels[crew.crew_id] = f"{crew.name}（{crew.crew_id}）·《{name}》"
    for crew_id in sorted(set(titles) - set(labels)):
        labels[crew_id] = crew_id
    return labels


def timetable_frame(sheet: CallSheet) -> pd.DataFrame:
    """The day's scenes and breaks in order, times as ``'08:00'``: what the page previews."""
    rows = []
    for item in sheet.timetable:
        if isinstance(item, Break):
            rows.append(
                (
                    item.label,
                    clock(item.start),
                    clock(item.end),
                    "",
                    "",
                    item.end - item.start,
                    "",
                    "",
                )
            )
            continue
        scene = item.scene
        rows.append(
            (
                scene.scene_id,
                clock(item.start),
                clock(item.end),
                scene.int_ext,
                scene.day_night,
                scene.minutes,
                scene.description,
                "、".join(item.cast),
            )
        )
    return pd.DataFrame(rows, columns=list(TIMETABLE_COLUMNS))


def cast_frame(sheet: CallSheet) -> pd.DataFrame:
    """The day's cast with make-up and on-set calls (held actors: 待命, no call)."""
    rows = [
        (
            actor.name,
            actor.actor_id,
            clock(actor.makeup) if actor.makeup is not None else "",
            clock(actor.on_set) if actor.on_set is not None else "",
            "、".join(actor.scene_ids),
            f"{HOLD}（本日无戏）" if actor.held else "",
        )
        for actor in sheet.cast
    ]
    return pd.DataFrame(rows, columns=list(CAST_COLUMNS))
