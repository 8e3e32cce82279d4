"""One sync for the team, visible to everybody (issue 13): a headless ``reactieveld sync``
in another process stores what it fetched; every open app (a moderator's, a reader's)
shows the new rows, the tab counts and the sources' state without syncing itself, the
cursor and marks kept; an app whose source another process syncs leaves it alone and says
"synced by <name>", not an error.

The server is the real loopback Discourse fake; the other process is a second store
(connection) with its own engine; PostgreSQL is a real throwaway cluster, and SQLite a
second connection to one file. No sleeps: the tests wait on the app's messages and state,
each wait bounded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes import discourse_source
from fakes.discourse import FakeDiscourse

from reactieveld.config import load_config
from reactieveld.store.pg.store import PostgresStore
from reactieveld.store.sqlite import SqliteStore
from reactieveld.sync import SyncEngine, run_sync

SERVICE = "service sync"


def _config(tmp_path: Path, forum: FakeDiscourse) -> Any:
    cfg = tmp_path / "reactieveld.toml"
    cfg.write_text(discourse_source(forum)[0] + "poll_seconds = 3600\n", encoding="utf-8")
    return load_config(cfg)


async def test_the_sync_command_records_who_synced(
    tmp_path: Path, pg_url: str, forum: FakeDiscourse
) -> None:
    config = _config(tmp_path, forum)
    store = await PostgresStore.open(pg_url)
    try:
        code = await run_sync(
            config, store, once=True, printer=lambda _: None, engine_kwargs={"fetch_process": False}
        )
        assert code == 0
        state = await store.source_state("forum")
        role = await store.whoami()
        assert role and state is not None and state.synced_by == f"{role} sync"
    finally:
        await store.close()


async def test_sqlite_live_names_the_source_another_connection_synced(
    tmp_path: Path, forum: FakeDiscourse
) -> None:
    config = _config(tmp_path, forum)
    service = await SqliteStore.open(tmp_path / "memory.db")
    mine = await SqliteStore.open(tmp_path / "memory.db")
    engine = SyncEngine.from_config(config, service, fetch_process=False, by=SERVICE)
    try:
        assert not await mine.poll_changes()  # the first look takes the position
        assert (await engine.sync_source("forum")).ok
        found = await mine.poll_changes()
        assert found.sources == ("forum",) and found.ids == ()
        assert not await mine.poll_changes()  # nothing since
        # A round's end that changed the stored state (here: it failed) is news too.
        await service.record_sync("forum", error="HTTP 502", by=SERVICE)
        assert (await mine.poll_changes()).sources == ("forum",)
        assert (await mine.source_state("forum")).synced_by == SERVICE  # type: ignore[union-attr]
    finally:
        await engine.aclose()
        await service.close()
        await mine.close()


async def test_postgresql_ingest_announces_its_source_by_name_only(pg_url: str) -> None:
    from helpers.live import listening
    from helpers.store import page, resp

    from reactieveld.model import Source

    service, mine = await PostgresStore.open(pg_url), await PostgresStore.open(pg_url)
    try:
        await service.ensure_source(Source("blog", "wordpress"))
        async with listening(mine) as heard, listening(service) as own:
            up = await service.upsert_page("blog", page(resp("1", "Hallo")))
            assert up.new == 1
            found = await heard.next()  # sent on the page's commit: its source, no ids
            assert found.sources == ("blog",) and found.ids == () and found
            await service.record_sync("blog", by=SERVICE)  # the round's end
            assert (await heard.next()).sources == ("blog",)
            # The syncing store's own subscription hears none of its own notices: the
            # next set it gets is another connection's round.
            await mine._write(lambda c: c.execute("SELECT 1"))
            await mine.record_sync("blog", by="tester app")
            assert (await own.next()).sources == ("blog",)
    finally:
        await service.close()
        await mine.close()
