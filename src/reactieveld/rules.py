"""Moderation rules: watched words and patterns matched on a response's text (issue 16).

Pure (no I/O): the config compiles rules here, the store applies them to every new or
changed response as it stores a page, and the response view highlights what they match.

Both kinds of rule see the text *folded*: case folded (``casefold``) and without
diacritics (NFKD, combining marks dropped), so ``café`` is ``cafe`` and ``ĳ`` is ``ij``.
The spans a match returns are positions in the original text, mapped back through the
fold, so the view can mark exactly the characters the author wrote.

- ``words``: word patterns on whole words. ``*`` stands for any letters (none included):
  ``kanker*`` finds "kanker" and "kankerlijer" but not "vakankerken", where "kanker"
  starts inside a word. Several words in one pattern (``"rot op"``) match with any
  whitespace between them.
- ``pattern``: one regular expression (the ``regex`` package's syntax, which is Python's
  ``re`` and more), matched on the folded text.

A rule never stalls the sync: every search has a time limit (:data:`TIME_LIMIT`); a
pattern that takes longer on a text (catastrophic backtracking, on purpose or not) is
stopped and reported in :attr:`Scan.slow`, and counts as no match for that text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

#: What a rule does with a response it matches.
RuleAction = Literal["flag", "hold"]
ACTIONS: tuple[RuleAction, ...] = ("flag", "hold")

#: Longest time one rule may search one text (seconds). A watched-word rule takes
#: microseconds on a comment; this only ever stops a pathological pattern.
TIME_LIMIT = 0.05

# A word character for whole-word matching: letters, digits, the underscore (regex's
# Unicode ``\w``), plus the combining marks a fold may leave in a script that keeps them.
_WORD = r"[\w\p{M}]"


def _fold_char(c: str) -> str:
    decomposed = unicodedata.normalize("NFKD", c)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` folded (case, diacritics, compatibility forms), and for every character
    of the folded text the index of the original character it came from."""
    if text.isascii():
        return text.casefold(), list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        folded = c.casefold() if c.isascii() else _fold_char(c)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def folded(text: str) -> str:
    """Only the folded text of :func:`fold` (for a word list as written in the config)."""
    return fold(text)[0]


class RuleError(ValueError):
    """A rule that cannot be compiled: the message says what is wrong, for the config."""


def word_regex(words: tuple[str, ...]) -> str:
    """The regular expression of a word list: each word folded, ``*`` as any word
    characters, whitespace between words as any whitespace, whole words only."""
    # Imported here: the regex package loads only when a config has rules.
    import regex

    alternatives = []
    for word in words:
        parts = folded(word).split()
        if not parts or all(set(p) <= {"*"} for p in parts):
            raise RuleError(f'"{word}" has no letters to match (a word is more than "*")')
        alternatives.append(
            r"\s+".join(
                "".join(f"{_WORD}*" if ch == "*" else regex.escape(ch) for ch in part)
                for part in parts
            )
        )
    return rf"(?<!{_WORD})(?:{'|'.join(alternatives)})(?!{_WORD})"


@dataclass(frozen=True)
class Rule:
    """One ``[[rules]]`` entry, compiled. Exactly one of ``words`` and ``pattern``."""

    name: str
    action: RuleAction
    words: tuple[str, ...] = ()
    pattern: str | None = None
    line: int | None = None
    compiled: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def make(
        cls,
        name: str,
        action: RuleAction,
        *,
        words: tuple[str, ...] = (),
        pattern: str | None = None,
        line: int | None = None,
    ) -> Rule:
        """Compile a rule; :class:`RuleError` says what is wrong with it."""
        import regex

        if action not in ACTIONS:
            raise RuleError(f'unknown action "{action}"; expected "flag" or "hold"')
        if bool(words) == (pattern is not None):
            raise RuleError('give either "words" (a list of words) or "pattern" (one regex)')
        if pattern is not None:
            source = pattern
            if not pattern.strip():
                raise RuleError("the pattern is empty")
            if any(_fold_char(c) != c.lower() for c in pattern if not c.isascii()):
                raise RuleError(
                    "the pattern has a letter with a diacritic or a capital; a pattern sees "
                    "the text folded (lower case, é as e): write it that way"
                )
        else:
            source = word_regex(words)
        try:
            compiled = regex.compile(source, regex.IGNORECASE | regex.UNICODE)
        except regex.error as exc:
            raise RuleError(f"not a valid regular expression: {exc}") from None
        return cls(name, action, tuple(words), pattern, line, compiled)

    def find(self, text: str, *, limit: float = TIME_LIMIT) -> list[tuple[int, int]] | None:
        """The spans (start, end) in ``text`` this rule matches, in order; ``None`` when
        the search took longer than ``limit`` seconds (stopped, not finished)."""
        folded_text, where = fold(text)
        spans: list[tuple[int, int]] = []
        try:
            for m in self.compiled.finditer(folded_text, timeout=limit):
                start, end = m.span()
                if start == end:
                    continue  # an empty match marks nothing (a pattern like "x*")
                stop = where[end - 1] + 1
                while stop < len(text) and unicodedata.combining(text[stop]):
                    stop += 1  # the accents written apart belong to the last letter
                spans.append((where[start], stop))
        except TimeoutError:
            return None
        return spans


@dataclass(frozen=True)
class Hit:
    """A rule that matched a text, with what it matched (spans in the original text)."""

    rule: str
    action: RuleAction
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Scan:
    """What the rules found in one text: the hits, and the rules stopped for time."""

    hits: tuple[Hit, ...] = ()
    slow: tuple[str, ...] = ()

    @property
    def holds(self) -> bool:
        return any(h.action == "hold" for h in self.hits)


@dataclass(frozen=True)
class RuleSet:
    """The configured rules, in the config's order. Empty: rules are off."""

    rules: tuple[Rule, ...] = ()
    limit: float = TIME_LIMIT

    def __bool__(self) -> bool:
        return bool(self.rules)

    def scan(self, text: str | None) -> Scan:
        """Every rule on ``text``: which matched (and where), which were too slow."""
        if not text or not self.rules:
            return Scan()
        hits, slow = [], []
        for rule in self.rules:
            spans = rule.find(text, limit=self.limit)
            if spans is None:
                slow.append(rule.name)
            elif spans:
                hits.append(Hit(rule.name, rule.action, tuple(spans)))
        return Scan(tuple(hits), tuple(slow))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Every span any rule matches in ``text``, merged where they overlap (for the
        view's highlight)."""
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
