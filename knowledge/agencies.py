"""The agency registry: canonical names, kinds, aliases and group members, read from a TOML data file.

Matching works on folded tokens (see :mod:`knowledge.text`), so case, diacritics, tone placement, ``&`` spacing and
punctuation do not matter. A cell such as ``"Liên minh HTX và DN, các Sở, ngành liên quan, UBND các quận, huyện"`` is
split by greedy longest-alias matching rather than on commas, because names themselves contain commas.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import cast, get_args

from rapidfuzz import fuzz, process

from knowledge.errors import RegistryError
from knowledge.records import Agency, AgencyKind
from knowledge.succession import Succession, SuccessionGraph, load_registry_toml, parse_successions
from knowledge.text import fold, nfc, same_letters_any_tone

__all__ = ["AgencyMention", "AgencyRegistry", "Resolution"]

_KINDS: frozenset[str] = frozenset(get_args(AgencyKind))

# Words that may follow (or, for "các", precede) a name without changing which agency it is.
_TRAILING_FILLERS: tuple[tuple[str, ...], ...] = (
    ("tren", "dia", "ban", "thanh", "pho"),
    ("tren", "dia", "ban"),
    ("co", "lien", "quan"),
    ("lien", "quan"),
    ("thanh", "pho", "hai", "phong"),
    ("tp", "hai", "phong"),
    ("thanh", "pho"),
    ("hai", "phong"),
    ("tp",),
)
_SEPARATOR_WORDS = frozenset({"va", "voi", "cung", "hoac"})
_SEPARATORS = frozenset({",", ";", ":", "(", ")"})
_AMBIGUOUS = ""  # an alias key shared by names that differ only in diacritics


def _exact(text: str, token: _Token) -> str:
    """A word as typed, marks kept (lower case, NFC), to tell apart names that fold alike."""
    return nfc(text[token.start : token.end]).lower()


@dataclass(frozen=True, kw_only=True, slots=True)
class AgencyMention:
    """A stretch of text naming one agency; ``name`` is None when no registry entry matched.

    ``start``/``end`` index the text as given (so ``given[start:end]`` is the stretch, whatever its normal form);
    ``text`` is that stretch in NFC (for unmatched parts, without surrounding dots).
    """

    name: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Resolution:
    """The agency a whole text stands for, and how sure the match is."""

    agency: Agency
    exact: bool
    score: float  # 100 for exact alias matches


@dataclass(frozen=True, slots=True)
class _Token:
    key: str
    start: int
    end: int


@lru_cache(maxsize=8192)
def _char_kind(ch: str) -> str:
    """``w`` for a character of a word, ``s`` for a list separator, a space for anything else."""
    category = unicodedata.category(ch)
    # Combining marks (NFD input) and invisible format characters belong to the word they sit in.
    if ch == "_" or ch.isalnum() or category[0] == "M" or category == "Cf":
        return "w"
    compat = unicodedata.normalize("NFKC", ch)
    if compat == "&":
        return "w"
    return "s" if compat in _SEPARATORS else " "


_AMPERSANDS = ("&", "\uff06", "\ufe60")  # "&" and the forms NFKC folds to it


def _tokenise(text: str) -> list[_Token]:
    """Folded words and separators of ``text``, with spans in ``text`` itself.

    Words are read from the text as given, each folded on its own, so spans survive NFD input, zero-width
    characters and tone placement; ``KH & ĐT`` is one word, like ``KH&ĐT``.
    """
    runs: list[tuple[str, int, int]] = []
    ampersand = any(
        _char_kind(ch) == "w" and unicodedata.normalize("NFKC", ch) == "&" for ch in _AMPERSANDS if ch in text
    )
    i = 0
    while i < len(text):
        kind = _char_kind(text[i])
        j = i + 1
        if kind == "w":
            while j < len(text) and _char_kind(text[j]) == "w":
                j += 1
        if kind != " ":
            previous = runs[-1] if runs else None
            if (
                ampersand
                and kind == "w"
                and previous is not None
                and previous[0] == "w"
                and not nfc(text[previous[2] : i])
                and (nfc(text[previous[1] : previous[2]]).endswith("&") or nfc(text[i:j]).startswith("&"))
            ):
                runs[-1] = ("w", previous[1], j)
            else:
                runs.append((kind, i, j))
        i = j
    out: list[_Token] = []
    for kind, start, end in runs:
        key = fold(text[start:end]) if kind == "w" else unicodedata.normalize("NFKC", text[start:end])
        if key:
            out.append(_Token(key, start, end))
    return out


class AgencyRegistry:
    """An immutable set of agencies with alias lookup. Build it once; it is safe to share."""

    def __init__(self, agencies: Iterable[Agency], successions: Iterable[Succession] = ()) -> None:
        self._by_name: dict[str, Agency] = {}
        for agency in agencies:
            self._by_name[agency.name] = agency
        self.succession = SuccessionGraph(successions, self._by_name)
        self._alias: dict[tuple[str, ...], str] = {}
        # Names that differ only in their marks ("xã Cẩm Giàng", "xã Cẩm Giang"): told apart as typed, with marks.
        self._marked: dict[tuple[str, ...], str] = {}
        # Each alias key's words as written, marks kept: a name typed with other marks is another word ("số du lịch"
        # is no "Sở Du lịch").
        self._written: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        marked_owner: dict[tuple[str, ...], tuple[str, ...]] = {}
        for agency in self._by_name.values():
            names = (agency.name, agency.short, *agency.aliases)
            for alias in _alias_variants(names, drop_place=agency.kind == "unknown"):
                tokens = _tokenise(alias)
                with_commas = tuple(t.key for t in tokens)
                exact = tuple(_exact(alias, t) for t in tokens if t.key not in _SEPARATORS)
                without = tuple(k for k in with_commas if k not in _SEPARATORS)
                for key in {with_commas, without}:
                    if not key:
                        continue
                    self._written.setdefault(key, set()).add(exact)
                    owner = self._alias.get(key)
                    if owner is not None and owner != agency.name and agency.kind == "unknown":
                        continue  # a name a plan printed that another body already answers to: that body keeps it
                    if owner is not None and owner != agency.name:
                        other = marked_owner.get(key)
                        if other is None or other == exact:
                            raise RegistryError(
                                f"alias {alias!r} names both {owner!r} and {agency.name!r}; make it unambiguous"
                            )
                        self._marked[exact] = agency.name
                        self._alias[key] = _AMBIGUOUS
                        continue
                    if owner is None:
                        marked_owner[key] = exact
                        self._marked[exact] = agency.name
                    self._alias[key] = agency.name
        self._max_len = max((len(k) for k in self._alias), default=1)
        plain = {k: v for k, v in self._alias.items() if not _SEPARATORS.intersection(k) and v != _AMBIGUOUS}
        self._alias_strings = [" ".join(k) for k in plain]
        self._alias_owner = list(plain.values())
        self._groups_of: dict[str, list[str]] = {}
        for agency in self._by_name.values():
            for member in agency.members:
                self._groups_of.setdefault(member, []).append(agency.name)

    # -- construction -------------------------------------------------------------------------------------------

    @classmethod
    def bundled(cls, extra_file: Path | None = None) -> AgencyRegistry:
        """The registry shipped in ``knowledge/data/`` (:data:`BUNDLED_FILES`), plus an admin's extra file if given.

        Succession entries of every file are checked together, so an extra file may name bundled bodies."""
        agencies: dict[str, Agency] = {}
        successions: list[Succession] = []
        data = resources.files("knowledge").joinpath("data")
        for name in BUNDLED_FILES:
            found, edges = read_registry(data.joinpath(name).read_text(encoding="utf-8"), source=name)
            agencies.update((a.name, a) for a in found)
            successions.extend(edges)
        if extra_file is not None:
            try:
                extra_text = extra_file.read_text(encoding="utf-8")
            except OSError as exc:
                raise RegistryError(f"cannot read agency file {extra_file}: {exc}") from exc
            found, edges = read_registry(extra_text, source=str(extra_file))
            agencies.update((a.name, a) for a in found)
            successions.extend(edges)
        return cls(agencies.values(), successions)

    @staticmethod
    def source_digest(extra_file: Path | None = None) -> str:
        """A digest of the files :meth:`bundled` reads (the bundled ones and ``extra_file``): equal files build an
        equal registry, so this keys cached engines without building the registry. :class:`RegistryError` when
        ``extra_file`` cannot be read."""
        digest = hashlib.sha256()
        data = resources.files("knowledge").joinpath("data")
        for name in BUNDLED_FILES:
            digest.update(data.joinpath(name).read_bytes())
        if extra_file is not None:
            try:
                digest.update(b"\0" + extra_file.read_bytes())
            except OSError as exc:
                raise RegistryError(f"cannot read agency file {extra_file}: {exc}") from exc
        return digest.hexdigest()[:16]

    def with_agencies(self, extra: Iterable[Agency]) -> AgencyRegistry:
        """A new registry with ``extra`` added (entries with an existing name replace it)."""
        merged = dict(self._by_name)
        for agency in extra:
            merged[agency.name] = agency
        return AgencyRegistry(merged.values(), self.succession.edges)

    # -- lookup -------------------------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Agency]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, name: str) -> Agency | None:
        return self._by_name.get(name)

    def groups_of(self, name: str) -> list[Agency]:
        """The groups that list ``name`` among their members."""
        return [self._by_name[g] for g in self._groups_of.get(name, ())]

    def group_names(self, name: str) -> list[str]:
        return list(self._groups_of.get(name, ()))

    def in_existence(self, day: date) -> list[Agency]:
        """The bodies that existed on ``day``, in registry order (a body with unknown dates always counts)."""
        return [a for a in self._by_name.values() if a.exists_on(day)]

    def lookup(self, text: str) -> Agency | None:
        """The agency ``text`` names as a whole (an alias, possibly followed by "thành phố" and the like)."""
        toks = [t for t in _tokenise(text) if t.key not in _SEPARATORS]
        keys = [t.key for t in toks]
        exact = [_exact(text, t) for t in toks]
        skip = 1 if keys and keys[0] == "cac" and tuple(keys) not in self._alias else 0
        for first in dict.fromkeys((0, skip)):
            candidate = keys[first:]
            n = self._match_at(candidate, 0)
            if n and self._skip_fillers(candidate, n) == len(candidate):
                name = self._owner(candidate[:n], exact[first : first + n])
                return self._by_name[name] if name else None
        return None

    def resolve(self, text: str, *, cutoff: float = 88.0) -> Resolution | None:
        """Like :meth:`lookup`, falling back to a fuzzy match (typos) above ``cutoff``."""
        exact = self.lookup(text)
        if exact is not None:
            return Resolution(agency=exact, exact=True, score=100.0)
        key = fold(text)
        if not key:
            return None
        best = process.extractOne(key, self._alias_strings, scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None:
            return None
        _, score, index = best
        return Resolution(agency=self._by_name[self._alias_owner[index]], exact=False, score=float(score))

    def suggest(self, text: str, *, limit: int = 3) -> list[str]:
        """Canonical names close to ``text`` (for "did you mean"), best first; empty when nothing is close."""
        key = fold(text)
        if not key:
            return []
        found = process.extract(key, self._alias_strings, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=65)
        names = dict.fromkeys(self._alias_owner[index] for _, _, index in found)
        return list(names)[:limit]

    def alias_keys(self) -> list[tuple[str, str]]:
        """Every folded alias with the canonical name it stands for."""
        return list(zip(self._alias_strings, self._alias_owner, strict=True))

    # -- splitting cells and finding mentions -------------------------------------------------------------------

    def split_names(self, text: str) -> list[AgencyMention]:
        """Split a list of agencies as printed in a plan cell; unmatched parts come back with ``name=None``.

        A cell is split on names ("Sở KH&ĐT và Sở Tài chính") only where every part is a known body. Otherwise each
        comma-separated part stands alone, and neighbouring parts that name no known body are kept together as one
        phrase: "UBND các xã, phường, đặc khu" or "Sở Nông nghiệp và Môi trường" in a registry that does not know
        them stay one unknown name instead of becoming "Phường" or "Môi trường".
        """
        mentions = self._greedy_split(text, 0, len(text))
        if all(m.name for m in mentions):
            return mentions
        # parts end at commas, semicolons and line breaks (one agency per line of a cell)
        commas = [t.start for t in _tokenise(text) if t.key in (",", ";")] + [
            i for i, c in enumerate(text) if c == "\n"
        ]
        segments: list[list[AgencyMention]] = []
        for mention in mentions:
            apart = segments and any(segments[-1][-1].end <= c < mention.start for c in commas)
            if not segments or apart:
                segments.append([mention])
            else:
                segments[-1].append(mention)
        out: list[AgencyMention] = []
        for segment in segments:
            if all(m.name for m in segment):
                out.extend(segment)
                continue
            start = out.pop().start if out and out[-1].name is None else segment[0].start
            end = segment[-1].end
            out.append(AgencyMention(name=None, text=nfc(text[start:end]).strip(" ."), start=start, end=end))
        return out

    def _greedy_split(self, whole: str, begin: int, finish: int) -> list[AgencyMention]:
        """Longest-alias split of ``whole[begin:finish]``; spans index ``whole``."""
        text = whole
        toks = [t for t in _tokenise(whole[begin:finish])]
        toks = [_Token(t.key, t.start + begin, t.end + begin) for t in toks]
        mentions: list[AgencyMention] = []
        keys = [t.key for t in toks]
        i = 0
        while i < len(toks):
            if keys[i] in _SEPARATORS or keys[i] in _SEPARATOR_WORDS:
                i += 1
                continue
            start = i + 1 if keys[i] == "cac" and not self._match_at(keys, i) else i
            n = self._match_at(keys, start)
            if n:
                name = self._owner(keys[start : start + n], [_exact(text, t) for t in toks[start : start + n]])
                end = self._skip_fillers(keys, start + n)
                mentions.append(
                    AgencyMention(
                        name=name,
                        text=nfc(text[toks[i].start : toks[end - 1].end]),
                        start=toks[i].start,
                        end=toks[end - 1].end,
                    )
                )
                i = end
                continue
            j = i
            while j < len(toks) and keys[j] not in (",", ";"):
                j += 1
            span = nfc(text[toks[i].start : toks[j - 1].end]).strip(" .")
            if span:
                mentions.append(AgencyMention(name=None, text=span, start=toks[i].start, end=toks[j - 1].end))
            i = j
        return mentions

    def find_mentions(self, text: str) -> list[AgencyMention]:
        """Every registry agency named anywhere in free text, in order, longest match first."""
        toks = _tokenise(text)
        keys = [t.key for t in toks]
        found: list[AgencyMention] = []
        i = 0
        while i < len(keys):
            n = self._match_at(keys, i, toks, text)
            if n:
                name = self._owner(keys[i : i + n], [_exact(text, t) for t in toks[i : i + n]])
                end = self._skip_fillers(keys, i + n)
                found.append(
                    AgencyMention(
                        name=name,
                        text=nfc(text[toks[i].start : toks[end - 1].end]),
                        start=toks[i].start,
                        end=toks[end - 1].end,
                    )
                )
                i = end
            else:
                i += 1
        return found

    def _owner(self, keys: list[str], exact: list[str]) -> str | None:
        """The agency an alias match names; for names that differ only in marks, the one typed (None: unsure)."""
        name = self._alias[tuple(keys)]
        if name != _AMBIGUOUS:
            return name
        return self._marked.get(tuple(exact))

    def _match_at(self, keys: list[str], i: int, toks: list[_Token] | None = None, text: str = "") -> int:
        """Length of the longest alias starting at token ``i`` (0 if none). Given the tokens of a question's
        ``text``, only an alias whose words, as typed there, can be the alias's words (:meth:`_typed_as_written`);
        the plans' own cells are matched on their folded keys alone, typos and all."""
        for n in range(min(self._max_len, len(keys) - i), 0, -1):
            key = tuple(keys[i : i + n])
            if key in self._alias and (toks is None or self._typed_as_written(key, toks[i : i + n], text)):
                return n
        return 0

    def _typed_as_written(self, key: tuple[str, ...], toks: list[_Token], text: str) -> bool:
        typed = [_exact(text, t) for t in toks if t.key not in _SEPARATORS]
        return any(
            len(written) == len(typed) and all(map(same_letters_any_tone, typed, written))
            for written in self._written.get(key, ())
        )

    @staticmethod
    def _skip_fillers(keys: list[str], i: int) -> int:
        for filler in _TRAILING_FILLERS:
            if tuple(keys[i : i + len(filler)]) == filler:
                return i + len(filler)
        return i


_TRAILING_PLACE = re.compile(r"\b(thành phố|tỉnh)\s+(?:[A-ZĐ][^\s,;()]*)(?:\s+[A-ZĐ][^\s,;()]*)*$")
_CITY_WORDS = re.compile(r"\bthành phố\b(?!\s+\w)", re.IGNORECASE)  # at the end: "Công an thành phố"


def _alias_variants(aliases: Iterable[str], *, drop_place: bool = False) -> list[str]:
    """Aliases plus the forms people also type: "KH&ĐT" as "KHĐT", "Sở TNMT" as plain "TNMT", "… thành phố" as
    "… TP"; with ``drop_place`` (a body a plan named that the registry does not know, whose names are not curated),
    also without the city's name at the end ("Hiệp hội Doanh nghiệp thành phố Hải Phòng" as "… thành phố")."""
    out: list[str] = []
    for alias in aliases:
        if not alias:
            continue
        out.append(alias)
        if fold(alias).startswith("ubnd "):
            out.append("Ủy ban nhân dân " + alias.split(maxsplit=1)[1])
        elif fold(alias).startswith("uy ban nhan dan "):
            out.append("UBND " + alias.split(maxsplit=3)[3])
        if "&" in alias:
            out.append(alias.replace(" & ", "").replace("&", ""))
        place = _TRAILING_PLACE.search(alias) if drop_place else None
        if place:  # "Hiệp hội Doanh nghiệp thành phố Hải Phòng" is said "… thành phố" in its own city
            out.append(alias[: place.start()] + place.group(1))
        for form in out[-2:] if place else out[-1:]:
            if _CITY_WORDS.search(form):  # "… thành phố" is typed "… TP" as often as not
                out.append(_CITY_WORDS.sub("TP", form))
        words = alias.split()
        if len(words) == 2 and fold(words[0]) == "so":
            abbreviation = words[1].replace("&", "").replace("-", "")
            if len(abbreviation) >= 4 and abbreviation.isupper():
                out.append(abbreviation)
    return list(dict.fromkeys(out))


BUNDLED_FILES = ("agencies.toml", "agencies_communes.toml")
"""The registry files shipped in knowledge/data/, read in this order."""


def read_registry(text: str, *, source: str) -> tuple[list[Agency], list[Succession]]:
    """The ``[[agency]]`` and ``[[succession]]`` blocks of a registry file (TOML text)."""
    data = load_registry_toml(text, source=source)
    return _agencies_of(data, source=source), parse_successions(data, source=source)


def parse_registry(text: str, *, source: str) -> list[Agency]:
    """Read ``[[agency]]`` blocks from TOML text; raises :class:`RegistryError` naming the entry at fault."""
    return _agencies_of(load_registry_toml(text, source=source), source=source)


def _agencies_of(data: Mapping[str, object], *, source: str) -> list[Agency]:
    entries = data.get("agency", [])
    if not isinstance(entries, list):
        raise RegistryError(f"{source}: 'agency' must be an array of tables ([[agency]])")
    agencies: list[Agency] = []
    for index, entry in enumerate(entries, start=1):
        where = f"{source}: agency #{index}"
        if not isinstance(entry, dict):
            raise RegistryError(f"{where}: expected a table")
        name = entry.get("name")
        if not isinstance(name, str) or not nfc(name):
            raise RegistryError(f"{where}: 'name' must be a non-empty string")
        kind = entry.get("kind", "department")
        if kind not in _KINDS:
            raise RegistryError(f"{where} ({name}): unknown kind {kind!r}; expected one of {sorted(_KINDS)}")
        aliases = entry.get("aliases", [])
        members = entry.get("members", [])
        short = entry.get("short", "")
        if not _is_str_list(aliases) or not _is_str_list(members) or not isinstance(short, str):
            raise RegistryError(f"{where} ({name}): 'aliases' and 'members' must be lists of strings")
        established, ended, cited = entry.get("established"), entry.get("ended"), entry.get("source", "")
        for label, value in (("established", established), ("ended", ended)):
            if value is not None and (not isinstance(value, date) or hasattr(value, "hour")):
                raise RegistryError(f"{where} ({name}): '{label}' must be a date such as 2025-07-01")
        if not isinstance(cited, str):
            raise RegistryError(f"{where} ({name}): 'source' must be a string")
        agencies.append(
            Agency(
                name=nfc(name),
                kind=cast(AgencyKind, kind),
                short=nfc(short),
                aliases=tuple(nfc(a) for a in aliases if nfc(a)),
                members=tuple(nfc(m) for m in members if nfc(m)),
                established=cast(date | None, established),
                ended=cast(date | None, ended),
                source=nfc(cited),
            )
        )
    return agencies


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)
