"""Plan administration: archive, restore and remove a plan by a number typed the forgiving way.

The CLI (``taskbot plans archive|restore|remove``) and the chat commands call these functions, so both write through
the same repository methods: each change moves the plans table's fingerprint that every running bot watches, and is
audited in the same transaction. Replies are Vietnamese sentences ready to show.

What each operation does:

- **archive**: the plan stays in the database with its tasks; it answers only when named, and sends no reminders.
- **restore**: clears the flag; the plan is in force or ended again according to its period.
- **remove**: deletes the plan, its tasks, deadlines, objectives and duties in one transaction. Agencies and contacts
  are untouched; progress reports already received are kept (they are the agencies' record and come back with the
  plan if it is imported again); reminders already queued for it are skipped by the reminder service, not sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from knowledge.errors import NotFoundError
from knowledge.plan_status import STATUS_LABELS, plan_label, plan_status
from knowledge.storage.repository import KnowledgeRepository, PlanChange
from knowledge.text import fold

__all__ = [
    "PlanAction",
    "PlanAdminResult",
    "archive_plan",
    "find_plan_number",
    "match_plan_numbers",
    "remove_plan",
    "restore_plan",
]

PlanAction = Literal["archive", "restore", "remove"]

_LISTED = 10  # known numbers named in a "no such plan" message
_PREFIX = re.compile(r"^(?:ke hoach|kh)?\s*(?:so)?\s*(?=\d)")


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanAdminResult:
    """The outcome of one operation, with the Vietnamese sentence to show."""

    action: PlanAction
    number: str
    label: str
    changed: bool
    tasks: int
    message: str


def match_plan_numbers(query: str, numbers: Iterable[str]) -> list[str]:
    """The plan numbers ``query`` can mean: ``"435"``, ``"435/kh-ubnd"``, ``"KH 435"``, ``"kế hoạch số 435"``.

    An exact (case, space and accent insensitive) match wins; otherwise a query is a prefix of the number that stops
    at a boundary (``"435"`` and ``"435/KH"`` match ``435/KH-UBND``, not ``4350/KH-UBND``).
    """
    key = _compact(query)
    if not key:
        return []
    candidates = list(dict.fromkeys(numbers))
    exact = [n for n in candidates if _compact(n) == key]
    if exact:
        return exact
    found = []
    for number in candidates:
        full = _compact(number)
        if full.startswith(key) and not (key[-1].isdigit() and full[len(key) : len(key) + 1].isdigit()):
            found.append(number)
    return found


def find_plan_number(query: str, numbers: Iterable[str]) -> str:
    """The one stored number ``query`` means; :class:`NotFoundError` (Vietnamese message) when none or several."""
    available = list(numbers)
    found = match_plan_numbers(query, available)
    if len(found) == 1:
        return found[0]
    if not found:
        shown = ", ".join(available[:_LISTED])
        more = f" và {len(available) - _LISTED} kế hoạch khác" if len(available) > _LISTED else ""
        known = shown + more if available else "chưa có kế hoạch nào"
        raise NotFoundError(
            f"no plan matches {query!r}",
            user_message=f"Không có kế hoạch số “{query.strip()}”. Các kế hoạch hiện có: {known}.",
        )
    raise NotFoundError(
        f"plan number {query!r} is ambiguous: {found}",
        user_message=f"Số “{query.strip()}” ứng với nhiều kế hoạch: {', '.join(found)}. Vui lòng ghi đủ số hiệu.",
    )


def archive_plan(repository: KnowledgeRepository, query: str, *, actor: str, now: datetime) -> PlanAdminResult:
    """Archive the plan ``query`` names (idempotent)."""
    number = find_plan_number(query, repository.plan_numbers())
    change = repository.set_archived(number, True, actor=actor, now=now)
    label = plan_label(change.plan)
    if change.changed:
        message = (
            f"Đã lưu trữ {label}. Kế hoạch chỉ được dùng để trả lời khi nêu đích danh và không còn nhắc hạn; "
            f"khôi phục bằng lệnh khôi phục."
        )
    else:
        message = f"{label} đã được lưu trữ từ trước; không có gì thay đổi."
    return _result("archive", change, label, message)


def restore_plan(repository: KnowledgeRepository, query: str, *, actor: str, now: datetime) -> PlanAdminResult:
    """Restore an archived plan (idempotent); it is in force or ended again according to its period."""
    number = find_plan_number(query, repository.plan_numbers())
    change = repository.set_archived(number, False, actor=actor, now=now)
    label = plan_label(change.plan)
    if change.changed:
        status = STATUS_LABELS[plan_status(change.plan, now.date())]
        message = f"Đã khôi phục {label}; kế hoạch {status}."
    else:
        message = f"{label} không ở trạng thái lưu trữ; không có gì thay đổi."
    return _result("restore", change, label, message)


def remove_plan(repository: KnowledgeRepository, query: str, *, actor: str, now: datetime) -> PlanAdminResult:
    """Delete the plan and its tasks (one transaction); progress reports are kept, queued reminders not sent."""
    number = find_plan_number(query, repository.plan_numbers())
    change = repository.remove_plan(number, actor=actor, now=now)
    label = plan_label(change.plan)
    message = (
        f"Đã xóa {label} cùng {change.tasks} nhiệm vụ. Báo cáo tiến độ đã nhận vẫn được lưu; "
        f"các nhắc hạn chưa gửi của kế hoạch sẽ không được gửi."
    )
    return _result("remove", change, label, message)


def _result(action: PlanAction, change: PlanChange, label: str, message: str) -> PlanAdminResult:
    return PlanAdminResult(
        action=action,
        number=change.plan.number,
        label=label,
        changed=change.changed,
        tasks=change.tasks,
        message=message,
    )


def _compact(text: str) -> str:
    """``"Kế hoạch số 435/KH-UBND"`` → ``"435khubnd"``: folded, without the words before the digits, no spaces."""
    folded = _PREFIX.sub("", fold(text))
    return folded.replace(" ", "")
