"""Fixtures for the bot layer: a real runtime on a fresh SQLite file and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.runtime import Runtime
from bot.services import Services
from bot.settings import Settings

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FIXED_NOW = datetime(2018, 10, 1, 9, 0, tzinfo=TZ)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}", taskbot_admins="1001")


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    opened = Runtime.open(settings)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def services(runtime: Runtime) -> Services:
    return Services(runtime, clock=lambda: FIXED_NOW)
