"""Task lists and deadline lists as reply drafts: the entries, their labels (with the plan when several plans
answer), the lead shown when no agency was asked, and the details offered next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from knowledge.answering.answer import Intent, Suggestion
from knowledge.answering.catalogue import Catalogue, Occurrence
from knowledge.answering.drafting import Draft, Entries, Line, deadline_phrase, grouped_by_plan, names, task_label
from knowledge.answering.execution import Findings
from knowledge.answering.plan_resolution import TaskRef
from knowledge.answering.query import Query
from knowledge.answering.time_window import TimeWindow
from knowledge.records import Task
from knowledge.reply import Fragment, ReplyBuilder, bold, fmt_date, shorten

__all__ = [
    "agency_names",
    "date_span",
    "detail_query",
    "detail_suggestions",
    "due_draft",
    "overdue_draft",
    "plans_phrase",
    "plans_suffix",
    "several_plans",
    "task_list",
    "within_draft",
]

_DETAIL_SUGGESTIONS = 3


def several_plans(tasks: Sequence[Task]) -> bool:
    first = tasks[0].plan_number if tasks else ""
    return any(t.plan_number != first for t in tasks)


def agency_names(f: Findings) -> tuple[str, ...]:
    return (f.agencies[0].name,) if f.agencies else ()


def plans_suffix(f: Findings) -> str:
    return f" (Kế hoạch {f.plans[0].number})" if len(f.plans) == 1 else ""


def plans_phrase(f: Findings) -> str:
    """ "kế hoạch này (Kế hoạch 435/KH-UBND)" or "các kế hoạch đang thực hiện"."""
    if len(f.plans) == 1:
        return f"kế hoạch này (Kế hoạch {f.plans[0].number})"
    return "các kế hoạch" if f.query.plans or f.fell_back else "các kế hoạch đang thực hiện"


def date_span(start: date, end: date) -> str:
    return fmt_date(start) if start == end else f"{fmt_date(start)} – {fmt_date(end)}"


def detail_query(task: Task) -> Query:
    return Query(shape="detail", tasks=(TaskRef(code=task.code, plan=task.plan_number),))


def detail_suggestions(tasks: Sequence[Task]) -> tuple[Suggestion, ...]:
    qualified = several_plans(tasks)
    return tuple(
        Suggestion(label=f"Chi tiết {task_label(t, qualified=qualified)}", query=detail_query(t))
        for t in tasks[:_DETAIL_SUGGESTIONS]
    )


def task_list(
    intent: Intent,
    b: ReplyBuilder,
    f: Findings,
    cat: Catalogue,
    *,
    agencies: tuple[str, ...] = (),
    suggestions: Sequence[Suggestion] = (),
    show_lead: bool = False,
    footer: tuple[Line, ...] = (),
) -> Draft:
    today = f.today
    qualified = several_plans(f.tasks)
    tasks = grouped_by_plan(f.tasks) if qualified else f.tasks

    def entry(task: Task) -> list[Line]:
        label = task_label(task, qualified=qualified)
        lines: list[Line] = [(bold(f"• {label}"), Fragment(text=f" — {shorten(task.content, 180)}"))]
        if show_lead:
            lines.append((Fragment(text=f"  Chủ trì: {names(cat.kb, task.lead, short=False)}"),))
        if task.coordinators:
            lines.append((Fragment(text=f"  Phối hợp: {names(cat.kb, task.coordinators)}"),))
        lines.append((Fragment(text=f"  Hạn: {deadline_phrase(task, today)}"),))
        return lines

    heading = (lambda task: cat.labels[task.plan_number]) if qualified else None
    entries: Entries[Task] = Entries(tasks, lambda t: t, entry, heading)
    return Draft(
        intent=intent,
        header=b.build().lines,
        entries=entries,
        footer=footer,
        agencies=agencies,
        tasks=tasks,
        suggestions=(*suggestions, *detail_suggestions(tasks)),
    )


def due_draft(f: Findings, cat: Catalogue) -> Draft:
    window = f.query.window
    b = ReplyBuilder()
    who = f" của {f.agencies[0].name}" if f.agencies else ""
    if f.agencies and f.query.role == "coordinator":
        who = f" {f.agencies[0].name} phối hợp"
    if window:
        label, dates_asked = window.label, date_span(window.start, window.end)
    else:
        label, dates_asked = "hôm nay", fmt_date(f.today)
    within = label if label.startswith(("từ ", "ngày ")) else f"trong {label}"  # "từ nay đến hết tháng 6/2026"
    dates = "" if label.startswith("ngày ") else f" ({dates_asked})"  # one day: its label is its date
    about = f" về “{shorten(f.query.topic, 80)}”" if f.query.topic else ""
    if not f.occurrences and f.next_due:  # nothing within the default window: the next deadlines, however far
        b.line(f"Không có nhiệm vụ{who} đến hạn {within}{dates}. Hạn gần nhất sau đó:")
        return _occurrence_list("upcoming", b, f, cat, f.next_due)
    if not f.occurrences and f.ongoing:
        b.line(f"Không có nhiệm vụ{who} đến hạn {within}{dates}.")
        for text in _ongoing_lines(f):
            b.line(text)
        return Draft(intent="upcoming", header=b.build().lines, agencies=agency_names(f), tasks=f.tasks)
    if not f.occurrences:
        b.line(f"Không có nhiệm vụ{who}{about} đến hạn {within}{dates}.")
        last = cat.last_due(f.plans)
        if last and last < f.today:
            b.line(f"Lưu ý: hạn cuối cùng trong kế hoạch là {fmt_date(last)}.")
        return Draft(intent="upcoming", header=b.build().lines, agencies=agency_names(f))
    b.line(f"Nhiệm vụ{who}{about} đến hạn {within}{dates}: {len(f.occurrences)}")
    draft = _occurrence_list("upcoming", b, f, cat)
    if not f.ongoing:
        return draft
    footer = ReplyBuilder()
    for text in _ongoing_lines(f):
        footer.line(text)
    return replace(draft, footer=footer.build().lines)


def _ongoing_lines(f: Findings) -> list[str]:
    """The agency's tasks done all the time, which a year's deadlines do not list."""
    qualified = several_plans(f.tasks)
    return [
        f"Ngoài ra, nhiệm vụ thực hiện thường xuyên: {len(f.ongoing)}",
        *(f"• {task_label(t, qualified=qualified)} — {shorten(t.content, 120)}" for t in f.ongoing),
    ]


def within_draft(f: Findings, cat: Catalogue, window: TimeWindow) -> Draft:
    """The tasks whose every deadline falls inside the period ("việc nào chỉ làm trong năm 2018")."""
    b = ReplyBuilder()
    who = f" của {f.agencies[0].name}" if f.agencies else ""
    dates = date_span(window.start, window.end)
    if not f.tasks:
        b.line(f"Không có nhiệm vụ{who} nào chỉ thực hiện trong {window.label} (mọi mốc hạn trong {dates}).")
        return Draft(intent="upcoming", header=b.build().lines, agencies=agency_names(f))
    b.line(f"Nhiệm vụ{who} chỉ thực hiện trong {window.label} (mọi mốc hạn trong {dates}): {len(f.tasks)}")
    return task_list("upcoming", b, f, cat, show_lead=not f.agencies)


def overdue_draft(f: Findings, cat: Catalogue) -> Draft:
    b = ReplyBuilder()
    who = f" của {f.agencies[0].name}" if f.agencies else ""
    today = fmt_date(f.today)
    if not f.occurrences:
        b.line(f"Không có nhiệm vụ{who} quá hạn (tính đến {today}).")
        return Draft(intent="overdue", header=b.build().lines, agencies=agency_names(f))
    b.line(f"Nhiệm vụ{who} đã quá hạn chưa có báo cáo hoàn thành (tính đến {today}): {len(f.occurrences)}")
    return _occurrence_list("overdue", b, f, cat)


def _occurrence_list(
    intent: Intent, b: ReplyBuilder, f: Findings, cat: Catalogue, occurrences: Sequence[Occurrence] | None = None
) -> Draft:
    show_lead = not f.agencies
    qualified = several_plans(f.tasks)

    def entry(item: Occurrence) -> list[Line]:
        deadline, task = item
        lead = f" ({names(cat.kb, task.lead)})" if show_lead else ""
        label = task_label(task, qualified=qualified)
        return [
            (bold(f"• {fmt_date(deadline.due)}"), Fragment(text=f" — {label}{lead}: {shorten(task.content, 120)}")),
            (Fragment(text=f"  {deadline.reason}"),),
        ]

    listed = f.occurrences if occurrences is None else occurrences
    entries: Entries[Occurrence] = Entries(listed, lambda item: item[1], entry)
    agencies = agency_names(f) or tuple(dict.fromkeys(n for t in f.tasks for n in t.lead))
    return Draft(
        intent=intent,
        header=b.build().lines,
        entries=entries,
        agencies=agencies,
        tasks=f.tasks,
        suggestions=detail_suggestions(f.tasks),
    )
