"""The cursor in characters on every list (``▶``), not only as a background or underline.

Each list the keys move through is read as plain characters (the compositor's strips
without styles) under ``NO_COLOR`` at 80x24, in Dutch and English: the cursor's mark is on
exactly one line, that line is the item the screen's state says is under the cursor, the
mark moves with ``down`` (``j`` in the thread), and ``enter`` acts on the item whose line
carries it (the queue's cursor lands on that response; the filter chosen filters the
queue). The role picker and settings take a key per choice (no cursor), the help screen
and the dashboard's table have none, and the export dialog's format marks its radio button
(tests/test_plain_screen.py); the command palette is Textual's own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import pytest
from helpers.app import SMALL, app_with, press, ready, screen_text, settled
from helpers.data import NOW
from textual.widgets import OptionList, Select, Tree

from reactieveld.model import RemoteStatus
from reactieveld.tui.screens.filters import FilterScreen
from reactieveld.tui.screens.search import AuthorHistoryScreen, SearchScreen
from reactieveld.tui.screens.thread import ThreadScreen
from reactieveld.tui.screens.triage import TriageScreen
from reactieveld.tui.times import format_time
from reactieveld.tui.widgets.queue_list import CURSOR_MARK

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")


@dataclass
class Listing:
    """A list on screen: its items' keys in order, the key of the item a screen line
    shows, the key under the cursor by the screen's state, the keys that move up and
    down, and a check that ``enter`` acted on a key."""

    order: Callable[[], list[Any]]
    named: Callable[[str], Any]
    cursor: Callable[[], Any]
    up: str
    down: str
    acted_on: Callable[[Any], Awaitable[None]]


def marked_line(app: Any) -> str:
    """The one screen line with the cursor's mark."""
    lines = [line for line in screen_text(app) if CURSOR_MARK in line]
    assert len(lines) == 1, lines
    return lines[0]


def item_on(line: str, items: list[tuple[str, Any]]) -> Any:
    """The key of the one item whose text starts ``line`` right after the mark."""
    after = line.split(CURSOR_MARK, 1)[1].strip(" ")
    keys = [key for text, key in items if after.startswith(text + " ")]
    assert len(keys) == 1, (line, items)
    return keys[0]


async def _queue_lands_on(app: Any, pilot: Any, triage: TriageScreen, rid: int) -> None:
    await settled(pilot)
    assert app.screen is triage
    assert triage.queue.current is not None and triage.queue.current.response.id == rid


async def _stamps(store: Any, ids: list[int]) -> list[tuple[str, int]]:
    rows = [await store.get(i) for i in ids]
    return [(format_time(r.response.created_at, UTC, NOW), r.response.id) for r in rows]


# -- opening each list ------------------------------------------------------------------


async def open_thread(app: Any, pilot: Any, store: Any, triage: TriageScreen) -> Listing:
    await press(pilot, "enter")
    screen = app.screen
    assert isinstance(screen, ThreadScreen) and screen.loaded
    await settled(pilot)
    tree = screen.query_one(Tree)

    def order() -> list[Any]:
        return [line.node.data for line in tree._tree_lines if line.node.data is not None]

    # A node's line reads "time author [role] ...": the time names it (unique here).
    stamps = await _stamps(store, order())

    def named(line: str) -> int:
        hits = [rid for stamp, rid in stamps if stamp in line]
        assert len(hits) == 1, line
        return hits[0]

    return Listing(
        order=order,
        named=named,
        cursor=lambda: tree.cursor_node.data if tree.cursor_node is not None else None,
        up="k",
        down="j",
        acted_on=lambda rid: _queue_lands_on(app, pilot, triage, rid),
    )


async def open_search(app: Any, pilot: Any, store: Any, triage: TriageScreen) -> Listing:
    await press(pilot, "slash")
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    await press(pilot, *"zwembad", "enter")
    assert len(screen.rows) >= 3
    results = screen.query_one("#search-results", OptionList)
    assert screen.focused is results
    return _option_listing(app, pilot, triage, screen.rows, results)


async def open_history(app: Any, pilot: Any, store: Any, triage: TriageScreen) -> Listing:
    await press(pilot, "h")
    screen = app.screen
    assert isinstance(screen, AuthorHistoryScreen)
    await screen.loaded.wait()
    await settled(pilot)
    assert len(screen.rows) >= 3
    results = screen.query_one("#history-results", OptionList)
    return _option_listing(app, pilot, triage, screen.rows, results)


def _option_listing(
    app: Any, pilot: Any, triage: TriageScreen, rows: list[Any], results: OptionList
) -> Listing:
    # A hit's first line starts with its time (unique here).
    stamps = [(format_time(r.response.created_at, UTC, NOW), r.response.id) for r in rows]

    def cursor() -> Any:
        i = results.highlighted
        return rows[i].response.id if i is not None else None

    return Listing(
        order=lambda: [rid for _, rid in stamps],
        named=lambda line: item_on(line, stamps),
        cursor=cursor,
        up="up",
        down="down",
        acted_on=lambda rid: _queue_lands_on(app, pilot, triage, rid),
    )


def _open_select(field: str, tabs: int) -> Callable[..., Awaitable[Listing]]:
    async def open_filter(app: Any, pilot: Any, store: Any, triage: TriageScreen) -> Listing:
        await press(pilot, "f")
        dialog = app.screen
        assert isinstance(dialog, FilterScreen)
        for _ in range(tabs):
            await pilot.press("tab")
        select = dialog.query_one(f"#{field}", Select)
        assert dialog.focused is select
        await press(pilot, "enter")  # the drop-down list
        assert select.expanded

        overlay = select.query_one(OptionList)

        def items() -> list[tuple[str, Any]]:
            # The drop-down's own prompts (the blank one reads "(any)"), with the values.
            prompts = [
                str(overlay.get_option_at_index(i).prompt) for i in range(len(overlay.options))
            ]
            return list(zip(prompts, [value for _, value in select._options], strict=True))

        def cursor() -> Any:
            i = overlay.highlighted
            return select._options[i][1] if i is not None else None

        async def acted_on(value: Any) -> None:
            await settled(pilot)
            assert not select.expanded and select.value == value
            await press(pilot, "ctrl+s")
            assert app.screen is triage
            await triage.queue.loaded.wait()
            await settled(pilot)
            if field == "filter-status":
                assert triage.choice.status == value
                # The queue was read from the store with that filter.
                shown = {r.response.remote_status for r in triage.queue.rows}
                assert shown == {RemoteStatus(value)}
            else:
                assert triage.choice.role == value

        return Listing(
            order=lambda: [value for _, value in items()],
            named=lambda line: item_on(line, items()),
            cursor=cursor,
            up="up",
            down="down",
            acted_on=acted_on,
        )

    return open_filter


LISTS = {
    "thread": open_thread,
    "search": open_search,
    "author-history": open_history,
    "filter-status": _open_select("filter-status", 1),
    "filter-role": _open_select("filter-role", 3),
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("which", [*LISTS])
async def test_the_cursor_is_marked_in_characters_and_enter_takes_that_item(
    tui_store, language, which
):
    app = app_with(tui_store, language, None)
    async with app.run_test(size=SMALL) as pilot:
        triage = await ready(app, pilot)
        await settled(pilot)
        listing = await LISTS[which](app, pilot, tui_store, triage)
        # The mark is on the item the state says is under the cursor.
        first = listing.cursor()
        assert first is not None and listing.named(marked_line(app)) == first
        order = listing.order()
        if order.index(first) == len(order) - 1:  # the last one: start one higher
            await pilot.press(listing.up)
            await settled(pilot)
            first = listing.cursor()
            assert first == order[-2] and listing.named(marked_line(app)) == first
        # It moves with the cursor, to the next item's line.
        await pilot.press(listing.down)
        await settled(pilot)
        second = listing.cursor()
        assert second == order[order.index(first) + 1]
        target = listing.named(marked_line(app))
        print("\n".join(screen_text(app)))
        assert target == second
        # enter acts on the item whose line carries the mark.
        await pilot.press("enter")
        await listing.acted_on(target)


@pytest.mark.parametrize(("language", "word"), [("nl", "(geopend)"), ("en", "(opened)")])
async def test_the_thread_says_in_characters_which_response_it_was_opened_from(
    tui_store, language, word
):
    app = app_with(tui_store, language, None)
    async with app.run_test(size=SMALL) as pilot:
        triage = await ready(app, pilot)
        assert triage.queue.current is not None
        opened = triage.queue.current.response
        listing = await open_thread(app, pilot, tui_store, triage)
        stamp = format_time(opened.created_at, UTC, NOW)
        for key in ("", "k", "k"):  # the cursor leaves it: the word stays with it
            if key:
                await pilot.press(key)
                await settled(pilot)
            lines = [line for line in screen_text(app) if word in line]
            assert len(lines) == 1 and stamp in lines[0], lines
        assert listing.cursor() != opened.id
