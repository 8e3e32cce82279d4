"""``h`` on the triage screen: every other response by the author, with tags; ``enter``
jumps to one in the queue, ``escape`` returns. And help and palette list every key."""

from __future__ import annotations

import dataclasses
from datetime import UTC

import pytest
from helpers.app import press, ready, settled, until
from textual.widgets import OptionList

from reactieveld.tui.commands import ScreenCommands
from reactieveld.tui.screens.help import HelpScreen
from reactieveld.tui.screens.search import AuthorHistoryScreen

SIZE = (120, 36)


async def open_history(app, pilot) -> AuthorHistoryScreen:  # type: ignore[no-untyped-def]
    """``h`` on the triage screen: the author's history, loaded."""
    await press(pilot, "h")
    history = app.screen
    assert isinstance(history, AuthorHistoryScreen)
    await history.loaded.wait()
    return history


async def test_h_lists_the_authors_responses_with_tags_and_enter_jumps(tui_store, make_app):
    # c29, c24, c19, ... are by the same author (same e-mail address: the same author key).
    c24 = await tui_store.get_by_external("blog", "c24")
    await tui_store.toggle_question([c24.response.id], "2", actor="tester")
    await tui_store.set_role([c24.response.id], "raad", actor="tester")
    app = make_app(tui_store, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        assert screen.queue.current.response.external_id == "c29"
        await press(pilot, "h")
        history = app.screen
        assert isinstance(history, AuthorHistoryScreen)
        await history.loaded.wait()
        assert [r.response.external_id for r in history.rows] == ["c24", "c19", "c14", "c9", "c4"]
        title = str(history.query_one("#history-title").render())
        assert title == "Earlier responses by Eva Smit: 5"
        first = history.query_one(OptionList).get_option_at_index(0).prompt.plain
        assert "#2" in first and "(Council member)" in first  # its tags
        # escape returns to the queue, cursor unmoved.
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.queue.current.response.external_id == "c29"
        # enter on the second one: the queue's cursor goes there.
        await press(pilot, "h")
        await app.screen.loaded.wait()
        await press(pilot, "down", "enter")
        assert app.screen is screen
        assert screen.queue.current.response.external_id == "c19"


async def test_h_in_the_thread_tree_takes_the_author_under_the_tree_cursor(tui_store, make_app):
    from textual.widgets import Tree

    from reactieveld.tui.screens.thread import ThreadScreen

    app = make_app(tui_store, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        await press(pilot, "enter")
        thread = app.screen
        assert isinstance(thread, ThreadScreen)
        tree = thread.query_one(Tree)
        await pilot.pause()
        selected = tree.cursor_node.data
        assert selected == screen.queue.current.response.id
        await pilot.press("up")  # another response of the thread
        await pilot.pause()
        other = await tui_store.get(tree.cursor_node.data)
        assert other is not None and other.response.author_name != "Eva Smit"
        await press(pilot, "h")
        history = app.screen
        assert isinstance(history, AuthorHistoryScreen)
        await history.loaded.wait()
        assert history.row.response.id == other.response.id
        assert all(r.response.author_name == other.response.author_name for r in history.rows)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is thread


async def test_h_finds_authors_without_an_address_by_name_within_the_source(
    tmp_path, tui_env, make_app
):
    from dataclasses import replace

    from helpers.data import fill_store, sample_responses

    from reactieveld.store.sqlite import SqliteStore

    store = await SqliteStore.open(tmp_path / "noaddr.db")
    try:
        responses, threads = sample_responses(count=10)
        await fill_store(store, "blog", [replace(r, author_email=None) for r in responses], threads)
        app = make_app(store, language="nl")
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            history = await open_history(app, pilot)
            assert [r.response.external_id for r in history.rows] == ["c4"]
            assert "Eerdere reacties van Eva Smit: 1" == str(
                history.query_one("#history-title").render()
            )
    finally:
        await store.close()


async def test_help_and_palette_list_every_key_including_the_app_keys(tui_store, make_app):
    app = make_app(tui_store, language="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        palette = {label: keys for label, keys, _ in ScreenCommands(screen)._commands()}
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_keys = {label: keys for keys, label, _ in app.screen.rows}
        expected = {
            "Earlier responses by this author": "h",
            "Dashboard: value of the dialogue": "D",
            "Export a report (md, csv, jsonl)": "E",
            "Search": "/",
            "Settings": "f2",
            "Quit": "q",
        }
        for label, keys in expected.items():
            assert help_keys[label] == keys, label
            assert palette[label] == keys, label
        assert help_keys["Commands"] == "^p"


async def test_a_full_history_says_it_is_the_newest_part(tui_store, make_app, monkeypatch):
    """An author of 216 other responses: the list holds the newest 200 and its title
    said "Earlier responses by ...: 200" (the response's own pane said 216). A full list
    says which part of how many it is."""
    from reactieveld.tui.screens import search

    monkeypatch.setattr(search, "HISTORY_LIMIT", 3)  # Eva Smit: 5 others (the test above)
    for language, title in (
        ("en", "Earlier responses by Eva Smit: the newest 3 of 5"),
        ("nl", "Eerdere reacties van Eva Smit: de nieuwste 3 van 5"),
    ):
        app = make_app(tui_store, language=language)
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            history = await open_history(app, pilot)
            assert [r.response.external_id for r in history.rows] == ["c24", "c19", "c14"]
            assert str(history.query_one("#history-title").render()) == title


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_a_long_authors_title_keeps_its_count_at_60_columns(tmp_path, tui_env, language):
    """At 60 columns the title of a long name's history was cut at the screen's edge:
    'Earlier responses by Gijs van Leeuwen (Fietsenmaker Eemnes):' and no count, nor a
    '…'. The title wraps now: every word of it is on screen."""
    from helpers.app import screen_text
    from helpers.data import fill_store, sample_responses

    from reactieveld.store.sqlite import SqliteStore
    from reactieveld.tui.app import ReactieveldApp

    responses, threads = sample_responses(count=10)
    name = "Gijs van Leeuwen (Fietsenmaker Eemnes en omstreken)"
    responses = [dataclasses.replace(r, author_name=name) for r in responses]
    store = await SqliteStore.open(tmp_path / "memory.db")
    try:
        await fill_store(store, "blog", responses, threads)
        app = ReactieveldApp(store, language=language, tz=UTC, actor="tester")
        async with app.run_test(size=(60, 20)) as pilot:
            await ready(app, pilot)
            history = await open_history(app, pilot)
            await settled(pilot)
            title = history.query_one("#history-title")
            said = str(title.render())
            assert said.endswith(f": {len(history.rows)}"), said
            lines, region = screen_text(app), title.region
            shown = " ".join(
                lines[y][region.x : region.right] for y in range(region.y, region.bottom)
            )
            assert shown.split() == said.split()
    finally:
        await store.close()


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_footer_of_a_list_of_hits_says_what_enter_does(tui_store, make_app, language):
    """On the search hits and an author's history the footer said "? Help esc Back q Quit
    h Author": enter, which opens the hit in the queue, was Textual's unshown key of the
    list. It reads "⏎ Open in the queue" now, in the screen's language, at 80 and 60
    columns."""
    from helpers.app import screen_text

    from reactieveld.i18n import I18n
    from reactieveld.tui.screens.search import SearchScreen

    said = "⏎ " + I18n(language).t("thread.open")
    app = make_app(tui_store, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(app, pilot)
        for size in ((80, 24), (60, 20)):
            await pilot.resize_terminal(*size)
            history = await open_history(app, pilot)
            # The footer redraws its keys a turn after the focus moved: wait for them.
            footer_says = lambda: said in screen_text(app)[-1]  # noqa: E731
            await until(pilot, footer_says, f"the history's footer at {size}")
            await press(pilot, "escape", "slash")
            search = app.screen
            assert isinstance(search, SearchScreen)
            search.query_one("#search-input").value = "centrum"  # type: ignore[attr-defined]
            await settled(pilot)
            await press(pilot, "enter")
            assert search.rows and search.focused is search.query_one(OptionList)
            await until(pilot, footer_says, f"the hits' footer at {size}")
            await press(pilot, "escape")
            assert app.screen is screen and history is not screen
