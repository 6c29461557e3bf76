"""Every command's help, walked from the command tree: each command and each of its options explains itself in
Vietnamese, and ``--help`` exits 0 everywhere (issue #13). Typer's own fixed texts ("Show this message and exit.",
panel titles) are not ours and are not checked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from typer._click.core import Context
from typer.testing import CliRunner

from bot.cli import app

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
    assert "Usage:" in result.stdout
