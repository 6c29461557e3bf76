"""The one web server of a bot process: every channel's webhook route and ``GET /healthz`` on one port.

Webhook requests are checked before anything else: a missing or wrong secret header is 403 and nothing is read;
an empty body, a body that is not a JSON object (or is nested too deeply to read) or not an update is 400, never
500; an accepted update is answered 200 at once and handled in the background by its channel. ``/healthz`` answers
200 when the process is healthy and 503 otherwise, with the details as JSON.
"""

from __future__ import annotations

import hmac
import json
import logging
import socket
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final

from tornado import httpserver, netutil, web

from bot.channel import InvalidUpdate, WebhookRoute
from bot.channel_settings import ListenAddress
from knowledge.errors import ConfigError

__all__ = ["HEALTH_PATH", "MAX_BODY", "HealthCheck", "WebServer"]

log = logging.getLogger(__name__)

HEALTH_PATH: Final = "/healthz"
MAX_BODY: Final = 1 << 20  # bytes; an update is a few kilobytes
HealthCheck = Callable[[], Awaitable[tuple[bool, dict[str, Any]]]]


class WebServer:
    """A tornado HTTP server bound at construction (so a busy port fails at once); stop it with :meth:`close`."""

    def __init__(self, address: ListenAddress, routes: Sequence[WebhookRoute], health: HealthCheck) -> None:
        paths = [route.path for route in routes]
        clashes = sorted({p for p in paths if paths.count(p) > 1 or p == HEALTH_PATH})
        if clashes:
            raise ConfigError(
                f"webhook paths clash: {clashes}",
                user_message=f"Hai kênh (hoặc /healthz) dùng chung đường dẫn webhook {', '.join(clashes)}. "
                "Hãy đặt WEBHOOK_URL với một đường dẫn khác.",
            )
        handlers: list[Any] = [(HEALTH_PATH, _HealthHandler, {"health": health})]
        handlers += [(_pattern(route.path), _WebhookHandler, {"route": route}) for route in routes]
        app = web.Application(handlers, default_handler_class=_NotFound)
        self.routes = tuple(routes)
        self._server = httpserver.HTTPServer(app, xheaders=True, max_body_size=MAX_BODY)
        try:
            sockets = netutil.bind_sockets(address.port, address=address.host or None, family=socket.AF_UNSPEC)
        except OSError as exc:
            raise ConfigError(
                f"cannot listen on {address}: {exc}",
                user_message=f"Không mở được cổng {address} ({exc.strerror or exc}). Hãy kiểm tra WEBHOOK_LISTEN "
                "(hoặc --listen): cổng đang bị chương trình khác dùng, hoặc địa chỉ không thuộc máy này.",
            ) from exc
        self.host = address.host
        self.port: int = sockets[0].getsockname()[1]
        self._server.add_sockets(sockets)
        log.info("web server listening on %s:%d (%s)", self.host, self.port, ", ".join([HEALTH_PATH, *paths]))

    async def close(self) -> None:
        """Stop accepting requests and close open connections."""
        self._server.stop()
        await self._server.close_all_connections()


def _pattern(path: str) -> str:
    return "".join("\\" + ch if ch in ".^$*+?{}[]\\|()" else ch for ch in path)


class _WebhookHandler(web.RequestHandler):
    route: WebhookRoute

    def initialize(self, route: WebhookRoute) -> None:
        self.route = route

    def post(self, *args: str, **kwargs: str) -> None:
        route = self.route
        given = self.request.headers.get(route.secret_header, "").encode("utf-8")
        if not hmac.compare_digest(given, route.secret.encode("utf-8")):
            log.warning("%s webhook: refused a request without the right secret from %s", route.channel, _peer(self))
            self._answer(403, "forbidden")
            return
        try:
            body = json.loads(self.request.body) if self.request.body else None
        except (ValueError, UnicodeDecodeError, RecursionError):  # not JSON, or nested too deeply to read
            body = None
        if not isinstance(body, dict):
            self._answer(400, "the body is not a JSON object")
            return
        try:
            route.accept(body)
        except InvalidUpdate as exc:
            log.info("%s webhook: refused a body that is not an update (%s)", route.channel, exc)
            self._answer(400, "not an update")
            return
        self._answer(200, "")

    def _answer(self, status: int, description: str) -> None:
        self.set_status(status)
        body: dict[str, Any] = {"ok": status == 200}
        if description:
            body["description"] = description
        self.finish(body)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        log.error("%s webhook failed: %s", self.route.channel, value, exc_info=log.isEnabledFor(logging.DEBUG))


class _HealthHandler(web.RequestHandler):
    health: HealthCheck

    def initialize(self, health: HealthCheck) -> None:
        self.health = health

    async def get(self, *args: str, **kwargs: str) -> None:
        healthy, details = await self.health()
        self.set_status(200 if healthy else 503)
        self.set_header("Cache-Control", "no-store")
        self.finish({"status": "ok" if healthy else "error", **details})


class _NotFound(web.RequestHandler):
    def prepare(self) -> None:
        self.set_status(404)
        self.finish({"ok": False, "description": "not found"})


def _peer(handler: web.RequestHandler) -> str:
    return str(handler.request.remote_ip)
