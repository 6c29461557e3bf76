"""The repository on real databases: SQLite files and (with TEST_DATABASE_URL) PostgreSQL schemas."""

from __future__ import annotations

import importlib
import pkgutil
import threading
from dataclasses import replace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

import knowledge.storage
from knowledge.agencies import AgencyRegistry
from knowledge.errors import PlanFormatError
from knowledge.importer import BUNDLED_PLAN, bundled_plan, ensure_seeded, import_plan_bytes
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan
from knowledge.storage.database import Database
from knowledge.storage.models import AgencyRow, Base, DeadlineRow, PlanRow, TaskRow
from knowledge.storage.repository import KnowledgeRepository

KNOWLEDGE_TABLES = {"plans", "agencies", "tasks", "task_agencies", "deadlines", "objectives", "duties"}


@pytest.fixture
def repository(db: Database) -> KnowledgeRepository:
    return KnowledgeRepository(db)


def task_ids(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {code: id_ for code, id_ in session.execute(select(TaskRow.code, TaskRow.id))}


def modified_seed(registry: AgencyRegistry) -> ParsedPlan:
    """The seed plan with task XV.8 removed and the content of XV.5 changed."""
    original = bundled_plan().decode("utf-8")
    removed = next(line for line in original.splitlines() if line.startswith("8\tTổ chức thực hiện cho các cán bộ"))
    changed = original.replace(removed + "\n", "").replace(
        "Tổ chức thực hiện tuyên truyền về phát triển kinh tế tập thể.",
        "Tổ chức tuyên truyền về phát triển kinh tế tập thể trên báo, đài.",
    )
    assert changed != original
    return parse_plan_source(changed.encode(), name=BUNDLED_PLAN, registry=registry)


# -- migrations ----------------------------------------------------------------------------------------------------


def test_migrate_twice_is_idempotent(db: Database) -> None:
    db.migrate()
    db.migrate()
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert KNOWLEDGE_TABLES <= tables
    assert len(versions) == 1


def test_schema_matches_the_models(db: Database) -> None:
    """Migrations can never drift from the models: autogenerate finds nothing to change."""
    for module in pkgutil.iter_modules(knowledge.storage.__path__):
        importlib.import_module(f"knowledge.storage.{module.name}")  # every module that declares tables
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


# -- saving and loading --------------------------------------------------------------------------------------------


def test_save_and_load_the_seed_plan(repository: KnowledgeRepository, seed_plan: ParsedPlan) -> None:
    result = repository.save_plan(seed_plan)
    assert (result.created, result.tasks_added, result.tasks_updated, result.tasks_retired) == (True, 43, 0, 0)
    [loaded] = repository.load_plans()
    expected = seed_plan.plan
    assert len(loaded.tasks) == 43
    for stored, parsed in zip(loaded.tasks, expected.tasks, strict=True):
        assert stored == parsed, parsed.code
    assert loaded.objectives == expected.objectives
    assert loaded.duties == expected.duties
    assert loaded.reporting_date == expected.reporting_date
    assert loaded.city_reporting_date == expected.city_reporting_date
    assert loaded == expected
    assert repository.plan_count() == 1


def test_agencies_are_stored_with_their_kind(repository: KnowledgeRepository, seed_plan: ParsedPlan) -> None:
    repository.save_plan(seed_plan)
    stored = {a.name: a for a in repository.load_agencies()}
    for agency in seed_plan.agencies:
        # Dates and succession are registry data (knowledge/data/agencies.toml), not stored with plans.
        assert stored[agency.name] == replace(agency, established=None, ended=None, source="")


def test_reimport_of_the_same_plan_keeps_rows(
    db: Database, repository: KnowledgeRepository, seed_plan: ParsedPlan
) -> None:
    repository.save_plan(seed_plan)
    ids = task_ids(db)
    with db.session() as session:
        deadlines = session.scalar(select(func.count()).select_from(DeadlineRow))
    result = repository.save_plan(seed_plan)
    assert (result.created, result.tasks_added, result.tasks_updated, result.tasks_retired) == (False, 0, 43, 0)
    assert task_ids(db) == ids
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(PlanRow)) == 1
        assert session.scalar(select(func.count()).select_from(TaskRow)) == 43
        assert session.scalar(select(func.count()).select_from(DeadlineRow)) == deadlines
        names = session.scalars(select(AgencyRow.name)).all()
    assert len(names) == len(set(names))
    assert repository.load_plans() == [seed_plan.plan]


def test_reimport_of_a_modified_plan_retires_and_updates(
    db: Database, repository: KnowledgeRepository, seed_plan: ParsedPlan, registry: AgencyRegistry
) -> None:
    repository.save_plan(seed_plan)
    ids = task_ids(db)
    modified = modified_seed(registry)
    result = repository.save_plan(modified)
    assert (result.created, result.tasks_added, result.tasks_updated, result.tasks_retired) == (False, 0, 42, 1)
    with db.session() as session:
        retired = session.execute(select(TaskRow.id, TaskRow.active).where(TaskRow.code == "XV.8")).one()
    assert retired == (ids["XV.8"], False)  # kept (reminders and history may refer to it), but inactive
    assert task_ids(db) == ids
    [loaded] = repository.load_plans()
    codes = [t.code for t in loaded.tasks]
    assert "XV.8" not in codes and len(codes) == 42
    changed = next(t for t in loaded.tasks if t.code == "XV.5")
    assert changed.content == "Tổ chức tuyên truyền về phát triển kinh tế tập thể trên báo, đài."
    assert loaded == modified.plan
    # the task comes back to life, under the same row id, when a later version prints it again
    result = repository.save_plan(seed_plan)
    assert result.tasks_updated == 43 and result.tasks_retired == 0
    assert task_ids(db) == ids
    assert repository.load_plans() == [seed_plan.plan]


def test_malformed_import_changes_nothing(
    repository: KnowledgeRepository, seed_plan: ParsedPlan, registry: AgencyRegistry
) -> None:
    repository.save_plan(seed_plan)
    before = repository.load_plans()
    agencies = repository.load_agencies()
    broken = bundled_plan().decode("utf-8").replace("\n1\tCân đối, đề xuất", "\nx)\tCân đối, đề xuất").encode()
    with pytest.raises(PlanFormatError, match="unrecognised STT 'x\\)'"):
        import_plan_bytes(broken, name=BUNDLED_PLAN, registry=registry, repository=repository)
    with pytest.raises(PlanFormatError, match="kind binary"):
        import_plan_bytes(b"\xff\xfe\x00garbage", name="kh.md", registry=registry, repository=repository)
    assert repository.plan_count() == 1
    assert repository.load_plans() == before
    assert repository.load_agencies() == agencies


def test_import_report_summary(repository: KnowledgeRepository, registry: AgencyRegistry) -> None:
    report = import_plan_bytes(bundled_plan(), name=BUNDLED_PLAN, registry=registry, repository=repository)
    summary = report.as_json()
    assert summary["plan"] == "435/KH-UBND" and summary["tasks"] == 43 and summary["created"] is True
    assert summary["warnings"] == []
    notes = summary["notes"]
    assert isinstance(notes, list)
    assert {n["code"] for n in notes} >= {"typo-corrected", "numbering-gap", "row-continued"}


# -- seeding -------------------------------------------------------------------------------------------------------


def test_ensure_seeded_imports_the_bundled_plan_only_when_empty(
    repository: KnowledgeRepository, registry: AgencyRegistry
) -> None:
    first = ensure_seeded(registry=registry, repository=repository)
    assert first is not None and first.parsed.plan.number == "435/KH-UBND"
    assert ensure_seeded(registry=registry, repository=repository) is None
    assert repository.plan_count() == 1
    assert {a.name for a in registry} <= {a.name for a in repository.load_agencies()}


def test_ensure_seeded_leaves_an_existing_knowledge_base_alone(
    repository: KnowledgeRepository, registry: AgencyRegistry, seed_plan: ParsedPlan
) -> None:
    other = replace(seed_plan, plan=replace(seed_plan.plan, number="99/KH-UBND"))
    repository.save_plan(other)
    assert ensure_seeded(registry=registry, repository=repository) is None
    assert [p.number for p in repository.load_plans()] == ["99/KH-UBND"]


@pytest.mark.postgres
def test_concurrent_seeding_on_postgresql_imports_once(postgres_url: str, registry: AgencyRegistry) -> None:
    setup = Database(postgres_url)
    setup.migrate()
    setup.dispose()
    barrier = threading.Barrier(2)
    reports: list[object] = []
    errors: list[BaseException] = []

    def start_instance() -> None:
        db = Database(postgres_url)  # each thread is one instance with its own engine
        try:
            barrier.wait()
            reports.append(ensure_seeded(registry=registry, repository=KnowledgeRepository(db)))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=start_instance) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(reports) == 2
    assert sum(r is not None for r in reports) == 1
    check = Database(postgres_url)
    try:
        repository = KnowledgeRepository(check)
        assert repository.plan_count() == 1
        [plan] = repository.load_plans()
        assert len(plan.tasks) == 43
    finally:
        check.dispose()
