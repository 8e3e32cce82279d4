"""The dialogs' own hint lines say what the keys do where the focus is, as the footer
does: the period dialog's said "enter: apply" with its Cancel button focused, where
enter cancels."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Static

from reactieveld.i18n import I18n
from reactieveld.tui.screens.period import PeriodChoice, PeriodScreen

#: The period dialog's focus stops: the quick choices, three boxes, Apply, Cancel.
PERIOD_STOPS = 6


class PeriodHost(App[None]):
    """The period dialog, opened anew by :meth:`open`; what each one dismissed with."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.results: list[Any] = []

    def open(self) -> None:
        self.push_screen(PeriodScreen(i18n=I18n(self.language), shown=None), self.results.append)


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_period_hint_says_what_enter_does_where_the_focus_is(language: str) -> None:
    """From each focus stop (tab 0-5 times, at 60x20): the hint's "enter: ..." names
    what enter then does (apply or cancel), as the footer's ⏎ does."""
    t = I18n(language).t
    words = {True: t("period.hint.apply"), False: t("period.hint.cancel")}
    app = PeriodHost(language)
    async with app.run_test(size=(60, 20)) as pilot:
        for stop in range(PERIOD_STOPS):
            app.open()
            await pilot.pause()
            await pilot.press(*["tab"] * stop)
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, PeriodScreen)
            hint = " ".join(str(dialog.query_one(".dialog-hint", Static).render()).split())
            said = re.search(r"enter: (\w+)", hint)
            assert said, hint
            await pilot.press("enter")
            await pilot.pause()
            applied = isinstance(app.results[-1], PeriodChoice)
            assert app.results[-1] is None or applied
            where = (stop, app.focused)
            assert said.group(1) == words[applied], where
