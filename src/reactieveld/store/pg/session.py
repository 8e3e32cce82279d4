"""The pool's connections: their session settings, and a reset on release only when a
user of the connection may have left session state behind.

asyncpg resets every connection it takes back (``Pool.release``: one more round trip,
``pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL``). A queue page reads with
SELECTs alone, which leave nothing in the session: that round trip was a fifth of its
time. :class:`PoolConnection` watches the statements sent on it and keeps asyncpg's full
reset for a connection that ran anything else than plain reads, writes and transaction
control (a ``SET``, ``LISTEN``, a session advisory lock, ``set_config``, a temporary
table, a prepared or declared statement, a COPY, ...), whoever ran it: the store's own
code or a caller with the pool. An open transaction is rolled back either way (asyncpg).

The settings every page wants come with the connection (``server_settings``: the
startup packet, so ``RESET ALL`` returns to them, not to the server's defaults) instead
of a ``SET`` per call:

- ``max_parallel_workers_per_gather = 0``: with a row estimate the planner cannot know
  (a rare word: 1,305 rows for 13) it started parallel workers, ~6 ms before the first
  row on two cores, for a 0.2 ms page;
- ``plan_cache_mode = force_custom_plan``: a statement is planned for its own values,
  never the generic plan a prepared statement (asyncpg caches them) turns to after five
  calls, planned for no value in particular (at 1M responses a search for "gemeente"
  then counted all its 450,000 hits where its own plan stops at 2,001; search p99 95 ms,
  bench/store_bench.py --backend postgresql)."""

from __future__ import annotations

import functools
import re
from typing import Any

import asyncpg

#: The session settings of every pooled connection (see the module's doc).
SESSION_SETTINGS = {
    "max_parallel_workers_per_gather": "0",
    "plan_cache_mode": "force_custom_plan",
}

#: Statements that leave no session state behind, by their first word: reads, writes
#: (the schema's triggers take none) and transaction control (what a transaction holds,
#: ``SET LOCAL`` and transaction advisory locks included, ends with it).
_PLAIN_START = re.compile(
    r"\s*(?:SELECT|WITH|VALUES|TABLE|SHOW|EXPLAIN|INSERT|UPDATE|DELETE|BEGIN|START|COMMIT|"
    r"END|ROLLBACK|ABORT|SAVEPOINT|RELEASE)\b",
    re.IGNORECASE,
)
#: ... unless they call on something that does: a session advisory lock (the transaction
#: ones are ``*_xact_lock``), ``set_config``, LISTEN, a temporary table, or hold several
#: statements. (A held cursor starts with DECLARE: not a plain start.)
_STATEFUL_WORDS = re.compile(
    r"advisory_(?:lock|unlock)|set_config|\bLISTEN\b|\bTEMP(?:ORARY)?\b|;",
    re.IGNORECASE,
)
#: A standard string literal (``''`` is a quote inside it): its words are data, not SQL
#: (the ingest's upsert names the decision ``'hold'``; a ``;`` in a literal ends nothing).
_LITERAL = re.compile(r"'(?:[^']|'')*'")
#: What makes the literals' edges unsure: escape strings (``E'\''``), comments, dollar
#: quotes. A statement with any of them is searched whole (when in doubt, reset).
_UNSURE = re.compile(r"\\|--|/\*|\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$")


def leaves_state(query: object) -> bool:
    """Whether a statement may leave session state behind (when in doubt, it may)."""
    return not isinstance(query, str) or _leaves_state(query)


@functools.lru_cache(maxsize=1024)  # a page's few statements, again and again
def _leaves_state(query: str) -> bool:
    if not _PLAIN_START.match(query):
        return True
    words = query if _UNSURE.search(query) else _LITERAL.sub("''", query)
    return bool(_STATEFUL_WORDS.search(words.rstrip("; \n")))


class PoolConnection(asyncpg.Connection):  # type: ignore[misc]  # asyncpg: no types
    """A pooled connection reset on release only after a statement that may have left
    session state (:func:`leaves_state`); asyncpg rolls back an open transaction and
    forgets the listeners either way."""

    _stateful = False

    def _note(self, query: object) -> None:
        if not self._stateful and leaves_state(query):
            self._stateful = True

    def get_reset_query(self) -> str:
        return super().get_reset_query() if self._stateful else ""

    async def reset(self, *, timeout: float | None = None) -> None:
        await super().reset(timeout=timeout)
        self._stateful = False

    # Every way a statement reaches the server through asyncpg's public API (asyncpg's
    # own BEGIN, COMMIT, ROLLBACK and LISTEN go through ``execute`` too).
    async def execute(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return await super().execute(query, *args, **kwargs)

    async def executemany(self, command: str, args: Any, **kwargs: Any) -> Any:
        self._note(command)
        return await super().executemany(command, args, **kwargs)

    async def fetch(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return await super().fetch(query, *args, **kwargs)

    async def fetchval(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return await super().fetchval(query, *args, **kwargs)

    async def fetchrow(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return await super().fetchrow(query, *args, **kwargs)

    async def fetchmany(self, query: str, args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return await super().fetchmany(query, args, **kwargs)

    def cursor(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)
        return super().cursor(query, *args, **kwargs)

    async def prepare(self, query: str, **kwargs: Any) -> Any:
        self._stateful = True  # a statement kept by name, run later unseen
        return await super().prepare(query, **kwargs)

    async def add_listener(self, channel: str, callback: Any) -> None:
        self._stateful = True
        await super().add_listener(channel, callback)

    # COPY: rare and never on a page: reset after it rather than reason about it.
    async def copy_from_table(self, *args: Any, **kwargs: Any) -> Any:
        self._stateful = True
        return await super().copy_from_table(*args, **kwargs)

    async def copy_from_query(self, *args: Any, **kwargs: Any) -> Any:
        self._stateful = True
        return await super().copy_from_query(*args, **kwargs)

    async def copy_to_table(self, *args: Any, **kwargs: Any) -> Any:
        self._stateful = True
        return await super().copy_to_table(*args, **kwargs)

    async def copy_records_to_table(self, *args: Any, **kwargs: Any) -> Any:
        self._stateful = True
        return await super().copy_records_to_table(*args, **kwargs)
