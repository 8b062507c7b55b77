"""Alembic environment for the ShootPlan database.

ShootPlan calls this through :func:`scheduler.storage.engine.upgrade`, which
hands over an open connection in ``config.attributes["connection"]``. Run
from the command line (``alembic -c scheduler/migrations/alembic.ini …``) it
opens the database named by ``DATABASE_URL`` (or the default SQLite file).
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from scheduler.storage.rows import metadata

config = context.config
target_metadata = metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (``alembic upgrade head --sql``)."""
    from scheduler.storage.engine import database_url

    context.configure(
        url=config.get_main_option("sqlalchemy.url") or database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate the connection ShootPlan passed in, or open one from the configuration."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from scheduler.storage.engine import create_database_engine, migration_connection

    engine = create_database_engine(config.get_main_option("sqlalchemy.url") or None)
    try:
        with migration_connection(engine) as opened:
            _run(opened)
    finally:
        engine.dispose()


if config.config_file_name is not None and config.attributes.get("connection") is None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
