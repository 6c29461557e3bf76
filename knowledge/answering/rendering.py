"""Rendering: :class:`Findings` into a short Vietnamese :class:`Answer` with sources, follow-ups and pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from knowledge.answering.answer import Answer, Intent, Suggestion
from knowledge.answering.catalogue import Catalogue, Occurrence
from knowledge.answering.drafting import (
    Draft,
    Entries,
    Line,
    citation,
    deadline_phrase,
    names,
    paginate,
)
from knowledge.answering.execution import Findings
from knowledge.answering.plan_facts import plan_facts_draft, plan_text_draft, reporting_draft, reporting_sentence
from knowledge.answering.plan_resolution import TaskRef
from knowledge.answering.query import Query
from knowledge.records import Task
from knowledge.reply import Fragment, ReplyBuilder, bold, fmt_date, italic, shorten

__all__ = ["EXAMPLES", "render"]

EXAMPLES = (
    "Sở Tài chính có nhiệm vụ gì?",
    "Nhiệm vụ của tôi",
    "Ai lo phần mềm kế toán cho HTX?",
    "Hạn báo cáo hằng năm?",
    "Sắp đến hạn việc gì?",
    "Chi tiết XV.6",
)
_DETAIL_SUGGESTIONS = 3
_AGENCY_LIST = Query(shape="rank")


def render(findings: Findings, catalogue: Catalogue, *, rule: str = "") -> Answer:
    """The answer for ``findings``: the page its query asks for."""
    return paginate(_draft(findings, catalogue), findings.query, rule)


def _draft(f: Findings, cat: Catalogue) -> Draft:
    query = f.query
    shape = query.shape
    if shape in ("tasks", "count"):
        if query.status == "overdue":
            return _overdue(f, cat)
        if query.status == "due" or query.window is not None:
            return _due(f, cat)
        if query.partner:
            return _partners(f, cat)
        if len(f.agencies) >= 2:
            return _several(f, cat)
        if query.mine and not f.agencies:
            return _unregistered()
        if f.agencies:
            return _agency(f, cat, intent="my_tasks" if query.mine else "agency_tasks")
        return _topic(f, cat, intent="search")
    if shape == "who":
        return _topic(f, cat, intent="who")
    if shape == "when":
        return _topic(f, cat, intent="deadline")
    if shape == "yes_no":
        return _topic(f, cat, intent="yes_no")
    if shape == "detail":
        return _detail(f, cat)
    if shape == "clarify":
        return _clarify(f)
    if shape == "no_agency":
        return _no_agency(f)
    if shape == "plan_facts":
        return plan_facts_draft(f, cat)
    if shape == "plan_text":
        return plan_text_draft(f)
    if shape == "reporting":
        return reporting_draft(f, cat)
    if shape == "greeting":
        return _help("greeting")
    if shape == "help":
        return _help("help")
    return _help("unknown")


# -- task lists ---------------------------------------------------------------------------------------------------


def _agency(f: Findings, cat: Catalogue, *, intent: Intent) -> Draft:
    agency = f.agencies[0]
    b = ReplyBuilder()
    if f.via_group:
        b.line(f"{agency.name} thuộc nhóm ", bold(f.via_group), " trong kế hoạch; nhiệm vụ của nhóm như sau.")
        b.blank()
    name = f.via_group or agency.name
    if not f.led and not f.coordinated:
        if f.duties:
            b.line(bold(agency.name), " không chủ trì, phối hợp nhiệm vụ nào trong Phụ lục; kế hoạch nêu:")
            for plan, duty in f.duties[:4]:
                b.line(f"• Mục {duty.label}: {shorten(duty.text, 400)}")
                b.line(italic(f"  Nguồn: mục {duty.label} (Tổ chức thực hiện) — Kế hoạch {plan.number}"))
            return Draft(intent=intent, header=b.build().lines, agencies=(agency.name,))
        b.line(bold(agency.name), " không có nhiệm vụ nào được giao trong kế hoạch này", _plans_suffix(f), ".")
        b.line("Bạn có thể hỏi theo chủ đề, ví dụ: “ai lo phần mềm kế toán cho HTX?”")
        return Draft(
            intent=intent,
            header=b.build().lines,
            agencies=(agency.name,),
            suggestions=(Suggestion(label="Danh sách cơ quan có nhiệm vụ", query=_AGENCY_LIST),),
        )
    asked = f.query.role
    if asked == "coordinator":
        if not f.coordinated:
            b.line(bold(name), " không phối hợp nhiệm vụ nào được nêu đích danh trong kế hoạch.")
        else:
            b.line(bold(name), f" phối hợp thực hiện {len(f.coordinated)} nhiệm vụ:")
    elif f.role == "coordinator":
        b.line(bold(name), " không chủ trì nhiệm vụ nào; ", f"phối hợp thực hiện {len(f.coordinated)} nhiệm vụ:")
    else:
        b.line(bold(name), f" chủ trì {len(f.led)} nhiệm vụ", _plans_suffix(f), ":")
    suggestions: list[Suggestion] = []
    note = ""
    if asked != "coordinator" and f.led and f.coordinated:
        coordination = Query(shape="tasks", agencies=(agency.name,), role="coordinator")
        suggestions.append(Suggestion(label=f"Phối hợp ({len(f.coordinated)})", query=coordination))
        note = f"Ngoài ra phối hợp {len(f.coordinated)} nhiệm vụ khác (hỏi “{agency.name} phối hợp nhiệm vụ nào”)."
    trailer = [reporting_sentence(f.plans[0], cat)] if "reporting" in f.query.facts and f.plans else []
    footer = tuple((Fragment(text=t),) for t in (*trailer, note) if t)
    return _task_list(intent, b, f, cat, agencies=(name,), suggestions=suggestions, footer=footer)


def _several(f: Findings, cat: Catalogue) -> Draft:
    """Several agencies' tasks, the lead shown on every task."""
    b = ReplyBuilder()
    what = "phối hợp" if f.role == "coordinator" else "chủ trì"
    counts = "; ".join(f"{name} {count}" for name, count in f.counts)
    b.line(f"Nhiệm vụ {what} ({counts}){_plans_suffix(f)}:")
    names_asked = tuple(a.name for a in f.agencies)
    return _task_list("agency_tasks", b, f, cat, agencies=names_asked, show_lead=f.role != "coordinator")


def _partners(f: Findings, cat: Catalogue) -> Draft:
    """ "X phối hợp với Y trong việc gì": tasks one leads and the other coordinates."""
    subject, partner = (a.name for a in f.agencies[:2])
    b = ReplyBuilder()
    if not f.tasks:
        b.line(f"Kế hoạch không có nhiệm vụ nào {subject} và {partner} cùng thực hiện (chủ trì – phối hợp).")
        return Draft(intent="agency_tasks", header=b.build().lines, agencies=(subject, partner))
    lead, helper = f.lead_agency, f.helper_agency
    b.line(bold(helper), f" phối hợp với {lead} trong {len(f.tasks)} nhiệm vụ do {lead} chủ trì:")
    return _task_list("agency_tasks", b, f, cat, agencies=(subject, partner))


def _unregistered() -> Draft:
    b = ReplyBuilder()
    b.line("Bạn chưa đăng ký cơ quan nên tôi chưa biết “nhiệm vụ của bạn” là của đơn vị nào.")
    b.line("Hãy hỏi kèm tên cơ quan, ví dụ: “Sở Tài chính có nhiệm vụ gì?”, hoặc đăng ký bằng /dangky <cơ quan>.")
    return Draft(
        intent="my_tasks", header=b.build().lines, suggestions=(Suggestion(label="Đăng ký cơ quan", text="/dangky"),)
    )


def _topic(f: Findings, cat: Catalogue, *, intent: Intent) -> Draft:
    tasks = f.tasks
    b = ReplyBuilder()
    if not tasks:
        b.line(f"Không tìm thấy nhiệm vụ nào phù hợp với “{shorten(f.query.topic, 120)}”.")
        return Draft(intent=intent, header=b.build().lines)
    first = tasks[0]
    if intent in ("who", "yes_no"):
        for agency in f.agencies:
            held = set(cat.kb.responsible_names(agency))
            if held & set(first.lead):
                b.line(f"Có, {agency.name} chủ trì nhiệm vụ {first.code}.")
            elif held & set(first.coordinators):
                b.line(f"Không, {agency.name} phối hợp, không chủ trì nhiệm vụ {first.code}.")
            else:
                b.line(f"Không, {agency.name} không được giao nhiệm vụ {first.code}.")
        first_leads = ", ".join(dict.fromkeys(first.lead)) or "Chưa rõ cơ quan"
        b.line(bold(first_leads), f" chủ trì nhiệm vụ {first.code}.")
        if len(tasks) > 1:
            b.line("Các nhiệm vụ liên quan:")
    elif intent == "deadline":
        b.line(f"Hạn của nhiệm vụ {first.code}: ", bold(deadline_phrase(first, f.today)))
        if len(tasks) > 1:
            b.line("Các nhiệm vụ liên quan:")
    else:
        b.line(f"Các nhiệm vụ liên quan ({len(tasks)}):")
    leads = tuple(dict.fromkeys(n for t in tasks for n in t.lead))
    return _task_list(intent, b, f, cat, agencies=leads, show_lead=True)


def _task_list(
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

    def entry(task: Task) -> list[Line]:
        lines: list[Line] = [(bold(f"• {task.code}"), Fragment(text=f" — {shorten(task.content, 180)}"))]
        if show_lead:
            lines.append((Fragment(text=f"  Chủ trì: {names(cat.kb, task.lead, short=False)}"),))
        if task.coordinators:
            lines.append((Fragment(text=f"  Phối hợp: {names(cat.kb, task.coordinators)}"),))
        lines.append((Fragment(text=f"  Hạn: {deadline_phrase(task, today)}"),))
        return lines

    entries: Entries[Task] = Entries(f.tasks, lambda t: t, entry)
    return Draft(
        intent=intent,
        header=b.build().lines,
        entries=entries,
        footer=footer,
        agencies=agencies,
        tasks=f.tasks,
        suggestions=(*suggestions, *_detail_suggestions(f.tasks)),
    )


# -- deadlines ----------------------------------------------------------------------------------------------------


def _due(f: Findings, cat: Catalogue) -> Draft:
    window = f.query.window
    b = ReplyBuilder()
    who = f" của {f.agencies[0].name}" if f.agencies else ""
    label, span = (window.label, _span(window.start, window.end)) if window else ("hôm nay", fmt_date(f.today))
    if not f.occurrences:
        b.line(f"Không có nhiệm vụ{who} đến hạn trong {label} ", f"({span}).")
        last = cat.last_due()
        if last and last < f.today:
            b.line(f"Lưu ý: hạn cuối cùng trong kế hoạch là {fmt_date(last)}.")
        return Draft(intent="upcoming", header=b.build().lines, agencies=_agency_names(f))
    b.line(f"Nhiệm vụ{who} đến hạn trong {label} ({span}): {len(f.occurrences)}")
    return _occurrence_list("upcoming", b, f, cat)


def _overdue(f: Findings, cat: Catalogue) -> Draft:
    b = ReplyBuilder()
    who = f" của {f.agencies[0].name}" if f.agencies else ""
    today = fmt_date(f.today)
    if not f.occurrences:
        b.line(f"Không có nhiệm vụ{who} quá hạn (tính đến {today}).")
        return Draft(intent="overdue", header=b.build().lines, agencies=_agency_names(f))
    b.line(f"Nhiệm vụ{who} đã quá hạn chưa có báo cáo hoàn thành (tính đến {today}): {len(f.occurrences)}")
    return _occurrence_list("overdue", b, f, cat)


def _occurrence_list(intent: Intent, b: ReplyBuilder, f: Findings, cat: Catalogue) -> Draft:
    show_lead = not f.agencies

    def entry(item: Occurrence) -> list[Line]:
        deadline, task = item
        lead = f" ({names(cat.kb, task.lead)})" if show_lead else ""
        return [
            (bold(f"• {fmt_date(deadline.due)}"), Fragment(text=f" — {task.code}{lead}: {shorten(task.content, 120)}")),
            (Fragment(text=f"  {deadline.reason}"),),
        ]

    entries: Entries[Occurrence] = Entries(f.occurrences, lambda item: item[1], entry)
    agencies = _agency_names(f) or tuple(dict.fromkeys(n for t in f.tasks for n in t.lead))
    return Draft(
        intent=intent,
        header=b.build().lines,
        entries=entries,
        agencies=agencies,
        tasks=f.tasks,
        suggestions=_detail_suggestions(f.tasks),
    )


# -- single tasks, agencies, help ---------------------------------------------------------------------------------


def _detail(f: Findings, cat: Catalogue) -> Draft:
    tasks = list(f.tasks)
    plans = {t.plan_number for t in tasks}
    codes = list(dict.fromkeys(ref.code for ref in f.query.tasks))
    if len(plans) > 1 and len(tasks) > 3:
        b = ReplyBuilder().line(
            f"Mã {', '.join(codes)} có trong {len(plans)} kế hoạch; gõ kèm số kế hoạch để xem chi tiết, "
            f"ví dụ: “chi tiết {tasks[0].code} kế hoạch {tasks[0].plan_number}”."
        )
        return _task_list("task_detail", b, f, cat, show_lead=True)
    b = ReplyBuilder()
    for index, task in enumerate(tasks):
        if index:
            b.blank()
        b.line(bold(f"Nhiệm vụ {task.code}"), f" — Kế hoạch {task.plan_number}")
        b.line("Nội dung: ", task.content)
        b.line("Chủ trì: ", names(cat.kb, task.lead, short=False))
        if task.coordinators:
            b.line("Phối hợp: ", names(cat.kb, task.coordinators, short=False))
        if task.product:
            b.line("Sản phẩm: ", task.product)
        b.line("Thời gian thực hiện: ", task.time_text or "không ghi")
        b.line("Hạn: ", deadline_phrase(task, f.today))
        if len(task.schedule.deadlines) > 1:
            b.line("Các mốc: ", ", ".join(fmt_date(d.due) for d in task.schedule.deadlines))
        b.line(italic(citation(task)))
    return Draft(
        intent="task_detail",
        header=b.build().lines,
        agencies=tuple(dict.fromkeys(n for t in tasks for n in t.lead)),
        tasks=tuple(tasks),
        citations=tuple(citation(t) for t in tasks),
    )


def _clarify(f: Findings) -> Draft:
    query = f.query
    b = ReplyBuilder()
    b.line(f"“{query.name}” có thể là một trong các cơ quan sau. Bạn muốn hỏi cơ quan nào?")
    choices = tuple(
        Suggestion(label=name, query=Query(shape="tasks", agencies=(name,), role=query.role))
        for name in query.candidates
    )
    for index, choice in enumerate(choices, start=1):
        b.line(f"{index}. {choice.label}")
    return Draft(intent="clarify", header=b.build().lines, agencies=query.candidates, choices=choices)


def _no_agency(f: Findings) -> Draft:
    b = ReplyBuilder()
    b.line(
        "Không tìm thấy cơ quan ",
        bold(f"“{f.query.name}”"),
        " trong danh mục; cơ quan này không có nhiệm vụ nào được giao trong kế hoạch này",
        _plans_suffix(f),
        ".",
    )
    b.line("Kiểm tra lại tên cơ quan, hoặc gõ “các cơ quan có nhiệm vụ” để xem danh sách.")
    return Draft(
        intent="agency_tasks",
        header=b.build().lines,
        suggestions=(Suggestion(label="Danh sách cơ quan có nhiệm vụ", query=_AGENCY_LIST),),
    )


def _help(intent: Intent) -> Draft:
    b = ReplyBuilder()
    if intent == "greeting":
        b.line("Xin chào! Tôi là ", bold("Trợ lý nhiệm vụ"), ": tôi tra cứu nhiệm vụ, thời hạn trong kế hoạch.")
    elif intent == "unknown":
        b.line("Xin lỗi, tôi chưa hiểu câu hỏi hoặc không tìm thấy nội dung phù hợp trong kế hoạch.")
    else:
        b.line("Tôi tra cứu nhiệm vụ, cơ quan chủ trì, phối hợp và thời hạn trong kế hoạch.")
    b.line("Bạn có thể hỏi, ví dụ:")
    for example in EXAMPLES:
        b.line(f"• {example}")
    return Draft(
        intent=intent,
        header=b.build().lines,
        suggestions=tuple(Suggestion(label=e, text=e) for e in EXAMPLES[:3]),
    )


# -- helpers ------------------------------------------------------------------------------------------------------


def _detail_suggestions(tasks: Sequence[Task]) -> tuple[Suggestion, ...]:
    return tuple(
        Suggestion(
            label=f"Chi tiết {t.code}",
            query=Query(shape="detail", tasks=(TaskRef(code=t.code, plan=t.plan_number),)),
        )
        for t in tasks[:_DETAIL_SUGGESTIONS]
    )


def _agency_names(f: Findings) -> tuple[str, ...]:
    return (f.agencies[0].name,) if f.agencies else ()


def _plans_suffix(f: Findings) -> str:
    return f" (Kế hoạch {f.plans[0].number})" if len(f.plans) == 1 else ""


def _span(start: date, end: date) -> str:
    return fmt_date(start) if start == end else f"{fmt_date(start)} – {fmt_date(end)}"
