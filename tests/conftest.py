"""Shared fixtures: databases (real SQLite files and, when TEST_DATABASE_URL is set, real PostgreSQL schemas)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from knowledge.agencies import AgencyRegistry
from knowledge.importer import bundled_plan
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan
from knowledge.storage.database import Database

PG_ENV = "TEST_DATABASE_URL"

# Snapshot caches of the tests' databases go to a folder of this run, not the user's cache (subprocesses inherit it);
# the folder is removed when the run ends.
_RUN_CACHE = None if "TASKBOT_CACHE_DIR" in os.environ else tempfile.mkdtemp(prefix="taskbot-test-cache-")
if _RUN_CACHE is not None:
    os.environ["TASKBOT_CACHE_DIR"] = _RUN_CACHE


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _RUN_CACHE is not None:
        shutil.rmtree(_RUN_CACHE, ignore_errors=True)


# PTB 22 warns when it builds RetryAfter unless this opt-in to timedelta values is set; warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# Property tests check behaviour, not speed: on shared 2-core CI machines a first call can take several times the
# default 200 ms deadline (benchmarks in bench/ measure speed).
settings.register_profile("taskbot", deadline=None)
settings.load_profile("taskbot")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get(PG_ENV):
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI must run the PostgreSQL tests: set {PG_ENV}")
    skip = pytest.mark.skip(reason=f"PostgreSQL tests need {PG_ENV}=postgresql+psycopg://user@host:port/db")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def registry() -> AgencyRegistry:
    return AgencyRegistry.bundled()


@pytest.fixture(scope="session")
def seed_plan(registry: AgencyRegistry) -> ParsedPlan:
    return parse_plan_source(bundled_plan(), name="kh-435-ubnd-2018-hai-phong.md", registry=registry)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'taskbot.sqlite3'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the PostgreSQL database named by TEST_DATABASE_URL, dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each repository test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'taskbot.sqlite3'}"
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A migrated database on each backend (see ``database_url``), disposed afterwards."""
    database = Database(database_url)
    database.migrate()
    try:
        yield database
    finally:
        database.dispose()
