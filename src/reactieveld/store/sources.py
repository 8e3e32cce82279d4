"""A source's sync bookkeeping as both backends write it: the end of a sync round, the
cursor, the statuses a re-scan compares with (``?`` placeholders; PostgreSQL runs them
through :func:`reactieveld.store.pg.base.dollar`). Its columns as read back are
:data:`reactieveld.store.rows.STATE_COLS`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reactieveld.store.rows import to_epoch

#: Set or clear a source's cursor (parameters: the cursor, the source's name).
SET_CURSOR_SQL = "UPDATE sources SET cursor = ? WHERE name = ?"

#: Every response of a source as (external id, remote status) (parameter: its name).
EXTERNAL_STATUSES_SQL = (
    "SELECT r.external_id, r.remote_status FROM responses r "
    "WHERE r.source_id = (SELECT id FROM sources WHERE name = ?)"
)


def record_sync_sql(
    name: str, error: str | None, next_try: datetime | None, now: int, by: str | None = None
) -> tuple[str, tuple[Any, ...]]:
    """The statement that records the end of a sync round of source ``name`` at ``now``
    (epoch seconds): a success when ``error`` is None (the error cleared), else the error
    to show (already as the backend can store it); the next try and who synced (``by``,
    the syncing process's name) either way."""
    if error is None:
        return (
            "UPDATE sources SET last_success = ?, last_error = NULL, "
            "last_error_at = NULL, next_try = ?, synced_by = ? WHERE name = ?",
            (now, to_epoch(next_try), by, name),
        )
    return (
        "UPDATE sources SET last_error = ?, last_error_at = ?, next_try = ?, synced_by = ? "
        "WHERE name = ?",
        (error, now, to_epoch(next_try), by, name),
    )
