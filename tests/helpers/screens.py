"""Every screen of the app that has a help, opened from the queue as a user does
(tests/test_help_keys.py checks each one's help, tests/test_palette.py its palette)."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from helpers.app import app_with, settled
from reactieveld.reasons import ReasonsConfig

#: Every screen with a help: the keys that open it from the queue.
SCREENS: dict[str, tuple[str, ...]] = {
    "triage": (),
    "search": ("slash",),
    "search hits": ("slash", *"fietsers", "enter"),
    "history": ("h",),
    "thread": ("enter",),
    "dashboard": ("D",),
    "reply": ("r",),
    "note": ("n",),
    "draft": ("r", "x", "escape"),
    "quit": ("r", "x", "escape", "enter", "q"),
    "reason": ("d",),
    "filters": ("f",),
    "export": ("E",),
    "role": ("w",),
    "settings": ("f2",),
}


async def open_screen(app: Any, pilot: Any, name: str) -> Screen[Any]:
    """The screen ``name``, opened from the queue as a user does."""
    await app.screen.queue.loaded.wait()
    await settled(pilot)
    if SCREENS[name]:  # the queue itself: shown
        await pilot.press(*SCREENS[name])
        await settled(pilot)
    return app.screen


def screens_app(store: Any, language: str) -> Any:
    """The app on ``store`` in ``language`` whose trash asks a reason (the default list):
    the reason dialog is one of the screens."""
    return app_with(store, language, None, reasons=ReasonsConfig())
