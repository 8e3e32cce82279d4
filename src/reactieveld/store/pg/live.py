"""Live between moderators on PostgreSQL: NOTIFY (ids only, inside the action's
transaction, so sent on commit) and a LISTEN connection; ``whoami``."""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

from reactieveld.store.pg.base import PgBase

# lead: take the live helper's live.py (h/live) whole: its notify is this one (same
# name, arguments, channel, payload and chunking), beside changes() and whoami.

#: The channel every reactieveld action notifies on.
CHANNEL = "reactieveld"
#: Ids per notification: a payload must stay under PostgreSQL's 8000 bytes; 500 ids of
#: up to 12 digits take about 6,500.
IDS_PER_NOTIFY = 500


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


class Live(PgBase):
    pass
