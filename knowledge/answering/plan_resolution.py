"""Which plans and which tasks a question names. Pure.

Plans are named by number ("KH 435", "kế hoạch số 112", "435/KH-UBND"), by period or year ("kế hoạch 2024-2025",
"kế hoạch năm 2026"), by title words ("kế hoạch chuyển đổi số"), or as "kế hoạch này" (the plan of the chat's
previous answer). Tasks are named by id, alone or with their plan: "XV.6", "chi tiết 3", "3 kế hoạch 120", "120:3",
"mục 3 KH 120", "mục 6 phần XV".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from knowledge.answering.question import Question
from knowledge.records import Plan
from knowledge.text import fold
from knowledge.topic_index import index_terms

__all__ = ["PlanDirectory", "PlanMention", "TaskRef", "find_missing_refs", "find_plans", "find_task_refs"]

MentionKind = Literal["number", "period", "title", "this", "all"]

# "kế hoạch số 435", "kh 435/kh-ubnd", "chương trình 12" (folded, shorthand expanded: "kh" reads "ke hoach").
_PLAN_WORD = r"(?:ke hoach|kh|chuong trinh)"
_BY_NUMBER = re.compile(rf"\b{_PLAN_WORD}\s+(?:so\s+)?(\d{{1,5}})\b(?!\s+ngay\b)")
_SLASHED_NUMBER = re.compile(r"(?<![\w/])(\d{1,5})\s*/\s*KH\b", re.IGNORECASE)  # on the text: "435/KH-UBND"
_NUMBER_THEN_KIND = re.compile(r"\b(\d{1,5})\s+(?:kh|ke hoach)(?:\s+(?:ubnd|[a-z]{2,6}))?\b")
_BY_PERIOD = re.compile(
    rf"\b{_PLAN_WORD}\s+(?:so\s+)?(?:nam\s+|giai doan\s+|gd\s+|cua nam\s+)?((?:19|20)\d\d)"
    r"(?:\s+(?:den\s+)?((?:19|20)\d\d))?\b"
)
_PERIOD_ALONE = re.compile(r"\b(?:giai doan|gd|thoi ky)\s+((?:19|20)\d\d)\s+(?:den\s+)?((?:19|20)\d\d)\b")
# a plan word a few words before such a period: "kế hoạch phát triển kinh tế tập thể giai đoạn 2021 - 2025"
_PLAN_WORD_BEFORE = re.compile(rf"\b{_PLAN_WORD}(?:\s+[a-z]+){{0,8}}\s*$")
# a plan named by its title words and one year: "kh chuyển đổi số 2024", "kế hoạch phát triển HTX năm 2023"
_LAW_WORDS = frozenset("luat nghi quyet thong chi nd qd nq tt ct".split())  # "… Luật HTX 2012": the law's year
_TITLE_THEN_YEAR = re.compile(
    rf"\b{_PLAN_WORD}(?:\s+(?!nam\b)[a-z]+){{1,6}}?\s+(?:nam\s+)?((?:19|20)\d\d)\b(?!\s+(?:den\s+)?(?:19|20)\d\d)"
)
# "kế hoạch HTX giai đoạn 2023 - 2025 số 214": a plan's number said as such a few words after the plan word
_NUMBER_LATER = re.compile(
    rf"\b{_PLAN_WORD}\b(?:\s+(?!{_PLAN_WORD}\b|nhiem\b|vu\b|muc\b|viec\b|stt\b)[a-z]+|\s+\d{{4}}){{1,8}}?"
    r"(?<!doi)(?<!ky)(?<!thuat)\s+so\s+(\d{1,5})\b(?!\s+ngay\b)"  # not "chuyển đổi số 5", "chữ ký số 2"
)
_GLUED_NUMBER = re.compile(r"\bkh(\d{1,5})\b")  # "KH435"
# after a plan named by number: more numbers joined to it ("kế hoạch 435 và 38", "KH 12, 38 và 52")
_MORE_NUMBERS = re.compile(rf"\s*(?:,|va|voi|hoac|&)?\s*(?:{_PLAN_WORD}\s+)?(?:so\s+)?(\d{{1,5}})\b(?!\s+ngay\b)")
# every plan, ended ones too: "cả hai kế hoạch", "cả 2 kh", "tất cả các kế hoạch", "mọi kế hoạch"
_ALL_PLANS = re.compile(rf"\b(?:ca\s+(?:\d|hai|ba|bon)\s+|tat ca\s+(?:cac\s+)?|moi\s+){_PLAN_WORD}\b")
_THIS_PLAN = re.compile(rf"\b{_PLAN_WORD}\s+(?:nay|tren|hien tai|vua roi|vua hoi|ay|noi tren)\b")
_TITLE_START = re.compile(rf"\b{_PLAN_WORD}\s+(?:ve\s+|cua\s+)?")
_TITLE_STOP = frozenset(
    "co la gi ai nao bao khi phai duoc do can thi nhung cac cho trong theo va voi ve so nam giai doan".split()
)
_GENERIC_TITLE_WORDS = frozenset("ke hoach thuc hien trien khai tren dia ban thanh pho tinh nam giai doan".split())

# Task ids: "XV.6" (sections in Roman numerals, or groups lettered "B.3"), "120:3" / "435:II.1" (qualified with the
# plan), and plain numbers after a word that makes them an id ("chi tiết 3", "nhiệm vụ số 3", "mục 3 KH 120"). An id
# counts only when some plan has it, so "B.3" is no task unless a plan has a group B with a task 3.
_SECTION = r"[IVXL]{1,6}|[A-Z]"
_ROMAN = re.compile(r"[IVXL]{1,6}")
_ROMAN_ID = re.compile(  # not "điểm b.3": a point of an article
    rf"(?<![\w])(?<!điểm )(?<!diem )({_SECTION})\s*[.\-]\s*(\d{{1,2}})(?![\w])", re.IGNORECASE
)
_QUALIFIED_ID = re.compile(
    rf"(?<![\w/])(\d{{1,5}})(?:/[\w\-]+)?\s*:\s*((?:(?:{_SECTION}|\d{{1,2}})\s*\.\s*)?\d{{1,3}}|\d{{1,2}}\s*\.\s*[a-zđ])(?![\w.])",
    re.I,
)
# duties lettered under a numbered agency paragraph, as prose plans print them: "3.b", "nhiệm vụ 5.b"
_ID_WORD_BEFORE = re.compile(r"\b(?:nhiem vu|muc|chi tiet|stt|so thu tu)\s+(?:so\s+)?$")
_LETTERED_CODE = re.compile(r"\d{1,2}\.[a-zđ]", re.I)
_LETTERED_ID = re.compile(r"(?<![\w.:/])(\d{1,2})\s*\.\s*([a-zđ])(?![\w.])", re.I)
_ITEM_OF_SECTION = re.compile(
    r"\b(?:muc|nhiem vu|so|stt)\s+(\d{1,2})\s+(?:cua\s+)?(?:phan|muc|doan)\s+([ivxl]{1,6}|[a-z])\b"
)
_SECTION_ITEM = re.compile(r"\b(?:phan|muc)\s+([ivxl]{1,6}|[a-z])\s+(?:muc|nhiem vu|so|stt)\s+(\d{1,2})\b")
_PLAIN_ID = re.compile(
    r"\b(?:chi tiet(?:\s+nhiem vu)?|nhiem vu|viec|muc|stt|so thu tu)\s+(?:so\s+)?"
    r"(\d{1,3}(?:\s\d{1,2}\b(?!\s*(?:ngay|thang|nam)))?)\b"  # "3", or "2 4" (a decimal id "2.4", folded)
    r"(?!\s+(?:ngay|thang|nam|tuan|quy|nhiem vu|viec|cong viec)\b)"
)
_OF_PLAN = rf"(?:cua\s+|trong\s+|thuoc\s+)?{_PLAN_WORD}\s+(?:so\s+)?(\d{{1,5}})\b"  # "… của kế hoạch số 12"
_PLAN_AFTER = re.compile(_OF_PLAN)
_PLAIN_ID_OF_PLAN = re.compile(rf"\b(\d{{1,3}})\s+{_OF_PLAN}")


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanMention:
    """A plan named in a question: the plans it stands for (none when no plan has that number)."""

    kind: MentionKind
    text: str  # as found, folded: "ke hoach so 435"
    plans: tuple[str, ...]  # plan numbers, in the knowledge base's order
    number: str = ""  # kind "number": the number as written ("435")
    years: tuple[int, int] | None = None  # kind "period": its first and last year


@dataclass(frozen=True, kw_only=True, slots=True)
class TaskRef:
    """A task id named in a question, with the plan it was named with (None: any plan having that id)."""

    code: str
    plan: str | None = None


@dataclass(frozen=True, slots=True)
class _PlanEntry:
    plan: Plan
    short: str  # "435"
    title_words: frozenset[str]
    years: tuple[int, ...]


class PlanDirectory:
    """The plans of a snapshot, indexed for naming: short numbers, periods, title words, task ids."""

    def __init__(self, plans: Sequence[Plan]) -> None:
        self._entries = [
            _PlanEntry(
                plan=plan,
                short=plan.number.split("/")[0].strip(),
                title_words=frozenset(w for w in index_terms(plan.title)[0] if w not in _GENERIC_TITLE_WORDS),
                years=tuple(plan.period.years()) if plan.period else ((plan.issued_on.year,) if plan.issued_on else ()),
            )
            for plan in plans
        ]
        self._codes: dict[str, list[str]] = {}
        for plan in plans:
            for task in plan.tasks:
                self._codes.setdefault(task.code.upper(), []).append(plan.number)

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(e.plan.number for e in self._entries)

    def by_short_number(self, short: str) -> tuple[str, ...]:
        key = str(int(short)) if short.isdigit() else short
        return tuple(e.plan.number for e in self._entries if e.short == key)

    def by_years(self, first: int, last: int) -> tuple[str, ...]:
        """Plans whose period is exactly ``first``-``last``, else plans whose period covers all of it."""
        exact = [e.plan.number for e in self._entries if e.years and (e.years[0], e.years[-1]) == (first, last)]
        if exact:
            return tuple(exact)
        return tuple(e.plan.number for e in self._entries if e.years and e.years[0] <= first and last <= e.years[-1])

    def period_of(self, number: str) -> tuple[int, int] | None:
        """The first and last year of a plan's period, if it has one."""
        entry = next((e for e in self._entries if e.plan.number == number), None)
        return (entry.years[0], entry.years[-1]) if entry is not None and entry.years else None

    def by_title(self, words: Sequence[str]) -> tuple[str, ...]:
        """Plans whose title holds most of ``words`` (informative, folded); () when none or all plans do."""
        wanted = [w for w in dict.fromkeys(words) if w not in _GENERIC_TITLE_WORDS]
        if len(wanted) < 2 or len(self._entries) < 2:
            return ()
        scored = []
        for entry in self._entries:
            found = sum(1 for w in wanted if w in entry.title_words)
            if found >= 2 and found / len(wanted) >= 0.6:
                scored.append((found, entry.plan.number))
        if not scored or len(scored) == len(self._entries):
            return ()
        best = max(found for found, _ in scored)
        return tuple(number for found, number in scored if found == best)

    def about(self, topic: str) -> frozenset[str]:
        """The plans whose title holds every informative word of ``topic`` ("làng nghề" and a plan on craft
        villages): the topic is then the whole plan's subject, so each of its tasks is about it."""
        words = [w for w in dict.fromkeys(index_terms(topic)[0]) if w not in _GENERIC_TITLE_WORDS]
        if not words:
            return frozenset()
        return frozenset(e.plan.number for e in self._entries if all(w in e.title_words for w in words))

    def has_lettered_ids(self) -> bool:
        """Whether some plan letters its tasks under numbered paragraphs ("5.b")."""
        return any(_LETTERED_CODE.fullmatch(code) for code in self._codes)

    def plans_with_code(self, code: str) -> tuple[str, ...]:
        return tuple(self._codes.get(code.upper(), ()))


def find_plans(question: Question, directory: PlanDirectory) -> tuple[PlanMention, ...]:
    """The plans the question names, in the order named."""
    text = question.expanded
    found: list[tuple[int, PlanMention]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, mention: PlanMention) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append((start, mention))

    slashed = {m.group(1) for m in _SLASHED_NUMBER.finditer(question.text)}  # "435/KH-UBND"
    for m in _NUMBER_THEN_KIND.finditer(text):
        if m.group(1) in slashed:
            plans = directory.by_short_number(m.group(1))
            add(m.start(), m.end(), PlanMention(kind="number", text=m.group(0), plans=plans, number=m.group(1)))
    for m in [*_BY_NUMBER.finditer(text), *_GLUED_NUMBER.finditer(text), *_NUMBER_LATER.finditer(text)]:
        number = m.group(1)
        plans = directory.by_short_number(number)
        if not plans and len(number) == 4 and number[:2] in ("19", "20"):
            continue  # "kế hoạch 2026": a year, read below
        add(m.start(), m.end(), PlanMention(kind="number", text=m.group(0), plans=plans, number=number))
        end = m.end()
        while (more := _MORE_NUMBERS.match(text, end)) is not None:
            plans = directory.by_short_number(more.group(1))
            if not plans:
                break  # "kế hoạch 435 và 2018": not a plan number; leave it to the other readers
            add(
                more.start(1),
                more.end(),
                PlanMention(kind="number", text=more.group(0).strip(), plans=plans, number=more.group(1)),
            )
            end = more.end()
    for m in _ALL_PLANS.finditer(text):
        add(m.start(), m.end(), PlanMention(kind="all", text=m.group(0), plans=directory.numbers))
    for m in _BY_PERIOD.finditer(text):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        if last < first:
            continue
        plans = directory.by_years(first, last)
        add(m.start(), m.end(), PlanMention(kind="period", text=m.group(0), plans=plans, years=(first, last)))
    for m in _PERIOD_ALONE.finditer(text):  # "giai đoạn 2018 - 2020" alone: the plan of exactly that period
        first, last = int(m.group(1)), int(m.group(2))
        exact = tuple(p for p in directory.by_years(first, last) if directory.period_of(p) == (first, last))
        if exact:
            add(m.start(), m.end(), PlanMention(kind="period", text=m.group(0), plans=exact, years=(first, last)))
        elif first <= last and _PLAN_WORD_BEFORE.search(text, 0, m.start()):  # a plan's title, then its period
            plans = directory.by_years(first, last)
            add(m.start(), m.end(), PlanMention(kind="period", text=m.group(0), plans=plans, years=(first, last)))
    for m in _TITLE_THEN_YEAR.finditer(text):  # a year no plan's period holds: that plan is not loaded
        year = int(m.group(1))
        if _LAW_WORDS.isdisjoint(text[m.start() : m.start(1)].split()) and not directory.by_years(year, year):
            add(m.start(1), m.end(1), PlanMention(kind="period", text=m.group(1), plans=(), years=(year, year)))
    for m in _THIS_PLAN.finditer(text):
        add(m.start(), m.end(), PlanMention(kind="this", text=m.group(0), plans=()))
    for m in _TITLE_START.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        words: list[str] = []
        for word in text[m.end() :].split()[:10]:
            if word in _TITLE_STOP:
                break
            numbered = directory.by_short_number(word) if word.isdigit() else ()
            # "kế hoạch du lịch đêm 274": the title words, then the number that settles it; "kế hoạch HTX giai đoạn
            # … số 214": a plan's number said as such, loaded or not
            if numbered or (word.isdigit() and words[-1:] == ["so"]):
                end = m.end() + len(" ".join([*words, word]))
                add(m.start(), end, PlanMention(kind="number", text=text[m.start() : end], plans=numbered, number=word))
                words = []
                break
            words.append(word)
        plans = directory.by_title(words)
        if plans:
            end = m.end() + len(" ".join(words))
            add(m.start(), end, PlanMention(kind="title", text=text[m.start() : end], plans=plans))
    return tuple(mention for _, mention in sorted(found, key=lambda item: item[0]))


def _id_mentions(question: Question) -> Iterator[tuple[str, str | None, bool]]:
    """Every task id the question's words name, as (code, the plan's short number it is qualified with, whether its
    shape alone makes it an id: "XIII.2", "435:3" — not the plain numbers after "mục" or "nhiệm vụ")."""
    qualified = list(_QUALIFIED_ID.finditer(question.text))
    for m in qualified:
        yield re.sub(r"\s+", "", m.group(2)).upper(), m.group(1), True
    for m in _LETTERED_ID.finditer(question.text):
        yield f"{int(m.group(1))}.{m.group(2).lower()}", _plan_after(question.text, m.end()), False
    for m in _ROMAN_ID.finditer(question.text):
        if any(q.start() <= m.start() < q.end() for q in qualified):
            continue  # the id of "38:VII.1" is plan 38's, whichever plan has a VII.1
        code = f"{m.group(1)}.{int(m.group(2))}".upper()
        yield code, _plan_after(question.text, m.end()), _ROMAN.fullmatch(m.group(1).upper()) is not None
    folded = question.folded
    for m in _ITEM_OF_SECTION.finditer(folded):
        yield f"{m.group(2)}.{int(m.group(1))}".upper(), None, False
    for m in _SECTION_ITEM.finditer(folded):
        yield f"{m.group(1)}.{int(m.group(2))}".upper(), None, False
    expanded = question.expanded
    for m in _PLAIN_ID_OF_PLAN.finditer(expanded):  # after "nhiệm vụ", "mục" …: an id, whether the plan has it
        before = expanded[: m.start()].split()[-1:]
        if before and (before[0].isdigit() or _ROMAN.fullmatch(before[0].upper())):
            continue  # the tail of "XV.2 kế hoạch 12" or "2.4 kế hoạch 12", read above
        yield str(int(m.group(1))), m.group(2), bool(_ID_WORD_BEFORE.search(expanded[: m.start()]))
    for m in _PLAIN_ID.finditer(expanded):
        yield ".".join(str(int(part)) for part in m.group(1).split()), None, False  # "chi tiết 2.4" reads "2 4"


def _plan_after(text: str, end: int) -> str | None:
    """The plan number right after an id ("VII.1 kế hoạch 38", "4.b của KH số 12"): the id is that plan's."""
    m = _PLAN_AFTER.match(fold(text[end : end + 40]))
    return m.group(1) if m else None


def find_missing_refs(
    question: Question, directory: PlanDirectory, mentions: Sequence[PlanMention]
) -> tuple[TaskRef, ...]:
    """Ids shaped like a task's ("XIII.2", "435:7") that no plan has (with the plan named with them or in the
    question, when it has no such task): the question asks for a task that does not exist."""
    named = [p for m in mentions if m.kind in ("number", "period", "title") for p in m.plans]
    missing: list[TaskRef] = []
    lettered = directory.has_lettered_ids()
    for code, plan_short, strong in _id_mentions(question):
        if not (strong or (lettered and _LETTERED_CODE.fullmatch(code))):
            continue  # "4.d" is shaped like a task's id only where some plan letters its tasks so
        holders = directory.plans_with_code(code)
        within = directory.by_short_number(plan_short) if plan_short is not None else named
        if plan_short is not None and not within:
            continue  # "8:30" is a time, not plan 8's task 30
        if not holders and not within:
            missing.append(TaskRef(code=code))
        elif within and not any(p in holders for p in within) and (plan_short is not None or not holders):
            missing.extend(TaskRef(code=code, plan=p) for p in within)
    return tuple(dict.fromkeys(missing))


def find_task_refs(
    question: Question, directory: PlanDirectory, mentions: Sequence[PlanMention]
) -> tuple[TaskRef, ...]:
    """Task ids the question names that exist in some plan; qualified with a plan where the question says which."""
    named = [p for m in mentions if m.kind in ("number", "period", "title") for p in m.plans]
    refs: list[TaskRef] = []
    for code, plan_short, _ in _id_mentions(question):
        holders = directory.plans_with_code(code)
        if not holders:
            continue
        if plan_short is not None:
            refs.extend(TaskRef(code=code, plan=p) for p in directory.by_short_number(plan_short) if p in holders)
            continue
        among_named = [p for p in named if p in holders]
        if among_named:
            refs.extend(TaskRef(code=code, plan=p) for p in among_named)
        else:
            refs.append(TaskRef(code=code))
    qualified = {ref.code for ref in refs if ref.plan is not None}
    return tuple(dict.fromkeys(ref for ref in refs if ref.plan is not None or ref.code not in qualified))
