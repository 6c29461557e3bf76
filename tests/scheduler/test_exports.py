"""The coordinator's files (issue #12) on the bundled plan with a few reports: the xlsx opens with openpyxl and holds
the 43 tasks with the statuses /tinhhinh shows; the csv starts with a BOM; the ics parses with icalendar, one event
per deadline with UIDs stable across exports; the docx opens with python-docx and names who has not reported."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

import docx
import icalendar
import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.agencies import AgencyRegistry
from knowledge.base import KnowledgeBase
from knowledge.records import ParsedPlan
from scheduler.exports import build_export
from scheduler.exports.calendar import event_uid, fold, ics_text
from scheduler.records import ProgressReport
from scheduler.task_status import task_statuses

TODAY = date(2018, 11, 20)


def reports() -> list[ProgressReport]:
    def one(i: int, task: str, agency: str, on: date, note: str = "") -> ProgressReport:
        return ProgressReport(
            id=i,
            plan="435/KH-UBND",
            task=task,
            agency=agency,
            occurrence=date(2018, 11, 15),
            status="done",
            reported_on=on,
            note=note,
            reported_by="test",
            created_at=datetime(on.year, on.month, on.day, tzinfo=UTC),
        )

    return [
        one(1, "II.1", "Sở Tài chính", date(2018, 11, 10), "đã trình UBND thành phố"),
        one(2, "II.2", "Sở Tài chính", date(2018, 11, 18)),
        one(3, "XVI.1", "UBND huyện Tiên Lãng", date(2018, 11, 12)),
    ]


def kb_of(seed_plan: ParsedPlan, registry: AgencyRegistry) -> KnowledgeBase:
    return KnowledgeBase([seed_plan.plan], registry)


def test_xlsx_holds_every_task_with_the_status_tinhhinh_shows(seed_plan: ParsedPlan, registry: AgencyRegistry) -> None:
    kb = kb_of(seed_plan, registry)
    exported = build_export(kb, reports(), fmt="xlsx", today=TODAY)
    book = openpyxl.load_workbook(io.BytesIO(exported.data))
    sheet = book["Nhiệm vụ"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Kế hoạch", "Mã"] and "Tình trạng" in header
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 43 and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    status_col = header.index("Tình trạng")
    expected = {s.task.code: s.label for s in task_statuses(kb, reports(), today=TODAY)}
    assert all(str(rows[code][status_col]).startswith(label) for code, label in expected.items())
    assert str(rows["II.1"][status_col]).startswith("hoàn thành đúng hạn")
    assert str(rows["II.2"][status_col]).startswith("hoàn thành quá hạn")
    assert "đã trình UBND" in str(rows["II.1"][header.index("Ghi chú")])
    summary = [r for r in book["Theo cơ quan"].iter_rows(min_row=2, values_only=True)]
    assert any(r[0] == "Sở Tài chính" and r[-1] == 3 for r in summary)


def test_csv_has_a_bom_and_every_task(seed_plan: ParsedPlan, registry: AgencyRegistry) -> None:
    exported = build_export(kb_of(seed_plan, registry), reports(), fmt="csv", today=TODAY)
    assert exported.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert len(rows) == 44 and rows[0][0] == "Kế hoạch"


def test_ics_has_one_event_per_deadline_with_stable_uids(seed_plan: ParsedPlan, registry: AgencyRegistry) -> None:
    kb = kb_of(seed_plan, registry)
    first = build_export(kb, reports(), fmt="ics", today=TODAY)
    again = build_export(kb, [], fmt="ics", today=TODAY)
    assert first.data == again.data  # same knowledge, same calendar: UIDs and stamps do not drift
    calendar = icalendar.Calendar.from_ical(first.data)
    events = [c for c in calendar.walk("VEVENT")]
    deadlines = sum(len(t.schedule.deadlines) for t in seed_plan.plan.tasks)
    assert len(events) == deadlines and len({str(e["UID"]) for e in events}) == deadlines
    alarms = [a for e in events for a in e.walk("VALARM")]
    assert len(alarms) == deadlines and all(str(a["TRIGGER"].dt) == "-3 days, 0:00:00" for a in alarms)
    finance = build_export(kb, [], fmt="ics", today=TODAY, agency=registry.get("Sở Tài chính"))
    assert len(icalendar.Calendar.from_ical(finance.data).walk("VEVENT")) == 9  # II.1-II.3, three years each


def test_ics_events_read_back_with_icalendar_say_what_the_tasks_say(
    seed_plan: ParsedPlan, registry: AgencyRegistry
) -> None:
    """The calendar is written by hand for speed (scheduler/exports/calendar.py); icalendar, the reference, reads
    every event back to the task's own values."""
    kb = kb_of(seed_plan, registry)
    calendar = icalendar.Calendar.from_ical(build_export(kb, [], fmt="ics", today=TODAY).data)
    assert str(calendar["X-WR-CALNAME"]).startswith("Hạn nhiệm vụ")
    by_uid = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    for task in seed_plan.plan.tasks:
        for deadline in task.schedule.deadlines:
            event = by_uid[event_uid(task, deadline.due)]
            assert event["DTSTART"].dt == deadline.due and event["DTEND"].dt == deadline.due + timedelta(days=1)
            assert str(event["SUMMARY"]) == f"Hạn {task.code} ({task.plan_number}) — {', '.join(task.lead)}"
            description = str(event["DESCRIPTION"]).split("\n")
            assert description[0] == task.content and deadline.reason in description
            assert [str(c) for c in event["CATEGORIES"].cats] == [task.plan_number]
            assert event["DTSTAMP"].dt == datetime.combine(TODAY, time(0))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=400))
def test_any_text_survives_escaping_and_folding(text: str) -> None:
    line = fold(f"SUMMARY:{ics_text(text)}")
    assert all(len(piece.encode()) <= 75 for piece in line.split("\r\n"))
    event = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n")
    assert str(event["SUMMARY"]) == text


def test_docx_report_names_the_agencies_that_have_not_reported(seed_plan: ParsedPlan, registry: AgencyRegistry) -> None:
    exported = build_export(kb_of(seed_plan, registry), reports(), fmt="docx", today=TODAY)
    document = docx.Document(io.BytesIO(exported.data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Số:" in cells
    assert "BÁO CÁO" in text and "Các cơ quan, đơn vị chưa báo cáo" in text
    assert "Sở Kế hoạch và Đầu tư" in text and "UBND quận Ngô Quyền" in text  # 15/11 passed without their reports
