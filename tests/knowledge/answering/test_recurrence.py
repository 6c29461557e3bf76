"""Tasks asked by how often they recur ("việc nào làm thường xuyên", "… hằng quý", "… định kỳ 6 tháng"), alone or
with an agency, and never when the question leaves them out ("không tính nhiệm vụ hằng năm")."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from knowledge.agencies import AgencyRegistry
from knowledge.answers import AnswerEngine
from knowledge.base import KnowledgeBase
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan

LETTERED = Path(__file__).parents[1] / "data" / "plans" / "kh-2026-cchc-stt-columns.md"
NOW = datetime(2026, 11, 25, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(scope="module")
def engine(seed_plan: ParsedPlan, registry: AgencyRegistry) -> AnswerEngine:
    parsed = parse_plan_source(LETTERED.read_bytes(), name=LETTERED.name, registry=registry)
    return AnswerEngine(KnowledgeBase.build([seed_plan.plan, parsed.plan], parsed.agencies, registry))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("những việc nào làm thường xuyên", ["A.3", "B.4", "C.8", "D.5"]),
        ("nhiem vu nao phai lam hang quy", ["A.7", "C.6"]),
        ("có mấy việc định kỳ 6 tháng một lần", ["A.2", "D.7"]),
        ("Sở Nội vụ có việc gì làm thường xuyên", ["B.4"]),
    ],
)
def test_tasks_by_recurrence(engine: AnswerEngine, text: str, expected: list[str]) -> None:
    answer = engine.answer(text, now=NOW)
    assert sorted(t.code for t in answer.tasks) == expected
    assert answer.query.recurrence is not None and "Chỉ tính các nhiệm vụ" in answer.text


def test_a_recurrence_left_out_filters_nothing(engine: AnswerEngine) -> None:
    answer = engine.answer("kế hoạch 87 có những việc nào, không tính nhiệm vụ thường xuyên", now=NOW)
    assert answer.query.recurrence is None
