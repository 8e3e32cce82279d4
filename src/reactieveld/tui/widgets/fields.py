"""Text fields that keep the keys in the order they were typed."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from reactieveld.tui.messages import passed_on, run_binding


class OrderedInput(Input):
    """An input that runs the keys of bindings (its own ``backspace``, ``left``,
    ``enter``; the screen's ``escape``, ``ctrl+s``; the app's ``f2``) itself, in the
    order typed with the characters. Left to the app, a binding ran when its key had
    bubbled up there, after the field had taken the characters typed behind it (``ab
    backspace c`` gave ``ab``; a name typed, ``escape``, ``j``: the j went into the
    name of the closed dialog, not to the queue). Keys that reach it after its screen
    closed go on to the screen on top (``/ escape j``: j moves the queue)."""

    async def _on_key(self, event: events.Key) -> None:
        if passed_on(self, event):
            return
        if not self.check_consume_key(event.key, event.character) and await run_binding(
            self, event
        ):
            return
        await super()._on_key(event)
