"""Due dates from the time phrases of plan appendices ("Thời gian thực hiện/hoàn thành").

:func:`parse_time_phrase` turns a phrase such as ``Quý II/2018``, ``Năm 2018 - 2020`` or ``Hàng năm`` into a
:class:`~knowledge.records.Schedule`: its recurrence, every due date it implies and a short Vietnamese
explanation. It is pure (no clock, no I/O) and never raises: a phrase it cannot read in full comes back as
``unknown`` with no deadlines, never as a guess.

How a phrase is read:

- It is reduced to a matching key: :func:`~knowledge.text.fold` between separators, with ``/ - , .`` kept
  as tokens, because ``fold`` alone would make a range (``2018 - 2020``) and a list (``2018, 2020``) look
  alike: ``Quý II/2018`` → ``quy ii / 2018``, ``Năm 2018 – 2020`` → ``nam 2018 - 2020``.
- Each rule is a small function, tried in order. A rule reads the key with one or more token patterns and
  applies only if its patterns, with a few filler words (``trước``, ``hoàn thành``, ``đến hết``, ...),
  account for every word of the key: ``Quý II/2018`` matches, ``Quý II/2018 hoặc sớm hơn`` does not.

Rule ids of the deadlines:

``quarter-end``          last day of a quarter (``Quý II/2018``; every quarter for ``Hằng quý``)
``year-end``             31/12 of a named year (``Năm 2018``), and of every year for ``Hằng năm`` when the plan
                         gives no reporting date
``listed-year-end``      31/12 of each year of a list (``Năm 2019, 2020``)
``year-end-checkpoint``  31/12 of each year of a range but the last (``Năm 2018 - 2020``)
``range-end``            31/12 of the last year of a range
``plan-reporting-date``  the plan's own yearly reporting date (``Hằng năm``: 15/11 from section IV.4)
``yearly-fixed-date``    a day and month every year (``Trước ngày 15/12 hằng năm``; ``Trước ngày 15/6 và 15/12
                         hằng năm`` gives both, half-yearly)
``month-end``            last day of a month (``Tháng 6/2026``; every month for ``Hằng tháng``; ``Tháng 10/2024 và
                         tháng 10/2025``; the end of a span ``Tháng 10/2026 - tháng 3/2027``)
``half-year``            30/06 or 31/12 (``6 tháng đầu/cuối năm 2026``; both every year for ``Định kỳ 6 tháng``)
``fixed-date``           a date as written (``Trước 30/9/2026``)

Combinations read as one cadence: ``Định kỳ 6 tháng, hằng năm`` is 30/06 plus the yearly date; ``Thường xuyên,
hằng năm`` is the yearly date; ``Hằng năm từ 2026`` and ``Năm 2026 và các năm tiếp theo`` are the yearly dates of the
period from that year; ``Quý IV/2026 - Quý I/2027`` is due at the end of the span.

Recurring rules produce the dates inside the plan period (``context.period``; without one, the year of
``context.plan_date``). A year range or list names its own years and is not cut to the period. A
once-phrase without a year (``Trước 30/9``, ``Quý III``) falls in the year of ``context.plan_date``, and is
``unknown`` without one. Only years 1900-2199 are read, in phrases and contexts alike.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeAlias

from knowledge import time_phrase_tokens as tokens
from knowledge.records import Deadline, Recurrence, ReportingDate, Schedule, ScheduleContext
from knowledge.text import nfc

__all__ = ["parse_time_phrase"]


def _period_years(context: ScheduleContext) -> range:
    """The years a recurring phrase covers: the plan period, else the plan's own year, else none."""
    if context.period is not None:
        return range(max(context.period.start, tokens.MIN_YEAR), min(context.period.end, tokens.MAX_YEAR) + 1)
    if context.plan_date is not None and tokens.in_bounds(context.plan_date.year):
        return range(context.plan_date.year, context.plan_date.year + 1)
    return range(0)


def _plan_reporting_date(context: ScheduleContext) -> ReportingDate | None:
    """The context's reporting date, if it names a real day of the year."""
    reporting = context.reporting_date
    if reporting is None or not tokens.valid_day_month(reporting.day, reporting.month):
        return None
    return reporting


# --- building schedules ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Phrase:
    """A phrase being read: as given (NFC), its matching key and its context."""

    text: str
    key: str
    context: ScheduleContext


_NO_YEARS = "; chưa xác định được các năm áp dụng (kế hoạch không nêu thời kỳ thực hiện)"
_PLAN_YEAR = "năm lấy theo ngày ban hành kế hoạch"


def _finish(deadlines: Iterable[Deadline]) -> tuple[Deadline, ...]:
    """Deadlines ascending, one per date, the last one final."""
    unique: dict[date, Deadline] = {}
    for deadline in sorted(deadlines, key=lambda d: d.due):
        unique.setdefault(deadline.due, replace(deadline, final=False))
    ordered = list(unique.values())
    if ordered:
        ordered[-1] = replace(ordered[-1], final=True)
    return tuple(ordered)


def _recurring(phrase: _Phrase, recurrence: Recurrence, deadlines: Iterable[Deadline], explanation: str) -> Schedule:
    finished = _finish(deadlines)
    if not finished:
        explanation += _NO_YEARS
    return Schedule(phrase=phrase.text, recurrence=recurrence, deadlines=finished, explanation=explanation)


def _once(phrase: _Phrase, due: date, rule: str, reason: str, what: str, inferred: bool) -> Schedule:
    """One due date; ``what`` names it ("hết Quý II/2018"), ``inferred`` marks a year taken from the plan."""
    notes = [note for note in (what, _PLAN_YEAR if inferred else "") if note]
    if inferred:
        reason += f"; {_PLAN_YEAR}"
    explanation = f"Hạn: {tokens.dmy(due)}" + (f" ({'; '.join(notes)})" if notes else "")
    deadline = Deadline(due=due, rule=rule, reason=reason, final=True)
    return Schedule(phrase=phrase.text, recurrence="once", deadlines=(deadline,), explanation=explanation)


def _year_or_plan_year(phrase: _Phrase, match: re.Match[str]) -> tuple[int, bool] | None:
    """The year a match names, else the plan's own year (flagged as inferred), else None."""
    if match["year"] is not None:
        return int(match["year"]), False
    plan_date = phrase.context.plan_date
    if plan_date is None or not tokens.in_bounds(plan_date.year):
        return None
    return plan_date.year, True


def _quarters_of(match: re.Match[str]) -> list[int]:
    return [tokens.QUARTER_NUMBER[word] for word in match["quarters"].split() if word in tokens.QUARTER_NUMBER]


# --- rules, tried in order ------------------------------------------------------------------------


def _continuous(phrase: _Phrase) -> Schedule | None:
    """``Thường xuyên``, ``Liên tục``, ``Thường xuyên, liên tục``: no due date."""
    if tokens.read(phrase.key, tokens.CONTINUOUS) is None:
        return None
    return Schedule(phrase=phrase.text, recurrence="continuous", explanation="Thường xuyên, không có hạn cụ thể")


def _yearly_on_date(phrase: _Phrase) -> Schedule | None:
    """``Trước ngày 15/12 hằng năm``, ``Hàng năm (trước 15/11)``: that day every year."""
    found = tokens.read(phrase.key, tokens.YEARLY, tokens.DATE)
    if found is None or found[1]["year"] is not None:
        return None
    day, month = int(found[1]["day"]), int(found[1]["month"])
    if not tokens.valid_day_month(day, month):
        return None
    reason = f"{tokens.dm(day, month)} hằng năm (thời hạn “{phrase.text}”)"
    deadlines = (
        Deadline(due=tokens.on(year, month, day), rule="yearly-fixed-date", reason=reason)
        for year in _period_years(phrase.context)
    )
    return _recurring(phrase, "yearly", deadlines, f"Hằng năm, hạn {tokens.dm(day, month)}")


def _yearly_in_month(phrase: _Phrase) -> Schedule | None:
    """``Tháng 12 hằng năm``: the end of that month every year."""
    found = tokens.read(phrase.key, tokens.YEARLY, tokens.MONTH)
    if found is None or found[1]["year"] is not None:
        return None
    month = int(found[1]["month"])
    if not 1 <= month <= 12:
        return None
    deadlines = (
        Deadline(due=tokens.month_end(year, month), rule="month-end", reason=f"Ngày cuối tháng {month} hằng năm")
        for year in _period_years(phrase.context)
    )
    return _recurring(phrase, "yearly", deadlines, f"Hằng năm, hạn cuối tháng {month}")


def _yearly_in_quarter(phrase: _Phrase) -> Schedule | None:
    """``Quý IV hằng năm``: the end of that quarter every year."""
    found = tokens.read(phrase.key, tokens.YEARLY, tokens.QUARTERS)
    if found is None or found[1]["year"] is not None:
        return None
    quarters = _quarters_of(found[1])
    if len(quarters) != 1:
        return None
    roman = tokens.ROMAN[quarters[0]]
    deadlines = (
        Deadline(
            due=tokens.quarter_end(year, quarters[0]), rule="quarter-end", reason=f"Ngày cuối Quý {roman} hằng năm"
        )
        for year in _period_years(phrase.context)
    )
    return _recurring(phrase, "yearly", deadlines, f"Hằng năm, hạn cuối Quý {roman}")


def _yearly(phrase: _Phrase) -> Schedule | None:
    """``Hàng năm``, ``Định kỳ hằng năm``: the plan's reporting date every year, else 31/12."""
    if tokens.read(phrase.key, tokens.YEARLY) is None:
        return None
    deadlines, when = _yearly_deadlines(phrase, _period_years(phrase.context))
    return _recurring(phrase, "yearly", deadlines, f"Hằng năm, {when}")


def _quarterly(phrase: _Phrase) -> Schedule | None:
    """``Hằng quý``, ``Định kỳ hằng quý``: the end of every quarter."""
    if tokens.read(phrase.key, tokens.QUARTERLY) is None:
        return None
    deadlines = (
        Deadline(
            due=tokens.quarter_end(year, quarter),
            rule="quarter-end",
            reason=f"Ngày cuối Quý {tokens.ROMAN[quarter]}/{year}",
        )
        for year in _period_years(phrase.context)
        for quarter in range(1, 5)
    )
    return _recurring(phrase, "quarterly", deadlines, "Hằng quý, hạn ngày cuối mỗi quý")


def _monthly(phrase: _Phrase) -> Schedule | None:
    """``Hằng tháng``, ``Định kỳ hàng tháng``: the end of every month."""
    if tokens.read(phrase.key, tokens.MONTHLY) is None:
        return None
    deadlines = (
        Deadline(due=tokens.month_end(year, month), rule="month-end", reason=f"Ngày cuối tháng {month}/{year}")
        for year in _period_years(phrase.context)
        for month in range(1, 13)
    )
    return _recurring(phrase, "monthly", deadlines, "Hằng tháng, hạn ngày cuối mỗi tháng")


def _half_year(phrase: _Phrase) -> Schedule | None:
    """``6 tháng đầu năm 2026`` → 30/06/2026, ``6 tháng cuối năm 2026`` → 31/12/2026."""
    found = tokens.read(phrase.key, tokens.HALF_YEAR)
    if found is None:
        return None
    year = _year_or_plan_year(phrase, found[0])
    if year is None:
        return None
    first = found[0]["half"] == "dau"
    named = f"6 tháng {'đầu' if first else 'cuối'} năm {year[0]}"
    due = date(year[0], 6, 30) if first else date(year[0], 12, 31)
    reason = f"Ngày cuối {named} (thời hạn “{phrase.text}”)"
    return _once(phrase, due, "half-year", reason, f"hết {named}", year[1])


def _quarters(phrase: _Phrase) -> Schedule | None:
    """``Quý II/2018``, ``Quý IV năm 2026``, ``Quý I - II/2019``: the end of the last quarter named."""
    found = tokens.read(phrase.key, tokens.QUARTERS)
    if found is None:
        return None
    year = _year_or_plan_year(phrase, found[0])
    if year is None:
        return None
    quarter = max(_quarters_of(found[0]))
    named = f"Quý {tokens.ROMAN[quarter]}/{year[0]}"
    reason = f"Ngày cuối {named} (thời hạn “{phrase.text}”)"
    return _once(phrase, tokens.quarter_end(year[0], quarter), "quarter-end", reason, f"hết {named}", year[1])


def _month(phrase: _Phrase) -> Schedule | None:
    """``Tháng 6/2026``, ``tháng 6 năm 2026``: the last day of that month."""
    found = tokens.read(phrase.key, tokens.MONTH)
    if found is None:
        return None
    year = _year_or_plan_year(phrase, found[0])
    month = int(found[0]["month"])
    if year is None or not 1 <= month <= 12:
        return None
    named = f"tháng {month}/{year[0]}"
    reason = f"Ngày cuối {named} (thời hạn “{phrase.text}”)"
    return _once(phrase, tokens.month_end(year[0], month), "month-end", reason, f"hết {named}", year[1])


def _fixed_date(phrase: _Phrase) -> Schedule | None:
    """``Trước 30/9/2026``, ``trước ngày 30 tháng 9 năm 2026``, ``Trước 30/9``: that date."""
    found = tokens.read(phrase.key, tokens.DATE)
    if found is None:
        return None
    year = _year_or_plan_year(phrase, found[0])
    day, month = int(found[0]["day"]), int(found[0]["month"])
    if (
        year is None
        or not tokens.valid_day_month(day, month)
        or (month, day) == (2, 29)
        and not calendar.isleap(year[0])
    ):
        return None  # 31/2, 29/02/2026: no such day
    due = date(year[0], month, day)
    return _once(phrase, due, "fixed-date", f"Ngày ghi trong thời hạn “{phrase.text}”", "", year[1])


def _year_range(phrase: _Phrase) -> Schedule | None:
    """``Năm 2018 - 2020``, ``Giai đoạn 2018-2020``: 31/12 of each year, the last one ending the range."""
    found = tokens.read(phrase.key, tokens.YEAR_RANGE)
    if found is None:
        return None
    first, last = int(found[0]["first"]), int(found[0]["last"])
    if first >= last:
        return None
    span = f"{first}-{last}"
    deadlines = [
        Deadline(
            due=date(year, 12, 31),
            rule="year-end-checkpoint",
            reason=f"Mốc cuối năm {year} của giai đoạn {span}",
        )
        for year in range(first, last)
    ]
    deadlines.append(Deadline(due=date(last, 12, 31), rule="range-end", reason=f"Hết giai đoạn {span}"))
    explanation = f"Giai đoạn {span}: mốc 31/12 mỗi năm, hạn cuối 31/12/{last}"
    return _recurring(phrase, "yearly", deadlines, explanation)


def _year_list(phrase: _Phrase) -> Schedule | None:
    """``Năm 2019, 2020``: 31/12 of each year named."""
    found = tokens.read(phrase.key, tokens.YEAR_LIST)
    if found is None:
        return None
    years = sorted({int(word) for word in found[0]["years"].split() if word.isdigit()})
    if len(years) < 2:
        return None
    deadlines = [
        Deadline(
            due=date(year, 12, 31), rule="listed-year-end", reason=f"Ngày cuối năm {year} (thời hạn “{phrase.text}”)"
        )
        for year in years
    ]
    named = ", ".join(map(str, years))
    return _recurring(phrase, "yearly", deadlines, f"Các năm {named}: hạn 31/12 mỗi năm, hạn cuối 31/12/{years[-1]}")


def _one_year(phrase: _Phrase) -> Schedule | None:
    """``Năm 2018``, ``Cuối năm 2018``, ``Trong năm 2018``: 31/12 of that year."""
    found = tokens.read(phrase.key, tokens.ONE_YEAR)
    if found is None:
        return None
    year = int(found[0]["year"])
    reason = f"Ngày cuối năm {year} (thời hạn “{phrase.text}”)"
    return _once(phrase, date(year, 12, 31), "year-end", reason, f"hết năm {year}", False)


def _cadence(months: list[int]) -> Recurrence:
    """How often dates on these months of every year fall: twice half a year apart, four times a quarter apart."""
    steps = {b - a for a, b in zip(months, months[1:], strict=False)}
    if len(months) == 2 and steps == {6}:
        return "half-yearly"
    if len(months) == 4 and steps == {3}:
        return "quarterly"
    if len(months) == 12:
        return "monthly"
    return "yearly"


def _yearly_deadlines(phrase: _Phrase, years: Iterable[int]) -> tuple[list[Deadline], str]:
    """What "Hằng năm" means in each of ``years``: the plan's reporting date, else 31/12."""
    reporting = _plan_reporting_date(phrase.context)
    if reporting is None:
        reason = "31/12 hằng năm (kế hoạch không nêu ngày báo cáo)"
        deadlines = [Deadline(due=date(year, 12, 31), rule="year-end", reason=reason) for year in years]
        return deadlines, "hạn 31/12 (kế hoạch không nêu ngày báo cáo)"
    label = nfc(reporting.label)
    when = tokens.dm(reporting.day, reporting.month)
    where = f"theo mục {label}" if label else "theo ngày báo cáo của kế hoạch"
    deadlines = [
        Deadline(
            due=tokens.on(year, reporting.month, reporting.day),
            rule="plan-reporting-date",
            reason=f"{when} hằng năm {where}",
        )
        for year in years
    ]
    return deadlines, f"hạn {when} {where}"


def _half_yearly(phrase: _Phrase) -> Schedule | None:
    """``Định kỳ 6 tháng``: 30/06 and 31/12 every year; ``6 tháng, hằng năm``: 30/06 and the yearly date."""
    with_year = tokens.read(phrase.key, tokens.HALF_AND_YEARLY)
    if with_year is None and tokens.read(phrase.key, tokens.HALF_YEARLY) is None:
        return None
    years = list(_period_years(phrase.context))
    deadlines = [
        Deadline(
            due=date(year, 6, 30),
            rule="half-year",
            reason=f"Ngày cuối 6 tháng đầu năm {year} (thời hạn “{phrase.text}”)",
        )
        for year in years
    ]
    if with_year is not None:
        yearly, when = _yearly_deadlines(phrase, years)
        deadlines += yearly
        explanation = f"6 tháng một lần: hạn 30/06, và hằng năm {when}"
    else:
        deadlines += [
            Deadline(
                due=date(year, 12, 31),
                rule="half-year",
                reason=f"Ngày cuối 6 tháng cuối năm {year} (thời hạn “{phrase.text}”)",
            )
            for year in years
        ]
        explanation = "6 tháng một lần: hạn 30/06 và 31/12"
    return _recurring(phrase, "half-yearly", deadlines, explanation)


def _yearly_on_dates(phrase: _Phrase) -> Schedule | None:
    """``Trước ngày 15/6 và 15/12 hằng năm``: each of those days every year."""
    found = tokens.read_many(phrase.key, tokens.ONE_DATE, tokens.YEARLY)
    if found is None:
        return None
    days = sorted({(int(m["month"]), int(m["day"])) for m in found[1]})
    if len(days) < 2 or not all(tokens.valid_day_month(day, month) for month, day in days):
        return None
    named = " và ".join(tokens.dm(day, month) for month, day in days)
    deadlines = (
        Deadline(
            due=tokens.on(year, month, day),
            rule="yearly-fixed-date",
            reason=f"{tokens.dm(day, month)} hằng năm (thời hạn “{phrase.text}”)",
        )
        for year in _period_years(phrase.context)
        for month, day in days
    )
    return _recurring(phrase, _cadence([m for m, _ in days]), deadlines, f"Hằng năm, hạn {named}")


def _yearly_in_months(phrase: _Phrase) -> Schedule | None:
    """``Tháng 6 và tháng 12 hằng năm``: the end of each of those months every year."""
    found = tokens.read_many(phrase.key, tokens.ONE_MONTH, tokens.YEARLY)
    if found is None:
        return None
    months = sorted({int(m["month"]) for m in found[1]})
    if len(months) < 2 or not all(1 <= month <= 12 for month in months):
        return None
    deadlines = (
        Deadline(due=tokens.month_end(year, month), rule="month-end", reason=f"Ngày cuối tháng {month} hằng năm")
        for year in _period_years(phrase.context)
        for month in months
    )
    named = ", ".join(str(m) for m in months)
    return _recurring(phrase, _cadence(months), deadlines, f"Hằng năm, hạn cuối các tháng {named}")


_CADENCE_BY_STEP: dict[int, Recurrence] = {12: "yearly", 6: "half-yearly", 3: "quarterly", 1: "monthly"}


def _month_list(phrase: _Phrase) -> Schedule | None:
    """``Tháng 10/2024 và tháng 10/2025``: the end of each month named, when they recur regularly."""
    found = tokens.read_many(phrase.key, tokens.MONTH)
    if found is None or any(m["year"] is None for m in found[1]):
        return None
    dates = sorted({(int(m["year"]), int(m["month"])) for m in found[1]})
    if not all(1 <= month <= 12 for _, month in dates):
        return None
    ordinals = [year * 12 + month for year, month in dates]
    steps = {b - a for a, b in zip(ordinals, ordinals[1:], strict=False)}
    recurrence = _CADENCE_BY_STEP.get(steps.pop() if len(steps) == 1 else 0)
    if recurrence is None:
        return None  # irregular dates: kept as text rather than given a cadence they do not have
    deadlines = [
        Deadline(
            due=tokens.month_end(year, month),
            rule="month-end",
            reason=f"Ngày cuối tháng {month}/{year} (thời hạn “{phrase.text}”)",
        )
        for year, month in dates
    ]
    named = ", ".join(f"{month}/{year}" for year, month in dates)
    return _recurring(phrase, recurrence, deadlines, f"Các tháng {named}: hạn ngày cuối mỗi tháng")


_ONE_YEAR_AT_END = re.compile(rf"^(?P<body>.+) (?:[/.-] |nam )(?P<year>{tokens.YEAR})$")


def _points_of_one_year(phrase: _Phrase) -> Schedule | None:
    """``Quý I và Quý III/2027``, ``Quý I và III/2027``, ``Trước ngày 15/6 và 15/12/2027``: each quarter or day
    named, in the one year written after the last; points at a regular interval take its cadence (as in
    ``_month_list``), others are each done once."""
    whole = _ONE_YEAR_AT_END.match(phrase.key)
    if whole is None:
        return None
    year, body = int(whole["year"]), whole["body"]
    points: list[tuple[date, str]] = []
    quarters = tokens.read_many(body, tokens.ONE_QUARTER)
    spanned = re.search(r" (?:-|den) ", body) is not None  # "Quý I - III/2019": a span, read by ``_quarters``
    if (
        quarters is not None
        and quarters[1][0]["quy"]  # "Quý I …", never bare numbers ("4/1/2000")
        and not spanned
        and (any(m["quy"] for m in quarters[1][1:]) or _apart(quarters[1]))
    ):
        for number in sorted({tokens.QUARTER_NUMBER[m["quarter"]] for m in quarters[1]}):
            points.append((tokens.quarter_end(year, number), f"Quý {tokens.ROMAN[number]}/{year}"))
    elif (days := tokens.read_many(body, tokens.ONE_DATE)) is not None:
        for month, day in sorted({(int(m["month"]), int(m["day"])) for m in days[1]}):
            if not tokens.valid_day_month(day, month) or (month, day) == (2, 29) and not calendar.isleap(year):
                return None
            points.append((tokens.on(year, month, day), f"ngày {tokens.dm(day, month)}/{year}"))
    if len(points) < 2:
        return None
    recurrence = _cadence([due.month for due, _ in points])
    if recurrence == "yearly":
        recurrence = "once"  # points in one year with no cadence between them: each done once
    deadlines = [
        Deadline(
            due=due,
            rule="quarter-end" if named.startswith("Quý") else "fixed-date",
            reason=f"Hạn {named} (thời hạn “{phrase.text}”)",
        )
        for due, named in points
    ]
    named = ", ".join(n for _, n in points)
    return _recurring(phrase, recurrence, deadlines, f"Hạn {named}")


def _apart(quarters: Sequence[re.Match[str]]) -> bool:
    """Whether quarters listed with their year once ("Quý I và III") are not next to each other (a run "Quý I và II"
    is read as one span by ``_quarters``)."""
    numbers = sorted({tokens.QUARTER_NUMBER[m["quarter"]] for m in quarters})
    return any(b - a > 1 for a, b in zip(numbers, numbers[1:], strict=False))


def _span(phrase: _Phrase) -> Schedule | None:
    """``Quý IV/2026 - Quý I/2027``, ``Tháng 10/2026 - tháng 3/2027``: the end of the span."""
    quarters = tokens.read(phrase.key, tokens.QUARTER_SPAN)
    if quarters is not None:
        first = (int(quarters[0]["y1"]), tokens.QUARTER_NUMBER[quarters[0]["q1"]])
        last = (int(quarters[0]["y2"]), tokens.QUARTER_NUMBER[quarters[0]["q2"]])
        if first >= last:
            return None
        named = f"Quý {tokens.ROMAN[last[1]]}/{last[0]}"
        reason = f"Ngày cuối {named} (thời hạn “{phrase.text}”)"
        return _once(phrase, tokens.quarter_end(*last), "quarter-end", reason, f"hết {named}", False)
    months = tokens.read(phrase.key, tokens.MONTH_SPAN)
    if months is None:
        return None
    first = (int(months[0]["y1"] or months[0]["y2"]), int(months[0]["m1"]))
    last = (int(months[0]["y2"]), int(months[0]["m2"]))
    if first >= last or not (1 <= first[1] <= 12 and 1 <= last[1] <= 12):
        return None
    named = f"tháng {last[1]}/{last[0]}"
    reason = f"Ngày cuối {named} (thời hạn “{phrase.text}”)"
    return _once(phrase, tokens.month_end(*last), "month-end", reason, f"hết {named}", False)


def _continuous_yearly(phrase: _Phrase) -> Schedule | None:
    """``Thường xuyên, hằng năm``: continuous work reported every year (the yearly date)."""
    if tokens.read(phrase.key, tokens.CONTINUOUS, tokens.YEARLY) is None:
        return None
    deadlines, when = _yearly_deadlines(phrase, _period_years(phrase.context))
    return _recurring(phrase, "yearly", deadlines, f"Thường xuyên; hằng năm, {when}")


def _yearly_from(phrase: _Phrase) -> Schedule | None:
    """``Hằng năm từ 2026``, ``Năm 2026 và các năm tiếp theo``: every year of the period from that year on."""
    found = tokens.read(phrase.key, tokens.YEARLY, tokens.FROM_YEAR) or tokens.read(phrase.key, tokens.AND_AFTER)
    if found is None:
        return None
    first = int(found[-1]["year"])
    years = [year for year in _period_years(phrase.context) if year >= first] or [first]
    deadlines, when = _yearly_deadlines(phrase, years)
    return _recurring(phrase, "yearly", deadlines, f"Hằng năm từ năm {first}, {when}")


_OCCASION = re.compile(r"^(?:(?:trong|vao|dip|thang) )*(?P<occasion>[a-z][a-z ]*?) (?:hang|moi) nam$")
_FEASTS = re.compile(r"^[a-z ]*\b(?:tet|dip le|ngay le|le hoi)\b[a-z ]*$")  # a feast or the holidays, no number
_OCCASION_END = re.compile(r"\s*(?:hằng|hàng|mỗi)\s+năm\s*$", re.IGNORECASE)


def _yearly_occasion(phrase: _Phrase) -> Schedule | None:
    """``Tháng Tết Nguyên đán hằng năm``, ``Dịp Tết Trung thu hằng năm``, ``Cao điểm Tết Nguyên đán và các dịp lễ``:
    every year, at an occasion the text gives no date for (a lunar feast, the holidays, a campaign month): yearly,
    with no due date rather than a guessed one."""
    if _OCCASION.match(phrase.key) is None and _FEASTS.match(phrase.key) is None:
        return None
    occasion = _OCCASION_END.sub("", phrase.text).strip()
    return Schedule(
        phrase=phrase.text,
        recurrence="yearly",
        explanation=f"Hằng năm, vào {occasion[:1].lower()}{occasion[1:]} (văn bản không ghi ngày cụ thể)",
    )


_Rule: TypeAlias = Callable[[_Phrase], Schedule | None]

_RULES: tuple[_Rule, ...] = (
    _continuous,
    _continuous_yearly,
    _half_yearly,
    _yearly_on_dates,
    _yearly_in_months,
    _yearly_from,
    _month_list,
    _points_of_one_year,
    _span,
    _yearly_on_date,
    _yearly_in_month,
    _yearly_in_quarter,
    _yearly,
    _quarterly,
    _monthly,
    _half_year,
    _quarters,
    _month,
    _fixed_date,
    _year_range,
    _year_list,
    _one_year,
    _yearly_occasion,
)


def parse_time_phrase(phrase: str, context: ScheduleContext) -> Schedule:
    """Read a plan's time phrase against its context; ``unknown`` if it cannot be read in full."""
    text = nfc(phrase)
    reading = _Phrase(text=text, key=tokens.key(text), context=context)
    for rule in _RULES:
        schedule = rule(reading)
        if schedule is not None:
            return schedule
    return Schedule(phrase=text, recurrence="unknown", explanation=f"Không xác định được thời hạn từ “{text}”")
