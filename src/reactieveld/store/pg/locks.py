"""One sync per source for the team (issue 13): a session-level advisory lock per source,
taken with ``pg_try_advisory_lock`` on a connection of its own and held while the engine
fetches and stores that source. Another sync (a second service, or an app that syncs) then
skips the source this round instead of fetching the same pages at the same time.

The lock lives as long as its connection: a sync that dies (killed, its machine gone)
releases it with the connection, so a source is never locked out for good. A connection
of its own and not one of the pool: the lock must stay with one session while the pool
hands the round's writes to whichever connection is free."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator, Sequence

import asyncpg

from reactieveld.store.pg.base import CONNECTION_ERRORS, PgBase, connect_error


def source_lock_key(name: str) -> int:
    """The advisory lock key of a source: a signed 64-bit number from its name (advisory
    locks are per database already, so the name is enough)."""
    digest = hashlib.blake2b(f"reactieveld source\x1f{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Locks(PgBase):
    """``source_lock`` and ``syncing_elsewhere``."""

    #: How to open a connection of its own (set by ``PostgresStore.open``).
    _dsn: str = ""
    _password: str | None = None
    #: The sources whose lock this store holds now (not "elsewhere" for its own app).
    _held: set[str]

    def _held_names(self) -> set[str]:
        if not hasattr(self, "_held"):
            self._held = set()
        return self._held

    @contextlib.asynccontextmanager
    async def source_lock(self, name: str) -> AsyncIterator[bool]:
        """``async with store.source_lock(name) as mine``: True when this process may sync
        the source now (it holds the lock until the block ends), False when another
        process syncs it. A failure to connect raises :class:`StoreError` (one line)."""
        key = source_lock_key(name)
        try:
            conn = await asyncpg.connect(
                dsn=self._dsn,
                password=self._password,
                timeout=10,
                server_settings={"application_name": f"reactieveld sync {name}"[:63]},
            )
        except (asyncpg.PostgresError, *CONNECTION_ERRORS, ValueError) as exc:
            raise connect_error(self.where, exc) from exc
        try:
            try:
                mine = bool(await conn.fetchval("SELECT pg_try_advisory_lock($1)", key))
            except (asyncpg.PostgresError, *CONNECTION_ERRORS) as exc:
                raise self._error(exc) from exc
            if mine:
                self._held_names().add(name)
            try:
                yield mine
            finally:
                self._held_names().discard(name)
        finally:
            # Closing the session releases its lock (also when the server is gone).
            with contextlib.suppress(Exception):
                await conn.close(timeout=5)

    async def syncing_elsewhere(self, names: Sequence[str]) -> set[str]:
        """Of ``names``, the sources another process syncs right now (holds their lock),
        for ``reactieveld sources``. Readers may ask too: ``pg_locks`` is public."""
        keys = {source_lock_key(n): n for n in names if n not in self._held_names()}
        if not keys:
            return set()
        rows = await self._read(
            lambda c: c.fetch(
                "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks "
                "WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
                "AND database = (SELECT oid FROM pg_database "
                "WHERE datname = current_database())"
            )
        )
        found = set()
        for (value,) in rows:
            signed = value - (1 << 64) if value >= 1 << 63 else value
            if signed in keys:
                found.add(keys[signed])
        return found
