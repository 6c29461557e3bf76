"""``taskbot reminders …`` and ``taskbot reports …``: what is due, sending it through the outbox, progress reports.

The JSON shapes are contracts used by acceptance tests; keep them stable.
"""

from __future__ import annotations

import asyncio
import getpass
from collections import Counter
from datetime import datetime, time
from typing import Annotated, Any

import typer

from bot.cli_common import JsonOption, fail, open_runtime, out, parse_day, print_json, resolve_agency
from bot.runtime import Runtime
from knowledge.errors import ConfigError
from knowledge.text import fold
from scheduler.records import CATEGORY_LABELS, Reminder, ReportStatus
from scheduler.storage import OutboxRepository

__all__ = ["reminders_app", "reports_app"]

reminders_app = typer.Typer(help="Nhắc hạn: việc đến hạn, và gửi nhắc việc.", no_args_is_help=True)
reports_app = typer.Typer(help="Báo cáo tiến độ nhiệm vụ.", no_args_is_help=True)


def reminder_json(reminder: Reminder) -> dict[str, Any]:
    return {
        "contact": {"chat_id": reminder.chat_id, "channel": reminder.channel, "agency": reminder.agency},
        "task": {"plan": reminder.plan, "id": reminder.task} if reminder.task else None,
        "occurrence": reminder.occurrence.isoformat(),
        "kind": reminder.kind,
        "offset_days": reminder.offset_days,
    }


@reminders_app.command("due")
def due_command(
    as_of: Annotated[str, typer.Option("--as-of", help="Ngày (YYYY-MM-DD hoặc DD/MM/YYYY); nhắc việc gửi lúc 08:00.")],
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    """Những nhắc việc sẽ gửi lúc 08:00 ngày đó, không gửi thật."""
    from bot.services import Services

    day = parse_day(as_of)
    with open_runtime() as runtime:
        services = Services(runtime)
        reminders = services.reminders.due_on(day)
    reminders.sort(key=lambda r: (r.kind == "digest", r.occurrence, r.plan or "", r.task or "", r.chat_id))
    if as_json:
        print_json([reminder_json(r) for r in reminders])
        return
    if not reminders:
        out.print(f"Không có nhắc việc nào vào 08:00 ngày {day:%d/%m/%Y}.")
        return
    for r in reminders:
        what = f"{r.task} (hạn {r.occurrence:%d/%m/%Y})" if r.task else "tổng hợp tuần"
        out.print(f"{r.channel}:{r.chat_id} [{r.agency or '-'}] {r.kind} {r.offset_days:+d}: {what}", highlight=False)


@reminders_app.command("send")
def send_command(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Gửi như lúc 08:00 ngày đó (YYYY-MM-DD hoặc DD/MM/YYYY); mặc định: bây giờ."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Gửi nhắc việc đến hạn qua kênh của từng liên hệ, qua hàng đợi (chạy lại lần nữa không gửi trùng)."""

    with open_runtime() as runtime:
        report, channels = asyncio.run(_send(runtime, as_of))
        waiting = Counter(
            e.reminder.channel
            for e in OutboxRepository(runtime.db).entries(state="pending")
            if e.reminder.channel not in channels
        )
    summary = {
        "enqueued": report.enqueued,
        "claimed": report.claimed,
        "messages": report.messages,
        "sent": report.sent,
        "retried": report.retried,
        "skipped": report.skipped,
        "failed": report.failed,
        "errors": report.errors[:10],
        "waiting_without_token": dict(waiting),
    }
    if as_json:
        print_json(summary)
    else:
        out.print(
            f"Nhắc việc: {report.enqueued} mới, {report.sent} đã gửi ({report.messages} tin nhắn), "
            f"{report.retried} sẽ gửi lại sau, {report.skipped} bỏ qua, {report.failed} thất bại.",
            highlight=False,
        )
    if waiting:
        missing = "; ".join(
            f"{count} nhắc việc qua {_CHANNEL_LABELS[channel]} chưa gửi được vì chưa đặt {_TOKEN_VARIABLES[channel]}"
            for channel, count in sorted(waiting.items())
        )
        raise fail(f"{missing}.", 1)


_CHANNEL_LABELS = {"telegram": "Telegram", "zalo": "Zalo"}
_TOKEN_VARIABLES = {"telegram": "TELEGRAM_BOT_TOKEN", "zalo": "ZALO_BOT_TOKEN"}


async def _send(runtime: Runtime, as_of: str | None) -> tuple[Any, frozenset[str]]:
    from bot.senders import open_senders
    from bot.services import Services

    settings = runtime.settings
    services = Services(runtime)
    now = (
        datetime.combine(parse_day(as_of), time(8, 0), tzinfo=settings.timezone)
        if as_of
        else datetime.now(tz=settings.timezone)
    )
    async with open_senders(settings) as senders:
        return await services.reminders.sweep(now, senders), frozenset(senders)


def _status(text: str) -> ReportStatus:
    key = fold(text)
    if key in ("done", "xong", "hoan thanh", "da xong", "da hoan thanh", "ht"):
        return "done"
    if key in ("in progress", "in_progress", "dang", "dang thuc hien", "dang lam", "tien do", "chua xong"):
        return "in_progress"
    raise ConfigError(
        f"unknown status {text!r}",
        user_message=f"Trạng thái “{text}” không hợp lệ; dùng: done (xong) hoặc in_progress (đang thực hiện).",
    )


@reports_app.command("add")
def add_report(
    agency: Annotated[str, typer.Option("--agency", help="Cơ quan báo cáo.")],
    task: Annotated[str, typer.Option("--task", help="Mã nhiệm vụ, ví dụ XV.6.")],
    status: Annotated[str, typer.Option("--status", help="done | in_progress (xong | đang).")],
    report_date: Annotated[
        str | None, typer.Option("--date", help="Ngày báo cáo (YYYY-MM-DD hoặc DD/MM/YYYY), mặc định hôm nay.")
    ] = None,
    plan: Annotated[
        str | None, typer.Option("--plan", help="Số kế hoạch, khi nhiều kế hoạch có cùng mã nhiệm vụ.")
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Ghi chú tự do.")] = "",
    occurrence: Annotated[
        str | None, typer.Option("--occurrence", help="Hạn được báo cáo (YYYY-MM-DD hoặc DD/MM/YYYY).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    """Ghi nhận báo cáo tiến độ; báo cáo hoàn thành của cơ quan chủ trì dừng nhắc việc cho lần hạn đó."""
    from bot.progress_desk import report_occurrence
    from scheduler.report_storage import ReportRepository

    parsed_status = _status(status)
    with open_runtime() as runtime:
        kb = runtime.knowledge()
        plan_number = None
        if plan:
            found_plan = kb.plan(plan)
            if found_plan is None:
                raise fail(f"Không có kế hoạch số “{plan}”.", 2)
            plan_number = found_plan.number
        found = kb.task(task.strip(), plan_number)
        if found is None:
            raise fail(f"Không có nhiệm vụ mã “{task}”.", 2)
        name = resolve_agency(kb.registry, agency).name
        tz = runtime.settings.timezone
        day = parse_day(report_date) if report_date else datetime.now(tz=tz).date()
        if not kb.reports_for(name, found, today=day):  # the bot's rule: the lead, its members or its successor
            lead = ", ".join(found.lead) or "chưa có cơ quan chủ trì"
            raise fail(f"Nhiệm vụ {found.code} do {lead} chủ trì; {name} không báo cáo nhiệm vụ này.", 1)
        repository = ReportRepository(runtime.db)
        done = repository.done_occurrences()
        due = (
            parse_day(occurrence)
            if occurrence
            else report_occurrence(found, day, lambda t, d: done.done_for(t.plan_number, t.code, d, (*t.lead, name)))
        )
        dues = [d.due for d in found.schedule.deadlines]
        if occurrence and dues and due not in dues:
            listed = ", ".join(f"{d:%d/%m/%Y}" for d in dues[:12])
            raise fail(f"Nhiệm vụ {found.code} không có hạn {due:%d/%m/%Y}; các hạn của nhiệm vụ: {listed}.", 1)
        report = repository.add(
            plan=found.plan_number,
            task=found.code,
            agency=name,
            occurrence=due,
            status=parsed_status,
            reported_on=day,
            note=note,
            reported_by=f"cli:{_login()}",
            now=datetime.now(tz=tz),
        )
    result = _report_json(report)
    if as_json:
        print_json(result)
    else:
        out.print(
            f"Đã ghi nhận: {found.code} (hạn {due:%d/%m/%Y}) — {result['category_label']}",
            highlight=False,
        )


@reports_app.command("list")
def list_reports(
    agency: Annotated[str | None, typer.Option("--agency", help="Chỉ cơ quan này.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    """Danh sách báo cáo tiến độ, mới nhất trước."""
    from scheduler.report_storage import ReportRepository

    with open_runtime() as runtime:
        name = None
        if agency:
            name = resolve_agency(runtime.registry, agency).name
        reports = ReportRepository(runtime.db).list_reports(agency=name)
    rows = [_report_json(r) for r in reports]
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print("Chưa có báo cáo nào.")
    for row in rows:
        out.print(
            f"{row['reported_on']} {row['agency']}: {row['task']} (hạn {row['occurrence']}) — {row['category_label']}"
            + (f" — {row['note']}" if row["note"] else ""),
            highlight=False,
        )


def _report_json(report: Any) -> dict[str, Any]:
    return {
        "plan": report.plan,
        "task": report.task,
        "agency": report.agency,
        "occurrence": report.occurrence.isoformat(),
        "status": report.status,
        "category": report.category,
        "category_label": CATEGORY_LABELS[report.category],
        "reported_on": report.reported_on.isoformat(),
        "note": report.note,
        "reported_by": report.reported_by,
    }


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"
