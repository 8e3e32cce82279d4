"""The search language as FTS5 sees it: words folded as the tokenizer folds them, a
user's words as a safe MATCH expression, and the limit above which hits are not ranked."""

from __future__ import annotations

import re
import unicodedata

from reactieveld.rule_text import each_char
from reactieveld.store.unaccent import UNACCENT

# The folding of a word (its home is text.py: the codebook checks its names with it too).
from reactieveld.text import fold as fold

#: Above this many hits, search answers newest first instead of ranking every hit.
#: Ranking costs about 1.4 us per hit (bm25 reads every hit's positions): 8,000 hits keep
#: the worst ranked query near 13 ms at 1M responses (bench/store_bench.py), where
#: newest-first answers any word in well under a millisecond.
RANK_LIMIT = 8_000


#: A letter :func:`searchable` spells otherwise after NFKC (tools/unaccent_table.py).
#: Found by a character class first: ``str.translate`` alone made each non-ASCII row of
#: the bench corpus ten times dearer, where few hold such a letter.
_SPELLED = re.compile("[" + "".join(sorted(UNACCENT)) + "]")

#: A word as both indexes read one: letters and digits; not the underscore, which ``\w``
#: holds and FTS5's unicode61 and PostgreSQL's parser take as a separator ("rot_op" is
#: "rot" and "op" to them, so the highlight marks "rot" where a search for it hits).
_WORD = re.compile(r"[^\W_]+\*?", re.UNICODE)
_PLAIN = re.compile(r"[^\W_]+", re.UNICODE)


def searchable(text: str) -> str:
    """``text`` as both indexes take it, and a query's words too: compatibility forms as
    their plain letters (NFKC: "𝐇𝐀𝐓𝐄", "ｈａｔｅ", "ᴴᴬᵀᴱ", "Ⓗ", "ℌ", "ﬁ" are "HATE", "hate",
    "HATE", "H", "H", "fi"), so that search finds what the rules' fold finds (rule_text);
    then the letters PostgreSQL's ``unaccent`` folds and SQLite's tokenizer keeps as
    PostgreSQL spells them ("Łukasz", "straße", "Yıldız", "οδός", "ёж" are "Lukasz",
    "strasse", "Yildiz", "οδος", "еж"; a final "ς" is "σ", as SQLite reads it), so both
    indexes hold the same words. The tokenizer then folds case and diacritics. What is
    shown stays the original text.

    SQLite's index gets it from the store (ingest, copy, migration 0023), never from a
    trigger, so the file needs no function of ours; PostgreSQL's vectors from the
    server's ``normalize(..., NFKC)`` and its own ``unaccent`` (pg/ingest.py
    ``searchable_sql``, which maps the final sigma)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    return _SPELLED.sub(_spelled, text) if _SPELLED.search(text) else text


def _spelled(m: re.Match[str]) -> str:
    return UNACCENT[m.group(0)]


def searchable_or_none(text: str | None) -> str | None:
    """:func:`searchable` of a column that may be NULL (SQL's function of it, schema.py)."""
    return None if text is None else searchable(text)


def query_terms(query: str) -> list[str]:
    """The words of a user's search, as the index sees them (``word*`` keeps its star)."""
    return [fold(t) for t in _WORD.findall(searchable(query))]


def searchable_words(text: str) -> list[tuple[str, int, int]]:
    """The words of a shown ``text`` as the index took them, folded as :func:`query_terms`
    folds a search's, each with where it stands in ``text`` (start, end): "𝐇𝐀𝐓𝐄" is the
    word "hate" over those four characters. Each character is taken as :func:`searchable`
    takes it alone, so a word's place is that of the characters it came from; an accent
    typed apart ("e" + U+0301, as NFD text has it) is part of its word, as the tokenizers
    and the whole text's NFKC join it ("één" typed so is the word "een", not "e", "e", "n")."""
    if text.isascii():
        return [(fold(m.group(0)), m.start(), m.end()) for m in _PLAIN.finditer(text)]
    import regex  # \p{M}: re's \w has no combining marks (loaded as the rules load it)

    plain, where = each_char(text, searchable)
    return [
        (fold(m.group(0)), where[m.start()], where[m.end() - 1] + 1)
        for m in regex.finditer(_MARKED_WORD, plain)
    ]


#: A word with its combining marks, as the tokenizers read one. Not regex's ``\w`` alone:
#: it holds the joiners ZWJ and ZWNJ and the connectors (``_``, ``‿``: Unicode's word
#: characters), which both tokenizers take as separators ("zorg\u200dverlener" is "zorg"
#: and "verlener" to the index, "rot‿op" is "rot" and "op").
_MARKED_WORD = r"(?:(?![\u200c\u200d\p{Pc}])[\w\p{M}])+"


def _match_terms(query: str) -> list[tuple[str, bool]]:
    """The words of a search as (word, is a prefix), unfolded (each backend's own
    tokenizer folds them as it folded the text); a lone ``*`` is no word."""
    terms = []
    for term in _WORD.findall(searchable(query)):
        base = term.rstrip("*")
        if base:
            terms.append((base, term.endswith("*")))
    return terms


def fts_query(query: str) -> str | None:
    """A safe FTS5 MATCH expression: every word quoted, all required; ``word*`` is a prefix.

    User input never reaches FTS5's query syntax as syntax, so ``NEAR(`` or ``"`` in a
    search box cannot raise. Only :func:`searchable` here, as the text was: inside quotes
    FTS5 runs its own tokenizer over the word, which is exactly how the text was indexed
    (case and diacritics).
    """
    parts = [f'"{w}"*' if prefix else f'"{w}"' for w, prefix in _match_terms(query)]
    return " ".join(parts) or None


def pg_tsquery(query: str) -> str | None:
    """:func:`fts_query`'s twin for PostgreSQL: a ``to_tsquery('reactieveld', ...)`` text
    with the same words, all required, ``word*`` a prefix (``'word':*``).

    Every word is quoted, so user input never reaches the tsquery syntax as syntax (``!``,
    ``|``, ``<->`` and quotes are not word characters). Not folded here either: the
    configuration ``reactieveld`` (simple + unaccent) folds the query's words as it folded
    the text (both after :func:`searchable`)."""
    parts = [f"'{w}':*" if prefix else f"'{w}'" for w, prefix in _match_terms(query)]
    return " & ".join(parts) or None
