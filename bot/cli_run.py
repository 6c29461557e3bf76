"""``taskbot run``: serve the configured chat channels, with the reminder sweep, until interrupted.

- ``--channel telegram`` (default): python-telegram-bot's own run loop (polling, or a webhook when ``WEBHOOK_URL``
  is set), reminders for Telegram contacts.
- ``--channel zalo``: the Zalo adapter (polling, or a webhook at ``/zalo/webhook`` with ``--listen HOST:PORT``).
- ``--channel telegram --channel zalo``: both in one process, one reminder sweep sending through each contact's
  channel.

"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import typer

from bot.cli_common import configure_logging, fail, load_settings
from bot.settings import Settings
from knowledge.errors import TaskbotError

__all__ = ["CHANNELS", "run_command"]

log = logging.getLogger(__name__)

CHANNELS = ("telegram", "zalo")


def run_command(
    channel: list[str] = typer.Option(  # noqa: B008 - typer's declaration style
        ["telegram"], "--channel", help="Channel(s) to serve: telegram (default) or zalo; repeat or comma-separate."
    ),
    listen: str | None = typer.Option(
        None,
        "--listen",
        help="host:port of the webhook server: Zalo serves /zalo/webhook there; for Telegram it overrides "
        "WEBHOOK_LISTEN (webhook mode needs WEBHOOK_URL).",
    ),
) -> None:
    """Run the bot: Telegram by default, Zalo with --channel zalo, or both."""
    from bot.telegram_bot import run_telegram

    wanted = list(dict.fromkeys(name.strip().lower() for value in channel for name in value.split(",") if name.strip()))
    unknown = sorted({name for name in wanted if name not in CHANNELS})
    if unknown:
        raise fail(f"Kênh không hợp lệ: {', '.join(unknown)}. Chọn telegram hoặc zalo.", 2)
    if not wanted:
        raise fail("Hãy chọn ít nhất một kênh: --channel telegram.", 2)
    settings = load_settings()
    configure_logging(settings)
    log.info("starting channels: %s", ", ".join(wanted))
    try:
        if wanted == ["telegram"]:
            if listen is not None:
                settings = settings.model_copy(update={"webhook_listen": listen})
            run_telegram(settings)
            return
        asyncio.run(serve(settings, telegram="telegram" in wanted, zalo="zalo" in wanted, zalo_listen=listen))
    except TaskbotError as exc:
        raise fail(exc.user_message) from exc


async def serve(
    settings: Settings,
    *,
    telegram: bool,
    zalo: bool,
    zalo_listen: str | None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve Zalo (and Telegram) in this event loop until ``stop`` is set or SIGINT/SIGTERM arrives."""
    from bot.reminder_jobs import ReminderJobs
    from bot.runtime import Runtime
    from bot.senders import TelegramSender
    from bot.services import Services
    from bot.telegram_bot import build_application
    from bot.zalo_bot import ZaloApi, ZaloSender, serve_zalo

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    zalo_api = ZaloApi.from_settings(settings) if zalo else None  # ConfigError without a token, before opening
    runtime = await asyncio.to_thread(Runtime.open, settings)
    application = None
    jobs: ReminderJobs | None = None
    try:
        services = await asyncio.to_thread(Services, runtime)
        application = build_application(settings, services=services) if telegram else None
        senders = services.senders
        if application is not None:
            await application.initialize()
            assert application.post_init is not None
            await application.post_init(application)
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=["message", "callback_query", "my_chat_member"])
            senders["telegram"] = TelegramSender(application.bot)
        if zalo_api is not None:
            senders["zalo"] = ZaloSender(zalo_api)
        jobs = ReminderJobs(services, senders)
        jobs.start()
        if zalo:
            await serve_zalo(settings, listen=zalo_listen, stop=stop, services=services)
        else:
            await stop.wait()
    finally:
        if jobs is not None:
            jobs.shutdown()
        if application is not None:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)
            await application.shutdown()
        if zalo_api is not None:
            await zalo_api.aclose()
        await asyncio.to_thread(runtime.close)
