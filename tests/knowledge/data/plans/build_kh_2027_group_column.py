#!/usr/bin/env python3
"""Build the test fixture kh-2027-group-column.docx and its answer key.

A Word rendering of a (fictitious) Hải Phòng plan 12/KH-UBND of 15/01/2027 on
environmental protection and sorting household solid waste at source in 2027.
Its appendix has a layout the other fixtures do not have: the GROUP is a COLUMN,
not a row.

* Seven columns: STT | Lĩnh vực | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp |
  Thời gian hoàn thành | Ghi chú; a repeated header row and no column-number row.
* No group rows at all: the "Lĩnh vực" cell of each of the five groups is merged
  DOWN (w:vMerge) over the 4-6 tasks of that group; STT runs 1 ... 23 through the
  whole table (ids "1" ... "23").
* Lead cells holding two agencies on two lines of one paragraph (a w:br line break:
  tasks 4, 7, 18); coordinator cells joined by commas, or one agency per line
  (w:br line breaks: tasks 2, 7; one paragraph per agency, each beginning "- ":
  task 10; one paragraph per agency without a dash: task 20).
* "Ghi chú" mostly empty, "Nhiệm vụ chuyển tiếp" in three rows (4, 12, 19).

The document also has two borderless layout tables (the national-motto header and the
"Nơi nhận" / signature block), as Word plans do, and prose sections I - III whose
numbered items in III are not tasks.

Usage:  python build_kh_2027_group_column.py [OUTPUT_DIR]
Needs python-docx. Output is byte-for-byte deterministic.
"""

import datetime
import json
import os
import re
import sys
import unicodedata

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt
from docx_fixture import (
    cell_text,
    city_header,
    city_signature,
    deterministic_save,
    landscape_section,
    last_day,
    new_document,
    para,
    plan_opening,
    repeat_header,
    set_run_font,
    set_widths,
    split_cell,
)

STEM = "kh-2027-group-column"
NUMBER = "12/KH-UBND"
ISSUED = datetime.date(2027, 1, 15)
WHEN = (2027, 1, 15, 8, 0, 0)
TITLE = "Bảo vệ môi trường và phân loại chất thải rắn sinh hoạt tại nguồn trên địa bàn thành phố Hải Phòng năm 2027"
SIGNER = "Phạm Thanh Tùng"
SIGNER_TITLE = "Phó Chủ tịch"
PERIOD = (2027, 2027)

# ---------------------------------------------------------------------------
# Appendix data.
#   lead:  a string (one agency) or a tuple of strings (one agency per line, joined
#          by a w:br line break inside one paragraph)
#   coord: a string (comma-separated), or ("br", [...]) one agency per line (w:br),
#          or ("para", [...]) one paragraph per agency
#   (content, lead, coord, time, remark)
# ---------------------------------------------------------------------------
GROUPS = [
    (
        "Tuyên truyền, nâng cao nhận thức",
        [
            (
                "Xây dựng và phát hành bộ tài liệu hướng dẫn phân loại chất thải rắn sinh hoạt tại nguồn (tờ rơi, áp phích, video clip) cho hộ gia đình, cơ quan, trường học.",
                "Sở NN&MT",
                "Sở VHTTDL, Đài PT-TH Hải Phòng, Báo Hải Phòng",
                "Quý I/2027",
                "",
            ),
            (
                "Tổ chức tuyên truyền trên báo chí, hệ thống thông tin cơ sở và mạng xã hội về phân loại chất thải rắn sinh hoạt tại nguồn và Luật Bảo vệ môi trường năm 2020.",
                "Sở Văn hóa, Thể thao và Du lịch",
                ("br", ["Đài PT-TH Hải Phòng", "Báo Hải Phòng", "UBND các xã, phường, đặc khu"]),
                "Thường xuyên",
                "",
            ),
            (
                "Đưa nội dung giáo dục bảo vệ môi trường, phân loại rác tại nguồn vào hoạt động ngoại khóa; phát động phong trào “Trường học xanh - sạch - không rác thải nhựa”.",
                "Sở GD&ĐT",
                "Thành đoàn Hải Phòng, UBND các xã, phường, đặc khu",
                "Quý I và Quý III/2027",
                "",
            ),
            (
                "Vận động hội viên, đoàn viên và nhân dân tham gia phân loại rác tại nguồn; nhân rộng mô hình “Khu dân cư không rác thải nhựa”, “Chi hội phụ nữ phân loại rác tại nguồn”.",
                ("Ủy ban MTTQ Việt Nam thành phố", "Hội LHPN thành phố"),
                "Thành đoàn Hải Phòng, Sở NN&MT, UBND các xã, phường, đặc khu",
                "Năm 2027",
                "Nhiệm vụ chuyển tiếp",
            ),
        ],
    ),
    (
        "Phân loại, thu gom, vận chuyển chất thải rắn sinh hoạt",
        [
            (
                "Ban hành hướng dẫn kỹ thuật phân loại chất thải rắn sinh hoạt thành ba nhóm (chất thải có khả năng tái sử dụng, tái chế; chất thải thực phẩm; chất thải rắn sinh hoạt khác) áp dụng trên địa bàn thành phố.",
                "Sở Nông nghiệp và Môi trường",
                "Sở Xây dựng, Sở Y tế, UBND các xã, phường, đặc khu",
                "Quý I/2027",
                "",
            ),
            (
                "Triển khai phân loại chất thải rắn sinh hoạt tại nguồn đối với hộ gia đình, cá nhân; bố trí điểm tập kết, thiết bị lưu chứa theo từng loại chất thải tại các khu dân cư.",
                "UBND các xã, phường, đặc khu",
                "Sở NN&MT, Ủy ban MTTQ Việt Nam thành phố",
                "6 tháng đầu năm 2027",
                "",
            ),
            (
                "Rà soát, điều chỉnh lộ trình, tần suất thu gom, vận chuyển chất thải rắn sinh hoạt đã phân loại; không để chất thải đã phân loại bị gộp lại trong quá trình thu gom, vận chuyển.",
                ("Sở NN&MT", "UBND các xã, phường, đặc khu"),
                ("br", ["Sở Xây dựng", "Công ty TNHH MTV Môi trường đô thị Hải Phòng"]),
                "Quý II/2027",
                "",
            ),
            (
                "Xây dựng, trình ban hành đơn giá dịch vụ thu gom, vận chuyển, xử lý chất thải rắn sinh hoạt; đề xuất giá dịch vụ tính theo khối lượng hoặc thể tích chất thải đã phân loại.",
                "Sở Tài chính",
                "Sở NN&MT, Sở Xây dựng, UBND các xã, phường, đặc khu",
                "Tháng 9/2027",
                "",
            ),
            (
                "Hướng dẫn các cơ sở khám bệnh, chữa bệnh phân loại, thu gom riêng chất thải y tế và chất thải rắn sinh hoạt phát sinh tại cơ sở.",
                "Sở Y tế",
                "Sở NN&MT",
                "Thường xuyên",
                "",
            ),
            (
                "Hướng dẫn các chợ, trung tâm thương mại, siêu thị bố trí thiết bị phân loại rác và thu gom riêng chất thải thực phẩm.",
                "Sở Công Thương",
                ("para", ["- Sở NN&MT;", "- UBND các xã, phường, đặc khu."]),
                "Hằng quý",
                "",
            ),
        ],
    ),
    (
        "Xử lý chất thải và hạ tầng kỹ thuật",
        [
            (
                "Đôn đốc tiến độ đầu tư các nhà máy xử lý chất thải rắn sinh hoạt phát điện; đóng cửa, cải tạo, phục hồi môi trường các bãi chôn lấp không hợp vệ sinh.",
                "Sở NN&MT",
                "Sở Xây dựng, Sở Tài chính, BQL KKT",
                "Trước ngày 15/6 và 15/12/2027",
                "",
            ),
            (
                "Rà soát quy hoạch, bố trí quỹ đất cho các điểm trung chuyển chất thải rắn và cơ sở xử lý chất thải thực phẩm thành phân compost tại các xã.",
                "Sở Xây dựng",
                "Sở NN&MT, UBND các xã, phường, đặc khu",
                "Tháng 9/2027",
                "Nhiệm vụ chuyển tiếp",
            ),
            (
                "Tham mưu bố trí kinh phí sự nghiệp bảo vệ môi trường cho công tác phân loại, thu gom, xử lý chất thải rắn sinh hoạt; hướng dẫn sử dụng kinh phí đúng quy định.",
                "Sở Tài chính",
                "Sở NN&MT, UBND các xã, phường, đặc khu",
                "Năm 2027",
                "",
            ),
            (
                "Kiểm tra việc vận hành hệ thống xử lý nước thải, khí thải tại các khu công nghiệp, khu kinh tế; yêu cầu doanh nghiệp phân loại, chuyển giao chất thải rắn công nghiệp thông thường đúng quy định.",
                "Ban Quản lý Khu kinh tế Hải Phòng",
                "Sở NN&MT, Công an TP",
                "Quý IV/2027",
                "",
            ),
        ],
    ),
    (
        "Giảm thiểu chất thải nhựa, kinh tế tuần hoàn",
        [
            (
                "Vận động siêu thị, cửa hàng tiện lợi, chợ truyền thống giảm sử dụng túi ni lông khó phân hủy và sản phẩm nhựa dùng một lần.",
                "Sở Công Thương",
                "Hội LHPN thành phố, Ủy ban MTTQ Việt Nam thành phố, UBND các xã, phường, đặc khu",
                "Năm 2027",
                "",
            ),
            (
                "Hỗ trợ doanh nghiệp, hợp tác xã ứng dụng công nghệ tái chế chất thải, sản xuất phân bón hữu cơ từ chất thải thực phẩm và phụ phẩm nông nghiệp.",
                "Sở KH&CN",
                "Sở NN&MT, Sở Công Thương",
                "6 tháng đầu năm 2027",
                "",
            ),
            (
                "Thực hiện không sử dụng sản phẩm nhựa dùng một lần tại trụ sở cơ quan hành chính nhà nước, đơn vị sự nghiệp công lập; đưa kết quả thực hiện vào tiêu chí đánh giá thi đua, khen thưởng.",
                "Sở Nội vụ",
                "Các sở, ban, ngành, UBND các xã, phường, đặc khu",
                "Năm 2027",
                "",
            ),
            (
                "Xây dựng mô hình du lịch xanh, không rác thải nhựa tại đặc khu Cát Hải và các khu, điểm du lịch trên địa bàn thành phố.",
                ("Sở VHTTDL", "UBND đặc khu Cát Hải"),
                "Sở NN&MT, BĐBP thành phố",
                "Quý II/2027",
                "",
            ),
        ],
    ),
    (
        "Kiểm tra, giám sát và chuyển đổi số",
        [
            (
                "Xây dựng cơ sở dữ liệu về chất thải rắn sinh hoạt; triển khai chức năng phản ánh hiện trường về vứt rác, đổ thải trái phép trên ứng dụng nền tảng số của thành phố.",
                "Sở KH&CN",
                "Sở NN&MT, UBND các xã, phường, đặc khu",
                "Tháng 10/2027",
                "Nhiệm vụ chuyển tiếp",
            ),
            (
                "Phát hiện, xử lý hành vi vi phạm về phân loại, thu gom, vận chuyển chất thải rắn sinh hoạt và đổ thải trái phép ra môi trường.",
                "Công an thành phố",
                ("para", ["Sở NN&MT", "UBND các xã, phường, đặc khu"]),
                "Thường xuyên",
                "",
            ),
            (
                "Thanh tra, kiểm tra việc chấp hành pháp luật về bảo vệ môi trường đối với chủ nguồn thải lớn, cơ sở thu gom, tái chế phế liệu.",
                "Sở NN&MT",
                "Công an TP, Sở Công Thương",
                "Quý I và Quý III/2027",
                "",
            ),
            (
                "Đánh giá kết quả phân loại chất thải rắn sinh hoạt tại nguồn năm 2027; đề xuất khen thưởng tập thể, cá nhân có thành tích tiêu biểu.",
                "Sở Nông nghiệp và Môi trường",
                "Sở Nội vụ, UBND các xã, phường, đặc khu",
                "Tháng 12/2027",
                "",
            ),
            (
                "Giám sát việc thực hiện phân loại rác tại nguồn ở khu dân cư; tiếp nhận, tổng hợp ý kiến, kiến nghị của nhân dân gửi cơ quan có thẩm quyền.",
                "Ủy ban MTTQ Việt Nam thành phố",
                "Hội LHPN thành phố, Thành đoàn Hải Phòng",
                "Hằng quý",
                "",
            ),
        ],
    ),
]

# Abbreviations as the office writes them -> full names (for the answer key).
EXPAND = {
    "Sở NN&MT": "Sở Nông nghiệp và Môi trường",
    "Sở KH&CN": "Sở Khoa học và Công nghệ",
    "Sở VHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "Sở GD&ĐT": "Sở Giáo dục và Đào tạo",
    "Công an TP": "Công an thành phố",
    "Hội LHPN thành phố": "Hội Liên hiệp Phụ nữ thành phố",
    "BQL KKT": "Ban Quản lý Khu kinh tế Hải Phòng",
    "BĐBP thành phố": "Bộ Chỉ huy Bộ đội Biên phòng thành phố",
    "Đài PT-TH Hải Phòng": "Đài Phát thanh và Truyền hình Hải Phòng",
    "Ủy ban MTTQ Việt Nam thành phố": "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố",
}
# Names that contain commas and must not be split.
WHOLE_NAMES = [
    "UBND các xã, phường, đặc khu",
    "Các sở, ban, ngành",
    "Sở Văn hóa, Thể thao và Du lịch",
]

# ---------------------------------------------------------------------------
# Body text
# ---------------------------------------------------------------------------
LEGAL_BASIS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Luật Bảo vệ môi trường ngày 17 tháng 11 năm 2020;",
    "Căn cứ Nghị định số 08/2022/NĐ-CP ngày 10 tháng 01 năm 2022 của Chính phủ quy định chi tiết một số điều của Luật Bảo vệ môi trường;",
    "Theo đề nghị của Sở Nông nghiệp và Môi trường tại Tờ trình số 05/TTr-SNNMT ngày 06 tháng 01 năm 2027.",
]

INTRO = (
    "Ủy ban nhân dân thành phố ban hành Kế hoạch bảo vệ môi trường và phân loại chất thải rắn sinh hoạt "
    "tại nguồn trên địa bàn thành phố Hải Phòng năm 2027 như sau:"
)

# ("h1" | "h2" | "p" | "b", text)
BODY = [
    ("h1", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("h2", "1. Mục đích"),
    (
        "b",
        "Triển khai đồng bộ việc phân loại chất thải rắn sinh hoạt tại nguồn trên toàn thành phố theo quy định của Luật Bảo vệ môi trường năm 2020; giảm khối lượng chất thải phải chôn lấp, tăng tỷ lệ tái sử dụng, tái chế.",
    ),
    (
        "b",
        "Nâng cao nhận thức, trách nhiệm của cơ quan, tổ chức, cộng đồng dân cư và hộ gia đình trong bảo vệ môi trường, xây dựng thành phố xanh, sạch, đẹp.",
    ),
    ("h2", "2. Yêu cầu"),
    (
        "b",
        "Xác định rõ nhiệm vụ, cơ quan chủ trì, cơ quan phối hợp và thời gian hoàn thành; bảo đảm sự phối hợp chặt chẽ giữa các sở, ban, ngành và Ủy ban nhân dân các xã, phường, đặc khu.",
    ),
    (
        "b",
        "Việc phân loại, thu gom, vận chuyển và xử lý chất thải phải đồng bộ, không để chất thải đã phân loại bị gộp lại khi thu gom.",
    ),
    ("h1", "II. MỤC TIÊU"),
    ("p", "Đến hết năm 2027, phấn đấu đạt các chỉ tiêu sau:"),
    ("b", "100% xã, phường, đặc khu triển khai phân loại chất thải rắn sinh hoạt tại nguồn."),
    (
        "b",
        "Tỷ lệ chất thải rắn sinh hoạt đô thị được thu gom, xử lý đạt 98%; tỷ lệ chất thải rắn sinh hoạt nông thôn được thu gom, xử lý đạt 85%.",
    ),
    ("b", "Tỷ lệ chất thải rắn sinh hoạt xử lý bằng hình thức chôn lấp trực tiếp giảm xuống dưới 30%."),
    (
        "b",
        "100% cơ quan hành chính nhà nước, đơn vị sự nghiệp công lập không sử dụng sản phẩm nhựa dùng một lần; 100% chợ, siêu thị, trung tâm thương mại bố trí thiết bị phân loại rác.",
    ),
    ("h1", "III. TỔ CHỨC THỰC HIỆN"),
    (
        "p",
        "1. Sở Nông nghiệp và Môi trường là cơ quan thường trực, chủ trì theo dõi, hướng dẫn, đôn đốc các cơ quan, đơn vị triển khai Kế hoạch; tổ chức đánh giá kết quả thực hiện.",
    ),
    (
        "p",
        "2. Sở Tài chính chủ trì, tham mưu bố trí kinh phí thực hiện Kế hoạch từ nguồn chi sự nghiệp bảo vệ môi trường và các nguồn hợp pháp khác theo phân cấp ngân sách hiện hành.",
    ),
    (
        "p",
        "3. Các sở, ban, ngành và Ủy ban nhân dân các xã, phường, đặc khu theo chức năng, nhiệm vụ chủ động xây dựng kế hoạch, tổ chức thực hiện các nhiệm vụ được giao tại Phụ lục kèm theo Kế hoạch này.",
    ),
    (
        "p",
        "4. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các tổ chức chính trị - xã hội tăng cường tuyên truyền, vận động hội viên, đoàn viên và nhân dân tham gia phân loại chất thải rắn sinh hoạt tại nguồn.",
    ),
    (
        "p",
        "5. Chế độ báo cáo: Các sở, ban, ngành, Ủy ban nhân dân các xã, phường, đặc khu báo cáo kết quả thực hiện định kỳ hằng quý, gửi về Sở Nông nghiệp và Môi trường trước ngày 20 của tháng cuối quý. Sở Nông nghiệp và Môi trường tổng hợp, báo cáo Ủy ban nhân dân thành phố kết quả thực hiện Kế hoạch năm 2027 trước ngày 15/12/2027.",
    ),
    (
        "p",
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời phản ánh về Sở Nông nghiệp và Môi trường để tổng hợp, báo cáo Ủy ban nhân dân thành phố xem xét, điều chỉnh./.",
    ),
]

RECIPIENTS = [
    "Bộ Nông nghiệp và Môi trường;",
    "TT Thành ủy, TT HĐND thành phố;",
    "CT, các PCT UBND thành phố;",
    "Ủy ban MTTQ Việt Nam thành phố;",
    "Các sở, ban, ngành thành phố;",
    "UBND các xã, phường, đặc khu;",
    "Báo Hải Phòng, Đài PT-TH Hải Phòng;",
    "CVP, các PCVP UBND thành phố;",
    "Lưu: VT, MT.",
]

# ---------------------------------------------------------------------------
# Deadlines and agency lists for the answer key
# ---------------------------------------------------------------------------
Q_END = {"I": 3, "II": 6, "III": 9, "IV": 12}


def deadlines(text):
    if text == "Thường xuyên":
        return []
    if text == "Hằng quý":  # every quarter of the plan's year, at the quarter's end
        return [last_day(y, m) for y in range(PERIOD[0], PERIOD[1] + 1) for m in (3, 6, 9, 12)]
    m = re.fullmatch(r"Quý (I|II|III|IV)/(\d{4})", text)
    if m:
        return [last_day(int(m[2]), Q_END[m[1]])]
    m = re.fullmatch(r"Quý (I|II|III|IV) và Quý (I|II|III|IV)/(\d{4})", text)
    if m:
        return [last_day(int(m[3]), Q_END[m[1]]), last_day(int(m[3]), Q_END[m[2]])]
    m = re.fullmatch(r"6 tháng đầu năm (\d{4})", text)
    if m:
        return [last_day(int(m[1]), 6)]
    m = re.fullmatch(r"Trước ngày (\d+)/(\d+) và (\d+)/(\d+)/(\d{4})", text)
    if m:
        y = int(m[5])
        return [f"{y:04d}-{int(m[2]):02d}-{int(m[1]):02d}", f"{y:04d}-{int(m[4]):02d}-{int(m[3]):02d}"]
    m = re.fullmatch(r"Tháng (\d+)/(\d{4})", text)
    if m:
        return [last_day(int(m[2]), int(m[1]))]
    m = re.fullmatch(r"Năm (\d{4})", text)
    if m:
        return [last_day(int(m[1]), 12)]
    raise ValueError(text)


def agencies_of(spec):
    """The agencies of a lead or coordinator cell as the key names them."""
    if isinstance(spec, tuple) and spec and spec[0] in ("br", "para"):
        lines = spec[1]
    elif isinstance(spec, tuple):
        lines = list(spec)
    else:
        return split_cell(spec, WHOLE_NAMES, EXPAND)
    out = []
    for line in lines:
        line = line.strip().lstrip("-").strip().rstrip(";.").strip()
        out.extend(split_cell(line, WHOLE_NAMES, EXPAND))
    return out


# ---------------------------------------------------------------------------
# Document
# ---------------------------------------------------------------------------
def cell_lines(cell, lines, mode, size=12, align=WD_ALIGN_PARAGRAPH.LEFT):
    """Fill a cell with several lines: "br" = one paragraph, lines joined by w:br (Shift+Enter);
    "para" = one paragraph per line (Enter)."""
    if mode == "br":
        cell_text(cell, lines[0], size=size, align=align)
        p = cell.paragraphs[0]
        for line in lines[1:]:
            p.runs[-1].add_break(WD_BREAK.LINE)
            set_run_font(p.add_run(line), size)
        return
    cell_text(cell, lines[0], size=size, align=align)
    for line in lines[1:]:
        p = cell.add_paragraph()
        p.alignment = align
        p.paragraph_format.space_after = Pt(2)
        p.paragraph_format.space_before = Pt(2)
        set_run_font(p.add_run(line), size)


def fill_agency_cell(cell, spec, align):
    if isinstance(spec, tuple) and spec and spec[0] in ("br", "para"):
        cell_lines(cell, spec[1], spec[0], align=align)
    elif isinstance(spec, tuple):
        cell_lines(cell, list(spec), "br", align=align)
    else:
        cell_text(cell, spec, align=align)


def build_document():
    doc = new_document(
        author="UBND thành phố Hải Phòng",
        modified_by="VP UBND TP",
        title="Kế hoạch " + NUMBER,
        when=WHEN,
    )

    city_header(
        doc,
        number=NUMBER,
        date_line=f"Hải Phòng, ngày {ISSUED.day:02d} tháng {ISSUED.month:02d} năm {ISSUED.year}",
        borderless=True,
    )
    plan_opening(doc, title=TITLE, legal_basis=LEGAL_BASIS, intro=INTRO, body=BODY)
    city_signature(doc, recipients=RECIPIENTS, signer=SIGNER, borderless=True)
    landscape_section(doc)
    para(doc, "PHỤ LỤC", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    para(
        doc,
        "DANH MỤC NHIỆM VỤ BẢO VỆ MÔI TRƯỜNG VÀ PHÂN LOẠI CHẤT THẢI RẮN SINH HOẠT TẠI NGUỒN NĂM 2027",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    para(
        doc,
        f"(Kèm theo Kế hoạch số {NUMBER} ngày {ISSUED.day:02d}/{ISSUED.month:02d}/{ISSUED.year} "
        "của Ủy ban nhân dân thành phố Hải Phòng)",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
    )

    headers = [
        "STT",
        "Lĩnh vực",
        "Nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian hoàn thành",
        "Ghi chú",
    ]
    n_rows = 1 + sum(len(items) for _, items in GROUPS)
    table = doc.add_table(rows=n_rows, cols=7)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        cell_text(table.cell(0, i), h, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat_header(table.rows[0])

    r = 1
    stt = 0
    center = WD_ALIGN_PARAGRAPH.CENTER
    for gtitle, items in GROUPS:
        top = r
        for content, lead, coord, when, remark in items:
            stt += 1
            cell_text(table.cell(r, 0), str(stt), align=center)
            cell_text(table.cell(r, 2), content, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            fill_agency_cell(table.cell(r, 3), lead, center)
            fill_agency_cell(table.cell(r, 4), coord, WD_ALIGN_PARAGRAPH.LEFT)
            cell_text(table.cell(r, 5), when, align=center)
            cell_text(table.cell(r, 6), remark, size=11, italic=bool(remark), align=center)
            r += 1
        merged = table.cell(top, 1).merge(table.cell(r - 1, 1))  # w:vMerge over the group's tasks
        cell_text(merged, gtitle, size=12, bold=True, align=center)
        merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    set_widths(table, [Cm(1.1), Cm(3.0), Cm(8.6), Cm(3.4), Cm(4.4), Cm(2.8), Cm(2.2)])
    return doc


def build_key():
    tasks = []
    stt = 0
    for gtitle, items in GROUPS:
        for content, lead, coord, when, remark in items:
            stt += 1
            tasks.append(
                {
                    "id": str(stt),
                    "section_title": gtitle,
                    "content_start": content[:40],
                    "lead": agencies_of(lead),
                    "coordinators": agencies_of(coord),
                    "time_text": when,
                    "deadlines": deadlines(when),
                    "remark": remark or None,
                }
            )
    return {
        "number": NUMBER,
        "issued_on": ISSUED.isoformat(),
        "title": TITLE,
        "signer": SIGNER,
        "signer_title": SIGNER_TITLE,
        "period": list(PERIOD),
        "replaces": None,
        "targets_by": "2027-12-31",
        "reporting": [
            {
                "reporters": "Các sở, ban, ngành, Ủy ban nhân dân các xã, phường, đặc khu",
                "receiver": "Sở Nông nghiệp và Môi trường",
                "frequency": "quarterly",
                "day": 20,
                "month": None,
                "months": [3, 6, 9, 12],
                "where": "III",
            },
            {
                "reporters": "Sở Nông nghiệp và Môi trường",
                "receiver": "Ủy ban nhân dân thành phố",
                "frequency": "once",
                "day": 15,
                "month": 12,
                "year": 2027,
                "where": "III",
            },
        ],
        "notes": [
            "The appendix has no group rows: 'Lĩnh vực' is the second column, one cell merged down (w:vMerge) "
            "over each group's tasks; section_title is that cell's text.",
            "'Hằng quý' is due at the end of each quarter of 2027 (31/3, 30/6, 30/9, 31/12), as 'Định kỳ hằng quý' "
            "in 38/KH-UBND; 'Quý I và Quý III/2027' is due on 31/3/2027 and 30/9/2027.",
            "No task is 'Hằng năm'; the yearly sum-up before 15/12/2027 is dated with its year, so it is read as "
            "made once.",
            "Numbered items 1-5 of section III are prose, not tasks.",
        ],
        "tasks": tasks,
    }


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out_dir, exist_ok=True)
    for gtitle, items in GROUPS:
        assert unicodedata.is_normalized("NFC", gtitle), gtitle
        for row in items:
            for s in row:
                flat = s if isinstance(s, str) else json.dumps(s, ensure_ascii=False)
                assert unicodedata.is_normalized("NFC", flat), flat
    doc = build_document()
    deterministic_save(doc, os.path.join(out_dir, STEM + ".docx"), WHEN)
    key = json.dumps(build_key(), ensure_ascii=False, indent=2) + "\n"
    assert unicodedata.is_normalized("NFC", key)
    with open(os.path.join(out_dir, STEM + ".key.json"), "w", encoding="utf-8") as f:
        f.write(key)
    print("wrote", os.path.join(out_dir, STEM + ".docx"))


if __name__ == "__main__":
    main()
