"""Changing stored scenarios as a user: import, clone, rename, delete and save.

Each function takes the signed-in account and runs the change inside
:func:`scheduler.services.accounts.acting`: the role is checked on the server, and the
change leaves exactly one row in the audit trail, in the change's own transaction — or a
failed row, with nothing changed, when the role may not, the file is refused, the version
is stale or the database says no. The pages call these, never the store's writes.

>>> info = import_scenario(store, account, data, "郑州.xlsx")                # doctest: +SKIP
>>> version = save_scenario(store, account, info.scenario_id, edited, 1)     # doctest: +SKIP
"""

from __future__ import annotations

from scheduler.domain.accounts import Account, Action
from scheduler.domain.errors import Problem
from scheduler.domain.model import Scenario
from scheduler.io.scenario_files import scenario_from_upload
from scheduler.services.accounts import acting
from scheduler.storage import NotFoundError, ScenarioInfo, ScenarioStore, StorageError

__all__ = [
    "clone_scenario",
    "delete_scenario",
    "import_scenario",
    "rename_scenario",
    "save_scenario",
]


def import_scenario(
    store: ScenarioStore,
    account: Account,
    data: bytes,
    file_name: str,
    name: str = "",
    notes: list[Problem] | None = None,
) -> ScenarioInfo:
    """Read an uploaded ``.xlsx`` or ``.zip`` and store it as a new scenario (``import``).

    ``name`` blank keeps the name in the file; ``notes`` receives what was read
    generously (see :func:`scheduler.io.scenario_files.scenario_from_upload`).

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not import; the file is not even read.
    scheduler.domain.errors.ScenarioError
        The file has problems (all listed); nothing is stored.
    scheduler.storage.StorageError
        The database refused (e.g. the name is taken).
    """
    with acting(store, account, Action.IMPORT, detail=file_name):
        scenario = scenario_from_upload(name, data, file_name, notes)
        return store.create(scenario)


def clone_scenario(
    store: ScenarioStore, account: Account, scenario_id: int, new_name: str
) -> ScenarioInfo:
    """Store a copy of a scenario under ``new_name`` for a what-if (``save``, a new scenario).

    The audit row names the copy, and says which scenario it copies.

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not save.
    scheduler.storage.StorageError
        The name is blank or taken, or the scenario is gone.
    """
    source = _name_of(store, scenario_id)
    with acting(
        store, account, Action.SAVE, scenario_id=scenario_id, detail=f"复制自 clone of {source}"
    ):
        return store.clone(scenario_id, _named(new_name))


def rename_scenario(
    store: ScenarioStore, account: Account, scenario_id: int, new_name: str
) -> ScenarioInfo:
    """Give a stored scenario a new name (``save``: its version goes up).

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not save.
    scheduler.storage.StorageError
        The name is blank or taken, or the scenario is gone.
    """
    detail = f"改名 rename {_name_of(store, scenario_id)} → {new_name.strip()}"
    with acting(store, account, Action.SAVE, scenario_id=scenario_id, detail=detail):
        return store.rename(scenario_id, _named(new_name))


def delete_scenario(store: ScenarioStore, account: Account, scenario_id: int) -> None:
    """Delete a scenario with all its plans (``delete``).

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not delete; nothing is deleted.
    scheduler.storage.StorageError
        No such scenario.
    """
    detail = _name_of(store, scenario_id)
    with acting(store, account, Action.DELETE, scenario_id=scenario_id, detail=detail):
        store.delete(scenario_id)


def save_scenario(
    store: ScenarioStore,
    account: Account,
    scenario_id: int,
    scenario: Scenario,
    expected_version: int,
    detail: str = "",
) -> int:
    """Store an edited scenario over ``expected_version`` (``save``); the new version.

    ``detail`` says what changed, for the audit row (e.g. ``钉住 pin T3``).

    Raises
    ------
    scheduler.services.accounts.NotPermittedError
        The role may not save.
    scheduler.storage.StaleScenarioError
        Someone saved a newer version meanwhile; nothing is stored (a failed row).
    scheduler.storage.StorageError
        The database refused otherwise (a name taken, the scenario deleted).
    """
    with acting(
        store,
        account,
        Action.SAVE,
        scenario_id=scenario_id,
        scenario_version=expected_version,
        detail=detail,
    ):
        return store.save(scenario_id, scenario, expected_version)


def refuse_invalid_save(
    store: ScenarioStore,
    account: Account,
    scenario_id: int,
    expected_version: int,
    problem_count: int,
) -> None:
    """Record a save the editor refused because its edits have problems: one failed row.

    Nothing is stored; the row says how many problems stopped it.
    """
    store.add_audit(
        account.name,
        Action.SAVE,
        False,
        scenario_id=scenario_id,
        scenario_version=expected_version,
        detail=f"修改有 {problem_count} 个问题，未保存 / {problem_count} problem(s), not saved",
    )


def _named(name: str) -> str:
    """``name`` without surrounding blanks; a blank name is refused."""
    if not name.strip():
        raise StorageError("名称不能为空", "the name cannot be empty")
    return name.strip()


def _name_of(store: ScenarioStore, scenario_id: int) -> str:
    """``「郑州 12 月」(#3)`` for the audit row, or ``#3`` when it is not stored."""
    try:
        return f"「{store.info(scenario_id).name}」(#{scenario_id})"
    except NotFoundError:  # the action itself then fails, and its row says so
        return f"#{scenario_id}"
