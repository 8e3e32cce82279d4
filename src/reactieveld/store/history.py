"""Moderator work that happened earlier (``record_history``), planned once for both
backends: which tags, roles, notes, decisions and journal entries a history makes of
the stored rows. The stores only read those rows and write the plan."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reactieveld.model import ActionKind, TriageState
from reactieveld.store.actions import HISTORY_BATCH
from reactieveld.store.rows import to_epoch

if TYPE_CHECKING:
    from reactieveld.store.values import PastWork


#: A source's responses a history is planned from (parameter: the source id): id,
#: external id, remote status, triage, created at; see :func:`history_rows`.
ROWS_SQL = (
    "SELECT id, external_id, remote_status, triage, created_at FROM responses WHERE source_id = ?"
)

#: The role tags of a source's responses (parameter: the source id): response id, code.
ROLES_SQL = (
    "SELECT t.response_id, t.code FROM tags t JOIN responses r "
    "ON r.id = t.response_id WHERE r.source_id = ? AND t.kind = 'role'"
)

# The tables and columns the plan's tuples go into, in their order (both backends).
JOURNAL_INTO = "actions (at, response_id, kind, actor, before, after, batch)"
TAGS_INTO = "tags (response_id, kind, code, codebook_version, created_at, actor, response_created)"
NOTES_INTO = "notes (id, response_id, text, actor, created_at)"
CLAIMS_INTO = "claim_log (response_id, actor, at)"


def history_rows(rows: Iterable[Sequence[Any]]) -> dict[str, tuple[int, str, str, int]]:
    """The :data:`ROWS_SQL` rows as :func:`plan_history` takes them: {external id: (id,
    remote status, triage, created at)}."""
    return {ext: (rid, status, triage, created) for rid, ext, status, triage, created in rows}


@dataclass
class HistoryPlan:
    """The rows a history writes (tuples in the column orders the stores insert)."""

    #: (at, response id, kind, actor, before JSON, after JSON, batch), in time order.
    journal: list[tuple[Any, ...]] = field(default_factory=list)
    #: (response id, kind, code, codebook version, created at, actor, response created)
    tags: list[tuple[Any, ...]] = field(default_factory=list)
    #: role tags, the same columns; the response's old role tag goes first.
    roles: list[tuple[Any, ...]] = field(default_factory=list)
    #: (note id, response id, text, actor, created at)
    notes: list[tuple[Any, ...]] = field(default_factory=list)
    #: (remote status, response id): decided, handled.
    decisions: list[tuple[str, int]] = field(default_factory=list)
    #: the claim log: (response id, actor, at), the claim before the work.
    claims: list[tuple[int, str, int]] = field(default_factory=list)
    touched: int = 0


def plan_history(
    work: Iterable[PastWork],
    once: str,
    rows: Mapping[str, tuple[int, str, str, int]],
    roles: Mapping[int, str],
    note_id: int,
    codebook_version: str,
) -> HistoryPlan:
    """``rows``: {external id: (id, remote status, triage, created at)} of the source;
    ``roles``: {response id: role code}; ``note_id``: the highest note id so far (the
    notes get the ids after it, so the journal can name them)."""
    plan = HistoryPlan()
    journal: list[tuple[Any, ...]] = []
    for w in work:
        row = rows.get(w.external_id)
        if row is None:
            continue
        rid, status, triage, created = row
        at = to_epoch(w.at) or 0
        batch = f"{HISTORY_BATCH}{once}-{rid}"
        plan.touched += 1

        def entry(step: int, kind: ActionKind, before: Any, after: Any) -> None:
            journal.append((at + step, rid, kind.value, w.actor, before, after, batch))  # noqa: B023

        if w.claimed_by is not None:
            plan.claims.append((rid, w.claimed_by, at))
        for code in w.questions:
            plan.tags.append((rid, "question", code, codebook_version, at, w.actor, created))
            entry(0, ActionKind.TAG, {}, {"question": code})
        if w.role and roles.get(rid) != w.role:
            plan.roles.append((rid, "role", w.role, codebook_version, at, w.actor, created))
            entry(4, ActionKind.ROLE, {"role": roles.get(rid)}, {"role": w.role})
        if w.status is None:
            if triage != TriageState.HANDLED.value:
                plan.decisions.append((status, rid))
                entry(9, ActionKind.HANDLE, {"triage": triage}, {"triage": "handled"})
        else:
            plan.decisions.append((w.status.value, rid))
            entry(
                9,
                ActionKind.MODERATE,
                {"status": status, "triage": triage},
                {"status": w.status.value, "triage": "handled"},
            )
        if w.note:
            note_id += 1
            plan.notes.append((note_id, rid, w.note, w.actor, at + 15))
            entry(15, ActionKind.NOTE, {}, {"note_id": note_id, "text": w.note})
    journal.sort(key=lambda j: (j[0], j[1], j[2]))
    plan.journal = [
        (
            *j[:4],
            json.dumps(j[4], ensure_ascii=False),
            json.dumps(j[5], ensure_ascii=False),
            j[6],
        )
        for j in journal
    ]
    return plan
