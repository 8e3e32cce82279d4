"""Claims and versions on PostgreSQL (store/pg/claims.py and migration 0002_versions):
the same rules as on SQLite (tests/test_store_claims.py), and what only a server with
concurrent transactions shows: a check that locks, a claim two moderators race for."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from reactieveld.store.base import ActionOutcome, Claim
from reactieveld.store.pg.claims import check_seen, guarded
from reactieveld.store.pg.store import PostgresStore

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def pg(pg_url: str):
    """A PostgreSQL store with responses 1, 2, 3 (written in SQL: the ingest is another
    helper's port) and a clock the test moves; yields (store, ids, clock)."""
    store = await PostgresStore.open(pg_url)
    clock = Clock()
    store.clock = clock
    t = int(T0.timestamp())

    async def fill(conn):
        sid = await conn.fetchval(
            "INSERT INTO sources (name, type) VALUES ('blog', 'wordpress') RETURNING id"
        )
        ids = []
        for ext in ("a", "b", "c"):
            ids.append(
                await conn.fetchval(
                    "INSERT INTO responses (source_id, external_id, body_text, created_at, "
                    "fetched_at, remote_status, content_hash) VALUES ($1, $2, $3, $4, $4, "
                    "'approved', 1) RETURNING id",
                    sid,
                    ext,
                    f"tekst {ext}",
                    t,
                )
            )
        return ids

    ids = await store._write(fill)
    yield store, ids, clock
    await store.close()


async def version(store, rid: int) -> int:
    return int(
        await store._read(lambda c: c.fetchval("SELECT version FROM responses WHERE id = $1", rid))
    )


async def claims(store) -> set[tuple[int, str]]:
    rows = await store._read(lambda c: c.fetch("SELECT response_id, actor FROM claims"))
    return {(int(r[0]), str(r[1])) for r in rows}


async def journal(conn, rid: int, actor: str = "m") -> None:
    """A journal entry, as every action writes one."""
    await conn.execute(
        "INSERT INTO actions (at, actor, kind, response_id) VALUES (0, $1, 'tag', $2)", actor, rid
    )


async def test_claim_renew_expire_release(pg):
    store, (a, b, _c), clock = pg
    assert await store.claim(a, actor="anna", minutes=5) is None
    assert await store.claim(a, actor="bert", minutes=5) == Claim("anna", T0 + timedelta(minutes=5))
    clock.now = T0 + timedelta(minutes=3)
    assert await store.claim(a, actor="anna", minutes=5) is None  # renewed
    until, began = await store._read(
        lambda c: c.fetchrow("SELECT until, claimed_at FROM claims WHERE response_id = $1", a)
    )
    assert (until, began) == (int((T0 + timedelta(minutes=8)).timestamp()), int(T0.timestamp()))
    clock.now = T0 + timedelta(minutes=8)  # expired: anyone's
    assert await store.claim(a, actor="bert", minutes=5) is None
    assert await claims(store) == {(a, "bert")}
    await store.claim(b, actor="bert", minutes=5)
    await store.release(a, actor="anna")  # not hers any more: nothing
    assert await claims(store) == {(a, "bert"), (b, "bert")}
    await store.release(None, actor="bert")
    assert await claims(store) == set()


async def test_two_moderators_racing_for_one_response_one_gets_it(pg_url, pg):
    store, (a, _b, _c), clock = pg
    other = await PostgresStore.open(pg_url)
    other.clock = clock  # one time for both (else one sees the other's claim as expired)
    try:
        for _ in range(20):
            got = await asyncio.gather(
                store.claim(a, actor="anna", minutes=5), other.claim(a, actor="bert", minutes=5)
            )
            winners = [
                who for who, theirs in zip(("anna", "bert"), got, strict=True) if theirs is None
            ]
            assert len(winners) == 1
            assert await claims(store) == {(a, winners[0])}
            await store.release(a, actor=winners[0])
    finally:
        await other.close()


async def test_journal_and_a_sync_change_bump_the_version_a_refetch_does_not(pg):
    store, (a, b, _c), _ = pg
    assert await version(store, a) == 1
    await store._write(lambda c: journal(c, a))
    assert await version(store, a) == 2 and await version(store, b) == 1
    await store._write(
        lambda c: c.execute("UPDATE responses SET remote_status = 'spam' WHERE id = $1", a)
    )
    assert await version(store, a) == 3
    await store._write(  # the same values again (a re-fetch): no change
        lambda c: c.execute(
            "UPDATE responses SET remote_status = 'spam', body_text = body_text WHERE id = $1", a
        )
    )
    assert await version(store, a) == 3
    await store._write(
        lambda c: c.execute("UPDATE responses SET body_text = 'nieuw' WHERE id = $1", a)
    )
    assert await version(store, a) == 4


async def test_a_stale_seen_refuses_the_whole_action(pg):
    store, (a, b, c), _ = pg
    seen = {a: 1, b: 1, c: 1}
    await store._write(lambda conn: journal(conn, b, "bert"))  # bert changed b meanwhile
    ran = []

    async def action(conn):
        async def act() -> ActionOutcome:
            ran.append(True)
            for rid in (a, b, c):
                await journal(conn, rid)
            return ActionOutcome(changed=3)

        return await guarded(conn, seen, act, actor="anna", decided=[a, b, c])

    await store.claim(a, actor="anna", minutes=5)
    out = await store._write(action)
    assert out.conflicts == (b,) and out.changed == 0 and ran == []
    assert [await version(store, i) for i in (a, b, c)] == [1, 2, 1]
    assert await claims(store) == {(a, "anna")}  # nothing happened, the claim stays
    # With what is there now, it goes through, and the decision ends the claim.
    seen = {a: 1, b: 2, c: 1}
    out = await store._write(action)
    assert out.conflicts == () and out.changed == 3
    assert await claims(store) == set()


async def test_the_check_locks_so_a_second_decision_waits_and_is_refused(pg_url, pg):
    """Both moderators saw version 1. Anna's action holds the row (checked, not yet
    committed) while Bert's starts: his check waits for her commit, then sees version 2."""
    store, (a, _b, _c), _ = pg
    other = await PostgresStore.open(pg_url)
    checked = asyncio.Event()
    go_on = asyncio.Event()

    async def anna(conn):
        async def act() -> ActionOutcome:
            checked.set()
            await go_on.wait()  # hold the transaction open until Bert's check has started
            await journal(conn, a, "anna")
            return ActionOutcome(changed=1)

        return await guarded(conn, {a: 1}, act, actor="anna")

    async def bert(conn):
        async def act() -> ActionOutcome:
            await journal(conn, a, "bert")
            return ActionOutcome(changed=1)

        return await guarded(conn, {a: 1}, act, actor="bert")

    try:
        first = asyncio.create_task(store._write(anna))
        await checked.wait()
        second = asyncio.create_task(other._write(bert))
        # Bert's check is blocked on Anna's row lock: ask the server until it says so
        # (each question is a round trip, no sleep).
        for _ in range(500):
            waiting = await other._read(
                lambda c: c.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
            )
            if waiting:
                break
        assert waiting, "bert's check did not wait for anna's lock"
        go_on.set()
        assert (await first).changed == 1
        out = await second
        assert out.conflicts == (a,) and out.changed == 0
        rows = await store._read(
            lambda c: c.fetch("SELECT actor FROM actions WHERE response_id = $1", a)
        )
        assert [r[0] for r in rows] == ["anna"]
    finally:
        await other.close()


async def test_check_seen_reports_gone_rows_and_ignores_nothing(pg):
    store, (a, _b, _c), _ = pg
    assert await store._write(lambda c: check_seen(c, None)) == []
    assert await store._write(lambda c: check_seen(c, {a: 1, 999_999: 1})) == [999_999]
