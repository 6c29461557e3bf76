"""Answers over the plan shapes beside the seed that group their tasks by title: 12/KH-UBND (a merged "Lĩnh vực"
column of topics, issued in 2027) and 274/KH-UBND (tasks assigned in prose, grouped by their lead agency)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from knowledge.agencies import AgencyRegistry
from knowledge.answers import Answer, AnswerEngine
from knowledge.base import KnowledgeBase
from knowledge.records import ParsedPlan
from tests.knowledge.answering.conftest import fixture_plan

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
IN_2027 = datetime(2027, 3, 12, 9, 0, tzinfo=TZ)  # 12/KH-UBND in force
IN_2026 = datetime(2026, 11, 25, 9, 0, tzinfo=TZ)  # 274/KH-UBND in force


@pytest.fixture(scope="module")
def grouped(seed_plan: ParsedPlan, registry: AgencyRegistry) -> AnswerEngine:
    return AnswerEngine(KnowledgeBase([seed_plan.plan, fixture_plan("kh-2027-group-column.docx", registry)], registry))


@pytest.fixture(scope="module")
def prose(seed_plan: ParsedPlan, registry: AgencyRegistry) -> AnswerEngine:
    return AnswerEngine(KnowledgeBase([seed_plan.plan, fixture_plan("kh-2026-prose-duties.md", registry)], registry))


def ids(answer: Answer) -> list[str]:
    return [f"{t.plan_number.split('/')[0]}:{t.code}" for t in answer.tasks]


def test_an_agencys_tasks_in_a_group_titled_by_the_topic_are_about_it(grouped: AnswerEngine) -> None:
    # task 15 speaks of plastic bags only; its group is titled "Giảm thiểu chất thải nhựa, kinh tế tuần hoàn"
    answer = grouped.answer("Sở Công Thương được giao những việc gì liên quan đến rác", now=IN_2027)
    assert ids(answer) == ["12:10", "12:15"]


def test_a_group_named_by_its_lead_agency_is_no_topic(prose: AnswerEngine) -> None:
    # 274 groups its tasks under their lead agency's name: that title says nothing of what the tasks are about
    assert prose.catalogue.groups_about("Sở Nông nghiệp và Môi trường") == frozenset()


def test_a_body_named_after_a_word_for_bodies_and_its_country_gets_no_task(grouped: AnswerEngine) -> None:
    answer = grouped.answer("Cơ quan KOICA của Hàn Quốc giúp những việc gì về chất thải rắn sinh hoạt?", now=IN_2027)
    assert ids(answer) == [] and answer.rule == "unknown_agency"


def test_another_provinces_department_is_no_group_title(grouped: AnswerEngine) -> None:
    answer = grouped.answer("so tai nguyen moi truong tinh bac ninh lam nhung gi ve phan loai rac", now=IN_2027)
    assert ids(answer) == [] and answer.rule == "unknown_agency"


def test_a_word_typed_with_other_letters_names_no_agency(prose: AnswerEngine) -> None:
    answer = prose.answer("hạn hoàn thành bản đồ số du lịch đêm là bao giờ", now=IN_2026)
    assert ids(answer)[:1] == ["274:6.a"] and "31/3/2027" in answer.text


def test_managing_typed_without_marks_is_no_district(prose: AnswerEngine) -> None:
    answer = prose.answer("tieng on va rac o khu pho dem thi ai quan ly", now=IN_2026)
    assert answer.rule != "unknown_body" and ids(answer)[:1] == ["274:8.a"]


def test_a_plan_named_by_title_words_then_its_number(prose: AnswerEngine) -> None:
    answer = prose.answer("ke hoach kinh te dem 274 gom may nhiem vu", now=IN_2026)
    assert answer.rule == "plan_tasks" and "25 nhiệm vụ" in answer.text


def test_a_short_question_matches_its_words_as_typed(prose: AnswerEngine) -> None:
    # "mưa" (rain) folds like "mua" (buy) of the night-shopping tasks; typed with its marks, it is not them
    assert ids(prose.answer("trời có mưa không", now=IN_2026)) == []
    assert "274:4.b" in ids(prose.answer("có mua sắm đêm không", now=IN_2026))


def test_an_id_followed_by_its_plan_is_that_plans(grouped: AnswerEngine) -> None:
    missing = grouped.answer("nội dung mục XV.2 kế hoạch 12", now=IN_2027)
    assert ids(missing) == [] and "không có nhiệm vụ XV.2" in missing.text
    assert ids(grouped.answer("nội dung mục XV.2 kế hoạch 435", now=IN_2027)) == ["435:XV.2"]


def test_a_body_that_moved_is_no_topic(grouped: AnswerEngine) -> None:
    # "về" after "đã": the body moved to its successor; the question asks for all its tasks
    answer = grouped.answer("Sở TN&MT nay đã về Sở NN&MT, vậy sở này chủ trì những gì trong KH 12", now=IN_2027)
    assert len(ids(answer)) > 3


def test_a_short_question_matches_the_plans_body_as_typed_too(prose: AnswerEngine) -> None:
    # 274's section IV repeats its duties in prose, "mua sắm" among them: no passage of it is about rain
    assert prose.answer("trời có mưa không", now=IN_2026).rule == "not_understood"
