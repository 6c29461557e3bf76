"""Reporting duties read from a plan's body, wherever the text states them: who reports, to whom, by when, how often.

A duty is anchored on a date ("trước ngày 15 tháng 11", "trước 15/6 và 15/12", "trước ngày 20 của tháng cuối quý")
in a sentence that speaks of a report ("báo cáo"), or on a frequency alone ("định kỳ hằng quý báo cáo … về Sở X").
Around each anchor, inside its own stretch of the sentence (from the previous anchor to this one):

- the **frequency** is the nearest one stated ("hằng năm" after the date, "định kỳ 6 tháng" before it), else the one
  an earlier duty of the same sentence stated, else ``once`` for a date with a year, else ``unknown``; a date with
  its year is ``once`` also beside a period that only names the report ("sơ kết 6 tháng … trước ngày 25/6/2026"),
  unless a word of recurrence says otherwise ("định kỳ", "hằng", "mỗi");
- the **receiver** is the agency after "gửi về", "gửi", "về", "báo cáo", "lên", "trình" (canonical when the registry
  knows it, else as printed);
- the **reporters** are the agencies named before the report verb ("Sở Kế hoạch và Đầu tư tổng hợp, báo cáo …"),
  else those of the paragraph's lead-in ("4. Các Sở, ban, ngành …:"), else the previous duty's; a subject that is the
  catch-all "các Sở, ban, ngành" (everyone assigned tasks) gives no reporters: the agencies assigned tasks.

:func:`yearly_reporting_dates` then picks, for the schedule, the plan's yearly reporting date (what "Hàng năm" tasks
fall due on) and the lead office's own report to the city. Nothing here guesses: a fact the sentence does not state
stays empty.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from knowledge.agencies import AgencyRegistry
from knowledge.records import ReportFrequency, ReportingDate, ReportingDuty
from knowledge.text import fold, nfc

__all__ = ["BodyParagraph", "read_reporting_duties", "yearly_reporting_dates"]

CATCH_ALL_REPORTERS = frozenset({"Các Sở, ngành liên quan"})
"""Registry groups that, as the subject of a report, mean "every agency assigned tasks"."""
_CITY = "Ủy ban nhân dân thành phố"

_DAY_MONTH = (
    r"(?P<day>\d{1,2})\s*(?:tháng\s*|/\s*|-\s*|\.\s*)(?P<month>\d{1,2})"
    r"(?:\s*(?:năm\s*|/\s*|-\s*|\.\s*)(?P<year>(?:19|20|21)\d{2}))?(?![\d/])"
)
_CUE = r"trước|chậm nhất(?:\s+là)?|trong|vào|hạn|không quá|đến hết|đến|muộn nhất"
_DATE_ANCHOR = re.compile(rf"(?:(?P<cue>{_CUE})\s+)?(?P<ngay>ngày\s+)?{_DAY_MONTH}", re.IGNORECASE)
_DAY_ANCHOR = re.compile(
    rf"(?:(?P<cue>{_CUE})\s+)ngày\s+(?P<day>\d{{1,2}})\s+(?:của\s+)?"
    r"(?P<which>tháng\s+cuối\s+(?:mỗi\s+|của\s+mỗi\s+|của\s+)?quý|(?:hằng|hàng|mỗi)\s+tháng|(?:hằng|hàng|mỗi)\s+quý)",
    re.IGNORECASE,
)
_QUARTER_ENDS: tuple[int, ...] = (3, 6, 9, 12)
_EVERY_MONTH: tuple[int, ...] = tuple(range(1, 13))
_RECURRING = re.compile(r"\b(?:định\s+kỳ|hằng|hàng\s+(?:năm|quý|tháng)|mỗi)\b", re.IGNORECASE)
# "Định kỳ hằng quý, các sở, ban, ngành …": the frequency before the reporters is not part of their name
_LEADING_FREQUENCY = re.compile(
    r"^(?:định\s+kỳ\s*)?(?:(?:hằng|hàng|mỗi)\s+(?:quý|tháng|năm)|(?:0?6|sáu)\s+tháng(?:\s+một\s+lần)?)?\s*,?\s*",
    re.IGNORECASE,
)
_TO_THE_DIRECTOR = re.compile(r"(?:về|gửi|lên|trình)\s+Giám\s+đốc\s+Sở\b(?!\s+[A-ZĐ])", re.IGNORECASE)
_QUARTER_ANCHOR = re.compile(
    rf"(?:(?:{_CUE})\s+)?quý\s+(?P<quarter>IV|III|II|I|[1-4])\s*(?:/|năm\s+)(?P<year>\d{{4}})", re.IGNORECASE
)
_QUARTER_NUMBERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_CONTINUATION = re.compile(rf"^\s*(?:,|và|hoặc)\s*(?:(?:{_CUE})\s+)?(?:ngày\s+)?{_DAY_MONTH}", re.IGNORECASE)
_DOCUMENT_REFERENCE = re.compile(r"số\s*[\w/.\-–]+\s*$", re.IGNORECASE)

_FREQUENCIES: tuple[tuple[ReportFrequency, re.Pattern[str]], ...] = (
    (
        "half-yearly",
        re.compile(r"\b(?:định kỳ\s+)?(?:0?6|sáu)\s+tháng(?:\s+một\s+lần)?\b|\b(?:hằng|hàng|mỗi)?\s*nửa\s+năm\b", re.I),
    ),
    (
        "quarterly",
        re.compile(r"\b(?:hằng|hàng|mỗi)\s+quý\b|\bđịnh kỳ\s+(?:hằng\s+|hàng\s+)?quý\b|\btheo\s+quý\b", re.I),
    ),
    (
        "monthly",
        re.compile(r"\b(?:hằng|hàng|mỗi)\s+tháng\b|\bđịnh kỳ\s+(?:hằng\s+|hàng\s+)?tháng\b|\btheo\s+tháng\b", re.I),
    ),
    (
        "yearly",
        re.compile(
            r"\b(?:hằng|hàng|mỗi)\s+năm\b|\bđịnh kỳ\s+năm\b|\btheo\s+năm\b|\bbáo cáo\s+(?:tổng kết\s+)?năm\b", re.I
        ),
    ),
)
_REPORT = re.compile(r"\bbáo\s+cáo\b", re.IGNORECASE)
_RECEIVER_CUE = re.compile(r"(?:gửi\s+về|gửi\s+đến|gửi\s+tới|gửi|về|báo\s+cáo|lên|trình|cho)\s*$", re.IGNORECASE)
_NOT_SUBJECT_CUE = re.compile(
    r"(?:với|cùng|của|theo|cho|về|gửi|báo\s+cáo|lên|trình|đến|tới|tham\s+mưu|đề\s+nghị|giúp)\s*$", re.IGNORECASE
)
_PRINTED_RECEIVER = re.compile(
    r"(?:gửi\s+về|gửi|về|báo\s+cáo|lên|trình)\s+"
    r"(?P<name>(?:Bộ|Sở|Ủy ban|UBND|Văn phòng|Ban|Cục|Tổng cục|Chính phủ|Thủ tướng|Thành ủy|Tỉnh ủy|Hội đồng|HĐND)"
    r"\b[^,;.()]*?)(?=\s+(?:trước|chậm|trong|vào|để|theo|định kỳ|hằng|hàng|trình)\b|\s*[,;.()]|\s*$)",
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\W\d_])")


@dataclass(frozen=True, kw_only=True, slots=True)
class BodyParagraph:
    """A paragraph of the plan body with where it stands, and the lead-in of its numbered item.

    ``label`` is the plan's own numbering ("IV.4"); ``subject`` is the item's lead-in ("Các Sở, ban, ngành và Ủy ban
    nhân dân các quận, huyện" for the bullets under "4. Các Sở, ban, ngành và …:"), for sentences with no subject.
    """

    label: str
    text: str
    subject: str = ""


@dataclass(frozen=True, slots=True)
class _Anchor:
    start: int
    end: int
    day: int | None
    month: int | None
    year: int | None
    frequency: ReportFrequency | None  # implied by the anchor itself ("ngày 20 hằng tháng")
    continued: bool = False  # "… và 15/12" after another date
    months: tuple[int, ...] = ()  # the months it names without a number: 3, 6, 9, 12 for "tháng cuối quý"


@dataclass(frozen=True, slots=True)
class _Who:
    reporters: tuple[str, ...]
    text: str


def read_reporting_duties(
    paragraphs: Sequence[BodyParagraph], registry: AgencyRegistry, *, issuer: str = ""
) -> tuple[ReportingDuty, ...]:
    """Every reporting duty the paragraphs state, in document order, without duplicates. ``issuer`` is the body that
    issued the plan: in a department's plan, a report "về Giám đốc Sở" goes to that department's director."""
    found: dict[tuple[object, ...], ReportingDuty] = {}
    for paragraph in paragraphs:
        for sentence in _sentences(paragraph.text):
            for duty in _sentence_duties(sentence, paragraph, registry):
                if not duty.receiver and issuer.startswith("Sở ") and _TO_THE_DIRECTOR.search(duty.text):
                    duty = replace(duty, receiver=f"Giám đốc {issuer}")
                key = (duty.reporters, duty.receiver, duty.frequency, duty.day, duty.months, duty.year)
                found.setdefault(key, duty)
    return tuple(found.values())


def yearly_reporting_dates(
    duties: Sequence[ReportingDuty],
) -> tuple[ReportingDate | None, ReportingDate | None]:
    """The plan's yearly reporting date (agencies report) and the lead office's report to the city, from its duties.

    The first is what "Hàng năm" tasks fall due on: a yearly duty of the agencies assigned tasks, else a dated duty
    whose frequency is not stated (a half-yearly or quarterly report is no yearly date: "Hàng năm" then falls on
    31/12). The second is a yearly duty by one named office to the city (435/KH-UBND: the Department of Planning's
    10/12 report).
    """
    dated = [d for d in duties if d.day is not None and d.month is not None and d.frequency in ("yearly", "unknown")]
    city = next(
        (d for d in dated if d.receiver == _CITY and d.reporters and d.frequency in ("yearly", "unknown")), None
    )
    rest = [d for d in dated if d is not city]
    reporting = next((d for d in rest if d.frequency == "yearly"), None)
    if reporting is None:
        reporting = next((d for d in rest if d.frequency == "unknown"), None)
    return _reporting_date(reporting), _reporting_date(city)


def _reporting_date(duty: ReportingDuty | None) -> ReportingDate | None:
    if duty is None or duty.day is None or duty.month is None:
        return None
    return ReportingDate(month=duty.month, day=duty.day, label=duty.label, text=_clause(duty))


def _clause(duty: ReportingDuty) -> str:
    """The clause of the duty's sentence that states its date ("… gửi về Sở X trước ngày 15 tháng 11")."""
    text = duty.text
    for match in _DATE_ANCHOR.finditer(text):
        if match["day"] and int(match["day"]) == duty.day and match["month"] and int(match["month"]) == duty.month:
            left = max(text.rfind(sep, 0, match.start()) for sep in (";", ".", ",", "\n")) + 1
            rights = [i for i in (text.find(sep, match.end()) for sep in (";", ".", ",", "\n")) if i >= 0]
            return text[left : min(rights) if rights else len(text)].strip()
    return text


# -- one sentence --------------------------------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(nfc(text).replace("\n", " ")) if s.strip()]


def _sentence_duties(sentence: str, paragraph: BodyParagraph, registry: AgencyRegistry) -> list[ReportingDuty]:
    if not _REPORT.search(sentence):
        return []
    anchors = _anchors(sentence)
    duties: list[ReportingDuty] = []
    previous_end = 0
    inherited_frequency: ReportFrequency | None = None
    previous: ReportingDuty | None = None
    for index, anchor in enumerate(anchors):
        following = anchors[index + 1].start if index + 1 < len(anchors) else len(sentence)
        segment = sentence[previous_end : anchor.start]
        clause = segment[segment.rfind(";") + 1 :]
        tail = _tail(sentence[anchor.end : following])
        for undated in segment.split(";")[:-1]:  # "Các Sở báo cáo hằng quý về Sở X; Sở X báo cáo … trước 15/12"
            duty = _undated_duty(undated, paragraph, registry)
            if duty is not None:
                duties.append(duty)
        previous_end = anchor.end
        if anchor.continued and previous is not None:
            if previous.day == anchor.day and previous.year == anchor.year and anchor.month is not None:
                merged = _add_month(previous, anchor.month, _frequency(tail, first=True))
                duties[duties.index(previous)] = merged
                previous = merged
            else:
                duty = _with_date(previous, anchor)
                duties.append(duty)
                previous = duty
            continue
        same_report = previous is not None and ";" not in segment  # "(trước ngày 15/6) và hằng năm (trước …)"
        later = sentence[anchor.end :].split(";")[0]  # "… định kỳ 6 tháng (trước ngày 10/6 …) báo cáo kết quả …"
        if not (_REPORT.search(segment) or _REPORT.search(later) or same_report):
            continue
        frequency = anchor.frequency or _frequency(tail, first=True) or _frequency(clause, first=False)
        if anchor.year is not None and frequency not in (None, "once") and not _RECURRING.search(f"{clause} {tail}"):
            frequency = "once"  # "sơ kết 6 tháng … trước ngày 25/6/2026": the report of a period, made once
        if frequency is None:
            frequency = "once" if anchor.year is not None else inherited_frequency or "unknown"
        if frequency not in ("once", "unknown"):
            inherited_frequency = frequency
        receiver = (
            _receiver(clause, registry)
            or _receiver(tail, registry)
            or _receiver(re.split(r"[;.]", sentence[anchors[-1].end :])[0], registry, first=True)
            or (previous.receiver if previous is not None else "")
        )
        who = _reporters(segment, registry)
        if who is None:
            who = (
                _lead_in(paragraph, registry) if previous is None else _Who(previous.reporters, previous.reporters_text)
            )
        duty = ReportingDuty(
            reporters=who.reporters,
            reporters_text=who.text,
            receiver=receiver,
            frequency=frequency,
            day=anchor.day,
            month=anchor.month,
            months=(anchor.month,) if anchor.month is not None else anchor.months,
            year=anchor.year,
            label=paragraph.label,
            text=sentence,
        )
        duties.append(duty)
        previous = duty
    if anchors:
        rest = sentence[previous_end:]
        rest = rest[len(_tail(rest)) :]  # "hằng năm" of the last date is not a duty of its own
        clauses = rest.split(";")
    else:
        clauses = [sentence]
    for undated in clauses:
        duty = _undated_duty(undated, paragraph, registry, text=sentence)
        if duty is not None:
            duties.append(duty)
    return duties


def _add_month(duty: ReportingDuty, month: int, stated: ReportFrequency | None) -> ReportingDuty:
    """The duty with one more month ("trước ngày 15/6 và 15/12"); two months half a year apart make it half-yearly,
    four a quarter apart quarterly, unless the text says otherwise."""
    months = tuple(sorted({*duty.months, month}))
    frequency = duty.frequency
    if frequency in ("yearly", "unknown") and stated in (None, "yearly"):
        if len(months) == 2 and months[1] - months[0] == 6:
            frequency = "half-yearly"
        elif len(months) == 4 and all(b - a == 3 for a, b in zip(months, months[1:], strict=False)):
            frequency = "quarterly"
    return replace(duty, month=None, months=months, frequency=frequency)


def _undated_duty(
    clause: str, paragraph: BodyParagraph, registry: AgencyRegistry, *, text: str = ""
) -> ReportingDuty | None:
    """A report with a frequency and no date: "Định kỳ hằng quý, … báo cáo kết quả về Sở Tài chính"."""
    if not _REPORT.search(clause):
        return None
    frequency = _frequency(clause, first=True)
    receiver = _receiver(clause, registry)
    if frequency is None or not receiver:
        return None
    who = _reporters(clause, registry) or _lead_in(paragraph, registry)
    return ReportingDuty(
        reporters=who.reporters,
        reporters_text=who.text,
        receiver=receiver,
        frequency=frequency,
        label=paragraph.label,
        text=(text or clause).strip(" ;"),
    )


def _with_date(duty: ReportingDuty, anchor: _Anchor) -> ReportingDuty:
    frequency = duty.frequency
    if anchor.year is not None and frequency == "unknown":
        frequency = "once"
    return replace(
        duty,
        frequency=frequency,
        day=anchor.day,
        month=anchor.month,
        months=(anchor.month,) if anchor.month is not None else anchor.months,
        year=anchor.year if anchor.year is not None else duty.year,
    )


def _anchors(sentence: str) -> list[_Anchor]:
    anchors: list[_Anchor] = []
    for match in _DAY_ANCHOR.finditer(sentence):
        which = fold(match["which"])
        frequency: ReportFrequency = "monthly" if which.endswith("thang") else "quarterly"
        months = _QUARTER_ENDS if which.startswith("thang cuoi") else _EVERY_MONTH if frequency == "monthly" else ()
        day = int(match["day"])
        if 1 <= day <= 31:
            anchors.append(_Anchor(match.start(), match.end(), day, None, None, frequency, months=months))
    taken = [(a.start, a.end) for a in anchors]
    for match in _DATE_ANCHOR.finditer(sentence):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        if not (match["cue"] or match["ngay"]):
            continue  # a bare "15/12" is only read after another date ("trước 15/6 và 15/12")
        if not match["cue"] and match["year"]:
            continue  # "ngày 25/3/2014": the date of a document, not a deadline
        if _DOCUMENT_REFERENCE.search(sentence[: match.start()]):
            continue
        anchor = _anchor(match, continued=False)
        if anchor is None:
            continue
        anchors.append(anchor)
        end = match.end()
        while True:  # "trước ngày 15/6 và 15/12", "trước ngày 15/3, 15/6, 15/9 và 15/12"
            more = _CONTINUATION.match(sentence[end:])
            if more is None:
                break
            extra = _anchor(more, continued=True, offset=end)
            if extra is None:
                break
            anchors.append(extra)
            end += more.end()
        taken.append((match.start(), end))
    for match in _QUARTER_ANCHOR.finditer(sentence):  # "báo cáo … trong Quý II/2028": by the quarter's last day
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        quarter = _QUARTER_NUMBERS[match["quarter"].upper()]
        year = int(match["year"])
        last_month = quarter * 3
        if 1900 <= year <= 2199:
            day = calendar.monthrange(year, last_month)[1]
            anchors.append(_Anchor(match.start(), match.end(), day, None, year, None, months=(last_month,)))
    return sorted(anchors, key=lambda a: a.start)


def _anchor(match: re.Match[str], *, continued: bool, offset: int = 0) -> _Anchor | None:
    day, month = int(match["day"]), int(match["month"])
    year = int(match["year"]) if match["year"] else None
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
        return None
    return _Anchor(offset + match.start(), offset + match.end(), day, month, year, None, continued)


_TAIL_END = re.compile(r"[,;.()]|\svà\s|\shoặc\s")


def _tail(text: str) -> str:
    """What follows a date up to the end of its clause: "hằng năm" in "trước ngày 15/12 hằng năm, …", or the remark
    in brackets right after it: "trước ngày 15/6 (báo cáo 6 tháng)"."""
    remark = re.match(r"\s*\(([^()]*)\)", text)
    if remark:
        return remark.group(1)
    end = _TAIL_END.search(text)
    return text[: end.start()] if end else text


def _frequency(text: str, *, first: bool) -> ReportFrequency | None:
    hits = [(m.start(), frequency) for frequency, pattern in _FREQUENCIES for m in pattern.finditer(text)]
    if not hits:
        return None
    hits.sort()
    return hits[0][1] if first else hits[-1][1]


def _receiver(text: str, registry: AgencyRegistry, *, first: bool = False) -> str:
    """The agency a report goes to: the one named right after a sending word (the last one, or with ``first`` the
    first one, of ``text``); canonical when the registry knows it, else as printed."""
    found = [m.name for m in registry.find_mentions(text) if m.name and _RECEIVER_CUE.search(text[: m.start])]
    printed = list(_PRINTED_RECEIVER.finditer(text))
    if found:
        return found[0] if first else found[-1]
    if printed:
        name = printed[0 if first else -1]["name"].strip()
        resolution = registry.resolve(name)
        return resolution.agency.name if resolution is not None and resolution.exact else name
    return ""


_SUBJECT_END = re.compile(
    r"\s(?:có trách nhiệm|chủ động|tổng hợp|báo cáo|theo chức năng|căn cứ|định kỳ|gửi|phối hợp|xây dựng|tổ chức"
    r"|triển khai|thực hiện|chủ trì|tham mưu|là cơ quan|hướng dẫn|rà soát|đánh giá|hằng|hàng|trước|chậm nhất)\b",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(r"được\s+(?:giao|phân công)\s*$", re.IGNORECASE)


def _reporters(segment: str, registry: AgencyRegistry) -> _Who | None:
    """The agencies named as the subject of a report: before its verb, not after "với", "của", "gửi" …"""
    label, colon, after = segment.partition(":")
    if colon and not any(m.name for m in registry.find_mentions(label)):
        segment = after  # "Chế độ báo cáo: Các sở, ngành … báo cáo …": the label is no subject
    verb = _REPORT.search(segment)
    head = segment[: verb.start()] if verb else segment
    names: list[str] = []
    last_end = 0
    first_start: int | None = None
    for mention in registry.find_mentions(head):
        if not mention.name or _NOT_SUBJECT_CUE.search(head[: mention.start]):
            continue
        if mention.name not in names:
            names.append(mention.name)
        first_start = mention.start if first_start is None else first_start
        last_end = mention.end
    if not names or first_start is None:
        return _units(head)
    start = max(head.rfind(sep, 0, first_start) for sep in (";", ":")) + 1
    end = last_end
    for boundary in _SUBJECT_END.finditer(head, last_end):
        if not _QUALIFIER.search(head[: boundary.start()]):  # "… được giao chủ trì nhiệm vụ" still names them
            end = boundary.start()
            break
    else:
        end = len(head)
    text = _LEADING_FREQUENCY.sub("", head[start:end].strip(" ,;:-–")).strip(" ,;:-–")
    if any(name in CATCH_ALL_REPORTERS for name in names):
        return _Who((), text)
    return _Who(tuple(names), text)


_UNITS = re.compile(r"^(?:các|những)\s+(?:phòng|đơn vị|cơ quan|bộ phận|tổ|ban|sở|ngành)\b", re.IGNORECASE)


def _units(head: str) -> _Who | None:
    """Reporters no registry knows, written as a plural subject ("Các phòng, đơn vị thuộc Sở … báo cáo"): named
    as printed, up to where the subject ends."""
    clause = head[max(head.rfind(sep) for sep in (";", ":")) + 1 :].strip()
    if not _UNITS.match(clause):
        return None
    end = next((b.start() for b in _SUBJECT_END.finditer(clause)), len(clause))
    text = clause[:end].strip(" ,;:-–")
    return _Who((), text) if text else None


def _lead_in(paragraph: BodyParagraph, registry: AgencyRegistry) -> _Who:
    if paragraph.subject:
        who = _reporters(paragraph.subject, registry)
        if who is not None:
            return who
    return _Who((), "")
