"""The queue's drawing without an app (tests/test_queue_columns.py, test_role_shorts.py)."""

from __future__ import annotations

from rich.style import Style

from reactieveld.tui.widgets.queue_list import QueueList


class PlainQueue(QueueList):
    """The queue's drawing without an app: no styles (the plain characters are tested)."""

    @property
    def rich_style(self) -> Style:  # type: ignore[override]
        return Style()

    def _style(self, name: str) -> Style:
        return Style()
