"""Reasons for decisions (issue 16): the list a moderator picks from with one key, and
which decisions ask for one. Plain values, no I/O, no Textual.

In the EU the Digital Services Act (article 17) asks a hosting service for a statement of
reasons when it removes or restricts what a user wrote; a municipality's comment field is
one. The reason is stored with the decision in the journal (its code, and for "other" the
moderator's own short text), shown in the response view and the history, exported by
``reactieveld export --format decisions`` and carried to the platform where it has a
field for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reactieveld.i18n import text
from reactieveld.model import RemoteStatus
from reactieveld.text import one_line

if TYPE_CHECKING:
    from reactieveld.model_values import DecisionReason

#: The decisions that can ask for a reason, by the name ``[reasons] ask_for`` uses.
ASKABLE: Mapping[str, RemoteStatus] = {
    "hold": RemoteStatus.HOLD,
    "spam": RemoteStatus.SPAM,
    "trash": RemoteStatus.TRASH,
    "hide": RemoteStatus.HIDDEN,
}

#: Which decisions ask when the config does not say: the two that take a response away
#: from its readers on a moderator's judgement. Spam does not ask: its key is its reason
#: (a spam decision is stored with the reason "spam" without a dialog).
DEFAULT_ASK_FOR: tuple[str, ...] = ("trash", "hold")

#: The longest "other" text: a short statement, one line in the response view at 80
#: columns and in a platform's log field.
OTHER_MAX = 200


def own_words(typed: str) -> str:
    """What a moderator typed for "other", as it is stored: one safe line of at most
    :data:`OTHER_MAX` characters; "" when nothing is left (spaces alone, invisible bidi
    marks), which is no reason."""
    return one_line(typed, limit=OTHER_MAX, joins=True).strip()


@dataclass(frozen=True)
class Reason:
    """One reason of the list: its stored ``code``, the ``key`` that picks it in the
    dialog, its labels (nl, en; the built-in ones come from the i18n table) and whether
    it asks for the moderator's own words (``other``)."""

    code: str
    key: str
    labels: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    asks_text: bool = False

    def label(self, language: str) -> str:
        """The reason in ``language`` (the other language's label, else the code)."""
        if self.labels:
            return self.labels.get(language) or next(iter(self.labels.values()))
        found = text(f"reason.{self.code}", language)
        return self.code if found == f"reason.{self.code}" else found


#: The built-in list (labels in i18n.py, ``reason.<code>``).
DEFAULT_REASONS: tuple[Reason, ...] = (
    Reason("illegal", "1"),
    Reason("personal_data", "2"),
    Reason("insult", "3"),
    Reason("threat", "4"),
    Reason("spam", "5"),
    Reason("off_topic", "6"),
    Reason("duplicate", "7"),
    Reason("other", "8", asks_text=True),
)

#: The reason a decision whose key says it all is stored with, without a dialog.
IMPLIED: Mapping[RemoteStatus, str] = {RemoteStatus.SPAM: "spam"}


@dataclass(frozen=True)
class ReasonsConfig:
    """``[reasons]``: which decisions ask, and the list to pick from."""

    ask_for: tuple[str, ...] = DEFAULT_ASK_FOR
    choices: tuple[Reason, ...] = DEFAULT_REASONS

    def asks(self, status: RemoteStatus | str) -> bool:
        """Whether a decision setting ``status`` asks for a reason."""
        return any(ASKABLE[name].value == str(status) for name in self.ask_for)

    def get(self, code: str | None) -> Reason | None:
        """The reason with ``code`` (None when the list has none)."""
        return next((r for r in self.choices if r.code == code), None)

    def implied(self, status: RemoteStatus | str) -> DecisionReason | None:
        """The reason a decision that does not ask is stored with (spam: "spam", when the
        list has that code), else None."""
        from reactieveld.model_values import DecisionReason

        code = IMPLIED.get(RemoteStatus(status))
        return DecisionReason(code) if code and self.get(code) else None

    def describe(self, code: str | None, own: str | None, language: str) -> str:
        """A stored reason in words: its label (the code when the list no longer has it),
        with the moderator's own text after a colon."""
        if not code:
            return ""
        reason = self.get(code)
        label = reason.label(language) if reason else code
        return f"{label}: {own}" if own else label


#: Nothing asks (an app built without a config, as in most tests): the list is there for
#: showing stored reasons.
NO_ASKING = ReasonsConfig(ask_for=())
