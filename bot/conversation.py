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
from dataclasses import replace

from bot.admin_desk import ADMIN_COMMANDS, AdminDesk, looks_like_token
from bot.chat_state import ChatState, Incoming, Pending, text_reply
from bot.plan_desk import PLAN_COMMANDS, IncomingFile, PlanDesk
from bot.progress_desk import ProgressDesk
from bot.services import Services
from knowledge.answering.query import Status
from knowledge.answers import Answer, PageRequest, Query, read_page_request
from knowledge.contacts import Contact, is_valid_invite_token
from knowledge.errors import TaskbotError
from knowledge.reply import Button, Outgoing, ReplyBuilder
from scheduler.messages import decode_action

__all__ = ["COMMANDS", "Button", "Conversation", "Incoming", "IncomingFile", "Outgoing"]

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
    ("xuat", "Xuất tệp tình hình: /xuat [xlsx|csv|ics|docx] [cơ quan]"),
    ("moi", "(Quản trị) Tạo mã mời: /moi <cơ quan> [vai trò]"),
    ("them", "(Quản trị) Thêm liên hệ: /them <chat_id> <cơ quan> [vai trò]"),
    ("xoa", "(Quản trị) Ngừng liên hệ: /xoa <chat_id>"),
    ("danhba", "(Quản trị) Danh bạ: /danhba [cơ quan]"),
    ("vaitro", "(Quản trị) Đổi vai trò: /vaitro <chat_id> <vai trò>"),
    ("duyet", "(Quản trị) Duyệt yêu cầu đăng ký: /duyet <số yêu cầu>"),
    ("tuchoi", "(Quản trị) Từ chối yêu cầu đăng ký: /tuchoi <số yêu cầu>"),
    ("luutru", "(Quản trị) Lưu trữ kế hoạch: /luutru <số kế hoạch>"),
    ("khoiphuc", "(Quản trị) Khôi phục kế hoạch đã lưu trữ: /khoiphuc <số kế hoạch>"),
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
        self.plans = PlanDesk(self.state)

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
            page_request = read_page_request(text)
            if page_request is not None:
                return await self._next_page(incoming, page_request)
            return await self._ask(incoming, text)
        except TaskbotError as exc:
            log.info("request from %s failed: %s", incoming.actor, exc)
            return [Outgoing(reply=text_reply(exc.user_message))]

    async def on_file(self, incoming: Incoming, file: IncomingFile) -> list[Outgoing]:
        """A file sent to the bot: an admin's plan document is previewed for import; anyone else is refused."""
        try:
            return await self.plans.receive(incoming, file)
        except TaskbotError as exc:
            log.info("file from %s failed: %s", incoming.actor, exc)
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
                if pending.query is not None:
                    return await self._run(incoming, pending.query)
                return await self.on_text(replace(incoming, text=pending.text))
            if pending.kind == "import":
                return await self.plans.decide(incoming, pending.text, pending.approve)
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

    async def _asker(self, incoming: Incoming) -> str | None:
        """The agency the chat asks for: the channel's own (console --agency), else the registered contact's."""
        contact = await self.state.contact_of(incoming)
        return incoming.agency or (contact.agency if contact else None)

    async def _ask(self, incoming: Incoming, text: str) -> list[Outgoing]:
        agency = await self._asker(incoming)
        last = self.state.last_answer(incoming)
        answer = self.services.engine.answer(
            text,
            agency=agency,
            now=self.services.now(),
            is_done=self.services.done_check(agency),
            previous_plans=last.plans if last else (),
        )
        return [self._render_answer(incoming, answer)]

    async def _run(self, incoming: Incoming, query: Query) -> list[Outgoing]:
        """Answer a typed query: a command, a button, another page."""
        agency = await self._asker(incoming)
        answer = self.services.engine.run(query, now=self.services.now(), is_done=self.services.done_check(agency))
        return [self._render_answer(incoming, answer)]

    async def _next_page(self, incoming: Incoming, request: PageRequest) -> list[Outgoing]:
        """A paging label typed instead of pressed ("xem thêm", "tiếp", "trang 2"): the previous answer goes on."""
        last = self.state.last_answer(incoming)
        if last is None:
            return [Outgoing(reply=text_reply("Chưa có câu trả lời nào để xem tiếp. Bạn hãy đặt câu hỏi."))]
        page = request.page if request.page is not None else last.query.page + 1
        if page > last.pages:
            return [Outgoing(reply=text_reply(f"Câu trả lời trước chỉ có {last.pages} trang; đã hết."))]
        return await self._run(incoming, replace(last.query, page=page))

    def _render_answer(self, incoming: Incoming, answer: Answer) -> Outgoing:
        rows: list[tuple[Button, ...]] = []
        numbered: list[str] = []
        for choice in answer.choices[:_MAX_CHOICES]:
            action = self.state.remember(Pending(kind="ask", query=choice.query, text=choice.text))
            rows.append((Button(label=choice.label, action=action),))
            numbered.append(action)
        suggestion_buttons: list[Button] = []
        for suggestion in answer.suggestions[: _MAX_CHOICES - len(numbered)]:
            action = self.state.remember(Pending(kind="ask", query=suggestion.query, text=suggestion.text))
            suggestion_buttons.append(Button(label=suggestion.label, action=action))
            numbered.append(action)
        for i in range(0, len(suggestion_buttons), 2):
            rows.append(tuple(suggestion_buttons[i : i + 2]))
        self.state.set_numbered(incoming, numbered)
        self.state.remember_answer(incoming, answer)
        return Outgoing(reply=answer.reply, buttons=tuple(rows))

    # -- commands -----------------------------------------------------------------------------------------------

    async def _command(self, incoming: Incoming, name: str, args: str) -> list[Outgoing]:
        if name in ADMIN_COMMANDS:
            return await self.admin.command(incoming, name, args)
        if name in PLAN_COMMANDS:
            return await self.plans.command(incoming, name, args)
        if name == "start":
            if args and is_valid_invite_token(args):
                return await self.admin.redeem(incoming, args)
            return await self.admin.welcome(incoming)
        commands = self.services.engine.commands
        if name in ("help", "huongdan", "trogiup"):
            return await self._run(incoming, commands.help())
        if name == "nhiemvu" and args:
            return await self._run(incoming, commands.agency_tasks(args))
        if name in ("nhiemvu", "cuatoi"):
            return await self._run(incoming, commands.my_tasks(await self._asker(incoming)))
        if name in ("sapden", "quahan"):
            return await self._deadlines(incoming, "due" if name == "sapden" else "overdue", args)
        if name == "timkiem":
            if not args:
                return [Outgoing(reply=text_reply("Gõ từ khóa sau lệnh, ví dụ: /timkiem phần mềm kế toán"))]
            return await self._run(incoming, commands.search(args))
        if name == "kehoach":
            return await self._run(incoming, commands.plan_info(args))
        if name == "chitiet":
            if not args:
                return [Outgoing(reply=text_reply("Gõ mã nhiệm vụ sau lệnh, ví dụ: /chitiet XV.6"))]
            detail = commands.task_detail(args)
            if detail is None:
                return [Outgoing(reply=text_reply(f"Không có nhiệm vụ mã “{args}” trong các kế hoạch."))]
            return await self._run(incoming, detail)
        if name == "dangky":
            return await self.admin.register_request(incoming, args)
        if name == "baocao":
            return await self.progress.report_command(incoming, args)
        if name == "tinhhinh":
            return await self.progress.status(incoming, args)
        if name == "xuat":
            return await self.progress.export(incoming, args)
        answer = self.services.engine.run(commands.help(), now=self.services.now())
        builder = ReplyBuilder().line(f"Không có lệnh /{name}.").blank()
        builder.extend(answer.reply.lines)
        return [Outgoing(reply=builder.build())]

    async def _deadlines(self, incoming: Incoming, status: Status, args: str) -> list[Outgoing]:
        """/sapden, /quahan: of the agency or period named, else of an officer's own agency, else of everyone."""
        contact = await self.state.contact_of(incoming)
        officer = incoming.agency or (contact.agency if contact is not None and contact.role == "officer" else None)
        query = self.services.engine.commands.deadlines(status, args, asker=officer, today=self.services.now().date())
        return await self._run(incoming, query)
