"""Short names a plan defines in brackets become everyday words for the phrase they name."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.agencies import AgencyRegistry
from knowledge.answering.plan_terms import term_pairs
from knowledge.answers import AnswerEngine
from knowledge.base import KnowledgeBase
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan

LETTERED = Path(__file__).parents[1] / "data" / "plans" / "kh-2026-cchc-stt-columns.md"


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("- Chỉ số hài lòng người dân (SIPAS Index) của tỉnh", [("Chỉ số hài lòng người dân", "SIPAS Index")]),
        ("đẩy mạnh thương mại điện tử (TMĐT) cho HTX", [("thương mại điện tử", "TMĐT")]),  # initials spell it
        ("tài khoản định danh điện tử (VNeID) cho người dân", [("tài khoản định danh điện tử", "VNeID")]),
        ("Ban Thường vụ Thành ủy (Khóa VII)", []),  # a Roman numeral names no term
        ("HĐND TP (BC)", []),  # chat shorthand ("bc": báo cáo) names no term
        ("(bình quân 60 hợp tác xã/năm)", []),
        ("*(Đã ký)*", []),
    ],
)
def test_term_pairs(text: str, pairs: list[tuple[str, str]]) -> None:
    assert term_pairs(text) == pairs


@given(st.text(max_size=200))
def test_term_pairs_never_raise(text: str) -> None:
    for long, short in term_pairs(text):
        assert long and short and f"({short})" in text


def test_a_short_name_finds_the_tasks_of_its_long_phrase(seed_plan: ParsedPlan, registry: AgencyRegistry) -> None:
    parsed = parse_plan_source(LETTERED.read_bytes(), name=LETTERED.name, registry=registry)
    engine = AnswerEngine(KnowledgeBase.build([seed_plan.plan, parsed.plan], parsed.agencies, registry))
    answer = engine.answer("PAR Index năm trước", now=datetime(2026, 11, 25, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    assert "D.1" in [t.code for t in answer.tasks[:3]]  # "Xác định, công bố Chỉ số cải cách hành chính năm trước …"
