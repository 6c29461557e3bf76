"""Periods a question names, read against today."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.answering.question import read_question
from knowledge.answering.time_window import names_period, read_window
from knowledge.answering.vocabulary import cue_book

TODAY = date(2026, 11, 25)  # a Wednesday


def window(text: str, today: date = TODAY) -> tuple[date, date] | None:
    question = read_question(text)
    found = read_window(question, cue_book().scan(question.words), today)
    return (found.start, found.end) if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("việc hôm nay", (TODAY, TODAY)),
        ("ngày mai có gì", (date(2026, 11, 26), date(2026, 11, 26))),
        ("tuần này", (TODAY, date(2026, 11, 29))),
        ("tuần tới", (date(2026, 11, 30), date(2026, 12, 6))),
        ("cuối tháng", (TODAY, date(2026, 11, 30))),
        ("tháng sau", (date(2026, 12, 1), date(2026, 12, 31))),
        ("quý này", (TODAY, date(2026, 12, 31))),
        ("quý 2 năm 2027", (date(2027, 4, 1), date(2027, 6, 30))),
        ("quý IV", (date(2026, 10, 1), date(2026, 12, 31))),
        ("năm nay", (date(2026, 1, 1), date(2026, 12, 31))),  # said alone: the whole year
        ("năm nay còn phải làm gì", (TODAY, date(2026, 12, 31))),  # what is left of it
        ("cuối năm nay có hạn gì", (TODAY, date(2026, 12, 31))),
        ("từ giờ đến hết năm nay", (TODAY, date(2026, 12, 31))),
        ("tháng 3", (date(2027, 3, 1), date(2027, 3, 31))),  # a month already past means next year's
        ("tháng 12/2026", (date(2026, 12, 1), date(2026, 12, 31))),
        ("45 ngày tới", (TODAY, date(2027, 1, 9))),
        ("trước cuối tháng 2/2027", (TODAY, date(2027, 2, 28))),  # a limit: from today
        ("cuối tháng 1/2027 phải xong gì", (date(2027, 1, 1), date(2027, 1, 31))),  # the month named, not this one
        ("đến hết quý 1/2027", (TODAY, date(2027, 3, 31))),
        ("trước ngày 15/12/2026", (TODAY, date(2026, 12, 15))),
        ("ngày 15/12/2026 có gì", (date(2026, 12, 15), date(2026, 12, 15))),
        ("trước tháng 3/2026", (date(2026, 3, 1), date(2026, 3, 31))),  # a limit already past: the month itself
        ("ngày 31/2/2027", None),  # no such day
        ("từ giờ đến 16/12/2026 có việc gì", (TODAY, date(2026, 12, 16))),
        ("việc nào có hạn 30/12/2026", (date(2026, 12, 30), date(2026, 12, 30))),  # that day, not up to it
        ("đến 16/12 có gì", None),  # a day without its year, after "đến": not read
        ("theo Kế hoạch số 435/KH-UBND ngày 23/5/2018, Sở Tài chính làm gì", None),  # the plan's date
        ("phần mềm kế toán", None),
        ("trong năm 2027", (date(2027, 1, 1), date(2027, 12, 31))),
        ("nam 2029 co han nao", (date(2029, 1, 1), date(2029, 12, 31))),
        ("kế hoạch năm 2018", None),  # a plan's period, read by plan resolution
        ("giai đoạn năm 2026 - 2030", None),
        ("năm 2026 - 2030", None),  # a span of years names plans, not a period to list deadlines in
        ("tháng 5 năm 2027", (date(2027, 5, 1), date(2027, 5, 31))),  # the month, not the year
        ("việc đến hạn trong tháng 12 năm nay", (date(2026, 12, 1), date(2026, 12, 31))),  # not the rest of the year
        ("tháng 3 năm nay", (date(2026, 3, 1), date(2026, 3, 31))),  # past, but this year's as said
        ("tháng 12 năm sau", (date(2027, 12, 1), date(2027, 12, 31))),
        ("những việc nào có thời hạn năm 2018", (date(2018, 1, 1), date(2018, 12, 31))),
        ("sáu tháng đầu năm 2027 phải xong gì", (date(2027, 1, 1), date(2027, 6, 30))),
        ("nua cuoi nam", (date(2026, 7, 1), date(2026, 12, 31))),
        ("phù hợp Luật Hợp tác xã năm 2012", None),  # a law's year
        ("đến năm 2020 đạt bao nhiêu", None),  # a horizon
        ("vào năm 2028 có hạn gì", (date(2028, 1, 1), date(2028, 12, 31))),
        ("Q3 có việc gì", (date(2026, 7, 1), date(2026, 9, 30))),  # the chat form of a quarter
        ("q3 2027", (date(2027, 7, 1), date(2027, 9, 30))),
        ("việc có due date 15/12/2026", (date(2026, 12, 15), date(2026, 12, 15))),
        ("xem qr code", None),
        ("từ giờ đến hết năm còn hạn gì", (TODAY, date(2026, 12, 31))),  # the rest of this year
        ("từ nay đến hết 20/12/2026 phải xong gì", (TODAY, date(2026, 12, 20))),  # a limit day after "hết"
        ("đến hết năm 2027 phải xong gì", (TODAY, date(2027, 12, 31))),  # a year named as a limit: from today
        ("từ giờ tới hết năm 2026 còn gì", (TODAY, date(2026, 12, 31))),
        ("trước cuối năm 2027", (TODAY, date(2027, 12, 31))),  # the year named, not "cuối năm" of this one
        ("đến hết năm 2019 phải xong gì", (date(2019, 1, 1), date(2019, 12, 31))),  # a limit already past: the year
    ],
)
def test_windows(text: str, expected: tuple[date, date] | None) -> None:
    assert window(text) == expected


def test_names_period_only_for_numbered_periods() -> None:
    assert names_period(read_question("tháng 11 có gì"))
    assert names_period(read_question("quý 3"))
    assert not names_period(read_question("luật 2012"))


@given(st.text(max_size=80), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_any_text_gives_a_window_that_does_not_end_before_it_starts(text: str, today: date) -> None:
    question = read_question(text)
    found = read_window(question, cue_book().scan(question.words), today)
    assert found is None or found.start <= found.end


@pytest.mark.parametrize(
    ("text", "today", "first_day"),
    [
        ("có hạn gì trong tháng 10", date(2026, 11, 25), date(2026, 10, 1)),  # the October just past
        ("tháng 3", date(2026, 11, 25), date(2027, 3, 1)),  # the coming March
        ("tháng 12 có gì", date(2027, 1, 10), date(2026, 12, 1)),  # asked in January: the December just past
        ("tháng 5", date(2026, 11, 25), date(2027, 5, 1)),  # six months either way: forward
    ],
)
def test_a_month_without_its_year_is_the_nearest_one(text: str, today: date, first_day: date) -> None:
    window = read_window(read_question(text), frozenset(), today)
    assert window is not None and window.start == first_day
