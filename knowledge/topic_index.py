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
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

from knowledge.text import expand_shorthand, fold

__all__ = ["STOP_PHRASES", "STOP_WORDS", "Hit", "TextIndex", "index_terms"]

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

_PHRASES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in STOP_PHRASES:  # longest first, as STOP_PHRASES is sorted
    _PHRASES_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)

_BIGRAM_WEIGHT = 1.6
_UNKNOWN_WEIGHT = 0.6  # share of the rarest term's weight that a word found in no document counts for
_STRICT_COVERAGE = 0.8
_CORRECTIONS_KEPT = 50_000
_RECENT_KEPT = 4096
_COMMON_DF = 0.45  # a term in more than this share of documents is not informative
_K1 = 1.2
_B = 0.6


def index_terms(text: str) -> tuple[list[str], list[str]]:
    """Informative syllables and adjacent syllable pairs of ``text`` (folded, shorthand expanded)."""
    words = expand_shorthand(fold(text)).split()
    keep = [w not in STOP_WORDS and len(w) > 1 for w in words]
    for i, word in enumerate(words):
        for phrase in _PHRASES_BY_FIRST.get(word, ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                for j in range(i, i + len(phrase)):
                    keep[j] = False
                break
    unigrams = [w for w, k in zip(words, keep, strict=True) if k]
    bigrams = [f"{words[i]} {words[i + 1]}" for i in range(len(words) - 1) if keep[i] and keep[i + 1]]
    return unigrams, bigrams


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    """A scored document; ``coverage`` is the share of the query's informative weight the document matched."""

    item: T
    score: float
    coverage: float


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
        self._recent: dict[tuple[str, int, float, float], tuple[Hit[T], ...]] = {}

    def __len__(self) -> int:
        return len(self._items)

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

    def search(
        self,
        text: str,
        *,
        limit: int = 5,
        min_coverage: float = 0.5,
        relative: float = 0.35,
        keep: Callable[[T], bool] | None = None,
    ) -> list[Hit[T]]:
        """Best documents for ``text``, most relevant first; [] when nothing matches enough of the query.

        ``keep`` limits the search to the documents it accepts (e.g. one agency's tasks); the relevance floor is
        then relative to the best document kept. Recent results of unrestricted searches are remembered: one
        question often asks the index the same thing twice, and officers ask the same questions.
        """
        if keep is not None:
            return self._search(text, limit=limit, min_coverage=min_coverage, relative=relative, keep=keep)
        key = (text, limit, min_coverage, relative)
        cached = self._recent.get(key)
        if cached is None:
            cached = tuple(self._search(text, limit=limit, min_coverage=min_coverage, relative=relative))
            if len(self._recent) >= _RECENT_KEPT:
                self._recent.clear()
            self._recent[key] = cached
        return list(cached)

    def _search(
        self, text: str, *, limit: int, min_coverage: float, relative: float, keep: Callable[[T], bool] | None = None
    ) -> list[Hit[T]]:
        unigrams, raw_bigrams = index_terms(text)
        fixes = {w: self.correct(w) or w for w in dict.fromkeys(unigrams)}
        words = list(dict.fromkeys(fixes.values()))
        bigrams = [" ".join(fixes.get(w, w) for w in pair.split()) for pair in raw_bigrams]
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
            return []
        scores: dict[int, float] = {}
        matched: dict[int, float] = {}
        matched_terms: dict[int, int] = {}
        for term in unigram_terms:
            idf = self._idf[term]
            get_score, get_match = scores.get, matched.get
            get_count = matched_terms.get
            for doc, contribution in zip(self._docs[term], self._weights[term], strict=True):
                scores[doc] = get_score(doc, 0.0) + contribution
                matched[doc] = get_match(doc, 0.0) + idf
                matched_terms[doc] = get_count(doc, 0) + 1
        for term in bigram_terms:
            get_score = scores.get
            for doc, contribution in zip(self._docs[term], self._weights[term], strict=True):
                scores[doc] = get_score(doc, 0.0) + _BIGRAM_WEIGHT * contribution
        if keep is not None:
            items = self._items
            scores = {d: s for d, s in scores.items() if keep(items[d])}
        if not scores:
            return []
        floor = relative * max(scores.values())
        ranked = sorted(((d, s) for d, s in scores.items() if s >= floor), key=lambda kv: (-kv[1], kv[0]))
        hits: list[Hit[T]] = []
        for doc, score in ranked:
            if len(hits) >= limit:
                break
            coverage = matched.get(doc, 0.0) / total_weight
            if coverage < min_coverage:
                continue
            if unknown and (
                matched_terms.get(doc, 0) < 3
                or matched.get(doc, 0.0) / (total_weight + strict_weight) < _STRICT_COVERAGE * min_coverage
            ):
                continue  # several words the plan never uses: only a document matching much of the rest counts
            hits.append(Hit(item=self._items[doc], score=score, coverage=coverage))
        return hits
