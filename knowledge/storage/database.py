"""Engine, sessions and migrations: the one place that knows which database we talk to.

SQLite is the embedded default (WAL, foreign keys on, a busy timeout so a second process waits instead of failing);
PostgreSQL is the multi-instance database. Alembic migrations run automatically at start, under an advisory lock on
PostgreSQL so that two instances starting together do not race.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import column, create_engine, event, func, inspect, select, table, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from knowledge.errors import ConfigError, StorageError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Database"]

log = logging.getLogger(__name__)

_MIGRATION_LOCK_ID = 4350_2018  # arbitrary, stable: pg_advisory_xact_lock key for migrations and seeding


class Database:
    """A configured engine plus a session factory. Create one per process."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        try:
            parsed = make_url(url)
        except Exception as exc:  # SQLAlchemy raises ArgumentError or ValueError for malformed URLs
            raise ConfigError(f"DATABASE_URL is not a valid database URL: {url!r}") from exc
        self.url = parsed
        self.dialect = parsed.get_backend_name()
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.dialect == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        else:
            kwargs["pool_pre_ping"] = True
        try:
            self.engine: Engine = create_engine(parsed, **kwargs)
        except (SQLAlchemyError, ImportError) as exc:
            raise ConfigError(f"cannot use database {parsed.render_as_string(hide_password=True)}: {exc}") from exc
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions: sessionmaker[Session] | None = None  # the ORM loads with the first session, not before

    @property
    def is_postgresql(self) -> bool:
        return self.dialect == "postgresql"

    @property
    def in_memory(self) -> bool:
        """A SQLite database that lives in this process only (another process opening the URL sees another one)."""
        database = self.url.database or ""
        return self.dialect == "sqlite" and (not database or database == ":memory:" or "mode=memory" in database)

    def describe(self) -> str:
        """The URL without its password, for logs and messages."""
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise StorageError(f"database error on {self.describe()}: {exc}") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def lock_for_setup(self, session: Session) -> None:
        """Serialise start-up work (migrations, seeding) across processes sharing a PostgreSQL database."""
        if self.is_postgresql:
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_ID})

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (idempotent).

        A database already at the newest revision is recognised with one query, without importing Alembic (a fifth
        of a command's start-up); Alembic runs only when there is something to upgrade.
        """
        try:
            if self._schema_revision() == schema_head():
                log.debug("schema of %s is current", self.describe())
                return
            from alembic import command

            with self.engine.begin() as connection:
                if self.is_postgresql:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_ID})
                command.upgrade(_alembic_config(connection), "head")
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot migrate {self.describe()}: {exc}") from exc
        log.debug("schema of %s is up to date", self.describe())

    def _schema_revision(self) -> str | None:
        """The revision recorded in ``alembic_version``; None for a new database."""
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        return versions[0] if len(versions) == 1 else None

    def fingerprint(self) -> str:
        """Changes whenever a plan is imported, updated or removed, or agencies are added: the plans' count and last
        change, and the agencies' count. Two cheap aggregate queries in SQLAlchemy Core, so a process holding a cached
        engine can tell it is current without loading the ORM (:class:`KnowledgeRepository` delegates here)."""
        plans = table("plans", column("id"), column("updated_at"))
        agencies = table("agencies", column("id"))
        try:
            with self.engine.connect() as connection:
                count, latest = connection.execute(select(func.count(plans.c.id), func.max(plans.c.updated_at))).one()
                agency_count = connection.execute(select(func.count(agencies.c.id))).scalar_one()
        except SQLAlchemyError as exc:
            raise StorageError(f"database error on {self.describe()}: {exc}") from exc
        return f"{count}|{latest}|{agency_count}"

    def ping(self) -> None:
        """One round trip to the database; :class:`StorageError` (with host and reason) when it cannot be reached."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise StorageError(f"database {self.describe()} unreachable: {_reason(exc)}") from exc

    def dispose(self) -> None:
        self.engine.dispose()


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's own first line (e.g. "connection refused"), without SQLAlchemy's background links."""
    original = getattr(exc, "orig", None)
    text_ = str(original if original is not None else exc).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*(?:\"([^\"]*)\"|None)", re.MULTILINE)


@functools.cache
def schema_head() -> str:
    """The newest migration's revision, read from the migration files (the revision no other one revises)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    versions = resources.files("knowledge.storage").joinpath("migrations", "versions")
    for entry in versions.iterdir():
        if not entry.name.endswith(".py"):
            continue
        for kind, value in _REVISION_LINE.findall(entry.read_text(encoding="utf-8")):
            if value:
                (revisions if kind == "revision" else revised).add(value)
    heads = revisions - revised
    if len(heads) != 1:
        raise StorageError(f"migrations must have one head, found {sorted(heads)}")
    return heads.pop()


def _alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    location = resources.files("knowledge.storage").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
    finally:
        cursor.close()
