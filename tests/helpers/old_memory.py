"""A SQLite memory as an older program left it: only its migrations applied, rows in the
tables the first migration knows (tests of migrations and of what opening such a file says)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from reactieveld.store import schema as store_schema
from reactieveld.store.schema import _split_sql, migrations


def build(path, upto: int) -> sqlite3.Connection:
    """A database as an older program left it: only migrations 1..upto applied."""
    db = sqlite3.connect(path, isolation_level=None)
    store_schema.register_functions(db)  # what migrate() gives the migrations
    for number, _name, sql in migrations():
        if number > upto:
            break
        db.execute("BEGIN")
        for statement in _split_sql(sql):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {number}")
        db.execute("COMMIT")
    return db


def fill_v1(db: sqlite3.Connection) -> None:
    """Rows in every table, using only the columns migration 0001 knows."""
    t = int(datetime(2023, 5, 1, tzinfo=UTC).timestamp())
    db.execute("BEGIN")
    db.execute("INSERT INTO sources (id, name, type, cursor) VALUES (1, 'blog', 'wordpress', 'c7')")
    db.execute(
        "INSERT INTO threads (source_id, external_id, title) VALUES (1, 'p1', 'Nieuw stadspark')"
    )
    db.execute(
        "INSERT INTO responses (id, source_id, external_id, thread_external_id, author_name, "
        "body_text, body_raw, created_at, fetched_at, remote_status, triage, content_hash) "
        "VALUES (1, 1, '101', 'p1', 'Anna', 'Graag meer bomen in het park', "
        "'<p>Graag meer bomen in het park</p>', ?, ?, 'approved', 'handled', 42)",
        (t, t),
    )
    db.execute(
        "INSERT INTO responses_fts (rowid, body, author, title) VALUES "
        "(1, 'Graag meer bomen in het park', 'Anna', 'Nieuw stadspark')"
    )
    # A second response by the same author (key), as the program of that version wrote it.
    db.execute(
        "INSERT INTO responses (id, source_id, external_id, thread_external_id, author_name, "
        "author_key, body_text, created_at, fetched_at, remote_status, content_hash) "
        "VALUES (2, 1, '100', 'p1', 'Anna', 'k1', 'Eerder', ?, ?, 'approved', 7)",
        (t - 60, t),
    )
    db.execute("UPDATE responses SET author_key = 'k1' WHERE id = 1")
    db.execute(
        "INSERT INTO responses_fts (rowid, body, author, title) VALUES "
        "(2, 'Eerder', 'Anna', 'Nieuw stadspark')"
    )
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'responses_by_author'").fetchone():
        db.execute(
            "INSERT INTO responses_by_author (rowid, author_key) VALUES (1, 'k1'), (2, 'k1')"
        )
    db.execute(
        "INSERT INTO tags (response_id, kind, code, codebook_version, created_at, actor) "
        "VALUES (1, 'question', '3', 'default-1', ?, 'mod')",
        (t,),
    )
    db.execute(
        "INSERT INTO notes (response_id, text, actor, created_at) VALUES (1, 'zie ook', 'mod', ?)",
        (t,),
    )
    db.execute(
        "INSERT INTO actions (at, actor, kind, response_id, before, after, batch) "
        "VALUES (?, 'mod', 'tag', 1, '{}', '{\"question\": \"3\"}', 'b1')",
        (t,),
    )
    db.execute(
        "INSERT INTO outbox (source_id, response_id, journal_id, capability, external_id, "
        "created_at, next_attempt_at) VALUES (1, 1, 1, 'approve', '101', ?, ?)",
        (t, t),
    )
    db.execute("INSERT INTO meta VALUES ('author_secret', ?)", ("ab" * 32,))
    db.execute("COMMIT")
