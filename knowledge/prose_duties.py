"""Tasks a plan assigns in prose instead of an appendix table, the other way Vietnamese plans are written:

    IV. TỔ CHỨC THỰC HIỆN
    1. Sở Văn hóa, Thể thao và Du lịch
    a) Chủ trì, phối hợp với Sở Công Thương, Công an thành phố xây dựng …; hoàn thành trong Quý I/2027.
    b) …
    2. Sở Xây dựng, Công an thành phố: …

Each numbered paragraph that names agencies (and nothing else) leads the duties under it; a duty is a lettered item
("a)", "b)") or a bullet ("-"), its id the paragraph's number and its letter ("1.a") or place ("1.2"). A paragraph
with no items that states its duty after a colon is one task ("2"). The coordinators are the bodies right after
"phối hợp (với)"; the time phrase is the last clause the schedule rules read whole ("hoàn thành trong Quý I/2027",
"thường xuyên"). The duty's text is kept as printed.

The rows come out as :class:`~knowledge.appendix.RawTask`, the shape of a table row, so the plan parser treats
both alike. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.agencies import AgencyRegistry
from knowledge.appendix import Columns, RawTask
from knowledge.document import TextLine
from knowledge.records import ScheduleContext
from knowledge.schedule import parse_time_phrase
from knowledge.text import fold

__all__ = ["read_prose_duties"]

_PARAGRAPH = re.compile(r"^(\d{1,2})\s*[.)]\s+(.+)$")
_DECIMAL_ITEM = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(.+)$")  # "1.2. Phối hợp …" under "1. Sở …"
# Words around the names in a paragraph heading: "Giao Sở Tài chính", "Trách nhiệm của Sở Y tế", "Sở Công Thương có
# trách nhiệm", "Công an thành phố chủ trì thực hiện các nhiệm vụ sau".
_HEADING_BEFORE = re.compile(r"^(?:giao|đề nghị|trách nhiệm của|nhiệm vụ của)\s+", re.IGNORECASE)
_HEADING_AFTER = re.compile(
    r"\s+(?:có trách nhiệm|chịu trách nhiệm|có nhiệm vụ|(?:chủ trì\s+)?thực hiện các nhiệm vụ(?: sau)?)\s*$",
    re.IGNORECASE,
)
_LETTERED = re.compile(r"^([a-zđ])\s*\)\s+(.+)$")
_BULLET = re.compile(r"^[-+•–*]\s+(.+)$")
_ROMAN_HEADING = re.compile(r"^[IVXLC]+\s*[.)]\s+\S")
_WITH = re.compile(r"\bphối\s+hợp(?:\s+(?:chặt\s+chẽ\s+)?(?:với|cùng))?\s+", re.IGNORECASE)
_BETWEEN_NAMES = re.compile(r"^[\s,;]*(?:(?:và|cùng|với|các)\s+)*$", re.IGNORECASE)
_END = ("noi nhan", "tm.", "tm ", "kt.", "phu luc")
# Words that open a body's name in a plan's prose, folded: a paragraph heading that starts so and that the registry
# does not know is still a body ("Trung tâm Xúc tiến Du lịch thành phố").
_BODY_HEADS = (
    "so ", "ubnd", "uy ban", "cong an", "ban ", "trung tam", "dai ", "bao ", "hoi ", "lien minh", "lien doan",
    "mat tran", "thanh doan", "canh sat", "bo chi huy", "van phong", "thanh tra", "cuc ", "chi cuc", "kho bac",
    "ngan hang", "bao hiem", "vien ", "truong ", "cac so", "cac co quan", "cac don vi", "doan ",
)  # fmt: skip
# Words a time clause opens with, folded: "hoàn thành trong Quý I/2027", "trước ngày 30/6", "định kỳ 6 tháng" ….
_TIME_OPENERS = frozenset(
    "truoc trong hoan thuc hang dinh thuong nam quy thang tu den giai cuoi dau moi ngay cham xong vao dip tet sau"
    " ke ket".split()
)
_VERB = re.compile(r"^(?:(?:hoàn\s+thành|thực\s+hiện|triển\s+khai|xong)\s+)+(?=\S)", re.IGNORECASE)
_SENTENCE_ENDS = (".", ";", ":", "./.")
_MAX_HEADING_WORDS = 24
_MAX_TIME_WORDS = 14
_COLUMNS = Columns(
    index={"content": 0, "lead": 1, "coordinators": 2, "time": 3},
    width=4,
    header=("Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"),
)
_MIN_PARAGRAPHS = 2  # one numbered body with a colon is an ordinary sentence; a plan assigns to several


def read_prose_duties(lines: Sequence[TextLine], registry: AgencyRegistry) -> list[RawTask]:
    """The duties the plan's numbered agency paragraphs assign, in document order ([] when it has fewer than two)."""
    paragraphs: list[tuple[TextLine, str, str, list[tuple[str, list[str], str]]]] = []
    current: tuple[TextLine, str, str, list[tuple[str, list[str], str]]] | None = None
    for line in lines:
        text = line.text.strip()
        folded = fold(text)
        if folded.startswith(_END) or _ROMAN_HEADING.match(text):
            current = None
            if folded.startswith(_END):
                break
            continue
        if current is not None and (d := _DECIMAL_ITEM.match(text)) is not None and d.group(1) == current[1]:
            current[3].append((d.group(2), [d.group(3)], line.where))  # "1.2" under paragraph 1: its duty "1.2"
            continue
        if (m := _PARAGRAPH.match(text)) is not None:
            heading, after = _heading(m.group(2), registry)
            current = None
            if heading:
                current = (line, m.group(1), heading, [])
                paragraphs.append(current)
                if after:
                    current[3].append(("", [after], line.where))
            continue
        if current is None:
            continue
        items = current[3]
        if (lettered := _LETTERED.match(text)) is not None:
            items.append((lettered.group(1), [lettered.group(2)], line.where))
        elif (bullet := _BULLET.match(text)) is not None:
            items.append((str(sum(1 for i in items if i[0].isdigit()) + 1), [bullet.group(1)], line.where))
        elif items and not items[-1][1][-1].rstrip().endswith(_SENTENCE_ENDS):
            items[-1][1].append(text)  # a duty wrapped over lines
        else:
            current = None  # "Chế độ báo cáo: …", "Trong quá trình thực hiện …": the paragraph is over
    paragraphs = [p for p in paragraphs if p[3]]
    if len(paragraphs) < _MIN_PARAGRAPHS:
        return []
    tasks: list[RawTask] = []
    for line, number, heading, items in paragraphs:
        duties = [i for i in items if i[0]] or items[:1]  # an intro after the colon heads lettered duties
        for item, parts, where in duties:
            duty = " ".join(" ".join(parts).split())
            tasks.append(
                RawTask(
                    where=where,
                    section_code=number,
                    section_title=heading,
                    section_where=line.where,
                    item=item or number,  # a paragraph stating one duty is that task: "2"
                    cells=[duty, heading, _coordinators(duty, registry), _time_phrase(duty)],
                    columns=_COLUMNS,
                    section_in_id=bool(item),
                )
            )
    return tasks


def _heading(text: str, registry: AgencyRegistry) -> tuple[str, str]:
    """A paragraph heading that names only agencies ("Sở Y tế", "Sở Xây dựng, Công an thành phố:", "UBND các xã,
    phường, đặc khu: chủ trì …") → (the names, what follows the colon); ("", "") for any other numbered line."""
    head, colon, after = text.partition(":")
    head = _HEADING_AFTER.sub("", _HEADING_BEFORE.sub("", head.strip().rstrip(".;")))
    if not head or len(head.split()) > _MAX_HEADING_WORDS:
        return "", ""
    mentions = registry.split_names(head)
    known = [m for m in mentions if m.name]
    if not known and not fold(head).startswith(_BODY_HEADS):
        return "", ""
    if any(m.name is None and not fold(m.text).startswith(_BODY_HEADS) for m in mentions):
        return "", ""  # "Chế độ báo cáo", "Kinh phí thực hiện": a numbered heading of another kind
    return head, after.strip() if colon else ""


def _coordinators(duty: str, registry: AgencyRegistry) -> str:
    """The bodies named right after "phối hợp (với)", as printed, comma-separated ("" when none)."""
    names: list[str] = []
    for marker in _WITH.finditer(duty):
        base = cursor = marker.end()
        for mention in registry.find_mentions(duty[base:]):
            if not _BETWEEN_NAMES.match(duty[cursor : base + mention.start]) or not mention.name:
                break
            names.append(mention.text)
            cursor = base + mention.end
    return ", ".join(dict.fromkeys(names))


def _time_phrase(duty: str) -> str:
    """The time the duty states, as printed without its verb: the last clause, or the longest end or start of one,
    that the schedule rules read whole ("…; hoàn thành trong Quý I/2027" → "trong Quý I/2027"; "Hằng năm tổ chức
    …" → "Hằng năm"; "…; định kỳ 6 tháng tổng hợp, đánh giá" → "định kỳ 6 tháng")."""
    parts = [p.strip(" .;:") for p in re.split(r"[;,]|\.(?:\s|$)", duty)]
    for part in reversed([p for p in parts if p]):
        words = part.split()
        ends = [words[start:] for start in range(max(0, len(words) - _MAX_TIME_WORDS), len(words))]
        starts = [words[:stop] for stop in range(min(len(words), _MAX_TIME_WORDS), 0, -1)]
        for candidate in (*ends, *starts):
            opener = candidate[0]
            if fold(opener) not in _TIME_OPENERS and not opener[:1].isdigit():
                continue  # "Tổ chức lễ hội … hằng năm": the work, then its time ("hằng năm")
            phrase = " ".join(candidate)
            if _readable(phrase):
                bare = _VERB.sub("", phrase)  # "hoàn thành trong Quý I/2027" → "trong Quý I/2027"
                return bare if bare != phrase and _readable(bare) else phrase
    return ""


def _readable(phrase: str) -> bool:
    return parse_time_phrase(phrase, ScheduleContext()).recognised
