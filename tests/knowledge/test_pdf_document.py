"""PDF plans with a text layer: the acceptance fixture reads exactly as its Markdown source; scans and damaged files
get clear messages. The fixture is made by tests/knowledge/data/plans/build_kh_2026_htx_pdf.py (reportlab)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from knowledge.agencies import AgencyRegistry
from knowledge.document import TableRow, TextLine
from knowledge.errors import PlanFormatError
from knowledge.pdf_document import read_pdf_document
from knowledge.plan_parser import parse_plan_source
from knowledge.records import Plan

PLANS = Path(__file__).parent / "data" / "plans"
PDF = PLANS / "kh-2026-htx-topic-table.pdf"
MARKDOWN = PLANS / "kh-2026-htx-topic-table.md"


def without_source(plan: Plan) -> Plan:
    return dataclasses.replace(plan, source_name="", source_hash="")


def empty_pages_pdf(pages: int = 1) -> bytes:
    """A valid PDF whose pages hold no text (what a scan looks like to a text reader), built by hand."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_the_pdf_reads_exactly_as_its_markdown_source(registry: AgencyRegistry) -> None:
    from_pdf = parse_plan_source(PDF.read_bytes(), name=PDF.name, registry=registry)
    from_markdown = parse_plan_source(MARKDOWN.read_bytes(), name=MARKDOWN.name, registry=registry)
    assert without_source(from_pdf.plan) == without_source(from_markdown.plan)  # tasks, leads, deadlines, facts
    assert from_pdf.issues == from_markdown.issues == ()


def test_a_table_over_several_pages_is_one_table_with_its_header_repeated() -> None:
    blocks = read_pdf_document(PDF.read_bytes(), source=PDF.name)
    rows = [b for b in blocks if isinstance(b, TableRow)]
    pages = {r.where.split(" table")[0] for r in rows}
    assert len(pages) >= 3 and {r.table for r in rows} == {1}  # one table, over several pages
    headers = [r for r in rows if r.cells[0] == "STT"]
    assert len(headers) == len(pages)  # repeated at the top of every page
    # the break falls right after a section row: its tasks start on the next page
    section = next(i for i, r in enumerate(rows) if r.cells[0] == "III")
    assert rows[section + 1].cells[0] == "STT" and rows[section + 2].cells[0] == "1"
    assert rows[section].where.split(" table")[0] != rows[section + 2].where.split(" table")[0]
    wrapped = next(r for r in rows if r.cells[0] == "1" and r.cells[2].startswith("Liên minh HTX"))
    assert "\n" not in " ".join(wrapped.cells)  # cells wrapped over lines read as one


def test_body_lines_are_joined_into_sentences() -> None:
    lines = [b.text for b in read_pdf_document(PDF.read_bytes(), source=PDF.name) if isinstance(b, TextLine)]
    assert any("về Sở Tài chính trước ngày 15 tháng 12 hằng năm" in line for line in lines)


def test_a_scan_without_text_is_refused_with_a_message_that_says_so(registry: AgencyRegistry) -> None:
    with pytest.raises(PlanFormatError) as caught:
        parse_plan_source(empty_pages_pdf(2), name="ke-hoach-scan.pdf", registry=registry)
    message = caught.value.user_message
    assert "ke-hoach-scan.pdf" in message and "ảnh quét" in message and "OCR" in message


@pytest.mark.parametrize("data", [b"%PDF-1.4\n1 0 obj << /Type", b"%PDF-1.7\n" + b"\x00" * 200])
def test_a_damaged_pdf_is_refused(registry: AgencyRegistry, data: bytes) -> None:
    with pytest.raises(PlanFormatError) as caught:
        parse_plan_source(data, name="hong.pdf", registry=registry)
    assert "hong.pdf" in caught.value.user_message
