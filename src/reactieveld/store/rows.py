"""Rows to models, and the one timestamp rule.

The store keeps times as integer seconds since the epoch (UTC). A time goes in as an
aware datetime and comes out as an aware UTC datetime. A naive datetime is refused with
a ValueError instead of being taken as UTC or local time: guessing moved times by hours
without anyone noticing; the place that made the naive time knows what it meant."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar, overload

from reactieveld.model import (
    ActionKind,
    Capability,
    OutboxState,
    RemoteStatus,
    Response,
    TagKind,
    TriageState,
)
from reactieveld.store.base import Claim, QueueRow

if TYPE_CHECKING:
    from reactieveld.model_values import JournalEntry, Note, OutboxItem, Tag, Thread
    from reactieveld.store.values import Counts, SourceState

_T = TypeVar("_T")


def placeholders(values: Sequence[Any]) -> str:
    """``(?,?,?)`` for an IN clause."""
    return "(" + ",".join("?" * len(values)) + ")"


@overload
def to_epoch(value: datetime) -> int: ...
@overload
def to_epoch(value: None) -> None: ...
@overload
def to_epoch(value: datetime | None) -> int | None: ...
def to_epoch(value: datetime | None) -> int | None:
    """Seconds since the epoch of an aware datetime; None stays None."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"a naive datetime ({value.isoformat()}) reached the store: give it a time "
            "zone (the store takes aware datetimes, UTC or any offset)"
        )
    return int(value.timestamp())


@overload
def from_epoch(value: int) -> datetime: ...
@overload
def from_epoch(value: None) -> None: ...
@overload
def from_epoch(value: int | None) -> datetime | None: ...
def from_epoch(value: int | None) -> datetime | None:
    """The aware UTC datetime of stored seconds; None stays None."""
    return None if value is None else datetime.fromtimestamp(value, UTC)


RESPONSE_COLS = (
    "r.id, s.name, r.external_id, r.thread_external_id, r.parent_external_id, "
    "r.author_name, r.author_key, r.author_url, r.body_text, r.body_raw, r.body_format, "
    "r.url, r.created_at, r.updated_at, r.fetched_at, r.remote_status, r.triage, "
    "r.role_hint, r.meta, th.title, r.version, c.actor, c.until"
)


RESPONSE_JOINS = (
    "JOIN sources s ON s.id = r.source_id "
    "LEFT JOIN threads th ON th.source_id = r.source_id "
    "AND th.external_id = r.thread_external_id "
    # By primary key, one look-up per row shown: the queue's index walk is unchanged.
    "LEFT JOIN claims c ON c.response_id = r.id"
)


RESPONSE_FROM = "responses r " + RESPONSE_JOINS


#: The enums by their stored values: a dict look-up per row instead of an enum call (a
#: page of 50 rows spends ~9 us a row turning rows into objects). An unknown value still
#: raises the enum's ValueError.
_STATUSES = {m.value: m for m in RemoteStatus}
_TRIAGES = {m.value: m for m in TriageState}


def built(cls: type[_T], fields: dict[str, Any]) -> _T:
    """An instance of the frozen dataclass ``cls`` holding ``fields`` (every field of it,
    none left to a default), made without calling its ``__init__``: a frozen dataclass's
    sets each field through ``object.__setattr__``, ~4 us of the ~7 us a queue row took
    to become a ``QueueRow`` with its ``Response``; this is ~0.3 us. For the classes this
    module makes alone (no ``__post_init__``, no slots); tests/test_store_rows.py checks
    the rows equal those ``__init__`` makes, field for field."""
    obj = _new(cls)
    obj.__dict__.update(fields)
    return obj


_new = object.__new__


def response_from_row(row: Sequence[Any]) -> tuple[Response, str | None]:
    (
        rid,
        source,
        ext,
        thread_ext,
        parent_ext,
        author,
        author_key,
        author_url,
        body_text,
        body_raw,
        body_format,
        url,
        created,
        updated,
        fetched,
        status,
        triage,
        role_hint,
        meta,
        title,
        *_version_claim,
    ) = row
    response = built(
        Response,
        {
            "source": source,
            "external_id": ext,
            "thread_external_id": thread_ext,
            "author_name": author,
            "body_text": body_text,
            "created_at": from_epoch(created),
            "remote_status": _STATUSES[status] if status in _STATUSES else RemoteStatus(status),
            "parent_external_id": parent_ext,
            "body_raw": body_raw,
            "body_format": body_format,
            "updated_at": from_epoch(updated),
            "url": url,
            "author_email": None,
            "author_key": author_key,
            "author_url": author_url,
            "role_hint": role_hint,
            "meta": json.loads(meta) if meta and meta != "{}" else {},
            "id": rid,
            "triage": _TRIAGES[triage] if triage in _TRIAGES else TriageState(triage),
            "fetched_at": from_epoch(fetched),
        },
    )
    return response, title


def version_and_claim(row: Sequence[Any], now: int) -> tuple[int, Claim | None]:
    """The version and the live claim of a row of ``RESPONSE_COLS``: a claim that expired
    by ``now`` (Unix seconds) is none, whether or not it is still stored."""
    version, actor, until = row[20:23]
    claim = Claim(actor, from_epoch(until)) if actor is not None and until > now else None
    return int(version), claim


def code_order(code: str) -> tuple[int, str]:
    """Question codes in the codebook's order: numbers as numbers, then the rest."""
    return (int(code), "") if code.isdigit() else (10**9, code)


def queue_rows(
    raw: Sequence[Sequence[Any]],
    tag_rows: Iterable[Sequence[Any]],
    outbox: Mapping[int, str],
    now: int,
    flags: Iterable[Sequence[Any]] = (),
) -> list[QueueRow]:
    """Queue rows from rows of ``RESPONSE_COLS``, their tags (response id, kind, code),
    the state of each one's newest outbox item and their open rule flags (response id,
    rule; oldest first): the same on both backends. ``now`` (Unix seconds, the store's
    clock) decides which claims have expired."""
    rules: dict[int, dict[str, None]] = {}
    for rid, rule in flags:
        rules.setdefault(rid, {})[rule] = None  # a rule once, in the order it flagged
    questions: dict[int, list[str]] = {}
    roles: dict[int, str] = {}
    for rid, kind, code in tag_rows:
        if kind == "question":
            questions.setdefault(rid, []).append(code)
        else:
            roles[rid] = code
    out = []
    for row in raw:
        response, title = response_from_row(row)
        rid = row[0]
        version, claim = version_and_claim(row, now)
        out.append(
            built(
                QueueRow,
                {
                    "response": response,
                    "thread_title": title,
                    "questions": (
                        tuple(sorted(questions[rid], key=code_order)) if rid in questions else ()
                    ),
                    "role": roles.get(rid),
                    "outbox_state": outbox.get(rid),
                    "version": version,
                    "claim": claim,
                    "flags": tuple(rules[rid]) if rid in rules else (),
                    "blind": False,  # a later coder's rows are blinded after (codings.py)
                },
            )
        )
    return out


#: The columns of a source's state, as ``source_state_from_row`` reads them.
STATE_COLS = (
    "name, type, cursor, last_success, last_error, last_error_at, next_try, "
    "coalesce((SELECT n FROM source_repairs WHERE source_id = sources.id), 0), synced_by, "
    "recorded_round, success_round"
)


def source_state_from_row(row: Sequence[Any]) -> SourceState:
    from reactieveld.store.values import SourceState

    return SourceState(
        name=row[0],
        type=row[1],
        cursor=row[2],
        last_success=from_epoch(row[3]),
        last_error=row[4],
        last_error_at=from_epoch(row[5]),
        next_try=from_epoch(row[6]),
        repaired=row[7],
        synced_by=row[8],
        recorded_round=row[9],
        success_round=row[10],
    )


#: An outbox row as :func:`outbox_item_from_row` maps it (``o``: outbox, ``s``: sources).
OUTBOX_COLS = (
    "o.id, s.name, o.response_id, o.journal_id, o.capability, o.external_id, "
    "o.thread_external_id, o.text, o.expected_status, o.meta, o.state, o.attempts, "
    "o.created_at, o.next_attempt_at, o.last_error, o.awaits_round, o.expected_digest, "
    "o.failure_kind"
)

#: The newest write-back of each response of ``{ids}`` that has one (one statement for
#: them all), as :data:`OUTBOX_COLS`, then the reason recorded with the decision it
#: belongs to (its journal entry's code and words); the statement of both backends.
NEWEST_OUTBOX_SQL = (
    f"SELECT {OUTBOX_COLS}, a.reason, a.reason_text FROM outbox o "
    "JOIN sources s ON s.id = o.source_id LEFT JOIN actions a ON a.id = o.journal_id "
    "WHERE o.id IN (SELECT max(id) FROM outbox WHERE response_id IN {ids} "
    "GROUP BY response_id)"
)


def outbox_item_from_row(row: Sequence[Any]) -> OutboxItem:
    from reactieveld.model_values import Action, OutboxItem

    return OutboxItem(
        id=row[0],
        action=Action(
            capability=Capability(row[4]),
            source=row[1],
            external_id=row[5],
            thread_external_id=row[6],
            text=row[7],
            expected_status=RemoteStatus(row[8]) if row[8] else None,
            meta=json.loads(row[9]) if row[9] else {},
            expected_text_digest=row[16],
        ),
        response_id=row[2],
        journal_id=row[3],
        state=OutboxState(row[10]),
        attempts=row[11],
        created_at=from_epoch(row[12]),
        next_attempt_at=from_epoch(row[13]),
        last_error=row[14],
        awaits_round=row[15],
        failure_kind=row[17],
    )


#: A thread by source name and platform id (``?`` placeholders; both backends).
THREAD_SQL = (
    "SELECT t.external_id, t.title, t.url, t.created_at, t.meta FROM threads t "
    "JOIN sources s ON s.id = t.source_id WHERE s.name = ? AND t.external_id = ?"
)


def thread_from_row(source: str, row: Sequence[Any]) -> Thread:
    from reactieveld.model_values import Thread

    return Thread(
        source=source,
        external_id=row[0],
        title=row[1],
        url=row[2],
        created_at=from_epoch(row[3]),
        meta=json.loads(row[4]) if row[4] else {},
    )


#: A response's tags, questions first.
TAGS_SQL = (
    "SELECT kind, code, codebook_version, created_at, actor FROM tags "
    "WHERE response_id = ? ORDER BY kind DESC, code"
)


def tag_from_row(row: Sequence[Any]) -> Tag:
    from reactieveld.model_values import Tag

    kind, code, version, at, actor = row
    return Tag(TagKind(kind), code, version, from_epoch(at), actor)


#: A response's notes, oldest first.
NOTES_SQL = (
    "SELECT id, response_id, text, actor, created_at FROM notes "
    "WHERE response_id = ? AND deleted_at IS NULL ORDER BY id"
)


def note_from_row(row: Sequence[Any]) -> Note:
    from reactieveld.model_values import Note

    nid, rid, text, actor, at = row
    return Note(nid, rid, text, actor, from_epoch(at))


def journal_sql(response_id: int | None, limit: int) -> tuple[str, list[Any]]:
    """Journal entries newest first, of one response or of all (``?`` placeholders)."""
    where = "WHERE a.response_id = ?" if response_id is not None else ""
    params: list[Any] = [response_id] if response_id is not None else []
    sql = (
        "SELECT a.id, a.at, a.actor, a.kind, a.response_id, a.before, a.after, a.undoes, "
        "(SELECT max(u.id) FROM actions u WHERE u.undoes = a.id), a.batch, a.reason, "
        f"a.reason_text FROM actions a {where} ORDER BY a.id DESC LIMIT ?"
    )
    return sql, [*params, limit]


def journal_entry_from_row(r: Sequence[Any]) -> JournalEntry:
    from reactieveld.model_values import JournalEntry

    return JournalEntry(
        id=r[0],
        at=from_epoch(r[1]),
        actor=r[2],
        kind=ActionKind(r[3]),
        response_id=r[4],
        before=json.loads(r[5]),
        after=json.loads(r[6]),
        undoes=r[7],
        undone_by=r[8],
        batch=r[9],
        reason=r[10],
        reason_text=r[11],
    )


#: The queries behind ``counts()``, by name: the kept counts (migration 0006 on SQLite,
#: the statement triggers on PostgreSQL), a few small rows whatever the size.
COUNTS_SQL = {
    "states": "SELECT triage, remote_status, source_id, n FROM response_counts WHERE n != 0",
    "sources": "SELECT id, name FROM sources ORDER BY id",
    "tags": "SELECT kind, code, n FROM tag_counts WHERE n != 0",
    "tagged": "SELECT coalesce(sum(n), 0) FROM question_tagged",
    # A failed or conflicting write-back counts while it is its response's newest: one
    # sent again (or any later one) takes its place, as in the queue's row. By its kind:
    # one that can never succeed is not counted as still to write back (counts_from).
    "outbox": (
        "SELECT state, failure_kind, count(*) FROM outbox o WHERE state IN ('pending', "
        "'conflict', 'failed') AND (state = 'pending' OR NOT EXISTS (SELECT 1 FROM outbox "
        "l WHERE l.response_id = o.response_id AND l.id > o.id)) GROUP BY 1, 2"
    ),
    # Walks the partial index of the reported rows only (migration 0012 / pg 0005): the
    # triage test in FILTER, not WHERE, or SQLite walks every new row by triage's index
    # (75 ms at 200,000 responses, 0.7 ms this way).
    "reported": "SELECT count(*) FILTER (WHERE triage = 'new') FROM responses WHERE reports > 0",
    # The index rule_flags_open (state, response_id) answers it alone (0011 / pg 0004).
    "flagged": "SELECT count(DISTINCT response_id) FROM rule_flags WHERE state = 'open'",
}


def counts_from(rows: Mapping[str, Sequence[Sequence[Any]]]) -> Counts:
    """:class:`Counts` from the rows of the :data:`COUNTS_SQL` queries (either backend)."""
    from reactieveld.model_values import FINAL_KINDS  # after the first frame, as values
    from reactieveld.store.values import Counts  # after the first frame (values.py says why)

    by_triage: dict[str, int] = {}
    by_status: dict[str, int] = {}
    by_sid: dict[int, int] = {}
    for triage, status, sid, n in rows["states"]:
        by_triage[triage] = by_triage.get(triage, 0) + n
        by_status[status] = by_status.get(status, 0) + n
        by_sid[sid] = by_sid.get(sid, 0) + n
    by_source = {name: by_sid.get(sid, 0) for sid, name in rows["sources"]}
    by_question: dict[str, int] = {}
    by_role: dict[str, int] = {}
    for kind, code, n in rows["tags"]:
        (by_question if kind == "question" else by_role)[code] = n
    total = sum(by_triage.values())
    outbox: dict[str, int] = {}
    for state, kind, n in rows["outbox"]:
        # The header's "not written back" is what a moderator can still get written
        # back: a resend, or a fix on the site and then a resend. A write-back that can
        # never succeed (FINAL_KINDS: the comment gone, a status refused) is not: its
        # decision stays in the memory only, as its response's view says.
        key = "final" if state != "pending" and kind in FINAL_KINDS else state
        outbox[key] = outbox.get(key, 0) + int(n)
    return Counts(
        total=total,
        by_triage=by_triage,
        by_status=by_status,
        by_source=by_source,
        by_question=by_question,
        by_role=by_role,
        untagged=total - int(rows["tagged"][0][0]),
        outbox_pending=outbox.get("pending", 0),
        outbox_conflicts=outbox.get("conflict", 0) + outbox.get("failed", 0),
        reported=int(rows["reported"][0][0]) if "reported" in rows else 0,
        flagged=int(rows["flagged"][0][0]) if "flagged" in rows else 0,
    )
