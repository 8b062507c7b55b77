"""Scene breakdowns in the database: scenes, day_minutes and a shoot's scenes come back equal.

Every test runs twice, on a SQLite file and on PostgreSQL, with the storage tests'
fixtures (:mod:`tests.storage_fixtures`: a migrated, emptied database per test, or an
empty one for the migrations).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from scheduler.domain.model import Need, Scenario
from scheduler.domain.plan import Plan, Shoot
from scheduler.domain.scenes import Scene
from scheduler.io.tables import write_scenario
from scheduler.io.validation import load_scenario
from scheduler.storage import ScenarioStore, get_engine
from scheduler.storage.engine import (
    alembic_config,
    create_database_engine,
    migration_connection,
    upgrade,
)
from scheduler.storage.errors import UnstorableScenarioError
from scheduler.storage.rows import metadata
from tests.factories import SAMPLES, dec, insert_old_scenario_and_plan, scene_scenario


def stored_scenes_scenario() -> Scenario:
    """The scene scenario with 600 working minutes a day and extra columns on a scene and a
    need, so that every field of the scene table and the settings is exercised."""
    base = replace(scene_scenario(), day_minutes=600)
    t01, t03 = base.titles
    first = replace(t01.scenes[0], extra={"道具": "辞职信"})
    t01 = replace(
        t01,
        scenes=(first, *t01.scenes[1:]),
        needs=(replace(t01.needs[0], extra={"备注": "夜戏多"}), t01.needs[1]),
    )
    return replace(base, titles=(t01, t03))


def scene_shoots() -> Plan:
    """T01 on 12-01 … 12-03 (scenes 1 | 2 | 3), T03 on 12-04 … 12-05 (1 | 2)."""
    return Plan(
        (
            Shoot("T01", dec(1), "B01", "S01", "C01", ("1",)),
            Shoot("T01", dec(2), "B01", "S03", "C01", ("2",)),
            Shoot("T01", dec(3), "B01", "S02", "C01", ("3",)),
            Shoot("T03", dec(4), "B01", "S01", "C03", ("1",)),
            Shoot("T03", dec(5), "B01", "S02", "C03", ("2",)),
        ),
        {},
    )


def count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())


# -- scenarios ----------------------------------------------------------------------------


def test_scenes_and_day_minutes_come_back_equal(store: ScenarioStore) -> None:
    scenario = stored_scenes_scenario()
    info = store.create(scenario)

    loaded, version = store.load(info.scenario_id)

    assert loaded == scenario and version == 1
    assert loaded.day_minutes == 600 and loaded.settings_extra == {}
    t01 = loaded.title_by_id["T01"]
    assert [s.scene_id for s in t01.scenes] == ["1", "2", "3"]  # file order, not id order
    assert t01.scenes[1].cast == ("A01", "A09") and t01.scenes[0].extra == {"道具": "辞职信"}
    assert t01.needs[0] == Need("办公室", 2, {"备注": "夜戏多"})


def test_a_save_replaces_the_scenes(store: ScenarioStore, engine: Engine) -> None:
    info = store.create(stored_scenes_scenario())
    scenario, version = store.load(info.scenario_id)
    t01, _t03 = scenario.titles
    longer = replace(
        t01,
        scenes=(*t01.scenes, Scene("T01", "4", "医院", 200, ("A01",), "夜", "外", "天台对峙")),
    )
    changed = replace(scenario, titles=(longer,), day_minutes=720)  # T03 and its scenes go

    assert store.save(info.scenario_id, changed, version) == 2

    assert store.load(info.scenario_id) == (changed, 2)
    assert count(engine, "scene") == 4


def test_deleting_a_scenario_deletes_its_scenes(store: ScenarioStore, engine: Engine) -> None:
    kept = store.create(replace(stored_scenes_scenario(), name="保留"))
    gone = store.create(replace(stored_scenes_scenario(), name="删除"))
    assert count(engine, "scene") == 10

    store.delete(gone.scenario_id)

    assert count(engine, "scene") == 5
    assert store.load(kept.scenario_id)[0] == replace(stored_scenes_scenario(), name="保留")


def test_a_clone_copies_the_scenes(store: ScenarioStore) -> None:
    original = store.create(stored_scenes_scenario())
    copy = store.clone(original.scenario_id, "场次测试 副本")
    loaded, _version = store.load(copy.scenario_id)
    assert loaded == replace(stored_scenes_scenario(), name="场次测试 副本")


def test_unstorable_scenes_are_refused_before_any_write(
    store: ScenarioStore, engine: Engine
) -> None:
    scenario = stored_scenes_scenario()
    t01 = scenario.titles[0]
    nul = replace(t01.scenes[2], description="病房\x00和解")
    bad = replace(scenario, titles=(replace(t01, scenes=(*t01.scenes[:2], nul)),))

    with pytest.raises(UnstorableScenarioError) as caught:
        store.create(replace(bad, day_minutes=2**40))

    where = [f"{p.file}:{p.row}:{p.column}" for p in caught.value.problems]
    assert where == ["scenario.toml:0:day_minutes", "scenes.csv:4:description"]
    assert "scene T01 3" in caught.value.problems[1].message
    assert count(engine, "scenario") == 0


# -- plans and publications --------------------------------------------------------------


def test_a_plan_keeps_each_shoots_scenes(store: ScenarioStore) -> None:
    info = store.create(stored_scenes_scenario())
    plan = replace(
        scene_shoots(),
        shoots=(*scene_shoots().shoots, Shoot("T02", dec(6), "B01", "S01", "C01")),
    )
    plan_id = store.save_plan(info.scenario_id, 1, plan, {"status": "feasible"}, "场次方案")

    loaded, _kpis, _info = store.load_plan(plan_id)

    assert loaded == plan
    assert loaded.shoots[-1].scenes == ()  # a title without scenes lists none


def test_a_publication_keeps_the_scenes_as_published(store: ScenarioStore) -> None:
    info = store.create(stored_scenes_scenario())
    plan_id = store.save_plan(info.scenario_id, 1, scene_shoots(), {"status": "optimal"})

    published = store.create_publication(info.scenario_id, plan_id, dec(2), "王统筹")
    store.delete_plan(plan_id)
    shoots, _info = store.load_publication(published.publication_id)

    assert shoots.shoots == scene_shoots().shoots[:3]  # T01 shoots on 12-01: all of it


# -- the month sample, through every format ------------------------------------------------


def test_month_sample_goes_csv_to_database_to_workbook_and_back_unchanged(
    store: ScenarioStore, tmp_path: Path
) -> None:
    sample = SAMPLES / "zhengzhou-month"
    original = load_scenario(sample)
    assert sum(len(title.scenes) for title in original.titles) > 1000
    info = store.create(original)
    from_database, _version = store.load(info.scenario_id)
    assert from_database == original
    write_scenario(from_database, tmp_path / "book.xlsx")
    from_workbook = load_scenario(tmp_path / "book.xlsx")
    assert from_workbook == original
    write_scenario(from_workbook, tmp_path / "folder")
    for csv_file in sorted(sample.glob("*.csv")):
        assert (tmp_path / "folder" / csv_file.name).read_bytes() == csv_file.read_bytes()


# -- migrations ---------------------------------------------------------------------------


def test_a_database_at_0003_opens_with_scenes(empty_db_url: str) -> None:
    # what a ShootPlan before scene breakdowns stored: a scenario, a title, a plan, a shoot
    old = create_database_engine(empty_db_url)
    try:
        upgrade(old, "0003")
        with old.begin() as connection:
            scenario_id, plan_id = insert_old_scenario_and_plan(connection)
    finally:
        old.dispose()

    reopened = get_engine(empty_db_url)  # what the newer ShootPlan does on start
    try:
        store = ScenarioStore(reopened)
        scenario, _version = store.load(scenario_id)
        assert scenario.day_minutes == 720 and scenario.titles[0].scenes == ()
        assert scenario.titles[0].needs == (Need("办公室", 1),)
        plan, _kpis, _info = store.load_plan(plan_id)
        assert plan.shoots == (Shoot("T1", dec(2), "B1", "S1", "C1"),)
        with reopened.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        reopened.dispose()


def test_the_scene_revision_goes_down_and_up_again(empty_db_url: str) -> None:
    engine = create_database_engine(empty_db_url)
    try:
        upgrade(engine)
        assert "scene" in inspect(engine).get_table_names()
        config = alembic_config()
        with migration_connection(engine) as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
        inspector = inspect(engine)
        assert "scene" not in inspector.get_table_names()
        assert "scenes" not in {c["name"] for c in inspector.get_columns("plan_shoot")}
        assert "day_minutes" not in {c["name"] for c in inspector.get_columns("scenario")}
        upgrade(engine)
        info = ScenarioStore(engine).create(stored_scenes_scenario())
        assert ScenarioStore(engine).load(info.scenario_id)[0] == stored_scenes_scenario()
    finally:
        engine.dispose()
