#!/usr/bin/env python3
"""Build the test fixture kh-2026-atgt-one-column.docx and its answer key.

A Word rendering of a (fictitious) Hải Phòng plan 318/KH-UBND of 20/11/2026 on road,
waterway and urban traffic order and safety in 2026 - 2027. What is new in its shape:

* the appendix has ONE agency column ("Cơ quan thực hiện"): the lead comes first and
  the coordinators follow in the same cell, in the words officials use -
  "Sở Xây dựng chủ trì, phối hợp với Công an thành phố, UBND các xã, phường, đặc khu",
  "Công an thành phố chủ trì; Sở Y tế phối hợp", or just "Sở Giáo dục và Đào tạo" when
  no one coordinates; one cell names two leads ("Sở Xây dựng, Công an thành phố chủ trì,
  phối hợp với ...", II.6);
* topic groups are plain rows with a Roman numeral in STT and a bold title in the content
  cell (the other cells left empty, not merged); tasks are numbered 1, 2 ... again in each
  group (ids "II.3");
* a "Ghi chú" column (kept in the key as `remark`);
* header and "Nơi nhận" / signature in borderless layout tables, appendix in a landscape
  section with its header row repeated.

The key is written from the meaning of each cell: `lead` and `coordinators` are written
out by hand below (canonical names), not parsed from the cell text; a check only makes
sure every name is really in its cell.

Usage:  python build_kh_2026_atgt_one_column.py [OUTPUT_DIR]
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
)

STEM = "kh-2026-atgt-one-column"
NUMBER = "318/KH-UBND"
ISSUED = datetime.date(2026, 11, 20)
TITLE = "Bảo đảm trật tự, an toàn giao thông trên địa bàn thành phố Hải Phòng năm 2026 - 2027"
SIGNER = "Trịnh Quốc Huy"
PERIOD = (2026, 2027)
YEARLY_REPORT = (10, 12)  # day, month of the agencies' yearly report (section IV.4)
FONT = "Times New Roman"

CA = "Công an thành phố"
XD = "Sở Xây dựng"
XA = "UBND các xã, phường, đặc khu"

# ---------------------------------------------------------------------------
# Appendix: (content, agency cell as printed, lead, coordinators, time, Ghi chú)
# ---------------------------------------------------------------------------
GROUPS = [
    (
        "I",
        "TUYÊN TRUYỀN, PHỔ BIẾN, GIÁO DỤC PHÁP LUẬT VỀ TRẬT TỰ, AN TOÀN GIAO THÔNG",
        [
            (
                "Chỉ đạo các cơ quan báo chí mở chuyên trang, chuyên mục tuyên truyền về trật tự, an toàn giao thông; phổ biến Luật Trật tự, an toàn giao thông đường bộ năm 2024, Luật Đường bộ năm 2024 và Nghị định số 168/2024/NĐ-CP trên sóng phát thanh, truyền hình, báo in, báo điện tử và mạng xã hội.",
                "Sở VHTTDL chủ trì, phối hợp với Báo Hải Phòng, Đài PT-TH Hải Phòng, Công an TP",
                ["Sở Văn hóa, Thể thao và Du lịch"],
                ["Báo Hải Phòng", "Đài Phát thanh và Truyền hình Hải Phòng", CA],
                "Thường xuyên",
                "",
            ),
            (
                "Tổ chức tuyên truyền, giáo dục pháp luật về trật tự, an toàn giao thông trong trường học; ký cam kết chấp hành quy định về an toàn giao thông với học sinh và cha mẹ học sinh; không giao xe mô tô, xe gắn máy cho học sinh chưa đủ tuổi điều khiển.",
                "Sở Giáo dục và Đào tạo",
                ["Sở Giáo dục và Đào tạo"],
                [],
                "Quý I/2027",
                "Học kỳ II năm học 2026 - 2027",
            ),
            (
                "Vận động đoàn viên, thanh niên xây dựng văn hóa giao thông; duy trì, nhân rộng mô hình \u201cCổng trường an toàn giao thông\u201d và đội thanh niên tình nguyện hướng dẫn giao thông giờ cao điểm.",
                "Thành đoàn Hải Phòng chủ trì; Sở GD&ĐT, Công an TP phối hợp",
                ["Thành đoàn Hải Phòng"],
                ["Sở Giáo dục và Đào tạo", CA],
                "Năm 2027",
                "",
            ),
            (
                "Vận động nhân dân thực hiện \u201cĐã uống rượu, bia thì không lái xe\u201d; đưa tiêu chí chấp hành pháp luật về trật tự, an toàn giao thông vào bình xét gia đình văn hóa, khu dân cư văn hóa.",
                "Ủy ban MTTQ Việt Nam thành phố chủ trì, phối hợp với Sở VHTTDL, UBND các xã, phường, đặc khu",
                ["Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"],
                ["Sở Văn hóa, Thể thao và Du lịch", XA],
                "Năm 2026 - 2027",
                "",
            ),
            (
                "Phổ biến kiến thức an toàn giao thông cho công nhân, người lao động tại các khu công nghiệp, doanh nghiệp vận tải; vận động đội mũ bảo hiểm đạt chuẩn, không sử dụng điện thoại khi điều khiển phương tiện.",
                "Liên đoàn Lao động thành phố chủ trì, phối hợp với Ban Quản lý Khu kinh tế Hải Phòng",
                ["Liên đoàn Lao động thành phố"],
                ["Ban Quản lý Khu kinh tế Hải Phòng"],
                "Hằng năm",
                "",
            ),
            (
                "Tuyên truyền quy định về an toàn giao thông đường thủy nội địa cho người dân ven sông, ven biển và hải đảo; vận động mặc áo phao khi đi đò, đi tàu; rà soát các bến đò ngang trước mùa mưa bão.",
                "UBND các xã, phường, đặc khu chủ trì; Bộ Chỉ huy Bộ đội Biên phòng thành phố, Sở Xây dựng phối hợp",
                [XA],
                ["Bộ Chỉ huy Bộ đội Biên phòng thành phố", XD],
                "Trước 30/4/2027",
                "",
            ),
        ],
    ),
    (
        "II",
        "TUẦN TRA, KIỂM SOÁT, XỬ LÝ VI PHẠM",
        [
            (
                "Tổ chức tuần tra, kiểm soát, xử lý nghiêm các hành vi vi phạm về nồng độ cồn, chất ma túy, tốc độ, đi không đúng làn đường; đấu tranh, ngăn chặn tình trạng đua xe trái phép, lạng lách, đánh võng.",
                "Công an thành phố chủ trì, phối hợp với UBND các xã, phường, đặc khu",
                [CA],
                [XA],
                "Thường xuyên",
                "",
            ),
            (
                "Mở đợt cao điểm bảo đảm trật tự, an toàn giao thông phục vụ nhân dân đón Tết Nguyên đán, mùa lễ hội xuân và các ngày lễ lớn; tăng cường kiểm soát xe khách, xe hợp đồng trên các tuyến quốc lộ, cao tốc.",
                "Công an thành phố chủ trì; Sở Xây dựng phối hợp",
                [CA],
                [XD],
                "Cao điểm Tết Nguyên đán và các dịp lễ",
                "Theo kế hoạch riêng của Công an thành phố",
            ),
            (
                "Khai thác, phân tích dữ liệu từ thiết bị giám sát hành trình và camera lắp trên xe kinh doanh vận tải; thông báo danh sách phương tiện vi phạm tốc độ, thời gian lái xe liên tục cho Công an thành phố để xử lý; thu hồi phù hiệu của phương tiện vi phạm.",
                "Sở Xây dựng chủ trì, phối hợp với Công an thành phố",
                [XD],
                [CA],
                "Hằng tháng",
                "",
            ),
            (
                "Tuần tra, kiểm soát, xử lý vi phạm trên các tuyến đường thủy nội địa và bến khách ngang sông; kiên quyết đình chỉ hoạt động các bến thủy nội địa không phép, phương tiện không bảo đảm an toàn.",
                "Công an TP chủ trì, phối hợp với Sở Xây dựng, BĐBP thành phố, UBND các xã, phường, đặc khu",
                [CA],
                [XD, "Bộ Chỉ huy Bộ đội Biên phòng thành phố", XA],
                "Năm 2026 - 2027",
                "Chú trọng mùa du lịch hè",
            ),
            (
                "Lập lại trật tự lòng đường, vỉa hè, hành lang an toàn giao thông; tháo dỡ công trình, biển quảng cáo trái phép; giải tỏa chợ tạm, chợ cóc họp trên lòng đường, lề đường.",
                "UBND các xã, phường, đặc khu chủ trì, phối hợp với Công an TP, Sở Xây dựng",
                [XA],
                [CA, XD],
                "Quý I/2027",
                "",
            ),
            (
                "Tổ chức đợt kiểm tra, xử lý xe ô tô chở hàng quá tải trọng, quá khổ giới hạn tại các cảng, bến, mỏ khai thác đá, cát và điểm tập kết vật liệu xây dựng; xử lý trách nhiệm của chủ hàng, chủ phương tiện, đơn vị xếp hàng lên xe.",
                "Sở Xây dựng, Công an thành phố chủ trì, phối hợp với UBND các xã, phường, đặc khu",
                [XD, CA],
                [XA],
                "Tháng 12/2026",
                "",
            ),
        ],
    ),
    (
        "III",
        "KẾT CẤU HẠ TẦNG GIAO THÔNG VÀ QUẢN LÝ VẬN TẢI",
        [
            (
                "Rà soát, xử lý dứt điểm các \u201cđiểm đen\u201d, điểm tiềm ẩn nguy cơ tai nạn giao thông trên quốc lộ, đường tỉnh, đường đô thị; bổ sung biển báo hiệu, sơn kẻ vạch, đèn tín hiệu, gương cầu lồi tại các đường cong khuất tầm nhìn.",
                "Sở Xây dựng chủ trì, phối hợp với Công an thành phố, UBND các xã, phường, đặc khu",
                [XD],
                [CA, XA],
                "Trước 31/3/2027",
                "Danh mục điểm đen năm 2026",
            ),
            (
                "Rà soát, bổ sung cọc tiêu, gờ giảm tốc, rào chắn tại các điểm giao cắt giữa đường bộ và đường sắt; xóa bỏ các lối đi tự mở qua đường sắt trên địa bàn.",
                "UBND các xã, phường, đặc khu chủ trì; Sở Xây dựng phối hợp",
                [XA],
                [XD],
                "Quý II/2027",
                "",
            ),
            (
                "Tham mưu bố trí kinh phí thực hiện Kế hoạch, kinh phí xử lý điểm đen và kinh phí bảo đảm trật tự, an toàn giao thông từ nguồn thu xử phạt vi phạm hành chính trong lĩnh vực giao thông theo quy định.",
                "Sở Tài chính",
                ["Sở Tài chính"],
                [],
                "Hằng năm",
                "Bố trí trong dự toán ngân sách",
            ),
            (
                "Kiểm tra các cơ sở đào tạo lái xe; giám sát chất lượng đào tạo, việc học thực hành trên ca-bin điện tử và thiết bị giám sát thời gian, quãng đường học thực hành lái xe (DAT).",
                "Sở Xây dựng chủ trì; Công an thành phố phối hợp",
                [XD],
                [CA],
                "Quý I/2027",
                "",
            ),
            (
                "Rà soát, sắp xếp lại mạng lưới tuyến xe buýt sau sắp xếp đơn vị hành chính; đề xuất mở mới các tuyến buýt kết nối trung tâm thành phố với khu vực Hải Dương (cũ), ưu tiên xe buýt sử dụng năng lượng xanh.",
                "Sở Xây dựng chủ trì, phối hợp với Sở Tài chính, UBND các xã, phường, đặc khu",
                [XD],
                ["Sở Tài chính", XA],
                "Năm 2027",
                "",
            ),
            (
                "Thẩm tra an toàn giao thông đối với các dự án đầu tư xây dựng, cải tạo đường bộ; tổ chức lại giao thông tại các nút giao thường xuyên ùn tắc vào giờ cao điểm.",
                "Sở Xây dựng chủ trì, phối hợp với Công an TP",
                [XD],
                [CA],
                "Thường xuyên",
                "",
            ),
            (
                "Xóa bỏ các điểm đón, trả khách tự phát, tình trạng \u201cxe dù, bến cóc\u201d; quản lý hoạt động xe hợp đồng, xe công nghệ đón khách trên địa bàn.",
                "UBND các xã, phường, đặc khu chủ trì; Sở Xây dựng, Công an thành phố phối hợp",
                [XA],
                [XD, CA],
                "Tháng 12/2026",
                "",
            ),
        ],
    ),
    (
        "IV",
        "CỨU HỘ, CẤP CỨU TAI NẠN GIAO THÔNG VÀ ỨNG DỤNG CÔNG NGHỆ",
        [
            (
                "Củng cố mạng lưới cấp cứu tai nạn giao thông, các trạm cấp cứu 115 vệ tinh dọc các tuyến quốc lộ, đường cao tốc; tập huấn sơ cứu, cấp cứu ban đầu cho lực lượng tuần tra, kiểm soát và lái xe kinh doanh vận tải.",
                "Sở Y tế chủ trì; Công an thành phố phối hợp",
                ["Sở Y tế"],
                [CA],
                "Năm 2027",
                "",
            ),
            (
                "Tổ chức xét nghiệm chất ma túy đối với người lái xe kinh doanh vận tải; kết nối, chia sẻ dữ liệu giấy khám sức khỏe của người lái xe phục vụ cấp, đổi giấy phép lái xe.",
                "Công an thành phố chủ trì; Sở Y tế phối hợp",
                [CA],
                ["Sở Y tế"],
                "Trước ngày 30/6/2027",
                "",
            ),
            (
                "Đầu tư, vận hành hệ thống camera giám sát, xử lý vi phạm qua hình ảnh (\u201cphạt nguội\u201d) tại các nút giao, tuyến đường trọng điểm; kết nối dữ liệu camera về Trung tâm chỉ huy Công an thành phố.",
                "Công an thành phố chủ trì, phối hợp với Sở KH&CN, Sở Tài chính",
                [CA],
                ["Sở Khoa học và Công nghệ", "Sở Tài chính"],
                "Năm 2026 - 2027",
                "Lồng ghép Đề án đô thị thông minh",
            ),
            (
                "Ứng dụng chuyển đổi số trong quản lý vận tải; hướng dẫn các đơn vị vận tải sử dụng vé điện tử, hóa đơn điện tử cho xe khách, xe buýt và kết nối dữ liệu về cơ sở dữ liệu dùng chung của thành phố.",
                "Sở KH&CN chủ trì, phối hợp với Sở Xây dựng",
                ["Sở Khoa học và Công nghệ"],
                [XD],
                "Quý II/2027",
                "",
            ),
            (
                "Thống kê, tổng hợp số liệu tai nạn giao thông trên địa bàn; phân tích nguyên nhân, đề xuất giải pháp kiềm chế tai nạn giao thông và ùn tắc giao thông.",
                "Công an thành phố chủ trì, phối hợp với các sở, ban, ngành liên quan, UBND các xã, phường, đặc khu",
                [CA],
                ["Các sở, ban, ngành liên quan", XA],
                "Hằng tháng",
                "",
            ),
        ],
    ),
]

# How the cells abbreviate names (for the check that each key name is in its cell).
ABBREV = {
    "Sở Văn hóa, Thể thao và Du lịch": ["Sở VHTTDL"],
    "Đài Phát thanh và Truyền hình Hải Phòng": ["Đài PT-TH Hải Phòng"],
    CA: ["Công an TP"],
    "Sở Giáo dục và Đào tạo": ["Sở GD&ĐT"],
    "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố": ["Ủy ban MTTQ Việt Nam thành phố"],
    "Bộ Chỉ huy Bộ đội Biên phòng thành phố": ["BĐBP thành phố"],
    "Sở Khoa học và Công nghệ": ["Sở KH&CN"],
    "Các sở, ban, ngành liên quan": ["các sở, ban, ngành liên quan"],
}

# ---------------------------------------------------------------------------
# Body text: ("h1" | "h2" | "p" | "b", text)
# ---------------------------------------------------------------------------
LEGAL_BASIS = [
    "Căn cứ Luật Trật tự, an toàn giao thông đường bộ ngày 27 tháng 6 năm 2024;",
    "Căn cứ Luật Đường bộ ngày 27 tháng 6 năm 2024;",
    "Căn cứ Chỉ thị số 23-CT/TW ngày 25 tháng 5 năm 2023 của Ban Bí thư về tăng cường sự lãnh đạo của Đảng đối với công tác bảo đảm trật tự, an toàn giao thông trong tình hình mới;",
    "Theo đề nghị của Công an thành phố tại Tờ trình số 1152/TTr-CAHP ngày 06 tháng 11 năm 2026.",
]

INTRO = (
    "Ủy ban nhân dân thành phố ban hành Kế hoạch bảo đảm trật tự, an toàn giao thông trên địa bàn "
    "thành phố Hải Phòng năm 2026 - 2027 như sau:"
)

BODY = [
    ("h1", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("h2", "1. Mục đích"),
    (
        "b",
        "Nâng cao hiệu lực, hiệu quả quản lý nhà nước về trật tự, an toàn giao thông trên địa bàn thành phố sau sắp xếp đơn vị hành chính; kiềm chế, kéo giảm tai nạn giao thông trên cả ba tiêu chí số vụ, số người chết, số người bị thương.",
    ),
    (
        "b",
        "Nâng cao ý thức tự giác chấp hành pháp luật về trật tự, an toàn giao thông của người tham gia giao thông; xây dựng văn hóa giao thông an toàn, văn minh.",
    ),
    ("h2", "2. Yêu cầu"),
    (
        "b",
        "Xác định rõ nhiệm vụ, trách nhiệm của từng cơ quan, đơn vị, địa phương; bảo đảm sự phối hợp chặt chẽ giữa lực lượng Công an, các sở, ban, ngành và chính quyền cơ sở.",
    ),
    (
        "b",
        "Các nhiệm vụ phải được triển khai đồng bộ, có trọng tâm, trọng điểm, gắn với trách nhiệm của người đứng đầu.",
    ),
    ("h1", "II. CHỈ TIÊU"),
    (
        "b",
        "Năm 2027 giảm 5% số vụ tai nạn giao thông, giảm 5% số người chết và giảm 5% số người bị thương do tai nạn giao thông so với năm 2026.",
    ),
    (
        "b",
        "Không để xảy ra ùn tắc giao thông kéo dài trên 02 giờ tại các nút giao, tuyến đường trọng điểm của thành phố.",
    ),
    ("b", "100% \u201cđiểm đen\u201d tai nạn giao thông được phát hiện trong năm 2026 được xử lý dứt điểm."),
    (
        "b",
        "100% học sinh các cấp được phổ biến, giáo dục pháp luật về trật tự, an toàn giao thông; trên 98% người điều khiển, người ngồi trên xe mô tô, xe gắn máy đội mũ bảo hiểm đúng quy định.",
    ),
    ("h1", "III. NHIỆM VỤ CHỦ YẾU"),
    (
        "p",
        "1. Đẩy mạnh tuyên truyền, phổ biến, giáo dục pháp luật về trật tự, an toàn giao thông, đổi mới hình thức tuyên truyền phù hợp với từng nhóm đối tượng, chú trọng học sinh, thanh niên, công nhân và người dân vùng nông thôn, ven biển.",
    ),
    (
        "p",
        "2. Tăng cường tuần tra, kiểm soát, xử lý nghiêm vi phạm; ứng dụng công nghệ, camera giám sát trong phát hiện và xử lý vi phạm, hạn chế tiếp xúc trực tiếp giữa lực lượng chức năng và người vi phạm.",
    ),
    (
        "p",
        "3. Hoàn thiện kết cấu hạ tầng giao thông, tổ chức giao thông khoa học; xử lý kịp thời các điểm đen, điểm tiềm ẩn tai nạn giao thông; quản lý chặt chẽ hoạt động vận tải và đào tạo, sát hạch lái xe.",
    ),
    (
        "p",
        "4. Nâng cao năng lực cứu hộ, cứu nạn, cấp cứu người bị tai nạn giao thông; thống kê, phân tích số liệu tai nạn giao thông làm cơ sở đề ra giải pháp.",
    ),
    (
        "p",
        "Nhiệm vụ cụ thể của các cơ quan, đơn vị được phân công tại Phụ lục kèm theo Kế hoạch này.",
    ),
    ("h1", "IV. TỔ CHỨC THỰC HIỆN"),
    (
        "p",
        "1. Công an thành phố (Cơ quan Thường trực Ban An toàn giao thông thành phố) chủ trì theo dõi, hướng dẫn, đôn đốc, kiểm tra các cơ quan, đơn vị, địa phương thực hiện Kế hoạch; tổng hợp kết quả, tham mưu Ủy ban nhân dân thành phố sơ kết, tổng kết.",
    ),
    (
        "p",
        "2. Sở Tài chính tham mưu bố trí kinh phí thực hiện Kế hoạch từ nguồn ngân sách nhà nước theo phân cấp và các nguồn kinh phí hợp pháp khác.",
    ),
    (
        "p",
        "3. Các sở, ban, ngành, Ủy ban nhân dân các xã, phường, đặc khu căn cứ nhiệm vụ được giao tại Phụ lục xây dựng kế hoạch chi tiết, tổ chức thực hiện bảo đảm hiệu quả, đúng thời gian.",
    ),
    (
        "p",
        "4. Chế độ báo cáo: Định kỳ hằng quý, các sở, ban, ngành, Ủy ban nhân dân các xã, phường, đặc khu báo cáo kết quả thực hiện Kế hoạch về Công an thành phố (Cơ quan Thường trực Ban An toàn giao thông thành phố) trước ngày 15 của tháng cuối quý; báo cáo năm gửi trước ngày 10/12 hằng năm.",
    ),
    (
        "p",
        "5. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các tổ chức chính trị - xã hội thành phố phối hợp tuyên truyền, vận động hội viên, đoàn viên và nhân dân chấp hành pháp luật về trật tự, an toàn giao thông.",
    ),
    (
        "p",
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về Công an thành phố để tổng hợp, trình Ủy ban nhân dân thành phố xem xét, quyết định./.",
    ),
]

RECIPIENTS = [
    "Ủy ban An toàn giao thông Quốc gia;",
    "Bộ Công an;",
    "TT Thành ủy, TT HĐND thành phố;",
    "CT, các PCT UBND thành phố;",
    "Ủy ban MTTQ Việt Nam thành phố;",
    "Các sở, ban, ngành thành phố;",
    "UBND các xã, phường, đặc khu;",
    "Báo Hải Phòng, Đài PT-TH Hải Phòng;",
    "CVP, các PCVP UBND thành phố;",
    "Lưu: VT, NC.",
]


# ---------------------------------------------------------------------------
# Deadlines for the answer key
# ---------------------------------------------------------------------------


def deadlines(text):
    """(dates, note) for a time phrase, by the project's conventions (plans/README.md)."""
    start, end = PERIOD
    years = range(start, end + 1)
    q = {"I": 3, "II": 6, "III": 9, "IV": 12}
    if text == "Thường xuyên":
        return [], None
    if text == "Cao điểm Tết Nguyên đán và các dịp lễ":
        return [], (
            "Tết Nguyên đán is a lunar date and 'các dịp lễ' names no day: the phrase cannot be dated, "
            "so the task has no deadline."
        )
    if text == "Hằng năm":
        d, m = YEARLY_REPORT
        return [f"{y:04d}-{m:02d}-{d:02d}" for y in years], (
            "'Hằng năm' falls on the plan's yearly reporting date (báo cáo năm trước ngày 10/12 hằng năm, "
            "section IV.4) in each year of the period."
        )
    if text == "Hằng tháng":
        return [last_day(y, m) for y in years for m in range(1, 13)], (
            "The key's choice (the project states no convention for 'Hằng tháng'): the end of every month of "
            "the period 2026 - 2027, by analogy with 'Định kỳ 6 tháng'; the months of 2026 before the plan was "
            "issued (20/11/2026) are kept by that convention."
        )
    m = re.fullmatch(r"Trước (?:ngày )?(\d+)/(\d+)/(\d{4})", text)
    if m:
        return [f"{int(m[3]):04d}-{int(m[2]):02d}-{int(m[1]):02d}"], None
    m = re.fullmatch(r"Quý (I|II|III|IV)/(\d{4})", text)
    if m:
        return [last_day(int(m[2]), q[m[1]])], None
    m = re.fullmatch(r"Tháng (\d+)/(\d{4})", text)
    if m:
        return [last_day(int(m[2]), int(m[1]))], None
    m = re.fullmatch(r"Năm (\d{4})", text)
    if m:
        return [last_day(int(m[1]), 12)], None
    m = re.fullmatch(r"Năm (\d{4}) - (\d{4})", text)
    if m:
        return [last_day(y, 12) for y in range(int(m[1]), int(m[2]) + 1)], None
    raise ValueError(text)


def check_cell(cell, names):
    for name in names:
        forms = [name] + ABBREV.get(name, [])
        assert any(f in cell for f in forms), (name, cell)


# ---------------------------------------------------------------------------
# Document
# ---------------------------------------------------------------------------
def build_document():
    doc = new_document(
        author="UBND thành phố Hải Phòng",
        modified_by="VP UBND TP",
        title="Kế hoạch " + NUMBER,
        when=(2026, 11, 20, 8, 0, 0),
    )

    city_header(
        doc,
        number=NUMBER,
        date_line=f"Hải Phòng, ngày {ISSUED.day:02d} tháng {ISSUED.month:02d} năm {ISSUED.year}",
        borderless=False,
    )
    plan_opening(doc, title=TITLE, legal_basis=LEGAL_BASIS, intro=INTRO, body=BODY)
    city_signature(doc, recipients=RECIPIENTS, signer=SIGNER, borderless=False)
    landscape_section(doc)
    para(doc, "PHỤ LỤC", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    para(
        doc,
        "PHÂN CÔNG NHIỆM VỤ BẢO ĐẢM TRẬT TỰ, AN TOÀN GIAO THÔNG NĂM 2026 - 2027",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    para(
        doc,
        f"(Kèm theo Kế hoạch số {NUMBER} ngày {ISSUED.day:02d}/{ISSUED.month:02d}/{ISSUED.year} "
        "của Ủy ban nhân dân thành phố)",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
    )

    headers = ["STT", "Nội dung nhiệm vụ", "Cơ quan thực hiện", "Thời gian hoàn thành", "Ghi chú"]
    n_rows = 1 + sum(1 + len(items) for _, _, items in GROUPS)
    table = doc.add_table(rows=n_rows, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        cell_text(table.cell(0, i), h, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat_header(table.rows[0])

    r = 1
    for roman, gtitle, items in GROUPS:
        cell_text(table.cell(r, 0), roman, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell_text(table.cell(r, 1), gtitle, bold=True)
        for c in (2, 3, 4):
            cell_text(table.cell(r, c), "")
        r += 1
        for i, (content, cell, _lead, _coord, when, remark) in enumerate(items, 1):
            cell_text(table.cell(r, 0), str(i), align=WD_ALIGN_PARAGRAPH.CENTER)
            cell_text(table.cell(r, 1), content, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            cell_text(table.cell(r, 2), cell)
            cell_text(table.cell(r, 3), when, align=WD_ALIGN_PARAGRAPH.CENTER)
            cell_text(table.cell(r, 4), remark, size=11, italic=True)
            r += 1
    set_widths(table, [Cm(1.2), Cm(11.5), Cm(6.5), Cm(3.3), Cm(3.2)])
    return doc


def build_key():
    tasks = []
    for roman, gtitle, items in GROUPS:
        for i, (content, cell, lead, coord, when, remark) in enumerate(items, 1):
            check_cell(cell, lead + coord)
            dates, note = deadlines(when)
            task = {
                "id": f"{roman}.{i}",
                "section_title": gtitle,
                "content_start": content[:40],
                "agency_cell": cell,
                "lead": lead,
                "coordinators": coord,
                "time_text": when,
                "deadlines": dates,
                "remark": remark or None,
            }
            if note:
                task["note"] = note
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
                "reporters": "Các sở, ban, ngành, UBND các xã, phường, đặc khu",
                "receiver": "Công an thành phố",
                "frequency": "quarterly",
                "day": 15,
                "month": None,
                "months": [3, 6, 9, 12],
                "where": "IV",
            },
            {
                "reporters": "Các sở, ban, ngành, UBND các xã, phường, đặc khu",
                "receiver": "Công an thành phố",
                "frequency": "yearly",
                "day": YEARLY_REPORT[0],
                "month": YEARLY_REPORT[1],
                "where": "IV",
            },
        ],
        "tasks": tasks,
    }


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out_dir, exist_ok=True)
    for _, title, items in GROUPS:
        assert unicodedata.is_normalized("NFC", title)
        for row in items:
            for s in row:
                if isinstance(s, str):
                    assert unicodedata.is_normalized("NFC", s), s
    doc = build_document()
    deterministic_save(doc, os.path.join(out_dir, STEM + ".docx"), (2026, 11, 20, 8, 0, 0))
    key = json.dumps(build_key(), ensure_ascii=False, indent=2) + "\n"
    assert unicodedata.is_normalized("NFC", key)
    with open(os.path.join(out_dir, STEM + ".key.json"), "w", encoding="utf-8") as f:
        f.write(key)
    print("wrote", os.path.join(out_dir, STEM + ".docx"))


if __name__ == "__main__":
    main()
