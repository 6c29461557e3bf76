"""Vietnamese text normalisation: NFC and tone placement, folding to matching keys, chat shorthand."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.text import (
    expand_shorthand,
    fold,
    fold_keep_marks,
    is_syllable,
    letters_fit,
    marked_words,
    nfc,
    same_letters,
    same_letters_any_tone,
    strip_diacritics,
    tokens,
)

VIETNAMESE = "Sở Kế hoạch và Đầu tư; Ủy ban nhân dân huyện Thủy Nguyên, hòa giải, khỏe, quý"


def test_nfd_input_gives_the_nfc_result() -> None:
    decomposed = unicodedata.normalize("NFD", VIETNAMESE)
    assert decomposed != VIETNAMESE
    assert nfc(decomposed) == VIETNAMESE
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("Uỷ ban", "Ủy ban"),
        ("UỶ BAN", "ỦY BAN"),
        ("khoẻ", "khỏe"),
        ("Thuỷ sản, hoà giải", "Thủy sản, hòa giải"),
    ],
)
def test_old_tone_placement_becomes_the_printed_one(old: str, new: str) -> None:
    assert nfc(old) == new
    assert nfc(unicodedata.normalize("NFD", old)) == new
    assert fold(old) == fold(new)


@pytest.mark.parametrize("word", ["hoàng", "quý", "Quỳnh", "hòa", "thủy", "hoạch", "khuyến", "giữ"])
def test_words_spelled_alike_in_both_conventions_are_untouched(word: str) -> None:
    assert nfc(word) == word


def test_fold_keeps_ampersand_as_a_word_joiner() -> None:
    assert fold("Sở KH & ĐT") == "so kh&dt"
    assert fold("Sở KH&ĐT") == "so kh&dt"
    assert fold("Sở LĐ-TB&XH") == "so ld tb&xh"
    assert fold("A & , B") == "a b"  # an & that joins nothing is a separator


def test_fold_removes_case_diacritics_and_punctuation() -> None:
    assert fold("  ỦY BAN Nhân dân (thành phố) — Hải Phòng!  ") == "uy ban nhan dan thanh pho hai phong"
    assert fold("Đồ Sơn") == "do son"
    assert fold("Quý IV/2026") == "quy iv 2026"


def test_control_and_zero_width_characters_are_removed() -> None:
    assert nfc("Sở\x00 Tài\x07 chính") == "Sở Tài chính"
    assert nfc("T\u200bài\u200d chính\ufeff") == "Tài chính"
    assert nfc("\u202aSở Y tế\u202c") == "Sở Y tế"
    assert nfc("Sở\u00a0\u00a0Y\ttế\r\n") == "Sở Y tế"
    assert fold("S\u200bở T\u00adài chính") == "so tai chinh"


def test_nfc_keeps_line_breaks_but_trims_each_line() -> None:
    assert nfc("  dòng một  \n   dòng hai ") == "dòng một\ndòng hai"


def test_fold_reads_compatibility_forms_like_plain_letters() -> None:
    assert fold("ＳỞ ＹＴẾ") == "so yte"
    assert fold("𝐒ở 𝐓à𝐢 𝐜𝐡í𝐧𝐡") == "so tai chinh"


def test_tokens_are_folded_words() -> None:
    assert tokens("Sở KH & ĐT, Sở Tài chính") == ["so", "kh&dt", "so", "tai", "chinh"]
    assert tokens("") == []
    assert tokens(" \u200b ") == []


def test_expand_shorthand_rewrites_chat_words() -> None:
    assert expand_shorthand(fold("Sở Y tế ko có nv j")) == "so y te khong co nhiem vu gi"
    assert expand_shorthand(fold("Hn bc NTN")) == "han bao cao nhu the nao"
    assert expand_shorthand(fold("task nào overdue, report khi nào")) == "nhiem vu nao qua han bao cao khi nao"
    assert expand_shorthand("") == ""
    assert expand_shorthand("so tai chinh") == "so tai chinh"


# -- properties ----------------------------------------------------------------------------------------------------

_VIETNAMESE_TEXT = st.text(
    alphabet=st.sampled_from(
        list("aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐbcdghklmnpqrstvx &-,.;/()0123456789\u0300\u0301\u0303\u0309\u0323\u200b\t\n")
    ),
    max_size=40,
)


@given(st.text() | _VIETNAMESE_TEXT)
def test_nfc_never_raises_is_idempotent_and_normalised(text: str) -> None:
    once = nfc(text)
    assert nfc(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.strip()
    assert "  " not in once
    assert not any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in once)
    assert nfc(text) == once  # deterministic


@given(st.text() | _VIETNAMESE_TEXT)
def test_fold_is_a_clean_idempotent_key(text: str) -> None:
    key = fold(text)
    assert fold(key) == key
    assert fold(nfc(text)) == key
    assert key == key.strip()
    assert "  " not in key
    assert "\n" not in key and "\t" not in key
    # other scripts keep their letters, but nothing is upper case and no combining mark is left
    assert not any(ch.isupper() or ch != ch.lower() for ch in key)
    assert not any(unicodedata.combining(ch) for ch in key)
    assert all(ch == " " or ch == "&" or ch.isalnum() for ch in key)
    assert not key.startswith("&") and not key.endswith("&")
    assert tokens(text) == key.split()


@given(_VIETNAMESE_TEXT)
def test_fold_of_vietnamese_is_lowercase_ascii(text: str) -> None:
    key = fold(text)
    assert all(ch in "abcdefghijklmnopqrstuvwxyz0123456789& " for ch in key), key


@given(st.text())
def test_expand_shorthand_never_raises_and_keeps_word_count_or_grows(text: str) -> None:
    folded = fold(text)
    expanded = expand_shorthand(folded)
    assert len(expanded.split()) >= len(folded.split())
    assert expand_shorthand(folded) == expanded


@given(st.text())
def test_strip_diacritics_equals_whole_string_decomposition(text: str) -> None:
    # The per-character table must agree with decomposing the whole string and dropping every combining mark.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    assert strip_diacritics(text) == "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_old_tone_placement_still_rewritten_after_the_fast_prefix() -> None:
    assert nfc("hoà thuỷ Uỷ ban, quý, hoàng") == "hòa thủy Ủy ban, quý, hoàng"


@given(st.text() | _VIETNAMESE_TEXT)
def test_fold_keep_marks_has_the_same_words_as_fold(text: str) -> None:
    """Word for word, the marked form folds to the key (what lets a question's typed words line up with its key)."""
    kept = fold_keep_marks(text).split()
    if len(kept) == len(fold(text).split()):
        assert [fold(w) for w in kept] == fold(text).split()


@pytest.mark.parametrize(
    ("typed", "written", "same"),
    [
        ("chức", "chúc", False),  # ư is not u
        ("sáp", "sắp", False),  # a is not ă
        ("nhiêm", "nhiệm", True),  # a tone left out: still the word
        ("sap", "sắp", True),  # typed without marks: may be any
        ("chúc", "chúc", True),
        ("hạn", "han", True),  # written without marks: matches any
        ("kỳ", "ký", False),  # a tone typed is a tone meant: "giữa kỳ" signs nothing
        ("ky", "ký", True),
    ],
)
def test_same_letters_tells_words_apart_by_their_letters_not_their_tones(typed: str, written: str, same: bool) -> None:
    assert same_letters(typed, written) is same


@pytest.mark.parametrize(
    ("typed", "written", "same"),
    [
        ("số", "sở", False),  # ô is not ơ: a number, not a department
        ("sỡ", "sở", True),  # a tone typed wrong is forgiven in a name
        ("sỏ", "sở", True),  # and so is a mark left out
        ("ăn", "an", True),  # a name's word written without marks matches any
        ("ăn", "ấn", False),
        ("so", "sở", True),
        ("Sở", "sở", False),  # callers compare lower case
    ],
)
def test_same_letters_any_tone_keeps_the_letters_and_forgives_the_tone(typed: str, written: str, same: bool) -> None:
    assert same_letters_any_tone(typed, written) is same


@pytest.mark.parametrize(
    ("typed", "written", "fits"),
    [
        ("ăn", "an", False),  # "ăn" (eat) is not the "an" of "an toàn"
        ("mưa", "mua", False),  # rain is not buying
        ("an", "ăn", True),  # typed without marks: either
        ("vôn", "vốn", True),  # a tone left out
        ("von", "vốn", True),
    ],
)
def test_letters_fit_reads_plan_words_as_written(typed: str, written: str, fits: bool) -> None:
    assert letters_fit(typed, written) is fits


@pytest.mark.parametrize(
    ("word", "expected"),
    [("hiem", True), ("nghieng", True), ("quyet", True), ("a", True), ("thuongg", False), ("hacker", False)],
)
def test_a_syllable_has_the_shape_of_one(word: str, expected: bool) -> None:
    assert is_syllable(word) is expected


def test_marked_words_are_the_syllables_typed_with_marks() -> None:
    assert marked_words("Bảo hiểm, xa lộ và nhiễmm") == frozenset({"bao", "hiem", "lo", "va"})
