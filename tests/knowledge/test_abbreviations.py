"""A body a plan writes out once and abbreviates elsewhere is one body (knowledge.abbreviations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.abbreviations import abbreviates, merge_spellings
from knowledge.agencies import AgencyRegistry
from knowledge.plan_parser import parse_plan_source


@pytest.mark.parametrize(
    ("short", "full", "same"),
    [
        ("BHXH thành phố", "Bảo hiểm xã hội thành phố", True),
        ("UBND xã An Lư", "Ủy ban nhân dân xã An Lư", True),
        ("BHXH", "Bảo hiểm xã hội thành phố", False),  # words of the full name left over
        ("BHXH tỉnh", "Bảo hiểm xã hội thành phố", False),  # another word
        ("Trung tâm PVHCC", "Trung tâm Phục vụ hành chính công", True),
        ("Trung tâm Phục vụ hành chính công", "Trung tâm Phục vụ hành chính công", False),  # nothing abbreviated
    ],
)
def test_abbreviates(short: str, full: str, same: bool) -> None:
    assert abbreviates(short, full) is same


def test_merge_spellings_keeps_the_full_name() -> None:
    names = ["BHXH thành phố", "Bảo hiểm xã hội thành phố", "Trung tâm Hàng hải"]
    assert merge_spellings(names) == {"BHXH thành phố": "Bảo hiểm xã hội thành phố"}


def test_a_plan_abbreviating_an_unknown_body_gets_one_body(registry: AgencyRegistry) -> None:
    source = Path(__file__).parent / "data" / "plans" / "kh-2026-de-an-06-decimal.docx"
    parsed = parse_plan_source(source.read_bytes(), name=source.name, registry=registry)
    names = {n for t in parsed.plan.tasks for n in (*t.lead, *t.coordinators)}
    assert "Bảo hiểm xã hội thành phố" in names and "BHXH thành phố" not in names
    [body] = [a for a in parsed.agencies if a.name == "Bảo hiểm xã hội thành phố"]
    assert "BHXH thành phố" in body.aliases
    assert any(i.code == "abbreviation" for i in parsed.issues)
