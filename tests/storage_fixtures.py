"""The storage tests' databases: SQLite and PostgreSQL, migrated and emptied per test.

Every test that asks for ``store``, ``engine`` or ``db_url`` runs twice, on a SQLite file
and on PostgreSQL (a schema of ``SHOOTPLAN_TEST_POSTGRES_URL`` migrated once per run and
emptied per test). A PostgreSQL server that cannot be reached fails the run, unless
``SHOOTPLAN_SKIP_POSTGRES=1``. ``tests/conftest.py`` makes the fixtures available to
every test file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from scheduler.storage import ScenarioStore, get_engine
from scheduler.storage.rows import CONTENT_ROWS

REPO = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get(
    "SHOOTPLAN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
EMPTYING_ORDER = (
    "audit_event",
    "user_account",
    "sweep_run",
    "sweep",
    "published_shoot",
    "publication",
    "plan_unscheduled",
    "plan_shoot",
    "plan",
    *(str(row_class.__tablename__) for row_class in reversed(CONTENT_ROWS)),
    "scenario",
)
"""Every ShootPlan table, children before parents."""
TABLES = set(EMPTYING_ORDER)

# -- databases ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An engine on the test PostgreSQL database, or a clear failure (or skip) if it is down."""
    if os.environ.get("SHOOTPLAN_SKIP_POSTGRES") == "1":
        pytest.skip("SHOOTPLAN_SKIP_POSTGRES=1: PostgreSQL tests skipped")
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        engine.dispose()
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({error.__class__.__name__}: "
            f"{error}). Start it, point SHOOTPLAN_TEST_POSTGRES_URL at one, or set "
            "SHOOTPLAN_SKIP_POSTGRES=1 to run the SQLite half only.",
            pytrace=False,
        )
    yield engine
    engine.dispose()


@contextmanager
def fresh_postgres_schema(admin: Engine) -> Iterator[str]:
    """URL of a new, empty PostgreSQL schema (via ``search_path``), dropped afterwards."""
    schema = f"shootplan_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(scope="session")
def postgres_migrated(postgres_admin: Engine) -> Iterator[str]:
    """A PostgreSQL schema migrated once per run; tests empty it rather than rebuild it.

    Building the schema costs PostgreSQL about 0.3 s, so doing it per test
    would blow the time budget; the migration tests still get fresh schemas.
    """
    with fresh_postgres_schema(postgres_admin) as url:
        get_engine(url).dispose()
        yield url


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a migrated database holding no data: a new SQLite file, or the emptied schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shootplan.db'}"
        return
    url: str = request.getfixturevalue("postgres_migrated")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            # DELETE, not TRUNCATE: on a few rows it is ten times faster.
            for table in EMPTYING_ORDER:
                connection.execute(text(f'DELETE FROM "{table}"'))
    finally:
        engine.dispose()
    yield url


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a database with no tables at all: a new SQLite file or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with fresh_postgres_schema(request.getfixturevalue("postgres_admin")) as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = get_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> ScenarioStore:
    return ScenarioStore(engine)
