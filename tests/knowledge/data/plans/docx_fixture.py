"""python-docx helpers the .docx plan fixtures' generators share (build_kh_2026_*.py): fonts, paragraphs, cells,
table widths and borders, and a byte-identical save. Generator-only; the importer never uses it.
"""

from __future__ import annotations

import calendar
import datetime
import io
import zipfile
from collections.abc import Iterable, Mapping

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"


def last_day(y, m):
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def set_run_font(run, size=None, bold=None, italic=None):
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def para(
    container,
    text="",
    size=14,
    bold=False,
    italic=False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent_first=None,
    after=6,
    before=0,
):
    p = container.add_paragraph()
    p.alignment = align
    pf = p.paragraph_format
    pf.space_after = Pt(after)
    pf.space_before = Pt(before)
    if indent_first is not None:
        pf.first_line_indent = indent_first
    if text:
        set_run_font(p.add_run(text), size, bold, italic)
    return p


def cell_text(cell, text, size=12, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.LEFT):
    """Replace the content of a cell with one paragraph of text."""
    p = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    for r in list(p.runs):
        r._element.getparent().remove(r._element)
    p.alignment = align
    p.paragraph_format.space_after = Pt(2)
    p.paragraph_format.space_before = Pt(2)
    if text:
        set_run_font(p.add_run(text), size, bold, italic)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def repeat_header(row):
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def set_widths(table, widths):
    for row in table.rows:
        for idx, w in enumerate(widths):
            if idx < len(row.cells):
                row.cells[idx].width = w


def no_borders(table):
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    # keep the schema order of w:tblPr: tblBorders comes before shd, tblLayout, tblCellMar, tblLook
    later = [c for c in tblpr if c.tag in {qn("w:shd"), qn("w:tblLayout"), qn("w:tblCellMar"), qn("w:tblLook")}]
    if later:
        later[0].addprevious(borders)
    else:
        tblpr.append(borders)


def deterministic_save(doc, path, stamp):
    """Save with fixed zip timestamps (``stamp``: the plan's date) so that repeated builds are byte-identical."""
    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))


def new_document(*, author, modified_by, title, when):
    """An A4 document in 14 pt Times New Roman with the margins of an administrative text, and fixed properties
    (``when``: the plan's date, as a tuple) so that repeated builds are byte-identical."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)

    cp = doc.core_properties
    cp.author = author
    cp.last_modified_by = modified_by
    cp.title = title
    cp.created = datetime.datetime(*when)
    cp.modified = datetime.datetime(*when)
    cp.revision = 1
    return doc


def split_cell(cell: str, whole_names: Iterable[str], expand: Mapping[str, str]) -> list[str]:
    """The agencies of a comma-separated cell as the key names them: names that hold commas themselves
    (``whole_names``) kept whole, abbreviations written out (``expand``)."""
    rest, keep = cell, {}
    for i, name in enumerate(sorted(whole_names, key=len, reverse=True)):
        if name in rest:
            keep[f"@{i}@"] = name
            rest = rest.replace(name, f"@{i}@")
    out = []
    for part in rest.split(","):
        part = keep.get(part.strip(), part.strip())
        if part:
            out.append(expand.get(part, part))
    return out


# -- the parts every People's Committee plan shares -------------------------------------------------------------


def city_header(doc, *, number, date_line, borderless):
    """ "ỦY BAN NHÂN DÂN / THÀNH PHỐ HẢI PHÒNG / Số: …" beside the national motto and the date line, in a two-column
    layout table (with or without borders, as the plan was typed)."""
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    if borderless:
        no_borders(head)
    left, right = head.rows[0].cells
    cell_text(left, "ỦY BAN NHÂN DÂN", size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    for text, kw in (("THÀNH PHỐ HẢI PHÒNG", dict(bold=True)), ("-------", {}), ("Số: " + number, {})):
        para(left, text, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, after=0, **kw)
    cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for text, kw in (
        ("Độc lập - Tự do - Hạnh phúc", dict(bold=True, size=14)),
        ("---------------", dict(size=13)),
        (date_line, dict(italic=True, size=14)),
    ):
        para(right, text, align=WD_ALIGN_PARAGRAPH.CENTER, after=0, **kw)
    set_widths(head, [Cm(6.0), Cm(10.0)])


def plan_opening(doc, *, title, legal_basis, intro, body):
    """ "KẾ HOẠCH", the title, the legal basis, the introduction and the body: ``body`` holds (kind, text) pairs,
    kinds "h1" and "h2" (bold headings), "b" (a bullet) and anything else (a paragraph)."""
    para(doc, "KẾ HOẠCH", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
    para(doc, title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    for line in legal_basis:
        para(doc, line, italic=True, indent_first=Cm(1.0))
    para(doc, intro, indent_first=Cm(1.0))
    for kind, text in body:
        if kind == "h1":
            para(doc, text, bold=True, indent_first=Cm(1.0), before=6)
        elif kind == "h2":
            para(doc, text, bold=True, indent_first=Cm(1.0))
        elif kind == "b":
            para(doc, "- " + text, indent_first=Cm(1.0))
        else:
            para(doc, text, indent_first=Cm(1.0))


def city_signature(doc, *, recipients, signer, borderless):
    """ "Nơi nhận" beside "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" and the signer, in a layout table."""
    sig = doc.add_table(rows=1, cols=2)
    if borderless:
        no_borders(sig)
    left, right = sig.rows[0].cells
    cell_text(left, "Nơi nhận:", size=12, bold=True, italic=True)
    for r in recipients:
        para(left, "- " + r, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    cell_text(right, "TM. ỦY BAN NHÂN DÂN", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(right, "KT. CHỦ TỊCH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    para(right, "PHÓ CHỦ TỊCH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    for _ in range(4):
        para(right, "", align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    para(right, signer, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    set_widths(sig, [Cm(7.5), Cm(8.5)])


def landscape_section(doc):
    """A new page in landscape (A4, 2 cm side margins) for the appendix."""
    app = doc.add_section(WD_SECTION.NEW_PAGE)
    app.orientation = WD_ORIENT.LANDSCAPE
    app.page_width, app.page_height = Mm(297), Mm(210)
    app.left_margin, app.right_margin = Cm(2), Cm(2)
