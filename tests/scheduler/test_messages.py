"""Reminder messages stay bounded however many tasks fall due for one contact."""

from __future__ import annotations

from datetime import date

from knowledge.agencies import AgencyRegistry
from knowledge.base import KnowledgeBase
from knowledge.importer import bundled_plan
from knowledge.plan_parser import parse_plan_source
from scheduler.messages import REMINDER_BUTTON_ROWS, REMINDER_TASKS_SHOWN, render_reminders
from scheduler.records import Reminder


def test_a_reminder_for_many_tasks_lists_some_counts_the_rest_and_caps_its_keyboard() -> None:
    registry = AgencyRegistry.bundled()
    plan = parse_plan_source(bundled_plan(), name="435.md", registry=registry).plan
    kb = KnowledgeBase([plan], registry)
    reminders = [
        Reminder(
            contact_id=1,
            channel="telegram",
            chat_id="1",
            agency="Sở Tài chính",
            kind="before",
            plan=task.plan_number,
            task=task.code,
            occurrence=date(2018, 11, 15),
            offset_days=3,
        )
        for task in plan.tasks
    ]
    assert len(reminders) > REMINDER_TASKS_SHOWN
    out = render_reminders(reminders, kb, today=date(2018, 11, 12))
    assert len(out.buttons) == REMINDER_BUTTON_ROWS and sum(len(row) for row in out.buttons) <= 100
    text = out.reply.plain()
    assert f"… và {len(reminders) - REMINDER_TASKS_SHOWN} nhiệm vụ khác" in text
    assert "/baocao <mã> xong" in text
    assert text.count("\n• ") == REMINDER_TASKS_SHOWN
