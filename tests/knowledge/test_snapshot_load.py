"""The snapshot is read as plain rows (issue #15): loading it creates no ORM entity, and gives the same plans as the
documents they were imported from."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from knowledge.agencies import AgencyRegistry
from knowledge.importer import import_plan_bytes
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan
from knowledge.storage.database import Database
from knowledge.storage.models import Base
from knowledge.storage.repository import KnowledgeRepository

PLANS = Path(__file__).parent / "data" / "plans"


@pytest.fixture
def repository(db: Database) -> KnowledgeRepository:
    return KnowledgeRepository(db)


@pytest.fixture
def orm_loads() -> Iterator[list[object]]:
    loaded: list[object] = []

    def on_load(target: object, _context: object) -> None:
        loaded.append(target)

    event.listen(Base, "load", on_load, propagate=True)
    try:
        yield loaded
    finally:
        event.remove(Base, "load", on_load)


def test_loading_the_snapshot_creates_no_orm_entity(
    repository: KnowledgeRepository, registry: AgencyRegistry, seed_plan: ParsedPlan, orm_loads: list[object]
) -> None:
    repository.sync_agencies(registry)
    repository.save_plan(seed_plan)
    for name in ("kh-2026-htx-topic-table.md", "kh-2026-lang-nghe-merged.docx"):
        import_plan_bytes((PLANS / name).read_bytes(), name=name, registry=registry, repository=repository)
    orm_loads.clear()
    plans = repository.load_plans()
    assert orm_loads == []  # plain rows only
    by_number = {p.number: p for p in plans}
    assert by_number["435/KH-UBND"] == seed_plan.plan
    for name in ("kh-2026-htx-topic-table.md", "kh-2026-lang-nghe-merged.docx"):
        parsed = parse_plan_source((PLANS / name).read_bytes(), name=name, registry=registry).plan
        assert by_number[parsed.number] == parsed
