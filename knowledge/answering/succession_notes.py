"""One line saying why an agency's answer holds tasks the plan gave another body (succession between agencies).

"Sở Nông nghiệp và Môi trường (hợp nhất từ Sở Nông nghiệp và Phát triển nông thôn và Sở Tài nguyên và Môi trường từ
01/03/2025) nhận các nhiệm vụ kế hoạch giao cho các cơ quan này." Pure: stand-ins in, sentences out.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from knowledge.records import Task
from knowledge.reply import fmt_date
from knowledge.succession import StandIn, Succession

__all__ = ["heirs_only", "kept_apart_lines", "succession_lines", "used_stand_ins"]

_FORMED = {
    "merge": "hợp nhất từ",
    "rename": "đổi tên từ",
    "dissolution": "tiếp nhận nhiệm vụ của",
    "split": "tiếp nhận một phần chức năng của",
}
_BECAME = {
    "merge": "đã hợp nhất vào",
    "rename": "đã đổi tên thành",
    "dissolution": "đã kết thúc hoạt động; nhiệm vụ chuyển cho",
    "split": "đã chuyển một phần chức năng cho",
}


def used_stand_ins(
    stand_ins: Iterable[StandIn], tasks: Sequence[Task], groups_of: Callable[[str], Iterable[str]]
) -> list[StandIn]:
    """The stand-ins through which some of ``tasks`` are held: a task names the body or a group it belongs to."""
    named = {n for t in tasks for n in (*t.lead, *t.coordinators)}
    return [s for s in stand_ins if s.name in named or any(g in named for g in groups_of(s.name))]


def heirs_only(used: Sequence[StandIn], tasks: Sequence[Task], own: Collection[str]) -> list[str]:
    """The successors an answer speaks for when every task is theirs and none the asked body's own (a body that has
    ended, asked about a newer plan), else empty."""
    if not used or any(s.earlier for s in used):
        return []
    if any(n in own for t in tasks for n in (*t.lead, *t.coordinators)):
        return []
    return list(dict.fromkeys(s.name for s in used))


def succession_lines(agency: str, used: Sequence[StandIn], *, new_bodies: Collection[str] = ()) -> list[str]:
    """Sentences explaining ``used`` for ``agency``, one per change. ``new_bodies`` are successors that came into
    being by their change (a merger into a new Sở reads "hợp nhất từ …", into an existing one "tiếp nhận …")."""
    lines: list[str] = []
    by_change: dict[tuple[Succession, bool, str], list[str]] = {}
    for stand_in in used:
        by_change.setdefault((stand_in.change, stand_in.earlier, stand_in.of), []).append(stand_in.name)
    for (change, earlier, of), names in by_change.items():
        when = f" từ {fmt_date(change.effective)}" if change.effective else ""
        act = f" ({change.act})" if change.act else ""
        subject = agency if of == agency else f"{agency} thuộc nhóm {of}; nhóm này"
        if earlier:
            verb = _FORMED[change.kind]
            if change.kind == "merge" and change.successor not in new_bodies:
                verb = "tiếp nhận"
            lines.append(
                f"{subject} {verb} {_joined(change.predecessors)}{when}{act}, nên đảm nhận các nhiệm vụ kế hoạch giao "
                f"cho {_joined(names)}."
            )
        else:
            lines.append(
                f"{subject} {_BECAME[change.kind]} {_joined(names)}{when}{act}; "
                f"dưới đây là nhiệm vụ của {_joined(names)}."
            )
    return lines


def kept_apart_lines(agency: str, kept: Sequence[tuple[StandIn, Sequence[Task]]], *, several_plans: bool) -> list[str]:
    """One sentence per predecessor whose tasks stay its own (a plan that ended before the change named ``agency``
    itself): "Sở Tài chính tiếp nhận Sở Kế hoạch và Đầu tư từ 01/03/2025, sau khi kế hoạch kết thúc; 4 nhiệm vụ
    kế hoạch giao cho Sở Kế hoạch và Đầu tư (I.1, I.2, I.3, I.4) không tính ở đây." """
    lines: list[str] = []
    for stand_in, tasks in kept:
        change = stand_in.change
        when = f" từ {fmt_date(change.effective)}" if change.effective else ""
        codes = ", ".join(f"{t.code} ({t.plan_number})" if several_plans else t.code for t in tasks[:12])
        more = ", …" if len(tasks) > 12 else ""
        lines.append(
            f"{agency} tiếp nhận {stand_in.name}{when}, sau khi kế hoạch kết thúc; {len(tasks)} nhiệm vụ kế hoạch giao "
            f"cho {stand_in.name} ({codes}{more}) không tính ở đây — hỏi “nhiệm vụ của {stand_in.name}” để xem."
        )
    return lines


def _joined(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]
