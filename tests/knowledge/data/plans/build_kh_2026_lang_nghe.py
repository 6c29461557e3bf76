#!/usr/bin/env python3
"""Build the test fixture kh-2026-lang-nghe-merged.docx and its answer key.

A Word rendering of a (fictitious) Hải Phòng plan 19/KH-UBND of 22/01/2026 on craft
villages and rural industries, 2026 - 2030. The appendix table is laid out the way
provincial offices lay out Word plans:

* group rows ("I. BẢO TỒN VÀ PHÁT TRIỂN LÀNG NGHỀ") are one cell merged across the
  whole width of the table (w:gridSpan = 6);
* the lead-agency cell ("Cơ quan chủ trì") is merged vertically (w:vMerge) over 2-3
  consecutive task rows that share a lead, and one "Thời gian thực hiện" cell is
  merged vertically over two rows;
* a repeated header row and a column-number row "(1) ... (6)" under it.

The document also has two borderless layout tables (the national-motto header and the
"Nơi nhận" / signature block), as Word plans do.

Usage:  python build_kh_2026_lang_nghe.py [OUTPUT_DIR]
Needs python-docx (pip install python-docx). Output is byte-for-byte deterministic.
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

STEM = "kh-2026-lang-nghe-merged"
NUMBER = "19/KH-UBND"
ISSUED = datetime.date(2026, 1, 22)
TITLE = "Phát triển làng nghề, ngành nghề nông thôn và công nghiệp nông thôn thành phố Hải Phòng giai đoạn 2026 - 2030"
SIGNER = "Vũ Thị Thanh Bình"
PERIOD = (2026, 2030)
FONT = "Times New Roman"

# ---------------------------------------------------------------------------
# Appendix data. A lead of None means: the lead cell of the row above is merged
# vertically over this row. A time of None means the same for the time cell.
# (content, lead, coordinators, product, time)
# ---------------------------------------------------------------------------
GROUPS = [
    (
        "I",
        "BẢO TỒN VÀ PHÁT TRIỂN LÀNG NGHỀ",
        [
            (
                "Rà soát, đánh giá thực trạng hoạt động của các làng nghề, làng nghề truyền thống, nghề truyền thống trên địa bàn thành phố sau sắp xếp đơn vị hành chính; cập nhật danh mục làng nghề theo địa bàn các xã, phường, đặc khu.",
                "Sở Nông nghiệp và Môi trường",
                "UBND các xã, phường, đặc khu",
                "Báo cáo đánh giá; danh mục làng nghề được cập nhật",
                "Quý II/2026",
            ),
            (
                "Thẩm định, trình Ủy ban nhân dân thành phố xét công nhận nghề truyền thống, làng nghề, làng nghề truyền thống theo Nghị định số 52/2018/NĐ-CP của Chính phủ.",
                None,
                "Sở Công Thương, Sở VHTTDL, UBND các xã, phường, đặc khu",
                "Quyết định công nhận của UBND thành phố",
                "Hằng năm",
            ),
            (
                "Xây dựng Đề án bảo tồn và phát triển làng nghề gắn với phát triển du lịch đối với các làng nghề gốm Chu Đậu, tạc tượng Bảo Hà, đúc đồng Mỹ Đồng, chạm bạc Châu Khê.",
                None,
                "Sở Văn hóa, Thể thao và Du lịch, Sở Công Thương",
                "Đề án trình UBND thành phố phê duyệt",
                "Tháng 12/2026",
            ),
            (
                "Lập hồ sơ đề nghị xét tặng danh hiệu Nghệ nhân nhân dân, Nghệ nhân ưu tú trong lĩnh vực nghề thủ công mỹ nghệ; hỗ trợ nghệ nhân, thợ giỏi mở lớp truyền nghề tại làng nghề.",
                "Sở Công Thương",
                "Sở Nội vụ, Sở VHTTDL",
                "Hồ sơ đề nghị xét tặng danh hiệu",
                "Trước ngày 31/3 hằng năm",
            ),
            (
                "Số hóa thông tin, xây dựng cơ sở dữ liệu và bản đồ số làng nghề thành phố, tích hợp trên Cổng Thông tin điện tử thành phố.",
                "Sở Khoa học và Công nghệ",
                "Sở NN&MT, Sở Công Thương",
                "Cơ sở dữ liệu, bản đồ số làng nghề",
                "Năm 2026",
            ),
        ],
    ),
    (
        "II",
        "KHUYẾN CÔNG, ĐỔI MỚI CÔNG NGHỆ VÀ THƯƠNG MẠI ĐIỆN TỬ",
        [
            (
                "Xây dựng, trình phê duyệt và tổ chức thực hiện kế hoạch khuyến công thành phố; hỗ trợ cơ sở công nghiệp nông thôn đầu tư máy móc, thiết bị tiên tiến, chuyển giao công nghệ.",
                "Sở Công Thương",
                "Sở Tài chính, UBND các xã, phường, đặc khu",
                "Kế hoạch khuyến công được phê duyệt",
                "Hằng năm",
            ),
            (
                "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp thành phố; lựa chọn sản phẩm tham gia bình chọn cấp khu vực và cấp quốc gia.",
                None,
                "Sở NN&MT, Liên minh Hợp tác xã thành phố",
                "Quyết định công nhận sản phẩm tiêu biểu",
                "Năm 2026, năm 2028",
            ),
            (
                "Hỗ trợ cơ sở sản xuất làng nghề xây dựng gian hàng trực tuyến, tham gia các sàn thương mại điện tử; tập huấn kỹ năng livestream bán hàng, quảng bá sản phẩm trên mạng xã hội.",
                None,
                "Sở KH&CN, UBND các xã, phường, đặc khu",
                "Số cơ sở được hỗ trợ, gian hàng trực tuyến",
                "Thường xuyên",
            ),
            (
                "Hỗ trợ đăng ký bảo hộ nhãn hiệu tập thể, nhãn hiệu chứng nhận, chỉ dẫn địa lý cho sản phẩm làng nghề.",
                "Sở Khoa học và Công nghệ",
                "Sở Công Thương, Sở NN&MT",
                "Giấy chứng nhận đăng ký nhãn hiệu",
                "Giai đoạn 2026 - 2028",
            ),
            (
                "Hỗ trợ xây dựng mô hình trình diễn kỹ thuật sản xuất sạch hơn, sử dụng năng lượng tiết kiệm và hiệu quả tại cơ sở sản xuất gốm sứ, chế biến nông sản trong làng nghề.",
                None,
                "Sở Công Thương, UBND các xã, phường, đặc khu",
                "Mô hình trình diễn được nghiệm thu",
                None,
            ),
        ],
    ),
    (
        "III",
        "BẢO VỆ MÔI TRƯỜNG, ĐẤT ĐAI VÀ HẠ TẦNG LÀNG NGHỀ",
        [
            (
                "Quan trắc, đánh giá chất lượng môi trường tại các làng nghề có nguy cơ ô nhiễm; công khai kết quả và đề xuất biện pháp xử lý đối với cơ sở gây ô nhiễm môi trường nghiêm trọng.",
                "Sở NN&MT",
                "Công an thành phố, UBND các xã, phường, đặc khu",
                "Báo cáo kết quả quan trắc",
                "Định kỳ 6 tháng",
            ),
            (
                "Rà soát, bố trí quỹ đất cho cụm công nghiệp, điểm sản xuất tập trung để di dời các cơ sở sản xuất gây ô nhiễm ra khỏi khu dân cư.",
                None,
                "Sở Xây dựng, Sở Công Thương, UBND các xã, phường, đặc khu",
                "Danh mục vị trí, quỹ đất được phê duyệt",
                "Quý IV/2026",
            ),
            (
                "Đầu tư, nâng cấp hạ tầng kỹ thuật làng nghề (đường giao thông, hệ thống thu gom, xử lý nước thải và chất thải rắn) từ nguồn vốn đầu tư công và các nguồn vốn hợp pháp khác.",
                "Sở Xây dựng",
                "Sở Tài chính, Sở NN&MT, UBND các xã, phường, đặc khu",
                "Danh mục dự án đầu tư",
                "Năm 2027",
            ),
            (
                "Hướng dẫn các cơ sở sản xuất trong làng nghề thực hiện thủ tục về môi trường; xây dựng, phê duyệt phương án bảo vệ môi trường làng nghề theo quy định.",
                "UBND các xã, phường, đặc khu",
                "Sở NN&MT",
                "Phương án bảo vệ môi trường làng nghề",
                "Tháng 12/2026",
            ),
            (
                "Kiểm tra việc chấp hành quy định về phòng cháy, chữa cháy và bảo vệ môi trường tại các cơ sở sản xuất, kinh doanh trong làng nghề.",
                "Công an thành phố",
                "Sở NN&MT, UBND các xã, phường, đặc khu",
                "Kết luận kiểm tra",
                "Quý III hằng năm",
            ),
        ],
    ),
    (
        "IV",
        "NGUỒN NHÂN LỰC, TÍN DỤNG VÀ XÚC TIẾN THƯƠNG MẠI",
        [
            (
                "Tổ chức đào tạo nghề trình độ sơ cấp và đào tạo dưới 03 tháng cho lao động nông thôn tại các làng nghề; ưu tiên các nghề gốm sứ, mây tre đan, chạm khắc gỗ, chế biến nông sản.",
                "Sở Giáo dục và Đào tạo",
                "Sở Nội vụ, Sở Công Thương, UBND các xã, phường, đặc khu",
                "Số lao động được đào tạo",
                "Hằng năm",
            ),
            (
                "Hướng dẫn cơ sở ngành nghề nông thôn tiếp cận vốn vay ưu đãi; tổ chức hội nghị kết nối ngân hàng với cơ sở sản xuất làng nghề.",
                "Sở Tài chính",
                "Các tổ chức tín dụng trên địa bàn thành phố, Liên minh Hợp tác xã thành phố",
                "Hội nghị kết nối; hồ sơ vay vốn được giải ngân",
                "Năm 2026",
            ),
            (
                "Tổ chức Hội chợ làng nghề và sản phẩm công nghiệp nông thôn tiêu biểu thành phố; hỗ trợ cơ sở làng nghề tham gia hội chợ, triển lãm trong nước.",
                "Sở Công Thương",
                "Sở VHTTDL, UBND các xã, phường, đặc khu",
                "Hội chợ; gian hàng được hỗ trợ",
                "Quý IV hằng năm",
            ),
            (
                "Kết nối doanh nghiệp xuất khẩu với cơ sở sản xuất làng nghề để xuất khẩu sản phẩm gốm sứ, mây tre đan, chiếu cói.",
                None,
                "Sở Tài chính, Sở NN&MT",
                "Hợp đồng, biên bản ghi nhớ hợp tác",
                "Quý II/2026",
            ),
            (
                "Theo dõi, tổng hợp tình hình thực hiện Kế hoạch; tham mưu tổ chức sơ kết giữa kỳ vào năm 2028 và tổng kết vào năm 2030.",
                None,
                "Các sở, ban, ngành liên quan, UBND các xã, phường, đặc khu",
                "Báo cáo UBND thành phố",
                "Định kỳ 6 tháng",
            ),
        ],
    ),
]

# Abbreviations as the office writes them -> full names (for the answer key).
EXPAND = {
    "Sở NN&MT": "Sở Nông nghiệp và Môi trường",
    "Sở KH&CN": "Sở Khoa học và Công nghệ",
    "Sở VHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
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
    "Căn cứ Nghị định số 52/2018/NĐ-CP ngày 12 tháng 4 năm 2018 của Chính phủ về phát triển ngành nghề nông thôn;",
    "Căn cứ Quyết định số 801/QĐ-TTg ngày 07 tháng 7 năm 2022 của Thủ tướng Chính phủ phê duyệt Chương trình bảo tồn và phát triển làng nghề Việt Nam giai đoạn 2021 - 2030;",
    "Theo đề nghị của Sở Công Thương tại Tờ trình số 08/TTr-SCT ngày 12 tháng 01 năm 2026.",
]

INTRO = (
    "Ủy ban nhân dân thành phố ban hành Kế hoạch phát triển làng nghề, ngành nghề nông thôn "
    "và công nghiệp nông thôn thành phố Hải Phòng giai đoạn 2026 - 2030 như sau:"
)

# ("h1" | "h2" | "p" | "b", text)
BODY = [
    ("h1", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("h2", "1. Mục đích"),
    (
        "b",
        "Bảo tồn, phát huy giá trị văn hóa của các làng nghề truyền thống trên địa bàn thành phố sau hợp nhất, trong đó có nhiều làng nghề lâu đời của tỉnh Hải Dương (cũ); gắn phát triển làng nghề với xây dựng nông thôn mới và phát triển du lịch.",
    ),
    (
        "b",
        "Phát triển công nghiệp nông thôn theo hướng hiện đại, thân thiện với môi trường; tạo việc làm, nâng cao thu nhập cho lao động nông thôn.",
    ),
    ("h2", "2. Yêu cầu"),
    (
        "b",
        "Xác định cụ thể nhiệm vụ, sản phẩm, thời gian hoàn thành và trách nhiệm của các cơ quan, đơn vị; bảo đảm sự phối hợp chặt chẽ giữa các sở, ban, ngành và Ủy ban nhân dân các xã, phường, đặc khu.",
    ),
    (
        "b",
        "Phát triển làng nghề phải gắn với bảo vệ môi trường, bảo đảm an toàn phòng cháy, chữa cháy và tuân thủ quy hoạch.",
    ),
    ("h1", "II. MỤC TIÊU"),
    ("h2", "1. Mục tiêu chung"),
    (
        "p",
        "Duy trì, phát triển bền vững các làng nghề, làng nghề truyền thống; nâng cao giá trị, chất lượng và sức cạnh tranh của sản phẩm ngành nghề nông thôn, sản phẩm công nghiệp nông thôn; từng bước xử lý dứt điểm ô nhiễm môi trường tại các làng nghề.",
    ),
    ("h2", "2. Chỉ tiêu đến năm 2030"),
    (
        "b",
        "Bảo tồn và phát triển ít nhất 85 làng nghề, làng nghề truyền thống; công nhận mới tối thiểu 10 làng nghề, nghề truyền thống.",
    ),
    (
        "b",
        "Có 50 sản phẩm được bình chọn là sản phẩm công nghiệp nông thôn tiêu biểu cấp thành phố trở lên; 30 sản phẩm làng nghề được bảo hộ nhãn hiệu.",
    ),
    (
        "b",
        "70% lao động làm việc tại các làng nghề được đào tạo, bồi dưỡng nghề; thu nhập bình quân của lao động làng nghề cao gấp 1,5 lần lao động nông nghiệp thuần.",
    ),
    (
        "b",
        "100% làng nghề được công nhận có phương án bảo vệ môi trường được phê duyệt; 100% cơ sở gây ô nhiễm môi trường nghiêm trọng được xử lý hoặc di dời.",
    ),
    ("h1", "III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU"),
    (
        "p",
        "1. Bảo tồn và phát triển làng nghề: rà soát, công nhận làng nghề, nghề truyền thống; tôn vinh nghệ nhân, thợ giỏi; số hóa dữ liệu làng nghề; gắn bảo tồn làng nghề với phát triển du lịch trải nghiệm.",
    ),
    (
        "p",
        "2. Khuyến công, đổi mới công nghệ và thương mại điện tử: hỗ trợ cơ sở công nghiệp nông thôn đổi mới thiết bị, công nghệ; bình chọn sản phẩm tiêu biểu; đưa sản phẩm làng nghề lên các sàn thương mại điện tử.",
    ),
    (
        "p",
        "3. Bảo vệ môi trường, đất đai và hạ tầng làng nghề: quan trắc môi trường; bố trí quỹ đất cho điểm sản xuất tập trung; đầu tư hạ tầng thu gom, xử lý chất thải; kiểm tra việc chấp hành pháp luật.",
    ),
    (
        "p",
        "4. Nguồn nhân lực, tín dụng và xúc tiến thương mại: đào tạo nghề cho lao động nông thôn; kết nối ngân hàng với cơ sở sản xuất; tổ chức hội chợ, kết nối xuất khẩu.",
    ),
    (
        "p",
        "Nhiệm vụ cụ thể, cơ quan chủ trì, cơ quan phối hợp, sản phẩm và thời gian thực hiện được phân công tại Phụ lục kèm theo Kế hoạch này.",
    ),
    ("h1", "IV. KINH PHÍ THỰC HIỆN"),
    (
        "p",
        "Kinh phí thực hiện Kế hoạch được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành, kinh phí khuyến công, khuyến nông, chương trình mục tiêu quốc gia xây dựng nông thôn mới, nguồn xã hội hóa và các nguồn vốn hợp pháp khác. Các cơ quan, đơn vị lập dự toán cùng thời điểm xây dựng dự toán ngân sách hằng năm, gửi Sở Tài chính tổng hợp, trình cấp có thẩm quyền.",
    ),
    ("h1", "V. TỔ CHỨC THỰC HIỆN"),
    ("h2", "1. Phân công nhiệm vụ"),
    (
        "p",
        "a) Sở Công Thương là cơ quan thường trực, chủ trì theo dõi, hướng dẫn, đôn đốc các cơ quan, đơn vị thực hiện Kế hoạch; tổ chức sơ kết, tổng kết việc thực hiện.",
    ),
    (
        "p",
        "b) Sở Nông nghiệp và Môi trường chủ trì công tác công nhận làng nghề, nghề truyền thống; quản lý môi trường làng nghề; hướng dẫn về đất đai đối với điểm sản xuất tập trung.",
    ),
    (
        "p",
        "c) Sở Tài chính tham mưu bố trí kinh phí thực hiện Kế hoạch; hướng dẫn cơ sở làng nghề tiếp cận các nguồn vốn.",
    ),
    (
        "p",
        "d) Ủy ban nhân dân các xã, phường, đặc khu xây dựng kế hoạch phát triển làng nghề trên địa bàn; quản lý hoạt động sản xuất, bảo vệ môi trường tại làng nghề theo thẩm quyền.",
    ),
    ("h2", "2. Chế độ báo cáo"),
    (
        "b",
        "Các sở, ban, ngành, UBND các xã, phường, đặc khu định kỳ 6 tháng (trước ngày 10/6 và trước ngày 10/12 hằng năm) báo cáo kết quả thực hiện Kế hoạch về Sở Công Thương.",
    ),
    ("b", "Sở Công Thương tổng hợp, báo cáo Ủy ban nhân dân thành phố trước ngày 20/6 và ngày 20/12 hằng năm."),
    (
        "p",
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời phản ánh về Sở Công Thương để tổng hợp, báo cáo Ủy ban nhân dân thành phố xem xét, điều chỉnh./.",
    ),
]

RECIPIENTS = [
    "Bộ Công Thương;",
    "Bộ Nông nghiệp và Môi trường;",
    "TT Thành ủy, TT HĐND thành phố;",
    "CT, các PCT UBND thành phố;",
    "Các sở, ban, ngành thành phố;",
    "UBND các xã, phường, đặc khu;",
    "Cổng Thông tin điện tử thành phố;",
    "CVP, các PCVP UBND thành phố;",
    "Lưu: VT, KT.",
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
    if text == "Hằng năm":
        return [last_day(y, 12) for y in years]
    if text == "Định kỳ 6 tháng":
        return [last_day(y, m) for y in years for m in (6, 12)]
    m = re.fullmatch(r"Trước ngày (\d+)/(\d+) hằng năm", text)
    if m:
        return [f"{y:04d}-{int(m[2]):02d}-{int(m[1]):02d}" for y in years]
    m = re.fullmatch(r"Quý (I|II|III|IV) hằng năm", text)
    if m:
        return [last_day(y, q[m[1]]) for y in years]
    m = re.fullmatch(r"Quý (I|II|III|IV)/(\d{4})", text)
    if m:
        return [last_day(int(m[2]), q[m[1]])]
    m = re.fullmatch(r"Tháng (\d+)/(\d{4})", text)
    if m:
        return [last_day(int(m[2]), int(m[1]))]
    m = re.fullmatch(r"Năm (\d{4})", text)
    if m:
        return [last_day(int(m[1]), 12)]
    m = re.fullmatch(r"Năm (\d{4}), năm (\d{4})", text)
    if m:
        return [last_day(int(m[1]), 12), last_day(int(m[2]), 12)]
    m = re.fullmatch(r"Giai đoạn (\d{4}) - (\d{4})", text)
    if m:  # a span of years: due at the end of each year (the project's convention for "Năm 2018 - 2020")
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
        when=(2026, 1, 22, 8, 0, 0),
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
        "DANH MỤC NHIỆM VỤ PHÁT TRIỂN LÀNG NGHỀ, NGÀNH NGHỀ NÔNG THÔN VÀ CÔNG NGHIỆP NÔNG THÔN GIAI ĐOẠN 2026 - 2030",
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

    headers = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian thực hiện"]
    n_rows = 2 + sum(1 + len(items) for _, _, items in GROUPS)
    table = doc.add_table(rows=n_rows, cols=6)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        cell_text(table.cell(0, i), h, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell_text(table.cell(1, i), f"({i + 1})", size=11, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    repeat_header(table.rows[0])
    repeat_header(table.rows[1])

    r = 2
    for roman, gtitle, items in GROUPS:
        row = table.rows[r]
        merged = row.cells[0].merge(row.cells[5])  # w:gridSpan = 6
        cell_text(merged, f"{roman}. {gtitle}", size=12, bold=True)
        r += 1
        lead_top = time_top = None
        for i, (content, lead, coord, product, when) in enumerate(items, 1):
            cell_text(table.cell(r, 0), str(i), align=WD_ALIGN_PARAGRAPH.CENTER)
            cell_text(table.cell(r, 1), content, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            cell_text(table.cell(r, 3), coord)
            cell_text(table.cell(r, 4), product)
            if lead is None:  # continue the lead cell above (w:vMerge)
                m = table.cell(lead_top[0], 2).merge(table.cell(r, 2))
                cell_text(m, lead_top[1], align=WD_ALIGN_PARAGRAPH.CENTER)
            else:
                lead_top = (r, lead)
                cell_text(table.cell(r, 2), lead, align=WD_ALIGN_PARAGRAPH.CENTER)
            if when is None:
                m = table.cell(time_top[0], 5).merge(table.cell(r, 5))
                cell_text(m, time_top[1], align=WD_ALIGN_PARAGRAPH.CENTER)
            else:
                time_top = (r, when)
                cell_text(table.cell(r, 5), when, align=WD_ALIGN_PARAGRAPH.CENTER)
            r += 1
    set_widths(table, [Cm(1.2), Cm(9.5), Cm(3.8), Cm(4.8), Cm(3.8), Cm(2.6)])
    return doc


def build_key():
    tasks = []
    for roman, gtitle, items in GROUPS:
        lead = when = None
        for i, (content, lead_cell, coord, _product, w) in enumerate(items, 1):
            lead = lead_cell if lead_cell is not None else lead
            when = w if w is not None else when
            tasks.append(
                {
                    "id": f"{roman}.{i}",
                    "section_title": gtitle,
                    "content_start": content[:40],
                    "lead": agencies(lead),
                    "coordinators": agencies(coord),
                    "time_text": when,
                    "deadlines": deadlines(when),
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
                "reporters": "Các sở, ban, ngành, UBND các xã, phường, đặc khu",
                "receiver": "Sở Công Thương",
                "frequency": "half-yearly",
                "day": 10,
                "month": None,
                "months": [6, 12],
                "where": "V",
            },
            {
                "reporters": "Sở Công Thương",
                "receiver": "Ủy ban nhân dân thành phố",
                "frequency": "half-yearly",
                "day": 20,
                "month": None,
                "months": [6, 12],
                "where": "V",
            },
        ],
        "tasks": tasks,
    }


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out_dir, exist_ok=True)
    for _, _title, items in GROUPS:
        for row in items:
            for s in row:
                assert s is None or unicodedata.is_normalized("NFC", s), s
    doc = build_document()
    deterministic_save(doc, os.path.join(out_dir, STEM + ".docx"), (2026, 1, 22, 8, 0, 0))
    key = json.dumps(build_key(), ensure_ascii=False, indent=2) + "\n"
    assert unicodedata.is_normalized("NFC", key)
    with open(os.path.join(out_dir, STEM + ".key.json"), "w", encoding="utf-8") as f:
        f.write(key)
    print("wrote", os.path.join(out_dir, STEM + ".docx"))


if __name__ == "__main__":
    main()
