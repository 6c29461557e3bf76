"""Topic search: a BM25 index over folded Vietnamese syllables and syllable pairs, with typo correction.

Vietnamese words are mostly two or three syllables ("hợp tác xã", "phần mềm kế toán"), so adjacent syllable pairs are
indexed next to single syllables: a pair match is what tells "nợ thuế" from "nợ xấu". Syllables that occur in most
documents ("hợp", "tác", "xã" in a cooperatives plan) carry no information and are skipped at query time, which also
keeps queries fast on large knowledge bases. Unknown query syllables are corrected to the closest indexed one
(rapidfuzz) before scoring.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
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
    lo ngay thang nam truoc sau hang hang chung ta
    """.split()
)

_BIGRAM_WEIGHT = 1.6
_COMMON_DF = 0.45  # a term in more than this share of documents is not informative
_K1 = 1.2
_B = 0.6


def index_terms(text: str) -> tuple[list[str], list[str]]:
    """Informative syllables and adjacent syllable pairs of ``text`` (folded, shorthand expanded)."""
    words = expand_shorthand(fold(text)).split()
    keep = [w not in STOP_WORDS and len(w) > 1 for w in words]
    for i in range(len(words)):
        for phrase in STOP_PHRASES:
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
    """An immutable BM25 index over ``(item, text)`` pairs."""

    def __init__(self, documents: Sequence[tuple[T, str]]) -> None:
        self._items = [item for item, _ in documents]
        self._lengths: list[int] = []
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for index, (_, text) in enumerate(documents):
            unigrams, bigrams = index_terms(text)
            self._lengths.append(max(1, len(unigrams)))
            for term, count in Counter([*unigrams, *bigrams]).items():
                self._postings.setdefault(term, []).append((index, count))
        n = max(1, len(documents))
        self._n = n
        self._avg = sum(self._lengths) / n if self._lengths else 1.0
        self._idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self._postings.items()}
        self._max_idf = math.log(1 + (n + 0.5) / 0.5)
        self._vocabulary = sorted(t for t in self._postings if " " not in t and len(t) >= 3)

    def __len__(self) -> int:
        return len(self._items)

    def correct(self, word: str) -> str | None:
        """The indexed syllable closest to an unknown ``word`` (typo), if close enough."""
        if word in self._postings or len(word) < 4 or not self._vocabulary:
            return word if word in self._postings else None
        best = process.extractOne(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=80)
        return None if best is None else str(best[0])

    def search(self, text: str, *, limit: int = 5, min_coverage: float = 0.5, relative: float = 0.35) -> list[Hit[T]]:
        """Best documents for ``text``, most relevant first; [] when nothing matches enough of the query."""
        unigrams, raw_bigrams = index_terms(text)
        fixes = {w: self.correct(w) or w for w in dict.fromkeys(unigrams)}
        words = list(dict.fromkeys(fixes.values()))
        bigrams = [" ".join(fixes.get(w, w) for w in pair.split()) for pair in raw_bigrams]
        terms: list[tuple[str, float]] = []
        total_weight = 0.0
        for word in words:
            postings = self._postings.get(word)
            if postings is not None and len(postings) > _COMMON_DF * self._n and self._n >= 8:
                continue  # uninformative everywhere: neither helps nor counts against coverage
            idf = self._idf.get(word, self._max_idf)
            total_weight += idf
            if postings is not None:
                terms.append((word, 1.0))
        for pair in dict.fromkeys(bigrams):
            postings = self._postings.get(pair)
            if postings is not None and len(postings) <= _COMMON_DF * self._n:
                terms.append((pair, _BIGRAM_WEIGHT))
        if total_weight == 0.0 or not terms:
            return []
        scores: dict[int, float] = {}
        matched: dict[int, float] = {}
        for term, weight in terms:
            idf = self._idf[term]
            for doc, tf in self._postings[term]:
                norm = tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * self._lengths[doc] / self._avg))
                scores[doc] = scores.get(doc, 0.0) + weight * idf * norm
                if " " not in term:
                    matched[doc] = matched.get(doc, 0.0) + idf
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            return []
        best = ranked[0][1]
        hits: list[Hit[T]] = []
        for doc, score in ranked:
            if score < relative * best or len(hits) >= limit:
                break
            coverage = matched.get(doc, 0.0) / total_weight
            if coverage < min_coverage:
                continue
            hits.append(Hit(item=self._items[doc], score=score, coverage=coverage))
        return hits
