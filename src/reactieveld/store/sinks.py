"""The memory sinks' tables (migration 0003): per sink its position in the journal and in
the changes of tagged responses (``sink_positions``; ``sink_changes``, migration 0024),
what it last got per response (``sink_state``, a digest) and its delivery queue
(``sink_outbox``). What to deliver is decided in :mod:`reactieveld.sinks`."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from reactieveld.store.rows import from_epoch, placeholders, to_epoch
from reactieveld.store.values import JournalRef, SinkDelivery, SinkDue, SinkPosition, SinkQueued

# The statements both backends run as they are (PostgreSQL through ``dollar``).

#: A configured sink's position row made before its first read (parameter: the sink): at
#: the beginning, so :data:`PRUNE_SQL`'s minimum keeps every change until the sink has
#: read it. Without it a sink's first pass had no row, and another process could prune a
#: change made during that pass before the sink recorded where it got to: that edit was
#: never sent.
START_SQL = (
    "INSERT INTO sink_positions (sink, journal_id, change_id) VALUES (?, 0, 0) "
    "ON CONFLICT(sink) DO NOTHING"
)

#: The memory's own id (parameter: a new random one, kept only when there is none yet):
#: part of every delivery id, so two memories writing to one sink never give the same
#: one (a receiver drops repeats). ``store copy`` gives the copy a new one (source and copy
#: may both go on sending); a delivery still pending at the copy keeps its source's id in
#: its payload, so the receiver still drops it as a repeat (store/copy.py ``_new_memory``).
MEMORY_ID_SQL = "INSERT INTO meta (key, value) VALUES ('memory_id', ?) ON CONFLICT(key) DO NOTHING"

#: The memory's id as :data:`MEMORY_ID_SQL` keeps it.
READ_MEMORY_ID_SQL = "SELECT value FROM meta WHERE key = 'memory_id'"

#: A sink's position in the journal and in ``sink_changes`` (parameter: the sink).
POSITION_SQL = "SELECT journal_id, change_id FROM sink_positions WHERE sink = ?"

#: Journal entries after a position, oldest first (parameters: position, limit); rows
#: for :func:`journal_refs`.
ENTRIES_SQL = "SELECT id, kind, response_id FROM actions WHERE id > ? ORDER BY id LIMIT ?"

#: Changes of tagged responses after a position, oldest first (parameters: position,
#: limit); rows for :func:`journal_refs` (kind "sync").
CHANGES_SQL = "SELECT id, 'sync', response_id FROM sink_changes WHERE id > ? ORDER BY id LIMIT ?"

#: A sink's position moved (parameters: the sink, journal id, change id).
ADVANCE_SQL = (
    "INSERT INTO sink_positions (sink, journal_id, change_id) VALUES (?, ?, ?) "
    "ON CONFLICT(sink) DO UPDATE SET journal_id = excluded.journal_id, "
    "change_id = excluded.change_id"
)

#: Up to a batch of the changes every sink has read (parameter: the batch's size), oldest
#: first: those at or below the smallest ``change_id`` in ``sink_positions``, and all when
#: no sink has a position (a configured sink has one from before its first read:
#: :data:`START_SQL`). A sink added later needs none of them: it starts from the
#: journal's beginning and reads each response's current record (its digest then skips
#: the changes it would find). A sink no longer configured keeps its position, and so
#: keeps the changes after it (it may be configured again, or in another's app). The
#: newest row stays: SQLite gives a new row the highest id plus one, so without it the
#: next change would get an id a sink has already read past.
PRUNE_SQL = (
    "DELETE FROM sink_changes WHERE id IN (SELECT id FROM sink_changes WHERE id <= "
    "coalesce((SELECT min(change_id) FROM sink_positions), "
    "(SELECT max(id) FROM sink_changes)) "
    "AND id < (SELECT max(id) FROM sink_changes) ORDER BY id LIMIT ?)"
)

#: How many rows of ``sink_changes`` one transaction of :data:`PRUNE_SQL` deletes.
PRUNE_BATCH = 500

#: A sink's pending deliveries, oldest first (parameters: sink, limit); rows for
#: :func:`dues`.
DUE_SQL = (
    "SELECT id, payload, attempts, coalesce(next_attempt_at, 0) FROM sink_outbox "
    "WHERE sink = ? AND state = 'pending' ORDER BY id LIMIT ?"
)

#: A delivery done (parameters: when, its id).
DONE_SQL = (
    "UPDATE sink_outbox SET state = 'done', attempts = attempts + 1, "
    "done_at = ?, last_error = NULL WHERE id = ?"
)

#: A delivery given up (parameters: the error, its id).
FAILED_SQL = (
    "UPDATE sink_outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?"
)

#: A delivery to try again (parameters: the error, when to, its id).
RETRY_SQL = (
    "UPDATE sink_outbox SET attempts = attempts + 1, last_error = ?, "
    "next_attempt_at = ? WHERE id = ?"
)

#: A sink's whole delivery queue, oldest first (parameter: the sink); rows for
#: :class:`SinkQueued`.
QUEUE_SQL = (
    "SELECT id, event, state, attempts, last_error, response_id FROM sink_outbox "
    "WHERE sink = ? ORDER BY id"
)


def journal_refs(rows: Iterable[Sequence[Any]], change: bool = False) -> list[JournalRef]:
    """The journal entries of :data:`ENTRIES_SQL` rows (``change``: the changes of
    :data:`CHANGES_SQL` rows)."""
    return [JournalRef(jid, kind, rid, change) for jid, kind, rid in rows]


def position_of(row: Sequence[Any] | None) -> SinkPosition:
    """The position of a :data:`POSITION_SQL` row (none yet: the beginning)."""
    return SinkPosition(int(row[0]), int(row[1])) if row else SinkPosition()


def dues(rows: Iterable[Sequence[Any]]) -> list[SinkDue]:
    """The deliveries of :data:`DUE_SQL` rows."""
    return [SinkDue(oid, p, n, from_epoch(at)) for oid, p, n, at in rows]


def _position(db: sqlite3.Connection, sink: str) -> SinkPosition:
    return position_of(db.execute(POSITION_SQL, (sink,)).fetchone())


def sink_entries(
    db: sqlite3.Connection, sink: str, limit: int
) -> tuple[SinkPosition, list[JournalRef]]:
    """The sink's position and up to ``limit`` journal entries and ``limit`` changes
    after it: the journal's first, each oldest first."""
    pos = _position(db, sink)
    entries = journal_refs(db.execute(ENTRIES_SQL, (pos.journal, limit)).fetchall())
    changes = journal_refs(db.execute(CHANGES_SQL, (pos.changes, limit)).fetchall(), True)
    return pos, entries + changes


def new_memory_id() -> str:
    """A random id for :data:`MEMORY_ID_SQL` (16 hex digits)."""
    return secrets.token_hex(8)


def sinks_start(db: sqlite3.Connection, sinks: Sequence[str]) -> str:
    """In the caller's transaction: a position row for each of ``sinks`` that has none
    (:data:`START_SQL`); returns the memory's id (made on first use)."""
    db.executemany(START_SQL, [(s,) for s in sinks])
    db.execute(MEMORY_ID_SQL, (new_memory_id(),))
    return str(db.execute(READ_MEMORY_ID_SQL).fetchone()[0])


def sink_advance(
    db: sqlite3.Connection,
    sink: str,
    *,
    expected: SinkPosition,
    to: SinkPosition,
    response_ids: Sequence[int],
    plan: Callable[[Mapping[int, str]], Sequence[SinkDelivery]],
    at: datetime,
) -> int | None:
    """In the caller's transaction: unless another worker moved the position from
    ``expected`` (None), enqueue what ``plan`` makes of the digests the sink holds for
    ``response_ids``, record the new digests, and move the position to ``to``."""
    if _position(db, sink) != expected:
        return None  # another worker on this sink got here first
    ids = list(response_ids)
    state = dict(
        db.execute(
            "SELECT response_id, digest FROM sink_state "
            f"WHERE sink = ? AND response_id IN {placeholders(ids)}",
            (sink, *ids),
        ).fetchall()
    ) if ids else {}  # fmt: skip
    deliveries = plan(state)
    for d in deliveries:
        db.execute(
            "INSERT INTO sink_outbox (sink, response_id, journal_id, event, payload, "
            "created_at, next_attempt_at) VALUES (?,?,?,?,?,?,?)",
            (sink, d.response_id, d.journal_id, d.event, d.payload, to_epoch(at), to_epoch(at)),
        )
        db.execute(
            "INSERT INTO sink_state (sink, response_id, digest) VALUES (?,?,?) "
            "ON CONFLICT(sink, response_id) DO UPDATE SET digest = excluded.digest",
            (sink, d.response_id, d.digest),
        )
    db.execute(ADVANCE_SQL, (sink, to.journal, to.changes))
    return len(deliveries)


def sink_prune(db: sqlite3.Connection, limit: int) -> int:
    """In the caller's transaction: delete up to ``limit`` of the changes every sink has
    read (:data:`PRUNE_SQL`); returns how many."""
    return db.execute(PRUNE_SQL, (limit,)).rowcount


def sink_due(db: sqlite3.Connection, sink: str, limit: int) -> list[SinkDue]:
    """The sink's pending deliveries, oldest first (due or not)."""
    return dues(db.execute(DUE_SQL, (sink, limit)).fetchall())


def sink_mark_done(db: sqlite3.Connection, delivery_id: int, at: datetime) -> None:
    db.execute(DONE_SQL, (to_epoch(at), delivery_id))


def sink_mark_failed(db: sqlite3.Connection, delivery_id: int, error: str | None) -> None:
    db.execute(FAILED_SQL, (error, delivery_id))


def sink_mark_retry(
    db: sqlite3.Connection, delivery_id: int, error: str | None, next_attempt_at: datetime
) -> None:
    db.execute(RETRY_SQL, (error, to_epoch(next_attempt_at), delivery_id))


def sink_queue(db: sqlite3.Connection, sink: str) -> list[SinkQueued]:
    """The sink's whole delivery queue, oldest first."""
    return [SinkQueued(*row) for row in db.execute(QUEUE_SQL, (sink,)).fetchall()]
