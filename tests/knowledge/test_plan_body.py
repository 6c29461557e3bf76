"""Plan facts read wherever a plan states them, not only where the seed puts them (knowledge.plan_body)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.agencies import AgencyRegistry
from knowledge.document import TextLine
from knowledge.plan_body import read_plan_facts
from knowledge.plan_parser import parse_plan_source
from knowledge.records import Plan, YearRange

TABLE = """
| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện |
|---|---|---|---|---|
| 1 | Rà soát hợp tác xã | Sở Tài chính | Sở Nội vụ | Hằng năm |
| 2 | Tập huấn cán bộ | Sở Nội vụ | | Quý III/2026 |
"""

PLAN = (
    """ỦY BAN NHÂN DÂN
THÀNH PHỐ HẢI PHÒNG

Số: 120/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Độc lập - Tự do - Hạnh phúc

Hải Phòng, ngày 05 tháng 01 năm 2026

**KẾ HOẠCH**

**Hỗ trợ phát triển hợp tác xã**

**năm 2026**

Căn cứ Luật Hợp tác xã năm 2023; thực hiện Kế hoạch số 35/KH-UBND ngày 12/3/2025 của Ủy ban nhân dân thành phố.

**I. MỤC ĐÍCH, YÊU CẦU**

1. Nâng cao hiệu quả hoạt động của hợp tác xã.

**II. NỘI DUNG**

1. Các nhiệm vụ cụ thể tại Phụ lục kèm theo.

2. Chế độ báo cáo: các Sở, ngành và UBND các quận, huyện báo cáo kết quả về Sở Tài chính trước ngày 15/12 hằng năm.

**III. TỔ CHỨC THỰC HIỆN**

1. Sở Tài chính tổng hợp, báo cáo Ủy ban nhân dân thành phố trước ngày 25 tháng 12 hằng năm.

2. Kế hoạch này thay thế Kế hoạch số 35/KH-UBND ngày 12/3/2025 của Ủy ban nhân dân thành phố.

Nơi nhận:
- Như trên;

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

(Đã ký)

LÊ VĂN AN

PHỤ LỤC
"""
    + TABLE
)


def parse(text: str, registry: AgencyRegistry, name: str = "kh-120.md") -> Plan:
    return parse_plan_source(text.encode(), name=name, registry=registry).plan


def test_facts_of_a_plan_laid_out_unlike_the_seed(registry: AgencyRegistry) -> None:
    plan = parse(PLAN, registry)
    assert plan.number == "120/KH-UBND"
    assert plan.issued_on == date(2026, 1, 5)
    assert plan.issuer == "Ủy ban nhân dân thành phố Hải Phòng"  # from the capitals of the header, on two lines
    assert plan.title == "Hỗ trợ phát triển hợp tác xã năm 2026"  # continued over two bold lines
    assert plan.period == YearRange(start=2026, end=2026)
    assert (plan.signer, plan.signer_title) == ("Lê Văn An", "Chủ tịch")
    assert plan.replaces == "35/KH-UBND"


def test_reporting_duties_outside_the_implementation_section(registry: AgencyRegistry) -> None:
    plan = parse(PLAN, registry)
    assert [(d.label, d.reporters, d.receiver, d.frequency, d.day, d.month) for d in plan.reporting_duties] == [
        ("II.2", (), "Sở Tài chính", "yearly", 15, 12),
        ("III.1", ("Sở Tài chính",), "Ủy ban nhân dân thành phố", "yearly", 25, 12),
    ]
    assert plan.reporting_date is not None and (plan.reporting_date.day, plan.reporting_date.month) == (15, 12)
    assert plan.reporting_date.label == "II.2"
    assert plan.city_reporting_date is not None and (plan.city_reporting_date.day, plan.city_reporting_date.month) == (
        25,
        12,
    )
    yearly = next(t for t in plan.tasks if t.code == "1")
    assert [d.due for d in yearly.schedule.deadlines] == [date(2026, 12, 15)]  # the schedule uses the duty's date
    assert "II.2" in yearly.schedule.deadlines[0].reason


def test_absent_facts_stay_empty(registry: AgencyRegistry) -> None:
    bare = "Kế hoạch số 7/KH-UBND\n\n## Phụ lục\n" + TABLE
    plan = parse(bare, registry)
    assert plan.number == "7/KH-UBND"
    assert (plan.issuer, plan.signer, plan.signer_title, plan.replaces) == ("", "", "", "")
    assert plan.period is None and plan.issued_on is None
    assert plan.reporting_duties == () and plan.reporting_date is None and plan.city_reporting_date is None


@pytest.mark.parametrize(
    ("header", "issuer"),
    [
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "Ủy ban nhân dân thành phố Hải Phòng"),
        ("UỶ BAN NHÂN DÂN\nTỈNH QUẢNG NINH", "Ủy ban nhân dân tỉnh Quảng Ninh"),
        ("UBND THÀNH PHỐ HẢI PHÒNG Số: 9/KH-UBND", "Ủy ban nhân dân thành phố Hải Phòng"),
    ],
)
def test_issuer_from_a_header_in_capitals(header: str, issuer: str, registry: AgencyRegistry) -> None:
    text = f"{header}\n\nSố: 9/KH-UBND\n\nKẾ HOẠCH\n\nTriển khai công tác năm 2026\n\nPHỤ LỤC\n" + TABLE
    assert parse(text, registry).issuer == issuer


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("Phát triển du lịch giai đoạn 2026 - 2030", YearRange(start=2026, end=2030)),
        ("Chuyển đổi số năm 2026 - 2027", YearRange(start=2026, end=2027)),
        ("Cải cách hành chính năm 2026", YearRange(start=2026, end=2026)),
        ("Triển khai Luật Hợp tác xã năm 2012", None),  # a law's year, not the plan's
        ("Phát triển nông nghiệp đến năm 2030", YearRange(start=2026, end=2030)),
    ],
)
def test_period_from_the_title(title: str, period: YearRange | None, registry: AgencyRegistry) -> None:
    text = f"Số: 9/KH-UBND\n\nHải Phòng, ngày 2 tháng 2 năm 2026\n\n## KẾ HOẠCH\n\n{title}\n\n## PHỤ LỤC\n" + TABLE
    assert parse(text, registry).period == period


def test_title_on_the_kế_hoạch_line(registry: AgencyRegistry) -> None:
    text = "Số: 9/KH-UBND\n\n## KẾ HOẠCH PHÁT TRIỂN DU LỊCH CỘNG ĐỒNG\n\nCăn cứ Luật Du lịch.\n\n## PHỤ LỤC\n" + TABLE
    assert parse(text, registry).title == "Phát triển du lịch cộng đồng"  # capitals cased; "Luật Du lịch" no name


def test_a_title_in_capitals_is_cased_as_the_body_writes_its_words(registry: AgencyRegistry) -> None:
    text = (
        "Số: 9/KH-UBND\n\n## KẾ HOẠCH\n\nTHỰC HIỆN NGHỊ QUYẾT SỐ 12-NQ/TU CỦA BAN THƯỜNG VỤ THÀNH ỦY HẢI PHÒNG\n\n"
        "Thực hiện Nghị quyết số 12-NQ/TU của Ban Thường vụ Thành ủy, UBND thành phố Hải Phòng ban hành …\n\n"
        "## PHỤ LỤC\n" + TABLE
    )
    assert parse(text, registry).title == "Thực hiện Nghị quyết số 12-NQ/TU của Ban Thường vụ Thành ủy Hải Phòng"


@pytest.mark.parametrize(
    ("header", "issuer"),
    [
        ("UBND THÀNH PHỐ HẢI PHÒNG\nSỞ TÀI CHÍNH", "Sở Tài chính"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG SỞ CÔNG THƯƠNG ------- Số: 9/KH-SCT", "Sở Công Thương"),
        ("UBND TỈNH THỪA THIÊN HUẾ", "Ủy ban nhân dân tỉnh Thừa Thiên Huế"),
    ],
)
def test_issuer_of_a_department_plan_is_the_department(header: str, issuer: str, registry: AgencyRegistry) -> None:
    text = f"{header}\n\nSố: 9/KH-UBND\n\nKẾ HOẠCH\n\nTriển khai công tác năm 2026\n\nPHỤ LỤC\n" + TABLE
    assert parse(text, registry).issuer == issuer


@pytest.mark.parametrize(
    ("sentence", "replaces"),
    [
        ("Kế hoạch này thay thế Kế hoạch số 214/KH-UBND ngày 18/8/2023.", "214/KH-UBND"),
        ("Kế hoạch này thay thế các Kế hoạch số 12/KH-UBND và số 15/KH-UBND năm 2024.", "12/KH-UBND, 15/KH-UBND"),
        ("Kế hoạch số 35/KH-UBND ngày 12/3/2025 hết hiệu lực kể từ ngày ký.", "35/KH-UBND"),
        ("Thay thế thiết bị cũ tại các hợp tác xã.", ""),
        ("Kế hoạch số 9/KH-UBND này thay thế Kế hoạch số 4/KH-UBND.", "4/KH-UBND"),
    ],
)
def test_plans_it_replaces(sentence: str, replaces: str, registry: AgencyRegistry) -> None:
    text = f"Số: 9/KH-UBND\n\nKẾ HOẠCH\n\nTriển khai công tác năm 2026\n\n{sentence}\n\nPHỤ LỤC\n" + TABLE
    plan = parse(text, registry)
    assert plan.replaces == replaces
    assert plan.replaces_text == (sentence.strip(" ./") if replaces else "")


def test_targets_in_plain_text_with_numbered_sub_headings(registry: AgencyRegistry) -> None:
    text = "\n".join(
        [
            "Số: 9/KH-UBND",
            "KẾ HOẠCH",
            "Chuyển đổi số năm 2026",
            "II. MỤC TIÊU",
            "1. Mục tiêu chung",
            "Nâng cao năng lực số của hợp tác xã.",
            "2. Chỉ tiêu đến hết năm 2026",
            "- 50% hợp tác xã dùng hóa đơn điện tử.",
            "- Đến Quý III/2026, 100% cán bộ được tập huấn.",
            "3. Nhiệm vụ và giải pháp",
            "- Các nhiệm vụ cụ thể tại Phụ lục.",
            "PHỤ LỤC",
        ]
    )
    plan = parse(text + "\n" + TABLE, registry)
    assert [(o.label, o.target_date) for o in plan.objectives] == [
        ("MT.1", None),
        ("MT.2.1", date(2026, 12, 31)),  # the heading's year
        ("MT.2.2", date(2026, 9, 30)),  # its own date wins
    ]


BODY_WORDS = [
    "ỦY BAN NHÂN DÂN", "THÀNH PHỐ HẢI PHÒNG", "KẾ HOẠCH", "II. MỤC TIÊU", "IV. TỔ CHỨC THỰC HIỆN", "1.", "- ",
    "báo cáo", "về Sở Tài chính", "trước ngày 15/12", "và 15/6", "hằng năm", "định kỳ 6 tháng", "(", ")", ";",
    "Các Sở, ngành", "thay thế Kế hoạch số 3/KH-UBND", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn An", "năm 2026",
]  # fmt: skip


@given(st.lists(st.lists(st.sampled_from(BODY_WORDS), max_size=8).map(" ".join), max_size=15))
def test_facts_of_any_body_never_crash(lines: list[str]) -> None:
    registry = AgencyRegistry.bundled()
    blocks = [TextLine(where=f"line {i}", text=t) for i, t in enumerate(["Số: 9/KH-UBND", *lines]) if t.strip()]
    facts = read_plan_facts(blocks, registry=registry, source="x.md")
    assert facts.number == "9/KH-UBND"
    for duty in facts.reporting_duties:
        assert duty.frequency in ("yearly", "half-yearly", "quarterly", "monthly", "once", "unknown")
        assert all(1 <= m <= 12 for m in duty.months)
    if facts.reporting_date is not None:
        assert any(d.day == facts.reporting_date.day for d in facts.reporting_duties)


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        (  # numbered paragraphs: one passage each
            "**III. KINH PHÍ THỰC HIỆN**\n\n1. Từ ngân sách thành phố.\n\n2. Lồng ghép các chương trình.\n\n",
            [("KP.1", "III.1", "Từ ngân sách thành phố."), ("KP.2", "III.2", "Lồng ghép các chương trình.")],
        ),
        (  # a plain paragraph: one passage
            "**III. NGUỒN KINH PHÍ**\n\nNgân sách nhà nước và các nguồn hợp pháp khác.\n\n",
            [("KP.1", "III.1", "Ngân sách nhà nước và các nguồn hợp pháp khác.")],
        ),
    ],
)
def test_the_funding_section_is_read_as_passages(
    section: str, expected: list[tuple[str, str, str]], registry: AgencyRegistry
) -> None:
    text = PLAN.replace("**III. TỔ CHỨC THỰC HIỆN**", section + "**IV. TỔ CHỨC THỰC HIỆN**")
    plan = parse(text, registry)
    funding = [(d.code, d.label, d.text) for d in plan.duties if d.funding]
    assert funding == expected
    assert all(d.section == "Kinh phí thực hiện" for d in plan.duties if d.funding)
    assert [d.label for d in plan.duties if not d.funding] == ["IV.1", "IV.2"]  # the duties are still theirs
