"""The repository: stores and loads knowledge-base records. No other module issues SQL for plans and agencies."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast, get_args

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from knowledge.errors import NotFoundError
from knowledge.records import (
    Agency,
    AgencyKind,
    Deadline,
    Duty,
    Objective,
    ParsedPlan,
    Plan,
    Recurrence,
    ReportFrequency,
    ReportingDate,
    ReportingDuty,
    Schedule,
    Task,
    YearRange,
)
from knowledge.storage.audit_rows import AuditRow
from knowledge.storage.columns import utc
from knowledge.storage.database import Database
from knowledge.storage.models import (
    AgencyRow,
    DeadlineRow,
    DutyRow,
    ObjectiveRow,
    PlanRow,
    TaskAgencyRow,
    TaskRow,
)

__all__ = ["KnowledgeRepository", "PlanChange", "SaveResult"]

log = logging.getLogger(__name__)

_FREQUENCIES: tuple[ReportFrequency, ...] = get_args(ReportFrequency)


@dataclass(frozen=True, kw_only=True, slots=True)
class SaveResult:
    """What saving a plan changed."""

    plan_number: str
    created: bool
    tasks_added: int
    tasks_updated: int
    tasks_retired: int  # in the stored version but not in the new one: kept, marked inactive


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanChange:
    """What archiving, restoring or removing a plan did."""

    plan: Plan  # the plan's facts after the change (objectives, duties and tasks left out)
    changed: bool  # False when the plan already was in the state asked for
    tasks: int  # its active tasks (removed ones, for a removal)


class KnowledgeRepository:
    """Plans, tasks, deadlines and agencies in the database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- writing ------------------------------------------------------------------------------------------------

    def sync_agencies(self, agencies: Iterable[Agency]) -> None:
        """Insert or update registry agencies (never deletes: contacts and tasks may refer to them)."""
        with self.db.session() as session:
            self.db.lock_for_setup(session)  # two instances starting together would insert the same names
            self._upsert_agencies(session, agencies)

    def save_plan(self, parsed: ParsedPlan) -> SaveResult:
        """Insert or update a plan in one transaction; task rows keep their ids across re-imports."""
        with self.db.session() as session:
            self.db.lock_for_setup(session)
            result = self._save_plan(session, parsed)
        log.info("saved plan %s: %s", parsed.plan.number, result)
        return result

    def save_plan_if_empty(self, parsed: ParsedPlan) -> SaveResult | None:
        """Save ``parsed`` only when no plan is stored yet (seeding); None when there is one, or when an admin
        removed plans (an empty knowledge base is then their choice, not a fresh install).

        The check and the save are one transaction under the setup lock, so of several instances starting
        together on an empty PostgreSQL database exactly one imports.
        """
        with self.db.session() as session:
            self.db.lock_for_setup(session)
            if session.scalar(select(func.count()).select_from(PlanRow)):
                return None
            if session.scalar(select(func.count()).select_from(AuditRow).where(AuditRow.action == "plan.remove")):
                return None
            result = self._save_plan(session, parsed)
        log.info("saved plan %s: %s", parsed.plan.number, result)
        return result

    def _save_plan(self, session: Session, parsed: ParsedPlan) -> SaveResult:
        """Insert or update ``parsed`` in the caller's transaction (which holds the setup lock)."""
        plan = parsed.plan
        agency_ids = self._upsert_agencies(session, parsed.agencies)
        row = session.scalar(
            select(PlanRow)
            .where(PlanRow.number == plan.number)
            .options(selectinload(PlanRow.tasks).selectinload(TaskRow.agencies))
        )
        created = row is None
        if row is None:
            row = PlanRow(number=plan.number)
            session.add(row)
        _fill_plan(row, plan)
        existing = {t.code: t for t in row.tasks}
        added = updated = 0
        for task in plan.tasks:
            task_row = existing.pop(task.code, None)
            if task_row is None:
                task_row = TaskRow(code=task.code)
                row.tasks.append(task_row)
                added += 1
            else:
                updated += 1
            _fill_task(task_row, task, agency_ids)
        for leftover in existing.values():
            leftover.active = False
        row.objectives = [
            ObjectiveRow(position=i, label=o.label, text=o.text, target_date=o.target_date, date_reason=o.date_reason)
            for i, o in enumerate(plan.objectives)
        ]
        row.duties = [
            DutyRow(position=i, code=d.code, label=d.label, text=d.text, agencies=list(d.agencies))
            for i, d in enumerate(plan.duties)
        ]
        session.flush()
        return SaveResult(
            plan_number=plan.number,
            created=created,
            tasks_added=added,
            tasks_updated=updated,
            tasks_retired=len(existing),
        )

    def set_archived(self, number: str, archived: bool, *, actor: str, now: datetime) -> PlanChange:
        """Archive (``True``) or restore (``False``) the plan numbered exactly ``number``, audited in the same
        transaction. The change moves ``updated_at``, which is what other processes watch to reload."""
        action = "plan.archive" if archived else "plan.restore"
        with self.db.session() as session:
            row = self._plan_row(session, number)
            changed = row.archived != archived
            if changed:
                row.archived = archived
                row.updated_at = datetime.now(UTC)  # real time: what other processes compare, never a test clock
            tasks = self._active_tasks(session, row.id)
            detail = number if changed else f"{number} (unchanged)"
            session.add(AuditRow(at=utc(now), actor=actor, action=action, detail=detail, allowed=True))
            plan = _plan_record(row, with_children=False)
        log.info("%s %s by %s: changed=%s", action, number, actor, changed)
        return PlanChange(plan=plan, changed=changed, tasks=tasks)

    def remove_plan(self, number: str, *, actor: str, now: datetime) -> PlanChange:
        """Delete the plan numbered exactly ``number`` with its tasks, deadlines, objectives and duties in one
        transaction, audited in it. Agencies, contacts, progress reports and outbox rows are left as they are
        (the reminder service skips queued reminders of a plan that no longer exists)."""
        with self.db.session() as session:
            self.db.lock_for_setup(session)  # not interleaved with an import of the same plan
            row = self._plan_row(session, number)
            plan = _plan_record(row, with_children=False)
            tasks = self._active_tasks(session, row.id)
            task_ids = select(TaskRow.id).where(TaskRow.plan_id == row.id).scalar_subquery()
            session.execute(delete(DeadlineRow).where(DeadlineRow.task_id.in_(task_ids)))
            session.execute(delete(TaskAgencyRow).where(TaskAgencyRow.task_id.in_(task_ids)))
            session.execute(delete(TaskRow).where(TaskRow.plan_id == row.id))
            session.execute(delete(ObjectiveRow).where(ObjectiveRow.plan_id == row.id))
            session.execute(delete(DutyRow).where(DutyRow.plan_id == row.id))
            session.execute(delete(PlanRow).where(PlanRow.id == row.id).execution_options(synchronize_session=False))
            session.add(AuditRow(at=utc(now), actor=actor, action="plan.remove", detail=number, allowed=True))
        log.info("plan.remove %s by %s: %d tasks", number, actor, tasks)
        return PlanChange(plan=plan, changed=True, tasks=tasks)

    @staticmethod
    def _plan_row(session: Session, number: str) -> PlanRow:
        row = session.scalar(select(PlanRow).where(PlanRow.number == number))
        if row is None:
            raise NotFoundError(f"no plan {number!r}", user_message=f"Không có kế hoạch số “{number}”.")
        return row

    @staticmethod
    def _active_tasks(session: Session, plan_id: int) -> int:
        count = session.scalar(
            select(func.count(TaskRow.id)).where(TaskRow.plan_id == plan_id, TaskRow.active.is_(True))
        )
        return int(count or 0)

    @staticmethod
    def _upsert_agencies(session: Session, agencies: Iterable[Agency]) -> dict[str, int]:
        wanted = {a.name: a for a in agencies}
        rows = {r.name: r for r in session.scalars(select(AgencyRow).where(AgencyRow.name.in_(list(wanted))))}
        for name, agency in wanted.items():
            row = rows.get(name)
            if row is None:
                row = AgencyRow(name=name)
                session.add(row)
                rows[name] = row
            elif agency.kind == "unknown" and row.kind != "unknown":
                continue  # a plan naming a registry agency loosely never downgrades it
            row.kind = agency.kind
            row.short = agency.short
            row.aliases = list(agency.aliases)
            row.members = list(agency.members)
        session.flush()
        return {name: row.id for name, row in rows.items()}

    # -- reading ------------------------------------------------------------------------------------------------

    def plan_numbers(self) -> list[str]:
        """The numbers of the stored plans, in the order :meth:`load_plans` returns them."""
        with self.db.session() as session:
            return list(session.scalars(select(PlanRow.number).order_by(PlanRow.issued_on, PlanRow.number)))

    def plan_count(self) -> int:
        with self.db.session() as session:
            return int(session.scalar(select(func.count()).select_from(PlanRow)) or 0)

    def fingerprint(self) -> str:
        """Changes whenever a plan is imported or updated (cheap; lets other processes notice imports)."""
        return self.db.fingerprint()

    def load_plans(self) -> list[Plan]:
        """Every plan with its active tasks, ordered by issue date and number.

        The snapshot every answer is built from, so it is read as plain rows (SQLAlchemy Core: one query per table,
        no ORM entities, nothing for the session to track): at 10,000 tasks this is several times faster and lighter
        than loading ORM objects, and a reload does not grow memory."""
        plans_t, tasks_t = PlanRow.__table__, TaskRow.__table__
        links_t, agencies_t = TaskAgencyRow.__table__, AgencyRow.__table__
        deadlines_t, objectives_t, duties_t = DeadlineRow.__table__, ObjectiveRow.__table__, DutyRow.__table__
        # Rows are consumed as they arrive (not fetched into lists first) and repeated texts (agency names, section
        # titles, time phrases, deadline rules and reasons) and dates are shared: 10,000 tasks carry ~200,000
        # strings of which ~20,000 differ, so this keeps ~18 MB of duplicates out of the snapshot and of the peak.
        shared: dict[Any, Any] = {}
        share = shared.setdefault
        leads: dict[int, list[str]] = {}
        helpers: dict[int, list[str]] = {}
        deadlines: dict[int, list[Deadline]] = {}
        tasks: dict[int, list[Task]] = {}
        with self.db.session() as session:
            plan_rows = session.execute(select(plans_t).order_by(plans_t.c.issued_on, plans_t.c.number)).all()
            number_of = {row.id: row.number for row in plan_rows}
            links = session.execute(
                select(links_t.c.task_id, links_t.c.role, agencies_t.c.name)
                .join(agencies_t, agencies_t.c.id == links_t.c.agency_id)
                .order_by(links_t.c.task_id, links_t.c.position)
            )
            for task_id, role, name in links:
                (leads if role == "lead" else helpers).setdefault(task_id, []).append(share(name, name))
            dated = session.execute(
                select(
                    deadlines_t.c.task_id,
                    deadlines_t.c.due,
                    deadlines_t.c.rule,
                    deadlines_t.c.reason,
                    deadlines_t.c.final,
                ).order_by(deadlines_t.c.task_id, deadlines_t.c.due)
            )
            for task_id, due, rule, reason, final in dated:
                deadlines.setdefault(task_id, []).append(
                    Deadline(
                        due=share(due, due), rule=share(rule, rule), reason=share(reason, reason), final=bool(final)
                    )
                )
            task_rows = session.execute(
                select(tasks_t).where(tasks_t.c.active.is_(True)).order_by(tasks_t.c.plan_id, tasks_t.c.position)
            )
            for t in task_rows:
                time_text = share(t.time_text, t.time_text)
                tasks.setdefault(t.plan_id, []).append(
                    Task(
                        plan_number=number_of[t.plan_id],
                        code=t.code,
                        position=t.position,
                        section_code=share(t.section_code, t.section_code),
                        section_title=share(t.section_title, t.section_title),
                        content=t.content,
                        lead=tuple(leads.get(t.id, ())),
                        coordinators=tuple(helpers.get(t.id, ())),
                        product=share(t.product, t.product),
                        time_text=time_text,
                        coordinators_text=share(t.coordinators_text, t.coordinators_text),
                        schedule=Schedule(
                            phrase=time_text,
                            recurrence=cast(Recurrence, t.recurrence),
                            deadlines=tuple(deadlines.get(t.id, ())),
                            explanation=share(t.schedule_explanation, t.schedule_explanation),
                        ),
                    )
                )
            objective_rows = session.execute(
                select(objectives_t).order_by(objectives_t.c.plan_id, objectives_t.c.position)
            ).all()
            duty_rows = session.execute(select(duties_t).order_by(duties_t.c.plan_id, duties_t.c.position)).all()
        objectives: dict[int, list[Objective]] = {}
        for o in objective_rows:
            objectives.setdefault(o.plan_id, []).append(
                Objective(label=o.label, text=o.text, target_date=o.target_date, date_reason=o.date_reason)
            )
        duties: dict[int, list[Duty]] = {}
        for d in duty_rows:
            duties.setdefault(d.plan_id, []).append(
                Duty(code=d.code, label=d.label, text=d.text, agencies=tuple(d.agencies or ()))
            )
        return [
            _plan_of(
                row,
                objectives=tuple(objectives.get(row.id, ())),
                duties=tuple(duties.get(row.id, ())),
                tasks=tuple(tasks.get(row.id, ())),
            )
            for row in plan_rows
        ]

    def load_plan(self, number: str) -> Plan | None:
        """The stored plan numbered exactly ``number`` with its active tasks, or None."""
        with self.db.session() as session:
            row = session.scalar(
                select(PlanRow)
                .where(PlanRow.number == number)
                .options(
                    selectinload(PlanRow.tasks).selectinload(TaskRow.agencies),
                    selectinload(PlanRow.tasks).selectinload(TaskRow.deadlines),
                    selectinload(PlanRow.objectives),
                    selectinload(PlanRow.duties),
                )
            )
            return _plan_record(row) if row is not None else None

    def load_agencies(self) -> list[Agency]:
        with self.db.session() as session:
            rows = session.scalars(select(AgencyRow).order_by(AgencyRow.name)).all()
            return [
                Agency(
                    name=r.name,
                    kind=cast(AgencyKind, r.kind),
                    short=r.short,
                    aliases=tuple(r.aliases or ()),
                    members=tuple(r.members or ()),
                )
                for r in rows
            ]


def _fill_plan(row: PlanRow, plan: Plan) -> None:
    row.title = plan.title
    row.issuer = plan.issuer
    row.issued_on = plan.issued_on
    row.period_start = plan.period.start if plan.period else None
    row.period_end = plan.period.end if plan.period else None
    row.replaces = plan.replaces
    row.replaces_text = plan.replaces_text
    row.signer = plan.signer
    row.signer_title = plan.signer_title
    row.reporting = _reporting_json(plan.reporting_date)
    row.city_reporting = _reporting_json(plan.city_reporting_date)
    row.reporting_duties = [_duty_json(d) for d in plan.reporting_duties]
    # ``archived`` is an admin's decision, not a fact of the document: a re-import keeps it as it was.
    row.source_name = plan.source_name
    row.source_hash = plan.source_hash
    row.updated_at = datetime.now(UTC)


def _fill_task(row: TaskRow, task: Task, agency_ids: dict[str, int]) -> None:
    row.position = task.position
    row.section_code = task.section_code
    row.section_title = task.section_title
    row.content = task.content
    row.product = task.product
    row.time_text = task.time_text
    row.coordinators_text = task.coordinators_text
    row.recurrence = task.schedule.recurrence
    row.schedule_explanation = task.schedule.explanation
    row.active = True
    wanted = [(agency_ids[n], "lead") for n in task.lead] + [(agency_ids[n], "coordinator") for n in task.coordinators]
    current = {(a.agency_id, a.role): a for a in row.agencies}
    keep: list[TaskAgencyRow] = []
    for position, key in enumerate(wanted):
        link = current.pop(key, None) or TaskAgencyRow(agency_id=key[0], role=key[1])
        link.position = position
        keep.append(link)
    row.agencies = keep
    row.deadlines = [
        DeadlineRow(due=d.due, rule=d.rule, reason=d.reason, final=d.final) for d in task.schedule.deadlines
    ]


def _reporting_json(value: ReportingDate | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"month": value.month, "day": value.day, "label": value.label, "text": value.text}


def _reporting_record(value: dict[str, Any] | None) -> ReportingDate | None:
    if not value:
        return None
    return ReportingDate(
        month=int(value["month"]),
        day=int(value["day"]),
        label=str(value.get("label", "")),
        text=str(value.get("text", "")),
    )


def _duty_json(duty: ReportingDuty) -> dict[str, Any]:
    return {
        "reporters": list(duty.reporters),
        "reporters_text": duty.reporters_text,
        "receiver": duty.receiver,
        "frequency": duty.frequency,
        "day": duty.day,
        "month": duty.month,
        "months": list(duty.months),
        "year": duty.year,
        "label": duty.label,
        "text": duty.text,
    }


def _duty_record(value: dict[str, Any]) -> ReportingDuty:
    frequency = value.get("frequency", "unknown")
    return ReportingDuty(
        reporters=tuple(str(n) for n in value.get("reporters") or ()),
        reporters_text=str(value.get("reporters_text", "")),
        receiver=str(value.get("receiver", "")),
        frequency=frequency if frequency in _FREQUENCIES else "unknown",
        day=_optional_int(value.get("day")),
        month=_optional_int(value.get("month")),
        months=tuple(int(m) for m in value.get("months") or ()),
        year=_optional_int(value.get("year")),
        label=str(value.get("label", "")),
        text=str(value.get("text", "")),
    )


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _plan_record(row: PlanRow, *, with_children: bool = True) -> Plan:
    if not with_children:
        return _plan_of(row, objectives=(), duties=(), tasks=())
    return _plan_of(
        row,
        objectives=tuple(
            Objective(label=o.label, text=o.text, target_date=o.target_date, date_reason=o.date_reason)
            for o in row.objectives
        ),
        duties=tuple(
            Duty(code=d.code, label=d.label, text=d.text, agencies=tuple(d.agencies or ())) for d in row.duties
        ),
        tasks=tuple(_task_record(t, row.number) for t in row.tasks if t.active),
    )


def _plan_of(row: Any, *, objectives: tuple[Objective, ...], duties: tuple[Duty, ...], tasks: tuple[Task, ...]) -> Plan:
    """A plan record from a plans row (an ORM entity or a Core row: the same column names) and its children."""
    period = (
        YearRange(start=row.period_start, end=row.period_end)
        if row.period_start is not None and row.period_end is not None
        else None
    )
    return Plan(
        number=row.number,
        title=row.title,
        issuer=row.issuer,
        issued_on=row.issued_on,
        period=period,
        replaces=row.replaces,
        replaces_text=row.replaces_text,
        signer=row.signer,
        signer_title=row.signer_title,
        reporting_date=_reporting_record(row.reporting),
        city_reporting_date=_reporting_record(row.city_reporting),
        reporting_duties=tuple(_duty_record(d) for d in row.reporting_duties or ()),
        archived=bool(row.archived),
        objectives=objectives,
        duties=duties,
        tasks=tasks,
        source_name=row.source_name,
        source_hash=row.source_hash,
    )


def _task_record(row: TaskRow, plan_number: str) -> Task:
    lead = tuple(a.agency.name for a in row.agencies if a.role == "lead")
    coordinators = tuple(a.agency.name for a in row.agencies if a.role == "coordinator")
    deadlines = tuple(
        Deadline(due=d.due, rule=d.rule, reason=d.reason, final=d.final) for d in sorted(row.deadlines, key=_due)
    )
    return Task(
        plan_number=plan_number,
        code=row.code,
        position=row.position,
        section_code=row.section_code,
        section_title=row.section_title,
        content=row.content,
        lead=lead,
        coordinators=coordinators,
        product=row.product,
        time_text=row.time_text,
        coordinators_text=row.coordinators_text,
        schedule=Schedule(
            phrase=row.time_text,
            recurrence=cast(Recurrence, row.recurrence),
            deadlines=deadlines,
            explanation=row.schedule_explanation,
        ),
    )


def _due(row: DeadlineRow) -> Any:
    return row.due
