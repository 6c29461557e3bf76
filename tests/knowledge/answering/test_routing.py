"""Routing: every rule's examples route to it, rules have unique names, and questions become the expected queries."""

from __future__ import annotations

import pickle
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from knowledge.answering.plan_resolution import TaskRef
from knowledge.answering.query import Query
from knowledge.answering.routing import RULES
from knowledge.answers import AnswerEngine

NOW = datetime(2018, 10, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_rule_names_are_unique_and_the_last_rule_always_applies() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert RULES[-1].name == "not_understood"


@pytest.mark.parametrize(("rule", "example"), [(r.name, e) for r in RULES for e in r.examples])
def test_every_example_routes_to_its_rule(seed_engine: AnswerEngine, rule: str, example: str) -> None:
    assert seed_engine.explain(example, now=NOW).routed.rule == rule


def query(engine: AnswerEngine, text: str, **kwargs: object) -> Query:
    return engine.explain(text, now=NOW, **kwargs).routed.query  # type: ignore[arg-type]


def test_agency_questions_become_agency_queries(seed_engine: AnswerEngine) -> None:
    assert query(seed_engine, "Sở Tài chính phối hợp những việc nào") == Query(
        shape="tasks", agencies=("Sở Tài chính",), role="coordinator"
    )
    both = query(seed_engine, "Sở Tài chính và Sở Xây dựng làm gì")
    assert both.agencies == ("Sở Tài chính", "Sở Xây dựng") and both.role == "lead"
    for text in (
        "Sở Công Thương chủ trì và phối hợp những việc gì",
        "so cong thuong tham gia viec gi, ke ca chu tri",
        "Sở Công Thương tham gia những việc gì",  # taking part: either role
        "những việc Sở Công Thương chủ trì, cùng những việc Sở đó phối hợp",  # both roles, asked apart
    ):
        assert query(seed_engine, text).role == "any", text
    assert query(seed_engine, "Sở Công Thương tham gia phối hợp những việc gì").role == "coordinator"
    assert query(seed_engine, "Sở Công Thương chủ trì việc gì, ai phối hợp").role == "lead"


def test_a_number_a_target_states_is_a_plan_fact(seed_engine: AnswerEngine) -> None:
    q = query(seed_engine, "đến năm 2020 phải xây dựng bao nhiêu hợp tác xã điển hình")
    assert q.shape == "plan_facts" and q.facts == ("targets",)
    assert query(seed_engine, "có bao nhiêu cơ quan chủ trì").shape != "plan_facts"  # agencies counted, no target
    q = query(seed_engine, "đến hết năm 2020 phải xây dựng bao nhiêu hợp tác xã điển hình")  # a horizon, not a limit
    assert q.shape == "plan_facts" and q.facts == ("targets",)


def test_a_year_named_as_a_limit_runs_from_today_to_its_end(seed_engine: AnswerEngine) -> None:
    q = query(seed_engine, "từ giờ tới hết năm 2019, Sở Tài chính còn phải hoàn thành những việc nào?")
    assert q.agencies == ("Sở Tài chính",) and q.status == "due"
    assert q.window is not None and (q.window.start, q.window.end) == (NOW.date(), date(2019, 12, 31))


def test_tasks_done_only_inside_a_period(seed_engine: AnswerEngine) -> None:
    answer = seed_engine.answer("những nhiệm vụ nào chỉ thực hiện trong năm 2018", now=NOW)
    assert [t.code for t in answer.tasks] == ["V.2", "VI.1", "XVI.5", "XVI.6"]  # every deadline in 2018
    assert "chỉ thực hiện trong năm 2018" in answer.text


def test_agencies_doing_tasks_together_share_them(seed_engine: AnswerEngine) -> None:
    pair = ("Sở Kế hoạch và Đầu tư", "Liên minh Hợp tác xã và Doanh nghiệp thành phố")
    both = seed_engine.answer(f"{pair[0]} và {pair[1]} cùng tham gia những việc gì", now=NOW)
    apart = seed_engine.answer(f"{pair[0]} và {pair[1]} làm những việc gì", now=NOW)
    shared = {t.code for t in both.tasks}
    assert shared and shared != {t.code for t in apart.tasks}
    for task in both.tasks:  # each task is held by both, in either role
        assert set(pair) <= {*task.lead, *task.coordinators}, task.code
    assert both.text.count("cùng tham gia") == 1
    none = seed_engine.answer("Sở Tài chính và Sở Kế hoạch và Đầu tư cùng tham gia những việc gì", now=NOW)
    assert not none.tasks and "Không có nhiệm vụ nào mà" in none.text


def test_giving_work_to_an_agency_asks_its_tasks(seed_engine: AnswerEngine) -> None:
    q = query(seed_engine, "kế hoạch có giao việc cho Sở Y tế không")
    assert q.shape == "tasks" and q.agencies == ("Sở Y tế",) and q.yes_no


def test_both_roles_list_every_task_the_agency_holds(seed_engine: AnswerEngine) -> None:
    answer = seed_engine.answer("Sở Công Thương chủ trì hoặc phối hợp những nhiệm vụ nào", now=NOW)
    assert [t.code for t in answer.tasks] == ["IV.1", "IV.2", "XVI.2"]
    assert "chủ trì 2, phối hợp 1" in answer.text


def test_deadline_lists_carry_their_agency_and_window(seed_engine: AnswerEngine) -> None:
    q = query(seed_engine, "Sở Tài chính có việc gì đến hạn tháng 11")
    assert q.shape == "tasks" and q.status == "due" and q.agencies == ("Sở Tài chính",)
    assert q.window is not None and q.window.label == "tháng 11/2018"
    mine = query(seed_engine, "việc của tôi quá hạn", agency="Sở Xây dựng")
    assert mine.status == "overdue" and mine.agencies == ("Sở Xây dựng",)


def test_task_ids_become_detail_queries(seed_engine: AnswerEngine) -> None:
    assert query(seed_engine, "xem XV.6") == Query(shape="detail", tasks=(TaskRef(code="XV.6"),))


def test_plan_facts_name_their_plan(seed_engine: AnswerEngine) -> None:
    q = query(seed_engine, "kế hoạch 435 do ai ký")
    assert q.shape == "plan_facts" and q.plans == ("435/KH-UBND",) and q.facts == ("signer",)


def test_a_question_asked_again_is_read_once_and_still_executed_afresh(seed_engine: AnswerEngine) -> None:
    first = seed_engine.explain("việc nào quá hạn rồi nhỉ", now=NOW)
    assert seed_engine.explain("việc nào quá hạn rồi nhỉ", now=NOW) is first  # remembered
    assert seed_engine.explain("việc nào quá hạn rồi nhỉ", now=NOW.replace(day=2)) is not first  # another day
    assert seed_engine.explain("việc nào quá hạn rồi nhỉ", agency="Sở Tài chính", now=NOW) is not first
    later = NOW.replace(year=2019)
    overdue = [t.code for t in seed_engine.answer("việc nào quá hạn rồi nhỉ", now=later).tasks]
    assert overdue
    done = seed_engine.answer("việc nào quá hạn rồi nhỉ", now=later, is_done=lambda task, due: task.code == overdue[0])
    assert overdue[0] not in [t.code for t in done.tasks]  # the reports of the moment, never a remembered answer


def test_a_pickled_engine_remembers_no_question(seed_engine: AnswerEngine) -> None:
    before = len(pickle.dumps(seed_engine))
    for i in range(20):
        seed_engine.explain(f"sở tài chính làm gì trong quý {i % 4 + 1}/2019 lần {i}", now=NOW)
    assert len(pickle.dumps(seed_engine)) == before  # what a cached engine file holds does not grow with questions


def test_a_topic_beside_a_period_narrows_the_deadlines(seed_engine: AnswerEngine) -> None:
    q = query(seed_engine, "quý 4 này có việc gì về đào tạo nghề phải xong")
    assert q.window is not None and q.status == "due" and q.topic == "đào tạo nghề"
    for text in ("quý 4 này có những việc gì phải xong", "sắp tới hạn việc gì vậy", "hạn gửi báo cáo quý 4"):
        assert query(seed_engine, text).topic == "", text
    answer = seed_engine.answer("quý 4 này có việc gì về đào tạo nghề phải xong", agency=None, now=NOW)
    everything = seed_engine.answer("quý 4 này có những việc gì phải xong", agency=None, now=NOW)
    assert answer.tasks and set(answer.tasks) < set(everything.tasks)


def test_agencies_that_are_both_coordinators_hold_tasks_together(seed_engine: AnswerEngine) -> None:
    q = query(seed_engine, "những việc Sở Tài chính và Sở Công Thương đều là cơ quan phối hợp")
    assert q.together and q.role == "coordinator"


def test_a_period_question_about_what_no_plan_writes_lists_nothing(seed_engine: AnswerEngine) -> None:
    # words the plans never write, typed with their marks: the question is about something else
    text = "tháng 12 này giá vé xem bóng đá tăng vào ngày nào"
    assert query(seed_engine, text).topic
    answer = seed_engine.answer(text, agency=None, now=NOW)
    assert answer.tasks == () and "bóng" in answer.text
    assert seed_engine.answer("tháng 12 này có việc gì đến hạn", agency=None, now=NOW).tasks  # the listing stays


def test_at_least_how_many_is_a_quantity_not_a_rank(seed_engine: AnswerEngine) -> None:
    assert query(seed_engine, "cơ quan nào được giao ít nhất").shape == "rank"
    for text in ("mỗi năm phải thành lập ít nhất bao nhiêu hợp tác xã", "ít nhất mấy hợp tác xã điển hình"):
        assert query(seed_engine, text).shape != "rank", text


def test_a_scheme_no_plan_names_gets_no_task(seed_engine: AnswerEngine) -> None:
    q = query(seed_engine, "Đề án 1234 về khởi nghiệp ai chủ trì")
    assert q.shape == "unknown_scheme" and q.name == "Đề án 1234"
    assert seed_engine.answer("Đề án 1234 về khởi nghiệp ai chủ trì", agency=None, now=NOW).tasks == ()


def test_the_lead_role_set_aside_leaves_the_coordinated_tasks(seed_engine: AnswerEngine) -> None:
    q = query(seed_engine, "Sở Công Thương tham gia phối hợp ở những việc nào, không tính việc sở chủ trì")
    assert q.role == "coordinator"


def test_my_unit_with_another_agency_is_the_tasks_we_hold_together(seed_engine: AnswerEngine) -> None:
    q = query(seed_engine, "đơn vị mình có việc nào làm cùng Sở Tài chính không", agency="Sở Công Thương")
    assert q.agencies == ("Sở Công Thương", "Sở Tài chính") and q.together
