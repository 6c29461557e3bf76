"""The Zalo adapter: Zalo Bot Platform updates in, :class:`~bot.conversation.Conversation` replies out.

The Zalo Bot Platform is modelled on Telegram's Bot API (``{base}/bot{token}/{method}``, JSON in, ``{ok, result,
description, error_code}`` out; ids are strings, texts are 1-2000 characters) but has no inline buttons. So this
adapter is thinner than the Telegram one:

* :class:`ZaloApi` is a small typed client over one :class:`httpx.AsyncClient`; it translates HTTP errors at the edge
  into the project's errors (401 → :class:`~knowledge.errors.ConfigError`, 403 →
  :class:`~scheduler.delivery.RecipientUnreachable`, 429/5xx/network/time-outs →
  :class:`~scheduler.delivery.TransientDeliveryError`, other 4xx → :class:`~scheduler.delivery.DeliveryError`).
* :func:`render_zalo` renders an :class:`Outgoing` as plain text, its buttons as a numbered list ("1. …") numbered
  row by row as the core numbers them, split on line boundaries into messages of at most 2000 characters. A user
  answers with the number and the core picks the choice.
* :class:`ZaloBot` turns updates into :class:`~bot.conversation.Incoming` values, asks the conversation, and sends
  the replies; it long-polls (:meth:`ZaloBot.run_polling`, for development) or serves a webhook
  (:meth:`ZaloBot.run_webhook`, for production, a small tornado server checking ``X-Bot-Api-Secret-Token``).
* What Zalo sends (its docs and its SDK, python-zalo-bot): a webhook body WRAPS the update as ``{"ok": true,
  "result": {"event_name": …, "message": …}}``; getUpdates returns ONE update object as ``result`` and error 408
  when the long poll ended with nothing new. :func:`unwrap_update` and :func:`updates_in` read those shapes and the
  bare/list variants too (see ``tests/fakes/zalo_api.py`` for the sources of every shape).
* :class:`ZaloSender` delivers reminders (the scheduler's :class:`~scheduler.delivery.Sender` protocol).
* :func:`serve_zalo` is the entry point: it opens what it needs, runs polling or the webhook, and closes it all.

Group chats: the bot answers only messages that start with ``/`` (commands) or mention the bot by its display name
or account name (``@Trợ lý nhiệm vụ …``; the mention is removed before the core sees the text). Everything else in
a group is ignored, so the bot does not answer every remark made in a group it was added to.

The bot token is part of every request URL: it never appears in this module's log lines or error messages, and
:func:`serve_zalo` raises the ``httpx`` logger to WARNING (its INFO lines print request URLs).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final, Self, TypeVar

import httpx
from tornado import httpserver, netutil, web

from bot.conversation import Conversation, Incoming
from bot.runtime import Runtime
from bot.services import Services
from bot.settings import Settings
from knowledge.errors import ChannelError, ConfigError
from knowledge.reply import Button, Fragment, Line, Outgoing, Reply
from scheduler.delivery import ChatPacer, DeliveryError, RecipientUnreachable, TransientDeliveryError

__all__ = [
    "CHOICE_PROMPT",
    "ERROR_REPLY",
    "MAX_TEXT",
    "OFFICIAL_BASE_URL",
    "WEBHOOK_PATH",
    "WEBHOOK_SECRET_HEADER",
    "ZaloApi",
    "ZaloBot",
    "ZaloSender",
    "ZaloWebhookServer",
    "render_zalo",
    "send_outgoing",
    "serve_zalo",
    "unwrap_update",
    "updates_in",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

OFFICIAL_BASE_URL: Final = "https://bot-api.zaloplatforms.com"
MAX_TEXT: Final = 2000  # characters per message
CHOICE_PROMPT: Final = "Trả lời bằng số để chọn:"
ERROR_REPLY: Final = "Đã có lỗi xảy ra, vui lòng thử lại sau."
WEBHOOK_PATH: Final = "/zalo/webhook"
WEBHOOK_SECRET_HEADER: Final = "X-Bot-Api-Secret-Token"
TEXT_EVENT: Final = "message.text.received"
NO_TOKEN_MESSAGE: Final = "Chưa cấu hình ZALO_BOT_TOKEN."
BAD_TOKEN_MESSAGE: Final = "ZALO_BOT_TOKEN không hợp lệ: Zalo từ chối mã truy cập của bot. Hãy kiểm tra lại token."
POLL_TIMEOUT: Final = 30  # seconds a getUpdates long poll may wait on the server
REQUEST_TIMEOUT: Final = 10.0  # seconds for every other call
BACKOFF_INITIAL: Final = 1.0
BACKOFF_MAX: Final = 30.0
PER_CHAT_INTERVAL: Final = 1.0  # ZaloSender: at most one message per second to the same chat
_FORBIDDEN_ACTOR: Final = "zalo:forbidden"
_MIN_SECRET, _MAX_SECRET = 8, 256  # what setWebhook accepts as secret_token
_DESCRIPTION_LIMIT = 300


# -- the API client -------------------------------------------------------------------------------------------------


class ZaloApi:
    """A small typed client of the Zalo Bot Platform over one :class:`httpx.AsyncClient`.

    Every method raises the project's errors (see the module docstring); none of them logs or repeats the token.
    Close it with :meth:`aclose` (or use ``async with``).
    """

    def __init__(
        self,
        token: str,
        *,
        base_url: str = OFFICIAL_BASE_URL,
        timeout: float = REQUEST_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        token = token.strip()
        if not token:
            raise ConfigError("ZALO_BOT_TOKEN is not set", user_message=NO_TOKEN_MESSAGE)
        self._token = token
        self.base_url = base_url.strip().rstrip("/") or OFFICIAL_BASE_URL
        self.timeout = timeout
        self._http = httpx.AsyncClient(
            base_url=f"{self.base_url}/bot{token}/", timeout=httpx.Timeout(timeout), transport=transport
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> ZaloApi:
        """The client named by ``ZALO_BOT_TOKEN`` and ``ZALO_API_BASE_URL``; ConfigError without a token."""
        return cls(_token(settings), base_url=settings.zalo_api_base_url)

    def __repr__(self) -> str:
        return f"ZaloApi(base_url={self.base_url!r})"  # never the token

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._http.aclose()

    # -- methods --------------------------------------------------------------------------------------------------

    async def get_me(self) -> dict[str, Any]:
        """The bot's own account (``id``, ``account_name``, ``display_name``, …)."""
        result = await self._call("getMe")
        return result if isinstance(result, dict) else {}

    async def get_updates(self, timeout: int) -> list[dict[str, Any]]:  # noqa: ASYNC109 - the long-poll parameter
        """Long-poll for updates, waiting up to ``timeout`` seconds on the server; what it returns is consumed.

        The platform returns ONE update object as ``result`` and error 408 when nothing arrived in time; a list, an
        empty result and the 408 are all read (see :func:`updates_in`), so a change of shape never drops an update.
        """
        try:
            result = await self._call("getUpdates", {"timeout": timeout}, wait=timeout + self.timeout)
        except TransientDeliveryError as exc:
            if exc.status == 408:  # "Request timeout": the long poll ended with nothing new
                return []
            raise
        return updates_in(result)

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        """Send a text (1-2000 characters) to a chat; returns ``{message_id, date}``."""
        result = await self._call("sendMessage", {"chat_id": chat_id, "text": text}, chat_id=chat_id)
        return result if isinstance(result, dict) else {}

    async def set_webhook(self, url: str, secret: str) -> None:
        """Have Zalo POST updates to ``url`` (https) with ``secret`` (8-256 characters) in the secret header."""
        await self._call("setWebhook", {"url": url, "secret_token": secret})

    async def delete_webhook(self) -> None:
        """Stop webhook delivery (needed before ``getUpdates``)."""
        await self._call("deleteWebhook")

    # -- plumbing -------------------------------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        *,
        wait: float | None = None,
        chat_id: str | None = None,
    ) -> Any:
        where = f"zalo {method}" + (f" to chat {chat_id}" if chat_id is not None else "")
        request_timeout = httpx.Timeout(wait) if wait is not None else httpx.USE_CLIENT_DEFAULT
        try:
            response = await self._http.post(method, json=dict(params or {}), timeout=request_timeout)
        except httpx.TimeoutException as exc:
            raise TransientDeliveryError(f"{where}: timed out ({type(exc).__name__})") from exc
        except httpx.RequestError as exc:  # connection refused or reset, DNS, protocol and decoding errors
            raise TransientDeliveryError(f"{where}: network error: {self._redact(exc)}") from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = {}
        status = response.status_code
        if status < 300 and body.get("ok") is True:
            return body.get("result")
        if status < 300:  # HTTP 200 with {"ok": false}: the error code is in the body
            code = body.get("error_code")
            status = code if isinstance(code, int) and code >= 400 else 500
        description = self._redact(body.get("description") or response.reason_phrase or "")
        message = f"{where} failed ({status}): {description}"
        if status == 401:
            raise ConfigError(f"{where}: the bot token was rejected (401)", user_message=BAD_TOKEN_MESSAGE)
        if status == 403:
            raise RecipientUnreachable(message)
        if status == 429:
            raise TransientDeliveryError(message, retry_after=_retry_after(body), status=status)
        if status == 408 or status >= 500:
            raise TransientDeliveryError(message, status=status)
        raise DeliveryError(message)

    def _redact(self, value: object) -> str:
        return str(value).replace(self._token, "<token>")[:_DESCRIPTION_LIMIT]


def updates_in(result: object) -> list[dict[str, Any]]:
    """The updates in a getUpdates ``result``: one object (what the platform sends), a list of them, or nothing."""
    if isinstance(result, dict):
        return [result] if result else []
    if isinstance(result, list):
        return [update for update in result if isinstance(update, dict) and update]
    return []


def unwrap_update(body: object) -> dict[str, Any] | None:
    """The update in a webhook body: Zalo posts ``{"ok": true, "result": {update}}``; a bare update is accepted too."""
    if not isinstance(body, dict):
        return None
    result = body.get("result")
    if isinstance(result, dict) and ("event_name" not in body and "message" not in body):
        return result
    return body


def _retry_after(body: Mapping[str, Any]) -> float | None:
    parameters = body.get("parameters")
    value = parameters.get("retry_after") if isinstance(parameters, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


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
            message = self._message(unwrapped) if unwrapped is not None else None
            if message is None:
                return
            async with self._chat_lock(message.chat_id):
                await self._converse(message)
        except Exception:
            log.exception("could not handle a Zalo update (%s)", _describe(update))

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
                await self._deactivate(target)
            except (ChannelError, ConfigError) as exc:
                log.warning("could not send a message to zalo chat %s: %s", target, exc)

    async def _deactivate(self, chat_id: str) -> None:
        try:
            services = self.services
            contact = await services.db(services.contacts.get, "zalo", chat_id)
            if contact is None or not contact.active:
                return
            await services.db(services.contacts.deactivate, "zalo", chat_id, by=_FORBIDDEN_ACTOR, now=services.now())
            log.info("contact zalo:%s marked inactive: the chat refuses the bot's messages", chat_id)
        except Exception:
            log.exception("could not mark zalo chat %s inactive", chat_id)

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
                log.warning("Zalo getUpdates failed (%s); retrying in %.0f s", exc, delay)
                await _sleep_unless_stopped(delay, stop)
                continue
            if updates is None:
                break
            failures = 0
            for update in updates:
                await self.handle_update(update)
        log.info("Zalo polling stopped")

    # -- webhook --------------------------------------------------------------------------------------------------

    async def start_webhook(
        self,
        host: str,
        port: int,
        path: str = WEBHOOK_PATH,
        *,
        secret: str,
        public_url: str | None = None,
    ) -> ZaloWebhookServer:
        """Listen on ``host:port`` (0 picks a free port) and, with ``public_url``, register it with Zalo."""
        _check_secret(secret)
        if not self.bot_names:
            await self.identify()
        server = ZaloWebhookServer(self, host=host, port=port, path=path, secret=secret)
        try:
            if public_url:
                await self.api.set_webhook(public_url, secret)
                log.info("Zalo webhook registered")
        except BaseException:
            await server.close()
            raise
        return server

    async def run_webhook(
        self,
        host: str,
        port: int,
        path: str = WEBHOOK_PATH,
        *,
        secret: str,
        public_url: str | None = None,
        stop: asyncio.Event,
    ) -> None:
        """Serve the webhook until ``stop`` is set, then finish the updates in progress."""
        server = await self.start_webhook(host, port, path, secret=secret, public_url=public_url)
        try:
            await stop.wait()
        finally:
            await server.close()

    def spawn(self, update: Mapping[str, Any]) -> None:
        """Handle an update in the background (the task is kept until done; :meth:`drain` awaits them all)."""
        task = asyncio.create_task(self.handle_update(update), name="zalo-update")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for every update being handled in the background."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


class ZaloWebhookServer:
    """The webhook endpoint: a tornado HTTP server with one POST handler. Stop it with :meth:`close`."""

    def __init__(self, bot: ZaloBot, *, host: str, port: int, path: str, secret: str) -> None:
        self.bot = bot
        self.path = path
        app = web.Application([(re.escape(path), _WebhookHandler, {"bot": bot, "secret": secret})])
        self._server = httpserver.HTTPServer(app, xheaders=True)
        sockets = netutil.bind_sockets(port, address=host or None, family=socket.AF_UNSPEC)
        self.port: int = sockets[0].getsockname()[1]
        self._server.add_sockets(sockets)
        log.info("Zalo webhook listening on %s:%d%s", host, self.port, path)

    async def close(self) -> None:
        """Stop accepting requests, close open connections, and finish the updates already accepted."""
        self._server.stop()
        await self._server.close_all_connections()
        await self.bot.drain()


class _WebhookHandler(web.RequestHandler):
    """``POST /zalo/webhook``: check the secret, parse the update, answer 200 at once, handle it in the background."""

    bot: ZaloBot
    secret: bytes

    def initialize(self, bot: ZaloBot, secret: str) -> None:
        self.bot = bot
        self.secret = secret.encode("utf-8")

    def post(self, *args: str, **kwargs: str) -> None:
        given = self.request.headers.get(WEBHOOK_SECRET_HEADER, "").encode("utf-8")
        if not hmac.compare_digest(given, self.secret):
            log.warning("Zalo webhook: refused a request without the right secret from %s", self.request.remote_ip)
            self._answer(403, "forbidden")
            return
        try:
            update = unwrap_update(json.loads(self.request.body))
        except (ValueError, UnicodeDecodeError, RecursionError):  # not JSON, or nested too deep to read
            update = None
        if update is None:
            self._answer(400, "invalid JSON update")
            return
        self.bot.spawn(update)
        self._answer(200, "")

    def _answer(self, status: int, description: str) -> None:
        self.set_status(status)
        body: dict[str, Any] = {"ok": status == 200}
        if description:
            body["description"] = description
        self.finish(body)


# -- reminders ------------------------------------------------------------------------------------------------------


class ZaloSender:
    """The scheduler's :class:`~scheduler.delivery.Sender` for Zalo: at most one message per second to a chat.

    Errors are those of :class:`ZaloApi`, except a rejected token, which becomes a
    :class:`~scheduler.delivery.TransientDeliveryError`: the reminders stay queued until the token is fixed.
    """

    def __init__(self, api: ZaloApi, *, per_chat_interval: float = PER_CHAT_INTERVAL) -> None:
        self.api = api
        self.pacer = ChatPacer(per_chat_interval)

    async def send(self, chat_id: str, outgoing: Outgoing) -> None:
        """Send every part of ``outgoing`` to ``chat_id``; raises :class:`~scheduler.delivery.DeliveryError`s."""
        async with self.pacer.chat(chat_id) as pace:
            for chunk in render_zalo(outgoing):
                await pace()
                try:
                    await self.api.send_message(chat_id, chunk)
                except ConfigError as exc:  # a rejected token: the scheduler retries DeliveryErrors later
                    raise TransientDeliveryError(f"zalo chat {chat_id}: {exc}") from exc


async def send_outgoing(api: ZaloApi, chat_id: str, outgoing: Outgoing) -> None:
    """Send ``outgoing`` to ``chat_id`` as :func:`render_zalo` messages, in order."""
    chunks = render_zalo(outgoing)
    if not chunks:
        log.warning("the core produced an empty reply for zalo chat %s; nothing sent", chat_id)
    for chunk in chunks:
        await api.send_message(chat_id, chunk)


# -- running --------------------------------------------------------------------------------------------------------


async def serve_zalo(
    settings: Settings, *, listen: str | None, stop: asyncio.Event, services: Services | None = None
) -> None:
    """Run the Zalo bot until ``stop`` is set: a webhook server on ``listen`` (``host:port``), else long polling.

    Needs ``ZALO_BOT_TOKEN`` (and ``ZALO_WEBHOOK_SECRET`` for the webhook; with ``ZALO_WEBHOOK_URL`` the webhook is
    registered with Zalo at start). Opens the runtime and services unless ``services`` is given, and closes
    everything it opened.
    """
    token = _token(settings)
    address: tuple[str, int] | None = None
    secret = ""
    if listen is not None:
        address = _listen_address(listen)
        secret = _webhook_secret(settings)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the bot token in the URL
    runtime: Runtime | None = None
    try:
        if services is None:
            runtime = await asyncio.to_thread(Runtime.open, settings)
            services = await asyncio.to_thread(Services, runtime)
        async with ZaloApi(token, base_url=settings.zalo_api_base_url) as api:
            bot = ZaloBot(services, api, admin_user_ids=frozenset(str(i) for i in settings.admin_ids))
            if address is None:
                await bot.run_polling(stop)
            else:
                host, port = address
                await bot.run_webhook(host, port, secret=secret, public_url=settings.zalo_webhook_url, stop=stop)
    finally:
        if runtime is not None:
            await asyncio.to_thread(runtime.close)


def _token(settings: Settings) -> str:
    secret = settings.zalo_bot_token
    token = secret.get_secret_value().strip() if secret is not None else ""
    if not token:
        raise ConfigError("ZALO_BOT_TOKEN is not set", user_message=NO_TOKEN_MESSAGE)
    return token


def _webhook_secret(settings: Settings) -> str:
    secret = settings.zalo_webhook_secret.get_secret_value() if settings.zalo_webhook_secret is not None else ""
    if not secret:
        raise ConfigError(
            "ZALO_WEBHOOK_SECRET is required in webhook mode",
            user_message="Chế độ webhook Zalo cần ZALO_WEBHOOK_SECRET (chuỗi bí mật 8–256 ký tự).",
        )
    _check_secret(secret)
    return secret


def _check_secret(secret: str) -> None:
    if not _MIN_SECRET <= len(secret) <= _MAX_SECRET:
        raise ConfigError(
            f"ZALO_WEBHOOK_SECRET must be {_MIN_SECRET}-{_MAX_SECRET} characters",
            user_message=f"ZALO_WEBHOOK_SECRET phải dài từ {_MIN_SECRET} đến {_MAX_SECRET} ký tự.",
        )


def _listen_address(listen: str) -> tuple[str, int]:
    """``"0.0.0.0:8080"`` or ``"[::]:8080"`` → host and port."""
    host, sep, port = listen.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ConfigError(
            f"invalid listen address {listen!r}",
            user_message=f"Địa chỉ lắng nghe “{listen}” không hợp lệ; dùng dạng host:port, ví dụ 0.0.0.0:8080.",
        )
    return host, int(port)


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
