"""Channel senders for reminders: deliver an :class:`Outgoing` to one chat and translate channel errors.

Telegram errors become the scheduler's delivery errors at this edge: 403 → unreachable (contact deactivated, not
retried), flood control / network / time-out / 5xx → transient (retried with backoff), other 400s → permanent.
Telegram's limits are respected: about 30 messages per second overall (PTB's ``AIORateLimiter``) and at most one
message per second to the same chat.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from bot.settings import Settings
from knowledge.contacts import Channel
from knowledge.reply import Outgoing
from scheduler.delivery import (
    ChatPacer,
    DeliveryError,
    PartProgress,
    RecipientUnreachable,
    Sender,
    TransientDeliveryError,
)

__all__ = ["TelegramSender", "open_senders", "telegram_bot_from_settings"]

log = logging.getLogger(__name__)

_PER_CHAT_INTERVAL = 1.0


class TelegramSender:
    """Sends through a PTB bot; at most one message per second to the same chat."""

    def __init__(self, bot: Bot, *, per_chat_interval: float = _PER_CHAT_INTERVAL) -> None:
        self.bot = bot
        self.pacer = ChatPacer(per_chat_interval)

    async def send(self, chat_id: str, outgoing: Outgoing, *, progress: PartProgress | None = None) -> None:
        from bot.telegram_bot import chat_ref, send_outgoing

        async with self.pacer.chat(chat_id) as pace:
            await pace()  # the whole message (its parts follow at once, as Telegram allows short bursts)
            try:
                await send_outgoing(self.bot, chat_ref(chat_id), outgoing, progress=progress)
            except Forbidden as exc:
                raise RecipientUnreachable(f"telegram chat {chat_id}: {exc.message}") from exc
            except RetryAfter as exc:
                raise TransientDeliveryError(
                    f"telegram flood control for chat {chat_id}", retry_after=_seconds(exc.retry_after)
                ) from exc
            except BadRequest as exc:
                if "chat not found" in exc.message.lower():
                    raise RecipientUnreachable(f"telegram chat {chat_id}: {exc.message}") from exc
                raise DeliveryError(f"telegram rejected the message to {chat_id}: {exc.message}") from exc
            except (TimedOut, NetworkError) as exc:
                raise TransientDeliveryError(f"telegram network error for chat {chat_id}: {exc}") from exc
            except TelegramError as exc:
                raise TransientDeliveryError(f"telegram error for chat {chat_id}: {exc}") from exc


def _seconds(value: object) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, int | float):
        return float(value)
    return 1.0


def telegram_bot_from_settings(
    settings: Settings, *, rate_limited: bool = True, request_timeout: float | None = None
) -> ExtBot[Any]:
    """A PTB bot configured like the bot process (base URL for a local Bot API server or a fake)."""
    from bot.telegram_bot import api_root

    if settings.telegram_bot_token is None:
        raise ValueError("no Telegram token")
    token = settings.telegram_bot_token.get_secret_value()
    root = api_root(settings.telegram_api_base_url) if settings.telegram_api_base_url else "https://api.telegram.org"
    limiter: AIORateLimiter | None = AIORateLimiter(max_retries=0) if rate_limited else None
    # A pool large enough for the sweep's concurrent sends (PTB's default is one connection).
    if request_timeout:
        request = HTTPXRequest(
            connection_pool_size=64, pool_timeout=30.0, read_timeout=request_timeout, write_timeout=request_timeout
        )
    else:
        request = HTTPXRequest(connection_pool_size=64, pool_timeout=30.0)
    return ExtBot(
        token, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot", rate_limiter=limiter, request=request
    )


@asynccontextmanager
async def open_senders(
    settings: Settings, *, rate_limited: bool = True, request_timeout: float | None = None
) -> AsyncIterator[dict[Channel, Sender]]:
    """Senders for every channel configured in ``settings`` (Telegram, Zalo); closed on exit."""
    from bot.channel_settings import ZaloChannelSettings
    from bot.zalo_api import ZaloApi
    from bot.zalo_bot import ZaloSender

    senders: dict[Channel, Sender] = {}
    bot: ExtBot[Any] | None = None
    zalo: ZaloApi | None = None
    try:
        if settings.telegram_bot_token is not None:
            bot = telegram_bot_from_settings(settings, rate_limited=rate_limited, request_timeout=request_timeout)
            await bot.initialize()
            senders["telegram"] = TelegramSender(bot)
        else:
            # said where it matters: `reminders send` names the channel when due reminders wait for it
            log.info("TELEGRAM_BOT_TOKEN is not set: reminders for Telegram contacts stay pending")
        if settings.zalo_bot_token is not None:
            config = ZaloChannelSettings.from_settings(settings)
            zalo = ZaloApi(config.token.get_secret_value(), base_url=config.api_base_url)
            senders["zalo"] = ZaloSender(zalo)
        yield senders
    finally:
        if bot is not None:
            await bot.shutdown()
        if zalo is not None:
            await zalo.aclose()
