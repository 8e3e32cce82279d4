"""The cursor in characters on every list, not only in colour.

Textual's lists show the item the keys act on by a background or an underline alone,
which ``NO_COLOR``, a monochrome terminal or a copy of the screen does not show. These
draw the queue's cursor mark (:data:`~reactieveld.tui.widgets.queue_list.CURSOR_MARK`,
``▶``) in a column of their own before the item under the cursor (on its first line), and
keep that column blank for every other item, so nothing shifts as the cursor moves:

- :class:`CursorOptionList`: an option list (search hits, an author's history);
- :class:`CursorSelect`: a select whose drop-down list marks its cursor (the filters),
  and whose labels, its current one and its list's, end in "…" where they are cut;
- :class:`CursorTree`: a tree (a thread), the mark before the tree's guides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.content import Content
from textual.strip import Strip
from textual.visual import Visual
from textual.widgets import OptionList, Select, Tree
from textual.widgets._select import NonSelectableStatic, SelectCurrent, SelectOverlay

from reactieveld.text import shorten
from reactieveld.tui.widgets.queue_list import CURSOR_MARK

if TYPE_CHECKING:
    from textual.app import ComposeResult

#: The cells of the cursor's column: the mark and a space.
GUTTER = 2


def cursor_cell(on: bool) -> str:
    """The cursor's column: ``"▶ "`` on the item under the cursor, else blank."""
    return CURSOR_MARK + " " if on else " " * GUTTER


def _lead(on: bool, line: Strip, fallback: Style) -> Strip:
    # The mark in the style the line starts with (a highlighted line's background too).
    style = next((s.style for s in line if s.style is not None), fallback)
    if on:
        style = style + Style(bold=True)
    return Strip([Segment(cursor_cell(on), style)], GUTTER)


class _CursorGutter:
    """For an :class:`OptionList`: the cursor's column left of its options."""

    def _get_left_gutter_width(self) -> int:
        return GUTTER

    def render_line(self, y: int) -> Strip:
        this: Any = self
        line: Strip = super().render_line(y)  # type: ignore[misc]
        width = this.scrollable_content_region.width
        try:
            index, offset = this._lines[this.scroll_offset.y + y]
        except IndexError:  # below the last option: a blank line of the full width
            return line
        if line.cell_length + GUTTER > width:
            return line
        on = offset == 0 and index == this.highlighted
        fallback = this.get_visual_style("option-list--option").rich_style
        return Strip.join([_lead(on, line, fallback), line])


class CursorOptionList(_CursorGutter, OptionList):
    """An option list with ``▶`` before the highlighted option's first line, and its
    ``enter`` in the footer (Textual's is unshown, so nothing said what enter does on a
    hit): its screen labels it by the id ``list.select``."""

    # A hit is its lines, each cut with "…": a long snippet wrapped onto more lines,
    # below none of the indent its first line has.
    DEFAULT_CSS = "CursorOptionList { text-wrap: nowrap; text-overflow: ellipsis; }"

    BINDINGS = [Binding("enter", "select", "Select", id="list.select")]


def cut_to(visual: Visual, width: int) -> Visual:
    """``visual`` in at most ``width`` cells on one line, ending in "…" where it is cut
    (:func:`~reactieveld.text.shorten`, as the queue's columns), its styles kept. Before
    the first layout (no width yet) it stays whole."""
    if width <= 0 or not isinstance(visual, Content):
        return visual
    cut = shorten(visual.plain, width)
    return visual if cut == visual.plain else visual[: len(cut) - 1] + "\N{HORIZONTAL ELLIPSIS}"


class CursorSelectOverlay(_CursorGutter, SelectOverlay):
    """A select's drop-down list with ``▶`` before the highlighted option, each option on
    one line cut with "…" to the list's width (Textual cut a long one without a sign,
    or wrapped it)."""

    def _get_visual(self, option: Any) -> Visual:
        padding = self.get_component_styles("option-list--option").padding
        room = self.scrollable_content_region.width - GUTTER - padding.width
        return cut_to(super()._get_visual(option), room)


class _CutLabel(NonSelectableStatic):
    """A select's current label on its one line, cut with "…" to its width."""

    def render(self) -> Visual:
        return cut_to(self.visual, self.size.width)


class _CutCurrent(SelectCurrent):
    """A select's closed face: its label cut with "…" where it does not fit."""

    def compose(self) -> ComposeResult:
        # As SelectCurrent.compose, with the cut label (queried as "#label").
        yield _CutLabel(self.placeholder, id="label")
        yield NonSelectableStatic("▼", classes="arrow down-arrow")
        yield NonSelectableStatic("▲", classes="arrow up-arrow")


class CursorSelect(Select[Any]):
    """A select whose drop-down list shows its cursor in characters, and whose labels
    end in "…" where they are cut (a codebook's long questions)."""

    DEFAULT_CSS = "CursorSelect #label { height: 1; }"

    def compose(self) -> ComposeResult:
        # As Select.compose, with the marking overlay and the cut label (queried as
        # SelectOverlay and SelectCurrent).
        yield _CutCurrent(self.prompt)
        yield CursorSelectOverlay(type_to_search=self._type_to_search).data_bind(
            compact=Select.compact
        )


class CursorTree(Tree[Any]):
    """A tree with ``▶`` in the first column of the node under the cursor; the column is
    blank on every other line, so the guides stay where they are."""

    def get_label_width(self, node: Any) -> int:
        # The tree's width for scrolling: the cursor's column is on every line.
        return super().get_label_width(node) + GUTTER

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line_no = y + scroll_y
        width = self.size.width
        if line_no >= len(self._tree_lines) or width <= GUTTER:
            return super().render_line(y)
        base = self.rich_style
        line = self._render_line(line_no, scroll_x, scroll_x + width - GUTTER, base)
        return Strip.join([_lead(line_no == self.cursor_line, Strip([]), base), line])
