"""The reminder outbox in the database (agencies' progress reports: :mod:`scheduler.report_storage`).

The outbox is the hand-over between planning reminders and sending them. Planning inserts every due reminder as a
``pending`` row; a reminder's ``key`` is unique, so planning twice (or in two processes at once) never queues the
same reminder twice. Senders *claim* rows (``pending`` -> ``sending``) atomically, so two senders never get the same
row, then mark each one ``sent``, back to ``pending`` for a retry, ``skipped`` or ``failed``. A row left in
``sending`` by a crashed sender is claimed again once its lease has run out: the lease is short (:data:`LEASE`)
because a live sender renews it while it works, and a sender known dead (a process of this host that no longer
runs) loses its rows at once. The parts of a split message the platform already accepted are recorded on the rows
(``parts_sent``), so a retry sends only the rest.

Every time is passed in (``now``) and must be timezone-aware; times are stored in UTC and returned as aware UTC
datetimes on every database (SQLite keeps them as naive UTC text, PostgreSQL as ``timestamptz``).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Final, cast, get_args

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    func,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

import knowledge.storage.contact_rows  # noqa: F401  - declares ``contacts``, the table outbox rows refer to
from knowledge.contacts import CHANNELS, Channel
from knowledge.errors import StorageError
from knowledge.storage.columns import aware as _aware
from knowledge.storage.columns import stored
from knowledge.storage.columns import utc as _utc
from knowledge.storage.database import Database
from knowledge.storage.models import Base
from scheduler.records import (
    OutboxEntry,
    OutboxState,
    Reminder,
    ReminderKind,
)

__all__ = ["LEASE", "OutboxRepository", "OutboxRow"]

LEASE = timedelta(seconds=90)  # a live sender renews its claim every LEASE / 3 (see scheduler.delivery)

_CLAIM_LOCK_ID: Final = 0x7461736B626F74  # pg_advisory_xact_lock key serialising outbox claims ("taskbot")
log = logging.getLogger(__name__)

_STATES: Final[tuple[OutboxState, ...]] = get_args(OutboxState)
_KINDS: Final[tuple[ReminderKind, ...]] = get_args(ReminderKind)
_CHUNK: Final = 1000  # rows per INSERT when enqueueing
_ID_CHUNK: Final = 500  # ids per ``IN (...)`` when marking


# -- tables -------------------------------------------------------------------------------------------------------


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_next_attempt_at", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    agency: Mapped[str | None] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))
    plan: Mapped[str | None] = mapped_column(String(64))
    task: Mapped[str | None] = mapped_column(String(64))
    occurrence: Mapped[date] = mapped_column(Date)
    offset_days: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(255))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    parts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    parts_digest: Mapped[str] = mapped_column(String(64), default="", server_default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# -- outbox -------------------------------------------------------------------------------------------------------


class OutboxRepository:
    """The reminder outbox. No other module issues SQL for it.

    Claiming is safe with any number of senders: on PostgreSQL the claimable rows are locked with
    ``FOR UPDATE SKIP LOCKED`` in the same statement that marks them; on SQLite the claim is one ``UPDATE`` and
    SQLite runs one writer at a time.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def enqueue(self, reminders: Iterable[Reminder], *, now: datetime) -> int:
        """Queue reminders as ``pending``; keys already in the outbox are skipped. Returns how many were new.

        Idempotent and safe when several processes enqueue the same reminders at once: the unique key and
        ``ON CONFLICT DO NOTHING`` keep one row per key. Keys are inserted in sorted order so that concurrent
        enqueuers on PostgreSQL wait for each other instead of deadlocking.
        """
        at = _utc(now)
        unique: dict[str, Reminder] = {}
        for reminder in reminders:
            _check_reminder(reminder)
            unique.setdefault(reminder.key, reminder)
        if not unique:
            return 0
        rows = [_outbox_values(key, unique[key], at) for key in sorted(unique)]
        added = 0
        with self.db.session() as session:
            for start in range(0, len(rows), _CHUNK):
                statement = self._insert().on_conflict_do_nothing(index_elements=["key"]).returning(OutboxRow.id)
                added += len(session.execute(statement, rows[start : start + _CHUNK]).all())
        log.info("outbox: %d of %d reminder(s) queued, the rest were queued before", added, len(rows))
        return added

    def claim(
        self,
        *,
        worker: str,
        now: datetime,
        limit: int = 500,
        lease: timedelta = LEASE,
        max_attempts: int = 8,
        channels: Sequence[str] | None = None,
        dead_workers: Collection[str] = (),
        chats: Collection[tuple[str, str]] | None = None,
    ) -> list[OutboxEntry]:
        """Take up to ``limit`` due rows for ``worker`` and mark them ``sending``; oldest occurrence first. With
        ``chats`` ((channel, chat id) pairs), only those chats' rows: the rest of a contact's rows after a claim
        stopped at ``limit`` in the middle of them (one message per contact per sweep).

        Due rows are ``pending`` ones whose ``next_attempt_at`` is unset or past, and ``sending`` ones claimed
        before ``now - lease`` (their sender died). Each claim counts as an attempt; a row whose sender died
        ``max_attempts`` times is marked ``failed`` instead of being taken again (a message that crashes every
        sender must not be retried forever). With ``channels``, only rows for those channels are taken (a process
        that serves Telegram leaves Zalo reminders to the process that serves Zalo). Concurrent claimers never get
        the same row. A live sender renews its lease (:meth:`renew`) while it works, so ``lease`` is short; rows of
        ``dead_workers`` (senders known to have died, e.g. a process of this host that no longer runs) are taken
        at once.
        """
        if not worker:
            raise ValueError("worker must not be empty")
        if limit <= 0:
            return []
        if lease <= timedelta(0):
            raise ValueError(f"lease must be positive, got {lease}")
        at = _utc(now)
        self._fail_poisoned(at - lease, max_attempts, at)
        due = _claimable(at, at - lease, max_attempts, dead_workers)
        if channels is not None:
            if not channels:
                return []
            due = and_(due, OutboxRow.channel.in_(list(channels)))
        if chats is not None:
            if not chats:
                return []
            due = and_(due, tuple_(OutboxRow.channel, OutboxRow.chat_id).in_(sorted(chats)))
        candidates = select(OutboxRow.id).where(due).order_by(OutboxRow.occurrence, OutboxRow.id).limit(limit)
        values: dict[str, Any] = {
            "state": "sending",
            "claimed_by": worker,
            "claimed_at": at,
            "attempts": OutboxRow.attempts + 1,
            "updated_at": at,
        }
        if self.db.is_postgresql:
            # Lock the candidates, skipping rows another claimer holds, and update them in one statement.
            # MATERIALIZED keeps PostgreSQL from folding the CTE into the UPDATE and rescanning it.
            locked = candidates.with_for_update(skip_locked=True).cte("claimable").prefix_with("MATERIALIZED")
            statement = update(OutboxRow).where(OutboxRow.id == locked.c.id, due)
        else:
            # One UPDATE statement: SQLite takes its write lock first, so the subquery sees the newest data and no
            # other writer can interleave (busy_timeout makes other claimers wait their turn).
            statement = update(OutboxRow).where(OutboxRow.id.in_(candidates.scalar_subquery()), due)
        statement = statement.values(values).execution_options(synchronize_session=False)
        with self.db.session() as session:
            if self.db.is_postgresql:
                # claims take turns, as SQLite's write lock makes them: with SKIP LOCKED alone, two claimers running
                # at once split one contact's rows between them and the contact got two messages (seen in CI)
                session.execute(select(func.pg_advisory_xact_lock(_CLAIM_LOCK_ID)))
            rows = session.execute(statement.returning(*OutboxRow.__table__.columns)).all()
            entries = sorted((_entry_from(row._mapping) for row in rows), key=lambda e: (e.reminder.occurrence, e.id))
        if entries:
            log.info("outbox: %s claimed %d row(s)", worker, len(entries))
        return entries

    def _fail_poisoned(self, stale_before: datetime, max_attempts: int, at: datetime) -> None:
        statement = (
            update(OutboxRow)
            .where(
                OutboxRow.state == "sending",
                OutboxRow.claimed_at < stale_before,
                OutboxRow.attempts >= max_attempts,
            )
            .values(state="failed", last_error="sender died while sending, too many times", updated_at=at)
            .execution_options(synchronize_session=False)
        )
        with self.db.session() as session:
            failed = cast("CursorResult[Any]", session.execute(statement)).rowcount
        if failed:
            log.warning("outbox: %d row(s) failed after %d interrupted attempts", failed, max_attempts)

    def renew(self, *, worker: str, now: datetime) -> int:
        """Extend the lease of every row ``worker`` is sending (its heartbeat); returns how many rows."""
        at = _utc(now)
        statement = (
            update(OutboxRow)
            .where(OutboxRow.state == "sending", OutboxRow.claimed_by == worker)
            .values(claimed_at=at)
            .execution_options(synchronize_session=False)
        )
        with self.db.session() as session:
            return int(cast("CursorResult[Any]", session.execute(statement)).rowcount)

    def release(self, *, worker: str, now: datetime, max_attempts: int = 8) -> int:
        """Put every row ``worker`` still holds in ``sending`` back to ``pending`` (a sweep stopped by an error);
        a row claimed ``max_attempts`` times is marked ``failed`` instead. Returns how many went back."""
        at = _utc(now)
        mine = and_(OutboxRow.state == "sending", OutboxRow.claimed_by == worker)
        exhausted = (
            update(OutboxRow)
            .where(mine, OutboxRow.attempts >= max_attempts)
            .values(state="failed", last_error="sender stopped while sending, too many times", updated_at=at)
            .execution_options(synchronize_session=False)
        )
        statement = (
            update(OutboxRow)
            .where(mine)
            .values(state="pending", claimed_by=None, claimed_at=None, updated_at=at)
            .execution_options(synchronize_session=False)
        )
        with self.db.session() as session:
            session.execute(exhausted)
            released = cast("CursorResult[Any]", session.execute(statement)).rowcount
        if released:
            log.info("outbox: %d unsent row(s) of %s back to pending", released, worker)
        return released

    def mark_parts_sent(self, ids: Sequence[int], *, worker: str, now: datetime, parts: int, digest: str) -> int:
        """Record that the platform accepted the first ``parts`` parts of the message (rendered as ``digest``)."""
        at = _utc(now)
        return self._mark(ids, worker, parts_sent=parts, parts_digest=digest[:64], updated_at=at)

    def claimers(self) -> set[str]:
        """The workers holding rows in ``sending``."""
        with self.db.session() as session:
            found = session.scalars(select(OutboxRow.claimed_by).where(OutboxRow.state == "sending").distinct())
            return {w for w in found if w}

    def mark_sent(self, ids: Sequence[int], *, worker: str, now: datetime) -> int:
        """Mark rows ``sent``; only rows still ``sending`` for ``worker`` change. Returns how many did."""
        at = _utc(now)
        count = self._mark(ids, worker, state="sent", sent_at=at, last_error="", updated_at=at)
        log.debug("outbox: %s marked %d row(s) sent", worker, count)
        return count

    def mark_retry(
        self,
        ids: Sequence[int],
        *,
        worker: str,
        now: datetime,
        delay: timedelta,
        error: str,
        max_attempts: int = 8,
    ) -> None:
        """Put rows back to ``pending`` until ``now + delay``, or mark them ``failed`` after ``max_attempts``."""
        at = _utc(now)
        if delay < timedelta(0):
            raise ValueError(f"retry delay must not be negative, got {delay}")
        failed = self._mark(
            ids,
            worker,
            OutboxRow.attempts >= max_attempts,
            state="failed",
            last_error=error,
            next_attempt_at=None,
            updated_at=at,
        )
        retried = self._mark(
            ids,
            worker,
            OutboxRow.attempts < max_attempts,
            state="pending",
            last_error=error,
            next_attempt_at=at + delay,
            claimed_by=None,
            claimed_at=None,
            updated_at=at,
        )
        if failed:
            log.warning("outbox: %d row(s) failed after %d attempts: %s", failed, max_attempts, error)
        if retried:
            log.info("outbox: %d row(s) to retry at %s: %s", retried, (at + delay).isoformat(), error)

    def mark_skipped(self, ids: Sequence[int], *, worker: str, now: datetime, reason: str) -> int:
        """Mark rows ``skipped`` (no longer worth sending, e.g. the task was reported done). Returns the count."""
        at = _utc(now)
        count = self._mark(ids, worker, state="skipped", last_error=reason, next_attempt_at=None, updated_at=at)
        log.info("outbox: %s skipped %d row(s): %s", worker, count, reason)
        return count

    def mark_failed(self, ids: Sequence[int], *, worker: str, now: datetime, error: str) -> int:
        """Mark rows ``failed`` for good (e.g. the chat blocked the bot). Returns the count."""
        at = _utc(now)
        count = self._mark(ids, worker, state="failed", last_error=error, next_attempt_at=None, updated_at=at)
        log.warning("outbox: %s marked %d row(s) failed: %s", worker, count, error)
        return count

    def entries(self, *, state: OutboxState | None = None) -> list[OutboxEntry]:
        """Outbox rows, optionally in one state, in the order they were queued."""
        query = select(OutboxRow).order_by(OutboxRow.id)
        if state is not None:
            if state not in _STATES:
                raise ValueError(f"unknown outbox state {state!r}; expected one of {', '.join(_STATES)}")
            query = query.where(OutboxRow.state == state)
        with self.db.session() as session:
            return [_entry(row) for row in session.scalars(query)]

    def counts(self) -> dict[str, int]:
        """How many rows are in each state (every state is listed, also with 0)."""
        counts: dict[str, int] = dict.fromkeys(_STATES, 0)
        with self.db.session() as session:
            for state, count in session.execute(select(OutboxRow.state, func.count()).group_by(OutboxRow.state)):
                counts[state] = count
        return counts

    def sent_keys(self) -> set[str]:
        """Keys of the reminders that were sent."""
        with self.db.session() as session:
            return set(session.scalars(select(OutboxRow.key).where(OutboxRow.state == "sent")))

    # -- helpers --------------------------------------------------------------------------------------------------

    def _insert(self) -> sqlite.Insert | postgresql.Insert:
        if self.db.is_postgresql:
            return postgresql.insert(OutboxRow)
        if self.db.dialect == "sqlite":
            return sqlite.insert(OutboxRow)
        raise StorageError(f"the outbox needs SQLite or PostgreSQL, not {self.db.dialect}")

    def _mark(self, ids: Sequence[int], worker: str, *conditions: ColumnElement[bool], **values: Any) -> int:
        """Update the rows of ``ids`` that ``worker`` holds in ``sending``; the number of rows changed."""
        wanted = sorted(set(ids))
        if not wanted:
            return 0
        changed = 0
        with self.db.session() as session:
            for start in range(0, len(wanted), _ID_CHUNK):
                result = cast(
                    "CursorResult[Any]",
                    session.execute(
                        update(OutboxRow)
                        .where(
                            OutboxRow.id.in_(wanted[start : start + _ID_CHUNK]),
                            OutboxRow.state == "sending",
                            OutboxRow.claimed_by == worker,
                            *conditions,
                        )
                        .values(**values)
                        .execution_options(synchronize_session=False)
                    ),
                )
                changed += result.rowcount
        return changed


def _claimable(
    at: datetime, stale_before: datetime, max_attempts: int, dead_workers: Collection[str] = ()
) -> ColumnElement[bool]:
    """Rows a sender may take at ``at``: due pending rows, and rows whose sender's lease ran out or who died."""
    stale = OutboxRow.claimed_at < stale_before
    if dead_workers:
        stale = or_(stale, OutboxRow.claimed_by.in_(sorted(dead_workers)))
    return or_(
        and_(
            OutboxRow.state == "pending",
            or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= at),
        ),
        and_(OutboxRow.state == "sending", stale, OutboxRow.attempts < max_attempts),
    )


def _outbox_values(key: str, reminder: Reminder, at: datetime) -> dict[str, Any]:
    return {
        "key": key,
        "contact_id": reminder.contact_id,
        "channel": reminder.channel,
        "chat_id": reminder.chat_id,
        "agency": reminder.agency,
        "kind": reminder.kind,
        "plan": reminder.plan,
        "task": reminder.task,
        "occurrence": reminder.occurrence,
        "offset_days": reminder.offset_days,
        "state": "pending",
        "attempts": 0,
        "next_attempt_at": None,
        "claimed_by": None,
        "claimed_at": None,
        "parts_sent": 0,
        "parts_digest": "",
        "sent_at": None,
        "last_error": "",
        "created_at": at,
        "updated_at": at,
    }


def _check_reminder(reminder: Reminder) -> None:
    if reminder.channel not in CHANNELS:
        raise ValueError(f"unknown channel {reminder.channel!r}; expected one of {', '.join(CHANNELS)}")
    if reminder.kind not in _KINDS:
        raise ValueError(f"unknown reminder kind {reminder.kind!r}; expected one of {', '.join(_KINDS)}")
    if len(reminder.key) > 255:
        raise ValueError(f"reminder key is too long ({len(reminder.key)} > 255 characters): {reminder.key[:80]}…")


def _entry(row: OutboxRow) -> OutboxEntry:
    return _entry_from(
        {column.key: getattr(row, column.key) for column in OutboxRow.__table__.columns},
    )


def _entry_from(values: Any) -> OutboxEntry:
    """An entry from a row's column values (an ORM row or a ``RETURNING`` row's mapping)."""
    next_attempt_at = values["next_attempt_at"]
    sent_at = values["sent_at"]
    return OutboxEntry(
        id=values["id"],
        reminder=Reminder(
            contact_id=values["contact_id"],
            channel=_channel(values["channel"]),
            chat_id=values["chat_id"],
            agency=values["agency"],
            kind=_kind(values["kind"]),
            plan=values["plan"],
            task=values["task"],
            occurrence=values["occurrence"],
            offset_days=values["offset_days"],
        ),
        state=_state(values["state"]),
        attempts=values["attempts"],
        next_attempt_at=None if next_attempt_at is None else _aware(next_attempt_at),
        sent_at=None if sent_at is None else _aware(sent_at),
        last_error=values["last_error"],
        parts_sent=values["parts_sent"],
        parts_digest=values["parts_digest"],
    )


# -- conversions --------------------------------------------------------------------------------------------------


def _channel(value: str) -> Channel:
    return stored(value, CHANNELS, "channel")


def _kind(value: str) -> ReminderKind:
    return stored(value, _KINDS, "reminder kind")


def _state(value: str) -> OutboxState:
    return stored(value, _STATES, "outbox state")
