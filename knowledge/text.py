"""Vietnamese text normalisation: pure functions, safe on any input.

Three levels, each idempotent:

- :func:`nfc` repairs what arrives from chat clients: NFD input, either tone placement (``hoà`` → ``hòa``,
  ``thuỷ`` → ``thủy``), stray control characters, runs of white space.
- :func:`fold` is the matching key: :func:`nfc`, lower case, diacritics removed (``đ`` → ``d``), punctuation turned
  into spaces (``&`` kept as a word joiner, so ``KH&ĐT`` → ``kh&dt``).
- :func:`expand_shorthand` rewrites chat shorthand on folded text (``j`` → ``gi``, ``ko`` → ``khong``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "clauses",
    "nfc",
    "fold",
    "fold_keep_amp",
    "fold_keep_marks",
    "same_letters",
    "same_letters_any_tone",
    "letters_fit",
    "strip_diacritics",
    "tokens",
    "expand_shorthand",
    "is_syllable",
    "marked_words",
    "SHORTHAND",
]

_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]")
# Invisible format characters (zero-width space/joiners, direction marks, word joiner, BOM, soft hyphen) arrive
# inside words from copy-paste; they are removed, not turned into spaces, so "T\u200bài chính" is "Tài chính".
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Runs of white space other than a lone " " (rewriting each lone space to itself was most of nfc's time).
_SPACE = re.compile(
    r"(?: (?=[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000])|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000])"
    r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*"
)

# Two conventions place the tone mark of an open oa/oe/uy syllable differently: "hoà, thuỷ, uỷ" (on the main vowel)
# and "hòa, thủy, ủy" (on the first vowel). Plans are printed with the latter ("thủy sản", "Ủy ban"), so that is the
# canonical form. Only syllable-final pairs are rewritten: "hoàng" is spelled alike in both. Pairs of NFC strings.
_VOWEL_TONES = {
    "a": "aàáảãạ",
    "e": "eèéẻẽẹ",
    "y": "yỳýỷỹỵ",
}
_OLD_TONE_PAIRS: dict[str, str] = {}
for _first, _second_base in (("o", "a"), ("o", "e"), ("u", "y")):
    _first_toned = {"o": "oòóỏõọ", "u": "uùúủũụ"}[_first]
    for _tone in range(1, 6):
        _old = _first + _VOWEL_TONES[_second_base][_tone]
        _new = _first_toned[_tone] + _second_base
        _OLD_TONE_PAIRS[_old] = _new
        _OLD_TONE_PAIRS[_old.upper()] = _new.upper()
        _OLD_TONE_PAIRS[_old[0].upper() + _old[1:]] = _new[0].upper() + _new[1:]
# "qu" + toned vowel is not an "uy" diphthong ("quý" is already new style), and "gi" likewise; the pattern below
# only fires at the end of a syllable, so "hoàng" (old and new agree) is untouched.
# The leading lookahead lets the engine skip every position that cannot start a pair (five times faster on plans).
_OLD_TONE = re.compile(
    "(?=[oOuU])(?<![qQ])(" + "|".join(sorted(map(re.escape, _OLD_TONE_PAIRS), key=len, reverse=True)) + r")(?![^\W\d_])"
)


def nfc(text: str) -> str:
    """Return ``text`` in NFC with canonical tone placement, no control characters and single spaces."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    text = _CONTROL.sub(" ", text)
    text = _OLD_TONE.sub(lambda m: _OLD_TONE_PAIRS[m.group(1)], text)
    text = _SPACE.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


_BARE_LETTERS_KEPT = 8192


class _BareLetters(dict[int, str]):
    """``str.translate`` table: each character without its combining marks, computed once per character.

    Character by character equals the whole-string NFD and drop: decomposition is per character, and canonical
    reordering only moves combining marks, which are all dropped."""

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        bare = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if len(self) < _BARE_LETTERS_KEPT:  # chat text could bring any character: the table stays small
            self[codepoint] = bare
        return bare


_BARE_LETTERS = _BareLetters({ord("đ"): "d", ord("Đ"): "D"})


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese (and other Latin) diacritics; ``đ``/``Đ`` become ``d``/``D``."""
    return text.translate(_BARE_LETTERS)


_NON_WORD = re.compile(r"[^\w& ][^\w&]*| [^\w&]+")  # a lone space is already a separator: left alone
_AMP_SPACES = re.compile(r"\s*&\s*")
_LONE_AMP = re.compile(r"(?<!\w)&|&(?!\w)")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Matching key: lower case, no diacritics, words separated by single spaces.

    ``&`` between two words is kept (``KH & ĐT`` → ``kh&dt``); every other non-word character separates words.
    """
    return _words_of(text, strip=True)


def fold_keep_marks(text: str) -> str:
    """:func:`fold` with the diacritics kept: the same words, as typed ("tổ chức" → "tổ chức", "Sáp" → "sáp"), so
    a word of the folded key can be told apart by its marks ("chức" is not "chúc")."""
    return _words_of(text, strip=False)


def _words_of(text: str, *, strip: bool) -> str:
    # NFKC first: compatibility forms (fullwidth "ＳＯ", styled "𝐒ở", ligatures) fold like the plain letters. Of
    # :func:`nfc` only what changes a key is done here (tone placement goes with the marks; spacing is redone below):
    # invisible characters go (they would split a word) and control characters become spaces.
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", text))
    text = unicodedata.normalize("NFKC", text).lower()
    if strip:
        text = strip_diacritics(text)
    has_amp = "&" in text
    if has_amp:
        text = _AMP_SPACES.sub("&", text)
    text = _NON_WORD.sub(" ", text)
    text = text.replace("_", " ")
    if has_amp:
        text = _LONE_AMP.sub(" ", text)
    return " ".join(text.split())


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


@lru_cache(maxsize=8192)
def same_letters(typed: str, written: str) -> bool:
    """Whether a word typed with marks can be the word written: the same letters ("chức" is not "chúc", "sáp" not
    "sắp") and, when the typed word carries a tone, the same tone ("kỳ" is not "ký"); a tone left out may be any
    ("nhiêm" for "nhiệm"). A word with no marks at all may be any of them."""
    if typed == strip_diacritics(typed) or written == strip_diacritics(written):
        return True
    toneless = _toneless(typed)
    return toneless == _toneless(written) and (toneless == typed or typed == written)


@lru_cache(maxsize=8192)
def same_letters_any_tone(typed: str, written: str) -> bool:
    """Whether a word typed with marks can be the name's word written, its tone aside (:func:`letters_fit`); a word
    written without marks (an alias such as "UBNDTP") matches whatever marks are typed."""
    return written == strip_diacritics(written) or letters_fit(typed, written)


@lru_cache(maxsize=8192)
def letters_fit(typed: str, written: str) -> bool:
    """Whether a word as typed can be a word as written, its tone aside: no letter typed with a mark the written one
    lacks or has otherwise ("số" is not "sở": ô is not ơ; "ăn" is not "an"), while a mark left out ("sỏ" for "sở")
    and a tone typed wrong ("sỡ") are forgiven. A word typed without marks may be any word that folds alike."""
    if typed == strip_diacritics(typed):
        return True
    typed, written = _toneless(typed), _toneless(written)
    if len(typed) != len(written):
        return False
    return all(t == w or t == strip_diacritics(w) for t, w in zip(typed, written, strict=True))


def _toneless(word: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", word) if c not in _TONE_MARKS))


def fold_keep_amp(text: str) -> str:
    """Alias of :func:`fold`, kept for readability where the ``&`` joiner matters."""
    return fold(text)


def tokens(text: str) -> list[str]:
    """Folded words of ``text``; ``kh&dt`` stays one token."""
    return fold(text).split()


SHORTHAND: dict[str, str] = {
    "j": "gi",
    "gj": "gi",
    "ji": "gi",
    "ko": "khong",
    "k": "khong",
    "kg": "khong",
    "khg": "khong",
    "hok": "khong",
    "hem": "khong",
    "dc": "duoc",
    "dk": "duoc",
    "ntn": "nhu the nao",
    "bn": "bao nhieu",
    "bnh": "bao nhieu",
    "bh": "bao gio",
    "bjo": "bao gio",
    "sdt": "so dien thoai",
    "nv": "nhiem vu",
    "nvu": "nhiem vu",
    "cv": "cong viec",
    "bc": "bao cao",
    "tg": "thoi gian",
    "tgian": "thoi gian",
    "ng": "nguoi",
    "e": "em",  # "cho e hỏi", "bên e" ("a" stays: it is also a folded "ạ")
    "mk": "minh",
    "mik": "minh",
    "vs": "voi",
    "r": "roi",
    "hn": "han",
    "qh": "qua han",
    "htx": "hop tac xa",
    "sv": "sinh vien",
    "lm": "lam",
    "thtx": "to hop tac",
    "kttt": "kinh te tap the",
    "csdl": "co so du lieu",
    "dn": "doanh nghiep",
    "ubnd": "ubnd",
    "tp": "thanh pho",
    "nn": "nong nghiep",
    "khcn": "khoa hoc cong nghe",
    "pccc": "phong chay chua chay",
    "attp": "an toan thuc pham",
    "gcn": "giay chung nhan",
    "qsdd": "quyen su dung dat",
    # English office words officers mix in ("task nào sắp deadline", "report năm nộp khi nào")
    "deadline": "han chot",
    "deadlines": "han chot",
    "task": "nhiem vu",
    "tasks": "nhiem vu",
    "report": "bao cao",
    "reports": "bao cao",
    "overdue": "qua han",
    "plan": "ke hoach",
    "plans": "ke hoach",
    "list": "danh sach",
}


def expand_shorthand(folded: str) -> str:
    """Rewrite chat shorthand in already-folded text, word by word."""
    words = folded.split()
    return " ".join(map(SHORTHAND.get, words, words))  # get(word, word) without a Python-level loop


# One Vietnamese syllable, folded: an initial consonant (or none), one to three vowels, a final consonant (or none).
_LETTERS = re.compile(r"[^\W\d_]+")
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|nh|ng|[cmnpt])?")


def is_syllable(folded: str) -> bool:
    """Whether a folded word has the shape of one Vietnamese syllable ("hiem", "nhiem"; not "thuongg", "hacker")."""
    return _SYLLABLE.fullmatch(folded) is not None


def marked_words(text: str) -> frozenset[str]:
    """The folded forms of the words of ``text`` typed with Vietnamese marks that have a syllable's shape: words
    typed as meant, which a typo fix must leave alone ("bảo hiểm" is no misspelt "nhiễm")."""
    out = set()
    for typed in _LETTERS.findall(nfc(text).lower()):
        folded = fold(typed)
        if folded != typed and is_syllable(folded):
            out.add(folded)
    return frozenset(out)


_CLAUSE_END = re.compile(r"[,;!?]|\.(?:\s|$)")


def clauses(text: str) -> list[str]:
    """The clauses of ``text``, stripped, where a comma, semicolon, full stop, "?" or "!" ends one (a dot inside
    "12.5" does not); none empty."""
    return [c.strip() for c in _CLAUSE_END.split(text) if c.strip()]
