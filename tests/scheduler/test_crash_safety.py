"""Exactly-once that survives a crash (issue #14): a ``taskbot reminders send`` killed with SIGKILL mid fan-out, twice,
then run to completion, delivers every due reminder, and repeats at most the messages that were in flight when it was
killed; the next process takes a dead process's rows at once (its pid no longer runs), not after a lease."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.runtime import Runtime
from bot.settings import Settings
from knowledge.storage.contacts import ContactRepository
from scheduler.delivery import worker_is_dead, worker_name
from scheduler.records import Reminder
from scheduler.storage import LEASE, OutboxRepository
from tests.fakes.telegram_api import FakeTelegram

LEADS = ("Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Công Thương", "Liên minh Hợp tác xã và Doanh nghiệp thành phố")
PER_AGENCY = 8
PARALLEL = 4  # TASKBOT_REMINDER_CONCURRENCY raised from its default of 1: up to this many may repeat per kill


def settings_for(database: Path, fake: FakeTelegram) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite:///{database}",
        telegram_bot_token=fake.token,
        telegram_api_base_url=fake.url,
        taskbot_agencies_file=None,
    )


def send_process(
    database: Path, fake: FakeTelegram, log: Path, extra: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **(extra or {}),
        "DATABASE_URL": f"sqlite:///{database}",
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.url,
    }
    env.pop("TASKBOT_AGENCIES_FILE", None)
    code = "from bot.entry import main; main()"
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-c", code, "reminders", "send", "--as-of", "2018-11-12"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_for(check: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def test_killed_senders_repeat_at_most_what_was_in_flight(tmp_path: Path) -> None:
    database = tmp_path / "crash.sqlite3"
    log = tmp_path / "send.log"
    with FakeTelegram() as fake:
        runtime = Runtime.open(settings_for(database, fake))
        contacts = ContactRepository(runtime.db)
        now = datetime(2018, 11, 12, tzinfo=UTC)
        chats = []
        for i, agency in enumerate(LEADS):
            for j in range(PER_AGENCY):
                chat = str(100_000 + 100 * i + j)
                contacts.upsert_contact(channel="telegram", chat_id=chat, agency=agency, registered_by="t", now=now)
                chats.append(chat)
        runtime.close()
        fake.fail_next("sendMessage", status=200, delay=0.15, times=10_000)  # slow enough to kill mid fan-out

        kills = 0
        parallel = {"TASKBOT_REMINDER_CONCURRENCY": str(PARALLEL)}
        for threshold in (8, 20):
            process = send_process(database, fake, log, parallel)
            wait_for(lambda threshold=threshold: len(fake.sent) >= threshold)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            kills += 1
        started = time.monotonic()
        finisher = send_process(database, fake, log)
        assert finisher.wait(timeout=60) == 0, log.read_text(encoding="utf-8", errors="replace")
        assert time.monotonic() - started < LEASE.total_seconds()  # the dead senders' rows were taken at once
        again = send_process(database, fake, log)
        assert again.wait(timeout=60) == 0
        per_chat = Counter(str(m.chat_id) for m in fake.sent)

    assert set(per_chat) == set(chats)  # every contact got its reminder
    repeats = sum(n - 1 for n in per_chat.values())
    assert repeats <= kills * PARALLEL  # at most what was in flight at each kill
    runtime = Runtime.open(settings_for(database, fake))
    try:
        counts = OutboxRepository(runtime.db).counts()
    finally:
        runtime.close()
    assert counts.get("sending", 0) == 0 and counts.get("pending", 0) == 0


def test_one_message_in_flight_repeats_at_most_one_per_kill(tmp_path: Path) -> None:
    """With TASKBOT_REMINDER_CONCURRENCY=1 (the default) the issue's goal holds exactly: each kill repeats at most the
    one message in flight. The fake holds every sendMessage 0.1 s before accepting it, so a kill always lands mid
    request."""
    database = tmp_path / "strict.sqlite3"
    log = tmp_path / "send.log"
    one = {"TASKBOT_REMINDER_CONCURRENCY": "1"}
    with FakeTelegram() as fake:
        runtime = Runtime.open(settings_for(database, fake))
        contacts = ContactRepository(runtime.db)
        now = datetime(2018, 11, 12, tzinfo=UTC)
        chats = [str(200_000 + i) for i in range(24)]
        for i, chat in enumerate(chats):
            contacts.upsert_contact(
                channel="telegram", chat_id=chat, agency=LEADS[i % len(LEADS)], registered_by="t", now=now
            )
        runtime.close()
        fake.fail_next("sendMessage", status=200, delay=0.1, times=10_000)

        kills = 0
        for threshold in (5, 12):
            process = send_process(database, fake, log, one)
            wait_for(lambda threshold=threshold: len(fake.sent) >= threshold)
            time.sleep(0.03)  # inside the next request's 0.1 s hold
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            kills += 1
        time.sleep(0.15)  # the request held when each process died is accepted all the same
        finisher = send_process(database, fake, log, one)
        assert finisher.wait(timeout=60) == 0, log.read_text(encoding="utf-8", errors="replace")
        per_chat = Counter(str(m.chat_id) for m in fake.sent)

    assert set(per_chat) == set(chats)  # nothing lost
    repeats = sum(n - 1 for n in per_chat.values())
    assert repeats <= kills  # at most the one message in flight per kill
    runtime = Runtime.open(settings_for(database, fake))
    try:
        counts = OutboxRepository(runtime.db).counts()
    finally:
        runtime.close()
    assert counts.get("sending", 0) == 0 and counts.get("pending", 0) == 0


def test_a_dead_process_is_told_apart_from_a_live_one() -> None:
    assert not worker_is_dead(worker_name())  # this process
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    assert worker_is_dead(worker_name(int(finished.stdout)))
    assert not worker_is_dead("taskbot@another-host:1")  # another host: only its lease tells
    assert not worker_is_dead("taskbot-1234")  # a name of old: only its lease tells


def test_a_live_sender_keeps_its_rows_by_renewing_its_lease(tmp_path: Path) -> None:
    with FakeTelegram() as fake:
        runtime = Runtime.open(settings_for(tmp_path / "lease.sqlite3", fake))
    try:
        outbox = OutboxRepository(runtime.db)
        start = datetime(2026, 11, 25, 1, tzinfo=UTC)
        contact = ContactRepository(runtime.db).upsert_contact(
            channel="telegram", chat_id="42", agency="Sở Tài chính", registered_by="t", now=start
        )
        reminder = Reminder(
            contact_id=contact.id,
            channel="telegram",
            chat_id="42",
            agency="Sở Tài chính",
            kind="before",
            plan="435/KH-UBND",
            task="II.1",
            occurrence=start.date(),
            offset_days=3,
        )
        outbox.enqueue([reminder], now=start)
        assert len(outbox.claim(worker="a", now=start)) == 1
        later = start + LEASE + timedelta(seconds=1)
        outbox.renew(worker="a", now=start + LEASE / 2)
        assert outbox.claim(worker="b", now=later) == []  # renewed: still a's
        assert len(outbox.claim(worker="b", now=start + LEASE * 2)) == 1  # a stopped renewing: b takes it
        assert outbox.claim(worker="c", now=start + LEASE * 2, dead_workers={"b"}) != []  # b is known dead
    finally:
        runtime.close()
