"""The domain thesaurus: everyday words → the plans' terms, read from the reviewed ``knowledge/data/thesaurus.toml``.

A topic search tries the question as asked and its rewordings in the plans' terms ("ai lo tiền bạc cho quỹ" →
"ai lo vốn cho quỹ", "… kinh phí …"); :class:`TopicSearch` keeps the wording the plans cover best.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Generic, TypeVar

from knowledge.errors import VocabularyError
from knowledge.text import expand_shorthand, fold, letters_fit, nfc, same_letters
from knowledge.topic_index import Hit, Subset, TextIndex, index_terms

__all__ = [
    "Concept",
    "Rewording",
    "Thesaurus",
    "TopicSearch",
    "marks_agree",
    "parse_thesaurus",
    "thesaurus",
    "words_of",
]

T = TypeVar("T")

_MAX_VARIANTS = 6
_ENOUGH = 0.8  # a wording whose best document covers this much of it is not reworded
_AS_ASKED_COVERAGE = 0.4  # a hit of a reworded question must cover this much of the question as asked
_ALIKE_KEPT = 8192  # (document, word as typed) pairs whose check is remembered
_FEW_TERMS = 2  # a question with this many informative words or fewer must match them as typed, marks and all
_WORD = re.compile(r"[\w&]+")


Word = tuple[str, str]  # (folded, as typed in lower case; "" when it came from shorthand such as "htx")


@dataclass(frozen=True, kw_only=True, slots=True)
class Concept:
    """One thing plans talk about: the plans' terms (folded) and the everyday words for it (as written)."""

    plan: tuple[str, ...]
    everyday: tuple[tuple[Word, ...], ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Rewording:
    """A question reworded: its text, the question's words as said (folded, and as typed: "" for shorthand), and
    each phrase replaced (where it starts among those words, how many it spans, the plan term put in its place)."""

    text: str
    said: tuple[str, ...]
    typed: tuple[str, ...]
    spans: tuple[tuple[int, int, str], ...]


def words_of(text: str) -> list[Word]:
    """Each word of ``text`` folded and as typed: "Máy" → ("may", "máy"); "htx" → three words typed as ""."""
    out: list[Word] = []
    for typed in _WORD.findall(nfc(text).lower()):
        key = fold(typed)
        expanded = expand_shorthand(key).split()
        if expanded == [key]:
            out.append((key, typed))
        else:
            out.extend((w, "") for w in expanded)
    return out


def _same_word(said: Word, phrase: Word) -> bool:
    """A word said matches a phrase's word when it folds alike and is typed with the same marks, or with none
    ("máy" is not "mấy", but "may" may be either)."""
    return said[0] == phrase[0] and (said[1] in ("", said[0]) or phrase[1] in ("", said[1]))


class Thesaurus:
    """Concepts indexed by the first word of each phrase.

    Plan terms are indexed too, so that a plan's own phrase is read whole ("bán hàng trực tuyến") and not as the
    everyday phrase it starts with ("bán hàng"); only everyday phrases are reworded.
    """

    def __init__(self, concepts: Sequence[Concept]) -> None:
        self.concepts = tuple(concepts)
        entries: dict[tuple[Word, ...], list[Concept]] = {}
        for concept in self.concepts:
            for phrase in concept.everyday:
                entries.setdefault(phrase, []).append(concept)
        for concept in self.concepts:
            for term in concept.plan:
                entries[tuple((w, "") for w in term.split())] = []  # a plan's own words: kept as they are
        self._by_first: dict[str, list[tuple[tuple[Word, ...], list[Concept]]]] = {}
        for words, owners in sorted(entries.items(), key=lambda kv: -len(kv[0])):
            self._by_first.setdefault(words[0][0], []).append((words, owners))

    def with_concepts(self, extra: Sequence[Concept]) -> Thesaurus:
        """This thesaurus and ``extra`` concepts (the terms a knowledge base's plans define for themselves)."""
        return Thesaurus((*self.concepts, *extra)) if extra else self

    def knows(self, word: str) -> bool:
        """Whether some phrase (everyday or a plan's) starts with ``word`` (folded)."""
        return word in self._by_first

    def holds(self, phrase: str) -> bool:
        """Whether ``phrase`` (folded) is one of the thesaurus's phrases, everyday or a plan's ("sổ đỏ")."""
        words = phrase.split()
        return bool(words) and any([w for w, _ in entry] == words for entry, _ in self._by_first.get(words[0], ()))

    def variants(self, text: str) -> list[str]:
        """The texts of :meth:`rewordings`."""
        return [r.text for r in self.rewordings(text)]

    def rewordings(self, text: str) -> list[Rewording]:
        """``text`` (folded) reworded in the plans' terms: each everyday phrase found (longest first) replaced by a plan
        term of its concepts. Every phrase gets its turn before any gets a second term, and when several are found,
        the last variant rewords them all (ties go to the earlier ones); at most a few variants."""
        said = words_of(text)
        keys = [key for key, _ in said]
        found: list[tuple[int, int, list[str]]] = []  # where a phrase starts, its length, the terms for it
        i = 0
        while i < len(said):
            at = self._phrase_at(said, i)
            if at is None:
                i += 1
                continue
            size, owners = at
            phrase = " ".join(keys[i : i + size])
            terms = list(dict.fromkeys(t for c in owners for t in c.plan if t != phrase))
            if terms:
                found.append((i, size, terms))
            i += size

        def reworded(choice: dict[int, str]) -> Rewording:
            out: list[str] = []
            cursor = 0
            spans: list[tuple[int, int, str]] = []
            for start, size, _ in found:
                if start in choice:
                    out.extend([*keys[cursor:start], choice[start]])
                    spans.append((start, size, choice[start]))
                    cursor = start + size
            return Rewording(
                text=" ".join([*out, *keys[cursor:]]),
                said=tuple(keys),
                typed=tuple(typed for _, typed in said),
                spans=tuple(spans),
            )

        out: dict[str, Rewording] = {}
        for rank in range(max((len(terms) for _, _, terms in found), default=0)):
            for start, _, terms in found:
                if rank < len(terms):
                    r = reworded({start: terms[rank]})
                    out.setdefault(r.text, r)
        kept = list(out.values())[: _MAX_VARIANTS - 1]
        if len(found) > 1:
            kept.append(reworded({start: terms[0] for start, _, terms in found}))
        return kept

    def _phrase_at(self, said: list[Word], i: int) -> tuple[int, list[Concept]] | None:
        for phrase, owners in self._by_first.get(said[i][0], ()):
            size = len(phrase)
            if i + size <= len(said) and all(_same_word(said[i + k], phrase[k]) for k in range(size)):
                return size, owners
        return None


class TopicSearch(Generic[T]):
    """A topic index searched with the thesaurus: the question as asked, and reworded in the plans' terms."""

    def __init__(self, index: TextIndex[T], words: Thesaurus, *, text_field: str | None = None) -> None:
        """``text_field``: the attribute of an indexed item that holds its text as written, marks and all; given, a
        short question's words typed with marks must be the document's words, not words that only fold alike
        (:meth:`_marks_agree`)."""
        self.index = index
        self.thesaurus = words
        self.text_field = text_field
        self._alike: dict[tuple[int, str, str], bool] = {}  # (document, folded word, as typed): written alike?

    def knows(self, word: str) -> bool:
        """Whether ``word`` (folded) is a word of the indexed texts or starts a phrase of the thesaurus."""
        return self.index.knows(word) or self.thesaurus.knows(word)

    def search(self, text: str, *, limit: int = 5, within: Subset | None = None) -> list[Hit[T]]:
        """The hits of whichever wording (as asked first) the best document covers most; other wordings' hits
        follow when there is room. Ties go to the question as asked, and a question the plans already cover well
        is not reworded."""
        best = self._marks_agree(text, self.index.search(text, limit=limit, within=within))
        if best and best[0].coverage >= _ENOUGH:
            return best  # the plans' own words were used: nothing to reword
        rewordings = self.thesaurus.rewordings(text)
        if not rewordings:
            return best
        fixes = self.index.fixes(text)
        runs = [best]
        for rewording in rewordings:
            hits = self.index.search(rewording.text, limit=limit, within=within)
            runs.append([h for h in hits if self._as_asked(rewording, fixes, h) >= _AS_ASKED_COVERAGE])
        winner = max(range(len(runs)), key=lambda i: (runs[i][0].coverage if runs[i] else 0.0, -i))
        hits = list(runs[winner])
        seen = {id(h.item) for h in hits}
        extra = sorted((h for run in runs for h in run if id(h.item) not in seen), key=lambda h: -h.coverage)
        for hit in extra:
            if len(hits) >= limit:
                break
            if id(hit.item) not in seen:
                seen.add(id(hit.item))
                hits.append(hit)
        return hits

    def _as_asked(self, rewording: Rewording, fixes: dict[str, str], hit: Hit[T]) -> float:
        """How much of the question AS ASKED the document of ``hit`` covers when it was found through ``rewording``: a
        replaced phrase counts what its own words weigh (times the share of the plan term the document has), not
        what the plan term's longer wording weighs, so that one everyday word turned into a four-word term does not
        outweigh the rest of the question ("máy" read as "tiến bộ khoa học kỹ thuật" in a question about something
        else). A phrase weighs at least as much as its term's average word, once per informative word it has (one for
        a phrase of function words only): a rare plan word for a common everyday one counts as found. A word typed
        with its marks counts only where the document writes it with the same letters and tone ("tiền" is not the
        "tiến" of "tiến bộ")."""
        index = self.index
        doc = hit.doc
        said = rewording.said
        replaced = {start: (size, term) for start, size, term in rewording.spans}
        total = matched = 0.0
        counted: set[str] = set()
        i = 0
        while i < len(said):
            if i in replaced:
                size, term = replaced[i]
                term_words = list(index.fixes(term).values())
                weights = [index.weight(w) for w in term_words]
                whole = sum(weights)
                found = sum(w for t, w in zip(term_words, weights, strict=True) if index.holds(doc, t))
                share = found / whole if whole else 0.0
                own = [index.weight(fixes[w]) for w in dict.fromkeys(said[i : i + size]) if w in fixes]
                weight = max(sum(own), whole / len(weights) * max(1, len(own)) if weights else 0.0)
                total += weight
                matched += weight * share
                i += size
                continue
            word = said[i]
            if word in fixes and word not in counted:
                counted.add(word)
                weight = index.weight(fixes[word])
                total += weight
                typed = rewording.typed[i]
                if index.holds(doc, fixes[word]) and (typed in ("", word) or self._written_alike(hit, word, typed)):
                    matched += weight
            i += 1
        return matched / total if total else 0.0

    def _written_alike(self, hit: Hit[T], word: str, typed: str) -> bool:
        """Whether the hit's text writes the folded ``word`` as ``typed`` (same letters and tone); True when the
        indexed items keep no text as written."""
        if self.text_field is None:
            return True
        key = (hit.doc, word, typed)
        alike = self._alike.get(key)
        if alike is None:
            alike = any(
                same_letters(typed, written)
                for folded, written in words_of(getattr(hit.item, self.text_field))
                if folded == word
            )
            if len(self._alike) >= _ALIKE_KEPT:
                self._alike.clear()
            self._alike[key] = alike
        return alike

    def _marks_agree(self, text: str, hits: list[Hit[T]]) -> list[Hit[T]]:
        return hits if self.text_field is None else marks_agree(text, hits, self.text_field)


def marks_agree(text: str, hits: list[Hit[T]], field: str) -> list[Hit[T]]:
    """``hits`` without the documents a short question (at most :data:`_FEW_TERMS` informative words) matched
    only through a word typed with other letters: "ăn" is not the "an" of "an toàn", "mưa" not "mua". ``field``
    names the attribute of a hit's item that holds its text as written. A document none of the question's words
    stand in matched only through the index's typo fixes, which a word typed with its marks needs none of ("trời"
    is no misspelt "trở"). Words typed without marks may be any word; a longer question is judged by its other
    words."""
    if not hits:
        return hits
    informative = index_terms(text)[0]
    if len(informative) > _FEW_TERMS:
        return hits
    wanted = {folded: typed for folded, typed in words_of(text) if typed and typed != folded}
    wanted = {folded: typed for folded, typed in wanted.items() if folded in informative}
    if not wanted:
        return hits
    kept = []
    for hit in hits:
        text_of_hit = nfc(getattr(hit.item, field)).lower()
        if all(re.search(rf"(?<!\w){re.escape(typed)}(?!\w)", text_of_hit) for typed in wanted.values()):
            kept.append(hit)  # every word as typed stands in the document: nothing to weigh
            continue
        agrees: dict[str, bool] = {}
        present = False
        for folded, written in words_of(text_of_hit):
            present = present or folded in informative
            typed = wanted.get(folded)
            if typed is not None and not agrees.get(folded):
                agrees[folded] = letters_fit(typed, written)
        if present and all(agrees.values()):  # not present: matched only through a typo fix of a word typed right
            kept.append(hit)
    return kept


def parse_thesaurus(text: str, *, source: str) -> Thesaurus:
    """Read ``[[concept]]`` entries from TOML text; raises :class:`VocabularyError` naming what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{source}: not valid TOML: {exc}") from exc
    entries = data.get("concept")
    if not isinstance(entries, list) or not entries:
        raise VocabularyError(f"{source}: expected [[concept]] entries")
    concepts = []
    for index, entry in enumerate(entries, start=1):
        plan = entry.get("plan") if isinstance(entry, dict) else None
        everyday = entry.get("everyday", []) if isinstance(entry, dict) else None
        if not _strings(plan) or not isinstance(everyday, list) or not all(isinstance(e, str) for e in everyday):
            raise VocabularyError(f"{source}: concept #{index} needs 'plan' (terms) and 'everyday' (lists of strings)")
        assert isinstance(plan, list)
        phrases = tuple(dict.fromkeys(tuple(words_of(p)) for p in everyday if words_of(p)))
        concepts.append(Concept(plan=_keys(plan), everyday=phrases))
    return Thesaurus(concepts)


def _strings(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v.strip() for v in value)


def _keys(phrases: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for p in phrases if (k := expand_shorthand(fold(p)))))


@cache
def thesaurus() -> Thesaurus:
    """The bundled thesaurus (read once per process)."""
    text = resources.files("knowledge").joinpath("data/thesaurus.toml").read_text(encoding="utf-8")
    return parse_thesaurus(text, source="thesaurus.toml")
