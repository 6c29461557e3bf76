"""Small conversions shared by the repositories: times in and out of the database, and literal-typed columns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TypeVar

from knowledge.errors import StorageError

__all__ = ["aware", "checked", "stored", "utc"]

L = TypeVar("L", bound=str)


def utc(now: datetime) -> datetime:
    """``now`` in UTC; naive datetimes are refused (their zone would be a guess)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {now!r}")
    return now.astimezone(UTC)


def aware(value: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite hands back naive UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def checked(value: str, allowed: Sequence[L], what: str) -> L:
    """``value`` as one of ``allowed`` (a caller's argument); ValueError otherwise."""
    for option in allowed:
        if value == option:
            return option
    raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")


def stored(value: str, allowed: Sequence[L], what: str) -> L:
    """``value`` read from the database as one of ``allowed``; StorageError when the data is not what we wrote."""
    for option in allowed:
        if value == option:
            return option
    raise StorageError(f"unexpected {what} {value!r} in the database")
