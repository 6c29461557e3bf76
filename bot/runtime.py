"""Open and close what every entry point needs: the database (migrated and seeded), the registry, the snapshot."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.settings import Settings
from knowledge.agencies import AgencyRegistry
from knowledge.base import KnowledgeBase
from knowledge.importer import ensure_seeded
from knowledge.storage.database import Database
from knowledge.storage.repository import KnowledgeRepository

__all__ = ["Runtime"]

log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class Runtime:
    """Resources of one process. Open with :meth:`open`, close with :meth:`close`."""

    settings: Settings
    db: Database
    registry: AgencyRegistry
    repository: KnowledgeRepository

    @classmethod
    def open(cls, settings: Settings, *, seed: bool = True) -> Runtime:
        db = Database(settings.database_url)
        try:
            db.migrate()
            registry = AgencyRegistry.bundled(settings.taskbot_agencies_file)
            repository = KnowledgeRepository(db)
            if seed:
                ensure_seeded(registry=registry, repository=repository)
            else:
                repository.sync_agencies(registry)
        except BaseException:
            db.dispose()
            raise
        log.info("opened %s", db.describe())
        return cls(settings=settings, db=db, registry=registry, repository=repository)

    def knowledge(self) -> KnowledgeBase:
        """A fresh in-memory snapshot of the knowledge base."""
        return KnowledgeBase.build(self.repository.load_plans(), self.repository.load_agencies(), self.registry)

    def close(self) -> None:
        self.db.dispose()
