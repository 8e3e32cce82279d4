"""Drafts outlast the session: a reply or note kept as a draft, and the text in an open
editor, come back at the next start, after quitting, a ``kill`` (SIGTERM) or a closed
terminal (SIGHUP): they were only in the app's memory, and a signal ended the process at
once (Textual does not handle either). A bad drafts file is said in one line and moved
aside; a draft whose response is gone is kept in a file of its own and said."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from helpers.app import (
    SMALL,
    app_with,
    drafts_in,
    press,
    ready,
    record_notices,
    screen_text,
    settle,
    until,
)
from helpers.terminal import TYPED, app_typing_a_reply
from textual.widgets import TextArea

from reactieveld.drafts import DraftKey, DraftsFile, drafts_path, store_identity
from reactieveld.i18n import I18n
from reactieveld.tui.screens.editor import EditorScreen
from reactieveld.tui.screens.triage import TriageScreen
from reactieveld.tui.widgets.queue_list import CURSOR_MARK

pytestmark = pytest.mark.usefixtures("tui_env", "no_color")


async def test_kept_drafts_come_back_and_a_bad_file_or_a_gone_response_is_said(
    tui_store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start on a cut-off drafts file (said, moved aside, the app runs), keep a reply:
    the file has it at once, ``q`` quits at once and counts it. The next start (with a
    draft for a response the memory no longer has added) opens the reply with its text,
    and the gone one is kept beside the file and said; text typed on is written too."""
    path = tmp_path / "state" / "drafts" / "d.json"
    path.parent.mkdir(parents=True, mode=0o700)
    path.write_bytes(b'{"reactieveld_drafts": 1, "drafts": [{"kind": "re')
    os.chmod(path, 0o600)
    t = I18n("nl").t
    app = app_with(tui_store, "nl", None, drafts_file=DraftsFile(path, "memory.db"))
    said = record_notices(app)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        (bad,) = [p for p in path.parent.iterdir() if ".bad-" in p.name]
        what = t("drafts.what.json")
        assert t("drafts.bad", path=path, what=what, moved=bad.name) in said
        response = screen.queue.current.response
        await press(pilot, "r", *"Q9", "escape")
        await press(pilot, "enter")  # kept
        assert isinstance(app.screen, TriageScreen)
        assert drafts_in(path) == {("reply", response.id): "Q9"}
        assert os.stat(path).st_mode & 0o777 == 0o600
        await press(pilot, "q")
        assert app.return_code == 0  # at once: nothing is lost by quitting
    assert app.exit_note == t("quit.kept.one")
    assert bad.read_bytes().startswith(b'{"reactieveld_drafts": 1')  # moved, not written over

    data = json.loads(path.read_text("utf-8"))
    gone = {"kind": "note", "response_id": 9999, "author": "Piet", "text": "weg?"}
    data["drafts"].append({**gone, "created_at": None})
    path.write_text(json.dumps(data), "utf-8")
    again = app_with(tui_store, "nl", None, drafts_file=DraftsFile(path, "memory.db"))
    said = record_notices(again)
    async with again.run_test(size=SMALL) as pilot:
        await ready(again, pilot)
        assert list(again.drafts) == [DraftKey("reply", response.id)]
        (aside,) = [p for p in path.parent.iterdir() if ".gone-" in p.name]
        assert drafts_in(aside) == {("note", 9999): "weg?"}
        assert t("drafts.gone.one", authors="Piet", path=aside) in said
        assert drafts_in(path) == {("reply", response.id): "Q9"}
        await press(pilot, "r")
        assert isinstance(again.screen, EditorScreen)
        assert again.screen.query_one(TextArea).text == "Q9"
        assert any("Q9" in line for line in screen_text(again))
        # Typed on (the pause before it is written made none here): in the file, unkept.
        monkeypatch.setattr("reactieveld.tui.screens.editor.TYPED_SAVE_SECONDS", 0)
        await press(pilot, "!")
        assert drafts_in(path) == {("reply", response.id): "Q9!"}


@contextlib.contextmanager
def _caught(signum: int) -> Any:
    """Whatever handles ``signum`` meanwhile, the test process is not ended by it."""
    got: list[Any] = []

    def caught(n: int, _frame: Any) -> None:
        got.append(n)

    old = signal.signal(signum, caught)
    try:
        yield got
    finally:
        assert signal.getsignal(signum) is caught  # the app gave the handler back
        signal.signal(signum, old)


async def test_a_closed_terminal_keeps_the_open_editors_text(
    tui_store: Any, tmp_path: Path
) -> None:
    """SIGHUP (the terminal window closed) while a note is typed, not yet kept: the app
    writes it as a draft, then ends (129); the kept reply is in the file as well."""
    path = tmp_path / "d.json"
    app = app_with(tui_store, "en", None, drafts_file=DraftsFile(path, "memory.db"))
    with _caught(signal.SIGHUP) as got:
        async with app.run_test(size=SMALL) as pilot:
            screen = await ready(app, pilot)
            rid = screen.queue.current.response.id
            await press(pilot, "r", *"ok", "escape", "enter")
            await press(pilot, "n", *"nu")
            os.kill(os.getpid(), signal.SIGHUP)  # the app ends once the save has landed
            await until(pilot, lambda: app.return_code is not None, "the app to end")
            assert app.return_code == 128 + signal.SIGHUP
    assert got == []  # the app's handler took it
    assert drafts_in(path) == {("reply", rid): "ok", ("note", rid): "nu"}


async def test_sigterm_keeps_the_typed_reply_for_the_next_start(
    tui_store: Any, tmp_path: Path
) -> None:
    """The real app in a terminal (a pty): a reply typed, not kept, and ``kill``: the
    process writes the draft and ends (143, not killed), and the next start opens the
    reply with the text."""
    db = Path(tui_store.path)
    seen = bytearray()
    app_proc, fd = app_typing_a_reply(db, seen)
    try:
        app_proc.send_signal(signal.SIGTERM)
        code = app_proc.wait(30)
    finally:
        if app_proc.poll() is None:
            app_proc.kill()
            app_proc.wait()
        os.close(fd)
    assert code == 128 + signal.SIGTERM  # ended by the app (killed: -15)
    path = drafts_path(db)
    assert path.parent.stat().st_mode & 0o777 == 0o700 and path.stat().st_mode & 0o777 == 0o600
    (key,) = drafts_in(path)
    assert drafts_in(path) == {key: TYPED}
    assert json.loads(path.read_text("utf-8"))["store"] == str(db.resolve())

    app = app_with(tui_store, "en", None, drafts_file=DraftsFile(path, store_identity(db)))
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        assert screen.queue.current.response.id == key[1]
        await press(pilot, "r")
        assert app.screen.query_one(TextArea).text == TYPED


@pytest.mark.parametrize(("language", "label"), [("nl", "concept"), ("en", "draft")])
async def test_a_row_with_a_kept_draft_says_so_until_it_is_dropped(
    tui_store: Any, tmp_path: Path, language: str, label: str
) -> None:
    """A moderator who kept a reply finds it again in the queue: its row's text says
    "concept" (in characters, at 80x24: first in the text column, before the words),
    from the moment it is kept, again at the next start, and not once the draft is
    dropped; the other rows say nothing."""
    path = tmp_path / "state" / "drafts" / "d.json"

    def rows_with_label(app: Any) -> list[str]:
        return [
            line
            for line in screen_text(app)
            if f" {label} · " in line or line.rstrip().endswith(f" {label}")
        ]

    app = app_with(tui_store, language, None, drafts_file=DraftsFile(path, "memory.db"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        assert rows_with_label(app) == []
        await press(pilot, "r", *"Q9", "escape", "enter")  # kept
        (row,) = rows_with_label(app)
        assert row.lstrip().startswith(CURSOR_MARK), row  # the row it was kept for
        response = screen.queue.current.response
    again = app_with(tui_store, language, None, drafts_file=DraftsFile(path, "memory.db"))
    async with again.run_test(size=SMALL) as pilot:
        screen = await ready(again, pilot)
        assert screen.queue.current.response.id == response.id
        (row,) = rows_with_label(again)
        assert row.lstrip().startswith(CURSOR_MARK), row
        await pilot.resize_terminal(120, 30)  # room for the text: the word, then it
        await settle(again, pilot)
        (row,) = [line for line in screen_text(again) if f"{label} · " in line]
        assert row.lstrip().startswith(CURSOR_MARK), row
        await press(pilot, "r", "escape", "d")  # dropped
        assert list(again.drafts) == []
        assert not [line for line in screen_text(again) if f"{label} · " in line]


async def test_a_reply_sent_in_another_window_does_not_come_back_from_this_one(
    tui_store: Any, tmp_path: Path
) -> None:
    """Two windows on one memory: a reply kept as a draft in this one is sent in the
    other (its draft dropped there). Opening it here (the draft as it was, not typed
    in) and quitting keeps no draft: the sent reply's draft is not written back, not
    counted on the terminal, not this window's any more."""
    path = tmp_path / "state" / "drafts" / "d.json"
    app = app_with(tui_store, "nl", None, drafts_file=DraftsFile(path, "memory.db"))
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await press(pilot, "r", *"Q9", "escape", "enter")  # kept
        (key,) = app.drafts
        assert drafts_in(path) == {("reply", key.response_id): "Q9"}
        other = DraftsFile(path, "memory.db")
        assert other.load() == ({key: "Q9"}, None)
        other.save({})  # the other window sent it
        await press(pilot, "r")  # the draft as this window had it
        assert app.screen.query_one(TextArea).text == "Q9"
        await press(pilot, "ctrl+q")
        assert app.return_code == 0
    assert not path.exists()
    assert list(app.drafts) == [] and app.exit_note is None


async def test_a_draft_kept_or_changed_in_another_window_is_what_this_one_opens(
    tui_store: Any, tmp_path: Path
) -> None:
    """Two windows on one memory: a reply kept in the other window after this one
    started (then changed there) is what this window's editor opens with for that
    response, and keeping it here writes it on, never over the other's words (before,
    the editor opened empty, or with this window's older text, and keeping wrote that
    over the file's draft)."""
    path = tmp_path / "state" / "drafts" / "d.json"
    app = app_with(tui_store, "nl", None, drafts_file=DraftsFile(path, "memory.db"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        response = screen.queue.current.response
        key = DraftKey("reply", response.id)
        other = DraftsFile(path, "memory.db")
        assert other.load() == ({}, None)
        other.save({key: "van B"})  # kept in the other window
        await press(pilot, "r")
        assert app.screen.query_one(TextArea).text == "van B"
        await press(pilot, *"!", "escape", "enter")  # typed on here, kept
        assert drafts_in(path) == {("reply", response.id): "van B!"}
        other.save({key: "van B!?"})  # the other window had it too, and changed it
        await press(pilot, "r")
        assert app.screen.query_one(TextArea).text == "van B!?"
        await press(pilot, "escape", "enter")
        assert drafts_in(path) == {("reply", response.id): "van B!?"}


async def test_closing_the_editor_writes_the_drafts_file_once(
    tui_store: Any, tmp_path: Path
) -> None:
    """Keeping a reply, sending the kept one, discarding one: each close of the editor
    writes the drafts file (read, merged, written and fsync'd under its lock, on the
    keys' path) once, not once for the draft's change and again for the closed editor;
    the file says what the moderator did each time."""
    path = tmp_path / "state" / "drafts" / "d.json"
    drafts_file = DraftsFile(path, "memory.db")
    saves: list[int] = []
    save = drafts_file.save

    def counted(drafts: Any) -> Any:
        saves.append(len(drafts))
        return save(drafts)

    drafts_file.save = counted  # type: ignore[method-assign]
    app = app_with(tui_store, "en", None, drafts_file=drafts_file)
    async with app.run_test(size=SMALL) as pilot:
        screen = await ready(app, pilot)
        response = screen.queue.current.response
        await press(pilot, "r", *"Q9", "escape", "enter")  # kept
        assert saves == [1] and drafts_in(path) == {("reply", response.id): "Q9"}
        await press(pilot, "r", *"Q8", "escape", "d")  # discarded
        assert saves == [1, 0] and not path.exists()  # none left: no file
        await press(pilot, "r", *"Q7", "escape", "enter")  # kept again
        saves.clear()
        await press(pilot, "r", "ctrl+s")  # the kept one sent
        assert saves == [0] and not path.exists()
