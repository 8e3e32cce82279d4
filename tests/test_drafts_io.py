"""The drafts file is read and written off the app's thread: another window holding its
lock, or a slow disk (a roaming profile), froze every key and live update for as long as
a save or a reread took, at every keep, every pause in typing, every editor opened or
closed. Now the keys answer meanwhile, saves run one at a time (those asked for while
one runs are one save after it, of the drafts as they are then), a reread that lands
after the editor opened fills it unless something was typed, and quitting waits for the
last save, bounded, and says so when it cannot finish.

The lock is held as another window holds it: ``flock`` on the ``.lock`` file, on an fd
of its own (from a thread of the test, so that on a loop that waits for the lock the
test ends in a failure after ``HOLD_SECONDS``, not in a hang)."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from helpers.app import SMALL, app_with, drafts_in, ready, record_notices, until
from textual.widgets import TextArea

from reactieveld.drafts import DraftKey, DraftsFile, to_json
from reactieveld.i18n import I18n
from reactieveld.tui.screens.editor import DraftQuestion, EditorScreen, QuitQuestion
from reactieveld.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")

#: The longest the test's holder keeps the lock (a stuck app would wait this long).
HOLD_SECONDS = 5.0


@contextmanager
def held_lock(path: Path) -> Iterator[tuple[threading.Event, threading.Event]]:
    """The drafts file's lock held by "another window" until the first event yielded is
    set (or HOLD_SECONDS passed); the second is set once the lock is let go."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    release, taken, let_go = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            taken.set()
            release.wait(HOLD_SECONDS)
        finally:
            os.close(fd)
            let_go.set()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert taken.wait(HOLD_SECONDS)
    try:
        yield release, let_go
    finally:
        release.set()
        holder.join(HOLD_SECONDS)


def counted_saves(drafts_file: DraftsFile) -> dict[str, int]:
    """Counts of the file's saves: started, and the most that ran at once."""
    counts = {"started": 0, "running": 0, "most": 0}
    save = drafts_file.save
    guard = threading.Lock()

    def counted(drafts: Any) -> Any:
        with guard:
            counts["started"] += 1
            counts["running"] += 1
            counts["most"] = max(counts["most"], counts["running"])
        try:
            return save(drafts)
        finally:
            with guard:
                counts["running"] -= 1

    drafts_file.save = counted  # type: ignore[method-assign]
    return counts


def held_call(drafts_file: DraftsFile, method: str) -> tuple[threading.Event, threading.Event]:
    """The file's ``method`` made slow: each call (in the app's drafts thread) waits until
    the second event is set (or HOLD_SECONDS passed); the first is set once one began."""
    started, release = threading.Event(), threading.Event()
    real = getattr(drafts_file, method)

    def held(*args: Any) -> Any:
        started.set()
        release.wait(HOLD_SECONDS)
        return real(*args)

    setattr(drafts_file, method, held)
    return started, release


async def kept(pilot: Any, *keys: str) -> None:
    """``keys`` typed (an editor opened and written in, ``escape``) and the question
    answered with keep (``enter``); its save may still wait."""
    app = pilot.app
    await pilot.press(*keys, "escape")
    await until(pilot, lambda: isinstance(app.screen, DraftQuestion), "the question")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, TriageScreen), "the queue")


async def test_keys_answer_while_another_window_holds_the_drafts_file(
    tui_store: Any, tmp_path: Path
) -> None:
    """A reply kept while another window holds the file's lock: the keys go on (the
    cursor moves, a note is written and kept on the next row) while the save waits;
    the two saves asked for meanwhile are one, after it, never two at once; once the
    lock is let go, the file has both drafts."""
    path = tmp_path / "state" / "drafts" / "d.json"
    drafts_file = DraftsFile(path, "memory.db")
    saves = counted_saves(drafts_file)
    app = app_with(tui_store, "en", None, drafts_file=drafts_file)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        first = screen.queue.current.response.id
        with held_lock(path) as (release, let_go):
            await kept(pilot, "r", *"Q9")  # its save waits for the lock
            await until(pilot, lambda: saves["started"] == 1, "the save to start")
            await pilot.press("j")
            await until(pilot, lambda: screen.queue.current.response.id != first, "a move")
            assert not let_go.is_set()  # moved while the lock was held (not after)
            second = screen.queue.current.response.id
            await kept(pilot, "n", *"nu")  # one more save, after the first
            assert saves["started"] == 1 and not path.exists()  # the lock still held
            release.set()
            await until(pilot, app.drafts_idle.is_set, "the saves to land")
        assert saves == {"started": 2, "running": 0, "most": 1}
        assert drafts_in(path) == {("reply", first): "Q9", ("note", second): "nu"}


async def test_quitting_while_the_file_is_held_waits_then_asks(
    tui_store: Any, tmp_path: Path
) -> None:
    """``q`` with a kept draft whose save waits for another window's lock: the app
    waits (here 0.2 s), says the file stayed busy, and asks as where drafts cannot be
    kept; ``escape`` goes back, and once the lock is let go ``q`` quits at once with
    the draft in the file."""
    path = tmp_path / "state" / "drafts" / "d.json"
    app = app_with(tui_store, "nl", None, drafts_file=DraftsFile(path, "memory.db"))
    app.drafts_quit_seconds = 0.2
    said = record_notices(app)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        rid = screen.queue.current.response.id
        with held_lock(path) as (release, _):
            await kept(pilot, "r", *"Q9")
            await pilot.press("q")
            await until(pilot, lambda: isinstance(app.screen, QuitQuestion), "the quit question")
            busy = app.i18n.t("drafts.busy", path=path, seconds="0.2")
            assert busy in said and not path.exists()
            await pilot.press("escape")
            release.set()
            await until(pilot, app.drafts_idle.is_set, "the save to land")
        assert drafts_in(path) == {("reply", rid): "Q9"}
        await pilot.press("q")
        await until(pilot, lambda: app.return_code == 0, "the app to quit")
    assert app.exit_note == app.i18n.t("quit.kept.one")


async def test_another_windows_draft_fills_the_editor_unless_typed_in(
    tui_store: Any, tmp_path: Path
) -> None:
    """The reread for an editor held up (a slow disk): the editor opens at once with
    this window's text; when the other window's draft lands it is shown if nothing was
    typed, else the typed text stays and the moderator is told (the draft is this
    window's either way: a keep writes on it, never unseen over it)."""
    path = tmp_path / "state" / "drafts" / "d.json"
    drafts_file = DraftsFile(path, "memory.db")
    _, gate = held_call(drafts_file, "reread")
    app = app_with(tui_store, "en", None, drafts_file=drafts_file)
    said = record_notices(app)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        key = DraftKey("reply", screen.queue.current.response.id)
        other = DraftsFile(path, "memory.db")
        other.save({key: "van B"})  # kept in the other window

        async def open_reply(*typed: str) -> EditorScreen:
            gate.clear()
            await pilot.press("r", *typed)
            editor = app.screen
            assert isinstance(editor, EditorScreen)
            text = editor.initial + "".join(typed)
            await until(pilot, lambda: editor.query_one(TextArea).text == text, "the editor")
            assert not app.drafts_idle.is_set()  # open before the reread landed
            gate.set()
            await until(pilot, app.drafts_idle.is_set, "the reread")
            return editor

        async def keep() -> None:
            await kept(pilot)
            await until(pilot, app.drafts_idle.is_set, "the save")

        editor = await open_reply()  # nothing typed: the other's draft is shown
        assert editor.query_one(TextArea).text == "van B" and app.drafts[key] == "van B"
        await keep()
        other.save({key: "van B!"})  # changed there
        editor = await open_reply("x")  # typed before it landed: the typed text stays
        assert editor.query_one(TextArea).text == "van Bx" and app.drafts[key] == "van B!"
        assert app.i18n.t("drafts.changed_elsewhere") in said
        await keep()
        assert drafts_in(path) == {("reply", key.response_id): "van Bx"}


async def test_a_gone_draft_another_window_dropped_while_it_was_set_aside_is_said(
    tui_store: Any, tmp_path: Path
) -> None:
    """A draft whose response is gone is written aside off the loop; meanwhile another
    window sends it (drops it from the file) and a save here takes that drop over. The
    app's own drop after the set-aside finds it gone already: the set-aside is said all
    the same, and the app's drafts and file keep the reply kept meanwhile."""
    path = tmp_path / "state" / "drafts" / "d.json"
    gone = DraftKey("note", 9999, author="Piet")
    path.parent.mkdir(parents=True, mode=0o700)
    path.write_text(to_json("memory.db", {gone: "weg?"}), "utf-8")
    os.chmod(path, 0o600)
    drafts_file = DraftsFile(path, "memory.db")
    started, release = held_call(drafts_file, "set_aside")
    app = app_with(tui_store, "en", None, drafts_file=drafts_file)
    said = record_notices(app)
    async with app.run_test(size=SMALL) as pilot:
        await until(pilot, started.is_set, "the gone draft to be set aside")
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        await screen.queue.loaded.wait()  # not ready(): it waits for the set-aside
        reply = DraftKey("reply", screen.queue.current.response.id)
        other = DraftsFile(path, "memory.db")  # another window, which sends it
        other.load()
        other.save({})
        await kept(pilot, "r", *"Q9")
        await until(pilot, lambda: list(app.drafts) == [reply], "the other's drop taken")
        release.set()

        def set_aside_said() -> bool:
            asides = [p for p in path.parent.iterdir() if ".gone-" in p.name]
            return any(
                I18n("en").t("drafts.gone.one", authors="Piet", path=p) in said for p in asides
            )

        # Before: the drop of a draft no longer there ended the job in a KeyError, told as
        # "drafts: DraftKey(kind='note', ...)" and the set-aside never said.
        await until(pilot, set_aside_said, "the set-aside said", seconds=HOLD_SECONDS)
        await until(pilot, app.drafts_idle.is_set, "the saves to land")
        assert list(app.drafts) == [reply]
        assert not any("DraftKey" in line for line in said), said
    assert drafts_in(path) == {("reply", reply.response_id): "Q9"}
    (aside,) = [p for p in path.parent.iterdir() if ".gone-" in p.name]
    assert drafts_in(aside) == {("note", 9999): "weg?"}
