"""The console chat, scripted through a pipe."""

from __future__ import annotations

import io
from datetime import datetime

from rich.console import Console

from bot.console import ConsoleChat
from bot.settings import Settings
from tests.bot.conftest import FIXED_NOW


def test_console_chat_answers_piped_questions(settings: Settings) -> None:
    output = io.StringIO()
    chat = ConsoleChat(
        settings,
        agency="Sở Tài chính",
        clock=lambda: FIXED_NOW,
        console=Console(file=output, width=200, color_system=None),
    )
    chat.run(io.StringIO("sở tài có nhiệm vụ gì\n2\nnhiệm vụ của tôi\nthoát\nkhông bao giờ tới đây\n"))
    text = output.getvalue()
    assert "Sở Tài nguyên và Môi trường" in text
    assert "VII.1" in text  # picked by number
    assert "II.3" in text  # the asker's own agency
    assert "không bao giờ tới đây" not in text
    assert isinstance(FIXED_NOW, datetime)
