"""``taskbot plans`` and ``taskbot tasks``: what plans the knowledge base holds and their tasks.

JSON outputs are contracts that acceptance tests rely on; keep their shapes stable.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from bot.cli_common import JsonOption, fail, open_runtime, out, print_json
from knowledge.base import RoleFilter
from knowledge.records import Plan, Task

__all__ = ["plan_json", "plans_app", "task_json"]

plans_app = typer.Typer()


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


@plans_app.command("plans")
def plans_command(as_json: JsonOption = False) -> None:
    """List the plans in the knowledge base."""
    with open_runtime() as runtime:
        kb = runtime.knowledge()
    if as_json:
        print_json([plan_json(p) for p in kb.plans])
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


@plans_app.command("tasks")
def tasks_command(
    agency: Annotated[str | None, typer.Option("--agency", help="Agency name, alias or abbreviation.")] = None,
    plan: Annotated[str | None, typer.Option("--plan", help="Plan number, e.g. 435/KH-UBND.")] = None,
    role: Annotated[str, typer.Option("--role", help="With --agency: lead, coordinator or any.")] = "lead",
    as_json: JsonOption = False,
) -> None:
    """List tasks, optionally of one agency and/or one plan."""
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
        resolution = kb.registry.resolve(agency)
        if resolution is None:
            raise fail(f"Không nhận ra cơ quan “{agency}”. Xem danh sách bằng lệnh: taskbot agencies --all", 2)
        tasks = kb.tasks_of(resolution.agency, role=role_filter, plan=plan_number)
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
