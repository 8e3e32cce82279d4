"""The outbox: write-backs to the platforms, due, recorded as sent, done, retried or
given up (the worker is :mod:`reactieveld.outbox`). Functions of a connection, run by
SqliteStore's thin methods of the same name."""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import sys
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

#: How long a worker holds the rows ``outbox_due`` gave it before another may take them
#: (seconds): longer than any one send (HTTP timeouts are well under a minute); marking a
#: reply as being sent renews it. Both backends'.
OUTBOX_LEASE = 600


#: A decision on a response (any write-back but a reply) that waits while an earlier one
#: of that response is pending, whoever holds it and whenever it is due: applied before
#: it, it would be overwritten when the earlier one arrives (another program's request
#: under way, a retry after a backoff), the comment left as the moderator decided before
#: (the undo of their newest decision, say), and both rows done. A reply waits only for an
#: earlier approval of its response ("approve and send", ctrl+g in the reply editor):
#: sent before it, the site shows the reply under a comment its readers cannot see (as
#: WordPress does with a reply to a held comment). Both backends'.
AFTER_EARLIER = (
    "NOT EXISTS (SELECT 1 FROM outbox e WHERE e.response_id = outbox.response_id "
    "AND e.id < outbox.id AND e.state = 'pending' AND (CASE "
    f"WHEN outbox.capability = '{Capability.REPLY.value}' "
    f"THEN e.capability = '{Capability.APPROVE.value}' "
    f"ELSE e.capability <> '{Capability.REPLY.value}' END))"
)


def due_free(gone: str = "") -> str:
    """The pending rows due at a moment that no other live worker holds (parameters: the
    moment, this holder, the clock): free, this holder's own, or leased by a worker whose
    lease has run out (it stopped), or ``gone``: SQL saying its holder is known to have
    stopped (PostgreSQL's: its session ended, pg/writeback.py ``HOLDER_GONE``); a decision
    only after the earlier ones of its response (:data:`AFTER_EARLIER`)."""
    return (
        "state = 'pending' AND coalesce(next_attempt_at, 0) <= ? AND (leased_by IS NULL "
        f"OR leased_by = ? OR coalesce(lease_until, 0) <= ?{f' OR {gone}' if gone else ''}) "
        f"AND {AFTER_EARLIER}"
    )


#: :func:`due_free` without a known-gone rule (SQLite's: it ends a gone process's leases
#: first, :func:`end_leases`).
DUE_FREE = due_free()

#: The number of the newest sync round begun of an outbox row's source: what a reply that
#: may have arrived waits to be passed (``awaits_round``; see :func:`synced_since`).
NEWEST_BEGUN = "(SELECT rounds FROM sources WHERE sources.id = outbox.source_id)"

#: Taking a due row (parameters: this holder, this holder, the clock): leased to this
#: holder for :data:`OUTBOX_LEASE` seconds. A row another holder held while it waited for
#: a round (a reply marked as being sent whose process is gone, its lease run out) waits
#: from now on for a round begun after this: a round begun between the mark and now may
#: have listed the site before the POST arrived and ended well afterwards, so its end
#: says nothing about the reply (the one rule of both backends, in the same transaction
#: as the taking). A row that waits is not left leased (:data:`RELEASE_WAITING`), so
#: only a reply whose POST may have been under way is stamped again.
LEASE_SET = (
    "awaits_round = CASE WHEN leased_by IS NOT NULL AND leased_by <> ? "
    f"AND awaits_round IS NOT NULL THEN {NEWEST_BEGUN} ELSE awaits_round END, "
    f"leased_by = ?, lease_until = CAST(? AS BIGINT) + {OUTBOX_LEASE}"
)

#: What ends a row's lease (its outcome is recorded: done, retried, given up).
NO_LEASE = "leased_by = NULL, lease_until = NULL"

#: An outbox row that waits for a sync round (``awaits_round`` not passed by its source's
#: ``success_round``): the rule of :func:`synced_since`, in SQL.
WAITS_FOR_A_ROUND = (
    "(awaits_round IS NOT NULL AND coalesce((SELECT success_round FROM sources "
    "WHERE sources.id = outbox.source_id), awaits_round) <= awaits_round)"
)

#: After the taking, in its transaction (parameter: this holder): the rows it took that
#: wait for a round (:data:`WAITS_FOR_A_ROUND`) are not held. The worker skips them;
#: when the round has ended, marking it as being sent takes it (:data:`SENDING_SQL`).
#: So a held row with an ``awaits_round`` is one being sent, and a program that takes a
#: waiting row and stops (``sync --once``) does not make the next one wait a round more.
#: Both backends'.
RELEASE_WAITING = (
    f"UPDATE outbox SET {NO_LEASE} WHERE leased_by = ? AND state = 'pending' "
    f"AND {WAITS_FOR_A_ROUND}"
)


def outbox_due(
    db: sqlite3.Connection, now: int, limit: int, holder: str, clock: int
) -> list[OutboxItem]:
    """Take (lease to ``holder``) the due rows no other live worker holds, oldest first,
    in the caller's write transaction (``BEGIN IMMEDIATE``: no other process takes them
    between the choosing and the leasing)."""
    ids = [
        r[0]
        for r in db.execute(
            f"UPDATE outbox SET {LEASE_SET} WHERE id IN (SELECT id FROM outbox "
            f"WHERE {DUE_FREE} ORDER BY id LIMIT ?) RETURNING id",
            (holder, holder, clock, now, holder, clock, limit),
        )
    ]
    if not ids:
        return []
    db.execute(RELEASE_WAITING, (holder,))
    rows = db.execute(
        f"SELECT {OUTBOX_COLS} FROM outbox o JOIN sources s ON s.id = o.source_id "
        f"WHERE o.id IN {placeholders(ids)} ORDER BY o.id",
        ids,
    ).fetchall()
    return [outbox_item_from_row(r) for r in rows]


def due_holders(db: sqlite3.Connection, now: int, clock: int) -> set[str | None]:
    """Who holds the pending rows due at ``now`` whose lease still runs (None: a row
    nobody holds); a read, so the poll that finds nothing to take takes no write lock."""
    rows = db.execute(
        "SELECT DISTINCT CASE WHEN coalesce(lease_until, 0) > ? THEN leased_by END "
        "FROM outbox WHERE state = 'pending' AND coalesce(next_attempt_at, 0) <= ?",
        (clock, now),
    )
    return {r[0] for r in rows}


def local_holder() -> str:
    """A new holder of outbox leases on a SQLite file: where it runs (:func:`_place`), this
    process, and a random part (one per store), so that another store can tell when it is
    gone."""
    return f"{_place()}/{os.getpid()}/{os.urandom(8).hex()}"


@functools.cache
def _place() -> str:
    """Where a process id names one process: this machine, and on Linux this boot and this
    PID namespace too. Two containers (or a Flatpak and the desktop) on one machine share
    its name but not their process ids, and two machines can share a name (cloned, or
    'localhost'): a holder of another place is never taken for gone by its pid. Read once
    per process (every poll that finds a held row asks)."""
    import platform

    place = platform.node()
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
                boot = f.read().strip()
            namespace = os.readlink("/proc/self/ns/pid")
        except OSError:
            return f"{place}#?"  # cannot be told: no holder is of this place
        place = f"{place}#{boot}#{namespace}"
    return place


def holder_gone(holder: str) -> bool:
    """Whether the process of a :func:`local_holder` is known to have ended: it ran in
    this place (machine, boot, PID namespace) and no process has its id (a SIGKILL, a
    power cut of the app). Its leases need not be waited out; one of another place, or of
    a process that may still run, is (its lease runs out by itself), and so is every one
    on Windows (whose ``os.kill`` cannot ask whether a process runs)."""
    place, pid = _holder_place_pid(holder)
    here = _place()
    if os.name != "posix" or place != here or here.endswith("#?") or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it runs as another user
        return False
    return False


def _holder_place_pid(holder: str) -> tuple[str, str]:
    """A holder's place and process id (its last part is the random one)."""
    rest, _, _random = holder.rpartition("/")
    place, _, pid = rest.rpartition("/")
    return place, pid


def end_leases(db: sqlite3.Connection, holders: Sequence[str]) -> None:
    """End the leases of ``holders`` (processes that are gone): their rows are due at once
    (a reply they were sending then waits for a round, see :data:`LEASE_SET`)."""
    db.execute(
        f"UPDATE outbox SET lease_until = 0 WHERE leased_by IN {placeholders(holders)}",
        list(holders),
    )


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
    holder: str | None = None,
) -> bool:
    now = to_epoch(at)
    sent = applied(db.execute(DONE_ROW, (item_id,)).fetchone(), holder)
    if sent is None:
        return False
    rid, jid, is_reply, undone_in_flight = sent
    db.execute(
        "UPDATE outbox SET state = 'done', done_at = ?, attempts = attempts + 1, "
        f"last_error = NULL, awaits_round = NULL, result_external_id = ?, {NO_LEASE} "
        "WHERE id = ?",
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
    return True


#: What ``outbox_done`` reads of its outbox row (parameter: its id); see :func:`applied`.
DONE_ROW = (
    "SELECT response_id, state, last_error, journal_id, capability, leased_by "
    "FROM outbox WHERE id = ?"
)

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


def applied(row: Sequence[Any] | None, holder: str | None = None) -> Applied | None:
    """The :data:`DONE_ROW` of a write-back the platform applied, or None when there is
    nothing to record (the row is gone, or settled and not undone in flight) or nothing
    ``holder`` may record (not None: the row is no longer its own, :data:`HELD`); both
    backends."""
    if row is None:
        return None
    rid, state, last_error, jid, capability, leased_by = row
    if holder is not None and leased_by != holder:
        return None
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


#: A write-back being sent (parameters: the note saying so, since when, this holder, the
#: clock, its id, this holder): it may arrive from now on, so it waits for a round begun
#: after this if the process stops before its outcome is recorded. Only a pending row
#: this holder leases (renewed) or nobody does (leased now): one another worker took
#: meanwhile is not sent (the statement changes no row), nor one that waits for a round
#: now, whatever the worker's copy of it said: another worker took it, sent it, and its
#: answer was lost (it may have arrived), then let it go. Both backends'.
SENDING_SQL = (
    f"UPDATE outbox SET last_error = ?, next_attempt_at = ?, awaits_round = {NEWEST_BEGUN}, "
    f"leased_by = ?, lease_until = CAST(? AS BIGINT) + {OUTBOX_LEASE} "
    "WHERE id = ? AND state = 'pending' AND (leased_by IS NULL OR leased_by = ?) "
    f"AND NOT {WAITS_FOR_A_ROUND}"
)

#: A write-back about to be applied (parameters: the clock, this holder, its id, this
#: holder): its lease renewed, or taken when nobody holds it. One another worker took
#: meanwhile (this worker's lease ran out while it sent the rows before it) is not
#: applied: a status set late would undo what was done since (an undo applied by the
#: other). A reply's mark (:data:`SENDING_SQL`) does the same. Both backends' (in two
#: parts: PostgreSQL's also records that the row is being applied, pg/writeback.py).
HOLD_SET = f"lease_until = CAST(? AS BIGINT) + {OUTBOX_LEASE}, leased_by = ?"
HOLD_WHERE = "WHERE id = ? AND state = 'pending' AND (leased_by IS NULL OR leased_by = ?)"
HOLD_SQL = f"UPDATE outbox SET {HOLD_SET} {HOLD_WHERE}"

#: An outcome recorded only on a row the holder that records it still holds (parameters:
#: that holder or None, the same again): the outbox worker's (``held=True``, the store's
#: holder). Its lease may have run out while it waited for the site's answer (its process
#: stopped, its machine asleep, a slow site) and another program taken the row over: a
#: retry, a failure or a done recorded then would end that program's lease, a decision's
#: row free for a third (or settled, an undo of it applied at once) while the other's
#: request is under way, and say this program's outcome where the other's comes. It
#: changes nothing then, as the mark (:data:`SENDING_SQL`) and the renewal
#: (:data:`HOLD_SQL`) do not. None: any row (a tool's or a test's record). Both backends'.
HELD = "(CAST(? AS TEXT) IS NULL OR leased_by = ?)"

#: A write-back tried again (parameters: the error, when next, whether the platform may
#: have taken it all the same, its id): one it may have taken (a reply) waits for a
#: round begun after now; any other waits for nothing. Its lease ends (any worker takes
#: it when due). Both backends'.
RETRY_SET = (
    "attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
    f"awaits_round = CASE WHEN ? THEN {NEWEST_BEGUN} END, {NO_LEASE}"
)
#: Which row it sets (parameters: its id, then :data:`HELD`'s; after :data:`RETRY_SET`'s).
RETRY_WHERE = f"WHERE id = ? AND state = 'pending' AND {HELD}"


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
    "UPDATE outbox SET state = 'pending', next_attempt_at = ?, expected_status = NULL, "
    "failure_kind = NULL "
    "WHERE id = ? AND state IN ('failed', 'conflict')"
)


def outbox_sending(
    db: sqlite3.Connection, item_id: int, note: str, at: datetime, holder: str, clock: int
) -> bool:
    params = (note, to_epoch(at), holder, clock, item_id, holder)
    return db.execute(SENDING_SQL, params).rowcount > 0


def outbox_hold(db: sqlite3.Connection, item_id: int, holder: str, clock: int) -> bool:
    return db.execute(HOLD_SQL, (clock, holder, item_id, holder)).rowcount > 0


def outbox_retry(
    db: sqlite3.Connection,
    item_id: int,
    error: str,
    next_attempt_at: datetime,
    unsure: bool,
    holder: str | None = None,
) -> bool:
    params = (error, to_epoch(next_attempt_at), unsure, item_id, holder, holder)
    return db.execute(f"UPDATE outbox SET {RETRY_SET} {RETRY_WHERE}", params).rowcount > 0


#: What a write-back given up on sets (parameters: its state, the error, the site's status
#: a conflict found or None, why no resend can succeed by itself or None), its lease
#: ended; both backends'. A
#: conflict's status becomes the one expected: the moderator is told it, and a retry (the
#: same row sent again, :func:`reactieveld.store.actions.plan_resend`) goes through unless
#: the comment changed once more.
FAIL_SET = (
    "state = ?, attempts = attempts + 1, last_error = ?, awaits_round = NULL, "
    f"expected_status = coalesce(?, expected_status), failure_kind = ?, {NO_LEASE}"
)
#: Which row it sets (parameters: its id, then :data:`HELD`'s; after :data:`FAIL_SET`'s).
FAIL_WHERE = f"WHERE id = ? AND state = 'pending' AND {HELD}"
#: SQLite's statement of it.
FAIL_SQL = f"UPDATE outbox SET {FAIL_SET} {FAIL_WHERE}"


def outbox_fail(
    db: sqlite3.Connection,
    item_id: int,
    state: str,
    error: str,
    seen: str | None = None,
    kind: str | None = None,
    holder: str | None = None,
) -> bool:
    return db.execute(FAIL_SQL, (state, error, seen, kind, item_id, holder, holder)).rowcount > 0


def outbox_requeue(db: sqlite3.Connection, item_id: int, now: int) -> None:
    db.execute(REQUEUE_SQL, (now, item_id))
