"""What a report record adds to a queue row (every tag with its codebook version and who
made it, the notes, the thread's url, the source type, the names it may hold), for a page
of rows in one hop."""

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
    name_rows = db.execute(NAMES_SQL.format(ids=placeholders(ids)), ids * 4).fetchall()
    return contexts_from(tag_rows, note_rows, where_rows, name_rows)


#: Per response, the names it may hold: (response id, name) of its own author, the author
#: it replies to, and every author of its thread (distinct per thread, so a long thread
#: costs its authors, not its responses times the page). ``{ids}``: the page's ids (four times).
#: The page's threads are joined, not matched with ``(source_id, thread) IN (...)`` (SQLite
#: looks that up by the source alone: every response of the source, per page), and the page's
#: rows come first (CROSS JOIN: else SQLite went through a thread once per author of it).
#: Both together took 1 s a page of 500 in a 200,000-response memory with a thread of 3,600.
NAMES_SQL = (
    "SELECT r.id, r.author_name FROM responses r WHERE r.id IN {ids} "
    "UNION SELECT r.id, p.author_name FROM responses r JOIN responses p "
    "ON p.source_id = r.source_id AND p.external_id = r.parent_external_id "
    "WHERE r.id IN {ids} "
    "UNION SELECT r.id, o.author_name FROM responses r CROSS JOIN ("
    "SELECT DISTINCT t.source_id, t.thread_external_id, t.author_name FROM ("
    "SELECT DISTINCT source_id, thread_external_id FROM responses WHERE id IN {ids}) th "
    "JOIN responses t ON t.source_id = th.source_id "
    "AND t.thread_external_id = th.thread_external_id) o "
    "WHERE r.id IN {ids} "
    "AND o.source_id = r.source_id AND o.thread_external_id = r.thread_external_id"
)


#: Every author name the memory holds, once each (a redacted export's known names).
AUTHOR_NAMES_SQL = (
    "SELECT DISTINCT author_name FROM responses WHERE author_name IS NOT NULL AND author_name <> ''"
)


def author_names(rows: Iterable[Sequence[Any]]) -> tuple[str, ...]:
    """The names of :data:`AUTHOR_NAMES_SQL`'s rows, blanks left out, sorted (the same
    tuple from either backend)."""
    return tuple(sorted({name for (name,) in rows if name and name.strip()}))


def contexts_from(
    tag_rows: Iterable[Sequence[Any]],
    note_rows: Iterable[Sequence[Any]],
    where_rows: Iterable[Sequence[Any]],
    name_rows: Iterable[Sequence[Any]] = (),
) -> dict[int, RecordContext]:
    """The records' contexts from the rows of :func:`record_contexts`' four queries (in
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
    names: dict[int, set[str]] = {}
    for rid, name in name_rows:
        if name:
            names.setdefault(rid, set()).add(name)
    out = {}
    for rid in set(tags) | set(notes) | set(where):
        turl, stype, surl = where.get(rid, (None, None, None))
        out[rid] = RecordContext(
            tuple(tags.get(rid, ())),
            tuple(notes.get(rid, ())),
            turl,
            stype,
            surl,
            tuple(sorted(names.get(rid, ()))),
        )
    return out
