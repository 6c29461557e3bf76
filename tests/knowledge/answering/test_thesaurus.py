"""The domain thesaurus: a reviewed data file, rewordings in the plans' terms, and the search that keeps the best."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from knowledge.answering.thesaurus import TopicSearch, parse_thesaurus, thesaurus
from knowledge.errors import VocabularyError
from knowledge.topic_index import TextIndex

SMALL = """
[[concept]]
plan = ["vốn", "kinh phí"]
everyday = ["tiền bạc", "tiền"]

[[concept]]
plan = ["khoa học công nghệ"]
everyday = ["máy móc", "máy"]
"""


def test_the_bundled_thesaurus_is_general() -> None:
    book = thesaurus()
    assert len(book.concepts) >= 40
    assert all(c.plan and c.everyday for c in book.concepts)


def test_everyday_phrases_are_reworded_in_each_plan_term() -> None:
    book = parse_thesaurus(SMALL, source="t")
    assert book.variants("ai lo tiền bạc cho quỹ") == ["ai lo von cho quy", "ai lo kinh phi cho quy"]
    assert book.variants("bổ sung vốn cho quỹ") == []  # the plans' own words stay as they are


def test_every_phrase_gets_its_turn_before_any_gets_a_second_term() -> None:
    book = parse_thesaurus(SMALL, source="t")
    assert book.variants("tiền mua máy") == [
        "von mua may",  # the first term of each phrase …
        "tien mua khoa hoc cong nghe",
        "kinh phi mua may",  # … then the second ones
        "von mua khoa hoc cong nghe",  # last: every phrase reworded
    ]


def test_marks_tell_words_apart_when_they_are_typed() -> None:
    book = parse_thesaurus(SMALL, source="t")
    assert book.variants("mua máy cho hợp tác xã")  # "máy"
    assert book.variants("mấy giờ họp") == []  # "mấy" is not "máy"
    assert book.variants("may moc cho htx")  # typed without marks: may be either


def test_the_wording_the_plans_cover_best_wins() -> None:
    index = TextIndex([("fund", "Bổ sung vốn hoạt động cho Quỹ hỗ trợ"), ("fire", "Kiểm tra phòng cháy")])
    search = TopicSearch(index, parse_thesaurus(SMALL, source="t"))
    assert index.search("tiền bạc cho quỹ hỗ trợ") == [] or index.search("tiền bạc cho quỹ hỗ trợ")[0].coverage < 1
    assert search.search("tiền bạc cho quỹ hỗ trợ")[0].item == "fund"
    assert [h.item for h in search.search("kiểm tra phòng cháy")] == ["fire"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[concept]\\n", "not valid TOML"),
        ("title = 1", "expected \\[\\[concept\\]\\]"),
        ('[[concept]]\\neveryday = ["x"]', "needs 'plan'"),
        ('[[concept]]\\nplan = ["x"]\\neveryday = "y"', "needs 'plan'"),
    ],
)
def test_malformed_thesauruses_are_refused(text: str, message: str) -> None:
    with pytest.raises(VocabularyError, match=message):
        parse_thesaurus(text.replace("\\n", "\n"), source="t")


def test_a_rewording_must_still_cover_the_question_as_asked() -> None:
    # "may" typed bare is "máy" to the thesaurus, and its term is longer than the whole rest of the question: the
    # reworded text covers the technology task well, the question as asked (opening hours of a pharmacy) hardly
    index = TextIndex(
        [
            ("tech", "Ứng dụng khoa học công nghệ trong sản xuất"),
            ("fund", "Bổ sung vốn hoạt động cho Quỹ hỗ trợ"),
            ("fire", "Kiểm tra phòng cháy tại chợ"),
        ]
    )
    search = TopicSearch(index, parse_thesaurus(SMALL, source="t"))
    assert index.search("khoa hoc cong nghe nha thuoc mo cua luc") != []  # the rewording alone would answer
    assert search.search("nha thuoc mo cua luc may") == []
    # a rewording that stands for most of what was asked still answers
    assert [h.item for h in search.search("may moc trong san xuat")] == ["tech"]


def test_a_word_typed_with_its_marks_is_not_fixed_into_another() -> None:
    index = TextIndex([("pollution", "Giảm ô nhiễm môi trường làng nghề"), ("fire", "Kiểm tra phòng cháy tại chợ")])
    assert index.search("ô hiểm môi trường") == []  # "hiểm" typed with marks is a word of its own
    assert [h.item for h in index.search("o hiem moi truong lang nghe")] == ["pollution"]  # bare: a typo, fixed
    assert [h.item for h in index.search("ô nhiễmm môi trường")] == ["pollution"]  # no syllable: a typo, fixed


@dataclass(frozen=True)
class Doc:
    name: str
    text: str


def test_a_word_typed_with_its_tone_counts_only_where_written_alike() -> None:
    # "tiền" (money) folds like the "tiến" of "tiến bộ": in the question as asked it is not found in that task
    docs = [
        Doc("tech", "Chuyển giao tiến bộ khoa học công nghệ cho sản xuất"),
        Doc("fund", "Bổ sung vốn hoạt động cho Quỹ hỗ trợ"),
        Doc("fire", "Kiểm tra phòng cháy tại chợ"),
    ]
    index = TextIndex([(d, d.text) for d in docs])
    folded_only = TopicSearch(index, parse_thesaurus(SMALL, source="t"))
    as_written = TopicSearch(index, parse_thesaurus(SMALL, source="t"), text_field="text")
    assert [h.item.name for h in folded_only.search("tiền sửa máy")] == ["tech"]  # no text kept: folded words count
    assert as_written.search("tiền sửa máy") == []
    assert [h.item.name for h in as_written.search("tien sua may")] == ["tech"]  # typed bare: may be either
