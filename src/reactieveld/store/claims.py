"""Claims and versions on SQLite: the lease a moderator takes on an open response, and
the check that refuses an action on rows that changed after the moderator saw them.

Each function runs inside the caller's transaction (:meth:`SqliteStore._write`), so the
check and the action it guards see the same rows: nobody can slip a change in between.

Every claim that begins (not a renewal) is also kept in ``claim_log``, by the triggers of
migration 0010 in the same transaction: the dashboard's "claimed by one moderator, decided
by another" needs to know afterwards who had a response open."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from reactieveld.store.base import Claim
from reactieveld.store.rows import from_epoch, placeholders

if TYPE_CHECKING:
    from reactieveld.store.values import ActionOutcome


def check_seen(db: sqlite3.Connection, seen: Mapping[int, int] | None) -> list[int]:
    """The ids of ``seen`` (response id -> version the moderator saw) whose version is
    another one now (or that are gone), in ascending order; empty when all still hold."""
    if not seen:
        return []
    ids = sorted(seen)
    now = dict(
        db.execute(f"SELECT id, version FROM responses WHERE id IN {placeholders(ids)}", ids)
    )
    return [i for i in ids if now.get(i) != seen[i]]


def guarded(
    db: sqlite3.Connection,
    seen: Mapping[int, int] | None,
    action: Callable[[], ActionOutcome],
    *,
    actor: str,
    decided: Sequence[int] = (),
) -> ActionOutcome:
    """Run ``action`` unless a row of ``seen`` changed since; then refuse the WHOLE action
    (nothing runs: no state, journal or outbox) and list the conflicts. ``decided``: the
    rows a decision settles, whose claim by ``actor`` ends with it (same transaction)."""
    conflicts = check_seen(db, seen)
    if conflicts:
        from reactieveld.store.values import ActionOutcome

        return ActionOutcome(conflicts=tuple(conflicts))
    outcome = action()
    if decided:
        release(db, decided, actor=actor)
    return outcome


def take(
    db: sqlite3.Connection, response_id: int, *, actor: str, now: int, until: int
) -> Claim | None:
    """Take or renew ``actor``'s claim until ``until``; the other moderator's unexpired
    claim instead (left as it is). An expired claim is taken over like a free row."""
    row = db.execute(
        "SELECT actor, until FROM claims WHERE response_id = ?", (response_id,)
    ).fetchone()
    if row is not None and row[0] != actor and row[1] > now:
        return Claim(row[0], from_epoch(row[1]))
    # A renewal keeps when the claim began (the dashboard's "claimed by" share may use it).
    renewal = row is not None and row[0] == actor and row[1] > now
    db.execute(
        "INSERT INTO claims (response_id, actor, claimed_at, until) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (response_id) DO UPDATE SET actor = excluded.actor, until = excluded.until"
        + ("" if renewal else ", claimed_at = excluded.claimed_at"),
        (response_id, actor, now, until),
    )
    # Expired claims are dead weight (they count as absent already): drop them here, where
    # claims are written anyway, so the table stays as small as the number of open items.
    db.execute("DELETE FROM claims WHERE until <= ?", (now,))
    return None


def release(db: sqlite3.Connection, response_ids: Sequence[int] | None, *, actor: str) -> None:
    """Drop ``actor``'s claims on ``response_ids`` (None: all of ``actor``'s claims)."""
    if response_ids is None:
        db.execute("DELETE FROM claims WHERE actor = ?", (actor,))
        return
    ids = list(response_ids)
    if ids:
        db.execute(
            f"DELETE FROM claims WHERE actor = ? AND response_id IN {placeholders(ids)}",
            (actor, *ids),
        )
