"""Every list of keys in the app (the help, the draft question, the quit question) puts
the key in its own column and lets the description wrap beside it, never back under the
key: at 80x24 the draft question's "enter  Bewaren als concept voor deze sessie (tot je /
stopt; ...)" ran on under "enter" (a tryout), as the help's questions did."""

from __future__ import annotations

from typing import Any

import pytest
from helpers.app import SMALL, app_with, press, ready, screen_text, settle

from reactieveld.tui.screens.editor import DraftQuestion, QuitQuestion
from reactieveld.tui.screens.help import HelpScreen
from reactieveld.tui.widgets.keyrow import KeyRow

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")

#: The keys that open each list from the queue, and the screen that shows it.
LISTS = {
    "help": (("question_mark",), HelpScreen),
    "draft question": (("r", *"Dank u wel", "escape"), DraftQuestion),
    "quit question": (("r", *"Dank u wel", "escape", "enter", "q"), QuitQuestion),
}


def _rows_as_drawn(app: Any) -> list[tuple[str, list[str], list[str]]]:
    """Each key row on screen, as drawn: its keys, its key column's lines and its
    description column's lines."""
    text = screen_text(app)
    out = []
    for row in app.screen.query(KeyRow):
        keys, label = row.children
        box = row.parent.scrollable_content_region  # what of the list is in view
        if not (box.y <= row.region.y and row.region.bottom <= box.bottom):
            continue  # scrolled out of the box, or partly
        lines = text[row.region.y : row.region.y + row.region.height]
        key_part = [line[keys.region.x : keys.region.right] for line in lines]
        label_part = [line[label.region.x : label.region.right] for line in lines]
        out.append((str(keys.render()).strip(), key_part, label_part))
    return out


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", list(LISTS))
async def test_a_description_wraps_beside_its_key(tui_store: Any, language: str, name: str):
    keys, screen = LISTS[name]
    app = app_with(tui_store, language, None)
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await press(pilot, *keys)
        await settle(app, pilot)
        assert isinstance(app.screen, screen)
        rows = _rows_as_drawn(app)
        assert rows
        wrapped = 0
        for key, key_lines, label_lines in rows:
            assert key_lines[0].strip() == key
            assert all(not line.strip() for line in key_lines[1:]), key_lines
            assert label_lines[0].strip()
            wrapped += len(label_lines) > 1
        if name == "draft question" and language == "nl":
            assert wrapped  # the draft's long "keep" (the help's: tests/test_help_keys.py)
