"""Deadlines as a calendar (iCalendar, RFC 5545): one all-day event per deadline occurrence, with a UID that stays
the same across exports (so a calendar that re-imports or subscribes updates instead of duplicating) and an alarm
three days before."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from knowledge.records import Task
from knowledge.reply import fmt_date

__all__ = ["export_ics"]

ALARM_BEFORE = timedelta(days=3)


def export_ics(
    tasks: Iterable[Task],
    *,
    start: date | None = None,
    end: date | None = None,
    name: str = "Hạn nhiệm vụ",
    stamp: datetime,
) -> bytes:
    """Events for every deadline of ``tasks`` between ``start`` and ``end`` (inclusive; None: unbounded).
    ``stamp`` (DTSTAMP) is a parameter: the same knowledge exported twice gives the same events."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//taskbot//Tro ly nhiem vu//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for task in tasks:
        for deadline in task.schedule.deadlines:
            due = deadline.due
            if (start is not None and due < start) or (end is not None and due > end):
                continue
            event = Event()
            event.add("uid", _uid(task, due))
            event.add("dtstamp", stamp)
            event.add("dtstart", due)
            event.add("dtend", due + timedelta(days=1))
            event.add("summary", f"Hạn {task.code} ({task.plan_number}) — {', '.join(task.lead) or 'chưa rõ chủ trì'}")
            lines = [task.content, f"Thời gian: {task.time_text}" if task.time_text else "", deadline.reason]
            if task.coordinators:
                lines.append(f"Phối hợp: {', '.join(task.coordinators)}")
            event.add("description", "\n".join(line for line in lines if line))
            event.add("categories", [task.plan_number])
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Còn 3 ngày đến hạn {task.code} ({fmt_date(due)})")
            alarm.add("trigger", -ALARM_BEFORE)
            event.add_component(alarm)
            calendar.add_component(event)
    return bytes(calendar.to_ical())


def _uid(task: Task, due: date) -> str:
    key = f"{task.plan_number}|{task.code}|{due.isoformat()}"
    return f"{hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:20]}@taskbot"
