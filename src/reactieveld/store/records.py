"""What a report record adds to a queue row (every tag with its codebook version and who
made it, the notes, the thread's url, the source type), for a page of rows in one hop."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from reactieveld.store.rows import from_epoch, placeholders
from reactieveld.store.values import RecordContext, RecordNote, RecordTag


def record_contexts(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, RecordContext]:
    """Tags (in stored order), notes (oldest first) and provenance of the responses ``ids``;
    a response without any of these is absent."""
    ids = list(ids)
    if not ids:
        return {}
    tag_rows = db.execute(
        "SELECT response_id, kind, code, codebook_version, created_at, actor FROM tags "
        f"WHERE response_id IN {placeholders(ids)}",
        ids,
    ).fetchall()
    note_rows = db.execute(
        "SELECT response_id, text, actor, created_at FROM notes "
        f"WHERE deleted_at IS NULL AND response_id IN {placeholders(ids)} ORDER BY id",
        ids,
    ).fetchall()
    where_rows = db.execute(
        "SELECT r.id, th.url, s.type, s.url FROM responses r "
        "JOIN sources s ON s.id = r.source_id LEFT JOIN threads th "
        "ON th.source_id = r.source_id AND th.external_id = r.thread_external_id "
        f"WHERE r.id IN {placeholders(ids)}",
        ids,
    ).fetchall()
    return contexts_from(tag_rows, note_rows, where_rows)


def contexts_from(
    tag_rows: Iterable[Sequence[Any]],
    note_rows: Iterable[Sequence[Any]],
    where_rows: Iterable[Sequence[Any]],
) -> dict[int, RecordContext]:
    """The records' contexts from the rows of :func:`record_contexts`' three queries (in
    their column orders; notes oldest first), on either backend."""
    tags: dict[int, list[RecordTag]] = {}
    for rid, kind, code, version, at, actor in tag_rows:
        tags.setdefault(rid, []).append(RecordTag(kind, code, version, from_epoch(at), actor))
    notes: dict[int, list[RecordNote]] = {}
    for rid, text, actor, at in note_rows:
        notes.setdefault(rid, []).append(RecordNote(text, actor, from_epoch(at)))
    where = {}
    for rid, turl, stype, surl in where_rows:
        where[rid] = (turl, stype, surl)
    out = {}
    for rid in set(tags) | set(notes) | set(where):
        turl, stype, surl = where.get(rid, (None, None, None))
        out[rid] = RecordContext(
            tuple(tags.get(rid, ())), tuple(notes.get(rid, ())), turl, stype, surl
        )
    return out
