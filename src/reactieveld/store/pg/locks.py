"""One sync per source for the team (issue 13): a session-level advisory lock per source,
taken with ``pg_try_advisory_lock`` on a connection of its own and held while the engine
fetches and stores that source. Another sync (a second service, or an app that syncs) then
skips the source this round instead of fetching the same pages at the same time.

The lock lives as long as its connection: a sync that dies (killed, its machine gone)
releases it with the connection, so a source is never locked out for good. A connection
of its own and not one of the pool: the lock must stay with one session while the pool
hands the round's writes to whichever connection is free.

The outbox's holder (:meth:`Locks.outbox_holder`) is such a lock too, held for as long as
the store lives: a row leased by a holder whose lock nobody holds (its process killed,
its machine gone, its session ended) is free at once (pg/writeback.py ``HOLDER_GONE``)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import uuid
from collections.abc import AsyncIterator, Sequence

import asyncpg

from reactieveld.store.pg.base import CONNECTION_ERRORS, PgBase, connect_error


def source_lock_key(name: str) -> int:
    """The advisory lock key of a source: a signed 64-bit number from its name (advisory
    locks are per database already, so the name is enough)."""
    digest = hashlib.blake2b(f"reactieveld source\x1f{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


#: The advisory lock class of outbox holders ("rvob"): a holder ``pg:<n>:<random>`` holds
#: the two-number lock (this, n) on a connection of its own for as long as its store lives
#: (pg_locks: ``classid`` this, ``objid`` n, ``objsubid`` 2; a source's lock is one 64-bit
#: number, ``objsubid`` 1, so the two never meet).
HOLDER_LOCK_CLASS = 0x7276_6F62


#: Seconds closing a lock's connection waits for the server's goodbye before it drops
#: the connection (its lock is released either way: the server sees the socket close).
CLOSE_SECONDS = 1.0


async def let_go(conn: asyncpg.Connection) -> None:
    """Close a lock's connection, without waiting on a network that died (a relay that
    stops forwarding, a machine gone): after :data:`CLOSE_SECONDS` it is dropped."""
    with contextlib.suppress(Exception):
        await conn.close(timeout=CLOSE_SECONDS)
    conn.terminate()  # nothing when it closed


#: The session over TCP of a lock's own connection (the outbox holder's, a source's while
#: a sync fetches it): the server asks an idle client whether it is there after 30 s, then
#: every 10 s, and ends the session after 3 unanswered (about a minute), releasing its
#: lock: a machine gone from the network (a laptop closed) sends no FIN, and the operating
#: system's default waits two hours (the lease runs out after ten minutes anyway).
_KEEPALIVE = {
    "tcp_keepalives_idle": "30",
    "tcp_keepalives_interval": "10",
    "tcp_keepalives_count": "3",
}


def holder_lock_held(number: str) -> str:
    """SQL: whether the holder lock of ``number`` (SQL giving its n as text) is held now,
    by any session of this database. The held locks are read once per statement (an
    uncorrelated subquery, hashed), not once per row: reading pg_locks visits the whole
    lock table."""
    return (
        f"({number} IN (SELECT l.objid::text FROM pg_locks l WHERE l.locktype = 'advisory' "
        f"AND l.granted AND l.classid::bigint = {HOLDER_LOCK_CLASS} AND l.objsubid = 2 "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())))"
    )


class Locks(PgBase):
    """``source_lock``, ``syncing_elsewhere`` and the outbox's holder lock."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        where: str,
        codebook_version: str,
        *,
        dsn: str = "",
        password: str | None = None,
    ) -> None:
        super().__init__(pool, where, codebook_version)
        #: How to open a connection of its own (:meth:`_own_connection`).
        self._dsn = dsn
        self._password = password
        #: The sources whose lock this store holds now (not "elsewhere" for its own app).
        self._held: set[str] = set()
        #: Who holds the outbox rows this store takes (``pg:<n>:<random>``), and the
        #: connection holding its lock (:data:`HOLDER_LOCK_CLASS`, n).
        self._holder = ""
        self._holder_conn: asyncpg.Connection | None = None
        #: One holder connection, whoever asks at once.
        self._holder_taking = asyncio.Lock()
        #: Closed (``close``): no holder lock is taken any more, its connection would be
        #: left open, the lock held, for as long as the process lives.
        self._closed = False

    async def _own_connection(self, name: str) -> asyncpg.Connection:
        """A connection of this store's own, outside the pool, for a lock held with its
        session (``name``: its ``application_name``, as ``pg_stat_activity`` shows it), with
        the TCP keepalives of :data:`_KEEPALIVE`. A failure to connect raises
        :class:`StoreError` (one line)."""
        try:
            return await asyncpg.connect(
                dsn=self._dsn,
                password=self._password,
                timeout=10,
                server_settings={"application_name": name[:63], **_KEEPALIVE},
            )
        except (asyncpg.PostgresError, *CONNECTION_ERRORS, ValueError) as exc:
            raise connect_error(self.where, exc) from exc

    async def outbox_holder(self) -> str:
        """This store's outbox holder, its lock held (taken again on a new connection when
        the one holding it was lost: the rows another store took meanwhile are that
        store's, ``HOLD_SQL`` and ``SENDING_SQL`` leave them). A failure to connect raises
        :class:`StoreError` (one line)."""
        conn = self._holder_conn
        if conn is not None and not conn.is_closed() and self._holder:
            return self._holder
        async with self._holder_taking:
            return await self._take_holder_lock()

    async def _take_holder_lock(self) -> str:
        conn = self._holder_conn
        if conn is not None and not conn.is_closed() and self._holder:
            return self._holder
        self._holder_conn = None
        if conn is not None:
            conn.terminate()
        if self._closed:  # an outbox pass still under way as the program quits
            raise self._error(asyncpg.InterfaceError("pool is closed"))
        conn = await self._own_connection("reactieveld outbox")
        try:
            for _ in range(5):  # another live store drew the same n: draw again
                if not self._holder:
                    self._holder = f"pg:{secrets.randbelow(999_999_999) + 1}:{uuid.uuid4().hex}"
                number = int(self._holder.split(":")[1])
                if await conn.fetchval(
                    "SELECT pg_try_advisory_lock($1, $2)", HOLDER_LOCK_CLASS, number
                ):
                    if self._closed:  # closed while this one was being opened
                        raise asyncpg.InterfaceError("pool is closed")
                    self._holder_conn, conn = conn, None
                    return self._holder
                self._holder = ""
        except (asyncpg.PostgresError, *CONNECTION_ERRORS) as exc:
            raise self._error(exc) from exc
        finally:
            if conn is not None:
                conn.terminate()
        raise self._error(asyncpg.InterfaceError("no outbox holder lock could be taken"))

    def _holder_lost(self) -> None:
        """The holder lock's session is gone though its connection looks open here (its
        end never arrived): that connection is let go, and the next ``outbox_holder``
        takes the lock again (the same holder: the rows no other store took meanwhile are
        still its own) on a new one."""
        conn, self._holder_conn = self._holder_conn, None
        if conn is not None:
            conn.terminate()

    async def close(self) -> None:
        """Close the pool and the holder lock's connection (its rows are free at once);
        none is opened after this."""
        self._closed = True
        conn, self._holder_conn = self._holder_conn, None
        if conn is not None:
            await let_go(conn)
        await super().close()

    @contextlib.asynccontextmanager
    async def source_lock(self, name: str) -> AsyncIterator[bool]:
        """``async with store.source_lock(name) as mine``: True when this process may sync
        the source now (it holds the lock until the block ends), False when another
        process syncs it. A failure to connect raises :class:`StoreError` (one line)."""
        key = source_lock_key(name)
        conn = await self._own_connection(f"reactieveld sync {name}")
        try:
            try:
                mine = bool(await conn.fetchval("SELECT pg_try_advisory_lock($1)", key))
            except (asyncpg.PostgresError, *CONNECTION_ERRORS) as exc:
                raise self._error(exc) from exc
            if mine:
                self._held.add(name)
            try:
                yield mine
            finally:
                self._held.discard(name)
        finally:
            await let_go(conn)  # ending the session releases its lock

    async def syncing_elsewhere(self, names: Sequence[str]) -> set[str]:
        """Of ``names``, the sources another process syncs right now (holds their lock),
        for ``reactieveld sources``. Readers may ask too: ``pg_locks`` is public."""
        keys = {source_lock_key(n): n for n in names if n not in self._held}
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
