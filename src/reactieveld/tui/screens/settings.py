"""Settings: the interface language (``n`` Nederlands, ``e`` English).

It switches the running app and is kept for the next start in the state file
(:mod:`reactieveld.state`), unless ``--lang`` or ``[ui] language`` decides the language at
start: then it is for this session, and the screen says which of the two it is."""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reactieveld.i18n import LANGUAGE_NAMES, I18n
from reactieveld.tui.screens.help import DialogKeys
from reactieveld.tui.widgets.toggles import RADIO_OFF, RADIO_ON

_KEYS = {"n": "nl", "e": "en"}


class SettingsScreen(DialogKeys, ModalScreen[str | None]):
    """Dismisses with the chosen language code, or ``None``."""

    #: The app-wide action that opens it: nothing here (ReactieveldApp.check_action).
    OPENED_BY = frozenset({"settings"})

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="settings.cancel")]
    HELP_NAME = "settings"

    def __init__(self, i18n: I18n, *, note: str = "") -> None:
        """``note``: whether the choice is kept for the next start (the app says)."""
        super().__init__()
        self.i18n = i18n
        self.note = note
        # "n/e Language"
        self.show_keys(next(iter(_KEYS)), "/".join(_KEYS), i18n.t("settings.language"))

    def key_labels(self) -> Mapping[str, str]:
        return {"settings.cancel": "key.cancel"}

    def compose(self) -> ComposeResult:
        with Vertical(id="settings", classes="dialog"):
            yield Static(Content(self.i18n.t("settings.title")), classes="dialog-title")
            yield Static(Content(self.i18n.t("settings.language") + ":"))
            for key, code in _KEYS.items():
                mark = RADIO_ON if code == self.i18n.language else RADIO_OFF
                yield Static(
                    Content.assemble(
                        (f" {key} ", "reverse bold"), f" {mark} {LANGUAGE_NAMES[code]}"
                    )
                )
            if self.note:
                yield Static(Content(self.note), classes="dialog-hint")

    def on_key(self, event: events.Key) -> None:
        if event.character in _KEYS:
            event.stop()
            self.dismiss(_KEYS[event.character])

    def action_cancel(self) -> None:
        self.dismiss(None)
