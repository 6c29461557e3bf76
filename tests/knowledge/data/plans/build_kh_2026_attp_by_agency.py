#!/usr/bin/env python3
"""Build the test fixture kh-2026-attp-by-agency.docx and its answer key.

A Word rendering of a (fictitious) Hải Phòng plan 205/KH-UBND of 14/8/2026 on food
safety, 2026 - 2028. Its appendix "PHỤ LỤC: PHÂN CÔNG NHIỆM VỤ …" is laid out in the
seed plan's style (435/KH-UBND), not with a lead column:

* columns STT | Nội dung nhiệm vụ | Cơ quan phối hợp | Thời gian thực hiện | Kết quả, sản phẩm;
* section rows carry a Roman numeral in STT and the LEAD AGENCY's name in capitals in the
  content cell ("SỞ Y TẾ", "CÔNG AN THÀNH PHỐ", "UBND CÁC XÃ, PHƯỜNG, ĐẶC KHU" …), the
  other cells empty; tasks are numbered 1, 2 … again in each section (ids "I.1", "II.3");
* one section row names two agencies that lead its tasks jointly ("SỞ Y TẾ, SỞ CÔNG THƯƠNG");
* section V is missing (VI follows IV), as happens in real documents;
* one coordinator cell is empty (II.4); some cells use abbreviations ("Sở NN&MT",
  "Sở KH&CN", "Công an TP", "Sở VHTTDL", "Đài PT-TH Hải Phòng").

The body has a borderless two-column header table, sections I - IV (the heading
"IV. TỔ CHỤC THỰC HIỆN" keeps the typo of the original), a reporting duty in prose in
section IV, and the recipients / signature block in a borderless table.

Usage:  python build_kh_2026_attp_by_agency.py [OUTPUT_DIR]
Needs python-docx. Output is byte-for-byte deterministic.
"""

import datetime
import json
import os
import re
import sys
import unicodedata

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
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
    set_widths,
    split_cell,
)

STEM = "kh-2026-attp-by-agency"
NUMBER = "205/KH-UBND"
ISSUED = datetime.date(2026, 8, 14)
TITLE = "Bảo đảm an toàn thực phẩm trên địa bàn thành phố Hải Phòng giai đoạn 2026 - 2028"
SIGNER = "Trịnh Thị Hương Giang"
PERIOD = (2026, 2028)
FONT = "Times New Roman"
# The plan's yearly reporting date: the agencies' yearly report to Sở Y tế ("báo cáo năm trước ngày 10/12 hằng
# năm"), what "Hằng năm" tasks fall due on (plans/README.md and the product README, "Importing a plan"). Written first
# as Sở Y tế's report to the city (20/12); changed by the main session to the agencies' report, as in 435/KH-UBND.
YEARLY_DAY, YEARLY_MONTH = 10, 12

# ---------------------------------------------------------------------------
# Appendix: (roman numeral, section heading as printed, leads, tasks)
# task = (content, coordinators cell, time cell, product cell)
# ---------------------------------------------------------------------------
SECTIONS = [
    (
        "I",
        "SỞ Y TẾ",
        ["Sở Y tế"],
        [
            (
                "Tham mưu Ủy ban nhân dân thành phố kiện toàn Ban Chỉ đạo liên ngành về an toàn thực phẩm thành phố; xây dựng Quy chế phối hợp liên ngành trong quản lý an toàn thực phẩm sau sắp xếp đơn vị hành chính.",
                "Sở NN&MT, Sở Công Thương, Công an TP",
                "Quý IV/2026",
                "Quyết định kiện toàn Ban Chỉ đạo; Quy chế phối hợp",
            ),
            (
                "Giám sát, phòng chống ngộ độc thực phẩm và bệnh truyền qua thực phẩm; tổ chức điều tra nguyên nhân, xử lý kịp thời các vụ ngộ độc thực phẩm xảy ra trên địa bàn.",
                "UBND các xã, phường, đặc khu",
                "Thường xuyên",
                "Báo cáo giám sát; hồ sơ điều tra ngộ độc",
            ),
            (
                "Thẩm định, cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất thực phẩm bảo vệ sức khỏe, nước uống đóng chai, nước đá dùng liền; hậu kiểm các sản phẩm tự công bố.",
                "Sở KH&CN, Công an TP",
                "Hằng năm",
                "Giấy chứng nhận; kết luận hậu kiểm",
            ),
            (
                "Đầu tư nâng cấp phòng kiểm nghiệm của Trung tâm Kiểm soát bệnh tật thành phố đạt chuẩn ISO/IEC 17025 đối với các chỉ tiêu kiểm nghiệm thực phẩm, vi sinh và hóa lý.",
                "Sở Tài chính, Sở KH&CN",
                "Trước ngày 30/6/2027",
                "Phòng kiểm nghiệm được công nhận ISO/IEC 17025",
            ),
            (
                "Chủ trì tổ chức Tháng hành động vì an toàn thực phẩm; tuyên truyền, phổ biến kiến thức an toàn thực phẩm cho người sản xuất, kinh doanh và người tiêu dùng trên báo, đài và mạng xã hội.",
                "Sở VHTTDL, Ủy ban MTTQ Việt Nam thành phố, Báo Hải Phòng, Đài PT-TH Hải Phòng",
                "Hằng năm",
                "Kế hoạch và báo cáo kết quả Tháng hành động",
            ),
        ],
    ),
    (
        "II",
        "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        ["Sở Nông nghiệp và Môi trường"],
        [
            (
                "Giám sát dư lượng thuốc bảo vệ thực vật, thuốc thú y, kháng sinh và chất cấm trong sản phẩm nông, lâm, thủy sản tại vùng sản xuất, cơ sở giết mổ và chợ đầu mối.",
                "UBND các xã, phường, đặc khu",
                "Định kỳ 6 tháng",
                "Báo cáo kết quả giám sát",
            ),
            (
                "Xây dựng, nhân rộng chuỗi cung ứng thực phẩm nông, lâm, thủy sản an toàn; cấp mã số vùng trồng, vùng nuôi; hỗ trợ cơ sở áp dụng truy xuất nguồn gốc bằng tem mã QR.",
                "Sở KH&CN, Sở Công Thương",
                "Năm 2026 - 2028",
                "Số chuỗi cung ứng được xác nhận; mã số vùng trồng",
            ),
            (
                "Rà soát, sắp xếp lại các cơ sở giết mổ gia súc, gia cầm tập trung; xử lý dứt điểm các điểm giết mổ nhỏ lẻ không bảo đảm vệ sinh thú y trong khu dân cư.",
                "UBND các xã, phường, đặc khu, Sở Xây dựng",
                "Năm 2027",
                "Danh mục cơ sở giết mổ tập trung được phê duyệt",
            ),
            (
                "Kiểm soát chất lượng nước dùng cho sản xuất, chế biến thực phẩm; kiểm tra việc thu gom, xử lý nước thải, chất thải tại các cơ sở chế biến nông, thủy sản.",
                "",
                "Hằng năm",
                "Báo cáo kiểm tra",
            ),
        ],
    ),
    (
        "III",
        "SỞ CÔNG THƯƠNG",
        ["Sở Công Thương"],
        [
            (
                "Kiểm tra an toàn thực phẩm tại chợ đầu mối, siêu thị, trung tâm thương mại và cửa hàng tiện lợi; chống buôn bán hàng giả, hàng kém chất lượng, thực phẩm không rõ nguồn gốc xuất xứ.",
                "Công an TP, Sở Y tế",
                "Hằng năm",
                "Kết luận kiểm tra",
            ),
            (
                "Quản lý an toàn thực phẩm trong kinh doanh thực phẩm trên sàn thương mại điện tử và mạng xã hội; hướng dẫn người bán hàng trực tuyến công khai thông tin, nguồn gốc sản phẩm.",
                "Sở KH&CN, Công an TP",
                "Quý I/2027",
                "Văn bản hướng dẫn; danh sách gian hàng được kiểm tra",
            ),
            (
                "Xây dựng mô hình chợ kinh doanh thực phẩm an toàn; phấn đấu mỗi xã, phường, đặc khu có ít nhất 01 chợ đạt chuẩn.",
                "Sở NN&MT, UBND các xã, phường, đặc khu",
                "Năm 2026 - 2028",
                "Chợ đạt chuẩn an toàn thực phẩm",
            ),
        ],
    ),
    (
        "IV",
        "SỞ Y TẾ, SỞ CÔNG THƯƠNG",
        ["Sở Y tế", "Sở Công Thương"],
        [
            (
                "Thành lập các đoàn kiểm tra liên ngành về an toàn thực phẩm trước, trong và sau Tết Nguyên đán; tập trung vào bánh kẹo, mứt, rượu, thịt và sản phẩm từ thịt.",
                "Sở NN&MT, Công an TP, UBND các xã, phường, đặc khu",
                "Tháng Tết Nguyên đán hằng năm",
                "Báo cáo kết quả kiểm tra liên ngành",
            ),
            (
                "Xây dựng cơ sở dữ liệu dùng chung về an toàn thực phẩm, kết nối thông tin cơ sở sản xuất, kinh doanh thực phẩm giữa các ngành y tế, nông nghiệp và công thương.",
                "Sở KH&CN, Sở Tài chính",
                "Quý II/2028",
                "Cơ sở dữ liệu dùng chung được vận hành",
            ),
        ],
    ),
    # Section V is missing in the document: VI follows IV.
    (
        "VI",
        "CÔNG AN THÀNH PHỐ",
        ["Công an thành phố"],
        [
            (
                "Điều tra, phát hiện, đấu tranh với tội phạm và vi phạm pháp luật về an toàn thực phẩm; ngăn chặn việc vận chuyển, buôn bán gia súc, gia cầm, thực phẩm nhập lậu không rõ nguồn gốc qua địa bàn thành phố.",
                "Sở NN&MT, Sở Công Thương, Sở Y tế",
                "Thường xuyên",
                "Số vụ việc phát hiện, xử lý",
            ),
            (
                "Bảo đảm an toàn thực phẩm phục vụ các sự kiện chính trị, hội nghị quốc tế và lễ hội lớn tổ chức trên địa bàn thành phố.",
                "Sở Y tế, Sở VHTTDL",
                "Hằng năm",
                "Báo cáo bảo đảm an toàn thực phẩm sự kiện",
            ),
        ],
    ),
    (
        "VII",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        ["Sở Giáo dục và Đào tạo"],
        [
            (
                "Bảo đảm an toàn thực phẩm tại bếp ăn bán trú, căng tin trong các cơ sở giáo dục; kiểm tra hợp đồng, nguồn gốc thực phẩm của đơn vị cung cấp suất ăn cho học sinh.",
                "Sở Y tế, UBND các xã, phường, đặc khu",
                "Định kỳ 6 tháng",
                "Báo cáo kiểm tra bếp ăn trường học",
            ),
            (
                "Lồng ghép nội dung giáo dục dinh dưỡng và an toàn thực phẩm vào hoạt động ngoại khóa cho học sinh các cấp học.",
                "Sở Y tế",
                "Tháng 12/2026",
                "Tài liệu hướng dẫn hoạt động ngoại khóa",
            ),
        ],
    ),
    (
        "VIII",
        "UBND CÁC XÃ, PHƯỜNG, ĐẶC KHU",
        ["UBND các xã, phường, đặc khu"],
        [
            (
                "Quản lý an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh nhỏ lẻ, thức ăn đường phố và bếp ăn tập thể thuộc thẩm quyền; tổ chức ký cam kết bảo đảm an toàn thực phẩm.",
                "Sở Y tế, Sở NN&MT, Sở Công Thương",
                "Thường xuyên",
                "Bản cam kết; báo cáo kiểm tra",
            ),
            (
                "Thành lập, kiện toàn Ban Chỉ đạo an toàn thực phẩm cấp xã; bố trí công chức phụ trách công tác an toàn thực phẩm.",
                "Sở Y tế, Sở Nội vụ",
                "Quý IV/2026",
                "Quyết định thành lập, kiện toàn",
            ),
            (
                "Kiểm tra dịch vụ ăn uống tại các khu, điểm du lịch và bãi tắm (Đồ Sơn, Cát Bà) trong mùa du lịch.",
                "Sở VHTTDL, Công an TP",
                "Hằng năm",
                "Báo cáo kết quả kiểm tra",
            ),
            (
                "Thống kê, lập danh sách cơ sở sản xuất, kinh doanh thực phẩm trên địa bàn; cập nhật vào cơ sở dữ liệu an toàn thực phẩm của thành phố.",
                "Sở Y tế, Sở NN&MT, Sở Công Thương",
                "Quý I/2027",
                "Danh sách cơ sở được cập nhật",
            ),
        ],
    ),
    (
        "IX",
        "ỦY BAN MTTQ VIỆT NAM THÀNH PHỐ",
        ["Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"],
        [
            (
                "Chủ trì giám sát việc thực hiện chính sách, pháp luật về an toàn thực phẩm; vận động xây dựng mô hình khu dân cư bảo đảm an toàn thực phẩm.",
                "Hội Nông dân thành phố, Hội LHPN thành phố",
                "Năm 2026 - 2028",
                "Báo cáo kết quả giám sát",
            ),
            (
                "Vận động người tiêu dùng lựa chọn thực phẩm an toàn; tiếp nhận, phản ánh kiến nghị và tố giác của nhân dân về vi phạm an toàn thực phẩm tới cơ quan chức năng.",
                "Các cơ quan báo chí thành phố, UBND các xã, phường, đặc khu",
                "Hằng năm",
                "Báo cáo kết quả vận động",
            ),
        ],
    ),
]

# Abbreviations as the office writes them -> full names (for the answer key).
EXPAND = {
    "Sở NN&MT": "Sở Nông nghiệp và Môi trường",
    "Sở KH&CN": "Sở Khoa học và Công nghệ",
    "Sở VHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "Công an TP": "Công an thành phố",
    "Ủy ban MTTQ Việt Nam thành phố": "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố",
    "Đài PT-TH Hải Phòng": "Đài Phát thanh và Truyền hình Hải Phòng",
    "Hội LHPN thành phố": "Hội Liên hiệp Phụ nữ thành phố",
}
# Names that contain commas and must not be split.
WHOLE_NAMES = ["UBND các xã, phường, đặc khu"]

NOTES = {
    "Tháng Tết Nguyên đán hằng năm": (
        "Tết Nguyên đán follows the lunar calendar and no day is stated; the project's conventions cannot date "
        "the phrase, so the key gives no deadline."
    ),
    "Định kỳ 6 tháng": (
        "By the convention 'Định kỳ 6 tháng' -> 30/6 and 31/12 of every year of the period; 30/6/2026 comes "
        "before the plan was issued (14/8/2026) and is kept only because the convention says so."
    ),
}

# ---------------------------------------------------------------------------
# Body text
# ---------------------------------------------------------------------------
LEGAL_BASIS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Luật An toàn thực phẩm ngày 17 tháng 6 năm 2010;",
    "Căn cứ Nghị định số 15/2018/NĐ-CP ngày 02 tháng 02 năm 2018 của Chính phủ quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm;",
    "Theo đề nghị của Sở Y tế tại Tờ trình số 96/TTr-SYT ngày 04 tháng 8 năm 2026.",
]

INTRO = (
    "Ủy ban nhân dân thành phố ban hành Kế hoạch bảo đảm an toàn thực phẩm trên địa bàn thành phố "
    "Hải Phòng giai đoạn 2026 - 2028 như sau:"
)

# ("h1" | "h2" | "p" | "b", text)
BODY = [
    ("h1", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("h2", "1. Mục đích"),
    (
        "b",
        "Nâng cao hiệu lực, hiệu quả quản lý nhà nước về an toàn thực phẩm trên địa bàn thành phố sau sắp xếp đơn vị hành chính và tổ chức chính quyền địa phương hai cấp; bảo vệ sức khỏe, quyền lợi của người tiêu dùng.",
    ),
    (
        "b",
        "Nâng cao nhận thức, trách nhiệm của người sản xuất, kinh doanh và người tiêu dùng; ngăn chặn, đẩy lùi tình trạng sản xuất, kinh doanh thực phẩm không bảo đảm an toàn.",
    ),
    ("h2", "2. Yêu cầu"),
    (
        "b",
        "Phân công cụ thể nhiệm vụ, thời gian thực hiện và trách nhiệm của các cơ quan, đơn vị; bảo đảm sự phối hợp chặt chẽ giữa các sở, ban, ngành và Ủy ban nhân dân các xã, phường, đặc khu.",
    ),
    (
        "b",
        "Đến năm 2028, phấn đấu đạt các chỉ tiêu sau: 100% cơ sở sản xuất, kinh doanh thực phẩm thuộc diện phải cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm được cấp Giấy chứng nhận; tỷ lệ mẫu thực phẩm giám sát đạt yêu cầu từ 95% trở lên; 100% bếp ăn tập thể trong các cơ sở giáo dục được kiểm tra ít nhất 01 lần/năm.",
    ),
    (
        "b",
        "Đến năm 2028, không để xảy ra vụ ngộ độc thực phẩm cấp tính từ 30 người mắc trở lên; số vụ ngộ độc thực phẩm giảm 10% so với giai đoạn 2023 - 2025; 90% người tiêu dùng được tiếp cận thông tin về an toàn thực phẩm.",
    ),
    ("h1", "II. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU"),
    (
        "p",
        "1. Tăng cường sự lãnh đạo, chỉ đạo của cấp ủy, chính quyền các cấp; kiện toàn hệ thống tổ chức quản lý an toàn thực phẩm từ thành phố đến xã, phường, đặc khu sau sắp xếp.",
    ),
    (
        "p",
        "2. Đẩy mạnh thông tin, truyền thông về an toàn thực phẩm; biểu dương tổ chức, cá nhân sản xuất, kinh doanh thực phẩm an toàn; công khai cơ sở vi phạm trên phương tiện thông tin đại chúng.",
    ),
    (
        "p",
        "3. Tăng cường thanh tra, kiểm tra, hậu kiểm và xử lý nghiêm vi phạm; chú trọng các thời điểm nguy cơ cao như Tết Nguyên đán, mùa lễ hội, mùa du lịch.",
    ),
    (
        "p",
        "4. Phát triển chuỗi cung ứng thực phẩm an toàn, chợ an toàn thực phẩm; ứng dụng công nghệ thông tin, truy xuất nguồn gốc và cơ sở dữ liệu dùng chung trong quản lý an toàn thực phẩm.",
    ),
    (
        "p",
        "5. Nâng cao năng lực kiểm nghiệm, giám sát ngộ độc thực phẩm; bảo đảm an toàn thực phẩm tại bếp ăn tập thể, trường học và các sự kiện lớn của thành phố.",
    ),
    (
        "p",
        "Nhiệm vụ cụ thể của các cơ quan, đơn vị được phân công tại Phụ lục kèm theo Kế hoạch này.",
    ),
    ("h1", "III. KINH PHÍ"),
    (
        "p",
        "Kinh phí thực hiện Kế hoạch được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành và các nguồn kinh phí hợp pháp khác. Các cơ quan, đơn vị được giao nhiệm vụ lập dự toán cùng thời điểm xây dựng dự toán ngân sách hằng năm, gửi Sở Tài chính tổng hợp, trình cấp có thẩm quyền bố trí.",
    ),
    ("h1", "IV. TỔ CHỤC THỰC HIỆN"),
    (
        "p",
        "1. Sở Y tế là cơ quan thường trực Ban Chỉ đạo liên ngành về an toàn thực phẩm thành phố, chủ trì theo dõi, hướng dẫn, đôn đốc các cơ quan, đơn vị triển khai Kế hoạch; tổ chức sơ kết giữa kỳ vào năm 2027 và tổng kết vào năm 2028.",
    ),
    (
        "p",
        "2. Sở Nông nghiệp và Môi trường, Sở Công Thương thực hiện quản lý an toàn thực phẩm theo lĩnh vực được phân công tại Nghị định số 15/2018/NĐ-CP; phối hợp với Sở Y tế tổ chức các đoàn kiểm tra liên ngành.",
    ),
    (
        "p",
        "3. Sở Tài chính tham mưu Ủy ban nhân dân thành phố bố trí kinh phí thực hiện Kế hoạch theo khả năng cân đối ngân sách.",
    ),
    (
        "p",
        "4. Ủy ban nhân dân các xã, phường, đặc khu xây dựng kế hoạch bảo đảm an toàn thực phẩm trên địa bàn; chịu trách nhiệm trước Ủy ban nhân dân thành phố nếu để xảy ra ngộ độc thực phẩm đông người do buông lỏng quản lý.",
    ),
    (
        "p",
        "5. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các tổ chức chính trị - xã hội phối hợp tuyên truyền, vận động và giám sát việc thực hiện Kế hoạch.",
    ),
    (
        "p",
        "6. Chế độ báo cáo: Các sở, ban, ngành, Ủy ban nhân dân các xã, phường, đặc khu được giao nhiệm vụ tại Phụ lục định kỳ 6 tháng báo cáo kết quả thực hiện về Sở Y tế (báo cáo 6 tháng trước ngày 10/6, báo cáo năm trước ngày 10/12 hằng năm). Sở Y tế tổng hợp, báo cáo Ủy ban nhân dân thành phố trước ngày 20/12 hằng năm.",
    ),
    (
        "p",
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời phản ánh về Sở Y tế để tổng hợp, báo cáo Ủy ban nhân dân thành phố xem xét, chỉ đạo./.",
    ),
]

RECIPIENTS = [
    "Bộ Y tế;",
    "Cục An toàn thực phẩm;",
    "TT Thành ủy, TT HĐND thành phố;",
    "CT, các PCT UBND thành phố;",
    "Ủy ban MTTQ Việt Nam thành phố;",
    "Các sở, ban, ngành thành phố;",
    "UBND các xã, phường, đặc khu;",
    "CVP, các PCVP UBND thành phố;",
    "Lưu: VT, VX.",
]


# ---------------------------------------------------------------------------
# Deadlines and agency lists for the answer key
# ---------------------------------------------------------------------------


def deadlines(text):
    start, end = PERIOD
    years = range(start, end + 1)
    q = {"I": 3, "II": 6, "III": 9, "IV": 12}
    if text in ("Thường xuyên", "Tháng Tết Nguyên đán hằng năm"):
        return []
    if text == "Hằng năm":
        return [f"{y:04d}-{YEARLY_MONTH:02d}-{YEARLY_DAY:02d}" for y in years]
    if text == "Định kỳ 6 tháng":
        return [last_day(y, m) for y in years for m in (6, 12)]
    m = re.fullmatch(r"Trước ngày (\d+)/(\d+)/(\d{4})", text)
    if m:
        return [f"{int(m[3]):04d}-{int(m[2]):02d}-{int(m[1]):02d}"]
    m = re.fullmatch(r"Quý (I|II|III|IV)/(\d{4})", text)
    if m:
        return [last_day(int(m[2]), q[m[1]])]
    m = re.fullmatch(r"Tháng (\d+)/(\d{4})", text)
    if m:
        return [last_day(int(m[2]), int(m[1]))]
    m = re.fullmatch(r"Năm (\d{4})", text)
    if m:
        return [last_day(int(m[1]), 12)]
    m = re.fullmatch(r"Năm (\d{4}) - (\d{4})", text)
    if m:  # a span of years: due at the end of each year
        return [last_day(y, 12) for y in range(int(m[1]), int(m[2]) + 1)]
    raise ValueError(text)


def agencies(cell):
    return split_cell(cell, WHOLE_NAMES, EXPAND)


# ---------------------------------------------------------------------------
# Document
# ---------------------------------------------------------------------------
def build_document():
    doc = new_document(
        author="UBND thành phố Hải Phòng",
        modified_by="VP UBND TP",
        title="Kế hoạch " + NUMBER,
        when=(2026, 8, 14, 8, 0, 0),
    )

    city_header(
        doc,
        number=NUMBER,
        date_line=f"Hải Phòng, ngày {ISSUED.day} tháng {ISSUED.month} năm {ISSUED.year}",
        borderless=False,
    )
    plan_opening(doc, title=TITLE, legal_basis=LEGAL_BASIS, intro=INTRO, body=BODY)
    city_signature(doc, recipients=RECIPIENTS, signer=SIGNER, borderless=False)
    landscape_section(doc)
    para(
        doc,
        "PHỤ LỤC: PHÂN CÔNG NHIỆM VỤ THỰC HIỆN KẾ HOẠCH BẢO ĐẢM AN TOÀN THỰC PHẨM GIAI ĐOẠN 2026 - 2028",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    para(
        doc,
        f"(Kèm theo Kế hoạch số {NUMBER} ngày {ISSUED.day}/{ISSUED.month}/{ISSUED.year} "
        "của Ủy ban nhân dân thành phố Hải Phòng)",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
    )

    headers = ["STT", "Nội dung nhiệm vụ", "Cơ quan phối hợp", "Thời gian thực hiện", "Kết quả, sản phẩm"]
    n_rows = 1 + sum(1 + len(items) for _, _, _, items in SECTIONS)
    table = doc.add_table(rows=n_rows, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        cell_text(table.cell(0, i), h, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat_header(table.rows[0])

    r = 1
    for roman, heading, _leads, items in SECTIONS:
        cell_text(table.cell(r, 0), roman, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell_text(table.cell(r, 1), heading, bold=True)
        for c in (2, 3, 4):
            cell_text(table.cell(r, c), "")
        r += 1
        for i, (content, coord, when, product) in enumerate(items, 1):
            cell_text(table.cell(r, 0), str(i), align=WD_ALIGN_PARAGRAPH.CENTER)
            cell_text(table.cell(r, 1), content, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            cell_text(table.cell(r, 2), coord)
            cell_text(table.cell(r, 3), when, align=WD_ALIGN_PARAGRAPH.CENTER)
            cell_text(table.cell(r, 4), product)
            r += 1
    set_widths(table, [Cm(1.3), Cm(11.0), Cm(5.2), Cm(3.2), Cm(4.8)])
    return doc


def build_key():
    tasks = []
    for roman, heading, leads, items in SECTIONS:
        for i, (content, coord, when, product) in enumerate(items, 1):
            task = {
                "id": f"{roman}.{i}",
                "section_title": heading,
                "content_start": content[:40],
                "lead": list(leads),
                "coordinators": agencies(coord),
                "time_text": when,
                "deadlines": deadlines(when),
                "product": product,
            }
            if when in NOTES:
                task["note"] = NOTES[when]
            tasks.append(task)
    return {
        "number": NUMBER,
        "issued_on": ISSUED.isoformat(),
        "title": TITLE,
        "signer": SIGNER,
        "period": list(PERIOD),
        "replaces": None,
        "reporting": [
            {
                "reporters": "Các sở, ban, ngành, Ủy ban nhân dân các xã, phường, đặc khu được giao nhiệm vụ tại Phụ lục",
                "receiver": "Sở Y tế",
                "frequency": "half-yearly",
                "day": 10,
                "month": 6,
                "months": [6],
                "where": "IV",
            },
            {
                "reporters": "Các sở, ban, ngành, Ủy ban nhân dân các xã, phường, đặc khu được giao nhiệm vụ tại Phụ lục",
                "receiver": "Sở Y tế",
                "frequency": "yearly",
                "day": 10,
                "month": 12,
                "where": "IV",
            },
            {
                "reporters": "Sở Y tế",
                "receiver": "Ủy ban nhân dân thành phố",
                "frequency": "yearly",
                "day": 20,
                "month": 12,
                "where": "IV",
            },
        ],
        "tasks": tasks,
    }


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out_dir, exist_ok=True)
    for _roman, heading, leads, items in SECTIONS:
        for s in [heading, *leads, *(x for row in items for x in row)]:
            assert unicodedata.is_normalized("NFC", s), s
    doc = build_document()
    deterministic_save(doc, os.path.join(out_dir, STEM + ".docx"), (2026, 8, 14, 8, 0, 0))
    key = json.dumps(build_key(), ensure_ascii=False, indent=2) + "\n"
    assert unicodedata.is_normalized("NFC", key)
    with open(os.path.join(out_dir, STEM + ".key.json"), "w", encoding="utf-8") as f:
        f.write(key)
    print("wrote", os.path.join(out_dir, STEM + ".docx"))


if __name__ == "__main__":
    main()
