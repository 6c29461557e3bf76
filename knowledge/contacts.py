"""Contacts, roles, invites, registration requests and the admin audit log: records and pure rules.

A *contact* is one chat (a Telegram or Zalo conversation) the bot knows: whose agency it speaks for and what it may
do. Officers ask about their agency's tasks, coordinators also get reminders, admins register contacts. Chat ids are
strings for every channel (Telegram's integers are stored as ``str(chat_id)``).

Nothing here touches a database, a network or the clock; :mod:`knowledge.storage.contacts` stores these records.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar, Literal, get_args

from knowledge.errors import InvalidInputError, TaskbotError
from knowledge.text import fold

__all__ = [
    "CHANNELS",
    "INVITE_TTL",
    "ROLES",
    "AuditEntry",
    "Channel",
    "Contact",
    "ContactRole",
    "Invite",
    "InviteError",
    "InviteFailure",
    "RegistrationError",
    "RegistrationRequest",
    "RequestStatus",
    "invite_link",
    "is_valid_invite_token",
    "new_invite_token",
    "check_chat_id",
    "parse_channel",
    "parse_role",
    "role_label",
]

Channel = Literal["telegram", "zalo"]
ContactRole = Literal["officer", "coordinator", "admin"]
RequestStatus = Literal["pending", "approved", "denied"]
InviteFailure = Literal["unknown", "used", "expired"]

CHANNELS: tuple[Channel, ...] = get_args(Channel)
ROLES: tuple[ContactRole, ...] = get_args(ContactRole)

INVITE_TTL = timedelta(days=7)
"""How long an invite stays redeemable."""

_INVITE_TOKEN_BYTES = 18  # 24 URL-safe characters, 144 bits
_TELEGRAM_START_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


class InviteError(TaskbotError):
    """An invite token cannot be redeemed: unknown, already used or expired (``reason`` says which)."""

    user_message = "Mã mời không hợp lệ."

    _MESSAGES: ClassVar[dict[InviteFailure, str]] = {
        "unknown": "Mã mời không hợp lệ.",
        "used": "Mã mời này đã được sử dụng.",
        "expired": "Mã mời đã hết hạn. Vui lòng xin quản trị viên mã mới.",
    }

    def __init__(self, reason: InviteFailure, message: str = "") -> None:
        super().__init__(message or f"invite token cannot be redeemed: {reason}", user_message=self._MESSAGES[reason])
        self.reason: InviteFailure = reason


class RegistrationError(TaskbotError):
    """A registration request cannot be decided: it was approved or denied already."""

    user_message = "Yêu cầu đăng ký này đã được xử lý."


@dataclass(frozen=True, kw_only=True, slots=True)
class Contact:
    """A chat the bot knows, the agency it speaks for and its role."""

    id: int
    channel: Channel
    chat_id: str
    user_id: str | None
    display_name: str
    agency: str | None  # canonical agency name
    role: ContactRole
    active: bool
    registered_by: str  # "cli:<login>", "telegram:<user id>", "invite:<issuer>", ...
    created_at: datetime
    updated_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.active and self.role == "admin"

    @property
    def is_coordinator(self) -> bool:
        return self.active and self.role == "coordinator"


@dataclass(frozen=True, kw_only=True, slots=True)
class Invite:
    """A single-use token that registers the chat redeeming it as ``role`` of ``agency``."""

    token: str
    agency: str  # canonical agency name
    role: ContactRole
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    used_by_chat: str | None = None

    def usable(self, now: datetime) -> bool:
        """Whether the invite can still be redeemed at ``now``."""
        return self.used_at is None and now < self.expires_at


@dataclass(frozen=True, kw_only=True, slots=True)
class RegistrationRequest:
    """A chat asking to be registered with an agency; an admin approves or denies it."""

    id: int
    channel: Channel
    chat_id: str
    user_id: str | None
    display_name: str
    agency: str | None  # canonical agency name, None when the requester named none the registry knows
    status: RequestStatus
    created_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class AuditEntry:
    """One line of the admin audit log."""

    id: int
    at: datetime
    actor: str
    action: str  # "contact.upsert", "invite.redeem", ...
    detail: str
    allowed: bool


_ROLE_WORDS: dict[str, ContactRole] = {
    # officer
    "officer": "officer",
    "can bo": "officer",
    "chuyen vien": "officer",
    "nhan vien": "officer",
    # coordinator
    "coordinator": "coordinator",
    "dieu phoi": "coordinator",
    "nguoi dieu phoi": "coordinator",
    "dieu phoi vien": "coordinator",
    "dau moi": "coordinator",
    "can bo dau moi": "coordinator",
    # admin
    "admin": "admin",
    "administrator": "admin",
    "quan tri": "admin",
    "quan tri vien": "admin",
}

_ROLE_LABELS: dict[ContactRole, str] = {
    "officer": "cán bộ",
    "coordinator": "điều phối",
    "admin": "quản trị",
}


def parse_role(text: str) -> ContactRole | None:
    """The role ``text`` names, in English or Vietnamese, with or without diacritics; None when unrecognised."""
    return _ROLE_WORDS.get(fold(text))


def role_label(role: ContactRole) -> str:
    """The Vietnamese label of ``role``: "cán bộ", "điều phối" or "quản trị"."""
    return _ROLE_LABELS[role]


def parse_channel(text: str) -> Channel | None:
    """The channel ``text`` names ("telegram", "zalo", any case); None when unrecognised."""
    key = fold(text)
    for channel in CHANNELS:
        if key == channel:
            return channel
    return None


def new_invite_token() -> str:
    """A fresh random invite token: URL-safe, usable as a Telegram ``/start`` payload (``[A-Za-z0-9_-]{,64}``)."""
    while True:  # a digit marks it as a code when a Zalo user sends it alone (see bot.conversation)
        token = secrets.token_urlsafe(_INVITE_TOKEN_BYTES)
        if any(c.isdigit() for c in token) and any(c.isalpha() for c in token):
            return token


def is_valid_invite_token(text: str) -> bool:
    """Whether ``text`` has the shape of an invite token (a cheap check before asking the database)."""
    return _TELEGRAM_START_PAYLOAD.fullmatch(text) is not None


def invite_link(bot_username: str, token: str) -> str:
    """The Telegram deep link that starts a chat with the bot and redeems ``token``."""
    return f"https://t.me/{bot_username.strip().lstrip('@')}?start={token}"


MAX_CHAT_ID = 64
_CHAT_ID_SHAPES: dict[Channel, tuple[re.Pattern[str], str]] = {
    # Bot API: Chat.id is an integer of at most 52 significant bits, negative for groups and channels.
    "telegram": (re.compile(r"-?\d{1,20}"), "một số nguyên (số âm với nhóm), ví dụ 123456789 hoặc -1001234567890"),
    # Zalo Bot Platform: chat.id is an opaque string of letters and digits (python-zalo-bot Chat.id: str).
    "zalo": (re.compile(r"[A-Za-z0-9_-]{1,64}"), "chuỗi chữ và số mà Zalo cấp, ví dụ 6ede9afa66b88fe6d6a9"),
}


def check_chat_id(channel: Channel, chat_id: str | int) -> str:
    """``chat_id`` stripped, when it has the channel's shape; else :class:`InvalidInputError` in Vietnamese (control
    characters, over-long or malformed ids never reach the database)."""
    chat = str(chat_id).strip()
    pattern, shape = _CHAT_ID_SHAPES[channel]
    if not chat or len(chat) > MAX_CHAT_ID or not pattern.fullmatch(chat):
        shown = chat[:20].encode("unicode_escape").decode("ascii") + ("…" if len(chat) > 20 else "")
        raise InvalidInputError(
            f"invalid {channel} chat id {shown!r}",
            user_message=f"Mã chat “{shown}” không hợp lệ cho {channel.capitalize()}: cần {shape}.",
        )
    return chat
