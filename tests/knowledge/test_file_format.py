"""A plan file's kind is read from its content: each kind we cannot read gets its own reason."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.agencies import AgencyRegistry
from knowledge.errors import NotFoundError, PlanFormatError
from knowledge.file_format import detect_kind
from knowledge.importer import bundled_plan, import_plan_file
from knowledge.plan_parser import parse_plan_source

PLANS = Path(__file__).parent / "data" / "plans"


def zipped(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def test_kinds_from_magic_bytes() -> None:
    assert detect_kind((PLANS / "kh-2026-lang-nghe-merged.docx").read_bytes()) == "docx"
    assert detect_kind(bundled_plan()) == "text"
    assert detect_kind("\ufeff# Kế hoạch".encode()) == "text"
    assert detect_kind(b"") == detect_kind(b" \r\n\t") == detect_kind(b"\xef\xbb\xbf\n") == "empty"
    assert detect_kind(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") == "pdf"
    assert detect_kind(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 100) == "legacy_doc"
    assert detect_kind(zipped(["a.txt"])) == "archive"
    assert detect_kind(zipped(["word/document.xml"])) == "docx"
    assert detect_kind(b"PK\x03\x04a damaged zip") == "docx"  # the .docx reader reports it as damaged
    assert detect_kind(b"\x89PNG\r\n\x1a\n\x00\x00") == "binary"


@given(st.binary(max_size=2048))
def test_any_bytes_have_a_kind(data: bytes) -> None:
    assert detect_kind(data) in {"docx", "text", "empty", "pdf", "legacy_doc", "archive", "binary"}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "rỗng"),
        (b"%PDF-1.4\n1 0 obj", "PDF"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 64, "lưu lại dạng .docx"),
        (zipped(["xl/workbook.xml"]), "tệp nén"),
        (b"\x00\x01\x02binary", "không phải văn bản"),
    ],
)
def test_an_unreadable_kind_says_what_it_is_whatever_the_name(data: bytes, reason: str) -> None:
    registry = AgencyRegistry.bundled()
    with pytest.raises(PlanFormatError) as caught:
        parse_plan_source(data, name="ke-hoach.md", registry=registry)
    assert reason in caught.value.user_message and "ke-hoach.md" in caught.value.user_message


def test_a_text_plan_named_pdf_is_read_as_text() -> None:
    parsed = parse_plan_source(bundled_plan(), name="ke-hoach.pdf", registry=AgencyRegistry.bundled())
    assert parsed.plan.number == "435/KH-UBND" and len(parsed.plan.tasks) == 43


def test_a_missing_file_and_a_folder_are_not_format_problems(tmp_path: Path) -> None:
    registry = AgencyRegistry.bundled()
    for path, words in ((tmp_path / "khong-co.md", "Không tìm thấy tệp"), (tmp_path, "là một thư mục")):
        with pytest.raises(NotFoundError) as caught:
            import_plan_file(path, registry=registry, repository=None)  # type: ignore[arg-type] - never reached
        assert words in caught.value.user_message
