"""The drafts file is read in the drafts thread at start, not in the app's constructor:
a slow disk (a roaming profile) or a file held elsewhere no longer holds the first
screen. The queue is on screen and the keys work while the read waits; once it lands,
the kept draft is there (the row says so) and a draft kept meanwhile is not lost."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from helpers.app import SMALL, app_with, drafts_in, screen_text, until

from reactieveld.drafts import DraftKey, DraftsFile
from reactieveld.tui.screens.editor import DraftQuestion
from reactieveld.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")

#: The longest the test holds the read (a constructor that waits for it waits this long).
HOLD_SECONDS = 5.0


def held_load(drafts_file: DraftsFile) -> tuple[threading.Event, threading.Event]:
    """The file's load made slow until the second event is set; the first is set once
    the load has returned."""
    returned, release = threading.Event(), threading.Event()
    real = drafts_file.load

    def held() -> Any:
        release.wait(HOLD_SECONDS)
        try:
            return real()
        finally:
            returned.set()

    drafts_file.load = held  # type: ignore[method-assign]
    return returned, release


@pytest.mark.parametrize("keep_meanwhile", [False, True])
async def test_the_first_screen_does_not_wait_for_the_drafts_file(
    tui_store: Any, tmp_path: Path, keep_meanwhile: bool
) -> None:
    path = tmp_path / "state" / "drafts" / "d.json"
    app = app_with(tui_store, "en", None)
    async with app.run_test(size=SMALL) as pilot:  # the ids of the queue's rows
        await until(pilot, lambda: isinstance(app.screen, TriageScreen), "the queue")
        await app.screen.queue.loaded.wait()
        first = app.screen.queue.current.response.id
    kept = DraftKey("note", first)
    DraftsFile(path, "memory.db").save({kept: "from yesterday"})

    drafts_file = DraftsFile(path, "memory.db")
    returned, release = held_load(drafts_file)
    app = app_with(tui_store, "en", None, drafts_file=drafts_file)
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TriageScreen), "the queue")
        screen = app.screen
        await screen.queue.loaded.wait()
        assert not returned.is_set()  # on screen before the file was read
        await pilot.press("j")  # the keys work meanwhile
        second = screen.queue.current.response.id
        await until(pilot, lambda: second != first, "a move")
        if keep_meanwhile:
            await pilot.press("r", *"now", "escape")
            await until(pilot, lambda: isinstance(app.screen, DraftQuestion), "the question")
            await pilot.press("enter")
            await until(pilot, lambda: app.screen is screen, "the queue again")
        assert not returned.is_set()
        assert drafts_in(path) == {("note", first): "from yesterday"}  # the save waits
        release.set()
        await until(pilot, lambda: returned.is_set() and app.drafts_idle.is_set(), "the read")
        assert app.drafts[kept] == "from yesterday"
        await pilot.press("k")
        await until(pilot, lambda: screen.queue.current.response.id == first, "back")
        assert screen.queue.drafted(first)
        assert any("draft · " in line for line in screen_text(app))  # the row says so
        expected = {("note", first): "from yesterday"}
        if keep_meanwhile:
            assert app.drafts[DraftKey("reply", second)] == "now"
            expected[("reply", second)] = "now"
        await until(pilot, lambda: drafts_in(path) == expected, "the file")


@pytest.mark.parametrize("held", [False, True])
async def test_quitting_at_once_with_nothing_to_keep_ends_the_app_then(
    tui_store: Any, tmp_path: Path, held: bool
) -> None:
    """`q` as soon as the queue is there, no draft typed: the app ends at once, without
    a traceback (the screen's rest, mounted after the first frame, came after it had
    gone: MountError) and, where a slow disk holds the drafts file's read at start,
    without waiting for it (the read writes nothing) or drafts_quit_seconds; the file
    is as it was."""
    path = tmp_path / "state" / "drafts" / "d.json"
    DraftsFile(path, "memory.db").save({DraftKey("note", 1): "from yesterday"})
    drafts_file = DraftsFile(path, "memory.db")
    returned, release = held_load(drafts_file)
    if not held:
        release.set()
    app = app_with(tui_store, "en", None, drafts_file=drafts_file)
    app.drafts_quit_seconds = HOLD_SECONDS * 2  # longer than the held read: no timeout
    try:
        async with app.run_test(size=SMALL) as pilot:
            await until(pilot, lambda: isinstance(app.screen, TriageScreen), "the queue")
            await app.screen.queue.loaded.wait()
            await pilot.press("q")
            await until(pilot, lambda: app.return_code is not None, "the app's end", seconds=3)
            if held:
                assert not returned.is_set()  # ended while the read was still held
    finally:
        release.set()
    assert app.return_code == 0
    assert drafts_in(path) == {("note", 1): "from yesterday"}
