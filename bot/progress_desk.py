"""Progress reports in chat: ``/baocao``, the reminder buttons "Đã hoàn thành" / "Báo cáo tiến độ", ``/tinhhinh``."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from bot.chat_state import NOT_ON_CONSOLE, ChatState, Incoming, Pending, text_reply
from knowledge.plan_status import plan_status
from knowledge.records import Agency, Task
from knowledge.reply import Attachment, Button, Outgoing, ReplyBuilder, bold, fmt_date
from knowledge.text import fold
from scheduler.exports import EXPORT_FORMATS, build_export
from scheduler.messages import ReminderAction
from scheduler.records import CATEGORY_LABELS, ReportCategory, ReportStatus
from scheduler.status_chart import status_chart
from scheduler.task_status import STATUS_ORDER, TaskStatus, agency_counts, task_statuses

__all__ = ["ProgressDesk", "current_occurrence", "parse_status", "report_occurrence"]

log = logging.getLogger(__name__)


class ProgressDesk:
    """Progress reports and the status overview, over the shared :class:`ChatState`."""

    def __init__(self, state: ChatState) -> None:
        self.state = state

    async def _reporter(self, incoming: Incoming) -> tuple[str | None, bool]:
        """The agency the chat reports for, and whether it may report for any agency (coordinator/admin)."""
        if incoming.agency:
            return incoming.agency, False
        if incoming.channel == "console":  # the server's own operator (it has the database anyway): everything
            return None, True
        contact = await self.state.contact_of(incoming)
        if contact is None:
            return None, await self.state.is_admin(incoming)
        return contact.agency, contact.role in ("coordinator", "admin") or await self.state.is_admin(incoming)

    def _responsible(self, agency: str, task: Task) -> bool:
        """Whether ``agency`` reports for ``task``: it (a group it belongs to, or a body it took over) leads it."""
        return self.state.services.engine.kb.reports_for(agency, task, today=self.state.services.now().date())

    async def report_command(self, incoming: Incoming, args: str) -> list[Outgoing]:
        parts = args.split(maxsplit=1)
        if not parts:
            return [Outgoing(reply=text_reply(REPORT_USAGE))]
        kb = self.state.services.engine.kb
        plan = kb.plan(parts[0]) if "/" in parts[0] else None
        if plan is not None:  # "/baocao 12/KH-UBND I.1 xong": the plan named first
            parts = (parts[1] if len(parts) > 1 else "").split(maxsplit=1) or [""]
        code = parts[0].strip(" .,;")
        reporter, _ = await self._reporter(incoming)
        candidates = [t for t in kb.tasks_with_code(code) if plan is None or t.plan_number == plan.number]
        if len(candidates) > 1 and reporter:
            candidates = [t for t in candidates if self._responsible(reporter, t)] or candidates
        if not candidates:
            return [Outgoing(reply=text_reply(f"Không có nhiệm vụ mã “{code}”. {REPORT_USAGE}"))]
        if len(candidates) > 1:
            plans = ", ".join(t.plan_number for t in candidates)
            return [
                Outgoing(
                    reply=text_reply(
                        f"Mã {code} có trong nhiều kế hoạch ({plans}); gõ kèm số kế hoạch, "
                        f"ví dụ: /baocao {candidates[0].plan_number} {code} xong"
                    )
                )
            ]
        task = candidates[0]
        status, note = parse_status(parts[1] if len(parts) > 1 else "")
        if status is None:
            return [Outgoing(reply=text_reply(REPORT_USAGE))]
        today = self.state.services.now().date()
        occurrence = report_occurrence(task, today, self.state.services.done_check(reporter))
        return await self._record_report(incoming, task, occurrence, status, note)

    async def report_button(self, incoming: Incoming, action: ReminderAction) -> list[Outgoing]:
        task = self.state.services.engine.kb.task(action.task, action.plan)
        if task is None:
            return [Outgoing(reply=text_reply("Nhiệm vụ này không còn trong kế hoạch."))]
        status: ReportStatus = "done" if action.kind == "done" else "in_progress"
        out = await self._record_report(incoming, task, action.occurrence, status, "")
        if status == "in_progress":
            hint = f"Thêm ghi chú tiến độ bằng: /baocao {task.code} đang <nội dung>"
            out.append(Outgoing(reply=text_reply(hint)))
        return out

    async def _record_report(
        self, incoming: Incoming, task: Task, occurrence: date, status: ReportStatus, note: str
    ) -> list[Outgoing]:
        if incoming.registered_channel is None:
            return [Outgoing(reply=text_reply(NOT_ON_CONSOLE))]
        agency, any_agency = await self._reporter(incoming)
        if agency is None and not any_agency:
            return [Outgoing(reply=text_reply("Bạn cần đăng ký cơ quan trước khi báo cáo (/dangky <cơ quan>)."))]
        dues = {d.due for d in task.schedule.deadlines}
        if dues and occurrence not in dues:  # a forged or stale button: no such deadline
            log.warning(
                "report refused: %s:%s has no deadline %s (actor %s)",
                task.plan_number,
                task.code,
                occurrence,
                incoming.actor,
            )
            return [Outgoing(reply=text_reply(f"Nhiệm vụ {task.code} không có hạn {fmt_date(occurrence)}."))]
        responsible = agency is not None and self._responsible(agency, task)
        if not responsible and not any_agency:
            lead = ", ".join(task.lead) or "chưa có cơ quan chủ trì"
            log.warning(
                "report refused: %s is not responsible for %s:%s (actor %s)",
                agency,
                task.plan_number,
                task.code,
                incoming.actor,
            )
            return [
                Outgoing(
                    reply=text_reply(f"Nhiệm vụ {task.code} do {lead} chủ trì; cơ quan bạn không báo cáo nhiệm vụ này.")
                )
            ]
        # Only the lead (or a member of a lead group) closes its task; a coordinator's or an admin's report is input,
        # filed in their own name, so it never stops the lead's reminders.
        reporting_agency = agency if responsible and agency else (agency or "Quản trị viên")
        today = self.state.services.now().date()
        report = await self.state.services.db(
            self.state.services.reports.add,
            plan=task.plan_number,
            task=task.code,
            agency=reporting_agency,
            occurrence=occurrence,
            status=status,
            reported_on=today,
            note=note,
            reported_by=incoming.actor,
            now=self.state.services.now(),
        )
        if status == "done" and responsible:
            self.state.services.done.add(task.plan_number, task.code, occurrence, reporting_agency)
        label = CATEGORY_LABELS[report.category]
        builder = ReplyBuilder()
        builder.line(f"Đã ghi nhận báo cáo nhiệm vụ {task.code} (hạn {fmt_date(occurrence)}): ", bold(label), ".")
        if not responsible:
            lead = ", ".join(task.lead) or "cơ quan chủ trì"
            builder.line(
                f"Báo cáo được ghi nhận là ý kiến của {reporting_agency}; nhiệm vụ chỉ hoàn thành khi {lead} báo cáo."
            )
        elif status == "done":
            builder.line("Nhắc việc cho lần hạn này đã dừng.")
        return [Outgoing(reply=builder.build())]

    async def status(self, incoming: Incoming, args: str) -> list[Outgoing]:
        """/tinhhinh [cơ quan] [trang N]: where tasks stand (scheduler.task_status), a page at a time.

        Officers see their own agency; coordinators and admins any agency, or all; a chat that has not registered
        sees none (plan content stays open to everyone)."""
        services = self.state.services
        kb = services.engine.kb
        own, any_agency = await self._reporter(incoming)
        named, page = _page_request(args)
        if own is None and not any_agency:
            await services.db(
                services.contacts.audit,
                actor=incoming.actor,
                action="status.view",
                detail="refused: not registered",
                allowed=False,
                now=services.now(),
            )
            return [
                Outgoing(
                    reply=text_reply(
                        "Tình hình thực hiện chỉ dành cho cơ quan đã đăng ký. Gõ /dangky <tên cơ quan> để đăng ký; "
                        "nội dung kế hoạch thì ai cũng hỏi được."
                    )
                )
            ]
        today = services.now().date()
        if named:
            agencies = [self.state.agency(named)]
            if not any_agency and agencies[0].name != own:
                await services.db(
                    services.contacts.audit,
                    actor=incoming.actor,
                    action="status.view",
                    detail=f"refused: {own} asked for {agencies[0].name}",
                    allowed=False,
                    now=services.now(),
                )
                return [Outgoing(reply=text_reply(f"Bạn chỉ xem được tình hình của {own}."))]
        elif any_agency:
            agencies = [a for a in kb.agencies_in_plans() if kb.lead_count(a.name)]
        else:
            found = kb.registry.get(own) if own else None
            agencies = [found] if found is not None else []
        in_force = {p.number for p in kb.plans if plan_status(p, today) == "in_force"}
        scope = in_force or {p.number for p in kb.plans if not p.archived}
        tasks: dict[tuple[str, str], Task] = {}
        for agency in agencies:
            for task in kb.tasks_of(agency, role="lead", today=today):
                if task.plan_number in scope:
                    tasks.setdefault((task.plan_number, task.code), task)
        reports = await services.db(services.reports.list_reports)
        statuses = task_statuses(kb, reports, today=today, tasks=list(tasks.values()))
        counts = agency_counts(statuses, agencies, kb, today=today)
        reply = self._status_reply(incoming, statuses, counts, agencies, named, page, today, single=not any_agency)
        if incoming.channel == "telegram" and page == 1 and counts:  # where pictures show: the chart too
            title = f"Tình hình thực hiện (tính đến {fmt_date(today)})"
            png = await asyncio.to_thread(status_chart, counts, title=title)
            chart = Attachment(name=f"tinh-hinh-{today:%Y%m%d}.png", data=png, mime="image/png")
            reply = replace(reply, attachment=chart)
        return [reply]

    async def export(self, incoming: Incoming, args: str) -> list[Outgoing]:
        """/xuat [định dạng] [cơ quan]: the coordinator's files, sent as a document where the channel can."""
        services = self.state.services
        words = args.split(maxsplit=1)
        fmt = words[0].lower().lstrip(".") if words else "xlsx"
        if fmt not in EXPORT_FORMATS:
            return [Outgoing(reply=text_reply(EXPORT_USAGE))]
        named = words[1].strip() if len(words) > 1 else ""
        own, any_agency = await self._reporter(incoming)
        if own is None and not any_agency:
            return [
                Outgoing(reply=text_reply("Xuất tình hình chỉ dành cho cơ quan đã đăng ký. Gõ /dangky <tên cơ quan>."))
            ]
        agency = self.state.agency(named) if named else (None if any_agency else self.state.agency(own or ""))
        if not any_agency and agency is not None and agency.name != own:
            return [Outgoing(reply=text_reply(f"Bạn chỉ xuất được tình hình của {own}."))]
        if incoming.channel != "telegram":
            command = f"taskbot export --format {fmt}" + (f' --agency "{agency.name}"' if agency else "")
            return [
                Outgoing(
                    reply=text_reply(
                        "Kênh này không gửi được tệp. Trên Telegram gõ /xuat, hoặc trên máy chủ: " + command
                    )
                )
            ]
        kb = services.engine.kb
        reports = await services.db(services.reports.list_reports)
        today = services.now().date()
        exported = await asyncio.to_thread(build_export, kb, reports, fmt=fmt, today=today, agency=agency)
        who = agency.name if agency else "mọi cơ quan"
        reply = text_reply(
            f"Tình hình {exported.tasks} nhiệm vụ của {who}, tính đến {fmt_date(today)}: {exported.name}"
        )
        attachment = Attachment(name=exported.name, data=exported.data, mime=exported.mime)
        return [Outgoing(reply=reply, attachment=attachment)]

    def _status_reply(
        self,
        incoming: Incoming,
        statuses: list[TaskStatus],
        counts: dict[str, Counter[ReportCategory]],
        agencies: list[Agency],
        named: str,
        page: int,
        today: date,
        *,
        single: bool,
    ) -> Outgoing:
        builder = ReplyBuilder().line(bold(f"Tình hình thực hiện (tính đến {fmt_date(today)})"))
        total: Counter[ReportCategory] = Counter()
        for agency_counts_ in counts.values():
            total.update(agency_counts_)
        if not statuses:
            builder.line("Không có nhiệm vụ chủ trì nào trong các kế hoạch đang thực hiện.")
            return Outgoing(reply=builder.build())
        builder.line(_counts_line(total))
        by_key = {(s.task.plan_number, s.task.code): s for s in statuses}
        several_plans = len({s.task.plan_number for s in statuses}) > 1
        lines: list[tuple[str, str]] = []  # (agency heading, line)
        for agency in agencies:
            mine = [
                by_key[(t.plan_number, t.code)]
                for t in self.state.services.engine.kb.tasks_of(agency, role="lead", today=today)
                if (t.plan_number, t.code) in by_key
            ]
            for status in mine:
                row = status.of(agency.name) if single else None
                label = row.label if row is not None else status.label
                code = (
                    f"{status.task.plan_number.split('/')[0]}:{status.task.code}" if several_plans else status.task.code
                )
                due = f" (hạn {fmt_date(status.occurrence)})" if status.occurrence else ""
                extra = ""
                if not single and len(status.reporters) > 1 and status.missing:
                    extra = f" — còn {len(status.missing)}/{len(status.reporters)} đơn vị chưa báo cáo hoàn thành"
                lines.append((agency.name, f"• {code}{due}: {label}{extra}"))
        pages = max(1, -(-len(lines) // STATUS_LINES_PER_PAGE))
        page = min(max(page, 1), pages)
        shown = lines[(page - 1) * STATUS_LINES_PER_PAGE : page * STATUS_LINES_PER_PAGE]
        heading = ""
        for agency_name, line in shown:
            if agency_name != heading:
                heading = agency_name
                builder.blank().line(bold(agency_name), f": {_counts_line(counts.get(agency_name, Counter()))}")
            builder.line(line)
        buttons: tuple[tuple[Button, ...], ...] = ()
        if pages > 1:
            builder.blank().line(f"Trang {page}/{pages}.")
            if page < pages:
                nxt = f"/tinhhinh {named} trang {page + 1}".replace("  ", " ")
                action = self.state.remember(Pending(kind="ask", text=nxt))
                self.state.set_numbered(incoming, [action])
                builder.line(f"Xem tiếp: gõ “{nxt}”.")
                buttons = ((Button(label="Xem thêm", action=action),),)
        return Outgoing(reply=builder.build(), buttons=buttons)


EXPORT_USAGE = (
    "Cú pháp: /xuat [xlsx|csv|ics|docx] [cơ quan], ví dụ: /xuat xlsx, /xuat ics Sở Tài chính. "
    "xlsx, csv: bảng nhiệm vụ; ics: lịch hạn cho điện thoại; docx: dự thảo báo cáo."
)
STATUS_LINES_PER_PAGE = 30
_PAGE = re.compile(r"\s*\btrang\s+(\d{1,4})\s*$", re.IGNORECASE)


def _page_request(args: str) -> tuple[str, int]:
    """``"Sở Tài chính trang 2"`` → ``("Sở Tài chính", 2)``."""
    m = _PAGE.search(args)
    if m is None:
        return args.strip(), 1
    return args[: m.start()].strip(), int(m.group(1))


def _counts_line(counts: Counter[ReportCategory]) -> str:
    parts = [f"{counts[c]} {CATEGORY_LABELS[c]}" for c in STATUS_ORDER if counts[c]]
    return ", ".join(parts) if parts else "chưa có nhiệm vụ"


REPORT_USAGE = "Cú pháp: /baocao <mã nhiệm vụ> <xong|đang> [ghi chú], ví dụ: /baocao XV.6 xong đã vận hành CSDL"
_DONE_WORDS = ("xong", "da xong", "hoan thanh", "da hoan thanh", "done", "ht", "roi")
_PROGRESS_WORDS = ("dang", "dang thuc hien", "dang lam", "tien do", "chua xong", "in progress")


def parse_status(text: str) -> tuple[ReportStatus | None, str]:
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
