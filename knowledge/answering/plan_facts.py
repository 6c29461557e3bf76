"""Answers about plans themselves: their facts (number, date, issuer, signer, period, targets, what they replace),
their reporting duties, and passages of their bodies.
"""

from __future__ import annotations

from knowledge.answering.catalogue import Catalogue
from knowledge.answering.drafting import Draft
from knowledge.answering.execution import Findings
from knowledge.records import Plan
from knowledge.reply import ReplyBuilder, bold, fmt_date, italic, shorten

__all__ = ["plan_facts_draft", "plan_text_draft", "reporting_draft", "reporting_sentence"]

_TARGET_HITS = 4


def plan_facts_draft(f: Findings, cat: Catalogue) -> Draft:
    if not f.plans:
        return Draft(intent="plan_facts", header=ReplyBuilder().line("Chưa có kế hoạch nào.").build().lines)
    plan = f.plans[0] if f.query.plans else f.plans[-1]
    facts = set(f.query.facts)
    b = ReplyBuilder()
    if "signer" in facts:
        title = f"{plan.signer_title} " if plan.signer_title else ""
        b.line(f"Kế hoạch {plan.number} do {title}", bold(plan.signer or "(không rõ)"), " ký", _issued(plan), ".")
    if facts & {"number", "issued", "issuer"}:
        issuer = f" của {plan.issuer}" if plan.issuer else ""
        b.line("Kế hoạch số ", bold(plan.number), issuer, _issued(plan), ".")
    if "basis" in facts:
        b.line(f"Kế hoạch {plan.number}: ", bold(shorten(plan.title, 400)))
    if "period" in facts:
        b.line(f"Giai đoạn thực hiện: {plan.period if plan.period else 'không nêu'}.")
    if "replaces" in facts:
        if plan.replaces:
            b.line(f"Kế hoạch {plan.number} thay thế ", bold(f"Kế hoạch số {plan.replaces}"), ".")
        else:
            b.line(f"Kế hoạch {plan.number} không nêu kế hoạch nào được thay thế.")
    if "targets" in facts:
        hits = cat.passage_index.search(f.query.topic, limit=_TARGET_HITS, min_coverage=0.3, relative=0.6)
        objectives = [h.item.objective for h in hits if h.item.objective is not None and h.item.plan is plan]
        if not objectives or not f.query.topic:  # no topic: the targets as a whole
            objectives = [o for o in plan.objectives if o.label != "MT.1"] or list(plan.objectives)
        b.line(bold("Mục tiêu"), f" (Kế hoạch {plan.number}):")
        for objective in objectives:
            when = f" — đến {fmt_date(objective.target_date)}" if objective.target_date else ""
            b.line(f"• {objective.text}{when}")
    if not facts - {"summary"}:
        _summary(b, plan, cat)
    b.line(italic(f"Nguồn: Kế hoạch {plan.number}"))
    return Draft(
        intent="plan_facts", header=b.build().lines, plans=(plan.number,), citations=(f"Kế hoạch {plan.number}",)
    )


def _summary(b: ReplyBuilder, plan: Plan, cat: Catalogue) -> None:
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
    sentence = reporting_sentence(plan, cat)
    if sentence:
        b.line(sentence)


def reporting_draft(f: Findings, cat: Catalogue) -> Draft:
    plans = [p for p in f.plans if p.reporting_date is not None]
    b = ReplyBuilder()
    if not plans:
        b.line("Kế hoạch không ghi hạn báo cáo định kỳ.")
        return Draft(intent="reporting", header=b.build().lines)
    citations = []
    for plan in plans:
        b.line(reporting_sentence(plan, cat))
        if plan.reporting_date is not None:
            citations.append(f"Mục {plan.reporting_date.label} (Tổ chức thực hiện) — Kế hoạch {plan.number}")
    for source in citations:
        b.line(italic(f"Nguồn: {source}"))
    return Draft(
        intent="reporting",
        header=b.build().lines,
        plans=tuple(p.number for p in plans),
        citations=tuple(citations),
    )


def reporting_sentence(plan: Plan, cat: Catalogue) -> str:
    rd = plan.reporting_date
    if rd is None:
        return ""
    receiver = _receiver(rd.text, plan)
    to = f" về {receiver}" if receiver else ""
    sentence = (
        f"Hạn báo cáo hằng năm: các cơ quan được giao nhiệm vụ gửi báo cáo{to} "
        f"trước ngày {rd.day:02d}/{rd.month:02d} (mục {rd.label}, Kế hoạch {plan.number})"
    )
    city = plan.city_reporting_date
    if city is not None:
        who = receiver or "cơ quan tổng hợp"
        sentence += f"; {who} tổng hợp, báo cáo UBND thành phố trước ngày {city.day:02d}/{city.month:02d}"
    return sentence + "."


def _receiver(sentence: str, plan: Plan) -> str:
    """The agency reports are sent to, as the plan's reporting sentence names it ("gửi về Sở Kế hoạch và Đầu tư")."""
    marker = max(sentence.rfind("gửi về"), sentence.rfind("gửi"), sentence.rfind(" về "))
    tail = sentence[marker:] if marker >= 0 else sentence
    for duty in plan.duties:
        for name in duty.agencies:
            if name in tail:
                return name
    return ""


def plan_text_draft(f: Findings) -> Draft:
    b = ReplyBuilder()
    citations: list[str] = []
    for passage in f.passages:
        if passage.objective is not None:
            o = passage.objective
            when = f" — đến {fmt_date(o.target_date)}" if o.target_date else ""
            b.line(f"• Mục tiêu: {o.text}{when}")
            citations.append(f"Mục tiêu — Kế hoạch {passage.plan.number}")
        elif passage.duty is not None:
            b.line(f"• Mục {passage.duty.label}: {shorten(passage.duty.text, 400)}")
            citations.append(f"Mục {passage.duty.label} (Tổ chức thực hiện) — Kế hoạch {passage.plan.number}")
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
