"""A chat message read once for answering: its normal forms and words. Pure.

Every later step (cue words, agencies, plans, topic search) works from these forms; nothing normalises the
message again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from knowledge.text import SHORTHAND, expand_shorthand, fold, fold_keep_marks, nfc

__all__ = ["MAX_QUESTION_CHARS", "Question", "read_question"]

MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True, kw_only=True, slots=True)
class Question:
    """A message read for answering.

    ``text`` is the message in NFC (cut to :data:`MAX_QUESTION_CHARS`); ``folded`` its matching key, words as typed;
    ``expanded`` the folded words with chat shorthand rewritten ("j" → "gi"), and ``words`` those words;
    ``marked`` the same words as typed, with their marks ("" for a word shorthand rewrote, or all "" when the two
    cannot be lined up), so a cue written with marks is not found in a word typed with others ("tổ chức" ≠ "chúc").
    """

    raw: str
    text: str
    folded: str
    expanded: str
    words: tuple[str, ...]
    marked: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.folded

    def has_words(self, phrase: str) -> bool:
        """Whether ``phrase`` (folded words) occurs as whole words of the expanded message."""
        return f" {phrase} " in f" {self.expanded} "


@lru_cache(maxsize=512)  # a message is read the same every time, and officers send the same few
def read_question(raw: str) -> Question:
    """Normalise a chat message once; over-long input is cut to :data:`MAX_QUESTION_CHARS` characters."""
    text = nfc(raw[: MAX_QUESTION_CHARS * 4])[:MAX_QUESTION_CHARS]
    folded = fold(text)
    expanded = expand_shorthand(folded)
    words = tuple(expanded.split())
    return Question(
        raw=raw, text=text, folded=folded, expanded=expanded, words=words, marked=_marked(text, folded, len(words))
    )


def _marked(text: str, folded: str, count: int) -> tuple[str, ...]:
    typed = fold_keep_marks(text).split()
    plain = folded.split()
    if len(typed) != len(plain):
        return ("",) * count
    marked: list[str] = []
    for word, as_typed in zip(plain, typed, strict=True):
        parts = SHORTHAND.get(word, word).split()
        marked.extend([as_typed] if parts == [word] else [""] * len(parts))
    return tuple(marked) if len(marked) == count else ("",) * count
