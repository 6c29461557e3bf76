"""The schema check at start-up: a current database is recognised without Alembic; the head read from the migration
files is Alembic's own."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from knowledge.storage.database import Database, schema_head


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(resources.files("knowledge.storage").joinpath("migrations")))
    assert schema_head() == ScriptDirectory.from_config(config).get_current_head()


def test_a_current_database_is_opened_without_importing_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    db = Database(url)
    db.migrate()  # a new database: Alembic creates the schema
    db.dispose()
    probe = (
        "import sys\n"
        "from knowledge.storage.database import Database\n"
        f"db = Database({url!r})\n"
        "db.migrate()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
