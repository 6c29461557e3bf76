"""Tests of knowledge.reporting_duties: who reports to whom, by when and how often, wherever a plan says so."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.agencies import AgencyRegistry
from knowledge.records import ParsedPlan, ReportingDuty
from knowledge.reporting_duties import BodyParagraph, read_reporting_duties, yearly_reporting_dates

TC = "Sở Tài chính"
KHDT = "Sở Kế hoạch và Đầu tư"
CITY = "Ủy ban nhân dân thành phố"
DISTRICTS = "UBND các quận, huyện"


def read(text: str, registry: AgencyRegistry, *, label: str = "II.3", subject: str = "") -> list[ReportingDuty]:
    return list(read_reporting_duties([BodyParagraph(label=label, text=text, subject=subject)], registry))


def facts(duty: ReportingDuty) -> tuple[object, ...]:
    return (duty.reporters, duty.receiver, duty.frequency, duty.day, duty.months or duty.month, duty.year)


def test_seed_plan_duties(seed_plan: ParsedPlan) -> None:
    duties = seed_plan.plan.reporting_duties
    assert [facts(d) for d in duties] == [
        ((), KHDT, "yearly", 15, (11,), None),
        ((KHDT,), CITY, "yearly", 10, (12,), None),
    ]
    agencies, lead_office = duties
    assert agencies.reporters_text == "Thủ trưởng các Sở, ngành, Ủy ban nhân dân các quận, huyện, đơn vị"
    assert (agencies.month, lead_office.month) == (11, 12)
    assert agencies.label == lead_office.label == "IV.4"
    assert agencies.text.startswith("Thủ trưởng các Sở, ngành") and "10 tháng 12" in agencies.text


def test_seed_reporting_dates_agree_with_duties(seed_plan: ParsedPlan) -> None:
    plan = seed_plan.plan
    assert (plan.reporting_date, plan.city_reporting_date) == yearly_reporting_dates(plan.reporting_duties)
    assert plan.reporting_date is not None and plan.reporting_date.text.endswith("trước ngày 15 tháng 11")
    assert "Sở Kế hoạch và Đầu tư" in plan.reporting_date.text  # the old engine reads the receiver from it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Các Sở, ngành, UBND các quận, huyện báo cáo kết quả thực hiện về Sở Tài chính trước ngày 15 tháng 12 "
            "hằng năm để tổng hợp.",
            [((), TC, "yearly", 15, (12,), None)],
        ),
        (
            "Định kỳ 6 tháng, UBND các quận, huyện báo cáo kết quả về Sở Tài chính trước ngày 15/6 và 15/12.",
            [((DISTRICTS,), TC, "half-yearly", 15, (6, 12), None)],
        ),
        (
            "Sở Nội vụ báo cáo Ủy ban nhân dân thành phố định kỳ hằng quý.",
            [(("Sở Nội vụ",), CITY, "quarterly", None, None, None)],
        ),
        (
            "Các cơ quan báo cáo định kỳ 6 tháng (trước ngày 20/6) và hằng năm (trước ngày 20/12) gửi Sở Tài chính.",
            [((), TC, "half-yearly", 20, (6,), None), ((), TC, "yearly", 20, (12,), None)],
        ),
        (
            "Sở Tài chính tổng hợp, báo cáo UBND thành phố kết quả sơ kết trước ngày 31/12/2026.",
            [((TC,), CITY, "once", 31, (12,), 2026)],
        ),
        (
            "Sở Tài chính tổ chức sơ kết giữa kỳ, báo cáo UBND thành phố trong Quý II/2028.",
            [((TC,), "Ủy ban nhân dân thành phố", "once", 30, (6,), 2028)],
        ),
        (
            "Sở Tài chính báo cáo UBND thành phố kết quả sơ kết 6 tháng trước ngày 25/6/2026.",
            [((TC,), "Ủy ban nhân dân thành phố", "once", 25, (6,), 2026)],
        ),
        (
            "Sở Tài chính định kỳ 6 tháng báo cáo UBND thành phố trước ngày 25/6/2026 và 25/12/2026.",
            [((TC,), "Ủy ban nhân dân thành phố", "half-yearly", 25, (6, 12), 2026)],
        ),
        (
            "Các đơn vị báo cáo tiến độ về Sở Tài chính trước ngày 20 hằng tháng.",
            [((), TC, "monthly", 20, tuple(range(1, 13)), None)],
        ),
        (
            "Liên minh Hợp tác xã báo cáo kết quả gửi Bộ Kế hoạch và Đầu tư chậm nhất ngày 10/1 hằng năm.",
            [(("Liên minh Hợp tác xã và Doanh nghiệp thành phố",), "Bộ Kế hoạch và Đầu tư", "yearly", 10, (1,), None)],
        ),
        (
            "Định kỳ trước ngày 15/6 (báo cáo 6 tháng) và trước ngày 15/12 (báo cáo năm), các cơ quan, đơn vị gửi báo"
            " cáo về Sở Tài chính để tổng hợp, báo cáo UBND thành phố.",
            [((), TC, "half-yearly", 15, (6,), None), ((), TC, "yearly", 15, (12,), None)],
        ),
        (
            "Các cơ quan báo cáo Sở Tài chính trước ngày 20 tháng cuối quý.",
            [((), TC, "quarterly", 20, (3, 6, 9, 12), None)],
        ),
        (
            "Sở Tài chính tổng hợp, tham mưu UBND thành phố báo cáo Bộ Tài chính trước ngày 31/12 hằng năm.",
            [((TC,), "Bộ Tài chính", "yearly", 31, (12,), None)],
        ),
    ],
)
def test_phrasings(text: str, expected: list[tuple[object, ...]], registry: AgencyRegistry) -> None:
    assert [facts(d) for d in read(text, registry)] == expected


def test_subject_from_the_lead_in_of_the_item(registry: AgencyRegistry) -> None:
    [duty] = read(
        "Báo cáo kết quả thực hiện gửi về Sở Tài chính trước ngày 10 tháng 12 hằng năm.",
        registry,
        subject="Giao Sở Nội vụ",
    )
    assert duty.reporters == ("Sở Nội vụ",)


def test_coordinating_agencies_are_not_reporters(registry: AgencyRegistry) -> None:
    [duty] = read(
        "Sở Tài chính chủ trì, phối hợp với Sở Nội vụ theo dõi, báo cáo UBND thành phố trước ngày 5/12 hằng năm.",
        registry,
    )
    assert (duty.reporters, duty.receiver) == ((TC,), CITY)


@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 15/3/2026 của UBND thành phố về báo cáo thống kê.",  # a document date
        "Hoàn thành việc chuyển đổi hợp tác xã trước ngày 30/6/2026.",  # a target, no report
        "Sở Tài chính báo cáo Ủy ban nhân dân thành phố.",  # no date, no frequency: nothing to hold anyone to
        "Xây dựng Kế hoạch hoạt động hằng năm của Ban Chỉ đạo.",
        "Báo cáo trước ngày 31/2 hằng năm.",  # no such day
    ],
)
def test_not_reporting_duties(text: str, registry: AgencyRegistry) -> None:
    assert read(text, registry) == []


def test_duplicates_stated_twice_are_kept_once(registry: AgencyRegistry) -> None:
    text = "Các Sở báo cáo về Sở Tài chính trước ngày 15/12 hằng năm."
    paragraphs = [BodyParagraph(label="II.3", text=text), BodyParagraph(label="IV.2", text=text)]
    [duty] = read_reporting_duties(paragraphs, registry)
    assert duty.label == "II.3"


def test_yearly_reporting_dates_prefers_the_yearly_report(registry: AgencyRegistry) -> None:
    duties = read(
        "Các Sở, ngành báo cáo định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 10/11) về Sở Tài chính; "
        "Sở Tài chính tổng hợp, báo cáo Ủy ban nhân dân thành phố trước ngày 30/11.",
        registry,
        label="V.2",
    )
    reporting, city = yearly_reporting_dates(duties)
    assert reporting is not None and (reporting.day, reporting.month, reporting.label) == (10, 11, "V.2")
    assert city is not None and (city.day, city.month) == (30, 11)


def test_half_yearly_reports_are_one_duty_and_no_yearly_date(registry: AgencyRegistry) -> None:
    """ "Hằng năm" tasks of a plan that only reports half-yearly fall on 31/12, not on the December report."""
    [duty] = read("Định kỳ 6 tháng các Sở báo cáo Sở Tài chính trước ngày 15/6 và 15/12.", registry)
    assert (duty.frequency, duty.day, duty.month, duty.months) == ("half-yearly", 15, None, (6, 12))
    assert yearly_reporting_dates([duty]) == (None, None)


def test_two_dates_half_a_year_apart_are_half_yearly(registry: AgencyRegistry) -> None:
    [duty] = read("Sở Công Thương báo cáo Ủy ban nhân dân thành phố trước ngày 20/6 và ngày 20/12 hằng năm.", registry)
    assert (duty.reporters, duty.frequency, duty.months) == (("Sở Công Thương",), "half-yearly", (6, 12))


def test_a_report_verb_after_the_dates(registry: AgencyRegistry) -> None:
    [duty] = read(
        "Chế độ báo cáo: Các Sở, ngành định kỳ 6 tháng (trước ngày 10/6 và trước ngày 10/12 hằng năm) báo cáo kết quả"
        " thực hiện Kế hoạch về Sở Tài chính để tổng hợp, báo cáo Ủy ban nhân dân thành phố.",
        registry,
    )
    assert (duty.reporters, duty.reporters_text, duty.receiver) == ((), "Các Sở, ngành", TC)
    assert (duty.frequency, duty.day, duty.months) == ("half-yearly", 10, (6, 12))


def test_one_off_and_quarterly_reports_are_no_yearly_date(registry: AgencyRegistry) -> None:
    duties = read(
        "Các Sở báo cáo hằng quý về Sở Tài chính; Sở Tài chính báo cáo UBND thành phố trước ngày 15/12/2026.",
        registry,
    )
    assert [d.frequency for d in duties] == ["quarterly", "once"]
    assert yearly_reporting_dates(duties) == (None, None)


_BUNDLED = AgencyRegistry.bundled()  # built once: building it is not what the property is about


@settings(deadline=None)  # shared 2-core machines: a slow first call is no failure of the reader
@given(st.text(max_size=300))
def test_never_crashes(text: str) -> None:
    for duty in read_reporting_duties([BodyParagraph(label="I", text=text)], _BUNDLED):
        assert duty.month is None or 1 <= duty.month <= 12
        assert duty.day is None or 1 <= duty.day <= 31


@given(
    day=st.integers(min_value=1, max_value=28),
    month=st.integers(min_value=1, max_value=12),
    words=st.sampled_from(
        ["trước ngày {d} tháng {m}", "trước ngày {d}/{m}", "chậm nhất ngày {d}/{m}", "trước {d}/{m}"]
    ),
    frequency=st.sampled_from([("hằng năm", "yearly"), ("hàng năm", "yearly"), ("", "unknown")]),
)
def test_dates_and_frequencies_are_read_as_written(
    day: int, month: int, words: str, frequency: tuple[str, str]
) -> None:
    registry = AgencyRegistry.bundled()
    when = words.format(d=day, m=month)
    text = f"Các Sở báo cáo kết quả về Sở Tài chính {when} {frequency[0]}.".replace("  ", " ")
    [duty] = read_reporting_duties([BodyParagraph(label="IV", text=text)], registry)
    assert (duty.day, duty.month, duty.frequency, duty.receiver) == (day, month, frequency[1], TC)
