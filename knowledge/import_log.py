"""What an import noticed, collected while a plan is read: warnings need a person's eye, notes are for information."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.records import ImportIssue

__all__ = ["ImportLog", "place_label"]

_PLACES = (
    (re.compile(r"\btable (\d+) row (\d+)\b"), r"bảng \1, hàng \2"),
    (re.compile(r"\bpage (\d+)\b"), r"trang \1"),
    (re.compile(r"\bline (\d+)\b"), r"dòng \1"),
    (re.compile(r"\bparagraph (\d+)\b"), r"đoạn \1"),
    (re.compile(r"\btask ([\w.]+)"), r"nhiệm vụ \1"),
)


def place_label(where: str) -> str:
    """Where an issue stands, as an admin reads it: "table 1 row 7" → "bảng 1, hàng 7", "line 12" → "dòng 12"."""
    for pattern, label in _PLACES:
        where = pattern.sub(label, where)
    return where


@dataclass(kw_only=True)
class ImportLog:
    """The issues found in one source file, in the order they were found."""

    source: str
    issues: list[ImportIssue] = field(default_factory=list)

    def warning(self, code: str, message: str, where: str = "") -> None:
        self.issues.append(ImportIssue(level="warning", code=code, message=message, where=where))

    def note(self, code: str, message: str, where: str = "") -> None:
        self.issues.append(ImportIssue(level="note", code=code, message=message, where=where))
