"""The channel-neutral conversation: commands, free-text questions, buttons, invites, registration and admin work.

Channel adapters (Telegram, Zalo, the console) turn their updates into :class:`Incoming` values, call
:meth:`Conversation.on_text` or :meth:`Conversation.on_action`, and render the :class:`Outgoing` messages they get
back: Telegram as HTML with inline keyboards, Zalo as plain text with numbered choices. A bare number typed as a
reply picks one of the choices last offered in that chat, so both channels work the same way.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.services import Services
from knowledge.answers import Answer
from knowledge.contacts import (
    Channel,
    Contact,
    ContactRole,
    InviteError,
    invite_link,
    is_valid_invite_token,
    parse_role,
    role_label,
)
from knowledge.errors import NotFoundError, TaskbotError
from knowledge.records import Agency, Task
from knowledge.reply import Button, Outgoing, Reply, ReplyBuilder, bold, fmt_date, italic
from knowledge.text import fold
from scheduler.messages import ReminderAction, decode_action
from scheduler.records import CATEGORY_LABELS, ReportStatus, classify_report

__all__ = ["COMMANDS", "Button", "Conversation", "Incoming", "Outgoing"]

log = logging.getLogger(__name__)

# Command names (ASCII) with their Vietnamese descriptions, as registered with the chat platform.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Bắt đầu, nhập mã mời"),
    ("help", "Hướng dẫn sử dụng"),
    ("nhiemvu", "Nhiệm vụ của một cơ quan: /nhiemvu Sở Tài chính"),
    ("cuatoi", "Nhiệm vụ của cơ quan tôi"),
    ("sapden", "Nhiệm vụ sắp đến hạn"),
    ("quahan", "Nhiệm vụ quá hạn"),
    ("timkiem", "Tìm nhiệm vụ theo từ khóa"),
    ("kehoach", "Thông tin kế hoạch"),
    ("chitiet", "Chi tiết nhiệm vụ: /chitiet XV.6"),
    ("dangky", "Đăng ký cơ quan của tôi: /dangky Sở Tài chính"),
    ("baocao", "Báo cáo tiến độ: /baocao XV.6 xong [ghi chú]"),
    ("tinhhinh", "Tình hình thực hiện theo cơ quan: /tinhhinh [cơ quan]"),
    ("moi", "(Quản trị) Tạo mã mời: /moi <cơ quan> [vai trò]"),
    ("them", "(Quản trị) Thêm liên hệ: /them <chat_id> <cơ quan> [vai trò]"),
    ("xoa", "(Quản trị) Ngừng liên hệ: /xoa <chat_id>"),
    ("danhba", "(Quản trị) Danh bạ: /danhba [cơ quan]"),
    ("vaitro", "(Quản trị) Đổi vai trò: /vaitro <chat_id> <vai trò>"),
)
ADMIN_COMMANDS = frozenset({"moi", "them", "xoa", "danhba", "vaitro"})

_COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@(\w+))?(?:\s+(.*))?$", re.DOTALL)
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
_ACTION_CACHE = 20_000
_CONTACT_TTL = 60.0  # seconds; other instances' registration changes show within a minute
_MAX_CHOICES = 9


ChatChannel = Literal["telegram", "zalo", "console"]
_NOT_ON_CONSOLE = "Lệnh này chỉ dùng trên Telegram hoặc Zalo."


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
class _Pending:
    kind: Literal["ask", "request"]
    query: str = ""
    page: int = 1
    request_id: int = 0
    approve: bool = False


def _text_reply(*lines: str) -> Reply:
    builder = ReplyBuilder()
    for line in lines:
        builder.line(line)
    return builder.build()


class Conversation:
    """Turns messages into replies. One instance per process, shared by every channel."""

    def __init__(
        self, services: Services, *, admin_user_ids: frozenset[str] = frozenset(), bot_username: str = ""
    ) -> None:
        self.services = services
        self.admin_user_ids = admin_user_ids
        self.bot_username = bot_username
        self._actions: OrderedDict[str, _Pending] = OrderedDict()
        self._contacts: OrderedDict[tuple[str, str], tuple[Contact | None, float]] = OrderedDict()

    # -- entry points -------------------------------------------------------------------------------------------

    async def on_text(self, incoming: Incoming) -> list[Outgoing]:
        """Answer a text message (a command, a question, a number picking a choice, or an invite code)."""
        text = incoming.text.strip()
        try:
            number = _NUMBER.match(text)
            if number:
                choices = self.services.offered(incoming.channel, incoming.chat_id)
                index = int(number.group(1)) - 1
                if choices and 0 <= index < len(choices):
                    return await self.on_action(incoming, choices[index])
            command = _COMMAND.match(text)
            if command:
                addressed = command.group(2)
                if addressed and self.bot_username and addressed.lower() != self.bot_username.lower():
                    return []  # "/cmd@other_bot": another bot's command in a group
                return await self._command(incoming, command.group(1).lower(), (command.group(3) or "").strip())
            if incoming.channel == "zalo" and _looks_like_token(text):
                return await self._redeem(incoming, text)
            return await self._ask(incoming, text)
        except TaskbotError as exc:
            log.info("request from %s failed: %s", incoming.actor, exc)
            return [Outgoing(reply=_text_reply(exc.user_message))]

    async def on_action(self, incoming: Incoming, action: str) -> list[Outgoing]:
        """Run a button's action (or a numbered choice)."""
        try:
            reminder_action = decode_action(action)
            if reminder_action is not None:
                return await self._report_button(incoming, reminder_action)
            pending = self._actions.get(action)
            if pending is None:
                return [Outgoing(reply=_text_reply("Lựa chọn này đã hết hạn. Vui lòng hỏi lại."))]
            if pending.kind == "ask":
                return await self._ask(incoming, pending.query, page=pending.page)
            return await self._decide(incoming, pending.request_id, pending.approve)
        except TaskbotError as exc:
            log.info("action from %s failed: %s", incoming.actor, exc)
            return [Outgoing(reply=_text_reply(exc.user_message))]

    # -- questions ----------------------------------------------------------------------------------------------

    async def contact_of(self, incoming: Incoming) -> Contact | None:
        """The chat's active contact, from a short-lived cache (this process's own writes invalidate it)."""
        channel = incoming.registered_channel
        if channel is None:
            return None
        key = (channel, incoming.chat_id)
        cached = self._contacts.get(key)
        now = time.monotonic()
        if cached is not None and cached[1] > now:
            return cached[0]
        contact = await self.services.db(self.services.contacts.get, channel, incoming.chat_id)
        active = contact if contact is not None and contact.active else None
        self._contacts[key] = (active, now + _CONTACT_TTL)
        while len(self._contacts) > _ACTION_CACHE:
            self._contacts.popitem(last=False)
        return active

    def forget_contact(self, channel: str, chat_id: str) -> None:
        """Drop a chat from the contact cache after its registration changed."""
        self._contacts.pop((channel, chat_id), None)

    async def _ask(self, incoming: Incoming, query: str, *, page: int = 1) -> list[Outgoing]:
        contact = await self.contact_of(incoming)
        agency = incoming.agency or (contact.agency if contact else None)
        answer = self.services.engine.answer(
            query, agency=agency, now=self.services.now(), page=page, is_done=self.services.done_check(agency)
        )
        return [self._render_answer(incoming, answer, query)]

    def _render_answer(self, incoming: Incoming, answer: Answer, query: str) -> Outgoing:
        rows: list[tuple[Button, ...]] = []
        numbered: list[str] = []
        for choice in answer.choices[:_MAX_CHOICES]:
            action = self._remember(_Pending(kind="ask", query=choice.query))
            rows.append((Button(label=choice.label, action=action),))
            numbered.append(action)
        suggestion_buttons: list[Button] = []
        for suggestion in answer.suggestions[: _MAX_CHOICES - len(numbered)]:
            page = answer.page + 1 if suggestion.label == "Xem thêm" else 1
            action = self._remember(_Pending(kind="ask", query=suggestion.query or query, page=page))
            suggestion_buttons.append(Button(label=suggestion.label, action=action))
            numbered.append(action)
        for i in range(0, len(suggestion_buttons), 2):
            rows.append(tuple(suggestion_buttons[i : i + 2]))
        self._set_numbered(incoming, numbered)
        return Outgoing(reply=answer.reply, buttons=tuple(rows))

    def _remember(self, pending: _Pending) -> str:
        token = secrets.token_urlsafe(6)
        self._actions[token] = pending
        while len(self._actions) > _ACTION_CACHE:
            self._actions.popitem(last=False)
        return token

    def _set_numbered(self, incoming: Incoming, actions: list[str]) -> None:
        self.services.offer(incoming.channel, incoming.chat_id, actions)

    # -- commands -----------------------------------------------------------------------------------------------

    async def _command(self, incoming: Incoming, name: str, args: str) -> list[Outgoing]:
        if name in ADMIN_COMMANDS:
            return await self._admin(incoming, name, args)
        if name == "start":
            if args and is_valid_invite_token(args):
                return await self._redeem(incoming, args)
            return await self._welcome(incoming)
        if name in ("help", "huongdan", "trogiup"):
            return await self._ask(incoming, "hướng dẫn")
        if name == "nhiemvu":
            return await self._ask(incoming, f"{args} có nhiệm vụ gì" if args else "nhiệm vụ của tôi")
        if name == "cuatoi":
            return await self._ask(incoming, "nhiệm vụ của tôi")
        if name == "sapden":
            return await self._scoped(incoming, "sắp đến hạn", args)
        if name == "quahan":
            return await self._scoped(incoming, "quá hạn", args)
        if name == "timkiem":
            if not args:
                return [Outgoing(reply=_text_reply("Gõ từ khóa sau lệnh, ví dụ: /timkiem phần mềm kế toán"))]
            return await self._ask(incoming, args)
        if name == "kehoach":
            return await self._ask(incoming, "thông tin kế hoạch")
        if name == "chitiet":
            if not args:
                return [Outgoing(reply=_text_reply("Gõ mã nhiệm vụ sau lệnh, ví dụ: /chitiet XV.6"))]
            return await self._ask(incoming, f"chi tiết {args}")
        if name == "dangky":
            return await self._register_request(incoming, args)
        if name == "baocao":
            return await self._report_command(incoming, args)
        if name == "tinhhinh":
            return await self._status(incoming, args)
        answer = self.services.engine.answer("hướng dẫn", now=self.services.now())
        builder = ReplyBuilder().line(f"Không có lệnh /{name}.").blank()
        builder.extend(answer.reply.lines)
        return [Outgoing(reply=builder.build())]

    async def _scoped(self, incoming: Incoming, what: str, args: str) -> list[Outgoing]:
        contact = await self.contact_of(incoming)
        if args:
            return await self._ask(incoming, f"{what} {args}")
        if incoming.agency or (contact is not None and contact.agency and contact.role == "officer"):
            return await self._ask(incoming, f"{what} của tôi")
        return await self._ask(incoming, what)

    async def _welcome(self, incoming: Incoming) -> list[Outgoing]:
        contact = await self.contact_of(incoming)
        builder = ReplyBuilder().line("Xin chào! Tôi là ", bold("Trợ lý nhiệm vụ"), ".")
        if contact is not None and contact.agency:
            builder.line(f"Bạn đã đăng ký: {role_label(contact.role)} của {contact.agency}.")
            builder.line("Gõ /cuatoi để xem nhiệm vụ của cơ quan, /sapden để xem việc sắp đến hạn.")
        else:
            builder.line("Bạn chưa đăng ký cơ quan. Nhập mã mời của quản trị viên, hoặc gõ /dangky <tên cơ quan>.")
        builder.line("Bạn có thể hỏi bằng tiếng Việt, ví dụ: “Sở Tài chính có nhiệm vụ gì?”, “hạn báo cáo hằng năm?”.")
        return [Outgoing(reply=builder.build())]

    async def _redeem(self, incoming: Incoming, token: str) -> list[Outgoing]:
        channel = incoming.registered_channel
        if channel is None:
            return [Outgoing(reply=_text_reply(_NOT_ON_CONSOLE))]
        now = self.services.now()
        try:
            contact = await self.services.db(
                self.services.contacts.redeem_invite,
                token,
                channel=channel,
                chat_id=incoming.chat_id,
                user_id=incoming.user_id,
                display_name=incoming.display_name,
                now=now,
            )
        except InviteError as exc:
            return [Outgoing(reply=_text_reply(exc.user_message))]
        self.forget_contact(channel, incoming.chat_id)
        builder = ReplyBuilder()
        builder.line("Đăng ký thành công: ", bold(f"{role_label(contact.role)} của {contact.agency}"), ".")
        builder.line("Gõ /cuatoi để xem nhiệm vụ của cơ quan bạn.")
        mine = self._remember(_Pending(kind="ask", query="nhiệm vụ của tôi"))
        self._set_numbered(incoming, [mine])
        return [Outgoing(reply=builder.build(), buttons=((Button(label="Nhiệm vụ của tôi", action=mine),),))]

    async def _register_request(self, incoming: Incoming, args: str) -> list[Outgoing]:
        channel = incoming.registered_channel
        if channel is None:
            return [Outgoing(reply=_text_reply(_NOT_ON_CONSOLE))]
        if not args:
            return [Outgoing(reply=_text_reply("Gõ tên cơ quan sau lệnh, ví dụ: /dangky Sở Tài chính"))]
        agency = self._agency(args)
        now = self.services.now()
        request = await self.services.db(
            self.services.contacts.create_request,
            channel=channel,
            chat_id=incoming.chat_id,
            agency=agency.name,
            user_id=incoming.user_id,
            display_name=incoming.display_name,
            now=now,
        )
        out = [
            Outgoing(
                reply=_text_reply(
                    f"Đã gửi yêu cầu đăng ký làm cán bộ của {agency.name}. Quản trị viên sẽ duyệt và bot sẽ báo lại."
                )
            )
        ]
        approve = self._remember(_Pending(kind="request", request_id=request.id, approve=True))
        deny = self._remember(_Pending(kind="request", request_id=request.id, approve=False))
        notice = ReplyBuilder()
        who = incoming.display_name or incoming.chat_id
        notice.line("Yêu cầu đăng ký mới: ", bold(who), f" (chat {incoming.chat_id}, {incoming.channel})")
        notice.line(f"Cơ quan: {agency.name}")
        buttons = ((Button(label="Duyệt", action=approve), Button(label="Từ chối", action=deny)),)
        for channel, chat_id in await self._admin_chats():
            out.append(Outgoing(reply=notice.build(), buttons=buttons, chat_id=chat_id, channel=channel))
            self.services.offer(channel, chat_id, [approve, deny])
        return out

    async def _decide(self, incoming: Incoming, request_id: int, approve: bool) -> list[Outgoing]:
        if not await self._is_admin(incoming):
            return await self._refuse(incoming, "request.decide")
        request = await self.services.db(
            self.services.contacts.decide_request,
            request_id,
            approve=approve,
            by=incoming.actor,
            now=self.services.now(),
        )
        self.forget_contact(request.channel, request.chat_id)
        verdict = "đã được duyệt" if approve else "đã bị từ chối"
        out = [Outgoing(reply=_text_reply(f"Yêu cầu của {request.display_name or request.chat_id} {verdict}."))]
        message = f"Yêu cầu đăng ký của bạn {verdict}." + (
            f" Bạn là cán bộ của {request.agency}. Gõ /cuatoi để xem nhiệm vụ." if approve and request.agency else ""
        )
        out.append(Outgoing(reply=_text_reply(message), chat_id=request.chat_id, channel=request.channel))
        return out

    # -- admin --------------------------------------------------------------------------------------------------

    async def _is_admin(self, incoming: Incoming) -> bool:
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

    async def _admin_chats(self) -> list[tuple[Channel, str]]:
        chats: dict[tuple[Channel, str], None] = {("telegram", uid): None for uid in sorted(self.admin_user_ids)}
        contacts = await self.services.db(self.services.contacts.list_contacts)
        for contact in contacts:
            if contact.is_admin:
                chats[(contact.channel, contact.chat_id)] = None
        return list(chats)

    async def _refuse(self, incoming: Incoming, action: str) -> list[Outgoing]:
        await self.services.db(
            self.services.contacts.audit,
            actor=incoming.actor,
            action=action,
            detail=f"refused: not an admin (chat {incoming.chat_id})",
            allowed=False,
            now=self.services.now(),
        )
        log.warning("non-admin %s tried %s", incoming.actor, action)
        return [Outgoing(reply=_text_reply("Xin lỗi, lệnh này chỉ dành cho quản trị viên."))]

    async def _admin(self, incoming: Incoming, name: str, args: str) -> list[Outgoing]:
        home = incoming.registered_channel
        if home is None:
            return [Outgoing(reply=_text_reply(_NOT_ON_CONSOLE + " Trên máy chủ, dùng: taskbot contacts …"))]
        if not await self._is_admin(incoming):
            return await self._refuse(incoming, f"command./{name}")
        contacts = self.services.contacts
        now = self.services.now()
        if name == "moi":
            rest, role = _split_role(args)
            if not rest:
                return [Outgoing(reply=_text_reply("Cú pháp: /moi <cơ quan> [vai trò], ví dụ: /moi Sở Tài chính"))]
            agency = self._agency(rest)
            invite = await self.services.db(
                contacts.create_invite, agency=agency.name, role=role, created_by=incoming.actor, now=now
            )
            builder = ReplyBuilder()
            builder.line(
                "Mã mời ",
                bold(f"{role_label(role)} của {agency.name}"),
                f" (dùng một lần, hết hạn {fmt_date(invite.expires_at.astimezone(now.tzinfo))}):",
            )
            if self.bot_username:
                builder.line("Telegram: ", invite_link(self.bot_username, invite.token))
            builder.line("Hoặc gửi cho bot: /start ", invite.token)
            return [Outgoing(reply=builder.build())]
        if name == "them":
            parts = args.split(maxsplit=1)
            if len(parts) < 2:
                return [Outgoing(reply=_text_reply("Cú pháp: /them <chat_id> <cơ quan> [vai trò]"))]
            channel, chat_id = _channel_chat(parts[0], home)
            rest, role = _split_role(parts[1])
            agency = self._agency(rest)
            contact = await self.services.db(
                contacts.upsert_contact,
                channel=channel,
                chat_id=chat_id,
                agency=agency.name,
                role=role,
                registered_by=incoming.actor,
                now=now,
            )
            self.forget_contact(channel, chat_id)
            return [
                Outgoing(
                    reply=_text_reply(f"Đã thêm {contact.chat_id} ({channel}): {role_label(role)} của {agency.name}.")
                )
            ]
        if name == "xoa":
            if not args:
                return [Outgoing(reply=_text_reply("Cú pháp: /xoa <chat_id>"))]
            channel, chat_id = _channel_chat(args.split()[0], home)
            removed = await self.services.db(contacts.deactivate, channel, chat_id, by=incoming.actor, now=now)
            self.forget_contact(channel, chat_id)
            text = f"Đã ngừng liên hệ {chat_id}." if removed else f"Không có liên hệ đang hoạt động {chat_id}."
            return [Outgoing(reply=_text_reply(text))]
        if name == "vaitro":
            parts = args.split(maxsplit=1)
            role_parsed = parse_role(parts[1]) if len(parts) == 2 else None
            if role_parsed is None:
                return [Outgoing(reply=_text_reply("Cú pháp: /vaitro <chat_id> <cán bộ|điều phối|quản trị>"))]
            channel, chat_id = _channel_chat(parts[0], home)
            try:
                contact = await self.services.db(
                    contacts.set_role, channel, chat_id, role_parsed, by=incoming.actor, now=now
                )
            except NotFoundError:
                return [Outgoing(reply=_text_reply(f"Không có liên hệ {chat_id}."))]
            self.forget_contact(channel, chat_id)
            return [Outgoing(reply=_text_reply(f"{contact.chat_id} giờ là {role_label(contact.role)}."))]
        # danhba
        agency_name = self._agency(args).name if args else None
        listed = await self.services.db(contacts.list_contacts, agency=agency_name)
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

    # -- progress reports ---------------------------------------------------------------------------------------

    async def _reporter(self, incoming: Incoming) -> tuple[str | None, bool]:
        """The agency the chat reports for, and whether it may report for any agency (coordinator/admin)."""
        if incoming.agency:
            return incoming.agency, False
        contact = await self.contact_of(incoming)
        if contact is None:
            return None, await self._is_admin(incoming)
        return contact.agency, contact.role in ("coordinator", "admin") or await self._is_admin(incoming)

    def _responsible(self, agency: str, task: Task) -> bool:
        if agency in task.lead:
            return True
        return any(g.name in task.lead for g in self.services.engine.kb.registry.groups_of(agency))

    async def _report_command(self, incoming: Incoming, args: str) -> list[Outgoing]:
        parts = args.split(maxsplit=1)
        if not parts:
            return [Outgoing(reply=_text_reply(_REPORT_USAGE))]
        kb = self.services.engine.kb
        plan = kb.plan(parts[0]) if "/" in parts[0] else None
        if plan is not None:  # "/baocao 12/KH-UBND I.1 xong": the plan named first
            parts = (parts[1] if len(parts) > 1 else "").split(maxsplit=1) or [""]
        code = parts[0].strip(" .,;")
        reporter, _ = await self._reporter(incoming)
        candidates = [t for t in kb.tasks_with_code(code) if plan is None or t.plan_number == plan.number]
        if len(candidates) > 1 and reporter:
            candidates = [t for t in candidates if self._responsible(reporter, t)] or candidates
        if not candidates:
            return [Outgoing(reply=_text_reply(f"Không có nhiệm vụ mã “{code}”. {_REPORT_USAGE}"))]
        if len(candidates) > 1:
            plans = ", ".join(t.plan_number for t in candidates)
            return [
                Outgoing(
                    reply=_text_reply(
                        f"Mã {code} có trong nhiều kế hoạch ({plans}); gõ kèm số kế hoạch, "
                        f"ví dụ: /baocao {candidates[0].plan_number} {code} xong"
                    )
                )
            ]
        task = candidates[0]
        status, note = _parse_status(parts[1] if len(parts) > 1 else "")
        if status is None:
            return [Outgoing(reply=_text_reply(_REPORT_USAGE))]
        today = self.services.now().date()
        occurrence = report_occurrence(task, today, self.services.done_check(reporter))
        return await self._record_report(incoming, task, occurrence, status, note)

    async def _report_button(self, incoming: Incoming, action: ReminderAction) -> list[Outgoing]:
        task = self.services.engine.kb.task(action.task, action.plan)
        if task is None:
            return [Outgoing(reply=_text_reply("Nhiệm vụ này không còn trong kế hoạch."))]
        status: ReportStatus = "done" if action.kind == "done" else "in_progress"
        out = await self._record_report(incoming, task, action.occurrence, status, "")
        if status == "in_progress":
            hint = f"Thêm ghi chú tiến độ bằng: /baocao {task.code} đang <nội dung>"
            out.append(Outgoing(reply=_text_reply(hint)))
        return out

    async def _record_report(
        self, incoming: Incoming, task: Task, occurrence: date, status: ReportStatus, note: str
    ) -> list[Outgoing]:
        if incoming.registered_channel is None:
            return [Outgoing(reply=_text_reply(_NOT_ON_CONSOLE))]
        agency, any_agency = await self._reporter(incoming)
        if agency is None and not any_agency:
            return [Outgoing(reply=_text_reply("Bạn cần đăng ký cơ quan trước khi báo cáo (/dangky <cơ quan>)."))]
        if not any_agency and (agency is None or not self._responsible(agency, task)):
            lead = ", ".join(task.lead)
            return [
                Outgoing(
                    reply=_text_reply(
                        f"Nhiệm vụ {task.code} do {lead} chủ trì; cơ quan bạn không báo cáo nhiệm vụ này."
                    )
                )
            ]
        reporting_agency = agency if agency and self._responsible(agency, task) else task.lead[0]
        today = self.services.now().date()
        report = await self.services.db(
            self.services.reports.add,
            plan=task.plan_number,
            task=task.code,
            agency=reporting_agency,
            occurrence=occurrence,
            status=status,
            reported_on=today,
            note=note,
            reported_by=incoming.actor,
            now=self.services.now(),
        )
        if status == "done":
            self.services.done.add(task.plan_number, task.code, occurrence, reporting_agency)
        label = CATEGORY_LABELS[report.category]
        builder = ReplyBuilder()
        builder.line(f"Đã ghi nhận báo cáo nhiệm vụ {task.code} (hạn {fmt_date(occurrence)}): ", bold(label), ".")
        if status == "done":
            builder.line("Nhắc việc cho lần hạn này đã dừng.")
        return [Outgoing(reply=builder.build())]

    async def _status(self, incoming: Incoming, args: str) -> list[Outgoing]:
        kb = self.services.engine.kb
        agency_name, any_agency = await self._reporter(incoming)
        if args:
            agencies = [self._agency(args)]
        elif any_agency or agency_name is None:
            agencies = kb.agencies_in_plans()
            agencies = [a for a in agencies if kb.lead_count(a.name)]
        else:
            found = kb.registry.get(agency_name)
            agencies = [found] if found is not None else []
        reports = await self.services.db(self.services.reports.list_reports)
        latest: dict[tuple[str, str, date], ReportStatus] = {}
        reported_on: dict[tuple[str, str, date], date] = {}
        for report in sorted(reports, key=lambda r: r.created_at):
            key = (report.plan, report.task, report.occurrence)
            latest[key] = report.status
            reported_on[key] = report.reported_on
        today = self.services.now().date()
        builder = ReplyBuilder().line(bold(f"Tình hình thực hiện (tính đến {fmt_date(today)})"))
        for agency in agencies:
            tasks = kb.tasks_of(agency, role="lead")
            if not tasks:
                continue
            builder.blank().line(bold(agency.name))
            for task in tasks:
                occurrence = current_occurrence(task, today)
                key = (task.plan_number, task.code, occurrence)
                if key in latest:
                    label = CATEGORY_LABELS[classify_report(latest[key], reported_on[key], occurrence)]
                elif occurrence < today:
                    label = CATEGORY_LABELS["overdue_not_done"]
                else:
                    label = "chưa báo cáo"
                builder.line(f"• {task.code} (hạn {fmt_date(occurrence)}): {label}")
        return [Outgoing(reply=builder.build())]

    def _agency(self, text: str) -> Agency:
        resolution = self.services.engine.kb.registry.resolve(text)
        if resolution is None:
            raise NotFoundError(
                f"unknown agency {text!r}", user_message=f"Không nhận ra cơ quan “{text}”. Kiểm tra lại tên cơ quan."
            )
        return resolution.agency


_REPORT_USAGE = "Cú pháp: /baocao <mã nhiệm vụ> <xong|đang> [ghi chú], ví dụ: /baocao XV.6 xong đã vận hành CSDL"
_DONE_WORDS = ("xong", "da xong", "hoan thanh", "da hoan thanh", "done", "ht", "roi")
_PROGRESS_WORDS = ("dang", "dang thuc hien", "dang lam", "tien do", "chua xong", "in progress")


def _parse_status(text: str) -> tuple[ReportStatus | None, str]:
    """``"xong đã vận hành"`` → ``("done", "đã vận hành")``; the longest status phrase at the start wins."""
    words = text.split()
    for take in (3, 2, 1):
        head = fold(" ".join(words[:take]))
        if len(words) >= take and head in _DONE_WORDS:
            return "done", " ".join(words[take:])
        if len(words) >= take and head in _PROGRESS_WORDS:
            return "in_progress", " ".join(words[take:])
    return None, text


def report_occurrence(task: Task, today: date, is_done: Callable[[Task, date], bool]) -> date:
    """The deadline a report made ``today`` is about: the oldest one not yet reported done, up to the next one.

    A late report covers the overdue occurrence ("hoàn thành quá hạn"); otherwise it covers the coming one. With no
    date at all (continuous tasks) it is about today.
    """
    dues = [d.due for d in task.schedule.deadlines]
    if not dues:
        return today
    current = next((d for d in dues if d >= today), dues[-1])
    for due in dues:
        if due > current:
            break
        if not is_done(task, due):
            return due
    return current


def current_occurrence(task: Task, today: date) -> date:
    """The deadline in force ``today``: the next one, or the last when all have passed."""
    dues = [d.due for d in task.schedule.deadlines]
    if not dues:
        return today
    return next((d for d in dues if d >= today), dues[-1])


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
    """``"zalo:123"`` → ``("zalo", "123")``; a bare id belongs to ``default``."""
    prefix, _, rest = text.partition(":")
    if rest and fold(prefix) in ("telegram", "zalo"):
        return ("zalo" if fold(prefix) == "zalo" else "telegram"), rest.strip()
    return default, text.strip()


def _looks_like_token(text: str) -> bool:
    """An invite code sent alone (Zalo): one long word of token characters, not an ordinary lowercase word."""
    return (
        16 <= len(text) <= 64
        and is_valid_invite_token(text)
        and any(c.isdigit() for c in text)
        and any(c.isalpha() for c in text)
    )
