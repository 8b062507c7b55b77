"""Input that cannot hurt storage: refused before anything is written, every problem at once.

Each rule comes as a pair: the value the database cannot take is refused naming
where it is, in Chinese first, and nothing is written; the ordinary value next to
it is stored and loads back equal. Every store test runs on SQLite and PostgreSQL
(the fixtures of :mod:`tests.storage_fixtures`).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.storable import storage_problems
from scheduler.storage import ScenarioStore, StorageError, repository
from tests.factories import storage_plan, storage_scenario
from tests.test_storage import snapshot


def with_priority(scenario: Scenario, priority: int) -> Scenario:
    first = replace(scenario.titles[0], priority=priority)
    return replace(scenario, titles=(first, *scenario.titles[1:]))


def refused(store: ScenarioStore, engine: Engine, scenario: Scenario) -> ScenarioError:
    """Create and save ``scenario``: both refused with one error, nothing written."""
    info = store.create(storage_scenario("已存场景"))
    before = snapshot(engine)
    with pytest.raises(StorageError) as created:
        store.create(scenario)
    with pytest.raises(StorageError) as saved:
        store.save(info.scenario_id, scenario, 1)
    with pytest.raises(StorageError):
        store.save_with_plan(info.scenario_id, scenario, 1, storage_plan(), {"status": "x"})
    assert snapshot(engine) == before
    assert store.load(info.scenario_id)[1] == 1
    for error in (created.value, saved.value):
        assert isinstance(error, ScenarioError)  # the import page lists its problems
        for line in error.format("zh").splitlines():
            assert len(line) <= 300, line
    assert str(created.value) == str(saved.value)
    return saved.value


def stored(store: ScenarioStore, scenario: Scenario) -> None:
    info = store.create(scenario)
    assert store.load(info.scenario_id) == (scenario, 1)


# -- text ------------------------------------------------------------------------------


def test_a_nul_byte_in_the_scenario_name_is_refused_naming_the_field(
    store: ScenarioStore, engine: Engine
) -> None:
    error = refused(store, engine, storage_scenario("坏\x00名"))

    (problem,) = error.problems
    assert (problem.file, problem.column) == ("scenario.toml", "name")
    assert "空字符" in problem.format("zh") and "NUL" in problem.format("en")
    assert error.format("zh").startswith("有 1 个值无法存入数据库")


def test_a_chinese_scenario_name_is_stored(store: ScenarioStore) -> None:
    stored(store, storage_scenario("郑州·开封 12月「甜宠」排期 🎬"))


def test_a_nul_byte_in_a_title_name_is_refused_naming_the_title(
    store: ScenarioStore, engine: Engine
) -> None:
    scenario = storage_scenario()
    title = replace(scenario.titles[1], name="契约\x00新娘")
    bad = replace(scenario, titles=(scenario.titles[0], title, scenario.titles[2]))

    (problem,) = refused(store, engine, bad).problems

    assert problem.format("zh").startswith("titles.csv:3:name: 剧目 T1 的名称")


def test_an_over_long_name_is_refused_and_a_long_one_stored(
    store: ScenarioStore, engine: Engine
) -> None:
    (problem,) = refused(store, engine, storage_scenario("长" * 201)).problems
    assert "200" in problem.format("zh")
    stored(store, storage_scenario("长" * 200))


# -- integers --------------------------------------------------------------------------


def test_an_integer_above_2_31_is_refused(store: ScenarioStore, engine: Engine) -> None:
    (problem,) = refused(store, engine, with_priority(storage_scenario(), 2**31)).problems

    assert problem.format("zh").startswith("titles.csv:2:priority: 剧目 T3 的优先级")
    assert "2147483647" in problem.format("zh")


def test_an_integer_above_2_63_is_refused(store: ScenarioStore, engine: Engine) -> None:
    (problem,) = refused(store, engine, with_priority(storage_scenario(), 2**63)).problems
    assert problem.column == "priority"


def test_the_largest_storable_integer_is_stored(store: ScenarioStore) -> None:
    stored(store, with_priority(storage_scenario(), 2**31 - 1))
    stored(store, replace(with_priority(storage_scenario("负"), -(2**31)), days=31))


# -- settings kept as JSON -------------------------------------------------------------


def test_nan_in_the_settings_is_refused(store: ScenarioStore, engine: Engine) -> None:
    bad = replace(storage_scenario(), settings_extra={"meta": {"x": math.nan}})

    (problem,) = refused(store, engine, bad).problems

    assert problem.format("zh").startswith("scenario.toml:0:meta.x: ")
    assert "nan" in problem.format("zh")


def test_finite_numbers_in_the_settings_are_stored(store: ScenarioStore) -> None:
    stored(store, replace(storage_scenario(), settings_extra={"meta": {"x": 1.5, "n": 10**12}}))


def test_a_date_tag_written_by_the_user_loads_back_as_written(store: ScenarioStore) -> None:
    # scenario.toml: [meta] "$date" = "zzz" — text the user wrote, not a stored date
    stored(store, replace(storage_scenario("甲"), settings_extra={"meta": {"$date": "zzz"}}))
    stored(
        store, replace(storage_scenario("乙"), settings_extra={"meta": {"$date": "2026-12-01"}})
    )
    stored(store, replace(storage_scenario("丙"), settings_extra={"$dict": {"$time": "x"}}))


def test_a_bad_date_stored_by_an_older_shootplan_does_not_break_loading(
    store: ScenarioStore, engine: Engine
) -> None:
    info = store.create(storage_scenario())
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE scenario SET settings_extra = :v WHERE id = :i"),
            {"v": '{"meta": {"$date": "zzz"}}', "i": info.scenario_id},
        )

    loaded, _version = store.load(info.scenario_id)

    assert loaded.settings_extra == {"meta": {"$date": "zzz"}}
    assert [i.name for i in store.list()] == [info.name]


# -- all at once, and the database's own errors ------------------------------------------


def test_every_problem_is_named_at_once(store: ScenarioStore, engine: Engine) -> None:
    scenario = with_priority(storage_scenario("坏\x00名"), 2**40)
    bad = replace(scenario, settings_extra={"y": math.inf}, days=2**32)

    error = refused(store, engine, bad)

    assert [(p.file, p.column) for p in error.problems] == [
        ("scenario.toml", "name"),
        ("scenario.toml", "days"),
        ("scenario.toml", "y"),
        ("titles.csv", "priority"),
    ]
    assert error.format("zh").startswith("有 4 个值无法存入数据库，未保存任何内容")


def test_a_raw_database_error_becomes_a_storage_error_in_chinese(
    store: ScenarioStore, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = store.create(storage_scenario())
    before = snapshot(engine)

    def locked(*_args: Any) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(repository, "insert_rows", locked)
    with pytest.raises(StorageError) as error:
        store.save(info.scenario_id, replace(storage_scenario(), days=20), 1)

    assert error.value.format("zh").startswith("数据库出错，未保存任何内容")
    assert "database is locked" in error.value.format("zh")
    assert snapshot(engine) == before


# -- the check itself, as the importer calls it -------------------------------------------


def test_the_importer_names_a_workbook_sheet_and_a_clean_scenario_has_no_problem() -> None:
    bad = with_priority(storage_scenario(), -(2**31) - 1)

    (problem,) = storage_problems(bad, label=lambda sheet: sheet)

    assert (problem.file, problem.row, problem.column) == ("titles", 2, "priority")
    assert storage_problems(storage_scenario()) == []
