"""Shared scaffolding for the fake chat-platform Bot API servers used in tests.

:class:`HttpFake` is the base of :class:`tests.fakes.telegram_api.FakeTelegram` and
:class:`tests.fakes.zalo_api.FakeZalo`.  It runs a :class:`http.server.ThreadingHTTPServer` on
``127.0.0.1`` (ephemeral port) in a background thread and owns everything the platforms have in
common: start/stop and the (async) context managers, the ``/bot{token}/{method}`` routing with
``{"ok": ...}`` answers, call logging, fault injection (:meth:`HttpFake.fail_next`,
:meth:`HttpFake.block_chat`), the long-poll condition variable and the ``wait_for_sent`` helpers.
A subclass supplies the platform's specifics: how a request body is decoded, which methods exist
and how they validate, and its default error texts.
"""

from __future__ import annotations

import abc
import asyncio
import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar
from urllib.parse import urlsplit

JSONDict = dict[str, Any]
SentT = TypeVar("SentT")
ChatT = TypeVar("ChatT")


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


def bad_request(description: str) -> ApiError:
    """A 400 ``Bad Request: {description}`` error."""
    return ApiError(400, f"Bad Request: {description}")


@dataclass
class Fault:
    """One injected failure (or delay) for the next call of a method."""

    status: int
    description: str
    retry_after: int | None
    delay: float


# --------------------------------------------------------------------------- HTTP plumbing


class _Handler(BaseHTTPRequestHandler):
    """One HTTP/1.0 request per connection; hands everything to :meth:`HttpFake.dispatch`."""

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
            raw = server.fake.raw_response(self.path)
            if raw is not None:  # a file download, not an API call
                status, data, content_type = raw
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            status, payload = server.fake.dispatch(self.path, self.headers.get("Content-Type", ""), body)
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", server.fake.response_content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the client gave up (e.g. a cancelled long poll); nothing to answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many concurrent clients (benchmarks, reminder fan-out) must not be reset
    block_on_close = True  # server_close() joins handler threads: no leaks between tests

    def __init__(self, fake: HttpFake[Any, Any]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Network errors from vanished clients are expected; stay quiet."""


# --------------------------------------------------------------------------- the base fake


class HttpFake(abc.ABC, Generic[SentT, ChatT]):
    """Base of a fake Bot API server.  Use ``with``/``async with`` or :meth:`start`/:meth:`stop`.

    ``SentT`` is the record type kept in :attr:`sent`; ``ChatT`` the chat id type that
    :meth:`block_chat` takes.  Subclasses set :attr:`default_descriptions` and implement
    :meth:`_handle`; they may override :attr:`path_re`, :attr:`response_content_type` and
    :meth:`_chat_key`.
    """

    default_descriptions: ClassVar[dict[int, str]] = {}  # fail_next descriptions by HTTP status
    path_re: ClassVar[re.Pattern[str]] = re.compile(r"/bot([^/]+)/([A-Za-z0-9_]+)/?")  # token, method
    response_content_type: ClassVar[str] = "application/json"

    def __init__(self, token: str) -> None:
        self.token = token
        self.url = ""
        self.sent: list[SentT] = []
        self.calls: list[tuple[str, JSONDict]] = []
        self.internal_errors: list[BaseException] = []  # bugs in the fake itself (answered 500)
        self.webhook_url = ""
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._updates: list[JSONDict] = []
        self._faults: dict[str, list[Fault]] = {}
        self._blocked: set[ChatT] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

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
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=type(self).__name__,
            daemon=True,
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

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        return self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.stop)

    # ----------------------------------------------------------------- test-side API

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str = "",
        retry_after: int | None = None,
        times: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with HTTP ``status``.

        429 answers carry ``parameters.retry_after`` (default 1); other statuses default to the
        platform's usual description (403: the bot was blocked by the user).  ``delay`` sleeps
        before answering (to provoke client timeouts); a ``status`` below 300 only delays the call.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        description = description or (
            f"Too Many Requests: retry after {retry_after}"
            if status == 429
            else self.default_descriptions.get(status, f"Error {status}")
        )
        with self._cond:
            queue = self._faults.setdefault(method.lower(), [])
            queue.extend(Fault(status, description, retry_after, delay) for _ in range(times))

    def block_chat(self, chat_id: ChatT) -> None:
        """Make sends to ``chat_id`` answer 403 (the platform's "bot was blocked by the user")."""
        with self._cond:
            self._blocked.add(self._chat_key(chat_id))

    def unblock_chat(self, chat_id: ChatT) -> None:
        """Undo :meth:`block_chat`."""
        with self._cond:
            self._blocked.discard(self._chat_key(chat_id))

    @property
    def pending_updates(self) -> int:
        """Updates queued and not yet consumed through getUpdates."""
        with self._cond:
            return len(self._updates)

    async def wait_for_sent(
        self,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - a plain deadline suits tests best
    ) -> list[SentT]:
        """Wait (without blocking the event loop) until at least ``count`` messages were sent."""
        deadline = time.monotonic() + timeout
        while len(self.sent) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"expected {count} sent messages, got {len(self.sent)}: {self.sent}")
            await asyncio.sleep(0.01)
        return list(self.sent)

    def wait_for_sent_sync(self, count: int, timeout: float = 5.0) -> list[SentT]:
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
        m = self.path_re.fullmatch(parts.path)
        if m is None:
            return 404, ApiError(404, "Not Found").body()
        if m.group(1) != self.token:
            return 401, ApiError(401, "Unauthorized").body()
        try:
            result = self._handle(m.group(2), content_type, body, parts.query)
        except ApiError as exc:
            return exc.status, exc.body()
        except Exception as exc:  # a bug in the fake: surface it to the test, answer 500
            self.internal_errors.append(exc)
            return 500, ApiError(500, f"Internal Server Error: {exc!r}").body()
        return 200, {"ok": True, "result": result}

    def raw_response(self, path: str) -> tuple[int, bytes, str] | None:
        """A response that is not a JSON API answer (a file download), or None to dispatch ``path`` as a call."""
        return None

    @abc.abstractmethod
    def _handle(self, method: str, content_type: str, body: bytes, query: str) -> Any:
        """Decode the request, call :meth:`_begin_call`, run ``method``; return its result or raise ApiError."""

    # ----------------------------------------------------------------- helpers for subclasses

    def _begin_call(self, method: str, logged: JSONDict) -> None:
        """Log a decoded call in :attr:`calls`, then apply the next injected fault for ``method``."""
        with self._cond:
            self.calls.append((method, logged))
            queue = self._faults.get(method.lower())
            fault = queue.pop(0) if queue else None
        if fault is not None:
            if fault.delay > 0:
                self._stopping.wait(fault.delay)
            if fault.status >= 300:
                raise ApiError(fault.status, fault.description, fault.retry_after)

    def _chat_key(self, chat_id: ChatT) -> ChatT:
        """How a chat id is stored in the blocked set (identity unless overridden)."""
        return chat_id

    def _wait_for_updates(self, timeout: float) -> None:
        """Long poll: wait until an update is queued, the server stops or ``timeout`` passes (hold the lock)."""
        self._cond.wait_for(lambda: bool(self._updates) or self._stopping.is_set(), timeout)
