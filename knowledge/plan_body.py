"""A plan's facts read from its body text: number, date, title, period, issuer, signer, what it replaces, its
objectives, its general duties and its reporting duties (wherever the text states them, see
:mod:`knowledge.reporting_duties`). Pure functions over :class:`~knowledge.document.TextLine`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from knowledge.agencies import AgencyRegistry
from knowledge.document import TextLine
from knowledge.errors import PlanFormatError
from knowledge.records import (
    FUNDING,
    GENERAL_DUTY,
    Duty,
    Objective,
    ReportingDate,
    ReportingDuty,
    ScheduleContext,
    YearRange,
)
from knowledge.reporting_duties import BodyParagraph, read_reporting_duties, yearly_reporting_dates
from knowledge.roman import roman_to_int
from knowledge.schedule import parse_time_phrase
from knowledge.text import fold, nfc

__all__ = ["PlanFacts", "read_plan_facts"]

_BODY_SECTION = re.compile(r"^([IVXLC]+)\s*[.)]\s+(.+)$")
_NUMBERED = re.compile(r"^(\d+)\s*[.)]\s+(.*)$")
_BULLET = re.compile(r"^([-+•–*])\s+(.*)$")
_PLAN_NUMBER = r"(\d+)\s*/\s*((?:KH|QĐ|QD|CT)(?:\s*-\s*[A-ZĐ]+)+)"
_NUMBER_LINE = re.compile(r"^\s*Số\s*:?\s*" + _PLAN_NUMBER, re.IGNORECASE)
_NUMBER_LABEL = re.compile(r"\bSố\s*:\s*" + _PLAN_NUMBER, re.IGNORECASE)
_NUMBER_IN_TEXT = re.compile(r"kế hoạch số\s*" + _PLAN_NUMBER, re.IGNORECASE)
_DATE_SLASH = re.compile(r"ngày\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE)
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_ISSUER = re.compile(r"(Ủy ban nhân dân|UBND)\s+(thành phố|tỉnh)\s+((?:[A-ZĐÂĂÊÔƠƯ][\wÀ-ỹ]*\s?)+)")
_PERIOD = re.compile(r"giai đoạn\s*(\d{4})\s*[-–—]\s*(\d{4})", re.IGNORECASE)
_REPLACES = re.compile(r"\bthay\s+thế\b", re.IGNORECASE)
_EXPIRES = re.compile(r"\bhết\s+hiệu\s+lực\b", re.IGNORECASE)
_NUMBERED_DOCUMENT = re.compile(r"\bsố\s*" + _PLAN_NUMBER, re.IGNORECASE)
_BEFORE_DAY = re.compile(r"trước ngày\s*(\d{1,2})\s*(?:tháng\s*|/\s*)(\d{1,2})(?!\s*/\s*\d)", re.IGNORECASE)
_SIGN_BLOCK = re.compile(r"^(TM|KT|Q|TL)\s*\.", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True, slots=True)
class PlanFacts:
    """Everything the body says about the plan itself (the appendix tasks are read elsewhere)."""

    number: str
    issued_on: date | None
    title: str
    period: YearRange | None
    issuer: str
    replaces: str
    replaces_text: str
    signer: str
    signer_title: str
    objectives: tuple[Objective, ...]
    duties: tuple[Duty, ...]
    reporting_date: ReportingDate | None
    city_reporting_date: ReportingDate | None
    reporting_duties: tuple[ReportingDuty, ...] = ()


def read_plan_facts(lines: Sequence[TextLine], *, registry: AgencyRegistry, source: str) -> PlanFacts:
    """The plan's facts; raises :class:`PlanFormatError` when no plan number can be found."""
    number, issued_on = _plan_number_and_date(lines, source)
    title_at, title_end, title = _title(lines)
    title = _cased_like_the_body(title, lines[title_end:]) if title else source
    period = _period(title, lines, issued_on)
    body = _body_sections(lines)
    targets = body.get("muc tieu", [])
    if any(_NUMBERED.match(line.text) for line in targets):  # "1. Mục tiêu chung", "2. Mục tiêu cụ thể"
        objectives = _objectives(targets)
    else:  # the purpose, then a section of targets alone ("II. MỤC TIÊU" or "II. CHỈ TIÊU": "Đến hết năm 2027: - …")
        objectives = _objectives([*body.get("muc dich", []), *_numbered_targets(targets or body.get("chi tieu", []))])
    duties_label = body.get("to chuc thuc hien#label", [])
    duties = _duties(body.get("to chuc thuc hien", []), registry, section=duties_label[0].text if duties_label else "")
    # the funding section ("III. KINH PHÍ THỰC HIỆN"): where the money comes from, read as passages of the body
    funding_key = "kinh phi" if "kinh phi" in body else "nguon kinh phi"
    funding_label = body.get(f"{funding_key}#label", [])
    duties += _duties(
        body.get(funding_key, []), registry, section=funding_label[0].text if funding_label else "", prefix=FUNDING
    )
    issuer = _issuer(lines, header_end=title_at, registry=registry)
    reporting_duties = read_reporting_duties(_body_paragraphs(lines[title_end:]), registry, issuer=issuer)
    reporting, city_reporting = yearly_reporting_dates(reporting_duties)
    replaces, replaces_text = _replaces(lines, number)
    signer, signer_title = _signer(lines)
    return PlanFacts(
        number=number,
        issued_on=issued_on,
        title=title,
        period=period,
        issuer=issuer,
        replaces=replaces,
        replaces_text=replaces_text,
        signer=signer,
        signer_title=signer_title,
        objectives=tuple(objectives),
        duties=tuple(duties),
        reporting_date=reporting,
        city_reporting_date=city_reporting,
        reporting_duties=reporting_duties,
    )


def _plan_number_and_date(lines: Sequence[TextLine], source: str) -> tuple[str, date | None]:
    number = ""
    issued: date | None = None
    for line in lines:
        m = _NUMBER_LINE.match(line.text)
        if m:
            number = _format_number(m.group(1), m.group(2))
            break
    if not number:  # a header cell read as one line: "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG ------- Số: 19/KH-UBND"
        for line in lines[:15]:
            m = _NUMBER_LABEL.search(line.text)
            if m:
                number = _format_number(m.group(1), m.group(2))
                break
    if not number:
        for line in lines:
            for m in _NUMBER_IN_TEXT.finditer(line.text):
                before = line.text[max(0, m.start() - 20) : m.start()].lower()
                if "thay thế" in before:
                    continue
                number = _format_number(m.group(1), m.group(2))
                issued = _first_date(line.text[m.end() : m.end() + 40])
                break
            if number:
                break
    if not number:
        raise PlanFormatError(
            "no plan number found",
            source=source,
            expected="a line such as 'Số: 435/KH-UBND' or 'Kế hoạch số 435/KH-UBND'",
            user_message=(
                f'Tệp {source}: không tìm thấy số kế hoạch (dòng như "Số: 435/KH-UBND" hoặc "Kế hoạch số '
                '435/KH-UBND"). Chưa nhập gì.'
            ),
        )
    if issued is None:
        for line in lines[:15]:
            issued = _first_date(line.text)
            if issued:
                break
    return number, issued


def _format_number(digits: str, kind: str) -> str:
    compact = re.sub(r"\s+", "", kind).upper()
    return f"{int(digits)}/{compact}"


def _first_date(text: str) -> date | None:
    for pattern in (_DATE_SLASH, _DATE_WORDS):
        m = pattern.search(text)
        if m:
            try:
                return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                return None
    return None


_TITLE_WORD = "ke hoach"
_BODY_START = re.compile(r"^(?:căn cứ|thực hiện|nhằm|để|theo|trên cơ sở|số\s*:)", re.IGNORECASE)


def _title(lines: Sequence[TextLine]) -> tuple[int, int, str]:
    """Where the title stands (the "KẾ HOẠCH" line), where the body after it starts, and the title as printed.

    The title is the line after "KẾ HOẠCH" (or the rest of a "KẾ HOẠCH …" heading), with the lines that continue it:
    set like it (bold, heading, capitals) or starting in lower case ("giai đoạn 2026 - 2027").
    """
    for i, line in enumerate(lines):
        key = fold(line.text)
        if key == _TITLE_WORD and i + 1 < len(lines):
            first = i + 1
            parts = [lines[first].text]
        elif key.startswith(_TITLE_WORD + " ") and not key.startswith(_TITLE_WORD + " so") and _set_apart(line):
            first = i
            parts = [line.text[len("kế hoạch") :].strip(" :–-")]
        else:
            continue
        end = first + 1
        while end < len(lines) and len(" ".join(parts)) < 400 and _continues_title(lines[first], lines[end]):
            parts.append(lines[end].text)
            end += 1
        return i, end, " ".join(p for p in parts if p)
    for i, line in enumerate(lines):
        if line.heading:
            return i, i + 1, line.text
    return 0, 0, ""


def _cased_like_the_body(title: str, body: Sequence[TextLine]) -> str:
    """A title printed in capitals, written as the body writes the same words ("TRIỂN KHAI … CỦA BỘ CHÍNH TRỊ …" →
    "Triển khai … của Bộ Chính trị …", from the preamble that names the plan): the longest runs of its words the
    body has, in the body's letters; words the body does not have in lower case. Other titles stay as printed."""
    letters = [c for c in title if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return title
    text = " ".join(line.text for line in body)
    lowered = text.lower()
    words = title.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            phrase = " ".join(words[i:j]).lower()
            at = lowered.find(phrase)
            if at >= 0 and (j - i >= 2 or j == len(words)):
                # a long run as the body writes it; a short one only when the body writes it as a name, every
                # syllable capitalised ("Hải Phòng"), not "Du lịch" of a "Luật Du lịch" named once
                found = text[at : at + len(phrase)]
                named = all(w[:1].isupper() for w in found.split())
                out.append(found if j - i >= 3 or named else phrase)
                i = j
                break
        else:
            out.append(words[i].lower())
            i += 1
    cased = " ".join(out)
    return cased[:1].upper() + cased[1:]


def _set_apart(line: TextLine) -> bool:
    letters = [c for c in line.text if c.isalpha()]
    return bool(line.heading or line.bold or (letters and all(c.isupper() for c in letters)))


def _continues_title(first: TextLine, line: TextLine) -> bool:
    text = line.text.strip()
    if not text or _BODY_SECTION.match(text) or _NUMBERED.match(text) or _BODY_START.match(text):
        return False
    if text[:1].islower():
        return True
    letters = [c for c in text if c.isalpha()]
    first_letters = [c for c in first.text if c.isalpha()]
    upper = bool(letters) and all(c.isupper() for c in letters)
    first_upper = bool(first_letters) and all(c.isupper() for c in first_letters)
    return (
        (first.bold and line.bold) or (first.heading > 0 and line.heading == first.heading) or (upper and first_upper)
    )


_TITLE_RANGE = re.compile(
    r"(?:giai đoạn|các năm|năm|từ năm|từ)?\s*((?:19|20)\d{2})\s*(?:[-–—]|đến)\s*(?:năm\s*)?((?:19|20)\d{2})", re.I
)
_TITLE_YEAR = re.compile(r"\bnăm\s+((?:19|20)\d{2})\b(?!\s*[-–—])", re.IGNORECASE)
_TITLE_UNTIL = re.compile(r"\bđến\s+năm\s+((?:19|20)\d{2})\b", re.IGNORECASE)


def _period(title: str, lines: Sequence[TextLine], issued_on: date | None) -> YearRange | None:
    """The years the plan covers: a range in its title ("giai đoạn 2018-2020", "năm 2026 - 2027"), its year ("năm
    2026", the issue year or the next), "đến năm 2030" from the issue year, else a "giai đoạn" named in the body."""
    for m in _TITLE_RANGE.finditer(title):
        start, end = int(m.group(1)), int(m.group(2))
        if start < end:
            return YearRange(start=start, end=end)
    if issued_on is not None:
        years = [int(m.group(1)) for m in _TITLE_YEAR.finditer(title)]
        own = [y for y in years if issued_on.year <= y <= issued_on.year + 1]
        if own and not _TITLE_UNTIL.search(title):
            return YearRange(start=own[-1], end=own[-1])
        until = _TITLE_UNTIL.search(title)
        if until and int(until.group(1)) > issued_on.year:
            return YearRange(start=issued_on.year, end=int(until.group(1)))
    for line in lines:
        stated = _PERIOD.search(line.text)
        if stated:
            start, end = int(stated.group(1)), int(stated.group(2))
            if start <= end:
                return YearRange(start=start, end=end)
    return None


_HEADER_ISSUER = re.compile(r"\b(?:ỦY BAN NHÂN DÂN|UBND)\s+(THÀNH PHỐ|TỈNH)\s+(.*)$")
_HEADER_STOP = frozenset({"SỐ", "SỐ:", "CỘNG", "ĐỘC", "KẾ"})
_HEADER_BODY = frozenset({"SỞ", "BAN", "BỘ", "CỤC", "VĂN", "LIÊN", "ỦY", "UBND", "HỘI", "TRUNG", "CHI", "THANH"})


def _issuer(lines: Sequence[TextLine], *, header_end: int, registry: AgencyRegistry) -> str:
    """The issuing body, from the capitals of the document header ("ỦY BAN NHÂN DÂN / THÀNH PHỐ HẢI PHÒNG", on one
    line or two; a department's own plan names it under the city: "UBND THÀNH PHỐ HẢI PHÒNG / SỞ TÀI CHÍNH"), else
    from the body ("Ủy ban nhân dân thành phố Hải Phòng xây dựng kế hoạch")."""
    header = " ".join(line.text for line in lines[: header_end if header_end > 0 else 12])
    found = _HEADER_ISSUER.search(nfc(header).replace("UỶ", "ỦY"))
    if found:
        words = _capital_words(found.group(2))
        split = next((i for i, w in enumerate(words) if w in _HEADER_BODY), len(words))
        place, below = words[: min(split, 3)], words[split:]
        if below:
            name = " ".join(below)
            resolution = registry.resolve(name)
            return resolution.agency.name if resolution is not None and resolution.exact else _sentence_case(name)
        if place:
            return f"Ủy ban nhân dân {found.group(1).lower()} {' '.join(w.capitalize() for w in place)}"
    for line in lines:
        m = _ISSUER.search(line.text)
        if m:
            words = m.group(3).split()
            place_words = " ".join(w for w in words[:3] if w[:1].isupper())
            return f"Ủy ban nhân dân {m.group(2).lower()} {place_words}".strip()
    return ""


def _capital_words(text: str) -> list[str]:
    """The words in capitals at the start of ``text``, up to "Số:", "CỘNG HÒA …" or anything not in capitals."""
    words: list[str] = []
    for word in text.split():
        letters = [c for c in word if c.isalpha()]
        if not letters or not all(c.isupper() for c in letters) or word in _HEADER_STOP:
            break
        words.append(word)
    return words


def _replaces(lines: Sequence[TextLine], own: str) -> tuple[str, str]:
    """The plans this one replaces, as numbers ("214/KH-UBND", several joined by ", "), and the sentence saying so:
    "Kế hoạch này thay thế Kế hoạch số 214/KH-UBND …", "… Kế hoạch số 35/KH-UBND … hết hiệu lực kể từ ngày …"."""
    for line in lines:
        for sentence in re.split(r"(?<=[.;])\s+", line.text):
            numbers: list[str] = []
            cue = _REPLACES.search(sentence)
            if cue:
                numbers = [
                    _format_number(m.group(1), m.group(2)) for m in _NUMBERED_DOCUMENT.finditer(sentence, cue.end())
                ]
            expires = _EXPIRES.search(sentence)
            if not numbers and expires:
                numbers = [
                    _format_number(m.group(1), m.group(2))
                    for m in _NUMBERED_DOCUMENT.finditer(sentence[: expires.start()])
                ]
            numbers = [n for n in dict.fromkeys(numbers) if n != own]
            if numbers:
                return ", ".join(numbers), line.text.strip(" ./")
    return "", ""


_SIGNED = re.compile(r"^[(\[]?\s*(?:đã ký|da ky|ký tên|ký, ghi rõ họ tên|signed)[^)\]]*[)\]]?\.?$", re.IGNORECASE)
_SIGNER_TITLE = re.compile(r"(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|BÍ THƯ|CHÁNH VĂN PHÒNG)")
_SIGNER_TITLES = ("CHỦ TỊCH", "GIÁM ĐỐC", "TRƯỞNG", "ỦY BAN", "UBND", "BÍ THƯ", "THƯỜNG TRỰC", "CHÁNH")


def _signer(lines: Sequence[TextLine]) -> tuple[str, str]:
    """The signer's name and title from the signature block ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH /
    (Đã ký) / Nguyễn Văn Thành"); a name printed in capitals is written in title case."""
    for i, line in enumerate(lines):
        if not _SIGN_BLOCK.match(line.text):
            continue
        joined = _joined_signature(line.text)
        if joined is not None:
            return joined
        title = ""
        for follower in lines[i + 1 : i + 8]:
            text = follower.text.strip()
            if not text or _SIGNED.match(text):
                continue
            letters = [c for c in text if c.isalpha()]
            words = text.split()
            if letters and all(c.isupper() for c in letters):
                if not _SIGN_BLOCK.match(text) and any(word in text for word in _SIGNER_TITLES):
                    title = _sentence_case(text)
                    continue
                if _SIGN_BLOCK.match(text):
                    continue
                if title and 2 <= len(words) <= 5:
                    return " ".join(w.capitalize() for w in words), title
                continue
            if fold(text).startswith("phu luc"):
                break
            if 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words):
                return text, title
            break
    return "", ""


def _joined_signature(text: str) -> tuple[str, str] | None:
    """A signature cell read as one line: "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Vũ Thị Thanh Bình"."""
    titles = list(_SIGNER_TITLE.finditer(text))
    if not titles:
        return None
    rest = re.sub(r"[(\[][^)\]]*[)\]]", " ", text[titles[-1].end() :]).split()
    if 2 <= len(rest) <= 5 and all(w[:1].isupper() and w[1:].islower() for w in rest):
        return " ".join(rest), _sentence_case(titles[-1].group(0))
    return None


def _sentence_case(text: str) -> str:
    lowered = text.lower()
    lowered = re.sub(r"\bchủ tịch\b", "Chủ tịch", lowered)
    return lowered[:1].upper() + lowered[1:]


# -- body: objectives and general duties --------------------------------------------------------------------------


def _body_sections(lines: Sequence[TextLine]) -> dict[str, list[TextLine]]:
    """Body lines grouped under their roman-numbered heading, keyed by the folded heading with typos kept."""
    sections: dict[str, list[TextLine]] = {}
    current: list[TextLine] | None = None
    for line in lines:
        if fold(line.text).startswith("phu luc"):
            break
        m = _BODY_SECTION.match(line.text)
        if m and roman_to_int(m.group(1)) and (line.heading or line.bold or m.group(2).isupper()):
            key = fold(m.group(2))
            label = m.group(1).upper()
            current = []
            for name in ("muc tieu", "to chuc thuc hien", "muc dich", "chi tieu", "kinh phi", "nguon kinh phi"):
                if key.startswith(name):
                    sections[name] = current
                    sections[f"{name}#label"] = [TextLine(where=line.where, text=label)]
            continue
        if current is not None:
            current.append(line)
    return sections


_NOT_TARGETS = (
    "nhiem vu",
    "giai phap",
    "trach nhiem",
    "to chuc",
    "phan cong",
    "kinh phi",
    "che do bao cao",
)
_REQUIREMENTS = ("yeu cau",)


def _objectives(lines: Sequence[TextLine]) -> list[Objective]:
    """Targets of the "Mục tiêu" section (else of "Mục đích, yêu cầu"): each paragraph or bullet under its numbered
    sub-heading ("1. Mục tiêu chung", "2. Chỉ tiêu đến hết năm 2027", whose year dates the targets under it). A dated
    lead-in ending in a colon ("Phấn đấu đến hết năm 2027:") heads the bullets after it as such a sub-heading does.
    Sub-headings on tasks, means or reporting inside the same section ("3. Nhiệm vụ, giải pháp") are no targets;
    under "2. Yêu cầu" only what names its own year is ("Đến năm 2028, phấn đấu đạt …"), the rest is requirements."""
    objectives: list[Objective] = []
    sub = "0"
    bullet = 0
    parent_date: tuple[date | None, str] = (None, "")
    heading_date: tuple[date | None, str] = (None, "")
    skipping = False
    dated_only = False  # under "Yêu cầu": requirements, but a dated target among them still counts
    sub_count = 0
    for line in lines:
        m = _NUMBERED.match(line.text)
        if m and (line.heading or line.bold or _short_heading(m.group(2))):
            sub = m.group(1)
            bullet = 0
            heading = fold(m.group(2))
            skipping = heading.startswith(_NOT_TARGETS)
            dated_only = heading.startswith(_REQUIREMENTS)
            heading_date = _objective_date(m.group(2))
            continue
        if skipping:
            continue
        b = _BULLET.match(line.text)
        text = b.group(2).strip() if b else line.text.strip()
        if dated_only and _objective_date(text)[0] is None:
            continue
        if not b and text.endswith(":") and _objective_date(text)[0] is not None:
            sub = str(int(sub) + 1)
            bullet = 0
            heading_date = _objective_date(text)
            continue
        if b and b.group(1) == "+" and bullet:
            sub_count += 1
            label = f"MT.{sub}.{bullet}.{sub_count}"
            target, reason = _objective_date(text)
            if target is None:
                target, reason = parent_date
        else:
            bullet += 1
            sub_count = 0
            label = f"MT.{sub}.{bullet}" if b or sub != "1" or bullet > 1 else f"MT.{sub}"
            target, reason = _objective_date(text)
            if target is None:
                target, reason = heading_date
            parent_date = (target, reason)
        objectives.append(Objective(label=label, text=text, target_date=target, date_reason=reason))
    return objectives


def _numbered_targets(lines: Sequence[TextLine]) -> list[TextLine]:
    """A section of its own for the targets ("II. CHỈ TIÊU"), read as a "2. Chỉ tiêu" sub-heading of the objectives."""
    if not lines:
        return []
    heading = TextLine(where=lines[0].where, text="2. Chỉ tiêu", bold=True)
    return [heading, *lines]


def _short_heading(text: str) -> bool:
    """A numbered line that reads as a sub-heading in plain text: short, no sentence ending."""
    stripped = text.strip()
    return 0 < len(stripped) <= 80 and not stripped.endswith((".", ";", ":", ","))


def _objective_date(text: str) -> tuple[date | None, str]:
    key = fold(text)
    m = re.search(r"quy ([ivx]+|[1-4]) (?:nam )?(\d{4})", key)
    phrase = ""
    if m:
        phrase = f"Quý {m.group(1).upper()}/{m.group(2)}"
    else:
        m = re.search(r"(?:het|cuoi|den|trong) nam (\d{4})", key) or re.match(r"nam (\d{4})\b", key)
        if m:
            phrase = f"Năm {m.group(1)}"
    if not phrase:
        return None, ""
    schedule = parse_time_phrase(phrase, ScheduleContext())
    if not schedule.deadlines:
        return None, ""
    return schedule.deadlines[-1].due, schedule.deadlines[-1].reason


def _duties(
    lines: Sequence[TextLine], registry: AgencyRegistry, *, section: str, prefix: str = GENERAL_DUTY
) -> list[Duty]:
    items: list[tuple[str, list[str]]] = []
    for line in lines:
        m = _NUMBERED.match(line.text)
        if m:
            items.append((m.group(1), [m.group(2).strip()]))
            continue
        if fold(line.text).startswith("noi nhan"):
            break
        if items:
            b = _BULLET.match(line.text)
            items[-1][1].append(b.group(2).strip() if b else line.text.strip())
    if not items and prefix == FUNDING:  # a funding section in plain paragraphs: one passage
        text_lines = [line.text.strip() for line in lines if line.text.strip()]
        items = [("1", text_lines)] if text_lines else []
    duties: list[Duty] = []
    for number, parts in items:
        text = "\n".join(p for p in parts if p).strip(" /")
        names = tuple(dict.fromkeys(m.name for m in registry.find_mentions(text) if m.name))
        label = f"{section}.{number}" if section else number
        duties.append(Duty(code=f"{prefix}.{number}", label=label, text=text, agencies=names))
    return duties


def _body_paragraphs(lines: Sequence[TextLine]) -> list[BodyParagraph]:
    """The body after the title, each line labelled with its section and item ("IV.4") and the item's lead-in."""
    paragraphs: list[BodyParagraph] = []
    section = item = subject = ""
    for line in lines:
        key = fold(line.text)
        if key.startswith(("phu luc", "noi nhan")) or _SIGN_BLOCK.match(line.text):
            break
        m = _BODY_SECTION.match(line.text)
        if m and roman_to_int(m.group(1)) and (line.heading or line.bold or m.group(2).isupper()):
            section, item, subject = m.group(1).upper(), "", ""
            continue
        text = line.text
        numbered = _NUMBERED.match(text)
        if numbered and not line.heading:
            item = numbered.group(1)
            text = numbered.group(2)
            head, colon, _ = text.partition(":")
            subject = head if colon and len(head) <= 200 else ""
        elif numbered:
            item, subject = numbered.group(1), ""
            continue
        bullet = _BULLET.match(text)
        if bullet:
            text = bullet.group(2)
        label = ".".join(part for part in (section, item) if part)
        paragraphs.append(BodyParagraph(label=label, text=text, subject=subject))
    return paragraphs
