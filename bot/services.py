"""What the chat channels share in one process: the runtime, the current answer engine and the repositories.

Database work runs in worker threads (``asyncio.to_thread``) so the event loop never blocks on it; answers come from
the in-memory engine, which is swapped atomically after an import.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import logging
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from typing import ParamSpec, TypeVar

from bot.engine_builder import build_in_child
from bot.runtime import Runtime
from knowledge.answers import AnswerEngine
from knowledge.contacts import Channel
from knowledge.errors import ChannelError
from knowledge.records import Task
from knowledge.reply import Outgoing
from knowledge.storage.contacts import ContactRepository
from scheduler.delivery import ReminderService, Sender, worker_name
from scheduler.policy import ReminderPolicy
from scheduler.records import DoneReports
from scheduler.report_storage import ReportRepository
from scheduler.storage import OutboxRepository

__all__ = ["Services"]

log = logging.getLogger(__name__)

_OFFERED_CHATS = 20_000
P = ParamSpec("P")
R = TypeVar("R")


class Services:
    """Shared state of the bot process. Create with :meth:`open`; ``clock`` is injectable for tests."""

    def __init__(self, runtime: Runtime, *, clock: Callable[[], datetime] | None = None) -> None:
        self.runtime = runtime
        self.contacts = ContactRepository(runtime.db)
        self.reports = ReportRepository(runtime.db)
        self.outbox = OutboxRepository(runtime.db)
        self._fingerprint = runtime.repository.fingerprint()
        self.engine = runtime.answer_engine()
        _settle_heap()
        self.reminders = ReminderService(
            knowledge=lambda: self.engine.kb,
            contacts=self.contacts,
            outbox=self.outbox,
            reports=self.reports,
            policy=ReminderPolicy(),
            worker=worker_name(),
            concurrency=runtime.settings.taskbot_reminder_concurrency,
            on_delivered=self.offer_buttons,
        )
        self._offered: OrderedDict[tuple[str, str], list[str]] = OrderedDict()
        # Senders of the channels this process serves, for messages that cross channels (a Zalo officer's
        # registration request notifies Telegram admins); set by the process's entry point.
        self.senders: dict[Channel, Sender] = {}
        self.done: DoneReports = self.reports.done_occurrences()
        self._forget_contact: list[Callable[[str, str], None]] = []
        self._contacts_fingerprint = self.contacts.fingerprint()
        self.contacts_version = 0  # bumped when another process changed contacts: chat caches then re-read them
        tz = runtime.settings.timezone
        self._clock = clock or (lambda: datetime.now(tz=tz))

    def now(self) -> datetime:
        return self._clock()

    async def db(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run a blocking repository call in a worker thread."""
        return await asyncio.to_thread(function, *args, **kwargs)

    def offer(self, channel: str, chat_id: str, actions: list[str]) -> None:
        """Remember the choices last offered in a chat, so that a bare number typed as a reply picks one."""
        key = (channel, chat_id)
        self._offered.pop(key, None)
        if actions:
            self._offered[key] = actions
            while len(self._offered) > _OFFERED_CHATS:
                self._offered.popitem(last=False)

    def offered(self, channel: str, chat_id: str) -> list[str] | None:
        return self._offered.get((channel, chat_id))

    def offer_buttons(self, channel: str, chat_id: str, outgoing: Outgoing) -> None:
        """On channels without buttons (Zalo), a delivered reminder's choices become the chat's numbered choices.

        On Telegram the buttons are real buttons; the numbers typed there keep meaning the last answer's choices.
        """
        actions = [button.action for row in outgoing.buttons for button in row]
        if actions and channel == "zalo":
            self.offer(channel, chat_id, actions)

    def is_done(self, task: Task, due: date, agency: str | None = None) -> bool:
        """Whether the occurrence is reported done by the task's lead (or by ``agency``); in memory, refreshed by
        sweeps and by this process's own reports."""
        agencies = (*task.lead, agency) if agency else task.lead
        return self.done.done_for(task.plan_number, task.code, due, agencies)

    def done_check(self, agency: str | None) -> Callable[[Task, date], bool]:
        """:meth:`is_done` for one asker's agency, as the answer engine takes it."""
        return lambda task, due: self.is_done(task, due, agency)

    async def refresh_done(self) -> None:
        self.done = await asyncio.to_thread(self.reports.done_occurrences)

    async def send_elsewhere(self, channel: Channel, chat_id: str, outgoing: Outgoing) -> bool:
        """Deliver a message meant for another channel's chat; False (logged) when this process cannot."""
        sender = self.senders.get(channel)
        if sender is None:
            log.warning("no %s sender in this process: a message for %s:%s is dropped", channel, channel, chat_id)
            return False
        try:
            await sender.send(chat_id, outgoing)
        except ChannelError as exc:
            log.warning("could not deliver a message to %s:%s: %s", channel, chat_id, exc)
            return False
        return True

    async def mark_unreachable(self, channel: Channel, chat_id: str, *, by: str) -> None:
        """Mark the contact of a chat that refuses the bot (blocked it, left the group) inactive; never raises."""
        try:
            contact = await self.db(self.contacts.get, channel, chat_id)
            if contact is None or not contact.active:
                return
            await self.db(self.contacts.deactivate, channel, chat_id, by=by, now=self.now())
            for forget in self._forget_contact:
                forget(channel, chat_id)
            log.info("contact %s:%s marked inactive: the chat refuses the bot's messages", channel, chat_id)
        except Exception:
            log.exception("could not mark %s chat %s inactive", channel, chat_id)

    def on_contact_change(self, forget: Callable[[str, str], None]) -> None:
        """Call ``forget(channel, chat_id)`` when a contact changes here (a conversation's contact cache)."""
        self._forget_contact.append(forget)

    async def watch_changes(self) -> None:
        """What another process changed (every few seconds from the scheduler): a plan imported, archived or removed
        is reloaded; a contact added, changed or removed (a revoked admin) invalidates every chat's contact cache."""
        await self.reload_if_changed()
        fingerprint = await asyncio.to_thread(self.contacts.fingerprint)
        if fingerprint != self._contacts_fingerprint:
            self._contacts_fingerprint = fingerprint
            self.contacts_version += 1
            log.info("contacts changed in another process: contact caches dropped")

    async def reload_if_changed(self) -> bool:
        """Reload the knowledge base when another process (``taskbot import``) changed it; True if it did."""
        fingerprint = await asyncio.to_thread(self.runtime.repository.fingerprint)
        if fingerprint == self._fingerprint:
            return False
        self._fingerprint = fingerprint
        await self.reload_knowledge()
        return True

    async def reload_knowledge(self) -> None:
        """Rebuild the answer engine from the database (after an import) and swap it in.

        With the snapshot cache on, a child process builds the engine (:mod:`bot.engine_builder`) and this process
        only reads it back, after letting the old one go: the new engine then takes the old one's memory, and the
        bot does not grow with every reload (read beside the old one, the two interleave in the allocator's arenas
        and ~30 MB stay taken for good). Answers wait for the read (~0.2 s at 10,000 tasks); nothing runs between
        letting go and reading, so no answer ever finds no engine."""
        engine: AnswerEngine | None = None
        if self.runtime.snapshot_cache is not None and not self.runtime.db.in_memory:
            if await build_in_child(self.runtime.settings):
                key = await asyncio.to_thread(self.runtime.cached_engine_key)
                if key is not None:
                    gc.unfreeze()
                    del self.engine
                    engine = self.runtime.cached_answer_engine(key)
                    if engine is None:  # the file went away in between: build here, once
                        engine = self.runtime.answer_engine()
        if engine is None:
            engine = await asyncio.to_thread(self.runtime.answer_engine)
        self.engine = engine
        gc.unfreeze()
        _settle_heap()
        log.info("knowledge reloaded: %d plans", len(engine.kb.plans))


def _settle_heap() -> None:
    """Move the long-lived knowledge snapshot out of the garbage collector's way.

    The snapshot is tens of thousands of immutable records; full collections that rescan them pause a random answer
    for ~100 ms on a large knowledge base. Freezing after the build keeps answers' tail latency flat.
    """
    gc.collect()
    _return_free_memory()
    gc.freeze()


def _return_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``): a reload frees the previous
    snapshot, but without this the process keeps its peak size for good. Skipped where there is no glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)
