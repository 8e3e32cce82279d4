"""A paste into a one-line field longer than its room is cut to it between two
graphemes (h/tuibits cut it at a code point)."""

from __future__ import annotations

import random

from textual import events
from textual.app import App, ComposeResult

from reactieveld.tui.widgets.fields import OneLineInput

ZWJ = "\u200d"
#: Graphemes of one to four code points (none a pasted line changes: no space, no
#: U+FE0F after a narrow symbol).
GRAPHEMES = ["a", "é", "e\u0301", "👍\U0001f3fd", "🇳🇱", "👩" + ZWJ + "⚕", "ü", "o\u0308\u0301"]


class _Field(App[None]):
    def compose(self) -> ComposeResult:
        yield OneLineInput(id="field")


async def test_a_paste_cut_to_the_room_left_ends_between_two_graphemes() -> None:
    """Generated pastes into an empty field of ``max_length`` room each: the value is
    the longest start of the paste made of whole graphemes that fits (never a letter
    without its accent, a thumb without its tone, half a flag)."""
    pick = random.Random(7)
    app = _Field()
    async with app.run_test() as pilot:
        field = app.query_one(OneLineInput)
        for _ in range(80):
            parts = [pick.choice(GRAPHEMES) for _ in range(pick.randint(1, 12))]
            room = pick.randint(1, 20)
            field.value = ""
            field.max_length = room
            field.post_message(events.Paste("".join(parts)))
            await pilot.pause()
            whole = ""
            for part in parts:
                if len(whole + part) > room:
                    break
                whole += part
            assert field.value == whole, (parts, room)
