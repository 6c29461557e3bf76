"""Replies as lightly styled lines, rendered to plain text (CLI, Zalo) or Telegram HTML (every string escaped).

The answer engine builds :class:`Reply` values; channels only pick a renderer. Keeping style out of the strings is
what makes "Sở KH&ĐT" or a user's "<" safe in HTML parse mode.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from knowledge.contacts import Channel

__all__ = ["Attachment", "Button", "Fragment", "Outgoing", "Reply", "ReplyBuilder", "fmt_date", "shorten"]

Style = Literal["plain", "bold", "italic", "code"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Fragment:
    text: str
    style: Style = "plain"


Line = tuple[Fragment, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Reply:
    """A reply: lines of styled fragments."""

    lines: tuple[Line, ...] = ()

    def plain(self) -> str:
        return "\n".join("".join(f.text for f in line) for line in self.lines).strip()

    def html(self) -> str:
        return "\n".join("".join(_html_fragment(f) for f in line) for line in self.lines).strip()

    def html_chunks(self, limit: int = 4096) -> list[str]:
        """HTML split on line boundaries into messages of at most ``limit`` visible characters.

        A single line longer than ``limit`` is cut on its visible text and every piece is escaped on its own, so no
        entity or tag is ever cut in half.
        """
        visible = [_visible(line) for line in self.lines]
        if sum(visible) + len(visible) - 1 <= limit:  # the usual reply: one message, nothing to measure or cut
            return [self.html()]
        lines = [piece for line in self.lines for piece in _split_line(line, limit)]
        return _chunks([("".join(_html_fragment(f) for f in line), _visible(line)) for line in lines], limit)

    def plain_chunks(self, limit: int) -> list[str]:
        """Plain text split on line boundaries into messages of at most ``limit`` characters."""
        lines = [piece for line in self.lines for piece in _split_line(line, limit)]
        return _chunks([("".join(f.text for f in line), _visible(line)) for line in lines], limit)


def _visible(line: Line) -> int:
    return sum(len(f.text) for f in line)


def _split_line(line: Line, limit: int) -> list[Line]:
    """``line`` cut into pieces of at most ``limit`` visible characters, fragment styles kept."""
    if _visible(line) <= limit:
        return [line]
    pieces: list[Line] = []
    current: list[Fragment] = []
    room = limit
    for fragment in line:
        text = fragment.text
        while text:
            take = text[:room]
            current.append(Fragment(text=take, style=fragment.style))
            text = text[len(take) :]
            room -= len(take)
            if room == 0:
                pieces.append(tuple(current))
                current, room = [], limit
    if current:
        pieces.append(tuple(current))
    return pieces


def _chunks(lines: list[tuple[str, int]], limit: int) -> list[str]:
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for text, visible in lines:  # every line is at most ``limit`` visible characters (see _split_line)
        extra = visible + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append("\n".join(current).strip())
            current, size = [], 0
            extra = visible
        current.append(text)
        size += extra
    if current:
        joined = "\n".join(current).strip()
        if joined:
            chunks.append(joined)
    return [c for c in chunks if c] or [""]


def _html_fragment(fragment: Fragment) -> str:
    text = html.escape(fragment.text, quote=False)
    if fragment.style == "bold":
        return f"<b>{text}</b>"
    if fragment.style == "italic":
        return f"<i>{text}</i>"
    if fragment.style == "code":
        return f"<code>{text}</code>"
    return text


@dataclass(kw_only=True)
class ReplyBuilder:
    """Mutable helper to assemble a :class:`Reply`."""

    _lines: list[Line] = field(default_factory=list)

    def line(self, *parts: str | Fragment) -> ReplyBuilder:
        self._lines.append(tuple(p if isinstance(p, Fragment) else Fragment(text=p) for p in parts if p != ""))
        return self

    def blank(self) -> ReplyBuilder:
        if self._lines and self._lines[-1]:
            self._lines.append(())
        return self

    def extend(self, lines: Iterable[Line]) -> ReplyBuilder:
        self._lines.extend(lines)
        return self

    def build(self) -> Reply:
        lines = list(self._lines)
        while lines and not lines[-1]:
            lines.pop()
        return Reply(lines=tuple(lines))


def bold(text: str) -> Fragment:
    return Fragment(text=text, style="bold")


def italic(text: str) -> Fragment:
    return Fragment(text=text, style="italic")


def fmt_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def shorten(text: str, limit: int = 160) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


@dataclass(frozen=True, kw_only=True, slots=True)
class Button:
    """A choice under a message. ``action`` is opaque and short (it fits Telegram's 64-byte callback data)."""

    label: str
    action: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Attachment:
    """A file sent with a message (an export): channels that can send files send it, the others say so."""

    name: str
    data: bytes
    mime: str = "application/octet-stream"


@dataclass(frozen=True, kw_only=True, slots=True)
class Outgoing:
    """A message to send: to the chat that wrote (``chat_id`` None) or to another chat (notifications, reminders)."""

    reply: Reply
    buttons: tuple[tuple[Button, ...], ...] = ()
    chat_id: str | None = None
    channel: Channel | None = None
    attachment: Attachment | None = None
