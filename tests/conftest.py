"""Fixtures every test module may ask for by name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scheduler.domain.model import Scenario
from scheduler.io.validation import load_scenario
from scheduler.samples.generate import generate
from scheduler.services import capacity_jobs
from tests.app_pages import made_files, tutorial_db
from tests.factories import SAMPLES
from tests.storage_fixtures import (
    db_url,
    empty_db_url,
    engine,
    postgres_admin,
    postgres_migrated,
    store,
)

__all__ = [
    "db_url",
    "empty_db_url",
    "engine",
    "made_files",
    "postgres_admin",
    "postgres_migrated",
    "store",
    "tutorial",
    "tutorial_db",
    "zhengzhou_full",
]


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    """The tutorial: B1 (S1 办公室, S2 别墅), B2 (S3 医院, S4 办公室); C1, C2; 12-01…12-07."""
    return load_scenario(SAMPLES / "tutorial")


@pytest.fixture(scope="module")
def zhengzhou_full() -> Scenario:
    """The generated zhengzhou-full sample (12 bases in 3 cities)."""
    return generate("zhengzhou-full")


@pytest.fixture
def no_capacity_jobs_left() -> Iterator[None]:
    """The test starts and ends without capacity jobs (they are kept across sessions)."""
    capacity_jobs.forget_job()
    yield
    capacity_jobs.forget_job()
