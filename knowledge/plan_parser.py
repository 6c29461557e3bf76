"""Turn a plan document's blocks into a :class:`~knowledge.records.ParsedPlan`.

The parser reads plans as they are printed, not as we wish they were:

- appendix section rows name the lead agency, with typos ("SƠ KẾ HOẠCH", "SỐ TÀI CHÍNH" mean "SỞ"), or a topic when
  the table has its own "Cơ quan chủ trì" column;
- a row split across a page break continues on a row with an empty STT cell and is merged back;
- numbering gaps (no section XII, no item XIII.2) are kept as printed and reported as notes;
- columns are found by meaning ("Nội dung công việc giao", "Cơ quan phối hợp", "Thời gian thực hiện" ...).

Everything the parser is unsure of is reported as an :class:`~knowledge.records.ImportIssue`; a document it cannot
read raises :class:`~knowledge.errors.PlanFormatError` naming the place and what was expected.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from knowledge.agencies import AgencyRegistry
from knowledge.document import Block, TableRow, TextLine, read_docx_document, read_text_document
from knowledge.errors import PlanFormatError
from knowledge.records import (
    Agency,
    Duty,
    ImportIssue,
    Objective,
    ParsedPlan,
    Plan,
    ReportingDate,
    ScheduleContext,
    Task,
    YearRange,
)
from knowledge.schedule import parse_time_phrase
from knowledge.text import fold, nfc

__all__ = ["parse_plan", "parse_plan_source", "roman_to_int"]

_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
# Sections are numbered in upper-case Roman numerals; "c)", "i)" are lettered items, never section C or I.
_ROMAN = re.compile(r"^([IVXLC]+)\s*[.)]?$")
_ROMAN_TITLE = re.compile(r"^([IVXLC]+)\s*[.):]\s+(\S.*)$")  # a whole-row section: "II. TỔ CHỨC ..."
_ITEM = re.compile(r"^(\d+(?:\.\d+)*)\s*[.)]?$")
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

_COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("stt", ("stt", "tt", "so tt", "so thu tu")),
    ("lead", ("chu tri",)),
    ("coordinators", ("phoi hop",)),
    ("product", ("san pham", "ket qua du kien", "ket qua")),
    ("time", ("thoi gian", "thoi han", "tien do", "han hoan thanh", "thoi diem")),
    ("content", ("noi dung", "nhiem vu", "cong viec", "ten nhiem vu", "de an")),
)


def roman_to_int(text: str) -> int:
    """Value of a Roman numeral (``"XIII"`` → 13); 0 if ``text`` is not one."""
    total = 0
    prev = 0
    for ch in reversed(text.strip().lower()):
        value = _ROMAN_VALUES.get(ch)
        if value is None:
            return 0
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


def parse_plan_source(data: bytes, *, name: str, registry: AgencyRegistry) -> ParsedPlan:
    """Parse a plan file's bytes; ``name`` (its file name) picks the format: ``.docx`` or text/Markdown."""
    digest = hashlib.sha256(data).hexdigest()
    if name.lower().endswith(".docx"):
        blocks = read_docx_document(data, source=name)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise PlanFormatError(
                f"not UTF-8 text (byte {exc.start})",
                source=name,
                where=f"line {line}",
                expected="a UTF-8 text, Markdown or .docx file",
            ) from exc
        blocks = read_text_document(text)
    return parse_plan(blocks, registry=registry, source=name, source_hash=digest)


@dataclass(kw_only=True)
class _Columns:
    index: dict[str, int]
    width: int
    header: tuple[str, ...]

    def get(self, cells: Sequence[str], role: str) -> str:
        i = self.index.get(role)
        if i is None or i >= len(cells):
            return ""
        return cells[i].strip()


@dataclass(kw_only=True)
class _RawTask:
    where: str
    section_code: str
    section_title: str
    section_lead: str | None
    item: str
    cells: list[str]
    columns: _Columns
    continued_at: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class _State:
    registry: AgencyRegistry
    source: str
    issues: list[ImportIssue] = field(default_factory=list)
    unknown: dict[str, Agency] = field(default_factory=dict)

    def warn(self, code: str, message: str, where: str = "") -> None:
        self.issues.append(ImportIssue(level="warning", code=code, message=message, where=where))

    def note(self, code: str, message: str, where: str = "") -> None:
        self.issues.append(ImportIssue(level="note", code=code, message=message, where=where))

    def unknown_agency(self, printed: str, where: str) -> str:
        name = _display_name(printed)
        if name not in self.unknown:
            self.unknown[name] = Agency(name=name, kind="unknown")
            self.warn(
                "unknown-agency", f"cơ quan “{printed}” chưa có trong danh mục; giữ nguyên tên như văn bản", where
            )
        return name


def parse_plan(blocks: Sequence[Block], *, registry: AgencyRegistry, source: str, source_hash: str = "") -> ParsedPlan:
    """Parse a plan from its blocks. Raises :class:`PlanFormatError` when no plan or no task table is found."""
    state = _State(registry=registry, source=source)
    lines = [b for b in blocks if isinstance(b, TextLine)]
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
    issuer = _issuer(lines)

    context = ScheduleContext(period=period, reporting_date=reporting, plan_date=issued_on)
    raw_tasks = _read_task_tables([b for b in blocks if isinstance(b, TableRow)], state)
    tasks = _build_tasks(raw_tasks, number, context, state)
    if not tasks:
        raise PlanFormatError(
            "no tasks found",
            source=source,
            expected="a table with columns such as STT, Nội dung, Cơ quan chủ trì/phối hợp, Thời gian thực hiện",
        )
    if period is None:
        state.warn(
            "no-period",
            "kế hoạch không nêu giai đoạn (giai đoạn YYYY - YYYY); hạn định kỳ tính theo năm ban hành",
        )
    if reporting is None:
        state.note("no-reporting-date", "kế hoạch không nêu ngày báo cáo hằng năm; nhiệm vụ hằng năm lấy hạn 31/12")

    plan = Plan(
        number=number,
        title=title,
        issuer=issuer,
        issued_on=issued_on,
        period=period,
        replaces=replaces,
        replaces_text=replaces_text,
        signer=signer,
        signer_title=signer_title,
        reporting_date=reporting,
        city_reporting_date=city_reporting,
        objectives=tuple(objectives),
        duties=tuple(duties),
        tasks=tuple(tasks),
        source_name=source,
        source_hash=source_hash,
    )
    return ParsedPlan(plan=plan, agencies=_agencies_used(plan, registry, state), issues=tuple(state.issues))


# -- plan facts ---------------------------------------------------------------------------------------------------


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


# -- appendix tables ----------------------------------------------------------------------------------------------


def _find_columns(cells: Sequence[str]) -> _Columns | None:
    index: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = fold(cell)
        if not key:
            continue
        for role, words in _COLUMN_WORDS:
            if role in index:
                continue
            if role == "stt":
                if key in words:
                    index[role] = i
                    break
                continue
            if any(w in key for w in words):
                index[role] = i
                break
    if "stt" not in index or "content" not in index:
        return None
    return _Columns(index=index, width=len(cells), header=tuple(fold(c) for c in cells))


def _read_task_tables(rows: Sequence[TableRow], state: _State) -> list[_RawTask]:
    tasks: list[_RawTask] = []
    columns: _Columns | None = None
    current_table = 0
    section_code = ""
    section_title = ""
    section_lead: str | None = None
    last_section_no = 0
    last_item = 0
    for row in rows:
        if row.table != current_table:
            current_table = row.table
            found = _find_columns(row.cells)
            if found is not None:
                columns = found
                continue
            if columns is None or len(row.cells) != columns.width:
                columns = None
        if columns is None:
            continue
        if tuple(fold(c) for c in row.cells) == columns.header:
            continue  # header repeated after a page break
        cells = list(row.cells)
        if len(cells) > columns.width:
            extra = [c for c in cells[columns.width :] if c.strip()]
            if extra:
                raise PlanFormatError(
                    f"row has {len(cells)} cells but the table header has {columns.width}",
                    source=state.source,
                    where=row.where,
                    expected=f"{columns.width} cells",
                )
            cells = cells[: columns.width]
        cells += [""] * (columns.width - len(cells))
        stt = columns.get(cells, "stt")
        rest = [c for i, c in enumerate(cells) if i != columns.index["stt"] and c.strip()]
        roman = _ROMAN.match(stt)
        whole_row = _ROMAN_TITLE.match(stt) if not rest else None  # section title in cells merged across the row
        if whole_row and roman_to_int(whole_row.group(1)):
            roman = whole_row
            rest = [whole_row.group(2).strip()]
        item = _ITEM.match(stt)
        if roman and roman_to_int(roman.group(1)):
            code = roman.group(1).upper()
            number = roman_to_int(code)
            if last_section_no and number > last_section_no + 1:
                missing = ", ".join(_int_to_roman(n) for n in range(last_section_no + 1, number))
                state.note(
                    "numbering-gap", f"văn bản không có mục {missing}; giữ nguyên số thứ tự như văn bản", row.where
                )
            last_section_no = number
            section_code = code
            section_title = columns.get(cells, "content") or (rest[0] if rest else "")
            section_lead = _section_lead(section_title, columns, row.where, state)
            last_item = 0
            continue
        if item:
            number_text = item.group(1)
            head = int(number_text.split(".")[0])
            if "." not in number_text and last_item and head > last_item + 1:
                missing = ", ".join(
                    f"{section_code}.{n}" if section_code else str(n) for n in range(last_item + 1, head)
                )
                state.note(
                    "numbering-gap", f"văn bản không có nhiệm vụ {missing}; giữ nguyên số thứ tự như văn bản", row.where
                )
            if "." not in number_text:
                last_item = head
            tasks.append(
                _RawTask(
                    where=row.where,
                    section_code=section_code,
                    section_title=section_title,
                    section_lead=section_lead,
                    item=number_text,
                    cells=cells,
                    columns=columns,
                )
            )
            continue
        if not stt:
            if not rest:
                continue
            if tasks:
                previous = tasks[-1]
                previous.cells = [_join(a, b) for a, b in zip(previous.cells, cells, strict=True)]
                previous.continued_at.append(row.where)
                continue
            raise PlanFormatError(
                "row without STT before any task",
                source=state.source,
                where=row.where,
                expected="a section (I, II, ...) or a numbered task row first",
            )
        raise PlanFormatError(
            f"unrecognised STT {stt!r}",
            source=state.source,
            where=row.where,
            expected="a Roman numeral (section), a number (task) or an empty cell (a row continued from above)",
        )
    return tasks


def _join(first: str, second: str) -> str:
    first, second = first.strip(), second.strip()
    if first and second:
        return f"{first} {second}"
    return first or second


def _int_to_roman(number: int) -> str:
    out = []
    for value, letters in (
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _section_lead(title: str, columns: _Columns, where: str, state: _State) -> str | None:
    resolution = state.registry.resolve(title)
    if resolution is not None:
        printed_first = nfc(title).split()[0] if title.split() else ""
        canonical_first = resolution.agency.name.split()[0]
        if not resolution.exact or (
            fold(printed_first) == fold(canonical_first) and printed_first.lower() != canonical_first.lower()
        ):
            state.note(
                "typo-corrected",
                f"tiêu đề mục “{title}” được hiểu là “{resolution.agency.name}”",
                where,
            )
        return resolution.agency.name
    if "lead" in columns.index:
        return None  # a topic heading; each row names its lead agency
    return state.unknown_agency(title, where)


def _build_tasks(raw: Sequence[_RawTask], number: str, context: ScheduleContext, state: _State) -> list[Task]:
    tasks: list[Task] = []
    seen: dict[str, str] = {}
    columns_roles = ("content", "lead", "coordinators", "product", "time")
    for position, item in enumerate(raw, start=1):
        code = f"{item.section_code}.{item.item}" if item.section_code else item.item
        if code in seen:
            raise PlanFormatError(
                f"task id {code} appears twice (first at {seen[code]})",
                source=state.source,
                where=item.where,
                expected="unique STT numbers within a section",
            )
        seen[code] = item.where
        values = {role: item.columns.get(item.cells, role) for role in columns_roles}
        content = values["content"]
        if not content:
            raise PlanFormatError(
                f"task {code} has no content", source=state.source, where=item.where, expected="a task description"
            )
        for where in item.continued_at:
            state.note("row-continued", f"nhiệm vụ {code} tiếp tục sang trang sau; đã ghép hai dòng", where)
        lead = _names(values["lead"], item.where, state) if values["lead"] else ()
        if not lead and item.section_lead:
            lead = (item.section_lead,)
        if not lead:
            state.warn("no-lead", f"nhiệm vụ {code} không có cơ quan chủ trì", item.where)
        coordinators = tuple(n for n in _names(values["coordinators"], item.where, state) if n not in lead)
        time_text = values["time"]
        schedule = parse_time_phrase(
            time_text,
            ScheduleContext(
                period=context.period,
                reporting_date=context.reporting_date,
                plan_date=context.plan_date,
                section=code,
            ),
        )
        if not time_text:
            state.warn("missing-time", f"nhiệm vụ {code} không ghi thời gian thực hiện", item.where)
        elif not schedule.recognised:
            state.warn(
                "unparsed-time",
                f"nhiệm vụ {code}: không hiểu thời gian “{time_text}”; giữ nguyên văn bản, không tự đoán hạn",
                item.where,
            )
        tasks.append(
            Task(
                plan_number=number,
                code=code,
                position=position,
                section_code=item.section_code,
                section_title=item.section_title,
                content=content.rstrip(),
                lead=lead,
                coordinators=coordinators,
                product=values["product"],
                time_text=time_text,
                schedule=schedule,
                coordinators_text=values["coordinators"],
            )
        )
    return tasks


def _names(cell: str, where: str, state: _State) -> tuple[str, ...]:
    names: list[str] = []
    for mention in state.registry.split_names(cell):
        name = mention.name or state.unknown_agency(mention.text, where)
        if name not in names:
            names.append(name)
    return tuple(names)


def _display_name(printed: str) -> str:
    text = nfc(printed).strip(" .,;")
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        text = text.lower()
    return text[:1].upper() + text[1:]


def _agencies_used(plan: Plan, registry: AgencyRegistry, state: _State) -> tuple[Agency, ...]:
    names: dict[str, None] = {}
    for task in plan.tasks:
        for name in (*task.lead, *task.coordinators):
            names[name] = None
    for duty in plan.duties:
        for name in duty.agencies:
            names[name] = None
    out: list[Agency] = []
    for name in names:
        agency = registry.get(name) or state.unknown.get(name)
        if agency is not None:
            out.append(agency)
    return tuple(out)
