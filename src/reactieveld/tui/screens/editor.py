"""A small text editor in a dialog, for replies and notes (``ctrl+s`` sends/saves)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class EditorScreen(ModalScreen[str | None]):
    """Dismisses with the text (stripped, never empty) on ``ctrl+s``, ``None`` on escape."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
    ]

    def __init__(self, title: str, hint: str, *, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.initial = text

    def compose(self) -> ComposeResult:
        with Vertical(id="editor", classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield TextArea(self.initial, id="editor-text", soft_wrap=True)
            yield Static(Content(self.hint), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
