"""Counts read as Dutch and English are written: "1 reactie", "2 reacties", never
"1 reactie(s)". Checked over the whole UI table, so that the next template with a count
is held to it too: every template whose count ``{n}`` counts a noun has a singular form
(``key.one``) that :func:`text` takes for n = 1 by itself."""

from __future__ import annotations

import re
import string

import pytest

from reactieveld.i18n import STRINGS, text

#: The nouns a count counts in the table, plural and singular, both languages.
PLURALS = {
    "reacties": "reactie", "responses": "response", "bronnen": "bron", "sources": "source",
    "markeringen": "markering", "marks": "mark", "dagen": "dag", "days": "day",
    "treffers": "treffer", "hits": "hit", "citaten": "citaat", "quotes": "quote",
    "vragen": "vraag", "questions": "question", "beslissingen": "beslissing",
    "decisions": "decision", "pogingen": "poging", "attempts": "attempt",
}  # fmt: skip
#: "1 <up to three words> noun": the counted noun behind the count ("1 van 5 reacties"
#: counts the 5).
_BEHIND = r"(?:^|[^\w.,]){n} (?:(?!van |of )[\w-]+ ){{0,3}}?({nouns})\b"


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def _render(key: str, language: str, n: int) -> str:
    i = 0 if language == "nl" else 1
    values = {f: "X" for f in _fields(STRINGS[key][i])} | {"n": n}
    return text(key, language, **values)


COUNTED = sorted(k for k, pair in STRINGS.items() if any("{n}" in s for s in pair))


def test_no_template_writes_a_plural_in_brackets():
    odd = re.compile(r"[^\W\d_]\((?:s|en|nen|n|e|es)\)")
    assert [k for k, pair in STRINGS.items() if any(odd.search(s) for s in pair)] == []


@pytest.mark.parametrize("key", COUNTED)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_one_is_singular_and_more_are_plural(key, language):
    one = re.compile(_BEHIND.format(n=1, nouns="|".join(PLURALS)))
    assert not one.search(_render(key, language, 1)), _render(key, language, 1)
    for n in (0, 2, 5, 21, 1000):
        more = re.compile(_BEHIND.format(n=n, nouns="|".join(PLURALS.values())))
        assert not more.search(_render(key, language, n)), _render(key, language, n)


@pytest.mark.parametrize("key", sorted(k for k in STRINGS if k.endswith(".one")))
def test_a_singular_belongs_to_a_plural_with_the_same_fields(key):
    base = key.removesuffix(".one")
    assert base in STRINGS
    for one, many in zip(STRINGS[key], STRINGS[base], strict=True):
        assert _fields(one) <= _fields(many)
        assert _fields(many) - _fields(one) <= {"n"}


def test_only_a_whole_one_takes_the_singular():
    assert text("search.hits", "nl", n=1) == "1 treffer"
    assert text("search.hits", "en", n=1) == "1 hit"
    assert text("search.hits", "nl", n=0) == "0 treffers"
    assert text("search.hits", "nl", n=True) == "True treffers"  # not a count
    assert text("search.hits", "nl", n=1.0) == "1.0 treffers"
