"""Logs never carry bot tokens, webhook secrets or (without the opt-in) what users write — at every level."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.log_setup import REDACTED, JsonFormatter, allow_user_text, configure_logging, protect, redact
from bot.serve import BotProcess
from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

TG_SECRET = "tg-webhook-s3cret"
ZALO_SECRET = "zalo-webhook-s3cret"
QUESTION = "Sở Tài chính có nhiệm vụ gì bí mật?"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    allow_user_text(False)


def settings_for(tmp_path: Path, telegram: FakeTelegram, zalo: FakeZalo, **values: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'logs.sqlite3'}",
        telegram_bot_token=telegram.token,
        telegram_api_base_url=telegram.url,
        webhook_url="https://bot.example.vn/telegram",
        webhook_secret=TG_SECRET,
        zalo_bot_token=zalo.token,
        zalo_api_base_url=zalo.url,
        zalo_webhook_secret=ZALO_SECRET,
        zalo_webhook_url="https://bot.example.vn/zalo/webhook",
        taskbot_log_level="DEBUG",
        **values,
    )


async def run_and_log(settings: Settings, telegram: FakeTelegram, zalo: FakeZalo) -> str:
    stream = io.StringIO()
    configure_logging(settings, stream=stream)
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # even with httpx's URL lines on
    process = BotProcess(settings, ["telegram", "zalo"], listen="127.0.0.1:0")
    try:
        assert await process.start()
        assert process.server is not None
        base = f"http://127.0.0.1:{process.server.port}"
        update = telegram.make_text(4242, QUESTION)
        async with httpx.AsyncClient(timeout=5) as http:
            ok = await http.post(
                f"{base}/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
            )
        assert ok.status_code == 200
        assert (await zalo.deliver_webhook(f"{base}/zalo/webhook", zalo.make_update("z1", QUESTION))).status_code == 200
        await telegram.wait_for_sent(1)
        await zalo.wait_for_sent(1)
    finally:
        await process.close()
    return stream.getvalue()


async def test_debug_logs_carry_no_token_and_no_secret(tmp_path: Path, restore_logging: None) -> None:
    with FakeTelegram() as telegram, FakeZalo() as zalo:
        text = await run_and_log(settings_for(tmp_path, telegram, zalo), telegram, zalo)
    assert "Calling Bot API endpoint `setWebhook`" in text and "Set Bot API URL" in text  # PTB's DEBUG lines are there
    for secret in (telegram.token, zalo.token, TG_SECRET, ZALO_SECRET, telegram.token.split(":")[1]):
        assert secret not in text
    assert REDACTED in text
    assert QUESTION not in text and "bí mật" not in text  # user text only with the opt-in


async def test_user_text_is_logged_with_the_opt_in(tmp_path: Path, restore_logging: None) -> None:
    with FakeTelegram() as telegram, FakeZalo() as zalo:
        settings = settings_for(tmp_path, telegram, zalo, taskbot_log_user_text=True)
        text = await run_and_log(settings, telegram, zalo)
    assert QUESTION in text
    assert telegram.token not in text and TG_SECRET not in text


def test_json_lines_and_redacted_tracebacks(restore_logging: None) -> None:
    protect("9988776655:AAabcdefSECRETkey")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.json")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.warning("token %s in a URL", "https://api/bot9988776655:AAabcdefSECRETkey/getMe")
        try:
            raise RuntimeError("failed with 9988776655:AAabcdefSECRETkey")
        except RuntimeError:
            logger.exception("boom")
        logger.info("an unknown token 123456789:XYZabc-def_ghi and a time 08:05:33 and 2026-12-01")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [entry["level"] for entry in lines] == ["WARNING", "ERROR", "INFO"]
    assert "SECRETkey" not in stream.getvalue()
    assert lines[0]["message"] == f"token https://api/bot{REDACTED}/getMe in a URL"
    assert "RuntimeError" in lines[1]["exception"] and REDACTED in lines[1]["exception"]
    assert lines[2]["message"] == f"an unknown token {REDACTED} and a time 08:05:33 and 2026-12-01"
    assert redact("chat 1001 at 12:30, port 127.0.0.1:8443") == "chat 1001 at 12:30, port 127.0.0.1:8443"
