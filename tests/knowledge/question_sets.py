"""Scoring of question sets (JSON lines with expectations) against the answer engine; shared by tests and bench."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from knowledge.answers import AnswerEngine

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


def check(expect: dict[str, Any], ids: list[str], text: str) -> bool:
    ok = True
    if "tasks_exact" in expect:
        ok &= sorted(ids) == sorted(expect["tasks_exact"])
    if "tasks_include" in expect:
        ok &= all(i in ids for i in expect["tasks_include"])
    if "tasks_top3" in expect:
        ok &= all(i in ids[:3] for i in expect["tasks_top3"])
    if "text_any" in expect:
        ok &= any(s in text for s in expect["text_any"])
    if "text_all" in expect:
        ok &= all(s in text for s in expect["text_all"])
    if expect.get("no_tasks"):
        ok &= ids == []
    return ok


def score(engine: AnswerEngine, questions: list[dict[str, Any]]) -> tuple[int, list[Miss]]:
    misses: list[Miss] = []
    for item in questions:
        as_of = date.fromisoformat(item["as_of"]) if item.get("as_of") else DEFAULT_AS_OF
        now = datetime.combine(as_of, time(12, 0), tzinfo=TZ)
        answer = engine.answer(item["q"], agency=item.get("agency"), now=now)
        ids = [t.code for t in answer.tasks]
        if not check(item["expect"], ids, answer.text):
            misses.append(Miss(item["id"], item["q"], item["expect"], answer.intent, ids, answer.text))
    return len(questions) - len(misses), misses
