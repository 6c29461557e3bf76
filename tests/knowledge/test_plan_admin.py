"""Archive, restore and remove plans on real databases (SQLite files and, with TEST_DATABASE_URL, PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from knowledge.agencies import AgencyRegistry
from knowledge.errors import NotFoundError
from knowledge.importer import ensure_seeded
from knowledge.plan_admin import (
    archive_plan,
    find_plan_number,
    match_plan_numbers,
    remove_plan,
    restore_plan,
)
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan, ReportingDuty
from knowledge.storage.contacts import ContactRepository
from knowledge.storage.database import Database
from knowledge.storage.models import DeadlineRow, DutyRow, ObjectiveRow, PlanRow, TaskAgencyRow, TaskRow
from knowledge.storage.repository import KnowledgeRepository
from scheduler.report_storage import ReportRepository

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.combine(date(2026, 12, 10), time(9, 0), tzinfo=TZ)

SECOND_PLAN = """Số: 12/KH-UBND

Hải Phòng, ngày 10 tháng 3 năm 2026

## KẾ HOẠCH

Triển khai chuyển đổi số trong khu vực kinh tế tập thể giai đoạn 2026 - 2027

| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Xây dựng quy chế chia sẻ dữ liệu | Sở Tài chính | Sở Nội vụ | Quý IV năm 2026 |
| 2 | Tập huấn chuyển đổi số cho hợp tác xã | Sở Nông nghiệp và Môi trường | | Năm 2027 |
"""


@pytest.fixture
def repository(db: Database, registry: AgencyRegistry, seed_plan: ParsedPlan) -> KnowledgeRepository:
    repo = KnowledgeRepository(db)
    repo.sync_agencies(registry)
    repo.save_plan(seed_plan)
    repo.save_plan(parse_plan_source(SECOND_PLAN.encode(), name="kh-12.md", registry=registry))
    return repo


def counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            row.__tablename__: int(session.scalar(select(func.count()).select_from(row)) or 0)
            for row in (PlanRow, TaskRow, DeadlineRow, TaskAgencyRow, ObjectiveRow, DutyRow)
        }


def by_number(repository: KnowledgeRepository) -> dict[str, bool]:
    return {p.number: p.archived for p in repository.load_plans()}


# -- archive and restore -------------------------------------------------------------------------------------------


def test_archive_and_restore_round_trip(repository: KnowledgeRepository) -> None:
    assert by_number(repository) == {"435/KH-UBND": False, "12/KH-UBND": False}
    result = archive_plan(repository, "435", actor="test", now=NOW)
    assert result.changed and result.number == "435/KH-UBND" and result.tasks == 43
    assert result.message.startswith("Đã lưu trữ Kế hoạch 435/KH-UBND (2018–2020) — kinh tế tập thể.")
    assert by_number(repository) == {"435/KH-UBND": True, "12/KH-UBND": False}
    [archived] = [p for p in repository.load_plans() if p.archived]
    assert len(archived.tasks) == 43 and archived.objectives  # nothing else changes

    again = archive_plan(repository, "435/kh-ubnd", actor="test", now=NOW)
    assert not again.changed and "đã được lưu trữ từ trước" in again.message

    restored = restore_plan(repository, "KH 435", actor="test", now=NOW)
    assert restored.changed and restored.message.endswith("kế hoạch đã kết thúc.")
    assert by_number(repository) == {"435/KH-UBND": False, "12/KH-UBND": False}
    in_force = restore_plan(repository, "12", actor="test", now=NOW)
    assert not in_force.changed and "không ở trạng thái lưu trữ" in in_force.message


def test_changes_are_audited_in_the_same_transaction(db: Database, repository: KnowledgeRepository) -> None:
    archive_plan(repository, "435", actor="cli", now=NOW)
    archive_plan(repository, "435", actor="cli", now=NOW)
    restore_plan(repository, "435", actor="telegram:42", now=NOW)
    remove_plan(repository, "12", actor="cli", now=NOW)
    log = ContactRepository(db).audit_log()
    assert [(e.action, e.actor, e.detail) for e in reversed(log)] == [
        ("plan.archive", "cli", "435/KH-UBND"),
        ("plan.archive", "cli", "435/KH-UBND (unchanged)"),
        ("plan.restore", "telegram:42", "435/KH-UBND"),
        ("plan.remove", "cli", "12/KH-UBND"),
    ]


def test_every_change_moves_the_fingerprint_other_processes_watch(repository: KnowledgeRepository) -> None:
    seen = {repository.fingerprint()}
    archive_plan(repository, "12", actor="test", now=NOW)
    seen.add(repository.fingerprint())
    restore_plan(repository, "12", actor="test", now=NOW)
    seen.add(repository.fingerprint())
    remove_plan(repository, "12", actor="test", now=NOW)
    seen.add(repository.fingerprint())
    assert len(seen) == 4


def test_reimport_keeps_the_archived_flag(
    repository: KnowledgeRepository, seed_plan: ParsedPlan, registry: AgencyRegistry
) -> None:
    archive_plan(repository, "435", actor="test", now=NOW)
    result = repository.save_plan(seed_plan)
    assert not result.created
    assert by_number(repository)["435/KH-UBND"] is True


# -- remove --------------------------------------------------------------------------------------------------------


def test_remove_deletes_the_plan_and_only_its_rows(db: Database, repository: KnowledgeRepository) -> None:
    before = counts(db)
    twelve = next(p for p in repository.load_plans() if p.number == "12/KH-UBND")
    agencies = repository.load_agencies()
    contacts = ContactRepository(db)
    contacts.upsert_contact(
        channel="telegram", chat_id="7", agency="Sở Tài chính", role="officer", registered_by="t", now=NOW
    )
    reports = ReportRepository(db)
    reports.add(
        plan="435/KH-UBND",
        task="II.1",
        agency="Sở Tài chính",
        occurrence=date(2018, 11, 15),
        status="done",
        reported_on=date(2018, 11, 10),
        reported_by="t",
        now=NOW,
    )

    result = remove_plan(repository, "435", actor="test", now=NOW)

    assert result.changed and result.tasks == 43 and result.number == "435/KH-UBND"
    assert "cùng 43 nhiệm vụ" in result.message and "Báo cáo tiến độ đã nhận vẫn được lưu" in result.message
    after = counts(db)
    assert after["plans"] == before["plans"] - 1
    assert after["tasks"] == len(twelve.tasks)
    assert after["objectives"] == len(twelve.objectives) and after["duties"] == len(twelve.duties)
    assert after["deadlines"] == sum(len(t.schedule.deadlines) for t in twelve.tasks)
    assert [p.number for p in repository.load_plans()] == ["12/KH-UBND"]
    assert repository.load_plans()[0] == twelve  # the other plan is untouched
    assert repository.load_agencies() == agencies  # agencies stay: contacts and other plans name them
    assert [c.chat_id for c in contacts.list_contacts()] == ["7"]
    assert [(r.plan, r.task) for r in reports.list_reports()] == [("435/KH-UBND", "II.1")]  # kept as history


def test_remove_of_an_unknown_number_changes_nothing(db: Database, repository: KnowledgeRepository) -> None:
    before = counts(db)
    with pytest.raises(NotFoundError) as missing:
        remove_plan(repository, "999", actor="test", now=NOW)
    assert missing.value.user_message == ("Không có kế hoạch số “999”. Các kế hoạch hiện có: 435/KH-UBND, 12/KH-UBND.")
    with pytest.raises(NotFoundError):
        repository.remove_plan("435", actor="test", now=NOW)  # the repository takes exact numbers only
    assert counts(db) == before


def test_removing_every_plan_is_not_undone_by_the_next_start(
    repository: KnowledgeRepository, registry: AgencyRegistry
) -> None:
    remove_plan(repository, "435", actor="test", now=NOW)
    remove_plan(repository, "12", actor="test", now=NOW)
    assert repository.plan_count() == 0
    assert ensure_seeded(registry=registry, repository=repository) is None  # the admin emptied it on purpose
    assert repository.plan_count() == 0


# -- reporting duties are stored -----------------------------------------------------------------------------------


def test_reporting_duties_round_trip(repository: KnowledgeRepository, seed_plan: ParsedPlan) -> None:
    duties = (
        ReportingDuty(
            reporters=("Sở Tài chính", "UBND các quận, huyện"),
            reporters_text="Các Sở, ngành, UBND các quận, huyện",
            receiver="Sở Tài chính",
            frequency="half-yearly",
            day=15,
            month=6,
            label="II.3",
            text="định kỳ 6 tháng báo cáo trước ngày 15/6 và 15/12",
        ),
        ReportingDuty(receiver="Ủy ban nhân dân thành phố", frequency="unknown"),
    )
    plan = replace(seed_plan.plan, reporting_duties=duties)
    repository.save_plan(replace(seed_plan, plan=plan))
    stored = next(p for p in repository.load_plans() if p.number == plan.number)
    assert stored.reporting_duties == duties


# -- numbers typed the forgiving way -------------------------------------------------------------------------------

NUMBERS = ["435/KH-UBND", "4350/KH-UBND", "12/KH-UBND", "12/QĐ-UBND", "120/KH-SKHĐT"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("435", ["435/KH-UBND"]),
        ("435/kh-ubnd", ["435/KH-UBND"]),
        (" 435 / KH - UBND ", ["435/KH-UBND"]),
        ("KH 435", ["435/KH-UBND"]),
        ("kế hoạch số 435", ["435/KH-UBND"]),
        ("kh435", ["435/KH-UBND"]),
        ("4350", ["4350/KH-UBND"]),
        ("12", ["12/KH-UBND", "12/QĐ-UBND"]),
        ("12/QD", ["12/QĐ-UBND"]),
        ("120/KH-SKHDT", ["120/KH-SKHĐT"]),
        ("43", []),
        ("", []),
        ("kế hoạch", []),
    ],
)
def test_match_plan_numbers(query: str, expected: list[str]) -> None:
    assert match_plan_numbers(query, NUMBERS) == expected


def test_unknown_number_lists_a_few_known_ones() -> None:
    many = [f"{n}/KH-UBND" for n in range(100, 130)]
    with pytest.raises(NotFoundError) as missing:
        find_plan_number("7", many)
    assert missing.value.user_message == (
        "Không có kế hoạch số “7”. Các kế hoạch hiện có: " + ", ".join(many[:10]) + " và 20 kế hoạch khác."
    )


def test_ambiguous_number_asks_for_the_full_number() -> None:
    with pytest.raises(NotFoundError) as ambiguous:
        find_plan_number("12", NUMBERS)
    assert "ứng với nhiều kế hoạch: 12/KH-UBND, 12/QĐ-UBND" in ambiguous.value.user_message


@given(st.text(max_size=40))
def test_matching_never_crashes_and_only_returns_known_numbers(query: str) -> None:
    assert set(match_plan_numbers(query, NUMBERS)) <= set(NUMBERS)


@given(st.sampled_from(NUMBERS), st.sampled_from([str.lower, str.upper, lambda s: s.replace("/", " / ")]))
def test_every_number_finds_itself_however_typed(number: str, spelling: object) -> None:
    assert match_plan_numbers(spelling(number), NUMBERS) == [number]  # type: ignore[operator]
