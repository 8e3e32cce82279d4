"""The PostgreSQL schema: numbered migrations of its own (``store/pg/migrations``), applied
in order, each in one transaction under an advisory lock (two programs starting at once
migrate once), and refused when the database is newer than this program."""

from __future__ import annotations

import functools

import asyncpg

from reactieveld.i18n import stored
from reactieveld.store.base import StoreError
from reactieveld.store.schema import read_migrations, tell_migrating

#: The advisory lock key migrations take (any constant; "rv" + "mig").
MIGRATION_LOCK = 0x7276_6D69_67


@functools.cache
def migrations() -> tuple[tuple[int, str, str], ...]:
    """The shipped PostgreSQL migrations: (number, name, sql), read once per process."""
    return read_migrations(__file__, "reactieveld.store.pg.migrations")


SCHEMA_VERSION = max(n for n, _, _ in migrations())

_VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_by TEXT NOT NULL DEFAULT session_user
)"""

#: Whether this role may update the memory: it owns (or acts as the owner of, a superuser
#: too) the table of responses, as the migrations' ALTER TABLE asks.
_OWNS_MEMORY = (
    "SELECT coalesce(pg_has_role(current_user, c.relowner, 'USAGE'), false) "
    "FROM pg_class c WHERE c.oid = to_regclass('responses')"
)


async def current_version(conn: asyncpg.Connection) -> int:
    """The database's schema version (0: none of ours yet)."""
    exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    if not exists:
        return 0
    return int(await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations"))


def check_version(current: int, where: str) -> None:
    """Refuse a database whose schema is newer than this program knows."""
    if current > SCHEMA_VERSION:
        raise StoreError(
            stored("conn.store.pg_too_new", where=where, n=current, latest=SCHEMA_VERSION)
        )


async def _check_empty(conn: asyncpg.Connection, where: str) -> None:
    """Refuse to make the memory's tables in a database that holds another program's (a
    typo in [store] url, the organisation's other application): its schema (the first of
    the search path) must have no tables or views but an extension's own (PostGIS's
    ``spatial_ref_sys``, say)."""
    names = await conn.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
        "AND d.objid = c.oid AND d.deptype = 'e') ORDER BY c.relname COLLATE \"C\" LIMIT 5"
    )
    if names:
        shown = ", ".join(repr(str(r[0])[:40]) for r in names[:4])
        shown += ", ..." if len(names) > 4 else ""
        raise StoreError(stored("conn.store.pg_foreign", where=where, shown=shown))


async def migrate(conn: asyncpg.Connection, where: str) -> int:
    """Apply every shipped migration newer than the database's version; returns the version
    reached. ``where`` names the database in messages (its URL without a password)."""
    current = await current_version(conn)
    check_version(current, where)
    role = await conn.fetchval("SELECT session_user")
    if current == SCHEMA_VERSION:
        return current
    if current == 0:
        await _check_empty(conn, where)
    elif await conn.fetchval(_OWNS_MEMORY):  # not new, something to do
        # Only to a role that may update it: another (a moderator who starts first after
        # an upgrade) is refused by the first migration below, with nothing updated.
        responses = int(await conn.fetchval("SELECT count(*) FROM responses"))
        tell_migrating(where, responses)
    for number, name, sql in migrations():
        if number <= current:
            continue
        try:
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
                await conn.execute(_VERSION_TABLE)
                # Another program may have migrated while we waited for the lock.
                if await current_version(conn) >= number:
                    continue
                await conn.execute(sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", number, name
                )
                await conn.execute("GRANT SELECT ON schema_migrations TO PUBLIC")
        except asyncpg.InsufficientPrivilegeError as exc:
            raise StoreError(
                stored(
                    "conn.store.pg_migration_rights", where=where, name=name, role=role, said=exc
                )
            ) from exc
        except asyncpg.PostgresError as exc:
            raise StoreError(
                stored("conn.store.migration_failed", path=where, name=name, said=exc)
            ) from exc
        current = number
    return current
