"""Typed domain records of the knowledge base.

Every record is a frozen, keyword-only dataclass: parsers produce them, the repository stores and loads them, and
the answer engine reads them. Nothing here touches a database, a network or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Recurrence = Literal["once", "yearly", "half-yearly", "quarterly", "monthly", "continuous", "unknown"]
"""How often a task falls due. ``unknown`` marks a time phrase the parser did not recognise."""

AgencyKind = Literal[
    "city",  # the People's Committee of the city/province itself
    "department",  # Sở, Cục, Ban of the city
    "district",  # one UBND quận/huyện (the district level ended on 1/7/2025)
    "commune",  # one UBND xã/phường/đặc khu
    "group",  # a collective named in a plan: "UBND các quận, huyện", "các Sở, ngành liên quan"
    "union",  # Liên minh HTX, associations
    "bank",
    "police",
    "front",  # Mặt trận Tổ quốc and mass organisations
    "press",
    "cooperative",
    "enterprise",  # a state or private company named in plans (VNPT, Viettel, Bưu điện)
    "unknown",  # named in a plan but not in the registry
]

Role = Literal["lead", "coordinator"]

ReportFrequency = Literal["yearly", "half-yearly", "quarterly", "monthly", "once", "unknown"]


@dataclass(frozen=True, kw_only=True, slots=True)
class YearRange:
    """An inclusive range of calendar years, e.g. the plan period 2018-2020."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"year range ends before it starts: {self.start}-{self.end}")

    def years(self) -> range:
        return range(self.start, self.end + 1)

    def __str__(self) -> str:
        return f"{self.start}-{self.end}" if self.end != self.start else str(self.start)


@dataclass(frozen=True, kw_only=True, slots=True)
class ReportingDate:
    """A plan's own yearly reporting date, e.g. 15/11 from section IV.4 of 435/KH-UBND."""

    month: int
    day: int
    label: str  # where the plan states it, as printed: "IV.4"
    text: str = ""  # the sentence it comes from

    def on(self, year: int) -> date:
        return date(year, self.month, self.day)


@dataclass(frozen=True, kw_only=True, slots=True)
class ScheduleContext:
    """What a time phrase is read against: the plan's period, its reporting date and its own date."""

    period: YearRange | None = None
    reporting_date: ReportingDate | None = None
    plan_date: date | None = None
    section: str = ""  # the appendix section or task id the phrase belongs to, for explanations


@dataclass(frozen=True, kw_only=True, slots=True)
class Deadline:
    """One due date derived from a time phrase, with the reason it was derived."""

    due: date
    rule: str  # machine-readable rule id: "quarter-end", "year-end", "plan-reporting-date", ...
    reason: str  # Vietnamese explanation shown to users: "15/11 hằng năm theo mục IV.4"
    final: bool = False  # the last due date of the task


_SPAN_RULES = frozenset({"year-end-checkpoint", "range-end", "listed-year-end"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Schedule:
    """What a time phrase means: its recurrence and every due date inside the plan period."""

    phrase: str
    recurrence: Recurrence
    deadlines: tuple[Deadline, ...] = ()
    explanation: str = ""  # short Vietnamese summary, e.g. "hằng năm, hạn 15/11 (mục IV.4)"

    @property
    def recognised(self) -> bool:
        return self.recurrence != "unknown"

    def repeats(self, recurrence: Recurrence) -> bool:
        """Whether the work recurs so. A span or list of years ("Năm 2026 - 2028") has a checkpoint each 31/12 but is
        one piece of work over those years, not a yearly one."""
        if self.recurrence != recurrence:
            return False
        return recurrence != "yearly" or not self.deadlines or any(d.rule not in _SPAN_RULES for d in self.deadlines)


@dataclass(frozen=True, kw_only=True, slots=True)
class Agency:
    """An agency, or a group of agencies named collectively in plans."""

    name: str  # canonical name, NFC
    kind: AgencyKind
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # canonical names of members, for groups
    short: str = ""  # preferred abbreviation for compact display, e.g. "Sở KH&ĐT"
    established: date | None = None  # the day it came into being, when the registry knows it
    ended: date | None = None  # the day it ceased to exist (merged, renamed, dissolved)
    source: str = ""  # the act behind the dates, as the registry cites it

    def exists_on(self, day: date) -> bool:
        """Whether the body existed on ``day`` (unknown dates do not limit it)."""
        return (self.established is None or self.established <= day) and (self.ended is None or day < self.ended)


@dataclass(frozen=True, kw_only=True, slots=True)
class Objective:
    """A target from the plan's "Mục tiêu" section."""

    label: str  # "MT.1", "MT.3.a"
    text: str
    target_date: date | None = None
    date_reason: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Duty:
    """A passage of the plan body: a general duty ("Tổ chức thực hiện"), or where the money comes from ("Kinh phí
    thực hiện"); not an appendix row."""

    code: str  # "TCTH.4", "KP.1": deliberately unlike appendix ids; the prefix names the section
    label: str  # as printed in the body: "IV.4"
    text: str
    agencies: tuple[str, ...] = ()

    @property
    def funding(self) -> bool:
        """Whether it comes from the funding section."""
        return self.code.startswith(f"{FUNDING}.")

    @property
    def section(self) -> str:
        """The body section it stands in, as a reply names it."""
        return "Kinh phí thực hiện" if self.funding else "Tổ chức thực hiện"


GENERAL_DUTY = "TCTH"  # the code prefix of a duty of "Tổ chức thực hiện"
FUNDING = "KP"  # the code prefix of a passage of "Kinh phí thực hiện"


@dataclass(frozen=True, kw_only=True, slots=True)
class ReportingDuty:
    """A reporting duty the plan's text states, wherever it stands: who reports to whom, by when, how often.

    "báo cáo … gửi về Sở Kế hoạch và Đầu tư trước ngày 15 tháng 11" (435/KH-UBND §IV.4) reads as reporters "the
    agencies assigned tasks" (``reporters`` empty), receiver "Sở Kế hoạch và Đầu tư", yearly, day 15, month 11.
    """

    reporters: tuple[str, ...] = ()  # canonical agency names; empty: the agencies assigned tasks
    reporters_text: str = ""  # as printed: "Các Sở, ban, ngành và Ủy ban nhân dân các quận, huyện"
    receiver: str = ""  # canonical agency name, or as printed when not in the registry
    frequency: ReportFrequency = "unknown"
    day: int | None = None
    month: int | None = None  # the month when the duty names one; None for several, or for "ngày 20 hằng tháng"
    months: tuple[int, ...] = ()  # every month the duty names: (6, 12) for "trước ngày 15/6 và 15/12"
    year: int | None = None  # only for a one-off report ("trước ngày 15/12/2026")
    label: str = ""  # where the plan states it: "IV.4", "II.3"
    text: str = ""  # the sentence it comes from


@dataclass(frozen=True, kw_only=True, slots=True)
class Task:
    """One appendix row: a task assigned to a lead agency."""

    plan_number: str
    code: str  # as printed: "<section roman>.<item>", e.g. "XIII.3"
    position: int  # order in the appendix
    section_code: str  # "XIII"
    section_title: str  # the section row as printed: "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM - CHI NHÁNH TP HẢI PHÒNG"
    content: str
    lead: tuple[str, ...]
    coordinators: tuple[str, ...] = ()
    product: str = ""
    time_text: str = ""
    schedule: Schedule = field(default_factory=lambda: Schedule(phrase="", recurrence="unknown"))
    coordinators_text: str = ""  # the coordinating-agencies cell as printed


@dataclass(frozen=True, kw_only=True, slots=True)
class Plan:
    """A plan (Kế hoạch) with its body facts and appendix tasks."""

    number: str  # "435/KH-UBND"
    title: str
    issuer: str = ""
    issued_on: date | None = None
    period: YearRange | None = None
    replaces: str = ""  # "7344/KH-UBND"
    replaces_text: str = ""
    signer: str = ""
    signer_title: str = ""
    reporting_date: ReportingDate | None = None
    city_reporting_date: ReportingDate | None = None  # when the lead office reports to the city (10/12)
    reporting_duties: tuple[ReportingDuty, ...] = ()  # every reporting duty the text states, in order
    archived: bool = False  # set by an admin (taskbot plans archive); an archived plan answers only when named
    objectives: tuple[Objective, ...] = ()
    duties: tuple[Duty, ...] = ()
    tasks: tuple[Task, ...] = ()
    source_name: str = ""
    source_hash: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportIssue:
    """Something the importer noticed: a warning needs a person's eye, a note is for information."""

    level: Literal["warning", "note"]
    code: str  # "unknown-agency", "unparsed-time", "typo-corrected", "numbering-gap", "row-continued", ...
    message: str  # Vietnamese, shown to the admin who imports
    where: str = ""  # "line 123", "table 1 row 7", "task III.2"


@dataclass(frozen=True, kw_only=True, slots=True)
class ParsedPlan:
    """The result of reading a plan document: the plan, the agencies it names, and what was noticed."""

    plan: Plan
    agencies: tuple[Agency, ...]
    issues: tuple[ImportIssue, ...] = ()

    @property
    def warnings(self) -> tuple[ImportIssue, ...]:
        return tuple(i for i in self.issues if i.level == "warning")
