"""Text fields that keep the keys in the order they were typed."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from reactieveld.text import cut_whole, pasted_line
from reactieveld.tui.messages import passed_on, run_binding


class OneLineInput(Input):
    """An input that takes a paste as one clean line (:func:`pasted_line`): Textual's
    kept only the first line (a paste starting with a newline gave nothing) and put
    tabs, escape sequences, NUL and bidi controls in the value and on the screen. A
    paste longer than the room left is cut to it, between two graphemes (Textual
    refused it whole)."""

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # Input's own handler
        line = pasted_line(event.text)
        start, end = sorted(self.selection)
        if self.max_length:
            line = cut_whole(line, self.max_length - len(self.value) + (end - start))
        if line:
            self.replace(line, start, end)


class OrderedInput(OneLineInput):
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
