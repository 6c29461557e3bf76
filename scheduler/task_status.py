"""Where each task stands, as the plan's coordinating office tracks it: the Government Office's four statuses
(hoàn thành đúng hạn, hoàn thành quá hạn, đang thực hiện trong hạn, quá hạn chưa hoàn thành) per task occurrence and
reporting agency, rolled up per task and per agency. Pure: tasks, reports and the day are parameters.

- **Which occurrence**: the oldest deadline that has passed without every report it needs; else the latest deadline
  that has passed (its outcome stands until the next one); else the next deadline. A task without a date (thường
  xuyên) is judged by its latest report.
- **Who must report**: each lead; a group lead ("UBND các quận, huyện") through each member in existence on that
  deadline. A report by the lead itself, or by a body that took it over (succession), covers every member. A
  coordinator's or admin's report is input: shown, never closing the task.
- **Status of one reporter**: its latest report on that occurrence, classified against the deadline; without one,
  "quá hạn" once the deadline has passed, else "đang thực hiện trong hạn".
- **Status of the task**: done (on time, or late if any report was late) when every reporter is done; else overdue
  after the deadline, else in progress.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from knowledge.base import KnowledgeBase
from knowledge.records import Agency, Task
from scheduler.records import CATEGORY_LABELS, ProgressReport, ReportCategory, classify_report

__all__ = ["STATUS_ORDER", "ReporterStatus", "TaskStatus", "agency_counts", "task_statuses"]

STATUS_ORDER: tuple[ReportCategory, ...] = ("done_on_time", "done_late", "in_progress_on_time", "overdue_not_done")


@dataclass(frozen=True, kw_only=True, slots=True)
class ReporterStatus:
    """One agency that must report one occurrence, and where it stands."""

    agency: str
    status: ReportCategory
    report: ProgressReport | None = None

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.status]


@dataclass(frozen=True, kw_only=True, slots=True)
class TaskStatus:
    """A task at one occurrence: its status, each reporter's, and the input of others (coordinators, admins)."""

    task: Task
    occurrence: date | None
    status: ReportCategory
    reporters: tuple[ReporterStatus, ...]
    inputs: tuple[ProgressReport, ...] = ()

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.status]

    @property
    def last_report(self) -> ProgressReport | None:
        reports = [r.report for r in self.reporters if r.report is not None] + list(self.inputs)
        return max(reports, key=lambda r: r.created_at) if reports else None

    @property
    def missing(self) -> tuple[str, ...]:
        """The reporters that have not reported this occurrence done."""
        return tuple(r.agency for r in self.reporters if not r.status.startswith("done"))

    def of(self, agency: str) -> ReporterStatus | None:
        return next((r for r in self.reporters if r.agency == agency), None)


def task_statuses(
    kb: KnowledgeBase,
    reports: Iterable[ProgressReport],
    *,
    today: date,
    tasks: Sequence[Task] | None = None,
) -> list[TaskStatus]:
    """The status of ``tasks`` (default: every task of the plans in ``kb``) as of ``today``."""
    by_task: dict[tuple[str, str], list[ProgressReport]] = {}
    for report in sorted(reports, key=lambda r: (r.created_at, r.id)):
        by_task.setdefault((report.plan, report.task), []).append(report)
    chosen = tasks if tasks is not None else [t for p in kb.plans for t in p.tasks]
    return [_status(kb, task, by_task.get((task.plan_number, task.code), []), today) for task in chosen]


def agency_counts(
    statuses: Iterable[TaskStatus], agencies: Iterable[Agency], kb: KnowledgeBase, *, today: date
) -> dict[str, Counter[ReportCategory]]:
    """Per agency: how many of its led tasks stand in each status (a member of a group lead counts its own row)."""
    listed = list(statuses)
    out: dict[str, Counter[ReportCategory]] = {}
    for agency in agencies:
        mine = {(t.plan_number, t.code) for t in kb.tasks_of(agency, role="lead", today=today)}
        counts: Counter[ReportCategory] = Counter()
        for status in listed:
            if (status.task.plan_number, status.task.code) in mine:
                own = status.of(agency.name)
                counts[own.status if own is not None else status.status] += 1
        if counts:
            out[agency.name] = counts
    return out


def _occurrence(task: Task, today: date, done: set[date]) -> date | None:
    dues = [d.due for d in task.schedule.deadlines]
    if not dues:
        return None
    past = [d for d in dues if d < today]
    open_past = [d for d in past if d not in done]
    if open_past:
        return open_past[0]
    if past:
        return past[-1]
    return dues[0] if dues[0] >= today else dues[-1]


def _reporters(kb: KnowledgeBase, task: Task, occurrence: date | None) -> list[str]:
    day = occurrence
    names: list[str] = []
    for lead in task.lead:
        body = kb.agency(lead)
        members = [m for m in body.members if day is None or _exists(kb, m, day)] if body is not None else []
        names.extend(members or [lead])
    return list(dict.fromkeys(names))


def _exists(kb: KnowledgeBase, name: str, day: date) -> bool:
    body = kb.agency(name)
    return body is None or body.exists_on(day)


def _status(kb: KnowledgeBase, task: Task, reports: list[ProgressReport], today: date) -> TaskStatus:
    def covers_all(report: ProgressReport) -> bool:  # the lead itself, or a body it became
        day = report.occurrence if report.occurrence <= today else today
        return report.agency in task.lead or (
            kb.reports_for(report.agency, task, today=day) and report.agency not in _members(kb, task)
        )

    def done_everywhere(occurrence: date) -> bool:
        latest: dict[str, ProgressReport] = {}
        for report in reports:
            if report.occurrence == occurrence:
                latest[report.agency] = report
        if any(r.status == "done" and covers_all(r) for r in latest.values()):
            return True
        needed = _reporters(kb, task, occurrence)
        return all(a in latest and latest[a].status == "done" for a in needed)

    done_days = {d.due for d in task.schedule.deadlines if d.due < today and done_everywhere(d.due)}
    occurrence = _occurrence(task, today, done_days)
    relevant = [r for r in reports if occurrence is None or r.occurrence == occurrence]
    latest: dict[str, ProgressReport] = {}
    for report in relevant:
        latest[report.agency] = report
    overall = next((r for r in reversed(relevant) if covers_all(r)), None)
    inputs: list[ProgressReport] = []
    reporters: list[ReporterStatus] = []
    needed = _reporters(kb, task, occurrence)
    deadline = occurrence if occurrence is not None else today
    passed = occurrence is not None and occurrence < today
    for name in needed:
        found = latest.get(name) or overall
        status: ReportCategory = "overdue_not_done" if passed else "in_progress_on_time"
        if found is not None:
            status = classify_report(found.status, found.reported_on, deadline)
            if status == "in_progress_on_time" and passed:
                status = "overdue_not_done"  # still in progress, and the deadline has passed since
        reporters.append(ReporterStatus(agency=name, status=status, report=found))
    for agency, report in latest.items():
        if agency not in needed and not covers_all(report) and not kb.reports_for(agency, task, today=today):
            inputs.append(report)
    statuses = [r.status for r in reporters]
    if statuses and all(s.startswith("done") for s in statuses):
        overall_status: ReportCategory = "done_late" if "done_late" in statuses else "done_on_time"
    elif occurrence is not None and occurrence < today:
        overall_status = "overdue_not_done"
    else:
        overall_status = "in_progress_on_time"
    return TaskStatus(
        task=task, occurrence=occurrence, status=overall_status, reporters=tuple(reporters), inputs=tuple(inputs)
    )


def _members(kb: KnowledgeBase, task: Task) -> set[str]:
    out: set[str] = set()
    for lead in task.lead:
        body = kb.agency(lead)
        if body is not None:
            out.update(body.members)
    return out
