"""The ``taskbot`` command line: one Typer app whose commands live in one module per concern.

- :mod:`bot.cli_import`: ``import``; :mod:`bot.cli_plans`: ``plans``, ``tasks``; :mod:`bot.cli_agencies`: ``agencies``
- :mod:`bot.cli_ask`: ``ask``, ``chat``
- :mod:`bot.cli_contacts`, :mod:`bot.cli_reminders`, :mod:`bot.cli_run`: contacts, reminders and reports, ``run``

Shared plumbing (settings, runtime, dates, JSON, failures) is in :mod:`bot.cli_common`.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from bot.cli_common import err
from knowledge.errors import TaskbotError

__all__ = ["app", "main"]

log = logging.getLogger(__name__)


class _ReportingGroup(TyperGroup):
    """Turns project errors into a Vietnamese message on stderr and exit code 1, however the app is invoked."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TaskbotError as exc:
            log.debug("command failed", exc_info=True)
            err.print(f"[red]Lỗi:[/red] {escape(exc.user_message)}", highlight=False)
            raise typer.Exit(1) from exc


app = typer.Typer(
    name="taskbot",
    cls=_ReportingGroup,
    help="Trợ lý nhiệm vụ — tra cứu và nhắc hạn các nhiệm vụ mà kế hoạch của UBND giao cho các cơ quan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _mount_subcommands() -> None:
    from bot.cli_agencies import agencies_app
    from bot.cli_ask import ask_app
    from bot.cli_contacts import contacts_app
    from bot.cli_export import export_app
    from bot.cli_import import import_app
    from bot.cli_plans import plans_app, plans_group
    from bot.cli_reminders import reminders_app, reports_app
    from bot.cli_run import run_command

    for commands in (import_app, plans_app, export_app):
        app.registered_commands.extend(commands.registered_commands)
    app.registered_commands.extend(ask_app.registered_commands)
    app.add_typer(agencies_app, name="agencies")
    app.add_typer(plans_group, name="plans")
    app.add_typer(contacts_app, name="contacts", help="Liên hệ: ai nhận câu trả lời và nhắc việc.")
    app.add_typer(reminders_app, name="reminders", help="Nhắc hạn: việc đến hạn, và gửi nhắc việc.")
    app.add_typer(reports_app, name="reports", help="Báo cáo tiến độ nhiệm vụ.")
    app.command("run", help="Chạy bot (mặc định Telegram; --channel zalo, hoặc cả hai).")(run_command)


_mount_subcommands()


def main() -> None:
    """Console-script entry point: runs the app and turns project errors into a clear message and exit code 1."""
    try:
        app()
    except TaskbotError as exc:
        log.debug("command failed", exc_info=True)
        err.print(f"[red]Lỗi:[/red] {escape(exc.user_message)}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
