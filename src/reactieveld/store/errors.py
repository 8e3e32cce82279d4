"""What an SQLite error means for the user: the store's file is unusable (full disk,
damaged, not a database, read-only) or a query's own mistake. Shared by the migrations
runner (:mod:`reactieveld.store.schema`) and the connection (:mod:`reactieveld.store.sqlite`)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from reactieveld.i18n import stored, text
from reactieveld.store.base import StoreError


class StoreUnreachable(StoreError):
    """The memory's server cannot be reached or went away (not a fault of the query):
    a later try can help, nothing was changed."""

    retryable = True
    expected = True
    #: What a round's one line says before the reason (:func:`reactieveld.failures.failure`).
    lead = "the memory cannot be reached"


def unusable_error(path: Path, exc: sqlite3.Error) -> StoreError | None:
    """A StoreError for an SQLite error that makes the store unusable (what is wrong,
    which file, what to do); None for any other error (a query's own mistake)."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if "Could not decode to UTF-8" in str(exc):
        code = sqlite3.SQLITE_CORRUPT  # text bytes SQLite kept but UTF-8 cannot be: damage
    elif code == sqlite3.SQLITE_ERROR and _SCHEMA_GONE.search(str(exc)):
        # Our own SQL meets a schema that is not what the migrations made: its text in
        # the file was garbled (or another program changed it).
        return damaged_error(path, text("conn.store.tables_changed", "en", said=exc))
    if code == sqlite3.SQLITE_NOTADB:
        return not_a_store(path)
    elif code == sqlite3.SQLITE_CORRUPT:
        return damaged_error(path, str(exc))
    elif code == sqlite3.SQLITE_FULL:
        what = stored("conn.store.disk_full", path=path)
    elif code == sqlite3.SQLITE_READONLY:
        what = stored("conn.store.read_only_file", path=path)
    elif code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        what = stored("conn.store.cannot_open", path=path, said=exc)
    elif code == sqlite3.SQLITE_IOERR:
        what = stored("conn.store.io", path=path, said=exc)
    elif code == sqlite3.SQLITE_NOMEM:
        what = stored("conn.store.no_memory", path=path)
    else:
        return None
    return StoreError(what)


def not_a_store(path: Path) -> StoreError:
    """The StoreError of a file that is no SQLite database at all."""
    return StoreError(stored("conn.store.not_ours", path=path))


#: SQLite's words for a schema that lacks what the migrations made.
_SCHEMA_GONE = re.compile(
    r"^(no such (table|column|tokenizer|module|index|function)|malformed database schema"
    r"|vtable constructor failed)"
)


def damaged_error(path: Path, what: str) -> StoreError:
    """The StoreError of a damaged file: restore it, or recover what is left."""
    return StoreError(stored("conn.store.damaged", path=path, reason=what))
