"""Live between moderators on PostgreSQL: NOTIFY (ids only, inside the action's
transaction, so sent on commit) and a LISTEN connection; ``whoami``."""

from __future__ import annotations

import json
from collections.abc import Iterable

import asyncpg

from reactieveld.store.pg.base import PgBase

#: The channel every moderator's app listens on (TEAM.md).
CHANNEL = "reactieveld"
#: Ids per notification: PostgreSQL refuses a payload of 8000 bytes or more.
_IDS_PER_NOTICE = 400


class Live(PgBase):
    pass


# lead: merge with the live helper's notify (this minimal one is what the actions call
# until then: payload {"ids": [...], "by": session_user}, ids only, no text).
async def notify(conn: asyncpg.Connection, ids: Iterable[int]) -> None:
    """Tell the other moderators' apps which responses changed: sent when the caller's
    transaction commits (nothing when it rolls back)."""
    changed = sorted(set(ids))
    for i in range(0, len(changed), _IDS_PER_NOTICE):
        await conn.execute(
            "SELECT pg_notify($1, json_build_object('ids', $2::text::json, "
            "'by', session_user)::text)",
            CHANNEL,
            json.dumps(changed[i : i + _IDS_PER_NOTICE]),
        )
