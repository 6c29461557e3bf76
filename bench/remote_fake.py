"""The fake Telegram Bot API in a child process, so that a benchmark measures the bot, not the two sharing a GIL."""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

from tests.fakes.telegram_api import FakeTelegram

__all__ = ["RemoteFake"]


def _serve(conn: Connection, token: str) -> None:
    with FakeTelegram(token=token) as fake:
        conn.send(fake.url)
        while True:
            command, args = conn.recv()
            if command == "stop":
                conn.send(None)
                return
            if command == "push":
                for chat_id, text, first_name in args:
                    fake.push_text(chat_id, text, first_name=first_name)
                conn.send(None)
            elif command == "count":
                conn.send(len(fake.sent))
            elif command == "count_text":
                conn.send(sum(1 for s in fake.sent if s.text == args))


class RemoteFake:
    """Start with ``with RemoteFake(token) as fake:``; ``fake.url`` is the Bot API base for PTB's ``base_url``."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.url = ""
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, token), daemon=True)

    def __enter__(self) -> RemoteFake:
        self._process.start()
        self.url = self._conn.recv()
        return self

    def __exit__(self, *exc: object | TracebackType | None) -> None:
        self._call("stop", None)
        self._process.join(10)

    def _call(self, command: str, args: Any) -> Any:
        self._conn.send((command, args))
        return self._conn.recv()

    def push_many(self, messages: list[tuple[int, str, str]]) -> None:
        """Queue text updates ``(chat_id, text, first_name)``."""
        self._call("push", messages)

    def push_text(self, chat_id: int, text: str, *, first_name: str = "Cán bộ") -> None:
        self.push_many([(chat_id, text, first_name)])

    def sent_count(self) -> int:
        return int(self._call("count", None))

    def count_text(self, text: str) -> int:
        return int(self._call("count_text", text))
