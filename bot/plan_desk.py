"""Plans from chat: an admin sends (or forwards) a plan file, sees a preview, and confirms or cancels the import;
``/luutru`` and ``/khoiphuc`` archive and restore a plan. The same core operations as ``taskbot import`` and
``taskbot plans archive|restore`` (knowledge.importer, knowledge.plan_admin), audited the same way.

A file is refused before it is downloaded when it is over the platform's limit (Telegram lets bots download up to
20 MB); a file that does not read as a plan gets the importer's Vietnamese message; nothing is written until the
admin who sent it presses "Nhập kế hoạch" (or types its number) within :data:`UPLOAD_TTL`.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.chat_state import ChatState, Incoming, Pending, text_reply
from knowledge.errors import TaskbotError
from knowledge.import_log import place_label
from knowledge.importer import commit_import, prepare_import
from knowledge.plan_admin import archive_plan, restore_plan
from knowledge.plan_changes import ImportPreview
from knowledge.reply import Button, Outgoing, ReplyBuilder, bold

__all__ = ["MAX_UPLOAD_BYTES", "PLAN_COMMANDS", "UPLOAD_TTL", "IncomingFile", "PlanDesk"]

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # Telegram's getFile limit for bots
UPLOAD_TTL = 30 * 60.0  # seconds a preview waits for its confirmation
DOWNLOAD_TIMEOUT = 60.0
PLAN_COMMANDS = frozenset({"luutru", "khoiphuc"})
_KEPT_UPLOADS = 50


@dataclass(frozen=True, kw_only=True, slots=True)
class IncomingFile:
    """A file a user sent, as the channel describes it; ``fetch`` downloads its bytes."""

    name: str
    size: int | None
    fetch: Callable[[], Awaitable[bytes]]


@dataclass(frozen=True, kw_only=True, slots=True)
class _Upload:
    preview: ImportPreview
    actor: str
    expires: float


class PlanDesk:
    """Plan files and plan administration in chat, over the shared :class:`ChatState`."""

    def __init__(self, state: ChatState) -> None:
        self.state = state
        self._uploads: OrderedDict[str, _Upload] = OrderedDict()

    async def receive(self, incoming: Incoming, file: IncomingFile) -> list[Outgoing]:
        """A file sent to the bot: an admin's plan gets a preview with "Nhập kế hoạch" / "Hủy"."""
        if not await self.state.is_admin(incoming):
            return await self.state.refuse(incoming, f"plan.upload {file.name}")
        if file.size is not None and file.size > MAX_UPLOAD_BYTES:
            mb = file.size / (1024 * 1024)
            return [
                Outgoing(
                    reply=text_reply(
                        f"Tệp {file.name} nặng {mb:.1f} MB, quá giới hạn 20 MB bot được tải về. "
                        "Hãy nhập trên máy chủ: taskbot import <tệp>."
                    )
                )
            ]
        try:
            data = await asyncio.wait_for(file.fetch(), timeout=DOWNLOAD_TIMEOUT)
        except TimeoutError:
            return [Outgoing(reply=text_reply(f"Tải tệp {file.name} quá lâu; vui lòng gửi lại."))]
        services = self.state.services
        runtime = services.runtime
        try:
            preview = await services.db(
                prepare_import, data, name=file.name, registry=runtime.registry, repository=runtime.repository
            )
        except TaskbotError as exc:
            log.info("plan file %s from %s refused: %s", file.name, incoming.actor, exc)
            return [Outgoing(reply=text_reply(exc.user_message, "Cơ sở dữ liệu không thay đổi."))]
        token = secrets.token_urlsafe(9)
        self._uploads[token] = _Upload(preview=preview, actor=incoming.actor, expires=time.monotonic() + UPLOAD_TTL)
        while len(self._uploads) > _KEPT_UPLOADS:
            self._uploads.popitem(last=False)
        confirm = self.state.remember(Pending(kind="import", text=token, approve=True))
        cancel = self.state.remember(Pending(kind="import", text=token, approve=False))
        self.state.set_numbered(incoming, [confirm, cancel])
        buttons = ((Button(label="Nhập kế hoạch", action=confirm), Button(label="Hủy", action=cancel)),)
        return [Outgoing(reply=_preview_reply(preview, file.name).build(), buttons=buttons)]

    async def decide(self, incoming: Incoming, token: str, approve: bool) -> list[Outgoing]:
        """The admin's answer to a preview: import in one transaction, or drop it."""
        upload = self._uploads.get(token)
        if upload is None or upload.expires < time.monotonic():
            self._uploads.pop(token, None)
            return [Outgoing(reply=text_reply("Bản xem trước này đã hết hạn; hãy gửi lại tệp kế hoạch."))]
        if upload.actor != incoming.actor or not await self.state.is_admin(incoming):
            return await self.state.refuse(incoming, "plan.import (not the admin who sent the file)")
        self._uploads.pop(token, None)
        number = upload.preview.parsed.plan.number
        if not approve:
            return [Outgoing(reply=text_reply(f"Đã hủy, không nhập kế hoạch {number}."))]
        services = self.state.services
        report = await services.db(commit_import, upload.preview, repository=services.runtime.repository)
        await services.db(
            services.contacts.audit,
            actor=incoming.actor,
            action="plan.import",
            detail=f"{number} from {upload.preview.parsed.plan.source_name or 'chat'}",
            allowed=True,
            now=services.now(),
        )
        await services.reload_knowledge()
        changes = report.preview.changes
        verb = "Đã thêm" if not report.preview.stored else "Đã cập nhật"
        return [
            Outgoing(
                reply=text_reply(
                    f"{verb} kế hoạch {number}: {len(changes.new)} mới, {len(changes.changed)} thay đổi, "
                    f"{len(changes.unchanged)} giữ nguyên, {len(changes.retired)} không còn trong văn bản.",
                    "Câu trả lời và nhắc việc dùng kế hoạch mới từ bây giờ.",
                )
            )
        ]

    async def command(self, incoming: Incoming, name: str, args: str) -> list[Outgoing]:
        """/luutru <số> archives a plan, /khoiphuc <số> restores it (admins only)."""
        if not await self.state.is_admin(incoming):
            return await self.state.refuse(incoming, f"command./{name}")
        if not args.strip():
            return [Outgoing(reply=text_reply(f"Cú pháp: /{name} <số kế hoạch>, ví dụ: /{name} 435"))]
        services = self.state.services
        operation = archive_plan if name == "luutru" else restore_plan
        result = await services.db(
            operation, services.runtime.repository, args.strip(), actor=incoming.actor, now=services.now()
        )
        await services.reload_knowledge()
        return [Outgoing(reply=text_reply(result.message))]


def _preview_reply(preview: ImportPreview, name: str) -> ReplyBuilder:
    plan = preview.parsed.plan
    changes = preview.changes
    b = ReplyBuilder()
    b.line(bold(f"Xem trước kế hoạch {plan.number}"), f" (tệp {name})")
    if plan.title:
        b.line(plan.title)
    if preview.stored:
        b.line(
            f"Đã có kế hoạch này: {len(changes.new)} nhiệm vụ mới, {len(changes.changed)} thay đổi, "
            f"{len(changes.unchanged)} giữ nguyên, {len(changes.retired)} không còn trong văn bản."
        )
    else:
        b.line(f"Kế hoạch mới: {len(plan.tasks)} nhiệm vụ.")
    if preview.tasks_by_lead:
        b.line("Chủ trì:")
        for agency, count in preview.tasks_by_lead[:10]:
            b.line(f"• {agency}: {count}")
        if len(preview.tasks_by_lead) > 10:
            b.line(f"• … và {len(preview.tasks_by_lead) - 10} cơ quan khác")
    warnings = preview.warnings
    if warnings:
        b.line(f"Cảnh báo ({len(warnings)}):")
        for issue in warnings[:8]:
            where = f" ({place_label(issue.where)})" if issue.where else ""
            b.line(f"• {issue.message}{where}")
        if len(warnings) > 8:
            b.line(f"• … và {len(warnings) - 8} cảnh báo khác (xem đủ bằng taskbot import --dry-run)")
    b.line("Nhấn “Nhập kế hoạch” để nhập, hoặc “Hủy” (trên Zalo: gõ 1 hoặc 2).")
    return b
