"""The task sheet: Excel (openpyxl; filters, frozen header, widths for Vietnamese text, an agency summary sheet)
and CSV (UTF-8 with a byte-order mark, so Excel shows the diacritics)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from scheduler.exports.rows import COLUMNS, ExportRow
from scheduler.records import CATEGORY_LABELS, ReportCategory
from scheduler.task_status import STATUS_ORDER

__all__ = ["export_csv", "export_xlsx"]

_WIDTHS = (14, 8, 30, 70, 28, 34, 18, 12, 30, 34, 40)  # characters; Vietnamese content wraps in the wide columns
_WRAPPED = frozenset({"Nhóm nhiệm vụ", "Nội dung", "Chủ trì", "Phối hợp", "Tình trạng", "Báo cáo gần nhất", "Ghi chú"})


def export_csv(rows: Sequence[ExportRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.cells())
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def export_xlsx(
    rows: Sequence[ExportRow], counts: Mapping[str, Counter[ReportCategory]], *, title: str = "Nhiệm vụ"
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    # write-only mode (openpyxl's streaming writer): rows go out as they are appended, ~2x faster at 10,000 tasks
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(rows) + 1)}"

    def header(target: Any, values: Sequence[str]) -> list[Cell]:
        cells = []
        for value in values:
            cell = WriteOnlyCell(target, value=value)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            cells.append(cell)
        return cells

    sheet.append(header(sheet, COLUMNS))
    wrapped = Alignment(vertical="top", wrap_text=True)
    wraps = [name in _WRAPPED for name in COLUMNS]
    for row in rows:
        values: list[object] = []
        for wrap, value in zip(wraps, row.cells(), strict=True):
            if wrap:
                cell = WriteOnlyCell(sheet, value=value)
                cell.alignment = wrapped
                values.append(cell)
            else:
                values.append(value)
        sheet.append(values)

    summary = book.create_sheet("Theo cơ quan")
    for index, width in enumerate((46, 20, 20, 24, 24, 10), start=1):
        summary.column_dimensions[get_column_letter(index)].width = width
    summary.freeze_panes = "A2"
    summary.auto_filter.ref = f"A1:F{max(1, len(counts) + 1)}"
    summary.append(header(summary, ["Cơ quan chủ trì", *(CATEGORY_LABELS[c] for c in STATUS_ORDER), "Tổng"]))
    for name, agency_counts in sorted(counts.items()):
        counted = [agency_counts[c] for c in STATUS_ORDER]
        summary.append([name, *counted, sum(counted)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
