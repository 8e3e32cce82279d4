"""A key and what it does, as the help and the dialogs list them: the key in its own
column, the description wrapping in the next. A description longer than its box goes on
under itself, never back under the keys (at 80x24 "Question 2: On which topics do we (not)
use / dialogue?" ran under the "2", and a draft's "keep ... (until you quit; ...)" under
"enter")."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static


class KeyRow(Horizontal):
    """``keys`` in a column ``width`` cells wide, then ``label`` wrapping beside it."""

    DEFAULT_CSS = """
    KeyRow { height: auto; }
    KeyRow > .key-row-label { width: 1fr; }
    """

    def __init__(self, keys: Content, label: Content, *, width: int) -> None:
        column = Static(keys, classes="key-row-keys")
        column.styles.width = width
        super().__init__(column, Static(label, classes="key-row-label"), classes="key-row")
