"""Read plan documents into a flat list of blocks: text lines and table rows, in document order.

Three sources give the same blocks, so one plan parser serves them all:

- the text the seed plan arrives in (Markdown headings, ``<b>`` marks, tab-separated table rows);
- Markdown pipe tables (``| STT | Nội dung | ... |``);
- ``.docx`` files (paragraphs and tables, via python-docx).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from knowledge.errors import PlanFormatError
from knowledge.text import nfc

__all__ = ["Block", "TableRow", "TextLine", "read_docx_document", "read_text_document"]


@dataclass(frozen=True, kw_only=True, slots=True)
class TextLine:
    """A paragraph or heading line, markup removed."""

    where: str  # "line 12" or "paragraph 7"
    text: str
    bold: bool = False
    heading: int = 0  # Markdown/Word heading level, 0 for body text


@dataclass(frozen=True, kw_only=True, slots=True)
class TableRow:
    """One row of a table, cells stripped of markup."""

    where: str  # "line 120" or "table 1 row 7"
    table: int  # tables are numbered from 1 in document order
    cells: tuple[str, ...]
    bold: bool = False


Block = TextLine | TableRow

_BOLD_HTML = re.compile(r"</?\s*(?:b|strong)\s*>", re.IGNORECASE)
_OTHER_HTML = re.compile(r"</?\s*(?:i|em|u|span|br)\b[^>]*>", re.IGNORECASE)
_BOLD_MD = re.compile(r"\*\*|__")
_ITALIC_MD = re.compile(r"(?<![\w*])\*(?!\s)|(?<!\s)\*(?![\w*])")
_HEADING = re.compile(r"^(#{1,6})\s+")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _clean(text: str) -> tuple[str, bool]:
    bold = bool(_BOLD_HTML.search(text) or _BOLD_MD.search(text))
    text = _BOLD_HTML.sub("", text)
    text = _OTHER_HTML.sub(" ", text)
    text = _BOLD_MD.sub("", text)
    text = _ITALIC_MD.sub("", text)
    text = text.replace("\\|", "|")
    return nfc(text).rstrip("\\").strip(), bold


def _split_pipe_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return re.split(r"(?<!\\)\|", body)


def read_text_document(text: str) -> list[Block]:
    """Blocks of a plain-text or Markdown plan. Blank lines are dropped; they do not end a table."""
    blocks: list[Block] = []
    table = 0
    in_table = False
    for number, raw in enumerate(text.splitlines(), start=1):
        where = f"line {number}"
        if not raw.strip():
            continue
        stripped = raw.strip()
        cells: list[str] | None = None
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _MD_SEPARATOR.match(stripped):
                continue
            cells = _split_pipe_row(stripped)
        elif "\t" in raw:
            cells = raw.rstrip("\r\n").split("\t")
        if cells is not None:
            if not in_table:
                table += 1
                in_table = True
            cleaned = [_clean(c) for c in cells]
            bold = any(b for _, b in cleaned) and all(b or not c for c, b in cleaned)
            blocks.append(TableRow(where=where, table=table, cells=tuple(c for c, _ in cleaned), bold=bold))
            continue
        in_table = False
        heading = 0
        m = _HEADING.match(stripped)
        if m:
            heading = len(m.group(1))
            stripped = stripped[m.end() :]
        content, bold = _clean(stripped)
        if content:
            blocks.append(TextLine(where=where, text=content, bold=bold, heading=heading))
    return blocks


def read_docx_document(data: bytes, *, source: str = "") -> list[Block]:
    """Blocks of a Word document: paragraphs and table rows in body order."""
    try:
        import docx
        from docx.document import Document as DocxDocument
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise PlanFormatError(
            "python-docx is not installed", source=source, user_message="Máy chủ thiếu thư viện đọc tệp Word (.docx)."
        ) from exc
    try:
        document: DocxDocument = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for corrupt files
        raise PlanFormatError(
            f"not a readable .docx file: {exc}",
            source=source,
            expected="a Word document",
            user_message=f"Tệp {source} là tệp Word nhưng bị hỏng hoặc không đọc được; hãy lưu lại rồi gửi lại.",
        ) from exc

    blocks: list[Block] = []
    table_no = 0
    paragraph_no = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            paragraph_no += 1
            text, bold = _paragraph_text(item)
            if text:
                blocks.append(
                    TextLine(where=f"paragraph {paragraph_no}", text=text, bold=bold, heading=_heading_level(item))
                )
        elif isinstance(item, Table):
            table_no += 1
            for row_no, row in enumerate(item.rows, start=1):
                seen: set[int] = set()
                cells: list[str] = []
                bolds: list[bool] = []
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a horizontally merged cell repeats
                        continue
                    seen.add(id(cell._tc))
                    parts = [_paragraph_text(p) for p in cell.paragraphs]
                    cells.append(nfc(" ".join(t for t, _ in parts if t)))
                    bolds.append(all(b for t, b in parts if t) and any(t for t, _ in parts))
                bold = any(bolds) and all(b or not c for c, b in zip(cells, bolds, strict=True))
                blocks.append(
                    TableRow(where=f"table {table_no} row {row_no}", table=table_no, cells=tuple(cells), bold=bold)
                )
    return blocks


def _paragraph_text(paragraph: Any) -> tuple[str, bool]:
    runs = [r for r in paragraph.runs if r.text.strip()]
    text, marked = _clean(paragraph.text)
    bold = marked or (bool(runs) and all(bool(r.bold) for r in runs))
    return text, bold


def _heading_level(paragraph: Any) -> int:
    name = str(getattr(paragraph.style, "name", "") or "")
    m = re.match(r"(?:Heading|Title)\s*(\d*)", name)
    if not m:
        return 0
    return int(m.group(1)) if m.group(1) else 1
