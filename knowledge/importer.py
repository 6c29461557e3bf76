"""Import plans into the knowledge base: parse (pure) then save (one transaction), and report what was noticed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from knowledge.agencies import AgencyRegistry
from knowledge.errors import NotFoundError, PlanFormatError, StorageError
from knowledge.import_log import place_label
from knowledge.plan_changes import ImportPreview, preview_import
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ImportIssue, ParsedPlan
from knowledge.storage.repository import KnowledgeRepository, SaveResult

__all__ = [
    "BUNDLED_PLAN",
    "ImportReport",
    "bundled_plan",
    "commit_import",
    "ensure_seeded",
    "import_plan_bytes",
    "import_plan_file",
    "prepare_import",
    "read_plan_file",
]

log = logging.getLogger(__name__)

BUNDLED_PLAN = "kh-435-ubnd-2018-hai-phong.md"
MAX_PLAN_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportReport:
    """What an import did (or, for a dry run, would do): the preview, and what was saved (None: nothing written)."""

    preview: ImportPreview
    saved: SaveResult | None

    @property
    def parsed(self) -> ParsedPlan:
        return self.preview.parsed

    @property
    def issues(self) -> tuple[ImportIssue, ...]:
        return self.parsed.issues

    @property
    def dry_run(self) -> bool:
        return self.saved is None

    def as_json(self) -> dict[str, object]:
        plan = self.parsed.plan
        changes = self.preview.changes
        return {
            "plan": plan.number,
            "title": plan.title,
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "period": str(plan.period) if plan.period else None,
            "dry_run": self.dry_run,
            "created": not self.preview.stored,
            "tasks": len(plan.tasks),
            "tasks_new": len(changes.new),
            "tasks_changed": len(changes.changed),
            "tasks_unchanged": len(changes.unchanged),
            "tasks_retired": len(changes.retired),
            "changed": list(changes.changed),
            "retired": list(changes.retired),
            "tasks_by_lead": dict(self.preview.tasks_by_lead),
            "unknown_agencies": list(self.preview.unknown_agencies),
            "agencies": len(self.parsed.agencies),
            "warnings": [_issue_json(i) for i in self.parsed.issues if i.level == "warning"],
            "notes": [_issue_json(i) for i in self.parsed.issues if i.level == "note"],
        }


def _issue_json(issue: ImportIssue) -> dict[str, str]:
    return {"code": issue.code, "message": issue.message, "where": issue.where}


def prepare_import(
    data: bytes,
    *,
    name: str,
    registry: AgencyRegistry,
    repository: KnowledgeRepository,
    allow_missing_lead: bool = False,
) -> ImportPreview:
    """Parse a plan document and compare it with the stored version; nothing is written (a dry run, or the preview
    an admin confirms in chat). Raises :class:`PlanFormatError` for a malformed file, and for tasks without a lead
    agency unless ``allow_missing_lead`` (the message names the rows)."""
    if len(data) > MAX_PLAN_BYTES:
        raise PlanFormatError(
            f"file is larger than {MAX_PLAN_BYTES // (1024 * 1024)} MiB",
            source=name,
            user_message=f"Tệp {name} lớn hơn {MAX_PLAN_BYTES // (1024 * 1024)} MB: không nhập.",
        )
    parsed = parse_plan_source(data, name=name, registry=registry)
    preview = preview_import(parsed, repository.load_plan(parsed.plan.number))
    if preview.without_lead and not allow_missing_lead:
        rows = "; ".join(
            f"{i.message} ({place_label(i.where)})" if i.where else i.message for i in preview.without_lead
        )
        raise PlanFormatError(
            f"{len(preview.without_lead)} task(s) without a lead agency",
            source=name,
            user_message=(
                f"Tệp {name}: {len(preview.without_lead)} nhiệm vụ không có cơ quan chủ trì — {rows}. Chưa nhập gì. "
                "Bổ sung cơ quan chủ trì trong văn bản, hoặc nhập với --allow-missing-lead."
            ),
        )
    return preview


def commit_import(preview: ImportPreview, *, repository: KnowledgeRepository) -> ImportReport:
    """Store a prepared import in one transaction."""
    return ImportReport(preview=preview, saved=repository.save_plan(preview.parsed))


def import_plan_bytes(
    data: bytes,
    *,
    name: str,
    registry: AgencyRegistry,
    repository: KnowledgeRepository,
    dry_run: bool = False,
    allow_missing_lead: bool = False,
) -> ImportReport:
    """:func:`prepare_import` then (unless ``dry_run``) :func:`commit_import`."""
    preview = prepare_import(
        data, name=name, registry=registry, repository=repository, allow_missing_lead=allow_missing_lead
    )
    if dry_run:
        return ImportReport(preview=preview, saved=None)
    return commit_import(preview, repository=repository)


def read_plan_file(path: Path) -> bytes:
    """The bytes of a plan file; a missing file, a folder or an unreadable file get their own Vietnamese messages."""
    try:
        return path.read_bytes()
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


def import_plan_file(
    path: Path,
    *,
    registry: AgencyRegistry,
    repository: KnowledgeRepository,
    dry_run: bool = False,
    allow_missing_lead: bool = False,
) -> ImportReport:
    return import_plan_bytes(
        read_plan_file(path),
        name=path.name,
        registry=registry,
        repository=repository,
        dry_run=dry_run,
        allow_missing_lead=allow_missing_lead,
    )


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
    return ImportReport(preview=preview_import(parsed, None), saved=saved)
