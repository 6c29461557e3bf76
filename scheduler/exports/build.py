"""One export, whatever asks for it (``taskbot export``, ``/xuat``): which tasks, their statuses, the file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from knowledge.base import KnowledgeBase
from knowledge.plan_status import plan_label, plan_status
from knowledge.records import Agency, Plan, Task
from knowledge.text import fold
from scheduler.exports.calendar import export_ics
from scheduler.exports.report_draft import export_docx
from scheduler.exports.rows import ExportFormat, export_rows
from scheduler.exports.sheets import export_csv, export_xlsx
from scheduler.records import ProgressReport
from scheduler.task_status import agency_counts, task_statuses

__all__ = ["ExportFile", "build_export"]

_MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "ics": "text/calendar",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class ExportFile:
    name: str
    data: bytes
    mime: str
    tasks: int


def build_export(
    kb: KnowledgeBase,
    reports: Iterable[ProgressReport],
    *,
    fmt: ExportFormat,
    today: date,
    plan: str | None = None,
    agency: Agency | None = None,
    all_plans: bool = False,
) -> ExportFile:
    """The ``fmt`` file of the tasks of ``plan`` (default: the plans in force, else — or with ``all_plans`` — every
    plan not archived) led by ``agency`` (default: every agency), with their statuses as of ``today``."""
    if plan is not None:
        plans = [p for p in kb.plans if p.number == plan]
    elif all_plans:
        plans = [p for p in kb.plans if not p.archived]
    else:
        plans = [p for p in kb.plans if plan_status(p, today) == "in_force"] or [p for p in kb.plans if not p.archived]
    numbers = {p.number for p in plans}
    tasks: list[Task]
    if agency is not None:
        tasks = [t for t in kb.tasks_of(agency, role="lead", today=today) if t.plan_number in numbers]
    else:
        tasks = [t for p in plans for t in p.tasks]
    stem = _stem(plans, agency, today)
    if fmt == "ics":
        data = export_ics(tasks, name=f"Hạn nhiệm vụ — {stem}", stamp=datetime.combine(today, time(0)))
        return ExportFile(name=f"{stem}.ics", data=data, mime=_MIME[fmt], tasks=len(tasks))
    statuses = task_statuses(kb, reports, today=today, tasks=tasks)
    rows = export_rows(statuses, today=today)
    if fmt == "csv":
        data = export_csv(rows)
    elif fmt == "xlsx":
        leads = [a for a in kb.agencies_in_plans() if kb.lead_count(a.name)] if agency is None else [agency]
        data = export_xlsx(rows, agency_counts(statuses, leads, kb, today=today))
    else:
        late = [s for s in statuses if s.occurrence is not None and s.occurrence <= today]
        not_reported = sorted({name for s in late for name in s.missing})
        label = "; ".join(plan_label(p) for p in plans) or "các kế hoạch"
        data = export_docx(rows, plan_label=label, today=today, not_reported=not_reported)
    return ExportFile(name=f"{stem}.{fmt}", data=data, mime=_MIME[fmt], tasks=len(tasks))


def _stem(plans: Sequence[Plan], agency: Agency | None, today: date) -> str:
    """An ASCII file name: ``tinh-hinh-kh435-so-tai-chinh-20181120``."""
    numbers = "-".join(p.number.split("/")[0] for p in plans) or "ke-hoach"
    who = f"-{fold(agency.name)}" if agency is not None else ""
    text = f"tinh-hinh-kh{numbers}{who}-{today:%Y%m%d}"
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in text)
    return "-".join(part for part in safe.split("-") if part)
