"""Help is visible on every full screen at 80x24, and its key opens it (issue 11).

Each screen is read as plain characters (as in test_plain_screen): its last line, the
footer, starts with ``? Help`` in Dutch and English, because KeyFooter puts help first
before Textual cuts the line at 80 columns. Then the help key opens the help screen with
that screen's own keys on it. On the search screen the box takes ``?`` as a character
(a search may hold one), so f1 opens help there, and the footer says f1 while the box has
the focus.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers.app import SMALL, app_with, screen_text, settled
from textual.screen import Screen
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from reactieveld.i18n import I18n
from reactieveld.tui.screens.dashboard import DashboardScreen
from reactieveld.tui.screens.help import HelpScreen
from reactieveld.tui.screens.search import AuthorHistoryScreen, SearchScreen
from reactieveld.tui.screens.thread import ThreadScreen
from reactieveld.tui.screens.triage import TriageScreen
from reactieveld.tui.widgets.footer import DISABLED_MARK, KeyFooter

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")


async def _open(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await settled(pilot)


async def _from_the_queue(app: Any, pilot: Any, *keys: str) -> None:
    """Once the queue is in, ``keys`` (those that open a screen from it)."""
    await app.screen.queue.loaded.wait()
    await settled(pilot)
    await _open(pilot, *keys)


#: screen -> (keys that open it from the triage screen, its class, its help key, a label
#: of one of its own keys the help lists)
SCREENS: dict[str, tuple[tuple[str, ...], type[Screen[Any]], str, str]] = {
    "triage": ((), TriageScreen, "question_mark", "key.help"),
    "search": (("slash",), SearchScreen, "f1", "key.back"),
    "history": (("h",), AuthorHistoryScreen, "question_mark", "key.back"),
    "thread": (("enter",), ThreadScreen, "question_mark", "thread.fold"),
    "dashboard": (("D",), DashboardScreen, "question_mark", "key.back"),
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", list(SCREENS))
async def test_every_screen_shows_and_opens_help_at_80x24(
    tui_store: Any, language: str, name: str
) -> None:
    keys, cls, help_key, own = SCREENS[name]
    t = I18n(language).t
    app = app_with(tui_store, language, None)
    async with app.run_test(size=SMALL) as pilot:
        await _from_the_queue(app, pilot, *keys)
        screen = app.screen
        assert type(screen) is cls
        assert isinstance(screen.query_one("Footer"), KeyFooter)
        footer = screen_text(app)[-1]
        # The key that works now: on the search box, where "?" is text, f1.
        shown_key = "f1" if help_key == "f1" else "?"
        assert footer.startswith(f"{shown_key} {t('key.help')}"), footer
        await _open(pilot, help_key)
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(screen_text(app))
        await _open(pilot, "end")  # the queue's help is longer than 24 lines
        shown += "\n".join(screen_text(app))
        # Its keys, and the app's (^p; not Textual's ^q where the screen takes q).
        assert t(own) in shown and t("key.palette") in shown
        await _open(pilot, "escape")
        assert app.screen is screen


async def test_question_mark_is_text_in_the_search_box(tui_store: Any) -> None:
    app = app_with(tui_store, "nl", None)
    async with app.run_test(size=SMALL) as pilot:
        await app.screen.queue.loaded.wait()  # type: ignore[attr-defined]
        await _open(pilot, "slash")
        await _open(pilot, *"fietsers?")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one(Input).value == "fietsers?"
        assert app.screen.rows  # a search with a "?" in it finds the word
        # Off the box (the hits), "?" is the help key again, and the footer says so.
        await _open(pilot, "down")
        assert not app.screen.query_one(Input).has_focus
        assert screen_text(app)[-1].startswith("? Help")
        await _open(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_the_footer_is_rebuilt_only_when_its_keys_change(tui_store: Any) -> None:
    """Bindings are refreshed after every cursor move and message; Textual's footer then
    removes and mounts all its keys again. Ours keeps them while they read the same, and
    shows a key's new state when it changes."""
    app = app_with(tui_store, "en", None)
    async with app.run_test(size=SMALL) as pilot:
        await app.screen.queue.loaded.wait()  # type: ignore[attr-defined]
        await settled(pilot)
        screen = app.screen
        footer = screen.query_one(KeyFooter)
        before = list(footer.query(FooterKey))
        screen.refresh_bindings()
        await settled(pilot)
        assert all(a is b for a, b in zip(footer.query(FooterKey), before, strict=True))
        real = screen.check_action

        def no_spam(action: str, parameters: tuple[object, ...]) -> bool | None:
            # None: the key shows, greyed (as for a platform that cannot mark spam).
            spam = action == "moderate" and parameters == ("spam",)
            return None if spam else real(action, parameters)

        screen.check_action = no_spam  # type: ignore[method-assign]
        screen.refresh_bindings()
        await settled(pilot)
        assert not any(a is b for a, b in zip(footer.query(FooterKey), before, strict=False))
        assert f"{DISABLED_MARK}Spam" in screen_text(app)[-1]


def _cut_keys(footer: str, keys: list[tuple[str, str]]) -> list[str]:
    """The footer's items that are not on the line whole (``key description``)."""
    return [f"{d} {t}".strip() for d, t in keys if f"{d} {t}".strip() not in footer]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", list(SCREENS))
@pytest.mark.parametrize("width", [80, 60, 24])
async def test_the_footer_shows_only_whole_keys_and_always_help(
    tui_store: Any, language: str, name: str, width: int
) -> None:
    """At 80x24 the footer ended in half a key ("w Rol r Rep"): it now shows the items
    that fit whole, help first, and leaves out the rest (the help screen lists them)."""
    keys, _cls, help_key, _own = SCREENS[name]
    t = I18n(language).t
    app = app_with(tui_store, language, None)
    async with app.run_test(size=SMALL) as pilot:
        await _from_the_queue(app, pilot, *keys)
        await pilot.resize_terminal(width, 24)
        await settled(pilot)
        footer = screen_text(app)[-1]
        shown = [
            (k.key_display, k.description)
            for k in app.screen.query_one(KeyFooter).query(FooterKey)
            if k.display
        ]
        assert shown, footer
        assert _cut_keys(footer, shown) == [], footer
        assert footer.startswith(("f1" if help_key == "f1" else "?") + f" {t('key.help')}")
        # Every item shown ends before the line does, whole: the last cell is no letter
        # of a key cut off, and the line is not wider than the terminal.
        assert len(footer) == width


def test_help_stays_when_nothing_else_fits() -> None:
    from reactieveld.tui.widgets.footer import ShownKey, fitting

    def key(display: str, text: str, action: str, classes: str = "") -> ShownKey:
        return ShownKey(display, display, text, action, True, "", classes)

    items = [
        key("?", "Help", "help"),
        key("q", "Quit", "quit"),
        key("^p", "palette", "command_palette", "-command-palette"),
    ]
    assert [k.action for k in fitting(items, 80)] == ["help", "quit", "command_palette"]
    assert [k.action for k in fitting(items, 18)] == ["help", "command_palette"]  # 6 + 1 + 11
    assert [k.action for k in fitting(items, 8)] == ["help"]  # help first, even alone
