"""Logging for every entry point: level, text or JSON lines, and no secret or user text in any line.

* :func:`configure_logging` reads ``TASKBOT_LOG_LEVEL``, ``TASKBOT_LOG_FORMAT`` (``text`` or ``json``: one JSON
  object per line for log shippers) and ``TASKBOT_LOG_USER_TEXT``.
* Redaction works at the source, through the log record factory, so it holds at every level and for every handler
  (also pytest's): bot tokens (the configured ones, and anything shaped like ``123456:AbC…``) and webhook secrets are
  replaced by ``<redacted>`` in messages and tracebacks. python-telegram-bot logs the Bot API URL (token inside) at
  DEBUG and ``setWebhook``'s parameters (secret inside); httpx logs request URLs at INFO.
* What officers write is logged only with ``TASKBOT_LOG_USER_TEXT=true``: otherwise the DEBUG lines in which
  python-telegram-bot dumps updates and API parameters keep their place but not their payload.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, TextIO

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = ["REDACTED", "WITHHELD", "JsonFormatter", "allow_user_text", "configure_logging", "protect", "redact"]

REDACTED: Final = "<redacted>"
WITHHELD: Final = "<withheld: TASKBOT_LOG_USER_TEXT is off>"
TEXT_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_TOKEN_SHAPE = re.compile(r"(?<![\w.])\d{3,}:[A-Za-z0-9_-]{6,}")  # Telegram and Zalo bot tokens: <bot id>:<key>
# python-telegram-bot's DEBUG lines whose arguments carry what users wrote (updates, API parameters and results).
# Each maps to how many leading arguments stay (the endpoint's name does).
_PAYLOAD_LINES: Final = {
    "Calling Bot API endpoint `%s` with parameters `%s`": 1,
    "Call to Bot API endpoint `%s` finished with return value `%s`": 1,
    "Processing update %s": 0,
    "Dropping pending update: %s": 0,
}

_lock = threading.Lock()
_secrets: list[str] = []
_user_text = False
_installed = False


def protect(*secrets: str | None) -> None:
    """Never log these values (tokens, webhook secrets); installs the redacting record factory once."""
    global _secrets
    with _lock:
        known = set(_secrets)
        known.update(s for s in secrets if s and len(s) >= 4)
        _secrets = sorted(known, key=len, reverse=True)
        _install()


def redact(text: str) -> str:
    """``text`` without any protected value and without anything shaped like a bot token."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return _TOKEN_SHAPE.sub(REDACTED, text)


def configure_logging(settings: Settings, *, stream: TextIO | None = None) -> logging.Handler:
    """Level, format and redaction from the settings; httpx stays at WARNING (its INFO lines print every URL).

    Logs go to ``stream`` (stderr by default); the handler is returned (and replaces one installed before).
    """
    global _user_text
    _user_text = settings.taskbot_log_user_text
    secrets = [
        settings.webhook_secret,
        settings.zalo_webhook_secret,
        settings.telegram_bot_token,
        settings.zalo_bot_token,
    ]
    protect(*(s.get_secret_value().strip() for s in secrets if s is not None))
    handler = logging.StreamHandler(stream)
    if settings.taskbot_log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_taskbot", False):
            root.removeHandler(old)
    handler._taskbot = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(settings.taskbot_log_level.upper())
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler


def allow_user_text(allowed: bool) -> None:
    """Log what users write (``TASKBOT_LOG_USER_TEXT``); off by default."""
    global _user_text
    _user_text = allowed


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message`` and ``exception``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


# -- the record factory ---------------------------------------------------------------------------------------------


def _install() -> None:
    global _installed
    if _installed:
        return
    base = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        try:
            _scrub(record)
        except Exception:  # a log line must never fail because of its redaction
            record.msg, record.args = "<log line withheld: it could not be redacted>", ()
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


def _scrub(record: logging.LogRecord) -> None:
    keep = _PAYLOAD_LINES.get(record.msg) if isinstance(record.msg, str) else None
    if not _user_text and keep is not None and record.args:
        args = tuple(_args(record.args))
        record.args = args[:keep] + tuple(WITHHELD for _ in args[keep:])
    message = record.getMessage()
    clean = redact(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and record.exc_info[0] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        clean = redact(text)
        if clean != text:
            record.exc_text = clean
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def _args(args: Any) -> Iterable[Any]:
    return args if isinstance(args, tuple) else (args,)
