"""Turn a plan document's blocks into a :class:`~knowledge.records.ParsedPlan`.

The parser reads plans as they are printed, not as we wish they were:

- appendix section rows name the lead agency, with typos ("SƠ KẾ HOẠCH", "SỐ TÀI CHÍNH" mean "SỞ"), or a topic when
  the table has its own "Cơ quan chủ trì" column;
- a row split across a page break continues on a row with an empty STT cell and is merged back;
- numbering gaps (no section XII, no item XIII.2) are kept as printed and reported as notes;
- columns are found by meaning ("Nội dung công việc giao", "Cơ quan phối hợp", "Thời gian thực hiện" ...).

The body's facts are read by :mod:`knowledge.plan_body`, the tables by :mod:`knowledge.appendix`; this module joins
them and resolves agency names. Everything the parser is unsure of is reported as an
:class:`~knowledge.records.ImportIssue`; a document it cannot read raises :class:`~knowledge.errors.PlanFormatError`
naming the place and what was expected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from knowledge.abbreviations import merge_spellings
from knowledge.agencies import AgencyRegistry
from knowledge.appendix import RawTask, read_task_tables, split_roles
from knowledge.document import Block, TableRow, TextLine, read_docx_document, read_text_document
from knowledge.errors import PlanFormatError
from knowledge.file_format import FileKind, detect_kind
from knowledge.import_log import ImportLog, place_label
from knowledge.pdf_document import read_pdf_document
from knowledge.plan_body import read_plan_facts
from knowledge.prose_duties import read_prose_duties
from knowledge.records import Agency, ParsedPlan, Plan, ScheduleContext, Task
from knowledge.roman import roman_to_int
from knowledge.schedule import parse_time_phrase
from knowledge.text import fold, nfc

__all__ = ["body_lines", "parse_plan", "parse_plan_source", "roman_to_int"]


def parse_plan_source(data: bytes, *, name: str, registry: AgencyRegistry) -> ParsedPlan:
    """Parse a plan file's bytes; the format is read from the content (:func:`detect_kind`), not from ``name``."""
    digest = hashlib.sha256(data).hexdigest()
    kind = detect_kind(data)
    if kind == "docx":
        blocks = read_docx_document(data, source=name)
    elif kind == "pdf":
        blocks = read_pdf_document(data, source=name)
    elif kind == "text":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise PlanFormatError(
                f"not UTF-8 text (byte {exc.start})",
                source=name,
                where=f"line {line}",
                expected="a UTF-8 text, Markdown or .docx file",
                user_message=f"Tệp {name} không phải văn bản UTF-8 (dòng {line}): hãy lưu lại dạng UTF-8 hoặc .docx.",
            ) from exc
        blocks = read_text_document(text)
    else:
        raise PlanFormatError(
            f"cannot read a file of kind {kind}",
            source=name,
            expected="a UTF-8 text, Markdown or .docx file",
            user_message=_UNREADABLE[kind](name),
        )
    return parse_plan(blocks, registry=registry, source=name, source_hash=digest)


_UNREADABLE: dict[FileKind, Callable[[str], str]] = {
    "empty": lambda name: f"Tệp {name} rỗng: không có nội dung kế hoạch nào để nhập.",
    "legacy_doc": lambda name: (
        f"Tệp {name} là Word 97-2003 (.doc), định dạng cũ không đọc được. Hãy mở bằng Word hoặc LibreOffice và "
        "lưu lại dạng .docx rồi gửi lại."
    ),
    "archive": lambda name: f"Tệp {name} là tệp nén (zip) nhưng không phải văn bản Word (.docx).",
    "binary": lambda name: f"Tệp {name} không phải văn bản hay tệp Word (.docx): không đọc được nội dung.",
}


@dataclass(kw_only=True)
class _Names:
    """Agency names resolved against the registry; names it does not know are kept as printed, warned once."""

    registry: AgencyRegistry
    log: ImportLog
    unknown: dict[str, Agency] = field(default_factory=dict)

    def unknown_agency(self, printed: str, where: str) -> str:
        name = _display_name(printed)
        if name not in self.unknown:
            self.unknown[name] = Agency(name=name, kind="unknown")
            self.log.warning(
                "unknown-agency", f"cơ quan “{printed}” chưa có trong danh mục; giữ nguyên tên như văn bản", where
            )
        return name


def parse_plan(blocks: Sequence[Block], *, registry: AgencyRegistry, source: str, source_hash: str = "") -> ParsedPlan:
    """Parse a plan from its blocks. Raises :class:`PlanFormatError` when no plan or no task table is found."""
    log = ImportLog(source=source)
    names = _Names(registry=registry, log=log)
    lines = body_lines(blocks)
    facts = read_plan_facts(lines, registry=registry, source=source)
    context = ScheduleContext(period=facts.period, reporting_date=facts.reporting_date, plan_date=facts.issued_on)
    raw_tasks = read_task_tables([b for b in blocks if isinstance(b, TableRow)], log)
    if not raw_tasks:  # no task table: the duties the text assigns to each agency in numbered paragraphs
        raw_tasks = read_prose_duties(lines, registry)
        if raw_tasks:
            log.note("prose-duties", f"không có bảng phân công; đọc {len(raw_tasks)} nhiệm vụ giao trong văn bản")
    tasks = _one_name_per_body(_build_tasks(raw_tasks, facts.number, context, names), names)
    if not tasks:
        raise PlanFormatError(
            "no tasks found",
            source=source,
            expected="a table with columns such as STT, Nội dung, Cơ quan chủ trì/phối hợp, Thời gian thực hiện",
            user_message=(
                f"Tệp {source}: không tìm thấy nhiệm vụ nào. Kế hoạch cần có bảng phân công (Phụ lục) với các cột "
                "như STT, Nội dung, Cơ quan chủ trì, Cơ quan phối hợp, Thời gian thực hiện, hoặc giao việc theo "
                'từng cơ quan trong văn bản ("1. Sở …" rồi "a) …", "b) …"). Chưa nhập gì.'
            ),
        )
    if facts.period is None:
        log.warning(
            "no-period",
            "kế hoạch không nêu giai đoạn (giai đoạn YYYY - YYYY); hạn định kỳ tính theo năm ban hành",
        )
    if facts.reporting_date is None:
        log.note("no-reporting-date", "kế hoạch không nêu ngày báo cáo hằng năm; nhiệm vụ hằng năm lấy hạn 31/12")

    plan = Plan(
        number=facts.number,
        title=facts.title,
        issuer=facts.issuer,
        issued_on=facts.issued_on,
        period=facts.period,
        replaces=facts.replaces,
        replaces_text=facts.replaces_text,
        signer=facts.signer,
        signer_title=facts.signer_title,
        reporting_date=facts.reporting_date,
        city_reporting_date=facts.city_reporting_date,
        reporting_duties=facts.reporting_duties,
        objectives=facts.objectives,
        duties=facts.duties,
        tasks=tuple(tasks),
        source_name=source,
        source_hash=source_hash,
    )
    return ParsedPlan(plan=plan, agencies=_agencies_used(plan, registry, names), issues=tuple(log.issues))


def body_lines(blocks: Sequence[Block]) -> list[TextLine]:
    """The lines the plan's facts are read from: its paragraphs, and the cells of layout tables in place (the
    header "ỦY BAN NHÂN DÂN … | CỘNG HÒA …" and the signature "Nơi nhận … | TM. ỦY BAN NHÂN DÂN …" are often
    borderless tables of one or two rows and two or three cells; task tables are never that small)."""
    rows_of: dict[int, list[TableRow]] = {}
    for block in blocks:
        if isinstance(block, TableRow):
            rows_of.setdefault(block.table, []).append(block)
    layout = {t for t, rows in rows_of.items() if len(rows) <= 2 and all(len(r.cells) <= 3 for r in rows)}
    lines: list[TextLine] = []
    for block in blocks:
        if isinstance(block, TextLine):
            lines.append(block)
        elif block.table in layout:
            for index, cell in enumerate(block.cells, start=1):
                for part in cell.split("\n"):
                    if part.strip():
                        lines.append(TextLine(where=f"{block.where} cell {index}", text=part.strip()))
    return lines


def _section_lead(title: str, has_lead_column: bool, where: str, names: _Names) -> tuple[str, ...] | None:
    """The lead(s) a section row names ("SỞ Y TẾ"; "SỞ Y TẾ, SỞ CÔNG THƯƠNG" for tasks both lead), or None for a
    topic heading over rows that name their own leads."""
    joint = names.registry.split_names(title)
    if len(joint) >= 2 and all(m.name for m in joint):
        return tuple(dict.fromkeys(m.name for m in joint if m.name))
    resolution = names.registry.resolve(title)
    if resolution is not None:
        printed_first = nfc(title).split()[0] if title.split() else ""
        canonical_first = resolution.agency.name.split()[0]
        if not resolution.exact or (
            fold(printed_first) == fold(canonical_first) and printed_first.lower() != canonical_first.lower()
        ):
            names.log.note(
                "typo-corrected",
                f"tiêu đề mục “{title}” được hiểu là “{resolution.agency.name}”",
                where,
            )
        return (resolution.agency.name,)
    if has_lead_column:
        return None  # a topic heading; each row names its lead agency
    return (names.unknown_agency(title, where),)


def _build_tasks(raw: Sequence[RawTask], number: str, context: ScheduleContext, names: _Names) -> list[Task]:
    log = names.log
    section_leads: dict[tuple[str, str], tuple[str, ...] | None] = {}
    for item in raw:  # each section's lead once, in document order (its typo note once)
        key = (item.section_code, item.section_where)
        if item.section_where and key not in section_leads:
            section_leads[key] = _section_lead(
                item.section_title,
                "lead" in item.columns.index or "agencies" in item.columns.index,
                item.section_where,
                names,
            )
    tasks: list[Task] = []
    seen: dict[str, str] = {}
    columns_roles = ("content", "lead", "coordinators", "agencies", "product", "time")
    for position, item in enumerate(raw, start=1):
        code = f"{item.section_code}.{item.item}" if item.section_code and item.section_in_id else item.item
        if code in seen:
            raise PlanFormatError(
                f"task id {code} appears twice (first at {seen[code]})",
                source=log.source,
                where=item.where,
                expected="unique STT numbers within a section",
                user_message=(
                    f"Tệp {log.source}: số thứ tự {code} xuất hiện hai lần ({place_label(seen[code])} và "
                    f"{place_label(item.where)}). Chưa nhập gì."
                ),
            )
        seen[code] = item.where
        values = {role: item.columns.get(item.cells, role) for role in columns_roles}
        content = values["content"]
        if not content:
            raise PlanFormatError(
                f"task {code} has no content",
                source=log.source,
                where=item.where,
                expected="a task description",
                user_message=(
                    f"Tệp {log.source}: nhiệm vụ {code} không có nội dung ({place_label(item.where)}). Chưa nhập gì."
                ),
            )
        for where in item.continued_at:
            log.note("row-continued", f"nhiệm vụ {code} tiếp tục sang trang sau; đã ghép hai dòng", where)
        if values["agencies"] and not values["lead"]:  # "Sở X chủ trì, phối hợp với Sở Y" in one column
            values["lead"], joint = split_roles(values["agencies"])
            values["coordinators"] = values["coordinators"] or joint
        lead = _names(values["lead"], item.where, names) if values["lead"] else ()
        section_lead = section_leads.get((item.section_code, item.section_where))
        if not lead and section_lead:
            lead = section_lead
        if not lead:
            log.warning("no-lead", f"nhiệm vụ {code} không có cơ quan chủ trì", item.where)
        coordinators = tuple(n for n in _names(values["coordinators"], item.where, names) if n not in lead)
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
            log.warning("missing-time", f"nhiệm vụ {code} không ghi thời gian thực hiện", item.where)
        elif not schedule.recognised:
            log.warning(
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


def _one_name_per_body(tasks: list[Task], names: _Names) -> list[Task]:
    """Unknown bodies written out once and abbreviated elsewhere ("Bảo hiểm xã hội thành phố", "BHXH thành phố")
    become one, under the full name, with the abbreviation as an alias."""
    renames = merge_spellings(list(names.unknown))
    if not renames:
        return tasks
    for short, full in renames.items():
        del names.unknown[short]
        agency = names.unknown[full]
        names.unknown[full] = replace(agency, aliases=(*agency.aliases, short))
        names.log.note("abbreviation", f"“{short}” là cách viết tắt của “{full}”: tính là một cơ quan")

    def renamed(found: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(renames.get(n, n) for n in found))

    return [replace(t, lead=renamed(t.lead), coordinators=renamed(t.coordinators)) for t in tasks]


def _names(cell: str, where: str, names: _Names) -> tuple[str, ...]:
    found: list[str] = []
    for mention in names.registry.split_names(cell):
        name = mention.name or names.unknown_agency(mention.text, where)
        if name not in found:
            found.append(name)
    return tuple(found)


def _display_name(printed: str) -> str:
    text = nfc(printed).strip(" .,;")
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        text = text.lower()
    return text[:1].upper() + text[1:]


def _agencies_used(plan: Plan, registry: AgencyRegistry, names: _Names) -> tuple[Agency, ...]:
    used: dict[str, None] = {}
    for task in plan.tasks:
        for name in (*task.lead, *task.coordinators):
            used[name] = None
    for duty in plan.duties:
        for name in duty.agencies:
            used[name] = None
    out: list[Agency] = []
    for name in used:
        agency = registry.get(name) or names.unknown.get(name)
        if agency is not None:
            out.append(agency)
    return tuple(out)
