"""``taskbot run`` with both channels in one process: answers on Telegram and Zalo, one reminder sweep for both."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time
from pathlib import Path

from bot.cli_run import serve
from bot.runtime import Runtime
from bot.services import Services
from bot.settings import Settings
from tests.bot.conftest import TZ
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo


async def test_both_channels_and_reminders_in_one_process(tmp_path: Path) -> None:
    with FakeTelegram() as telegram, FakeZalo() as zalo:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'both.sqlite3'}",
            telegram_bot_token=telegram.token,
            telegram_api_base_url=telegram.url,
            zalo_bot_token=zalo.token,
            zalo_api_base_url=zalo.url,
            taskbot_admins="1001",
        )
        runtime = Runtime.open(settings)
        services = Services(runtime)
        # A Zalo contact with a deadline long past and no report: the start-up sweep sends an overdue reminder.
        services.contacts.upsert_contact(
            channel="zalo",
            chat_id="z-1",
            agency="Sở Xây dựng",
            registered_by="test",
            now=datetime.combine(date(2018, 1, 1), time(8), tzinfo=TZ),
        )
        runtime.close()
        stop = asyncio.Event()
        task = asyncio.create_task(serve(settings, telegram=True, zalo=True, zalo_listen=None, stop=stop))
        try:
            telegram.push_text(4242, "Sở Tài chính có nhiệm vụ gì?")
            zalo.push_text("z-2", "Cục thuế có nhiệm vụ gì?")
            telegram_reply = (await telegram.wait_for_sent(1, timeout=20))[0]
            zalo_sent = await zalo.wait_for_sent(2, timeout=20)
            assert "II.1" in telegram_reply.plain_text
            by_chat = {m.chat_id: m.text for m in zalo_sent}
            assert "XIV.1" in by_chat["z-2"]
            assert "VI.1" in by_chat["z-1"] and "quá hạn" in by_chat["z-1"]  # the reminder, through Zalo
            assert "Trả lời bằng số" in by_chat["z-1"]
            # A Zalo officer's registration request reaches the Telegram admin (a message across channels).
            zalo.push_text("z-3", "/dangky Sở Tài chính", display_name="Chị Lan")
            notices = await telegram.wait_for_sent(2, timeout=20)
            notice = next(m for m in notices if str(m.chat_id) == "1001")
            assert "Chị Lan" in notice.plain_text and "Sở Tài chính" in notice.plain_text
        finally:
            stop.set()
            await asyncio.wait_for(task, timeout=20)
