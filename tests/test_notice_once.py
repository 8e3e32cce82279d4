"""A notice is drawn once, whatever screen is on top: each screen has its own rack of the
app's notices, and the screen under a dialog drew its rack too (after ``E``, ctrl+s, f2
the export's line showed twice, under and over the settings). 80x24, NO_COLOR."""

from __future__ import annotations

from typing import Any

import pytest
from helpers.app import SMALL, screen_text, settled
from helpers.screens import SCREENS, open_screen, screens_app
from textual.screen import ModalScreen

from reactieveld.tui.screens.settings import SettingsScreen
from reactieveld.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")


def _times_drawn(app: Any, first_words: str) -> int:
    return "\n".join(screen_text(app)).count(first_words)


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_exports_notice_is_drawn_once_under_f2(
    tui_store: Any, tmp_path: Any, monkeypatch: Any, language: str
) -> None:
    monkeypatch.chdir(tmp_path)
    app = screens_app(tui_store, language)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await open_screen(app, pilot, "triage")
        await pilot.press("E")
        await settled(pilot)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settled(pilot)
        [said] = [n.message for n in app._notifications]
        words = said[:24]
        assert _times_drawn(app, words) == 1
        await pilot.press("f2")
        await settled(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert _times_drawn(app, words) == 1, screen_text(app)
        await pilot.press("escape")
        await settled(pilot)
        assert isinstance(app.screen, TriageScreen)
        assert _times_drawn(app, words) == 1, screen_text(app)  # back on the queue's rack


#: Full screens: they hide the queue, nothing of it is seen through them.
FULL = {"search", "history", "thread", "dashboard"}
#: The dialogs one key opens from the queue (the queue seen around them), escape closes.
DIALOGS = [name for name, keys in SCREENS.items() if len(keys) == 1 and name not in FULL]


async def test_a_notice_is_drawn_once_over_every_screen(tui_store: Any) -> None:
    app = screens_app(tui_store, "en")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        queue = await open_screen(app, pilot, "triage")
        # Long, as the export's line: its toast is taller than the offset between racks.
        said = "Notice-under-test: " + " ".join(["a line that wraps"] * 8)
        app.notify(said, timeout=600, markup=False)
        await settled(pilot)
        for name in [*DIALOGS, "help"]:
            if name == "help":
                await pilot.press("question_mark")
                await settled(pilot)
            else:
                await open_screen(app, pilot, name)
            assert isinstance(app.screen, ModalScreen), name
            assert _times_drawn(app, "Notice-under-test") == 1, (name, screen_text(app))
            while app.screen is not queue:
                await pilot.press("escape")
                await settled(pilot)
        assert _times_drawn(app, "Notice-under-test") == 1
