"""Claims with a lease and the version check of actions, on PostgreSQL.

The SQLite twin is :mod:`reactieveld.store.claims`; the rules are the same (see there and
:class:`~reactieveld.store.base.Store`). What differs here is concurrency: several
moderators' transactions run at once, so the check locks the rows it checks
(``FOR UPDATE``, in id order so that two batches never wait on each other in a circle):
a second decision on the same row waits for the first to commit, then sees its new
version and is refused, instead of both passing the check and the second overwriting.

For the actions (store/pg/actions.py): call :func:`guarded` (or :func:`check_seen` first
thing) inside the action's transaction, on the same connection::

    return await self._write(lambda conn: guarded(
        conn, seen, lambda: _moderate(conn, ...), actor=actor, decided=ids))

The version itself is bumped by triggers (migration 0002_versions.sql), as on SQLite:
every journal entry bumps its response, and so does a sync's change of status or text.
Every claim that begins (not a renewal) is kept in ``claim_log`` by the trigger of
migration 0003, in the claim's own transaction (the dashboard's "claimed by one moderator,
decided by another" reads it). A claim that begins and one that is released are
announced like an action (NOTIFY, ids only, on commit): the others' rows show or drop
"bezig: Naam" at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

import asyncpg

from reactieveld.store.base import ActionOutcome, Claim
from reactieveld.store.pg.base import PgBase
from reactieveld.store.pg.live import notify
from reactieveld.store.rows import from_epoch, to_epoch


async def check_seen(conn: asyncpg.Connection, seen: Mapping[int, int] | None) -> list[int]:
    """The ids of ``seen`` (response id -> the version the moderator saw) whose version is
    another one now (or that are gone), ascending; empty when all still hold. Locks those
    rows until the transaction ends, so nobody changes them between check and action."""
    if not seen:
        return []
    ids = sorted(seen)
    rows = await conn.fetch(
        "SELECT id, version FROM responses WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE",
        ids,
    )
    now = {int(r["id"]): int(r["version"]) for r in rows}
    return [i for i in ids if now.get(i) != seen[i]]


async def guarded(
    conn: asyncpg.Connection,
    seen: Mapping[int, int] | None,
    action: Callable[[], Awaitable[ActionOutcome]],
    *,
    actor: str,
    decided: Sequence[int] = (),
) -> ActionOutcome:
    """Run ``action`` unless a row of ``seen`` changed since; then refuse the WHOLE action
    (nothing runs: no state, journal, outbox or NOTIFY) and list the conflicts.
    ``decided``: the rows a decision settles, whose claim by ``actor`` ends with it."""
    conflicts = await check_seen(conn, seen)
    if conflicts:
        return ActionOutcome(conflicts=tuple(conflicts))
    outcome = await action()
    if decided:
        await release_claims(conn, decided, actor=actor)
    return outcome


async def take_claim(
    conn: asyncpg.Connection, response_id: int, *, actor: str, now: int, until: int
) -> Claim | None:
    """Take or renew ``actor``'s claim until ``until``; the other moderator's unexpired
    claim instead (left as it is). One statement: two moderators opening the same
    response at once cannot both get it (the row's conflict decides, under its lock)."""
    row = await conn.fetchrow(
        "INSERT INTO claims AS c (response_id, actor, claimed_at, until) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (response_id) DO UPDATE SET "
        "actor = excluded.actor, until = excluded.until, "
        # A renewal keeps when the claim began; a taken-over (expired) one starts anew.
        "claimed_at = CASE WHEN c.actor = excluded.actor AND c.until > $3 "
        "THEN c.claimed_at ELSE excluded.claimed_at END "
        "WHERE c.actor = excluded.actor OR c.until <= $3 "
        "RETURNING claimed_at = $3 AS began",
        response_id,
        actor,
        now,
        until,
    )
    if row is not None:
        # Expired claims are dead weight (they count as absent already): dropped where
        # claims are written anyway, so the table stays as small as what is open.
        await conn.execute("DELETE FROM claims WHERE until <= $1", now)
        if row["began"]:
            # The others' rows say "bezig: Naam" now (a renewal changes nothing for them).
            await notify(conn, [response_id])
        return None
    held = await conn.fetchrow(
        "SELECT actor, until FROM claims WHERE response_id = $1", response_id
    )
    if held is None:  # released between the two statements: try once more
        return await take_claim(conn, response_id, actor=actor, now=now, until=until)
    return Claim(str(held["actor"]), from_epoch(int(held["until"])))


async def release_claims(
    conn: asyncpg.Connection, response_ids: Sequence[int] | None, *, actor: str
) -> None:
    """Drop ``actor``'s claims on ``response_ids`` (None: all of ``actor``'s claims); the
    others' apps hear of the rows that are free again."""
    if response_ids is None:
        rows = await conn.fetch("DELETE FROM claims WHERE actor = $1 RETURNING response_id", actor)
    else:
        rows = await conn.fetch(
            "DELETE FROM claims WHERE actor = $1 AND response_id = ANY($2::bigint[]) "
            "RETURNING response_id",
            actor,
            list(response_ids),
        )
    if rows:
        await notify(conn, [int(r[0]) for r in rows])


class Claims(PgBase):
    """``claim`` and ``release`` of the :class:`~reactieveld.store.base.Store` protocol.

    The actor is ``actor=`` as given: the app passes the moderator it shows (on
    PostgreSQL that is :attr:`role`, the connection's ``session_user``)."""

    async def claim(self, response_id: int, *, actor: str, minutes: float) -> Claim | None:
        """Take or renew ``actor``'s lease for ``minutes``; the other moderator's claim
        (nothing changed) when someone else holds an unexpired one."""
        now = to_epoch(self.clock())
        until = now + max(1, round(minutes * 60))
        return await self._write(
            lambda conn: take_claim(conn, response_id, actor=actor, now=now, until=until)
        )

    async def release(self, response_id: int | None, *, actor: str) -> None:
        """Drop ``actor``'s claim on a response; None: all of ``actor``'s (on quitting)."""
        ids = None if response_id is None else [response_id]
        await self._write(lambda conn: release_claims(conn, ids, actor=actor))
