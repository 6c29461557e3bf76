"""``taskbot agencies``: the agency registry and who leads or coordinates tasks.

The ``--json`` output is a contract that acceptance tests rely on; keep its shape stable.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from bot.cli_common import JsonOption, open_runtime, out, print_json
from knowledge.base import KnowledgeBase
from knowledge.records import Agency

__all__ = ["agencies_app", "agency_json"]

agencies_app = typer.Typer()


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


@agencies_app.command("agencies")
def agencies_command(
    as_json: JsonOption = False,
    all_agencies: Annotated[
        bool, typer.Option("--all", help="Kể cả các cơ quan trong danh mục không có nhiệm vụ.")
    ] = False,
) -> None:
    """Liệt kê các cơ quan chủ trì hoặc phối hợp nhiệm vụ (với --all: mọi cơ quan trong danh mục)."""
    with open_runtime() as runtime:
        kb = runtime.knowledge()
    agencies = list(kb.registry) if all_agencies else kb.agencies_in_plans()
    if as_json:
        print_json([agency_json(a, kb) for a in agencies])
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
