"""The ``taskbot`` command line: one Typer app whose commands live in one module per concern.

- :mod:`bot.cli_import`: ``import``; :mod:`bot.cli_plans`: ``plans``, ``tasks``; :mod:`bot.cli_agencies`: ``agencies``
- :mod:`bot.cli_ask`: ``ask``, ``chat``
- :mod:`bot.cli_contacts`, :mod:`bot.cli_reminders`, :mod:`bot.cli_run`: contacts, reminders and reports, ``run``

Shared plumbing (settings, runtime, dates, JSON, failures) is in :mod:`bot.cli_common`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from bot.cli_common import err
from bot.cli_help import help_page, is_group, resolve, usage_error_text, wants_help
from knowledge.errors import InvalidInputError, TaskbotError

__all__ = ["build_app", "exit_code", "main"]  # and the module attribute ``app`` (__getattr__)

log = logging.getLogger(__name__)


class _ReportingGroup(TyperGroup):
    """The root command: help pages and usage errors in Vietnamese (:mod:`bot.cli_help`, exit 0 and 2), project
    errors as a Vietnamese message on stderr and exit code 1, however the app is invoked."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        found = resolve(self, args) if parent is None else None
        if found is not None:
            command, path = found
            alone = path and is_group(command) and not getattr(command, "invoke_without_command", False)
            if wants_help(args) or alone:  # a command group named alone (that does nothing alone): its help too
                typer.echo(help_page(command, path, program=info_name or "taskbot"), nl=False)
                raise typer.Exit(0)
        return super().make_context(info_name, args, parent=parent, **extra)

    def main(self, args: Any = None, prog_name: str | None = None, *more: Any, **extra: Any) -> Any:
        standalone = extra.pop("standalone_mode", True)
        words = list(sys.argv[1:] if args is None else args)
        extra["standalone_mode"] = False  # errors come back here, to be said in Vietnamese
        try:
            result = super().main(words, prog_name, *more, **extra)
        except typer.Exit as exc:  # raised before a command ran (help pages), not returned
            if not standalone:
                raise
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone:
                raise
            err.print("Đã hủy.", highlight=False)
            sys.exit(1)
        except typer.TyperException as exc:  # click's usage errors (typer's base of them)
            if not standalone:
                raise
            found = resolve(self, words)
            path = found[1] if found is not None else ()
            err.print(escape(usage_error_text(exc, path, program=prog_name or "taskbot")), highlight=False)
            sys.exit(getattr(exc, "exit_code", 2))
        if standalone:
            sys.exit(result if isinstance(result, int) else 0)
        return result

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TaskbotError as exc:
            log.debug("command failed", exc_info=True)
            err.print(f"[red]Lỗi:[/red] {escape(exc.user_message)}", highlight=False)
            raise typer.Exit(exit_code(exc)) from exc


def exit_code(error: TaskbotError) -> int:
    """2 for a value typed in the wrong shape (bad usage), 1 for any other error."""
    return 2 if isinstance(error, InvalidInputError) else 1


def _new_app() -> typer.Typer:
    app = typer.Typer(
        name="taskbot",
        cls=_ReportingGroup,
        help="Trợ lý nhiệm vụ — tra cứu và nhắc hạn các nhiệm vụ mà kế hoạch của UBND giao cho các cơ quan.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    app.callback()(_root)  # a group even with one command mounted (Typer runs a lone command as the app itself)
    return app


def _root() -> None:
    """Nothing to do before a command: options are per command."""


def _mount_import(app: typer.Typer) -> None:
    from bot.cli_import import import_app

    app.registered_commands.extend(import_app.registered_commands)


def _mount_tasks(app: typer.Typer) -> None:
    from bot.cli_plans import plans_app

    app.registered_commands.extend(plans_app.registered_commands)


def _mount_export(app: typer.Typer) -> None:
    from bot.cli_export import export_app

    app.registered_commands.extend(export_app.registered_commands)


def _mount_ask(app: typer.Typer) -> None:
    from bot.cli_ask import ask_app

    app.registered_commands.extend(ask_app.registered_commands)


def _mount_run(app: typer.Typer) -> None:
    from bot.cli_run import run_command

    app.command("run", help="Chạy bot (mặc định Telegram; --channel zalo, hoặc cả hai).")(run_command)


def _mount_agencies(app: typer.Typer) -> None:
    from bot.cli_agencies import agencies_app

    app.add_typer(agencies_app, name="agencies")


def _mount_plans(app: typer.Typer) -> None:
    from bot.cli_plans import plans_group

    app.add_typer(plans_group, name="plans")


def _mount_contacts(app: typer.Typer) -> None:
    from bot.cli_contacts import contacts_app

    app.add_typer(contacts_app, name="contacts", help="Liên hệ: ai nhận câu trả lời và nhắc việc.")


def _mount_reminders(app: typer.Typer) -> None:
    from bot.cli_reminders import reminders_app

    app.add_typer(reminders_app, name="reminders", help="Nhắc hạn: việc đến hạn, và gửi nhắc việc.")


def _mount_reports(app: typer.Typer) -> None:
    from bot.cli_reminders import reports_app

    app.add_typer(reports_app, name="reports", help="Báo cáo tiến độ nhiệm vụ.")


# Each top-level command and what mounts it, in the order the help lists them. A command's module (and what it
# imports: ORM, alembic, PTB, openpyxl…) is imported only when that command runs or the whole tree is shown.
_MOUNTS: dict[str, Callable[[typer.Typer], None]] = {
    "import": _mount_import,
    "tasks": _mount_tasks,
    "export": _mount_export,
    "ask": _mount_ask,
    "chat": _mount_ask,
    "run": _mount_run,
    "agencies": _mount_agencies,
    "plans": _mount_plans,
    "contacts": _mount_contacts,
    "reminders": _mount_reminders,
    "reports": _mount_reports,
}


def build_app(command: str | None = None) -> typer.Typer:
    """The CLI with only ``command`` mounted when it is one of ours (a fast start), else with every command."""
    app = _new_app()
    mount = _MOUNTS.get(command or "")
    for each in [mount] if mount is not None else dict.fromkeys(_MOUNTS.values()):
        each(app)
    return app


_full_app: typer.Typer | None = None


def __getattr__(name: str) -> Any:
    """``bot.cli.app``: the whole command tree, built on first use (tests, help walkers, documentation)."""
    global _full_app
    if name == "app":
        if _full_app is None:
            _full_app = build_app()
        return _full_app
    raise AttributeError(name)


def main() -> None:
    """Console-script entry point: runs the app and turns project errors into a clear message and exit code 1."""
    command = next((a for a in sys.argv[1:2] if not a.startswith("-")), None)
    try:
        build_app(command)()
    except TaskbotError as exc:
        log.debug("command failed", exc_info=True)
        err.print(f"[red]Lỗi:[/red] {escape(exc.user_message)}", highlight=False)
        sys.exit(exit_code(exc))


if __name__ == "__main__":
    main()
