"""An immutable in-memory snapshot of the knowledge base: plans, tasks and agencies with fast lookups.

Built once at start (and again after an import) from the repository; every question is answered from here, never by
scanning the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from knowledge.agencies import AgencyRegistry
from knowledge.records import Agency, Plan, Task
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
        for plan in self.plans:
            self._plans[plan.number] = plan
            for task in plan.tasks:
                self._by_code.setdefault(task.code.upper(), []).append(task)
                for name in task.lead:
                    self._by_lead.setdefault(name, []).append(task)
                for name in task.coordinators:
                    self._by_coordinator.setdefault(name, []).append(task)

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
        """The names that count as ``agency`` in plans: the agency itself and the groups it belongs to ("UBND huyện
        Tiên Lãng" → "UBND các quận, huyện").

        This is the one place that decides it: agency task lists, "nhiệm vụ của tôi", yes/no answers, coordination
        and progress reports all ask here (the seam where succession between agencies plugs in)."""
        return [agency.name, *(g.name for g in self.registry.groups_of(agency.name))]

    def reports_for(self, name: str, task: Task) -> bool:
        """Whether the agency called ``name`` reports on ``task`` as its lead (itself, or a group it belongs to).

        Every report path (command, button, bare number, CLI) asks here; anyone else's report is input only."""
        agency = self.agency(name)
        names = self.responsible_names(agency) if agency is not None else [name]
        return any(n in task.lead for n in names)

    def tasks_of(self, agency: Agency, *, role: RoleFilter = "lead", plan: str | None = None) -> list[Task]:
        """Tasks of an agency (or of the groups it belongs to), in plan order."""
        found: dict[tuple[str, str], Task] = {}
        for name in self.responsible_names(agency):
            sources: list[list[Task]] = []
            if role in ("lead", "any"):
                sources.append(self._by_lead.get(name, []))
            if role in ("coordinator", "any"):
                sources.append(self._by_coordinator.get(name, []))
            for source in sources:
                for task in source:
                    if plan is None or task.plan_number == plan:
                        found.setdefault((task.plan_number, task.code), task)
        order = {p.number: i for i, p in enumerate(self.plans)}
        return sorted(found.values(), key=lambda t: (order.get(t.plan_number, 0), t.position))

    def agencies_in_plans(self) -> list[Agency]:
        """Agencies that lead or coordinate at least one task."""
        names = dict.fromkeys([*self._by_lead, *self._by_coordinator])
        return [a for n in names if (a := self.registry.get(n)) is not None]

    def lead_count(self, name: str) -> int:
        return len(self._by_lead.get(name, ()))

    def coordinator_count(self, name: str) -> int:
        return len(self._by_coordinator.get(name, ()))
