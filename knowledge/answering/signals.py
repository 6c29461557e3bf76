"""Everything the routing rules look at, read once per question: cue words, agencies and their role, plans and
tasks named, the period named, and (on demand, remembered) the tasks its topic fits. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import cast

from knowledge.answering.agency_resolution import AgencyMatch
from knowledge.answering.catalogue import SCHEME, Catalogue, Passage
from knowledge.answering.plan_resolution import PlanMention, TaskRef, find_missing_refs, find_plans, find_task_refs
from knowledge.answering.question import Question, read_question
from knowledge.answering.time_window import TimeWindow, names_period, read_window
from knowledge.answering.vocabulary import CUE_NAMES, CueBook, CueName, cue_book
from knowledge.base import KnowledgeBase
from knowledge.records import Agency, Task
from knowledge.text import clauses, expand_shorthand, fold
from knowledge.time_phrase_tokens import key as time_key
from knowledge.topic_index import Hit, index_terms

__all__ = ["WINDOW_CUES", "Signals", "TopicProbe", "read_signals"]

_WORD = re.compile(r"[\w&]+")
_MOVED_TO = frozenset("da nhap chuyen gui tro quay dua".split())  # words before a "về" that is a motion


class TopicProbe:
    """Topic searches over the tasks, remembered for the question: rules may ask the same thing more than once."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._catalogue = catalogue
        self._index = catalogue.topics
        self._memo: dict[tuple[str, int, frozenset[str] | None], tuple[Hit[Task], ...]] = {}

    def tasks(self, text: str, *, limit: int = 5, plans: frozenset[str] | None = None) -> tuple[Hit[Task], ...]:
        """Tasks that fit ``text``; with ``plans`` (plan numbers), only theirs."""
        key = (text, limit, plans or None)
        found = self._memo.get(key)
        if found is None:
            within = self._catalogue.subset(plans) if plans else None
            found = tuple(self._index.search(text, limit=limit, within=within))
            self._memo[key] = found
        return found

    def passages(self, text: str, *, limit: int = 3) -> tuple[Hit[Passage], ...]:
        """Plan body passages (objectives, general duties) that fit ``text``."""
        return tuple(self._catalogue.search_passages(text, limit=limit))

    def names_outside(self, phrase: str) -> bool:
        """Whether a plan here writes ``phrase`` (folded), a phrase of a cue class of things plans do not deal with
        (``own_procedure``: a person's papers and filings)."""
        return phrase in self._catalogue.outside_written

    def rewords_outside(self, phrase: str) -> bool:
        """Whether the thesaurus names ``phrase`` (folded), a phrase of such a class, as everyday words for a plan's
        term ("quyết toán thuế" for the plans' "thuế")."""
        return phrase in self._catalogue.outside_held

    def knows(self, word: str) -> bool:
        """Whether the plans (tasks, bodies) or the thesaurus use ``word`` (folded)."""
        return self._catalogue.knows(word)

    def writes(self, word: str) -> bool:
        """Whether the plans write ``word`` (lower case) exactly so, marks and all."""
        return self._catalogue.writes(word)

    def informative(self, word: str) -> bool:
        """Whether ``word`` (folded) tells tasks apart: not one most tasks have ("hợp tác xã" in a cooperative plan).
        A word no task has is informative: it is something the tasks do not treat."""
        return self._index.index.weight(word) > 0

    def covers(self, text: str, hit: Hit[Task]) -> float:
        """How much of ``text`` the task of ``hit`` covers, however little (0 when it shares no word)."""
        return self._index.index.covers(text, hit.doc)

    def coverage(self, text: str) -> float:
        """How much of ``text`` the best-fitting task covers (0 when none fits)."""
        hits = self.tasks(text)
        return hits[0].coverage if hits else 0.0


@dataclass(frozen=True, kw_only=True, slots=True)
class Signals:
    """What a question says, read once."""

    question: Question
    cues: frozenset[CueName]
    content_words: int  # words that are not fillers ("ạ", "nhé", "bạn" …) or greetings
    agencies: AgencyMatch
    agency_is_subject: bool  # the agency named is what the question is about, not a word inside a topic
    agency_has_tasks: bool  # some agency named leads or coordinates a task
    rest: str  # the question without the agency names
    rest_cues: frozenset[CueName]
    cues_beside_status: frozenset[CueName]  # the cues of the words outside "còn hiệu lực", "hết hạn" … phrases
    rest_terms: tuple[str, ...]  # informative words besides the agency names
    terms_beyond_reporting: int  # informative words that are not reporting words ("báo cáo", "gửi" …)
    plans: tuple[PlanMention, ...]
    task_refs: tuple[TaskRef, ...]
    sections: tuple[tuple[str, str], ...]  # groups of tasks the question names by their title (plan, section title)
    missing_refs: tuple[TaskRef, ...]  # ids shaped like a task's that no plan (or not the plan named) has
    missing_schemes: tuple[str, ...]  # schemes named by number that no plan names ("Đề án 844")
    window: TimeWindow | None  # the period the question names
    time_phrase: str  # a time phrase the question quotes as tasks write it ("ghi thời gian “Năm 2018 - 2020”"), keyed
    period_named: bool
    first_person: bool  # the asker speaks for their own agency
    own_kind: bool  # … naming it by its kind alone ("việc Sở mình phải làm", from an officer of a Sở)
    yes_no: bool  # asked as a yes/no question ("có … không", "đã … chưa", "… phải không")
    topic: str  # the question without agency names and plan mentions (folded words): what its tasks are about
    about: str  # what follows "về", "liên quan đến" besides agency names ("Sở X có việc gì về vốn" → "von")
    asker: str | None  # the asker's agency, canonical name
    previous_plans: tuple[str, ...]  # the plans of the chat's previous answer ("kế hoạch này")
    today: date
    topics: TopicProbe = field(repr=False)

    def has(self, *names: CueName) -> bool:
        """Whether any of the cue classes ``names`` occurs in the question."""
        return any(name in self.cues for name in names)


def read_signals(
    text: str,
    catalogue: Catalogue,
    *,
    today: date,
    asker: str | None = None,
    previous_plans: tuple[str, ...] = (),
    book: CueBook | None = None,
) -> Signals:
    """Read ``text`` once: every signal the routing rules use."""
    book = book or cue_book()
    question = read_question(text)
    cues = book.scan(question.words, question.marked)
    fillers = book.words_of("filler")
    reporting = book.words_of("report_vocabulary")
    content_words = sum(1 for w in question.words if w not in fillers)
    plans = find_plans(question, catalogue.directory)
    match = catalogue.finder.find(
        question,
        plan_titles=tuple(m.text for m in plans if m.kind == "title"),
        known=catalogue.knows,
        typo=catalogue.is_typo,
        written_pair=catalogue.writes_pair,
    )
    rest_words = expand_shorthand(fold(match.rest)).split() if match.rest else []
    is_subject = _agency_is_subject(question, cues, match, catalogue, names_plan=bool(plans))
    own_kind = asker is not None and (
        _names_own_kind(question.text, asker)
        if match.status == "none"
        else _names_own_kind(question.text, asker, beside_other=True)
    )
    # an activity a body is named after ("PCCC"), inside a topic, stays in the topic
    topic_words = rest_words if match.status == "found" and (is_subject or not match.headless) else question.words
    kb = catalogue.kb
    probe = TopicProbe(catalogue)
    return Signals(
        question=question,
        cues=cues,
        content_words=content_words,
        agencies=match,
        agency_is_subject=is_subject,
        agency_has_tasks=match.status == "found" and any(_has_tasks(kb, a, today) for a in match.agencies),
        rest=match.rest,
        rest_cues=book.scan(rest_words),
        cues_beside_status=(
            book.scan(book.without(question.words, "in_force", "ended")) if cues & {"in_force", "ended"} else cues
        ),
        rest_terms=tuple(index_terms(match.rest)[0]) if match.rest else (),
        terms_beyond_reporting=sum(1 for w in index_terms(question.text)[0] if w not in reporting),
        plans=plans,
        task_refs=find_task_refs(question, catalogue.directory, plans),
        missing_refs=find_missing_refs(question, catalogue.directory, plans),
        missing_schemes=tuple(
            f"Đề án {m.group(1)}"
            for m in SCHEME.finditer(question.expanded)
            if (m.group(1).lstrip("0") or "0") not in catalogue.schemes
        ),
        sections=(
            catalogue.sections_titled(frozenset(book.without(list(question.words), "section_word")))
            or catalogue.groups_headed(book.after(question.words, "section_word", question.marked))
            if "section_word" in cues
            else ()
        ),
        window=read_window(question, cues, today),
        time_phrase=_time_phrase(question.text, catalogue.time_keys),
        period_named="window" in cues or names_period(question),
        first_person=bool(cues & {"mine", "self_speaking"}) or own_kind,
        own_kind=own_kind,
        yes_no=_yes_no(question.words, book),
        topic=_without(list(topic_words), plans),
        about=_about(match.rest if match.status == "found" else question.text, book, probe),
        asker=asker,
        previous_plans=previous_plans,
        today=today,
        topics=probe,
    )


_QUOTED = re.compile(r"[\"“”'‘’«»]([^\"“”'‘’«»]{2,60})[\"“”'‘’«»]")
_AFTER_TIME_WORD = re.compile(r"\bthoi (?:gian|han)(?: (?:thuc hien|hoan thanh))?(?: (?:la|ghi|de))? (?P<rest>.+)$")


def _time_phrase(text: str, known: frozenset[str]) -> str:
    """The key of a time phrase some task writes, when the question quotes it or names it after "thời gian" /
    "thời hạn" ("những việc ghi thời gian “Thường xuyên”"); "" otherwise."""
    for quoted in _QUOTED.findall(text):
        if (found := time_key(quoted)) in known:
            return found
    after = _AFTER_TIME_WORD.search(time_key(text))
    if after is None:
        return ""
    words = after["rest"].split()
    for end in range(len(words), 0, -1):
        phrase = " ".join(words[:end])
        if phrase in known and (end >= 2 or any(c.isdigit() for c in phrase)):
            return phrase
    return ""


def _has_tasks(kb: KnowledgeBase, agency: Agency, today: date) -> bool:
    """Whether the agency, its groups or a body linked by succession leads or coordinates a task."""
    names = [*kb.responsible_names(agency), *(s.name for s in kb.stand_ins(agency, today=today))]
    return any(kb.lead_count(n) or kb.coordinator_count(n) for n in names)


def _yes_no(words: tuple[str, ...], book: CueBook) -> bool:
    """ "có … không", "đã … chưa", "… phải không": a final "không"/"chưa" (fillers aside) after "có", "đã" …."""
    fillers = book.words_of("filler") | {"nhi", "vay", "the"}
    content = list(words)
    while content and content[-1] in fillers:
        content.pop()
    if len(content) < 2:
        return False
    ends = book.classes["yes_no_end"]
    ending = next((n for n in (2, 1) if " ".join(content[-n:]) in ends), 0)
    if not ending:
        return False
    return bool(book.scan(content[:-ending]) & {"yes_no_verb"}) or ending == 2


def _without(words: list[str], plans: tuple[PlanMention, ...]) -> str:
    """``words`` without the plan mentions in them."""
    text = " ".join(words)
    for mention in plans:
        text = text.replace(mention.text, " ")
    return " ".join(text.split())


def _about(text: str, book: CueBook, topics: TopicProbe) -> str:
    """The words after the first "về"/"liên quan đến" … of ``text``, as typed (the topic an agency's tasks are asked
    about), when they say something that tells tasks apart. The topic ends with its clause: a clause after a comma
    belongs to it only when some task treats that clause too ("về vốn, đất đai"), not when it is talk ("…, tôi nghe
    nói …"); words most tasks have ("hợp tác xã" in a cooperatives plan) ask about nothing in particular."""
    spans = list(_WORD.finditer(text))
    words = [expand_shorthand(fold(m.group())) for m in spans]
    markers = sorted((tuple(p.split()) for p in book.classes["about"]), key=len, reverse=True)
    for i in range(len(words)):
        if words[i] == "ve" and i > 0 and words[i - 1] in _MOVED_TO:
            continue  # "nay đã về Sở Tài chính", "sáp nhập về": a body moved, not what its tasks are about
        for marker in markers:
            if tuple(words[i : i + len(marker)]) == marker:
                if i + len(marker) >= len(spans):
                    return ""
                first, *others = clauses(text[spans[i + len(marker)].start() :])
                kept = [first, *(c for c in others if _goes_on(c, book, topics))]
                after = " ".join(" ".join(_WORD.findall(c)) for c in kept)
                said = book.without(expand_shorthand(fold(after)).split(), *_TALK)
                return after if any(topics.informative(w) for w in index_terms(" ".join(said))[0]) else ""
    return ""


_TALK: frozenset[CueName] = frozenset({"filler", "self", "self_speaking", "courtesy", "greeting"})
_LISTED_WORDS = 4  # a clause of so few words that say something, after a comma, may be the next item of a list
_LISTED_COVERAGE = 0.5  # … when some task covers this much of it
_CLAUSE_COVERAGE = 0.75  # a longer clause goes on with the topic when some task covers this much of it


def _goes_on(clause: str, book: CueBook, topics: TopicProbe) -> bool:
    """Whether a clause after a comma goes on with the topic before it: an item of a list, or more of the work; not
    talk ("anh em vẫn hay hỏi": a clause with a person spoken of or to)."""
    terms = index_terms(clause)[0]
    if not terms or book.scan(expand_shorthand(fold(clause)).split()) & _TALK:
        return False
    short = len(terms) <= _LISTED_WORDS
    return topics.coverage(clause) >= (_LISTED_COVERAGE if short else _CLAUSE_COVERAGE)


# Cues a question about anything has: a name with no head word beside only these names no body asked about.
_SMALL_TALK_CUES: frozenset[CueName] = frozenset(
    {"greeting", "courtesy", "filler", "question_word", "yes_no_end", "yes_no_verb"}
)
# the periods named relative to today: "window" and every "window_…" class of the vocabulary
WINDOW_CUES: frozenset[CueName] = frozenset(
    cast(CueName, name) for name in CUE_NAMES if name == "window" or name.startswith("window_")
)
_ELSEWHERE_COVERAGE = 0.5  # below this, no task treats what is asked about the place
_PLACES = frozenset({"commune", "district"})  # People's Committees named by their place
_DEADLINE_CUES: frozenset[CueName] = frozenset({"deadline", "upcoming", "soon", "overdue", *WINDOW_CUES})
_AT_PLACE = re.compile(r"\b(?:o|tai|song o|nha o)\s*$")  # "… ở phường X", "tại xã Y": where, not who
_STORY_WORDS = 20  # a message this long tells a story: a place in it is where it happens
_ELSEWHERE_TERMS = 2  # informative words a question needs besides a place's name to be about something else


def _about_something_else(rest: str, catalogue: Catalogue) -> bool:
    """Whether the words besides a place's name are a topic of their own that no task treats."""
    if len(index_terms(rest)[0]) < _ELSEWHERE_TERMS:
        return False
    hits = catalogue.topics.search(rest, limit=1)
    return not hits or hits[0].coverage < _ELSEWHERE_COVERAGE


# Words around a bare "Sở" that make it some other department, or any: "sở nào", "các sở", "sở khác".
_OTHER_THAN_OWN_BEFORE = frozenset("cac nhung moi tung cung nhieu vai hai ba".split())
_OTHER_THAN_OWN_AFTER = frozenset("nao gi khac nganh ban".split())


def _names_own_kind(text: str, asker: str, *, beside_other: bool = False) -> bool:
    """Whether ``text`` names the asker's body by its kind alone, as its own staff do: "việc Sở mình phải làm" from
    an officer of a Sở, "xã em", "phường tôi" from a commune's or a ward's. The kind typed with its marks, or
    followed by a word for oneself ("so" alone may be "số", "xa" "xa"); not "sở nào", "các sở", "sở khác". With
    ``beside_other`` (another agency is named too), only the kind followed by a word for oneself counts."""
    kinds = _own_kinds(asker)
    words = re.findall(r"\w+", text.lower())
    for i, word in enumerate(words):
        folded = fold(word)
        if folded not in kinds:
            continue
        before = fold(words[i - 1]) if i > 0 else ""
        after = fold(words[i + 1]) if i + 1 < len(words) else ""
        if after in _SELF_WORDS:
            return True
        if beside_other or word == folded or word != kinds[folded]:
            continue  # typed without marks, or with other marks than the asker's name has
        if before not in _OTHER_THAN_OWN_BEFORE and after not in _OTHER_THAN_OWN_AFTER:
            return True
    return False


_SELF_WORDS = frozenset("minh toi em ta chung".split())  # "xã mình", "phường tôi", "sở chúng tôi"


def _own_kinds(asker: str) -> dict[str, str]:
    """The words for the kind of the asker's body, folded → as written: "Sở Tài chính" → sở; "UBND xã An Lão" →
    xã; "Ủy ban nhân dân phường X" → phường."""
    words = asker.lower().split()
    if not words:
        return {}
    folded = [fold(w) for w in words]
    if folded[0] == "ubnd" and len(words) > 1:
        return {folded[1]: words[1]}
    if folded[:4] == ["uy", "ban", "nhan", "dan"] and len(words) > 4:
        return {folded[4]: words[4]}
    return {folded[0]: words[0]} if len(words[0]) >= 2 else {}


def _agency_is_subject(
    question: Question, cues: frozenset[CueName], match: AgencyMatch, catalogue: Catalogue, *, names_plan: bool = False
) -> bool:
    """Whether the agency named is what the question is about (not an incidental word in a topic)."""
    if match.status == "none":
        return False
    asks_tasks = "agency_tasks" in cues
    short = len(question.words) <= len(match.text.split()) + 2  # little besides the name: "sở xây dựng?"
    if match.status == "unknown":
        return asks_tasks
    if match.status == "ambiguous":
        return asks_tasks or short
    before = len(question.text[: match.start].split())
    if match.headless and before > 2 and not short and "agency_tasks" not in cues:
        return False  # "… nghiệm thu PCCC là khi nào": an activity a body is named after, inside a topic
    if match.headless and not short and not names_plan and cues <= _SMALL_TALK_CUES:
        return False  # a place (or an activity) named in a question that asks nothing about work: not the body
    places = not names_plan and all(a.kind in _PLACES for a in match.agencies)
    if (
        places
        and not short
        and cues <= _SMALL_TALK_CUES | WINDOW_CUES | {"report_vocabulary"}  # its syllables: "định" of "định đưa"
        and _about_something_else(match.rest, catalogue)
    ):
        return False  # "quận X mai có mất điện không": a place where something else happens
    if (
        places
        and len(question.words) >= _STORY_WORDS
        and _AT_PLACE.search(fold(question.text[: match.start]))
        and _about_something_else(match.rest, catalogue)
    ):
        return False  # "Chị là xã viên ở phường X. … kiện ở đâu?": where the asker lives, in a story of other things
    if any(a.kind != "group" for a in match.agencies):
        return True
    leads = any(catalogue.kb.lead_count(a.name) for a in match.agencies)
    if not leads and before > 2 and not short:
        return False  # "hướng dẫn các hợp tác xã vận tải…": a collective inside a topic, not the subject
    if leads and before == 0 and cues & _DEADLINE_CUES:
        return True  # "UBND xã phường có hạn gì trong tháng 12": the group's deadlines
    return asks_tasks or short
