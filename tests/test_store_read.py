"""The store's public SQL hooks: ``read`` (read-only, on the store's thread) and
``transaction`` (one BEGIN IMMEDIATE, rolled back on error)."""

from __future__ import annotations

import sqlite3

import pytest

from reactieveld.store.sqlite import SqliteStore


async def test_read_runs_sql_and_refuses_writes(tmp_path):
    store = await SqliteStore.open(tmp_path / "m.db")
    try:
        n = await store.read(lambda db: db.execute("SELECT count(*) FROM responses").fetchone()[0])
        assert n == 0
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await store.read(lambda db: db.execute("INSERT INTO meta VALUES ('x', 'y')"))
        # The guard ends with the call: the store's own writes still work.
        await store.transaction(lambda db: db.execute("INSERT INTO meta VALUES ('x', 'y')"))
        got = await store.read(
            lambda db: db.execute("SELECT value FROM meta WHERE key = 'x'").fetchone()
        )
        assert got == ("y",)
    finally:
        await store.close()


async def test_transaction_rolls_back_on_error(tmp_path):
    store = await SqliteStore.open(tmp_path / "m.db")

    def half(db: sqlite3.Connection) -> None:
        db.execute("INSERT INTO meta VALUES ('half', '1')")
        raise RuntimeError("stop")

    try:
        with pytest.raises(RuntimeError):
            await store.transaction(half)
        found = await store.read(
            lambda db: db.execute("SELECT count(*) FROM meta WHERE key = 'half'").fetchone()[0]
        )
        assert found == 0
    finally:
        await store.close()
