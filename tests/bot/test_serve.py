"""One run path (:mod:`bot.serve`): Telegram and Zalo in one process, polling or webhooks on one web server,
``/healthz``, start-up with a platform out of reach, configuration errors that name the variable."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from bot.cli import app
from bot.runtime import Runtime
from bot.serve import BotProcess, serve
from bot.services import Services
from bot.settings import Settings
from knowledge.errors import ConfigError
from tests.bot.conftest import TZ
from tests.fakes.tcp_proxy import TcpProxy
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

TG_SECRET = "tg-s3cret_token"
ZALO_SECRET = "zalo-s3cret-token"
TG_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ZALO_HEADER = "X-Bot-Api-Secret-Token"


def make_settings(database_url: str, **values: Any) -> Settings:
    base: dict[str, Any] = {"database_url": database_url, "taskbot_admins": "1001"}
    base.update(values)
    return Settings(_env_file=None, **base)  # type: ignore[call-arg]


def webhook_settings(database_url: str, telegram: FakeTelegram, zalo: FakeZalo, **values: Any) -> Settings:
    return make_settings(
        database_url,
        telegram_bot_token=telegram.token,
        telegram_api_base_url=telegram.url,
        webhook_url="https://bot.example.vn/telegram",
        webhook_secret=TG_SECRET,
        zalo_bot_token=zalo.token,
        zalo_api_base_url=zalo.url,
        zalo_webhook_url="https://bot.example.vn/zalo/webhook",
        zalo_webhook_secret=ZALO_SECRET,
        **values,
    )


@asynccontextmanager
async def started(process: BotProcess) -> AsyncIterator[BotProcess]:
    try:
        assert await process.start()
        yield process
    finally:
        await process.close()


async def eventually(check: Callable[[], bool | Awaitable[bool]], timeout: float = 10.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- both channels, polling -----------------------------------------------------------------------------------------


async def test_both_channels_polling_and_reminders_in_one_process(tmp_path: Path) -> None:
    with FakeTelegram() as telegram, FakeZalo() as zalo:
        settings = make_settings(
            f"sqlite:///{tmp_path / 'both.sqlite3'}",
            telegram_bot_token=telegram.token,
            telegram_api_base_url=telegram.url,
            zalo_bot_token=zalo.token,
            zalo_api_base_url=zalo.url,
        )
        runtime = Runtime.open(settings)
        # Today at 10:00: the start-up sweep must not fall into quiet hours whenever the suite runs.
        daytime = datetime.now(tz=TZ).replace(hour=10, minute=0, second=0, microsecond=0)
        services = Services(runtime, clock=lambda: daytime)
        # A Zalo contact with a deadline long past and no report: the start-up sweep sends an overdue reminder.
        services.contacts.upsert_contact(
            channel="zalo",
            chat_id="z-1",
            agency="Sở Xây dựng",
            registered_by="test",
            now=datetime.combine(date(2018, 1, 1), clock_time(8), tzinfo=TZ),
        )
        stop = asyncio.Event()
        task = asyncio.create_task(serve(settings, ["telegram", "zalo"], stop=stop, services=services))
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


# -- both channels, webhooks on one server --------------------------------------------------------------------------


async def test_both_webhooks_on_one_server(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with FakeTelegram() as telegram, FakeZalo() as zalo:
        settings = webhook_settings(f"sqlite:///{tmp_path / 'hooks.sqlite3'}", telegram, zalo)
        with caplog.at_level(logging.WARNING):
            async with started(BotProcess(settings, ["telegram", "zalo"], listen="127.0.0.1:0")) as process:
                assert process.server is not None
                base = f"http://127.0.0.1:{process.server.port}"
                assert telegram.webhook_url == "https://bot.example.vn/telegram"
                assert (zalo.webhook_url, zalo.webhook_secret) == ("https://bot.example.vn/zalo/webhook", ZALO_SECRET)
                update = telegram.make_text(4242, "Sở Tài chính có nhiệm vụ gì?")
                async with httpx.AsyncClient(base_url=base, timeout=5) as http:
                    assert (await http.post("/telegram", json=update, headers={TG_HEADER: "wrong"})).status_code == 403
                    assert (await http.post("/telegram", json=update)).status_code == 403
                    for body in (b"", b"[]", b"{}", b"{not json", b"[" * 50_000 + b"]" * 50_000):
                        response = await http.post("/telegram", content=body, headers={TG_HEADER: TG_SECRET})
                        assert response.status_code == 400, body[:10]
                    for body in (b"", b"[1]", b"{" * 1, b'{"a":' * 50_000 + b"1" + b"}" * 50_000):
                        response = await http.post("/zalo/webhook", content=body, headers={ZALO_HEADER: ZALO_SECRET})
                        assert response.status_code == 400, body[:10]
                    accepted = await http.post("/telegram", json=update, headers={TG_HEADER: TG_SECRET})
                    assert accepted.status_code == 200
                    health = await http.get("/healthz")
                    assert (await http.get("/nothing")).status_code == 404
                [telegram_reply] = await telegram.wait_for_sent(1)
                assert telegram_reply.chat_id == 4242 and "II.1" in telegram_reply.plain_text

                wrong = await zalo.deliver_webhook(
                    f"{base}/zalo/webhook", zalo.make_update("z-1", "xin chào"), secret="x"
                )
                assert wrong.status_code == 403
                ok = await zalo.deliver_webhook(
                    f"{base}/zalo/webhook", zalo.make_update("z-1", "Cục thuế có nhiệm vụ gì?")
                )
                assert ok.status_code == 200
                [zalo_reply] = await zalo.wait_for_sent(1)
                assert zalo_reply.chat_id == "z-1" and "XIV.1" in zalo_reply.text

                assert health.status_code == 200
                body = health.json()
                assert body["status"] == "ok" and body["database"] == "ok" and body["scheduler"] == "running"
                assert body["channels"] == {"telegram": "webhook", "zalo": "webhook"}
                await eventually(lambda: process.jobs is not None and process.jobs.last_sweep_at is not None)
        assert not any(method == "getUpdates" for method, _ in telegram.calls + zalo.calls)  # nobody polls
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("taskbot started")]
    assert "channels telegram (webhook), zalo (webhook)" in line and "hooks.sqlite3" in line
    assert "1 plans" in line and "0 contacts" in line and "/healthz" in line and "next reminder sweep 20" in line


# -- /healthz when the database is gone -----------------------------------------------------------------------------


async def test_healthz_503_when_the_sqlite_file_is_gone(tmp_path: Path) -> None:
    with FakeTelegram() as telegram, FakeZalo() as zalo:
        database = tmp_path / "gone.sqlite3"
        settings = webhook_settings(f"sqlite:///{database}", telegram, zalo)
        async with started(BotProcess(settings, ["zalo"], listen="127.0.0.1:0")) as process:
            assert process.server is not None and process.runtime is not None
            url = f"http://127.0.0.1:{process.server.port}/healthz"
            async with httpx.AsyncClient(timeout=10) as http:
                assert (await http.get(url)).status_code == 200
                await asyncio.to_thread(_replace_by_a_directory, database)
                process.runtime.db.engine.dispose()  # (pooled connections would keep the unlinked file alive)
                gone = await http.get(url)
            await asyncio.to_thread(shutil.rmtree, database)
    assert gone.status_code == 503
    assert gone.json()["status"] == "error" and "unable to open database file" in gone.json()["database"]


def _replace_by_a_directory(database: Path) -> None:
    for path in database.parent.glob(f"{database.name}*"):
        path.unlink()
    database.mkdir()  # the path no longer holds a database


@pytest.mark.postgres
async def test_healthz_503_when_postgresql_is_gone(postgres_url: str) -> None:
    url = make_url(postgres_url)
    with FakeZalo() as zalo, TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        settings = make_settings(
            through_proxy, zalo_bot_token=zalo.token, zalo_api_base_url=zalo.url, zalo_webhook_secret=ZALO_SECRET
        )
        async with started(BotProcess(settings, ["zalo"], listen="127.0.0.1:0")) as process:
            assert process.server is not None
            health = f"http://127.0.0.1:{process.server.port}/healthz"
            async with httpx.AsyncClient(timeout=15) as http:
                assert (await http.get(health)).status_code == 200
                proxy.cut()
                gone = await http.get(health)
    assert gone.status_code == 503
    detail = gone.json()["database"]
    assert f"127.0.0.1:{proxy.port}" in detail and ("refused" in detail or "closed" in detail), detail


# -- a platform out of reach at start -------------------------------------------------------------------------------


async def test_unreachable_api_is_retried_with_one_line_per_attempt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(
        f"sqlite:///{tmp_path / 'down.sqlite3'}",
        telegram_bot_token="123:abc",
        telegram_api_base_url=f"http://127.0.0.1:{closed_port()}",
    )
    process = BotProcess(settings, ["telegram"])
    process.backoff_initial = 0.05
    with caplog.at_level(logging.INFO):
        task = asyncio.create_task(process.start())
        await eventually(lambda: len([r for r in caplog.records if "API unreachable" in r.getMessage()]) >= 3)
        process.stop_event.set()
        assert await asyncio.wait_for(task, 10) is False
        await process.close()
    attempts = [r for r in caplog.records if "API unreachable" in r.getMessage()]
    assert attempts[0].getMessage().startswith("telegram API unreachable (attempt 1: ")
    assert not any(r.exc_info for r in caplog.records), "no traceback unless DEBUG"
    assert "Traceback" not in caplog.text and "123:abc" not in caplog.text


async def test_a_platform_back_after_errors_starts_the_bot(tmp_path: Path) -> None:
    with FakeZalo() as zalo:
        zalo.fail_next("getMe", status=502, times=2)
        settings = make_settings(
            f"sqlite:///{tmp_path / 'back.sqlite3'}", zalo_bot_token=zalo.token, zalo_api_base_url=zalo.url
        )
        process = BotProcess(settings, ["zalo"])
        process.backoff_initial = 0.05
        async with started(process):
            [answer] = await _ask_zalo(zalo, "xin chào")
        assert "Xin chào" in answer
        assert [m for m, _ in zalo.calls].count("getMe") == 3


async def _ask_zalo(zalo: FakeZalo, text: str) -> list[str]:
    before = len(zalo.sent)
    zalo.push_text("z-9", text)
    return [m.text for m in (await zalo.wait_for_sent(before + 1))[before:]]


async def test_a_rejected_token_is_a_config_error(tmp_path: Path) -> None:
    with FakeTelegram() as telegram:
        settings = make_settings(
            f"sqlite:///{tmp_path / 'bad.sqlite3'}", telegram_bot_token="999:wrong", telegram_api_base_url=telegram.url
        )
        process = BotProcess(settings, ["telegram"])
        try:
            with pytest.raises(ConfigError) as excinfo:
                await process.start()
        finally:
            await process.close()
    assert "TELEGRAM_BOT_TOKEN" in excinfo.value.user_message and "@BotFather" in excinfo.value.user_message


# -- configuration --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "channels", "variable", "fix"),
    [
        ({}, ["telegram"], "TELEGRAM_BOT_TOKEN", "taskbot chat"),
        ({"zalo_bot_token": ""}, ["zalo"], "ZALO_BOT_TOKEN", "Zalo Bot Creator"),
        ({"telegram_bot_token": "1:a", "webhook_url": "https://x.vn/tg"}, ["telegram"], "WEBHOOK_SECRET", "A-Z"),
        ({"telegram_bot_token": "1:a", "webhook_url": "http://x.vn/tg"}, ["telegram"], "WEBHOOK_URL", "https://"),
        (
            {"telegram_bot_token": "1:a", "webhook_url": "https://x.vn/tg", "webhook_secret": "có dấu"},
            ["telegram"],
            "WEBHOOK_SECRET",
            "A-Z",
        ),
        ({"zalo_bot_token": "1:a", "zalo_webhook_secret": "short"}, ["zalo"], "ZALO_WEBHOOK_SECRET", "8 đến 256"),
        ({"zalo_bot_token": "1:a", "zalo_webhook_url": "https://x.vn/z"}, ["zalo"], "ZALO_WEBHOOK_SECRET", "8–256"),
        (
            {"zalo_bot_token": "1:a", "zalo_webhook_secret": ZALO_SECRET, "webhook_listen": "8443"},
            ["zalo"],
            "WEBHOOK_LISTEN",
            "host:port",
        ),
    ],
)
def test_configuration_errors_name_the_variable_and_the_fix(
    tmp_path: Path, values: dict[str, Any], channels: list[str], variable: str, fix: str
) -> None:
    with pytest.raises(ConfigError) as excinfo:
        BotProcess(make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}", **values), channels)
    message = excinfo.value.user_message
    assert message.startswith(variable) and fix in message, message
    assert not (tmp_path / "x.sqlite3").exists()  # validated before anything is opened


async def test_a_busy_port_is_a_config_error(tmp_path: Path) -> None:
    with FakeZalo() as zalo, socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        settings = make_settings(
            f"sqlite:///{tmp_path / 'busy.sqlite3'}",
            zalo_bot_token=zalo.token,
            zalo_api_base_url=zalo.url,
            zalo_webhook_secret=ZALO_SECRET,
        )
        process = BotProcess(settings, ["zalo"], listen=f"127.0.0.1:{port}")
        try:
            with pytest.raises(ConfigError) as excinfo:
                await process.start()
        finally:
            await process.close()
    assert f"127.0.0.1:{port}" in excinfo.value.user_message and "WEBHOOK_LISTEN" in excinfo.value.user_message


def test_run_command_usage_and_config_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "WEBHOOK_URL", "ZALO_WEBHOOK_SECRET", "ZALO_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite3")
    runner = CliRunner()
    bad = runner.invoke(app, ["run", "--channel", "fax"])
    assert bad.exit_code == 2 and "Kênh không hợp lệ: fax" in bad.stderr
    zalo = runner.invoke(app, ["run", "--channel", "zalo"])
    assert zalo.exit_code == 1 and "ZALO_BOT_TOKEN" in zalo.stderr
    no_token = runner.invoke(app, ["run"])
    assert no_token.exit_code == 1 and "TELEGRAM_BOT_TOKEN" in no_token.stderr and "taskbot chat" in no_token.stderr
    assert not os.path.exists(tmp_path / "cli.sqlite3")
