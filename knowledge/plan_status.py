"""A plan's status and label: whether it is in force, has ended or was archived, and how to name it in one line.

Pure functions over :class:`~knowledge.records.Plan`; ``today`` is a parameter (the caller's date in
Asia/Ho_Chi_Minh), never read from the clock.

- :func:`plan_end`: the last day a plan covers: 31/12 of the last year of its period; without a period, the last
  deadline of its tasks; ``None`` when nothing says.
- :func:`plan_status`: ``archived`` when an admin archived it, ``ended`` after its end, else ``in_force``.
- :func:`short_title`: the subject of the title without the boilerplate ("Kế hoạch triển khai thực hiện …", "Thực
  hiện Kết luận số … về …", "trên địa bàn thành phố …", "giai đoạn 2018-2020"), at most ~60 characters.
- :func:`plan_label`: ``Kế hoạch 435/KH-UBND (2018–2020) — kinh tế tập thể``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final, Literal

from knowledge.records import Plan
from knowledge.text import fold, nfc

__all__ = [
    "STATUS_LABELS",
    "SHORT_TITLE_LENGTH",
    "PlanStatus",
    "plan_end",
    "plan_label",
    "plan_line",
    "plan_status",
    "short_title",
]

PlanStatus = Literal["in_force", "ended", "archived"]

STATUS_LABELS: Final[dict[PlanStatus, str]] = {
    "in_force": "đang thực hiện",
    "ended": "đã kết thúc",
    "archived": "đã lưu trữ",
}
"""How each status reads in Vietnamese replies and tables."""

SHORT_TITLE_LENGTH: Final = 60


def plan_end(plan: Plan) -> date | None:
    """The last day the plan covers: the end of its period, else its tasks' last deadline, else None."""
    if plan.period is not None:
        return date(plan.period.end, 12, 31)
    last: date | None = None
    for task in plan.tasks:
        for deadline in task.schedule.deadlines:
            if last is None or deadline.due > last:
                last = deadline.due
    return last


def plan_status(plan: Plan, today: date) -> PlanStatus:
    """``archived`` (an admin's flag, first), ``ended`` once ``today`` is past :func:`plan_end`, else ``in_force``."""
    if plan.archived:
        return "archived"
    end = plan_end(plan)
    if end is not None and today > end:
        return "ended"
    return "in_force"


def plan_label(plan: Plan) -> str:
    """``Kế hoạch 435/KH-UBND (2018–2020) — kinh tế tập thể``: number, period (if known), short title (if any)."""
    label = f"Kế hoạch {plan.number}"
    if plan.period is not None:
        span = (
            str(plan.period.start) if plan.period.start == plan.period.end else f"{plan.period.start}–{plan.period.end}"
        )
        label += f" ({span})"
    subject = short_title(plan)
    if subject:
        label += f" — {subject}"
    return label


def plan_line(plan: Plan, today: date) -> str:
    """One line for a list of plans: ``Kế hoạch 435/KH-UBND (2018–2020) — kinh tế tập thể: đã kết thúc, 43 nhiệm
    vụ``."""
    return f"{plan_label(plan)}: {STATUS_LABELS[plan_status(plan, today)]}, {len(plan.tasks)} nhiệm vụ"


# -- short titles ------------------------------------------------------------------------------------------------

# A document the plan implements: "Kết luận số 13-KL/TU ngày 25/3/2014 của Ban Thường vụ Thành ủy về …". The subject
# is what follows the first "về" after the last such reference.
_REFERENCE = re.compile(
    r"\b(?:kết luận|nghị quyết|chỉ thị|quyết định|chương trình|thông báo|nghị định|thông tư|luật|đề án|kế hoạch"
    r"|công văn|văn bản)\s+(?:số\s+)?\d+[\w/\-.]*",
    re.IGNORECASE,
)
_ABOUT = re.compile(r"\s+về\s+(?:việc\s+)?", re.IGNORECASE)

# Words that open most titles and say nothing about the subject, removed from the start repeatedly.
_LEADING = re.compile(
    r"^(?:kế hoạch|về việc|về|(?:tổ chức\s+)?triển khai(?:\s+thực hiện)?|tổ chức thực hiện|thực hiện"
    r"|tiếp tục|đẩy mạnh|tăng cường)\b[\s,:;\-–]*",
    re.IGNORECASE,
)
# Generic verbs of a coordinated run before the subject: "đổi mới, phát triển và nâng cao hiệu quả kinh tế tập thể".
_VERB = r"(?:đổi mới|phát triển|nâng cao(?:\s+(?:hiệu quả|chất lượng))?|củng cố|hoàn thiện|thúc đẩy|triển khai)"
_VERB_RUN = re.compile(rf"^{_VERB}(?:\s*(?:,|và)\s*{_VERB})*\s+", re.IGNORECASE)

# Where and when, shown elsewhere in the label: "tại Hải Phòng", "trên địa bàn thành phố …", "giai đoạn 2018-2020".
_TRAILING = (
    re.compile(r"\s*[,;]?\s*(?:trong\s+)?giai đoạn\s+\d{4}\s*[-–—]\s*\d{4}.*$", re.IGNORECASE),
    re.compile(r"\s*[,;]?\s*(?:trong\s+)?(?:các\s+)?năm\s+\d{4}(?:\s*[-–—,]\s*\d{4})*.*$", re.IGNORECASE),
    re.compile(r"\s*[,;]?\s*(?:đến|tới)\s+năm\s+\d{4}.*$", re.IGNORECASE),
    re.compile(r"\s*[,;]?\s*(?:trên\s+)?địa bàn\s+(?:thành phố|tỉnh|quận|huyện)\b.*$", re.IGNORECASE),
    re.compile(r"\s+của\s+(?:thành phố|tỉnh)\s*$", re.IGNORECASE),
)


def short_title(plan: Plan, limit: int = SHORT_TITLE_LENGTH) -> str:
    """The subject of the plan's title, without boilerplate, at most ``limit`` characters cut at a word.

    A title that is only boilerplate (or empty) gives ``""``; a title that is nothing but its number gives ``""``.
    """
    text = nfc(plan.title).replace("\n", " ")
    if not text or fold(text) == fold(plan.number) or fold(text) == fold(plan.source_name):
        return ""
    if text.isupper():  # a title printed in capitals reads in lower case; its acronyms cannot be told apart
        text = text.lower()
    text = _after_references(text)
    previous = None
    while previous != text:
        previous = text
        text = _LEADING.sub("", text).strip()
        stripped = _VERB_RUN.sub("", text).strip()
        if stripped:
            text = stripped
    for pattern in _TRAILING:
        cut = pattern.sub("", text).strip()
        if cut:
            text = cut
    text = _drop_place(text)
    text = text.strip(" ,;:.-–—")
    if not text:
        return ""
    if nfc(plan.title).replace("\n", " ").startswith(text[:20]) and not _starts_with_name(text):
        text = text[:1].lower() + text[1:]  # the capital only opened the title's sentence
    return _cut(text, limit)


def _after_references(text: str) -> str:
    """What follows the first "về" after the last reference to another document, when there is one."""
    last = None
    for match in _REFERENCE.finditer(text):
        last = match
    if last is None:
        return text
    about = _ABOUT.search(text, last.end())
    if about is None or not text[about.end() :].strip():
        return text
    return text[about.end() :]


def _drop_place(text: str) -> str:
    """Without a closing place name: "… kinh tế tập thể tại Hải Phòng" → "… kinh tế tập thể"."""
    words = text.split()
    for size in (5, 4, 3, 2):  # "tại" + up to two capitalised words, "thành phố" or "tỉnh" may stand between
        if len(words) <= size:
            continue
        tail = words[-size:]
        names = [w for w in tail[1:] if fold(w) not in ("thanh", "pho", "tinh")]
        if fold(tail[0]) in ("tai", "cua") and names and all(w[:1].isupper() for w in names):
            return " ".join(words[:-size])
    return text


def _starts_with_name(text: str) -> bool:
    """Whether the first word is a proper name or an acronym that keeps its capital ("Đề án", "HTX", "Hải Phòng")."""
    first = text.split()[0]
    if len(first) > 1 and first.isupper():
        return True
    second = text.split()[1] if len(text.split()) > 1 else ""
    return bool(first[:1].isupper() and second[:1].isupper())


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:.-–—") + "…"
