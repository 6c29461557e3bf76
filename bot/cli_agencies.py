"""``taskbot agencies``: the agency registry, who leads or coordinates tasks, and each body's history.

- ``taskbot agencies [--all] [--as-of DATE] [--json]``: the bodies with tasks (``--all``: every body in the registry;
  ``--as-of``: the bodies in existence that day, e.g. 2026-12-01 lists no UBND huyện).
- ``taskbot agencies history NAME [--json]``: the changes that made the body and that ended it (succession), with
  their days, acts and sources.

The ``--json`` outputs are contracts that acceptance tests rely on; keep their shapes stable.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli_common import JsonOption, fail, open_runtime, out, parse_day, print_json, resolve_agency
from knowledge.base import KnowledgeBase
from knowledge.errors import ConfigError
from knowledge.records import Agency
from knowledge.reply import fmt_date
from knowledge.succession import Succession

__all__ = ["agencies_app", "agency_json", "succession_json"]

agencies_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    help="Cơ quan: danh mục, ai chủ trì hoặc phối hợp nhiệm vụ, lịch sử hợp nhất, đổi tên.",
)

_KIND_VERB = {
    "merge": "hợp nhất",
    "rename": "đổi tên",
    "dissolution": "giải thể / chuyển giao",
    "split": "tách chức năng",
}


def agency_json(agency: Agency, kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "name": agency.name,
        "kind": agency.kind,
        "short": agency.short,
        "aliases": list(agency.aliases),
        "members": list(agency.members),
        "established": agency.established.isoformat() if agency.established else None,
        "ended": agency.ended.isoformat() if agency.ended else None,
        "lead_tasks": kb.lead_count(agency.name),
        "coordinated_tasks": kb.coordinator_count(agency.name),
    }


def succession_json(edge: Succession) -> dict[str, Any]:
    return {
        "predecessors": list(edge.predecessors),
        "successor": edge.successor,
        "kind": edge.kind,
        "effective": edge.effective.isoformat() if edge.effective else None,
        "act": edge.act,
        "url": edge.url,
        "confirmed": edge.confirmed,
        "note": edge.note,
    }


@agencies_app.callback()
def agencies_command(
    ctx: typer.Context,
    as_json: JsonOption = False,
    all_agencies: Annotated[
        bool, typer.Option("--all", help="Kể cả các cơ quan trong danh mục không có nhiệm vụ.")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Chỉ các cơ quan đang tồn tại vào ngày này (YYYY-MM-DD hoặc DD/MM/YYYY)."),
    ] = None,
) -> None:
    """Liệt kê các cơ quan chủ trì hoặc phối hợp nhiệm vụ (--all: mọi cơ quan trong danh mục; --as-of: các cơ quan
    tồn tại vào ngày đó)."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        day = parse_day(as_of) if as_of is not None else None
    except ConfigError as exc:
        raise fail(exc.user_message or str(exc), 2) from exc
    with open_runtime() as runtime:
        kb = runtime.knowledge()
    agencies = list(kb.registry) if all_agencies or day is not None else kb.agencies_in_plans()
    if day is not None:
        agencies = [a for a in agencies if a.exists_on(day)]
    if as_json:
        print_json([agency_json(a, kb) for a in agencies])
        return
    title = f"Cơ quan tồn tại ngày {fmt_date(day)}" if day is not None else "Cơ quan"
    table = Table("Cơ quan", "Loại", "Chủ trì", "Phối hợp", "Viết tắt", title=title)
    for agency in agencies:
        table.add_row(
            escape(agency.name),
            agency.kind,
            str(kb.lead_count(agency.name)),
            str(kb.coordinator_count(agency.name)),
            escape(", ".join(agency.aliases[:4])),
        )
    out.print(table)


@agencies_app.command("history")
def history_command(
    name: Annotated[str, typer.Argument(help="Tên cơ quan, tên khác hoặc viết tắt.")],
    as_json: JsonOption = False,
) -> None:
    """Lịch sử một cơ quan: được hình thành từ cơ quan nào, đã hợp nhất, đổi tên vào đâu (ngày, văn bản, nguồn)."""
    with open_runtime() as runtime:
        registry = runtime.registry
    agency = resolve_agency(registry, name)
    lineage = registry.succession.lineage(agency.name)
    if as_json:
        print_json(
            {
                "name": agency.name,
                "established": agency.established.isoformat() if agency.established else None,
                "ended": agency.ended.isoformat() if agency.ended else None,
                "source": agency.source,
                "origins": [succession_json(e) for e in lineage.origins],
                "outcomes": [succession_json(e) for e in lineage.outcomes],
            }
        )
        return
    out.print(f"[bold]{escape(agency.name)}[/bold]")
    if agency.established:
        out.print(f"Thành lập: {fmt_date(agency.established)}")
    if agency.ended:
        out.print(f"Kết thúc: {fmt_date(agency.ended)}")
    if not lineage.origins and not lineage.outcomes:
        out.print("Danh mục không ghi nhận thay đổi nào (hợp nhất, đổi tên, giải thể) của cơ quan này.")
        return
    for heading, edges in (("Hình thành từ", lineage.origins), ("Chuyển thành", lineage.outcomes)):
        if not edges:
            continue
        out.print(f"\n[bold]{heading}[/bold]")
        for edge in edges:
            other = ", ".join(edge.predecessors) if heading == "Hình thành từ" else edge.successor
            when = fmt_date(edge.effective) if edge.effective else "chưa rõ ngày"
            out.print(f"• {escape(other)} — {_KIND_VERB[edge.kind]}, {when}")
            if edge.act:
                out.print(
                    f"  Văn bản: {escape(edge.act)}"
                    + ("" if edge.confirmed else " (chưa đối chiếu văn bản của thành phố)")
                )
            if edge.note:
                out.print(f"  Ghi chú: {escape(edge.note)}")
            if edge.url:
                out.print(f"  Nguồn: {escape(edge.url)}")
