"""Reads and search on PostgreSQL against SQLite: the same hits for generated texts and
queries (diacritics, case, prefixes, hostile characters), the planner's SQLite text
unchanged by its dialect seam, and queue pages that walk an index in queue order."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from helpers.store import open_store, page, pg_statements, resp, sql
from hypothesis import given
from hypothesis import strategies as st

from reactieveld.model import RemoteStatus, Source, TriageState
from reactieveld.store import fts as store_fts
from reactieveld.store import planner as store_planner
from reactieveld.store.base import Keyset, QueueFilter
from reactieveld.store.pg.base import dollar
from reactieveld.store.pg.store import PostgresStore

#: Words with the diacritics and cases both indexes must fold alike. Not here, because
#: the two tokenizers differ on them (see README): dotted tokens PostgreSQL's parser
#: keeps whole ("3.5", hosts, e-mail). The letters unaccent spells out (æ, ß, ı, Greek
#: accents), ligatures and the other forms NFKC writes otherwise agree (test_styled_search).
WORDS = [
    "boom", "bomen", "Bóóm", "fietspad", "fiets", "café", "Cafe", "ÉÉN", "een", "gemeente",
    "Gemeenteraad", "park", "parkeren", "straat", "straatje", "2024", "x1", "naïef",
]  # fmt: skip
SEPARATORS = [" ", ", ", ". ", "! ", " (", ") ", " / ", "; "]
AUTHORS = ["Anna", "Ömer", "Piet"]
STATUSES = [RemoteStatus.APPROVED, RemoteStatus.HOLD, RemoteStatus.SPAM]


def corpus(rnd: random.Random, n: int) -> list[Any]:
    out = []
    for i in range(n):
        words = [rnd.choice(WORDS) for _ in range(rnd.randint(1, 6))]
        body = words[0] + "".join(rnd.choice(SEPARATORS) + w for w in words[1:])
        out.append(
            resp(
                f"r{i}",
                body,
                source=rnd.choice(["blog", "forum"]),
                minutes=rnd.randint(0, 50),  # ties in created_at on purpose
                author=rnd.choice(AUTHORS),
                status=rnd.choice(STATUSES),
            )
        )
    return out


def query(rnd: random.Random) -> str:
    terms = []
    for _ in range(rnd.randint(1, 3)):
        word = rnd.choice(WORDS + AUTHORS)
        word = rnd.choice([word, word.upper(), word.lower(), store_fts.fold(word)])
        if rnd.random() < 0.3:
            word = word[: rnd.randint(1, len(word))] + "*"
        terms.append(word)
    noise = rnd.choice(["", '"', "'", " OR ", " NOT ", "!", " & ", "(", ":*", "<->", "\\", "*"])
    return noise.join(terms) if noise else " ".join(terms)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_same_hits_as_sqlite_for_generated_texts_and_queries(
    tmp_path: Any, pg_url: str, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_fts, "RANK_LIMIT", 10_000)  # rank all: compare every hit
    rnd = random.Random(seed)
    rows = corpus(rnd, 150)
    lite = await open_store(str(tmp_path / "m.db"))
    pg = await open_store(pg_url)
    try:
        for store in (lite, pg):
            for source in ("blog", "forum"):
                await store.upsert_page(source, page(*[r for r in rows if r.source == source]))
        for _ in range(60):
            q = query(rnd)
            flt = rnd.choice(
                [
                    QueueFilter(),
                    QueueFilter(sources=("forum",)),
                    QueueFilter(statuses=(STATUSES[1],)),
                ]
            )
            want = {h.row.response.external_id for h in await lite.search(q, flt, limit=1000)}
            got = {h.row.response.external_id for h in await pg.search(q, flt, limit=1000)}
            assert got == want, q
            assert await pg.count_matches(q, flt, cap=1000) == len(want), q
            # The queue's text filter: the same rows in the same (created_at, id) order.
            text = QueueFilter(text=q)
            assert exts(await pg.queue(text, limit=1000)) == exts(
                await lite.queue(text, limit=1000)
            ), q
            assert (
                await pg.count(text)
                == await lite.count(text)
                == len({h.row.response.external_id for h in await lite.search(q, limit=1000)})
            )
    finally:
        await lite.close()
        await pg.close()


def exts(rows: Any) -> list[str]:
    return [r.response.external_id for r in rows]


def test_the_sqlite_dialect_is_the_default_and_pg_numbers_outside_literals() -> None:
    flt = QueueFilter(questions=("1", "2"), text="bo*", author_key="k")
    after = Keyset(
        created_at=__import__("datetime").datetime(2024, 1, 1, tzinfo=__import__("datetime").UTC),
        id=5,
    )
    lite, _ = store_planner.queue_sql(flt, after=after)
    assert lite == store_planner.queue_sql(flt, after=after, dialect=store_planner.SQLITE)[0]
    assert "CROSS JOIN" in lite and "MATCH ?" in lite and "$1" not in lite
    pg, params = store_planner.queue_sql(flt, after=after, dialect=store_planner.POSTGRES)
    numbered = dollar(pg)
    assert "CROSS JOIN" not in pg and "MATCH" not in pg and "?" not in numbered
    assert numbered.count("$") == len(params)
    assert dollar("SELECT '?', \"a?\", ? WHERE x = ?") == "SELECT '?', \"a?\", $1 WHERE x = $2"


async def test_queue_pages_walk_an_index_in_queue_order(pg_url: str) -> None:
    """EXPLAIN of queue pages on PostgreSQL: an index scan in (created_at, id) order for
    every tab, a source, several statuses (one walk per arm) and a question; the
    rows found are not sorted whole (a Sort only over the arms' first rows)."""
    store = await open_store(pg_url)
    assert isinstance(store, PostgresStore)
    try:
        rows = [
            resp(
                f"r{i}",
                f"tekst {i}",
                source="blog" if i % 10 else "forum",
                minutes=i / 7,
                status=STATUSES[i % 3],
            )
            for i in range(6000)
        ]
        for i in range(0, len(rows), 1000):
            await store.upsert_page(
                "blog", page(*[r for r in rows[i : i + 1000] if r.source == "blog"])
            )
            await store.upsert_page(
                "forum", page(*[r for r in rows[i : i + 1000] if r.source == "forum"])
            )
        await store._read(lambda c: c.execute("ANALYZE"))
        mid = (await store.queue(QueueFilter(), limit=3000))[-1].response
        after = Keyset(mid.created_at, mid.id)
        for flt, index in (
            (QueueFilter(), ("responses_created",)),
            # The time index is as good a walk in queue order where the planner finds the
            # part's rows soon enough on it (every row is new here; the forum is 10 %).
            (QueueFilter(triage=TriageState.NEW), ("responses_triage", "responses_created")),
            (QueueFilter(sources=("forum",)), ("responses_source",)),
            (QueueFilter(statuses=(RemoteStatus.HOLD,)), ("responses_status",)),
            (QueueFilter(statuses=(RemoteStatus.HOLD, RemoteStatus.SPAM)), ("responses_status",)),
        ):
            q, params = store_planner.queue_sql(flt, after=after, dialect=store_planner.POSTGRES)
            plan = await sql(store, "EXPLAIN (FORMAT JSON) " + q, params)
            nodes = list(walk(json.loads(plan[0][0])[0]["Plan"]))
            scans = [n for n in nodes if n.get("Index Name") in (*index, "responses_created")]
            assert scans and all(n["Scan Direction"] == "Backward" for n in scans), (flt, nodes)
            seq = [n for n in nodes if n["Node Type"] == "Seq Scan"]
            if len(flt.statuses) < 2:
                # (The merged arms' few ids are hashed against the table at this size;
                # at 100k+ rows each is looked up by key: bench/store_bench.py --explain.)
                assert all(n["Relation Name"] != "responses" for n in seq), (flt, nodes)
            sorts = [n for n in nodes if n["Node Type"] == "Sort"]
            if len(flt.statuses) > 1:
                assert len(scans) == 2  # one ordered walk per status
            else:
                assert not sorts, (flt, nodes)
            got = await store.queue(flt, after=after, limit=50)
            assert len(got) == 50
            keys = [(r.response.created_at, r.response.id) for r in got]
            assert keys == sorted(keys, reverse=True) and keys[0] < (after.created_at, after.id)
    finally:
        await store.close()


def walk(node: dict[str, Any]) -> Any:
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


async def test_pages_are_read_without_workers_and_searches_planned_for_their_words(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search's statements are planned for its own words, never the generic plan a
    prepared statement turns to after five calls (at 1M responses that plan counted all
    450,000 hits of a common word); queue pages and searches start no parallel workers
    (~6 ms to start on two cores, for a 0.2 ms page). Both are the pooled connections' own
    settings (store/pg/session.py): no SET per call, and a user that changes them gives
    the connection back reset to them."""
    from reactieveld.store.pg import search as pg_search

    store = await open_store(pg_url)
    assert isinstance(store, PostgresStore)
    settings: list[tuple[str, str]] = []

    async def show(conn: Any) -> None:
        mode = await conn.fetchval("SHOW plan_cache_mode")
        settings.append((mode, await conn.fetchval("SHOW max_parallel_workers_per_gather")))

    real_hits, real_drive = pg_search._hits, PostgresStore._source_is_smaller

    async def hits(conn: Any, match: str, cap: int) -> int:
        await show(conn)
        return await real_hits(conn, match, cap)

    async def drive(self: PostgresStore, conn: Any, flt: QueueFilter) -> bool | None:
        await show(conn)
        return await real_drive(self, conn, flt)

    monkeypatch.setattr(pg_search, "_hits", hits)
    monkeypatch.setattr(PostgresStore, "_source_is_smaller", drive)
    try:
        await store.upsert_page("blog", page(*[resp(f"r{i}", f"boom {i}") for i in range(30)]))
        for _ in range(7):
            assert len(await store.search("boom", limit=5)) == 5
        assert settings == [("force_custom_plan", "0")] * 7
        settings.clear()
        for _ in range(4):  # every pooled connection, also after one changed them
            await store._read(
                lambda c: c.execute(
                    "SET plan_cache_mode = auto; SET max_parallel_workers_per_gather = 2"
                )
            )
            await store.queue(QueueFilter(), limit=5)
            await store.queue(QueueFilter(text="boom"), limit=5)
        assert settings == [("force_custom_plan", "0")] * 8
    finally:
        await store.close()


async def one_connection_store(pg_url: str) -> PostgresStore:
    """A store whose pool holds one connection: each call meets the one before's."""
    store = await PostgresStore.open(pg_url, min_size=1, max_size=1)
    await store.ensure_source(Source("blog", "wordpress", "https://blog.example"))
    return store


#: What a user of a pooled connection may leave in its session, each with what the next
#: user would see of it (the same for every row when nothing is left).
STATE_LEFT = "SELECT current_setting('work_mem'), current_setting('plan_cache_mode'), " + (
    "(SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()), "
    "(SELECT count(*) FROM pg_listening_channels())"
)


@pytest.mark.filterwarnings("ignore:.*active notification listener")
async def test_no_session_state_reaches_the_next_user_of_a_pooled_connection(
    pg_url: str,
) -> None:
    """A SET, a session advisory lock (a sync's kind, locks.py), a LISTEN (live.py) or a
    plan mode left by one user of a pooled connection never reaches the next: a
    connection that ran any of them goes back reset, whichever way it was sent (the
    store's ``_read``, the pool itself, a prepared statement, in a transaction)."""
    store = await one_connection_store(pg_url)
    try:
        pid = await store._read(lambda c: c.fetchval("SELECT pg_backend_pid()"))
        clean = tuple(await store._read(lambda c: c.fetchrow(STATE_LEFT)))
        assert clean[2:] == (0, 0)

        async def prepared(c: Any) -> None:
            await (await c.prepare("SET work_mem = '7MB'")).fetch()

        async def in_transaction(c: Any) -> None:
            async with c.transaction():
                await c.execute("SET work_mem = '7MB'")
                await c.fetchval("SELECT pg_advisory_lock(7)")

        async def listening(c: Any) -> None:
            await c.add_listener("reactieveld", lambda *_: None)

        leaving: list[Any] = [
            lambda c: c.execute("SET work_mem = '7MB'"),
            lambda c: c.execute("set plan_cache_mode = auto"),
            lambda c: c.execute("SELECT 1; SET work_mem = '7MB'"),
            lambda c: c.fetchval("SELECT set_config('work_mem', '7MB', false)"),
            lambda c: c.fetchval("SELECT pg_advisory_lock(7)"),
            lambda c: c.fetchval("select pg_try_advisory_lock($1)", 7),
            lambda c: c.execute("LISTEN reactieveld"),
            prepared,
            in_transaction,
            listening,
        ]
        for leave in leaving:
            await store._read(leave)
            assert await store._read(lambda c: c.fetchval("SELECT pg_backend_pid()")) == pid
            assert tuple(await store._read(lambda c: c.fetchrow(STATE_LEFT))) == clean
            async with store._pool.acquire() as conn:
                await leave(conn)
            async with store._pool.acquire() as conn:
                assert conn.get_server_pid() == pid
                assert tuple(await conn.fetchrow(STATE_LEFT)) == clean
    finally:
        await store.close()


async def test_a_page_gives_its_connection_back_without_another_round_trip(
    pg_url: str,
) -> None:
    """A page reads with SELECTs alone and leaves nothing in the session: its connection
    goes back to the pool without asyncpg's reset (one more round trip, a fifth of a
    page's time), and the page, its kept counts and its tags, outbox state and flags are
    one statement each (a store's first page names its sources too); a connection that
    ran a SET is reset. Seen from the server: the connection's last statement."""
    import asyncpg

    from reactieveld.store.pg import reads as pg_reads

    store = await one_connection_store(pg_url)
    watcher = await asyncpg.connect(pg_url)
    try:
        await store.upsert_page("blog", page(*[resp(f"r{i}", f"boom {i}") for i in range(9)]))
        pid = await store._read(lambda c: c.fetchval("SELECT pg_backend_pid()"))

        async def last() -> str:
            return str(
                await watcher.fetchval("SELECT query FROM pg_stat_activity WHERE pid = $1", pid)
            )

        await store._read(lambda c: c.execute("SET work_mem = '7MB'"))
        assert "RESET ALL" in await last()
        flt = QueueFilter(triage=TriageState.NEW, sources=("blog",))
        with pg_statements() as statements, pytest.MonkeyPatch.context() as mp:
            rows = await store.queue(flt, limit=5)
            assert len(rows) == 5
            # The kept counts (one), the page with its decoration, and the sources' names
            # this store has not kept yet (its first page only).
            assert len(statements) == 3 and "FROM sources" in statements[-1]
            statements.clear()
            assert await store.queue(flt, after=rows[-1].keyset, limit=5) == (
                await store.queue(
                    QueueFilter(triage=TriageState.NEW), limit=5, after=rows[-1].keyset
                )
            )
            assert len(statements) == 2  # a page each: the answer holds (DRIVE_SECONDS)
            statements.clear()
            mp.setattr(pg_reads, "DRIVE_SECONDS", 0.0)
            await store.queue(flt, limit=5)
            assert len(statements) == 2  # asked again
        assert "ORDER BY r.created_at DESC" in await last()
        assert len(await store.search("boom", limit=3)) == 3
        assert "ts_rank" in await last()
        assert await store.count(QueueFilter(text="boom")) == 9
        assert "count(*)" in await last()
    finally:
        await watcher.close()
        await store.close()


def test_which_statements_may_leave_session_state() -> None:
    """When in doubt a statement may leave state (a reset too many costs a round trip)."""
    from reactieveld.store.pg.session import leaves_state

    plain = [
        "SELECT 1",
        "  with a AS (SELECT 1) SELECT * FROM a",
        "UPDATE responses SET triage = 'handled' WHERE id = $1",
        "INSERT INTO tags VALUES ($1, $2, $3)",
        "DELETE FROM claims WHERE response_id = $1",
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;",
        "COMMIT;",
        "ROLLBACK",
        "SELECT pg_advisory_xact_lock($1)",
        "SELECT pg_notify($1, $2)",
        # Words in a literal are data: the ingest's upsert names the decision 'hold'.
        "UPDATE responses SET status = 'hold' WHERE id = $1",
        "SELECT 'a; b', 'LISTEN x', 'set_config', 'it''s; TEMP'",
        "INSERT INTO notes (body) VALUES ('pg_advisory_lock(1); SET work_mem = 1')",
    ]
    stateful = [
        "SET work_mem = '7MB'",
        "RESET ALL",
        "LISTEN reactieveld",
        "SELECT pg_advisory_lock(1)",
        "SELECT pg_try_advisory_lock_shared(1)",
        "SELECT pg_advisory_unlock(1)",
        "SELECT set_config('work_mem', '7MB', false)",
        "SELECT 1; SET work_mem = '7MB'",
        "CREATE TEMP TABLE t (x int)",
        "SELECT 1 INTO TEMPORARY t",
        "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
        "PREPARE p AS SELECT 1",
        "DISCARD ALL",
        "COPY responses TO STDOUT",
        "CALL something()",
        "DO $$ BEGIN PERFORM 1; END $$",
        "",
        # Where a literal's edges are unsure, the whole statement is searched.
        "SELECT E'\\''; SET work_mem = '7MB'",
        "SELECT 'a' -- it's\n; SET work_mem = '7MB'",
        "SELECT 'a' /* it's */; SET work_mem = '7MB'",
        "SELECT $q$ ' $q$; SET work_mem = '7MB'",
        "SELECT 'never closed; LISTEN x",
    ]
    assert [q for q in plain if leaves_state(q)] == []
    assert [q for q in stateful if not leaves_state(q)] == []


#: The ways a statement can hold text PostgreSQL does not read as SQL, each a strategy
#: for its text: standard and escape string literals, dollar quotes, both comments.
_DATA_TEXT = st.text(alphabet="ab ;'\\$*/-\nLISTENset_cofigTMPHOLD", max_size=24)
_HIDDEN = st.one_of(
    _DATA_TEXT.map(lambda t: "'" + t.replace("'", "''") + "'"),
    _DATA_TEXT.map(lambda t: "E'" + t.replace("\\", "\\\\").replace("'", "\\'") + "'"),
    _DATA_TEXT.filter(lambda t: "$x$" not in t and not t.endswith("$x")).map(
        lambda t: f"$x${t}$x$"
    ),
    _DATA_TEXT.filter(lambda t: "\n" not in t).map(lambda t: f"-- {t}\n"),
    _DATA_TEXT.filter(lambda t: "*/" not in t and not t.endswith("*")).map(lambda t: f"/* {t} */"),
)


@given(hidden=st.lists(_HIDDEN, min_size=1, max_size=4))
def test_a_second_statement_is_seen_behind_any_literal_or_comment(hidden: list[str]) -> None:
    """Soundness for generated texts: whatever literals and comments come before it, a
    second statement that changes the session is seen (a missed reset would hand the
    next user of the connection another session's settings)."""
    from reactieveld.store.pg.session import leaves_state

    assert leaves_state(f"SELECT {', '.join(hidden)}; SET work_mem = '7MB'")


@given(texts=st.lists(_DATA_TEXT, min_size=1, max_size=4))
def test_plain_literals_hide_their_words(texts: list[str]) -> None:
    """... and a plain write whose standard literals hold stateful words (``'hold'``,
    ``;``, ``LISTEN``) costs no reset, unless a character makes their edges unsure."""
    from reactieveld.store.pg.session import leaves_state

    literals = ["'" + t.replace("'", "''") + "'" for t in texts]
    query = f"UPDATE responses SET note = concat({', '.join(literals)}) WHERE id = $1"
    unsure = any(c in "".join(texts) for c in "\\$") or "--" in query or "/*" in query
    if not unsure:
        assert not leaves_state(query)


async def test_a_page_ingested_gives_its_connection_back_without_a_reset(pg_url: str) -> None:
    """The ingest's upsert (its SQL names the decision 'hold') leaves nothing in the
    session: asyncpg's reset (a round trip per page of 100) is not sent after it."""
    import asyncpg

    store = await one_connection_store(pg_url)
    watcher = await asyncpg.connect(pg_url)
    try:
        await store.upsert_page("blog", page(*[resp(f"r{i}", f"boom {i}") for i in range(9)]))
        pid = await store._read(lambda c: c.fetchval("SELECT pg_backend_pid()"))
        await store.upsert_page("blog", page(*[resp(f"s{i}", f"tak {i}") for i in range(9)]))
        last = await watcher.fetchval("SELECT query FROM pg_stat_activity WHERE pid = $1", pid)
        assert "RESET ALL" not in str(last)
        assert "INSERT INTO" in str(last) or "COMMIT" in str(last)
    finally:
        await watcher.close()
        await store.close()


async def test_the_flagged_tab_walks_the_open_flags_in_queue_order(pg_url: str) -> None:
    """The Flagged tab on PostgreSQL is driven by the open flags' index in queue order
    (pg migration 0007), not by a walk of every response probing each for a flag (at 1M
    responses with 0.3 % flagged: 20,000 rows for a page of 50, p99 128 ms). Its rows:
    tests/test_store.py, on both backends."""
    store = await open_store(pg_url)
    assert isinstance(store, PostgresStore)
    try:
        rows = [
            resp(f"r{i}", f"tekst {i}", source="blog" if i % 4 else "forum", minutes=i // 3)
            for i in range(3000)
        ]
        for i in range(0, len(rows), 500):
            part = rows[i : i + 500]
            await store.upsert_page("blog", page(*[r for r in part if r.source == "blog"]))
            await store.upsert_page("forum", page(*[r for r in part if r.source == "forum"]))
        # Every 37th response flagged by rule a, every 74th by b as well (two open flags
        # on one response), every 111th's flags decided (upheld).
        await sql(
            store,
            "INSERT INTO rule_flags (response_id, rule, action, text_hash, flagged_at, state) "
            "SELECT id, rule, 'flag', 0, 0, CASE WHEN id % 111 = 0 THEN 'upheld' ELSE 'open' "
            "END FROM responses CROSS JOIN (VALUES ('a', 37), ('b', 74)) AS k (rule, every) "
            "WHERE id % every = 0",
        )
        # Most flags are decided long ago: the open ones are a few among many.
        await sql(
            store,
            "INSERT INTO rule_flags (response_id, rule, action, text_hash, flagged_at, state) "
            "SELECT id, 'old', 'flag', k, 0, 'misfire' FROM responses "
            "CROSS JOIN generate_series(1, 8) AS k",
        )
        await store._read(lambda c: c.execute("ANALYZE"))
        flagged = await store.queue(QueueFilter(flagged=True), limit=100)
        assert len(flagged) == 54  # multiples of 37 up to 3,000, not of 111
        mid = flagged[len(flagged) // 2].keyset
        q, params = store_planner.queue_sql(
            QueueFilter(flagged=True), after=mid, dialect=store_planner.POSTGRES
        )
        plan = await sql(store, "EXPLAIN (FORMAT JSON) " + q, params)
        nodes = list(walk(json.loads(plan[0][0])[0]["Plan"]))
        scans = [n for n in nodes if n.get("Index Name") == "rule_flags_queue"]
        assert scans, [(n["Node Type"], n.get("Index Name")) for n in nodes]
        # No walk of the responses in queue order probing each for a flag. (At this size
        # the planner may hash the responses for the join; at 1M each one is looked up by
        # key after the index's rows: bench/store_bench.py --explain.)
        assert not [n for n in nodes if n.get("Index Name") == "responses_created"], nodes
    finally:
        await store.close()


async def test_a_word_the_statistics_put_in_many_rows_is_not_counted(pg_url: str) -> None:
    """Whether a word's hits are ranked (up to PG_RANK_LIMIT of them) is decided by
    counting them up to one more; a word the statistics put in more than three times as
    many rows is not counted (28 ms for a word in 100,000 of 1M responses). The same
    answers: the common word newest first, the rarer one ranked, prefixes and two words
    counted as before."""
    from reactieveld.store.pg import search as pg_search

    store = await open_store(pg_url)
    assert isinstance(store, PostgresStore)
    try:
        rows = [resp(f"r{i}", f"boom {'park' if i % 14 == 0 else 'plein'}") for i in range(7000)]
        for i in range(0, len(rows), 1000):
            await store.upsert_page("blog", page(*rows[i : i + 1000]))
        await store._read(lambda c: c.execute("ANALYZE responses"))
        cap = pg_search.PG_RANK_LIMIT + 1

        async def hits(match: str) -> tuple[int, float | None]:
            return tuple(
                await store._read(  # type: ignore[return-value]
                    lambda c: c.fetchrow(
                        f"SELECT ({pg_search._HITS}), ({pg_search._ESTIMATE})", match, cap
                    )
                )
            )

        assert (await hits("'boom'"))[0] == cap and (await hits("'boom'"))[1] > 3 * cap
        assert (await hits("'park'"))[0] == 500  # in the statistics, near the limit: counted
        assert (await hits("'boo':*"))[0] == cap  # a prefix: counted
        assert (await hits("'park' & 'boom'"))[0] == 500  # two words: counted
        common = await store.search("boom", limit=3)
        assert [h.rank for h in common] == [None] * 3
        assert [h.row.response.external_id for h in common] == ["r6999", "r6998", "r6997"]
        assert all(h.rank is not None for h in await store.search("park", limit=3))
    finally:
        await store.close()


async def test_a_page_looks_up_what_other_reads_join(pg_url: str) -> None:
    """A page's source name, thread title and claim are looked up by key for its rows
    (planning the three joins took longer than the page) and its tags, outbox state and
    rule flags come in the same statement: the rows equal those of a read that joins
    them (``get_by_external``'s condition names the joined source), with and without each
    of them (no thread, an unknown thread, a claim, tags, an outbox item, flags)."""
    from reactieveld.model import Thread
    from reactieveld.store.pg.reads import decorated
    from reactieveld.store.rows import RESPONSE_COLS, RESPONSE_FROM

    store = await open_store(pg_url)
    assert isinstance(store, PostgresStore)
    try:
        threads = [Thread("blog", "p1", "Zwembad"), Thread("blog", "p2", "Sporthal")]
        rows = [
            resp(f"r{i}", f"tekst {i}", thread=[None, "p1", "p2", "p9"][i % 4], minutes=i)
            for i in range(12)
        ]
        await store.upsert_page("blog", page(*rows, threads=threads))
        await store.upsert_page("forum", page(resp("f1", source="forum", thread="p1")))
        ids = {r.response.external_id: r.response.id for r in await store.queue(QueueFilter())}
        await store.claim(ids["r1"], actor="anna", minutes=5)
        await store.set_role([ids["r2"], ids["r3"]], "raad", actor="anna")
        await store.reply(ids["r3"], "Dank u", actor="anna")
        await sql(
            store,
            "INSERT INTO rule_flags (response_id, rule, action, text_hash, flagged_at, state) "
            "SELECT id, rule, 'flag', 0, 0, state FROM responses CROSS JOIN (VALUES "
            "('b', 'open'), ('a', 'open'), ('c', 'upheld')) AS k (rule, state) "
            "WHERE external_id IN ('r3', 'r4')",
        )
        page_rows = await store.queue(QueueFilter())
        assert len(page_rows) == 13
        joined = [
            await store.get_by_external(r.response.source, r.response.external_id)
            for r in page_rows
        ]
        assert page_rows == joined
        by_ext = {r.response.external_id: r for r in page_rows}
        assert [by_ext[f"r{i}"].thread_title for i in range(4)] == [
            None,
            "Zwembad",
            "Sporthal",
            None,
        ]
        assert by_ext["f1"].thread_title is None  # forum's p1 is not blog's
        assert by_ext["r1"].claim is not None and by_ext["r1"].claim.actor == "anna"
        assert by_ext["r3"].role == "raad" and by_ext["r3"].outbox_state is not None
        assert by_ext["r4"].flags == ("b", "a")
        assert (by_ext["f1"].response.source, by_ext["r0"].response.source) == ("forum", "blog")
        # Which statements look up and which join.
        queue_sql, _ = store_planner.queue_sql(QueueFilter(), dialect=store_planner.POSTGRES)
        assert "JOIN sources" not in decorated(queue_sql)
        by_name = f"SELECT {RESPONSE_COLS} FROM {RESPONSE_FROM} WHERE s.name = ?"
        assert "JOIN sources" in decorated(by_name)
    finally:
        await store.close()


def test_a_page_puts_its_flags_in_order_and_names_its_sources() -> None:
    """``undecorated``: a row's open flags come as (id, rule) pairs in no order (no sort
    for each row in the SELECT) and are put in the order they were made; the source of
    a page of :data:`LOOKED_UP_COLS` comes as its id and is named from ``names``."""
    from reactieveld.store.pg.reads import undecorated

    def raw(rid: int, source: Any, flags: list[tuple[int, str]]) -> tuple[Any, ...]:
        cols = [rid, source, f"c{rid}", None, None, "Anna", None, None, "t", "t", "text"]
        cols += [None, 100, None, 100, "approved", "new", None, "{}", None, 1, None, None]
        return (*cols, [], None, flags)

    rows = [raw(1, 7, [(30, "c"), (10, "a"), (20, "b")]), raw(2, 8, []), raw(3, 7, [])]
    got = undecorated(rows, 0, names={7: "blog", 8: "forum"})
    assert [r.flags for r in got] == [("a", "b", "c"), (), ()]
    assert [r.response.source for r in got] == ["blog", "forum", "blog"]
    joined = [(r[0], {7: "blog", 8: "forum"}[r[1]], *r[2:]) for r in rows]
    assert undecorated(joined, 0) == got  # a joined read's rows carry the name


async def test_a_page_names_a_source_added_after_its_names_were_kept(pg_url: str) -> None:
    """The sources' names a page keeps (a source is never renamed or removed) are asked
    again when a row's source is new to them: a source added by another store (its own
    connections, as another process's) is named on the next page."""
    store = await open_store(pg_url)
    other = await open_store(pg_url)
    assert isinstance(store, PostgresStore)
    try:
        await store.upsert_page("blog", page(resp("b1", minutes=1)))
        assert [r.response.source for r in await store.queue(QueueFilter())] == ["blog"]
        await other.upsert_page("forum", page(resp("f1", source="forum", minutes=2)))
        rows = await store.queue(QueueFilter())
        assert [r.response.source for r in rows] == ["forum", "blog"]
        hits = await store.search("reactie")
        assert sorted(h.row.response.source for h in hits) == ["blog", "forum"]
    finally:
        await store.close()
        await other.close()
