"""The channel-neutral conversation: commands, free-text questions, buttons, invites, registration and admin work.

Channel adapters (Telegram, Zalo, the console) turn their updates into :class:`Incoming` values, call
:meth:`Conversation.on_text` or :meth:`Conversation.on_action`, and render the :class:`Outgoing` messages they get
back: Telegram as HTML with inline keyboards, Zalo as plain text with numbered choices. A bare number typed as a
reply picks one of the choices last offered in that chat, so both channels work the same way.

Questions are answered here; registration and admin commands live in :mod:`bot.admin_desk`, progress reports and
the status overview in :mod:`bot.progress_desk`; all three share one :class:`~bot.chat_state.ChatState`.
"""

from __future__ import annotations

import logging
import re

from bot.admin_desk import ADMIN_COMMANDS, AdminDesk, looks_like_token
from bot.chat_state import ChatState, Incoming, Pending, text_reply
from bot.progress_desk import ProgressDesk
from bot.services import Services
from knowledge.answers import Answer
from knowledge.contacts import Contact, is_valid_invite_token
from knowledge.errors import TaskbotError
from knowledge.reply import Button, Outgoing, ReplyBuilder
from scheduler.messages import decode_action

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
_COMMAND = re.compile(r"^/([A-Za-z_]+)(?:@(\w+))?(?:\s+(.*))?$", re.DOTALL)
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
_MAX_CHOICES = 9


class Conversation:
    """Turns messages into replies. One instance per process, shared by every channel."""

    def __init__(
        self, services: Services, *, admin_user_ids: frozenset[str] = frozenset(), bot_username: str = ""
    ) -> None:
        self.services = services
        self.state = ChatState(services, admin_user_ids=admin_user_ids, bot_username=bot_username)
        self.admin = AdminDesk(self.state)
        self.progress = ProgressDesk(self.state)

    @property
    def bot_username(self) -> str:
        return self.state.bot_username

    @bot_username.setter
    def bot_username(self, value: str) -> None:
        self.state.bot_username = value

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
            if incoming.channel == "zalo" and looks_like_token(text):
                return await self.admin.redeem(incoming, text)
            return await self._ask(incoming, text)
        except TaskbotError as exc:
            log.info("request from %s failed: %s", incoming.actor, exc)
            return [Outgoing(reply=text_reply(exc.user_message))]

    async def on_action(self, incoming: Incoming, action: str) -> list[Outgoing]:
        """Run a button's action (or a numbered choice)."""
        try:
            reminder_action = decode_action(action)
            if reminder_action is not None:
                return await self.progress.report_button(incoming, reminder_action)
            pending = self.state.pending(action)
            if pending is None:
                return [Outgoing(reply=text_reply("Lựa chọn này đã hết hạn. Vui lòng hỏi lại."))]
            if pending.kind == "ask":
                return await self._ask(incoming, pending.query, page=pending.page)
            return await self.admin.decide(incoming, pending.request_id, pending.approve)
        except TaskbotError as exc:
            log.info("action from %s failed: %s", incoming.actor, exc)
            return [Outgoing(reply=text_reply(exc.user_message))]

    async def contact_of(self, incoming: Incoming) -> Contact | None:
        """The chat's active contact (see :meth:`ChatState.contact_of`)."""
        return await self.state.contact_of(incoming)

    def forget_contact(self, channel: str, chat_id: str) -> None:
        """Drop a chat from the contact cache after its registration changed."""
        self.state.forget_contact(channel, chat_id)

    # -- questions ----------------------------------------------------------------------------------------------

    async def _ask(self, incoming: Incoming, query: str, *, page: int = 1) -> list[Outgoing]:
        contact = await self.state.contact_of(incoming)
        agency = incoming.agency or (contact.agency if contact else None)
        answer = self.services.engine.answer(
            query, agency=agency, now=self.services.now(), page=page, is_done=self.services.done_check(agency)
        )
        return [self._render_answer(incoming, answer, query)]

    def _render_answer(self, incoming: Incoming, answer: Answer, query: str) -> Outgoing:
        rows: list[tuple[Button, ...]] = []
        numbered: list[str] = []
        for choice in answer.choices[:_MAX_CHOICES]:
            action = self.state.remember(Pending(kind="ask", query=choice.query))
            rows.append((Button(label=choice.label, action=action),))
            numbered.append(action)
        suggestion_buttons: list[Button] = []
        for suggestion in answer.suggestions[: _MAX_CHOICES - len(numbered)]:
            page = answer.page + 1 if suggestion.label == "Xem thêm" else 1
            action = self.state.remember(Pending(kind="ask", query=suggestion.query or query, page=page))
            suggestion_buttons.append(Button(label=suggestion.label, action=action))
            numbered.append(action)
        for i in range(0, len(suggestion_buttons), 2):
            rows.append(tuple(suggestion_buttons[i : i + 2]))
        self.state.set_numbered(incoming, numbered)
        return Outgoing(reply=answer.reply, buttons=tuple(rows))

    # -- commands -----------------------------------------------------------------------------------------------

    async def _command(self, incoming: Incoming, name: str, args: str) -> list[Outgoing]:
        if name in ADMIN_COMMANDS:
            return await self.admin.command(incoming, name, args)
        if name == "start":
            if args and is_valid_invite_token(args):
                return await self.admin.redeem(incoming, args)
            return await self.admin.welcome(incoming)
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
                return [Outgoing(reply=text_reply("Gõ từ khóa sau lệnh, ví dụ: /timkiem phần mềm kế toán"))]
            return await self._ask(incoming, args)
        if name == "kehoach":
            return await self._ask(incoming, "thông tin kế hoạch")
        if name == "chitiet":
            if not args:
                return [Outgoing(reply=text_reply("Gõ mã nhiệm vụ sau lệnh, ví dụ: /chitiet XV.6"))]
            return await self._ask(incoming, f"chi tiết {args}")
        if name == "dangky":
            return await self.admin.register_request(incoming, args)
        if name == "baocao":
            return await self.progress.report_command(incoming, args)
        if name == "tinhhinh":
            return await self.progress.status(incoming, args)
        answer = self.services.engine.answer("hướng dẫn", now=self.services.now())
        builder = ReplyBuilder().line(f"Không có lệnh /{name}.").blank()
        builder.extend(answer.reply.lines)
        return [Outgoing(reply=builder.build())]

    async def _scoped(self, incoming: Incoming, what: str, args: str) -> list[Outgoing]:
        contact = await self.state.contact_of(incoming)
        if args:
            return await self._ask(incoming, f"{what} {args}")
        if incoming.agency or (contact is not None and contact.agency and contact.role == "officer"):
            return await self._ask(incoming, f"{what} của tôi")
        return await self._ask(incoming, what)
