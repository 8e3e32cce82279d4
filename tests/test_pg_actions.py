"""Moderator actions and the outbox on PostgreSQL: one transaction each (state + journal
under ``session_user`` + outbox), undo by the role's own last batch, two moderators
deciding the same items at once (none decided twice, none lost), two outbox workers that
never take one row, and a reader refused in one line.

The rows are made with SQL here (the PostgreSQL ingest is another part of the store), and
everything is asserted on the tables themselves."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from helpers.pgrows import moderator, race_jobs, seeded
from helpers.store import each_action, open_store, page, resp, sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.model import Action, Capability, OutboxState, RemoteStatus, utcnow
from reactieveld.store.base import StoreError
from reactieveld.store.pg.ingest import search_vector
from reactieveld.store.pg.store import PostgresStore
from reactieveld.store.writeback import OUTBOX_LEASE

A, HOLD, SPAM = RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM


async def q(store: PostgresStore, query: str, *args: Any) -> list[tuple[Any, ...]]:
    rows = await store._read(lambda c: c.fetch(query, *args))
    return [tuple(r) for r in rows]


async def state(store: PostgresStore, rid: int) -> tuple[Any, ...]:
    """Everything an action may change about a response (not its version)."""
    [(status, triage)] = await q(
        store, "SELECT remote_status, triage FROM responses WHERE id = $1", rid
    )
    tags = await q(
        store, "SELECT kind, code FROM tags WHERE response_id = $1 ORDER BY kind, code", rid
    )
    notes = await q(
        store,
        "SELECT text FROM notes WHERE response_id = $1 AND deleted_at IS NULL ORDER BY id",
        rid,
    )
    return status, triage, tuple(tags), tuple(notes)


async def counts(store: PostgresStore) -> tuple[int, int, int]:
    [row] = await q(
        store,
        "SELECT (SELECT count(*) FROM actions), (SELECT count(*) FROM outbox), "
        "(SELECT count(*) FROM notes)",
    )
    return row


ACTIONS = each_action("iemand")


@pytest.mark.parametrize("kind", ACTIONS)
async def test_each_action_journals_its_role_and_undo_puts_it_back(pg_url: str, kind: str) -> None:
    store, (a, b, _c) = await seeded(pg_url)
    try:
        await store.toggle_question([b], "4", actor="x")  # so "tag" on b is an untag
        await store.set_role([b], "raad", actor="x")
        before = [await state(store, i) for i in (a, b)]
        versions = dict(await q(store, "SELECT id, version FROM responses"))
        done = await ACTIONS[kind](store, [a, b])
        assert done.changed >= 1
        assert [await state(store, i) for i in (a, b)] != before
        # The journal names the connection's role, not the actor= the caller passed.
        actors = await q(store, "SELECT DISTINCT actor FROM actions")
        assert actors == [("postgres",)]
        # Every journalled change bumped its response's version (a decision that also
        # changes the remote status may bump twice: versions are only compared), and
        # nothing else changed one.
        touched = {
            r[0]
            for r in await q(
                store, "SELECT response_id FROM actions WHERE id = ANY($1)", list(done.journal_ids)
            )
        }
        now = dict(await q(store, "SELECT id, version FROM responses"))
        assert {rid for rid, v in now.items() if v != versions[rid]} == touched
        assert all(now[rid] > versions[rid] for rid in touched)
        queued = await q(store, "SELECT journal_id, state FROM outbox ORDER BY id")
        if kind in ("moderate", "reply"):
            assert {j for j, _ in queued} <= set(done.journal_ids) and queued
            assert set(done.outbox_ids) == {
                r[0] for r in await q(store, "SELECT id FROM outbox WHERE state = 'pending'")
            }
        else:
            assert queued == []

        undo = await store.undo_last(actor="not me")
        assert undo.changed == done.changed
        assert [await state(store, i) for i in (a, b)] == before
        undone = await q(
            store,
            "SELECT undoes, actor FROM actions WHERE kind = 'undo' ORDER BY id",
        )
        assert [u for u, _ in undone] == sorted(done.journal_ids, reverse=True)
        assert {who for _, who in undone} == {"postgres"}
        # A write-back not sent yet is cancelled, not sent.
        assert await store.outbox_due() == []
        assert {s for _, s in await q(store, "SELECT id, state FROM outbox")} <= {"cancelled"}
    finally:
        await store.close()


@pytest.mark.parametrize("kind", ACTIONS)
async def test_each_action_is_one_transaction(pg_url: str, kind: str) -> None:
    store, (a, _b, c) = await seeded(pg_url)
    try:
        # The journal refuses the entry for c: whatever was written for a must go too.
        await store._write(
            lambda conn: conn.execute(
                "CREATE FUNCTION fail_c() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.response_id = {c} THEN RAISE EXCEPTION 'disk full, say'; END IF; "
                "RETURN NEW; END $$; CREATE TRIGGER fail_c BEFORE INSERT ON actions "
                "FOR EACH ROW EXECUTE FUNCTION fail_c()"
            )
        )
        before = [await state(store, i) for i in (a, c)]
        versions = await q(store, "SELECT id, version FROM responses ORDER BY id")
        with pytest.raises(StoreError, match="disk full") as caught:
            await ACTIONS[kind](store, [a, c])
        assert "\n" not in str(caught.value)
        assert [await state(store, i) for i in (a, c)] == before
        assert await counts(store) == (0, 0, 0)
        assert await q(store, "SELECT id, version FROM responses ORDER BY id") == versions
    finally:
        await store.close()


async def test_undo_takes_back_only_the_roles_own_work(pg_cluster: Any, pg_url: str) -> None:
    owner, (a, b, c) = await seeded(pg_url)
    anna = await moderator(pg_cluster, pg_url, "anna")
    bram = await moderator(pg_cluster, pg_url, "bram")
    try:
        await anna.moderate([a], SPAM, actor="bram")  # the name given is not the one used
        await bram.moderate([b], A, actor="anna")  # later, by the colleague
        assert await q(owner, "SELECT response_id, actor FROM actions ORDER BY id") == [
            (a, "anna"),
            (b, "bram"),
        ]
        undo = await anna.undo_last(actor="bram")
        assert undo.changed == 1
        assert (await state(owner, a))[:2] == ("approved", "new")
        assert (await state(owner, b))[:2] == ("approved", "handled")  # bram's stays
        assert (await anna.undo_last(actor="anna")).changed == 0
        assert (await bram.undo_last(actor="bram")).changed == 1
        assert (await state(owner, b))[:2] == ("hold", "new")
        assert (await state(owner, c))[:2] == ("approved", "new")
    finally:
        for s in (anna, bram, owner):
            await s.close()


async def test_undo_is_refused_when_another_role_changed_the_row_since(
    pg_cluster: Any, pg_url: str
) -> None:
    owner, (a, b, _c) = await seeded(pg_url)
    anna = await moderator(pg_cluster, pg_url, "anna")
    bram = await moderator(pg_cluster, pg_url, "bram")
    try:
        await anna.moderate([a, b], SPAM, actor="anna")
        await bram.moderate([b], A, actor="bram")  # bram approves b after anna's spam
        before = [await state(owner, i) for i in (a, b)], await counts(owner)
        out = await anna.undo_last(actor="anna")
        assert out.conflicts == (b,) and out.changed == 0
        assert ([await state(owner, i) for i in (a, b)], await counts(owner)) == before
        await anna.toggle_question([a], "3", actor="anna")
        out = await anna.undo_last(actor="anna")
        assert out.conflicts == () and out.changed == 1
    finally:
        for s in (anna, bram, owner):
            await s.close()


async def test_a_stale_seen_refuses_the_whole_action(pg_url: str) -> None:
    store, (a, b, _c) = await seeded(pg_url)
    try:
        seen = dict(await q(store, "SELECT id, version FROM responses WHERE id = ANY($1)", [a, b]))
        await store.toggle_question([b], "2", actor="x")  # someone changed b since
        out = await store.moderate([a, b], SPAM, actor="x", seen=seen)
        assert out.conflicts == (b,) and out.changed == 0
        assert (await state(store, a))[:2] == ("approved", "new")
        assert await counts(store) == (1, 0, 0)  # the tag's entry only
    finally:
        await store.close()


async def test_two_moderators_decide_the_same_items_at_once(pg_cluster: Any, pg_url: str) -> None:
    """500 items, two moderators with their own pools working through them in random
    order and random batches at the same time, each batch decided with the versions they
    saw: every item ends with exactly one decision and one outbox row; a batch with an
    item the other decided first is refused whole and said so (conflicts), and the
    moderator decides what is left of it (as the app does after refreshing the rows)."""
    n = 500
    owner, ids = await seeded(pg_url, n)
    stores = [await moderator(pg_cluster, pg_url, name, max_size=6) for name in ("anna", "bram")]
    rng = random.Random(13)
    refused: list[int] = []

    async def work(store: PostgresStore, batch: list[int], status: RemoteStatus) -> int:
        rows = await q(store, "SELECT id, version, triage FROM responses WHERE id = ANY($1)", batch)
        todo = {rid: v for rid, v, triage in rows if triage == "new"}
        while todo:
            out = await store.moderate(sorted(todo), status, actor="?", seen=todo)
            if not out.conflicts:
                return out.changed
            refused.extend(out.conflicts)
            assert out.changed == 0 and not out.journal_ids
            rows = await q(
                store, "SELECT id, version, triage FROM responses WHERE id = ANY($1)", batch
            )
            todo = {rid: v for rid, v, triage in rows if triage == "new"}
        return 0

    jobs = race_jobs(stores, ids, rng, work)
    try:
        changed = await asyncio.gather(*jobs)
        decided = await q(
            owner,
            "SELECT response_id, count(*), min(actor) FROM actions WHERE kind = 'moderate' "
            "GROUP BY response_id",
        )
        assert sum(changed) == n
        assert len(decided) == n and {c for _, c, _ in decided} == {1}  # 0 twice, 0 lost
        assert {who for *_, who in decided} <= {"anna", "bram"}
        assert refused  # the race did happen, and was not silent
        [(handled,)] = await q(owner, "SELECT count(*) FROM responses WHERE triage = 'handled'")
        assert handled == n
        # One outbox row per decision that changed the status on the platform.
        expected = await q(
            owner,
            "SELECT count(*) FROM actions WHERE kind = 'moderate' "
            "AND before::json->>'status' <> after::json->>'status'",
        )
        per_item = await q(owner, "SELECT response_id, count(*) FROM outbox GROUP BY response_id")
        assert {c for _, c in per_item} <= {1} and [(len(per_item),)] == expected
        # The kept counts followed every change.
        [(kept,)] = await q(owner, "SELECT sum(n) FROM response_counts WHERE triage = 'handled'")
        assert kept == n
    finally:
        for s in (*stores, owner):
            await s.close()


async def test_a_reader_is_refused_in_one_line_and_nothing_is_written(
    pg_cluster: Any, pg_url: str
) -> None:
    owner, (a, _b, _c) = await seeded(pg_url)
    reader = await PostgresStore.open(pg_cluster.role_url(pg_url, "r", "reactieveld_reader"))
    try:
        for attempt in (
            lambda: reader.moderate([a], SPAM, actor="r"),
            lambda: reader.add_note(a, "x", actor="r"),
            lambda: reader.undo_last(actor="r"),
        ):
            with pytest.raises(StoreError, match="reader") as caught:
                await attempt()
            assert "\n" not in str(caught.value)
        # Past the store's own refusal, the database refuses too (its grants).
        reader.read_only = False
        with pytest.raises(StoreError, match=r"role r may not change") as caught:
            await reader.moderate([a], SPAM, actor="r")
        assert "\n" not in str(caught.value)
        assert await counts(owner) == (0, 0, 0)
        assert (await state(owner, a))[:2] == ("approved", "new")
    finally:
        await reader.close()
        await owner.close()


async def test_two_outbox_workers_never_take_one_row(pg_url: str) -> None:
    owner, ids = await seeded(pg_url, 60)
    other = await PostgresStore.open(pg_url)
    try:
        out = await owner.moderate(ids, SPAM, actor="m")
        assert len(out.outbox_ids) == 60  # none was spam: each one changes on the platform
        got = await asyncio.gather(
            *(w.outbox_due(limit=7) for w in (owner, other) for _ in range(6))
        )
        first = {i.id for i in got[0]}
        mine = {i.id for batch in got[:6] for i in batch}
        theirs = {i.id for batch in got[6:] for i in batch}
        assert not mine & theirs
        # A worker sees its own leased rows again until it records their outcome.
        assert first <= {i.id for i in await owner.outbox_due(limit=60)}
        assert not first & {i.id for i in await other.outbox_due(limit=60)}
        # Recorded as retried: free for any worker when due again.
        oid = min(first)
        await owner.outbox_retry(oid, error="HTTP 503", next_attempt_at=utcnow())
        assert oid in {i.id for i in await other.outbox_due(limit=60)}
        # The first worker stopped: when its lease has run out (moved back here, not
        # waited for), the other takes its rows; before, it does not.
        left = first - {oid}
        assert not left & {i.id for i in await other.outbox_due(limit=60)}
        await owner._write(
            lambda c: c.execute(
                "UPDATE outbox SET lease_until = lease_until - $1 WHERE id = ANY($2)",
                OUTBOX_LEASE,
                list(left),
            )
        )
        assert left <= {i.id for i in await other.outbox_due(limit=60)}
    finally:
        await other.close()
        await owner.close()


async def test_the_outbox_lifecycle_on_postgresql(pg_url: str) -> None:
    store, (a, b, c) = await seeded(pg_url)
    try:
        out = await store.moderate([a, b, c], SPAM, actor="m")
        oa, ob, oc = out.outbox_ids
        items = await store.outbox_due()
        assert [i.id for i in items] == [oa, ob, oc]
        assert items[1].action.expected_status is HOLD
        assert items[1].action.capability is Capability.SPAM
        assert items[1].action.meta == {"post": 7}
        before = {i.id: i.action.expected_status for i in await store.outbox_items()}
        await store.outbox_fail(ob, error="409 changed", conflict=True, remote_status=A)
        await store.outbox_fail(oc, error="403 forbidden")
        states = {i.id: i.state for i in await store.outbox_items()}
        # A conflict's status on the site is what a retry of it expects (the moderator
        # was told it); a refusal keeps the status first seen.
        expected = {i.id: i.action.expected_status for i in await store.outbox_items()}
        assert (expected[ob], expected[oc]) == (A, before[oc]) and before[ob] is not A
        assert states == {oa: OutboxState.PENDING, ob: OutboxState.CONFLICT, oc: OutboxState.FAILED}
        assert [i.id for i in await store.outbox_items(states=["conflict", "failed"])] == [oc, ob]
        await store.outbox_requeue(ob)
        [requeued] = [i for i in await store.outbox_due() if i.id == ob]
        assert requeued.action.expected_status is None
        # Applied, then undone: the reverse is queued, with what we left on the platform.
        await store.outbox_done(oa, remote_status=SPAM)
        await store.outbox_done(ob, remote_status=SPAM)
        undo = await store.undo_last(actor="m")
        reverse = {i.response_id: i for i in await store.outbox_due()}
        assert set(undo.outbox_ids) == {reverse[a].id, reverse[b].id}
        assert (reverse[b].action.capability, reverse[b].action.expected_status) == (
            Capability.HOLD,
            SPAM,
        )
        assert reverse[a].action.meta == {"post": 7, "undo_of": oa}
        assert (await state(store, b))[:2] == ("hold", "new")
        # A reply applied remotely joins its thread as the organisation's own, handled.
        [rid] = (await store.reply(c, "Dank!", actor="m")).outbox_ids
        await store.outbox_done(rid, remote_status=A, external_id="reply-9")
        [mine] = await q(
            store,
            "SELECT r.parent_external_id, r.triage, r.author_name, t.code FROM responses r "
            "JOIN tags t ON t.response_id = r.id AND t.kind = 'role' "
            "WHERE r.external_id = 'reply-9'",
        )
        assert mine == ("e3", "handled", "postgres", "organisatie")
        # Found by search as ingest would index it: the same vector, weights and title.
        [(same,)] = await q(
            store,
            "SELECT r.search = "
            + search_vector("r.body_text", "r.author_name", "th.title")
            + " FROM responses r LEFT JOIN threads th ON th.source_id = r.source_id "
            "AND th.external_id = r.thread_external_id WHERE r.external_id = 'reply-9'",
        )
        assert same is True
        [(undo_of,)] = await q(
            store,
            "SELECT meta FROM outbox WHERE id = ANY($1)",
            list((await store.undo_last(actor="m")).outbox_ids),
        )
        assert json.loads(undo_of) == {"undo_of": rid}
        # A write-back that is not a decision (no journal entry); an unknown source refused.
        oid = await store.enqueue(Action(Capability.APPROVE, "blog", "e1", meta={"k": 1}))
        [item] = [i for i in await store.outbox_due() if i.id == oid]
        assert (item.journal_id, item.response_id, item.action.meta) == (None, None, {"k": 1})
        with pytest.raises(StoreError, match="unknown source 'elders'"):
            await store.enqueue(Action(Capability.APPROVE, "elders", "c"))
    finally:
        await store.close()


async def test_a_change_is_announced_on_commit_ids_only(pg_url: str) -> None:
    """NOTIFY on channel reactieveld with the changed ids and the role, sent when the
    action commits: a rolled-back action announces nothing."""
    store, (a, b, c) = await seeded(pg_url)
    heard: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    listener = await asyncpg.connect(pg_url)
    await listener.add_listener("reactieveld", lambda *args: heard.put_nowait(json.loads(args[3])))
    try:
        await store._write(
            lambda conn: conn.execute(
                "CREATE FUNCTION fail_c() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.response_id = {c} THEN RAISE EXCEPTION 'refused'; END IF; "
                "RETURN NEW; END $$; CREATE TRIGGER fail_c BEFORE INSERT ON actions "
                "FOR EACH ROW EXECUTE FUNCTION fail_c()"
            )
        )
        with pytest.raises(StoreError):
            await store.moderate([a, c], SPAM, actor="m")
        await store.add_note(b, "Bel mevrouw terug op 06-12345678", actor="m")
        await store.moderate([b, a], SPAM, actor="m")
        first = await asyncio.wait_for(heard.get(), 10)
        assert first == {"ids": [b], "by": "postgres"}  # the note's; no text in it
        assert await asyncio.wait_for(heard.get(), 10) == {"ids": [a, b], "by": "postgres"}
    finally:
        await listener.close()
        await store.close()


# -- the same actions on both backends -------------------------------------------------
KINDS = ("moderate", "handle", "tag", "role", "note", "reply", "undo")
STATUSES = (A, HOLD, SPAM, RemoteStatus.TRASH)


def step() -> st.SearchStrategy[tuple[str, list[int], int]]:
    return st.tuples(
        st.sampled_from(KINDS),
        st.lists(st.integers(0, 3), min_size=1, max_size=4),
        st.integers(0, 3),
    )


async def apply(store: Any, kind: str, picks: list[int], ids: list[int], n: int) -> Any:
    chosen = [ids[i] for i in picks]
    if kind == "moderate":
        return await store.moderate(chosen, STATUSES[n], actor="postgres")
    if kind == "handle":
        return await store.mark_handled(chosen, actor="postgres")
    if kind == "tag":
        return await store.toggle_question(chosen, str(n + 1), actor="postgres")
    if kind == "role":
        return await store.set_role(
            chosen, (None, "raad", "burger", "college")[n], actor="postgres"
        )
    if kind == "note":
        return await store.add_note(chosen[0], f"notitie {n}", actor="postgres")
    if kind == "reply":
        return await store.reply(chosen[0], f"antwoord {n}", actor="postgres")
    return await store.undo_last(actor="postgres")


async def both_states(store: Any, ids: list[int]) -> list[tuple[Any, ...]]:
    out = []
    for rid in ids:
        [(status, triage)] = await sql(
            store, "SELECT remote_status, triage FROM responses WHERE id = ?", (rid,)
        )
        tags = await sql(
            store, "SELECT kind, code FROM tags WHERE response_id = ? ORDER BY kind, code", (rid,)
        )
        notes = await sql(
            store,
            "SELECT text FROM notes WHERE response_id = ? AND deleted_at IS NULL ORDER BY id",
            (rid,),
        )
        out.append((status, triage, tuple(tags), tuple(notes)))
    return out


async def outbox_shape(store: Any) -> list[tuple[Any, ...]]:
    rows = await sql(
        store,
        "SELECT capability, external_id, expected_status, text, state FROM outbox ORDER BY id",
    )
    return [tuple(r) for r in rows]


def test_any_sequence_of_actions_does_on_postgresql_what_it_does_on_sqlite(
    pg_cluster: Any, tmp_path: Path
) -> None:
    """Generated sequences of actions and undos by one moderator, on a SQLite file and a
    PostgreSQL database with the same four responses: after every step the same outcome
    (changed, journal entries, outbox rows), the same states and the same outbox; and
    undoing everything brings both back to where they began."""
    url = str(pg_cluster.url(pg_cluster.new_database()))
    path = tmp_path / "m.db"

    async def setup() -> None:
        pg, _ = await seeded(url, 4)
        await pg.close()
        lite = await open_store(path)
        await lite.upsert_page(
            "blog",
            page(
                *(
                    resp(f"e{i}", f"reactie {i}", minutes=i, status=HOLD if i == 2 else A)
                    for i in range(1, 5)
                )
            ),
        )
        await lite.close()

    asyncio.run(setup())

    async def run(steps: list[tuple[str, list[int], int]]) -> None:
        pg = await PostgresStore.open(url)
        lite = await open_store(path)
        try:
            pg_ids = [r[0] for r in await sql(pg, "SELECT id FROM responses ORDER BY id")]
            lite_ids = [r[0] for r in await sql(lite, "SELECT id FROM responses ORDER BY id")]
            start = await both_states(lite, lite_ids)
            assert await both_states(pg, pg_ids) == start
            for kind, picks, n in steps:
                got = [
                    await apply(s, kind, picks, ids, n)
                    for s, ids in ((lite, lite_ids), (pg, pg_ids))
                ]
                shape = [(o.changed, len(o.journal_ids), len(o.outbox_ids)) for o in got]
                assert shape[0] == shape[1], kind
                assert await both_states(pg, pg_ids) == await both_states(lite, lite_ids)
                assert await outbox_shape(pg) == await outbox_shape(lite)
            while (await lite.undo_last(actor="postgres")).changed:
                assert (await pg.undo_last(actor="postgres")).changed
            assert (await pg.undo_last(actor="postgres")).changed == 0
            assert await both_states(pg, pg_ids) == start == await both_states(lite, lite_ids)
        finally:
            await pg.close()
            await lite.close()

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(step(), min_size=1, max_size=8))
    def check(steps: list[tuple[str, list[int], int]]) -> None:
        asyncio.run(run(steps))

    check()


async def test_the_journal_is_append_only(pg_cluster: Any, pg_url: str) -> None:
    owner, (a, _b, _c) = await seeded(pg_url)
    anna = await moderator(pg_cluster, pg_url, "anna")
    try:
        await anna.mark_handled([a], actor="anna")
        for statement in ("UPDATE actions SET actor = 'someone else'", "DELETE FROM actions"):
            # The owner meets the trigger; a moderator has not even the right.
            with pytest.raises(StoreError, match="append-only"):
                await owner._write(lambda c, s=statement: c.execute(s))
            with pytest.raises(StoreError, match="may not change"):
                await anna._write(lambda c, s=statement: c.execute(s))
        assert await q(owner, "SELECT actor FROM actions") == [("anna",)]
    finally:
        await anna.close()
        await owner.close()


@pytest.mark.skipif(
    not hasattr(PostgresStore, "upsert_page"), reason="waits for the PostgreSQL ingest"
)
async def test_a_sync_and_two_moderators_at_once(pg_cluster: Any, pg_url: str) -> None:
    """A sync storing pages that change the same responses (status, text) while two
    moderators decide them: no deadlock and no error, each response decided once."""
    n = 240
    owner = await open_store(pg_url)
    await owner.upsert_page(
        "blog", page(*(resp(f"s{i}", f"tekst {i}", minutes=i) for i in range(n)))
    )
    ids = [r[0] for r in await q(owner, "SELECT id FROM responses ORDER BY id")]
    stores = [await moderator(pg_cluster, pg_url, name) for name in ("anna", "bram")]
    rng = random.Random(7)

    async def sync(round_: int) -> None:
        order = list(range(n))
        rng.shuffle(order)  # a page in another order than the moderators lock in
        for start in range(0, n, 60):
            await owner.upsert_page(
                "blog",
                page(
                    *(
                        resp(f"s{i}", f"tekst {i} versie {round_}", minutes=i)
                        for i in order[start : start + 60]
                    )
                ),
            )

    async def work(store: PostgresStore, batch: list[int]) -> None:
        while True:
            rows = await q(
                store,
                "SELECT id, version FROM responses WHERE id = ANY($1) AND triage = 'new'",
                batch,
            )
            if not rows:
                return
            out = await store.moderate([r[0] for r in rows], SPAM, actor="?", seen=dict(rows))
            if not out.conflicts:
                return

    jobs: list[Any] = [sync(r) for r in range(3)]
    for store in stores:
        order = ids[:]
        rng.shuffle(order)
        jobs += [work(store, order[i : i + 8]) for i in range(0, n, 8)]
    rng.shuffle(jobs)
    try:
        await asyncio.gather(*jobs)
        decided = await q(
            owner,
            "SELECT response_id, count(*) FROM actions WHERE kind = 'moderate' GROUP BY 1",
        )
        assert len(decided) == n and {c for _, c in decided} == {1}
    finally:
        for s in (*stores, owner):
            await s.close()


async def test_a_deadlock_s_victim_is_run_again_and_journalled_once(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real deadlock between a moderator's action and another program (another app, a
    sync): the other holds the response's row and then waits for the action's lock of the
    kept counts, which the action holds while it waits for that row. The server stops the
    action's transaction (40P01); the store runs it again once the other is done: the
    moderator's call succeeds, with one journal entry and one write-back (was: the one
    line "the server stopped this change as another came at the same time ... try
    again", and nothing done)."""
    from reactieveld.store.pg import actions as pg_actions
    from reactieveld.store.pg.base import KEPT_COUNTS_LOCK

    # The action's backend finds the circle (its check 10 ms into its wait); the other's
    # never looks (an hour): the action is the server's victim, whatever the load.
    admin = await asyncpg.connect(pg_url)
    db = await admin.fetchval("SELECT current_database()")
    await admin.execute(f'ALTER DATABASE "{db}" SET deadlock_timeout = 10')
    store, (a, _b, _c) = await seeded(pg_url)
    other = await asyncpg.connect(pg_url, server_settings={"deadlock_timeout": "1h"})
    tries: list[int] = []
    holding, go_on = asyncio.Event(), asyncio.Event()
    counts_lock = pg_actions.counts_lock

    async def counts_lock_then_wait(conn: asyncpg.Connection) -> None:
        await counts_lock(conn)
        tries.append(conn.get_server_pid())
        if len(tries) == 1:  # the first try waits, holding the lock, until the other waits
            holding.set()
            await go_on.wait()

    monkeypatch.setattr(pg_actions, "counts_lock", counts_lock_then_wait)
    try:
        await other.execute("BEGIN")
        await other.execute("SELECT 1 FROM responses WHERE id = $1 FOR UPDATE", a)
        action = asyncio.create_task(store.moderate([a], SPAM, actor="?"))
        await holding.wait()
        waits = asyncio.create_task(
            other.execute("SELECT pg_advisory_xact_lock($1)", KEPT_COUNTS_LOCK)
        )
        # The other waits for the action's lock: ask the server until it says so (each
        # question a round trip, no sleep); then the action goes on to wait for the row.
        blocked: list[int] = []
        for _ in range(2000):
            blocked = await admin.fetchval("SELECT pg_blocking_pids($1)", other.get_server_pid())
            if blocked or waits.done():
                break
        assert blocked == tries[:1], (blocked, tries)
        go_on.set()
        await waits  # the action's first try was stopped: its lock is the other's now
        await other.execute("COMMIT")
        done = await action
        assert done.changed == 1 and len(done.journal_ids) == 1 and len(done.outbox_ids) == 1
        assert len(tries) == 2  # run again, whole: its lock taken again
        assert await counts(store) == (1, 1, 0)
        assert await state(store, a) == ("spam", "handled", (), ())
    finally:
        await other.close()
        await store.close()
        await admin.close()
