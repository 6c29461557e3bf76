"""A local fake of the Zalo Bot Platform API, served over real HTTP for tests.

The Zalo Bot Platform (official base ``https://bot-api.zaloplatforms.com``) is modelled on
Telegram's Bot API: a client calls ``{base}/bot{token}/{method}`` with GET or POST, parameters
in a JSON body, a form body or the query string, and gets ``{"ok": true, "result": ...}`` or
``{"ok": false, "error_code": N, "description": "..."}`` back.  Differences from Telegram that
matter to a client: every id (bot, user, chat, message) is a string, dates are Unix
*milliseconds*, ``getUpdates`` has no offset confirmation (whatever a call returns is gone), and
a message's text must be 1-2000 characters.

Like :mod:`tests.fakes.telegram_api`, the fake runs a :class:`http.server.ThreadingHTTPServer`
on ``127.0.0.1`` (ephemeral port) in a background thread, so synchronous tests and async
clients on the test's own event loop can both use it::

    with FakeZalo() as fake:
        httpx.post(f"{fake.url}/bot{fake.token}/sendMessage", json={"chat_id": "42", "text": "hi"})
        assert fake.sent[0].text == "hi"

The fake never delivers webhooks itself: a webhook test builds an update with
:meth:`FakeZalo.make_update` and POSTs it to the bot, with the :data:`WEBHOOK_SECRET_HEADER`
header set to :attr:`FakeZalo.webhook_secret`.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

JSONDict = dict[str, Any]
_Method = Callable[[JSONDict], Any]

OFFICIAL_BASE_URL = "https://bot-api.zaloplatforms.com"
WEBHOOK_SECRET_HEADER = "X-Bot-Api-Secret-Token"  # the header Zalo sends with each webhook POST
MAX_TEXT_LENGTH = 2000
CHAT_TYPES = ("PRIVATE", "GROUP")
_TEXT_ERROR = f"Bad Request: text must be 1-{MAX_TEXT_LENGTH} characters"
_BLOCKED = "Forbidden: the user has blocked the bot"
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: _BLOCKED,
    404: "Not Found",
    408: "Request Timeout",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)


class ApiError(Exception):
    """A Bot API error answer: HTTP ``status`` with ``{"ok": false, ...}``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> JSONDict:
        """Return the JSON body the platform sends for this error."""
        out: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            out["parameters"] = {"retry_after": self.retry_after}
        return out


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class ZaloSent:
    """One successful sendMessage/sendPhoto call, as the bot sent it (``text`` is the caption for photos)."""

    method: str
    chat_id: str
    text: str
    message_id: str
    photo: str | None = None


@dataclass
class _Fault:
    status: int
    description: str
    retry_after: int | None
    delay: float


# --------------------------------------------------------------------------- request decoding


def _decode_params(content_type: str, body: bytes, query: str) -> JSONDict:
    """Merge the query string with a JSON or form body (the body wins on clashes)."""
    params: JSONDict = dict(parse_qsl(query, keep_blank_values=True))
    if not body:
        return params
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        try:
            loaded = json.loads(body)
        except ValueError:
            raise _bad("can't parse JSON body") from None
        if not isinstance(loaded, dict):
            raise _bad("JSON body must be an object")
        params.update(loaded)
    elif kind in ("application/x-www-form-urlencoded", ""):
        try:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise _bad("can't decode form body as UTF-8") from None
    else:
        raise _bad(f"unsupported Content-Type {kind}")
    return params


def _id_param(params: JSONDict, key: str) -> str | None:
    """A string id parameter (ints from JSON are accepted and stringified); None when missing/empty."""
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value) or None


# --------------------------------------------------------------------------- HTTP plumbing


class _Handler(BaseHTTPRequestHandler):
    """One HTTP/1.0 request per connection; hands everything to :meth:`FakeZalo.dispatch`."""

    protocol_version = "HTTP/1.0"
    timeout = 10

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        """Serve a POST."""
        self._serve()

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        """Serve a GET."""
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from base
        """Keep test output quiet."""

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _serve(self) -> None:
        server = self.server
        assert isinstance(server, _Server)
        try:
            body = self._read_body()
            status, payload = server.fake.dispatch(self.path, self.headers.get("Content-Type", ""), body)
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the client gave up (e.g. a cancelled long poll); nothing to answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many concurrent clients (benchmarks, reminder fan-out) must not be reset
    block_on_close = True  # server_close() joins handler threads: no leaks between tests

    def __init__(self, fake: FakeZalo) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Network errors from vanished clients are expected; stay quiet."""


# --------------------------------------------------------------------------- the fake


class FakeZalo:
    """A fake Zalo Bot Platform API server.  Use ``with``/``async with`` or :meth:`start`/:meth:`stop`."""

    def __init__(self, token: str = "1234567890:zalo-test-token", *, bot_name: str = "Trợ lý nhiệm vụ") -> None:
        self.token = token
        self.bot_name = bot_name
        prefix = token.split(":", 1)[0]
        self.bot_id = prefix if prefix.isdigit() else "1234567890"
        self.account_name = f"bot.{self.bot_id}"
        self.url = ""
        self.sent: list[ZaloSent] = []
        self.calls: list[tuple[str, JSONDict]] = []
        self.internal_errors: list[BaseException] = []  # bugs in the fake itself (answered 500)
        self.webhook_url = ""
        self.webhook_secret = ""
        self._webhook_updated_at = 0
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._updates: list[JSONDict] = []
        self._next_message = 0
        self._faults: dict[str, list[_Fault]] = {}
        self._blocked: set[str] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._methods: dict[str, _Method] = {
            "getme": lambda p: self.bot_info(),
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": lambda p: self._webhook_info(),
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "sendchataction": self._send_chat_action,
        }

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        """Bind 127.0.0.1 on an ephemeral port and serve in a background thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self)
        host, port = self._server.server_address[:2]
        self.url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="FakeZalo", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake pending long polls (they answer ``[]``), stop serving and join every server thread."""
        if self._server is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return self.start()

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await asyncio.to_thread(self.stop)

    # ----------------------------------------------------------------- test-side API

    def bot_info(self) -> JSONDict:
        """The ``getMe`` result."""
        return {"id": self.bot_id, "account_name": self.account_name, "account_type": "BASIC",
                "can_join_groups": False, "display_name": self.bot_name}

    def make_update(
        self, chat_id: str, text: str, *, user_id: str | None = None, display_name: str = "Cán bộ",
        chat_type: str = "PRIVATE", message_id: str | None = None, date: int | None = None,
    ) -> JSONDict:
        """Build a ``message.text.received`` update (not queued); ``user_id`` defaults to ``chat_id``."""
        if chat_type not in CHAT_TYPES:
            raise ValueError(f"chat_type must be one of {CHAT_TYPES}, not {chat_type!r}")
        if message_id is None:
            with self._cond:
                message_id = self._new_message_id()
        return {
            "event_name": "message.text.received",
            "message": {
                "from": {"id": str(chat_id if user_id is None else user_id), "display_name": display_name,
                         "is_bot": False},
                "chat": {"id": str(chat_id), "chat_type": chat_type},
                "text": text,
                "message_id": message_id,
                "date": _now_ms() if date is None else date,
            },
        }

    def push_update(self, update: JSONDict) -> None:
        """Queue a raw update for the next getUpdates (e.g. an image or sticker event)."""
        with self._cond:
            self._updates.append(update)
            self._cond.notify_all()

    def push_text(
        self, chat_id: str, text: str, *, user_id: str | None = None, display_name: str = "Cán bộ",
        chat_type: str = "PRIVATE",
    ) -> str:
        """Queue a user's text message; return its message_id."""
        update = self.make_update(chat_id, text, user_id=user_id, display_name=display_name, chat_type=chat_type)
        self.push_update(update)
        return str(update["message"]["message_id"])

    def fail_next(
        self, method: str, *, status: int, description: str = "", retry_after: int | None = None,
        times: int = 1, delay: float = 0.0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with HTTP ``status``.

        429 answers carry ``parameters.retry_after`` (default 1); 403 defaults to
        ``Forbidden: the user has blocked the bot``.  ``delay`` sleeps before answering (to
        provoke client timeouts); a ``status`` below 300 only delays the call.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        description = description or (f"Too Many Requests: retry after {retry_after}" if status == 429
                                       else _DEFAULT_DESCRIPTIONS.get(status, f"Error {status}"))
        with self._cond:
            queue = self._faults.setdefault(method.lower(), [])
            queue.extend(_Fault(status, description, retry_after, delay) for _ in range(times))

    def block_chat(self, chat_id: str) -> None:
        """Make sends to ``chat_id`` answer 403 ``Forbidden: the user has blocked the bot``."""
        with self._cond:
            self._blocked.add(str(chat_id))

    def unblock_chat(self, chat_id: str) -> None:
        """Undo :meth:`block_chat`."""
        with self._cond:
            self._blocked.discard(str(chat_id))

    @property
    def pending_updates(self) -> int:
        """Updates queued and not yet returned by getUpdates."""
        with self._cond:
            return len(self._updates)

    async def wait_for_sent(
        self, count: int, timeout: float = 5.0  # noqa: ASYNC109 - a plain deadline suits tests best
    ) -> list[ZaloSent]:
        """Wait (without blocking the event loop) until at least ``count`` messages were sent."""
        deadline = time.monotonic() + timeout
        while len(self.sent) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"expected {count} sent messages, got {len(self.sent)}: {self.sent}")
            await asyncio.sleep(0.01)
        return list(self.sent)

    def wait_for_sent_sync(self, count: int, timeout: float = 5.0) -> list[ZaloSent]:
        """Blocking variant of :meth:`wait_for_sent` for synchronous tests."""
        deadline = time.monotonic() + timeout
        while len(self.sent) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"expected {count} sent messages, got {len(self.sent)}: {self.sent}")
            time.sleep(0.01)
        return list(self.sent)

    # ----------------------------------------------------------------- dispatch

    def dispatch(self, path: str, content_type: str, body: bytes) -> tuple[int, JSONDict]:
        """Answer one HTTP request: return ``(status, json_body)``.  Runs in a server thread."""
        parts = urlsplit(path)
        m = re.fullmatch(r"/bot([^/]+)/([A-Za-z0-9_]+)/?", parts.path)
        if m is None:
            return 404, ApiError(404, "Not Found").body()
        if m.group(1) != self.token:
            return 401, ApiError(401, "Unauthorized").body()
        method = m.group(2)
        try:
            params = _decode_params(content_type, body, parts.query)
            with self._cond:
                self.calls.append((method, dict(params)))
                queue = self._faults.get(method.lower())
                fault = queue.pop(0) if queue else None
            if fault is not None:
                if fault.delay > 0:
                    self._stopping.wait(fault.delay)
                if fault.status >= 300:
                    raise ApiError(fault.status, fault.description, fault.retry_after)
            handler = self._methods.get(method.lower())
            if handler is None:
                raise ApiError(404, "Not Found")
            result = handler(params)
        except ApiError as exc:
            return exc.status, exc.body()
        except Exception as exc:  # a bug in the fake: surface it to the test, answer 500
            self.internal_errors.append(exc)
            return 500, ApiError(500, f"Internal Server Error: {exc!r}").body()
        return 200, {"ok": True, "result": result}

    # ----------------------------------------------------------------- helpers

    def _new_message_id(self) -> str:
        """A fresh, non-numeric message id (caller holds the lock)."""
        self._next_message += 1
        return f"msg{self._next_message:06d}"

    def _target_chat(self, params: JSONDict) -> str:
        chat_id = _id_param(params, "chat_id")
        if chat_id is None:
            raise _bad("chat_id is required")
        with self._cond:
            if chat_id in self._blocked:
                raise ApiError(403, _BLOCKED)
        return chat_id

    def _record(self, method: str, chat_id: str, text: str, photo: str | None = None) -> JSONDict:
        with self._cond:
            message_id = self._new_message_id()
            self.sent.append(ZaloSent(method=method, chat_id=chat_id, text=text, message_id=message_id,
                                      photo=photo))
        return {"message_id": message_id, "date": _now_ms()}

    def _webhook_info(self) -> JSONDict:
        with self._cond:
            return {"url": self.webhook_url, "updated_at": self._webhook_updated_at}

    # ----------------------------------------------------------------- Bot API methods

    def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self.webhook_url:
            raise ApiError(409, _WEBHOOK_CONFLICT)
        raw = params.get("timeout")
        try:
            timeout = float(raw) if raw not in (None, "") else 0.0
        except (TypeError, ValueError):
            raise _bad("timeout must be a number of seconds") from None
        with self._cond:
            self._cond.wait_for(lambda: bool(self._updates) or self._stopping.is_set(), max(timeout, 0.0))
            updates, self._updates = self._updates, []
        return updates

    def _set_webhook(self, params: JSONDict) -> JSONDict:
        url = params.get("url")
        secret = params.get("secret_token")
        if not isinstance(url, str) or not url.startswith("https://"):
            raise _bad("url must be an HTTPS URL")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            raise _bad("secret_token must be 8-256 characters")
        with self._cond:
            self.webhook_url, self.webhook_secret = url, secret
            self._webhook_updated_at = _now_ms()
        return self._webhook_info()

    def _delete_webhook(self, params: JSONDict) -> JSONDict:
        with self._cond:
            self.webhook_url = self.webhook_secret = ""
            self._webhook_updated_at = _now_ms()
        return self._webhook_info()

    def _send_message(self, params: JSONDict) -> JSONDict:
        chat_id = self._target_chat(params)
        text = params.get("text")
        if isinstance(text, int | float) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT_LENGTH:
            raise ApiError(400, _TEXT_ERROR)
        return self._record("sendMessage", chat_id, text)

    def _send_photo(self, params: JSONDict) -> JSONDict:
        chat_id = self._target_chat(params)
        photo = params.get("photo")
        if not isinstance(photo, str) or not re.match(r"https?://\S+$", photo):
            raise _bad("photo must be an http(s) URL")
        caption = params.get("caption")
        if caption is None:
            caption = ""
        if not isinstance(caption, str) or len(caption) > MAX_TEXT_LENGTH:
            raise _bad(f"caption must be at most {MAX_TEXT_LENGTH} characters")
        return self._record("sendPhoto", chat_id, caption, photo=photo)

    def _send_chat_action(self, params: JSONDict) -> bool:
        self._target_chat(params)
        if params.get("action") not in ("typing", "upload_photo"):
            raise _bad("action must be typing or upload_photo")
        return True
