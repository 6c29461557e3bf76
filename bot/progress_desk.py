"""Progress reports in chat: ``/baocao``, the reminder buttons "Đã hoàn thành" / "Báo cáo tiến độ", ``/tinhhinh``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from bot.chat_state import NOT_ON_CONSOLE, ChatState, Incoming, text_reply
from knowledge.records import Task
from knowledge.reply import Outgoing, ReplyBuilder, bold, fmt_date
from knowledge.text import fold
from scheduler.messages import ReminderAction
from scheduler.records import CATEGORY_LABELS, ReportStatus, classify_report

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
        kb = self.state.services.engine.kb
        agency_name, any_agency = await self._reporter(incoming)
        if args:
            agencies = [self.state.agency(args)]
        elif any_agency or agency_name is None:
            agencies = kb.agencies_in_plans()
            agencies = [a for a in agencies if kb.lead_count(a.name)]
        else:
            found = kb.registry.get(agency_name)
            agencies = [found] if found is not None else []
        reports = await self.state.services.db(self.state.services.reports.list_reports)
        latest: dict[tuple[str, str, date], ReportStatus] = {}
        reported_on: dict[tuple[str, str, date], date] = {}
        for report in sorted(reports, key=lambda r: r.created_at):
            key = (report.plan, report.task, report.occurrence)
            latest[key] = report.status
            reported_on[key] = report.reported_on
        today = self.state.services.now().date()
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
