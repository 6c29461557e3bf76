"""The task sheet: Excel (openpyxl; filters, frozen header, widths for Vietnamese text, an agency summary sheet)
and CSV (UTF-8 with a byte-order mark, so Excel shows the diacritics)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping, Sequence

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
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(list(row.cells()))
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[index - 1]
        if name in _WRAPPED:
            for (body,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                body.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(rows) + 1)}"

    summary = book.create_sheet("Theo cơ quan")
    summary.append(["Cơ quan chủ trì", *(CATEGORY_LABELS[c] for c in STATUS_ORDER), "Tổng"])
    for name, agency_counts in sorted(counts.items()):
        values = [agency_counts[c] for c in STATUS_ORDER]
        summary.append([name, *values, sum(values)])
    for index, width in enumerate((46, 20, 20, 24, 24, 10), start=1):
        summary.column_dimensions[get_column_letter(index)].width = width
        summary.cell(row=1, column=index).font = header_font
        summary.cell(row=1, column=index).fill = header_fill
        summary.cell(row=1, column=index).alignment = Alignment(wrap_text=True, vertical="center")
    summary.freeze_panes = "A2"
    summary.auto_filter.ref = f"A1:F{max(1, len(counts) + 1)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
