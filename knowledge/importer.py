"""Import plans into the knowledge base: parse (pure) then save (one transaction), and report what was noticed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from knowledge.agencies import AgencyRegistry
from knowledge.errors import NotFoundError, PlanFormatError, StorageError
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ImportIssue, ParsedPlan
from knowledge.storage.repository import KnowledgeRepository, SaveResult

__all__ = ["BUNDLED_PLAN", "ImportReport", "bundled_plan", "ensure_seeded", "import_plan_bytes", "import_plan_file"]

log = logging.getLogger(__name__)

BUNDLED_PLAN = "kh-435-ubnd-2018-hai-phong.md"
MAX_PLAN_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportReport:
    """The summary an admin sees after an import."""

    parsed: ParsedPlan
    saved: SaveResult

    @property
    def issues(self) -> tuple[ImportIssue, ...]:
        return self.parsed.issues

    def as_json(self) -> dict[str, object]:
        plan = self.parsed.plan
        return {
            "plan": plan.number,
            "title": plan.title,
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "period": str(plan.period) if plan.period else None,
            "created": self.saved.created,
            "tasks": len(plan.tasks),
            "tasks_added": self.saved.tasks_added,
            "tasks_updated": self.saved.tasks_updated,
            "tasks_retired": self.saved.tasks_retired,
            "agencies": len(self.parsed.agencies),
            "warnings": [_issue_json(i) for i in self.parsed.issues if i.level == "warning"],
            "notes": [_issue_json(i) for i in self.parsed.issues if i.level == "note"],
        }


def _issue_json(issue: ImportIssue) -> dict[str, str]:
    return {"code": issue.code, "message": issue.message, "where": issue.where}


def import_plan_bytes(
    data: bytes, *, name: str, registry: AgencyRegistry, repository: KnowledgeRepository
) -> ImportReport:
    """Parse and store a plan. A malformed file raises :class:`PlanFormatError` and changes nothing."""
    if len(data) > MAX_PLAN_BYTES:
        raise PlanFormatError(f"file is larger than {MAX_PLAN_BYTES // (1024 * 1024)} MiB", source=name)
    parsed = parse_plan_source(data, name=name, registry=registry)
    saved = repository.save_plan(parsed)
    return ImportReport(parsed=parsed, saved=saved)


def import_plan_file(path: Path, *, registry: AgencyRegistry, repository: KnowledgeRepository) -> ImportReport:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFoundError(f"no file {path}", user_message=f"Không tìm thấy tệp {path}.") from exc
    except IsADirectoryError as exc:
        raise NotFoundError(
            f"{path} is a folder", user_message=f"{path} là một thư mục, không phải tệp kế hoạch: hãy chỉ ra một tệp."
        ) from exc
    except OSError as exc:
        raise StorageError(
            f"cannot read {path}: {exc.strerror or exc}",
            user_message=f"Không đọc được tệp {path}: {exc.strerror or exc}.",
        ) from exc
    return import_plan_bytes(data, name=path.name, registry=registry, repository=repository)


def bundled_plan() -> bytes:
    """The plan shipped with the package: Hải Phòng's 435/KH-UBND (2018)."""
    return resources.files("knowledge").joinpath(f"data/plans/{BUNDLED_PLAN}").read_bytes()


def ensure_seeded(*, registry: AgencyRegistry, repository: KnowledgeRepository) -> ImportReport | None:
    """Sync the agency registry and import the bundled plan into a fresh knowledge base (no plan, none removed)."""
    repository.sync_agencies(registry)
    if repository.plan_count() > 0:
        return None
    parsed = parse_plan_source(bundled_plan(), name=BUNDLED_PLAN, registry=registry)
    saved = repository.save_plan_if_empty(parsed)  # another instance may have seeded since the count
    if saved is None:
        return None
    log.info("knowledge base was empty: imported the bundled plan %s", parsed.plan.number)
    return ImportReport(parsed=parsed, saved=saved)
