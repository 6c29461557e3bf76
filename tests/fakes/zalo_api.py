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

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from tests.fakes.http_fake import ApiError as ApiError  # re-exported: tests catch it from here
from tests.fakes.http_fake import HttpFake
from tests.fakes.http_fake import JSONDict as JSONDict
from tests.fakes.http_fake import bad_request as _bad

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


# --------------------------------------------------------------------------- the fake


class FakeZalo(HttpFake[ZaloSent, str]):
    """A fake Zalo Bot Platform API server.  Use ``with``/``async with`` or :meth:`start`/:meth:`stop`."""

    default_descriptions = _DEFAULT_DESCRIPTIONS
    response_content_type = "application/json; charset=utf-8"

    def __init__(self, token: str = "1234567890:zalo-test-token", *, bot_name: str = "Trợ lý nhiệm vụ") -> None:
        super().__init__(token)
        self.bot_name = bot_name
        prefix = token.split(":", 1)[0]
        self.bot_id = prefix if prefix.isdigit() else "1234567890"
        self.account_name = f"bot.{self.bot_id}"
        self.webhook_secret = ""
        self._webhook_updated_at = 0
        self._next_message = 0
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

    # ----------------------------------------------------------------- test-side API

    def bot_info(self) -> JSONDict:
        """The ``getMe`` result."""
        return {
            "id": self.bot_id,
            "account_name": self.account_name,
            "account_type": "BASIC",
            "can_join_groups": False,
            "display_name": self.bot_name,
        }

    def make_update(
        self,
        chat_id: str,
        text: str,
        *,
        user_id: str | None = None,
        display_name: str = "Cán bộ",
        chat_type: str = "PRIVATE",
        message_id: str | None = None,
        date: int | None = None,
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
                "from": {
                    "id": str(chat_id if user_id is None else user_id),
                    "display_name": display_name,
                    "is_bot": False,
                },
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
        self,
        chat_id: str,
        text: str,
        *,
        user_id: str | None = None,
        display_name: str = "Cán bộ",
        chat_type: str = "PRIVATE",
    ) -> str:
        """Queue a user's text message; return its message_id."""
        update = self.make_update(chat_id, text, user_id=user_id, display_name=display_name, chat_type=chat_type)
        self.push_update(update)
        return str(update["message"]["message_id"])

    # ----------------------------------------------------------------- dispatch

    def _handle(self, method: str, content_type: str, body: bytes, query: str) -> Any:
        params = _decode_params(content_type, body, query)
        self._begin_call(method, dict(params))
        handler = self._methods.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found")
        return handler(params)

    # ----------------------------------------------------------------- helpers

    def _chat_key(self, chat_id: str) -> str:
        return str(chat_id)  # ints are accepted at run time: ids are strings on Zalo

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
            self.sent.append(ZaloSent(method=method, chat_id=chat_id, text=text, message_id=message_id, photo=photo))
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
            self._wait_for_updates(max(timeout, 0.0))
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
