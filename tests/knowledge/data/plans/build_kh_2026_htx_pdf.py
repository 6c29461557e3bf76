"""Render kh-2026-htx-topic-table.md as a PDF with a text layer, the way provinces publish plans.

    .venv/bin/pip install reportlab   # a generator-only tool, not a dependency of taskbot
    .venv/bin/python tests/knowledge/data/plans/build_kh_2026_htx_pdf.py [OUT_DIR]

The body is set as paragraphs (headings bold); the appendix is a ruled table in landscape that runs over pages with
its header repeated on each, and is broken on purpose right after a section row, so that section's tasks start on
the next page (the hard case for a reader). Cells wrap over several lines. The PDF must import with the same tasks,
leads, coordinators and deadlines as the Markdown (tests/knowledge/test_pdf_document.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "kh-2026-htx-topic-table.md"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
BREAK_AFTER_SECTION = "III"  # the table is broken right after this section's row


def clean(text: str) -> str:
    text = re.sub(r"\*\*|__", "", text).replace("\\|", "|")
    text = re.sub(r"(?<![\w*])\*(?!\s)|(?<!\s)\*(?![\w*])", "", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").strip()


def main(out_dir: Path) -> Path:
    pdfmetrics.registerFont(TTFont("Body", str(FONTS / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont("Body-Bold", str(FONTS / "DejaVuSerif-Bold.ttf")))
    pdfmetrics.registerFontFamily("Body", normal="Body", bold="Body-Bold")
    body = ParagraphStyle("body", fontName="Body", fontSize=11, leading=14, spaceAfter=4)
    bold = ParagraphStyle("bold", parent=body, fontName="Body-Bold")
    cell = ParagraphStyle("cell", fontName="Body", fontSize=9, leading=11)
    cell_bold = ParagraphStyle("cell_bold", parent=cell, fontName="Body-Bold")

    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    flow: list[object] = []
    rows: list[list[str]] = []
    for raw in lines:
        line = raw.strip()
        if not line or line == "---":
            continue
        if line.startswith("|"):
            if re.match(r"^\|?\s*:?-{2,}", line):
                continue
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))])
            continue
        if line.startswith("#"):
            text = clean(line.lstrip("#"))
            if text.upper().startswith("PHỤ LỤC"):
                flow += [NextPageTemplate("landscape"), PageBreak()]
            flow.append(Paragraph(text, bold))
            continue
        text = clean(line)
        flow.append(Paragraph(text, bold if line.startswith("**") and line.endswith("**") else body))

    header, data = rows[0], rows[1:]
    cut = next(i for i, r in enumerate(data) if clean(r[0]) == BREAK_AFTER_SECTION) + 1
    widths = [1.2 * cm, 11 * cm, 4 * cm, 6 * cm, 3.5 * cm]

    def table(chunk: list[list[str]]) -> Table:
        cells = [[Paragraph(clean(c), cell_bold) for c in header]]
        for r in chunk:
            style = cell_bold if r[0].startswith("**") else cell
            cells.append([Paragraph(clean(c), style) for c in r])
        t = Table(cells, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t

    at = next(
        i for i, f in enumerate(flow) if isinstance(f, Paragraph) and f.getPlainText().upper().startswith("PHỤ LỤC")
    )
    # the appendix's own title lines stay before the table; the body text after the table is the signature block
    after = [f for f in flow[at + 1 :] if isinstance(f, Paragraph)]
    titles = after[:2]
    tail = after[2:]
    flow = [*flow[: at + 1], *titles, table(data[:cut]), PageBreak(), table(data[cut:]), *tail]

    out = out_dir / "kh-2026-htx-topic-table.pdf"
    doc = BaseDocTemplate(str(out), pagesize=A4, title="38/KH-UBND", author="taskbot fixtures", invariant=1)
    portrait = Frame(2 * cm, 2 * cm, A4[0] - 4 * cm, A4[1] - 4 * cm)
    wide = Frame(1.5 * cm, 1.5 * cm, landscape(A4)[0] - 3 * cm, landscape(A4)[1] - 3 * cm)
    doc.addPageTemplates(
        [
            PageTemplate(id="portrait", frames=[portrait], pagesize=A4),
            PageTemplate(id="landscape", frames=[wide], pagesize=landscape(A4)),
        ]
    )
    doc.build(flow)
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
