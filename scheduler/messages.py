"""Reminder and digest messages: one message per contact per sweep, grouping its reminders. Pure.

Reminder buttons carry stateless actions (``r|d|<plan>|<task>|<yyyy-mm-dd>`` for "done", ``r|p|…`` for "progress")
so that they still work days later, after a restart; the conversation core decodes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.base import KnowledgeBase
from knowledge.records import Task
from knowledge.reply import Button, Outgoing, ReplyBuilder, bold, fmt_date, italic, shorten
from scheduler.records import DoneReports, Reminder

__all__ = ["ReminderAction", "decode_action", "encode_action", "render_digest", "render_reminders"]

_MAX_CALLBACK_BYTES = 64
_MAX_LINES_PER_SECTION = 25


@dataclass(frozen=True, kw_only=True, slots=True)
class ReminderAction:
    """A reminder button: report a task occurrence done (``done``) or report progress (``progress``)."""

    kind: str  # "done" | "progress"
    plan: str
    task: str
    occurrence: date


def encode_action(action: ReminderAction) -> str | None:
    """The callback data for ``action``; None when it would not fit Telegram's 64 bytes."""
    code = "d" if action.kind == "done" else "p"
    data = f"r|{code}|{action.plan}|{action.task}|{action.occurrence.isoformat()}"
    return data if len(data.encode()) <= _MAX_CALLBACK_BYTES else None


def decode_action(data: str) -> ReminderAction | None:
    parts = data.split("|")
    if len(parts) != 5 or parts[0] != "r" or parts[1] not in ("d", "p"):
        return None
    try:
        occurrence = date.fromisoformat(parts[4])
    except ValueError:
        return None
    return ReminderAction(
        kind="done" if parts[1] == "d" else "progress", plan=parts[2], task=parts[3], occurrence=occurrence
    )


def _when(reminder: Reminder, today: date | None) -> str:
    days = (reminder.occurrence - today).days if today is not None else reminder.offset_days
    if days > 0:
        return f"còn {days} ngày"
    if days == 0:
        return "hôm nay là hạn"
    return f"đã quá hạn {-days} ngày"


def _reason(task: Task, occurrence: date) -> str:
    for deadline in task.schedule.deadlines:
        if deadline.due == occurrence:
            return deadline.reason
    return task.time_text


REMINDER_TASKS_SHOWN = 30  # tasks listed in one reminder message (the rest are counted)
REMINDER_BUTTON_ROWS = 10  # rows of report buttons (two each): far under Telegram's 100 buttons, readable on Zalo


def render_reminders(reminders: Sequence[Reminder], kb: KnowledgeBase, *, today: date | None = None) -> Outgoing:
    """One message for one contact's task reminders, with report buttons per task; days are counted from
    ``today`` (the day it is sent, which differs from the scheduled day when a sweep catches up)."""
    builder = ReplyBuilder()
    overdue = any(r.kind == "overdue" for r in reminders)
    builder.line(bold("Nhắc hạn nhiệm vụ" if not overdue else "Nhắc nhiệm vụ đến hạn và quá hạn"))
    rows: list[tuple[Button, ...]] = []
    ordered = sorted(reminders, key=lambda r: (r.occurrence, r.plan or "", r.task or ""))
    hidden = len(ordered) - REMINDER_TASKS_SHOWN
    for reminder in ordered[:REMINDER_TASKS_SHOWN]:
        task = kb.task(reminder.task or "", reminder.plan) if reminder.task else None
        if task is None:
            builder.line(f"• {reminder.task} (Kế hoạch {reminder.plan}) — hạn {fmt_date(reminder.occurrence)}")
            continue
        builder.line(bold(f"• {task.code}"), f" — {shorten(task.content, 160)}")
        builder.line(
            f"  Hạn {fmt_date(reminder.occurrence)} ({_reason(task, reminder.occurrence)}) — {_when(reminder, today)}"
        )
        buttons = []
        for kind, label in (("done", f"Đã hoàn thành {task.code}"), ("progress", f"Báo cáo tiến độ {task.code}")):
            data = encode_action(
                ReminderAction(kind=kind, plan=task.plan_number, task=task.code, occurrence=reminder.occurrence)
            )
            if data is not None:
                buttons.append(Button(label=label, action=data))
        if buttons and len(rows) < REMINDER_BUTTON_ROWS:
            rows.append(tuple(buttons))
    if hidden > 0:
        builder.line(f"… và {hidden} nhiệm vụ khác (gõ /sapden hoặc /quahan để xem đủ).")
    if len(ordered) > len(rows):
        builder.line("Nhiệm vụ không có nút bên dưới: báo cáo bằng /baocao <mã> xong.")
    plans = sorted({r.plan for r in reminders if r.plan})
    hint = "Báo cáo bằng các lựa chọn bên dưới hoặc /baocao <mã> xong."
    builder.line(italic(f"Nguồn: Kế hoạch {', '.join(plans)}. {hint}"))
    return Outgoing(reply=builder.build(), buttons=tuple(rows))


def render_digest(
    today: date,
    kb: KnowledgeBase,
    *,
    done: DoneReports,
    reported: set[tuple[str, str, date]],
    horizon_days: int = 14,
) -> Outgoing:
    """The coordinators' weekly digest: the next ``horizon_days``, everything overdue, and who has not reported."""
    end = today + timedelta(days=horizon_days)
    upcoming: dict[str, list[str]] = defaultdict(list)
    overdue: dict[str, list[str]] = defaultdict(list)
    silent: dict[str, None] = {}
    for task in (t for plan in kb.plans if not plan.archived for t in plan.tasks):  # archived plans stay quiet
        lead = ", ".join(task.lead) or "Chưa rõ cơ quan"
        for deadline in task.schedule.deadlines:
            if done.done_for(task.plan_number, task.code, deadline.due, task.lead):
                continue
            if today <= deadline.due <= end:
                upcoming[lead].append(f"{task.code} (hạn {fmt_date(deadline.due)})")
            elif deadline.due < today:
                overdue[lead].append(f"{task.code} (hạn {fmt_date(deadline.due)})")
        current = next((d.due for d in task.schedule.deadlines if d.due >= today), None)
        if current is not None and (task.plan_number, task.code, current) not in reported:
            silent[lead] = None
    builder = ReplyBuilder()
    builder.line(bold(f"Tổng hợp tuần {fmt_date(today)}"))
    _section(builder, f"Đến hạn trong {horizon_days} ngày tới", upcoming)
    _section(builder, "Quá hạn chưa hoàn thành", overdue)
    builder.blank()
    if silent:
        names = list(silent)
        shown = names[:_MAX_LINES_PER_SECTION]
        more = f" và {len(names) - len(shown)} cơ quan khác" if len(names) > len(shown) else ""
        builder.line(bold("Chưa báo cáo kỳ này: "), ", ".join(shown) + more)
    else:
        builder.line("Tất cả cơ quan đã báo cáo kỳ này.")
    return Outgoing(reply=builder.build())


def _section(builder: ReplyBuilder, title: str, items: dict[str, list[str]]) -> None:
    builder.blank()
    total = sum(len(v) for v in items.values())
    builder.line(bold(f"{title}: {total}"))
    for index, (agency, codes) in enumerate(sorted(items.items())):
        if index >= _MAX_LINES_PER_SECTION:
            builder.line(f"… và {len(items) - index} cơ quan khác")
            break
        shown = codes[:10]
        more = f", … (+{len(codes) - len(shown)})" if len(codes) > len(shown) else ""
        builder.line(f"• {agency}: {', '.join(shown)}{more}")
