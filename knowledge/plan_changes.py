"""What an import would change: the tasks of a parsed plan against the stored version of the same plan. Pure.

A task is *unchanged* when everything a reader or a reminder depends on is the same (section, content, lead and
coordinating agencies, product, time phrase and its deadlines); its position in the table does not count. Tasks in
the stored version but not in the document are *retired* (kept, marked inactive, as the repository does).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from knowledge.records import ImportIssue, ParsedPlan, Plan, Task

__all__ = ["ImportPreview", "PlanChanges", "compare_plans", "preview_import"]


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanChanges:
    """Task ids by what an import does to them, in document order (retired: stored order)."""

    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportPreview:
    """What importing a parsed document would do, before anything is written."""

    parsed: ParsedPlan
    stored: bool  # a plan with this number is stored already (the import updates it in place)
    changes: PlanChanges
    tasks_by_lead: tuple[tuple[str, int], ...]  # lead agency → tasks, most first
    unknown_agencies: tuple[str, ...]  # names the registry does not know, as the document prints them
    without_lead: tuple[ImportIssue, ...]  # the rows of tasks that have no lead agency

    @property
    def warnings(self) -> tuple[ImportIssue, ...]:
        return self.parsed.warnings


def _substance(task: Task) -> tuple[object, ...]:
    deadlines = tuple((d.due, d.rule, d.final) for d in task.schedule.deadlines)
    return (
        task.section_code,
        task.section_title,
        task.content,
        task.lead,
        task.coordinators,
        task.coordinators_text,
        task.product,
        task.time_text,
        task.schedule.recurrence,
        deadlines,
    )


def compare_plans(new: Plan, stored: Plan | None) -> PlanChanges:
    """How ``new`` differs task by task from ``stored`` (None: nothing stored, every task is new)."""
    if stored is None:
        return PlanChanges(new=tuple(t.code for t in new.tasks))
    before = {t.code: t for t in stored.tasks}
    added: list[str] = []
    changed: list[str] = []
    same: list[str] = []
    for task in new.tasks:
        old = before.pop(task.code, None)
        if old is None:
            added.append(task.code)
        elif _substance(old) == _substance(task):
            same.append(task.code)
        else:
            changed.append(task.code)
    return PlanChanges(new=tuple(added), changed=tuple(changed), unchanged=tuple(same), retired=tuple(before))


def preview_import(parsed: ParsedPlan, stored: Plan | None) -> ImportPreview:
    """The preview of importing ``parsed`` over ``stored`` (the stored plan with the same number, or None)."""
    plan = parsed.plan
    leads = Counter(name for task in plan.tasks for name in dict.fromkeys(task.lead))
    unknown = tuple(dict.fromkeys(a.name for a in parsed.agencies if a.kind == "unknown"))
    return ImportPreview(
        parsed=parsed,
        stored=stored is not None,
        changes=compare_plans(plan, stored),
        tasks_by_lead=tuple(sorted(leads.items(), key=lambda kv: (-kv[1], kv[0]))),
        unknown_agencies=unknown,
        without_lead=tuple(i for i in parsed.issues if i.code == "no-lead"),
    )
