"""Tests of knowledge.schedule: reading plan time phrases into due dates."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.records import ReportingDate, Schedule, ScheduleContext, YearRange
from knowledge.schedule import parse_time_phrase

SEED = ScheduleContext(
    period=YearRange(start=2018, end=2020),
    reporting_date=ReportingDate(month=11, day=15, label="IV.4", text="trước ngày 15 tháng 11"),
    plan_date=date(2018, 3, 1),
    section="XIII.3",
)
NO_REPORTING = ScheduleContext(period=YearRange(start=2018, end=2020), plan_date=date(2018, 3, 1))
PLAN_DATE_ONLY = ScheduleContext(plan_date=date(2019, 5, 2))
PERIOD_ONLY = ScheduleContext(period=YearRange(start=2018, end=2020))
EMPTY = ScheduleContext()
ONE_YEAR = ScheduleContext(period=YearRange(start=2019, end=2019))

RECURRENCES = {"once", "yearly", "half-yearly", "quarterly", "monthly", "continuous", "unknown"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def dues(schedule: Schedule) -> list[date]:
    return [d.due for d in schedule.deadlines]


def rules(schedule: Schedule) -> list[str]:
    return [d.rule for d in schedule.deadlines]


def assert_well_formed(schedule: Schedule) -> None:
    assert schedule.recurrence in RECURRENCES
    days = dues(schedule)
    assert days == sorted(set(days))
    assert [d.final for d in schedule.deadlines] == [i == len(days) - 1 for i in range(len(days))]
    assert schedule.explanation
    for text in (schedule.explanation, *(d.reason for d in schedule.deadlines)):
        assert text == unicodedata.normalize("NFC", text)
    if schedule.recurrence in {"unknown", "continuous"}:
        assert schedule.deadlines == ()


# --- once: one due date, final ---------------------------------------------------------------------------

ONCE_CASES = [
    # quarters
    ("Quý II/2018", date(2018, 6, 30), "quarter-end"),
    ("Quý 2/2018", date(2018, 6, 30), "quarter-end"),
    ("quý II năm 2018", date(2018, 6, 30), "quarter-end"),
    ("Quý IV năm 2026", date(2026, 12, 31), "quarter-end"),
    ("QUÝ iv - 2026", date(2026, 12, 31), "quarter-end"),
    ("Quí III/2019", date(2019, 9, 30), "quarter-end"),
    ("Quý I 2019", date(2019, 3, 31), "quarter-end"),
    ("Đến hết quý II/2018", date(2018, 6, 30), "quarter-end"),
    ("Hoàn thành trong Quý 1/2019.", date(2019, 3, 31), "quarter-end"),
    ("Quý I - II/2019", date(2019, 6, 30), "quarter-end"),
    ("Quý I – III/2019", date(2019, 9, 30), "quarter-end"),
    ("Quý I, II năm 2019", date(2019, 6, 30), "quarter-end"),
    ("Quý I, II, III/2019", date(2019, 9, 30), "quarter-end"),
    # years
    ("Năm 2018", date(2018, 12, 31), "year-end"),
    ("NĂM 2018", date(2018, 12, 31), "year-end"),
    ("Cuối năm 2018", date(2018, 12, 31), "year-end"),
    ("Trong năm 2018", date(2018, 12, 31), "year-end"),
    ("hết năm 2018", date(2018, 12, 31), "year-end"),
    ("Đến hết năm 2018", date(2018, 12, 31), "year-end"),
    ("Đến năm 2020", date(2020, 12, 31), "year-end"),
    ("2021", date(2021, 12, 31), "year-end"),
    # months and halves
    ("Tháng 6/2026", date(2026, 6, 30), "month-end"),
    ("tháng 6 năm 2026", date(2026, 6, 30), "month-end"),
    ("Trong tháng 06/2026", date(2026, 6, 30), "month-end"),
    ("Tháng 2/2028", date(2028, 2, 29), "month-end"),
    ("tháng 2-2026", date(2026, 2, 28), "month-end"),
    ("6 tháng đầu năm 2026", date(2026, 6, 30), "half-year"),
    ("6 tháng cuối năm 2026", date(2026, 12, 31), "half-year"),
    # dates
    ("Trước 30/9/2026", date(2026, 9, 30), "fixed-date"),
    ("Trước ngày 30/9/2026", date(2026, 9, 30), "fixed-date"),
    ("trước ngày 30 tháng 9 năm 2026", date(2026, 9, 30), "fixed-date"),
    ("30/9/2026", date(2026, 9, 30), "fixed-date"),
    ("Hoàn thành trước 30/09/2026", date(2026, 9, 30), "fixed-date"),
    ("Trước 05-01-2027", date(2027, 1, 5), "fixed-date"),
    ("Chậm nhất ngày 30.9.2026", date(2026, 9, 30), "fixed-date"),
    ("Trước ngày 29/02/2028", date(2028, 2, 29), "fixed-date"),
]


@pytest.mark.parametrize(("phrase", "due", "rule"), ONCE_CASES)
def test_once_phrases(phrase: str, due: date, rule: str) -> None:
    schedule = parse_time_phrase(phrase, SEED)
    assert schedule.recurrence == "once"
    assert dues(schedule) == [due]
    assert rules(schedule) == [rule]
    assert schedule.deadlines[0].final
    assert schedule.explanation.startswith(f"Hạn: {due:%d/%m/%Y}")
    assert schedule.recognised
    assert_well_formed(schedule)


def test_once_date_stands_outside_the_period() -> None:
    assert dues(parse_time_phrase("Quý II/2026", SEED)) == [date(2026, 6, 30)]


@pytest.mark.parametrize(
    ("phrase", "explanation", "reason_part"),
    [
        ("Quý II/2018", "Hạn: 30/06/2018 (hết Quý II/2018)", "Quý II/2018"),
        ("Quý 2/2018", "Hạn: 30/06/2018 (hết Quý II/2018)", "“Quý 2/2018”"),
        ("Năm 2018", "Hạn: 31/12/2018 (hết năm 2018)", "cuối năm 2018"),
        ("Tháng 6/2026", "Hạn: 30/06/2026 (hết tháng 6/2026)", "cuối tháng 6/2026"),
        ("6 tháng đầu năm 2026", "Hạn: 30/06/2026 (hết 6 tháng đầu năm 2026)", "6 tháng đầu năm 2026"),
        ("Trước 30/9/2026", "Hạn: 30/09/2026", "“Trước 30/9/2026”"),
    ],
)
def test_once_explanations(phrase: str, explanation: str, reason_part: str) -> None:
    schedule = parse_time_phrase(phrase, SEED)
    assert schedule.explanation == explanation
    assert reason_part in schedule.deadlines[0].reason


# --- phrases without a year: the plan's own year, else unknown -------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "due", "rule"),
    [
        ("Trước 30/9", date(2019, 9, 30), "fixed-date"),
        ("trước ngày 30 tháng 9", date(2019, 9, 30), "fixed-date"),
        ("Quý III", date(2019, 9, 30), "quarter-end"),
        ("Tháng 6", date(2019, 6, 30), "month-end"),
        ("6 tháng đầu năm", date(2019, 6, 30), "half-year"),
    ],
)
def test_no_year_falls_in_plan_year(phrase: str, due: date, rule: str) -> None:
    schedule = parse_time_phrase(phrase, PLAN_DATE_ONLY)
    assert schedule.recurrence == "once"
    assert dues(schedule) == [due]
    assert rules(schedule) == [rule]
    assert "ngày ban hành kế hoạch" in schedule.explanation
    assert "ngày ban hành kế hoạch" in schedule.deadlines[0].reason


@pytest.mark.parametrize("context", [PERIOD_ONLY, EMPTY])
@pytest.mark.parametrize("phrase", ["Trước 30/9", "Quý III", "Tháng 6", "6 tháng cuối năm"])
def test_no_year_and_no_plan_date_is_unknown(phrase: str, context: ScheduleContext) -> None:
    schedule = parse_time_phrase(phrase, context)
    assert schedule.recurrence == "unknown"
    assert schedule.deadlines == ()


# --- year ranges and lists -------------------------------------------------------------------------------

RANGE_RULES = ["year-end-checkpoint", "year-end-checkpoint", "range-end"]


@pytest.mark.parametrize(
    "phrase",
    [
        "Năm 2018 - 2020",
        "2018-2020",
        "Giai đoạn 2018 - 2020",
        "Năm 2018 -2020",
        "2018–2020",
        "Năm 2018 — 2020",
        "Từ năm 2018 đến năm 2020",
        "Trong các năm 2018-2020",
    ],
)
def test_year_range(phrase: str) -> None:
    schedule = parse_time_phrase(phrase, SEED)
    assert schedule.recurrence == "yearly"
    assert dues(schedule) == [date(2018, 12, 31), date(2019, 12, 31), date(2020, 12, 31)]
    assert rules(schedule) == RANGE_RULES
    assert [d.final for d in schedule.deadlines] == [False, False, True]
    assert schedule.explanation == "Giai đoạn 2018-2020: mốc 31/12 mỗi năm, hạn cuối 31/12/2020"
    assert schedule.deadlines[-1].reason == "Hết giai đoạn 2018-2020"
    assert_well_formed(schedule)


def test_year_range_names_its_own_years() -> None:
    schedule = parse_time_phrase("Năm 2021 - 2022", SEED)
    assert dues(schedule) == [date(2021, 12, 31), date(2022, 12, 31)]
    assert rules(schedule) == ["year-end-checkpoint", "range-end"]


@pytest.mark.parametrize(
    ("phrase", "years"),
    [
        ("Năm 2019, 2020", [2019, 2020]),
        ("Năm 2019 và 2020", [2019, 2020]),
        ("năm 2018, năm 2020", [2018, 2020]),
        ("2020, 2018, 2019", [2018, 2019, 2020]),
    ],
)
def test_year_list(phrase: str, years: list[int]) -> None:
    schedule = parse_time_phrase(phrase, SEED)
    assert schedule.recurrence == "yearly"
    assert dues(schedule) == [date(year, 12, 31) for year in years]
    assert set(rules(schedule)) == {"listed-year-end"}
    assert not schedule.repeats("yearly")  # one piece of work over those years
    assert schedule.deadlines[-1].final
    assert_well_formed(schedule)


# --- yearly ----------------------------------------------------------------------------------------------

YEARLY_PHRASES = [
    "Hàng năm",
    "Hằng năm",
    "hàng năm",
    "Định kỳ hàng năm",
    "HẰNG NĂM.",
    "Mỗi năm",
    "Ha\u0300ng na\u0306m",
]


def test_seed_plan_hang_nam() -> None:
    schedule = parse_time_phrase("Hàng năm", SEED)
    assert schedule.recurrence == "yearly"
    assert dues(schedule) == [date(2018, 11, 15), date(2019, 11, 15), date(2020, 11, 15)]
    assert set(rules(schedule)) == {"plan-reporting-date"}
    assert [d.final for d in schedule.deadlines] == [False, False, True]
    for deadline in schedule.deadlines:
        assert "15/11" in deadline.reason
        assert "IV.4" in deadline.reason
    assert schedule.deadlines[0].reason == "15/11 hằng năm theo mục IV.4"
    assert schedule.explanation == "Hằng năm, hạn 15/11 theo mục IV.4"


@pytest.mark.parametrize("phrase", YEARLY_PHRASES)
def test_yearly_spellings(phrase: str) -> None:
    schedule = parse_time_phrase(phrase, SEED)
    assert schedule.recurrence == "yearly"
    assert dues(schedule) == [date(2018, 11, 15), date(2019, 11, 15), date(2020, 11, 15)]
    assert_well_formed(schedule)


def test_yearly_without_reporting_date_is_year_end() -> None:
    schedule = parse_time_phrase("Hằng năm", NO_REPORTING)
    assert dues(schedule) == [date(2018, 12, 31), date(2019, 12, 31), date(2020, 12, 31)]
    assert set(rules(schedule)) == {"year-end"}
    assert schedule.deadlines[0].reason == "31/12 hằng năm (kế hoạch không nêu ngày báo cáo)"


def test_yearly_without_period_uses_plan_year() -> None:
    schedule = parse_time_phrase("Hàng năm", PLAN_DATE_ONLY)
    assert schedule.recurrence == "yearly"
    assert dues(schedule) == [date(2019, 12, 31)]
    assert schedule.deadlines[0].final


def test_yearly_reporting_label_missing() -> None:
    context = ScheduleContext(
        period=YearRange(start=2019, end=2019), reporting_date=ReportingDate(month=11, day=15, label="")
    )
    schedule = parse_time_phrase("Hàng năm", context)
    assert dues(schedule) == [date(2019, 11, 15)]
    assert rules(schedule) == ["plan-reporting-date"]
    assert "15/11" in schedule.deadlines[0].reason


@pytest.mark.parametrize("phrase", ["Hàng năm", "Trước ngày 15/12 hằng năm", "Định kỳ hằng quý", "Hàng tháng"])
def test_recurring_without_any_years_has_no_deadlines(phrase: str) -> None:
    schedule = parse_time_phrase(phrase, EMPTY)
    assert schedule.recurrence in {"yearly", "quarterly", "monthly"}
    assert schedule.deadlines == ()
    assert "chưa xác định được các năm" in schedule.explanation


@pytest.mark.parametrize(
    ("phrase", "month", "day"),
    [
        ("Trước ngày 15/12 hằng năm", 12, 15),
        ("trước 15/12 hàng năm", 12, 15),
        ("ngày 15 tháng 12 hằng năm", 12, 15),
        ("Hàng năm (trước 15/11)", 11, 15),
        ("Hằng năm, trước ngày 05/01", 1, 5),
    ],
)
def test_yearly_fixed_date(phrase: str, month: int, day: int) -> None:
    schedule = parse_time_phrase(phrase, SEED)
    assert schedule.recurrence == "yearly"
    assert dues(schedule) == [date(year, month, day) for year in (2018, 2019, 2020)]
    assert set(rules(schedule)) == {"yearly-fixed-date"}
    assert schedule.explanation == f"Hằng năm, hạn {day:02d}/{month:02d}"
    assert f"{day:02d}/{month:02d} hằng năm" in schedule.deadlines[0].reason
    assert_well_formed(schedule)


def test_yearly_leap_day_falls_back_in_other_years() -> None:
    schedule = parse_time_phrase("Trước 29/2 hằng năm", SEED)
    assert dues(schedule) == [date(2018, 2, 28), date(2019, 2, 28), date(2020, 2, 29)]


def test_yearly_month_and_quarter() -> None:
    month = parse_time_phrase("Tháng 12 hằng năm", SEED)
    assert month.recurrence == "yearly"
    assert dues(month) == [date(2018, 12, 31), date(2019, 12, 31), date(2020, 12, 31)]
    assert set(rules(month)) == {"month-end"}
    quarter = parse_time_phrase("Quý II hằng năm", SEED)
    assert quarter.recurrence == "yearly"
    assert dues(quarter) == [date(2018, 6, 30), date(2019, 6, 30), date(2020, 6, 30)]
    assert set(rules(quarter)) == {"quarter-end"}


# --- quarterly, monthly, continuous ----------------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["Định kỳ hằng quý", "Hàng quý", "hằng quý", "Mỗi quý"])
def test_quarterly(phrase: str) -> None:
    schedule = parse_time_phrase(phrase, ONE_YEAR)
    assert schedule.recurrence == "quarterly"
    assert dues(schedule) == [date(2019, 3, 31), date(2019, 6, 30), date(2019, 9, 30), date(2019, 12, 31)]
    assert set(rules(schedule)) == {"quarter-end"}
    assert schedule.deadlines[-1].final
    assert_well_formed(schedule)


def test_quarterly_over_seed_period() -> None:
    schedule = parse_time_phrase("Hằng quý", SEED)
    assert len(schedule.deadlines) == 12
    assert schedule.deadlines[0].due == date(2018, 3, 31)
    assert schedule.deadlines[-1].due == date(2020, 12, 31)


@pytest.mark.parametrize("phrase", ["Hàng tháng", "Hằng tháng", "định kỳ hàng tháng"])
def test_monthly(phrase: str) -> None:
    schedule = parse_time_phrase(phrase, ONE_YEAR)
    assert schedule.recurrence == "monthly"
    assert len(schedule.deadlines) == 12
    assert schedule.deadlines[1].due == date(2019, 2, 28)
    assert schedule.deadlines[-1].due == date(2019, 12, 31)
    assert set(rules(schedule)) == {"month-end"}
    assert_well_formed(schedule)


@pytest.mark.parametrize(
    "phrase",
    ["Thường xuyên", "Liên tục", "thường xuyên, liên tục", "Thường xuyên và liên tục", "THƯỜNG XUYÊN."],
)
def test_continuous(phrase: str) -> None:
    schedule = parse_time_phrase(phrase, SEED)
    assert schedule.recurrence == "continuous"
    assert schedule.deadlines == ()
    assert schedule.explanation == "Thường xuyên, không có hạn cụ thể"


# --- unknown ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "",
        "   ",
        "abc",
        "31/2/2026",
        "Trước 31/02/2026",
        "Trước 29/02/2026",
        "Trước 30/13/2026",
        "Quý V/2018",
        "Tháng 13/2026",
        "Năm 2020 - 2018",
        "Quý II/2018 hoặc sớm hơn",
        "Luật Hợp tác xã năm 2012",
        "Đầu năm 2018",
        "Năm 0000",
        "Theo tiến độ dự án",
        "Quý II/2018 và Quý III/2019",
        "Tháng 12/2026 hằng năm",
    ],
)
def test_unknown(phrase: str) -> None:
    schedule = parse_time_phrase(phrase, SEED)
    assert schedule.recurrence == "unknown"
    assert schedule.deadlines == ()
    assert not schedule.recognised
    assert schedule.explanation == f"Không xác định được thời hạn từ “{schedule.phrase}”"


def test_phrase_is_kept_nfc_and_stripped() -> None:
    schedule = parse_time_phrase(unicodedata.normalize("NFD", "  Quý II/2018 \n"), SEED)
    assert schedule.phrase == "Quý II/2018"
    assert dues(schedule) == [date(2018, 6, 30)]


def test_control_characters_and_long_input() -> None:
    assert dues(parse_time_phrase("Năm\x00 2018\u200b", SEED)) == [date(2018, 12, 31)]
    long = parse_time_phrase("Quý II/2018 " * 1000, SEED)
    assert long.recurrence == "unknown"
    assert parse_time_phrase("x" * 10_000, SEED).recurrence == "unknown"


def test_invalid_contexts_do_not_raise() -> None:
    odd = ScheduleContext(
        period=YearRange(start=-5, end=100_000), reporting_date=ReportingDate(month=2, day=31, label="?")
    )
    schedule = parse_time_phrase("Hàng năm", odd)
    assert set(rules(schedule)) == {"year-end"}  # 31/02 is no reporting date
    assert schedule.deadlines[0].due == date(1900, 12, 31)
    assert schedule.deadlines[-1].due == date(2199, 12, 31)
    assert parse_time_phrase("Hàng năm", ScheduleContext(period=YearRange(start=3000, end=3001))).deadlines == ()


# --- properties ------------------------------------------------------------------------------------------

WORDS = (
    "Quý II IV năm Năm hàng hằng tháng ngày trước Trước đầu cuối 6 2018 2020 2026 15 30 9 / - – , và"
    " thường xuyên liên tục quý giai đoạn từ đến ( ) 31 02 12 13 x"
).split()

contexts = st.builds(
    ScheduleContext,
    period=st.none()
    | st.tuples(st.integers(1800, 2300), st.integers(0, 5)).map(lambda t: YearRange(start=t[0], end=t[0] + t[1])),
    reporting_date=st.none()
    | st.builds(ReportingDate, month=st.integers(0, 13), day=st.integers(0, 32), label=st.sampled_from(["IV.4", ""])),
    plan_date=st.none() | st.dates(),
)


@settings(max_examples=200)
@given(phrase=st.text(max_size=60), context=contexts)
def test_never_raises_on_any_text(phrase: str, context: ScheduleContext) -> None:
    schedule = parse_time_phrase(phrase, context)
    assert_well_formed(schedule)
    assert parse_time_phrase(phrase, context) == schedule


@settings(max_examples=300)
@given(words=st.lists(st.sampled_from(WORDS), max_size=8), context=contexts)
def test_well_formed_on_phrase_like_text(words: list[str], context: ScheduleContext) -> None:
    phrase = " ".join(words)
    schedule = parse_time_phrase(phrase, context)
    assert_well_formed(schedule)
    assert parse_time_phrase(phrase, context) == schedule
    if context.period is not None and schedule.recurrence in {"quarterly", "monthly"}:
        assert all(context.period.start <= d.due.year <= context.period.end for d in schedule.deadlines)


@settings(max_examples=100)
@given(
    due=st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)),
    pad=st.booleans(),
    template=st.sampled_from(["Trước {d}/{m}/{y}", "Trước ngày {d}-{m}-{y}", "trước ngày {d} tháng {m} năm {y}"]),
)
def test_generated_dates(due: date, pad: bool, template: str) -> None:
    fmt = "{:02d}" if pad else "{}"
    phrase = template.format(d=fmt.format(due.day), m=fmt.format(due.month), y=due.year)
    schedule = parse_time_phrase(phrase, EMPTY)
    assert schedule.recurrence == "once"
    assert dues(schedule) == [due]
    assert rules(schedule) == ["fixed-date"]


@settings(max_examples=100)
@given(
    quarter=st.integers(1, 4),
    year=st.integers(1900, 2199),
    roman=st.booleans(),
    template=st.sampled_from(["Quý {q}/{y}", "quý {q} năm {y}", "Hết Quý {q} - {y}"]),
)
def test_generated_quarters(quarter: int, year: int, roman: bool, template: str) -> None:
    phrase = template.format(q=ROMAN[quarter] if roman else quarter, y=year)
    schedule = parse_time_phrase(phrase, EMPTY)
    assert schedule.recurrence == "once"
    assert dues(schedule) == [date(year, *QUARTER_END[quarter])]
    assert rules(schedule) == ["quarter-end"]


@settings(max_examples=50)
@given(first=st.integers(1900, 2190), length=st.integers(1, 9))
def test_generated_year_ranges(first: int, length: int) -> None:
    last = first + length
    schedule = parse_time_phrase(f"Năm {first} - {last}", EMPTY)
    assert dues(schedule) == [date(year, 12, 31) for year in range(first, last + 1)]
    assert rules(schedule)[-1] == "range-end"
    assert schedule.deadlines[-1].final


# --- cadences of newer plans: half-yearly, several dates a year, spans ------------------------------------------

PLAN_2026 = ScheduleContext(period=YearRange(start=2026, end=2027), plan_date=date(2026, 1, 22))
PLAN_2026_REPORTING = ScheduleContext(
    period=YearRange(start=2026, end=2027),
    plan_date=date(2026, 1, 22),
    reporting_date=ReportingDate(month=12, day=15, label="II", text="trước ngày 15 tháng 12 hằng năm"),
)


@pytest.mark.parametrize("phrase", ["Định kỳ 6 tháng", "định kỳ 06 tháng", "6 tháng một lần", "Hằng 6 tháng"])
def test_half_yearly(phrase: str) -> None:
    schedule = parse_time_phrase(phrase, PLAN_2026)
    assert_well_formed(schedule)
    assert schedule.recurrence == "half-yearly"
    assert dues(schedule) == [date(2026, 6, 30), date(2026, 12, 31), date(2027, 6, 30), date(2027, 12, 31)]
    assert set(rules(schedule)) == {"half-year"}
    assert schedule.deadlines[0].reason == f"Ngày cuối 6 tháng đầu năm 2026 (thời hạn “{phrase}”)"


def test_half_yearly_and_yearly_uses_the_reporting_date() -> None:
    schedule = parse_time_phrase("Định kỳ 6 tháng, hằng năm", PLAN_2026_REPORTING)
    assert schedule.recurrence == "half-yearly"
    assert dues(schedule) == [date(2026, 6, 30), date(2026, 12, 15), date(2027, 6, 30), date(2027, 12, 15)]
    assert rules(schedule) == ["half-year", "plan-reporting-date"] * 2
    assert "15/12 hằng năm theo mục II" in schedule.deadlines[1].reason


@pytest.mark.parametrize(
    ("phrase", "recurrence", "dates"),
    [
        ("Trước ngày 15/6 và 15/12 hằng năm", "half-yearly", [(6, 15), (12, 15)]),
        ("Hằng năm, trước ngày 15/6 và ngày 15/12", "half-yearly", [(6, 15), (12, 15)]),
        ("Trước ngày 31/3, 30/6, 30/9 và 31/12 hằng năm", "quarterly", [(3, 31), (6, 30), (9, 30), (12, 31)]),
        ("Trước ngày 31/3 và 31/5 hằng năm", "yearly", [(3, 31), (5, 31)]),
    ],
)
def test_several_days_every_year(phrase: str, recurrence: str, dates: list[tuple[int, int]]) -> None:
    schedule = parse_time_phrase(phrase, PLAN_2026)
    assert_well_formed(schedule)
    assert schedule.recurrence == recurrence
    assert dues(schedule) == [date(year, m, d) for year in (2026, 2027) for m, d in dates]
    assert set(rules(schedule)) == {"yearly-fixed-date"}


def test_several_months_every_year() -> None:
    schedule = parse_time_phrase("Tháng 6 và tháng 12 hằng năm", PLAN_2026)
    assert schedule.recurrence == "half-yearly"
    assert dues(schedule) == [date(2026, 6, 30), date(2026, 12, 31), date(2027, 6, 30), date(2027, 12, 31)]


@pytest.mark.parametrize(
    ("phrase", "recurrence", "expected"),
    [
        ("Tháng 10/2024 và tháng 10/2025", "yearly", [date(2024, 10, 31), date(2025, 10, 31)]),
        ("Tháng 6/2026 và tháng 12/2026", "half-yearly", [date(2026, 6, 30), date(2026, 12, 31)]),
    ],
)
def test_month_lists(phrase: str, recurrence: str, expected: list[date]) -> None:
    schedule = parse_time_phrase(phrase, PLAN_2026)
    assert_well_formed(schedule)
    assert (schedule.recurrence, dues(schedule)) == (recurrence, expected)
    assert schedule.deadlines[0].reason.startswith("Ngày cuối tháng ")


@pytest.mark.parametrize(
    ("phrase", "expected", "named"),
    [
        ("Quý IV/2026 - Quý I/2027", date(2027, 3, 31), "Quý I/2027"),
        ("Từ Quý IV/2026 đến Quý I/2027", date(2027, 3, 31), "Quý I/2027"),
        ("Tháng 10/2026 - tháng 3/2027", date(2027, 3, 31), "tháng 3/2027"),
    ],
)
def test_spans_are_due_at_their_end(phrase: str, expected: date, named: str) -> None:
    schedule = parse_time_phrase(phrase, PLAN_2026)
    assert (schedule.recurrence, dues(schedule)) == ("once", [expected])
    assert schedule.deadlines[0].reason == f"Ngày cuối {named} (thời hạn “{phrase}”)"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Thường xuyên, hằng năm", [date(2026, 12, 15), date(2027, 12, 15)]),
        ("Hằng năm từ 2027", [date(2027, 12, 15)]),
        ("Năm 2027 và các năm tiếp theo", [date(2027, 12, 15)]),
    ],
)
def test_yearly_combinations(phrase: str, expected: list[date]) -> None:
    schedule = parse_time_phrase(phrase, PLAN_2026_REPORTING)
    assert (schedule.recurrence, dues(schedule)) == ("yearly", expected)
    assert set(rules(schedule)) == {"plan-reporting-date"}


@pytest.mark.parametrize(
    "phrase",
    [
        "6 tháng",  # six months from when? not a cadence
        "Trong 6 tháng",
        "Từ năm 2026",  # a start without an end
        "Tháng 3/2026 và tháng 5/2026",  # irregular: no cadence to give it
        "Quý I/2027 - Quý IV/2026",  # a span that ends before it starts
        "Tháng 6 và 15/12 hằng năm",
    ],
)
def test_unreadable_cadences_stay_text(phrase: str) -> None:
    schedule = parse_time_phrase(phrase, PLAN_2026)
    assert schedule.recurrence == "unknown" and schedule.deadlines == ()
    assert schedule.phrase == phrase and phrase in schedule.explanation


CADENCE_WORDS = ["Định kỳ", "6 tháng", "hằng năm", "hằng quý", "và", ",", "-", "Quý IV/2026", "Quý I/2027",
                 "Tháng 10/2024", "tháng 10/2025", "trước ngày 15/6", "15/12", "Thường xuyên", "từ"]  # fmt: skip


@given(words=st.lists(st.sampled_from(CADENCE_WORDS), max_size=7), context=contexts)
def test_cadence_like_text_never_crashes_and_stays_well_formed(words: list[str], context: ScheduleContext) -> None:
    phrase = " ".join(words)
    schedule = parse_time_phrase(phrase, context)
    assert_well_formed(schedule)
    if not schedule.recognised:
        assert schedule.deadlines == () and schedule.phrase == unicodedata.normalize("NFC", phrase).strip()


@pytest.mark.parametrize(
    ("phrase", "occasion"),
    [("Tháng Tết Nguyên đán hằng năm", "tháng Tết Nguyên đán"), ("Dịp Tết Trung thu hàng năm", "dịp Tết Trung thu")],
)
def test_a_yearly_occasion_without_a_date_is_yearly_and_undated(phrase: str, occasion: str) -> None:
    """A lunar feast or campaign month recurs every year; the text gives no day, so none is guessed."""
    schedule = parse_time_phrase(phrase, SEED)
    assert schedule.recurrence == "yearly" and schedule.deadlines == () and schedule.recognised
    assert occasion in schedule.explanation and "không ghi ngày" in schedule.explanation


def test_a_year_phrase_with_numbers_is_no_occasion() -> None:
    assert parse_time_phrase("Tuần 3 hằng năm", SEED).recurrence == "unknown"  # not read in full: never a guess


def test_the_holidays_are_a_yearly_occasion() -> None:
    schedule = parse_time_phrase("Cao điểm Tết Nguyên đán và các dịp lễ", SEED)
    assert schedule.recurrence == "yearly" and schedule.deadlines == ()


@pytest.mark.parametrize(
    ("phrase", "yearly"),
    [
        ("Hằng năm", True),
        ("Trước ngày 15/12 hằng năm", True),
        ("Thường xuyên, hằng năm", True),
        ("Năm 2018 - 2020", False),
        ("Giai đoạn 2018-2020", False),
        ("Năm 2019, 2020", False),
        ("Năm 2018", False),
    ],
)
def test_only_a_yearly_duty_repeats_yearly(phrase: str, yearly: bool) -> None:
    assert parse_time_phrase(phrase, SEED).repeats("yearly") is yearly


@pytest.mark.parametrize(
    ("phrase", "expected", "recurrence"),
    [
        ("Quý I và Quý III/2027", [date(2027, 3, 31), date(2027, 9, 30)], "half-yearly"),
        ("Quý I và III/2027", [date(2027, 3, 31), date(2027, 9, 30)], "half-yearly"),
        ("quý I, quý III năm 2027", [date(2027, 3, 31), date(2027, 9, 30)], "half-yearly"),
        ("Quý I và Quý II/2027", [date(2027, 3, 31), date(2027, 6, 30)], "once"),
        ("Trước ngày 15/6 và 15/12/2027", [date(2027, 6, 15), date(2027, 12, 15)], "half-yearly"),
        ("Quý I - III/2019", [date(2019, 9, 30)], "once"),  # a span: its end
    ],
)
def test_points_named_in_one_year(phrase: str, expected: list[date], recurrence: str) -> None:
    schedule = parse_time_phrase(phrase, SEED)
    assert dues(schedule) == expected and schedule.recurrence == recurrence
    assert_well_formed(schedule)
