"""Moderation rules: watched words and patterns matched on a response's text (issue 16),
and on its thread's title where the response's author wrote that title (a Discourse
topic's first post: :data:`reactieveld.model.TITLE_BY_AUTHOR`).

Pure (no I/O): the config compiles rules here, the store applies them to every new or
changed response as it stores a page, and the response view highlights what they match.

Both kinds of rule see the text *folded*: case folded (``casefold``) and without
diacritics (NFKD, combining marks dropped), so ``café`` is ``cafe`` and ``ĳ`` is ``ij``.
The spans a match returns are positions in the original text, mapped back through the
fold, so the view can mark exactly the characters the author wrote.

- ``words``: word patterns on whole words. ``*`` stands for any letters (none included):
  ``kanker*`` finds "kanker" and "kankerlijer" but not "vakankerken", where "kanker"
  starts inside a word. Several words in one pattern (``"rot op"``) match with any
  whitespace, or a dash, between them; a word of three letters or more also spelled
  apart (``k.a.n.k.e.r``: :func:`reactieveld.rule_text.word_regex`).
- ``pattern``: one regular expression (the ``regex`` package's syntax, which is Python's
  ``re`` and more), matched on the folded text.

A rule never stalls the sync: every search has a time limit (:data:`TIME_LIMIT`); a
pattern that takes longer on a text (catastrophic backtracking, on purpose or not) is
stopped and reported in :attr:`Scan.slow`, and counts as no match for that text.

The rule set is here; folding, the actions and the word patterns are in
:mod:`reactieveld.rule_text`, a compiled rule and a scan in :mod:`reactieveld.rule_match`
(made at their first use). This module names them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reactieveld.later import names_in
from reactieveld.rule_text import ACTIONS as ACTIONS
from reactieveld.rule_text import TIME_LIMIT as TIME_LIMIT
from reactieveld.rule_text import RuleAction as RuleAction
from reactieveld.rule_text import RuleError as RuleError
from reactieveld.rule_text import fold as fold
from reactieveld.rule_text import folded as folded
from reactieveld.rule_text import word_regex as word_regex

if TYPE_CHECKING:
    from reactieveld.rule_match import Hit as Hit
    from reactieveld.rule_match import Rule as Rule
    from reactieveld.rule_match import Scan as Scan

#: A compiled rule and what the rules find in a text are in reactieveld.rule_match, made
#: at their first use (a config with rules, a scan): nothing before the first frame needs
#: them (each frozen dataclass ~0.5 ms at import). Still importable from here.
_LATER = frozenset({"Hit", "Rule", "Scan"})


__getattr__ = names_in("reactieveld.rule_match", _LATER, of=__name__)  # PEP 562


@dataclass(frozen=True)
class RuleSet:
    """The configured rules, in the config's order. Empty: rules are off."""

    rules: tuple[Rule, ...] = ()
    limit: float = TIME_LIMIT

    def __bool__(self) -> bool:
        return bool(self.rules)

    def scan(self, text: str | None, *, title: str | None = None) -> Scan:
        """Every rule on ``text``: which matched (and where), which were too slow.

        ``title``: the thread's title where the response's author wrote it
        (:func:`reactieveld.model.title_by_author`), read too: its hits follow the text's,
        marked ``in_title`` (their spans are in the title). A rule too slow on either is
        named once."""
        from reactieveld.rule_match import Hit, Scan

        hits, slow = [], []
        for where, in_title in ((text, False), (title, True)):
            if not where or not self.rules:
                continue
            for rule in self.rules:
                spans = rule.find(where, limit=self.limit)
                if spans is None:
                    slow.append(rule.name)
                elif spans:
                    hits.append(Hit(rule.name, rule.action, tuple(spans), in_title))
        return Scan(tuple(hits), tuple(dict.fromkeys(slow)))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Every span any rule matches in ``text``, merged where they overlap (for the
        view's highlight)."""
        if not self.rules:
            return []  # no rules: nothing to scan (nor its module to load)
        merged: list[tuple[int, int]] = []
        for start, end in sorted(s for h in self.scan(text).hits for s in h.spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged


NO_RULES = RuleSet()


def pieces(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut at ``spans`` (sorted, apart, as :meth:`RuleSet.spans` gives them):
    consecutive (piece, matched) pairs that join to ``text`` again, for a view that marks
    the matched pieces. A span past the text's end is cut to it."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in spans:
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out
