"""The codebook: planning questions and roles a response is tagged with.

The defaults come from DOMAIN.md (the eight planning questions of the dialogic
organisation, and the roles of the BEL municipalities' policy). An organisation replaces
or extends them in its configuration. Every codebook has a version; each tag stores the
version it was made with, so a report can say which codebook made it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reactieveld.model import TagKind

# The double-coding sample (issue 14) lives in ``model``, below the store that applies it;
# named here too, beside the codebook it belongs to.
from reactieveld.model import in_double_sample as in_double_sample

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Code:
    """One planning question or role: its code, its key in the TUI and its labels."""

    kind: TagKind
    code: str
    key: str
    labels: Mapping[str, str] = field(hash=False, compare=True)
    #: For roles: whether this role speaks for the organisation (answers count as dialogue).
    organisation: bool = False

    def label(self, language: str = "nl") -> str:
        """The label in ``language``, falling back to Dutch, then to any label."""
        return (
            self.labels.get(language)
            or self.labels.get("nl")
            or next(iter(self.labels.values()), self.code)
        )


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

    def codes(self, kind: TagKind) -> tuple[Code, ...]:
        """All codes of one kind."""
        return self.questions if kind is TagKind.QUESTION else self.roles

    def label(self, kind: TagKind, code: str, language: str = "nl") -> str:
        """The label of a code, or the code itself when this codebook lacks it."""
        found = self.question(code) if kind is TagKind.QUESTION else self.role(code)
        return found.label(language) if found else code

    @property
    def organisation_roles(self) -> frozenset[str]:
        """Role codes that speak for the organisation."""
        return frozenset(r.code for r in self.roles if r.organisation)


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
