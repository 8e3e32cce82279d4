"""Moving a memory between stores (``reactieveld store copy``): SQLite to PostgreSQL, back,
or between two of either.

Both backends have the same tables with the same names and columns (PostgreSQL adds
``responses.search``, ``responses.version`` and ``claims``), so a copy is table by table,
in batches, keeping every id: undo finds its journal entries, the outbox its journal ids
and each memory sink its position in the journal. The target must be empty; it is filled
in ONE transaction (a failed copy leaves it empty, so it can simply be run again), then
each backend rebuilds what it derives itself (its search index; on PostgreSQL the identity
sequences past the copied ids), and the counts are compared table by table.

What is not copied: claims (a lease of minutes means nothing in another database; the
claim log, who claimed what and when, is copied, as are the moderation rules' flags), the
kept counts (the target's triggers keep them while rows arrive) and the search index.

The author keys' secret moves with the memory (otherwise the same person would get
another key in the target): SQLite keeps it in a key file beside the database, PostgreSQL
in its ``meta`` table (readers cannot read that table). A secret that comes from the
environment (``[store] author_secret_env``) is in neither; the target is then opened with
the same one. The copy is a new memory with a new ``memory_id`` (the first part of its
sinks' delivery ids: store/sinks.py ``MEMORY_ID_SQL``); its copied pending deliveries keep
their source's ids (:func:`_new_memory`). This module holds the plan and
the SQLite side; ``store/pg/copy.py`` the PostgreSQL side."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from reactieveld.i18n import stored
from reactieveld.store.authors import read_key_file, secret_bytes, write_key_file
from reactieveld.store.base import StoreError
from reactieveld.store.sinks import new_memory_id

if TYPE_CHECKING:
    from reactieveld.store.sqlite import SqliteStore

#: The copied tables in an order that satisfies every foreign key, each with the columns
#: it is read in order of (its primary key: batches continue after the last key read).
TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("meta", ("key",)),
    ("sources", ("id",)),
    ("source_repairs", ("source_id",)),
    ("threads", ("id",)),
    ("responses", ("id",)),
    ("tags", ("response_id", "kind", "code")),
    ("codings", ("response_id", "coder")),
    ("notes", ("id",)),
    ("actions", ("id",)),
    ("outbox", ("id",)),
    ("sink_positions", ("sink",)),
    ("sink_state", ("sink", "response_id")),
    ("sink_outbox", ("id",)),
    ("sink_changes", ("id",)),
    ("claim_log", ("id",)),
    # After responses and actions: a flag names its response and the decision that
    # settled it (undo on the target opens it again by that journal id).
    ("rule_flags", ("id",)),
)

#: The tables a copy leaves out, and why (a test holds every table of both schemas to
#: TABLES or this list, so a new table is a decision, not an omission).
NOT_COPIED: dict[str, str] = {
    "claims": "a lease of minutes on one database",
    "response_counts": "kept by the target's triggers as the rows arrive",
    "tag_counts": "kept by the target's triggers as the rows arrive",
    "question_tagged": "kept by the target's triggers (recounted on PostgreSQL)",
    "schema_migrations": "each database's own (PostgreSQL)",
    "responses_fts": "the search index, rebuilt on the target (SQLite)",
    "responses_by_author": "the author index, rebuilt on the target (SQLite)",
    "responses_vocab": "a view of the search index (SQLite)",
}

#: Columns a backend computes itself (never copied): PostgreSQL's search vector, and the
#: platform's report count both derive from the stored meta (migrations 0012 / pg 0005).
#: Also the end of an outbox row's lease (process state): the copy's first outbox worker
#: takes every row at once, none stays leased to a process of the source for minutes;
#: who held it (``leased_by``) is copied, so a reply that was being sent waits for a
#: sync round begun after the copy is first used (store/writeback.py ``LEASE_SET``).
DERIVED_COLUMNS = frozenset({"search", "reports", "lease_until"})

#: The meta key the author secret travels under (PostgreSQL keeps it in meta; SQLite in
#: its key file, never in the database).
SECRET_KEY = "author_secret"

#: Rows per batch: a few MB at most of response texts in memory at once.
BATCH = 2000

Row = tuple[Any, ...]


class Loader(Protocol):
    """The target's side of a copy: inside one transaction."""

    async def load(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> int:
        """Insert ``rows``; returns how many texts had to be repaired on the way (a NUL
        character, which PostgreSQL's text cannot hold)."""
        ...


class CopySide(Protocol):
    """What a store offers a copy (both backends): its columns, its rows in batches, its
    counts, and a transaction to load into."""

    #: The store as messages name it (a file path, a URL without password).
    where: str

    async def columns(self, table: str) -> list[str]: ...

    async def counts(self) -> dict[str, int]: ...

    def dump(
        self, table: str, columns: Sequence[str], key: Sequence[str], batch: int
    ) -> AsyncIterator[list[Row]]: ...

    async def fill(self, body: Callable[[Loader], Awaitable[None]]) -> None:
        """``body`` with a :class:`Loader` in the target's one transaction, committed
        after it. A PostgreSQL target may run ``body`` again whole, in a new transaction:
        the store's one rule for a deadlock's victim (``PgBase._write``)."""
        ...


@dataclass(frozen=True)
class TableCount:
    """One table after a copy: rows in the source and in the target."""

    table: str
    source: int
    target: int
    #: Texts changed on the way: a NUL character PostgreSQL cannot hold became U+FFFD.
    repaired: int = 0

    @property
    def ok(self) -> bool:
        return self.source == self.target


async def copy_store(src: CopySide, dst: CopySide, *, batch: int = BATCH) -> list[TableCount]:
    """Copy every table of ``src`` into the empty ``dst`` (the sides of stores of either
    backend: ``store.open.copy_side``), then count both: one :class:`TableCount` per
    table. Raises :class:`StoreError` (one line) when the target is not empty, or when the
    counts differ after the copy."""
    if src.where == dst.where:
        raise StoreError(stored("conn.store.copy_same", where=dst.where))
    await src.counts()  # the source can be read whole (a reader's may not: its meta)
    await _refuse_filled(dst)
    repaired: dict[str, int] = {}

    async def body(loader: Loader) -> None:
        # Again in the transaction, its locks held (PostgreSQL: counted on another of the
        # pool's connections, at least 2, so another's committed rows are seen): a second
        # copy at once, or a program that wrote the target meanwhile (before a run again
        # after a deadlock), is a target not empty, not a duplicate key.
        await _refuse_filled(dst)
        repaired.update(dict.fromkeys((t for t, _ in TABLES), 0))  # run again: from the start
        memory: dict[str, str] = {}  # the source's memory id, read with its meta
        for table, key in TABLES:
            theirs = set(await dst.columns(table))
            columns = [
                c for c in await src.columns(table) if c in theirs and c not in DERIVED_COLUMNS
            ]
            async for rows in src.dump(table, columns, key, batch):
                moved = _new_memory(table, columns, rows, memory)
                repaired[table] += await loader.load(table, columns, moved)

    await dst.fill(body)
    counted_src, counted_dst = await src.counts(), await dst.counts()
    result = [TableCount(t, counted_src[t], counted_dst[t], repaired[t]) for t, _ in TABLES]
    wrong = [c for c in result if not c.ok]
    if wrong:
        raise StoreError(
            f"{dst.where}: the copy does not match its source ("
            + ", ".join(f"{c.table}: {c.source} in the source, {c.target} copied" for c in wrong)
            + "): do not use it; report this"
        )
    return result


def _new_memory(
    table: str, columns: Sequence[str], rows: Sequence[Row], memory: dict[str, str]
) -> Sequence[Row]:
    """The copy is a new memory: a new ``memory_id`` (a delivery the copy makes never has
    the id of one its source makes after the copy); each copied delivery still pending
    carries the id it had at the source (``delivery_id`` in its payload, which
    ``sinks.py`` keeps), so the receiver drops it as a repeat if the source sent it."""
    if table == "meta":
        k, v = columns.index("key"), columns.index("value")
        out = []
        for row in rows:
            if row[k] == "memory_id":
                memory["id"] = str(row[v])
                row = tuple(new_memory_id() if i == v else x for i, x in enumerate(row))
            out.append(row)
        return out
    if table != "sink_outbox" or "id" not in memory:
        return rows
    i, s, p, st = (columns.index(c) for c in ("id", "sink", "payload", "state"))
    out = []
    for row in rows:
        if row[st] == "pending":
            envelope = json.loads(row[p])
            envelope.setdefault("delivery_id", f"{memory['id']}/{row[s]}#{row[i]}")
            text = json.dumps(envelope, ensure_ascii=False)
            row = tuple(text if j == p else x for j, x in enumerate(row))
        out.append(row)
    return out


async def _refuse_filled(dst: CopySide) -> None:
    """The one line of a target that is not empty (:func:`copy_store` fills only an empty one)."""
    before = await dst.counts()
    filled = [t for t, n in before.items() if n and t != "meta"]
    if filled:
        # meta is not looked at: opening a store writes its own (the secret's check).
        raise StoreError(
            f"{dst.where} is not empty ({', '.join(f'{t}: {before[t]}' for t in filled)}): "
            "store copy fills only an empty memory; create a new database or choose a new file"
        )


def _keyset_sql(table: str, columns: Sequence[str], key: Sequence[str], after: bool) -> str:
    """One batch of ``table`` in key order, after the last key read (``?`` placeholders)."""
    cols = ", ".join(columns)
    keys = ", ".join(key)
    where = f" WHERE ({keys}) > ({', '.join('?' for _ in key)})" if after else ""
    return f"SELECT {cols} FROM {table}{where} ORDER BY {keys} LIMIT ?"


async def dump_batches(
    fetch: Any, table: str, columns: Sequence[str], key: Sequence[str], batch: int
) -> AsyncIterator[list[Row]]:
    """Batches of rows by keyset (``fetch(sql, params)`` runs one query on a backend):
    shared by both backends. The key columns are read too, at the end of each row."""
    extra = [k for k in key if k not in columns]
    read = [*columns, *extra]
    last: Row | None = None
    while True:
        params = (*(last or ()), batch)
        rows = await fetch(_keyset_sql(table, read, key, last is not None), params)
        if not rows:
            return
        yield [tuple(r[: len(columns)]) for r in rows]
        if len(rows) < batch:
            return
        last = tuple(rows[-1][read.index(k)] for k in key)


def count_sql(table: str) -> str:
    # meta's count leaves out the secret's check value: each store writes its own when
    # opened (the same one when the secret is the same, which the copy makes sure of).
    if table == "meta":
        return "SELECT count(*) FROM meta WHERE key <> 'author_secret_check'"
    return f"SELECT count(*) FROM {table}"


# -- SQLite ------------------------------------------------------------------------------
class SqliteCopySide:
    """A SQLite store's side of a copy. Its author secret lives in the key file beside
    the database: it is read as the meta row ``author_secret`` and written back there."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        path = store.path
        self.where = str(path if str(path) == ":memory:" else path.resolve())

    async def columns(self, table: str) -> list[str]:
        rows = await self.store._run(
            lambda db: db.execute(f"PRAGMA table_info({table})").fetchall()
        )
        return [str(r[1]) for r in rows]

    def _kept_secret(self, db: sqlite3.Connection) -> str | None:
        if str(self.store.path) == ":memory:":
            return None
        return read_key_file(self.store.path)

    async def counts(self) -> dict[str, int]:
        def fn(db: sqlite3.Connection) -> dict[str, int]:
            out = {t: int(db.execute(count_sql(t)).fetchone()[0]) for t, _ in TABLES}
            in_meta = db.execute("SELECT 1 FROM meta WHERE key = ?", (SECRET_KEY,)).fetchone()
            if in_meta is None and self._kept_secret(db) is not None:
                out["meta"] += 1  # the key file's secret: one meta row in the copy
            return out

        return await self.store._run(fn)

    async def dump(
        self, table: str, columns: Sequence[str], key: Sequence[str], batch: int
    ) -> AsyncIterator[list[Row]]:
        async def fetch(sql: str, params: Row) -> list[Row]:
            return await self.store._run(lambda db: db.execute(sql, params).fetchall())

        async for rows in dump_batches(fetch, table, columns, key, batch):
            yield rows
        if table == "meta":
            secret = await self.store._run(self._kept_secret)
            has = await self.store._run(
                lambda db: db.execute("SELECT 1 FROM meta WHERE key = ?", (SECRET_KEY,)).fetchone()
            )
            if secret is not None and has is None:
                row = {"key": SECRET_KEY, "value": secret}
                yield [tuple(row[c] for c in columns)]

    async def fill(self, body: Callable[[Loader], Awaitable[None]]) -> None:
        async with self._loading() as loader:
            await body(loader)

    @contextlib.asynccontextmanager
    async def _loading(self) -> AsyncIterator[Loader]:
        store = self.store
        if store.read_only:
            raise StoreError(stored("conn.store.copy_open_read_only", where=self.where))
        await store._run(lambda db: db.execute("BEGIN IMMEDIATE"))
        try:
            # The versions (migration 0009) are copied as they are: a copied journal entry
            # or status is not a new change. SQLite cannot switch a trigger off, so they
            # are dropped and made again in the copy's own transaction.
            kept = await store._run(_drop_triggers)
            yield _SqliteLoader(store)
            await store._run(_rebuild_search)
            await store._run(lambda db: [db.execute(sql) for sql in kept])
            await store._run(lambda db: db.execute("COMMIT"))
        except BaseException:
            await store._run(lambda db: db.execute("ROLLBACK") if db.in_transaction else None)
            raise


class _SqliteLoader:
    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    async def load(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> int:
        if table == "meta":
            rows = await self._secret_to_key_file(columns, rows)
        if not rows:
            return 0
        sql = (
            f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
            if table == "meta"  # the target's own check value is replaced by the source's
            else f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        await self.store._run(lambda db: db.executemany(sql, rows))
        return 0  # SQLite's text holds every character

    async def _secret_to_key_file(self, columns: Sequence[str], rows: Sequence[Row]) -> list[Row]:
        """A SQLite memory never keeps its author secret in the database: it goes to the
        key file beside it (mode 0600), replacing the one the new file was made with."""
        k, v = columns.index("key"), columns.index("value")
        kept = []
        for row in rows:
            if row[k] == SECRET_KEY:
                if str(self.store.path) == ":memory:":
                    continue
                write_key_file(self.store.path, str(row[v]))
                # This open store goes on with the copied secret, as a new open would.
                self.store._author_secret = secret_bytes(str(row[v]))
            else:
                kept.append(row)
        return kept


#: The triggers a copy goes without (see SqliteSide.loading).
COPY_WITHOUT_TRIGGERS = ("responses_version_journal", "responses_version_remote")


def _drop_triggers(db: sqlite3.Connection) -> list[str]:
    """Drop :data:`COPY_WITHOUT_TRIGGERS`; returns the SQL that makes them again."""
    marks = ",".join("?" * len(COPY_WITHOUT_TRIGGERS))
    kept = db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
        COPY_WITHOUT_TRIGGERS,
    ).fetchall()
    for name, _ in kept:
        db.execute(f"DROP TRIGGER {name}")
    return [sql for _, sql in kept]


def _rebuild_search(db: sqlite3.Connection) -> None:
    """The search index and the author index of the copied responses (both contentless
    FTS5 tables, as ingest writes them: body, author, the thread's title, searchable)."""
    db.execute(
        "INSERT INTO responses_fts (rowid, body, author, title) "
        "SELECT r.id, reactieveld_searchable(r.body_text), reactieveld_searchable(r.author_name), "
        "reactieveld_searchable(coalesce(t.title, '')) FROM responses r "
        "LEFT JOIN threads t ON t.source_id = r.source_id "
        "AND t.external_id = r.thread_external_id"
    )
    db.execute(
        "INSERT INTO responses_by_author (rowid, author_key) "
        "SELECT id, reactieveld_author_tokens(author_key, source_id, author_name) FROM responses"
    )
