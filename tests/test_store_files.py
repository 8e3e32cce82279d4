"""The store's files: the database, its -wal and -shm 0600, its folder 0700 when we make
it, and the author secret in a key file beside it (0600), never in the database
(issue 10, item 4)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from helpers.store import anna

from reactieveld.cli import main
from reactieveld.model import Page, Response, Source
from reactieveld.store.base import QueueFilter, StoreError
from reactieveld.store.files import key_file_path
from reactieveld.store.sqlite import SqliteStore


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def open_with(path: Path, *responses: Response, **kw) -> SqliteStore:
    store = await SqliteStore.open(path, **kw)
    await store.ensure_source(Source("blog", "wordpress"))
    if responses:
        await store.upsert_page("blog", Page(responses=responses))
    return store


def db_bytes(path: Path) -> bytes:
    """The database and its -wal/-shm, not the key file."""
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


async def test_modes_of_a_new_store(tmp_path):
    old_umask = os.umask(0o022)  # the usual umask: 0644 files, 0755 folders
    try:
        path = tmp_path / "new" / "deeper" / "memory.db"
        store = await open_with(path, anna("1", "anna@example.org"))
        try:
            assert mode(path) == 0o600
            for extra in ("-wal", "-shm"):  # open: SQLite has them, with the file's mode
                assert mode(Path(f"{path}{extra}")) == 0o600
            assert mode(path.parent) == 0o700  # made by us
            assert mode(key_file_path(path)) == 0o600
            assert key_file_path(path).name == "memory.db.author-key"
        finally:
            await store.close()
    finally:
        os.umask(old_umask)


async def test_an_existing_folder_keeps_its_mode_and_a_loose_file_is_tightened(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o755)
    path = folder / "memory.db"
    await (await open_with(path)).close()
    assert mode(folder) == 0o755  # not ours to change
    path.chmod(0o644)  # as an older reactieveld made it
    store = await SqliteStore.open(path)
    try:
        assert mode(path) == 0o600
    finally:
        await store.close()


@pytest.mark.parametrize("loose", [0o644, 0o604, 0o640, 0o660, 0o666])
async def test_a_loose_author_key_file_is_tightened(tmp_path, loose):
    """The key file copied back from a backup (0644 by the umask) stayed readable by
    everyone on the machine after the store was opened (the store itself was tightened):
    the secret with which anyone can test a guessed e-mail address against the author
    keys. It is 0600 again once the store opens."""
    path = tmp_path / "memory.db"
    await (await open_with(path, anna("1", "anna@example.org"))).close()
    key_file_path(path).chmod(loose)
    store = await SqliteStore.open(path)
    try:
        assert mode(key_file_path(path)) == 0o600
        assert mode(path) == 0o600
    finally:
        await store.close()


async def test_the_secret_is_in_the_key_file_not_in_the_database(tmp_path):
    path = tmp_path / "memory.db"
    store = await open_with(path, anna("1", "anna@example.org"))
    try:
        kept = key_file_path(path).read_text().strip()
        assert len(kept) == 64
        assert await store.kept_author_secret() == kept
        keys = await store.read(lambda db: dict(db.execute("SELECT key, value FROM meta")))
        assert "author_secret" not in keys and "author_secret_check" in keys
    finally:
        await store.close()
    data = db_bytes(path)
    assert kept.encode() not in data and bytes.fromhex(kept) not in data
    assert b"anna@example.org" not in data


async def test_an_old_store_moves_its_secret_out_and_keeps_every_key(tmp_path):
    path = tmp_path / "memory.db"
    store = await open_with(
        path, anna("1", "anna@example.org"), anna("2", "bob@example.org"), anna("3", None)
    )
    await store.close()
    # As an older reactieveld left it: the secret in meta, no check value, no key file.
    secret = key_file_path(path).read_text().strip()
    key_file_path(path).unlink()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM meta WHERE key = 'author_secret_check'")
    con.execute("INSERT INTO meta VALUES ('author_secret', ?)", (secret,))
    con.commit()
    before = dict(con.execute("SELECT external_id, author_key FROM responses"))
    con.close()
    path.chmod(0o644)
    assert secret.encode() in db_bytes(path)

    store = await open_with(path, anna("4", "anna@example.org"))
    try:
        after = await store.read(
            lambda db: dict(db.execute("SELECT external_id, author_key FROM responses"))
        )
        assert {k: after[k] for k in before} == before  # every key still valid
        assert after["4"] == before["1"]  # a new response links to the old ones
        assert key_file_path(path).read_text().strip() == secret
        assert mode(key_file_path(path)) == 0o600 and mode(path) == 0o600
    finally:
        await store.close()
    # Overwritten in the file (secure_delete) and not left in the WAL (truncated).
    assert secret.encode() not in db_bytes(path)


async def test_a_missing_key_file_makes_no_new_secret(tmp_path):
    path = tmp_path / "memory.db"
    await (await open_with(path, anna("1", "anna@example.org"))).close()
    key_file_path(path).unlink()
    store = await SqliteStore.open(path)
    try:
        assert len(await store.queue(QueueFilter())) == 1
        with pytest.raises(StoreError) as err:
            await store.upsert_page("blog", Page(responses=[anna("2", "bob@example.org")]))
        assert str(key_file_path(path)) in str(err.value)
        assert "restore that key file from a backup" in str(err.value)
    finally:
        await store.close()
    assert not key_file_path(path).exists()  # a made-up key would split every author


async def test_another_stores_key_file_is_refused(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    await (await open_with(a, anna("1", "anna@example.org"))).close()
    await (await open_with(b, anna("1", "anna@example.org"))).close()
    key_file_path(a).write_text(key_file_path(b).read_text())
    with pytest.raises(StoreError, match="is not the author key") as err:
        await SqliteStore.open(a)
    assert str(key_file_path(a)) in str(err.value)


def test_author_secret_prints_the_key_files_key(tmp_path, capsys):
    path = tmp_path / "memory.db"

    async def make() -> None:
        await (await open_with(path, anna("1", "anna@example.org"))).close()

    asyncio.run(make())
    assert main(["author-secret", "--db", str(path)]) == 0
    assert capsys.readouterr().out.strip() == key_file_path(path).read_text().strip()


def test_the_demo_store_gets_the_same(tmp_path, monkeypatch):
    from dataclasses import replace

    from reactieveld.cli import demo_source, seed_demo
    from reactieveld.config import load_config

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "x"))

    config = replace(load_config(None), sources=(demo_source(count=20),))
    path = tmp_path / "data" / "demo.db"
    seed_demo(config, path)
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert mode(key_file_path(path)) == 0o600
    kept = key_file_path(path).read_text().strip()
    assert kept.encode() not in db_bytes(path)


def _count_elsewhere(path: Path) -> int:
    """The responses another process sees (a cron sync, a search, ``sqlite3``): it opens
    the file, reads and closes; its closing checkpoints and deletes the -wal file when it
    can lock the file alone, i.e. when no other process holds a lock on it."""
    import subprocess
    import sys

    code = (
        "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); "
        "print(db.execute('SELECT count(*) FROM responses').fetchone()[0]); db.close()"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return int(out.stdout)


@pytest.mark.parametrize("second_read_only", [False, True])
async def test_a_second_opening_in_the_process_keeps_the_first_ones_locks(
    tmp_path, second_read_only
):
    # The app opens the same file up to four times (keys, sync, background reads,
    # counts). Checking the file before each later opening read its header with open()
    # and through an immutable connection; closing those let go of every SQLite lock of
    # the process (POSIX locks), so another process's closing deleted the -wal file the
    # app went on writing into: its later decisions were gone for everyone else.
    path = tmp_path / "memory.db"
    first = await open_with(path, anna("1", "anna@example.org"))
    second = await SqliteStore.open(path, read_only=second_read_only)
    try:
        assert _count_elsewhere(path) == 1
        assert Path(f"{path}-wal").exists()
        await first.upsert_page("blog", Page(responses=(anna("2", "anna@example.org"),)))
        assert _count_elsewhere(path) == 2
    finally:
        await second.close()
        await first.close()
    third = await SqliteStore.open(path)  # closed and opened again: checked as before
    try:
        assert (
            await third.read(lambda db: db.execute("SELECT count(*) FROM responses").fetchone()[0])
            == 2
        )
    finally:
        await third.close()
