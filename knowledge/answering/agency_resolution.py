"""Find which agency a question is about: exact aliases first, then typo-tolerant matching, tuned so that an agency
the registry does not know is reported as unknown instead of being mistaken for another one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from knowledge.agencies import AgencyRegistry
from knowledge.answering.question import Question
from knowledge.records import Agency
from knowledge.text import fold

__all__ = ["AgencyFinder", "AgencyMatch"]

# Words that start an agency name in chat ("sở ...", "ubnd ...", "liên minh ..."), folded.
_HEADS: tuple[tuple[str, ...], ...] = (
    ("so",),
    ("cuc",),
    ("chi", "cuc"),
    ("ubnd",),
    ("uy", "ban"),
    ("lien", "minh"),
    ("ngan", "hang"),
    ("canh", "sat"),
    ("cong", "an"),
    ("mat", "tran"),
    ("ban", "quan", "ly"),
    ("van", "phong"),
    ("thanh", "tra"),
    ("hoi",),
    ("lien", "doan"),
    ("quan",),
    ("huyen",),
    ("trung", "tam"),
)
# Words after which an agency name in a question has ended.
_ENDERS = frozenset(
    "co la phai duoc lam can chu phoi nhiem thi da dang se hay oi voi va ve cua trong cho bao han khi nao gi"
    " thuc viec nhung".split()
)
_WORD = re.compile(r"[\w&]+")
_FUZZY_CUTOFF = 86.0
_AMBIGUITY_MARGIN = 4.0


@dataclass(frozen=True, kw_only=True, slots=True)
class AgencyMatch:
    """What the question says about agencies.

    ``found``: one or more agencies named; ``ambiguous``: several candidates for one name (ask the user);
    ``unknown``: something that looks like an agency name but is in no registry; ``none``: no agency named.
    """

    status: Literal["found", "ambiguous", "unknown", "none"]
    agencies: tuple[Agency, ...] = ()
    text: str = ""
    rest: str = ""  # the question without the agency names: what it says besides them (a topic, perhaps)
    start: int = 0  # where the first name starts in the question's text


class AgencyFinder:
    """Resolves agency mentions in questions against a registry."""

    def __init__(self, registry: AgencyRegistry) -> None:
        self.registry = registry
        keys = registry.alias_keys()
        self._alias_strings = [k for k, _ in keys]
        self._alias_owner = [v for _, v in keys]

    def find(self, question: Question) -> AgencyMatch:
        mentions = [m for m in self.registry.find_mentions(question.text) if m.name]
        if mentions:
            names = list(dict.fromkeys(m.name for m in mentions if m.name))
            agencies = tuple(a for n in names if (a := self.registry.get(n)) is not None)
            rest, cursor = [], 0
            for mention in mentions:
                rest.append(question.text[cursor : mention.start])
                cursor = mention.end
            rest.append(question.text[cursor:])
            return AgencyMatch(
                status="found",
                agencies=agencies,
                text=", ".join(m.text for m in mentions),
                rest=" ".join(" ".join(rest).split()),
                start=mentions[0].start,
            )
        printed = _WORD.findall(question.text)
        words = [fold(w) for w in printed]
        span = self._agency_like_span(words)
        if span is None:
            return AgencyMatch(status="none")
        start, end = span
        found = self._fuzzy(" ".join(words[start:end]), " ".join(printed[start:end]))
        remainder = " ".join(printed[:start] + printed[end:])
        return AgencyMatch(status=found.status, agencies=found.agencies, text=found.text, rest=remainder)

    @staticmethod
    def _agency_like_span(words: list[str]) -> tuple[int, int] | None:
        for i in range(len(words)):
            for head in _HEADS:
                if tuple(words[i : i + len(head)]) != head:
                    continue
                if head in (("so",), ("quan",)) and i > 0 and words[i - 1] == "co":
                    continue  # "cơ sở", "cơ quan": not an agency name
                j = i + len(head)
                while j < len(words) and j - i < 10 and words[j] not in _ENDERS:
                    j += 1
                if j - i > len(head):
                    return i, j
        return None

    def _fuzzy(self, span: str, printed: str) -> AgencyMatch:
        results = process.extract(span, self._alias_strings, scorer=fuzz.ratio, limit=8, score_cutoff=60)
        best_by_agency: dict[str, float] = {}
        for _, score, index in results:
            owner = self._alias_owner[index]
            best_by_agency[owner] = max(best_by_agency.get(owner, 0.0), float(score))
        prefix_owners = list(
            dict.fromkeys(
                owner
                for alias, owner in zip(self._alias_strings, self._alias_owner, strict=True)
                if alias.startswith(span + " ") and len(span.split()) >= 2
            )
        )
        ranked = sorted(best_by_agency.items(), key=lambda kv: -kv[1])
        if ranked and ranked[0][1] >= _FUZZY_CUTOFF:
            top_name, top_score = ranked[0]
            rivals = [n for n, s in ranked[1:] if s >= _FUZZY_CUTOFF and top_score - s < _AMBIGUITY_MARGIN]
            if rivals:
                return self._candidates([top_name, *rivals], printed)
            agency = self.registry.get(top_name)
            if agency is not None:
                return AgencyMatch(status="found", agencies=(agency,), text=printed)
        if len(prefix_owners) == 1 and len(span.split()) >= 3:
            agency = self.registry.get(prefix_owners[0])
            if agency is not None:
                return AgencyMatch(status="found", agencies=(agency,), text=printed)
        if len(prefix_owners) > 1:
            return self._candidates(prefix_owners, printed)
        return AgencyMatch(status="unknown", text=printed)

    def _candidates(self, names: list[str], span: str) -> AgencyMatch:
        agencies = tuple(a for n in dict.fromkeys(names) if (a := self.registry.get(n)) is not None)
        return AgencyMatch(status="ambiguous", agencies=agencies[:6], text=span)
