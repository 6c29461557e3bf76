"""A local cache of the knowledge snapshot: the plans as :meth:`KnowledgeRepository.load_plans` reads them, kept in
one file per database and used while the knowledge base's fingerprint (:meth:`KnowledgeRepository.fingerprint`:
plans, their last change, agencies) is the same.

At 10,000 tasks reading the plans from the database takes ~0.5 s; unpickling the same records ~0.2 s, which is what
brings a restarted bot under its start-up budget (issue #15). The cache is only an accelerator: a file that is
missing, stale, damaged, written by a version whose records differ, or not readable is ignored (and rewritten), never
an error. Unpickling accepts only the classes of :mod:`knowledge.records` and a few builtins, so a tampered file can
not run code; the folder is created private (0700) and files are written atomically (0600).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from knowledge import records
from knowledge.records import Plan

__all__ = ["SNAPSHOT_FORMAT", "SnapshotCache", "records_signature"]

log = logging.getLogger(__name__)

SNAPSHOT_FORMAT: Final = 1
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


def records_signature() -> str:
    """A digest of every record class's fields and their types: a cache written by code whose records differ is
    never read back."""
    parts = []
    for name, value in sorted(vars(records).items()):
        if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == records.__name__:
            fields = ",".join(f"{f.name}:{f.type}" for f in dataclasses.fields(value))
            parts.append(f"{name}({fields})")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


class _RecordsUnpickler(pickle.Unpickler):
    """Unpickles knowledge records and plain values only."""

    def find_class(self, module: str, name: str) -> Any:
        if module == records.__name__ or (module, name) in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a knowledge record")


class SnapshotCache:
    """The cached plans of one database, in ``folder``."""

    def __init__(self, folder: Path, database: str) -> None:
        self.folder = folder
        key = hashlib.sha256(database.encode()).hexdigest()[:20]
        self.path = folder / f"snapshot-{key}.pickle"
        self._stamp = (SNAPSHOT_FORMAT, records_signature())

    def load(self, fingerprint: str) -> list[Plan] | None:
        """The plans cached for ``fingerprint``, or None (nothing usable cached)."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        try:
            stamp, cached_fingerprint, plans = _RecordsUnpickler(io.BytesIO(data)).load()
        except Exception as exc:  # damaged or foreign: ignored, rewritten on the next save
            log.info("snapshot cache %s not usable (%s): reading the database", self.path, type(exc).__name__)
            return None
        if tuple(stamp) != self._stamp or cached_fingerprint != fingerprint or not isinstance(plans, list):
            return None
        if not all(isinstance(p, Plan) for p in plans):
            return None
        return plans

    def save(self, fingerprint: str, plans: Sequence[Plan]) -> None:
        """Cache ``plans`` for ``fingerprint`` (best effort: a folder that cannot be written is logged and skipped)."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            data = pickle.dumps((self._stamp, fingerprint, list(plans)), protocol=pickle.HIGHEST_PROTOCOL)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".snapshot-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.chmod(temporary, 0o600)
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning("snapshot cache %s not written: %s", self.path, exc)
