"""The PostgreSQL side of ``reactieveld store copy`` (the plan is in ``store/copy.py``):
rows read by keyset, written with ``INSERT ... SELECT FROM unnest(...)`` (one statement
per batch, a response's search vector with it), all in one transaction; then the
identity sequences past the copied ids."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import asyncpg

from reactieveld.i18n import stored
from reactieveld.store.base import StoreError
from reactieveld.store.copy import TABLES, Loader, Row, count_sql, dump_batches
from reactieveld.store.pg.base import dollar
from reactieveld.store.pg.ingest import search_vector, title_of

if TYPE_CHECKING:
    from reactieveld.store.pg.store import PostgresStore


def row_search_vector(r: str) -> str:
    """A copied response's search vector from the row aliased ``r``: ingest's
    (:func:`~reactieveld.store.pg.ingest.search_vector`), with its thread's title."""
    return search_vector(
        f"{r}.body_text", f"{r}.author_name", title_of(f"{r}.source_id", f"{r}.thread_external_id")
    )


#: What a NUL character becomes on PostgreSQL, whose text cannot hold one (SQLite's can:
#: a platform sent it). The same mark as for any text repaired on the way in.
NUL_REPAIR = "\ufffd"


def without_nul(values: list[Any]) -> tuple[list[Any], int]:
    """A text column's values with every NUL character replaced; how many were changed."""
    changed = 0
    out = []
    for v in values:
        if isinstance(v, str) and "\x00" in v:
            v = v.replace("\x00", NUL_REPAIR)
            changed += 1
        out.append(v)
    return out, changed


#: The row triggers that keep the counts (migration 0001). A copy turns them off in its
#: transaction and counts once at the end (RECOUNT): row by row they cost about 8 of every
#: 10 seconds of a copy (each row updates the same few count rows again), and the
#: question count's trigger sees a whole statement's rows at once (AFTER ROW triggers
#: fire at the statement's end), so a response with two question tags in one batch would
#: count as none. ALTER TABLE needs the tables' owner, as the sequences do (README).
KEPT_COUNT_TRIGGERS: tuple[tuple[str, str], ...] = (
    ("responses", "response_counts_insert"),
    ("tags", "tag_counts_change"),
    # The versions (migration 0002) are copied as they are: a copied journal entry or
    # status is not a new change.
    ("actions", "actions_version"),
    ("responses", "responses_version"),
)

#: The kept counts from the copied rows.
RECOUNT = """
DELETE FROM response_counts;
INSERT INTO response_counts (triage, remote_status, source_id, n)
    SELECT triage, remote_status, source_id, count(*) FROM responses GROUP BY 1, 2, 3;
DELETE FROM tag_counts;
INSERT INTO tag_counts (kind, code, n) SELECT kind, code, count(*) FROM tags GROUP BY 1, 2;
UPDATE question_tagged SET n = (SELECT count(DISTINCT response_id) FROM tags
    WHERE kind = 'question');
"""


class PgCopySide:
    """A PostgreSQL store's side of a copy."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store
        self.where = store.where
        self._types: dict[str, dict[str, str]] = {}

    async def _column_types(self, table: str) -> dict[str, str]:
        if table not in self._types:
            rows = await self.store._read(
                lambda c: c.fetch(
                    "SELECT column_name, format_type(a.atttypid, a.atttypmod) "
                    "FROM information_schema.columns i JOIN pg_attribute a "
                    "ON a.attrelid = to_regclass(i.table_name) AND a.attname = i.column_name "
                    "WHERE i.table_schema = current_schema() AND i.table_name = $1 "
                    "ORDER BY i.ordinal_position",
                    table,
                )
            )
            self._types[table] = {str(r[0]): str(r[1]) for r in rows}
        return self._types[table]

    async def columns(self, table: str) -> list[str]:
        return list(await self._column_types(table))

    async def counts(self) -> dict[str, int]:
        async def fn(conn: asyncpg.Connection) -> dict[str, int]:
            try:
                return {t: int(await conn.fetchval(count_sql(t))) for t, _ in TABLES}
            except asyncpg.InsufficientPrivilegeError as exc:
                # A reader may not read meta: the author secret is not theirs to move.
                raise StoreError(
                    stored(
                        "conn.store.copy_read_refused",
                        where=self.where,
                        role=self.store.role,
                        said=exc,
                    )
                ) from exc

        return await self.store._read(fn)

    async def dump(
        self, table: str, columns: Sequence[str], key: Sequence[str], batch: int
    ) -> AsyncIterator[list[Row]]:
        async def fetch(sql: str, params: Row) -> list[Row]:
            rows = await self.store._read(lambda c: c.fetch(dollar(sql), *params))
            return [tuple(r) for r in rows]

        async for rows in dump_batches(fetch, table, columns, key, batch):
            yield rows

    async def fill(self, body: Callable[[Loader], Awaitable[None]]) -> None:
        store = self.store
        if store.read_only:
            reason = store.read_only_reason()
            raise StoreError(
                stored("conn.store.copy_into_read_only", where=self.where, reason=reason)
            )
        types = {t: await self._column_types(t) for t, _ in TABLES}

        async def run(conn: asyncpg.Connection) -> None:
            try:
                # Its first statements lock responses, tags and actions in turn against
                # writes (SHARE ROW EXCLUSIVE, to the end; readers pass). Another program
                # writing the target meanwhile (another app, a sync, a client's open
                # transaction) that holds a table the copy writes later (the outbox, a
                # source's row) and then writes responses meets it the other way round:
                # the server stops one of the two (40P01; tests/test_store_copy.py). When
                # it is the copy, nothing of it was kept, and the store's one rule runs it
                # again whole (PgBase._write: a new transaction, ``body`` reads the source
                # again). Read committed, as every write here: no 40001.
                for table, trigger in KEPT_COUNT_TRIGGERS:
                    await conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
                await body(_PgLoader(conn, types))
                await conn.execute(RECOUNT)
                for table, trigger in KEPT_COUNT_TRIGGERS:
                    await conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
                await _sequences_past_ids(conn)
            except asyncpg.InsufficientPrivilegeError as exc:
                said = stored(
                    "conn.store.copy_needs_owner", where=self.where, role=store.role, said=exc
                )
                raise StoreError(said) from exc

        # A statement past COMMAND_SECONDS (another program's lock on the target) is the
        # store's "no answer within" line, as any other call's; a pool that cannot open a
        # connection in time is the line of a store not reached.
        await store._write(run)


class _PgLoader:
    def __init__(self, conn: asyncpg.Connection, types: dict[str, dict[str, str]]) -> None:
        self.conn = conn
        self.types = types

    async def load(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> int:
        if not rows:
            return 0
        types = self.types[table]
        arrays = ", ".join(f"${i}::{types[c]}[]" for i, c in enumerate(columns, 1))
        cols = ", ".join(columns)
        if table == "responses" and "search" in types:
            # The search vector with the row (threads come first): written once, not
            # written and then rewritten by an UPDATE of every copied response.
            sql = (
                f"INSERT INTO responses ({cols}, search) SELECT u.*, {row_search_vector('u')} "
                f"FROM unnest({arrays}) AS u({cols})"
            )
        else:
            sql = f"INSERT INTO {table} ({cols}) SELECT * FROM unnest({arrays})"
        if table == "meta":
            # The target's own secret and check value (made when it was opened, before
            # any author key) give way to the source's: its author keys stay valid.
            sql += " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        values: list[list[Any]] = []
        repaired = 0
        for i, column in enumerate(columns):
            value = [row[i] for row in rows]
            if types[column] == "text":
                value, n = without_nul(value)
                repaired += n
            values.append(value)
        await self.conn.execute(sql, *values)
        return repaired


async def _sequences_past_ids(conn: asyncpg.Connection) -> None:
    """Every identity column's sequence past the largest copied id: the next journal
    entry, note or response gets a new id, never a copied one."""
    rows = await conn.fetch(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    )
    for table, column in rows:
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
        )
