"""A memory store that cannot be written opens read-only: browse, search and export
work, every write is refused with one clear message, and the app says "read-only" in
its header and greys out decisions instead of crashing (issue 10, item 3).

Tests run as root in CI, and chmod 0444 does not stop root. So a store is made
read-only here either by the store's own flag (``SqliteStore.open(read_only=True)``)
or, where ``chattr`` works (ext4 as root), by the immutable flag, which stops root too
and is seen by ``os.access`` as the real thing would be."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from helpers.cli import run_main
from helpers.data import fill_store, sample_responses

from reactieveld.store.base import QueueFilter, StoreError
from reactieveld.store.sqlite import SqliteStore

pytestmark = pytest.mark.usefixtures("tui_env")


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "memory.db"

    async def make() -> None:
        store = await SqliteStore.open(path)
        responses, threads = sample_responses()
        await fill_store(store, "blog", responses, threads)
        await store.close()

    asyncio.run(make())
    return path


@contextlib.contextmanager
def immutable(*paths: Path):
    """The immutable flag on ``paths`` (root cannot write them either); skips the test
    where chattr is not to be had."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    flagged = []
    try:
        for p in paths:
            done = subprocess.run(["chattr", "+i", str(p)], capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(f"chattr +i does not work here: {done.stderr.strip()}")
            flagged.append(p)
        yield
    finally:
        for p in flagged:
            subprocess.run(["chattr", "-i", str(p)], check=False)


async def test_read_only_flag_reads_and_refuses_writes(store_file: Path):
    before = store_file.read_bytes()
    store = await SqliteStore.open(store_file, read_only=True)
    try:
        assert store.read_only
        assert await store.count(QueueFilter()) == 30
        assert len(await store.search("Laren")) > 0
        row = (await store.queue(QueueFilter(), limit=1))[0]
        for write in (
            store.mark_handled([row.response.id], actor="t"),
            store.toggle_question([row.response.id], "1", actor="t"),
            store.add_note(row.response.id, "x", actor="t"),
            store.undo_last(actor="t"),
            store.record_sync("blog", error="x"),
        ):
            with pytest.raises(StoreError, match="read-only") as err:
                await write
            assert str(store_file) in str(err.value)
        # A write that slips past the methods is refused by SQLite itself (query_only).
        with pytest.raises(sqlite3.OperationalError):
            await store.read(lambda db: db.execute("DELETE FROM meta"))
    finally:
        await store.close()
    assert store_file.read_bytes() == before


async def test_read_only_with_an_older_schema_says_so(store_file: Path):
    con = sqlite3.connect(store_file)
    con.execute("PRAGMA user_version = 3")
    con.close()
    with pytest.raises(StoreError, match="read-only and has an older schema") as err:
        await SqliteStore.open(store_file, read_only=True)
    assert str(store_file) in str(err.value)


async def test_an_immutable_file_opens_read_only_by_itself(store_file: Path):
    with immutable(store_file):
        assert not os.access(store_file, os.W_OK)
        store = await SqliteStore.open(store_file)
        try:
            assert store.read_only
            assert await store.count(QueueFilter()) == 30
            with pytest.raises(StoreError, match="read-only"):
                await store.mark_handled([1], actor="t")
        finally:
            await store.close()


async def test_an_immutable_folder_without_wal_files_opens_immutable(store_file: Path):
    # No -wal/-shm beside the file and none can be made: SQLite's mode=ro cannot open a
    # WAL file then; the store falls back to immutable=1 (nothing can change it anyway).
    for extra in ("-wal", "-shm"):
        assert not store_file.with_name(store_file.name + extra).exists()
    with immutable(store_file, store_file.parent):
        store = await SqliteStore.open(store_file)
        try:
            assert store.read_only
            assert await store.count(QueueFilter()) == 30
        finally:
            await store.close()


def test_commands_on_an_immutable_store(store_file: Path, tmp_path: Path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[[sources]]\nname = "demo"\ntype = "demo"\ncount = 5\n')
    db = ["--config", str(cfg), "--db", str(store_file)]
    with immutable(store_file):
        for argv in (["sources"], ["search", "Laren"], ["export", "--format", "csv"], ["stats"]):
            code, out, err = run_main([*argv, *db])
            assert code == 0, (argv, err)
            assert "Traceback" not in err and out
        code, out, err = run_main(["sync", "--once", *db])
        assert code == 2
        lines = (out + err).strip().splitlines()
        assert len(lines) == 1 and str(store_file) in lines[0] and "read-only" in lines[0]


async def test_the_app_on_a_read_only_store(store_file: Path, make_app):
    from helpers.app import SIZE, ready

    store = await SqliteStore.open(store_file, read_only=True)
    try:
        for language, word in (("nl", "ALLEEN-LEZEN"), ("en", "READ-ONLY")):
            app = make_app(store, language=language)
            async with app.run_test(size=SIZE) as pilot:
                screen = await ready(app, pilot)
                header = screen.query_one("#status-line").render_content().plain
                assert header.startswith(word)
                view = screen.query_one("#response").render_content().plain
                assert str(store_file) in view  # why nothing can be changed
                # Decisions, tags, a role, a note, undo: nothing happens, nothing crashes.
                await pilot.press("x", "1", "a", "s", "z", "n", "w")
                await pilot.pause()
                assert app.is_running
                assert app.screen is screen or app.screen.is_modal is False
                # Browsing and search still work.
                await pilot.press("j", "j")
                assert screen.queue.current.response.external_id == "c27"
    finally:
        await store.close()
    con = sqlite3.connect(store_file)
    try:
        assert con.execute("SELECT count(*) FROM actions").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM tags").fetchone()[0] == 0
        assert (
            con.execute("SELECT count(*) FROM responses WHERE triage != 'new'").fetchone()[0] == 0
        )
    finally:
        con.close()


async def test_a_store_that_fails_under_a_key_is_a_notice_not_a_crash(store_file: Path, make_app):
    """The store stops taking writes while the app runs (SQLite's query_only, which answers
    as a file made read-only under the app does): every write key gives a one-line notice
    naming the file, the app goes on, nothing is half written, and the same key works
    once the store takes writes again."""
    from helpers.app import SIZE, ready

    store = await SqliteStore.open(store_file)
    try:
        app = make_app(store)
        notices: list[str] = []
        async with app.run_test(size=SIZE) as pilot:
            screen = await ready(app, pilot)
            app.notify = lambda message, **kw: notices.append(str(message))  # type: ignore[method-assign]
            await store._run(lambda db: db.execute("PRAGMA query_only=1"))
            for key in ("x", "1", "2", "a", "s", "x", "3", "d"):
                await pilot.press(key)
            await pilot.pause()
            assert app.is_running and app.screen is screen
            full = [n for n in notices if str(store_file) in n]
            assert full, notices
            assert all("\n" not in n and "Traceback" not in n for n in full)
            assert not [n for n in notices if str(store_file) not in n], notices
            await store._run(lambda db: db.execute("PRAGMA query_only=0"))
            before = screen.queue.current.response.id
            await pilot.press("x")
            await pilot.pause()
    finally:
        await store.close()
    con = sqlite3.connect(store_file)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The key after the store took writes again did its work.
        triage = con.execute("SELECT triage FROM responses WHERE id = ?", (before,)).fetchone()
        assert triage == ("handled",)
    finally:
        con.close()
