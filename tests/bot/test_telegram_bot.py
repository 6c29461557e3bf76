"""The Telegram adapter end to end: the real PTB Application long-polls (or serves a webhook for) the fake Bot API.

Settings are built explicitly (no environment, no ``.env``), each test has its own SQLite file and a fixed clock.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.conversation import COMMANDS, Button, Incoming, Outgoing
from bot.settings import Settings
from bot.telegram_bot import ERROR_REPLY, TaskbotApplication, build_application
from knowledge.contacts import Contact
from knowledge.errors import ConfigError
from knowledge.reply import ReplyBuilder, bold
from tests.fakes.telegram_api import FakeTelegram, SentMessage

TOKEN = "123456:TEST-token"
ADMIN = 1001
OFFICER = 2002
STRANGER = 3003
GROUP = -1001234567890
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OCT_2018 = datetime(2018, 10, 1, 9, 0, tzinfo=TZ)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        yield server
    assert server.internal_errors == []


def make_settings(tmp_path: Path, fake: FakeTelegram | None = None, **overrides: Any) -> Settings:
    """Settings from keyword arguments only: neither the environment nor a ``.env`` file can change them."""
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path}/t.sqlite3",
        "telegram_bot_token": fake.token if fake else None,
        "telegram_api_base_url": fake.url if fake else None,
        "taskbot_admins": str(ADMIN),
        "taskbot_timezone": "Asia/Ho_Chi_Minh",
        "taskbot_agencies_file": None,
        "webhook_url": None,
        "webhook_secret": None,
        "webhook_listen": "0.0.0.0:8443",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def running(application: TaskbotApplication, *, polling: bool = True) -> AsyncIterator[TaskbotApplication]:
    """What ``run_polling`` does, minus the signal handling: initialize, post_init, start ... stop, post_shutdown."""
    assert application.post_init is not None and application.post_shutdown is not None
    assert application.updater is not None
    try:
        async with application:
            await application.post_init(application)
            await application.start()
            try:
                if polling:
                    await application.updater.start_polling(poll_interval=0.0, timeout=1)
                yield application
            finally:
                if application.updater.running:
                    await application.updater.stop()
                await application.stop()
    finally:
        await application.post_shutdown(application)


@pytest.fixture
async def bot(fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[TaskbotApplication]:
    """The full bot, polling the fake, with the clock on 1 October 2018."""
    application = build_application(make_settings(tmp_path, fake), clock=lambda: OCT_2018)
    async with running(application) as app:
        yield app


async def send(fake: FakeTelegram, chat_id: int, text: str, *, expect: int = 1, **kwargs: Any) -> list[SentMessage]:
    """Push a message and return the ``expect`` messages the bot sent because of it."""
    before = len(fake.sent)
    fake.push_text(chat_id, text, **kwargs)
    return (await fake.wait_for_sent(before + expect))[before:]


async def press(
    fake: FakeTelegram, message: SentMessage, label: str, *, user_id: int | None = None, expect: int = 1
) -> list[SentMessage]:
    """Press the inline button labelled ``label`` under ``message``; return what the bot sent because of it."""
    assert message.reply_markup is not None, message
    buttons = [b for row in message.reply_markup["inline_keyboard"] for b in row]
    [button] = [b for b in buttons if b["text"] == label]
    before = len(fake.sent)
    fake.push_callback(int(message.chat_id), button["callback_data"], message_id=message.message_id, user_id=user_id)
    return (await fake.wait_for_sent(before + expect))[before:]


def labels(message: SentMessage) -> list[str]:
    if message.reply_markup is None:
        return []
    return [b["text"] for row in message.reply_markup["inline_keyboard"] for b in row]


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def contact(app: TaskbotApplication, chat_id: int) -> Contact | None:
    services = app.bot_data.services
    return await services.db(services.contacts.get, "telegram", str(chat_id))


# -- (a) an officer's conversation ----------------------------------------------------------------------------------


async def test_officer_conversation(bot: TaskbotApplication, fake: FakeTelegram) -> None:
    [greeting] = await send(fake, OFFICER, "/start")
    assert greeting.chat_id == OFFICER and "Xin chào" in greeting.plain_text
    assert greeting.parse_mode == "HTML" and "<b>Trợ lý nhiệm vụ</b>" in greeting.text

    [answer] = await send(fake, OFFICER, "Sở Tài chính có nhiệm vụ gì?")
    assert "II.1" in answer.text and "Sở Tài chính" in answer.text
    assert "Chi tiết II.1" in labels(answer)
    method, params = [c for c in fake.calls if c[0] == "sendMessage"][-1]
    assert params["link_preview_options"] == {"is_disabled": True}

    [kh_dt] = await send(fake, OFFICER, "Sở KH&ĐT làm gì")
    assert "Sở Kế hoạch và Đầu tư" in kh_dt.plain_text and "I.1" in kh_dt.plain_text

    [escaped] = await send(fake, OFFICER, "/nhiemvu Sở XYZ&ABC")  # echoed back: must be escaped HTML
    assert "Sở XYZ&ABC" in escaped.plain_text and "Sở XYZ&amp;ABC" in escaped.text


# -- (b) an ambiguous agency, resolved by a button ------------------------------------------------------------------


async def test_ambiguous_agency_button(bot: TaskbotApplication, fake: FakeTelegram) -> None:
    [question] = await send(fake, OFFICER, "sở tài có nhiệm vụ gì")
    assert labels(question)[:2] == ["Sở Tài chính", "Sở Tài nguyên và Môi trường"]
    [answer] = await press(fake, question, "Sở Tài chính")
    assert answer.chat_id == OFFICER
    assert "II.1" in answer.plain_text and "Sở Tài chính" in answer.plain_text
    assert "answerCallbackQuery" in [method for method, _ in fake.calls]

    assert labels(answer)[0] == "Chi tiết II.1"
    [picked] = await send(fake, OFFICER, "1")  # a bare number picks the first button of the last answer
    assert "II.1" in picked.plain_text and picked.plain_text != answer.plain_text


# -- (c) invites ----------------------------------------------------------------------------------------------------


async def test_invite_flow(bot: TaskbotApplication, fake: FakeTelegram) -> None:
    [invite] = await send(fake, ADMIN, "/moi Sở Tài chính")
    match = re.search(rf"https://t\.me/{fake.bot_username}\?start=([A-Za-z0-9_-]+)", invite.plain_text)
    assert match is not None, invite.plain_text
    token = match.group(1)

    [welcome] = await send(fake, OFFICER, f"/start {token}", first_name="Nguyễn Văn A")
    assert "Đăng ký thành công" in welcome.plain_text and "Sở Tài chính" in welcome.plain_text
    assert labels(welcome) == ["Nhiệm vụ của tôi"]
    registered = await contact(bot, OFFICER)
    assert registered is not None and registered.agency == "Sở Tài chính" and registered.active
    assert registered.user_id == str(OFFICER) and registered.display_name == "Nguyễn Văn A"

    [mine] = await send(fake, OFFICER, "/cuatoi")
    assert all(code in mine.plain_text for code in ("II.1", "II.2", "II.3"))
    [mine_again] = await press(fake, welcome, "Nhiệm vụ của tôi")
    assert "II.3" in mine_again.plain_text

    [refused] = await send(fake, STRANGER, f"/start {token}")
    assert "Mã mời này đã được sử dụng." in refused.plain_text
    assert await contact(bot, STRANGER) is None


# -- (d) admin commands are refused (and audited) for everyone else ------------------------------------------------


async def test_non_admin_is_refused_and_audited(bot: TaskbotApplication, fake: FakeTelegram) -> None:
    [refusal] = await send(fake, OFFICER, "/moi Sở Tài chính")
    assert "chỉ dành cho quản trị viên" in refusal.plain_text
    assert "t.me" not in refusal.plain_text
    services = bot.bot_data.services
    entries = await services.db(services.contacts.audit_log)
    assert any(e.actor == f"telegram:{OFFICER}" and e.action == "command./moi" and not e.allowed for e in entries)


# -- (e) unknown commands, (f) the command menu --------------------------------------------------------------------


async def test_unknown_command_gets_help(bot: TaskbotApplication, fake: FakeTelegram) -> None:
    [help_text] = await send(fake, OFFICER, "/abc")
    assert "Không có lệnh /abc" in help_text.plain_text
    assert "Sở Tài chính có nhiệm vụ gì?" in help_text.plain_text
    [known] = await send(fake, OFFICER, "/help")  # answered once, not again by the fallback
    await send(fake, OFFICER, "/kehoach")
    assert [s.chat_id for s in fake.sent].count(OFFICER) == 3
    assert "Sở Tài chính có nhiệm vụ gì?" in known.plain_text


async def test_commands_registered_in_vietnamese(fake: FakeTelegram, tmp_path: Path) -> None:
    # A base URL ending in /bot (as some deployments write TELEGRAM_API_BASE_URL) works as well.
    settings = make_settings(tmp_path, fake, telegram_api_base_url=f"{fake.url}/bot/")
    async with running(build_application(settings, clock=lambda: OCT_2018)):
        assert fake.commands == [{"command": name, "description": text} for name, text in COMMANDS]
        by_name = {c["command"]: c["description"] for c in fake.commands}
        assert by_name["cuatoi"] == "Nhiệm vụ của cơ quan tôi"
        [reply] = await send(fake, OFFICER, "/kehoach")
        assert "435/KH-UBND" in reply.plain_text


# -- (g) long replies -----------------------------------------------------------------------------------------------


async def test_long_listing_is_split_under_the_limit(bot: TaskbotApplication, fake: FakeTelegram) -> None:
    services = bot.bot_data.services
    long_name = "Nguyễn Thị Hồng Nhung & cộng sự <phòng Kế hoạch – Tài chính> " * 3
    for i in range(40):
        await services.db(
            services.contacts.upsert_contact,
            channel="telegram",
            chat_id=str(50_000 + i),
            agency="Sở Tài chính",
            display_name=f"{long_name}{i}",
            registered_by="test",
            now=OCT_2018,
        )
    before = len(fake.sent)
    fake.push_text(ADMIN, "/danhba")
    await eventually(lambda: _settled(fake, before))
    parts = fake.sent[before:]
    assert len(parts) >= 3
    assert all(len(p.plain_text) <= 4096 for p in parts)
    joined = "\n".join(p.plain_text for p in parts)
    assert "Danh bạ: 40 liên hệ" in joined
    assert all(str(50_000 + i) in joined for i in range(40))


async def _settled(fake: FakeTelegram, before: int) -> bool:
    """True once the bot sent something and then stayed quiet for a moment."""
    count = len(fake.sent)
    if count == before:
        return False
    await asyncio.sleep(0.3)
    return len(fake.sent) == count


async def test_overdue_listing_stays_under_the_limit(fake: FakeTelegram, tmp_path: Path) -> None:
    later = datetime(2026, 10, 1, 9, 0, tzinfo=TZ)  # every task of the 2018-2020 plan is overdue
    async with running(build_application(make_settings(tmp_path, fake), clock=lambda: later)):
        [page] = await send(fake, OFFICER, "quá hạn")
        assert len(page.plain_text) <= 4096 and "Trang 1/" in page.plain_text
        [page_two] = await press(fake, page, "Xem thêm")
        assert len(page_two.plain_text) <= 4096 and "Trang 2/" in page_two.plain_text


async def test_keyboard_only_under_the_last_part(
    bot: TaskbotApplication, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder = ReplyBuilder()
    for i in range(300):
        builder.line(bold(f"• {i}"), f" — dòng thứ {i} của một câu trả lời rất dài & có ký tự <đặc biệt>")
    long_reply = builder.build()

    async def long_answer(incoming: Incoming) -> list[Outgoing]:
        return [Outgoing(reply=long_reply, buttons=((Button(label="Xem thêm", action="more"),),))]

    monkeypatch.setattr(bot.bot_data.conversation, "on_text", long_answer)
    before = len(fake.sent)
    fake.push_text(OFFICER, "dài")
    await eventually(lambda: _settled(fake, before))
    parts = fake.sent[before:]
    assert len(parts) >= 4 and all(len(p.plain_text) <= 4096 for p in parts)
    assert [p.reply_markup is not None for p in parts] == [False] * (len(parts) - 1) + [True]
    assert labels(parts[-1]) == ["Xem thêm"]
    assert "\n".join(p.plain_text for p in parts) == long_reply.plain()


# -- (h) groups -----------------------------------------------------------------------------------------------------


async def test_group_answers_only_when_addressed(bot: TaskbotApplication, fake: FakeTelegram) -> None:
    group = {"chat_type": "supergroup", "user_id": OFFICER}
    fake.push_text(GROUP, "sở tài chính có nhiệm vụ gì", **group)  # not for the bot: silence
    fake.push_text(GROUP, "/abc@other_bot", **group)  # another bot's command: silence
    fake.push_text(GROUP, "/abc", **group)  # a bare unknown command in a group: silence
    [answer] = await send(fake, GROUP, f"@{fake.bot_username} sở tài chính có nhiệm vụ gì", **group)
    assert answer.chat_id == GROUP and "II.1" in answer.plain_text
    [welcome] = await send(fake, GROUP, f"/start@{fake.bot_username}", **group)
    assert "Xin chào" in welcome.plain_text
    [unknown] = await send(fake, GROUP, f"/abc@{fake.bot_username}", **group)
    assert "Không có lệnh /abc" in unknown.plain_text

    # A reply to one of the bot's messages is meant for the bot too.
    reply_to = fake.get_message(GROUP, answer.message_id)
    assert reply_to is not None
    before = len(fake.sent)
    fake.push_update(
        {
            "message": {
                "message_id": 900,
                "date": int(time.time()),
                "chat": {"id": GROUP, "type": "supergroup", "title": "Nhóm"},
                "from": {"id": OFFICER, "is_bot": False, "first_name": "Cán bộ"},
                "text": "chi tiết II.1",
                "reply_to_message": reply_to,
            }
        }
    )
    [detail] = (await fake.wait_for_sent(before + 1))[before:]
    assert "II.1" in detail.plain_text
    assert [s.chat_id for s in fake.sent].count(GROUP) == 4


# -- (i) blocked chats ----------------------------------------------------------------------------------------------


async def test_blocked_chat_becomes_inactive(bot: TaskbotApplication, fake: FakeTelegram) -> None:
    sent = await send(fake, STRANGER, "/dangky Sở Tài chính", expect=2, first_name="Lê & Trần")
    [ack] = [s for s in sent if s.chat_id == STRANGER]
    [notice] = [s for s in sent if s.chat_id == ADMIN]
    assert "Đã gửi yêu cầu" in ack.plain_text and "Lê & Trần" in notice.plain_text
    assert labels(notice) == ["Duyệt", "Từ chối"]

    fake.block_chat(STRANGER)
    [done] = await press(fake, notice, "Duyệt", user_id=ADMIN)
    assert done.chat_id == ADMIN and "đã được duyệt" in done.plain_text

    async def inactive() -> bool:
        found = await contact(bot, STRANGER)
        return found is not None and not found.active

    await eventually(inactive)
    services = bot.bot_data.services
    entries = await services.db(services.contacts.audit_log)
    assert any(e.actor == "telegram:forbidden" and e.action == "contact.remove" for e in entries)

    # The blocked chat writing again (its reply fails with 403) does not break the bot for others.
    fake.push_text(STRANGER, "/start")
    [still_fine] = await send(fake, OFFICER, "/start")
    assert "Xin chào" in still_fine.plain_text


# -- errors ---------------------------------------------------------------------------------------------------------


async def test_errors_are_reported_once_to_admins(
    bot: TaskbotApplication, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = bot.bot_data.conversation
    real_on_text = conversation.on_text

    async def broken(incoming: Incoming) -> list[Outgoing]:
        raise RuntimeError("hỏng cơ sở dữ liệu")

    monkeypatch.setattr(conversation, "on_text", broken)
    with caplog.at_level(logging.ERROR, logger="bot.telegram_bot"):
        first = await send(fake, OFFICER, "Sở Tài chính có nhiệm vụ gì?", expect=2)
    assert {(s.chat_id, s.text) for s in first if s.chat_id == OFFICER} == {(OFFICER, ERROR_REPLY)}
    [alert] = [s for s in first if s.chat_id == ADMIN]
    assert "RuntimeError" in alert.text and "hỏng cơ sở dữ liệu" in alert.text and str(OFFICER) in alert.text
    assert any(r.exc_info and isinstance(r.exc_info[1], RuntimeError) for r in caplog.records)

    [second] = await send(fake, STRANGER, "chào")  # within 10 minutes: the user is told, the admins are not
    assert second.chat_id == STRANGER and second.text == ERROR_REPLY

    monkeypatch.setattr(conversation, "on_text", real_on_text)
    [recovered] = await send(fake, OFFICER, "Sở Tài chính có nhiệm vụ gì?")
    assert "II.1" in recovered.plain_text
    assert [s.chat_id for s in fake.sent].count(ADMIN) == 1


async def test_handlers_need_post_init(fake: FakeTelegram, tmp_path: Path) -> None:
    application = build_application(make_settings(tmp_path, fake))
    with pytest.raises(RuntimeError, match="post_init has not run"):
        _ = application.bot_data.services
    with pytest.raises(RuntimeError, match="post_init has not run"):
        _ = application.bot_data.conversation
    await application.shutdown()  # never initialized: nothing to close, but no warning either


# -- (k) running ----------------------------------------------------------------------------------------------------


def test_build_without_token_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as excinfo:
        build_application(make_settings(tmp_path))
    assert "TELEGRAM_BOT_TOKEN" in excinfo.value.user_message and "taskbot chat" in excinfo.value.user_message
    with pytest.raises(ConfigError):
        build_application(make_settings(tmp_path, telegram_bot_token="  "))
