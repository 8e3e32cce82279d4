"""The codebook: planning questions and roles a response is tagged with.

The defaults come from DOMAIN.md (the eight planning questions of the dialogic
organisation, and the roles of the BEL municipalities' policy). An organisation replaces
or extends them in its configuration. Every codebook has a version; each tag stores the
version it was made with, so a report can say which codebook made it.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rich.cells import cell_len

from reactieveld.model import TagKind

# The double-coding sample (issue 14) lives in ``model``, below the store that applies it;
# named here too, beside the codebook it belongs to.
from reactieveld.model import in_double_sample as in_double_sample
from reactieveld.text import fold, one_line

LANGUAGES = ("nl", "en")

#: What a question's or role's code may be: one value wherever it goes. The CSV export
#: joins a response's codes with ";" in one column, and search's typed filters take a
#: code as one word without quotes (``vraag:1``, ``rol:burger``; a leading "#" is
#: dropped), so a code with ";", ",", a space, a quote or a control character was
#: ambiguous there. Letters a-z and A-Z and digits, as the default codes ("1",
#: "burger"), with "_" and "-" inside; at most 32.
CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")


def is_code(text: str) -> bool:
    """Whether ``text`` can be a question's or role's code (:data:`CODE_RE`)."""
    return CODE_RE.fullmatch(text) is not None


@dataclass(frozen=True)
class Code:
    """One planning question or role: its code, its key in the TUI and its labels."""

    kind: TagKind
    code: str
    key: str
    labels: Mapping[str, str] = field(hash=False, compare=True)
    #: For roles: whether this role speaks for the organisation (answers count as dialogue).
    organisation: bool = False
    #: Short forms by language for a narrow column (``short_nl``/``short_en`` in the
    #: config); where none is given or it does not fit, :func:`short_labels` makes one.
    short: Mapping[str, str] = field(default_factory=dict, hash=False, compare=True)

    def label(self, language: str = "nl") -> str:
        """The label in ``language``, falling back to Dutch, then to any label."""
        return (
            self.labels.get(language)
            or self.labels.get("nl")
            or next(iter(self.labels.values()), self.code)
        )


def filter_names(code: Code) -> dict[str, str]:
    """The names search's typed filters take for ``code`` (read/search.py), each as they
    compare it, with the config key it is written at: ``vraag:`` takes a question's code
    alone, as typed (case kept; a leading "#" dropped, never part of a code): "code".
    ``rol:`` takes a role's code or any of its labels ("code", "nl", "en"), whole (no
    prefix), folded: any case, diacritics and compatibility forms aside (:func:`fold`:
    "Jongere", "jongere" and "Jóngere" are one name)."""
    if code.kind is TagKind.QUESTION:
        return {code.code: "code"}
    names: dict[str, str] = {}
    for key, name in (("code", code.code), *code.labels.items()):
        names.setdefault(fold(name), key)
    return names


def _shown_names(code: Code) -> dict[str, str]:
    """A role's configured short forms, folded, by their config key ("short_nl"): the
    queue's role column shows one as the role's name, so a reader types it as one."""
    return {fold(short): f"short_{lang}" for lang, short in code.short.items()}


@dataclass(frozen=True)
class NameClash:
    """Two codes a typed filter cannot tell apart: ``code``'s name at config key ``key``
    is, as the filter compares it, ``other``'s name at ``other_key``."""

    code: str
    key: str
    other: str
    other_key: str


def name_clashes(codes: Sequence[Code]) -> list[NameClash]:
    """Every pair of ``codes`` (of one kind) that search's typed filter would confuse
    (:func:`filter_names`): a name of one the filter takes, or a role's short form, that
    is a name the filter takes for another. Each pair once, from either side."""
    found: list[NameClash] = []
    for i, one in enumerate(codes):
        names = filter_names(one)
        shown = {k: v for k, v in _shown_names(one).items() if k not in names}
        for other in codes[i + 1 :]:
            theirs = filter_names(other)
            pairs = [(key, theirs[n]) for n, key in names.items() if n in theirs]
            pairs += [(key, theirs[n]) for n, key in shown.items() if n in theirs]
            pairs += [(names[n], key) for n, key in _shown_names(other).items() if n in names]
            if pairs:
                key, other_key = pairs[0]
                found.append(NameClash(one.code, key, other.code, other_key))
    return found


@dataclass(frozen=True)
class Codebook:
    """A versioned set of planning questions and roles."""

    version: str
    questions: tuple[Code, ...]
    roles: tuple[Code, ...]

    def question(self, code: str) -> Code | None:
        """The planning question with this code, if the codebook has it."""
        return next((q for q in self.questions if q.code == code), None)

    def role(self, code: str) -> Code | None:
        """The role with this code, if the codebook has it."""
        return next((r for r in self.roles if r.code == code), None)

    def role_named(self, value: str) -> Code | None:
        """The role ``rol:value`` names: by its code or a label (:func:`filter_names`)."""
        wanted = fold(value)
        return next((r for r in self.roles if wanted in filter_names(r)), None)

    def codes(self, kind: TagKind) -> tuple[Code, ...]:
        """All codes of one kind."""
        return self.questions if kind is TagKind.QUESTION else self.roles

    def label(self, kind: TagKind, code: str, language: str = "nl") -> str:
        """The label of a code, or the code itself when this codebook lacks it."""
        found = self.question(code) if kind is TagKind.QUESTION else self.role(code)
        return found.label(language) if found else code

    def short_labels(self, kind: TagKind, language: str, cells: int) -> dict[str, str]:
        """Each code's label of ``kind`` in at most ``cells`` cells, unique: see
        :func:`short_labels`."""
        return short_labels(self.codes(kind), language, cells)

    @property
    def organisation_roles(self) -> frozenset[str]:
        """Role codes that speak for the organisation."""
        return frozenset(r.code for r in self.roles if r.organisation)


@lru_cache(maxsize=64)
def short_labels(codes: tuple[Code, ...], language: str, cells: int) -> dict[str, str]:
    """Each code's label in at most ``cells`` terminal cells (3 or more), the forms
    unique among ``codes`` (case aside), for a narrow column (the queue's role column
    at 80 columns cut "Ambtenaar", "Medewerker", "Ondernemer" and "Organisatie" to
    their first letters and "…"): the whole label where it fits; else its configured
    short form; else one made of it: its first word, the start of that with a "."
    ("Ambten."), with the other words' initials, its consonants; else a start and a
    number. The whole labels that fit are never changed for another's sake."""
    labels = {c.code: one_line(c.label(language), limit=200) or c.code for c in codes}
    forms: dict[str, str] = {}
    taken: set[str] = set()
    for c in codes:
        if cell_len(labels[c.code]) <= cells and labels[c.code].casefold() not in taken:
            forms[c.code] = labels[c.code]
            taken.add(labels[c.code].casefold())
    for c in codes:
        if c.code in forms:
            continue
        own = one_line(c.short.get(language) or c.short.get("nl"), limit=200)
        found = next(
            (
                form
                for form in (own, *_made_short(labels[c.code], cells))
                if form and cell_len(form) <= cells and form.casefold() not in taken
            ),
            None,
        )
        if found is None:  # a start and the first number not taken (a start and a
            # number can make the form another number made: "a1" + "1", "a" + "11")
            found = next(
                form
                for n in itertools.count(1)
                if (form := _fit(labels[c.code], cells - len(str(n))) + str(n)).casefold()
                not in taken
            )
        forms[c.code] = found
        taken.add(found.casefold())
    return forms


def _fit(text: str, cells: int) -> str:
    """The start of ``text`` in at most ``cells`` cells (a wide character whole)."""
    out = ""
    for char in text:
        if cell_len(out + char) > cells:
            break
        out += char
    return out


def _made_short(label: str, cells: int) -> list[str]:
    """Short forms of ``label`` to try in turn, each in at most ``cells`` cells."""
    words = [w.strip("()[]{},;:-/&") for w in label.split()]
    words = [w for w in words if w] or [label]
    first, rest = words[0], words[1:]
    initials = "".join(w[0] for w in rest)
    consonants = first[0] + "".join(ch for ch in first[1:] if ch.casefold() not in "aeiouyáéëïóöü")
    tries = [first if cell_len(first) <= cells else _fit(first, cells - 1) + "."]
    if initials:
        start = _fit(first, max(1, cells - 1 - cell_len(initials)))
        tries.append(_fit(start + "." + initials, cells))
    tries.append(_fit(consonants + initials, cells))
    return tries


_QUESTIONS = (
    ("Welke doelen dient de dialoog?", "Which goals does the dialogue serve?"),
    (
        "Voor welke inhoudelijke onderwerpen zetten we de dialoog wel of niet in?",
        "On which topics do we (not) use dialogue?",
    ),
    (
        "Met welke intentie zitten we er als organisatie in?",
        "With what intention does the organisation take part?",
    ),
    (
        "In welke bedrijfsprocessen laten we de dialoog wel of niet toe?",
        "In which business processes do we (not) allow dialogue?",
    ),
    ("Hoe ontwerpen we het dialoogproces?", "How do we design the dialogue process?"),
    (
        "Welke rollen vertegenwoordigen de diverse spelers in de dialoog?",
        "Which roles do the various players represent?",
    ),
    (
        "Welke expertise hebben we op welk moment nodig?",
        "Which expertise do we need at which moment?",
    ),
    (
        "Welke houding en gedrag dienen we te ontwikkelen?",
        "Which attitude and behaviour must we develop?",
    ),
)

# code, key in the role picker, Dutch, English, speaks for the organisation
_ROLES = (
    ("burger", "b", "Burger", "Citizen", False),
    ("raad", "r", "Raadslid", "Council member", True),
    ("college", "c", "College (B&W)", "Mayor and aldermen", True),
    ("ambtenaar", "a", "Ambtenaar", "Civil servant", True),
    ("klant", "k", "Klant", "Customer", False),
    ("medewerker", "m", "Medewerker", "Employee", True),
    ("ondernemer", "o", "Ondernemer", "Entrepreneur", False),
    ("organisatie", "g", "Organisatie", "Organisation", True),
)


def _version_of(questions: Sequence[Code], roles: Sequence[Code]) -> str:
    blob = json.dumps(
        [[c.kind, c.code, c.key, dict(c.labels), c.organisation] for c in (*questions, *roles)],
        sort_keys=True,
    )
    return "sha-" + hashlib.sha256(blob.encode()).hexdigest()[:12]


def make_codebook(
    questions: Sequence[Code], roles: Sequence[Code], version: str | None = None
) -> Codebook:
    """A codebook; without an explicit version, one derived from its content."""
    return Codebook(
        version=version or _version_of(questions, roles),
        questions=tuple(questions),
        roles=tuple(roles),
    )


DEFAULT_QUESTIONS: tuple[Code, ...] = tuple(
    Code(TagKind.QUESTION, str(i), str(i), {"nl": nl, "en": en})
    for i, (nl, en) in enumerate(_QUESTIONS, start=1)
)
DEFAULT_ROLES: tuple[Code, ...] = tuple(
    Code(TagKind.ROLE, code, key, {"nl": nl, "en": en}, organisation=org)
    for code, key, nl, en, org in _ROLES
)
DEFAULT_CODEBOOK = make_codebook(DEFAULT_QUESTIONS, DEFAULT_ROLES, version="default-1")
