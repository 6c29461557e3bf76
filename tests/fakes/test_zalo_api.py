"""Tests for the fake Zalo Bot Platform API, driven by real httpx clients."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest

from tests.fakes.zalo_api import WEBHOOK_SECRET_HEADER, FakeZalo, ZaloSent

TOKEN = "1234567890:zalo-test-token"
CHAT = "a1b2c3d4e5f6"
TEXT_ERROR = "Bad Request: text must be 1-2000 characters"


@pytest.fixture
def fake() -> Iterator[FakeZalo]:
    """A running fake server, stopped after the test."""
    with FakeZalo(token=TOKEN) as server:
        yield server


@pytest.fixture
async def client(fake: FakeZalo) -> AsyncIterator[httpx.AsyncClient]:
    """An async client whose relative URLs are Bot API methods."""
    async with httpx.AsyncClient(base_url=f"{fake.url}/bot{TOKEN}/", timeout=5) as http:
        yield http


async def test_get_me(client: httpx.AsyncClient, fake: FakeZalo) -> None:
    response = await client.get("getMe")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "result": {
            "id": "1234567890",
            "account_name": fake.account_name,
            "account_type": "BASIC",
            "can_join_groups": False,
            "display_name": "Trợ lý nhiệm vụ",
        },
    }
    assert fake.calls == [("getMe", {})]


async def test_send_message(client: httpx.AsyncClient, fake: FakeZalo) -> None:
    first = (await client.post("sendMessage", json={"chat_id": CHAT, "text": "Xin chào"})).json()
    second = (await client.post("sendMessage", json={"chat_id": CHAT, "text": "x" * 2000})).json()
    assert first["ok"] and second["ok"]
    result = first["result"]
    assert isinstance(result["message_id"], str) and result["message_id"] != second["result"]["message_id"]
    assert isinstance(result["date"], int) and abs(result["date"] - time.time() * 1000) < 60_000
    assert fake.sent[0] == ZaloSent("sendMessage", CHAT, "Xin chào", result["message_id"])
    assert await fake.wait_for_sent(2) == fake.sent
    assert fake.calls[0] == ("sendMessage", {"chat_id": CHAT, "text": "Xin chào"})


async def test_text_length_and_chat_id_validated(client: httpx.AsyncClient, fake: FakeZalo) -> None:
    too_long = await client.post("sendMessage", json={"chat_id": CHAT, "text": "ệ" * 2001})
    assert too_long.status_code == 400
    assert too_long.json() == {"ok": False, "error_code": 400, "description": TEXT_ERROR}
    for body in ({"chat_id": CHAT, "text": ""}, {"chat_id": CHAT}):
        empty = await client.post("sendMessage", json=body)
        assert (empty.status_code, empty.json()["description"]) == (400, TEXT_ERROR)
    no_chat = await client.post("sendMessage", json={"text": "chào"})
    assert no_chat.status_code == 400 and no_chat.json()["ok"] is False
    assert fake.sent == []


async def test_wrong_token_and_unknown_method(fake: FakeZalo, client: httpx.AsyncClient) -> None:
    async with httpx.AsyncClient(timeout=5) as other:
        response = await other.post(f"{fake.url}/bot999:wrong/sendMessage", json={"chat_id": CHAT, "text": "x"})
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    unknown = await client.post("sendSticker2", json={})
    assert unknown.status_code == 404 and unknown.json()["error_code"] == 404
    assert fake.sent == [] and [m for m, _ in fake.calls] == ["sendSticker2"]


def test_json_form_and_query_bodies(fake: FakeZalo) -> None:
    with httpx.Client(base_url=f"{fake.url}/bot{TOKEN}/", timeout=5) as http:
        assert http.post("sendMessage", json={"chat_id": CHAT, "text": "json"}).json()["ok"]
        assert http.post("sendMessage", data={"chat_id": CHAT, "text": "form & dấu"}).json()["ok"]
        assert http.get("sendMessage", params={"chat_id": CHAT, "text": "query"}).json()["ok"]
        photo = http.post("sendPhoto", data={"chat_id": CHAT, "photo": "https://x.vn/a.png", "caption": "ảnh"})
        assert photo.json()["ok"]
        assert http.post("sendChatAction", json={"chat_id": CHAT, "action": "typing"}).json() == {
            "ok": True,
            "result": True,
        }
    sent = fake.wait_for_sent_sync(4)
    assert [s.text for s in sent] == ["json", "form & dấu", "query", "ảnh"]
    assert sent[3].method == "sendPhoto" and sent[3].photo == "https://x.vn/a.png"


async def test_long_poll(client: httpx.AsyncClient, fake: FakeZalo) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(client.post("getUpdates", json={"timeout": 3}))
    await asyncio.sleep(0.2)
    message_id = fake.push_text(CHAT, "/viec hôm nay", display_name="Chị Lan")
    response = (await poll).json()
    assert time.monotonic() - started < 1.5
    update = response["result"]  # one object, not a list
    assert update["event_name"] == "message.text.received"
    message: dict[str, Any] = update["message"]
    assert message["message_id"] == message_id and message["text"] == "/viec hôm nay"
    assert message["chat"] == {"id": CHAT, "chat_type": "PRIVATE"}
    assert message["from"] == {"id": CHAT, "display_name": "Chị Lan", "is_bot": False}
    assert fake.pending_updates == 0

    started = time.monotonic()
    empty = await client.get("getUpdates", params={"timeout": "0.3"})
    assert empty.status_code == 408
    assert empty.json() == {"ok": False, "error_code": 408, "description": "Request timeout"}
    assert time.monotonic() - started >= 0.29

    fake.push_text("g1", "a", user_id="u1", chat_type="GROUP")
    fake.push_text("g1", "b", user_id="u2", chat_type="GROUP")
    first = (await client.post("getUpdates", data={"timeout": "1"})).json()["result"]
    second = (await client.post("getUpdates", data={"timeout": "1"})).json()["result"]
    assert [(u["message"]["from"]["id"], u["message"]["text"]) for u in (first, second)] == [("u1", "a"), ("u2", "b")]


async def test_other_events(fake: FakeZalo) -> None:
    image = fake.make_image(CHAT, "https://x.vn/a.jpg", "ảnh")
    sticker = fake.make_sticker(CHAT)
    unsupported = fake.make_unsupported(CHAT)
    assert image["event_name"] == "message.image.received" and image["message"]["photo_url"] == "https://x.vn/a.jpg"
    assert sticker["event_name"] == "message.sticker.received" and sticker["message"]["sticker"]
    assert "text" not in unsupported["message"] and unsupported["event_name"] == "message.unsupported.received"
    with pytest.raises(ValueError):
        fake.make_event("message.video.received", CHAT, {})


async def test_deliver_webhook_posts_the_wrapped_update(fake: FakeZalo) -> None:
    received: list[tuple[Any, str]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((json.loads(body), self.headers.get(WEBHOOK_SECRET_HEADER, "")))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from base
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        fake.webhook_secret = "s3cr3t-token"
        update = fake.make_update(CHAT, "qua webhook")
        response = await fake.deliver_webhook(f"http://127.0.0.1:{server.server_port}/hook", update)
        other = await fake.deliver_webhook(f"http://127.0.0.1:{server.server_port}/hook", update, secret="x")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert response.status_code == 200 and other.status_code == 200
    assert received == [({"ok": True, "result": update}, "s3cr3t-token"), ({"ok": True, "result": update}, "x")]


async def test_rate_limit_then_success(client: httpx.AsyncClient, fake: FakeZalo) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=3)
    limited = await client.post("sendMessage", json={"chat_id": CHAT, "text": "x"})
    assert limited.status_code == 429
    assert limited.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    ok = await client.post("sendMessage", json={"chat_id": CHAT, "text": "x"})
    assert ok.status_code == 200 and [s.text for s in fake.sent] == ["x"]

    fake.fail_next("sendMessage", status=500, times=2)
    for _ in range(2):
        assert (await client.post("sendMessage", json={"chat_id": CHAT, "text": "y"})).status_code == 500
    fake.block_chat(CHAT)
    blocked = await client.post("sendMessage", json={"chat_id": CHAT, "text": "y"})
    assert blocked.status_code == 403
    assert blocked.json()["description"] == "Forbidden: the user has blocked the bot"
    fake.unblock_chat(CHAT)
    assert (await client.post("sendMessage", json={"chat_id": CHAT, "text": "y"})).status_code == 200


async def test_stop_ends_long_poll_quickly() -> None:
    fake = FakeZalo(token=TOKEN).start()
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            poll = asyncio.create_task(http.post(f"{fake.url}/bot{TOKEN}/getUpdates", json={"timeout": 30}))
            await asyncio.sleep(0.2)
            started = time.monotonic()
            await asyncio.to_thread(fake.stop)
            response = await poll
            assert time.monotonic() - started < 1.5
            assert response.json()["error_code"] == 408
    finally:
        fake.stop()


async def test_webhook_blocks_get_updates(client: httpx.AsyncClient, fake: FakeZalo) -> None:
    bad = await client.post("setWebhook", json={"url": "http://x.vn/hook", "secret_token": "s3cr3t-token"})
    assert bad.status_code == 400
    ok = await client.post("setWebhook", json={"url": "https://x.vn/hook", "secret_token": "s3cr3t-token"})
    assert ok.json()["result"]["url"] == "https://x.vn/hook"
    assert (fake.webhook_url, fake.webhook_secret) == ("https://x.vn/hook", "s3cr3t-token")
    assert (await client.get("getWebhookInfo")).json()["result"]["url"] == "https://x.vn/hook"

    conflict = await client.post("getUpdates", json={"timeout": 0})
    assert conflict.status_code == 409 and conflict.json()["error_code"] == 409

    update = fake.make_update(CHAT, "qua webhook")
    assert update["message"]["text"] == "qua webhook" and fake.pending_updates == 0
    assert WEBHOOK_SECRET_HEADER == "X-Bot-Api-Secret-Token"

    assert (await client.post("deleteWebhook")).json()["result"]["url"] == ""
    assert fake.webhook_url == ""
    assert (await client.get("getUpdates", params={"timeout": "0"})).json()["error_code"] == 408
    assert fake.internal_errors == []


async def test_async_context_manager() -> None:
    async with FakeZalo(bot_name="Bot khác") as server:
        async with httpx.AsyncClient(timeout=5) as http:
            me = (await http.get(f"{server.url}/bot{server.token}/getMe")).json()["result"]
    assert me["display_name"] == "Bot khác" and me["id"] == "1234567890"
    with pytest.raises(ValueError, match="chat_type"):
        server.make_update(CHAT, "x", chat_type="private")
