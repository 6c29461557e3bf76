"""Open and close what every entry point needs: the database (migrated and seeded), the registry, the snapshot."""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.settings import Settings
from knowledge.agencies import AgencyRegistry
from knowledge.base import KnowledgeBase
from knowledge.errors import ConfigError, RegistryError, StorageError
from knowledge.records import Plan
from knowledge.storage.database import Database
from knowledge.storage.snapshot_cache import SnapshotCache

if TYPE_CHECKING:
    from knowledge.answers import AnswerEngine
    from knowledge.storage.repository import KnowledgeRepository

__all__ = ["Runtime", "load_registry"]

log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class Runtime:
    """Resources of one process. Open with :meth:`open`, close with :meth:`close`.

    The registry and the repository are made on first use. A command that only answers, on a database whose answer
    engine the snapshot cache already holds, never builds the registry, never loads the ORM and never writes: the
    agencies were synchronised when that engine was built (its key holds the registry's files and the database's
    fingerprint, which counts the agencies). Every other path synchronises the agencies before the repository is used.
    """

    settings: Settings
    db: Database
    snapshot_cache: SnapshotCache | None = None
    _registry: AgencyRegistry | None = field(default=None, repr=False)
    _repository: KnowledgeRepository | None = field(default=None, repr=False)

    @classmethod
    def open(cls, settings: Settings, *, seed: bool = True) -> Runtime:
        db = _database(settings.database_url)
        try:
            _migrate(db)
            cache = None
            if settings.taskbot_snapshot_cache:
                cache = SnapshotCache(settings.taskbot_cache_dir, db.describe())
            runtime = cls(settings=settings, db=db, snapshot_cache=cache)
            if not runtime._warm(seed=seed):
                repository = runtime.repository  # builds the registry and synchronises the agencies
                if seed and repository.plan_count() == 0:
                    from knowledge.importer import ensure_seeded  # the plan parser loads only to seed an empty base

                    ensure_seeded(registry=runtime.registry, repository=repository)
        except BaseException:
            db.dispose()
            raise
        log.info("opened %s", db.describe())
        return runtime

    @property
    def registry(self) -> AgencyRegistry:
        if self._registry is None:
            self._registry = load_registry(self.settings)
        return self._registry

    @property
    def repository(self) -> KnowledgeRepository:
        if self._repository is None:
            from knowledge.storage.repository import KnowledgeRepository  # the ORM loads here

            repository = KnowledgeRepository(self.db)
            repository.sync_agencies(self.registry)
            self._repository = repository
        return self._repository

    def _warm(self, *, seed: bool) -> bool:
        """True when the snapshot cache holds the engine for the knowledge base as it is now (so nothing needs
        building, synchronising or seeding); a base that has no plan yet is never warm while seeding is asked."""
        if self.snapshot_cache is None:
            return False
        fingerprint = self.db.fingerprint()
        if seed and fingerprint.startswith("0|"):
            return False
        try:
            return self.snapshot_cache.has_engine(self._engine_key(fingerprint))
        except RegistryError:
            return False  # an unreadable agency file: the cold path reports it in Vietnamese

    def knowledge(self) -> KnowledgeBase:
        """A fresh in-memory snapshot of the knowledge base."""
        return self._knowledge(None if self.snapshot_cache is None else self.db.fingerprint())

    def answer_engine(self) -> AnswerEngine:
        """An answer engine over a fresh snapshot: read back from the snapshot cache while the knowledge base, the
        registry and the code are those it was built from, else built (and cached)."""
        from knowledge.answers import AnswerEngine  # the answering modules load only for commands that answer

        cache = self.snapshot_cache
        if cache is None:
            return AnswerEngine(self.knowledge())
        fingerprint = self.db.fingerprint()
        key = self._engine_key(fingerprint)
        engine = cache.load_engine(key, AnswerEngine)
        if engine is None:
            engine = AnswerEngine(self._knowledge(fingerprint))
            cache.save_engine(key, engine)
        return engine

    def cached_engine_key(self) -> str | None:
        """The key of the engine for the knowledge base as it is now, when the snapshot cache holds it; else None.
        Cheap (one query and the cache file's stamp): tells whether :meth:`cached_answer_engine` will succeed."""
        cache = self.snapshot_cache
        if cache is None:
            return None
        key = self._engine_key(self.db.fingerprint())
        return key if cache.has_engine(key) else None

    def cached_answer_engine(self, key: str) -> AnswerEngine | None:
        """The engine cached for ``key`` (from :meth:`cached_engine_key`), never built here."""
        from knowledge.answers import AnswerEngine

        return None if self.snapshot_cache is None else self.snapshot_cache.load_engine(key, AnswerEngine)

    def _engine_key(self, fingerprint: str) -> str:
        return f"{fingerprint}|{AgencyRegistry.source_digest(self.settings.taskbot_agencies_file)}"

    def _knowledge(self, fingerprint: str | None) -> KnowledgeBase:
        return KnowledgeBase.build(self._plans(fingerprint), self.repository.load_agencies(), self.registry)

    def _plans(self, fingerprint: str | None) -> list[Plan]:
        """The plans, from the snapshot cache while the knowledge base's ``fingerprint`` is unchanged. The
        fingerprint is read before the plans: plans newer than it are only ever cached under an older fingerprint
        (read again next time), never the reverse."""
        cache = self.snapshot_cache
        if cache is None or fingerprint is None:
            return self.repository.load_plans()
        plans = cache.load(fingerprint)
        if plans is None:
            plans = self.repository.load_plans()
            cache.save(fingerprint, plans)
        return plans

    def close(self) -> None:
        self.db.dispose()


def _database(url: str) -> Database:
    """The configured database; a URL that cannot be used is a :class:`ConfigError` naming ``DATABASE_URL``."""
    try:
        return Database(url)
    except ConfigError as exc:
        cause = exc.__cause__
        reason = _first_line(cause) if cause is not None else str(exc)
        scheme = url.partition("://")[0] if "://" in url else url[:20]
        if "Can't load plugin" in reason or "No module named" in reason:
            reason = f"không có trình điều khiển cơ sở dữ liệu cho “{scheme}”"
        elif "Could not parse" in reason or "not a valid" in reason:
            reason = "không đúng dạng URL"
        raise ConfigError(
            str(exc),
            user_message=f"DATABASE_URL không dùng được ({reason}). Hãy đặt DATABASE_URL dạng "
            "sqlite:////đường/dẫn/taskbot.sqlite3 hoặc postgresql+psycopg://người_dùng:mật_khẩu@máy_chủ:5432/tên_csdl.",
        ) from exc


def _migrate(db: Database) -> None:
    """Bring the schema up to date; a database out of reach is a :class:`StorageError` with its host and reason."""
    try:
        db.migrate()
    except StorageError as exc:
        cause = exc.__cause__
        reason = _first_line(getattr(cause, "orig", None) or cause or exc)
        raise StorageError(
            str(exc),
            user_message=f"Không kết nối được cơ sở dữ liệu {db.describe()}: {reason}. Hãy kiểm tra máy chủ cơ sở dữ "
            "liệu đang chạy và DATABASE_URL (máy chủ, cổng, người dùng, mật khẩu).",
        ) from exc


def load_registry(settings: Settings) -> AgencyRegistry:
    """The agency registry the settings name (the bundled one, merged with TASKBOT_AGENCIES_FILE when set)."""
    path = settings.taskbot_agencies_file
    try:
        return AgencyRegistry.bundled(path)
    except RegistryError as exc:
        if path is None:
            raise
        cause = exc.__cause__
        if isinstance(cause, OSError):
            reason = _OS_REASONS.get(cause.errno or 0, f"không đọc được tệp ({cause.strerror or cause})")
        else:
            reason = f"nội dung sai: {_first_line(exc).removeprefix(f'{path}: ')}"
        raise RegistryError(
            str(exc),
            user_message=f"TASKBOT_AGENCIES_FILE “{path}” không dùng được: {reason}. Hãy sửa tệp này "
            "(TOML với các khối [[agency]] có name, kind, aliases) hoặc bỏ biến TASKBOT_AGENCIES_FILE.",
        ) from exc


_OS_REASONS = {
    errno.ENOENT: "không có tệp này",
    errno.EACCES: "không có quyền đọc tệp",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
}


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
