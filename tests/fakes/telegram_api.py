"""A local fake of the Telegram Bot API, served over real HTTP for tests.

The fake runs a :class:`http.server.ThreadingHTTPServer` on ``127.0.0.1`` (ephemeral port) in a
background thread, so it works both from synchronous tests and from a python-telegram-bot
``Application`` that long-polls it from the test's own event loop.  Point PTB at it with::

    ApplicationBuilder().token(fake.token).base_url(f"{fake.url}/bot").base_file_url(f"{fake.url}/file/bot")

PTB posts ``{base_url}{token}/{method}`` as ``application/x-www-form-urlencoded`` (or
``multipart/form-data`` when uploading files); non-string values (``reply_markup``,
``entities``, ``commands`` ...) arrive JSON-encoded inside the form fields.  JSON bodies and
GET query strings are accepted too.  Validation follows Telegram closely where tests benefit
(HTML parse mode, text length, inline keyboards, edits); the HTML check is deliberately a bit
stricter than Telegram about a bare ``&`` so that missing ``html.escape`` calls are caught.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from tests.fakes.http_fake import ApiError as ApiError  # re-exported: tests catch it from here
from tests.fakes.http_fake import HttpFake
from tests.fakes.http_fake import JSONDict as JSONDict
from tests.fakes.http_fake import bad_request as _bad

_Files = dict[str, tuple[str, bytes, str]]
_Method = Callable[[JSONDict, _Files], Any]

MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile: "bots can download files of up to 20MB in size"
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
        "results",
    }
)
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "language_code",
        "url",
        "action",
        "secret_token",
        "document",
        "thumbnail",
        "ip_address",
        "business_connection_id",
    }
)
_URL_RE = re.compile(r"(?:(?:https?|tg)://)?[^\s/]+\S*")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


@dataclass(frozen=True)
class SentMessage:
    """One successful sendMessage/editMessageText/sendDocument call, as the bot sent it."""

    method: str
    chat_id: int | str
    message_id: int
    text: str  # raw text (or caption) as sent, markup included
    parse_mode: str | None
    reply_markup: JSONDict | None
    plain_text: str = ""  # visible text after HTML parsing
    document_name: str | None = None
    document_bytes: bytes | None = None


# --------------------------------------------------------------------------- HTML parse mode

_TAG_RE = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>"
)
_ATTR_RE = re.compile(r"([^\s=>/]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


def _suffix(file_name: str) -> str:
    dot = file_name.rfind(".")
    return file_name[dot:] if 0 < dot < len(file_name) - 1 else ""


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_entity(m: re.Match[str]) -> str | None:
    if m.group(1):
        return _NAMED[m.group(1)]
    code = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram-flavoured HTML strictly; return ``(visible_text, entities)``.

    Raises :class:`ApiError` (400 ``can't parse entities: ...``) on unsupported or badly nested
    tags, a bare ``<`` and any ``&`` that is not ``&lt;`` ``&gt;`` ``&amp;`` ``&quot;`` or ``&#N;``.
    """
    out: list[str] = []
    pos16 = 0
    stack: list[tuple[str, dict[str, str], int]] = []
    entities: list[JSONDict] = []
    i = 0

    def fail(message: str) -> ApiError:
        return _bad(f"can't parse entities: {message} at byte offset {len(text[:i].encode())}")

    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG_RE.match(text, i)
            if m is None:
                bad = re.match(r"</?([^\s>]*)", text[i:])
                raise fail(f'Unsupported start tag "{bad.group(1) if bad else ""}"')
            closing, name, attr_src = m.group(1) == "/", m.group(2).lower(), m.group(3)
            if closing:
                if not stack or attr_src.strip():
                    raise fail("Unexpected end tag")
                open_name, attrs, start = stack.pop()
                if open_name != name:
                    raise fail(f'Unmatched end tag, expected "</{open_name}>", found "</{name}>"')
                _close_entity(name, attrs, start, pos16, stack, entities)
            else:
                if name not in _ENTITY_TYPES:
                    raise fail(f'Unsupported start tag "{name}"')
                attrs = {}
                for am in _ATTR_RE.finditer(attr_src):
                    raw = next((g for g in am.groups()[1:] if g is not None), "")
                    attrs[am.group(1).lower()] = _ENTITY_RE.sub(lambda e: _decode_entity(e) or "", raw)
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise fail('Tag "span" must have class "tg-spoiler"')
                if name == "tg-emoji" and not attrs.get("emoji-id"):
                    raise fail('Tag "tg-emoji" must have attribute "emoji-id"')
                stack.append((name, attrs, pos16))
            i = m.end()
            continue
        if ch == "&":
            em = _ENTITY_RE.match(text, i)
            decoded = _decode_entity(em) if em else None
            if em is None or decoded is None:
                raise fail('Character "&" must be escaped as "&amp;"')
            chunk, i = decoded, em.end()
        else:
            j = i
            while j < len(text) and text[j] not in "<&":
                j += 1
            chunk, i = text[i:j], j
        out.append(chunk)
        pos16 += _utf16_len(chunk)
    if stack:
        raise _bad(f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1][0]}\"")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close_entity(
    name: str,
    attrs: dict[str, str],
    start: int,
    end: int,
    stack: list[tuple[str, dict[str, str], int]],
    entities: list[JSONDict],
) -> None:
    """Turn a closed tag into a MessageEntity dict (``<pre><code class=language-x>`` merged)."""
    lang = attrs.get("class", "")
    if name == "code" and stack and stack[-1][0] == "pre":
        if lang.startswith("language-"):
            stack[-1][1]["language"] = lang.removeprefix("language-")
        return
    if end == start:
        return
    entity: JSONDict = {"type": _ENTITY_TYPES[name], "offset": start, "length": end - start}
    if name == "a":
        entity["url"] = attrs.get("href", "")
    elif name == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    elif name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = attrs["emoji-id"]
    entities.append(entity)


def _render(text: Any, parse_mode: Any, *, limit: int, what: str) -> tuple[str, list[JSONDict]]:
    """Validate a text/caption; return its visible text and entities."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    mode = str(parse_mode).lower() if parse_mode else ""
    if mode not in ("", "html", "markdown", "markdownv2"):
        raise _bad(f"unsupported parse_mode {parse_mode}")
    visible, entities = parse_html(text) if mode == "html" else (text, [])
    if what == "message" and not visible.strip():
        raise _bad("message text is empty")
    if len(visible) > limit:
        raise _bad(f"{'message' if what == 'message' else 'message caption'} is too long")
    return visible, entities


def validate_reply_markup(markup: Any) -> JSONDict | None:
    """Check a reply_markup object like Telegram does; return it (or None) or raise ApiError."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        for button in _keyboard_buttons(markup, "inline_keyboard", "InlineKeyboardMarkup"):
            _validate_inline_button(button)
        return markup
    if "keyboard" in markup:
        for button in _keyboard_buttons(markup, "keyboard", "ReplyKeyboardMarkup"):
            label = button.get("text") if isinstance(button, dict) else button
            if not isinstance(label, str) or not label:
                raise _bad('can\'t parse keyboard button: Field "text" must be of type String')
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise _bad("can't parse reply keyboard markup JSON object")


def _keyboard_buttons(markup: JSONDict, field: str, kind: str) -> list[Any]:
    """The buttons of ``markup[field]``, row by row, once it is checked to be an Array of Arrays."""
    rows = markup[field]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad(f'field "{field}" of the {kind} should be an Array of Arrays')
    return [button for row in rows for button in row]


def _validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise _bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str) or not button["text"]:
        raise _bad('can\'t parse inline keyboard button: Field "text" must be a non-empty String')
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise _bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _bad(f"can't parse inline keyboard button: exactly one action field expected, got {actions}")
    data = button.get("callback_data")
    if "callback_data" in button and not (isinstance(data, str) and 1 <= len(data.encode()) <= 64):
        raise _bad("BUTTON_DATA_INVALID")
    url = button.get("url")
    if "url" in button and not (isinstance(url, str) and _URL_RE.fullmatch(url)):
        raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


# --------------------------------------------------------------------------- request decoding


def _coerce(key: str, raw: str) -> Any:
    """Turn one form field back into the value PTB serialised."""
    if key in _JSON_FIELDS:
        try:
            return json.loads(raw)
        except ValueError:
            what = "reply keyboard markup" if key == "reply_markup" else key
            raise _bad(f"can't parse {what} JSON object") from None
    if key in _STRING_FIELDS:
        return raw
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    if raw in ("true", "false"):
        return raw == "true"
    return raw


def _decode_body(content_type: str, body: bytes, query: str) -> tuple[JSONDict, _Files]:
    """Decode a form, multipart or JSON request body (plus query string) into params and files."""
    fields: list[tuple[str, str]] = parse_qsl(query, keep_blank_values=True)
    files: _Files = {}
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" and body:
        try:
            loaded = json.loads(body)
        except ValueError:
            raise _bad("can't parse JSON body") from None
        params: JSONDict = {k: _coerce(k, v) for k, v in fields}
        params.update(loaded if isinstance(loaded, dict) else {})
        return params, files
    if kind == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            if not isinstance(name, str):
                continue
            filename = part.get_filename()
            if filename is not None:
                files[name] = (filename, data, part.get_content_type())
            else:
                fields.append((name, data.decode("utf-8")))
    elif body:
        fields.extend(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return {k: _coerce(k, v) for k, v in fields}, files


# --------------------------------------------------------------------------- the fake


class FakeTelegram(HttpFake[SentMessage, int | str]):
    """A fake Telegram Bot API server.  Use ``with``/``async with`` or :meth:`start`/:meth:`stop`."""

    default_descriptions = _DEFAULT_DESCRIPTIONS
    path_re = re.compile(r"/bot([^/]+)/([A-Za-z]+)/?")

    def __init__(
        self,
        token: str = "123456:TEST-token",
        *,
        bot_username: str = "taskbot_test_bot",
        bot_first_name: str = "Trợ lý nhiệm vụ",
    ) -> None:
        super().__init__(token)
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456
        self.commands: list[JSONDict] = []
        self._next_update_id = 1
        self._next_message_id: dict[int | str, int] = {}
        self._messages: dict[tuple[int | str, int], JSONDict] = {}
        self._chats: dict[int | str, JSONDict] = {}
        self._callback_ids: set[str] = set()
        self._allowed_updates: list[str] = []
        self._my_commands: dict[str, list[JSONDict]] = {}
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id → (file_path, content)
        self.downloads: list[str] = []  # file paths downloaded, in order
        self._methods: dict[str, _Method] = {
            "getme": lambda p, f: self.bot_user(full=True),
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "senddocument": self._send_document,
            "sendphoto": self._send_photo,
            "getfile": self._get_file,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": lambda p, f: self._my_commands.get(self._scope_key(p), []),
            "deletemycommands": self._delete_my_commands,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": lambda p, f: {
                "url": self.webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            },
            "sendchataction": self._send_chat_action,
            "getchat": self._get_chat,
            "close": lambda p, f: True,
            "logout": lambda p, f: True,
        }

    # ----------------------------------------------------------------- test-side API

    def push_update(self, update: JSONDict) -> int:
        """Queue a raw update (``update_id`` is assigned unless given); return its update_id."""
        with self._cond:
            update = dict(update)
            update.setdefault("update_id", self._next_update_id)
            self._next_update_id = max(self._next_update_id, int(update["update_id"])) + 1
            self._updates.append(update)
            self._cond.notify_all()
            return int(update["update_id"])

    def make_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        username: str = "",
        first_name: str = "Cán bộ",
        chat_type: str = "private",
        entities: list[JSONDict] | None = None,
    ) -> JSONDict:
        """A user's text message as an update (with its update_id), not queued: what a webhook POST carries.

        A leading ``/command`` gets a bot_command entity.
        """
        user = self._user(chat_id if user_id is None else user_id, username, first_name)
        chat: JSONDict = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat.update({k: v for k, v in user.items() if k in ("first_name", "username")})
        else:
            chat["title"] = f"Nhóm {chat_id}"
        if entities is None and text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": _utf16_len(text.split(maxsplit=1)[0])}]
        with self._cond:
            self._chats[chat_id] = chat
            message: JSONDict = {
                "message_id": self._new_message_id(chat_id),
                "date": int(time.time()),
                "chat": chat,
                "from": user,
                "text": text,
            }
            if entities:
                message["entities"] = entities
            self._messages[(chat_id, message["message_id"])] = message
            update_id = self._next_update_id
            self._next_update_id += 1
        return {"update_id": update_id, "message": message}

    def push_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        username: str = "",
        first_name: str = "Cán bộ",
        chat_type: str = "private",
        entities: list[JSONDict] | None = None,
    ) -> int:
        """Queue a user's text message for getUpdates; return its update_id."""
        update = self.make_text(
            chat_id,
            text,
            user_id=user_id,
            username=username,
            first_name=first_name,
            chat_type=chat_type,
            entities=entities,
        )
        return self.push_update(update)

    def push_callback(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int,
        user_id: int | None = None,
        username: str = "",
        first_name: str = "Cán bộ",
    ) -> int:
        """Queue a callback_query pressed on message ``message_id`` of ``chat_id``."""
        with self._cond:
            message = self._messages.get((chat_id, message_id)) or {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": self.bot_user(),
                "text": "",
            }
            query_id = f"cbq-{self._next_update_id}"
            self._callback_ids.add(query_id)
        user = self._user(chat_id if user_id is None else user_id, username, first_name)
        query = {"id": query_id, "from": user, "message": message, "chat_instance": f"ci-{chat_id}", "data": data}
        return self.push_update({"callback_query": query})

    def make_document(
        self,
        chat_id: int,
        data: bytes,
        file_name: str,
        *,
        mime_type: str = "application/octet-stream",
        user_id: int | None = None,
        first_name: str = "Cán bộ",
        caption: str = "",
        file_size: int | None = None,
    ) -> JSONDict:
        """A user's message carrying a file, as an update (not queued).

        Shapes from the Bot API docs: Message.document is a Document (https://core.telegram.org/bots/api#document:
        file_id, file_unique_id, file_name, mime_type, file_size); the file is fetched with getFile, then downloaded
        from ``/file/bot<token>/<file_path>`` (https://core.telegram.org/bots/api#getfile). ``file_size`` may claim
        another size than ``data`` (an over-limit file the bot must not download)."""
        user = self._user(chat_id if user_id is None else user_id, "", first_name)
        chat: JSONDict = {"id": chat_id, "type": "private", "first_name": first_name}
        with self._cond:
            self._chats[chat_id] = chat
            message_id = self._new_message_id(chat_id)
            file_id = f"BQACAgIAAx{chat_id}d{message_id}"
            self._files[file_id] = (f"documents/file_{message_id}{_suffix(file_name)}", data)
            message: JSONDict = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "from": user,
                "document": {
                    "file_id": file_id,
                    "file_unique_id": f"AgAD{message_id}",
                    "file_name": file_name,
                    "mime_type": mime_type,
                    "file_size": len(data) if file_size is None else file_size,
                },
            }
            if caption:
                message["caption"] = caption
            self._messages[(chat_id, message_id)] = message
            update_id = self._next_update_id
            self._next_update_id += 1
        return {"update_id": update_id, "message": message}

    def push_document(self, chat_id: int, data: bytes, file_name: str, **kwargs: Any) -> int:
        """Queue a user's file message (see :meth:`make_document`); return its update_id."""
        return self.push_update(self.make_document(chat_id, data, file_name, **kwargs))

    def raw_response(self, path: str) -> tuple[int, bytes, str] | None:
        prefix = f"/file/bot{self.token}/"
        path = unquote(path)  # httpx sends the token's ":" as %3A
        if not path.startswith("/file/"):
            return None
        if not path.startswith(prefix):
            return 401, b'{"ok":false,"error_code":401,"description":"Unauthorized"}', "application/json"
        wanted = path.removeprefix(prefix)
        with self._cond:
            found = next((data for file_path, data in self._files.values() if file_path == wanted), None)
            self.downloads.append(wanted)
        if found is None:
            return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}', "application/json"
        return 200, found, "application/octet-stream"

    def get_message(self, chat_id: int | str, message_id: int) -> JSONDict | None:
        """Current state of a stored message (after edits), or None."""
        with self._cond:
            return self._messages.get((chat_id, message_id))

    def bot_user(self, *, full: bool = False) -> JSONDict:
        """The bot as a User dict (``full`` adds the getMe-only fields)."""
        user: JSONDict = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }
        if full:
            user.update(can_join_groups=True, can_read_all_group_messages=False, supports_inline_queries=False)
        return user

    # ----------------------------------------------------------------- dispatch

    def _handle(self, method: str, content_type: str, body: bytes, query: str) -> Any:
        params, files = _decode_body(content_type, body, query)
        logged = dict(params)
        for key, (name, data, mime) in files.items():
            logged[key] = {"file_name": name, "size": len(data), "mime_type": mime}
        self._begin_call(method, logged)
        handler = self._methods.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found")
        return handler(params, files)

    # ----------------------------------------------------------------- helpers (hold no lock)

    @staticmethod
    def _user(user_id: int, username: str, first_name: str) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}
        if username:
            user["username"] = username
        return user

    def _chat(self, chat_id: int | str) -> JSONDict:
        if chat_id in self._chats:
            return self._chats[chat_id]
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Cán bộ"}
        kind = "supergroup" if str(chat_id).startswith("-100") or isinstance(chat_id, str) else "group"
        return {"id": chat_id, "type": kind, "title": f"Nhóm {chat_id}"}

    def _new_message_id(self, chat_id: int | str) -> int:
        self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
        return self._next_message_id[chat_id]

    def _target_chat(self, params: JSONDict) -> int | str:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad("chat_id is empty")
        if not isinstance(chat_id, int | str):
            raise _bad("chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    @staticmethod
    def _scope_key(params: JSONDict) -> str:
        return json.dumps([params.get("scope") or {"type": "default"}, params.get("language_code", "")], sort_keys=True)

    # ----------------------------------------------------------------- Bot API methods

    def _get_updates(self, params: JSONDict, files: _Files) -> list[JSONDict]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset, limit = int(params.get("offset") or 0), min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        allowed = params.get("allowed_updates")
        with self._cond:
            if isinstance(allowed, list):
                self._allowed_updates = [str(a) for a in allowed]
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
            if self._allowed_updates:
                wanted = set(self._allowed_updates)
                self._updates = [u for u in self._updates if wanted.intersection(u)]
            self._wait_for_updates(timeout)
            return list(self._updates[:limit])

    def _store_sent(
        self, method: str, params: JSONDict, message: JSONDict, markup: JSONDict | None, **extra: Any
    ) -> None:
        text = params.get("text", params.get("caption", ""))
        self.sent.append(
            SentMessage(
                method=method,
                chat_id=message["chat"]["id"],
                message_id=message["message_id"],
                text="" if text is None else str(text),
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                plain_text=str(message.get("text", message.get("caption", ""))),
                **extra,
            )
        )

    def _send_message(self, params: JSONDict, files: _Files) -> JSONDict:
        chat_id = self._target_chat(params)
        visible, entities = _render(
            params.get("text"), params.get("parse_mode"), limit=MAX_MESSAGE_LENGTH, what="message"
        )
        markup = validate_reply_markup(params.get("reply_markup"))
        with self._cond:
            message: JSONDict = {
                "message_id": self._new_message_id(chat_id),
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": self.bot_user(),
                "text": visible,
            }
            if entities:
                message["entities"] = entities
            if markup is not None and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            self._messages[(chat_id, message["message_id"])] = message
            self._store_sent("sendMessage", params, message, markup)
        return message

    def _edit_message_text(self, params: JSONDict, files: _Files) -> JSONDict | bool:
        visible, entities = _render(
            params.get("text"), params.get("parse_mode"), limit=MAX_MESSAGE_LENGTH, what="message"
        )
        markup = validate_reply_markup(params.get("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise _bad("inline keyboard expected")
        if params.get("inline_message_id"):
            return True
        chat_id = self._target_chat(params)
        if not isinstance(params.get("message_id"), int):
            raise _bad("message identifier is not specified")
        with self._cond:
            old = self._messages.get((chat_id, params["message_id"]))
            if old is None or "text" not in old:
                raise _bad("message to edit not found")
            if old["from"].get("id") != self.bot_id:
                raise _bad("message can't be edited")
            if (old["text"], old.get("entities", []), old.get("reply_markup")) == (visible, entities, markup):
                raise _bad(_NOT_MODIFIED)
            message = {k: v for k, v in old.items() if k not in ("entities", "reply_markup")}
            message.update(text=visible, edit_date=int(time.time()))
            if entities:
                message["entities"] = entities
            if markup is not None:
                message["reply_markup"] = markup
            self._messages[(chat_id, message["message_id"])] = message
            self._store_sent("editMessageText", params, message, markup)
        return message

    def _send_document(self, params: JSONDict, files: _Files) -> JSONDict:
        chat_id = self._target_chat(params)
        ref = params.get("document")
        key = "document"
        if isinstance(ref, str) and ref.startswith("attach://"):
            key = ref.removeprefix("attach://")
        if key in files:
            name, data, mime = files[key]
        elif isinstance(ref, str) and ref:
            name, data, mime = ref.rsplit("/", 1)[-1], b"", "application/octet-stream"
        else:
            raise _bad("there is no document in the request")
        caption, entities = _render(
            params.get("caption"), params.get("parse_mode"), limit=MAX_CAPTION_LENGTH, what="caption"
        )
        markup = validate_reply_markup(params.get("reply_markup"))
        with self._cond:
            message_id = self._new_message_id(chat_id)
            message: JSONDict = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": self.bot_user(),
                "document": {
                    "file_id": f"doc-{chat_id}-{message_id}",
                    "file_name": name,
                    "file_unique_id": f"u{chat_id}x{message_id}",
                    "mime_type": mime,
                    "file_size": len(data),
                },
            }
            if caption:
                message["caption"] = caption
            if entities:
                message["caption_entities"] = entities
            if markup is not None and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            self._messages[(chat_id, message_id)] = message
            self._store_sent("sendDocument", params, message, markup, document_name=name, document_bytes=data)
        return message

    def _send_photo(self, params: JSONDict, files: _Files) -> JSONDict:
        """sendPhoto (https://core.telegram.org/bots/api#sendphoto): the answer's Message.photo is an array of
        PhotoSize (file_id, file_unique_id, width, height, file_size); the bytes are kept for the test."""
        chat_id = self._target_chat(params)
        ref = params.get("photo")
        key = ref.removeprefix("attach://") if isinstance(ref, str) and ref.startswith("attach://") else "photo"
        if key not in files:
            raise _bad("Bad Request: there is no photo in the request")
        name, data, _mime = files[key]
        if not data.startswith(b"\x89PNG") and not data.startswith(b"\xff\xd8"):
            raise _bad("Bad Request: IMAGE_PROCESS_FAILED")
        with self._cond:
            message_id = self._new_message_id(chat_id)
            message: JSONDict = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": self.bot_user(),
                "photo": [
                    {
                        "file_id": f"photo-{chat_id}-{message_id}",
                        "file_unique_id": f"p{chat_id}x{message_id}",
                        "width": 900,
                        "height": 300,
                        "file_size": len(data),
                    }
                ],
            }
            self._messages[(chat_id, message_id)] = message
            self._store_sent("sendPhoto", params, message, None, document_name=name, document_bytes=data)
        return message

    def _get_file(self, params: JSONDict, files: _Files) -> JSONDict:
        file_id = str(params.get("file_id", ""))
        with self._cond:
            found = self._files.get(file_id)
        if found is None:
            raise _bad("Bad Request: invalid file_id")
        file_path, data = found
        if len(data) > MAX_DOWNLOAD_BYTES:  # the Bot API refuses files over 20 MB
            raise _bad("Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"AgAD{file_id[-4:]}",
            "file_size": len(data),
            "file_path": file_path,
        }

    def _answer_callback_query(self, params: JSONDict, files: _Files) -> bool:
        if str(params.get("callback_query_id", "")) not in self._callback_ids:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text", ""))) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        return True

    def _set_my_commands(self, params: JSONDict, files: _Files) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("commands must be an Array of at most 100 BotCommand")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(str(command.get("command"))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description") or "")) <= 256:
                raise _bad("command description is empty or too long")
        with self._cond:
            self.commands = [dict(c) for c in commands]
            self._my_commands[self._scope_key(params)] = self.commands
        return True

    def _delete_my_commands(self, params: JSONDict, files: _Files) -> bool:
        with self._cond:
            if self._my_commands.pop(self._scope_key(params), None) is self.commands:
                self.commands = []
        return True

    def _delete_webhook(self, params: JSONDict, files: _Files) -> bool:
        with self._cond:
            self.webhook_url = ""
            if params.get("drop_pending_updates") is True:
                self._updates.clear()
        return True

    def _set_webhook(self, params: JSONDict, files: _Files) -> bool:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        with self._cond:
            self.webhook_url = url
            if params.get("drop_pending_updates") is True:
                self._updates.clear()
        return True

    def _send_chat_action(self, params: JSONDict, files: _Files) -> bool:
        self._target_chat(params)
        if not params.get("action"):
            raise _bad("wrong parameter action in request")
        return True

    def _get_chat(self, params: JSONDict, files: _Files) -> JSONDict:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int | str) or chat_id == "":
            raise _bad("chat not found")
        with self._cond:
            chat = dict(self._chat(chat_id))
        chat.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return chat
