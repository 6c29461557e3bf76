"""Every command's help, walked from the command tree: each command and each of its options explains itself in
Vietnamese, ``--help`` exits 0 everywhere and its page has none of Typer's fixed English texts; usage errors are
Vietnamese too, and exit codes follow one table: 0 ok, 1 error, 2 usage (issue #13)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from typer._click.core import Context
from typer.testing import CliRunner

from bot.cli import app
from bot.cli_help import usage_error_text

VIETNAMESE = frozenset("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    if hasattr(command, "list_commands"):
        context = Context(command)
        for name in command.list_commands(context):
            yield from commands(command.get_command(context, name), (*path, name))


TREE = list(commands(typer.main.get_command(app)))


def is_vietnamese(text: str) -> bool:
    return any(c in VIETNAMESE for c in text.lower())


def test_the_tree_is_walked() -> None:
    assert len(TREE) >= 20 and ("agencies", "history") in {p for p, _ in TREE}


@pytest.mark.parametrize(("path", "command"), TREE, ids=lambda x: " ".join(x) if isinstance(x, tuple) else "")
def test_every_command_and_option_explains_itself_in_vietnamese(path: tuple[str, ...], command: Any) -> None:
    assert is_vietnamese(command.help or command.short_help or ""), path
    for param in command.params:
        if param.name == "help":
            continue
        assert is_vietnamese(getattr(param, "help", None) or ""), (path, param.name)
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, (path, result.output)
    assert result.stdout.startswith(" ".join(["Cách dùng: taskbot", *path])), result.stdout
    assert "Hiện hướng dẫn này rồi thoát." in result.stdout
    english = [word for word in ENGLISH if word in result.stdout]
    assert not english, (path, english, result.stdout)


ENGLISH = ("Usage", "Options", "Commands", "Arguments", "Show this message", "<bool>", "<str>", "<path>", "[OPTIONS]")


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        ([], 0, "Cách dùng: taskbot LỆNH"),
        (["contacts"], 0, "Cách dùng: taskbot contacts LỆNH"),  # a group alone: its help
        (["nosuch"], 2, "Không có lệnh “nosuch”."),
        (["ask", "--bogus"], 2, "Không có tùy chọn --bogus."),
        (["contacts", "add"], 2, "Thiếu tùy chọn --agency."),
        (["export", "--as-of", "31/02/2026"], 2, "Ngày “31/02/2026” không hợp lệ"),
        (["tasks", "--agency", "Sở Bịa Đặt"], 2, "Không nhận ra cơ quan “Sở Bịa Đặt”"),
        (["ask", "xin chào", "extra"], 2, "Thừa tham số"),
        (["import", "/nonexistent/ke-hoach.md"], 1, "Lỗi:"),
    ],
)
def test_exit_codes_and_usage_errors(
    args: list[str], code: int, said: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'kb.sqlite3'}")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == code, (args, result.output)
    assert said in result.output, (args, result.output)
    english = [word for word in ("Usage", "Error", "Try '", "No such", "Missing") if word in result.output]
    assert not english, (args, result.output)


class _Raw(Exception):
    """A usage error as click words it (only ``format_message`` is read for these)."""

    def format_message(self) -> str:
        return str(self)


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("No such command 'xyz'.", "Không có lệnh “xyz”."),
        ("Got unexpected extra argument (a b)", "Thừa tham số: a b."),
        ("Got unexpected extra arguments (a b)", "Thừa tham số: a b."),
        ("Option '--as-of' requires an argument.", "Tùy chọn --as-of cần một giá trị."),
        ("Option '--json' does not take a value.", "Tùy chọn --json không nhận giá trị."),
        ("Invalid value for '--limit': 'x' is not a valid integer.", "Giá trị không hợp lệ cho '--limit': “x” không"),
        ("Invalid value for '--format': Định dạng “pdf” chưa hỗ trợ.", "cho '--format': Định dạng “pdf” chưa hỗ trợ."),
    ],
)
def test_click_wordings_are_said_in_vietnamese(raw: str, said: str) -> None:
    text = usage_error_text(_Raw(raw), ("ask",))
    assert said in text and text.endswith("Xem “taskbot ask --help”."), text
