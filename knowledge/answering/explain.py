"""How a question was read, for people: its signals, the rule that fired and the query it built.

``taskbot ask --explain`` prints this before the answer: the first tool for any wrong answer.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from knowledge.answering.query import Query
from knowledge.answering.routing import RULES, Routed
from knowledge.answering.signals import Signals
from knowledge.reply import fmt_date

__all__ = ["describe", "describe_json", "describe_query"]

_TOP_HITS = 3


def describe(signals: Signals, routed: Routed) -> list[str]:
    """Lines (Vietnamese labels, English identifiers) describing how the question was read."""
    s = signals
    match = s.agencies
    lines = ["Tín hiệu (signals):"]
    lines.append(f"  câu hỏi (expanded): {s.question.expanded}")
    lines.append(f"  từ gợi ý (cues): {', '.join(sorted(s.cues)) or '—'}")
    agencies = ", ".join(a.name for a in match.agencies) or "—"
    lines.append(f"  cơ quan (agencies): {match.status}: {agencies} [“{match.text}”]; chủ ngữ: {s.agency_is_subject}")
    if match.rest:
        lines.append(f"  phần còn lại (rest): {match.rest} — cues {', '.join(sorted(s.rest_cues)) or '—'}")
    for mention in s.plans:
        lines.append(f"  kế hoạch nêu (plan): {mention.kind} “{mention.text}” → {', '.join(mention.plans) or '—'}")
    if s.task_refs:
        refs = ", ".join(f"{r.plan}:{r.code}" if r.plan else r.code for r in s.task_refs)
        lines.append(f"  mã nhiệm vụ (tasks): {refs}")
    if s.window is not None:
        lines.append(f"  thời gian (window): {s.window.label} {fmt_date(s.window.start)}–{fmt_date(s.window.end)}")
    if s.asker:
        lines.append(f"  người hỏi (asker): {s.asker}")
    if s.previous_plans:
        lines.append(f"  kế hoạch của câu trả lời trước: {', '.join(s.previous_plans)}")
    hits = s.topics.tasks(s.rest if match.status == "found" and match.rest else s.question.text)
    if hits:
        best = ", ".join(f"{h.item.plan_number}:{h.item.code} ({h.coverage:.2f})" for h in hits[:_TOP_HITS])
        lines.append(f"  chủ đề (topic hits, coverage): {best}")
    rule = next((r for r in RULES if r.name == routed.rule), None)
    lines.append(f"Quy tắc (rule): {routed.rule}" + (f" — {rule.doc}" if rule else ""))
    lines.append(f"Truy vấn (query): {describe_query(routed.query)}")
    return lines


def describe_query(query: Query) -> str:
    """The query's set slots, e.g. ``shape=tasks agencies=('Sở Tài chính',) role=lead``."""
    defaults = Query(shape=query.shape)
    parts = [f"shape={query.shape}"]
    for field in fields(Query):
        value = getattr(query, field.name)
        if field.name != "shape" and value != getattr(defaults, field.name):
            parts.append(f"{field.name}={value!r}")
    return " ".join(parts)


def describe_json(signals: Signals, routed: Routed) -> dict[str, Any]:
    """The same, as JSON-ready data."""
    match = signals.agencies
    return {
        "cues": sorted(signals.cues),
        "agencies": {"status": match.status, "names": [a.name for a in match.agencies], "text": match.text},
        "plans": [{"kind": m.kind, "text": m.text, "plans": list(m.plans)} for m in signals.plans],
        "tasks": [{"plan": r.plan, "id": r.code} for r in signals.task_refs],
        "window": (
            {"start": signals.window.start.isoformat(), "end": signals.window.end.isoformat()}
            if signals.window
            else None
        ),
        "rule": routed.rule,
        "query": describe_query(routed.query),
    }
