"""The help screen (``?``): every key, what it does, and why it is greyed out now."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """A list of (keys, description, reason) rows; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    def __init__(self, rows: Sequence[tuple[str, str, str | None]]) -> None:
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        i18n = self.app.i18n  # type: ignore[attr-defined]
        width = max((len(k) for k, _, _ in self.rows), default=4) + 2
        parts: list[str | tuple[str, str]] = [
            (i18n.t("help.title") + "\n\n", "bold"),
        ]
        for keys, label, reason in self.rows:
            parts.append((keys.ljust(width), "bold $accent" if not reason else "dim"))
            parts.append((label, "" if not reason else "dim"))
            if reason:
                parts.append((f"  — {i18n.t('help.disabled')}: {reason}", "italic dim"))
            parts.append("\n")
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(Content.assemble(*parts), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
