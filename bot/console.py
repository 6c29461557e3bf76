"""The console chat: the same conversation as Telegram and Zalo, in a terminal, with no token and no network.

Interactive on a terminal (``make demo``); when standard input is a pipe it answers one line at a time, so it can be
scripted: ``printf 'Sở Tài chính có nhiệm vụ gì?\\n' | taskbot chat``.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from rich.console import Console
from rich.text import Text

from bot.conversation import Conversation, Incoming, Outgoing
from bot.runtime import Runtime
from bot.services import Services
from bot.settings import Settings
from knowledge.reply import Reply

__all__ = ["ConsoleChat", "render_rich"]

log = logging.getLogger(__name__)

_STYLES = {"plain": "", "bold": "bold", "italic": "italic dim", "code": "cyan"}
_QUIT = {"exit", "quit", "thoat", "thoát", "q", ":q", "/exit", "/quit"}


def render_rich(reply: Reply) -> Text:
    """A reply as Rich text, styles kept."""
    text = Text()
    for index, line in enumerate(reply.lines):
        if index:
            text.append("\n")
        for fragment in line:
            text.append(fragment.text, style=_STYLES[fragment.style])
    return text


class ConsoleChat:
    """A chat session in the terminal on top of :class:`Conversation`."""

    def __init__(
        self,
        settings: Settings,
        *,
        agency: str | None = None,
        clock: Callable[[], datetime] | None = None,
        console: Console | None = None,
    ) -> None:
        self.settings = settings
        self.agency = agency
        self.clock = clock
        self.console = console or Console(highlight=False, soft_wrap=True)

    def run(self, stream: TextIO | None = None) -> None:
        stream = stream or sys.stdin
        runtime = Runtime.open(self.settings)
        try:
            services = Services(runtime, clock=self.clock)
            asyncio.run(self._loop(Conversation(services), services, stream))
        finally:
            runtime.close()

    async def _loop(self, conversation: Conversation, services: Services, stream: TextIO) -> None:
        interactive = stream.isatty()
        plans = services.engine.kb.plans
        if interactive:
            self.console.print(Text("Trợ lý nhiệm vụ", style="bold"), "— trò chuyện trên máy (gõ “thoát” để kết thúc)")
            for plan in plans:
                self.console.print(f"Kế hoạch {plan.number}: {len(plan.tasks)} nhiệm vụ", style="dim")
            if self.agency:
                self.console.print(f"Bạn hỏi với tư cách cán bộ của {self.agency}.", style="dim")
            await self._say(conversation, "xin chào")
        while True:
            line = await asyncio.to_thread(self._read, stream, interactive)
            if line is None:
                break
            text = line.strip()
            if not text:
                continue
            if text.lower() in _QUIT:
                break
            await self._say(conversation, text)

    def _read(self, stream: TextIO, interactive: bool) -> str | None:
        try:
            if interactive:
                return self.console.input("[bold green]Bạn:[/] ")
            line = stream.readline()
            return line if line else None
        except (EOFError, KeyboardInterrupt):
            return None

    async def _say(self, conversation: Conversation, text: str) -> None:
        incoming = Incoming(channel="console", chat_id="console", user_id=None, text=text, agency=self.agency)
        for outgoing in await conversation.on_text(incoming):
            self._show(outgoing)

    def _show(self, outgoing: Outgoing) -> None:
        if outgoing.chat_id is not None:
            return  # notifications for other chats do not exist on the console
        self.console.print(Text("Trợ lý:", style="bold cyan"))
        self.console.print(render_rich(outgoing.reply))
        labels = [button.label for row in outgoing.buttons for button in row]
        if labels:
            choices = "   ".join(f"[{i}] {label}" for i, label in enumerate(labels, start=1))
            self.console.print(Text(f"Gõ số để chọn: {choices}", style="dim"))
        self.console.print()
