"""Tests for the fake Telegram Bot API, driven by the real python-telegram-bot client."""

from __future__ import annotations

import datetime as dt
import html
import json
import urllib.request
from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, Forbidden, InvalidToken, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.fakes.telegram_api import ApiError, FakeTelegram, parse_html

TOKEN = "123456:TEST-token"
CHAT = 4242


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    """A running fake server, stopped after the test."""
    with FakeTelegram(token=TOKEN) as server:
        yield server


def make_bot(fake: FakeTelegram, token: str = TOKEN, read_timeout: float | None = None) -> Bot:
    """A real PTB Bot pointed at the fake."""
    return Bot(
        token,
        base_url=f"{fake.url}/bot",
        base_file_url=f"{fake.url}/file/bot",
        request=HTTPXRequest(read_timeout=read_timeout) if read_timeout else None,
    )


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    """An initialized PTB Bot talking to ``fake``."""
    async with make_bot(fake) as client:
        yield client


async def test_get_me(bot: Bot, fake: FakeTelegram) -> None:
    me = await bot.get_me()
    assert me.username == fake.bot_username
    assert me.is_bot and me.id == 123456
    assert me.can_join_groups is True
    assert fake.calls[0][0] == "getMe"


async def test_send_message_is_recorded(bot: Bot, fake: FakeTelegram) -> None:
    first = await bot.send_message(CHAT, "<b>Xin chào</b> &amp; chào", parse_mode=ParseMode.HTML)
    second = await bot.send_message(CHAT, "lần hai")
    assert (first.message_id, second.message_id) == (1, 2)
    assert first.text == "Xin chào & chào"
    assert first.entities[0].type == "bold" and first.entities[0].length == 8
    assert [s.text for s in fake.sent] == ["<b>Xin chào</b> &amp; chào", "lần hai"]
    assert fake.sent[0].parse_mode == "HTML" and fake.sent[0].plain_text == "Xin chào & chào"
    assert fake.sent[0].chat_id == CHAT and fake.sent[1].reply_markup is None
    method, params = fake.calls[-1]
    assert method == "sendMessage" and params["chat_id"] == CHAT and params["text"] == "lần hai"


async def test_length_limit(bot: Bot, fake: FakeTelegram) -> None:
    await bot.send_message(CHAT, "x" * 4096)
    await bot.send_message(CHAT, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)too long"):
        await bot.send_message(CHAT, "x" * 4097)
    with pytest.raises(BadRequest, match="(?i)text is empty"):
        await bot.send_message(CHAT, "  ")
    assert len(fake.sent) == 2


async def test_html_must_be_escaped(bot: Bot, fake: FakeTelegram) -> None:
    text = "Sở KH&ĐT <chủ trì>"
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(CHAT, f"<b>{html.escape(text)}</b>".replace("</b>", ""), parse_mode="HTML")
    sent = await bot.send_message(CHAT, f"<i>{html.escape(text)}</i>", parse_mode=ParseMode.HTML)
    assert sent.text == text
    await bot.send_message(CHAT, text)  # no parse mode: anything goes
    assert len(fake.sent) == 2


@pytest.mark.parametrize(
    "bad",
    [
        "<b>x</i>",
        "<b><i>x</b></i>",
        "<p>x</p>",
        "x</b>",
        "a < b",
        "&nbsp;",
        "&#0;",
        "<span>x</span>",
        "<br/>",
        "<b>open",
    ],
)
def test_parse_html_rejects(bad: str) -> None:
    with pytest.raises(ApiError, match="can't parse entities"):
        parse_html(bad)


def test_parse_html_entities() -> None:
    text, entities = parse_html(
        '<a href="https://x.vn/?a=1&amp;b=2">🔗 link</a> <pre><code class="language-python">x</code></pre>'
        ' <span class="tg-spoiler">s</span> <blockquote expandable>q</blockquote> &#39;&#x41;&quot;'
    )
    assert text == "🔗 link x s q 'A\""
    assert entities[0] == {"type": "text_link", "offset": 0, "length": 7, "url": "https://x.vn/?a=1&b=2"}
    assert entities[1] == {"type": "pre", "offset": 8, "length": 1, "language": "python"}
    assert [e["type"] for e in entities[2:]] == ["spoiler", "expandable_blockquote"]


async def test_inline_keyboard_round_trip(bot: Bot, fake: FakeTelegram) -> None:
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Xong", callback_data="done:7"), InlineKeyboardButton("Mở", url="https://x.vn")]]
    )
    message = await bot.send_message(CHAT, "Nhiệm vụ 7", reply_markup=markup)
    assert message.reply_markup == markup
    assert fake.sent[0].reply_markup == markup.to_dict()
    assert fake.calls[-1][1]["reply_markup"] == markup.to_dict()

    with pytest.raises(BadRequest, match="(?i)not modified"):
        await bot.edit_message_text("Nhiệm vụ 7", chat_id=CHAT, message_id=message.message_id, reply_markup=markup)
    edited = await bot.edit_message_text("Đã xong ✅", chat_id=CHAT, message_id=message.message_id)
    assert isinstance(edited, type(message)) and edited.text == "Đã xong ✅" and edited.reply_markup is None
    assert fake.sent[-1].method == "editMessageText" and fake.sent[-1].message_id == message.message_id
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("?", chat_id=CHAT, message_id=999)

    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="y" * 65)]])
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(CHAT, "x", reply_markup=too_long)
    with pytest.raises(BadRequest, match="(?i)text buttons are unallowed"):
        await bot.send_message(CHAT, "x", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("x")]]))


async def test_commands_document_and_misc(bot: Bot, fake: FakeTelegram) -> None:
    commands = [BotCommand("start", "Bắt đầu"), BotCommand("viec", "Việc của tôi")]
    assert await bot.set_my_commands(commands)
    assert fake.commands == [c.to_dict() for c in commands]
    assert await bot.get_my_commands() == tuple(commands)
    with pytest.raises(BadRequest):
        await bot.set_my_commands([BotCommand("Bad Command", "x")])
    assert await bot.delete_my_commands() and await bot.get_my_commands() == ()

    doc = await bot.send_document(
        CHAT, b"%PDF-1.4 data", filename="bao-cao.pdf", caption="<b>Báo cáo</b>", parse_mode=ParseMode.HTML
    )
    assert doc.document is not None and doc.document.file_name == "bao-cao.pdf" and doc.caption == "Báo cáo"
    assert fake.sent[-1].document_bytes == b"%PDF-1.4 data" and fake.sent[-1].document_name == "bao-cao.pdf"

    assert await bot.send_chat_action(CHAT, "typing")
    chat = await bot.get_chat(CHAT)
    assert chat.id == CHAT and chat.type == "private"
    assert (await bot.get_webhook_info()).url == ""
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")


async def test_wrong_token(fake: FakeTelegram) -> None:
    async with make_bot(fake) as good:
        assert (await good.get_me()).username == fake.bot_username
    with pytest.raises(InvalidToken):
        async with make_bot(fake, token="999:wrong"):
            pass
    assert all(method == "getMe" for method, _ in fake.calls)


async def test_fault_injection(bot: Bot, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # else PTB 22 warns when building RetryAfter
    fake.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as excinfo:
        await bot.send_message(CHAT, "x")
    assert excinfo.value.retry_after == dt.timedelta(seconds=7)

    fake.fail_next("sendMessage", status=403)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(CHAT, "x")

    fake.block_chat(CHAT)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "x")
    fake.unblock_chat(CHAT)

    fake.fail_next("sendMessage", status=500, times=2)
    for _ in range(2):
        with pytest.raises(Exception, match="Internal Server Error"):
            await bot.send_message(CHAT, "x")
    await bot.send_message(CHAT, "ok now")
    assert [s.text for s in fake.sent] == ["ok now"]


async def test_delay_causes_client_timeout(fake: FakeTelegram) -> None:
    fake.fail_next("sendMessage", status=200, delay=0.5)
    async with make_bot(fake, read_timeout=0.1) as client:
        with pytest.raises(TimedOut):
            await client.send_message(CHAT, "slow")
    assert fake.calls[-1][0] == "sendMessage"  # the server saw it; the client gave up first


def test_sync_usage_and_long_poll(fake: FakeTelegram) -> None:
    def call(method: str, **params: object) -> dict[str, object]:
        data = json.dumps(params).encode()
        request = urllib.request.Request(
            f"{fake.url}/bot{TOKEN}/{method}", data=data, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            result: dict[str, object] = json.load(response)
            return result

    assert call("getUpdates", timeout=0) == {"ok": True, "result": []}
    first = fake.push_text(CHAT, "/viec hôm nay")
    second = fake.push_text(CHAT, "chào")
    updates = call("getUpdates", timeout=1)["result"]
    assert isinstance(updates, list) and [u["update_id"] for u in updates] == [first, second]
    assert updates[0]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]
    assert call("getUpdates", offset=second + 1, timeout=0)["result"] == []
    assert fake.pending_updates == 0
    call("sendMessage", chat_id=CHAT, text="trả lời")
    assert fake.wait_for_sent_sync(1)[0].text == "trả lời"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the command's arguments and a button."""
    assert update.effective_message is not None
    button = InlineKeyboardMarkup([[InlineKeyboardButton("Bấm", callback_data="press")]])
    await update.effective_message.reply_text(f"echo: {' '.join(context.args or [])}", reply_markup=button)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the callback and edit the message."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"pressed {query.data}")


async def test_application_polling(fake: FakeTelegram) -> None:
    application = (
        ApplicationBuilder().token(TOKEN).base_url(f"{fake.url}/bot").base_file_url(f"{fake.url}/file/bot").build()
    )
    application.add_handler(CommandHandler("start", echo))
    application.add_handler(CallbackQueryHandler(pressed))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
        fake.push_text(CHAT, "/start xin chào", username="canbo")
        reply = (await fake.wait_for_sent(1))[0]
        assert (reply.chat_id, reply.text) == (CHAT, "echo: xin chào")
        fake.push_callback(CHAT, "press", message_id=reply.message_id)
        edited = (await fake.wait_for_sent(2))[1]
        assert (edited.method, edited.text, edited.message_id) == ("editMessageText", "pressed press", 2)
        await application.updater.stop()
        await application.stop()
    assert fake.pending_updates == 0  # the final getUpdates confirmed everything
    assert "answerCallbackQuery" in [method for method, _ in fake.calls]
    assert fake.internal_errors == []


async def test_async_context_manager_and_prompt_stop() -> None:
    async with FakeTelegram(token=TOKEN, bot_username="other_bot") as server:
        async with make_bot(server) as client:
            assert client.username == "other_bot"
            server.push_text(-1001, "chào nhóm", chat_type="supergroup", user_id=7)
            (update,) = await client.get_updates(timeout=1)
            assert update.effective_chat is not None and update.effective_chat.type == "supergroup"
            assert update.effective_user is not None and update.effective_user.id == 7
            assert await client.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert server.url and server.pending_updates == 0
