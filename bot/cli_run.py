"""``taskbot run``: run the chat bots of the configured channels until interrupted.

The main CLI mounts :func:`run_command` as ``taskbot run``. Only Telegram is implemented so far; the Zalo adapter
will extend :func:`run_command`. ``bot.cli`` imports this module, so its helpers are imported inside the function.
"""

from __future__ import annotations

import logging

import typer

__all__ = ["CHANNELS", "run_command"]

log = logging.getLogger(__name__)

CHANNELS = ("telegram", "zalo")


def run_command(
    channel: list[str] = typer.Option(  # noqa: B008 - typer's declaration style
        ["telegram"], "--channel", help="Channel(s) to serve: telegram (default) or zalo; repeat or comma-separate."
    ),
    listen: str | None = typer.Option(
        None, "--listen", help="host:port of the webhook server (overrides WEBHOOK_LISTEN; webhook mode only)."
    ),
) -> None:
    """Run the bot: Telegram long polling, or a webhook server when WEBHOOK_URL is set."""
    from bot.cli import _fail, _settings
    from bot.telegram_bot import run_telegram

    wanted = [name.strip().lower() for value in channel for name in value.split(",") if name.strip()]
    unknown = sorted({name for name in wanted if name not in CHANNELS})
    if unknown:
        raise _fail(f"Kênh không hợp lệ: {', '.join(unknown)}. Chọn telegram hoặc zalo.", 2)
    if not wanted:
        raise _fail("Hãy chọn ít nhất một kênh: --channel telegram.", 2)
    if "zalo" in wanted:
        raise _fail("Kênh Zalo chưa được cấu hình trong phiên bản này. Hiện chỉ chạy được kênh Telegram.")
    settings = _settings()
    logging.basicConfig(
        level=settings.taskbot_log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if listen is not None:
        settings = settings.model_copy(update={"webhook_listen": listen})
    log.info("starting channels: %s", ", ".join(wanted))
    run_telegram(settings)
