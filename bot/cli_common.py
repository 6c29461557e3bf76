"""Plumbing every ``taskbot`` sub-command shares: consoles, settings, the runtime, dates, JSON output and failures.

Command modules import from here, never from each other, so the CLI has no import cycle and no module reaches into
another's private helpers.
"""

from __future__ import annotations

import gc
import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from knowledge.errors import ConfigError, InvalidInputError

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from bot.settings import Settings
    from knowledge.agencies import AgencyRegistry
    from knowledge.records import Agency

__all__ = [
    "JsonOption",
    "configure_logging",
    "err",
    "fail",
    "load_settings",
    "resolve_agency",
    "moment",
    "open_runtime",
    "out",
    "parse_day",
    "print_json",
]

log = logging.getLogger(__name__)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

JsonOption = Annotated[bool, typer.Option("--json", help="In JSON thay cho bảng.")]

_DMY = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*$")


def configure_logging(settings: Settings) -> None:
    """Logging for every entry point (level, text or JSON, redaction of secrets): see :mod:`bot.log_setup`."""
    from bot.log_setup import configure_logging as configure

    configure(settings)


def load_settings() -> Settings:
    """The settings object, read once from the environment; a bad value becomes a :class:`ConfigError` that names
    the variable, says what is wrong with its value and how to fix it."""
    from pydantic import ValidationError

    from bot.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = [_problem(error) for error in exc.errors()]
        raise ConfigError(f"invalid configuration: {exc}", user_message=" ".join(problems)) from exc


def _problem(error: Any) -> str:
    field = str(error["loc"][0]) if error.get("loc") else ""
    variable = field.upper() or "Cấu hình"
    kind = error.get("type", "")
    if kind == "value_error":
        text = str(error.get("msg", "")).removeprefix("Value error, ")
        return f"{variable} không hợp lệ: {text}."
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "").replace(" or ", " hoặc ")
        return f"{variable} không hợp lệ: “{error.get('input')}”. Hãy dùng {expected}."
    if kind == "bool_parsing":
        return f"{variable} không hợp lệ: “{error.get('input')}”. Hãy dùng true hoặc false."
    return f"{variable} không hợp lệ ({error.get('msg', kind)}). Hãy sửa giá trị của biến này."


@contextmanager
def open_runtime() -> Iterator[Runtime]:
    """Settings, logging and the opened runtime (database migrated and seeded), closed on exit."""
    from bot.runtime import Runtime

    settings = load_settings()
    configure_logging(settings)
    runtime = Runtime.open(settings)
    try:
        yield runtime
    finally:
        runtime.close()


def settle_memory() -> None:
    """Start-up is over: what exists now lives long (out of the collector's way), and the collector runs again.

    :mod:`bot.entry` pauses the collector while a command starts; long-running commands call this once their state
    is built. Harmless when the collector was never paused (tests, ``python -m bot.cli``).
    """
    gc.freeze()
    gc.enable()


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a Vietnamese error on stderr and return the exit to raise: 1 for errors, 2 for bad usage."""
    err.print(f"[red]Lỗi:[/red] {escape(message)}", highlight=False)
    return typer.Exit(code)


def resolve_agency(registry: AgencyRegistry, text: str) -> Agency:
    """The agency ``text`` names (a close spelling is accepted and said on stderr); an unknown name is a usage error
    (exit 2) in Vietnamese with the closest names."""
    resolution = registry.resolve(text)
    if resolution is None:
        close = registry.suggest(text)
        hint = f" Có phải: {'; '.join(close)}?" if close else ""
        raise fail(f"Không nhận ra cơ quan “{text}”.{hint} Xem danh sách bằng lệnh: taskbot agencies --all", 2)
    if not resolution.exact:
        err.print(f"[yellow]Hiểu “{escape(text)}” là: {escape(resolution.agency.name)}[/yellow]", highlight=False)
    return resolution.agency


def parse_day(text: str) -> date:
    """A date typed as YYYY-MM-DD or DD/MM/YYYY; anything else is an :class:`InvalidInputError` with a Vietnamese
    message (a usage error: exit 2 from a command; one line's error in ``ask --batch``)."""
    value = text.strip()
    try:
        match = _DMY.match(value)
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInputError(
            f"invalid date {text!r}", user_message=f"Ngày “{text}” không hợp lệ; dùng dạng YYYY-MM-DD hoặc DD/MM/YYYY."
        ) from exc


def moment(as_of: str | None, settings: Settings, *, at: time = time(12, 0)) -> datetime:
    """``at`` o'clock of ``as_of`` in the configured time zone, or now."""
    if as_of is None:
        return datetime.now(tz=settings.timezone)
    return datetime.combine(parse_day(as_of), at, tzinfo=settings.timezone)
