"""The reminder policy with fixed clocks: stages, recipients, digests, quiet hours and catch-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from knowledge.agencies import AgencyRegistry
from knowledge.contacts import Contact, ContactRole
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan, Plan
from scheduler.policy import ReminderPlanner, ReminderPolicy, stage_on

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
EPOCH = datetime(2018, 1, 1, tzinfo=UTC)


def contact(cid: int, agency: str | None, role: ContactRole = "officer", active: bool = True) -> Contact:
    return Contact(
        id=cid,
        channel="telegram",
        chat_id=str(1000 + cid),
        user_id=str(1000 + cid),
        display_name=f"c{cid}",
        agency=agency,
        role=role,
        active=active,
        registered_by="test",
        created_at=EPOCH,
        updated_at=EPOCH,
    )


CONTACTS = [
    contact(1, "Sở Tài chính"),
    contact(2, "Sở Tài chính", active=False),
    contact(3, "UBND huyện Tiên Lãng"),  # a member of the group "UBND các quận, huyện"
    contact(4, "Sở Kế hoạch và Đầu tư", role="coordinator"),
    contact(5, None),
]


def never_done(task: object, occurrence: date, agency: str | None) -> bool:
    return False


@pytest.fixture
def planner(seed_plan: ParsedPlan, registry: AgencyRegistry) -> ReminderPlanner:
    return ReminderPlanner(tasks=seed_plan.plan.tasks, contacts=CONTACTS, registry=registry, is_done=never_done)


def at(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2018, 11, 8), ("before", 7)),
        (date(2018, 11, 12), ("before", 3)),
        (date(2018, 11, 14), ("before", 1)),
        (date(2018, 11, 15), ("due", 0)),
        (date(2018, 11, 16), ("overdue", -1)),
        (date(2018, 11, 23), ("overdue", -8)),
        (date(2018, 11, 30), ("overdue", -15)),
        (date(2018, 11, 10), None),
        (date(2018, 11, 17), None),
    ],
)
def test_stages(day: date, expected: tuple[str, int] | None) -> None:
    stage = stage_on(day, date(2018, 11, 15), ReminderPolicy())
    assert (None if stage is None else (stage.kind, stage.offset_days)) == expected


def test_lead_contacts_are_reminded_three_days_before(planner: ReminderPlanner) -> None:
    reminders = planner.on(date(2018, 11, 12))
    finance = {(r.task, r.kind, r.offset_days) for r in reminders if r.contact_id == 1}
    assert finance == {("II.1", "before", 3), ("II.2", "before", 3), ("II.3", "before", 3)}
    assert not any(r.contact_id == 2 for r in reminders)  # inactive
    assert not any(r.contact_id == 5 for r in reminders)  # no agency


def test_group_members_hear_about_group_tasks(planner: ReminderPlanner) -> None:
    due_day = {r.task for r in planner.on(date(2018, 6, 30)) if r.contact_id == 3}
    assert due_day == {"XVI.5"}  # "Quý II/2018" for UBND các quận, huyện


def test_overdue_weekly_until_done(seed_plan: ParsedPlan, registry: AgencyRegistry) -> None:
    done: set[tuple[str, str, date]] = set()
    planner = ReminderPlanner(
        tasks=seed_plan.plan.tasks,
        contacts=CONTACTS,
        registry=registry,
        is_done=lambda task, o, agency: (task.plan_number, task.code, o) in done,
    )
    assert {r.task for r in planner.on(date(2018, 7, 8)) if r.contact_id == 3} == {"XVI.5"}  # D+8
    done.add(("435/KH-UBND", "XVI.5", date(2018, 6, 30)))
    assert not [r for r in planner.on(date(2018, 7, 15)) if r.task == "XVI.5"]


def test_monday_digest_for_coordinators_only(planner: ReminderPlanner) -> None:
    monday = date(2018, 11, 12)
    assert monday.weekday() == 0
    digests = [r for r in planner.on(monday) if r.kind == "digest"]
    assert [(r.contact_id, r.occurrence) for r in digests] == [(4, monday)]
    assert not [r for r in planner.on(date(2018, 11, 13)) if r.kind == "digest"]


def test_quiet_hours_and_send_time(planner: ReminderPlanner) -> None:
    assert planner.due(at(date(2018, 11, 12), 22)) == []
    assert planner.due(at(date(2018, 11, 12), 6, 59)) == []
    before_eight = {r.offset_days for r in planner.due(at(date(2018, 11, 12), 7, 30)) if r.task == "II.1"}
    assert before_eight == set()  # today's D-3 is not due before 08:00, and it supersedes the D-7 of 8/11
    assert {r.offset_days for r in planner.due(at(date(2018, 11, 10), 7, 30)) if r.task == "II.1"} == {7}
    at_eight = {r.offset_days for r in planner.due(at(date(2018, 11, 12), 8)) if r.task == "II.1"}
    assert at_eight == {3}


def test_catch_up_sends_only_the_latest_missed_stage(planner: ReminderPlanner) -> None:
    # Down from before D-3 until D-1 10:00: D-3 and D-1 were both missed; only D-1 is due.
    due = [r for r in planner.due(at(date(2018, 11, 14), 10)) if r.contact_id == 1 and r.task == "II.1"]
    assert [(r.kind, r.offset_days) for r in due] == [("before", 1)]


def test_keys_are_unique_and_stable(planner: ReminderPlanner) -> None:
    first = planner.due(at(date(2018, 11, 15), 9))
    second = planner.due(at(date(2018, 11, 15), 15))
    assert len({r.key for r in first}) == len(first)
    assert {r.key for r in first} == {r.key for r in second}


def test_a_district_done_report_stops_only_that_districts_reminders(
    seed_plan: ParsedPlan, registry: AgencyRegistry
) -> None:
    from scheduler.policy import done_lookup
    from scheduler.records import DoneReports

    done = DoneReports([("435/KH-UBND", "XVI.5", date(2018, 6, 30), "UBND huyện Tiên Lãng")])
    people = [*CONTACTS, contact(6, "UBND quận Ngô Quyền")]
    planner = ReminderPlanner(tasks=seed_plan.plan.tasks, contacts=people, registry=registry, is_done=done_lookup(done))
    told = {r.contact_id for r in planner.on(date(2018, 6, 27)) if r.task == "XVI.5"}
    assert told == {6}
    done.add("435/KH-UBND", "XVI.5", date(2018, 6, 30), "UBND các quận, huyện")  # the lead itself: nobody
    assert not [r for r in planner.on(date(2018, 6, 27)) if r.task == "XVI.5"]


def test_a_successors_contacts_hear_about_its_predecessors_tasks_once_the_change_took_effect(
    registry: AgencyRegistry,
) -> None:
    """Succession (#10): for every edge that carries tasks, a predecessor's task reaches the successor's contact."""
    edges = [e for e in registry.succession.edges if e.carries_tasks and e.effective is not None]
    assert edges
    for edge in edges:
        assert edge.effective is not None
        due = edge.effective + timedelta(days=40)
        plan = parsed_one_task_plan(edge.predecessors[0], due, registry)
        heir = contact(9, edge.successor)
        planner = ReminderPlanner(tasks=plan.tasks, contacts=[heir], registry=registry, is_done=never_done)
        after = planner.on(due - timedelta(days=3))
        assert [(r.contact_id, r.task) for r in after] == [(9, "I.1")], edge
        early = due - timedelta(days=41)  # before the change: the predecessor's task is not yet the successor's
        planner = ReminderPlanner(
            tasks=parsed_one_task_plan(edge.predecessors[0], early + timedelta(days=3), registry).tasks,
            contacts=[heir],
            registry=registry,
            is_done=never_done,
        )
        assert planner.on(early) == [], edge


def parsed_one_task_plan(lead: str, due: date, registry: AgencyRegistry) -> Plan:
    text = "\n".join(
        [
            "Số: 901/KH-UBND",
            f"Hải Phòng, ngày 01 tháng 01 năm {due.year}",
            "## KẾ HOẠCH",
            "Thí điểm số hóa hồ sơ",
            "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |",
            "|---|---|---|---|",
            "| I | **Số hóa** | | |",
            f"| 1 | Số hóa hồ sơ lưu trữ | {lead} | Trước ngày {due.day}/{due.month}/{due.year} |",
        ]
    )
    return parse_plan_source(text.encode(), name="901.md", registry=registry).plan
