"""The knowledge-base snapshot indexed for answering: built once per snapshot, read by every question.

Holds the agency finder, the plan directory, the topic indexes (tasks; plan body passages) and the deadline
timeline, so that answering a question costs a few look-ups and one or two BM25 queries.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from knowledge.answering.agency_resolution import AgencyFinder
from knowledge.answering.plan_resolution import PlanDirectory, TaskRef
from knowledge.answering.thesaurus import TopicSearch, thesaurus
from knowledge.base import KnowledgeBase
from knowledge.records import Deadline, Duty, Objective, Plan, Task
from knowledge.topic_index import TextIndex

__all__ = ["Catalogue", "Occurrence", "Passage"]

Occurrence = tuple[Deadline, Task]


@dataclass(frozen=True, kw_only=True, slots=True)
class Passage:
    """A searchable piece of a plan's body: an objective or a general duty."""

    kind: Literal["objective", "duty"]
    plan: Plan
    objective: Objective | None = None
    duty: Duty | None = None


class Catalogue:
    """A :class:`KnowledgeBase` with the indexes answering needs. Immutable once built; safe to share."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.finder = AgencyFinder(kb.registry)
        self.directory = PlanDirectory(kb.plans)
        self.plans: dict[str, Plan] = {p.number: p for p in kb.plans}
        self.tasks: list[Task] = kb.tasks
        self.task_index: TextIndex[Task] = TextIndex([(t, t.content) for t in self.tasks])
        self.topics: TopicSearch[Task] = TopicSearch(self.task_index, thesaurus())
        passages: list[tuple[Passage, str]] = []
        for plan in kb.plans:
            passages.extend((Passage(kind="objective", plan=plan, objective=o), o.text) for o in plan.objectives)
            passages.extend((Passage(kind="duty", plan=plan, duty=d), d.text) for d in plan.duties)
        self.passage_index: TextIndex[Passage] = TextIndex(passages)
        self.order = {(t.plan_number, t.code): i for i, t in enumerate(self.tasks)}
        timeline = sorted(
            ((d.due, i, t, d) for i, t in enumerate(self.tasks) for d in t.schedule.deadlines),
            key=lambda item: (item[0], item[1]),
        )
        self.timeline: list[Occurrence] = [(d, t) for _, _, t, d in timeline]
        self._timeline_dues = [due for due, _, _, _ in timeline]
        self._latest_past: dict[date, list[Occurrence]] = {}

    def task(self, ref: TaskRef) -> list[Task]:
        """The tasks a reference names: one per plan holding that id (or only the plan it names)."""
        return [t for t in self.kb.tasks_with_code(ref.code) if ref.plan is None or t.plan_number == ref.plan]

    def due_between(self, start: date, end: date) -> Sequence[Occurrence]:
        """Every deadline from ``start`` to ``end`` (inclusive), by date then plan order."""
        return self.timeline[bisect_left(self._timeline_dues, start) : bisect_right(self._timeline_dues, end)]

    def last_due(self) -> date | None:
        return self._timeline_dues[-1] if self._timeline_dues else None

    def latest_past(self, today: date) -> list[Occurrence]:
        """For each task with a deadline before ``today``, its latest such deadline; oldest first. Cached per day."""
        cached = self._latest_past.get(today)
        if cached is None:
            cached = []
            for task in self.tasks:
                dues = [d for d in task.schedule.deadlines if d.due < today]
                if dues:
                    cached.append((dues[-1], task))
            cached.sort(key=self.occurrence_key)
            if len(self._latest_past) > 8:
                self._latest_past.clear()
            self._latest_past[today] = cached
        return cached

    def occurrence_key(self, item: Occurrence) -> tuple[date, int]:
        deadline, task = item
        return deadline.due, self.order.get((task.plan_number, task.code), 0)
