"""The reminder sweep as an APScheduler job in the bot process (it also picks up plans imported meanwhile).

An ``AsyncIOScheduler`` on the bot's event loop, in the configured time zone, runs the sweep job with an explicit id:
at start-up (so a bot that was down catches up) and then every few minutes. ``coalesce`` folds missed runs into
one, ``max_instances=1`` keeps sweeps from overlapping, and a generous ``misfire_grace_time`` tolerates a busy
loop. Sending is exactly-once thanks to the outbox, so an extra sweep is always harmless. A second job, every
:data:`WATCH_SECONDS`, picks up what other processes changed: plans imported, archived or removed, and contacts added,
changed or removed (a revoked admin loses its rights at once).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.services import Services
from knowledge.contacts import Channel
from scheduler.delivery import Sender, SweepReport

__all__ = ["SWEEP_JOB_ID", "WATCH_JOB_ID", "WATCH_SECONDS", "ReminderJobs"]

log = logging.getLogger(__name__)

SWEEP_JOB_ID = "reminder-sweep"
WATCH_JOB_ID = "watch-changes"
WATCH_SECONDS = 10.0  # a plan imported or a contact removed by another process shows within this


class ReminderJobs:
    """Owns the scheduler; :meth:`start` inside the running event loop, :meth:`shutdown` on the way out."""

    def __init__(self, services: Services, senders: Mapping[Channel, Sender], *, interval_minutes: float = 5.0) -> None:
        self.services = services
        self.senders = senders
        self.interval_minutes = interval_minutes
        self.scheduler = AsyncIOScheduler(timezone=services.runtime.settings.timezone)
        self.last_report: SweepReport | None = None
        self.last_sweep_at: datetime | None = None  # when the last sweep finished (successfully or not)
        self.runs = 0

    def start(self) -> None:
        tz = self.services.runtime.settings.timezone
        self.scheduler.add_job(
            self.sweep,
            "interval",
            minutes=self.interval_minutes,
            id=SWEEP_JOB_ID,
            name="Deadline reminders",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
            next_run_time=datetime.now(tz=tz),  # also at start-up: catch up after downtime
        )
        self.scheduler.add_job(
            self.watch,
            "interval",
            seconds=WATCH_SECONDS,
            id=WATCH_JOB_ID,
            name="Changes made by other processes",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=60,
        )
        self.scheduler.start()
        log.info("reminder sweep scheduled every %.1f minutes", self.interval_minutes)

    async def watch(self) -> None:
        """Pick up plans and contacts changed by another process; never raises."""
        try:
            await self.services.watch_changes()
        except Exception as exc:
            log.warning("watching for changes failed (%s); it will run again", exc)

    async def sweep(self) -> SweepReport | None:
        """One sweep; never raises (a failed sweep is logged and retried at the next run)."""
        try:
            if await self.services.reload_if_changed():
                log.info("a plan was imported or updated: answers and reminders use the new knowledge base")
            report = await self.services.reminders.sweep(self.services.now(), self.senders)
            await self.services.refresh_done()
        except Exception as exc:
            log.error("reminder sweep failed (%s); it will run again", exc, exc_info=log.isEnabledFor(logging.DEBUG))
            self.last_sweep_at = datetime.now(tz=self.services.runtime.settings.timezone)
            return None
        self.last_sweep_at = datetime.now(tz=self.services.runtime.settings.timezone)
        self.runs += 1
        self.last_report = report
        return report

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    def next_sweep(self) -> datetime | None:
        """When the next sweep is due (None before :meth:`start`)."""
        job = self.scheduler.get_job(SWEEP_JOB_ID)
        when = getattr(job, "next_run_time", None) if job is not None else None
        return when if isinstance(when, datetime) else None

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
