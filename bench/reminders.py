"""Reminder throughput: 10,000 reminders through the fake Bot API, with and without the 30 msg/s rate limiter,
and the time to compute the due set for 10,000 contacts × 10,000 tasks.

    python -m bench.reminders [--reminders 10000] [--skip-limited] [--contacts 10000]

The sends go through the real path: planner → outbox (SQLite) → claim → render → TelegramSender (PTB ExtBot,
AIORateLimiter) → HTTP → fake server. Target: with the limiter, total time <= 1.1 × N/30 s. It prints figures; it
is not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.synthetic import synthetic_knowledge
from bot.runtime import Runtime
from bot.senders import open_senders
from bot.services import Services
from bot.settings import Settings
from knowledge.contacts import Contact
from scheduler.policy import ReminderPlanner
from tests.fakes.telegram_api import FakeTelegram

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SEND_DAY = date(2018, 12, 28)  # D-3 of "Năm 2018" (31/12/2018): Sở Xây dựng's VI.1 is its only task due then
AGENCY = "Sở Xây dựng"


async def send_run(reminders: int, *, rate_limited: bool) -> tuple[float, int, int]:
    """Seconds to compute, enqueue and deliver ``reminders`` reminders; returns (seconds, sent, fake count)."""
    with tempfile.TemporaryDirectory() as folder, FakeTelegram() as fake:
        settings = Settings(
            database_url=f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
            telegram_bot_token=fake.token,
            telegram_api_base_url=fake.url,
        )
        runtime = Runtime.open(settings)
        try:
            now = datetime.combine(SEND_DAY, clock_time(8, 0), tzinfo=TZ)
            services = Services(runtime, clock=lambda: now)
            for index in range(reminders):
                services.contacts.upsert_contact(
                    channel="telegram", chat_id=str(10_000_000 + index), agency=AGENCY, registered_by="bench", now=now
                )
            services.reminders.concurrency = 64
            async with open_senders(settings, rate_limited=rate_limited) as senders:
                started = time.perf_counter()
                report = await services.reminders.sweep(now, senders)
                elapsed = time.perf_counter() - started
            return elapsed, report.sent, len(fake.sent)
        finally:
            runtime.close()


def due_set_run(contacts: int, tasks: int) -> None:
    kb = synthetic_knowledge(tasks=tasks, agencies=1_000, plans=200)
    agencies = [a.name for a in kb.agencies_in_plans()]
    epoch = datetime(2018, 1, 1, tzinfo=UTC)
    people = [
        Contact(
            id=i,
            channel="telegram",
            chat_id=str(i),
            user_id=None,
            display_name="",
            agency=agencies[i % len(agencies)],
            role="coordinator" if i % 50 == 0 else "officer",
            active=True,
            registered_by="bench",
            created_at=epoch,
            updated_at=epoch,
        )
        for i in range(contacts)
    ]
    started = time.perf_counter()
    planner = ReminderPlanner(tasks=kb.tasks, contacts=people, registry=kb.registry, is_done=lambda t, o, a: False)
    built = time.perf_counter() - started
    busiest: tuple[float, int, date] | None = None
    for day in (date(2019, 11, 12), date(2019, 12, 28), date(2020, 6, 29), date(2020, 11, 16)):
        now = datetime.combine(day, clock_time(8, 0), tzinfo=TZ)
        started = time.perf_counter()
        due = planner.due(now)
        seconds = time.perf_counter() - started
        print(
            f"  sweep at {now:%Y-%m-%d %H:%M}: {len(due):>7,} reminders due (8-day catch-up window) in {seconds:6.3f} s"
        )
        if busiest is None or len(due) > busiest[1]:
            busiest = (seconds, len(due), day)
    print(f"  planner build (index {len(kb.tasks):,} tasks, {contacts:,} contacts): {built:.3f} s")
    if busiest:
        print(
            f"due set: {contacts:,} contacts × {len(kb.tasks):,} tasks → busiest {busiest[1]:,} reminders "
            f"in {busiest[0]:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--skip-limited", action="store_true", help="only the raw (no limiter) run")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    print("computing the due set")
    due_set_run(args.contacts, args.tasks)

    raw, sent, received = asyncio.run(send_run(args.reminders, rate_limited=False))
    print(
        f"limiter off: {sent:,} reminders sent ({received:,} messages at the fake) in {raw:.1f} s "
        f"= {sent / raw:,.0f} msg/s"
    )
    if not args.skip_limited:
        limited, sent, received = asyncio.run(send_run(args.reminders, rate_limited=True))
        ideal = args.reminders / 30
        verdict = "PASS" if limited <= 1.1 * ideal else "FAIL"
        print(
            f"limiter on (30 msg/s): {sent:,} reminders sent ({received:,} messages) in {limited:.1f} s; "
            f"ideal {ideal:.1f} s; ratio {limited / ideal:.3f} (target <= 1.1: {verdict})"
        )


if __name__ == "__main__":
    main()
