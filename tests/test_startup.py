"""The start (issue 11, the first frame): the first rows come first, what can wait waits
for them, and nothing of that is left half done (the collector on again, the sync engine
running, the triage screen the one the app opens on)."""

from __future__ import annotations

import fcntl
import gc
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
from pathlib import Path

import pytest
from helpers.app import SIZE, ready, until

from reactieveld.config import SourceConfig
from reactieveld.sync import SyncEngine, build_connector
from reactieveld.tui.screens.triage import TriageScreen

pytestmark = pytest.mark.usefixtures("tui_env")
README = Path(__file__).resolve().parents[1] / "README.md"


async def test_the_collector_is_on_again_once_the_first_rows_show(tui_store, make_app):
    # cmd_app turns the collector off for the start; the app turns it on again after the
    # first frame with rows (and freezes what the start made).
    app = make_app(tui_store)
    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            await app.rows_shown.wait()
            assert gc.isenabled()
            assert screen.queue.rows  # it was a frame with rows
    finally:
        gc.enable()


async def test_the_triage_screen_is_the_first_and_only_screen(tui_store, make_app):
    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert [type(s) for s in app.screen_stack] == [TriageScreen]


async def test_the_configured_theme_and_keys_apply_to_the_first_screen(tui_store, make_app):
    # Set as the app makes its first screen (get_default_screen), no longer on mount.
    app = make_app(tui_store, theme="nord", keymap={"approve": "y"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        assert app.theme == "nord"
        before = screen.queue.current.response.id
        await pilot.press("y")
        await ready(app, pilot)
        assert screen.queue.current.response.id != before  # "y" approved and moved on
        assert before not in [r.response.id for r in screen.queue.rows]  # out of Nieuw


async def test_the_sync_engine_starts_after_the_first_rows(tui_store, make_app):
    cfg = SourceConfig("demo", "demo", 0.0, {"count": 5, "seed": 1})
    engine = SyncEngine(tui_store, [(cfg, build_connector(cfg))])
    app = make_app(tui_store, engine=engine)
    started_before_rows: list[bool] = []
    original = app.first_rows_shown

    def first_rows_shown() -> None:
        started_before_rows.append(any(w.group == "sync" for w in app.workers))
        original()

    app.first_rows_shown = first_rows_shown  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SIZE):
            # Not ready(): it waits for every worker, and the engine's runs until the end.
            await app.rows_shown.wait()
            assert started_before_rows == [False]
            assert any(w.group == "sync" for w in app.workers)
    finally:
        await engine.aclose()


async def test_counts_and_sources_that_come_as_the_app_quits_are_let_go(tui_store, make_app):
    # A worker's counts or source states can arrive while the app quits and its screen's
    # widgets are being taken down (seen once: a counts update right after the first rows,
    # as a test's app closed): they are dropped, never an exception at the user.
    from reactieveld.tui.widgets.status_line import QueueTabs, StatusLine

    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        counts = app.last_counts
        assert counts is not None
        await screen.query_one(QueueTabs).remove()
        await screen.query_one(StatusLine).remove()
        screen.show_counts(counts)
        screen.show_tab_count(screen.choice, "new", 1)
        screen.show_sources()
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_details_counts_and_the_claim_are_read_after_the_first_rows(tui_store, make_app):
    # What the first frame does not show waits for it (messages.after_first_rows); once
    # the rows are on screen it all comes: the counts, the details, the claim.
    app = make_app(tui_store)
    calls: list[tuple[str, bool]] = []
    for name in ("counts", "count", "notes", "journal", "claim"):
        original = getattr(tui_store, name)

        def noted(*args, _name=name, _original=original, **kw):  # type: ignore[no-untyped-def]
            calls.append((_name, app.rows_shown.is_set()))
            return _original(*args, **kw)

        setattr(tui_store, name, noted)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        # (The queue's own count only where its window does not hold it all: not here.)
        assert {name for name, _ in calls} >= {"counts", "notes", "journal", "claim"}
        assert [name for name, shown in calls if not shown] == []
        assert screen.query_one("#queue-tabs").counts  # the counts did come
        assert app.claims is not None and app.claims.held == screen.queue.current.response.id


async def test_the_view_tag_bar_and_footer_are_mounted_after_the_first_rows(tui_store, make_app):
    # The first frame has the header lines and the queue (and the room the rest will
    # take); the tag bar, the response view and the footer follow it, in their place,
    # the view showing the row under the cursor and the footer the keys.
    from reactieveld.tui.widgets.footer import KeyFooter
    from reactieveld.tui.widgets.response_view import ResponseView
    from reactieveld.tui.widgets.tag_bar import TagBar

    app = make_app(tui_store)
    at_first_rows: list[list[str]] = []
    original = app.first_rows_shown

    def first_rows_shown() -> None:
        if not app.rows_shown.is_set():
            at_first_rows.append([type(w).__name__ for w in app.screen.children])
        original()

    app.first_rows_shown = first_rows_shown  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        assert at_first_rows == [["StatusLine", "QueueTabs", "Vertical", "Static"]]
        ids = [w.id for w in screen.children]
        assert ids == ["status-line", "queue-tabs", "queue-pane", "tag-bar", "response", None]
        assert isinstance(screen.children[-1], KeyFooter) and screen.children[-1].children
        view = screen.query_one(ResponseView)
        assert view.row == screen.queue.current and view.row is not None
        assert screen.query_one(TagBar).row == screen.queue.current


async def test_a_key_before_the_view_is_mounted_moves_the_queue(tui_store, make_app):
    # A moderator may press a key before the rest is mounted: the queue moves, and the
    # view shows the row the cursor is on once it is there.
    from reactieveld.tui.widgets.response_view import ResponseView

    app = make_app(tui_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        await screen.queue.loaded.wait()
        screen._view, screen._bar = None, None  # as before _mount_the_rest
        screen.action_cursor_down()
        screen.action_detail(1)
        screen = await ready(app, pilot)
        assert screen.queue.cursor == 1
        screen._view = screen.query_one(ResponseView)
        await screen._mount_the_rest()  # mounted once: nothing is mounted twice
        assert len(screen.query(ResponseView)) == 1


async def test_the_readers_connection_is_opened_after_the_first_rows(tui_store, make_app):
    # run_app gives the app an opener for the background reads' connection: it opens it
    # after the first frame with rows; the response view and the counts read through it,
    # and the app closes it.
    from reactieveld.store.sqlite import SqliteStore
    from reactieveld.tui.widgets.response_view import ResponseView

    opened: list[SqliteStore] = []
    at_open: list[bool] = []

    async def open_reader() -> SqliteStore:
        at_open.append(app.rows_shown.is_set())
        opened.append(await SqliteStore.open(tui_store.path, cache_kib=512))
        return opened[-1]

    app = make_app(tui_store, reader_opener=open_reader)
    assert app.reader is tui_store  # until it is open
    counted: list[object] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        assert at_open == [True] and app.reader is opened[0]
        assert screen.query_one(ResponseView).store is opened[0]
        original = opened[0].counts

        async def counts() -> object:
            counted.append(True)
            return await original()

        opened[0].counts = counts  # type: ignore[method-assign]
        app.request_counts()
        await ready(app, pilot)
        assert counted
    with pytest.raises(ValueError):  # closed with the app
        await opened[0].counts()


async def test_the_footer_and_view_do_not_wait_for_the_readers_connection(tui_store, make_app):
    # A team's server may be far away (or down: a 10 s connect timeout): the footer with
    # "? Help", the view and the tag bar are mounted after the first rows whether or not
    # the background reads' connection is open yet; the view reads through the keys'
    # store until it is, then through it.
    import asyncio

    from reactieveld.store.sqlite import SqliteStore
    from reactieveld.tui.widgets.footer import KeyFooter
    from reactieveld.tui.widgets.response_view import ResponseView
    from reactieveld.tui.widgets.tag_bar import TagBar

    may_open = asyncio.Event()
    opened: list[SqliteStore] = []

    async def open_reader() -> SqliteStore:
        await may_open.wait()
        opened.append(await SqliteStore.open(tui_store.path, cache_kib=512))
        return opened[-1]

    app = make_app(tui_store, reader_opener=open_reader)
    async with app.run_test(size=SIZE) as pilot:
        await app.rows_shown.wait()
        screen = app.screen
        assert isinstance(screen, TriageScreen)

        def mounted() -> bool:  # the rest of the screen
            footers = screen.query(KeyFooter)
            return bool(footers and footers.first().children and screen.query(ResponseView))

        await until(pilot, mounted, "the rest of the screen mounted")
        assert not may_open.is_set() and not opened
        assert screen.query_one(KeyFooter).children and screen.query_one(TagBar)
        view = screen.query_one(ResponseView)
        assert view.store is tui_store and view.row == screen.queue.current
        may_open.set()
        screen = await ready(app, pilot)
        assert view.store is opened[0] and app.reader is opened[0]


async def test_a_reader_that_cannot_be_opened_is_said_and_the_store_reads(tui_store, make_app):
    from reactieveld.store.base import StoreError

    async def open_reader() -> object:
        raise StoreError("the reader: no such luck")

    app = make_app(tui_store, reader_opener=open_reader)
    notices: list[str] = []
    original = app.notify

    def notify(message: str, **kw: object) -> None:
        notices.append(message)
        original(message, **kw)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        assert app.reader is tui_store and screen.queue.rows
        assert screen.query_one("#queue-tabs").counts  # counted through the store
    assert notices.count("the reader: no such luck") == 1


async def test_the_first_rows_are_asked_for_as_the_first_screen_is_made(tui_store, make_app):
    # The store's thread reads them while Textual sets up and mounts the screen: asked
    # before the screen is mounted, once, and the first frame shows them.
    app = make_app(tui_store)
    asked: list[tuple[bool, bool]] = []
    original = tui_store.queue

    def queue(*args, **kw):  # type: ignore[no-untyped-def]
        screen = app.screen if app.screen_stack else None
        composed = screen is not None and bool(screen.children)  # the queue is there
        asked.append((composed, app.rows_shown.is_set()))
        return original(*args, **kw)

    tui_store.queue = queue
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(app, pilot)
        assert [shown for _, shown in asked].count(False) == 1  # one read before the rows
        assert asked[0] == (False, False)  # before the screen was composed
        assert screen.queue.rows[0] == (await original(screen.queue.flt, limit=1))[0]


def test_the_real_wordpress_skip_names_the_readme_command():
    from wpreal import HINT

    command = re.search(r"`([^`]+)`", HINT)
    assert command is not None
    assert command.group(1) == 'eval "$(tools/wp-real/ci-env.sh)"'
    assert command.group(1) in README.read_text(encoding="utf-8")


# -- the real start: ``reactieveld`` in a pseudo-terminal ------------------------------------
_ESCAPE = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()*+].|[ -/]*[0-~])"
)


def _screen(raw: bytes) -> str:
    return re.sub(r" +", " ", _ESCAPE.sub(b"", raw).decode("utf-8", errors="replace"))


def _read_until(fd: int, raw: bytearray, done, timeout: float = 60) -> bool:  # type: ignore[no-untyped-def]
    """Read the terminal's output into ``raw`` until ``done(screen text)`` (select on the
    descriptor: no sleeps); False when the output ends or ``timeout`` passes first."""
    import time

    deadline = time.monotonic() + timeout
    while not done(_screen(bytes(raw))):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return False
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:  # the program ended and closed the terminal
            return False
        if not chunk:
            return False
        raw += chunk
    return True


def test_reactieveld_starts_syncs_and_quits_in_a_terminal(tmp_path):
    # run_app as a moderator starts it, with what it starts after the first rows: the demo
    # source's sync engine, the outbox and a memory sink.
    config = tmp_path / "config.toml"
    config.write_text('[[sinks]]\ntype = "jsonl"\npath = "sink.jsonl"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REACTIEVELD", "TEXTUAL"))}
    env.update(
        REACTIEVELD_CONFIG=str(config),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
        TERM="xterm-256color",
    )
    argv = [sys.executable, "-m", "reactieveld.cli", "--demo", "--lang", "en"]
    argv += ["--db", str(tmp_path / "demo.db")]
    pid, fd = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    raw = bytearray()
    try:
        # The header says "demo ok" once the engine (started after the first rows) has
        # finished a round; the queue shows the demo's rows.
        assert _read_until(fd, raw, lambda s: "demo ok" in s and "• " in s), _screen(bytes(raw))
        os.write(fd, b"q")
        _read_until(fd, raw, lambda s: False, timeout=30)  # to the end of its output
        _, status = os.waitpid(pid, 0)
        pid = 0
        assert os.waitstatus_to_exitcode(status) == 0, _screen(bytes(raw))
        assert "Traceback" not in _screen(bytes(raw))
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)


async def test_the_first_frame_reads_one_chunk_and_the_window_fills_after_it(tmp_path, make_app):
    # One chunk before the first frame (more than a screen shows), the window's second
    # after it: the same window as any load then.
    from helpers.data import sample_store

    from reactieveld.tui.widgets.queue_list import CHUNK

    store = await sample_store(tmp_path / "m.db", count=260)
    app = make_app(store)
    sizes_at_first_rows: list[int] = []
    original = app.first_rows_shown

    def first_rows_shown() -> None:
        screen = app.screen
        if isinstance(screen, TriageScreen):
            sizes_at_first_rows.append(len(screen.queue.rows))
        original()

    app.first_rows_shown = first_rows_shown  # type: ignore[method-assign]
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            assert sizes_at_first_rows[:1] == [CHUNK]
            window = await store.queue(screen.queue.flt, limit=CHUNK * 2)
            assert screen.queue.rows == window
            assert screen.queue.total == 260
    finally:
        await store.close()
