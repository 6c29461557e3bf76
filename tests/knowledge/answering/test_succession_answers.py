"""Answers follow succession between agencies (issue #10): every edge of the bundled registry that carries tasks is
asked both ways — the successor about an older plan naming its predecessor, the predecessor about a newer plan
naming the successor — and the answer lists the task and says why. Splits carry no tasks; dates count."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from knowledge.agencies import AgencyRegistry
from knowledge.answers import Answer, AnswerEngine
from knowledge.base import KnowledgeBase
from knowledge.plan_parser import parse_plan_source
from knowledge.records import Plan
from knowledge.succession import Succession
from tests.knowledge.answering.test_many_plans import TZ, ask, ids

REGISTRY = AgencyRegistry.bundled()
EDGES = [e for e in REGISTRY.succession.edges if e.carries_tasks and e.effective is not None]
SPLITS = [e for e in REGISTRY.succession.edges if not e.carries_tasks]


def one_task_plan(number: int, lead: str, *, year: int, also: str = "") -> Plan:
    """A one-task plan issued on 10/03 of ``year`` for two years, its only task led by ``lead`` (and with ``also``,
    a second task that body leads)."""
    rows = [f"| 1 | Số hóa hồ sơ lưu trữ của ngành | {lead} | Quý IV năm {year + 1} |"]
    if also:
        rows.append(f"| 2 | Chuẩn hóa danh mục hồ sơ | {also} | Quý IV năm {year + 1} |")
    text = "\n".join(
        [
            f"Số: {number}/KH-UBND",
            f"Hải Phòng, ngày 10 tháng 3 năm {year}",
            "## KẾ HOẠCH",
            f"Thí điểm số hóa hồ sơ lưu trữ giai đoạn {year} - {year + 1}",
            "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |",
            "|---|---|---|---|",
            "| I | **Số hóa** | | |",
            *rows,
        ]
    )
    return parse_plan_source(text.encode(), name=f"{number}.md", registry=REGISTRY).plan


def engine_of(*plans: Plan) -> AnswerEngine:
    return AnswerEngine(KnowledgeBase(list(plans), REGISTRY))


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ)


def edge_id(edge: Succession) -> str:
    return f"{' + '.join(edge.predecessors)} → {edge.successor}"


@pytest.mark.parametrize("edge", EDGES, ids=edge_id)
def test_a_successor_answers_for_its_predecessors_tasks_in_an_older_plan(edge: Succession) -> None:
    assert edge.effective is not None
    before = edge.effective.year - 1  # issued the year before the change, running through it
    for number, predecessor in enumerate(edge.predecessors, start=900):
        plan = one_task_plan(number, predecessor, year=before)
        engine = engine_of(plan)
        answer = ask(engine, f"{edge.successor} có nhiệm vụ gì", now=at(date(2026, 11, 25)))
        assert ids(answer) == [f"{number}:I.1"], (predecessor, answer.text)
        assert edge.successor in answer.text and predecessor in answer.text
        assert f"từ {edge.effective:%d/%m/%Y}" in answer.text  # the line saying why, with the day of the change
        # asked before the change took effect, the successor holds nothing of the predecessor's
        earlier = ask(engine, f"{edge.successor} có nhiệm vụ gì", now=at(edge.effective - timedelta(days=1)))
        assert f"{number}:I.1" not in ids(earlier), earlier.text


@pytest.mark.parametrize("edge", EDGES, ids=edge_id)
def test_a_plan_that_ended_before_the_change_keeps_the_record_of_a_successor_it_names(edge: Succession) -> None:
    assert edge.effective is not None
    year = edge.effective.year - 3  # ended 31/12, two years before the change
    named = one_task_plan(930, edge.predecessors[0], year=year, also=edge.successor)
    answer = ask(engine_of(named), f"{edge.successor} có nhiệm vụ gì", now=at(date(2026, 11, 25)))
    assert ids(answer) == ["930:I.2"], answer.text  # its own record, as written; one line says why not I.1
    assert f"1 nhiệm vụ kế hoạch giao cho {edge.predecessors[0]} (I.1)" in answer.text
    # a plan that never names the successor: it answers for its predecessor's task, whenever it was founded
    unnamed = one_task_plan(931, edge.predecessors[0], year=year)
    answer = ask(engine_of(unnamed), f"{edge.successor} có nhiệm vụ gì", now=at(date(2026, 11, 25)))
    assert ids(answer) == ["931:I.1"], answer.text


@pytest.mark.parametrize("edge", EDGES, ids=edge_id)
def test_a_predecessor_named_for_a_newer_plan_gets_its_successors_tasks(edge: Succession) -> None:
    assert edge.effective is not None
    plan = one_task_plan(950, edge.successor, year=2026)
    engine = engine_of(plan)
    for predecessor in edge.predecessors:
        answer = ask(engine, f"{predecessor} có nhiệm vụ gì", now=at(date(2026, 11, 25)))
        assert ids(answer) == ["950:I.1"], (predecessor, answer.text)
        first = answer.text.splitlines()[0]
        assert first.startswith(predecessor) and edge.successor in first, first


@pytest.mark.parametrize("edge", SPLITS, ids=edge_id)
def test_a_split_passes_no_tasks(edge: Succession) -> None:
    plan = one_task_plan(960, edge.predecessors[0], year=2018)
    answer = ask(engine_of(plan), f"{edge.successor} có nhiệm vụ gì", now=at(date(2026, 11, 25)))
    assert "960:I.1" not in ids(answer)


def test_a_plan_issued_after_the_day_asked_is_not_in_scope() -> None:
    old, new = one_task_plan(970, "Sở Tài chính", year=2018), one_task_plan(971, "Sở Tài chính", year=2026)
    engine = engine_of(old, new)
    assert ids(ask(engine, "Sở Tài chính có nhiệm vụ gì", now=at(date(2019, 3, 5)))) == ["970:I.1"]
    assert ids(ask(engine, "Sở Tài chính có nhiệm vụ gì", now=at(date(2026, 11, 25)))) == ["971:I.1"]


def test_a_ward_of_today_holds_the_district_groups_tasks_in_a_2018_plan() -> None:
    plan = one_task_plan(980, "UBND các quận, huyện", year=2018)
    answer = ask(engine_of(plan), "UBND phường Lê Chân có nhiệm vụ gì", now=at(date(2026, 11, 25)))
    assert ids(answer) == ["980:I.1"]
    assert "UBND các xã, phường, đặc khu" in answer.text and "01/07/2025" in answer.text


def test_reports_and_yes_no_follow_succession() -> None:
    plan = one_task_plan(990, "Sở Kế hoạch và Đầu tư", year=2024)  # in force until the end of 2025… and asked in it
    kb = KnowledgeBase([plan], REGISTRY)
    task = plan.tasks[0]
    assert kb.reports_for("Sở Tài chính", task, today=date(2025, 6, 1))
    assert not kb.reports_for("Sở Tài chính", task, today=date(2025, 2, 1))  # before the merger
    assert not kb.reports_for("Sở Y tế", task, today=date(2025, 6, 1))
    answer: Answer = ask(
        engine_of(plan), "Sở Tài chính có phải chủ trì số hóa hồ sơ lưu trữ không", now=at(date(2025, 6, 1))
    )
    assert answer.text.startswith("Có"), answer.text
