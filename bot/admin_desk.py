"""Registration and administration in chat: invites, registration requests and their approval, admin commands.

Every admin action, and every refused attempt, is audited by the contact repository.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.chat_state import NOT_ON_CONSOLE, ChatState, Incoming, Pending, text_reply
from knowledge.contacts import (
    Channel,
    ContactRole,
    InviteError,
    check_chat_id,
    invite_link,
    is_valid_invite_token,
    parse_role,
    role_label,
)
from knowledge.errors import NotFoundError
from knowledge.reply import Button, Outgoing, ReplyBuilder, bold, fmt_date, italic
from knowledge.text import fold

__all__ = ["ADMIN_COMMANDS", "AdminDesk", "is_group_chat", "looks_like_token"]

log = logging.getLogger(__name__)

REQUESTS_PER_HOUR = 3
_TRACKED_USERS = 10_000

ADMIN_COMMANDS = frozenset({"moi", "them", "xoa", "danhba", "vaitro", "duyet", "tuchoi"})


class AdminDesk:
    """Invites, registration requests and admin commands, over the shared :class:`ChatState`."""

    def __init__(self, state: ChatState) -> None:
        self.state = state
        self._requests_by_user: dict[tuple[str, str], list[datetime]] = {}  # when each user last sent /dangky

    async def welcome(self, incoming: Incoming) -> list[Outgoing]:
        contact = await self.state.contact_of(incoming)
        builder = ReplyBuilder().line("Xin chào! Tôi là ", bold("Trợ lý nhiệm vụ"), ".")
        if contact is not None and contact.agency:
            builder.line(f"Bạn đã đăng ký: {role_label(contact.role)} của {contact.agency}.")
            builder.line("Gõ /cuatoi để xem nhiệm vụ của cơ quan, /sapden để xem việc sắp đến hạn.")
        else:
            builder.line("Bạn chưa đăng ký cơ quan. Nhập mã mời của quản trị viên, hoặc gõ /dangky <tên cơ quan>.")
        builder.line("Bạn có thể hỏi bằng tiếng Việt, ví dụ: “Sở Tài chính có nhiệm vụ gì?”, “hạn báo cáo hằng năm?”.")
        return [Outgoing(reply=builder.build())]

    async def redeem(self, incoming: Incoming, token: str) -> list[Outgoing]:
        channel = incoming.registered_channel
        if channel is None:
            return [Outgoing(reply=text_reply(NOT_ON_CONSOLE))]
        now = self.state.services.now()
        try:
            contact = await self.state.services.db(
                self.state.services.contacts.redeem_invite,
                token,
                channel=channel,
                chat_id=incoming.chat_id,
                user_id=incoming.user_id,
                display_name=incoming.display_name,
                now=now,
            )
        except InviteError as exc:
            return [Outgoing(reply=text_reply(exc.user_message))]
        self.state.forget_contact(channel, incoming.chat_id)
        builder = ReplyBuilder()
        builder.line("Đăng ký thành công: ", bold(f"{role_label(contact.role)} của {contact.agency}"), ".")
        builder.line("Gõ /cuatoi để xem nhiệm vụ của cơ quan bạn.")
        my_tasks = self.state.services.engine.commands.my_tasks(contact.agency)
        mine = self.state.remember(Pending(kind="ask", query=my_tasks))
        self.state.set_numbered(incoming, [mine])
        return [Outgoing(reply=builder.build(), buttons=((Button(label="Nhiệm vụ của tôi", action=mine),),))]

    async def register_request(self, incoming: Incoming, args: str) -> list[Outgoing]:
        channel = incoming.registered_channel
        if channel is None:
            return [Outgoing(reply=text_reply(NOT_ON_CONSOLE))]
        if not args:
            return [Outgoing(reply=text_reply("Gõ tên cơ quan sau lệnh, ví dụ: /dangky Sở Tài chính"))]
        agency = self.state.agency(args)
        now = self.state.services.now()
        if not self._within_request_limit(incoming, now):
            await self.state.services.db(
                self.state.services.contacts.audit,
                actor=incoming.actor,
                action="request.create",
                detail=f"refused: more than {REQUESTS_PER_HOUR} requests within an hour (chat {incoming.chat_id})",
                allowed=False,
                now=now,
            )
            return [
                Outgoing(
                    reply=text_reply(
                        "Bạn đã gửi yêu cầu đăng ký nhiều lần trong một giờ qua. Yêu cầu đã gửi vẫn đang chờ quản trị "
                        "viên duyệt; vui lòng thử lại sau."
                    )
                )
            ]
        request = await self.state.services.db(
            self.state.services.contacts.create_request,
            channel=channel,
            chat_id=incoming.chat_id,
            agency=agency.name,
            user_id=incoming.user_id,
            display_name=incoming.display_name,
            now=now,
        )
        out = [
            Outgoing(
                reply=text_reply(
                    f"Đã gửi yêu cầu đăng ký làm cán bộ của {agency.name}. Quản trị viên sẽ duyệt và bot sẽ báo lại."
                )
            )
        ]
        approve = self.state.remember(Pending(kind="request", request_id=request.id, approve=True))
        deny = self.state.remember(Pending(kind="request", request_id=request.id, approve=False))
        notice = ReplyBuilder()
        who = incoming.display_name or incoming.chat_id
        notice.line(
            f"Yêu cầu đăng ký mới số {request.id}: ", bold(who), f" (chat {incoming.chat_id}, {incoming.channel})"
        )
        notice.line(f"Cơ quan: {agency.name}")
        notice.line(f"Duyệt: /duyet {request.id} — từ chối: /tuchoi {request.id}")
        buttons = ((Button(label="Duyệt", action=approve), Button(label="Từ chối", action=deny)),)
        # Approvals never become numbered choices: a bare number keeps answering what the admin was shown last, and a
        # request is decided only by its own button or a command naming it. Personal data goes to private chats only.
        for channel, chat_id in await self.state.admin_chats():
            if is_group_chat(channel, chat_id):
                continue
            out.append(Outgoing(reply=notice.build(), buttons=buttons, chat_id=chat_id, channel=channel))
        return out

    def _within_request_limit(self, incoming: Incoming, now: datetime) -> bool:
        """At most :data:`REQUESTS_PER_HOUR` registration requests (each one notifies every admin) per user an hour."""
        key = (incoming.channel, incoming.user_id or incoming.chat_id)
        recent = [t for t in self._requests_by_user.get(key, []) if now - t < timedelta(hours=1)]
        if len(recent) >= REQUESTS_PER_HOUR:
            self._requests_by_user[key] = recent
            return False
        self._requests_by_user[key] = [*recent, now]
        if len(self._requests_by_user) > _TRACKED_USERS:
            self._requests_by_user.pop(next(iter(self._requests_by_user)))
        return True

    async def decide(self, incoming: Incoming, request_id: int, approve: bool) -> list[Outgoing]:
        if not await self.state.is_admin(incoming):
            return await self.state.refuse(incoming, "request.decide")
        request = await self.state.services.db(
            self.state.services.contacts.decide_request,
            request_id,
            approve=approve,
            by=incoming.actor,
            now=self.state.services.now(),
        )
        self.state.forget_contact(request.channel, request.chat_id)
        verdict = "đã được duyệt" if approve else "đã bị từ chối"
        out = [Outgoing(reply=text_reply(f"Yêu cầu của {request.display_name or request.chat_id} {verdict}."))]
        message = f"Yêu cầu đăng ký của bạn {verdict}." + (
            f" Bạn là cán bộ của {request.agency}. Gõ /cuatoi để xem nhiệm vụ." if approve and request.agency else ""
        )
        out.append(Outgoing(reply=text_reply(message), chat_id=request.chat_id, channel=request.channel))
        return out

    async def command(self, incoming: Incoming, name: str, args: str) -> list[Outgoing]:
        home = incoming.registered_channel
        if home is None:
            return [Outgoing(reply=text_reply(NOT_ON_CONSOLE + " Trên máy chủ, dùng: taskbot contacts …"))]
        if not await self.state.is_admin(incoming):
            return await self.state.refuse(incoming, f"command./{name}")
        contacts = self.state.services.contacts
        now = self.state.services.now()
        if name in ("duyet", "tuchoi"):
            request_id = args.strip().lstrip("#")
            if not request_id.isdigit():
                return [Outgoing(reply=text_reply(f"Cú pháp: /{name} <số yêu cầu>, ví dụ: /{name} 12"))]
            return await self.decide(incoming, int(request_id), approve=name == "duyet")
        if name == "moi":
            rest, role = _split_role(args)
            if not rest:
                return [Outgoing(reply=text_reply("Cú pháp: /moi <cơ quan> [vai trò], ví dụ: /moi Sở Tài chính"))]
            agency = self.state.agency(rest)
            invite = await self.state.services.db(
                contacts.create_invite, agency=agency.name, role=role, created_by=incoming.actor, now=now
            )
            builder = ReplyBuilder()
            builder.line(
                "Mã mời ",
                bold(f"{role_label(role)} của {agency.name}"),
                f" (dùng một lần, hết hạn {fmt_date(invite.expires_at.astimezone(now.tzinfo))}):",
            )
            if self.state.bot_username:
                builder.line("Telegram: ", invite_link(self.state.bot_username, invite.token))
            builder.line("Hoặc gửi cho bot: /start ", invite.token)
            return [Outgoing(reply=builder.build())]
        if name == "them":
            parts = args.split(maxsplit=1)
            if len(parts) < 2:
                return [Outgoing(reply=text_reply("Cú pháp: /them <chat_id> <cơ quan> [vai trò]"))]
            channel, chat_id = _channel_chat(parts[0], home)
            rest, role = _split_role(parts[1])
            agency = self.state.agency(rest)
            contact = await self.state.services.db(
                contacts.upsert_contact,
                channel=channel,
                chat_id=chat_id,
                agency=agency.name,
                role=role,
                registered_by=incoming.actor,
                now=now,
            )
            self.state.forget_contact(channel, chat_id)
            return [
                Outgoing(
                    reply=text_reply(f"Đã thêm {contact.chat_id} ({channel}): {role_label(role)} của {agency.name}.")
                )
            ]
        if name == "xoa":
            if not args:
                return [Outgoing(reply=text_reply("Cú pháp: /xoa <chat_id>"))]
            channel, chat_id = _channel_chat(args.split()[0], home)
            removed = await self.state.services.db(contacts.deactivate, channel, chat_id, by=incoming.actor, now=now)
            self.state.forget_contact(channel, chat_id)
            text = f"Đã ngừng liên hệ {chat_id}." if removed else f"Không có liên hệ đang hoạt động {chat_id}."
            return [Outgoing(reply=text_reply(text))]
        if name == "vaitro":
            parts = args.split(maxsplit=1)
            role_parsed = parse_role(parts[1]) if len(parts) == 2 else None
            if role_parsed is None:
                return [Outgoing(reply=text_reply("Cú pháp: /vaitro <chat_id> <cán bộ|điều phối|quản trị>"))]
            channel, chat_id = _channel_chat(parts[0], home)
            try:
                contact = await self.state.services.db(
                    contacts.set_role, channel, chat_id, role_parsed, by=incoming.actor, now=now
                )
            except NotFoundError:
                return [Outgoing(reply=text_reply(f"Không có liên hệ {chat_id}."))]
            self.state.forget_contact(channel, chat_id)
            return [Outgoing(reply=text_reply(f"{contact.chat_id} giờ là {role_label(contact.role)}."))]
        # danhba
        agency_name = self.state.agency(args).name if args else None
        listed = await self.state.services.db(contacts.list_contacts, agency=agency_name)
        builder = ReplyBuilder()
        title = f"Danh bạ {agency_name}" if agency_name else "Danh bạ"
        builder.line(bold(f"{title}: {len(listed)} liên hệ"))
        for contact in listed[:100]:
            name_part = f" {contact.display_name}" if contact.display_name else ""
            where = contact.agency or "chưa có cơ quan"
            builder.line(f"• {contact.chat_id} ({contact.channel}){name_part} — {role_label(contact.role)}, {where}")
        if len(listed) > 100:
            builder.line(italic(f"… và {len(listed) - 100} liên hệ khác (xem đủ bằng lệnh: taskbot contacts list)"))
        return [Outgoing(reply=builder.build())]


def _split_role(args: str) -> tuple[str, ContactRole]:
    """``"Sở Tài chính điều phối"`` → ``("Sở Tài chính", "coordinator")``; officer when no role is named."""
    words = args.split()
    for take in (3, 2, 1):
        if len(words) > take:
            role = parse_role(" ".join(words[-take:]))
            if role is not None:
                return " ".join(words[:-take]), role
    return args.strip(), "officer"


def _channel_chat(text: str, default: Channel) -> tuple[Channel, str]:
    """``"zalo:123"`` → ``("zalo", "123")``; a bare id belongs to ``default``; the id must have the channel's
    shape (:func:`check_chat_id`, an :class:`InvalidInputError` in Vietnamese otherwise)."""
    prefix, _, rest = text.partition(":")
    if rest and fold(prefix) in ("telegram", "zalo"):
        channel: Channel = "zalo" if fold(prefix) == "zalo" else "telegram"
        return channel, check_chat_id(channel, rest)
    return default, check_chat_id(default, text)


def is_group_chat(channel: str, chat_id: str) -> bool:
    """Whether a chat is a group: on Telegram group and channel ids are negative (Bot API, Chat.id); a Zalo bot
    talks to one user per chat."""
    return channel == "telegram" and chat_id.startswith("-")


def looks_like_token(text: str) -> bool:
    """An invite code sent alone (Zalo): one long word of token characters, not an ordinary lowercase word."""
    return (
        16 <= len(text) <= 64
        and is_valid_invite_token(text)
        and any(c.isdigit() for c in text)
        and any(c.isalpha() for c in text)
    )
