"""The engine's cue words, read from the reviewed data file ``knowledge/data/cues.toml``.

A :class:`CueBook` finds every cue class of a question in one pass over its words: the routing rules then ask
``"who" in signals.cues`` instead of searching the text again for each phrase list.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Literal, cast, get_args

from knowledge.errors import VocabularyError
from knowledge.text import expand_shorthand, fold, fold_keep_marks, same_letters, strip_diacritics

__all__ = ["CUE_NAMES", "CueBook", "CueName", "cue_book", "parse_cue_book"]

CueName = Literal[
    "greeting",
    "courtesy",
    "filler",
    "question_word",
    "help",
    "self",
    "self_speaking",
    "mine",
    "agency_tasks",
    "agency_subject",
    "coordinate",
    "lead",
    "not_lead",
    "both_roles",
    "coordinate_with",
    "together",
    "either",
    "who",
    "deadline",
    "upcoming",
    "soon",
    "only_within",
    "window",
    "task_word",
    "overdue",
    "overdue_strict",
    "report",
    "reporting_regime",
    "send",
    "section_word",
    "plan_word",
    "signer",
    "number",
    "issued",
    "issuer",
    "period",
    "in_force",
    "ended",
    "replaces",
    "targets",
    "targets_general",
    "funding",
    "basis",
    "summary",
    "yes_no_task",
    "window_today",
    "window_tomorrow",
    "window_this_week",
    "window_next_week",
    "window_this_month",
    "window_next_month",
    "window_this_quarter",
    "window_this_year",
    "report_vocabulary",
    "more",
    "plans_list",
    "count",
    "how_many",
    "where",
    "figure",
    "own_procedure",
    "rank_most",
    "rank_least",
    "agency_listing",
    "compare",
    "agency_word",
    "yes_no_end",
    "yes_no_verb",
    "about",
    "recurrence_continuous",
    "recurrence_monthly",
    "recurrence_quarterly",
    "recurrence_half_yearly",
    "recurrence_yearly",
]
CUE_NAMES: frozenset[str] = frozenset(get_args(CueName))

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class CueBook:
    """Cue classes and their phrases (folded, shorthand expanded), indexed by first word."""

    def __init__(
        self,
        classes: Mapping[CueName, Sequence[str]],
        marks: Mapping[CueName, Mapping[str, tuple[str, ...]]] | None = None,
        not_in: Mapping[CueName, Sequence[str]] | None = None,
    ) -> None:
        """``marks``: for a class's phrase (folded key), its words as written with marks, when they must match a
        question's words typed with marks (see :func:`same_letters`). ``not_in``: for a class, the longer words its
        phrases are part of without meaning it ("sắp xếp" holds no "sắp" of time)."""
        self.classes: dict[CueName, tuple[str, ...]] = {name: tuple(phrases) for name, phrases in classes.items()}
        self._marks = {name: dict(spelled) for name, spelled in (marks or {}).items()}
        owners: dict[tuple[str, ...], set[CueName]] = {}
        checked: dict[tuple[str, ...], list[tuple[tuple[str, ...], CueName]]] = {}
        for name, phrases in self.classes.items():
            written = (marks or {}).get(name, {})
            for phrase in phrases:
                words = tuple(phrase.split())
                owners.setdefault(words, set()).add(name)
                if phrase in written:
                    checked.setdefault(words, []).append((written[phrase], name))
        self._by_first: dict[
            str, list[tuple[tuple[str, ...], frozenset[CueName], tuple[tuple[tuple[str, ...], CueName], ...]]]
        ] = {}
        for words, names in sorted(owners.items(), key=lambda kv: -len(kv[0])):
            entry = (words, frozenset(names), tuple(checked.get(words, ())))
            self._by_first.setdefault(words[0], []).append(entry)
        self._single_words: dict[CueName, frozenset[str]] = {}
        self._not_in: dict[CueName, tuple[tuple[str, ...], ...]] = {
            name: tuple(tuple(p.split()) for p in phrases) for name, phrases in (not_in or {}).items() if phrases
        }

    def scan(self, words: Sequence[str], marked: Sequence[str] = ()) -> frozenset[CueName]:
        """Every cue class with a phrase in ``words`` (folded, shorthand expanded), in one pass. With ``marked``
        (the words as typed, :attr:`Question.marked`), a phrase written with marks is not found in words typed with
        other letters ("tổ chức" holds no "chúc", "sáp nhập" no "sắp")."""
        found: set[CueName] = set()
        by_first = self._by_first
        count = len(words)
        typed = marked if len(marked) == count else ()
        for i, word in enumerate(words):
            candidates = by_first.get(word)
            if candidates is None:
                continue
            for phrase, names, checks in candidates:
                size = len(phrase)
                if size == 1 or (i + size <= count and tuple(words[i : i + size]) == phrase):
                    if self._not_in:
                        names = frozenset(n for n in names if not self._inside_other_word(n, words, i))
                    if checks and typed:
                        at = typed[i : i + size]
                        names = names - {
                            name
                            for written, name in checks
                            if not all(not t or same_letters(t, w) for t, w in zip(at, written, strict=False))
                        }
                    found.update(names)
        return frozenset(found)

    def _inside_other_word(self, name: CueName, words: Sequence[str], i: int) -> bool:
        """Whether the phrase of ``name`` at ``i`` is part of a longer word that does not mean it."""
        for other in self._not_in.get(name, ()):
            for start in range(max(0, i - len(other) + 1), i + 1):
                if tuple(words[start : start + len(other)]) == other:
                    return True
        return False

    def without(self, words: Sequence[str], *names: CueName) -> list[str]:
        """``words`` with every phrase of the classes ``names`` taken out (longest phrases first), except where it is
        part of a longer word that does not mean it (``not_in``: the "hợp" of "hợp tác xã" is no report's)."""
        out: list[str] = []
        i = 0
        while i < len(words):
            for phrase, owners, _ in self._by_first.get(words[i], ()):
                size = len(phrase)
                mine = [n for n in owners if n in names and not self._inside_other_word(n, words, i)]
                if mine and tuple(words[i : i + size]) == phrase:
                    i += size
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def after(self, words: Sequence[str], name: CueName, marked: Sequence[str] = ()) -> list[str]:
        """The words after the first phrase of the class ``name`` in ``words`` (not where it is part of a longer word
        that does not mean it); [] when there is none. With ``marked`` (:attr:`Question.marked`), a phrase written
        with marks must be typed with them when the question is typed with marks at all ("mang thẻ" is no "mảng")."""
        typed = marked if len(marked) == len(words) else ()
        strict = any(t and t != w for t, w in zip(typed, words, strict=False))

        def as_written(t: str, w: str) -> bool:
            return not t or (same_letters(t, w) and not (strict and t == strip_diacritics(t) != w))

        for i, word in enumerate(words):
            for phrase, owners, checks in self._by_first.get(word, ()):
                size = len(phrase)
                if name not in owners or tuple(words[i : i + size]) != phrase:
                    continue
                if self._inside_other_word(name, words, i):
                    continue
                at = typed[i : i + size]
                if typed and any(
                    n == name and not all(as_written(t, w) for t, w in zip(at, written, strict=False))
                    for written, n in checks
                ):
                    continue
                return list(words[i + size :])
        return []

    def written(self, name: CueName, phrase: str) -> str:
        """A phrase of ``name`` (folded) as the word list writes it, marks and all: what a reply may quote."""
        words = self._marks.get(name, {}).get(phrase)
        return " ".join(words) if words else phrase

    def words_of(self, name: CueName) -> frozenset[str]:
        """The single-word phrases of a class (for word-by-word tests such as fillers)."""
        found = self._single_words.get(name)
        if found is None:
            found = self._single_words[name] = frozenset(p for p in self.classes[name] if " " not in p)
        return found


def parse_cue_book(text: str, *, source: str) -> CueBook:
    """Read cue classes from TOML text; raises :class:`VocabularyError` naming what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{source}: not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - CUE_NAMES)
    missing = sorted(CUE_NAMES - set(data))
    if unknown or missing:
        raise VocabularyError(f"{source}: unknown cue classes {unknown}, missing cue classes {missing}")
    raw: dict[str, list[str]] = {}
    not_in: dict[CueName, list[str]] = {}
    for name, table in data.items():
        phrases = table.get("phrases") if isinstance(table, dict) else None
        if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) for p in phrases):
            raise VocabularyError(f"{source}: [{name}] needs a non-empty list of strings 'phrases'")
        raw[name] = phrases
        others = table.get("not_in", [])
        if not isinstance(others, list) or not all(isinstance(p, str) for p in others):
            raise VocabularyError(f"{source}: [{name}] 'not_in' must be a list of strings")
        not_in[cast(CueName, name)] = [_key(p) for p in others if _key(p)]
    classes: dict[CueName, list[str]] = {}
    marks: dict[CueName, dict[str, tuple[str, ...]]] = {}
    for name in raw:
        classes[cast(CueName, name)] = _expand(name, raw, source, ())
        marks[cast(CueName, name)] = _written_marks(raw[name])
    return CueBook(classes, marks, not_in)


def _written_marks(phrases: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Each plain phrase's words as written, where marks tell it apart; a phrase also written without marks (or
    with a placeholder) matches whatever marks a question has."""
    written: dict[str, tuple[str, ...]] = {}
    free: set[str] = set()
    for phrase in phrases:
        if _PLACEHOLDER.search(phrase):
            continue
        key = _key(phrase)
        words = tuple(fold_keep_marks(phrase).split())
        if len(words) != len(key.split()) or all(w == strip_diacritics(w) for w in words) or key in written:
            free.add(key)
            continue
        written[key] = words
    return {k: v for k, v in written.items() if k not in free}


def _expand(name: str, raw: Mapping[str, list[str]], source: str, seen: tuple[str, ...]) -> list[str]:
    if name in seen:
        raise VocabularyError(f"{source}: cue classes refer to each other in a circle: {' → '.join((*seen, name))}")
    out: list[str] = []
    for phrase in raw[name]:
        refs = _PLACEHOLDER.findall(phrase)
        if not refs:
            out.append(_key(phrase))
            continue
        if len(refs) > 1 or refs[0] not in raw:
            raise VocabularyError(f"{source}: [{name}] phrase {phrase!r} must name exactly one known class")
        for filler in _expand(refs[0], raw, source, (*seen, name)):
            out.append(_key(phrase.replace("{" + refs[0] + "}", filler)))
    keys = [k for k in dict.fromkeys(out) if k]
    if not keys:
        raise VocabularyError(f"{source}: [{name}] has no phrase left after folding")
    return keys


def _key(phrase: str) -> str:
    return expand_shorthand(fold(phrase))


@cache
def cue_book() -> CueBook:
    """The bundled cue book (read once per process)."""
    text = resources.files("knowledge").joinpath("data/cues.toml").read_text(encoding="utf-8")
    return parse_cue_book(text, source="cues.toml")
