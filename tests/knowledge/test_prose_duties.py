"""Plans that assign their tasks in prose, agency by agency, instead of an appendix table."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.agencies import AgencyRegistry
from knowledge.document import TextLine, read_text_document
from knowledge.errors import PlanFormatError
from knowledge.plan_parser import body_lines, parse_plan_source
from knowledge.prose_duties import read_prose_duties
from knowledge.records import ParsedPlan

HEADER = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HẢI PHÒNG
Số: 9/KH-UBND
Hải Phòng, ngày 05 tháng 10 năm 2026
KẾ HOẠCH
Phát triển du lịch đêm giai đoạn 2026 - 2027
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Phát triển kinh tế đêm.
2. Yêu cầu
Bảo đảm an ninh, trật tự.
II. TỔ CHỨC THỰC HIỆN
"""
DUTIES = """1. Sở Văn hóa, Thể thao và Du lịch
a) Chủ trì, phối hợp với Sở Công Thương, Công an thành phố xây dựng đề án phát triển
kinh tế đêm; hoàn thành trong Quý I/2027.
b) Tổ chức lễ hội đường phố hằng năm.
c) Định kỳ 6 tháng tổng hợp, đánh giá kết quả.
2. Sở Xây dựng, Công an thành phố:
a) Rà soát hạ tầng giao thông khu phố đêm, thực hiện thường xuyên.
3. Sở Tài chính: Bố trí kinh phí thực hiện kế hoạch, phối hợp với Sở Văn hóa, Thể thao và Du lịch tham mưu,
trước ngày 30/6/2027.
4. UBND các xã, phường, đặc khu
- Tuyên truyền người dân tham gia.
- Bảo đảm an ninh trật tự, năm 2026 - 2027.
5. Chế độ báo cáo: Các sở báo cáo về Sở Văn hóa, Thể thao và Du lịch trước ngày 15/12 hằng năm.
Chế độ thông tin: các cơ quan báo cáo đột xuất khi có yêu cầu trong tháng 12/2026.
"""
FOOTER = """Nơi nhận:
- Như trên;
1. Sở Nội vụ: để biết.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn An
"""
VHTTDL = "Sở Văn hóa, Thể thao và Du lịch"
XA = "UBND các xã, phường, đặc khu"


def parse(text: str, registry: AgencyRegistry) -> ParsedPlan:
    return parse_plan_source(text.encode(), name="kh-9.txt", registry=registry)


def test_each_agency_paragraph_leads_its_lettered_duties(registry: AgencyRegistry) -> None:
    parsed = parse(HEADER + DUTIES + FOOTER, registry)
    tasks = {t.code: t for t in parsed.plan.tasks}
    assert list(tasks) == ["1.a", "1.b", "1.c", "2.a", "3", "4.1", "4.2"]  # "5. Chế độ báo cáo", "Nơi nhận": none
    assert tasks["1.a"].lead == (VHTTDL,)
    assert tasks["1.a"].coordinators == ("Sở Công Thương", "Công an thành phố")
    assert tasks["1.a"].content.endswith("kinh tế đêm; hoàn thành trong Quý I/2027.")  # wrapped line joined
    assert [d.due for d in tasks["1.a"].schedule.deadlines] == [date(2027, 3, 31)]
    assert tasks["1.a"].time_text == "trong Quý I/2027"  # the time as printed, without its verb
    assert tasks["1.b"].time_text == "hằng năm" and tasks["1.b"].schedule.recurrence == "yearly"
    assert tasks["1.c"].time_text == "Định kỳ 6 tháng"  # a time that opens the clause
    assert tasks["2.a"].time_text == "thường xuyên"
    assert tasks["2.a"].lead == ("Sở Xây dựng", "Công an thành phố")  # a paragraph naming two: both lead
    assert tasks["2.a"].schedule.recurrence == "continuous"
    assert tasks["3"].coordinators == (VHTTDL,)  # one duty after the colon is the paragraph's task
    assert [d.due for d in tasks["3"].schedule.deadlines] == [date(2027, 6, 30)]
    assert tasks["4.1"].lead == (XA,) and tasks["4.1"].time_text == ""
    assert tasks["4.2"].schedule.deadlines[-1].due == date(2027, 12, 31)
    assert "Chế độ thông tin" not in tasks["4.2"].content  # a finished duty takes no unnumbered paragraph after it
    assert any(i.code == "prose-duties" for i in parsed.issues)


def test_a_table_wins_over_prose(registry: AgencyRegistry) -> None:
    table = (
        "\n| STT | Nội dung | Cơ quan chủ trì | Thời gian thực hiện |\n|---|---|---|---|\n"
        "| 1 | Làm A | Sở Y tế | Năm 2027 |\n"
    )
    parsed = parse(HEADER + DUTIES + FOOTER + "PHỤ LỤC" + table, registry)
    assert [t.code for t in parsed.plan.tasks] == ["1"] and parsed.plan.tasks[0].lead == ("Sở Y tế",)


def test_numbered_paragraphs_that_name_no_agency_are_no_tasks(registry: AgencyRegistry) -> None:
    prose = "1. Công tác tuyên truyền\na) Đẩy mạnh tuyên truyền.\n2. Kinh phí thực hiện\na) Từ ngân sách.\n"
    with pytest.raises(PlanFormatError) as caught:
        parse(HEADER + prose + FOOTER, registry)
    assert "giao việc theo từng cơ quan" in caught.value.user_message


def test_one_agency_paragraph_alone_assigns_nothing(registry: AgencyRegistry) -> None:
    lines = body_lines(read_text_document(HEADER + "1. Sở Tài chính: bố trí kinh phí.\n" + FOOTER))
    assert read_prose_duties(lines, registry) == []


@given(st.lists(st.text(alphabet="abcđ )-.:;,0123456789 SởUBNDQuýhằngnăm\n", max_size=40), max_size=30))
def test_any_lines_read_without_error(registry: AgencyRegistry, texts: list[str]) -> None:
    lines = [TextLine(where=f"line {i}", text=t) for i, t in enumerate(texts, start=1) if t.strip()]
    for task in read_prose_duties(lines, registry):
        assert task.cells[0] and task.item


def test_headings_with_words_around_the_names_and_decimal_duties(registry: AgencyRegistry) -> None:
    prose = (
        "1. Giao Sở Y tế chủ trì thực hiện các nhiệm vụ sau:\n"
        "1.1. Kiểm tra an toàn thực phẩm tại chợ đêm, thực hiện thường xuyên.\n"
        "1.2. Phối hợp với Công an thành phố xử lý vi phạm; hoàn thành trước ngày 31/3/2027.\n"
        "2. Sở Công Thương có trách nhiệm:\n"
        "a) Quản lý thị trường các tuyến phố đêm trong năm 2027.\n"
    )
    tasks = {t.code: t for t in parse(HEADER + prose + FOOTER, registry).plan.tasks}
    assert list(tasks) == ["1.1", "1.2", "2.a"]
    assert tasks["1.1"].lead == ("Sở Y tế",) and tasks["1.1"].schedule.recurrence == "continuous"
    assert tasks["1.2"].coordinators == ("Công an thành phố",)
    assert tasks["2.a"].lead == ("Sở Công Thương",) and tasks["2.a"].time_text == "trong năm 2027"
