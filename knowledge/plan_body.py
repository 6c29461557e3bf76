"""A plan's facts read from its body text: number, date, title, period, issuer, signer, what it replaces, its
objectives, its general duties and its reporting dates. Pure functions over :class:`~knowledge.document.TextLine`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from knowledge.agencies import AgencyRegistry
from knowledge.document import TextLine
from knowledge.errors import PlanFormatError
from knowledge.records import Duty, Objective, ReportingDate, ScheduleContext, YearRange
from knowledge.roman import roman_to_int
from knowledge.schedule import parse_time_phrase
from knowledge.text import fold

__all__ = ["PlanFacts", "read_plan_facts"]

_BODY_SECTION = re.compile(r"^([IVXLC]+)\s*[.)]\s+(.+)$")
_NUMBERED = re.compile(r"^(\d+)\s*[.)]\s+(.*)$")
_BULLET = re.compile(r"^([-+•–*])\s+(.*)$")
_PLAN_NUMBER = r"(\d+)\s*/\s*((?:KH|QĐ|QD|CT)(?:\s*-\s*[A-ZĐ]+)+)"
_NUMBER_LINE = re.compile(r"^\s*Số\s*:?\s*" + _PLAN_NUMBER, re.IGNORECASE)
_NUMBER_IN_TEXT = re.compile(r"kế hoạch số\s*" + _PLAN_NUMBER, re.IGNORECASE)
_DATE_SLASH = re.compile(r"ngày\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE)
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_ISSUER = re.compile(r"(Ủy ban nhân dân|UBND)\s+(thành phố|tỉnh)\s+((?:[A-ZĐÂĂÊÔƠƯ][\wÀ-ỹ]*\s?)+)")
_PERIOD = re.compile(r"giai đoạn\s*(\d{4})\s*[-–—]\s*(\d{4})", re.IGNORECASE)
_REPLACES = re.compile(r"thay thế\s+kế hoạch số\s*" + _PLAN_NUMBER + r"([^.;]*)", re.IGNORECASE)
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


def read_plan_facts(lines: Sequence[TextLine], *, registry: AgencyRegistry, source: str) -> PlanFacts:
    """The plan's facts; raises :class:`PlanFormatError` when no plan number can be found."""
    number, issued_on = _plan_number_and_date(lines, source)
    title = _title(lines) or source
    period = _period(title, lines)
    body = _body_sections(lines)
    objectives = _objectives(body.get("muc tieu", []))
    duties_label = body.get("to chuc thuc hien#label", [])
    duties = _duties(body.get("to chuc thuc hien", []), registry, section=duties_label[0].text if duties_label else "")
    reporting, city_reporting = _reporting_dates(duties)
    replaces, replaces_text = _replaces(lines)
    signer, signer_title = _signer(lines)
    return PlanFacts(
        number=number,
        issued_on=issued_on,
        title=title,
        period=period,
        issuer=_issuer(lines),
        replaces=replaces,
        replaces_text=replaces_text,
        signer=signer,
        signer_title=signer_title,
        objectives=tuple(objectives),
        duties=tuple(duties),
        reporting_date=reporting,
        city_reporting_date=city_reporting,
    )


def _plan_number_and_date(lines: Sequence[TextLine], source: str) -> tuple[str, date | None]:
    number = ""
    issued: date | None = None
    for line in lines:
        m = _NUMBER_LINE.match(line.text)
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


def _title(lines: Sequence[TextLine]) -> str:
    for i, line in enumerate(lines):
        if fold(line.text) == "ke hoach" and i + 1 < len(lines):
            return lines[i + 1].text
    for line in lines:
        if line.heading:
            return line.text
    return ""


def _period(title: str, lines: Sequence[TextLine]) -> YearRange | None:
    for text in (title, *(line.text for line in lines)):
        m = _PERIOD.search(text)
        if m:
            start, end = int(m.group(1)), int(m.group(2))
            if start <= end:
                return YearRange(start=start, end=end)
    return None


def _issuer(lines: Sequence[TextLine]) -> str:
    for line in lines:
        m = _ISSUER.search(line.text)
        if m:
            words = m.group(3).split()
            place = " ".join(w for w in words[:3] if w[:1].isupper())
            return f"Ủy ban nhân dân {m.group(2).lower()} {place}".strip()
    return ""


def _replaces(lines: Sequence[TextLine]) -> tuple[str, str]:
    for line in lines:
        m = _REPLACES.search(line.text)
        if m:
            return _format_number(m.group(1), m.group(2)), line.text.strip(" ./")
    return "", ""


def _signer(lines: Sequence[TextLine]) -> tuple[str, str]:
    for i, line in enumerate(lines):
        if not _SIGN_BLOCK.match(line.text):
            continue
        title = ""
        for follower in lines[i + 1 : i + 6]:
            text = follower.text.strip()
            letters = [c for c in text if c.isalpha()]
            if letters and all(c.isupper() for c in letters):
                if not _SIGN_BLOCK.match(text):
                    title = _sentence_case(text)
                continue
            if fold(text).startswith("phu luc"):
                break
            words = text.split()
            if 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words):
                return text, title
            break
    return "", ""


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
            for name in ("muc tieu", "to chuc thuc hien", "muc dich"):
                if key.startswith(name):
                    sections[name] = current
                    sections[f"{name}#label"] = [TextLine(where=line.where, text=label)]
            continue
        if current is not None:
            current.append(line)
    return sections


def _objectives(lines: Sequence[TextLine]) -> list[Objective]:
    objectives: list[Objective] = []
    sub = "0"
    bullet = 0
    parent_date: tuple[date | None, str] = (None, "")
    sub_count = 0
    for line in lines:
        m = _NUMBERED.match(line.text)
        if m and (line.heading or line.bold):
            sub = m.group(1)
            bullet = 0
            continue
        b = _BULLET.match(line.text)
        text = b.group(2).strip() if b else line.text.strip()
        if b and b.group(1) == "+" and bullet:
            sub_count += 1
            label = f"MT.{sub}.{bullet}.{sub_count}"
            target, reason = _objective_date(text)
            if target is None:
                target, reason = parent_date
        else:
            bullet += 1
            sub_count = 0
            label = f"MT.{sub}.{bullet}" if b or sub != "1" else f"MT.{sub}"
            target, reason = _objective_date(text)
            parent_date = (target, reason)
        objectives.append(Objective(label=label, text=text, target_date=target, date_reason=reason))
    return objectives


def _objective_date(text: str) -> tuple[date | None, str]:
    key = fold(text)
    m = re.search(r"quy ([ivx]+|[1-4]) (?:nam )?(\d{4})", key)
    phrase = ""
    if m:
        phrase = f"Quý {m.group(1).upper()}/{m.group(2)}"
    else:
        m = re.search(r"(?:het|cuoi|den|trong) nam (\d{4})", key)
        if m:
            phrase = f"Năm {m.group(1)}"
    if not phrase:
        return None, ""
    schedule = parse_time_phrase(phrase, ScheduleContext())
    if not schedule.deadlines:
        return None, ""
    return schedule.deadlines[-1].due, schedule.deadlines[-1].reason


def _duties(lines: Sequence[TextLine], registry: AgencyRegistry, *, section: str) -> list[Duty]:
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
    duties: list[Duty] = []
    for number, parts in items:
        text = "\n".join(p for p in parts if p).strip(" /")
        names = tuple(dict.fromkeys(m.name for m in registry.find_mentions(text) if m.name))
        label = f"{section}.{number}" if section else number
        duties.append(Duty(code=f"TCTH.{number}", label=label, text=text, agencies=names))
    return duties


def _reporting_dates(duties: Sequence[Duty]) -> tuple[ReportingDate | None, ReportingDate | None]:
    found: list[ReportingDate] = []
    for duty in duties:
        for m in _BEFORE_DAY.finditer(duty.text):
            day, month = int(m.group(1)), int(m.group(2))
            try:
                date(2000, month, day)
            except ValueError:
                continue
            sentence = _sentence_around(duty.text, m.start(), m.end())
            found.append(ReportingDate(month=month, day=day, label=duty.label, text=sentence))
    first = found[0] if found else None
    second = found[1] if len(found) > 1 else None
    return first, second


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(sep, 0, start) for sep in (";", ".", ",", "\n")) + 1
    rights = [
        i for i in (text.find(";", end), text.find(".", end), text.find(",", end), text.find("\n", end)) if i >= 0
    ]
    right = min(rights) if rights else len(text)
    return text[left:right].strip()
