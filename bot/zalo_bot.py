"""The Zalo adapter: Zalo Bot Platform updates in, :class:`~bot.conversation.Conversation` replies out.

The platform has no inline buttons, so this adapter is thinner than the Telegram one:

* :func:`render_zalo` renders an :class:`Outgoing` as plain text, its buttons as a numbered list ("1. …") numbered
  row by row as the core numbers them, split on line boundaries into messages of at most 2000 characters. A user
  answers with the number and the core picks the choice.
* :class:`ZaloBot` turns updates into :class:`~bot.conversation.Incoming` values, asks the conversation, and sends
  the replies; :meth:`ZaloBot.run_polling` long-polls (development), :meth:`ZaloBot.spawn` takes webhook updates.
* :class:`ZaloChannel` is the :class:`~bot.channel.ChatChannel` that :func:`bot.serve.serve` runs: polling, or a
  webhook route on the process's one web server (the body Zalo posts is ``{"ok": true, "result": update}``).
* :class:`ZaloSender` delivers reminders (the scheduler's :class:`~scheduler.delivery.Sender` protocol).

The HTTP client and the payload shapes are in :mod:`bot.zalo_api`.

Group chats: the bot answers only messages that start with ``/`` (commands) or mention the bot by its display name
or account name (``@Trợ lý nhiệm vụ …``; the mention is removed before the core sees the text). Everything else in
a group is ignored, so the bot does not answer every remark made in a group it was added to.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from bot.channel import InvalidUpdate, Mode, WebhookRoute
from bot.channel_settings import ZaloChannelSettings
from bot.conversation import Conversation, Incoming
from bot.services import Services
from bot.zalo_api import ZaloApi, unwrap_update
from knowledge.contacts import Channel
from knowledge.errors import ChannelError, ConfigError
from knowledge.reply import Button, Fragment, Line, Outgoing, Reply
from scheduler.delivery import ChatPacer, PartProgress, RecipientUnreachable, TransientDeliveryError

__all__ = [
    "CHOICE_PROMPT",
    "ERROR_REPLY",
    "MAX_TEXT",
    "NO_FILES_REPLY",
    "WEBHOOK_SECRET_HEADER",
    "ZaloBot",
    "ZaloChannel",
    "ZaloSender",
    "render_zalo",
    "send_outgoing",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_TEXT: Final = 2000  # characters per message
CHOICE_PROMPT: Final = "Trả lời bằng số để chọn:"
ERROR_REPLY: Final = "Đã có lỗi xảy ra, vui lòng thử lại sau."
WEBHOOK_SECRET_HEADER: Final = "X-Bot-Api-Secret-Token"
TEXT_EVENT: Final = "message.text.received"
# What else the Zalo Bot Platform posts: images, stickers, and "unsupported" for anything else — a file included
# (event names as the platform's clients list them, e.g. https://bot.zaloplatforms.com/docs via the @gguf/claw Zalo
# client; python-zalo-bot 0.1.9's Message has text, sticker and photo_url, no document). Files do not reach bots.
NON_TEXT_EVENTS: Final = frozenset(
    {"message.image.received", "message.sticker.received", "message.unsupported.received"}
)
_TOLD_ABOUT_FILES: Final = frozenset({"message.image.received", "message.unsupported.received"})  # not stickers
NO_FILES_REPLY: Final = (
    "Bot trên Zalo chỉ đọc được tin nhắn chữ; Zalo không chuyển tệp hay hình ảnh cho bot. "
    "Để nhập kế hoạch, hãy gửi tệp cho bot trên Telegram, hoặc nhập trên máy chủ bằng lệnh: taskbot import <tệp>."
)
POLL_TIMEOUT: Final = 30  # seconds a getUpdates long poll may wait on the server
BACKOFF_INITIAL: Final = 1.0
BACKOFF_MAX: Final = 30.0
PER_CHAT_INTERVAL: Final = 1.0  # ZaloSender: at most one message per second to the same chat
_FORBIDDEN_ACTOR: Final = "zalo:forbidden"


# -- rendering ------------------------------------------------------------------------------------------------------


def render_zalo(outgoing: Outgoing) -> list[str]:
    """The messages to send for ``outgoing``: plain text, then the buttons as a numbered list.

    Buttons are numbered row by row, left to right (the order in which the core numbers its choices), under
    :data:`CHOICE_PROMPT`; when the reply already ends with exactly that numbered list, it is not repeated. The text
    is split on line boundaries into messages of at most :data:`MAX_TEXT` characters; empty messages are dropped (an
    empty reply without buttons gives ``[]``).
    """
    lines = list(outgoing.reply.lines)
    buttons = [button for row in outgoing.buttons for button in row]
    if buttons and not _lists_choices(lines, buttons):
        if lines:
            lines.append(())
        lines.append((Fragment(text=CHOICE_PROMPT),))
        lines.extend((Fragment(text=f"{i}. {button.label}"),) for i, button in enumerate(buttons, start=1))
    chunks = Reply(lines=tuple(lines)).plain_chunks(MAX_TEXT)
    return [chunk for chunk in chunks if chunk.strip() and len(chunk) <= MAX_TEXT]


def _lists_choices(lines: Sequence[Line], buttons: Sequence[Button]) -> bool:
    """Whether the reply already ends with the choices numbered "1. <label>" … (the core does so for agencies)."""
    texts = ["".join(f.text for f in line).strip() for line in lines]
    tail = texts[len(texts) - len(buttons) :] if len(texts) >= len(buttons) else []
    return tail == [f"{i}. {button.label}" for i, button in enumerate(buttons, start=1)]


def _text_reply(text: str) -> Outgoing:
    return Outgoing(reply=Reply(lines=((Fragment(text=text),),)))


# -- the bot --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class _Message:
    chat_id: str
    user_id: str | None
    display_name: str
    text: str
    is_group: bool


class ZaloBot:
    """The Zalo channel of one process: updates in, replies out.

    ``handle_update`` never raises (a bad update is logged and dropped); updates of one chat are handled one after
    another, in order, while different chats proceed concurrently (webhook mode).
    """

    backoff_initial: float = BACKOFF_INITIAL
    backoff_max: float = BACKOFF_MAX

    def __init__(
        self,
        services: Services,
        api: ZaloApi,
        *,
        admin_user_ids: frozenset[str] = frozenset(),
        conversation: Conversation | None = None,
    ) -> None:
        self.services = services
        self.api = api
        # bot_username stays empty: it only builds Telegram invite links (t.me/<bot>?start=…).
        self.conversation = conversation or Conversation(services, admin_user_ids=admin_user_ids)
        services.on_contact_change(self.conversation.forget_contact)
        self.bot_names: tuple[str, ...] = ()
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def identify(self) -> dict[str, Any]:
        """Ask Zalo who the bot is (this also checks the token) and remember its names for group mentions."""
        me = await self.api.get_me()
        names = (me.get("display_name"), me.get("account_name"))
        self.bot_names = tuple(dict.fromkeys(n.strip() for n in names if isinstance(n, str) and n.strip()))
        log.info("Zalo bot %s ready", self.bot_names[0] if self.bot_names else me.get("id", "?"))
        return me

    # -- updates --------------------------------------------------------------------------------------------------

    async def handle_update(self, update: Mapping[str, Any]) -> None:
        """Answer one update. Only text messages from people are handled; any failure is logged, never raised."""
        try:
            unwrapped = unwrap_update(update)
            event = unwrapped.get("event_name") if unwrapped is not None else None
            if unwrapped is not None and isinstance(event, str) and event in NON_TEXT_EVENTS:
                await self._not_text(unwrapped)
                return
            message = self._message(unwrapped) if unwrapped is not None else None
            if message is None:
                return
            async with self._chat_lock(message.chat_id):
                await self._converse(message)
        except Exception:
            log.exception("could not handle a Zalo update (%s)", _describe(update))

    async def _not_text(self, update: Mapping[str, Any]) -> None:
        """A file or image in a private chat gets one sentence on what the bot reads; stickers and groups, nothing."""
        message = _dict(update.get("message"))
        chat = _dict(message.get("chat"))
        chat_id = _id(chat.get("id"))
        if update.get("event_name") not in _TOLD_ABOUT_FILES or chat_id is None or chat.get("chat_type") == "GROUP":
            return
        if _dict(message.get("from")).get("is_bot") is True:
            return
        log.info("zalo chat %s sent a %s; told it files go through Telegram", chat_id, update.get("event_name"))
        await self.deliver(chat_id, [_text_reply(NO_FILES_REPLY)])

    def _message(self, update: Mapping[str, Any]) -> _Message | None:
        event = update.get("event_name")
        message = _dict(update.get("message"))
        if event != TEXT_EVENT and not (event is None and isinstance(message.get("text"), str)):
            log.debug("ignoring Zalo event %s", event)
            return None
        sender = _dict(message.get("from"))
        chat = _dict(message.get("chat"))
        text = message.get("text")
        chat_id = _id(chat.get("id"))
        if not isinstance(text, str) or not text.strip() or chat_id is None:
            return None
        if sender.get("is_bot") is True:
            return None
        is_group = chat.get("chat_type") == "GROUP"
        addressed = self._addressed_text(text) if is_group else text
        if addressed is None:
            return None
        name = sender.get("display_name")
        return _Message(
            chat_id=chat_id,
            user_id=_id(sender.get("id")),
            display_name=name.strip() if isinstance(name, str) else "",
            text=addressed,
            is_group=is_group,
        )

    def _addressed_text(self, text: str) -> str | None:
        """A group message meant for the bot (a command, or a mention, removed); None when it is not for us."""
        if text.lstrip().startswith("/"):
            return text
        for name in self.bot_names:
            mention = re.compile(rf"@?{re.escape(name)}", re.IGNORECASE)
            if mention.search(text):
                return " ".join(mention.sub(" ", text, count=1).split()).lstrip(",:;- ")
        return None

    async def _converse(self, message: _Message) -> None:
        incoming = Incoming(
            channel="zalo",
            chat_id=message.chat_id,
            user_id=message.user_id,
            display_name=message.display_name,
            text=message.text,
            is_group=message.is_group,
        )
        try:
            outgoing = await self.conversation.on_text(incoming)
        except Exception:
            log.exception("the conversation failed on a message from zalo chat %s", message.chat_id)
            outgoing = [_text_reply(ERROR_REPLY)]
        await self.deliver(message.chat_id, outgoing)

    @contextlib.asynccontextmanager
    async def _chat_lock(self, chat_id: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users <= 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)

    # -- sending --------------------------------------------------------------------------------------------------

    async def deliver(self, origin: str, outgoing: Iterable[Outgoing]) -> None:
        """Send the core's messages to the chat that wrote, or to the Zalo chat each names; never raises.

        Messages for another channel (a Telegram admin's notification) go through the process's sender for that
        channel, when it has one. A chat that refuses the bot (403) has its contact marked inactive.
        """
        for out in outgoing:
            if out.channel is not None and out.channel != "zalo":
                if out.chat_id is not None:
                    await self.services.send_elsewhere(out.channel, out.chat_id, out)
                continue
            target = out.chat_id or origin
            try:
                await send_outgoing(self.api, target, out)
            except RecipientUnreachable as exc:
                log.info("zalo chat %s refuses messages (%s): marking it inactive", target, exc)
                await self.services.mark_unreachable("zalo", target, by=_FORBIDDEN_ACTOR)
            except (ChannelError, ConfigError) as exc:
                log.warning("could not send a message to zalo chat %s: %s", target, exc)

    # -- polling --------------------------------------------------------------------------------------------------

    async def run_polling(self, stop: asyncio.Event, *, poll_timeout: int = POLL_TIMEOUT) -> None:
        """Long-poll until ``stop`` is set: delete any webhook, then ``getUpdates`` and handle each update in turn.

        Network errors, time-outs, 5xx and flood control back off 1 s, 2 s, 4 s … up to 30 s (longer if Zalo asks);
        other refusals back off too. A rejected token (:class:`ConfigError`) ends polling with that error.
        """
        await self.api.delete_webhook()
        if not self.bot_names:
            await self.identify()
        log.info("Zalo polling started")
        failures = 0
        while not stop.is_set():
            try:
                updates = await _unless_stopped(self.api.get_updates(timeout=poll_timeout), stop)
            except ChannelError as exc:
                failures += 1
                delay = min(self.backoff_max, self.backoff_initial * 2 ** (failures - 1))
                if isinstance(exc, TransientDeliveryError) and exc.retry_after:
                    delay = max(delay, exc.retry_after)
                log.warning("Zalo getUpdates failed (attempt %d: %s); retrying in %.0f s", failures, exc, delay)
                await _sleep_unless_stopped(delay, stop)
                continue
            if updates is None:
                break
            failures = 0
            for update in updates:
                await self.handle_update(update)
        log.info("Zalo polling stopped")

    # -- webhook --------------------------------------------------------------------------------------------------

    def spawn(self, update: Mapping[str, Any]) -> None:
        """Handle an update in the background (the task is kept until done; :meth:`drain` awaits them all)."""
        task = asyncio.create_task(self.handle_update(update), name="zalo-update")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for every update being handled in the background."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


class ZaloChannel:
    """Zalo as a :class:`~bot.channel.ChatChannel`: long polling, or a webhook route on the process's web server."""

    name: Channel = "zalo"

    def __init__(
        self,
        config: ZaloChannelSettings,
        services: Services,
        *,
        admin_user_ids: frozenset[str] = frozenset(),
        poll_timeout: int = POLL_TIMEOUT,
    ) -> None:
        self.config = config
        self.mode: Mode = "webhook" if config.webhook else "polling"
        self.api = ZaloApi(config.token.get_secret_value(), base_url=config.api_base_url)
        self.bot = ZaloBot(services, self.api, admin_user_ids=admin_user_ids)
        self.sender = ZaloSender(self.api)
        self.poll_timeout = poll_timeout
        self._stop = asyncio.Event()
        self._polling: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Check the token (getMe), then register the webhook (with ``ZALO_WEBHOOK_URL``) or start polling."""
        if not self.bot.bot_names:
            await self.bot.identify()
        if self.mode == "webhook":
            if self.config.webhook_url and self.config.webhook_secret is not None:
                await self.api.set_webhook(self.config.webhook_url, self.config.webhook_secret.get_secret_value())
                log.info("Zalo webhook registered")
            return
        await self.api.delete_webhook()
        self._stop.clear()
        self._polling = asyncio.create_task(self._poll(), name="zalo-polling")

    async def _poll(self) -> None:
        try:
            await self.bot.run_polling(self._stop, poll_timeout=self.poll_timeout)
        except ConfigError as exc:
            log.error("Zalo polling stopped: %s", exc)

    async def stop(self) -> None:
        """Stop polling, finish the updates being handled, close the HTTP connections."""
        self._stop.set()
        if self._polling is not None:
            await self._polling
            self._polling = None
        await self.bot.drain()
        await self.api.aclose()

    async def send(self, chat_id: str, outgoing: Outgoing, *, progress: PartProgress | None = None) -> None:
        await self.sender.send(chat_id, outgoing, progress=progress)

    def webhook_route(self) -> WebhookRoute | None:
        if self.mode != "webhook" or self.config.webhook_secret is None:
            return None
        return WebhookRoute(
            channel="zalo",
            path=self.config.webhook_path,
            secret_header=WEBHOOK_SECRET_HEADER,
            secret=self.config.webhook_secret.get_secret_value(),
            accept=self._accept,
        )

    def _accept(self, body: dict[str, Any]) -> None:
        update = unwrap_update(body)
        if not update:
            raise InvalidUpdate("no update in the body")
        self.bot.spawn(update)


# -- reminders ------------------------------------------------------------------------------------------------------


class ZaloSender:
    """The scheduler's :class:`~scheduler.delivery.Sender` for Zalo: at most one message per second to a chat.

    Errors are those of :class:`ZaloApi`, except a rejected token, which becomes a
    :class:`~scheduler.delivery.TransientDeliveryError`: the reminders stay queued until the token is fixed.
    """

    def __init__(self, api: ZaloApi, *, per_chat_interval: float = PER_CHAT_INTERVAL) -> None:
        self.api = api
        self.pacer = ChatPacer(per_chat_interval)

    async def send(self, chat_id: str, outgoing: Outgoing, *, progress: PartProgress | None = None) -> None:
        """Send every part of ``outgoing`` to ``chat_id``; raises :class:`~scheduler.delivery.DeliveryError`s.

        With ``progress``, parts accepted before are skipped and each accepted part is reported.
        """
        progress = progress or PartProgress()
        async with self.pacer.chat(chat_id) as pace:
            for index, chunk in enumerate(render_zalo(outgoing)):
                if not progress.pending(index):
                    continue
                await pace()
                try:
                    await self.api.send_message(chat_id, chunk)
                except ConfigError as exc:  # a rejected token: the scheduler retries DeliveryErrors later
                    raise TransientDeliveryError(f"zalo chat {chat_id}: {exc}") from exc
                await progress.accepted()


async def send_outgoing(api: ZaloApi, chat_id: str, outgoing: Outgoing) -> None:
    """Send ``outgoing`` to ``chat_id`` as :func:`render_zalo` messages, in order."""
    chunks = render_zalo(outgoing)
    if not chunks:
        log.warning("the core produced an empty reply for zalo chat %s; nothing sent", chat_id)
    for chunk in chunks:
        await api.send_message(chat_id, chunk)


# -- helpers --------------------------------------------------------------------------------------------------------


def _id(value: object) -> str | None:
    """Zalo ids are strings; numbers are accepted and stringified."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value) or None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _describe(update: Mapping[str, Any]) -> str:
    """A short, log-safe description of an update (its event and message id, not its text)."""
    message = update.get("message")
    message_id = message.get("message_id") if isinstance(message, dict) else None
    return f"event {update.get('event_name')!r}, message {message_id!r}"


async def _unless_stopped(call: Awaitable[T], stop: asyncio.Event) -> T | None:
    """Await ``call`` unless ``stop`` is set first (then cancel it and return None)."""
    task = asyncio.ensure_future(call)
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for pending in (task, stopper):
            if not pending.done():
                pending.cancel()
        await asyncio.gather(task, stopper, return_exceptions=True)
    if task.cancelled():
        return None
    return task.result()


async def _sleep_unless_stopped(delay: float, stop: asyncio.Event) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), delay)
