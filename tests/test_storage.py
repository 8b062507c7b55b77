"""Storage: scenarios and plans survive the database unchanged, and no write is ever half done.

Every test runs twice, on a SQLite file and on PostgreSQL (each test in a
fresh schema of ``SHOOTPLAN_TEST_POSTGRES_URL``). A PostgreSQL server that
cannot be reached fails the run, unless ``SHOOTPLAN_SKIP_POSTGRES=1``.
"""

from __future__ import annotations

import sys
import threading
import types
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from scheduler.app import support as app_support
from scheduler.cli.main import main
from scheduler.domain.changes import Change
from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.model import Crew, Pin, Scenario
from scheduler.domain.plan import Plan
from scheduler.io.tables import write_scenario
from scheduler.storage import (
    DuplicateNameError,
    NotFoundError,
    ScenarioStore,
    StaleScenarioError,
    StorageError,
    database_url,
    get_engine,
    repository,
)
from scheduler.storage.engine import alembic_config, create_database_engine, upgrade
from scheduler.storage.rows import PlanShootRow, TitleRow, metadata
from tests.factories import (
    insert_old_scenario_and_plan,
    storage_plan,
    storage_scenario,
    storage_two_title_plan,
)
from tests.storage_fixtures import (
    REPO,
    TABLES,
)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every ShootPlan table, sorted: to compare the database before and after."""
    with engine.connect() as connection:
        return {
            table: sorted(
                (
                    tuple(repr(value) for value in row)
                    for row in connection.execute(text(f'SELECT * FROM "{table}"'))
                ),
            )
            for table in sorted(TABLES)
        }


# -- round trip -------------------------------------------------------------------


def test_round_trip_keeps_everything(store: ScenarioStore) -> None:
    scenario = storage_scenario()
    info = store.create(scenario)

    loaded, version = store.load(info.scenario_id)

    assert loaded == scenario
    assert version == info.version == 1
    # File order, not id order, and the pieces equality might gloss over.
    assert [base.base_id for base in loaded.bases] == ["B2", "B1"]
    assert [title.title_id for title in loaded.titles] == ["T3", "T1", "T2"]
    assert Pin("T3", None, None, None) in loaded.pins  # kept, though it fixes nothing
    assert "T3" not in loaded.pin_by_title
    assert loaded.settings_extra["published_until"] == date(2026, 12, 7)
    assert loaded.titles[0].needs[1].extra == {"备注": "夜戏"}
    assert isinstance(loaded.crews[0].genres, tuple)


def test_round_trip_with_empty_optional_sheets(store: ScenarioStore) -> None:
    scenario = storage_scenario("空白可选表", optional_sheets=False)
    info = store.create(scenario)

    loaded, _version = store.load(info.scenario_id)

    assert loaded == scenario
    assert (loaded.unavailable, loaded.travel, loaded.pins) == ((), (), ())
    assert loaded.settings_extra == {}


def test_info_counts_titles_and_bases(store: ScenarioStore) -> None:
    info = store.create(storage_scenario())

    assert (info.name, info.version, info.title_count, info.base_count) == (
        "郑州基地群 12月 测试",
        1,
        3,
        2,
    )
    assert info.updated_at.tzinfo is not None


# -- list, find, clone, rename, delete -----------------------------------------------


def test_list_and_find(store: ScenarioStore) -> None:
    assert store.list() == []
    first = store.create(storage_scenario("乙 场景"))
    second = store.create(storage_scenario("甲 场景", optional_sheets=False))

    assert {info.name for info in store.list()} == {"甲 场景", "乙 场景"}
    assert store.find("甲 场景") == second
    assert store.find("乙 场景") == first
    assert store.find("丙 场景") is None


def test_clone_is_a_separate_copy(store: ScenarioStore) -> None:
    original = store.create(storage_scenario("基准方案"))

    copy = store.clone(original.scenario_id, "基准方案 加一个剧组")
    scenario, version = store.load(copy.scenario_id)
    more_crews = replace(scenario, crews=(*scenario.crews, Crew("C9", "新剧组", "B1", 7000)))
    store.save(copy.scenario_id, more_crews, version)

    assert copy.scenario_id != original.scenario_id
    assert copy.version == 1
    assert scenario == replace(storage_scenario("基准方案"), name="基准方案 加一个剧组")
    assert store.load(original.scenario_id) == (storage_scenario("基准方案"), 1)
    assert len(store.load(copy.scenario_id)[0].crews) == 3


def test_rename_changes_the_name_and_the_version(store: ScenarioStore) -> None:
    info = store.create(storage_scenario("旧名"))

    renamed = store.rename(info.scenario_id, "新名")

    assert (renamed.name, renamed.version) == ("新名", 2)
    assert store.find("旧名") is None
    assert store.load(info.scenario_id) == (storage_scenario("新名"), 2)


def test_delete_removes_the_scenario_its_content_and_its_plans(
    store: ScenarioStore, engine: Engine
) -> None:
    kept = store.create(storage_scenario("保留"))
    gone = store.create(storage_scenario("删除"))
    store.save_plan(gone.scenario_id, 1, storage_plan(), {"status": "feasible"}, "草稿")
    kept_plan = store.save_plan(kept.scenario_id, 1, storage_plan(), {"status": "optimal"}, "")
    before = snapshot(engine)

    store.delete(gone.scenario_id)

    assert [info.name for info in store.list()] == ["保留"]
    with pytest.raises(NotFoundError):
        store.load(gone.scenario_id)
    with pytest.raises(NotFoundError):
        store.delete(gone.scenario_id)
    after = snapshot(engine)
    # Cascade: every content and plan table lost rows, and exactly the deleted scenario's.
    for table in TABLES - {"scenario", "plan", "plan_shoot", "plan_unscheduled"}:
        assert len(after[table]) * 2 == len(before[table]), table
    assert len(after["plan_shoot"]) * 2 == len(before["plan_shoot"])
    assert len(after["plan_unscheduled"]) * 2 == len(before["plan_unscheduled"])
    assert [plan.plan_id for plan in store.list_plans(kept.scenario_id)] == [kept_plan]


def test_missing_ids_raise_not_found(store: ScenarioStore) -> None:
    with pytest.raises(NotFoundError, match="找不到场景"):
        store.load(404)
    with pytest.raises(NotFoundError):
        store.save(404, storage_scenario(), 1)
    with pytest.raises(NotFoundError):
        store.rename(404, "无")
    with pytest.raises(NotFoundError):
        store.load_plan(404)


def test_deleted_ids_are_not_reused(store: ScenarioStore) -> None:
    # An app page still holding the deleted id must not reach a newer scenario.
    first = store.create(storage_scenario("甲"))
    store.delete(first.scenario_id)

    second = store.create(storage_scenario("乙"))

    assert second.scenario_id != first.scenario_id


# -- names ---------------------------------------------------------------------------


def test_duplicate_name_is_refused_in_chinese_and_english(
    store: ScenarioStore, engine: Engine
) -> None:
    first = store.create(storage_scenario("重名"))
    other = store.create(storage_scenario("另一个"))
    before = snapshot(engine)

    with pytest.raises(DuplicateNameError) as created:
        store.create(storage_scenario("重名", optional_sheets=False))
    with pytest.raises(DuplicateNameError):
        store.clone(other.scenario_id, "重名")
    with pytest.raises(DuplicateNameError):
        store.rename(other.scenario_id, "重名")
    with pytest.raises(DuplicateNameError):
        store.save(other.scenario_id, storage_scenario("重名"), 1)

    assert "已有名为「重名」的场景" in str(created.value)
    assert "a scenario named '重名' is already stored" in str(created.value)
    assert snapshot(engine) == before
    assert store.rename(first.scenario_id, "重名").version == 2  # its own name is fine


# -- versions -----------------------------------------------------------------------


def test_second_save_of_the_same_version_is_refused(store: ScenarioStore) -> None:
    info = store.create(storage_scenario("并发编辑"))
    mine, my_version = store.load(info.scenario_id)
    theirs, their_version = store.load(info.scenario_id)
    my_edit = replace(mine, days=28)
    their_edit = replace(theirs, titles=theirs.titles[:1])

    assert store.save(info.scenario_id, my_edit, my_version) == 2
    with pytest.raises(StaleScenarioError) as stale:
        store.save(info.scenario_id, their_edit, their_version)

    message = str(stale.value)
    assert "版本 2" in message and "比你载入的版本 1 新" in message
    assert "saved by someone else as version 2" in message
    assert "newer than version 1 you loaded" in message
    assert (stale.value.stored_version, stale.value.expected_version) == (2, 1)
    assert store.load(info.scenario_id) == (my_edit, 2)  # the first save is intact


def test_concurrent_saves_cannot_both_win(db_url: str) -> None:
    # Two engines, as two app processes would have; both saves start together.
    engines = [get_engine(db_url), get_engine(db_url)]
    stores = [ScenarioStore(engine) for engine in engines]
    info = stores[0].create(storage_scenario("同时保存"))
    edits = [
        storage_scenario("同时保存", optional_sheets=False),
        replace(storage_scenario("同时保存"), days=30),
    ]
    start = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def save(index: int) -> None:
        start.wait()
        try:
            outcomes[index] = stores[index].save(info.scenario_id, edits[index], 1)
        except Exception as error:  # collected and asserted below
            outcomes[index] = error

    threads = [threading.Thread(target=save, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    try:
        winners = [index for index, outcome in enumerate(outcomes) if outcome == 2]
        losers = [o for o in outcomes if isinstance(o, StaleScenarioError)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        assert stores[0].load(info.scenario_id) == (edits[winners[0]], 2)
    finally:
        for engine in engines:
            engine.dispose()


def test_failure_halfway_through_a_save_leaves_the_database_as_before(
    store: ScenarioStore, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = store.create(storage_scenario("保存失败"))
    store.save_plan(info.scenario_id, 1, storage_plan(), {"status": "feasible"}, "")
    before = snapshot(engine)
    real_insert = repository.insert_rows

    def insert_then_fail(session: Any, row_class: type, records: Any) -> None:
        # By the time titles are inserted, the version is bumped, the old
        # content deleted and bases, sets, crews and actors written anew.
        if row_class is TitleRow:
            raise RuntimeError("磁盘已满 (disk full)")
        real_insert(session, row_class, records)

    monkeypatch.setattr(repository, "insert_rows", insert_then_fail)
    edited = replace(storage_scenario("保存失败 改名"), days=20)
    with pytest.raises(RuntimeError, match="磁盘已满"):
        store.save(info.scenario_id, edited, 1)
    with pytest.raises(RuntimeError):
        store.create(storage_scenario("新建失败"))
    with pytest.raises(RuntimeError):
        store.clone(info.scenario_id, "复制失败")

    assert snapshot(engine) == before
    monkeypatch.undo()
    assert store.load(info.scenario_id) == (storage_scenario("保存失败"), 1)
    assert store.save(info.scenario_id, edited, 1) == 2  # and the store still works


# -- migrations ---------------------------------------------------------------------


def test_migrations_build_the_schema_from_an_empty_database(empty_db_url: str) -> None:
    engine = create_database_engine(empty_db_url)
    try:
        assert not TABLES & set(inspect(engine).get_table_names())

        upgrade(engine)

        assert set(inspect(engine).get_table_names()) >= TABLES | {"alembic_version"}
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        with engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == head
        upgrade(engine)  # a second start finds nothing to do
    finally:
        engine.dispose()


def test_a_database_made_by_the_first_revision_opens_after_later_ones(empty_db_url: str) -> None:
    engine = create_database_engine(empty_db_url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as connection:  # what the first ShootPlan stored
            scenario_id, plan_id = insert_old_scenario_and_plan(connection)
    finally:
        engine.dispose()

    reopened = get_engine(empty_db_url)  # what a newer ShootPlan does on start
    try:
        store = ScenarioStore(reopened)
        scenario, version = store.load(scenario_id)
        assert (scenario.name, version, [t.title_id for t in scenario.titles]) == (
            "旧场景",
            1,
            ["T1"],
        )
        plan, _kpis, meta = store.load_plan(plan_id)
        assert meta.label == "旧方案" and [s.title_id for s in plan.shoots] == ["T1"]
        with reopened.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        reopened.dispose()


def test_a_database_at_0002_with_plans_opens_with_publications_and_change_lists(
    empty_db_url: str,
) -> None:
    # a database of the ShootPlan before publications, holding a scenario and a plan
    engine = create_database_engine(empty_db_url)
    try:
        upgrade(engine, "0002")
        with engine.begin() as connection:  # the 0002 plan table, without `changes`
            scenario_id, plan_id = insert_old_scenario_and_plan(connection)
    finally:
        engine.dispose()

    reopened = get_engine(empty_db_url)  # what the newer ShootPlan does on start
    try:
        store = ScenarioStore(reopened)
        plan, _kpis, meta = store.load_plan(plan_id)
        assert meta.label == "旧方案" and [s.title_id for s in plan.shoots] == ["T1"]
        assert store.load_changes(plan_id) is None  # stored before change lists were
        assert store.list_publications(scenario_id) == []
        published = store.create_publication(scenario_id, plan_id, date(2026, 12, 7), "张三")
        assert (published.title_count, published.shoot_count) == (1, 1)
        with reopened.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        reopened.dispose()


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        pending = compare_metadata(context, metadata)

    assert pending == [], "the models changed: add an Alembic revision in scheduler/migrations"


def test_reopening_keeps_the_data(db_url: str, store: ScenarioStore) -> None:
    info = store.create(storage_scenario())

    reopened = get_engine(db_url)
    try:
        assert ScenarioStore(reopened).load(info.scenario_id) == (storage_scenario(), 1)
    finally:
        reopened.dispose()


def test_default_database_is_a_sqlite_file_under_the_working_folder(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url() == f"sqlite:///{tmp_path / 'data' / 'shootplan.db'}"
    assert database_url(db_url) == db_url

    monkeypatch.setenv("DATABASE_URL", db_url)
    assert database_url() == db_url
    monkeypatch.delenv("DATABASE_URL")
    engine = get_engine()
    engine.dispose()
    assert (tmp_path / "data" / "shootplan.db").is_file()


# -- plans --------------------------------------------------------------------------


def test_plan_round_trip(store: ScenarioStore) -> None:
    info = store.create(storage_scenario())
    plan = storage_plan()
    kpis = {
        "status": "feasible",
        "scheduled_titles": 1,
        "unscheduled_titles": 2,
        "priority_bound": None,
        "set_utilisation": 0.0323,
        "parallel_shoots_per_day": [0, 0, 0, 0, 1, 1, 1, 1] + [0] * 23,
    }

    plan_id = store.save_plan(info.scenario_id, 1, plan, kpis, "第一版 greedy")
    empty_id = store.save_plan(info.scenario_id, 1, Plan(), {}, "")
    loaded, loaded_kpis, meta = store.load_plan(plan_id)

    assert loaded == plan
    assert list(loaded.unscheduled) == ["T3", "T2"]
    assert loaded_kpis == kpis
    assert (meta.plan_id, meta.scenario_id, meta.scenario_version) == (
        plan_id,
        info.scenario_id,
        1,
    )
    assert (meta.label, meta.status) == ("第一版 greedy", "feasible")
    assert store.load_plan(empty_id)[0] == Plan()
    assert [p.plan_id for p in store.list_plans(info.scenario_id)] == [plan_id, empty_id]
    store.delete_plan(empty_id)
    assert [p.plan_id for p in store.list_plans(info.scenario_id)] == [plan_id]


def test_plans_survive_a_save_of_their_scenario(store: ScenarioStore) -> None:
    info = store.create(storage_scenario())
    plan_id = store.save_plan(info.scenario_id, 1, storage_plan(), {"status": "optimal"}, "")

    store.save(info.scenario_id, storage_scenario(optional_sheets=False), 1)

    assert store.load_plan(plan_id)[0] == storage_plan()
    assert store.load_plan(plan_id)[2].scenario_version == 1


def test_a_re_plan_keeps_its_change_list_with_the_plan(store: ScenarioStore) -> None:
    info = store.create(storage_scenario())
    changes = [
        Change("T1", "日期 days", "12-05–12-08 B2 C2", "12-06–12-09 B2 C2", "已发布，需审批：…"),
        Change("T3", "新排入 added", "未排 unscheduled", "12-10–12-14 B1 C1", "新排入"),
    ]

    revised = store.save_plan(info.scenario_id, 1, storage_plan(), {}, "修改", changes=changes)
    unchanged = store.save_plan(info.scenario_id, 1, storage_plan(), {}, "修改", changes=[])
    fresh = store.save_plan(info.scenario_id, 1, storage_plan(), {}, "全新")

    assert store.load_changes(revised) == changes
    assert store.load_changes(unchanged) == []  # a re-plan that changed nothing
    assert store.load_changes(fresh) is None  # no re-plan: no change list
    with pytest.raises(NotFoundError):
        store.load_changes(404)


def test_a_scenario_saved_with_its_plan_stores_both_under_the_new_version(
    store: ScenarioStore,
) -> None:
    info = store.create(storage_scenario("插单"))
    edited = replace(storage_scenario("插单"), days=20)

    version, plan_id = store.save_with_plan(
        info.scenario_id, edited, 1, storage_plan(), {"status": "feasible"}, "插单 v2"
    )

    assert store.load(info.scenario_id) == (edited, 2) and version == 2
    plan, kpis, meta = store.load_plan(plan_id)
    assert plan == storage_plan() and kpis == {"status": "feasible"}
    assert (meta.scenario_version, meta.label) == (2, "插单 v2")


def test_a_scenario_saved_with_its_plan_on_a_stale_version_stores_neither(
    store: ScenarioStore, engine: Engine
) -> None:
    info = store.create(storage_scenario("插单"))
    store.save(info.scenario_id, storage_scenario("插单"), 1)  # someone saved in between
    before = snapshot(engine)

    with pytest.raises(StaleScenarioError):
        store.save_with_plan(info.scenario_id, storage_scenario("插单"), 1, storage_plan(), {})

    assert snapshot(engine) == before
    assert store.list_plans(info.scenario_id) == []


def test_a_failure_while_storing_the_plan_leaves_the_scenario_version_unchanged(
    store: ScenarioStore, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = store.create(storage_scenario("插单"))
    before = snapshot(engine)
    real_insert = repository.insert_rows

    def insert_then_fail(session: Any, row_class: type, records: Any) -> None:
        # the scenario is saved anew by the time the plan's shoots are inserted
        if row_class is PlanShootRow:
            raise RuntimeError("磁盘已满 (disk full)")
        real_insert(session, row_class, records)

    monkeypatch.setattr(repository, "insert_rows", insert_then_fail)
    edited = replace(storage_scenario("插单"), days=20)
    with pytest.raises(RuntimeError, match="磁盘已满"):
        store.save_with_plan(info.scenario_id, edited, 1, storage_plan(), {})

    assert snapshot(engine) == before
    assert store.load(info.scenario_id) == (storage_scenario("插单"), 1)
    assert store.list_plans(info.scenario_id) == []


# -- publications -------------------------------------------------------------------


def test_a_publication_copies_every_shoot_of_the_titles_up_to_its_date(
    store: ScenarioStore,
) -> None:
    info = store.create(storage_scenario())
    plan_id = store.save_plan(info.scenario_id, 1, storage_two_title_plan(), {}, "周一排期")

    # T1 starts 12-05, before 12-06: all four of its days go out, 12-07 and 12-08 too;
    # T3 starts 12-10, after: not published
    published = store.create_publication(info.scenario_id, plan_id, date(2026, 12, 6), "张三")
    shoots, loaded = store.load_publication(published.publication_id)

    assert loaded == published
    assert shoots.shoots == storage_two_title_plan().shoots_of("T1")
    assert shoots.unscheduled == {}
    assert (published.title_count, published.shoot_count) == (1, 4)
    assert (published.plan_id, published.plan_label, published.scenario_version) == (
        plan_id,
        "周一排期",
        1,
    )
    assert (published.until, published.published_by) == (date(2026, 12, 6), "张三")
    assert published.published_at.tzinfo is not None
    later = store.create_publication(info.scenario_id, plan_id, date(2026, 12, 31), "李四")
    assert [p.publication_id for p in store.list_publications(info.scenario_id)] == [
        published.publication_id,
        later.publication_id,
    ]
    assert (later.title_count, later.shoot_count) == (2, 9)
    assert store.load_publication(published.publication_id)[0] == shoots  # the first stays


def test_deleting_a_published_plan_keeps_the_publication_as_it_was_sent(
    store: ScenarioStore,
) -> None:
    # What was sent to crews stays on record: the copy outlives the plan, which it
    # no longer names.
    info = store.create(storage_scenario())
    plan_id = store.save_plan(info.scenario_id, 1, storage_two_title_plan(), {}, "周一排期")
    published = store.create_publication(info.scenario_id, plan_id, date(2026, 12, 31), "张三")
    sent, _info = store.load_publication(published.publication_id)

    store.delete_plan(plan_id)

    shoots, after = store.load_publication(published.publication_id)
    assert shoots == sent == Plan(storage_two_title_plan().shoots)
    assert after.plan_id is None
    assert after == replace(published, plan_id=None)


def test_a_publication_goes_with_its_scenario_and_refuses_another_scenarios_plan(
    store: ScenarioStore, engine: Engine
) -> None:
    mine = store.create(storage_scenario("甲"))
    other = store.create(storage_scenario("乙"))
    plan_id = store.save_plan(mine.scenario_id, 1, storage_two_title_plan(), {}, "")
    before = snapshot(engine)

    with pytest.raises(StorageError, match="不属于场景"):
        store.create_publication(other.scenario_id, plan_id, date(2026, 12, 31), "张三")
    with pytest.raises(NotFoundError, match="找不到排期方案"):
        store.create_publication(mine.scenario_id, 404, date(2026, 12, 31), "张三")
    with pytest.raises(NotFoundError, match="找不到发布记录"):
        store.load_publication(404)
    assert snapshot(engine) == before  # nothing half written

    published = store.create_publication(mine.scenario_id, plan_id, date(2026, 12, 31), "张三")
    store.delete(mine.scenario_id)
    with pytest.raises(NotFoundError):
        store.load_publication(published.publication_id)
    assert snapshot(engine)["published_shoot"] == []


# -- command line -------------------------------------------------------------------


@pytest.fixture
def fake_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    """``scheduler.io.validation.load_scenario`` reading test scenarios: folder name → scenario.

    A stand-in, so these tests check the ``db`` commands and not the validator.
    """

    def load_scenario(path: Path) -> Scenario:
        if path.name == "坏的":
            raise ScenarioError([Problem("titles.csv", 3, "due_date", "bad date", "日期无效")])
        # Plain settings: a workbook's settings sheet holds no lists.
        return replace(storage_scenario(path.name), settings_extra={"owner": "王统筹"})

    module = types.ModuleType("scheduler.io.validation")
    module.load_scenario = load_scenario  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "scheduler.io.validation", module)


@pytest.mark.usefixtures("fake_validation")
def test_db_commands(
    db_url: str, store: ScenarioStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = ["--database-url", db_url]

    assert main(["db", "import", str(tmp_path / "坏的"), *url]) == 1
    assert "titles.csv:3:due_date" in capsys.readouterr().out
    assert store.list() == []

    assert main(["db", "import", str(tmp_path / "郑州 12月"), *url]) == 0
    assert main(["db", "--database-url", db_url, "import", str(tmp_path / "郑州 12月")]) == 1
    assert "--replace" in capsys.readouterr().err
    assert main(["db", "import", str(tmp_path / "郑州 12月"), "--replace", *url]) == 0
    assert main(["db", "import", str(tmp_path / "郑州 12月"), "--name", "副本", *url]) == 0
    capsys.readouterr()

    assert main(["db", "list", *url]) == 0
    listing = capsys.readouterr().out
    assert "郑州 12月" in listing and "副本" in listing

    assert main(["db", "export", "副本", str(tmp_path / "导出.xlsx"), *url]) == 0
    assert main(["db", "export", "副本", str(tmp_path / "导出"), *url]) == 0
    assert (tmp_path / "导出.xlsx").is_file()
    assert (tmp_path / "导出" / "titles.csv").is_file()

    assert main(["db", "delete", "副本", *url]) == 0
    assert main(["db", "delete", "副本", *url]) == 1
    assert "找不到场景" in capsys.readouterr().err
    assert [(info.name, info.version) for info in store.list()] == [("郑州 12月", 2)]
    trail = [(event.action.value, event.ok) for event in store.audit_events()]
    assert trail == [
        ("import", True),
        ("import", False),  # the name clash: refused, recorded
        ("save", True),
        ("import", True),
        ("export", True),
        ("export", True),
        ("delete", True),
    ]  # the second delete found no scenario before touching the database: no action
    assert all(event.user_name.startswith("命令行") for event in store.audit_events())


# -- app ----------------------------------------------------------------------------


def test_empty_database_gets_the_samples(store: ScenarioStore, tmp_path: Path) -> None:
    write_scenario(storage_scenario("郑州样例"), tmp_path / "zhengzhou-month")
    write_scenario(storage_scenario("教程样例", optional_sheets=False), tmp_path / "tutorial")

    assert app_support.ensure_sample_loaded(store, tmp_path) == ["郑州样例", "教程样例"]
    assert app_support.ensure_sample_loaded(store, tmp_path) == []  # only when empty
    sample = store.find("郑州样例")
    assert sample is not None
    loaded, _version = store.load(sample.scenario_id)
    # Through CSV files an extra column is blank, not absent, where a row left it out.
    assert [title.title_id for title in loaded.titles] == ["T3", "T1", "T2"]


def test_app_lists_stored_scenarios(
    db_url: str, store: ScenarioStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    store.create(storage_scenario("郑州基地群 12月"))
    monkeypatch.setenv("DATABASE_URL", db_url)

    app = AppTest.from_file(str(REPO / "ui" / "app.py"), default_timeout=30).run()

    assert not app.exception
    assert app.title[0].value == "场景 Scenarios"
    table = app.dataframe[0].value
    assert list(table.columns) == list(app_support.SCENARIO_COLUMNS)
    assert table["名称 name"].tolist() == ["郑州基地群 12月"]
    assert table["剧目数 titles"].tolist() == [3]


def test_times_are_shown_in_beijing_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # A server on UTC stores 2026-11-26 03:29 UTC; a producer in 郑州 reads 11:29.
    from datetime import UTC, datetime

    from scheduler.app.support import local_time

    monkeypatch.delenv("SHOOTPLAN_TZ", raising=False)
    assert local_time(datetime(2026, 11, 26, 3, 29, tzinfo=UTC)) == "2026-11-26 11:29"
    monkeypatch.setenv("SHOOTPLAN_TZ", "UTC")
    assert local_time(datetime(2026, 11, 26, 3, 29, tzinfo=UTC)) == "2026-11-26 03:29"


def test_sample_goes_csv_to_database_to_workbook_and_back_unchanged(
    store: ScenarioStore, tmp_path: Path
) -> None:
    # The whole chain a producer uses: CSV folder → scenario → database → scenario
    # → .xlsx → scenario → CSV folder; every hop keeps every cell.
    from scheduler.io.tables import write_scenario
    from scheduler.io.validation import load_scenario

    sample = REPO / "sample_data" / "zhengzhou-full"
    original = load_scenario(sample)
    info = store.create(original)
    from_database, _ = store.load(info.scenario_id)
    assert from_database == original
    write_scenario(from_database, tmp_path / "book.xlsx")
    from_workbook = load_scenario(tmp_path / "book.xlsx")
    assert from_workbook == original
    write_scenario(from_workbook, tmp_path / "folder")
    for csv_file in sample.glob("*.csv"):
        assert (tmp_path / "folder" / csv_file.name).read_bytes() == csv_file.read_bytes()


def test_a_stale_save_names_the_other_save_in_beijing_time() -> None:
    # Stored 02:00 UTC is 10:00 in Beijing, which is what the producer's clock says.
    import datetime as dt

    from scheduler.storage import StaleScenarioError

    error = StaleScenarioError("郑州", 1, 2, dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC))
    assert "2026-12-01 10:00" in error.message_zh
    assert "02:00" not in error.message_en


def test_plan_kpis_reads_the_kpis_of_the_plans_asked_for(store: ScenarioStore) -> None:
    # kept: the two stored plans' KPIs, sweep entry and all; broken: an id never stored
    from tests.factories import sweep_kpis, two_base_plan, two_base_scenario

    info = store.create(two_base_scenario())
    first = store.save_plan(info.scenario_id, 1, two_base_plan(), sweep_kpis("现状", 0, cost=5))
    second = store.save_plan(info.scenario_id, 1, two_base_plan(), {"cost": 7})
    found = store.plan_kpis([first, second, second + 100])
    assert set(found) == {first, second}
    assert found[first]["sweep"]["variant"] == "现状"
    assert found[second] == {"cost": 7}
    assert store.plan_kpis([]) == {}
