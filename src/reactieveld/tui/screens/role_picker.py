"""The role picker: one key per role of the codebook (``Code.key``); dismisses with the
chosen role code, ``""`` to clear, or ``None`` when cancelled."""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reactieveld.codebook import Codebook
from reactieveld.i18n import I18n
from reactieveld.text import preview
from reactieveld.tui.messages import passed_on
from reactieveld.tui.screens.help import DialogKeys, keys_shown
from reactieveld.tui.widgets.toggles import RADIO_OFF, RADIO_ON

#: A role's label on its one line: the picker is 44 wide (styles/app.tcss), less its
#: border and padding (6) and " k " and " (•) " before the label (8). A longer one ends
#: in "…" (it wrapped, or was cut at 40 characters without a sign).
LABEL_CELLS = 30


class RolePicker(DialogKeys, ModalScreen[str | None]):
    """Press a role's key; ``backspace`` clears the role; ``escape`` cancels. Its footer
    says so (``? Help b/r/c… Choose ⌫ No role esc Cancel``), as every dialog's."""

    HELP_NAME = "role"

    BINDINGS = [
        Binding("backspace,delete", "clear", "Clear", id="role.clear"),
        Binding("escape", "dismiss_none", "Cancel", id="role.cancel"),
    ]

    def __init__(self, *, i18n: I18n, codebook: Codebook, current: str | None = None) -> None:
        super().__init__()
        self.i18n = i18n
        self.codebook = codebook
        self.current = current
        keys = [role.key for role in codebook.roles if role.key]
        if keys:
            self.show_keys(keys[0], keys_shown(keys), i18n.t("key.pick_role"))
        # A role on "?" keeps it: help is f1 alone then.
        self.text_box = "?" in keys

    def key_labels(self) -> Mapping[str, str]:
        return {"role.cancel": "key.cancel", "role.clear": "key.no_role"}

    def compose(self) -> ComposeResult:
        lang = self.i18n.language
        with Vertical(id="role-picker", classes="dialog"):
            yield Static(Content(self.i18n.t("role.title")), classes="dialog-title")
            for role in self.codebook.roles:
                mark = RADIO_ON if role.code == self.current else RADIO_OFF
                line = Content.assemble(
                    (f" {role.key} ", "reverse bold"),
                    f" {mark} {preview(role.label(lang), LABEL_CELLS)}",
                )
                yield Static(line, classes="role-choice")
            yield Static(
                # Under the labels: " k " and " (•) " before them.
                Content.assemble(("  ⌫ ", "reverse bold"), "    " + self.i18n.t("role.clear")),
                classes="role-choice",
            )

    def on_key(self, event: events.Key) -> None:
        if passed_on(self, event):  # dismissed by a key before: the rest go on
            return
        for role in self.codebook.roles:
            if event.character and event.character == role.key:
                event.stop()
                self.dismiss(role.code)
                return

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_clear(self) -> None:
        self.dismiss("")
