"""Read an officer's chat message: normalised forms, cue phrases, task references and time windows. Pure."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.text import expand_shorthand, fold, nfc

__all__ = ["MAX_QUESTION_CHARS", "Question", "TimeWindow", "read_question"]

MAX_QUESTION_CHARS = 1000

_TASK_REF = re.compile(r"(?<![\w])([IVXL]{1,6})\s*[.\-]\s*(\d{1,2})(?![\w])", re.IGNORECASE)
_ITEM_OF_SECTION = re.compile(r"\b(?:muc|nhiem vu|so|stt)\s+(\d{1,2})\s+(?:cua\s+)?(?:phan|muc|doan)\s+([ivxl]{1,6})\b")
_SECTION_ITEM = re.compile(r"\b(?:phan|muc)\s+([ivxl]{1,6})\s+(?:muc|nhiem vu|so|stt)\s+(\d{1,2})\b")
_MONTH = re.compile(r"\bthang\s+(\d{1,2})(?:\s+nam\s+(\d{4})|\s+(\d{4}))?\b")
_NEXT_DAYS = re.compile(r"\b(\d{1,3})\s+ngay\s+(?:toi|nua|sap toi|tiep theo|ke tiep)\b")


@dataclass(frozen=True, kw_only=True, slots=True)
class TimeWindow:
    """An inclusive date range a question asks about, with its Vietnamese label."""

    start: date
    end: date
    label: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Question:
    """A message read for answering: ``folded`` keeps words as typed, ``expanded`` rewrites chat shorthand."""

    raw: str
    text: str
    folded: str
    expanded: str

    @property
    def words(self) -> list[str]:
        return self.expanded.split()

    @property
    def is_empty(self) -> bool:
        return not self.folded

    def has(self, *phrases: str) -> bool:
        """Whether any of ``phrases`` (folded, space-separated words) occurs as whole words."""
        padded = f" {self.expanded} "
        return any(f" {p} " in padded for p in phrases)

    def task_refs(self) -> list[tuple[str, str]]:
        """Task ids the message names: ``("XV", "6")`` for "XV.6", "mục 6 phần XV", "phần XV mục 6"."""
        refs = [(m.group(1).upper(), str(int(m.group(2)))) for m in _TASK_REF.finditer(self.text)]
        for m in _ITEM_OF_SECTION.finditer(self.folded):
            refs.append((m.group(2).upper(), str(int(m.group(1)))))
        for m in _SECTION_ITEM.finditer(self.folded):
            refs.append((m.group(1).upper(), str(int(m.group(2)))))
        return list(dict.fromkeys(refs))

    def time_window_named(self) -> bool:
        """Whether the message names a month ("tháng 11") or a number of days ("30 ngày tới")."""
        return bool(_MONTH.search(self.expanded) or _NEXT_DAYS.search(self.expanded))

    def time_window(self, today: date, *, default_days: int = 30) -> TimeWindow:
        """The period an "upcoming deadlines" question means; ``default_days`` from today when it names none."""
        if self.has("hom nay"):
            return TimeWindow(start=today, end=today, label="hôm nay")
        if self.has("ngay mai"):
            tomorrow = today + timedelta(days=1)
            return TimeWindow(start=tomorrow, end=tomorrow, label="ngày mai")
        if self.has("tuan nay"):
            monday = today - timedelta(days=today.weekday())
            return TimeWindow(start=today, end=monday + timedelta(days=6), label="tuần này")
        if self.has("tuan sau", "tuan toi"):
            monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
            return TimeWindow(start=monday, end=monday + timedelta(days=6), label="tuần sau")
        if self.has("thang nay"):
            end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
            return TimeWindow(start=today, end=end, label="tháng này")
        if self.has("thang sau", "thang toi"):
            year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
            start = date(year, month, 1)
            end = start.replace(day=calendar.monthrange(year, month)[1])
            return TimeWindow(start=start, end=end, label="tháng sau")
        if self.has("quy nay", "cuoi quy"):
            quarter_end_month = ((today.month - 1) // 3 + 1) * 3
            end = date(today.year, quarter_end_month, calendar.monthrange(today.year, quarter_end_month)[1])
            return TimeWindow(start=today, end=end, label="quý này")
        if self.has("cuoi thang"):
            end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
            return TimeWindow(start=today, end=end, label="tháng này")
        if self.has("nam nay", "cuoi nam"):
            return TimeWindow(start=today, end=date(today.year, 12, 31), label="năm nay")
        m = _MONTH.search(self.expanded)
        if m and 1 <= int(m.group(1)) <= 12:
            month = int(m.group(1))
            year_text = m.group(2) or m.group(3)
            year = int(year_text) if year_text else today.year
            if not year_text and month < today.month:
                year += 1
            start = date(year, month, 1)
            end = start.replace(day=calendar.monthrange(year, month)[1])
            return TimeWindow(start=start, end=end, label=f"tháng {month}/{year}")
        m = _NEXT_DAYS.search(self.expanded)
        days = int(m.group(1)) if m else default_days
        days = max(1, min(days, 366))
        return TimeWindow(start=today, end=today + timedelta(days=days), label=f"{days} ngày tới")


def read_question(raw: str) -> Question:
    """Normalise a chat message; over-long input is cut to :data:`MAX_QUESTION_CHARS` characters."""
    text = nfc(raw[: MAX_QUESTION_CHARS * 4])[:MAX_QUESTION_CHARS]
    folded = fold(text)
    return Question(raw=raw, text=text, folded=folded, expanded=expand_shorthand(folded))
