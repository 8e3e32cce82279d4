"""Double coding (issue 14): each coder's coding of a sampled response, kept apart.

A response in the double-coding sample (``codebook.in_double_sample``, by
``[coding] double_share``) is coded by several moderators, blind, so that their agreement
can be measured. The ``codings`` table (migrations 0013 / pg 0006) keeps one row per
response and coder: the questions they gave it, the role, when, and with which codebook.

Who changes what, on both backends (the rules here, the SQL the backends'):

* not in the sample: the response's tags, as ever;
* ``FIRST``: in the sample, and nobody else coded it first: the response's tags, and the
  actor's coding (ordinal 1) is kept in step with them;
* ``SECOND``: in the sample, and another moderator coded it first: the actor's own
  coding only (journalled as :attr:`ActionKind.CODE`); the response's tags stay the first
  coder's until a difference is resolved. Once the actor said that coding is done it
  counts as it is: they see the tags, and their keys change the tags only (``tags``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from reactieveld.model import ActionKind, in_double_sample
from reactieveld.store.planner import DISAGREEMENTS, SQLITE, Dialect, filter_where

if TYPE_CHECKING:
    from reactieveld.store.base import QueueFilter, QueueRow
    from reactieveld.store.values import Coding

Route = Literal["tags", "first", "second"]
#: One response's change of a later coder's own coding: (response id, before, after), as
#: journalled (kind ``code``).
CodeStep = tuple[int, Mapping[str, Any], Mapping[str, Any]]


def route(
    source: str,
    external_id: str,
    share: float,
    first_coder: str | None,
    actor: str,
    done: bool = False,
) -> Route:
    """Which coding an action of ``actor`` on a response changes (see the module);
    ``done``: ``actor`` is a later coder whose coding of it is done."""
    if not in_double_sample(source, external_id, share):
        return "tags"
    if first_coder is None or first_coder == actor:
        return "first"
    # Done: their coding counts as it was, as the first coder's once another is done; it
    # is no longer blind (they see the tags), so their keys change the tags only.
    return "tags" if done else "second"


#: What :func:`routes` needs of the codings of the responses an action locked: the first
#: coder of each, and whether the actor's own later coding is done (``?``: the actor,
#: then ``{ids}``: the backend's list of ids).
ROUTE_SQL = (
    "SELECT response_id, coder, ordinal FROM codings WHERE (ordinal = 1 OR (coder = ? "
    "AND ordinal > 1 AND done_at IS NOT NULL)) AND response_id IN {ids}"
)


def routes(
    targets: Iterable[Sequence[Any]], codings: Iterable[Sequence[Any]], share: float, actor: str
) -> dict[int, Route]:
    """:func:`route` per target (id, source, external id, ...), from :data:`ROUTE_SQL`'s
    rows (both backends)."""
    firsts: dict[int, str] = {}
    done: set[int] = set()
    for rid, coder, ordinal in codings:
        if ordinal == 1:
            firsts[int(rid)] = str(coder)
        else:
            done.add(int(rid))
    return {t[0]: route(t[1], t[2], share, firsts.get(t[0]), actor, t[0] in done) for t in targets}


def questions_json(questions: Iterable[str]) -> str:
    """A coding's questions as stored: a JSON array, sorted, each once."""
    return json.dumps(sorted(set(questions)), ensure_ascii=False)


def questions_of(text: str | None) -> frozenset[str]:
    """The questions of a stored coding (``questions_json``'s text)."""
    return frozenset(str(q) for q in json.loads(text or "[]"))


def done_change(
    before: Mapping[str, Any], after: Mapping[str, Any], now: int
) -> tuple[bool, int | None]:
    """Whether a journalled change (``before`` -> ``after``) says a coding is done or not
    done after all (an undo), and the ``done_at`` it leaves: (applies, value)."""
    if after.get("done"):
        return True, now
    if before.get("done"):
        return True, None
    return False, None


def changed(
    questions: frozenset[str],
    role: str | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> tuple[frozenset[str], str | None]:
    """A coding after a journalled change (``before`` -> ``after``: a question added or
    removed, or the role set) is applied to it; undo applies ``after`` -> ``before``."""
    now = set(questions)
    if "question" in before:
        now.discard(str(before["question"]))
    if "question" in after:
        now.add(str(after["question"]))
    if "role" in before or "role" in after:
        role = after.get("role") or None
    return frozenset(now), role


#: The columns of a coding as :func:`coding_of` reads them.
CODING_COLUMNS = (
    "c.response_id, c.coder, c.questions, c.role, c.ordinal, c.codebook_version, c.coded_at"
)

#: A coder's coding written: new (the next ordinal of the response) or changed. ``?``
#: placeholders: response id (twice), coder, questions, role, codebook, time (twice).
#: Whether a later coder finished their coding of a response (placeholder: its id): from
#: then on the first coder's coding is kept as it was when that one finished (it counts in
#: the agreement, and Disagreements shows it to everyone, the first coder too); their keys
#: change the response's tags only, so no coder can agree with another after seeing them.
SEEN_BY_OTHERS_SQL = (
    "SELECT 1 FROM codings WHERE response_id = ? AND ordinal > 1 AND done_at IS NOT NULL"
)
#: After an undo of a first coder's change: a first coding left with no question and no
#: role while nobody else coded the response is removed when the undo took back all its
#: coder gave (no tag, untag or role of theirs on it since it was made stands but the one
#: undone now; what they gave before it was sampled is not coding), so
#: the response is uncoded again as before, not "coded first, none applies" (which would
#: send it to the others' Second coding and count). Keys on and off again leave that
#: empty coding on purpose, and an undo of a later key keeps it. Placeholders: the
#: response id, thrice, then the journal id of the entry undone.
#: The journalled changes of the tags a first coder's coding mirrors: undoing one keeps
#: that coding equal to the tags the undo put back (both backends' ``_undo_coding``).
MIRRORED_KINDS = frozenset({ActionKind.TAG, ActionKind.UNTAG, ActionKind.ROLE})
_MIRRORED_IN = ", ".join(f"'{k.value}'" for k in sorted(MIRRORED_KINDS))
UNCODED_SQL = (
    "DELETE FROM codings WHERE response_id = ? AND ordinal = 1 AND questions = '[]' "
    "AND role IS NULL AND NOT EXISTS (SELECT 1 FROM codings o WHERE o.response_id = ? "
    "AND o.ordinal > 1) AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.response_id = ? "
    f"AND a.actor = codings.coder AND a.kind IN ({_MIRRORED_IN}) AND a.id <> ? "
    "AND a.at >= codings.coded_at "
    "AND NOT EXISTS (SELECT 1 FROM actions u WHERE u.undoes = a.id))"
)
UPSERT_SQL = (
    "INSERT INTO codings (response_id, coder, ordinal, questions, role, codebook_version, "
    "coded_at, changed_at) VALUES (?, ?, (SELECT coalesce(max(ordinal), 0) + 1 FROM codings "
    "WHERE response_id = ?), ?, ?, ?, ?, ?) ON CONFLICT (response_id, coder) DO UPDATE SET "
    "questions = excluded.questions, role = excluded.role, "
    "codebook_version = excluded.codebook_version, changed_at = excluded.changed_at"
)


def upsert_params(
    rid: int, coder: str, questions: Iterable[str], role: str | None, version: str, now: int
) -> tuple[Any, ...]:
    """The parameters of :data:`UPSERT_SQL`."""
    return (rid, coder, rid, questions_json(questions), role, version, now, now)


def coding_of(row: Sequence[Any]) -> Coding:
    """A :class:`Coding` from a row of :data:`CODING_COLUMNS`."""
    from reactieveld.store.values import Coding  # the read side's value: loaded when read

    rid, coder, questions, role, ordinal, version, coded_at = row
    return Coding(
        int(rid), str(coder), questions_of(questions), role, int(ordinal), version, int(coded_at)
    )


#: The codings that count: the first coder's (their tags), a later coder's once done.
COUNTED = "(ordinal = 1 OR done_at IS NOT NULL)"

#: A later coder's coding said to be done (``?``: time, response id, coder), or undone.
DONE_SQL = "UPDATE codings SET done_at = ? WHERE response_id = ? AND coder = ?"


def codings_sql(flt: QueueFilter, dialect: Dialect = SQLITE) -> tuple[str, list[Any]]:
    """Every counted coding (:data:`COUNTED`) of the double-coded responses ``flt``
    matches (a response with at least two of them), by response and ordinal; ``?``
    placeholders."""
    w = filter_where(flt, dialect=dialect)
    w.add(
        f"r.id IN (SELECT response_id FROM codings WHERE {COUNTED} "
        "GROUP BY response_id HAVING count(*) > 1)"
    )
    w.add("(c.ordinal = 1 OR c.done_at IS NOT NULL)")  # COUNTED, of this coding
    sql = (
        f"SELECT {CODING_COLUMNS} FROM codings c JOIN responses r ON r.id = c.response_id"
        f"{w.sql()} ORDER BY c.response_id, c.ordinal"
    )
    return sql, w.params


def as_coded(
    rows: Sequence[QueueRow], mine: Mapping[int, tuple[frozenset[str], str | None]]
) -> list[QueueRow]:
    """Queue rows as a later coder sees them in their Second coding queue: their own
    coding (``mine``: response id -> questions, role) instead of the response's tags,
    which are the first coder's (blind coding)."""
    from reactieveld.store.rows import code_order

    out = []
    for row in rows:
        questions, role = mine.get(row.response.id or 0, (frozenset(), None))
        out.append(replace(row, questions=tuple(sorted(questions, key=code_order)), role=role))
    return out


#: The codings :func:`blinded` needs of a page of rows: the first coder's of each, and
#: the reading coder's own (``response_id``, ``coder``, ``ordinal``, ``questions``,
#: ``role``, ``done_at``); ``{ids}``: the ids' list (SQLite) or ``unnest`` (PostgreSQL),
#: after the coder's placeholder.
BLIND_SQL = (
    "SELECT response_id, coder, ordinal, questions, role, done_at FROM codings "
    "WHERE (ordinal = 1 OR coder = ?) AND response_id IN {ids}"
)


def sampled_ids(rows: Sequence[QueueRow], share: float) -> list[int]:
    """The ids of ``rows`` in the double-coding sample of ``share``."""
    return [
        r.response.id
        for r in rows
        if r.response.id is not None
        and in_double_sample(r.response.source, r.response.external_id, share)
    ]


def blinded(
    rows: Sequence[QueueRow], codings: Iterable[Sequence[Any]], coder: str
) -> list[QueueRow]:
    """Rows as ``coder`` may see them in any queue, the thread and search: a response of
    the sample another moderator coded first, that ``coder`` has not finished coding,
    shows ``coder``'s own coding (empty until they code it), never the tags, which are the
    first coder's, and is marked ``blind`` (the response view leaves the others' codings
    out of its journal). ``codings``: :data:`BLIND_SQL`'s rows for those responses."""
    from reactieveld.store.rows import code_order

    first: dict[int, str] = {}
    mine: dict[int, tuple[frozenset[str], str | None, bool]] = {}
    for rid, who, ordinal, questions, role, done_at in codings:
        if ordinal == 1:
            first[int(rid)] = who
        if who == coder:
            mine[int(rid)] = (questions_of(questions), role, done_at is not None)
    out = []
    for row in rows:
        rid = row.response.id or 0
        questions, role, done = mine.get(rid, (frozenset(), None, False))
        if first.get(rid, coder) == coder or done:
            out.append(row)
            continue
        ordered = tuple(sorted(questions, key=code_order))
        out.append(replace(row, questions=ordered, role=role, blind=True))
    return out


def viewed(flt: QueueFilter, coder: str, share: float) -> QueueFilter:
    """``flt`` as ``coder`` (a store's ``coder``) may match it: a filter on questions,
    roles or untagged finds a response they see blind (:func:`blinded`) by their own
    coding, not by the first coder's tags (``QueueFilter.coder``; the planner's
    ``seen_as``); Disagreements leaves out the responses still in their own Second
    coding (the planner's ``OWN_SECOND_CODING``). Unchanged without a coder or sample."""
    if not coder or share <= 0 or flt.coder is not None:
        return flt
    if not (flt.disagreements or flt.questions or flt.roles or flt.untagged):
        return flt
    return replace(flt, coder=coder)


def roles_and_questions(rows: Iterable[Sequence[Any]]) -> tuple[list[str], str | None]:
    """A response's tags (kind, code rows) as a coding's questions and role."""
    questions = [str(code) for kind, code in rows if kind == "question"]
    roles = [str(code) for kind, code in rows if kind == "role"]
    return questions, (roles[0] if roles else None)


#: One response's counted codings (``?``: its id), in the order they were coded.
RESPONSE_CODINGS_SQL = (
    f"SELECT {CODING_COLUMNS} FROM codings c WHERE c.response_id = ? "
    "AND (c.ordinal = 1 OR c.done_at IS NOT NULL) ORDER BY c.ordinal"
)

#: Whether a response (``?``: its id) has a difference open (the Disagreements queue).
OPEN_DIFFERENCE_SQL = f"SELECT 1 FROM responses r WHERE r.id = ? AND {DISAGREEMENTS}"

#: The counted codings of a response (``?``: its id): coder, questions, role.
CODERS_SQL = (
    "SELECT coder, questions, role FROM codings WHERE response_id = ? "
    "AND (ordinal = 1 OR done_at IS NOT NULL) ORDER BY ordinal"
)


def resolve_step(
    rid: int, coders: Iterable[Sequence[Any]], tags: Iterable[Sequence[Any]]
) -> CodeStep:
    """The journal entry (response id, before, after) of a resolved difference: before,
    each coder's coding (rows of :data:`CODERS_SQL`); after, the final tags (the
    response's tags as they are: kind, code rows)."""
    from reactieveld.store.rows import code_order

    questions, role = roles_and_questions(tags)
    before = {
        "codings": {
            str(coder): {"questions": sorted(questions_of(q), key=code_order), "role": r}
            for coder, q, r in coders
        }
    }
    return rid, before, {"questions": sorted(questions, key=code_order), "role": role}
