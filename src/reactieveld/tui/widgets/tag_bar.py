"""The planning questions (keys 1–8) and the role of the current response, in one line."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from reactieveld.codebook import Codebook
from reactieveld.model import TagKind
from reactieveld.store.base import QueueRow
from reactieveld.tui.i18n import I18n
from reactieveld.tui.safe import one_line


class TagBar(Static):
    """Shows which question tags the response has; the active ones are highlighted."""

    DEFAULT_CSS = """
    TagBar { height: 1; background: $boost; }
    """

    def __init__(self, *, i18n: I18n, codebook: Codebook, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.i18n = i18n
        self.codebook = codebook
        self.row: QueueRow | None = None

    def show(self, row: QueueRow | None) -> None:
        """Draw the tags of ``row``."""
        self.row = row
        self.update(self.render_content())

    def render_content(self) -> Content:
        """Question keys with short labels; the role at the end."""
        lang = self.i18n.language
        have = set(self.row.questions) if self.row else set()
        parts: list[str | tuple[str, str]] = []
        width = max(self.size.width, 80)
        questions = self.codebook.questions
        role = self.row.role if self.row else None
        role_text = ""
        if role:
            role_text = " " + one_line(self.codebook.label(TagKind.ROLE, role, lang), limit=30)
        room = max((width - len(role_text) - 2) // max(len(questions), 1) - 1, 3)
        for q in questions:
            label = one_line(f"{q.key} {q.label(lang)}", limit=room)
            if len(label) >= room:
                label = label[: room - 1] + "…"
            style = "reverse bold" if q.code in have else "dim"
            parts.append((label, style))
            parts.append(" ")
        if role_text:
            parts.append(("│", "dim"))
            parts.append((role_text, "bold"))
        return Content.assemble(*parts)
