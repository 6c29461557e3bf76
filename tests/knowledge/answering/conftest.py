"""Fixtures for the answering pipeline's tests: the seed plan alone, and two or three plans loaded at once.

The multi-plan fixtures use the plan fixtures of tests/knowledge/data/plans (written by someone who never read the
engine): 38/KH-UBND (2026-2027, in force in December 2026, a table grouped by topic with today's agency names) and
52/KH-UBND (2024-2025, ended, plain numbering 1..20 without section rows), beside the seed 435/KH-UBND (2018-2020).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.agencies import AgencyRegistry
from knowledge.answering.catalogue import Catalogue
from knowledge.answers import AnswerEngine
from knowledge.base import KnowledgeBase
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan, Plan

PLANS = Path(__file__).resolve().parents[1] / "data" / "plans"
TOPIC_2026 = "kh-2026-htx-topic-table.md"
PLAIN_2024 = "kh-2025-chuyen-doi-so-plain.md"


def fixture_plan(name: str, registry: AgencyRegistry) -> Plan:
    return parse_plan_source((PLANS / name).read_bytes(), name=name, registry=registry).plan


@pytest.fixture(scope="module")
def seed_engine(seed_plan: ParsedPlan, registry: AgencyRegistry) -> AnswerEngine:
    return AnswerEngine(KnowledgeBase([seed_plan.plan], registry))


@pytest.fixture(scope="module")
def catalogue(seed_engine: AnswerEngine) -> Catalogue:
    return seed_engine.catalogue


@pytest.fixture(scope="module")
def two_plans(seed_plan: ParsedPlan, registry: AgencyRegistry) -> AnswerEngine:
    """435/KH-UBND (ended) and 38/KH-UBND (in force)."""
    return AnswerEngine(KnowledgeBase([seed_plan.plan, fixture_plan(TOPIC_2026, registry)], registry))


@pytest.fixture(scope="module")
def three_plans(seed_plan: ParsedPlan, registry: AgencyRegistry) -> AnswerEngine:
    """435/KH-UBND and 52/KH-UBND (ended), 38/KH-UBND (in force)."""
    plans = [seed_plan.plan, fixture_plan(TOPIC_2026, registry), fixture_plan(PLAIN_2024, registry)]
    return AnswerEngine(KnowledgeBase(plans, registry))
