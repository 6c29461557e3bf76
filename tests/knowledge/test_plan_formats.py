"""Plans in the other formats: Markdown pipe tables and Word documents, built here, and malformed inputs."""

from __future__ import annotations

import io
import random
from datetime import date

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.agencies import AgencyRegistry
from knowledge.appendix import is_column_numbers, split_roles
from knowledge.errors import PlanFormatError
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan, Task

KHDT = "Sở Kế hoạch và Đầu tư"
TTTT = "Sở Thông tin và Truyền thông"
LHTX = "Liên minh Hợp tác xã và Doanh nghiệp thành phố"
SO_NGANH = "Các Sở, ngành liên quan"
QUAN_HUYEN = "UBND các quận, huyện"
UNKNOWN = "Trung tâm Sáng tạo Xanh"

BODY = [
    "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
    "Số: 12/KH-UBND",
    "Hải Phòng, ngày 10 tháng 3 năm 2026",
    "## KẾ HOẠCH",
    "Triển khai chuyển đổi số trong khu vực kinh tế tập thể giai đoạn 2026 - 2027",
    "### IV. TỔ CHỨC THỰC HIỆN",
    "1. Các Sở, ngành và UBND các quận, huyện báo cáo kết quả thực hiện, "
    "gửi về Sở Kế hoạch và Đầu tư trước ngày 20 tháng 12 hằng năm.",
    "2. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.",
    "## PHỤ LỤC",
]
HEADER = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành"]
ROWS = [
    ["I", "**Hoàn thiện thể chế**", "", "", "", ""],
    ["1", "Xây dựng quy chế chia sẻ dữ liệu", "Sở Thông tin và Truyền thông", "Sở KH&ĐT, UBND các quận, huyện",
     "Quy chế", "Quý IV năm 2026"],
    ["2", "Ban hành danh mục dữ liệu mở", "Sở KH&ĐT", "Các Sở, ngành liên quan", "Quyết định", "Trước 30/9/2026"],
    ["3", "Báo cáo tình hình thực hiện", "Các Sở, ngành liên quan", "", "Báo cáo", "Hằng năm"],
    ["II", "**Tổ chức thực hiện**", "", "", "", ""],
    ["1", "Tuyên truyền về chuyển đổi số", "Sở TT&TT", UNKNOWN, "Tin bài", "Thường xuyên"],
    ["2", "Tập huấn cán bộ hợp tác xã", "Liên minh HTX", "Sở Nội vụ", "Lớp tập huấn", "Tháng 6/2026"],
    ["3", "Sơ kết 6 tháng", "Sở KH&ĐT", "", "Báo cáo sơ kết", "6 tháng đầu năm 2026"],
    ["4", "Đánh giá tác động", "Sở Tài chính", "", "Báo cáo", "Khi có yêu cầu của cấp trên"],
]  # fmt: skip

EXPECTED = {
    # id: (section title, lead, coordinators, product, deadlines, recurrence)
    "I.1": ("Hoàn thiện thể chế", (TTTT,), (KHDT, QUAN_HUYEN), "Quy chế", [date(2026, 12, 31)], "once"),
    "I.2": ("Hoàn thiện thể chế", (KHDT,), (SO_NGANH,), "Quyết định", [date(2026, 9, 30)], "once"),
    "I.3": (
        "Hoàn thiện thể chế", (SO_NGANH,), (), "Báo cáo", [date(2026, 12, 20), date(2027, 12, 20)], "yearly"
    ),
    "II.1": ("Tổ chức thực hiện", (TTTT,), (UNKNOWN,), "Tin bài", [], "continuous"),
    "II.2": ("Tổ chức thực hiện", (LHTX,), ("Sở Nội vụ",), "Lớp tập huấn", [date(2026, 6, 30)], "once"),
    "II.3": ("Tổ chức thực hiện", (KHDT,), (), "Báo cáo sơ kết", [date(2026, 6, 30)], "once"),
    "II.4": ("Tổ chức thực hiện", ("Sở Tài chính",), (), "Báo cáo", [], "unknown"),
}  # fmt: skip


def markdown_plan(body: list[str] = BODY, rows: list[list[str]] = ROWS, header: list[str] = HEADER) -> str:
    """The plan as Markdown: body paragraphs, then a pipe table with its separator row."""
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n\n".join(body) + "\n\n" + "\n".join(table) + "\n"


def docx_plan(body: list[str] = BODY, rows: list[list[str]] = ROWS, *, merged_sections: bool = False) -> bytes:
    """A Word document with the body as paragraphs/headings and the appendix as a real table."""
    document = docx.Document()
    for line in body:
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            document.add_heading(line.lstrip("# "), level=level)
        else:
            document.add_paragraph(line)
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for values in rows:
        cells = table.add_row().cells
        section = not values[0].isdigit()
        if section and merged_sections:
            merged = cells[0].merge(cells[-1])
            merged.paragraphs[0].add_run(f"{values[0]}. {values[1].strip('*').upper()}").bold = True
            continue
        for cell, text in zip(cells, values, strict=True):
            run = cell.paragraphs[0].add_run(text.strip("*"))
            run.bold = section
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def by_id(parsed: ParsedPlan) -> dict[str, Task]:
    return {t.code: t for t in parsed.plan.tasks}


def assert_expected_tasks(parsed: ParsedPlan, *, upper_titles: bool = False) -> None:
    tasks = by_id(parsed)
    assert list(tasks) == list(EXPECTED)
    for code, (title, lead, coordinators, product, deadlines, recurrence) in EXPECTED.items():
        task = tasks[code]
        assert task.section_title == (title.upper() if upper_titles else title), code
        assert task.lead == lead, code
        assert task.coordinators == coordinators, code
        assert task.product == product, code
        assert [d.due for d in task.schedule.deadlines] == deadlines, code
        assert task.schedule.recurrence == recurrence, code
        assert task.plan_number == "12/KH-UBND"
    assert [t.position for t in parsed.plan.tasks] == list(range(1, len(EXPECTED) + 1))


def assert_plan_facts(parsed: ParsedPlan) -> None:
    plan = parsed.plan
    assert plan.number == "12/KH-UBND"
    assert plan.issued_on == date(2026, 3, 10)
    assert plan.title == "Triển khai chuyển đổi số trong khu vực kinh tế tập thể giai đoạn 2026 - 2027"
    assert plan.period is not None and (plan.period.start, plan.period.end) == (2026, 2027)
    assert plan.reporting_date is not None
    assert (plan.reporting_date.day, plan.reporting_date.month, plan.reporting_date.label) == (20, 12, "IV.1")
    assert [d.label for d in plan.duties] == ["IV.1", "IV.2"]


def assert_expected_warnings(parsed: ParsedPlan) -> None:
    warnings = {(w.code, w.where.split()[0]) for w in parsed.warnings}
    assert {code for code, _ in warnings} == {"unknown-agency", "unparsed-time"}
    unknown = next(w for w in parsed.warnings if w.code == "unknown-agency")
    assert UNKNOWN in unknown.message
    unparsed = next(w for w in parsed.warnings if w.code == "unparsed-time")
    assert "II.4" in unparsed.message and "Khi có yêu cầu" in unparsed.message
    assert UNKNOWN in [a.name for a in parsed.agencies if a.kind == "unknown"]


# -- (b) Markdown pipe table ---------------------------------------------------------------------------------------


def test_markdown_table_plan(registry: AgencyRegistry) -> None:
    parsed = parse_plan_source(markdown_plan().encode(), name="kh-12.md", registry=registry)
    assert_plan_facts(parsed)
    assert_expected_tasks(parsed)
    assert_expected_warnings(parsed)
    assert all(w.where.startswith("line ") for w in parsed.warnings)
    yearly = by_id(parsed)["I.3"].schedule.deadlines
    assert all("20/12" in d.reason and "IV.1" in d.reason for d in yearly)
    assert yearly[-1].final
    assert parsed.plan.source_name == "kh-12.md" and len(parsed.plan.source_hash) == 64


def test_markdown_table_topic_rows_are_not_agencies(registry: AgencyRegistry) -> None:
    parsed = parse_plan_source(markdown_plan().encode(), name="kh-12.md", registry=registry)
    names = {a.name for a in parsed.agencies}
    assert "Hoàn thiện thể chế" not in names and "Tổ chức thực hiện" not in names
    assert not any(i.code == "typo-corrected" for i in parsed.issues)


def test_markdown_table_row_continued_on_a_row_without_stt(registry: AgencyRegistry) -> None:
    rows = [*ROWS[:2], ["", "(giai đoạn 1)", "", "", "", ""], *ROWS[2:]]
    parsed = parse_plan_source(markdown_plan(rows=rows).encode(), name="kh-12.md", registry=registry)
    assert by_id(parsed)["I.1"].content == "Xây dựng quy chế chia sẻ dữ liệu (giai đoạn 1)"
    assert any(i.code == "row-continued" and "I.1" in i.message for i in parsed.issues)


# -- (c) Word documents --------------------------------------------------------------------------------------------


def test_docx_plan_gives_the_same_tasks(registry: AgencyRegistry) -> None:
    parsed = parse_plan_source(docx_plan(), name="x.docx", registry=registry)
    assert_plan_facts(parsed)
    assert_expected_tasks(parsed)
    assert_expected_warnings(parsed)
    assert all(w.where.startswith("table 1 row ") for w in parsed.warnings)
    markdown = parse_plan_source(markdown_plan().encode(), name="kh-12.md", registry=registry)
    assert [(t.code, t.content, t.lead, t.coordinators, t.time_text) for t in parsed.plan.tasks] == [
        (t.code, t.content, t.lead, t.coordinators, t.time_text) for t in markdown.plan.tasks
    ]


def test_docx_with_bold_section_rows_merged_across_the_table(registry: AgencyRegistry) -> None:
    parsed = parse_plan_source(docx_plan(merged_sections=True), name="x.docx", registry=registry)
    assert_plan_facts(parsed)
    assert_expected_tasks(parsed, upper_titles=True)


def test_docx_with_plain_paragraphs_instead_of_headings(registry: AgencyRegistry) -> None:
    body = [line.lstrip("# ") for line in BODY]
    parsed = parse_plan_source(docx_plan(body), name="x.docx", registry=registry)
    assert_plan_facts(parsed)
    assert_expected_tasks(parsed)


# -- malformed inputs ----------------------------------------------------------------------------------------------


def parse_error(data: bytes, name: str, registry: AgencyRegistry) -> str:
    with pytest.raises(PlanFormatError) as info:
        parse_plan_source(data, name=name, registry=registry)
    message = str(info.value)
    assert name in message
    assert "(expected " in message
    user_message = info.value.user_message
    assert user_message.startswith("Tệp") and name in user_message  # Vietnamese, naming the file
    english = {"expected", "found", "row", "rows", "task", "cells", "line", "table", "unrecognised", "appears"}
    assert not english & set(user_message.replace("(", " ").replace(")", " ").split()), user_message
    return f"{message}\n{user_message}"


def test_no_plan_number(registry: AgencyRegistry) -> None:
    body = [line for line in BODY if not line.startswith("Số:")]
    message = parse_error(markdown_plan(body).encode(), "kh.md", registry)
    assert "no plan number" in message and "Số: 435/KH-UBND" in message


def test_no_task_table(registry: AgencyRegistry) -> None:
    message = parse_error("\n\n".join(BODY).encode(), "kh.md", registry)
    assert "no tasks found" in message and "STT" in message
    table_without_stt = markdown_plan().replace("| STT |", "| Mã |")
    assert "no tasks found" in parse_error(table_without_stt.encode(), "kh.md", registry)


def test_unrecognised_stt_names_the_line(registry: AgencyRegistry) -> None:
    rows = [row if row[1] != "Ban hành danh mục dữ liệu mở" else ["a)", *row[1:]] for row in ROWS]
    text = markdown_plan(rows=rows)
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if t.startswith("| a) |"))
    message = parse_error(text.encode(), "kh.md", registry)
    assert f"kh.md:line {line}: unrecognised STT 'a)'" in message
    assert "Roman numeral" in message
    docx_message = parse_error(docx_plan(rows=rows), "kh.docx", registry)
    assert "kh.docx:table 1 row 4: unrecognised STT 'a)'" in docx_message


@pytest.mark.parametrize("stt", ["c)", "i)", "x.", "b"])
def test_lettered_items_are_not_read_as_roman_sections(registry: AgencyRegistry, stt: str) -> None:
    rows = [row if row[1] != "Ban hành danh mục dữ liệu mở" else [stt, *row[1:]] for row in ROWS]
    message = parse_error(markdown_plan(rows=rows).encode(), "kh.md", registry)
    assert f"unrecognised STT {stt!r}" in message


def test_duplicate_task_id_names_both_places(registry: AgencyRegistry) -> None:
    rows = [row if row[1] != "Báo cáo tình hình thực hiện" else ["2", *row[1:]] for row in ROWS]
    text = markdown_plan(rows=rows)
    lines = [i for i, t in enumerate(text.splitlines(), start=1) if t.startswith("| 2 |")]
    message = parse_error(text.encode(), "kh.md", registry)
    assert f"kh.md:line {lines[1]}: task id I.2 appears twice (first at line {lines[0]})" in message
    assert "unique STT" in message


def test_non_utf8_bytes_name_the_line(registry: AgencyRegistry) -> None:
    data = markdown_plan().encode().replace("Phòng, ngày".encode(), "Phòng, ngày".encode("latin-1"))  # legacy
    line = next(i for i, t in enumerate(markdown_plan().splitlines(), start=1) if "Hải Phòng, ngày" in t)
    message = parse_error(data, "kh.md", registry)
    assert f"Tệp kh.md không phải văn bản UTF-8 (dòng {line})" in message
    assert "không phải văn bản" in parse_error(markdown_plan().encode("utf-16"), "kh.txt", registry)  # NUL bytes


def test_corrupt_docx(registry: AgencyRegistry) -> None:
    noise = random.Random(435).randbytes(2048)
    assert "không phải văn bản hay tệp Word" in parse_error(noise, "kh.docx", registry)
    truncated = docx_plan()[:1500]
    assert "not a readable .docx file" in parse_error(truncated, "kh.docx", registry)


def test_a_row_numbering_the_columns_is_no_task() -> None:
    assert is_column_numbers(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"])
    assert is_column_numbers(["1", "2", "3", "4"])
    assert not is_column_numbers(["1", "Rà soát hợp tác xã", "Sở Tài chính", "Năm 2026"])  # a task
    assert not is_column_numbers(["(1)", "(3)", "(2)"])  # not counting up
    assert not is_column_numbers(["I", "", "", ""])  # a section row


def lettered(*groups: tuple[str, int]) -> list[list[str]]:
    """Rows of groups lettered as given, each with ``n`` numbered tasks (leads from the registry)."""
    rows = []
    for letter, n in groups:
        rows.append([letter, f"Nhóm {letter}", "", "", "", ""])
        rows += [[str(i), f"Việc {letter}{i}", "Sở Nội vụ", "", "Báo cáo", "Quý IV/2026"] for i in range(1, n + 1)]
    return rows


def test_groups_lettered_a_b_c_d_are_sections(registry: AgencyRegistry) -> None:
    """C and D are Roman numerals too; after A and B they are the next groups, not sections 100 and 500."""
    parsed = parse_plan_source(
        markdown_plan(rows=lettered(("A", 2), ("B", 1), ("C", 1), ("D", 2))).encode(), name="kh.md", registry=registry
    )
    assert [(t.code, t.section_title) for t in parsed.plan.tasks] == [
        ("A.1", "Nhóm A"),
        ("A.2", "Nhóm A"),
        ("B.1", "Nhóm B"),
        ("C.1", "Nhóm C"),
        ("D.1", "Nhóm D"),
        ("D.2", "Nhóm D"),
    ]
    assert not [w for w in parsed.issues if w.code == "numbering-gap"]


def test_a_skipped_group_letter_is_noted_and_roman_sections_under_a_letter_stay_roman(
    registry: AgencyRegistry,
) -> None:
    skipped = parse_plan_source(
        markdown_plan(rows=lettered(("A", 1), ("C", 1))).encode(), name="kh.md", registry=registry
    )
    assert [t.code for t in skipped.plan.tasks] == ["A.1", "C.1"]
    assert [w.message for w in skipped.issues if w.code == "numbering-gap"] == [
        "văn bản không có mục B; giữ nguyên số thứ tự như văn bản"
    ]
    nested = lettered(("A", 0), ("I", 1), ("II", 1), ("V", 1))  # "I" under group A, "V" after "II": Roman
    codes = [
        t.code
        for t in parse_plan_source(markdown_plan(rows=nested).encode(), name="kh.md", registry=registry).plan.tasks
    ]
    assert codes == ["I.1", "II.1", "V.1"]


def test_a_section_row_naming_two_agencies_gives_both_the_lead(registry: AgencyRegistry) -> None:
    """435's layout (no lead column, the section row names the lead) with a section both agencies lead."""
    header = ["STT", "Nội dung nhiệm vụ", "Cơ quan phối hợp", "Thời gian thực hiện"]
    rows = [
        ["I", "SỞ Y TẾ", "", ""],
        ["1", "Kiểm tra an toàn thực phẩm", "Công an thành phố", "Hằng năm"],
        ["II", "SỞ Y TẾ, SỞ CÔNG THƯƠNG", "", ""],
        ["1", "Kiểm tra liên ngành dịp Tết", "UBND các xã, phường, đặc khu", "Quý I/2027"],
    ]
    parsed = parse_plan_source(markdown_plan(rows=rows, header=header).encode(), name="kh.md", registry=registry)
    assert [(t.code, t.lead) for t in parsed.plan.tasks] == [
        ("I.1", ("Sở Y tế",)),
        ("II.1", ("Sở Y tế", "Sở Công Thương")),
    ]


@pytest.mark.parametrize(
    ("cell", "roles"),
    [
        ("Sở Xây dựng chủ trì, phối hợp với Công an thành phố, Sở Y tế", ("Sở Xây dựng", "Công an thành phố, Sở Y tế")),
        ("Công an thành phố chủ trì; Sở Y tế phối hợp", ("Công an thành phố", "Sở Y tế")),
        (
            "Sở Xây dựng, Công an TP chủ trì; Sở Tài chính cùng phối hợp thực hiện",
            ("Sở Xây dựng, Công an TP", "Sở Tài chính"),
        ),
        ("Sở Giáo dục và Đào tạo", ("Sở Giáo dục và Đào tạo", "")),
    ],
)
def test_one_column_names_lead_and_coordinators(cell: str, roles: tuple[str, str]) -> None:
    assert split_roles(cell) == roles


@given(st.text(max_size=120))
def test_split_roles_never_raises_and_keeps_the_lead_words(cell: str) -> None:
    lead, coordinators = split_roles(cell)
    assert lead in cell and (not coordinators or coordinators in cell or "phối hợp" not in coordinators)


def test_a_plan_with_one_agency_column(registry: AgencyRegistry) -> None:
    header = ["STT", "Nội dung nhiệm vụ", "Cơ quan thực hiện", "Thời gian hoàn thành"]
    rows = [
        ["I", "**Tuyên truyền**", "", ""],
        ["1", "Tuyên truyền an toàn giao thông", "Sở Y tế chủ trì, phối hợp với Công an thành phố", "Quý I/2027"],
        ["2", "Giáo dục học sinh", "Sở Giáo dục và Đào tạo", "Năm 2027"],
    ]
    parsed = parse_plan_source(markdown_plan(rows=rows, header=header).encode(), name="kh.md", registry=registry)
    assert [(t.code, t.lead, t.coordinators, t.section_title) for t in parsed.plan.tasks] == [
        ("I.1", ("Sở Y tế",), ("Công an thành phố",), "Tuyên truyền"),
        ("I.2", ("Sở Giáo dục và Đào tạo",), (), "Tuyên truyền"),
    ]
