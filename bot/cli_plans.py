"""``taskbot plans`` (list, archive, restore, remove) and ``taskbot tasks``: the plans the knowledge base holds.

JSON outputs are contracts that acceptance tests rely on; keep their shapes stable (keys are only ever added).
The archive/restore/remove operations are :mod:`knowledge.plan_admin`'s, the same ones the chat commands call.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from bot.cli_common import JsonOption, err, fail, load_settings, moment, open_runtime, out, print_json, resolve_agency
from knowledge.base import RoleFilter
from knowledge.errors import NotFoundError
from knowledge.plan_admin import PlanAdminResult, archive_plan, find_plan_number, remove_plan, restore_plan
from knowledge.plan_status import STATUS_LABELS, plan_end, plan_label, plan_status, short_title
from knowledge.records import Plan, ReportingDate, ReportingDuty, Task

__all__ = ["plan_json", "plans_app", "plans_group", "task_json"]

plans_app = typer.Typer()
plans_group = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    help="Danh sách kế hoạch và trạng thái; lưu trữ, khôi phục hoặc xóa một kế hoạch.",
)

NumberArgument = Annotated[str, typer.Argument(help="Số kế hoạch, viết gọn cũng được: 435, 435/kh-ubnd, KH 435.")]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Tính trạng thái theo ngày này (YYYY-MM-DD hoặc DD/MM/YYYY).")
]
_CLI_ACTOR = "cli"


def plan_json(plan: Plan, today: date | None = None) -> dict[str, Any]:
    """A plan's facts; with ``today`` also its status."""
    end = plan_end(plan)
    value: dict[str, Any] = {
        "number": plan.number,
        "title": plan.title,
        "issuer": plan.issuer,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "period": str(plan.period) if plan.period else None,
        "replaces": plan.replaces or None,
        "signer": plan.signer,
        "signer_title": plan.signer_title,
        "reporting_date": _day_month(plan.reporting_date),
        "tasks": len(plan.tasks),
        "objectives": [
            {"label": o.label, "text": o.text, "target_date": o.target_date.isoformat() if o.target_date else None}
            for o in plan.objectives
        ],
        "duties": [{"id": d.code, "label": d.label, "text": d.text, "agencies": list(d.agencies)} for d in plan.duties],
        "source": plan.source_name,
        "source_hash": plan.source_hash,
        # added with plan status; absent facts are null or empty, never guessed
        "label": plan_label(plan),
        "short_title": short_title(plan),
        "archived": plan.archived,
        "end": end.isoformat() if end else None,
        "replaces_text": plan.replaces_text or None,
        "city_reporting_date": _day_month(plan.city_reporting_date),
        "reporting_duties": [reporting_duty_json(d) for d in plan.reporting_duties],
    }
    if today is not None:
        value["status"] = plan_status(plan, today)
    return value


def reporting_duty_json(duty: ReportingDuty) -> dict[str, Any]:
    return {
        "reporters": list(duty.reporters),
        "reporters_text": duty.reporters_text,
        "receiver": duty.receiver or None,
        "frequency": duty.frequency,
        "day": duty.day,
        "month": duty.month,
        "months": list(duty.months),
        "year": duty.year,
        "label": duty.label,
        "text": duty.text,
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


def _day_month(value: ReportingDate | None) -> str | None:
    return f"{value.day:02d}/{value.month:02d}" if value else None


@plans_group.callback()
def plans_command(ctx: typer.Context, as_json: JsonOption = False, as_of: AsOfOption = None) -> None:
    """List the plans with their status (in force, ended, archived) and facts."""
    if ctx.invoked_subcommand is not None:
        return
    settings = load_settings()
    today = moment(as_of, settings).date()
    with open_runtime() as runtime:
        kb = runtime.knowledge()
    if as_json:
        print_json([plan_json(p, today) for p in kb.plans])
        return
    table = Table(title="Kế hoạch")
    for header in ("Số", "Ngày", "Giai đoạn", "Trạng thái", "Nhiệm vụ"):
        table.add_column(header, no_wrap=True)
    table.add_column("Tên kế hoạch")
    for plan in kb.plans:
        table.add_row(
            plan.number,
            plan.issued_on.strftime("%d/%m/%Y") if plan.issued_on else "",
            str(plan.period or ""),
            STATUS_LABELS[plan_status(plan, today)],
            str(len(plan.tasks)),
            short_title(plan) or plan.title,
        )
    out.print(table)


@plans_group.command("archive", help="Lưu trữ kế hoạch: chỉ trả lời khi nêu đích danh, không nhắc hạn.")
def archive_command(number: NumberArgument) -> None:
    """Archive a plan: it answers only when named and sends no reminders."""
    _report(_run(archive_plan, number))


@plans_group.command("restore", help="Khôi phục kế hoạch đã lưu trữ.")
def restore_command(number: NumberArgument) -> None:
    """Restore an archived plan."""
    _report(_run(restore_plan, number))


@plans_group.command(
    "remove", help="Xóa kế hoạch cùng các nhiệm vụ (hỏi xác nhận); báo cáo tiến độ đã nhận vẫn được giữ."
)
def remove_command(
    number: NumberArgument,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Không hỏi xác nhận.")] = False,
) -> None:
    """Delete a plan and its tasks (asks for confirmation). Progress reports already received are kept."""
    settings = load_settings()
    with open_runtime() as runtime:
        try:
            exact = find_plan_number(number, runtime.repository.plan_numbers())
        except NotFoundError as exc:
            raise fail(exc.user_message, 2) from exc
        if not yes:
            plan = runtime.knowledge().plan(exact)
            label = plan_label(plan) if plan else exact
            tasks = len(plan.tasks) if plan else 0
            if not typer.confirm(f"Xóa {label} cùng {tasks} nhiệm vụ? Thao tác này không hoàn tác được.", err=True):
                err.print("Đã hủy; không có gì thay đổi.", highlight=False)
                raise typer.Exit(1)
        result = remove_plan(runtime.repository, exact, actor=_CLI_ACTOR, now=moment(None, settings))
    _report(result)


def _run(operation: Any, number: str) -> PlanAdminResult:
    settings = load_settings()
    with open_runtime() as runtime:
        try:
            result: PlanAdminResult = operation(
                runtime.repository, number, actor=_CLI_ACTOR, now=moment(None, settings)
            )
        except NotFoundError as exc:
            raise fail(exc.user_message, 2) from exc
    return result


def _report(result: PlanAdminResult) -> None:
    out.print(result.message, highlight=False)


@plans_app.command("tasks")
def tasks_command(
    agency: Annotated[str | None, typer.Option("--agency", help="Tên cơ quan, tên khác hoặc viết tắt.")] = None,
    plan: Annotated[str | None, typer.Option("--plan", help="Số kế hoạch, ví dụ 435/KH-UBND.")] = None,
    role: Annotated[
        str, typer.Option("--role", help="Cùng --agency: lead (chủ trì), coordinator (phối hợp) hoặc any.")
    ] = "lead",
    as_json: JsonOption = False,
) -> None:
    """Liệt kê nhiệm vụ, có thể theo một cơ quan và/hoặc một kế hoạch."""
    if role not in ("lead", "coordinator", "any"):
        raise fail("--role phải là lead, coordinator hoặc any.", 2)
    role_filter: RoleFilter = "lead" if role == "lead" else "coordinator" if role == "coordinator" else "any"
    with open_runtime() as runtime:
        kb = runtime.knowledge()
    plan_number: str | None = None
    if plan is not None:
        found_plan = kb.plan(plan)
        if found_plan is None:
            raise fail(f"Không có kế hoạch số “{plan}” trong cơ sở dữ liệu.", 2)
        plan_number = found_plan.number
    if agency is not None:
        tasks = kb.tasks_of(resolve_agency(kb.registry, agency), role=role_filter, plan=plan_number)
    else:
        tasks = [t for t in kb.tasks if plan_number is None or t.plan_number == plan_number]
    if as_json:
        print_json([task_json(t) for t in tasks])
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
