"""The answer engine: an officer's question in, a short Vietnamese answer with tasks, deadlines and sources out.

Pure and channel-neutral: no Telegram, no database, and the time is a parameter. Build one :class:`AnswerEngine` per
knowledge-base snapshot (at start and after each import); it indexes everything once so that a question costs a few
dictionary look-ups and one BM25 query.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import Any, Literal

from knowledge.agency_finder import AgencyFinder, AgencyMatch
from knowledge.base import KnowledgeBase, RoleFilter
from knowledge.question import Question, TimeWindow, read_question
from knowledge.records import Agency, Deadline, Objective, Plan, Task
from knowledge.reply import Fragment, Reply, ReplyBuilder, bold, fmt_date, italic, shorten
from knowledge.text import fold
from knowledge.topic_index import TextIndex, index_terms

__all__ = ["PAGE_SIZE", "Answer", "AnswerEngine", "Intent", "Suggestion"]

Intent = Literal[
    "agency_tasks",
    "my_tasks",
    "who",
    "deadline",
    "upcoming",
    "overdue",
    "task_detail",
    "plan_facts",
    "reporting",
    "search",
    "clarify",
    "greeting",
    "help",
    "unknown",
]

PAGE_SIZE = 8
DoneCheck = Callable[[Task, date], bool]
"""Whether a task's occurrence (its due date) has been reported done; supplied by the caller."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Suggestion:
    """A follow-up the user can pick: channels show it as a button or a numbered choice."""

    label: str
    query: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Answer:
    """The engine's answer. ``tasks`` are all relevant tasks by relevance; the reply shows ``page`` of them."""

    intent: Intent
    reply: Reply
    agencies: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()
    citations: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    choices: tuple[Suggestion, ...] = ()
    page: int = 1
    pages: int = 1
    next_page_query: str = ""

    @property
    def text(self) -> str:
        return self.reply.plain()

    @property
    def html(self) -> str:
        return self.reply.html()


@dataclass(frozen=True, kw_only=True, slots=True)
class _Passage:
    kind: Literal["task", "objective", "duty"]
    plan: Plan
    task: Task | None = None
    objective: Objective | None = None
    label: str = ""
    text: str = ""


# -- cue phrases (folded, shorthand expanded) ---------------------------------------------------------------------

_GREETING = ("xin chao", "chao", "hello", "hi", "alo", "chao ban", "chao bot", "hey", "cam on", "thanks", "ok")
_HELP = ("giup", "huong dan", "tro giup", "lam duoc gi", "ban la ai", "su dung", "help", "menu", "cach dung")
_COORDINATE = ("phoi hop", "ho tro phoi hop", "tham gia", "cung thuc hien")
_LEAD = ("chu tri",)
_SELF = ("toi", "em", "minh", "chung toi", "chung em", "chung minh", "bon em", "bon toi", "tui")
_MINE = (
    "my task",
    "my tasks",
    *(f"{owner} {me}" for owner in ("cua", "don vi", "co quan", "ben", "phong", "so", "nganh") for me in _SELF),
    *(f"{me} {verb}" for me in _SELF for verb in ("phai", "can", "duoc giao", "lam gi", "co nhiem vu", "chu tri")),
)
_AGENCY_CUES = (
    "phan cong",
    "nhiem vu",
    "lam gi",
    "phai lam",
    "duoc giao",
    "giao gi",
    "viec gi",
    "viec nao",
    "cong viec",
    "lam nhung",
    "chu tri",
    "phoi hop",
    "trach nhiem",
    "co gi",
    "nhung gi",
    "can lam",
    "phu trach",
    "lam viec gi",
)
_WHO = (
    "ai",
    "co quan nao",
    "don vi nao",
    "so nao",
    "noi nao",
    "ben nao",
    "ai lo",
    "ai phu trach",
    "ai chiu trach nhiem",
    "ai chu tri",
    "ai lam",
    "thuoc ve ai",
    "trach nhiem cua ai",
    "giao cho ai",
    "giao ai",
    "who",
    "in charge",
    "responsible",
    "thuoc trach nhiem",
    "trach nhiem cua co quan nao",
    "do co quan nao",
    "do don vi nao",
    "giao cho co quan nao",
    "giao cho don vi nao",
)
_DEADLINE = (
    "deadline",
    "moc thoi gian",
    "khi nao",
    "bao gio",
    "han",
    "thoi han",
    "han chot",
    "den han",
    "het han",
    "ngay nao",
    "truoc ngay",
    "luc nao",
    "may gio",
    "thoi gian",
    "khi nao xong",
    "bao lau",
    "nam nao",
    "qui nao",
    "quy nao",
    "thang nao",
)
_UPCOMING = ("sap den han", "sap het han", "sap toi han", "han sap toi", "sap dao han", "can lam ngay", "sap den")
_WINDOW = (
    "tuan nay",
    "thang nay",
    "tuan sau",
    "tuan toi",
    "thang sau",
    "thang toi",
    "ngay toi",
    "hom nay",
    "ngay mai",
    "nam nay",
    "quy nay",
    "cuoi nam",
    "cuoi thang",
    "cuoi quy",
    "sap toi",
)
_TASK_WORDS = (
    "han",
    "viec",
    "nhiem vu",
    "cong viec",
    "phai",
    "can",
    "xong",
    "hoan thanh",
    "den han",
    "bao cao",
    "lam",
)
_OVERDUE = (
    "qua han",
    "tre han",
    "bi tre han",
    "cham tien do",
    "cham tre",
    "lo han",
    "no dong",
    "chua hoan thanh",
    "qua thoi han",
    "tre thoi han",
    "overdue",
)
_REPORT = ("bao cao",)
_SIGNER = ("ai ky", "nguoi ky", "do ai ky", "ky boi", "ky ten", "ky ban hanh", "ai la nguoi ky", "ky ke hoach")
_NUMBER = (
    "so hieu",
    "so may",
    "so bao nhieu",
    "ky hieu",
    "so hieu ke hoach",
    "ke hoach so may",
    "ke hoach so bao nhieu",
)
_ISSUED = (
    "ban hanh ngay",
    "ngay ban hanh",
    "ban hanh khi nao",
    "ban hanh luc nao",
    "ngay ky",
    "ky ngay",
    "ky khi nao",
    "ban hanh vao ngay",
    "ban hanh vao",
    "ban hanh nam nao",
    "ban hanh bao gio",
)
_ISSUER = ("co quan ban hanh", "ai ban hanh", "do ai ban hanh", "don vi ban hanh")
_PERIOD = ("giai doan", "keo dai", "may nam", "tu nam nao", "thoi gian thuc hien ke hoach", "hieu luc")
_REPLACES = ("thay the", "thay cho")
_TARGETS = (
    "muc tieu",
    "chi tieu",
    "grdp",
    "phan tram",
    "ty le",
    "ty trong",
    "dong gop",
    "dien hinh tien tien",
    "muc dich",
    "phan dau",
)
_COURTESY = ("cam on", "tran trong", "kinh chao", "xin chao", "chuc", "chao")
_QUESTION_WORDS = (
    "gi",
    "nao",
    "ai",
    "khi nao",
    "bao gio",
    "bao nhieu",
    "the nao",
    "co khong",
    "khong",
    "chua",
    "hoi",
    "cho biet",
    "de nghi",
    "what",
    "who",
    "when",
)
_AGENCY_SUBJECT_CUES = (
    "co nhiem vu gi",
    "nhiem vu gi",
    "lam gi",
    "phai lam gi",
    "duoc giao gi",
    "co nhiem vu",
    "lam nhung gi",
    "nhiem vu",
    "lam",
    "phu trach gi",
    "phan cong gi",
)
_BASIS = (
    "ket luan",
    "nghi quyet",
    "can cu",
    "thuc hien ket luan",
    "trien khai ket luan",
    "van ban nao",
    "van ban chi dao",
    "chi dao nao",
)
_SUMMARY = ("ke hoach nay", "ke hoach la gi", "noi dung ke hoach", "tom tat", "thong tin ke hoach", "ke hoach gi")


class AnswerEngine:
    """Answers questions from one knowledge-base snapshot."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.finder = AgencyFinder(kb.registry)
        passages: list[tuple[_Passage, str]] = []
        for plan in kb.plans:
            for task in plan.tasks:
                passages.append((_Passage(kind="task", plan=plan, task=task, label=task.code), task.content))
            for objective in plan.objectives:
                passages.append(
                    (_Passage(kind="objective", plan=plan, objective=objective, label=objective.label), objective.text)
                )
            for duty in plan.duties:
                passages.append((_Passage(kind="duty", plan=plan, label=duty.label, text=duty.text), duty.text))
        self._tasks_index: TextIndex[_Passage] = TextIndex([(p, t) for p, t in passages if p.kind == "task"])
        self._facts_index: TextIndex[_Passage] = TextIndex([(p, t) for p, t in passages if p.kind != "task"])
        self._tasks = kb.tasks
        self._codes = {t.code.upper() for t in self._tasks}
        self._order = {(t.plan_number, t.code): i for i, t in enumerate(self._tasks)}
        timeline = sorted(
            ((d.due, i, t, d) for i, t in enumerate(self._tasks) for d in t.schedule.deadlines),
            key=lambda item: (item[0], item[1]),
        )
        self._timeline = [(t, d) for _, _, t, d in timeline]
        self._timeline_dues = [due for due, _, _, _ in timeline]
        self._past_cache: dict[date, list[tuple[Deadline, Task]]] = {}

    # -- entry point --------------------------------------------------------------------------------------------

    def answer(
        self,
        text: str,
        *,
        agency: str | None = None,
        now: datetime,
        page: int = 1,
        is_done: DoneCheck | None = None,
    ) -> Answer:
        """Answer ``text`` asked by someone from ``agency`` (canonical name or alias, or None) at ``now``."""
        question = read_question(text)
        asker = self._asker(agency)
        today = now.date()
        done: DoneCheck = is_done or (lambda _task, _due: False)
        answer = self._dispatch(question, asker, today, done)
        return _paginate(answer, max(1, page), question.text)

    def _asker(self, agency: str | None) -> Agency | None:
        if not agency:
            return None
        found = self.kb.registry.get(agency)
        if found is not None:
            return found
        resolution = self.kb.registry.resolve(agency)
        return resolution.agency if resolution else None

    def _dispatch(self, q: Question, asker: Agency | None, today: date, done: DoneCheck) -> _Draft:
        if q.is_empty or not any(ch.isalnum() for ch in q.folded):
            return self._help(intent="help" if q.folded else "unknown", empty=True)
        refs = [f"{s}.{i}" for s, i in q.task_refs() if f"{s}.{i}" in self._codes]
        if refs:
            return self._detail(refs, today, q)
        content_words = [w for w in q.words if not _is_filler(w)]
        if q.has(*_GREETING) and len(content_words) <= 1:
            return self._help(intent="greeting")
        if q.has(*_COURTESY) and not q.has(*_QUESTION_WORDS) and "?" not in q.text:
            return self._help(intent="greeting")  # "Xin trân trọng cảm ơn…", "Kính chào quý cơ quan…"
        if q.has(*_HELP) and len(q.words) <= 6:
            return self._help(intent="help")
        match = self.finder.find(q)
        agency_named = match.status != "none" and self._agency_question(q, match)
        if q.has(*_OVERDUE) and not (agency_named and q.has(*_AGENCY_CUES) and not q.has("qua han", "tre han")):
            scope = self._scope(match, asker, q) if agency_named or _first_person(q) else None
            return self._overdue(scope, today, done, q)
        if self._asks_upcoming(q):
            scope = self._scope(match, asker, q) if agency_named or _first_person(q) else None
            return self._upcoming(scope, q.time_window(today), today, done)
        reporting_city = (
            match.status == "found"
            and all(a.kind == "city" for a in match.agencies)
            and q.has(*_REPORT)
            and q.has(*_DEADLINE, "gui", "nop")
        )
        if reporting_city:  # "báo cáo gửi UBND thành phố hạn là bao giờ": the plan's reporting dates
            reporting = self._reporting(q)
            if reporting is not None:
                return reporting
        strong_facts = q.has(*_SIGNER, *_REPLACES, *_ISSUED, *_NUMBER, *_BASIS) or (
            q.has(*_TARGETS) and not q.has(*_WHO)
        )
        if agency_named and match.status == "found" and not strong_facts:
            if not self._incidental(match, q):
                if len(match.agencies) >= 2 and q.has("phoi hop voi", "phoi hop cung", "cung voi"):
                    return self._coordination(match.agencies[0], match.agencies[1], today)
                # The city's People's Committee beside another agency is whom it reports to, not a subject.
                named = [a for a in match.agencies if a.kind not in ("group", "city")] or list(match.agencies)
                if len(named) >= 2:
                    return self._several_agencies(named, q, today)
                return self._agency_tasks(named, q, today)
            agency_named = False
        topic = match.rest if match.status == "found" and match.rest else q.text
        if q.has(*_WHO) and not strong_facts:
            hits = self._tasks_index.search(topic)
            if hits and hits[0].coverage >= 0.6:
                return self._search("who", [h.item.task for h in hits if h.item.task is not None], today)
        if self._asks_plan_facts(q):
            return self._plan_facts(q, today)
        if agency_named and match.status == "ambiguous":
            return self._clarify(match, q)
        if q.has(*_MINE) and match.status in ("none", "unknown"):
            return self._my_tasks(asker, q, today)
        if agency_named and match.status == "unknown" and q.has(*_AGENCY_CUES):
            hits = self._tasks_index.search(q.text)
            if not hits or hits[0].coverage < 0.75 or not self._is_agency_subject(q, match):
                if self._is_agency_subject(q, match):
                    return self._unknown_agency(match.text)
        if q.has(*_REPORT) and q.has(*_DEADLINE, "gui", "nop") and not self._names_a_task(q):
            reporting = self._reporting(q)
            if reporting is not None:
                return reporting
        hits = self._tasks_index.search(match.rest if match.status == "found" and match.rest else q.text)
        if not hits and topic != q.text:
            hits = self._tasks_index.search(q.text)
        if hits:
            asked = match.agencies if match.status == "found" and self._yes_no_topic(match, q) else ()
            who = q.has(*_WHO) or bool(asked)
            intent: Intent = "who" if who else "deadline" if q.has(*_DEADLINE) else "search"
            return self._search(intent, [h.item.task for h in hits if h.item.task is not None], today, asked)
        facts = self._facts_index.search(q.text, limit=3)
        if facts:
            return self._facts_hits(facts, today)
        if match.status == "unknown":
            return self._unknown_agency(match.text)
        return self._help(intent="unknown")

    # -- helpers for dispatch -----------------------------------------------------------------------------------

    @staticmethod
    def _is_agency_subject(q: Question, match: AgencyMatch) -> bool:
        """An unknown agency-like name is the subject when the question is about its tasks ("Sở X có nhiệm vụ gì"),
        not when the name-like words sit inside a topic ("việc sơ kết…", "Ban quản lý chợ…")."""
        rest = fold(match.rest)
        cues = [f" {c} " for c in _AGENCY_SUBJECT_CUES]
        return len(rest.split()) <= 6 and any(c in f" {rest} " for c in cues)

    def _agency_question(self, q: Question, match: AgencyMatch) -> bool:
        """Whether the agency named is what the question is about (not an incidental word in a topic)."""
        if match.status == "unknown":
            return q.has(*_AGENCY_CUES)
        if match.status == "ambiguous":
            return q.has(*_AGENCY_CUES) or len(q.words) <= len(match.text.split()) + 2
        if any(a.kind != "group" for a in match.agencies):
            return True
        leads = any(self.kb.lead_count(a.name) for a in match.agencies)
        if not leads and len(q.text[: match.start].split()) > 2 and len(q.words) > len(match.text.split()) + 2:
            return False  # "hướng dẫn các hợp tác xã vận tải…": a collective inside a topic, not the subject
        return q.has(*_AGENCY_CUES) or len(q.words) <= len(match.text.split()) + 2

    def _names_a_task(self, q: Question) -> bool:
        """Whether, besides the reporting words, the question describes one task ("… nợ thuế hạn báo cáo …")."""
        words = [w for w in index_terms(q.text)[0] if w not in _REPORTING_WORDS]
        if len(words) < 2:
            return False
        hits = self._tasks_index.search(q.text, limit=1)
        return bool(hits) and hits[0].coverage >= 0.6

    @staticmethod
    def _asks_upcoming(q: Question) -> bool:
        if q.has(*_UPCOMING):
            return True
        if q.has("sap") and q.has(*_TASK_WORDS, *_DEADLINE):
            return True  # "việc gì sắp phải xong"
        window = q.has(*_WINDOW) or q.time_window_named()
        return window and q.has(*_TASK_WORDS, *_DEADLINE)

    def _incidental(self, match: AgencyMatch, q: Question) -> bool:
        """Whether the agencies named are beside the point: "who does X" questions ("UBND TP giao ai làm …"),
        "X or Y?" questions ("Sở Tài chính hay SKHĐT lo vụ …"), or an agency without tasks named beside a topic."""
        if not index_terms(match.rest)[0]:
            return False  # nothing but the agency's name: the question is about the agency
        either = len(match.agencies) >= 2 and q.has("hay", "hoac", "hay la")
        if self._yes_no_topic(match, q):
            return True  # "Sở Tài chính có phải làm đề án … không": about the topic's task and who leads it
        if q.has(*_AGENCY_CUES) and not q.has(*_WHO) and not either:
            return False
        has_tasks = any(self.kb.tasks_of(a, role="any") for a in match.agencies)
        if not q.has(*_WHO) and has_tasks and not either:
            return False
        hits = self._tasks_index.search(match.rest or q.text, limit=1)
        return bool(hits) and hits[0].coverage >= 0.6

    def _yes_no_topic(self, match: AgencyMatch, q: Question) -> bool:
        """ "X có phải làm <việc> không", "X có lo <việc> không": a yes/no question about a specific task."""
        if not q.has("co phai", "phai khong", "hay khong", "co lo", "co quan ly", "co lam", "co chiu trach nhiem"):
            return False
        if len(index_terms(match.rest)[0]) < 3:
            return False
        hits = self._tasks_index.search(match.rest, limit=1)
        return bool(hits) and hits[0].coverage >= 0.75

    def _scope(self, match: AgencyMatch, asker: Agency | None, q: Question) -> Agency | None:
        if match.status == "found" and match.agencies:
            return match.agencies[0]
        if _first_person(q):
            return asker
        return None

    @staticmethod
    def _asks_plan_facts(q: Question) -> bool:
        if q.has(*_SIGNER, *_NUMBER, *_ISSUED, *_ISSUER, *_REPLACES, *_TARGETS, *_BASIS):
            return True
        if q.has(*_PERIOD) and q.has("ke hoach"):
            return True
        return q.has(*_SUMMARY) and len(q.words) <= 8

    # -- intents ------------------------------------------------------------------------------------------------

    def _agency_tasks(self, agencies: Sequence[Agency], q: Question, today: date) -> _Draft:
        agency = agencies[0]
        not_lead = q.has("khong phai chu tri", "khong chu tri", "chu khong phai chu tri", "chi phoi hop")
        coordinate = q.has(*_COORDINATE) and (not q.has(*_LEAD) or not_lead)
        lead_tasks = self.kb.tasks_of(agency, role="lead")
        coord_tasks = self.kb.tasks_of(agency, role="coordinator")
        via_group = self._via_group(agency, lead_tasks if not coordinate else coord_tasks)
        b = ReplyBuilder()
        if via_group:
            b.line(f"{agency.name} thuộc nhóm ", bold(via_group), " trong kế hoạch; nhiệm vụ của nhóm như sau.")
            b.blank()
        tasks = coord_tasks if coordinate else lead_tasks
        name = via_group or agency.name
        duties = [(p, d) for p in self.kb.plans for d in p.duties if agency.name in d.agencies]
        if not lead_tasks and not coord_tasks and duties:
            b.line(bold(agency.name), " không chủ trì, phối hợp nhiệm vụ nào trong Phụ lục; kế hoạch nêu:")
            for plan, duty in duties[:4]:
                b.line(f"• Mục {duty.label}: {shorten(duty.text, 400)}")
                b.line(italic(f"  Nguồn: mục {duty.label} (Tổ chức thực hiện) — Kế hoạch {plan.number}"))
            return _Draft(intent="agency_tasks", header=b.build().lines, agencies=(agency.name,))
        if not lead_tasks and not coord_tasks:
            b.line(bold(agency.name), " không có nhiệm vụ nào được giao trong kế hoạch này", self._plans_suffix(), ".")
            b.line("Bạn có thể hỏi theo chủ đề, ví dụ: “ai lo phần mềm kế toán cho HTX?”")
            return _Draft(
                intent="agency_tasks",
                header=b.build().lines,
                agencies=(agency.name,),
                suggestions=(Suggestion(label="Danh sách cơ quan có nhiệm vụ", query="các cơ quan có nhiệm vụ"),),
            )
        if coordinate:
            if not coord_tasks:
                b.line(bold(name), " không phối hợp nhiệm vụ nào được nêu đích danh trong kế hoạch.")
            else:
                b.line(bold(name), f" phối hợp thực hiện {len(coord_tasks)} nhiệm vụ:")
        elif not lead_tasks:
            b.line(bold(name), " không chủ trì nhiệm vụ nào; ", f"phối hợp thực hiện {len(coord_tasks)} nhiệm vụ:")
            tasks = coord_tasks
        else:
            b.line(bold(name), f" chủ trì {len(lead_tasks)} nhiệm vụ", self._plans_suffix(), ":")
        suggestions: list[Suggestion] = []
        if not coordinate and lead_tasks and coord_tasks:
            suggestions.append(
                Suggestion(label=f"Phối hợp ({len(coord_tasks)})", query=f"{agency.name} phối hợp nhiệm vụ nào")
            )
        if q.has(*_REPORT) and self.kb.plans:
            extra = self._reporting_sentence(self.kb.plans[0])
            trailer = [extra] if extra else []
        else:
            trailer = []
        answer = self._task_list("agency_tasks", b, tasks, today, agencies=(name,), suggestions=suggestions)
        note = ""
        if not coordinate and lead_tasks and coord_tasks:
            note = f"Ngoài ra phối hợp {len(coord_tasks)} nhiệm vụ khác (hỏi “{agency.name} phối hợp nhiệm vụ nào”)."
        footer = tuple((Fragment(text=t),) for t in (*trailer, note) if t)
        return replace(answer, footer=footer) if footer else answer

    def _coordination(self, subject: Agency, partner: Agency, today: date) -> _Draft:
        """ "X phối hợp với Y trong việc gì": tasks Y leads and X coordinates (or the other way round)."""
        partner_names = set(self.kb.responsible_names(partner))
        subject_names = set(self.kb.responsible_names(subject))
        tasks = [t for t in self.kb.tasks_of(subject, role="coordinator") if partner_names & set(t.lead)]
        lead, helper = partner, subject
        if not tasks:
            tasks = [t for t in self.kb.tasks_of(partner, role="coordinator") if subject_names & set(t.lead)]
            lead, helper = subject, partner
        b = ReplyBuilder()
        if not tasks:
            b.line(
                f"Kế hoạch không có nhiệm vụ nào {subject.name} và {partner.name} cùng thực hiện (chủ trì – phối hợp)."
            )
            return _Draft(intent="agency_tasks", header=b.build().lines, agencies=(subject.name, partner.name))
        b.line(bold(helper.name), f" phối hợp với {lead.name} trong {len(tasks)} nhiệm vụ do {lead.name} chủ trì:")
        return self._task_list("agency_tasks", b, tasks, today, agencies=(subject.name, partner.name))

    def _several_agencies(self, agencies: Sequence[Agency], q: Question, today: date) -> _Draft:
        """ "Sở Tài chính và Sở KH&ĐT có nhiệm vụ gì": each agency's tasks, the lead shown on every task."""
        not_lead = q.has("khong phai chu tri", "khong chu tri", "chu khong phai chu tri", "chi phoi hop")
        coordinate = q.has(*_COORDINATE) and (not q.has(*_LEAD) or not_lead)
        role: RoleFilter = "coordinator" if coordinate else "lead"
        tasks: dict[tuple[str, str], Task] = {}
        counts = []
        for agency in agencies:
            own = self.kb.tasks_of(agency, role=role)
            counts.append(f"{agency.name} {len(own)}")
            for task in own:
                tasks.setdefault((task.plan_number, task.code), task)
        b = ReplyBuilder()
        what = "phối hợp" if coordinate else "chủ trì"
        b.line(f"Nhiệm vụ {what} ({'; '.join(counts)}){self._plans_suffix()}:")
        names = tuple(a.name for a in agencies)
        return self._task_list("agency_tasks", b, list(tasks.values()), today, agencies=names, show_lead=not coordinate)

    def _via_group(self, agency: Agency, tasks: Sequence[Task]) -> str:
        if agency.kind == "group" or not tasks:
            return ""
        named = {n for t in tasks for n in (*t.lead, *t.coordinators)}
        if agency.name in named:
            return ""
        groups = [g.name for g in self.kb.registry.groups_of(agency.name) if g.name in named]
        return groups[0] if groups else ""

    def _my_tasks(self, asker: Agency | None, q: Question, today: date) -> _Draft:
        if asker is None:
            b = ReplyBuilder()
            b.line("Bạn chưa đăng ký cơ quan nên tôi chưa biết “nhiệm vụ của bạn” là của đơn vị nào.")
            b.line(
                "Hãy hỏi kèm tên cơ quan, ví dụ: “Sở Tài chính có nhiệm vụ gì?”, hoặc đăng ký bằng /dangky <cơ quan>."
            )
            return _Draft(
                intent="my_tasks",
                header=b.build().lines,
                suggestions=(Suggestion(label="Đăng ký cơ quan", query="/dangky"),),
            )
        answer = self._agency_tasks((asker,), q, today)
        return replace(answer, intent="my_tasks")

    def _clarify(self, match: AgencyMatch, q: Question) -> _Draft:
        b = ReplyBuilder()
        b.line(f"“{match.text}” có thể là một trong các cơ quan sau. Bạn muốn hỏi cơ quan nào?")
        suffix = " phối hợp nhiệm vụ nào" if q.has(*_COORDINATE) else " có nhiệm vụ gì"
        choices = tuple(Suggestion(label=a.name, query=f"{a.name}{suffix}") for a in match.agencies)
        for index, choice in enumerate(choices, start=1):
            b.line(f"{index}. {choice.label}")
        return _Draft(
            intent="clarify", header=b.build().lines, agencies=tuple(a.name for a in match.agencies), choices=choices
        )

    def _unknown_agency(self, printed: str) -> _Draft:
        b = ReplyBuilder()
        b.line(
            "Không tìm thấy cơ quan ",
            bold(f"“{printed}”"),
            " trong danh mục; cơ quan này không có nhiệm vụ nào được giao trong kế hoạch này",
            self._plans_suffix(),
            ".",
        )
        b.line("Kiểm tra lại tên cơ quan, hoặc gõ “các cơ quan có nhiệm vụ” để xem danh sách.")
        return _Draft(
            intent="agency_tasks",
            header=b.build().lines,
            suggestions=(Suggestion(label="Danh sách cơ quan có nhiệm vụ", query="các cơ quan có nhiệm vụ"),),
        )

    def _search(self, intent: Intent, tasks: list[Task], today: date, asked: Sequence[Agency] = ()) -> _Draft:
        b = ReplyBuilder()
        if intent == "who":
            leads = list(dict.fromkeys(n for n in tasks[0].lead))
            for agency in asked:
                names = self.kb.responsible_names(agency)
                if any(n in tasks[0].lead for n in names):
                    b.line(f"Đúng, {agency.name} chủ trì nhiệm vụ {tasks[0].code}.")
                elif any(n in tasks[0].coordinators for n in names):
                    b.line(f"{agency.name} phối hợp, không chủ trì nhiệm vụ {tasks[0].code}.")
                else:
                    b.line(f"{agency.name} không được giao nhiệm vụ {tasks[0].code}.")
            b.line(bold(", ".join(leads) or "Chưa rõ cơ quan"), f" chủ trì nhiệm vụ {tasks[0].code}.")
            if len(tasks) > 1:
                b.line("Các nhiệm vụ liên quan:")
        elif intent == "deadline":
            first = tasks[0]
            b.line(f"Hạn của nhiệm vụ {first.code}: ", bold(self._deadline_phrase(first, today)))
            if len(tasks) > 1:
                b.line("Các nhiệm vụ liên quan:")
        else:
            b.line(f"Các nhiệm vụ liên quan ({len(tasks)}):")
        agencies = tuple(dict.fromkeys(n for t in tasks for n in t.lead))
        return self._task_list(intent, b, tasks, today, agencies=agencies, show_lead=True)

    def _detail(self, codes: Sequence[str], today: date, q: Question) -> _Draft:
        tasks = [t for c in codes for t in self.kb.tasks_with_code(c)]  # the same id may be in several plans
        plans = {t.plan_number for t in tasks}
        if len(plans) > 1:
            named = [p.number for p in self.kb.plans if f" {p.number.split('/')[0]} " in f" {q.folded} "]
            chosen = [t for t in tasks if t.plan_number in named]
            if chosen:
                tasks = chosen
            elif len(tasks) > 3:
                b = ReplyBuilder().line(
                    f"Mã {', '.join(codes)} có trong {len(plans)} kế hoạch; gõ kèm số kế hoạch để xem chi tiết, "
                    f"ví dụ: “chi tiết {tasks[0].code} kế hoạch {tasks[0].plan_number}”."
                )
                return self._task_list("task_detail", b, tasks, today, show_lead=True)
        b = ReplyBuilder()
        for index, task in enumerate(tasks):
            if index:
                b.blank()
            b.line(bold(f"Nhiệm vụ {task.code}"), f" — Kế hoạch {task.plan_number}")
            b.line("Nội dung: ", task.content)
            b.line("Chủ trì: ", self._names(task.lead, short=False))
            if task.coordinators:
                b.line("Phối hợp: ", self._names(task.coordinators, short=False))
            if task.product:
                b.line("Sản phẩm: ", task.product)
            b.line("Thời gian thực hiện: ", task.time_text or "không ghi")
            b.line("Hạn: ", self._deadline_phrase(task, today))
            if len(task.schedule.deadlines) > 1:
                b.line("Các mốc: ", ", ".join(fmt_date(d.due) for d in task.schedule.deadlines))
            b.line(italic(_citation(task)))
        agencies = tuple(dict.fromkeys(n for t in tasks for n in t.lead))
        return _Draft(
            intent="task_detail",
            header=b.build().lines,
            agencies=agencies,
            tasks=tuple(tasks),
            citations=tuple(_citation(t) for t in tasks),
        )

    def _upcoming(self, scope: Agency | None, window: TimeWindow, today: date, done: DoneCheck) -> _Draft:
        items = self._occurrences(scope, window.start, window.end, done)
        b = ReplyBuilder()
        who = f" của {scope.name}" if scope else ""
        if not items:
            b.line(f"Không có nhiệm vụ{who} đến hạn trong {window.label} ", f"({_span(window)}).")
            last = self._last_deadline()
            if last and last < today:
                b.line(f"Lưu ý: hạn cuối cùng trong kế hoạch là {fmt_date(last)}.")
            return _Draft(intent="upcoming", header=b.build().lines, agencies=(scope.name,) if scope else ())
        b.line(f"Nhiệm vụ{who} đến hạn trong {window.label} ({_span(window)}): {len(items)}")
        return self._occurrence_list("upcoming", b, items, today, scope)

    def _overdue(self, scope: Agency | None, today: date, done: DoneCheck, q: Question) -> _Draft:
        items = self._overdue_items(scope, today, done)
        b = ReplyBuilder()
        who = f" của {scope.name}" if scope else ""
        if not items:
            b.line(f"Không có nhiệm vụ{who} quá hạn (tính đến {fmt_date(today)}).")
            return _Draft(intent="overdue", header=b.build().lines, agencies=(scope.name,) if scope else ())
        b.line(f"Nhiệm vụ{who} đã quá hạn chưa có báo cáo hoàn thành (tính đến {fmt_date(today)}): {len(items)}")
        return self._occurrence_list("overdue", b, items, today, scope)

    def _overdue_items(self, scope: Agency | None, today: date, done: DoneCheck) -> list[tuple[Deadline, Task]]:
        """For each task with a past deadline not reported done, its latest such deadline; oldest first."""
        if scope is not None:
            latest: dict[tuple[str, str], tuple[Deadline, Task]] = {}
            for task in self._scope_tasks(scope):
                for deadline in task.schedule.deadlines:
                    if deadline.due < today and not done(task, deadline.due):
                        latest[(task.plan_number, task.code)] = (deadline, task)
            return sorted(latest.values(), key=self._occurrence_key)
        candidates = self._past_cache.get(today)
        if candidates is None:
            candidates = []
            for task in self._tasks:
                dues = [d for d in task.schedule.deadlines if d.due < today]
                if dues:
                    candidates.append((dues[-1], task))
            candidates.sort(key=self._occurrence_key)
            if len(self._past_cache) > 8:
                self._past_cache.clear()
            self._past_cache[today] = candidates
        items: list[tuple[Deadline, Task]] = []
        moved = False
        for deadline, task in candidates:
            if not done(task, deadline.due):
                items.append((deadline, task))
                continue
            earlier = [d for d in task.schedule.deadlines if d.due < deadline.due and not done(task, d.due)]
            if earlier:
                items.append((earlier[-1], task))
                moved = True
        if moved:
            items.sort(key=self._occurrence_key)
        return items

    def _occurrence_key(self, item: tuple[Deadline, Task]) -> tuple[date, int]:
        deadline, task = item
        return deadline.due, self._order.get((task.plan_number, task.code), 0)

    def _plan_facts(self, q: Question, today: date) -> _Draft:
        if not self.kb.plans:
            return self._help(intent="plan_facts")
        plan = self.kb.plans[-1] if len(self.kb.plans) == 1 else self._plan_in_question(q)
        b = ReplyBuilder()
        specific = False
        if q.has(*_SIGNER):
            specific = True
            title = f"{plan.signer_title} " if plan.signer_title else ""
            b.line(
                f"Kế hoạch {plan.number} do {title}", bold(plan.signer or "(không rõ)"), " ký", self._issued(plan), "."
            )
        if q.has(*_NUMBER, *_ISSUED, *_ISSUER):
            specific = True
            issuer = f" của {plan.issuer}" if plan.issuer else ""
            b.line("Kế hoạch số ", bold(plan.number), issuer, self._issued(plan), ".")
        if q.has(*_BASIS):
            specific = True
            b.line(f"Kế hoạch {plan.number}: ", bold(shorten(plan.title, 400)))
        if q.has(*_PERIOD):
            specific = True
            period = str(plan.period) if plan.period else "không nêu"
            b.line(f"Giai đoạn thực hiện: {period}.")
        if q.has(*_REPLACES):
            specific = True
            if plan.replaces:
                b.line(f"Kế hoạch {plan.number} thay thế ", bold(f"Kế hoạch số {plan.replaces}"), ".")
            else:
                b.line(f"Kế hoạch {plan.number} không nêu kế hoạch nào được thay thế.")
        if q.has(*_TARGETS):
            specific = True
            hits = self._facts_index.search(q.text, limit=4, min_coverage=0.3, relative=0.6)
            objectives = [h.item.objective for h in hits if h.item.objective is not None and h.item.plan is plan]
            if not objectives or q.has("muc tieu", "chi tieu") and len(q.words) <= 6:
                objectives = [o for o in plan.objectives if o.label != "MT.1"] or list(plan.objectives)
            b.line(bold("Mục tiêu"), f" (Kế hoạch {plan.number}):")
            for objective in objectives:
                when = f" — đến {fmt_date(objective.target_date)}" if objective.target_date else ""
                b.line(f"• {objective.text}{when}")
        if not specific:
            self._plan_summary(b, plan)
        b.line(italic(f"Nguồn: Kế hoạch {plan.number}"))
        return _Draft(intent="plan_facts", header=b.build().lines, citations=(f"Kế hoạch {plan.number}",))

    def _plan_summary(self, b: ReplyBuilder, plan: Plan) -> None:
        b.line(bold(f"Kế hoạch số {plan.number}"), self._issued(plan))
        if plan.issuer:
            b.line(f"Cơ quan ban hành: {plan.issuer}")
        b.line(f"Nội dung: {shorten(plan.title, 300)}")
        if plan.period:
            b.line(f"Giai đoạn: {plan.period}")
        if plan.signer:
            b.line(f"Người ký: {plan.signer_title + ' ' if plan.signer_title else ''}{plan.signer}")
        if plan.replaces:
            b.line(f"Thay thế: Kế hoạch số {plan.replaces}")
        leads = {n for t in plan.tasks for n in t.lead}
        b.line(f"Phụ lục: {len(plan.tasks)} nhiệm vụ giao cho {len(leads)} cơ quan chủ trì.")
        sentence = self._reporting_sentence(plan)
        if sentence:
            b.line(sentence)

    def _reporting(self, q: Question) -> _Draft | None:
        plans = [p for p in self.kb.plans if p.reporting_date is not None]
        if not plans:
            return None
        b = ReplyBuilder()
        citations = []
        for plan in plans:
            sentence = self._reporting_sentence(plan)
            b.line(sentence)
            if plan.reporting_date is not None:
                citations.append(f"Mục {plan.reporting_date.label} (Tổ chức thực hiện) — Kế hoạch {plan.number}")
        for citation in citations:
            b.line(italic(f"Nguồn: {citation}"))
        return _Draft(intent="reporting", header=b.build().lines, citations=tuple(citations))

    @staticmethod
    def _reporting_sentence(plan: Plan) -> str:
        rd = plan.reporting_date
        if rd is None:
            return ""
        receiver = _receiver(rd.text, plan)
        to = f" về {receiver}" if receiver else ""
        sentence = (
            f"Hạn báo cáo hằng năm: các cơ quan được giao nhiệm vụ gửi báo cáo{to} "
            f"trước ngày {rd.day:02d}/{rd.month:02d} (mục {rd.label}, Kế hoạch {plan.number})"
        )
        city = plan.city_reporting_date
        if city is not None:
            who = receiver or "cơ quan tổng hợp"
            sentence += f"; {who} tổng hợp, báo cáo UBND thành phố trước ngày {city.day:02d}/{city.month:02d}"
        return sentence + "."

    def _facts_hits(self, hits: Sequence[object], today: date) -> _Draft:
        b = ReplyBuilder()
        citations: list[str] = []
        for hit in hits:
            passage = getattr(hit, "item", None)
            if not isinstance(passage, _Passage):
                continue
            if passage.kind == "objective" and passage.objective is not None:
                o = passage.objective
                when = f" — đến {fmt_date(o.target_date)}" if o.target_date else ""
                b.line(f"• Mục tiêu: {o.text}{when}")
                citations.append(f"Mục tiêu — Kế hoạch {passage.plan.number}")
            else:
                b.line(f"• Mục {passage.label}: {shorten(passage.text, 400)}")
                citations.append(f"Mục {passage.label} (Tổ chức thực hiện) — Kế hoạch {passage.plan.number}")
        for citation in dict.fromkeys(citations):
            b.line(italic(f"Nguồn: {citation}"))
        return _Draft(intent="plan_facts", header=b.build().lines, citations=tuple(dict.fromkeys(citations)))

    def _help(self, *, intent: Intent, empty: bool = False) -> _Draft:
        b = ReplyBuilder()
        if intent == "greeting":
            b.line("Xin chào! Tôi là ", bold("Trợ lý nhiệm vụ"), ": tôi tra cứu nhiệm vụ, thời hạn trong kế hoạch.")
        elif intent == "unknown" and not empty:
            b.line("Xin lỗi, tôi chưa hiểu câu hỏi hoặc không tìm thấy nội dung phù hợp trong kế hoạch.")
        else:
            b.line("Tôi tra cứu nhiệm vụ, cơ quan chủ trì, phối hợp và thời hạn trong kế hoạch.")
        b.line("Bạn có thể hỏi, ví dụ:")
        for example in _EXAMPLES:
            b.line(f"• {example}")
        return _Draft(
            intent=intent,
            header=b.build().lines,
            suggestions=tuple(Suggestion(label=e, query=e) for e in _EXAMPLES[:3]),
        )

    # -- building blocks ----------------------------------------------------------------------------------------

    def _task_list(
        self,
        intent: Intent,
        b: ReplyBuilder,
        tasks: Sequence[Task],
        today: date,
        *,
        agencies: tuple[str, ...] = (),
        suggestions: Sequence[Suggestion] = (),
        show_lead: bool = False,
    ) -> _Draft:
        entries = _Entries(
            [(None, t) for t in tasks], lambda item: self._task_entry(item[1], today, show_lead=show_lead)
        )
        detail = [Suggestion(label=f"Chi tiết {t.code}", query=f"chi tiết {t.code}") for t in tasks[:3]]
        return _Draft(
            intent=intent,
            header=b.build().lines,
            agencies=agencies,
            tasks=tuple(tasks),
            suggestions=(*suggestions, *detail),
            entries=entries,
        )

    def _task_entry(self, task: Task, today: date, *, show_lead: bool) -> tuple[Line, ...]:
        lines: list[Line] = [
            (bold(f"• {task.code}"), Fragment(text=f" — {shorten(task.content, 180)}")),
        ]
        if show_lead:
            lines.append((Fragment(text=f"  Chủ trì: {self._names(task.lead, short=False)}"),))
        if task.coordinators:
            lines.append((Fragment(text=f"  Phối hợp: {self._names(task.coordinators)}"),))
        lines.append((Fragment(text=f"  Hạn: {self._deadline_phrase(task, today)}"),))
        return tuple(lines)

    def _occurrence_list(
        self,
        intent: Intent,
        b: ReplyBuilder,
        items: Sequence[tuple[Deadline, Task]],
        today: date,
        scope: Agency | None,
    ) -> _Draft:
        entries = _Entries(items, partial(self._occurrence_entry, show_lead=scope is None))
        if intent == "overdue":  # one item per task already
            tasks = tuple(t for _, t in items)
        else:
            unique: dict[tuple[str, str], Task] = {}
            for _, task in items:
                unique.setdefault((task.plan_number, task.code), task)
            tasks = tuple(unique.values())
        if scope is not None:
            agencies: tuple[str, ...] = (scope.name,)
        else:
            agencies = tuple(dict.fromkeys(n for t in tasks for n in t.lead))
        return _Draft(
            intent=intent,
            header=b.build().lines,
            agencies=agencies,
            tasks=tasks,
            suggestions=tuple(Suggestion(label=f"Chi tiết {t.code}", query=f"chi tiết {t.code}") for t in tasks[:3]),
            entries=entries,
        )

    def _occurrence_entry(self, item: tuple[Deadline, Task], *, show_lead: bool) -> tuple[Line, ...]:
        deadline, task = item
        lead = f" ({self._names(task.lead)})" if show_lead else ""
        return (
            (bold(f"• {fmt_date(deadline.due)}"), Fragment(text=f" — {task.code}{lead}: {shorten(task.content, 120)}")),
            (Fragment(text=f"  {deadline.reason}"),),
        )

    def _occurrences(
        self, scope: Agency | None, start: date, end: date, done: DoneCheck
    ) -> list[tuple[Deadline, Task]]:
        if scope is not None:
            items = [
                (d, t)
                for t in self._scope_tasks(scope)
                for d in t.schedule.deadlines
                if start <= d.due <= end and not done(t, d.due)
            ]
            return sorted(items, key=self._occurrence_key)
        first = bisect_left(self._timeline_dues, start)
        last = bisect_right(self._timeline_dues, end)
        return [(d, t) for t, d in self._timeline[first:last] if not done(t, d.due)]

    def _scope_tasks(self, scope: Agency | None) -> list[Task]:
        if scope is None:
            return self._tasks
        return self.kb.tasks_of(scope, role="lead")

    def _last_deadline(self) -> date | None:
        return self._timeline_dues[-1] if self._timeline_dues else None

    def _deadline_phrase(self, task: Task, today: date) -> str:
        schedule = task.schedule
        if schedule.recurrence == "continuous":
            return "thường xuyên, không có hạn cụ thể"
        if not schedule.deadlines:
            return f"“{task.time_text}” (chưa xác định được ngày cụ thể)" if task.time_text else "không ghi thời hạn"
        if len(schedule.deadlines) == 1:
            only = schedule.deadlines[0]
            return f"{fmt_date(only.due)} ({task.time_text})" if task.time_text else fmt_date(only.due)
        reasons = {d.reason for d in schedule.deadlines}
        summary = schedule.deadlines[0].reason if len(reasons) == 1 else schedule.explanation or ""
        upcoming = [d for d in schedule.deadlines if d.due >= today]
        if upcoming:
            return f"{_lower_first(summary)}; lần tới {fmt_date(upcoming[0].due)}"
        final = fmt_date(schedule.deadlines[-1].due)
        summary = _lower_first(summary)
        return summary if final in summary else f"{summary}; hạn cuối {final}"

    def _names(self, names: Sequence[str], *, short: bool = True) -> str:
        out = []
        for name in names:
            agency = self.kb.registry.get(name)
            out.append(agency.short if short and agency is not None and agency.short else name)
        return ", ".join(out)

    def _plans_suffix(self) -> str:
        if len(self.kb.plans) == 1:
            return f" (Kế hoạch {self.kb.plans[0].number})"
        return ""

    def _plan_in_question(self, q: Question) -> Plan:
        for plan in self.kb.plans:
            number = plan.number.split("/")[0]
            if f" {number} " in f" {q.folded} ":
                return plan
        return self.kb.plans[-1]

    @staticmethod
    def _issued(plan: Plan) -> str:
        return f" ngày {fmt_date(plan.issued_on)}" if plan.issued_on else ""


_EXAMPLES = (
    "Sở Tài chính có nhiệm vụ gì?",
    "Nhiệm vụ của tôi",
    "Ai lo phần mềm kế toán cho HTX?",
    "Hạn báo cáo hằng năm?",
    "Sắp đến hạn việc gì?",
    "Chi tiết XV.6",
)

_FILLER = frozenset(
    "a ah a oi nhe nha ban bot ad admin ak a nhe vay day the thi la ha u uh vang da dạ cho toi minh em anh chi".split()
)


def _is_filler(word: str) -> bool:
    return word in _FILLER or word in {"xin", "chao", "hello", "hi", "alo", "hey", "cam", "on", "thanks", "ok"}


def _receiver(sentence: str, plan: Plan) -> str:
    """The agency reports are sent to, as the plan's reporting sentence names it ("gửi về Sở Kế hoạch và Đầu tư")."""
    marker = max(sentence.rfind("gửi về"), sentence.rfind("gửi"), sentence.rfind(" về "))
    tail = sentence[marker:] if marker >= 0 else sentence
    for duty in plan.duties:
        for name in duty.agencies:
            if name in tail:
                return name
    return ""


_REPORTING_WORDS = frozenset({"bao", "cao", "gui", "nop", "tong", "hop", "dinh", "ky", "so"})
_SELF_WORDS = ("toi", "minh", "em", "chung toi", "chung em", "bon toi", "bon em", "tui")


def _first_person(q: Question) -> bool:
    """The asker speaks for their own agency ("tôi có việc quá hạn không", "cho em hỏi …")."""
    return q.has(*_MINE, *_SELF_WORDS)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _span(window: TimeWindow) -> str:
    if window.start == window.end:
        return fmt_date(window.start)
    return f"{fmt_date(window.start)} – {fmt_date(window.end)}"


def _citation(task: Task) -> str:
    return f"Nguồn: Phụ lục, mục {task.code} — Kế hoạch {task.plan_number}"


Line = tuple[Fragment, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class _Draft:
    """An answer before pagination: a header, list entries (each a few lines) and a footer."""

    intent: Intent
    header: tuple[Line, ...] = ()
    entries: _Entries | None = None  # rendered only for the page shown
    footer: tuple[Line, ...] = ()
    agencies: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()
    citations: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    choices: tuple[Suggestion, ...] = ()


class _Entries:
    """List entries rendered lazily: a long list (thousands of overdue tasks) costs only the page shown."""

    def __init__(
        self, items: Sequence[tuple[Deadline | None, Task]], render: Callable[[Any], tuple[Line, ...]]
    ) -> None:
        self.items = items
        self.render = render

    def __len__(self) -> int:
        return len(self.items)

    def page(self, start: int, stop: int) -> list[tuple[Task, tuple[Line, ...]]]:
        return [(item[1], self.render(item)) for item in self.items[start:stop]]


def _sources(tasks: Sequence[Task]) -> str:
    """ "Phụ lục, mục I, V, XVI — Kế hoạch 435/KH-UBND", one part per plan."""
    sections: dict[str, list[str]] = {}
    for task in tasks:
        codes = sections.setdefault(task.plan_number, [])
        if task.section_code and task.section_code not in codes:
            codes.append(task.section_code)
    parts = []
    for plan, codes in sections.items():
        where = f"Phụ lục, mục {', '.join(codes)}" if codes else "Phụ lục"
        parts.append(f"{where} — Kế hoạch {plan}")
    return "; ".join(parts)


def _paginate(draft: _Draft, page: int, query: str) -> Answer:
    total = len(draft.entries) if draft.entries is not None else 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    shown = draft.entries.page((page - 1) * PAGE_SIZE, page * PAGE_SIZE) if draft.entries is not None else []
    lines: list[Line] = list(draft.header)
    for _, rendered in shown:
        lines.extend(rendered)
    next_query = ""
    suggestions = list(draft.suggestions)
    if pages > 1:
        lines.append(
            (italic(f"Trang {page}/{pages} — còn {total - page * PAGE_SIZE} mục"),)
            if page < pages
            else (italic(f"Trang {page}/{pages}"),)
        )
        if page < pages:
            next_query = query
            suggestions.insert(0, Suggestion(label="Xem thêm", query=query))
    if draft.footer:
        lines.append(())
        lines.extend(draft.footer)
    citations = draft.citations
    if shown:
        sources = _sources([task for task, _ in shown])
        lines.append((italic("Nguồn: " + sources),))
        citations = citations or tuple(sources.split("; "))
    return Answer(
        intent=draft.intent,
        reply=Reply(lines=tuple(lines)),
        agencies=draft.agencies,
        tasks=draft.tasks,
        citations=citations,
        suggestions=tuple(suggestions),
        choices=draft.choices,
        page=page,
        pages=pages,
        next_page_query=next_query,
    )
