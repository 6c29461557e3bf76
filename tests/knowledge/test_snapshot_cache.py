"""The snapshot cache (issue #15): plans read back equal to what was cached, only for the same fingerprint and the
same record classes; a plan imported by another process is seen at once; damaged or foreign files are ignored and
never run code."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.runtime import Runtime
from bot.settings import Settings
from knowledge.agencies import AgencyRegistry
from knowledge.answering import rendering
from knowledge.answers import AnswerEngine
from knowledge.base import KnowledgeBase
from knowledge.errors import RegistryError
from knowledge.plan_parser import parse_plan_source
from knowledge.records import ParsedPlan
from knowledge.storage.repository import KnowledgeRepository
from knowledge.storage.snapshot_cache import SnapshotCache
from tests.knowledge.question_sets import load

DATA = Path(__file__).parent / "data"
PLANS = DATA / "plans"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


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
    version, _, fingerprint = pickle.loads(cache.path.read_bytes())  # the stamp, then the plans
    cache.path.write_bytes(pickle.dumps((version, "0000000000000000", fingerprint)) + pickle.dumps([seed_plan.plan]))
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


class _CallsEngineFunction:
    """A pickle that calls a function of a module whose classes the engine cache accepts."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (rendering.render, ())


def test_a_tampered_file_runs_no_code(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, "sqlite:///kb")
    cache.save("f", [])
    stamp = pickle.loads(cache.path.read_bytes())
    marker = tmp_path / "planted"
    cache.path.write_bytes(pickle.dumps(stamp) + pickle.dumps([_Planted(marker)]))
    assert cache.load("f") is None and not marker.exists()
    cache.save_engine("k", AnswerEngine(KnowledgeBase([], AgencyRegistry([]))))
    stamp = pickle.loads(cache.engine_path.read_bytes())
    cache.engine_path.write_bytes(pickle.dumps(stamp) + pickle.dumps(_Planted(marker)))
    assert cache.load_engine("k", AnswerEngine) is None and not marker.exists()
    # a function of an allowed module is refused too: only classes are ever looked up
    cache.engine_path.write_bytes(pickle.dumps(stamp) + pickle.dumps(_CallsEngineFunction()))
    assert cache.load_engine("k", AnswerEngine) is None


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


def answers_of(engine: AnswerEngine, questions: list[dict[str, Any]]) -> list[list[str]]:
    out = []
    for item in questions:
        day = date.fromisoformat(item["as_of"]) if item.get("as_of") else date(2026, 11, 25)
        answer = engine.answer(
            item["q"], agency=item.get("agency"), now=datetime(day.year, day.month, day.day, 9, tzinfo=TZ)
        )
        out.append([answer.text, *(f"{t.plan_number}:{t.code}" for t in answer.tasks)])
    return out


def test_a_cached_engine_answers_as_the_built_one_in_another_process(tmp_path: Path) -> None:
    """The engine read back by a process with another string-hash seed (so every set is rebuilt in another order)
    gives the very answers of the engine that was built, over the seed and two more plans."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite:///{tmp_path / 'kb.sqlite3'}", taskbot_cache_dir=tmp_path / "cache"
    )
    runtime = Runtime.open(settings)
    try:
        for name in ("kh-2026-htx-topic-table.md", "kh-2026-lang-nghe-merged.docx"):
            parsed = parse_plan_source((PLANS / name).read_bytes(), name=name, registry=runtime.registry)
            runtime.repository.save_plan(parsed)
        built = runtime.answer_engine()
        assert runtime.snapshot_cache is not None and runtime.snapshot_cache.engine_path.exists()
    finally:
        runtime.close()
    questions = [*load(DATA / "dev_questions.jsonl"), *load(DATA / "heldout_multi1_questions.jsonl")]
    child = textwrap.dedent(
        f"""
        import json, sys
        from bot.runtime import Runtime
        from bot.settings import Settings
        from tests.knowledge.test_snapshot_cache import answers_of
        settings = Settings(
            _env_file=None, database_url={settings.database_url!r}, taskbot_cache_dir={str(tmp_path / "cache")!r}
        )
        runtime = Runtime.open(settings)
        cache = runtime.snapshot_cache
        mtime = cache.engine_path.stat().st_mtime_ns
        engine = runtime.answer_engine()
        assert cache.engine_path.stat().st_mtime_ns == mtime, "the engine was built again, not read back"
        json.dump(answers_of(engine, json.load(sys.stdin)), sys.stdout)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", child],
        input=json.dumps(questions),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "4242"},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert json.loads(result.stdout) == answers_of(built, questions)


def test_an_engine_is_read_back_only_by_its_code_registry_and_fingerprint(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path, "sqlite:///kb")
    engine = AnswerEngine(KnowledgeBase([], AgencyRegistry([])))
    cache.save_engine("1|a|3|registry", engine)
    assert isinstance(cache.load_engine("1|a|3|registry", AnswerEngine), AnswerEngine)
    assert cache.load_engine("1|b|3|registry", AnswerEngine) is None  # another fingerprint or registry
    assert cache.load_engine("1|a|3|registry", KnowledgeBase) is None  # not what the caller expects
    assert cache.has_engine("1|a|3|registry") and not cache.has_engine("1|b|3|registry")
    stamp = pickle.loads(cache.engine_path.read_bytes())
    cache.engine_path.write_bytes(pickle.dumps((stamp[0], "another-code", stamp[2])) + pickle.dumps(engine))
    assert cache.load_engine("1|a|3|registry", AnswerEngine) is None  # built by other code or word lists
    assert not cache.has_engine("1|a|3|registry")


def test_the_registry_source_digest_follows_its_files(tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text('[[agency]]\nname = "Ban Quản lý dự án thử"\nkind = "enterprise"\n', encoding="utf-8")
    bundled = AgencyRegistry.source_digest()
    assert bundled == AgencyRegistry.source_digest() and AgencyRegistry.source_digest(extra) != bundled
    before = AgencyRegistry.source_digest(extra)
    extra.write_text(extra.read_text(encoding="utf-8") + 'aliases = ["BQLDA thử"]\n', encoding="utf-8")
    assert AgencyRegistry.source_digest(extra) != before
    with pytest.raises(RegistryError):
        AgencyRegistry.source_digest(tmp_path / "missing.toml")


def test_a_warm_start_answers_from_the_cache_and_an_edited_agency_file_is_synchronised(tmp_path: Path) -> None:
    """A second start on an unchanged base reads the engine back (not rebuilt); once the agency file changes, the
    next start builds again, with the new agency in the engine and stored in the database."""
    extra = tmp_path / "extra.toml"
    extra.write_text('[[agency]]\nname = "Ban Quản lý dự án thử"\nkind = "enterprise"\n', encoding="utf-8")
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'kb.sqlite3'}",
        taskbot_cache_dir=tmp_path / "cache",
        taskbot_agencies_file=extra,
    )
    runtime = Runtime.open(settings)
    try:
        runtime.answer_engine()
        assert runtime.snapshot_cache is not None
        stamp = runtime.snapshot_cache.engine_path.stat().st_mtime_ns
    finally:
        runtime.close()
    warm = Runtime.open(settings)
    try:
        assert "Ban Quản lý dự án thử" in warm.answer_engine().kb.registry
        assert warm.snapshot_cache is not None and warm.snapshot_cache.engine_path.stat().st_mtime_ns == stamp
    finally:
        warm.close()
    extra.write_text(
        extra.read_text(encoding="utf-8") + '\n[[agency]]\nname = "Ban Quản lý thử hai"\nkind = "enterprise"\n',
        encoding="utf-8",
    )
    edited = Runtime.open(settings)
    try:
        assert "Ban Quản lý thử hai" in edited.answer_engine().kb.registry
        assert edited.snapshot_cache is not None and edited.snapshot_cache.engine_path.stat().st_mtime_ns != stamp
        stored = {agency.name for agency in KnowledgeRepository(edited.db).load_agencies()}
        assert {"Ban Quản lý dự án thử", "Ban Quản lý thử hai"} <= stored
    finally:
        edited.close()
