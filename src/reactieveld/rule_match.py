"""A moderation rule compiled, and what the rules found in a text (issue 16).

Apart from :mod:`reactieveld.rules` (the rule set) because the app's start needs none of
these: a compiled rule exists only where a config has rules, a scan only once the sync or
the response view runs them, and each frozen dataclass costs ~0.5 ms to create at import.
:mod:`reactieveld.rules` names them all, as before.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from reactieveld.rule_text import (
    ACTIONS,
    TIME_LIMIT,
    RuleAction,
    RuleError,
    _fold_char,
    fold,
    initials_of_a_name,
    word_regex,
)


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
            raise RuleError("config.rule.action", action=action)
        if bool(words) == (pattern is not None):
            raise RuleError("config.rule.either")
        if pattern is not None:
            source = pattern
            if not pattern.strip():
                raise RuleError("config.rule.empty")
            if any(_fold_char(c) != c.lower() for c in pattern if not c.isascii()):
                raise RuleError("config.rule.folded")
        else:
            source = word_regex(words)
        try:
            compiled = regex.compile(source, regex.IGNORECASE | regex.UNICODE)
        except regex.error as exc:
            raise RuleError("config.rule.regex", problem=str(exc)) from None
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
                if self.words and initials_of_a_name(text, where[start], stop):
                    continue  # "Mr. K. U. T. de Vries": a name, no word spelled apart
                spans.append((where[start], stop))
        except TimeoutError:
            return None
        return spans


@dataclass(frozen=True)
class Hit:
    """A rule that matched a text, with what it matched (spans in the original text);
    ``in_title``: the text is the thread's title its author wrote, not the body."""

    rule: str
    action: RuleAction
    spans: tuple[tuple[int, int], ...]
    in_title: bool = False


@dataclass(frozen=True)
class Scan:
    """What the rules found in one text: the hits, and the rules stopped for time."""

    hits: tuple[Hit, ...] = ()
    slow: tuple[str, ...] = ()

    @property
    def holds(self) -> bool:
        return any(h.action == "hold" for h in self.hits)
