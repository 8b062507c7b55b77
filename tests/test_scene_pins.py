"""A pinned scene order (pins.csv ``scene_order``): validated, stored, kept by the solver and
checked by rule 8 — in pairs, kept and broken.

The scenario is :func:`tests.factories.scene_scenario`: T01's scenes 1 (办公室 600 min,
A01), 2 (办公室 500, A01 A09) and 3 (医院 300, A01) pack into three days, 办公室 [1] |
办公室 [2] | 医院 [3]; T03's scenes 1 (办公室 400, A03 A09) and 2 (医院 500, A03) into two.
Written as CSV, pins.csv's only row is line 2; scenes.csv holds T01's scenes on lines 2–4
and T03's on 5–6 (see :mod:`tests.test_scenes_input`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from scheduler.check.bookings import actor_bookings
from scheduler.check.checker import check_plan
from scheduler.domain.model import Need, Pin, Scenario, Title
from scheduler.domain.plan import Plan
from scheduler.domain.scenes import days_in_order
from scheduler.io.tables import read_tables, write_scenario
from scheduler.io.validation import load_scenario
from scheduler.services.pinning import (
    PinError,
    pin_from_plan,
    pin_scene_order,
    unpin,
    unpin_scene_order,
)
from scheduler.storage import ScenarioStore, get_engine
from scheduler.storage.engine import (
    alembic_config,
    create_database_engine,
    migration_connection,
    upgrade,
)
from solver.slate.candidates import enumerate_candidates
from solver.slate.greedy import greedy_plan
from solver.slate.solve import solve
from tests.factories import dec as d
from tests.factories import insert_old_scenario_and_plan, scene_scenario
from tests.factories import scene_run as run
from tests.factories import shoot_plan as plan
from tests.test_validation import problems, read_rows, set_cell, write_rows


def pinned(order: str, title_id: str = "T01", **changes: object) -> Scenario:
    """The scene scenario with ``title_id``'s scenes pinned to ``order`` (``;`` separated)."""
    pin = Pin(title_id, scene_order=tuple(order.split(";")))
    return replace(scene_scenario(**changes), pins=(pin,))


def shot(result_plan: Plan, title_id: str) -> list[list[str]]:
    """The title's scenes as the plan shoots them, day by day."""
    return [list(s.scenes) for s in sorted(result_plan.shoots_of(title_id))]


def one_day_office() -> Scenario:
    """T01 with scenes 1 (办公室 300) and 2 (办公室 400) packed into one 700-minute day, and 3
    (医院 300): two days, 办公室 [1, 2] | 医院 [3]."""
    sc = scene_scenario()
    t01 = sc.title_by_id["T01"]
    scenes = (replace(t01.scenes[0], minutes=300), replace(t01.scenes[1], minutes=400))
    t01 = replace(t01, scenes=(*scenes, t01.scenes[2]), needs=(Need("办公室", 1), Need("医院", 1)))
    return replace(sc, titles=(t01, sc.title_by_id["T03"]))


def with_hold() -> Scenario:
    """T01 with A09 in scenes 1 and 3 (its first and last packed day): shooting 1 | 2 | 3
    holds A09 on the middle day (¥800 more than any order that puts day 2 at an end)."""
    sc = scene_scenario()
    t01 = sc.title_by_id["T01"]
    first, second, third = t01.scenes
    scenes = (
        replace(first, cast=("A01", "A09")),
        replace(second, cast=("A01",)),
        replace(third, cast=("A01", "A09")),
    )
    return replace(sc, titles=(replace(t01, scenes=scenes), sc.title_by_id["T03"]))


# -- the packed days in a pinned order ----------------------------------------------------


def test_an_order_of_the_packed_days_gives_them_in_that_order() -> None:
    sc = one_day_office()
    days = days_in_order(sc.scene_days("T01"), ["3", "2", "1"])
    assert days is not None
    assert [(day.set_type, day.scene_ids) for day in days] == [
        ("医院", ("3",)),
        ("办公室", ("2", "1")),  # the scenes inside the day in the pinned order
    ]


def test_an_order_splitting_a_day_or_not_all_scenes_once_gives_none() -> None:
    days = one_day_office().scene_days("T01")
    assert days_in_order(days, ["1", "3", "2"]) is None  # day [1, 2] split by 3
    assert days_in_order(days, ["1", "2"]) is None  # 3 missing
    assert days_in_order(days, ["1", "2", "3", "3"]) is None  # 3 twice
    assert days_in_order(days, ["1", "2", "9"]) is None  # 9 is no scene of T01


# -- validation: pins.csv's scene_order ---------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The scene scenario with T01 pinned to 3;2;1, written as a valid CSV folder."""
    path = tmp_path / "scenes"
    write_scenario(pinned("3;2;1"), path)
    return path


def test_a_pinned_scene_order_loads_and_writes_back(folder: Path, tmp_path: Path) -> None:
    assert read_rows(folder, "pins") == [
        ["title_id", "start_date", "base_id", "crew_id", "scene_order"],
        ["T01", "", "", "", "3;2;1"],
    ]
    assert load_scenario(folder) == pinned("3;2;1")
    write_scenario(pinned("3;2;1"), tmp_path / "again.xlsx")
    assert load_scenario(tmp_path / "again.xlsx") == pinned("3;2;1")


def test_pins_without_a_scene_order_write_pins_csv_as_before(tmp_path: Path) -> None:
    sc = replace(scene_scenario(), pins=(Pin("T01", crew_id="C01"),))
    write_scenario(sc, tmp_path / "plain")
    assert read_rows(tmp_path / "plain", "pins")[0] == [
        "title_id",
        "start_date",
        "base_id",
        "crew_id",
    ]
    assert load_scenario(tmp_path / "plain") == sc


def test_a_scene_order_may_use_the_full_width_semicolon(folder: Path) -> None:
    set_cell(folder, "pins", 2, "scene_order", "3；2；1")
    assert load_scenario(folder).pins[0].scene_order == ("3", "2", "1")


def test_a_scene_order_that_is_not_the_titles_scenes_each_once(folder: Path) -> None:
    set_cell(folder, "pins", 2, "scene_order", "3;3;9")
    assert problems(folder) == [
        "pins.csv:2:scene_order: scene 3 is listed twice; expected each scene of T01 once",
        "pins.csv:2:scene_order: 9 is not a scene of T01 in scenes.csv; expected its scene "
        "ids: 1;2;3",
        "pins.csv:2:scene_order: scene(s) 1;2 of T01 are missing; expected every scene of the "
        "title once, in shooting order",
    ]


def test_a_scene_order_keeping_each_packed_day_together(folder: Path) -> None:
    # scene 1 at 200 minutes: T01's 办公室 scenes 1 and 2 pack into one 700-minute day
    set_cell(folder, "scenes", 2, "minutes", "200")
    set_cell(folder, "title_needs", 2, "days", "1")
    set_cell(folder, "pins", 2, "scene_order", "3;2;1")
    days = load_scenario(folder).scene_days("T01")
    assert [day.scene_ids for day in days] == [("1", "2"), ("3",)]


def test_a_scene_order_splitting_a_packed_day(folder: Path) -> None:
    set_cell(folder, "scenes", 2, "minutes", "200")
    set_cell(folder, "title_needs", 2, "days", "1")
    set_cell(folder, "pins", 2, "scene_order", "1;3;2")
    assert problems(folder) == [
        "pins.csv:2:scene_order: scenes 1;2 are shot on one day (办公室, 700 minutes packed) "
        "but the order puts 3 between them; expected the scenes of each packed day next to "
        "each other",
    ]


def test_a_scene_order_for_a_title_without_scenes(folder: Path) -> None:
    rows = read_rows(folder, "scenes")
    write_rows(folder, "scenes", rows[:4])  # T03 keeps its title_needs rows only
    set_cell(folder, "pins", 2, "title_id", "T03")
    set_cell(folder, "pins", 2, "scene_order", "1;2")
    assert problems(folder) == [
        "pins.csv:2:scene_order: T03 has no scenes in scenes.csv; a scene_order is only for a "
        "title with scenes, expected it blank",
    ]


def test_scene_order_problems_in_chinese(folder: Path) -> None:
    from scheduler.domain.errors import ScenarioError

    set_cell(folder, "pins", 2, "scene_order", "3;2")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert [p.format("zh") for p in caught.value.problems] == [
        "pins.csv:2:scene_order: 缺少剧目 T01 的场次 1；应按拍摄顺序列出该剧目的每个场次各一次",
    ]


def test_read_tables_keep_the_scene_order_column(folder: Path) -> None:
    table = read_tables(folder).tables["pins"]
    assert table.columns[-1] == "scene_order" and table.rows[0]["scene_order"] == "3;2;1"


# -- pinning a scene order (services) -------------------------------------------------


def test_pin_scene_order_adds_a_pin_and_keeps_the_other_fields() -> None:
    sc = replace(scene_scenario(), pins=(Pin("T03", crew_id="C03"), Pin("T01", base_id="B01")))
    changed = pin_scene_order(sc, "T01", ["3", "1", "2"])
    assert changed.pins == (
        Pin("T03", crew_id="C03"),
        Pin("T01", base_id="B01", scene_order=("3", "1", "2")),  # in its place
    )
    added = pin_scene_order(scene_scenario(), "T03", ["2", "1"])
    assert added.pins == (Pin("T03", scene_order=("2", "1")),)


def test_pin_scene_order_refuses_what_validation_refuses() -> None:
    with pytest.raises(PinError, match="不是剧目 T01"):
        pin_scene_order(one_day_office(), "T01", ["1", "3", "2"])  # splits day [1, 2]
    with pytest.raises(PinError, match="没有录入场次"):
        pin_scene_order(replace(scene_scenario(), titles=(_no_scenes(),)), "T09", ["1"])
    with pytest.raises(PinError, match="场景中没有剧目"):
        pin_scene_order(scene_scenario(), "T99", ["1"])


def _no_scenes() -> Title:
    return Title("T09", "无场次", "都市", 1, d(1), d(10), (Need("办公室", 1),), ("A01",))


def test_unpin_scene_order_frees_the_order_and_drops_an_empty_pin() -> None:
    both = replace(
        scene_scenario(), pins=(Pin("T01", crew_id="C01", scene_order=("3", "2", "1")),)
    )
    assert unpin_scene_order(both, "T01").pins == (Pin("T01", crew_id="C01"),)
    assert unpin_scene_order(pinned("3;2;1"), "T01").pins == ()
    with pytest.raises(PinError, match="没有锁定场次顺序"):
        unpin_scene_order(scene_scenario(), "T01")


def test_pinning_from_a_plan_keeps_the_pinned_scene_order() -> None:
    sc = pinned("3;2;1")
    kept = plan(run("T01", 1, ["S02", "S01", "S03"], "C01", [["3"], ["2"], ["1"]]))
    assert pin_from_plan(sc, kept, "T01").pins == (
        Pin("T01", base_id="B01", crew_id="C01", scene_order=("3", "2", "1")),
    )
    assert unpin(sc, "T01").pins == ()  # unpinning the title drops the order too


# -- rule 8 in the checker ------------------------------------------------------------

# T03 on 12-04 … 12-05, scenes 1 | 2, beside each T01 below
T03 = run("T03", 4, ["S03", "S04"], "C03", [["1"], ["2"]])


def test_rule_8_a_pinned_scene_order_kept() -> None:
    # T01 shoots 3 | 2 | 1 from 12-01, as pinned
    t01 = run("T01", 1, ["S02", "S01", "S03"], "C01", [["3"], ["2"], ["1"]])
    assert check_plan(pinned("3;2;1"), plan(t01, T03)) == []


def test_rule_8_a_pinned_scene_order_broken() -> None:
    # T01 shoots 2 | 1 | 3; its pin says 3 | 2 | 1: they differ from the first scene, 12-01
    t01 = run("T01", 1, ["S01", "S03", "S02"], "C01", [["2"], ["1"], ["3"]])
    found = check_plan(pinned("3;2;1"), plan(t01, T03))
    assert [(v.rule, v.title_id, v.date) for v in found] == [(8, "T01", d(1))]
    assert found[0].message == (
        "rule 8: title T01 shoots its scenes in the order 2;1;3; pinned to 3;2;1 (they differ "
        "from scene number 1 on)"
    )
    assert found[0].message_zh == (
        "规则8：剧目 T01 的拍摄顺序为 2;1;3；锁定顺序为 3;2;1（自第 1 场起不同）"
    )


def test_rule_8_the_order_of_scenes_inside_a_day_counts() -> None:
    sc = replace(one_day_office(), pins=(Pin("T01", scene_order=("3", "2", "1")),))
    kept = run("T01", 1, ["S02", "S01"], "C01", [["3"], ["2", "1"]])
    broken = run("T01", 1, ["S02", "S01"], "C01", [["3"], ["1", "2"]])
    assert check_plan(sc, plan(kept, T03)) == []
    found = check_plan(sc, plan(broken, T03))
    assert [(v.rule, v.date) for v in found] == [(8, d(2))]  # from scene number 2, on 12-02


def test_rule_8_a_title_pinned_to_a_scene_order_is_scheduled() -> None:
    found = check_plan(pinned("3;2;1"), plan(unscheduled={"T01": "无", "T03": "无"}))
    assert [(v.rule, v.title_id) for v in found] == [(8, "T01")]
    assert "pinned (scene order 3;2;1) but not scheduled" in found[0].message


# -- the solver keeps a pinned order ------------------------------------------------------


def test_the_candidates_of_a_pinned_title_shoot_the_pinned_order_only() -> None:
    found = enumerate_candidates(pinned("3;1;2")).by_title["T01"]
    assert found.possible and found.pinned and not found.orders_capped
    assert {p.scenes for p in found.placements} == {(("3",), ("1",), ("2",))}


def test_the_solver_shoots_the_pinned_order() -> None:
    sc = pinned("3;1;2")
    result = solve(sc, checker=check_plan, time_limit=10)
    assert check_plan(sc, result.plan) == []
    assert shot(result.plan, "T01") == [["3"], ["1"], ["2"]]
    assert result.plan.scheduled_title_ids == {"T01", "T03"}


def test_the_solver_keeps_a_pinned_order_that_costs_more() -> None:
    # 1 | 2 | 3 holds A09 on the middle day: ¥800 more than the cheapest orders, still kept
    free = with_hold()
    cheapest = solve(free, checker=check_plan, time_limit=10)
    assert shot(cheapest.plan, "T01")[1] != ["2"]  # unpinned: day 2 goes to an end
    sc = replace(free, pins=(Pin("T01", scene_order=("1", "2", "3")),))
    result = solve(sc, checker=check_plan, time_limit=10)
    assert check_plan(sc, result.plan) == []
    assert shot(result.plan, "T01") == [["1"], ["2"], ["3"]]
    held = {(b.actor_id, b.title_id): len(b.held) for b in actor_bookings(sc, result.plan)}
    assert {key: n for key, n in held.items() if n} == {("A09", "T01"): 1}


def test_the_solver_keeps_the_pinned_order_inside_a_day() -> None:
    sc = replace(one_day_office(), pins=(Pin("T01", scene_order=("3", "2", "1")),))
    result = solve(sc, checker=check_plan, time_limit=10)
    assert check_plan(sc, result.plan) == []
    assert shot(result.plan, "T01") == [["3"], ["2", "1"]]


def test_the_greedy_plan_keeps_a_pinned_order() -> None:
    for sc in (pinned("3;1;2"), pinned("2;1", "T03")):
        greedy = greedy_plan(sc)
        assert check_plan(sc, greedy) == []
        pin = sc.pins[0]
        assert [sid for s in sorted(greedy.shoots_of(pin.title_id)) for sid in s.scenes] == list(
            pin.scene_order
        )


# -- storage --------------------------------------------------------------------------


def test_a_pinned_scene_order_comes_back_from_the_database(store: ScenarioStore) -> None:
    sc = replace(
        scene_scenario(),
        pins=(Pin("T01", crew_id="C01", scene_order=("3", "2", "1")), Pin("T03", base_id="B01")),
    )
    info = store.create(sc)
    assert store.load(info.scenario_id) == (sc, 1)
    unpinned = unpin_scene_order(sc, "T01")
    store.save(info.scenario_id, unpinned, 1)
    assert store.load(info.scenario_id) == (unpinned, 2)


def test_a_database_at_0004_opens_with_free_scene_orders(empty_db_url: str) -> None:
    old = create_database_engine(empty_db_url)
    try:
        upgrade(old, "0004")
        with old.begin() as connection:
            scenario_id, _plan_id = insert_old_scenario_and_plan(connection)
            connection.execute(
                text(
                    "INSERT INTO pin (scenario_id, title_id, position, crew_id, extra) "
                    "VALUES (:s, 'T1', 0, 'C1', '{}')"
                ),
                {"s": scenario_id},
            )
    finally:
        old.dispose()

    reopened = get_engine(empty_db_url)  # what the newer ShootPlan does on start
    try:
        scenario, _version = ScenarioStore(reopened).load(scenario_id)
        assert scenario.pins == (Pin("T1", crew_id="C1"),)
    finally:
        reopened.dispose()


def test_the_scene_order_revision_goes_down_and_up_again(empty_db_url: str) -> None:
    engine = create_database_engine(empty_db_url)
    try:
        upgrade(engine)
        config = alembic_config()
        with migration_connection(engine) as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
        assert "scene_order" not in {c["name"] for c in inspect(engine).get_columns("pin")}
        upgrade(engine)
        info = ScenarioStore(engine).create(pinned("3;2;1"))
        assert ScenarioStore(engine).load(info.scenario_id)[0] == pinned("3;2;1")
    finally:
        engine.dispose()


def test_an_unstorable_scene_order_is_refused(store: ScenarioStore) -> None:
    from scheduler.storage.errors import UnstorableScenarioError

    sc = replace(scene_scenario(), pins=(Pin("T01", scene_order=("3", "2\x00", "1")),))
    with pytest.raises(UnstorableScenarioError):
        store.create(sc)
