"""Terms a plan defines for itself: a phrase followed by its short name in brackets, "Chỉ số cải cách hành chính
(PAR Index)", "thương mại điện tử (TMĐT)", "… định danh và xác thực điện tử (VNeID)". Officers use the short name;
the plans' other sentences use the long one. Each pair becomes a thesaurus concept of the knowledge base it was read
from (the short name is an everyday word for the long phrase), so a question with either finds the tasks. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from knowledge.answering.thesaurus import Concept, words_of
from knowledge.records import Plan
from knowledge.text import SHORTHAND, fold

__all__ = ["defined_terms", "term_pairs"]

_BRACKETED: Final = re.compile(r"\(([^()\d]{2,30})\)")
_LATIN_TOKEN: Final = re.compile(r"^[A-Za-zĐđ][A-Za-zĐđ&.\-]*$")
_ROMAN: Final = re.compile(r"^[IVXLC]+$")
_CLAUSE_END: Final = re.compile(r"[,;:.!?–\-\n•]|\b(?:của|và|về|với|cho|tại|theo|trên|trong)\b", re.IGNORECASE)
_MAX_LONG_WORDS: Final = 6


def term_pairs(text: str) -> list[tuple[str, str]]:
    """Each (long phrase, short name) ``text`` defines, both as printed."""
    pairs: list[tuple[str, str]] = []
    for match in _BRACKETED.finditer(text):
        short = match.group(1).strip()
        if not _is_short_name(short):
            continue
        long = _long_form(text[: match.start()], short)
        if long:
            pairs.append((long, short))
    return pairs


def defined_terms(plans: Sequence[Plan]) -> list[Concept]:
    """The concepts the plans define (their tasks, objectives and general duties), one per long phrase."""
    short_names: dict[str, dict[tuple[tuple[str, str], ...], None]] = {}
    for text in _texts(plans):
        for long, short in term_pairs(text):
            short_names.setdefault(fold(long), {})[tuple(words_of(short))] = None
    return [Concept(plan=(long,), everyday=tuple(names)) for long, names in short_names.items()]


def _texts(plans: Iterable[Plan]) -> Iterable[str]:
    for plan in plans:
        yield plan.title
        for task in plan.tasks:
            yield task.content
        for objective in plan.objectives:
            yield objective.text
        for duty in plan.duties:
            yield duty.text


def _is_short_name(short: str) -> bool:
    """An acronym or a brand-like name ("TMĐT", "PAR Index", "VNeID", "QR code"): one to three words of Latin
    letters, one of them with two capitals or more; not a Roman numeral ("Khóa VII") nor chat shorthand ("BC")."""
    words = short.split()
    if not 1 <= len(words) <= 3 or not all(_LATIN_TOKEN.match(w) for w in words):
        return False
    if any(_ROMAN.match(w) for w in words) or any(fold(w) in SHORTHAND for w in words):
        return False
    return any(sum(c.isupper() for c in w) >= 2 for w in words)


def _long_form(before: str, short: str) -> str:
    """The phrase ``short`` names: the words before it whose initials spell an acronym, else the clause it ends
    (two to six words after a comma, a semicolon or a linking word)."""
    words = before.split()
    letters = [c for c in fold(short).replace(" ", "") if c.isalpha()]
    if 2 <= len(letters) <= _MAX_LONG_WORDS and len(words) >= len(letters):
        tail = words[-len(letters) :]
        if [fold(w)[:1] for w in tail] == letters:
            return " ".join(tail)
    clause = _CLAUSE_END.split(before)[-1].split()
    return " ".join(clause) if 2 <= len(clause) <= _MAX_LONG_WORDS else ""
