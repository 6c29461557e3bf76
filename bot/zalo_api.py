"""A small typed client of the Zalo Bot Platform over one :class:`httpx.AsyncClient`, and the shapes it reads.

The platform is modelled on Telegram's Bot API (``{base}/bot{token}/{method}``, JSON in, ``{ok, result, description,
error_code}`` out; ids are strings, texts are 1-2000 characters). What Zalo sends (its docs and its SDK,
python-zalo-bot): a webhook body WRAPS the update as ``{"ok": true, "result": {"event_name": …, "message": …}}``;
getUpdates returns ONE update object as ``result`` and error 408 when the long poll ended with nothing new.
:func:`unwrap_update` and :func:`updates_in` read those shapes and the bare/list variants too (see
``tests/fakes/zalo_api.py`` for the sources of every shape).

HTTP errors are translated at the edge into the project's errors (401 → :class:`~knowledge.errors.ConfigError`, 403 →
:class:`~scheduler.delivery.RecipientUnreachable`, 429/5xx/network/time-outs →
:class:`~scheduler.delivery.TransientDeliveryError`, other 4xx → :class:`~scheduler.delivery.DeliveryError`). The
bot token is part of every request URL: it never appears in this module's log lines or error messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Final, Self

import httpx

from knowledge.errors import ConfigError
from scheduler.delivery import DeliveryError, RecipientUnreachable, TransientDeliveryError

__all__ = ["OFFICIAL_BASE_URL", "REQUEST_TIMEOUT", "ZaloApi", "unwrap_update", "updates_in"]

OFFICIAL_BASE_URL: Final = "https://bot-api.zaloplatforms.com"
REQUEST_TIMEOUT: Final = 10.0  # seconds for every call but the long poll
NO_TOKEN_MESSAGE: Final = "ZALO_BOT_TOKEN chưa được đặt. Hãy đặt token của bot lấy từ Zalo Bot Creator."
BAD_TOKEN_MESSAGE: Final = (
    "ZALO_BOT_TOKEN bị Zalo từ chối (401). Hãy chép lại token từ Zalo Bot Creator, hoặc cấp token mới nếu đã đặt lại."
)
_DESCRIPTION_LIMIT = 300


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
