"""A --db that names something else: another program's file or database is refused
before anything in it changes (found in a tryout: ``reactieveld --db /etc/passwd stats``
said "not a reactieveld memory store" after it had made /etc/passwd 0600, and a typo
that named another program's SQLite database gave it our tables, WAL mode, a key file
beside it and mode 0600, without a word).

Kinds, generated: files that are no database (text, binary, a damaged SQLite header,
one byte, ...), SQLite databases of other programs (random table names, names that
clash with ours, some of our tables but not all, another application id, a newer
``user_version``, WAL mode), and on PostgreSQL a database with another program's tables.
For each: one line that names the file, and the file's bytes, mode and folder as they
were. Our own stores, old (no application id) and new, still open."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from reactieveld.cli import main
from reactieveld.store.base import QueueFilter, StoreError
from reactieveld.store.open import open_store
from reactieveld.store.schema import APPLICATION_ID
from reactieveld.store.sqlite import SqliteStore


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file in ``folder``: its bytes' hash and its mode."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), stat.S_IMODE(p.stat().st_mode))
        for p in sorted(folder.iterdir())
    }


def _words(rng: random.Random, n: int) -> str:
    return " ".join(
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 9)))
        for _ in range(n)
    )


def no_database(rng: random.Random) -> bytes:
    """Some file that is not an SQLite database, of a kind picked by ``rng``."""
    kind = rng.randrange(7)
    if kind == 0:  # a text, as /etc/passwd or notes
        return "\n".join(
            f"{_words(rng, 1)}:x:{rng.randint(0, 999)}:{_words(rng, 2)}:/bin/sh" for _ in range(9)
        ).encode()
    if kind == 1:  # random bytes
        return rng.randbytes(rng.randint(1, 9000))
    if kind == 2:  # SQLite's magic, then garbage (a damaged or truncated header)
        return b"SQLite format 3\x00" + rng.randbytes(rng.randint(0, 200))
    if kind == 3:  # one byte
        return bytes([rng.randrange(256)])
    if kind == 4:  # JSON
        return ('{"' + _words(rng, 1) + '": [1, 2, 3]}').encode()
    if kind == 5:  # a gzip header and bytes
        return b"\x1f\x8b\x08\x00" + rng.randbytes(rng.randint(10, 500))
    return ("\ufeff" + _words(rng, 40)).encode()  # UTF-8 text with a BOM


#: Our first migration's tables: a foreign database may have some of them.
OURS = ("meta", "sources", "threads", "responses", "tags", "notes", "actions", "outbox")


def foreign_database(path: Path, rng: random.Random) -> str:
    """Make another program's SQLite database at ``path``; returns what kind it is."""
    db = sqlite3.connect(path)
    kind = rng.randrange(6)
    tables = [f"t_{_words(rng, 1)}_{i}" for i in range(rng.randint(1, 6))]
    if kind == 1:  # names that clash with ours
        tables += rng.sample(OURS, rng.randint(1, 3))
    elif kind == 2:  # all of our first tables but under another application id
        tables = list(OURS)
        db.execute(f"PRAGMA application_id = {rng.choice([1, 0x4D504258, APPLICATION_ID + 1])}")
    elif kind == 3:  # no tables, but another application id
        tables = []
        db.execute(f"PRAGMA application_id = {rng.randint(1, 2**31 - 1)}")
        db.execute("PRAGMA user_version = 7")
    elif kind == 4:  # a newer-looking user_version
        db.execute(f"PRAGMA user_version = {rng.randint(16, 10_000)}")
    elif kind == 5:  # WAL mode, as many programs keep theirs
        db.execute("PRAGMA journal_mode = WAL")
    for t in dict.fromkeys(tables):
        db.execute(f'CREATE TABLE "{t}" (id INTEGER PRIMARY KEY, v TEXT)')
        db.execute(f'INSERT INTO "{t}" (v) VALUES (?)', (_words(rng, 3),))
    db.commit()
    if kind == 5:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for extra in ("-wal", "-shm"):  # closed cleanly: the database file alone
        Path(f"{path}{extra}").unlink(missing_ok=True)
    return ("tables", "clash", "other id", "id only", "user_version", "wal")[kind]


async def refused(path: Path, read_only: bool) -> str:
    """The one line an open of ``path`` is refused with (a store that opens is closed
    again, and the test fails)."""
    try:
        store = await SqliteStore.open(path, read_only=read_only)
    except StoreError as exc:
        return str(exc)
    await store.close()
    pytest.fail(f"{path} was opened as a memory store")


def _loose(path: Path) -> None:
    path.chmod(0o644)
    path.parent.chmod(0o755)


@pytest.mark.parametrize("seed", range(24))
@pytest.mark.parametrize("read_only", [False, True])
async def test_a_file_that_is_no_database_is_refused_and_left_as_it_was(
    tmp_path: Path, seed: int, read_only: bool
) -> None:
    path = tmp_path / "f" / "passwd"
    path.parent.mkdir()
    path.write_bytes(no_database(random.Random(seed)))
    _loose(path)
    before = snapshot(path.parent)
    said = await refused(path, read_only)
    assert str(path) in said and "\n" not in said
    assert snapshot(path.parent) == before  # bytes, mode, no -wal/-shm/key file
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o755


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("read_only", [False, True])
async def test_another_programs_database_is_refused_and_left_as_it_was(
    tmp_path: Path, seed: int, read_only: bool
) -> None:
    path = tmp_path / "f" / "places.sqlite"
    path.parent.mkdir()
    kind = foreign_database(path, random.Random(seed))
    _loose(path)
    before = snapshot(path.parent)
    said = await refused(path, read_only)
    assert str(path) in said and "\n" not in said, kind
    assert "another program" in said and "nothing in it was changed" in said, (kind, said)
    assert snapshot(path.parent) == before, kind


def test_the_command_line_says_it_in_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for seed in range(6):
        path = tmp_path / f"other{seed}.db"
        foreign_database(path, random.Random(seed))
        _loose(path)
        before = snapshot(tmp_path)
        assert main(["--db", str(path), "stats"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and str(path) in err and "another program" in err, err
        assert "Traceback" not in err
        assert snapshot(tmp_path) == before


async def test_our_stores_open_and_carry_the_application_id(tmp_path: Path) -> None:
    path = tmp_path / "memory.db"
    store = await SqliteStore.open(path)
    await store.close()
    header = path.read_bytes()[68:72]  # the header's application id (big-endian)
    assert int.from_bytes(header, "big") == APPLICATION_ID
    # A store made before the id: our tables, no id. It opens, and gets the id.
    db = sqlite3.connect(path)
    db.execute("PRAGMA application_id = 0")
    db.close()
    path.chmod(0o644)  # as an older reactieveld made it: tightened once known ours
    for read_only in (True, False):
        store = await SqliteStore.open(path, read_only=read_only)
        assert await store.count(QueueFilter()) == 0
        await store.close()
    assert int.from_bytes(path.read_bytes()[68:72], "big") == APPLICATION_ID
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_a_new_empty_sqlite_file_becomes_a_store(tmp_path: Path) -> None:
    # An empty database another tool made (``sqlite3 x.db "VACUUM"``): no tables, no id.
    path = tmp_path / "made-by-sqlite3.db"
    db = sqlite3.connect(path)
    db.execute("VACUUM")
    db.close()
    assert path.stat().st_size > 0
    store = await SqliteStore.open(path)
    await store.close()
    assert int.from_bytes(path.read_bytes()[68:72], "big") == APPLICATION_ID


async def _pg_tables(url: str) -> list[str]:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v') ORDER BY 1"
        )
        return [str(r[0]) for r in rows]
    finally:
        await conn.close()


@pytest.mark.parametrize("seed", range(4))
async def test_a_postgresql_database_of_another_program_is_refused(
    pg_cluster: Any, seed: int
) -> None:
    rng = random.Random(seed)
    db = pg_cluster.new_database()
    tables = [f"t_{_words(rng, 1)}_{i}" for i in range(rng.randint(1, 3))]
    if seed % 2:
        tables.append(rng.choice(OURS))  # a name of ours among them
    pg_cluster.psql(
        "; ".join(f'CREATE TABLE "{t}" (id int); INSERT INTO "{t}" VALUES (1)' for t in tables),
        db,
    )
    url = str(pg_cluster.url(db))
    before = await _pg_tables(url)
    with pytest.raises(StoreError) as caught:
        await open_store(url)
    said = str(caught.value)
    assert "another program" in said and "nothing in it was changed" in said, said
    assert "\n" not in said
    assert await _pg_tables(url) == before  # no schema_migrations, none of ours


async def test_a_postgresql_database_with_an_extensions_tables_opens(pg_cluster: Any) -> None:
    # An extension's own relations (pg_stat_statements' views here; PostGIS's
    # spatial_ref_sys elsewhere) are not another program's data.
    db = pg_cluster.new_database()
    pg_cluster.psql("CREATE EXTENSION pg_stat_statements", db)
    store = await open_store(str(pg_cluster.url(db)))
    try:
        assert await store.count(QueueFilter()) == 0
    finally:
        await store.close()
