"""Settings for this session: the interface language (``n`` Nederlands, ``e`` English).

The configured language stays in ``[ui] language``; this switches the running app."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reactieveld.tui.i18n import LANGUAGE_NAMES, I18n

_KEYS = {"n": "nl", "e": "en"}


class SettingsScreen(ModalScreen[str | None]):
    """Dismisses with the chosen language code, or ``None``."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="settings.cancel")]

    def __init__(self, i18n: I18n) -> None:
        super().__init__()
        self.i18n = i18n

    def compose(self) -> ComposeResult:
        with Vertical(id="settings", classes="dialog"):
            yield Static(Content(self.i18n.t("settings.title")), classes="dialog-title")
            yield Static(Content(self.i18n.t("settings.language") + ":"))
            for key, code in _KEYS.items():
                mark = "●" if code == self.i18n.language else " "
                yield Static(
                    Content.assemble(
                        (f" {key} ", "reverse bold"), f" {mark} {LANGUAGE_NAMES[code]}"
                    )
                )

    def on_key(self, event: events.Key) -> None:
        if event.character in _KEYS:
            event.stop()
            self.dismiss(_KEYS[event.character])

    def action_cancel(self) -> None:
        self.dismiss(None)
