"""Input that cannot hurt (issue 12): seeded faults in the sample month's files hurt nothing.

90 CSV cases and 18 workbook cases of :mod:`scheduler.cli.fuzz_benchmark`
(seeds 1 and 2, one to three faults each, every fifth CSV case uploaded as a zip
too): no crash, no message over one line or 300 characters, every fault that
must be reported named at its file and line, nothing accepted that must be
refused, nothing accepted lost or changed, and every accepted scenario saved to
SQLite and PostgreSQL and loaded back equal. A failure names the case and the
command that replays it; the full 3,400 cases are the benchmark command.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from scheduler.cli.fuzz_benchmark import (
    DEFAULT_SCENARIO,
    FAILURE_KINDS,
    Failure,
    Store,
    Tally,
    fuzz,
    sqlite_store,
)

CSV_CASES = 90
WORKBOOK_CASES = 18
SEEDS = (1, 2)
SHOWN = 8


@pytest.fixture(scope="module")
def tally() -> Tally:
    """The seeded cases, read and judged once; accepted scenarios kept for the stores."""
    return fuzz(DEFAULT_SCENARIO, SEEDS, CSV_CASES, WORKBOOK_CASES, keep_accepted=True)


def said(failures: Sequence[Failure]) -> str:
    """The first failures, each with its faults and the command that replays it."""
    lines = [f"{len(failures)} failure(s):"]
    for failure in failures[:SHOWN]:
        lines.append(f"{failure.case}: {failure.detail}")
        lines.append(f"    faults: {'; '.join(failure.faults)}")
        lines.append(f"    replay: {failure.replay('sample_data/zhengzhou-month')}")
    return "\n".join(lines)


def test_the_cases_are_both_accepted_and_refused(tally: Tally) -> None:
    assert sum(tally.cases.values()) == CSV_CASES + WORKBOOK_CASES
    assert sum(tally.accepted.values()) > 0
    assert sum(tally.refused.values()) > sum(tally.accepted.values())


@pytest.mark.parametrize("kind", [kind for kind in FAILURE_KINDS if kind != "unstorable"])
def test_no_case_fails(tally: Tally, kind: str) -> None:
    failures = tally.of_kind(kind)
    if failures:
        pytest.fail(said(failures), pytrace=False)


def stored_failures(tally: Tally, store: Store) -> list[Failure]:
    """Accepted scenarios that ``store`` cannot save, or that load back different."""
    failures = []
    for case, scenario, faults in tally.kept:
        problem = store.problem(scenario)
        if problem is not None:
            failures.append(Failure("unstorable", case, problem, faults))
    return failures


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[Store]:
    store = sqlite_store(tmp_path)
    yield store
    store.close()


def test_accepted_cases_store_on_sqlite(tally: Tally, sqlite: Store) -> None:
    failures = stored_failures(tally, sqlite)
    if failures:
        pytest.fail(said(failures), pytrace=False)


@pytest.mark.postgres
def test_accepted_cases_store_on_postgresql(tally: Tally, postgres_migrated: str) -> None:
    store = Store("postgresql", postgres_migrated)
    try:
        failures = stored_failures(tally, store)
    finally:
        store.close()
    if failures:
        pytest.fail(said(failures), pytrace=False)
