"""顺场表 Stripboard: the view-model's rows for a constructed title, the sequencing service,
and the page in streamlit.testing on the month sample and on a planned tutorial.

The constructed title T05 (:func:`board_scenario`) has four scenes that pack into three
days — 办公室 [3] 700 min (A03) | 办公室 [1, 4] 700 min (A01 A03, A09) | 医院 [2] 500 min
(A01) — at day rates A01 ¥3,000, A03 ¥2,000, A09 ¥800. Shot 办公室 [3] | 医院 [2] |
办公室 [1, 4], A03 is held on the middle day: A01 2 days + A03 3 days + A09 1 day =
¥6,000 + ¥6,000 + ¥800 = ¥12,800, of which the hold is ¥2,000. The cheapest orders put
办公室 [1, 4] in the middle: 办公室 [3] | 办公室 [1, 4] | 医院 [2] or its reverse, A01 and A03
two days each: ¥10,800.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from scheduler.app import stripboard
from scheduler.app.support import open_store
from scheduler.domain.model import Need, Pin, Scenario, Title
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.scenes import Scene
from scheduler.io.validation import load_scenario
from scheduler.services.planning import plan_scenario, save_outcome
from scheduler.services.sequencing import title_orders
from scheduler.storage import ScenarioInfo, ScenarioStore
from tests.app_pages import open_page
from tests.factories import SAMPLES, dec, scene_scenario

HELD_ORDER = ("3", "2", "1", "4")
"""T05 shot 办公室 [3] | 医院 [2] | 办公室 [1, 4]: A03 held on the middle day."""


def board_scenario() -> Scenario:
    """The scene scenario with T05 (see the module docstring) beside T01 and T03."""
    sc = scene_scenario()
    scenes = (
        Scene("T05", "1", "办公室", 600, ("A01", "A03"), "日", "内", "董事会上两人对峙"),
        Scene("T05", "2", "医院", 500, ("A01",), "夜", "外", "医院门口<b>大雨</b>"),
        Scene("T05", "3", "办公室", 700, ("A03",), "夜", "内", "独自加班到天亮"),
        Scene("T05", "4", "办公室", 100, ("A09",), "日", "内", "快递员送来请柬"),
    )
    t05 = Title(
        "T05", "总裁的秘密", "都市", 1, dec(1), dec(10),
        (Need("办公室", 2), Need("医院", 1)), ("A01",), scenes=scenes,
    )  # fmt: skip
    return replace(sc, titles=(*sc.titles, t05))


def test_t05_packs_as_the_docstring_says() -> None:
    days = board_scenario().scene_days("T05")
    assert [(d.set_type, d.scene_ids, d.minutes) for d in days] == [
        ("办公室", ("3",), 700),
        ("办公室", ("1", "4"), 700),
        ("医院", ("2",), 500),
    ]


# -- the board's rows -------------------------------------------------------------------


def held_board() -> stripboard.Stripboard:
    sc = board_scenario()
    return stripboard.stripboard(sc, "T05", stripboard.order_days(sc, "T05", HELD_ORDER))


def test_day_breaks_open_each_day_with_its_minutes() -> None:
    board = held_board()
    breaks = board.day_breaks
    assert [b.text for b in breaks] == [
        "第 1 天 / 共 3 天 · 办公室 · 合计 700 分钟",
        "第 2 天 / 共 3 天 · 医院 · 合计 500 分钟",
        "第 3 天 / 共 3 天 · 办公室 · 合计 700 分钟",
    ]
    assert board.minutes_per_day == (700, 500, 700)
    # each day break comes right before its day's strips, in shooting order
    kinds = [
        "day" if isinstance(row, stripboard.DayBreak) else row.scene.scene_id for row in board.rows
    ]
    assert kinds == ["day", "3", "day", "2", "day", "1", "4"]
    assert board.scene_order == HELD_ORDER


def test_strips_mark_the_cast_of_each_scene() -> None:
    board = held_board()
    assert [a.actor_id for a in board.actors] == ["A01", "A03", "A09"]  # cast, then the rest
    marks = {strip.scene.scene_id: strip.marks for strip in board.strips}
    assert marks == {
        "3": ("", "●", ""),
        "2": ("●", "", ""),
        "1": ("●", "●", ""),
        "4": ("", "", "●"),
    }
    first = board.strips[0]
    assert first.cells == ("3", "内", "夜", "办公室", "700 分", "独自加班到天亮")


def test_a_held_actor_shows_待命_on_the_day_break() -> None:
    board = held_board()
    assert [b.held for b in board.day_breaks] == [("", "", ""), ("", "待命", ""), ("", "", "")]
    days = {a.actor_id: (a.worked, a.held) for a in board.actors}
    assert days == {"A01": (2, 0), "A03": (2, 1), "A09": (1, 0)}


def test_the_cost_is_booked_actor_days_times_day_rate() -> None:
    board = held_board()
    assert board.cost == 12_800
    assert (board.hold_days, board.hold_cost) == (1, 2_000)
    assert (
        stripboard.cost_line(board) == "演员成本 ¥12,800：订 6 人日 × 日薪，其中待命 1 人日 ¥2,000"
    )


def test_day_and_night_strips_are_light_and_dark_of_the_set_types_hue() -> None:
    board = held_board()
    by_scene = {s.scene.scene_id: s for s in board.strips}
    day, night = by_scene["1"], by_scene["3"]  # both 办公室
    assert stripboard._luminance(day.fill) > 0.6 > 0.1 > stripboard._luminance(night.fill)
    assert (day.ink, night.ink) == ("#111111", "#FFFFFF")


def test_every_strip_colour_of_the_month_reads_at_wcag_aa() -> None:
    # 12 set types: day tints take black text, night shades white, contrast ≥ 4.5 each
    def contrast(fill: str, ink: str) -> float:
        light, dark = sorted((stripboard._luminance(fill), stripboard._luminance(ink)))
        return (dark + 0.05) / (light + 0.05)

    month = load_scenario(MONTH)
    looks = stripboard._strip_looks(month)
    assert len(looks) == 2 * len(month.set_types)
    for (_set_type, day_night), (fill, ink) in looks.items():
        assert ink == ("#FFFFFF" if day_night == "夜" else "#111111")
        assert contrast(fill, ink) >= 4.5


def test_the_html_escapes_the_text_and_draws_every_row() -> None:
    page = stripboard.board_html(held_board())
    assert "医院门口&lt;b&gt;大雨&lt;/b&gt;" in page and "<b>大雨" not in page
    assert page.count('data-kind="day-break"') == 3 and page.count('data-kind="strip"') == 4
    assert "第 2 天 / 共 3 天 · 医院 · 合计 500 分钟" in page and ">待命<" in page


def test_a_plans_days_carry_their_dates_and_sets() -> None:
    sc = board_scenario()
    shoots = (
        Shoot("T05", dec(2), "B01", "S01", "C01", ("3",)),
        Shoot("T05", dec(3), "B01", "S02", "C01", ("2",)),
        Shoot("T05", dec(4), "B01", "S03", "C01", ("4", "1")),
    )
    shown = stripboard.shown_order(sc, "T05", Plan(shoots), ("1", "4", "3", "2"), plan_id=7)
    assert shown.source == "plan" and shown.scene_ids == ("3", "2", "4", "1")
    board = stripboard.stripboard(sc, "T05", shown.days)
    assert (
        board.day_breaks[2].text
        == "第 3 天 / 共 3 天 · 12-04 周五 · 办公室（S03） · 合计 700 分钟"
    )
    assert stripboard.source_text(shown, 7) == "方案 #7 的顺序"


def test_without_the_title_in_the_plan_the_pinned_then_the_cheapest_order_shows() -> None:
    sc = board_scenario()
    cheapest = ("3", "1", "4", "2")
    shown = stripboard.shown_order(sc, "T05", Plan((), {"T05": "无"}), cheapest, plan_id=2)
    assert (shown.source, shown.scene_ids) == ("cheapest", cheapest)
    assert shown.note == "方案 #2 未排此剧目"
    pinned = replace(sc, pins=(Pin("T05", scene_order=HELD_ORDER),))
    shown = stripboard.shown_order(pinned, "T05", None, cheapest)
    assert (shown.source, shown.scene_ids, shown.note) == ("pinned", HELD_ORDER, "")


def test_a_plan_made_before_the_scenes_changed_is_not_shown() -> None:
    sc = board_scenario()
    stale = Plan((Shoot("T05", dec(2), "B01", "S01", "C01", ("3", "2")),))
    shown = stripboard.shown_order(sc, "T05", stale, ("3", "1", "4", "2"), plan_id=1)
    assert shown.source == "cheapest" and "场次与当前场次表不符" in shown.note


def test_title_choices_list_the_titles_with_scenes() -> None:
    sc = replace(board_scenario(), pins=(Pin("T05", scene_order=HELD_ORDER),))
    choices = stripboard.title_choices(
        sc, Plan((Shoot("T01", dec(3), "B01", "S01", "C01", ("1",)),))
    )
    assert choices == {
        "T01": "T01 霸道总裁的契约新娘（3 场 · 3 天 · 12-03 起）",
        "T03": "T03 闪婚后大佬宠我上天（2 场 · 2 天 · 未排）",
        "T05": "T05 总裁的秘密（4 场 · 3 天 · 未排 · 已锁定顺序）",
    }


# -- re-sequencing ---------------------------------------------------------------------


def test_the_sequencer_finds_the_cheapest_order_proven() -> None:
    sc = board_scenario()
    orders = title_orders(sc, "T05")
    assert orders.proven and orders.cheapest.cost == orders.lower_bound == 10_800
    cheapest = stripboard.stripboard(
        sc, "T05", stripboard.order_days(sc, "T05", orders.cheapest.scene_ids)
    )
    assert cheapest.cost == 10_800 and cheapest.hold_days == 0  # the board agrees
    assert [o.cost for o in orders.slate] == sorted(o.cost for o in orders.slate)
    assert orders.slate[0].cost == 10_800 and all(o.cost >= 10_800 for o in orders.slate)


def test_the_comparison_says_已证最省_only_when_proven() -> None:
    comparison = stripboard.compare(held_board(), 10_800, True, 10_800)
    assert (comparison.saving, comparison.proof_text) == (2_000, "已证最省")
    assert comparison.verdict == "按最省顺序可省 ¥2,000"
    unproven = stripboard.compare(held_board(), 10_800, False, 9_000)
    assert unproven.proof_text == "未证最省，下界 ¥9,000" and "已证" not in unproven.proof_text


def test_the_sequencing_service_refuses_a_title_without_scenes() -> None:
    sc = scene_scenario()
    bare = replace(sc.titles[0], scenes=())
    with pytest.raises(ValueError, match="no scenes"):
        title_orders(replace(sc, titles=(bare,)), "T01")


# -- the page --------------------------------------------------------------------------

MONTH = SAMPLES / "zhengzhou-month"
MONTH_TITLE = "T0332"
"""A month title of three 豪车内景 days and five actors."""


@pytest.fixture
def month_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[ScenarioStore, ScenarioInfo]:
    """A fresh SQLite database holding only the month sample, which the app opens on."""
    url = f"sqlite:///{tmp_path}/month.db"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    store = open_store(url)
    return store, store.create(load_scenario(MONTH))


def board_page(app: AppTest) -> str:
    """The board's HTML as the page draws it."""
    boards = [
        element.value for element in app.get("html") if 'data-testid="stripboard"' in element.value
    ]
    assert len(boards) == 1
    return boards[0]


def test_the_page_shows_the_strips_re_sequences_pins_and_unpins(month_db) -> None:
    store, info = month_db
    app = open_page(info, "stripboard.py")
    assert not app.exception
    assert app.title[0].value == "顺场表 Stripboard"
    assert "第 1 天 / 共" in board_page(app) and 'data-kind="strip"' in board_page(app)

    app.selectbox(key="stripboard_title").set_value(MONTH_TITLE).run()
    assert not app.exception
    scenario, version = store.load(info.scenario_id)
    orders = title_orders(scenario, MONTH_TITLE)
    page = board_page(app)
    assert (
        "第 3 天 / 共 3 天" in page
        and scenario.title_by_id[MONTH_TITLE].scenes[0].description in page
    )

    app.button(key="stripboard_resequence").click().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["最省顺序 Cheapest（已证最省）"] == f"¥{orders.cheapest.cost:,}"
    assert metrics["当前顺序 Current（最省）"] == f"¥{orders.cheapest.cost:,}"  # no plan yet

    app.button(key="stripboard_pin").click().run()
    assert not app.exception
    pinned, after = store.load(info.scenario_id)
    assert after == version + 1
    assert pinned.pin_by_title[MONTH_TITLE].scene_order == orders.cheapest.scene_ids
    assert any("已锁定" in s.value for s in app.success)

    app.button(key="stripboard_unpin").click().run()
    assert not app.exception
    unpinned, last = store.load(info.scenario_id)
    assert last == version + 2 and MONTH_TITLE not in unpinned.pin_by_title
    assert unpinned.pins == scenario.pins


def test_the_page_shows_the_plans_order_and_dates(tutorial_db) -> None:
    store, info = tutorial_db
    scenario, version = store.load(info.scenario_id)
    outcome = plan_scenario(scenario, time_limit=5)
    save_outcome(store, info.scenario_id, version, outcome)

    app = open_page(info, "stripboard.py")
    assert not app.exception
    title_id = app.selectbox(key="stripboard_title").value
    first = min(s.date for s in outcome.plan.shoots_of(title_id))
    page = board_page(app)
    assert f"第 1 天 / 共 2 天 · {first:%m-%d}" in page
    assert any(c.value.startswith("方案 \\#1 的顺序") for c in app.caption)
