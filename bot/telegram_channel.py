"""Telegram as a :class:`~bot.channel.ChatChannel`: the PTB application, polled or fed by the process's web server.

The application is started by hand (``initialize``, ``post_init``, ``start``) rather than by PTB's own run loop, so
Telegram shares the event loop, the reminder sweep and the one web server with the other channels. In webhook mode
the web server checks ``X-Telegram-Bot-Api-Secret-Token`` and this channel turns the body into an ``Update`` on the
application's update queue; ``setWebhook`` is called at start with the public URL and the secret.

PTB errors at start are translated at this edge: a rejected token → :class:`~knowledge.errors.ConfigError` naming
``TELEGRAM_BOT_TOKEN``; a network error or time-out → :class:`~scheduler.delivery.TransientDeliveryError`, which
:func:`bot.serve.serve` retries with back-off.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from telegram import Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError

from bot.channel import InvalidUpdate, Mode, WebhookRoute
from bot.channel_settings import TelegramChannelSettings
from bot.senders import TelegramSender
from bot.services import Services
from bot.settings import Settings
from bot.telegram_bot import TaskbotApplication, build_application
from knowledge.contacts import Channel
from knowledge.errors import ConfigError
from knowledge.reply import Outgoing
from scheduler.delivery import DeliveryError, PartProgress, TransientDeliveryError

__all__ = ["SECRET_HEADER", "TelegramChannel"]

log = logging.getLogger(__name__)

SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
BAD_TOKEN_MESSAGE: Final = (
    "TELEGRAM_BOT_TOKEN bị Telegram từ chối. Hãy chép lại token từ @BotFather (lệnh /token), hoặc tạo token mới."
)


class TelegramChannel:
    """The Telegram channel of one process."""

    name: Channel = "telegram"

    def __init__(self, settings: Settings, services: Services, *, rate_limit: bool = True) -> None:
        self.config = TelegramChannelSettings.from_settings(settings)
        self.mode: Mode = "webhook" if self.config.webhook else "polling"
        self.application: TaskbotApplication = build_application(settings, services=services, rate_limit=rate_limit)
        self.sender = TelegramSender(self.application.bot)
        self._post_init_done = False

    async def start(self) -> None:
        app = self.application
        try:
            await app.initialize()  # getMe: checks the token
            if not self._post_init_done:
                assert app.post_init is not None
                await app.post_init(app)
                self._post_init_done = True
            if not app.running:
                await app.start()
            if self.mode == "webhook":
                secret = self.config.webhook_secret
                assert self.config.webhook_url is not None and secret is not None
                await app.bot.set_webhook(
                    self.config.webhook_url,
                    secret_token=secret.get_secret_value(),
                    allowed_updates=Update.ALL_TYPES,
                    drop_pending_updates=False,
                )
                log.info("Telegram webhook registered")
            else:
                assert app.updater is not None
                await app.updater.start_polling(
                    allowed_updates=Update.ALL_TYPES, drop_pending_updates=False, error_callback=_polling_error
                )
        except InvalidToken as exc:
            raise ConfigError(f"TELEGRAM_BOT_TOKEN was rejected: {exc}", user_message=BAD_TOKEN_MESSAGE) from exc
        except RetryAfter as exc:
            raise TransientDeliveryError(
                f"telegram flood control at start: {exc}", retry_after=_seconds(exc.retry_after)
            ) from exc
        except NetworkError as exc:  # also TimedOut
            raise TransientDeliveryError(f"telegram unreachable: {exc}") from exc
        except TelegramError as exc:
            raise DeliveryError(f"telegram refused to start: {exc}") from exc

    async def stop(self) -> None:
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if self._post_init_done and app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()

    async def send(self, chat_id: str, outgoing: Outgoing, *, progress: PartProgress | None = None) -> None:
        await self.sender.send(chat_id, outgoing, progress=progress)

    def webhook_route(self) -> WebhookRoute | None:
        if self.mode != "webhook" or self.config.webhook_secret is None:
            return None
        return WebhookRoute(
            channel="telegram",
            path=self.config.webhook_path,
            secret_header=SECRET_HEADER,
            secret=self.config.webhook_secret.get_secret_value(),
            accept=self._accept,
        )

    def _accept(self, body: dict[str, Any]) -> None:
        try:
            update = Update.de_json(body, self.application.bot)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidUpdate(f"not a Telegram update: {type(exc).__name__}") from exc
        if update is None:
            raise InvalidUpdate("empty update")
        self.application.update_queue.put_nowait(update)


def _polling_error(exc: TelegramError) -> None:
    """One line per failed getUpdates (PTB retries with its own back-off); the traceback only at DEBUG."""
    log.warning("Telegram getUpdates failed: %s", exc, exc_info=log.isEnabledFor(logging.DEBUG))


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    if callable(total):
        return float(total())
    return float(value) if isinstance(value, int | float) else 1.0
