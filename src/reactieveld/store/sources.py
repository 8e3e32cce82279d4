"""A source's sync bookkeeping as both backends write it: the end of a sync round, the
cursor, the statuses a re-scan compares with (``?`` placeholders; PostgreSQL runs them
through :func:`reactieveld.store.pg.base.dollar`). Its columns as read back are
:data:`reactieveld.store.rows.STATE_COLS`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reactieveld.store.rows import STATE_COLS, to_epoch

#: Every source's name, sorted (the queue asks it beside its first rows: one source,
#: no source column).
SOURCE_NAMES_SQL = "SELECT name FROM sources ORDER BY name"

#: Set or clear a source's cursor (parameters: the cursor, the source's name).
SET_CURSOR_SQL = "UPDATE sources SET cursor = ? WHERE name = ?"

#: Every response of a source as (external id, remote status) (parameter: its name).
EXTERNAL_STATUSES_SQL = (
    "SELECT r.external_id, r.remote_status FROM responses r "
    "WHERE r.source_id = (SELECT id FROM sources WHERE name = ?)"
)


#: Begin a sync round of a source (parameter: its name): the round's number, the next
#: of the source's, then the source's state as :data:`STATE_COLS` (its cursor to read
#: from). No row: the source is not registered.
BEGIN_ROUND_SQL = (
    f"UPDATE sources SET rounds = rounds + 1 WHERE name = ? RETURNING rounds, {STATE_COLS}"
)


def record_sync_sql(
    name: str,
    error: str | None,
    next_try: datetime | None,
    now: int,
    by: str | None = None,
    round_no: int | None = None,
) -> tuple[str, tuple[Any, ...]]:
    """The statement that records the end of sync round ``round_no`` of source ``name``
    at ``now`` (epoch seconds): a success when ``error`` is None (the error cleared), else
    the error to show (already as the backend can store it); the next try and who synced
    (``by``, the syncing process's name) either way. It changes no row when the source
    holds the end of a newer round (a higher number): rounds of several processes end in
    any order, and the newest begun is the one that says how the source is. A round
    without a number (one that failed before it began) counts as begun now, the newest."""
    vals: tuple[Any, ...]
    if error is None:
        cols, vals = "last_success = ?, last_error = NULL, last_error_at = NULL", (now,)
        # The newest round that ended well (store/writeback.py ``synced_since``); both
        # sides of SET read the row as it was.
        if round_no is None:
            cols += ", success_round = rounds + 1"
        else:
            cols, vals = cols + ", success_round = ?", (now, round_no)
    else:
        cols, vals = "last_error = ?, last_error_at = ?", (error, now)
    sql = f"UPDATE sources SET {cols}, next_try = ?, synced_by = ?, "
    vals += (to_epoch(next_try), by)
    if round_no is None:
        # Both sides of SET read the row as it was: the two columns get the same number.
        sql += "rounds = rounds + 1, recorded_round = rounds + 1 WHERE name = ?"
        return sql, (*vals, name)
    return (
        sql + "recorded_round = ? WHERE name = ? AND coalesce(recorded_round, 0) <= ?",
        (*vals, round_no, name, round_no),
    )
