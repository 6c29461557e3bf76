"""Webhooks under hostile bodies (issue #13): hundreds of JSON bodies shaped like the platforms' updates but with any
value anywhere — wrong types, missing fields, nesting, wrapped and bare — posted to both channels' webhooks of one
running process. Every request gets 200 (an update, handled or ignored) or 400 (not an update), never 500; nothing
is logged at ERROR (a malformed update is ignored, not handled by an exception); the process still answers after.

The bodies come from hypothesis strategies, drawn once with a fixed seed (``derandomize``) so a failure repeats; the
shapes follow the platforms' update objects (Telegram Bot API "Update", Zalo Bot Platform "message.*.received"
events, as in the fakes) with every field's value replaced, in some examples, by any JSON value.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.serve import BotProcess
from tests.bot.test_serve import TG_HEADER, TG_SECRET, ZALO_HEADER, ZALO_SECRET, started, webhook_settings
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _or_anything(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return strategy | ANY_JSON


def _fields(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={name: _or_anything(value) for name, value in fields.items()})


ZALO_EVENTS = st.sampled_from(
    ["message.text.received", "message.image.received", "message.sticker.received", "message.unsupported.received"]
)
ZALO_MESSAGE = _fields(
    text=st.text(max_size=40),
    message_id=st.text(max_size=8),
    date=st.integers(),
    **{
        "from": _fields(id=st.text(max_size=8), display_name=st.text(max_size=12), is_bot=st.booleans()),
        "chat": _fields(id=st.text(min_size=1, max_size=8), chat_type=st.sampled_from(["PRIVATE", "GROUP"])),
    },
)
ZALO_UPDATE = _fields(event_name=ZALO_EVENTS, message=ZALO_MESSAGE)
ZALO_BODY = ZALO_UPDATE | st.builds(lambda u: {"ok": True, "result": u}, ZALO_UPDATE)

TELEGRAM_CHAT = _fields(
    id=st.integers(min_value=-(10**12), max_value=10**12), type=st.sampled_from(["private", "group"])
)
TELEGRAM_USER = _fields(
    id=st.integers(min_value=1, max_value=10**10), is_bot=st.booleans(), first_name=st.text(max_size=8)
)
TELEGRAM_MESSAGE = _fields(
    message_id=st.integers(min_value=1, max_value=10**6),
    date=st.integers(min_value=0, max_value=2_000_000_000),
    chat=TELEGRAM_CHAT,
    text=st.text(max_size=40),
    **{"from": TELEGRAM_USER},
)
TELEGRAM_BODY = _fields(
    update_id=st.integers(min_value=0, max_value=10**9),
    message=TELEGRAM_MESSAGE,
    callback_query=_fields(
        id=st.text(max_size=8), data=st.text(max_size=20), message=TELEGRAM_MESSAGE, **{"from": TELEGRAM_USER}
    ),
)


def drawn(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """``count`` examples of ``strategy``, the same ones on every run."""
    found: list[Any] = []

    @settings(
        max_examples=count, derandomize=True, database=None, suppress_health_check=list(HealthCheck), deadline=None
    )
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found


async def test_hostile_bodies_on_both_webhooks(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    zalo_bodies, telegram_bodies = drawn(ZALO_BODY, 250), drawn(TELEGRAM_BODY, 250)
    assert len(zalo_bodies) >= 200 and len(telegram_bodies) >= 200
    with FakeTelegram() as telegram, FakeZalo() as zalo:
        settings_ = webhook_settings(f"sqlite:///{tmp_path / 'fuzz.sqlite3'}", telegram, zalo)
        with caplog.at_level(logging.WARNING):
            async with started(BotProcess(settings_, ["telegram", "zalo"], listen="127.0.0.1:0")) as process:
                assert process.server is not None
                base = f"http://127.0.0.1:{process.server.port}"
                statuses: dict[int, int] = {}
                async with httpx.AsyncClient(base_url=base, timeout=10) as http:
                    for body in zalo_bodies:
                        response = await http.post("/zalo/webhook", json=body, headers={ZALO_HEADER: ZALO_SECRET})
                        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                        assert response.status_code in (200, 400), (body, response.text)
                    for body in telegram_bodies:
                        response = await http.post("/telegram", json=body, headers={TG_HEADER: TG_SECRET})
                        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                        assert response.status_code in (200, 400), (body, response.text)
                    assert statuses.get(200, 0) > 50 and statuses.get(400, 0) > 10, statuses  # both kinds were tried
                    # still answering, on both channels
                    update = telegram.make_text(4242, "Sở Tài chính có nhiệm vụ gì?")
                    assert (
                        await http.post("/telegram", json=update, headers={TG_HEADER: TG_SECRET})
                    ).status_code == 200
                ok = await zalo.deliver_webhook(
                    f"{base}/zalo/webhook", zalo.make_update("z-1", "Cục thuế có nhiệm vụ gì?")
                )
                assert ok.status_code == 200
                # fuzzed bodies may have made other replies: wait for these two
                await until(lambda: any(r.chat_id == 4242 and "II.1" in r.plain_text for r in telegram.sent))
                await until(lambda: any(r.chat_id == "z-1" and "XIV.1" in r.text for r in zalo.sent))
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [f"{r.name}: {r.getMessage()}" for r in errors[:5]]


async def until(check: Callable[[], bool], timeout: float = 10.0) -> None:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)
