"""The reminder sweep: compute what is due, put it in the outbox, and deliver it exactly once per reminder.

Each reminder is an outbox row with a unique key (contact, task, occurrence, stage). A sweep enqueues the due set
(inserting only new keys), claims pending rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, conditional updates on
SQLite), sends one message per contact, and marks the rows sent in their own transaction right after each message.
A crash or a restart mid fan-out leaves the unsent rows pending for the next sweep; two instances never claim the same
row. Network errors, time-outs, 5xx and flood control are retried with backoff; a blocked bot (403) deactivates the
contact and skips its rows.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import os
import socket
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from knowledge.base import KnowledgeBase
from knowledge.contacts import Channel
from knowledge.errors import ChannelError, TaskbotError
from knowledge.reply import Outgoing, Reply
from knowledge.storage.contacts import ContactRepository
from scheduler.messages import render_digest, render_reminders
from scheduler.policy import DoneLookup, ReminderPlanner, ReminderPolicy, done_lookup
from scheduler.records import DoneReports, OutboxEntry, Reminder
from scheduler.report_storage import ReportRepository
from scheduler.storage import LEASE, OutboxRepository

__all__ = [
    "CONCURRENCY",
    "ChatPacer",
    "DeliveryError",
    "PartProgress",
    "RecipientUnreachable",
    "ReminderService",
    "Sender",
    "SweepReport",
    "TransientDeliveryError",
    "worker_is_dead",
    "worker_name",
]

log = logging.getLogger(__name__)

# Messages in flight at once per process. A crash can repeat only what was in flight (neither platform has an
# idempotency key), so by default one: a kill repeats at most one message. A province with thousands of contacts can
# raise it (TASKBOT_REMINDER_CONCURRENCY; 4 fill Telegram's ~30 messages/s bulk limit), accepting that many repeats.
CONCURRENCY = 1
CLAIM_BATCH = 500  # rows claimed at a time (then the rest of the claimed contacts' rows)


class DeliveryError(ChannelError):
    """A message could not be delivered and retrying will not help (bad request)."""


class RecipientUnreachable(DeliveryError):
    """The chat blocked the bot or no longer exists: the contact is deactivated, its reminders skipped."""


class TransientDeliveryError(DeliveryError):
    """A network error, a time-out, a 5xx or flood control: retry later (after ``retry_after`` seconds if given)."""

    def __init__(self, message: str, *, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status  # the HTTP (or platform) status when there was one


class PartProgress:
    """The parts of one message the platform has accepted so far, recorded as each one is accepted.

    A sender that splits a message skips the first :attr:`sent` parts and awaits :meth:`accepted` after each part
    the platform took, so a failure on part k followed by a retry does not send parts 1…k-1 again.
    """

    def __init__(self, sent: int = 0, record: Callable[[int], Awaitable[None]] | None = None) -> None:
        self.sent = sent
        self._record = record

    def pending(self, index: int) -> bool:
        """Whether part ``index`` (0-based) still has to be sent."""
        return index >= self.sent

    async def accepted(self) -> None:
        self.sent += 1
        if self._record is not None:
            await self._record(self.sent)


class Sender(Protocol):
    """Delivers a rendered message to one chat of one channel; raises :class:`DeliveryError` subclasses.

    With ``progress``, parts already accepted are skipped and each newly accepted part is reported.
    """

    async def send(self, chat_id: str, outgoing: Outgoing, *, progress: PartProgress | None = None) -> None: ...


def message_digest(outgoing: Outgoing) -> str:
    """A fingerprint of a rendered message: parts recorded for another rendering are not skipped."""
    return hashlib.sha256(repr(outgoing).encode("utf-8")).hexdigest()[:32]


class ChatPacer:
    """At most one message per ``interval`` seconds to the same chat (Telegram's and Zalo's per-chat limits).

    ``async with pacer.chat(chat_id) as pace:`` serialises sends to the chat; ``await pace()`` before each message
    waits for its slot.
    """

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._last: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def chat(self, chat_id: str) -> AsyncIterator[Callable[[], Awaitable[None]]]:
        async def pace() -> None:
            last = self._last.get(chat_id)
            if last is not None:
                wait = last + self.interval - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            self._last[chat_id] = time.monotonic()

        async with self._locks.setdefault(chat_id, asyncio.Lock()):
            yield pace


IN_RUN_ATTEMPTS = 3  # tries of one message within a sweep before it is rescheduled
IN_RUN_BACKOFF = 1.0  # seconds before the second try when the platform gave no retry_after (then doubled)
IN_RUN_WAIT_MAX = 30.0  # a longer retry_after is not waited for: the row is rescheduled


@dataclass(kw_only=True)
class SweepReport:
    """What one sweep did."""

    enqueued: int = 0
    claimed: int = 0
    messages: int = 0
    sent: int = 0
    retried: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class ReminderService:
    """Computes, enqueues and delivers reminders. Blocking repository calls run in worker threads."""

    def __init__(
        self,
        *,
        knowledge: Callable[[], KnowledgeBase],
        contacts: ContactRepository,
        outbox: OutboxRepository,
        reports: ReportRepository,
        policy: ReminderPolicy | None = None,
        worker: str = "taskbot",
        concurrency: int = CONCURRENCY,
        max_attempts: int = 8,
        on_delivered: Callable[[Channel, str, Outgoing], None] | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.contacts = contacts
        self.outbox = outbox
        self.reports = reports
        self.policy = policy or ReminderPolicy()
        self.worker = worker
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.on_delivered = on_delivered  # e.g. remember the buttons as numbered choices for the chat
        self._digest: tuple[tuple[date, int, int], Outgoing] | None = None

    # -- computing ----------------------------------------------------------------------------------------------

    def planner(self) -> ReminderPlanner:
        kb = self.knowledge()
        done = self.reports.done_occurrences()
        return ReminderPlanner(
            tasks=[t for p in kb.plans if not p.archived for t in p.tasks],  # an archived plan sends no reminders
            contacts=self.contacts.list_contacts(),
            registry=kb.registry,
            is_done=done_lookup(done),
            policy=self.policy,
        )

    def due_on(self, day: date) -> list[Reminder]:
        """Every reminder scheduled for the send time of ``day`` (nothing is sent)."""
        return self.planner().on(day)

    def enqueue_due(self, now: datetime) -> int:
        """Put what is due at ``now`` into the outbox; returns how many reminders were new."""
        return self.outbox.enqueue(self.planner().due(now), now=now)

    # -- delivering ---------------------------------------------------------------------------------------------

    async def sweep(self, now: datetime, senders: Mapping[Channel, Sender]) -> SweepReport:
        """Enqueue what is due, then deliver everything pending."""
        report = SweepReport()
        report.enqueued = await asyncio.to_thread(self.enqueue_due, now)
        await self.deliver(now, senders, report=report)
        log.info(
            "reminder sweep: %d new, %d claimed, %d messages, %d sent, %d retried, %d skipped, %d failed",
            report.enqueued,
            report.claimed,
            report.messages,
            report.sent,
            report.retried,
            report.skipped,
            report.failed,
        )
        return report

    async def deliver(
        self, now: datetime, senders: Mapping[Channel, Sender], *, report: SweepReport | None = None
    ) -> SweepReport:
        """Claim pending outbox rows until none is left and send them, one message per contact."""
        report = report or SweepReport()
        self._digest = None
        kb = self.knowledge()
        done = await asyncio.to_thread(self.reports.done_occurrences)
        reported = await asyncio.to_thread(self._reported_occurrences)
        semaphore = asyncio.Semaphore(self.concurrency)
        started = time.monotonic()
        channels = sorted(senders)
        dead = await asyncio.to_thread(self._dead_workers)
        heartbeat = asyncio.create_task(self._heartbeat(now, started))
        try:
            await self._deliver_all(now, started, channels, dead, semaphore, senders, kb, done, reported, report)
        except BaseException:
            # Stopped by an error or cancelled: nothing is in flight any more, so the unsent rows go back at once.
            at = now + timedelta(seconds=time.monotonic() - started)
            await asyncio.shield(
                asyncio.to_thread(self.outbox.release, worker=self.worker, now=at, max_attempts=self.max_attempts)
            )
            raise
        finally:
            heartbeat.cancel()
        return report

    async def _heartbeat(self, now: datetime, started: float) -> None:
        """Renew this worker's claims every LEASE / 3 while it delivers, so a long fan-out keeps its rows and a
        crash frees them within one lease."""
        while True:
            await asyncio.sleep(LEASE.total_seconds() / 3)
            at = now + timedelta(seconds=time.monotonic() - started)
            try:
                await asyncio.to_thread(self.outbox.renew, worker=self.worker, now=at)
            except TaskbotError as exc:  # a database hiccup: the next beat tries again
                log.warning("could not renew the outbox lease of %s: %s", self.worker, exc)

    def _dead_workers(self) -> set[str]:
        """Workers of this host holding rows whose process no longer runs (killed, crashed): their rows are free."""
        return {w for w in self.outbox.claimers() if w != self.worker and worker_is_dead(w)}

    async def _deliver_all(
        self,
        now: datetime,
        started: float,
        channels: list[Channel],
        dead: set[str],
        semaphore: asyncio.Semaphore,
        senders: Mapping[Channel, Sender],
        kb: KnowledgeBase,
        done: DoneReports,
        reported: set[tuple[str, str, date]],
        report: SweepReport,
    ) -> None:
        claim = functools.partial(
            self.outbox.claim,
            worker=self.worker,
            limit=CLAIM_BATCH,
            max_attempts=self.max_attempts,
            channels=channels,
            dead_workers=dead,
        )
        while True:
            # Claims carry the real time elapsed since the sweep began, so a long fan-out does not look like a
            # dead worker to another instance (the lease is measured from the claim).
            claimed_at = now + timedelta(seconds=time.monotonic() - started)
            entries = await asyncio.to_thread(claim, now=claimed_at)
            if not entries:
                break
            chats = {(e.reminder.channel, e.reminder.chat_id) for e in entries}
            more = entries
            while len(more) >= CLAIM_BATCH:  # the batch may have stopped inside a contact's rows: take the rest
                more = await asyncio.to_thread(claim, now=claimed_at, chats=chats)
                entries += more
            report.claimed += len(entries)
            groups: dict[tuple[Channel, str], list[OutboxEntry]] = defaultdict(list)
            for entry in entries:
                groups[(entry.reminder.channel, entry.reminder.chat_id)].append(entry)

            async def deliver_group(key: tuple[Channel, str], group: list[OutboxEntry]) -> None:
                async with semaphore:
                    await self._deliver_group(key, group, now, senders, kb, done, reported, report)

            await _all_or_none([deliver_group(k, g) for k, g in groups.items()])

    async def _send_now(
        self, sender: Sender, chat_id: str, outgoing: Outgoing, progress: PartProgress | None = None
    ) -> None:
        """Send one message, waiting out short faults within the run: a flood-control answer's ``retry_after`` when
        it is at most :data:`IN_RUN_WAIT_MAX` seconds, else a short back-off; what still fails is rescheduled."""
        for attempt in range(IN_RUN_ATTEMPTS):
            try:
                await sender.send(chat_id, outgoing, progress=progress)
                return
            except TransientDeliveryError as exc:
                wait = exc.retry_after if exc.retry_after is not None else IN_RUN_BACKOFF * 2**attempt
                if attempt == IN_RUN_ATTEMPTS - 1 or wait > IN_RUN_WAIT_MAX:
                    raise
                log.warning("sending to %s failed (%s); retrying in %.0f s", chat_id, exc, wait)
                await asyncio.sleep(wait)

    def _skip_reason(self, entry: OutboxEntry, kb: KnowledgeBase, is_done: DoneLookup, oldest: date) -> str | None:
        """Why a queued reminder must not go out any more, or None to send it."""
        if self._plan_withdrawn(entry, kb):
            return "plan removed or archived"  # after the reminder was queued
        if entry.reminder.occurrence - timedelta(days=entry.reminder.offset_days) < oldest:
            return "older than the catch-up window"  # left pending long ago (e.g. by an --as-of run): never sent late
        if self._reported_done(entry, kb, is_done):
            return "reported done"  # a done report arrived after the reminder was queued
        return None

    @staticmethod
    def _reported_done(entry: OutboxEntry, kb: KnowledgeBase, is_done: DoneLookup) -> bool:
        reminder = entry.reminder
        if reminder.plan is None or reminder.task is None:
            return False
        task = kb.task(reminder.task, reminder.plan)
        return task is not None and is_done(task, reminder.occurrence, reminder.agency)

    @staticmethod
    def _plan_withdrawn(entry: OutboxEntry, kb: KnowledgeBase) -> bool:
        """A task reminder whose plan is no longer in the knowledge base, or is archived."""
        plan_number = entry.reminder.plan
        if plan_number is None or entry.reminder.kind == "digest":
            return False
        plan = kb.plan(plan_number)
        return plan is None or plan.archived

    def _reported_occurrences(self) -> set[tuple[str, str, date]]:
        return {(r.plan, r.task, r.occurrence) for r in self.reports.list_reports()}

    async def _deliver_group(
        self,
        key: tuple[Channel, str],
        group: Sequence[OutboxEntry],
        now: datetime,
        senders: Mapping[Channel, Sender],
        kb: KnowledgeBase,
        done: DoneReports,
        reported: set[tuple[str, str, date]],
        report: SweepReport,
    ) -> None:
        channel, chat_id = key
        ids = [e.id for e in group]
        is_done = done_lookup(done)
        # Rows that must not go out any more, each marked skipped once with its reason.
        oldest = now.date() - timedelta(days=self.policy.catch_up_days)
        skipped: dict[str, list[int]] = defaultdict(list)
        kept: list[OutboxEntry] = []
        for entry in group:
            reason = self._skip_reason(entry, kb, is_done, oldest)
            if reason is None:
                kept.append(entry)
            else:
                skipped[reason].append(entry.id)
        for reason, skip_ids in skipped.items():
            await asyncio.to_thread(self.outbox.mark_skipped, skip_ids, worker=self.worker, now=now, reason=reason)
            report.skipped += len(skip_ids)
        group = kept
        ids = [e.id for e in group]
        if not group:
            return
        sender = senders.get(channel)
        if sender is None:
            await asyncio.to_thread(
                self.outbox.mark_retry,
                ids,
                worker=self.worker,
                now=now,
                delay=timedelta(minutes=15),
                error=f"no sender for channel {channel} in this process",
                max_attempts=self.max_attempts,
            )
            report.retried += len(ids)
            return
        messages = self._messages(group, kb, done, reported, now.date())
        try:
            for outgoing in messages:
                await self._send_now(sender, chat_id, outgoing, self._progress(group, ids, outgoing, now))
        except RecipientUnreachable as exc:
            log.warning("chat %s:%s unreachable, deactivating: %s", channel, chat_id, exc)
            await asyncio.to_thread(self.contacts.deactivate, channel, chat_id, by="reminders:unreachable", now=now)
            await asyncio.to_thread(self.outbox.mark_skipped, ids, worker=self.worker, now=now, reason=str(exc))
            report.skipped += len(ids)
            return
        except TransientDeliveryError as exc:
            attempts = max(e.attempts for e in group)
            backoff = timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))
            delay = max(backoff, timedelta(seconds=exc.retry_after or 0))
            await asyncio.to_thread(
                self.outbox.mark_retry,
                ids,
                worker=self.worker,
                now=now,
                delay=delay,
                error=str(exc),
                max_attempts=self.max_attempts,
            )
            report.retried += len(ids)
            report.errors.append(str(exc))
            return
        except DeliveryError as exc:
            await asyncio.to_thread(self.outbox.mark_failed, ids, worker=self.worker, now=now, error=str(exc))
            report.failed += len(ids)
            report.errors.append(str(exc))
            return
        await asyncio.to_thread(self.outbox.mark_sent, ids, worker=self.worker, now=now)
        if self.on_delivered is not None:
            for outgoing in messages:
                self.on_delivered(channel, chat_id, outgoing)
        report.messages += len(messages)
        report.sent += len(ids)

    def _progress(
        self, group: Sequence[OutboxEntry], ids: Sequence[int], outgoing: Outgoing, now: datetime
    ) -> PartProgress:
        """The parts of ``outgoing`` accepted in an earlier try (when it renders the same), recorded as more are."""
        digest = message_digest(outgoing)
        same = all(e.parts_digest == digest for e in group)
        sent = min(e.parts_sent for e in group) if same else 0

        async def record(parts: int) -> None:
            await asyncio.to_thread(
                self.outbox.mark_parts_sent, ids, worker=self.worker, now=now, parts=parts, digest=digest
            )

        return PartProgress(sent, record)

    def _messages(
        self,
        group: Sequence[OutboxEntry],
        kb: KnowledgeBase,
        done: DoneReports,
        reported: set[tuple[str, str, date]],
        today: date,
    ) -> list[Outgoing]:
        """One message for the contact: its task reminders, then the digest if one is due."""
        parts: list[Outgoing] = []
        tasks = [e.reminder for e in group if e.reminder.kind != "digest"]
        if tasks:
            parts.append(render_reminders(tasks, kb, today=today))
        digest = next((e.reminder for e in group if e.reminder.kind == "digest"), None)
        if digest is not None:
            key = (digest.occurrence, id(kb), id(done))
            if self._digest is None or self._digest[0] != key:  # the same for every coordinator in a sweep
                rendered = render_digest(
                    digest.occurrence, kb, done=done, reported=reported, horizon_days=self.policy.digest_horizon_days
                )
                self._digest = (key, rendered)
            parts.append(self._digest[1])
        if len(parts) <= 1:
            return parts
        lines = [*parts[0].reply.lines, (), *parts[1].reply.lines]
        return [Outgoing(reply=Reply(lines=tuple(lines)), buttons=parts[0].buttons)]


def worker_name(pid: int | None = None) -> str:
    """This process's name in the outbox: ``taskbot@<host>:<pid>``, so another process of the host can tell it died."""
    return f"taskbot@{socket.gethostname()}:{pid if pid is not None else os.getpid()}"


def worker_is_dead(worker: str) -> bool:
    """Whether ``worker`` (see :func:`worker_name`) is a process of this host that no longer runs."""
    prefix = f"taskbot@{socket.gethostname()}:"
    if not worker.startswith(prefix) or not worker[len(prefix) :].isdigit():
        return False  # another host, or a name we did not make: only its lease can tell
    try:
        os.kill(int(worker[len(prefix) :]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it runs, as another user
    return False


async def _all_or_none(coroutines: Sequence[Coroutine[object, object, None]]) -> None:
    """Run the coroutines concurrently; when one fails, cancel the others (and wait for them) before re-raising."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
