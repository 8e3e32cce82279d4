"""A lock's own connection (store/pg/locks.py: the outbox holder's, a source's while a
sync fetches it): the server notices a client that vanished (TCP keepalives), and letting
go of the lock does not hang on a network that died."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import pytest
from helpers.relay import MuteRelay

from reactieveld.store.pg.store import PostgresStore

#: The locks with a connection of their own.
KINDS = ["holder", "source"]


def _opened(monkeypatch: pytest.MonkeyPatch) -> list[asyncpg.Connection]:
    """The connections ``asyncpg.connect`` opens from now on (the pool's are open)."""
    opened: list[asyncpg.Connection] = []
    connect = asyncpg.connect

    async def spy(*args: Any, **kw: Any) -> asyncpg.Connection:
        conn = await connect(*args, **kw)
        opened.append(conn)
        return conn

    monkeypatch.setattr(asyncpg, "connect", spy)
    return opened


@contextlib.asynccontextmanager
async def _holding(store: PostgresStore, kind: str) -> AsyncIterator[None]:
    """The lock of ``kind`` held by ``store`` (the outbox holder's until the store closes)."""
    if kind == "holder":
        assert await store.outbox_holder()
        yield
    else:
        async with store.source_lock("blog") as mine:
            assert mine
            yield


@pytest.mark.parametrize("kind", KINDS)
async def test_a_locks_session_asks_whether_its_client_is_there(
    pg_url: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server asks after 30 s, then every 10 s, 3 times: a machine gone without a
    word releases its lock in about a minute (was: the source lock's session waited the
    system's two hours, its source skipped by every other sync meanwhile)."""
    store = await PostgresStore.open(pg_url)
    opened = _opened(monkeypatch)
    try:
        async with _holding(store, kind):
            [conn] = opened
            settings = ("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count")
            said = [await conn.fetchval(f"SHOW {name}") for name in settings]
            assert said == ["30", "10", "3"], said
    finally:
        await store.close()


@pytest.mark.parametrize("kind", KINDS)
async def test_letting_go_of_a_lock_does_not_hang_on_a_dead_network(
    pg_url: str, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock's connection runs through a relay that stops forwarding while the lock is
    held: closing the store (the holder's) or ending the sync of the source returns within
    a bound (was: 5 s waiting for the server's goodbye), its connection closed."""
    server = urlsplit(pg_url)
    assert server.hostname and server.port
    store = await PostgresStore.open(pg_url)
    opened = _opened(monkeypatch)
    try:
        async with MuteRelay(server.hostname, server.port) as relay:
            store._dsn = pg_url.replace(f":{server.port}/", f":{relay.port}/")
            started = 0.0
            async with _holding(store, kind):
                relay.mute()
                started = time.monotonic()
            if kind == "holder":
                await store.close()
            took = time.monotonic() - started
            assert took < 3, f"{took:.1f} s"
            [conn] = opened
            assert conn.is_closed()
            await asyncio.wait_for(relay.clients_closed(), 10)  # its socket closed too
    finally:
        await store.close()
