"""``taskbot import``: bring a plan document into the knowledge base and report what was noticed.

The ``--json`` report is a contract that acceptance tests rely on; keep its shape stable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli_common import JsonOption, open_runtime, out, print_json
from knowledge.importer import import_plan_file

__all__ = ["import_app"]

import_app = typer.Typer()


@import_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="Tệp kế hoạch: văn bản hoặc Markdown (.md, .txt), hoặc Word (.docx).")],
    as_json: JsonOption = False,
) -> None:
    """Nhập một kế hoạch (hoặc cập nhật tại chỗ khi số kế hoạch đã có)."""
    with open_runtime() as runtime:
        report = import_plan_file(file, registry=runtime.registry, repository=runtime.repository)
    summary = report.as_json()
    if as_json:
        print_json(summary)
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
