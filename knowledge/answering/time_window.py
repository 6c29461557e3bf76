"""The period a question names: "tuần này", "tháng 11", "quý 4 năm 2026", "30 ngày tới". Pure; today is a parameter.

The words for periods relative to today are cue classes of ``cues.toml`` (``window_*``); the patterns with numbers
are here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.answering.question import Question
from knowledge.answering.vocabulary import CueName
from knowledge.errors import QuestionError
from knowledge.roman import roman_to_int

__all__ = ["DEFAULT_DAYS", "YEARS", "TimeWindow", "default_window", "names_period", "read_window"]

DEFAULT_DAYS = 30
YEARS = range(1900, 2201)  # the years questions and "today" may name; date arithmetic stays far from year 9999

_MONTH = re.compile(r"\bthang\s+(\d{1,2})(?:\s+nam\s+(\d{4})|\s+(\d{4}))?\b")
# "quý 4", "quý IV năm 2026", and the chat form "Q2"
_QUARTER = re.compile(r"\b(?:(?:quy|qui)\s+|q(?=[1-4]\b))(\d|iv|iii|ii|i)(?:\s+nam\s+(\d{4})|\s+(\d{4}))?\b")
# a whole year, "năm 2027" / "trong năm 2027" — not a span of years ("năm 2026 - 2030") nor a plan's period
# ("kế hoạch năm 2018", "giai đoạn 2026 2030"), which name plans (plan_resolution)
_YEAR = re.compile(r"\bnam\s+((?:19|20|21)\d\d)\b(?!\s*(?:den\s+)?(?:19|20|21)\d\d)")
_YEAR_AFTER = frozenset({"trong", "vao", "ca", "suot", "han"})  # the words a year named as a period follows
# ("thời hạn năm 2018": the year a deadline falls in)
# a half year: "6 tháng đầu năm 2026", "sáu tháng cuối năm", "nửa đầu năm nay"
_HALF = re.compile(r"\b(?:(?:6|sau)\s+thang|nua)\s+(dau|cuoi)\s+nam(?:\s+(\d{4}))?\b")
# "đến hết năm", "từ giờ tới hết năm": the rest of this year (a year named after it is that year's: "hết năm 2027")
_REST_OF_YEAR = re.compile(r"\b(?:den|toi) (?:het|cuoi) nam\b(?! (?:19|20|21)\d\d)")
# "từ giờ tới hết năm 2026", "trước cuối năm 2027": a named year as a limit, from today to its end
_UNTIL_YEAR_END = re.compile(r"\b(?:den|toi|truoc) (?:het|cuoi) nam ((?:19|20|21)\d\d)\b")
# what is left of this year: "cuối năm", and "năm nay" beside "còn", "từ nay", "từ giờ"
_STILL = re.compile(r"\b(?:cuoi nam|con|tu nay|tu gio|tu bay gio)\b")
_NEXT_DAYS = re.compile(r"\b(\d{1,3})\s+ngay\s+(?:toi|nua|sap toi|tiep theo|ke tiep)\b")


@dataclass(frozen=True, kw_only=True, slots=True)
class TimeWindow:
    """An inclusive date range a question asks about, with its Vietnamese label."""

    start: date
    end: date
    label: str


def names_period(question: Question) -> bool:
    """Whether the message names a month ("tháng 11"), a quarter ("quý 4") or a number of days ("30 ngày tới")."""
    text = question.expanded
    patterns = (_MONTH, _QUARTER, _NEXT_DAYS, _HALF, _REST_OF_YEAR, _UNTIL_YEAR_END)
    if any(p.search(text) for p in patterns) or _year_named(text) is not None:
        return True
    return any(not _dates_a_document(text, m.start()) for m in _FULL_DATE.finditer(text))


def default_window(today: date, days: int = DEFAULT_DAYS) -> TimeWindow:
    return TimeWindow(start=today, end=today + timedelta(days=days), label=f"{days} ngày tới")


def read_window(question: Question, cues: frozenset[CueName], today: date) -> TimeWindow | None:
    """The period the message names, or None when it names none. A period said as a limit ("trước cuối tháng
    6/2026", "đến hết quý 3", "trước ngày 30/6/2026") runs from today to its end."""
    if "window_today" in cues:
        return TimeWindow(start=today, end=today, label="hôm nay")
    if "window_tomorrow" in cues:
        tomorrow = today + timedelta(days=1)
        return TimeWindow(start=tomorrow, end=tomorrow, label="ngày mai")
    if "window_this_week" in cues:
        monday = today - timedelta(days=today.weekday())
        return TimeWindow(start=today, end=monday + timedelta(days=6), label="tuần này")
    if "window_next_week" in cues:
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return TimeWindow(start=monday, end=monday + timedelta(days=6), label="tuần sau")
    text = question.expanded
    numbered = _numbered(text, today)  # "tháng 6/2026" wins over the "cuối tháng" around it
    if numbered is not None:
        found, at = numbered
        return _until(found, today) if _LIMIT.search(text[:at]) else found
    if "window_this_month" in cues:
        end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
        return TimeWindow(start=today, end=end, label="tháng này")
    if "window_next_month" in cues:
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        start = date(year, month, 1)
        return TimeWindow(start=start, end=start.replace(day=calendar.monthrange(year, month)[1]), label="tháng sau")
    if "window_this_quarter" in cues:
        last_month = ((today.month - 1) // 3 + 1) * 3
        end = date(today.year, last_month, calendar.monthrange(today.year, last_month)[1])
        return TimeWindow(start=today, end=end, label="quý này")
    until_year_end = _UNTIL_YEAR_END.search(text)  # before "cuối năm": the year named is the one meant
    if until_year_end:
        year = _year(until_year_end.group(1), today)
        if year < today.year:
            return TimeWindow(start=date(year, 1, 1), end=date(year, 12, 31), label=f"năm {year}")
        return TimeWindow(start=today, end=date(year, 12, 31), label=f"từ nay đến hết năm {year}")
    if _REST_OF_YEAR.search(text) or ("window_this_year" in cues and _STILL.search(text)):
        return TimeWindow(start=today, end=date(today.year, 12, 31), label="từ nay đến hết năm")
    if "window_this_year" in cues:  # "năm nay" said alone: the whole year, as a plan's year is read
        return TimeWindow(start=date(today.year, 1, 1), end=date(today.year, 12, 31), label="năm nay")
    days_match = _NEXT_DAYS.search(text)
    if days_match:
        days = max(1, min(int(days_match.group(1)), 366))
        return default_window(today, days)
    year_match = _year_named(text)
    if year_match:
        year = _year(year_match.group(1), today)
        return TimeWindow(start=date(year, 1, 1), end=date(year, 12, 31), label=f"năm {year}")
    return None


# words that make a period the limit of the tasks asked about, right before it: "trước (cuối) tháng 6", "đến hết
# quý 3", "chậm nhất ngày 30/6/2026"
_LIMIT = re.compile(r"\b(?:truoc|den|toi|cham nhat|han chot|han cuoi)(?:\s+(?:het|cuoi|ngay))*\s*$")
# a day: "ngày 30/6/2026", "ngày 15/12"; after "đến", "trước", "tới", "hạn" only with its year ("đến 16/12/2026")
_DATE = re.compile(
    r"\b(?:ngay\s+(\d{1,2})\s+(\d{1,2})(?:\s+(\d{4}))?|(?:den|truoc|toi|han|due|date|het)\s+(\d{1,2})\s+(\d{1,2})\s+(\d{4}))\b"
)


_FULL_DATE = re.compile(
    r"\b(?:ngay|den|truoc|toi|han|due|date|het)\s+\d{1,2}\s+\d{1,2}\s+(?:19|20|21)\d\d\b"
)  # a day with its year


# the words of a document's number or kind: a day right after them is the document's date ("Kế hoạch số
# 435/KH-UBND ngày 23/5/2018"), not a period
_DOCUMENT_WORDS = frozenset("kh ubnd qd nq cp tt ct hd ke hoach quyet dinh nghi quyet van ban cong van".split())


def _dates_a_document(text: str, at: int) -> bool:
    """Whether the day named at ``at`` in the folded ``text`` follows a document's number or kind."""
    before = text[:at].split()[-3:]
    return any(word in _DOCUMENT_WORDS for word in before)


def _until(found: TimeWindow, today: date) -> TimeWindow:
    """``found`` read as a limit: from today (or its own start, if earlier) to its end."""
    if found.end < today:
        return found  # a limit already past: the period itself
    return TimeWindow(start=min(today, found.start), end=found.end, label=f"từ nay đến hết {found.label}")


def _numbered(text: str, today: date) -> tuple[TimeWindow, int] | None:
    """A period the folded ``text`` names with numbers — a day, quarter, half year or month — and where it starts."""
    day = next((m for m in _DATE.finditer(text) if not _dates_a_document(text, m.start())), None)
    if day:
        named = day.groups()[:3] if day.group(1) else day.groups()[3:]
        year = _year(named[2], today)
        try:
            when = date(year, int(named[1] or 0), int(named[0] or 0))
        except ValueError:
            when = None
        if when is not None:
            at = day.start() if day.group(1) else day.start(4)  # "đến" is the limit's word, before the day
            return TimeWindow(start=when, end=when, label=f"ngày {when:%d/%m/%Y}"), at
    quarter = _QUARTER.search(text)
    if quarter:
        number = int(quarter.group(1)) if quarter.group(1).isdigit() else roman_to_int(quarter.group(1).upper())
        if 1 <= number <= 4:
            year = _year(quarter.group(2) or quarter.group(3), today)
            start = date(year, 3 * number - 2, 1)
            end = date(year, 3 * number, calendar.monthrange(year, 3 * number)[1])
            return TimeWindow(start=start, end=end, label=f"quý {number}/{year}"), quarter.start()
    half = _HALF.search(text)
    if half:
        year = _year(half.group(2), today)
        first = half.group(1) == "dau"
        start, end = (date(year, 1, 1), date(year, 6, 30)) if first else (date(year, 7, 1), date(year, 12, 31))
        return TimeWindow(start=start, end=end, label=f"6 tháng {'đầu' if first else 'cuối'} năm {year}"), half.start()
    month_match = _MONTH.search(text)
    if month_match and 1 <= int(month_match.group(1)) <= 12:
        month = int(month_match.group(1))
        year_text = month_match.group(2) or month_match.group(3)
        year = _year(year_text, today)
        after = text[month_match.end() :].split()[:2]
        if not year_text and after in (["nam", "sau"], ["nam", "toi"]):
            year += 1  # "tháng 3 năm sau"
        elif not year_text and after != ["nam", "nay"]:
            year = _nearest_year(month, today)
        start = date(year, month, 1)
        end = start.replace(day=calendar.monthrange(year, month)[1])
        return TimeWindow(start=start, end=end, label=f"tháng {month}/{year}"), month_match.start()
    return None


def _nearest_year(month: int, today: date) -> int:
    """The year of the ``month`` nearest to ``today``, named without a year: asked in late November, "tháng 10" is
    the October just past and "tháng 3" the coming March; asked in January, "tháng 12" the December just past. Six
    months either way go forward."""
    here = today.year * 12 + today.month
    return min((today.year - 1, today.year, today.year + 1), key=lambda y: (abs(y * 12 + month - here), -y))


def _year_named(text: str) -> re.Match[str] | None:
    """A whole year the folded ``text`` names as a period: at the start or after "trong"/"vào"/"cả"/"suốt" ("trong
    năm 2027"), not a horizon ("đến năm 2020"), a law's or plan's year ("Luật Hợp tác xã năm 2012", "kế hoạch năm
    2018") or part of a month or quarter."""
    for match in _YEAR.finditer(text):
        before = text[: match.start()].split()
        if not before or before[-1] in _YEAR_AFTER:
            return match
    return None


def _year(text: str | None, today: date) -> int:
    """A year written in a question (this year when none is written); one outside :data:`YEARS` is a
    :class:`QuestionError` with a message that says so, never silently another year."""
    if not text:
        return today.year
    year = int(text)
    if year not in YEARS:
        raise QuestionError(
            f"year {text} out of range",
            user_message=(
                f"Năm {text} nằm ngoài khoảng bot hiểu ({YEARS.start}–{YEARS.stop - 1}). "
                "Hãy hỏi lại với năm đúng, ví dụ “tháng 1 năm 2027 có hạn gì”."
            ),
        )
    return year
