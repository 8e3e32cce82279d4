"""The dialogs' own lines, whatever is done in them: their hint lines say what the keys
do where the focus is, as the footer does (the period dialog's said "enter: apply" with
its Cancel button focused, where enter cancels); a paste into a one-line field is one
clean line (a tab, an escape sequence, a NUL or a bidi control went into the value and
garbled the dialog)."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from helpers.app import screen_text, settled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.app import App
from textual.widgets import Input, Static

from reactieveld.i18n import I18n
from reactieveld.text import cut_whole
from reactieveld.tui.screens.period import PeriodScreen
from reactieveld.tui.widgets.fields import OneLineInput

#: The period dialog's focus stops: the quick choices, three boxes, Apply, Cancel.
PERIOD_STOPS = 6


class PeriodHost(App[None]):
    """The period dialog, opened anew by :meth:`open`; what each one dismissed with."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[Any] = []

    def open(self, language: str) -> None:
        self.push_screen(PeriodScreen(i18n=I18n(language), shown=None), self.results.append)


async def test_the_period_hint_says_what_enter_does_where_the_focus_is() -> None:
    """At each focus stop (tab 0-5 times, at 60x20, in Dutch and English) the hint's
    "enter: ..." says what the footer's ⏎ says; on the last stop, the Cancel button,
    that is cancel, and enter cancels."""
    app = PeriodHost()
    async with app.run_test(size=(60, 20)) as pilot:
        for language in ("nl", "en"):
            app.open(language)
            await settled(pilot)
            dialog = app.screen
            assert isinstance(dialog, PeriodScreen)
            for stop in range(PERIOD_STOPS):
                hint = " ".join(str(dialog.query_one(".dialog-hint", Static).render()).split())
                said = re.search(r"enter: (\w+)", hint)
                footer = re.search(r"⏎ (\w+)", screen_text(app)[-1])
                assert said and footer, (hint, screen_text(app)[-1])
                assert said.group(1) == footer.group(1).lower(), (language, stop, app.focused)
                if stop < PERIOD_STOPS - 1:
                    await pilot.press("tab")
                    await settled(pilot)
            assert said.group(1) == I18n(language).t("period.hint.cancel")
            await pilot.press("enter")
            await settled(pilot)
            assert app.results == [None] * len(app.results), app.results


# Pasting into a one-line field: words of printable characters, between them whitespace
# (a tab, line breaks) with control characters, escape sequences and bidi controls, and
# such junk inside the words too. A user means the words, one space apart.
WORD = st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=6)
ESCAPE_SEQUENCES = st.sampled_from(["\x1b[2J", "\x1b[31;1m", "\x1b[H", "\x1b]0;titel\x07"])
BARE_CONTROLS = st.sampled_from(
    [chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x1B), 0x7F, 0x9A)]
    + ["\u202e", "\u2066", "\u200f", "\u061c"]
)
JUNK = st.lists(st.one_of(ESCAPE_SEQUENCES, BARE_CONTROLS), max_size=3).map("".join)
# NEL (U+0085) is a line break to a user (and to str.split): whitespace, not junk.
SPACE = st.lists(
    st.sampled_from([" ", "\t", "\n", "\r\n", "\r", "\u2028", "\x85", "\xa0"]), min_size=1
)


@st.composite
def pastes(draw: st.DrawFn) -> tuple[str, str]:
    """A paste and the line a user expects from it."""
    words = draw(st.lists(WORD, min_size=1, max_size=5))
    text = draw(JUNK) + draw(SPACE.map("".join)) * draw(st.booleans())
    for i, word in enumerate(words):
        at = draw(st.integers(0, len(word)))
        text += word[:at] + draw(JUNK) + word[at:]
        if i < len(words) - 1:
            text += draw(JUNK) + "".join(draw(SPACE)) + draw(JUNK)
    return text + draw(JUNK) + draw(SPACE.map("".join)) * draw(st.booleans()), " ".join(words)


def test_every_one_line_field_takes_a_paste_as_one_line() -> None:
    """Each text field of the app (the period's boxes, search, export's file, the
    reason's "other") is a OneLineInput: none keeps Textual's own paste."""
    import reactieveld.tui.screens.export
    import reactieveld.tui.screens.reason
    import reactieveld.tui.screens.search  # noqa: F401

    def below(cls: type) -> list[type]:
        return [cls, *(sub for c in cls.__subclasses__() for sub in below(c))]

    ours = [cls for cls in below(Input) if cls.__module__.startswith("reactieveld.")]
    assert {"PeriodBox", "SearchBox", "PathBox", "OwnWords"} <= {cls.__name__ for cls in ours}
    assert all(issubclass(cls, OneLineInput) for cls in ours), ours


@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(pastes(), min_size=9, max_size=9), st.sampled_from(["nl", "en"]))
def test_a_paste_into_the_period_boxes_is_one_line_and_moves_nothing(
    pasted: list[tuple[str, str]], language: str
) -> None:
    """At 60x20, each generated paste into a box of the period dialog (emptied first):
    the box holds the words one space apart (what fits in its length), nothing else of
    the paste is on screen, and the dialog keeps its place and size with nothing
    scrolled (a tab, an escape sequence or a control character laid out garbled it)."""
    asyncio.run(_paste_into_the_period_boxes(pasted, language))


async def _paste_into_the_period_boxes(pasted: list[tuple[str, str]], language: str) -> None:
    app = PeriodHost()
    async with app.run_test(size=(60, 20)) as pilot:
        app.open(language)
        await pilot.pause()
        dialog = app.screen
        box = dialog.query_one("#period")
        region = box.region
        for i, (text, meant) in enumerate(pasted):
            field = dialog.query_one(f"#period-{('since', 'until', 'days')[i % 3]}", Input)
            field.focus()
            field.value = ""
            await pilot.pause()
            field.post_message(events.Paste(text))
            await pilot.pause()
            # Cut between graphemes where the box is full (never half a flag).
            assert field.value == cut_whole(meant, field.max_length), (text, field.value)
            assert (box.region, box.scroll_offset, box.max_scroll_y) == (region, (0, 0), 0)
            shown = "".join(screen_text(app))
            assert all(c.isprintable() for c in shown), repr(text)
