"""What an import changes: new, changed, unchanged and retired tasks; the preview; dry runs; tasks without a lead."""

from __future__ import annotations

from dataclasses import replace

import pytest

from knowledge.agencies import AgencyRegistry
from knowledge.errors import PlanFormatError
from knowledge.importer import BUNDLED_PLAN, bundled_plan, import_plan_bytes
from knowledge.plan_changes import compare_plans, preview_import
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan
from knowledge.storage.database import Database
from knowledge.storage.repository import KnowledgeRepository

NO_LEAD = """Số: 77/KH-UBND
Hải Phòng, ngày 1 tháng 3 năm 2026
## KẾ HOẠCH
Thí điểm số hóa
| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian |
|---|---|---|---|
| I | **Số hóa** | | |
| 1 | Số hóa hồ sơ | | Năm 2026 |
| 2 | Lưu trữ điện tử | Sở Tài chính | Năm 2026 |
| 3 | Kết nối dữ liệu | Trung tâm Dữ liệu Hải Phòng | Năm 2026 |
"""


@pytest.fixture
def repository(db: Database) -> KnowledgeRepository:
    return KnowledgeRepository(db)


def test_the_same_plan_is_unchanged_task_by_task(seed_plan: ParsedPlan) -> None:
    changes = compare_plans(seed_plan.plan, seed_plan.plan)
    assert (len(changes.new), len(changes.changed), len(changes.unchanged), len(changes.retired)) == (0, 0, 43, 0)
    assert compare_plans(seed_plan.plan, None).new == tuple(t.code for t in seed_plan.plan.tasks)


def test_edits_additions_and_removals_are_told_apart(seed_plan: ParsedPlan) -> None:
    tasks = list(seed_plan.plan.tasks)
    edited = replace(tasks[0], content=tasks[0].content + " (sửa)")
    moved = replace(tasks[1], position=99)  # a position alone is no change
    new = replace(tasks[2], code="XVIII.1")
    plan = replace(seed_plan.plan, tasks=(edited, moved, new, *tasks[3:-1]))
    changes = compare_plans(plan, seed_plan.plan)
    assert changes.changed == (tasks[0].code,)
    assert changes.new == ("XVIII.1",)
    assert set(changes.retired) == {tasks[2].code, tasks[-1].code}
    assert tasks[1].code in changes.unchanged and len(changes.unchanged) == 40


def test_preview_counts_tasks_by_lead_and_names_unknown_agencies(registry: AgencyRegistry) -> None:
    parsed = parse_plan_source(NO_LEAD.encode(), name="77.md", registry=registry)
    preview = preview_import(parsed, None)
    assert dict(preview.tasks_by_lead) == {"Sở Tài chính": 1, "Trung tâm Dữ liệu Hải Phòng": 1}
    assert preview.unknown_agencies == ("Trung tâm Dữ liệu Hải Phòng",)
    assert [i.where for i in preview.without_lead] == ["line 8"]


def test_a_dry_run_writes_nothing_and_a_reimport_counts_unchanged(
    repository: KnowledgeRepository, registry: AgencyRegistry
) -> None:
    repository.sync_agencies(registry)
    dry = import_plan_bytes(bundled_plan(), name=BUNDLED_PLAN, registry=registry, repository=repository, dry_run=True)
    assert dry.dry_run and dry.as_json()["tasks_new"] == 43 and repository.plan_count() == 0
    first = import_plan_bytes(bundled_plan(), name=BUNDLED_PLAN, registry=registry, repository=repository)
    assert first.as_json()["created"] is True and repository.plan_count() == 1
    again = import_plan_bytes(bundled_plan(), name=BUNDLED_PLAN, registry=registry, repository=repository).as_json()
    assert (again["created"], again["tasks_new"], again["tasks_changed"], again["tasks_unchanged"]) == (False, 0, 0, 43)


def test_a_task_without_lead_is_refused_unless_allowed(
    repository: KnowledgeRepository, registry: AgencyRegistry
) -> None:
    repository.sync_agencies(registry)
    with pytest.raises(PlanFormatError) as refused:
        import_plan_bytes(NO_LEAD.encode(), name="77.md", registry=registry, repository=repository)
    assert "nhiệm vụ I.1 không có cơ quan chủ trì (dòng 8)" in refused.value.user_message
    assert "--allow-missing-lead" in refused.value.user_message and repository.plan_count() == 0
    report = import_plan_bytes(
        NO_LEAD.encode(), name="77.md", registry=registry, repository=repository, allow_missing_lead=True
    )
    assert report.saved is not None and repository.plan_count() == 1
