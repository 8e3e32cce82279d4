"""The memory store on real SQLite files: ingest, queues, counts, search.

Moderator actions, undo and the outbox are in test_store_actions.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from datetime import timedelta

import pytest
from helpers.store import T0, A, open_store, page, resp, sql

from reactieveld.model import RemoteStatus, Thread, TriageState
from reactieveld.store import fts as store_fts
from reactieveld.store import planner as store_planner
from reactieveld.store.base import Keyset, QueueFilter
from reactieveld.store.rows import COUNTS_SQL
from reactieveld.store.sqlite import SqliteStore


@pytest.fixture
async def store(store_target):
    """The memory on each backend (SQLite, then PostgreSQL)."""
    s = await open_store(store_target)
    yield s
    await s.close()


async def rid(store: SqliteStore, ext: str, source: str = "blog") -> int:
    row = await store.get_by_external(source, ext)
    assert row is not None, ext
    return row.response.id


def exts(rows) -> list[str]:
    return [r.response.external_id for r in rows]


async def hits(store: SqliteStore, query: str, **kw) -> list[str]:
    return [h.row.response.external_id for h in await store.search(query, **kw)]


#: The search index's terms as (term, documents, occurrences) on each backend: SQLite's
#: FTS5 vocabulary, PostgreSQL's ``ts_stat`` over the ``search`` vectors.
_TERMS = {
    True: "SELECT term, doc, cnt FROM responses_vocab",
    False: "SELECT word, ndoc, nentry FROM ts_stat('SELECT search FROM responses')",
}
#: How many responses the search index holds.
_INDEXED = {
    True: "SELECT count(*) FROM responses_fts_docsize",
    False: "SELECT count(*) FROM responses WHERE search IS NOT NULL",
}


async def fts_docs(store: SqliteStore, term: str) -> int:
    query = f"SELECT * FROM ({_TERMS[isinstance(store, SqliteStore)]}) AS t"
    rows = [row[1:2] for row in await sql(store, query) if row[0] == term]
    return rows[0][0] if rows else 0


async def fts_rows(store: SqliteStore) -> list[tuple]:
    return await sql(store, _INDEXED[isinstance(store, SqliteStore)])


# -- the file ---------------------------------------------------------------------------
@pytest.mark.sqlite_only("the file's WAL mode and pragmas")
async def test_wal_foreign_keys_and_busy_timeout(store, tmp_path):
    assert (await sql(store, "PRAGMA journal_mode"))[0][0] == "wal"
    assert (await sql(store, "PRAGMA foreign_keys"))[0][0] == 1
    assert (await sql(store, "PRAGMA busy_timeout"))[0][0] >= 5000
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        await sql(
            store,
            "INSERT INTO tags (response_id, kind, code, codebook_version, created_at, actor) "
            "VALUES (999, 'question', '1', 'v', 0, 'x')",
        )
    # WAL is a property of the file: another program opening it sees it too.
    db = sqlite3.connect(tmp_path / "m.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


# -- ingest -----------------------------------------------------------------------------
async def _snapshot(store: SqliteStore) -> dict:
    ids = [r[0] for r in await sql(store, "SELECT id FROM responses ORDER BY id")]
    return {
        "responses": await sql(store, "SELECT * FROM responses ORDER BY id"),
        "threads": await sql(store, "SELECT * FROM threads ORDER BY id"),
        "tags": await sql(store, "SELECT * FROM tags ORDER BY 1, 2, 3"),
        "sources": await sql(store, "SELECT * FROM sources ORDER BY id"),
        "fts_rows": await fts_rows(store),
        "fts_terms": await sql(store, _TERMS[isinstance(store, SqliteStore)] + " ORDER BY 1"),
        "fetched": await store.get_many(ids),
    }


async def test_same_page_twice_changes_nothing(store):
    p = page(
        resp("1", "Meer bomen in het park", role_hint="ambtenaar"),
        resp("2", "Minder auto's", parent="1", minutes=1, email="b@example.org"),
        resp("3", "Een fietspad langs de vaart", thread="p2", minutes=2),
        threads=[Thread("blog", "p1", "Stadspark"), Thread("blog", "p2", "Vaart")],
        cursor="c1",
    )
    first = await store.upsert_page("blog", p)
    assert (first.new, first.updated, first.unchanged) == (3, 0, 0)
    assert len(first.new_ids) == 3
    before = await _snapshot(store)
    assert before["fts_rows"] == [(3,)]

    again = await store.upsert_page("blog", p)
    assert (again.new, again.updated, again.unchanged, again.new_ids) == (0, 0, 3, ())
    assert await _snapshot(store) == before
    assert await hits(store, "bomen") == ["1"]
    assert (await store.source_state("blog")).cursor == "c1"
    assert (await store.get(first.new_ids[0])).role == "ambtenaar"


async def test_a_page_repeating_an_id_keeps_the_last(store):
    res = await store.upsert_page("blog", page(resp("1", "eerste"), resp("1", "tweede")))
    assert res.new == 1
    assert (await store.get_by_external("blog", "1")).response.body_text == "tweede"
    assert await fts_docs(store, "eerste") == 0


async def test_changed_body_updates_and_keeps_tags_notes_triage(store):
    await store.upsert_page("blog", page(resp("1", "Meer bomen graag")))
    i = await rid(store, "1")
    await store.toggle_question([i], "3", actor="mod")
    await store.set_role([i], "raad", actor="mod")
    await store.add_note(i, "bellen", actor="mod")
    await store.mark_handled([i], actor="mod")

    edited = resp("1", "Liever een fietspad", updated=T0 + timedelta(hours=1))
    res = await store.upsert_page("blog", page(edited))
    assert (res.new, res.updated, res.unchanged) == (0, 1, 0)
    row = await store.get(i)
    assert row.response.body_text == "Liever een fietspad"
    assert row.response.updated_at == T0 + timedelta(hours=1)
    assert row.response.triage is TriageState.HANDLED
    assert (row.questions, row.role) == (("3",), "raad")
    assert [n.text for n in await store.notes(i)] == ["bellen"]
    assert await hits(store, "bomen") == []
    assert await hits(store, "fietspad") == ["1"]
    assert await fts_docs(store, "bomen") == 0
    assert (await fts_rows(store))[0][0] == 1


async def test_changed_remote_status_updates_and_keeps_tags(store):
    await store.upsert_page("blog", page(resp("1", "tekst", status=RemoteStatus.HOLD)))
    i = await rid(store, "1")
    await store.toggle_question([i], "1", actor="mod")
    res = await store.upsert_page("blog", page(resp("1", "tekst", status=A)))
    assert res.updated == 1
    row = await store.get(i)
    assert row.response.remote_status is A
    assert row.questions == ("1",)
    assert row.response.triage is TriageState.NEW
    assert await hits(store, "tekst") == ["1"]


async def test_pending_moderation_keeps_local_status_against_a_stale_page(store):
    await store.upsert_page("blog", page(resp("1", "koop nu goedkope pillen")))
    i = await rid(store, "1")
    [oid] = (await store.moderate([i], RemoteStatus.SPAM, actor="mod")).outbox_ids

    # The platform has not heard yet: the next page still says approved.
    res = await store.upsert_page("blog", page(resp("1", "koop nu goedkope pillen")))
    assert res.updated == 0
    stale_edit = resp("1", "koop nu goedkope pillen!!", updated=T0 + timedelta(minutes=5))
    assert (await store.upsert_page("blog", page(stale_edit))).updated == 1
    row = await store.get(i)
    assert row.response.body_text.endswith("!!")
    assert row.response.remote_status is RemoteStatus.SPAM

    # Written back; later someone approves it on the platform itself: that wins.
    await store.outbox_done(oid, remote_status=RemoteStatus.SPAM)
    assert (await store.get(i)).response.remote_status is RemoteStatus.SPAM
    assert (await store.upsert_page("blog", page(stale_edit))).updated == 1
    assert (await store.get(i)).response.remote_status is A


async def test_thread_title_change_reindexes_search(store):
    await store.upsert_page(
        "blog",
        page(
            resp("1", "eerste"),
            resp("2", "tweede", minutes=1),
            resp("3", "derde", thread="p2", minutes=2),
            threads=[Thread("blog", "p1", "Parkeren centrum"), Thread("blog", "p2", "Haven")],
        ),
    )
    assert sorted(await hits(store, "parkeren")) == ["1", "2"]

    await store.upsert_page("blog", page(threads=[Thread("blog", "p1", "Fietsenstalling")]))
    assert await hits(store, "parkeren") == []
    assert sorted(await hits(store, "fietsenstalling")) == ["1", "2"]
    assert await hits(store, "haven") == ["3"]
    assert (await store.get(await rid(store, "1"))).thread_title == "Fietsenstalling"

    # Renamed again in the page that also edits one of its responses.
    await store.upsert_page(
        "blog",
        page(resp("1", "eerste bewerkt"), threads=[Thread("blog", "p1", "Stationsplein")]),
    )
    assert await hits(store, "fietsenstalling") == []
    assert sorted(await hits(store, "stationsplein")) == ["1", "2"]
    assert await hits(store, "bewerkt") == ["1"]
    assert (await fts_docs(store, "fietsenstalling"), await fts_docs(store, "parkeren")) == (0, 0)
    assert await fts_docs(store, "stationsplein") == 2


async def test_thread_arriving_after_its_responses_is_indexed(store):
    await store.upsert_page("blog", page(resp("1", "eerste", thread="p9")))
    await store.upsert_page("blog", page(threads=[Thread("blog", "p9", "Zwembad")]))
    assert await hits(store, "zwembad") == ["1"]
    await store.upsert_page("blog", page(resp("1", "gewijzigd", thread="p9")))
    assert await hits(store, "zwembad") == ["1"]
    assert await fts_docs(store, "zwembad") == 1
    assert await hits(store, "eerste") == []


async def test_gone_marks_status_idempotently_and_a_restore_comes_back(store):
    await store.upsert_page("blog", page(resp("1", "weg"), resp("2", "blijft", minutes=1)))
    res = await store.upsert_page("blog", page(gone={"1": RemoteStatus.DELETED, "nope": A}))
    assert res.updated == 1
    assert (await store.get_by_external("blog", "1")).response.remote_status.value == "deleted"
    assert (await store.get_by_external("blog", "2")).response.remote_status is A
    assert (await store.upsert_page("blog", page(gone={"1": RemoteStatus.DELETED}))).updated == 0
    # Restored from the platform's trash: the same content as before it went.
    assert (await store.upsert_page("blog", page(resp("1", "weg")))).updated == 1
    assert (await store.get_by_external("blog", "1")).response.remote_status is A


async def test_same_external_id_in_two_sources_are_two_responses(store):
    await store.upsert_page("blog", page(resp("1", "blog")))
    await store.upsert_page("forum", page(resp("1", "forum", source="forum")))
    assert (await store.get_by_external("blog", "1")).response.body_text == "blog"
    assert (await store.get_by_external("forum", "1")).response.body_text == "forum"


# -- author keys ------------------------------------------------------------------------
async def test_author_key_is_a_keyed_hash_and_the_email_is_never_stored(tmp_path):
    path = tmp_path / "m.db"
    store = await open_store(path)
    email = "Anna.de.Vries@Voorbeeld-Gemeente.nl"
    try:
        await store.upsert_page(
            "blog",
            page(
                resp("1", "een", email=email, author="Anna de Vries"),
                resp("2", "twee", email=" anna.de.vries@voorbeeld-gemeente.NL ", minutes=1),
                resp("3", "drie", email="iemand@anders.nl", minutes=2),
            ),
        )
        r1, r2, r3 = [await store.get_by_external("blog", e) for e in "123"]
        key = r1.response.author_key
        assert key and key == r2.response.author_key != r3.response.author_key
        assert r1.response.author_email is None
        assert key not in (
            hashlib.sha256(email.encode()).hexdigest()[:32],
            hashlib.sha256(email.lower().encode()).hexdigest()[:32],
        )
        assert await store.author_count(r1) == 1
        assert await store.count(QueueFilter(author_key=key)) == 2
        # Nothing of the address anywhere in the file, the WAL included.
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 0
        for f in (path, wal):
            data = f.read_bytes().lower()
            assert b"voorbeeld-gemeente" not in data and b"anders.nl" not in data
    finally:
        await store.close()
    assert b"voorbeeld-gemeente" not in path.read_bytes().lower()

    # Stable across restarts (author history keeps working) ...
    again = await SqliteStore.open(path)
    try:
        assert again.author_key(email) == key
    finally:
        await again.close()
    # ... but another store's key for the same address differs: it is keyed.
    other = await SqliteStore.open(tmp_path / "other.db")
    try:
        assert other.author_key(email) != key
        assert other.author_key("") is None and other.author_key(None) is None
    finally:
        await other.close()


async def test_a_changed_author_moves_in_the_author_index(store):
    await store.upsert_page(
        "blog",
        page(resp("1", "een", email="a@x.nl"), resp("2", "twee", email="a@x.nl", minutes=1)),
    )
    await store.upsert_page("blog", page(resp("2", "twee", email="b@x.nl", minutes=1)))
    one, two = await store.get_by_external("blog", "1"), await store.get_by_external("blog", "2")
    assert one.response.author_key != two.response.author_key
    assert await store.author_count(one) == 0 and await store.author_history(one) == []
    assert exts(await store.queue(QueueFilter(author_key=two.response.author_key))) == ["2"]
    assert await store.count(QueueFilter(author_key='"x" OR *')) == 0  # never syntax


# -- queues -----------------------------------------------------------------------------
async def test_keyset_paging_while_another_connection_inserts(store, store_target):
    # 300 rows, several per second so (created_at, id) ties are crossed by pages.
    rows = [resp(str(n), f"rij {n}", minutes=(n // 3) / 60) for n in range(300)]
    for i in range(0, 300, 100):
        await store.upsert_page("blog", page(*rows[i : i + 100]))
    expected = exts(await store.queue(QueueFilter(), limit=1000))
    assert len(expected) == 300

    writer = await open_store(store_target)
    page_read, batch_written = asyncio.Event(), asyncio.Event()
    done = False

    async def insert_meanwhile() -> None:
        n = 1000
        while not done:
            await page_read.wait()
            page_read.clear()
            # Newer, older and same-second rows, so every part of the order is disturbed.
            batch = [
                resp(str(n), "nieuw", minutes=10),
                resp(str(n + 1), "oud", minutes=-10),
                resp(str(n + 2), "zelfde seconde", minutes=(150 // 3) / 60),
            ]
            n += 3
            await writer.upsert_page("blog", page(*batch))
            batch_written.set()

    async def read_all() -> list[str]:
        nonlocal done
        seen: list[str] = []
        after: Keyset | None = None
        while True:
            got = await store.queue(QueueFilter(), after=after, limit=50)
            seen += exts(got)
            if len(got) < 50:
                break
            after = got[-1].keyset
            page_read.set()
            await batch_written.wait()
            batch_written.clear()
        done = True
        page_read.set()
        return seen

    try:
        _, seen = await asyncio.gather(insert_meanwhile(), read_all())
    finally:
        await writer.close()
    assert len(seen) == len(set(seen)), "a row was shown twice"
    assert [e for e in seen if int(e) < 1000] == expected
    assert await store.count(QueueFilter()) > 300


async def test_keyset_newer_direction(store):
    await store.upsert_page("blog", page(*[resp(str(n), minutes=n) for n in range(10)]))
    everything = await store.queue(QueueFilter())
    assert exts(everything) == [str(n) for n in range(9, -1, -1)]
    mid = everything[5]  # "4"
    assert exts(await store.queue(QueueFilter(), after=mid.keyset, limit=3)) == ["3", "2", "1"]
    newer = await store.queue(QueueFilter(), after=mid.keyset, limit=3, direction="newer")
    assert exts(newer) == ["7", "6", "5"]
    assert await store.position(QueueFilter(), mid.keyset) == 5


@pytest.fixture
async def filled(store):
    """Six responses in two sources with tags, roles, handled rows and statuses."""
    await store.upsert_page(
        "blog",
        page(
            resp("b1", "meer bomen", minutes=1, email="a@x.nl"),
            resp("b2", "minder auto", minutes=2, status=RemoteStatus.HOLD),
            resp("b3", "casino bonus", minutes=3, thread="p2", status=RemoteStatus.SPAM),
            resp("b4", "een fietspad", minutes=4, thread="p2", email="a@x.nl"),
            threads=[Thread("blog", "p1", "Park"), Thread("blog", "p2", "Haven")],
        ),
    )
    await store.upsert_page(
        "forum",
        page(
            resp("f1", "fietspad graag", source="forum", thread="t1", minutes=5),
            resp("f2", "bomen", source="forum", thread="t1", minutes=6, status=RemoteStatus.HIDDEN),
        ),
    )
    ids = {
        e: await rid(store, e, "forum" if e[0] == "f" else "blog")
        for e in ("b1", "b2", "b3", "b4", "f1", "f2")
    }
    await store.toggle_question([ids["b1"], ids["f1"]], "1", actor="m")
    await store.toggle_question([ids["b2"]], "2", actor="m")
    await store.toggle_question([ids["f1"]], "3", actor="m")
    await store.set_role([ids["b2"]], "raad", actor="m")
    await store.set_role([ids["f2"]], "ambtenaar", actor="m")
    await store.mark_handled([ids["b3"], ids["f2"]], actor="m")
    return ids


@pytest.mark.sqlite_only(
    "its set-up tags and decides: the PostgreSQL actions come with h/pgactions"
)
@pytest.mark.parametrize(
    ("flt", "want"),
    [
        (QueueFilter(), ["f2", "f1", "b4", "b3", "b2", "b1"]),
        (QueueFilter(triage=TriageState.NEW), ["f1", "b4", "b2", "b1"]),
        (QueueFilter(triage=TriageState.HANDLED), ["f2", "b3"]),
        (QueueFilter(statuses=(RemoteStatus.HOLD, RemoteStatus.SPAM)), ["b3", "b2"]),
        (QueueFilter(statuses=(RemoteStatus.HIDDEN,)), ["f2"]),
        (QueueFilter(sources=("forum",)), ["f2", "f1"]),
        (QueueFilter(sources=("blog", "forum")), ["f2", "f1", "b4", "b3", "b2", "b1"]),
        (QueueFilter(sources=("elders",)), []),
        (QueueFilter(questions=("1",)), ["f1", "b1"]),
        (QueueFilter(questions=("2", "3")), ["f1", "b2"]),
        (QueueFilter(roles=("raad",)), ["b2"]),
        (QueueFilter(roles=("raad", "ambtenaar")), ["f2", "b2"]),
        (QueueFilter(untagged=True), ["f2", "b4", "b3"]),
        (QueueFilter(text="fietspad"), ["f1", "b4"]),
        (QueueFilter(text="haven"), ["b4", "b3"]),  # thread title
        (QueueFilter(text="fietspad graag"), ["f1"]),
        (QueueFilter(text='"'), []),
        (QueueFilter(since=T0 + timedelta(minutes=4)), ["f2", "f1", "b4"]),
        (QueueFilter(until=T0 + timedelta(minutes=3)), ["b2", "b1"]),
        (
            QueueFilter(since=T0 + timedelta(minutes=2), until=T0 + timedelta(minutes=5)),
            ["b4", "b3", "b2"],
        ),
        (QueueFilter(thread=("blog", "p2")), ["b4", "b3"]),
        (QueueFilter(thread=("forum", "p2")), []),
        (
            QueueFilter(triage=TriageState.NEW, sources=("blog",), questions=("1", "2")),
            ["b2", "b1"],
        ),
        (QueueFilter(sources=("forum", "elders", "forum")), ["f2", "f1"]),
        (QueueFilter(sources=("blog", "forum"), triage=TriageState.NEW), ["f1", "b4", "b2", "b1"]),
        (QueueFilter(sources=("blog",), statuses=(RemoteStatus.SPAM,)), ["b3"]),
        (
            QueueFilter(sources=("blog", "forum"), statuses=(RemoteStatus.HIDDEN, A)),
            ["f2", "f1", "b4", "b1"],
        ),
        (
            QueueFilter(statuses=(A, RemoteStatus.HOLD), triage=TriageState.NEW, text="bomen"),
            ["b1"],
        ),
    ],
)
async def test_every_queue_filter(store, filled, flt, want):
    assert exts(await store.queue(flt)) == want
    assert await store.count(flt) == len(want)


async def plan(store: SqliteStore, flt: QueueFilter) -> list[str]:
    q, params = store_planner.queue_sql(flt)
    return [row[-1] for row in await sql(store, "EXPLAIN QUERY PLAN " + q, params)]


@pytest.mark.sqlite_only("SQLite's query plan; PostgreSQL's in test_pg_reads.py")
async def test_source_and_status_queues_walk_an_index_in_queue_order(store, filled):
    """A source (or several statuses) must not make SQLite sort every row it matches:
    at 1M responses `IN (SELECT ...)` on the source took 2 s a window."""
    one = await plan(store, QueueFilter(sources=("blog",)))
    assert any("USING INDEX responses_source" in step for step in one), one
    assert not any("TEMP B-TREE" in step for step in one), one
    # Several: one ordered walk per value; only their first rows are merged and sorted.
    for flt, index in (
        (QueueFilter(statuses=(RemoteStatus.SPAM, RemoteStatus.HOLD)), "responses_status"),
        (QueueFilter(sources=("blog", "forum")), "responses_source"),
    ):
        steps = await plan(store, flt)
        assert sum(f"INDEX {index}" in step for step in steps) == 2, steps
        assert any("UNION ALL" in step for step in steps), steps
    # With a tab set, the tab's index drives (the tab is the smaller set in a worked queue).
    tab = await plan(store, QueueFilter(sources=("blog",), triage=TriageState.NEW))
    assert any("USING INDEX responses_triage" in step for step in tab), tab


@pytest.mark.sqlite_only("SQLite's query plan; PostgreSQL's in test_pg_reads.py")
async def test_reported_and_flagged_tabs_are_driven_by_their_few_rows(store, filled):
    """The Reported and Flagged tabs are new responses that are also reported / flagged:
    few among many. Walking the new rows in queue order to find a page of them read every
    new row (75 ms for the Reported count alone at 200,000 responses)."""
    reported = QueueFilter(triage=TriageState.NEW, reported=True)
    steps = await plan(store, reported)
    assert any("USING INDEX responses_reported" in step for step in steps), steps
    assert not any("responses_triage" in step for step in steps), steps
    flagged = await plan(store, QueueFilter(triage=TriageState.NEW, flagged=True))
    assert not any("responses_triage" in step for step in flagged), flagged
    # The Flagged tab walks the open flags' index in queue order (migration 0014): at 1M
    # responses it read and sorted every flagged response for a page (17 ms p50).
    tab = await plan(store, QueueFilter(flagged=True))
    assert any("USING INDEX rule_flags_queue" in step for step in tab), tab
    assert not any("TEMP B-TREE" in step for step in tab), tab
    count = [r[-1] for r in await sql(store, "EXPLAIN QUERY PLAN " + COUNTS_SQL["reported"])]
    assert any("USING INDEX responses_reported" in step for step in count), count


@pytest.mark.sqlite_only("SQLite's query plan; PostgreSQL's in test_pg_reads.py")
async def test_a_small_old_source_in_a_large_tab_walks_the_source(store):
    """An old blog beside a large new forum: "new in the blog" must not walk every new
    forum response first. The kept counts decide which index drives."""
    await store.upsert_page("blog", page(*[resp(f"b{i}", minutes=i) for i in range(3)]))
    await store.upsert_page(
        "forum", page(*[resp(f"f{i}", source="forum", minutes=100 + i) for i in range(30)])
    )
    # Most of the forum is worked: 8 new in all, 5 of them in the forum (of its 30).
    done = [await rid(store, f"f{i}", "forum") for i in range(25)]
    await store.mark_handled(done, actor="m")
    blog_new = QueueFilter(sources=("blog",), triage=TriageState.NEW)
    forum_new = QueueFilter(sources=("forum",), triage=TriageState.NEW)
    decide = store_planner.source_is_smaller
    assert await store.read(lambda db: decide(db, blog_new)) is True
    assert await store.read(lambda db: decide(db, forum_new)) is False
    q, params = store_planner.queue_sql(blog_new, source_drives=True)
    steps = [r[-1] for r in await sql(store, "EXPLAIN QUERY PLAN " + q, params)]
    assert any("USING INDEX responses_source" in step for step in steps), steps
    assert exts(await store.queue(blog_new)) == ["b2", "b1", "b0"]
    assert exts(await store.queue(blog_new, limit=2)) == ["b2", "b1"]
    assert exts(await store.queue(forum_new)) == ["f29", "f28", "f27", "f26", "f25"]
    held = QueueFilter(sources=("blog",), statuses=(RemoteStatus.HOLD,))
    assert await store.read(lambda db: decide(db, held)) is False  # no held responses at all
    assert await store.queue(held) == []


async def test_fanned_out_queues_page_by_keyset_both_ways(store):
    statuses = [A, RemoteStatus.HOLD, RemoteStatus.SPAM, RemoteStatus.TRASH]
    rows = [
        resp(f"r{i}", source="blog" if i % 3 else "forum", minutes=i // 2, status=statuses[i % 4])
        for i in range(120)
    ]
    await store.upsert_page("blog", page(*[r for r in rows if r.source == "blog"]))
    await store.upsert_page("forum", page(*[r for r in rows if r.source == "forum"]))
    for flt in (
        QueueFilter(statuses=(RemoteStatus.HOLD, RemoteStatus.TRASH)),
        QueueFilter(sources=("forum", "blog")),
        QueueFilter(sources=("forum",), statuses=(A, RemoteStatus.SPAM)),
    ):
        everything = await store.queue(flt, limit=1000)
        want = [
            r.external_id
            for r in rows
            if (not flt.sources or r.source in flt.sources)
            and (not flt.statuses or r.remote_status in flt.statuses)
        ]
        assert sorted(exts(everything)) == sorted(want)
        keys = [(r.response.created_at, r.response.id) for r in everything]
        assert keys == sorted(keys, reverse=True)  # newest first, ties by id
        paged, after = [], None
        while batch := await store.queue(flt, after=after, limit=7):
            paged += batch
            after = batch[-1].keyset
        assert exts(paged) == exts(everything)
        back = await store.queue(flt, after=everything[-1].keyset, limit=5, direction="newer")
        assert exts(back) == exts(everything[-6:-1])


@pytest.mark.sqlite_only(
    "its set-up tags and decides: the PostgreSQL actions come with h/pgactions"
)
async def test_one_question_queue_pages_in_order_with_tags_from_anywhere(store):
    await store.upsert_page("blog", page(*[resp(str(n), minutes=n // 2) for n in range(40)]))
    ids = {n: await rid(store, str(n)) for n in range(40)}
    await store.toggle_question([ids[n] for n in range(0, 40, 3)], "5", actor="m")
    # Another tool writing a tag without the queue-order column: it still takes part.
    await sql(
        store,
        "INSERT INTO tags (response_id, kind, code, codebook_version, created_at, actor) "
        "VALUES (?, 'question', '5', 'v', 0, 'script')",
        (ids[1],),
    )
    await store.mark_handled([ids[39]], actor="m")
    want = [str(n) for n in sorted({*range(0, 40, 3), 1}, reverse=True) if n != 39]
    flt = QueueFilter(questions=("5",), triage=TriageState.NEW)
    seen, after = [], None
    while rows := await store.queue(flt, after=after, limit=4):
        seen += exts(rows)
        after = rows[-1].keyset
    assert seen == want
    assert await store.count(flt) == len(want)
    assert await store.position(flt, (await store.get(ids[9])).keyset) == want.index("9")
    newer = await store.queue(flt, after=(await store.get(ids[9])).keyset, direction="newer")
    assert exts(newer) == want[: want.index("9")]
    # Undo of an untag puts it back in the same place.
    await store.toggle_question([ids[0]], "5", actor="m")
    assert exts(await store.queue(flt))[-1] == "1"
    await store.undo_last(actor="m")
    assert exts(await store.queue(flt))[-1] == "0"


@pytest.mark.sqlite_only(
    "its set-up tags and decides: the PostgreSQL actions come with h/pgactions"
)
async def test_author_filter(store, filled):
    key = (await store.get(filled["b1"])).response.author_key
    assert exts(await store.queue(QueueFilter(author_key=key))) == ["b4", "b1"]
    assert exts(await store.author_history(await store.get(filled["b1"]))) == ["b4"]


@pytest.mark.sqlite_only(
    "its set-up tags and decides: the PostgreSQL actions come with h/pgactions"
)
async def test_counts(store, filled):
    await store.moderate([filled["b2"]], RemoteStatus.APPROVED, actor="m")
    [oid] = (await store.moderate([filled["b1"]], RemoteStatus.SPAM, actor="m")).outbox_ids
    await store.outbox_fail(oid, error="409", conflict=True)
    c = await store.counts()
    assert c.total == 6
    assert dict(c.by_triage) == {"new": 2, "handled": 4}
    assert dict(c.by_status) == {"approved": 3, "spam": 2, "hidden": 1}
    assert dict(c.by_source) == {"blog": 4, "forum": 2}
    assert dict(c.by_question) == {"1": 2, "2": 1, "3": 1}
    assert dict(c.by_role) == {"raad": 1, "ambtenaar": 1}
    assert c.untagged == 3
    assert (c.outbox_pending, c.outbox_conflicts) == (1, 1)


@pytest.mark.sqlite_only(
    "its set-up tags and decides: the PostgreSQL actions come with h/pgactions"
)
async def test_external_statuses(store, filled):
    assert await store.external_statuses("forum") == {
        "f1": RemoteStatus.APPROVED,
        "f2": RemoteStatus.HIDDEN,
    }
    got = await store.external_statuses("blog")
    assert got == {"b1": A, "b2": RemoteStatus.HOLD, "b3": RemoteStatus.SPAM, "b4": A}
    assert await store.external_statuses("elders") == {}


# -- search -----------------------------------------------------------------------------
async def test_search_ranks_the_better_match_first(store):
    await store.upsert_page(
        "blog",
        page(
            resp("1", "park park park, het park", minutes=1),
            resp(
                "2",
                "Wij willen in de wijk graag een groter speelveld, een park, en bankjes "
                "en minder verkeer en meer groen bij de school",
                minutes=2,
            ),
            resp("3", "niets van dit alles", minutes=3),
        ),
    )
    found = await store.search("park")
    assert [h.row.response.external_id for h in found] == ["1", "2"]
    assert all(h.rank is not None for h in found)
    assert found[0].rank <= found[1].rank
    assert found[0].row.thread_title is None


async def test_search_ignores_diacritics_and_case(store):
    await store.upsert_page(
        "blog",
        page(
            resp("1", "Het café op de hoek"),
            resp("2", "Een cafe aan het plein", minutes=1),
            resp("3", "Overleg met de coöperatie", minutes=2, author="Zoë Jansen"),
        ),
    )
    assert sorted(await hits(store, "cafe")) == ["1", "2"]
    assert sorted(await hits(store, "CAFÉ")) == ["1", "2"]
    assert await hits(store, "cooperatie") == ["3"]
    assert await hits(store, "zoe") == ["3"]  # the author is searchable
    assert sorted(await hits(store, "caf*")) == ["1", "2"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "NEAR(",
        "*",
        "-",
        "AND",
        "OR NOT",
        'park"',
        '"park',
        "(",
        ")",
        "body:park",
        "^park",
        "+",
        "NEAR(park fiets, 2)",
        "'",
        "\\",
        "\x00",
        "🙂",
        "",
        "   ",
        "-park",
        "park AND",
        "* *",
        "a" * 2000,
        "park* *fiets",
        "{body author}: x",
    ],
)
async def test_hostile_queries_never_raise(store, query):
    await store.upsert_page("blog", page(resp("1", "park en fiets and more")))
    await store.search(query)
    await store.count(QueueFilter(text=query))
    await store.queue(QueueFilter(text=query))


async def test_common_words_are_answered_newest_first(store, monkeypatch):
    monkeypatch.setattr(store_fts, "RANK_LIMIT", 3)
    await store.upsert_page(
        "blog",
        page(
            *[resp(str(n), f"de gemeente en de buurt {n}", minutes=n) for n in range(6)],
            resp("99", "de vijver", minutes=-5),
        ),
    )
    found = await store.search("gemeente")
    assert [h.row.response.external_id for h in found] == ["5", "4", "3", "2", "1", "0"]
    assert all(h.rank is None for h in found)
    assert len(await store.search("gemeente", limit=2)) == 2
    # A query with one rare word is still ranked.
    [hit] = await store.search("de vijver")
    assert hit.row.response.external_id == "99" and hit.rank is not None
    # Filters apply on both paths.
    assert await hits(store, "gemeente", flt=QueueFilter(sources=("forum",))) == []
    assert await hits(store, "vijver", flt=QueueFilter(triage=TriageState.HANDLED)) == []


async def test_a_common_word_in_a_small_source_walks_the_source(store, monkeypatch):
    """Common word (unranked) + a filter smaller than its hits: the filter's rows are
    walked newest first and each is probed in the index; the answer is the same."""
    monkeypatch.setattr(store_fts, "RANK_LIMIT", 3)
    await store.upsert_page(
        "blog", page(*[resp(f"b{n}", f"de gemeente {n}", minutes=n) for n in range(40)])
    )
    await store.upsert_page(
        "forum",
        page(
            resp("f1", "gemeente oud", source="forum", minutes=-30),
            resp("f2", "iets anders", source="forum", minutes=50),
            resp("f3", "de Gemeente nieuw", source="forum", minutes=45),
            resp("f4", "gemeente wacht", source="forum", minutes=46, status=RemoteStatus.HOLD),
        ),
    )
    # SQLite's planner is spied on; PostgreSQL's twin (pg/search.py) decides the same
    # from the same kept counts, which the answers below show.
    sqlite = isinstance(store, SqliteStore)
    walked = []
    original = store_planner.filter_is_smaller

    def spy(db, flt, match):
        walked.append(original(db, flt, match))
        return walked[-1]

    monkeypatch.setattr(store_planner, "filter_is_smaller", spy)
    found = await store.search("gemeente", QueueFilter(sources=("forum",)))
    assert [h.row.response.external_id for h in found] == ["f4", "f3", "f1"]
    assert all(h.rank is None for h in found) and walked == ([True] if sqlite else [])
    held = await hits(store, "gemeente", flt=QueueFilter(statuses=(RemoteStatus.HOLD,)))
    assert held == ["f4"]
    assert await hits(store, "gemeente", flt=QueueFilter(sources=("blog",)), limit=3) == [
        "b39",
        "b38",
        "b37",
    ]
    # Approved: 43 responses, as many as the word's hits: the hits are walked (newest
    # stored first, as for a common word without a filter).
    approved = await hits(store, "gemeente", flt=QueueFilter(statuses=(A,)), limit=4)
    assert approved == ["f3", "f1", "b39", "b38"]
    assert walked[-1] is False if sqlite else walked == []


@pytest.mark.sqlite_only(
    "its set-up tags and decides: the PostgreSQL actions come with h/pgactions"
)
async def test_search_with_filter(store, filled):
    assert sorted(await hits(store, "fietspad")) == ["b4", "f1"]
    assert await hits(store, "fietspad", flt=QueueFilter(sources=("forum",))) == ["f1"]
    assert await hits(store, "bomen", flt=QueueFilter(triage=TriageState.NEW)) == ["b1"]


async def test_the_flagged_tab_pages_its_responses_once_each_in_queue_order(store):
    """The Flagged tab (driven by the open flags' index: migration 0014, pg 0007): each
    response with an open flag once, however many rules flagged it; decided flags out;
    pages by keyset both ways; its count and positions; a source within it."""
    rows = [
        resp(f"r{i}", f"tekst {i}", source="blog" if i % 4 else "forum", minutes=i // 3)
        for i in range(400)
    ]
    await store.upsert_page("blog", page(*[r for r in rows if r.source == "blog"]))
    await store.upsert_page("forum", page(*[r for r in rows if r.source == "forum"]))
    every = await store.queue(QueueFilter(), limit=1000)
    ids = {r.response.external_id: r.response.id for r in every}
    for i in range(0, 400, 7):  # rule a on every 7th, b on every 14th, every 21st decided
        for rule in ("a", "b") if i % 14 == 0 else ("a",):
            await sql(
                store,
                "INSERT INTO rule_flags (response_id, rule, action, text_hash, flagged_at, "
                "state) VALUES (?, ?, 'flag', 0, 0, ?)",
                (ids[f"r{i}"], rule, "upheld" if i % 21 == 0 else "open"),
            )
    flagged = [r for r in every if int(r.response.external_id[1:]) % 7 == 0]
    flagged = [r for r in flagged if int(r.response.external_id[1:]) % 21 != 0]
    forum = [r for r in flagged if r.response.source == "forum"]
    for flt, want in (
        (QueueFilter(flagged=True), flagged),
        (QueueFilter(flagged=True, sources=("forum",)), forum),
    ):
        got, after = [], None
        while True:
            window = await store.queue(flt, after=after, limit=7)
            got += window
            if len(window) < 7:
                break
            after = window[-1].keyset
        assert exts(got) == exts(want)
        back = await store.queue(flt, after=want[-1].keyset, limit=5, direction="newer")
        assert exts(back) == exts(want[-6:-1])
        assert await store.count(flt) == len(want)
        half = len(want) // 2
        assert await store.position(flt, want[half].keyset) == half
