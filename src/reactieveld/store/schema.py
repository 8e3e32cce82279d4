"""The schema: the numbered migrations and their runner, the file's version check, the
connection's pragmas and the SQL functions the migrations call."""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from reactieveld.i18n import stored
from reactieveld.store.authors import author_tokens
from reactieveld.store.base import StoreError
from reactieveld.store.errors import unusable_error
from reactieveld.store.fts import searchable_or_none


def read_migrations(module_file: str, package: str) -> tuple[tuple[int, str, str], ...]:
    """The numbered migrations (``NNNN_name.sql``) in the ``migrations`` folder beside
    ``module_file`` (or in ``package`` of a zipped install): (number, name, sql), sorted.
    Each backend keeps its own folder; this is how both read theirs."""
    folder: Any = Path(module_file).with_name("migrations")
    if not folder.is_dir():  # a zipped install; importlib.resources costs ~8 ms to import
        from importlib import resources

        folder = resources.files(package)
    found = []
    for entry in folder.iterdir():
        m = re.match(r"(\d{4})_.*\.sql$", entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return tuple(sorted(found))


@functools.cache
def migrations() -> tuple[tuple[int, str, str], ...]:
    """The numbered migrations shipped with the package: (number, name, sql). Read once
    per process: they do not change while it runs, and every open (the app opens two or
    three connections) checks them."""
    return read_migrations(__file__, "reactieveld.store.migrations")


SCHEMA_VERSION = max(n for n, _, _ in migrations())

#: SQLite's ``application_id`` of a memory store ("RVLD"): the file's header says whose
#: database it is (https://www.sqlite.org/pragma.html#pragma_application_id).
APPLICATION_ID = 0x52564C44

#: Tables every memory store has had since its first migration: a store made before the
#: application id was set is known by them.
_FIRST_TABLES = frozenset(
    ("meta", "sources", "threads", "responses", "tags", "notes", "actions", "outbox")
)


def check_ours(db: sqlite3.Connection, path: Path) -> None:
    """Refuse, before anything is written, a database that is not a memory store: one
    with another program's application id, or with tables and without ours (a typo in
    --db that names another program's database would otherwise get our tables, WAL mode,
    a key file beside it and a tighter mode). A new (empty) database passes: it becomes
    one. Reads only the header and ``sqlite_master``; a file that is no database at all
    raises SQLite's "not a database" here (:func:`unusable_error` words it)."""
    app = int(db.execute("PRAGMA application_id").fetchone()[0])
    if app == APPLICATION_ID:
        return
    tables = sorted(
        str(r[0])
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    )
    if app == 0 and (not tables or _FIRST_TABLES <= set(tables)):
        return
    shown = ", ".join(repr(t[:40]) for t in tables[:4]) + (", ..." if len(tables) > 4 else "")
    whose = f"application id {app:#x}" if app else f"tables {shown}"
    raise StoreError(stored("conn.store.foreign_file", path=path, whose=whose))


def mark_ours(db: sqlite3.Connection) -> None:
    """Set the memory store's application id (a store made before it had none)."""
    if int(db.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def register_functions(db: sqlite3.Connection) -> None:
    """The SQL functions migrations use (0007 fills the author index with
    ``reactieveld_author_tokens``, 0023 the search index with ``reactieveld_searchable``).
    Only statements the store runs itself call them, never the schema: the file stays
    readable and writable by any SQLite program."""
    db.create_function("reactieveld_author_tokens", 3, author_tokens, deterministic=True)
    db.create_function("reactieveld_searchable", 1, searchable_or_none, deterministic=True)


def _enable_wal(db: sqlite3.Connection, *, patience: float = 30.0) -> None:
    """Switch the file to WAL. Two programs opening a new file at once can get "database is
    locked" here without the busy handler being asked (SQLite avoids a lock deadlock while
    the file is still in rollback mode), so retry for a while ourselves."""
    deadline = time.monotonic() + patience
    delay = 0.002
    while True:
        try:
            mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
            continue
        if mode.lower() != "wal" and str(db.execute("PRAGMA database_list").fetchone()[2]):
            raise StoreError(stored("conn.store.wal", said=mode))
        return


#: Who is told that a memory with responses is about to be updated (its migrations may
#: take a minute on a big one, and nothing else is said meanwhile): ``(where, responses)``,
#: where the file or the database (its URL without a password). Nobody by default (the
#: store as a library, tests); the command line tells its reader (cli.main), whichever
#: backend and whichever command or app opens the memory. Both backends' ``migrate``.
MigrationNotice = Callable[[str, int], None]
_notice: list[MigrationNotice] = []


@contextlib.contextmanager
def migration_notice(notice: MigrationNotice) -> Iterator[None]:
    """While inside: ``notice`` is told before migrations are applied to a memory that is
    not new and has responses (:func:`tell_migrating`)."""
    _notice.append(notice)
    try:
        yield
    finally:
        _notice.remove(notice)


def tell_migrating(where: str, responses: int) -> None:
    """Say, through the :func:`migration_notice` given, that the memory ``where`` and its
    ``responses`` are about to be updated; nothing for a memory without responses."""
    if responses and _notice:
        _notice[-1](where, responses)


def check_version(db: sqlite3.Connection) -> int:
    """The file's schema version; a newer one than this program knows is refused."""
    current = int(db.execute("PRAGMA user_version").fetchone()[0])
    latest = max(n for n, _, _ in migrations())
    if current > latest:
        path = db.execute("PRAGMA database_list").fetchone()[2] or "this memory store"
        raise StoreError(stored("conn.store.too_new", path=path, n=current, latest=latest))
    return current


def migrate(db: sqlite3.Connection) -> int:
    """Apply every shipped migration newer than the file's ``user_version``, each in its own
    transaction. Returns the version reached. A file from a newer program is refused."""
    current = check_version(db)
    register_functions(db)
    shipped = migrations()  # read once: the check and the steps must agree
    if 0 < current < max(n for n, _, _ in shipped):  # not new, something to do
        where = db.execute("PRAGMA database_list").fetchone()[2] or ":memory:"
        tell_migrating(where, int(db.execute("SELECT count(*) FROM responses").fetchone()[0]))
    for number, name, sql in shipped:
        if number <= current:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            if db.execute("PRAGMA user_version").fetchone()[0] >= number:
                db.execute("ROLLBACK")
                continue
            for statement in _split_sql(sql):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
        except BaseException as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            path = Path(db.execute("PRAGMA database_list").fetchone()[2] or ":memory:")
            code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
            if isinstance(exc, sqlite3.Error) and code != sqlite3.SQLITE_ERROR:
                unusable = unusable_error(path, exc)  # a full disk, a damaged file, ...
                if unusable is not None:
                    raise unusable from exc
            raise StoreError(
                stored("conn.store.migration_failed", path=path, name=name, said=exc)
            ) from exc
        db.execute("COMMIT")
        current = number
    return current


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows triggers)."""
    statements, buf = [], ""
    for line in sql.splitlines(keepends=True):
        if not buf and line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


def writer_pragmas(db: sqlite3.Connection, cache_kib: int) -> None:
    """The pragmas of a connection that writes (WAL, and the file's own settings)."""
    _enable_wal(db)
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=30000")
    db.execute("PRAGMA temp_store=MEMORY")
    db.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
    # A checkpoint every ~40 MB of WAL instead of 4 MB: a page rewritten by many
    # commits (an index leaf, FTS structure) goes to the file once per checkpoint, and
    # each checkpoint's fsync is paid ten times less often. The WAL file is cut back
    # to 64 MB after a checkpoint.
    db.execute("PRAGMA wal_autocheckpoint=10000")
    db.execute("PRAGMA journal_size_limit=67108864")


def reader_pragmas(db: sqlite3.Connection, cache_kib: int) -> None:
    """The pragmas of a read-only connection: nothing is written, not even by mistake."""
    db.execute("PRAGMA query_only = ON")
    db.execute("PRAGMA temp_store=MEMORY")
    db.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
