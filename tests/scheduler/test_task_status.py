"""The coordinator's statuses (issue #12): the occurrence that just passed keeps its status, a group task is done
only when every member has reported, coordinators' reports are input, in-progress turns overdue after the deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime

from knowledge.agencies import AgencyRegistry
from knowledge.base import KnowledgeBase
from knowledge.records import ParsedPlan, Task
from scheduler.records import ProgressReport, ReportStatus
from scheduler.task_status import TaskStatus, agency_counts, task_statuses

NOV_20_2018 = date(2018, 11, 20)
_ids = iter(range(1, 10_000))


def report(
    task: str, agency: str, occurrence: date, status: ReportStatus = "done", on: date | None = None
) -> ProgressReport:
    day = on or occurrence
    return ProgressReport(
        id=next(_ids),
        plan="435/KH-UBND",
        task=task,
        agency=agency,
        occurrence=occurrence,
        status=status,
        reported_on=day,
        note="",
        reported_by="test",
        created_at=datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
    )


def status_of(kb: KnowledgeBase, code: str, reports: list[ProgressReport], today: date) -> TaskStatus:
    task: Task = next(t for t in kb.tasks if t.code == code)
    [found] = task_statuses(kb, reports, today=today, tasks=[task])
    return found


def kb_of(seed_plan: ParsedPlan, registry: AgencyRegistry) -> KnowledgeBase:
    return KnowledgeBase([seed_plan.plan], registry)


def test_the_occurrence_that_just_passed_keeps_its_status(seed_plan: ParsedPlan, registry: AgencyRegistry) -> None:
    kb = kb_of(seed_plan, registry)
    unreported = status_of(kb, "II.2", [], NOV_20_2018)
    assert unreported.occurrence == date(2018, 11, 15) and unreported.label == "quá hạn chưa hoàn thành"
    late = status_of(
        kb, "II.2", [report("II.2", "Sở Tài chính", date(2018, 11, 15), on=date(2018, 11, 18))], NOV_20_2018
    )
    assert late.occurrence == date(2018, 11, 15) and late.label == "hoàn thành quá hạn"
    on_time = [report("II.2", "Sở Tài chính", date(2018, 11, 15), on=date(2018, 11, 10))]
    assert status_of(kb, "II.2", on_time, NOV_20_2018).label == "hoàn thành đúng hạn"
    assert status_of(kb, "II.2", on_time, date(2019, 3, 1)).occurrence == date(2018, 11, 15)  # stands until the next
    before = status_of(kb, "II.2", [], date(2018, 10, 1))
    assert before.occurrence == date(2018, 11, 15) and before.label == "đang thực hiện trong hạn"


def test_a_group_task_is_done_only_when_every_member_has_reported(
    seed_plan: ParsedPlan, registry: AgencyRegistry
) -> None:
    kb = kb_of(seed_plan, registry)
    one = [report("XVI.1", "UBND huyện Tiên Lãng", date(2018, 11, 15), on=date(2018, 11, 1))]
    status = status_of(kb, "XVI.1", one, NOV_20_2018)
    assert status.label == "quá hạn chưa hoàn thành"  # the group is not done because one district reported
    tien_lang = status.of("UBND huyện Tiên Lãng")
    assert tien_lang is not None and tien_lang.label == "hoàn thành đúng hạn"
    assert "UBND quận Ngô Quyền" in status.missing and "UBND huyện Tiên Lãng" not in status.missing
    everyone = [report("XVI.1", m, date(2018, 11, 15), on=date(2018, 11, 2)) for m in status.missing] + one
    assert status_of(kb, "XVI.1", everyone, NOV_20_2018).label == "hoàn thành đúng hạn"
    by_the_group = [report("XVI.1", "UBND các quận, huyện", date(2018, 11, 15), on=date(2018, 11, 16))]
    assert status_of(kb, "XVI.1", by_the_group, NOV_20_2018).label == "hoàn thành quá hạn"  # the lead covers all


def test_coordinators_reports_are_input_and_in_progress_turns_overdue(
    seed_plan: ParsedPlan, registry: AgencyRegistry
) -> None:
    kb = kb_of(seed_plan, registry)
    by_other = [report("II.2", "Sở Y tế", date(2018, 11, 15), on=date(2018, 11, 1))]
    status = status_of(kb, "II.2", by_other, NOV_20_2018)
    assert status.label == "quá hạn chưa hoàn thành" and [r.agency for r in status.inputs] == ["Sở Y tế"]
    going = [report("II.2", "Sở Tài chính", date(2018, 11, 15), status="in_progress", on=date(2018, 11, 1))]
    assert status_of(kb, "II.2", going, date(2018, 11, 10)).label == "đang thực hiện trong hạn"
    assert status_of(kb, "II.2", going, NOV_20_2018).label == "quá hạn chưa hoàn thành"


def test_counts_per_agency_use_each_members_own_row(seed_plan: ParsedPlan, registry: AgencyRegistry) -> None:
    kb = kb_of(seed_plan, registry)
    reports = [report("XVI.1", "UBND huyện Tiên Lãng", date(2018, 11, 15), on=date(2018, 11, 1))]
    statuses = task_statuses(kb, reports, today=NOV_20_2018)
    agencies = [a for n in ("UBND huyện Tiên Lãng", "Sở Tài chính") if (a := registry.get(n)) is not None]
    counts = agency_counts(statuses, agencies, kb, today=NOV_20_2018)
    assert counts["UBND huyện Tiên Lãng"]["done_on_time"] == 1
    assert sum(counts["Sở Tài chính"].values()) == 3
