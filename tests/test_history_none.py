"""``h`` on an author with nothing else in the memory showed an empty box titled
"...: 0" (at 80x24 the title's start scrolled away: ": 0"). It says in words that the
memory holds nothing else by this author, naming the author, Dutch and English."""

from __future__ import annotations

from typing import Any

import pytest
from helpers.app import SMALL, press, ready, screen_text, settled
from helpers.data import sample_store

from reactieveld.i18n import text
from reactieveld.tui.screens.search import AuthorHistoryScreen

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_h_on_an_author_with_nothing_else_says_so(
    tmp_path: Any, make_app: Any, language: str
) -> None:
    store = await sample_store(tmp_path / "m.db", count=1)  # one response: nothing else
    try:
        app = make_app(store, language=language)
        async with app.run_test(size=SMALL) as pilot:
            screen = await ready(app, pilot)
            author = screen.queue.current.response.author_name
            await press(pilot, "h")
            history = app.screen
            assert isinstance(history, AuthorHistoryScreen)
            await history.loaded.wait()
            await settled(pilot)
            assert history.rows == []
            said = str(history.query_one("#history-title").render())
            assert said == text("search.history_none", language, author=author)
            assert not said.rstrip().endswith(": 0")
            shown = " ".join(" ".join(screen_text(app)).split())
            assert " ".join(said.split()) in shown  # whole at 80x24
            hint = text("search.history_none_hint", language)
            assert hint in shown
    finally:
        await store.close()
