"""The store's file: its path checked before SQLite sees it, its modes (0600, folder
0700), and the read-only URI."""

from __future__ import annotations

import contextlib
import os
import time
import urllib.parse
from pathlib import Path

from reactieveld.i18n import stored
from reactieveld.store.base import StoreError
from reactieveld.store.errors import not_a_store

#: File mode of the store, its -wal and -shm files and its key file: the store holds
#: what people wrote and who wrote it; nobody else on the machine needs to read it.
FILE_MODE = 0o600
#: The author key file's name is the store's with this added (memory.db.author-key).
KEY_FILE_SUFFIX = ".author-key"


#: Mode of the store's folder when we make it.
DIR_MODE = 0o700


def prepare_path(path: Path, read_only: bool) -> bool:
    """Check the store's path before SQLite sees it; make its folder (0700) and an empty
    file (0600) for a new store. Returns whether to open it read-only (asked for, or the
    file or its folder cannot be written). An existing file is not changed here: it may
    be anything (a typo in --db names another program's file); the store tightens its
    mode (:func:`tighten_modes`) once it knows the file is a memory store."""
    if path.is_dir():
        raise StoreError(stored("conn.store.folder", path=path, example=path / "memory.db"))
    folder = path.parent
    if not path.exists():
        if read_only:
            raise StoreError(stored("conn.store.none_at", path=path))
        try:
            folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            # SQLite makes -wal and -shm with the database file's mode: 0600 here means
            # 0600 there. O_EXCL: a file another program just made is left as it is.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(
                stored("conn.store.cannot_create", path=path, said=exc.strerror or exc)
            ) from exc
        return False
    if _found_empty(path):
        raise StoreError(stored("conn.store.empty_file", path=path))
    if not held_here(path) and not _sqlite_header(path):
        # SQLite would take a file shorter than a page for a new database and write one
        # over it; any other it refuses only after it has been opened for writing.
        raise not_a_store(path)
    writable = os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)
    return read_only or not writable


#: The store files this process has open through SQLite, by (device, inode): how many
#: connections. SQLite's locks on a file are POSIX locks, which belong to the process and
#: all go when it closes ANY descriptor of that file: a header read with ``open()`` (or an
#: immutable connection, which SQLite closes at once) while a connection has the file open
#: lets another process's sync, search or ``sqlite3`` take its closing for the last one,
#: checkpoint and delete the -wal file, and this process then writes into the deleted
#: file: every later decision is lost. A held file was checked when it was first opened
#: (and its connection checks again), so its next openings skip the checks that read it.
_HELD: dict[tuple[int, int], int] = {}


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def held_here(path: Path) -> bool:
    """Whether a connection of this process has the file at ``path`` open (see _HELD)."""
    key = _file_key(path)
    return key is not None and key in _HELD


def hold(path: Path) -> tuple[int, int] | None:
    """Note a connection of this process on ``path``; give the key to :func:`let_go`."""
    key = _file_key(path)
    if key is not None:
        _HELD[key] = _HELD.get(key, 0) + 1
    return key


def let_go(key: tuple[int, int] | None) -> None:
    """The connection :func:`hold` noted is closed."""
    if key is None or key not in _HELD:
        return
    if _HELD[key] <= 1:
        del _HELD[key]
    else:
        _HELD[key] -= 1


#: The first bytes of every SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"


def _sqlite_header(path: Path) -> bool:
    """Whether ``path`` starts as an SQLite database does (an empty file, one being made
    now, passes: SQLite makes it one). Unreadable: left to SQLite to say why."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError:
        return True
    return not head or head == SQLITE_MAGIC


#: A zero-length file younger than this is a store another program is creating now.
_NEW_FILE_SECONDS = 60.0


def _found_empty(path: Path) -> bool:
    """Whether ``path`` is an empty file that nobody is making a store of: a store cut
    to nothing, or a file made by something else. SQLite would take it for a new, empty
    memory, and the old one would look gone without a word."""
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_size == 0 and time.time() - st.st_mtime > _NEW_FILE_SECONDS


def key_file_path(path: Path) -> Path:
    """Where the key of a store's author keys is kept: beside it, mode 0600."""
    return path.with_name(path.name + KEY_FILE_SUFFIX)


def store_files(path: Path) -> tuple[Path, ...]:
    """The store's file, the -wal and -shm files SQLite makes beside it, and its author
    key file."""
    wal, shm = (path.with_name(path.name + s) for s in ("-wal", "-shm"))
    return (path, wal, shm, key_file_path(path))


def tighten_modes(path: Path) -> None:
    """A store made by an older version (0644) is made 0600, with its -wal and -shm and
    its author key file (copied back from a backup, 0644 by the umask: the secret that
    links people's responses, readable by everyone), when this user owns it: a file of
    someone else's is theirs to decide on. Only for a file known to be a memory store
    (``schema.check_ours``)."""
    for p in store_files(path):
        try:
            st = p.stat()
            if st.st_uid == os.geteuid() and st.st_mode & 0o077:
                p.chmod(FILE_MODE)
        except OSError:
            continue


def read_only_uri(path: Path, *, immutable: bool) -> str:
    """The SQLite URI that opens ``path`` read-only."""
    quoted = urllib.parse.quote(str(path.absolute()))
    return f"file:{quoted}?mode=ro" + ("&immutable=1" if immutable else "")


def fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
