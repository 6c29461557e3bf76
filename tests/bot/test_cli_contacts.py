"""``taskbot contacts``: the sub-app driven through a CLI runner on a temporary SQLite database."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from bot.cli_contacts import contacts_app

STC = "Sở Tài chính"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("TASKBOT_AGENCIES_FILE", raising=False)
    app = typer.Typer()
    app.add_typer(contacts_app, name="contacts")
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, ["contacts", *args])

    return run


def _contacts(cli: Any, *args: str) -> list[dict[str, Any]]:
    result = cli("list", "--json", *args)
    assert result.exit_code == 0, result.output
    value = json.loads(result.stdout)
    assert isinstance(value, list)
    return value


def test_add_then_list_shows_the_canonical_agency(cli: Any) -> None:
    result = cli("add", "--agency", "so tai chinh", "--chat-id", "123456789", "--name", "Chị Lan")
    assert result.exit_code == 0, result.output
    assert STC in result.stdout and "cán bộ" in result.stdout

    [contact] = _contacts(cli)
    assert set(contact) == {
        "chat_id",
        "channel",
        "agency",
        "role",
        "name",
        "active",
        "user_id",
        "registered_by",
        "created_at",
        "updated_at",
    }
    assert contact["chat_id"] == "123456789"
    assert contact["channel"] == "telegram"
    assert contact["agency"] == STC
    assert contact["role"] == "officer"
    assert contact["name"] == "Chị Lan"
    assert contact["active"] is True
    assert contact["user_id"] is None
    assert contact["registered_by"].startswith("cli")
    assert contact["created_at"].endswith("+07:00")


def test_add_with_role_channel_and_agency_filter(cli: Any) -> None:
    assert cli("add", "--agency", "STC", "--chat-id", "1", "--role", "điều phối").exit_code == 0
    assert cli("add", "--agency", "Sở KH&ĐT", "--chat-id", "z-1", "--channel", "zalo", "--role", "admin").exit_code == 0
    everyone = _contacts(cli)
    assert [(c["chat_id"], c["channel"], c["role"]) for c in everyone] == [
        ("1", "telegram", "coordinator"),
        ("z-1", "zalo", "admin"),
    ]
    assert [c["chat_id"] for c in _contacts(cli, "--agency", "sở tài chính")] == ["1"]
    assert [c["agency"] for c in _contacts(cli, "--agency", "skhdt")] == ["Sở Kế hoạch và Đầu tư"]


def test_remove_marks_inactive_and_keeps_the_row(cli: Any) -> None:
    assert cli("add", "--agency", STC, "--chat-id", "42").exit_code == 0
    result = cli("remove", "--chat-id", "42")
    assert result.exit_code == 0, result.output
    assert _contacts(cli) == []
    [kept] = _contacts(cli, "--all")
    assert kept["chat_id"] == "42" and kept["active"] is False

    assert cli("remove", "--chat-id", "42").exit_code == 0  # already inactive: nothing to do
    missing = cli("remove", "--chat-id", "43")
    assert missing.exit_code == 2
    assert "Không tìm thấy" in missing.output

    assert cli("add", "--agency", STC, "--chat-id", "42").exit_code == 0
    assert [c["active"] for c in _contacts(cli)] == [True]


def test_invite_prints_a_telegram_deep_link(cli: Any) -> None:
    result = cli("invite", "--agency", "stc", "--bot-username", "taskbot_test_bot")
    assert result.exit_code == 0, result.output
    match = re.search(r"https://t\.me/taskbot_test_bot\?start=([A-Za-z0-9_-]+)", result.stdout)
    assert match is not None, result.stdout
    assert match.group(1) in result.stdout.replace(match.group(0), "")  # the token is printed on its own too
    assert STC in result.stdout


def test_invite_json(cli: Any) -> None:
    result = cli("invite", "--agency", STC, "--role", "coordinator", "--bot-username", "@taskbot_test_bot", "--json")
    assert result.exit_code == 0, result.output
    invite = json.loads(result.stdout)
    assert invite["agency"] == STC
    assert invite["role"] == "coordinator"
    assert invite["link"] == f"https://t.me/taskbot_test_bot?start={invite['token']}"
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,64}", invite["token"])
    assert invite["expires_at"].endswith("+07:00")

    without_link = json.loads(cli("invite", "--agency", STC, "--json").stdout)
    assert without_link["link"] is None and without_link["token"] != invite["token"]


def test_audit_shows_cli_actions(cli: Any) -> None:
    assert cli("add", "--agency", STC, "--chat-id", "1").exit_code == 0
    assert cli("remove", "--chat-id", "1").exit_code == 0
    result = cli("audit", "--json")
    assert result.exit_code == 0, result.output
    assert [e["action"] for e in json.loads(result.stdout)] == ["contact.remove", "contact.add"]


@pytest.mark.parametrize(
    "args",
    [
        ("add", "--agency", "Bộ Không Tồn Tại", "--chat-id", "1"),
        ("list", "--agency", "Bộ Không Tồn Tại"),
        ("invite", "--agency", "Bộ Không Tồn Tại"),
    ],
)
def test_unknown_agency_exits_2(cli: Any, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "Không nhận ra cơ quan" in result.output
    assert _contacts(cli, "--all") == []


@pytest.mark.parametrize(
    "args",
    [
        ("add", "--agency", STC, "--chat-id", "1", "--role", "boss"),
        ("add", "--agency", STC, "--chat-id", "1", "--channel", "viber"),
        ("invite", "--agency", STC, "--bot-username", "x y"),
    ],
)
def test_bad_options_exit_2(cli: Any, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "không hợp lệ" in result.output


def test_stale_lists_contacts_of_bodies_that_have_ended_with_where_to_move_them(cli: Any) -> None:
    for agency, chat in (
        ("Sở KH&ĐT", "11"),
        ("UBND huyện Tiên Lãng", "12"),
        ("Sở Tài chính", "13"),
        ("Cục Thuế", "14"),
    ):
        assert cli("add", "--agency", agency, "--chat-id", chat).exit_code == 0
    stale = {c["chat_id"]: c["move_to"] for c in _contacts(cli, "--stale")}
    assert stale == {
        "11": ["Sở Tài chính"],  # merged into it on 01/03/2025
        "12": ["UBND các xã, phường, đặc khu"],  # the district level ended on 01/07/2025: its group's heir
        "14": ["Thuế thành phố Hải Phòng"],  # renamed
    }
    table = cli("list", "--stale")
    assert table.exit_code == 0 and "3 liên hệ thuộc cơ quan đã kết thúc" in table.output
    assert "Chuyển sang" in table.output and "taskbot contacts add" in table.output
