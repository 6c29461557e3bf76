"""Scoring of question sets (JSON lines with expectations) against the answer engine; shared by tests and bench."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from knowledge.answers import AnswerEngine
from knowledge.text import fold

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_AS_OF = date(2026, 11, 25)  # questions without as_of are asked "today", long after the 2018 plan


@dataclass(frozen=True)
class Miss:
    id: str
    question: str
    expect: dict[str, Any]
    intent: str
    tasks: list[str]
    text: str

    def __str__(self) -> str:
        text = self.text.replace("\n", " | ")[:240]
        return f"{self.id}: {self.question!r} expected {self.expect} got {self.intent} {self.tasks[:8]} «{text}»"


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def qualified(plan_number: str, code: str) -> str:
    """A task named with its plan as question sets over several plans write it: ``"435:II.1"``."""
    return f"{plan_number.split('/')[0].strip()}:{code}"


def _comparable(expected: list[str], ids: list[str], qualified_ids: list[str]) -> list[str]:
    """The answer's ids in the form the expectation uses: qualified when any expected id names its plan."""
    return qualified_ids if any(":" in e for e in expected) else ids


def check(expect: dict[str, Any], ids: list[str], text: str, qualified_ids: list[str] | None = None) -> bool:
    """Whether an answer (task ids in order, and its text) meets ``expect``.

    Expected ids are plain ("II.1") in single-plan sets, or qualified with the plan number ("435:II.1") in sets over
    several plans; ``qualified_ids`` are the answer's ids in that form.
    """
    full = qualified_ids if qualified_ids is not None else ids
    for key in ("tasks_exact", "tasks_include", "tasks_exclude", "tasks_top3"):
        if key in expect:
            expect = {**expect, key: list(expect[key])}
            chosen = _comparable(expect[key], ids, full)
            if chosen is not ids:
                return _check(expect, chosen, text)
    return _check(expect, ids, text)


def _check(expect: dict[str, Any], ids: list[str], text: str) -> bool:
    ok = True
    if "tasks_exact" in expect:
        ok &= sorted(ids) == sorted(expect["tasks_exact"])
    if "tasks_include" in expect:
        ok &= all(i in ids for i in expect["tasks_include"])
    if "tasks_exclude" in expect:
        ok &= not any(i in ids for i in expect["tasks_exclude"])
    if "tasks_top3" in expect:
        ok &= all(i in ids[:3] for i in expect["tasks_top3"])
    folded = fold(text)  # phrases match without diacritics or case
    if "text_any" in expect:
        ok &= any(fold(s) in folded for s in expect["text_any"])
    if "text_all" in expect:
        ok &= all(fold(s) in folded for s in expect["text_all"])
    if expect.get("no_tasks"):
        ok &= ids == []
    return ok


def score(engine: AnswerEngine, questions: list[dict[str, Any]]) -> tuple[int, list[Miss]]:
    misses: list[Miss] = []
    for item in questions:
        as_of = date.fromisoformat(item["as_of"]) if item.get("as_of") else DEFAULT_AS_OF
        now = datetime.combine(as_of, time(12, 0), tzinfo=TZ)
        text = unicodedata.normalize("NFD", item["q"]) if item.get("nfd") else item["q"]  # sent as the set says
        answer = engine.answer(text, agency=item.get("agency"), now=now)
        ids = [t.code for t in answer.tasks]
        full = [qualified(t.plan_number, t.code) for t in answer.tasks]
        if not check(item["expect"], ids, answer.text, full):
            misses.append(Miss(item["id"], item["q"], item["expect"], answer.intent, ids, answer.text))
    return len(questions) - len(misses), misses
