"""The search language as FTS5 sees it: words folded as the tokenizer folds them, a
user's words as a safe MATCH expression, and the limit above which hits are not ranked."""

from __future__ import annotations

import re

# The folding of a word (its home is text.py: the codebook checks its names with it too).
from reactieveld.text import fold as fold

#: Above this many hits, search answers newest first instead of ranking every hit.
#: Ranking costs about 1.4 us per hit (bm25 reads every hit's positions): 8,000 hits keep
#: the worst ranked query near 13 ms at 1M responses (bench/store_bench.py), where
#: newest-first answers any word in well under a millisecond.
RANK_LIMIT = 8_000


_WORD = re.compile(r"\w+\*?", re.UNICODE)


def query_terms(query: str) -> list[str]:
    """The words of a user's search, as the index sees them (``word*`` keeps its star)."""
    return [fold(t) for t in _WORD.findall(query)]


def _match_terms(query: str) -> list[tuple[str, bool]]:
    """The words of a search as (word, is a prefix), unfolded (each backend's own
    tokenizer folds them as it folded the text); a lone ``*`` is no word."""
    terms = []
    for term in _WORD.findall(query):
        base = term.rstrip("*")
        if base:
            terms.append((base, term.endswith("*")))
    return terms


def fts_query(query: str) -> str | None:
    """A safe FTS5 MATCH expression: every word quoted, all required; ``word*`` is a prefix.

    User input never reaches FTS5's query syntax as syntax, so ``NEAR(`` or ``"`` in a
    search box cannot raise. Not folded here: inside quotes FTS5 runs its own tokenizer
    over the word, which is exactly how the text was indexed (case, diacritics, ligatures
    and all).
    """
    parts = [f'"{w}"*' if prefix else f'"{w}"' for w, prefix in _match_terms(query)]
    return " ".join(parts) or None


def pg_tsquery(query: str) -> str | None:
    """:func:`fts_query`'s twin for PostgreSQL: a ``to_tsquery('reactieveld', ...)`` text
    with the same words, all required, ``word*`` a prefix (``'word':*``).

    Every word is quoted, so user input never reaches the tsquery syntax as syntax (``!``,
    ``|``, ``<->`` and quotes are not word characters). Not folded here either: the
    configuration ``reactieveld`` (simple + unaccent) folds the query's words as it folded
    the text."""
    parts = [f"'{w}':*" if prefix else f"'{w}'" for w, prefix in _match_terms(query)]
    return " & ".join(parts) or None
