"""A deterministic synthetic knowledge base and question mix that look like real Vietnamese plans, for benchmarks.

:func:`synthetic_knowledge` builds ``plans`` plans with ``tasks`` appendix tasks assigned to the bundled agencies and
``agencies`` synthetic ones (departments' sub-units, district offices, communes, cooperatives and about ten groups),
plus the real seed plan 435/KH-UBND (parsed with the real parser, last, so real questions get real answers). Task
contents recombine phrases of the seed plan with phrases of other policy areas; time phrases are the kinds plans print
("Hàng năm", "Quý II/2019", "Năm 2019 - 2021", ...) and are read with :func:`~knowledge.schedule.parse_time_phrase`,
so deadlines are real.

:func:`synthetic_questions` returns a realistic mix of officers' questions about that knowledge base: agency questions
(with and without diacritics, abbreviations, typos), topics, "ai lo ...", deadlines, upcoming and overdue tasks, task
ids, plan facts, greetings, and the 40 development questions of the test suite.

Everything is drawn from :class:`random.Random` seeded by ``seed``: the same arguments give the same data.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from knowledge.agencies import AgencyRegistry
from knowledge.base import KnowledgeBase
from knowledge.importer import BUNDLED_PLAN, bundled_plan
from knowledge.plan_parser import parse_plan_source
from knowledge.records import (
    Agency,
    AgencyKind,
    Duty,
    Objective,
    Plan,
    ReportingDate,
    ScheduleContext,
    Task,
    YearRange,
)
from knowledge.schedule import parse_time_phrase
from knowledge.text import fold, strip_diacritics

__all__ = ["DEV_QUESTIONS", "synthetic_knowledge", "synthetic_questions"]

DEV_QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "knowledge" / "data" / "dev_questions.jsonl"

# -- vocabulary ----------------------------------------------------------------------------------------------------

# Place-name syllables; two of them make a district or commune name ("Tân Phong", "Vĩnh Hòa").
_PLACE_FIRST = (
    "An Bình Cẩm Đông Gia Hòa Hưng Kim Long Mỹ Ninh Phú Quảng Tân Thạch Thanh Vĩnh Yên Đại Hồng Lạc Minh Ngọc Phúc"
    " Quang Thái Thuận Tiên Trung Xuân Đức Hải Hiệp Lương Nghĩa Nhân Phong Tam Thượng Văn"
).split()
_PLACE_SECOND = (
    "Bình Hà Hải Hòa Lâm Lợi Minh Phong Phước Sơn Thành Thịnh Thuận Tiến Trung Xuân Khê Điền Hưng Lộc Nguyên Quý"
    " Tây Cường Đồng Giang Hiệp Khánh Lập Mỹ Nghĩa Phú Thắng Thủy Trạch Vinh Yên Hội Châu"
).split()

# Actions that open a task ("Chủ trì nghiên cứu, xây dựng ..."), most of them as printed in the seed plan.
_ACTIONS = (
    "Chủ trì nghiên cứu, xây dựng",
    "Triển khai, phối hợp thực hiện",
    "Hướng dẫn thực hiện",
    "Tham mưu Ủy ban nhân dân thành phố ban hành",
    "Rà soát, đánh giá việc thực hiện",
    "Tổ chức tuyên truyền, phổ biến",
    "Kiểm tra, giám sát việc thực hiện",
    "Hỗ trợ các hợp tác xã thực hiện",
    "Đề xuất xây dựng cơ chế, chính sách về",
    "Tổng hợp các khó khăn, vướng mắc về",
    "Chỉ đạo, hướng dẫn, giám sát",
    "Cập nhật số liệu về",
    "Tổ chức tập huấn, bồi dưỡng nghiệp vụ về",
    "Xây dựng kế hoạch và tổ chức thực hiện",
    "Cân đối, đề xuất bố trí kinh phí cho",
    "Sơ kết, đánh giá kết quả thực hiện",
    "Vận động, hướng dẫn, hỗ trợ",
    "Nghiên cứu đề xuất và hướng dẫn",
    "Tăng cường công tác quản lý nhà nước về",
    "Rà soát nhu cầu, thực hiện",
    "Tổ chức quản lý, vận hành và khai thác có hiệu quả",
    "Thực hiện Đề án",
    "Ứng dụng công nghệ thông tin trong",
    "Đẩy mạnh",
    "Nâng cao chất lượng",
)

# What tasks are about: the seed plan's topics first, then those of other plans a city issues.
_OBJECTS = (
    "cơ chế, chính sách hỗ trợ phát triển hợp tác xã",
    "phần mềm kế toán cho các hợp tác xã thành lập mới",
    "chương trình xúc tiến thương mại trong nước và nước ngoài",
    "chương trình, đề án khuyến công",
    "hoạt động vận tải hàng hóa, hành khách công cộng",
    "mô hình hợp tác xã xây dựng",
    "cấp Giấy chứng nhận quyền sử dụng đất, giao đất, cho thuê đất",
    "giảm thiểu ô nhiễm môi trường làng nghề",
    "Chương trình an toàn, vệ sinh lao động",
    "đào tạo nghề cho thành viên và người lao động",
    "chủ trương của Đảng về kinh tế tập thể và Luật Hợp tác xã 2012",
    "tài sản trí tuệ cho sản phẩm đặc sản, làng nghề",
    "tiến bộ khoa học công nghệ vào sản xuất",
    "công tác phòng ngừa, sẵn sàng chữa cháy, cứu nạn, cứu hộ",
    "các quỹ tín dụng nhân dân",
    "chính sách ưu đãi về thuế đối với khu vực kinh tế tập thể",
    "cơ sở dữ liệu kinh tế tập thể",
    "đào tạo, bồi dưỡng cán bộ quản lý hợp tác xã",
    "mô hình hợp tác xã quản lý kinh doanh khai thác chợ",
    "chuyển đổi, tổ chức lại hợp tác xã",
    "giải thể dứt điểm các hợp tác xã ngừng hoạt động",
    "chuyển đổi số trong cơ quan nhà nước",
    "dịch vụ công trực tuyến toàn trình",
    "cải cách thủ tục hành chính",
    "chương trình mục tiêu quốc gia xây dựng nông thôn mới",
    "chương trình mỗi xã một sản phẩm",
    "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "nâng cấp hệ thống đê điều, công trình thủy lợi",
    "trồng và bảo vệ rừng ngập mặn ven biển",
    "phòng, chống dịch bệnh trên gia súc, gia cầm",
    "an toàn thực phẩm tại bếp ăn tập thể",
    "tiêm chủng mở rộng cho trẻ em",
    "nâng cao năng lực y tế cơ sở",
    "bảo hiểm y tế toàn dân",
    "giáo dục nghề nghiệp cho lao động nông thôn",
    "phổ cập giáo dục mầm non cho trẻ năm tuổi",
    "xây dựng trường học đạt chuẩn quốc gia",
    "thu gom, xử lý chất thải rắn sinh hoạt",
    "nước sạch và vệ sinh môi trường nông thôn",
    "quy hoạch, kế hoạch sử dụng đất",
    "giải phóng mặt bằng các dự án trọng điểm",
    "kế hoạch đầu tư công trung hạn",
    "thu hút đầu tư vào các khu công nghiệp",
    "phát triển du lịch cộng đồng",
    "bảo tồn, phát huy giá trị di tích lịch sử, văn hóa",
    "phong trào toàn dân đoàn kết xây dựng đời sống văn hóa",
    "giảm nghèo bền vững",
    "chính sách ưu đãi người có công với cách mạng",
    "bình đẳng giới và phòng, chống bạo lực gia đình",
    "bảo đảm trật tự an toàn giao thông",
    "hạ tầng giao thông nông thôn",
    "hệ thống chiếu sáng công cộng",
    "phát triển đô thị thông minh",
    "hệ thống camera giám sát an ninh trật tự",
    "chữ ký số cho cán bộ, công chức",
    "lưu trữ hồ sơ điện tử",
    "kiểm soát thủ tục hành chính",
    "thanh tra, kiểm tra chuyên ngành",
    "phòng, chống tham nhũng, lãng phí",
    "chống buôn lậu, gian lận thương mại và hàng giả",
    "sử dụng năng lượng tiết kiệm và hiệu quả",
    "điện mặt trời mái nhà",
    "chợ nông thôn và hạ tầng thương mại",
    "hỗ trợ doanh nghiệp nhỏ và vừa",
    "khởi nghiệp đổi mới sáng tạo",
    "thương mại điện tử cho nông sản",
    "truy xuất nguồn gốc nông sản, thực phẩm",
    "cơ giới hóa sản xuất nông nghiệp",
    "nuôi trồng thủy sản bền vững",
    "khai thác hải sản xa bờ",
    "cấp nước sinh hoạt cho khu dân cư",
    "phát triển nhà ở xã hội",
    "chỉnh trang đô thị, vỉa hè",
    "công tác dân số và kế hoạch hóa gia đình",
    "chăm sóc sức khỏe người cao tuổi",
    "phòng, chống ma túy trong học đường",
    "giải quyết việc làm cho thanh niên",
    "đưa người lao động đi làm việc ở nước ngoài",
    "chính sách an sinh xã hội",
    "phong trào thể dục thể thao quần chúng",
    "kiểm định chất lượng công trình xây dựng",
    "quan trắc chất lượng không khí",
    "xử lý nợ xấu của các tổ chức tín dụng",
    "tài chính toàn diện cho người dân nông thôn",
    "thanh toán không dùng tiền mặt",
    "phổ biến, giáo dục pháp luật",
    "trợ giúp pháp lý cho người nghèo",
    "quản lý chất lượng nông lâm sản và thủy sản",
)

# What follows the topic: where, for whom, how.
_COMPLEMENTS = (
    "trên địa bàn thành phố",
    "cho các hợp tác xã",
    "theo đúng quy định của pháp luật",
    "giai đoạn {period}",
    "đảm bảo an toàn, hiệu quả, phát triển bền vững",
    "cho cán bộ, công chức cấp xã",
    "tại các xã, phường, thị trấn",
    "gắn với xây dựng nông thôn mới",
    "trong khu vực kinh tế tập thể",
    "cho người dân và doanh nghiệp",
    "ở các huyện ven biển",
    "tại các làng nghề truyền thống",
    "trong các trường học",
    "tại các khu công nghiệp",
    "cho đồng bào vùng khó khăn",
    "theo Luật Hợp tác xã năm 2012",
    "trên các tuyến giao thông thủy, bộ",
    "cho các cơ sở sản xuất, kinh doanh",
)

# Closing clauses, as the seed plan words them.
_CLOSINGS = (
    "",
    "",
    "",
    "; báo cáo Ủy ban nhân dân thành phố",
    "; kịp thời đề xuất điều chỉnh, bổ sung cơ chế đảm bảo phù hợp, khả thi",
    "; trình UBND thành phố giao các Sở, ngành, địa phương giải quyết theo thẩm quyền",
    "; tổng hợp kết quả gửi Sở Kế hoạch và Đầu tư",
    "; định kỳ đánh giá, rút kinh nghiệm",
)

_PRODUCTS = ("", "", "", "Báo cáo", "Kế hoạch", "Quyết định", "Đề án", "Văn bản hướng dẫn", "Hội nghị")

_SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn".split()
_MIDDLE = "Văn Thị Đức Minh Quang Hữu Thanh Xuân Khắc Ngọc Anh".split()
_GIVEN = "Tùng Nam Cường Hùng Thành Hương Lan Dũng Hải Long Bình Phương Trung Sơn Tuấn Thắng Hòa Việt Hà".split()
_SIGNER_TITLES = ("CHỦ TỊCH", "PHÓ CHỦ TỊCH")

# -- agencies ------------------------------------------------------------------------------------------------------

# City-level units: (name, kind, short, aliases).
_CITY_UNITS: tuple[tuple[str, AgencyKind, str, tuple[str, ...]], ...] = (
    ("Sở Dân tộc và Tôn giáo", "department", "Sở DT&TG", ("Sở DTTG", "Sở Dân tộc")),
    ("Sở Quy hoạch - Kiến trúc", "department", "Sở QH-KT", ("Sở QHKT", "Sở Quy hoạch Kiến trúc")),
    ("Sở Ngoại giao và Hợp tác quốc tế", "department", "Sở NG&HTQT", ("Sở Hợp tác quốc tế",)),
    ("Chi cục Thủy lợi", "department", "CC Thủy lợi", ("Chi cục Thủy lợi thành phố",)),
    ("Chi cục Kiểm lâm", "department", "CCKL", ("Chi cục Kiểm lâm thành phố",)),
    ("Chi cục Chăn nuôi và Thú y", "department", "CC CN&TY", ("Chi cục Thú y", "Chi cục CNTY")),
    ("Chi cục Trồng trọt và Bảo vệ thực vật", "department", "CC TT&BVTV", ("Chi cục BVTV", "Chi cục Bảo vệ thực vật")),
    (
        "Chi cục Quản lý chất lượng nông lâm sản và thủy sản",
        "department",
        "CC QLCL NLS&TS",
        ("Chi cục QLCL NLTS", "Chi cục Quản lý chất lượng"),
    ),
    ("Chi cục Phát triển nông thôn", "department", "CC PTNT", ("Chi cục PTNT",)),
    (
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "department",
        "CC TĐC",
        ("Chi cục TCĐLCL", "Chi cục Tiêu chuẩn Đo lường"),
    ),
    ("Chi cục Dân số - Kế hoạch hóa gia đình", "department", "CC DS-KHHGĐ", ("Chi cục Dân số", "Chi cục DSKHHGĐ")),
    ("Chi cục An toàn vệ sinh thực phẩm", "department", "CC ATVSTP", ("Chi cục ATVSTP", "Chi cục ATTP")),
    ("Chi cục Bảo vệ môi trường", "department", "CC BVMT", ("Chi cục BVMT",)),
    ("Chi cục Văn thư - Lưu trữ", "department", "CC VT-LT", ("Chi cục Văn thư Lưu trữ",)),
    ("Chi cục Quản lý thị trường", "department", "CC QLTT", ("Chi cục QLTT", "Quản lý thị trường")),
    ("Chi cục Thủy sản", "department", "CC Thủy sản", ("Chi cục Khai thác và Bảo vệ nguồn lợi thủy sản",)),
    ("Chi cục Biển và Hải đảo", "department", "CC Biển và Hải đảo", ("Chi cục Biển",)),
    ("Chi cục Giám định xây dựng", "department", "CC GĐXD", ("Chi cục Giám định",)),
    (
        "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch",
        "department",
        "TT XTĐT-TM-DL",
        ("Trung tâm Xúc tiến", "TTXTĐTTMDL", "Trung tâm XTĐT"),
    ),
    ("Trung tâm Khuyến nông", "department", "TTKN", ("Trung tâm Khuyến nông thành phố",)),
    (
        "Trung tâm Công nghệ thông tin và Truyền thông",
        "department",
        "TT CNTT&TT",
        ("Trung tâm CNTT", "Trung tâm Công nghệ thông tin"),
    ),
    ("Trung tâm Kiểm soát bệnh tật", "department", "CDC", ("Trung tâm KSBT", "TTKSBT")),
    ("Trung tâm Dịch vụ việc làm", "department", "TTDVVL", ("Trung tâm DVVL", "Trung tâm Giới thiệu việc làm")),
    ("Trung tâm Quan trắc môi trường", "department", "TTQTMT", ("Trung tâm Quan trắc",)),
    ("Trung tâm Trợ giúp pháp lý nhà nước", "department", "TTTGPL", ("Trung tâm Trợ giúp pháp lý",)),
    ("Trung tâm Phục vụ hành chính công", "department", "TTPVHCC", ("Trung tâm Hành chính công",)),
    ("Trung tâm Phát triển quỹ đất thành phố", "department", "TTPTQĐ TP", ("Trung tâm Phát triển quỹ đất",)),
    (
        "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông",
        "department",
        "BQLDA giao thông",
        ("Ban QLDA giao thông", "Ban Quản lý dự án giao thông"),
    ),
    (
        "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp",
        "department",
        "BQLDA dân dụng",
        ("Ban QLDA dân dụng và công nghiệp", "Ban Quản lý dự án dân dụng"),
    ),
    (
        "Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển nông thôn",
        "department",
        "BQLDA nông nghiệp",
        ("Ban QLDA nông nghiệp", "Ban Quản lý dự án nông nghiệp"),
    ),
    ("Ban Quản lý Cảng cá", "department", "BQL Cảng cá", ("Ban Quản lý các cảng cá",)),
    ("Ban Quản lý Vườn quốc gia Cát Bà", "department", "BQL VQG Cát Bà", ("Vườn quốc gia Cát Bà", "VQG Cát Bà")),
    ("Bảo hiểm xã hội thành phố", "department", "BHXH thành phố", ("BHXH TP", "Bảo hiểm xã hội")),
    ("Cục Thống kê thành phố", "department", "Cục Thống kê", ("Cục Thống kê Hải Phòng",)),
    ("Cục Hải quan thành phố", "department", "Cục Hải quan", ("Cục Hải quan Hải Phòng",)),
    ("Đài Phát thanh và Truyền hình thành phố", "press", "Đài PT&TH", ("Đài PTTH", "Đài Phát thanh Truyền hình")),
    ("Báo Hải Phòng", "press", "", ("Báo HP",)),
    ("Hội Cựu chiến binh thành phố", "front", "Hội CCB", ("Hội Cựu chiến binh", "Hội CCB thành phố")),
    ("Hội Doanh nghiệp nhỏ và vừa thành phố", "union", "Hội DNNVV", ("Hội Doanh nghiệp nhỏ và vừa",)),
    ("Trường Cao đẳng Công nghiệp Hải Phòng", "department", "CĐ Công nghiệp", ("Trường CĐ Công nghiệp",)),
)

# Offices every district has: (name template, kind, short template, alias templates); {p} is the place.
_DISTRICT_UNITS: tuple[tuple[str, AgencyKind, str, tuple[str, ...]], ...] = (
    ("UBND huyện {p}", "district", "UBND {p}", ("huyện {p}", "Ủy ban nhân dân huyện {p}", "{p}")),
    ("Phòng Tài chính - Kế hoạch huyện {p}", "department", "Phòng TC-KH {p}", ("Phòng Tài chính Kế hoạch {p}",)),
    (
        "Phòng Nông nghiệp và Phát triển nông thôn huyện {p}",
        "department",
        "Phòng NN&PTNT {p}",
        ("Phòng Nông nghiệp {p}",),
    ),
    ("Phòng Kinh tế - Hạ tầng huyện {p}", "department", "Phòng KT-HT {p}", ("Phòng Kinh tế Hạ tầng {p}",)),
    ("Phòng Tài nguyên và Môi trường huyện {p}", "department", "Phòng TN&MT {p}", ("Phòng Tài nguyên {p}",)),
    (
        "Phòng Lao động - Thương binh và Xã hội huyện {p}",
        "department",
        "Phòng LĐ-TB&XH {p}",
        ("Phòng Lao động {p}",),
    ),
    ("Phòng Giáo dục và Đào tạo huyện {p}", "department", "Phòng GD&ĐT {p}", ("Phòng Giáo dục {p}",)),
    ("Phòng Văn hóa và Thông tin huyện {p}", "department", "Phòng VH&TT {p}", ("Phòng Văn hóa {p}",)),
    ("Trung tâm Y tế huyện {p}", "department", "TTYT {p}", ("Trung tâm Y tế {p}",)),
    ("Trung tâm Văn hóa - Thể thao huyện {p}", "department", "TTVHTT {p}", ("Trung tâm Văn hóa {p}",)),
    ("Trung tâm Dịch vụ nông nghiệp huyện {p}", "department", "TTDVNN {p}", ("Trung tâm DVNN {p}",)),
    (
        "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện {p}",
        "department",
        "TTGDNN-GDTX {p}",
        ("Trung tâm GDNN-GDTX {p}",),
    ),
    ("Trung tâm Phát triển quỹ đất huyện {p}", "department", "TTPTQĐ {p}", ("Trung tâm PTQĐ {p}",)),
    (
        "Ban Quản lý dự án đầu tư xây dựng huyện {p}",
        "department",
        "BQLDA {p}",
        ("Ban QLDA {p}", "Ban Quản lý dự án {p}"),
    ),
    ("Chi cục Thuế khu vực {p}", "department", "CCT {p}", ("Chi cục Thuế {p}",)),
    ("Công an huyện {p}", "police", "CA huyện {p}", ("Công an {p}",)),
    ("Hội Nông dân huyện {p}", "front", "HND {p}", ("Hội Nông dân {p}",)),
)

# Units every commune has.
_COMMUNE_UNITS: tuple[tuple[str, AgencyKind, str, tuple[str, ...]], ...] = (
    ("UBND xã {p}", "district", "UBND xã {p}", ("xã {p}", "Ủy ban nhân dân xã {p}", "{p}")),
    ("Hợp tác xã Nông nghiệp {p}", "cooperative", "HTX NN {p}", ("HTX Nông nghiệp {p}", "HTX DVNN {p}")),
    ("Ban Quản lý chợ {p}", "department", "BQL chợ {p}", ("Ban Quản lý chợ xã {p}",)),
)

# Groups: (name, short, aliases, member name prefix): members are the synthetic agencies whose name starts so.
_GROUPS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "UBND các xã, thị trấn",
        "UBND cấp xã",
        ("UBND cấp xã", "UBND các xã", "Ủy ban nhân dân các xã, thị trấn"),
        "UBND xã ",
    ),
    ("Các Trung tâm Y tế huyện", "Các TTYT", ("Các TTYT huyện", "Trung tâm Y tế các huyện"), "Trung tâm Y tế huyện "),
    (
        "Các Phòng Tài chính - Kế hoạch",
        "Các Phòng TC-KH",
        ("Phòng TC-KH các huyện", "Phòng Tài chính - Kế hoạch các huyện"),
        "Phòng Tài chính - Kế hoạch huyện ",
    ),
    (
        "Các Phòng Nông nghiệp và PTNT",
        "Các Phòng NN&PTNT",
        ("Phòng NN&PTNT các huyện", "Phòng Nông nghiệp các huyện"),
        "Phòng Nông nghiệp và Phát triển nông thôn huyện ",
    ),
    (
        "Các Phòng Tài nguyên và Môi trường",
        "Các Phòng TN&MT",
        ("Phòng TN&MT các huyện",),
        "Phòng Tài nguyên và Môi trường huyện ",
    ),
    (
        "Các Phòng Giáo dục và Đào tạo",
        "Các Phòng GD&ĐT",
        ("Phòng GD&ĐT các huyện",),
        "Phòng Giáo dục và Đào tạo huyện ",
    ),
    ("Các Chi cục Thuế khu vực", "Các CCT", ("Chi cục Thuế các khu vực", "Các Chi cục Thuế"), "Chi cục Thuế khu vực "),
    (
        "Các Ban Quản lý dự án cấp huyện",
        "Các BQLDA huyện",
        ("Các Ban QLDA cấp huyện", "Ban Quản lý dự án các huyện"),
        "Ban Quản lý dự án đầu tư xây dựng huyện ",
    ),
    (
        "Các Trung tâm Dịch vụ nông nghiệp",
        "Các TTDVNN",
        ("Trung tâm Dịch vụ nông nghiệp các huyện",),
        "Trung tâm Dịch vụ nông nghiệp huyện ",
    ),
    ("Các Chi cục chuyên ngành", "Các Chi cục", ("Chi cục chuyên ngành", "Các Chi cục thuộc Sở"), "Chi cục "),
    ("Các hợp tác xã nông nghiệp", "Các HTX nông nghiệp", ("Các HTX NN", "HTX nông nghiệp các xã"), "Hợp tác xã "),
)

_DISTRICT_SHARE = 0.5  # of the synthetic agencies, the share that belongs to districts (the rest: communes)


def _key(text: str) -> tuple[str, ...]:
    """The registry's matching key of an alias (close enough to :mod:`knowledge.agencies` to avoid conflicts)."""
    return tuple(fold(text).split())


def _places(rng: random.Random, taken: set[tuple[str, ...]], banned: set[str]) -> Iterator[str]:
    """Unique two-syllable place names, shuffled, none of them an existing alias or a common word pair."""
    names = [f"{a} {b}" for a in _PLACE_FIRST for b in _PLACE_SECOND if a != b]
    rng.shuffle(names)
    seen: set[tuple[str, ...]] = set()
    for name in names:
        key = _key(name)
        if key in taken or key in seen or " ".join(key) in banned:
            continue
        seen.add(key)
        yield name


def _content_pairs() -> set[str]:
    """Folded adjacent word pairs of the vocabulary: place names must not read like a topic ("An Toàn")."""
    pairs: set[str] = set()
    for text in (*_ACTIONS, *_OBJECTS, *_COMPLEMENTS, *_CLOSINGS):
        words = fold(text).split()
        pairs.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return pairs


def _synthetic_agencies(count: int, rng: random.Random, bundled: AgencyRegistry) -> list[Agency]:
    """``count`` synthetic agencies (groups included) whose aliases do not clash with ``bundled`` or each other."""
    taken: set[tuple[str, ...]] = set()
    for agency in bundled:
        for alias in (agency.name, agency.short, *agency.aliases):
            if alias:
                taken.add(_key(alias))
    out: list[Agency] = []

    def add(name: str, kind: AgencyKind, short: str, aliases: Sequence[str], members: Sequence[str] = ()) -> bool:
        keys = {_key(a) for a in (name, short, *aliases) if a}
        if len(out) >= count or keys & taken:
            return False
        taken.update(keys)
        unique = tuple(dict.fromkeys(a for a in aliases if a and a != name))
        out.append(Agency(name=name, kind=kind, short=short, aliases=unique, members=tuple(members)))
        return True

    budget = count - len(_GROUPS)
    for name, kind, short, aliases in _CITY_UNITS:
        if len(out) < budget:
            add(name, kind, short, aliases)
    places = _places(rng, taken, _content_pairs())
    district_budget = int(budget * _DISTRICT_SHARE)
    while len(out) < min(budget, district_budget):
        place = next(places)
        for template, kind, short, aliases in _DISTRICT_UNITS:
            if len(out) < budget:
                add(template.format(p=place), kind, short.format(p=place), [a.format(p=place) for a in aliases])
    while len(out) < budget:
        try:
            place = next(places)
        except StopIteration as exc:
            raise ValueError(f"not enough place names for {count} agencies") from exc
        for template, kind, short, aliases in _COMMUNE_UNITS:
            if len(out) < budget:
                add(template.format(p=place), kind, short.format(p=place), [a.format(p=place) for a in aliases])
    members_of = {prefix: [a.name for a in out if a.name.startswith(prefix)] for *_, prefix in _GROUPS}
    for name, short, aliases, prefix in _GROUPS:
        add(name, "group", short, aliases, members_of[prefix])
    return out


# -- plans ---------------------------------------------------------------------------------------------------------

_ROMAN = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(number: int) -> str:
    out = ""
    for value, numeral in _ROMAN:
        while number >= value:
            out += numeral
            number -= value
    return out


def _time_phrase(rng: random.Random, period: YearRange) -> str:
    """A time phrase of the kinds plans print, inside ``period``."""
    year = rng.randint(period.start, period.end)
    kind = rng.choices(
        ("yearly", "continuous", "quarter", "year", "range", "month", "before", "quarterly", "monthly", "yearly_date"),
        weights=(40, 10, 10, 10, 10, 5, 5, 4, 1, 5),
    )[0]
    if kind == "yearly":
        return rng.choice(("Hàng năm", "Hằng năm", "Định kỳ hằng năm"))
    if kind == "continuous":
        return rng.choice(("Thường xuyên", "Thường xuyên, liên tục"))
    if kind == "quarter":
        return f"Quý {_roman(rng.randint(1, 4))}/{year}"
    if kind == "year":
        return rng.choice((f"Năm {year}", f"Trong năm {year}", f"Cuối năm {year}"))
    if kind == "range":
        first = rng.randint(period.start, max(period.start, period.end - 1))
        last = rng.randint(first + 1, max(first + 1, period.end))
        return rng.choice((f"Năm {first} - {last}", f"Giai đoạn {first}-{last}"))
    if kind == "month":
        return f"Tháng {rng.randint(1, 12)}/{year}"
    if kind == "before":
        day, month = rng.choice(((30, 9), (31, 3), (30, 6), (15, 12), (31, 10), (15, 7)))
        return f"Trước {day}/{month}/{year}"
    if kind == "quarterly":
        return "Hằng quý"
    if kind == "monthly":
        return "Hằng tháng"
    day, month = rng.choice(((15, 12), (30, 11), (15, 11)))
    return f"Trước ngày {day}/{month} hằng năm"


def _content(rng: random.Random, period: YearRange) -> str:
    action = rng.choice(_ACTIONS)
    topic = rng.choice(_OBJECTS)
    complement = rng.choice(_COMPLEMENTS).format(period=f"{period.start} - {period.end}")
    return f"{action} {topic} {complement}{rng.choice(_CLOSINGS)}."


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _plan_sizes(tasks: int, plans: int, rng: random.Random) -> list[int]:
    """``plans`` sizes summing to ``tasks``, each within about ±50% of the mean."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(plans)]
    total = sum(weights)
    sizes = [int(tasks * w / total) for w in weights]
    for i in range(tasks - sum(sizes)):
        sizes[i % plans] += 1
    return sizes


def _synthetic_plan(
    rng: random.Random,
    number: str,
    size: int,
    leads: Sequence[Agency],
    lead_weights: Sequence[float],
    coordinators: Sequence[Agency],
) -> Plan:
    start = rng.randint(2018, 2024)
    period = YearRange(start=start, end=start + rng.choice((0, 1, 2, 2, 3, 4, 5)))
    issued_on = date(start, rng.randint(1, 6), rng.randint(1, 28))
    reporting = (
        ReportingDate(month=11, day=15, label="IV.4", text="gửi báo cáo về Sở Kế hoạch và Đầu tư trước ngày 15/11")
        if rng.random() < 0.8
        else None
    )
    city = ReportingDate(month=12, day=10, label="IV.4") if reporting is not None else None
    topic = rng.choice(_OBJECTS)
    title = f"Kế hoạch thực hiện {topic} trên địa bàn thành phố giai đoạn {period.start} - {period.end}"
    objectives = tuple(
        Objective(
            label=f"MT.{i}",
            text=f"Đến hết năm {period.end}, {rng.choice(_OBJECTS)} đạt {rng.choice((50, 70, 80, 90, 100))}% kế hoạch.",
            target_date=date(period.end, 12, 31),
        )
        for i in range(1, rng.randint(2, 4) + 1)
    )
    duty_agency = rng.choice(leads)
    duties = (
        Duty(
            code="TCTH.1",
            label="IV.1",
            text=f"Giao {duty_agency.name}: căn cứ nội dung Kế hoạch tổ chức triển khai và đôn đốc, kiểm tra.",
            agencies=(duty_agency.name,),
        ),
        Duty(
            code="TCTH.4",
            label="IV.4",
            text="Các Sở, ban, ngành và UBND các quận, huyện báo cáo định kỳ hàng năm trước ngày 15 tháng 11.",
        ),
    )
    tasks: list[Task] = []
    section = 0
    while len(tasks) < size:
        section += 1
        lead = rng.choices(leads, weights=lead_weights)[0]
        code_section = _roman(section)
        for item in range(1, min(rng.randint(1, 8), size - len(tasks)) + 1):
            picked = rng.sample(coordinators, k=rng.randint(0, 4))
            names = tuple(dict.fromkeys(a.name for a in picked if a.name != lead.name))
            time_text = _time_phrase(rng, period)
            code = f"{code_section}.{item}"
            schedule = parse_time_phrase(
                time_text,
                ScheduleContext(period=period, reporting_date=reporting, plan_date=issued_on, section=code),
            )
            tasks.append(
                Task(
                    plan_number=number,
                    code=code,
                    position=len(tasks) + 1,
                    section_code=code_section,
                    section_title=lead.name.upper(),
                    content=_content(rng, period),
                    lead=(lead.name,),
                    coordinators=names,
                    product=rng.choice(_PRODUCTS),
                    time_text=time_text,
                    schedule=schedule,
                    coordinators_text=", ".join(a.short or a.name for a in picked),
                )
            )
    return Plan(
        number=number,
        title=title,
        issuer="Ủy ban nhân dân thành phố Hải Phòng",
        issued_on=issued_on,
        period=period,
        signer=_person(rng),
        signer_title=rng.choice(_SIGNER_TITLES),
        reporting_date=reporting,
        city_reporting_date=city,
        objectives=objectives,
        duties=duties,
        tasks=tuple(tasks),
        source_name=f"kh-{number.split('/')[0]}-ubnd-{start}.md",
    )


def synthetic_knowledge(
    *, tasks: int = 10_000, agencies: int = 1_000, plans: int = 200, seed: int = 7
) -> KnowledgeBase:
    """A knowledge base of the seed plan plus ``plans`` synthetic plans with ``tasks`` tasks over ``agencies``
    synthetic agencies (and the bundled ones). Deterministic in its arguments.
    """
    if plans < 1 or tasks < plans or agencies < len(_GROUPS) + 1:
        raise ValueError("need plans >= 1, tasks >= plans and agencies > the number of groups")
    rng = random.Random(seed)
    bundled = AgencyRegistry.bundled()
    extra = _synthetic_agencies(agencies, rng, bundled)
    registry = bundled.with_agencies(extra)

    # Who leads: the bundled departments and unions most, synthetic units often, groups now and then.
    synthetic = {a.name for a in extra}
    leads: list[Agency] = []
    weights: list[float] = []
    for agency in registry:
        if agency.kind == "unknown":
            continue
        if agency.name in synthetic:
            weight = 0.3 if agency.kind == "group" else 1.0
        else:
            weight = 2.0 if agency.kind == "group" else 12.0
        leads.append(agency)
        weights.append(weight)
    coordinators = [a for a in registry if a.kind == "group"] * 10 + list(registry)

    numbers = rng.sample(range(100, 9999), k=plans + 1)
    numbers = [n for n in numbers if n != 435][:plans]
    out: list[Plan] = []
    for number, size in zip(numbers, _plan_sizes(tasks, plans, rng), strict=True):
        out.append(_synthetic_plan(rng, f"{number}/KH-UBND", size, leads, weights, coordinators))
    seed_plan = parse_plan_source(bundled_plan(), name=BUNDLED_PLAN, registry=registry).plan
    out.append(seed_plan)  # last: plan-fact questions without a plan number are about the latest plan
    return KnowledgeBase(out, registry)


# -- questions -----------------------------------------------------------------------------------------------------

_AGENCY_TEMPLATES = (
    "{a} có nhiệm vụ gì",
    "{a} có nhiệm vụ gì?",
    "{a} phải làm gì",
    "nhiệm vụ của {a}",
    "Nhiệm vụ của {a} là gì?",
    "{a} được giao việc gì?",
    "{a} chủ trì những việc gì",
    "{a} phối hợp nhiệm vụ nào",
    "{a} cần làm những việc nào",
    "{a}",
)
_TOPIC_TEMPLATES = ("{t}", "{t}", "nhiệm vụ về {t}", "việc {t}", "{t} là của ai", "kế hoạch nào có {t}")
_WHO_TEMPLATES = ("Ai lo {t}?", "ai phụ trách {t}", "ai chủ trì {t}", "{t} giao cho ai", "cơ quan nào lo {t}")
_DEADLINE_TEMPLATES = ("hạn {t} khi nào", "{t} hạn khi nào", "khi nào phải hoàn thành {t}?", "{t} bao giờ xong")
_UPCOMING = (
    "sắp đến hạn việc gì",
    "sắp đến hạn",
    "việc gì đến hạn tháng này",
    "nhiệm vụ đến hạn trong 30 ngày tới",
    "tháng 12 có việc gì đến hạn",
    "tuần này có việc gì phải làm",
    "nhiệm vụ sắp hết hạn",
)
_UPCOMING_AGENCY = ("{a} sắp đến hạn việc gì", "việc của {a} sắp đến hạn", "{a} có việc gì đến hạn tháng này")
_OVERDUE = ("việc nào quá hạn", "nhiệm vụ quá hạn", "có việc gì trễ hạn không", "{a} có việc gì quá hạn")
_DETAIL = ("chi tiết {c}", "nhiệm vụ {c}", "{c}", "cho xem {c}", "Chi tiết nhiệm vụ {c}")
_GREETINGS = ("xin chào", "chào bot", "cảm ơn", "hello", "hướng dẫn", "bạn làm được gì", "help", "alo", "ok")
_PLAN_FACTS = (
    "kế hoạch {n} do ai ký",
    "kế hoạch {n} ban hành ngày nào",
    "mục tiêu của kế hoạch {n}",
    "kế hoạch {n} giai đoạn nào",
    "Kế hoạch do ai ký?",
    "hạn báo cáo hằng năm",
    "Các sở gửi báo cáo hằng năm trước ngày nào?",
)
_UNKNOWN_AGENCIES = ("Sở Ngoại giao", "Sở Hàng hải", "Trung tâm Vũ trụ", "Chi cục Hải đăng", "Ban Quản lý Sân bay")
_MINE = ("nhiệm vụ của tôi", "việc của tôi sắp đến hạn", "đơn vị tôi phải làm gì")

_KINDS = (
    ("agency", 28),
    ("topic", 18),
    ("who", 10),
    ("deadline", 10),
    ("upcoming", 6),
    ("overdue", 3),
    ("detail", 6),
    ("greeting", 3),
    ("typo", 6),
    ("unknown", 2),
    ("facts", 4),
    ("mine", 2),
    ("dev", 2),
)


def _dev_questions() -> list[str]:
    if not DEV_QUESTIONS.exists():
        return []
    lines = DEV_QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [str(json.loads(line)["q"]) for line in lines if line.strip()]


def _casual(text: str, rng: random.Random) -> str:
    """How people type: as printed, lower case, or lower case without diacritics."""
    roll = rng.random()
    if roll < 0.5:
        return text
    if roll < 0.75:
        return text.lower()
    return strip_diacritics(text).lower()


def _typo(text: str, rng: random.Random) -> str:
    """Drop or double one letter of a longer word."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 4]
    if not long:
        return text
    i = rng.choice(long)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    words[i] = word[:j] + word[j + 1 :] if rng.random() < 0.6 else word[:j] + word[j] + word[j:]
    return " ".join(words)


def _fragment(task: Task, rng: random.Random) -> str:
    """The task's topic, or two to four consecutive words of it, as someone would recall it."""
    topics = [t for t in _OBJECTS if t in task.content]
    if topics:
        words = max(topics, key=len).replace(",", "").split()
        if len(words) <= 6 and rng.random() < 0.4:
            return " ".join(words).lower()
    else:
        clauses = [c.strip(" .") for c in task.content.replace(";", ",").split(",") if len(c.split()) >= 2]
        words = (rng.choice(clauses) if clauses else task.content).split()
    # Most Vietnamese words are two syllables: cut at even offsets so "bạo lực | gia đình" stays whole.
    size = min(len(words), rng.choice((2, 2, 3, 4)))
    start = 2 * rng.randint(0, max(0, (len(words) - size) // 2))
    return " ".join(words[start : start + size]).lower()


def _agency_form(agency: Agency, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5 or not (agency.aliases or agency.short):
        return agency.name
    if roll < 0.8 and agency.aliases:
        return rng.choice(agency.aliases)
    return agency.short or agency.name


def synthetic_questions(kb: KnowledgeBase, n: int = 2_000, seed: int = 7) -> list[str]:
    """``n`` officers' questions about ``kb`` in a realistic mix; the 40 dev questions come first. Deterministic."""
    rng = random.Random(seed)
    tasks = kb.tasks
    with_tasks = kb.agencies_in_plans()
    everyone = [a for a in kb.registry if a.kind != "unknown"]
    questions = _dev_questions()[:n]
    kinds = [k for k, _ in _KINDS]
    weights = [w for _, w in _KINDS]
    dev = _dev_questions()
    while len(questions) < n:
        kind = rng.choices(kinds, weights=weights)[0]
        agency = rng.choice(with_tasks) if rng.random() < 0.85 else rng.choice(everyone)
        task = rng.choice(tasks)
        if kind == "agency":
            q = rng.choice(_AGENCY_TEMPLATES).format(a=_agency_form(agency, rng))
        elif kind == "topic":
            q = rng.choice(_TOPIC_TEMPLATES).format(t=_fragment(task, rng))
        elif kind == "who":
            q = rng.choice(_WHO_TEMPLATES).format(t=_fragment(task, rng))
        elif kind == "deadline":
            q = rng.choice(_DEADLINE_TEMPLATES).format(t=_fragment(task, rng))
        elif kind == "upcoming":
            if rng.random() < 0.5:
                q = rng.choice(_UPCOMING)
            else:
                q = rng.choice(_UPCOMING_AGENCY).format(a=_agency_form(agency, rng))
        elif kind == "overdue":
            q = rng.choice(_OVERDUE).format(a=_agency_form(agency, rng))
        elif kind == "detail":
            q = rng.choice(_DETAIL).format(c=task.code)
        elif kind == "greeting":
            q = rng.choice(_GREETINGS)
        elif kind == "typo":
            base = (
                rng.choice(_AGENCY_TEMPLATES).format(a=_agency_form(agency, rng))
                if rng.random() < 0.5
                else _fragment(task, rng)
            )
            q = _typo(base, rng)
        elif kind == "unknown":
            q = f"{rng.choice(_UNKNOWN_AGENCIES)} có nhiệm vụ gì"
        elif kind == "facts":
            q = rng.choice(_PLAN_FACTS).format(n=rng.choice(kb.plans).number.split("/")[0])
        elif kind == "mine":
            q = rng.choice(_MINE)
        else:
            q = rng.choice(dev) if dev else "xin chào"
        questions.append(_casual(q, rng))
    return questions


def scale_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options every at-scale bench takes: size of the synthetic knowledge base, rounds, PostgreSQL URL."""
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="also measure on this (empty) PostgreSQL database URL")
    return parser
