"""Rendering: :class:`Findings` into a short Vietnamese :class:`Answer` with sources, follow-ups and pages.

When several plans answer, task lists are grouped by plan under each plan's label and every task is named with its
plan ("38:II.1"); an answer drawn from plans that have ended says so.
"""

from __future__ import annotations

from dataclasses import replace

from knowledge.answering.answer import Answer, Intent, Suggestion
from knowledge.answering.catalogue import Catalogue
from knowledge.answering.drafting import (
    Draft,
    citation,
    deadline_phrase,
    names,
    paginate,
    task_label,
)
from knowledge.answering.execution import Findings
from knowledge.answering.plan_facts import (
    plan_facts_draft,
    plan_text_draft,
    plans_draft,
    reporting_draft,
    reporting_lines,
)
from knowledge.answering.query import Query, Role
from knowledge.answering.succession_notes import heirs_only, kept_apart_lines, succession_lines
from knowledge.answering.task_replies import (
    detail_query,
    detail_suggestions,
    due_draft,
    overdue_draft,
    plans_phrase,
    plans_suffix,
    several_plans,
    task_list,
    within_draft,
)
from knowledge.plan_status import STATUS_LABELS
from knowledge.records import Agency, Recurrence
from knowledge.reply import Fragment, ReplyBuilder, bold, fmt_date, italic, shorten
from knowledge.succession import Succession
from knowledge.time_phrase_tokens import key as time_key

__all__ = ["EXAMPLES", "render"]

EXAMPLES = (
    "Sở Tài chính có nhiệm vụ gì?",
    "Nhiệm vụ của tôi",
    "Ai lo phần mềm kế toán cho HTX?",
    "Hạn báo cáo hằng năm?",
    "Sắp đến hạn việc gì?",
    "Chi tiết XV.6",
)
_RANK_SHOWN = 10
_CHOICES = 9  # numbered choices a chat can offer
_NOTED = 3  # ended plans named in a note
_NAMED_CODES = 8  # task ids named in one line
_AGENCY_LIST = Query(shape="rank")


RECURRENCE_LABELS: dict[Recurrence, str] = {
    "continuous": "thực hiện thường xuyên",
    "monthly": "làm hằng tháng",
    "quarterly": "làm hằng quý",
    "half-yearly": "làm định kỳ 6 tháng",
    "yearly": "làm hằng năm",
    "once": "làm một lần",
    "unknown": "có thời hạn chưa rõ",
}


def render(findings: Findings, catalogue: Catalogue, *, rule: str = "") -> Answer:
    """The answer for ``findings``: the page its query asks for."""
    draft = _draft(findings, catalogue)
    if findings.query.yes_no:
        draft = _yes_no(draft)
    recurrence = findings.query.recurrence
    if recurrence is not None and findings.query.shape in ("tasks", "count"):
        only = (Fragment(text=f"Chỉ tính các nhiệm vụ {RECURRENCE_LABELS[recurrence]}."),)
        draft = replace(draft, header=(only, *draft.header))
    phrase = findings.query.time_phrase
    if phrase and findings.query.shape in ("tasks", "count"):
        shown = next((t.time_text for t in catalogue.tasks if time_key(t.time_text) == phrase), phrase)
        only = (Fragment(text=f"Chỉ tính các nhiệm vụ ghi thời gian “{shown}”."),)
        draft = replace(draft, header=(only, *draft.header))
    note = _ended_note(findings, catalogue)
    if note:
        draft = replace(draft, footer=(*draft.footer, (italic(note),)))
    return paginate(draft, findings.query, rule)


def _draft(f: Findings, cat: Catalogue) -> Draft:
    query = f.query
    shape = query.shape
    if shape in ("tasks", "count"):
        if query.status == "overdue":
            return overdue_draft(f, cat)
        if query.status == "within" and query.window is not None:
            return within_draft(f, cat, query.window)
        if query.status == "due" or query.window is not None:
            return due_draft(f, cat)
        if query.partner:
            return _partners(f, cat)
        if len(f.agencies) >= 2:
            return _several(f, cat)
        if query.mine and not f.agencies:
            return _unregistered()
        if query.together and not f.agencies:
            return _shared(f, cat)
        if f.agencies:
            return _agency(f, cat, intent="my_tasks" if query.mine else "agency_tasks")
        if query.topic:
            return _topic(f, cat, intent="search")
        return _plan_tasks(f, cat)
    if shape == "who":
        return _topic(f, cat, intent="yes_no" if query.agencies else "who")
    if shape == "when":
        return _topic(f, cat, intent="deadline")
    if shape == "detail":
        return _detail(f, cat)
    if shape == "clarify":
        return _clarify(f)
    if shape == "no_agency":
        return _no_agency(f)
    if shape == "unknown_scheme":
        b = ReplyBuilder()
        b.line("Các kế hoạch không nhắc đến ", bold(f"“{f.query.name}”"), ", nên không có nhiệm vụ nào về đề án này.")
        return Draft(intent="search", header=b.build().lines)
    if shape == "own_procedure":
        b = ReplyBuilder()
        b.line(
            "Các kế hoạch không có nhiệm vụ nào về ",
            bold(f.query.name),
            ": đây là giấy tờ, thủ tục riêng của người dân, doanh nghiệp, do cơ quan có thẩm quyền giải quyết theo"
            " quy định.",
        )
        b.line("Bạn có thể hỏi về nhiệm vụ, cơ quan chủ trì hoặc thời hạn của các kế hoạch.")
        return Draft(intent="search", header=b.build().lines)
    if shape == "unstated_figure":
        b = ReplyBuilder()
        b.line(
            "Các kế hoạch không nêu ",
            bold(f.query.name),
            ": kế hoạch giao nhiệm vụ cho các cơ quan, không quy định lãi suất, giá, phí hay tiền lương.",
        )
        b.line("Bạn có thể hỏi về nhiệm vụ, cơ quan chủ trì hoặc thời hạn của các kế hoạch.")
        return Draft(intent="search", header=b.build().lines)
    if shape == "rank":
        return _rank(f)
    if shape == "compare":
        return _compare(f)
    if shape == "plan_facts":
        return plan_facts_draft(f, cat)
    if shape == "plan_text":
        return plan_text_draft(f)
    if shape == "plans":
        return plans_draft(f)
    if shape == "reporting":
        return reporting_draft(f)
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
    if f.stand_ins:
        new_bodies = [s.change.successor for s in f.stand_ins if _founded_by(cat, s.change)]
        for line in succession_lines(agency.name, f.stand_ins, new_bodies=new_bodies):
            b.line(line)
        b.blank()
    heirs = heirs_only(f.stand_ins, f.tasks, cat.kb.responsible_names(agency))
    name = f.via_group or (" và ".join(heirs) if heirs else agency.name)
    topic = f" về “{shorten(f.query.topic, 80)}”" if f.query.topic else ""
    if not f.led and not f.coordinated:
        if f.duties:
            b.line(bold(agency.name), " không chủ trì, phối hợp nhiệm vụ nào trong Phụ lục; kế hoạch nêu:")
            for plan, duty in f.duties[:4]:
                b.line(f"• Mục {duty.label}: {shorten(duty.text, 400)}")
                b.line(italic(f"  Nguồn: mục {duty.label} ({duty.section}) — Kế hoạch {plan.number}"))
            return Draft(intent=intent, header=b.build().lines, agencies=(agency.name,))
        b.line(bold(agency.name), " không có nhiệm vụ nào được giao trong ", plans_phrase(f), ".")
        for line in kept_apart_lines(agency.name, f.kept_apart, several_plans=len(f.plans) > 1):
            b.line(line)
        b.line("Bạn có thể hỏi theo chủ đề, ví dụ: “ai lo phần mềm kế toán cho HTX?”")
        return Draft(
            intent=intent,
            header=b.build().lines,
            agencies=(agency.name,),
            suggestions=(Suggestion(label="Danh sách cơ quan có nhiệm vụ", query=_AGENCY_LIST),),
        )
    asked = f.query.role
    if f.query.topic:
        what = _role_verb(f.role)
        if f.tasks:
            b.line(bold(name), f" {what} {len(f.tasks)} nhiệm vụ{topic}", plans_suffix(f), ":")
        else:
            no = "Không. " if f.query.yes_no and f.elsewhere else ""  # the task named below is another's
            b.line(no, bold(name), f" không {what} nhiệm vụ nào{topic}", plans_suffix(f), ".")
            for task in f.elsewhere:
                lead = names(cat.kb, task.lead, short=False)
                label = task_label(task, qualified=len(f.plans) > 1)
                b.line(f"Việc này là nhiệm vụ {label} do ", bold(lead), f" chủ trì: {shorten(task.content, 160)}")
    elif asked == "any":
        b.line(
            bold(name),
            f" tham gia {len(f.tasks)} nhiệm vụ: chủ trì {len(f.led)}, phối hợp {len(f.coordinated)}",
            plans_suffix(f),
            ":",
        )
    elif asked == "coordinator":
        if not f.coordinated:
            b.line(bold(name), " không phối hợp nhiệm vụ nào được nêu đích danh trong kế hoạch.")
        else:
            b.line(bold(name), f" phối hợp thực hiện {len(f.coordinated)} nhiệm vụ", plans_suffix(f), ":")
    elif f.role == "coordinator":
        b.line(bold(name), " không chủ trì nhiệm vụ nào; ", f"phối hợp thực hiện {len(f.coordinated)} nhiệm vụ:")
    elif not f.led:  # the lead role asked, and it holds none: say so, and where it coordinates
        codes = ", ".join(task_label(t, qualified=several_plans(f.coordinated)) for t in f.coordinated[:_NAMED_CODES])
        more = "…" if len(f.coordinated) > _NAMED_CODES else ""
        b.line(bold(name), " không chủ trì nhiệm vụ nào", plans_suffix(f), ".")
        b.line(
            f"Có phối hợp thực hiện {len(f.coordinated)} nhiệm vụ: {codes}{more} (hỏi “{name} phối hợp nhiệm vụ nào”)."
        )
        coordination = replace(f.query, role="coordinator", lead_only=False, page=1)
        return Draft(
            intent=intent,
            header=b.build().lines,
            agencies=(name,),
            suggestions=(Suggestion(label=f"Phối hợp ({len(f.coordinated)})", query=coordination),),
        )
    else:
        b.line(bold(name), f" chủ trì {len(f.led)} nhiệm vụ", plans_suffix(f), ":")
    suggestions: list[Suggestion] = []
    note = ""
    if asked == "lead" and f.led and f.coordinated and not f.query.topic:
        coordination = replace(f.query, role="coordinator", page=1)
        suggestions.append(Suggestion(label=f"Phối hợp ({len(f.coordinated)})", query=coordination))
        note = f"Ngoài ra phối hợp {len(f.coordinated)} nhiệm vụ khác (hỏi “{name} phối hợp nhiệm vụ nào”)."
    trailer = reporting_lines(f.plans) if "reporting" in f.query.facts else []
    apart = kept_apart_lines(agency.name, f.kept_apart, several_plans=len(f.plans) > 1)
    footer = tuple((Fragment(text=t),) for t in (*trailer, note, *apart) if t)
    draft = task_list(
        intent,
        b,
        f,
        cat,
        agencies=(name,),
        suggestions=suggestions,
        footer=footer,
        show_lead=bool(f.stand_ins) or asked == "any",
    )
    if f.elsewhere:  # the other agency's task that is the work asked about: offered in detail
        draft = replace(
            draft,
            tasks=(*draft.tasks, *f.elsewhere),
            suggestions=(*draft.suggestions, *detail_suggestions(f.elsewhere)),
        )
    return draft


def _role_verb(role: Role) -> str:
    """How a reply names the role asked: "chủ trì", "phối hợp", or either."""
    return {"lead": "chủ trì", "coordinator": "phối hợp", "any": "chủ trì hoặc phối hợp"}[role]


def _several(f: Findings, cat: Catalogue) -> Draft:
    """Several agencies' tasks, the lead shown on every task."""
    b = ReplyBuilder()
    what = _role_verb(f.role)
    counts = "; ".join(f"{name} {count}" for name, count in f.counts)
    if f.query.together:
        listed = ", ".join(name for name, _ in f.counts)
        what = "tham gia" if f.role == "any" else what
        if not f.tasks:
            b.line(f"Không có nhiệm vụ nào mà {listed} cùng {what}{plans_suffix(f)} (mỗi cơ quan: {counts}).")
            return Draft(intent="agency_tasks", header=b.build().lines, agencies=tuple(a.name for a in f.agencies))
        b.line(f"Nhiệm vụ {listed} cùng {what}{plans_suffix(f)}: {len(f.tasks)} (mỗi cơ quan: {counts}):")
    elif not f.tasks and f.query.topic:  # their tasks exist, none about the topic asked
        listed = ", ".join(name for name, _ in f.counts)
        topic = shorten(f.query.topic, 80)
        b.line(f"{listed} không {what} nhiệm vụ nào về “{topic}”{plans_suffix(f)} (mỗi cơ quan: {counts}).")
        return Draft(intent="agency_tasks", header=b.build().lines, agencies=tuple(a.name for a in f.agencies))
    else:
        b.line(f"Nhiệm vụ {what} ({counts}){plans_suffix(f)}:")
    names_asked = tuple(a.name for a in f.agencies)
    return task_list("agency_tasks", b, f, cat, agencies=names_asked, show_lead=f.role != "coordinator")


def _shared(f: Findings, cat: Catalogue) -> Draft:
    """The tasks several agencies hold together in the role asked ("việc nào có hai cơ quan cùng chủ trì")."""
    b = ReplyBuilder()
    what = "tham gia" if f.query.role == "any" else _role_verb(f.query.role)
    if not f.tasks:
        b.line(f"Không có nhiệm vụ nào do từ hai cơ quan trở lên cùng {what} trong {plans_phrase(f)}.")
        return Draft(intent="search", header=b.build().lines)
    b.line(f"Nhiệm vụ do từ hai cơ quan trở lên cùng {what}{plans_suffix(f)}: {len(f.tasks)}")
    intent: Intent = "count" if f.query.shape == "count" else "search"
    return task_list(intent, b, f, cat, show_lead=True)


def _partners(f: Findings, cat: Catalogue) -> Draft:
    """ "X phối hợp với Y trong việc gì": tasks one leads and the other coordinates."""
    subject, partner = (a.name for a in f.agencies[:2])
    b = ReplyBuilder()
    if not f.tasks:
        b.line(f"Kế hoạch không có nhiệm vụ nào {subject} và {partner} cùng thực hiện (chủ trì – phối hợp).")
        return Draft(intent="agency_tasks", header=b.build().lines, agencies=(subject, partner))
    lead, helper = f.lead_agency, f.helper_agency
    b.line(bold(helper), f" phối hợp với {lead} trong {len(f.tasks)} nhiệm vụ do {lead} chủ trì:")
    return task_list("agency_tasks", b, f, cat, agencies=(subject, partner))


def _unregistered() -> Draft:
    b = ReplyBuilder()
    b.line("Bạn chưa đăng ký cơ quan nên tôi chưa biết “nhiệm vụ của bạn” là của đơn vị nào.")
    b.line("Hãy hỏi kèm tên cơ quan, ví dụ: “Sở Tài chính có nhiệm vụ gì?”, hoặc đăng ký bằng /dangky <cơ quan>.")
    return Draft(
        intent="my_tasks", header=b.build().lines, suggestions=(Suggestion(label="Đăng ký cơ quan", text="/dangky"),)
    )


def _plan_tasks(f: Findings, cat: Catalogue) -> Draft:
    """Every task of the plans in scope ("kế hoạch 38 có những nhiệm vụ gì", "có mấy nhiệm vụ")."""
    b = ReplyBuilder()
    for plan in f.plans:
        count = sum(1 for t in f.tasks if t.plan_number == plan.number)
        leads = len({n for t in plan.tasks for n in t.lead})
        b.line(bold(cat.labels[plan.number]), f": {count} nhiệm vụ, giao cho {leads} cơ quan chủ trì.")
    intent: Intent = "count" if f.query.shape == "count" else "search"
    return task_list(intent, b, f, cat, show_lead=True)


def _topic(f: Findings, cat: Catalogue, *, intent: Intent) -> Draft:
    tasks = f.tasks
    b = ReplyBuilder()
    if not tasks:
        b.line(f"Không tìm thấy nhiệm vụ nào phù hợp với “{shorten(f.query.topic, 120)}”.")
        return Draft(intent=intent, header=b.build().lines)
    first = tasks[0]
    qualified = several_plans(tasks)
    code = task_label(first, qualified=qualified)
    if intent in ("who", "yes_no"):
        for agency in f.agencies:

            def held(names: tuple[str, ...], agency: Agency = agency) -> bool:
                return cat.kb.named_for(agency, names, plan_number=first.plan_number, today=f.today)

            if held(first.lead):
                if f.query.role == "coordinator":  # "X có phối hợp … không": it leads it
                    b.line(f"Không, {agency.name} chủ trì (không phải phối hợp) nhiệm vụ {code}.")
                else:
                    b.line(f"Có, {agency.name} chủ trì nhiệm vụ {code}.")
            elif held(first.coordinators):
                if f.query.role == "coordinator":
                    b.line(f"Có, {agency.name} phối hợp thực hiện nhiệm vụ {code}.")
                else:
                    b.line(f"Không, {agency.name} phối hợp, không chủ trì nhiệm vụ {code}.")
            else:
                b.line(f"Không, {agency.name} không được giao nhiệm vụ {code}.")
        first_leads = ", ".join(dict.fromkeys(first.lead)) or "Chưa rõ cơ quan"
        b.line(bold(first_leads), f" chủ trì nhiệm vụ {code}.")
        if len(tasks) > 1:
            b.line("Các nhiệm vụ liên quan:")
    elif intent == "deadline":
        b.line(f"Hạn của nhiệm vụ {code}: ", bold(deadline_phrase(first, f.today)))
        if len(tasks) > 1:
            b.line("Các nhiệm vụ liên quan:")
    else:
        b.line(f"Các nhiệm vụ liên quan ({len(tasks)}):")
    leads = tuple(dict.fromkeys(n for t in tasks for n in t.lead))
    return task_list(intent, b, f, cat, agencies=leads, show_lead=True)


# -- single tasks, agencies, counts, help -------------------------------------------------------------------------


def _missing_lines(f: Findings) -> list[str]:
    """ "Kế hoạch 435/KH-UBND không có nhiệm vụ XIII.2.": the ids asked for that no task listed has."""
    lines = []
    for ref in f.query.tasks:
        if any(t.code.upper() == ref.code.upper() and ref.plan in (None, t.plan_number) for t in f.tasks):
            continue
        where = f"Kế hoạch {ref.plan}" if ref.plan else "Không kế hoạch nào có"
        lines.append(f"{where} không có nhiệm vụ {ref.code}." if ref.plan else f"{where} nhiệm vụ {ref.code}.")
    return lines


def _detail(f: Findings, cat: Catalogue) -> Draft:
    tasks = list(f.tasks)
    plans = list(dict.fromkeys(t.plan_number for t in tasks))
    missing = _missing_lines(f)
    if not tasks:
        b = ReplyBuilder()
        for line in missing:
            b.line(line)
        b.line("Hỏi “kế hoạch … có những nhiệm vụ nào” để xem các mã nhiệm vụ của một kế hoạch.")
        return Draft(intent="task_detail", header=b.build().lines)
    if len(plans) > 1:  # the same id in several plans: a choice
        codes = ", ".join(dict.fromkeys(ref.code for ref in f.query.tasks))
        b = ReplyBuilder().line(f"Mã {codes} có trong {len(plans)} kế hoạch; chọn nhiệm vụ muốn xem:")
        draft = task_list("task_detail", b, f, cat, show_lead=True)
        choices = tuple(
            Suggestion(label=f"{task_label(t, qualified=True)} — {cat.labels[t.plan_number]}", query=detail_query(t))
            for t in draft.tasks[:_CHOICES]
        )
        return replace(draft, suggestions=(), choices=choices)
    b = ReplyBuilder()
    for line in missing:
        b.line(line)
    for index, task in enumerate(tasks):
        if index or missing:
            b.blank()
        status = cat.status(cat.plans[task.plan_number], f.today)
        state = f" ({STATUS_LABELS[status]})" if status != "in_force" else ""
        b.line(bold(f"Nhiệm vụ {task.code}"), f" — {cat.labels[task.plan_number]}{state}")
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
        Suggestion(label=name, query=Query(shape="tasks", agencies=(name,), role=query.role, plans=query.plans))
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
        " trong danh mục; cơ quan này không có nhiệm vụ nào được giao trong ",
        plans_phrase(f),
        ".",
    )
    b.line("Kiểm tra lại tên cơ quan, hoặc gõ “các cơ quan có nhiệm vụ” để xem danh sách.")
    return Draft(
        intent="agency_tasks",
        header=b.build().lines,
        suggestions=(Suggestion(label="Danh sách cơ quan có nhiệm vụ", query=_AGENCY_LIST),),
    )


def _rank(f: Findings) -> Draft:
    b = ReplyBuilder()
    what = _role_verb(f.query.role)
    if not f.counts:
        b.line("Chưa có cơ quan nào được giao nhiệm vụ trong ", plans_phrase(f), ".")
        return Draft(intent="rank", header=b.build().lines)
    extreme = f.counts[0][1]
    top = [name for name, count in f.counts if count == extreme]
    most = "ít" if f.query.least else "nhiều"
    b.line(
        f"Cơ quan {what} {most} nhiệm vụ nhất{plans_suffix(f)}: ",
        bold(", ".join(top)),
        f" ({extreme} nhiệm vụ).",
    )
    b.line(f"Số nhiệm vụ {what} của các cơ quan ({len(f.counts)} cơ quan):")
    for index, (name, count) in enumerate(f.counts[:_RANK_SHOWN], start=1):
        b.line(f"{index}. {name}: {count}")
    if len(f.counts) > _RANK_SHOWN:
        b.line(f"… và {len(f.counts) - _RANK_SHOWN} cơ quan khác.")
    return Draft(intent="rank", header=b.build().lines, agencies=tuple(top), plans=tuple(p.number for p in f.plans))


def _compare(f: Findings) -> Draft:
    b = ReplyBuilder()
    what = _role_verb(f.query.role)
    parts = [f"{name} {what} {count} nhiệm vụ" for name, count in f.counts]
    if len(f.counts) < 2:
        b.line("; ".join(parts) + plans_suffix(f) + ".")
        return Draft(intent="compare", header=b.build().lines)
    ordered = sorted(f.counts, key=lambda kv: -kv[1])
    (first, most), (_, second) = ordered[0], ordered[1]
    if most == second:
        verdict = "số nhiệm vụ bằng nhau."
    else:
        verdict = f"{first} nhiều hơn ({most - second} nhiệm vụ)."
    b.line("; ".join(parts) + plans_suffix(f) + ": ", bold(verdict))
    return Draft(
        intent="compare",
        header=b.build().lines,
        agencies=tuple(name for name, _ in f.counts),
        plans=tuple(p.number for p in f.plans),
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


def _yes_no(draft: Draft) -> Draft:
    """A yes/no question's answer starts with "Có" or "Không" (unless its first line already does)."""
    # Plan facts answer yes/no themselves where the fact decides it (status); a task count says nothing of them.
    if not draft.header or draft.intent in ("yes_no", "greeting", "help", "unknown", "clarify", "plan_facts"):
        return draft
    first = draft.header[0]
    text = "".join(fragment.text for fragment in first)
    if text.startswith(("Có", "Không")):
        return draft
    answer = "Có. " if draft.tasks else "Không. "
    return replace(draft, header=((Fragment(text=answer), *first), *draft.header[1:]))


def _ended_note(f: Findings, cat: Catalogue) -> str:
    """ "Lưu ý: Kế hoạch 435/KH-UBND (2018–2020) — … (đã kết thúc)." for the plans of the answer not in force."""
    if f.query.shape in ("plans", "greeting", "help", "not_understood", "clarify"):
        return ""
    used = {t.plan_number for t in f.tasks}
    ended = cat.ended([p for p in f.plans if not used or p.number in used], f.today)
    if not ended:
        return ""
    labels = "; ".join(f"{cat.labels[p.number]} ({STATUS_LABELS[cat.status(p, f.today)]})" for p in ended[:_NOTED])
    if len(ended) > _NOTED:
        labels += f" và {len(ended) - _NOTED} kế hoạch khác đã kết thúc"
    if f.fell_back:
        return f"Không có nội dung phù hợp trong các kế hoạch đang thực hiện; trả lời theo {labels}."
    return f"Lưu ý: {labels}."


def _founded_by(cat: Catalogue, change: Succession) -> bool:
    """Whether the change's successor came into being by it (a new body, not one that took another over)."""
    body = cat.kb.agency(change.successor)
    return body is not None and body.established is not None and body.established == change.effective
