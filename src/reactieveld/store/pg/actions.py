"""Moderator actions on PostgreSQL, each one transaction (state + journal with
``session_user`` as actor + outbox + NOTIFY): ``moderate``, ``mark_handled``,
``toggle_question``, ``set_role``, ``add_note``, ``reply``, ``undo_last``, ``enqueue``.

Two moderators may decide the same rows at once: every action first locks the rows it
changes (``SELECT ... FOR UPDATE``, in id order, so two actions never wait on each other
in a circle), then checks ``seen`` against the versions as they are now, then changes
them. The rules (what a decision skips, what undo restores, the reverse of a sent
write-back) are the SQLite side's (store/actions.py); only the SQL is PostgreSQL's."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import asyncpg

if TYPE_CHECKING:
    from reactieveld.rules import RuleSet
    from reactieveld.store.values import Coding

from reactieveld.i18n import stored
from reactieveld.model import (
    Action,
    ActionKind,
    Capability,
    DecisionReason,
    RemoteStatus,
    TagKind,
)
from reactieveld.store import planner as _planner
from reactieveld.store.actions import (
    CANCEL_UNDONE,
    CHANGED_SINCE_SQL,
    HISTORY_LIKE,
    LAST_BATCH_SQL,
    OUTBOX_COLUMNS,
    UNDO_ENTRIES_SQL,
    Retried,
    Step,
    UndoEntry,
    capability_for,
    entry_version,
    journal_json,
    now_epoch,
    outbox_values,
    plan_handle,
    plan_moderate,
    plan_question,
    plan_reply,
    plan_resend,
    plan_resends,
    plan_role,
    plan_rule_hold,
    plan_undo,
    reason_columns,
    resend_candidates,
    retried_from_row,
    reverse_action,
    stamp,
    undo_entries,
    undo_sent,
)
from reactieveld.store.base import (
    ActionOutcome,
    QueueFilter,
    ResendPlan,
    StoreError,
    UpsertResult,
)
from reactieveld.store.codings import (
    CODERS_SQL,
    DONE_SQL,
    MIRRORED_KINDS,
    OPEN_DIFFERENCE_SQL,
    RESPONSE_CODINGS_SQL,
    ROUTE_SQL,
    SEEN_BY_OTHERS_SQL,
    UNCODED_SQL,
    UPSERT_SQL,
    CodeStep,
    Route,
    changed,
    coding_of,
    codings_sql,
    done_change,
    questions_of,
    resolve_step,
    roles_and_questions,
    routes,
    upsert_params,
)
from reactieveld.store.ingest import storable
from reactieveld.store.pg.base import PgBase, counts_lock, dollar
from reactieveld.store.pg.claims import guarded
from reactieveld.store.pg.live import notify
from reactieveld.store.rows import NEWEST_OUTBOX_SQL
from reactieveld.store.screening import (
    FLAG_COLUMNS,
    HAS_OPEN_FLAG,
    LAPSE_FLAGS,
    OPEN_RULES_OF,
    REOPEN_LAPSED,
    UNDECIDED,
    holds_by_rule,
    lapsed,
    rule_actor,
    screen,
    settled,
)

#: What an action reads of each row (the columns of SQLite's ``_targets``), unlocked.
_TARGET_READ_SQL = (
    "SELECT r.id, s.name, r.external_id, r.thread_external_id, r.remote_status, r.triage, "
    f"r.meta, {HAS_OPEN_FLAG}, r.body_text, r.body_raw FROM responses r "
    "JOIN sources s ON s.id = r.source_id "
    "WHERE r.id = ANY($1::bigint[]) ORDER BY r.id"
)
#: The same, locking the rows an action changes.
_TARGET_SQL = _TARGET_READ_SQL + " FOR UPDATE OF r"
#: Each response's newest write-back and its decision's reason, in one statement.
_NEWEST_OUTBOX = NEWEST_OUTBOX_SQL.format(ids="(SELECT unnest($1::bigint[]))")

#: An undo's batch and the responses others changed since (store/actions.py), as this role.
_LAST_BATCH = dollar(LAST_BATCH_SQL.format(actor="session_user"))
_CHANGED_SINCE = dollar(CHANGED_SINCE_SQL.format(actor="session_user", ids="= ANY(?::bigint[])"))

#: A coder's coding written, and said done (store/codings.py), in PostgreSQL's placeholders.
_UPSERT = dollar(UPSERT_SQL)
_UNCODED = dollar(UNCODED_SQL)
_SEEN_BY_OTHERS = dollar(SEEN_BY_OTHERS_SQL)
_DONE = dollar(DONE_SQL)


async def lock_targets(
    conn: asyncpg.Connection, ids: Sequence[int], also: Sequence[int] = ()
) -> list[asyncpg.Record]:
    """Lock the rows of ``ids`` (and ``also``: e.g. the ones of ``seen``) in id order and
    return those of ``ids`` in the caller's order: (id, source, external id, thread,
    status, triage, meta, open flag, text, raw text), read after the lock, so as the last
    committed action left them."""
    rows = await conn.fetch(_TARGET_SQL, sorted({*ids, *also}))
    order = {rid: i for i, rid in enumerate(ids)}
    return sorted((r for r in rows if r[0] in order), key=lambda r: order[r[0]])


async def newest_writebacks(conn: asyncpg.Connection, ids: Sequence[int]) -> dict[int, Retried]:
    """The newest outbox row of each response of ``ids`` that has one, with its
    decision's reason (SQLite's ``newest_writebacks``)."""
    if not ids:
        return {}
    rows = await conn.fetch(_NEWEST_OUTBOX, list(ids))
    return {row[2]: retried_from_row(row) for row in rows}


async def journal(
    conn: asyncpg.Connection,
    *,
    kind: ActionKind,
    response_id: int | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    batch: str | None,
    now: int,
    undoes: int | None = None,
) -> int:
    """One journal entry; its actor is the connection's role (``session_user``), written
    by SQL so that nobody journals under another's name."""
    return int(
        await conn.fetchval(
            "INSERT INTO actions (at, actor, kind, response_id, before, after, undoes, batch, "
            f"version) VALUES ($1, session_user, $2, $3, $4, $5, $6, $7, {entry_version('$3')}) "
            "RETURNING id",
            now,
            kind.value,
            response_id,
            journal_json(before),
            journal_json(after),
            undoes,
            batch,
        )
    )


async def enqueue_row(
    conn: asyncpg.Connection,
    source_id: int,
    action: Action,
    *,
    response_id: int | None,
    journal_id: int | None,
    now: int,
) -> int:
    """One outbox row for ``action`` (of the source with id ``source_id``)."""
    return int(
        await conn.fetchval(
            f"INSERT INTO outbox ({OUTBOX_COLUMNS}) "
            "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id",
            source_id,
            response_id,
            journal_id,
            *outbox_values(action),
            now,
        )
    )


async def journal_many(
    conn: asyncpg.Connection,
    kind: ActionKind,
    entries: Sequence[tuple[int, Mapping[str, Any], Mapping[str, Any]]],
    *,
    batch: str,
    now: int,
    reason: DecisionReason | None = None,
    reasons: Mapping[int, DecisionReason | None] | None = None,
    rule: str | None = None,
) -> list[int]:
    """:func:`journal` for many responses in one statement (a decision on a hundred
    rows is one round trip, not a hundred): (response id, before, after) each, one entry
    per response, each with the decision's ``reason`` or its own in ``reasons`` (by
    response id: a resend's); their ids in the order of ``entries``. ``rule``: a
    moderation rule's decision, journalled as ``rule:<name>`` instead of the
    connection's role."""
    if not entries:
        return []
    own = reasons or {}
    columns = [reason_columns(own.get(e[0], reason)) for e in entries]
    rows = await conn.fetch(
        "INSERT INTO actions (at, actor, kind, response_id, before, after, batch, reason, "
        "reason_text, version) SELECT $1, coalesce($7, session_user), $2, t.rid, t.before, "
        f"t.after, $3, t.reason, t.reason_text, {entry_version('t.rid')} "
        "FROM unnest($4::bigint[], $5::text[], $6::text[], $8::text[], $9::text[]) "
        "WITH ORDINALITY AS t(rid, before, after, reason, reason_text, n) ORDER BY t.n "
        "RETURNING id, response_id",
        now,
        kind.value,
        batch,
        [e[0] for e in entries],
        [journal_json(e[1]) for e in entries],
        [journal_json(e[2]) for e in entries],
        None if rule is None else rule_actor(rule),
        [c[0] for c in columns],
        [c[1] for c in columns],
    )
    ids = {r[1]: r[0] for r in rows}  # one entry per response: the id is its key
    return [int(ids[e[0]]) for e in entries]


async def enqueue_many(
    conn: asyncpg.Connection,
    queued: Sequence[tuple[int, Action, int, int]],
    *,
    now: int,
) -> list[int]:
    """:func:`enqueue_row` for many (source id, action, response id, journal id) in one
    statement, one per response; the outbox ids in the order of ``queued``."""
    if not queued:
        return []
    values = [outbox_values(q[1]) for q in queued]
    rows = await conn.fetch(
        f"INSERT INTO outbox ({OUTBOX_COLUMNS}) "
        "SELECT t.sid, t.rid, t.jid, t.cap, t.ext, t.thread, t.body, t.expected, t.meta, "
        "t.digest, $1, $1 FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], "
        "$6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[]) "
        "WITH ORDINALITY AS t(sid, rid, jid, cap, ext, thread, body, expected, meta, digest, n) "
        "ORDER BY t.n RETURNING id, response_id",
        now,
        [q[0] for q in queued],
        [q[2] for q in queued],
        [q[3] for q in queued],
        *(list(column) for column in zip(*values, strict=True)),
    )
    ids = {r[1]: r[0] for r in rows}
    return [int(ids[q[2]]) for q in queued]


async def add_tag(
    conn: asyncpg.Connection,
    codebook_version: str,
    rid: int,
    kind: TagKind,
    code: str,
    now: int,
    actor: str | None = None,
) -> None:
    """Tag a response (nothing when it has the tag). ``actor`` None: the connection's
    role; "undo" for a tag an undo puts back and "connector" for our own sent reply's
    role (as on SQLite)."""
    await conn.execute(
        "INSERT INTO tags (response_id, kind, code, codebook_version, created_at, actor, "
        "response_created) SELECT id, $2, $3, $4, $5, coalesce($6, session_user), created_at "
        "FROM responses WHERE id = $1 ON CONFLICT DO NOTHING",
        rid,
        kind.value,
        code,
        codebook_version,
        now,
        actor,
    )


async def _role(conn: asyncpg.Connection, rid: int) -> str | None:
    code = await conn.fetchval(
        "SELECT code FROM tags WHERE response_id = $1 AND kind = 'role'", rid
    )
    return None if code is None else str(code)


async def _set_role(
    conn: asyncpg.Connection,
    codebook_version: str,
    rid: int,
    code: str | None,
    now: int,
    actor: str | None = None,
) -> None:
    await conn.execute("DELETE FROM tags WHERE response_id = $1 AND kind = 'role'", rid)
    if code:
        await add_tag(conn, codebook_version, rid, TagKind.ROLE, code, now, actor)


async def settle_flags(
    conn: asyncpg.Connection,
    decided: Sequence[tuple[int, str]],
    outcome: ActionOutcome,
    steps: Sequence[Step],
    now: int,
) -> None:
    """A moderator decided (response id, status left at): its open rule flags settled,
    with the decision's journal entry (the rule of store/actions.py ``settle_flags``)."""
    if not decided:
        return
    journal_of = {s[0]: j for s, j in zip(steps, outcome.journal_ids, strict=True)}
    await conn.execute(
        "UPDATE rule_flags f SET state = t.state, resolved_at = $1, resolved_by = session_user, "
        "resolved_journal = t.jid FROM unnest($2::bigint[], $3::text[], $4::bigint[]) "
        f"AS t (rid, state, jid) WHERE f.response_id = t.rid AND f.{UNDECIDED}",
        now,
        [rid for rid, _ in decided],
        [settled(status) for _, status in decided],
        [journal_of.get(rid) for rid, _ in decided],
    )


class Actions(PgBase):
    """The moderator's actions; see SqliteStore's methods of the same names for what
    each does. ``actor=`` is accepted for the protocol and ignored: the journal, tags,
    notes and undo go by ``session_user``."""

    async def _act(
        self,
        ids: Sequence[int],
        seen: Mapping[int, int] | None,
        step: Callable[[asyncpg.Connection, list[asyncpg.Record]], Awaitable[ActionOutcome]],
        *,
        actor: str,
        decided: bool,
    ) -> ActionOutcome:
        """One action's transaction: lock, check ``seen`` (refused whole when stale),
        ``step``, end ``actor``'s claims on the rows of a decision (``decided``; claims go
        by the name the app gives, see store/pg/claims.py), tell the others (NOTIFY, sent
        on commit)."""

        async def tx(conn: asyncpg.Connection) -> ActionOutcome:
            await counts_lock(conn)
            targets = await lock_targets(conn, ids, list(seen or ()))
            rids = [t[0] for t in targets]
            # After the lock: a version read now is the one this action would change.
            outcome = await guarded(
                conn,
                seen,
                lambda: step(conn, targets),
                actor=actor,
                decided=rids if decided else (),
            )
            if outcome.changed:
                await notify(conn, rids)
            return outcome

        return await self._write(tx)

    async def enqueue(self, action: Action, *, response_id: int | None = None) -> int:
        """Queue a write-back that is not a moderator decision (e.g. a sink delivery)."""
        now = now_epoch()

        async def tx(conn: asyncpg.Connection) -> int:
            sid = await self._source_id(conn, action.source)
            return await enqueue_row(
                conn, sid, action, response_id=response_id, journal_id=None, now=now
            )

        return await self._write(tx)

    async def moderate(
        self,
        ids: Sequence[int],
        status: RemoteStatus,
        *,
        actor: str,
        write_back: bool = True,
        seen: Mapping[int, int] | None = None,
        reason: DecisionReason | None = None,
    ) -> ActionOutcome:
        """Set the remote status of responses and mark them handled, with the decision's
        ``reason`` (see SqliteStore)."""
        capability = capability_for(status)
        now, batch = stamp()

        async def step(conn: asyncpg.Connection, targets: list[asyncpg.Record]) -> ActionOutcome:
            steps = plan_moderate(targets, status, capability, write_back=write_back, reason=reason)
            kept = ResendPlan()
            if write_back:
                newest = await newest_writebacks(conn, resend_candidates(targets, status))
                steps, kept = plan_resend(steps, targets, status, newest, reason)
            outcome = await self._decide(
                conn, steps, status, batch=batch, now=now, reason=reason, reasons=kept
            )
            await settle_flags(conn, [(t[0], status.value) for t in targets], outcome, steps, now)
            return replace(outcome, refused=kept.refused)

        return await self._act(ids, seen, step, actor=actor, decided=True)

    async def resends(self, ids: Sequence[int], what: RemoteStatus | Capability) -> ResendPlan:
        """What a decision on ``what`` pressed again does: the responses it sends again,
        with their reasons, and those it does not, with why (see SqliteStore)."""

        async def read(conn: asyncpg.Connection) -> ResendPlan:
            rows = await conn.fetch(_TARGET_READ_SQL, list(ids))
            newest = await newest_writebacks(conn, resend_candidates(rows, what))
            return plan_resends(rows, what, newest)

        return await self._read(read)

    async def _decide(
        self,
        conn: asyncpg.Connection,
        steps: Sequence[Step],
        status: RemoteStatus,
        *,
        batch: str,
        now: int,
        rule: str | None = None,
        reason: DecisionReason | None = None,
        reasons: Mapping[int, DecisionReason | None] | None = None,
    ) -> ActionOutcome:
        """A decision's planned ``steps``: journal (with the decision's ``reason``, a
        resend with its own in ``reasons``), outbox, state (each row's triage as its step
        says: a rule's hold keeps it)."""
        journal_ids = await journal_many(
            conn,
            ActionKind.MODERATE,
            [s[:3] for s in steps],
            batch=batch,
            now=now,
            rule=rule,
            reason=reason,
            reasons=reasons,
        )
        queued = [
            (await self._source_id(conn, action.source), action, rid, jid)
            for (rid, _b, _a, action), jid in zip(steps, journal_ids, strict=True)
            if action is not None
        ]
        outbox_ids = await enqueue_many(conn, queued, now=now)
        await conn.execute(
            "UPDATE responses r SET remote_status = $1, triage = t.triage "
            "FROM unnest($2::bigint[], $3::text[]) AS t (id, triage) WHERE r.id = t.id",
            status.value,
            [s[0] for s in steps],
            [s[2]["triage"] for s in steps],
        )
        return ActionOutcome(tuple(journal_ids), tuple(outbox_ids), len(journal_ids))

    async def apply_rules(
        self,
        conn: asyncpg.Connection,
        result: UpsertResult,
        rules: RuleSet,
        texts: Sequence[tuple[int, str | None, str | None]],
        *,
        write_back: bool,
        now: int,
    ) -> UpsertResult:
        """The moderation rules on a page's new and changed responses (``texts``: id,
        body, the title its author wrote or None), in the page's transaction (the rules
        of store/actions.py ``apply_rules``)."""
        matches, slow = screen(texts, rules)
        read = [t[0] for t in texts]
        if read:  # a rule that no longer matches a text read again: its open flags lapse
            sql = OPEN_RULES_OF.format(ids="= ANY($1::bigint[])")
            gone = lapsed(await conn.fetch(sql, read), read, matches, slow, rules)
            if gone:
                await conn.executemany(dollar(LAPSE_FLAGS), [(now, now, *g) for g in gone])
        new: list[tuple[int, str, str]] = []
        if matches:
            rows = await conn.fetch(
                f"INSERT INTO rule_flags ({FLAG_COLUMNS}) "
                "SELECT t.rid, t.rule, t.action, t.h, $5 FROM unnest($1::bigint[], $2::text[], "
                "$3::text[], $4::bigint[]) WITH ORDINALITY AS t(rid, rule, action, h, n) "
                "ORDER BY t.n ON CONFLICT DO NOTHING RETURNING response_id, rule, action",
                [m.response_id for m in matches],
                [m.rule for m in matches],
                [m.action for m in matches],
                [m.text_hash for m in matches],
                now,
            )
            new = [(int(r[0]), r[1], r[2]) for r in rows]
            for m in matches:  # this text flagged before: open again if it had lapsed
                if await conn.fetchval(
                    dollar(REOPEN_LAPSED) + " RETURNING 1", m.response_id, m.rule, m.text_hash
                ):
                    new.append((m.response_id, m.rule, m.action))
        held: list[int] = []
        for rule, rids in holds_by_rule(new).items():
            targets = await lock_targets(conn, rids)
            steps = plan_rule_hold(targets, write_back=write_back)
            await self._decide(
                conn, steps, RemoteStatus.HOLD, batch=uuid.uuid4().hex, now=now, rule=rule
            )
            held += rids
        if new:
            await notify(conn, sorted({rid for rid, _, _ in new}))
        return replace(
            result,
            flagged=tuple(dict.fromkeys(rid for rid, _, _ in new)),
            held=tuple(held),
            slow_rules=tuple(slow),
        )

    async def mark_handled(
        self, ids: Sequence[int], *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """Mark responses handled without changing their status on the platform."""
        now, batch = stamp()

        async def step(conn: asyncpg.Connection, targets: list[asyncpg.Record]) -> ActionOutcome:
            steps = plan_handle(targets)
            journal_ids = await journal_many(
                conn, ActionKind.HANDLE, [s[:3] for s in steps], batch=batch, now=now
            )
            await conn.execute(
                "UPDATE responses SET triage = 'handled' WHERE id = ANY($1::bigint[])",
                [s[0] for s in steps],
            )
            outcome = ActionOutcome(tuple(journal_ids), (), len(journal_ids))
            await settle_flags(conn, [(t[0], t[4]) for t in targets], outcome, steps, now)
            return outcome

        return await self._act(ids, seen, step, actor=actor, decided=True)

    async def toggle_question(
        self,
        ids: Sequence[int],
        code: str,
        *,
        actor: str,
        seen: Mapping[int, int] | None = None,
        settle: bool = False,
    ) -> ActionOutcome:
        """Toggle a planning-question tag (several: any lacks it -> all get it; else all
        lose it); on a sampled response another coded first, this role's own coding
        (``settle``: the tags, never a coding)."""
        now, batch = stamp()

        async def step(conn: asyncpg.Connection, targets: list[asyncpg.Record]) -> ActionOutcome:
            if not targets:
                return ActionOutcome()
            routes = await self._routes(conn, targets, settle=settle)
            seconds = [rid for rid, r in routes.items() if r == "second"]
            mine = await self._my_codings(conn, seconds)
            tagged = {
                r[0]
                for r in await conn.fetch(
                    "SELECT response_id FROM tags WHERE kind = 'question' AND code = $1 "
                    "AND response_id = ANY($2::bigint[])",
                    code,
                    list(routes),
                )
            }
            kind, tag_steps, code_steps = plan_question(routes, mine, tagged, code)
            if kind is ActionKind.TAG:
                for rid, *_rest in tag_steps:
                    await add_tag(conn, self.codebook_version, rid, TagKind.QUESTION, code, now)
            else:
                await conn.execute(
                    "DELETE FROM tags WHERE response_id = ANY($1::bigint[]) "
                    "AND kind = 'question' AND code = $2",
                    [s[0] for s in tag_steps],
                    code,
                )
            await self._code(conn, code_steps, mine, now)
            await self._mirror(conn, [rid for rid, r in routes.items() if r == "first"], now)
            journal_ids = await journal_many(conn, kind, tag_steps, batch=batch, now=now)
            journal_ids += await journal_many(
                conn, ActionKind.CODE, code_steps, batch=batch, now=now
            )
            return ActionOutcome(tuple(journal_ids), (), len(journal_ids))

        return await self._act(ids, seen, step, actor=actor, decided=False)

    async def set_role(
        self,
        ids: Sequence[int],
        code: str | None,
        *,
        actor: str,
        seen: Mapping[int, int] | None = None,
        settle: bool = False,
    ) -> ActionOutcome:
        """Set the speaker's role (one per response; None clears it); on a sampled
        response another coded first, this role's own coding (``settle``: never)."""
        now, batch = stamp()

        async def step(conn: asyncpg.Connection, targets: list[asyncpg.Record]) -> ActionOutcome:
            routes = await self._routes(conn, targets, settle=settle)
            mine = await self._my_codings(conn, [r for r, w in routes.items() if w == "second"])
            roles = {rid: await _role(conn, rid) for rid, r in routes.items() if r != "second"}
            changed, coded = plan_role(routes, mine, roles, code)
            for rid, *_rest in changed:
                await _set_role(conn, self.codebook_version, rid, code, now)
            await self._code(conn, coded, mine, now)
            await self._mirror(conn, [rid for rid, r in routes.items() if r == "first"], now)
            journal_ids = await journal_many(conn, ActionKind.ROLE, changed, batch=batch, now=now)
            journal_ids += await journal_many(conn, ActionKind.CODE, coded, batch=batch, now=now)
            return ActionOutcome(tuple(journal_ids), (), len(journal_ids))

        return await self._act(ids, seen, step, actor=actor, decided=False)

    async def _routes(
        self, conn: asyncpg.Connection, targets: Sequence[asyncpg.Record], *, settle: bool = False
    ) -> dict[int, Route]:
        """Which coding this role's codebook action changes, per locked target (the
        rules of store/codings.py; SQLite's ``routes_of``); ``settle``: the tags."""
        share = 0.0 if settle else self.double_share
        found: list[asyncpg.Record] = []
        if share > 0:
            sql = dollar(ROUTE_SQL.format(ids="(SELECT unnest(?::bigint[]))"))
            found = await conn.fetch(sql, self.role, [t[0] for t in targets])
        return routes(targets, found, share, self.role)

    async def _my_codings(
        self, conn: asyncpg.Connection, rids: Sequence[int]
    ) -> dict[int, tuple[frozenset[str], str | None]]:
        """This role's codings of ``rids`` (questions, role); empty where none yet."""
        rows = await conn.fetch(
            "SELECT response_id, questions, role FROM codings WHERE coder = session_user "
            "AND response_id = ANY($1::bigint[])",
            list(rids),
        )
        found = {int(r[0]): (questions_of(r[1]), r[2]) for r in rows}
        return {rid: found.get(rid, (frozenset(), None)) for rid in rids}

    async def _code(
        self,
        conn: asyncpg.Connection,
        steps: Sequence[tuple[int, Mapping[str, Any], Mapping[str, Any]]],
        mine: Mapping[int, tuple[frozenset[str], str | None]],
        now: int,
    ) -> None:
        """A later coder's changes (response id, before, after) to their own codings: a
        question, the role, or that it is done."""
        for rid, before, after in steps:
            questions, role = changed(*mine[rid], before, after)
            params = upsert_params(rid, self.role, questions, role, self.codebook_version, now)
            await conn.execute(_UPSERT, *params)
            applies, done_at = done_change(before, after, now)
            if applies:
                await conn.execute(_DONE, done_at, rid, self.role)

    async def finish_coding(
        self, ids: Sequence[int], *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """This role's own coding of responses another coded first is done (see
        SqliteStore)."""
        now, batch = stamp()

        async def step(conn: asyncpg.Connection, targets: list[asyncpg.Record]) -> ActionOutcome:
            routes = await self._routes(conn, targets)
            seconds = [rid for rid, r in routes.items() if r == "second"]
            done = {
                r[0]
                for r in await conn.fetch(
                    "SELECT response_id FROM codings WHERE coder = session_user "
                    "AND done_at IS NOT NULL AND response_id = ANY($1::bigint[])",
                    seconds,
                )
            }
            steps: list[CodeStep] = [
                (rid, {}, {"done": True}) for rid in seconds if rid not in done
            ]
            await self._code(conn, steps, await self._my_codings(conn, seconds), now)
            journal_ids = await journal_many(conn, ActionKind.CODE, steps, batch=batch, now=now)
            return ActionOutcome(tuple(journal_ids), (), len(journal_ids))

        return await self._act(ids, seen, step, actor=actor, decided=False)

    async def resolve_disagreements(
        self, ids: Sequence[int], *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """The differences between the coders of ``ids`` resolved (see SqliteStore)."""
        now, batch = stamp()

        async def step(conn: asyncpg.Connection, targets: list[asyncpg.Record]) -> ActionOutcome:
            steps: list[CodeStep] = []
            for rid in dict.fromkeys(t[0] for t in targets):
                if await conn.fetchval(dollar(OPEN_DIFFERENCE_SQL), rid) is None:
                    continue
                coders = await conn.fetch(dollar(CODERS_SQL), rid)
                tags = await conn.fetch("SELECT kind, code FROM tags WHERE response_id = $1", rid)
                steps.append(resolve_step(rid, coders, tags))
            journal_ids = await journal_many(conn, ActionKind.RESOLVE, steps, batch=batch, now=now)
            return ActionOutcome(tuple(journal_ids), (), len(journal_ids))

        return await self._act(ids, seen, step, actor=actor, decided=False)

    async def _mirror(self, conn: asyncpg.Connection, rids: Sequence[int], now: int) -> None:
        """The first coder's coding of ``rids`` made (or kept) equal to their tags, until a
        later coder finished theirs (SQLite's ``_mirror``)."""
        for rid in rids:
            if await conn.fetchval(_SEEN_BY_OTHERS, rid):
                continue
            tags = await conn.fetch("SELECT kind, code FROM tags WHERE response_id = $1", rid)
            questions, role = roles_and_questions(tags)
            params = upsert_params(rid, self.role, questions, role, self.codebook_version, now)
            await conn.execute(_UPSERT, *params)

    async def _undo_coding(self, conn: asyncpg.Connection, e: UndoEntry, now: int) -> None:
        """An undo's part in the codings (SQLite's ``_undo_coding``)."""
        rid = e.response_id
        if e.kind is ActionKind.CODE:
            mine = await self._my_codings(conn, [rid])
            await self._code(conn, [(rid, e.after, e.before)], mine, now)
        elif e.kind in MIRRORED_KINDS:
            first = await conn.fetchval(
                "SELECT 1 FROM codings WHERE response_id = $1 AND coder = session_user "
                "AND ordinal = 1",
                rid,
            )
            if first:
                await self._mirror(conn, [rid], now)
                await conn.execute(_UNCODED, rid, rid, rid, e.id)

    async def codings(self, flt: QueueFilter) -> list[Coding]:
        """Every coder's coding of the double-coded responses ``flt`` matches (see
        SqliteStore)."""
        sql, params = codings_sql(flt, _planner.POSTGRES)
        rows = await self._read(lambda c: c.fetch(dollar(sql), *params))
        return [coding_of(r) for r in rows]

    async def response_codings(self, response_id: int) -> list[Coding]:
        """The counted codings of one response, in the order they were coded."""
        sql = dollar(RESPONSE_CODINGS_SQL)
        rows = await self._read(lambda c: c.fetch(sql, response_id))
        return [coding_of(r) for r in rows]

    async def add_note(
        self, response_id: int, text: str, *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """Add an internal note to a response."""
        now = now_epoch()
        text = storable(text)[0]  # e.g. a pasted byte the terminal decoded to a surrogate

        async def step(conn: asyncpg.Connection, targets: list[asyncpg.Record]) -> ActionOutcome:
            if not targets:
                raise StoreError(stored("conn.store.no_response", id=response_id))
            note_id = await conn.fetchval(
                "INSERT INTO notes (response_id, text, actor, created_at) "
                "VALUES ($1, $2, session_user, $3) RETURNING id",
                response_id,
                text,
                now,
            )
            jid = await journal(
                conn,
                kind=ActionKind.NOTE,
                response_id=response_id,
                before={},
                after={"note_id": note_id, "text": text},
                batch=uuid.uuid4().hex,
                now=now,
            )
            return ActionOutcome((jid,), (), 1)

        return await self._act([response_id], seen, step, actor=actor, decided=False)

    async def reply(
        self, response_id: int, text: str, *, actor: str, seen: Mapping[int, int] | None = None
    ) -> ActionOutcome:
        """Queue a reply to a response on its platform (journal + outbox, one transaction)."""
        now = now_epoch()
        text = storable(text)[0]

        async def step(conn: asyncpg.Connection, targets: list[asyncpg.Record]) -> ActionOutcome:
            if not targets:
                raise StoreError(stored("conn.store.no_response", id=response_id))
            rid, before, after, action = plan_reply(targets[0], text)
            (jid,) = await journal_many(
                conn, ActionKind.REPLY, [(rid, before, after)], batch=uuid.uuid4().hex, now=now
            )
            await conn.execute("UPDATE responses SET triage = 'handled' WHERE id = $1", rid)
            sid = await self._source_id(conn, action.source)
            oid = await enqueue_row(conn, sid, action, response_id=rid, journal_id=jid, now=now)
            return ActionOutcome((jid,), (oid,), 1)

        return await self._act([response_id], seen, step, actor=actor, decided=True)

    async def undo_last(self, *, actor: str) -> ActionOutcome:
        """Undo this role's own last batch that is not undone yet (see SqliteStore):
        the actor is ``session_user``, whatever ``actor`` says."""
        now = now_epoch()

        async def tx(conn: asyncpg.Connection) -> ActionOutcome:
            # Also one undo at a time: two apps of one moderator pressing z at once never
            # take one batch back twice.
            await counts_lock(conn)
            batch = await conn.fetchval(_LAST_BATCH, HISTORY_LIKE)
            if batch is None:
                return ActionOutcome()
            entries = await conn.fetch(dollar(UNDO_ENTRIES_SQL), batch)
            rids = [e[2] for e in entries if e[2] is not None]
            await lock_targets(conn, rids)
            # Another moderator changed one of them since: putting the state before this
            # work back would overwrite theirs (as on SQLite: store/actions.changed_since).
            others = await conn.fetch(_CHANGED_SINCE, max(e[0] for e in entries), rids)
            if others:
                return ActionOutcome(conflicts=tuple(r[0] for r in others))
            undo_batch = uuid.uuid4().hex
            journal_ids, outbox_ids = [], []
            for e in undo_entries(entries):
                outbox_ids += await self._undo_one(conn, e, now)
                await self._undo_coding(conn, e, now)
                journal_ids.append(
                    await journal(
                        conn,
                        kind=ActionKind.UNDO,
                        response_id=e.response_id,
                        before=e.after,
                        after=e.before,
                        batch=undo_batch,
                        undoes=e.id,
                        now=now,
                    )
                )
            await notify(conn, rids)
            return ActionOutcome(tuple(journal_ids), tuple(outbox_ids), len(journal_ids))

        return await self._write(tx)

    async def _undo_one(self, conn: asyncpg.Connection, entry: UndoEntry, now: int) -> list[int]:
        """Put one journalled change back (the shared :func:`plan_undo`)."""
        plan = plan_undo(entry, now)
        for sql, params in plan.statements:
            await conn.execute(dollar(sql), *params)
        rid = entry.response_id
        if plan.question is not None:
            await add_tag(
                conn, self.codebook_version, rid, TagKind.QUESTION, plan.question, now, "undo"
            )
        if plan.sets_role:
            await _set_role(conn, self.codebook_version, rid, plan.role, now, "undo")
        if not plan.writeback:
            return []
        sent = await conn.fetchrow(
            "SELECT id, state FROM outbox WHERE journal_id = $1 FOR UPDATE", entry.id
        )
        if sent is None:
            return []
        oid, state = sent
        what = undo_sent(state)
        if what == "cancel":
            await conn.execute(dollar(CANCEL_UNDONE), oid)
        elif what == "reverse":
            return await enqueue_reverse(conn, oid, entry.kind, entry.before, entry.after, now)
        return []


async def enqueue_reverse(
    conn: asyncpg.Connection,
    oid: int,
    kind: ActionKind,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    now: int,
) -> list[int]:
    """Queue the action that takes back write-back ``oid``, already applied remotely
    (the action itself: :func:`reactieveld.store.actions.reverse_action`)."""
    row = await conn.fetchrow(
        "SELECT o.source_id, o.response_id, o.external_id, o.thread_external_id, "
        "o.result_external_id, s.name, r.meta, o.expected_digest FROM outbox o "
        "JOIN sources s ON s.id = o.source_id "
        "LEFT JOIN responses r ON r.id = o.response_id WHERE o.id = $1",
        oid,
    )
    sid, rid, ext, thread_ext, result_ext, source, meta, digest = row
    action = reverse_action(
        kind, before, after, source, ext, thread_ext, result_ext, meta, oid, digest=digest
    )
    if action is None:
        return []
    if kind is ActionKind.REPLY:
        rid = await conn.fetchval(
            "SELECT id FROM responses WHERE source_id = $1 AND external_id = $2", sid, result_ext
        )
    return [await enqueue_row(conn, sid, action, response_id=rid, journal_id=None, now=now)]
