"""The outbox: write-backs to the platforms, due, recorded as sent, done, retried or
given up (the worker is :mod:`reactieveld.outbox`). Functions of a connection, run by
SqliteStore's thin methods of the same name."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from reactieveld.model import (
    ActionKind,
    Capability,
    OutboxItem,
    Page,
    RemoteStatus,
    Response,
    TriageState,
)
from reactieveld.store.actions import enqueue_reverse, source_id
from reactieveld.store.ingest import content_hash, platform_hash, rekey, upsert
from reactieveld.store.rows import OUTBOX_COLS, outbox_item_from_row, placeholders, to_epoch


def outbox_due(db: sqlite3.Connection, now: int, limit: int) -> list[OutboxItem]:
    rows = db.execute(
        f"SELECT {OUTBOX_COLS} FROM outbox o JOIN sources s ON s.id = o.source_id "
        "WHERE o.state = 'pending' AND coalesce(o.next_attempt_at, 0) <= ? "
        "ORDER BY o.id LIMIT ?",
        (now, limit),
    ).fetchall()
    return [outbox_item_from_row(r) for r in rows]


def outbox_items(
    db: sqlite3.Connection, states: Sequence[str], limit: int, response_id: int | None = None
) -> list[OutboxItem]:
    where = [f"o.state IN {placeholders(states)}"] if states else []
    args: list[object] = list(states)
    if response_id is not None:
        where.append("o.response_id = ?")
        args.append(response_id)
    rows = db.execute(
        f"SELECT {OUTBOX_COLS} FROM outbox o JOIN sources s ON s.id = o.source_id "
        f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY o.id DESC LIMIT ?",
        (*args, limit),
    ).fetchall()
    return [outbox_item_from_row(r) for r in rows]


def outbox_done(
    db: sqlite3.Connection,
    item_id: int,
    *,
    remote_status: RemoteStatus | None,
    external_id: str | None,
    at: datetime,
    codebook_version: str,
) -> None:
    now = to_epoch(at)
    sent = applied(db.execute(DONE_ROW, (item_id,)).fetchone())
    if sent is None:
        return
    rid, jid, is_reply, undone_in_flight = sent
    db.execute(
        "UPDATE outbox SET state = 'done', done_at = ?, attempts = attempts + 1, "
        "last_error = NULL, awaits_round = NULL, result_external_id = ? WHERE id = ?",
        (now, external_id, item_id),
    )
    if _store_sent_reply(db, item_id, external_id, remote_status, at, codebook_version):
        pass  # the status the platform reported is the reply's, not its parent's
    elif external_id and rid is not None:
        sid, old_ext = db.execute(
            "SELECT source_id, external_id FROM responses WHERE id = ?", (rid,)
        ).fetchone()
        rekey(db, sid, old_ext, external_id)
    if remote_status is not None and rid is not None and not is_reply:
        db.execute(
            "UPDATE responses SET content_hash = ? WHERE id = ?",
            (platform_hash(db, rid, remote_status.value), rid),
        )
        # Only when no later decision on the same response is still pending.
        if not undone_in_flight:
            db.execute(STATUS_UNLESS_LATER, (remote_status.value, rid, rid, item_id))
    if undone_in_flight and jid is not None:
        kind, before, after = db.execute(
            "SELECT kind, before, after FROM actions WHERE id = ?", (jid,)
        ).fetchone()
        enqueue_reverse(
            db, item_id, ActionKind(kind), json.loads(before), json.loads(after), now or 0
        )


#: What ``outbox_done`` reads of its outbox row (parameter: its id); see :func:`applied`.
DONE_ROW = "SELECT response_id, state, last_error, journal_id, capability FROM outbox WHERE id = ?"

#: The status the platform reported, unless a later decision on the response is still
#: pending (parameters: status, response id, response id, outbox id).
STATUS_UNLESS_LATER = (
    "UPDATE responses SET remote_status = ? WHERE id = ? AND NOT EXISTS "
    "(SELECT 1 FROM outbox o WHERE o.response_id = ? AND o.id > ? AND o.state = 'pending')"
)


class Applied(NamedTuple):
    """An outbox row whose write-back the platform applied, as ``outbox_done`` records it."""

    response_id: int | None
    journal_id: int | None
    is_reply: bool
    #: Undone while it was being sent: its reverse is queued now (see was_undone_in_flight).
    undone_in_flight: bool


def applied(row: Sequence[Any] | None) -> Applied | None:
    """The :data:`DONE_ROW` of a write-back the platform applied, or None when there is
    nothing to record (the row is gone, or settled and not undone in flight); both
    backends."""
    if row is None:
        return None
    rid, state, last_error, jid, capability = row
    undone_in_flight = was_undone_in_flight(state, last_error)
    if state != "pending" and not undone_in_flight:
        return None
    return Applied(rid, jid, capability == Capability.REPLY.value, undone_in_flight)


def was_undone_in_flight(state: str, last_error: str | None) -> bool:
    """Undone while the worker was sending it: the platform did apply it, so it is done,
    and the moderator's undo now needs the reverse action (both backends)."""
    return state == "cancelled" and last_error == "undone"


def sent_reply(
    source: str,
    parent_ext: str,
    thread_ext: str | None,
    text: str | None,
    actor: str | None,
    external_id: str,
    remote_status: RemoteStatus | None,
    at: datetime,
) -> Response:
    """Our own reply as the platform accepted it: a response in its thread, in the
    organisation's voice, handled (both backends store this)."""
    return Response(
        source=source,
        external_id=external_id,
        thread_external_id=thread_ext,
        parent_external_id=parent_ext,
        author_name=actor or "",
        body_text=text or "",
        body_raw=text or "",
        created_at=at,
        remote_status=remote_status or RemoteStatus.APPROVED,
        role_hint="organisatie",
        triage=TriageState.HANDLED,
    )


def _store_sent_reply(
    db: sqlite3.Connection,
    item_id: int,
    external_id: str | None,
    remote_status: RemoteStatus | None,
    at: datetime,
    codebook_version: str,
) -> bool:
    """For a reply the platform accepted: keep our own answer as a response in its
    thread at once (the organisation's voice, handled), so the thread, the dashboard's
    "answered" figure and search see it before the next sync brings the platform's
    copy, which then updates this row (same source and external id). True when the
    outbox row was a reply."""
    row = db.execute(
        "SELECT o.capability, s.name, o.external_id, o.thread_external_id, o.text, a.actor "
        "FROM outbox o JOIN sources s ON s.id = o.source_id "
        "LEFT JOIN actions a ON a.id = o.journal_id WHERE o.id = ?",
        (item_id,),
    ).fetchone()
    if row is None or row[0] != Capability.REPLY.value:
        return False
    _, source, parent_ext, thread_ext, text, actor = row
    if not external_id:
        return True
    reply = sent_reply(source, parent_ext, thread_ext, text, actor, external_id, remote_status, at)
    exists = db.execute(
        "SELECT 1 FROM responses r JOIN sources s ON s.id = r.source_id "
        "WHERE s.name = ? AND r.external_id = ?",
        (source, external_id),
    ).fetchone()
    if exists is None:
        upsert(
            db,
            source_id(db, source),
            Page([reply]),
            [(reply, None, content_hash(reply, None))],
            to_epoch(at),
            codebook_version,
        )
    return True


#: The number of the newest sync round begun of an outbox row's source: what a reply that
#: may have arrived waits to be passed (``awaits_round``; see :func:`synced_since`).
NEWEST_BEGUN = "(SELECT rounds FROM sources WHERE sources.id = outbox.source_id)"

#: A write-back being sent (parameters: the note saying so, since when, its id): it may
#: arrive from now on, so it waits for a round begun after this if the process stops
#: before its outcome is recorded. The statement of both backends.
SENDING_SQL = (
    f"UPDATE outbox SET last_error = ?, next_attempt_at = ?, awaits_round = {NEWEST_BEGUN} "
    "WHERE id = ? AND state = 'pending'"
)

#: A write-back tried again (parameters: the error, when next, whether the platform may
#: have taken it all the same, its id): one it may have taken (a reply) waits for a
#: round begun after now; any other waits for nothing. Both backends' (PostgreSQL's also
#: ends its lease).
RETRY_SET = (
    "attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
    f"awaits_round = CASE WHEN ? THEN {NEWEST_BEGUN} END"
)
#: Which row it sets (parameter: its id, after :data:`RETRY_SET`'s).
RETRY_WHERE = "WHERE id = ? AND state = 'pending'"


def synced_since(awaits_round: int | None, success_round: int | None) -> bool:
    """Whether a reply that may have arrived (marked when its source's newest begun round
    was ``awaits_round``) has been looked for: a round that began after the mark (a
    higher number) ended well (``success_round``, the source's newest that did). Such a
    round listed the site after the reply's answer came (or its process stopped) and
    stored the platform's copy if there is one (``_claim_sent_replies``); a round begun
    earlier may have listed before the reply arrived, however late it ended. The one rule
    of both backends; a reply not waiting (None) is not held."""
    if awaits_round is None:
        return True
    return success_round is not None and success_round > awaits_round


#: A failed or conflicting write-back tried again (parameters: now, its id); the
#: statement of both backends.
REQUEUE_SQL = (
    "UPDATE outbox SET state = 'pending', next_attempt_at = ?, expected_status = NULL "
    "WHERE id = ? AND state IN ('failed', 'conflict')"
)


def outbox_sending(db: sqlite3.Connection, item_id: int, note: str, at: datetime) -> None:
    db.execute(SENDING_SQL, (note, to_epoch(at), item_id))


def outbox_retry(
    db: sqlite3.Connection, item_id: int, error: str, next_attempt_at: datetime, unsure: bool
) -> None:
    db.execute(
        f"UPDATE outbox SET {RETRY_SET} {RETRY_WHERE}",
        (error, to_epoch(next_attempt_at), unsure, item_id),
    )


#: What a write-back given up on sets (parameters: its state, the error, the site's status
#: a conflict found or None); both backends' (PostgreSQL's also ends its lease). A
#: conflict's status becomes the one expected: the moderator is told it, and a retry (the
#: same row sent again, :func:`reactieveld.store.actions.plan_resend`) goes through unless
#: the comment changed once more.
FAIL_SET = (
    "state = ?, attempts = attempts + 1, last_error = ?, awaits_round = NULL, "
    "expected_status = coalesce(?, expected_status)"
)
#: Which row it sets (parameter: its id, after :data:`FAIL_SET`'s).
FAIL_WHERE = "WHERE id = ? AND state = 'pending'"
#: SQLite's statement of it.
FAIL_SQL = f"UPDATE outbox SET {FAIL_SET} {FAIL_WHERE}"


def outbox_fail(
    db: sqlite3.Connection, item_id: int, state: str, error: str, seen: str | None = None
) -> None:
    db.execute(FAIL_SQL, (state, error, seen, item_id))


def outbox_requeue(db: sqlite3.Connection, item_id: int, now: int) -> None:
    db.execute(REQUEUE_SQL, (now, item_id))
