"""The tokens of plan time phrases: the matching key a phrase is read as, the token patterns the rules of
:mod:`knowledge.schedule` read it with, and the date arithmetic they share. Pure.

The key is :func:`~knowledge.text.fold` between separators, with ``/ - , .`` kept as tokens (``Quý II/2018`` →
``quy ii / 2018``); a pattern matches whole tokens only; :func:`read` accepts a phrase only when its patterns and a few
filler words account for every token.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from knowledge.text import fold

MIN_YEAR = 1900
MAX_YEAR = 2199

# --- the matching key -----------------------------------------------------------------------------

SEPARATOR = re.compile(r"([/,;.\-\u2010-\u2015\u2212])")  # hyphens, en/em dashes and minus all read as "-"
SEPARATOR_TOKEN = {"/": "/", ",": ",", ";": ",", ".": "."}


def key(text: str) -> str:
    """Fold ``text`` between separators, kept as tokens: ``Quý I – II/2019`` → ``quy i - ii / 2019``."""
    pieces = SEPARATOR.split(text)
    parts = [SEPARATOR_TOKEN.get(piece, "-") if index % 2 else fold(piece) for index, piece in enumerate(pieces)]
    return " ".join(" ".join(parts).split())


# --- token patterns over the key ------------------------------------------------------------------


def pattern(body: str) -> re.Pattern[str]:
    """A pattern that matches whole tokens of the key only."""
    return re.compile(rf"(?<!\S)(?:{body})(?!\S)")


YEAR = r"(?:19|20|21)[0-9]{2}"
NUMBER = r"[0-9]{1,2}"
QUARTER = r"(?:iv|i{1,3}|[1-4])"
BEFORE_YEAR = r"(?:[/.-] )?(?:nam )?"  # "Quý II/2018", "Quý II năm 2018", "Quý II 2018", "30/9 năm 2026"
OPTIONAL_YEAR = rf"(?: {BEFORE_YEAR}(?P<year>{YEAR}))?"
QUARTER_LIST = rf"(?P<quarters>{QUARTER}(?: (?:,|-|va|den) {QUARTER})*)"

CONTINUOUS = pattern(r"(?:thuong xuyen|lien tuc)(?: (?:, |- |va )?(?:thuong xuyen|lien tuc))*")
YEARLY = pattern(r"(?:hang|moi) nam")
QUARTERLY = pattern(r"(?:hang|moi) qu[yi]")
MONTHLY = pattern(r"(?:hang|moi) thang")
QUARTERS = pattern(rf"qu[yi] {QUARTER_LIST}{OPTIONAL_YEAR}")
MONTH = pattern(rf"thang (?P<month>{NUMBER}){OPTIONAL_YEAR}")
HALF_YEAR = pattern(rf"(?:6 thang|nua) (?P<half>dau|cuoi) nam(?: (?P<year>{YEAR}))?")
DATE = pattern(rf"(?:ngay )?(?P<day>{NUMBER}) (?:[/.-]|thang) (?P<month>{NUMBER}){OPTIONAL_YEAR}")
YEAR_RANGE = pattern(rf"(?:tu )?(?:nam )?(?P<first>{YEAR}) (?:-|den) (?:nam )?(?P<last>{YEAR})")
YEAR_LIST = pattern(rf"(?:nam )?(?P<years>{YEAR}(?: (?:,|va) (?:nam )?{YEAR})+)")
ONE_YEAR = pattern(rf"(?:nam )?(?P<year>{YEAR})")
SIX_MONTHS = r"(?:0?6 thang|nua nam)(?: (?:mot lan|/ lan))?"
HALF_YEARLY = pattern(rf"(?:(?:dinh ky|hang|moi) (?:hang |moi )?{SIX_MONTHS}|(?:0?6 thang|nua nam) (?:mot lan|/ lan))")
HALF_AND_YEARLY = pattern(rf"(?:(?:dinh ky|hang|moi) )?{SIX_MONTHS} (?:,|va|-) (?:dinh ky )?(?:hang|moi) nam")
ONE_DATE = pattern(rf"(?:ngay )?(?P<day>{NUMBER}) (?:[/.-]|thang) (?P<month>{NUMBER})(?! [/.-] [0-9])(?! nam)")
ONE_QUARTER = pattern(rf"(?P<quy>qu[yi] )?(?P<quarter>{QUARTER})")
ONE_MONTH = pattern(rf"thang (?P<month>{NUMBER})(?! [/.-] [0-9])(?! nam)")
QUARTER_SPAN = pattern(
    rf"(?:tu )?qu[yi] (?P<q1>{QUARTER}) {BEFORE_YEAR}(?P<y1>{YEAR}) (?:-|den) "
    rf"qu[yi] (?P<q2>{QUARTER}) {BEFORE_YEAR}(?P<y2>{YEAR})"
)
MONTH_SPAN = (
    pattern(  # "Tháng 10/2026 - tháng 3/2027"; "Từ tháng 3 đến tháng 6/2027": the first month in the second's year
        rf"(?:tu )?thang (?P<m1>{NUMBER})(?: {BEFORE_YEAR}(?P<y1>{YEAR}))? (?:-|den) "
        rf"thang (?P<m2>{NUMBER}) {BEFORE_YEAR}(?P<y2>{YEAR})"
    )
)
FROM_YEAR = pattern(rf"(?:tu|bat dau tu) (?:nam )?(?P<year>{YEAR})(?: tro di)?")
AND_AFTER = pattern(rf"(?:nam )?(?P<year>{YEAR}) (?:va|,) (?:cac )?nam (?:tiep theo|sau)")

# Words that may surround what a rule reads without changing its meaning: "Hoàn thành trước ngày ...",
# "Đến hết ...", "Trong các năm ...", "Định kỳ ...", "Giai đoạn ...", "Thời hạn: ...", "Chậm nhất ...".
FILLER = frozenset(
    "truoc ngay hoan thanh thuc hien den het cuoi trong vao cac".split()
    + "dinh ky giai doan thoi gian han cham nhat".split()
    + ["/", "-", ",", "."]
)

QUARTER_NUMBER = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def read(key: str, *patterns: re.Pattern[str]) -> tuple[re.Match[str], ...] | None:
    """Match each pattern in turn on what the previous ones left; None unless only filler words remain."""
    rest = key
    found: list[re.Match[str]] = []
    for pattern in patterns:
        match = pattern.search(rest)
        if match is None:
            return None
        found.append(match)
        rest = rest[: match.start()] + " " * (match.end() - match.start()) + rest[match.end() :]
    if any(word not in FILLER for word in rest.split()):
        return None
    return tuple(found)


def read_many(
    key: str, repeated: re.Pattern[str], *fixed: re.Pattern[str]
) -> tuple[tuple[re.Match[str], ...], list[re.Match[str]]] | None:
    """Like :func:`read` for ``fixed``, then ``repeated`` as many times as it matches, joined by "và" or commas:
    "trước ngày 15/6 và 15/12 hằng năm" reads ``YEARLY`` once and ``ONE_DATE`` twice. None unless it matches at
    least twice and only filler words remain."""
    rest = key
    found: list[re.Match[str]] = []
    for pattern in fixed:
        match = pattern.search(rest)
        if match is None:
            return None
        found.append(match)
        rest = rest[: match.start()] + " " * (match.end() - match.start()) + rest[match.end() :]
    many: list[re.Match[str]] = []
    while (match := repeated.search(rest)) is not None:
        many.append(match)
        rest = rest[: match.start()] + " " * (match.end() - match.start()) + rest[match.end() :]
    if len(many) < 2 or any(word not in FILLER and word != "va" for word in rest.split()):
        return None
    return tuple(found), sorted(many, key=lambda m: m.start())


# --- dates ----------------------------------------------------------------------------------------


def valid_day_month(day: int, month: int) -> bool:
    """Whether ``day/month`` exists in some year (29/02 does, in leap years)."""
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, 3 * quarter)


def on(year: int, month: int, day: int) -> date:
    """``day/month`` of ``year``; 29/02 falls on 28/02 in other years. Day and month must be valid."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def dmy(due: date) -> str:
    return f"{due.day:02d}/{due.month:02d}/{due.year:04d}"


def dm(day: int, month: int) -> str:
    return f"{day:02d}/{month:02d}"


def in_bounds(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR
