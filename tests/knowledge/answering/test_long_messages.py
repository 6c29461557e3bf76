"""Long, chatty messages and framing words: the topic ends with its clause, a story told first does not hide the
task a later clause describes, a group is named by the start of its title, and a coordinator's late tasks."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from knowledge.agencies import AgencyRegistry
from knowledge.answering.question import read_question
from knowledge.answering.signals import read_signals
from knowledge.answering.vocabulary import cue_book
from knowledge.answers import Answer, AnswerEngine
from knowledge.base import KnowledgeBase
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan
from knowledge.text import clauses
from tests.knowledge.answering.conftest import PLANS

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def ask(engine: AnswerEngine, text: str, **kwargs: object) -> Answer:
    return engine.answer(text, now=NOW, **kwargs)  # type: ignore[arg-type]


def ids(answer: Answer) -> list[str]:
    return [f"{t.plan_number.split('/')[0]}:{t.code}" for t in answer.tasks]


def test_clauses_end_at_commas_and_stops_not_inside_numbers() -> None:
    assert clauses("vốn, đất đai; thuế. Còn gì?") == ["vốn", "đất đai", "thuế", "Còn gì"]
    assert clauses("tỷ lệ 12.5 phần trăm") == ["tỷ lệ 12.5 phần trăm"]


def test_the_topic_after_ve_ends_with_its_clause(two_plans: AnswerEngine) -> None:
    about = read_signals(
        "Sở Nội vụ còn phải làm gì về đào tạo nghề, chị nghe người ta bảo thế", two_plans.catalogue, today=NOW.date()
    ).about
    assert about == "đào tạo nghề"
    # a short clause a task treats is the next item of a list
    listed = read_signals("Sở Tài chính có việc gì về vốn, tín dụng và đất đai", two_plans.catalogue, today=NOW.date())
    assert listed.about == "vốn tín dụng và đất đai"


def test_a_topic_every_task_of_the_plans_has_filters_nothing(two_plans: AnswerEngine) -> None:
    # every task of the cooperatives plan is about cooperatives: asking an agency's tasks "about HTX" lists them all
    plain = ask(two_plans, "Sở Nội vụ có nhiệm vụ gì")
    about = ask(two_plans, "sở nội vụ giờ phải làm gì về htx nhỉ, anh em vẫn hay hỏi")
    assert ids(about) == ids(plain) == ["38:V.2", "38:VI.3"]


def test_listing_verbs_and_a_purpose_are_no_topic_of_a_period(two_plans: AnswerEngine) -> None:
    plain = ask(two_plans, "những nhiệm vụ đến hạn trong tháng 12/2026")
    framed = ask(two_plans, "Đề nghị liệt kê những nhiệm vụ đến hạn trong tháng 12/2026 để đôn đốc các đơn vị")
    assert ids(plain) and ids(framed) == ids(plain)


def test_a_group_is_named_by_the_start_of_its_title(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "mảng chuyển đổi số cho hợp tác xã do những đơn vị nào chủ trì")
    assert ids(answer) == ["38:II.1", "38:II.2", "38:II.3", "38:II.4"]
    # "mang" typed without marks in a question typed with marks is the verb "mang" (carry), not "mảng"
    carried = read_signals("đi họp có cần mang chuyển đổi số theo không", two_plans.catalogue, today=NOW.date())
    assert carried.sections == ()


def test_cue_book_after_respects_marks() -> None:
    book = cue_book()
    question = read_question("lĩnh vực nguồn nhân lực")
    assert book.after(question.words, "section_word", question.marked) == ["nguon", "nhan", "luc"]
    typed = read_question("hãy mang nguồn nhân lực")
    assert book.after(typed.words, "section_word", typed.marked) == []
    assert book.after(typed.words, "section_word") == ["nguon", "nhan", "luc"]  # marks unknown: any reading


def test_a_story_told_first_does_not_hide_the_task_a_later_clause_describes(two_plans: AnswerEngine) -> None:
    text = (
        "con chau toi hoc xong cao dang muon ve que giup htx, nghe noi co chinh sach ho tro dua lao dong tre "
        "ve lam viec tai htx, ai lo viec do"
    )
    assert ids(ask(two_plans, text))[:1] == ["38:V.2"]


def test_small_talk_around_a_clause_sharing_a_word_with_a_task_gets_no_task(two_plans: AnswerEngine) -> None:
    text = "Chào các anh chị, chúc cả nhà cuối tuần vui vẻ. Cho hỏi năm sau cán bộ công chức được nghỉ hè mấy ngày?"
    assert ids(ask(two_plans, text)) == []


def test_an_agencys_late_tasks_in_the_role_asked(two_plans: AnswerEngine) -> None:
    late = datetime(2027, 1, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    led = two_plans.answer("Sở Công Thương có việc gì quá hạn", now=late)
    helped = two_plans.answer("Sở Công Thương phối hợp những việc nào đã quá hạn", now=late)
    assert "38:IV.1" in ids(led)
    assert ids(helped) and set(ids(helped)).isdisjoint(ids(led))
    assert "38:IV.4" in ids(helped)  # it coordinates IV.4 (October 2026)


def test_a_change_about_to_happen_is_no_deadline_when_who_does_the_work_is_asked(two_plans: AnswerEngine) -> None:
    text = "phường tôi nghe nói chợ sắp chuyển từ ban quản lý chợ sang hợp tác xã quản lý, ai hướng dẫn việc này"
    assert ids(ask(two_plans, text))[:1] == ["38:IV.3"]  # in force; 435's XVI.2 (the same work, 2018) has ended
    # "sắp" before a deadline's words is still time
    due = ask(two_plans, "ai có việc gì sắp phải xong về đào tạo")
    assert due.text.startswith("Nhiệm vụ") and "đến hạn" in due.text


def test_an_asker_who_calls_the_bot_em_speaks_of_their_own_unit(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Chào em, anh muốn biết việc của bên anh trong kế hoạch 38", agency="Sở Nội vụ")
    assert ids(answer) == ["38:V.2", "38:VI.3"]


def test_the_role_an_agency_plays_is_either_role(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Sở Công Thương có vai trò gì trong kế hoạch 38")
    assert {"38:IV.1", "38:IV.2", "38:IV.3", "38:II.3", "38:IV.4"} <= set(ids(answer))  # leads and coordinates


def test_nothing_due_soon_names_the_next_deadlines(two_plans: AnswerEngine) -> None:
    may = datetime(2027, 5, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    soon = two_plans.answer("Sở Giáo dục và Đào tạo có việc gì sắp đến hạn", now=may)
    assert soon.text.startswith("Không có nhiệm vụ của Sở Giáo dục và Đào tạo đến hạn trong 30 ngày tới")
    assert "Hạn gần nhất sau đó" in soon.text and "30/06/2027" in soon.text and ids(soon) == ["38:V.3"]
    # a period named is answered as named: nothing in it is nothing
    week = two_plans.answer("tuần sau có việc gì đến hạn không", now=may)
    assert week.tasks == () and "Hạn gần nhất" not in week.text


def test_a_body_a_plan_names_is_found_by_its_abbreviated_words(seed_plan: ParsedPlan, registry: AgencyRegistry) -> None:
    name = "kh-2026-ktn-continuous.txt"
    parsed = [seed_plan, parse_plan_source((PLANS / name).read_bytes(), name=name, registry=registry)]
    engine = AnswerEngine(
        KnowledgeBase.build([p.plan for p in parsed], [a for p in parsed for a in p.agencies], registry)
    )
    # the plan writes "Hiệp hội Doanh nghiệp TP"; the officer types "DN" and "thành phố"
    match = read_signals("Hiệp hội DN thành phố phải phối hợp gì", engine.catalogue, today=NOW.date()).agencies
    assert match.status == "found" and match.agencies[0].name.startswith("Hiệp hội Doanh nghiệp")


def test_a_group_opening_a_deadline_question_is_the_body_asked(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "UBND xã phường có hạn gì trong tháng 12/2026")
    assert ids(answer) == ["38:I.3", "38:IV.3"]  # the group's own, not every task due in December


def test_an_agencys_year_counts_its_work_done_all_the_time(two_plans: AnswerEngine) -> None:
    year = ask(two_plans, "Năm nay Thuế thành phố Hải Phòng phải làm những gì")
    assert "38:III.4" in ids(year) and "thực hiện thường xuyên" in year.text  # "Thường xuyên": no deadline
    deadlines = ask(two_plans, "Năm nay Thuế thành phố Hải Phòng có hạn nào")
    assert "38:III.4" not in ids(deadlines)


def test_the_plans_issuer_asked_with_ban_hanh_is_a_plan_fact(seed_plan: ParsedPlan, registry: AgencyRegistry) -> None:
    name = "kh-2026-snv-department.md"
    parsed = [seed_plan, parse_plan_source((PLANS / name).read_bytes(), name=name, registry=registry)]
    engine = AnswerEngine(
        KnowledgeBase.build([p.plan for p in parsed], [a for p in parsed for a in p.agencies], registry)
    )
    answer = engine.answer("KH số 45 là của đơn vị nào ban hành thế?", now=NOW)
    assert answer.tasks == () and "Sở Nội vụ" in answer.text


def test_a_yes_no_question_about_one_task_with_its_plan_named_after_it(two_plans: AnswerEngine) -> None:
    answer = ask(
        two_plans, "Vận động hộ sản xuất thành lập mới hợp tác xã có phải việc của Sở Tài chính không, theo KH 38?"
    )
    assert answer.text.startswith("Không") and "UBND các xã, phường, đặc khu" in answer.text
