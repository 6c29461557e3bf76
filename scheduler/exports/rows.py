"""One row per task, as every export shows it: plan, id, section, content, agencies, time phrase, next deadline,
status, last report and notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from knowledge.reply import fmt_date
from scheduler.task_status import TaskStatus

__all__ = ["COLUMNS", "EXPORT_FORMATS", "ExportFormat", "ExportRow", "export_rows"]

ExportFormat = Literal["xlsx", "csv", "ics", "docx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)

COLUMNS: tuple[str, ...] = (
    "Kế hoạch",
    "Mã",
    "Nhóm nhiệm vụ",
    "Nội dung",
    "Chủ trì",
    "Phối hợp",
    "Thời gian",
    "Hạn tới",
    "Tình trạng",
    "Báo cáo gần nhất",
    "Ghi chú",
)


@dataclass(frozen=True, kw_only=True, slots=True)
class ExportRow:
    plan: str
    code: str
    section: str
    content: str
    lead: str
    coordinators: str
    time_text: str
    next_deadline: date | None
    status: str
    last_report: str
    note: str

    def cells(self) -> tuple[str, ...]:
        due = fmt_date(self.next_deadline) if self.next_deadline else ""
        return (
            self.plan,
            self.code,
            self.section,
            self.content,
            self.lead,
            self.coordinators,
            self.time_text,
            due,
            self.status,
            self.last_report,
            self.note,
        )


def export_rows(statuses: Iterable[TaskStatus], *, today: date) -> list[ExportRow]:
    rows: list[ExportRow] = []
    for status in statuses:
        task = status.task
        upcoming = [d.due for d in task.schedule.deadlines if d.due >= today]
        last = status.last_report
        last_text = ""
        if last is not None:
            verb = "xong" if last.status == "done" else "đang thực hiện"
            last_text = f"{fmt_date(last.reported_on)} — {last.agency}: {verb}"
        notes = [r.note for r in (*(x.report for x in status.reporters if x.report), *status.inputs) if r and r.note]
        if len(status.reporters) > 1 and status.missing:
            notes.append(f"Còn {len(status.missing)}/{len(status.reporters)} đơn vị chưa báo cáo hoàn thành")
        due = f" (hạn {fmt_date(status.occurrence)})" if status.occurrence else ""
        rows.append(
            ExportRow(
                plan=task.plan_number,
                code=task.code,
                section=task.section_title,
                content=task.content,
                lead=", ".join(task.lead),
                coordinators=", ".join(task.coordinators) or task.coordinators_text,
                time_text=task.time_text,
                next_deadline=upcoming[0] if upcoming else None,
                status=f"{status.label}{due}",
                last_report=last_text,
                note="; ".join(dict.fromkeys(notes)),
            )
        )
    return rows
