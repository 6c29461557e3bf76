"""Answers about plans themselves: their facts (number, date, issuer, signer, title, period, targets, what they
replace, how many tasks), their reporting duties, the list of plans, and passages of their bodies.

A fact a plan does not state reads "kế hoạch không ghi …"; several plans in scope answer one after the other, each
under its label.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from knowledge.answering.catalogue import Catalogue
from knowledge.answering.drafting import Draft
from knowledge.answering.execution import Findings
from knowledge.plan_status import STATUS_LABELS, plan_end, plan_label, plan_line, plan_status
from knowledge.records import Plan, ReportingDuty
from knowledge.reply import ReplyBuilder, bold, fmt_date, italic, shorten

__all__ = ["plan_facts_draft", "plan_text_draft", "plans_draft", "reporting_draft", "reporting_lines"]

_TARGET_HITS = 4
_PLANS_SHOWN = 5
_FREQUENCY = {
    "yearly": "hằng năm",
    "half-yearly": "6 tháng một lần",
    "quarterly": "hằng quý",
    "monthly": "hằng tháng",
    "once": "",
    "unknown": "",
}


def plan_facts_draft(f: Findings, cat: Catalogue) -> Draft:
    if not f.plans:
        return Draft(intent="plan_facts", header=ReplyBuilder().line("Chưa có kế hoạch nào.").build().lines)
    b = ReplyBuilder()
    plans = f.plans
    if len(plans) > _PLANS_SHOWN:  # many plans in force and none named: the latest ones
        plans = tuple(sorted(plans, key=lambda p: p.issued_on or date.min, reverse=True)[:_PLANS_SHOWN])
    for index, plan in enumerate(plans):
        if len(plans) > 1:
            if index:
                b.blank()
            b.line(bold(plan_label(plan)), f" ({STATUS_LABELS[plan_status(plan, f.today)]}):")
        _facts(b, plan, f, cat)
    numbers = tuple(p.number for p in plans)
    citations = tuple(f"Kế hoạch {n}" for n in numbers)
    if len(f.plans) > len(plans):
        b.line(f"… và {len(f.plans) - len(plans)} kế hoạch khác đang thực hiện; hỏi kèm số kế hoạch để xem.")
    for source in citations:
        b.line(italic(f"Nguồn: {source}"))
    return Draft(intent="plan_facts", header=b.build().lines, plans=numbers, citations=citations)


def _facts(b: ReplyBuilder, plan: Plan, f: Findings, cat: Catalogue) -> None:
    facts = set(f.query.facts)
    if "signer" in facts:
        if plan.signer:
            title = f"{plan.signer_title} " if plan.signer_title else ""
            b.line(f"Kế hoạch {plan.number} do {title}", bold(plan.signer), " ký", _issued(plan), ".")
        else:
            b.line(f"Kế hoạch {plan.number} không ghi người ký.")
    if facts & {"number", "issued", "issuer"}:
        issuer = f" của {plan.issuer}" if plan.issuer else ""
        b.line("Kế hoạch số ", bold(plan.number), issuer, _issued(plan), ".")
        if "issued" in facts and plan.issued_on is None:
            b.line("Kế hoạch không ghi ngày ban hành.")
        if "issuer" in facts and not plan.issuer:
            b.line("Kế hoạch không ghi cơ quan ban hành.")
    if facts & {"basis", "title"}:
        b.line(f"Kế hoạch {plan.number}: ", bold(shorten(plan.title, 400)))
    if facts & {"in_force", "ended"}:
        b.line(_status_answer(plan, f), _status_sentence(plan, f.today), ".")
    elif "period" in facts:
        status = STATUS_LABELS[plan_status(plan, f.today)]
        missing = "Kế hoạch không ghi giai đoạn thực hiện."
        b.line(f"Giai đoạn thực hiện: {plan.period} ({status})." if plan.period else missing)
    if "replaces" in facts:
        answer = ("Có. " if plan.replaces else "Không. ") if f.query.yes_no and facts == {"replaces"} else ""
        if plan.replaces:
            b.line(answer, f"Kế hoạch {plan.number} thay thế ", bold(f"Kế hoạch số {plan.replaces}"), ".")
        else:
            b.line(answer, f"Kế hoạch {plan.number} không ghi thay thế kế hoạch nào.")
    if "targets" in facts:
        _targets(b, plan, f, cat)
    if "reporting" in facts:
        for line in reporting_lines([plan]) or [f"Kế hoạch {plan.number} không ghi hạn báo cáo."]:
            b.line(line)
    if "tasks" in facts:
        leads = {n for t in plan.tasks for n in t.lead}
        b.line(f"Kế hoạch {plan.number} có {len(plan.tasks)} nhiệm vụ, giao cho {len(leads)} cơ quan chủ trì.")
    if not facts - {"summary"}:
        _summary(b, plan)


def _status_sentence(plan: Plan, today: date) -> str:
    """ "Kế hoạch 38/KH-UBND đang thực hiện (giai đoạn 2026-2027, đến hết 31/12/2027)"."""
    status = plan_status(plan, today)
    end = plan_end(plan)
    details = [f"giai đoạn {plan.period}"] if plan.period else []
    if end is not None:
        details.append(f"đến hết {fmt_date(end)}" if status == "in_force" else f"hết {fmt_date(end)}")
    detail = f" ({', '.join(details)})" if details else ""
    return f"Kế hoạch {plan.number} {STATUS_LABELS[status]}{detail}"


def _status_answer(plan: Plan, f: Findings) -> str:
    """ "Có. " / "Không. " when the question asked one way only ("còn hiệu lực không" or "hết hiệu lực chưa")."""
    asked = set(f.query.facts) & {"in_force", "ended"}
    if not f.query.yes_no or len(asked) != 1:
        return ""
    in_force = plan_status(plan, f.today) == "in_force"
    return "Có. " if in_force == ("in_force" in asked) else "Không. "


def _targets(b: ReplyBuilder, plan: Plan, f: Findings, cat: Catalogue) -> None:
    objectives = []
    if f.query.topic:
        hits = cat.search_passages(f.query.topic, limit=_TARGET_HITS, min_coverage=0.3, relative=0.6)
        objectives = [h.item.objective for h in hits if h.item.objective is not None and h.item.plan is plan]
    if not objectives:  # no topic, or none fits it: the targets as a whole
        objectives = [o for o in plan.objectives if o.label != "MT.1"] or list(plan.objectives)
    if not objectives:
        b.line(f"Kế hoạch {plan.number} không ghi mục tiêu, chỉ tiêu cụ thể.")
        return
    b.line(bold("Mục tiêu"), f" (Kế hoạch {plan.number}):")
    for objective in objectives:
        when = f" — đến {fmt_date(objective.target_date)}" if objective.target_date else ""
        b.line(f"• {objective.text}{when}")


def _summary(b: ReplyBuilder, plan: Plan) -> None:
    b.line(bold(f"Kế hoạch số {plan.number}"), _issued(plan))
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
    for line in reporting_lines([plan]):
        b.line(line)


# -- reporting duties ---------------------------------------------------------------------------------------------


def reporting_draft(f: Findings) -> Draft:
    b = ReplyBuilder()
    citations: list[str] = []
    for plan in f.plans:
        lines = reporting_lines([plan])
        if not lines:
            b.line(f"Kế hoạch {plan.number} không ghi hạn báo cáo.")
            continue
        for line in lines:
            b.line(line)
        labels = dict.fromkeys(d.label for d in plan.reporting_duties if d.label)
        citations.extend(f"Mục {label} — Kế hoạch {plan.number}" for label in labels)
    if not f.plans:
        b.line("Chưa có kế hoạch nào.")
    for source in citations:
        b.line(italic(f"Nguồn: {source}"))
    return Draft(
        intent="reporting",
        header=b.build().lines,
        plans=tuple(p.number for p in f.plans),
        citations=tuple(citations),
    )


def reporting_lines(plans: Sequence[Plan]) -> list[str]:
    """One sentence per reporting duty of ``plans``: who reports to whom, how often, by when, and where it says so."""
    return [_duty_sentence(duty, plan) for plan in plans for duty in plan.reporting_duties]


def _duty_sentence(duty: ReportingDuty, plan: Plan) -> str:
    who = duty.reporters_text or ", ".join(duty.reporters) or "Các cơ quan được giao nhiệm vụ"
    to = f" về {duty.receiver}" if duty.receiver else ""
    how_often = _FREQUENCY[duty.frequency]
    when = _by_when(duty)
    parts = [f"{who} gửi báo cáo{to}"]
    if how_often:
        parts.append(how_often)
    if when:
        parts.append(when)
    where = f"mục {duty.label}, " if duty.label else ""
    return f"{' '.join(parts)} ({where}Kế hoạch {plan.number})."


def _by_when(duty: ReportingDuty) -> str:
    """ "trước ngày 15/11", "trước ngày 15/6 và 15/12", "trước ngày 15 tháng cuối quý", "trước ngày 05 hằng tháng":
    a day and month without their year are written as the plans write them, unpadded."""
    day = duty.day
    if day is None:
        return ""
    if duty.month is not None:
        year = f"/{duty.year}" if duty.year else ""
        return f"trước ngày {day}/{duty.month}{year}"
    if duty.frequency == "half-yearly":
        return f"trước ngày {day}/6 và {day}/12"
    if duty.frequency == "quarterly":
        return f"trước ngày {day:02d} tháng cuối quý"
    return f"trước ngày {day:02d}"


# -- the plans, and their bodies ----------------------------------------------------------------------------------


def plans_draft(f: Findings) -> Draft:
    b = ReplyBuilder()
    if f.query.name:
        named = f"số “{f.query.name}”" if f.query.name.isdigit() else f.query.name
        b.line(f"Không có kế hoạch {named} trong cơ sở dữ liệu.")
    if not f.plans:
        b.line("Chưa có kế hoạch nào.")
        return Draft(intent="plans", header=b.build().lines)
    b.line(f"Các kế hoạch hiện có ({len(f.plans)}):")
    for plan in f.plans:
        b.line(f"• {plan_line(plan, f.today)}", f" (ban hành{_issued(plan)})" if plan.issued_on else "")
    return Draft(intent="plans", header=b.build().lines, plans=tuple(p.number for p in f.plans))


def plan_text_draft(f: Findings) -> Draft:
    b = ReplyBuilder()
    citations: list[str] = []
    if "funding" in f.query.facts:
        if not f.plans:  # asked as of a day before any plan here was issued
            b.line(f"Chưa có kế hoạch nào được ban hành tính đến ngày {fmt_date(f.today)}.")
        with_section = {p.plan.number for p in f.passages if p.duty is not None and p.duty.funding}
        for plan in f.plans:
            if plan.number not in with_section:
                said = any(p.plan.number == plan.number for p in f.passages)
                b.line(
                    f"Kế hoạch {plan.number} không có mục kinh phí thực hiện riêng"
                    + ("; phần tổ chức thực hiện nói về kinh phí như sau." if said else ".")
                )
        if with_section:
            b.line("Kinh phí thực hiện:")
    for passage in f.passages:
        if passage.objective is not None:
            o = passage.objective
            when = f" — đến {fmt_date(o.target_date)}" if o.target_date else ""
            b.line(f"• Mục tiêu: {o.text}{when}")
            citations.append(f"Mục tiêu — Kế hoạch {passage.plan.number}")
        elif passage.duty is not None:
            b.line(f"• Mục {passage.duty.label}: {shorten(passage.duty.text, 400)}")
            citations.append(f"Mục {passage.duty.label} ({passage.duty.section}) — Kế hoạch {passage.plan.number}")
    unique = tuple(dict.fromkeys(citations))
    for source in unique:
        b.line(italic(f"Nguồn: {source}"))
    return Draft(
        intent="plan_facts",
        header=b.build().lines,
        plans=tuple(dict.fromkeys(p.plan.number for p in f.passages)),
        citations=unique,
    )


def _issued(plan: Plan) -> str:
    return f" ngày {fmt_date(plan.issued_on)}" if plan.issued_on else ""
