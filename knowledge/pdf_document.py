"""Read a PDF with a text layer (the way provinces publish signed plans) into the blocks the plan parser reads.

pdfplumber finds ruled tables and the text outside them, page by page, in reading order (top to bottom):

- text lines become :class:`TextLine` (bold when every character's font is bold);
- table rows become :class:`TableRow`; a cell wrapped over several lines is one cell (lines joined by a space);
- a table that continues on the next page (it is the first thing on that page and has as many columns) keeps its
  table number, so a repeated header is recognised as one and a section row at the foot of a page still heads the
  tasks on the next; a row split by the page break is continued by the parser like any row without STT.

A PDF without any text (a scan) is refused with a message that says so: OCR is not done here.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from knowledge.document import Block, TableRow, TextLine
from knowledge.errors import PlanFormatError
from knowledge.text import nfc

__all__ = ["read_pdf_document"]

log = logging.getLogger(__name__)

_MAX_PAGES = 300  # a plan with its appendix is tens of pages; beyond this the file is not a plan
_SPACE = 4.0  # points: about a space at body sizes
_NEW_ITEM = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-–•+*])\s")


@dataclass(frozen=True, slots=True)
class _Item:
    top: float
    block: TextLine | None  # a text line, or None for a table (``table`` is set)
    table: Any = None
    last_x1: float = 0.0  # a paragraph: where its last line ends
    lead_width: float = 0.0  # a paragraph: the width of its first word
    new_item: bool = False  # a paragraph that starts a new item ("II.", "2.", "-")


def read_pdf_document(data: bytes, *, source: str = "") -> list[Block]:
    """Blocks of a PDF: text lines and table rows in reading order. Raises :class:`PlanFormatError` for a PDF that
    cannot be opened, has no text layer, or is too long to be a plan."""
    try:
        import pdfplumber
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as exc:  # pragma: no cover - pdfplumber is a dependency
        raise PlanFormatError(
            "pdfplumber is not installed", source=source, user_message="Máy chủ thiếu thư viện đọc tệp PDF."
        ) from exc
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise PlanFormatError(
            f"not a readable PDF: {exc}",
            source=source,
            user_message=f"Tệp {source} là PDF nhưng bị hỏng hoặc có mật khẩu: không đọc được.",
        ) from exc
    except Exception as exc:  # pdfminer raises its own unrelated types for damaged or encrypted files
        raise PlanFormatError(
            f"not a readable PDF: {type(exc).__name__}: {exc}",
            source=source,
            user_message=f"Tệp {source} là PDF nhưng bị hỏng hoặc có mật khẩu: không đọc được.",
        ) from exc
    with pdf:
        if len(pdf.pages) > _MAX_PAGES:
            raise PlanFormatError(
                f"{len(pdf.pages)} pages",
                source=source,
                user_message=(
                    f"Tệp {source} có {len(pdf.pages)} trang, quá dài để là một kế hoạch (tối đa {_MAX_PAGES})."
                ),
            )
        blocks = _blocks(pdf.pages)
    if not blocks:
        raise PlanFormatError(
            "no text layer (a scanned PDF)",
            source=source,
            user_message=(
                f"Tệp {source} là PDF dạng ảnh quét, không có lớp chữ; hiện chưa nhận dạng chữ (OCR) được. "
                "Hãy gửi bản Word (.docx) hoặc bản PDF xuất trực tiếp từ văn bản."
            ),
        )
    return blocks


def _blocks(pages: Sequence[Any]) -> list[Block]:
    blocks: list[Block] = []
    table_no = 0
    last_width = 0  # columns of the last table, when it ran to the end of its page
    found: list[tuple[Any, list[Any], list[dict[str, Any]]]] = []
    rights: dict[int, float] = {}  # page width → the text's right margin, over every page of that width
    for page in pages:
        tables = page.find_tables()
        boxes = [t.bbox for t in tables]
        outside = page.filter(lambda obj, boxes=boxes: not _inside(obj, boxes)) if boxes else page
        lines = outside.extract_text_lines(return_chars=True)
        found.append((page, tables, lines))
        width = round(float(page.width))
        rights[width] = max([rights.get(width, 0.0), *(float(line["x1"]) for line in lines)])
    carried: _Item | None = None  # the last paragraph, while nothing else followed it
    for page_no, (page, tables, lines) in enumerate(found, start=1):
        items = [_Item(top=float(t.bbox[1]), block=None, table=t) for t in tables]
        items += _paragraphs(lines, page_no, right=rights[round(float(page.width))])
        items.sort(key=lambda item: item.top)
        right = rights[round(float(page.width))]
        for index, item in enumerate(items):
            if item.block is not None:
                previous = blocks[-1] if blocks else None
                if (
                    index == 0
                    and isinstance(previous, TextLine)
                    and carried is not None
                    and previous.bold == item.block.bold
                    and not item.new_item
                    and carried.last_x1 + item.lead_width + _SPACE >= right - 1.0
                ):  # a paragraph that runs over the page break
                    blocks[-1] = TextLine(
                        where=previous.where, text=f"{previous.text} {item.block.text}", bold=previous.bold
                    )
                else:
                    blocks.append(item.block)
                carried = item
                last_width = 0
                continue
            carried = None
            rows = item.table.extract()
            width = max((len(r) for r in rows), default=0)
            if not (index == 0 and last_width and width == last_width):
                table_no += 1  # a new table, unless it continues the last one at the top of a new page
            for row_no, (cells, bolds) in enumerate(zip(rows, _row_bold(page, item.table), strict=False), start=1):
                texts = tuple(nfc(" ".join(str(c or "").split())) for c in cells)
                where = f"page {page_no} table {table_no} row {row_no}"
                bold = any(bolds) and all(b or not t for t, b in zip(texts, bolds, strict=False))
                blocks.append(TableRow(where=where, table=table_no, cells=texts, bold=bold))
            last_width = width if index == len(items) - 1 else 0
    return blocks


def _paragraphs(lines: list[dict[str, Any]], page_no: int, *, right: float) -> list[_Item]:
    """Text lines joined into paragraphs: a line continues onto the next when the next line's first word would not
    have fitted at its end (the text wrapped there), unless the next line starts a new item ("II.", "2.", "a)", "-")
    or changes between bold and regular; sentences then read whole ("báo cáo … về Sở Tài chính trước ngày 15 tháng
    12 hằng năm" over three printed lines)."""
    items: list[_Item] = []
    current: dict[str, Any] | None = None
    for number, line in enumerate(lines, start=1):
        text = nfc(" ".join(str(line["text"]).split()))
        if not text:
            continue
        bold = all(_is_bold(c) for c in line["chars"] if str(c.get("text", "")).strip())
        height = float(line["bottom"]) - float(line["top"])
        if (
            current is not None
            and current["bold"] == bold
            and current["x1"] + _first_word_width(line) + _SPACE >= right - 1.0  # that word did not fit above
            and float(line["top"]) - current["bottom"] < height / 2  # paragraphs stand further apart than lines
            and not _NEW_ITEM.match(text)
        ):
            current["text"] = f"{current['text']} {text}"
            current["x1"], current["bottom"] = float(line["x1"]), float(line["bottom"])
            continue
        if current is not None:
            items.append(_paragraph_item(current))
        current = {
            "text": text,
            "bold": bold,
            "top": float(line["top"]),
            "bottom": float(line["bottom"]),
            "x1": float(line["x1"]),
            "where": f"page {page_no} line {number}",
            "lead_width": _first_word_width(line),
            "new_item": bool(_NEW_ITEM.match(text)),
        }
    if current is not None:
        items.append(_paragraph_item(current))
    return items


def _first_word_width(line: dict[str, Any]) -> float:
    """The width of a line's first word: up to the first space character or gap wider than a fifth of the font size
    (many PDFs draw no space glyphs)."""
    chars = line["chars"]
    start = float(line["x0"])
    end = start
    for char in chars:
        text = str(char.get("text", ""))
        if not text.strip() or (end > start and float(char["x0"]) - end > float(char.get("size", 10)) / 5):
            break
        end = float(char["x1"])
    return end - start


def _paragraph_item(paragraph: dict[str, Any]) -> _Item:
    block = TextLine(where=paragraph["where"], text=paragraph["text"], bold=paragraph["bold"])
    return _Item(
        top=paragraph["top"],
        block=block,
        last_x1=paragraph["x1"],
        lead_width=paragraph["lead_width"],
        new_item=paragraph["new_item"],
    )


def _inside(obj: dict[str, Any], boxes: Iterable[tuple[float, float, float, float]]) -> bool:
    x = (float(obj.get("x0", 0)) + float(obj.get("x1", 0))) / 2
    y = (float(obj.get("top", 0)) + float(obj.get("bottom", 0))) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _is_bold(char: dict[str, Any]) -> bool:
    return "bold" in str(char.get("fontname", "")).lower()


def _row_bold(page: Any, table: Any) -> list[list[bool]]:
    """Per row, per cell: whether the cell's text is all bold."""
    out: list[list[bool]] = []
    chars = page.chars
    for row in table.rows:
        flags: list[bool] = []
        for box in row.cells:
            if box is None:
                flags.append(False)
                continue
            x0, top, x1, bottom = box
            inside = [
                c
                for c in chars
                if str(c.get("text", "")).strip()
                and x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                and top <= (c["top"] + c["bottom"]) / 2 <= bottom
            ]
            flags.append(bool(inside) and all(_is_bold(c) for c in inside))
        out.append(flags)
    return out
