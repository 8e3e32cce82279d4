"""The reason dialog (issue 16): before a decision that asks for one (``[reasons]
ask_for``), one key picks a reason of the configured list; "other" asks a short text
(enter confirms); escape cancels the decision itself. Dismisses with the chosen
:class:`~reactieveld.model.DecisionReason`, or None when cancelled.

Fits 80x24 with the eight default reasons (the list is at most twelve long), and reads
without colour: every key is in brackets as well as in reverse."""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reactieveld.i18n import I18n
from reactieveld.model import DecisionReason
from reactieveld.reasons import OTHER_MAX, Reason, ReasonsConfig, own_words
from reactieveld.text import preview
from reactieveld.tui.messages import passed_on
from reactieveld.tui.screens.help import DialogKeys, keys_shown
from reactieveld.tui.widgets.fields import OneLineInput

#: A reason's label on its one line: the dialog is 60 wide (styles/app.tcss), less its
#: border and padding (6), "[k] " before the label and " …" after "other"'s. A longer one
#: ends in "…" (it was cut at 48 characters without a sign).
LABEL_CELLS = 48


class OwnWords(OneLineInput):
    """The field for "other"'s own words: ``enter`` confirms, shown in the footer (an
    input's own ``enter`` is hidden, and hid the way on at 60x20, where the hint that
    says it is below the dialog's fold)."""

    BINDINGS = [Binding("enter", "submit", "Confirm", id="reason.confirm")]


class ReasonDialog(DialogKeys, ModalScreen[DecisionReason | None]):
    """Press a reason's key; escape cancels (nothing is decided)."""

    AUTO_FOCUS = None

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="reason.cancel")]
    HELP_NAME = "reason"

    def __init__(self, *, i18n: I18n, reasons: ReasonsConfig, decision: str, count: int) -> None:
        """``decision``: the decision's name in words (e.g. "Prullenbak"); ``count``: how
        many responses it settles (a batch of marked ones, an author's pile)."""
        super().__init__()
        self.i18n = i18n
        self.reasons = reasons
        self.decision = decision
        self.count = count
        #: The reason whose own words are being typed ("other"), if any.
        self.typing: Reason | None = None
        keys = [reason.key for reason in reasons.choices]
        # A reason on "?" keeps it: help is f1 alone then.
        self.text_box = "?" in keys
        if keys:
            self.show_keys(keys[0], keys_shown(keys), i18n.t("key.reason"))  # "1-8 Reason"

    def key_labels(self) -> Mapping[str, str]:
        return {"reason.cancel": "key.cancel", "reason.confirm": "key.confirm"}

    def compose(self) -> ComposeResult:
        t, lang = self.i18n.t, self.i18n.language
        with Vertical(id="reason-dialog", classes="dialog"):
            title = t("reasons.title", what=self.decision, n=self.count)
            yield Static(Content(title), classes="dialog-title")
            for reason in self.reasons.choices:
                label = preview(reason.label(lang), LABEL_CELLS)
                if reason.asks_text:
                    label += " …"
                line = Content.assemble((f"[{reason.key}]", "reverse bold"), f" {label}")
                yield Static(line, classes="reason-choice")
            yield Static(Content(t("reasons.hint")), classes="dialog-hint", id="reason-hint")

    def on_key(self, event: events.Key) -> None:
        if passed_on(self, event):  # dismissed by a key before: the rest go on
            return
        if self.typing is not None:
            return  # the text field has the keys
        for reason in self.reasons.choices:
            if event.character and event.character == reason.key:
                event.stop()
                event.prevent_default()
                self._choose(reason)
                return

    def _choose(self, reason: Reason) -> None:
        if not reason.asks_text:
            self.dismiss(self._made(reason, None))
            return
        self.typing = reason
        # Mounted only now: an input there from the start would take the reason's key.
        field = OwnWords(
            placeholder=self.i18n.t("reasons.other_prompt"),
            max_length=OTHER_MAX,
            id="reason-other",
        )
        self.describe(field)
        self.query_one("#reason-dialog").mount(field, before="#reason-hint")
        field.focus()
        self._hint("reasons.other_hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.typing is None:
            return
        own = own_words(event.value)
        if not own:
            # "other" needs its words: the field stays until there are some, and the hint
            # says so (enter on an empty field did nothing and said nothing).
            self._hint("reasons.other_empty", reason=self.typing.label(self.i18n.language))
            return
        self.dismiss(self._made(self.typing, own))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if own_words(event.value):
            self._hint("reasons.other_hint")

    def _hint(self, key: str, **values: str) -> None:
        self.query_one("#reason-hint", Static).update(Content(self.i18n.t(key, **values)))

    def _made(self, reason: Reason, own: str | None) -> DecisionReason:
        return DecisionReason(reason.code, own, reason.label(self.i18n.language))

    def action_cancel(self) -> None:
        self.dismiss(None)
