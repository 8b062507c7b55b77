"""Sweeps and their runs in the database (migration 0007), on SQLite and PostgreSQL.

The storage tests' fixtures (:mod:`tests.storage_fixtures`): a migrated, emptied
database per test, or an empty one for the migrations.
"""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from scheduler.domain.changes import Change
from scheduler.storage import NotFoundError, ScenarioStore, StorageError, get_engine
from scheduler.storage.engine import create_database_engine, upgrade
from scheduler.storage.rows import metadata
from tests.factories import storage_plan, storage_scenario, sweep_kpis


def test_a_sweep_and_its_runs_come_back_as_stored(store: ScenarioStore) -> None:
    base = store.create(storage_scenario("基础场景"))
    variant = store.create(storage_scenario("扫描 · 加1个剧组"))

    info = store.create_sweep(
        "扫描", 'name = "扫描"\n', base_scenario="基础场景", base_scenario_id=base.scenario_id
    )
    first = store.add_sweep_run(info.sweep_id, "加1个剧组", 0, scenario_id=variant.scenario_id)
    second = store.add_sweep_run(info.sweep_id, "加1个剧组", 1, scenario_id=variant.scenario_id)
    store.update_sweep_run(second, "running")
    kpis = sweep_kpis("加1个剧组", 0, sweep="扫描", sweep_id=info.sweep_id, status="optimal")
    changes = [Change("T1", "改期", "12-01", "12-02", "B1 停用")]
    plan_id = store.save_sweep_plan(
        first,
        variant.scenario_id,
        1,
        storage_plan(),
        kpis,
        "加1个剧组 · 种子0",
        changes,
        solve_seconds=30.25,
        wall_seconds=30.5,
        overhead_seconds=0.25,
    )

    assert (info.name, info.source, info.state) == ("扫描", 'name = "扫描"\n', "running")
    assert (info.base_scenario, info.base_scenario_id) == ("基础场景", base.scenario_id)
    done, running = store.sweep_runs(info.sweep_id)
    assert (done.run_id, done.variant, done.seed, done.state) == (first, "加1个剧组", 0, "done")
    assert (done.plan_id, done.scenario_id, done.error) == (plan_id, variant.scenario_id, "")
    assert (done.solve_seconds, done.wall_seconds, done.overhead_seconds) == (30.25, 30.5, 0.25)
    assert (running.run_id, running.state, running.plan_id) == (second, "running", None)
    plan, stored_kpis, plan_info = store.load_plan(plan_id)
    assert plan == storage_plan() and stored_kpis["sweep"]["variant"] == "加1个剧组"
    assert plan_info.label == "加1个剧组 · 种子0" and store.load_changes(plan_id) == changes
    (listed,) = store.list_sweeps()
    assert (listed.run_count, listed.done_count, listed.failed_count) == (2, 1, 0)


def test_a_failed_run_keeps_its_error_and_the_sweep_its_state(store: ScenarioStore) -> None:
    info = store.create_sweep("扫描")
    run = store.add_sweep_run(info.sweep_id, "现状", 0)

    store.update_sweep_run(run, "failed", error="KeyError: 'A_GONE'", wall_seconds=1.5)
    store.update_sweep(info.sweep_id, "failed")

    (stored,) = store.sweep_runs(info.sweep_id)
    assert (stored.state, stored.wall_seconds) == ("failed", 1.5)
    assert stored.error == "KeyError: 'A_GONE'"
    assert stored.solve_seconds is None and stored.scenario_id is None
    assert store.sweep_info(info.sweep_id).state == "failed"
    assert store.sweep_info(info.sweep_id).failed_count == 1


def test_sweeps_are_listed_newest_first(store: ScenarioStore) -> None:
    older = store.create_sweep("一月")
    newer = store.create_sweep("一月")  # the same sweep run again: a new sweep

    assert [info.sweep_id for info in store.list_sweeps()] == [newer.sweep_id, older.sweep_id]


def test_a_run_of_the_same_variant_and_seed_twice_is_refused(store: ScenarioStore) -> None:
    info = store.create_sweep("扫描")
    store.add_sweep_run(info.sweep_id, "现状", 0)

    with pytest.raises(StorageError, match="已在 sweep"):
        store.add_sweep_run(info.sweep_id, "现状", 0)
    store.add_sweep_run(info.sweep_id, "现状", 1)  # another seed is another run
    assert [run.seed for run in store.sweep_runs(info.sweep_id)] == [0, 1]


def test_what_is_not_there_is_not_found(store: ScenarioStore) -> None:
    info = store.create_sweep("扫描")

    with pytest.raises(NotFoundError, match="找不到批量推演 sweep"):
        store.sweep_runs(info.sweep_id + 1)
    with pytest.raises(NotFoundError):
        store.add_sweep_run(info.sweep_id + 1, "现状", 0)
    with pytest.raises(NotFoundError, match="找不到场景"):
        store.add_sweep_run(info.sweep_id, "现状", 0, scenario_id=404)
    with pytest.raises(NotFoundError, match="sweep run"):
        store.update_sweep_run(404, "done")
    with pytest.raises(NotFoundError):
        store.create_sweep("扫描", base_scenario_id=404)
    assert len(store.list_sweeps()) == 1  # the refused sweep left nothing behind


def test_states_outside_the_vocabulary_are_refused(store: ScenarioStore) -> None:
    info = store.create_sweep("扫描")
    run = store.add_sweep_run(info.sweep_id, "现状", 0)

    with pytest.raises(ValueError, match="finished"):
        store.update_sweep_run(run, "finished")
    with pytest.raises(ValueError, match="paused"):
        store.update_sweep(info.sweep_id, "paused")
    assert store.sweep_runs(info.sweep_id)[0].state == "queued"


def test_deleting_a_plan_or_a_scenario_keeps_the_run_and_clears_its_reference(
    store: ScenarioStore,
) -> None:
    variant = store.create(storage_scenario("扫描 · 现状"))
    info = store.create_sweep("扫描", base_scenario_id=variant.scenario_id)
    run = store.add_sweep_run(info.sweep_id, "现状", 0, scenario_id=variant.scenario_id)
    plan_id = store.save_sweep_plan(run, variant.scenario_id, 1, storage_plan(), {}, "现状 种子0")

    store.delete_plan(plan_id)
    (kept,) = store.sweep_runs(info.sweep_id)
    assert (kept.state, kept.plan_id, kept.scenario_id) == ("done", None, variant.scenario_id)

    store.delete(variant.scenario_id)
    (kept,) = store.sweep_runs(info.sweep_id)
    assert (kept.state, kept.scenario_id) == ("done", None)
    assert store.sweep_info(info.sweep_id).base_scenario_id is None


def test_deleting_a_sweep_deletes_its_runs_but_not_their_plans(store: ScenarioStore) -> None:
    variant = store.create(storage_scenario("扫描 · 现状"))
    info = store.create_sweep("扫描")
    run = store.add_sweep_run(info.sweep_id, "现状", 0, scenario_id=variant.scenario_id)
    plan_id = store.save_sweep_plan(run, variant.scenario_id, 1, storage_plan(), {}, "现状 种子0")

    store.delete_sweep(info.sweep_id)

    assert store.list_sweeps() == []
    with pytest.raises(NotFoundError):
        store.sweep_runs(info.sweep_id)
    assert store.load_plan(plan_id)[2].label == "现状 种子0"
    with pytest.raises(NotFoundError):
        store.delete_sweep(info.sweep_id)


def test_a_plan_for_a_missing_scenario_leaves_the_run_as_it_was(store: ScenarioStore) -> None:
    info = store.create_sweep("扫描")
    run = store.add_sweep_run(info.sweep_id, "现状", 0)

    with pytest.raises(NotFoundError):
        store.save_sweep_plan(run, 404, 1, storage_plan(), {}, "现状 · 种子0")

    (kept,) = store.sweep_runs(info.sweep_id)
    assert (kept.state, kept.plan_id) == ("queued", None)


# -- migration 0007 --------------------------------------------------------------------


def test_0007_adds_the_sweep_tables_to_a_database_at_0006_and_removes_them_again(
    empty_db_url: str,
) -> None:
    engine: Engine = create_database_engine(empty_db_url)
    try:
        upgrade(engine, "0006")
        assert not {"sweep", "sweep_run"} & set(inspect(engine).get_table_names())
        scenario_id = ScenarioStore(engine).create(storage_scenario("旧场景")).scenario_id
    finally:
        engine.dispose()

    reopened = get_engine(empty_db_url)  # what a newer ShootPlan does on start
    try:
        store = ScenarioStore(reopened)
        assert store.list_sweeps() == []
        info = store.create_sweep("扫描", base_scenario_id=scenario_id)
        store.add_sweep_run(info.sweep_id, "现状", 0, scenario_id=scenario_id)
        with reopened.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        downgrade_to(reopened, "0006")
        assert not {"sweep", "sweep_run"} & set(inspect(reopened).get_table_names())
        assert [i.name for i in store.list()] == ["旧场景"]  # the scenario stays
    finally:
        reopened.dispose()


def downgrade_to(engine: Engine, revision: str) -> None:
    """Downgrade ``engine``'s schema to ``revision`` (in one transaction, as upgrades run)."""
    from alembic import command

    from scheduler.storage.engine import alembic_config, migration_connection

    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
