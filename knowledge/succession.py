"""Succession between agencies: which body took over from which, on what day, by which act.

The registry's data (``[[succession]]`` blocks, see knowledge/data/agencies.toml) becomes a validated graph here.
Everything is pure: the day a question is asked is a parameter.

A successor takes over its predecessors' tasks in plans (:attr:`Succession.carries_tasks`), except through a
``split``, where only part of the predecessor's functions moved and the tasks stay with its main successor.

:func:`plan_names` is the one rule deciding which names count as an agency for a plan:

- the agency itself and the groups it belongs to;
- the predecessors (transitively) of these, once the change has taken effect: the successor answers for what they
  were given ("Sở Nông nghiệp và Môi trường", founded in 2025, in a 2018 plan stands for the Sở NN&PTNT and the Sở
  TN&MT; "Sở Nội vụ", which the plan never names, stands for the Sở LĐ-TB&XH it took over) — except where the plan
  names the successor itself and ended before the change: such a plan's record stays as it was written ("Sở Tài
  chính" in a plan that ended in 2020 holds its own tasks there, not those of the Sở Kế hoạch và Đầu tư it took over
  in 2025; answers mention those in one line, :func:`kept_apart`);
- its successors (transitively) when the plan does not name it and was issued after the change, or is in force (a
  body that has ended, named for a newer plan, stands for the body that took over);
- and the groups of all of these ("UBND phường Thủy Nguyên" in a 2018 plan: its district's group; a ward of 2026
  in a 2018 plan: the district group that the commune-level group took over from).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, cast, get_args

from knowledge.errors import RegistryError
from knowledge.records import Agency
from knowledge.text import nfc

__all__ = [
    "Lineage",
    "StandIn",
    "Succession",
    "SuccessionGraph",
    "SuccessionKind",
    "kept_apart",
    "parse_successions",
    "plan_names",
]

SuccessionKind = Literal["merge", "rename", "dissolution", "split"]
_KINDS = frozenset(get_args(SuccessionKind))
_FIELDS = frozenset({"predecessors", "successor", "kind", "effective", "act", "url", "confirmed", "note"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Succession:
    """One change: ``predecessors`` → ``successor`` on ``effective`` (None: the day could not be confirmed)."""

    predecessors: tuple[str, ...]
    successor: str
    kind: SuccessionKind
    effective: date | None = None
    act: str = ""
    url: str = ""
    confirmed: bool = True
    note: str = ""
    where: str = ""  # the data file and entry it was read from, for error messages

    @property
    def carries_tasks(self) -> bool:
        """Whether the successor takes over the predecessors' tasks (not through a split of functions)."""
        return self.kind != "split"

    def in_effect(self, day: date) -> bool:
        """Whether the change had happened by ``day`` (an undated change counts as done)."""
        return self.effective is None or self.effective <= day


@dataclass(frozen=True, kw_only=True, slots=True)
class StandIn:
    """A body that counts for another through a change: ``name`` took over from ``of`` (``earlier`` False), or ``of``
    took over from ``name`` (``earlier`` True: ``name`` is a predecessor, its tasks are now ``of``'s)."""

    name: str
    change: Succession
    earlier: bool
    of: str  # the agency (or one of its groups) the link starts from


@dataclass(frozen=True, kw_only=True, slots=True)
class Lineage:
    """A body's history for display: the changes that made it, and the changes that ended or split it."""

    name: str
    origins: tuple[Succession, ...]  # changes with this body as successor
    outcomes: tuple[Succession, ...]  # changes with this body among the predecessors


def parse_successions(data: Mapping[str, Any], *, source: str) -> list[Succession]:
    """The ``[[succession]]`` blocks of a registry file's parsed TOML; raises :class:`RegistryError` per entry."""
    entries = data.get("succession", [])
    if not isinstance(entries, list):
        raise RegistryError(f"{source}: 'succession' must be an array of tables ([[succession]])")
    out: list[Succession] = []
    for index, entry in enumerate(entries, start=1):
        where = f"{source}: succession #{index}"
        if not isinstance(entry, dict):
            raise RegistryError(f"{where}: expected a table")
        unknown = sorted(set(entry) - _FIELDS)
        if unknown:
            raise RegistryError(f"{where}: unknown field(s) {unknown}; expected some of {sorted(_FIELDS)}")
        predecessors = entry.get("predecessors")
        successor = entry.get("successor")
        if not isinstance(predecessors, list) or not predecessors or not all(isinstance(p, str) for p in predecessors):
            raise RegistryError(f"{where}: 'predecessors' must be a non-empty list of canonical agency names")
        if not isinstance(successor, str) or not nfc(successor):
            raise RegistryError(f"{where}: 'successor' must be the canonical name of one agency")
        kind = entry.get("kind")
        if kind not in _KINDS:
            raise RegistryError(f"{where} ({successor}): 'kind' must be one of {sorted(_KINDS)}, not {kind!r}")
        effective = entry.get("effective")
        if effective is not None and not _is_day(effective):
            raise RegistryError(f"{where} ({successor}): 'effective' must be a date such as 2025-07-01")
        texts = {k: entry.get(k, "") for k in ("act", "url", "note")}
        if not all(isinstance(v, str) for v in texts.values()):
            raise RegistryError(f"{where} ({successor}): 'act', 'url' and 'note' must be strings")
        confirmed = entry.get("confirmed", True)
        if not isinstance(confirmed, bool):
            raise RegistryError(f"{where} ({successor}): 'confirmed' must be true or false")
        out.append(
            Succession(
                predecessors=tuple(nfc(p) for p in predecessors),
                successor=nfc(successor),
                kind=cast(SuccessionKind, kind),
                effective=effective,
                act=nfc(texts["act"]),
                url=texts["url"].strip(),
                confirmed=confirmed,
                note=nfc(texts["note"]),
                where=where,
            )
        )
    return out


def _is_day(value: object) -> bool:
    return isinstance(value, date) and not hasattr(value, "hour")


def load_registry_toml(text: str, *, source: str) -> dict[str, Any]:
    """A registry file's TOML, with the file named in the error when it is not valid TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{source}: not valid TOML: {exc}") from exc


class SuccessionGraph:
    """Validated succession edges over a set of agencies, with transitive look-ups. Immutable; safe to share."""

    def __init__(self, edges: Iterable[Succession], agencies: Mapping[str, Agency]) -> None:
        self.edges: tuple[Succession, ...] = tuple(edges)
        self._agencies = agencies
        self._validate()
        self._out: dict[str, list[Succession]] = {}
        self._in: dict[str, list[Succession]] = {}
        for edge in self.edges:
            self._in.setdefault(edge.successor, []).append(edge)
            for name in edge.predecessors:
                self._out.setdefault(name, []).append(edge)

    def __bool__(self) -> bool:
        return bool(self.edges)

    # -- validation ---------------------------------------------------------------------------------------------

    def _validate(self) -> None:
        agencies = self._agencies
        for agency in agencies.values():
            if agency.established and agency.ended and agency.ended <= agency.established:
                raise RegistryError(
                    f"agency {agency.name!r}: ended {agency.ended} is not after established {agency.established}; "
                    "fix one of the dates"
                )
        for edge in self.edges:
            for name in (*edge.predecessors, edge.successor):
                if name not in agencies:
                    raise RegistryError(
                        f"{edge.where}: unknown agency {name!r}; add an [[agency]] block with that exact canonical "
                        "name, or correct the spelling"
                    )
            if edge.successor in edge.predecessors:
                raise RegistryError(
                    f"{edge.where}: {edge.successor!r} cannot succeed itself; remove it from predecessors"
                )
            day = edge.effective
            if day is None:
                continue
            for name in edge.predecessors:
                before = agencies[name]
                if before.established and day <= before.established:
                    raise RegistryError(
                        f"{edge.where}: takes effect {day}, not after {name!r} was established "
                        f"({before.established}); fix 'effective' or that agency's 'established'"
                    )
                if before.ended and edge.carries_tasks and before.ended < day:
                    raise RegistryError(
                        f"{edge.where}: {name!r} ended {before.ended}, before the change took effect ({day}); "
                        "dates out of order: fix 'effective' or that agency's 'ended'"
                    )
            after = agencies[edge.successor]
            if after.ended and after.ended <= day:
                raise RegistryError(
                    f"{edge.where}: successor {edge.successor!r} ended {after.ended}, not after the change ({day}); "
                    "dates out of order"
                )
        self._check_cycles()

    def _check_cycles(self) -> None:
        forward: dict[str, list[str]] = {}
        where: dict[tuple[str, str], str] = {}
        for edge in self.edges:
            for name in edge.predecessors:
                forward.setdefault(name, []).append(edge.successor)
                where[(name, edge.successor)] = edge.where
        state: dict[str, int] = {}  # 1: on the current path, 2: done

        def visit(name: str, path: list[str]) -> None:
            state[name] = 1
            for nxt in forward.get(name, ()):
                if state.get(nxt) == 1:
                    cycle = [*path[path.index(nxt) :], nxt] if nxt in path else [name, nxt]
                    raise RegistryError(
                        f"{where[(name, nxt)]}: succession cycle {' → '.join(cycle)}; a body cannot succeed its own "
                        "successor: remove one of these [[succession]] entries"
                    )
                if state.get(nxt) != 2:
                    visit(nxt, [*path, nxt])
            state[name] = 2

        for start in list(forward):
            if state.get(start) is None:
                visit(start, [start])

    # -- look-ups -----------------------------------------------------------------------------------------------

    def lineage(self, name: str) -> Lineage:
        return Lineage(name=name, origins=tuple(self._in.get(name, ())), outcomes=tuple(self._out.get(name, ())))

    def predecessors(self, name: str, *, on: date | None = None, carrying: bool = True) -> list[tuple[str, Succession]]:
        """Bodies ``name`` took over from, transitively (nearest first), with the change that linked each."""
        return self._walk(name, on, carrying, lambda n: [(p, e) for e in self._in.get(n, ()) for p in e.predecessors])

    def successors(self, name: str, *, on: date | None = None, carrying: bool = True) -> list[tuple[str, Succession]]:
        """Bodies that took over from ``name``, transitively (nearest first), with the change that linked each."""
        return self._walk(name, on, carrying, lambda n: [(e.successor, e) for e in self._out.get(n, ())])

    @staticmethod
    def _walk(
        name: str,
        on: date | None,
        carrying: bool,
        step: Callable[[str], list[tuple[str, Succession]]],
    ) -> list[tuple[str, Succession]]:
        found: dict[str, Succession] = {}
        frontier = [name]
        while frontier:
            nxt: list[str] = []
            for current in frontier:
                for other, edge in step(current):
                    if other == name or other in found:
                        continue
                    if (carrying and not edge.carries_tasks) or (on is not None and not edge.in_effect(on)):
                        continue
                    found[other] = edge
                    nxt.append(other)
            frontier = nxt
        return list(found.items())

    def heirs(self, name: str, *, on: date) -> list[str]:
        """Bodies that took over ``name``'s tasks by ``on`` (transitively); who hears about its tasks now."""
        return [n for n, _ in self.successors(name, on=on)]

    def current(self, name: str, *, on: date) -> list[str]:
        """For a body that has ended by ``on``: the bodies in existence that carry on its tasks (else empty)."""
        agency = self._agencies.get(name)
        if agency is None or agency.exists_on(on):
            return []
        out = []
        for other, _ in self.successors(name, on=on):
            body = self._agencies.get(other)
            if body is not None and body.exists_on(on):
                out.append(other)
        return out

    def stand_ins(self, names: Iterable[str], *, on: date) -> list[StandIn]:
        """The bodies linked to ``names`` (an agency and its groups) by changes in effect ``on``: their predecessors
        (whose tasks they took over) and their successors (who took over theirs), nearest first."""
        found: dict[str, StandIn] = {}
        own = list(names)
        for name in own:
            for other, edge in self.predecessors(name, on=on):
                if other not in own:
                    found.setdefault(other, StandIn(name=other, change=edge, earlier=True, of=name))
            for other, edge in self.successors(name, on=on):
                if other not in own:
                    found.setdefault(other, StandIn(name=other, change=edge, earlier=False, of=name))
        return list(found.values())


def plan_names(
    own: Sequence[str],
    stand_ins: Iterable[StandIn],
    *,
    groups_of: Callable[[str], Iterable[str]],
    named: Collection[str],
    issued: date | None,
    in_force: bool,
    ended: date | None = None,
) -> list[str]:
    """The names that count as an agency in one plan (module docstring): ``own`` is the agency and its groups,
    ``stand_ins`` its linked bodies (:meth:`SuccessionGraph.stand_ins`), ``named`` the names the plan uses, ``issued``
    its date, ``in_force`` its status on the day asked and ``ended`` the last day it covers (None: open-ended)."""
    names = list(own)
    mentioned = any(n in named for n in own)
    for other in stand_ins:
        if other.earlier:
            if not (mentioned and kept_apart(other.change, ended)):  # a plan that names it keeps its record
                names.append(other.name)
            continue
        edge = other.change
        if mentioned:
            continue
        if (edge.effective is None and in_force) or (
            edge.effective is not None and issued is not None and issued >= edge.effective
        ):
            names.append(other.name)
    for extra in names[len(own) :]:
        names.extend(groups_of(extra))
    return list(dict.fromkeys(names))


def kept_apart(change: Succession, ended: date | None) -> bool:
    """Whether a plan that ended on ``ended`` keeps a predecessor's tasks apart from a successor it names itself: it
    ended before ``change`` took effect, so nothing of it passed on (the successor's own record there stays as
    written)."""
    return ended is not None and change.effective is not None and ended < change.effective
