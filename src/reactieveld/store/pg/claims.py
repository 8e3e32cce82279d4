"""Claims with a lease and the version check of actions, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import asyncpg

from reactieveld.store.pg.base import PgBase


class Claims(PgBase):
    pass


# lead: merge with the claims helper's check_seen/release (these two are the minimal
# versions the actions call until then; same names and arguments as TEAM.md asks).
async def check_seen(conn: asyncpg.Connection, seen: Mapping[int, int] | None) -> list[int]:
    """The ids of ``seen`` (response id -> version the moderator saw) whose version is
    another one now (or that are gone), ascending. Run after the action locked its rows,
    so the versions read are the ones the action will change."""
    if not seen:
        return []
    ids = sorted(seen)
    rows = await conn.fetch("SELECT id, version FROM responses WHERE id = ANY($1::bigint[])", ids)
    now = {r[0]: r[1] for r in rows}
    return [i for i in ids if now.get(i) != seen[i]]


async def release(conn: asyncpg.Connection, response_ids: Sequence[int]) -> None:
    """Drop this role's claims on ``response_ids`` (a decision ends its decider's claim)."""
    if response_ids:
        await conn.execute(
            "DELETE FROM claims WHERE actor = session_user AND response_id = ANY($1::bigint[])",
            list(response_ids),
        )
