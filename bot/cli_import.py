"""``taskbot import``: bring a plan document into the knowledge base and report what was noticed.

``--dry-run`` reads and compares without writing; ``--json`` prints the report (a contract that acceptance tests rely
on; keep its shape stable). A progress display (rich, on a terminal only) follows the steps: read, compare, save.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bot.cli_common import JsonOption, err, open_runtime, out, print_json
from knowledge.import_log import place_label
from knowledge.importer import ImportReport, commit_import, prepare_import, read_plan_file

__all__ = ["import_app"]

import_app = typer.Typer()


@import_app.command("import")
def import_command(
    file: Annotated[
        Path, typer.Argument(help="Tệp kế hoạch: văn bản hoặc Markdown (.md, .txt), Word (.docx) hoặc PDF có lớp chữ.")
    ],
    as_json: JsonOption = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Chỉ đọc và so sánh với bản đã lưu, không ghi gì.")
    ] = False,
    allow_missing_lead: Annotated[
        bool,
        typer.Option("--allow-missing-lead", help="Vẫn nhập khi có nhiệm vụ không ghi cơ quan chủ trì."),
    ] = False,
) -> None:
    """Nhập một kế hoạch (hoặc cập nhật tại chỗ khi số kế hoạch đã có); báo số nhiệm vụ mới, thay đổi, giữ nguyên."""
    show_progress = err.is_terminal and not as_json
    with (
        open_runtime() as runtime,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not show_progress,
        ) as progress,
    ):
        step = progress.add_task(f"Đọc {file.name}…", total=3)
        data = read_plan_file(file)
        progress.update(step, advance=1, description=f"Phân tích và so sánh {file.name}…")
        preview = prepare_import(
            data,
            name=file.name,
            registry=runtime.registry,
            repository=runtime.repository,
            allow_missing_lead=allow_missing_lead,
        )
        progress.update(step, advance=1, description="Ghi vào cơ sở dữ liệu…")
        report = (
            ImportReport(preview=preview, saved=None)
            if dry_run
            else commit_import(preview, repository=runtime.repository)
        )
        progress.update(step, advance=1)
    if as_json:
        print_json(report.as_json())
        return
    print_report(report)


def print_report(report: ImportReport) -> None:
    summary = report.as_json()
    if report.dry_run:
        action = "Chạy thử (chưa ghi gì): sẽ thêm" if summary["created"] else "Chạy thử (chưa ghi gì): sẽ cập nhật"
    else:
        action = "Đã thêm" if summary["created"] else "Đã cập nhật"
    out.print(
        f"{action} kế hoạch [bold]{escape(str(summary['plan']))}[/bold]: {escape(str(summary['title']))}",
        highlight=False,
    )
    out.print(
        f"{summary['tasks']} nhiệm vụ: {summary['tasks_new']} mới, {summary['tasks_changed']} thay đổi, "
        f"{summary['tasks_unchanged']} giữ nguyên, {summary['tasks_retired']} không còn trong văn bản; "
        f"{summary['agencies']} cơ quan.",
        highlight=False,
    )
    leads = report.preview.tasks_by_lead
    if leads:
        shown = ", ".join(f"{escape(name)} {count}" for name, count in leads[:8])
        more = f" và {len(leads) - 8} cơ quan khác" if len(leads) > 8 else ""
        out.print(f"Chủ trì: {shown}{more}.", highlight=False)
    if report.preview.unknown_agencies:
        names = ", ".join(f"“{escape(n)}”" for n in report.preview.unknown_agencies)
        out.print(f"[yellow]Chưa có trong danh mục cơ quan: {names}[/yellow]", highlight=False)
    for issue in report.issues:
        style = "yellow" if issue.level == "warning" else "dim"
        label = "Cảnh báo" if issue.level == "warning" else "Ghi chú"
        where = f" ({place_label(issue.where)})" if issue.where else ""
        out.print(f"[{style}]{label}{escape(where)}: {escape(issue.message)}[/{style}]", highlight=False)
