"""Small plans in other shapes, parsed with the real parser, for multi-plan tests of the answering pipeline.

- 12/KH-UBND (2026-2027): a 2026 plan grouped by topic, with its own lead column and today's agency names.
- 88/KH-UBND (2024-2025): plain numbering (ids 1..n), no section rows; its reporting duty stands in section II.
"""

from __future__ import annotations

from knowledge.agencies import AgencyRegistry
from knowledge.plan_parser import parse_plan_source
from knowledge.records import Plan


def _markdown(body: list[str], header: list[str], rows: list[list[str]]) -> str:
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n\n".join(body) + "\n\n" + "\n".join(table) + "\n"


DIGITAL_2026 = _markdown(
    [
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
        "Số: 12/KH-UBND",
        "Hải Phòng, ngày 10 tháng 3 năm 2026",
        "## KẾ HOẠCH",
        "Chuyển đổi số trong khu vực kinh tế tập thể giai đoạn 2026 - 2027",
        "### IV. TỔ CHỨC THỰC HIỆN",
        "1. Các Sở, ngành và UBND các quận, huyện báo cáo kết quả thực hiện, "
        "gửi về Sở Tài chính trước ngày 20 tháng 12 hằng năm.",
        "2. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Văn Minh",
        "## PHỤ LỤC",
    ],
    ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành"],
    [
        ["I", "**Hạ tầng và dữ liệu**", "", "", "", ""],
        ["1", "Xây dựng cơ sở dữ liệu hợp tác xã dùng chung", "Sở Khoa học và Công nghệ", "Sở Tài chính",
         "Cơ sở dữ liệu", "Quý IV năm 2026"],
        ["2", "Hỗ trợ hợp tác xã bán hàng trên sàn thương mại điện tử", "Sở Công Thương", "Liên minh HTX",
         "Gian hàng", "Tháng 12/2026"],
        ["II", "**Nguồn lực**", "", "", "", ""],
        ["1", "Bố trí kinh phí hỗ trợ chuyển đổi số cho hợp tác xã", "Sở Tài chính", "Sở Khoa học và Công nghệ",
         "Dự toán", "Hằng năm"],
        ["2", "Đào tạo kỹ năng số cho cán bộ quản lý hợp tác xã", "Liên minh HTX", "Sở Khoa học và Công nghệ",
         "Lớp tập huấn", "Năm 2026 - 2027"],
    ],
)  # fmt: skip

PLAIN_2024 = _markdown(
    [
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
        "Số: 88/KH-UBND",
        "Hải Phòng, ngày 5 tháng 2 năm 2024",
        "## KẾ HOẠCH",
        "Phát triển làng nghề giai đoạn 2024 - 2025",
        "### II. TỔ CHỨC THỰC HIỆN",
        "1. Các cơ quan được giao nhiệm vụ báo cáo kết quả gửi về Sở Công Thương trước ngày 15 tháng 11 hằng năm.",
        "## PHỤ LỤC",
    ],
    ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"],
    [
        ["1", "Đào tạo nghề cho lao động làng nghề", "Sở Lao động - Thương binh và Xã hội", "Liên minh HTX",
         "Năm 2024 - 2025"],
        ["2", "Xử lý ô nhiễm môi trường làng nghề", "Sở Tài nguyên và Môi trường", "Sở Công Thương", "Năm 2025"],
        ["3", "Quảng bá sản phẩm làng nghề", "Sở Công Thương", "Sở Tài chính", "Hằng năm"],
    ],
)  # fmt: skip


def digital_2026(registry: AgencyRegistry) -> Plan:
    return parse_plan_source(DIGITAL_2026.encode(), name="kh-12-2026.md", registry=registry).plan


def plain_2024(registry: AgencyRegistry) -> Plan:
    return parse_plan_source(PLAIN_2024.encode(), name="kh-88-2024.md", registry=registry).plan
