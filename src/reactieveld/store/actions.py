"""Actions: moderation, tags, notes, replies, the journal and undo.

Each public function is the one transaction of the :class:`SqliteStore` method of the
same name (``set_roles``: ``set_role``), whose docstring says what it does; the method
reads the clock and passes ``now``, so every entry of a batch has the same time."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from reactieveld.i18n import stored
from reactieveld.model import (
    CAPABILITY_FOR_STATUS,
    Action,
    ActionKind,
    Capability,
    DecisionReason,
    OutboxState,
    RemoteStatus,
    TagKind,
    TriageState,
    utcnow,
)
from reactieveld.model_values import FINAL_KINDS, text_digest
from reactieveld.store.base import ActionOutcome, ResendPlan, StoreError, UpsertResult
from reactieveld.store.codings import (
    CODERS_SQL,
    DONE_SQL,
    MIRRORED_KINDS,
    OPEN_DIFFERENCE_SQL,
    ROUTE_SQL,
    SEEN_BY_OTHERS_SQL,
    UNCODED_SQL,
    UPSERT_SQL,
    CodeStep,
    Route,
    changed,
    done_change,
    questions_of,
    resolve_step,
    roles_and_questions,
    routes,
    upsert_params,
)
from reactieveld.store.ingest import json_text, storable
from reactieveld.store.rows import (
    NEWEST_OUTBOX_SQL,
    outbox_item_from_row,
    placeholders,
    to_epoch,
)
from reactieveld.store.screening import (
    FLAG_COLUMNS,
    HAS_OPEN_FLAG,
    LAPSE_FLAGS,
    OPEN_RULES_OF,
    REOPEN_FLAGS,
    REOPEN_LAPSED,
    SCREEN_SQL,
    UNDECIDED,
    holds_by_rule,
    lapsed,
    rule_actor,
    screen,
    screened,
    settled,
)

if TYPE_CHECKING:
    from reactieveld.model_values import OutboxItem
    from reactieveld.rules import RuleSet

#: How a batch of :meth:`SqliteStore.record_history` begins: past work, never undone.
HISTORY_BATCH = "history-"

#: A moderator's last batch not undone yet, the one an undo takes back, never past work
#: (:data:`HISTORY_BATCH`). ``{actor}``: the SQL naming the moderator (``?``, or
#: PostgreSQL's ``session_user``); parameters: that moderator where it is ``?``, then
#: the past work's batches as a LIKE pattern (:data:`HISTORY_LIKE`). Both backends.
LAST_BATCH_SQL = (
    "SELECT batch FROM actions a WHERE actor = {actor} AND kind <> 'undo' "
    "AND coalesce(batch, '') NOT LIKE ? AND NOT EXISTS "
    "(SELECT 1 FROM actions u WHERE u.undoes = a.id) ORDER BY id DESC LIMIT 1"
)
HISTORY_LIKE = HISTORY_BATCH + "%"

#: The responses of ``{ids}`` that another moderator than ``{actor}`` (as in
#: :data:`LAST_BATCH_SQL`) changed after journal entry ``?`` (parameters: that entry's
#: id, the moderator where it is ``?``, the ids), by id: an undo of work before theirs
#: is refused. Both backends.
CHANGED_SINCE_SQL = (
    "SELECT DISTINCT response_id FROM actions WHERE id > ? AND actor <> {actor} "
    "AND response_id {ids} ORDER BY response_id"
)

#: The entries of a batch not undone yet, newest first, as an undo takes them back
#: (parameter: the batch): id, kind, response id, before, after. Both backends.
UNDO_ENTRIES_SQL = (
    "SELECT a.id, a.kind, a.response_id, a.before, a.after FROM actions a "
    "WHERE a.batch = ? AND a.kind <> 'undo' AND NOT EXISTS "
    "(SELECT 1 FROM actions u WHERE u.undoes = a.id) ORDER BY a.id DESC"
)

#: Outbox states an undo cancels (not sent, or a person must look); a done one is reversed.
CANCELLABLE = (OutboxState.PENDING.value, OutboxState.FAILED.value, "conflict")


#: One response's part of an action, the same on both backends: (response id, the
#: journal's before, its after, the write-back to queue or None).
Step = tuple[int, dict[str, Any], dict[str, Any], Action | None]


def journal_json(value: Mapping[str, Any]) -> str:
    """A journal entry's before or after as stored (JSON, text the database can hold)."""
    return storable(json.dumps(value, ensure_ascii=False))[0]


#: The outbox columns an action fills (both backends insert them in this order).
OUTBOX_COLUMNS = (
    "source_id, response_id, journal_id, capability, external_id, thread_external_id, "
    "text, expected_status, meta, expected_digest, created_at, next_attempt_at"
)


def outbox_values(
    action: Action,
) -> tuple[str, str, str | None, str | None, str | None, str | None, str | None]:
    """The action's own outbox fields: capability, external id, thread, text, expected
    status, meta and the digest of the text the moderator saw, as stored."""
    return (
        action.capability.value,
        action.external_id,
        action.thread_external_id,
        None if action.text is None else storable(action.text)[0],
        action.expected_status.value if action.expected_status else None,
        json_text(action.meta),
        action.expected_text_digest,
    )


def now_epoch() -> int:
    """The clock as the store keeps it (seconds since the epoch, UTC)."""
    return to_epoch(utcnow())


def stamp() -> tuple[int, str]:
    """One action's time and a new batch id (every entry of a batch has the same time)."""
    return now_epoch(), uuid.uuid4().hex


def capability_for(status: RemoteStatus) -> Capability:
    """The write-back that sets ``status``; StoreError when a moderator cannot set it."""
    capability = CAPABILITY_FOR_STATUS.get(status)
    if capability is None:
        raise StoreError(stored("conn.store.not_settable", state=status.value))
    return capability


def reason_columns(reason: DecisionReason | None) -> tuple[str | None, str | None]:
    """A decision's reason as the journal stores it: (code, the moderator's own words)."""
    if reason is None:
        return None, None
    # A NUL is no text to PostgreSQL: U+FFFD, as a copy repairs it (store/copy.py).
    own = storable(reason.text)[0].replace("\x00", "\ufffd") if reason.text else None
    return reason.code, own


def reason_meta(reason: DecisionReason | None) -> dict[str, str]:
    """What a decision's write-back carries of its reason, for a platform with a field
    for it (``reason``: the code; ``reason_text``: the words, see
    :meth:`DecisionReason.for_platform`)."""
    if reason is None:
        return {}
    return {"reason": reason.code, "reason_text": reason.for_platform()}


def plan_moderate(
    targets: Sequence[Sequence[Any]],
    status: RemoteStatus,
    capability: Capability,
    *,
    write_back: bool,
    reason: DecisionReason | None = None,
) -> list[Step]:
    """A decision on the locked ``targets`` (id, source, external id, thread, status,
    triage, meta, open flag, text, raw text): a row already at ``status`` and handled is
    skipped unless a rule's flag on it is open (the decision settles it, so it is
    journalled); a changed status is written back (when asked) expecting the old one and
    the text the moderator saw (:func:`seen_digest`), with the decision's ``reason`` in
    its meta."""
    steps: list[Step] = []
    for target in targets:
        rid, source, ext, thread_ext, old_status, old_triage, meta, *flag = target
        if (
            old_status == status.value
            and old_triage == TriageState.HANDLED.value
            and not (flag and flag[0])
        ):
            continue
        action = None
        if write_back and old_status != status.value:
            action = Action(
                capability=capability,
                source=source,
                external_id=ext,
                thread_external_id=thread_ext,
                expected_status=RemoteStatus(old_status),
                expected_text_digest=seen_digest(target),
                meta={**meta_of(meta), **reason_meta(reason)},
            )
        steps.append(
            (
                rid,
                {"status": old_status, "triage": old_triage},
                {"status": status.value, "triage": "handled"},
                action,
            )
        )
    return steps


def seen_digest(target: Sequence[Any]) -> str | None:
    """The :func:`~reactieveld.model_values.text_digest` of a locked target's stored text
    (its 9th and 10th columns): what the moderator deciding now has seen. None for a
    target read without them."""
    if len(target) < 10 or target[8] is None:
        return None
    return text_digest(target[8], target[9])


#: The write-back states a person must act on: the decision's key pressed again sends it
#: anew (:func:`plan_resend`).
RESENDABLE = (OutboxState.FAILED, OutboxState.CONFLICT)


class Retried(NamedTuple):
    """A response's newest write-back (:data:`NEWEST_OUTBOX_SQL`) and the reason recorded
    with the decision it belongs to (None: that decision had none)."""

    item: OutboxItem
    reason: DecisionReason | None


def retried_from_row(row: Sequence[Any]) -> Retried:
    """A row of :data:`NEWEST_OUTBOX_SQL` (both backends)."""
    code, own = row[-2], row[-1]
    return Retried(outbox_item_from_row(row), DecisionReason(code, own) if code else None)


def never_sent(retried: Retried | None, capability: Capability | None) -> str | None:
    """Why a response's newest write-back (``retried``) of ``capability`` is not sent
    again by the key that would: it failed or conflicted with a kind no resend can ever
    mend (``model_values.FINAL_KINDS``: the comment is gone from the site), its stored
    error (the decision stays in the memory only). None when a resend may go through, or
    when it is no such write-back."""
    if retried is None or capability is None:
        return None
    item = retried.item
    if (
        item.state not in RESENDABLE
        or item.failure_kind not in FINAL_KINDS
        or item.action.capability is not capability
    ):
        return None
    return item.last_error or ""


def plan_resend(
    steps: Sequence[Step],
    targets: Sequence[Sequence[Any]],
    status: RemoteStatus,
    newest: Mapping[int, Retried],
    reason: DecisionReason | None = None,
) -> tuple[list[Step], ResendPlan]:
    """A moderator's decision again on responses already at ``status`` whose newest
    write-back (``newest``: response id -> its outbox row) of that decision failed or
    conflicted: the same write-back is queued anew, in a new outbox row (the failed one
    stays as the record of what the platform refused and why; the new one starts with no
    attempts and belongs to this journal entry, so undoing the retry cancels just it).
    It carries the status the moderator first saw, so the platform is read first as for
    every write-back: a comment changed on the site meanwhile conflicts again, it is not
    forced. The entry's ``after`` names the row it sends again (``retry``). A write-back
    that can never succeed (:func:`never_sent`: the comment is gone from the site) is
    not sent again: the decision stays in the memory only, and the plan says why
    (``refused``), for one response as for marked ones.

    A resend is the decision it retries, with that decision's reason: the one recorded
    with it is kept (``reason``, given now, does not replace it, so the journal's retry
    never disagrees with what it retries, nor with the write-back it sends). A decision
    that had none takes ``reason`` (one asked now that the configuration asks for it),
    in its journal entry and in the new row's meta.

    ``steps`` (:func:`plan_moderate`'s) in the targets' order, with the resends in theirs;
    and the plan: each resend's reason by response id (for its journal entry), and the
    ones not sent again."""
    planned = {s[0]: s for s in steps}
    capability = CAPABILITY_FOR_STATUS.get(status)
    out: list[Step] = []
    plan = ResendPlan()
    for target in targets:
        rid, _source, _ext, _thread, old_status, old_triage, *_rest = target
        retried = newest.get(rid)
        step = planned.get(rid)
        at_status = old_status == status.value
        why = never_sent(retried, capability) if at_status else None
        if why is not None:
            plan.refused[rid] = why
        if (
            not at_status
            or retried is None
            or retried.item.state not in RESENDABLE
            or retried.item.failure_kind in FINAL_KINDS
            or retried.item.action.capability is not capability
        ):
            if step is not None:
                out.append(step)
            continue
        item, action = retried.item, retried.item.action
        if action.expected_text_digest is not None:
            # Sent again by a moderator who sees the text as stored now (after a conflict
            # over an edit on the site: its new words, once stored).
            action = dataclasses.replace(action, expected_text_digest=seen_digest(target))
        if retried.reason is None and reason is not None:
            action = dataclasses.replace(action, meta={**action.meta, **reason_meta(reason)})
        plan[rid] = retried.reason or reason
        after = {"status": status.value, "triage": TriageState.HANDLED.value, "retry": item.id}
        out.append((rid, {"status": old_status, "triage": old_triage}, after, action))
    return out, plan


def plan_resends(
    targets: Sequence[Sequence[Any]],
    what: RemoteStatus | Capability,
    newest: Mapping[int, Retried],
) -> ResendPlan:
    """What a decision on ``what`` (a status, or ``Capability.REPLY``: a reply) pressed
    again on ``targets`` does (:class:`~reactieveld.store.values.ResendPlan`): for a
    status :func:`plan_resend`'s; a reply is written anew (its editor opens with the
    refused text), except to a response whose newest reply can never be written back
    (:func:`never_sent`)."""
    if isinstance(what, RemoteStatus):
        return plan_resend([], targets, what, newest)[1]
    refused = {t[0]: why for t in targets if (why := never_sent(newest.get(t[0]), what))}
    return ResendPlan(refused=refused)


def resend_candidates(
    targets: Sequence[Sequence[Any]], what: RemoteStatus | Capability
) -> list[int]:
    """The ``targets`` a decision on ``what`` may send again (already at its status; any
    for a reply): whose newest write-back :func:`plan_resend` reads."""
    if not isinstance(what, RemoteStatus):
        return [t[0] for t in targets]
    return [t[0] for t in targets if t[4] == what.value]


def newest_writebacks(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, Retried]:
    """The newest outbox row of each response of ``ids`` that has one, with its
    decision's reason."""
    if not ids:
        return {}
    rows = db.execute(NEWEST_OUTBOX_SQL.format(ids=placeholders(ids)), list(ids)).fetchall()
    return {row[2]: retried_from_row(row) for row in rows}


def resends(
    db: sqlite3.Connection, ids: Sequence[int], what: RemoteStatus | Capability
) -> ResendPlan:
    """What a decision on ``what`` pressed again on ``ids`` does (:func:`plan_resends`)."""
    targets = _targets(db, ids)
    return plan_resends(targets, what, newest_writebacks(db, resend_candidates(targets, what)))


def plan_rule_hold(targets: Sequence[Sequence[Any]], *, write_back: bool) -> list[Step]:
    """A rule's hold (issue 16) on the locked ``targets``: a moderator's hold
    (:func:`plan_moderate`, the same journal and write-back, so undo and the platform treat
    it alike) that leaves the triage as it was: a rule is no person, the response still
    waits for one. A response held already is left as it is."""
    waiting = [t for t in targets if t[4] != RemoteStatus.HOLD.value]
    steps = plan_moderate(waiting, RemoteStatus.HOLD, Capability.HOLD, write_back=write_back)
    return [(rid, b, {**a, "triage": b["triage"]}, act) for rid, b, a, act in steps]


def plan_handle(targets: Sequence[Sequence[Any]]) -> list[Step]:
    """ "Handled" on the locked ``targets``: those not handled yet, and those with a rule's
    open flag (settled by it, so journalled; see :func:`plan_moderate`)."""
    return [
        (t[0], {"triage": t[5]}, {"triage": "handled"}, None)
        for t in targets
        if t[5] != TriageState.HANDLED.value or (len(t) > 7 and t[7])
    ]


#: One response's part of a tag toggle: (response id, journal kind, before, after).
ToggleStep = tuple[int, ActionKind, dict[str, Any], dict[str, Any]]


def plan_toggle(rids: Sequence[int], have: set[int], code: str) -> list[ToggleStep]:
    """A planning-question toggle on the locked responses ``rids`` of which ``have``
    already carry ``code``: when any lacks it, those get it (TAG); else all lose it
    (UNTAG)."""
    if len(have) < len(rids):
        return [(rid, ActionKind.TAG, {}, {"question": code}) for rid in rids if rid not in have]
    return [(rid, ActionKind.UNTAG, {"question": code}, {}) for rid in rids]


def plan_question(
    routes: Mapping[int, Route],
    mine: Mapping[int, tuple[frozenset[str], str | None]],
    tagged: set[int],
    code: str,
) -> tuple[ActionKind, list[CodeStep], list[CodeStep]]:
    """A planning-question toggle of ``code`` on the locked responses of ``routes``, the
    same on both backends: which of them already carry it (on a response this role codes
    second, its own coding ``mine``; else the tags, ``tagged``), then
    :func:`plan_toggle`. Returns the kind (TAG or UNTAG: all of one kind), the tag steps
    and the coding steps, each (response id, before, after)."""
    have = {
        rid
        for rid, r in routes.items()
        if (code in mine[rid][0] if r == "second" else rid in tagged)
    }
    steps = plan_toggle(list(routes), have, code)
    kind = steps[0][1]  # all of one kind: any lacks the tag, or all lose it
    tag_steps: list[CodeStep] = [(rid, b, a) for rid, _k, b, a in steps if routes[rid] != "second"]
    code_steps: list[CodeStep] = [(rid, b, a) for rid, _k, b, a in steps if routes[rid] == "second"]
    return kind, tag_steps, code_steps


def plan_role(
    routes: Mapping[int, Route],
    mine: Mapping[int, tuple[frozenset[str], str | None]],
    roles: Mapping[int, str | None],
    code: str | None,
) -> tuple[list[CodeStep], list[CodeStep]]:
    """Setting the speaker's role ``code`` (None clears it) on the locked responses of
    ``routes``, the same on both backends: the role tags to change (``roles``: each
    tagged response's role now) and the codings to change (on a response this role codes
    second, its own coding ``mine``), each (response id, before, after). A response whose
    role is already ``code`` is left alone: who tagged it and when are kept."""
    changed_tags: list[CodeStep] = []
    coded: list[CodeStep] = []
    for rid, r in routes.items():
        old = mine[rid][1] if r == "second" else roles.get(rid)
        if old != (code or None):
            (coded if r == "second" else changed_tags).append((rid, {"role": old}, {"role": code}))
    return changed_tags, coded


def plan_reply(
    target: Sequence[Any], text: str
) -> tuple[int, dict[str, Any], dict[str, Any], Action]:
    """A reply to the locked ``target`` (id, source, external id, thread, status, triage,
    meta): the response becomes handled and the reply is queued."""
    rid, source, ext, thread_ext, _status, triage, meta, *_flag = target
    action = Action(
        capability=Capability.REPLY,
        source=source,
        external_id=ext,
        thread_external_id=thread_ext,
        text=text,
        meta=meta_of(meta),
    )
    return (rid, {"triage": triage}, {"text": text, "triage": "handled"}, action)


def meta_of(meta: str | None) -> dict[str, Any]:
    """A response's stored ``meta`` (JSON text or NULL) as a dict."""
    return json.loads(meta) if meta else {}


def source_id(db: sqlite3.Connection, name: str) -> int:
    """The id of source ``name``; StoreError when there is none."""
    row = db.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise StoreError(stored("conn.store.unknown_source", name=repr(name)))
    return int(row[0])


def entry_version(response_id: str) -> str:
    """The version a journal entry makes, of the response whose id the SQL expression
    ``response_id`` gives (a placeholder, a column): the row's version now plus the bump
    of the journal's trigger (SQLite's migration 0009, PostgreSQL's 0002); the trigger
    runs after the statement, so each entry of a statement reads the version from before
    it. A change made after a moderator saw the row is one whose entry has a higher
    version than the one they saw. Both backends write it."""
    return f"(SELECT version + 1 FROM responses WHERE id = {response_id})"


#: :func:`entry_version` of the statement's parameter (SQLite's placeholder).
ENTRY_VERSION = entry_version("?")


def _journal(
    db: sqlite3.Connection,
    *,
    actor: str,
    kind: ActionKind,
    response_id: int | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    batch: str | None,
    undoes: int | None = None,
    now: int,
    reason: DecisionReason | None = None,
) -> int:
    cur = db.execute(
        "INSERT INTO actions (at, actor, kind, response_id, before, after, undoes, batch, "
        f"reason, reason_text, version) VALUES (?,?,?,?,?,?,?,?,?,?,{ENTRY_VERSION})",
        (
            now,
            actor,
            kind.value,
            response_id,
            journal_json(before),
            journal_json(after),
            undoes,
            batch,
            *reason_columns(reason),
            response_id,
        ),
    )
    return int(cur.lastrowid or 0)


def _journal_each(
    db: sqlite3.Connection,
    kind: ActionKind,
    entries: Sequence[Sequence[Any]],
    *,
    actor: str,
    batch: str,
    now: int,
    reason: DecisionReason | None = None,
    reasons: Mapping[int, DecisionReason | None] | None = None,
) -> list[int]:
    """One journal entry of ``kind`` per (response id, before, after, ...) of ``entries``
    (SQLite's side of :func:`reactieveld.store.pg.actions.journal_many`), each with
    ``reason`` or its own in ``reasons`` (by response id: a resend's); their ids."""
    own = reasons or {}
    return [
        _journal(
            db,
            actor=actor,
            kind=kind,
            response_id=entry[0],
            before=entry[1],
            after=entry[2],
            batch=batch,
            now=now,
            reason=own.get(entry[0], reason),
        )
        for entry in entries
    ]


def enqueue(
    db: sqlite3.Connection,
    action: Action,
    *,
    response_id: int | None,
    journal_id: int | None,
    now: int,
) -> int:
    cur = db.execute(
        f"INSERT INTO outbox ({OUTBOX_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (source_id(db, action.source), response_id, journal_id, *outbox_values(action), now, now),
    )
    return int(cur.lastrowid or 0)


def _targets(db: sqlite3.Connection, ids: Sequence[int]) -> list[tuple[Any, ...]]:
    if not ids:
        return []
    rows = db.execute(
        "SELECT r.id, s.name, r.external_id, r.thread_external_id, r.remote_status, "
        f"r.triage, r.meta, {HAS_OPEN_FLAG}, r.body_text, r.body_raw FROM responses r "
        f"JOIN sources s ON s.id = r.source_id WHERE r.id IN {placeholders(ids)}",
        list(ids),
    ).fetchall()
    order = {rid: i for i, rid in enumerate(ids)}
    return sorted(rows, key=lambda r: order[r[0]])


def moderate(
    db: sqlite3.Connection,
    ids: Sequence[int],
    status: RemoteStatus,
    capability: Capability,
    *,
    actor: str,
    write_back: bool,
    now: int,
    batch: str,
    reason: DecisionReason | None = None,
) -> ActionOutcome:
    targets = _targets(db, ids)
    steps = plan_moderate(targets, status, capability, write_back=write_back, reason=reason)
    kept = ResendPlan()
    if write_back:
        newest = newest_writebacks(db, resend_candidates(targets, status))
        steps, kept = plan_resend(steps, targets, status, newest, reason)
    outcome = _decide(
        db, steps, status, actor=actor, now=now, batch=batch, reason=reason, reasons=kept
    )
    settle_flags(db, [(t[0], status.value) for t in targets], outcome, steps, actor, now)
    return dataclasses.replace(outcome, refused=kept.refused)


def rule_hold(
    db: sqlite3.Connection, ids: Sequence[int], rule: str, *, write_back: bool, now: int
) -> ActionOutcome:
    """Rule ``rule`` holds responses (:func:`plan_rule_hold`), journalled as
    ``rule:<rule>``, in the transaction of the page that brought them."""
    steps = plan_rule_hold(_targets(db, ids), write_back=write_back)
    return _decide(
        db, steps, RemoteStatus.HOLD, actor=rule_actor(rule), now=now, batch=uuid.uuid4().hex
    )


def apply_rules(
    db: sqlite3.Connection, result: UpsertResult, rules: RuleSet, *, write_back: bool, now: int
) -> UpsertResult:
    """The moderation rules on the responses a page added or changed (``result``), in the
    page's transaction (the rules of store/screening.py): new flags stored, a hold rule's
    responses held; ``result`` with what they did."""
    ids = [*result.new_ids, *result.changed_ids]
    stored = set(ids)
    again = [rid for rid in result.retitled_ids if rid not in stored]
    if not (ids or again) or not rules:
        return result
    rows = []
    if ids:
        found = db.execute(SCREEN_SQL.format(ids="IN " + placeholders(ids)), ids)
        rows = [*map(screened, found)]
    if again:  # a title changed: its author's own responses read again (the title alone)
        found = db.execute(SCREEN_SQL.format(ids="IN " + placeholders(again)), again)
        rows += [(rid, body, title) for rid, body, title in map(screened, found) if title]
    matches, slow = screen(rows, rules)
    read = [r[0] for r in rows]
    if read:  # a rule that no longer matches a text read again: its open flags lapse
        flags = db.execute(OPEN_RULES_OF.format(ids="IN " + placeholders(read)), read)
        gone = lapsed(flags.fetchall(), read, matches, slow, rules)
        db.executemany(LAPSE_FLAGS, [(now, now, rid, rule) for rid, rule in gone])
    new: list[tuple[int, str, str]] = []
    for m in matches:
        cur = db.execute(
            f"INSERT OR IGNORE INTO rule_flags ({FLAG_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
            (m.response_id, m.rule, m.action, m.text_hash, now),
        )
        if not cur.rowcount:  # this text flagged before: open again if it had lapsed
            cur = db.execute(REOPEN_LAPSED, (m.response_id, m.rule, m.text_hash))
        if cur.rowcount:
            new.append((m.response_id, m.rule, m.action))
    held: list[int] = []
    for rule, rids in holds_by_rule(new).items():
        held += rids
        rule_hold(db, rids, rule, write_back=write_back, now=now)
    return dataclasses.replace(
        result,
        flagged=tuple(dict.fromkeys(rid for rid, _, _ in new)),
        held=tuple(held),
        slow_rules=tuple(slow),
    )


def settle_flags(
    db: sqlite3.Connection,
    decided: Sequence[tuple[int, str]],
    outcome: ActionOutcome,
    steps: Sequence[Step],
    actor: str,
    now: int,
) -> None:
    """A moderator decided (response id, status it is left at): its open rule flags are
    settled (:func:`reactieveld.store.screening.settled`), with the decision's journal
    entry, so that undoing the decision opens them again."""
    journal_of = {s[0]: j for s, j in zip(steps, outcome.journal_ids, strict=True)}
    for rid, status in decided:
        db.execute(
            "UPDATE rule_flags SET state = ?, resolved_at = ?, resolved_by = ?, "
            f"resolved_journal = ? WHERE response_id = ? AND {UNDECIDED}",
            (settled(status), now, actor, journal_of.get(rid), rid),
        )


def _decide(
    db: sqlite3.Connection,
    steps: Sequence[Step],
    status: RemoteStatus,
    *,
    actor: str,
    now: int,
    batch: str,
    reason: DecisionReason | None = None,
    reasons: Mapping[int, DecisionReason | None] | None = None,
) -> ActionOutcome:
    """A decision's planned ``steps``: state (each row's triage as its step says: a
    rule's hold keeps it), journal with the decision's ``reason`` (a resend with its
    own, in ``reasons``), outbox."""
    db.executemany(
        "UPDATE responses SET remote_status = ?, triage = ? WHERE id = ?",
        [(status.value, s[2]["triage"], s[0]) for s in steps],
    )
    journal_ids = _journal_each(
        db,
        ActionKind.MODERATE,
        steps,
        actor=actor,
        batch=batch,
        now=now,
        reason=reason,
        reasons=reasons,
    )
    outbox_ids = [
        enqueue(db, action, response_id=rid, journal_id=jid, now=now)
        for (rid, _b, _a, action), jid in zip(steps, journal_ids, strict=True)
        if action is not None
    ]
    return ActionOutcome(tuple(journal_ids), tuple(outbox_ids), len(journal_ids))


def mark_handled(
    db: sqlite3.Connection, ids: Sequence[int], *, actor: str, now: int, batch: str
) -> ActionOutcome:
    targets = _targets(db, ids)
    steps = plan_handle(targets)
    db.executemany("UPDATE responses SET triage = 'handled' WHERE id = ?", [(s[0],) for s in steps])
    journal_ids = _journal_each(db, ActionKind.HANDLE, steps, actor=actor, batch=batch, now=now)
    outcome = ActionOutcome(tuple(journal_ids), (), len(journal_ids))
    settle_flags(db, [(t[0], t[4]) for t in targets], outcome, steps, actor, now)
    return outcome


def toggle_question(
    db: sqlite3.Connection,
    ids: Sequence[int],
    code: str,
    *,
    actor: str,
    now: int,
    batch: str,
    codebook_version: str,
    double_share: float = 0.0,
) -> ActionOutcome:
    targets = _targets(db, ids)
    if not targets:
        return ActionOutcome()
    routes = routes_of(db, targets, actor, double_share)
    mine = my_codings(db, [rid for rid, r in routes.items() if r == "second"], actor)
    tagged = {
        r[0]
        for r in db.execute(
            "SELECT response_id FROM tags WHERE kind = 'question' AND code = ? "
            f"AND response_id IN {placeholders(list(routes))}",
            (code, *routes),
        )
    }
    kind, tag_steps, code_steps = plan_question(routes, mine, tagged, code)
    for rid, *_rest in tag_steps:
        if kind is ActionKind.TAG:
            _add_tag(db, codebook_version, rid, TagKind.QUESTION, code, actor, now)
        else:
            db.execute(
                "DELETE FROM tags WHERE response_id = ? AND kind = 'question' AND code = ?",
                (rid, code),
            )
    _code(db, code_steps, mine, actor, codebook_version, now)
    _mirror(db, [rid for rid, r in routes.items() if r == "first"], actor, codebook_version, now)
    journal_ids = _journal_each(db, kind, tag_steps, actor=actor, batch=batch, now=now)
    journal_ids += _journal_each(db, ActionKind.CODE, code_steps, actor=actor, batch=batch, now=now)
    return ActionOutcome(tuple(journal_ids), (), len(journal_ids))


def routes_of(
    db: sqlite3.Connection, targets: Sequence[Sequence[Any]], actor: str, share: float
) -> dict[int, Route]:
    """Which coding ``actor``'s codebook action changes, per locked target (id, source,
    external id, ...), in the targets' order (store/codings.py)."""
    found: list[Any] = []
    if share > 0:
        rids = [t[0] for t in targets]
        sql = ROUTE_SQL.format(ids=placeholders(rids))
        found = db.execute(sql, (actor, *rids)).fetchall()
    return routes(targets, found, share, actor)


def my_codings(
    db: sqlite3.Connection, rids: Sequence[int], coder: str
) -> dict[int, tuple[frozenset[str], str | None]]:
    """``coder``'s codings of ``rids`` (questions, role); an empty one where none yet."""
    found = {
        int(r[0]): (questions_of(r[1]), r[2])
        for r in db.execute(
            "SELECT response_id, questions, role FROM codings WHERE coder = ? "
            f"AND response_id IN {placeholders(rids)}",
            (coder, *rids),
        )
    }
    return {rid: found.get(rid, (frozenset(), None)) for rid in rids}


def _code(
    db: sqlite3.Connection,
    steps: Sequence[tuple[int, Mapping[str, Any], Mapping[str, Any]]],
    mine: Mapping[int, tuple[frozenset[str], str | None]],
    coder: str,
    codebook_version: str,
    now: int,
) -> None:
    """A later coder's changes (response id, before, after) to their own codings: a
    question, the role, or that it is done."""
    for rid, before, after in steps:
        questions, role = changed(*mine[rid], before, after)
        db.execute(UPSERT_SQL, upsert_params(rid, coder, questions, role, codebook_version, now))
        applies, done_at = done_change(before, after, now)
        if applies:
            db.execute(DONE_SQL, (done_at, rid, coder))


def finish_coding(
    db: sqlite3.Connection,
    ids: Sequence[int],
    *,
    actor: str,
    now: int,
    batch: str,
    codebook_version: str,
    double_share: float = 0.0,
) -> ActionOutcome:
    """``actor``'s coding of the responses ``ids`` that another coded first is done (an
    empty coding where they gave nothing: "no question applies"); the others are left."""
    routes = routes_of(db, _targets(db, ids), actor, double_share)
    seconds = [rid for rid, r in routes.items() if r == "second"]
    done = {
        r[0]
        for r in db.execute(
            "SELECT response_id FROM codings WHERE coder = ? AND done_at IS NOT NULL "
            f"AND response_id IN {placeholders(seconds)}",
            (actor, *seconds),
        )
    }
    steps: list[CodeStep] = [(rid, {}, {"done": True}) for rid in seconds if rid not in done]
    _code(db, steps, my_codings(db, seconds, actor), actor, codebook_version, now)
    journal_ids = _journal_each(db, ActionKind.CODE, steps, actor=actor, batch=batch, now=now)
    return ActionOutcome(tuple(journal_ids), (), len(journal_ids))


def resolve_disagreements(
    db: sqlite3.Connection,
    ids: Sequence[int],
    *,
    actor: str,
    now: int,
    batch: str,
    **_kw: Any,
) -> ActionOutcome:
    """The open differences between the coders of ``ids`` resolved: the tags as they are
    are the final ones (journal kind ``resolve``); the others are left."""
    steps: list[CodeStep] = []
    for rid in dict.fromkeys(ids):
        if db.execute(OPEN_DIFFERENCE_SQL, (rid,)).fetchone() is None:
            continue
        coders = db.execute(CODERS_SQL, (rid,)).fetchall()
        tags = db.execute("SELECT kind, code FROM tags WHERE response_id = ?", (rid,)).fetchall()
        steps.append(resolve_step(rid, coders, tags))
    journal_ids = _journal_each(db, ActionKind.RESOLVE, steps, actor=actor, batch=batch, now=now)
    return ActionOutcome(tuple(journal_ids), (), len(journal_ids))


def _mirror(
    db: sqlite3.Connection, rids: Sequence[int], coder: str, codebook_version: str, now: int
) -> None:
    """The first coder's coding of ``rids`` made (or kept) equal to the responses' tags,
    until a later coder finished theirs (:data:`SEEN_BY_OTHERS_SQL`)."""
    for rid in rids:
        if db.execute(SEEN_BY_OTHERS_SQL, (rid,)).fetchone():
            continue
        tags = db.execute("SELECT kind, code FROM tags WHERE response_id = ?", (rid,)).fetchall()
        questions, role = roles_and_questions(tags)
        db.execute(UPSERT_SQL, upsert_params(rid, coder, questions, role, codebook_version, now))


def _add_tag(
    db: sqlite3.Connection,
    codebook_version: str,
    rid: int,
    kind: TagKind,
    code: str,
    actor: str,
    now: int,
) -> None:
    # response_created: the tag index pages in queue order (migration 0004).
    db.execute(
        "INSERT OR IGNORE INTO tags (response_id, kind, code, codebook_version, created_at, "
        "actor, response_created) SELECT id, ?, ?, ?, ?, ?, created_at FROM responses "
        "WHERE id = ?",
        (kind.value, code, codebook_version, now, actor, rid),
    )


def _role(db: sqlite3.Connection, rid: int) -> str | None:
    row = db.execute(
        "SELECT code FROM tags WHERE response_id = ? AND kind = 'role'", (rid,)
    ).fetchone()
    return row[0] if row else None


def _set_role(
    db: sqlite3.Connection, codebook_version: str, rid: int, code: str | None, actor: str, now: int
) -> str | None:
    old = _role(db, rid)
    db.execute("DELETE FROM tags WHERE response_id = ? AND kind = 'role'", (rid,))
    if code:
        _add_tag(db, codebook_version, rid, TagKind.ROLE, code, actor, now)
    return old


def set_roles(
    db: sqlite3.Connection,
    ids: Sequence[int],
    code: str | None,
    *,
    actor: str,
    now: int,
    batch: str,
    codebook_version: str,
    double_share: float = 0.0,
) -> ActionOutcome:
    routes = routes_of(db, _targets(db, ids), actor, double_share)
    mine = my_codings(db, [rid for rid, r in routes.items() if r == "second"], actor)
    roles = {rid: _role(db, rid) for rid, r in routes.items() if r != "second"}
    changed_tags, coded = plan_role(routes, mine, roles, code)
    for rid, *_rest in changed_tags:
        _set_role(db, codebook_version, rid, code, actor, now)
    _code(db, coded, mine, actor, codebook_version, now)
    _mirror(db, [rid for rid, r in routes.items() if r == "first"], actor, codebook_version, now)
    journal_ids = _journal_each(
        db, ActionKind.ROLE, changed_tags, actor=actor, batch=batch, now=now
    )
    journal_ids += _journal_each(db, ActionKind.CODE, coded, actor=actor, batch=batch, now=now)
    return ActionOutcome(tuple(journal_ids), (), len(journal_ids))


def add_note(
    db: sqlite3.Connection, response_id: int, text: str, *, actor: str, now: int
) -> ActionOutcome:
    cur = db.execute(
        "INSERT INTO notes (response_id, text, actor, created_at) VALUES (?,?,?,?)",
        (response_id, text, actor, now),
    )
    jid = _journal(
        db,
        actor=actor,
        kind=ActionKind.NOTE,
        response_id=response_id,
        before={},
        after={"note_id": cur.lastrowid, "text": text},
        batch=uuid.uuid4().hex,
        now=now,
    )
    return ActionOutcome((jid,), (), 1)


def reply(
    db: sqlite3.Connection, response_id: int, text: str, *, actor: str, now: int
) -> ActionOutcome:
    targets = _targets(db, [response_id])
    if not targets:
        raise StoreError(stored("conn.store.no_response", id=response_id))
    rid, before, after, action = plan_reply(targets[0], text)
    (jid,) = _journal_each(
        db, ActionKind.REPLY, [(rid, before, after)], actor=actor, batch=uuid.uuid4().hex, now=now
    )
    db.execute("UPDATE responses SET triage = 'handled' WHERE id = ?", (rid,))
    oid = enqueue(db, action, response_id=rid, journal_id=jid, now=now)
    return ActionOutcome((jid,), (oid,), 1)


def undo_last(
    db: sqlite3.Connection, *, actor: str, now: int, codebook_version: str
) -> ActionOutcome:
    last = db.execute(LAST_BATCH_SQL.format(actor="?"), (actor, HISTORY_LIKE)).fetchone()
    if last is None:
        return ActionOutcome()
    entries = db.execute(UNDO_ENTRIES_SQL, (last[0],)).fetchall()
    conflicts = changed_since(db, entries, actor=actor)
    if conflicts:
        return ActionOutcome(conflicts=conflicts)
    batch = uuid.uuid4().hex
    journal_ids, outbox_ids = [], []
    for e in undo_entries(entries):
        outbox_ids += _undo_one(db, codebook_version, e, now)
        _undo_coding(db, e, actor, codebook_version, now)
        journal_ids.append(
            _journal(
                db,
                actor=actor,
                kind=ActionKind.UNDO,
                response_id=e.response_id,
                before=e.after,
                after=e.before,
                batch=batch,
                undoes=e.id,
                now=now,
            )
        )
    return ActionOutcome(tuple(journal_ids), tuple(outbox_ids), len(journal_ids))


def _undo_coding(
    db: sqlite3.Connection, e: UndoEntry, coder: str, codebook_version: str, now: int
) -> None:
    """An undo's part in the codings (``e``: the entry taken back): a later coder's change
    taken back from their own coding; a first coder's coding kept equal to the tags the
    undo put back, and removed when the undo took back all they gave (UNCODED_SQL)."""
    rid = e.response_id
    if e.kind is ActionKind.CODE:
        mine = my_codings(db, [rid], coder)
        _code(db, [(rid, e.after, e.before)], mine, coder, codebook_version, now)
    elif e.kind in MIRRORED_KINDS:
        first = db.execute(
            "SELECT 1 FROM codings WHERE response_id = ? AND coder = ? AND ordinal = 1",
            (rid, coder),
        ).fetchone()
        if first:
            _mirror(db, [rid], coder, codebook_version, now)
            db.execute(UNCODED_SQL, (rid, rid, rid, e.id))


def changed_since(
    db: sqlite3.Connection, entries: Sequence[Sequence[Any]], *, actor: str
) -> tuple[int, ...]:
    """The responses of an undo's ``entries`` (journal rows: id, kind, response id, ...)
    that another moderator changed after them: undoing would put back the state before
    ``actor``'s work over theirs, so the undo is refused instead (as a stale ``seen``)."""
    rids = sorted({e[2] for e in entries if e[2] is not None})
    if not rids:
        return ()
    last = max(e[0] for e in entries)
    sql = CHANGED_SINCE_SQL.format(actor="?", ids=f"IN {placeholders(rids)}")
    return tuple(r[0] for r in db.execute(sql, (last, actor, *rids)).fetchall())


#: Undo of a write-back not sent yet (or one a person must look at): it is cancelled.
CANCEL_UNDONE = "UPDATE outbox SET state = 'cancelled', last_error = 'undone' WHERE id = ?"


@dataclasses.dataclass(frozen=True)
class UndoPlan:
    """What undoing one journalled change does, the same on both backends, in this order:
    the ``statements`` (SQL with ``?`` placeholders and their parameters), then the
    question tag to put back (``question``: an untag undone) or the role to set back
    (``role``, when ``sets_role``: a role undone, None for none), then, when
    ``writeback``, the entry's outbox row (see :func:`undo_sent`)."""

    statements: tuple[tuple[str, tuple[Any, ...]], ...]
    question: str | None = None
    sets_role: bool = False
    role: str | None = None
    writeback: bool = False


class UndoEntry(NamedTuple):
    """A journal entry an undo takes back: a row of :data:`UNDO_ENTRIES_SQL` with its
    before and after read."""

    id: int
    kind: ActionKind
    response_id: int
    before: dict[str, Any]
    after: dict[str, Any]


def undo_entries(rows: Iterable[Sequence[Any]]) -> list[UndoEntry]:
    """The :data:`UNDO_ENTRIES_SQL` rows as :class:`UndoEntry` (both backends)."""
    return [
        UndoEntry(jid, ActionKind(kind), rid, json.loads(before), json.loads(after))
        for jid, kind, rid, before, after in rows
    ]


def plan_undo(entry: UndoEntry, now: int) -> UndoPlan:
    """How to put back journal ``entry`` (its kind on its response, from its before to
    its after): its state, its flags, its tag, role or note, its status."""
    jid, kind, rid, before, after = entry
    statements: list[tuple[str, tuple[Any, ...]]] = []
    if "triage" in before:
        statements.append(("UPDATE responses SET triage = ? WHERE id = ?", (before["triage"], rid)))
    if kind in (ActionKind.MODERATE, ActionKind.HANDLE):
        statements.append((REOPEN_FLAGS, (jid,)))
    if kind is ActionKind.TAG:
        statements.append(
            (
                "DELETE FROM tags WHERE response_id = ? AND kind = 'question' AND code = ?",
                (rid, after["question"]),
            )
        )
    elif kind is ActionKind.NOTE:
        statements.append(("UPDATE notes SET deleted_at = ? WHERE id = ?", (now, after["note_id"])))
    if kind is ActionKind.MODERATE:
        statements.append(
            ("UPDATE responses SET remote_status = ? WHERE id = ?", (before["status"], rid))
        )
    return UndoPlan(
        tuple(statements),
        question=before["question"] if kind is ActionKind.UNTAG else None,
        sets_role=kind is ActionKind.ROLE,
        role=before.get("role") if kind is ActionKind.ROLE else None,
        writeback=kind in (ActionKind.MODERATE, ActionKind.REPLY),
    )


def undo_sent(state: str) -> str | None:
    """What an undo does to its entry's outbox row in ``state``: "cancel" (not sent, or
    a person must look), "reverse" (done: the platform applied it) or None (leave it)."""
    if state in CANCELLABLE:
        return "cancel"
    if state == OutboxState.DONE.value:
        return "reverse"
    return None


def _undo_one(
    db: sqlite3.Connection, codebook_version: str, entry: UndoEntry, now: int
) -> list[int]:
    plan = plan_undo(entry, now)
    for sql, params in plan.statements:
        db.execute(sql, params)
    rid = entry.response_id
    if plan.question is not None:
        _add_tag(db, codebook_version, rid, TagKind.QUESTION, plan.question, "undo", now)
    if plan.sets_role:
        _set_role(db, codebook_version, rid, plan.role, "undo", now)
    if not plan.writeback:
        return []
    sent = db.execute("SELECT id, state FROM outbox WHERE journal_id = ?", (entry.id,)).fetchone()
    if sent is None:
        return []
    oid, state = sent
    what = undo_sent(state)
    if what == "cancel":
        db.execute(CANCEL_UNDONE, (oid,))
    elif what == "reverse":
        return enqueue_reverse(db, oid, entry.kind, entry.before, entry.after, now)
    return []


def enqueue_reverse(
    db: sqlite3.Connection,
    oid: int,
    kind: ActionKind,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    now: int,
) -> list[int]:
    """Queue the action that takes back write-back ``oid``, already applied remotely."""
    sid, rid, ext, thread_ext, result_ext, digest = db.execute(
        "SELECT source_id, response_id, external_id, thread_external_id, "
        "result_external_id, expected_digest FROM outbox WHERE id = ?",
        (oid,),
    ).fetchone()
    source = db.execute("SELECT name FROM sources WHERE id = ?", (sid,)).fetchone()[0]
    row = db.execute("SELECT meta FROM responses WHERE id = ?", (rid,)).fetchone()
    action = reverse_action(
        kind,
        before,
        after,
        source,
        ext,
        thread_ext,
        result_ext,
        row[0] if row else None,
        oid,
        digest=digest,
    )
    if action is None:
        return []
    if kind is ActionKind.REPLY:
        mine = db.execute(
            "SELECT id FROM responses WHERE source_id = ? AND external_id = ?",
            (sid, result_ext),
        ).fetchone()
        rid = mine[0] if mine else None
    return [enqueue(db, action, response_id=rid, journal_id=None, now=now)]


def reverse_action(
    kind: ActionKind,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    source: str,
    ext: str,
    thread_ext: str | None,
    result_ext: str | None,
    meta: str | None,
    oid: int,
    *,
    digest: str | None = None,
) -> Action | None:
    """The action that takes back write-back ``oid`` (of a journalled ``kind``, already
    applied remotely), or None when there is none. A decision's reverse expects the text
    its decision saw (``digest``): an undone hold approves no words edited since. A
    reverse reply's outbox row belongs to the reply itself (the response ``result_ext``
    names), not to the one it answered. Both backends build it here."""
    if kind is ActionKind.MODERATE:
        reverse = CAPABILITY_FOR_STATUS.get(RemoteStatus(before["status"]))
        if reverse is None or before["status"] == after["status"]:  # a resend: nothing to undo
            return None
        return Action(
            capability=reverse,
            source=source,
            external_id=ext,
            thread_external_id=thread_ext,
            expected_status=RemoteStatus(after["status"]),
            expected_text_digest=digest,
            # The platform may need what it needed for the original (e.g. Discourse's ids).
            meta={**meta_of(meta), "undo_of": oid},
        )
    if kind is ActionKind.REPLY and result_ext:
        # A sent reply cannot be unsent: trash it on the platform.
        return Action(
            capability=Capability.TRASH,
            source=source,
            external_id=result_ext,
            thread_external_id=thread_ext,
            meta={"undo_of": oid},
        )
    return None
