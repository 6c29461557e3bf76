"""What the routing rules read from a question's signals: derived signals, the conditions rules test, and the
queries they build (:mod:`knowledge.answering.routing` holds the table of rules).

Everything here is a pure function of :class:`~knowledge.answering.signals.Signals`.
"""

from __future__ import annotations

import re
from typing import TypedDict

from knowledge.answering.query import Fact, PlanScope, Query, Role
from knowledge.answering.signals import WINDOW_CUES, Signals
from knowledge.answering.thesaurus import words_of
from knowledge.answering.vocabulary import CueName, cue_book
from knowledge.records import Recurrence
from knowledge.text import clauses, expand_shorthand, fold
from knowledge.topic_index import index_terms

__all__ = [
    "DESCRIBED_COVERAGE",
    "TO_THE_CITY",
    "UNKNOWN_BODY_COVERAGE",
    "WHO_COVERAGE",
    "agency_named",
    "agency_query",
    "asks_compare",
    "asks_plan_facts",
    "asks_plan_tasks",
    "asks_rank",
    "asks_recurring_tasks",
    "asks_upcoming",
    "due_topic",
    "facts_asked",
    "incidental",
    "is_blank",
    "mine_beside_unknown",
    "names_a_task",
    "plan_in_question",
    "plan_slots",
    "recurrence_asked",
    "role_of",
    "scope_of",
    "scoped_topic",
    "search_query",
    "sections_named",
    "strong_facts",
    "topic_fits",
    "topic_of",
    "unknown_body_is_subject",
]

WHO_COVERAGE = 0.6  # a "who" question answers from a topic only when the best task covers this much of it
_YES_NO_COVERAGE = 0.75  # a yes/no question names a task only when the best task covers this much of it
_CLAUSE_TERMS = 3  # a clause of a long message searched alone says at least this many words that say something
_CLAUSE_WHOLE = 0.4  # … and the task that clause describes covers at least this much of the whole message
_BARE_TOPIC_COVERAGE = 0.65  # a topic with no cue of a question about tasks must fit at least this well
_TASK_QUESTION_CUES: tuple[CueName, ...] = ("who", "deadline", "agency_tasks", "task_word", "yes_no_task", "report")
DESCRIBED_COVERAGE = 0.5  # a yes/no question describes a task of the plans when one covers this much of it
UNKNOWN_BODY_COVERAGE = 0.75  # below this, an unknown agency-like name beside task words is the subject
_BODY_LEAD_INS = (  # words before a body's name that still open the question with it (longest first)
    "de nghi cho biet", "xin cho biet", "cho toi hoi", "de nghi", "cho biet", "cho hoi", "xin hoi",
    "to chuc", "co quan", "don vi", "quy", "ben", "phia", "doan", "du an", "hiep hoi",
)  # fmt: skip
_STATE_BODY_REST = 16  # words after an unknown state body opening the question that still ask about its tasks


# -- derived signals ----------------------------------------------------------------------------------------------


def agency_named(s: Signals) -> bool:
    return s.agencies.status != "none" and s.agency_is_subject


def _asks_about_one_task(s: Signals) -> bool:
    """When or who of one task the question describes closely ("hạn trình HĐND nghị quyết … là khi nào"): a word
    plan facts also use ("nghị quyết", the basis) or the plan named beside it does not make it a plan fact."""
    if not s.has("deadline", "who") or s.has("signer", "number", "issued", "replaces"):
        return False
    if s.has("issuer") and s.question.has_words("ban hanh"):
        return False  # "kế hoạch số 45 do cơ quan nào ban hành": the plan's issuer, whatever task says "ban hành"
    return s.topics.coverage(_topic_hits_text(s)) >= _YES_NO_COVERAGE


def strong_facts(s: Signals) -> bool:
    """Words that only plan facts use ("ai ký", "thay thế", "số hiệu" …): they win over an agency named."""
    return s.has("signer", "replaces", "issued", "number", "basis") or (s.has("targets") and not s.has("who"))


def scope_of(s: Signals) -> tuple[str, ...]:
    """The agency a deadline list is about: the one named, else the asker's when they speak of themselves."""
    if not (agency_named(s) or s.first_person):
        return ()
    if s.agencies.status == "found" and s.agencies.agencies:
        return (s.agencies.agencies[0].name,)
    if s.first_person and s.asker:
        return (s.asker,)
    return ()


# "không tính việc sở chủ trì", "trừ những việc chủ trì": the lead role set aside, whatever stands between
_LEAD_SET_ASIDE = re.compile(r"\b(?:khong tinh|khong ke|ngoai tru|tru)\b(?: \w+){0,3} chu tri\b")


def role_of(s: Signals) -> Role:
    if s.has("coordinate") and _LEAD_SET_ASIDE.search(s.question.expanded):
        return "coordinator"
    if s.has("both_roles") and not s.has("not_lead"):
        return "any"  # "chủ trì và phối hợp", "kể cả chủ trì": every task the agency holds
    if (
        s.has("lead")
        and s.has("coordinate")
        and not s.has("not_lead", "coordinate_with", "who")
        and len(s.agencies.agencies) == 1
    ):
        return "any"  # one agency, both roles asked apart ("việc X chủ trì, và việc X phối hợp")
    coordinate = s.has("coordinate") and (not s.has("lead") or s.has("not_lead"))
    if (
        coordinate
        and not s.has("not_lead")
        and not s.question.has_words("phoi hop")
        and s.question.has_words("tham gia")
    ):
        return "any"  # "X tham gia việc gì": taking part, in whichever role
    return "coordinator" if coordinate else "lead"


def topic_of(s: Signals) -> str:
    """What the question says besides the agency names (or all of it)."""
    return s.rest if s.agencies.status == "found" and s.rest else s.question.text


def scoped_topic(s: Signals) -> str:
    """The topic without the plans the question names: they are its scope ("KH 435: ai lo …"); folded text then."""
    return s.topic if s.plans and s.topic else topic_of(s)


# Where the work asked about starts in "X có chủ trì việc <work> không" (folded word pairs, then single words).
_WORK_STARTS = (
    ("viec",),
    ("nhiem", "vu"),
    ("chu", "tri"),
    ("phoi", "hop"),
    ("phu", "trach"),
    ("thuc", "hien"),
    ("lo",),  # "X có phải lo <việc> không"
)
_YES_NO_ENDS = frozenset("khong ko k chua a ha nhi vay".split())


def _described(rest: str) -> str:
    """The work a yes/no question describes, as typed: "Trong KH 435, có chủ trì việc chuyển Ban quản lý chợ sang
    HTX không?" → "chuyển Ban quản lý chợ sang HTX" (all of ``rest`` when no marker is found)."""
    typed = re.findall(r"[\w&/.-]+", rest)
    words = [fold(w) for w in typed]
    start = 0
    for marker in _WORK_STARTS:
        for i in range(len(words) - len(marker), -1, -1):
            if tuple(words[i : i + len(marker)]) == marker:
                start = max(start, i + len(marker))
                break
        if start:
            break
    end = len(typed)
    while end > start and words[end - 1] in _YES_NO_ENDS:
        end -= 1
    return " ".join(typed[start:end]) or rest


def _yes_no_topic(s: Signals) -> bool:
    """ "X có phải làm <việc> không", "X có lo <việc> không": a yes/no question about an agency and one task."""
    if not s.has("yes_no_task") or len(s.rest_terms) < 3:
        return False
    # a plan named ("kế hoạch phát triển HTX", "theo KH 45") is the scope, not the work: searched within it
    named = frozenset(p for m in s.plans if m.kind != "this" for p in m.plans)
    work = scoped_topic(s) if named else s.rest
    hits = s.topics.tasks(work, plans=named or None)
    return len(index_terms(work)[0]) >= 3 and bool(hits) and hits[0].coverage >= _YES_NO_COVERAGE


def incidental(s: Signals) -> bool:
    """Whether the agencies named are beside the point: "who does X" questions ("UBND TP giao ai làm …"),
    "X or Y?" questions ("Sở X hay Sở Y lo việc …"), or an agency without tasks named beside a topic."""
    if not s.rest_terms:
        return False  # nothing but the agency's name: the question is about the agency
    either = len(s.agencies.agencies) >= 2 and s.has("either")
    if _yes_no_topic(s):
        return True
    if s.has("agency_tasks") and not s.has("who") and not either:
        return False
    if not s.has("who") and s.agency_has_tasks and not either:
        return False
    return s.topics.coverage(scoped_topic(s) if s.plans else s.rest or s.question.text) >= WHO_COVERAGE


# "sắp" before the words of a deadline: time ("sắp phải xong", "sắp hết hạn"), not a change about to happen
_SOON_DUE = re.compile(r"\bsap (?:phai|xong|het|den|toi|hoan thanh|han|nop|bao cao|dao han|ket thuc)\b")


def asks_upcoming(s: Signals) -> bool:
    if s.has("upcoming"):
        return True
    if s.has("where") and not s.has("deadline", "soon"):
        return False  # "mẫu báo cáo cuối năm lấy ở đâu": a place asked, not the deadlines of a period
    task_or_deadline = s.has("task_word", "deadline")
    if s.has("soon") and task_or_deadline:
        # "việc gì sắp phải xong"; but not "… sắp chuyển sang <a task's work>, ai làm": who does that work
        if _SOON_DUE.search(s.question.expanded):
            return True
        return not (s.has("who") and s.topics.coverage(_topic_hits_text(s)) >= DESCRIBED_COVERAGE)
    if s.has("targets") and s.window is not None and s.window.label.startswith("năm "):
        return False  # "tỷ lệ … vào năm 2020": a target's year, not a period to list deadlines in
    if _asks_target_number(s):
        return False  # "đến hết năm 2027 phải thành lập bao nhiêu …": the horizon of a target, not a period's list
    return s.period_named and task_or_deadline


# What a question about deadlines in a period is made of besides its topic ("tháng 12 có việc gì về <topic> đến hạn").
_DUE_FRAME: tuple[CueName, ...] = (
    *sorted(WINDOW_CUES), "deadline", "upcoming", "soon", "only_within",
    "task_word", "question_word", "filler", "yes_no_end", "yes_no_verb", "courtesy", "greeting", "more", "mine",
    "self", "self_speaking", "agency_tasks", "agency_subject", "lead", "coordinate", "both_roles", "not_lead",
    "count", "how_many", "report", "report_vocabulary", "send", "overdue", "about", "period", "in_force", "plan_word",
)  # fmt: skip
# Words that place a period ("tháng 12", "quý IV", "cuối năm nay") and say nothing of a topic.
_PERIOD_WORDS = frozenset(
    "thang quy nam tuan ngay nay toi sau truoc dau cuoi giua het den tu tai trong ky dot hom mai q1 q2 q3 q4 "
    "i ii iii iv".split()
)


_ACRONYM = re.compile(r"\b[A-ZĐ]{3,6}\b")
_DUE_TOPIC_TERMS = 2  # informative words a period question needs besides its frame to be about a topic


def due_topic(s: Signals) -> str:
    """What a question about deadlines in a period asks about besides the period, the agency and the framing words
    ("tháng 12 có việc gì về đào tạo phải xong" → "đào tạo"), when the plans' tasks treat it or it is said in
    words typed with their marks that the plans never write (a pension, not "số lượng"); "" otherwise. The listing
    is then only of the tasks about it due in the period, none for a topic the plans never name."""
    if s.has("report"):
        return ""  # a report's deadline: the reporting duty is what is asked
    said = words_of(scoped_topic(s))
    keys = [folded for folded, _ in said]
    left = [w for w in cue_book().without(keys, *_DUE_FRAME) if not w.isdigit() and w not in _PERIOD_WORDS]
    terms = index_terms(" ".join(left))[0]
    if sum(map(s.topics.informative, terms)) < _DUE_TOPIC_TERMS:
        return ""  # a word or two of framing ("dạo này", "từ giờ"), or words every task has: no topic
    typed: list[str] = []
    j = 0  # the words left as the asker typed them (``left`` is a subsequence of ``keys``)
    for folded, written in said:
        if j < len(left) and folded == left[j]:
            typed.append(written or folded)
            j += 1
    foreign = sum(1 for w in typed if w != fold(w) and fold(w) in terms and not s.topics.writes(w))
    # an acronym no plan uses ("TNCN") names a whole topic of its own: it counts as much as the words needed
    acronyms = {fold(a) for a in _ACRONYM.findall(s.question.text)} & set(terms)
    foreign += _DUE_TOPIC_TERMS * sum(1 for a in acronyms if not s.topics.knows(a))
    if foreign < _DUE_TOPIC_TERMS and s.topics.coverage(" ".join(left)) < WHO_COVERAGE:
        return ""  # no topic the plans treat, nor one in words they never write: the listing is what is asked
    return " ".join(typed)


# what a question asking a number is made of besides the thing counted ("đến hết 2027 phải … bao nhiêu …")
_NUMBER_FRAME: tuple[CueName, ...] = ("how_many", "task_word", "question_word", "filler", "window", "yes_no_verb")


def _asks_target_number(s: Signals) -> bool:
    """ "đến 2027 thành lập mới bao nhiêu HTX": a number asked, that one of the plans' targets states better than any
    task does (not how many tasks, and no agency named)."""
    if not s.has("how_many") or s.agencies.status == "found":
        return False
    if s.has("count", "agency_word", "lead", "coordinate", "who", "plans_list", "rank_most", "rank_least"):
        return False  # how many tasks, agencies or plans
    said = s.topic.split() if s.plans else list(s.question.words)  # the plan named is the scope, not the target
    words = cue_book().without(said, *_NUMBER_FRAME)
    asked = " ".join(w for w in words if not w.isdigit())  # the horizon's year is the targets' frame too
    targets = [h for h in s.topics.passages(asked) if h.item.kind == "objective"]
    return bool(targets) and targets[0].coverage >= max(WHO_COVERAGE, s.topics.coverage(asked))


def asks_plan_facts(s: Signals) -> bool:
    if _asks_about_one_task(s):
        return False
    if _asks_target_number(s):
        return True
    if s.has("signer", "number", "issued", "issuer", "replaces", "targets", "basis"):
        return True
    if _asks_period(s):
        return True
    if _asks_plan_status(s):
        return True
    return s.has("summary") and len(s.question.words) <= 8


def _asks_period(s: Signals) -> bool:
    """ "kế hoạch 38 kéo dài mấy năm": the period asked — not the period that names the plan an agency's tasks are
    asked in ("UBND xã phải chủ trì gì trong kế hoạch … giai đoạn 2026 - 2027")."""
    if not s.has("period") or not (s.has("plan_word") or plan_in_question(s)):
        return False
    named_by_period = any(m.kind in ("period", "title") and "giai doan" in m.text for m in s.plans) or any(
        m.kind == "period" for m in s.plans
    )
    asks_tasks = s.has("agency_tasks", "task_word") and (s.agencies.status != "none" or s.first_person)
    return not (named_by_period and asks_tasks)


# "báo cáo thành phố", "gửi lên thành phố": the city's People's Committee as the receiver of a report
TO_THE_CITY = ("bao cao", "bao cao ve", "bao cao len", "gui ve", "gui len", "gui", "trinh", "len")


def names_a_task(s: Signals) -> bool:
    """Whether, besides the reporting words, the question describes one task ("… nợ thuế hạn báo cáo …")."""
    return s.terms_beyond_reporting >= 2 and s.topics.coverage(s.question.text) >= WHO_COVERAGE


def unknown_body_is_subject(s: Signals) -> bool:
    """An unknown agency-like name is the subject when the question is about its tasks ("Sở X có nhiệm vụ gì"),
    not when the name-like words sit inside a topic ("việc sơ kết…", "Ban quản lý chợ…")."""
    name = fold(s.agencies.text).split()
    words = s.question.folded.split()
    lead_in = next((len(w.split()) for w in _BODY_LEAD_INS if words[: len(w.split())] == w.split()), 0)
    # punctuation inside the name aside; "Tổ chức GIZ …", "phía KOICA …": a word for a body before its name
    opens = words[: len(name)] == name or words[lead_in : lead_in + len(name)] == name
    if s.agencies.state_body and opens:  # "Bộ Công an chủ trì gì", "… có việc gì trong các kế hoạch này không"
        expanded = expand_shorthand(fold(s.rest))  # the plan named is the scope, not more words about the body
        scope = sum(len(m.text.split()) for m in s.plans if m.text in expanded)
        asked = len(s.rest.split()) - scope
        if not scope and " ke hoach " in f" {expanded} ":  # a plan named by words that name no one plan
            asked = len(f" {expanded} ".split(" ke hoach ", 1)[0].split())
        return asked <= _STATE_BODY_REST and bool(s.rest_cues & {"agency_subject", "agency_tasks", "lead"})
    return len(s.rest.split()) <= 6 and "agency_subject" in s.rest_cues


def _topic_hits_text(s: Signals) -> str:
    """The text whose topic search finds tasks: the question without agency names (and without the plans it names),
    else the whole question; or, in a long message that fits no task well, the clause that describes one."""
    topic = scoped_topic(s)
    found = topic if s.topics.tasks(topic) else ""
    if not found and topic != s.question.text and s.topics.tasks(s.question.text):
        found = s.question.text
    if found and s.topics.coverage(found) >= WHO_COVERAGE:
        return found
    clause = _describing_clause(s, topic)
    if clause and s.topics.coverage(clause) > (s.topics.coverage(found) if found else 0.0):
        return clause
    return found or (topic if topic == s.question.text else s.question.text)


def _describing_clause(s: Signals, topic: str) -> str:
    """A long message that tells a story first ("…, nhà nước có chính sách hỗ trợ … không, ai phụ trách"): the
    clause that describes a task, when it alone fits as well as a short question must and its task covers much of
    the whole message too (not a word or two of small talk around it); "" when none does."""
    parts = [c for c in clauses(topic) if sum(map(s.topics.informative, index_terms(c)[0])) >= _CLAUSE_TERMS]
    if len(parts) < 2:
        return ""
    best = max(parts, key=s.topics.coverage)
    fitting = [h for h in s.topics.tasks(best) if h.coverage >= _BARE_TOPIC_COVERAGE]
    return best if any(s.topics.covers(topic, h) >= _CLAUSE_WHOLE for h in fitting) else ""


def facts_asked(s: Signals) -> tuple[Fact, ...]:
    pairs: tuple[tuple[CueName, Fact], ...] = (
        ("signer", "signer"),
        ("number", "number"),
        ("issued", "issued"),
        ("issuer", "issuer"),
        ("basis", "basis"),
        ("period", "period"),
        ("in_force", "in_force"),
        ("ended", "ended"),
        ("replaces", "replaces"),
        ("targets", "targets"),
    )
    facts = tuple(dict.fromkeys(fact for cue, fact in pairs if cue in s.cues))
    return facts or (("targets",) if _asks_target_number(s) else ())


def plan_slots(s: Signals) -> _PlanSlots:
    """The plans a question is limited to: those it names, else the previous answer's for "kế hoạch này"."""
    named = tuple(dict.fromkeys(p for m in s.plans if m.kind != "this" for p in m.plans))
    if named:
        return {"plans": named, "plan_scope": "named"}
    if any(m.kind == "this" for m in s.plans) and s.previous_plans:
        return {"plans": s.previous_plans, "plan_scope": "previous"}
    if s.has("plan_word") and s.has("ended"):  # "trong các kế hoạch đã kết thúc, …": no plan named, ended ones
        return {"plans": (), "plan_scope": "ended"}
    return {"plans": (), "plan_scope": "default"}


class _PlanSlots(TypedDict):
    plans: tuple[str, ...]
    plan_scope: PlanScope


# -- queries ------------------------------------------------------------------------------------------------------


_WITH_BEFORE = re.compile(r"\b(?:cung|voi|cung voi|phoi hop voi)\s*$")


def agency_query(s: Signals) -> Query:
    found = s.agencies.agencies
    facts: tuple[Fact, ...] = ("reporting",) if s.has("report") else ()
    if len(found) >= 2 and s.has("coordinate_with") and not s.question.has_words("voi nhau"):
        return Query(shape="tasks", agencies=(found[0].name,), partner=found[1].name, role="coordinator")
    if (
        len(found) == 1
        and s.asker
        and (s.has("mine") or s.own_kind)
        and _WITH_BEFORE.search(expand_shorthand(fold(s.question.text[: s.agencies.start])))
    ):
        # "đơn vị mình có việc nào làm cùng Sở X": the tasks the asker and that agency both hold (in the role asked)
        role: Role = role_of(s) if s.has("lead", "coordinate") else "any"
        return Query(shape="tasks", agencies=(s.asker, found[0].name), role=role, together=True, topic=s.about)
    # The city's People's Committee beside another agency is whom it reports to, not a subject (nor is a group,
    # unless the agencies are asked about together: "Sở X và UBND các xã cùng phối hợp việc gì").
    together_asked = s.has("together")
    named = [a for a in found if a.kind != "city" and (together_asked or a.kind != "group")] or list(found)
    # "X có chủ trì việc <a task described> không": whether one of its tasks is that one, not whether it has any
    # (only when the words describe some task of the plans: otherwise its tasks are listed for the asker to judge)
    after = s.question.text[s.agencies.end :] if s.agencies.end else s.rest  # other bodies named belong to the work
    work = _described(after) if s.yes_no and s.has("yes_no_task") and len(s.rest_terms) >= 3 else ""
    topic = s.about or (work if work and s.topics.coverage(work) >= DESCRIBED_COVERAGE else "")
    role = role_of(s)
    together = len(named) >= 2 and s.has("together")
    if together and not s.has("lead") and (not s.question.has_words("phoi hop") or s.question.has_words("voi nhau")):
        role = "any"  # "X và Y cùng tham gia việc gì", "… phối hợp với nhau": whichever role each holds
    lead_only = role == "lead" and s.has("lead")
    return Query(
        shape="tasks",
        agencies=tuple(a.name for a in named),
        role=role,
        lead_only=lead_only,
        facts=facts,
        topic=topic,
        together=together,
    )


_RECURRENCES: tuple[tuple[CueName, Recurrence], ...] = (
    ("recurrence_continuous", "continuous"),
    ("recurrence_monthly", "monthly"),
    ("recurrence_quarterly", "quarterly"),
    ("recurrence_half_yearly", "half-yearly"),
    ("recurrence_yearly", "yearly"),
)
# what a question about recurring tasks is made of besides its recurrence ("những việc nào phải làm …")
_RECURRENCE_FRAME: tuple[CueName, ...] = (
    *(cue for cue, _ in _RECURRENCES),
    "task_word",
    "question_word",
    "filler",
    "deadline",
    "agency_word",
    "plan_word",
    "count",
    "about",
    "in_force",
)


_LEAVING_OUT = ("khong tinh", "khong ke", "loai tru", "ngoai tru", "tru cac", "tru nhung", "tru nhiem vu", "tru viec")


def recurrence_asked(s: Signals) -> Recurrence | None:
    """How often the tasks asked about recur, when the question says so once ("việc nào làm thường xuyên"), and
    not to leave those out ("… không tính nhiệm vụ hằng năm")."""
    found = [recurrence for cue, recurrence in _RECURRENCES if s.has(cue)]
    if len(found) != 1 or any(s.question.has_words(words) for words in _LEAVING_OUT):
        return None
    return found[0]


def asks_recurring_tasks(s: Signals) -> bool:
    """The tasks of a recurrence, with no topic beside it ("việc nào phải làm định kỳ 6 tháng một lần")."""
    if recurrence_asked(s) is None or s.agencies.status == "found" or s.window is not None:
        return False
    leftover = " ".join(cue_book().without(list(s.question.words), *_RECURRENCE_FRAME))
    return not leftover or s.topics.coverage(leftover) < WHO_COVERAGE


def topic_fits(s: Signals) -> bool:
    """Some task fits the question's words; a question with no word of the plans' kind (who, when, tasks, agencies)
    needs a closer fit, so small talk that shares a word or two with a task ("giá vàng") gets no task."""
    named = frozenset(p for m in s.plans if m.kind != "this" for p in m.plans)
    hits = s.topics.tasks(_topic_hits_text(s), plans=named or None)  # within the plans named, as it will be searched
    if not hits:
        return False
    return s.has(*_TASK_QUESTION_CUES) or hits[0].coverage >= _BARE_TOPIC_COVERAGE


def search_query(s: Signals) -> Query:
    topic = _topic_hits_text(s)
    if s.agencies.status == "found" and _yes_no_topic(s):
        agencies = tuple(a.name for a in s.agencies.agencies)
        return Query(shape="who", topic=topic, agencies=agencies, role=role_of(s), yes_no=True)
    if s.has("who"):
        return Query(shape="who", topic=topic)
    if s.has("deadline"):
        return Query(shape="when", topic=topic)
    return Query(shape="tasks", topic=topic)


def plan_in_question(s: Signals) -> bool:
    """Whether the question names a plan that exists, or says "kế hoạch này" after an answer about one."""
    return any((m.kind != "this" and m.plans) or (m.kind == "this" and s.previous_plans) for m in s.plans)


def _asks_specific_facts(s: Signals) -> bool:
    return (
        s.has("signer", "number", "issued", "issuer", "replaces", "targets", "basis")
        or _asks_period(s)
        or _asks_plan_status(s)
    )


def _asks_plan_status(s: Signals) -> bool:
    """ "kế hoạch 435 còn hiệu lực không", "KH 38 hết hạn chưa": a plan named, asked whether it is in force, and no
    task or agency in the question (those make it a question about tasks)."""
    return (
        s.has("in_force", "ended")
        and plan_in_question(s)
        and not s.cues_beside_status & {"task_word", "deadline", "overdue", "upcoming"}
        and s.agencies.status != "found"
    )


def asks_rank(s: Signals) -> bool:
    """ "cơ quan nào được giao ít nhất", "đơn vị nào nhiều việc nhất": agencies ranked, none named."""
    return s.has("rank_most", "rank_least") and s.has("agency_word", "who") and s.agencies.status != "found"


def asks_compare(s: Signals) -> bool:
    """ "Sở X hay Sở Y nhiều việc hơn": two or more agencies named, compared by their number of tasks."""
    if s.agencies.status != "found" or len(s.agencies.agencies) < 2:
        return False
    return s.has("compare") or (s.has("either") and s.has("rank_most", "rank_least"))


def sections_named(s: Signals) -> tuple[tuple[str, str], ...]:
    """The groups the question names by their titles, in the plans it names (all plans' when it names none)."""
    named = {number for m in s.plans for number in m.plans}
    return tuple(g for g in s.sections if not named or g[0] in named)


def asks_plan_tasks(s: Signals) -> bool:
    """ "kế hoạch 38 có những nhiệm vụ gì", "kế hoạch 120 có mấy nhiệm vụ": a plan's tasks, no agency named."""
    return (
        plan_in_question(s)
        and s.agencies.status == "none"
        and not sections_named(s)  # "nhóm nhiệm vụ <a group's title> của KH 38": that group's tasks
        and not s.first_person
        and s.has("agency_tasks", "count")
        and not s.has("who", "deadline")
        and not _asks_specific_facts(s)
    )


def mine_beside_unknown(s: Signals) -> bool:
    """ "Trung tâm chúng tôi được giao gì": the asker's own words beside or inside an unknown name — not a capitalised
    name that reads like them ("… TP Hồ Chí Minh")."""
    if s.agencies.status != "unknown":
        return False
    names = {w for w in s.agencies.text.split()[1:] if w[:1].isupper()}
    words = tuple(fold(w) for w in re.findall(r"[\w&]+", s.question.text) if w not in names)
    return "mine" in cue_book().scan(words)


def is_blank(s: Signals) -> bool:
    return s.question.is_empty or not any(ch.isalnum() for ch in s.question.folded)
