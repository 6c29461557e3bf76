"""The reminder outbox and progress reports on real SQLite and PostgreSQL databases."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from knowledge.errors import StorageError
from knowledge.storage.contacts import ContactRepository
from knowledge.storage.database import Database
from scheduler.records import OutboxEntry, Reminder, ReminderKind
from scheduler.report_storage import ReportRepository
from scheduler.storage import LEASE, OutboxRepository

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=HCM)
STC = "Sở Tài chính"
SKHDT = "Sở Kế hoạch và Đầu tư"
PLAN = "435/KH-UBND"


@pytest.fixture
def outbox(db: Database) -> OutboxRepository:
    return OutboxRepository(db)


@pytest.fixture
def reports(db: Database) -> ReportRepository:
    return ReportRepository(db)


@pytest.fixture
def contact_ids(db: Database) -> list[int]:
    """Four registered chats: the outbox refers to contacts."""
    contacts = ContactRepository(db)
    return [
        contacts.upsert_contact(
            channel="telegram", chat_id=1000 + n, agency=STC if n % 2 else SKHDT, registered_by="test", now=NOW
        ).id
        for n in range(4)
    ]


def reminder(
    contact_id: int,
    n: int = 0,
    *,
    kind: ReminderKind = "before",
    task: str | None = "XV.5",
    occurrence: date = date(2026, 3, 9),
    offset_days: int = 7,
) -> Reminder:
    return Reminder(
        contact_id=contact_id,
        channel="telegram",
        chat_id=str(contact_id),
        agency=STC,
        kind=kind,
        plan=None if task is None else PLAN,
        task=None if task is None else f"{task}.{n}" if n else task,
        occurrence=occurrence,
        offset_days=offset_days,
    )


def many(contact_ids: list[int], count: int) -> list[Reminder]:
    """``count`` distinct reminders spread over the contacts and over a few weeks of occurrences."""
    return [
        reminder(contact_ids[n % len(contact_ids)], n, occurrence=date(2026, 3, 1) + timedelta(days=n % 28))
        for n in range(count)
    ]


def run_threads(count: int, work: Callable[[int], None]) -> None:
    """Run ``work(i)`` in ``count`` threads started together; re-raise the first error any of them hit."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(i)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    if errors:
        raise errors[0]


def ids(entries: list[OutboxEntry]) -> list[int]:
    return [entry.id for entry in entries]


# -- enqueue --------------------------------------------------------------------------------------------------------


def test_enqueue_is_idempotent(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    reminders = [
        reminder(contact_ids[0]),
        reminder(contact_ids[1]),
        reminder(contact_ids[0], kind="due", offset_days=0),
    ]
    assert outbox.enqueue(reminders, now=NOW) == 3
    assert outbox.enqueue(reminders, now=NOW + timedelta(hours=1)) == 0
    assert outbox.enqueue([*reminders, reminders[0], reminder(contact_ids[2])], now=NOW) == 1
    assert outbox.enqueue([], now=NOW) == 0
    entries = outbox.entries()
    expected = [*reminders, reminder(contact_ids[2])]
    assert sorted((entry.reminder for entry in entries), key=lambda r: r.key) == sorted(expected, key=lambda r: r.key)
    assert {entry.state for entry in entries} == {"pending"}
    assert all(entry.attempts == 0 and entry.next_attempt_at is None and entry.sent_at is None for entry in entries)
    assert all(entry.last_error == "" for entry in entries)
    assert outbox.counts() == {"pending": 4, "sending": 0, "sent": 0, "failed": 0, "skipped": 0}


def test_enqueue_a_digest_and_many_rows(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    digest = reminder(contact_ids[3], kind="digest", task=None, occurrence=date(2026, 3, 2), offset_days=0)
    assert outbox.enqueue([digest], now=NOW) == 1
    [entry] = outbox.entries()
    assert entry.reminder == digest
    assert (entry.reminder.plan, entry.reminder.task) == (None, None)
    reminders = many(contact_ids, 2500)  # more than one INSERT chunk
    assert outbox.enqueue(reminders, now=NOW) == 2500
    assert outbox.enqueue(reversed(reminders), now=NOW) == 0
    assert outbox.counts()["pending"] == 2501


def test_enqueue_refuses_bad_input(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        outbox.enqueue([reminder(contact_ids[0])], now=datetime(2026, 3, 2, 8, 0))
    with pytest.raises(StorageError):
        outbox.enqueue([reminder(999_999)], now=NOW)  # no such contact
    assert outbox.entries() == []


def test_concurrent_enqueue_keeps_each_key_once(database_url: str, db: Database, contact_ids: list[int]) -> None:
    reminders = many(contact_ids, 2000)
    added = [0, 0]

    def work(i: int) -> None:
        database = Database(database_url)
        try:
            # Overlapping sets in different orders: the first 1,500 and the last 1,500, one of them reversed.
            mine = reminders[:1500] if i == 0 else list(reversed(reminders[500:]))
            added[i] = OutboxRepository(database).enqueue(mine, now=NOW)
        finally:
            database.dispose()

    run_threads(2, work)
    assert sum(added) == 2000
    entries = OutboxRepository(db).entries()
    assert len(entries) == 2000
    assert {entry.reminder.key for entry in entries} == {r.key for r in reminders}


# -- claiming and marking -------------------------------------------------------------------------------------------


def test_claim_marks_sending_and_a_second_claim_gets_nothing(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    late = reminder(contact_ids[0], 1, occurrence=date(2026, 3, 20))
    early = reminder(contact_ids[1], 2, occurrence=date(2026, 3, 5))
    outbox.enqueue([late, early], now=NOW)
    claimed = outbox.claim(worker="w1", now=NOW)
    assert [entry.reminder for entry in claimed] == [early, late]  # by occurrence
    assert all(entry.state == "sending" and entry.attempts == 1 for entry in claimed)
    assert outbox.claim(worker="w2", now=NOW) == []
    assert outbox.claim(worker="w1", now=NOW + LEASE - timedelta(seconds=1)) == []  # within the lease
    assert outbox.counts()["sending"] == 2
    assert [entry.state for entry in outbox.entries(state="sending")] == ["sending", "sending"]


def test_claim_respects_the_limit(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    outbox.enqueue(many(contact_ids, 10), now=NOW)
    first = outbox.claim(worker="w", now=NOW, limit=4)
    second = outbox.claim(worker="w", now=NOW, limit=4)
    third = outbox.claim(worker="w", now=NOW, limit=4)
    assert (len(first), len(second), len(third)) == (4, 4, 2)
    assert len(set(ids(first + second + third))) == 10
    assert outbox.claim(worker="w", now=NOW, limit=0) == []
    occurrences = [entry.reminder.occurrence for entry in first + second + third]
    assert occurrences == sorted(occurrences)


def test_mark_sent(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    outbox.enqueue(many(contact_ids, 3), now=NOW)
    claimed = outbox.claim(worker="w1", now=NOW)
    later = NOW + timedelta(seconds=5)
    assert outbox.mark_sent(ids(claimed[:2]), worker="w2", now=later) == 0  # not w2's rows
    assert outbox.mark_sent(ids(claimed[:2]), worker="w1", now=later) == 2
    assert outbox.mark_sent(ids(claimed[:2]), worker="w1", now=later) == 0  # not sending any more
    assert outbox.mark_sent([], worker="w1", now=later) == 0
    sent = outbox.entries(state="sent")
    assert ids(sent) == ids(claimed[:2])
    assert all(entry.sent_at == later and entry.sent_at.tzinfo is not None for entry in sent)
    assert outbox.sent_keys() == {entry.reminder.key for entry in claimed[:2]}
    assert outbox.counts() == {"pending": 0, "sending": 1, "sent": 2, "failed": 0, "skipped": 0}


def test_retry_honours_next_attempt_at(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    outbox.enqueue([reminder(contact_ids[0])], now=NOW)
    [entry] = outbox.claim(worker="w1", now=NOW)
    outbox.mark_retry([entry.id], worker="w1", now=NOW, delay=timedelta(minutes=5), error="timeout")
    [pending] = outbox.entries(state="pending")
    assert pending.next_attempt_at == NOW + timedelta(minutes=5)
    assert pending.next_attempt_at.tzinfo is not None
    assert (pending.attempts, pending.last_error) == (1, "timeout")
    assert outbox.claim(worker="w1", now=NOW + timedelta(minutes=4, seconds=59)) == []
    [again] = outbox.claim(worker="w2", now=NOW + timedelta(minutes=5))
    assert (again.id, again.state, again.attempts) == (entry.id, "sending", 2)
    assert outbox.mark_sent([again.id], worker="w2", now=NOW + timedelta(minutes=6)) == 1
    [sent] = outbox.entries()
    assert (sent.state, sent.last_error) == ("sent", "")


def test_retry_fails_after_max_attempts(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    outbox.enqueue([reminder(contact_ids[0])], now=NOW)
    at = NOW
    for attempt in range(1, 4):
        [entry] = outbox.claim(worker="w", now=at)
        assert entry.attempts == attempt
        outbox.mark_retry([entry.id], worker="w", now=at, delay=timedelta(0), error=f"error {attempt}", max_attempts=3)
        at += timedelta(seconds=1)
    [failed] = outbox.entries()
    assert (failed.state, failed.attempts, failed.last_error, failed.next_attempt_at) == ("failed", 3, "error 3", None)
    assert outbox.claim(worker="w", now=at + timedelta(days=1)) == []


def test_mark_skipped_and_failed(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    outbox.enqueue(many(contact_ids, 3), now=NOW)
    first, second, third = outbox.claim(worker="w", now=NOW)
    assert outbox.mark_skipped([first.id], worker="w", now=NOW, reason="reported done") == 1
    assert outbox.mark_failed([second.id], worker="w", now=NOW, error="bot blocked") == 1
    assert outbox.mark_failed([first.id], worker="w", now=NOW, error="late") == 0  # skipped already
    outbox.mark_retry([third.id], worker="other", now=NOW, delay=timedelta(0), error="x")  # not its row: no change
    by_id = {entry.id: entry for entry in outbox.entries()}
    assert (by_id[first.id].state, by_id[first.id].last_error) == ("skipped", "reported done")
    assert (by_id[second.id].state, by_id[second.id].last_error) == ("failed", "bot blocked")
    assert by_id[third.id].state == "sending"
    assert outbox.counts() == {"pending": 0, "sending": 1, "sent": 0, "failed": 1, "skipped": 1}
    assert outbox.sent_keys() == set()
    [stale] = outbox.claim(worker="w", now=NOW + timedelta(days=1))  # only the row left in sending
    assert (stale.id, stale.attempts) == (third.id, 2)


def test_a_stale_sending_row_is_reclaimed(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    outbox.enqueue([reminder(contact_ids[0])], now=NOW)
    [entry] = outbox.claim(worker="crashed", now=NOW)
    lease = timedelta(minutes=10)
    assert outbox.claim(worker="w2", now=NOW + lease, lease=lease) == []  # not older than the lease yet
    [again] = outbox.claim(worker="w2", now=NOW + lease + timedelta(seconds=1), lease=lease)
    assert (again.id, again.state, again.attempts) == (entry.id, "sending", 2)
    assert outbox.mark_sent([entry.id], worker="crashed", now=NOW + timedelta(minutes=12)) == 0
    assert outbox.mark_sent([entry.id], worker="w2", now=NOW + timedelta(minutes=12)) == 1
    assert outbox.claim(worker="w3", now=NOW + timedelta(days=1)) == []  # sent rows are never reclaimed


def test_release_puts_unsent_rows_back_at_once(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    outbox.enqueue([reminder(contact_ids[0]), reminder(contact_ids[1])], now=NOW)
    first, second = outbox.claim(worker="w", now=NOW)
    outbox.mark_sent([first.id], worker="w", now=NOW)
    assert outbox.release(worker="other", now=NOW) == 0
    assert outbox.release(worker="w", now=NOW) == 1
    [again] = outbox.claim(worker="w2", now=NOW)
    assert (again.id, again.attempts) == (second.id, 2)
    assert outbox.release(worker="w2", now=NOW, max_attempts=2) == 0  # claimed twice already: failed, not retried
    assert outbox.counts()["failed"] == 1


def test_parts_sent_are_kept_for_the_retry(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    outbox.enqueue([reminder(contact_ids[0])], now=NOW)
    [entry] = outbox.claim(worker="w", now=NOW)
    assert (entry.parts_sent, entry.parts_digest) == (0, "")
    assert outbox.mark_parts_sent([entry.id], worker="other", now=NOW, parts=1, digest="abc") == 0
    assert outbox.mark_parts_sent([entry.id], worker="w", now=NOW, parts=2, digest="abc") == 1
    outbox.mark_retry([entry.id], worker="w", now=NOW, delay=timedelta(0), error="HTTP 500")
    [retry] = outbox.claim(worker="w2", now=NOW)
    assert (retry.parts_sent, retry.parts_digest) == (2, "abc")


def test_claim_refuses_bad_arguments(outbox: OutboxRepository) -> None:
    with pytest.raises(ValueError, match="worker"):
        outbox.claim(worker="", now=NOW)
    with pytest.raises(ValueError, match="lease"):
        outbox.claim(worker="w", now=NOW, lease=timedelta(0))
    with pytest.raises(ValueError, match="timezone-aware"):
        outbox.claim(worker="w", now=datetime(2026, 3, 2))


def test_concurrent_claimers_get_every_row_exactly_once(
    database_url: str, outbox: OutboxRepository, contact_ids: list[int]
) -> None:
    assert outbox.enqueue(many(contact_ids, 2000), now=NOW) == 2000
    claimed: list[list[int]] = [[] for _ in range(4)]

    def work(i: int) -> None:
        database = Database(database_url)
        repo = OutboxRepository(database)
        worker = f"worker-{i}"
        try:
            while batch := repo.claim(worker=worker, now=NOW, limit=37):
                claimed[i].extend(ids(batch))
                assert repo.mark_sent(ids(batch), worker=worker, now=NOW) == len(batch)
        finally:
            database.dispose()

    run_threads(4, work)
    everything = [id_ for mine in claimed for id_ in mine]
    duplicates = [id_ for id_, count in Counter(everything).items() if count > 1]
    assert duplicates == []
    assert set(everything) == set(ids(outbox.entries()))
    assert len(everything) == 2000
    assert outbox.counts() == {"pending": 0, "sending": 0, "sent": 2000, "failed": 0, "skipped": 0}
    assert sum(1 for mine in claimed if mine) >= 2  # the work was actually shared


@pytest.mark.postgres
def test_claim_skips_rows_locked_by_another_claimer_on_postgresql(postgres_url: str) -> None:
    """A claimer in the middle of its transaction holds its rows; a second claimer takes others without waiting."""
    db = Database(postgres_url)
    try:
        db.migrate()
        outbox = OutboxRepository(db)
        contact = ContactRepository(db).upsert_contact(
            channel="telegram", chat_id=1, agency=STC, registered_by="test", now=NOW
        )
        outbox.enqueue(many([contact.id], 6), now=NOW)
        first_two = sorted(ids(outbox.entries()))[:2]
        claimed: list[OutboxEntry] = []
        with db.engine.begin() as holder:
            holder.exec_driver_sql("SELECT id FROM outbox WHERE id IN (%s, %s) FOR UPDATE", tuple(first_two))
            claimer = threading.Thread(target=lambda: claimed.extend(outbox.claim(worker="w", now=NOW)))
            claimer.start()
            claimer.join(timeout=10)
            assert not claimer.is_alive(), "the claim waited for the locked rows"
        assert len(claimed) == 4
        assert not set(ids(claimed)) & set(first_two)
        assert sorted(ids(outbox.claim(worker="w2", now=NOW))) == first_two
    finally:
        db.dispose()


# -- progress reports -----------------------------------------------------------------------------------------------


def test_reports_add_list_latest(reports: ReportRepository) -> None:
    due = date(2026, 3, 31)
    first = reports.add(
        plan=PLAN,
        task="XV.5",
        agency=STC,
        occurrence=due,
        status="in_progress",
        reported_on=date(2026, 3, 20),
        note="đang tổng hợp",
        reported_by="telegram:1001",
        now=NOW,
    )
    second = reports.add(
        plan=PLAN,
        task="XV.5",
        agency=STC,
        occurrence=due,
        status="done",
        reported_on=date(2026, 3, 30),
        reported_by="telegram:1001",
        now=NOW + timedelta(days=1),
    )
    other = reports.add(
        plan="12/KH-UBND",
        task="I.1",
        agency=SKHDT,
        occurrence=date(2026, 6, 30),
        status="in_progress",
        reported_on=date(2026, 3, 3),
        reported_by="zalo:55",
        now=NOW + timedelta(days=2),
    )
    assert first.created_at == NOW and first.created_at.tzinfo is not None
    assert (first.note, second.note) == ("đang tổng hợp", "")
    assert reports.list_reports() == [other, second, first]
    assert reports.list_reports(agency=STC) == [second, first]
    assert reports.list_reports(plan="12/KH-UBND") == [other]
    assert reports.list_reports(agency=STC, plan="12/KH-UBND") == []
    assert reports.latest(PLAN, "XV.5", due) == second
    assert reports.latest(PLAN, "XV.5", date(2026, 6, 30)) is None
    assert reports.latest("12/KH-UBND", "I.1", date(2026, 6, 30)) == other


def test_done_occurrences(reports: ReportRepository) -> None:
    assert len(reports.done_occurrences()) == 0
    for agency in (STC, SKHDT):  # two agencies report the same occurrence done: listed once
        reports.add(
            plan=PLAN,
            task="XV.5",
            agency=agency,
            occurrence=date(2026, 3, 31),
            status="done",
            reported_on=date(2026, 3, 30),
            reported_by="t",
            now=NOW,
        )
    reports.add(
        plan=PLAN,
        task="XV.6",
        agency=STC,
        occurrence=date(2026, 3, 31),
        status="in_progress",
        reported_on=date(2026, 3, 30),
        reported_by="t",
        now=NOW,
    )
    done = reports.done_occurrences()
    assert len(done) == 1 and done.reported(PLAN, "XV.5", date(2026, 3, 31))


@pytest.mark.parametrize(
    ("status", "reported_on", "category"),
    [
        ("done", date(2026, 3, 31), "done_on_time"),
        ("done", date(2026, 4, 1), "done_late"),
        ("in_progress", date(2026, 3, 10), "in_progress_on_time"),
        ("in_progress", date(2026, 4, 2), "overdue_not_done"),
    ],
)
def test_report_category(reports: ReportRepository, status: str, reported_on: date, category: str) -> None:
    assert status in ("done", "in_progress")
    report = reports.add(
        plan=PLAN,
        task="XV.5",
        agency=STC,
        occurrence=date(2026, 3, 31),
        status="done" if status == "done" else "in_progress",
        reported_on=reported_on,
        reported_by="t",
        now=NOW,
    )
    assert report.category == category
    [stored] = reports.list_reports()
    assert stored.category == category


def test_report_refuses_bad_input(reports: ReportRepository) -> None:
    with pytest.raises(ValueError, match="status"):
        reports.add(
            plan=PLAN,
            task="XV.5",
            agency=STC,
            occurrence=date(2026, 3, 31),
            status="finished",  # type: ignore[arg-type]
            reported_on=date(2026, 3, 30),
            reported_by="t",
            now=NOW,
        )
    with pytest.raises(ValueError, match="timezone-aware"):
        reports.add(
            plan=PLAN,
            task="XV.5",
            agency=STC,
            occurrence=date(2026, 3, 31),
            status="done",
            reported_on=date(2026, 3, 30),
            reported_by="t",
            now=datetime(2026, 3, 2),
        )
    assert reports.list_reports() == []


def test_a_row_whose_sender_keeps_dying_fails_instead_of_looping(
    outbox: OutboxRepository, contact_ids: list[int]
) -> None:
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    outbox.enqueue([reminder(contact_ids[0])], now=start)
    at = start
    for _ in range(3):
        assert len(outbox.claim(worker="w", now=at, max_attempts=3)) == 1  # the worker dies every time
        at += timedelta(minutes=11)
    assert outbox.claim(worker="w", now=at, max_attempts=3) == []
    assert outbox.counts()["failed"] == 1


def test_claim_only_the_channels_served(outbox: OutboxRepository, contact_ids: list[int]) -> None:
    outbox.enqueue([reminder(contact_ids[0])], now=NOW)
    assert outbox.claim(worker="zalo-only", now=NOW, channels=["zalo"]) == []
    assert outbox.claim(worker="none", now=NOW, channels=[]) == []
    assert len(outbox.claim(worker="telegram", now=NOW, channels=["telegram"])) == 1
