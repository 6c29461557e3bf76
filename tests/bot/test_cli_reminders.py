"""``taskbot reminders`` and ``taskbot reports`` through the real CLI, sending through the fake Bot API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.fakes.telegram_api import FakeTelegram


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTelegram]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with FakeTelegram() as fake:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake.token)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake.url)
        yield fake


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def test_due_send_twice_and_reports(env: FakeTelegram) -> None:
    run("contacts", "add", "--agency", "so tai chinh", "--chat-id", "777")
    run("contacts", "add", "--agency", "Sở KH&ĐT", "--chat-id", "888", "--role", "coordinator")
    due = json.loads(run("reminders", "due", "--as-of", "2018-11-12", "--json"))
    finance = [d for d in due if d["contact"]["chat_id"] == "777"]
    assert {d["task"]["id"] for d in finance} == {"II.1", "II.2", "II.3"}
    assert all(
        d["kind"] == "before"
        and d["offset_days"] == 3
        and d["occurrence"] == "2018-11-15"
        and d["contact"] == {"chat_id": "777", "channel": "telegram", "agency": "Sở Tài chính"}
        and d["task"]["plan"] == "435/KH-UBND"
        for d in finance
    )
    assert any(d["kind"] == "digest" and d["task"] is None and d["contact"]["chat_id"] == "888" for d in due)

    first = json.loads(run("reminders", "send", "--as-of", "2018-11-12", "--json"))
    assert first["sent"] >= 3 and first["failed"] == 0
    chats = sorted(str(m.chat_id) for m in env.sent)
    assert chats == ["777", "888"]
    second = json.loads(run("reminders", "send", "--as-of", "2018-11-12", "--json"))
    assert second["sent"] == 0 and len(env.sent) == 2

    added = json.loads(
        run(
            "reports",
            "add",
            "--agency",
            "Sở Tài chính",
            "--task",
            "II.1",
            "--status",
            "done",
            "--date",
            "2018-11-20",
            "--json",
        )
    )
    assert added["occurrence"] == "2018-11-15"  # a late report covers the overdue occurrence
    assert added["category_label"] == "hoàn thành quá hạn"
    on_time = json.loads(
        run(
            "reports",
            "add",
            "--agency",
            "Sở Tài chính",
            "--task",
            "II.2",
            "--status",
            "xong",
            "--date",
            "2018-11-10",
            "--json",
        )
    )
    assert on_time["occurrence"] == "2018-11-15" and on_time["category"] == "done_on_time"
    listed = json.loads(run("reports", "list", "--json"))
    assert {r["task"] for r in listed} == {"II.1", "II.2"}
    after = json.loads(run("reminders", "due", "--as-of", "2018-11-14", "--json"))
    assert not [d for d in after if d["task"] and d["task"]["id"] == "II.2" and d["occurrence"] == "2018-11-15"]


def test_reports_add_checks_what_the_bot_checks(env: FakeTelegram) -> None:
    def refused(*args: str) -> str:
        result = CliRunner().invoke(app, ["reports", "add", "--plan", "435", "--task", "XV.6", *args])
        assert result.exit_code == 1, result.output
        return result.stderr

    not_lead = refused("--agency", "Sở Y tế", "--status", "xong")
    assert "Liên minh Hợp tác xã" in not_lead and "Sở Y tế không báo cáo" in not_lead
    no_such = refused("--agency", "Liên minh HTX", "--status", "xong", "--occurrence", "16/11/2019")
    assert "không có hạn 16/11/2019" in no_such and "15/11/2019" in no_such
    assert json.loads(run("reports", "list", "--json")) == []


def test_send_waits_out_short_faults_within_the_run(env: FakeTelegram) -> None:
    run("contacts", "add", "--agency", "Sở Tài chính", "--chat-id", "777")
    run("contacts", "add", "--agency", "Sở KH&ĐT", "--chat-id", "888", "--role", "coordinator")
    env.fail_next("sendMessage", status=429, retry_after=1)
    env.fail_next("sendMessage", status=500, description="Internal Server Error")
    first = json.loads(run("reminders", "send", "--as-of", "12/11/2018", "--json"))
    assert first["retried"] == 0 and first["failed"] == 0
    assert sorted(str(m.chat_id) for m in env.sent) == ["777", "888"]  # each once, within the run
    summary = run("reminders", "send", "--as-of", "2018-11-12")
    assert "0 đã gửi" in summary and len(env.sent) == 2


def test_send_names_the_channel_whose_token_is_missing(env: FakeTelegram) -> None:
    run("contacts", "add", "--agency", "Sở Tài chính", "--chat-id", "777")
    run("contacts", "add", "--agency", "Sở Công Thương", "--chat-id", "z-9", "--channel", "zalo")
    result = CliRunner().invoke(app, ["reminders", "send", "--as-of", "2018-11-12"])
    assert result.exit_code == 1
    assert "qua Zalo chưa gửi được vì chưa đặt ZALO_BOT_TOKEN" in result.stderr
    assert "TELEGRAM_BOT_TOKEN" not in result.stderr
    assert [str(m.chat_id) for m in env.sent] == ["777"]
