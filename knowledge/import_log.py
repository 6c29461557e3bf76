"""What an import noticed, collected while a plan is read: warnings need a person's eye, notes are for information."""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.records import ImportIssue

__all__ = ["ImportLog"]


@dataclass(kw_only=True)
class ImportLog:
    """The issues found in one source file, in the order they were found."""

    source: str
    issues: list[ImportIssue] = field(default_factory=list)

    def warning(self, code: str, message: str, where: str = "") -> None:
        self.issues.append(ImportIssue(level="warning", code=code, message=message, where=where))

    def note(self, code: str, message: str, where: str = "") -> None:
        self.issues.append(ImportIssue(level="note", code=code, message=message, where=where))
