"""Tests of knowledge.plan_status: a plan's end, status, short title and label."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.plan_status import (
    SHORT_TITLE_LENGTH,
    STATUS_LABELS,
    plan_end,
    plan_label,
    plan_line,
    plan_status,
    short_title,
)
from knowledge.records import Deadline, ParsedPlan, Plan, Schedule, Task, YearRange


def task(code: str, *dues: date) -> Task:
    deadlines = tuple(
        Deadline(due=d, rule="fixed-date", reason="r", final=i == len(dues) - 1) for i, d in enumerate(dues)
    )
    return Task(
        plan_number="1/KH-UBND",
        code=code,
        position=1,
        section_code="",
        section_title="",
        content="c",
        lead=("Sở Tài chính",),
        schedule=Schedule(phrase="p", recurrence="once" if dues else "unknown", deadlines=deadlines),
    )


def plan(title: str = "Kế hoạch thử", **kwargs: object) -> Plan:
    return Plan(number="1/KH-UBND", title=title, **kwargs)  # type: ignore[arg-type]


# -- end and status ----------------------------------------------------------------------------------------------


def test_end_is_the_last_day_of_the_period() -> None:
    assert plan_end(plan(period=YearRange(start=2018, end=2020))) == date(2020, 12, 31)


def test_end_without_a_period_is_the_last_task_deadline() -> None:
    tasks = (task("1", date(2026, 3, 31)), task("2", date(2026, 6, 30), date(2027, 1, 15)), task("3"))
    assert plan_end(plan(tasks=tasks)) == date(2027, 1, 15)


def test_period_wins_over_task_deadlines() -> None:
    """A period is what the plan says it covers; a late checkpoint does not extend it."""
    found = plan(period=YearRange(start=2026, end=2026), tasks=(task("1", date(2027, 3, 1)),))
    assert plan_end(found) == date(2026, 12, 31)


def test_end_is_unknown_when_nothing_says() -> None:
    assert plan_end(plan()) is None
    assert plan_end(plan(tasks=(task("1"),))) is None


def test_status_in_force_until_the_end_day_inclusive() -> None:
    found = plan(period=YearRange(start=2025, end=2026))
    assert plan_status(found, date(2026, 12, 31)) == "in_force"
    assert plan_status(found, date(2027, 1, 1)) == "ended"
    assert plan_status(found, date(2024, 1, 1)) == "in_force"  # not begun yet is still a plan in force


def test_archived_flag_comes_first() -> None:
    assert plan_status(plan(period=YearRange(start=2026, end=2030), archived=True), date(2026, 12, 1)) == "archived"
    assert plan_status(plan(period=YearRange(start=2018, end=2020), archived=True), date(2026, 12, 1)) == "archived"


def test_status_without_an_end_is_in_force() -> None:
    assert plan_status(plan(), date(2026, 12, 1)) == "in_force"


def test_seed_plan_ended_in_2020(seed_plan: ParsedPlan) -> None:
    assert plan_end(seed_plan.plan) == date(2020, 12, 31)
    assert plan_status(seed_plan.plan, date(2026, 12, 15)) == "ended"
    assert plan_status(seed_plan.plan, date(2019, 5, 1)) == "in_force"


def test_status_labels_are_vietnamese() -> None:
    assert STATUS_LABELS == {"in_force": "đang thực hiện", "ended": "đã kết thúc", "archived": "đã lưu trữ"}


@given(
    start=st.integers(min_value=1990, max_value=2100),
    length=st.integers(min_value=0, max_value=10),
    offset=st.integers(min_value=-5000, max_value=5000),
    archived=st.booleans(),
)
def test_status_is_consistent_with_end(start: int, length: int, offset: int, archived: bool) -> None:
    found = plan(period=YearRange(start=start, end=start + length), archived=archived)
    end = plan_end(found)
    assert end is not None
    today = end + timedelta(days=offset)
    status = plan_status(found, today)
    if archived:
        assert status == "archived"
    else:
        assert status == ("ended" if offset > 0 else "in_force")


# -- short title and label ---------------------------------------------------------------------------------------


def test_seed_label(seed_plan: ParsedPlan) -> None:
    assert plan_label(seed_plan.plan) == "Kế hoạch 435/KH-UBND (2018–2020) — kinh tế tập thể"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Kế hoạch triển khai thực hiện chuyển đổi số trên địa bàn thành phố Hải Phòng năm 2026", "chuyển đổi số"),
        ("KẾ HOẠCH PHÁT TRIỂN DU LỊCH CỘNG ĐỒNG GIAI ĐOẠN 2026-2027", "du lịch cộng đồng"),
        ("Hỗ trợ doanh nghiệp nhỏ và vừa tại thành phố Hải Phòng", "hỗ trợ doanh nghiệp nhỏ và vừa"),
        ("Tăng cường công tác phòng cháy, chữa cháy năm 2026", "công tác phòng cháy, chữa cháy"),
        ("Phát triển HTX năm 2026", "HTX"),
        ("Triển khai Đề án 06 trên địa bàn tỉnh", "Đề án 06"),
        (
            "Thực hiện Chỉ thị số 12-CT/TU ngày 1/2/2026 của Thành ủy về công tác cải cách hành chính",
            "công tác cải cách hành chính",
        ),
        ("Kế hoạch", ""),
        ("", ""),
    ],
)
def test_short_title(title: str, expected: str) -> None:
    assert short_title(plan(title)) == expected


def test_long_title_is_cut_at_a_word() -> None:
    title = (
        "Triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa"
        " học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"
    )
    found = short_title(plan(title))
    assert found == "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo…"
    assert len(found) <= SHORT_TITLE_LENGTH


def test_label_without_period_or_title() -> None:
    assert plan_label(Plan(number="7/KH-UBND", title="")) == "Kế hoạch 7/KH-UBND"
    assert plan_label(plan("Kế hoạch", period=YearRange(start=2026, end=2026))) == "Kế hoạch 1/KH-UBND (2026)"


@given(st.text(max_size=300))
def test_short_title_never_crashes_and_stays_short(title: str) -> None:
    found = short_title(plan(title))
    assert len(found) <= SHORT_TITLE_LENGTH
    assert found == unicodedata.normalize("NFC", found)
    assert not found.startswith(" ") and not found.endswith(" ")


@given(
    st.lists(st.sampled_from("kế hoạch phát triển du lịch năm 2026 tại Hải Phòng về số 12 , -".split()), max_size=40)
)
def test_short_title_of_words_keeps_words_whole(words: list[str]) -> None:
    title = " ".join(words)
    found = short_title(plan(title)).rstrip("…")
    for word in found.split():
        assert word.lower() in title.lower()


def test_plan_line(seed_plan: ParsedPlan) -> None:
    assert plan_line(seed_plan.plan, date(2026, 12, 15)) == (
        "Kế hoạch 435/KH-UBND (2018–2020) — kinh tế tập thể: đã kết thúc, 43 nhiệm vụ"
    )
