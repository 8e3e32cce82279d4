"""A search hit marks the word the index found in a text where an underscore (or
another connector) joins two words: both indexes read ``rot_op`` as ``rot`` and ``op``."""

from __future__ import annotations

import pytest
from helpers.store import open_store, page, resp
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.read.search import match_spans

#: Unicode's connector punctuation, the underscore first: word characters to a regular
#: expression, separators to FTS5's unicode61 and PostgreSQL's parser.
CONNECTORS = ["_", "\u203f", "\u2040", "\ufe4f", "\uff3f"]


@pytest.mark.parametrize("joiner", CONNECTORS)
async def test_a_hit_joined_by_a_connector_is_marked(store_target, joiner):
    """Found on a real WordPress site (trywp2): a search for ``rot`` listed ``rot_op jij``
    with nothing marked, as the highlight read ``rot_op`` as one word."""
    body = f"zie rot{joiner}op jij"
    store = await open_store(store_target)
    try:
        await store.upsert_page("blog", page(resp("1", body), resp("2", "niets hiervan")))
        for word in ("rot", "op"):
            hits = await store.search(word)
            assert [h.row.response.external_id for h in hits] == ["1"], word
            assert [body[s:e] for s, e in match_spans(body, word)] == [word]
    finally:
        await store.close()


words = st.text("abcdefghijklmnopqrstuvwxyzé", min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(words, words, st.sampled_from(CONNECTORS), st.booleans())
def test_the_highlight_parts_words_at_any_connector(first, second, joiner, styled):
    text = f"{first}{joiner}{second}"
    if styled:  # not ASCII: the other path of the word finder
        text = f"ｚｉｅ {text}"
    marked = [text[s:e] for s, e in match_spans(text, second)]
    assert second in marked
