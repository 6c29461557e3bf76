"""Topic search: a BM25 index over folded Vietnamese syllables and syllable pairs, with typo correction.

Vietnamese words are mostly two or three syllables ("hợp tác xã", "phần mềm kế toán"), so adjacent syllable pairs are
indexed next to single syllables: a pair match is what tells "nợ thuế" from "nợ xấu". Syllables that occur in most
documents ("hợp", "tác", "xã" in a cooperatives plan) carry no information and are skipped at query time, which also
keeps queries fast on large knowledge bases. Unknown query syllables are corrected to the closest indexed one
(rapidfuzz) before scoring.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

from knowledge.text import expand_shorthand, fold, marked_words

__all__ = ["STOP_COMPOUNDS", "STOP_PHRASES", "STOP_WORDS", "Hit", "Subset", "TextIndex", "index_terms"]

T = TypeVar("T")

# Function words and question words that say nothing about a topic (folded). Multi-syllable phrases are removed as
# a whole, so that "kế hoạch" as a phrase goes while "kế" in "kế toán" stays.
STOP_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in sorted(
        """
        bao nhieu|bao gio|khi nao|luc nao|nhiem vu|cong viec|thuc hien|ke hoach|phu trach|chiu trach nhiem|dam nhan
        |chu tri|phoi hop|co quan|don vi|nhu the nao|the nao|ra sao|la gi|cho biet|vui long|hien nay|duoc giao
        |thanh pho|dia phuong|so nganh|cac so|trach nhiem|lien quan|co lien quan|phai lam|can lam|ngay nao|thoi han
        |thoi gian|han chot|den han|het han|hoan thanh|nhu nao|o dau|the nay|nhu vay|xin chao|cam on
        |de nghi|xin hoi|xin cho biet|kinh chao|tran trong|quy co quan|moc thoi gian|hoan tat|phu hop voi
        |trach nhiem cua|thuoc trach nhiem|theo phu luc|theo ke hoach|in charge of|who is|what is|my tasks
        """.replace("\n", " ").split("|"),
        key=lambda p: -len(p.split()),
    )
    if p.strip()
)
STOP_WORDS = frozenset(
    """
    a ai anh ban be bi boi cac cai can cho chi chua co con cua cung da dang day de den deu di du duoc gi giup gium
    hay hoi hon hoac khi khong la lam len luc ma minh moi mot muon nao nay neu nhe nhieu nhu nhung noi nua o oi ong
    phai qua ra roi rang sao se tai the theo thi toi tren trong tu va vao vay ve vi viec voi xin xem em nha u ha han
    lo ngay thang nam truoc sau hang hang chung ta xong who what when is of the in my task tasks deadline
    """.split()
)

# Words that fold like a function word but, before or after this word, are part of a content word: "đăng ký" (not
# "đang"), "kết hôn" and "hôn nhân" (not "hơn"). Kept, so that "ký" alone does not stand for "đăng ký".
STOP_COMPOUNDS = frozenset(
    {
        ("dang", "ky"),
        ("ket", "hon"),
        ("hon", "nhan"),
        ("dien", "tu"),  # "điện tử", not "từ"
        ("ma", "so"),  # "mã số", not "mà"
        ("vung", "trong"),  # "vùng trồng", "nuôi trồng", "cây trồng": not "trong"
        ("nuoi", "trong"),
        ("cay", "trong"),
        ("nha", "kho"),  # "nhà kho", "nhà xưởng", "nhà máy": not the particle "nha"
        ("nha", "xuong"),
        ("nha", "may"),
    }
)

_PHRASES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in STOP_PHRASES:  # longest first, as STOP_PHRASES is sorted
    _PHRASES_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)

_BIGRAM_WEIGHT = 1.6
_UNKNOWN_WEIGHT = 0.6  # share of the rarest term's weight that a word found in no document counts for
_STRICT_COVERAGE = 0.8
_STANDOUT = 2.5  # a document scoring this many times the next one stands out …
_STANDOUT_SLACK = 0.1  # … and is kept covering this much less of the query than the others must
_CORRECTIONS_KEPT = 50_000
_RECENT_KEPT = 4096
_TABLES_KEPT = 16  # score tables are as long as the index: only the last few texts (a question and its rewordings)
_LOOKAHEAD = 8  # documents looked at per hit wanted, first
_LOOK_FURTHEST = 256  # documents looked at, at most, when the first ones cover too little of the query
_SCORE_DIGITS = 9  # scores equal to this many decimals are a tie
_COMMON_DF = 0.45  # a term in more than this share of documents is not informative
_K1 = 1.2
_B = 0.6


def index_terms(text: str) -> tuple[list[str], list[str]]:
    """Informative syllables and adjacent syllable pairs of ``text`` (folded, shorthand expanded)."""
    # Numbers read alike however they are written: "01" and "1" (documents pad, officers do not).
    words = [(w.lstrip("0") or "0") if w.isdigit() else w for w in expand_shorthand(fold(text)).split()]
    keep = [w not in STOP_WORDS and (len(w) > 1 or w.isdigit()) for w in words]
    for i in range(len(words) - 1):
        if (words[i], words[i + 1]) in STOP_COMPOUNDS:
            keep[i] = keep[i + 1] = True
    for i, word in enumerate(words):
        if word not in _PHRASES_BY_FIRST:  # most words start no stop phrase: skip them without a call
            continue
        for phrase in _PHRASES_BY_FIRST[word]:
            if tuple(words[i : i + len(phrase)]) == phrase:
                for j in range(i, i + len(phrase)):
                    keep[j] = False
                break
    unigrams = [w for w, k in zip(words, keep, strict=True) if k]
    bigrams = [f"{words[i]} {words[i + 1]}" for i in range(len(words) - 1) if keep[i] and keep[i + 1]]
    return unigrams, bigrams


@dataclass(frozen=True, eq=False, slots=True)
class Subset:
    """The documents a search is limited to: a mask over document numbers (1 = kept). Searches within a subset that
    has a ``key`` are remembered like unrestricted ones."""

    mask: bytes
    key: Hashable = None


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    """A scored document; ``coverage`` is the share of the query's informative weight the document matched, ``doc``
    the document's number in its index (for :meth:`TextIndex.holds`)."""

    item: T
    score: float
    coverage: float
    doc: int


class TextIndex(Generic[T]):
    """An immutable BM25 index over ``(item, text)`` pairs.

    Each posting list is stored as two compact arrays: document numbers and the document's precomputed BM25
    contribution for the term, so a query is a tight accumulation loop.
    """

    def __init__(self, documents: Sequence[tuple[T, str]]) -> None:
        self._items = [item for item, _ in documents]
        counts: list[Counter[str]] = []
        lengths: list[int] = []
        df: Counter[str] = Counter()
        for _, text in documents:
            unigrams, bigrams = index_terms(text)
            lengths.append(max(1, len(unigrams)))
            terms = Counter([*unigrams, *bigrams])
            counts.append(terms)
            df.update(terms.keys())
        n = max(1, len(documents))
        self._n = n
        avg = sum(lengths) / n if lengths else 1.0
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self._df = dict(df)
        self._max_idf = math.log(1 + (n + 0.5) / 0.5)
        docs: dict[str, array[int]] = {}
        weights: dict[str, array[float]] = {}
        for index, terms in enumerate(counts):
            scale = _K1 * (1 - _B + _B * lengths[index] / avg)
            for term, tf in terms.items():
                if term not in docs:
                    docs[term] = array("I")
                    weights[term] = array("d")
                docs[term].append(index)
                weights[term].append(self._idf[term] * tf * (_K1 + 1) / (tf + scale))
        self._docs = docs
        self._weights = weights
        self._vocabulary = sorted(t for t in df if " " not in t and len(t) >= 3)
        self._corrections: dict[str, str | None] = {}
        self._recent: dict[tuple[str, int, float, float, Hashable], tuple[Hit[T], ...]] = {}
        self._tables: dict[tuple[tuple[str, ...], tuple[str, ...]], _Scores | None] = {}

    def __len__(self) -> int:
        return len(self._items)

    def knows(self, term: str) -> bool:
        """Whether ``term`` (a folded word, or two as a bigram) occurs in some document."""
        return term in self._df

    def items_with(self, term: str) -> list[T]:
        """The items whose text has ``term`` (a folded word, or two as a bigram)."""
        return [self._items[i] for i in self._docs.get(term, ())]

    def correct(self, word: str) -> str | None:
        """The indexed syllable closest to an unknown ``word`` (typo), if close enough; remembered per index."""
        if word in self._df or len(word) < 4 or not self._vocabulary:
            return word if word in self._df else None
        if word in self._corrections:
            return self._corrections[word]
        best = process.extractOne(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=80)
        fixed = None if best is None else str(best[0])
        if len(self._corrections) >= _CORRECTIONS_KEPT:
            self._corrections.clear()
        self._corrections[word] = fixed
        return fixed

    def fixes(self, text: str) -> dict[str, str]:
        """Each informative word of ``text`` (folded) and the word searched for it: itself, or the indexed word it is
        a typo of. A word typed with its marks is searched as typed."""
        unigrams = index_terms(text)[0]
        marked = marked_words(text) if any(w not in self._df for w in unigrams) else frozenset()
        return {w: w if w in marked else self.correct(w) or w for w in dict.fromkeys(unigrams)}

    def weight(self, word: str) -> float:
        """What a folded word searched for (see :meth:`fixes`) weighs in a hit's coverage, as :meth:`search` counts
        it: its idf, nothing when most documents have it, a share of the rarest term's weight when none has it."""
        df = self._df.get(word)
        if df is None:
            return _UNKNOWN_WEIGHT * self._max_idf
        return 0.0 if df > _COMMON_DF * self._n and self._n >= 8 else self._idf[word]

    def holds(self, doc: int, word: str) -> bool:
        """Whether document number ``doc`` (a :attr:`Hit.doc`) has the folded ``word``."""
        docs = self._docs.get(word)
        if docs is None:
            return False
        i = bisect_left(docs, doc)
        return i < len(docs) and docs[i] == doc

    def covers(self, text: str, doc: int) -> float:
        """How much of ``text`` document number ``doc`` (a :attr:`Hit.doc`) covers, as :meth:`search` counts it."""
        table = self._scores(text)
        return self._matched(table, doc)[0] / table.total_weight if table is not None else 0.0

    def search(
        self,
        text: str,
        *,
        limit: int = 5,
        min_coverage: float = 0.5,
        relative: float = 0.35,
        within: Subset | None = None,
    ) -> list[Hit[T]]:
        """Best documents for ``text``, most relevant first; [] when nothing matches enough of the query.

        ``within`` limits the search to a subset of the documents (the plans in force, one agency's tasks); the
        relevance floor is then relative to the best document kept. Recent results are remembered (for a subset,
        when it has a key): one question often asks the index the same thing twice, and officers ask the same
        questions.
        """
        if within is not None and within.key is None:
            return self._search(text, limit=limit, min_coverage=min_coverage, relative=relative, within=within)
        key = (text, limit, min_coverage, relative, within.key if within is not None else None)
        cached = self._recent.get(key)
        if cached is None:
            cached = tuple(self._search(text, limit=limit, min_coverage=min_coverage, relative=relative, within=within))
            if len(self._recent) >= _RECENT_KEPT:
                self._recent.clear()
            self._recent[key] = cached
        return list(cached)

    def _search(
        self, text: str, *, limit: int, min_coverage: float, relative: float, within: Subset | None = None
    ) -> list[Hit[T]]:
        table = self._scores(text)
        if table is None:
            return []
        ranked = self._ranked(table, relative, within)
        hits = self._hits(table, ranked[: limit * _LOOKAHEAD], limit, min_coverage)
        if len(hits) < limit and len(ranked) > limit * _LOOKAHEAD:  # many passed over: look further down
            hits = self._hits(table, ranked, limit, min_coverage)
        return hits

    @staticmethod
    def _ranked(table: _Scores, relative: float, within: Subset | None) -> list[int]:
        """The best documents (at most :data:`_LOOK_FURTHEST`) scoring at least ``relative`` of the best one
        (within the subset), best first; remembered per table for unrestricted and keyed subsets."""
        key = (relative, None if within is None else within.key)
        cacheable = within is None or within.key is not None
        if cacheable and key in table.rankings:
            return table.rankings[key]
        touched = table.touched
        docs = touched if within is None else list(compress(touched, map(within.mask.__getitem__, touched)))
        score = table.score
        ranked: list[int] = []
        if docs:
            floor = relative * max(map(score.__getitem__, docs))
            candidates = list(compress(docs, map(floor.__le__, map(score.__getitem__, docs))))  # ascending
            # best first, equal scores in document order: a stable sort by score of the ascending numbers; scores
            # are compared rounded, as a text scored from an earlier one's table may differ in the last bits
            ranked = sorted(candidates, key=lambda d: round(score[d], _SCORE_DIGITS), reverse=True)[:_LOOK_FURTHEST]
        if cacheable:
            table.rankings[key] = ranked
        return ranked

    def _hits(self, table: _Scores, ranked: Sequence[int], limit: int, min_coverage: float) -> list[Hit[T]]:
        total, strict = table.total_weight, table.total_weight + table.strict_weight
        hits: list[Hit[T]] = []
        score = table.score
        # the best document, far ahead of the next, needs a little less of a long question's words
        ahead = bool(ranked) and (len(ranked) == 1 or score[ranked[0]] >= _STANDOUT * score[ranked[1]])
        standout = ranked[0] if ahead else -1
        for doc in ranked:
            if len(hits) >= limit:
                break
            matched, count = self._matched(table, doc)
            coverage = matched / total
            if coverage < min_coverage and not (doc == standout and coverage >= min_coverage - _STANDOUT_SLACK):
                continue
            if table.unknown and (count < 3 or matched / strict < _STRICT_COVERAGE * min_coverage):
                continue  # several words the plan never uses: only a document matching much of the rest counts
            hits.append(Hit(item=self._items[doc], score=score[doc], coverage=coverage, doc=doc))
        return hits

    @staticmethod
    def _matched(table: _Scores, doc: int) -> tuple[float, int]:
        """The query weight ``doc`` matches and how many query words it has (looked up only for the documents a
        search looks at, not accumulated for all)."""
        matched, count = 0.0, 0
        for docs, idf in table.terms:
            i = bisect_left(docs, doc)
            if i < len(docs) and docs[i] == doc:
                matched += idf
                count += 1
        return matched, count

    def _scores(self, text: str) -> _Scores | None:
        """Every document's BM25 score for ``text``; remembered for the last few term lists (a question searches
        the same words over all plans and over the plans in force, often in texts that differ only in cue words)."""
        raw_bigrams = index_terms(text)[1]
        fixes = self.fixes(text)
        words = tuple(dict.fromkeys(fixes.values()))
        bigrams = tuple(" ".join(fixes.get(w, w) for w in pair.split()) for pair in raw_bigrams)
        key = (words, bigrams)
        if key in self._tables:
            return self._tables[key]
        table = self._score(words, bigrams)
        if len(self._tables) >= _TABLES_KEPT:
            self._tables.pop(next(iter(self._tables)))
        self._tables[key] = table
        return table

    def _score(self, words: Sequence[str], bigrams: Sequence[str]) -> _Scores | None:
        common = _COMMON_DF * self._n
        unigram_terms: list[str] = []
        total_weight = 0.0
        strict_weight = 0.0  # added to total_weight: unknown words at full weight
        unknown = 0
        for word in words:
            df = self._df.get(word)
            if df is not None and df > common and self._n >= 8:
                continue  # uninformative everywhere: neither helps nor counts against coverage
            if df is not None:
                total_weight += self._idf[word]
                unigram_terms.append(word)
            else:  # in no document: it cannot tell documents apart, but it is part of what was asked
                total_weight += _UNKNOWN_WEIGHT * self._max_idf
                strict_weight += self._max_idf - _UNKNOWN_WEIGHT * self._max_idf
                unknown += 1
        bigram_terms = [p for p in dict.fromkeys(bigrams) if p in self._df and self._df[p] <= common]
        if total_weight == 0.0 or not (unigram_terms or bigram_terms):
            return None
        weighted = frozenset([*((t, 1.0) for t in unigram_terms), *((t, _BIGRAM_WEIGHT) for t in bigram_terms)])
        # A rewording of a question shares most of its terms: start from the scores of a text whose terms are all
        # among these (the question's, searched just before) and add only the terms it lacks.
        base = max(
            (t for t in self._tables.values() if t is not None and t.weighted <= weighted),
            key=lambda t: len(t.weighted),
            default=None,
        )
        if base is not None:
            score = base.score.copy()
            touched = set(base.touched)
            added = weighted - base.weighted
        else:
            score = [0.0] * len(self._items)
            touched = set()
            added = weighted
        for term, factor in sorted(added):  # a fixed order: the same sums, however the terms came
            docs = self._docs[term]
            if factor == 1.0:
                for doc, contribution in zip(docs, self._weights[term], strict=True):
                    score[doc] += contribution
            else:
                for doc, contribution in zip(docs, self._weights[term], strict=True):
                    score[doc] += factor * contribution
            touched.update(docs)
        return _Scores(
            touched=sorted(touched),
            weighted=weighted,
            rankings={},
            score=score,
            terms=tuple((self._docs[t], self._idf[t]) for t in unigram_terms),
            total_weight=total_weight,
            strict_weight=strict_weight,
            unknown=unknown,
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class _Scores:
    """A text's scores over the index: per document (by number) its BM25 score; ``touched`` are the documents scored
    at all."""

    touched: list[int]  # ascending
    weighted: frozenset[tuple[str, float]]  # the terms scored, each with its weight factor (bigrams count less)
    score: list[float]
    rankings: dict[tuple[float, Hashable], list[int]]  # remembered rankings, by relative floor and subset key
    terms: tuple[tuple[array[int], float], ...]  # each query word's documents (ascending) and weight
    total_weight: float
    strict_weight: float
    unknown: int
