"""Start-up of one-shot commands stays light: ``taskbot ask`` on a current database loads neither the chat
platforms' libraries, nor the scheduler, nor Alembic, nor the ORM (the cached engine is current: no registry is
built, nothing written), nor the other commands' modules and their file libraries
(structural checks that keep the cold start from regressing; the timings themselves are printed by
bench/cold_start.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
sys.argv = ["taskbot", "ask", "hạn báo cáo hằng năm"]
HEAVY = ("alembic", "telegram", "apscheduler", "bot.serve", "bot.cli_contacts", "bot.cli_reminders", "bot.cli_export",
         "bot.cli_import", "bot.cli_agencies", "openpyxl", "docx", "matplotlib", "pdfplumber", "icalendar",
         "sqlalchemy.orm", "knowledge.storage.repository", "knowledge.importer")
from bot.entry import main
try:
    main()
except SystemExit:
    pass
import gc
heavy = sorted(m for m in HEAVY if m in sys.modules)
print("HEAVY", ",".join(heavy), "GC", gc.isenabled())
"""


def run_probe(database: Path) -> str:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def test_ask_on_a_current_database_loads_no_platform_scheduler_or_migrations(tmp_path: Path) -> None:
    database = tmp_path / "kb.sqlite3"
    first = run_probe(database)  # a new database: migrated and seeded (Alembic may load here)
    assert "15/11" in first  # it answered
    second = run_probe(database)
    assert "15/11" in second
    assert "HEAVY  GC True" in second  # nothing heavy loaded; the collector runs again once the engine is built
