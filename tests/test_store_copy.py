"""``reactieveld store copy``: a lived-in SQLite memory (the demo's year, plus decisions
waiting in the outbox, a note, a reply, an undo and a memory sink's position) goes to
PostgreSQL and back to SQLite with every table equal, ids and all; a non-empty target and
a password on the command line are refused with one line and exit code 2."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from helpers.store import page, resp, sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reactieveld.cli import demo_source, main, seed_demo
from reactieveld.cli_store import CopyUsageError, refuse_password
from reactieveld.config import load_config
from reactieveld.model import RemoteStatus
from reactieveld.rules import Rule, RuleSet
from reactieveld.store.authors import read_key_file
from reactieveld.store.base import SinkDelivery, SinkPosition, StoreError
from reactieveld.store.copy import DERIVED_COLUMNS, NOT_COPIED, TABLES, copy_store
from reactieveld.store.open import copy_side, open_store
from reactieveld.store.sqlite import SqliteStore

ANCHOR = "2026-03-01T12:00:00+00:00"
#: The kept counts: not copied, made again by the target's triggers; compared too.
KEPT = ("response_counts", "tag_counts", "question_tagged")


def _config() -> Any:
    source = demo_source(count=300, anchor=ANCHOR)
    return replace(load_config(None), sources=(source,))


async def _lived_in(path: Path) -> None:
    """Some of today's work on top of the demo's memory."""
    store = await SqliteStore.open(path, double_share=1.0)  # every response double-coded
    try:
        ids = [int(r[0]) for r in await sql(store, "SELECT id FROM responses ORDER BY id")]
        await store.moderate(ids[:3], RemoteStatus.SPAM, actor="anna")  # three outbox rows
        await store.toggle_question(ids[3:5], "1", actor="anna")
        await store.toggle_question([ids[3]], "2", actor="bert")  # a second coding
        await store.add_note(ids[5], "Bellen over de \u00e9\u00e9n vraag", actor="anna")
        await store.reply(ids[6], "Dank u, we nemen het mee.", actor="anna")
        await store.moderate([ids[7]], RemoteStatus.APPROVED, actor="anna")
        await store.undo_last(actor="anna")
        await store.sinks_start(["csv"])  # the memory's id (its delivery ids) made
        position, entries = await store.sink_entries("csv", limit=5)
        entries = [e for e in entries if not e.change]
        await store.sink_advance(
            "csv",
            expected=position,
            to=SinkPosition(entries[-1].id, 0),
            response_ids=[ids[3]],
            plan=lambda _held: [SinkDelivery(ids[3], entries[-1].id, "tagged", "{}", "d1")],
            at=datetime(2026, 3, 1, tzinfo=UTC),
        )
        # A rule's flags (issue 16): one held and released (a misfire), one still open.
        rules = RuleSet((Rule.make("scheldwoorden", "hold", words=("kanker*",)),))
        [(name,)] = await sql(store, "SELECT name FROM sources ORDER BY id LIMIT 1")
        flagged = page(
            resp("flag-1", "Wat een kankerzooi", source=name),
            resp("flag-2", "KANKER op", source=name, minutes=1),
        )
        up = await store.upsert_page(name, flagged, rules=rules)
        await store.moderate([up.flagged[0]], RemoteStatus.APPROVED, actor="anna")
    finally:
        await store.close()


@pytest.fixture(scope="module")
def lived_in(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path_factory.mktemp("copy") / "memory.db"
    seed_demo(_config(), path)
    # A thread of its own: an async test's loop may be running already here.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _lived_in(path)).result()
    return path


async def _columns(store: Any, table: str) -> list[str]:
    return [c for c in await copy_side(store).columns(table) if c not in DERIVED_COLUMNS]


def _via_pg(value: Any) -> Any:
    """A value as PostgreSQL's text holds it: a NUL character as U+FFFD."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


async def _rows(store: Any, table: str, columns: list[str], via_pg: bool) -> set[tuple[Any, ...]]:
    where = " WHERE n <> 0" if table in ("response_counts", "tag_counts") else ""
    rows = await sql(store, f"SELECT {', '.join(columns)} FROM {table}{where}")
    return {tuple(_via_pg(v) for v in r) if via_pg else tuple(r) for r in rows}


async def _meta(store: Any) -> dict[str, str]:
    """meta as the copy sees it: with a SQLite store's key file as ``author_secret``."""
    rows = dict(await sql(store, "SELECT key, value FROM meta"))
    if isinstance(store, SqliteStore):
        kept = read_key_file(store.path)
        if kept:
            rows["author_secret"] = kept
    return rows


async def _same_tables(one: Any, other: Any) -> None:
    """Every copied row the same, but the copy's own memory id and the payloads of its
    pending deliveries (which carry their source's ids: test_a_copy_is_a_new_memory...)."""
    for table in [t for t, _ in TABLES if t != "meta"] + list(KEPT):
        theirs = set(await _columns(other, table))
        columns = [c for c in await _columns(one, table) if c in theirs]
        if table == "sink_outbox":
            columns.remove("payload")
        mine = await _rows(one, table, columns, via_pg=True)
        copied = await _rows(other, table, columns, via_pg=False)
        assert mine == copied, table
    mine_meta, copied_meta = await _meta(one), await _meta(other)
    memory = mine_meta.pop("memory_id", None)
    assert memory is None or copied_meta.pop("memory_id") != memory
    assert mine_meta == copied_meta


async def _memory_id(store: Any) -> str:
    [(memory,)] = await sql(store, "SELECT value FROM meta WHERE key = 'memory_id'")
    return str(memory)


async def test_sqlite_to_postgresql_and_back_keeps_every_table(
    lived_in: Path, pg_url: str, tmp_path: Path
) -> None:
    a = await SqliteStore.open(lived_in, read_only=True)
    pg = await open_store(pg_url)
    try:
        # The memory is lived in: every copied table has rows (else "equal" proves little).
        for table, _ in TABLES:
            if table != "source_repairs":
                assert (await sql(a, f"SELECT count(*) FROM {table}"))[0][0] > 0, table
        assert (await sql(a, "SELECT count(*) FROM responses WHERE author_key IS NOT NULL"))[0][0]
        # A write-back with the digest of the text its moderator saw (test_edit_seen.py).
        assert (await sql(a, "SELECT count(*) FROM outbox WHERE expected_digest IS NOT NULL"))[0][0]
        memory = await _memory_id(a)
        counts = await copy_store(copy_side(a), copy_side(pg))
        assert all(c.ok for c in counts)
        # A new memory (test_a_copy_is_a_new_memory_that_keeps_its_queued_ids).
        assert await pg.sinks_start([]) not in (memory, None)
        nul = "SELECT count(*) FROM responses WHERE instr(body_text, char(0)) > 0"
        assert [c.repaired for c in counts if c.repaired] == [2 * (await sql(a, nul))[0][0]]
        by_table = {c.table: c.target for c in counts}
        assert by_table["responses"] == (await sql(a, "SELECT count(*) FROM responses"))[0][0]
        await _same_tables(a, pg)
        assert await pg.rule_tallies() == await a.rule_tallies()
        assert (await pg.counts()).flagged == (await a.counts()).flagged == 1

        # PostgreSQL's own: every response has its search vector, and finds what SQLite's
        # index finds for a plain word; new ids come after the copied ones.
        assert (await sql(pg, "SELECT count(*) FROM responses WHERE search IS NULL")) == [(0,)]
        # The count triggers the copy turned off in its transaction are on again.
        enabled = await sql(
            pg,
            "SELECT tgname::text, tgenabled::text FROM pg_trigger WHERE tgname IN "
            "('response_counts_insert', 'tag_counts_change')",
        )
        assert sorted(enabled) == [("response_counts_insert", "O"), ("tag_counts_change", "O")]
        fts = await sql(a, "SELECT rowid FROM responses_fts WHERE responses_fts MATCH 'zwembad'")
        tsv = await sql(
            pg, "SELECT id FROM responses WHERE search @@ to_tsquery('reactieveld', 'zwembad')"
        )
        assert fts and set(fts) == set(tsv)
        for table in ("responses", "notes", "actions", "outbox", "sink_outbox", "threads"):
            top = (await sql(pg, f"SELECT max(id) FROM {table}"))[0][0]
            nxt = await sql(pg, f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
            assert nxt[0][0] == top + 1, table

        b = await SqliteStore.open(tmp_path / "back.db")
        try:
            await copy_store(copy_side(pg), copy_side(b))
            assert await b.sinks_start([]) not in (memory, await _memory_id(pg))
            await _same_tables(a, b)
            assert await a.counts() == await b.counts()
            # The same person keeps the same author key; the search index is rebuilt.
            assert b.author_key("Iemand@Voorbeeld.nl") == a.author_key("iemand@voorbeeld.nl")
            await b.close()
            b = await SqliteStore.open(tmp_path / "back.db")  # the key file is read again
            assert b.author_key("Iemand@Voorbeeld.nl") == a.author_key("iemand@voorbeeld.nl")
            again = await sql(
                b, "SELECT rowid FROM responses_fts WHERE responses_fts MATCH 'zwembad'"
            )
            assert set(again) == set(fts)
            by_author = "SELECT count(*) FROM responses_by_author"
            assert await sql(b, by_author) == await sql(a, by_author)
            # The copied journal still undoes: a new entry after the copied ids, taking
            # back one of them.
            top = (await sql(b, "SELECT max(id) FROM actions"))[0][0]
            undone = await b.undo_last(actor="anna")
            assert undone.journal_ids and min(undone.journal_ids) == top + 1
            taken_back = await sql(
                b, "SELECT undoes FROM actions WHERE id = ?", (undone.journal_ids[0],)
            )
            assert 0 < taken_back[0][0] <= top
            # That was the release of a rule's flag: by the copied journal id the flag
            # opens again.
            assert (await b.counts()).flagged == 2
        finally:
            await b.close()
    finally:
        await pg.close()
        await a.close()


async def test_a_target_with_rows_is_refused_and_left_as_it_was(
    lived_in: Path, tmp_path: Path
) -> None:
    a = await SqliteStore.open(lived_in, read_only=True)
    b = await SqliteStore.open(tmp_path / "b.db")
    try:
        await copy_store(copy_side(a), copy_side(b))
        before = await copy_side(b).counts()
        with pytest.raises(StoreError, match=r"is not empty \(sources: 1, threads"):
            await copy_store(copy_side(a), copy_side(b))
        assert await copy_side(b).counts() == before
    finally:
        await b.close()
        await a.close()


async def test_a_copy_that_fails_leaves_the_target_empty_to_try_again(
    lived_in: Path, pg_url: str
) -> None:
    a = await SqliteStore.open(lived_in, read_only=True)
    pg = await open_store(pg_url)
    try:
        # A fault late in the copy (the outbox comes after the journal): nothing stays.
        await sql(
            pg,
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$",
        )
        await sql(pg, "CREATE TRIGGER refuse BEFORE INSERT ON outbox EXECUTE FUNCTION refuse()")
        with pytest.raises(StoreError, match="disk on fire"):
            await copy_store(copy_side(a), copy_side(pg))
        left = await copy_side(pg).counts()
        assert {n for t, n in left.items() if t != "meta"} == {0}  # meta: the open's own
        await sql(pg, "DROP TRIGGER refuse ON outbox")
        counts = await copy_store(copy_side(a), copy_side(pg))
        assert all(c.ok for c in counts)
    finally:
        await pg.close()
        await a.close()


def test_a_moderator_is_told_the_copy_needs_the_owner(
    lived_in: Path, pg_cluster: Any, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    moderator = _role_on_migrated(pg_cluster, pg_url, "copy_mod", "reactieveld_moderator")
    assert main(["store", "copy", "--db", str(lived_in), "--to", moderator]) == 2
    err = _one_line(capsys)
    assert "needs the database's owner (role copy_mod is not" in err
    assert main(["store", "copy", "--db", str(lived_in), "--to", pg_url]) == 0  # nothing left


def test_a_reader_cannot_copy_the_memory_out(
    pg_cluster: Any, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reader = _role_on_migrated(pg_cluster, pg_url, "copy_reader", "reactieveld_reader")
    target = tmp_path / "kopie.db"
    assert main(["store", "copy", "--db", reader, "--to", str(target)]) == 2
    err = _one_line(capsys)
    assert "role copy_reader may not read the whole memory" in err and "moderator" in err
    # Refused, it leaves no file behind (the store, its -wal, -shm, key file).
    assert sorted(p.name for p in tmp_path.iterdir()) == []


class _OutboxWaits:
    """A source side whose outbox, on the copy's first run, is read only once the test
    says go on (the copy is inside its transaction then, its locks held); its other
    calls as the side's own. Counts the runs."""

    def __init__(self, side: Any) -> None:
        self.side, self.where = side, side.where
        self.runs = 0
        self.reached, self.go_on = asyncio.Event(), asyncio.Event()

    async def columns(self, table: str) -> list[str]:
        return list(await self.side.columns(table))

    async def counts(self) -> dict[str, int]:
        return dict(await self.side.counts())

    async def dump(self, table: str, columns: Any, key: Any, batch: int) -> Any:
        if table == "outbox":
            self.runs += 1
            if self.runs == 1:
                self.reached.set()
                await self.go_on.wait()
        async for rows in self.side.dump(table, columns, key, batch):
            yield rows


async def test_a_copy_stopped_by_a_deadlock_is_run_again_whole(lived_in: Path, pg_url: str) -> None:
    """A real deadlock on the target: another program (a client's open transaction)
    holds the outbox and then asks for responses, which the copy holds (its first
    statements lock responses, tags and actions against writes) while it waits to write
    the outbox. The
    server stops the copy (40P01); it is run again whole by the store's one rule
    (PgBase._write) once the other is done, and every table arrives (was: the one line
    "the server stopped this change as another came at the same time", nothing copied)."""
    import asyncpg

    # The copy's backend finds the circle (10 ms into its wait); the other's never looks
    # (an hour): the copy is the server's victim, whatever the load.
    admin = await asyncpg.connect(pg_url)
    db = await admin.fetchval("SELECT current_database()")
    await admin.execute(f'ALTER DATABASE "{db}" SET deadlock_timeout = 10')
    a = await SqliteStore.open(lived_in, read_only=True)
    pg = await open_store(pg_url)
    other = await asyncpg.connect(pg_url, server_settings={"deadlock_timeout": "1h"})
    source = _OutboxWaits(copy_side(a))
    copying = asyncio.create_task(asyncio.sleep(0))
    try:
        await other.execute("BEGIN; LOCK TABLE outbox IN SHARE MODE")  # reads pass
        copying = asyncio.create_task(copy_store(source, copy_side(pg)))  # type: ignore[arg-type]
        await source.reached.wait()  # the copy holds responses, tags and actions
        # Then writes to responses (the lock any INSERT or UPDATE of it takes first).
        waits = asyncio.create_task(other.execute("LOCK TABLE responses IN ROW EXCLUSIVE MODE"))
        # The other waits for the copy: ask the server until it says so (each question
        # a round trip, no sleep); then the copy goes on to wait for the outbox.
        blocked: list[int] = []
        for _ in range(2000):
            blocked = await admin.fetchval("SELECT pg_blocking_pids($1)", other.get_server_pid())
            if blocked or waits.done():
                break
        assert len(blocked) == 1, blocked
        source.go_on.set()
        await waits  # the copy's first run was stopped: responses are the other's now
        await other.execute("COMMIT")
        counted = await copying
        assert all(c.ok for c in counted) and source.runs == 2
        await _same_tables(a, pg)
    finally:
        copying.cancel()  # done unless a failure above left it waiting
        await other.close()
        await pg.close()
        await a.close()
        await admin.close()


async def test_a_second_copy_at_once_is_told_the_target_is_not_empty(
    lived_in: Path, pg_url: str
) -> None:
    """Two copies into one empty database at once: both find it empty; the second waits
    for the first's locks and, once the first is done, says the target is not empty, as
    a copy run later does (was: a duplicate key of the sources, said as a failed query)."""
    import asyncpg

    a = await SqliteStore.open(lived_in, read_only=True)
    pg = await open_store(pg_url)
    admin = await asyncpg.connect(pg_url)
    first = _OutboxWaits(copy_side(a))
    copying = asyncio.create_task(asyncio.sleep(0))
    try:
        copying = asyncio.create_task(copy_store(first, copy_side(pg)))  # type: ignore[arg-type]
        await first.reached.wait()  # the first is inside its transaction, its locks held
        second = asyncio.create_task(copy_store(copy_side(a), copy_side(pg)))
        waiting = 0
        for _ in range(2000):  # ask the server until the second waits (no sleep)
            waiting = await admin.fetchval(
                "SELECT count(*) FROM pg_locks "
                "WHERE NOT granted AND relation = 'responses'::regclass"
            )
            if waiting or second.done():
                break
        assert waiting == 1
        first.go_on.set()
        assert all(c.ok for c in await copying)
        with pytest.raises(StoreError, match=r"is not empty \(sources: 1, threads"):
            await second
        await _same_tables(a, pg)
    finally:
        first.go_on.set()
        copying.cancel()
        await admin.close()
        await pg.close()
        await a.close()


async def _migrate(url: str) -> None:
    store = await open_store(url)  # the owner's first start
    await store.close()


def _role_on_migrated(pg_cluster: Any, pg_url: str, name: str, group: str) -> str:
    """``pg_url``'s database migrated by its owner, and the URL to it as login role
    ``name`` in ``group``."""
    import asyncio

    asyncio.run(_migrate(pg_url))
    return str(pg_cluster.role_url(pg_url, name, group))


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    """What the command wrote to stderr, which must be one line."""
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


def test_the_command_copies_prints_the_counts_and_refuses_a_second_time(
    lived_in: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["store", "copy", "--db", str(lived_in), "--to", pg_url]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["table", "source", "copied"]
    rows = {ln.split()[0]: ln.split()[1:] for ln in lines[1 : 1 + len(TABLES)]}
    assert list(rows) == [t for t, _ in TABLES]
    assert all(a == b for a, b in rows.values())
    # The demo's response with control characters has a NUL in its text and its HTML.
    assert lines[-2].startswith("2 texts held a NUL character")
    assert "every table's count equal" in lines[-1]

    assert main(["store", "copy", "--db", str(lived_in), "--to", pg_url]) == 2
    err = _one_line(capsys)
    assert "is not empty" in err and "Traceback" not in err


def test_a_refused_copy_into_a_file_keeps_the_files_that_were_there(
    lived_in: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kopie.db"
    assert main(["store", "copy", "--db", str(lived_in), "--to", str(target)]) == 0
    there = sorted(p.name for p in tmp_path.iterdir())
    assert "kopie.db" in there
    capsys.readouterr()
    assert main(["store", "copy", "--db", str(lived_in), "--to", str(target)]) == 2
    assert "is not empty" in _one_line(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == there


def test_from_a_postgresql_url_to_another_and_to_a_file(
    lived_in: Path, pg_cluster: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = (str(pg_cluster.url(pg_cluster.new_database())) for _ in range(2))
    assert main(["store", "copy", "--db", str(lived_in), "--to", first]) == 0
    assert main(["store", "copy", "--db", first, "--to", second]) == 0
    target = tmp_path / "kopie.db"
    assert main(["store", "copy", "--db", second, "--to", str(target)]) == 0
    outputs = capsys.readouterr().out.split("table ")[1:]
    assert len(outputs) == 3
    # The same rows at every step (a NUL, once replaced on PostgreSQL, stays replaced).
    assert len({"\n".join(o.splitlines()[1 : 1 + len(TABLES)]) for o in outputs}) == 1
    assert read_key_file(target) == read_key_file(lived_in)


def test_a_password_in_the_url_is_refused(
    lived_in: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with_password = pg_url.replace("postgresql://postgres@", "postgresql://postgres:Geheim99@")
    assert with_password != pg_url
    assert main(["store", "copy", "--db", str(lived_in), "--to", with_password]) == 2
    err = _one_line(capsys)
    assert "PGPASSWORD" in err and "Geheim99" not in err
    # Nothing was opened, so nothing was written.
    assert main(["store", "copy", "--db", str(lived_in), "--to", pg_url]) == 0


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    password=st.text(min_size=1, max_size=20).filter(lambda p: p.strip() == p),
    in_query=st.booleans(),
)
def test_any_password_in_a_url_is_refused_and_never_shown(password: str, in_query: bool) -> None:
    secret = quote(password, safe="")
    url = (
        f"postgresql://anna@db.example.nl/team?sslmode=require&password={secret}"
        if in_query
        else f"postgresql://anna:{secret}@db.example.nl/team"
    )
    with pytest.raises(CopyUsageError) as raised:
        refuse_password(url, "--to")
    # The same words whatever the URL: nothing of it (the password least of all) shows.
    assert str(raised.value) == REFUSED
    refuse_password(url.replace(f":{secret}@", "@").replace(f"&password={secret}", ""), "--to")


REFUSED = (
    "--to: the URL holds a password; leave it out and put it in PGPASSWORD or ~/.pgpass "
    "(a command line is visible to every user of this machine)"
)


def test_a_missing_source_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = str(tmp_path / "new.db")
    assert main(["store", "copy", "--db", str(tmp_path / "none.db"), "--to", target]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"reactieveld: no memory store at {tmp_path / 'none.db'}"
    assert not Path(target).exists()


async def test_every_table_of_both_schemas_is_copied_or_left_out_on_purpose(
    tmp_path: Path, pg_url: str
) -> None:
    sqlite = await SqliteStore.open(tmp_path / "m.db")
    pg = await open_store(pg_url)
    try:
        names = {
            n
            for (n,) in await sql(
                sqlite,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'sqlite_%' AND sql NOT LIKE 'CREATE TABLE ''%'",  # FTS5's own tables
            )
        }
        names |= {
            n
            for (n,) in await sql(
                pg, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        }
        copied = {t for t, _ in TABLES}
        assert names - copied - set(NOT_COPIED) == set()
        assert not copied & set(NOT_COPIED)
    finally:
        await pg.close()
        await sqlite.close()


#: Any text a platform may send (after the store's own repair of lone surrogates).
_texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    rows=st.lists(
        st.tuples(_texts, _texts, _texts, st.none() | st.emails(), st.sampled_from("abc")),
        min_size=1,
        max_size=8,
    ),
    cursor=st.none() | _texts,
)
def test_any_texts_go_there_and_back(
    pg_cluster: Any, tmp_path_factory: pytest.TempPathFactory, rows: list[Any], cursor: Any
) -> None:
    """Texts of every kind (any code point, NUL, emoji, right-to-left, empty), e-mail
    addresses (author keys), thread titles and a cursor: SQLite -> PostgreSQL -> SQLite
    gives every table back, a NUL as U+FFFD."""
    import asyncio

    from reactieveld.model import Page, Response, Source, Thread

    folder = tmp_path_factory.mktemp("any")
    url = str(pg_cluster.url(pg_cluster.new_database()))

    async def run() -> None:
        a = await SqliteStore.open(folder / "a.db")
        await a.ensure_source(Source("blog", "wordpress", "https://blog.example"))
        page = Page(
            responses=[
                Response(
                    source="blog",
                    external_id=f"c{i}",
                    thread_external_id=f"t-{thread}",
                    author_name=author,
                    body_text=body,
                    body_raw=f"<p>{body}</p>",
                    created_at=datetime(2026, 3, 1, tzinfo=UTC),
                    author_email=email,
                )
                for i, (body, author, _title, email, thread) in enumerate(rows)
            ],
            threads=[Thread("blog", f"t-{t}", title) for _b, _a, title, _e, t in rows],
            next_cursor=cursor,
        )
        await a.upsert_page("blog", page)
        await a.add_note(1, rows[0][2], actor="anna")
        pg, b = await open_store(url), await SqliteStore.open(folder / "b.db")
        try:
            await copy_store(copy_side(a), copy_side(pg))
            await copy_store(copy_side(pg), copy_side(b))
            await _same_tables(a, pg)
            await _same_tables(a, b)
            # The rebuilt search index holds the same terms in the same rows as the one
            # ingest wrote (its vocabulary), and the author index the same rows.
            vocab = "SELECT term, doc, cnt FROM responses_vocab ORDER BY term"
            assert await sql(b, vocab) == await sql(a, vocab)
            fts = "SELECT rowid FROM responses_by_author ORDER BY rowid"
            assert await sql(b, fts) == await sql(a, fts)
        finally:
            for store in (a, pg, b):
                await store.close()

    asyncio.run(run())


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_copy_the_server_does_not_answer_in_time_is_said_as_the_store_says_it(
    language: str,
    lived_in: Path,
    pg_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A statement of the copy's load waiting past the program's limit (another
    connection holding the target's outbox) is the store's line: no answer within the
    limit, try again; the target named without its password, exit 2 (was: "no answer
    from the server in time: is it running and reachable?", as if it were down)."""
    import asyncio

    import asyncpg

    from reactieveld.i18n import STRINGS, text
    from reactieveld.store.pg import base

    asyncio.run(_migrate(pg_url))
    monkeypatch.setattr(base, "COMMAND_SECONDS", 0.3)
    loop = asyncio.new_event_loop()
    other = loop.run_until_complete(asyncpg.connect(pg_url))
    try:
        # Reads pass (the target's counts), inserts wait.
        loop.run_until_complete(other.execute("BEGIN; LOCK TABLE outbox IN SHARE MODE"))
        argv = ["--lang", language, "store", "copy", "--db", str(lived_in), "--to", pg_url]
        assert main(argv) == 2
    finally:
        loop.run_until_complete(other.close())
        loop.close()
    err = _one_line(capsys)
    where = base.redact_url(pg_url)
    said = text("conn.store.pg_no_answer", language, where=where, limit="0.3", hint="")
    assert err.startswith("reactieveld: " + said.rstrip()), err
    assert err.endswith(text("conn.store.hint.again", language)), err
    unreachable = STRINGS["conn.store.pg_timeout"][0 if language == "nl" else 1]
    assert unreachable.split(": ", 1)[1] not in err, err
    assert main(["store", "copy", "--db", str(lived_in), "--to", pg_url]) == 0  # nothing left


class _Receiver:
    """A sink named as ``_lived_in``'s ("csv") that keeps the delivery ids it gets."""

    kind = "jsonl"
    key = "csv"

    def __init__(self) -> None:
        self.ids: list[str] = []

    async def deliver(self, body: bytes, envelope: Any) -> None:
        self.ids.append(str(envelope["delivery_id"]))

    async def aclose(self) -> None:
        pass


async def test_a_copy_is_a_new_memory_that_keeps_its_queued_ids(
    lived_in: Path, store_target: str, tmp_path: Path
) -> None:
    """Source and copy both go on sending to one receiver (which drops repeats): a
    delivery queued at the copy has the same id from both; a new one never the same."""
    import shutil

    from reactieveld.sinks import SinkWorker
    from reactieveld.store.authors import write_key_file

    source = tmp_path / "source.db"
    shutil.copy(lived_in, source)
    write_key_file(source, str(read_key_file(lived_in)))
    src = await SqliteStore.open(source)
    dst = await open_store(store_target)
    try:
        await copy_store(copy_side(src), copy_side(dst))
        got: list[list[str]] = []
        for store in (src, dst):
            pending = "SELECT count(*) FROM sink_outbox WHERE state = 'pending'"
            [(queued,)] = await sql(store, pending)
            assert queued == 1  # _lived_in's delivery, queued at the copy
            receiver = _Receiver()  # its next pass enqueues the rest of the journal
            await SinkWorker(store, [receiver]).run_once()  # type: ignore[list-item]
            assert len(receiver.ids) > 2, receiver.ids
            got.append(receiver.ids[:2])
        (queued_src, new_src), (queued_dst, new_dst) = got
        # A repeat: the receiver drops it (its id at the source, before the copy).
        assert queued_src == queued_dst == f"{await _memory_id(src)}/csv#1"
        assert new_src != new_dst  # both real: neither is lost
        assert new_src.rsplit("#")[0] != new_dst.rsplit("#")[0]
    finally:
        await src.close()
        await dst.close()
