"""Live between moderators on PostgreSQL (issue 13): NOTIFY inside the action's
transaction (so on commit, never on rollback), LISTEN on a connection of its own, ids
only, coalesced, one's own actions left out; ``whoami`` is the database role; a reader
role listens too. No sleeps: each test waits on the subscription's next set.

The moderator actions themselves are ported to PostgreSQL elsewhere (store/pg/actions.py);
here a stand-in decision does what each of them does: change the row, journal it, and
call :func:`reactieveld.store.pg.live.notify` in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from helpers.live import listening

from reactieveld.store.pg.live import IDS_PER_NOTIFY, notify, parse
from reactieveld.store.pg.store import PostgresStore

#: How long a test waits for a set that must come (a failure, not a pause).
WAIT = 10.0


async def fill(store: PostgresStore, n: int) -> list[int]:
    """``n`` responses of source "blog" (raw rows: the ingest is ported elsewhere)."""

    async def fn(c: Any) -> list[int]:
        sid = await c.fetchval(
            "INSERT INTO sources (name, type) VALUES ('blog', 'wordpress') RETURNING id"
        )
        rows = await c.fetch(
            "INSERT INTO responses (source_id, external_id, created_at, fetched_at, "
            "remote_status, content_hash) SELECT $1, 'c' || g, g, g, 'hold', g "
            "FROM generate_series(1, $2) g RETURNING id",
            sid,
            n,
        )
        return sorted(int(r["id"]) for r in rows)

    return await store._write(fn)


async def decide(store: PostgresStore, ids: Sequence[int], *, fail: bool = False) -> None:
    """A stand-in decision: state, journal (actor: session_user) and NOTIFY, one
    transaction; ``fail``: it is rolled back after notifying."""

    async def fn(c: Any) -> None:
        await c.execute(
            "UPDATE responses SET remote_status = 'approved', triage = 'handled', "
            "version = version + 1 WHERE id = ANY($1::bigint[])",
            list(ids),
        )
        await c.execute(
            "INSERT INTO actions (at, actor, kind, response_id) "
            "SELECT 0, session_user, 'status', unnest($1::bigint[])",
            list(ids),
        )
        await notify(c, ids)
        if fail:
            raise RuntimeError("rolled back")

    await store._write(fn)


async def test_a_commit_is_heard_by_the_other_store_not_its_own(pg_url: str) -> None:
    a = await PostgresStore.open(pg_url)
    b = await PostgresStore.open(pg_url)
    try:
        ids = await fill(a, 6)
        assert await a.whoami() == await b.whoami() == "postgres"
        async with listening(a) as heard_a, listening(b) as heard_b:
            await decide(a, ids[:2])
            found = await heard_b.next()
            assert sorted(found.ids) == ids[:2] and found.by == ("postgres",)
            # A heard nothing of its own: the next set A gets is B's decision alone.
            await decide(b, [ids[3]])
            assert (await heard_a.next()).ids == (ids[3],)
    finally:
        await b.close()
        await a.close()


async def test_a_store_told_of_another_of_its_process_hears_neither(pg_url: str) -> None:
    """The app's store is told of its sync engine's (``hear_not``): the engine's writes,
    its rounds' notices included, are left out as the app's own; a third store's are
    heard."""
    from reactieveld.model import Source

    app = await PostgresStore.open(pg_url)
    engine = await PostgresStore.open(pg_url)
    other = await PostgresStore.open(pg_url)
    try:
        ids = await fill(engine, 4)
        await engine.ensure_source(Source("forum", "discourse"))
        app.hear_not(engine)
        app.hear_not(engine)  # told twice: the same
        app.hear_not(app)  # itself: nothing to add
        assert len(app._also_own()) == 1
        async with listening(app) as heard:
            await decide(engine, ids[:2])
            await engine.record_sync("forum", by="tester app")
            await decide(other, [ids[3]])
            await other.record_sync("blog", by="service sync")
            found = await heard.next()
            # The other's two commits (merged or not), nothing of the engine's.
            assert found.ids == (ids[3],) and found.sources in ((), ("blog",))
            if not found.sources:
                found = await heard.next()
                assert found.ids == () and found.sources == ("blog",)
    finally:
        for store in (app, engine, other):
            await store.close()


async def test_a_rolled_back_action_is_never_announced(pg_url: str) -> None:
    a = await PostgresStore.open(pg_url)
    b = await PostgresStore.open(pg_url)
    try:
        ids = await fill(a, 4)
        async with listening(b) as heard:
            with pytest.raises(RuntimeError):
                await decide(a, [ids[0]], fail=True)
            await decide(a, [ids[1]])
            # Notifications come in commit order: had the first been sent, it came first.
            assert (await heard.next()).ids == (ids[1],)
        row = await b._read(
            lambda c: c.fetchval("SELECT triage FROM responses WHERE id=$1", ids[0])
        )
        assert row == "new"
    finally:
        await b.close()
        await a.close()


async def test_a_burst_comes_merged_and_a_big_batch_whole(pg_url: str) -> None:
    a = await PostgresStore.open(pg_url)
    b = await PostgresStore.open(pg_url)
    try:
        ids = await fill(a, IDS_PER_NOTIFY * 2 + 7)  # three notifications in one commit
        async with listening(b) as heard:
            await decide(a, ids)
            got: set[int] = set()
            while len(got) < len(ids):
                found = await heard.next()
                assert not got & set(found.ids)  # nothing said twice
                got |= set(found.ids)
            assert got == set(ids)
    finally:
        await b.close()
        await a.close()


async def test_a_stranger_payload_on_the_channel_is_ignored(pg_url: str) -> None:
    a = await PostgresStore.open(pg_url)
    b = await PostgresStore.open(pg_url)
    try:
        ids = await fill(a, 2)
        async with listening(b) as heard:
            for junk in ("junk", "[1,2]", '{"ids": ["x"]}', '{"ids": [true]}', "{}"):
                await a._read(lambda c, j=junk: c.execute("SELECT pg_notify('reactieveld', $1)", j))
            await decide(a, [ids[0]])
            assert (await heard.next()).ids == (ids[0],)
    finally:
        await b.close()
        await a.close()


def test_parse_takes_ids_and_actor_only() -> None:
    assert parse('{"ids": [3, 1], "by": "anna"}') == ((3, 1), "anna")
    assert parse('{"ids": [1], "by": 5}') == ((1,), None)
    assert parse("not json") == ((), None)
    assert parse('"text"') == ((), None)


async def test_a_reader_is_read_only_named_by_the_server_and_hears_changes(
    pg_cluster: Any, pg_url: str
) -> None:
    owner = await PostgresStore.open(pg_url)
    reader = await PostgresStore.open(
        pg_cluster.role_url(pg_url, "live_rita", "reactieveld_reader")
    )
    try:
        ids = await fill(owner, 3)
        assert await reader.whoami() == "live_rita"
        assert reader.read_only
        assert reader.read_only_reason() == (
            "read-only: role live_rita is a reader (reactieveld_reader): search, reports and "
            "dashboard only"
        )
        async with listening(reader) as heard:
            await decide(owner, [ids[2]])
            found = await heard.next()
            assert found.ids == (ids[2],) and found.by == ("postgres",)
    finally:
        await reader.close()
        await owner.close()


async def test_a_lost_listening_connection_is_replaced_and_asks_for_everything(
    pg_url: str,
) -> None:
    a = await PostgresStore.open(pg_url)
    b = await PostgresStore.open(pg_url)
    try:
        ids = await fill(a, 3)
        async with listening(b) as heard:
            ended = await a._read(
                lambda c: c.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
                )
            )
            assert ended == 1
            again = await heard.next()
            assert again.everything and again.ids == ()
            await decide(a, [ids[1]])
            found = await heard.next()
            assert found.ids == (ids[1],) and not found.everything
    finally:
        await b.close()
        await a.close()
