"""Golden tests: every plan fixture in tests/knowledge/data/plans/ against its answer key (``<stem>.key.json``).

The keys were written from the documents' meaning by someone who did not read the parser. The plan's facts and its
reporting duties are read from the body (and the header and signature tables) alone, so they are checked even when a
fixture's task table is not readable yet; the tasks' deadlines are checked on the full import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from knowledge.agencies import AgencyRegistry
from knowledge.document import Block, read_docx_document, read_text_document
from knowledge.errors import PlanFormatError
from knowledge.plan_body import PlanFacts, read_plan_facts
from knowledge.plan_parser import body_lines, parse_plan_source
from knowledge.plan_status import plan_status
from knowledge.text import fold

PLANS = Path(__file__).parent / "data" / "plans"
TABLES_OF_ANOTHER_STREAM: set[str] = set()  # fixtures whose task table is not read yet (none now)


@dataclass(frozen=True)
class Fixture:
    source: Path
    key: dict[str, Any]

    def __str__(self) -> str:
        return self.source.name


def fixtures() -> list[Fixture]:
    found = []
    for key_file in sorted(PLANS.glob("*.key.json")):
        stem = key_file.name.removesuffix(".key.json")
        [source] = [p for p in PLANS.glob(f"{stem}.*") if p.suffix in (".md", ".txt", ".docx")]
        found.append(Fixture(source=source, key=json.loads(key_file.read_text(encoding="utf-8"))))
    return found


FIXTURES = fixtures()
IDS = [str(f) for f in FIXTURES]


def blocks_of(fixture: Fixture) -> list[Block]:
    data = fixture.source.read_bytes()
    if fixture.source.suffix == ".docx":
        return read_docx_document(data, source=fixture.source.name)
    return read_text_document(data.decode("utf-8-sig"))


def _agency_words(text: str) -> str:
    """Folded, with "Ủy ban nhân dân" and "UBND" read alike (keys abbreviate what the text writes out)."""
    return fold(text).replace("uy ban nhan dan", "ubnd")


def facts_of(fixture: Fixture, registry: AgencyRegistry) -> PlanFacts:
    return read_plan_facts(body_lines(blocks_of(fixture)), registry=registry, source=fixture.source.name)


def test_there_are_fixtures_in_three_formats() -> None:
    assert {f.source.suffix for f in FIXTURES} >= {".md", ".docx"}
    assert len(FIXTURES) >= 3


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_plan_facts_match_the_key(fixture: Fixture, registry: AgencyRegistry) -> None:
    key = fixture.key
    facts = facts_of(fixture, registry)
    assert facts.number == key["number"]
    assert facts.issued_on == date.fromisoformat(key["issued_on"])
    assert facts.title.lower() == key["title"].lower()  # a title printed in capitals is cased as the body writes it
    assert not facts.title.isupper()
    assert facts.signer == key["signer"]
    period = [facts.period.start, facts.period.end] if facts.period else None
    assert period == key["period"]
    assert (facts.replaces or None) == key["replaces"]
    assert facts.issuer == key.get("issuer", "Ủy ban nhân dân thành phố Hải Phòng")  # the city's unless a department's


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_reporting_duties_match_the_key(fixture: Fixture, registry: AgencyRegistry) -> None:
    duties = facts_of(fixture, registry).reporting_duties
    expected = fixture.key["reporting"]
    assert len(duties) == len(expected), [d.text for d in duties]
    for duty, want in zip(duties, expected, strict=True):
        assert _agency_words(duty.reporters_text) == _agency_words(want["reporters"])
        assert duty.receiver == want["receiver"]
        assert duty.frequency == want["frequency"]
        assert duty.day == want["day"]
        assert duty.month == want["month"]
        assert list(duty.months) == want.get("months", [want["month"]])
        assert duty.label.split(".")[0] == want["where"]


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_the_yearly_reporting_date_follows_the_duties(fixture: Fixture, registry: AgencyRegistry) -> None:
    """Only a yearly duty of the agencies gives "Hằng năm" tasks their date; half-yearly or quarterly reports leave
    them on 31/12. One office's yearly summary to the city is the city's date, not theirs."""
    facts = facts_of(fixture, registry)
    yearly = [d for d in fixture.key["reporting"] if d["frequency"] == "yearly"]
    to_city = [
        d
        for d in yearly
        if d["receiver"] == "Ủy ban nhân dân thành phố" and registry.lookup(d["reporters"]) is not None
    ]
    agencies = [d for d in yearly if d not in to_city]
    if agencies:
        assert facts.reporting_date is not None
        assert (facts.reporting_date.day, facts.reporting_date.month) == (agencies[0]["day"], agencies[0]["month"])
    else:
        assert facts.reporting_date is None
    if to_city:
        assert facts.city_reporting_date is not None
        assert (facts.city_reporting_date.day, facts.city_reporting_date.month) == (
            to_city[0]["day"],
            to_city[0]["month"],
        )


@pytest.mark.parametrize(
    "fixture",
    [
        pytest.param(f, marks=pytest.mark.xfail(raises=PlanFormatError, reason="task table: documents stream"))
        if f.source.name in TABLES_OF_ANOTHER_STREAM
        else f
        for f in FIXTURES
    ],
    ids=IDS,
)
def test_task_deadlines_match_the_key(fixture: Fixture, registry: AgencyRegistry) -> None:
    plan = parse_plan_source(fixture.source.read_bytes(), name=fixture.source.name, registry=registry).plan
    tasks = {t.code: t for t in plan.tasks}
    expected = {t["id"]: t for t in fixture.key["tasks"]}
    assert list(tasks) == list(expected)
    for code, want in expected.items():
        task = tasks[code]
        assert task.time_text == (want["time_text"] or ""), code  # null: the duty states no time
        wanted = [(found.name if (found := registry.lookup(n)) else n) for n in want["lead"]]  # as the registry names
        assert list(task.lead) == wanted, code
        known = [found.name for n in want.get("coordinators", []) if (found := registry.lookup(n))]
        if len(known) == len(want.get("coordinators", [])):  # bodies the registry knows: split one by one
            assert list(task.coordinators) == known, code
        if want.get("section_title"):  # the group the task stands in: a section row, or a "Lĩnh vực" column
            assert " ".join(task.section_title.lower().split()) == " ".join(want["section_title"].lower().split()), code
        assert [d.due.isoformat() for d in task.schedule.deadlines] == want["deadlines"], (code, task.time_text)
        assert all(d.reason for d in task.schedule.deadlines), code
        if want["deadlines"] or (task.time_text and not want.get("note")):  # a key's note: no date can be read
            assert task.schedule.recognised, (code, task.time_text)


def test_status_of_the_fixtures_in_december_2026(registry: AgencyRegistry) -> None:
    """The README's table: 52/KH-UBND (2024–2025) has ended, the 2026 plans are in force."""
    today = date(2026, 12, 15)
    for fixture in FIXTURES:
        if fixture.source.name in TABLES_OF_ANOTHER_STREAM:
            continue
        plan = parse_plan_source(fixture.source.read_bytes(), name=fixture.source.name, registry=registry).plan
        ended = fixture.key["period"][1] < today.year
        assert plan_status(plan, today) == ("ended" if ended else "in_force"), fixture.source.name


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_targets_are_read_under_their_heading(fixture: Fixture, registry: AgencyRegistry) -> None:
    """Every fixture states a general objective and targets "đến (hết) năm YYYY", the end of its period; the
    section's paragraphs on tasks and reporting are no targets."""
    facts = facts_of(fixture, registry)
    general = [o for o in facts.objectives if o.label == "MT.1" or o.label.startswith("MT.1.")]
    targets = [o for o in facts.objectives if o.target_date is not None]
    assert general and all(o.target_date is None for o in general)
    assert targets
    first, last = fixture.key["period"]
    dates = {o.target_date for o in targets}
    assert date(last, 12, 31) in dates and all(d is not None and first <= d.year <= last for d in dates)
    assert not any("Phụ lục" in o.text for o in facts.objectives)
