"""The knowledge-base snapshot indexed for answering: built once per snapshot, read by every question.

Holds the agency finder, the plan directory, the topic indexes (tasks; plan body passages) and the deadline
timeline, so that answering a question costs a few look-ups and one or two BM25 queries.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from knowledge.answering.agency_resolution import AgencyFinder
from knowledge.answering.plan_resolution import PlanDirectory, TaskRef
from knowledge.answering.plan_terms import defined_terms
from knowledge.answering.thesaurus import TopicSearch, marks_agree, thesaurus
from knowledge.answering.vocabulary import CueName, cue_book
from knowledge.base import KnowledgeBase
from knowledge.plan_status import PlanStatus, plan_label, plan_status
from knowledge.records import Deadline, Duty, Objective, Plan, Task
from knowledge.text import expand_shorthand, fold
from knowledge.time_phrase_tokens import key as time_key
from knowledge.topic_index import Hit, Subset, TextIndex, index_terms

__all__ = ["Catalogue", "Occurrence", "Passage"]

Occurrence = tuple[Deadline, Task]


@dataclass(frozen=True, kw_only=True, slots=True)
class Passage:
    """A searchable piece of a plan's body: an objective or a general duty."""

    kind: Literal["objective", "duty"]
    plan: Plan
    objective: Objective | None = None
    duty: Duty | None = None

    @property
    def text(self) -> str:
        """The passage as the plan writes it."""
        return self.objective.text if self.objective is not None else self.duty.text if self.duty is not None else ""


_LETTERS = re.compile(r"[^\W\d_]+")
_OUTSIDE_CLASSES: tuple[CueName, ...] = ("own_procedure",)  # things plans leave to others, unless one names them
SCHEME = re.compile(r"\bde an\s+(?:so\s+)?(\d{1,5})\b")  # "Đề án 06", "đề án số 844" (folded)
_HEADING_WORDS = 6  # the most words after "lĩnh vực", "mảng" … read as a group's title
_SECTION_FIT = 0.8  # a question names a group of tasks when it holds this share of the group's title words
_GLUE = frozenset("va cac cua cho the trong ve voi tai".split())  # words a title holds that say nothing of it


class Catalogue:
    """A :class:`KnowledgeBase` with the indexes answering needs. Immutable once built; safe to share (its caches
    only remember what was computed)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.finder = AgencyFinder(kb.registry)
        self.directory = PlanDirectory(kb.plans)
        self.plans: dict[str, Plan] = {p.number: p for p in kb.plans}
        self.labels: dict[str, str] = {p.number: plan_label(p) for p in kb.plans}
        self.tasks: list[Task] = kb.tasks
        self.time_keys: frozenset[str] = frozenset(map(time_key, {t.time_text for t in self.tasks if t.time_text}))
        self.task_index: TextIndex[Task] = TextIndex([(t, t.content) for t in self.tasks])
        # the bundled everyday words, and the short names the plans define ("Chỉ số cải cách hành chính (PAR Index)")
        vocabulary = thesaurus().with_concepts(defined_terms(kb.plans))
        self.topics: TopicSearch[Task] = TopicSearch(self.task_index, vocabulary, text_field="content")
        passages: list[tuple[Passage, str]] = []
        for plan in kb.plans:
            passages.extend((Passage(kind="objective", plan=plan, objective=o), o.text) for o in plan.objectives)
            passages.extend((Passage(kind="duty", plan=plan, duty=d), d.text) for d in plan.duties)
        self.passage_index: TextIndex[Passage] = TextIndex(passages)
        # every word the plans write, as written (lower case, marks and all): "lương" is none of theirs though
        # "số lượng" folds alike
        # (text by text: one list of every word of 10,000 tasks would leave its memory taken after it is freed)
        written: set[str] = set()
        schemes: set[str] = set()  # the schemes (Đề án) the plans name, by number: "Đề án 06"
        book = cue_book()
        outside = {phrase: book.written(name, phrase) for name in _OUTSIDE_CLASSES for phrase in book.classes[name]}
        outside_found: set[str] = set()
        for text in (*(t.content for t in self.tasks), *(text for _, text in passages), *(p.title for p in kb.plans)):
            lowered = text.lower()
            written.update(_LETTERS.findall(lowered))
            outside_found.update(p for p, spelled in outside.items() if spelled in lowered)
            if "đề án" in lowered or "de an" in lowered:
                schemes.update(m.group(1).lstrip("0") or "0" for m in SCHEME.finditer(fold(lowered)))
        self.written: frozenset[str] = frozenset(written)
        # the phrases of things plans do not deal with (a citizen's papers) that a plan here does write ("căn cước"
        # in a plan on population data), and those the thesaurus names for a plan's term ("sổ đỏ" for land titles)
        self.outside_written: frozenset[str] = frozenset(outside_found)
        self.outside_held: frozenset[str] = frozenset(p for p in outside if vocabulary.holds(p))
        self.schemes: frozenset[str] = frozenset(schemes)
        self.order = {(t.plan_number, t.code): i for i, t in enumerate(self.tasks)}
        self._section_titles: dict[tuple[str, str], frozenset[str]] = {}
        for t in self.tasks:
            if t.section_title and (t.plan_number, t.section_title) not in self._section_titles:
                words = expand_shorthand(fold(t.section_title)).split()
                self._section_titles[(t.plan_number, t.section_title)] = frozenset(w for w in words if w not in _GLUE)
        # groups titled by what their tasks are about ("Giảm thiểu chất thải nhựa"), not by the agency that leads them
        topical = [(key, key[1]) for key in self._section_titles if not kb.registry.find_mentions(key[1])]
        self.group_topics: TopicSearch[tuple[str, str]] = TopicSearch(TextIndex(topical), vocabulary)
        self._ranges: dict[str, tuple[int, int]] = {}
        start = 0
        for plan in kb.plans:
            self._ranges[plan.number] = (start, start + len(plan.tasks))
            start += len(plan.tasks)
        timeline = sorted(
            ((d.due, i, t, d) for i, t in enumerate(self.tasks) for d in t.schedule.deadlines),
            key=lambda item: (item[0], item[1]),
        )
        self.timeline: list[Occurrence] = [(d, t) for _, _, t, d in timeline]
        self._timeline_dues = [due for due, _, _, _ in timeline]
        self._latest_past: dict[tuple[date, frozenset[str] | None], list[Occurrence]] = {}
        self._statuses: dict[date, dict[str, PlanStatus]] = {}
        self._subsets: dict[frozenset[str], Subset] = {}
        self._by_status: dict[date, tuple[tuple[Plan, ...], tuple[Plan, ...]]] = {}
        self._scopes: dict[int, tuple[Sequence[Plan], frozenset[str]]] = {}
        self._last_due: dict[str, date] = {}
        for plan in kb.plans:
            dues = [d.due for t in plan.tasks for d in t.schedule.deadlines]
            if dues:
                self._last_due[plan.number] = max(dues)

    def sections_titled(self, words: frozenset[str]) -> tuple[tuple[str, str], ...]:
        """The groups of tasks (plan number, section title) whose printed title ``words`` (folded, expanded) hold most
        of: "lĩnh vực kiểm tra, giám sát và chuyển đổi số" names that group; () when none does clearly."""
        best: list[tuple[str, str]] = []
        best_fit = 0.0
        for (number, printed), title in self._section_titles.items():
            if len(title) < 2:
                continue
            fit = len(title & words) / len(title)
            if fit > best_fit:
                best, best_fit = [(number, printed)], fit
            elif fit == best_fit and fit > 0:
                best.append((number, printed))
        return tuple(best) if best_fit >= _SECTION_FIT else ()

    def groups_headed(self, words: Sequence[str]) -> tuple[tuple[str, str], ...]:
        """The groups of tasks titled by what ``words`` (folded, the words after "lĩnh vực", "mảng" …) start with:
        the longest start (at most :data:`_HEADING_WORDS` words) that a group's title covers, as "mảng chuyển đổi
        số cho HTX" names the group "Ứng dụng khoa học, công nghệ và chuyển đổi số"; () when no start is a title's."""
        for end in range(min(len(words), _HEADING_WORDS), 0, -1):
            start = " ".join(words[:end])
            if not index_terms(start)[0]:
                continue
            fitting = [h.item for h in self.group_topics.search(start) if h.coverage >= _SECTION_FIT]
            if fitting:
                return tuple(fitting)
        return ()

    def groups_about(self, topic: str) -> frozenset[tuple[str, str]]:
        """The groups of tasks (plan number, section title) whose title is about ``topic``, reworded in the plans'
        terms if need be: every task of such a group is about it, worded so or not."""
        return frozenset(h.item for h in self.group_topics.search(topic) if h.coverage >= _SECTION_FIT)

    def search_passages(
        self, text: str, *, limit: int, min_coverage: float = 0.5, relative: float = 0.35
    ) -> list[Hit[Passage]]:
        """Plan body passages that fit ``text``, a short question's words matched as typed (:func:`marks_agree`)."""
        hits = self.passage_index.search(text, limit=limit, min_coverage=min_coverage, relative=relative)
        return marks_agree(text, hits, "text")

    def writes(self, word: str) -> bool:
        """Whether the plans write ``word`` (lower case, NFC) exactly so, marks and all."""
        return word in self.written

    def knows(self, word: str) -> bool:
        """Whether the plans (their tasks, bodies) or the thesaurus use ``word`` (folded), or two words in a row."""
        return self.topics.knows(word) or self.passage_index.knows(word)

    def writes_pair(self, pair: str) -> bool:
        """Whether the plans write the two words ``pair`` (lower case, NFC) in a row, marks and all: "quỹ hỗ" is
        theirs, "trường chính" is not though "chủ trương chính sách" folds alike."""
        folded = fold(pair)
        texts = (
            *(t.content for t in self.task_index.items_with(folded)),
            *(p.text for p in self.passage_index.items_with(folded)),
        )
        return any(re.search(rf"(?<!\w){re.escape(pair)}(?!\w)", text.lower()) for text in texts)

    def is_typo(self, word: str) -> bool:
        """Whether ``word`` (folded), which the plans do not use, reads as one of their words mistyped ("phog")."""
        return self.topics.index.correct(word) not in (None, word)

    # -- plans --------------------------------------------------------------------------------------------------

    def status(self, plan: Plan, today: date) -> PlanStatus:
        """:func:`~knowledge.plan_status.plan_status`, remembered per day."""
        statuses = self._statuses.get(today)
        if statuses is None:
            if len(self._statuses) > 8:
                self._statuses.clear()
            statuses = self._statuses[today] = {p.number: plan_status(p, today) for p in self.kb.plans}
        return statuses[plan.number]

    def by_status(self, today: date) -> tuple[tuple[Plan, ...], tuple[Plan, ...]]:
        """The plans in force and the plans that have ended (archived ones are in neither, nor plans issued after
        ``today``: a question asked as of 2019 is not answered from a 2026 plan)."""
        found = self._by_status.get(today)
        if found is None:
            issued = [p for p in self.kb.plans if p.issued_on is None or p.issued_on <= today]
            in_force = tuple(p for p in issued if self.status(p, today) == "in_force")
            ended = tuple(p for p in issued if self.status(p, today) == "ended")
            if len(self._by_status) > 8:
                self._by_status.clear()
            found = self._by_status[today] = (in_force, ended)
        return found

    def ended(self, plans: Sequence[Plan], today: date) -> tuple[Plan, ...]:
        """Those of ``plans`` that are no longer in force."""
        return tuple(p for p in plans if self.status(p, today) != "in_force")

    def scope(self, plans: Sequence[Plan]) -> frozenset[str] | None:
        """The plan numbers of ``plans``; None when they are all the plans (nothing to filter)."""
        if len(plans) == len(self.plans):
            return None
        found = self._scopes.get(id(plans))
        if found is not None and found[0] is plans:
            return found[1]
        numbers = frozenset(p.number for p in plans)
        if len(self._scopes) > 64:
            self._scopes.clear()
        self._scopes[id(plans)] = (plans, numbers)  # the sequence is kept, so its id is not reused meanwhile
        return numbers

    def last_due(self, plans: Sequence[Plan]) -> date | None:
        """The last deadline of any task of ``plans``."""
        dues = [d for p in plans if (d := self._last_due.get(p.number)) is not None]
        return max(dues) if dues else None

    def subset(self, scope: frozenset[str] | None) -> Subset | None:
        """The tasks of the plans in ``scope``, as a search subset (remembered)."""
        if scope is None:
            return None
        found = self._subsets.get(scope)
        if found is None:
            mask = bytearray(len(self.tasks))
            for number in scope:
                start, end = self._ranges.get(number, (0, 0))
                mask[start:end] = b"\x01" * (end - start)
            if len(self._subsets) > 64:
                self._subsets.clear()
            found = self._subsets[scope] = Subset(mask=bytes(mask), key=scope)
        return found

    def subset_of(self, tasks: Sequence[Task]) -> Subset:
        """Some tasks (one agency's), as a search subset (not remembered)."""
        mask = bytearray(len(self.tasks))
        for task in tasks:
            index = self.order.get((task.plan_number, task.code))
            if index is not None:
                mask[index] = 1
        return Subset(mask=bytes(mask))

    # -- tasks and deadlines ------------------------------------------------------------------------------------

    def task(self, ref: TaskRef) -> list[Task]:
        """The tasks a reference names: one per plan holding that id (or only the plan it names)."""
        return [t for t in self.kb.tasks_with_code(ref.code) if ref.plan is None or t.plan_number == ref.plan]

    def due_between(self, start: date, end: date, scope: frozenset[str] | None = None) -> list[Occurrence]:
        """Every deadline from ``start`` to ``end`` (inclusive) of the plans in ``scope``, by date then plan order."""
        items = self.timeline[bisect_left(self._timeline_dues, start) : bisect_right(self._timeline_dues, end)]
        return items if scope is None else [item for item in items if item[1].plan_number in scope]

    def latest_past(self, today: date, scope: frozenset[str] | None = None) -> list[Occurrence]:
        """For each task of the plans in ``scope`` with a deadline before ``today``, its latest such deadline;
        oldest first. Remembered per day and scope."""
        key = (today, scope)
        cached = self._latest_past.get(key)
        if cached is None:
            cached = []
            for task in self.tasks:
                if scope is not None and task.plan_number not in scope:
                    continue
                dues = [d for d in task.schedule.deadlines if d.due < today]
                if dues:
                    cached.append((dues[-1], task))
            cached.sort(key=self.occurrence_key)
            if len(self._latest_past) > 16:
                self._latest_past.clear()
            self._latest_past[key] = cached
        return cached

    def occurrence_key(self, item: Occurrence) -> tuple[date, int]:
        deadline, task = item
        return deadline.due, self.order.get((task.plan_number, task.code), 0)
