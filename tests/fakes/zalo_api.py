"""A local fake of the Zalo Bot Platform API, served over real HTTP for tests.

It answers what the real platform answers, and every shape below says where it comes from:

* **[docs]** the Zalo Bot Platform documentation (bot.zaloplatforms.com/docs: "Phản hồi từ API", getMe, getUpdates,
  setWebhook, deleteWebhook, getWebhookInfo, sendMessage, sendPhoto, sendChatAction, "Webhook", "Bảng mã lỗi"), read
  through the search tool;
* **[sdk]** the platform's own Python SDK, python-zalo-bot 0.1.9 (PyPI): ``zalo_bot/_bot.py`` (``Bot.get_update``),
  ``zalo_bot/_update.py``, ``_message.py``, ``_chat.py``, ``_user.py`` (the ``de_json`` readers) and its README's
  webhook example; ``tests/fakes/test_zalo_conformance.py`` parses everything this fake produces with that SDK.

Shapes:

* Calls are ``{base}/bot{token}/{method}`` with GET or POST, parameters in the query string, a form body or a JSON
  body [docs "Cách truyền tham số"]; answers are ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N,
  "description": "..."}`` [docs "Phản hồi từ API"]; 429 carries ``parameters.retry_after`` [sdk
  ``request/_base_request.py`` reads it there].
* Ids (bot, user, chat, message) are strings and ``date`` is Unix *milliseconds* [docs sample responses; sdk
  ``Message.de_json`` divides ``date`` by 1000]. Texts are 1-2000 characters [docs sendMessage].
* An **update** is ``{"event_name": ..., "message": {"from": {"id", "display_name", "is_bot"}, "chat": {"id",
  "chat_type"}, "message_id", "date", ...}}`` with ``event_name`` one of ``message.text.received`` (``text``),
  ``message.image.received`` (``photo_url`` and ``caption``: the docs' table names the field ``photo``, the SDK reads
  ``photo_url``; the fake sends the SDK's name), ``message.sticker.received`` (``sticker``, ``url``) and
  ``message.unsupported.received`` (no content: senders in protected groups) [docs "Webhook"]; ``chat_type`` is
  ``PRIVATE`` or ``GROUP`` [docs "Message"].
* **getUpdates** returns ONE update object as ``result`` — not a list, and there is no offset: whatever a call
  returns is consumed [docs getUpdates: "dạng JSON object, tham khảo dữ liệu mẫu tương tự tại Webhook"; sdk
  ``Bot.get_update`` parses ``result`` with ``Update.de_json``]. When nothing arrives before the long-poll
  ``timeout`` the platform answers error 408 "Request timeout" [docs "Bảng mã lỗi": 408; clients in the wild treat
  it as "no new message"]. While a webhook is set, getUpdates answers 409 [docs getUpdates "Lưu ý"].
* A **webhook** POST carries the update WRAPPED: ``{"ok": true, "result": <update>}`` [docs "Webhook": "ok — Luôn
  có giá trị true; result — Dữ liệu thông tin cho sự kiện"; sdk README: ``Update.de_json(body['result'], bot)``],
  with the secret given to setWebhook in the ``X-Bot-Api-Secret-Token`` header [docs setWebhook]. The fake delivers
  webhooks itself with :meth:`FakeZalo.deliver_webhook`.
* getMe's ``result``: ``id``, ``account_name``, ``account_type``, ``can_join_groups`` [docs getMe], plus
  ``display_name`` [sdk ``User``]. setWebhook/deleteWebhook/getWebhookInfo: ``{"url", "updated_at"}`` [docs].

Like :mod:`tests.fakes.telegram_api`, the fake runs a :class:`http.server.ThreadingHTTPServer` on ``127.0.0.1``
(ephemeral port) in a background thread, so synchronous tests and async clients on the test's own event loop can both
use it::

    with FakeZalo() as fake:
        httpx.post(f"{fake.url}/bot{fake.token}/sendMessage", json={"chat_id": "42", "text": "hi"})
        assert fake.sent[0].text == "hi"
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx

from tests.fakes.http_fake import ApiError as ApiError  # re-exported: tests catch it from here
from tests.fakes.http_fake import HttpFake
from tests.fakes.http_fake import JSONDict as JSONDict
from tests.fakes.http_fake import bad_request as _bad

_Method = Callable[[JSONDict], Any]

OFFICIAL_BASE_URL = "https://bot-api.zaloplatforms.com"
WEBHOOK_SECRET_HEADER = "X-Bot-Api-Secret-Token"  # the header Zalo sends with each webhook POST
MAX_TEXT_LENGTH = 2000
CHAT_TYPES = ("PRIVATE", "GROUP")
TEXT_EVENT = "message.text.received"
IMAGE_EVENT = "message.image.received"
STICKER_EVENT = "message.sticker.received"
UNSUPPORTED_EVENT = "message.unsupported.received"
EVENTS = (TEXT_EVENT, IMAGE_EVENT, STICKER_EVENT, UNSUPPORTED_EVENT)
POLL_TIMEOUT_DESCRIPTION = "Request timeout"  # getUpdates with nothing to return (error 408)
_TEXT_ERROR = f"Bad Request: text must be 1-{MAX_TEXT_LENGTH} characters"
_BLOCKED = "Forbidden: the user has blocked the bot"
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: _BLOCKED,
    404: "Not Found",
    408: POLL_TIMEOUT_DESCRIPTION,
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
        return self.make_event(
            TEXT_EVENT,
            chat_id,
            {"text": text},
            user_id=user_id,
            display_name=display_name,
            chat_type=chat_type,
            message_id=message_id,
            date=date,
        )

    def make_event(
        self,
        event_name: str,
        chat_id: str,
        content: JSONDict,
        *,
        user_id: str | None = None,
        display_name: str = "Cán bộ",
        chat_type: str = "PRIVATE",
        message_id: str | None = None,
        date: int | None = None,
        is_bot: bool = False,
    ) -> JSONDict:
        """Build an update of any documented event with the message fields in ``content`` (e.g. ``{"sticker": …}``)."""
        if event_name not in EVENTS:
            raise ValueError(f"event_name must be one of {EVENTS}, not {event_name!r}")
        if chat_type not in CHAT_TYPES:
            raise ValueError(f"chat_type must be one of {CHAT_TYPES}, not {chat_type!r}")
        if message_id is None:
            with self._cond:
                message_id = self._new_message_id()
        return {
            "event_name": event_name,
            "message": {
                "from": {
                    "id": str(chat_id if user_id is None else user_id),
                    "display_name": display_name,
                    "is_bot": is_bot,
                },
                "chat": {"id": str(chat_id), "chat_type": chat_type},
                **content,
                "message_id": message_id,
                "date": _now_ms() if date is None else date,
            },
        }

    def make_image(self, chat_id: str, photo_url: str, caption: str = "", **kwargs: Any) -> JSONDict:
        """A ``message.image.received`` update."""
        return self.make_event(IMAGE_EVENT, chat_id, {"photo_url": photo_url, "caption": caption}, **kwargs)

    def make_sticker(self, chat_id: str, sticker: str = "0e078a2fb66a5f34067b", **kwargs: Any) -> JSONDict:
        """A ``message.sticker.received`` update."""
        url = f"https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid={sticker}"
        return self.make_event(STICKER_EVENT, chat_id, {"sticker": sticker, "url": url}, **kwargs)

    def make_unsupported(self, chat_id: str, **kwargs: Any) -> JSONDict:
        """A ``message.unsupported.received`` update: the platform withholds the content."""
        return self.make_event(UNSUPPORTED_EVENT, chat_id, {}, **kwargs)

    @staticmethod
    def webhook_body(update: JSONDict) -> JSONDict:
        """The body the platform POSTs to a webhook: the update wrapped as ``{"ok": true, "result": update}``."""
        return {"ok": True, "result": update}

    async def deliver_webhook(
        self,
        url: str,
        update: JSONDict,
        *,
        secret: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> httpx.Response:
        """POST ``update`` to ``url`` as the platform does: wrapped, with the secret header.

        ``secret`` defaults to the one registered with setWebhook. ``url`` is given explicitly because the registered
        URL is the bot's public https address, while tests reach its server on 127.0.0.1.
        """
        headers = {WEBHOOK_SECRET_HEADER: self.webhook_secret if secret is None else secret}
        async with httpx.AsyncClient(timeout=timeout) as http:
            return await http.post(url, json=self.webhook_body(update), headers=headers)

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

    def _get_updates(self, params: JSONDict) -> JSONDict:
        if self.webhook_url:
            raise ApiError(409, _WEBHOOK_CONFLICT)
        raw = params.get("timeout")
        try:
            timeout = float(raw) if raw not in (None, "") else 30.0  # the platform's default long poll: 30 s
        except (TypeError, ValueError):
            raise _bad("timeout must be a number of seconds") from None
        with self._cond:
            self._wait_for_updates(max(timeout, 0.0))
            if not self._updates:
                raise ApiError(408, POLL_TIMEOUT_DESCRIPTION)
            return self._updates.pop(0)  # one update per call, consumed (no offset)

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
