"""A reload has a child process build the engine into the snapshot cache (bot.engine_builder), and reads it back; a
child that fails leaves the bot building the engine itself, with one warning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.engine_builder import build_in_child
from bot.runtime import Runtime
from bot.services import Services
from bot.settings import Settings
from knowledge.importer import import_plan_bytes

PLANS = Path(__file__).parents[1] / "knowledge" / "data" / "plans"


def import_elsewhere(settings: Settings) -> None:
    other = Runtime.open(settings)
    try:
        import_plan_bytes(
            (PLANS / "kh-2026-htx-topic-table.md").read_bytes(),
            name="38.md",
            registry=other.registry,
            repository=other.repository,
        )
    finally:
        other.close()


async def test_a_reload_reads_back_the_engine_a_child_built(
    services: Services, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    import_elsewhere(settings)
    runtime = services.runtime
    assert runtime.cached_engine_key() is None  # the bot's cached engine is for the knowledge before the import
    assert await build_in_child(settings)
    assert runtime.cached_engine_key() is not None  # the child left the new engine in the cache
    before = services.engine
    with caplog.at_level(logging.INFO):
        assert await services.reload_if_changed()
    assert services.engine is not before
    assert sorted(p.number for p in services.engine.kb.plans) == ["38/KH-UBND", "435/KH-UBND"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_a_failing_child_leaves_the_build_to_the_bot(
    services: Services, settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = settings.model_copy(update={"taskbot_agencies_file": tmp_path / "missing.toml"})
    with caplog.at_level(logging.WARNING):
        assert not await build_in_child(broken)
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "engine builder failed" in warning.getMessage()
    import_elsewhere(settings)
    assert await services.reload_if_changed()  # a healthy child, or the bot itself: the import is answered
    assert "38/KH-UBND" in [p.number for p in services.engine.kb.plans]
