"""Agencies' progress reports on task occurrences in the database: only ever added, never changed.

Times are passed in (``now``), timezone-aware, stored in UTC (see :mod:`scheduler.storage`).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Final, get_args

from sqlalchemy import Date, DateTime, Index, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.storage.columns import aware, checked, stored, utc
from knowledge.storage.database import Database
from knowledge.storage.models import Base
from scheduler.records import DoneReports, ProgressReport, ReportStatus

__all__ = ["ProgressReportRow", "ReportRepository"]

log = logging.getLogger(__name__)

_STATUSES: Final[tuple[ReportStatus, ...]] = get_args(ReportStatus)


class ProgressReportRow(Base):
    __tablename__ = "progress_reports"
    __table_args__ = (Index("ix_progress_reports_plan_task_occurrence", "plan", "task", "occurrence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan: Mapped[str] = mapped_column(String(64))
    task: Mapped[str] = mapped_column(String(64))
    agency: Mapped[str] = mapped_column(String(255))
    occurrence: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    reported_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    reported_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReportRepository:
    """Agencies' progress reports on task occurrences. Reports are only ever added, never changed."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        *,
        plan: str,
        task: str,
        agency: str,
        occurrence: date,
        status: ReportStatus,
        reported_on: date,
        note: str = "",
        reported_by: str,
        now: datetime,
    ) -> ProgressReport:
        """Record a report on the occurrence of ``task`` due on ``occurrence``."""
        at = utc(now)
        row = ProgressReportRow(
            plan=plan,
            task=task,
            agency=agency,
            occurrence=occurrence,
            status=_check_status(status),
            reported_on=reported_on,
            note=note,
            reported_by=reported_by,
            created_at=at,
        )
        with self.db.session() as session:
            session.add(row)
            session.flush()
            report = _report(row)
        log.info("progress report #%d: %s %s/%s due %s: %s", report.id, agency, plan, task, occurrence, status)
        return report

    def list_reports(self, *, agency: str | None = None, plan: str | None = None) -> list[ProgressReport]:
        """Reports, newest first, optionally of one agency and/or plan."""
        query = select(ProgressReportRow).order_by(ProgressReportRow.created_at.desc(), ProgressReportRow.id.desc())
        if agency is not None:
            query = query.where(ProgressReportRow.agency == agency)
        if plan is not None:
            query = query.where(ProgressReportRow.plan == plan)
        with self.db.session() as session:
            return [_report(row) for row in session.scalars(query)]

    def latest(self, plan: str, task: str, occurrence: date) -> ProgressReport | None:
        """The newest report on one occurrence of a task; None when nobody reported on it."""
        query = (
            select(ProgressReportRow)
            .where(
                ProgressReportRow.plan == plan,
                ProgressReportRow.task == task,
                ProgressReportRow.occurrence == occurrence,
            )
            .order_by(ProgressReportRow.created_at.desc(), ProgressReportRow.id.desc())
            .limit(1)
        )
        with self.db.session() as session:
            row = session.scalars(query).first()
            return None if row is None else _report(row)

    def done_occurrences(self) -> DoneReports:
        """Every (plan, task, occurrence) reported done, with the agencies that reported it."""
        query = (
            select(
                ProgressReportRow.plan, ProgressReportRow.task, ProgressReportRow.occurrence, ProgressReportRow.agency
            )
            .where(ProgressReportRow.status == "done")
            .distinct()
        )
        with self.db.session() as session:
            return DoneReports((p, t, o, a) for p, t, o, a in session.execute(query))


def _report(row: ProgressReportRow) -> ProgressReport:
    return ProgressReport(
        id=row.id,
        plan=row.plan,
        task=row.task,
        agency=row.agency,
        occurrence=row.occurrence,
        status=_status(row.status),
        reported_on=row.reported_on,
        note=row.note,
        reported_by=row.reported_by,
        created_at=aware(row.created_at),
    )


def _status(value: str) -> ReportStatus:
    return stored(value, _STATUSES, "report status")


def _check_status(value: str) -> ReportStatus:
    return checked(value, _STATUSES, "report status")
