"""What a report record adds to a queue row (every tag with its codebook version and who
made it, the notes, the thread's url, the source type), for a page of rows in one hop."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from reactieveld.store.rows import from_epoch, placeholders
from reactieveld.store.values import RecordContext, RecordNote, RecordTag


def record_contexts(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, RecordContext]:
    """Tags (in stored order), notes (oldest first) and provenance of the responses ``ids``;
    a response without any of these is absent."""
    ids = list(ids)
    if not ids:
        return {}
    tags: dict[int, list[RecordTag]] = {}
    for rid, kind, code, version, at, actor in db.execute(
        "SELECT response_id, kind, code, codebook_version, created_at, actor FROM tags "
        f"WHERE response_id IN {placeholders(ids)}",
        ids,
    ):
        tags.setdefault(rid, []).append(RecordTag(kind, code, version, from_epoch(at), actor))
    notes: dict[int, list[RecordNote]] = {}
    for rid, text, actor, at in db.execute(
        "SELECT response_id, text, actor, created_at FROM notes "
        f"WHERE deleted_at IS NULL AND response_id IN {placeholders(ids)} ORDER BY id",
        ids,
    ):
        notes.setdefault(rid, []).append(RecordNote(text, actor, from_epoch(at)))
    where = {}
    for rid, turl, stype, surl in db.execute(
        "SELECT r.id, th.url, s.type, s.url FROM responses r "
        "JOIN sources s ON s.id = r.source_id LEFT JOIN threads th "
        "ON th.source_id = r.source_id AND th.external_id = r.thread_external_id "
        f"WHERE r.id IN {placeholders(ids)}",
        ids,
    ):
        where[rid] = (turl, stype, surl)
    out = {}
    for rid in set(tags) | set(notes) | set(where):
        turl, stype, surl = where.get(rid, (None, None, None))
        out[rid] = RecordContext(
            tuple(tags.get(rid, ())), tuple(notes.get(rid, ())), turl, stype, surl
        )
    return out
