"""``taskbot export``: the coordinator's files — task sheet (xlsx, csv), deadline calendar (ics), report (docx)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli_common import fail, moment, open_runtime, out, resolve_agency
from knowledge.plan_admin import find_plan_number
from scheduler.exports import EXPORT_FORMATS, build_export
from scheduler.report_storage import ReportRepository

__all__ = ["export_app"]

export_app = typer.Typer()


@export_app.command("export")
def export_command(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="xlsx (Excel), csv, ics (lịch hạn) hoặc docx (dự thảo báo cáo).")
    ] = "xlsx",
    plan: Annotated[str | None, typer.Option("--plan", help="Chỉ một kế hoạch (số, ví dụ 435).")] = None,
    agency: Annotated[str | None, typer.Option("--agency", help="Chỉ nhiệm vụ do cơ quan này chủ trì.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Tình hình tính đến ngày (YYYY-MM-DD hoặc DD/MM/YYYY).")
    ] = None,
    all_plans: Annotated[
        bool, typer.Option("--all", help="Mọi kế hoạch (kể cả đã kết thúc), không chỉ kế hoạch đang thực hiện.")
    ] = False,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Tệp ghi ra (mặc định: tên tự đặt, thư mục hiện tại).")
    ] = None,
) -> None:
    """Xuất tình hình thực hiện: bảng nhiệm vụ (Excel/CSV), lịch hạn (ics) hoặc dự thảo báo cáo (Word)."""
    if fmt not in EXPORT_FORMATS:
        raise fail(f"Định dạng “{fmt}” không hỗ trợ; chọn một trong: {', '.join(EXPORT_FORMATS)}.", 2)
    with open_runtime() as runtime:
        today = moment(as_of, runtime.settings).date()
        kb = runtime.knowledge()
        number = find_plan_number(plan, [p.number for p in kb.plans]) if plan else None
        chosen = None
        if agency is not None:
            chosen = resolve_agency(kb.registry, agency)
        reports = ReportRepository(runtime.db).list_reports()
        exported = build_export(kb, reports, fmt=fmt, today=today, plan=number, agency=chosen, all_plans=all_plans)
    target = out_file or Path(exported.name)
    try:
        target.write_bytes(exported.data)
    except OSError as exc:
        raise fail(f"Không ghi được tệp {target}: {exc.strerror or exc}.", 1) from exc
    out.print(f"Đã ghi {target} ({exported.tasks} nhiệm vụ, {len(exported.data):,} byte).", highlight=False)
