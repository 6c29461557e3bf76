"""Records of the reminder system: reminders to send, outbox rows and progress reports. Pure data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from knowledge.contacts import Channel

__all__ = [
    "DoneReports",
    "OutboxEntry",
    "OutboxState",
    "ProgressReport",
    "Reminder",
    "ReminderKind",
    "ReportCategory",
    "ReportStatus",
    "classify_report",
    "CATEGORY_LABELS",
]

ReminderKind = Literal["before", "due", "overdue", "digest"]
OutboxState = Literal["pending", "sending", "sent", "failed", "skipped"]
ReportStatus = Literal["done", "in_progress"]
ReportCategory = Literal["done_on_time", "done_late", "in_progress_on_time", "overdue_not_done"]

CATEGORY_LABELS: dict[ReportCategory, str] = {
    # The Government Office's categories for task follow-up.
    "done_on_time": "hoàn thành đúng hạn",
    "done_late": "hoàn thành quá hạn",
    "in_progress_on_time": "đang thực hiện trong hạn",
    "overdue_not_done": "quá hạn chưa hoàn thành",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class Reminder:
    """One reminder for one contact. ``key`` is unique: the outbox never holds the same reminder twice.

    For a digest, ``plan``/``task`` are None and ``occurrence`` is the day of the digest.
    ``offset_days`` counts days from the send day to the deadline: 7, 3, 1 before; 0 on the day; negative when late.
    """

    contact_id: int
    channel: Channel
    chat_id: str
    agency: str | None
    kind: ReminderKind
    plan: str | None
    task: str | None
    occurrence: date
    offset_days: int

    @property
    def key(self) -> str:
        return "|".join(
            (
                str(self.contact_id),
                self.plan or "-",
                self.task or "-",
                self.occurrence.isoformat(),
                self.kind,
                str(self.offset_days),
            )
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class OutboxEntry:
    """A reminder in the outbox with its delivery state."""

    id: int
    reminder: Reminder
    state: OutboxState
    attempts: int
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str
    parts_sent: int = 0  # parts of the message the platform accepted before a failure (not sent again)
    parts_digest: str = ""  # which rendering of the message those parts belong to


@dataclass(frozen=True, kw_only=True, slots=True)
class ProgressReport:
    """An agency's report on one occurrence of a task."""

    id: int
    plan: str
    task: str
    agency: str
    occurrence: date  # the deadline the report is about
    status: ReportStatus
    reported_on: date
    note: str
    reported_by: str
    created_at: datetime

    @property
    def category(self) -> ReportCategory:
        return classify_report(self.status, self.reported_on, self.occurrence)


def classify_report(status: ReportStatus, reported_on: date, deadline: date) -> ReportCategory:
    """The follow-up category: done on time / late, or in progress within / past the deadline."""
    if status == "done":
        return "done_on_time" if reported_on <= deadline else "done_late"
    return "in_progress_on_time" if reported_on <= deadline else "overdue_not_done"


class DoneReports:
    """Which agencies reported which task occurrences done.

    A task led by a group ("UBND các quận, huyện") is done for one district when that district reports it, and for
    everyone when the lead itself (or a coordinator on its behalf) reports it.
    """

    def __init__(self, entries: Iterable[tuple[str, str, date, str]] = ()) -> None:
        self._by: dict[tuple[str, str, date], set[str]] = {}
        for plan, task, occurrence, agency in entries:
            self.add(plan, task, occurrence, agency)

    def add(self, plan: str, task: str, occurrence: date, agency: str) -> None:
        self._by.setdefault((plan, task, occurrence), set()).add(agency)

    def reported(self, plan: str, task: str, occurrence: date) -> bool:
        """Whether anyone reported this occurrence done."""
        return (plan, task, occurrence) in self._by

    def done_for(self, plan: str, task: str, occurrence: date, agencies: Iterable[str]) -> bool:
        """Whether one of ``agencies`` (a recipient and the task's leads) reported this occurrence done."""
        reporters = self._by.get((plan, task, occurrence))
        return reporters is not None and not reporters.isdisjoint(agencies)

    def __len__(self) -> int:
        return len(self._by)
