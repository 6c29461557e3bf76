"""Two spellings of one body in a plan: the full name and its abbreviation ("Bảo hiểm xã hội thành phố",
"BHXH thành phố"; "Ủy ban nhân dân xã An Lư", "UBND xã An Lư"). Pure.

A plan that names a body the registry does not know often writes it out once and abbreviates it elsewhere; both are
one body, under its full name, with the abbreviation as an alias (so "BHXH TP làm gì" finds it).
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.text import fold

__all__ = ["abbreviates", "merge_spellings"]

_MIN_LETTERS = 2
_MAX_LETTERS = 8


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return _MIN_LETTERS <= len(letters) <= _MAX_LETTERS and len(letters) == len(word) and word.isupper()


def abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` writes ``full`` with some words abbreviated to their initials ("BHXH thành phố" for "Bảo
    hiểm xã hội thành phố"): every acronym stands for as many words of ``full`` with those initials, every other word
    is the same word, and nothing of ``full`` is left over."""
    words = short.split()
    targets = fold(full).split()
    if not any(_is_acronym(w) for w in words):
        return False
    i = 0
    for word in words:
        if _is_acronym(word):
            letters = fold(word)
            span = targets[i : i + len(letters)]
            if len(span) != len(letters) or "".join(t[0] for t in span) != letters:
                return False
            i += len(letters)
        else:
            if i >= len(targets) or fold(word) != targets[i]:
                return False
            i += 1
    return i == len(targets)


def merge_spellings(names: Sequence[str]) -> dict[str, str]:
    """For each name that abbreviates another of ``names``, that other (full) name."""
    renames: dict[str, str] = {}
    for short in names:
        fuller = [full for full in names if full != short and abbreviates(short, full)]
        if len(fuller) == 1:
            renames[short] = fuller[0]
    return renames
