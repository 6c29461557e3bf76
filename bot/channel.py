"""The seam between :func:`bot.serve.serve` and a chat platform: a small :class:`ChatChannel` protocol.

A channel (Telegram, Zalo) is started and stopped by the process, sends the core's messages (it is also the
scheduler's :class:`~scheduler.delivery.Sender` for its platform), and in webhook mode hands the one web server a
:class:`WebhookRoute`: a path, the header carrying the secret the platform was given, and a function accepting a
parsed JSON body. Polling, if any, is the channel's own business between :meth:`ChatChannel.start` and
:meth:`ChatChannel.stop`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal, Protocol

from knowledge.contacts import Channel
from knowledge.reply import Outgoing
from scheduler.delivery import PartProgress

__all__ = ["CHANNELS", "ChatChannel", "InvalidUpdate", "Mode", "WebhookRoute"]

CHANNELS: Final = ("telegram", "zalo")
"""The chat channels a process can serve."""

Mode = Literal["polling", "webhook"]


class InvalidUpdate(ValueError):
    """A webhook body that is JSON but not an update of the platform: the web server answers 400."""


@dataclass(frozen=True, kw_only=True, slots=True)
class WebhookRoute:
    """One webhook endpoint of the web server.

    ``accept`` takes the parsed JSON object of a request whose secret header matched; it must return at once
    (schedule the handling) and raises :class:`InvalidUpdate` for a body that is not an update.
    """

    channel: Channel
    path: str
    secret_header: str
    secret: str
    accept: Callable[[dict[str, Any]], None]


class ChatChannel(Protocol):
    """A chat platform served by this process."""

    name: Channel
    mode: Mode

    async def start(self) -> None:
        """Connect: check the token, register the webhook or start polling. Transient failures raise
        :class:`~scheduler.delivery.TransientDeliveryError` (the caller retries); a rejected token raises
        :class:`~knowledge.errors.ConfigError`."""
        ...

    async def stop(self) -> None:
        """Stop polling, finish the updates being handled, release connections."""
        ...

    async def send(self, chat_id: str, outgoing: Outgoing, *, progress: PartProgress | None = None) -> None:
        """Deliver one message (the scheduler's ``Sender``); raises :class:`~scheduler.delivery.DeliveryError`."""
        ...

    def webhook_route(self) -> WebhookRoute | None:
        """The route to serve in webhook mode; None when polling."""
        ...
