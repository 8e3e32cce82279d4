"""The planning questions (keys 1–8) and the role of the current response.

Each question shows its key, a ``✓`` when the response has it (so the state reads in
plain characters too, not only as reverse video) and its label. The labels use the width
there is: a short label keeps its room whole and gives the rest to the long ones; on a
tall screen the bar takes up to three lines before it cuts a label with "…".
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.widgets import Static

from reactieveld.codebook import Codebook
from reactieveld.i18n import I18n
from reactieveld.model import TagKind
from reactieveld.store.base import QueueRow
from reactieveld.text import one_line, shorten

TAG_ON = "✓"
#: Lines the bar may take, by screen height: one on a small terminal (80x24 needs its
#: rows for the queue and the response), two from 30 rows, three from 40.
LINES_BY_HEIGHT = ((40, 3), (30, 2))


def fit_widths(needs: Sequence[int], room: int) -> list[int]:
    """Share ``room`` cells among items that want ``needs`` cells: every item gets what
    it needs if all fit; else the short ones keep theirs and the long ones share the rest
    equally (water-filling), so no label is cut that could have been whole."""
    if sum(needs) <= room:
        return list(needs)
    widths = [0] * len(needs)
    left = list(range(len(needs)))
    while left:
        share = max(room // len(left), 1)
        fits = [i for i in left if needs[i] <= share]
        if not fits:
            for i in left:
                widths[i] = share
            break
        for i in fits:
            widths[i] = needs[i]
            room -= needs[i]
        left = [i for i in left if i not in fits]
    return widths


def layout_lines(items: Sequence[str], width: int, max_lines: int) -> list[list[str]]:
    """``items`` in at most ``max_lines`` lines of ``width`` cells (one space between
    items): whole where they fit in as few lines as that takes, else spread evenly over
    ``max_lines`` lines and shortened with "…"."""
    lines: list[list[str]] = [[]]
    used = 0
    for item in items:
        need = cell_len(item) + (1 if lines[-1] else 0)
        if lines[-1] and used + need > width:
            lines.append([])
            used, need = 0, cell_len(item)
        lines[-1].append(item)
        used += need
    if len(lines) <= max_lines and all(cell_len(" ".join(line)) <= width for line in lines):
        return lines
    per_line = -(-len(items) // max_lines)
    out = []
    for start in range(0, len(items), per_line):
        chunk = list(items[start : start + per_line])
        room = width - (len(chunk) - 1)
        widths = fit_widths([cell_len(x) for x in chunk], room)
        out.append([shorten(x, max(w, 1), words=False) for x, w in zip(chunk, widths, strict=True)])
    return out


class TagBar(Static):
    """Shows which question tags the response has (``✓`` and highlighted)."""

    DEFAULT_CSS = """
    TagBar { height: 1; background: $boost; }
    """

    def __init__(self, *, i18n: I18n, codebook: Codebook, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.i18n = i18n
        self.codebook = codebook
        self.row: QueueRow | None = None
        self._lines = 1

    def show(self, row: QueueRow | None) -> None:
        """Draw the tags of ``row``."""
        self.row = row
        self._draw()

    def on_resize(self, event: events.Resize) -> None:
        # The labels' room follows the width (and the lines the screen's height).
        self._draw()

    def _draw(self) -> None:
        content = self.render_content()
        lines = content.plain.count("\n") + 1
        if lines == self._lines:
            # The same height: no layout of the screen on the cursor's key path.
            self.update(content, layout=False)
            return
        self._lines = lines
        self.styles.height = lines
        self.update(content)

    def render_content(self, width: int | None = None, max_lines: int | None = None) -> Content:
        """Question keys with their labels; the role at the end (of the last line)."""
        lang = self.i18n.language
        have = set(self.row.questions) if self.row else set()
        width = width or self.size.width or 80
        if max_lines is None:
            height = self.app.size.height if self.is_attached else 0
            max_lines = next((n for h, n in LINES_BY_HEIGHT if height >= h), 1)
        role = self.row.role if self.row else None
        role_text = ""
        if role:
            role_text = "│ " + one_line(self.codebook.label(TagKind.ROLE, role, lang), limit=30)
        questions = self.codebook.questions
        items = [
            f"{q.key}{TAG_ON if q.code in have else ' '}{one_line(q.label(lang), limit=200)}"
            for q in questions
        ]
        # The role keeps its room on the last line: reserve it by a placeholder item.
        if role_text:
            items.append(role_text)
        lines = layout_lines(items, width, max_lines)
        parts: list[str | tuple[str, str]] = []
        k = 0
        for n, line in enumerate(lines):
            if n:
                parts.append("\n")
            for i, text in enumerate(line):
                if i:
                    parts.append(" ")
                if k < len(questions):
                    on = questions[k].code in have
                    parts.append((text, "reverse bold" if on else "dim"))
                else:
                    parts.append((text, "bold"))
                k += 1
        return Content.assemble(*parts)
