"""Reminders through the fake Telegram Bot API with fault injection: each reminder arrives exactly once."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest

from bot.reminder_jobs import ReminderJobs
from bot.runtime import Runtime
from bot.senders import open_senders
from bot.services import Services
from bot.settings import Settings
from tests.bot.conftest import TZ
from tests.fakes.telegram_api import FakeTelegram

CHATS = {"100": "Sở Tài chính", "101": "Sở Tài chính", "200": "UBND huyện Tiên Lãng", "300": "Sở Kế hoạch và Đầu tư"}


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date(2018, 11, 12), time(hour, minute), tzinfo=TZ)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def world(tmp_path: Path, fake: FakeTelegram) -> Iterator[tuple[Settings, Services]]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'r.sqlite3'}",
        telegram_bot_token=fake.token,
        telegram_api_base_url=fake.url,
    )
    runtime = Runtime.open(settings)
    clock = {"now": at(8)}
    services = Services(runtime, clock=lambda: clock["now"])
    for chat, agency in CHATS.items():
        role = "coordinator" if chat == "300" else "officer"
        services.contacts.upsert_contact(
            channel="telegram",
            chat_id=chat,
            agency=agency,
            role=role,
            registered_by="test",
            now=at(7),  # type: ignore[arg-type]
        )
    try:
        yield settings, services
    finally:
        runtime.close()


def delivered(fake: FakeTelegram) -> Counter[str]:
    return Counter(str(m.chat_id) for m in fake.sent if m.method == "sendMessage")


async def test_faults_retried_until_each_reminder_arrives_once(
    fake: FakeTelegram, world: tuple[Settings, Services], caplog: pytest.LogCaptureFixture
) -> None:
    settings, services = world
    caplog.set_level(logging.INFO)
    fake.fail_next("sendMessage", status=429, retry_after=1)
    fake.fail_next("sendMessage", status=500, description="Internal Server Error")
    fake.fail_next("sendMessage", status=504, description="Gateway Timeout", delay=1.5)  # the client times out first
    fake.block_chat(200)
    async with open_senders(settings, rate_limited=False, request_timeout=0.5) as senders:
        services.reminders.concurrency = 1
        first = await services.reminders.sweep(at(8), senders)
        assert first.retried >= 3
        for minute in (10, 20, 40, 59):
            await services.reminders.sweep(at(8, minute), senders)
        again = await services.reminders.sweep(at(9), senders)
    assert again.enqueued == 0 and again.sent == 0
    assert delivered(fake) == Counter({"100": 1, "101": 1, "300": 1})
    blocked = services.contacts.get("telegram", "200")
    assert blocked is not None and not blocked.active
    finance = next(m for m in fake.sent if str(m.chat_id) == "100")
    assert "II.1" in finance.plain_text and "còn 3 ngày" in finance.plain_text
    labels = [b["text"] for row in (finance.reply_markup or {}).get("inline_keyboard", []) for b in row]
    assert "Đã hoàn thành II.1" in labels and "Báo cáo tiến độ II.1" in labels
    assert services.outbox.counts()["pending"] == 0
    # handled faults are told in one line each: nothing at ERROR, no traceback at any level shown by default
    loud = [r for r in caplog.records if r.levelno >= logging.ERROR or (r.exc_info and r.levelno >= logging.INFO)]
    assert not loud, [f"{r.levelname} {r.name}: {r.getMessage()}" for r in loud]
    assert any("429" in r.getMessage() or "retry" in r.getMessage().lower() for r in caplog.records)


async def test_scheduled_sweep_runs_at_start_up(fake: FakeTelegram, world: tuple[Settings, Services]) -> None:
    settings, services = world
    async with open_senders(settings, rate_limited=False) as senders:
        jobs = ReminderJobs(services, senders, interval_minutes=60)
        jobs.start()
        try:
            for _ in range(100):
                if jobs.runs:
                    break
                await __import__("asyncio").sleep(0.05)
        finally:
            jobs.shutdown()
    assert jobs.runs >= 1 and jobs.last_report is not None and jobs.last_report.sent > 0
    assert set(delivered(fake)) == {"100", "101", "200", "300"}
    job_ids = [job.id for job in jobs.scheduler.get_jobs()]
    assert job_ids in ([], ["reminder-sweep"])


async def test_bot_process_sends_reminders_at_start_up(fake: FakeTelegram, tmp_path: Path) -> None:
    from bot.telegram_bot import build_application
    from tests.bot.test_telegram_bot import running

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'p.sqlite3'}",
        telegram_bot_token=fake.token,
        telegram_api_base_url=fake.url,
    )
    runtime = Runtime.open(settings)
    services = Services(runtime, clock=lambda: at(8))
    services.contacts.upsert_contact(
        channel="telegram", chat_id="100", agency="Sở Tài chính", registered_by="test", now=at(7)
    )
    try:
        application = build_application(settings, services=services, reminders=True)
        async with running(application, polling=False) as app:
            await fake.wait_for_sent(1)
            jobs = app.bot_data.jobs
            assert jobs is not None and jobs.scheduler.get_job("reminder-sweep") is not None
        assert app.bot_data.jobs is None  # shut down with the application
    finally:
        runtime.close()
    assert [str(m.chat_id) for m in fake.sent] == ["100"]
    assert "II.1" in fake.sent[0].plain_text


async def test_a_500_on_part_two_of_a_split_reminder_resends_only_the_rest(fake: FakeTelegram) -> None:
    from bot.senders import TelegramSender, telegram_bot_from_settings
    from knowledge.reply import Outgoing, ReplyBuilder
    from scheduler.delivery import PartProgress, TransientDeliveryError

    settings = Settings(telegram_bot_token=fake.token, telegram_api_base_url=fake.url)  # type: ignore[arg-type]
    builder = ReplyBuilder()
    for i in range(200):  # about 16,000 characters: parts of at most 4,096
        builder.line(f"Dòng {i:03d}: nhắc hạn nhiệm vụ của Sở Tài chính, báo cáo trước ngày 15/11/2018.")
    outgoing = Outgoing(reply=builder.build())
    fake.fail_next("sendMessage", status=200)  # part 1 goes through (a fault below 300 only delays: here by 0 s)
    fake.fail_next("sendMessage", status=500, description="Internal Server Error")  # part 2 fails
    bot = telegram_bot_from_settings(settings, rate_limited=False)
    await bot.initialize()
    recorded: list[int] = []

    async def record(parts: int) -> None:
        recorded.append(parts)

    progress = PartProgress(0, record)
    try:
        sender = TelegramSender(bot, per_chat_interval=0)
        with pytest.raises(TransientDeliveryError):
            await sender.send("100", outgoing, progress=progress)
        assert recorded == [1]
        await sender.send("100", outgoing, progress=progress)  # the retry
    finally:
        await bot.shutdown()
    texts = [m.plain_text for m in fake.sent if m.method == "sendMessage"]
    parts = len(outgoing.reply.html_chunks(4096))
    assert parts >= 3 and len(texts) == parts and recorded == list(range(1, parts + 1))
    assert texts[0].startswith("Dòng 000") and "Dòng 199" in texts[-1]
    assert "".join(texts).count("Dòng 050") == 1  # nothing sent twice
