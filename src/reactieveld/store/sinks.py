"""The memory sinks' tables (migration 0003): per sink its position in the journal
(``sink_positions``), what it last got per response (``sink_state``, a digest) and its
delivery queue (``sink_outbox``). What to deliver is decided in :mod:`reactieveld.sinks`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from reactieveld.store.rows import from_epoch, placeholders, to_epoch
from reactieveld.store.values import JournalRef, SinkDelivery, SinkDue, SinkQueued


def _position(db: sqlite3.Connection, sink: str) -> int:
    row = db.execute("SELECT journal_id FROM sink_positions WHERE sink = ?", (sink,)).fetchone()
    return int(row[0]) if row else 0


def sink_entries(db: sqlite3.Connection, sink: str, limit: int) -> tuple[int, list[JournalRef]]:
    """The sink's position and up to ``limit`` journal entries after it, oldest first."""
    pos = _position(db, sink)
    entries = db.execute(
        "SELECT id, kind, response_id FROM actions WHERE id > ? ORDER BY id LIMIT ?",
        (pos, limit),
    ).fetchall()
    return pos, [JournalRef(jid, kind, rid) for jid, kind, rid in entries]


def sink_advance(
    db: sqlite3.Connection,
    sink: str,
    *,
    expected: int,
    to: int,
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
    db.execute(
        "INSERT INTO sink_positions (sink, journal_id) VALUES (?, ?) "
        "ON CONFLICT(sink) DO UPDATE SET journal_id = excluded.journal_id",
        (sink, to),
    )
    return len(deliveries)


def sink_due(db: sqlite3.Connection, sink: str, limit: int) -> list[SinkDue]:
    """The sink's pending deliveries, oldest first (due or not)."""
    rows = db.execute(
        "SELECT id, payload, attempts, coalesce(next_attempt_at, 0) FROM sink_outbox "
        "WHERE sink = ? AND state = 'pending' ORDER BY id LIMIT ?",
        (sink, limit),
    ).fetchall()
    return [SinkDue(oid, p, n, from_epoch(at)) for oid, p, n, at in rows]


def sink_mark_done(db: sqlite3.Connection, delivery_id: int, at: datetime) -> None:
    db.execute(
        "UPDATE sink_outbox SET state = 'done', attempts = attempts + 1, "
        "done_at = ?, last_error = NULL WHERE id = ?",
        (to_epoch(at), delivery_id),
    )


def sink_mark_failed(db: sqlite3.Connection, delivery_id: int, error: str | None) -> None:
    db.execute(
        "UPDATE sink_outbox SET state = 'failed', attempts = attempts + 1, "
        "last_error = ? WHERE id = ?",
        (error, delivery_id),
    )


def sink_mark_retry(
    db: sqlite3.Connection, delivery_id: int, error: str | None, next_attempt_at: datetime
) -> None:
    db.execute(
        "UPDATE sink_outbox SET attempts = attempts + 1, last_error = ?, "
        "next_attempt_at = ? WHERE id = ?",
        (error, to_epoch(next_attempt_at), delivery_id),
    )


def sink_queue(db: sqlite3.Connection, sink: str) -> list[SinkQueued]:
    """The sink's whole delivery queue, oldest first."""
    rows = db.execute(
        "SELECT id, event, state, attempts, last_error, response_id FROM sink_outbox "
        "WHERE sink = ? ORDER BY id",
        (sink,),
    ).fetchall()
    return [SinkQueued(*row) for row in rows]
