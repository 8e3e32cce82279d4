"""The two foldings kept apart (text.fold: search's typed filters and highlights, the
codebook's clash check; rule_text.folded: rules' words, redaction's street words) agree
on the text both see every day, and differ where each says why: styled capitals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.rule_text import fold as fold_with_positions
from reactieveld.rule_text import folded
from reactieveld.text import fold

#: Letters with and without diacritics, ß and ẞ, ligatures, Turkish İ and ı, the Dutch ĳ,
#: combining marks (not the ypogegrammeni: below), zero-width characters, full-width and
#: circled letters.
TEXTS = st.text(
    alphabet=st.one_of(
        st.characters(codec="ascii", exclude_categories=("Cc",)),
        st.characters(min_codepoint=0xC0, max_codepoint=0x24F),
        st.characters(categories=("Mn",), max_codepoint=0x36F, exclude_characters="\u0345"),
        st.sampled_from("ßẞﬁﬂﬀĲĳİıŉǅ\u200b\u200c\u200d\u2060\ufeff\u00adＡｚⒶⓩ’ "),
    ),
    max_size=40,
)


@settings(max_examples=60)
@given(TEXTS)
def test_both_folds_agree_on_everyday_text(text):
    assert fold(text) == folded(text) == fold_with_positions(text)[0]


@pytest.mark.parametrize(
    ("text", "for_search", "for_rules"),
    [
        ("𝐇𝐀𝐓𝐄", "HATE", "hate"),  # mathematical bold
        ("ᴴᴼᴸᴰ", "HOLD", "hold"),  # modifier letters
        ("ℌallo", "Hallo", "hallo"),  # letterlike symbol
        ("\u0345", "ι", ""),  # the ypogegrammeni: a combining mark with a case folding
    ],
)
def test_the_folds_differ_on_styled_capitals(text, for_search, for_rules):
    assert (fold(text), folded(text)) == (for_search, for_rules)
