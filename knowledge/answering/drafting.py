"""The parts every rendered answer shares: a draft (header, list entries, footer) cut into pages, and the small
phrases answers repeat — agency names, a task's deadline, sources.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Generic, TypeVar

from knowledge.answering.answer import Answer, Intent, Suggestion
from knowledge.answering.query import Query
from knowledge.base import KnowledgeBase
from knowledge.records import Task
from knowledge.reply import Fragment, Reply, bold, fmt_date, italic

__all__ = [
    "PAGE_SIZE",
    "Draft",
    "Entries",
    "Line",
    "citation",
    "deadline_phrase",
    "lower_first",
    "names",
    "paginate",
    "grouped_by_plan",
    "short_number",
    "sources",
    "task_label",
]

PAGE_SIZE = 8
MORE_LABEL = "Xem thêm"

Line = tuple[Fragment, ...]
Item = TypeVar("Item")


class Entries(Generic[Item]):
    """List entries rendered lazily: a long list (thousands of overdue tasks) costs only the page shown.

    With ``heading``, an entry whose heading differs from the previous entry's on the page (a list grouped by plan)
    is preceded by that heading in bold.
    """

    def __init__(
        self,
        items: Sequence[Item],
        task_of: Callable[[Item], Task],
        render: Callable[[Item], list[Line]],
        heading: Callable[[Item], str] | None = None,
    ):
        self.items = items
        self.task_of = task_of
        self.render = render
        self.heading = heading

    def __len__(self) -> int:
        return len(self.items)

    def page(self, start: int, stop: int) -> list[tuple[Task, list[Line]]]:
        out: list[tuple[Task, list[Line]]] = []
        last = ""
        for item in self.items[start:stop]:
            lines = self.render(item)
            if self.heading is not None:
                heading = self.heading(item)
                if heading != last:
                    lines = [(bold(heading),), *lines]
                    last = heading
            out.append((self.task_of(item), lines))
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class Draft:
    """An answer before pagination: a header, list entries (each a few lines) and a footer."""

    intent: Intent
    header: tuple[Line, ...] = ()
    entries: Entries[Any] | None = None
    footer: tuple[Line, ...] = ()
    agencies: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()
    plans: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    choices: tuple[Suggestion, ...] = ()


def paginate(draft: Draft, query: Query, rule: str) -> Answer:
    """The page ``query.page`` of ``draft`` (the last page when it asks past the end)."""
    total = len(draft.entries) if draft.entries is not None else 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, query.page), pages)
    shown = draft.entries.page((page - 1) * PAGE_SIZE, page * PAGE_SIZE) if draft.entries is not None else []
    lines: list[Line] = list(draft.header)
    for _, rendered in shown:
        lines.extend(rendered)
    suggestions = list(draft.suggestions)
    next_page: Query | None = None
    if pages > 1:
        left = total - page * PAGE_SIZE
        lines.append((italic(f"Trang {page}/{pages} — còn {left} mục" if page < pages else f"Trang {page}/{pages}"),))
        if page < pages:
            next_page = _at_page(query, page + 1)
            suggestions.insert(0, Suggestion(label=MORE_LABEL, query=next_page))
    if draft.footer:
        lines.append(())
        lines.extend(draft.footer)
    citations = draft.citations
    if shown:
        where = sources([task for task, _ in shown])
        lines.append((italic("Nguồn: " + where),))
        citations = citations or tuple(where.split("; "))
    return Answer(
        intent=draft.intent,
        reply=Reply(lines=tuple(lines)),
        query=_at_page(query, page),
        rule=rule,
        agencies=draft.agencies,
        tasks=draft.tasks,
        plans=draft.plans or tuple(dict.fromkeys(t.plan_number for t in draft.tasks)),
        citations=citations,
        suggestions=tuple(suggestions),
        choices=draft.choices,
        page=page,
        pages=pages,
        next_page=next_page,
    )


def _at_page(query: Query, page: int) -> Query:
    return query if query.page == page else replace(query, page=page)


def names(kb: KnowledgeBase, agencies: Sequence[str], *, short: bool = True) -> str:
    """Agency names joined for display; ``short`` prefers each agency's abbreviation ("Sở KH&ĐT")."""
    out = []
    for name in agencies:
        agency = kb.agency(name)
        out.append(agency.short if short and agency is not None and agency.short else name)
    return ", ".join(out)


def deadline_phrase(task: Task, today: date) -> str:
    """When a task falls due, said briefly: its date and phrase, or its rule and the next date."""
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
        return f"{lower_first(summary)}; lần tới {fmt_date(upcoming[0].due)}"
    final = fmt_date(schedule.deadlines[-1].due)
    summary = lower_first(summary)
    return summary if final in summary else f"{summary}; hạn cuối {final}"


def task_label(task: Task, *, qualified: bool) -> str:
    """A task's id, with its plan's number when several plans answer: "II.1" or "38:II.1"."""
    return f"{short_number(task.plan_number)}:{task.code}" if qualified else task.code


def short_number(plan_number: str) -> str:
    """ "435/KH-UBND" → "435"."""
    return plan_number.split("/")[0].strip()


def grouped_by_plan(tasks: Sequence[Task]) -> tuple[Task, ...]:
    """Tasks grouped by plan, the groups in order of their first task (so the most relevant group comes first)."""
    groups: dict[str, list[Task]] = {}
    for task in tasks:
        groups.setdefault(task.plan_number, []).append(task)
    return tuple(t for group in groups.values() for t in group)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def citation(task: Task) -> str:
    return f"Nguồn: Phụ lục, mục {task.code} — Kế hoạch {task.plan_number}"


def sources(tasks: Sequence[Task]) -> str:
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
