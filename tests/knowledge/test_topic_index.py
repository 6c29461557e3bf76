"""The BM25 topic index: a rewording scored from the scores of the text it extends equals one scored afresh."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.topic_index import TextIndex, index_terms

WORDS = ["von", "kinh phi", "hop tac xa", "phan mem", "ke toan", "dao tao", "nghe", "cho", "nong san", "thuong mai"]
DOCS = [
    "ho tro von va kinh phi cho hop tac xa",
    "phan mem ke toan cho hop tac xa",
    "dao tao nghe cho thanh vien hop tac xa",
    "xuc tien thuong mai nong san",
    "hoi cho nong san va thuong mai dien tu",
    "kinh phi dao tao ke toan",
]


def ranking(index: TextIndex[int], text: str) -> list[tuple[int, float, float]]:
    return [(h.item, round(h.score, 9), round(h.coverage, 9)) for h in index.search(text, limit=6)]


@settings(max_examples=60, deadline=None)
@given(
    first=st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    more=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
)
def test_a_text_extending_an_earlier_one_scores_as_if_fresh(first: list[str], more: list[str]) -> None:
    documents = [(i, text) for i, text in enumerate(DOCS)]
    warm, fresh = TextIndex(documents), TextIndex(documents)
    asked, extended = " ".join(first), " ".join([*first, *more])
    warm.search(asked, limit=6)  # its scores are now the base of the extended text's
    assert ranking(warm, extended) == ranking(fresh, extended)


def test_a_function_word_inside_a_compound_is_kept() -> None:
    assert index_terms("dang ky nhan hieu")[0] == ["dang", "ky", "nhan", "hieu"]  # "đăng ký", not "đang"
    assert "dang" not in index_terms("hop tac xa dang hoat dong")[0]
    # typed without marks, "điện tử", "mã số vùng trồng", "nhà kho" keep the syllables that fold to function words
    assert index_terms("hoa don dien tu")[1] == ["hoa don", "don dien", "dien tu"]
    assert index_terms("cap ma so vung trong")[0] == ["cap", "ma", "so", "vung", "trong"]
    assert index_terms("nha kho san phoi")[0] == ["nha", "kho", "san", "phoi"]
    assert index_terms("tu nha toi")[0] == []  # alone they stay function words
    index = TextIndex([(1, "Hỗ trợ dùng chữ ký số, hóa đơn điện tử"), (2, "Hỗ trợ đăng ký bảo hộ nhãn hiệu")])
    assert [h.item for h in index.search("dang ky nhan hieu")] == [2]
    assert index.search("dang ky ket hon can giay to gi") == []  # "ký" alone is not the "ký" of "chữ ký số"


def test_a_document_far_ahead_of_the_next_needs_a_little_less_of_the_query() -> None:
    index = TextIndex([(i, text) for i, text in enumerate(DOCS)])
    # document 1 alone has "phan mem ke toan"; the rest of the words are scattered over three others
    text = "phan mem ke toan xuc thanh von nghe"
    hits = index.search(text, limit=3)
    assert [h.item for h in hits] == [1] and 0.4 <= hits[0].coverage < 0.5
    assert index.covers(text, hits[0].doc) == hits[0].coverage
    # documents close to one another are held to the full floor
    assert index.search("xuc tien thanh vien von", limit=3) == []  # 0.4 each, 5.7 against 5.2
