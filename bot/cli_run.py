"""``taskbot run``: serve the configured chat channels, with the reminder sweep, until interrupted.

One run path (:func:`bot.serve.serve`) for every combination: ``--channel telegram`` (default), ``--channel zalo``,
or both in one process. A channel takes webhooks when its public URL / secret is set (``WEBHOOK_URL`` +
``WEBHOOK_SECRET`` for Telegram, ``ZALO_WEBHOOK_SECRET`` [+ ``ZALO_WEBHOOK_URL``] for Zalo) and long-polls otherwise;
every webhook route and ``/healthz`` share one web server on ``WEBHOOK_LISTEN`` (or ``--listen``).
"""

from __future__ import annotations

import asyncio
import logging

import typer

from bot.channel import CHANNELS
from bot.cli_common import configure_logging, fail, load_settings, settle_memory

__all__ = ["CHANNELS", "run_command"]

log = logging.getLogger(__name__)


def run_command(
    channel: list[str] = typer.Option(  # noqa: B008 - typer's declaration style
        ["telegram"],
        "--channel",
        metavar="KÊNH",
        help="Kênh phục vụ: telegram (mặc định) hoặc zalo; lặp lại hoặc ngăn cách bằng dấu phẩy để chạy cả hai.",
    ),
    listen: str | None = typer.Option(
        None,
        "--listen",
        metavar="HOST:CỔNG",
        help="Địa chỉ máy chủ web (webhook và /healthz); mặc định WEBHOOK_LISTEN khi có kênh dùng webhook.",
    ),
) -> None:
    """Chạy bot: Telegram (mặc định), Zalo với --channel zalo, hoặc cả hai trong một tiến trình."""
    wanted = list(dict.fromkeys(name.strip().lower() for value in channel for name in value.split(",") if name.strip()))
    unknown = sorted({name for name in wanted if name not in CHANNELS})
    if unknown:
        raise fail(f"Kênh không hợp lệ: {', '.join(unknown)}. Chọn telegram hoặc zalo.", 2)
    if not wanted:
        raise fail("Hãy chọn ít nhất một kênh: --channel telegram.", 2)
    from bot.serve import serve  # the platforms' libraries load only for the command that serves them

    settle_memory()
    settings = load_settings()
    configure_logging(settings)
    asyncio.run(serve(settings, wanted, listen=listen))
