"""Typed queries for commands, and typed paging labels."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.answering.commands import PageRequest, read_page_request
from knowledge.answering.plan_resolution import TaskRef
from knowledge.answering.query import Query
from knowledge.answers import AnswerEngine


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xem thêm", PageRequest()),
        ("Tiếp", PageRequest()),
        ("cho xem tiếp ạ", PageRequest()),
        ("trang 2", PageRequest(page=2)),
        ("xem trang 3 nhé", PageRequest(page=3)),
        ("tiếp theo là việc gì", None),
        ("thêm nhiệm vụ cho sở tài chính", None),
        ("", None),
    ],
)
def test_paging_labels(text: str, expected: PageRequest | None) -> None:
    assert read_page_request(text) == expected


def test_agency_commands(seed_engine: AnswerEngine) -> None:
    commands = seed_engine.commands
    assert commands.agency_tasks("sở tài chính") == Query(shape="tasks", agencies=("Sở Tài chính",))
    assert commands.agency_tasks("sở tài").shape == "clarify"
    assert commands.agency_tasks("Trung tâm Hàng hải") == Query(shape="no_agency", name="Trung tâm Hàng hải")
    assert commands.my_tasks("STC") == Query(shape="tasks", mine=True, agencies=("Sở Tài chính",))
    assert commands.my_tasks(None) == Query(shape="tasks", mine=True)


def test_deadline_commands_read_agency_and_period(seed_engine: AnswerEngine) -> None:
    today = date(2018, 10, 1)
    soon = seed_engine.commands.deadlines("due", "Sở Xây dựng tháng 12", asker=None, today=today)
    assert soon.status == "due" and soon.agencies == ("Sở Xây dựng",)
    assert soon.window is not None and soon.window.start == date(2018, 12, 1)
    mine = seed_engine.commands.deadlines("overdue", "", asker="Cục Thuế", today=today)
    assert mine.agencies == ("Cục Thuế thành phố",) and mine.window is None


def test_detail_and_plan_commands(seed_engine: AnswerEngine) -> None:
    commands = seed_engine.commands
    assert commands.task_detail("xv.6") == Query(shape="detail", tasks=(TaskRef(code="XV.6"),))
    assert commands.task_detail("ZZ.1") is None
    assert commands.plan_info("").shape == "plan_facts"
    assert commands.plan_info("435").plans == ("435/KH-UBND",)
