"""Ingest on PostgreSQL, checked against SQLite: the same pages give the same stored rows
on both backends (generated pages: repeated ids, edits, status changes, gone ids, threads
renamed, lone surrogates), NUL is stored repaired, the search vector is what a fresh
one of the row's texts would be, a page is one transaction, and the author keys' secret
is kept as on SQLite (a different one refused). Asserted in the tables, not only through
the store."""

from __future__ import annotations

import asyncio
import itertools
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from helpers.generated import store_examples
from helpers.store import T0, page, resp, sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.model import Page, RemoteStatus, Response, Source, Thread
from reactieveld.store.base import PastWork, SinkDelivery, SinkPosition, StoreError
from reactieveld.store.ingest import raw_storable, storable
from reactieveld.store.open import open_store
from reactieveld.store.pg.ingest import search_vector
from reactieveld.store.pg.store import PostgresStore

SECRET = "ab" * 32
STATUSES = [RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM, RemoteStatus.TRASH]
#: Words, with a lone surrogate among them (text neither store can keep as is; NUL, which
#: only PostgreSQL cannot keep, has its own test).
WORDS = st.sampled_from(["boom", "bomen", "Fiets", "café", "x\ud800y", "park"])
TEXTS = st.lists(WORDS, min_size=0, max_size=4).map(" ".join)

RESPONSES = st.builds(
    lambda ext, body, thread, status, author, email, minutes, role, meta: replace(
        resp(
            ext,
            body,
            source="",
            thread=thread,
            minutes=minutes,
            status=status,
            author=author,
            email=email,
            role_hint=role,
        ),
        meta=meta,
    ),
    ext=st.sampled_from(["1", "2", "3", "4", "x\udc00"]),
    body=TEXTS,
    thread=st.sampled_from(["p1", "p2", None]),
    status=st.sampled_from(STATUSES),
    author=st.sampled_from(["Anna", "Bram", "Çem\ud801"]),
    email=st.sampled_from([None, "a@x.nl", "b@x.nl"]),
    minutes=st.integers(0, 5),
    role=st.sampled_from([None, "raad"]),
    meta=st.sampled_from([{}, {"author": 0}, {"k": "v\ud802"}]),
)
PAGES = st.builds(
    lambda responses, threads, gone, cursor: Page(
        responses=responses,
        threads=[Thread("", ext, title) for ext, title in threads],
        gone=gone,
        next_cursor=cursor,
    ),
    responses=st.lists(RESPONSES, max_size=5),
    threads=st.lists(st.tuples(st.sampled_from(["p1", "p2"]), TEXTS), max_size=2),
    gone=st.dictionaries(st.sampled_from(["1", "2", "9"]), st.sampled_from(STATUSES), max_size=2),
    cursor=st.sampled_from([None, "c1", "c\ud800"]),
)

#: What both backends must hold alike (ids and times of fetching aside).
RESPONSE_STATE = (
    "SELECT r.external_id, r.thread_external_id, r.parent_external_id, r.author_name, "
    "r.author_key, r.author_url, r.body_text, r.body_raw, r.body_format, r.url, r.created_at, "
    "r.updated_at, r.remote_status, r.triage, r.role_hint, r.meta, r.content_hash "
    "FROM responses r JOIN sources s ON s.id = r.source_id WHERE s.name = ? "
    "ORDER BY r.external_id"
)
THREAD_STATE = (
    "SELECT th.external_id, th.title, th.url, th.created_at, th.meta FROM threads th "
    "JOIN sources s ON s.id = th.source_id WHERE s.name = ? ORDER BY th.external_id"
)
TAG_STATE = (
    "SELECT r.external_id, t.kind, t.code FROM tags t JOIN responses r ON r.id = t.response_id "
    "JOIN sources s ON s.id = r.source_id WHERE s.name = ? ORDER BY 1, 2, 3"
)
#: The order of the ids: a page's new rows get them in the page's order (the platform's),
#: whatever the threads they are in.
ID_ORDER = (
    "SELECT r.external_id FROM responses r JOIN sources s ON s.id = r.source_id "
    "WHERE s.name = ? ORDER BY r.id"
)
SOURCE_STATE = (
    "SELECT s.cursor, coalesce((SELECT n FROM source_repairs WHERE source_id = s.id), 0) "
    "FROM sources s WHERE s.name = ?"
)


def in_source(p: Page, name: str) -> Page:
    from dataclasses import replace

    return replace(
        p,
        responses=[replace(r, source=name) for r in p.responses],
        threads=[replace(t, source=name) for t in p.threads],
    )


async def state(store: Any, name: str) -> dict[str, Any]:
    return {
        q: await sql(store, q, (name,))
        for q in (RESPONSE_STATE, THREAD_STATE, TAG_STATE, ID_ORDER, SOURCE_STATE)
    }


_names = itertools.count()


@store_examples(60)
@given(pages=st.lists(PAGES, min_size=1, max_size=4))
def test_generated_pages_store_the_same_rows_on_both_backends(pg_url, pages):
    """Each example in a source of its own (one database for the test): the counts of
    each upsert and the stored rows, threads, role tags, the ids' order, cursor and repair
    count are those of SQLite, and every search vector is that of the row's texts afresh."""
    name = f"s{next(_names)}"

    async def check(db: Path) -> None:
        lite = await open_store(db, author_secret=SECRET)
        pg = await open_store(pg_url, author_secret=SECRET)
        try:
            for s in (lite, pg):
                await s.ensure_source(Source(name, "wordpress"))
            for p in pages:
                a = await lite.upsert_page(name, in_source(p, name))
                b = await pg.upsert_page(name, in_source(p, name))
                assert (a.new, a.updated, a.unchanged) == (b.new, b.updated, b.unchanged)
                assert len(a.new_ids) == len(b.new_ids)
            want, got = await state(lite, name), await state(pg, name)
            for q in want:
                assert want[q] == got[q], q
            fresh = search_vector("r.body_text", "r.author_name", "th.title")
            stale = await sql(
                pg,
                "SELECT r.external_id FROM responses r JOIN sources s ON s.id = r.source_id "
                "LEFT JOIN threads th ON th.source_id = r.source_id "
                "AND th.external_id = r.thread_external_id "
                f"WHERE s.name = ? AND r.search IS DISTINCT FROM {fresh}",
                (name,),
            )
            assert stale == []
        finally:
            await lite.close()
            await pg.close()

    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(check(Path(tmp) / "m.db"))


async def open_pg(url: str, **opts: Any) -> PostgresStore:
    store = await PostgresStore.open(url, **opts)
    await store.ensure_source(Source("blog", "wordpress", "https://blog.example"))
    return store


async def test_version_follows_text_and_status_not_a_re_read(pg_url):
    store = await open_pg(pg_url)
    try:
        await store.upsert_page("blog", page(resp("1", "boom")))
        version = "SELECT version FROM responses WHERE external_id = '1'"
        assert await sql(store, version) == [(1,)]
        await store.upsert_page("blog", page(resp("1", "boom")))
        assert await sql(store, version) == [(1,)]
        await store.upsert_page("blog", page(resp("1", "bomen")))
        assert await sql(store, version) == [(2,)]
        await store.upsert_page("blog", page(resp("1", "bomen", status=RemoteStatus.HOLD)))
        assert await sql(store, version) == [(3,)]
        later = T0 + timedelta(hours=1)  # only the platform's edit time: no new version
        await store.upsert_page(
            "blog", page(resp("1", "bomen", status=RemoteStatus.HOLD, updated=later))
        )
        assert await sql(store, version) == [(3,)]
        await store.upsert_page("blog", page(gone={"1": RemoteStatus.TRASH}))
        assert await sql(store, version) == [(4,)]
    finally:
        await store.close()


async def test_a_thread_renamed_moves_its_responses_in_the_search_vector(pg_url):
    store = await open_pg(pg_url)
    try:
        await store.upsert_page(
            "blog",
            page(resp("1", "eerste"), resp("2", "tweede", thread="p9"), threads=[]),
        )
        await store.upsert_page("blog", page(threads=[Thread("blog", "p9", "Zwembad")]))
        match = "SELECT external_id FROM responses WHERE search @@ to_tsquery('reactieveld', ?)"
        assert await sql(store, match, ("zwembad",)) == [("2",)]
        await store.upsert_page("blog", page(threads=[Thread("blog", "p9", "Sporthal")]))
        assert await sql(store, match, ("zwembad",)) == []
        assert await sql(store, match, ("sporthal",)) == [("2",)]
        assert await sql(store, match, ("eerste",)) == [("1",)]
    finally:
        await store.close()


async def test_a_page_is_one_transaction_a_lost_connection_keeps_nothing(pg_url):
    """The server ends the connection in the middle of a 100-row page (after the rows
    are written, before the cursor): nothing of the page is stored, the error is one
    line, and the same page later stores everything."""
    store = await open_pg(pg_url)
    rows = [resp(str(i), f"reactie {i}", minutes=i) for i in range(100)]
    p = page(*rows, threads=[Thread("blog", "p1", "Park")], cursor="c100")
    admin = await asyncpg.connect(pg_url)
    try:
        # A trigger on the cursor's update ends the writer's own backend: the rows of
        # the page are in its transaction by then.
        await admin.execute(
            "CREATE FUNCTION kill_me() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$; "
            "CREATE TRIGGER kill_me BEFORE UPDATE OF cursor ON sources "
            "FOR EACH ROW EXECUTE FUNCTION kill_me()"
        )
        with pytest.raises(StoreError) as caught:
            await store.upsert_page("blog", p)
        assert "\n" not in str(caught.value) and "127.0.0.1" in str(caught.value)
        assert await admin.fetchval("SELECT count(*) FROM responses") == 0
        assert await admin.fetchval("SELECT count(*) FROM threads") == 0
        assert await admin.fetchval("SELECT count(*) FROM tags") == 0
        assert await admin.fetchval("SELECT cursor FROM sources") is None
        assert await admin.fetchval("SELECT coalesce(sum(n), 0) FROM response_counts") == 0
        await admin.execute("DROP TRIGGER kill_me ON sources")
        result = await store.upsert_page("blog", p)
        assert result.new == 100
        assert await admin.fetchval("SELECT count(*) FROM responses") == 100
        assert await admin.fetchval("SELECT cursor FROM sources") == "c100"
    finally:
        await admin.close()
        await store.close()


async def test_the_author_secret_is_kept_in_meta_and_a_different_one_refused(pg_cluster, pg_url):
    email = "Anna@Voorbeeld.nl"
    store = await open_pg(pg_url)
    try:
        kept = await store.kept_author_secret()
        assert kept is not None and len(kept) == 64
        await store.upsert_page("blog", page(resp("1", "een", email=email)))
        key = store.author_key(email)
        stored = await sql(store, "SELECT author_key FROM responses")
        assert stored == [(key,)]
        dump = await sql(store, "SELECT * FROM responses")
        assert "voorbeeld" not in repr(dump).lower()
    finally:
        await store.close()
    again = await open_pg(pg_url)  # the same key after a restart
    assert again.author_key(email) == key
    await again.close()
    with pytest.raises(StoreError, match="not the one this memory keeps"):
        await PostgresStore.open(pg_url, author_secret="cd" * 32)
    # The kept one given from the environment: it leaves the database, a check stays.
    moved = await open_pg(pg_url, author_secret=kept)
    try:
        assert moved.author_key(email) == key
        assert await moved.kept_author_secret() is None
        keys = await sql(moved, "SELECT key FROM meta ORDER BY key")
        assert ("author_secret",) not in keys and ("author_secret_check",) in keys
    finally:
        await moved.close()
    with pytest.raises(StoreError, match="not the one this memory was made with"):
        await PostgresStore.open(pg_url, author_secret="cd" * 32)
    # Without the secret now: reading works, a new author key is refused in one line.
    blind = await open_pg(pg_url)
    try:
        assert blind.author_key(None) is None
        with pytest.raises(StoreError, match="author_secret_env"):
            blind.author_key(email)
    finally:
        await blind.close()
    # A reader may not read meta: it opens, without a key.
    reader = await PostgresStore.open(pg_cluster.role_url(pg_url, "rolf", "reactieveld_reader"))
    try:
        assert reader.read_only
        assert await reader.kept_author_secret() is None
    finally:
        await reader.close()


async def test_record_history_sinks_and_record_contexts_match_sqlite(pg_url, tmp_path):
    """The history of a year, the sinks' queue and the records' contexts: the same on
    both backends, run side by side."""
    work = [
        PastWork("1", T0 + timedelta(days=1), "anna", RemoteStatus.SPAM, ("3",), "raad", "weg"),
        PastWork("2", T0 + timedelta(days=2), "bram", None, ("1", "2"), None, None),
        PastWork("nope", T0, "anna"),
    ]
    out = []
    for target in (tmp_path / "m.db", pg_url):
        store = await open_store(target, author_secret=SECRET)
        try:
            await store.ensure_source(Source("blog", "wordpress", "https://blog.example"))
            await store.upsert_page(
                "blog",
                page(
                    resp("1", "een", role_hint="inwoner"),
                    resp("2", "twee", minutes=1),
                    threads=[Thread("blog", "p1", "Park", url="https://blog.example/p1")],
                ),
            )
            touched = await store.record_history("blog", work, once="demo")
            assert await store.record_history("blog", work, once="demo") == 0
            ids = [r[0] for r in await sql(store, "SELECT id FROM responses ORDER BY id")]
            contexts = await store.record_contexts([*ids, 999])
            journal = await sql(
                store,
                "SELECT at, kind, actor, before, after, batch FROM actions ORDER BY id",
            )
            notes = await sql(store, "SELECT text, actor, created_at FROM notes ORDER BY id")
            states = await sql(
                store, "SELECT external_id, remote_status, triage FROM responses ORDER BY 1"
            )
            pos, entries = await store.sink_entries("hook", limit=10)
            entries = [e for e in entries if not e.change]
            at = datetime(2026, 1, 1, tzinfo=UTC)

            def plan(held, entries=entries):
                return [
                    SinkDelivery(e.response_id, e.id, "tag", f"p{e.id}", f"d{e.id}")
                    for e in entries
                    if e.response_id is not None and held.get(e.response_id) is None
                ]

            n = await store.sink_advance(
                "hook",
                expected=pos,
                to=SinkPosition(entries[-1].id, 0),
                response_ids=[e.response_id for e in entries if e.response_id],
                plan=plan,
                at=at,
            )
            stale = await store.sink_advance(
                "hook",
                expected=pos,
                to=SinkPosition(entries[-1].id, 0),
                response_ids=[],
                plan=plan,
                at=at,
            )
            due = await store.sink_due("hook")
            await store.sink_mark_done(due[0].id, at=at)
            await store.sink_mark_failed(due[1].id, error="410")
            await store.sink_mark_retry(due[2].id, error="503", next_attempt_at=at)
            queue = await store.sink_queue("hook")
            digests = await sql(store, "SELECT response_id, digest FROM sink_state ORDER BY 1")
            out.append(
                (
                    touched,
                    sorted((k - ids[0], v) for k, v in contexts.items()),
                    [tuple(j) for j in journal],
                    notes,
                    states,
                    pos,
                    len(entries),
                    n,
                    stale,
                    [(d.payload, d.attempts, d.next_attempt_at) for d in due],
                    [(q.event, q.state, q.attempts, q.last_error) for q in queue],
                    [(rid - ids[0], d) for rid, d in digests],
                )
            )
        finally:
            await store.close()
    assert out[0][0] == 2
    assert out[0] == out[1]


async def test_source_bookkeeping(pg_url):
    store = await open_pg(pg_url)
    try:
        await store.ensure_source(Source("forum", "discourse"))
        await store.set_cursor("blog", "c9")
        await store.record_sync("blog", error="boom\ud800\x00", next_try=T0)
        states = await store.source_states()
        assert [s.name for s in states] == ["blog", "forum"]
        blog = await store.source_state("blog")
        assert blog.cursor == "c9" and blog.last_error == "boom\ufffd\ufffd"
        assert blog.next_try == T0
        await store.record_sync("blog")
        blog = await store.source_state("blog")
        assert blog.last_error is None and blog.last_success is not None
        assert await store.source_state("nope") is None
        await store.upsert_page("blog", page(resp("1"), resp("2", status=RemoteStatus.HOLD)))
        assert await store.external_statuses("blog") == {
            "1": RemoteStatus.APPROVED,
            "2": RemoteStatus.HOLD,
        }
        meta = await store.meta()
        assert meta["path"] == store.where and "@" in pg_url
        with pytest.raises(StoreError, match="unknown source"):
            await store.upsert_page("nope", page(resp("1")))
    finally:
        await store.close()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=st.text(st.characters(blacklist_characters="\x00"), max_size=6),
    nuls=st.integers(1, 3),
    after=st.text(st.characters(blacklist_characters="\x00"), max_size=6),
    field=st.sampled_from(["body_text", "body_raw", "author_name", "external_id", "cursor"]),
)
def test_nul_is_stored_repaired_and_counted_once(pg_url, before, nuls, after, field):
    """PostgreSQL's text cannot hold NUL (SQLite's can): in any field it becomes U+FFFD
    (in the raw body the escape text \\u0000), counted as a repair once, never an error."""
    name = f"n{next(_names)}"
    odd = before + "\x00" * nuls + after
    texts = {"body_text": "tekst", "body_raw": "<p>tekst</p>", "author_name": "Anna"}
    texts["external_id"] = "e1"
    if field != "cursor":
        texts[field] = odd
    r = Response(
        source=name,
        thread_external_id="p1",
        created_at=T0,
        body_format="html",
        **texts,
    )
    p = Page(responses=[r], next_cursor=odd if field == "cursor" else None)

    async def check() -> None:
        store = await PostgresStore.open(pg_url)
        try:
            await store.ensure_source(Source(name, "wordpress"))
            assert (await store.upsert_page(name, p)).new == 1
            assert (await store.upsert_page(name, p)).unchanged == 1
            state = await store.source_state(name)
            assert state.repaired == 1
            col = "cursor" if field == "cursor" else field
            table = (
                "sources s"
                if field == "cursor"
                else "responses r JOIN sources s ON s.id = r.source_id"
            )
            [(stored,)] = await sql(store, f"SELECT {col} FROM {table} WHERE s.name = ?", (name,))
            fill = "\\u0000" if field == "body_raw" else "\ufffd"
            want = storable(before)[0] + fill * nuls + storable(after)[0]
            if field == "body_raw":
                want = raw_storable(before)[0] + fill * nuls + raw_storable(after)[0]
            assert stored == want
        finally:
            await store.close()

    asyncio.run(check())


async def test_a_naive_time_is_refused_and_nothing_kept(pg_url):
    store = await open_pg(pg_url)
    try:
        naive = replace(resp("1"), created_at=T0.replace(tzinfo=None))
        with pytest.raises(ValueError, match="naive datetime"):
            await store.upsert_page("blog", page(resp("0"), naive))
        assert await sql(store, "SELECT count(*) FROM responses") == [(0,)]
    finally:
        await store.close()


async def test_two_syncs_of_the_same_page_at_once_store_it_once(pg_url):
    """Two programs upserting the same 100-row page at the same moment: the rows once,
    every row counted new by exactly one of them, no error."""
    a, b = await open_pg(pg_url), await open_pg(pg_url)
    try:
        p = page(*[resp(str(i), f"tekst {i}", minutes=i) for i in range(100)], cursor="c")
        one, two = await asyncio.gather(a.upsert_page("blog", p), b.upsert_page("blog", p))
        assert one.new + two.new == 100
        assert one.unchanged + two.unchanged == 100
        assert await sql(a, "SELECT count(*), count(DISTINCT external_id) FROM responses") == [
            (100, 100)
        ]
        counts = await sql(a, "SELECT sum(n) FROM response_counts")
        assert counts == [(100,)]
    finally:
        await a.close()
        await b.close()


async def test_a_moderator_role_ingests_and_writes_history(pg_cluster, pg_url):
    """Not only the owner: a login role granted reactieveld_moderator syncs pages (threads,
    role tags, repairs) and writes a history with its notes (ids drawn, not set)."""
    owner = await open_pg(pg_url)
    await owner.close()
    store = await open_pg(pg_cluster.role_url(pg_url, "mona", "reactieveld_moderator"))
    try:
        assert not store.read_only
        odd = resp("2", "x\ud800", minutes=1, role_hint="raad", email="m@x.nl")
        p = page(resp("1", "een"), odd, threads=[Thread("blog", "p1", "Park")], cursor="c")
        assert (await store.upsert_page("blog", p)).new == 2
        work = [PastWork("1", T0, "anna", None, ("1",), None, "gebeld")]
        assert await store.record_history("blog", work, once="h") == 1
        assert await sql(store, "SELECT text FROM notes") == [("gebeld",)]
        assert (await store.source_state("blog")).repaired == 2  # body text and raw body
    finally:
        await store.close()


@store_examples(25)
@given(
    threads=st.lists(
        st.sampled_from(["t1", "t2", "t3", "t4", "t5", None]), min_size=2, max_size=60
    ),
    titled=st.sets(st.sampled_from(["t1", "t2", "t3", "t4", "t5"])),
    stored_first=st.booleans(),
)
def test_a_page_s_new_rows_get_their_ids_in_the_page_s_order(pg_url, threads, titled, stored_first):
    """The ids of a page's new responses follow the page (the platform's order), however
    its responses are spread over threads, titled or not, known before or not: a list
    "by arrival" and the memory's own paging by id rely on it."""
    name = f"o{next(_names)}"
    exts = [f"r{i}" for i in range(len(threads))]
    titles = [Thread(name, t, f"Titel {t}") for t in sorted(titled)]
    p = page(
        *(resp(e, f"tekst {e}", source=name, thread=t) for e, t in zip(exts, threads, strict=True)),
        threads=titles,
    )

    async def check() -> None:
        store = await open_store(pg_url)
        try:
            await store.ensure_source(Source(name, "wordpress"))
            if stored_first:  # the threads known from an earlier page
                await store.upsert_page(name, page(threads=titles))
            await store.upsert_page(name, p)
            assert [e for (e,) in await sql(store, ID_ORDER, (name,))] == exts
        finally:
            await store.close()

    asyncio.run(check())


async def test_a_tag_written_without_its_response_s_time_gets_it(pg_url):
    """Another tool's INSERT into tags without ``response_created`` still gets the
    response's time (the queues of a question read it); a writer that gives it (every one
    of ours) keeps what it gave (migration 0010: the look-up runs only when it is left out)."""
    store = await open_pg(pg_url)
    try:
        await store.upsert_page("blog", page(resp("a", minutes=7)))
        (rid, created) = (await sql(store, "SELECT id, created_at FROM responses"))[0]
        insert = (
            "INSERT INTO tags (response_id, kind, code, codebook_version, created_at, actor{}) "
            "VALUES ($1, 'question', $2, 'v1', 0, 'tool'{})"
        )
        await store._write(lambda c: c.execute(insert.format("", ""), rid, "1"))
        await store._write(
            lambda c: c.execute(insert.format(", response_created", ", $3"), rid, "2", 42)
        )
        got = await sql(store, "SELECT code, response_created FROM tags ORDER BY code")
        assert got == [("1", created), ("2", 42)]
    finally:
        await store.close()
