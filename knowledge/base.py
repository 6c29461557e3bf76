"""An immutable in-memory snapshot of the knowledge base: plans, tasks and agencies with fast lookups.

Built once at start (and again after an import) from the repository; every question is answered from here, never by
scanning the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from knowledge.agencies import AgencyRegistry
from knowledge.plan_status import plan_end, plan_status
from knowledge.records import Agency, Plan, Task
from knowledge.succession import StandIn, plan_names
from knowledge.text import fold

__all__ = ["KnowledgeBase", "RoleFilter"]

RoleFilter = Literal["lead", "coordinator", "any"]


@dataclass(frozen=True, slots=True)
class _TaskKey:
    plan: str
    code: str


class KnowledgeBase:
    """Plans and agencies, indexed by agency and by task id."""

    def __init__(self, plans: Sequence[Plan], registry: AgencyRegistry) -> None:
        self.plans: tuple[Plan, ...] = tuple(plans)
        self.registry = registry
        self._by_lead: dict[str, list[Task]] = {}
        self._by_coordinator: dict[str, list[Task]] = {}
        self._by_code: dict[str, list[Task]] = {}
        self._plans: dict[str, Plan] = {}
        self._named: dict[str, frozenset[str]] = {}  # plan number -> the agency names its tasks use
        for plan in self.plans:
            self._plans[plan.number] = plan
            named: set[str] = set()
            for task in plan.tasks:
                self._by_code.setdefault(task.code.upper(), []).append(task)
                for name in task.lead:
                    self._by_lead.setdefault(name, []).append(task)
                for name in task.coordinators:
                    self._by_coordinator.setdefault(name, []).append(task)
                named.update(task.lead)
                named.update(task.coordinators)
            self._named[plan.number] = frozenset(named)
        self._order = {p.number: i for i, p in enumerate(self.plans)}
        self._memo_day: date | None = None
        self._memo: dict[tuple[str, str], tuple[str, ...]] = {}  # (agency, plan) -> names, for ``_memo_day``

    @classmethod
    def build(cls, plans: Sequence[Plan], agencies: Iterable[Agency], registry: AgencyRegistry) -> KnowledgeBase:
        """A snapshot whose registry also knows the agencies stored in the database (e.g. unknown ones)."""
        extra = [a for a in agencies if a.name not in registry]
        return cls(plans, registry.with_agencies(extra) if extra else registry)

    @property
    def tasks(self) -> list[Task]:
        return [t for p in self.plans for t in p.tasks]

    def plan(self, number: str) -> Plan | None:
        """A plan by number, forgiving about case and spacing: ``"435"``, ``"435/kh-ubnd"``."""
        if number in self._plans:
            return self._plans[number]
        key = fold(number).replace(" ", "")
        for plan in self.plans:
            full = fold(plan.number).replace(" ", "")
            if key == full or key == full.split("kh")[0]:
                return plan
        return None

    def task(self, code: str, plan: str | None = None) -> Task | None:
        for task in self._by_code.get(code.strip().upper(), ()):
            if plan is None or task.plan_number == plan:
                return task
        return None

    def tasks_with_code(self, code: str) -> list[Task]:
        """Every task printed with this id, in plan order (two plans may both have an "I.1")."""
        return list(self._by_code.get(code.strip().upper(), ()))

    def agency(self, name: str) -> Agency | None:
        return self.registry.get(name)

    def responsible_names(self, agency: Agency) -> list[str]:
        """The agency and the groups it belongs to ("UBND huyện Tiên Lãng" → "UBND các quận, huyện"): the names that
        count as ``agency`` whatever the plan and day. :meth:`names_in_plan` adds succession for one plan."""
        return [agency.name, *self.registry.group_names(agency.name)]

    def stand_ins(self, agency: Agency, *, today: date) -> list[StandIn]:
        """Bodies linked to ``agency`` (or its groups) by a change in effect ``today``: predecessors whose tasks it
        took over, successors that took over its own."""
        return self.registry.succession.stand_ins(self.responsible_names(agency), on=today)

    def names_in_plan(self, agency: Agency, plan: Plan, *, today: date) -> tuple[str, ...]:
        """The names that count as ``agency`` in ``plan`` on ``today``: itself, its groups, and the bodies linked by
        succession (knowledge.succession.plan_names is the rule).

        This is the one place that decides it: agency task lists, "nhiệm vụ của tôi", yes/no answers, coordination,
        reminders and progress reports all ask here."""
        if self._memo_day != today:
            self._memo_day, self._memo = today, {}
        key = (agency.name, plan.number)
        names = self._memo.get(key)
        if names is None:
            own = self.responsible_names(agency)
            linked = self.stand_ins(agency, today=today) if self.registry.succession else []
            if not linked:
                names = tuple(own)
            else:
                names = tuple(
                    plan_names(
                        own,
                        linked,
                        groups_of=self.registry.group_names,
                        named=self._named.get(plan.number, frozenset()),
                        issued=plan.issued_on,
                        in_force=plan_status(plan, today) == "in_force",
                        ended=plan_end(plan),
                    )
                )
            self._memo[key] = names
        return names

    def named_for(self, agency: Agency, names: Iterable[str], *, plan_number: str, today: date) -> bool:
        """Whether one of ``names`` (a task's leads, say) counts as ``agency`` in that plan on ``today``."""
        plan = self._plans.get(plan_number)
        counted = self.names_in_plan(agency, plan, today=today) if plan is not None else self.responsible_names(agency)
        return any(n in counted for n in names)

    def reports_for(self, name: str, task: Task, *, today: date | None = None) -> bool:
        """Whether the agency called ``name`` reports on ``task`` as its lead (itself, a group it belongs to, or —
        given ``today`` — a body it took over from or that took over from it, as :meth:`names_in_plan` counts).

        Every report path (command, button, bare number, CLI) asks here; anyone else's report is input only."""
        agency = self.agency(name)
        if agency is None:
            return name in task.lead
        plan = self._plans.get(task.plan_number)
        names = (
            self.names_in_plan(agency, plan, today=today)
            if plan is not None and today is not None
            else self.responsible_names(agency)
        )
        return any(n in task.lead for n in names)

    def tasks_of(
        self,
        agency: Agency,
        *,
        role: RoleFilter = "lead",
        plan: str | None = None,
        today: date | None = None,
    ) -> list[Task]:
        """Tasks of an agency (or of the groups it belongs to), in plan order; given ``today``, also those it holds
        through succession in each plan (:meth:`names_in_plan`): per plan its own tasks first, then those it took
        over."""
        own = self.responsible_names(agency)
        linked = self.stand_ins(agency, today=today) if today is not None and self.registry.succession else []
        names = list(own)
        if linked:
            names += [s.name for s in linked]
            names += [g for s in linked for g in self.registry.group_names(s.name)]
        own_set = set(own)
        found: dict[tuple[str, str], tuple[int, bool, int, Task]] = {}
        held: dict[str, tuple[str, ...]] = {}
        order = self._order
        for name in dict.fromkeys(names):
            inherited = name not in own_set
            sources: list[list[Task]] = []
            if role in ("lead", "any"):
                sources.append(self._by_lead.get(name, []))
            if role in ("coordinator", "any"):
                sources.append(self._by_coordinator.get(name, []))
            for source in sources:
                for task in source:
                    if plan is not None and task.plan_number != plan:
                        continue
                    if inherited and today is not None:  # a stand-in counts only where the plan's rule says so
                        counted = held.get(task.plan_number)
                        if counted is None:
                            counted = held[task.plan_number] = self.names_in_plan(
                                agency, self._plans[task.plan_number], today=today
                            )
                        if name not in counted:
                            continue
                    key = (task.plan_number, task.code)
                    if key not in found or (not inherited and found[key][1]):
                        found[key] = (order.get(task.plan_number, 0), inherited, task.position, task)
        return [entry[3] for entry in sorted(found.values(), key=lambda e: e[:3])]

    def agencies_in_plans(self) -> list[Agency]:
        """Agencies that lead or coordinate at least one task."""
        names = dict.fromkeys([*self._by_lead, *self._by_coordinator])
        return [a for n in names if (a := self.registry.get(n)) is not None]

    def lead_count(self, name: str) -> int:
        return len(self._by_lead.get(name, ()))

    def coordinator_count(self, name: str) -> int:
        return len(self._by_coordinator.get(name, ()))
