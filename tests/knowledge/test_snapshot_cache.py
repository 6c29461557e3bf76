"""The snapshot cache (issue #15): plans read back equal to what was cached, only for the same fingerprint and the
same record classes; a plan imported by another process is seen at once; damaged or foreign files are ignored and
never run code."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from bot.runtime import Runtime
from bot.settings import Settings
from knowledge.agencies import AgencyRegistry
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan
from knowledge.storage.repository import KnowledgeRepository
from knowledge.storage.snapshot_cache import SnapshotCache

PLANS = Path(__file__).parent / "data" / "plans"


def test_plans_read_back_only_for_their_fingerprint(tmp_path: Path, seed_plan: ParsedPlan) -> None:
    cache = SnapshotCache(tmp_path / "cache", "sqlite:///kb")
    assert cache.load("1|a|3") is None  # nothing cached yet
    cache.save("1|a|3", [seed_plan.plan])
    assert cache.load("1|a|3") == [seed_plan.plan]
    assert cache.load("1|b|3") is None
    assert SnapshotCache(tmp_path / "cache", "sqlite:///other").load("1|a|3") is None  # another database
    assert (cache.path.stat().st_mode & 0o777) == 0o600 and (cache.folder.stat().st_mode & 0o777) == 0o700


def test_a_file_from_other_records_or_damaged_is_ignored(tmp_path: Path, seed_plan: ParsedPlan) -> None:
    cache = SnapshotCache(tmp_path, "sqlite:///kb")
    cache.save("f", [seed_plan.plan])
    stamp, fingerprint, plans = pickle.loads(cache.path.read_bytes())
    cache.path.write_bytes(pickle.dumps(((stamp[0], "0000000000000000"), fingerprint, plans)))
    assert cache.load("f") is None  # written by code whose record classes differ
    cache.path.write_bytes(b"\x80\x05not a pickle")
    assert cache.load("f") is None
    cache.save("f", [seed_plan.plan])  # rewritten
    assert cache.load("f") == [seed_plan.plan]


class _Planted:
    """A pickle that would create a folder when loaded by an unrestricted unpickler."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.target),))


def test_a_tampered_file_runs_no_code(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, "sqlite:///kb")
    cache.save("f", [])
    stamp = pickle.loads(cache.path.read_bytes())[0]
    marker = tmp_path / "planted"
    cache.path.write_bytes(pickle.dumps((stamp, "f", [_Planted(marker)])))
    assert cache.load("f") is None and not marker.exists()


def test_a_plan_imported_elsewhere_is_seen_at_once(tmp_path: Path, registry: AgencyRegistry) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite:///{tmp_path / 'kb.sqlite3'}", taskbot_cache_dir=tmp_path / "cache"
    )
    runtime = Runtime.open(settings)
    other = Runtime.open(settings)
    try:
        assert runtime.snapshot_cache is not None
        first = runtime.knowledge()
        assert runtime.snapshot_cache.path.exists() and [p.number for p in first.plans] == ["435/KH-UBND"]
        assert [p.number for p in runtime.knowledge().plans] == ["435/KH-UBND"]  # from the cache
        name = "kh-2026-htx-topic-table.md"
        parsed = parse_plan_source((PLANS / name).read_bytes(), name=name, registry=registry)
        KnowledgeRepository(other.db).save_plan(parsed)  # another process imports
        assert sorted(p.number for p in runtime.knowledge().plans) == ["38/KH-UBND", "435/KH-UBND"]
    finally:
        runtime.close()
        other.close()
