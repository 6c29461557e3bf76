"""What every part of the conversation shares: the incoming message, the chat's contact, remembered choices, roles.

:class:`ChatState` is one per process (shared by every channel). The conversation's desks — questions
(:mod:`bot.conversation`), registration and administration (:mod:`bot.admin_desk`), progress reports
(:mod:`bot.progress_desk`) — read and write chat state only through it.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal

from bot.services import Services
from knowledge.answers import Answer, Query
from knowledge.contacts import Channel, Contact
from knowledge.errors import NotFoundError
from knowledge.records import Agency
from knowledge.reply import Outgoing, Reply, ReplyBuilder

__all__ = ["NOT_ON_CONSOLE", "ChatChannel", "ChatState", "Incoming", "LastAnswer", "Pending", "text_reply"]

log = logging.getLogger(__name__)

ChatChannel = Literal["telegram", "zalo", "console"]
NOT_ON_CONSOLE = "Lệnh này chỉ dùng trên Telegram hoặc Zalo."

_ACTION_CACHE = 20_000
_CONTACT_TTL = 60.0  # seconds; other processes' changes show at once when the watch job runs (Services.watch_changes)


@dataclass(frozen=True, kw_only=True, slots=True)
class Incoming:
    """A message as the core sees it, whatever channel it came from."""

    channel: ChatChannel
    chat_id: str
    user_id: str | None = None
    display_name: str = ""
    text: str = ""
    is_group: bool = False
    agency: str | None = None  # the asker's agency when the channel itself knows it (console --agency)

    @property
    def actor(self) -> str:
        return f"{self.channel}:{self.user_id or self.chat_id}"

    @property
    def registered_channel(self) -> Channel | None:
        """The channel contacts are registered on; None for the console, which has no contacts."""
        if self.channel == "console":
            return None
        return self.channel


@dataclass(frozen=True, kw_only=True, slots=True)
class Pending:
    """What a button (or the numbered choice standing for it) does when pressed.

    An "ask" runs ``query`` (a typed engine query: another page, a task's details, an agency's tasks) or, without
    one, handles ``text`` as if typed (an example question, a command such as "/dangky"). A "request" decides a
    registration request; an "import" confirms (``approve``) or cancels the plan upload whose token is ``text``.
    """

    kind: Literal["ask", "request", "import"]
    query: Query | None = None
    text: str = ""
    request_id: int = 0
    approve: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class LastAnswer:
    """What a chat was last answered: the query (for typed paging labels) and its plans (for "kế hoạch này")."""

    query: Query
    pages: int
    plans: tuple[str, ...]


def text_reply(*lines: str) -> Reply:
    builder = ReplyBuilder()
    for line in lines:
        builder.line(line)
    return builder.build()


class ChatState:
    """Per-process chat state: contacts by chat (cached briefly), pending button actions, admin checks."""

    def __init__(
        self, services: Services, *, admin_user_ids: frozenset[str] = frozenset(), bot_username: str = ""
    ) -> None:
        self.services = services
        self.admin_user_ids = admin_user_ids
        self.bot_username = bot_username
        self._actions: OrderedDict[str, Pending] = OrderedDict()
        self._answers: OrderedDict[tuple[str, str], LastAnswer] = OrderedDict()
        self._contacts: OrderedDict[tuple[str, str], tuple[Contact | None, float, int]] = OrderedDict()

    # -- contacts -----------------------------------------------------------------------------------------------

    async def contact_of(self, incoming: Incoming) -> Contact | None:
        """The chat's active contact, from a short-lived cache (this process's own writes invalidate it)."""
        channel = incoming.registered_channel
        if channel is None:
            return None
        key = (channel, incoming.chat_id)
        cached = self._contacts.get(key)
        now = time.monotonic()
        version = self.services.contacts_version
        if cached is not None and cached[1] > now and cached[2] == version:
            return cached[0]
        contact = await self.services.db(self.services.contacts.get, channel, incoming.chat_id)
        active = contact if contact is not None and contact.active else None
        self._contacts[key] = (active, now + _CONTACT_TTL, version)
        while len(self._contacts) > _ACTION_CACHE:
            self._contacts.popitem(last=False)
        return active

    def forget_contact(self, channel: str, chat_id: str) -> None:
        """Drop a chat from the contact cache after its registration changed."""
        self._contacts.pop((channel, chat_id), None)

    # -- buttons and numbered choices ---------------------------------------------------------------------------

    def remember(self, pending: Pending) -> str:
        """A short opaque token for a button's action (it fits Telegram's 64-byte callback data)."""
        token = secrets.token_urlsafe(6)
        self._actions[token] = pending
        while len(self._actions) > _ACTION_CACHE:
            self._actions.popitem(last=False)
        return token

    def pending(self, token: str) -> Pending | None:
        return self._actions.get(token)

    def set_numbered(self, incoming: Incoming, actions: list[str]) -> None:
        """The choices a bare number typed next in this chat picks from."""
        self.services.offer(incoming.channel, incoming.chat_id, actions)

    # -- the chat's last answer ---------------------------------------------------------------------------------

    def remember_answer(self, incoming: Incoming, answer: Answer) -> None:
        key = (incoming.channel, incoming.chat_id)
        self._answers.pop(key, None)
        self._answers[key] = LastAnswer(query=answer.query, pages=answer.pages, plans=answer.plans)
        while len(self._answers) > _ACTION_CACHE:
            self._answers.popitem(last=False)

    def last_answer(self, incoming: Incoming) -> LastAnswer | None:
        return self._answers.get((incoming.channel, incoming.chat_id))

    # -- roles --------------------------------------------------------------------------------------------------

    async def is_admin(self, incoming: Incoming) -> bool:
        if incoming.channel == "telegram" and incoming.user_id is not None and incoming.user_id in self.admin_user_ids:
            return True
        if not incoming.is_group:  # in a group, the group's own registration says nothing about the person
            contact = await self.contact_of(incoming)
            if contact is not None and contact.is_admin:
                return True
        channel = incoming.registered_channel
        if incoming.user_id is not None and channel is not None:
            by_user = await self.services.db(self.services.contacts.find_by_user, channel, incoming.user_id)
            return by_user is not None and by_user.is_admin
        return False

    async def admin_chats(self) -> list[tuple[Channel, str]]:
        chats: dict[tuple[Channel, str], None] = {("telegram", uid): None for uid in sorted(self.admin_user_ids)}
        contacts = await self.services.db(self.services.contacts.list_contacts)
        for contact in contacts:
            if contact.is_admin:
                chats[(contact.channel, contact.chat_id)] = None
        return list(chats)

    async def refuse(self, incoming: Incoming, action: str) -> list[Outgoing]:
        """Refuse an admin-only action: audited, logged, and a polite Vietnamese reply."""
        await self.services.db(
            self.services.contacts.audit,
            actor=incoming.actor,
            action=action,
            detail=f"refused: not an admin (chat {incoming.chat_id})",
            allowed=False,
            now=self.services.now(),
        )
        log.warning("non-admin %s tried %s", incoming.actor, action)
        return [Outgoing(reply=text_reply("Xin lỗi, lệnh này chỉ dành cho quản trị viên."))]

    # -- agencies -----------------------------------------------------------------------------------------------

    def agency(self, text: str) -> Agency:
        """The agency ``text`` names (exact or close enough), or a :class:`NotFoundError` with a Vietnamese message."""
        resolution = self.services.engine.kb.registry.resolve(text)
        if resolution is None:
            raise NotFoundError(
                f"unknown agency {text!r}", user_message=f"Không nhận ra cơ quan “{text}”. Kiểm tra lại tên cơ quan."
            )
        return resolution.agency
