"""The ``taskbot`` command line: import plans, list what the knowledge base holds, and (later) chat and run bots.

JSON outputs are contracts that acceptance tests rely on; keep their shapes stable.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from bot.runtime import Runtime
from bot.settings import Settings
from knowledge.answers import Answer, AnswerEngine
from knowledge.base import KnowledgeBase, RoleFilter
from knowledge.errors import ConfigError, TaskbotError
from knowledge.importer import import_plan_file
from knowledge.records import Agency, Plan, Task

__all__ = ["app", "main"]

log = logging.getLogger(__name__)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class _ReportingGroup(TyperGroup):
    """Turns project errors into a Vietnamese message on stderr and exit code 1, however the app is invoked."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TaskbotError as exc:
            log.debug("command failed", exc_info=True)
            err.print(f"[red]Lỗi:[/red] {exc.user_message}", highlight=False)
            raise typer.Exit(1) from exc


app = typer.Typer(
    name="taskbot",
    cls=_ReportingGroup,
    help="Trợ lý nhiệm vụ — a chatbot for the tasks Vietnamese government plans assign to agencies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _mount_subcommands() -> None:
    from bot.cli_contacts import contacts_app
    from bot.cli_reminders import reminders_app, reports_app
    from bot.cli_run import run_command

    app.add_typer(contacts_app, name="contacts", help="Manage contacts: who receives answers and reminders.")
    app.add_typer(reminders_app, name="reminders", help="Deadline reminders: what is due, and sending it.")
    app.add_typer(reports_app, name="reports", help="Progress reports on tasks.")
    app.command("run", help="Run the bot (Telegram by default; --channel zalo, or both).")(run_command)


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def configure_logging(settings: Settings) -> None:
    """Logging for every entry point; httpx is kept at WARNING because its INFO lines carry bot tokens in URLs."""
    logging.basicConfig(
        level=settings.taskbot_log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {exc}", user_message=f"Cấu hình không hợp lệ: {exc}") from exc


@contextmanager
def _runtime() -> Iterator[Runtime]:
    settings = _settings()
    configure_logging(settings)
    runtime = Runtime.open(settings)
    try:
        yield runtime
    finally:
        runtime.close()


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]Lỗi:[/red] {message}", highlight=False)
    return typer.Exit(code)


# -- import -------------------------------------------------------------------------------------------------------


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="Plan file: .md/.txt (text or Markdown table) or .docx.")],
    as_json: JsonOption = False,
) -> None:
    """Import a plan (or update it in place when its number is already known)."""
    with _runtime() as runtime:
        report = import_plan_file(file, registry=runtime.registry, repository=runtime.repository)
    summary = report.as_json()
    if as_json:
        _print_json(summary)
        return
    action = "Đã thêm" if report.saved.created else "Đã cập nhật"
    out.print(f"{action} kế hoạch [bold]{summary['plan']}[/bold]: {summary['title']}", highlight=False)
    out.print(
        f"{summary['tasks']} nhiệm vụ ({summary['tasks_added']} mới, {summary['tasks_updated']} cập nhật, "
        f"{summary['tasks_retired']} không còn trong văn bản), {summary['agencies']} cơ quan.",
        highlight=False,
    )
    for issue in report.issues:
        style = "yellow" if issue.level == "warning" else "dim"
        label = "Cảnh báo" if issue.level == "warning" else "Ghi chú"
        where = f" ({issue.where})" if issue.where else ""
        out.print(f"[{style}]{label}{where}: {issue.message}[/{style}]", highlight=False)


# -- plans, agencies, tasks -----------------------------------------------------------------------------------------


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "number": plan.number,
        "title": plan.title,
        "issuer": plan.issuer,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "period": str(plan.period) if plan.period else None,
        "replaces": plan.replaces or None,
        "signer": plan.signer,
        "signer_title": plan.signer_title,
        "reporting_date": (
            f"{plan.reporting_date.day:02d}/{plan.reporting_date.month:02d}" if plan.reporting_date else None
        ),
        "tasks": len(plan.tasks),
        "objectives": [
            {"label": o.label, "text": o.text, "target_date": o.target_date.isoformat() if o.target_date else None}
            for o in plan.objectives
        ],
        "duties": [{"id": d.code, "label": d.label, "text": d.text, "agencies": list(d.agencies)} for d in plan.duties],
        "source": plan.source_name,
        "source_hash": plan.source_hash,
    }


def task_json(task: Task) -> dict[str, Any]:
    return {
        "plan": task.plan_number,
        "id": task.code,
        "section": task.section_code,
        "section_title": task.section_title,
        "content": task.content,
        "lead": list(task.lead),
        "coordinators": list(task.coordinators),
        "product": task.product,
        "time_text": task.time_text,
        "recurrence": task.schedule.recurrence,
        "deadlines": [d.due.isoformat() for d in task.schedule.deadlines],
        "deadline_reasons": [d.reason for d in task.schedule.deadlines],
        "schedule": task.schedule.explanation,
    }


def agency_json(agency: Agency, kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "name": agency.name,
        "kind": agency.kind,
        "short": agency.short,
        "aliases": list(agency.aliases),
        "members": list(agency.members),
        "lead_tasks": kb.lead_count(agency.name),
        "coordinated_tasks": kb.coordinator_count(agency.name),
    }


@app.command("plans")
def plans_command(as_json: JsonOption = False) -> None:
    """List the plans in the knowledge base."""
    with _runtime() as runtime:
        kb = runtime.knowledge()
    if as_json:
        _print_json([plan_json(p) for p in kb.plans])
        return
    table = Table("Số", "Ngày", "Giai đoạn", "Nhiệm vụ", "Tên kế hoạch", title="Kế hoạch")
    for plan in kb.plans:
        table.add_row(
            plan.number,
            plan.issued_on.strftime("%d/%m/%Y") if plan.issued_on else "",
            str(plan.period or ""),
            str(len(plan.tasks)),
            plan.title,
        )
    out.print(table)


@app.command("agencies")
def agencies_command(
    as_json: JsonOption = False,
    all_agencies: Annotated[bool, typer.Option("--all", help="Include registry agencies with no task.")] = False,
) -> None:
    """List agencies that lead or coordinate tasks (with --all: every known agency)."""
    with _runtime() as runtime:
        kb = runtime.knowledge()
    agencies = list(kb.registry) if all_agencies else kb.agencies_in_plans()
    if as_json:
        _print_json([agency_json(a, kb) for a in agencies])
        return
    table = Table("Cơ quan", "Loại", "Chủ trì", "Phối hợp", "Viết tắt", title="Cơ quan")
    for agency in agencies:
        table.add_row(
            agency.name,
            agency.kind,
            str(kb.lead_count(agency.name)),
            str(kb.coordinator_count(agency.name)),
            ", ".join(agency.aliases[:4]),
        )
    out.print(table)


@app.command("tasks")
def tasks_command(
    agency: Annotated[str | None, typer.Option("--agency", help="Agency name, alias or abbreviation.")] = None,
    plan: Annotated[str | None, typer.Option("--plan", help="Plan number, e.g. 435/KH-UBND.")] = None,
    role: Annotated[str, typer.Option("--role", help="With --agency: lead, coordinator or any.")] = "lead",
    as_json: JsonOption = False,
) -> None:
    """List tasks, optionally of one agency and/or one plan."""
    if role not in ("lead", "coordinator", "any"):
        raise _fail("--role phải là lead, coordinator hoặc any.", 2)
    role_filter: RoleFilter = "lead" if role == "lead" else "coordinator" if role == "coordinator" else "any"
    with _runtime() as runtime:
        kb = runtime.knowledge()
    plan_number: str | None = None
    if plan is not None:
        found_plan = kb.plan(plan)
        if found_plan is None:
            raise _fail(f"Không có kế hoạch số “{plan}” trong cơ sở dữ liệu.", 2)
        plan_number = found_plan.number
    if agency is not None:
        resolution = kb.registry.resolve(agency)
        if resolution is None:
            raise _fail(f"Không nhận ra cơ quan “{agency}”. Xem danh sách bằng lệnh: taskbot agencies --all", 2)
        tasks = kb.tasks_of(resolution.agency, role=role_filter, plan=plan_number)
    else:
        tasks = [t for t in kb.tasks if plan_number is None or t.plan_number == plan_number]
    if as_json:
        _print_json([task_json(t) for t in tasks])
        return
    table = Table("Mã", "Nội dung", "Chủ trì", "Thời gian", "Hạn", title=f"{len(tasks)} nhiệm vụ")
    for task in tasks:
        table.add_row(
            task.code,
            task.content,
            ", ".join(task.lead),
            task.time_text,
            ", ".join(d.due.strftime("%d/%m/%Y") for d in task.schedule.deadlines),
        )
    out.print(table)


# -- ask ----------------------------------------------------------------------------------------------------------


def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "intent": answer.intent,
        "agencies": list(answer.agencies),
        "tasks": [{"plan": t.plan_number, "id": t.code} for t in answer.tasks],
        "text": answer.text,
        "citations": list(answer.citations),
        "suggestions": [s.label for s in answer.suggestions],
        "choices": [c.label for c in answer.choices],
        "page": answer.page,
        "pages": answer.pages,
    }


def _moment(as_of: str | None, settings: Settings) -> datetime:
    """Noon of ``as_of`` in the configured time zone, or now."""
    if as_of is None:
        return datetime.now(tz=settings.timezone)
    try:
        day = date.fromisoformat(as_of.strip())
    except ValueError as exc:
        raise ConfigError(
            f"invalid date {as_of!r}", user_message=f"Ngày “{as_of}” không hợp lệ; dùng dạng YYYY-MM-DD."
        ) from exc
    return datetime.combine(day, time(12, 0), tzinfo=settings.timezone)


@app.command("ask")
def ask_command(
    question: Annotated[str | None, typer.Argument(help="The question, in Vietnamese.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Answer as of this date (YYYY-MM-DD).")] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="The asker's agency (for “nhiệm vụ của tôi”).")] = None,
    as_json: JsonOption = False,
    batch: Annotated[bool, typer.Option("--batch", help="Read JSON lines {q, as_of?, agency?} from stdin.")] = False,
) -> None:
    """Answer a question the way the bot would."""
    with _runtime() as runtime:
        engine = AnswerEngine(runtime.knowledge())
        settings = runtime.settings
    if batch:
        for number, raw in enumerate(sys.stdin, start=1):
            if not raw.strip():
                continue
            try:
                item = json.loads(raw)
                if not isinstance(item, dict) or not isinstance(item.get("q"), str):
                    raise ValueError("cần một đối tượng JSON có trường “q” là chuỗi")
                for key in ("as_of", "agency"):
                    if item.get(key) is not None and not isinstance(item[key], str):
                        raise ValueError(f"trường “{key}” phải là chuỗi")
                moment = _moment(item.get("as_of") or as_of, settings)
                answer = engine.answer(item["q"], agency=item.get("agency") or agency, now=moment)
                sys.stdout.write(json.dumps(answer_json(answer), ensure_ascii=False) + "\n")
            except (ValueError, TaskbotError) as exc:
                message = exc.user_message if isinstance(exc, TaskbotError) else str(exc)
                sys.stdout.write(json.dumps({"error": f"dòng {number}: {message}"}, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        return
    if question is None:
        raise _fail('Hãy nhập câu hỏi, ví dụ: taskbot ask "Sở Tài chính có nhiệm vụ gì?"', 2)
    answer = engine.answer(question, agency=agency, now=_moment(as_of, settings))
    if as_json:
        _print_json(answer_json(answer))
    else:
        sys.stdout.write(answer.text + "\n")


# -- chat ---------------------------------------------------------------------------------------------------------


@app.command("chat")
def chat_command(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Chat as of this date (YYYY-MM-DD).")] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="Ask as an officer of this agency.")] = None,
) -> None:
    """Chat with the bot in the terminal (no token needed)."""
    from bot.console import ConsoleChat

    settings = _settings()
    configure_logging(settings)
    moment = _moment(as_of, settings) if as_of else None
    ConsoleChat(settings, agency=agency, clock=(lambda: moment) if moment else None).run()


# -- entry point --------------------------------------------------------------------------------------------------


_mount_subcommands()


def main() -> None:
    """Console-script entry point: runs the app and turns project errors into a clear message and exit code 1."""
    try:
        app()
    except TaskbotError as exc:
        log.debug("command failed", exc_info=True)
        err.print(f"[red]Lỗi:[/red] {exc.user_message}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
