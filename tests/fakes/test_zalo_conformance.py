"""The fake Zalo API agrees with the platform's own SDK (python-zalo-bot, a test-only dependency).

Every update the fake produces — by getUpdates, and wrapped in a webhook body — is parsed the way the SDK parses it:
``Bot.get_update`` reads getUpdates' ``result`` with ``Update.de_json`` (one object), and the SDK's webhook example
reads ``Update.de_json(body["result"])``. If the fake drifts from what the SDK reads (a list instead of an object, a
bare webhook body, a number for an id, seconds instead of milliseconds), these tests fail.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest

zalo_bot = pytest.importorskip("zalo_bot", reason="python-zalo-bot (the dev extra) is not installed")

from tests.fakes.zalo_api import (  # noqa: E402 - after the SDK check
    IMAGE_EVENT,
    STICKER_EVENT,
    TEXT_EVENT,
    UNSUPPORTED_EVENT,
    WEBHOOK_SECRET_HEADER,
    FakeZalo,
)

TOKEN = "1234567890:zalo-test-token"
CHAT = "6ede9afa66b88fe6d6a9"


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    async with FakeZalo(token=TOKEN) as server:
        yield server
    assert server.internal_errors == []


def every_update(fake: FakeZalo) -> list[dict[str, Any]]:
    kinds: list[Callable[[], dict[str, Any]]] = [
        lambda: fake.make_update(CHAT, "Sở Tài chính có nhiệm vụ gì?", display_name="Chị Lan"),
        lambda: fake.make_update("g-42", "@Trợ lý /help", user_id="u1", chat_type="GROUP"),
        lambda: fake.make_image(CHAT, "https://x.vn/a.jpg", "ảnh"),
        lambda: fake.make_sticker(CHAT),
        lambda: fake.make_unsupported(CHAT),
    ]
    return [make() for make in kinds]


def check(update: Any, raw: dict[str, Any]) -> None:
    """What the SDK read equals what the fake meant."""
    assert isinstance(update, zalo_bot.Update)
    message = update.message
    source = raw["message"]
    assert message.message_id == source["message_id"] and isinstance(message.message_id, str)
    assert message.chat.id == source["chat"]["id"] and message.chat.type == source["chat"]["chat_type"]
    assert message.from_user.id == source["from"]["id"] and message.from_user.is_bot is False
    assert update.effective_user.display_name == source["from"]["display_name"]
    assert abs(message.date - datetime.fromtimestamp(source["date"] / 1000)).total_seconds() < 1  # milliseconds
    assert message.text == source.get("text")
    assert message.photo_url == source.get("photo_url")
    assert message.sticker == source.get("sticker")
    assert update.api_kwargs["event_name"] == raw["event_name"]


async def test_get_updates_result_parses_with_the_sdk(fake: FakeZalo) -> None:
    produced = every_update(fake)
    assert {u["event_name"] for u in produced} == {TEXT_EVENT, IMAGE_EVENT, STICKER_EVENT, UNSUPPORTED_EVENT}
    async with httpx.AsyncClient(base_url=f"{fake.url}/bot{TOKEN}/", timeout=5) as http:
        for raw in produced:
            fake.push_update(raw)
            body = (await http.post("getUpdates", json={"timeout": 1})).json()
            assert body["ok"] is True
            check(zalo_bot.Update.de_json(body["result"], None), raw)  # as Bot.get_update does
        empty = await http.post("getUpdates", json={"timeout": 0})
    assert empty.json()["error_code"] == 408  # nothing new: an error the SDK raises, not an update


async def test_get_updates_through_the_sdk_bot(fake: FakeZalo) -> None:
    """The SDK's own client polls the fake: its request layer and ``get_update`` accept every answer."""
    raw = fake.make_update(CHAT, "xin chào")
    fake.push_update(raw)
    bot = zalo_bot.Bot(TOKEN, base_url=fake.url)
    async with bot:
        me = await bot.get_me()
        update = await bot.get_update(timeout=1)
        sent = await bot.send_message(CHAT, "Chào anh")
    assert me.id == fake.bot_id and me.display_name == fake.bot_name
    check(update, raw)
    assert sent.message_id == fake.sent[0].message_id and fake.sent[0].text == "Chào anh"


async def test_webhook_body_parses_with_the_sdk(fake: FakeZalo) -> None:
    received: list[tuple[bytes, str]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            received.append((self.rfile.read(int(self.headers["Content-Length"])), self.headers[WEBHOOK_SECRET_HEADER]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from base
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    produced = every_update(fake)
    try:
        for raw in produced:
            await fake.deliver_webhook(f"http://127.0.0.1:{server.server_port}/zalo", raw, secret="s3cr3t-token")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert len(received) == len(produced)
    for (body, secret), raw in zip(received, produced, strict=True):
        assert secret == "s3cr3t-token"
        posted = json.loads(body)
        assert posted["ok"] is True
        check(zalo_bot.Update.de_json(posted["result"], None), raw)  # the SDK README's webhook example
