"""What an SQLite error means for the user: the store's file is unusable (full disk,
damaged, not a database, read-only) or a query's own mistake. Shared by the migrations
runner (:mod:`reactieveld.store.schema`) and the connection (:mod:`reactieveld.store.sqlite`)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

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
        return damaged_error(path, f"its tables are not as reactieveld made them: {exc}")
    if code == sqlite3.SQLITE_NOTADB:
        return not_a_store(path)
    elif code == sqlite3.SQLITE_CORRUPT:
        return damaged_error(path, str(exc))
    elif code == sqlite3.SQLITE_FULL:
        what = (
            f"the disk holding {path} is full (or the file reached its size limit): free "
            "disk space and try again; nothing of the last change was stored"
        )
    elif code == sqlite3.SQLITE_READONLY:
        what = (
            f"{path} cannot be written (a read-only file, folder or disk): make it "
            "writable, or copy it elsewhere and use --db"
        )
    elif code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        what = (
            f"cannot open {path} ({exc}): check that it and its folder exist and may be "
            "read and written, or choose another --db"
        )
    elif code == sqlite3.SQLITE_IOERR:
        what = (
            f"cannot read or write {path} (disk I/O error: {exc}): check the disk, then "
            "restore the file from a backup if it persists"
        )
    elif code == sqlite3.SQLITE_NOMEM:
        what = f"out of memory while using {path}: close other programs and try again"
    else:
        return None
    return StoreError(what)


def not_a_store(path: Path) -> StoreError:
    """The StoreError of a file that is no SQLite database at all."""
    return StoreError(
        f"{path} is not a reactieveld memory store (not an SQLite database, or "
        "encrypted): choose another --db, or restore the file from a backup"
    )


#: SQLite's words for a schema that lacks what the migrations made.
_SCHEMA_GONE = re.compile(
    r"^(no such (table|column|tokenizer|module|index|function)|malformed database schema"
    r"|vtable constructor failed)"
)


def damaged_error(path: Path, what: str) -> StoreError:
    """The StoreError of a damaged file: restore it, or recover what is left."""
    return StoreError(
        f"{path} is damaged ({what}): restore it from a backup, or save what is left "
        f'with: sqlite3 {path} ".recover" | sqlite3 recovered.db'
    )
