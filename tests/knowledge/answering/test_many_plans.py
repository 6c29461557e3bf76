"""Many plans at once: scope by status, plans named, ids across plans, grouped answers, slots that combine, plan
facts of any plan, counts, ranks, comparisons, yes/no answers, bodies in no plan, everyday words."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from knowledge.agencies import AgencyRegistry
from knowledge.answering.plan_resolution import TaskRef
from knowledge.answering.query import Query
from knowledge.answers import Answer, AnswerEngine
from knowledge.base import KnowledgeBase
from knowledge.records import ParsedPlan
from tests.knowledge.answering.conftest import fixture_plan

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=TZ)  # 38/KH-UBND in force; 435 and 52 have ended


def ask(engine: AnswerEngine, text: str, **kwargs: object) -> Answer:
    return engine.answer(text, now=kwargs.pop("now", NOW), **kwargs)  # type: ignore[arg-type]


def ids(answer: Answer) -> list[str]:
    return [f"{t.plan_number.split('/')[0]}:{t.code}" for t in answer.tasks]


# -- scope ----------------------------------------------------------------------------------------------------------


def test_unscoped_questions_answer_from_plans_in_force(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Sở Tài chính có nhiệm vụ gì")
    assert ids(answer) == ["38:II.2", "38:III.1", "38:VI.1", "38:VI.2", "38:VI.4"]
    assert "435" not in answer.text and answer.plans == ("38/KH-UBND",)


def test_an_ended_plan_answers_when_named_and_says_it_has_ended(two_plans: AnswerEngine) -> None:
    for text in ("Sở Tài chính có nhiệm vụ gì trong KH 435", "Sở Tài chính làm gì theo kế hoạch 2018-2020"):
        answer = ask(two_plans, text)
        # the plan names the Sở Tài chính and ended (2020) before it took over the Sở KH&ĐT (2025): its own tasks
        # only, and one line on where the Sở KH&ĐT's went
        assert ids(answer) == ["435:II.1", "435:II.2", "435:II.3"], text
        assert "đã kết thúc" in answer.text, text
        assert "Sở Tài chính tiếp nhận Sở Kế hoạch và Đầu tư từ 01/03/2025, sau khi kế hoạch kết thúc" in answer.text
        assert "(I.1, I.2, I.3, I.4) không tính ở đây" in answer.text, text


def test_an_ended_plan_answers_when_nothing_in_force_fits(three_plans: AnswerEngine) -> None:
    answer = ask(three_plans, "Ngân hàng Nhà nước chi nhánh Hải Phòng có nhiệm vụ gì")
    assert ids(answer) == ["435:XIII.1", "435:XIII.3", "52:7"]
    text = answer.text
    assert "Không có nội dung phù hợp trong các kế hoạch đang thực hiện" in text and "đã kết thúc" in text
    # several plans answer: grouped under each plan's label, every task named with its plan
    assert "Kế hoạch 435/KH-UBND (2018–2020)" in text and "Kế hoạch 52/KH-UBND (2024–2025)" in text
    assert "• 435:XIII.1" in text and "• 52:7" in text


def test_a_body_that_has_ended_is_answered_by_its_successor_in_plans_in_force(three_plans: AnswerEngine) -> None:
    answer = ask(three_plans, "Sở Lao động - Thương binh và Xã hội có nhiệm vụ gì")
    assert ids(answer) == ["38:V.2", "38:VI.3"]  # the Sở Nội vụ's, in the plan in force
    assert "đã hợp nhất vào Sở Nội vụ từ 01/03/2025" in answer.text
    assert answer.text.splitlines()[2].startswith("Sở Nội vụ chủ trì 2 nhiệm vụ")
    named = ask(three_plans, "Sở Lao động - Thương binh và Xã hội có nhiệm vụ gì trong kế hoạch 435")
    assert ids(named) == ["435:VIII.1"]  # a plan that names the body answers with its own tasks


def test_an_archived_plan_answers_only_when_named(two_plans: AnswerEngine) -> None:
    plans = [replace(p, archived=p.number == "38/KH-UBND") for p in two_plans.kb.plans]
    engine = AnswerEngine(KnowledgeBase(plans, two_plans.kb.registry))
    assert all(t.startswith("435:") for t in ids(ask(engine, "Sở Tài chính có nhiệm vụ gì")))
    named = ask(engine, "Sở Tài chính có nhiệm vụ gì theo kế hoạch 38")
    assert ids(named)[0] == "38:II.2" and "đã lưu trữ" in named.text


def test_kế_hoạch_này_follows_the_previous_answer(three_plans: AnswerEngine) -> None:
    first = ask(three_plans, "kế hoạch 52 có mấy nhiệm vụ")
    assert first.plans == ("52/KH-UBND",) and "20 nhiệm vụ" in first.text
    signer = ask(three_plans, "kế hoạch này do ai ký", previous_plans=first.plans)
    assert "Đỗ Mạnh Hiển" in signer.text and "Trần Quang Vinh" not in signer.text
    fresh = ask(three_plans, "kế hoạch này do ai ký")
    assert "Trần Quang Vinh" in fresh.text  # no previous answer: the plan in force


# -- plans and their facts ------------------------------------------------------------------------------------------


def test_which_plans_there_are(three_plans: AnswerEngine) -> None:
    answer = ask(three_plans, "hiện có những kế hoạch nào?")
    assert answer.intent == "plans" and answer.tasks == ()
    for number, status in (("435/KH-UBND", "đã kết thúc"), ("38/KH-UBND", "đang thực hiện"), ("52", "đã kết thúc")):
        assert number in answer.text and status in answer.text
    unknown = ask(three_plans, "kế hoạch số 777 có gì")
    assert "Không có kế hoạch số “777”" in unknown.text and unknown.tasks == ()
    for text, named in (
        ("kế hoạch phát triển kinh tế tập thể giai đoạn 2021 - 2025 giao Sở Tài chính việc gì", "giai đoạn 2021–2025"),
        ("theo kế hoạch năm 2023, Sở Tài chính phải làm gì", "năm 2023"),
    ):
        unknown = ask(three_plans, text)  # a plan named by a period no plan has: no other plan's tasks
        assert f"Không có kế hoạch {named}" in unknown.text and unknown.tasks == (), text


def test_counting_the_tasks_of_a_plan(three_plans: AnswerEngine) -> None:
    answer = ask(three_plans, "kế hoạch 38 có mấy nhiệm vụ?")
    assert answer.intent == "count" and len(answer.tasks) == 25 and "25 nhiệm vụ" in answer.text
    assert {t.plan_number for t in answer.tasks} == {"38/KH-UBND"}


def test_plan_facts_of_any_plan_and_absent_facts(three_plans: AnswerEngine) -> None:
    assert "Trần Quang Vinh" in ask(three_plans, "kế hoạch do ai ký?").text
    assert "Đỗ Mạnh Hiển" in ask(three_plans, "kế hoạch 52 do ai ký").text
    assert "214/KH-UBND" in ask(three_plans, "kế hoạch 38 thay thế kế hoạch nào").text
    assert "không ghi thay thế" in ask(three_plans, "kế hoạch 52 thay thế kế hoạch nào").text
    assert "27/02/2024" in ask(three_plans, "kế hoạch 52 ban hành ngày nào").text


def test_every_reporting_duty_of_a_plan(three_plans: AnswerEngine) -> None:
    in_force = ask(three_plans, "hạn gửi báo cáo hằng năm là ngày nào?")
    assert "15/12" in in_force.text and "Sở Tài chính" in in_force.text and "38/KH-UBND" in in_force.text
    half_yearly = ask(three_plans, "kế hoạch 52 báo cáo khi nào")
    assert "15/6" in half_yearly.text and "15/12" in half_yearly.text


def test_whether_a_plan_named_is_in_force_answers_yes_or_no_with_its_last_day(two_plans: AnswerEngine) -> None:
    cases = {
        "kế hoạch 435 còn hiệu lực không": (
            "Không. Kế hoạch 435/KH-UBND đã kết thúc (giai đoạn 2018-2020, hết 31/12/2020)"
        ),
        "KH 38 con hieu luc ko": "Có. Kế hoạch 38/KH-UBND đang thực hiện (giai đoạn 2026-2027, đến hết 31/12/2027)",
        "kế hoạch 435 đã hết hiệu lực chưa vậy?": "Có. Kế hoạch 435/KH-UBND đã kết thúc",
        "kh 38 het han chua": "Kế hoạch 38/KH-UBND đang thực hiện",
    }
    for text, expected in cases.items():
        answer = ask(two_plans, text)
        assert answer.intent == "plan_facts" and answer.text.startswith(expected), (text, answer.text)
        assert answer.tasks == ()
    # a task or an agency in the question makes it a question about tasks, not about the plan
    assert ask(two_plans, "kế hoạch 38 có việc gì sắp hết hạn").intent != "plan_facts"
    # "có … không" about a fact the plan decides: the answer starts with the fact's own yes or no
    assert ask(two_plans, "kế hoạch 38 có thay thế kế hoạch nào không").text.startswith("Có. Kế hoạch 38/KH-UBND thay")
    assert ask(two_plans, "kế hoạch 435 có thay thế kế hoạch nào không").text.startswith("Có. Kế hoạch 435/KH-UBND")


# -- tasks named with their plan ------------------------------------------------------------------------------------


def test_an_id_in_several_plans_gets_a_choice(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "chi tiết II.1")
    assert ids(answer) == ["435:II.1", "38:II.1"]
    labels = [c.label for c in answer.choices]
    assert labels[0].startswith("435:II.1 — Kế hoạch 435/KH-UBND") and labels[1].startswith("38:II.1")
    chosen = answer.choices[1].query
    assert chosen == Query(shape="detail", tasks=(TaskRef(code="II.1", plan="38/KH-UBND"),))
    detail = two_plans.run(chosen, now=NOW)
    assert ids(detail) == ["38:II.1"] and "Sở Khoa học và Công nghệ" in detail.text


def test_plain_numbered_tasks_are_named_with_their_plan(three_plans: AnswerEngine) -> None:
    for text in ("chi tiết 3", "52:3", "nhiệm vụ 3 kế hoạch 52", "mục 3 KH 52"):
        answer = ask(three_plans, text)
        assert ids(answer) == ["52:3"], text
        assert "Nhiệm vụ 3 — Kế hoạch 52/KH-UBND" in answer.text, text
    assert ids(ask(three_plans, "chi tiết II.1 kế hoạch 38")) == ["38:II.1"]


# -- slots combine --------------------------------------------------------------------------------------------------


def test_agency_and_window(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Sở Công Thương có việc gì đến hạn trong quý 4")
    assert answer.query.agencies == ("Sở Công Thương",) and answer.query.window is not None
    assert ids(answer) == ["38:IV.2", "38:IV.3"]


def test_agency_and_topic(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Sở Tài chính có việc gì liên quan đến dữ liệu")
    assert ids(answer) == ["38:II.2", "38:VI.1"] and "về “dữ liệu”" in answer.text


def test_plan_agency_and_status(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Sở Tài chính có việc gì quá hạn trong kế hoạch 435")
    assert answer.query.plans == ("435/KH-UBND",) and answer.query.status == "overdue"
    assert sorted(ids(answer)) == ["435:II.1", "435:II.2", "435:II.3"]  # the 2018 plan ended before the merger
    in_force = ask(two_plans, "Sở Tài chính có việc gì quá hạn")
    assert ids(in_force) == ["38:II.2", "38:VI.1"]  # 30/06 and 30/09/2026 passed; the 2018 plan is not asked about


def test_plan_and_window(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "kế hoạch 435 có việc gì đến hạn tháng 11/2019")
    assert answer.tasks and all(t.plan_number == "435/KH-UBND" for t in answer.tasks)


# -- counts, ranks, comparisons, yes/no -----------------------------------------------------------------------------


def test_rank_and_comparison(two_plans: AnswerEngine) -> None:
    least = ask(two_plans, "cơ quan nào được giao ít nhất")
    assert least.intent == "rank" and "Sở Giáo dục và Đào tạo" in least.text and "(1 nhiệm vụ)" in least.text
    most = ask(two_plans, "đơn vị nào chủ trì nhiều nhiệm vụ nhất")
    assert most.text.startswith("Cơ quan chủ trì nhiều nhiệm vụ nhất") and "Sở Tài chính" in most.text
    compared = ask(two_plans, "Sở Tài chính hay Sở Nội vụ nhiều việc hơn")
    assert compared.intent == "compare"
    assert "Sở Tài chính chủ trì 5 nhiệm vụ" in compared.text and "Sở Nội vụ chủ trì 2 nhiệm vụ" in compared.text
    assert "Sở Tài chính nhiều hơn" in compared.text


def test_yes_no_questions_start_with_the_answer(two_plans: AnswerEngine) -> None:
    no = ask(two_plans, "phần mềm kế toán có phải việc của Sở Tài chính không?")
    assert no.text.startswith("Không, Sở Tài chính không được giao nhiệm vụ II.1")
    assert "Sở Khoa học và Công nghệ chủ trì" in no.text
    yes = ask(two_plans, "Sở Khoa học và Công nghệ có phải lo phần mềm kế toán cho hợp tác xã không")
    assert yes.text.startswith("Có, Sở Khoa học và Công nghệ chủ trì nhiệm vụ II.1")
    has_tasks = ask(two_plans, "Sở Nội vụ có nhiệm vụ gì không?")
    assert has_tasks.text.startswith("Có") and has_tasks.tasks
    nothing_due = ask(two_plans, "hôm nay có việc gì đến hạn không?")
    assert nothing_due.text.startswith("Không") and nothing_due.tasks == ()


# -- bodies in no plan, everyday words ------------------------------------------------------------------------------


def test_a_body_in_no_plan_never_falls_into_topic_search(three_plans: AnswerEngine) -> None:
    for text in ("Bộ Công an phải làm gì", "Sở Hàng hải có nhiệm vụ gì", "Cục Hải quan được giao việc gì"):
        answer = ask(three_plans, text)
        assert answer.tasks == () and "không có nhiệm vụ nào" in answer.text, text
    assert ask(three_plans, "cán bộ quản lý hợp tác xã được đào tạo thế nào").tasks  # "cán bộ" is no ministry
    # after a formal opening, or with a plan named by title words that name no one plan
    for text in (
        "Xin cho biết Bộ Công Thương được giao những việc gì trong Kế hoạch 38/KH-UBND?",
        "Bộ Nông nghiệp và Môi trường có được giao nhiệm vụ nào trong kế hoạch về kinh tế tập thể, hợp tác xã không",
        "Công ty CP Vận tải Thủy phải phối hợp những việc gì với các HTX",  # a company opening it, the HTX beside it
    ):
        answer = ask(three_plans, text)
        assert answer.tasks == () and "không có nhiệm vụ nào" in answer.text, text


def test_everyday_words_find_the_plans_terms(three_plans: AnswerEngine) -> None:
    online = ask(three_plans, "ai giúp HTX đưa hàng lên Shopee?")
    assert ids(online)[0] == "38:IV.1"
    money = ask(three_plans, "ai lo chuyện tiền bạc cho quỹ HTX")
    assert ids(money)[0] == "38:III.2"  # vay vốn, Quỹ Hỗ trợ phát triển hợp tác xã
    training = ask(three_plans, "ai phụ trách chuyện dạy nghề cho làng nghề")
    assert ids(training)[0] == "435:XV.3"  # nothing in force fits: the ended plan's training task


def test_the_next_page_is_the_same_query(three_plans: AnswerEngine) -> None:
    first = ask(three_plans, "kế hoạch 38 có những nhiệm vụ gì")
    assert first.pages == 4 and first.next_page is not None
    second = three_plans.run(first.next_page, now=NOW)
    assert second.page == 2 and second.tasks == first.tasks and second.text != first.text
    assert second.query == first.next_page


def test_several_plans_named_together_are_all_read(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Sở Công Thương có nhiệm vụ gì trong kế hoạch 435 và 38")
    assert {t.split(":")[0] for t in ids(answer)} == {"435", "38"}
    both = ask(two_plans, "chuyển ban quản lý chợ sang hợp tác xã, cả hai kế hoạch ai phụ trách")
    assert {t.split(":")[0] for t in ids(both)} == {"435", "38"}  # "cả hai": the ended plan too


def test_a_generic_name_shared_by_a_groups_members_stands_for_the_group(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "UBND phường có nhiệm vụ gì")
    assert answer.intent == "agency_tasks" and "UBND các xã, phường, đặc khu chủ trì" in answer.text
    assert ask(two_plans, "sở tài có nhiệm vụ gì").intent == "clarify"  # two Sở, no group: still a choice


def test_numbers_match_however_padded(two_plans: AnswerEngine) -> None:
    assert ids(ask(two_plans, "sơ kết 1 năm kế hoạch 38 hạn khi nào"))[:1] == ["38:VI.4"]  # the text says "01 năm"


def test_the_asker_coordinating(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "chúng tôi phối hợp những việc gì", agency="Sở Tài chính")
    assert answer.intent == "my_tasks" and answer.query.role == "coordinator" and answer.tasks


def test_small_talk_sharing_a_word_with_a_task_gets_no_task(two_plans: AnswerEngine) -> None:
    assert ask(two_plans, "giá thuê nhà tháng này").tasks == ()  # "giá", "thuê" alone fit a tax task poorly
    assert ask(two_plans, "ai lo tiền vốn cho hợp tác xã").tasks  # a question about tasks still searches


def test_an_agency_and_a_whole_year_combine(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Sở Tài chính có hạn nào trong năm 2027")
    query = answer.query
    assert query.window is not None and (query.window.start.year, query.window.end.year) == (2027, 2027)
    assert query.agencies == ("Sở Tài chính",) and answer.tasks
    assert all(any(d.due.year == 2027 for d in t.schedule.deadlines) and "Sở Tài chính" in t.lead for t in answer.tasks)


def test_a_signer_asked_with_a_title_word(two_plans: AnswerEngine) -> None:
    for text in ("kế hoạch 38 do vị lãnh đạo nào ký", "KH 38 ai đã ký"):
        assert "Trần Quang Vinh" in ask(two_plans, text).text, text


def test_plans_that_have_ended_as_a_scope(three_plans: AnswerEngine) -> None:
    answer = ask(three_plans, "trong những kế hoạch đã hết hạn thì Sở Công Thương chủ trì gì")
    assert answer.query.plan_scope == "ended"
    assert ids(answer) and all(i.startswith(("435:", "52:")) for i in ids(answer))
    assert {i.split(":")[0] for i in ids(answer)} == {"435", "52"}


def test_chat_shorthand_ends_an_abbreviated_agency_name(two_plans: AnswerEngine) -> None:
    for text in ("so nn ptnt dc phan cong viec gi", "so gtvt ko phai lam gi a"):
        answer = ask(two_plans, text)
        assert answer.query.agencies and answer.query.shape != "no_agency", (text, answer.query)


def test_a_plan_named_beside_a_topic_is_scope_not_topic(three_plans: AnswerEngine) -> None:
    answer = ask(three_plans, "KH 435 - ai lo an toàn cháy nổ?")
    assert answer.intent == "who" and "435:XI.2" in ids(answer), answer.text
    # the reporting regime of the plan named: its body answers, not a topic search
    regime = ask(three_plans, "kế hoạch 52 quy định kỳ báo cáo thế nào")
    assert regime.intent == "reporting" and not regime.tasks, regime.text


def test_a_topic_that_is_the_plans_subject_keeps_all_of_an_agencys_tasks(two_plans: AnswerEngine) -> None:
    everything = ids(ask(two_plans, "Sở Tài chính có nhiệm vụ gì"))
    for subject in ("hợp tác xã", "kinh tế tập thể"):  # words of 38/KH-UBND's own title
        answer = ask(two_plans, f"Sở Tài chính có những nhiệm vụ nào về {subject}")
        assert ids(answer) == everything, (subject, answer.text)


# -- roles asked, ministries, tasks described in yes/no questions ---------------------------------------------------


def test_a_ministry_one_letter_from_a_department_is_not_that_department(two_plans: AnswerEngine) -> None:
    for text in ("Bộ Xây dựng có việc gì", "bo tai chinh phai lam nhung gi"):
        answer = ask(two_plans, text)
        assert ids(answer) == [] and "Không tìm thấy cơ quan" in answer.text, text
    assert ids(ask(two_plans, "sỏ tài chính làm gì"))  # a typo in "Sở" is still the department


def test_the_lead_role_set_aside_asks_for_coordination(two_plans: AnswerEngine) -> None:
    coordinated = ids(ask(two_plans, "Sở Tài chính phối hợp những nhiệm vụ nào"))
    assert coordinated and ids(ask(two_plans, "Ngoài các nhiệm vụ chủ trì, Sở Tài chính phối hợp gì")) == coordinated


def test_the_lead_role_asked_lists_no_coordinated_task(two_plans: AnswerEngine) -> None:
    assert ids(ask(two_plans, "Sở Xây dựng chủ trì việc gì")) == ["435:VI.1"]  # none in force: the ended plan's
    answer = ask(two_plans, "Theo kế hoạch 38, Sở Xây dựng chủ trì việc gì")
    assert ids(answer) == []
    assert "không chủ trì nhiệm vụ nào" in answer.text and "Có phối hợp thực hiện 2 nhiệm vụ: I.4, III.3" in answer.text
    assert ids(ask(two_plans, "Sở Xây dựng làm gì")) == ["38:I.4", "38:III.3"]  # no role named: its coordination


def test_a_yes_no_question_about_a_described_task_checks_who_holds_it(two_plans: AnswerEngine) -> None:
    other = ask(two_plans, "Sở Công Thương có chủ trì việc rà soát, chuẩn hóa cơ sở dữ liệu hợp tác xã không")
    assert other.text.startswith("Không") and "Sở Tài chính chủ trì nhiệm vụ II.2" in other.text
    own = ask(two_plans, "Sở Tài chính có chủ trì việc rà soát, chuẩn hóa cơ sở dữ liệu hợp tác xã không")
    assert own.text.startswith("Có, Sở Tài chính chủ trì nhiệm vụ II.2")
    helper = ask(two_plans, "Thuế thành phố có phối hợp kiểm tra việc chấp hành Luật Hợp tác xã, chế độ kế toán không")
    assert helper.text.startswith("Có") and "38:VI.2" in ids(helper)
    far = ask(two_plans, "Trong KH 435, Sở Công Thương có chủ trì việc giải thể hợp tác xã yếu kém không")
    assert far.text.startswith("Không")


def test_a_national_body_is_not_the_citys_own(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Liên minh Hợp tác xã Việt Nam làm những việc gì")
    assert ids(answer) == [] and "Liên minh Hợp tác xã Việt Nam" in answer.text
    assert ids(ask(two_plans, "Liên minh Hợp tác xã thành phố làm những việc gì"))


def test_an_enterprise_in_no_plan_gets_no_task(two_plans: AnswerEngine) -> None:
    for text in ("Công ty TNHH Xây dựng Hải An có nhiệm vụ gì không", "tap doan dau khi lam gi"):
        answer = ask(two_plans, text)
        assert ids(answer) == [] and "Không tìm thấy cơ quan" in answer.text, text


def test_a_coordinators_deadlines_in_a_period(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Những việc Thuế thành phố phối hợp đến hạn trong năm 2027")
    assert ids(answer) == ["38:II.1", "38:VI.2"]
    assert answer.text.startswith("Nhiệm vụ Thuế thành phố Hải Phòng phối hợp đến hạn trong năm 2027")


def test_tasks_by_the_time_phrase_they_write(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Kế hoạch 435 có những việc nào ghi thời hạn “Năm 2018 - 2020”")
    assert ids(answer) == ["435:I.1", "435:I.2", "435:XV.3", "435:XV.7"]
    assert "Chỉ tính các nhiệm vụ ghi thời gian “Năm 2018 - 2020”" in answer.text
    led = ask(two_plans, "Trong kế hoạch 435 Liên minh HTX chủ trì việc nào có thời gian thực hiện Năm 2018 - 2020")
    assert ids(led) == ["435:XV.3", "435:XV.7"]


def test_a_group_of_tasks_named_by_its_title(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "phần tiếp cận vốn, tín dụng và đất đai gồm những việc gì")
    assert answer.rule == "section_tasks"
    assert ids(answer) == ["38:III.1", "38:III.2", "38:III.3", "38:III.4"]
    assert ask(two_plans, "phần mềm kế toán cho hợp tác xã").rule != "section_tasks"  # "phần" of another word


def test_funding_of_a_plan(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "kinh phí thực hiện kế hoạch 38 lấy từ đâu")
    assert "ngân sách nhà nước" in answer.text and "Kinh phí thực hiện" in answer.text
    none = ask(two_plans, "nguồn kinh phí kế hoạch 435")
    assert "không có mục kinh phí thực hiện riêng" in none.text


def test_a_plan_named_by_its_title_is_no_task_asked_about(two_plans: AnswerEngine) -> None:
    # "trong kế hoạch phát triển hợp tác xã": the plan asked about, not work some task describes
    answer = ask(two_plans, "Sở Tư pháp có được giao việc gì trong kế hoạch phát triển hợp tác xã không")
    assert answer.text.startswith("Không") and ids(answer) == []


def test_a_group_named_by_its_title_in_a_plan_named_is_that_groups_tasks(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "phần tiếp cận vốn, tín dụng và đất đai của kế hoạch 38 có những việc gì")
    assert ids(answer) and all(i.startswith("38:III.") for i in ids(answer))


def test_a_commune_officer_naming_their_kind_means_their_own(two_plans: AnswerEngine) -> None:
    mine = ask(two_plans, "nhiem vu cua xa minh trong kh 38 co nhung gi", agency="UBND xã An Lão")
    assert ids(mine) and "UBND xã An Lão" in mine.text
    together = ask(two_plans, "Xã tôi với Sở Công Thương cùng chủ trì việc gì", agency="UBND xã An Lão")
    assert ids(together) == ["38:IV.3"]


def test_english_relative_periods(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "any deadline next month?")
    assert "tháng sau" in answer.text


def test_agencies_working_with_each_other_hold_tasks_in_either_role(two_plans: AnswerEngine) -> None:
    q = two_plans.explain("Sở Tài chính và Liên minh HTX phối hợp với nhau những việc gì", now=NOW).routed.query
    assert q.together and q.role == "any" and not q.partner


def test_ủy_ban_with_a_place_kind_is_the_peoples_committee(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Ủy ban phường có nhiệm vụ gì trong kế hoạch 38")
    assert ids(answer) and "UBND các xã, phường, đặc khu" in answer.text


def test_a_period_question_about_an_acronym_no_plan_uses_lists_nothing(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "hạn nộp BHYT hộ gia đình tháng 12 là ngày nào")
    assert ids(answer) == [] and "bhyt" in answer.text.lower()


def test_a_fund_named_with_its_acronym_gets_no_task(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "Quỹ Phát triển khoa học quốc gia (NAFOSTED) được giao hỗ trợ HTX ra sao")
    assert ids(answer) == [] and "NAFOSTED" in answer.text


def test_an_unknown_scheme_gets_no_task_though_its_words_fit_some(two_plans: AnswerEngine) -> None:
    # "đề án 6": "an" and "6" stand in many tasks ("an toàn", "6 tháng"); no plan names the scheme itself
    answer = ask(two_plans, "Đề án 06 ai chủ trì")
    assert ids(answer) == [] and "Đề án 06" in answer.text


def test_a_rate_or_price_no_plan_states_gets_no_task(two_plans: AnswerEngine) -> None:
    # "lãi suất" is reworded to credit, "lương" shares letters with "số lượng": still no plan states either figure
    for text in ("lãi suất cho vay mua ô tô hiện giờ bao nhiêu", "luong toi thieu vung mot nam bao nhieu"):
        answer = ask(two_plans, text)
        assert ids(answer) == [] and "không nêu" in answer.text, text
    assert "lương tối thiểu" in ask(two_plans, "luong toi thieu vung mot nam bao nhieu").text  # quoted with its marks
    # the price of a thing a task names, asked in a period, is still a price (typed with its mark: "giá")
    answer = ask(two_plans, "giá tôm sú cuối năm nay bán bao nhiêu một cân")
    assert ids(answer) == [] and "giá tôm" in answer.text
    assert explained(two_plans, "tham gia hợp tác xã năm nay được bao nhiêu hội viên") != "unstated_figure"
    assert explained(two_plans, "giá trị sản phẩm OCOP năm nay đạt bao nhiêu") != "unstated_figure"
    # typed without marks: a "gia" that is no part of a pair the plans write is a price
    assert explained(two_plans, "gia rau an toan o cho tuan nay bao nhieu 1 kg") == "unstated_figure"
    assert explained(two_plans, "htx tham gia hoi cho duoc ho tro bao nhieu") != "unstated_figure"
    # a figure a plan writes ("thuế, phí, lệ phí"), or asked with who does something, is a question about tasks
    assert ids(ask(two_plans, "ưu đãi lệ phí cho hợp tác xã được bao nhiêu")) != []
    assert explained(two_plans, "lãi suất ưu đãi bao nhiêu, ai hướng dẫn hợp tác xã vay vốn") != "unstated_figure"


def test_a_persons_own_paper_or_filing_no_plan_names_gets_no_task(
    two_plans: AnswerEngine, seed_plan: ParsedPlan, registry: AgencyRegistry
) -> None:
    # "nộp hồ sơ" is reworded to online public services, which a task treats: the paper asked about is no task's
    for text, paper in (
        ("lam ho chieu cho con thi nop ho so o dau", "hộ chiếu"),
        ("Làm lại căn cước bị mất thì nộp hồ sơ ở đâu?", "căn cước"),
        ("Hạn nộp tờ khai thuế giá trị gia tăng quý IV/2026 là ngày nào?", "tờ khai thuế"),  # no period listing
        ("xã viên muốn đóng bhxh tự nguyện thì sở nào lo", "bhxh"),
    ):
        answer = ask(two_plans, text)
        assert ids(answer) == [] and paper in answer.text, text
    assert explained(two_plans, "Sở Tài chính có việc gì về hộ chiếu") != "own_procedure"  # an agency's tasks
    assert explained(two_plans, "cấp sổ đỏ cho hợp tác xã ai lo") != "own_procedure"  # the thesaurus's land titles
    assert explained(two_plans, "hợp tác xã quyết toán thuế ở đâu") != "own_procedure"  # the plans' "thuế", reworded
    # … but beside it a tax of persons no plan names is the filing asked about
    settled = ask(two_plans, "hạn quyết toán thuế thu nhập cá nhân cho kế toán của hợp tác xã là bao giờ")
    assert ids(settled) == [] and "thuế thu nhập cá nhân" in settled.text
    # a plan on population data writes "căn cước": there it is a topic the plan treats
    de_an = fixture_plan("kh-2026-de-an-06-decimal.docx", registry)
    engine = AnswerEngine(KnowledgeBase([seed_plan.plan, de_an], registry))
    assert explained(engine, "dùng số căn cước thay mã số thuế") != "own_procedure"


def test_a_bank_branch_or_a_fund_with_a_name_of_its_own_gets_no_task(two_plans: AnswerEngine) -> None:
    for text in (
        "Sacombank chi nhánh Hồng Bàng được giao gì trong kế hoạch hợp tác xã",
        "Quỹ Bảo lãnh tín dụng thành phố có nhiệm vụ gì",
    ):
        answer = ask(two_plans, text)
        assert ids(answer) == [] and "không có nhiệm vụ nào" in answer.text, text


def explained(engine: AnswerEngine, text: str) -> str:
    return engine.explain(text, now=NOW).routed.rule


def test_a_place_asked_is_no_listing_of_a_periods_deadlines(two_plans: AnswerEngine) -> None:
    # "báo cáo … cuối năm" would read as the year's deadlines; "ở đâu" asks where a form is found
    assert explained(two_plans, "biểu mẫu báo cáo tổng kết cuối năm tải ở đâu") != "due_in_period"
    assert explained(two_plans, "cuối năm nay việc nào đến hạn, nộp báo cáo ở đâu") == "due_in_period"  # when asked too


def test_a_letters_courtesy_and_the_plan_it_names_are_no_topic_of_a_period(two_plans: AnswerEngine) -> None:
    letter = (
        "Kính gửi Văn phòng. Tôi muốn biết trong kế hoạch đang thực hiện về hợp tác xã,"
        " việc nào chỉ làm trong năm 2027."
    )
    assert explained(two_plans, letter) == "due_in_period"
    assert ids(ask(two_plans, letter)) == ids(ask(two_plans, "việc nào chỉ làm trong năm 2027"))
    assert ids(ask(two_plans, letter))


def test_agencies_named_together_on_a_task_are_held_together(two_plans: AnswerEngine) -> None:
    both = ask(two_plans, "Sở Tài chính và Sở Công Thương cùng đứng tên phối hợp ở việc nào")
    apart = ask(two_plans, "Sở Tài chính và Sở Công Thương phối hợp việc nào")
    assert set(ids(both)) < set(ids(apart))


def test_tasks_several_agencies_lead_together(two_plans: AnswerEngine) -> None:
    answer = ask(two_plans, "những việc nào có từ hai đơn vị trở lên cùng chủ trì")
    assert ids(answer) == ["38:IV.3"] and "cùng chủ trì" in answer.text
    # the seed's tasks each have one lead
    none = ask(two_plans, "trong kế hoạch 435 việc nào do nhiều cơ quan cùng chủ trì")
    assert ids(none) == [] and none.text.startswith("Không có nhiệm vụ nào")
    # agencies named together keep their own reading
    named = ask(two_plans, "Sở Công Thương và Sở Tài chính cùng tham gia những việc nào")
    assert "38:IV.3" in ids(named) and "cùng tham gia" in named.text


def test_a_place_in_small_talk_or_in_a_story_is_not_the_body_asked(two_plans: AnswerEngine) -> None:
    # small talk whose syllables happen to be reporting words ("định" of "định đưa")
    assert ids(ask(two_plans, "thoi tiet Kien Thuy cuoi tuan nay co mua khong, dinh dua ca nha di choi")) == []
    story = (
        "Em là xã viên hợp tác xã rau ở phường Kiến An. Tuần trước em ngã xe khi chở hàng, gãy chân phải bó bột, "
        "ban quản trị bảo hợp tác xã không có trách nhiệm chi trả. Em muốn làm đơn thì gửi ai?"
    )
    assert ids(ask(two_plans, story)) == []
    # the body asked in its own words keeps its tasks
    assert ids(ask(two_plans, "UBND phường Kiến An có nhiệm vụ gì")) == ["38:I.3", "38:IV.3"]


def test_funding_asked_before_any_plan_was_issued_says_so(two_plans: AnswerEngine) -> None:
    answer = two_plans.answer("nguồn kinh phí", now=datetime(2017, 1, 1, 9, 0, tzinfo=TZ))
    assert answer.text == "Chưa có kế hoạch nào được ban hành tính đến ngày 01/01/2017."
