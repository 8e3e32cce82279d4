"""The outbox on PostgreSQL: ``outbox_due`` (``FOR UPDATE SKIP LOCKED`` and a lease: two
workers never take one item), ``outbox_items``, ``outbox_done``, ``outbox_sending``,
``outbox_retry``, ``outbox_fail``, ``outbox_requeue``.

The rules are the SQLite side's (store/writeback.py: a decision undone while in flight,
our own sent reply kept in its thread, a later pending decision not overwritten); the
rows map with the same :func:`~reactieveld.store.rows.outbox_item_from_row`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import asyncpg

from reactieveld.model import (
    ActionKind,
    Capability,
    OutboxItem,
    RemoteStatus,
    Response,
    TagKind,
    utcnow,
)
from reactieveld.store.ingest import (
    PLATFORM_HASH_COLS,
    content_hash,
    json_text,
    platform_hash_of,
)
from reactieveld.store.pg.actions import add_tag, enqueue_reverse
from reactieveld.store.pg.base import counts_lock, dollar
from reactieveld.store.pg.ingest import search_vector, title_of
from reactieveld.store.pg.live import notify
from reactieveld.store.pg.locks import Locks, holder_lock_held
from reactieveld.store.rows import OUTBOX_COLS, outbox_item_from_row, to_epoch
from reactieveld.store.writeback import (
    DONE_ROW,
    FAIL_SQL,
    HOLD_SET,
    HOLD_WHERE,
    LEASE_SET,
    NO_LEASE,
    RELEASE_WAITING,
    REQUEUE_SQL,
    RETRY_SET,
    RETRY_WHERE,
    SENDING_SQL,
    STATUS_UNLESS_LATER,
    applied,
    due_free,
    sent_reply,
)

#: The number of an outbox row's holder, as text (``pg:<n>:<random>``, locks.py).
_NUMBER = "split_part(outbox.leased_by, ':', 2)"

#: A row whose holder is known to have stopped: a store of this database (``pg:``) whose
#: holder lock nobody holds (locks.py): its process was killed or closed, its machine or
#: network went away, its session was ended. The server knows; its rows are free at once,
#: not after the lease (a reply a killed ``reactieveld sync`` had taken is sent by the
#: next program, not ten minutes later). A holder of an older version (a bare random hex,
#: no lock) is waited for as before.
#:
#: Not a row its holder has begun to apply: a session can end while its process lives,
#: and that process may be sending the row's request right now. A reply being sent (held
#: with an ``awaits_round``: ``RELEASE_WAITING`` leaves only those held so) and a decision
#: being applied (``being_applied``, set by ``outbox_hold``, pg migration 0016) keep their
#: lease (longer than any one request); a reply then waits for a round begun after it is
#: taken (``LEASE_SET``), as before. So a reply is never sent twice: its holder marked it
#: (``SENDING_SQL``, only while its lock was held, ``_MINE``) before the POST, and nobody
#: else takes a marked row before its lease runs out, and no request of it leaves after
#: half of that (outbox.SEND_WITHIN: its process stopped, its machine asleep between the
#: mark and the POST). And a decision never lands after a later one: were its row taken
#: while its request was under way, the other program would apply it and then the
#: moderator's undo (or next decision), and the late request would set the comment back.
#: Every row is applied only after ``outbox_hold`` or the mark renewed it with the lock
#: held, so a process whose session ended applies none it had taken and another took
#: meanwhile.
HOLDER_GONE = (
    "(outbox.leased_by LIKE 'pg:%' AND outbox.awaits_round IS NULL "
    f"AND NOT outbox.being_applied AND NOT {holder_lock_held(_NUMBER)})"
)

#: This holder's lock held now (parameter: its n, as text), after the conditions of
#: ``HOLD_SQL`` and ``SENDING_SQL``: a store whose lock's session ended (it is taken
#: again at the next ``outbox_due``) neither renews nor marks a row.
_MINE = f" AND {holder_lock_held('?')}"
#: Whether this holder's lock is held (parameter: its n, as text), asked by ``outbox_due``
#: before it takes anything: a session can end without its connection here hearing of it
#: (the server restarted or failed over, a NAT or firewall dropped the idle connection);
#: the rows it took would then never be sent (``_MINE`` refuses them), taken again and
#: again by this store alone.
_HELD = f"SELECT {holder_lock_held('$1')}"

#: Taking the due rows no other worker holds (parameters: the moment, this holder, the
#: clock, the limit, this holder twice, the clock, this holder): SQLite's rule (store/writeback.py
#: ``outbox_due``), and the rows of a holder known to have stopped (:data:`HOLDER_GONE`);
#: rows another transaction is taking skipped. A row taken from another holder (or free)
#: is not being applied (``being_applied``); one this holder took again may still be.
_TAKE = dollar(
    f"WITH due AS (SELECT id FROM outbox WHERE {due_free(HOLDER_GONE)} ORDER BY id LIMIT ? "
    f"FOR UPDATE SKIP LOCKED) UPDATE outbox SET {LEASE_SET}, being_applied = "
    "(outbox.being_applied AND outbox.leased_by IS NOT DISTINCT FROM ?) FROM due "
    "WHERE outbox.id = due.id RETURNING outbox.id"
)
#: A reply marked as being sent, and a write-back's lease renewed (SQLite's statements),
#: only while this holder's lock is held (:data:`_MINE`: parameter its n after theirs);
#: the renewed one is being applied from then on (:data:`HOLDER_GONE` leaves it).
_SENDING = dollar(SENDING_SQL + _MINE)
_HOLD = dollar(f"UPDATE outbox SET {HOLD_SET}, being_applied = true {HOLD_WHERE}{_MINE}")
#: A write-back tried again (SQLite's ``RETRY_SET``: its lease ended; ``HELD``: only one
#: the worker recording it still holds, when it says so).
_RETRY = dollar(f"UPDATE outbox SET {RETRY_SET} {RETRY_WHERE}")
#: A write-back given up on (SQLite's ``FAIL_SQL``: its lease ended; ``HELD`` likewise).
_FAIL = dollar(FAIL_SQL)
#: The clock leases run by (Unix seconds): the server's, one for every machine of a team
#: (a client's clock ten minutes ahead would see every other worker's lease run out).
_CLOCK = "SELECT floor(extract(epoch FROM clock_timestamp()))::bigint"


class Writeback(Locks):
    """The outbox; see SqliteStore's methods of the same names. Who holds an outbox lease:
    this store (one per app or sync process), its holder lock held (``outbox_holder``)."""

    async def outbox_due(self, *, limit: int = 20, now: datetime | None = None) -> list[OutboxItem]:
        """Pending write-backs whose next attempt is due, oldest first: those no other
        worker holds, leased to this store (it sees them again until their outcome is
        recorded; another store does not until the lease runs out or this store's holder
        lock is no longer held: :data:`HOLDER_GONE`)."""
        t = to_epoch(now or utcnow()) or 0

        async def tx(conn: asyncpg.Connection) -> list[OutboxItem] | None:
            if not await conn.fetchval(_HELD, _number(me)):
                return None  # its holder lock is not held: nothing it took could be sent
            # Leases run by the server's clock, whatever moment ``now`` asks about.
            clock = await conn.fetchval(_CLOCK)
            ids = await conn.fetch(_TAKE, t, me, clock, limit, me, me, clock, me)
            await conn.execute(dollar(RELEASE_WAITING), me)
            rows = await conn.fetch(
                f"SELECT {OUTBOX_COLS} FROM outbox o JOIN sources s ON s.id = o.source_id "
                "WHERE o.id = ANY($1::bigint[]) ORDER BY o.id",
                [r[0] for r in ids],
            )
            return [outbox_item_from_row(r) for r in rows]

        if self.read_only:  # a reader looks, and leases nothing
            return []
        me = await self.outbox_holder()
        taken = await self._write(tx)
        if taken is None:  # its session ended, and its end never reached this process
            self._holder_lost()
            me = await self.outbox_holder()  # the lock taken again, on a new connection
            taken = await self._write(tx)
        return taken or []

    async def outbox_items(
        self, *, states: Sequence[str] = (), limit: int = 100, response_id: int | None = None
    ) -> list[OutboxItem]:
        """Outbox rows, newest first, optionally of some states or of one response."""
        where = "WHERE o.state = ANY($2::text[])" if states else "WHERE $2::text[] IS NULL"
        rows = await self._read(
            lambda c: c.fetch(
                f"SELECT {OUTBOX_COLS} FROM outbox o JOIN sources s ON s.id = o.source_id "
                f"{where} AND ($3::bigint IS NULL OR o.response_id = $3) "
                "ORDER BY o.id DESC LIMIT $1",
                limit,
                list(states) or None,
                response_id,
            )
        )
        return [outbox_item_from_row(r) for r in rows]

    async def outbox_done(
        self,
        item_id: int,
        *,
        remote_status: RemoteStatus | None = None,
        external_id: str | None = None,
        held: bool = False,
    ) -> bool:
        """Record that a write-back was applied (with what the platform reported); False,
        nothing changed: recorded already, or (``held``) no longer this store's (see
        SqliteStore)."""
        at = utcnow()
        now = to_epoch(at) or 0
        me = await self.outbox_holder() if held else None

        async def tx(conn: asyncpg.Connection) -> bool:
            await counts_lock(conn)
            # The response's row before the outbox's, as the actions lock them (an undo
            # may be cancelling this very row): never a circle of two waits.
            await conn.execute(
                "SELECT 1 FROM responses WHERE id = (SELECT response_id FROM outbox "
                "WHERE id = $1) FOR UPDATE",
                item_id,
            )
            row = await conn.fetchrow(dollar(DONE_ROW) + " FOR UPDATE", item_id)
            sent = applied(row, me)
            if sent is None:
                return False
            rid, jid, is_reply, undone_in_flight = sent
            await conn.execute(
                "UPDATE outbox SET state = 'done', done_at = $1, attempts = attempts + 1, "
                "last_error = NULL, awaits_round = NULL, result_external_id = $2, "
                f"{NO_LEASE} WHERE id = $3",
                now,
                external_id,
                item_id,
            )
            if await self._store_sent_reply(conn, item_id, external_id, remote_status, at):
                pass  # the status the platform reported is the reply's, not its parent's
            elif external_id and rid is not None:
                await _rekey(conn, rid, external_id)
            if remote_status is not None and rid is not None and not is_reply:
                stored = await conn.fetchrow(
                    f"SELECT {PLATFORM_HASH_COLS} FROM responses WHERE id = $1", rid
                )
                if stored is not None:
                    await conn.execute(
                        "UPDATE responses SET content_hash = $1 WHERE id = $2",
                        platform_hash_of(stored, remote_status.value),
                        rid,
                    )
                # Only when no later decision on the same response is still pending.
                if not undone_in_flight:
                    await conn.execute(
                        dollar(STATUS_UNLESS_LATER), remote_status.value, rid, rid, item_id
                    )
            if undone_in_flight and jid is not None:
                kind, before, after = await conn.fetchrow(
                    "SELECT kind, before, after FROM actions WHERE id = $1", jid
                )
                await enqueue_reverse(
                    conn, item_id, ActionKind(kind), json.loads(before), json.loads(after), now
                )
            if rid is not None:
                await notify(conn, [rid])
            return True

        return await self._write(tx)

    async def _store_sent_reply(
        self,
        conn: asyncpg.Connection,
        item_id: int,
        external_id: str | None,
        remote_status: RemoteStatus | None,
        at: datetime,
    ) -> bool:
        """For a reply the platform accepted: keep our own answer as a response in its
        thread at once (see SQLite's ``_store_sent_reply``). True when it was a reply."""
        row = await conn.fetchrow(
            "SELECT o.capability, s.name, o.external_id, o.thread_external_id, o.text, "
            "a.actor, o.source_id FROM outbox o JOIN sources s ON s.id = o.source_id "
            "LEFT JOIN actions a ON a.id = o.journal_id WHERE o.id = $1",
            item_id,
        )
        if row is None or row[0] != Capability.REPLY.value:
            return False
        _, source, parent_ext, thread_ext, text, actor, sid = row
        if not external_id:
            return True
        exists = await conn.fetchval(
            "SELECT 1 FROM responses WHERE source_id = $1 AND external_id = $2",
            sid,
            external_id,
        )
        if exists is None:
            reply = sent_reply(
                source, parent_ext, thread_ext, text, actor, external_id, remote_status, at
            )
            await self._insert_own_reply(conn, sid, reply, to_epoch(at) or 0)
        return True

    async def _insert_own_reply(
        self, conn: asyncpg.Connection, sid: int, reply: Response, now: int
    ) -> None:
        # The columns ingest writes for a new response, its search vector included
        # (pg/ingest.search_vector: the same weights and the thread's title).
        vector = search_vector("$6", "$5", title_of("$1", "$3"))
        rid = await conn.fetchval(
            "INSERT INTO responses (source_id, external_id, thread_external_id, "
            "parent_external_id, author_name, body_text, body_raw, body_format, created_at, "
            "fetched_at, remote_status, triage, role_hint, meta, content_hash, search) "
            f"VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9,$10,$11,$12,$13,$14, {vector}) "
            "RETURNING id",
            sid,
            reply.external_id,
            reply.thread_external_id,
            reply.parent_external_id,
            reply.author_name,
            reply.body_text,
            reply.body_raw,
            reply.body_format,
            now,
            reply.remote_status.value,
            reply.triage.value,
            reply.role_hint,
            json_text(reply.meta),
            content_hash(reply, None),
        )
        if reply.role_hint:
            await add_tag(
                conn, self.codebook_version, rid, TagKind.ROLE, reply.role_hint, now, "connector"
            )

    async def outbox_sending(self, item_id: int, *, note: str, at: datetime) -> bool:
        """Mark a write-back as being sent since ``at``, its lease renewed; False when it
        is no longer this store's to send (see SqliteStore)."""
        me = await self.outbox_holder()

        async def tx(conn: asyncpg.Connection) -> str:
            clock = await conn.fetchval(_CLOCK)
            return str(
                await conn.execute(
                    _SENDING, note, to_epoch(at), me, clock, item_id, me, _number(me)
                )
            )

        return await self._write(tx) != "UPDATE 0"

    async def outbox_hold(self, item_id: int) -> bool:
        """Renew this store's lease of a write-back it is about to apply; False when it is
        no longer this store's to apply (see SqliteStore)."""
        me = await self.outbox_holder()

        async def tx(conn: asyncpg.Connection) -> str:
            clock = await conn.fetchval(_CLOCK)
            return str(await conn.execute(_HOLD, clock, me, item_id, me, _number(me)))

        return await self._write(tx) != "UPDATE 0"

    async def outbox_retry(
        self,
        item_id: int,
        *,
        error: str,
        next_attempt_at: datetime,
        unsure: bool = False,
        held: bool = False,
    ) -> bool:
        """Record a failed attempt that will be tried again at ``next_attempt_at`` (by
        any worker: the lease ends); ``unsure``, ``held`` and False: see SqliteStore."""
        me = await self.outbox_holder() if held else None
        at = to_epoch(next_attempt_at)
        done = await self._write(lambda c: c.execute(_RETRY, error, at, unsure, item_id, me, me))
        return str(done) != "UPDATE 0"

    async def outbox_fail(
        self,
        item_id: int,
        *,
        error: str,
        conflict: bool = False,
        remote_status: RemoteStatus | None = None,
        kind: str | None = None,
        held: bool = False,
    ) -> bool:
        """Give up on a write-back: a person must look (``conflict``: the remote changed;
        ``remote_status``: to what, expected by a retry, see FAIL_SET; ``kind``: why no
        resend can succeed by itself, ``model_values.FAILURE_KINDS``); ``held`` and False:
        see SqliteStore."""
        me = await self.outbox_holder() if held else None
        done = await self._write(
            lambda c: c.execute(
                _FAIL,
                "conflict" if conflict else "failed",
                error,
                remote_status.value if remote_status is not None else None,
                kind,
                item_id,
                me,
                me,
            )
        )
        return str(done) != "UPDATE 0"

    async def outbox_requeue(self, item_id: int) -> None:
        """Try a failed or conflicting write-back again (the moderator decided to)."""
        now = to_epoch(utcnow())
        await self._write(lambda c: c.execute(dollar(REQUEUE_SQL), now, item_id))


def _number(holder: str) -> str:
    """The number of a holder's lock (``pg:<n>:<random>``), as pg_locks' text has it."""
    return holder.split(":")[1]


async def _rekey(conn: asyncpg.Connection, rid: int, new_ext: str) -> None:
    """The platform gave the item a new id (see SQLite's ``rekey``): move the row, unless
    a row with that id exists already."""
    await conn.execute(
        "UPDATE responses r SET external_id = $2 WHERE r.id = $1 AND r.external_id <> $2 "
        "AND NOT EXISTS (SELECT 1 FROM responses o WHERE o.source_id = r.source_id "
        "AND o.external_id = $2)",
        rid,
        new_ext,
    )
