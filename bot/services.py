"""What the chat channels share in one process: the runtime, the current answer engine and the repositories.

Database work runs in worker threads (``asyncio.to_thread``) so the event loop never blocks on it; answers come from
the in-memory engine, which is swapped atomically after an import.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import ParamSpec, TypeVar

from bot.runtime import Runtime
from knowledge.answers import AnswerEngine
from knowledge.storage.contacts import ContactRepository

__all__ = ["Services"]

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


class Services:
    """Shared state of the bot process. Create with :meth:`open`; ``clock`` is injectable for tests."""

    def __init__(self, runtime: Runtime, *, clock: Callable[[], datetime] | None = None) -> None:
        self.runtime = runtime
        self.contacts = ContactRepository(runtime.db)
        self.engine = AnswerEngine(runtime.knowledge())
        tz = runtime.settings.timezone
        self._clock = clock or (lambda: datetime.now(tz=tz))

    def now(self) -> datetime:
        return self._clock()

    async def db(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run a blocking repository call in a worker thread."""
        return await asyncio.to_thread(function, *args, **kwargs)

    async def reload_knowledge(self) -> None:
        """Rebuild the answer engine from the database (after an import) and swap it in."""
        engine = await asyncio.to_thread(lambda: AnswerEngine(self.runtime.knowledge()))
        self.engine = engine
        log.info("knowledge reloaded: %d plans", len(engine.kb.plans))
