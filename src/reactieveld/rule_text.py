"""What the moderation rules are made of (issue 16): their actions and time limit, the
error of a rule that cannot be compiled, the folding of a text and a word list's pattern.

Apart from :mod:`reactieveld.rules` (the rule set) and :mod:`reactieveld.rule_match` (a
compiled rule, what rules find) so that both use these without importing each other;
:mod:`reactieveld.rules` names them all, as before.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from typing import Any, Literal

#: What a rule does with a response it matches.
RuleAction = Literal["flag", "hold"]
ACTIONS: tuple[RuleAction, ...] = ("flag", "hold")

#: Longest time one rule may search one text (seconds). A watched-word rule takes
#: microseconds on a comment; this only ever stops a pathological pattern.
TIME_LIMIT = 0.05

# A word character for whole-word matching: letters and digits (regex's Unicode ``\w``),
# plus the combining marks a fold may leave in a script that keeps them. Not the
# underscore nor another connector (``‿``): ``_kanker_`` (Markdown's italics) and
# ``kut_wijf`` hold the words, as search's index reads them apart (store/fts.py).
_WORD = r"(?:(?!\p{Pc})[\w\p{M}])"


@functools.lru_cache(maxsize=4096)  # a text's letters repeat: é, ë, ’ (an export folds 100,000s)
def _fold_char(c: str) -> str:
    if c.isascii():
        return c.casefold()
    decomposed = unicodedata.normalize("NFKD", c)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` folded (case, diacritics, compatibility forms), and for every character
    of the folded text the index of the original character it came from."""
    if text.isascii():
        return text.casefold(), list(range(len(text)))
    return each_char(text, _fold_char)


def each_char(text: str, change: Callable[[str], str]) -> tuple[str, list[int]]:
    """``text`` with every character changed alone by ``change`` (into none, one or more),
    and for every character of the result the index of the one it came from (a rule's
    fold here, search's plain letters in store/fts.py)."""
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        changed = change(c)
        out.append(changed)
        where.extend([i] * len(changed))
    return "".join(out), where


def folded(text: str) -> str:
    """Only the folded text of :func:`fold` (a word list as written in the config; the
    words an export's redaction looks for names), without its positions.

    Not :func:`reactieveld.text.fold`, which case-folds before it decomposes: a rule's
    words must meet a comment's styled capitals ("𝐇𝐀𝐓𝐄", "ᴴᴼᴸᴰ", "ℌ" fold to lower case
    here, to capitals there) one character at a time, as :func:`fold` maps positions."""
    if text.isascii():
        return text.casefold()
    return "".join(map(_fold_char, text))


class RuleError(ValueError):
    """A rule that cannot be compiled. Its args: the key of the interface table's text
    that says what is wrong (``config.rule.*``) and that text's fields, said by the config
    in its reader's language (this module sits beside reactieveld.i18n in the layers)."""

    def __init__(self, key: str, **fields: str) -> None:
        super().__init__(key, fields)
        self.key = key
        self.fields = fields


#: Between the words of a phrase (``"rot op"``): any whitespace, or a dash or an
#: underscore (any connector: ``‿``) with or without spaces around it (``rot_op``).
_JOIN = r"(?:\s*[\p{Pd}\p{Pc}]\s*|\s+)"

#: Between the letters of a word spelled apart (``k.a.n.k.e.r``, ``k-a-n-k-e-r``,
#: ``k a n k e r``): one or two characters that are not letters, digits nor a line
#: break (or an underscore, any connector: ``‿``), the same ones between every letter.
#: Only words of at least :data:`SPACED_MIN` letters are found so: ``o.p`` is too often
#: something else.
_SEP = r"(?:\p{Pc}|[^\w\p{M}\n]){1,2}"
SPACED_MIN = 3


def _spaced(part: str, group: str) -> str | None:
    """The pattern of ``part`` (folded, one word) spelled with its letters apart, or None
    where it is not written so: fewer than :data:`SPACED_MIN` letters, a character that
    is no letter or digit, a ``*`` anywhere but at its end. It starts no later than the
    letters apart do (``o.k.a.n.k.e.r`` is no ``kanker``). A word without ``*`` ends
    where the letters apart end: the same separator and a lone letter after it make a
    longer word (``r.o.t.t.e.r.d.a.m`` is not ``rot``; ``K U T dus`` is ``kut``)."""
    import regex

    letters = part.rstrip("*")
    if len(letters) < SPACED_MIN or "*" in letters:
        return None
    if not all(regex.fullmatch(r"\w", ch) for ch in letters):
        return None
    sep = f"(?P<{group}>{_SEP})"
    first = regex.escape(letters[0])
    # Not the end of a longer word spelled apart: no lone letter and the same separator
    # before the first ("o.k.a.n.k.e.r" is no "kanker"), seen once that separator is known.
    before = f"(?<!(?<!{_WORD}){_WORD}(?P={group}){first}(?P={group}))"
    out: str = first + sep + before + f"(?P={group})".join(regex.escape(ch) for ch in letters[1:])
    if part.endswith("*"):
        out += f"(?:(?P={group}){_WORD})*"
    else:  # not the start of a longer word spelled apart: "r.o.t.t.e.r.d.a.m" is no "rot"
        out += f"(?!(?P={group}){_WORD}(?!{_WORD}))"
    return out


def word_regex(words: tuple[str, ...]) -> str:
    """The regular expression of a word list: each word folded, ``*`` as any word
    characters, whitespace (or a dash) between words as any whitespace or dash, whole
    words only; a word of :data:`SPACED_MIN` letters or more also with its letters
    written apart (``k.a.n.k.e.r``)."""
    # Imported here: the regex package loads only when a config has rules.
    import regex

    alternatives = []
    for i, word in enumerate(words):
        parts = folded(word).split()
        if not parts or all(set(p) <= {"*"} for p in parts):
            raise RuleError("config.rule.no_letters", word=word)
        pieces = []
        for j, part in enumerate(parts):
            plain = "".join(f"{_WORD}*" if ch == "*" else regex.escape(ch) for ch in part)
            spaced = _spaced(part, f"s{i}_{j}")
            pieces.append(f"(?:{plain}|{spaced})" if spaced else plain)
        alternatives.append(_JOIN.join(pieces))
    return rf"(?<!{_WORD})(?:{'|'.join(alternatives)})(?!{_WORD})"


#: Before a person's initials: a form of address (``Mr. K. U. T. de Vries``, ``dhr.``), a
#: word of its own (not the end of ``ding`` or ``dreams``).
_ADDRESS = r"(?<![^\W_])(?:mr|mrs|ms|dhr|mevr|mw|dr|drs|ir|ing|prof|mej)\.?\s+$"
#: After them: a Dutch name's particles and its capital (``de Vries``, ``van der Berg``).
_SURNAME = r"\.?\s+(?:(?:van|de|der|den|te|ter|ten|het|'t|op|in|la|le|du|von)\s+)+[^\W\d_]"


@functools.cache
def _name_parts() -> tuple[Any, Any, Any]:
    import re

    initials = re.compile(r"(?:[^\W\d_]\.\s?)*[^\W\d_]")
    return initials, re.compile(_ADDRESS, re.IGNORECASE), re.compile(_SURNAME)


def initials_of_a_name(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, a word found spelled apart, is a person's initials:
    capitals each with a full stop (``K. U. T.``), after a form of address or before a
    Dutch surname with its particles (``Mr. K. U. T. de Vries``, ``K.U.T. van Dijk``).
    Not ``k.u.t.`` nor ``K.U.T. Jansen`` nor ``K.U.T. plan``: those a moderator sees."""
    initials, address, surname = _name_parts()
    part = text[start:end]
    letters = [c for c in part if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return False
    if not initials.fullmatch(part) or "." not in part:
        return False
    after = text[end:]
    if not after.startswith("."):
        return False
    named = surname.match(after)
    return bool(address.search(text, max(0, start - 12), start)) or (
        named is not None and after[named.end() - 1].isupper()
    )
