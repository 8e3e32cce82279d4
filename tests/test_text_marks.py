"""Towers of combining marks are cut to two per letter, whatever the text; the fast way
for ASCII text (no marks possible) gives what the per-character rule gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from reactieveld.text import MAX_WORD, clean, one_line

#: Letters, spaces and combining marks (U+0300-U+036F and others of category Mn).
TEXTS = st.text(
    alphabet=st.one_of(
        st.characters(codec="ascii", exclude_categories=("Cc",)),
        st.characters(categories=("Mn",)),
        st.sampled_from("éëïöüçñ\u0301\u0308 "),
    ),
    max_size=60,
)


def _most_marks_in_a_row(text: str) -> int:
    most = run = 0
    for c in text:
        run = run + 1 if unicodedata.combining(c) else 0
        most = max(most, run)
    return most


@given(TEXTS)
def test_no_more_than_two_marks_in_a_row(text):
    assert _most_marks_in_a_row(clean(text)) <= 2
    assert _most_marks_in_a_row(one_line(text)) <= 2


@given(TEXTS)
def test_marks_are_the_only_thing_taken(text):
    # Only marks beyond the second in a row go; every other character stays, in order.
    kept = clean(text)
    assert [c for c in kept if not unicodedata.combining(c)] == [
        c for c in text if not unicodedata.combining(c)
    ]


@given(
    st.text(alphabet=st.characters(codec="ascii", exclude_categories=("Cc",)), max_size=MAX_WORD)
)
def test_ascii_text_is_kept_as_it_is(text):
    assert clean(text) == text.replace("\t", "    ")
