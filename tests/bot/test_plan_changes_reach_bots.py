"""A running bot learns of a plan archived, restored or removed by another process the way it learns of an import."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.runtime import Runtime
from bot.services import Services
from bot.settings import Settings
from knowledge.plan_admin import archive_plan, remove_plan, restore_plan

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
