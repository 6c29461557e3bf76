"""A running bot learns of a plan imported, archived, restored or removed by another process, and of a contact
removed there (a revoked admin), at its next watch — every few seconds, not the next five-minute sweep."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.conversation import Conversation, Incoming, Outgoing
from bot.reminder_jobs import WATCH_SECONDS
from bot.runtime import Runtime
from bot.services import Services
from bot.settings import Settings
from knowledge.importer import import_plan_bytes
from knowledge.plan_admin import archive_plan, remove_plan, restore_plan
from knowledge.storage.contacts import ContactRepository

PLANS = Path(__file__).parents[1] / "knowledge" / "data" / "plans"

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


async def test_archive_restore_and_remove_by_another_process_are_picked_up(
    services: Services, settings: Settings
) -> None:
    other = Runtime.open(settings)  # the CLI, or another bot instance, on the same database
    try:
        assert not await services.reload_if_changed()
        archive_plan(other.repository, "435", actor="cli", now=NOW)
        assert await services.reload_if_changed()
        plan = services.engine.kb.plan("435/KH-UBND")
        assert plan is not None and plan.archived

        restore_plan(other.repository, "435", actor="cli", now=NOW)
        assert await services.reload_if_changed()
        plan = services.engine.kb.plan("435/KH-UBND")
        assert plan is not None and not plan.archived

        remove_plan(other.repository, "435", actor="cli", now=NOW)
        assert await services.reload_if_changed()
        assert services.engine.kb.plans == ()
        assert not await services.reload_if_changed()
    finally:
        other.close()


async def test_the_watch_job_picks_up_imports_and_revocations_within_seconds(
    services: Services, settings: Settings
) -> None:
    """What another process does reaches this one at the next watch (every WATCH_SECONDS), not the next sweep."""
    conversation = Conversation(services)
    admin = Incoming(channel="telegram", chat_id="5005", user_id="5005", text="/moi Sở Tài chính")
    other = Runtime.open(settings)
    try:
        ContactRepository(other.db).upsert_contact(
            channel="telegram",
            chat_id="5005",
            user_id="5005",
            agency="Sở Tài chính",
            role="admin",
            registered_by="cli",
            now=NOW,
        )
        await services.watch_changes()
        assert "Mã mời" in plain(await conversation.on_text(admin))  # cached as admin now
        ContactRepository(other.db).deactivate("telegram", "5005", by="cli", now=NOW)  # `contacts remove` elsewhere
        await services.watch_changes()
        assert "chỉ dành cho quản trị viên" in plain(await conversation.on_text(admin))  # revoked at once
        import_plan_bytes(
            (PLANS / "kh-2025-chuyen-doi-so-plain.md").read_bytes(),
            name="52.md",
            registry=other.registry,
            repository=other.repository,
        )
        await services.watch_changes()
        assert "52/KH-UBND" in [p.number for p in services.engine.kb.plans]
    finally:
        other.close()
    assert WATCH_SECONDS <= 15


def plain(outgoing: list[Outgoing]) -> str:
    return "\n".join(o.reply.plain() for o in outgoing if o.chat_id is None)
