"""Pooling as input (issue 16): actors.csv's home_city, scenario.toml's [pooling], the database.

The scenario is :func:`factories.pooling_scenario` (three cities 郑州 B1, 开封 B2, 洛阳 B3)
written as CSV; its rows land on these lines (header = line 1):

- actors: A1 郑州 (2), A2 洛阳 (3), A3 blank (4);
- scenario.toml: name (1), start_date (2), days (3), [targets] (5–7), and, where the
  test writes one, [pooling] from line 9.

Each rule comes as a pair: the input kept loads, the same broken gives exactly the
``file:row:column: message`` lines, every problem at once. The storage tests run on
a SQLite file and on PostgreSQL with the storage tests' fixtures.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from scheduler.domain.pooling import (
    actor_may_shoot_in,
    city_group,
    crew_may_shoot_at,
    policy_groups,
    with_pooling,
)
from scheduler.domain.sweep import ALONE, POOLED
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
from tests.factories import insert_old_scenario_and_plan, pooling_scenario
from tests.test_validation import problems, set_cell

PAIRED = (("郑州", "开封"),)
"""郑州 and 开封 share; 洛阳, listed in no group, is a group of its own."""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The pooling scenario with 郑州 and 开封 grouped, written as a valid CSV folder."""
    path = tmp_path / "pooling"
    write_scenario(with_pooling(pooling_scenario(), PAIRED), path)
    return path


def write_pooling(folder: Path, body: str) -> None:
    """Replace scenario.toml's [pooling] table (from line 9) with ``body``."""
    path = folder / "scenario.toml"
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("[pooling]")]
    path.write_text(f"{head}[pooling]\n{body}\n", encoding="utf-8")


# -- the domain look-ups -------------------------------------------------------------------


def test_policies_give_groups_of_the_base_cities() -> None:
    scenario = pooling_scenario()
    assert policy_groups(scenario, POOLED) == ()
    assert policy_groups(scenario, ALONE) == (("开封",), ("洛阳",), ("郑州",))
    assert policy_groups(scenario, PAIRED) == PAIRED


def test_groups_naming_an_unknown_city_or_a_city_twice_are_refused_naming_both() -> None:
    with pytest.raises(ValueError) as caught:
        with_pooling(pooling_scenario(), (("郑州", "北京"), ("郑州",)))
    message = str(caught.value)
    assert "'北京'" in message and "group 1 and group 2" in message
    with pytest.raises(ValueError, match="unknown pooling policy 'shared'"):
        with_pooling(pooling_scenario(), "shared")


def test_a_crew_and_an_actor_may_work_only_in_their_group() -> None:
    paired = with_pooling(pooling_scenario(), PAIRED)
    b1, b2, b3 = paired.bases
    c1, c2 = paired.crews
    a1, a2, a3 = paired.actors
    # C1 lives at B1 (郑州), which shares with 开封 but not 洛阳
    assert crew_may_shoot_at(paired, c1, b1) and crew_may_shoot_at(paired, c1, b2)
    assert not crew_may_shoot_at(paired, c1, b3)
    assert crew_may_shoot_at(paired, c2, b1) and not crew_may_shoot_at(paired, c2, b3)
    assert actor_may_shoot_in(paired, a1, "开封") and not actor_may_shoot_in(paired, a1, "洛阳")
    assert actor_may_shoot_in(paired, a2, "洛阳") and not actor_may_shoot_in(paired, a2, "郑州")
    assert all(actor_may_shoot_in(paired, a3, city) for city in paired.cities)  # no home city
    assert city_group(paired, "开封") == "郑州+开封" and city_group(paired, "洛阳") == "洛阳"
    pooled = pooling_scenario()
    assert crew_may_shoot_at(pooled, c1, b3) and actor_may_shoot_in(pooled, a2, "郑州")


# -- files: kept -----------------------------------------------------------------------------


@pytest.mark.parametrize("policy", [POOLED, ALONE, PAIRED], ids=["pooled", "alone", "groups"])
@pytest.mark.parametrize("suffix", ["", ".xlsx"], ids=["folder", "workbook"])
def test_home_cities_and_pooling_come_back_equal(
    tmp_path: Path, policy: object, suffix: str
) -> None:
    scenario = with_pooling(pooling_scenario(), policy)  # type: ignore[arg-type]
    path = tmp_path / f"pooling{suffix}"
    write_scenario(scenario, path)
    loaded = load_scenario(path)
    assert loaded == scenario
    assert [a.home_city for a in loaded.actors] == ["郑州", "洛阳", ""]


def test_alone_is_written_as_a_policy_and_pooled_writes_no_table(tmp_path: Path) -> None:
    write_scenario(with_pooling(pooling_scenario(), ALONE), tmp_path / "alone")
    assert '[pooling]\npolicy = "alone"' in (tmp_path / "alone" / "scenario.toml").read_text()
    write_scenario(pooling_scenario(), tmp_path / "pooled")
    assert "[pooling]" not in (tmp_path / "pooled" / "scenario.toml").read_text()


def test_a_scenario_without_home_cities_writes_no_home_city_column(tmp_path: Path) -> None:
    scenario = pooling_scenario()
    plain = replace(scenario, actors=tuple(replace(a, home_city="") for a in scenario.actors))
    write_scenario(plain, tmp_path / "plain")
    header = (tmp_path / "plain" / "actors.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "actor_id,name,day_rate"


def test_policy_alone_in_the_file_makes_every_city_a_group(folder: Path) -> None:
    write_pooling(folder, 'policy = "alone"')
    assert load_scenario(folder).pooling == (("开封",), ("洛阳",), ("郑州",))
    write_pooling(folder, 'policy = "pooled"')
    assert load_scenario(folder).pooling == ()


# -- files: broken ---------------------------------------------------------------------------


def test_an_unknown_home_city_is_named_at_its_cell(folder: Path) -> None:
    set_cell(folder, "actors", 3, "home_city", "北京")
    assert problems(folder) == [
        "actors.csv:3:home_city: 北京 is not the city of any base in bases.csv; expected one "
        "of 开封, 洛阳, 郑州, or blank for an actor who works in any city"
    ]


def test_every_pooling_problem_is_named_at_once(folder: Path) -> None:
    # [pooling] on line 9, groups on line 10: 北京 has no base, 郑州 is in two groups,
    # and A1 (line 2) names a home city no base is in
    write_pooling(folder, 'groups = [["郑州", "北京"], ["郑州"], []]\nshare = true')
    set_cell(folder, "actors", 2, "home_city", "上海")
    assert problems(folder) == [
        "scenario.toml:10:pooling.groups: city '北京' of group 1 has no base; expected one of "
        "开封, 洛阳, 郑州",
        "scenario.toml:10:pooling.groups: city '郑州' is in group 1 and group 2; expected "
        "each city in one group at most",
        "scenario.toml:10:pooling.groups: group 3 lists no city; expected one or more cities",
        "scenario.toml:11:pooling.share: unknown key; expected groups or policy",
        "actors.csv:2:home_city: 上海 is not the city of any base in bases.csv; expected one "
        "of 开封, 洛阳, 郑州, or blank for an actor who works in any city",
    ]


def test_a_bad_policy_and_both_keys_are_refused(folder: Path) -> None:
    write_pooling(folder, 'groups = [["郑州"]]\npolicy = "shared"')
    assert problems(folder) == [
        "scenario.toml:11:pooling.policy: is given with pooling.groups; expected one of the two",
        'scenario.toml:11:pooling.policy: shared is not a policy; expected "alone" (each '
        'city plans alone) or "pooled" (all cities share crews and actors)',
    ]


def test_groups_that_are_not_lists_of_cities_are_refused(folder: Path) -> None:
    write_pooling(folder, 'groups = ["郑州", "开封"]')
    assert problems(folder) == [
        "scenario.toml:10:pooling.groups: ['郑州', '开封'] is not a list of lists of cities; "
        'expected [pooling] groups = [["郑州", "开封"], ["洛阳"]] or policy = "alone"'
    ]


# -- the database ----------------------------------------------------------------------------


@pytest.mark.parametrize("policy", [POOLED, ALONE, PAIRED], ids=["pooled", "alone", "groups"])
def test_home_cities_and_pooling_are_stored(store: ScenarioStore, policy: object) -> None:
    scenario = with_pooling(pooling_scenario(), policy)  # type: ignore[arg-type]
    info = store.create(scenario)
    loaded, _version = store.load(info.scenario_id)
    assert loaded == scenario
    assert loaded.pooling == scenario.pooling
    assert loaded.actor_by_id["A2"].home_city == "洛阳"


def test_a_home_city_the_database_cannot_store_is_refused(store: ScenarioStore) -> None:
    scenario = pooling_scenario()
    a1, *rest = scenario.actors
    broken = replace(scenario, actors=(replace(a1, home_city="郑\x00州"), *rest))
    with pytest.raises(UnstorableScenarioError) as caught:
        store.create(broken)
    assert "actors.csv:2:home_city" in str(caught.value)


def test_a_database_at_0005_opens_with_no_home_cities_and_every_city_pooled(
    empty_db_url: str,
) -> None:
    old = create_database_engine(empty_db_url)
    try:
        upgrade(old, "0005")
        with old.begin() as connection:
            scenario_id, _plan_id = insert_old_scenario_and_plan(connection)
            connection.execute(
                text(
                    "INSERT INTO actor (scenario_id, actor_id, position, name, day_rate, extra) "
                    "VALUES (:s, 'A1', 0, '老演员', 1000, '{}')"
                ),
                {"s": scenario_id},
            )
    finally:
        old.dispose()

    reopened = get_engine(empty_db_url)  # what the newer ShootPlan does on start
    try:
        scenario, _version = ScenarioStore(reopened).load(scenario_id)
        assert scenario.pooling == () and scenario.actors[0].home_city == ""
    finally:
        reopened.dispose()


def test_the_pooling_revision_goes_down_and_up_again(empty_db_url: str) -> None:
    engine = create_database_engine(empty_db_url)
    try:
        upgrade(engine)
        with migration_connection(engine) as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")
        inspector = inspect(engine)
        assert "home_city" not in {c["name"] for c in inspector.get_columns("actor")}
        assert "pooling" not in {c["name"] for c in inspector.get_columns("scenario")}
        upgrade(engine)
        scenario = with_pooling(pooling_scenario(), PAIRED)
        info = ScenarioStore(engine).create(scenario)
        assert ScenarioStore(engine).load(info.scenario_id)[0] == scenario
    finally:
        engine.dispose()
