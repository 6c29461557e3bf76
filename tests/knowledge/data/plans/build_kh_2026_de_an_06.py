#!/usr/bin/env python3
"""Build the test fixture kh-2026-de-an-06-decimal.docx and its answer key.

A Word rendering of a (fictitious) Hải Phòng plan 142/KH-UBND of 20/5/2026 carrying out
"Đề án 06" (population data, electronic identification and authentication) in 2026. The
layout is the one provincial offices use for such plans:

* the header is a borderless two-column table (issuer and number on the left, national
  motto and place/date on the right); the recipients and the signature are another one;
* the body has prose sections I, II and III; the reporting duties stand in section III
  (monthly to Công an thành phố before the 20th; Công an thành phố to the city before
  25/6/2026 and 10/12/2026);
* the appendix "PHỤ LỤC: PHÂN CÔNG NHIỆM VỤ ..." is a ruled table with the columns
  TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện | Ghi chú.
  Groups are numbered with Arabic numerals ("1" ... "4"): a row whose TT cell holds the
  number and whose Nhiệm vụ cell holds the bold group title, the other cells empty.
  Tasks are numbered decimally under their group ("1.1", "1.2", "2.1" ...; 25 tasks).
  One lead cell is merged down over two tasks (1.2-1.3, w:vMerge), one lead cell names
  two agencies (2.2), one "Ghi chú" cell is merged down over two tasks (2.4-2.5), and
  one coordinator cell is empty (3.3). Some cells use the abbreviations officials write
  ("Công an TP", "Sở KH&CN", "VP UBND TP", "Sở GD&ĐT", "Sở NN&MT", "BHXH thành phố").

Usage:  python build_kh_2026_de_an_06.py [OUTPUT_DIR]
Needs python-docx. The content is fixed; zip timestamps are fixed too, so repeated builds
are byte-identical with the same python-docx version.
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

STEM = "kh-2026-de-an-06-decimal"
NUMBER = "142/KH-UBND"
ISSUED = datetime.date(2026, 5, 20)
TITLE = (
    "Triển khai Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử "
    "(Đề án 06) năm 2026 trên địa bàn thành phố"
)
SIGNER = "Trịnh Quốc Hưng"
PERIOD = (2026, 2026)
FONT = "Times New Roman"

# ---------------------------------------------------------------------------
# Appendix data.  (content, lead, coordinators, time, note)
# A lead of None: the lead cell of the row above is merged down over this row.
# A note of None: the note cell of the row above is merged down over this row.
# ---------------------------------------------------------------------------
GROUPS = [
    (
        "1",
        "HOÀN THIỆN, KẾT NỐI, CHIA SẺ VÀ LÀM SẠCH DỮ LIỆU",
        [
            (
                "Rà soát, cập nhật, điều chỉnh thông tin về nơi cư trú của công dân trong Cơ sở dữ liệu quốc gia về dân cư theo tên đơn vị hành chính cấp xã sau sắp xếp; bảo đảm dữ liệu dân cư “đúng, đủ, sạch, sống”.",
                "Công an thành phố",
                "UBND các xã, phường, đặc khu",
                "Tháng 6/2026",
                "",
            ),
            (
                "Kết nối, đồng bộ Hệ thống thông tin giải quyết thủ tục hành chính thành phố với Cơ sở dữ liệu quốc gia về dân cư qua nền tảng tích hợp, chia sẻ dữ liệu (LGSP) của thành phố.",
                "Sở KH&CN",
                "Công an TP, VP UBND TP",
                "Quý III/2026",
                "",
            ),
            (
                "Xây dựng Kho dữ liệu dùng chung của thành phố; kết nối, chia sẻ dữ liệu với Trung tâm dữ liệu quốc gia và các cơ sở dữ liệu chuyên ngành.",
                None,
                "Các sở, ban, ngành liên quan, Công an thành phố",
                "Trước 15/12/2026",
                "",
            ),
            (
                "Số hóa sổ hộ tịch giấy, làm sạch và chuyển dữ liệu hộ tịch điện tử vào Cơ sở dữ liệu hộ tịch điện tử toàn quốc để đồng bộ với Cơ sở dữ liệu quốc gia về dân cư.",
                "Sở Tư pháp",
                "Công an thành phố, UBND các xã, phường, đặc khu",
                "Trước ngày 30/9/2026",
                "",
            ),
            (
                "Rà soát, làm sạch dữ liệu người tham gia bảo hiểm xã hội, bảo hiểm y tế; đồng bộ số định danh cá nhân với sổ bảo hiểm xã hội và thẻ bảo hiểm y tế.",
                "Bảo hiểm xã hội thành phố",
                "Công an TP, Sở Y tế",
                "Quý III/2026",
                "",
            ),
            (
                "Cập nhật, làm sạch cơ sở dữ liệu ngành giáo dục (học sinh, giáo viên) gắn với số định danh cá nhân; xác thực thông tin với Cơ sở dữ liệu quốc gia về dân cư.",
                "Sở GD&ĐT",
                "Công an thành phố, UBND các xã, phường, đặc khu",
                "Tháng 8/2026",
                "",
            ),
            (
                "Xây dựng, cập nhật cơ sở dữ liệu đất đai của thành phố; kết nối, xác thực thông tin người sử dụng đất với Cơ sở dữ liệu quốc gia về dân cư.",
                "Sở NN&MT",
                "Công an thành phố, Sở Tài chính, UBND các xã, phường, đặc khu",
                "Năm 2026",
                "",
            ),
        ],
    ),
    (
        "2",
        "PHỤC VỤ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH VÀ CUNG CẤP DỊCH VỤ CÔNG TRỰC TUYẾN",
        [
            (
                "Rà soát, tái cấu trúc quy trình, cắt giảm thành phần hồ sơ, giấy tờ của thủ tục hành chính khi thông tin đã được khai thác từ Cơ sở dữ liệu quốc gia về dân cư; không yêu cầu người dân nộp bản sao giấy tờ đã có trong dữ liệu.",
                "Văn phòng UBND thành phố",
                "Các sở, ban, ngành liên quan, UBND các xã, phường, đặc khu",
                "Trước ngày 30/9/2026",
                "",
            ),
            (
                "Tích hợp định danh và xác thực điện tử qua ứng dụng VNeID trên Hệ thống thông tin giải quyết thủ tục hành chính thành phố; bảo đảm 100% tài khoản đăng nhập dịch vụ công trực tuyến được xác thực qua VNeID.",
                "VP UBND TP, Sở KH&CN",
                "Công an thành phố",
                "Tháng 6/2026",
                "",
            ),
            (
                "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tại Bộ phận Một cửa cấp xã; tái sử dụng dữ liệu đã số hóa, không yêu cầu người dân cung cấp lại.",
                "UBND các xã, phường, đặc khu",
                "VP UBND TP, Sở KH&CN",
                "Thường xuyên",
                "",
            ),
            (
                "Thực hiện liên thông điện tử hai nhóm thủ tục hành chính: đăng ký khai sinh - đăng ký thường trú - cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi; đăng ký khai tử - xóa đăng ký thường trú - trợ cấp mai táng phí.",
                "Sở Tư pháp",
                "Công an thành phố, BHXH thành phố, Sở Y tế, UBND các xã, phường, đặc khu",
                "Thường xuyên",
                "Thực hiện theo Nghị định số 63/2024/NĐ-CP ngày 10/6/2024 của Chính phủ",
            ),
            (
                "Cấp giấy chứng sinh, giấy báo tử điện tử tại các cơ sở khám bệnh, chữa bệnh và chia sẻ sang phần mềm đăng ký hộ tịch điện tử.",
                "Sở Y tế",
                "Sở Tư pháp, BHXH thành phố",
                "Quý III/2026",
                None,
            ),
            (
                "Chi trả trợ cấp ưu đãi người có công với cách mạng và các chế độ chính sách qua tài khoản ngân hàng gắn với số định danh cá nhân, không dùng tiền mặt.",
                "Sở Nội vụ",
                "Sở Y tế, Bưu điện thành phố Hải Phòng, UBND các xã, phường, đặc khu",
                "Hằng tháng",
                "",
            ),
        ],
    ),
    (
        "3",
        "PHỤC VỤ PHÁT TRIỂN KINH TẾ - XÃ HỘI VÀ CÔNG DÂN SỐ",
        [
            (
                "Sử dụng thẻ căn cước, tài khoản định danh điện tử VNeID thay thẻ bảo hiểm y tế giấy khi khám bệnh, chữa bệnh; triển khai sổ sức khỏe điện tử trên VNeID cho người dân.",
                "Sở Y tế",
                "BHXH thành phố, Công an thành phố",
                "Năm 2026",
                "",
            ),
            (
                "Tổ chức tuyển sinh đầu cấp (lớp 1, lớp 6, lớp 10) trực tuyến sử dụng dữ liệu dân cư; thu học phí và các khoản thu trong trường học không dùng tiền mặt.",
                "Sở Giáo dục và Đào tạo",
                "Công an thành phố, UBND các xã, phường, đặc khu",
                "Tháng 7/2026",
                "",
            ),
            (
                "Cấp thẻ căn cước, kích hoạt tài khoản định danh điện tử mức độ 2 cho công dân; hướng dẫn người dân sử dụng các tiện ích trên ứng dụng VNeID.",
                "Công an TP",
                "",
                "Thường xuyên",
                "",
            ),
            (
                "Tuyên truyền về Đề án 06, lợi ích của dữ liệu dân cư, định danh và xác thực điện tử trên báo chí, hệ thống thông tin cơ sở và mạng xã hội.",
                "Sở Văn hóa, Thể thao và Du lịch",
                "Công an thành phố, các cơ quan báo chí thành phố, UBND các xã, phường, đặc khu",
                "Thường xuyên",
                "",
            ),
            (
                "Triển khai sử dụng số định danh cá nhân thay cho mã số thuế cá nhân; hướng dẫn hộ, cá nhân kinh doanh sử dụng hóa đơn điện tử khởi tạo từ máy tính tiền.",
                "Thuế thành phố Hải Phòng",
                "Sở Tài chính, Công an thành phố",
                "Quý IV/2026",
                "",
            ),
            (
                "Giải quyết thủ tục đăng ký doanh nghiệp, đăng ký hộ kinh doanh trên môi trường điện tử, khai thác thông tin người thành lập từ Cơ sở dữ liệu quốc gia về dân cư.",
                "Sở Tài chính",
                "Công an thành phố, Thuế TP Hải Phòng",
                "Tháng 10/2026",
                "",
            ),
        ],
    ),
    (
        "4",
        "BẢO ĐẢM HẠ TẦNG, AN NINH, AN TOÀN THÔNG TIN VÀ ĐIỀU KIỆN THỰC HIỆN",
        [
            (
                "Kiểm tra, đánh giá an ninh, an toàn thông tin các hệ thống thông tin kết nối với Cơ sở dữ liệu quốc gia về dân cư; phòng ngừa, xử lý tấn công mạng, lộ lọt dữ liệu cá nhân.",
                "Công an thành phố",
                "Sở KH&CN",
                "Quý IV/2026",
                "",
            ),
            (
                "Đầu tư, nâng cấp trang thiết bị (máy tính, máy quét, đầu đọc thẻ căn cước) và đường truyền cho Bộ phận Một cửa cấp xã.",
                "UBND các xã, phường, đặc khu",
                "Sở KH&CN, Sở Tài chính",
                "Trước 15/12/2026",
                "",
            ),
            (
                "Tham mưu bố trí kinh phí thực hiện Đề án 06 năm 2026 từ ngân sách thành phố; hướng dẫn các cơ quan, đơn vị lập dự toán.",
                "Sở Tài chính",
                "Công an thành phố, Sở KH&CN, VP UBND TP",
                "Tháng 6/2026",
                "",
            ),
            (
                "Đào tạo, bồi dưỡng kỹ năng số, kỹ năng khai thác dữ liệu dân cư cho cán bộ, công chức cấp xã làm việc tại Bộ phận Một cửa.",
                "Sở Nội vụ",
                "Sở KH&CN, Công an thành phố",
                "Quý III/2026",
                "",
            ),
            (
                "Theo dõi, đôn đốc, tổng hợp kết quả thực hiện các nhiệm vụ của Đề án 06 trên địa bàn thành phố; báo cáo Tổ công tác triển khai Đề án 06 của Chính phủ.",
                "Công an thành phố",
                "VP UBND TP, Các sở, ban, ngành liên quan",
                "Hằng tháng",
                "",
            ),
            (
                "Tổ chức tổng kết năm 2026 thực hiện Đề án 06; đề xuất khen thưởng tập thể, cá nhân có thành tích tiêu biểu.",
                "Công an thành phố",
                "Sở Nội vụ, VP UBND TP",
                "Tháng 12/2026",
                "",
            ),
        ],
    ),
]

# Abbreviations as the cells write them -> the agency each one names (for the key).
EXPAND = {
    "Công an TP": "Công an thành phố",
    "VP UBND TP": "Văn phòng UBND thành phố",
    "Sở KH&CN": "Sở Khoa học và Công nghệ",
    "Sở GD&ĐT": "Sở Giáo dục và Đào tạo",
    "Sở NN&MT": "Sở Nông nghiệp và Môi trường",
    "BHXH thành phố": "Bảo hiểm xã hội thành phố",
    "Thuế TP Hải Phòng": "Thuế thành phố Hải Phòng",
}
# Names that contain commas and must not be split.
WHOLE_NAMES = [
    "UBND các xã, phường, đặc khu",
    "Các sở, ban, ngành liên quan",
    "Sở Văn hóa, Thể thao và Du lịch",
]

# ---------------------------------------------------------------------------
# Body text
# ---------------------------------------------------------------------------
LEGAL_BASIS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Luật Căn cước ngày 27 tháng 11 năm 2023;",
    "Căn cứ Quyết định số 06/QĐ-TTg ngày 06 tháng 01 năm 2022 của Thủ tướng Chính phủ phê duyệt Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn 2022 - 2025, tầm nhìn đến năm 2030;",
    "Theo đề nghị của Công an thành phố tại Tờ trình số 215/TTr-CATP ngày 08 tháng 5 năm 2026.",
]

INTRO = (
    "Ủy ban nhân dân thành phố ban hành Kế hoạch triển khai Đề án phát triển ứng dụng dữ liệu về dân cư, "
    "định danh và xác thực điện tử (Đề án 06) năm 2026 trên địa bàn thành phố như sau:"
)

# ("h1" | "h2" | "p" | "b", text)
BODY = [
    ("h1", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("h2", "1. Mục đích"),
    (
        "p",
        "Tiếp tục khai thác, ứng dụng hiệu quả Cơ sở dữ liệu quốc gia về dân cư, hệ thống định danh và xác thực điện tử phục vụ giải quyết thủ tục hành chính, cung cấp dịch vụ công trực tuyến, phát triển kinh tế - xã hội, xây dựng công dân số và hoàn thiện hệ sinh thái phục vụ kết nối, khai thác, bổ sung làm giàu dữ liệu dân cư trên địa bàn thành phố sau sắp xếp đơn vị hành chính.",
    ),
    (
        "p",
        "Nâng cao trách nhiệm của người đứng đầu các cơ quan, đơn vị, địa phương trong triển khai Đề án 06; lấy người dân, doanh nghiệp làm trung tâm, bảo đảm người dân được hưởng lợi từ các tiện ích của dữ liệu dân cư và định danh điện tử.",
    ),
    ("h2", "2. Yêu cầu"),
    (
        "p",
        "Xác định rõ nhiệm vụ, cơ quan chủ trì, cơ quan phối hợp và thời gian thực hiện; các cơ quan, đơn vị chủ động triển khai, bảo đảm tiến độ, chất lượng, hiệu quả; bảo đảm an ninh, an toàn thông tin và bảo vệ dữ liệu cá nhân trong quá trình kết nối, chia sẻ, khai thác dữ liệu.",
    ),
    ("h2", "3. Chỉ tiêu chủ yếu đến hết năm 2026"),
    (
        "b",
        "100% tài khoản đăng nhập Hệ thống thông tin giải quyết thủ tục hành chính thành phố được xác thực qua tài khoản định danh điện tử VNeID;",
    ),
    (
        "b",
        "Phấn đấu 90% công dân từ 14 tuổi trở lên trên địa bàn thành phố được kích hoạt tài khoản định danh điện tử mức độ 2;",
    ),
    ("b", "100% cơ sở khám bệnh, chữa bệnh sử dụng thẻ căn cước hoặc ứng dụng VNeID thay thẻ bảo hiểm y tế giấy;"),
    ("b", "100% hồ sơ thủ tục hành chính tiếp nhận tại Bộ phận Một cửa cấp xã được số hóa theo quy định."),
    ("h1", "II. NHIỆM VỤ, GIẢI PHÁP"),
    (
        "p",
        "1. Tập trung hoàn thiện, kết nối và làm sạch dữ liệu: cập nhật thông tin cư trú của công dân theo đơn vị hành chính mới; đồng bộ dữ liệu dân cư với các cơ sở dữ liệu chuyên ngành về hộ tịch, bảo hiểm, giáo dục, đất đai; xây dựng Kho dữ liệu dùng chung của thành phố.",
    ),
    (
        "p",
        "2. Đẩy mạnh ứng dụng dữ liệu dân cư trong giải quyết thủ tục hành chính: tái cấu trúc quy trình, cắt giảm giấy tờ, tích hợp định danh và xác thực điện tử, số hóa hồ sơ tại Bộ phận Một cửa, thực hiện liên thông điện tử các nhóm thủ tục hành chính.",
    ),
    (
        "p",
        "3. Phục vụ phát triển kinh tế - xã hội và công dân số: ứng dụng căn cước và VNeID trong y tế, giáo dục, thuế, đăng ký kinh doanh, chi trả an sinh xã hội; tuyên truyền, hướng dẫn người dân sử dụng tiện ích số.",
    ),
    (
        "p",
        "4. Bảo đảm hạ tầng, an ninh, an toàn thông tin, kinh phí và nguồn nhân lực thực hiện Đề án.",
    ),
    (
        "p",
        "Nhiệm vụ cụ thể, cơ quan chủ trì, cơ quan phối hợp và thời gian thực hiện tại Phụ lục kèm theo Kế hoạch này.",
    ),
    ("h1", "III. TỔ CHỨC THỰC HIỆN"),
    (
        "p",
        "1. Công an thành phố (Cơ quan thường trực Tổ công tác triển khai Đề án 06 thành phố) chủ trì theo dõi, hướng dẫn, đôn đốc các cơ quan, đơn vị, địa phương thực hiện Kế hoạch; kịp thời tổng hợp khó khăn, vướng mắc, đề xuất Ủy ban nhân dân thành phố chỉ đạo giải quyết.",
    ),
    (
        "p",
        "2. Sở Tài chính tham mưu bố trí kinh phí thực hiện Kế hoạch từ nguồn ngân sách thành phố năm 2026 và các nguồn hợp pháp khác.",
    ),
    (
        "p",
        "3. Các sở, ban, ngành thành phố, Ủy ban nhân dân các xã, phường, đặc khu căn cứ nhiệm vụ được giao tại Phụ lục kèm theo, xây dựng kế hoạch chi tiết và tổ chức triển khai thực hiện; báo cáo kết quả thực hiện hằng tháng về Công an thành phố (qua Tổ công tác Đề án 06 thành phố) trước ngày 20 hằng tháng.",
    ),
    (
        "p",
        "4. Công an thành phố tổng hợp, báo cáo Ủy ban nhân dân thành phố kết quả sơ kết 6 tháng thực hiện Kế hoạch trước ngày 25/6/2026 và kết quả tổng kết năm 2026 trước ngày 10/12/2026.",
    ),
    (
        "p",
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị, địa phương kịp thời phản ánh về Công an thành phố để tổng hợp, báo cáo Ủy ban nhân dân thành phố xem xét, quyết định./.",
    ),
]

RECIPIENTS = [
    "Tổ công tác triển khai Đề án 06 của Chính phủ;",
    "TT Thành ủy, TT HĐND thành phố;",
    "CT, các PCT UBND thành phố;",
    "Các sở, ban, ngành thành phố;",
    "Công an thành phố;",
    "UBND các xã, phường, đặc khu;",
    "Cổng Thông tin điện tử thành phố;",
    "CVP, các PCVP UBND thành phố;",
    "Lưu: VT, NC.",
]


# ---------------------------------------------------------------------------
# Deadlines and agency lists for the answer key
# ---------------------------------------------------------------------------


def deadlines(text):
    start, end = PERIOD
    years = range(start, end + 1)
    q = {"I": 3, "II": 6, "III": 9, "IV": 12}
    if text == "Thường xuyên":
        return []
    if text == "Hằng tháng":  # every month of the plan period, at the month's end
        return [last_day(y, m) for y in years for m in range(1, 13)]
    m = re.fullmatch(r"Quý (I|II|III|IV)/(\d{4})", text)
    if m:
        return [last_day(int(m[2]), q[m[1]])]
    m = re.fullmatch(r"Tháng (\d+)/(\d{4})", text)
    if m:
        return [last_day(int(m[2]), int(m[1]))]
    m = re.fullmatch(r"Trước (?:ngày )?(\d+)/(\d+)/(\d{4})", text)
    if m:
        return [f"{int(m[3]):04d}-{int(m[2]):02d}-{int(m[1]):02d}"]
    m = re.fullmatch(r"Năm (\d{4})", text)
    if m:
        return [last_day(int(m[1]), 12)]
    raise ValueError(text)


def agencies(cell):
    return split_cell(cell, WHOLE_NAMES, EXPAND)


# ---------------------------------------------------------------------------
# Document
# ---------------------------------------------------------------------------
def build_document():
    doc = new_document(
        author="Công an thành phố", modified_by="VP UBND TP", title="Kế hoạch " + NUMBER, when=(2026, 5, 20, 8, 0, 0)
    )

    city_header(
        doc,
        number=NUMBER,
        date_line=f"Hải Phòng, ngày {ISSUED.day} tháng {ISSUED.month} năm {ISSUED.year}",
        borderless=True,
    )
    plan_opening(doc, title=TITLE, legal_basis=LEGAL_BASIS, intro=INTRO, body=BODY)
    city_signature(doc, recipients=RECIPIENTS, signer=SIGNER, borderless=True)
    landscape_section(doc)
    para(
        doc,
        "PHỤ LỤC: PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI ĐỀ ÁN 06 NĂM 2026 TRÊN ĐỊA BÀN THÀNH PHỐ",
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

    headers = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện", "Ghi chú"]
    n_rows = 1 + sum(1 + len(items) for _, _, items in GROUPS)
    table = doc.add_table(rows=n_rows, cols=6)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        cell_text(table.cell(0, i), h, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat_header(table.rows[0])

    r = 1
    for num, gtitle, items in GROUPS:
        cell_text(table.cell(r, 0), num, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell_text(table.cell(r, 1), gtitle, bold=True)
        for c in range(2, 6):
            cell_text(table.cell(r, c), "")
        r += 1
        lead_top = note_top = None
        for i, (content, lead, coord, when, note) in enumerate(items, 1):
            cell_text(table.cell(r, 0), f"{num}.{i}", align=WD_ALIGN_PARAGRAPH.CENTER)
            cell_text(table.cell(r, 1), content, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            cell_text(table.cell(r, 3), coord)
            cell_text(table.cell(r, 4), when, align=WD_ALIGN_PARAGRAPH.CENTER)
            if lead is None:  # continue the lead cell above (w:vMerge)
                m = table.cell(lead_top[0], 2).merge(table.cell(r, 2))
                cell_text(m, lead_top[1], align=WD_ALIGN_PARAGRAPH.CENTER)
            else:
                lead_top = (r, lead)
                cell_text(table.cell(r, 2), lead, align=WD_ALIGN_PARAGRAPH.CENTER)
            if note is None:  # continue the note cell above (w:vMerge)
                m = table.cell(note_top[0], 5).merge(table.cell(r, 5))
                cell_text(m, note_top[1], size=11, italic=True)
            else:
                note_top = (r, note)
                cell_text(table.cell(r, 5), note, size=11, italic=True)
            r += 1
    set_widths(table, [Cm(1.2), Cm(10.0), Cm(3.6), Cm(4.8), Cm(2.8), Cm(3.2)])
    return doc


def build_key():
    tasks = []
    for num, gtitle, items in GROUPS:
        lead = note = None
        for i, (content, lead_cell, coord, when, note_cell) in enumerate(items, 1):
            lead = lead_cell if lead_cell is not None else lead
            note = note_cell if note_cell is not None else note
            tasks.append(
                {
                    "id": f"{num}.{i}",
                    "section_title": gtitle,
                    "content_start": content[:40],
                    "lead": agencies(lead),
                    "coordinators": agencies(coord),
                    "time_text": when,
                    "deadlines": deadlines(when),
                    "note": note or None,
                }
            )
    return {
        "number": NUMBER,
        "issued_on": ISSUED.isoformat(),
        "title": TITLE,
        "signer": SIGNER,
        "period": list(PERIOD),
        "replaces": None,
        "reporting": [
            {
                "reporters": "Các sở, ban, ngành thành phố, Ủy ban nhân dân các xã, phường, đặc khu",
                "receiver": "Công an thành phố",
                "frequency": "monthly",
                "day": 20,
                "month": None,
                "months": list(range(1, 13)),
                "where": "III",
            },
            {
                "reporters": "Công an thành phố",
                "receiver": "Ủy ban nhân dân thành phố",
                "frequency": "once",
                "day": 25,
                "month": 6,
                "where": "III",
            },
            {
                "reporters": "Công an thành phố",
                "receiver": "Ủy ban nhân dân thành phố",
                "frequency": "once",  # "tổng kết năm 2026 trước ngày 10/12/2026": dated with its year, made once
                "day": 10,
                "month": 12,
                "where": "III",
            },
        ],
        "tasks": tasks,
    }


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out_dir, exist_ok=True)
    for _, title, items in GROUPS:
        assert unicodedata.is_normalized("NFC", title), title
        for row in items:
            for s in row:
                assert s is None or unicodedata.is_normalized("NFC", s), s
    for _, text in BODY:
        assert unicodedata.is_normalized("NFC", text), text
    doc = build_document()
    deterministic_save(doc, os.path.join(out_dir, STEM + ".docx"), (2026, 5, 20, 8, 0, 0))
    key = json.dumps(build_key(), ensure_ascii=False, indent=2) + "\n"
    assert unicodedata.is_normalized("NFC", key)
    with open(os.path.join(out_dir, STEM + ".key.json"), "w", encoding="utf-8") as f:
        f.write(key)
    print("wrote", os.path.join(out_dir, STEM + ".docx"))


if __name__ == "__main__":
    main()
