"""The reminder sweep end to end on real databases, with an in-memory fake sender: exactly once, retries, blocks."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from knowledge.agencies import AgencyRegistry
from knowledge.base import KnowledgeBase
from knowledge.importer import ensure_seeded
from knowledge.reply import Outgoing
from knowledge.storage.contacts import ContactRepository
from knowledge.storage.database import Database
from knowledge.storage.repository import KnowledgeRepository
from scheduler import delivery
from scheduler.delivery import PartProgress, RecipientUnreachable, ReminderService, TransientDeliveryError
from scheduler.report_storage import ReportRepository
from scheduler.storage import OutboxRepository

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


class ProcessDied(Exception):
    """Stands for a crash: nothing after it in the sweep runs."""


@dataclass
class FakeSender:
    """Records deliveries; can be told to fail for some chats or after a number of sends."""

    delivered: list[tuple[str, str]] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)
    flaky: dict[str, int] = field(default_factory=dict)  # chat → failures left
    crash_after: int | None = None

    async def send(self, chat_id: str, outgoing: Outgoing, *, progress: PartProgress | None = None) -> None:
        await asyncio.sleep(0)
        if chat_id in self.blocked:
            raise RecipientUnreachable(f"chat {chat_id} blocked the bot")
        if self.flaky.get(chat_id, 0) > 0:
            self.flaky[chat_id] -= 1
            raise TransientDeliveryError("HTTP 502", retry_after=None)
        if self.crash_after is not None and len(self.delivered) >= self.crash_after:
            raise ProcessDied("the process dies mid fan-out")
        self.delivered.append((chat_id, outgoing.reply.plain()))


class World:
    def __init__(self, url: str) -> None:
        self.db = Database(url)
        self.db.migrate()
        registry = AgencyRegistry.bundled()
        self.knowledge = KnowledgeRepository(self.db)
        ensure_seeded(registry=registry, repository=self.knowledge)
        self.kb = KnowledgeBase.build(self.knowledge.load_plans(), self.knowledge.load_agencies(), registry)
        self.contacts = ContactRepository(self.db)
        self.outbox = OutboxRepository(self.db)
        self.reports = ReportRepository(self.db)
        now = at(date(2018, 1, 1))
        for chat, agency, role in [
            ("100", "Sở Tài chính", "officer"),
            ("101", "Sở Tài chính", "officer"),
            ("200", "UBND huyện Tiên Lãng", "officer"),
            ("300", "Sở Kế hoạch và Đầu tư", "coordinator"),
        ]:
            self.contacts.upsert_contact(
                channel="telegram",
                chat_id=chat,
                agency=agency,
                role=role,
                registered_by="test",
                now=now,  # type: ignore[arg-type]
            )

    def service(self, worker: str = "w1") -> ReminderService:
        return ReminderService(
            knowledge=lambda: self.kb, contacts=self.contacts, outbox=self.outbox, reports=self.reports, worker=worker
        )

    def close(self) -> None:
        self.db.dispose()


@pytest.fixture
def world(database_url: str) -> World:
    w = World(database_url)
    yield w  # type: ignore[misc]
    w.close()


async def test_sweep_sends_each_reminder_once(world: World) -> None:
    sender = FakeSender()
    service = world.service()
    first = await service.sweep(at(date(2018, 11, 12)), {"telegram": sender})
    assert first.sent == first.claimed > 0
    chats = sorted(chat for chat, _ in sender.delivered)
    assert chats == ["100", "101", "200", "300"]  # one message per contact, group members included
    finance = next(text for chat, text in sender.delivered if chat == "100")
    assert "II.1" in finance and "15/11/2018" in finance and "còn 3 ngày" in finance and "IV.4" in finance
    digest = next(text for chat, text in sender.delivered if chat == "300")
    assert "Tổng hợp tuần" in digest
    again = await service.sweep(at(date(2018, 11, 12), 15), {"telegram": sender})
    assert again.enqueued == 0 and again.sent == 0
    assert len(sender.delivered) == 4


async def test_restart_mid_fan_out_neither_duplicates_nor_skips(world: World) -> None:
    crashing = FakeSender(crash_after=2)
    service = world.service()
    service.concurrency = 1
    with pytest.raises(ProcessDied):
        await service.sweep(at(date(2018, 11, 12)), {"telegram": crashing})
    delivered_before = [chat for chat, _ in crashing.delivered]
    # The process restarts later; rows it had claimed but not sent are reclaimed after the lease.
    restarted = world.service(worker="w2")
    later = datetime.combine(date(2018, 11, 12), time(8, 30), tzinfo=TZ)
    fresh = FakeSender()
    await restarted.sweep(later, {"telegram": fresh})
    delivered_after = [chat for chat, _ in fresh.delivered]
    assert sorted(delivered_before + delivered_after) == ["100", "101", "200", "300"]


async def test_two_instances_share_the_work_without_duplicates(world: World) -> None:
    world.service().enqueue_due(at(date(2018, 11, 12)))
    a, b = FakeSender(), FakeSender()
    now = at(date(2018, 11, 12))
    await asyncio.gather(
        world.service("a").deliver(now, {"telegram": a}), world.service("b").deliver(now, {"telegram": b})
    )
    chats = sorted(chat for chat, _ in a.delivered + b.delivered)
    assert chats == ["100", "101", "200", "300"]


async def test_transient_errors_are_retried_and_blocked_chats_deactivated(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "IN_RUN_BACKOFF", 0.01)
    # 101 fails once: sent within the run after a short wait; 300 keeps failing: rescheduled for a later sweep
    sender = FakeSender(flaky={"101": 1, "300": delivery.IN_RUN_ATTEMPTS}, blocked={"200"})
    service = world.service()
    report = await service.sweep(at(date(2018, 11, 12)), {"telegram": sender})
    assert report.retried >= 1 and report.skipped >= 1
    contact = world.contacts.get("telegram", "200")
    assert contact is not None and not contact.active
    chats = [chat for chat, _ in sender.delivered]
    assert chats.count("101") == 1 and "300" not in chats
    retry = await service.deliver(at(date(2018, 11, 12), 10), {"telegram": sender})
    assert retry.sent >= 1
    chats = [chat for chat, _ in sender.delivered]
    assert chats.count("101") == 1 and chats.count("300") == 1


async def test_done_report_stops_reminders(world: World) -> None:
    service = world.service()
    for code in ("II.1", "II.2", "II.3"):
        world.reports.add(
            plan="435/KH-UBND",
            task=code,
            agency="Sở Tài chính",
            occurrence=date(2018, 11, 15),
            status="done",
            reported_on=date(2018, 11, 10),
            reported_by="test",
            now=at(date(2018, 11, 10)),
        )
    sender = FakeSender()
    await service.sweep(at(date(2018, 11, 12)), {"telegram": sender})
    assert "100" not in [chat for chat, _ in sender.delivered]


async def test_rows_of_a_channel_this_process_does_not_serve_stay_pending(world: World) -> None:
    report = await world.service().sweep(at(date(2018, 11, 12)), {})
    assert report.enqueued > 0 and report.claimed == 0 and report.sent == 0
    assert world.outbox.counts()["pending"] == report.enqueued


async def test_catching_up_counts_days_from_the_day_it_is_sent(world: World) -> None:
    sender = FakeSender()
    await world.service().sweep(datetime.combine(date(2018, 11, 14), time(10, 0), tzinfo=TZ), {"telegram": sender})
    finance = next(text for chat, text in sender.delivered if chat == "100")
    assert "còn 1 ngày" in finance and "còn 3 ngày" not in finance


def reload(world: World) -> None:
    registry = AgencyRegistry.bundled()
    world.kb = KnowledgeBase.build(world.knowledge.load_plans(), world.knowledge.load_agencies(), registry)


async def test_an_archived_plan_sends_no_reminders(world: World) -> None:
    world.knowledge.set_archived("435/KH-UBND", True, actor="test", now=at(date(2018, 11, 1)))
    reload(world)
    sender = FakeSender()
    report = await world.service().sweep(at(date(2018, 11, 12)), {"telegram": sender})
    assert report.enqueued == 1  # the coordinator's weekly digest only
    [(chat, digest)] = sender.delivered
    assert chat == "300" and "Tổng hợp tuần" in digest
    assert "II.1" not in digest  # an archived plan's tasks stay out of the digest too


async def test_queued_reminders_of_a_removed_plan_are_skipped_not_sent(world: World) -> None:
    service = world.service()
    queued = await asyncio.to_thread(service.enqueue_due, at(date(2018, 11, 12)))
    assert queued > 1
    world.knowledge.remove_plan("435/KH-UBND", actor="test", now=at(date(2018, 11, 12)))
    reload(world)
    sender = FakeSender()
    report = await service.deliver(at(date(2018, 11, 12), 9), {"telegram": sender})
    assert report.skipped == queued - 1 and report.sent == 1  # only the digest goes out
    assert [chat for chat, _ in sender.delivered] == ["300"]
    skipped = world.outbox.entries(state="skipped")
    assert len(skipped) == queued - 1
    assert {e.last_error for e in skipped} == {"plan removed or archived"}
    assert all(e.reminder.plan == "435/KH-UBND" for e in skipped)


async def test_queued_reminders_of_a_plan_archived_later_are_skipped(world: World) -> None:
    service = world.service()
    queued = await asyncio.to_thread(service.enqueue_due, at(date(2018, 11, 12)))
    world.knowledge.set_archived("435/KH-UBND", True, actor="test", now=at(date(2018, 11, 12)))
    reload(world)
    sender = FakeSender()
    report = await service.deliver(at(date(2018, 11, 12), 9), {"telegram": sender})
    assert report.skipped == queued - 1 and [chat for chat, _ in sender.delivered] == ["300"]


async def test_reminders_left_pending_past_the_catch_up_window_are_never_sent(world: World) -> None:
    service = world.service()
    queued = await service.sweep(at(date(2018, 11, 12)), {})  # no sender: everything stays pending
    assert queued.enqueued > 0 and queued.sent == 0
    sender = FakeSender()
    later = await service.deliver(at(date(2026, 12, 1)), {"telegram": sender})
    assert sender.delivered == [] and later.skipped >= queued.enqueued
    assert OutboxRepository(world.db).counts()["pending"] == 0


@dataclass
class PartedSender:
    """Sends each line of a message as its own part (as a long message is split); part ``fail_part`` fails
    ``failures`` times with a 500."""

    parts: list[tuple[str, int]] = field(default_factory=list)  # (chat, part index) accepted by the platform
    fail_part: int = 2
    failures: int = 1

    async def send(self, chat_id: str, outgoing: Outgoing, *, progress: PartProgress | None = None) -> None:
        progress = progress or PartProgress()
        for index, _line in enumerate(outgoing.reply.lines):
            if not progress.pending(index):
                continue
            await asyncio.sleep(0)
            if index == self.fail_part and self.failures > 0:
                self.failures -= 1
                raise TransientDeliveryError("HTTP 500", status=500)
            self.parts.append((chat_id, index))
            await progress.accepted()


def parts_once_in_order(sender: PartedSender) -> None:
    assert sender.parts and len(sender.parts) == len(set(sender.parts))  # no part twice
    for chat in {chat for chat, _ in sender.parts}:
        indexes = [i for c, i in sender.parts if c == chat]
        assert indexes == list(range(len(indexes)))  # and none missing or out of order


async def test_a_part_failing_within_the_run_is_retried_without_the_parts_before_it(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "IN_RUN_BACKOFF", 0.01)
    sender = PartedSender(failures=1)
    report = await world.service().sweep(at(date(2018, 11, 12)), {"telegram": sender})
    assert report.retried == 0 and world.outbox.counts()["sent"] == report.claimed
    parts_once_in_order(sender)


async def test_parts_accepted_before_a_rescheduled_failure_are_not_sent_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "IN_RUN_BACKOFF", 0.01)
    sender = PartedSender(failures=delivery.IN_RUN_ATTEMPTS)  # every try in the first sweep fails on part 3
    service = world.service()
    service.concurrency = 1
    first = await service.sweep(at(date(2018, 11, 12)), {"telegram": sender})
    assert first.retried >= 1
    [rescheduled] = [e for e in world.outbox.entries() if e.state == "pending"][:1]
    assert rescheduled.parts_sent == sender.fail_part and rescheduled.parts_digest
    await service.deliver(at(date(2018, 11, 12), 10), {"telegram": sender})
    assert world.outbox.counts()["pending"] == 0 and world.outbox.counts()["sending"] == 0
    parts_once_in_order(sender)


async def test_a_sweep_stopped_by_an_error_puts_its_unsent_rows_back_at_once(world: World) -> None:
    crashing = FakeSender(crash_after=1)
    service = world.service()
    service.concurrency = 1
    with pytest.raises(ProcessDied):
        await service.sweep(at(date(2018, 11, 12)), {"telegram": crashing})
    counts = world.outbox.counts()
    assert counts["sending"] == 0 and counts["pending"] > 0  # not held until a lease runs out


async def test_a_contact_whose_rows_span_claim_batches_gets_one_message(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claims stop at a batch size; the rest of a claimed contact's rows is taken with it (#14 item 10)."""
    monkeypatch.setattr(delivery, "CLAIM_BATCH", 5)
    for i in range(12):
        world.contacts.upsert_contact(
            channel="telegram", chat_id=str(400 + i), agency="Sở Tài chính", registered_by="t", now=at(date(2018, 1, 1))
        )
    sender = FakeSender()
    report = await world.service().sweep(at(date(2018, 11, 12)), {"telegram": sender})
    per_chat = Counter(chat for chat, _ in sender.delivered)
    assert report.claimed > 5 and max(per_chat.values()) == 1  # each contact one message, however rows were batched
    assert len(per_chat) == 16
