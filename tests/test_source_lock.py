"""One sync per source (issue 13): two syncs on one team database never fetch the same
source at the same time. PostgreSQL: an advisory lock per source on a connection of its
own; SQLite: always granted."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fakes import discourse_source
from fakes.discourse import FakeDiscourse

from reactieveld.config import load_config
from reactieveld.store.base import StoreError
from reactieveld.store.pg.locks import source_lock_key
from reactieveld.store.pg.store import PostgresStore
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine, SyncEvent, run_sync


async def test_one_holder_per_source_until_it_lets_go(pg_url: str) -> None:
    a, b = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    try:
        async with a.source_lock("blog") as mine:
            assert mine
            async with b.source_lock("blog") as theirs, b.source_lock("forum") as other:
                assert not theirs and other  # per source, not one lock for all
            assert await b.syncing_elsewhere(["blog", "forum"]) == {"blog"}
            assert await a.syncing_elsewhere(["blog", "forum"]) == set()  # its own
        async with b.source_lock("blog") as now_b:
            assert now_b
        assert await b.syncing_elsewhere(["blog"]) == set()
    finally:
        await a.close()
        await b.close()


async def test_a_sync_that_dies_lets_go_of_its_source(pg_url: str) -> None:
    a, b = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    try:
        async with a.source_lock("blog") as mine:
            assert mine
            # The lock's session ends (a killed process, a lost machine): the server drops
            # its locks with it, and the block of the dead session still ends cleanly.
            await b._read(
                lambda c: c.execute(
                    # Waits (up to 10 s) until the backend is gone with its locks: without
                    # a timeout the call returns once the signal is sent (a race, seen in CI).
                    "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                    "WHERE application_name = 'reactieveld sync blog'"
                )
            )
            async with b.source_lock("blog") as taken:
                assert taken
    finally:
        await a.close()
        await b.close()


async def test_no_server_for_the_lock_is_one_line(pg_url: str, pg_cluster: Any) -> None:
    store = await PostgresStore.open(pg_url)
    try:
        store._dsn = pg_url.replace(f":{pg_cluster.port}/", ":1/")
        with pytest.raises(StoreError, match=r"cannot reach the server .*is it running"):
            async with store.source_lock("blog"):
                pass
    finally:
        await store.close()


async def test_sqlite_always_grants(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "m.db")
    try:
        async with store.source_lock("blog") as one, store.source_lock("blog") as two:
            assert one and two
        assert await store.syncing_elsewhere(["blog"]) == set()
    finally:
        await store.close()


def test_lock_keys_are_stable_and_signed_64_bit() -> None:
    assert source_lock_key("blog") == source_lock_key("blog") != source_lock_key("forum")
    names = [f"bron-{i}" for i in range(2000)] + ["", "é", "a" * 500]
    keys = {source_lock_key(n) for n in names}
    assert len(keys) == len(names)
    assert all(-(2**63) <= k < 2**63 for k in keys)


class _TeamMemory:
    """A SQLite memory whose source locks are those of a PostgreSQL database: the engine's
    seam (``store.source_lock``) with PostgreSQL's locks, while the PostgreSQL store's
    ingest is another part of issue 13. Everything else goes to the SQLite store."""

    def __init__(self, data: SqliteStore, locks: PostgresStore) -> None:
        self._data, self._locks = data, locks

    def __getattr__(self, name: str) -> Any:
        return getattr(self._data, name)

    def source_lock(self, name: str) -> Any:
        return self._locks.source_lock(name)


def _config(tmp_path: Path, forum: FakeDiscourse) -> Any:
    cfg = tmp_path / "reactieveld.toml"
    cfg.write_text(discourse_source(forum)[0], encoding="utf-8")
    return load_config(cfg)


async def _team(tmp_path: Path, pg_url: str) -> list[_TeamMemory]:
    out = []
    for _ in range(2):
        data = await SqliteStore.open(tmp_path / "memory.db")
        out.append(_TeamMemory(data, await PostgresStore.open(pg_url)))
    return out


async def _close(*team: _TeamMemory) -> None:
    for t in team:
        await t._data.close()
        await t._locks.close()


async def test_two_engines_one_source_only_one_fetches(
    tmp_path: Path, pg_url: str, forum: FakeDiscourse
) -> None:
    config = _config(tmp_path, forum)
    one, two = await _team(tmp_path, pg_url)
    first = SyncEngine.from_config(config, one, fetch_process=False)  # type: ignore[arg-type]
    second = SyncEngine.from_config(config, two, fetch_process=False)  # type: ignore[arg-type]
    said: list[SyncEvent] = []
    second.subscribe(said.append)
    # The first engine's round stops inside its fetch until the test lets it go on.
    entered, go_on = asyncio.Event(), asyncio.Event()
    connector = first.sources["forum"].connector
    fetch = connector.fetch

    async def held(cursor: str | None) -> AsyncIterator[Any]:
        entered.set()
        await go_on.wait()
        async for page in fetch(cursor):
            yield page

    connector.fetch = held  # type: ignore[method-assign]
    try:
        round_one = asyncio.create_task(first.sync_source("forum"))
        await entered.wait()
        skipped = await second.sync_source("forum")
        assert skipped.elsewhere and skipped.ok and skipped.pages == 0
        assert forum.requests == []  # the second engine asked the server nothing
        assert [str(e) for e in said if e.kind == "elsewhere"] == [
            "forum: synced by another process; skipped"
        ]
        assert await two._locks.syncing_elsewhere(["forum"]) == {"forum"}
        state = await two.source_state("forum")  # the skip recorded nothing
        assert state is not None and state.last_success is None and state.last_error is None

        go_on.set()
        done = await round_one
        assert done.ok and done.new == 3 and not done.elsewhere
        fetched = len(forum.requests)
        assert fetched > 0

        # The first let go: the second takes the source now (and finds nothing new).
        after = await second.sync_source("forum")
        assert after.ok and not after.elsewhere and after.new == 0
        assert len(forum.requests) > fetched
        assert await two._locks.syncing_elsewhere(["forum"]) == set()
    finally:
        await first.aclose()
        await second.aclose()
        await _close(one, two)


async def test_sync_once_says_which_source_another_process_syncs(
    tmp_path: Path, pg_url: str, forum: FakeDiscourse
) -> None:
    config = _config(tmp_path, forum)
    team, other = await _team(tmp_path, pg_url)
    lines: list[str] = []
    try:
        async with other.source_lock("forum") as mine:
            assert mine
            code = await run_sync(
                config,
                team,  # type: ignore[arg-type]
                once=True,
                printer=lines.append,
                engine_kwargs={"fetch_process": False},
            )
        assert code == 0
        assert lines == ["forum: synced by another process; skipped"]
        assert forum.requests == []
    finally:
        await _close(team, other)
