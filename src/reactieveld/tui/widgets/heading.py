"""A heading that is never cut: its parts fill the width it is given and go on to the
next line between two parts, not inside one (:func:`reactieveld.text.fit_parts`).

A ``Label`` keeps its text on one line and a narrow screen cut it: at 60 columns the
dashboard read "Reacties per dag per bron: 2026-11-08 – 2026-12-07 (30 da", the
period's length and its time zone gone. A ``Static`` wraps, but at any space: a period
or a "code = label" pair split over two lines. This one puts the period whole on the
next line, and wider than the screen (it never is at 60 columns) wraps it at its spaces.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from reactieveld.text import fit_parts


class Heading(Widget):
    """``parts`` joined by ``sep`` in the widget's width, every line whole."""

    DEFAULT_CSS = """
    Heading { width: 100%; height: auto; }
    """

    def __init__(
        self,
        *parts: str,
        sep: str = " · ",
        hang: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.parts: tuple[str, ...] = parts
        self.sep = sep
        self.hang = hang

    def show(self, parts: Sequence[str]) -> None:
        """Draw ``parts`` instead (as many lines as they take in the width)."""
        self.parts = tuple(parts)
        self.refresh(layout=True)

    def lines(self, width: int) -> list[str]:
        """The heading's lines in ``width`` cells."""
        return fit_parts(self.parts, max(width, 1), sep=self.sep, hang=self.hang)

    @property
    def plain(self) -> str:
        """The heading as one line, whatever the width (its parts joined)."""
        return self.sep.join(self.parts)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(len(line) for line in self.lines(container.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> RenderResult:
        # Untrusted parts (a source's name) are drawn as text: Content never parses markup.
        return Content("\n".join(self.lines(self.content_region.width or self.size.width)))
