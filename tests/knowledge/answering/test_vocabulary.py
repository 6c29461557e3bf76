"""Cue words: the data file is complete and well-formed, placeholders expand, one scan finds every class."""

from __future__ import annotations

import pytest

from knowledge.answering.question import read_question
from knowledge.answering.vocabulary import CUE_NAMES, cue_book, parse_cue_book
from knowledge.errors import VocabularyError


def _toml(**classes: list[str]) -> str:
    return "\n".join(f"[{name}]\nphrases = {phrases!r}\n".replace("'", '"') for name, phrases in classes.items())


def _complete(**overrides: list[str]) -> str:
    classes = {name: ["từ"] for name in CUE_NAMES}
    classes.update(overrides)
    return _toml(**classes)


def test_bundled_book_has_every_class_folded() -> None:
    book = cue_book()
    assert set(book.classes) == CUE_NAMES
    for phrases in book.classes.values():
        assert phrases and all(p == p.lower() and p.isascii() for p in phrases)


def test_placeholders_expand_to_every_phrase_of_the_class() -> None:
    book = parse_cue_book(_complete(self=["tôi", "em"], mine=["của {self}", "my tasks"]), source="t")
    assert book.classes["mine"] == ("cua toi", "cua em", "my nhiem vu")  # phrases are read as questions are: "task"


def test_one_scan_finds_every_class_and_respects_word_boundaries() -> None:
    book = cue_book()
    cues = book.scan(read_question("Sở X có việc gì QUÁ HẠN ko?").words)
    assert {"overdue", "overdue_strict", "agency_tasks", "question_word"} <= cues
    assert "overdue" not in book.scan(read_question("quá hạnh").words)  # a longer word is not the phrase


def test_shorthand_is_read_before_matching() -> None:
    assert "deadline" in cue_book().scan(read_question("bh xong").words)  # "bh" → "bao giờ"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[greeting\nphrases = 1", "not valid TOML"),
        (_toml(greeting=["chào"]), "missing cue classes"),
        (_complete(nonsense=["x"]), "unknown cue classes"),
        (_complete(help=[]), "non-empty list"),
        (_complete(mine=["của {nobody}"]), "exactly one known class"),
        (_complete(self=["{mine}"], mine=["{self}"]), "circle"),
    ],
)
def test_malformed_books_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(VocabularyError, match=message):
        parse_cue_book(text, source="t")


@pytest.mark.parametrize(
    ("text", "cue", "found"),
    [
        ("tổ chức diễn tập", "courtesy", False),  # "chức" is not "chúc"
        ("chúc anh chị một ngày tốt lành", "courtesy", True),
        ("chuc anh chi mot ngay tot lanh", "courtesy", True),  # typed without marks: may be either
        ("rà soát văn bản sau sáp nhập", "soon", False),  # "sáp" is not "sắp"
        ("việc sắp đến hạn", "soon", True),
        ("viec sap den han", "soon", True),
        ("việc săp đến hạn", "soon", True),  # a tone left out is still the word
    ],
)
def test_a_cue_written_with_marks_is_not_found_in_a_word_typed_with_others(text: str, cue: str, found: bool) -> None:
    question = read_question(text)
    assert (cue in cue_book().scan(question.words, question.marked)) is found
    assert cue in cue_book().scan(question.words) or not found  # without the typed words: folded matching only


def test_typed_words_line_up_with_the_expanded_words() -> None:
    question = read_question("Cho e hỏi, sở TC có nv gì?")
    assert len(question.marked) == len(question.words)
    assert dict(zip(question.words, question.marked, strict=True))["hoi"] == "hỏi"
    assert question.words[-3:-1] == ("nhiem", "vu") and question.marked[-3:-1] == ("", "")  # shorthand: no marks


def test_a_cue_inside_a_longer_word_is_not_found() -> None:
    """ "sắp xếp" (to arrange) holds no "sắp" (soon): cues.toml lists it under the class's not_in."""
    for text, found in (("hạn sắp xếp lại cơ sở", False), ("sap xep lai", False), ("việc gì sắp phải xong", True)):
        question = read_question(text)
        assert ("soon" in cue_book().scan(question.words, question.marked)) is found, text
    with pytest.raises(VocabularyError, match="not_in"):
        parse_cue_book(
            _complete(soon=["sắp"]).replace('phrases = ["sắp"]', 'phrases = ["sắp"]\nnot_in = "sắp xếp"'), source="x"
        )
