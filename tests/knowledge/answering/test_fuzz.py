"""No question and no day ends the engine (issue #14): random text, random Vietnamese fragments, extreme years and
days either get an answer or a :class:`TaskbotError` with a Vietnamese message, never another exception."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.answers import AnswerEngine
from knowledge.errors import QuestionError, TaskbotError

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FRAGMENTS = [
    "sở tài chính",
    "nhiệm vụ",
    "của tôi",
    "tháng",
    "năm",
    "quý",
    "0000",
    "9999",
    "13",
    "hạn",
    "quá hạn",
    "kế hoạch",
    "435",
    "38",
    "XV.6",
    "chi tiết",
    "/",
    ":",
    "và",
    "trang",
    "xem thêm",
    "ai lo",
    "không",
    "?",
    "bao nhiêu",
]
words = st.lists(st.sampled_from(FRAGMENTS) | st.integers(0, 99_999).map(str), min_size=1, max_size=12)


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=TZ)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(st.text(max_size=200), words.map(" ".join)),
    day=st.one_of(st.dates(date(2017, 1, 1), date(2030, 12, 31)), st.dates(date(1, 1, 1), date(9999, 12, 31))),
)
def test_any_question_on_any_day_answers_or_says_why(two_plans: AnswerEngine, text: str, day: date) -> None:
    try:
        answer = two_plans.answer(text, now=at(day))
    except TaskbotError as exc:
        assert exc.user_message and exc.user_message[0].isupper()
    else:
        assert answer.text


@pytest.mark.parametrize("text", ["tháng 1 năm 0000 có hạn gì", "quý 2 năm 9999 có việc gì", "tháng 3 năm 1899"])
def test_a_year_out_of_range_is_said_not_replaced(two_plans: AnswerEngine, text: str) -> None:
    with pytest.raises(QuestionError) as caught:
        two_plans.answer(text, now=at(date(2026, 11, 25)))
    assert "nằm ngoài khoảng" in caught.value.user_message


@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31)])
def test_a_day_out_of_range_is_refused_clearly(two_plans: AnswerEngine, day: date) -> None:
    with pytest.raises(QuestionError) as caught:
        two_plans.answer("sắp đến hạn việc gì", now=at(day))
    assert f"{day.year:04d}" in caught.value.user_message
