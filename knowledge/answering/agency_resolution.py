"""Find which agency a question is about: exact aliases first, then typo-tolerant matching, tuned so that an agency
the registry does not know is reported as unknown instead of being mistaken for another one.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from knowledge.agencies import AgencyRegistry
from knowledge.answering.question import Question
from knowledge.records import Agency
from knowledge.text import expand_shorthand, fold, is_syllable

__all__ = ["AgencyFinder", "AgencyMatch"]

# Words that start an agency name in chat ("sở ...", "ubnd ...", "liên minh ..."), folded. The first ones are the
# heads of state bodies: a name that starts with one of them and fits no agency of any plan is such a body with no
# task, never a topic ("Bộ Công an phải làm gì", "Sở Hàng hải có nhiệm vụ gì").
_STRONG_HEADS: tuple[tuple[str, ...], ...] = (
    ("so",),
    ("bo",),
    ("cuc",),
    ("chi", "cuc"),
    ("ubnd",),
    ("uy", "ban"),
    ("tong", "cuc"),
    ("ngan", "hang"),
    ("kho", "bac"),
    ("cong", "an"),
    ("canh", "sat"),
    ("vien", "kiem", "sat"),
    ("toa", "an"),
    ("hai", "quan"),
    ("bao", "hiem", "xa", "hoi"),
    ("kiem", "toan", "nha", "nuoc"),
    ("hiep", "hoi"),  # "Hiệp hội Du lịch …": an association, never a topic
    # enterprises by their legal form: "Công ty cổ phần X", "Công ty TNHH Y", "Tổng công ty …", "Tập đoàn …"
    ("cong", "ty", "co", "phan"),
    ("cong", "ty", "tnhh"),
    ("cong", "ty", "cp"),
    ("cong", "ty", "trach", "nhiem"),
    ("tong", "cong", "ty"),
    ("tap", "doan"),
)
_HEADS: tuple[tuple[str, ...], ...] = (
    *_STRONG_HEADS,
    ("lien", "minh"),
    ("mat", "tran"),
    ("ban", "quan", "ly"),
    ("van", "phong"),
    ("thanh", "tra"),
    ("hoi",),
    ("lien", "doan"),
    ("quan",),
    ("huyen",),
    ("trung", "tam"),
    ("truong",),
    ("cong", "ty"),  # "công ty" alone may be a topic ("HTX chuyển thành công ty")
)
# A company named the English way: capitalised words, then the kind of company ("Sun Group", "FPT Corporation").
_ENTERPRISE = re.compile(r"\b(?:[A-Z][\w&-]*\s+){1,4}(?:Group|Corporation|Corp|JSC|Ltd|Holdings|Company)\b")
_NAME_BEFORE_ACRONYM = 8  # words of a name that opens a question, its acronym in brackets after it


def _bracketed(text: str, acronym: str) -> bool:
    """Whether ``acronym`` stands in brackets in ``text``: "(NATIF)"."""
    return f"({acronym})" in text.replace("( ", "(").replace(" )", ")")


_PLACE_KINDS = frozenset("xa phuong quan huyen thi dac tinh".split())  # what follows "Ủy ban (nhân dân)" in a name
_WHOLE_NAMES = frozenset({("kiem", "toan", "nha", "nuoc")})  # heads that name a body with no more words
_HEAD_WORDS = frozenset(head[0] for head in _STRONG_HEADS if len(head) == 1)  # "sở", "bộ", "cục", "ubnd"
# How the first word of a head is spelled: "số 37" is a number, not "sở"; a word typed without marks may be either.
_HEAD_SPELLING = {
    "so": "sở", "bo": "bộ", "cuc": "cục", "uy": "ủy", "tong": "tổng", "lien": "liên", "ngan": "ngân", "canh": "cảnh",
    "cong": "công", "mat": "mặt", "van": "văn", "hoi": "hội", "quan": "quận", "huyen": "huyện", "kho": "kho",
    "vien": "viện", "toa": "tòa", "hai": "hải", "bao": "bảo", "hiep": "hiệp", "truong": "trường", "tap": "tập",
    "kiem": "kiểm",
}  # fmt: skip
# Words before (or after) "bộ" that make it another word: "cán bộ", "toàn bộ", "đồng bộ", "bộ phận", "bộ máy" ….
_NOT_BO_BEFORE = frozenset("can toan dong noi so mot ca tung bo tat".split())
_NOT_BO_AFTER = frozenset("phan may tieu ho luat du".split())
# Words before "sở" / "quận" … that make a common noun of it: "cơ sở", "hồ sơ", "cơ quan", "liên quan", "tổng quan".
_NOT_HEAD_AFTER: dict[tuple[str, ...], frozenset[str]] = {
    ("so",): frozenset("co tru ho".split()),  # "cơ sở", "trụ sở", and "hồ sơ" typed without marks
    ("quan",): frozenset("co lien tong chu khach truc canh bi lac".split()),
    ("hoi",): frozenset("hiep xa co dai".split()),  # "Hiệp hội" starts its own name; "xã hội", "cơ hội", "đại hội"
    ("truong",): frozenset("thi moi hien quang chien lap hoc".split()),  # "thị trường", "môi trường" …
}
# Words after a head that make it no body: "hội nghị", "hội thảo", "hội chợ", "hội viên", "hội nhập", "hội thi";
# "trường hợp", "trường kỳ", "trường độ"; typed without marks, "quản lý", "quan tâm", "quan trọng", "quan hệ" ….
_NOT_HEAD_BEFORE: dict[tuple[str, ...], frozenset[str]] = {
    ("hoi",): frozenset("nghi thao cho vien nhap thi".split()),
    ("truong",): frozenset("hop ky do".split()),
    ("quan",): frozenset("ly tam trong he diem sat niem tri ngai".split()),
}
# Words after which an agency name in a question has ended, with their diacritics: a word typed with other marks
# ("lâm" in "Kiểm lâm") is part of the name, a word typed without any ("lam") may be either and ends it.
_ENDERS = frozenset(
    "có là phải được làm cần chủ phối nhiệm thì đã đang sẽ hay ơi với và về của trong cho báo hạn khi nào gì"
    " thực việc những"
    " chúng tôi em bọn tui".split()  # the asker speaking ("UBND xã chúng tôi"): never part of a body's name
)
_PLAN_CODE = re.compile(r"\bKH\s*-\s*$", re.IGNORECASE)
_FOLDED_ENDERS = frozenset(fold(w) for w in _ENDERS)
_WORD = re.compile(r"[\w&]+")
_FUZZY_CUTOFF = 86.0
_MANY_MEMBERS = 5  # a name that starts this many members' names ("UBND xã …") and adds nothing stands for their group
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
    end: int = 0  # where the first name ends in the question's text (found only)
    state_body: bool = False  # unknown: the name starts like a state body's ("Sở …", "Bộ …", "UBND …")
    headless: bool = False  # found only by names that name an activity, no body ("PCCC" for the fire police)


class AgencyFinder:
    """Resolves agency mentions in questions against a registry."""

    def __init__(self, registry: AgencyRegistry) -> None:
        self.registry = registry
        keys = registry.alias_keys()
        self._alias_strings = [k for k, _ in keys]
        self._expanded_aliases = [expand_shorthand(k) for k in self._alias_strings]  # "… TP" as "… thanh pho"
        self._alias_owner = [v for _, v in keys]
        self._sorted_aliases = sorted(keys)

    def find(
        self,
        question: Question,
        *,
        plan_titles: tuple[str, ...] = (),
        known: Callable[[str], bool] = lambda w: False,
        typo: Callable[[str], bool] = lambda w: False,
        written_pair: Callable[[str], bool] | None = None,
    ) -> AgencyMatch:
        """The agencies ``question`` names. ``plan_titles`` (folded, expanded) are plans it names by their title: a
        name inside one that is no body's ("kế hoạch phòng cháy chữa cháy") names the plan, not an agency. ``known``
        tells the words (or adjacent pairs) the plans use: an acronym they never use names some body of its own
        ("KOICA", "VNPT"), and so does a foreign name ("Agribank") unless ``typo`` says it is a plan word mistyped."""
        text = question.text
        # "45/KH-SNV": the issuer's code in a plan's number names no agency asked about
        named = [
            m
            for m in self.registry.find_mentions(text)
            if m.name
            and not _PLAN_CODE.search(text[: m.start])
            and not (_headless(m.text) and any(_folded(m.text) in title for title in plan_titles))
        ]
        mentions = [
            m
            for m in named
            if not _national(text[m.end :], m.name or "") and not self._elsewhere(text[m.end :], m.text)
        ]
        if named and not mentions:  # "Sở Y tế tỉnh Quảng Ninh", "Liên minh HTX Việt Nam": a body, but not the city's
            first = named[0]
            end = first.end + _place_length(text[first.end :])
            return AgencyMatch(
                status="unknown",
                text=text[first.start : end],
                rest=" ".join((text[: first.start] + " " + text[end:]).split()),
                state_body=True,
            )
        if mentions and all(_headless(m.text) or _after_strong_head(text[: m.start]) for m in mentions):
            inside = self._inside_other_body(text, mentions[0].start)
            if inside is not None:  # "Ngân hàng X chi nhánh Kiến An", "Công an quận Y": not the district's
                return inside
        if mentions and all(self._is_group(m.name) for m in mentions):
            opening = self._opening_body(question.text, mentions[0].start)
            if opening is not None:  # "Công ty CP X có phải phối hợp gì với các HTX": the company is asked
                return opening
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
                end=mentions[0].end,
                headless=all(_headless(m.text) for m in mentions),
            )
        printed = _WORD.findall(question.text)
        words = [fold(w) for w in printed]
        span = self._agency_like_span(printed, words)
        proper = _named_body(printed, words, known, written_pair)
        if proper is not None and span is not None and proper[0] <= span[0]:  # "Quỹ Đầu tư … và Sở X": the fund first
            return _unknown_span(printed, *proper)
        if span is None:
            enterprise = _ENTERPRISE.search(question.text)
            if enterprise is not None:  # "Sun Group", "Vingroup JSC": a company named the English way
                return AgencyMatch(
                    status="unknown",
                    text=enterprise.group(0),
                    rest=" ".join((question.text[: enterprise.start()] + question.text[enterprise.end() :]).split()),
                    state_body=True,
                )
            acronym = _unknown_acronym(question.text, known, typo)
            if acronym is None:  # "Quỹ Đầu tư phát triển Hải Phòng": a fund by a name of its own, or none named
                return AgencyMatch(status="none") if proper is None else _unknown_span(printed, *proper)
            start, end = acronym
            text = " ".join(printed[start:end])
            if 0 < start <= _NAME_BEFORE_ACRONYM and _bracketed(question.text, printed[start]):
                # "Quỹ Đổi mới công nghệ quốc gia (NATIF) …": the name the acronym stands for, then the acronym
                text = question.text[: question.text.index(printed[start]) + len(printed[start])].strip() + ")"
                start = 0
            return AgencyMatch(
                status="unknown",
                text=text,
                rest=" ".join(printed[:start] + printed[end:]),
                state_body=True,
            )
        start, end, strong = span
        if _names_other_city(words[start:end]):  # "Công ty … Hà Nội" is no near-namesake of the city's own
            return AgencyMatch(
                status="unknown",
                text=" ".join(printed[start:end]),
                rest=" ".join(printed[:start] + printed[end:]),
                state_body=True,
            )
        span_words = words[start:end]
        if span_words[:2] == ["uy", "ban"] and span_words[2:3] and span_words[2] in _PLACE_KINDS:
            span_words = ["ubnd", *span_words[2:]]  # "Ủy ban xã …" is said for "Ủy ban nhân dân xã …"
        found = self._fuzzy(" ".join(span_words), " ".join(printed[start:end]))
        remainder = " ".join(printed[:start] + printed[end:])
        return AgencyMatch(
            status=found.status,
            agencies=found.agencies,
            text=found.text,
            rest=remainder,
            state_body=strong and found.status == "unknown",
        )

    @staticmethod
    def _agency_like_span(printed: list[str], words: list[str]) -> tuple[int, int, bool] | None:
        for i in range(len(words)):
            for head in _HEADS:
                if tuple(words[i : i + len(head)]) != head or not _spelled_as_head(printed[i], words[i]):
                    continue
                if i > 0 and words[i - 1] in _NOT_HEAD_AFTER.get(head, ()):
                    continue  # "cơ sở", "trụ sở", "cơ quan", "liên quan": not an agency name
                if i + 1 < len(words) and words[i + 1] in _NOT_HEAD_BEFORE.get(head, ()):
                    continue
                if head == ("bo",) and (
                    (i > 0 and words[i - 1] in _NOT_BO_BEFORE)
                    or (i + 1 < len(words) and words[i + 1] in _NOT_BO_AFTER)
                    or words[i + 1 : i + 3] == ["cong", "cu"]
                ):
                    continue  # "cán bộ", "toàn bộ", "bộ phận": not a ministry
                j = i + len(head)
                while j < len(words) and j - i < 10 and not _ends_name(printed[j], words[j]):
                    j += 1
                if j - i > len(head) or head in _WHOLE_NAMES:
                    return i, j, head in _STRONG_HEADS
        return None

    def _is_group(self, name: str | None) -> bool:
        agency = self.registry.get(name) if name else None
        return agency is not None and agency.kind == "group"

    def _opening_body(self, text: str, before: int) -> AgencyMatch | None:
        """A body in no registry whose name, under a strong head, opens the question before ``before`` (where a
        group such as "các HTX" is named): the body the question is about."""
        spans, printed = _word_spans(text)
        span = self._agency_like_span(printed, [fold(w) for w in printed])
        if span is None or span[0] != 0 or not span[2] or spans[span[1] - 1][0] >= before:
            return None
        found = self._fuzzy(" ".join(fold(w) for w in printed[: span[1]]), " ".join(printed[: span[1]]))
        return _unknown_span(printed, 0, span[1]) if found.status == "unknown" else None

    def _inside_other_body(self, text: str, start: int) -> AgencyMatch | None:
        """The unknown body whose name (a strong head such as "Ngân hàng", "Công ty" … and the words after it) runs
        over the place or activity named at ``start``, if any."""
        spans, printed = _word_spans(text)
        branch = _branch_of(printed, [s for s, _ in spans].index(start)) if any(s == start for s, _ in spans) else None
        if branch is not None:  # "Vietcombank chi nhánh Lê Chân": the bank's branch, not the district
            return _unknown_span(printed, *branch)
        span = self._agency_like_span(printed, [fold(w) for w in printed])
        if span is None:
            return None
        first, end, strong = span
        if not strong or not spans[first][0] < start < (spans[end - 1][0] + len(spans[end - 1][1])):
            return None
        if any(tuple(fold(w) for w in printed[first : first + len(h)]) == h for h in _OWNING_HEADS):
            return None  # "Ủy ban MTTQ …", "UBND quận …": the name goes on with the body's own words
        found = self._fuzzy(" ".join(fold(w) for w in printed[first:end]), " ".join(printed[first:end]))
        if found.status != "unknown":
            return None
        return AgencyMatch(
            status="unknown",
            text=found.text,
            rest=" ".join(printed[:first] + printed[end:]),
            state_body=True,
        )

    def _elsewhere(self, after: str, name: str) -> bool:
        """Whether the words right after a body's name place it in another province or city: "Sở Công Thương tỉnh
        Quảng Ninh", "Sở Y tế TP Hồ Chí Minh" are not the city's own (a province merged into the city, named in the
        registry — "tỉnh Hải Dương" — is)."""
        printed = _WORD.findall(after)
        words = [fold(w) for w in printed]
        if len(words) >= 2 and printed[0].lower() in ("tỉnh", "tinh"):
            own = self.registry.find_mentions(after)
            return not (own and own[0].start <= after.lower().index(printed[0].lower()))
        if words[:2] == ["thanh", "pho"]:
            words = words[2:]
        elif words[:1] == ["tp"]:
            words = words[1:]
        elif not fold(name).endswith(("thanh pho", " tp")):
            return words[:3] in _OTHER_CITIES or words[:2] in _OTHER_CITIES or words[:1] in _OTHER_CITIES
        return words[:3] in _OTHER_CITIES or words[:2] in _OTHER_CITIES or words[:1] in _OTHER_CITIES

    def _owners_of_aliases_starting(self, prefix: str) -> list[str]:
        """The agencies with an alias that starts with ``prefix`` (folded), in alias order."""
        aliases = self._sorted_aliases
        owners: list[str] = []
        for alias, owner in aliases[bisect_left(aliases, (prefix, "")) :]:
            if not alias.startswith(prefix):
                break
            owners.append(owner)
        return list(dict.fromkeys(owners))

    def _fuzzy(self, span: str, printed: str) -> AgencyMatch:
        results = process.extract(span, self._alias_strings, scorer=fuzz.ratio, limit=8, score_cutoff=60)
        expanded = expand_shorthand(span)
        if expanded != span:  # "hiệp hội DN thành phố" and the plans' "Hiệp hội Doanh nghiệp TP": both written out
            results += process.extract(expanded, self._expanded_aliases, scorer=fuzz.ratio, limit=8, score_cutoff=60)
        best_by_agency: dict[str, float] = {}
        head = span.split()[0] if span else ""
        for alias, score, index in results:
            other = alias.split()[0] if alias else ""
            if head != other and head in _HEAD_WORDS and other in _HEAD_WORDS:
                continue  # "Bộ Tài chính" is a ministry, never the "Sở Tài chính" one letter away
            owner = self._alias_owner[index]
            best_by_agency[owner] = max(best_by_agency.get(owner, 0.0), float(score))
        prefix_owners = self._owners_of_aliases_starting(span + " ") if len(span.split()) >= 2 else []
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
        if len(prefix_owners) >= _MANY_MEMBERS and (group := self._common_group(prefix_owners)) is not None:
            return AgencyMatch(status="found", agencies=(group,), text=printed)  # "UBND xã": the group of all xã
        if len(prefix_owners) > 1:
            return self._candidates(prefix_owners, printed)
        return AgencyMatch(status="unknown", text=printed)

    def _common_group(self, names: list[str]) -> Agency | None:
        """The one group every one of ``names`` is (or belongs to), if any (the smallest when several are)."""
        common = {names[0], *self.registry.group_names(names[0])}
        for name in names[1:]:
            common &= {name, *self.registry.group_names(name)}
        groups = sorted(
            (g for n in common if (g := self.registry.get(n)) is not None and g.kind == "group"),
            key=lambda g: len(g.members),
        )
        return groups[0] if groups else None

    def _candidates(self, names: list[str], span: str) -> AgencyMatch:
        agencies = tuple(a for n in dict.fromkeys(names) if (a := self.registry.get(n)) is not None)
        return AgencyMatch(status="ambiguous", agencies=agencies[:6], text=span)


_NATIONAL = (("viet", "nam"), ("trung", "uong"), ("quoc", "gia"))
# The other centrally-run cities, folded as typed: a body's name followed by one is that city's ("Sở Y tế Hà Nội").
_OTHER_CITIES = [["ha", "noi"], ["ho", "chi", "minh"], ["hcm"], ["da", "nang"], ["can", "tho"], ["hue"], ["sai", "gon"]]


_PLACE_WORD = re.compile(r"\s*(\S+)")
_PLACE_HEADS = frozenset({"tinh", "thanh", "pho", "tp", "tp."})


def _place_length(after: str) -> int:
    """How many characters of ``after`` name the place a body's name is followed by: "tỉnh Quảng Ninh", "Việt Nam",
    "TP Hồ Chí Minh" (a place word, then the capitalised words)."""
    end = 0
    for count, word in enumerate(_PLACE_WORD.finditer(after)):
        token = word.group(1)
        if count >= 5 or not (token[:1].isupper() or fold(token) in _PLACE_HEADS):
            break
        end = word.end()
    return end


_OWNING_HEADS = (("ubnd",), ("uy", "ban"))  # heads whose name goes on with a place: "UBND quận …" is the district's


def _after_strong_head(before: str) -> bool:
    """Whether ``before`` ends with the head of another body's name ("Công an", "Chi cục Thuế"): a district named
    right after it is that body's place, not the district's People's Committee."""
    words = _folded(before).split()
    return any(
        tuple(words[-len(head) :]) == head
        for head in _STRONG_HEADS
        if head not in _OWNING_HEADS and len(words) >= len(head)
    )


def _names_other_city(words: list[str]) -> bool:
    """Whether a name's folded words hold another centrally-run city's name ("… Hà Nội", "… TP Hồ Chí Minh")."""
    return any(words[i : i + len(city)] == city for city in _OTHER_CITIES for i in range(len(words)))


def _national(after: str, name: str) -> bool:
    """Whether the words right after a local body's name make it a national one: "Liên minh Hợp tác xã Việt Nam",
    "Ngân hàng … Trung ương" are not the city's "Liên minh Hợp tác xã và Doanh nghiệp thành phố"."""
    following = tuple(fold(after).split()[:2])
    return following in _NATIONAL and not any(" ".join(words) in fold(name) for words in _NATIONAL)


# Acronyms that are no body: plan and document codes ("KH", "QĐ", "NQ"), and the ones chat uses for words.
_NOT_BODIES = frozenset("kh kh-ubnd ubnd qd nq tw cp nd tt hd ct ok hi sos faq pdf docx xlsx".split())


_CAMEL = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]*)+")  # a brand written with capitals inside: "WinMart", "VinFast"
_CAPITALISED = re.compile(r"[A-Z][a-z]{3,}")  # "Agribank": no Vietnamese letter, no mark
_BRANCH = ("chi", "nhanh")


def _unknown_acronym(
    text: str, known: Callable[[str], bool], typo: Callable[[str], bool] = lambda w: False
) -> tuple[int, int] | None:
    """Where an acronym, a brand with capitals inside or a foreign name no plan uses names a body ("KOICA Hàn Quốc",
    "VNPT Hải Phòng", "WinMart", "Agribank chi nhánh …"), as word positions: the name and the capitalised words after
    it, up to a word that ends a name; None when there is none. A code in a document's number ("45/KH-SNV") is no
    body. A foreign name counts where it cannot be the capital of a sentence's first word ("Camera giám sát …"): after
    it, or followed by another capitalised word or by "chi nhánh"; and never when it is a plan word mistyped."""
    found = list(_WORD.finditer(text))
    printed = [m.group() for m in found]
    if all(w.isupper() for w in printed if w.isalpha()):
        return None  # a question typed in capitals has no acronyms to tell apart
    for i, match in enumerate(found):
        word = match.group()
        letters = word.replace("&", "")
        folded = fold(word)
        if len(letters) < 3 or not letters.isalpha() or folded in _NOT_BODIES:
            continue
        if not letters.isupper() and not _CAMEL.fullmatch(letters):  # "VNPT", and brands such as "WinMart"
            if not _foreign_name(printed, i, typo):
                continue
        if text[max(0, match.start() - 1) : match.start()] in ("-", "/"):
            continue  # "KH-SNV", "QĐ/UBND": a document's code
        if known(folded) or expand_shorthand(folded) != folded:
            continue  # a word of the plans ("OCOP"), or chat shorthand for one ("HTX")
        end = i + 1
        while end < len(printed) and end - i < 5 and printed[end][:1].isupper():
            if _ends_name(printed[end], fold(printed[end])):
                break
            end += 1
        if tuple(fold(w) for w in printed[end : end + 2]) == _BRANCH:  # "… chi nhánh Hải Phòng": its branch
            end += 2
            while end < len(printed) and printed[end][:1].isupper():
                if _ends_name(printed[end], fold(printed[end])):
                    break
                end += 1
        return i, end
    return None


def _branch_of(printed: list[str], place: int) -> tuple[int, int] | None:
    """When the place at word ``place`` follows "<capitalised name> chi nhánh", the word positions of the whole
    name: the capitalised words, "chi nhánh" and the place's capitalised words."""
    if place < 3 or tuple(fold(w) for w in printed[place - 2 : place]) != _BRANCH:
        return None
    first = place - 2
    while first > 0 and place - 2 - first < 4 and printed[first - 1][:1].isupper():
        first -= 1
    if first == place - 2:
        return None  # "… chi nhánh Lê Chân" with no name before it
    end = place
    while end < len(printed) and end - place < 4 and printed[end][:1].isupper():
        end += 1
    return first, end


def _word_spans(text: str) -> tuple[list[tuple[int, str]], list[str]]:
    """The words of ``text`` with where each starts, and the words alone as printed."""
    spans = [(m.start(), m.group()) for m in _WORD.finditer(text)]
    return spans, [w for _, w in spans]


def _unknown_span(printed: list[str], start: int, end: int) -> AgencyMatch:
    """The words ``printed[start:end]`` as the name of a body in no registry (never a topic)."""
    return AgencyMatch(
        status="unknown",
        text=" ".join(printed[start:end]),
        rest=" ".join(printed[:start] + printed[end:]),
        state_body=True,
    )


def _foreign_name(printed: list[str], i: int, typo: Callable[[str], bool]) -> bool:
    """Whether ``printed[i]`` is a name in a foreign spelling ("Agribank", "Yagi"): capitalised, with no shape of a
    Vietnamese syllable, no plan word mistyped, and not merely the first word of the question."""
    word = printed[i]
    folded = word.lower()
    if not _CAPITALISED.fullmatch(word) or is_syllable(folded) or typo(folded):
        return False
    following = tuple(fold(w) for w in printed[i + 1 : i + 3])
    return i > 0 or following == _BRANCH or (i + 1 < len(printed) and printed[i + 1][:1].isupper())


# Words that head a body's name only when a proper name follows them: "Quỹ Đầu tư phát triển …", "Viện Nghiên cứu …",
# "Trường Chính trị …", "Trung tâm Xúc tiến …".
_NAME_HEADS: tuple[tuple[str, ...], ...] = (
    ("quy",), ("benh", "vien"), ("hoc", "vien"), ("vien",), ("truong",), ("trung", "tam"),
)  # fmt: skip
_NAME_HEAD_SPELLING = {"quy": "quỹ", "benh": "bệnh", "hoc": "học", "vien": "viện", "truong": "trường", "tam": "tâm"}


def _named_body(
    printed: list[str],
    words: list[str],
    known: Callable[[str], bool],
    written_pair: Callable[[str], bool] | None = None,
) -> tuple[int, int] | None:
    """Where a fund, a hospital, an institute, a school or a centre is named by a proper name the plans never write
    ("Quỹ Đầu tư phát triển Hải Phòng", "Bệnh viện Việt Tiệp"), as word positions up to a word that ends the name.
    The plans' own ("Quỹ Hỗ trợ phát triển hợp tác xã") is a topic they treat: the pair of the head and the name's
    first word is a pair the plans write (``written_pair``, marks and all, when both are typed with their marks:
    "Trường Chính trị" is no "chủ trương chính sách"; else ``known``, folded)."""
    for i in range(len(words)):
        for head in _NAME_HEADS:
            j = i + len(head)
            if tuple(words[i:j]) != head or j >= len(words) or not printed[i][:1].isupper():
                continue
            typed = printed[i : i + len(head)]
            marks = [w.lower() == _NAME_HEAD_SPELLING.get(f, f) for w, f in zip(typed, head, strict=True)]
            unmarked = all(w.lower() == f for w, f in zip(typed, head, strict=True)) and printed[j] == fold(printed[j])
            if not (all(marks) or unmarked) or not printed[j][:1].isupper() or _ends_name(printed[j], words[j]):
                break  # "Quy Nhơn" is a city, not a fund: the head typed as the head, the name after it
            marked = written_pair is not None and all(marks) and printed[j] != fold(printed[j])
            pair = f"{printed[j - 1]} {printed[j]}".lower() if marked else f"{words[j - 1]} {words[j]}"
            if (written_pair if marked and written_pair is not None else known)(pair):
                break
            end = j + 1
            while end < len(words) and end - i < 10 and not _ends_name(printed[end], words[end]):
                end += 1
            return i, end
    return None


def _folded(text: str) -> str:
    return expand_shorthand(fold(text))


def _headless(name: str) -> bool:
    """Whether a name as typed starts with no word that heads a body's name ("PCCC", "phòng cháy chữa cháy" do;
    "Cảnh sát PCCC", "Sở Y tế", "UBND phường" don't)."""
    words = _folded(name).split()
    return not any(tuple(words[: len(head)]) == head for head in _HEADS)


def _ends_name(printed: str, folded: str) -> bool:
    """Whether a word ends an agency name: an ender as typed, a word without diacritics that folds to one, or chat
    shorthand for one ("dc" for "được")."""
    lowered = printed.lower()
    if folded not in _FOLDED_ENDERS:
        expanded = expand_shorthand(folded).split()
        return lowered == folded and bool(expanded) and expanded[0] != folded and expanded[0] in _FOLDED_ENDERS
    return lowered in _ENDERS or lowered == folded


def _spelled_as_head(printed: str, folded: str) -> bool:
    """Whether a word typed as ``printed`` can be the head ``folded``: spelled so, or typed without marks."""
    lowered = printed.lower()
    return lowered == folded or lowered == _HEAD_SPELLING.get(folded, folded)
