"""Scenarios and plans in a database: a SQLite file by default, PostgreSQL by ``DATABASE_URL``.

>>> store = ScenarioStore(get_engine())            # doctest: +SKIP
>>> info = store.create(scenario)                  # doctest: +SKIP
>>> scenario, version = store.load(info.scenario_id)  # doctest: +SKIP
>>> store.save(info.scenario_id, edited, version)  # doctest: +SKIP
>>> store.create_publication(info.scenario_id, plan_id, until, "张三")  # doctest: +SKIP

Only :mod:`scheduler.domain.model` and :mod:`scheduler.domain.plan` dataclasses cross this
package's boundary; the SQLModel tables stay inside.
"""

from scheduler.storage.engine import database_url, get_engine
from scheduler.storage.errors import (
    DuplicateAccountError,
    DuplicateNameError,
    LastHeadError,
    NotFoundError,
    StaleScenarioError,
    StorageError,
)
from scheduler.storage.repository import (
    AuditEvent,
    PlanInfo,
    PublicationInfo,
    ScenarioInfo,
    ScenarioStore,
    StoredAccount,
    SweepInfo,
    SweepRunInfo,
)

__all__ = [
    "AuditEvent",
    "DuplicateAccountError",
    "DuplicateNameError",
    "LastHeadError",
    "NotFoundError",
    "PlanInfo",
    "PublicationInfo",
    "ScenarioInfo",
    "ScenarioStore",
    "StaleScenarioError",
    "StorageError",
    "StoredAccount",
    "SweepInfo",
    "SweepRunInfo",
    "database_url",
    "get_engine",
]
