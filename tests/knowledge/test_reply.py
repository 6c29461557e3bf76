"""Replies rendered to Telegram HTML in parts: nothing lost, no part over the limit, one part when it fits."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.reply import Fragment, Reply

_TAG = re.compile(r"</?(?:b|i|code)>")

fragments = st.builds(
    Fragment,
    text=st.text(alphabet=st.sampled_from("aă ơ&<>\tđ.Ệ"), max_size=40),
    style=st.sampled_from(["plain", "bold", "italic", "code"]),
)
replies = st.builds(Reply, lines=st.lists(st.lists(fragments, max_size=4).map(tuple), max_size=12).map(tuple))


def _visible(chunk: str) -> str:
    return html.unescape(_TAG.sub("", chunk))


@settings(max_examples=300, deadline=None)
@given(replies, st.integers(min_value=1, max_value=120))
def test_html_chunks_keep_every_character_within_the_limit(reply: Reply, limit: int) -> None:
    chunks = reply.html_chunks(limit)
    assert chunks
    for chunk in chunks:
        assert len(_visible(chunk)) <= limit
        for tag in ("b", "i", "code"):
            assert chunk.count(f"<{tag}>") == chunk.count(f"</{tag}>")
    assert "".join("".join(_visible(c) for c in chunks).split()) == "".join(reply.plain().split())


@settings(max_examples=200, deadline=None)
@given(replies)
def test_a_reply_that_fits_is_one_message_exactly_as_rendered(reply: Reply) -> None:
    assert reply.html_chunks(4096) == [reply.html()]
