"""One run path for every channel: :func:`serve` runs Telegram, Zalo or both in one event loop.

:class:`BotProcess` validates each channel's settings once, opens the runtime, binds the one web server (every
webhook route and ``GET /healthz``) when a channel takes webhooks or a listen address is given, starts the channels
(an unreachable platform is retried with back-off, one log line per attempt), starts the reminder sweep and logs one
start-up line. :meth:`BotProcess.close` undoes it all in reverse order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Final

from bot.channel import CHANNELS, ChatChannel
from bot.channel_settings import ListenAddress, TelegramChannelSettings, ZaloChannelSettings, listen_address
from bot.log_setup import protect
from bot.reminder_jobs import ReminderJobs
from bot.runtime import Runtime
from bot.services import Services
from bot.settings import Settings
from bot.web_server import HEALTH_PATH, WebServer
from knowledge.errors import ConfigError, TaskbotError
from scheduler.delivery import TransientDeliveryError

__all__ = ["CHANNELS", "BotProcess", "serve"]

log = logging.getLogger(__name__)

BACKOFF_INITIAL: Final = 1.0
BACKOFF_MAX: Final = 60.0
HEALTH_DB_TIMEOUT: Final = 5.0  # seconds the health check waits for the database


class BotProcess:
    """The channels, the web server and the reminder sweep of one ``taskbot run``."""

    backoff_initial: float = BACKOFF_INITIAL
    backoff_max: float = BACKOFF_MAX

    def __init__(
        self,
        settings: Settings,
        channels: Sequence[str],
        *,
        listen: str | None = None,
        services: Services | None = None,
        clock: Callable[[], datetime] | None = None,
        stop: asyncio.Event | None = None,
        sweep_minutes: float = 5.0,
    ) -> None:
        unknown = sorted(set(channels) - set(CHANNELS))
        if unknown or not channels:
            raise ConfigError(f"unknown channels {unknown}", user_message="Hãy chọn kênh telegram, zalo hoặc cả hai.")
        self.settings = settings
        self.channel_names = tuple(dict.fromkeys(channels))
        # Every channel's settings are validated here, once, before anything is opened.
        self.telegram_config = TelegramChannelSettings.from_settings(settings) if "telegram" in channels else None
        self.zalo_config = ZaloChannelSettings.from_settings(settings) if "zalo" in channels else None
        configs = [c for c in (self.telegram_config, self.zalo_config) if c is not None]
        protect(*(s.get_secret_value() for c in configs for s in (c.token, c.webhook_secret) if s is not None))
        webhooks = any(c.webhook for c in configs)
        self.address: ListenAddress | None = None
        if listen is not None:
            self.address = listen_address(listen, variable="--listen")
        elif webhooks:
            self.address = listen_address(settings.webhook_listen)
        self.stop_event = stop or asyncio.Event()
        self._given_services = services
        self._clock = clock
        self._sweep_minutes = sweep_minutes
        self.runtime: Runtime | None = None
        self.services: Services | None = None
        self.channels: list[ChatChannel] = []
        self.started: list[ChatChannel] = []
        self.server: WebServer | None = None
        self.jobs: ReminderJobs | None = None

    # -- start ------------------------------------------------------------------------------------------------------

    async def start(self) -> bool:
        """Open everything; False when stopped before every channel could connect (then :meth:`close` still runs)."""
        services = self._given_services
        if services is None:
            self.runtime = await asyncio.to_thread(Runtime.open, self.settings)
            services = await asyncio.to_thread(Services, self.runtime, clock=self._clock)
        self.services = services
        self.channels = self._build_channels(services)
        for channel in self.channels:
            services.senders[channel.name] = channel
        routes = [route for channel in self.channels if (route := channel.webhook_route()) is not None]
        if self.address is not None:
            self.server = WebServer(self.address, routes, self.health)
        for channel in self.channels:
            if not await self._start_with_retry(channel):
                return False
            self.started.append(channel)
        self.jobs = ReminderJobs(services, services.senders, interval_minutes=self._sweep_minutes)
        self.jobs.start()
        await self._log_started(services)
        return True

    def _build_channels(self, services: Services) -> list[ChatChannel]:
        from bot.telegram_channel import TelegramChannel
        from bot.zalo_bot import ZaloChannel

        admins = frozenset(str(i) for i in self.settings.admin_ids)
        channels: list[ChatChannel] = []
        if self.telegram_config is not None:
            channels.append(TelegramChannel(self.settings, services))
        if self.zalo_config is not None:
            channels.append(ZaloChannel(self.zalo_config, services, admin_user_ids=admins))
        return channels

    async def _start_with_retry(self, channel: ChatChannel) -> bool:
        """Start ``channel``; a platform out of reach is retried with back-off (1 s, 2 s … 60 s), one line each."""
        attempt = 0
        while not self.stop_event.is_set():
            try:
                await channel.start()
                return True
            except TransientDeliveryError as exc:
                attempt += 1
                delay = min(self.backoff_max, self.backoff_initial * 2 ** (attempt - 1))
                delay = max(delay, exc.retry_after or 0.0)
                log.warning(
                    "%s API unreachable (attempt %d: %s); retrying in %.1f s",
                    channel.name,
                    attempt,
                    exc,
                    delay,
                    exc_info=log.isEnabledFor(logging.DEBUG),
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop_event.wait(), delay)
        return False

    async def _log_started(self, services: Services) -> None:
        kb = services.engine.kb
        contacts = await services.db(services.contacts.list_contacts)
        modes = ", ".join(f"{c.name} ({c.mode})" for c in self.channels)
        server = f"{self.server.host}:{self.server.port}" if self.server is not None else "none"
        next_sweep = self.jobs.next_sweep() if self.jobs is not None else None
        # WARNING so that the one line shows at the default log level.
        log.warning(
            "taskbot started: channels %s; database %s; %d plans, %d contacts; web server %s%s; next reminder sweep %s",
            modes,
            services.runtime.db.describe(),
            len(kb.plans),
            len(contacts),
            server,
            f" ({HEALTH_PATH})" if self.server is not None else "",
            next_sweep.isoformat(timespec="seconds") if next_sweep is not None else "-",
        )

    # -- health -----------------------------------------------------------------------------------------------------

    async def health(self) -> tuple[bool, dict[str, Any]]:
        """Database reachable, reminder sweep running, time of the last sweep (for ``/healthz``)."""
        details: dict[str, Any] = {}
        healthy = True
        services = self.services
        if services is None:
            return False, {"database": "not open"}
        try:
            await asyncio.wait_for(asyncio.to_thread(services.runtime.db.ping), HEALTH_DB_TIMEOUT)
            details["database"] = "ok"
        except (TaskbotError, TimeoutError) as exc:
            healthy = False
            details["database"] = str(exc) or "timed out"
        jobs = self.jobs
        running = jobs is not None and jobs.running
        healthy = healthy and running
        details["scheduler"] = "running" if running else "stopped"
        last = jobs.last_sweep_at if jobs is not None else None
        details["last_sweep"] = last.isoformat(timespec="seconds") if last is not None else None
        details["channels"] = {c.name: c.mode for c in self.started}
        return healthy, details

    # -- close ------------------------------------------------------------------------------------------------------

    async def close(self) -> None:
        """Stop the sweep, the web server and the channels, and close the runtime this process opened."""
        if self.jobs is not None:
            self.jobs.shutdown()
            self.jobs = None
        if self.server is not None:
            await self.server.close()
            self.server = None
        for channel in reversed(self.channels):
            try:
                await channel.stop()
            except Exception as exc:  # one channel failing to stop must not keep the others open
                log.warning("could not stop %s cleanly: %s", channel.name, exc)
        self.channels = []
        self.started = []
        if self.runtime is not None:
            await asyncio.to_thread(self.runtime.close)
            self.runtime = None


async def serve(
    settings: Settings,
    channels: Sequence[str],
    *,
    listen: str | None = None,
    stop: asyncio.Event | None = None,
    services: Services | None = None,
) -> None:
    """Run the channels until ``stop`` is set or SIGINT/SIGTERM arrives."""
    process = BotProcess(settings, channels, listen=listen, stop=stop, services=services)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, process.stop_event.set)
    try:
        if await process.start():
            await process.stop_event.wait()
    finally:
        await process.close()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signum)
        log.warning("taskbot stopped")
