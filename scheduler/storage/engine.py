"""The one place that makes database engines and brings their schema up to date.

The database is a SQLite file by default and PostgreSQL when ``DATABASE_URL``
says so; both get the same schema from the Alembic revisions in
``scheduler/migrations``. :func:`get_engine` reads the schema's revision with a
plain read and migrates only a database that is behind, under a lock and
checking again inside it, so a database made by an older ShootPlan opens in a
newer one, and processes starting together do not queue to migrate it.

SQLite runs in WAL mode: reads (``READ_ONLY`` connections) are plain deferred
transactions that never wait for a writer; writes take the write lock up front
(``BEGIN IMMEDIATE``) and wait up to :data:`BUSY_TIMEOUT_S` for one another.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from scheduler.storage.errors import StorageError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
BUSY_TIMEOUT_S = 30.0
"""How long a SQLite writer waits for another to finish before giving up."""
READ_ONLY = "shootplan_read_only"
"""Execution option of a connection that only reads: on SQLite, a deferred transaction."""
MIGRATION_LOCK = 7_302_026_012
"""PostgreSQL advisory lock held while migrating, so two starting processes migrate once."""
DEFAULT_SQLITE_FILE = Path("data") / "shootplan.db"
"""Where the default database lives, relative to the current working directory."""


def database_url(url: str | None = None) -> str:
    """The database to use: ``url``, else ``DATABASE_URL``, else ``./data/shootplan.db``."""
    if url:
        return url
    from_env = os.environ.get("DATABASE_URL", "").strip()
    if from_env:
        return from_env
    return f"sqlite:///{Path.cwd() / DEFAULT_SQLITE_FILE}"


def _with_driver(url: URL) -> URL:
    """``postgres://`` and ``postgresql://`` mean psycopg 3, the driver ShootPlan ships with."""
    if url.drivername in ("postgres", "postgresql"):
        return url.set(drivername="postgresql+psycopg")
    return url


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url.query)


def _sqlite_transactions(engine: Engine, memory: bool) -> None:
    """Make SQLite transactions real: foreign keys on, WAL, and one transaction per unit of work.

    Python's sqlite3 module begins transactions only before writes, so a
    load that reads ten tables could see a save land halfway, and DDL would
    run outside any transaction. Taking over BEGIN fixes both. A write takes
    the write lock up front (IMMEDIATE), so two writers queue (for up to
    :data:`BUSY_TIMEOUT_S`) instead of deadlocking; a read (``READ_ONLY``) is a
    plain BEGIN, which in WAL mode reads one snapshot without waiting for
    writers or making them wait.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file; a no-op once set
        cursor.execute("PRAGMA foreign_keys=ON")  # so deleting a scenario cascades
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_database_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (see :func:`database_url`), without touching the schema."""
    sa_url = _with_driver(make_url(database_url(url)))
    options: dict[str, Any] = {}
    if sa_url.get_backend_name() == "sqlite":
        # Streamlit runs each page on its own thread; the pool hands a
        # connection to one thread at a time, so sharing is safe.
        options["connect_args"] = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_S}
        if _is_memory(sa_url):
            options["poolclass"] = StaticPool  # one connection, or each sees an empty db
        elif sa_url.database:
            Path(sa_url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(sa_url, **options)
    if sa_url.get_backend_name() == "sqlite":
        _sqlite_transactions(engine, _is_memory(sa_url))
    return engine


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _driver_execute(connection: Connection, sql: str) -> None:
    """Run ``sql`` on the driver's connection, bypassing SQLAlchemy's transaction."""
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(sql)


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction, fit to change the schema (SQLite: foreign keys off)."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # SQLite rebuilds tables to alter them; with foreign keys on, dropping
            # the old table would cascade into its children. The pragma only
            # works outside a transaction, hence the driver's own connection.
            _driver_execute(connection, "PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                if engine.dialect.name == "postgresql":
                    # one migrating process at a time; alembic re-reads the revision after
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                yield connection
        finally:
            if sqlite:
                _driver_execute(connection, "PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations on ``engine`` up to ``revision``, in one transaction."""
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def is_current(engine: Engine) -> bool:
    """Whether the schema is at the latest revision, by a plain read (no lock, no write)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current == head


def _safe_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def get_engine(url: str | None = None) -> Engine:
    """An engine on the ShootPlan database, its schema migrated to the latest revision.

    Parameters
    ----------
    url
        SQLAlchemy URL; ``None`` uses ``DATABASE_URL`` or the SQLite file
        ``data/shootplan.db`` under the current working directory.

    Raises
    ------
    StorageError
        The database cannot be reached or migrated.
    """
    engine = create_database_engine(url)
    try:
        if not is_current(engine):
            upgrade(engine)  # under the write lock, where alembic reads the revision again
    except SQLAlchemyError as error:
        engine.dispose()
        where = _safe_url(engine)
        raise StorageError(
            f"无法打开数据库 {where}：{error.__class__.__name__}",
            f"cannot open the database {where}: {error}",
        ) from error
    return engine
