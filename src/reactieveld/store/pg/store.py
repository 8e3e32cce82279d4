"""``PostgresStore``: the team's memory, the same ``Store`` protocol as ``SqliteStore``.

Open with ``await PostgresStore.open(url, password=...)``. The concern modules each add
one mixin; this module opens the pool, migrates and learns who the connection is."""

from __future__ import annotations

import asyncpg

from reactieveld.i18n import stored
from reactieveld.store.base import StoreError
from reactieveld.store.pg import base
from reactieveld.store.pg.actions import Actions
from reactieveld.store.pg.base import CONNECTION_ERRORS, ServerError, connect_error, redact_url
from reactieveld.store.pg.claims import Claims
from reactieveld.store.pg.figures import Figures
from reactieveld.store.pg.ingest import Ingest
from reactieveld.store.pg.live import Live
from reactieveld.store.pg.locks import Locks
from reactieveld.store.pg.reads import Reads
from reactieveld.store.pg.records import Records
from reactieveld.store.pg.schema import SCHEMA_VERSION, check_version, current_version, migrate
from reactieveld.store.pg.search import Search
from reactieveld.store.pg.session import SESSION_SETTINGS, PoolConnection
from reactieveld.store.pg.sinks import Sinks
from reactieveld.store.pg.writeback import Writeback


class PostgresStore(
    Ingest, Reads, Actions, Writeback, Search, Figures, Records, Sinks, Claims, Live, Locks
):
    """The memory in a PostgreSQL database shared by a team."""

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        password: str | None = None,
        codebook_version: str = "default-1",
        author_secret: str | None = None,
        read_only: bool = False,
        double_share: float = 0.0,
        min_size: int = 1,
        max_size: int = 4,
    ) -> PostgresStore:
        """Connect, migrate (unless read-only) and learn the role's rights.

        ``password``: from ``[store] password_env``; without it asyncpg looks where
        libpq does (PGPASSWORD, ~/.pgpass). A role without the right to decide (a
        reader) opens read-only, with the reason from :meth:`read_only_reason`.
        Any failure raises :class:`StoreError` with one line naming the database."""
        where = redact_url(url)
        try:
            pool = await asyncpg.create_pool(
                dsn=url,
                password=password,
                min_size=min_size,
                max_size=max_size,
                timeout=10,
                command_timeout=base.COMMAND_SECONDS,
                server_settings={"application_name": "reactieveld", **SESSION_SETTINGS},
                connection_class=PoolConnection,
            )
        except (asyncpg.PostgresError, *CONNECTION_ERRORS, ValueError) as exc:
            raise connect_error(where, exc) from exc
        store = cls(pool, where, codebook_version, dsn=url, password=password)
        store.double_share = double_share
        try:
            async with pool.acquire() as conn:
                store.role = str(await conn.fetchval("SELECT session_user"))
                if read_only:
                    check_version(await current_version(conn), where)
                else:
                    await store._migrate_or_check(conn)
                if await current_version(conn) != SCHEMA_VERSION:
                    raise StoreError(
                        stored("conn.store.pg_too_old", where=where, latest=SCHEMA_VERSION)
                    )
                may_decide, may_read = await conn.fetchrow(
                    "SELECT has_table_privilege('actions', 'INSERT'), "
                    "has_table_privilege('responses', 'SELECT')"
                )
            if not may_read:
                # A role in neither group: said so now, as the server would say it at
                # its first read (not as a reader's refused change: it is no reader).
                said = "permission denied for table responses"
                line = stored(
                    "conn.store.pg_may_not_read",
                    where=where,
                    role=store.role,
                    said=said,
                    group="reactieveld_reader",
                )
                raise ServerError(line, retryable=False)
            store.read_only = read_only or not may_decide
            store.reader = not may_decide
            await store._setup(author_secret)
        except BaseException as exc:
            await pool.close()
            if isinstance(exc, (asyncpg.PostgresError, *CONNECTION_ERRORS)):
                raise connect_error(where, exc, role=store.role) from exc
            raise
        return store

    async def _migrate_or_check(self, conn: asyncpg.Connection) -> None:
        current = await current_version(conn)
        check_version(current, self.where)
        if current == SCHEMA_VERSION:
            return
        await migrate(conn, self.where)

    async def _setup(self, author_secret: str | None) -> None:
        """Per-store set-up after migrating (the author keys' secret: see ingest)."""
        await self._setup_author_secret(author_secret)

    async def __aenter__(self) -> PostgresStore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
