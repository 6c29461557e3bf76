"""The coordinating office's report draft to the city (python-docx), in the layout of an administrative report:
issuer and national motto side by side, "Số: …" left for the office, the title, a table of tasks with their status
and reported notes, and the agencies that have not reported."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from knowledge.reply import fmt_date
from scheduler.exports.rows import ExportRow

__all__ = ["export_docx"]


def export_docx(
    rows: Sequence[ExportRow],
    *,
    plan_label: str,
    today: date,
    not_reported: Sequence[str],
    issuer: str = "SỞ TÀI CHÍNH",
) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    head = document.add_table(rows=2, cols=2)
    left, right = head.rows[0].cells
    left.paragraphs[0].add_run("UBND THÀNH PHỐ HẢI PHÒNG\n").bold = False
    left.paragraphs[0].add_run(issuer).bold = True
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n").bold = True
    right.paragraphs[0].add_run("Độc lập - Tự do - Hạnh phúc").bold = True
    head.rows[1].cells[0].paragraphs[0].add_run("Số:       /BC-")
    head.rows[1].cells[1].paragraphs[0].add_run(f"Hải Phòng, ngày     tháng     năm {today.year}").italic = True
    for cell in (*head.rows[0].cells, *head.rows[1].cells):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("BÁO CÁO\n").bold = True
    title.add_run(f"Tình hình thực hiện {plan_label}\n(tính đến ngày {fmt_date(today)})").bold = True
    document.add_paragraph("Kính gửi: Ủy ban nhân dân thành phố.")
    document.add_paragraph(
        f"Tổng hợp báo cáo của các cơ quan, đơn vị được giao chủ trì {len(rows)} nhiệm vụ; tình hình cụ thể như sau:"
    )
    # every row made at once and filled walking the rows: python-docx's add_row() and rows[i] each look through the
    # whole table, so adding 10,000 rows one by one is quadratic (~9 s); this is ~linear
    table = document.add_table(rows=len(rows) + 1, cols=5)
    table.style = "Table Grid"
    lines = iter(table.rows)
    for cell, text in zip(next(lines).cells, ("Mã", "Nhiệm vụ", "Chủ trì", "Tình trạng", "Ghi chú"), strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for line, row in zip(lines, rows, strict=True):
        values = (row.code, row.content, row.lead, row.status, "; ".join(x for x in (row.last_report, row.note) if x))
        for cell, text in zip(line.cells, values, strict=True):
            cell.text = text
    document.add_paragraph()
    heading = document.add_paragraph()
    heading.add_run("Các cơ quan, đơn vị chưa báo cáo:").bold = True
    if not_reported:
        for name in not_reported:
            document.add_paragraph(name, style="List Bullet")
    else:
        document.add_paragraph("Không có (mọi cơ quan đã báo cáo).")
    sign = document.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.add_run("GIÁM ĐỐC\n\n\n").bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
