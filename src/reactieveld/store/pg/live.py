"""Live between moderators on PostgreSQL: NOTIFY (ids only, inside the action's
transaction, so sent on commit) and a LISTEN connection; ``whoami``.

Every action calls :func:`notify` with the ids it changed, on its own connection, inside
its transaction: PostgreSQL delivers the notification when (and only when) the
transaction commits, so a rolled-back action is never announced. The payload is JSON
``{"ids": [...], "by": "<session_user>"}``: ids only, never text (a notification is
visible to every role that listens, readers included).

:meth:`Live.changes` listens on a pooled connection it keeps for as long as it is
iterated. The notifications that arrive while the app is busy are merged into one
:class:`ChangeSet`. Those sent by this store's own connections (its own actions) are left
out by the sending backend's process id, which PostgreSQL reports with each notification;
so are those of another store of this process it is told of (:meth:`Live.hear_not`: the
app's sync engine's). A lost listening connection is replaced; the set after that
asks for everything to be read again (what was sent meanwhile went unheard).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

import asyncpg

from reactieveld.store.base import LIVE_POLL_SECONDS, ChangeSet
from reactieveld.store.pg.base import CONNECTION_ERRORS, PgBase

T = TypeVar("T")

#: The channel every reactieveld action notifies on.
CHANNEL = "reactieveld"
#: Ids per notification: a payload must stay under PostgreSQL's 8000 bytes; 500 ids of
#: up to 12 digits take about 6,500.
IDS_PER_NOTIFY = 500
#: The longest wait between two attempts to listen again after the connection was lost.
RETRY_MAX_SECONDS = 30.0


async def notify(conn: asyncpg.Connection, ids: Iterable[int]) -> None:
    """Announce that the responses ``ids`` changed: call it inside the action's
    transaction, on the action's connection (sent on commit, dropped on rollback). The
    actor is the connection's ``session_user``, set by the server, not by the caller."""
    unique = sorted({int(i) for i in ids})
    for start in range(0, len(unique), IDS_PER_NOTIFY):
        chunk = unique[start : start + IDS_PER_NOTIFY]
        await conn.execute(
            "SELECT pg_notify($1, "
            "json_build_object('ids', $2::bigint[], 'by', session_user)::text)",
            CHANNEL,
            chunk,
        )


async def notify_source(
    conn: asyncpg.Connection, source: str, threads: Sequence[str | None] | None = ()
) -> None:
    """Announce that the sync of ``source`` stored something (a page that changed rows,
    the end of a round): call it inside that transaction, as :func:`notify`. The payload
    is the source's name, the actor and the threads of the rows stored (``threads``:
    none for a round's end; None: not known): every app re-reads its window, its counts
    and the sources' state, whoever synced, and an open thread only when it is among
    them."""
    await conn.execute(NOTIFY_SOURCE, CHANNEL, source, threads_json(threads))


#: :func:`notify_source`'s statement (parameters: the channel, the source's name, the
#: threads as :func:`threads_json` gives them); a writer may put a change of its own
#: before it in a ``WITH`` (one round trip for both), with parameters from $4 on.
NOTIFY_SOURCE = (
    "SELECT pg_notify($1, json_build_object('source', $2::text, 'by', session_user, "
    "'threads', $3::json)::text)"
)

#: The most bytes (UTF-8) of threads a notice carries: a payload must stay under
#: PostgreSQL's 8000 bytes. A page that touched more threads says "not known" (null).
THREADS_NOTIFY_BYTES = 4000


def threads_json(threads: Sequence[str | None] | None) -> str | None:
    """``threads`` as the notice's JSON list; None (not known) when it is None or too
    long for a notice."""
    if threads is None:
        return None
    text = json.dumps(list(threads), ensure_ascii=False)
    return text if len(text.encode()) <= THREADS_NOTIFY_BYTES else None


def parse_source(payload: str) -> str | None:
    """The source named by a sync's notification (:func:`notify_source`), else None."""
    try:
        source = json.loads(payload).get("source")
    except (ValueError, TypeError, AttributeError):
        return None
    return source if isinstance(source, str) else None


def parse_threads(payload: str) -> tuple[str | None, ...] | None:
    """The threads a sync's notification names (:func:`notify_source`); None: not known
    (none said, as an older app's notice, or not a list)."""
    try:
        threads = json.loads(payload).get("threads")
    except (ValueError, TypeError, AttributeError):
        return None
    if not isinstance(threads, list):
        return None
    return tuple(t if isinstance(t, str) else None for t in threads)


def parse(payload: str) -> tuple[tuple[int, ...], str | None]:
    """The ids and actor of a notification; nothing from one that is not ours (any role
    may NOTIFY on any channel: a malformed payload must not stop the listener)."""
    try:
        data = json.loads(payload)
        ids = tuple(int(i) for i in data.get("ids", ()) if not isinstance(i, bool))
        by = data.get("by")
    except (ValueError, TypeError, AttributeError):
        return (), None
    return ids, by if isinstance(by, str) else None


class Live(PgBase):
    """``whoami`` and ``changes`` of :class:`~reactieveld.store.pg.store.PostgresStore`."""

    #: Server process ids of this store's own connections that wrote (see ``_write``).
    _own_pids: set[int]
    #: Those of other stores of this process whose writes are not news (:meth:`hear_not`).
    _other_pids: list[set[int]]

    async def whoami(self) -> str | None:
        """The connection's database role (``session_user``, read at open): the journal's
        actor on PostgreSQL, whatever the configuration says."""
        return self.role or None

    async def _write(self, fn: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        # Note which backends are ours before the transaction commits (and so before its
        # notification can arrive): our own actions are not another moderator's change.
        async def noted(conn: asyncpg.Connection) -> T:
            self._pids().add(conn.get_server_pid())
            return await fn(conn)

        return await super()._write(noted)

    def _pids(self) -> set[int]:
        pids = getattr(self, "_own_pids", None)
        if pids is None:
            pids = self._own_pids = set()
        return pids

    def hear_not(self, other: object) -> None:
        """Leave what ``other`` writes out of :meth:`changes` as well: another store of
        this process on the same database (the app's sync engine's, opened apart so that
        its bulk writes never queue behind a key). Its pages and rounds are this app's
        own, told by the engine's events: heard again, they would refresh twice. Its
        connections are noted as this store's are (``_write``), before each commit."""
        pids = getattr(other, "_pids", None)
        if other is self or pids is None:
            return
        theirs: set[int] = pids()
        mine = self._also_own()
        if all(s is not theirs for s in mine):
            mine.append(theirs)

    def _also_own(self) -> list[set[int]]:
        sets = getattr(self, "_other_pids", None)
        if sets is None:
            sets = self._other_pids = []
        return sets

    async def changes(
        self, *, interval: float = LIVE_POLL_SECONDS, ready: asyncio.Event | None = None
    ) -> AsyncIterator[ChangeSet]:
        """The responses other connections change, as their transactions commit: LISTEN
        on :data:`CHANNEL` (``interval`` is not used: nothing is polled). What arrives
        while the caller handles one set comes as the next set, merged.

        A listening connection that is lost (a server restart, a network drop) is
        replaced, at once and then after 1, 2, 4 ... 30 s; the first set after that says
        ``everything``: what happened meanwhile was not heard. When it cannot be replaced
        (the server is away) one set says ``away``, until one stands again."""
        del interval
        queue: asyncio.Queue[tuple[int, str] | None] = asyncio.Queue()

        def heard(_conn: Any, pid: int, _channel: str, payload: str) -> None:
            queue.put_nowait((pid, payload))

        def lost(_conn: Any) -> None:
            queue.put_nowait(None)

        rejoined = False
        wait = 0.0
        away = False
        while True:
            try:
                conn = await self._pool.acquire()
            except (asyncpg.PostgresError, *CONNECTION_ERRORS):
                # The server is away: said once (an idle app's header says so too),
                # then listened for again after the backoff.
                if not away:
                    away = True
                    yield ChangeSet(away=True)
                wait = min(max(wait * 2, 1.0), RETRY_MAX_SECONDS)
                await asyncio.sleep(wait)
                continue
            try:
                conn.add_termination_listener(lost)
                await conn.add_listener(CHANNEL, heard)
                wait = 0.0
                away = False
                if ready is not None:
                    ready.set()
                if rejoined:
                    yield ChangeSet(everything=True)
                while True:
                    items = [await queue.get()]
                    while not queue.empty():
                        items.append(queue.get_nowait())
                    found = self._merge(item for item in items if item is not None)
                    if found:
                        yield found
                    if None in items:
                        break  # the connection is gone: listen on another
            except (asyncpg.PostgresError, *CONNECTION_ERRORS):
                pass  # lost while setting up: listen on another
            finally:
                await self._unlisten(conn, heard, lost)
            rejoined = True

    async def _unlisten(self, conn: Any, heard: Any, lost: Any) -> None:
        try:
            conn.remove_termination_listener(lost)
            if not conn.is_closed():
                await conn.remove_listener(CHANNEL, heard)
            await self._pool.release(conn)
        except (asyncpg.PostgresError, *CONNECTION_ERRORS):
            pass  # a lost connection: the pool replaces it

    def _merge(self, items: Iterable[tuple[int, str]]) -> ChangeSet:
        own = self._pids().union(*self._also_own())
        ids: dict[int, None] = {}
        by: set[str] = set()
        sources: dict[str, None] = {}
        threads: dict[tuple[str, str | None], None] = {}
        for pid, payload in items:
            if pid in own:
                continue
            changed, actor = parse(payload)
            ids.update(dict.fromkeys(changed))
            if changed and actor:
                by.add(actor)
            source = parse_source(payload)
            if source is not None:
                sources[source] = None
                named = parse_threads(payload)
                for thread in (None,) if named is None else named:
                    threads[(source, thread)] = None
        return ChangeSet(
            tuple(ids), tuple(sorted(by)), sources=tuple(sources), threads=tuple(threads)
        )
