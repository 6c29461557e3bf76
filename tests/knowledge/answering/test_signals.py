"""Signals: read once per question — cue classes, agencies and whether they are the subject, plans, ids, windows."""

from __future__ import annotations

from datetime import date

from knowledge.answering.catalogue import Catalogue
from knowledge.answering.question import read_question
from knowledge.answering.signals import Signals, read_signals

TODAY = date(2018, 10, 1)


def signals(catalogue: Catalogue, text: str, **kwargs: object) -> Signals:
    return read_signals(text, catalogue, today=TODAY, **kwargs)  # type: ignore[arg-type]


def assert_unknown_bodies(catalogue: Catalogue, *texts: str) -> None:
    """Each text names a body that is no agency of the plans: unknown, and a state body (never a topic)."""
    for text in texts:
        s = signals(catalogue, text)
        assert s.agencies.status == "unknown" and s.agencies.state_body, text


def test_agency_named_is_the_subject(catalogue: Catalogue) -> None:
    s = signals(catalogue, "So tai chinh phai lam gi")
    assert s.agencies.status == "found" and [a.name for a in s.agencies.agencies] == ["Sở Tài chính"]
    assert s.agency_is_subject and s.agency_has_tasks
    assert "agency_tasks" in s.cues and s.rest_terms == ()


def test_a_collective_inside_a_topic_is_not_the_subject(catalogue: Catalogue) -> None:
    s = signals(catalogue, "hướng dẫn các hợp tác xã vận tải tham gia vận tải hành khách công cộng")
    assert not s.agency_is_subject


def test_agency_like_names_not_in_the_registry_are_unknown(catalogue: Catalogue) -> None:
    s = signals(catalogue, "Trung tâm Hàng hải làm gì")
    assert s.agencies.status == "unknown" and s.agencies.text == "Trung tâm Hàng hải"


def test_first_person_and_asker(catalogue: Catalogue) -> None:
    s = signals(catalogue, "việc của em sắp đến hạn", asker="Sở Tài chính")
    assert s.first_person and s.asker == "Sở Tài chính"
    assert not signals(catalogue, "việc sắp đến hạn").first_person


def test_window_and_period(catalogue: Catalogue) -> None:
    s = signals(catalogue, "tháng 11 có hạn gì")
    assert (
        s.period_named
        and s.window is not None
        and (s.window.start, s.window.end)
        == (
            date(2018, 11, 1),
            date(2018, 11, 30),
        )
    )
    assert signals(catalogue, "ai lo phần mềm kế toán").window is None


def test_topic_searches_are_remembered_per_question(catalogue: Catalogue) -> None:
    s = signals(catalogue, "phần mềm kế toán")
    first = s.topics.tasks("phần mềm kế toán")
    assert first and first[0].item.code == "I.2"
    assert s.topics.tasks("phần mềm kế toán") is first
    assert s.topics.coverage("thời tiết ngày mai") == 0.0


def test_the_question_is_normalised_once(catalogue: Catalogue) -> None:
    s = signals(catalogue, "SKHĐT dc giao lam nhung viec j")
    assert s.question.words == tuple(s.question.expanded.split())
    assert "duoc" in s.question.words and "gi" in s.question.words


def test_common_nouns_ending_in_a_head_word_are_no_agency(catalogue: Catalogue) -> None:
    """ "trụ sở", "cơ sở", "liên quan" hold "sở" / "quan" but start no agency name."""
    for text in ("sửa sang trụ sở, mua máy móc cho bộ phận một cửa", "việc liên quan đến thuế", "cơ sở dữ liệu HTX"):
        assert signals(catalogue, text).agencies.status == "none", text


def test_customs_and_social_insurance_start_state_body_names(catalogue: Catalogue) -> None:
    assert_unknown_bodies(catalogue, "Hải quan Hải Phòng phải làm gì", "Bảo hiểm xã hội tỉnh Nam Định có việc gì")


def test_a_body_of_another_province_or_city_is_not_the_citys(catalogue: Catalogue) -> None:
    assert_unknown_bodies(
        catalogue,
        "Sở Công Thương tỉnh Nam Định có nhiệm vụ gì",
        "so tai chinh tinh thai binh lam gi",
        "Sở Y tế TP Hồ Chí Minh được giao gì",
        "Sở Xây dựng Hà Nội phải làm gì",
    )
    for text in ("Sở Công Thương thành phố có nhiệm vụ gì", "Sở Tài chính tính kinh phí thế nào"):
        assert signals(catalogue, text).agencies.status == "found", text


def test_a_long_name_placed_elsewhere_is_not_read_as_its_shorter_prefix(catalogue: Catalogue) -> None:
    # the registry knows both "Sở Nông nghiệp và Môi trường" and the older "Sở Nông nghiệp …": the longer one placed
    # in another province must not fall back to the city's shorter namesake
    s = signals(catalogue, "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa làm gì về thủy lợi")
    assert s.agencies.status == "unknown" and s.agencies.state_body
    assert s.agencies.text == "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa"
    assert s.agencies.rest == "làm gì về thủy lợi"


def test_the_state_audit_office_is_a_body(catalogue: Catalogue) -> None:
    assert_unknown_bodies(catalogue, "Kiểm toán Nhà nước khu vực II được giao gì", "kiem toan nha nuoc lam gi")
    assert signals(catalogue, "ai lo kiểm toán báo cáo tài chính").agencies.status == "none"


def test_a_place_in_small_talk_is_no_body_asked_about(catalogue: Catalogue) -> None:
    assert not signals(catalogue, "Thủy Nguyên có món gì ngon không").agency_is_subject
    for text in ("Thủy Nguyên có nhiệm vụ gì", "Thủy Nguyên", "thuy nguyen co phai bao cao khong"):
        assert signals(catalogue, text).agency_is_subject, text


def test_an_acronym_the_plans_never_use_names_a_body(catalogue: Catalogue) -> None:
    s = signals(catalogue, "USAID Hoa Kỳ có nhiệm vụ gì trong kế hoạch")
    assert s.agencies.status == "unknown" and s.agencies.text == "USAID Hoa Kỳ"
    for text in ("HTX có việc gì", "SỞ TÀI CHÍNH LÀM GÌ", "theo QĐ-UBND thì sao", "ai lo OCOP"):
        assert signals(catalogue, text).agencies.status != "unknown", text


def test_the_asker_speaking_ends_a_body_name(catalogue: Catalogue) -> None:
    s = signals(catalogue, "UBND quận chúng tôi phải làm gì")  # "UBND quận" and the asker, not a body "… chúng tôi"
    assert s.agencies.status == "found" and [a.kind for a in s.agencies.agencies] == ["group"]


def test_the_issuer_code_in_a_plan_number_names_no_agency(catalogue: Catalogue) -> None:
    assert signals(catalogue, "Theo Kế hoạch 45/KH-SNV, việc nào hạn tháng 3").agencies.status == "none"
    assert signals(catalogue, "Sở Nội vụ có việc gì").agencies.status == "found"


def test_a_school_is_a_body_and_a_market_is_not(catalogue: Catalogue) -> None:
    assert signals(catalogue, "Trường Chính trị Tô Hiệu có nhiệm vụ gì").agencies.status == "unknown"
    for text in ("mở rộng thị trường tiêu thụ", "bảo vệ môi trường làng nghề", "trường hợp hợp tác xã giải thể"):
        assert signals(catalogue, text).agencies.status == "none", text


def test_an_activity_a_body_is_named_after_is_a_topic_inside_a_question(catalogue: Catalogue) -> None:
    inside = signals(catalogue, "hạn nghiệm thu các công trình về PCCC là khi nào")
    assert inside.agencies.headless and not inside.agency_is_subject
    assert "phong chay chua chay" in inside.topic  # the activity stays in the topic
    for text in ("PCCC có nhiệm vụ gì", "nhiệm vụ của Cảnh sát PCCC về kiểm tra hợp tác xã"):
        assert signals(catalogue, text).agency_is_subject, text


def test_a_body_named_inside_a_plan_title_names_the_plan(catalogue: Catalogue) -> None:
    question = read_question("so xay dung lam gi trong ke hoach pccc")
    titled = catalogue.finder.find(question, plan_titles=("ke hoach phong chay chua chay",))
    assert [a.name for a in titled.agencies] == ["Sở Xây dựng"]
    assert len(catalogue.finder.find(question).agencies) == 2  # without the plan, "PCCC" is the fire police


def test_a_place_inside_another_bodys_name_is_that_bodys(catalogue: Catalogue) -> None:
    assert_unknown_bodies(
        catalogue, "Ngân hàng Agribank chi nhánh Kiến An có nhiệm vụ gì", "Công an quận Kiến An làm gì"
    )
    for text in ("UBND quận Kiến An làm gì", "Kiến An có nhiệm vụ gì", "Ủy ban MTTQ thành phố phụ trách việc nào"):
        assert signals(catalogue, text).agencies.status == "found", text


def test_a_body_named_with_another_city_is_no_near_namesake(catalogue: Catalogue) -> None:
    assert_unknown_bodies(catalogue, "Công ty Cổ phần Cảng Đà Nẵng có việc gì")


def test_a_district_where_something_else_happens_is_no_body_asked_about(catalogue: Catalogue) -> None:
    assert not signals(catalogue, "tuần sau quận Lê Chân có mất điện sinh hoạt không").agency_is_subject
    for text in ("tuần sau quận Lê Chân có việc gì", "quận Lê Chân tuần sau có gì không"):
        assert signals(catalogue, text).agency_is_subject, text


def test_associations_and_companies_named_the_english_way_are_bodies(catalogue: Catalogue) -> None:
    assert_unknown_bodies(
        catalogue,
        "Hiệp hội Vận tải ô tô Hải Phòng có nhiệm vụ gì",
        "Hoa Sen Group được giao việc gì",
        "Công ty cổ phần Thép Việt có nhiệm vụ gì",
        "công ty TNHH Minh Long được giao gì",
    )
    assert signals(catalogue, "nhóm họp group chat của phòng").agencies.status == "none"


def test_a_department_named_by_its_kind_alone_is_the_askers(catalogue: Catalogue) -> None:
    own = signals(catalogue, "những việc Sở phải chủ trì năm nay", asker="Sở Tài chính")
    assert own.own_kind and own.first_person
    for text in ("sở nào chủ trì việc này", "các sở phải làm gì", "so nay co viec gi"):  # another, any, or "số"
        assert not signals(catalogue, text, asker="Sở Tài chính").own_kind, text
    assert not signals(catalogue, "những việc Sở phải chủ trì năm nay").own_kind  # no asker known


def test_a_brand_with_capitals_inside_is_a_body(catalogue: Catalogue) -> None:
    s = signals(catalogue, "siêu thị BigMart được giao việc gì")
    assert s.agencies.status == "unknown" and s.agencies.text.startswith("BigMart")


def test_a_name_with_its_acronym_in_brackets_is_one_body(catalogue: Catalogue) -> None:
    s = signals(catalogue, "Quỹ Phát triển khoa học quốc gia (NAFOSTED) được giao hỗ trợ HTX thế nào")
    assert s.agencies.status == "unknown" and s.agencies.text == "Quỹ Phát triển khoa học quốc gia (NAFOSTED)"


def test_a_foreign_name_that_heads_a_question_is_a_body(catalogue: Catalogue) -> None:
    assert_unknown_bodies(
        catalogue,
        "Vietinbank chi nhánh Lê Chân có được giao việc gì không",
        "Hội chợ có Samsung Electronics tham gia không, họ có nhiệm vụ gì",
    )
    branch = signals(catalogue, "Vietinbank chi nhánh Lê Chân có được giao việc gì không")
    assert branch.agencies.text == "Vietinbank chi nhánh Lê Chân"  # the branch and its place are the body's name
    # a capital that only starts the question, and a plan word mistyped, are no names of their own
    for text in ("Internet cho hợp tác xã do ai lo", "hợp tác xã Phòg Tiến làm gì"):
        assert signals(catalogue, text).agencies.status == "none", text
    assert signals(catalogue, "Sở Xây dựg có nhiệm vụ gì").agencies.status == "found"


def test_a_fund_or_hospital_named_by_a_name_of_its_own_is_a_body(catalogue: Catalogue) -> None:
    assert_unknown_bodies(
        catalogue,
        "Quỹ Bảo lãnh tín dụng Hải Phòng có nhiệm vụ gì",
        "Bệnh viện Việt Tiệp được giao việc gì",
    )
    assert signals(catalogue, "Quỹ Bảo lãnh tín dụng Hải Phòng có nhiệm vụ gì").agencies.text == (
        "Quỹ Bảo lãnh tín dụng Hải Phòng"
    )
    # the plan's own fund is a topic it treats; a city named "Quy …" is no fund; a lower-case "quỹ" is a word
    for text in ("Quỹ Hỗ trợ phát triển HTX được bổ sung vốn thế nào", "HTX ở Quy Nhơn làm gì", "quỹ tín dụng làm gì"):
        assert signals(catalogue, text).agencies.status == "none", text


def test_a_school_or_centre_named_by_a_name_of_its_own_is_a_body(catalogue: Catalogue) -> None:
    # "Trường Chính trị": the plan writes "chủ trương chính sách", which folds alike but is no such pair
    assert_unknown_bodies(catalogue, "Trường Chính trị Tô Hiệu có nhiệm vụ gì", "Trung tâm Xúc tiến Du lịch làm gì")
    assert signals(catalogue, "Trường Chính trị Tô Hiệu có nhiệm vụ gì").agencies.text == "Trường Chính trị Tô Hiệu"
    assert signals(catalogue, "Trường hợp hợp tác xã giải thể thì ai hướng dẫn").agencies.status == "none"


def test_a_file_typed_without_marks_is_no_department(catalogue: Catalogue) -> None:
    assert signals(catalogue, "nop ho so dang ky hop tac xa o dau").agencies.status == "none"  # "hồ sơ", not "Sở"
