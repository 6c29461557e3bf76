"""A local cache of the knowledge snapshot, kept in private files per database and used while the knowledge base's
fingerprint (:meth:`KnowledgeRepository.fingerprint`: plans, their last change, agencies) is the same. It holds:

- the plans as :meth:`KnowledgeRepository.load_plans` reads them (``snapshot-….pickle``), for the commands that need
  the records only (exports, reminders, plan listings);
- the built answer engine (``engine-….pickle``), for the commands that answer (``taskbot run``, ``taskbot ask``). Its
  key adds the agency registry and a digest of the ``knowledge`` package's code and word lists, so an engine is never
  read back by code, a registry or cue files other than those that built it.

At 10,000 tasks reading the plans from the database takes ~0.3 s and building the engine ~0.5 s; unpickling the whole
engine ~0.15 s, and it lands compact in memory (~35 MB less than building it). That is what brings a restarted bot
under its start-up and memory budgets (issue #15). The cache is only an accelerator: a file that is missing, stale,
damaged, written by other code, or not readable is ignored (and rewritten), never an error. Unpickling accepts only
classes of the knowledge modules named below and a few builtins, never a function, so a tampered file can not run
code; the folder is created private (0700) and files are written atomically (0600).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import logging
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Final, TypeVar

import knowledge
from knowledge import records
from knowledge.records import Plan

__all__ = ["SNAPSHOT_FORMAT", "SnapshotCache", "code_signature", "records_signature"]

log = logging.getLogger(__name__)

T = TypeVar("T")

SNAPSHOT_FORMAT: Final = 2
_ALLOWED_BUILTINS: Final = frozenset(
    {
        ("datetime", "date"),
        ("datetime", "datetime"),
        ("datetime", "timezone"),
        ("datetime", "timedelta"),
        ("builtins", "frozenset"),
        ("builtins", "set"),
        ("builtins", "tuple"),
        ("builtins", "list"),
        ("builtins", "dict"),
    }
)
_RECORD_MODULES: Final = frozenset({records.__name__})
# What a built engine is made of: records, the registry, the succession graph, the indexes and the answering steps.
_ENGINE_MODULES: Final = frozenset(
    {
        records.__name__,
        "knowledge.agencies",
        "knowledge.base",
        "knowledge.succession",
        "knowledge.topic_index",
        "knowledge.answers",
    }
)
_ENGINE_PACKAGES: Final = ("knowledge.answering.",)
_ENGINE_BUILTINS: Final = _ALLOWED_BUILTINS | {("array", "array"), ("array", "_array_reconstructor")}


def records_signature() -> str:
    """A digest of every record class's fields and their types: a cache written by code whose records differ is
    never read back."""
    parts = []
    for name, value in sorted(vars(records).items()):
        if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == records.__name__:
            fields = ",".join(f"{f.name}:{f.type}" for f in dataclasses.fields(value))
            parts.append(f"{name}({fields})")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


@functools.cache
def code_signature() -> str:
    """A digest of the ``knowledge`` package's code and data files (cues, thesaurus, registry): an engine built by
    other code or other word lists is never read back. ~5 ms, once per process."""
    root = Path(knowledge.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class _RestrictedUnpickler(pickle.Unpickler):
    """Unpickles classes of the given modules and plain values only."""

    def __init__(
        self,
        file: IO[bytes],
        *,
        modules: frozenset[str],
        packages: tuple[str, ...] = (),
        builtins: frozenset[tuple[str, str]] = _ALLOWED_BUILTINS,
    ) -> None:
        super().__init__(file)
        self.modules = modules
        self.packages = packages
        self.builtins = builtins

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self.builtins:
            return super().find_class(module, name)
        if module in self.modules or module.startswith(self.packages):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a knowledge class")


class SnapshotCache:
    """The cached plans and answer engine of one database, in ``folder``."""

    def __init__(self, folder: Path, database: str) -> None:
        self.folder = folder
        key = hashlib.sha256(database.encode()).hexdigest()[:20]
        self.path = folder / f"snapshot-{key}.pickle"
        self.engine_path = folder / f"engine-{key}.pickle"
        self._stamp = (SNAPSHOT_FORMAT, records_signature())

    def load(self, fingerprint: str) -> list[Plan] | None:
        """The plans cached for ``fingerprint``, or None (nothing usable cached)."""
        plans = self._read(self.path, (*self._stamp, fingerprint), list, modules=_RECORD_MODULES)
        if plans is None or not all(isinstance(p, Plan) for p in plans):
            return None
        return plans

    def save(self, fingerprint: str, plans: Sequence[Plan]) -> None:
        """Cache ``plans`` for ``fingerprint`` (best effort: a folder that cannot be written is logged and skipped)."""
        self._write(self.path, (*self._stamp, fingerprint), list(plans))

    def load_engine(self, key: str, kind: type[T]) -> T | None:
        """The engine (an instance of ``kind``) cached for ``key`` — the fingerprint and the registry's digest — by
        this very code, or None."""
        return self._read(
            self.engine_path,
            (SNAPSHOT_FORMAT, code_signature(), key),
            kind,
            modules=_ENGINE_MODULES,
            packages=_ENGINE_PACKAGES,
            builtins=_ENGINE_BUILTINS,
        )

    def save_engine(self, key: str, engine: object) -> None:
        """Cache a built engine for ``key`` (best effort, as :meth:`save`)."""
        self._write(self.engine_path, (SNAPSHOT_FORMAT, code_signature(), key), engine)

    def has_engine(self, key: str) -> bool:
        """Whether an engine for ``key`` is cached by this very code (reads the file's stamp only)."""
        try:
            with self.engine_path.open("rb") as file:
                stamp = _RestrictedUnpickler(file, modules=frozenset()).load()
        except Exception:  # missing, damaged or foreign: nothing usable
            return False
        return isinstance(stamp, tuple) and stamp == (SNAPSHOT_FORMAT, code_signature(), key)

    def _read(
        self,
        path: Path,
        stamp: tuple[object, ...],
        kind: type[T],
        *,
        modules: frozenset[str],
        packages: tuple[str, ...] = (),
        builtins: frozenset[tuple[str, str]] = _ALLOWED_BUILTINS,
    ) -> T | None:
        """The value after ``stamp`` in ``path`` (a file holds two pickles: its stamp, then its value; a stale file
        is told from its stamp without reading the rest)."""
        try:
            with path.open("rb") as file:
                data = file.read()
        except OSError:
            return None
        try:
            reader = io.BytesIO(data)
            cached_stamp = _RestrictedUnpickler(reader, modules=frozenset()).load()
            if not isinstance(cached_stamp, tuple) or cached_stamp != stamp:
                return None
            value = _RestrictedUnpickler(reader, modules=modules, packages=packages, builtins=builtins).load()
        except Exception as exc:  # damaged or foreign: ignored, rewritten on the next save
            log.info("snapshot cache %s not usable (%s): building it again", path, type(exc).__name__)
            return None
        return value if isinstance(value, kind) else None

    def _write(self, path: Path, stamp: tuple[object, ...], value: object) -> None:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            data = pickle.dumps(stamp, protocol=pickle.HIGHEST_PROTOCOL) + pickle.dumps(
                value, protocol=pickle.HIGHEST_PROTOCOL
            )
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".snapshot-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.chmod(temporary, 0o600)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except (OSError, pickle.PicklingError) as exc:
            log.warning("snapshot cache %s not written: %s", path, exc)
