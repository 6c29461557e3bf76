"""The Zalo adapter end to end: the bot long-polls (or serves a webhook for) the fake Zalo Bot Platform.

Each test has its own SQLite file and a fixed clock (1 October 2018 unless said otherwise); settings are built from
keyword arguments only.
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.channel_settings import ZALO_DEFAULT_PATH
from bot.runtime import Runtime
from bot.serve import BotProcess, serve
from bot.services import Services
from bot.settings import Settings
from bot.zalo_api import ZaloApi, unwrap_update, updates_in
from bot.zalo_bot import (
    CHOICE_PROMPT,
    MAX_TEXT,
    NO_FILES_REPLY,
    WEBHOOK_SECRET_HEADER,
    ZaloBot,
    ZaloSender,
    render_zalo,
)
from knowledge.contacts import Contact
from knowledge.errors import ConfigError
from knowledge.reply import Button, Outgoing, Reply, ReplyBuilder, bold
from scheduler.delivery import DeliveryError, PartProgress, RecipientUnreachable, TransientDeliveryError
from tests.fakes.zalo_api import FakeZalo, ZaloSent

TOKEN = "1234567890:zalo-test-token"
OFFICER = "a1b2c3d4e5f6"
OTHER = "f6e5d4c3b2a1"
GROUP = "g-7788"
SECRET = "s3cret-webhook-token"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH_2026 = datetime(2026, 3, 1, 9, 0, tzinfo=TZ)


# -- fixtures and helpers -------------------------------------------------------------------------------------------


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    async with FakeZalo(token=TOKEN) as server:
        yield server
    assert server.internal_errors == []


def zalo_settings(tmp_path: Path, fake: FakeZalo | None = None, **overrides: Any) -> Settings:
    """Settings from keyword arguments only: neither the environment nor a ``.env`` file can change them."""
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'zalo.sqlite3'}",
        "taskbot_timezone": "Asia/Ho_Chi_Minh",
        "taskbot_admins": "",
        "zalo_bot_token": fake.token if fake else None,
        "zalo_api_base_url": fake.url if fake else "https://bot-api.zaloplatforms.com",
        "zalo_webhook_secret": None,
        "zalo_webhook_url": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def api(fake: FakeZalo, tmp_path: Path) -> AsyncIterator[ZaloApi]:
    async with ZaloApi(fake.token, base_url=fake.url) as client:
        yield client


@asynccontextmanager
async def polling(services: Services, api: ZaloApi) -> AsyncIterator[ZaloBot]:
    """A bot long-polling the fake (1 s polls), stopped on exit."""
    bot = ZaloBot(services, api)
    stop = asyncio.Event()
    task = asyncio.create_task(bot.run_polling(stop, poll_timeout=1))
    try:
        yield bot
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)


@pytest.fixture
async def bot(services: Services, api: ZaloApi) -> AsyncIterator[ZaloBot]:
    async with polling(services, api) as running:
        yield running


async def send(fake: FakeZalo, chat_id: str, text: str, *, expect: int = 1, **kwargs: Any) -> list[ZaloSent]:
    """Push a user's message and return the ``expect`` messages the bot sent because of it."""
    before = len(fake.sent)
    fake.push_text(chat_id, text, **kwargs)
    return (await fake.wait_for_sent(before + expect))[before:]


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def contact(services: Services, chat_id: str) -> Contact | None:
    return await services.db(services.contacts.get, "zalo", chat_id)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# -- conversations over long polling --------------------------------------------------------------------------------


async def test_officer_conversation(bot: ZaloBot, fake: FakeZalo) -> None:
    [hello] = await send(fake, OFFICER, "xin chào")
    assert hello.chat_id == OFFICER and hello.method == "sendMessage"
    assert "Xin chào" in hello.text and "<b>" not in hello.text
    assert f"{CHOICE_PROMPT}\n1. Sở Tài chính có nhiệm vụ gì?\n2. Nhiệm vụ của tôi" in hello.text

    answer = await send(fake, OFFICER, "Sở Tài chính có nhiệm vụ gì?")
    assert "II.1" in answer[0].text and "Sở Tài chính" in answer[0].text
    assert all(1 <= len(s.text) <= MAX_TEXT for s in fake.sent)
    methods = [method for method, _ in fake.calls]
    assert methods[:2] == ["deleteWebhook", "getMe"] and "getUpdates" in methods
    assert bot.bot_names == ("Trợ lý nhiệm vụ", fake.account_name)


async def test_numbered_choice(bot: ZaloBot, fake: FakeZalo) -> None:
    [question] = await send(fake, OFFICER, "sở tài có nhiệm vụ gì")
    assert "1. Sở Tài chính" in question.text and "2. Sở Tài nguyên và Môi trường" in question.text
    assert question.text.count("1. Sở Tài chính") == 1  # the core's own numbered list is not repeated

    [answer] = await send(fake, OFFICER, "1")
    assert "II.1" in answer.text and "Sở Tài chính" in answer.text

    [help_answer] = await send(fake, OTHER, "xin chào")  # another chat's choices are its own
    [picked] = await send(fake, OTHER, "2")
    assert "Nhiệm vụ của tôi" in help_answer.text and "II.1" not in picked.text


async def test_invite_code_alone_then_my_tasks(bot: ZaloBot, fake: FakeZalo, services: Services) -> None:
    invite = await services.db(
        services.contacts.create_invite, agency="Sở Tài chính", role="officer", created_by="test", now=services.now()
    )
    # The core recognises a bare code only when it contains a digit (see the report); make sure this one does.
    while not any(c.isdigit() for c in invite.token):
        invite = await services.db(
            services.contacts.create_invite, agency="Sở Tài chính", created_by="test", now=services.now()
        )
    [welcome] = await send(fake, OFFICER, invite.token, user_id="u-42", display_name="Chị Lan")
    assert "Đăng ký thành công" in welcome.text and "Sở Tài chính" in welcome.text

    [mine] = await send(fake, OFFICER, "/cuatoi")
    assert all(code in mine.text for code in ("II.1", "II.2", "II.3"))

    registered = await contact(services, OFFICER)
    assert registered is not None and registered.active and registered.agency == "Sở Tài chính"
    assert registered.user_id == "u-42" and registered.display_name == "Chị Lan"

    second = await services.db(
        services.contacts.create_invite, agency="Sở Tài chính", created_by="test", now=services.now()
    )
    [started] = await send(fake, OTHER, f"/start {second.token}")
    assert "Đăng ký thành công" in started.text


async def test_overdue_listing_in_2026_stays_under_the_limit(fake: FakeZalo, api: ZaloApi, runtime: Runtime) -> None:
    services = Services(runtime, clock=lambda: MARCH_2026)
    async with polling(services, api):
        replies = await send(fake, OFFICER, "quá hạn")
        await asyncio.sleep(0.2)  # let any further part arrive
    assert "quá hạn" in replies[0].text and "01/03/2026" in replies[0].text
    assert all(1 <= len(s.text) <= MAX_TEXT for s in fake.sent)


async def test_long_reply_is_split_into_several_messages(services: Services, api: ZaloApi, fake: FakeZalo) -> None:
    builder = ReplyBuilder().line(bold("Danh sách dài"))
    for i in range(60):
        builder.line(f"• Dòng {i:02d}: " + "nội dung nhiệm vụ " * 5)
    buttons = ((Button(label="Xem thêm", action="more"), Button(label="Chi tiết II.1", action="ii1")),)
    await ZaloBot(services, api).deliver(OFFICER, [Outgoing(reply=builder.build(), buttons=buttons)])
    sent = fake.sent
    assert len(sent) >= 3 and all(1 <= len(s.text) <= MAX_TEXT and s.chat_id == OFFICER for s in sent)
    joined = "\n".join(s.text for s in sent)
    assert all(f"• Dòng {i:02d}:" in joined for i in range(60))
    assert sent[-1].text.endswith(f"{CHOICE_PROMPT}\n1. Xem thêm\n2. Chi tiết II.1")


async def test_group_answers_only_commands_and_mentions(bot: ZaloBot, fake: FakeZalo) -> None:
    fake.push_text(GROUP, "Sở Tài chính có nhiệm vụ gì?", user_id="u1", chat_type="GROUP")  # chatter: ignored
    fake.push_update({"event_name": "message.sticker.received", "message": {"chat": {"id": GROUP}}})
    bot_update = fake.make_update(GROUP, "/help", user_id="b1", chat_type="GROUP")
    bot_update["message"]["from"]["is_bot"] = True
    fake.push_update(bot_update)
    # Updates are handled in order: the first reply is the answer to the command, so the above got none.
    [command] = await send(fake, GROUP, "/help", user_id="u2", chat_type="GROUP")
    assert "Bạn có thể hỏi" in command.text and command.chat_id == GROUP

    mentioned = "@Trợ lý nhiệm vụ Sở Tài chính có nhiệm vụ gì?"
    [mention] = await send(fake, GROUP, mentioned, user_id="u3", chat_type="GROUP")
    assert "II.1" in mention.text
    assert len(fake.sent) == 2


# -- delivery errors and reminders ----------------------------------------------------------------------------------


async def test_blocked_chat_becomes_inactive(bot: ZaloBot, fake: FakeZalo, services: Services) -> None:
    await services.db(
        services.contacts.upsert_contact,
        channel="zalo",
        chat_id=OFFICER,
        agency="Sở Tài chính",
        registered_by="test",
        now=services.now(),
    )
    fake.block_chat(OFFICER)
    fake.push_text(OFFICER, "xin chào")

    async def inactive() -> bool:
        found = await contact(services, OFFICER)
        return found is not None and not found.active

    await eventually(inactive)
    assert fake.sent == []
    [answer] = await send(fake, OTHER, "xin chào")  # the loop goes on
    assert answer.chat_id == OTHER


async def test_reminder_push_through_zalo_sender(api: ZaloApi, fake: FakeZalo) -> None:
    reply = ReplyBuilder().line(bold("Nhắc hạn nhiệm vụ")).line("• II.3 — hạn 15/11/2018").build()
    buttons = (
        (Button(label="Đã hoàn thành II.3", action="r|d|435|II.3|2018-11-15"),),
        (Button(label="Báo cáo tiến độ II.3", action="r|p|435|II.3|2018-11-15"),),
    )
    sender = ZaloSender(api, per_chat_interval=0.3)
    started = time.monotonic()
    await sender.send(OFFICER, Outgoing(reply=reply, buttons=buttons))
    await sender.send(OTHER, Outgoing(reply=reply))
    assert time.monotonic() - started < 0.3  # different chats do not wait for each other
    await sender.send(OFFICER, Outgoing(reply=reply))
    assert time.monotonic() - started >= 0.3  # the same chat: at most one message per interval
    first = fake.sent[0]
    assert first.chat_id == OFFICER and first.text.startswith("Nhắc hạn nhiệm vụ\n• II.3")
    assert first.text.endswith(f"{CHOICE_PROMPT}\n1. Đã hoàn thành II.3\n2. Báo cáo tiến độ II.3")
    assert [s.chat_id for s in fake.sent] == [OFFICER, OTHER, OFFICER]


async def test_reminder_sweep_delivers_to_zalo(api: ZaloApi, fake: FakeZalo, services: Services) -> None:
    await services.db(
        services.contacts.upsert_contact,
        channel="zalo",
        chat_id=OFFICER,
        agency="Sở Tài chính",
        registered_by="test",
        now=services.now(),
    )
    now = datetime(2018, 11, 8, 8, 30, tzinfo=TZ)  # 7 days before II.3's deadline (15/11)
    report = await services.reminders.sweep(now, {"zalo": ZaloSender(api)})
    assert report.sent >= 1 and report.failed == 0 and report.retried == 0
    [message] = fake.sent
    assert message.chat_id == OFFICER and "II.3" in message.text and "15/11/2018" in message.text
    assert re.search(rf"^{CHOICE_PROMPT}$", message.text, re.MULTILINE)
    assert re.search(r"^\d\. Đã hoàn thành II\.3$", message.text, re.MULTILINE)


async def test_a_500_on_part_two_resends_only_the_parts_not_accepted(api: ZaloApi, fake: FakeZalo) -> None:
    builder = ReplyBuilder()
    for i in range(120):  # about 9,000 characters: several Zalo messages
        builder.line(f"Dòng {i:03d}: nhắc hạn nhiệm vụ của Sở Tài chính, báo cáo trước ngày 15/11/2018.")
    outgoing = Outgoing(reply=builder.build())
    parts = len(render_zalo(outgoing))
    fake.fail_next("sendMessage", status=200)  # part 1 goes through (a fault below 300 only delays: here by 0 s)
    fake.fail_next("sendMessage", status=500)  # part 2 fails
    recorded: list[int] = []

    async def record(count: int) -> None:
        recorded.append(count)

    progress = PartProgress(0, record)
    sender = ZaloSender(api, per_chat_interval=0)
    with pytest.raises(TransientDeliveryError):
        await sender.send(OFFICER, outgoing, progress=progress)
    await sender.send(OFFICER, outgoing, progress=progress)  # the retry
    texts = [s.text for s in fake.sent]
    assert parts >= 3 and len(texts) == parts and recorded == list(range(1, parts + 1))
    assert "".join(texts).count("Dòng 050") == 1  # nothing sent twice


async def test_sender_translates_errors(api: ZaloApi, fake: FakeZalo) -> None:
    sender = ZaloSender(api, per_chat_interval=0)
    hello = Outgoing(reply=Reply(lines=()), buttons=((Button(label="Có", action="x"),),))
    fake.block_chat(OFFICER)
    with pytest.raises(RecipientUnreachable):
        await sender.send(OFFICER, hello)
    fake.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(TransientDeliveryError) as limited:
        await sender.send(OTHER, hello)
    assert limited.value.retry_after == 7.0
    fake.fail_next("sendMessage", status=502)
    with pytest.raises(TransientDeliveryError):
        await sender.send(OTHER, hello)
    fake.fail_next("sendMessage", status=400, description="Bad Request: chat_id is invalid")
    with pytest.raises(DeliveryError) as bad:
        await sender.send(OTHER, hello)
    assert type(bad.value) is DeliveryError and "chat_id is invalid" in str(bad.value)
    await sender.send(OTHER, hello)
    assert [s.text for s in fake.sent] == [f"{CHOICE_PROMPT}\n1. Có"]


async def test_api_errors_are_translated_without_the_token(fake: FakeZalo) -> None:
    async with ZaloApi("999:wrong-token", base_url=fake.url) as wrong:
        with pytest.raises(ConfigError) as rejected:
            await wrong.get_me()
    assert "ZALO_BOT_TOKEN" in rejected.value.user_message and "wrong-token" not in str(rejected.value)
    assert "wrong-token" not in repr(wrong)

    async with ZaloApi(TOKEN, base_url=fake.url, timeout=0.2) as slow:
        fake.fail_next("getMe", status=200, delay=1.0)
        with pytest.raises(TransientDeliveryError, match="timed out"):
            await slow.get_me()

    port = free_port()
    async with ZaloApi(TOKEN, base_url=f"http://127.0.0.1:{port}") as nowhere:
        with pytest.raises(TransientDeliveryError) as down:
            await nowhere.send_message(OFFICER, "x")
    assert TOKEN not in str(down.value) and isinstance(down.value.__cause__, httpx.TransportError)


def test_render_zalo() -> None:
    rows = (
        (Button(label="Chi tiết II.1", action="a"),),
        (Button(label="Xem thêm", action="b"), Button(label="Nhiệm vụ của tôi", action="c")),
    )
    reply = ReplyBuilder().line("Sở ", bold("Tài chính"), " & <KH>").build()
    assert render_zalo(Outgoing(reply=reply, buttons=rows)) == [
        f"Sở Tài chính & <KH>\n\n{CHOICE_PROMPT}\n1. Chi tiết II.1\n2. Xem thêm\n3. Nhiệm vụ của tôi"
    ]
    assert render_zalo(Outgoing(reply=Reply())) == []
    one_long_line = render_zalo(Outgoing(reply=ReplyBuilder().line("ệ" * 4500).build()))
    assert [len(part) for part in one_long_line] == [2000, 2000, 500]


# -- polling robustness ---------------------------------------------------------------------------------------------


async def test_polling_backs_off_and_recovers(fake: FakeZalo, api: ZaloApi, services: Services) -> None:
    fake.fail_next("getUpdates", status=500, times=2)
    bot = ZaloBot(services, api)
    bot.backoff_initial = 0.05
    stop = asyncio.Event()
    task = asyncio.create_task(bot.run_polling(stop, poll_timeout=1))
    try:
        [answer] = await send(fake, OFFICER, "xin chào")
        assert "Xin chào" in answer.text
        assert [m for m, _ in fake.calls].count("getUpdates") >= 3
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)


async def test_idle_polls_are_not_errors(
    fake: FakeZalo, api: ZaloApi, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        async with polling(services, api):
            await eventually(lambda: _called_times(fake, "getUpdates", 3))  # two 1-second polls answered 408
            [answer] = await send(fake, OFFICER, "xin chào")
    assert "Xin chào" in answer.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_every_get_updates_result_shape() -> None:
    update = {"event_name": "message.text.received", "message": {"text": "a"}}
    assert updates_in(update) == [update]  # what the platform sends: one object
    assert updates_in([update, "junk", {}, update]) == [update, update]
    for empty in (None, {}, [], "", 0, True):
        assert updates_in(empty) == []


def test_webhook_bodies_wrapped_and_bare() -> None:
    update = {"event_name": "message.text.received", "message": {"text": "a"}}
    assert unwrap_update({"ok": True, "result": update}) == update  # what the platform posts
    assert unwrap_update(update) == update
    assert unwrap_update({"ok": True, "result": {}}) == {}
    for junk in (None, [], "x", 3):
        assert unwrap_update(junk) is None


async def test_polling_stops_promptly_while_backing_off(fake: FakeZalo, api: ZaloApi, services: Services) -> None:
    fake.fail_next("getUpdates", status=429, retry_after=60)
    bot = ZaloBot(services, api)
    stop = asyncio.Event()
    task = asyncio.create_task(bot.run_polling(stop, poll_timeout=1))
    await eventually(lambda: _called(fake, "getUpdates"))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    stop.set()
    await asyncio.wait_for(task, 2)
    assert time.monotonic() - started < 1


async def test_polling_with_a_rejected_token_fails(fake: FakeZalo, services: Services) -> None:
    async with ZaloApi("999:wrong-token", base_url=fake.url) as wrong:
        with pytest.raises(ConfigError):
            await ZaloBot(services, wrong).run_polling(asyncio.Event(), poll_timeout=1)


async def _called(fake: FakeZalo, method: str) -> bool:
    return any(m == method for m, _ in fake.calls)


# -- webhook and running (ZaloChannel in BotProcess) ----------------------------------------------------------------


def process_settings(tmp_path: Path, fake: FakeZalo, **overrides: Any) -> Settings:
    return zalo_settings(tmp_path, fake, **overrides)


async def test_webhook(fake: FakeZalo, tmp_path: Path) -> None:
    settings = process_settings(
        tmp_path, fake, zalo_webhook_secret=SECRET, zalo_webhook_url="https://bot.example.vn/zalo/webhook"
    )
    process = BotProcess(settings, ["zalo"], listen="127.0.0.1:0")
    try:
        assert await process.start()
        assert process.server is not None
        assert (fake.webhook_url, fake.webhook_secret) == ("https://bot.example.vn/zalo/webhook", SECRET)
        url = f"http://127.0.0.1:{process.server.port}{ZALO_DEFAULT_PATH}"
        update = fake.make_update(OFFICER, "Cục Thuế thành phố có nhiệm vụ gì?")  # a short answer: one message
        for secret in ("", "wrong-secret", SECRET[:-1]):
            refused = await fake.deliver_webhook(url, update, secret=secret)
            assert refused.status_code == 403
        async with httpx.AsyncClient(timeout=5) as http:
            for body in (b"{not json", b"", b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000):
                invalid = await http.post(url, content=body, headers={WEBHOOK_SECRET_HEADER: SECRET})
                assert invalid.status_code == 400, body[:20]
        await asyncio.sleep(0.1)
        assert fake.sent == []

        accepted = await fake.deliver_webhook(url, update)  # wrapped, as Zalo posts it
        assert accepted.status_code == 200 and accepted.json() == {"ok": True}
        [answer] = await fake.wait_for_sent(1)
        assert answer.chat_id == OFFICER and "XIV.1" in answer.text

        async with httpx.AsyncClient(timeout=5) as http:  # a bare update is read too
            bare = await http.post(
                url, json=fake.make_update(OTHER, "xin chào"), headers={WEBHOOK_SECRET_HEADER: SECRET}
            )
        assert bare.status_code == 200
        [_, greeting] = await fake.wait_for_sent(2)
        assert greeting.chat_id == OTHER and "Xin chào" in greeting.text
    finally:
        await process.close()
    assert not any(method == "getUpdates" for method, _ in fake.calls)


async def test_wrapped_webhook_long_answer_is_split(fake: FakeZalo, tmp_path: Path, runtime: Runtime) -> None:
    services = Services(runtime, clock=lambda: MARCH_2026)
    settings = process_settings(tmp_path, fake, zalo_webhook_secret=SECRET)
    process = BotProcess(settings, ["zalo"], listen="127.0.0.1:0", services=services)
    try:
        assert await process.start()
        assert process.server is not None
        url = f"http://127.0.0.1:{process.server.port}{ZALO_DEFAULT_PATH}"
        fake.webhook_secret = SECRET  # registered in Zalo Bot Creator (no ZALO_WEBHOOK_URL)
        others = (
            fake.make_sticker(OFFICER),
            fake.make_unsupported(OFFICER),
            fake.make_image(OFFICER, "https://x.vn/a.jpg"),
        )
        for other in others:
            assert (await fake.deliver_webhook(url, other)).status_code == 200
        response = await fake.deliver_webhook(url, fake.make_update(OFFICER, "Liên minh HTX có nhiệm vụ gì"))
        assert response.status_code == 200
        await fake.wait_for_sent(4)
        await asyncio.sleep(0.2)  # let any further part arrive
    finally:
        await process.close()
    told = [p for p in fake.sent if p.text == NO_FILES_REPLY]
    assert len(told) == 2  # the file ("unsupported") and the image; the sticker gets nothing
    parts = [p for p in fake.sent if p.text != NO_FILES_REPLY]
    assert len(parts) >= 2 and sum(len(p.text) for p in parts) > MAX_TEXT
    assert all(1 <= len(p.text) <= MAX_TEXT and p.chat_id == OFFICER for p in parts)
    assert "Liên minh" in parts[0].text
    assert fake.webhook_url == ""  # no ZALO_WEBHOOK_URL: nothing registered


async def test_shutdown_finishes_accepted_updates(fake: FakeZalo, tmp_path: Path) -> None:
    settings = process_settings(tmp_path, fake, zalo_webhook_secret=SECRET)
    process = BotProcess(settings, ["zalo"], listen="127.0.0.1:0")
    try:
        assert await process.start()
        assert process.server is not None
        url = f"http://127.0.0.1:{process.server.port}{ZALO_DEFAULT_PATH}"
        response = await fake.deliver_webhook(url, fake.make_update(OFFICER, "xin chào"), secret=SECRET)
        assert response.status_code == 200
    finally:
        await process.close()  # at once: the update accepted above is still answered before close returns
    assert len(fake.sent) == 1 and "Xin chào" in fake.sent[0].text


async def test_polling_process_opens_and_closes_everything(
    fake: FakeZalo, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stop = asyncio.Event()
    with caplog.at_level(logging.DEBUG):
        task = asyncio.create_task(serve(zalo_settings(tmp_path, fake), ["zalo"], stop=stop))
        [answer] = await send(fake, OFFICER, "xin chào")
        fake.fail_next("sendMessage", status=500)
        fake.push_text(OTHER, "xin chào")
        await eventually(lambda: _called_times(fake, "sendMessage", 2))
        stop.set()
        await asyncio.wait_for(task, 5)
    assert "Xin chào" in answer.text
    assert "zalo-test-token" not in caplog.text
    assert "could not send a message to zalo chat" in caplog.text


async def _called_times(fake: FakeZalo, method: str, times: int) -> bool:
    return sum(m == method for m, _ in fake.calls) >= times
