"""Fixtures for the answering pipeline's unit tests: the seed plan's snapshot, indexed once."""

from __future__ import annotations

import pytest

from knowledge.agencies import AgencyRegistry
from knowledge.answering.catalogue import Catalogue
from knowledge.answers import AnswerEngine
from knowledge.base import KnowledgeBase
from knowledge.records import ParsedPlan


@pytest.fixture(scope="module")
def seed_engine(seed_plan: ParsedPlan, registry: AgencyRegistry) -> AnswerEngine:
    return AnswerEngine(KnowledgeBase([seed_plan.plan], registry))


@pytest.fixture(scope="module")
def catalogue(seed_engine: AnswerEngine) -> Catalogue:
    return seed_engine.catalogue
