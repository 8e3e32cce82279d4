"""What every part of :class:`~reactieveld.store.pg.store.PostgresStore` shares: the pool,
one connection or one transaction per call, and PostgreSQL's errors as one line.

The concern modules (``ingest``, ``reads``, ``actions``, ...) each hold a mixin class
derived from :class:`PgBase`; ``store.py`` puts them together."""

from __future__ import annotations

import asyncio
import functools
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

import asyncpg

from reactieveld.backoff import backoff_delay
from reactieveld.i18n import AGAIN_HINT, stored, text
from reactieveld.model import utcnow
from reactieveld.store.base import StoreError
from reactieveld.store.errors import StoreUnreachable
from reactieveld.store.urls import redact_url

__all__ = [
    "COMMAND_SECONDS",
    "CONNECTION_ERRORS",
    "SERVER_SAID",
    "RUN_AGAIN",
    "TRIES",
    "PgBase",
    "ServerError",
    "connect_error",
    "redact_url",
]

T = TypeVar("T")

#: Errors that mean the server or the connection went away (not a fault of the query):
#: the library's and the system's, the server's connection exceptions (SQLSTATE class 08)
#: and its "terminating connection" ones (57P01-57P03: an administrator, a crash, a
#: server that is starting or stopping).
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.InterfaceError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.CannotConnectNowError,
    asyncpg.InternalClientError,
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
)

#: Seconds a statement may take before the program stops waiting for it (asyncpg's
#: ``command_timeout``: it cancels the statement on the server).
COMMAND_SECONDS = 60.0

#: How the server's other errors are said (a key of the i18n table, by SQLSTATE, else by
#: its class: the first two characters), and THE rule of which are worth trying again by
#: themselves (a sync's next round, the outbox's next pass, the same key again): those that
#: pass with the server's load or another program (a statement past the timeout, a lock, a
#: conflict with another change, a full disk, too many connections); not those a person
#: must change (a login, a database's name, a role's rights). A transaction that failed was
#: rolled back whole, and the caller says it; inside the store only one the server chose
#: to stop for another's sake is run again (:data:`RUN_AGAIN`). A lost connection
#: (:data:`CONNECTION_ERRORS`) is :class:`StoreUnreachable`, always retried.
SERVER_SAID: dict[str, tuple[str, bool]] = {
    "57014": ("conn.store.pg_too_long", True),  # statement_timeout, or cancelled
    "55P03": ("conn.store.pg_locked", True),  # lock_timeout, NOWAIT
    "40001": ("conn.store.pg_conflict", True),  # serialization failure
    "40P01": ("conn.store.pg_conflict", True),  # deadlock
    "53100": ("conn.store.pg_disk_full", True),
    "53300": ("conn.store.pg_too_many", True),  # max_connections, CONNECTION LIMIT
    "53": ("conn.store.pg_resources", True),  # out of memory, a configured limit
    "28": ("conn.store.pg_login", False),  # authentication, a role that may not log in
    "3D000": ("conn.store.pg_no_database", False),
    "42501": ("conn.store.pg_may_not_read", False),  # a change: pg_may_not_change
}


#: The transactions the server stops so that another can go on: a deadlock's victim
#: (40P01) and a serialization failure (40001). Several moderators and a sync write one
#: memory, so these will come. Nothing of the stopped one was kept, and every body given
#: to ``_write`` is a function of its inputs (SQL alone: its NOTIFY is sent on commit; no
#: HTTP, no message, nothing a second run would do twice), so ``_write`` runs it again
#: whole, up to :data:`TRIES` times in all, each after a short jittered wait
#: (:data:`RETRY_WAIT`: base and cap in seconds, so that the two do not meet again at
#: once). After the last, its line as before (``conn.store.pg_conflict``).
RUN_AGAIN = frozenset({"40P01", "40001"})
TRIES = 3
RETRY_WAIT = (0.01, 0.1)


def run_again(exc: BaseException) -> bool:
    """Whether ``exc`` stopped a transaction that may simply be run again
    (:data:`RUN_AGAIN`)."""
    return isinstance(exc, asyncpg.PostgresError) and getattr(exc, "sqlstate", None) in RUN_AGAIN


class ServerError(StoreError):
    """An error the server gave (not a lost connection), said by :data:`SERVER_SAID`:
    one line, and whether a later try can help by itself."""

    expected = True

    def __init__(self, message: str, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


def server_error(
    where: str, exc: BaseException, *, role: str = "", changing: bool = False
) -> StoreError | None:
    """The line of an error :data:`SERVER_SAID` knows (None for any other)."""
    if isinstance(exc, TimeoutError):
        # The program stopped waiting for a statement (COMMAND_SECONDS): it cancelled it.
        limit = f"{COMMAND_SECONDS:g}"
        return ServerError(
            stored("conn.store.pg_no_answer", where=where, limit=limit, hint=AGAIN_HINT)
        )
    code = getattr(exc, "sqlstate", None)
    if not isinstance(exc, asyncpg.PostgresError) or not isinstance(code, str):
        return None
    found = SERVER_SAID.get(code) or SERVER_SAID.get(code[:2])
    if found is None:
        return None
    key, retryable = found
    if code == "42501" and changing:
        key = "conn.store.pg_may_not_change"
    line = stored(
        key, where=where, role=role or "?", said=exc, group="reactieveld_reader", hint=AGAIN_HINT
    )
    return ServerError(line, retryable)


def connect_error(where: str, exc: BaseException, *, role: str = "") -> StoreError:
    """One line for a failure to open a connection: what, which database, what to do."""
    if isinstance(exc, asyncpg.InvalidAuthorizationSpecificationError) and (
        "no encryption" in str(exc)
    ):
        return ServerError(stored("conn.store.pg_ssl_required", where=where, said=exc), False)
    if isinstance(exc, OSError) and "SSL" in str(exc):
        return StoreError(stored("conn.store.pg_no_ssl", where=where, said=exc))
    if isinstance(exc, TimeoutError):
        return StoreUnreachable(stored("conn.store.pg_timeout", where=where))
    said_so = server_error(where, exc, role=role)
    if said_so is not None:
        return said_so
    if isinstance(exc, asyncpg.PostgresError) and not isinstance(exc, CONNECTION_ERRORS):
        return StoreError(stored("conn.store.pg_refused", where=where, said=exc))
    if isinstance(exc, CONNECTION_ERRORS):
        said = text("conn.pg.unreachable", "en", reason=_reason(exc))
        return StoreUnreachable(f"{where}: {said}")
    said = f"{type(exc).__name__}: {exc}"
    return StoreError(stored("conn.store.pg_cannot_connect", where=where, said=said))


def _reason(exc: BaseException) -> str:
    """What the library or the system said, for a person: the error's words without the
    Python class's name (an ``OSError``'s text without its ``[Errno N]``)."""
    said = getattr(exc, "strerror", None) or str(exc).strip()
    return said or "no reason given"


#: A new connection the server did not take (it is away or shutting down, or no such
#: database, role or password): said as :func:`connect_error` says it, also when the pool
#: opens it for a query.
NOT_CONNECTED: tuple[type[BaseException], ...] = (
    ConnectionRefusedError,
    socket.gaierror,
    asyncpg.CannotConnectNowError,
    asyncpg.InvalidCatalogNameError,
    asyncpg.InvalidAuthorizationSpecificationError,
    asyncpg.InvalidPasswordError,
)


class _Unanswered(Exception):
    """A statement the program stopped waiting for (asyncpg's ``command_timeout``), told
    apart from a connection that could not be opened in time (also a TimeoutError)."""


@functools.lru_cache(maxsize=1024)  # the same statements again and again (a page's: 0.1 ms)
def dollar(sql: str) -> str:
    """SQL written with ``?`` placeholders (the store's shared SQL) with PostgreSQL's
    ``$1, $2, ...`` instead; a ``?`` inside a quoted literal or identifier stays."""
    out: list[str] = []
    n = 0
    quote: str | None = None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "?":
            n += 1
            out.append(f"${n}")
            continue
        out.append(ch)
    return "".join(out)


class PgBase:
    """The pool and the rules of one call: ``_read`` (a connection) and ``_write`` (one
    transaction, refused on a read-only store)."""

    #: The clock of claims (taking, renewing, expiring, showing them): tests move it
    #: instead of sleeping through a lease.
    clock: Callable[[], datetime] = staticmethod(utcnow)

    def __init__(self, pool: asyncpg.Pool, where: str, codebook_version: str) -> None:
        self._pool = pool
        #: The database as messages name it (its URL without a password).
        self.where = where
        self.codebook_version = codebook_version
        #: ``[coding] double_share``: the share of responses coded twice (issue 14).
        self.double_share = 0.0
        #: Whose rows these are (the app's moderator): a response of the sample another
        #: moderator coded first shows this coder's own coding until they finish it
        #: (store/codings.py ``blinded``). Empty: the tags, as ever (the commands).
        self.coder = ""
        #: A reader's store (by its role's rights) or one opened read-only.
        self.read_only = False
        #: Opened by a role that may only read (reactieveld_reader), not by asking.
        self.reader = False
        #: The database role of the connections (``session_user``): the journal's actor.
        self.role = ""
        self._source_ids: dict[str, int] = {}
        #: The sources' names by id (``RowReads._names``).
        self._source_names: dict[int, str] = {}
        #: The last answers of ``RowReads._source_is_smaller``: (statement, values) ->
        #: (when, answer).
        self._drives: dict[tuple[str, tuple[Any, ...]], tuple[float, bool]] = {}

    def read_only_reason(self, language: str = "en") -> str | None:
        """Why nothing can be changed (None when it can), one line in ``language``: a
        reader's role, or a store opened read-only."""
        if not self.read_only:
            return None

        if self.reader:
            return text(
                "conn.store.ro_reader", language, role=self.role, group="reactieveld_reader"
            )
        return text("conn.store.ro_asked", language)

    async def close(self) -> None:
        await self._pool.close()

    def _error(self, exc: BaseException, *, changing: bool = False) -> StoreError:
        """The one line of a failed call (see :data:`SERVER_SAID` for which are worth
        trying again)."""
        if isinstance(exc, _Unanswered):
            said_so = server_error(self.where, TimeoutError())
        elif isinstance(exc, (*NOT_CONNECTED, TimeoutError)):  # the pool opening one
            return connect_error(self.where, exc, role=self.role)
        elif isinstance(exc, CONNECTION_ERRORS):
            said = text("conn.pg.lost", "en", reason=_reason(exc))
            return StoreUnreachable(f"{self.where}: {said}")
        else:
            # A reader's store changes nothing: its refusals are about changing.
            changing = changing or self.reader
            said_so = server_error(self.where, exc, role=self.role, changing=changing)
        if said_so is not None:
            return said_so
        said = f"{type(exc).__name__}: {exc}"
        return StoreError(stored("conn.store.pg_query", where=self.where, said=said))

    async def _read(self, fn: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """``fn(conn)`` on one pooled connection (no transaction of its own)."""
        try:
            async with self._pool.acquire() as conn:
                return await _answered(fn, conn)
        except StoreError:
            raise
        except (asyncpg.PostgresError, _Unanswered, *CONNECTION_ERRORS) as exc:
            raise self._error(exc) from exc

    async def _write(self, fn: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """``fn(conn)`` in one transaction, rolled back on any error; run again whole
        when the server stopped it for another's sake (:data:`RUN_AGAIN`): ``fn`` does
        nothing outside the database that a second run would do twice."""
        if self.read_only:
            reason = self.read_only_reason()
            raise StoreError(stored("conn.store.pg_unchangeable", where=self.where, reason=reason))
        for tried in range(1, TRIES + 1):
            try:
                async with self._pool.acquire() as conn, conn.transaction():
                    return await _answered(fn, conn)
            except StoreError:
                raise
            except (asyncpg.PostgresError, _Unanswered, *CONNECTION_ERRORS) as exc:
                if tried == TRIES or not run_again(exc):
                    raise self._error(exc, changing=True) from exc
            await asyncio.sleep(backoff_delay(tried - 1, *RETRY_WAIT))
        raise AssertionError("unreachable: the last try returns or raises")

    async def _source_id(self, conn: asyncpg.Connection, name: str) -> int:
        sid = self._source_ids.get(name)
        if sid is None:
            sid = await conn.fetchval("SELECT id FROM sources WHERE name = $1", name)
            if sid is None:
                raise StoreError(stored("conn.store.unknown_source", name=repr(name)))
            self._source_ids[name] = sid
        return int(sid)


async def _answered(
    fn: Callable[[asyncpg.Connection], Awaitable[T]], conn: asyncpg.Connection
) -> T:
    """``fn(conn)``, a statement it waited on past :data:`COMMAND_SECONDS` raised as
    :class:`_Unanswered` (a TimeoutError around it is the pool opening a connection)."""
    try:
        return await fn(conn)
    except TimeoutError as exc:
        raise _Unanswered() from exc


#: The transaction lock every change of the kept counts takes first (moderator actions,
#: undo, a write-back's outcome). The count triggers (response_counts, tag_counts,
#: question_tagged) update a few shared rows in the order the changed responses come in:
#: two batches meeting them in opposite orders deadlocked in the test of two moderators
#: (one in a few runs). One at a time, in the order they ask, they never do; a moderator's
#: action takes milliseconds, and the single question_tagged row serialised tagging anyway.
#: The PostgreSQL ingest's page upsert changes the same counts and responses: it must take
#: it too (lead: a sync and two moderators deadlocked within seconds without it:
#: tests/test_pg_actions.py::test_a_sync_and_two_moderators_at_once).
KEPT_COUNTS_LOCK = 0x7276_6163_74  # "rv" + "act"


async def counts_lock(conn: asyncpg.Connection) -> None:
    """Wait for :data:`KEPT_COUNTS_LOCK` (held until the transaction ends)."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", KEPT_COUNTS_LOCK)
